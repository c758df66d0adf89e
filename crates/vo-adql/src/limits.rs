//! The size of query this service takes, and the stack its walks over a query run on.

use crate::error::AdqlError;

/// The longest query text accepted, in bytes: far above what clients send (the longest of
/// the real ALMA client queries is about 1 kB), low enough that tokens and syntax tree of the
/// largest query stay a few tens of megabytes.
pub const MAX_QUERY_BYTES: usize = 256 * 1024;

/// Refuses a query text over [`MAX_QUERY_BYTES`].
pub(crate) fn check_size(adql: &str) -> Result<(), AdqlError> {
    if adql.len() > MAX_QUERY_BYTES {
        return Err(AdqlError::new(
            format!(
                "the query is {} bytes long, more than this service's limit of {MAX_QUERY_BYTES}",
                adql.len()
            ),
            1,
            1,
        )
        .with_hint("for a long list of values, upload the values as a table (TAP_UPLOAD)"));
    }
    Ok(())
}

/// The stack a walk over a query of [`crate::MAX_NESTING`] levels needs, with room to spare:
/// measured at about 7 kB a level unoptimised and 1 kB optimised.
const STACK_NEEDED: usize = if cfg!(debug_assertions) {
    12 << 20
} else {
    4 << 20
};

/// Runs `work` (parsing, validating, translating and dropping a syntax tree) where at least
/// [`STACK_NEEDED`] bytes of stack remain: on the calling thread when it has them (the
/// server's HTTP workers and blocking threads have 16 MiB), else on a stack of that size
/// made for the call (the main thread, where jobs run, in an unoptimised build; tests).
pub(crate) fn with_stack<T>(work: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(STACK_NEEDED, STACK_NEEDED, work)
}
