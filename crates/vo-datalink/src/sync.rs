//! `/datalink/sync`: the links of every ID in the request, in request order.

use crate::DataLinkService;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_archive::{links_for, Listing};
use vo_endpoint::{base_url, connect, Failure, Params};

/// The most a request body may hold (IDs only).
const MAX_BODY: usize = 1 << 20;

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
    payload: web::Payload,
    service: web::Data<DataLinkService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = match Params::read(&request, payload, MAX_BODY).await {
        Ok(p) => p,
        Err(e) => return Failure::from(e).response(),
    };
    match listing(&request, &params, &service, &pool).await {
        Ok(listing) => HttpResponse::Ok()
            .content_type("application/x-votable+xml;content=datalink")
            .body(crate::document::links_document(&listing)),
        Err(failure) => failure.response(),
    }
}

async fn listing(
    request: &HttpRequest,
    params: &Params,
    service: &DataLinkService,
    pool: &vo_db::Pool,
) -> Result<Listing, Failure> {
    check_format(params)?;
    // an ID given twice is listed once
    let mut ids: Vec<&str> = Vec::new();
    for id in params.all("ID") {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(Failure::bad_request(
            "UsageFault: ID is required: a member OUS uid (uid://A001/X12a3/Xe9), a project \
             code, or a package or file name; repeat ID for several",
        ));
    }
    if ids.len() > service.max_ids {
        return Err(Failure::bad_request(format!(
            "UsageFault: {} IDs in one request; at most {} are served, split the request",
            ids.len(),
            service.max_ids
        )));
    }
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
