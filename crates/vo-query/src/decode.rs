//! PostgreSQL values in binary form → result cells, without going through per-type
//! allocations. The translator converts pgSphere values to text or arrays in SQL, so only
//! built-in types arrive here.

use std::borrow::Cow;
use tokio_postgres::types::{FromSql, Type};
use vo_results::Cell;

/// A value decoded straight from its binary form.
pub(crate) struct Decoded<'a>(pub Cell<'a>);

impl<'a> FromSql<'a> for Decoded<'a> {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Decoded(cell(ty, raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Decoded(Cell::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Whether values of this type can be decoded (anything else is refused before the query
/// runs).
pub fn supported(ty: &Type) -> bool {
    decoder(ty).is_some()
}

fn int(bytes: &[u8]) -> Option<i64> {
    Some(match bytes.len() {
        2 => i16::from_be_bytes(bytes.try_into().ok()?) as i64,
        4 => i32::from_be_bytes(bytes.try_into().ok()?) as i64,
        8 => i64::from_be_bytes(bytes.try_into().ok()?),
        _ => return None,
    })
}

fn float(bytes: &[u8]) -> Option<f64> {
    Some(match bytes.len() {
        4 => f32::from_be_bytes(bytes.try_into().ok()?) as f64,
        8 => f64::from_be_bytes(bytes.try_into().ok()?),
        _ => return None,
    })
}

/// NUMERIC's binary form: digit count, weight, sign, scale, then base-10000 digits.
fn numeric(bytes: &[u8]) -> Option<f64> {
    let word = |i: usize| -> Option<u16> {
        Some(u16::from_be_bytes(bytes.get(i..i + 2)?.try_into().ok()?))
    };
    let digits = word(0)? as usize;
    let weight = word(2)? as i16 as i32;
    let sign = word(4)?;
    match sign {
        0xC000 => return Some(f64::NAN),
        0xD000 => return Some(f64::INFINITY),
        0xF000 => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    let mut value = 0.0;
    for i in 0..digits {
        value += word(8 + 2 * i)? as f64 * 10000f64.powi(weight - i as i32);
    }
    Some(if sign == 0x4000 { -value } else { value })
}

/// Microseconds since 2000-01-01 → ISO 8601 (DALI timestamp, UTC, milliseconds).
fn timestamp(bytes: &[u8]) -> Option<String> {
    let micros = i64::from_be_bytes(bytes.try_into().ok()?);
    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)?.and_hms_opt(0, 0, 0)?;
    let t = epoch.checked_add_signed(chrono::Duration::microseconds(micros))?;
    Some(t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string())
}

fn date(bytes: &[u8]) -> Option<String> {
    let days = i32::from_be_bytes(bytes.try_into().ok()?);
    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)?;
    Some(
        epoch
            .checked_add_signed(chrono::Duration::days(days as i64))?
            .format("%Y-%m-%d")
            .to_string(),
    )
}

/// A one-dimensional array: (element type oid, elements as raw bytes or None for null).
fn array(bytes: &[u8]) -> Option<Vec<Option<&[u8]>>> {
    let int = |i: usize| -> Option<i32> {
        Some(i32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?))
    };
    let dimensions = int(0)?;
    if dimensions == 0 {
        return Some(Vec::new());
    }
    if dimensions != 1 {
        return None;
    }
    let count = int(12)? as usize;
    let mut at = 20;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let len = int(at)?;
        at += 4;
        if len < 0 {
            out.push(None);
        } else {
            out.push(Some(bytes.get(at..at + len as usize)?));
            at += len as usize;
        }
    }
    Some(out)
}

type Decoder = for<'a> fn(&'a [u8]) -> Option<Cell<'a>>;

fn bool_cell(b: &[u8]) -> Option<Cell<'_>> {
    b.first().map(|v| Cell::Bool(*v != 0))
}
fn int_cell(b: &[u8]) -> Option<Cell<'_>> {
    int(b).map(Cell::Int)
}
fn oid_cell(b: &[u8]) -> Option<Cell<'_>> {
    b.try_into()
        .ok()
        .map(|v| Cell::Int(u32::from_be_bytes(v) as i64))
}
fn float_cell(b: &[u8]) -> Option<Cell<'_>> {
    float(b).map(Cell::Float)
}
fn numeric_cell(b: &[u8]) -> Option<Cell<'_>> {
    numeric(b).map(Cell::Float)
}
fn text_cell(b: &[u8]) -> Option<Cell<'_>> {
    // PostgreSQL sends valid UTF-8 (the database encoding); the lossy path is a fallback
    Some(Cell::Text(match std::str::from_utf8(b) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(b),
    }))
}
fn timestamp_cell(b: &[u8]) -> Option<Cell<'_>> {
    timestamp(b).map(|t| Cell::Text(Cow::Owned(t)))
}
fn date_cell(b: &[u8]) -> Option<Cell<'_>> {
    date(b).map(|t| Cell::Text(Cow::Owned(t)))
}
fn floats_cell(b: &[u8]) -> Option<Cell<'_>> {
    array(b).map(|v| Cell::Floats(v.into_iter().map(|e| e.and_then(float)).collect()))
}
fn numerics_cell(b: &[u8]) -> Option<Cell<'_>> {
    array(b).map(|v| Cell::Floats(v.into_iter().map(|e| e.and_then(numeric)).collect()))
}
fn ints_cell(b: &[u8]) -> Option<Cell<'_>> {
    array(b).map(|v| Cell::Ints(v.into_iter().map(|e| e.and_then(int)).collect()))
}

/// How values of a type are decoded; the one list of supported types.
fn decoder(ty: &Type) -> Option<Decoder> {
    Some(match *ty {
        Type::BOOL => bool_cell,
        Type::INT2 | Type::INT4 | Type::INT8 => int_cell,
        Type::OID => oid_cell,
        Type::FLOAT4 | Type::FLOAT8 => float_cell,
        Type::NUMERIC => numeric_cell,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => text_cell,
        Type::TIMESTAMP | Type::TIMESTAMPTZ => timestamp_cell,
        Type::DATE => date_cell,
        Type::FLOAT8_ARRAY | Type::FLOAT4_ARRAY => floats_cell,
        Type::NUMERIC_ARRAY => numerics_cell,
        Type::INT2_ARRAY | Type::INT4_ARRAY | Type::INT8_ARRAY => ints_cell,
        _ => return None,
    })
}

/// The cell for a non-null value.
fn cell<'a>(ty: &Type, bytes: &'a [u8]) -> Cell<'a> {
    decoder(ty)
        .and_then(|decode| decode(bytes))
        .unwrap_or(Cell::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_binary_form() {
        // 12345.678: digits 1, 2345, 6780; weight 1; positive; scale 3
        let mut b = Vec::new();
        for w in [3u16, 1, 0, 3, 1, 2345, 6780] {
            b.extend_from_slice(&w.to_be_bytes());
        }
        assert!((numeric(&b).unwrap() - 12345.678).abs() < 1e-9);
    }

    #[test]
    fn timestamps_are_dali() {
        let micros: i64 = 86_400 * 1_000_000 + 1_500;
        assert_eq!(
            timestamp(&micros.to_be_bytes()).unwrap(),
            "2000-01-02T00:00:00.001"
        );
    }
}
