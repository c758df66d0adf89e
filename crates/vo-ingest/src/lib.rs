//! Getting data into the archive.
//!
//! Owns: reading ObsCore rows from CSV and VOTable files and deriving them from FITS
//! products; validating every value against the catalogue (with the file, line or HDU,
//! column and reason of each problem, `frequency_support`'s windows among them); parsing
//! `s_region` once into the indexed footprint; registering deliverable files; and loading
//! all of it in one transaction with COPY, so a failed ingest loads nothing and
//! re-ingesting the same rows replaces them.
//!
//! Does not own: the schema (schema/), connections (the db crate), or the demo archive
//! (the demo crate builds rows and hands them to [`Loader`]).

mod error;
mod fits_source;
mod load;
mod policy;
mod rebuild;
mod row;
mod sources;
mod support;
mod validate;

pub use error::{IngestError, IngestErrors, Location};
pub use fits_source::{derive_from_fits, parse_product_path, ProductPath};
pub use load::{FileRecord, LoadReport, Loader};
pub use policy::{alma_band, release_date_for, ALMA_BANDS};
pub use row::{ColumnMap, RawRow};
pub use sources::{read_csv, read_votable};
pub use vo_db::copy_escape;
