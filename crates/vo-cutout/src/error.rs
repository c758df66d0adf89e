//! What can go wrong when cutting: the request misses the data, the request is malformed,
//! the file is not a cube this crate can cut, or reading it fails.

#[derive(Debug, thiserror::Error)]
pub enum CutoutError {
    /// A constraint selects nothing of the dataset; the message names the constraint and the
    /// dataset's extent along that axis.
    #[error("{0}")]
    NoOverlap(String),
    /// The request itself is malformed or cannot be applied to this dataset.
    #[error("{0}")]
    Usage(String),
    /// The file is not an image or cube that can be cut (no image in the primary HDU, no
    /// usable WCS, a header that cannot be read).
    #[error("{0}")]
    NotACube(String),
    #[error("{path}: I/O error: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl From<vo_fits::FitsError> for CutoutError {
    fn from(error: vo_fits::FitsError) -> Self {
        match error {
            vo_fits::FitsError::Io { path, source } => CutoutError::Io { path, source },
            other => CutoutError::NotACube(other.to_string()),
        }
    }
}

impl From<vo_fits::ImageError> for CutoutError {
    fn from(error: vo_fits::ImageError) -> Self {
        match error {
            vo_fits::ImageError::Io { path, source } => CutoutError::Io { path, source },
            other => CutoutError::NotACube(other.to_string()),
        }
    }
}
