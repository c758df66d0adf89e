//! Bad input gives an error naming the file and the problem, never a panic.

use crate::common;

use common::*;
use vo_fits::Value;
use vo_preview::{render, PreviewError, PreviewKind};

fn assert_names_file(error: &PreviewError, name: &str, problem: &str) {
    let message = error.to_string();
    assert!(message.contains(name), "'{message}' does not name {name}");
    assert!(
        message.contains(problem),
        "'{message}' does not say '{problem}'"
    );
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let error = render(&dir.path().join("absent.fits"), PreviewKind::Peak).unwrap_err();
    assert!(matches!(error, PreviewError::Io { .. }), "{error:?}");
    assert_names_file(&error, "absent.fits", "cannot read");
}

#[test]
fn not_fits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.fits");
    std::fs::write(
        &path,
        "These are not the pixels you are looking for.\n".repeat(100),
    )
    .unwrap();
    let error = render(&path, PreviewKind::Peak).unwrap_err();
    assert!(matches!(error, PreviewError::NotFits { .. }), "{error:?}");
    assert_names_file(&error, "notes.fits", "not a readable FITS file");
}

#[test]
fn truncated_data() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, data) = line_cube();
    let path = write(dir.path(), "short.fits", &header(&wcs), &data);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let error = render(&path, PreviewKind::Continuum).unwrap_err();
    assert!(matches!(error, PreviewError::NotFits { .. }), "{error:?}");
    assert_names_file(&error, "short.fits", "data bytes");
}

#[test]
fn no_image_hdu() {
    let dir = tempfile::tempdir().unwrap();
    let mut header = vo_fits::Header::default();
    header.push("SIMPLE", Value::Logical(true), "");
    header.push("BITPIX", Value::Int(8), "");
    header.push("NAXIS", Value::Int(0), "");
    let path = dir.path().join("empty.fits");
    std::fs::write(&path, header.to_bytes()).unwrap();
    let error = render(&path, PreviewKind::Peak).unwrap_err();
    assert!(matches!(error, PreviewError::NoImage { .. }), "{error:?}");
    assert_names_file(&error, "empty.fits", "no image HDU");
}

#[test]
fn unsupported_projection_and_axes() {
    let dir = tempfile::tempdir().unwrap();
    let wcs = common::wcs(8, 8, 4, 1);
    let mut car = header(&wcs);
    for card in car.cards.iter_mut().filter(|c| c.keyword == "CTYPE1") {
        card.value = Some(Value::Str("RA---CAR".into()));
    }
    let path = write(dir.path(), "car.fits", &car, &[0.0; 256]);
    let error = render(&path, PreviewKind::Peak).unwrap_err();
    assert!(
        matches!(error, PreviewError::UnsupportedWcs { .. }),
        "{error:?}"
    );
    assert_names_file(&error, "car.fits", "CTYPE1");

    let mut velocity = header(&wcs);
    for card in velocity.cards.iter_mut().filter(|c| c.keyword == "CTYPE3") {
        card.value = Some(Value::Str("VRAD".into()));
    }
    let path = write(dir.path(), "vrad.fits", &velocity, &[0.0; 256]);
    let error = render(&path, PreviewKind::Continuum).unwrap_err();
    assert!(
        matches!(error, PreviewError::UnsupportedWcs { .. }),
        "{error:?}"
    );
    assert_names_file(&error, "vrad.fits", "VRAD");
}

#[test]
fn all_blank() {
    let dir = tempfile::tempdir().unwrap();
    let wcs = common::wcs(8, 8, 3, 1);
    let path = write(dir.path(), "blank.fits", &header(&wcs), &[f32::NAN; 192]);
    for kind in PreviewKind::ALL {
        let error = render(&path, kind).unwrap_err();
        assert!(
            matches!(error, PreviewError::NoValidPixels { .. }),
            "{kind}: {error:?}"
        );
        assert_names_file(&error, "blank.fits", "no valid pixels");
    }
}
