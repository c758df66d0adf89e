//! A request's parameters (a query string or a multipart body) through every endpoint's
//! reading of them up to its plan — TAP, SIA2, SODA, DataLink — must give a plan or an
//! error, never a panic, a hang or a stack overflow.
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
