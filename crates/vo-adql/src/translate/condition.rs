//! Search conditions: AND/OR/NOT, comparisons, BETWEEN, LIKE, IN, EXISTS, NULL tests and the geometry predicates compared with 0 or 1.

use super::expr::number_text;
use super::rules::*;
use super::translator::Translator;

use crate::error::AdqlError;
use crate::functions::SPECTRAL_WINDOW_OVERLAPS;
use crate::pg::string_literal;
use crate::scope::Kind;
use crate::syntax::{function_name, is_predicate_call, literal_number};
use sqlparser::ast::{BinaryOperator, Expr, Spanned, UnaryOperator};

impl<'c> Translator<'c> {
    /// A search condition (WHERE, HAVING, ON): predicates joined with AND, OR, NOT.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<String, AdqlError> {
        Ok(match e {
            Expr::BinaryOp {
                op: BinaryOperator::And,
                ..
            } => {
                // a chain of ANDs, and what it implies on ObsCore's indexed intervals, in
                // place of the terms it says exactly
                let tests = self
                    .interval_predicates(e)
                    .filter(|_| !self.condition_context.under_not);
                let said = tests.as_ref().map_or(Vec::new(), |t| {
                    t.said.iter().map(|term| *term as *const Expr).collect()
                });
                let outer = std::mem::replace(&mut self.said_by_ranges, said);
                let chain = self.conjunction(e);
                self.said_by_ranges = outer;
                match (chain?, tests) {
                    (Some(chain), Some(tests)) => format!("({chain} AND {})", tests.sql),
                    (Some(chain), None) => chain,
                    (None, Some(tests)) => tests.sql,
                    // a term is left out only for a range said in its place
                    (None, None) => "TRUE".to_string(),
                }
            }
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Or,
                right,
            } => format!("({} OR {})", self.condition(left)?, self.condition(right)?),
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => {
                let outer = self.condition_context;
                self.condition_context.under_not = true;
                let inner = self.condition(expr);
                self.condition_context = outer;
                format!("(NOT {})", inner?)
            }
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
                        // the grammar's rules apply to both sides in the order written
                        if is_predicate_call(right) {
                            self.expr(left)?;
                        }
                        let predicate = self.predicate(call)?;
                        if is_predicate_call(left) {
                            self.expr(right)?;
                        }
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
            Expr::BinaryOp { left, op, right } if is_comparison(op) => {
                self.comparison(left, op, right)?
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                // on its own (in a chain of ANDs, the chain writes what it implies): the
                // range in its place when it says the same (a value inside an interval)
                let context = self.condition_context;
                let tests = self
                    .interval_predicates(e)
                    .filter(|_| !context.in_conjunction && !context.under_not);
                if let Some(tests) = tests.as_ref().filter(|t| !t.said.is_empty()) {
                    return Ok(tests.sql.clone());
                }
                let between = "BETWEEN needs numbers, strings or timestamps, not geometries";
                let (x, xk) = self.expr(expr)?;
                if text_kind(expr, xk).is_geometry() {
                    return refuse(expr, between);
                }
                let (lo, lk) = self.range_bound(true, low, |t| t.typed_as(low, xk))?;
                if text_kind(low, lk).is_geometry() {
                    return refuse(low, between);
                }
                let (hi, hk) = self.range_bound(true, high, |t| t.typed_as(high, xk))?;
                if text_kind(high, hk).is_geometry() {
                    return refuse(high, between);
                }
                let between = format!(
                    "({x} {}BETWEEN {lo} AND {hi})",
                    if *negated { "NOT " } else { "" }
                );
                match tests {
                    Some(tests) => format!("({between} AND {})", tests.sql),
                    None => between,
                }
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let (x, xk) = self.expr(expr)?;
                let mut items = Vec::new();
                for item in list {
                    items.push(self.typed_as(item, xk)?.0);
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
                let relation = self.query(subquery)?;
                if relation.columns.len() != 1 && !relation.open {
                    self.record(AdqlError::at(
                        "the subquery after IN must return one column",
                        subquery.span().start,
                    ));
                }
                format!(
                    "({x} {}IN ({}))",
                    if *negated { "NOT " } else { "" },
                    relation.sql
                )
            }
            Expr::Like {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            }
            | Expr::ILike {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            } => {
                if *any {
                    return refuse(e, "LIKE ANY is not ADQL");
                }
                if let Some(escape) = escape_char {
                    return refuse(escape, "ESCAPE is not ADQL").map_err(|err: AdqlError| {
                        err.with_hint("in ADQL, \\ needs no declaration")
                    });
                }
                let word = if matches!(e, Expr::ILike { .. }) {
                    "ILIKE"
                } else {
                    "LIKE"
                };
                let (x, xk) = self.expr(expr)?;
                like_operand(expr, xk)?;
                let (p, pk) = self.expr(pattern)?;
                like_operand(pattern, pk)?;
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
                let relation = self.query(subquery)?;
                format!(
                    "({}EXISTS ({}))",
                    if *negated { "NOT " } else { "" },
                    relation.sql
                )
            }
            Expr::Function(f) if is_predicate_call(e) => {
                let name = function_name(f).unwrap_or_default().to_uppercase();
                return refuse(
                    e,
                    format!("{name} returns a number in ADQL, not a condition"),
                )
                .map_err(|err: AdqlError| err.with_hint(format!("compare it: 1 = {name}(…)")));
            }
            other => {
                self.expr(other)?;
                return refuse(other, "a condition is needed here, not a value")
                    .map_err(|err: AdqlError| err.with_hint("compare it, e.g. x = 1"));
            }
        })
    }

    /// The condition a predicate call (CONTAINS, INTERSECTS, SPECTRAL_WINDOW_OVERLAPS) compared
    /// with 1 stands for.
    fn predicate(&mut self, call: &Expr) -> Result<String, AdqlError> {
        let is_windows = matches!(call, Expr::Function(f) if function_name(f).is_some_and(|n| n.eq_ignore_ascii_case(SPECTRAL_WINDOW_OVERLAPS)));
        if is_windows {
            self.spectral_window_predicate(call)
        } else {
            self.geometry_predicate(call)
        }
    }

    /// The terms of a chain of ANDs (through parentheses), joined as written (but those an
    /// interval's range says in their place).
    fn conjunction(&mut self, e: &Expr) -> Result<Option<String>, AdqlError> {
        let outer = self.condition_context;
        self.condition_context.in_conjunction = true;
        let chain = self.conjunction_terms(e);
        self.condition_context = outer;
        chain
    }

    /// The chain's terms joined with AND, without those an interval's range says in their
    /// place (None when that leaves none).
    fn conjunction_terms(&mut self, e: &Expr) -> Result<Option<String>, AdqlError> {
        match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => Ok(
                match (
                    self.conjunction_terms(left)?,
                    self.conjunction_terms(right)?,
                ) {
                    (Some(left), Some(right)) => Some(format!("({left} AND {right})")),
                    (left, right) => left.or(right),
                },
            ),
            Expr::Nested(inner)
                if matches!(
                    **inner,
                    Expr::BinaryOp {
                        op: BinaryOperator::And,
                        ..
                    } | Expr::Nested(_)
                ) =>
            {
                self.conjunction_terms(inner)
            }
            other
                if self
                    .said_by_ranges
                    .contains(&(super::interval::unnested(other) as *const Expr)) =>
            {
                Ok(None)
            }
            other => self.condition(other).map(Some),
        }
    }

    /// `a op b`, with ALMA's string columns compared to numbers (band_list = 3) done as text.
    pub(super) fn comparison(
        &mut self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
    ) -> Result<String, AdqlError> {
        let range = !matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq);
        let (l, lk) = self.range_bound(range, left, |t| t.expr(left))?;
        let (r, rk) = self.range_bound(range, right, |t| t.expr(right))?;
        let r = if lk == Kind::Text && literal_number(right).is_some() {
            string_literal(&number_text(right))
        } else {
            r
        };
        let l = if rk == Kind::Text && lk.is_number() && literal_number(left).is_some() {
            string_literal(&number_text(left))
        } else {
            l
        };
        if lk.is_geometry() || rk.is_geometry() {
            self.record(
                AdqlError::at(
                    "geometries cannot be compared with =, <, >",
                    left.span().start,
                )
                .with_hint("use CONTAINS or INTERSECTS"),
            );
        }
        let symbol = match op {
            BinaryOperator::Eq => "=",
            BinaryOperator::NotEq => "<>",
            BinaryOperator::Lt => "<",
            BinaryOperator::Gt => ">",
            BinaryOperator::LtEq => "<=",
            BinaryOperator::GtEq => ">=",
            _ => unreachable!("called for comparisons only"),
        };
        Ok(format!("({l} {symbol} {r})"))
    }
}

/// LIKE compares strings.
fn like_operand(e: &Expr, kind: Kind) -> Result<(), AdqlError> {
    if text_kind(e, kind).is_geometry() {
        return refuse(e, "LIKE compares strings, not geometries");
    }
    Ok(())
}
