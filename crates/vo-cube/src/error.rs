//! Why a viewer's read cannot be made: each message names the parameter, its value and the
//! valid range.

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ViewError {
    #[error("{parameter}={value} is out of range: {valid}")]
    OutOfRange {
        parameter: &'static str,
        value: i64,
        valid: String,
    },
    #[error("{0}")]
    Invalid(String),
}

/// `value` as an index below `count`, or the error naming `parameter` and the valid range.
pub(crate) fn index(
    parameter: &'static str,
    value: i64,
    count: usize,
    what: &str,
) -> Result<usize, ViewError> {
    if value >= 0 && (value as u64) < count as u64 {
        Ok(value as usize)
    } else {
        Err(ViewError::OutOfRange {
            parameter,
            value,
            valid: if count == 0 {
                format!("the cube has no {what}")
            } else {
                format!("the cube has {count} {what}, 0 to {}", count - 1)
            },
        })
    }
}
