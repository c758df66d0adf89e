//! The integration tests of vo-fits, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod cds_wcs;
mod fuzz_regressions;
mod write_read;
