//! Image morphology as a vector that rotations, flips, shifts and rescaling leave alone
//! (hand-built): the image smoothed by its beam (a matched filter for what the beam can
//! show), pixels below 3σ of the robust noise left out, the rest asinh-stretched relative
//! to the peak (so that the same shape under more or less noise looks alike); centred on
//! the flux-weighted centroid; sampled on rings out to 1.75 × R50 (the radius holding half
//! the flux), so that its size drops out; then the ring profile, the angular power of bands
//! of rings (Fourier harmonics 1–6: their magnitudes, which turns and flips leave alone),
//! and whole-image measures: concentration, asymmetry, Gini, size against the beam, the
//! pieces above 5σ and their spread, the axis ratio, how much rings rise beyond gaps, how
//! fast arms wind, and how many compact peaks there are.

use std::f64::consts::PI;

/// Rings and angles of the polar sampling.
pub(crate) const RINGS: usize = 12;
pub(crate) const ANGLES: usize = 32;
/// Harmonics of each ring band, and the bands (rings grouped in threes).
pub(crate) const HARMONICS: usize = 6;
pub(crate) const BANDS: usize = 4;

/// How much each measure counts in a comparison, once all are scaled to unit spread over
/// the collection: one ring of the profile, one harmonic of a band, then each whole-image
/// measure in the order [`features`] writes them. Set by measuring precision@10 per class on
/// three demo archives (see the README); the harmonics count least because, for the round
/// and symmetric shapes, they hold mostly noise.
pub(crate) const PROFILE_WEIGHT: f64 = 2.0;
pub(crate) const HARMONIC_WEIGHT: f64 = 0.5;
pub(crate) const SCALAR_WEIGHTS: [f64; SCALARS] = [
    6.0, // concentration
    6.0, // asymmetry
    3.0, // Gini
    6.0, // size against the beam
    2.0, // pieces
    2.0, // their spread
    4.0, // axis ratio
    4.0, // ring contrast
    3.0, // winding
    3.0, // compact peaks
];

/// The weight of dimension `d` of a feature vector.
pub(crate) fn weight(d: usize) -> f64 {
    if d < RINGS {
        PROFILE_WEIGHT
    } else if d < RINGS + BANDS * HARMONICS {
        HARMONIC_WEIGHT
    } else {
        SCALAR_WEIGHTS[d - RINGS - BANDS * HARMONICS]
    }
}

/// The asinh stretch's knee: brightness this many times below the peak is shown on a
/// linear scale, brighter on a logarithmic one.
const STRETCH: f64 = 10.0;

/// How far out the rings reach, in R50.
const REACH: f64 = 1.75;

/// A Gaussian's full width at half maximum over its σ.
const FWHM_PER_SIGMA: f64 = 2.354_820_045;

/// The narrowest beam an image can show (FWHM, pixels).
const NYQUIST_PIXELS: f64 = 2.0;

/// Which definition of the features this is: vectors measured under another are not
/// comparable and must be measured again.
pub const FEATURES_VERSION: i32 = 3;

/// The length of a feature vector.
pub const FEATURES: usize = RINGS + BANDS * HARMONICS + SCALARS;

/// The whole-image measures: concentration, asymmetry, Gini, size against the beam, pieces,
/// their spread, the axis ratio, ring contrast, winding and compact peaks.
pub(crate) const SCALARS: usize = 10;

fn median(values: &mut [f64]) -> f64 {
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, |a, b| a.total_cmp(b)).1
}

/// The features of an image of `width` × `height` pixels (first axis fastest; NaN is
/// blank) whose beam is `beam_pixels` wide (FWHM; narrower than two pixels counts as two); None when nothing rises above the noise.
pub fn features(pixels: &[f32], width: usize, height: usize, beam_pixels: f64) -> Option<Vec<f32>> {
    if pixels.len() != width * height || width < 8 || height < 8 {
        return None;
    }
    // smoothed by the beam: a matched filter for what the beam can show
    let beam = beam_pixels.max(NYQUIST_PIXELS);
    let smoothed = crate::smooth::gaussian(pixels, width, height, beam / FWHM_PER_SIGMA);
    let mut finite: Vec<f64> = smoothed.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.len() < 64 {
        return None;
    }
    let centre = median(&mut finite);
    let mut deviations: Vec<f64> = finite.iter().map(|v| (v - centre).abs()).collect();
    let sigma = (1.4826 * median(&mut deviations)).max(f64::MIN_POSITIVE);
    // above 3σ and joined to a pixel above 5σ, asinh-stretched relative to the peak (so that
    // the same shape measured with more or less noise, or noise smoothed by resampling,
    // looks the same); the rest left out
    let peak = finite.iter().fold(f64::MIN, |a, b| a.max(*b)) - centre;
    if peak <= 3.0 * sigma {
        return None;
    }
    let knee = peak / STRETCH;
    let background_subtracted: Vec<f64> = smoothed.iter().map(|v| v - centre).collect();
    let source = crate::regions::hysteresis(
        &background_subtracted,
        width,
        height,
        3.0 * sigma,
        5.0 * sigma,
    );
    let s: Vec<f64> = background_subtracted
        .iter()
        .zip(&source)
        .map(|(&x, &inside)| if inside { (x / knee).asinh() } else { 0.0 })
        .collect();
    let total: f64 = s.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for (k, v) in s.iter().enumerate() {
        cx += v * (k % width) as f64;
        cy += v * (k / width) as f64;
    }
    let (cx, cy) = (cx / total, cy / total);
    // radii holding 20, 50 and 80% of the flux
    let mut by_radius: Vec<(f64, f64)> = s
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(k, v)| {
            let (x, y) = ((k % width) as f64 - cx, (k / width) as f64 - cy);
            ((x * x + y * y).sqrt(), *v)
        })
        .collect();
    by_radius.sort_by(|a, b| a.0.total_cmp(&b.0));
    let radius_holding = |fraction: f64| {
        let mut sum = 0.0;
        for (r, v) in &by_radius {
            sum += v;
            if sum >= fraction * total {
                return r.max(0.5);
            }
        }
        by_radius.last().map_or(0.5, |l| l.0.max(0.5))
    };
    let (r20, r50, r80) = (
        radius_holding(0.2),
        radius_holding(0.5),
        radius_holding(0.8),
    );
    let sample = |x: f64, y: f64| -> f64 {
        if x < 0.0 || y < 0.0 || x > (width - 1) as f64 || y > (height - 1) as f64 {
            return 0.0;
        }
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(width - 1), (y0 + 1).min(height - 1));
        let (fx, fy) = (x - x0 as f64, y - y0 as f64);
        let at = |i: usize, j: usize| s[j * width + i];
        (at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx) * (1.0 - fy)
            + (at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx) * fy
    };
    let mut rings = [[0.0f64; ANGLES]; RINGS];
    for (k, ring) in rings.iter_mut().enumerate() {
        let r = (k as f64 + 0.5) / RINGS as f64 * REACH * r50;
        for (j, value) in ring.iter_mut().enumerate() {
            let theta = 2.0 * PI * j as f64 / ANGLES as f64;
            *value = sample(cx + r * theta.cos(), cy + r * theta.sin());
        }
    }
    let mut out = Vec::with_capacity(FEATURES);
    // the ring profile, as fractions of its sum
    let profile: Vec<f64> = rings
        .iter()
        .map(|ring| ring.iter().sum::<f64>() / ANGLES as f64)
        .collect();
    let profile_sum: f64 = profile.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    out.extend(profile.iter().map(|p| (p / profile_sum) as f32));
    // the angular power of each band of rings, relative to its mean
    let ring_total: f64 = rings.iter().flatten().sum();
    for band in rings.chunks(RINGS / BANDS) {
        let mut power = [0.0f64; HARMONICS];
        let mut mean = 0.0;
        for ring in band {
            mean += ring.iter().sum::<f64>();
            for (m, p) in power.iter_mut().enumerate() {
                let (re, im) = crate::radial::harmonic(ring, m + 1);
                *p += re.hypot(im);
            }
        }
        // a band with almost nothing in it (inside a ring, beyond the source) is measured
        // against a twentieth of the bands' mean, so that a few stray pixels there make no
        // pattern
        let mean = mean
            .max(0.05 * ring_total / BANDS as f64)
            .max(f64::MIN_POSITIVE);
        out.extend(power.iter().map(|p| (p / mean) as f32));
    }
    let ellipse = crate::moments::ellipse(&s, width, cx, cy);
    // concentration, asymmetry (the rings against themselves turned half a circle), Gini
    let concentration = (r80 / r20).log10();
    let (mut difference, mut sum) = (0.0, 0.0);
    for ring in &rings {
        for j in 0..ANGLES {
            difference += (ring[j] - ring[(j + ANGLES / 2) % ANGLES]).abs();
            sum += ring[j];
        }
    }
    let asymmetry = difference / (2.0 * sum).max(f64::MIN_POSITIVE);
    let mut values: Vec<f64> = rings.iter().flatten().copied().collect();
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len() as f64;
    let weighted: f64 = values
        .iter()
        .enumerate()
        .map(|(i, v)| (2.0 * (i as f64 + 1.0) - n - 1.0) * v)
        .sum();
    let gini = weighted / (n * values.iter().sum::<f64>()).max(f64::MIN_POSITIVE);
    // the size against the beam: a point source is the beam (an image shows nothing finer
    // than two pixels, its Nyquist limit, whatever its beam)
    let resolved = (r50 / beam).ln();
    // how many pieces hold a tenth of the flux or more, and how far apart they lie (in R50)
    let found = crate::regions::pieces(&s, width, height, (5.0 * sigma / knee).asinh());
    let flux_above: f64 = found
        .iter()
        .map(|p| p.0)
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let major: Vec<&(f64, f64, f64)> = found.iter().filter(|p| p.0 >= 0.1 * flux_above).collect();
    let spread = major
        .iter()
        .map(|p| ((p.1 - cx).powi(2) + (p.2 - cy).powi(2)).sqrt())
        .sum::<f64>()
        / major.len().max(1) as f64
        / r50;
    out.extend([
        concentration as f32,
        asymmetry as f32,
        gini as f32,
        resolved as f32,
        (major.len() as f64).ln_1p() as f32,
        spread as f32,
        ellipse.0 as f32,
        crate::radial::ring_contrast(&sample, (cx, cy), ellipse, REACH * r50) as f32,
        crate::radial::winding(&rings) as f32,
        (crate::peaks::count(&background_subtracted, width, height, sigma, beam) as f64).ln_1p()
            as f32,
    ]);
    Some(out)
}
