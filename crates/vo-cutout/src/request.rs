//! What a SODA request asks for: a sky region, a wavelength band, a time interval and
//! polarization states, already parsed from the HTTP parameters.

use std::fmt;

/// A sky region in ICRS degrees (SODA's CIRCLE, POS=RANGE and POLYGON).
#[derive(Debug, Clone, PartialEq)]
pub enum Spatial {
    Circle {
        ra: f64,
        dec: f64,
        radius: f64,
    },
    /// RA from `ra_min` eastwards to `ra_max` (wrapping through 0 when `ra_min > ra_max`),
    /// Dec from `dec_min` to `dec_max`. Infinite ends mean unbounded.
    Range {
        ra_min: f64,
        ra_max: f64,
        dec_min: f64,
        dec_max: f64,
    },
    /// Vertices (RA, Dec) of a polygon whose edges are great-circle arcs; the region is the
    /// side smaller than a hemisphere.
    Polygon(Vec<(f64, f64)>),
}

/// One cutout's constraints. `None` (or an empty `pol`) leaves that axis whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CutoutRequest {
    pub spatial: Option<Spatial>,
    /// Vacuum wavelengths in metres (low, high); either end may be infinite.
    pub band: Option<(f64, f64)>,
    /// MJD (start, end); either end may be infinite.
    pub time: Option<(f64, f64)>,
    /// Polarization states such as "I" or "XX"; empty keeps all states.
    pub pol: Vec<String>,
}

/// A number as DALI writes it: shortest form, infinities as `-Inf`/`+Inf`.
pub(crate) struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            v if v == f64::INFINITY => f.write_str("+Inf"),
            v if v == f64::NEG_INFINITY => f.write_str("-Inf"),
            v => write!(f, "{v}"),
        }
    }
}

impl fmt::Display for Spatial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spatial::Circle { ra, dec, radius } => write!(
                f,
                "CIRCLE {} {} {}",
                Number(*ra),
                Number(*dec),
                Number(*radius)
            ),
            Spatial::Range {
                ra_min,
                ra_max,
                dec_min,
                dec_max,
            } => write!(
                f,
                "RANGE {} {} {} {}",
                Number(*ra_min),
                Number(*ra_max),
                Number(*dec_min),
                Number(*dec_max)
            ),
            Spatial::Polygon(vertices) => {
                f.write_str("POLYGON")?;
                for (ra, dec) in vertices {
                    write!(f, " {} {}", Number(*ra), Number(*dec))?;
                }
                Ok(())
            }
        }
    }
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
            spatial: Some(Spatial::Circle {
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
        let polygon = Spatial::Polygon(vec![(1.0, 2.0), (3.5, -4.0), (5.0, 6.0)]);
        assert_eq!(polygon.to_string(), "POLYGON 1 2 3.5 -4 5 6");
    }
}
