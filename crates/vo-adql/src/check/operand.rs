//! Small questions about the tree the check asks everywhere: how to refuse at a place, names and aliases, literals.

use crate::error::AdqlError;
use crate::syntax::{identifier, is_unsigned_integer};
use crate::types::Kind;
use sqlparser::ast::{
    Expr, ObjectName, Spanned, TableAlias, UnaryOperator, Value, WildcardAdditionalOptions,
};
use sqlparser::tokenizer::Location;

pub(super) fn refuse_at<T>(at: Location, message: impl Into<String>) -> Result<T, AdqlError> {
    Err(AdqlError::at(message, at))
}

pub(super) fn refuse<T>(e: &Expr, message: impl Into<String>) -> Result<T, AdqlError> {
    Err(AdqlError::at(message, e.span().start))
}

pub(super) fn object_name(
    name: &ObjectName,
    max_parts: usize,
    what: &str,
) -> Result<(), AdqlError> {
    if name.0.len() > max_parts {
        return refuse_at(
            name.span().start,
            format!("a {what} name has at most {max_parts} parts"),
        );
    }
    for part in &name.0 {
        match part.as_ident() {
            Some(ident) => identifier(ident)?,
            None => return refuse_at(name.span().start, format!("this {what} name is not ADQL")),
        }
    }
    Ok(())
}

pub(super) fn alias(a: &TableAlias) -> Result<(), AdqlError> {
    if !a.columns.is_empty() || a.at.is_some() {
        return refuse_at(
            a.name.span.start,
            "column lists after a table alias are not ADQL",
        );
    }
    identifier(&a.name)
}

pub(super) fn plain_wildcard(options: &WildcardAdditionalOptions) -> bool {
    options.opt_ilike.is_none()
        && options.opt_exclude.is_none()
        && options.opt_except.is_none()
        && options.opt_replace.is_none()
        && options.opt_rename.is_none()
}

/// Whether a value of this kind, written as `e`, may be used where a number is needed.
pub(super) fn numeric_ok(kind: Kind, e: &Expr) -> bool {
    kind.may_be(Kind::Number) || (kind == Kind::Text && numeric_string(e))
}

pub(super) fn is_column_reference(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
}

pub(super) fn is_signed_integer(e: &Expr) -> bool {
    match e {
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => is_unsigned_integer(expr),
        other => is_unsigned_integer(other),
    }
}

/// A string literal that reads as a number ('30') may stand where a number is needed.
pub(super) fn numeric_string(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(&v.value, Value::SingleQuotedString(s) if s.trim().parse::<f64>().is_ok()))
}

pub(super) fn is_string_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}
