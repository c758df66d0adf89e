//! Function calls: their form, arity and argument kinds; mathematical, string, aggregate,
//! IN_UNIT and user-defined functions; geometry functions go to the geometry module, the
//! spectral-window test to the windows module.

use super::rules::*;
use super::translator::Translator;

use crate::error::AdqlError;
use crate::functions::{
    is_reserved, AGGREGATES, GEOMETRY_FUNCTIONS, MATH_FUNCTIONS, SPECTRAL_WINDOW_OVERLAPS,
    USER_DEFINED_FUNCTIONS,
};
use crate::scope::Kind;
use crate::syntax::function_name;
use crate::types::Width;
use sqlparser::ast::{
    DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Spanned,
};

/// A call's arguments as ADQL allows them: plain expressions, or the `*` of COUNT(*).
pub(crate) struct Arguments<'f> {
    pub values: Vec<&'f Expr>,
    pub star: bool,
    /// DISTINCT or ALL was written before them.
    pub quantified: bool,
    pub distinct: bool,
}

/// The arguments of a call, refusing the SQL forms of a call ADQL does not have.
pub(crate) fn arguments<'f>(e: &Expr, f: &'f Function) -> Result<Arguments<'f>, AdqlError> {
    if f.uses_odbc_syntax
        || !matches!(f.parameters, FunctionArguments::None)
        || !f.within_group.is_empty()
        || f.filter.is_some()
        || f.null_treatment.is_some()
        || f.over.is_some()
    {
        return refuse(e, "window functions, FILTER and WITHIN GROUP are not ADQL");
    }
    let list = match &f.args {
        FunctionArguments::None => return refuse(e, "a function call needs parentheses"),
        FunctionArguments::Subquery(_) => {
            return refuse(e, "a subquery is not a function argument in ADQL")
        }
        FunctionArguments::List(list) => list,
    };
    if !list.clauses.is_empty() {
        return refuse(
            e,
            "ORDER BY, LIMIT or SEPARATOR inside a function call are not ADQL",
        );
    }
    let mut arguments = Arguments {
        values: Vec::new(),
        star: false,
        quantified: list.duplicate_treatment.is_some(),
        distinct: list.duplicate_treatment == Some(DuplicateTreatment::Distinct),
    };
    for arg in &list.args {
        match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => arguments.values.push(x),
            FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => arguments.star = true,
            _ => return refuse(e, "named or qualified arguments are not ADQL"),
        }
    }
    Ok(arguments)
}

impl<'c> Translator<'c> {
    pub(super) fn function(&mut self, e: &Expr, f: &Function) -> Result<(String, Kind), AdqlError> {
        let Some(name) = function_name(f) else {
            return refuse(e, "function names are not qualified in ADQL");
        };
        let upper = name.to_ascii_uppercase();
        let Arguments {
            values: args,
            star,
            quantified,
            distinct,
        } = arguments(e, f)?;
        let arity = |min: usize, max: usize| -> Result<(), AdqlError> {
            if star || args.len() < min || args.len() > max {
                let wanted = if min == max {
                    format!("{min}")
                } else {
                    format!("{min} to {max}")
                };
                return refuse(
                    e,
                    format!(
                        "{upper} takes {wanted} argument(s), not {}",
                        args.len() + usize::from(star)
                    ),
                );
            }
            Ok(())
        };
        if quantified && !AGGREGATES.contains(&upper.as_str()) {
            return refuse(
                e,
                format!("DISTINCT/ALL is only allowed in aggregate functions, not in {upper}"),
            );
        }
        if AGGREGATES.contains(&upper.as_str()) {
            if star {
                if upper != "COUNT" || !args.is_empty() || quantified {
                    return refuse(e, "only COUNT(*) takes '*'");
                }
                return Ok(("count(*)".into(), Kind::Integer(Width::Long)));
            }
            arity(1, 1)?;
            let (a, t) = self.expr(args[0])?;
            let written = text_kind(args[0], t);
            if written.is_geometry() {
                return refuse(args[0], format!("{upper} cannot aggregate geometries"));
            }
            if matches!(upper.as_str(), "AVG" | "SUM") && !written.may_be(Kind::Number) {
                return refuse(
                    args[0],
                    format!("{upper} needs numbers, not {}", written.name()),
                );
            }
            let kind = match (upper.as_str(), t) {
                ("MAX" | "MIN", _) => t,
                ("COUNT", _) | ("SUM", Kind::Integer(_)) => Kind::Integer(Width::Long),
                _ => Kind::Number,
            };
            let sql = format!(
                "{}({}{a})",
                upper.to_lowercase(),
                if distinct { "DISTINCT " } else { "" }
            );
            return Ok((sql, kind));
        }
        if let Some(&(_, min, max)) = MATH_FUNCTIONS.iter().find(|m| m.0 == upper) {
            arity(min, max)?;
            match upper.as_str() {
                "RAND" if !args.is_empty() && !is_signed_integer(args[0]) => {
                    return refuse(args[0], "RAND takes an integer seed")
                }
                "ROUND" | "TRUNCATE" if args.len() == 2 && !is_signed_integer(args[1]) => {
                    return refuse(
                        args[1],
                        format!("the second argument of {upper} is an integer literal"),
                    )
                }
                _ => {}
            }
            let mut sql_args = Vec::with_capacity(args.len());
            let mut kinds = Vec::with_capacity(args.len());
            for a in &args {
                let (s, t) = self.expr(a)?;
                kinds.push(t);
                let written = text_kind(a, t);
                if !numeric_ok(written, a) {
                    return refuse(a, format!("{upper} needs numbers, not {}", written.name()));
                }
                sql_args.push(if t == Kind::Text {
                    format!("CAST({s} AS double precision)")
                } else {
                    s
                });
            }
            // ABS and MOD of integers are integers; the others are doubles
            let kind = match (upper.as_str(), kinds.as_slice()) {
                ("ABS", [Kind::Integer(w)]) => Kind::Integer(*w),
                ("MOD", [a @ Kind::Integer(_), b @ Kind::Integer(_)]) => a.wider(*b),
                _ => Kind::Number,
            };
            return Ok((math_sql(&upper, &sql_args), kind));
        }
        match upper.as_str() {
            "LOWER" | "UPPER" => {
                arity(1, 1)?;
                let (a, t) = self.expr(args[0])?;
                let written = text_kind(args[0], t);
                if !written.may_be(Kind::Text) {
                    return refuse(
                        args[0],
                        format!("{upper} needs a string, not {}", written.name()),
                    );
                }
                Ok((format!("{}({a})", upper.to_lowercase()), Kind::Text))
            }
            "COALESCE" => {
                arity(1, usize::MAX)?;
                let mut result = Kind::Null;
                let mut sql_args = Vec::with_capacity(args.len());
                for a in &args {
                    let (s, t) = self.expr(a)?;
                    if result == Kind::Null || result == Kind::Unknown {
                        result = t;
                    } else if result.is_number() && t.is_number() {
                        result = result.wider(t);
                    }
                    sql_args.push(s);
                }
                Ok((format!("coalesce({})", sql_args.join(", ")), result))
            }
            "IN_UNIT" => {
                arity(2, 2)?;
                // the unit is looked up first: an IN_UNIT inside the first argument comes after
                let factor = string_literal_text(args[1])
                    .and_then(|unit| self.in_unit_factor(args[0], args[1], unit));
                let (value, t) = self.expr(args[0])?;
                let written = text_kind(args[0], t);
                if !written.may_be(Kind::Number) {
                    return refuse(
                        args[0],
                        format!("IN_UNIT converts a number, not {}", written.name()),
                    );
                }
                if string_literal_text(args[1]).is_none() {
                    return refuse(
                        args[1],
                        "the unit of IN_UNIT is a string literal, e.g. 'GHz'",
                    );
                }
                Ok(match factor {
                    Some(factor) => (format!("({value} * {factor:?})"), Kind::Number),
                    None => ("NULL".into(), Kind::Unknown),
                })
            }
            g if GEOMETRY_FUNCTIONS.contains(&g) => self.geometry_function(e, g, &args, star),
            _ => {
                if let Some(&(udf, count, _, _)) =
                    USER_DEFINED_FUNCTIONS.iter().find(|u| u.0 == upper)
                {
                    arity(count, count)?;
                    if udf == SPECTRAL_WINDOW_OVERLAPS {
                        let test = self.spectral_window_predicate(e)?;
                        return Ok((crate::pg::as_number(&test), Kind::Integer(Width::Int)));
                    }
                    return self.geometry_function(e, udf, &args, star);
                }
                if star {
                    return refuse(e, "only COUNT(*) takes '*'");
                }
                let ident = f.name.0[0].as_ident().expect("checked above");
                if ident.quote_style.is_some() {
                    return refuse(e, "a function name cannot be quoted");
                }
                if !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                    return refuse(e, format!("'{name}' is not a valid function name"));
                }
                if is_reserved(name) {
                    return refuse(e, format!("{upper} is not an ADQL function"));
                }
                // another service's user-defined function is ADQL (the check lets it
                // through); this service has none but its own
                if self.catalogue.is_some() {
                    self.record(unknown_function(e, &upper));
                }
                for a in &args {
                    self.expr(a)?;
                }
                Ok(("NULL".into(), Kind::Unknown))
            }
        }
    }

    /// The factor of IN_UNIT(column, 'unit'): from the column's declared unit to the one
    /// asked for (a problem is recorded, and gives None).
    fn in_unit_factor(&mut self, column: &Expr, unit_at: &Expr, unit: &str) -> Option<f64> {
        let parts = match column {
            Expr::Identifier(i) => vec![i.clone()],
            Expr::CompoundIdentifier(p) => p.clone(),
            _ => Vec::new(),
        };
        let from = if parts.is_empty() {
            None
        } else {
            self.scopes
                .resolve(&parts)
                .ok()
                .and_then(|r| r.column.meta().and_then(|m| m.unit.clone()))
        };
        let Some(from) = from else {
            self.record(AdqlError::at(
                "IN_UNIT needs a column with a declared unit as its first argument",
                column.span().start,
            ));
            return None;
        };
        match crate::units::conversion(&from, unit) {
            Ok(factor) => Some(factor),
            Err(m) => {
                self.record(AdqlError::at(m, unit_at.span().start));
                None
            }
        }
    }
}

/// A mathematical function in PostgreSQL's spelling.
fn math_sql(upper: &str, args: &[String]) -> String {
    match upper {
        "LOG" => format!("ln({})", args[0]),
        "LOG10" => format!("log({})", args[0]),
        "PI" => "pi()".into(),
        "RAND" => "random()".into(),
        "TRUNCATE" => format!(
            "CAST(trunc(CAST({} AS numeric), {}) AS double precision)",
            args[0],
            args.get(1).cloned().unwrap_or("0".into())
        ),
        "ROUND" => format!(
            "CAST(round(CAST({} AS numeric), {}) AS double precision)",
            args[0],
            args.get(1).cloned().unwrap_or("0".into())
        ),
        "MOD" => format!(
            "mod(CAST({} AS numeric), CAST({} AS numeric))",
            args[0], args[1]
        ),
        other => format!("{}({})", other.to_lowercase(), args.join(", ")),
    }
}

fn unknown_function(e: &Expr, upper: &str) -> AdqlError {
    AdqlError::at(
        format!("{upper} is not a function of this service"),
        e.span().start,
    )
    .with_hint(
        match vo_catalogue::nearest(
            upper,
            MATH_FUNCTIONS
                .iter()
                .map(|m| m.0)
                .chain(GEOMETRY_FUNCTIONS.iter().copied())
                .chain(["LOWER", "UPPER", "COALESCE", "IN_UNIT"])
                .chain(USER_DEFINED_FUNCTIONS.iter().map(|u| u.0)),
        ) {
            Some(n) => format!("did you mean {n}?"),
            None => "see the service's capabilities for its functions".into(),
        },
    )
}
