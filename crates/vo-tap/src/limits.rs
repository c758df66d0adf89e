//! The limits a TAP service enforces and advertises (capabilities show exactly these).

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TapLimits {
    /// Time limit of a synchronous query, seconds.
    pub sync_seconds: u64,
    /// Rows returned when the request has no MAXREC.
    pub maxrec_default: u64,
    /// The most rows any request returns; a larger MAXREC is capped, with OVERFLOW.
    pub maxrec_hard: u64,
    /// The most rows an uploaded table may have.
    pub upload_rows: usize,
    /// The most bytes a request body (with its uploads) may have.
    pub upload_bytes: usize,
    /// Asynchronous jobs (/tap/async).
    #[serde(rename = "async")]
    pub jobs: AsyncLimits,
}

impl Default for TapLimits {
    fn default() -> Self {
        TapLimits {
            sync_seconds: 600,
            maxrec_default: 1_000_000,
            maxrec_hard: 10_000_000,
            upload_rows: 100_000,
            upload_bytes: 64 * 1024 * 1024,
            jobs: AsyncLimits::default(),
        }
    }
}

/// Limits of asynchronous jobs.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AsyncLimits {
    /// Execution duration a job gets unless it asks for less, seconds.
    pub execution_seconds: u64,
    /// The most a job may ask for, seconds.
    pub execution_hard_seconds: u64,
    /// How long a job and its result are kept, seconds.
    pub retention_seconds: u64,
    /// The longest retention a client may ask for, seconds.
    pub retention_hard_seconds: u64,
    /// Jobs executing at once.
    pub workers: usize,
}

impl Default for AsyncLimits {
    fn default() -> Self {
        AsyncLimits {
            execution_seconds: 3600,
            execution_hard_seconds: 4 * 3600,
            retention_seconds: 7 * 86400,
            retention_hard_seconds: 30 * 86400,
            workers: 2,
        }
    }
}
