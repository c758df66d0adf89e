//! How much of the job service one client may take, so that none can starve the others:
//! jobs queued or executing at once, jobs kept, and bytes kept (uploaded tables and
//! results) — for an anonymous client per address (an IPv6 /64), for a signed-in user per
//! account, counted over every service's jobs together.

use crate::responses::plain;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Deserialize;
use vo_job_store::{Limits, OverQuota};

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

impl Quota {
    /// The limits as the job store applies them.
    pub fn limits(&self) -> Limits {
        Limits {
            active_jobs: self.active_jobs,
            jobs: self.jobs,
            bytes: self.job_bytes,
        }
    }
}

impl Quotas {
    /// The quota of a signed-in account, or of an anonymous client.
    pub fn of(&self, signed_in: bool) -> Quota {
        if signed_in {
            self.account
        } else {
            self.anonymous
        }
    }

    /// The refusal of a change that would take a client over a quota: 429 (with
    /// Retry-After) for jobs queued or executing, which end by themselves; 403 for what is
    /// kept, which the client must delete. Each says which quota, and how to get more.
    pub fn refusal(&self, signed_in: bool, over: &OverQuota, list_url: &str) -> HttpResponse {
        let quota = self.of(signed_in);
        let usage = over.usage;
        let who = if signed_in { "account" } else { "client" };
        // how to get more: sign in, or (signed in) ask the operators
        let more = |for_accounts: i64| {
            if signed_in {
                "the archive's operators can raise an account's quota".to_string()
            } else {
                format!("signed in with an archive account, the quota is {for_accounts}")
            }
        };
        match over.quota.as_str() {
            "active_jobs" => {
                let mut response = plain(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "you have {} jobs queued or executing, the most one {who} may have at once (quota active_jobs = {}); wait until one ends ({list_url}?PHASE=QUEUED&PHASE=EXECUTING lists them) — {}",
                        usage.active_jobs,
                        quota.active_jobs,
                        more(self.account.active_jobs)
                    ),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("10"));
                response
            }
            "jobs" => plain(
                StatusCode::FORBIDDEN,
                format!(
                    "you keep {} jobs, the most one {who} may keep (quota jobs = {}); delete finished ones (DELETE {list_url}/<job id>) or wait for their destruction time — {}",
                    usage.jobs,
                    quota.jobs,
                    more(self.account.jobs)
                ),
            ),
            _ => plain(
                StatusCode::FORBIDDEN,
                format!(
                    "your jobs keep {} bytes, and this would pass the {} one {who} may keep (quota job_bytes); delete finished jobs (DELETE {list_url}/<job id>) — {}",
                    usage.bytes,
                    quota.job_bytes,
                    more(self.account.job_bytes)
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vo_job_store::Usage;

    #[test]
    fn each_quota_is_named_with_the_way_to_more() {
        let quotas = Quotas::default();
        let over = |quota: &str| OverQuota {
            quota: quota.into(),
            usage: Usage {
                active_jobs: 10,
                jobs: 100,
                bytes: 5,
            },
        };
        let r = quotas.refusal(false, &over("active_jobs"), "/tap/async");
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers().contains_key(header::RETRY_AFTER));
        assert_eq!(
            quotas.refusal(false, &over("jobs"), "/tap/async").status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            quotas
                .refusal(true, &over("job_bytes"), "/tap/async")
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(quotas.of(true).limits().jobs, 1000);
    }
}
