//! The ALMA site's zenith transmission: a table of frequencies (ascending) by PWV columns.

use crate::ReadError;

/// Transmission by frequency and precipitable water vapour.
#[derive(Debug, Clone, PartialEq)]
pub struct Atmosphere {
    /// The PWV of each column, mm, ascending.
    pwv_mm: Vec<f64>,
    frequencies_ghz: Vec<f64>,
    /// Per frequency, the optical depth -ln T of each column.
    depths: Vec<Vec<f64>>,
}

/// The optical depth of a transmission of 0 (a saturated line core).
const OPAQUE: f64 = 12.0;

impl Atmosphere {
    /// Reads `# …` comments, a header `# frequency_ghz  pwv_0.1  pwv_0.25 …`, then rows.
    pub fn parse(text: &str) -> Result<Atmosphere, ReadError> {
        let mut pwv_mm = Vec::new();
        let (mut frequencies_ghz, mut depths) = (Vec::new(), Vec::new());
        for (k, row) in text.lines().enumerate() {
            let error = |message: String| ReadError {
                line: k + 1,
                message,
            };
            if let Some(header) = row.strip_prefix("# frequency_ghz") {
                pwv_mm = header
                    .split_whitespace()
                    .map(|c| {
                        c.strip_prefix("pwv_")
                            .and_then(|p| p.parse::<f64>().ok())
                            .ok_or_else(|| error(format!("column {c:?} is not pwv_<mm>")))
                    })
                    .collect::<Result<_, _>>()?;
                continue;
            }
            if row.starts_with('#') || row.trim().is_empty() {
                continue;
            }
            let values: Vec<f64> = row
                .split_whitespace()
                .map(|v| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| error(format!("{v:?} is not a number")))
                })
                .collect::<Result<_, _>>()?;
            if pwv_mm.is_empty() || values.len() != pwv_mm.len() + 1 {
                return Err(error(format!(
                    "{} values; a frequency and {} transmissions expected (after the header)",
                    values.len(),
                    pwv_mm.len()
                )));
            }
            if frequencies_ghz.last().is_some_and(|f| *f >= values[0]) {
                return Err(error("frequencies must ascend".into()));
            }
            frequencies_ghz.push(values[0]);
            depths.push(
                values[1..]
                    .iter()
                    .map(|t| {
                        if *t <= 0.0 {
                            OPAQUE
                        } else {
                            (-t.ln()).min(OPAQUE)
                        }
                    })
                    .collect(),
            );
        }
        if frequencies_ghz.len() < 2 || pwv_mm.len() < 2 {
            return Err(ReadError {
                line: 0,
                message: "a table needs two frequencies and two PWV columns at least".into(),
            });
        }
        Ok(Atmosphere {
            pwv_mm,
            frequencies_ghz,
            depths,
        })
    }

    /// The frequencies the table covers, GHz.
    pub fn range_ghz(&self) -> (f64, f64) {
        (
            self.frequencies_ghz[0],
            *self
                .frequencies_ghz
                .last()
                .expect("two frequencies at least"),
        )
    }

    /// The PWV columns of the table, mm.
    pub fn pwv_columns(&self) -> &[f64] {
        &self.pwv_mm
    }

    /// The optical depth of row `i` at `pwv` (linear between the columns around it, and
    /// beyond the first or last two).
    fn depth(&self, i: usize, pwv: f64) -> f64 {
        let p = &self.pwv_mm;
        let k = p.partition_point(|x| *x < pwv).clamp(1, p.len() - 1);
        let (p0, p1) = (p[k - 1], p[k]);
        let (d0, d1) = (self.depths[i][k - 1], self.depths[i][k]);
        (d0 + (d1 - d0) * (pwv - p0) / (p1 - p0)).max(0.0)
    }

    /// The zenith transmission at `ghz` for `pwv_mm` of water; None outside the table.
    pub fn transmission(&self, ghz: f64, pwv_mm: f64) -> Option<f64> {
        let (lo, hi) = self.range_ghz();
        if !(lo..=hi).contains(&ghz) || !pwv_mm.is_finite() || pwv_mm < 0.0 {
            return None;
        }
        let f = &self.frequencies_ghz;
        let i = f.partition_point(|x| *x < ghz).clamp(1, f.len() - 1);
        let t = (ghz - f[i - 1]) / (f[i] - f[i - 1]);
        let depth = self.depth(i - 1, pwv_mm) * (1.0 - t) + self.depth(i, pwv_mm) * t;
        Some((-depth).exp())
    }

    /// The transmission at `points` frequencies evenly from `lo_ghz` to `hi_ghz` (clipped to
    /// the table), each the lowest over the table rows it stands for (so that a narrow line
    /// is not stepped over when the range is wide).
    pub fn curve(&self, lo_ghz: f64, hi_ghz: f64, pwv_mm: f64, points: usize) -> Vec<(f64, f64)> {
        let (lo_table, hi_table) = self.range_ghz();
        let (lo, hi) = (lo_ghz.max(lo_table), hi_ghz.min(hi_table));
        if !(hi > lo) || points < 2 || !pwv_mm.is_finite() || pwv_mm < 0.0 {
            return Vec::new();
        }
        let step = (hi - lo) / (points - 1) as f64;
        let f = &self.frequencies_ghz;
        (0..points)
            .map(|k| {
                let ghz = lo + step * k as f64;
                let mut lowest = self.transmission(ghz, pwv_mm).unwrap_or(1.0);
                let from = f.partition_point(|x| *x < ghz - step / 2.0);
                let to = f.partition_point(|x| *x <= ghz + step / 2.0);
                for i in from..to {
                    lowest = lowest.min((-self.depth(i, pwv_mm)).exp());
                }
                (ghz, lowest)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "# zenith transmission\n# frequency_ghz\tpwv_0.5\tpwv_1.0\n\
        100.0\t0.95\t0.90\n100.2\t0.90\t0.81\n100.4\t0.00\t0.00\n100.6\t0.95\t0.90\n";

    #[test]
    fn transmission_is_exact_at_the_table_and_linear_in_depth_between() {
        let a = Atmosphere::parse(TABLE).unwrap();
        assert!((a.transmission(100.0, 0.5).unwrap() - 0.95).abs() < 1e-12);
        assert!((a.transmission(100.2, 1.0).unwrap() - 0.81).abs() < 1e-12);
        // halfway in PWV: the geometric mean (depths add)
        let half = a.transmission(100.0, 0.75).unwrap();
        assert!((half - (0.95f64 * 0.90).sqrt()).abs() < 1e-12, "{half}");
        // beyond the last column, along the last two: T(1.5) = 0.90 * (0.90 / 0.95)
        let wet = a.transmission(100.0, 1.5).unwrap();
        assert!((wet - 0.90 * 0.90 / 0.95).abs() < 1e-9, "{wet}");
        assert!(a.transmission(99.0, 1.0).is_none());
        assert!(a.transmission(100.0, -1.0).is_none());
        // a saturated line core is (nearly) opaque, and a wide curve does not step over it
        assert!(a.transmission(100.4, 0.5).unwrap() < 1e-5);
        let curve = a.curve(100.0, 100.6, 0.5, 2);
        assert!(curve[1].1 < 1e-5 || curve[0].1 < 1e-5, "{curve:?}");
    }

    #[test]
    fn a_bad_table_is_named() {
        let e = Atmosphere::parse("# frequency_ghz\tpwv_1\n100\t0.9\n99\t0.8\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "frequencies must ascend"));
        let e = Atmosphere::parse("# frequency_ghz\tpwv_1\tpwv_2\n100\t0.9\n").unwrap_err();
        assert!(e.message.contains("2 values"), "{e}");
    }
}
