//! The DALI parameters every query endpoint reads the same way: MAXREC and RESPONSEFORMAT.

use crate::{Failure, Params};
use vo_results::Format;

/// The MAXREC a request gets: `default` when absent, capped at `hard` (not refused).
pub fn maxrec(params: &Params, default: u64, hard: u64) -> Result<u64, Failure> {
    match params.get("MAXREC") {
        None => Ok(default),
        Some(v) => v.trim().parse::<u64>().map(|m| m.min(hard)).map_err(|_| {
            Failure::bad_request(format!(
                "MAXREC '{v}' is not a number of rows (a whole number, 0 or more)"
            ))
        }),
    }
}

/// The result format the first present parameter of `names` asks for (TAP reads
/// RESPONSEFORMAT then FORMAT; SIA2, where FORMAT is a constraint, only RESPONSEFORMAT);
/// TABLEDATA VOTable when none is given.
pub fn response_format(params: &Params, names: &[&str]) -> Result<Format, Failure> {
    match names.iter().find_map(|n| params.get(n)) {
        None => Ok(Format::VotableTabledata),
        Some(v) if v.trim().is_empty() => Ok(Format::VotableTabledata),
        Some(v) => Format::parse(v).map_err(|e| Failure::bad_request(e.0)),
    }
}
