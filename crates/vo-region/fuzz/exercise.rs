// What the `stcs` fuzz target does with one input (included by the target and by
// tests/fuzz_regressions.rs): any text through ALMA's STC-S parser must give a region or a
// positioned error — never a panic; a region it accepts can be formatted back and bounded
// (what ingest does with it).
pub fn exercise(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(region) = vo_region::parse_stcs(text) {
            let _ = vo_region::format_stcs(&region);
            let _ = region.bounding_circle();
        }
    }
}
