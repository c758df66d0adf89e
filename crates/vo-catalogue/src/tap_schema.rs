//! The content of TAP_SCHEMA, generated from the catalogue.

use crate::{Catalogue, Column, Table};

#[derive(Debug, Clone, PartialEq)]
pub struct SchemaRow {
    pub schema_name: String,
    pub description: String,
    pub schema_index: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub schema_name: String,
    pub table_name: String,
    pub table_type: String,
    pub utype: Option<String>,
    pub description: String,
    pub table_index: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRow {
    pub table_name: String,
    pub column_name: String,
    pub utype: Option<String>,
    pub ucd: Option<String>,
    pub unit: Option<String>,
    pub description: String,
    pub datatype: String,
    pub arraysize: Option<String>,
    pub xtype: Option<String>,
    /// Deprecated TAP 1.0 `size`: the fixed length of a char column, if any.
    pub size: Option<i32>,
    pub principal: i32,
    pub indexed: i32,
    pub std: i32,
    pub column_index: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TapSchemaRows {
    pub schemas: Vec<SchemaRow>,
    pub tables: Vec<TableRow>,
    pub columns: Vec<ColumnRow>,
    /// TAP_SCHEMA.keys joined with key_columns (one column per key).
    pub keys: Vec<crate::ForeignKey>,
}

const SCHEMA_DESCRIPTIONS: &[(&str, &str)] = &[
    ("ivoa", "IVOA-defined tables: the ObsCore observation table"),
    (
        "alma",
        "ALMA's own tables: the Calibrator Catalogue's flux histories, the sources' systemic velocities, the catalogue objects in each footprint",
    ),
    (
        "TAP_SCHEMA",
        "Tables and columns of this TAP service (TAP 1.1)",
    ),
];

impl Catalogue {
    pub fn tap_schema_rows(&self) -> TapSchemaRows {
        let mut rows = TapSchemaRows {
            schemas: Vec::new(),
            tables: Vec::new(),
            columns: Vec::new(),
            keys: self.keys.clone(),
        };
        for table in &self.tables {
            if !rows.schemas.iter().any(|s| s.schema_name == table.schema) {
                let description = SCHEMA_DESCRIPTIONS
                    .iter()
                    .find(|(n, _)| *n == table.schema)
                    .map(|(_, d)| d.to_string())
                    .unwrap_or_default();
                rows.schemas.push(SchemaRow {
                    schema_name: table.schema.clone(),
                    description,
                    schema_index: rows.schemas.len() as i32,
                });
            }
            rows.tables.push(TableRow {
                schema_name: table.schema.clone(),
                table_name: table.qualified_name(),
                table_type: "table".into(),
                utype: table.utype.clone(),
                description: table.description.clone(),
                table_index: rows.tables.len() as i32,
            });
            for (i, c) in table.columns.iter().enumerate() {
                // TAP 1.0's size: the length in arraysize ("256*" → 256)
                let size = c
                    .arraysize
                    .as_deref()
                    .and_then(|a| a.trim_end_matches('*').parse::<i32>().ok());
                rows.columns.push(ColumnRow {
                    table_name: table.qualified_name(),
                    column_name: c.adql_name(),
                    utype: c.utype.clone(),
                    ucd: c.ucd.clone(),
                    unit: c.unit.clone(),
                    description: c.description.clone(),
                    datatype: c.datatype.clone(),
                    arraysize: c.arraysize.clone(),
                    xtype: c.xtype.clone(),
                    size,
                    principal: c.principal as i32,
                    indexed: c.indexed as i32,
                    std: c.std as i32,
                    column_index: i as i32,
                });
            }
        }
        rows
    }
}

impl Catalogue {
    /// The catalogue a TAP_SCHEMA describes: the inverse of [`Catalogue::tap_schema_rows`],
    /// so that a service (or an operator's `adql translate --schema database`) can work on
    /// the tables a database declares. Each `schema.table` is expected in PostgreSQL under
    /// the lower-case schema and the table name as written.
    pub fn from_tap_schema(rows: &TapSchemaRows) -> Result<Catalogue, crate::CatalogueError> {
        let mut tables: Vec<Table> = Vec::new();
        let mut ordered: Vec<&TableRow> = rows.tables.iter().collect();
        ordered.sort_by_key(|t| t.table_index);
        for t in ordered {
            let (schema, name) = t.table_name.split_once('.').ok_or_else(|| {
                crate::CatalogueError(format!(
                    "TAP_SCHEMA.tables: table_name {} is not schema.table",
                    t.table_name
                ))
            })?;
            let mut columns: Vec<&ColumnRow> = rows
                .columns
                .iter()
                .filter(|c| c.table_name == t.table_name)
                .collect();
            columns.sort_by_key(|c| c.column_index);
            if columns.is_empty() {
                return Err(crate::CatalogueError(format!(
                    "TAP_SCHEMA.columns has no columns for {}",
                    t.table_name
                )));
            }
            tables.push(Table {
                schema: schema.to_string(),
                name: name.to_string(),
                pg_schema: schema.to_lowercase(),
                pg_name: name.to_string(),
                description: t.description.clone(),
                utype: t.utype.clone(),
                columns: columns
                    .into_iter()
                    .map(|c| {
                        std::sync::Arc::new(Column {
                            name: c
                                .column_name
                                .strip_prefix('"')
                                .and_then(|n| n.strip_suffix('"'))
                                .unwrap_or(&c.column_name)
                                .to_string(),
                            pg_type: pg_type_for(&c.datatype).to_string(),
                            datatype: c.datatype.clone(),
                            arraysize: c.arraysize.clone(),
                            ucd: c.ucd.clone(),
                            utype: c.utype.clone(),
                            xtype: c.xtype.clone(),
                            unit: c.unit.clone(),
                            description: c.description.clone(),
                            indexed: c.indexed != 0,
                            principal: c.principal != 0,
                            std: c.std != 0,
                        })
                    })
                    .collect(),
            });
        }
        Ok(Catalogue {
            tables,
            keys: rows.keys.clone(),
        })
    }
}

/// The PostgreSQL type that holds a VOTable datatype (informative: the translator does not
/// depend on it).
fn pg_type_for(datatype: &str) -> &'static str {
    match datatype {
        "boolean" => "boolean",
        "short" => "smallint",
        "int" => "integer",
        "long" => "bigint",
        "float" => "real",
        "double" => "double precision",
        _ => "text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_obscore_column_once() {
        let rows = Catalogue::builtin().tap_schema_rows();
        let obscore: Vec<_> = rows
            .columns
            .iter()
            .filter(|c| c.table_name == "ivoa.obscore")
            .collect();
        assert_eq!(obscore.len(), 78);
        assert_eq!(
            rows.schemas
                .iter()
                .map(|s| s.schema_name.as_str())
                .collect::<Vec<_>>(),
            ["ivoa", "alma", "TAP_SCHEMA"]
        );
        assert!(rows
            .tables
            .iter()
            .any(|t| t.table_name == "TAP_SCHEMA.key_columns"));
        let freq = obscore
            .iter()
            .find(|c| c.column_name == "frequency")
            .unwrap();
        assert_eq!(freq.unit.as_deref(), Some("GHz"));
        let rights = obscore
            .iter()
            .find(|c| c.column_name == "data_rights")
            .unwrap();
        assert_eq!(rights.size, Some(11));
    }

    #[test]
    fn tap_schema_rows_give_back_the_catalogue() {
        let builtin = Catalogue::builtin();
        let again = Catalogue::from_tap_schema(&builtin.tap_schema_rows()).unwrap();
        assert_eq!(again.tables.len(), builtin.tables.len());
        for (a, b) in again.tables.iter().zip(&builtin.tables) {
            assert_eq!(a.qualified_name(), b.qualified_name());
            assert_eq!(a.sql_name(), b.sql_name());
            let strip = |c: &Column| Column {
                pg_type: String::new(),
                ..c.clone()
            };
            let (ca, cb): (Vec<Column>, Vec<Column>) = (
                a.columns.iter().map(|c| strip(c)).collect(),
                b.columns.iter().map(|c| strip(c)).collect(),
            );
            assert_eq!(ca, cb, "{}", a.qualified_name());
        }
    }
}
