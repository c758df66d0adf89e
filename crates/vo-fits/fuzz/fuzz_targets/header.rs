//! Any bytes through the FITS header path must give headers or an error — never a panic:
//! the bytes as 80-byte cards up to END (`Card::parse`, as `read_hdus` reads them), the WCS
//! built from those cards (`ImageWcs::from_header` and what SODA and ingest ask of it), and
//! the bytes as a whole file through `read_hdus` (HDU scanning, data sizes).
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise(data));
