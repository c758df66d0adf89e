//! ADQL → PostgreSQL + pgSphere: a dialect-aware unparser over the validated AST. Names come
//! from the catalogue (never from the query text), literals are re-quoted, and geometry runs
//! on the indexed pgSphere columns.

mod condition;
mod expr;
mod function;
mod geometry;
mod query;
mod relation;
mod select;
mod translator;

pub use select::OutputColumn;
pub(crate) use translator::Translator;

use crate::error::AdqlError;
use crate::scope::Scopes;
use sqlparser::ast::{Expr, SetExpr, TopQuantity, Value};
use vo_catalogue::Catalogue;

/// How to translate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The caller's row limit: the query gets LIMIT maxrec+1 so an overflow can be seen.
    pub maxrec: Option<u64>,
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
