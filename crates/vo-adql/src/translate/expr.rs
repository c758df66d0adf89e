//! Value expressions: literals, columns, arithmetic, concatenation, CAST, and the operand helpers the other constructs use.

use super::translator::Translator;

use crate::error::AdqlError;
use crate::pg::string_literal;
use crate::scope::Kind;
use crate::syntax::literal_number;
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    Spanned, UnaryOperator, Value,
};

impl<'c> Translator<'c> {
    /// An expression to be compared with a value of kind `target`: a number literal
    /// compared with text becomes a string literal.
    pub(super) fn typed_as(&mut self, e: &Expr, target: Kind) -> Result<String, AdqlError> {
        if target == Kind::Text && literal_number(e).is_some() {
            return Ok(string_literal(&number_text(e)));
        }
        Ok(self.expr(e)?.0)
    }

    /// A value expression: its SQL and kind.
    pub(crate) fn expr(&mut self, e: &Expr) -> Result<(String, Kind), AdqlError> {
        Ok(match e {
            Expr::Identifier(i) => {
                let r = self.scopes.resolve(std::slice::from_ref(i))?;
                (r.sql, r.column.kind)
            }
            Expr::CompoundIdentifier(parts) => {
                let r = self.scopes.resolve(parts)?;
                (r.sql, r.column.kind)
            }
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => (n.clone(), Kind::Number),
                Value::SingleQuotedString(s) => (string_literal(s), Kind::Text),
                Value::Null => ("NULL".into(), Kind::Null),
                _ => unreachable!("validated literal"),
            },
            Expr::Nested(inner) => {
                let (sql, kind) = self.expr(inner)?;
                (format!("({sql})"), kind)
            }
            Expr::UnaryOp { op, expr } => {
                let (sql, kind) = self.expr(expr)?;
                arithmetic_operand(expr, kind)?;
                (
                    format!(
                        "{}{sql}",
                        if *op == UnaryOperator::Minus {
                            "-"
                        } else {
                            "+"
                        }
                    ),
                    Kind::Number,
                )
            }
            Expr::BinaryOp { left, op, right } => {
                let (l, lk) = self.expr(left)?;
                let (r, rk) = self.expr(right)?;
                if *op != BinaryOperator::StringConcat {
                    arithmetic_operand(left, lk)?;
                    arithmetic_operand(right, rk)?;
                }
                match op {
                    BinaryOperator::StringConcat => {
                        let text = |s: String, k: Kind| {
                            if k == Kind::Text {
                                s
                            } else {
                                format!("CAST({s} AS text)")
                            }
                        };
                        (format!("({} || {})", text(l, lk), text(r, rk)), Kind::Text)
                    }
                    BinaryOperator::Divide => (
                        format!("({l} / CAST({r} AS double precision))"),
                        Kind::Number,
                    ),
                    _ => (format!("({l} {op} {r})"), Kind::Number),
                }
            }
            Expr::Floor { expr, .. } => (format!("floor({})", self.expr(expr)?.0), Kind::Number),
            Expr::Ceil { expr, .. } => (format!("ceiling({})", self.expr(expr)?.0), Kind::Number),
            Expr::Cast {
                expr,
                data_type,
                kind: CastKind::Cast,
                ..
            } => {
                let (sql, value_kind) = self.expr(expr)?;
                let (target, kind) = match data_type {
                    DataType::Char(n) => (
                        format!(
                            "char{}",
                            n.as_ref().map(|l| format!("({l})")).unwrap_or_default()
                        ),
                        Kind::Text,
                    ),
                    DataType::Varchar(n) => (
                        format!(
                            "varchar{}",
                            n.as_ref().map(|l| format!("({l})")).unwrap_or_default()
                        ),
                        Kind::Text,
                    ),
                    DataType::SmallInt(_) => ("smallint".into(), Kind::Number),
                    DataType::Integer(_) => ("integer".into(), Kind::Number),
                    DataType::BigInt(_) => ("bigint".into(), Kind::Number),
                    DataType::Real => ("real".into(), Kind::Number),
                    DataType::DoublePrecision => ("double precision".into(), Kind::Number),
                    DataType::Timestamp(..) => ("timestamp".into(), Kind::Timestamp),
                    DataType::Custom(name, _) => {
                        let target = name.to_string().to_ascii_uppercase();
                        if value_kind != Kind::Text {
                            return Err(AdqlError::at(
                                format!("only a string can be CAST to {target}"),
                                expr.span().start,
                            )
                            .with_hint(
                                "write the geometry in DALI form, e.g. CAST('12.3 45.6' AS POINT)",
                            ));
                        }
                        return self.geometry_cast(expr, &sql, &target);
                    }
                    other => {
                        return Err(AdqlError::at(
                            format!("CAST to {other} is not supported by this service"),
                            e.span().start,
                        ))
                    }
                };
                (format!("CAST({sql} AS {target})"), kind)
            }
            Expr::Function(f) => self.function(e, f)?,
            _ => unreachable!("validated: a value"),
        })
    }

    pub(crate) fn args(&mut self, f: &sqlparser::ast::Function) -> Vec<Expr> {
        match &f.args {
            FunctionArguments::List(list) => list
                .args
                .iter()
                .filter_map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The source an expression's column comes from, when it is a plain column of ObsCore.
    pub(crate) fn obscore_column(&self, e: &Expr) -> Option<(String, String)> {
        let parts = match e {
            Expr::Identifier(i) => vec![i.clone()],
            Expr::CompoundIdentifier(p) => p.clone(),
            _ => return None,
        };
        let resolved = self.scopes.resolve(&parts).ok()?;
        Some((resolved.obscore_alias?, resolved.column.name().to_string()))
    }
}

pub(super) fn number_text(e: &Expr) -> String {
    match e {
        Expr::Value(v) => v.value.to_string(),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => format!("-{}", number_text(expr)),
        Expr::Nested(inner) => number_text(inner),
        _ => String::new(),
    }
}

/// Arithmetic takes numbers: a string, timestamp or geometry operand is an error.
pub(super) fn arithmetic_operand(e: &Expr, kind: Kind) -> Result<(), AdqlError> {
    let what = match kind {
        Kind::Number | Kind::Null => return Ok(()),
        Kind::Text => "a string",
        Kind::Timestamp => "a timestamp",
        _ => "a geometry",
    };
    Err(AdqlError::at(
        format!("arithmetic needs numbers, not {what}"),
        e.span().start,
    )
    .with_hint(match kind {
        Kind::Text => "CAST it AS DOUBLE PRECISION if it holds numbers",
        Kind::Timestamp => {
            "compare timestamps, or use the MJD columns (t_min, t_max) for arithmetic"
        }
        _ => "use COORD1/COORD2, AREA or DISTANCE to get numbers from a geometry",
    }))
}
