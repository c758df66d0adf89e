//! Why the FITS crate keeps its own WCS instead of CDS's `wcs` crate. Where `wcs` 0.4.2
//! works it agrees with ours (the check below, on an ALMA-like SIN image), and it has every
//! projection, where ours has SIN and TAN; but it panics on a header whose CTYPE1 ends after
//! its axis name (`RA--`), which ours refuses with a message — a header comes from a file
//! an operator ingests or a client's upload, and a panic is not an answer — and it models
//! the celestial axes only, so the FREQ and STOKES axes every ALMA cube has would still need
//! this crate. If the panic assertion ever fails, the crate is worth adopting for the
//! celestial part.

use vo_fits::{Header, ImageWcs, Value};

fn header(ctype1: &str, ctype2: &str) -> Header {
    let mut h = Header::default();
    for (k, v) in [("NAXIS", 2), ("NAXIS1", 64), ("NAXIS2", 64)] {
        h.push(k, Value::Int(v), "");
    }
    h.push("CTYPE1", Value::Str(ctype1.into()), "");
    h.push("CTYPE2", Value::Str(ctype2.into()), "");
    for (k, v) in [
        ("CRVAL1", 83.8221),
        ("CRVAL2", -5.3911),
        ("CRPIX1", 32.5),
        ("CRPIX2", 32.5),
        ("CDELT1", -5e-5),
        ("CDELT2", 5e-5),
    ] {
        h.push(k, Value::Float(v), "");
    }
    h
}

fn cds_params(ctype1: &str, ctype2: &str) -> wcs::WCSParams {
    serde_json::from_value(serde_json::json!({
        "NAXIS": 2, "NAXIS1": 64, "NAXIS2": 64,
        "CTYPE1": ctype1, "CTYPE2": ctype2,
        "CRVAL1": 83.8221, "CRVAL2": -5.3911, "CRPIX1": 32.5, "CRPIX2": 32.5,
        "CDELT1": -5e-5, "CDELT2": 5e-5,
    }))
    .unwrap()
}

#[test]
fn where_cds_wcs_works_it_agrees_with_ours() {
    let ours = ImageWcs::from_header(&header("RA---SIN", "DEC--SIN")).unwrap();
    let theirs = wcs::WCS::new(&cds_params("RA---SIN", "DEC--SIN")).unwrap();
    for (x, y) in [(1.0, 1.0), (64.0, 1.0), (20.5, 50.25)] {
        let (ra, dec) = ours.celestial.pixel_to_world(x, y).unwrap();
        // both count pixels as FITS does (the first pixel's centre is 1)
        let lonlat = theirs.unproj_lonlat(&wcs::ImgXY::new(x, y)).unwrap();
        assert!(
            (lonlat.lon().to_degrees() - ra).abs() < 1e-9
                && (lonlat.lat().to_degrees() - dec).abs() < 1e-9,
            "({x}, {y}): ours {ra} {dec}, CDS {} {}",
            lonlat.lon().to_degrees(),
            lonlat.lat().to_degrees()
        );
    }
}

#[test]
fn cds_wcs_panics_on_a_short_ctype_where_ours_says_why() {
    let params = cds_params("RA--", "DEC-");
    let outcome = std::panic::catch_unwind(|| wcs::WCS::new(&params).map(|_| ()));
    assert!(outcome.is_err(), "wcs 0.4.2 no longer panics here");
    let ours = ImageWcs::from_header(&header("RA--", "DEC-")).unwrap_err();
    assert!(ours.contains("projection"), "{ours}");
}
