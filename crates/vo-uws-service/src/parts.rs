//! The parts of a job (UWS 1.1 §2.2.3): GET of phase, quote, executionduration,
//! destruction, error, owner, parameters and results; POST to phase (RUN, ABORT),
//! executionduration, destruction and parameters.

use crate::job::update_parameters;
use crate::responses::{find, plain, see_other, unavailable, urls};
use crate::times::{destruction_time, execution_duration};
use crate::{JobKind, Jobs};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use vo_endpoint::{xml_response, Params};
use vo_job_store::{JobStore, Phase};

pub async fn part<K: JobKind>(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (job_id, part) = path.into_inner();
    let (_, job) = match find(&request, &pool, &jobs, &job_id).await {
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
            (Phase::Error, Some(m)) => {
                let (content_type, body) = jobs.kind.error_document(m);
                HttpResponse::Ok().content_type(content_type).body(body)
            }
            _ => plain(
                StatusCode::NOT_FOUND,
                format!("job {} has no error (it is {})", job.job_id, job.phase.name()),
            ),
        },
        "parameters" => xml_response(StatusCode::OK, vo_job_store::parameters_xml(&job)),
        "results" => xml_response(
            StatusCode::OK,
            vo_job_store::results_xml(&job, &urls(&request, &jobs)),
        ),
        other => plain(
            StatusCode::NOT_FOUND,
            format!("a job has no '{other}'; it has phase, quote, executionduration, destruction, error, owner, parameters, results"),
        ),
    }
}

pub async fn set_part<K: JobKind>(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    params: Params,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (job_id, part) = path.into_inner();
    let (client, job) = match find(&request, &pool, &jobs, &job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let store = JobStore::new(&client, jobs.kind.service());
    let job_url = urls(&request, &jobs).job(&job.job_id);
    match part.as_str() {
        "phase" => match params.get("PHASE").map(|p| p.trim().to_ascii_uppercase()) {
            Some(p) if p == "RUN" => {
                if job.phase == Phase::Pending || job.phase == Phase::Held {
                    // checked before it is queued: a job that would fail ends in ERROR now
                    let params = crate::worker::params_of(&jobs.storage, &job).await;
                    if let Err(message) = jobs.kind.check(&params) {
                        return match store.fail(&job.job_id, &message).await {
                            Ok(()) => see_other(job_url),
                            Err(e) => unavailable(e),
                        };
                    }
                    // queued only with the parameters just checked, within the quotas
                    let limits = jobs.quotas.of(job.owner_id.is_some()).limits();
                    match store.queue(&job.job_id, &job.parameters, &limits).await {
                        Ok(Ok(Some(Phase::Queued))) => {}
                        Ok(Ok(Some(Phase::Pending | Phase::Held))) => {
                            return plain(
                                StatusCode::CONFLICT,
                                format!(
                                    "the parameters of job {} changed while it was checked; ask again to run it",
                                    job.job_id
                                ),
                            )
                        }
                        Ok(Ok(_)) => return see_other(job_url),
                        Ok(Err(over)) => {
                            let list = urls(&request, &jobs).list;
                            return jobs.quotas.refusal(job.owner_id.is_some(), &over, &list);
                        }
                        Err(e) => return unavailable(e),
                    }
                    jobs.wake.notify_waiters();
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
            let seconds = match execution_duration(v, &jobs.limits) {
                Ok(s) => s,
                Err(e) => return plain(StatusCode::BAD_REQUEST, e),
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
            let when = match destruction_time(v, &jobs.limits) {
                Ok(t) => t,
                Err(e) => return plain(StatusCode::BAD_REQUEST, e),
            };
            match store.set_destruction(&job.job_id, when).await {
                Ok(()) => see_other(job_url),
                Err(e) => unavailable(e),
            }
        }
        "parameters" => update_parameters(&request, &job.job_id, params, &jobs, &pool).await,
        other => plain(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("'{other}' of a job cannot be changed"),
        ),
    }
}
