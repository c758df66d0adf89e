//! Where the clients' read queries go: to a streaming replica of the primary (PostgreSQL's
//! own physical replication) while one is in rotation, else to the primary. Writes (jobs,
//! accounts, requests, delegations) never come here: they use the primary's pool.
//!
//! A watcher ([`watch_replicas`]) asks every replica, every few seconds, how far behind the
//! primary it is: one that does not answer, is not in recovery, or lags more than allowed
//! is taken out of rotation, and one that is well again goes back by itself. A query that
//! cannot get a connection to a replica takes the replica out and goes to the primary.

use crate::{make_pool, make_query_pool, Pool, QueryPool};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One database reads may go to: its general pool (queries in a transaction of their own:
/// long time limits, async jobs) and its query sessions (the sync time limit), if it has.
#[derive(Debug)]
pub struct ReadTarget {
    /// `primary`, or the replica's name.
    pub name: String,
    pub pool: Pool,
    pub sessions: Option<QueryPool>,
}

/// A replica and what the watcher last found.
#[derive(Debug)]
pub struct Replica {
    pub target: ReadTarget,
    in_rotation: AtomicBool,
    /// Lag in milliseconds, `u64::MAX` when unknown.
    lag_ms: AtomicU64,
    /// Why it is out of rotation, if it is.
    problem: Mutex<Option<String>>,
}

/// What the watcher found of a replica, for `/tap/availability` and the metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaState {
    pub name: String,
    pub in_rotation: bool,
    pub lag: Option<Duration>,
    pub problem: Option<String>,
}

impl Replica {
    pub fn state(&self) -> ReplicaState {
        let lag = self.lag_ms.load(Ordering::Relaxed);
        ReplicaState {
            name: self.target.name.clone(),
            in_rotation: self.in_rotation.load(Ordering::Relaxed),
            lag: (lag != u64::MAX).then(|| Duration::from_millis(lag)),
            problem: self.problem.lock().map(|p| p.clone()).unwrap_or(None),
        }
    }

    fn take_out(&self, problem: String) {
        if self.in_rotation.swap(false, Ordering::SeqCst) {
            tracing::warn!(replica = %self.target.name, problem, "replica out of rotation");
        }
        if let Ok(mut p) = self.problem.lock() {
            *p = Some(problem);
        }
        vo_metrics::metrics()
            .replica_in_rotation
            .with_label_values(&[&self.target.name])
            .set(0);
    }

    fn put_back(&self, lag: Duration) {
        if !self.in_rotation.swap(true, Ordering::SeqCst) {
            tracing::info!(replica = %self.target.name, lag_ms = lag.as_millis() as u64, "replica in rotation");
        }
        if let Ok(mut p) = self.problem.lock() {
            *p = None;
        }
        vo_metrics::metrics()
            .replica_in_rotation
            .with_label_values(&[&self.target.name])
            .set(1);
    }
}

/// The primary and the replicas reads may go to.
#[derive(Debug)]
pub struct Reads {
    primary: ReadTarget,
    replicas: Vec<Replica>,
    next: AtomicUsize,
}

impl Reads {
    /// Reads on the primary only.
    pub fn primary_only(pool: Pool, sessions: Option<QueryPool>) -> Reads {
        Reads {
            primary: ReadTarget {
                name: "primary".into(),
                pool,
                sessions,
            },
            replicas: Vec::new(),
            next: AtomicUsize::new(0),
        }
    }

    /// With replicas (libpq-style parameters each, named by their host and port): each gets
    /// pools like the primary's, of `size` connections, query sessions as `role` with
    /// `statement_timeout` in `shards` shards. They start out of rotation until the watcher
    /// has seen them.
    pub fn with_replicas(
        mut self,
        replicas: &[String],
        size: usize,
        shards: usize,
        role: &str,
        statement_timeout: Duration,
    ) -> Result<Reads, String> {
        for params in replicas {
            let name = replica_name(params);
            let replica = Replica {
                target: ReadTarget {
                    name: name.clone(),
                    pool: make_pool(params, size)?,
                    sessions: Some(make_query_pool(
                        params,
                        size,
                        shards,
                        role,
                        statement_timeout,
                    )?),
                },
                in_rotation: AtomicBool::new(false),
                lag_ms: AtomicU64::new(u64::MAX),
                problem: Mutex::new(Some("not yet checked".into())),
            };
            vo_metrics::metrics()
                .replica_in_rotation
                .with_label_values(&[&name])
                .set(0);
            self.replicas.push(replica);
        }
        Ok(self)
    }

    /// `reads` when the application has them, else reads on `pool` alone.
    pub fn or_primary(reads: Option<&Arc<Reads>>, pool: &Pool) -> Arc<Reads> {
        reads
            .cloned()
            .unwrap_or_else(|| Arc::new(Reads::primary_only(pool.clone(), None)))
    }

    pub fn primary(&self) -> &ReadTarget {
        &self.primary
    }

    pub fn replicas(&self) -> &[Replica] {
        &self.replicas
    }

    /// Where the next read goes: the replicas in rotation in turn, else the primary; the
    /// primary when the query writes temporary tables (uploads), which a replica cannot.
    pub fn target(&self, writes_temporary_tables: bool) -> &ReadTarget {
        let in_rotation = || {
            self.replicas
                .iter()
                .filter(|r| r.in_rotation.load(Ordering::Relaxed))
        };
        let up = in_rotation().count();
        let target = if writes_temporary_tables || up == 0 {
            &self.primary
        } else {
            let turn = self.next.fetch_add(1, Ordering::Relaxed) % up;
            // a replica taken out meanwhile: the primary this once
            in_rotation().nth(turn).map_or(&self.primary, |r| &r.target)
        };
        vo_metrics::metrics()
            .reads
            .with_label_values(&[&target.name])
            .inc();
        target
    }

    /// A replica that did not give a connection: out of rotation until the watcher sees it
    /// well again.
    pub fn failed(&self, target: &ReadTarget, problem: &str) {
        if let Some(r) = self
            .replicas
            .iter()
            .find(|r| std::ptr::eq(&r.target, target))
        {
            r.take_out(format!("a query could not connect: {problem}"));
        }
    }
}

/// A replica's name in logs and metrics: its host and port.
fn replica_name(params: &str) -> String {
    let value = |key: &str| {
        params
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
    };
    match (value("host"), value("port")) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => params.to_string(),
    }
}

/// What a replica has replayed: whether it is a standby, and its replay position.
const REPLAYED: &str =
    "SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn()::text, '0/0')";

/// A WAL position (`X/Y` in hex, as PostgreSQL writes a `pg_lsn`) as a number.
fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.trim().split_once('/')?;
    Some((u64::from_str_radix(high, 16).ok()? << 32) | u64::from_str_radix(low, 16).ok()?)
}

/// The primary's WAL position at each recent check, oldest first: a replica's lag is the age
/// of the oldest position it has not replayed yet (it is missing WAL that existed then). The
/// WAL the primary writes with no transaction (checkpoints, standby snapshots) thus shows as
/// a lag of at most one check, not as the time since the last transaction.
#[derive(Debug, Default)]
struct PrimaryPositions {
    seen: std::collections::VecDeque<(u64, std::time::Instant)>,
}

impl PrimaryPositions {
    /// Keeps `lsn` seen now; forgets positions older than `keep`, but never the newest.
    fn record(&mut self, lsn: u64, now: std::time::Instant, keep: Duration) {
        if self.seen.back().is_none_or(|&(last, _)| lsn > last) {
            self.seen.push_back((lsn, now));
        }
        while self.seen.len() > 1
            && self
                .seen
                .front()
                .is_some_and(|&(_, at)| now.duration_since(at) > keep)
        {
            self.seen.pop_front();
        }
    }

    /// How far behind a replica that has replayed up to `replayed` is, at `now`: zero when it
    /// has the newest position; else at least the age of the oldest position it lacks; and
    /// whether it lacks every position kept (then it is further behind than anything known:
    /// a replica catching up after its start, or one far behind).
    fn lag(&self, replayed: u64, now: std::time::Instant) -> (Duration, bool) {
        match self.seen.iter().position(|&(lsn, _)| lsn > replayed) {
            None => (Duration::ZERO, false),
            Some(i) => (now.duration_since(self.seen[i].1), i == 0),
        }
    }
}

/// Checks every replica every `every`: out of rotation when it does not answer, is not a
/// standby, or is more than `max_lag` behind; back in when it is well. Runs until the
/// process ends.
pub async fn watch_replicas(reads: Arc<Reads>, every: Duration, max_lag: Duration) {
    if reads.replicas.is_empty() {
        return;
    }
    let mut positions = PrimaryPositions::default();
    // long enough to tell every lag up to well past the limit
    let keep = max_lag * 2 + every * 2;
    loop {
        let primary_lsn = match reads.primary.pool.get().await {
            Ok(c) => c
                .query_one("SELECT pg_current_wal_lsn()::text", &[])
                .await
                .ok()
                .and_then(|r| parse_lsn(&r.get::<_, String>(0))),
            Err(_) => None,
        };
        if let Some(lsn) = primary_lsn {
            positions.record(lsn, std::time::Instant::now(), keep);
        }
        for replica in &reads.replicas {
            check(replica, &positions, every, max_lag).await;
        }
        tokio::time::sleep(every).await;
    }
}

async fn check(
    replica: &Replica,
    positions: &PrimaryPositions,
    every: Duration,
    max_lag: Duration,
) {
    let answer = tokio::time::timeout(every.max(Duration::from_secs(1)), async {
        let client = replica.target.pool.get().await.map_err(|e| e.to_string())?;
        let row = client
            .query_one(REPLAYED, &[])
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((row.get::<_, bool>(0), row.get::<_, String>(1)))
    })
    .await;
    let lag_gauge = vo_metrics::metrics()
        .replica_lag_seconds
        .with_label_values(&[&replica.target.name]);
    let unknown = |problem: String| {
        // not measured: unknown, not the last value seen
        replica.lag_ms.store(u64::MAX, Ordering::Relaxed);
        lag_gauge.set(f64::NAN);
        replica.take_out(problem);
    };
    match answer {
        Err(_) => unknown("it did not answer in time".into()),
        Ok(Err(e)) => unknown(format!("it does not answer: {e}")),
        Ok(Ok((false, _))) => unknown("it is not a standby (promoted, or not a replica)".into()),
        Ok(Ok((true, replayed))) => {
            let (lag, behind_all) =
                positions.lag(parse_lsn(&replayed).unwrap_or(0), std::time::Instant::now());
            replica
                .lag_ms
                .store(lag.as_millis() as u64, Ordering::Relaxed);
            lag_gauge.set(lag.as_secs_f64());
            if behind_all {
                replica.take_out(format!(
                    "it has not yet replayed what the primary had written {:.1} s ago",
                    lag.as_secs_f64()
                ));
            } else if lag > max_lag {
                replica.take_out(format!(
                    "it is {:.1} s behind the primary, more than the {} s allowed",
                    lag.as_secs_f64(),
                    max_lag.as_secs()
                ));
            } else {
                replica.put_back(lag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_lsn, replica_name, PrimaryPositions};
    use std::time::{Duration, Instant};

    #[test]
    fn wal_positions_read_as_numbers() {
        assert_eq!(parse_lsn("0/16B3748"), Some(0x16B3748));
        assert_eq!(parse_lsn("1/0"), Some(1 << 32));
        assert_eq!(parse_lsn("nonsense"), None);
    }

    #[test]
    fn a_replica_lags_by_the_age_of_the_oldest_position_it_lacks() {
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let mut seen = PrimaryPositions::default();
        let keep = Duration::from_secs(60);
        seen.record(100, at(0), keep);
        seen.record(100, at(2), keep); // no new WAL: nothing new kept
        seen.record(200, at(4), keep);
        seen.record(300, at(6), keep);
        // has everything: no lag
        assert_eq!(seen.lag(300, at(7)), (Duration::ZERO, false));
        // lacks only the newest: behind by its age (WAL written without a transaction
        // reads as a lag of one check, not as the time since the last transaction)
        assert_eq!(seen.lag(250, at(7)), (Duration::from_secs(1), false));
        // lacks 200 and 300: as old as 200
        assert_eq!(seen.lag(150, at(7)), (Duration::from_secs(3), false));
        // lacks them all: behind everything known
        assert_eq!(seen.lag(50, at(7)), (Duration::from_secs(7), true));
        // old positions are forgotten, the newest never
        seen.record(300, at(100), keep);
        assert_eq!(seen.seen.len(), 1);
        assert_eq!(seen.lag(250, at(101)), (Duration::from_secs(95), true));
    }

    #[test]
    fn replicas_are_named_by_host_and_port() {
        assert_eq!(
            replica_name("host=10.0.0.5 port=5433 user=vo dbname=vo"),
            "10.0.0.5:5433"
        );
        assert_eq!(replica_name("host=/run/pg dbname=vo"), "/run/pg");
    }
}
