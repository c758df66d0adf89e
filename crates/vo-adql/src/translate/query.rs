//! A query: WITH, set operations, ORDER BY, OFFSET and TOP; the rules that apply to the top
//! query only.

use super::rules::*;
use super::select::{output_column, sort_direction, OutputColumn};
use super::translator::{Relation, Translator};

use crate::error::AdqlError;
use crate::scope::{canonical, quote_ident_always, Kind, Source, SourceColumn};
use crate::syntax::{identifier, is_unsigned_integer};
use sqlparser::ast::{
    Expr, LimitClause, OrderBy, OrderByExpr, OrderByKind, Query, SetExpr, SetOperator,
    SetQuantifier, Spanned, Value,
};

impl<'c> Translator<'c> {
    /// The whole query, the only place a WITH clause may stand, with the row limit the
    /// caller's TOP and MAXREC give.
    pub(crate) fn top_query(
        &mut self,
        q: &Query,
        limit: Option<u64>,
    ) -> Result<Relation, AdqlError> {
        self.query_with(q, limit, true)
    }

    /// A nested query (subquery, derived table, WITH body, set operand), with its own TOP.
    pub(super) fn query(&mut self, q: &Query) -> Result<Relation, AdqlError> {
        // a subquery's conditions are its own (whatever AND or NOT it sits in)
        let context = self.condition_context.take();
        let relation = self.query_with(q, super::top(q), false);
        self.condition_context = context;
        relation
    }

    fn query_with(
        &mut self,
        q: &Query,
        limit: Option<u64>,
        top: bool,
    ) -> Result<Relation, AdqlError> {
        // where the query begins, for an error (the span is a walk over the whole query)
        let at = || q.span().start;
        if q.with.is_some() && !top {
            return refuse_at(at(), "WITH may only begin the whole query in ADQL")
                .map_err(|e| e.with_hint("move it to the front"));
        }
        if q.fetch.is_some() {
            return refuse_at(at(), "FETCH is not ADQL")
                .map_err(|e| e.with_hint("use SELECT TOP n"));
        }
        if !q.locks.is_empty()
            || q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return refuse_at(at(), "this clause is not ADQL");
        }
        let mut sql = String::new();
        let outer_ctes = self.ctes.len();
        if let Some(with) = &q.with {
            if with.recursive {
                return refuse_at(at(), "WITH RECURSIVE is not ADQL");
            }
            let mut parts = Vec::new();
            for cte in &with.cte_tables {
                if cte.from.is_some() || cte.materialized.is_some() {
                    return refuse_at(cte.alias.name.span.start, "this form of WITH is not ADQL");
                }
                if !cte.alias.columns.is_empty() {
                    return refuse_at(
                        cte.alias.name.span.start,
                        "WITH names take no column list in ADQL",
                    );
                }
                identifier(&cte.alias.name)?;
                self.scopes.levels.push(Vec::new());
                let body = self.query(&cte.query);
                self.scopes.levels.pop();
                let body = body?;
                let name = canonical(&cte.alias.name);
                parts.push(format!("{} AS ({})", quote_ident_always(&name), body.sql));
                self.ctes
                    .push((name, source_columns(&body.columns), body.open));
            }
            sql.push_str(&format!("WITH {} ", parts.join(", ")));
        }
        let offset = match &q.limit_clause {
            Some(LimitClause::LimitOffset {
                offset: Some(o), ..
            }) => Some(o.value.to_string()),
            _ => None,
        };
        let body = match &*q.body {
            SetExpr::Select(s) => self.select(
                s,
                q.order_by.as_ref().map(|o| (o, q)),
                limit,
                offset.as_deref(),
            ),
            other => self.set_expression(other).and_then(|mut relation| {
                if let Some(order) = &q.order_by {
                    let order = self.order_by_output(order, q, &relation)?;
                    relation.sql.push_str(&order);
                }
                if let Some(l) = limit {
                    relation.sql.push_str(&format!(" LIMIT {l}"));
                }
                if let Some(o) = &offset {
                    relation.sql.push_str(&format!(" OFFSET {o}"));
                }
                Ok(relation)
            }),
        };
        self.ctes.truncate(outer_ctes);
        let mut body = body?;
        limit_clause(q)?;
        if !sql.is_empty() {
            sql.push_str(&body.sql);
            body.sql = sql;
        }
        Ok(body)
    }

    pub(super) fn set_expression(&mut self, body: &SetExpr) -> Result<Relation, AdqlError> {
        match body {
            // an operand's TOP is its own: LIMIT inside parentheses
            SetExpr::Select(s) => match super::select_top(s) {
                Some(n) => {
                    let mut relation = self.select(s, None, Some(n), None)?;
                    relation.sql = format!("({})", relation.sql);
                    Ok(relation)
                }
                None => self.select(s, None, None, None),
            },
            SetExpr::Query(q) => {
                let mut relation = self.query(q)?;
                relation.sql = format!("({})", relation.sql);
                Ok(relation)
            }
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
                    return refuse_at(body.span().start, format!("{op} is not ADQL"));
                }
                if !matches!(set_quantifier, SetQuantifier::None | SetQuantifier::All) {
                    return refuse_at(
                        body.span().start,
                        format!("{op} {set_quantifier} is not ADQL"),
                    );
                }
                let l = self.set_expression(left)?;
                let r = self.set_expression(right)?;
                if l.columns.len() != r.columns.len() && !l.open && !r.open {
                    self.record(AdqlError::at(
                        format!(
                            "the two sides of {op} have {} and {} columns",
                            l.columns.len(),
                            r.columns.len()
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
                // numbers of different kinds on the two sides come out as PostgreSQL
                // unites them: integers in the wider width, else doubles
                let mut columns = l.columns;
                for (left, right) in columns.iter_mut().zip(&r.columns) {
                    if left.kind != right.kind && left.kind.is_number() && right.kind.is_number() {
                        left.set_kind(left.kind.wider(right.kind));
                    }
                }
                Ok(Relation {
                    sql: format!("({}) {word}{all} ({})", l.sql, r.sql),
                    columns,
                    open: l.open || r.open,
                })
            }
            SetExpr::Values(_) => refuse_at(body.span().start, "VALUES is not ADQL"),
            _ => refuse_at(body.span().start, "only SELECT queries are ADQL"),
        }
    }

    /// ORDER BY after a set operation: result column names or numbers.
    fn order_by_output(
        &mut self,
        order: &OrderBy,
        q: &Query,
        relation: &Relation,
    ) -> Result<String, AdqlError> {
        let mut parts = Vec::new();
        for item in order_items(order, q)? {
            let direction = sort_direction(&item.options);
            let target = match &item.expr {
                Expr::Value(v) if matches!(v.value, Value::Number(_, _)) => v.value.to_string(),
                Expr::Identifier(i) => {
                    identifier(i)?;
                    match output_column(&relation.columns, i) {
                        Some(c) => quote_ident_always(c.name()),
                        None if relation.open => quote_ident_always(&i.value),
                        None => {
                            self.record(AdqlError::at(format!("ORDER BY {i}: after UNION/EXCEPT/INTERSECT only result columns can be sorted on"), i.span.start));
                            String::new()
                        }
                    }
                }
                other => {
                    // the grammar's rules apply to the expression before the service's own
                    self.scopes.levels.push(vec![Source::open(&[], None)]);
                    let value = self.expr(other);
                    self.scopes.levels.pop();
                    value?;
                    self.record(AdqlError::at("after UNION/EXCEPT/INTERSECT, ORDER BY takes result column names or numbers", other.span().start));
                    String::new()
                }
            };
            parts.push(format!("{target}{direction}"));
        }
        Ok(format!(" ORDER BY {}", parts.join(", ")))
    }
}

/// The result columns of a WITH query or subquery as the columns of a source: a catalogue
/// column keeps its kind; a computed one is read as a number (a computed geometry leaves a
/// subquery as a DALI array, not as a pgSphere value), unless the walk does not know it.
pub(super) fn source_columns(columns: &[OutputColumn]) -> Vec<SourceColumn> {
    columns
        .iter()
        .map(|c| {
            let kind = match (&c.meta, c.kind) {
                (Some(meta), _) => Kind::of_column(meta),
                (None, Kind::Unknown) => Kind::Unknown,
                (None, Kind::Integer(width)) => Kind::Integer(width),
                (None, _) => Kind::Number,
            };
            SourceColumn::derived(c.name().to_string(), c.meta.clone(), kind)
        })
        .collect()
}

/// The items of an ORDER BY, once its form is ADQL's.
/// (`q` is the query it orders, whose beginning an error points to.)
pub(super) fn order_items<'q>(
    order: &'q OrderBy,
    q: &Query,
) -> Result<&'q [OrderByExpr], AdqlError> {
    if order.interpolate.is_some() {
        return refuse_at(q.span().start, "INTERPOLATE is not ADQL");
    }
    match &order.kind {
        OrderByKind::All(_) => refuse_at(q.span().start, "ORDER BY ALL is not ADQL"),
        OrderByKind::Expressions(items) => {
            for item in items {
                if item.options.nulls_first.is_some() || item.with_fill.is_some() {
                    return refuse_at(item.expr.span().start, "NULLS FIRST/LAST is not ADQL");
                }
            }
            Ok(items)
        }
    }
}

/// LIMIT and OFFSET: ADQL has TOP, and OFFSET with an unsigned integer.
fn limit_clause(q: &Query) -> Result<(), AdqlError> {
    let at = || q.span().start;
    match &q.limit_clause {
        None => Ok(()),
        Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) => {
            if let Some(limit) = limit {
                return refuse_at(limit.span().start, "LIMIT is not ADQL")
                    .map_err(|e| e.with_hint("use SELECT TOP n"));
            }
            if !limit_by.is_empty() {
                return refuse_at(at(), "LIMIT BY is not ADQL");
            }
            if let Some(offset) = offset {
                if offset.rows != sqlparser::ast::OffsetRows::None
                    || !is_unsigned_integer(&offset.value)
                {
                    return refuse_at(
                        offset.value.span().start,
                        "OFFSET takes an unsigned integer",
                    );
                }
            }
            Ok(())
        }
        Some(LimitClause::OffsetCommaLimit { .. }) => {
            refuse_at(at(), "LIMIT is not ADQL").map_err(|e| e.with_hint("use SELECT TOP n"))
        }
    }
}
