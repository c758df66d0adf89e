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
//! A signed-in user's jobs are theirs; an anonymous caller's are listed to whoever holds
//! the job-owner cookie handed out when they were made (`owner_cookie`).
//!
//! Each client's jobs are held to quotas (jobs queued or executing, jobs and bytes kept;
//! [`Quotas`]), a job is checked before it is queued (a job that would fail is stored in
//! ERROR, never run), workers take the next job fairly (a client with fewer jobs running
//! first, at most `workers_per_client` at once), and a panic in a job ends it in ERROR.
//!
//! Does not own: what a job does — a service describes that with [`JobKind`] (TAP runs a
//! query, SODA cuts cubes) — nor job persistence and documents (vo-job-store).

mod create;
mod job;
mod limits;
mod list;
mod owner_cookie;
mod parts;
mod quotas;
mod responses;
mod results;
mod times;
mod worker;

pub use limits::AsyncLimits;
pub use quotas::{Quota, Quotas};
pub use vo_job_store::{Job, JobResult, Lease};
pub use worker::{hand_back, name_is_free, start_workers, stop_claiming};

use actix_web::web;
use bytes::Bytes;
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

    /// The multipart parts a new job keeps (its parameters refer to them), checked and in
    /// the form they are kept in — an uploaded table is read and kept as TABLEDATA, never
    /// raw — or why the request is refused (a 400).
    fn keep_parts(&self, params: &Params) -> Result<Vec<(String, Bytes)>, String>;

    /// Checks the parameters of a job about to be queued, as far as that can be done without
    /// running it: `Err` with the message of a job that would fail (it is then stored in
    /// ERROR and never run).
    fn check(&self, params: &Params) -> Result<(), String>;

    /// The job's `/error` document in the service's own error format: (content type, body).
    fn error_document(&self, message: &str) -> (&'static str, String);

    /// Runs a job (with the service's database pool): writes each result to
    /// `out.dir/<result id>`, at most `out.max_bytes` in all, and returns them in order, or
    /// the message the job fails with. Dropped when the job is aborted, deleted or out of
    /// time; `stop` is set first, for work done outside the future (blocking threads).
    fn run(
        &self,
        job: Job,
        params: Params,
        pool: vo_db::Pool,
        out: Output,
        stop: Stop,
    ) -> impl Future<Output = Result<Vec<JobResult>, String>>;
}

/// Where a running job writes its results, and how many bytes they may take (what its
/// client's quota has left).
#[derive(Debug, Clone)]
pub struct Output {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

impl Output {
    /// The message of a job whose results would take more than its client may keep.
    pub fn over_quota(&self) -> String {
        results_over_quota(self.max_bytes)
    }
}

/// Why a job ends in ERROR when its results do not fit in what its client may still keep
/// (`room` bytes).
pub(crate) fn results_over_quota(room: u64) -> String {
    format!(
        "the job's results would take more than the {room} bytes its client may still keep (quota job_bytes); delete finished jobs, or ask for less (a smaller MAXREC, fewer cutouts)"
    )
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
    /// Every client's quotas (over all services' jobs).
    pub quotas: Quotas,
    /// The directory of every job's uploads and results (`<dir>/<job id>/`).
    pub dir: PathBuf,
    /// Where jobs' uploads and results are kept for every node: `dir` (default), or a bucket
    /// (then `dir` holds only files being written).
    pub storage: vo_storage::Storage,
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
            quotas: self.quotas.clone(),
            dir: self.dir.clone(),
            storage: self.storage.clone(),
            list_path: self.list_path.clone(),
            wake: self.wake.clone(),
        }
    }
}

impl<K> Jobs<K> {
    /// A service's jobs: `service_path` is where the service lives (`/tap`); its job list
    /// is at `<service_path>/async`.
    pub fn new(kind: K, limits: AsyncLimits, dir: PathBuf, service_path: &str) -> Jobs<K> {
        Jobs {
            kind,
            limits,
            quotas: Quotas::default(),
            storage: vo_storage::Storage::Directory(dir.clone()),
            dir,
            list_path: format!(
                "{}{}",
                service_path.trim_end_matches('/'),
                vo_catalogue::routes::ASYNC
            ),
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The same jobs, held to `quotas`.
    pub fn with_quotas(mut self, quotas: Quotas) -> Jobs<K> {
        self.quotas = quotas;
        self
    }

    /// The same jobs, their files kept in `storage`.
    pub fn with_storage(mut self, storage: vo_storage::Storage) -> Jobs<K> {
        self.storage = storage;
        self
    }

    /// Where one job's uploaded parts and results are written (and, in a directory, kept).
    pub fn job_dir(&self, job_id: &str) -> PathBuf {
        self.storage.job_dir(job_id)
    }
}

/// The UWS resources, to register inside the service's own scope (at `/async` in it). The
/// application provides `web::Data<vo_db::Pool>`.
pub fn scope<K: JobKind>(jobs: Jobs<K>) -> actix_web::Scope {
    let rules = vo_endpoint::ParamRules {
        max_body: jobs.kind.max_body(),
        refusal: |e| responses::plain(e.1, e.0),
    };
    web::scope(vo_catalogue::routes::ASYNC)
        .app_data(web::Data::new(rules))
        .app_data(web::Data::new(jobs))
        .service(
            web::resource("")
                .route(web::get().to(list::list::<K>))
                .route(web::post().to(create::create::<K>)),
        )
        .service(
            web::resource("/{job}")
                .route(web::get().to(job::job::<K>))
                .route(web::post().to(job::post_job::<K>))
                .route(web::delete().to(job::delete::<K>)),
        )
        .service(web::resource("/{job}/results/{result}").get(results::result::<K>))
        .service(
            web::resource("/{job}/{part}")
                .route(web::get().to(parts::part::<K>))
                .route(web::post().to(parts::set_part::<K>)),
        )
}
