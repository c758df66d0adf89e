//! Spectrum previews: the plot through the brightest pixel, and images without channels.

use crate::common;

use common::*;
use vo_preview::{render, PreviewError, PreviewKind};

/// The topmost and bottommost rows drawn in the line colour, and the x of the topmost.
fn line_extent(image: &Decoded) -> (u32, u32, u32) {
    let line = image.find(LINE);
    assert!(!line.is_empty(), "no spectrum line drawn");
    let top = line.iter().min_by_key(|p| (p.1, p.0)).unwrap();
    let bottom = line.iter().map(|p| p.1).max().unwrap();
    (top.1, bottom, top.0)
}

#[test]
fn line_cube_spectrum_peaks_mid_band() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, data) = line_cube();
    let path = write(dir.path(), "line.fits", &header(&wcs), &data);
    let image = decode(&render(&path, PreviewKind::Spectrum).unwrap());
    assert_eq!((image.width, image.height), (720, 440));
    let (top, bottom, x_of_top) = line_extent(&image);
    assert!(
        bottom - top > 200,
        "the line should span most of the plot height"
    );
    // channel 12 of 24 (0-based) lies just right of the middle of the frequency axis
    let fraction = x_of_top as f64 / image.width as f64;
    assert!((0.45..0.65).contains(&fraction), "peak drawn at {fraction}");
}

#[test]
fn flat_and_line_spectra_differ() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, line) = line_cube();
    let (_, flat) = flat_cube();
    let line_png = render(
        &write(dir.path(), "line.fits", &header(&wcs), &line),
        PreviewKind::Spectrum,
    )
    .unwrap();
    let flat_png = render(
        &write(dir.path(), "flat.fits", &header(&wcs), &flat),
        PreviewKind::Spectrum,
    )
    .unwrap();
    let (line_image, flat_image) = (decode(&line_png), decode(&flat_png));
    assert_eq!(
        (flat_image.width, flat_image.height),
        (line_image.width, line_image.height)
    );
    assert_ne!(line_image.rgb, flat_image.rgb);
    // a constant spectrum is a horizontal line two pixels thick
    let (top, bottom, _) = line_extent(&flat_image);
    assert!(
        bottom - top <= 1,
        "flat spectrum spans rows {top}..={bottom}"
    );
}

#[test]
fn single_channel_image_has_no_spectrum() {
    let dir = tempfile::tempdir().unwrap();
    let wcs = common::wcs(8, 8, 1, 1);
    let path = write(dir.path(), "cont.fits", &header(&wcs), &[1.0; 64]);
    let error = render(&path, PreviewKind::Spectrum).unwrap_err();
    assert!(
        matches!(error, PreviewError::SingleChannel { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("cont.fits") && message.contains("one channel"),
        "{message}"
    );
}

#[test]
fn two_dimensional_image_has_no_spectrum_but_has_maps() {
    let dir = tempfile::tempdir().unwrap();
    let mut wcs = common::wcs(8, 8, 1, 1);
    wcs.spectral = None;
    wcs.stokes = None;
    wcs.shape = vec![8, 8];
    let data: Vec<f32> = (0..64).map(|i| i as f32).collect();
    let path = write(dir.path(), "flat2d.fits", &header(&wcs), &data);
    assert!(matches!(
        render(&path, PreviewKind::Spectrum),
        Err(PreviewError::SingleChannel { .. })
    ));
    decode(&render(&path, PreviewKind::Peak).unwrap());
}
