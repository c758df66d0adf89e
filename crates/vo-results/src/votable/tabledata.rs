//! TABLEDATA: one `<TR>` per row, values as text.

use super::{push_escaped, write_ending, write_header};
use crate::text::push_cell_text;
use crate::{Cell, Ending, ResultMeta, ResultWriter};

pub(crate) struct TabledataWriter {
    meta: ResultMeta,
}

impl TabledataWriter {
    pub fn new(meta: ResultMeta) -> TabledataWriter {
        TabledataWriter { meta }
    }
}

impl ResultWriter for TabledataWriter {
    fn begin(&mut self, out: &mut Vec<u8>) {
        write_header(out, &self.meta, false);
        out.extend_from_slice(b"<TABLEDATA>\n");
    }

    fn row(&mut self, out: &mut Vec<u8>, cells: &[Cell]) {
        out.extend_from_slice(b"<TR>");
        for (field, cell) in super::fields(&self.meta).iter().zip(cells) {
            if matches!(cell, Cell::Null) {
                out.extend_from_slice(b"<TD/>");
                continue;
            }
            out.extend_from_slice(b"<TD>");
            match cell {
                Cell::Text(t) => push_escaped(out, t),
                // numbers, booleans and their arrays need no escaping
                other => push_cell_text(out, field, other, b"T", b"F"),
            }
            out.extend_from_slice(b"</TD>");
        }
        out.extend_from_slice(b"</TR>\n");
    }

    fn end(&mut self, out: &mut Vec<u8>, ending: &Ending) {
        out.extend_from_slice(b"</TABLEDATA>\n");
        write_ending(out, &self.meta, ending);
    }
}
