//! VOTable documents.
//!
//! Owns: reading a VOTable's first table (FIELD metadata with declared nulls, and cells as
//! text from TABLEDATA or an inline BINARY/BINARY2 stream), as used by ingest and table
//! uploads.
//!
//! Does not own: what the columns mean (callers map FIELD names onto the catalogue), nor
//! HTTP or database access.

mod binary;
mod read;

pub use binary::BinaryKind;
pub use read::{read_table, Field, Table, VotableError};
