//! Any text through ALMA's STC-S parser must give a region or a positioned error — never a
//! panic; a region it accepts can be formatted back and bounded (what ingest does with it).
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
