//! Sky maps collapsed from a cube along its channels — the peak flux ("moment 8": per pixel
//! the largest value) and the continuum (per pixel the median, which a line occupying a
//! minority of the channels does not move) — and the spectrum through one pixel. Blank (NaN)
//! samples are ignored; a pixel blank in every channel stays blank.

use crate::cube::Cube;

/// A map of values per sky pixel, in FITS order: index x + nx·y with 0-based x along RA and
/// y along Dec (y = 0 is FITS row 1, the southern edge for a north-up image).
#[derive(Debug, Clone, PartialEq)]
pub struct SkyMap {
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f32>,
}

impl SkyMap {
    /// True when at least one pixel has a finite value.
    pub(crate) fn has_valid_pixels(&self) -> bool {
        self.values.iter().any(|v| v.is_finite())
    }

    /// The 0-based (x, y) of the largest finite value, the first in FITS order on ties.
    pub(crate) fn brightest(&self) -> Option<(usize, usize)> {
        let best = self
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .fold(None, |best: Option<(usize, f32)>, (i, &v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((i, v)),
            });
        best.map(|(i, _)| (i % self.nx, i / self.nx))
    }
}

/// Samples held in memory at once while collecting the channels of a run of pixels.
const STRIP_SAMPLES: usize = 4 << 20;

/// Per pixel the largest finite value over the channels.
pub fn peak(cube: &Cube) -> SkyMap {
    let mut values = vec![f32::NAN; cube.nx * cube.ny];
    let mut plane = vec![0.0f32; cube.nx * cube.ny];
    for channel in 0..cube.channels {
        cube.read(channel, 0, &mut plane);
        for (best, &v) in values.iter_mut().zip(&plane) {
            // f32::max returns the other operand when one is NaN
            *best = best.max(v);
        }
    }
    SkyMap {
        nx: cube.nx,
        ny: cube.ny,
        values,
    }
}

/// Per pixel the median of the finite values over the channels. Reads runs of consecutive
/// pixels with all their channels, so that memory stays bounded whatever the cube's size.
pub fn median(cube: &Cube) -> SkyMap {
    let (pixels, channels) = (cube.nx * cube.ny, cube.channels);
    let mut values = vec![f32::NAN; pixels];
    let run = (STRIP_SAMPLES / channels).clamp(1, pixels);
    let mut strip = vec![0.0f32; run * channels];
    let mut column = Vec::with_capacity(channels);
    for first in (0..pixels).step_by(run) {
        let len = run.min(pixels - first);
        for channel in 0..channels {
            let start = channel * len;
            cube.read(channel, first, &mut strip[start..start + len]);
        }
        for (pixel, value) in values[first..first + len].iter_mut().enumerate() {
            column.clear();
            column.extend(
                (0..channels)
                    .map(|channel| strip[channel * len + pixel])
                    .filter(|v| v.is_finite()),
            );
            *value = median_of(&mut column);
        }
    }
    SkyMap {
        nx: cube.nx,
        ny: cube.ny,
        values,
    }
}

/// The median of `values` (the mean of the middle two for an even count); NaN when empty.
fn median_of(values: &mut [f32]) -> f32 {
    let n = values.len();
    if n == 0 {
        return f32::NAN;
    }
    let (below, &mut middle, _) = values.select_nth_unstable_by(n / 2, f32::total_cmp);
    if n % 2 == 1 {
        return middle;
    }
    let lower = below
        .iter()
        .copied()
        .max_by(f32::total_cmp)
        .unwrap_or(middle);
    ((lower as f64 + middle as f64) / 2.0) as f32
}

/// The values of 0-based sky pixel (x, y) in every channel.
pub fn spectrum(cube: &Cube, x: usize, y: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; cube.channels];
    for (channel, value) in out.iter_mut().enumerate() {
        cube.read(channel, x + cube.nx * y, std::slice::from_mut(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vo_fits::{write_image_f32, CelestialWcs, ImageWcs, LinearAxis, Projection};

    /// A 3 × 2 × 5 cube; pixel (x, y) in channel k holds `value(x, y, k)`.
    fn cube(dir: &std::path::Path, value: impl Fn(usize, usize, usize) -> f32) -> Cube {
        let wcs = ImageWcs {
            celestial: CelestialWcs {
                projection: Projection::Tan,
                crval: (10.0, 20.0),
                crpix: (2.0, 1.0),
                cdelt: (-1e-4, 1e-4),
                pc: None,
            },
            spectral: Some(LinearAxis {
                ctype: "FREQ".into(),
                unit: "Hz".into(),
                crval: 2e11,
                crpix: 1.0,
                cdelt: 1e6,
            }),
            stokes: None,
            shape: vec![3, 2, 5],
            beam: None,
        };
        let mut data = Vec::new();
        for k in 0..5 {
            for y in 0..2 {
                for x in 0..3 {
                    data.push(value(x, y, k));
                }
            }
        }
        let path = dir.join("cube.fits");
        let mut bytes = Vec::new();
        write_image_f32(&mut bytes, &wcs.primary_header(), &data).unwrap();
        std::fs::write(&path, bytes).unwrap();
        Cube::open(&path).unwrap()
    }

    #[test]
    fn peak_median_and_spectrum_of_a_known_cube() {
        let dir = tempfile::tempdir().unwrap();
        // pixel (0, 0): 0 1 2 3 4; pixel (1, 0): a line 0 0 9 0 0 on a continuum of 1;
        // pixel (2, 1): blank in channels 1 and 3; pixel (0, 1): blank everywhere
        let cube = cube(dir.path(), |x, y, k| match (x, y) {
            (0, 0) => k as f32,
            (1, 0) => {
                if k == 2 {
                    10.0
                } else {
                    1.0
                }
            }
            (2, 1) if k % 2 == 1 => f32::NAN,
            (2, 1) => 5.0 - k as f32,
            (0, 1) => f32::NAN,
            _ => -1.0,
        });
        assert_eq!(cube.channels, 5);
        let peak = peak(&cube);
        assert_eq!(peak.values[0], 4.0);
        assert_eq!(peak.values[1], 10.0);
        assert_eq!(peak.values[5], 5.0);
        assert!(peak.values[3].is_nan());
        assert_eq!(peak.brightest(), Some((1, 0)));
        let median = median(&cube);
        assert_eq!(median.values[0], 2.0);
        assert_eq!(median.values[1], 1.0);
        assert_eq!(median.values[5], 3.0);
        assert!(median.values[3].is_nan());
        assert_eq!(median.values[2], -1.0);
        assert_eq!(spectrum(&cube, 1, 0), vec![1.0, 1.0, 10.0, 1.0, 1.0]);
        let blank = spectrum(&cube, 2, 1);
        assert_eq!((blank[0], blank[2], blank[4]), (5.0, 3.0, 1.0));
        assert!(blank[1].is_nan() && blank[3].is_nan());
    }

    #[test]
    fn medians_of_odd_even_and_empty_sets() {
        assert_eq!(median_of(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median_of(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median_of(&mut [7.0]), 7.0);
        assert!(median_of(&mut []).is_nan());
        // a line in a minority of channels leaves the median at the continuum
        assert_eq!(median_of(&mut [1.0, 1.0, 9.0, 8.0, 1.0, 1.0, 1.0]), 1.0);
    }

    #[test]
    fn brightest_ignores_nan_and_reports_x_and_y() {
        let map = SkyMap {
            nx: 3,
            ny: 2,
            values: vec![f32::NAN, 1.0, 2.0, 0.0, 5.0, f32::NAN],
        };
        assert_eq!(map.brightest(), Some((1, 1)));
        let blank = SkyMap {
            nx: 1,
            ny: 1,
            values: vec![f32::NAN],
        };
        assert_eq!(blank.brightest(), None);
        assert!(!blank.has_valid_pixels());
    }
}
