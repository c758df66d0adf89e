//! Jobs in PostgreSQL. Every change is one statement, so concurrent requests and workers see
//! consistent phases; workers claim queued jobs one at a time per service and fairly
//! (`uws.claim_next`); a change that adds to what a client's jobs take is checked against
//! its quotas in the same statement (`uws.admit`, which locks the client's quotas). A store
//! is scoped to one service: it sees, claims and changes only that service's jobs (what a
//! client takes is counted over every service).

use crate::model::new_job_id;
use crate::{Job, JobResult, Lease, Phase};
use chrono::{DateTime, Utc};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Error, Row};

const COLUMNS: &str = "job_id, run_id, owner_id, phase, creation_time, start_time, end_time, \
    execution_duration, destruction, parameters, error_message, service, quota_key, \
    (SELECT coalesce(jsonb_agg(jsonb_build_array(r.result_id, r.content_type, r.size, r.rows) \
                               ORDER BY r.position), '[]') \
     FROM uws.result r WHERE r.job_id = uws.job.job_id)";

fn results(value: &serde_json::Value) -> Vec<JobResult> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|r| {
                    Some(JobResult {
                        id: r[0].as_str()?.to_string(),
                        content_type: r[1].as_str()?.to_string(),
                        size: r[2].as_i64()?,
                        rows: r[3].as_i64(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn job(row: &Row) -> Job {
    let parameters: serde_json::Value = row.get(9);
    Job {
        job_id: row.get(0),
        run_id: row.get(1),
        owner_id: row.get(2),
        phase: Phase::parse(row.get::<_, &str>(3)).unwrap_or(Phase::Unknown),
        creation_time: row.get(4),
        start_time: row.get(5),
        end_time: row.get(6),
        execution_duration: row.get(7),
        destruction: row.get(8),
        parameters: parameters
            .as_array()
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        error_message: row.get(10),
        service: row.get(11),
        quota_key: row.get(12),
        results: results(&row.get::<_, serde_json::Value>(13)),
    }
}

/// The job-list filters of UWS 1.1 §2.2.2.1.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub phases: Vec<Phase>,
    pub after: Option<DateTime<Utc>>,
    pub last: Option<i64>,
    /// A signed-in user's jobs.
    pub owner: Option<String>,
    /// An anonymous caller's jobs: the SHA-256 of their job-owner secret.
    pub anonymous_owner: Option<String>,
}

/// A job to store.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub parameters: &'a [(String, String)],
    pub run_id: Option<&'a str>,
    pub owner_id: Option<&'a str>,
    /// For an anonymous job: the SHA-256 of the caller's job-owner secret, which lists it.
    pub anonymous_owner: Option<&'a str>,
    /// Whose quotas the job counts against (an account, or an anonymous client's address).
    pub quota_key: &'a str,
    /// The bytes of the uploaded tables kept with the job.
    pub parts_bytes: i64,
    pub execution_duration: i32,
    pub destruction: DateTime<Utc>,
    /// PENDING or QUEUED; ERROR when `error_message` is set.
    pub phase: Phase,
    pub error_message: Option<&'a str>,
}

/// What a client's jobs take, across every service: jobs queued or executing, jobs kept (in
/// any phase), and bytes kept (parameters, uploaded tables and results).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub active_jobs: i64,
    pub jobs: i64,
    pub bytes: i64,
}

/// A client's quotas: the most jobs queued or executing, jobs kept and bytes kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub active_jobs: i64,
    pub jobs: i64,
    pub bytes: i64,
}

/// What a change would add to a client's jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Adding {
    pub job: bool,
    pub active: bool,
    pub bytes: i64,
}

/// A change not made because it would take its client over a quota: the quota
/// (`active_jobs`, `jobs` or `job_bytes`) and what the client's jobs take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverQuota {
    pub quota: String,
    pub usage: Usage,
}

impl Adding {
    /// The arguments of `uws.admit` after the key: what is added, then the limits.
    fn and_limits<'a>(&'a self, limits: &'a Limits) -> [&'a (dyn ToSql + Sync); 6] {
        [
            &self.job,
            &self.active,
            &self.bytes,
            &limits.active_jobs,
            &limits.jobs,
            &limits.bytes,
        ]
    }
}

/// The arguments of `uws.admit` after the key: $n.. in a statement.
fn admit_call(key: &str, first: usize) -> String {
    let n = |i: usize| format!("${}", first + i);
    format!(
        "(SELECT over FROM uws.admit({key}, {}, {}, {}, {}, {}, {}))",
        n(0),
        n(1),
        n(2),
        n(3),
        n(4),
        n(5)
    )
}

/// Job operations on one connection, for one service's jobs.
pub struct JobStore<'c> {
    client: &'c Client,
    service: &'c str,
}

impl<'c> JobStore<'c> {
    pub fn new(client: &'c Client, service: &'c str) -> JobStore<'c> {
        JobStore { client, service }
    }

    /// Stores a new job if its client's quotas allow it (`Ok(Err(…))` when not: the quota
    /// and what the client's jobs take); one with an `error_message` is stored in ERROR
    /// (its parameters were refused when it was asked to run).
    pub async fn create(
        &self,
        new: &NewJob<'_>,
        limits: &Limits,
    ) -> Result<Result<Job, OverQuota>, Error> {
        let pairs = serde_json::Value::Array(
            new.parameters
                .iter()
                .map(|(n, v)| serde_json::json!([n, v]))
                .collect(),
        );
        // the parameters count as PostgreSQL keeps them (jsonb's text)
        let adding = Adding {
            job: true,
            active: new.phase == Phase::Queued,
            bytes: new.parts_bytes,
        };
        let row = self
            .client
            .query_opt(
                &format!("INSERT INTO uws.job (job_id, run_id, owner_id, phase, execution_duration, destruction, parameters, service, quota_key, parts_bytes, error_message, end_time, anonymous_owner) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $11::text IS NULL THEN NULL ELSE now() END, $18 \
                 WHERE (SELECT over FROM uws.admit($9, $12, $13, $14::bigint + octet_length($7::jsonb::text), $15, $16, $17)) IS NULL \
                 RETURNING {COLUMNS}"),
                &[
                    &new_job_id() as &(dyn ToSql + Sync),
                    &new.run_id,
                    &new.owner_id,
                    &new.phase.name(),
                    &new.execution_duration,
                    &new.destruction,
                    &pairs,
                    &self.service,
                    &new.quota_key,
                    &new.parts_bytes,
                    &new.error_message,
                ]
                .into_iter()
                .chain(adding.and_limits(limits))
                .chain([&new.anonymous_owner as &(dyn ToSql + Sync)])
                .collect::<Vec<_>>(),
            )
            .await?;
        match row {
            Some(row) => Ok(Ok(job(&row))),
            None => Ok(Err(self
                .admit_with(new.quota_key, adding, Some(&pairs), limits)
                .await?)),
        }
    }

    /// Which quota `adding` would pass for `quota_key` (empty: none), and what its jobs take.
    pub async fn admit(
        &self,
        quota_key: &str,
        adding: Adding,
        limits: &Limits,
    ) -> Result<OverQuota, Error> {
        self.admit_with(quota_key, adding, None, limits).await
    }

    /// [`Self::admit`], adding a job's `parameters` too (as jsonb's text counts them).
    async fn admit_with(
        &self,
        quota_key: &str,
        adding: Adding,
        parameters: Option<&serde_json::Value>,
        limits: &Limits,
    ) -> Result<OverQuota, Error> {
        let row = self
            .client
            .query_one(
                "SELECT coalesce(over, ''), active_jobs, jobs, bytes \
                 FROM uws.admit($1, $2, $3, $4::bigint + coalesce(octet_length($8::jsonb::text), 0), $5, $6, $7)",
                &[&quota_key as &(dyn ToSql + Sync)]
                    .into_iter()
                    .chain(adding.and_limits(limits))
                    .chain([&parameters as &(dyn ToSql + Sync)])
                    .collect::<Vec<_>>(),
            )
            .await?;
        Ok(OverQuota {
            quota: row.get(0),
            usage: Usage {
                active_jobs: row.get(1),
                jobs: row.get(2),
                bytes: row.get(3),
            },
        })
    }

    pub async fn get(&self, job_id: &str) -> Result<Option<Job>, Error> {
        Ok(self
            .client
            .query_opt(
                &format!("SELECT {COLUMNS} FROM uws.job WHERE job_id = $1 AND service = $2"),
                &[&job_id, &self.service],
            )
            .await?
            .as_ref()
            .map(job))
    }

    pub async fn list(&self, filter: &ListFilter) -> Result<Vec<Job>, Error> {
        let phases: Vec<&str> = if filter.phases.is_empty() {
            Phase::ALL
                .iter()
                .filter(|p| **p != Phase::Archived)
                .map(|p| p.name())
                .collect()
        } else {
            filter.phases.iter().map(|p| p.name()).collect()
        };
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM uws.job WHERE phase = ANY($1) \
                     AND ($2::timestamptz IS NULL OR creation_time > $2) \
                     AND ($3::text IS NULL OR owner_id = $3) AND service = $5 \
                     AND ($6::text IS NULL OR (owner_id IS NULL AND anonymous_owner = $6)) \
                     ORDER BY creation_time DESC, job_id LIMIT $4"
                ),
                &[
                    &phases,
                    &filter.after,
                    &filter.owner,
                    &filter.last.unwrap_or(i64::MAX),
                    &self.service,
                    &filter.anonymous_owner,
                ],
            )
            .await?;
        Ok(rows.iter().map(job).collect())
    }

    /// PENDING (or HELD) → QUEUED, if its parameters are still `checked` (the ones checked
    /// before queueing) and its client's quotas allow another active job; returns the job's
    /// phase afterwards, or the quota it would pass.
    pub async fn queue(
        &self,
        job_id: &str,
        checked: &[(String, String)],
        limits: &Limits,
    ) -> Result<Result<Option<Phase>, OverQuota>, Error> {
        let pairs = serde_json::Value::Array(
            checked
                .iter()
                .map(|(n, v)| serde_json::json!([n, v]))
                .collect(),
        );
        let adding = Adding {
            job: false,
            active: true,
            bytes: 0,
        };
        let changed = self
            .client
            .execute(
                &format!(
                    "UPDATE uws.job SET phase = 'QUEUED' WHERE job_id = $1 AND service = $2 \
                     AND phase IN ('PENDING', 'HELD') AND parameters = $3 AND {} IS NULL",
                    admit_call("uws.job.quota_key", 4)
                ),
                &[&job_id as &(dyn ToSql + Sync), &self.service, &pairs]
                    .into_iter()
                    .chain(adding.and_limits(limits))
                    .collect::<Vec<_>>(),
            )
            .await?;
        let job = self.get(job_id).await?;
        if changed == 0 {
            if let Some(j) = job.as_ref().filter(|j| {
                matches!(j.phase, Phase::Pending | Phase::Held) && j.parameters == checked
            }) {
                let over = self.admit(&j.quota_key, adding, limits).await?;
                if !over.quota.is_empty() {
                    return Ok(Err(over));
                }
            }
        }
        Ok(Ok(job.map(|j| j.phase)))
    }

    /// A job not yet final → ABORTED; returns whether it changed.
    pub async fn abort(&self, job_id: &str) -> Result<bool, Error> {
        Ok(self
            .client
            .execute(
                "UPDATE uws.job SET phase = 'ABORTED', end_time = now() \
                 WHERE job_id = $1 AND service = $2 AND phase IN ('PENDING', 'QUEUED', 'EXECUTING', 'HELD', 'SUSPENDED')",
                &[&job_id, &self.service],
            )
            .await?
            == 1)
    }

    /// Takes the next queued job, marks it EXECUTING and leases it to `lease.node`: among
    /// clients with fewer than `per_client` jobs executing, the one with the fewest, then
    /// the oldest job (one claim at a time per service, `uws.claim_next`).
    pub async fn claim_next(&self, per_client: i32, lease: &Lease) -> Result<Option<Job>, Error> {
        let claimed: Option<String> = self
            .client
            .query_one(
                "SELECT uws.claim_next($1, $2, $3, make_interval(secs => $4))",
                &[&self.service, &per_client, &lease.node, &lease.seconds()],
            )
            .await?
            .get(0);
        match claimed {
            Some(id) => self.get(&id).await,
            None => Ok(None),
        }
    }

    /// Renews `lease` on an executing job: whether the node still holds it (not when the job
    /// was aborted or deleted meanwhile, or another node ended it after the lease ran out).
    pub async fn renew(&self, job_id: &str, lease: &Lease) -> Result<bool, Error> {
        Ok(self
            .client
            .execute(
                "UPDATE uws.job SET lease_expires = now() + make_interval(secs => $4) \
                 WHERE job_id = $1 AND service = $2 AND phase = 'EXECUTING' AND lease_node = $3",
                &[&job_id, &self.service, &lease.node, &lease.seconds()],
            )
            .await?
            == 1)
    }

    /// EXECUTING → COMPLETED with its results, in one statement, if `lease`'s node still
    /// holds the job and the results fit in what its client may still keep (`max_bytes`):
    /// `Ok(true)`; `Ok(false)` when it was aborted meanwhile, is no longer held, or the
    /// results do not fit (then nothing changes; [`Self::results_fit`] says which).
    pub async fn complete(
        &self,
        job_id: &str,
        results: &[JobResult],
        max_bytes: i64,
        lease: &Lease,
    ) -> Result<bool, Error> {
        let listed = serde_json::Value::Array(
            results
                .iter()
                .map(|r| serde_json::json!([r.id, r.content_type, r.size, r.rows]))
                .collect(),
        );
        let bytes: i64 = results.iter().map(|r| r.size).sum();
        let completed = self
            .client
            .query_one(
                &format!(
                    "WITH done AS (UPDATE uws.job SET phase = 'COMPLETED', end_time = now(), \
                                          lease_node = NULL, lease_expires = NULL \
                                   WHERE job_id = $1 AND service = $3 AND phase = 'EXECUTING' \
                                     AND lease_node = $10 AND {} IS NULL RETURNING job_id), \
                          kept AS (INSERT INTO uws.result (job_id, position, result_id, content_type, size, rows) \
                                   SELECT done.job_id, (r.n - 1)::int, r.value->>0, r.value->>1, \
                                          (r.value->>2)::bigint, (r.value->>3)::bigint \
                                   FROM done, jsonb_array_elements($2) WITH ORDINALITY AS r(value, n) \
                                   RETURNING 1) \
                     SELECT count(*) FROM done",
                    admit_call("uws.job.quota_key", 4)
                ),
                &[
                    &job_id,
                    &listed,
                    &self.service,
                    &false,
                    &false,
                    &bytes,
                    &None::<i64>,
                    &None::<i64>,
                    &max_bytes,
                    &lease.node,
                ],
            )
            .await?;
        Ok(completed.get::<_, i64>(0) == 1)
    }

    /// Whether results of `bytes` bytes fit in what `quota_key` may still keep.
    pub async fn results_fit(
        &self,
        quota_key: &str,
        bytes: i64,
        max_bytes: i64,
    ) -> Result<bool, Error> {
        let adding = Adding {
            job: false,
            active: false,
            bytes,
        };
        let limits = Limits {
            active_jobs: i64::MAX,
            jobs: i64::MAX,
            bytes: max_bytes,
        };
        Ok(self
            .admit(quota_key, adding, &limits)
            .await?
            .quota
            .is_empty())
    }

    /// A job not yet ended (PENDING, QUEUED, EXECUTING, HELD) → ERROR with a message.
    pub async fn fail(&self, job_id: &str, message: &str) -> Result<(), Error> {
        self.client
            .execute(
                "UPDATE uws.job SET phase = 'ERROR', end_time = now(), error_message = $2 \
                 WHERE job_id = $1 AND service = $3 AND phase IN ('PENDING', 'QUEUED', 'EXECUTING', 'HELD')",
                &[&job_id, &message, &self.service],
            )
            .await?;
        Ok(())
    }

    /// EXECUTING → ERROR with a message, if `lease`'s node still holds the job.
    pub async fn fail_held(&self, job_id: &str, message: &str, lease: &Lease) -> Result<(), Error> {
        self.client
            .execute(
                "UPDATE uws.job SET phase = 'ERROR', end_time = now(), error_message = $2, \
                                    lease_node = NULL, lease_expires = NULL \
                 WHERE job_id = $1 AND service = $3 AND phase = 'EXECUTING' AND lease_node = $4",
                &[&job_id, &message, &self.service, &lease.node],
            )
            .await?;
        Ok(())
    }

    pub async fn set_destruction(&self, job_id: &str, when: DateTime<Utc>) -> Result<(), Error> {
        self.client
            .execute(
                "UPDATE uws.job SET destruction = $2 WHERE job_id = $1 AND service = $3",
                &[&job_id, &when, &self.service],
            )
            .await?;
        Ok(())
    }

    /// Only while PENDING (UWS: parameters may change before the job runs).
    pub async fn set_execution_duration(&self, job_id: &str, seconds: i32) -> Result<bool, Error> {
        Ok(self
            .client
            .execute(
                "UPDATE uws.job SET execution_duration = $2 WHERE job_id = $1 AND service = $3 AND phase = 'PENDING'",
                &[&job_id, &seconds, &self.service],
            )
            .await?
            == 1)
    }

    /// Only while PENDING, and only if the new parameters fit in what the client may keep
    /// (`max_bytes`): whether they changed.
    pub async fn set_parameters(
        &self,
        job_id: &str,
        parameters: &[(String, String)],
        max_bytes: i64,
    ) -> Result<bool, Error> {
        let pairs = serde_json::Value::Array(
            parameters
                .iter()
                .map(|(n, v)| serde_json::json!([n, v]))
                .collect(),
        );
        Ok(self
            .client
            .execute(
                "UPDATE uws.job SET parameters = $2 WHERE job_id = $1 AND service = $3 AND phase = 'PENDING' \
                 AND (SELECT over FROM uws.admit(uws.job.quota_key, false, false, \
                      octet_length($2::jsonb::text) - octet_length(uws.job.parameters::text), NULL, NULL, $4)) IS NULL",
                &[&job_id, &pairs, &self.service, &max_bytes],
            )
            .await?
            == 1)
    }

    pub async fn delete(&self, job_id: &str) -> Result<bool, Error> {
        Ok(self
            .client
            .execute(
                "DELETE FROM uws.job WHERE job_id = $1 AND service = $2",
                &[&job_id, &self.service],
            )
            .await?
            == 1)
    }

    /// Deletes the jobs past their destruction time and returns their ids; on one node at a
    /// time (`archive.take_duty`), nothing on the others.
    pub async fn delete_expired(&self) -> Result<Vec<String>, Error> {
        Ok(self
            .client
            .query(
                "WITH duty AS (SELECT archive.take_duty('expired jobs ' || $1) AS mine) \
                 DELETE FROM uws.job WHERE destruction < now() AND service = $1 \
                 AND (SELECT mine FROM duty) RETURNING job_id",
                &[&self.service],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    /// At a node's start: the jobs its earlier life held (and only those) run again, unless
    /// they were already started `max_attempts` times (then ERROR, with the reason). Returns
    /// (queued again, failed).
    pub async fn recover(&self, node: &str, max_attempts: i32) -> Result<(u64, u64), Error> {
        self.end_lost(Some(node), max_attempts).await
    }

    /// The latest lease expiry among the jobs of this service that `node` executes: it moves
    /// on while a live node under that name renews them.
    pub async fn latest_lease(&self, node: &str) -> Result<Option<DateTime<Utc>>, Error> {
        Ok(self
            .client
            .query_one(
                "SELECT max(lease_expires) FROM uws.job \
                 WHERE service = $1 AND phase = 'EXECUTING' AND lease_node = $2",
                &[&self.service, &node],
            )
            .await?
            .get(0))
    }

    /// A node that stops hands the jobs it executes back to the queue, as if never started
    /// (their start is not counted). Returns how many.
    pub async fn hand_back(&self, node: &str) -> Result<u64, Error> {
        self.client
            .execute(
                "UPDATE uws.job SET phase = 'QUEUED', start_time = NULL, \
                                    attempts = greatest(attempts - 1, 0), \
                                    lease_node = NULL, lease_expires = NULL \
                 WHERE service = $1 AND phase = 'EXECUTING' AND lease_node = $2",
                &[&self.service, &node],
            )
            .await
    }

    /// The jobs whose lease ran out (their node stopped), as [`Self::recover`] ends them; on
    /// one node at a time (`archive.take_duty`), nothing on the others. Returns (queued
    /// again, failed).
    pub async fn end_expired_leases(&self, max_attempts: i32) -> Result<(u64, u64), Error> {
        self.end_lost(None, max_attempts).await
    }

    async fn end_lost(&self, node: Option<&str>, max_attempts: i32) -> Result<(u64, u64), Error> {
        let row = self
            .client
            .query_one(
                "SELECT requeued, failed FROM uws.end_lost_jobs($1, $2, $3)",
                &[&self.service, &node, &max_attempts],
            )
            .await?;
        Ok((row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
    }
}
