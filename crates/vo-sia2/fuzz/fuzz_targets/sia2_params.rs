//! Any query string through SIA2's parameters → ADQL (every constraint, repeated values,
//! case-insensitive names) must give an ADQL query or an error naming the parameter — never
//! a panic.
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
