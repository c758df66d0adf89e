//! Answers in JSON, for the endpoints that serve the page and scripts rather than VO
//! clients: the body, and the `{"error": …}` answer of a request that cannot be served,
//! including a query string that cannot be read.

use crate::{Failure, Params};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

/// A JSON answer (the value and a final newline).
pub fn json_response(status: StatusCode, value: serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(value.to_string() + "\n")
}

/// A JSON error answer: `{"error": message}`.
pub fn json_failure(status: StatusCode, message: impl Into<String>) -> HttpResponse {
    json_response(status, serde_json::json!({ "error": message.into() }))
}

/// The parameters of the query string, or the JSON error answer that says why they cannot
/// be read.
// the refusal is the answer itself, made once per request: no gain in boxing it
#[allow(clippy::result_large_err)]
pub fn json_query_params(request: &HttpRequest) -> Result<Params, HttpResponse> {
    Params::from_query(request.query_string()).map_err(|e| {
        let failure = Failure::from(e);
        json_failure(failure.status, failure.message)
    })
}

impl Failure {
    /// The failure as a JSON error answer (with the sign-in challenge of a 401).
    pub fn json_response(&self) -> HttpResponse {
        let mut response = json_failure(self.status, self.message.clone());
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                actix_web::http::header::WWW_AUTHENTICATE,
                actix_web::http::header::HeaderValue::from_static(crate::AUTHENTICATE_CHALLENGE),
            );
        }
        response
    }
}
