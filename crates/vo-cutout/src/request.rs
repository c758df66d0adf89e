//! What a SODA request asks for: a sky region, a wavelength band, a time interval and
//! polarization states, already parsed from the HTTP parameters.

use std::fmt;
use vo_region::dali::Number;
use vo_region::Shape;

/// One cutout's constraints. `None` (or an empty `pol`) leaves that axis whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CutoutRequest {
    /// The sky region (ICRS degrees) whose pixels are kept.
    pub spatial: Option<Shape>,
    /// Vacuum wavelengths in metres (low, high); either end may be infinite.
    pub band: Option<(f64, f64)>,
    /// MJD (start, end); either end may be infinite.
    pub time: Option<(f64, f64)>,
    /// Polarization states such as "I" or "XX"; empty keeps all states.
    pub pol: Vec<String>,
}

impl CutoutRequest {
    pub(crate) fn band_text(band: (f64, f64)) -> String {
        format!("BAND {} {} m", Number(band.0), Number(band.1))
    }

    pub(crate) fn time_text(time: (f64, f64)) -> String {
        format!("TIME {} {} (MJD)", Number(time.0), Number(time.1))
    }

    pub(crate) fn pol_text(pol: &[String]) -> String {
        format!("POL {}", pol.join(" "))
    }
}

/// The constraints in SODA's terms, e.g. `CIRCLE 10 10 0.01; BAND 0.001 0.0011 m`; "whole
/// dataset" when there are none.
impl fmt::Display for CutoutRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(spatial) = &self.spatial {
            parts.push(spatial.to_string());
        }
        if let Some(band) = self.band {
            parts.push(Self::band_text(band));
        }
        if let Some(time) = self.time {
            parts.push(Self::time_text(time));
        }
        if !self.pol.is_empty() {
            parts.push(Self::pol_text(&self.pol));
        }
        if parts.is_empty() {
            f.write_str("whole dataset")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_read_like_soda_parameters() {
        let request = CutoutRequest {
            spatial: Some(Shape::Circle {
                ra: 10.0,
                dec: 10.0,
                radius: 0.01,
            }),
            band: Some((0.001, f64::INFINITY)),
            time: None,
            pol: vec!["I".into(), "Q".into()],
        };
        assert_eq!(
            request.to_string(),
            "CIRCLE 10 10 0.01; BAND 0.001 +Inf m; POL I Q"
        );
        assert_eq!(CutoutRequest::default().to_string(), "whole dataset");
        let polygon = Shape::Polygon(vec![(1.0, 2.0), (3.5, -4.0), (5.0, 6.0)]);
        assert_eq!(polygon.to_string(), "POLYGON 1 2 3.5 -4 5 6");
    }
}
