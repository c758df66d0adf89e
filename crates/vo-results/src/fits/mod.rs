//! FITS binary tables (FITS 4.0 §7.3): the result in the first extension of a file whose
//! primary HDU is empty. FITS needs the row count and every column's width before the
//! first row, so rows are spooled to temporary files on disk (memory stays small whatever
//! the size) and the file is written when the result ends, in pieces ([`ResultWriter::drain`]).
//!
//! Text columns get the widest value's width (`nA`, NUL-padded), in printable ASCII with
//! escapes for anything else ([`ascii`]); fixed numeric
//! arrays are repeated columns (`2D`), variable ones live in the heap (`PD(n)`, `PJ(n)`, ...); integer nulls use `TNULLn`, float
//! nulls NaN, boolean nulls a zero byte. Units, UCDs, utypes and descriptions go into
//! `TUNITn`, `TUCDn`, `TUTYPn` and `TCOMMn` as STIL (TOPCAT) writes them; an OVERFLOW (MAXREC
//! reached) is recorded in the primary header and in the extension.

mod ascii;
mod spool;

use crate::field::Shape;
use crate::{Cell, Datatype, Ending, ResultMeta, ResultWriter};
use spool::{Spool, Spooled};
use vo_fits::{Header, Value, BLOCK};

pub(crate) struct FitsWriter {
    meta: ResultMeta,
    spool: Option<Spool>,
    /// Set by `end`: what `drain` still has to write.
    pending: Option<Pending>,
    failed: Option<String>,
}

struct Pending {
    spooled: Spooled,
    row_bytes: usize,
    rows_left: u64,
    heap_left: u64,
    written: u64,
}

/// How a column is laid out in a row.
fn column_form(field: &crate::Field, text_width: usize, max_elements: usize) -> (String, usize) {
    let datatype = field.datatype;
    if datatype.is_text() {
        let width = text_width.max(1);
        return (format!("{width}A"), width);
    }
    let code = element_code(datatype);
    match field.shape() {
        Shape::Scalar => (code.to_string(), element_width(datatype)),
        Shape::Fixed(n) => (format!("{n}{code}"), n * element_width(datatype)),
        Shape::Variable => (format!("P{code}({max_elements})"), 8),
    }
}

fn element_code(datatype: Datatype) -> char {
    match datatype {
        Datatype::Boolean => 'L',
        Datatype::Short => 'I',
        Datatype::Int => 'J',
        Datatype::Long => 'K',
        Datatype::Float => 'E',
        Datatype::Double => 'D',
        Datatype::Char | Datatype::UnicodeChar => 'A',
    }
}

pub(crate) fn element_width(datatype: Datatype) -> usize {
    match datatype {
        Datatype::Boolean | Datatype::Char | Datatype::UnicodeChar => 1,
        Datatype::Short => 2,
        Datatype::Int | Datatype::Float => 4,
        Datatype::Long | Datatype::Double => 8,
    }
}

/// The TNULL of an integer column: the type's minimum, as BINARY VOTables declare it.
pub(crate) use crate::votable::binary_null as integer_null;

impl FitsWriter {
    pub fn new(meta: ResultMeta) -> FitsWriter {
        let (spool, failed) = match Spool::new(&meta.fields) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(format!("cannot spool the FITS result: {e}"))),
        };
        FitsWriter {
            meta,
            spool,
            pending: None,
            failed,
        }
    }

    fn headers(&self, spooled: &Spooled, ending: &Ending) -> (Vec<u8>, usize) {
        let mut primary = Header::default();
        primary.push("SIMPLE", Value::Logical(true), "conforms to FITS");
        primary.push("BITPIX", Value::Int(8), "");
        primary.push(
            "NAXIS",
            Value::Int(0),
            "the table is in the first extension",
        );
        primary.push("EXTEND", Value::Logical(true), "");
        for (name, value) in &self.meta.infos {
            primary.comment(&format!("{name}: {value}"));
        }
        let status = match ending {
            Ending::Overflow => "OVERFLOW",
            Ending::Error(_) => "ERROR",
            Ending::Complete => "OK",
        };
        primary.push(
            "QSTATUS",
            Value::Str(status.to_string()),
            "TAP query status (OVERFLOW: MAXREC reached)",
        );
        if let Ending::Error(message) = ending {
            primary.comment(message);
        }

        let mut ext = Header::default();
        let forms: Vec<(String, usize)> = self
            .meta
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| column_form(f, spooled.text_widths[i], spooled.max_elements[i]))
            .collect();
        let row_bytes: usize = forms.iter().map(|(_, w)| w).sum();
        ext.push(
            "XTENSION",
            Value::Str("BINTABLE".to_string()),
            "binary table extension",
        );
        ext.push("BITPIX", Value::Int(8), "");
        ext.push("NAXIS", Value::Int(2), "");
        ext.push("NAXIS1", Value::Int(row_bytes as i64), "bytes per row");
        ext.push("NAXIS2", Value::Int(spooled.rows as i64), "rows");
        ext.push(
            "PCOUNT",
            Value::Int(spooled.heap_bytes as i64),
            "heap bytes",
        );
        ext.push("GCOUNT", Value::Int(1), "");
        ext.push("TFIELDS", Value::Int(self.meta.fields.len() as i64), "");
        ext.push("EXTNAME", Value::Str("RESULTS".to_string()), "");
        ext.push("QSTATUS", Value::Str(status.to_string()), "");
        if self.meta.fields.iter().any(|f| f.datatype.is_text()) {
            ext.comment(ascii::ESCAPES_NOTE);
        }
        for (i, (field, (form, _))) in self.meta.fields.iter().zip(&forms).enumerate() {
            let n = i + 1;
            ext.push(&format!("TTYPE{n}"), Value::Str(field.name.clone()), "");
            ext.push(&format!("TFORM{n}"), Value::Str(form.to_string()), "");
            if let Some(null) = integer_null(field.datatype) {
                ext.push(&format!("TNULL{n}"), Value::Int(null), "");
            }
            if let Some(unit) = &field.unit {
                ext.push(&format!("TUNIT{n}"), Value::Str(unit.to_string()), "");
            }
            if let Some(ucd) = &field.ucd {
                ext.push(&format!("TUCD{n}"), Value::Str(ucd.to_string()), "");
            }
            if let Some(utype) = &field.utype {
                ext.push(&format!("TUTYP{n}"), Value::Str(utype.to_string()), "");
            }
            if let Some(xtype) = &field.xtype {
                ext.push(&format!("TXTYP{n}"), Value::Str(xtype.to_string()), "");
            }
            if let Some(description) = &field.description {
                ext.push(
                    &format!("TCOMM{n}"),
                    Value::Str(description.to_string()),
                    "",
                );
            }
        }
        let mut bytes = primary.to_bytes();
        bytes.extend(ext.to_bytes());
        (bytes, row_bytes)
    }
}

impl ResultWriter for FitsWriter {
    fn begin(&mut self, _out: &mut Vec<u8>) {}

    fn row(&mut self, _out: &mut Vec<u8>, cells: &[Cell]) {
        if let Some(spool) = self.spool.as_mut() {
            if let Err(e) = spool.push(&self.meta.fields, cells) {
                self.failed = Some(format!("cannot spool the FITS result: {e}"));
                self.spool = None;
            }
        }
    }

    fn end(&mut self, out: &mut Vec<u8>, ending: &Ending) {
        let spooled = match self.spool.take().map(Spool::finish) {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                self.failed = Some(format!("cannot spool the FITS result: {e}"));
                Spooled::empty(self.meta.fields.len())
            }
            None => Spooled::empty(self.meta.fields.len()),
        };
        let ending = match &self.failed {
            Some(message) => Ending::Error(message.clone()),
            None => ending.clone(),
        };
        let (headers, row_bytes) = self.headers(&spooled, &ending);
        out.extend_from_slice(&headers);
        self.pending = Some(Pending {
            rows_left: spooled.rows,
            heap_left: spooled.heap_bytes,
            spooled,
            row_bytes,
            written: 0,
        });
    }

    fn drain(&mut self, out: &mut Vec<u8>) -> bool {
        const PIECE: usize = 1 << 20;
        let Some(p) = self.pending.as_mut() else {
            return false;
        };
        let start = out.len();
        while p.rows_left > 0 && out.len() - start < PIECE {
            let before = out.len();
            if p.spooled.write_row(&self.meta.fields, out).is_err() {
                // the spool was written by this process moments ago; a read failure leaves a
                // short file, which readers reject rather than misread
                self.pending = None;
                return false;
            }
            debug_assert_eq!(out.len() - before, p.row_bytes);
            p.rows_left -= 1;
        }
        while p.rows_left == 0 && p.heap_left > 0 && out.len() - start < PIECE {
            match p.spooled.copy_heap(out, PIECE) {
                Ok(n) if n > 0 => p.heap_left = p.heap_left.saturating_sub(n as u64),
                _ => {
                    self.pending = None;
                    return false;
                }
            }
        }
        p.written += (out.len() - start) as u64;
        if p.rows_left == 0 && p.heap_left == 0 {
            let padded = p.written.div_ceil(BLOCK as u64) * BLOCK as u64;
            out.resize(out.len() + (padded - p.written) as usize, 0);
            self.pending = None;
            return false;
        }
        true
    }
}
