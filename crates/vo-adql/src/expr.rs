//! Value expressions and search conditions, with ADQL's types.

use crate::error::AdqlError;
use crate::functions::{
    is_reserved, AGGREGATES, GEOMETRY_FUNCTIONS, MATH_FUNCTIONS, USER_DEFINED_FUNCTIONS,
};
use crate::query::Validator;
use crate::syntax::{function_name, identifier, is_unsigned_integer};
use crate::types::Kind;
use sqlparser::ast::{
    BinaryOperator, CastKind, CeilFloorKind, DataType, DateTimeField, Expr, Function, FunctionArg,
    FunctionArgExpr, FunctionArguments, Spanned, UnaryOperator, Value,
};

/// Whether a value of this kind, written as `e`, may be used where a number is needed.
fn numeric_ok(kind: Kind, e: &Expr) -> bool {
    kind.may_be(Kind::Number) || (kind == Kind::Text && numeric_string(e))
}

fn refuse<T>(e: &Expr, message: impl Into<String>) -> Result<T, AdqlError> {
    Err(AdqlError::at(message, e.span().start))
}

fn is_column_reference(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
}

fn is_signed_integer(e: &Expr) -> bool {
    match e {
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => is_unsigned_integer(expr),
        other => is_unsigned_integer(other),
    }
}

/// A string literal that reads as a number ('30') may stand where a number is needed.
fn numeric_string(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(&v.value, Value::SingleQuotedString(s) if s.trim().parse::<f64>().is_ok()))
}

fn is_string_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

impl Validator {
    /// A search condition (WHERE, HAVING, ON): predicates joined with AND, OR, NOT.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<(), AdqlError> {
        match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And | BinaryOperator::Or,
                right,
            } => {
                self.condition(left)?;
                self.condition(right)
            }
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => self.condition(expr),
            Expr::Nested(inner) => self.condition(inner),
            Expr::BinaryOp { left, op, right } if is_comparison(op) => {
                self.value(left)?;
                self.value(right)?;
                Ok(())
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                for part in [expr, low, high] {
                    if self.value(part)?.is_geometry() {
                        return refuse(
                            part,
                            "BETWEEN needs numbers, strings or timestamps, not geometries",
                        );
                    }
                }
                Ok(())
            }
            Expr::InList { expr, list, .. } => {
                self.value(expr)?;
                for item in list {
                    self.value(item)?;
                }
                Ok(())
            }
            Expr::InSubquery { expr, subquery, .. } => {
                self.value(expr)?;
                self.query(subquery)
            }
            Expr::Like {
                any,
                expr,
                pattern,
                escape_char,
                ..
            }
            | Expr::ILike {
                any,
                expr,
                pattern,
                escape_char,
                ..
            } => {
                if *any {
                    return refuse(e, "LIKE ANY is not ADQL");
                }
                if let Some(escape) = escape_char {
                    return refuse(escape, "ESCAPE is not ADQL").map_err(|err: AdqlError| {
                        err.with_hint("in ADQL, \\ needs no declaration")
                    });
                }
                for part in [expr, pattern] {
                    let t = self.value(part)?;
                    if t.is_geometry() {
                        return refuse(part, "LIKE compares strings, not geometries");
                    }
                }
                Ok(())
            }
            Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
                self.value(inner)?;
                Ok(())
            }
            Expr::Exists { subquery, .. } => self.query(subquery),
            Expr::Function(f) if crate::syntax::is_predicate_call(e) => refuse(
                e,
                format!(
                    "{} returns a number in ADQL, not a condition",
                    function_name(f).unwrap_or_default().to_uppercase()
                ),
            )
            .map_err(|err: AdqlError| err.with_hint("compare it: 1 = CONTAINS(…)")),
            other => {
                self.value(other)?;
                refuse(other, "a condition is needed here, not a value")
                    .map_err(|err: AdqlError| err.with_hint("compare it, e.g. x = 1"))
            }
        }
    }

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

    fn arguments<'f>(
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

    fn function(&mut self, e: &Expr, f: &Function) -> Result<Kind, AdqlError> {
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

    /// A coordinate value: a POINT, a CENTROID, a column or a user-defined function.
    fn coord_value(&mut self, a: &Expr) -> Result<(), AdqlError> {
        let t = self.value(a)?;
        if t.is_geometry()
            || (t == Kind::Unknown && (is_column_reference(a) || matches!(a, Expr::Function(_))))
        {
            Ok(())
        } else {
            refuse(a, format!("a point is needed here, not {}", t.name()))
        }
    }

    fn numbers(&mut self, name: &str, args: &[&Expr]) -> Result<(), AdqlError> {
        for a in args {
            let t = self.value(a)?;
            if !numeric_ok(t, a) {
                return refuse(a, format!("{name} needs numbers here, not {}", t.name()));
            }
        }
        Ok(())
    }

    /// A geometry argument. Like the reference validators, only values that cannot possibly be
    /// geometries (strings, arithmetic) are refused here; the resolver checks columns.
    fn geometry_arg(&mut self, name: &str, a: &Expr) -> Result<(), AdqlError> {
        let t = self.value(a)?;
        let arithmetic = matches!(a, Expr::BinaryOp { .. } | Expr::UnaryOp { .. });
        let aggregate = matches!(a, Expr::Function(f) if function_name(f).is_some_and(|n| AGGREGATES.iter().any(|g| g.eq_ignore_ascii_case(n))));
        let numeric_function = t == Kind::Number
            && !aggregate
            && matches!(
                a,
                Expr::Function(_) | Expr::Floor { .. } | Expr::Ceil { .. }
            );
        let numeric_literal = t == Kind::Number && matches!(a, Expr::Value(_));
        if t == Kind::Text || arithmetic || numeric_function || numeric_literal {
            refuse(a, format!("{name} needs a geometry, not {}", t.name()))
        } else {
            Ok(())
        }
    }

    fn geometry(
        &mut self,
        e: &Expr,
        name: &str,
        all: &[&Expr],
        star: bool,
    ) -> Result<Kind, AdqlError> {
        if star {
            return refuse(e, format!("{name} does not take '*'"));
        }
        // an optional coordinate system comes first: a string literal (or NULL)
        let has_frame = all.first().is_some_and(|a| {
            is_string_literal(a) || matches!(a, Expr::Value(v) if v.value == Value::Null)
        });
        let args: Vec<&Expr> =
            if has_frame && matches!(name, "POINT" | "CIRCLE" | "BOX" | "POLYGON") {
                all[1..].to_vec()
            } else {
                all.to_vec()
            };
        let count = |n: &[usize]| -> Result<(), AdqlError> {
            if n.contains(&args.len()) {
                Ok(())
            } else {
                refuse(
                    e,
                    format!("{name} cannot take {} argument(s) here", all.len()),
                )
            }
        };
        match name {
            "POINT" => {
                count(&[2])?;
                self.numbers(name, &args)?;
                Ok(Kind::Geometry)
            }
            "CIRCLE" => {
                count(&[2, 3])?;
                if args.len() == 2 {
                    self.coord_value(args[0])?;
                    self.numbers(name, &args[1..])?;
                } else {
                    self.numbers(name, &args)?;
                }
                Ok(Kind::Geometry)
            }
            "BOX" => {
                count(&[3, 4])?;
                if args.len() == 3 {
                    self.coord_value(args[0])?;
                    self.numbers(name, &args[1..])?;
                } else {
                    self.numbers(name, &args)?;
                }
                Ok(Kind::Geometry)
            }
            "POLYGON" => {
                if args.len() < 3 {
                    return refuse(e, "POLYGON needs at least three vertices");
                }
                let first = self.value(args[0])?;
                if !first.is_geometry() && args.len() % 2 == 0 && args.len() >= 6 {
                    self.numbers(name, &args)?;
                } else {
                    for a in &args {
                        self.coord_value(a)?;
                    }
                }
                Ok(Kind::Geometry)
            }
            "REGION" => {
                if all.len() != 1 || !is_string_literal(all[0]) {
                    return refuse(
                        e,
                        "REGION takes one string literal, e.g. REGION('Circle ICRS 10 20 1')",
                    );
                }
                Ok(Kind::Geometry)
            }
            "CENTROID" | "AREA" | "COORDSYS" => {
                count(&[1])?;
                self.geometry_arg(name, args[0])?;
                Ok(match name {
                    "CENTROID" => Kind::Geometry,
                    "AREA" => Kind::Number,
                    _ => Kind::Text,
                })
            }
            "COORD1" | "COORD2" => {
                count(&[1])?;
                self.coord_value(args[0])?;
                Ok(Kind::Number)
            }
            "DISTANCE" => {
                count(&[2, 4])?;
                if args.len() == 2 {
                    self.coord_value(args[0])?;
                    self.coord_value(args[1])?;
                } else {
                    self.numbers(name, &args)?;
                }
                Ok(Kind::Number)
            }
            "CONTAINS" | "INTERSECTS" => {
                count(&[2])?;
                self.geometry_arg(name, args[0])?;
                self.geometry_arg(name, args[1])?;
                Ok(Kind::Number)
            }
            _ => unreachable!("every geometry function is handled"),
        }
    }
}

/// An operand of `||` is an ADQL <character_factor>: a literal, column, aggregate, CAST,
/// COALESCE, parenthesised expression, string function or user-defined function — not a
/// signed or arithmetic expression, nor a numeric or geometric function.
fn concat_operand(side: &Expr, t: Kind) -> Result<(), AdqlError> {
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

fn is_comparison(op: &BinaryOperator) -> bool {
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

fn cast_target(e: &Expr, data_type: &DataType) -> Result<Kind, AdqlError> {
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
