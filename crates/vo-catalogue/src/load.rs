//! Reading the catalogue files.

use crate::{Catalogue, Column, Table};
use serde::Deserialize;

#[derive(Debug)]
pub struct CatalogueError(pub String);

impl std::fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for CatalogueError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    table: TableHead,
    column: Vec<ColumnEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableHead {
    schema: String,
    name: String,
    description: String,
    utype: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnEntry {
    name: String,
    datatype: String,
    arraysize: Option<String>,
    pg_type: String,
    ucd: Option<String>,
    utype: Option<String>,
    xtype: Option<String>,
    unit: Option<String>,
    description: String,
    #[serde(default)]
    indexed: bool,
    #[serde(default)]
    principal: bool,
    #[serde(default)]
    std: bool,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TapSchemaFile {
    schema: SchemaHead,
    /// key_id, from_table, from_column, target_table, target_column, description
    #[serde(default)]
    keys: Vec<(String, String, String, String, String, String)>,
    table: Vec<TapTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaHead {
    name: String,
    #[allow(dead_code)]
    description: String,
    #[allow(dead_code)]
    utype: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TapTable {
    name: String,
    description: String,
    /// name, datatype, arraysize, description, principal, indexed
    columns: Vec<(String, String, String, String, u8, u8)>,
}

const DATATYPES: &[&str] = &[
    "boolean",
    "short",
    "int",
    "long",
    "float",
    "double",
    "char",
    "unicodeChar",
];

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|v| !v.is_empty())
}

/// One exposed table from its file (`schema/obscore.toml`, `schema/obsplan.toml`, ...).
fn table_from_toml(text: &str, label: &str) -> Result<Table, CatalogueError> {
    let file: TableFile =
        toml::from_str(text).map_err(|e| CatalogueError(format!("{label}: {e}")))?;
    let mut columns = Vec::new();
    for c in file.column {
        if !DATATYPES.contains(&c.datatype.as_str()) {
            return Err(CatalogueError(format!(
                "{label}: column {} has unknown datatype {}",
                c.name, c.datatype
            )));
        }
        columns.push(std::sync::Arc::new(Column {
            name: c.name,
            datatype: c.datatype,
            arraysize: non_empty(c.arraysize),
            pg_type: c.pg_type,
            ucd: non_empty(c.ucd),
            utype: non_empty(c.utype),
            xtype: non_empty(c.xtype),
            unit: non_empty(c.unit),
            description: c.description,
            indexed: c.indexed,
            principal: c.principal,
            std: c.std,
        }));
    }
    Ok(Table {
        pg_schema: file.table.schema.to_lowercase(),
        pg_name: file.table.name.to_lowercase(),
        schema: file.table.schema,
        name: file.table.name,
        description: file.table.description,
        utype: non_empty(file.table.utype),
        columns,
    })
}

/// The catalogue from the data tables' files (ObsCore first) and TAP_SCHEMA's own.
pub fn from_toml(tables: &[&str], tap_schema: &str) -> Result<Catalogue, CatalogueError> {
    let mut data_tables = Vec::new();
    for (i, text) in tables.iter().enumerate() {
        data_tables.push(table_from_toml(text, &format!("table file {}", i + 1))?);
    }
    if !data_tables
        .iter()
        .any(|t| t.qualified_name().eq_ignore_ascii_case("ivoa.obscore"))
    {
        return Err(CatalogueError(
            "no table file describes ivoa.obscore".into(),
        ));
    }

    let tap: TapSchemaFile = toml::from_str(tap_schema)
        .map_err(|e| CatalogueError(format!("schema/tap_schema.toml: {e}")))?;
    let mut tables = data_tables;
    for t in tap.table {
        let columns = t
            .columns
            .into_iter()
            .map(
                |(name, datatype, arraysize, description, principal, indexed)| Column {
                    pg_type: if datatype == "int" {
                        "integer".into()
                    } else {
                        "text".into()
                    },
                    arraysize: Some(arraysize).filter(|a| !a.is_empty()),
                    name,
                    datatype,
                    ucd: None,
                    utype: None,
                    xtype: None,
                    unit: None,
                    description,
                    indexed: indexed == 1,
                    principal: principal == 1,
                    std: true,
                },
            )
            .map(std::sync::Arc::new)
            .collect();
        tables.push(Table {
            schema: tap.schema.name.clone(),
            pg_schema: tap.schema.name.to_lowercase(),
            pg_name: t.name.clone(),
            name: t.name,
            description: t.description,
            utype: None,
            columns,
        });
    }
    let keys = tap
        .keys
        .into_iter()
        .map(
            |(key_id, from_table, from_column, target_table, target_column, description)| {
                crate::ForeignKey {
                    key_id,
                    from_table,
                    from_column,
                    target_table,
                    target_column,
                    description,
                }
            },
        )
        .collect();
    Ok(Catalogue { tables, keys })
}
