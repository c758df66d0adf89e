//! Any text through ALMA's STC-S parser must give a region or a positioned error — never a
//! panic; a region it accepts can be formatted back and bounded (what ingest does with it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(region) = vo_region::parse_stcs(text) {
            let _ = vo_region::format_stcs(&region);
            let _ = region.bounding_circle();
        }
    }
});
