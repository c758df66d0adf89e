//! TAP_UPLOAD: `UPLOAD=name,param:part` (inline, multipart) and `UPLOAD=name,https://…`
//! (fetched by the service) tables, read from VOTable in any serialization and loaded into
//! temporary tables the query can join as `TAP_UPLOAD.name`.

use std::sync::Arc;
use vo_catalogue::{Column, Table};
use vo_endpoint::{Failure, Params, UploadTable};

use crate::TapLimits;

/// One `name,uri` pair of the UPLOAD parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadSpec {
    pub name: String,
    pub uri: String,
}

/// The most tables one query may upload.
const MAX_UPLOADS: usize = 8;

/// Reads UPLOAD (possibly repeated, each a `;`-separated list of `name,uri`).
pub fn parse_upload_param(params: &Params) -> Result<Vec<UploadSpec>, Failure> {
    let mut specs = Vec::new();
    for value in params.all("UPLOAD") {
        for item in value.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, uri) = item.split_once(',').ok_or_else(|| {
                Failure::bad_request(format!(
                    "UPLOAD '{item}' is not name,uri (e.g. UPLOAD=mytable,param:file1)"
                ))
            })?;
            let name = name.trim();
            let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(Failure::bad_request(format!(
                    "UPLOAD table name '{name}' must be a plain ADQL name (letters, digits, _; starting with a letter)"
                )));
            }
            if specs
                .iter()
                .any(|s: &UploadSpec| s.name.eq_ignore_ascii_case(name))
            {
                return Err(Failure::bad_request(format!(
                    "UPLOAD names the table {name} twice"
                )));
            }
            if specs.len() == MAX_UPLOADS {
                return Err(Failure::bad_request(format!(
                    "UPLOAD names more than {MAX_UPLOADS} tables; join at most {MAX_UPLOADS} uploaded tables in one query"
                )));
            }
            specs.push(UploadSpec {
                name: name.to_string(),
                uri: uri.trim().to_string(),
            });
        }
    }
    Ok(specs)
}

/// The PostgreSQL type holding an uploaded column, and the catalogue datatype it is exposed
/// with.
fn column_types(field: &vo_votable::Field) -> (&'static str, &'static str, Option<String>) {
    let scalar = field.arraysize.is_none();
    match (field.datatype.as_str(), scalar) {
        ("boolean", true) => ("boolean", "boolean", None),
        ("short" | "unsignedByte", true) => ("smallint", "short", None),
        ("int", true) => ("integer", "int", None),
        ("long", true) => ("bigint", "long", None),
        ("float", true) => ("real", "float", None),
        ("double", true) => ("double precision", "double", None),
        // strings, and arrays kept as their TABLEDATA text
        _ => ("text", "char", Some("*".into())),
    }
}

/// The bytes of an upload: the multipart part it names, or the document at its URL.
pub async fn upload_data(
    spec: &UploadSpec,
    params: &Params,
    limits: &TapLimits,
) -> Result<bytes::Bytes, Failure> {
    let uri = spec.uri.as_str();
    if let Some(part_name) = uri.strip_prefix("param:") {
        return params.part(part_name).cloned().ok_or_else(|| {
            Failure::bad_request(format!(
                "UPLOAD {}: the request has no multipart part named '{part_name}'",
                spec.name
            ))
        });
    }
    let scheme = uri.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        return Err(Failure::bad_request(format!(
            "UPLOAD {}: '{uri}' is neither param:name (a multipart part) nor an http(s) URL",
            spec.name
        )));
    }
    let url = uri.to_string();
    let name = spec.name.clone();
    let max_bytes = limits.upload_bytes;
    let allow_private = limits.upload_from_private_hosts;
    tokio::task::spawn_blocking(move || crate::fetch::fetch(&name, &url, max_bytes, allow_private))
        .await
        .map_err(|e| Failure::bad_request(format!("UPLOAD {}: fetch failed: {e}", spec.name)))?
        .map(bytes::Bytes::from)
}

/// Reads the upload and returns the temporary table to load and the catalogue table the
/// query sees.
pub fn read_upload(
    spec: &UploadSpec,
    data: &[u8],
    limits: &TapLimits,
) -> Result<(UploadTable, Table), Failure> {
    let text = std::str::from_utf8(data).map_err(|e| {
        Failure::bad_request(format!(
            "UPLOAD {}: the table is not UTF-8 text: {e}",
            spec.name
        ))
    })?;
    let table = vo_votable::read_table(text).map_err(|e| {
        Failure::bad_request(format!(
            "UPLOAD {}: not a VOTable this service can read: {e}",
            spec.name
        ))
    })?;
    if table.rows.len() > limits.upload_rows {
        return Err(Failure::bad_request(format!(
            "UPLOAD {}: {} rows, more than this service's limit of {}",
            spec.name,
            table.rows.len(),
            limits.upload_rows
        )));
    }
    let mut columns = Vec::new();
    let mut catalogue_columns = Vec::new();
    for field in &table.fields {
        if field.name.is_empty() {
            return Err(Failure::bad_request(format!(
                "UPLOAD {}: a FIELD has no name",
                spec.name
            )));
        }
        // any name is quoted where it reaches SQL; these could still not be one column
        if field.name.len() > 63 || field.name.chars().any(char::is_control) {
            return Err(Failure::bad_request(format!(
                "UPLOAD {}: the column name {:?} is not usable: names must be at most 63 bytes without control characters",
                spec.name, field.name
            )));
        }
        if columns
            .iter()
            .any(|(n, _): &(String, &str)| n.eq_ignore_ascii_case(&field.name))
        {
            return Err(Failure::bad_request(format!(
                "UPLOAD {}: the column name {} appears twice",
                spec.name, field.name
            )));
        }
        let (pg_type, datatype, arraysize) = column_types(field);
        columns.push((field.name.clone(), pg_type));
        catalogue_columns.push(Arc::new(Column {
            name: field.name.clone(),
            datatype: datatype.into(),
            arraysize,
            pg_type: pg_type.into(),
            ucd: None,
            utype: None,
            xtype: field.xtype.clone(),
            unit: field.unit.clone(),
            description: String::new(),
            indexed: false,
            principal: true,
            std: false,
        }));
    }
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .zip(&table.fields)
                .map(|(cell, field)| cell.map(|v| normalise(&v, field)))
                .collect()
        })
        .collect();
    let pg_name = format!("tap_upload_{}", spec.name.to_lowercase());
    Ok((
        UploadTable {
            pg_name: pg_name.clone(),
            columns,
            rows,
        },
        Table {
            schema: "TAP_UPLOAD".into(),
            name: spec.name.clone(),
            pg_schema: "pg_temp".into(),
            pg_name,
            description: format!("table uploaded as {}", spec.name),
            utype: None,
            columns: catalogue_columns,
        },
    ))
}

/// TABLEDATA spellings PostgreSQL does not read: booleans as T/F/1/0, floats as +Inf/-Inf.
fn normalise(value: &str, field: &vo_votable::Field) -> String {
    let v = value.trim();
    match field.datatype.as_str() {
        "boolean" if field.arraysize.is_none() => match v {
            "T" | "t" | "1" | "true" | "TRUE" => "true".into(),
            "F" | "f" | "0" | "false" | "FALSE" => "false".into(),
            other => other.into(),
        },
        "float" | "double" if field.arraysize.is_none() => match v {
            "+Inf" | "Inf" => "Infinity".into(),
            "-Inf" => "-Infinity".into(),
            other => other.into(),
        },
        "char" | "unicodeChar" => value.to_string(),
        _ => v.into(),
    }
}
