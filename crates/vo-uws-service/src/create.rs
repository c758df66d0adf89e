//! POST to the job list: a new job, PENDING or (with PHASE=RUN) QUEUED; 303 to it. Its
//! client's quotas are checked first (and again, atomically, as it is stored); its uploaded
//! parts are checked and kept in their checked form; a job asked to run is checked, and
//! stored in ERROR if it would fail.

use crate::owner_cookie;
use crate::quotas::quota_key;
use crate::responses::{caller, is_control, plain, see_other, unavailable, urls};
use crate::times::{destruction_time, execution_duration};
use crate::{JobKind, Jobs};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration as Span, Utc};
use vo_endpoint::Params;
use vo_job_store::{Adding, JobStore, NewJob, Phase};

/// A part name safe to use as a file name.
fn safe_part_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with('.')
}

pub async fn create<K: JobKind>(
    request: HttpRequest,
    params: Params,
    jobs: web::Data<Jobs<K>>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let own_params: Vec<(String, String)> = params
        .pairs()
        .iter()
        .filter(|(n, _)| !is_control(n))
        .cloned()
        .collect();
    let run = match params.get("PHASE").map(str::trim) {
        None => false,
        Some(p) if p.eq_ignore_ascii_case("RUN") => true,
        Some(p) => {
            return plain(
                StatusCode::BAD_REQUEST,
                format!("PHASE={p} cannot be given when creating a job; use PHASE=RUN"),
            )
        }
    };
    let duration = match params.get("EXECUTIONDURATION") {
        Some(v) => match execution_duration(v, &jobs.limits) {
            Ok(d) => d,
            Err(e) => return plain(StatusCode::BAD_REQUEST, e),
        },
        None => jobs.limits.execution_seconds as i32,
    };
    let destruction = match params.get("DESTRUCTION") {
        Some(v) => match destruction_time(v, &jobs.limits) {
            Ok(d) => d,
            Err(e) => return plain(StatusCode::BAD_REQUEST, e),
        },
        None => Utc::now() + Span::seconds(jobs.limits.retention_seconds as i64),
    };
    // a signed-in caller owns the job; an anonymous job is reachable by its URL only
    let owner = match caller(&request, &pool).await {
        Ok(owner) => owner,
        Err(r) => return r,
    };
    let key = quota_key(owner.as_deref(), &vo_endpoint::client_of(&request));
    let quota = jobs.quotas.of(owner.is_some());
    let list = urls(&request, &jobs).list;
    let client = match pool.get().await {
        Ok(c) => c,
        Err(e) => return unavailable(e),
    };
    let store = JobStore::new(&client, jobs.kind.service());
    // a client over a quota is refused before its uploads are read and checked (the store
    // checks again, atomically, when the job is stored)
    let early = Adding {
        job: true,
        active: run,
        bytes: 0,
    };
    match store.admit(&key, early, &quota.limits()).await {
        Ok(over) if over.quota.is_empty() => {}
        Ok(over) => return jobs.quotas.refusal(owner.is_some(), &over, &list),
        Err(e) => return unavailable(e),
    }
    let kept = match jobs.kind.keep_parts(&params) {
        Ok(kept) => kept,
        Err(message) => return plain(StatusCode::BAD_REQUEST, message),
    };
    if let Some((name, _)) = kept.iter().find(|(n, _)| !safe_part_name(n)) {
        return plain(
            StatusCode::BAD_REQUEST,
            format!(
                "the multipart part name '{name}' is not allowed (letters, digits, _ - . only)"
            ),
        );
    }
    let parts_bytes: i64 = kept.iter().map(|(_, data)| data.len() as i64).sum();
    // a job asked to run is checked now: one that would fail is stored in ERROR, not run
    let refused = if run {
        jobs.kind.check(&params).err()
    } else {
        None
    };
    let phase = match (&refused, run) {
        (Some(_), _) => Phase::Error,
        (None, true) => Phase::Queued,
        (None, false) => Phase::Pending,
    };
    // an anonymous caller owns the job through their job-owner cookie
    let secret = owner.is_none().then(|| owner_cookie::secret_for(&request));
    let anonymous_owner = secret.as_deref().map(owner_cookie::digest);
    let created = store
        .create(
            &NewJob {
                parameters: &own_params,
                run_id: params.get("RUNID"),
                owner_id: owner.as_deref(),
                anonymous_owner: anonymous_owner.as_deref(),
                quota_key: &key,
                parts_bytes,
                execution_duration: duration,
                destruction,
                phase,
                error_message: refused.as_deref(),
            },
            &quota.limits(),
        )
        .await;
    let job = match created {
        Ok(Ok(job)) => job,
        Ok(Err(over)) => return jobs.quotas.refusal(owner.is_some(), &over, &list),
        Err(e) => return unavailable(e),
    };
    let dir = jobs.job_dir(&job.job_id).join("parts");
    for (name, data) in &kept {
        let file = dir.join(name);
        let written = match std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&file, data))
        {
            Ok(()) => jobs
                .storage
                .keep(&job.job_id, &format!("parts/{name}"), &file)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = written {
            let _ = store.delete(&job.job_id).await;
            let _ = jobs.storage.delete_job(&job.job_id).await;
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot keep the uploaded table: {e}"),
            );
        }
    }
    if phase == Phase::Queued {
        jobs.wake.notify_waiters();
    }
    let location = urls(&request, &jobs).job(&job.job_id);
    let secure = location.starts_with("https://");
    let mut response = see_other(location);
    if let Some(secret) = secret {
        let cookie = owner_cookie::set_cookie(&secret, jobs.limits.retention_hard_seconds, secure);
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&cookie) {
            response
                .headers_mut()
                .insert(actix_web::http::header::SET_COOKIE, value);
        }
    }
    response
}
