//! The integration tests of vo-server, in one binary (one link, as ripgrep lays its tests
//! out): a module per area.

mod access;
mod common;
mod coverage;
mod datalink;
mod end_to_end;
mod faults;
mod files_on_access;
mod fleet;
mod hostile;
mod params_fuzz_regressions;
mod random_rows;
mod reference;
mod registry;
mod requests;
mod resolve;
mod security;
mod sia2;
mod similar;
mod soda;
mod survey;
mod tap_clients;
mod tap_protocol;
mod transport;
mod viewer;
mod web;
