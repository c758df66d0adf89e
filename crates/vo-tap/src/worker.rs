//! The workers that run queued jobs: a fixed number of them, each claiming the oldest
//! QUEUED job from the database, running it through the same planner and executor as
//! /tap/sync, and writing the result to the job's directory. A job aborted or deleted while
//! it runs has its query cancelled. At start, jobs a previous process left EXECUTING run
//! again (or, after repeated restarts, end in ERROR with the reason). Expired jobs are
//! destroyed, their files with them.

use crate::jobs::job_dir;
use crate::TapService;
use bytes::Bytes;
use std::io::Write;
use std::time::Duration;
use vo_endpoint::{start_query, Outcome, Params};
use vo_uws::{Job, JobStore, Phase};

/// A job started this many times and interrupted by restarts every time is not run again.
const MAX_ATTEMPTS: i32 = 3;

/// Starts the workers and the janitor on the current (actix) runtime.
pub fn start_workers(service: TapService, pool: vo_db::Pool) {
    let recovery = (service.clone(), pool.clone());
    actix_web::rt::spawn(async move {
        let (service, pool) = recovery;
        match pool.get().await {
            Ok(client) => match JobStore::new(&client).recover(MAX_ATTEMPTS).await {
                Ok((0, 0)) => {}
                Ok((requeued, failed)) => {
                    tracing::info!(requeued, failed, "jobs interrupted by the last stop")
                }
                Err(e) => tracing::warn!(error = %e, "cannot recover interrupted jobs"),
            },
            Err(e) => tracing::warn!(error = %e, "cannot recover interrupted jobs: no database"),
        }
        for _ in 0..service.limits.jobs.workers.max(1) {
            let (service, pool) = (service.clone(), pool.clone());
            actix_web::rt::spawn(async move { work(service, pool).await });
        }
        janitor(service, pool).await;
    });
}

async fn work(service: TapService, pool: vo_db::Pool) {
    loop {
        let claimed = match pool.get().await {
            Ok(client) => JobStore::new(&client)
                .claim_next()
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match claimed {
            Ok(Some(job)) => run(&service, &pool, job).await,
            Ok(None) => {
                let _ =
                    tokio::time::timeout(Duration::from_millis(500), service.wake.notified()).await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim jobs");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The job's parameters, with its uploaded tables read back from disk.
fn params_of(service: &TapService, job: &Job) -> Params {
    let dir = job_dir(service, &job.job_id).join("parts");
    let parts = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            std::fs::read(entry.path())
                .ok()
                .map(|data| (name, Bytes::from(data)))
        })
        .collect();
    Params::with_parts(job.parameters.clone(), parts)
}

async fn finish(pool: &vo_db::Pool, job: &Job, result: Result<(String, i64, i64), String>) {
    let Ok(client) = pool.get().await else {
        tracing::warn!(job = %job.job_id, "cannot record the end of a job: no database");
        return;
    };
    let store = JobStore::new(&client);
    let recorded = match &result {
        Ok((content_type, size, rows)) => {
            store
                .complete(&job.job_id, content_type, *size, *rows)
                .await
        }
        Err(message) => store.fail(&job.job_id, message).await,
    };
    if let Err(e) = recorded {
        tracing::warn!(job = %job.job_id, error = %e, "cannot record the end of a job");
    }
    tracing::info!(job = %job.job_id, ok = result.is_ok(), "job finished");
}

/// Whether the job was aborted or deleted meanwhile.
async fn stopped(pool: &vo_db::Pool, job_id: &str) -> bool {
    match pool.get().await {
        Ok(client) => match JobStore::new(&client).get(job_id).await {
            Ok(Some(j)) => j.phase != Phase::Executing,
            Ok(None) => true,
            Err(_) => false,
        },
        Err(_) => false,
    }
}

async fn run(service: &TapService, pool: &vo_db::Pool, job: Job) {
    let timeout = Duration::from_secs(job.execution_duration.max(1) as u64);
    let plan = match crate::plan(
        &params_of(service, &job),
        service,
        timeout,
        &service.public_url,
    )
    .await
    {
        Ok(plan) => plan,
        Err(failure) => return finish(pool, &job, Err(failure.message)).await,
    };
    let content_type = plan.format.content_type().to_string();
    let mut run = match start_query(pool, plan, "").await {
        Ok(run) => run,
        Err(failure) => return finish(pool, &job, Err(failure.message)).await,
    };
    let dir = job_dir(service, &job.job_id);
    let partial = dir.join("result.partial");
    let mut file = match std::fs::create_dir_all(&dir).and_then(|_| std::fs::File::create(&partial))
    {
        Ok(f) => std::io::BufWriter::new(f),
        Err(e) => return finish(pool, &job, Err(format!("cannot write the result: {e}"))).await,
    };
    let mut check = tokio::time::interval(Duration::from_millis(500));
    let mut size: i64 = 0;
    loop {
        tokio::select! {
            chunk = run.chunks.recv() => match chunk {
                Some(Ok(bytes)) => {
                    size += bytes.len() as i64;
                    if let Err(e) = file.write_all(&bytes) {
                        drop(run);
                        let _ = std::fs::remove_file(&partial);
                        return finish(pool, &job, Err(format!("cannot write the result: {e}"))).await;
                    }
                }
                Some(Err(e)) => {
                    drop(run);
                    let _ = std::fs::remove_file(&partial);
                    return finish(pool, &job, Err(e.to_string())).await;
                }
                None => break,
            },
            _ = check.tick() => {
                if stopped(pool, &job.job_id).await {
                    // dropping the run cancels the query
                    drop(run);
                    let _ = std::fs::remove_file(&partial);
                    tracing::info!(job = %job.job_id, "job aborted while executing");
                    return;
                }
            }
        }
    }
    if let Err(e) = file.flush() {
        return finish(pool, &job, Err(format!("cannot write the result: {e}"))).await;
    }
    drop(file);
    let outcome = run
        .finished
        .await
        .unwrap_or(Outcome::Failed("the query stopped unexpectedly".into()));
    match outcome {
        Outcome::Complete { rows, .. } => match std::fs::rename(&partial, dir.join("result")) {
            Ok(()) => finish(pool, &job, Ok((content_type, size, rows as i64))).await,
            Err(e) => finish(pool, &job, Err(format!("cannot keep the result: {e}"))).await,
        },
        Outcome::Failed(message) => {
            let _ = std::fs::remove_file(&partial);
            finish(pool, &job, Err(message)).await
        }
        Outcome::Abandoned => {
            let _ = std::fs::remove_file(&partial);
        }
    }
}

/// Destroys expired jobs once a minute.
async fn janitor(service: TapService, pool: vo_db::Pool) {
    loop {
        if let Ok(client) = pool.get().await {
            match JobStore::new(&client).delete_expired().await {
                Ok(ids) => {
                    for id in &ids {
                        let _ = std::fs::remove_dir_all(job_dir(&service, id));
                    }
                    if !ids.is_empty() {
                        tracing::info!(count = ids.len(), "expired jobs destroyed");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot destroy expired jobs"),
            }
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}
