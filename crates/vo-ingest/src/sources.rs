//! Row sources: CSV files with a header line, and VOTables (TABLEDATA).

use crate::error::{IngestError, Location};
use crate::row::{ColumnMap, RawRow};
use vo_catalogue::Table;

/// Rows of a CSV file whose header names ObsCore columns. Empty unquoted cells are NULL for
/// numbers and empty strings for text; a header problem is returned before any row.
pub fn read_csv<'a>(
    table: &Table,
    file: &'a str,
    reader: impl std::io::Read + 'a,
) -> Result<Box<dyn Iterator<Item = Result<RawRow, IngestError>> + 'a>, Vec<IngestError>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let headers: Vec<String> = csv
        .headers()
        .map_err(|e| {
            vec![IngestError {
                location: Location {
                    file: file.into(),
                    place: "line 1".into(),
                },
                column: None,
                reason: format!("cannot read the CSV header: {e}"),
            }]
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let map = ColumnMap::new(table, &headers, file, false)?;
    let records = csv.into_records();
    Ok(Box::new(records.map(move |record| match record {
        Ok(r) => {
            let line = r.position().map(|p| p.line()).unwrap_or(0);
            map.row(
                Location {
                    file: file.into(),
                    place: format!("line {line}"),
                },
                r.iter().map(|c| Some(c.to_string())),
            )
        }
        Err(e) => {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Err(IngestError {
                location: Location {
                    file: file.into(),
                    place: format!("line {line}"),
                },
                column: None,
                reason: format!("malformed CSV: {e}"),
            })
        }
    })))
}

/// Rows of a VOTable's first table, FIELDs matched to ObsCore columns by name.
pub fn read_votable(
    table: &Table,
    file: &str,
    xml: &str,
) -> Result<Vec<Result<RawRow, IngestError>>, Vec<IngestError>> {
    let parsed = vo_votable::read_table(xml).map_err(|e| {
        vec![IngestError {
            location: Location {
                file: file.into(),
                place: String::new(),
            },
            column: None,
            reason: format!("not a readable VOTable: {e}"),
        }]
    })?;
    let names: Vec<String> = parsed.fields.iter().map(|f| f.name.clone()).collect();
    let map = ColumnMap::new(table, &names, file, false)?;
    Ok(parsed
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            map.row(
                Location {
                    file: file.into(),
                    place: format!("row {}", i + 1),
                },
                cells,
            )
        })
        .collect())
}
