//! The grammar's rules that every construct asks: how to refuse at a place, names and
//! aliases, the kinds an operand may have. A refusal here is an error of the query's text:
//! it stops the walk, with or without a catalogue.

use crate::error::AdqlError;
use crate::functions::{GEOMETRY_FUNCTIONS, MATH_FUNCTIONS};
use crate::syntax::function_name;
use crate::syntax::{identifier, is_unsigned_integer};
use crate::types::{Kind, Width};
use sqlparser::ast::{
    BinaryOperator, DataType, Expr, ObjectName, Spanned, TableAlias, UnaryOperator, Value,
    WildcardAdditionalOptions,
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

/// An operand of `||` is an ADQL <character_factor>: a literal, column, aggregate, CAST,
/// COALESCE, parenthesised expression, string function or user-defined function — not a
/// signed or arithmetic expression, nor a numeric or geometric function.
pub(super) fn concat_operand(side: &Expr, t: Kind) -> Result<(), AdqlError> {
    let refuse_it = |what: &str| {
        refuse(side, format!("'||' joins strings, not {what}"))
            .map_err(|err: AdqlError| err.with_hint("wrap it in parentheses or CAST it AS VARCHAR"))
    };
    if t.is_geometry() {
        return refuse_it("geometries");
    }
    match side {
        Expr::UnaryOp { .. } => refuse_it("signed numbers"),
        Expr::BinaryOp { op, .. } if *op != BinaryOperator::StringConcat => refuse_it("arithmetic"),
        Expr::Cast { .. } if t.is_number() => refuse_it("numbers"),
        Expr::Function(f) => {
            let name = function_name(f).unwrap_or("").to_ascii_uppercase();
            let numeric = MATH_FUNCTIONS.iter().any(|m| m.0 == name)
                || (GEOMETRY_FUNCTIONS.contains(&name.as_str()) && name != "COORDSYS")
                || name == "IN_UNIT";
            if numeric {
                refuse_it(&format!("the result of {name}"))
            } else {
                Ok(())
            }
        }
        Expr::Floor { .. } | Expr::Ceil { .. } => refuse_it("numbers"),
        _ => Ok(()),
    }
}

pub(super) fn cast_target(e: &Expr, data_type: &DataType) -> Result<Kind, AdqlError> {
    match data_type {
        DataType::Char(_) | DataType::Varchar(_) => Ok(Kind::Text),
        DataType::SmallInt(None) => Ok(Kind::Integer(Width::Short)),
        DataType::Integer(None) => Ok(Kind::Integer(Width::Int)),
        DataType::BigInt(None) => Ok(Kind::Integer(Width::Long)),
        DataType::Real | DataType::DoublePrecision => Ok(Kind::Number),
        DataType::Timestamp(None, sqlparser::ast::TimezoneInfo::None) => Ok(Kind::Timestamp),
        DataType::Custom(name, modifiers) if modifiers.is_empty() && name.0.len() == 1 => {
            let n = name.to_string().to_ascii_uppercase();
            if matches!(n.as_str(), "POINT" | "CIRCLE" | "POLYGON") {
                Ok(Kind::Geometry)
            } else {
                refuse(e, format!("{n} is not an ADQL type")).map_err(|err| err.with_hint("CHAR, VARCHAR, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION, TIMESTAMP, POINT, CIRCLE or POLYGON"))
            }
        }
        other => refuse(e, format!("{other} is not an ADQL type")).map_err(|err| err.with_hint("CHAR, VARCHAR, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION, TIMESTAMP, POINT, CIRCLE or POLYGON")),
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

/// The kind a value has as far as the query's text tells: a column's kind is the
/// catalogue's, so the grammar's rules see it as unknown (a rule it breaks is the
/// translation's to find, as other ADQL validators let such queries through).
pub(super) fn text_kind(e: &Expr, kind: Kind) -> Kind {
    match e {
        Expr::Nested(inner) => text_kind(inner, kind),
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => Kind::Unknown,
        _ => kind,
    }
}

/// The text of a string literal.
pub(super) fn string_literal_text(e: &Expr) -> Option<&str> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}
