//! An image plane for measuring rather than drawing (morphology features, thumbnails): a
//! single-channel image itself, or a cube's peak map (moment 8), with the beam's width in
//! pixels when the header gives it; and small thumbnails of such planes laid out on one
//! contact sheet.

use crate::canvas::Canvas;
use crate::colour::{gradient, BLANK_GREY};
use crate::cube::Cube;
use crate::error::PreviewError;
use crate::maps;
use crate::scaling::DisplayRange;
use std::path::Path;

/// A sky plane in FITS order (x + width·y, NaN blank).
#[derive(Debug, Clone, PartialEq)]
pub struct SkyPlane {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<f32>,
    /// Channels collapsed into it (1: the image itself; more: the peak over them).
    pub channels: usize,
    /// The beam's major axis (FWHM) in pixels, from BMAJ and the pixel scale.
    pub beam_pixels: Option<f64>,
}

/// The plane of the image at `path`: the image itself, or a cube's peak map.
pub fn sky_plane(path: &Path) -> Result<SkyPlane, PreviewError> {
    let cube = Cube::open(path)?;
    let map = maps::peak(&cube);
    let wcs = cube.wcs();
    let pixel = wcs.celestial.cdelt.1.abs();
    let beam_pixels = wcs
        .beam
        .filter(|_| pixel > 0.0)
        .map(|(major, _)| major / pixel)
        .filter(|b| b.is_finite() && *b > 0.0);
    Ok(SkyPlane {
        width: map.nx,
        height: map.ny,
        pixels: map.values,
        channels: cube.channels,
        beam_pixels,
    })
}

impl SkyPlane {
    /// A `side` × `side` thumbnail, one byte per pixel (0 blank, 1..=255 the brightness on
    /// an asinh scale between the robust noise floor and the peak), north up: the mean of
    /// the plane's pixels each thumbnail pixel covers.
    pub fn thumbnail(&self, side: usize) -> Vec<u8> {
        let mut out = vec![0u8; side * side];
        let Some(range) = DisplayRange::robust(&self.pixels) else {
            return out;
        };
        let floor = range.low;
        let span = (self
            .pixels
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(f32::NEG_INFINITY, f32::max) as f64
            - floor)
            .max(f64::MIN_POSITIVE);
        // asinh with a knee at a twentieth of the peak: faint structure stays visible
        let stretch = |v: f64| ((v - floor).max(0.0) / span * 20.0).asinh() / 20f64.asinh();
        for ty in 0..side {
            for tx in 0..side {
                let (x0, x1) = (
                    tx * self.width / side,
                    ((tx + 1) * self.width / side).max(tx * self.width / side + 1),
                );
                let (y0, y1) = (
                    ty * self.height / side,
                    ((ty + 1) * self.height / side).max(ty * self.height / side + 1),
                );
                let (mut sum, mut n) = (0.0, 0);
                for y in y0..y1.min(self.height) {
                    for x in x0..x1.min(self.width) {
                        let v = self.pixels[y * self.width + x];
                        if v.is_finite() {
                            sum += v as f64;
                            n += 1;
                        }
                    }
                }
                if n > 0 {
                    // row 0 of the thumbnail is the top: north
                    out[(side - 1 - ty) * side + tx] =
                        1 + (stretch(sum / n as f64) * 254.0).round() as u8;
                }
            }
        }
        out
    }
}

/// One PNG holding `thumbnails` (each `side` × `side`, as [`SkyPlane::thumbnail`] makes
/// them; None drawn blank) in rows of `columns`, left to right, top to bottom, in the
/// preview's colour map.
pub fn contact_sheet(
    thumbnails: &[Option<Vec<u8>>],
    side: usize,
    columns: usize,
) -> Result<Vec<u8>, PreviewError> {
    let columns = columns.max(1);
    let rows = thumbnails.len().div_ceil(columns).max(1);
    let mut canvas = Canvas::new((columns * side) as u32, (rows * side) as u32, BLANK_GREY);
    for (k, thumbnail) in thumbnails.iter().enumerate() {
        let (left, top) = ((k % columns) * side, (k / columns) * side);
        let Some(thumbnail) = thumbnail.as_ref().filter(|t| t.len() == side * side) else {
            continue;
        };
        for (i, &v) in thumbnail.iter().enumerate() {
            let colour = if v == 0 {
                BLANK_GREY
            } else {
                gradient((v - 1) as f64 / 254.0)
            };
            canvas.put((left + i % side) as i64, (top + i / side) as i64, colour);
        }
    }
    canvas.to_png().map_err(|e| PreviewError::Encoding {
        path: "contact sheet".into(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane(width: usize, height: usize, value: impl Fn(usize, usize) -> f32) -> SkyPlane {
        SkyPlane {
            width,
            height,
            pixels: (0..width * height)
                .map(|k| value(k % width, k / width))
                .collect(),
            channels: 1,
            beam_pixels: None,
        }
    }

    #[test]
    fn thumbnails_put_north_up_and_keep_blanks_apart() {
        // bright where x and y are both high; blank at pixel (0, 0)
        let p = plane(8, 8, |x, y| {
            if x == 0 && y == 0 {
                f32::NAN
            } else if x >= 4 && y >= 4 {
                10.0
            } else {
                0.0
            }
        });
        let t = p.thumbnail(2);
        // row 0 is the top (y high): right half bright
        assert_eq!(t[1], 255, "{t:?}");
        assert!(t[0] < 20 && t[2] < 20 && t[3] < 20, "{t:?}");
        // a blank pixel among finite ones does not blank the thumbnail pixel
        assert!(t[2] >= 1);
        let blank = plane(4, 4, |_, _| f32::NAN).thumbnail(2);
        assert_eq!(blank, vec![0; 4]);
    }

    #[test]
    fn a_contact_sheet_is_a_png_of_the_tiles() {
        let t = plane(8, 8, |x, _| x as f32).thumbnail(4);
        let png = contact_sheet(&[Some(t.clone()), None, Some(t)], 4, 2).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (8, 8));
    }
}
