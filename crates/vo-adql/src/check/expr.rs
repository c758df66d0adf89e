//! Value expressions with their kinds: literals, columns, arithmetic, concatenation, CAST.

use super::condition::is_comparison;
use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use crate::functions::{GEOMETRY_FUNCTIONS, MATH_FUNCTIONS};
use crate::syntax::{function_name, identifier};
use crate::types::Kind;
use sqlparser::ast::{
    BinaryOperator, CastKind, CeilFloorKind, DataType, DateTimeField, Expr, UnaryOperator, Value,
};

impl Validator {
    /// A value expression; returns its type.
    pub(crate) fn value(&mut self, e: &Expr) -> Result<Kind, AdqlError> {
        match e {
            Expr::Identifier(ident) => {
                identifier(ident)?;
                Ok(Kind::Unknown)
            }
            Expr::CompoundIdentifier(parts) => {
                if parts.len() > 4 {
                    return refuse(
                        e,
                        "a column reference has at most catalog.schema.table.column",
                    );
                }
                for p in parts {
                    identifier(p)?;
                }
                Ok(Kind::Unknown)
            }
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => {
                    if n.starts_with("0x") || n.starts_with("0X") {
                        return refuse(e, "hexadecimal numbers are not ADQL");
                    }
                    Ok(Kind::Number)
                }
                Value::SingleQuotedString(_) => Ok(Kind::Text),
                Value::Null => Ok(Kind::Null),
                Value::Boolean(_) => refuse(e, "TRUE and FALSE are not ADQL values")
                    .map_err(|err| err.with_hint("compare with 1 or 0")),
                other => refuse(e, format!("the literal {other} is not ADQL")),
            },
            Expr::Nested(inner) => self.value(inner),
            Expr::UnaryOp {
                op: UnaryOperator::Minus | UnaryOperator::Plus,
                expr,
            } => {
                if matches!(
                    **expr,
                    Expr::UnaryOp {
                        op: UnaryOperator::Minus | UnaryOperator::Plus,
                        ..
                    }
                ) {
                    return refuse(e, "two signs in a row are not ADQL")
                        .map_err(|err| err.with_hint("use parentheses: -(-x)"));
                }
                let t = self.value(expr)?;
                if !numeric_ok(t, expr) {
                    return refuse(expr, format!("a sign needs a number, not {}", t.name()));
                }
                Ok(Kind::Number)
            }
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                ..
            } => refuse(e, "NOT makes a condition, which cannot be used as a value"),
            Expr::BinaryOp { left, op, right } => match op {
                BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide => {
                    for side in [left, right] {
                        let t = self.value(side)?;
                        if !numeric_ok(t, side) {
                            return refuse(side, format!("'{op}' needs numbers, not {}", t.name()));
                        }
                    }
                    Ok(Kind::Number)
                }
                BinaryOperator::StringConcat => {
                    for side in [left, right] {
                        let t = self.value(side)?;
                        concat_operand(side, t)?;
                    }
                    Ok(Kind::Text)
                }
                op if is_comparison(op)
                    || matches!(op, BinaryOperator::And | BinaryOperator::Or) =>
                {
                    refuse(e, "a condition cannot be used as a value")
                        .map_err(|err| err.with_hint("conditions belong in WHERE, HAVING or ON"))
                }
                other => refuse(e, format!("the operator '{other}' is not ADQL")),
            },
            Expr::Function(f) => self.function(e, f),
            Expr::Floor { expr, field } | Expr::Ceil { expr, field } => {
                if !matches!(
                    field,
                    CeilFloorKind::DateTimeField(DateTimeField::NoDateTime)
                ) {
                    return refuse(e, "FLOOR and CEILING take one number");
                }
                let t = self.value(expr)?;
                if !t.may_be(Kind::Number) {
                    return refuse(
                        expr,
                        format!("FLOOR and CEILING need a number, not {}", t.name()),
                    );
                }
                Ok(Kind::Number)
            }
            Expr::Cast {
                kind,
                expr,
                data_type,
                format,
            } => {
                if *kind != CastKind::Cast || format.is_some() {
                    return refuse(e, "only CAST(x AS type) is ADQL");
                }
                let source = self.value(expr)?;
                let target = cast_target(e, data_type)?;
                let allowed = source == target
                    || matches!(source, Kind::Unknown | Kind::Null)
                    || (!source.is_geometry() && !target.is_geometry())
                    || (source == Kind::Text && target.is_geometry());
                if !allowed {
                    return refuse(e, format!("cannot CAST {} to {data_type}", source.name()));
                }
                Ok(target)
            }
            Expr::Case { .. } => refuse(e, "ADQL has no CASE expression").map_err(|err| {
                err.with_hint("COALESCE covers the NULL cases; otherwise compute in the client")
            }),
            Expr::Subquery(_) => refuse(
                e,
                "a subquery may only follow IN or EXISTS, or stand in FROM",
            ),
            Expr::Exists { .. } => refuse(
                e,
                "EXISTS makes a condition, which cannot be used as a value",
            ),
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => refuse(
                e,
                "'*' is only allowed alone in the select list or in COUNT(*)",
            ),
            Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::Position { .. }
            | Expr::Overlay { .. }
            | Expr::Extract { .. } => refuse(e, "this SQL function is not part of ADQL"),
            Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. } => refuse(e, "a condition cannot be used as a value")
                .map_err(|err| err.with_hint("conditions belong in WHERE, HAVING or ON")),
            _ => refuse(e, "this construct is not ADQL"),
        }
    }
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
        Expr::Cast { .. } if t == Kind::Number => refuse_it("numbers"),
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
        DataType::SmallInt(None) | DataType::Integer(None) | DataType::BigInt(None) | DataType::Real | DataType::DoublePrecision => Ok(Kind::Number),
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
