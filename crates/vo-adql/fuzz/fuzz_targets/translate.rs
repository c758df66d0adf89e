//! Any text through the whole ADQL path (tokens, parser, validator, resolver, emitter) must
//! give SQL or a positioned error — never a panic.
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
