//! The integration tests of vo-auth, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod accounts;
mod delegations;
mod tokens;
