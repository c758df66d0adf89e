//! ADQL → PostgreSQL + pgSphere: a dialect-aware unparser over the validated AST. Names come
//! from the catalogue (never from the query text), literals are re-quoted, and geometry runs
//! on the indexed pgSphere columns.

use crate::error::AdqlError;
use crate::pg::{self, string_literal};
use crate::scope::{
    canonical, find_table, quote_ident_always, refers_to, Kind, Scopes, Source, SourceColumn,
};
use crate::syntax::{function_name, is_predicate_call, literal_number};
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Distinct, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, GroupByExpr, JoinConstraint, JoinOperator, LimitClause, OrderBy,
    OrderByKind, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, SetExpr, SetOperator,
    SetQuantifier, Spanned, TableFactor, TableWithJoins, TopQuantity, UnaryOperator, Value,
};
use std::sync::Arc;
use vo_catalogue::{Catalogue, Column};

/// How to translate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The caller's row limit: the query gets LIMIT maxrec+1 so an overflow can be seen.
    pub maxrec: Option<u64>,
}

/// One column of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputColumn {
    pub name: String,
    /// The catalogue's metadata when the column is a plain column reference.
    pub meta: Option<Arc<Column>>,
    /// VOTable datatype and arraysize/xtype for computed values.
    pub datatype: &'static str,
    pub arraysize: Option<&'static str>,
    pub xtype: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub sql: String,
    pub columns: Vec<OutputColumn>,
    /// The LIMIT that makes overflow visible (maxrec + 1), if the caller gave a MAXREC that applies.
    pub overflow_limit: Option<u64>,
}

/// Translates ADQL into PostgreSQL for the given catalogue.
pub fn translate(
    adql: &str,
    catalogue: &Catalogue,
    options: &Options,
) -> Result<Translation, AdqlError> {
    crate::limits::with_stack(|| translate_parsed(adql, catalogue, options))
}

fn translate_parsed(
    adql: &str,
    catalogue: &Catalogue,
    options: &Options,
) -> Result<Translation, AdqlError> {
    let query = crate::parse::parse(adql)?;
    let mut t = Translator {
        catalogue,
        scopes: Scopes::default(),
        ctes: Vec::new(),
        counter: 0,
        in_predicate: false,
    };
    let top = match &*query.body {
        SetExpr::Select(s) => s.top.as_ref().and_then(|t| match &t.quantity {
            Some(TopQuantity::Constant(n)) => Some(*n),
            Some(TopQuantity::Expr(Expr::Value(v))) => match &v.value {
                Value::Number(n, _) => n.parse().ok(),
                _ => None,
            },
            _ => None,
        }),
        _ => None,
    };
    let (limit, overflow_limit) = match (top, options.maxrec) {
        (Some(t), Some(m)) if t <= m => (Some(t), None),
        (_, Some(m)) => (Some(m + 1), Some(m + 1)),
        (t, None) => (t, None),
    };
    let (sql, columns) = t.query(&query, limit)?;
    Ok(Translation {
        sql,
        columns,
        overflow_limit,
    })
}

pub(crate) struct Translator<'c> {
    catalogue: &'c Catalogue,
    pub(crate) scopes: Scopes,
    ctes: Vec<(String, Vec<SourceColumn>)>,
    counter: usize,
    /// Inside CONTAINS/INTERSECTS: `POINT(s_ra, s_dec)` of ObsCore may become its indexed
    /// `s_point` there (elsewhere it must stay an expression of s_ra and s_dec, e.g. for
    /// GROUP BY).
    pub(crate) in_predicate: bool,
}

/// `source.*`: every column of a FROM entry, named as the catalogue names it.
fn expand_source(source: &Source, items: &mut Vec<String>, columns: &mut Vec<OutputColumn>) {
    let alias = quote_ident_always(&source.alias);
    items.reserve(source.columns.len());
    columns.reserve(source.columns.len());
    for c in &source.columns {
        let mut item = String::with_capacity(alias.len() + 2 * c.name().len() + 12);
        if matches!(
            c.kind,
            Kind::Point | Kind::Circle | Kind::Polygon | Kind::Box
        ) {
            // an uploaded geometry comes out as a DALI array, as when it is named
            let mut column = format!("{alias}.");
            c.write_sql(&mut column);
            item.push_str(&pg::as_output(&column, c.kind));
        } else {
            item.push_str(&alias);
            item.push('.');
            c.write_sql(&mut item);
        }
        item.push_str(" AS \"");
        item.push_str(&c.name().replace('"', "\"\""));
        item.push('"');
        items.push(item);
        columns.push(out_from_source(c));
    }
}

fn out_from_source(c: &SourceColumn) -> OutputColumn {
    let (datatype, arraysize, xtype) = kind_votable(c.kind);
    OutputColumn {
        name: c.name().to_string(),
        meta: c.meta().cloned(),
        datatype,
        arraysize,
        xtype,
    }
}

fn kind_votable(kind: Kind) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    match kind {
        Kind::Number | Kind::Null => ("double", None, None),
        // computed text may hold anything its operands or the query's literals hold
        Kind::Text => ("unicodeChar", Some("*"), None),
        Kind::Timestamp => ("char", Some("*"), Some("timestamp")),
        Kind::Point => ("double", Some("2"), Some("point")),
        Kind::Circle => ("double", Some("3"), Some("circle")),
        Kind::Box | Kind::Polygon => ("double", Some("*"), Some("polygon")),
        Kind::Region => ("char", Some("*"), Some("adql:REGION")),
        // the translation resolves every value; only the check, which writes no fields,
        // meets these
        Kind::Geometry | Kind::Unknown => ("char", Some("*"), None),
    }
}

impl<'c> Translator<'c> {
    fn query(
        &mut self,
        q: &Query,
        limit: Option<u64>,
    ) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        let mut sql = String::new();
        let outer_ctes = self.ctes.len();
        if let Some(with) = &q.with {
            let mut parts = Vec::new();
            for cte in &with.cte_tables {
                self.scopes.levels.push(Vec::new());
                let (body, columns) = self.query(&cte.query, None)?;
                self.scopes.levels.pop();
                let name = canonical(&cte.alias.name);
                parts.push(format!("{} AS ({body})", quote_ident_always(&name)));
                let source_columns = columns
                    .iter()
                    .map(|c| SourceColumn::derived(c.name.clone(), c.meta.clone()))
                    .collect();
                self.ctes.push((name, source_columns));
            }
            sql.push_str(&format!("WITH {} ", parts.join(", ")));
        }
        let offset = match &q.limit_clause {
            Some(LimitClause::LimitOffset {
                offset: Some(o), ..
            }) => Some(o.value.to_string()),
            _ => None,
        };
        let (body, columns) = match &*q.body {
            SetExpr::Select(s) => self.select(s, q.order_by.as_ref(), limit, offset.as_deref())?,
            other => {
                let (body, columns) = self.set_expression(other)?;
                let mut body = body;
                if let Some(order) = &q.order_by {
                    body.push_str(&self.order_by_output(order, &columns)?);
                }
                if let Some(l) = limit {
                    body.push_str(&format!(" LIMIT {l}"));
                }
                if let Some(o) = &offset {
                    body.push_str(&format!(" OFFSET {o}"));
                }
                (body, columns)
            }
        };
        self.ctes.truncate(outer_ctes);
        sql.push_str(&body);
        Ok((sql, columns))
    }

    fn set_expression(&mut self, body: &SetExpr) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        match body {
            SetExpr::Select(s) => self.select(s, None, None, None),
            SetExpr::Query(q) => {
                let (sql, columns) = self.query(q, None)?;
                Ok((format!("({sql})"), columns))
            }
            SetExpr::SetOperation {
                op,
                set_quantifier,
                left,
                right,
            } => {
                let (l, columns) = self.set_expression(left)?;
                let (r, right_columns) = self.set_expression(right)?;
                if columns.len() != right_columns.len() {
                    return Err(AdqlError::at(
                        format!(
                            "the two sides of {op} have {} and {} columns",
                            columns.len(),
                            right_columns.len()
                        ),
                        body.span().start,
                    ));
                }
                let word = match op {
                    SetOperator::Union => "UNION",
                    SetOperator::Except => "EXCEPT",
                    _ => "INTERSECT",
                };
                let all = if *set_quantifier == SetQuantifier::All {
                    " ALL"
                } else {
                    ""
                };
                Ok((format!("({l}) {word}{all} ({r})"), columns))
            }
            _ => unreachable!("the validator admits only SELECT and set operations"),
        }
    }

    fn order_by_output(
        &mut self,
        order: &OrderBy,
        columns: &[OutputColumn],
    ) -> Result<String, AdqlError> {
        let OrderByKind::Expressions(items) = &order.kind else {
            unreachable!("validated")
        };
        let mut parts = Vec::new();
        for item in items {
            let direction = sort_direction(&item.options);
            let target = match &item.expr {
                Expr::Value(v) if matches!(v.value, Value::Number(_, _)) => v.value.to_string(),
                Expr::Identifier(i) => match output_column(columns, i) {
                    Some(c) => quote_ident_always(&c.name),
                    None => return Err(AdqlError::at(format!("ORDER BY {i}: after UNION/EXCEPT/INTERSECT only result columns can be sorted on"), i.span.start)),
                },
                other => return Err(AdqlError::at("after UNION/EXCEPT/INTERSECT, ORDER BY takes result column names or numbers", other.span().start)),
            };
            parts.push(format!("{target}{direction}"));
        }
        Ok(format!(" ORDER BY {}", parts.join(", ")))
    }

    fn select(
        &mut self,
        s: &Select,
        order: Option<&OrderBy>,
        limit: Option<u64>,
        offset: Option<&str>,
    ) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        self.scopes.levels.push(Vec::new());
        let mut from = Vec::new();
        for table in &s.from {
            from.push(self.table_with_joins(table)?);
        }
        let mut items = Vec::new();
        let mut columns = Vec::new();
        for item in &s.projection {
            match item {
                SelectItem::Wildcard(_) => {
                    for source in self.scopes.levels.last().unwrap() {
                        expand_source(source, &mut items, &mut columns);
                    }
                }
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(name),
                    _,
                ) => {
                    let parts: Vec<&sqlparser::ast::Ident> =
                        name.0.iter().filter_map(|p| p.as_ident()).collect();
                    let written = parts
                        .iter()
                        .map(|i| i.value.as_str())
                        .collect::<Vec<_>>()
                        .join(".");
                    let source = self
                        .scopes
                        .levels
                        .last()
                        .unwrap()
                        .iter()
                        .find(|src| src.matches_qualifier(&parts))
                        .ok_or_else(|| {
                            AdqlError::at(
                                format!(
                                    "{written}.*: there is no table {written} in this query's FROM"
                                ),
                                name.span().start,
                            )
                        })?;
                    expand_source(source, &mut items, &mut columns);
                }
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    let (sql, kind, meta) = self.output_expr(e)?;
                    let name = match item {
                        SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
                        _ => match (&meta, e) {
                            (Some(m), _) => m.name.clone(),
                            (None, Expr::Function(f)) => {
                                function_name(f).unwrap_or("expr").to_ascii_lowercase()
                            }
                            _ => {
                                self.counter += 1;
                                format!("col{}", self.counter)
                            }
                        },
                    };
                    items.push(format!("{sql} AS {}", quote_ident_always(&name)));
                    let (datatype, arraysize, xtype) = kind_votable(kind);
                    let meta = if matches!(item, SelectItem::ExprWithAlias { .. }) {
                        meta.map(|m| {
                            Arc::new(Column {
                                name: name.clone(),
                                ..(*m).clone()
                            })
                        })
                    } else {
                        meta
                    };
                    columns.push(OutputColumn {
                        name,
                        meta,
                        datatype,
                        arraysize,
                        xtype,
                    });
                }
                _ => unreachable!("validated"),
            }
        }
        let distinct = match s.distinct {
            Some(Distinct::Distinct) => "DISTINCT ",
            _ => "",
        };
        let mut sql = format!(
            "SELECT {distinct}{} FROM {}",
            items.join(", "),
            from.join(", ")
        );
        if let Some(w) = &s.selection {
            sql.push_str(&format!(" WHERE {}", self.condition(w)?));
        }
        if let GroupByExpr::Expressions(group, _) = &s.group_by {
            if !group.is_empty() {
                let mut parts = Vec::new();
                for g in group {
                    parts.push(self.group_or_order_expr(g, &columns)?);
                }
                sql.push_str(&format!(" GROUP BY {}", parts.join(", ")));
            }
        }
        if let Some(h) = &s.having {
            sql.push_str(&format!(" HAVING {}", self.condition(h)?));
        }
        if let Some(order) = order {
            let OrderByKind::Expressions(list) = &order.kind else {
                unreachable!("validated")
            };
            let mut parts = Vec::new();
            for item in list {
                let direction = sort_direction(&item.options);
                parts.push(format!(
                    "{}{direction}",
                    self.group_or_order_expr(&item.expr, &columns)?
                ));
            }
            sql.push_str(&format!(" ORDER BY {}", parts.join(", ")));
        }
        if let Some(l) = limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        if let Some(o) = offset {
            sql.push_str(&format!(" OFFSET {o}"));
        }
        self.scopes.levels.pop();
        Ok((sql, columns))
    }

    /// GROUP BY / ORDER BY terms: a column number, a result alias, or an expression.
    fn group_or_order_expr(
        &mut self,
        e: &Expr,
        columns: &[OutputColumn],
    ) -> Result<String, AdqlError> {
        if let Expr::Value(v) = e {
            if let Value::Number(n, _) = &v.value {
                return Ok(n.clone());
            }
        }
        if let Expr::Identifier(i) = e {
            let in_scope = self.scopes.resolve(std::slice::from_ref(i)).is_ok();
            if !in_scope {
                if let Some(c) = output_column(columns, i) {
                    return Ok(quote_ident_always(&c.name));
                }
            }
        }
        Ok(self.expr(e)?.0)
    }

    fn table_with_joins(&mut self, t: &TableWithJoins) -> Result<String, AdqlError> {
        let mut sql = self.table_factor(&t.relation)?;
        for join in &t.joins {
            let (word, constraint) = match &join.join_operator {
                JoinOperator::Join(c) | JoinOperator::Inner(c) => ("JOIN", c),
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT OUTER JOIN", c),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT OUTER JOIN", c),
                JoinOperator::FullOuter(c) => ("FULL OUTER JOIN", c),
                _ => unreachable!("validated"),
            };
            let right = self.table_factor(&join.relation)?;
            match constraint {
                JoinConstraint::On(c) => {
                    sql = format!("{sql} {word} {right} ON {}", self.condition(c)?)
                }
                JoinConstraint::Using(names) => {
                    let level = self.scopes.levels.last().unwrap();
                    let mut columns = Vec::with_capacity(names.len());
                    for n in names {
                        let ident =
                            n.0.last()
                                .and_then(|p| p.as_ident())
                                .expect("validated: a column name");
                        let column = level.iter().find_map(|s| s.find(ident)).ok_or_else(|| {
                            AdqlError::at(
                                format!(
                                    "USING ({}): no such column in the joined tables",
                                    ident.value
                                ),
                                ident.span.start,
                            )
                        })?;
                        columns.push(column.sql());
                    }
                    sql = format!("{sql} {word} {right} USING ({})", columns.join(", "));
                }
                JoinConstraint::Natural => sql = format!("{sql} NATURAL {word} {right}"),
                JoinConstraint::None => sql = format!("{sql} {word} {right} ON TRUE"),
            }
        }
        Ok(sql)
    }

    fn table_factor(&mut self, f: &TableFactor) -> Result<String, AdqlError> {
        match f {
            TableFactor::Table { name, alias, .. } => {
                let parts: Vec<sqlparser::ast::Ident> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident().cloned())
                    .collect();
                if parts.len() == 1 {
                    let wanted = &parts[0];
                    if let Some((cte, columns)) =
                        self.ctes.iter().rev().find(|(n, _)| refers_to(wanted, n))
                    {
                        let alias_name = alias
                            .as_ref()
                            .map(|a| canonical(&a.name))
                            .unwrap_or_else(|| cte.clone());
                        let source = Source::derived(alias_name.clone(), columns.clone());
                        let sql = format!(
                            "{} AS {}",
                            quote_ident_always(cte),
                            quote_ident_always(&alias_name)
                        );
                        self.push_source(source, f)?;
                        return Ok(sql);
                    }
                }
                let table = find_table(self.catalogue, &parts)?;
                let default_alias = table.name.to_lowercase();
                let source =
                    Source::from_table(table, alias.as_ref().map(|a| &a.name), default_alias);
                let sql = format!(
                    "{} AS {}",
                    table.sql_name(),
                    quote_ident_always(&source.alias)
                );
                self.push_source(source, f)?;
                Ok(sql)
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let alias = alias
                    .as_ref()
                    .expect("validated: derived tables have a name");
                self.scopes.levels.push(Vec::new());
                let (sql, columns) = self.query(subquery, None)?;
                self.scopes.levels.pop();
                let source = Source::derived(
                    canonical(&alias.name),
                    columns
                        .iter()
                        .map(|c| SourceColumn::derived(c.name.clone(), c.meta.clone()))
                        .collect(),
                );
                let out = format!("({sql}) AS {}", quote_ident_always(&source.alias));
                self.push_source(source, f)?;
                Ok(out)
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => Ok(format!("({})", self.table_with_joins(table_with_joins)?)),
            _ => unreachable!("validated"),
        }
    }

    fn push_source(&mut self, source: Source, f: &TableFactor) -> Result<(), AdqlError> {
        let level = self.scopes.levels.last_mut().unwrap();
        if level
            .iter()
            .any(|s| s.alias.eq_ignore_ascii_case(&source.alias))
        {
            return Err(AdqlError::at(
                format!("the name {} is used twice in FROM", source.alias),
                f.span().start,
            )
            .with_hint("give one of them an alias"));
        }
        level.push(source);
        Ok(())
    }

    /// A select-list expression: geometry values come out as DALI arrays.
    fn output_expr(&mut self, e: &Expr) -> Result<(String, Kind, Option<Arc<Column>>), AdqlError> {
        if let Expr::Identifier(_) | Expr::CompoundIdentifier(_) = e {
            let parts = match e {
                Expr::Identifier(i) => vec![i.clone()],
                Expr::CompoundIdentifier(p) => p.clone(),
                _ => unreachable!(),
            };
            let resolved = self.scopes.resolve(&parts)?;
            let kind = resolved.column.kind;
            // a geometry column (an uploaded point, circle or polygon) comes out as a DALI
            // array too; s_region (a Region) stays ALMA's STC-S text
            let sql = match kind {
                Kind::Point | Kind::Circle | Kind::Polygon | Kind::Box => {
                    pg::as_output(&resolved.sql, kind)
                }
                _ => resolved.sql,
            };
            return Ok((sql, kind, resolved.column.meta().cloned()));
        }
        let (sql, kind) = self.expr(e)?;
        Ok((pg::as_output(&sql, kind), kind, None))
    }

    /// A search condition.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<String, AdqlError> {
        Ok(match e {
            Expr::BinaryOp {
                left,
                op: op @ (BinaryOperator::And | BinaryOperator::Or),
                right,
            } => {
                format!(
                    "({} {} {})",
                    self.condition(left)?,
                    if *op == BinaryOperator::And {
                        "AND"
                    } else {
                        "OR"
                    },
                    self.condition(right)?
                )
            }
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => format!("(NOT {})", self.condition(expr)?),
            Expr::Nested(inner) => self.condition(inner)?,
            Expr::BinaryOp { left, op, right }
                if matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq)
                    && (is_predicate_call(left) || is_predicate_call(right)) =>
            {
                let (call, other) = if is_predicate_call(left) {
                    (left, right)
                } else {
                    (right, left)
                };
                match literal_number(other) {
                    Some(v) if v == 1.0 || v == 0.0 => {
                        let predicate = self.geometry_predicate(call)?;
                        let truth = (v == 1.0) == (*op == BinaryOperator::Eq);
                        if truth {
                            predicate
                        } else {
                            format!("(NOT {predicate})")
                        }
                    }
                    _ => self.comparison(left, op, right)?,
                }
            }
            Expr::BinaryOp { left, op, right } => self.comparison(left, op, right)?,
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let (x, xk) = self.expr(expr)?;
                let lo = self.typed_as(low, xk)?;
                let hi = self.typed_as(high, xk)?;
                format!(
                    "({x} {}BETWEEN {lo} AND {hi})",
                    if *negated { "NOT " } else { "" }
                )
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let (x, xk) = self.expr(expr)?;
                let mut items = Vec::new();
                for item in list {
                    items.push(self.typed_as(item, xk)?);
                }
                format!(
                    "({x} {}IN ({}))",
                    if *negated { "NOT " } else { "" },
                    items.join(", ")
                )
            }
            Expr::InSubquery {
                expr,
                subquery,
                negated,
            } => {
                let (x, _) = self.expr(expr)?;
                let (sql, columns) = self.subquery(subquery)?;
                if columns.len() != 1 {
                    return Err(AdqlError::at(
                        "the subquery after IN must return one column",
                        subquery.span().start,
                    ));
                }
                format!("({x} {}IN ({sql}))", if *negated { "NOT " } else { "" })
            }
            Expr::Like {
                negated,
                expr,
                pattern,
                ..
            }
            | Expr::ILike {
                negated,
                expr,
                pattern,
                ..
            } => {
                let word = if matches!(e, Expr::ILike { .. }) {
                    "ILIKE"
                } else {
                    "LIKE"
                };
                let (x, xk) = self.expr(expr)?;
                let (p, _) = self.expr(pattern)?;
                let x = if xk == Kind::Text || xk == Kind::Region {
                    x
                } else {
                    format!("CAST({x} AS text)")
                };
                format!("({x} {}{word} {p})", if *negated { "NOT " } else { "" })
            }
            Expr::IsNull(inner) => format!("({} IS NULL)", self.expr(inner)?.0),
            Expr::IsNotNull(inner) => format!("({} IS NOT NULL)", self.expr(inner)?.0),
            Expr::Exists { subquery, negated } => {
                let (sql, _) = self.subquery(subquery)?;
                format!("({}EXISTS ({sql}))", if *negated { "NOT " } else { "" })
            }
            _ => unreachable!("validated: a condition"),
        })
    }

    fn subquery(&mut self, q: &Query) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        self.query(q, None)
    }

    /// `a op b`, with ALMA's string columns compared to numbers (band_list = 3) done as text.
    fn comparison(
        &mut self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
    ) -> Result<String, AdqlError> {
        let (l, lk) = self.expr(left)?;
        let (r, rk) = self.expr(right)?;
        let r = if lk == Kind::Text && literal_number(right).is_some() {
            string_literal(&number_text(right))
        } else {
            r
        };
        let l = if rk == Kind::Text && lk == Kind::Number && literal_number(left).is_some() {
            string_literal(&number_text(left))
        } else {
            l
        };
        if lk.is_geometry() || rk.is_geometry() {
            return Err(AdqlError::at(
                "geometries cannot be compared with =, <, >",
                left.span().start,
            )
            .with_hint("use CONTAINS or INTERSECTS"));
        }
        let symbol = match op {
            BinaryOperator::Eq => "=",
            BinaryOperator::NotEq => "<>",
            BinaryOperator::Lt => "<",
            BinaryOperator::Gt => ">",
            BinaryOperator::LtEq => "<=",
            BinaryOperator::GtEq => ">=",
            _ => unreachable!("validated: a comparison"),
        };
        Ok(format!("({l} {symbol} {r})"))
    }

    /// An expression to be compared with a value of kind `target`: a number literal
    /// compared with text becomes a string literal.
    fn typed_as(&mut self, e: &Expr, target: Kind) -> Result<String, AdqlError> {
        if target == Kind::Text && literal_number(e).is_some() {
            return Ok(string_literal(&number_text(e)));
        }
        Ok(self.expr(e)?.0)
    }

    /// A value expression: its SQL and kind.
    pub(crate) fn expr(&mut self, e: &Expr) -> Result<(String, Kind), AdqlError> {
        Ok(match e {
            Expr::Identifier(i) => {
                let r = self.scopes.resolve(std::slice::from_ref(i))?;
                (r.sql, r.column.kind)
            }
            Expr::CompoundIdentifier(parts) => {
                let r = self.scopes.resolve(parts)?;
                (r.sql, r.column.kind)
            }
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => (n.clone(), Kind::Number),
                Value::SingleQuotedString(s) => (string_literal(s), Kind::Text),
                Value::Null => ("NULL".into(), Kind::Null),
                _ => unreachable!("validated literal"),
            },
            Expr::Nested(inner) => {
                let (sql, kind) = self.expr(inner)?;
                (format!("({sql})"), kind)
            }
            Expr::UnaryOp { op, expr } => {
                let (sql, kind) = self.expr(expr)?;
                arithmetic_operand(expr, kind)?;
                (
                    format!(
                        "{}{sql}",
                        if *op == UnaryOperator::Minus {
                            "-"
                        } else {
                            "+"
                        }
                    ),
                    Kind::Number,
                )
            }
            Expr::BinaryOp { left, op, right } => {
                let (l, lk) = self.expr(left)?;
                let (r, rk) = self.expr(right)?;
                if *op != BinaryOperator::StringConcat {
                    arithmetic_operand(left, lk)?;
                    arithmetic_operand(right, rk)?;
                }
                match op {
                    BinaryOperator::StringConcat => {
                        let text = |s: String, k: Kind| {
                            if k == Kind::Text {
                                s
                            } else {
                                format!("CAST({s} AS text)")
                            }
                        };
                        (format!("({} || {})", text(l, lk), text(r, rk)), Kind::Text)
                    }
                    BinaryOperator::Divide => (
                        format!("({l} / CAST({r} AS double precision))"),
                        Kind::Number,
                    ),
                    _ => (format!("({l} {op} {r})"), Kind::Number),
                }
            }
            Expr::Floor { expr, .. } => (format!("floor({})", self.expr(expr)?.0), Kind::Number),
            Expr::Ceil { expr, .. } => (format!("ceiling({})", self.expr(expr)?.0), Kind::Number),
            Expr::Cast {
                expr,
                data_type,
                kind: CastKind::Cast,
                ..
            } => {
                let (sql, value_kind) = self.expr(expr)?;
                let (target, kind) = match data_type {
                    DataType::Char(n) => (
                        format!(
                            "char{}",
                            n.as_ref().map(|l| format!("({l})")).unwrap_or_default()
                        ),
                        Kind::Text,
                    ),
                    DataType::Varchar(n) => (
                        format!(
                            "varchar{}",
                            n.as_ref().map(|l| format!("({l})")).unwrap_or_default()
                        ),
                        Kind::Text,
                    ),
                    DataType::SmallInt(_) => ("smallint".into(), Kind::Number),
                    DataType::Integer(_) => ("integer".into(), Kind::Number),
                    DataType::BigInt(_) => ("bigint".into(), Kind::Number),
                    DataType::Real => ("real".into(), Kind::Number),
                    DataType::DoublePrecision => ("double precision".into(), Kind::Number),
                    DataType::Timestamp(..) => ("timestamp".into(), Kind::Timestamp),
                    DataType::Custom(name, _) => {
                        let target = name.to_string().to_ascii_uppercase();
                        if value_kind != Kind::Text {
                            return Err(AdqlError::at(
                                format!("only a string can be CAST to {target}"),
                                expr.span().start,
                            )
                            .with_hint(
                                "write the geometry in DALI form, e.g. CAST('12.3 45.6' AS POINT)",
                            ));
                        }
                        return self.geometry_cast(expr, &sql, &target);
                    }
                    other => {
                        return Err(AdqlError::at(
                            format!("CAST to {other} is not supported by this service"),
                            e.span().start,
                        ))
                    }
                };
                (format!("CAST({sql} AS {target})"), kind)
            }
            Expr::Function(f) => self.function(e, f)?,
            _ => unreachable!("validated: a value"),
        })
    }

    pub(crate) fn args(&mut self, f: &sqlparser::ast::Function) -> Vec<Expr> {
        match &f.args {
            FunctionArguments::List(list) => list
                .args
                .iter()
                .filter_map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn function(
        &mut self,
        e: &Expr,
        f: &sqlparser::ast::Function,
    ) -> Result<(String, Kind), AdqlError> {
        let name = function_name(f).unwrap_or_default().to_ascii_uppercase();
        let args = self.args(f);
        let distinct = matches!(&f.args, FunctionArguments::List(l) if l.duplicate_treatment == Some(sqlparser::ast::DuplicateTreatment::Distinct));
        let mut sql_args = Vec::new();
        let numeric_only =
            |name: &str| crate::functions::MATH_FUNCTIONS.iter().any(|m| m.0 == name);
        if crate::functions::AGGREGATES.contains(&name.as_str()) {
            if args.is_empty() {
                return Ok(("count(*)".into(), Kind::Number));
            }
            let (a, k) = self.expr(&args[0])?;
            let kind = if matches!(name.as_str(), "MAX" | "MIN") {
                k
            } else {
                Kind::Number
            };
            return Ok((
                format!(
                    "{}({}{a})",
                    name.to_lowercase(),
                    if distinct { "DISTINCT " } else { "" }
                ),
                kind,
            ));
        }
        if numeric_only(&name) {
            for a in &args {
                let (s, k) = self.expr(a)?;
                sql_args.push(if k == Kind::Text {
                    format!("CAST({s} AS double precision)")
                } else {
                    s
                });
            }
            let sql = match name.as_str() {
                "LOG" => format!("ln({})", sql_args[0]),
                "LOG10" => format!("log({})", sql_args[0]),
                "PI" => "pi()".into(),
                "RAND" => "random()".into(),
                "TRUNCATE" => format!(
                    "CAST(trunc(CAST({} AS numeric), {}) AS double precision)",
                    sql_args[0],
                    sql_args.get(1).cloned().unwrap_or("0".into())
                ),
                "ROUND" => format!(
                    "CAST(round(CAST({} AS numeric), {}) AS double precision)",
                    sql_args[0],
                    sql_args.get(1).cloned().unwrap_or("0".into())
                ),
                "MOD" => format!(
                    "mod(CAST({} AS numeric), CAST({} AS numeric))",
                    sql_args[0], sql_args[1]
                ),
                other => format!("{}({})", other.to_lowercase(), sql_args.join(", ")),
            };
            return Ok((sql, Kind::Number));
        }
        match name.as_str() {
            "LOWER" | "UPPER" => {
                let (a, _) = self.expr(&args[0])?;
                Ok((format!("{}({a})", name.to_lowercase()), Kind::Text))
            }
            "COALESCE" => {
                let mut kind = Kind::Null;
                for a in &args {
                    let (s, k) = self.expr(a)?;
                    if kind == Kind::Null {
                        kind = k;
                    }
                    sql_args.push(s);
                }
                Ok((format!("coalesce({})", sql_args.join(", ")), kind))
            }
            "IN_UNIT" => {
                let unit = match &args[1] {
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(u) => u.clone(),
                        _ => unreachable!("validated"),
                    },
                    _ => unreachable!("validated"),
                };
                let from = match &args[0] {
                    Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                        let parts = match &args[0] {
                            Expr::Identifier(i) => vec![i.clone()],
                            Expr::CompoundIdentifier(p) => p.clone(),
                            _ => unreachable!(),
                        };
                        self.scopes
                            .resolve(&parts)?
                            .column
                            .meta()
                            .and_then(|m| m.unit.clone())
                    }
                    _ => None,
                };
                let Some(from) = from else {
                    return Err(AdqlError::at(
                        "IN_UNIT needs a column with a declared unit as its first argument",
                        args[0].span().start,
                    ));
                };
                let factor = crate::units::conversion(&from, &unit)
                    .map_err(|m| AdqlError::at(m, args[1].span().start))?;
                let (value, _) = self.expr(&args[0])?;
                Ok((format!("({value} * {factor:?})"), Kind::Number))
            }
            g if crate::functions::GEOMETRY_FUNCTIONS.contains(&g) || g == "RANGE_S2D" => {
                self.geometry_function(e, g, &args)
            }
            _ => Err(AdqlError::at(
                format!("{name} is not a function of this service"),
                e.span().start,
            )
            .with_hint(
                match vo_catalogue::nearest(
                    &name,
                    crate::functions::MATH_FUNCTIONS
                        .iter()
                        .map(|m| m.0)
                        .chain(crate::functions::GEOMETRY_FUNCTIONS.iter().copied())
                        .chain(["LOWER", "UPPER", "COALESCE", "IN_UNIT", "RANGE_S2D"]),
                ) {
                    Some(n) => format!("did you mean {n}?"),
                    None => "see the service's capabilities for its functions".into(),
                },
            )),
        }
    }

    /// The source an expression's column comes from, when it is a plain column of ObsCore.
    pub(crate) fn obscore_column(&self, e: &Expr) -> Option<(String, String)> {
        let parts = match e {
            Expr::Identifier(i) => vec![i.clone()],
            Expr::CompoundIdentifier(p) => p.clone(),
            _ => return None,
        };
        let resolved = self.scopes.resolve(&parts).ok()?;
        Some((resolved.obscore_alias?, resolved.column.name().to_string()))
    }
}

/// The result column an identifier names (ORDER BY / GROUP BY by output name).
fn output_column<'a>(
    columns: &'a [OutputColumn],
    i: &sqlparser::ast::Ident,
) -> Option<&'a OutputColumn> {
    columns.iter().find(|c| {
        if i.quote_style.is_some() {
            c.name == i.value
        } else {
            c.name.eq_ignore_ascii_case(&i.value)
        }
    })
}

fn sort_direction(options: &sqlparser::ast::OrderByOptions) -> &'static str {
    match options.sort {
        Some(sqlparser::ast::OrderBySort::Desc) => " DESC",
        Some(sqlparser::ast::OrderBySort::Asc) => " ASC",
        _ => "",
    }
}

/// A number written in the query (`5`, `-0.5`), if the expression is one.

fn number_text(e: &Expr) -> String {
    match e {
        Expr::Value(v) => v.value.to_string(),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => format!("-{}", number_text(expr)),
        Expr::Nested(inner) => number_text(inner),
        _ => String::new(),
    }
}

/// Arithmetic takes numbers: a string, timestamp or geometry operand is an error.
fn arithmetic_operand(e: &Expr, kind: Kind) -> Result<(), AdqlError> {
    let what = match kind {
        Kind::Number | Kind::Null => return Ok(()),
        Kind::Text => "a string",
        Kind::Timestamp => "a timestamp",
        _ => "a geometry",
    };
    Err(AdqlError::at(
        format!("arithmetic needs numbers, not {what}"),
        e.span().start,
    )
    .with_hint(match kind {
        Kind::Text => "CAST it AS DOUBLE PRECISION if it holds numbers",
        Kind::Timestamp => {
            "compare timestamps, or use the MJD columns (t_min, t_max) for arithmetic"
        }
        _ => "use COORD1/COORD2, AREA or DISTANCE to get numbers from a geometry",
    }))
}
