//! Queries, SELECT, FROM and joins: only ADQL's shapes get through.

use crate::error::AdqlError;
use crate::syntax::{identifier, is_unsigned_integer};
use sqlparser::ast::{
    Distinct, GroupByExpr, JoinConstraint, JoinOperator, LimitClause, ObjectName, OrderByKind,
    Query, Select, SelectFlavor, SelectItem, SelectItemQualifiedWildcardKind, SetExpr, SetOperator,
    SetQuantifier, Spanned, TableAlias, TableFactor, TableWithJoins, TopQuantity,
    WildcardAdditionalOptions,
};
use sqlparser::tokenizer::Location;

#[derive(Debug, Default)]
pub(crate) struct Validator {
    /// User-defined functions the query calls (name, position), for the catalogue to check.
    pub user_functions: Vec<(String, Location)>,
}

fn refuse<T>(at: Location, message: impl Into<String>) -> Result<T, AdqlError> {
    Err(AdqlError::at(message, at))
}

fn object_name(name: &ObjectName, max_parts: usize, what: &str) -> Result<(), AdqlError> {
    if name.0.len() > max_parts {
        return refuse(
            name.span().start,
            format!("a {what} name has at most {max_parts} parts"),
        );
    }
    for part in &name.0 {
        match part.as_ident() {
            Some(ident) => identifier(ident)?,
            None => return refuse(name.span().start, format!("this {what} name is not ADQL")),
        }
    }
    Ok(())
}

fn alias(a: &TableAlias) -> Result<(), AdqlError> {
    if !a.columns.is_empty() || a.at.is_some() {
        return refuse(
            a.name.span.start,
            "column lists after a table alias are not ADQL",
        );
    }
    identifier(&a.name)
}

fn plain_wildcard(options: &WildcardAdditionalOptions) -> bool {
    options.opt_ilike.is_none()
        && options.opt_exclude.is_none()
        && options.opt_except.is_none()
        && options.opt_replace.is_none()
        && options.opt_rename.is_none()
}

impl Validator {
    /// The whole query: the only place a WITH clause may stand.
    pub(crate) fn top_query(&mut self, q: &Query) -> Result<(), AdqlError> {
        self.query_with(q, true)
    }

    /// A nested query (subquery, derived table, WITH body, set operand).
    pub(crate) fn query(&mut self, q: &Query) -> Result<(), AdqlError> {
        self.query_with(q, false)
    }

    fn query_with(&mut self, q: &Query, top: bool) -> Result<(), AdqlError> {
        let at = q.span().start;
        if q.with.is_some() && !top {
            return refuse(at, "WITH may only begin the whole query in ADQL")
                .map_err(|e| e.with_hint("move it to the front"));
        }
        if q.fetch.is_some() {
            return refuse(at, "FETCH is not ADQL").map_err(|e| e.with_hint("use SELECT TOP n"));
        }
        if !q.locks.is_empty()
            || q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return refuse(at, "this clause is not ADQL");
        }
        if let Some(with) = &q.with {
            if with.recursive {
                return refuse(at, "WITH RECURSIVE is not ADQL");
            }
            for cte in &with.cte_tables {
                if cte.from.is_some() || cte.materialized.is_some() {
                    return refuse(cte.alias.name.span.start, "this form of WITH is not ADQL");
                }
                if !cte.alias.columns.is_empty() {
                    return refuse(
                        cte.alias.name.span.start,
                        "WITH names take no column list in ADQL",
                    );
                }
                identifier(&cte.alias.name)?;
                self.query(&cte.query)?;
            }
        }
        self.set_expression(&q.body)?;
        if let Some(order) = &q.order_by {
            if order.interpolate.is_some() {
                return refuse(at, "INTERPOLATE is not ADQL");
            }
            match &order.kind {
                OrderByKind::All(_) => return refuse(at, "ORDER BY ALL is not ADQL"),
                OrderByKind::Expressions(items) => {
                    for item in items {
                        if item.options.nulls_first.is_some() || item.with_fill.is_some() {
                            return refuse(item.expr.span().start, "NULLS FIRST/LAST is not ADQL");
                        }
                        if !is_unsigned_integer(&item.expr) {
                            self.value(&item.expr)?;
                        }
                    }
                }
            }
        }
        match &q.limit_clause {
            None => {}
            Some(LimitClause::LimitOffset {
                limit,
                offset,
                limit_by,
            }) => {
                if let Some(limit) = limit {
                    return refuse(limit.span().start, "LIMIT is not ADQL")
                        .map_err(|e| e.with_hint("use SELECT TOP n"));
                }
                if !limit_by.is_empty() {
                    return refuse(at, "LIMIT BY is not ADQL");
                }
                if let Some(offset) = offset {
                    if offset.rows != sqlparser::ast::OffsetRows::None
                        || !is_unsigned_integer(&offset.value)
                    {
                        return refuse(
                            offset.value.span().start,
                            "OFFSET takes an unsigned integer",
                        );
                    }
                }
            }
            Some(LimitClause::OffsetCommaLimit { .. }) => {
                return refuse(at, "LIMIT is not ADQL").map_err(|e| e.with_hint("use SELECT TOP n"))
            }
        }
        Ok(())
    }

    fn set_expression(&mut self, body: &SetExpr) -> Result<(), AdqlError> {
        match body {
            SetExpr::Select(select) => self.select(select),
            SetExpr::Query(q) => self.query(q),
            SetExpr::SetOperation {
                op,
                set_quantifier,
                left,
                right,
            } => {
                if !matches!(
                    op,
                    SetOperator::Union | SetOperator::Except | SetOperator::Intersect
                ) {
                    return refuse(body.span().start, format!("{op} is not ADQL"));
                }
                if !matches!(set_quantifier, SetQuantifier::None | SetQuantifier::All) {
                    return refuse(
                        body.span().start,
                        format!("{op} {set_quantifier} is not ADQL"),
                    );
                }
                self.set_expression(left)?;
                self.set_expression(right)
            }
            SetExpr::Values(_) => refuse(body.span().start, "VALUES is not ADQL"),
            _ => refuse(body.span().start, "only SELECT queries are ADQL"),
        }
    }

    fn select(&mut self, s: &Select) -> Result<(), AdqlError> {
        let at = s.select_token.0.span.start;
        if !s.optimizer_hints.is_empty()
            || s.select_modifiers.is_some()
            || s.exclude.is_some()
            || !s.lateral_views.is_empty()
            || s.prewhere.is_some()
            || !s.connect_by.is_empty()
            || !s.cluster_by.is_empty()
            || !s.distribute_by.is_empty()
            || !s.sort_by.is_empty()
            || !s.named_window.is_empty()
            || s.qualify.is_some()
            || s.value_table_mode.is_some()
            || s.flavor != SelectFlavor::Standard
        {
            return refuse(at, "this SELECT form is not ADQL");
        }
        if s.into.is_some() {
            return refuse(at, "SELECT INTO is not ADQL");
        }
        if let Some(Distinct::On(_)) = &s.distinct {
            return refuse(at, "DISTINCT ON is not ADQL");
        }
        if let Some(top) = &s.top {
            if top.with_ties || top.percent {
                return refuse(at, "TOP takes only a number of rows in ADQL");
            }
            match &top.quantity {
                Some(TopQuantity::Constant(_)) => {}
                Some(TopQuantity::Expr(e)) if is_unsigned_integer(e) => {}
                _ => return refuse(at, "TOP takes an unsigned integer"),
            }
            if s.distinct.is_some() && s.top_before_distinct {
                return refuse(at, "DISTINCT comes before TOP in ADQL")
                    .map_err(|e| e.with_hint("SELECT DISTINCT TOP 10 …"));
            }
        }
        for item in &s.projection {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    self.value(e)?;
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    self.value(expr)?;
                    identifier(alias)?;
                }
                SelectItem::Wildcard(options) if plain_wildcard(options) => {}
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(name),
                    options,
                ) if plain_wildcard(options) => {
                    object_name(name, 3, "table")?;
                }
                _ => return refuse(at, "this select-list item is not ADQL"),
            }
        }
        if s.from.is_empty() {
            return refuse(at, "ADQL needs a FROM clause")
                .map_err(|e| e.with_hint("SELECT … FROM table"));
        }
        for table in &s.from {
            self.table_with_joins(table)?;
        }
        if let Some(condition) = &s.selection {
            self.condition(condition)?;
        }
        match &s.group_by {
            GroupByExpr::Expressions(items, modifiers) => {
                if !modifiers.is_empty() {
                    return refuse(at, "GROUP BY modifiers are not ADQL");
                }
                for item in items {
                    self.value(item)?;
                }
            }
            GroupByExpr::All(_) => return refuse(at, "GROUP BY ALL is not ADQL"),
        }
        if let Some(having) = &s.having {
            self.condition(having)?;
        }
        Ok(())
    }

    fn table_with_joins(&mut self, t: &TableWithJoins) -> Result<(), AdqlError> {
        self.table_factor(&t.relation)?;
        for join in &t.joins {
            if join.global {
                return refuse(join.relation.span().start, "GLOBAL JOIN is not ADQL");
            }
            let constraint = match &join.join_operator {
                JoinOperator::Join(c)
                | JoinOperator::Inner(c)
                | JoinOperator::Left(c)
                | JoinOperator::LeftOuter(c)
                | JoinOperator::Right(c)
                | JoinOperator::RightOuter(c)
                | JoinOperator::FullOuter(c) => c,
                JoinOperator::CrossJoin(_) => {
                    return refuse(join.relation.span().start, "CROSS JOIN is not ADQL")
                        .map_err(|e| e.with_hint("list the tables with commas: FROM a, b"))
                }
                _ => return refuse(join.relation.span().start, "this kind of join is not ADQL"),
            };
            self.table_factor(&join.relation)?;
            match constraint {
                JoinConstraint::On(condition) => self.condition(condition)?,
                JoinConstraint::Using(columns) => {
                    for c in columns {
                        object_name(c, 1, "column")?;
                    }
                }
                JoinConstraint::Natural | JoinConstraint::None => {}
            }
        }
        Ok(())
    }

    fn table_factor(&mut self, f: &TableFactor) -> Result<(), AdqlError> {
        let at = f.span().start;
        match f {
            TableFactor::Table {
                name,
                alias: a,
                args,
                with_hints,
                version,
                with_ordinality,
                partitions,
                json_path,
                sample,
                index_hints,
            } => {
                if args.is_some()
                    || !with_hints.is_empty()
                    || version.is_some()
                    || *with_ordinality
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || sample.is_some()
                    || !index_hints.is_empty()
                {
                    return refuse(at, "this table reference is not ADQL");
                }
                object_name(name, 3, "table")?;
                if let Some(a) = a {
                    alias(a)?;
                }
                Ok(())
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias: a,
                sample,
            } => {
                if *lateral || sample.is_some() {
                    return refuse(at, "LATERAL is not ADQL");
                }
                let Some(a) = a else {
                    return refuse(at, "a subquery in FROM needs a name")
                        .map_err(|e| e.with_hint("(SELECT …) AS sub"));
                };
                alias(a)?;
                self.query(subquery)
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias: a,
            } => {
                if a.is_some() {
                    return refuse(at, "a parenthesised join cannot be renamed in ADQL");
                }
                self.table_with_joins(table_with_joins)
            }
            _ => refuse(at, "this table reference is not ADQL"),
        }
    }
}
