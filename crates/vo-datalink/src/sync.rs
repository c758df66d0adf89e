//! `/datalink/sync`: the links of every ID in the request, in request order.

use crate::DataLinkService;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_archive::{links_for, Listing};
use vo_endpoint::{base_url, connect, Failure, Params};

/// The RESPONSEFORMAT values meaning the DataLink VOTable (the only format served).
const FORMATS: &[&str] = &[
    "application/x-votable+xml;content=datalink",
    "application/x-votable+xml",
    "text/xml",
    "votable",
];

fn check_format(params: &Params) -> Result<(), Failure> {
    match params.get("RESPONSEFORMAT") {
        None => Ok(()),
        Some(f) if FORMATS.contains(&f.replace(' ', "").to_ascii_lowercase().as_str()) => Ok(()),
        Some(f) => Err(Failure::bad_request(format!(
            "UsageFault: RESPONSEFORMAT '{f}' is not served; DataLink answers in \
             application/x-votable+xml;content=datalink"
        ))),
    }
}

pub async fn links(
    request: HttpRequest,
    params: Params,
    service: web::Data<DataLinkService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    match listing(&request, &params, &service, &pool).await {
        Ok(listing) => HttpResponse::Ok()
            .content_type("application/x-votable+xml;content=datalink")
            .body(crate::document::links_document(&listing)),
        Err(failure) => failure.response(),
    }
}

/// The IDs a request asks for, each once, in request order: checked before any is looked
/// up (the response format, at least one ID, at most `max_ids`).
pub fn requested_ids(params: &Params, max_ids: usize) -> Result<Vec<&str>, Failure> {
    check_format(params)?;
    let count = params.all("ID").count();
    if count == 0 {
        return Err(Failure::bad_request(
            "UsageFault: ID is required: a member OUS uid (uid://A001/X12a3/Xe9), a project \
             code, or a package or file name; repeat ID for several",
        ));
    }
    if count > max_ids {
        return Err(Failure::bad_request(format!(
            "UsageFault: {count} IDs in one request; at most {max_ids} are served, split the request"
        )));
    }
    // an ID given twice is listed once
    let mut ids: Vec<&str> = Vec::with_capacity(count);
    for id in params.all("ID") {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn listing(
    request: &HttpRequest,
    params: &Params,
    service: &DataLinkService,
    pool: &vo_db::Pool,
) -> Result<Listing, Failure> {
    let ids = requested_ids(params, service.max_ids)?;
    // `readable` says what this caller may fetch
    let reader = vo_endpoint::reader(request, pool).await?;
    let client = connect(pool).await?;
    let base = base_url(request);
    let mut listing = Listing::default();
    for id in ids {
        links_for(&client, &service.data_dir, &base, &reader, id, &mut listing)
            .await
            .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    }
    Ok(listing)
}
