//! Any UTF-8 text through the reader TAP uploads and ingest use (XML, FIELDs, TABLEDATA,
//! BINARY/BINARY2 streams) must give a table or an error — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // the upload path checks UTF-8 before it reads the VOTable
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = vo_votable::read_table(text);
    }
});
