//! `/tap/async`: a TAP query as a UWS job. The job resources and workers are vo-uws-service'; this
//! says what a TAP job is — the same planner and executor as /tap/sync, with the job's
//! execution duration as its time limit, its rows written to the result `result`.

use crate::upload::{checked_upload, parse_upload_param};
use crate::TapService;
use bytes::Bytes;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;
use vo_endpoint::Params;
use vo_query::{start_query, Outcome};
use vo_uws_service::{Job, JobKind, JobResult, Jobs, Output, Stop};

/// TAP's kind of job.
#[derive(Debug, Clone)]
pub struct TapJobs(pub TapService);

/// The service's jobs, kept under `dir`: one value for its routes and its workers (they
/// share the signal that wakes the workers).
pub fn jobs(service: &TapService, dir: PathBuf) -> Jobs<TapJobs> {
    Jobs::new(
        TapJobs(service.clone()),
        service.limits.jobs.clone(),
        dir,
        vo_catalogue::routes::TAP,
    )
}

impl JobKind for TapJobs {
    fn service(&self) -> &'static str {
        "tap"
    }

    fn max_body(&self) -> usize {
        self.0.limits.upload_bytes
    }

    /// The tables UPLOAD names as parts (`param:name`), read, checked and kept as TABLEDATA;
    /// an unreadable UPLOAD or table refuses the request.
    fn keep_parts(&self, params: &Params) -> Result<Vec<(String, Bytes)>, String> {
        let mut kept = Vec::new();
        for spec in parse_upload_param(params).map_err(|f| f.message)? {
            let Some(name) = spec.uri.strip_prefix("param:") else {
                continue;
            };
            let data = params.part(name).ok_or_else(|| {
                format!(
                    "UPLOAD {}: the request has no multipart part named '{name}'",
                    spec.name
                )
            })?;
            let table = checked_upload(&spec, data, &self.0.limits).map_err(|f| f.message)?;
            kept.push((name.to_string(), Bytes::from(table)));
        }
        Ok(kept)
    }

    /// The request and its ADQL, as far as they can be checked before the job runs.
    fn check(&self, params: &Params) -> Result<(), String> {
        crate::request::check(params, &self.0).map_err(|f| f.message)
    }

    fn error_document(&self, message: &str) -> (&'static str, String) {
        (
            "application/x-votable+xml",
            vo_results::error_votable(message),
        )
    }

    async fn run(
        &self,
        job: Job,
        params: Params,
        pool: vo_db::Pool,
        out: Output,
        _stop: Stop,
    ) -> Result<Vec<JobResult>, String> {
        let service = &self.0;
        let timeout = Duration::from_secs(job.execution_duration.max(1) as u64);
        let plan = crate::plan(&params, service, timeout, &service.public_url)
            .await
            .map_err(|failure| failure.message)?;
        let content_type = plan.format.content_type().to_string();
        let mut run = start_query(
            &vo_db::Reads::or_primary(service.reads.as_ref(), &pool),
            plan,
            "",
        )
        .await
        .map_err(|failure| failure.message)?;
        let mut file = std::fs::File::create(out.dir.join("result"))
            .map(std::io::BufWriter::new)
            .map_err(|e| format!("cannot write the result: {e}"))?;
        let mut size: i64 = 0;
        while let Some(chunk) = run.chunks.recv().await {
            let bytes = chunk.map_err(|e| e.to_string())?;
            size += bytes.len() as i64;
            // dropping the run cancels the query
            if size as u64 > out.max_bytes {
                return Err(out.over_quota());
            }
            file.write_all(&bytes)
                .map_err(|e| format!("cannot write the result: {e}"))?;
        }
        file.flush()
            .map_err(|e| format!("cannot write the result: {e}"))?;
        match run
            .finished
            .await
            .unwrap_or(Outcome::Failed("the query stopped unexpectedly".into()))
        {
            Outcome::Complete { rows, .. } => Ok(vec![JobResult {
                id: "result".into(),
                content_type,
                size,
                rows: Some(rows as i64),
            }]),
            Outcome::Failed(message) => Err(message),
            Outcome::Abandoned => Err("the query was abandoned".into()),
        }
    }
}
