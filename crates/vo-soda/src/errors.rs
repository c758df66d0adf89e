//! SODA's error documents (SODA 1.0 §5.2): text/plain beginning with an error label.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use vo_endpoint::Failure;

pub fn soda_error(status: StatusCode, label: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(format!("{label}: {message}\n"))
}

/// A failure from the shared pieces (finding the file, the database) in SODA's words.
pub fn from_failure(failure: &Failure) -> HttpResponse {
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
    let mut response = soda_error(failure.status, label, message);
    if failure.status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            actix_web::http::header::WWW_AUTHENTICATE,
            actix_web::http::header::HeaderValue::from_static("Basic realm=\"archive\""),
        );
    }
    response
}
