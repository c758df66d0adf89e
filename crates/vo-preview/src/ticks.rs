//! Axis ticks at round numbers (1, 2 or 5 times a power of ten) and their labels.

/// Round-numbered ticks within `lo..=hi`, about `target` of them, and their spacing.
/// Empty when the range is empty or not finite.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let range = hi - lo;
    if !(range.is_finite() && range > 0.0) || target == 0 {
        return (Vec::new(), 0.0);
    }
    let raw = range / target as f64;
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    // the boundaries are the geometric means of 1, 2, 5 and 10
    let nice = if fraction < std::f64::consts::SQRT_2 {
        1.0
    } else if fraction < 10f64.sqrt() {
        2.0
    } else if fraction < 50f64.sqrt() {
        5.0
    } else {
        10.0
    };
    let step = nice * power;
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last).map(|i| i as f64 * step).collect();
    (ticks, step)
}

/// A tick value written with as many decimals as the tick spacing needs; very small or very
/// large spacings switch to exponent form (`2.5e-5`).
pub(crate) fn format_tick(value: f64, step: f64) -> String {
    let exponent = if step > 0.0 {
        (step.log10() + 1e-9).floor() as i32
    } else {
        0
    };
    let value = if value.abs() < step * 1e-6 {
        0.0
    } else {
        value
    };
    if !(-4..=5).contains(&exponent) {
        let magnitude = if value == 0.0 {
            exponent
        } else {
            value.abs().log10().floor() as i32
        };
        let digits = (magnitude - exponent).clamp(0, 6) as usize;
        return format!("{value:.digits$e}");
    }
    let decimals = (-exponent).max(0) as usize;
    format!("{value:.decimals$}")
}

/// A value written to about three significant figures, for labels that are not ticks.
pub(crate) fn format_value(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32;
    if !(-4..=5).contains(&magnitude) {
        return format!("{value:.2e}");
    }
    let decimals = (2 - magnitude).max(0) as usize;
    format!("{value:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_numbers_inside_the_range() {
        let (ticks, step) = nice_ticks(100.02, 101.9, 5);
        assert_eq!(step, 0.5);
        assert_eq!(ticks.len(), 3);
        assert!((ticks[0] - 100.5).abs() < 1e-9 && (ticks[2] - 101.5).abs() < 1e-9);
        let (ticks, step) = nice_ticks(-0.0012, 0.0161, 5);
        assert!((step - 0.005).abs() < 1e-12);
        assert_eq!(ticks.len(), 4);
        assert_eq!(ticks[0], 0.0);
    }

    #[test]
    fn empty_or_bad_ranges_have_no_ticks() {
        assert!(nice_ticks(1.0, 1.0, 5).0.is_empty());
        assert!(nice_ticks(2.0, 1.0, 5).0.is_empty());
        assert!(nice_ticks(0.0, f64::INFINITY, 5).0.is_empty());
        assert!(nice_ticks(f64::NAN, 1.0, 5).0.is_empty());
    }

    #[test]
    fn labels_have_the_decimals_the_step_needs() {
        assert_eq!(format_tick(100.5, 0.5), "100.5");
        assert_eq!(format_tick(0.015, 0.005), "0.015");
        assert_eq!(format_tick(2.0, 2.0), "2");
        assert_eq!(format_tick(-1e-19, 0.01), "0.00");
        assert_eq!(format_tick(1300.0, 100.0), "1300");
        assert_eq!(format_tick(2.5e-5, 5e-6), "2.5e-5");
        assert_eq!(format_tick(3e7, 1e7), "3e7");
    }

    #[test]
    fn values_keep_three_significant_figures() {
        assert_eq!(format_value(0.0153), "0.0153");
        assert_eq!(format_value(153.24), "153");
        assert_eq!(format_value(-1.5), "-1.50");
        assert_eq!(format_value(2.5e-6), "2.50e-6");
        assert_eq!(format_value(0.0), "0");
    }
}
