//! VOTable documents.
//!
//! Owns: reading a VOTable's first table (FIELD metadata with declared nulls, and cells as
//! text from TABLEDATA or an inline BINARY/BINARY2 stream), as used by ingest and table
//! uploads; writing a table back as TABLEDATA (the checked form an asynchronous job keeps).
//!
//! Does not own: what the columns mean (callers map FIELD names onto the catalogue), nor
//! HTTP or database access.

mod binary;
mod read;
mod write;

pub use binary::BinaryKind;
pub use read::{read_table, Field, Table, VotableError};
pub use write::write_tabledata;
