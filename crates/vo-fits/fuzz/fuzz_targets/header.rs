//! Any bytes through the FITS header path must give headers or an error — never a panic:
//! the bytes as 80-byte cards up to END (`Card::parse`, as `read_hdus` reads them), the WCS
//! built from those cards (`ImageWcs::from_header` and what SODA and ingest ask of it), and
//! the bytes as a whole file through `read_hdus` (HDU scanning, data sizes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vo_fits::{read_hdus, Card, Header, ImageWcs};

fuzz_target!(|data: &[u8]| {
    let mut header = Header::default();
    for raw in data.chunks(80) {
        if raw.starts_with(b"END") && raw[3..].iter().all(|&b| b == b' ') {
            break;
        }
        match Card::parse(raw) {
            Ok(card) => {
                let _ = card.format();
                header.cards.push(card);
            }
            Err(_) => break,
        }
    }
    if let Ok(wcs) = ImageWcs::from_header(&header) {
        let _ = wcs.footprint();
        let _ = wcs.wavelength_range();
        let _ = wcs
            .celestial
            .world_to_pixel(wcs.celestial.crval.0, wcs.celestial.crval.1);
        let _ = wcs.stokes.as_ref().map(|s| s.pol_states());
        let _ = wcs.primary_header().to_bytes();
    }
    // read_hdus takes a path: one scratch file per fuzzing process
    let path = std::env::temp_dir().join(format!("vo-fits-fuzz-{}.fits", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = read_hdus(&path);
    }
});
