//! A completed job's result files, with Range and conditional requests (ETag, Last-Modified,
//! If-Range), from a directory or a bucket alike. Only results the database lists for a
//! COMPLETED job are served, so files being written never are.

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
    let Some(file) = jobs.storage.local_file(&job.job_id, &result.id) else {
        return stored(&request, &jobs.storage, &job.job_id, result).await;
    };
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

/// A result in a bucket: its bytes streamed from the store, a byte range of them (206, or
/// 416 when none of it exists), or 304 when the client has it (If-None-Match with its ETag,
/// If-Modified-Since).
async fn stored(
    request: &HttpRequest,
    storage: &vo_storage::Storage,
    job_id: &str,
    result: &vo_job_store::JobResult,
) -> HttpResponse {
    use actix_web::http::header;
    let gone = |e: &dyn std::fmt::Display| {
        plain(
            StatusCode::GONE,
            format!(
                "result '{}' of job {job_id} is no longer stored: {e}",
                result.id
            ),
        )
    };
    let described = match storage.describe(job_id, &result.id).await {
        Ok(d) => d,
        Err(e) => return gone(&e),
    };
    let etag = described.etag.clone().unwrap_or_default();
    let modified = header::HttpDate::from(std::time::SystemTime::from(described.modified));
    let header_text = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let same_etag = |given: &str| {
        !etag.is_empty()
            && given
                .split(',')
                .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == etag)
    };
    let unmodified_since = |given: &str| {
        given.parse::<header::HttpDate>().ok().is_some_and(|since| {
            std::time::SystemTime::from(since) >= std::time::SystemTime::from(modified)
        })
    };
    let not_modified = match header_text(header::IF_NONE_MATCH) {
        Some(tags) => same_etag(&tags),
        None => header_text(header::IF_MODIFIED_SINCE).is_some_and(|d| unmodified_since(&d)),
    };
    let answer = |status: StatusCode| {
        let mut r = HttpResponse::build(status);
        r.insert_header((header::ACCEPT_RANGES, "bytes"))
            .insert_header((header::LAST_MODIFIED, modified));
        if !etag.is_empty() {
            r.insert_header((header::ETAG, etag.clone()));
        }
        r
    };
    if not_modified {
        return answer(StatusCode::NOT_MODIFIED).finish();
    }
    let content_type = result.content_type.clone();
    // a Range counts unless If-Range names another version
    let range = header_text(header::RANGE).filter(|_| {
        header_text(header::IF_RANGE).is_none_or(|v| same_etag(&v) || unmodified_since(&v))
    });
    let size = described.size;
    let wanted = match range.map(|r| actix_files::HttpRange::parse(&r, size)) {
        None => None,
        Some(Ok(ranges)) if ranges.len() == 1 => {
            let r = &ranges[0];
            Some(r.start..r.start + r.length)
        }
        // several ranges: the whole result, as a server may answer
        Some(Ok(_)) => None,
        Some(Err(_)) => {
            return answer(StatusCode::RANGE_NOT_SATISFIABLE)
                .insert_header((header::CONTENT_RANGE, format!("bytes */{size}")))
                .finish()
        }
    };
    let body = match storage.stream(job_id, &result.id, wanted.clone()).await {
        Ok(b) => b,
        Err(e) => return gone(&e),
    };
    match wanted {
        Some(r) => answer(StatusCode::PARTIAL_CONTENT)
            .content_type(content_type)
            .insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", r.start, r.end - 1),
            ))
            .no_chunking(r.end - r.start)
            .streaming(body),
        None => answer(StatusCode::OK)
            .content_type(content_type)
            .no_chunking(size)
            .streaming(body),
    }
}
