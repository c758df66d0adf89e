//! The integration tests of vo-adql, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod aggregates;
mod client_queries;
mod common;
mod corpus;
mod fuzz_regressions;
mod geometry;
mod intervals;
mod resolution;
mod top;
mod windows;
