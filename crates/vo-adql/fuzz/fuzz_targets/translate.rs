//! Any text through the whole ADQL path (tokens, parser, validator, resolver, emitter) must
//! give SQL or a positioned error — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static CATALOGUE: OnceLock<vo_catalogue::Catalogue> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let catalogue = CATALOGUE.get_or_init(vo_catalogue::Catalogue::builtin);
        let _ = vo_adql::translate(text, catalogue, &vo_adql::Options { maxrec: Some(1000) });
    }
});
