//! The streaming writer interface: a header, one call per row, an ending.

use crate::{Cell, Field, Format};

/// What a result carries besides its rows.
#[derive(Debug, Clone, Default)]
pub struct ResultMeta {
    pub fields: Vec<Field>,
    /// INFO elements written before the table in VOTable (name, value), e.g. the query.
    pub infos: Vec<(String, String)>,
    /// Further VOTable RESOURCE elements written after the results (service descriptors),
    /// as complete XML.
    pub trailing_resources: Vec<String>,
}

/// How a result ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// Every row was written.
    Complete,
    /// MAXREC rows were written and more exist.
    Overflow,
    /// The query failed after the header (and perhaps some rows) was sent.
    Error(String),
}

/// Writes one result. `out` is the caller's buffer; the caller sends and clears it whenever
/// it likes, so memory stays bounded whatever the number of rows.
pub trait ResultWriter: Send {
    fn begin(&mut self, out: &mut Vec<u8>);
    fn row(&mut self, out: &mut Vec<u8>, cells: &[Cell]);
    fn end(&mut self, out: &mut Vec<u8>, ending: &Ending);
    /// After `end`: writes the next piece of what the format still holds (FITS spools its
    /// rows until the end) and says whether more remains. The caller sends and clears `out`
    /// between calls.
    fn drain(&mut self, _out: &mut Vec<u8>) -> bool {
        false
    }
}

/// The writer for a format.
pub fn writer_for(format: Format, meta: ResultMeta) -> Box<dyn ResultWriter> {
    match format {
        Format::VotableTabledata => Box::new(crate::votable::TabledataWriter::new(meta)),
        Format::VotableBinary => Box::new(crate::votable::BinaryWriter::new(meta, false)),
        Format::VotableBinary2 => Box::new(crate::votable::BinaryWriter::new(meta, true)),
        Format::Csv => Box::new(crate::text::DelimitedWriter::csv(meta)),
        Format::Tsv => Box::new(crate::text::DelimitedWriter::tsv(meta)),
        Format::Fits => Box::new(crate::fits::FitsWriter::new(meta)),
        Format::Parquet => Box::new(crate::parquet::ParquetWriter::new(meta)),
    }
}
