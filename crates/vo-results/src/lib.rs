//! Query results as bytes, written row by row so that a result of any size streams through a
//! small buffer.
//!
//! Owns: the result formats — VOTable 1.4 in TABLEDATA, BINARY and BINARY2, CSV, TSV, FITS
//! binary tables (spooled to disk until the row count is known) and Parquet — their
//! names and MIME types, the per-column metadata written into them ([`Field`]), the values a
//! row carries ([`Cell`]), and how a result ends (OK, OVERFLOW after MAXREC rows, or an error
//! after some rows were sent); the DataLink service descriptors a VOTable may carry. Error documents for requests that fail before any row.
//!
//! Does not own: where rows come from (vo-query decodes PostgreSQL rows into [`Cell`]s),
//! FITS header cards (vo-fits writes them), HTTP, or reading VOTables (the upload reader).

mod big_endian;
mod cell;
mod field;
mod fits;
mod format;
mod number;
mod parquet;
mod text;
mod votable;
mod writer;

pub use cell::Cell;
pub use field::{Datatype, Field};
pub use format::{Format, FormatError};
pub use votable::{error_votable, escape_xml, xml_id, InputParam, ServiceDescriptor};
pub use writer::{writer_for, Ending, ResultMeta, ResultWriter};
