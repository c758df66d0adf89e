//! Guards the FITS header path against the inputs fuzzing found: every file of
//! `fuzz/regressions/header/` — the minimized corpus of `cargo fuzz run header` plus any input
//! that once crashed it — must go through `Card::parse` (80-byte cards up to END),
//! `ImageWcs::from_header` (and what SODA and ingest ask of the WCS) and `read_hdus` (the
//! bytes as a file) to headers or an error, never a panic.

use std::path::Path;

use vo_fits::{read_hdus, Card, Header, ImageWcs};

/// What the `header` fuzz target does with one input.
fn run(data: &[u8]) {
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
    let file = tempfile::NamedTempFile::new().expect("a scratch file");
    std::fs::write(file.path(), data).expect("writing the scratch file");
    let _ = read_hdus(file.path());
}

#[test]
fn header_survives_every_fuzz_regression_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/header");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    let panicked: Vec<_> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            std::panic::catch_unwind(|| run(&data)).is_err()
        })
        .collect();
    assert!(
        panicked.is_empty(),
        "panicked on {} of {} inputs: {panicked:?}",
        panicked.len(),
        inputs.len()
    );
}
