//! The plain answers of the UWS resources, and looking a job up.

use crate::Jobs;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use vo_endpoint::base_url;
use vo_job_store::{Job, JobStore, JobUrls};

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

/// The signed-in caller (`None`: anonymous); wrong credentials are a 401 saying why.
pub async fn caller(
    request: &HttpRequest,
    pool: &vo_db::Pool,
) -> Result<Option<String>, HttpResponse> {
    vo_endpoint::identity::authenticate(request, pool)
        .await
        .map_err(|failure| refused(failure.status, failure.message))
}

fn refused(status: StatusCode, message: String) -> HttpResponse {
    let mut response = plain(status, message);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static(vo_endpoint::AUTHENTICATE_CHALLENGE),
        );
    }
    response
}

/// Looks one of the service's jobs up for the caller: 404 when it does not exist; a job
/// that belongs to a user is that user's alone (401 for an anonymous caller, 403 for
/// another user); an anonymous job is reachable by whoever has its URL.
pub async fn find<K: crate::JobKind>(
    request: &HttpRequest,
    pool: &vo_db::Pool,
    jobs: &Jobs<K>,
    job_id: &str,
) -> Result<(deadpool_postgres::Object, Job), HttpResponse> {
    let caller = caller(request, pool).await?;
    let client = pool.get().await.map_err(unavailable)?;
    match JobStore::new(&client, jobs.kind.service())
        .get(job_id)
        .await
    {
        Ok(Some(job)) => match (&job.owner_id, caller) {
            (Some(_), None) => Err(refused(
                StatusCode::UNAUTHORIZED,
                format!("job {job_id} belongs to a signed-in user; sign in as that user to see it"),
            )),
            (Some(_), Some(user)) if job.owner_id.as_deref() != Some(user.as_str()) => {
                Err(refused(
                    StatusCode::FORBIDDEN,
                    format!(
                        "job {job_id} belongs to another user; {user} can see only their own jobs"
                    ),
                ))
            }
            _ => Ok((client, job)),
        },
        Ok(None) => Err(plain(
            StatusCode::NOT_FOUND,
            format!("no job {job_id} (it may have been deleted or destroyed)"),
        )),
        Err(e) => Err(unavailable(e)),
    }
}
