//! The content of TAP_SCHEMA, generated from the catalogue.

use crate::Catalogue;

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
    pub table_type: &'static str,
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
}

const SCHEMA_DESCRIPTIONS: &[(&str, &str)] = &[
    ("ivoa", "IVOA-defined tables: the ObsCore observation table"),
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
                table_type: "table",
                utype: table.utype.clone(),
                description: table.description.clone(),
                table_index: rows.tables.len() as i32,
            });
            for (i, c) in table.columns.iter().enumerate() {
                let size = c.arraysize.as_deref().and_then(|a| a.parse::<i32>().ok());
                rows.columns.push(ColumnRow {
                    table_name: table.qualified_name(),
                    column_name: c.name.clone(),
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
        assert_eq!(obscore.len(), 71);
        assert_eq!(
            rows.schemas
                .iter()
                .map(|s| s.schema_name.as_str())
                .collect::<Vec<_>>(),
            ["ivoa", "TAP_SCHEMA"]
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
}
