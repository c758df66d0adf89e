// What the `read_table` fuzz target does with one input (included by the target and by
// tests/fuzz_regressions.rs): any UTF-8 text through the reader TAP uploads and ingest use
// (XML, FIELDs, TABLEDATA, BINARY/BINARY2 streams) must give a table or an error — never a
// panic. The upload path checks UTF-8 before it reads the VOTable.
pub fn exercise(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = vo_votable::read_table(text);
    }
}
