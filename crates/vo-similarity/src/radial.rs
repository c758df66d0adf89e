//! How brightness changes going outwards, in ways turns and flips leave alone: rings that
//! rise again beyond a gap, and arms whose angle winds with radius.

use std::f64::consts::PI;

use crate::features::{ANGLES, RINGS};

/// How far the brightness on ellipses (the shape's own, from its second moments: a ring
/// seen inclined is still a ring) rises again going outwards, relative to its highest:
/// none for a shape that only fades outwards. Each ellipse's lower quartile is used, so
/// that only what goes all the way round counts (a ring, not a clump that a circle
/// crosses). Ellipses every fortieth of `reach` (pixels along the major axis). The square
/// root of the rise is returned, so that a faint ring, blurred by a wide beam, still tells
/// from none.
pub(crate) fn ring_contrast(
    sample: &dyn Fn(f64, f64) -> f64,
    (cx, cy): (f64, f64),
    (ratio, angle): (f64, f64),
    reach: f64,
) -> f64 {
    const ELLIPSES: usize = 40;
    let (s, c) = angle.sin_cos();
    let ratio = ratio.max(0.3);
    let profile: Vec<f64> = (0..ELLIPSES)
        .map(|k| {
            let r = (k as f64 + 0.5) / ELLIPSES as f64 * reach;
            let mut values: Vec<f64> = (0..ANGLES)
                .map(|j| {
                    let theta = 2.0 * PI * j as f64 / ANGLES as f64;
                    let (u, v) = (r * theta.cos(), r * ratio * theta.sin());
                    sample(cx + u * c - v * s, cy + u * s + v * c)
                })
                .collect();
            values.sort_by(f64::total_cmp);
            values[ANGLES / 4]
        })
        .collect();
    let highest = profile.iter().fold(f64::MIN_POSITIVE, |a, b| a.max(*b));
    let rise: f64 = profile.windows(2).map(|w| (w[1] - w[0]).max(0.0)).sum();
    (rise / highest).sqrt()
}

/// The Fourier coefficient (real, imaginary) of harmonic `m` (turns per circle) of the
/// brightness around one ring.
pub(crate) fn harmonic(ring: &[f64; ANGLES], m: usize) -> (f64, f64) {
    let (mut re, mut im) = (0.0, 0.0);
    for (j, v) in ring.iter().enumerate() {
        let phase = 2.0 * PI * m as f64 * j as f64 / ANGLES as f64;
        re += v * phase.cos();
        im += v * phase.sin();
    }
    (re, im)
}

/// How fast the angle of the rings' strongest harmonics turns from one ring to the next
/// (radians, weighted by their strength): near zero for shapes whose pattern keeps its
/// orientation at every radius (ellipses, bars, lobes), large for spiral arms.
pub(crate) fn winding(rings: &[[f64; ANGLES]; RINGS]) -> f64 {
    const HARMONICS: usize = 4;
    let coefficients: Vec<[(f64, f64); HARMONICS]> = rings
        .iter()
        .map(|ring| std::array::from_fn(|m| harmonic(ring, m + 1)))
        .collect();
    let (mut turned, mut weight) = (0.0, 0.0);
    for pair in coefficients.windows(2) {
        for (m, (&(a_re, a_im), &(b_re, b_im))) in pair[0].iter().zip(&pair[1]).enumerate() {
            // the angle between the two coefficients, wrapped to 0..π, per turn of the shape
            let w = (a_re.hypot(a_im) * b_re.hypot(b_im)).sqrt();
            let difference = (b_im.atan2(b_re) - a_im.atan2(a_re)).rem_euclid(2.0 * PI);
            let difference = difference.min(2.0 * PI - difference) / (m + 1) as f64;
            turned += w * difference;
            weight += w;
        }
    }
    turned / weight.max(f64::MIN_POSITIVE)
}
