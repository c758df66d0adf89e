//! The workers that run a service's queued jobs: a fixed number of them, each claiming the
//! next QUEUED job of its service fairly (`uws.claim_next`: a client with fewer jobs running
//! first, at most `workers_per_client` of one client at once) and running it with the
//! service's [`JobKind`] — a panic in it ends the job in ERROR. Results are written to `<job dir>/partial/` and moved next to the job's
//! parts only when it completes, so an aborted, failed or interrupted job leaves nothing
//! behind. A job aborted or deleted while it runs, or past its execution duration, is
//! stopped (its future dropped, which cancels a query).
//!
//! Several nodes may serve one database: each holds the jobs it executes by a lease
//! ([`Lease`]) that the worker renews as it checks for an abort, and records a job's end only
//! while it holds it. Every node looks for jobs whose lease ran out (their node stopped) and
//! runs them again (or, after repeated starts, ends them in ERROR with the reason); at start,
//! a node does so at once for the jobs its earlier life held, and for no other node's.
//! Expired jobs are destroyed, their files with them, by one node at a time. Results are
//! kept only if they fit in what the job's client may still keep.

use crate::{JobKind, JobResult, Jobs, Output, Stop};
use bytes::Bytes;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use vo_endpoint::Params;
use vo_job_store::{Job, JobStore, Lease};

/// A job started this many times and interrupted by restarts every time is not run again.
const MAX_ATTEMPTS: i32 = 3;

/// How often a running job's lease is renewed, which also tells whether it was aborted.
const CHECK_EVERY: Duration = Duration::from_millis(500);

/// Starts the workers and the janitors of one service on the current (actix) runtime; the
/// jobs they execute are held by `lease`.
pub fn start_workers<K: JobKind>(jobs: Jobs<K>, pool: vo_db::Pool, lease: Lease) {
    actix_web::rt::spawn(async move {
        let service = jobs.kind.service();
        match pool.get().await {
            Ok(client) => match JobStore::new(&client, service)
                .recover(&lease.node, MAX_ATTEMPTS)
                .await
            {
                Ok((0, 0)) => {}
                Ok((requeued, failed)) => {
                    tracing::info!(
                        service,
                        requeued,
                        failed,
                        "jobs interrupted by the last stop"
                    )
                }
                Err(e) => tracing::warn!(service, error = %e, "cannot recover interrupted jobs"),
            },
            Err(e) => {
                tracing::warn!(service, error = %e, "cannot recover interrupted jobs: no database")
            }
        }
        for _ in 0..jobs.limits.workers.max(1) {
            let (jobs, pool, lease) = (jobs.clone(), pool.clone(), lease.clone());
            actix_web::rt::spawn(async move { work(jobs, pool, lease).await });
        }
        let (lost_jobs, lost_pool, term) = (jobs.clone(), pool.clone(), lease.term);
        actix_web::rt::spawn(async move { end_lost_jobs(lost_jobs, lost_pool, term).await });
        janitor(jobs, pool).await;
    });
}

/// Set when the node drains: its workers claim no more jobs.
static CLAIMING_STOPPED: AtomicBool = AtomicBool::new(false);

/// The node drains: its workers finish the job in hand (unless it is handed back first,
/// [`hand_back`]) and claim no other.
pub fn stop_claiming() {
    CLAIMING_STOPPED.store(true, Ordering::SeqCst);
}

/// Refuses a node that would start under the name of a node still running: while this one
/// waits a few renewal periods, the leases of the jobs held under its name move on only if
/// their node is alive. Two nodes under one name would end each other's jobs as their own at
/// every start; a node that stopped or was killed leaves leases that stay put, and its jobs
/// are then this node's to end. Waits only when jobs are held under the name.
pub async fn name_is_free(
    pool: &vo_db::Pool,
    lease: &Lease,
    services: &[&str],
) -> Result<(), String> {
    let latest = || async {
        let client = pool.get().await.map_err(|e| e.to_string())?;
        let mut latest = None;
        for service in services {
            let seen = JobStore::new(&client, service)
                .latest_lease(&lease.node)
                .await
                .map_err(|e| e.to_string())?;
            latest = latest.max(seen);
        }
        Ok::<_, String>(latest)
    };
    let Some(before) = latest().await? else {
        return Ok(());
    };
    tokio::time::sleep(CHECK_EVERY * 3).await;
    match latest().await? {
        Some(after) if after > before => Err(format!(
            "another node runs under the name '{}': the leases of the jobs it executes were \
             renewed just now; give each node its own server.node",
            lease.node
        )),
        _ => Ok(()),
    }
}

/// The node stops: the jobs it still executes go back to the queue at once, for the other
/// nodes (not counted as a start), instead of waiting for their leases to run out.
/// Returns how many.
pub async fn hand_back(pool: &vo_db::Pool, lease: &Lease, services: &[&str]) -> u64 {
    let Ok(client) = pool.get().await else {
        return 0;
    };
    let mut handed = 0;
    for service in services {
        match JobStore::new(&client, service).hand_back(&lease.node).await {
            Ok(n) => handed += n,
            Err(e) => tracing::warn!(service, error = %e, "cannot hand back this node's jobs"),
        }
    }
    handed
}

async fn work<K: JobKind>(jobs: Jobs<K>, pool: vo_db::Pool, lease: Lease) {
    let service = jobs.kind.service();
    loop {
        if CLAIMING_STOPPED.load(Ordering::SeqCst) {
            return;
        }
        let claimed = match pool.get().await {
            Ok(client) => JobStore::new(&client, service)
                .claim_next(jobs.limits.workers_per_client.max(1) as i32, &lease)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match claimed {
            Ok(Some(job)) => run(&jobs, &pool, &lease, job).await,
            Ok(None) => {
                let _ =
                    tokio::time::timeout(Duration::from_millis(500), jobs.wake.notified()).await;
            }
            Err(e) => {
                tracing::warn!(service, error = %e, "cannot claim jobs");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The job's parameters, with its kept multipart parts read back from storage.
pub(crate) async fn params_of(storage: &vo_storage::Storage, job: &Job) -> Params {
    let mut parts: Vec<(String, Bytes)> = Vec::new();
    for name in storage.list(&job.job_id, "parts").await.unwrap_or_default() {
        if let Ok(Some(data)) = storage.read(&job.job_id, &format!("parts/{name}")).await {
            parts.push((name, data));
        }
    }
    Params::with_parts(job.parameters.clone(), parts)
}

/// Records how a job ended (unless it was aborted or deleted meanwhile). Results are kept
/// only if they fit in what the job's client may still keep, checked as they are recorded
/// (jobs of one client finishing together cannot each take the last bytes); otherwise the
/// job ends in ERROR and their files go.
async fn finish<K: JobKind>(
    jobs: &Jobs<K>,
    pool: &vo_db::Pool,
    lease: &Lease,
    job: &Job,
    outcome: Result<Vec<JobResult>, String>,
) {
    let Ok(client) = pool.get().await else {
        tracing::warn!(job = %job.job_id, "cannot record the end of a job: no database");
        return;
    };
    let store = JobStore::new(&client, jobs.kind.service());
    let max_bytes = jobs.quotas.of(job.owner_id.is_some()).job_bytes;
    let recorded = match &outcome {
        Ok(results) => match store.complete(&job.job_id, results, max_bytes, lease).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                let bytes = results.iter().map(|r| r.size).sum();
                match store.results_fit(&job.quota_key, bytes, max_bytes).await {
                    // aborted or deleted meanwhile, or no longer held
                    Ok(true) => Ok(()),
                    Ok(false) => {
                        for result in results {
                            let _ = jobs.storage.delete(&job.job_id, &result.id).await;
                        }
                        let room = match store
                            .admit(
                                &job.quota_key,
                                Default::default(),
                                &jobs.quotas.of(job.owner_id.is_some()).limits(),
                            )
                            .await
                        {
                            Ok(over) => (max_bytes - over.usage.bytes).max(0) as u64,
                            Err(_) => 0,
                        };
                        store
                            .fail_held(&job.job_id, &crate::results_over_quota(room), lease)
                            .await
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        },
        Err(message) => store.fail_held(&job.job_id, message, lease).await,
    };
    if let Err(e) = recorded {
        tracing::warn!(job = %job.job_id, error = %e, "cannot record the end of a job");
    }
    tracing::info!(service = jobs.kind.service(), job = %job.job_id, ok = outcome.is_ok(), "job finished");
}

/// Renews the job's lease: whether the job was aborted or deleted meanwhile, or is no longer
/// this node's (its lease ran out, and another node ended it). A database that does not
/// answer stops nothing: the lease runs out by itself if it stays silent.
async fn stopped<K: JobKind>(
    jobs: &Jobs<K>,
    pool: &vo_db::Pool,
    lease: &Lease,
    job_id: &str,
) -> bool {
    match pool.get().await {
        Ok(client) => JobStore::new(&client, jobs.kind.service())
            .renew(job_id, lease)
            .await
            .is_ok_and(|held| !held),
        Err(_) => false,
    }
}

/// How a run ended, as the worker saw it.
enum Ended {
    Finished(Result<Vec<JobResult>, String>),
    Aborted,
}

async fn run<K: JobKind>(jobs: &Jobs<K>, pool: &vo_db::Pool, lease: &Lease, job: Job) {
    let dir = jobs.job_dir(&job.job_id);
    let partial = dir.join("partial");
    let _ = std::fs::remove_dir_all(&partial);
    if let Err(e) = std::fs::create_dir_all(&partial) {
        let message = format!("cannot write the job's results: {e}");
        return finish(jobs, pool, lease, &job, Err(message)).await;
    }
    let params = params_of(&jobs.storage, &job).await;
    let out = match room(jobs, pool, &job).await {
        Ok(max_bytes) => Output {
            dir: partial.clone(),
            max_bytes,
        },
        Err(message) => return finish(jobs, pool, lease, &job, Err(message)).await,
    };
    let stop = Stop::default();
    let limit = Duration::from_secs(job.execution_duration.max(1) as u64);
    // boxed, so that dropping it below ends it at once; a panic in it ends the job (logged
    // with the job by the panic hook), not the worker
    let running = jobs
        .kind
        .run(job.clone(), params, pool.clone(), out.clone(), stop.clone());
    let described = vo_endpoint::described(
        format!("{} job {}", jobs.kind.service(), job.job_id),
        running,
    );
    let mut running = Box::pin(AssertUnwindSafe(described).catch_unwind().map(|ran| {
        ran.unwrap_or_else(|_| {
            Err("the job failed (an internal error, logged); please report it with its id".into())
        })
    }));
    let mut deadline = std::pin::pin!(tokio::time::sleep(limit));
    let mut check = tokio::time::interval(CHECK_EVERY);
    let ended = loop {
        tokio::select! {
            outcome = &mut running => break Ended::Finished(outcome),
            _ = &mut deadline => break Ended::Finished(Err(format!(
                "the job ran longer than its execution duration of {} s and was stopped; \
                 ask for more with EXECUTIONDURATION (up to {} s)",
                job.execution_duration, jobs.limits.execution_hard_seconds
            ))),
            _ = check.tick() => {
                if stopped(jobs, pool, lease, &job.job_id).await {
                    break Ended::Aborted;
                }
            }
        }
    };
    // whatever still runs for this job stops: blocking work sees the signal, and dropping
    // the future cancels its query
    stop.request();
    drop(running);
    let outcome = match ended {
        Ended::Aborted => {
            let _ = std::fs::remove_dir_all(&partial);
            tracing::info!(job = %job.job_id, "job aborted while executing");
            return;
        }
        Ended::Finished(Ok(results))
            if results.iter().map(|r| r.size.max(0) as u64).sum::<u64>() > out.max_bytes =>
        {
            Err(out.over_quota())
        }
        Ended::Finished(Ok(results)) => keep(&jobs.storage, &job.job_id, &partial, results).await,
        Ended::Finished(Err(message)) => Err(message),
    };
    let _ = std::fs::remove_dir_all(&partial);
    finish(jobs, pool, lease, &job, outcome).await;
}

/// The bytes a job's results may take: what its client's quota has left now.
async fn room<K: JobKind>(jobs: &Jobs<K>, pool: &vo_db::Pool, job: &Job) -> Result<u64, String> {
    let unavailable = |e: &dyn std::fmt::Display| format!("the job database is not available: {e}");
    let client = pool.get().await.map_err(|e| unavailable(&e))?;
    let quota = jobs.quotas.of(job.owner_id.is_some());
    let taken = JobStore::new(&client, jobs.kind.service())
        .admit(&job.quota_key, Default::default(), &quota.limits())
        .await
        .map_err(|e| unavailable(&e))?
        .usage
        .bytes;
    Ok((quota.job_bytes - taken).max(0) as u64)
}

/// Moves the results out of `partial/` into storage.
async fn keep(
    storage: &vo_storage::Storage,
    job_id: &str,
    partial: &Path,
    results: Vec<JobResult>,
) -> Result<Vec<JobResult>, String> {
    for (n, result) in results.iter().enumerate() {
        if !JobResult::valid_id(&result.id) || results[..n].iter().any(|r| r.id == result.id) {
            return Err(format!(
                "the job produced a result with a bad id '{}'",
                result.id
            ));
        }
        storage
            .keep(job_id, &result.id, &partial.join(&result.id))
            .await
            .map_err(|e| format!("cannot keep result '{}': {e}", result.id))?;
    }
    Ok(results)
}

/// Ends the service's jobs whose lease ran out (their node stopped), looking three times a
/// lease term: such a job ends at most 4/3 of a term after its node's last renewal.
async fn end_lost_jobs<K: JobKind>(jobs: Jobs<K>, pool: vo_db::Pool, term: Duration) {
    let service = jobs.kind.service();
    loop {
        tokio::time::sleep((term / 3).max(Duration::from_millis(100))).await;
        if let Ok(client) = pool.get().await {
            match JobStore::new(&client, service)
                .end_expired_leases(MAX_ATTEMPTS)
                .await
            {
                Ok((0, 0)) => {}
                Ok((requeued, failed)) => {
                    tracing::warn!(
                        service,
                        requeued,
                        failed,
                        "jobs of a node that stopped (their lease ran out)"
                    );
                    jobs.wake.notify_waiters();
                }
                Err(e) => {
                    tracing::warn!(service, error = %e, "cannot end the jobs of stopped nodes")
                }
            }
        }
    }
}

/// Destroys the service's expired jobs once a minute.
async fn janitor<K: JobKind>(jobs: Jobs<K>, pool: vo_db::Pool) {
    let service = jobs.kind.service();
    loop {
        if let Ok(client) = pool.get().await {
            match JobStore::new(&client, service).delete_expired().await {
                Ok(ids) => {
                    for id in &ids {
                        if let Err(e) = jobs.storage.delete_job(id).await {
                            tracing::warn!(service, job = %id, error = %e, "cannot remove an expired job's files");
                        }
                    }
                    if !ids.is_empty() {
                        tracing::info!(service, count = ids.len(), "expired jobs destroyed");
                    }
                }
                Err(e) => tracing::warn!(service, error = %e, "cannot destroy expired jobs"),
            }
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}
