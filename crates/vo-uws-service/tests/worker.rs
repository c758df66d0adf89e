//! The shared workers on a throwaway cluster, with a kind of job made for the test: results
//! are moved into place only when a job completes; a failing job, one that outruns its
//! execution duration and one that names a bad result end in ERROR with the reason and
//! leave no files; an aborted job's stop signal reaches work running outside its future; a
//! job that panics ends in ERROR and the workers go on; results over the client's quota
//! are not kept; one client's long jobs do not hold every worker.

use chrono::{Duration as Span, Utc};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use vo_db::testing::TestCluster;
use vo_endpoint::Params;
use vo_job_store::{JobStore, Limits, NewJob, Phase};
use vo_uws_service::{AsyncLimits, Job, JobKind, JobResult, Jobs, Output, Quota, Quotas, Stop};

const UNLIMITED: Limits = Limits {
    active_jobs: i64::MAX,
    jobs: i64::MAX,
    bytes: i64::MAX,
};

/// Does what its MODE parameter says; counts the stop signals its background work saw.
#[derive(Clone, Default)]
struct TestJobs {
    stops_seen: Arc<AtomicUsize>,
}

impl JobKind for TestJobs {
    fn service(&self) -> &'static str {
        "test"
    }

    fn max_body(&self) -> usize {
        1024
    }

    fn keep_parts(&self, _params: &Params) -> Result<Vec<(String, bytes::Bytes)>, String> {
        Ok(Vec::new())
    }

    fn check(&self, _params: &Params) -> Result<(), String> {
        Ok(())
    }

    fn error_document(&self, message: &str) -> (&'static str, String) {
        ("text/plain", message.to_string())
    }

    async fn run(
        &self,
        _job: Job,
        params: Params,
        _pool: vo_db::Pool,
        out: Output,
        stop: Stop,
    ) -> Result<Vec<JobResult>, String> {
        let out: PathBuf = out.dir;
        let result = |id: &str, size: i64| JobResult {
            id: id.into(),
            content_type: "text/plain".into(),
            size,
            rows: None,
        };
        match params.get("MODE").unwrap_or_default() {
            "write" => {
                std::fs::write(out.join("one"), "1").unwrap();
                std::fs::write(out.join("two"), "22").unwrap();
                Ok(vec![result("one", 1), result("two", 2)])
            }
            "fail" => {
                std::fs::write(out.join("half"), "written before failing").unwrap();
                Err("broken on purpose".into())
            }
            "panic" => panic!("a bug in a job"),
            "big" => {
                std::fs::write(out.join("big"), vec![b'x'; 5000]).unwrap();
                Ok(vec![result("big", 5000)])
            }
            "bad-id" => {
                std::fs::write(out.join("x"), "x").unwrap();
                Ok(vec![result("x", 1), result("../escape", 1)])
            }
            _ => {
                // blocking work that only the stop signal ends
                std::fs::write(out.join("partial-result"), "…").unwrap();
                let seen = self.stops_seen.clone();
                std::thread::spawn(move || {
                    while !stop.requested() {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    seen.fetch_add(1, Ordering::SeqCst);
                });
                std::future::pending().await
            }
        }
    }
}

async fn wait_for(store: &JobStore<'_>, job_id: &str, done: impl Fn(Phase) -> bool) -> Job {
    let started = Instant::now();
    loop {
        let job = store.get(job_id).await.unwrap().unwrap();
        if done(job.phase) {
            return job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "job {job_id} stuck in {}",
            job.phase.name()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn workers_keep_results_only_of_completed_jobs_and_stop_the_others() {
    let db = TestCluster::start().await;
    let pool = vo_db::make_pool(&db.params(), 4).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kind = TestJobs::default();
    let limits = AsyncLimits {
        workers: 3,
        ..AsyncLimits::default()
    };
    let quota = Quota {
        active_jobs: 100,
        jobs: 100,
        job_bytes: 4096,
    };
    let jobs =
        Jobs::new(kind.clone(), limits, dir.path().to_path_buf(), "/test").with_quotas(Quotas {
            anonymous: quota,
            account: quota,
        });
    let lease = vo_uws_service::Lease {
        node: "test-node".into(),
        term: std::time::Duration::from_secs(5),
    };
    vo_uws_service::start_workers(jobs.clone(), pool.clone(), lease);

    let client = db.client().await;
    let store = JobStore::new(&client, "test");
    let later = Utc::now() + Span::days(1);
    // each job from a client of its own, unless the test says whose it is
    let next_client = AtomicUsize::new(0);
    let submit_as = |mode: &str, seconds: i32, client: Option<&str>| {
        let params = vec![("MODE".to_string(), mode.to_string())];
        let key = match client {
            Some(c) => format!("address {c}"),
            None => format!(
                "address 10.0.0.{}",
                next_client.fetch_add(1, Ordering::SeqCst)
            ),
        };
        let store = &store;
        async move {
            store
                .create(
                    &NewJob {
                        parameters: &params,
                        run_id: None,
                        owner_id: None,
                        anonymous_owner: None,
                        quota_key: &key,
                        parts_bytes: 0,
                        execution_duration: seconds,
                        destruction: later,
                        phase: Phase::Queued,
                        error_message: None,
                    },
                    &UNLIMITED,
                )
                .await
                .unwrap()
                .expect("within the quotas")
                .job_id
        }
    };
    let submit = |mode: &str, seconds: i32| submit_as(mode, seconds, None);
    let written = submit("write", 60).await;
    let failing = submit("fail", 60).await;
    let bad_id = submit("bad-id", 60).await;
    jobs.wake.notify_waiters();
    let final_phase = |p: Phase| p.is_final();

    let done = wait_for(&store, &written, final_phase).await;
    assert_eq!(done.phase, Phase::Completed);
    let ids: Vec<(&str, i64)> = done
        .results
        .iter()
        .map(|r| (r.id.as_str(), r.size))
        .collect();
    assert_eq!(ids, vec![("one", 1), ("two", 2)]);
    let job_dir = jobs.job_dir(&written);
    assert_eq!(std::fs::read_to_string(job_dir.join("two")).unwrap(), "22");
    assert!(!job_dir.join("partial").exists(), "nothing left half-way");

    let failed = wait_for(&store, &failing, final_phase).await;
    assert_eq!(
        (failed.phase, failed.error_message.as_deref()),
        (Phase::Error, Some("broken on purpose"))
    );
    assert!(failed.results.is_empty());
    assert!(!jobs.job_dir(&failing).join("partial").exists());
    assert!(!jobs.job_dir(&failing).join("half").exists());

    let refused = wait_for(&store, &bad_id, final_phase).await;
    assert_eq!(refused.phase, Phase::Error);
    assert!(
        refused
            .error_message
            .as_deref()
            .unwrap()
            .contains("bad id '../escape'"),
        "{:?}",
        refused.error_message
    );
    assert!(!dir.path().join("escape").exists());

    // a panic in a job ends it in ERROR; the workers go on
    let panicking = submit("panic", 60).await;
    jobs.wake.notify_waiters();
    let panicked = wait_for(&store, &panicking, final_phase).await;
    assert_eq!(panicked.phase, Phase::Error);
    assert!(panicked.error_message.unwrap().contains("internal error"));

    // results over what the client may keep are not kept
    let big = submit("big", 60).await;
    jobs.wake.notify_waiters();
    let over = wait_for(&store, &big, final_phase).await;
    assert_eq!(over.phase, Phase::Error);
    assert!(over.error_message.unwrap().contains("quota job_bytes"));
    assert!(!jobs.job_dir(&big).join("big").exists());

    // one client's long jobs take at most workers_per_client (1) of the 3 workers: another
    // client's job is served meanwhile
    let long_a = submit_as("sleep", 600, Some("192.0.2.1")).await;
    let long_b = submit_as("sleep", 600, Some("192.0.2.1")).await;
    jobs.wake.notify_waiters();
    wait_for(&store, &long_a, |p| p == Phase::Executing).await;
    // a node started under this node's name while it executes a job is refused (the job's
    // lease is renewed meanwhile); under a name of its own it starts at once
    let same_name = vo_uws_service::Lease {
        node: "test-node".into(),
        term: Duration::from_secs(5),
    };
    let refused = vo_uws_service::name_is_free(&pool, &same_name, &["test"])
        .await
        .unwrap_err();
    assert!(
        refused.contains("another node runs under the name 'test-node'"),
        "{refused}"
    );
    let own_name = vo_uws_service::Lease {
        node: "another-node".into(),
        ..same_name
    };
    vo_uws_service::name_is_free(&pool, &own_name, &["test"])
        .await
        .unwrap();
    let quick = submit("write", 60).await;
    jobs.wake.notify_waiters();
    assert_eq!(
        wait_for(&store, &quick, final_phase).await.phase,
        Phase::Completed
    );
    assert_eq!(
        store.get(&long_b).await.unwrap().unwrap().phase,
        Phase::Queued,
        "the same client's second job waits for its first"
    );
    let usage = store
        .admit("address 192.0.2.1", Default::default(), &UNLIMITED)
        .await
        .unwrap()
        .usage;
    assert_eq!((usage.active_jobs, usage.jobs), (2, 2));
    for long in [&long_a, &long_b] {
        assert!(store.abort(long).await.unwrap());
    }

    // out of time: ERROR saying so, and the background work told to stop
    let slow = submit("sleep", 1).await;
    jobs.wake.notify_waiters();
    let timed_out = wait_for(&store, &slow, final_phase).await;
    assert_eq!(timed_out.phase, Phase::Error);
    assert!(timed_out
        .error_message
        .as_deref()
        .unwrap()
        .contains("longer than its execution duration of 1 s"));
    assert!(!jobs.job_dir(&slow).join("partial").exists());

    // aborted while executing: stopped, nothing kept
    let aborted = submit("sleep", 600).await;
    jobs.wake.notify_waiters();
    wait_for(&store, &aborted, |p| p == Phase::Executing).await;
    assert!(store.abort(&aborted).await.unwrap());
    let started = Instant::now();
    while kind.stops_seen.load(Ordering::SeqCst) < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the aborted job's work was not told to stop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = store.get(&aborted).await.unwrap().unwrap();
    assert_eq!((after.phase, after.results.len()), (Phase::Aborted, 0));
    let started = Instant::now();
    while jobs.job_dir(&aborted).join("partial").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "partial results removed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
