//! Spectral reference data, read from the files `deploy/spectra.py` writes from registry
//! packages (see the README for their provenance and licences).
//!
//! Owns: the line list (species, transition, rest frequency, upper-level energy, category,
//! relevance rank, source) and the lines a frequency range shows at a redshift; the ALMA
//! site's zenith atmospheric transmission, interpolated in frequency and in precipitable
//! water vapour (the optical depth is linear in the water column, so it is interpolated, and
//! extrapolated past the table, in -ln T).
//!
//! Does not own: where the files are (the caller passes their text), HTTP, or drawing.

mod atmosphere;
mod lines;

pub use atmosphere::Atmosphere;
pub use lines::{observed_ghz, Line, LineList};

/// A reference file that cannot be read: which line and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ReadError {}
