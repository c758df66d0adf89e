//! `/soda/async`: cutouts as a UWS job (the job resources and workers are vo-uws-service'). One
//! result per cutout, in request order (`cutout-1`, `cutout-2`, …): a FITS file holding
//! that cutout, or — for a combination that misses its dataset — a text/plain
//! `UsageError: no overlap: …` saying which and why, so the others still arrive. A job whose
//! every cutout misses, or whose parameters are wrong, ends in ERROR with SODA's message.

use crate::cutouts::{find_files, plan_each, Planned};
use crate::errors::SodaError;
use crate::SodaService;
use std::io::Write;
use std::path::{Path, PathBuf};
use vo_archive::Reader;
use vo_cutout::{Cube, Cutout};
use vo_endpoint::Params;
use vo_uws_service::{Job, JobKind, JobResult, Jobs, Output, Stop};

/// SODA's kind of job.
#[derive(Debug, Clone)]
pub struct SodaJobs(pub SodaService);

/// The service's jobs, kept under `dir`: one value for its routes and its workers (they
/// share the signal that wakes the workers).
pub fn jobs(service: &SodaService, dir: PathBuf) -> Jobs<SodaJobs> {
    Jobs::new(
        SodaJobs(service.clone()),
        service.limits.jobs.clone(),
        dir,
        vo_catalogue::routes::SODA,
    )
}

impl JobKind for SodaJobs {
    fn service(&self) -> &'static str {
        "soda"
    }

    fn max_body(&self) -> usize {
        vo_endpoint::PARAMETER_BODY
    }

    /// SODA takes no uploads.
    fn keep_parts(&self, _params: &Params) -> Result<Vec<(String, bytes::Bytes)>, String> {
        Ok(Vec::new())
    }

    /// The parameters (which datasets exist, and what they cover, is known when it runs).
    fn check(&self, params: &Params) -> Result<(), String> {
        crate::request::read(params, self.0.limits.max_cutouts)
            .map(|_| ())
            .map_err(|m| SodaError::usage(m).text())
    }

    fn error_document(&self, message: &str) -> (&'static str, String) {
        ("text/plain; charset=utf-8", format!("{message}\n"))
    }

    async fn run(
        &self,
        job: Job,
        params: Params,
        pool: vo_db::Pool,
        out: Output,
        stop: Stop,
    ) -> Result<Vec<JobResult>, String> {
        let service = &self.0;
        let soda = crate::request::read(&params, service.limits.max_cutouts)
            .map_err(|m| SodaError::usage(m).text())?;
        // the job reads what its owner may read
        let reader = match &job.owner_id {
            None => Reader::anonymous(),
            Some(owner) => {
                let client = vo_endpoint::connect(&pool)
                    .await
                    .map_err(|f| SodaError::from_failure(&f).text())?;
                Reader::load(&client, owner)
                    .await
                    .map_err(|e| format!("ServiceUnavailable: {e}"))?
            }
        };
        let files = find_files(&pool, &service.data_dir, &soda, &reader)
            .await
            .map_err(|e| e.text())?;
        tokio::task::spawn_blocking(move || {
            let planned = plan_each(files, &soda).map_err(|e| e.text())?;
            write_results(planned, &out, &stop)
        })
        .await
        .map_err(|e| format!("Error: the cutouts stopped unexpectedly: {e}"))?
    }
}

/// Writes one result file per planned cutout (blocking), within the bytes the job may keep.
fn write_results(
    planned: Vec<Planned>,
    out: &Output,
    stop: &Stop,
) -> Result<Vec<JobResult>, String> {
    if planned.iter().all(Result::is_err) {
        let misses: Vec<String> = planned.into_iter().filter_map(Result::err).collect();
        return Err(SodaError::usage(format!("no overlap: {}", misses.join("; "))).text());
    }
    let mut results = Vec::with_capacity(planned.len());
    let mut kept: u64 = 0;
    for (n, cutout) in planned.iter().enumerate() {
        let id = format!("cutout-{}", n + 1);
        let path = out.dir.join(&id);
        let content_type = match cutout {
            Ok((cube, cutout)) => {
                // refused before it is written when its pixels alone would not fit
                if kept.saturating_add(cutout.data_bytes()) > out.max_bytes {
                    return Err(format!("Error: {}", out.over_quota()));
                }
                write_fits(cube, cutout, &path, stop)?;
                "application/fits"
            }
            Err(why) => {
                let text = SodaError::usage(format!("no overlap: {why}")).text() + "\n";
                std::fs::write(&path, text).map_err(|e| written(&id, e))?;
                "text/plain; charset=utf-8"
            }
        };
        let size = std::fs::metadata(&path).map_err(|e| written(&id, e))?.len();
        kept += size;
        if kept > out.max_bytes {
            return Err(format!("Error: {}", out.over_quota()));
        }
        results.push(JobResult {
            id,
            content_type: content_type.into(),
            size: size as i64,
            rows: None,
        });
    }
    Ok(results)
}

fn written(id: &str, e: std::io::Error) -> String {
    format!("Error: cannot write {id}: {e}")
}

fn write_fits(cube: &Cube, cutout: &Cutout, path: &Path, stop: &Stop) -> Result<(), String> {
    let id = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = std::fs::File::create(path).map_err(|e| written(&id, e))?;
    let mut out = Stoppable {
        inner: std::io::BufWriter::with_capacity(1 << 20, file),
        stop,
    };
    vo_cutout::write_fits(&[(cube, cutout)], &mut out)
        .and_then(|()| out.flush())
        .map_err(|e| written(&id, e))
}

/// A writer that fails once the job must stop, which ends the cut.
struct Stoppable<'s, W> {
    inner: W,
    stop: &'s Stop,
}

impl<W: Write> Write for Stoppable<'_, W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.stop.requested() {
            return Err(std::io::Error::other("the job was stopped"));
        }
        self.inner.write(data)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
