//! A TAP query request (TAP 1.1 §2.3): REQUEST, LANG, QUERY, RESPONSEFORMAT/FORMAT, MAXREC,
//! UPLOAD — checked, translated, and turned into a plan for the shared executor. Sync and
//! async requests go through the same function.

use crate::upload::{parse_upload_param, read_upload, upload_data};
use crate::TapService;
use std::time::Duration;
use vo_endpoint::{maxrec, plan_adql, response_format, AdqlRequest, Failure, Params, QueryPlan};

/// The ADQL versions LANG may name.
const LANGUAGES: &[&str] = &["ADQL", "ADQL-2.0", "ADQL-2.1"];

/// Checks the request and plans the query.
/// `base` is the service's URL as the client reaches it (for the DataLink descriptor).
pub async fn plan(
    params: &Params,
    service: &TapService,
    timeout: Duration,
    base: &str,
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
    let format = response_format(params, &["RESPONSEFORMAT", "FORMAT"])?;
    let maxrec = maxrec(
        params,
        service.limits.maxrec_default,
        service.limits.maxrec_hard,
    )?;

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
    plan_adql(
        adql,
        AdqlRequest {
            catalogue,
            maxrec,
            format,
            timeout,
            uploads,
            datalink_url: Some(format!("{base}/datalink/sync")),
        },
    )
}
