//! SODA's errors (SODA 1.0 §5.2): a label (`UsageError`, `AuthenticationError`, …) and a
//! message — sent as a text/plain document by /soda/sync, kept as the error of an
//! asynchronous job.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use vo_cutout::CutoutError;
use vo_endpoint::Failure;

#[derive(Debug, Clone, PartialEq)]
pub struct SodaError {
    pub status: StatusCode,
    pub label: &'static str,
    pub message: String,
}

impl SodaError {
    pub fn usage(message: impl Into<String>) -> SodaError {
        SodaError {
            status: StatusCode::BAD_REQUEST,
            label: "UsageError",
            message: message.into(),
        }
    }

    /// A failure from the shared pieces (finding the file, the database) in SODA's words.
    pub fn from_failure(failure: &Failure) -> SodaError {
        let label = match failure.status {
            StatusCode::UNAUTHORIZED => "AuthenticationError",
            StatusCode::FORBIDDEN => "AuthorizationError",
            StatusCode::SERVICE_UNAVAILABLE => "ServiceUnavailable",
            s if s.is_client_error() => "UsageError",
            _ => "Error",
        };
        // the shared messages start with DataLink's fault name; SODA has its own labels
        let message = failure
            .message
            .split_once("Fault: ")
            .map_or(failure.message.as_str(), |(_, rest)| rest);
        SodaError {
            status: failure.status,
            label,
            message: message.to_string(),
        }
    }

    pub fn from_cutout(error: CutoutError) -> SodaError {
        match error {
            CutoutError::NoOverlap(why) => SodaError::usage(format!("no overlap: {why}")),
            CutoutError::Usage(why) => SodaError::usage(why),
            other => {
                tracing::error!(error = %other, "a product cannot be cut");
                SodaError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    label: "Error",
                    message: other.to_string(),
                }
            }
        }
    }

    /// `Label: message`, as the document and a job's error say it.
    pub fn text(&self) -> String {
        format!("{}: {}", self.label, self.message)
    }

    pub fn response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status)
            .content_type("text/plain; charset=utf-8")
            .body(self.text() + "\n");
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static(vo_endpoint::AUTHENTICATE_CHALLENGE),
            );
        }
        response
    }
}
