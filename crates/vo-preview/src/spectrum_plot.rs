//! Drawing a spectrum: the values per channel as a step plot against frequency in GHz, with a
//! framed plot area, round-numbered ticks and grid lines, axis titles and a title.

use crate::canvas::{Canvas, Rgb, BLACK, DARK_GREY, LIGHT_GREY, WHITE};
use crate::font::{draw_text, draw_text_upwards, fit_text, text_height, text_width};
use crate::ticks::{format_tick, nice_ticks};
use vo_fits::LinearAxis;

pub(crate) const WIDTH: u32 = 720;
pub(crate) const HEIGHT: u32 = 440;
const PLOT_LEFT: i64 = 86;
const PLOT_RIGHT: i64 = WIDTH as i64 - 20;
const PLOT_TOP: i64 = 58;
const PLOT_BOTTOM: i64 = HEIGHT as i64 - 52;
const TITLE_SCALE: u32 = 2;
const LINE: Rgb = [31, 119, 180];
const ZERO_LINE: Rgb = [160, 160, 160];

/// The words on a spectrum plot.
pub(crate) struct SpectrumText {
    pub(crate) title: String,
    pub(crate) subtitle: String,
    pub(crate) y_title: String,
}

/// A linear map from a value range onto a pixel range.
#[derive(Clone, Copy)]
struct Scale {
    from: (f64, f64),
    to: (i64, i64),
}

impl Scale {
    fn pixel(&self, v: f64) -> i64 {
        let t = (v - self.from.0) / (self.from.1 - self.from.0);
        (self.to.0 as f64 + t * (self.to.1 - self.to.0) as f64).round() as i64
    }
}

/// The value range shown on the y axis: the finite values with a margin; None when there
/// are none.
fn value_range(values: &[f32]) -> Option<(f64, f64)> {
    let finite = values.iter().filter(|v| v.is_finite()).map(|&v| v as f64);
    let (lo, hi) = finite.fold(None, |acc: Option<(f64, f64)>, v| {
        Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
    })?;
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else if lo != 0.0 {
        lo.abs() * 0.1
    } else {
        1.0
    };
    Some((lo - pad, hi + pad))
}

/// Draws `values` (one per channel, channel k at `axis.value(k + 1)` Hz). Errors when the
/// frequency axis has no extent or no value is finite.
pub(crate) fn draw_spectrum(
    axis: &LinearAxis,
    values: &[f32],
    text: &SpectrumText,
) -> Result<Canvas, String> {
    let ghz = |pixel: f64| axis.value(pixel) / 1e9;
    let n = values.len() as f64;
    let (a, b) = (ghz(0.5), ghz(n + 0.5));
    let (f_lo, f_hi) = (a.min(b), a.max(b));
    if !(f_hi > f_lo && f_lo.is_finite() && f_hi.is_finite()) {
        return Err(format!(
            "the frequency axis has no extent (CDELT = {} Hz)",
            axis.cdelt
        ));
    }
    let (v_lo, v_hi) = value_range(values).ok_or("the spectrum has no finite value")?;
    let x = Scale {
        from: (f_lo, f_hi),
        to: (PLOT_LEFT, PLOT_RIGHT - 1),
    };
    let y = Scale {
        from: (v_lo, v_hi),
        to: (PLOT_BOTTOM - 1, PLOT_TOP),
    };
    let mut canvas = Canvas::new(WIDTH, HEIGHT, WHITE);
    let plot_width = (PLOT_RIGHT - PLOT_LEFT) as u32;
    let plot_height = (PLOT_BOTTOM - PLOT_TOP) as u32;

    let (x_ticks, x_step) = frequency_ticks(f_lo, f_hi, &x);
    let (y_ticks, y_step) = nice_ticks(v_lo, v_hi, 6);
    for &t in &x_ticks {
        canvas.fill_rect(x.pixel(t), PLOT_TOP, 1, plot_height, LIGHT_GREY);
    }
    for &t in &y_ticks {
        canvas.fill_rect(PLOT_LEFT, y.pixel(t), plot_width, 1, LIGHT_GREY);
    }
    if v_lo < 0.0 && v_hi > 0.0 {
        canvas.fill_rect(PLOT_LEFT, y.pixel(0.0), plot_width, 1, ZERO_LINE);
    }

    draw_steps(
        &mut canvas,
        values,
        |k| (x.pixel(ghz(k - 0.5)), x.pixel(ghz(k + 0.5))),
        &y,
    );

    canvas.outline(PLOT_LEFT, PLOT_TOP, plot_width, plot_height, BLACK);
    for &t in &x_ticks {
        let px = x.pixel(t);
        canvas.fill_rect(px, PLOT_BOTTOM - 5, 1, 5, BLACK);
        let label = format_tick(t, x_step);
        let w = text_width(&label, 1) as i64;
        draw_text(&mut canvas, px - w / 2, PLOT_BOTTOM + 7, &label, 1, BLACK);
    }
    for &t in &y_ticks {
        let py = y.pixel(t);
        canvas.fill_rect(PLOT_LEFT, py, 5, 1, BLACK);
        let label = format_tick(t, y_step);
        let w = text_width(&label, 1) as i64;
        draw_text(&mut canvas, PLOT_LEFT - 7 - w, py - 3, &label, 1, BLACK);
    }

    let x_title = "Frequency (GHz)";
    let w = text_width(x_title, 1) as i64;
    let centre = (PLOT_LEFT + PLOT_RIGHT) / 2;
    draw_text(
        &mut canvas,
        centre - w / 2,
        PLOT_BOTTOM + 26,
        x_title,
        1,
        BLACK,
    );
    let y_title = fit_text(&text.y_title, plot_height, 1);
    let h = text_width(&y_title, 1) as i64;
    let middle = (PLOT_TOP + PLOT_BOTTOM) / 2;
    draw_text_upwards(&mut canvas, 12, middle + h / 2, &y_title, 1, BLACK);

    let room = WIDTH - 24;
    let scale = if text_width(&text.title, TITLE_SCALE) <= room {
        TITLE_SCALE
    } else {
        1
    };
    let title = fit_text(&text.title, room, scale);
    draw_text(&mut canvas, 12, 12, &title, scale, BLACK);
    let subtitle = fit_text(&text.subtitle, room, 1);
    let subtitle_top = 12 + text_height(TITLE_SCALE) as i64 + 6;
    draw_text(&mut canvas, 12, subtitle_top, &subtitle, 1, DARK_GREY);
    Ok(canvas)
}

/// Frequency ticks, fewer when their labels would touch.
fn frequency_ticks(lo: f64, hi: f64, x: &Scale) -> (Vec<f64>, f64) {
    for target in [6, 4, 3, 2] {
        let (ticks, step) = nice_ticks(lo, hi, target);
        let widest = ticks
            .iter()
            .map(|&t| text_width(&format_tick(t, step), 1) as i64)
            .max()
            .unwrap_or(0);
        let spacing = (x.pixel(lo + step) - x.pixel(lo)).abs();
        if widest + 10 <= spacing {
            return (ticks, step);
        }
    }
    nice_ticks(lo, hi, 1)
}

/// The step line: for channel k (1-based pixel k) a horizontal segment across the channel's
/// width (`edges(k)` gives its two ends in PNG x), joined by vertical segments between
/// neighbouring finite channels. Blank channels leave a gap. Two pixels thick.
fn draw_steps(canvas: &mut Canvas, values: &[f32], edges: impl Fn(f64) -> (i64, i64), y: &Scale) {
    let mut previous: Option<(i64, i64)> = None; // (x at the shared edge, y) of the last channel
    for (k, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            previous = None;
            continue;
        }
        let (start, end) = edges(k as f64 + 1.0);
        let py = y.pixel(v as f64);
        let (left, right) = (start.min(end), start.max(end));
        canvas.fill_rect(left, py, (right - left + 1) as u32, 2, LINE);
        if let Some((px, prev_y)) = previous {
            let (top, bottom) = (prev_y.min(py), prev_y.max(py));
            canvas.fill_rect(px, top, 2, (bottom - top + 2) as u32, LINE);
        }
        previous = Some((end, py));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis() -> LinearAxis {
        LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 100e9,
            crpix: 1.0,
            cdelt: 50e6,
        }
    }

    fn text() -> SpectrumText {
        SpectrumText {
            title: "Source".into(),
            subtitle: "at pixel".into(),
            y_title: "Jy/beam".into(),
        }
    }

    fn line_pixels(canvas: &Canvas) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for y in 0..canvas.height() {
            for x in 0..canvas.width() {
                if canvas.get(x, y) == LINE {
                    out.push((x, y));
                }
            }
        }
        out
    }

    #[test]
    fn the_line_spans_the_plot_and_peaks_where_the_values_do() {
        let values = [0.0f32, 0.0, 1.0, 4.0, 1.0, 0.0, 0.0, 0.0];
        let canvas = draw_spectrum(&axis(), &values, &text()).unwrap();
        assert_eq!((canvas.width(), canvas.height()), (WIDTH, HEIGHT));
        let line = line_pixels(&canvas);
        let min_x = line.iter().map(|p| p.0).min().unwrap() as i64;
        let max_x = line.iter().map(|p| p.0).max().unwrap() as i64;
        assert_eq!(min_x, PLOT_LEFT);
        assert_eq!(max_x, PLOT_RIGHT - 1);
        let top = line.iter().map(|p| p.1).min().unwrap();
        let top_row: Vec<f64> = line
            .iter()
            .filter(|p| p.1 == top)
            .map(|p| p.0 as f64)
            .collect();
        let centre = top_row.iter().sum::<f64>() / top_row.len() as f64;
        // channel 4 of 8 covers the fourth eighth of the plot's width
        let eighth = (PLOT_RIGHT - PLOT_LEFT) as f64 / 8.0;
        let channel = ((centre - PLOT_LEFT as f64) / eighth).floor() as i64 + 1;
        assert_eq!(channel, 4);
    }

    #[test]
    fn descending_frequencies_are_drawn_low_to_high() {
        let mut falling = axis();
        falling.cdelt = -50e6;
        let values = [4.0f32, 0.0, 0.0, 0.0];
        let canvas = draw_spectrum(&falling, &values, &text()).unwrap();
        let line = line_pixels(&canvas);
        let highest = line.iter().min_by_key(|p| p.1).unwrap();
        // channel 1 has the highest frequency: the right-hand quarter
        assert!(highest.0 as i64 > PLOT_LEFT + 3 * (PLOT_RIGHT - PLOT_LEFT) / 4 - 2);
    }

    #[test]
    fn blank_channels_break_the_line_and_bad_input_is_refused() {
        let values = [1.0f32, f32::NAN, 1.0];
        let canvas = draw_spectrum(&axis(), &values, &text()).unwrap();
        let line = line_pixels(&canvas);
        let third = (PLOT_RIGHT - PLOT_LEFT) / 3;
        let middle = PLOT_LEFT + third + third / 2;
        assert!(!line.iter().any(|p| p.0 as i64 == middle));
        assert!(draw_spectrum(&axis(), &[f32::NAN; 3], &text()).is_err());
        let mut flat = axis();
        flat.cdelt = 0.0;
        assert!(draw_spectrum(&flat, &[1.0, 2.0], &text()).is_err());
    }

    #[test]
    fn a_constant_spectrum_still_has_a_range() {
        let (lo, hi) = value_range(&[2.0, 2.0]).unwrap();
        assert!((lo - 1.8).abs() < 1e-12 && (hi - 2.2).abs() < 1e-12);
        assert_eq!(value_range(&[0.0]), Some((-1.0, 1.0)));
        assert_eq!(value_range(&[f32::NAN]), None);
    }
}
