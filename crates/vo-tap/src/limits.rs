//! The limits a TAP service enforces and advertises (capabilities show exactly these).

use serde::Deserialize;
use vo_uws_service::AsyncLimits;

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
    /// Whether tables named by URL may be fetched from private or local addresses
    /// (loopback, private networks, link-local): off, so uploads cannot probe the
    /// service's own network.
    pub upload_from_private_hosts: bool,
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
            upload_from_private_hosts: false,
            jobs: AsyncLimits::default(),
        }
    }
}
