//! The plain answers of the UWS resources, and looking a job up.

use crate::Jobs;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use vo_endpoint::{base_url, Params};
use vo_uws::{Job, JobStore, JobUrls};

pub fn plain(status: StatusCode, text: impl Into<String>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text.into() + "\n")
}

pub fn unavailable(e: impl std::fmt::Display) -> HttpResponse {
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the job database is not available: {e}"),
    )
}

pub fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The job list's absolute URL, as the client reached it.
pub fn urls<K>(request: &HttpRequest, jobs: &Jobs<K>) -> JobUrls {
    JobUrls {
        list: format!("{}{}", base_url(request), jobs.list_path),
    }
}

/// Reads the parameters a job is created or changed with.
pub async fn read_params<K: crate::JobKind>(
    request: &HttpRequest,
    payload: actix_web::web::Payload,
    jobs: &Jobs<K>,
) -> Result<Params, HttpResponse> {
    Params::read(request, payload, jobs.kind.max_body())
        .await
        .map_err(|e| plain(StatusCode::BAD_REQUEST, e.0))
}

/// The UWS control parameters, kept apart from a job's own.
pub const CONTROL: &[&str] = &[
    "PHASE",
    "DESTRUCTION",
    "EXECUTIONDURATION",
    "ACTION",
    "RUNID",
];

pub fn is_control(name: &str) -> bool {
    CONTROL.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// Looks one of the service's jobs up; 404 with a message when it does not exist.
pub async fn find<K: crate::JobKind>(
    pool: &vo_db::Pool,
    jobs: &Jobs<K>,
    job_id: &str,
) -> Result<(deadpool_postgres::Object, Job), HttpResponse> {
    let client = pool.get().await.map_err(unavailable)?;
    match JobStore::new(&client, jobs.kind.service())
        .get(job_id)
        .await
    {
        Ok(Some(job)) => Ok((client, job)),
        Ok(None) => Err(plain(
            StatusCode::NOT_FOUND,
            format!("no job {job_id} (it may have been deleted or destroyed)"),
        )),
        Err(e) => Err(unavailable(e)),
    }
}
