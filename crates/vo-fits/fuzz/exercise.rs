// What the `header` fuzz target does with one input (included by the target and by
// tests/fuzz_regressions.rs): any bytes through the FITS header path must give headers or an
// error — never a panic: the bytes as 80-byte cards up to END (`Card::parse`, as `read_hdus`
// reads them), the WCS built from those cards (`ImageWcs::from_header` and what SODA and
// ingest ask of it), and the bytes as a whole file through `read_hdus` (HDU scanning, data
// sizes; in a scratch file per process, removed afterwards).
pub fn exercise(data: &[u8]) {
    let mut header = vo_fits::Header::default();
    for raw in data.chunks(80) {
        if raw.starts_with(b"END") && raw[3..].iter().all(|&b| b == b' ') {
            break;
        }
        match vo_fits::Card::parse(raw) {
            Ok(card) => {
                let _ = card.format();
                header.cards.push(card);
            }
            Err(_) => break,
        }
    }
    if let Ok(wcs) = vo_fits::ImageWcs::from_header(&header) {
        let _ = wcs.footprint();
        let _ = wcs.wavelength_range();
        let _ = wcs
            .celestial
            .world_to_pixel(wcs.celestial.crval.0, wcs.celestial.crval.1);
        let _ = wcs.stokes.as_ref().map(|s| s.pol_states());
        let _ = wcs.primary_header().to_bytes();
    }
    let path = std::env::temp_dir().join(format!("vo-fits-fuzz-{}.fits", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = vo_fits::read_hdus(&path);
        let _ = std::fs::remove_file(&path);
    }
}
