//! BINARY and BINARY2 streams (VOTable 1.4 §5.4–5.5): big-endian values, variable-length
//! arrays prefixed by their element count; BINARY2 rows start with one null flag per FIELD.
//! Cells come out as the text TABLEDATA would carry, so callers read one shape of table.

use crate::read::{Field, VotableError};

/// Which of the two binary serializations a stream uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    Binary,
    Binary2,
}

/// How one FIELD is laid out in the stream.
struct Layout {
    primitive: Primitive,
    /// `None` for a variable-length array (count prefix), else the element count.
    count: Option<usize>,
    scalar: bool,
    null: Option<String>,
}

#[derive(Clone, Copy)]
enum Primitive {
    Boolean,
    Bit,
    UnsignedByte,
    Short,
    Int,
    Long,
    Char,
    UnicodeChar,
    Float,
    Double,
    FloatComplex,
    DoubleComplex,
}

impl Primitive {
    fn parse(datatype: &str) -> Option<Primitive> {
        Some(match datatype {
            "boolean" => Primitive::Boolean,
            "bit" => Primitive::Bit,
            "unsignedByte" => Primitive::UnsignedByte,
            "short" => Primitive::Short,
            "int" => Primitive::Int,
            "long" => Primitive::Long,
            "char" => Primitive::Char,
            "unicodeChar" => Primitive::UnicodeChar,
            "float" => Primitive::Float,
            "double" => Primitive::Double,
            "floatComplex" => Primitive::FloatComplex,
            "doubleComplex" => Primitive::DoubleComplex,
            _ => return None,
        })
    }

    fn width(self) -> usize {
        match self {
            Primitive::Boolean | Primitive::UnsignedByte | Primitive::Char => 1,
            Primitive::Bit => 0,
            Primitive::Short | Primitive::UnicodeChar => 2,
            Primitive::Int | Primitive::Float => 4,
            Primitive::Long | Primitive::Double | Primitive::FloatComplex => 8,
            Primitive::DoubleComplex => 16,
        }
    }
}

fn layout(field: &Field) -> Result<Layout, VotableError> {
    let primitive = Primitive::parse(&field.datatype).ok_or_else(|| {
        VotableError::Field(format!(
            "FIELD {} has datatype '{}', which VOTable does not define",
            field.name, field.datatype
        ))
    })?;
    let (count, scalar) = match field.arraysize.as_deref().map(str::trim) {
        None => (Some(1), true),
        Some(size) if size.ends_with('*') => (None, false),
        Some(size) => {
            let mut total = 1usize;
            for dim in size.split('x') {
                let n = dim.parse::<usize>().map_err(|_| {
                    VotableError::Field(format!(
                        "FIELD {} has arraysize '{size}', which is not like 10, 3x4, 8* or *",
                        field.name
                    ))
                })?;
                total = total.saturating_mul(n);
            }
            (Some(total), false)
        }
    };
    Ok(Layout {
        primitive,
        count,
        scalar,
        null: field.null.clone(),
    })
}

/// A cursor over the decoded stream that reports truncation instead of panicking.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
    row: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], VotableError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        match end {
            Some(end) => {
                let slice = &self.data[self.at..end];
                self.at = end;
                Ok(slice)
            }
            None => Err(VotableError::Stream(format!(
                "row {} needs {n} more bytes but the stream ends",
                self.row
            ))),
        }
    }
}

/// Decodes the base64 text of a STREAM into rows of text cells.
pub fn read_stream(
    base64_text: &str,
    fields: &[Field],
    kind: BinaryKind,
) -> Result<Vec<Vec<Option<String>>>, VotableError> {
    use base64::Engine;
    let compact: String = base64_text.split_ascii_whitespace().collect();
    let data = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| VotableError::Stream(format!("the STREAM is not valid base64: {e}")))?;
    let layouts = fields.iter().map(layout).collect::<Result<Vec<_>, _>>()?;
    let flag_bytes = layouts.len().div_ceil(8);
    let mut bytes = Bytes {
        data: &data,
        at: 0,
        row: 1,
    };
    let mut rows = Vec::new();
    while bytes.at < data.len() {
        let start = bytes.at;
        let flags = match kind {
            BinaryKind::Binary2 => Some(bytes.take(flag_bytes)?.to_vec()),
            BinaryKind::Binary => None,
        };
        let mut row = Vec::with_capacity(layouts.len());
        for (i, layout) in layouts.iter().enumerate() {
            let flagged = flags
                .as_ref()
                .is_some_and(|f| f[i / 8] & (0x80 >> (i % 8)) != 0);
            let text = cell(&mut bytes, layout)?;
            row.push(if flagged { None } else { text });
        }
        if bytes.at == start {
            // no FIELDs, or only zero-length arrays: the bytes left would be rows forever
            return Err(VotableError::Stream(format!(
                "its rows take no bytes, yet {} bytes remain",
                data.len() - start
            )));
        }
        rows.push(row);
        bytes.row += 1;
    }
    Ok(rows)
}

/// Reads one cell; `None` when its value is the null convention for its type.
fn cell(bytes: &mut Bytes, layout: &Layout) -> Result<Option<String>, VotableError> {
    let count = match layout.count {
        Some(n) => n,
        None => {
            let prefix = bytes.take(4)?;
            u32::from_be_bytes(prefix.try_into().expect("4 bytes")) as usize
        }
    };
    let p = layout.primitive;
    if let Primitive::Bit = p {
        let raw = bytes.take(count.div_ceil(8))?;
        let bits: Vec<&str> = (0..count)
            .map(|i| {
                if raw[i / 8] & (0x80 >> (i % 8)) != 0 {
                    "1"
                } else {
                    "0"
                }
            })
            .collect();
        return Ok(Some(bits.join(if layout.scalar { "" } else { " " })));
    }
    let raw = bytes.take(count.checked_mul(p.width()).ok_or_else(|| {
        VotableError::Stream(format!("row {}: an array count overflows", bytes.row))
    })?)?;
    match p {
        Primitive::Char => {
            let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
            // UTF-8 as VOTable 1.5 allows (and as writers send it), else Latin-1
            let text = match std::str::from_utf8(&raw[..end]) {
                Ok(t) => t.to_string(),
                Err(_) => raw[..end].iter().map(|&b| b as char).collect(),
            };
            Ok(Some(text).filter(|t| !t.is_empty()))
        }
        Primitive::UnicodeChar => {
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .take_while(|&u| u != 0)
                .collect();
            let text = String::from_utf16(&units).map_err(|_| {
                VotableError::Stream(format!(
                    "row {}: a unicodeChar value is not UCS-2",
                    bytes.row
                ))
            })?;
            Ok(Some(text).filter(|t| !t.is_empty()))
        }
        _ => {
            let values: Vec<Option<String>> = raw
                .chunks_exact(p.width())
                .map(|c| value(p, c, layout.null.as_deref()))
                .collect();
            if layout.scalar {
                Ok(values.into_iter().next().flatten())
            } else if values.iter().all(Option::is_none) {
                // an empty array, or one whose every element is null (NaN), is a null cell
                Ok(None)
            } else {
                // arrays keep their elements; a null element reads as NaN, as in TABLEDATA
                Ok(Some(
                    values
                        .into_iter()
                        .map(|v| v.unwrap_or_else(|| "NaN".into()))
                        .collect::<Vec<_>>()
                        .join(" "),
                ))
            }
        }
    }
}

fn value(p: Primitive, c: &[u8], null: Option<&str>) -> Option<String> {
    let integer = |v: i64| {
        let text = v.to_string();
        (null.map(str::trim) != Some(text.as_str())).then_some(text)
    };
    let float = |v: f64| {
        if v.is_nan() {
            None
        } else if v.is_infinite() {
            Some(if v > 0.0 { "+Inf" } else { "-Inf" }.to_string())
        } else {
            Some(v.to_string())
        }
    };
    match p {
        Primitive::Boolean => match c[0] {
            b'T' | b't' | b'1' => Some("T".into()),
            b'F' | b'f' | b'0' => Some("F".into()),
            _ => None,
        },
        Primitive::UnsignedByte => integer(c[0] as i64),
        Primitive::Short => integer(i16::from_be_bytes([c[0], c[1]]) as i64),
        Primitive::Int => integer(i32::from_be_bytes(c.try_into().expect("4 bytes")) as i64),
        Primitive::Long => integer(i64::from_be_bytes(c.try_into().expect("8 bytes"))),
        Primitive::Float => {
            let v = f32::from_be_bytes(c.try_into().expect("4 bytes"));
            (!v.is_nan()).then(|| shortest_f32(v))
        }
        Primitive::Double => float(f64::from_be_bytes(c.try_into().expect("8 bytes"))),
        Primitive::FloatComplex => {
            let re = f32::from_be_bytes(c[..4].try_into().expect("4 bytes"));
            let im = f32::from_be_bytes(c[4..].try_into().expect("4 bytes"));
            Some(format!("{} {}", shortest_f32(re), shortest_f32(im)))
        }
        Primitive::DoubleComplex => {
            let re = f64::from_be_bytes(c[..8].try_into().expect("8 bytes"));
            let im = f64::from_be_bytes(c[8..].try_into().expect("8 bytes"));
            Some(format!("{re} {im}"))
        }
        Primitive::Bit | Primitive::Char | Primitive::UnicodeChar => None,
    }
}

/// A float's shortest text that reads back as the same float.
fn shortest_f32(v: f32) -> String {
    if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        v.to_string()
    }
}
