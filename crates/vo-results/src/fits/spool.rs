//! Rows kept on disk until the FITS header can be written: one file of rows in an internal
//! layout, one of heap bytes (numeric arrays, already big-endian as FITS wants them), and the
//! widths the header needs.

use super::element_width;
use crate::field::{Field, Shape};
use crate::{Cell, Datatype};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

pub(crate) struct Spool {
    rows_file: BufWriter<File>,
    heap_file: BufWriter<File>,
    text_widths: Vec<usize>,
    max_elements: Vec<usize>,
    rows: u64,
    heap_bytes: u64,
    /// One value's bytes, reused from cell to cell.
    scratch: Vec<u8>,
}

/// The spool after the last row: read back in order.
pub(crate) struct Spooled {
    rows_file: Option<BufReader<File>>,
    heap_file: Option<BufReader<File>>,
    pub text_widths: Vec<usize>,
    pub max_elements: Vec<usize>,
    pub rows: u64,
    pub heap_bytes: u64,
}

/// A numeric array of variable length: its elements go to the heap.
fn is_variable_array(field: &Field) -> bool {
    !field.datatype.is_text() && field.shape() == Shape::Variable
}

/// Elements per row in the row itself: 1 for a scalar, n for a fixed array of n.
pub(crate) fn inline_elements(field: &Field) -> usize {
    match field.shape() {
        Shape::Fixed(n) => n,
        _ => 1,
    }
}

impl Spool {
    pub fn new(fields: &[Field]) -> std::io::Result<Spool> {
        Ok(Spool {
            rows_file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            heap_file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            text_widths: vec![0; fields.len()],
            max_elements: vec![0; fields.len()],
            rows: 0,
            heap_bytes: 0,
            scratch: Vec::with_capacity(64),
        })
    }

    pub fn push(&mut self, fields: &[Field], cells: &[Cell]) -> std::io::Result<()> {
        let w = &mut self.rows_file;
        for (i, field) in fields.iter().enumerate() {
            let cell = cells.get(i).unwrap_or(&Cell::Null);
            if field.datatype.is_text() {
                let value = crate::text::cell_text(field, cell);
                let text = super::ascii::fits_text(&value);
                self.text_widths[i] = self.text_widths[i].max(text.len());
                w.write_all(&(text.len() as u32).to_le_bytes())?;
                w.write_all(text.as_bytes())?;
            } else if is_variable_array(field) {
                let elements = cell.elements();
                self.max_elements[i] = self.max_elements[i].max(elements.len());
                w.write_all(&(elements.len() as u32).to_le_bytes())?;
                w.write_all(&self.heap_bytes.to_le_bytes())?;
                let bytes = &mut self.scratch;
                bytes.clear();
                for (int, float) in elements {
                    push_element(bytes, field.datatype, int, float);
                }
                self.heap_file.write_all(bytes)?;
                self.heap_bytes += bytes.len() as u64;
            } else {
                // a scalar or a fixed array, already as FITS bytes
                let bytes = &mut self.scratch;
                bytes.clear();
                let n = inline_elements(field);
                match field.shape() {
                    Shape::Scalar => {
                        let (int, float) = cell.scalar();
                        push_element(bytes, field.datatype, int, float);
                    }
                    _ => {
                        let elements = cell.elements();
                        for k in 0..n {
                            let (int, float) = elements.get(k).copied().unwrap_or((None, f64::NAN));
                            push_element(bytes, field.datatype, int, float);
                        }
                    }
                }
                w.write_all(bytes)?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<Spooled> {
        let reopen = |w: BufWriter<File>| -> std::io::Result<BufReader<File>> {
            let mut file = w.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            Ok(BufReader::with_capacity(1 << 16, file))
        };
        Ok(Spooled {
            rows_file: Some(reopen(self.rows_file)?),
            heap_file: Some(reopen(self.heap_file)?),
            text_widths: self.text_widths,
            max_elements: self.max_elements,
            rows: self.rows,
            heap_bytes: self.heap_bytes,
        })
    }
}

/// A value as FITS stores it: integer nulls are the column's TNULL (the type's minimum),
/// boolean nulls a zero byte, float nulls NaN.
fn push_element(out: &mut Vec<u8>, datatype: Datatype, int: Option<i64>, float: f64) {
    let nulls = crate::big_endian::Nulls {
        integer: None,
        boolean: 0,
    };
    crate::big_endian::push(out, datatype, int, float, nulls);
}

impl Spooled {
    pub fn empty(fields: usize) -> Spooled {
        Spooled {
            rows_file: None,
            heap_file: None,
            text_widths: vec![0; fields],
            max_elements: vec![0; fields],
            rows: 0,
            heap_bytes: 0,
        }
    }

    /// Appends the next row, in FITS layout.
    pub fn write_row(&mut self, fields: &[Field], out: &mut Vec<u8>) -> std::io::Result<()> {
        let r = self
            .rows_file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no spooled rows"))?;
        let mut u32_buf = [0u8; 4];
        let mut u64_buf = [0u8; 8];
        for (i, field) in fields.iter().enumerate() {
            if field.datatype.is_text() {
                r.read_exact(&mut u32_buf)?;
                let len = u32::from_le_bytes(u32_buf) as usize;
                let start = out.len();
                out.resize(start + len, 0);
                r.read_exact(&mut out[start..])?;
                out.resize(start + self.text_widths[i].max(1), 0);
            } else if is_variable_array(field) {
                r.read_exact(&mut u32_buf)?;
                r.read_exact(&mut u64_buf)?;
                let count = u32::from_le_bytes(u32_buf);
                let offset = u64::from_le_bytes(u64_buf);
                out.extend_from_slice(&(count as i32).to_be_bytes());
                out.extend_from_slice(&(offset as i32).to_be_bytes());
            } else {
                let width = element_width(field.datatype) * inline_elements(field);
                let start = out.len();
                out.resize(start + width, 0);
                r.read_exact(&mut out[start..])?;
            }
        }
        Ok(())
    }

    /// Appends up to `max` heap bytes; returns how many.
    pub fn copy_heap(&mut self, out: &mut Vec<u8>, max: usize) -> std::io::Result<usize> {
        let h = self
            .heap_file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no spooled heap"))?;
        let start = out.len();
        out.resize(start + max, 0);
        let n = h.read(&mut out[start..])?;
        out.truncate(start + n);
        Ok(n)
    }
}
