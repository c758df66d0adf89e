//! Value expressions with their kinds: literals, columns, arithmetic, concatenation, CAST,
//! and the operand helpers the other constructs use.

use super::rules::*;
use super::translator::Translator;

use crate::error::AdqlError;
use crate::pg::string_literal;
use crate::scope::{Kind, Resolved};
use crate::syntax::{identifier, literal_number};
use crate::types::Width;
use sqlparser::ast::{
    BinaryOperator, CastKind, CeilFloorKind, DataType, DateTimeField, Expr, Ident, Spanned,
    UnaryOperator, Value,
};

impl<'c> Translator<'c> {
    /// An expression to be compared with a value of kind `target`: a number literal
    /// compared with text becomes a string literal.
    pub(super) fn typed_as(&mut self, e: &Expr, target: Kind) -> Result<(String, Kind), AdqlError> {
        if target == Kind::Text && literal_number(e).is_some() {
            self.expr(e)?;
            return Ok((string_literal(&number_text(e)), Kind::Text));
        }
        self.expr(e)
    }

    /// A column reference: its parts must be names (the grammar), then the scope resolves
    /// it; a name no table in scope has is recorded, and gives None.
    pub(super) fn column(
        &mut self,
        e: &Expr,
        parts: &[Ident],
    ) -> Result<Option<Resolved>, AdqlError> {
        if parts.len() > 4 {
            return refuse(
                e,
                "a column reference has at most catalog.schema.table.column",
            );
        }
        for p in parts {
            identifier(p)?;
        }
        match self.scopes.resolve(parts) {
            Ok(resolved) => Ok(Some(resolved)),
            Err(problem) => {
                self.record(problem);
                Ok(None)
            }
        }
    }

    /// A value expression: its SQL and kind.
    pub(crate) fn expr(&mut self, e: &Expr) -> Result<(String, Kind), AdqlError> {
        Ok(match e {
            Expr::Identifier(i) => match self.column(e, std::slice::from_ref(i))? {
                Some(r) => (r.sql, r.column.kind),
                None => ("NULL".into(), Kind::Unknown),
            },
            Expr::CompoundIdentifier(parts) => match self.column(e, parts)? {
                Some(r) => (r.sql, r.column.kind),
                None => ("NULL".into(), Kind::Unknown),
            },
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => {
                    if n.starts_with("0x") || n.starts_with("0X") {
                        return refuse(e, "hexadecimal numbers are not ADQL");
                    }
                    let kind = Kind::of_literal(n);
                    (self.write_number(n, kind), kind)
                }
                Value::SingleQuotedString(s) => (string_literal(s), Kind::Text),
                Value::Null => ("NULL".into(), Kind::Null),
                Value::Boolean(_) => {
                    return refuse(e, "TRUE and FALSE are not ADQL values")
                        .map_err(|err| err.with_hint("compare with 1 or 0"))
                }
                other => return refuse(e, format!("the literal {other} is not ADQL")),
            },
            Expr::Nested(inner) => {
                let (sql, kind) = self.expr(inner)?;
                (format!("({sql})"), kind)
            }
            Expr::UnaryOp {
                op: op @ (UnaryOperator::Minus | UnaryOperator::Plus),
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
                let (sql, kind) = self.expr(expr)?;
                let written = text_kind(expr, kind);
                if !numeric_ok(written, expr) {
                    return refuse(
                        expr,
                        format!("a sign needs a number, not {}", written.name()),
                    );
                }
                self.arithmetic_operand(expr, kind);
                let sign = if *op == UnaryOperator::Minus {
                    "-"
                } else {
                    "+"
                };
                let kind = match kind {
                    Kind::Integer(width) => Kind::Integer(width),
                    _ => Kind::Number,
                };
                // a signed literal is one number (one parameter: -20 and 20 are the same
                // statement)
                if let (Expr::Value(v), true) = (&**expr, self.parameters.is_some()) {
                    if let Value::Number(n, _) = &v.value {
                        let signed = if sign == "-" {
                            format!("-{n}")
                        } else {
                            n.clone()
                        };
                        return Ok((self.write_number(&signed, Kind::of_literal(n)), kind));
                    }
                }
                (format!("{sign}{sql}"), kind)
            }
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                ..
            } => return refuse(e, "NOT makes a condition, which cannot be used as a value"),
            Expr::BinaryOp { left, op, right } => match op {
                BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide => {
                    let (l, lk) = self.expr(left)?;
                    let written = text_kind(left, lk);
                    if !numeric_ok(written, left) {
                        return refuse(
                            left,
                            format!("'{op}' needs numbers, not {}", written.name()),
                        );
                    }
                    let (r, rk) = self.expr(right)?;
                    let written = text_kind(right, rk);
                    if !numeric_ok(written, right) {
                        return refuse(
                            right,
                            format!("'{op}' needs numbers, not {}", written.name()),
                        );
                    }
                    self.arithmetic_operand(left, lk);
                    self.arithmetic_operand(right, rk);
                    if *op == BinaryOperator::Divide {
                        (
                            format!("({l} / CAST({r} AS double precision))"),
                            Kind::Number,
                        )
                    } else {
                        (format!("({l} {op} {r})"), lk.wider(rk))
                    }
                }
                BinaryOperator::StringConcat => {
                    let (l, lk) = self.expr(left)?;
                    concat_operand(left, text_kind(left, lk))?;
                    let (r, rk) = self.expr(right)?;
                    concat_operand(right, text_kind(right, rk))?;
                    let text = |s: String, k: Kind| {
                        if k == Kind::Text {
                            s
                        } else {
                            format!("CAST({s} AS text)")
                        }
                    };
                    (format!("({} || {})", text(l, lk), text(r, rk)), Kind::Text)
                }
                op if is_comparison(op)
                    || matches!(op, BinaryOperator::And | BinaryOperator::Or) =>
                {
                    return refuse(e, "a condition cannot be used as a value")
                        .map_err(|err| err.with_hint("conditions belong in WHERE, HAVING or ON"))
                }
                other => return refuse(e, format!("the operator '{other}' is not ADQL")),
            },
            Expr::Function(f) => self.function(e, f)?,
            Expr::Floor { expr, field } | Expr::Ceil { expr, field } => {
                if !matches!(
                    field,
                    CeilFloorKind::DateTimeField(DateTimeField::NoDateTime)
                ) {
                    return refuse(e, "FLOOR and CEILING take one number");
                }
                let (sql, kind) = self.expr(expr)?;
                let written = text_kind(expr, kind);
                if !written.may_be(Kind::Number) {
                    return refuse(
                        expr,
                        format!("FLOOR and CEILING need a number, not {}", written.name()),
                    );
                }
                let name = if matches!(e, Expr::Floor { .. }) {
                    "floor"
                } else {
                    "ceiling"
                };
                (format!("{name}({sql})"), Kind::Number)
            }
            Expr::Cast {
                kind: cast_kind,
                expr,
                data_type,
                format,
            } => {
                if *cast_kind != CastKind::Cast || format.is_some() {
                    return refuse(e, "only CAST(x AS type) is ADQL");
                }
                let (sql, source) = self.expr(expr)?;
                let target = cast_target(e, data_type)?;
                let written = text_kind(expr, source);
                let allowed = written == target
                    || matches!(written, Kind::Unknown | Kind::Null)
                    || (!written.is_geometry() && !target.is_geometry())
                    || (written == Kind::Text && target.is_geometry());
                if !allowed {
                    return refuse(e, format!("cannot CAST {} to {data_type}", written.name()));
                }
                self.cast(e, expr, &sql, source, data_type)?
            }
            Expr::Case { .. } => {
                return refuse(e, "ADQL has no CASE expression").map_err(|err| {
                    err.with_hint("COALESCE covers the NULL cases; otherwise compute in the client")
                })
            }
            Expr::Subquery(_) => {
                return refuse(
                    e,
                    "a subquery may only follow IN or EXISTS, or stand in FROM",
                )
            }
            Expr::Exists { .. } => {
                return refuse(
                    e,
                    "EXISTS makes a condition, which cannot be used as a value",
                )
            }
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => {
                return refuse(
                    e,
                    "'*' is only allowed alone in the select list or in COUNT(*)",
                )
            }
            Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::Position { .. }
            | Expr::Overlay { .. }
            | Expr::Extract { .. } => return refuse(e, "this SQL function is not part of ADQL"),
            Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. } => {
                return refuse(e, "a condition cannot be used as a value")
                    .map_err(|err| err.with_hint("conditions belong in WHERE, HAVING or ON"))
            }
            _ => return refuse(e, "this construct is not ADQL"),
        })
    }

    /// CAST(x AS type) once the grammar allows it: to a geometry from its DALI string, else
    /// PostgreSQL's own CAST.
    fn cast(
        &mut self,
        e: &Expr,
        value: &Expr,
        sql: &str,
        source: Kind,
        data_type: &DataType,
    ) -> Result<(String, Kind), AdqlError> {
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
            DataType::SmallInt(_) => ("smallint".into(), Kind::Integer(Width::Short)),
            DataType::Integer(_) => ("integer".into(), Kind::Integer(Width::Int)),
            DataType::BigInt(_) => ("bigint".into(), Kind::Integer(Width::Long)),
            DataType::Real => ("real".into(), Kind::Number),
            DataType::DoublePrecision => ("double precision".into(), Kind::Number),
            DataType::Timestamp(..) => ("timestamp".into(), Kind::Timestamp),
            DataType::Custom(name, _) => {
                let target = name.to_string().to_ascii_uppercase();
                if !matches!(source, Kind::Text | Kind::Unknown) {
                    return Ok(self.stand_in(
                        AdqlError::at(
                            format!("only a string can be CAST to {target}"),
                            value.span().start,
                        )
                        .with_hint(
                            "write the geometry in DALI form, e.g. CAST('12.3 45.6' AS POINT)",
                        ),
                    ));
                }
                return Ok(match self.geometry_cast(value, sql, &target) {
                    Ok(cast) => cast,
                    Err(problem) => self.stand_in(problem),
                });
            }
            other => {
                return Ok(self.stand_in(AdqlError::at(
                    format!("CAST to {other} is not supported by this service"),
                    e.span().start,
                )))
            }
        };
        Ok((format!("CAST({sql} AS {target})"), kind))
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

impl Translator<'_> {
    /// Arithmetic takes numbers: a string, timestamp or geometry the catalogue reveals is
    /// recorded.
    fn arithmetic_operand(&mut self, e: &Expr, kind: Kind) {
        let what = match kind {
            Kind::Number | Kind::Integer(_) | Kind::Null | Kind::Unknown => return,
            Kind::Text => "a string",
            Kind::Timestamp => "a timestamp",
            _ => "a geometry",
        };
        self.record(
            AdqlError::at(
                format!("arithmetic needs numbers, not {what}"),
                e.span().start,
            )
            .with_hint(match kind {
                Kind::Text => "CAST it AS DOUBLE PRECISION if it holds numbers",
                Kind::Timestamp => {
                    "compare timestamps, or use the MJD columns (t_min, t_max) for arithmetic"
                }
                _ => "use COORD1/COORD2, AREA or DISTANCE to get numbers from a geometry",
            }),
        );
    }
}
