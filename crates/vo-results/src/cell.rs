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
