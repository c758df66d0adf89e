//! A job and its phases (UWS 1.1 §2.1.3).

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Queued,
    Executing,
    Completed,
    Error,
    Aborted,
    Unknown,
    Held,
    Suspended,
    Archived,
}

impl Phase {
    pub const ALL: [Phase; 10] = [
        Phase::Pending,
        Phase::Queued,
        Phase::Executing,
        Phase::Completed,
        Phase::Error,
        Phase::Aborted,
        Phase::Unknown,
        Phase::Held,
        Phase::Suspended,
        Phase::Archived,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Pending => "PENDING",
            Phase::Queued => "QUEUED",
            Phase::Executing => "EXECUTING",
            Phase::Completed => "COMPLETED",
            Phase::Error => "ERROR",
            Phase::Aborted => "ABORTED",
            Phase::Unknown => "UNKNOWN",
            Phase::Held => "HELD",
            Phase::Suspended => "SUSPENDED",
            Phase::Archived => "ARCHIVED",
        }
    }

    pub fn parse(text: &str) -> Option<Phase> {
        Phase::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether the job will not change any more by itself.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Phase::Completed | Phase::Error | Phase::Aborted | Phase::Archived
        )
    }

    /// Whether WAIT should block in this phase (UWS 1.1 §2.2.1.1).
    pub fn is_active(self) -> bool {
        matches!(self, Phase::Pending | Phase::Queued | Phase::Executing)
    }
}

/// One result of a completed job (UWS 1.1 §2.2.3.1: `<uws:result>`).
#[derive(Debug, Clone, PartialEq)]
pub struct JobResult {
    /// Unique within the job; also the name of its file (letters, digits, `_ - .`).
    pub id: String,
    pub content_type: String,
    pub size: i64,
    /// Table rows, for results that are tables.
    pub rows: Option<i64>,
}

impl JobResult {
    /// Whether `id` may name a result (and so a file in the job's directory).
    pub fn valid_id(id: &str) -> bool {
        !id.is_empty()
            && id.len() <= 64
            && id != "parts"
            && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    }
}

/// One job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub job_id: String,
    /// The service the job belongs to (`tap`, `soda`).
    pub service: String,
    pub run_id: Option<String>,
    pub owner_id: Option<String>,
    pub phase: Phase,
    pub creation_time: DateTime<Utc>,
    pub start_time: Option<DateTime<Utc>>,
    pub end_time: Option<DateTime<Utc>>,
    /// Seconds; 0 means unlimited (never used by this service: it always has a limit).
    pub execution_duration: i32,
    pub destruction: DateTime<Utc>,
    pub parameters: Vec<(String, String)>,
    pub error_message: Option<String>,
    /// Whose quotas the job counts against: `account <user>`, or `address <client>` for an
    /// anonymous job.
    pub quota_key: String,
    /// In the order the job produced them; empty unless COMPLETED.
    pub results: Vec<JobResult>,
}

impl Job {
    /// The first value of a parameter, name case-insensitive.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A new job identifier: 16 random letters and digits (unguessable, URL-safe).
pub(crate) fn new_job_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::JobResult;

    #[test]
    fn result_ids_are_plain_file_names() {
        for good in ["result", "cutout-1", "a.fits", "X_2"] {
            assert!(JobResult::valid_id(good), "{good}");
        }
        for bad in [
            "",
            "parts",
            ".hidden",
            "../x",
            "a/b",
            "-x",
            "a b",
            &"x".repeat(65),
        ] {
            assert!(!JobResult::valid_id(bad), "{bad}");
        }
    }
}

/// How a node of the service holds the jobs it executes: under its name, for `term` after
/// each renewal. A job whose lease is not renewed in time was left by a node that stopped,
/// and any node ends it ([`crate::JobStore::end_expired_leases`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    /// The node's name, the same across its restarts (so that a restarted node knows the
    /// jobs its earlier life held) and different from every other node's.
    pub node: String,
    pub term: std::time::Duration,
}

impl Lease {
    pub(crate) fn seconds(&self) -> f64 {
        self.term.as_secs_f64()
    }
}
