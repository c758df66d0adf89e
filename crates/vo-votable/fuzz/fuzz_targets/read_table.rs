//! Any UTF-8 text through the reader TAP uploads and ingest use (XML, FIELDs, TABLEDATA,
//! BINARY/BINARY2 streams) must give a table or an error — never a panic.
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
