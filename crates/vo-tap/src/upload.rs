//! TAP_UPLOAD: `UPLOAD=name,param:part` (inline, multipart) and `UPLOAD=name,https://…`
//! (fetched by the service) tables, read from VOTable in any serialization and loaded into
//! temporary tables the query can join as `TAP_UPLOAD.name`.

use std::sync::Arc;
use vo_catalogue::{Column, Table};
use vo_endpoint::{Failure, Params};
use vo_query::UploadTable;

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

/// A geometry an uploaded column holds, as its xtype (DALI 1.1) says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Geometry {
    Point,
    Circle,
    Polygon,
}

/// The geometry a column's xtype names, if any (whatever its datatype).
fn geometry_of(field: &vo_votable::Field) -> Option<Geometry> {
    let xtype = field.xtype.as_deref()?.trim().to_ascii_lowercase();
    match xtype.trim_start_matches("adql:") {
        "point" => Some(Geometry::Point),
        "circle" => Some(Geometry::Circle),
        "polygon" => Some(Geometry::Polygon),
        _ => None,
    }
}

/// A geometry xtype needs numbers (DALI: float or double arrays).
fn geometry_datatype_ok(field: &vo_votable::Field) -> bool {
    matches!(
        field.datatype.as_str(),
        "float" | "double" | "short" | "int" | "long" | "unsignedByte"
    )
}

/// The PostgreSQL type holding an uploaded column, the catalogue datatype and arraysize it is
/// exposed with, and its xtype. Geometry columns become pgSphere values that ADQL's geometry
/// functions take (`DISTANCE(u.pos, POINT(…))`) and that come back out as DALI arrays.
fn column_types(
    field: &vo_votable::Field,
) -> (&'static str, &'static str, Option<String>, Option<String>) {
    if let Some(geometry) = geometry_of(field) {
        return match geometry {
            Geometry::Point => ("spoint", "double", Some("2".into()), Some("point".into())),
            Geometry::Circle => ("scircle", "double", Some("3".into()), Some("circle".into())),
            Geometry::Polygon => ("spoly", "double", Some("*".into()), Some("polygon".into())),
        };
    }
    let scalar = field.arraysize.is_none();
    let xtype = field.xtype.clone();
    match (field.datatype.as_str(), scalar) {
        ("boolean", true) => ("boolean", "boolean", None, xtype),
        ("short" | "unsignedByte", true) => ("smallint", "short", None, xtype),
        ("int", true) => ("integer", "int", None, xtype),
        ("long", true) => ("bigint", "long", None, xtype),
        ("float", true) => ("real", "float", None, xtype),
        ("double", true) => ("double precision", "double", None, xtype),
        // strings, and arrays kept as their TABLEDATA text
        _ => ("text", "char", Some("*".into()), xtype),
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
    upload_table(spec, &parse_upload(spec, data, limits)?)
}

/// An upload kept by an asynchronous job: read and checked as [`read_upload`] does, then
/// written as TABLEDATA (whatever serialization it came in), which is what the job keeps.
pub fn checked_upload(
    spec: &UploadSpec,
    data: &[u8],
    limits: &TapLimits,
) -> Result<String, Failure> {
    let table = parse_upload(spec, data, limits)?;
    upload_table(spec, &table)?;
    Ok(vo_votable::write_tabledata(&table))
}

/// The uploaded document as a table, within the row limit.
fn parse_upload(
    spec: &UploadSpec,
    data: &[u8],
    limits: &TapLimits,
) -> Result<vo_votable::Table, Failure> {
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
    Ok(table)
}

/// The temporary table an upload is loaded into, and the catalogue table the query sees.
fn upload_table(
    spec: &UploadSpec,
    table: &vo_votable::Table,
) -> Result<(UploadTable, Table), Failure> {
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
        if geometry_of(field).is_some() && !geometry_datatype_ok(field) {
            return Err(Failure::bad_request(format!(
                "UPLOAD {}: the column {} has xtype {} but datatype {}; DALI geometries are arrays of numbers (double)",
                spec.name,
                field.name,
                field.xtype.as_deref().unwrap_or_default(),
                field.datatype
            )));
        }
        let (pg_type, datatype, arraysize, xtype) = column_types(field);
        // text with characters beyond ASCII is declared unicodeChar, which every result
        // serialization carries
        let position = columns.len();
        let datatype = if datatype == "char"
            && (field.datatype == "unicodeChar"
                || table
                    .rows
                    .iter()
                    .any(|r| r[position].as_deref().is_some_and(|v| !v.is_ascii())))
        {
            "unicodeChar"
        } else {
            datatype
        };
        columns.push((field.name.clone(), pg_type));
        catalogue_columns.push(Arc::new(Column {
            name: field.name.clone(),
            datatype: datatype.into(),
            arraysize,
            pg_type: pg_type.into(),
            ucd: None,
            utype: None,
            xtype,
            unit: field.unit.clone(),
            description: String::new(),
            indexed: false,
            principal: true,
            std: false,
        }));
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    for (n, row) in table.rows.iter().enumerate() {
        let mut cells = Vec::with_capacity(row.len());
        for (cell, field) in row.iter().zip(&table.fields) {
            cells.push(match cell {
                None => None,
                Some(v) => Some(normalise(v, field).map_err(|problem| {
                    Failure::bad_request(format!(
                        "UPLOAD {}, row {}, column {}: {problem}",
                        spec.name,
                        n + 1,
                        field.name
                    ))
                })?),
            });
        }
        rows.push(cells);
    }
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

/// A cell as PostgreSQL reads it: TABLEDATA spellings it does not know (booleans as
/// T/F/1/0, floats as +Inf/-Inf) rewritten, geometries (DALI arrays, degrees) as pgSphere
/// values within the limits every request keeps, text without control characters no result
/// could carry.
fn normalise(value: &str, field: &vo_votable::Field) -> Result<String, String> {
    if let Some(geometry) = geometry_of(field) {
        return geometry_value(&field.name, value, geometry);
    }
    let v = value.trim();
    Ok(match field.datatype.as_str() {
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
        "char" | "unicodeChar" => {
            if let Some(problem) = vo_catalogue::text_problem(value) {
                return Err(format!("the text {problem}; remove it"));
            }
            value.to_string()
        }
        _ => v.into(),
    })
}

/// A DALI point (`ra dec`), circle (`ra dec radius`) or polygon (`ra1 dec1 ra2 dec2 …`) in
/// degrees, read as SIA2 and SODA read them (the same limits), as a pgSphere literal.
fn geometry_value(name: &str, value: &str, geometry: Geometry) -> Result<String, String> {
    use vo_region::dali::{circle_value, point_value, polygon_value};
    let shape = match geometry {
        Geometry::Point => {
            let (ra, dec) = point_value(name, value).map_err(|e| e.0)?;
            return Ok(vo_region::pg_point(ra, dec));
        }
        Geometry::Circle => circle_value(name, value),
        Geometry::Polygon => polygon_value(name, value),
    };
    Ok(vo_region::pg_shape(&shape.map_err(|e| e.0)?).0)
}
