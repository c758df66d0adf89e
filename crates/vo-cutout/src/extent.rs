//! What a cube covers — wavelengths, observation time, polarization states — as values
//! (for the ranges a SODA descriptor declares) and in words for error messages.

use crate::cube::Cube;
use crate::polarization::state_name;

pub(crate) use vo_fits::SPEED_OF_LIGHT;
/// Border samples per image edge when measuring the sky ranges.
const EDGE_SAMPLES: usize = 64;

impl Cube {
    /// All of the cube's extent, e.g. `RA 68.2259..68.2348, Dec 25.3397..25.3478 (ICRS
    /// degrees); wavelengths 0.0013031..0.0013045 m; MJD 58000.10000..58000.20000; states I`.
    pub fn describe_extent(&self) -> String {
        let mut parts = vec![self.sky_extent()];
        if let Some(text) = self.wavelength_text() {
            parts.push(format!("wavelengths {text}"));
        }
        if let Some(text) = self.time_text() {
            parts.push(text);
        }
        if let Some(states) = self.states() {
            parts.push(format!("states {}", states.join(" ")));
        }
        parts.join("; ")
    }

    /// RA and Dec ranges of the image's outline.
    pub(crate) fn sky_extent(&self) -> String {
        let wcs = &self.wcs().celestial;
        let (nx, ny) = (self.axes()[0] as f64, self.axes()[1] as f64);
        let mut border = Vec::with_capacity(4 * EDGE_SAMPLES);
        for i in 0..EDGE_SAMPLES {
            let f = i as f64 / EDGE_SAMPLES as f64;
            border.push((0.5 + f * nx, 0.5));
            border.push((nx + 0.5, 0.5 + f * ny));
            border.push((nx + 0.5 - f * nx, ny + 0.5));
            border.push((0.5, ny + 0.5 - f * ny));
        }
        let Some(sky) = border
            .iter()
            .map(|&(x, y)| wcs.pixel_to_world(x, y))
            .collect::<Option<Vec<_>>>()
        else {
            return "an unknown sky area (the image's corners lie outside its projection)".into();
        };
        let inside =
            |(x, y): (f64, f64)| (0.5..=nx + 0.5).contains(&x) && (0.5..=ny + 0.5).contains(&y);
        let north_pole = wcs.world_to_pixel(0.0, 90.0).is_some_and(inside);
        let south_pole = wcs.world_to_pixel(0.0, -90.0).is_some_and(inside);
        let mut dec_lo = sky.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let mut dec_hi = sky.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let decimals = (-(wcs.cdelt.0.abs().min(wcs.cdelt.1.abs())).log10())
            .ceil()
            .clamp(4.0, 10.0) as usize;
        let ra_text = if north_pole || south_pole {
            if north_pole {
                dec_hi = 90.0;
            }
            if south_pole {
                dec_lo = -90.0;
            }
            "RA 0..360".to_string()
        } else {
            // RA relative to the reference value, unwrapped through 0/360
            let centre = wcs.crval.0;
            let offsets = sky
                .iter()
                .map(|p| (p.0 - centre + 180.0).rem_euclid(360.0) - 180.0);
            let lo = offsets.clone().fold(f64::INFINITY, f64::min);
            let hi = offsets.fold(f64::NEG_INFINITY, f64::max);
            format!(
                "RA {:.decimals$}..{:.decimals$}",
                (centre + lo).rem_euclid(360.0),
                (centre + hi).rem_euclid(360.0)
            )
        };
        format!("{ra_text}, Dec {dec_lo:.decimals$}..{dec_hi:.decimals$} (ICRS degrees)")
    }

    /// Frequencies (Hz) of the outer channel edges, low to high.
    pub(crate) fn frequency_range(&self) -> Option<(f64, f64)> {
        let axis = self.wcs().spectral.as_ref()?;
        let n = self.axes()[self.spectral_axis()?] as f64;
        let (a, b) = (axis.value(0.5), axis.value(n + 0.5));
        Some((a.min(b), a.max(b)))
    }

    /// Vacuum wavelengths (m) covered, low to high.
    pub fn wavelength_range(&self) -> Option<(f64, f64)> {
        let (lo, hi) = self.frequency_range()?;
        Some((SPEED_OF_LIGHT / hi, SPEED_OF_LIGHT / lo))
    }

    pub(crate) fn wavelength_text(&self) -> Option<String> {
        let (lo, hi) = self.wavelength_range()?;
        Some(format!("{} m", span(lo, hi, 5)))
    }

    /// Start and end of the observation (MJD-BEG or MJD-OBS, MJD-END).
    pub fn time_range(&self) -> Option<(f64, f64)> {
        let header = self.header();
        let start = header
            .float("MJD-BEG")
            .or_else(|| header.float("MJD-OBS"))?;
        let end = header.float("MJD-END").unwrap_or(start);
        Some((start.min(end), start.max(end)))
    }

    pub(crate) fn time_text(&self) -> Option<String> {
        let (start, end) = self.time_range()?;
        Some(format!("MJD {start:.5}..{end:.5}"))
    }

    /// The states along the STOKES axis, in order (`I`, `XX`, …; unknown codes as numbers).
    pub fn states(&self) -> Option<Vec<String>> {
        let codes = &self.wcs().stokes.as_ref()?.codes;
        Some(
            codes
                .iter()
                .map(|&code| state_name(code).map_or_else(|| format!("code {code}"), String::from))
                .collect(),
        )
    }
}

/// `lo..hi` with enough significant digits (at least `min_digits`) to tell the ends apart.
pub(crate) fn span(lo: f64, hi: f64, min_digits: i32) -> String {
    let magnitude = lo.abs().max(hi.abs());
    let width = (hi - lo).abs();
    let digits = if width > 0.0 && magnitude > 0.0 {
        ((magnitude / width).log10().ceil() as i32 + 1).clamp(min_digits, 15)
    } else {
        min_digits
    };
    format!("{}..{}", significant(lo, digits), significant(hi, digits))
}

fn significant(v: f64, digits: i32) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let exponent = v.abs().log10().floor() as i32;
    if (-5..6).contains(&exponent) {
        let decimals = (digits - 1 - exponent).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{:.*e}", (digits - 1).max(0) as usize, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_show_enough_digits_to_differ() {
        assert_eq!(span(0.00130312, 0.00130449, 5), "0.0013031..0.0013045");
        assert_eq!(span(1.0, 1.000001, 5), "1.0000000..1.0000010");
        assert_eq!(span(3e-7, 4e-7, 3), "3.00e-7..4.00e-7");
    }
}
