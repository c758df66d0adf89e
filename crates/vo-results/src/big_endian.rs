//! Numbers as big-endian bytes, as VOTable BINARY/BINARY2 and FITS binary tables both store
//! them; each format says what an absent integer or boolean becomes.

use crate::Datatype;

/// How a format writes a null integer or boolean (a null float is always NaN).
#[derive(Clone, Copy)]
pub(crate) struct Nulls {
    /// The value an integer null is written as, or `None` for the type's minimum.
    pub integer: Option<i64>,
    pub boolean: u8,
}

/// Appends one numeric or boolean value (`int` for integers and booleans, `float` for floats).
pub(crate) fn push(
    out: &mut Vec<u8>,
    datatype: Datatype,
    int: Option<i64>,
    float: f64,
    nulls: Nulls,
) {
    let integer = || {
        int.or(nulls.integer)
            .or(crate::votable::binary_null(datatype))
            .unwrap_or(0)
    };
    match datatype {
        Datatype::Boolean => out.push(match int {
            Some(0) => b'F',
            Some(_) => b'T',
            None => nulls.boolean,
        }),
        Datatype::Short => out.extend_from_slice(&(integer() as i16).to_be_bytes()),
        Datatype::Int => out.extend_from_slice(&(integer() as i32).to_be_bytes()),
        Datatype::Long => out.extend_from_slice(&integer().to_be_bytes()),
        Datatype::Float => out.extend_from_slice(&(float as f32).to_be_bytes()),
        Datatype::Double => out.extend_from_slice(&float.to_be_bytes()),
        Datatype::Char | Datatype::UnicodeChar => unreachable!("text is written elsewhere"),
    }
}
