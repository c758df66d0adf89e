//! The limits of a service's asynchronous jobs (capabilities advertise them).

use serde::Deserialize;

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
    /// Jobs of one client executing at once. Below `workers`, another client's job never
    /// waits behind one client's long ones (the server warns at start when it is not).
    pub workers_per_client: usize,
}

impl Default for AsyncLimits {
    fn default() -> Self {
        AsyncLimits {
            execution_seconds: 3600,
            execution_hard_seconds: 4 * 3600,
            retention_seconds: 7 * 86400,
            retention_hard_seconds: 30 * 86400,
            workers: 2,
            workers_per_client: 1,
        }
    }
}
