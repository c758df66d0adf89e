//! A TAP query request (TAP 1.1 §2.3): REQUEST, LANG, QUERY, RESPONSEFORMAT/FORMAT, MAXREC,
//! UPLOAD — checked, translated, and turned into a plan for the shared executor. Sync and
//! async requests go through the same functions; an async job is also checked before it is
//! queued ([`check`]).

use crate::upload::{parse_upload_param, read_upload, upload_data, UploadSpec};
use crate::TapService;
use std::time::Duration;
use vo_endpoint::{maxrec, response_format, Failure, Params};
use vo_query::{plan_adql, AdqlRequest, QueryPlan};
use vo_results::Format;

/// The ADQL versions LANG may name.
const LANGUAGES: &[&str] = &["ADQL", "ADQL-2.0", "ADQL-2.1"];

/// A request's parameters, read and checked, before any table is fetched.
struct TapRequest<'p> {
    adql: &'p str,
    format: Format,
    maxrec: u64,
    uploads: Vec<UploadSpec>,
}

fn read<'p>(params: &'p Params, service: &TapService) -> Result<TapRequest<'p>, Failure> {
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
    Ok(TapRequest {
        adql,
        format: response_format(params, &["RESPONSEFORMAT", "FORMAT"])?,
        maxrec: maxrec(
            params,
            service.limits.maxrec_default,
            service.limits.maxrec_hard,
        )?,
        uploads: parse_upload_param(params)?,
    })
}

/// Checks the request and plans the query.
/// `base` is the service's URL as the client reaches it (for the DataLink descriptor).
pub async fn plan(
    params: &Params,
    service: &TapService,
    timeout: Duration,
    base: &str,
) -> Result<QueryPlan, Failure> {
    let request = read(params, service)?;
    let mut uploads = Vec::new();
    let mut catalogue = None;
    for spec in &request.uploads {
        let data = upload_data(spec, params, &service.limits).await?;
        let (table, declared) = read_upload(spec, &data, &service.limits)?;
        catalogue
            .get_or_insert_with(|| (*service.catalogue).clone())
            .tables
            .push(declared);
        uploads.push(table);
    }
    let catalogue = catalogue.as_ref().unwrap_or(&service.catalogue);
    plan_adql(
        request.adql,
        AdqlRequest {
            catalogue,
            maxrec: request.maxrec,
            format: request.format,
            timeout,
            uploads,
            datalink_url: Some(vo_catalogue::routes::datalink_sync(base)),
        },
    )
}

/// Checks a request as far as it can be without the database or the network: its
/// parameters, its inline uploads, and its ADQL against the catalogue and those uploads (a
/// query joining a table named by URL is checked without the catalogue, as the table's
/// columns are known only once it is fetched).
pub fn check(params: &Params, service: &TapService) -> Result<(), Failure> {
    let request = read(params, service)?;
    let mut with_uploads = None;
    for spec in &request.uploads {
        let Some(part) = spec.uri.strip_prefix("param:") else {
            return vo_adql::check(request.adql).map_err(|e| Failure::bad_request(e.to_string()));
        };
        let data = params.part(part).ok_or_else(|| {
            Failure::bad_request(format!(
                "UPLOAD {}: the request has no multipart part named '{part}'",
                spec.name
            ))
        })?;
        with_uploads
            .get_or_insert_with(|| (*service.catalogue).clone())
            .tables
            .push(read_upload(spec, data, &service.limits)?.1);
    }
    vo_adql::translate(
        request.adql,
        with_uploads.as_ref().unwrap_or(&service.catalogue),
        &vo_adql::Options {
            maxrec: Some(request.maxrec),
            ..Default::default()
        },
    )
    .map(|_| ())
    .map_err(|e| Failure::bad_request(e.to_string()))
}
