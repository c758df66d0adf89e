//! Elongation from the image's second moments about its centroid: the axis ratio, which
//! shifts, turns, flips and rescaling leave alone. (Hu's higher-order invariants were
//! measured too, and ranked worse: noise and pixels move them more than shapes do.)

/// The ellipse of the weights `s` (x fastest, `width` wide) about (`cx`, `cy`) from their
/// second moments: minor over major axis (0..=1), and the major
/// axis's angle from the x axis towards y (radians).
pub(crate) fn ellipse(s: &[f64], width: usize, cx: f64, cy: f64) -> (f64, f64) {
    let (mut xx, mut yy, mut xy) = (0.0, 0.0, 0.0);
    for (k, v) in s.iter().enumerate().filter(|(_, v)| **v > 0.0) {
        let (x, y) = ((k % width) as f64 - cx, (k / width) as f64 - cy);
        xx += v * x * x;
        yy += v * y * y;
        xy += v * x * y;
    }
    let half_sum = (xx + yy) / 2.0;
    let root = (((xx - yy) / 2.0).powi(2) + xy * xy).sqrt();
    let ratio = ((half_sum - root).max(0.0) / (half_sum + root).max(f64::MIN_POSITIVE)).sqrt();
    (ratio, 0.5 * (2.0 * xy).atan2(xx - yy))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An elliptical Gaussian of axes `a`, `b` (pixels) turned by `angle`, centred at (cx, cy).
    fn ellipse_map(n: usize, a: f64, b: f64, angle: f64, cx: f64, cy: f64) -> Vec<f64> {
        let (s, c) = angle.sin_cos();
        (0..n * n)
            .map(|k| {
                let (x, y) = ((k % n) as f64 - cx, (k / n) as f64 - cy);
                let (u, v) = (x * c + y * s, -x * s + y * c);
                (-(u * u) / (2.0 * a * a) - (v * v) / (2.0 * b * b)).exp()
            })
            .collect()
    }

    #[test]
    fn the_axis_ratio_survives_turning_shifting_and_rescaling() {
        let plain = ellipse(&ellipse_map(64, 6.0, 2.0, 0.0, 31.0, 31.0), 64, 31.0, 31.0).0;
        let turned = ellipse(&ellipse_map(64, 9.0, 3.0, 0.7, 30.0, 33.0), 64, 30.0, 33.0).0;
        assert!((plain - 1.0 / 3.0).abs() < 0.01, "{plain}");
        assert!((plain - turned).abs() < 0.01, "{plain} {turned}");
        let (_, angle) = ellipse(&ellipse_map(64, 9.0, 3.0, 0.7, 30.0, 33.0), 64, 30.0, 33.0);
        assert!((angle - 0.7).abs() < 0.01, "{angle}");
        let round = ellipse(&ellipse_map(64, 5.0, 5.0, 0.0, 31.0, 31.0), 64, 31.0, 31.0).0;
        assert!((round - 1.0).abs() < 0.01, "{round}");
    }
}
