//! Function calls: mathematical, string, aggregate, IN_UNIT and user-defined functions; geometry functions go to the geometry module.

use super::translator::Translator;

use crate::error::AdqlError;
use crate::scope::Kind;
use crate::syntax::function_name;
use sqlparser::ast::{Expr, FunctionArguments, Spanned, Value};

impl<'c> Translator<'c> {
    pub(super) fn function(
        &mut self,
        e: &Expr,
        f: &sqlparser::ast::Function,
    ) -> Result<(String, Kind), AdqlError> {
        let name = function_name(f).unwrap_or_default().to_ascii_uppercase();
        let args = self.args(f);
        let distinct = matches!(&f.args, FunctionArguments::List(l) if l.duplicate_treatment == Some(sqlparser::ast::DuplicateTreatment::Distinct));
        let mut sql_args = Vec::new();
        let numeric_only =
            |name: &str| crate::functions::MATH_FUNCTIONS.iter().any(|m| m.0 == name);
        if crate::functions::AGGREGATES.contains(&name.as_str()) {
            if args.is_empty() {
                return Ok(("count(*)".into(), Kind::Number));
            }
            let (a, k) = self.expr(&args[0])?;
            let kind = if matches!(name.as_str(), "MAX" | "MIN") {
                k
            } else {
                Kind::Number
            };
            return Ok((
                format!(
                    "{}({}{a})",
                    name.to_lowercase(),
                    if distinct { "DISTINCT " } else { "" }
                ),
                kind,
            ));
        }
        if numeric_only(&name) {
            for a in &args {
                let (s, k) = self.expr(a)?;
                sql_args.push(if k == Kind::Text {
                    format!("CAST({s} AS double precision)")
                } else {
                    s
                });
            }
            let sql = match name.as_str() {
                "LOG" => format!("ln({})", sql_args[0]),
                "LOG10" => format!("log({})", sql_args[0]),
                "PI" => "pi()".into(),
                "RAND" => "random()".into(),
                "TRUNCATE" => format!(
                    "CAST(trunc(CAST({} AS numeric), {}) AS double precision)",
                    sql_args[0],
                    sql_args.get(1).cloned().unwrap_or("0".into())
                ),
                "ROUND" => format!(
                    "CAST(round(CAST({} AS numeric), {}) AS double precision)",
                    sql_args[0],
                    sql_args.get(1).cloned().unwrap_or("0".into())
                ),
                "MOD" => format!(
                    "mod(CAST({} AS numeric), CAST({} AS numeric))",
                    sql_args[0], sql_args[1]
                ),
                other => format!("{}({})", other.to_lowercase(), sql_args.join(", ")),
            };
            return Ok((sql, Kind::Number));
        }
        match name.as_str() {
            "LOWER" | "UPPER" => {
                let (a, _) = self.expr(&args[0])?;
                Ok((format!("{}({a})", name.to_lowercase()), Kind::Text))
            }
            "COALESCE" => {
                let mut kind = Kind::Null;
                for a in &args {
                    let (s, k) = self.expr(a)?;
                    if kind == Kind::Null {
                        kind = k;
                    }
                    sql_args.push(s);
                }
                Ok((format!("coalesce({})", sql_args.join(", ")), kind))
            }
            "IN_UNIT" => {
                let unit = match &args[1] {
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(u) => u.clone(),
                        _ => unreachable!("validated"),
                    },
                    _ => unreachable!("validated"),
                };
                let from = match &args[0] {
                    Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                        let parts = match &args[0] {
                            Expr::Identifier(i) => vec![i.clone()],
                            Expr::CompoundIdentifier(p) => p.clone(),
                            _ => unreachable!(),
                        };
                        self.scopes
                            .resolve(&parts)?
                            .column
                            .meta()
                            .and_then(|m| m.unit.clone())
                    }
                    _ => None,
                };
                let Some(from) = from else {
                    return Err(AdqlError::at(
                        "IN_UNIT needs a column with a declared unit as its first argument",
                        args[0].span().start,
                    ));
                };
                let factor = crate::units::conversion(&from, &unit)
                    .map_err(|m| AdqlError::at(m, args[1].span().start))?;
                let (value, _) = self.expr(&args[0])?;
                Ok((format!("({value} * {factor:?})"), Kind::Number))
            }
            g if crate::functions::GEOMETRY_FUNCTIONS.contains(&g) || g == "RANGE_S2D" => {
                self.geometry_function(e, g, &args)
            }
            _ => Err(AdqlError::at(
                format!("{name} is not a function of this service"),
                e.span().start,
            )
            .with_hint(
                match vo_catalogue::nearest(
                    &name,
                    crate::functions::MATH_FUNCTIONS
                        .iter()
                        .map(|m| m.0)
                        .chain(crate::functions::GEOMETRY_FUNCTIONS.iter().copied())
                        .chain(["LOWER", "UPPER", "COALESCE", "IN_UNIT", "RANGE_S2D"]),
                ) {
                    Some(n) => format!("did you mean {n}?"),
                    None => "see the service's capabilities for its functions".into(),
                },
            )),
        }
    }
}
