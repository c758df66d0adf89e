//! Small cubes written to a temporary directory for the tests.

use crate::Cube;
use vo_fits::{write_image_f32, CelestialWcs, ImageWcs, LinearAxis, Projection};

/// An `nx` × `ny` × `channels` cube (FREQ from 230 GHz in 1 MHz steps, 0.1″ pixels around
/// RA 10°, Dec −20°, a 0.5″ × 0.4″ beam, Jy/beam) whose pixel (x, y) in channel k holds
/// `value(x, y, k)`.
pub(crate) fn cube_file(
    dir: &std::path::Path,
    nx: usize,
    ny: usize,
    channels: usize,
    value: impl Fn(usize, usize, usize) -> f32,
) -> Cube {
    let wcs = ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (10.0, -20.0),
            crpix: (nx as f64 / 2.0, ny as f64 / 2.0),
            cdelt: (-0.1 / 3600.0, 0.1 / 3600.0),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 230.0e9,
            crpix: 1.0,
            cdelt: 1e6,
        }),
        stokes: None,
        shape: vec![nx, ny, channels],
        beam: Some((0.5 / 3600.0, 0.4 / 3600.0)),
    };
    let mut header = wcs.primary_header();
    header.push("BUNIT", vo_fits::Value::Str("Jy/beam".into()), "");
    header.push("RESTFRQ", vo_fits::Value::Float(230.5e9), "");
    let mut data = Vec::with_capacity(nx * ny * channels);
    for k in 0..channels {
        for y in 0..ny {
            for x in 0..nx {
                data.push(value(x, y, k));
            }
        }
    }
    static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("cube{n}.fits"));
    let mut file = std::fs::File::create(&path).unwrap();
    write_image_f32(&mut file, &header, &data).unwrap();
    Cube::open(&path).unwrap()
}
