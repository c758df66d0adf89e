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
mod cards;
mod spool;

use crate::field::Shape;
use crate::{Cell, Datatype, Ending, ResultMeta, ResultWriter};
use cards::{Header, BLOCK};
use spool::{Spool, Spooled};

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
        primary.logical("SIMPLE", true, "conforms to FITS");
        primary.integer("BITPIX", 8, "");
        primary.integer("NAXIS", 0, "the table is in the first extension");
        primary.logical("EXTEND", true, "");
        for (name, value) in &self.meta.infos {
            primary.comment(&format!("{name}: {value}"));
        }
        let status = match ending {
            Ending::Overflow => "OVERFLOW",
            Ending::Error(_) => "ERROR",
            Ending::Complete => "OK",
        };
        primary.string(
            "QSTATUS",
            status,
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
        ext.string("XTENSION", "BINTABLE", "binary table extension");
        ext.integer("BITPIX", 8, "");
        ext.integer("NAXIS", 2, "");
        ext.integer("NAXIS1", row_bytes as i64, "bytes per row");
        ext.integer("NAXIS2", spooled.rows as i64, "rows");
        ext.integer("PCOUNT", spooled.heap_bytes as i64, "heap bytes");
        ext.integer("GCOUNT", 1, "");
        ext.integer("TFIELDS", self.meta.fields.len() as i64, "");
        ext.string("EXTNAME", "RESULTS", "");
        ext.string("QSTATUS", status, "");
        if self.meta.fields.iter().any(|f| f.datatype.is_text()) {
            ext.comment(ascii::ESCAPES_NOTE);
        }
        for (i, (field, (form, _))) in self.meta.fields.iter().zip(&forms).enumerate() {
            let n = i + 1;
            ext.string(&format!("TTYPE{n}"), &field.name, "");
            ext.string(&format!("TFORM{n}"), form, "");
            if let Some(null) = integer_null(field.datatype) {
                ext.integer(&format!("TNULL{n}"), null, "");
            }
            if let Some(unit) = &field.unit {
                ext.string(&format!("TUNIT{n}"), unit, "");
            }
            if let Some(ucd) = &field.ucd {
                ext.string(&format!("TUCD{n}"), ucd, "");
            }
            if let Some(utype) = &field.utype {
                ext.string(&format!("TUTYP{n}"), utype, "");
            }
            if let Some(xtype) = &field.xtype {
                ext.string(&format!("TXTYP{n}"), xtype, "");
            }
            if let Some(description) = &field.description {
                ext.string(&format!("TCOMM{n}"), description, "");
            }
        }
        let mut bytes = primary.finish();
        bytes.extend(ext.finish());
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
