//! A completed job's result files, with Range and conditional requests. Only results the
//! database lists for a COMPLETED job are served, so files being written never are.

use crate::responses::{find, plain};
use crate::{JobKind, Jobs};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_job_store::Phase;

pub async fn result<K: JobKind>(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (job_id, result_id) = path.into_inner();
    let (_, job) = match find(&request, &pool, &jobs, &job_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    if job.phase != Phase::Completed {
        return plain(
            StatusCode::NOT_FOUND,
            format!(
                "job {} has no results: it is {}",
                job.job_id,
                job.phase.name()
            ),
        );
    }
    let Some(result) = job.results.iter().find(|r| r.id == result_id) else {
        let ids: Vec<&str> = job.results.iter().map(|r| r.id.as_str()).collect();
        return plain(
            StatusCode::NOT_FOUND,
            format!(
                "job {} has no result '{result_id}'; its results are: {}",
                job.job_id,
                ids.join(", ")
            ),
        );
    };
    let file = jobs.job_dir(&job.job_id).join(&result.id);
    match actix_files::NamedFile::open_async(&file).await {
        Ok(f) => {
            let content_type = result
                .content_type
                .parse::<mime::Mime>()
                .unwrap_or(mime::APPLICATION_OCTET_STREAM);
            f.set_content_type(content_type)
                .disable_content_disposition()
                .into_response(&request)
        }
        Err(e) => plain(
            StatusCode::GONE,
            format!(
                "result '{}' of job {} is no longer on disk: {e}",
                result.id, job.job_id
            ),
        ),
    }
}
