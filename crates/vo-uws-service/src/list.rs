//! GET of the job list, with UWS 1.1's PHASE, AFTER and LAST filters: a signed-in caller's
//! own jobs; nothing for an anonymous caller (anonymous jobs are reachable by URL only).

use crate::responses::{caller, plain, unavailable, urls};
use crate::times::iso_time;
use crate::{JobKind, Jobs};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_endpoint::{xml_response, Params};
use vo_job_store::{JobStore, ListFilter, Phase};

pub async fn list<K: JobKind>(
    request: HttpRequest,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = match Params::from_query(request.query_string()) {
        Ok(p) => p,
        Err(e) => return plain(e.1, e.0),
    };
    let mut filter = ListFilter::default();
    for p in params.all("PHASE") {
        match Phase::parse(p) {
            Some(phase) => filter.phases.push(phase),
            None => {
                return plain(
                    StatusCode::BAD_REQUEST,
                    format!("PHASE={p} is not a UWS phase"),
                )
            }
        }
    }
    if let Some(after) = params.get("AFTER") {
        match iso_time(after) {
            Some(t) => filter.after = Some(t),
            None => {
                return plain(
                    StatusCode::BAD_REQUEST,
                    format!("AFTER={after} is not an ISO 8601 time"),
                )
            }
        }
    }
    if let Some(last) = params.get("LAST") {
        match last.trim().parse::<i64>() {
            Ok(n) if n > 0 => filter.last = Some(n),
            _ => {
                return plain(
                    StatusCode::BAD_REQUEST,
                    format!("LAST={last} is not a positive number"),
                )
            }
        }
    }
    // a signed-in user's own jobs; an anonymous caller's, by their job-owner cookie (none
    // without one: other people's queries stay private)
    match caller(&request, &pool).await {
        Ok(Some(owner)) => filter.owner = Some(owner),
        Ok(None) => match crate::owner_cookie::secret_of(&request) {
            Some(secret) => filter.anonymous_owner = Some(crate::owner_cookie::digest(&secret)),
            None => {
                return xml_response(
                    StatusCode::OK,
                    vo_job_store::job_list_xml(&[], &urls(&request, &jobs)),
                )
            }
        },
        Err(r) => return r,
    }
    let client = match pool.get().await {
        Ok(c) => c,
        Err(e) => return unavailable(e),
    };
    match JobStore::new(&client, jobs.kind.service())
        .list(&filter)
        .await
    {
        Ok(list) => xml_response(
            StatusCode::OK,
            vo_job_store::job_list_xml(&list, &urls(&request, &jobs)),
        ),
        Err(e) => unavailable(e),
    }
}
