//! A TAP query request (TAP 1.1 §2.3): REQUEST, LANG, QUERY, RESPONSEFORMAT/FORMAT, MAXREC,
//! UPLOAD — checked, translated, and turned into a plan for the shared executor. Sync and
//! async requests go through the same function.

use crate::upload::{parse_upload_param, read_upload, upload_data};
use crate::TapService;
use std::time::Duration;
use vo_endpoint::{Failure, Params, QueryPlan};
use vo_results::{Datatype, Field, Format};

/// The ADQL versions LANG may name.
const LANGUAGES: &[&str] = &["ADQL", "ADQL-2.0", "ADQL-2.1"];

/// The result fields of a translation, with the catalogue's metadata where a column is
/// selected as it is.
pub fn result_fields(columns: &[vo_adql::OutputColumn]) -> Vec<Field> {
    columns
        .iter()
        .map(|c| match &c.meta {
            Some(m) => Field {
                name: c.name.clone(),
                datatype: Datatype::parse(&m.datatype).unwrap_or(Datatype::Char),
                arraysize: m.arraysize.clone(),
                unit: m.unit.clone(),
                ucd: m.ucd.clone(),
                utype: m.utype.clone(),
                xtype: m.xtype.clone(),
                description: Some(m.description.clone()).filter(|d| !d.is_empty()),
            },
            None => {
                let mut f = Field::new(
                    c.name.clone(),
                    Datatype::parse(c.datatype).unwrap_or(Datatype::Double),
                    c.arraysize,
                );
                f.xtype = c.xtype.map(String::from);
                f
            }
        })
        .collect()
}

/// The MAXREC a request gets: the default when absent, capped at the hard limit.
fn maxrec(params: &Params, service: &TapService) -> Result<u64, Failure> {
    match params.get("MAXREC") {
        None => Ok(service.limits.maxrec_default),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(|m| m.min(service.limits.maxrec_hard))
            .map_err(|_| {
                Failure::bad_request(format!(
                    "MAXREC '{v}' is not a number of rows (a whole number, 0 or more)"
                ))
            }),
    }
}

/// Reads RESPONSEFORMAT (or FORMAT); TABLEDATA VOTable when absent.
pub fn response_format(params: &Params) -> Result<Format, Failure> {
    match params
        .get("RESPONSEFORMAT")
        .or_else(|| params.get("FORMAT"))
    {
        None => Ok(Format::VotableTabledata),
        Some(v) if v.trim().is_empty() => Ok(Format::VotableTabledata),
        Some(v) => Format::parse(v).map_err(|e| Failure::bad_request(e.0)),
    }
}

/// Checks the request and plans the query.
pub async fn plan(
    params: &Params,
    service: &TapService,
    timeout: Duration,
) -> Result<QueryPlan, Failure> {
    if let Some(r) = params.get("REQUEST") {
        if !r.trim().eq_ignore_ascii_case("doQuery") {
            return Err(Failure::bad_request(format!(
                "REQUEST={r} is not supported here; use REQUEST=doQuery"
            )));
        }
    }
    let lang = params
        .get("LANG")
        .ok_or_else(|| Failure::bad_request("the LANG parameter is missing; send LANG=ADQL"))?;
    if !LANGUAGES
        .iter()
        .any(|l| l.eq_ignore_ascii_case(lang.trim()))
    {
        return Err(Failure::bad_request(format!(
            "LANG={lang} is not supported; this service speaks {}",
            LANGUAGES.join(", ")
        )));
    }
    let adql = params
        .get("QUERY")
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| Failure::bad_request("the QUERY parameter is missing or empty"))?;
    let format = response_format(params)?;
    let maxrec = maxrec(params, service)?;

    let specs = parse_upload_param(params)?;
    let mut uploads = Vec::new();
    let mut catalogue = None;
    for spec in &specs {
        let data = upload_data(spec, params, &service.limits).await?;
        let (table, declared) = read_upload(spec, &data, &service.limits)?;
        catalogue
            .get_or_insert_with(|| (*service.catalogue).clone())
            .tables
            .push(declared);
        uploads.push(table);
    }
    let catalogue = catalogue.as_ref().unwrap_or(&service.catalogue);
    let translation = vo_adql::translate(
        adql,
        catalogue,
        &vo_adql::Options {
            maxrec: Some(maxrec),
        },
    )
    .map_err(|e| Failure::bad_request(e.to_string()))?;
    Ok(QueryPlan {
        fields: result_fields(&translation.columns),
        maxrec: translation.overflow_limit.map(|l| l - 1),
        sql: translation.sql,
        format,
        infos: vec![("QUERY".into(), adql.to_string())],
        trailing_resources: Vec::new(),
        timeout,
        uploads,
    })
}
