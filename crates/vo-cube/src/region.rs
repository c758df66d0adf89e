//! A box of pixels in one channel: its statistics, and the sky polygon and wavelength band
//! that cut it (or a whole view) out of the cube with SODA.

use crate::error::{index, ViewError};
use crate::Cube;

/// The most samples one region's statistics read; a larger box is sampled every `stride`
/// pixels along both axes, which keeps a region over a huge plane as fast as a tile.
pub const MOST_REGION_SAMPLES: usize = 1 << 22;

/// A box of whole pixels, 0-based and half-open (`x0 ≤ x < x1`, `y0 ≤ y < y1`), inside the
/// image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelBox {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl PixelBox {
    /// The box between two corners (in either order), clipped to the `cube`'s plane; a box
    /// wholly outside it is an error that gives the plane's size.
    pub fn clipped(cube: &Cube, corners: [(f64, f64); 2]) -> Result<PixelBox, ViewError> {
        let [(ax, ay), (bx, by)] = corners;
        if ![ax, ay, bx, by].iter().all(|v| v.is_finite()) {
            return Err(ViewError::Invalid(
                "x0, y0, x1 and y1 must be numbers (0-based pixels)".into(),
            ));
        }
        let clip = |a: f64, b: f64, n: usize| {
            let lo = a.min(b).floor().max(0.0).min(n as f64) as usize;
            let hi = a.max(b).ceil().max(0.0).min(n as f64) as usize;
            (lo, hi)
        };
        let (x0, x1) = clip(ax, bx, cube.nx);
        let (y0, y1) = clip(ay, by, cube.ny);
        if x0 >= x1 || y0 >= y1 {
            return Err(ViewError::Invalid(format!(
                "the box x {ax}..{bx}, y {ay}..{by} has no pixel of the image, which is 0..{} × 0..{}",
                cube.nx, cube.ny
            )));
        }
        Ok(PixelBox { x0, y0, x1, y1 })
    }

    pub fn pixels(&self) -> usize {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }
}

/// Statistics of a box in one channel. With `stride` above 1 they are of the pixels every
/// `stride` along both axes, and `sum` and `flux_jy` are scaled up to the whole box.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionStats {
    pub channel: usize,
    pub region: PixelBox,
    /// Pixels in the box.
    pub pixels: usize,
    /// Pixels read (all of them when `stride` is 1).
    pub samples: usize,
    pub stride: usize,
    /// Blank (NaN) pixels among those read.
    pub blank: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub std: Option<f64>,
    pub rms: Option<f64>,
    pub sum: Option<f64>,
    /// The box's flux density (Jy) when the cube is in Jy/beam with a beam: the sum times the
    /// pixel's solid angle over the beam's.
    pub flux_jy: Option<f64>,
    /// The brightest pixel read.
    pub brightest: Option<(usize, usize)>,
}

/// Pixels per beam, when the cube is in Jy/beam and has BMAJ and BMIN.
fn pixels_per_beam(cube: &Cube) -> Option<f64> {
    let unit = cube.text("BUNIT")?.to_ascii_lowercase().replace(' ', "");
    if unit != "jy/beam" {
        return None;
    }
    let (major, minor) = cube.wcs().beam?;
    let (dx, dy) = cube.wcs().celestial.cdelt;
    let beam = std::f64::consts::PI * major * minor / (4.0 * std::f64::consts::LN_2);
    let pixel = (dx * dy).abs();
    (pixel > 0.0 && beam > 0.0).then(|| beam / pixel)
}

/// Statistics of `region` in `channel`.
pub fn region_stats(
    cube: &Cube,
    channel: i64,
    region: &PixelBox,
) -> Result<RegionStats, ViewError> {
    let channel = index("channel", channel, cube.channels, "channels")?;
    let pixels = region.pixels();
    let mut stride = 1;
    while pixels.div_ceil(stride * stride) > MOST_REGION_SAMPLES {
        stride += 1;
    }
    let (mut samples, mut blank, mut n) = (0usize, 0usize, 0usize);
    let (mut sum, mut squares) = (0f64, 0f64);
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut brightest = None;
    let width = region.x1 - region.x0;
    let mut row = vec![0f32; width];
    for y in (region.y0..region.y1).step_by(stride) {
        cube.read(channel, region.x0 + cube.nx * y, &mut row);
        for (i, &v) in row.iter().enumerate().step_by(stride) {
            samples += 1;
            if !v.is_finite() {
                blank += 1;
                continue;
            }
            let v = v as f64;
            n += 1;
            sum += v;
            squares += v * v;
            min = min.min(v);
            if v > max {
                max = v;
                brightest = Some((region.x0 + i, y));
            }
        }
    }
    let found = n > 0;
    let mean = sum / n as f64;
    let scale = (stride * stride) as f64;
    let total = sum * scale;
    Ok(RegionStats {
        channel,
        region: *region,
        pixels,
        samples,
        stride,
        blank,
        min: found.then_some(min),
        max: found.then_some(max),
        mean: found.then_some(mean),
        std: found.then(|| (squares / n as f64 - mean * mean).max(0.0).sqrt()),
        rms: found.then(|| (squares / n as f64).sqrt()),
        sum: found.then_some(total),
        flux_jy: pixels_per_beam(cube).filter(|_| found).map(|p| total / p),
        brightest,
    })
}

/// What cuts a box out of the cube: the sky polygon of its outer pixel edges, drawn a
/// hundredth of a pixel inside them so that a cutout keeps exactly the box's pixels
/// (counter-clockwise on the sky for an image with east left), and the vacuum wavelengths
/// (m) of a channel range's outer edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Cutout {
    pub polygon: Vec<(f64, f64)>,
    pub band_m: Option<(f64, f64)>,
}

/// The cutout of `region`, over channels `first..=last` when given (else all of them).
pub fn cutout_of(
    cube: &Cube,
    region: &PixelBox,
    channels: Option<(i64, i64)>,
) -> Result<Cutout, ViewError> {
    // 1-based pixel edges, a hundredth of a pixel inside: the box's pixels and no others
    let inset = 0.01;
    let (x0, y0) = (
        region.x0 as f64 + 0.5 + inset,
        region.y0 as f64 + 0.5 + inset,
    );
    let (x1, y1) = (
        region.x1 as f64 + 0.5 - inset,
        region.y1 as f64 + 0.5 - inset,
    );
    let polygon = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        .iter()
        .map(|&(x, y)| cube.wcs().celestial.pixel_to_world(x, y))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ViewError::Invalid("the box reaches beyond the projection's sky".into()))?;
    let band_m = match channels {
        None => None,
        Some((first, last)) => {
            let first = index("first", first, cube.channels, "channels")?;
            let last = index("last", last, cube.channels, "channels")?;
            let axis = cube.frequency_axis().ok_or_else(|| {
                ViewError::Invalid("first and last need a cube with a FREQ axis".into())
            })?;
            let (lo, hi) = (first.min(last) as f64 + 0.5, first.max(last) as f64 + 1.5);
            let (a, b) = (axis.value(lo), axis.value(hi));
            let c = vo_fits::SPEED_OF_LIGHT;
            Some((c / a.max(b), c / a.min(b)))
        }
    };
    Ok(Cutout { polygon, band_m })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cube_file;

    #[test]
    fn statistics_of_a_box_in_one_channel() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 40, 30, 2, |x, y, k| {
            if x == 5 && y == 5 {
                f32::NAN
            } else {
                (x + y) as f32 + 100.0 * k as f32
            }
        });
        let region = PixelBox::clipped(&cube, [(6.0, 4.0), (2.0, 7.0)]).unwrap();
        assert_eq!(
            region,
            PixelBox {
                x0: 2,
                y0: 4,
                x1: 6,
                y1: 7
            }
        );
        let s = region_stats(&cube, 1, &region).unwrap();
        assert_eq!((s.pixels, s.samples, s.blank, s.stride), (12, 12, 1, 1));
        // values x + y + 100 over x 2..6, y 4..7, without (5, 5)
        let values: Vec<f64> = (4..7)
            .flat_map(|y| (2..6).map(move |x| (x, y)))
            .filter(|&p| p != (5, 5))
            .map(|(x, y)| (x + y) as f64 + 100.0)
            .collect();
        let mean = values.iter().sum::<f64>() / 11.0;
        assert!((s.mean.unwrap() - mean).abs() < 1e-9);
        assert_eq!((s.min, s.max), (Some(106.0), Some(111.0)));
        assert_eq!(s.brightest, Some((5, 6)));
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 11.0;
        assert!((s.std.unwrap() - var.sqrt()).abs() < 1e-9);
        // 0.1″ pixels under a 0.5″ × 0.4″ beam: 22.66 pixels per beam
        let per_beam = std::f64::consts::PI * 0.5 * 0.4 / (4.0 * std::f64::consts::LN_2) / 0.01;
        assert!((s.flux_jy.unwrap() - s.sum.unwrap() / per_beam).abs() < 1e-9);
    }

    #[test]
    fn boxes_are_clipped_to_the_image_and_one_outside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 40, 30, 1, |_, _, _| 1.0);
        let whole = PixelBox::clipped(&cube, [(-10.0, -3.5), (90.0, 31.2)]).unwrap();
        assert_eq!(
            whole,
            PixelBox {
                x0: 0,
                y0: 0,
                x1: 40,
                y1: 30
            }
        );
        let message = PixelBox::clipped(&cube, [(50.0, 0.0), (60.0, 10.0)])
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("no pixel of the image, which is 0..40 × 0..30"),
            "{message}"
        );
        assert!(PixelBox::clipped(&cube, [(f64::NAN, 0.0), (1.0, 1.0)]).is_err());
        assert!(region_stats(&cube, 1, &whole).is_err());
    }

    #[test]
    fn large_boxes_are_sampled_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 2100, 2100, 1, |_, _, _| 2.0);
        let region = PixelBox::clipped(&cube, [(0.0, 0.0), (2100.0, 2100.0)]).unwrap();
        let s = region_stats(&cube, 0, &region).unwrap();
        assert_eq!(s.stride, 2);
        assert!(s.samples <= MOST_REGION_SAMPLES);
        assert_eq!(s.mean, Some(2.0));
        // the sum stands for the whole box
        assert!((s.sum.unwrap() / (2.0 * 2100.0 * 2100.0) - 1.0).abs() < 1e-3);
    }

    #[test]
    fn a_cutout_is_the_box_outer_edges_on_the_sky_and_the_channels_edges_in_wavelength() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 40, 30, 5, |_, _, _| 1.0);
        let region = PixelBox::clipped(&cube, [(0.0, 0.0), (20.0, 15.0)]).unwrap();
        let cut = cutout_of(&cube, &region, Some((3, 1))).unwrap();
        let wcs = &cube.wcs().celestial;
        let corner = |i: usize| {
            wcs.world_to_pixel(cut.polygon[i].0, cut.polygon[i].1)
                .unwrap()
        };
        let close =
            |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6;
        assert!(close(corner(0), (0.51, 0.51)), "{:?}", corner(0));
        assert!(close(corner(2), (20.49, 15.49)), "{:?}", corner(2));
        // channels 1..=3: 230.0005 to 230.0035 GHz
        let (lo, hi) = cut.band_m.unwrap();
        let c = vo_fits::SPEED_OF_LIGHT;
        assert!((lo - c / 230.0035e9).abs() < 1e-12 && (hi - c / 230.0005e9).abs() < 1e-12);
        assert_eq!(cutout_of(&cube, &region, None).unwrap().band_m, None);
        let message = cutout_of(&cube, &region, Some((0, 5)))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "last=5 is out of range: the cube has 5 channels, 0 to 4"
        );
    }
}
