//! Rows as they arrive: text cells in the order of the catalogue's ObsCore columns.

use crate::error::{IngestError, Location};
use vo_catalogue::Table;

#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub location: Location,
    /// One cell per catalogue column; `None` is absent/NULL.
    pub cells: Vec<Option<String>>,
}

/// Maps an input's column names onto the catalogue's columns.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// For each input column, the catalogue index it fills (None: ignored extra column).
    targets: Vec<Option<usize>>,
    width: usize,
}

impl ColumnMap {
    /// Unknown input columns are errors naming the nearest real column; `allow_extra`
    /// ignores them instead (for tables that carry more than ObsCore).
    pub fn new(
        table: &Table,
        names: &[String],
        file: &str,
        allow_extra: bool,
    ) -> Result<ColumnMap, Vec<IngestError>> {
        let mut errors = Vec::new();
        let mut targets = Vec::with_capacity(names.len());
        let mut seen = std::collections::HashSet::new();
        let header = Location {
            file: file.to_string(),
            place: "header".into(),
        };
        for name in names {
            let found = table
                .columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name.trim()));
            match found {
                Some(i) if !seen.insert(i) => errors.push(IngestError {
                    location: header.clone(),
                    column: Some(name.clone()),
                    reason: "appears twice".into(),
                }),
                Some(i) => targets.push(Some(i)),
                None if allow_extra => targets.push(None),
                None => errors.push(IngestError {
                    location: header.clone(),
                    column: Some(name.clone()),
                    reason: match table.suggest_column(name) {
                        Some(s) => format!(
                            "no such column in {}; did you mean {s}?",
                            table.qualified_name()
                        ),
                        None => format!("no such column in {}", table.qualified_name()),
                    },
                }),
            }
        }
        if errors.is_empty() {
            Ok(ColumnMap {
                targets,
                width: table.columns.len(),
            })
        } else {
            Err(errors)
        }
    }

    /// Places an input record's cells into catalogue order.
    pub fn row(
        &self,
        location: Location,
        cells: impl IntoIterator<Item = Option<String>>,
    ) -> Result<RawRow, IngestError> {
        let mut out = vec![None; self.width];
        let mut count = 0;
        for (cell, target) in cells
            .into_iter()
            .zip(self.targets.iter().chain(std::iter::repeat(&None)))
        {
            count += 1;
            if let Some(i) = target {
                out[*i] = cell;
            }
        }
        if count != self.targets.len() {
            return Err(IngestError {
                location,
                column: None,
                reason: format!("has {count} cells, the header has {}", self.targets.len()),
            });
        }
        Ok(RawRow {
            location,
            cells: out,
        })
    }
}
