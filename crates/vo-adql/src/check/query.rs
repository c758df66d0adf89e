//! A query: WITH, set operations, ORDER BY, OFFSET; the checks that apply to the top query only.

use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use crate::syntax::{identifier, is_unsigned_integer};
use sqlparser::ast::{
    LimitClause, OrderByKind, Query, SetExpr, SetOperator, SetQuantifier, Spanned,
};

impl Validator {
    /// The whole query: the only place a WITH clause may stand.
    pub(crate) fn top_query(&mut self, q: &Query) -> Result<(), AdqlError> {
        self.query_with(q, true)
    }
    /// A nested query (subquery, derived table, WITH body, set operand).
    pub(crate) fn query(&mut self, q: &Query) -> Result<(), AdqlError> {
        self.query_with(q, false)
    }
    pub(super) fn query_with(&mut self, q: &Query, top: bool) -> Result<(), AdqlError> {
        let at = q.span().start;
        if q.with.is_some() && !top {
            return refuse_at(at, "WITH may only begin the whole query in ADQL")
                .map_err(|e| e.with_hint("move it to the front"));
        }
        if q.fetch.is_some() {
            return refuse_at(at, "FETCH is not ADQL").map_err(|e| e.with_hint("use SELECT TOP n"));
        }
        if !q.locks.is_empty()
            || q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return refuse_at(at, "this clause is not ADQL");
        }
        if let Some(with) = &q.with {
            if with.recursive {
                return refuse_at(at, "WITH RECURSIVE is not ADQL");
            }
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
                self.query(&cte.query)?;
            }
        }
        self.set_expression(&q.body)?;
        if let Some(order) = &q.order_by {
            if order.interpolate.is_some() {
                return refuse_at(at, "INTERPOLATE is not ADQL");
            }
            match &order.kind {
                OrderByKind::All(_) => return refuse_at(at, "ORDER BY ALL is not ADQL"),
                OrderByKind::Expressions(items) => {
                    for item in items {
                        if item.options.nulls_first.is_some() || item.with_fill.is_some() {
                            return refuse_at(
                                item.expr.span().start,
                                "NULLS FIRST/LAST is not ADQL",
                            );
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
                    return refuse_at(limit.span().start, "LIMIT is not ADQL")
                        .map_err(|e| e.with_hint("use SELECT TOP n"));
                }
                if !limit_by.is_empty() {
                    return refuse_at(at, "LIMIT BY is not ADQL");
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
            }
            Some(LimitClause::OffsetCommaLimit { .. }) => {
                return refuse_at(at, "LIMIT is not ADQL")
                    .map_err(|e| e.with_hint("use SELECT TOP n"))
            }
        }
        Ok(())
    }
    pub(super) fn set_expression(&mut self, body: &SetExpr) -> Result<(), AdqlError> {
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
                    return refuse_at(body.span().start, format!("{op} is not ADQL"));
                }
                if !matches!(set_quantifier, SetQuantifier::None | SetQuantifier::All) {
                    return refuse_at(
                        body.span().start,
                        format!("{op} {set_quantifier} is not ADQL"),
                    );
                }
                self.set_expression(left)?;
                self.set_expression(right)
            }
            SetExpr::Values(_) => refuse_at(body.span().start, "VALUES is not ADQL"),
            _ => refuse_at(body.span().start, "only SELECT queries are ADQL"),
        }
    }
}
