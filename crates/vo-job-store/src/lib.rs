//! The job store: UWS 1.1 jobs (the pattern behind TAP's and SODA's /async) as data.
//!
//! Owns: the job model and its phases, the rules for moving between phases, persistence in
//! PostgreSQL (`uws.job` and `uws.result`, so jobs survive restarts and workers claim them
//! safely; the leases by which each node of the service holds the jobs it executes, so that
//! a job left by a stopped node is ended by another and a restarted node ends only its own; every operation is scoped to one service, so TAP and SODA jobs never mix), and
//! what a client's jobs take (for quotas), a fair choice of the next job to run, and the XML
//! of a job, a job list and their parts.
//!
//! Does not own: what a job does (the TAP and SODA crates), UWS over HTTP and the workers
//! (vo-uws-service), or where results are stored on disk.

mod model;
mod store;
mod xml;

pub use model::{Job, JobResult, Lease, Phase};
pub use store::{Adding, JobStore, Limits, ListFilter, NewJob, OverQuota, Usage};
pub use xml::{job_list_xml, job_xml, parameters_xml, results_xml, JobUrls};
