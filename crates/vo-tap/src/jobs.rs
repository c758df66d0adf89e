//! `/tap/async`: UWS 1.1 jobs — creation (303 to the job), the job list with its filters,
//! the job document and each of its parts, phase changes, WAIT, deletion, results with Range.

use crate::TapService;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration as Span, Utc};
use std::time::{Duration, Instant};
use vo_endpoint::{base_url, xml_response, ParamError, Params};
use vo_uws::{Job, JobStore, JobUrls, ListFilter, Phase};

fn urls(request: &HttpRequest) -> JobUrls {
    JobUrls {
        list: format!("{}/tap/async", base_url(request)),
    }
}

fn plain(status: StatusCode, text: impl Into<String>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text.into() + "\n")
}

fn unavailable(e: impl std::fmt::Display) -> HttpResponse {
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the job database is not available: {e}"),
    )
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A part name safe to use as a file name.
fn safe_part_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with('.')
}

/// Where a job keeps its uploaded tables and result.
pub(crate) fn job_dir(service: &TapService, job_id: &str) -> std::path::PathBuf {
    service.jobs_dir.join(job_id)
}

/// Reads the parameters a job is created or updated with; the UWS control parameters are
/// kept apart.
async fn read_params(
    request: &HttpRequest,
    payload: web::Payload,
    service: &TapService,
) -> Result<Params, HttpResponse> {
    Params::read(request, payload, service.limits.upload_bytes)
        .await
        .map_err(|ParamError(e)| plain(StatusCode::BAD_REQUEST, e))
}

const CONTROL: &[&str] = &[
    "PHASE",
    "DESTRUCTION",
    "EXECUTIONDURATION",
    "ACTION",
    "RUNID",
];

pub async fn create(
    request: HttpRequest,
    payload: web::Payload,
    service: web::Data<TapService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = match read_params(&request, payload, &service).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let query_params: Vec<(String, String)> = params
        .pairs()
        .iter()
        .filter(|(n, _)| !CONTROL.iter().any(|c| c.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    let limits = &service.limits.jobs;
    let run = params
        .get("PHASE")
        .map(|p| p.trim().eq_ignore_ascii_case("RUN"))
        .unwrap_or(false);
    if let Some(p) = params
        .get("PHASE")
        .filter(|p| !p.trim().eq_ignore_ascii_case("RUN"))
    {
        return plain(
            StatusCode::BAD_REQUEST,
            format!("PHASE={p} cannot be given when creating a job; use PHASE=RUN"),
        );
    }
    let duration = match params.get("EXECUTIONDURATION") {
        Some(v) => match execution_duration(v, &service) {
            Ok(d) => d,
            Err(r) => return r,
        },
        None => limits.execution_seconds as i32,
    };
    let destruction = match params.get("DESTRUCTION") {
        Some(v) => match destruction_time(v, &service) {
            Ok(d) => d,
            Err(r) => return r,
        },
        None => Utc::now() + Span::seconds(limits.retention_seconds as i64),
    };
    // the parts UPLOAD refers to are kept with the job, under their names (a malformed
    // UPLOAD is reported when the job runs)
    let uploads = crate::upload::parse_upload_param(&params).unwrap_or_default();
    let kept: Vec<&str> = uploads
        .iter()
        .filter_map(|u| u.uri.strip_prefix("param:"))
        .collect();
    if let Some(name) = kept.iter().find(|n| !safe_part_name(n)) {
        return plain(
            StatusCode::BAD_REQUEST,
            format!(
                "the multipart part name '{name}' is not allowed (letters, digits, _ - . only)"
            ),
        );
    }
    let client = match pool.get().await {
        Ok(c) => c,
        Err(e) => return unavailable(e),
    };
    let store = JobStore::new(&client);
    let phase = if run { Phase::Queued } else { Phase::Pending };
    let job = match store
        .create(
            &query_params,
            params.get("RUNID"),
            None,
            duration,
            destruction,
            phase,
        )
        .await
    {
        Ok(j) => j,
        Err(e) => return unavailable(e),
    };
    let dir = job_dir(&service, &job.job_id).join("parts");
    for (name, data) in params
        .parts()
        .iter()
        .filter(|(n, _)| kept.contains(&n.as_str()))
    {
        if let Err(e) =
            std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(dir.join(name), data))
        {
            let _ = store.delete(&job.job_id).await;
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot keep the uploaded table: {e}"),
            );
        }
    }
    if run {
        service.wake.notify_waiters();
    }
    see_other(urls(&request).job(&job.job_id))
}

fn execution_duration(value: &str, service: &TapService) -> Result<i32, HttpResponse> {
    let hard = service.limits.jobs.execution_hard_seconds as i64;
    match value.trim().parse::<i64>() {
        Ok(n) if n <= 0 => Ok(hard as i32),
        Ok(n) => Ok(n.min(hard) as i32),
        Err(_) => Err(plain(
            StatusCode::BAD_REQUEST,
            format!("EXECUTIONDURATION '{value}' is not a number of seconds"),
        )),
    }
}

fn destruction_time(value: &str, service: &TapService) -> Result<DateTime<Utc>, HttpResponse> {
    let latest = Utc::now() + Span::seconds(service.limits.jobs.retention_hard_seconds as i64);
    let parsed = DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(
                value.trim().trim_end_matches('Z'),
                "%Y-%m-%dT%H:%M:%S%.f",
            )
            .map(|t| t.and_utc())
        })
        .map_err(|_| {
            plain(
                StatusCode::BAD_REQUEST,
                format!(
                    "DESTRUCTION '{value}' is not an ISO 8601 time (e.g. 2030-01-01T00:00:00Z)"
                ),
            )
        })?;
    Ok(parsed.min(latest))
}

pub async fn list(request: HttpRequest, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    let params = Params::from_query(request.query_string());
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
        match DateTime::parse_from_rfc3339(after.trim()) {
            Ok(t) => filter.after = Some(t.with_timezone(&Utc)),
            Err(_) => {
                match chrono::NaiveDateTime::parse_from_str(after.trim(), "%Y-%m-%dT%H:%M:%S%.f") {
                    Ok(t) => filter.after = Some(t.and_utc()),
                    Err(_) => {
                        return plain(
                            StatusCode::BAD_REQUEST,
                            format!("AFTER={after} is not an ISO 8601 time"),
                        )
                    }
                }
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
    let client = match pool.get().await {
        Ok(c) => c,
        Err(e) => return unavailable(e),
    };
    match JobStore::new(&client).list(&filter).await {
        Ok(jobs) => xml_response(StatusCode::OK, vo_uws::job_list_xml(&jobs, &urls(&request))),
        Err(e) => unavailable(e),
    }
}

/// Looks a job up; 404 with a message when it does not exist.
async fn find(
    pool: &vo_db::Pool,
    job_id: &str,
) -> Result<(deadpool_postgres::Object, Job), HttpResponse> {
    let client = pool.get().await.map_err(unavailable)?;
    match JobStore::new(&client).get(job_id).await {
        Ok(Some(job)) => Ok((client, job)),
        Ok(None) => Err(plain(
            StatusCode::NOT_FOUND,
            format!("no job {job_id} (it may have been deleted or destroyed)"),
        )),
        Err(e) => Err(unavailable(e)),
    }
}

pub async fn job(
    request: HttpRequest,
    path: web::Path<String>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = Params::from_query(request.query_string());
    let (client, mut job) = match find(&pool, &path).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    if let Some(wait) = params.get("WAIT") {
        let seconds = match wait.trim().parse::<i64>() {
            Ok(n) if n < 0 => MAX_WAIT.as_secs(),
            Ok(n) => (n as u64).min(MAX_WAIT.as_secs()),
            Err(_) => {
                return plain(
                    StatusCode::BAD_REQUEST,
                    format!("WAIT={wait} is not a number of seconds"),
                )
            }
        };
        let wanted = params.get("PHASE").and_then(Phase::parse);
        let started = Instant::now();
        let store = JobStore::new(&client);
        let initial = job.phase;
        while job.phase.is_active()
            && job.phase == initial
            && wanted.map_or(true, |w| w == job.phase)
            && started.elapsed() < Duration::from_secs(seconds)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
            match store.get(&job.job_id).await {
                Ok(Some(j)) => job = j,
                Ok(None) => {
                    return plain(StatusCode::NOT_FOUND, "the job was deleted while waiting")
                }
                Err(e) => return unavailable(e),
            }
        }
    }
    xml_response(StatusCode::OK, vo_uws::job_xml(&job, &urls(&request)))
}

/// WAIT is honoured up to this long (UWS lets the service return earlier).
const MAX_WAIT: Duration = Duration::from_secs(60);

/// POST to the job itself: ACTION=DELETE (or parameter updates while PENDING).
pub async fn post_job(
    request: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    service: web::Data<TapService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = match read_params(&request, payload, &service).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match params.get("ACTION") {
        Some(a) if a.trim().eq_ignore_ascii_case("DELETE") => {
            delete_job(&request, &path, &service, &pool).await
        }
        Some(a) => plain(
            StatusCode::BAD_REQUEST,
            format!("ACTION={a} is not supported; ACTION=DELETE is"),
        ),
        None => update_parameters(&request, &path, params, &pool).await,
    }
}

pub async fn delete(
    request: HttpRequest,
    path: web::Path<String>,
    service: web::Data<TapService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    delete_job(&request, &path, &service, &pool).await
}

async fn delete_job(
    request: &HttpRequest,
    job_id: &str,
    service: &TapService,
    pool: &vo_db::Pool,
) -> HttpResponse {
    let (client, job) = match find(pool, job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let store = JobStore::new(&client);
    // a running job is aborted first so its worker stops and cancels the query
    let _ = store.abort(&job.job_id).await;
    match store.delete(&job.job_id).await {
        Ok(_) => {
            let _ = std::fs::remove_dir_all(job_dir(service, &job.job_id));
            see_other(urls(request).list)
        }
        Err(e) => unavailable(e),
    }
}

async fn update_parameters(
    request: &HttpRequest,
    job_id: &str,
    params: Params,
    pool: &vo_db::Pool,
) -> HttpResponse {
    let (client, job) = match find(pool, job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let mut parameters = job.parameters.clone();
    for (name, value) in params.pairs() {
        if CONTROL.iter().any(|c| c.eq_ignore_ascii_case(name)) {
            continue;
        }
        parameters.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        parameters.push((name.clone(), value.clone()));
    }
    match JobStore::new(&client)
        .set_parameters(&job.job_id, &parameters)
        .await
    {
        Ok(true) => see_other(urls(request).job(&job.job_id)),
        Ok(false) => plain(
            StatusCode::CONFLICT,
            format!(
                "job {} is {}; parameters can change only while PENDING",
                job.job_id,
                job.phase.name()
            ),
        ),
        Err(e) => unavailable(e),
    }
}

/// GET of one part of a job: phase, quote, executionduration, destruction, error, owner,
/// parameters, results.
pub async fn part(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (job_id, part) = path.into_inner();
    let (_, job) = match find(&pool, &job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    match part.as_str() {
        "phase" => plain(StatusCode::OK, job.phase.name()),
        "quote" => plain(StatusCode::OK, ""),
        "executionduration" => plain(StatusCode::OK, job.execution_duration.to_string()),
        "destruction" => plain(StatusCode::OK, time(&job.destruction)),
        "owner" => plain(StatusCode::OK, job.owner_id.clone().unwrap_or_default()),
        "error" => match (job.phase, &job.error_message) {
            (Phase::Error, Some(m)) => HttpResponse::Ok()
                .content_type("application/x-votable+xml")
                .body(vo_results::error_votable(m)),
            _ => plain(StatusCode::NOT_FOUND, format!("job {} has no error (it is {})", job.job_id, job.phase.name())),
        },
        "parameters" => xml_response(StatusCode::OK, vo_uws::parameters_xml(&job)),
        "results" => xml_response(StatusCode::OK, vo_uws::results_xml(&job, &urls(&request))),
        other => plain(StatusCode::NOT_FOUND, format!("a job has no '{other}'; it has phase, quote, executionduration, destruction, error, owner, parameters, results")),
    }
}

/// POST to a part: phase (RUN, ABORT), executionduration, destruction.
pub async fn set_part(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    service: web::Data<TapService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (job_id, part) = path.into_inner();
    let params = match read_params(&request, payload, &service).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (client, job) = match find(&pool, &job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let store = JobStore::new(&client);
    let job_url = urls(&request).job(&job.job_id);
    match part.as_str() {
        "phase" => match params.get("PHASE").map(|p| p.trim().to_ascii_uppercase()) {
            Some(p) if p == "RUN" => {
                if job.phase == Phase::Pending || job.phase == Phase::Held {
                    if let Err(e) = store.queue(&job.job_id).await {
                        return unavailable(e);
                    }
                    service.wake.notify_waiters();
                    see_other(job_url)
                } else if job.phase.is_final() {
                    plain(
                        StatusCode::CONFLICT,
                        format!(
                            "job {} is {} and cannot run again",
                            job.job_id,
                            job.phase.name()
                        ),
                    )
                } else {
                    see_other(job_url)
                }
            }
            Some(p) if p == "ABORT" => match store.abort(&job.job_id).await {
                Ok(_) => see_other(job_url),
                Err(e) => unavailable(e),
            },
            other => plain(
                StatusCode::BAD_REQUEST,
                format!(
                    "PHASE={} is not supported; use PHASE=RUN or PHASE=ABORT",
                    other.unwrap_or_default()
                ),
            ),
        },
        "executionduration" => {
            let Some(v) = params.get("EXECUTIONDURATION") else {
                return plain(StatusCode::BAD_REQUEST, "EXECUTIONDURATION is missing");
            };
            let seconds = match execution_duration(v, &service) {
                Ok(s) => s,
                Err(r) => return r,
            };
            match store.set_execution_duration(&job.job_id, seconds).await {
                Ok(true) => see_other(job_url),
                Ok(false) => plain(
                    StatusCode::CONFLICT,
                    format!(
                        "job {} is {}; its execution duration can change only while PENDING",
                        job.job_id,
                        job.phase.name()
                    ),
                ),
                Err(e) => unavailable(e),
            }
        }
        "destruction" => {
            let Some(v) = params.get("DESTRUCTION") else {
                return plain(StatusCode::BAD_REQUEST, "DESTRUCTION is missing");
            };
            let when = match destruction_time(v, &service) {
                Ok(t) => t,
                Err(r) => return r,
            };
            match store.set_destruction(&job.job_id, when).await {
                Ok(()) => see_other(job_url),
                Err(e) => unavailable(e),
            }
        }
        "parameters" => update_parameters(&request, &job.job_id, params, &pool).await,
        other => plain(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("'{other}' of a job cannot be changed"),
        ),
    }
}

/// The result file, with Range and conditional requests.
pub async fn result(
    request: HttpRequest,
    path: web::Path<String>,
    service: web::Data<TapService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (_, job) = match find(&pool, &path).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    if job.phase != Phase::Completed {
        return plain(
            StatusCode::NOT_FOUND,
            format!(
                "job {} has no result: it is {}",
                job.job_id,
                job.phase.name()
            ),
        );
    }
    let file = job_dir(&service, &job.job_id).join("result");
    match actix_files::NamedFile::open_async(&file).await {
        Ok(f) => {
            let content_type = job
                .result_content_type
                .as_deref()
                .and_then(|t| t.parse::<mime::Mime>().ok())
                .unwrap_or(mime::APPLICATION_OCTET_STREAM);
            f.set_content_type(content_type)
                .disable_content_disposition()
                .into_response(&request)
        }
        Err(e) => plain(
            StatusCode::GONE,
            format!("the result of job {} is no longer on disk: {e}", job.job_id),
        ),
    }
}
