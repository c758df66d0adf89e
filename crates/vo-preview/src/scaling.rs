//! The brightness scale of an image preview: the range between two percentiles of the finite
//! pixel values, so that a few extreme pixels neither wash out nor blacken the picture.

/// The lower and upper percentile of the displayed values that span the colour map.
pub(crate) const LOW_PERCENTILE: f64 = 0.5;
pub(crate) const HIGH_PERCENTILE: f64 = 99.5;

/// The values drawn at the two ends of the colour map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DisplayRange {
    pub(crate) low: f64,
    pub(crate) high: f64,
}

impl DisplayRange {
    /// The percentile range of the finite values; None when there are none. When the
    /// percentiles coincide although the values differ (a few bright pixels on a constant
    /// background), the full range instead.
    pub(crate) fn robust(values: &[f32]) -> Option<DisplayRange> {
        let mut finite: Vec<f32> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            return None;
        }
        let low = percentile(&mut finite, LOW_PERCENTILE);
        let high = percentile(&mut finite, HIGH_PERCENTILE);
        if high > low {
            return Some(DisplayRange { low, high });
        }
        let min = finite.iter().copied().fold(f32::INFINITY, f32::min) as f64;
        let max = finite.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        Some(DisplayRange {
            low: min,
            high: max,
        })
    }

    /// Where `value` falls on the colour map, 0..=1; NaN stays NaN. A range of a single value
    /// puts everything in the middle.
    pub(crate) fn position(&self, value: f64) -> f64 {
        if value.is_nan() {
            return f64::NAN;
        }
        if self.high <= self.low {
            return 0.5;
        }
        ((value - self.low) / (self.high - self.low)).clamp(0.0, 1.0)
    }
}

/// The `p`-th percentile (0..=100) of non-empty `values`, interpolating linearly between the
/// two nearest ranks. Reorders `values`.
fn percentile(values: &mut [f32], p: f64) -> f64 {
    let rank = p / 100.0 * (values.len() - 1) as f64;
    let below = rank.floor() as usize;
    let fraction = rank - below as f64;
    let (_, &mut at_below, above) = values.select_nth_unstable_by(below, f32::total_cmp);
    let next = above.iter().copied().min_by(f32::total_cmp);
    match next {
        Some(next) if fraction > 0.0 => {
            at_below as f64 + (next as f64 - at_below as f64) * fraction
        }
        _ => at_below as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_ranks() {
        let mut values: Vec<f32> = (0..=100).rev().map(|v| v as f32).collect();
        assert_eq!(percentile(&mut values, 50.0), 50.0);
        assert_eq!(percentile(&mut values, 0.5), 0.5);
        assert_eq!(percentile(&mut values, 100.0), 100.0);
        let mut two = vec![1.0f32, 3.0];
        assert_eq!(percentile(&mut two, 25.0), 1.5);
    }

    #[test]
    fn outliers_and_blanks_do_not_set_the_range() {
        let mut values: Vec<f32> = (0..1000).map(|v| v as f32 / 1000.0).collect();
        values.push(1e9);
        values.push(f32::NAN);
        let range = DisplayRange::robust(&values).unwrap();
        assert!(
            range.low < 0.01 && range.high > 0.98 && range.high < 1.0,
            "{range:?}"
        );
        assert_eq!(range.position(1e9), 1.0);
        assert_eq!(range.position(-5.0), 0.0);
        assert!(range.position(f64::NAN).is_nan());
        assert!(DisplayRange::robust(&[f32::NAN]).is_none());
    }

    #[test]
    fn a_single_bright_pixel_on_a_constant_background_spans_the_full_range() {
        let mut values = vec![0.0f32; 400];
        values[17] = 2.0;
        let range = DisplayRange::robust(&values).unwrap();
        assert_eq!((range.low, range.high), (0.0, 2.0));
    }

    #[test]
    fn a_flat_image_sits_mid_scale() {
        let range = DisplayRange::robust(&[2.0; 10]).unwrap();
        assert_eq!(range.position(2.0), 0.5);
    }
}
