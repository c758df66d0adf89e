//! The one walk over a parsed query: at each construct, the grammar's rules (a refusal stops
//! the walk) and then its PostgreSQL + pgSphere form. Names come from the catalogue (never
//! from the query text), literals are re-quoted, and geometry runs on the indexed pgSphere
//! columns. Without a catalogue (the check) every table offers any column, of unknown
//! kind; problems that need the catalogue or are this service's limits are recorded as
//! the walk goes and reported only after it, so a query's text is judged first.

mod condition;
mod expr;
mod function;
mod geometry;
mod interval;
mod parameters;
mod query;
mod relation;
mod rules;
mod select;
mod translator;
mod windows;

pub use select::OutputColumn;
pub(crate) use translator::Translator;

use crate::error::AdqlError;
use sqlparser::ast::{Expr, Query, Select, SetExpr, TopQuantity, Value};
use vo_catalogue::Catalogue;

/// How to translate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The caller's row limit: the query gets LIMIT maxrec+1 so an overflow can be seen.
    pub maxrec: Option<u64>,
    /// Literal numbers become statement parameters (`$1::numeric`…, their values in
    /// [`Translation::parameters`]), so that queries differing only in their numbers are
    /// one statement, prepared once and reused; but not the bounds of a range, whose values
    /// the plan depends on.
    pub parameterise: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub sql: String,
    /// The values of the SQL's parameters `$1`, `$2`…, as text (empty unless
    /// [`Options::parameterise`]).
    pub parameters: Vec<String>,
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
    let (limit, overflow_limit) = match (top(&query), options.maxrec) {
        (Some(t), Some(m)) if t <= m => (Some(t), None),
        (_, Some(m)) => (Some(m + 1), Some(m + 1)),
        (t, None) => (t, None),
    };
    let mut t = Translator::new(Some(catalogue));
    if options.parameterise && parameters::Parameters::fit(adql) {
        t.parameters = Some(parameters::Parameters::default());
    }
    let relation = t.top_query(&query, limit)?;
    if let Some(problem) = t.unresolved {
        return Err(problem);
    }
    let (sql, parameters) = match &t.parameters {
        Some(p) => p.bind(&relation.sql),
        None => (relation.sql, Vec::new()),
    };
    Ok(Translation {
        sql,
        parameters,
        columns: relation.columns,
        overflow_limit,
    })
}

/// The walk without a catalogue: the grammar and the type rules that need none.
pub(crate) fn check(query: &Query) -> Result<(), AdqlError> {
    Translator::new(None)
        .top_query(query, top(query))
        .map(|_| ())
}

/// The TOP of the query's SELECT, if it has one (a set operation's operands have their own).
pub(super) fn top(query: &Query) -> Option<u64> {
    match &*query.body {
        SetExpr::Select(s) => select_top(s),
        _ => None,
    }
}

/// The TOP of one SELECT, if it has one.
pub(super) fn select_top(s: &Select) -> Option<u64> {
    s.top.as_ref().and_then(|t| match &t.quantity {
        Some(TopQuantity::Constant(n)) => Some(*n),
        Some(TopQuantity::Expr(Expr::Value(v))) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        _ => None,
    })
}
