//! Test cubes written with vo-fits, and PNG decoding.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use vo_fits::{
    write_image_f32, CelestialWcs, Header, ImageWcs, LinearAxis, Projection, StokesAxis, Value,
};

/// Colour of the top of the colour map (the brightest pixels) and of blank pixels.
pub const BRIGHTEST: [u8; 3] = [253, 231, 37];
pub const GREY: [u8; 3] = [128, 128, 128];
/// The spectrum plot's line colour.
pub const LINE: [u8; 3] = [31, 119, 180];

/// An ALMA-like WCS: SIN projection, RA step negative, FREQ from 100 GHz in 10 MHz channels,
/// one or more Stokes planes.
pub fn wcs(nx: usize, ny: usize, channels: usize, stokes: usize) -> ImageWcs {
    ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (204.25, -29.86),
            crpix: ((nx as f64 + 1.0) / 2.0, (ny as f64 + 1.0) / 2.0),
            cdelt: (-1e-4, 1e-4),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 100e9,
            crpix: 1.0,
            cdelt: 10e6,
        }),
        stokes: Some(StokesAxis {
            codes: (1..=stokes as i64).collect(),
        }),
        shape: vec![nx, ny, channels, stokes],
        beam: Some((3e-4, 2e-4)),
    }
}

/// The header of `wcs` with OBJECT, BUNIT and BTYPE as ALMA writes them.
pub fn header(wcs: &ImageWcs) -> Header {
    let mut header = wcs.primary_header();
    header.push("BUNIT", Value::Str("Jy/beam".into()), "");
    header.push("BTYPE", Value::Str("Intensity".into()), "");
    header.push("OBJECT", Value::Str("NGC 5236".into()), "");
    header
}

/// Writes a float32 cube (FITS order) and returns its path.
pub fn write(dir: &Path, name: &str, header: &Header, data: &[f32]) -> PathBuf {
    let path = dir.join(name);
    let mut bytes = Vec::new();
    write_image_f32(&mut bytes, header, data).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Index of 1-based pixel (x, y) in channel `k` (0-based) of an nx × ny × … cube.
pub fn index(nx: usize, ny: usize, x: usize, y: usize, k: usize) -> usize {
    (x - 1) + nx * ((y - 1) + ny * k)
}

/// 48 × 48 × 24: a constant continuum blob (peak 1.0, σ = 4 px) at (24, 24) and a line
/// source (σ = 1.5 px) at (10, 40) whose spectrum is a triangle peaking at 5.0 in channel 12
/// (0-based) and zero beyond ±4 channels.
pub fn line_cube() -> (ImageWcs, Vec<f32>) {
    let (n, channels) = (48, 24);
    let wcs = wcs(n, n, channels, 1);
    let mut data = vec![0.0f32; n * n * channels];
    for k in 0..channels {
        let line = (1.0 - (k as f64 - 12.0).abs() / 4.0).max(0.0) * 5.0;
        for y in 1..=n {
            for x in 1..=n {
                let d2 = |cx: f64, cy: f64| (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2);
                let continuum = (-d2(24.0, 24.0) / (2.0 * 16.0)).exp();
                let source = line * (-d2(10.0, 40.0) / (2.0 * 2.25)).exp();
                data[index(n, n, x, y, k)] = (continuum + source) as f32;
            }
        }
    }
    (wcs, data)
}

/// The same sky without the line: every channel holds the continuum blob.
pub fn flat_cube() -> (ImageWcs, Vec<f32>) {
    let (wcs, mut data) = line_cube();
    let plane = 48 * 48;
    let first: Vec<f32> = data[..plane].to_vec();
    for k in 1..24 {
        data[k * plane..(k + 1) * plane].copy_from_slice(&first);
    }
    (wcs, data)
}

pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Decoded {
    pub fn at(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Every position drawn in `colour`.
    pub fn find(&self, colour: [u8; 3]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for y in 0..self.height {
            for x in 0..self.width {
                if self.at(x, y) == colour {
                    out.push((x, y));
                }
            }
        }
        out
    }
}

/// Decodes an 8-bit RGB PNG, failing the test on anything else.
pub fn decode(png_bytes: &[u8]) -> Decoded {
    let decoder = png::Decoder::new(Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a valid PNG");
    let mut rgb = vec![0u8; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgb).expect("a valid PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    rgb.truncate(info.buffer_size());
    Decoded {
        width: info.width,
        height: info.height,
        rgb,
    }
}
