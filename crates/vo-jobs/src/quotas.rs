//! How much of the job service one client may take, so that none can starve the others:
//! jobs queued or executing at once, jobs kept, and bytes kept (uploaded tables and
//! results) — for an anonymous client per address (an IPv6 /64), for a signed-in user per
//! account, counted over every service's jobs together.

use crate::responses::plain;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Deserialize;
use vo_uws::Usage;

/// One class of client's quotas.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Quota {
    /// Jobs queued or executing at once.
    pub active_jobs: i64,
    /// Jobs kept, in any phase, until deleted or destroyed.
    pub jobs: i64,
    /// Bytes kept: uploaded tables and results.
    pub job_bytes: i64,
}

impl Default for Quota {
    fn default() -> Self {
        Quota {
            active_jobs: 10,
            jobs: 100,
            job_bytes: 1 << 30,
        }
    }
}

/// The quotas of anonymous clients and of accounts.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Quotas {
    pub anonymous: Quota,
    pub account: Quota,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            anonymous: Quota::default(),
            account: Quota {
                active_jobs: 50,
                jobs: 1000,
                job_bytes: 10 << 30,
            },
        }
    }
}

/// Whose quotas a job counts against.
pub fn quota_key(owner: Option<&str>, client: &str) -> String {
    match owner {
        Some(user) => format!("account {user}"),
        None => format!("address {client}"),
    }
}

/// What a client has and would add with a request: a job, maybe queued, with its bytes.
pub struct Addition {
    pub job: bool,
    pub active: bool,
    pub bytes: i64,
}

impl Quotas {
    fn of(&self, signed_in: bool) -> Quota {
        if signed_in {
            self.account
        } else {
            self.anonymous
        }
    }

    /// The refusal of a request that would take a client over a quota, or `None`: 429 (with
    /// Retry-After) for jobs queued or executing, which end by themselves; 403 for what is
    /// kept, which the client must delete. Each says which quota, and how to get more.
    pub fn refusal(
        &self,
        signed_in: bool,
        usage: Usage,
        adding: Addition,
        list_url: &str,
    ) -> Option<HttpResponse> {
        let quota = self.of(signed_in);
        // how to get more: sign in, or (signed in) ask the operators
        let more = |for_accounts: i64| {
            if signed_in {
                "the archive's operators can raise an account's quota".to_string()
            } else {
                format!("signed in with an archive account, the quota is {for_accounts}")
            }
        };
        if adding.active && usage.active_jobs + 1 > quota.active_jobs {
            let mut response = plain(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "you have {} jobs queued or executing, the most one {} may have at once (quota active_jobs = {}); wait until one ends ({list_url}?PHASE=QUEUED&PHASE=EXECUTING lists them) — {}",
                    usage.active_jobs,
                    if signed_in { "account" } else { "client" },
                    quota.active_jobs,
                    more(self.account.active_jobs)
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("10"));
            return Some(response);
        }
        if adding.job && usage.jobs + 1 > quota.jobs {
            return Some(plain(
                StatusCode::FORBIDDEN,
                format!(
                    "you keep {} jobs, the most one {} may keep (quota jobs = {}); delete finished ones (DELETE {list_url}/<job id>) or wait for their destruction time — {}",
                    usage.jobs,
                    if signed_in { "account" } else { "client" },
                    quota.jobs,
                    more(self.account.jobs)
                ),
            ));
        }
        if usage.bytes + adding.bytes > quota.job_bytes {
            return Some(plain(
                StatusCode::FORBIDDEN,
                format!(
                    "your jobs keep {} bytes and this one would add {}, more than the {} one {} may keep (quota job_bytes); delete finished jobs (DELETE {list_url}/<job id>) — {}",
                    usage.bytes,
                    adding.bytes,
                    quota.job_bytes,
                    if signed_in { "account" } else { "client" },
                    more(self.account.job_bytes)
                ),
            ));
        }
        None
    }

    /// The bytes a job's results may take: what its client's quota has left.
    pub fn room(&self, signed_in: bool, usage: Usage) -> u64 {
        (self.of(signed_in).job_bytes - usage.bytes).max(0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_quota_is_named_with_the_way_to_more() {
        let quotas = Quotas::default();
        let busy = Usage {
            active_jobs: 10,
            jobs: 20,
            bytes: 0,
        };
        let adding = || Addition {
            job: true,
            active: true,
            bytes: 0,
        };
        let r = quotas.refusal(false, busy, adding(), "/tap/async").unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers().contains_key(header::RETRY_AFTER));
        assert!(quotas.refusal(true, busy, adding(), "/tap/async").is_none());
        let full = Usage {
            active_jobs: 0,
            jobs: 100,
            bytes: 0,
        };
        let r = quotas.refusal(false, full, adding(), "/tap/async").unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let heavy = Usage {
            active_jobs: 0,
            jobs: 1,
            bytes: (1 << 30) - 10,
        };
        let adding_bytes = Addition {
            job: true,
            active: false,
            bytes: 11,
        };
        assert_eq!(
            quotas
                .refusal(false, heavy, adding_bytes, "/tap/async")
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(quotas.room(false, heavy), 10);
    }
}
