//! Moment maps of one line: moment 0 (the integrated intensity, Jy/beam km/s) and moment 1
//! (the intensity-weighted velocity, km/s, relative to the line's centre), over the line's
//! channels, continuum subtracted, masked where moment 0 is under 3σ.

use vo_preview::Cube;

const SPEED_OF_LIGHT_KMS: f64 = 299_792.458;

/// The maps (x + nx·y, NaN where masked).
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    pub nx: usize,
    pub ny: usize,
    pub moment0: Vec<f32>,
    pub moment1: Vec<f32>,
    /// The noise of moment 0, Jy/beam km/s.
    pub moment0_noise: f64,
}

/// The moments of channels `first..=last` of `cube`, whose channel `k` is centred at
/// `frequency(k)` GHz, around `centre_ghz`; `continuum` per pixel; `noise` per channel.
pub(crate) fn moments(
    cube: &Cube,
    first: usize,
    last: usize,
    frequency: &dyn Fn(usize) -> f64,
    centre_ghz: f64,
    continuum: &[f32],
    noise: &[f64],
) -> Moments {
    let pixels = cube.nx * cube.ny;
    let (mut m0, mut m1) = (vec![0.0f64; pixels], vec![0.0f64; pixels]);
    let mut plane = vec![0.0f32; pixels];
    let mut variance = 0.0;
    for k in first..=last {
        let velocity = SPEED_OF_LIGHT_KMS * (1.0 - frequency(k) / centre_ghz);
        let width = if k + 1 < cube.channels {
            (SPEED_OF_LIGHT_KMS * (frequency(k + 1) - frequency(k)) / centre_ghz).abs()
        } else {
            (SPEED_OF_LIGHT_KMS * (frequency(k) - frequency(k.saturating_sub(1))) / centre_ghz)
                .abs()
        };
        cube.read(k, 0, &mut plane);
        for p in 0..pixels {
            let v = plane[p] as f64 - continuum[p] as f64;
            if v.is_finite() {
                m0[p] += v * width;
                m1[p] += v * width * velocity;
            }
        }
        variance += (noise[k] * width).powi(2);
    }
    let sigma = variance.sqrt();
    let (mut moment0, mut moment1) = (vec![f32::NAN; pixels], vec![f32::NAN; pixels]);
    for p in 0..pixels {
        if m0[p] >= 3.0 * sigma {
            moment0[p] = m0[p] as f32;
            moment1[p] = (m1[p] / m0[p]) as f32;
        }
    }
    Moments {
        nx: cube.nx,
        ny: cube.ny,
        moment0,
        moment1,
        moment0_noise: sigma,
    }
}
