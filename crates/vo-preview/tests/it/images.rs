//! Peak-flux and continuum previews: size, orientation, scaling and blank pixels.

use crate::common;

use common::*;
use vo_fits::{ImageWcs, Value};
use vo_preview::{render, MapLayout, PreviewKind, Zoom};

/// The PNG positions of the map drawn in `colour`, as 1-based sky pixels.
fn sky_pixels_in(image: &Decoded, layout: &MapLayout, colour: [u8; 3]) -> Vec<(usize, usize)> {
    let mut pixels: Vec<(usize, usize)> = image
        .find(colour)
        .into_iter()
        .filter_map(|(x, y)| layout.sky_pixel_at(x, y))
        .collect();
    pixels.sort_unstable();
    pixels.dedup();
    pixels
}

#[test]
fn peak_map_is_brightest_at_the_line_source_north_up() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, data) = line_cube();
    let path = write(dir.path(), "cube.fits", &header(&wcs), &data);
    let image = decode(&render(&path, PreviewKind::Peak).unwrap());
    let layout = MapLayout::for_wcs(&wcs);
    assert_eq!(layout.zoom, Zoom::Enlarge(10));
    assert_eq!((image.width, image.height), layout.canvas_size);

    let (px, py) = layout.position_of(10, 40).unwrap();
    assert_eq!(image.at(px, py), BRIGHTEST);
    // FITS row 40 of 48 is in the upper part of the picture
    assert!(py < layout.image_origin.1 + layout.image_size.1 / 3);
    let brightest = sky_pixels_in(&image, &layout, BRIGHTEST);
    assert!(!brightest.is_empty());
    for &(x, y) in &brightest {
        let d2 = (x as f64 - 10.0).powi(2) + (y as f64 - 40.0).powi(2);
        assert!(
            d2 <= 9.0,
            "({x}, {y}) is drawn brightest, far from the line source"
        );
    }
    // upside down, the source would be at row 9
    let (px, py) = layout.position_of(10, 9).unwrap();
    assert_ne!(image.at(px, py), BRIGHTEST);
}

#[test]
fn continuum_map_shows_the_continuum_source_not_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, data) = line_cube();
    let path = write(dir.path(), "cube.fits", &header(&wcs), &data);
    let image = decode(&render(&path, PreviewKind::Continuum).unwrap());
    let layout = MapLayout::for_wcs(&wcs);
    assert_eq!((image.width, image.height), layout.canvas_size);
    let brightest = sky_pixels_in(&image, &layout, BRIGHTEST);
    assert!(brightest.contains(&(24, 24)), "{brightest:?}");
    for &(x, y) in &brightest {
        assert!((x as i64 - 24).abs() <= 2 && (y as i64 - 24).abs() <= 2);
    }
    let (px, py) = layout.position_of(10, 40).unwrap();
    assert_ne!(image.at(px, py), BRIGHTEST);
}

#[test]
fn blank_pixels_are_grey_and_partly_blank_spectra_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, mut data) = line_cube();
    for k in 0..24 {
        for (x, y) in [(5, 5), (6, 5), (40, 44)] {
            data[index(48, 48, x, y, k)] = f32::NAN;
        }
        // the line source's peak pixel is blank in half of its channels only
        if k % 2 == 1 {
            data[index(48, 48, 10, 40, k)] = f32::NAN;
        }
    }
    let path = write(dir.path(), "blank.fits", &header(&wcs), &data);
    let layout = MapLayout::for_wcs(&wcs);
    for kind in [PreviewKind::Peak, PreviewKind::Continuum] {
        let image = decode(&render(&path, kind).unwrap());
        for (x, y) in [(5, 5), (6, 5), (40, 44)] {
            let (px, py) = layout.position_of(x, y).unwrap();
            assert_eq!(image.at(px, py), GREY, "{kind} ({x}, {y})");
        }
        let blank = sky_pixels_in(&image, &layout, GREY);
        assert_eq!(blank, vec![(5, 5), (6, 5), (40, 44)], "{kind}");
    }
    let image = decode(&render(&path, PreviewKind::Peak).unwrap());
    let (px, py) = layout.position_of(10, 40).unwrap();
    assert_eq!(image.at(px, py), BRIGHTEST);
}

#[test]
fn single_channel_image_gives_the_same_map_for_peak_and_continuum() {
    let dir = tempfile::tempdir().unwrap();
    let (_, cube) = line_cube();
    let wcs = common::wcs(48, 48, 1, 1);
    let path = write(dir.path(), "cont.fits", &header(&wcs), &cube[..48 * 48]);
    let layout = MapLayout::for_wcs(&wcs);
    let peak = decode(&render(&path, PreviewKind::Peak).unwrap());
    let continuum = decode(&render(&path, PreviewKind::Continuum).unwrap());
    let (ox, oy) = layout.image_origin;
    let (w, h) = layout.image_size;
    for y in oy..oy + h {
        for x in ox..ox + w {
            assert_eq!(peak.at(x, y), continuum.at(x, y));
        }
    }
    let (px, py) = layout.position_of(24, 24).unwrap();
    assert_eq!(peak.at(px, py), BRIGHTEST);
}

#[test]
fn only_the_first_stokes_plane_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let (n, channels) = (20, 3);
    let wcs = common::wcs(n, n, channels, 2);
    let mut data = vec![0.0f32; n * n * channels * 2];
    let plane = n * n;
    data[index(n, n, 3, 17, 1)] = 2.0; // Stokes I, channel 1
    data[channels * plane + index(n, n, 15, 4, 1)] = 50.0; // Stokes Q
    let path = write(dir.path(), "iq.fits", &header(&wcs), &data);
    let image = decode(&render(&path, PreviewKind::Peak).unwrap());
    let layout = MapLayout::for_wcs(&wcs);
    assert_eq!(sky_pixels_in(&image, &layout, BRIGHTEST), vec![(3, 17)]);
}

#[test]
fn large_images_are_reduced_keeping_their_peaks() {
    let dir = tempfile::tempdir().unwrap();
    let (nx, ny) = (2100, 60);
    let wcs = common::wcs(nx, ny, 1, 1);
    let mut data: Vec<f32> = (0..nx * ny)
        .map(|i| ((i * 7919) % 101) as f32 / 1000.0)
        .collect();
    data[index(nx, ny, 1500, 50, 0)] = 10.0;
    data[index(nx, ny, 1501, 50, 0)] = 10.0;
    let path = write(dir.path(), "wide.fits", &header(&wcs), &data);
    let image = decode(&render(&path, PreviewKind::Continuum).unwrap());
    let layout = MapLayout::for_wcs(&wcs);
    assert_eq!(layout.zoom, Zoom::Reduce(3));
    assert_eq!(layout.image_size, (700, 20));
    assert_eq!((image.width, image.height), layout.canvas_size);
    assert!(image.width <= 1024 + 200);
    // pixels 1500 and 1501 fall in the blocks starting at 1498 and 1501
    let (px, py) = layout.position_of(1500, 50).unwrap();
    assert_eq!(image.at(px, py), BRIGHTEST);
    assert_eq!(layout.sky_pixel_at(px, py), Some((1498, 49)));
}

#[test]
fn integer_and_double_samples_are_scaled_like_floats() {
    let dir = tempfile::tempdir().unwrap();
    let (n, channels) = (16, 4);
    let wcs = common::wcs(n, n, channels, 1);
    let values = |x: usize, y: usize, k: usize| -> f64 {
        if (x, y) == (12, 3) && k == 2 {
            9.0
        } else {
            ((x * 3 + y * 5 + k) % 7) as f64 * 0.1
        }
    };
    for bitpix in [16i64, 32, -64, 8] {
        let mut cards = header(&wcs);
        for card in cards.cards.iter_mut().filter(|c| c.keyword == "BITPIX") {
            card.value = Some(Value::Int(bitpix));
        }
        let (scale, zero) = if bitpix == 8 {
            (0.1, -0.5)
        } else {
            (0.01, 1.0)
        };
        if bitpix > 0 {
            cards.push("BSCALE", Value::Float(scale), "");
            cards.push("BZERO", Value::Float(zero), "");
            cards.push(
                "BLANK",
                Value::Int(if bitpix == 8 { 255 } else { -1000 }),
                "",
            );
        }
        let mut bytes = cards.to_bytes();
        for k in 0..channels {
            for y in 1..=n {
                for x in 1..=n {
                    let v = values(x, y, k);
                    let blank = (x, y) == (2, 2);
                    match bitpix {
                        16 => {
                            let raw = if blank {
                                -1000
                            } else {
                                ((v - zero) / scale).round() as i16
                            };
                            bytes.extend_from_slice(&raw.to_be_bytes());
                        }
                        32 => {
                            let raw = if blank {
                                -1000
                            } else {
                                ((v - zero) / scale).round() as i32
                            };
                            bytes.extend_from_slice(&raw.to_be_bytes());
                        }
                        8 => {
                            let raw = if blank {
                                255
                            } else {
                                ((v - zero) / scale).round() as u8
                            };
                            bytes.push(raw);
                        }
                        _ => {
                            let raw = if blank { f64::NAN } else { v };
                            bytes.extend_from_slice(&raw.to_be_bytes());
                        }
                    }
                }
            }
        }
        bytes.resize(bytes.len().div_ceil(2880) * 2880, 0);
        let path = dir.path().join(format!("bitpix{bitpix}.fits"));
        std::fs::write(&path, bytes).unwrap();
        let image = decode(&render(&path, PreviewKind::Peak).unwrap());
        let layout = MapLayout::for_wcs(&wcs);
        let (px, py) = layout.position_of(12, 3).unwrap();
        assert_eq!(image.at(px, py), BRIGHTEST, "BITPIX {bitpix}");
        let (px, py) = layout.position_of(2, 2).unwrap();
        assert_eq!(image.at(px, py), GREY, "BITPIX {bitpix}");
    }
}

#[test]
fn an_image_extension_after_an_empty_primary_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut primary = vo_fits::Header::default();
    primary.push("SIMPLE", Value::Logical(true), "");
    primary.push("BITPIX", Value::Int(8), "");
    primary.push("NAXIS", Value::Int(0), "");
    primary.push("EXTEND", Value::Logical(true), "");
    let (n, channels) = (12, 2);
    let wcs = common::wcs(n, n, channels, 1);
    let mut extension = vo_fits::Header::default();
    extension.push("XTENSION", Value::Str("IMAGE".into()), "");
    for card in header(&wcs).cards.into_iter().skip(1) {
        let keyword = card.keyword.clone();
        extension.cards.push(card);
        if keyword == "NAXIS4" {
            extension.push("PCOUNT", Value::Int(0), "");
            extension.push("GCOUNT", Value::Int(1), "");
        }
    }
    let mut data = vec![0.5f32; n * n * channels];
    data[index(n, n, 9, 4, 1)] = 3.0;
    let mut bytes = primary.to_bytes();
    vo_fits::write_image_f32(&mut bytes, &extension, &data).unwrap();
    let path = dir.path().join("mef.fits");
    std::fs::write(&path, bytes).unwrap();
    let image = decode(&render(&path, PreviewKind::Peak).unwrap());
    let layout = MapLayout::for_wcs(&ImageWcs::from_header(&extension).unwrap());
    let (px, py) = layout.position_of(9, 4).unwrap();
    assert_eq!(image.at(px, py), BRIGHTEST);
}

#[test]
fn rendering_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (wcs, data) = line_cube();
    let path = write(dir.path(), "cube.fits", &header(&wcs), &data);
    for kind in PreviewKind::ALL {
        let first = render(&path, kind).unwrap();
        let second = render(&path, kind).unwrap();
        assert_eq!(first, second, "{kind}");
    }
}
