//! The integration tests of vo-votable, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod fuzz_regressions;
mod round_trip;
