//! The line list: one line per transition, tab-separated, `#` comments.

use crate::ReadError;

/// A transition as the list gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub species: String,
    pub transition: String,
    pub rest_ghz: f64,
    pub upper_energy_k: f64,
    /// CO and isotopologues, dense gas, shock tracers, complex organics, deuterated, atomic
    /// fine structure, recombination lines, water, radicals.
    pub category: String,
    /// 1 for the most used line; the viewer shows more lines, by rank, as one zooms in.
    pub rank: u32,
    /// Where the values come from.
    pub source: String,
}

impl Line {
    /// "CO 2-1", "[CII] 2P3/2-2P1/2", "H 30alpha".
    pub fn label(&self) -> String {
        format!("{} {}", self.species, self.transition)
    }
}

/// The observed frequency of a line of rest frequency `rest_ghz` at redshift `z`.
pub fn observed_ghz(rest_ghz: f64, z: f64) -> f64 {
    rest_ghz / (1.0 + z)
}

/// The lines, by rank.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineList {
    lines: Vec<Line>,
}

impl LineList {
    /// Reads `species  transition  rest_ghz  upper_energy_k  category  rank  source`.
    pub fn parse(text: &str) -> Result<LineList, ReadError> {
        let mut lines = Vec::new();
        for (k, row) in text.lines().enumerate() {
            if row.starts_with('#') || row.trim().is_empty() {
                continue;
            }
            let error = |message: String| ReadError {
                line: k + 1,
                message,
            };
            let cells: Vec<&str> = row.split('\t').collect();
            let [species, transition, rest, energy, category, rank, source] = cells[..] else {
                return Err(error(format!("{} fields, 7 expected", cells.len())));
            };
            let number = |what: &str, text: &str| {
                text.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| error(format!("{what} {text:?} is not a number")))
            };
            let rest_ghz = number("rest_ghz", rest)?;
            if rest_ghz <= 0.0 {
                return Err(error(format!("rest_ghz {rest} is not positive")));
            }
            lines.push(Line {
                species: species.to_string(),
                transition: transition.to_string(),
                rest_ghz,
                upper_energy_k: number("upper_energy_k", energy)?,
                category: category.to_string(),
                rank: rank
                    .trim()
                    .parse()
                    .map_err(|_| error(format!("rank {rank:?} is not a whole number")))?,
                source: source.to_string(),
            });
        }
        lines.sort_by_key(|l| l.rank);
        Ok(LineList { lines })
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines observed between `lo_ghz` and `hi_ghz` at redshift `z`, ranked `max_rank`
    /// or better, by rank.
    pub fn within(
        &self,
        lo_ghz: f64,
        hi_ghz: f64,
        z: f64,
        max_rank: u32,
    ) -> impl Iterator<Item = &Line> + '_ {
        self.lines.iter().filter(move |l| {
            let observed = observed_ghz(l.rest_ghz, z);
            l.rank <= max_rank && observed >= lo_ghz && observed <= hi_ghz
        })
    }

    /// The line nearest `observed_ghz` at redshift `z` within `tolerance_ghz`, the better
    /// ranked of two equally near.
    pub fn nearest(&self, observed: f64, z: f64, tolerance_ghz: f64) -> Option<&Line> {
        self.lines
            .iter()
            .map(|l| ((observed_ghz(l.rest_ghz, z) - observed).abs(), l))
            .filter(|(d, _)| *d <= tolerance_ghz)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.rank.cmp(&b.1.rank)))
            .map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "# species\ttransition\trest_ghz\tupper_energy_k\tcategory\trank\tsource\n\
        13CO\t2-1\t220.3986765\t15.87\tCO and isotopologues\t25\tmemoir-lpd 1.1 (CDMS/JPL)\n\
        CO\t2-1\t230.5380000\t16.60\tCO and isotopologues\t2\tmemoir-lpd 1.1 (CDMS/JPL)\n\
        [CII]\t2P3/2-2P1/2\t1900.5369000\t91.21\tatomic fine structure\t7\tspectralradex 1.1.5 (LAMDA c+.dat)\n";

    #[test]
    fn lines_are_read_ranked_and_found_at_a_redshift() {
        let list = LineList::parse(LIST).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list.lines()[0].label(), "CO 2-1");
        // [CII] at z = 6 falls in band 7
        let found: Vec<String> = list
            .within(260.0, 290.0, 6.0, 10)
            .map(Line::label)
            .collect();
        assert_eq!(found, vec!["[CII] 2P3/2-2P1/2"]);
        // by rank: 13CO only when ranks to 25 are shown
        assert_eq!(list.within(210.0, 240.0, 0.0, 10).count(), 1);
        assert_eq!(list.within(210.0, 240.0, 0.0, 25).count(), 2);
        let near = list.nearest(230.49, 0.0002, 0.1).unwrap();
        assert_eq!(near.label(), "CO 2-1");
        assert!(list.nearest(225.0, 0.0, 0.1).is_none());
    }

    #[test]
    fn a_bad_row_is_named() {
        let e = LineList::parse("CO\t2-1\tfast\t16.6\tCO\t2\tx\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("rest_ghz \"fast\""), "{e}");
        let e = LineList::parse("# h\nCO\t2-1\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "2 fields, 7 expected"));
    }
}
