//! Reading sqlparser's tree: helpers that both the check and the translation ask.

use crate::error::AdqlError;
use crate::functions::is_reserved;
use sqlparser::ast::{Expr, Function, Ident, UnaryOperator, Value};

pub(crate) fn function_name(f: &Function) -> Option<&str> {
    match f.name.0.as_slice() {
        [single] => single.as_ident().map(|i| i.value.as_str()),
        _ => None,
    }
}

/// Whether `e` calls a function that ADQL compares with 0 or 1 to make a condition: a
/// geometry predicate, or the spectral-window test.
pub(crate) fn is_predicate_call(e: &Expr) -> bool {
    matches!(e, Expr::Function(f) if function_name(f).is_some_and(|n| ["CONTAINS", "INTERSECTS", crate::functions::SPECTRAL_WINDOW_OVERLAPS].iter().any(|p| n.eq_ignore_ascii_case(p))))
}

/// The value of a numeric literal (with sign and parentheses), if `e` is one.
pub(crate) fn literal_number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => literal_number(expr).map(|v| -v),
        Expr::Nested(inner) => literal_number(inner),
        _ => None,
    }
}

/// Checks a name written in the query: a regular identifier (Latin letter first, then
/// letters, digits, underscores; not a reserved word) or a delimited one.
pub(crate) fn identifier(ident: &Ident) -> Result<(), AdqlError> {
    if ident.quote_style == Some('"') {
        return Ok(());
    }
    let at = ident.span.start;
    if ident.quote_style.is_some() {
        return Err(AdqlError::at(
            format!("the name {ident} is quoted in a way ADQL does not know"),
            at,
        )
        .with_hint("use double quotes"));
    }
    let v = &ident.value;
    if !v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(
            AdqlError::at(format!("'{v}' is not a valid ADQL name"), at).with_hint(format!(
                "names start with a letter; write \"{v}\" to use it as it is"
            )),
        );
    }
    if is_reserved(v) {
        return Err(
            AdqlError::at(format!("'{v}' is a reserved word in ADQL"), at)
                .with_hint(format!("write \"{v}\" to use it as a name")),
        );
    }
    Ok(())
}

pub(crate) fn is_unsigned_integer(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n.chars().all(|c| c.is_ascii_digit())))
}
