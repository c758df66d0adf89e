//! Smoothing an image by a Gaussian before its shape is measured: a matched filter for
//! structure as wide as the beam, so that faint extended emission (a spiral's arms, a
//! ring, a cloud) rises above the noise that hides it pixel by pixel.

/// The image (x fastest, NaN blank) convolved with a circular Gaussian of `sigma` pixels,
/// blank pixels left out of each weighted mean (and blank again in the result).
pub(crate) fn gaussian(pixels: &[f32], width: usize, height: usize, sigma: f64) -> Vec<f64> {
    let reach = (3.0 * sigma).ceil().max(1.0) as i64;
    let kernel: Vec<f64> = (-reach..=reach)
        .map(|d| (-((d * d) as f64) / (2.0 * sigma * sigma)).exp())
        .collect();
    let values: Vec<f64> = pixels
        .iter()
        .map(|v| if v.is_finite() { *v as f64 } else { 0.0 })
        .collect();
    let weights: Vec<f64> = pixels
        .iter()
        .map(|v| if v.is_finite() { 1.0 } else { 0.0 })
        .collect();
    // separable: along x, then along y, for the values and for the weights that are there
    let pass = |input: &[f64], step: (i64, i64)| -> Vec<f64> {
        let mut out = vec![0.0; input.len()];
        for j in 0..height as i64 {
            for i in 0..width as i64 {
                let mut sum = 0.0;
                for (k, w) in kernel.iter().enumerate() {
                    let d = k as i64 - reach;
                    let (x, y) = (i + d * step.0, j + d * step.1);
                    if x >= 0 && y >= 0 && x < width as i64 && y < height as i64 {
                        sum += w * input[y as usize * width + x as usize];
                    }
                }
                out[j as usize * width + i as usize] = sum;
            }
        }
        out
    };
    let sum = pass(&pass(&values, (1, 0)), (0, 1));
    let weight = pass(&pass(&weights, (1, 0)), (0, 1));
    pixels
        .iter()
        .enumerate()
        .map(|(k, v)| {
            if v.is_finite() && weight[k] > 0.0 {
                sum[k] / weight[k]
            } else {
                f64::NAN
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_keeps_a_flat_image_flat_and_blanks_blank() {
        let mut pixels = vec![2.0f32; 20 * 10];
        pixels[55] = f32::NAN;
        let smoothed = gaussian(&pixels, 20, 10, 1.5);
        assert!(smoothed[55].is_nan());
        for (k, v) in smoothed.iter().enumerate().filter(|(k, _)| *k != 55) {
            assert!((v - 2.0).abs() < 1e-9, "{k}: {v}");
        }
    }

    #[test]
    fn smoothing_spreads_a_spike_as_the_kernel_and_keeps_its_sum() {
        let mut pixels = vec![0.0f32; 31 * 31];
        pixels[15 * 31 + 15] = 1.0;
        let smoothed = gaussian(&pixels, 31, 31, 2.0);
        let total: f64 = smoothed.iter().sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        let ratio = smoothed[15 * 31 + 17] / smoothed[15 * 31 + 15];
        assert!((ratio - (-0.5f64).exp()).abs() < 1e-9, "{ratio}");
    }
}
