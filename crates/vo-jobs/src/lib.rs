//! UWS 1.1 over HTTP, for every service with asynchronous jobs (`/tap/async`,
//! `/soda/async`), so no endpoint crate copies it.
//!
//! Owns: the job-list resource (creation with a 303 to the job, the PHASE/AFTER/LAST
//! filters), the job document with WAIT, each of its parts and their changes (RUN, ABORT,
//! execution duration, destruction, parameters while PENDING), deletion, results served
//! with Range and conditional requests; the workers that claim a service's queued jobs,
//! give a running job a stop signal when it is aborted, deleted or out of time, keep its
//! result files only when it completes, and recover jobs interrupted by a stop; and the
//! janitor that destroys expired jobs with their files.
//!
//! Does not own: what a job does — a service describes that with [`JobKind`] (TAP runs a
//! query, SODA cuts cubes) — nor job persistence and documents (vo-uws).

mod create;
mod job;
mod limits;
mod list;
mod parts;
mod responses;
mod results;
mod times;
mod worker;

pub use limits::AsyncLimits;
pub use vo_uws::{Job, JobResult};
pub use worker::start_workers;

use actix_web::web;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use vo_endpoint::Params;

/// What a service's jobs are: how they are checked when created and how they run.
pub trait JobKind: Clone + 'static {
    /// The name the service's jobs are stored under (`tap`, `soda`).
    fn service(&self) -> &'static str;

    /// The largest request body (with its uploads) a job may be created or changed with.
    fn max_body(&self) -> usize;

    /// Checks a new job's parameters before it is stored: the names of the multipart parts
    /// to keep with it (its parameters refer to them), or why the request is refused.
    fn kept_parts(&self, params: &Params) -> Result<Vec<String>, String>;

    /// The job's `/error` document in the service's own error format: (content type, body).
    fn error_document(&self, message: &str) -> (&'static str, String);

    /// Runs a job (with the service's database pool): writes each result to
    /// `out/<result id>` and returns them in order, or the message the job fails with. Dropped when the job is aborted, deleted or out of
    /// time; `stop` is set first, for work done outside the future (blocking threads).
    fn run(
        &self,
        job: Job,
        params: Params,
        pool: vo_db::Pool,
        out: PathBuf,
        stop: Stop,
    ) -> impl Future<Output = Result<Vec<JobResult>, String>>;
}

/// Set when a running job must stop.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    pub(crate) fn request(&self) {
        self.0.store(true, Ordering::Relaxed)
    }
}

/// A service's jobs: what they are, their limits, and where they live.
#[derive(Debug)]
pub struct Jobs<K> {
    pub kind: K,
    pub limits: AsyncLimits,
    /// The directory of every job's uploads and results (`<dir>/<job id>/`).
    pub dir: PathBuf,
    /// The job list's path on the server, e.g. `/tap/async`.
    pub list_path: String,
    /// Wakes the workers when a job is queued.
    pub wake: Arc<tokio::sync::Notify>,
}

impl<K: Clone> Clone for Jobs<K> {
    fn clone(&self) -> Self {
        Jobs {
            kind: self.kind.clone(),
            limits: self.limits.clone(),
            dir: self.dir.clone(),
            list_path: self.list_path.clone(),
            wake: self.wake.clone(),
        }
    }
}

impl<K> Jobs<K> {
    pub fn new(kind: K, limits: AsyncLimits, dir: PathBuf, list_path: &str) -> Jobs<K> {
        Jobs {
            kind,
            limits,
            dir,
            list_path: list_path.trim_end_matches('/').to_string(),
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Where one job keeps its uploaded parts and results.
    pub fn job_dir(&self, job_id: &str) -> PathBuf {
        self.dir.join(job_id)
    }
}

/// The UWS resources at `list_path` (a scope to register on the application, or inside
/// the service's own scope with a path relative to it). The application provides
/// `web::Data<vo_db::Pool>`.
pub fn scope<K: JobKind>(jobs: Jobs<K>, relative_path: &str) -> actix_web::Scope {
    web::scope(relative_path)
        .app_data(web::Data::new(jobs))
        .route("", web::get().to(list::list::<K>))
        .route("", web::post().to(create::create::<K>))
        .route("/{job}", web::get().to(job::job::<K>))
        .route("/{job}", web::post().to(job::post_job::<K>))
        .route("/{job}", web::delete().to(job::delete::<K>))
        .route(
            "/{job}/results/{result}",
            web::get().to(results::result::<K>),
        )
        .route("/{job}/{part}", web::get().to(parts::part::<K>))
        .route("/{job}/{part}", web::post().to(parts::set_part::<K>))
}
