//! Search conditions: AND/OR/NOT, comparisons, BETWEEN, LIKE, IN, EXISTS, NULL tests and the geometry predicates compared with 0 or 1.

use super::expr::number_text;
use super::translator::Translator;

use crate::error::AdqlError;
use crate::pg::string_literal;
use crate::scope::Kind;
use crate::syntax::{is_predicate_call, literal_number};
use sqlparser::ast::{BinaryOperator, Expr, Spanned, UnaryOperator};

impl<'c> Translator<'c> {
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

    /// `a op b`, with ALMA's string columns compared to numbers (band_list = 3) done as text.
    pub(super) fn comparison(
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
}
