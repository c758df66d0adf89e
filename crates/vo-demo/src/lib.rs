//! The demo archive: an ALMA-like archive generated from a seed.
//!
//! Owns: a model of projects → science goals → group OUS → member OUS → execution blocks
//! on real-looking fields with ALMA's bands, tunings and spectral windows ([`generate`]);
//! the ObsCore rows those imply, in ALMA's value formats; the sources' redshifts and the
//! lines they emit at real rest frequencies (`lines`); FITS cubes and continuum images with
//! correct WCS for every member OUS (small ones, and large ones for a few), packaged as ALMA
//! packages them — written at load, or registered at load and made from the seed on first
//! access (`FilesOnAccess`, the maker the server is given); and loading it all through the
//! ingest crate.
//!
//! Does not own: validation or loading mechanics (ingest), the schema, or serving.
//! The same seed and reference time give the same archive, byte for byte.

mod calibrators;
mod fields;
mod files;
mod lines;
mod load;
mod model;
mod morphology;
mod on_access;
mod rows;
mod weather;

pub use calibrators::{flux_histories, measured_ghz, FluxMeasurement, FluxModel};
pub use files::{
    planned_files, product_files, shape_of, velocity_gradient, write_files, ProductSize,
    FAMILIES_MANIFEST, GRADIENTS_MANIFEST, LARGE, MANIFEST, SMALL,
};
pub use lines::{lines_between, observed_ghz, rest_ghz, Line, LINES};
pub use load::{load_archive, DemoReport};
pub use model::{
    draw_index, generate, redraw, Archive, Delivery, DemoConfig, DrawIndex, Ebs, MemberOus, Origin,
    Project, SmallFiles, Source, Spw,
};
pub use morphology::{Class, Morphology, CLASSES};
pub use on_access::FilesOnAccess;
pub use rows::obscore_rows;
pub use weather::{pwv_limit_mm, pwv_mm};
