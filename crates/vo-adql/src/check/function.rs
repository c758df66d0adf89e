//! Function calls: arity, argument kinds, aggregates, user-defined functions.

use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use crate::functions::{
    is_reserved, AGGREGATES, GEOMETRY_FUNCTIONS, MATH_FUNCTIONS, USER_DEFINED_FUNCTIONS,
};
use crate::syntax::function_name;
use crate::types::Kind;
use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Spanned};

impl Validator {
    pub(super) fn arguments<'f>(
        &self,
        e: &Expr,
        f: &'f Function,
    ) -> Result<(Vec<&'f Expr>, bool, bool), AdqlError> {
        if f.uses_odbc_syntax
            || !matches!(f.parameters, FunctionArguments::None)
            || !f.within_group.is_empty()
            || f.filter.is_some()
            || f.null_treatment.is_some()
            || f.over.is_some()
        {
            return refuse(e, "window functions, FILTER and WITHIN GROUP are not ADQL");
        }
        let mut args = Vec::new();
        let mut star = false;
        let quantified;
        match &f.args {
            FunctionArguments::None => return refuse(e, "a function call needs parentheses"),
            FunctionArguments::Subquery(_) => {
                return refuse(e, "a subquery is not a function argument in ADQL")
            }
            FunctionArguments::List(list) => {
                if !list.clauses.is_empty() {
                    return refuse(
                        e,
                        "ORDER BY, LIMIT or SEPARATOR inside a function call are not ADQL",
                    );
                }
                quantified = list.duplicate_treatment.is_some();
                for arg in &list.args {
                    match arg {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => args.push(x),
                        FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                        _ => return refuse(e, "named or qualified arguments are not ADQL"),
                    }
                }
            }
        }
        Ok((args, star, quantified))
    }
    pub(super) fn function(&mut self, e: &Expr, f: &Function) -> Result<Kind, AdqlError> {
        let Some(name) = function_name(f) else {
            return refuse(e, "function names are not qualified in ADQL");
        };
        let upper = name.to_ascii_uppercase();
        let (args, star, quantified) = self.arguments(e, f)?;
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
                return Ok(Kind::Number);
            }
            arity(1, 1)?;
            let t = self.value(args[0])?;
            if t.is_geometry() {
                return refuse(args[0], format!("{upper} cannot aggregate geometries"));
            }
            if matches!(upper.as_str(), "AVG" | "SUM") && !t.may_be(Kind::Number) {
                return refuse(args[0], format!("{upper} needs numbers, not {}", t.name()));
            }
            return Ok(if matches!(upper.as_str(), "MAX" | "MIN") {
                t
            } else {
                Kind::Number
            });
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
            for a in &args {
                let t = self.value(a)?;
                if !numeric_ok(t, a) {
                    return refuse(a, format!("{upper} needs numbers, not {}", t.name()));
                }
            }
            return Ok(Kind::Number);
        }
        match upper.as_str() {
            "LOWER" | "UPPER" => {
                arity(1, 1)?;
                let t = self.value(args[0])?;
                if !t.may_be(Kind::Text) {
                    return refuse(args[0], format!("{upper} needs a string, not {}", t.name()));
                }
                Ok(Kind::Text)
            }
            "COALESCE" => {
                arity(1, usize::MAX)?;
                let mut result = Kind::Null;
                for a in &args {
                    let t = self.value(a)?;
                    if result == Kind::Null || result == Kind::Unknown {
                        result = t;
                    }
                }
                Ok(result)
            }
            "IN_UNIT" => {
                arity(2, 2)?;
                let t = self.value(args[0])?;
                if !t.may_be(Kind::Number) {
                    return refuse(
                        args[0],
                        format!("IN_UNIT converts a number, not {}", t.name()),
                    );
                }
                if !is_string_literal(args[1]) {
                    return refuse(
                        args[1],
                        "the unit of IN_UNIT is a string literal, e.g. 'GHz'",
                    );
                }
                Ok(Kind::Number)
            }
            g if GEOMETRY_FUNCTIONS.contains(&g) => self.geometry(e, g, &args, star),
            _ => {
                if let Some(&(udf, count, _, _)) =
                    USER_DEFINED_FUNCTIONS.iter().find(|u| u.0 == upper)
                {
                    arity(count, count)?;
                    for a in &args {
                        let t = self.value(a)?;
                        if !t.may_be(Kind::Number) {
                            return refuse(a, format!("{udf} needs numbers, not {}", t.name()));
                        }
                    }
                    return Ok(Kind::Geometry);
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
                for a in &args {
                    self.value(a)?;
                }
                self.user_functions.push((name.to_string(), e.span().start));
                Ok(Kind::Unknown)
            }
        }
    }
}
