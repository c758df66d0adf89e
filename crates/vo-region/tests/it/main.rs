//! The integration tests of vo-region, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod alma_shapes;
mod cds_stcs;
mod fuzz_regressions;
