//! The job resource: its document (with WAIT, UWS 1.1 §2.2.1.1), POST to it (ACTION=DELETE
//! or parameter changes while PENDING) and DELETE.

use crate::responses::{find, is_control, plain, see_other, unavailable, urls};
use crate::{JobKind, Jobs};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::time::{Duration, Instant};
use vo_endpoint::{xml_response, Params};
use vo_job_store::{JobStore, Phase};

/// WAIT is honoured up to this long (UWS lets the service return earlier).
const MAX_WAIT: Duration = Duration::from_secs(60);

pub async fn job<K: JobKind>(
    request: HttpRequest,
    path: web::Path<String>,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = match Params::from_query(request.query_string()) {
        Ok(p) => p,
        Err(e) => return plain(e.1, e.0),
    };
    let (client, mut job) = match find(&request, &pool, &jobs, &path).await {
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
        // the connection goes back to the pool while waiting; each look takes one briefly
        drop(client);
        let initial = job.phase;
        while job.phase.is_active()
            && job.phase == initial
            && !matches!(wanted, Some(w) if w != job.phase)
            && started.elapsed() < Duration::from_secs(seconds)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let client = match pool.get().await {
                Ok(c) => c,
                Err(e) => return unavailable(e),
            };
            match JobStore::new(&client, jobs.kind.service())
                .get(&job.job_id)
                .await
            {
                Ok(Some(j)) => job = j,
                Ok(None) => {
                    return plain(StatusCode::NOT_FOUND, "the job was deleted while waiting")
                }
                Err(e) => return unavailable(e),
            }
        }
    }
    xml_response(
        StatusCode::OK,
        vo_job_store::job_xml(&job, &urls(&request, &jobs)),
    )
}

/// POST to the job itself: ACTION=DELETE, or parameter changes while PENDING.
pub async fn post_job<K: JobKind>(
    request: HttpRequest,
    path: web::Path<String>,
    params: Params,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    match params.get("ACTION") {
        Some(a) if a.trim().eq_ignore_ascii_case("DELETE") => {
            delete_job(&request, &path, &jobs, &pool).await
        }
        Some(a) => plain(
            StatusCode::BAD_REQUEST,
            format!("ACTION={a} is not supported; ACTION=DELETE is"),
        ),
        None => update_parameters(&request, &path, params, &jobs, &pool).await,
    }
}

pub async fn delete<K: JobKind>(
    request: HttpRequest,
    path: web::Path<String>,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    delete_job(&request, &path, &jobs, &pool).await
}

async fn delete_job<K: JobKind>(
    request: &HttpRequest,
    job_id: &str,
    jobs: &Jobs<K>,
    pool: &vo_db::Pool,
) -> HttpResponse {
    let (client, job) = match find(request, pool, jobs, job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let store = JobStore::new(&client, jobs.kind.service());
    // a running job is aborted first so its worker stops it
    let _ = store.abort(&job.job_id).await;
    match store.delete(&job.job_id).await {
        Ok(_) => {
            if let Err(e) = jobs.storage.delete_job(&job.job_id).await {
                tracing::warn!(job = %job.job_id, error = %e, "cannot remove a deleted job's files");
            }
            see_other(urls(request, jobs).list)
        }
        Err(e) => unavailable(e),
    }
}

/// Replaces the named parameters of a PENDING job (409 in any other phase).
pub async fn update_parameters<K: JobKind>(
    request: &HttpRequest,
    job_id: &str,
    params: Params,
    jobs: &Jobs<K>,
    pool: &vo_db::Pool,
) -> HttpResponse {
    let (client, job) = match find(request, pool, jobs, job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    // every parameter named in the request replaces all its earlier values (a repeated
    // parameter, like SODA's CIRCLE, keeps all its new values)
    let changed: Vec<&(String, String)> = params
        .pairs()
        .iter()
        .filter(|(n, _)| !is_control(n))
        .collect();
    let names: std::collections::HashSet<String> = changed
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    let mut parameters = job.parameters.clone();
    parameters.retain(|(n, _)| !names.contains(&n.to_ascii_lowercase()));
    parameters.extend(changed.into_iter().cloned());
    let limits = jobs.quotas.of(job.owner_id.is_some()).limits();
    match JobStore::new(&client, jobs.kind.service())
        .set_parameters(&job.job_id, &parameters, limits.bytes)
        .await
    {
        Ok(true) => see_other(urls(request, jobs).job(&job.job_id)),
        Ok(false) if job.phase == Phase::Pending => plain(
            StatusCode::FORBIDDEN,
            format!(
                "the new parameters of job {} would pass the {} bytes one client may keep (quota job_bytes); send shorter ones, or delete finished jobs",
                job.job_id, limits.bytes
            ),
        ),
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
