//! ObsCore's intervals ([em_min, em_max], [t_min, t_max]) as indexed ranges. A conjunction
//! that bounds both ends of one of them with literals — `em_min <= λ AND em_max >= λ`, an
//! overlap, a containment, `λ BETWEEN em_min AND em_max`, in any order and spelling — gets
//! the same condition on the interval's range (`interval_range`, the expression
//! schema/migrations/0023_interval_indexes.sql indexes), which PostgreSQL can search and
//! estimate; the two comparisons alone leave it two half-selective B-tree scans.
//!
//! Only for a narrow interval: the range costs a sequential scan its construction on every
//! row, which a wide interval (many rows: a sequential scan is the plan) would pay for
//! nothing (measured in conformance/bench/queries.sh).
//!
//! Where the range says exactly what the comparisons say, it replaces them: an upper bound U
//! on the interval's start and a lower bound L ≤ U on its end, each a literal (a value
//! inside, `<=`/`>=` or BETWEEN; an overlap) keep a row exactly when [start, end] overlaps
//! [L, U] — its ends known (`IS NOT NULL`, written beside the range), and in order (start ≤
//! end, which the table's checks hold: migration 0029). A strict bound is the inclusive one
//! and an inequality (`start < U` is `start <= U AND start <> U`), written beside the range:
//! PostgreSQL estimates an inequality at nearly every row, and searches no index for it.
//! Kept, the comparisons make PostgreSQL AND two half-selective B-tree scans into the range's
//! (2.5× slower at a million rows) and multiply the range's estimate by theirs, as if
//! independent (4× low).
//!
//! Otherwise (a containment, more bounds than the two, L > U) the range is added beside the
//! comparisons, which decide: it keeps every row they keep (it is implied by them): with R =
//! [least, greatest] of a row's two ends, the comparisons give R's lower end ≤ U and its
//! upper end ≥ L, so R overlaps [min(L, U), max(L, U)].
//!
//! Either way, where the comparisons are unknown (a NULL end) the range may be false
//! instead: the same rows in a WHERE, an ON or an OR, but not under NOT, where no range is
//! written.

use super::translator::Translator;
use crate::syntax::literal_number;
use sqlparser::ast::{BinaryOperator, Expr};
use std::collections::BTreeMap;

/// An interval with a range index.
struct Interval {
    lower: &'static str,
    upper: &'static str,
    /// Whether a searched interval [lo, hi] is narrow enough for the index.
    narrow: fn(f64, f64) -> bool,
}

const INTERVALS: [Interval; 2] = [
    // wavelengths (m): within 5% of each other (a spectral window is ~0.5%)
    Interval {
        lower: "em_min",
        upper: "em_max",
        narrow: |lo, hi| hi - lo <= 0.05 * hi.abs(),
    },
    // MJD: within two months
    Interval {
        lower: "t_min",
        upper: "t_max",
        narrow: |lo, hi| hi - lo <= 62.0,
    },
];

/// The indexed range of one of ObsCore's intervals, for the table known as `alias`: the
/// expression the index is built on (the ends in either order; a NULL end is ignored).
pub(crate) fn interval_range(alias: &str, lower: &str, upper: &str) -> String {
    format!(
        "archive.float8range(LEAST({alias}.{lower}, {alias}.{upper}), GREATEST({alias}.{lower}, {alias}.{upper}), '[]')"
    )
}

/// What a conjunction says of one interval's range R = [least, greatest of its ends]: its
/// lower end is at most `below`, its upper end at least `above`. (Either column ≤ v puts R's
/// lower end ≤ v; either column ≥ v puts R's upper end ≥ v.)
#[derive(Default)]
struct Bounds<'e> {
    below: Option<f64>,
    above: Option<f64>,
    /// The terms the bounds come from, each with how exactly it gives them and the bounds it
    /// gives as (on the start column?, an upper bound?).
    terms: Vec<(&'e Expr, Exactness, Vec<(bool, bool)>)>,
}

/// How a term's one bound on a column is said by the range.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Exactness {
    /// An inclusive bound with a literal (`<=`, `>=`, a literal BETWEEN two columns).
    Inclusive,
    /// A strict bound with a literal (`<`, `>`): the inclusive one and an inequality.
    Strict,
    /// Anything else: the term stays.
    Not,
}

impl Bounds<'_> {
    /// Whether the range overlapping [above, below] says exactly what the terms say (with
    /// an inequality for each strict bound): one upper bound on the start and one lower
    /// bound, not above it, on the end, each given exactly.
    fn said_exactly(&self) -> bool {
        let given: Vec<(bool, bool)> = self
            .terms
            .iter()
            .flat_map(|(_, _, given)| given.iter().copied())
            .collect();
        let (Some(u), Some(l)) = (self.below, self.above) else {
            return false;
        };
        self.terms.iter().all(|(_, e, _)| *e != Exactness::Not)
            && given.len() == 2
            && given.contains(&(true, true))
            && given.contains(&(false, false))
            && l <= u
    }

    /// The inequalities that make the said range's inclusive bounds strict where a term's
    /// are: `start <> U`, `end <> L`.
    fn inequalities(&self, alias: &str, interval: &Interval) -> Vec<String> {
        self.terms
            .iter()
            .filter(|(_, e, _)| *e == Exactness::Strict)
            .flat_map(|(_, _, given)| given.iter())
            .filter_map(|&(on_start, at_most)| {
                let column = if on_start {
                    interval.lower
                } else {
                    interval.upper
                };
                let value = if at_most { self.below? } else { self.above? };
                Some(format!("{alias}.{column} <> {value:?}"))
            })
            .collect()
    }
}

/// One bound a term puts on an interval's column: (alias, interval, on the start column?,
/// upper bound?, value).
type Bound = (String, usize, bool, bool, f64);

/// The interval conditions a conjunction implies: the SQL to write with it, and the terms
/// that SQL says exactly (to leave out).
pub(super) struct IntervalTests<'e> {
    pub sql: String,
    pub said: Vec<&'e Expr>,
}

impl<'c> Translator<'c> {
    /// The range predicates a conjunction (`e`, an AND, or one BETWEEN) implies, joined with
    /// AND; None when it bounds no interval on both sides.
    pub(super) fn interval_predicates<'e>(&self, e: &'e Expr) -> Option<IntervalTests<'e>> {
        let mut terms = Vec::new();
        conjunction_terms(e, &mut terms);
        let mut bounds: BTreeMap<(String, usize), Bounds<'e>> = BTreeMap::new();
        for term in terms {
            let exactness = exactness(term);
            let mut given: BTreeMap<(String, usize), Vec<(bool, bool)>> = BTreeMap::new();
            for (alias, interval, on_start, at_most, value) in self.interval_bounds(term) {
                given
                    .entry((alias.clone(), interval))
                    .or_default()
                    .push((on_start, at_most));
                let b = bounds.entry((alias, interval)).or_default();
                if at_most {
                    b.below = Some(b.below.map_or(value, |x| x.min(value)));
                } else {
                    b.above = Some(b.above.map_or(value, |x| x.max(value)));
                }
            }
            // a term that bounds two intervals (`λ BETWEEN em_min AND t_max`) says more
            // than either range: it is never left out
            let exactness = match given.len() {
                1 => exactness,
                _ => Exactness::Not,
            };
            for (key, given) in given {
                if let Some(b) = bounds.get_mut(&key) {
                    b.terms.push((term, exactness, given));
                }
            }
        }
        let mut said = Vec::new();
        let predicates: Vec<String> = bounds
            .into_iter()
            .filter_map(|((alias, interval), b)| {
                let (u, l) = (b.below?, b.above?);
                let (lo, hi) = (l.min(u), l.max(u));
                let i = &INTERVALS[interval];
                if !(i.narrow)(lo, hi) {
                    return None;
                }
                let range = format!(
                    "({} && archive.float8range({lo:?}, {hi:?}, '[]'))",
                    interval_range(&alias, i.lower, i.upper)
                );
                if b.said_exactly() {
                    said.extend(b.terms.iter().map(|(term, _, _)| *term));
                    let strict: String = b
                        .inequalities(&alias, i)
                        .iter()
                        .map(|inequality| format!(" AND {inequality}"))
                        .collect();
                    Some(format!(
                        "({range} AND {alias}.{} IS NOT NULL AND {alias}.{} IS NOT NULL{strict})",
                        i.lower, i.upper
                    ))
                } else {
                    Some(range)
                }
            })
            .collect();
        let sql = match predicates.len() {
            0 => return None,
            1 => predicates.concat(),
            _ => format!("({})", predicates.join(" AND ")),
        };
        Some(IntervalTests { sql, said })
    }

    /// The bounds one term of a conjunction puts on ObsCore's interval columns.
    fn interval_bounds(&self, term: &Expr) -> Vec<Bound> {
        let mut found = Vec::new();
        let mut add = |column: &Expr, at_most: bool, value: f64| {
            if !value.is_finite() {
                return;
            }
            if let Some((alias, interval, on_start)) = self.interval_column(column) {
                found.push((alias, interval, on_start, at_most, value));
            }
        };
        match term {
            Expr::BinaryOp { left, op, right } => {
                // column op literal, or literal op column (the operator mirrored)
                let (column, value, literal_on_right) =
                    match (literal_number(left), literal_number(right)) {
                        (None, Some(v)) => (left, v, true),
                        (Some(v), None) => (right, v, false),
                        _ => return found,
                    };
                match op {
                    BinaryOperator::Lt | BinaryOperator::LtEq => {
                        add(column, literal_on_right, value)
                    }
                    BinaryOperator::Gt | BinaryOperator::GtEq => {
                        add(column, !literal_on_right, value)
                    }
                    BinaryOperator::Eq => {
                        add(column, true, value);
                        add(column, false, value);
                    }
                    _ => {}
                }
            }
            Expr::Between {
                expr,
                negated: false,
                low,
                high,
            } => match (
                literal_number(expr),
                literal_number(low),
                literal_number(high),
            ) {
                // v BETWEEN lower AND upper: lower ≤ v and upper ≥ v
                (Some(v), _, _) => {
                    add(low, true, v);
                    add(high, false, v);
                }
                // column BETWEEN a AND b: column ≥ a and column ≤ b
                (None, Some(a), Some(b)) => {
                    add(expr, false, a);
                    add(expr, true, b);
                }
                _ => {}
            },
            _ => {}
        }
        found
    }

    /// (alias, interval, the start?) when `e` is a plain column of ObsCore that ends an
    /// interval.
    fn interval_column(&self, e: &Expr) -> Option<(String, usize, bool)> {
        let (alias, column) = self.obscore_column(unnested(e))?;
        let interval = INTERVALS.iter().position(|i| {
            column.eq_ignore_ascii_case(i.lower) || column.eq_ignore_ascii_case(i.upper)
        })?;
        Some((
            alias,
            interval,
            column.eq_ignore_ascii_case(INTERVALS[interval].lower),
        ))
    }
}

/// How exactly a term's bounds are what it says: a comparison with a literal number
/// (inclusive or strict), or a literal number BETWEEN two columns (inclusive). (A term left
/// out is not translated at all, so its literal never becomes a parameter.)
fn exactness(term: &Expr) -> Exactness {
    match unnested(term) {
        Expr::BinaryOp { left, op, right }
            if literal_number(left).is_some() != literal_number(right).is_some() =>
        {
            match op {
                BinaryOperator::LtEq | BinaryOperator::GtEq => Exactness::Inclusive,
                BinaryOperator::Lt | BinaryOperator::Gt => Exactness::Strict,
                _ => Exactness::Not,
            }
        }
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } if literal_number(expr).is_some()
            && literal_number(low).is_none()
            && literal_number(high).is_none() =>
        {
            Exactness::Inclusive
        }
        _ => Exactness::Not,
    }
}

pub(super) fn unnested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => unnested(inner),
        other => other,
    }
}

/// The terms of a chain of ANDs (through parentheses).
fn conjunction_terms<'e>(e: &'e Expr, terms: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            conjunction_terms(left, terms);
            conjunction_terms(right, terms);
        }
        Expr::Nested(inner) => conjunction_terms(inner, terms),
        other => terms.push(other),
    }
}
