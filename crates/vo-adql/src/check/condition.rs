//! Search conditions: AND/OR/NOT, comparisons, BETWEEN, LIKE, IN, EXISTS, NULL tests.

use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use crate::syntax::function_name;
use sqlparser::ast::{BinaryOperator, Expr, UnaryOperator};

impl Validator {
    /// A search condition (WHERE, HAVING, ON): predicates joined with AND, OR, NOT.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<(), AdqlError> {
        match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And | BinaryOperator::Or,
                right,
            } => {
                self.condition(left)?;
                self.condition(right)
            }
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => self.condition(expr),
            Expr::Nested(inner) => self.condition(inner),
            Expr::BinaryOp { left, op, right } if is_comparison(op) => {
                self.value(left)?;
                self.value(right)?;
                Ok(())
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                for part in [expr, low, high] {
                    if self.value(part)?.is_geometry() {
                        return refuse(
                            part,
                            "BETWEEN needs numbers, strings or timestamps, not geometries",
                        );
                    }
                }
                Ok(())
            }
            Expr::InList { expr, list, .. } => {
                self.value(expr)?;
                for item in list {
                    self.value(item)?;
                }
                Ok(())
            }
            Expr::InSubquery { expr, subquery, .. } => {
                self.value(expr)?;
                self.query(subquery)
            }
            Expr::Like {
                any,
                expr,
                pattern,
                escape_char,
                ..
            }
            | Expr::ILike {
                any,
                expr,
                pattern,
                escape_char,
                ..
            } => {
                if *any {
                    return refuse(e, "LIKE ANY is not ADQL");
                }
                if let Some(escape) = escape_char {
                    return refuse(escape, "ESCAPE is not ADQL").map_err(|err: AdqlError| {
                        err.with_hint("in ADQL, \\ needs no declaration")
                    });
                }
                for part in [expr, pattern] {
                    let t = self.value(part)?;
                    if t.is_geometry() {
                        return refuse(part, "LIKE compares strings, not geometries");
                    }
                }
                Ok(())
            }
            Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
                self.value(inner)?;
                Ok(())
            }
            Expr::Exists { subquery, .. } => self.query(subquery),
            Expr::Function(f) if crate::syntax::is_predicate_call(e) => refuse(
                e,
                format!(
                    "{} returns a number in ADQL, not a condition",
                    function_name(f).unwrap_or_default().to_uppercase()
                ),
            )
            .map_err(|err: AdqlError| err.with_hint("compare it: 1 = CONTAINS(…)")),
            other => {
                self.value(other)?;
                refuse(other, "a condition is needed here, not a value")
                    .map_err(|err: AdqlError| err.with_hint("compare it, e.g. x = 1"))
            }
        }
    }
}

pub(super) fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::Gt
            | BinaryOperator::LtEq
            | BinaryOperator::GtEq
    )
}
