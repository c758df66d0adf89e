//! One value of a result row, as decoded from the database.

use std::borrow::Cow;

/// A value; writers convert it to the column's declared datatype.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(Cow<'a, str>),
    /// A numeric array, e.g. a DALI point or polygon; `None` elements are nulls.
    Floats(Vec<Option<f64>>),
    Ints(Vec<Option<i64>>),
}

impl Cell<'_> {
    /// The value as an integer, if it is one (floats rounded, text parsed).
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            Cell::Float(f) if f.is_finite() => Some(f.round() as i64),
            Cell::Bool(b) => Some(*b as i64),
            Cell::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a float; NaN when it is null or not a number.
    pub(crate) fn as_float(&self) -> f64 {
        match self {
            Cell::Float(f) => *f,
            Cell::Int(i) => *i as f64,
            Cell::Bool(b) => *b as i64 as f64,
            Cell::Text(t) => t.trim().parse().unwrap_or(f64::NAN),
            _ => f64::NAN,
        }
    }

    /// The value as one (integer, float) pair, without allocating: a null is (None, NaN), an
    /// array stands for its first element.
    pub(crate) fn scalar(&self) -> (Option<i64>, f64) {
        match self {
            Cell::Null => (None, f64::NAN),
            Cell::Floats(v) => v.first().map_or((None, f64::NAN), float_element),
            Cell::Ints(v) => v.first().map_or((None, f64::NAN), int_element),
            scalar => (scalar.as_int(), scalar.as_float()),
        }
    }

    /// The elements of an array value (a scalar is one element, null none), as
    /// (integer, float) pairs for the writer to pick from.
    pub(crate) fn elements(&self) -> Vec<(Option<i64>, f64)> {
        match self {
            Cell::Floats(v) => v.iter().map(float_element).collect(),
            Cell::Ints(v) => v.iter().map(int_element).collect(),
            Cell::Null => Vec::new(),
            scalar => vec![(scalar.as_int(), scalar.as_float())],
        }
    }
}

fn float_element(x: &Option<f64>) -> (Option<i64>, f64) {
    (x.map(|f| f.round() as i64), x.unwrap_or(f64::NAN))
}

fn int_element(x: &Option<i64>) -> (Option<i64>, f64) {
    (*x, x.map(|i| i as f64).unwrap_or(f64::NAN))
}
