//! Cutting small cubes written with vo-fits, and reading the results back.

use std::path::{Path, PathBuf};
use vo_cutout::{fits_len, write_fits, Cube, CutoutError, CutoutRequest};
use vo_fits::{
    read_hdus, write_image_f32, CelestialWcs, Header, ImageWcs, LinearAxis, Projection, StokesAxis,
    Value,
};
use vo_region::Shape;

const C: f64 = 299_792_458.0;
const MJD: (f64, f64) = (58_000.25, 58_000.5);

/// An ALMA-like cube: SIN RA/DEC, FREQ, STOKES.
fn wcs(shape: [usize; 4], cdelt3: f64, stokes: Vec<i64>) -> ImageWcs {
    ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (68.23, 25.34),
            crpix: (shape[0] as f64 / 2.0 + 0.5, shape[1] as f64 / 2.0 + 0.5),
            cdelt: (-2e-4, 2e-4),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 230e9,
            crpix: 1.0,
            cdelt: cdelt3,
        }),
        stokes: Some(StokesAxis { codes: stokes }),
        shape: shape.to_vec(),
        beam: Some((3e-4, 2e-4)),
    }
}

/// The value stored at 0-based (x, y, z, s): unique and exact in float32.
fn value(x: usize, y: usize, z: usize, s: usize) -> f32 {
    (x + 100 * y + 10_000 * z + 1_000_000 * s) as f32
}

struct Written {
    _dir: tempfile::TempDir,
    path: PathBuf,
    wcs: ImageWcs,
}

fn write_cube(wcs: ImageWcs) -> Written {
    let [nx, ny, nz, ns] = [wcs.shape[0], wcs.shape[1], wcs.shape[2], wcs.shape[3]];
    let mut header = wcs.primary_header();
    header.push("BUNIT", Value::Str("Jy/beam".into()), "");
    header.push("MJD-OBS", Value::Float(MJD.0), "");
    header.push("MJD-BEG", Value::Float(MJD.0), "");
    header.push("MJD-END", Value::Float(MJD.1), "");
    header.push(
        "CHECKSUM",
        Value::Str("0000000000000000".into()),
        "stale after a cut",
    );
    let mut data = Vec::with_capacity(nx * ny * nz * ns);
    for s in 0..ns {
        for z in 0..nz {
            for y in 0..ny {
                for x in 0..nx {
                    data.push(value(x, y, z, s));
                }
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("member.uid___A001_X1_X2.src_sci.spw25.cube.I.pbcor.fits");
    let mut file = std::fs::File::create(&path).unwrap();
    write_image_f32(&mut file, &header, &data).unwrap();
    Written {
        _dir: dir,
        path,
        wcs,
    }
}

/// Writes `cutouts` of `cube` to a file next to it and returns the file's HDUs and bytes.
fn cut_to_file(cube: &Cube, requests: &[CutoutRequest]) -> (Vec<vo_fits::Hdu>, Vec<u8>) {
    let cutouts: Vec<_> = requests.iter().map(|r| cube.plan(r).unwrap()).collect();
    let mut bytes = Vec::new();
    let parts: Vec<_> = cutouts.iter().map(|c| (cube, c)).collect();
    write_fits(&parts, &mut bytes).unwrap();
    assert_eq!(bytes.len() as u64, fits_len(&parts), "announced length");
    assert_eq!(bytes.len() % 2880, 0);
    let out = cube.path().with_extension("cut.fits");
    std::fs::write(&out, &bytes).unwrap();
    (read_hdus(&out).unwrap(), bytes)
}

fn pixels(hdu: &vo_fits::Hdu, bytes: &[u8]) -> Vec<f32> {
    let start = hdu.data_offset as usize;
    bytes[start..start + hdu.data_len as usize]
        .chunks(4)
        .map(|b| f32::from_be_bytes(b.try_into().unwrap()))
        .collect()
}

/// Checks that the output holds exactly input[x0.., y0.., z0.., s0..] (steps 1, 1, 1, ds).
fn assert_slice(hdu: &vo_fits::Hdu, bytes: &[u8], origin: [usize; 4], ds: usize) {
    let data = pixels(hdu, bytes);
    let [nx, ny, nz, ns] = [hdu.axes[0], hdu.axes[1], hdu.axes[2], hdu.axes[3]];
    assert_eq!(data.len(), nx * ny * nz * ns);
    let mut i = 0;
    for s in 0..ns {
        for z in 0..nz {
            for y in 0..ny {
                for x in 0..nx {
                    let expected = value(
                        origin[0] + x,
                        origin[1] + y,
                        origin[2] + z,
                        origin[3] + s * ds,
                    );
                    assert_eq!(data[i], expected, "output pixel ({x}, {y}, {z}, {s})");
                    i += 1;
                }
            }
        }
    }
}

#[test]
fn a_circle_keeps_the_touched_pixels_and_their_sky_positions() {
    let input = write_cube(wcs([40, 30, 6, 1], 1e6, vec![1]));
    let cube = Cube::open(&input.path).unwrap();
    let (ra, dec) = input.wcs.celestial.pixel_to_world(20.5, 15.5).unwrap();
    let request = CutoutRequest {
        spatial: Some(Shape::Circle {
            ra,
            dec,
            radius: 5.9 * 2e-4,
        }),
        ..Default::default()
    };
    let (hdus, bytes) = cut_to_file(&cube, &[request]);
    assert_eq!(hdus.len(), 1);
    // 20.5 ± 5.9 touches pixels 15..=26 (x) and 10..=21 (y), 1-based
    assert_eq!(hdus[0].axes, vec![12, 12, 6, 1]);
    assert_slice(&hdus[0], &bytes, [14, 9, 0, 0], 1);

    let header = &hdus[0].header;
    let out = ImageWcs::from_header(header).unwrap();
    for (px, py) in [(1.0, 1.0), (0.5, 0.5), (12.5, 12.5), (7.0, 3.0)] {
        let a = out.celestial.pixel_to_world(px, py).unwrap();
        let b = input
            .wcs
            .celestial
            .pixel_to_world(px + 14.0, py + 9.0)
            .unwrap();
        assert!(
            (a.0 - b.0).abs() < 1e-11 && (a.1 - b.1).abs() < 1e-11,
            "output ({px}, {py}) at {a:?}, input at {b:?}"
        );
    }
    assert_eq!(header.str("BUNIT"), Some("Jy/beam"));
    assert_eq!(header.get("CHECKSUM"), None, "stale checksums are dropped");
    let history: Vec<&str> = header
        .cards
        .iter()
        .filter(|c| c.keyword == "HISTORY")
        .map(|c| c.comment.as_str())
        .collect();
    let history = history.join(" ");
    assert!(
        history.contains("SODA cutout of member.uid___A001_X1_X2"),
        "{history}"
    );
    assert!(
        history.contains("15..26 of axis 1, 10..21 of axis 2"),
        "{history}"
    );
}

#[test]
fn a_band_keeps_the_overlapping_channels_for_either_sign_of_cdelt3() {
    for cdelt3 in [2e6, -2e6] {
        let input = write_cube(wcs([8, 6, 20, 1], cdelt3, vec![1]));
        let axis = input.wcs.spectral.clone().unwrap();
        let cube = Cube::open(&input.path).unwrap();
        // channels 5.3 .. 9.6 (1-based) → channels 5..=10
        let (a, b) = (C / axis.value(5.3), C / axis.value(9.6));
        let request = CutoutRequest {
            band: Some((a.min(b), a.max(b))),
            ..Default::default()
        };
        let (hdus, bytes) = cut_to_file(&cube, &[request]);
        assert_eq!(hdus[0].axes, vec![8, 6, 6, 1], "CDELT3 {cdelt3}");
        assert_slice(&hdus[0], &bytes, [0, 0, 4, 0], 1);
        let out = ImageWcs::from_header(&hdus[0].header).unwrap();
        let out_axis = out.spectral.unwrap();
        assert!((out_axis.value(1.0) - axis.value(5.0)).abs() < 1e-3);
        assert!((out_axis.value(6.0) - axis.value(10.0)).abs() < 1e-3);
    }
}

#[test]
fn polarization_selects_single_and_strided_states() {
    let input = write_cube(wcs([5, 4, 3, 4], 1e6, vec![1, 2, 3, 4]));
    let cube = Cube::open(&input.path).unwrap();
    let select = |states: &[&str]| CutoutRequest {
        pol: states.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let (hdus, bytes) = cut_to_file(&cube, &[select(&["Q", "V"])]);
    assert_eq!(hdus[0].axes, vec![5, 4, 3, 2]);
    assert_slice(&hdus[0], &bytes, [0, 0, 0, 1], 2);
    let out = ImageWcs::from_header(&hdus[0].header).unwrap();
    assert_eq!(out.stokes.unwrap().codes, vec![2, 4]);

    let (hdus, bytes) = cut_to_file(&cube, &[select(&["U"])]);
    assert_eq!(hdus[0].axes, vec![5, 4, 3, 1]);
    assert_slice(&hdus[0], &bytes, [0, 0, 0, 2], 1);
    let out = ImageWcs::from_header(&hdus[0].header).unwrap();
    assert_eq!(out.stokes.unwrap().names(), vec!["U"]);

    match cube.plan(&select(&["I", "Q", "V"])) {
        Err(CutoutError::Usage(message)) => assert!(message.contains("evenly spaced"), "{message}"),
        other => panic!("{other:?}"),
    }
}

fn no_overlap(cube: &Cube, request: CutoutRequest) -> String {
    match cube.plan(&request) {
        Err(CutoutError::NoOverlap(message)) => message,
        other => panic!("{request}: {other:?}"),
    }
}

#[test]
fn constraints_missing_the_data_name_the_extent() {
    let input = write_cube(wcs([40, 30, 6, 1], 1e6, vec![1]));
    let cube = Cube::open(&input.path).unwrap();
    let message = no_overlap(
        &cube,
        CutoutRequest {
            spatial: Some(Shape::Circle {
                ra: 10.0,
                dec: 10.0,
                radius: 0.01,
            }),
            ..Default::default()
        },
    );
    assert!(
        message.starts_with("CIRCLE 10 10 0.01 does not overlap the image, which covers RA 68.22"),
        "{message}"
    );
    assert!(message.ends_with("(ICRS degrees)"), "{message}");
    assert!(message.contains(", Dec 25.33"), "{message}");

    let message = no_overlap(
        &cube,
        CutoutRequest {
            band: Some((0.001, 0.0011)),
            ..Default::default()
        },
    );
    assert_eq!(
        message,
        // 6 channels of 1 MHz at 230 GHz: the ends differ in the 6th significant digit
        "BAND 0.001 0.0011 m does not overlap the cube's 0.00130341..0.00130345 m"
    );

    let message = no_overlap(
        &cube,
        CutoutRequest {
            time: Some((50_000.0, 50_001.0)),
            ..Default::default()
        },
    );
    assert_eq!(
        message,
        "TIME 50000 50001 (MJD) does not overlap the observation, MJD 58000.25000..58000.50000"
    );

    let message = no_overlap(
        &cube,
        CutoutRequest {
            pol: vec!["XX".into()],
            ..Default::default()
        },
    );
    assert_eq!(
        message,
        "POL XX does not overlap the cube's polarization states I"
    );
}

#[test]
fn overlapping_time_keeps_every_axis_and_extent_is_described() {
    let input = write_cube(wcs([10, 10, 4, 1], 1e6, vec![1]));
    let cube = Cube::open(&input.path).unwrap();
    let cutout = cube
        .plan(&CutoutRequest {
            time: Some((58_000.4, f64::INFINITY)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(cutout.shape(), vec![10, 10, 4, 1]);
    let extent = cube.describe_extent();
    for part in [
        "RA 68.2",
        "Dec 25.3",
        "(ICRS degrees); wavelengths 0.00130",
        "MJD 58000.25000..58000.50000",
        "states I",
    ] {
        assert!(extent.contains(part), "{part} in {extent}");
    }
}

#[test]
fn several_cutouts_become_image_extensions() {
    let input = write_cube(wcs([20, 20, 4, 1], 1e6, vec![1]));
    let cube = Cube::open(&input.path).unwrap();
    let circle = |px: f64, py: f64| {
        let (ra, dec) = input.wcs.celestial.pixel_to_world(px, py).unwrap();
        CutoutRequest {
            spatial: Some(Shape::Circle {
                ra,
                dec,
                radius: 1.9 * 2e-4,
            }),
            ..Default::default()
        }
    };
    let (hdus, bytes) = cut_to_file(&cube, &[circle(5.0, 5.0), circle(15.5, 12.5)]);
    assert_eq!(hdus.len(), 3);
    assert_eq!(hdus[0].axes, Vec::<usize>::new());
    assert_eq!(hdus[0].header.int("NEXTEND"), Some(2));
    for (hdu, (axes, origin)) in hdus[1..].iter().zip([
        (vec![5, 5, 4, 1], [2, 2, 0, 0]),
        (vec![4, 4, 4, 1], [13, 10, 0, 0]),
    ]) {
        assert_eq!(hdu.header.str("XTENSION"), Some("IMAGE"));
        assert_eq!(hdu.header.int("PCOUNT"), Some(0));
        assert_eq!(hdu.axes, axes);
        assert_slice(hdu, &bytes, origin, 1);
    }
}

/// A 2-axis BITPIX=16 image, written by hand.
fn write_int16_image(dir: &Path) -> PathBuf {
    let mut header = wcs([7, 5, 1, 1], 1e6, vec![1]).primary_header();
    header
        .cards
        .retain(|c| !c.keyword.ends_with('3') && !c.keyword.ends_with('4'));
    for card in header.cards.iter_mut() {
        match card.keyword.as_str() {
            "BITPIX" => card.value = Some(Value::Int(16)),
            "NAXIS" => card.value = Some(Value::Int(2)),
            _ => {}
        }
    }
    let mut bytes = header.to_bytes();
    for y in 0..5i16 {
        for x in 0..7i16 {
            bytes.extend_from_slice(&(x - 100 * y).to_be_bytes());
        }
    }
    bytes.resize(bytes.len().div_ceil(2880) * 2880, 0);
    let path = dir.join("int16.fits");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn any_bitpix_is_copied_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_int16_image(dir.path());
    let cube = Cube::open(&path).unwrap();
    let (ra, dec) = cube.wcs().celestial.pixel_to_world(4.0, 3.0).unwrap();
    let request = CutoutRequest {
        spatial: Some(Shape::Range {
            ra: (ra - 0.9 * 2e-4, ra + 0.9 * 2e-4),
            dec: (dec - 0.9 * 2e-4, dec + 0.9 * 2e-4),
        }),
        ..Default::default()
    };
    let (hdus, bytes) = cut_to_file(&cube, &[request]);
    assert_eq!(hdus[0].bitpix, 16);
    assert_eq!(hdus[0].axes, vec![3, 3]);
    let start = hdus[0].data_offset as usize;
    let values: Vec<i16> = bytes[start..start + 18]
        .chunks(2)
        .map(|b| i16::from_be_bytes([b[0], b[1]]))
        .collect();
    let expected: Vec<i16> = (1..4)
        .flat_map(|y| (2..5).map(move |x| x - 100 * y))
        .collect();
    assert_eq!(values, expected);
}

#[test]
fn files_that_are_not_cubes_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("readme.fits");
    std::fs::write(&text, "not a FITS file at all").unwrap();
    assert!(matches!(Cube::open(&text), Err(CutoutError::NotACube(_))));

    let mut header = Header::default();
    header.push("SIMPLE", Value::Logical(true), "");
    header.push("BITPIX", Value::Int(8), "");
    header.push("NAXIS", Value::Int(0), "");
    let empty = dir.path().join("empty.fits");
    std::fs::write(&empty, header.to_bytes()).unwrap();
    match Cube::open(&empty) {
        Err(CutoutError::NotACube(message)) => {
            assert!(message.contains("NAXIS = 0"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let missing = dir.path().join("missing.fits");
    assert!(matches!(Cube::open(&missing), Err(CutoutError::Io { .. })));
}

#[test]
fn requests_that_do_not_apply_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cube = Cube::open(&write_int16_image(dir.path())).unwrap();
    for request in [
        CutoutRequest {
            band: Some((0.001, 0.002)),
            ..Default::default()
        },
        CutoutRequest {
            pol: vec!["I".into()],
            ..Default::default()
        },
        CutoutRequest {
            time: Some((2.0, 1.0)),
            ..Default::default()
        },
    ] {
        match cube.plan(&request) {
            Err(CutoutError::Usage(message)) => {
                assert!(message.starts_with(&request.to_string()), "{message}")
            }
            other => panic!("{request}: {other:?}"),
        }
    }
}
