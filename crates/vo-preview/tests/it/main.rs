//! The integration tests of vo-preview, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod common;
mod errors;
mod images;
mod spectrum;
