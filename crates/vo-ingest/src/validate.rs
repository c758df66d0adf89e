//! Checking one row against the catalogue and turning it into a COPY line.

use crate::error::IngestError;
use crate::row::RawRow;
use vo_catalogue::Table;
use vo_db::copy_escape;
use vo_region::{parse_stcs, pg_circle, pg_polygon, Region, Shape};

/// What a row says about the archive hierarchy it belongs to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Hierarchy {
    pub project_code: String,
    pub title: String,
    pub pi_name: String,
    pub abstract_text: String,
    pub co_investigators: String,
    pub science_keyword: String,
    pub scientific_category: String,
    pub group_ous_uid: Option<String>,
    pub member_ous_uid: String,
    pub schedblock_name: String,
    pub qa2_passed: Option<String>,
}

pub(crate) struct ValidRow {
    /// The staging COPY line: the catalogue's columns, s_region_bound, footprint JSON.
    pub copy_line: String,
    pub obs_id: String,
    pub hierarchy: Hierarchy,
}

const REQUIRED: &[&str] = &[
    "obs_id",
    "dataproduct_type",
    "calib_level",
    "target_name",
    "s_ra",
    "s_dec",
    "s_region",
    "proposal_id",
    "data_rights",
    "member_ous_uid",
];
const DEFAULTS: &[(&str, &str)] = &[
    ("obs_collection", "ALMA"),
    ("facility_name", "JAO"),
    ("instrument_name", "ALMA"),
];

fn is_project_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    parts.len() == 4
        && parts[0].len() == 4
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && parts[1].len() == 1
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && parts[2].len() == 5
        && parts[2].chars().all(|c| c.is_ascii_digit())
        && !parts[3].is_empty()
        && parts[3].chars().all(|c| c.is_ascii_uppercase())
}

fn check_value(name: &str, value: &str) -> Result<(), String> {
    let one_of = |allowed: &[&str]| {
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(format!("'{value}' must be one of {}", allowed.join(", ")))
        }
    };
    match name {
        "data_rights" => one_of(&["Public", "Proprietary"]),
        "is_mosaic" | "science_observation" => one_of(&["T", "F"]),
        "qa2_passed" => one_of(&["T", "F", "X"]),
        "dataproduct_type" => one_of(&["cube", "image"]),
        "proposal_id" if !is_project_code(value) => Err(format!(
            "'{value}' is not an ALMA project code YYYY.C.NNNNN.T"
        )),
        "frequency_support" => match crate::support::support_problem(value) {
            Some(problem) => Err(problem),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn check_number(name: &str, datatype: &str, value: &str) -> Result<(), String> {
    match datatype {
        "int" | "short" | "long" => {
            let v: i64 = value
                .parse()
                .map_err(|_| format!("'{value}' is not an integer"))?;
            if datatype == "int" && i32::try_from(v).is_err() {
                return Err(format!("{v} does not fit a 32-bit integer"));
            }
            if name == "calib_level" && !(0..=4).contains(&v) {
                return Err(format!("{v} is outside 0..4"));
            }
            Ok(())
        }
        _ => {
            let v: f64 = value
                .parse()
                .map_err(|_| format!("'{value}' is not a number"))?;
            match name {
                "s_ra" if !(0.0..360.0).contains(&v) => {
                    Err(format!("{v} is outside [0, 360) degrees"))
                }
                "s_dec" if !(-90.0..=90.0).contains(&v) => {
                    Err(format!("{v} is outside [-90, 90] degrees"))
                }
                _ => Ok(()),
            }
        }
    }
}

fn footprint_json(region: &Region) -> String {
    let mut pieces = Vec::new();
    let literal = |shape: &Shape| match shape {
        Shape::Circle { ra, dec, radius } => ("circle", pg_circle(*ra, *dec, *radius)),
        Shape::Polygon(v) => ("polygon", pg_polygon(v)),
        // refused when the row was read; its sampled outline if one ever came here
        range @ Shape::Range { .. } => ("polygon", pg_polygon(&range.vertices())),
    };
    for piece in &region.pieces {
        let outer_index = pieces.len();
        let (kind, text) = literal(&piece.outer);
        pieces.push(serde_json::json!({ "piece": outer_index, "hole_of": null, kind: text }));
        for hole in &piece.holes {
            let (kind, text) = literal(hole);
            pieces.push(
                serde_json::json!({ "piece": pieces.len(), "hole_of": outer_index, kind: text }),
            );
        }
    }
    serde_json::Value::Array(pieces).to_string()
}

pub(crate) struct Validator {
    table: Table,
}

impl Validator {
    pub fn new(table: &Table) -> Validator {
        Validator {
            table: table.clone(),
        }
    }

    fn index(&self, name: &str) -> usize {
        self.table
            .columns
            .iter()
            .position(|c| c.name == name)
            .expect("catalogue holds the ALMA columns")
    }

    pub fn validate(&self, row: RawRow) -> Result<ValidRow, Vec<IngestError>> {
        let mut errors = Vec::new();
        let RawRow {
            location,
            mut cells,
        } = row;
        let error = |column: &str, reason: String| IngestError {
            location: location.clone(),
            column: Some(column.to_string()),
            reason,
        };
        for (name, value) in DEFAULTS {
            let i = self.index(name);
            if cells[i].is_none() {
                cells[i] = Some(value.to_string());
            }
        }
        let did = self.index("obs_publisher_did");
        if cells[did].is_none() {
            if let Some(code) = &cells[self.index("proposal_id")] {
                cells[did] = Some(format!("ADS/JAO.ALMA#{code}"));
            }
        }
        let mut region = None;
        for (column, cell) in self.table.columns.iter().zip(cells.iter_mut()) {
            let is_char = column.datatype == "char" || column.datatype == "unicodeChar";
            if let Some(v) = cell.as_mut() {
                if !is_char {
                    let trimmed = v.trim();
                    if trimmed.is_empty() {
                        *cell = None;
                    } else if trimmed.len() != v.len() {
                        *v = trimmed.to_string();
                    }
                }
            }
            let Some(value) = cell.as_deref() else {
                if REQUIRED.contains(&column.name.as_str()) {
                    errors.push(error(&column.name, "is required but empty".into()));
                }
                continue;
            };
            if let Some(problem) = vo_catalogue::text_problem(value) {
                errors.push(error(&column.name, problem));
                continue;
            }
            // only free text (unicodeChar) may hold more than ASCII: results declare the
            // other text columns char, which binary VOTables carry as ASCII
            if column.datatype == "char" && !value.is_ascii() {
                errors.push(error(
                    &column.name,
                    format!(
                        "holds characters beyond ASCII ({:?}); this column takes ASCII only (free-text columns such as obs_title take any)",
                        value.chars().find(|c| !c.is_ascii()).unwrap_or_default()
                    ),
                ));
                continue;
            }
            let checked = if is_char {
                check_value(&column.name, value)
            } else {
                check_number(&column.name, &column.datatype, value)
            };
            if let Err(reason) = checked {
                errors.push(error(&column.name, reason));
            }
            if column.name == "s_region" {
                match parse_stcs(value) {
                    Ok(r)
                        if r.pieces.iter().any(|p| {
                            std::iter::once(&p.outer)
                                .chain(&p.holes)
                                .any(|s| matches!(s, Shape::Range { .. }))
                        }) =>
                    {
                        errors.push(error(
                            "s_region",
                            "a Box is not an ALMA footprint: write it as a Polygon of its corners"
                                .to_string(),
                        ))
                    }
                    Ok(r) => region = Some(r),
                    Err(e) => errors.push(error("s_region", format!("not ALMA STC-S: {e}"))),
                }
            }
        }
        // an interval's start comes first (the table checks it too: migration 0029)
        for (start, stop) in [("em_min", "em_max"), ("t_min", "t_max")] {
            let value = |name: &str| {
                cells[self.index(name)]
                    .as_deref()
                    .and_then(|v| v.parse::<f64>().ok())
            };
            if let (Some(a), Some(b)) = (value(start), value(stop)) {
                if a > b {
                    errors.push(error(
                        stop,
                        format!("{stop} ({b}) is less than {start} ({a}): an interval's start comes first; swap the two values"),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let region = region.expect("s_region is required and was parsed");
        let text = |name: &str| cells[self.index(name)].clone().unwrap_or_default();
        let hierarchy = Hierarchy {
            project_code: text("proposal_id"),
            title: text("obs_title"),
            pi_name: cells[self.index("pi_name")]
                .clone()
                .or_else(|| cells[self.index("obs_creator_name")].clone())
                .unwrap_or_default(),
            abstract_text: text("proposal_abstract"),
            co_investigators: text("proposal_authors"),
            science_keyword: text("science_keyword"),
            scientific_category: text("scientific_category"),
            group_ous_uid: cells[self.index("group_ous_uid")]
                .clone()
                .filter(|g| !g.is_empty()),
            member_ous_uid: text("member_ous_uid"),
            schedblock_name: text("schedblock_name"),
            qa2_passed: cells[self.index("qa2_passed")].clone(),
        };
        let mut line = String::with_capacity(2048);
        for cell in &cells {
            match cell {
                Some(v) => copy_escape(v, &mut line),
                None => line.push_str("\\N"),
            }
            line.push('\t');
        }
        let (ra, dec, radius) = region.bounding_circle();
        line.push_str(&pg_circle(ra, dec, radius.max(1e-9)));
        line.push('\t');
        copy_escape(&footprint_json(&region), &mut line);
        line.push('\n');
        Ok(ValidRow {
            copy_line: line,
            obs_id: text("obs_id"),
            hierarchy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_copy_specials() {
        let mut out = String::new();
        copy_escape("a\tb\\c\nd", &mut out);
        assert_eq!(out, "a\\tb\\\\c\\nd");
    }

    #[test]
    fn project_codes() {
        assert!(is_project_code("2017.1.00079.S"));
        assert!(is_project_code("2019.A.00034.S"));
        assert!(is_project_code("2011.0.00001.SV"));
        assert!(!is_project_code("2017.1.79.S"));
        assert!(!is_project_code("2017.1.00079"));
    }
}
