//! What can go wrong while previewing a file; every message names the file.

/// Why a preview could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a readable FITS file: {message}")]
    NotFits { path: String, message: String },
    #[error("{path}: no image HDU: {message}")]
    NoImage { path: String, message: String },
    #[error("{path}: unsupported WCS: {message}")]
    UnsupportedWcs { path: String, message: String },
    #[error("{path}: no valid pixels: every pixel of the {what} is blank (NaN)")]
    NoValidPixels { path: String, what: &'static str },
    #[error("{path}: the image has one channel, so it has no spectrum to plot")]
    SingleChannel { path: String },
    #[error("{path}: cannot encode the PNG: {message}")]
    Encoding { path: String, message: String },
}
