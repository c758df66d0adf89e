//! SODA 1.0 cutouts of FITS images and cubes: a sky region (CIRCLE, RANGE, POLYGON), a
//! wavelength band, a time interval and polarization states select a box of pixels, which
//! is copied byte for byte from a memory map of the file into a new FITS file whose WCS
//! keeps every kept pixel at its sky position, frequency and state.
//!
//! Owns: planning the box from a request (with error messages naming the constraint and
//! the dataset's extent), the output header, and streaming the pixels without reading the
//! whole cube (only the pages holding the box are touched).
//!
//! Does not own: HTTP or parsing SODA's parameters (the endpoint crate turns POS, CIRCLE,
//! POLYGON, BAND, TIME and POL into a [`CutoutRequest`]), sky shapes and their geometry
//! ([`vo_region`]), finding the file of a dataset identifier, or FITS parsing and WCS
//! formulas ([`vo_fits`]).

mod cube;
mod error;
mod extent;
mod header;
mod plan;
mod polarization;
mod prefetch;
mod request;
mod spatial;
mod spectral;
mod write;

pub use cube::Cube;
pub use error::CutoutError;
pub use plan::{AxisCut, Cutout};
pub use request::CutoutRequest;
pub use write::{fits_len, write_fits};
