//! BINARY and BINARY2: big-endian values in a base64 STREAM. BINARY2 starts each row with
//! null flags; BINARY marks nulls with the values its FIELDs declare (NaN for floats).

use super::{write_ending, write_header};
use crate::field::Shape;
use crate::{Cell, Datatype, Ending, Field, ResultMeta, ResultWriter};
use base64::Engine;

/// Raw bytes are encoded in lines of 57 bytes (76 base64 characters).
const LINE: usize = 57;

pub(crate) struct BinaryWriter {
    meta: ResultMeta,
    null_flags: bool,
    raw: Vec<u8>,
}

impl BinaryWriter {
    pub fn new(meta: ResultMeta, null_flags: bool) -> BinaryWriter {
        BinaryWriter {
            meta,
            null_flags,
            raw: Vec::with_capacity(64 * 1024),
        }
    }

    fn element(&self) -> &'static [u8] {
        if self.null_flags {
            b"BINARY2"
        } else {
            b"BINARY"
        }
    }

    /// Encodes the whole lines of raw bytes gathered so far, keeping the rest.
    fn flush_lines(&mut self, out: &mut Vec<u8>, all: bool) {
        let whole = if all {
            self.raw.len()
        } else {
            self.raw.len() / LINE * LINE
        };
        for chunk in self.raw[..whole].chunks(LINE) {
            let start = out.len();
            out.resize(start + chunk.len().div_ceil(3) * 4, 0);
            let written = base64::engine::general_purpose::STANDARD
                .encode_slice(chunk, &mut out[start..])
                .expect("the buffer was sized for the encoding");
            out.truncate(start + written);
            out.push(b'\n');
        }
        self.raw.drain(..whole);
    }
}

impl ResultWriter for BinaryWriter {
    fn begin(&mut self, out: &mut Vec<u8>) {
        write_header(out, &self.meta, !self.null_flags);
        out.push(b'<');
        out.extend_from_slice(self.element());
        out.extend_from_slice(b">\n<STREAM encoding=\"base64\">\n");
    }

    fn row(&mut self, out: &mut Vec<u8>, cells: &[Cell]) {
        let fields = &self.meta.fields;
        if self.null_flags {
            let start = self.raw.len();
            self.raw.resize(start + fields.len().div_ceil(8), 0);
            for (i, cell) in cells.iter().enumerate().take(fields.len()) {
                if matches!(cell, Cell::Null) {
                    self.raw[start + i / 8] |= 0x80 >> (i % 8);
                }
            }
        }
        for (field, cell) in fields.iter().zip(cells) {
            push_value(&mut self.raw, field, cell, self.null_flags);
        }
        if self.raw.len() >= LINE * 64 {
            self.flush_lines(out, false);
        }
    }

    fn end(&mut self, out: &mut Vec<u8>, ending: &Ending) {
        self.flush_lines(out, true);
        out.extend_from_slice(b"</STREAM>\n</");
        out.extend_from_slice(self.element());
        out.extend_from_slice(b">\n");
        write_ending(out, &self.meta, ending);
    }
}

fn push_number(raw: &mut Vec<u8>, datatype: Datatype, int: Option<i64>, float: f64, flags: bool) {
    // BINARY2 flags nulls, so what stands in the value does not matter; BINARY writes the
    // null its FIELD declares
    let nulls = crate::big_endian::Nulls {
        integer: flags.then_some(0),
        boolean: b'?',
    };
    crate::big_endian::push(raw, datatype, int, float, nulls);
}

fn push_text(raw: &mut Vec<u8>, field: &Field, text: &str) {
    let unicode = field.datatype == Datatype::UnicodeChar;
    if unicode && field.shape() == Shape::Variable {
        // the common case, encoded in place: the count of UTF-16 units, then the units
        let at = raw.len();
        if text.is_ascii() {
            // each byte is one unit: a zero byte, then the byte (a loop the compiler unrolls)
            let n = text.len();
            raw.resize(at + 4 + 2 * n, 0);
            raw[at..at + 4].copy_from_slice(&(n as u32).to_be_bytes());
            for (pair, &b) in raw[at + 4..].chunks_exact_mut(2).zip(text.as_bytes()) {
                pair[1] = b;
            }
            return;
        }
        raw.extend_from_slice(&[0; 4]);
        let mut units: u32 = 0;
        for unit in text.encode_utf16() {
            raw.extend_from_slice(&unit.to_be_bytes());
            units += 1;
        }
        raw[at..at + 4].copy_from_slice(&units.to_be_bytes());
        return;
    }
    let utf16: Vec<u8>;
    // unicodeChar is UTF-16, big-endian: characters beyond the BMP as surrogate pairs (two
    // units of the array), as astropy and STIL read them
    let encoded: &[u8] = if unicode {
        utf16 = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        &utf16
    } else {
        text.as_bytes()
    };
    let width = if unicode { 2 } else { 1 };
    match field.shape() {
        Shape::Scalar => {
            let take = encoded.len().min(width);
            raw.extend_from_slice(&encoded[..take]);
            raw.resize(raw.len() + width - take, 0);
        }
        Shape::Fixed(n) => {
            let bytes = n * width;
            let take = encoded.len().min(bytes);
            raw.extend_from_slice(&encoded[..take]);
            raw.resize(raw.len() + bytes - take, 0);
        }
        Shape::Variable => {
            raw.extend_from_slice(&((encoded.len() / width) as u32).to_be_bytes());
            raw.extend_from_slice(encoded);
        }
    }
}

fn push_value(raw: &mut Vec<u8>, field: &Field, cell: &Cell, flags: bool) {
    if field.datatype.is_text() {
        let text = crate::text::cell_text(field, cell);
        push_text(raw, field, &text);
        return;
    }
    match field.shape() {
        Shape::Scalar => {
            let (int, float) = cell.scalar();
            push_number(raw, field.datatype, int, float, flags);
        }
        Shape::Fixed(n) => {
            let elements = cell.elements();
            for i in 0..n {
                let (int, float) = elements.get(i).copied().unwrap_or((None, f64::NAN));
                push_number(raw, field.datatype, int, float, flags);
            }
        }
        Shape::Variable => {
            let elements = cell.elements();
            raw.extend_from_slice(&(elements.len() as u32).to_be_bytes());
            for (int, float) in elements {
                push_number(raw, field.datatype, int, float, flags);
            }
        }
    }
}
