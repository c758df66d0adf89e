//! Any text through the DALI value parsers SIA2 and SODA share (intervals, POS, CIRCLE,
//! POLYGON, POL) must give a value or an error naming the parameter — never a panic.
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
