//! VOTable documents.
//!
//! Owns: reading a VOTable's first table (FIELD metadata and TABLEDATA cells as text), as
//! used by ingest and table uploads.
//!
//! Does not own: what the columns mean (callers map FIELD names onto the catalogue), nor
//! HTTP or database access.

mod read;

pub use read::{read_table, Field, Table, VotableError};
