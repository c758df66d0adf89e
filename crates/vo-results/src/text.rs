//! Values as text (TABLEDATA cells, CSV, TSV) and the CSV and TSV writers.

use crate::number::{push_f32, push_float, push_int};
use crate::{Cell, Datatype, Ending, Field, ResultMeta, ResultWriter};

/// Writes a non-null, non-text cell as text, in the column's declared datatype.
/// A cell of a text column as a string (empty for null; other values as TABLEDATA writes
/// them).
pub(crate) fn cell_text<'c>(field: &Field, cell: &'c Cell) -> std::borrow::Cow<'c, str> {
    match cell {
        Cell::Null => "".into(),
        Cell::Text(t) => t.as_ref().into(),
        other => {
            let mut out = Vec::new();
            push_cell_text(&mut out, field, other, b"T", b"F");
            String::from_utf8(out).unwrap_or_default().into()
        }
    }
}

pub(crate) fn push_cell_text(out: &mut Vec<u8>, field: &Field, cell: &Cell, yes: &[u8], no: &[u8]) {
    let integer = matches!(
        field.datatype,
        Datatype::Short | Datatype::Int | Datatype::Long
    );
    let float = |out: &mut Vec<u8>, x: f64| match field.datatype {
        Datatype::Float => push_f32(out, x as f32),
        _ if integer && x.is_finite() => push_int(out, x.round() as i64),
        _ => push_float(out, x),
    };
    match cell {
        Cell::Null => {}
        Cell::Bool(b) => out.extend_from_slice(if *b { yes } else { no }),
        Cell::Int(i) => push_int(out, *i),
        Cell::Float(x) => float(out, *x),
        Cell::Text(t) => out.extend_from_slice(t.as_bytes()),
        Cell::Floats(values) => {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                float(out, v.unwrap_or(f64::NAN));
            }
        }
        Cell::Ints(values) => {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                match v {
                    Some(x) => push_int(out, *x),
                    None => out.extend_from_slice(b"NaN"),
                }
            }
        }
    }
}

/// CSV (RFC 4180, header line) or TSV (tabs; tabs and line breaks in values become spaces).
pub(crate) struct DelimitedWriter {
    meta: ResultMeta,
    separator: u8,
}

impl DelimitedWriter {
    pub fn csv(meta: ResultMeta) -> DelimitedWriter {
        DelimitedWriter {
            meta,
            separator: b',',
        }
    }

    pub fn tsv(meta: ResultMeta) -> DelimitedWriter {
        DelimitedWriter {
            meta,
            separator: b'\t',
        }
    }

    /// A text value: in TSV with its tabs and line breaks as spaces; in CSV quoted when it
    /// is empty, holds a comma, quote or line break, or starts or ends with a space. Runs
    /// without such bytes are copied whole (a value such as `frequency_support` is long).
    fn push_text(&self, out: &mut Vec<u8>, text: &str) {
        let mut rest = text.as_bytes();
        if self.separator == b'\t' {
            while let Some(i) = memchr::memchr3(b'\t', b'\n', b'\r', rest) {
                out.extend_from_slice(&rest[..i]);
                out.push(b' ');
                rest = &rest[i + 1..];
            }
            out.extend_from_slice(rest);
            return;
        }
        let quote = rest.is_empty()
            || memchr::memchr3(b',', b'"', b'\n', rest).is_some()
            || memchr::memchr(b'\r', rest).is_some()
            || rest[0] == b' '
            || rest[rest.len() - 1] == b' ';
        if !quote {
            out.extend_from_slice(rest);
            return;
        }
        out.push(b'"');
        while let Some(i) = memchr::memchr(b'"', rest) {
            out.extend_from_slice(&rest[..=i]);
            out.push(b'"');
            rest = &rest[i + 1..];
        }
        out.extend_from_slice(rest);
        out.push(b'"');
    }
}

impl ResultWriter for DelimitedWriter {
    fn begin(&mut self, out: &mut Vec<u8>) {
        for (i, field) in self.meta.fields.iter().enumerate() {
            if i > 0 {
                out.push(self.separator);
            }
            self.push_text(out, &field.name);
        }
        out.extend_from_slice(if self.separator == b'\t' {
            b"\n"
        } else {
            b"\r\n"
        });
    }

    fn row(&mut self, out: &mut Vec<u8>, cells: &[Cell]) {
        for (i, (field, cell)) in self.meta.fields.iter().zip(cells).enumerate() {
            if i > 0 {
                out.push(self.separator);
            }
            match cell {
                Cell::Null => {}
                // an empty string is written "" so that it differs from a null
                Cell::Text(t) => self.push_text(out, t),
                other => push_cell_text(out, field, other, b"true", b"false"),
            }
        }
        out.extend_from_slice(if self.separator == b'\t' {
            b"\n"
        } else {
            b"\r\n"
        });
    }

    fn end(&mut self, _out: &mut Vec<u8>, _ending: &Ending) {
        // CSV and TSV have no place for a status; an error after rows were sent is signalled
        // by the caller aborting the transfer.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(writer: &DelimitedWriter, text: &str) -> String {
        let mut out = Vec::new();
        writer.push_text(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_what_rfc_4180_needs_and_tsv_turns_breaks_into_spaces() {
        let csv = DelimitedWriter::csv(ResultMeta::default());
        assert_eq!(written(&csv, "plain text"), "plain text");
        assert_eq!(written(&csv, ""), "\"\"");
        assert_eq!(written(&csv, "a,b"), "\"a,b\"");
        assert_eq!(
            written(&csv, "say \"hi\", twice \"\""),
            "\"say \"\"hi\"\", twice \"\"\"\"\""
        );
        assert_eq!(written(&csv, "line\nbreak"), "\"line\nbreak\"");
        assert_eq!(written(&csv, "cr\rhere"), "\"cr\rhere\"");
        assert_eq!(written(&csv, " lead"), "\" lead\"");
        assert_eq!(written(&csv, "trail "), "\"trail \"");
        assert_eq!(written(&csv, "é,ü"), "\"é,ü\"");
        let tsv = DelimitedWriter::tsv(ResultMeta::default());
        assert_eq!(written(&tsv, "a\tb\nc\rd, \"e\""), "a b c d, \"e\"");
        assert_eq!(written(&tsv, ""), "");
    }
}
