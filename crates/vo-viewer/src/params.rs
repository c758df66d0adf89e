//! The viewer's numeric parameters: each named in its error with what it should be.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use vo_endpoint::{json_failure, Params};

/// A whole-number parameter, required.
pub(crate) fn whole(params: &Params, name: &str, what: &str) -> Result<i64, HttpResponse> {
    match params.get(name).map(str::trim) {
        None | Some("") => Err(json_failure(
            StatusCode::BAD_REQUEST,
            format!("{name} is missing: {what}"),
        )),
        Some(text) => text.parse::<i64>().map_err(|_| {
            json_failure(
                StatusCode::BAD_REQUEST,
                format!("{name}={text:?} is not a whole number: {what}"),
            )
        }),
    }
}

/// A whole-number parameter that may be left out.
pub(crate) fn optional_whole(
    params: &Params,
    name: &str,
    what: &str,
) -> Result<Option<i64>, HttpResponse> {
    match params.get(name).map(str::trim) {
        None | Some("") => Ok(None),
        Some(_) => whole(params, name, what).map(Some),
    }
}

/// A number (pixels may be fractional: a box drawn on a zoomed view), required.
pub(crate) fn number(params: &Params, name: &str, what: &str) -> Result<f64, HttpResponse> {
    match params.get(name).map(str::trim) {
        None | Some("") => Err(json_failure(
            StatusCode::BAD_REQUEST,
            format!("{name} is missing: {what}"),
        )),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                json_failure(
                    StatusCode::BAD_REQUEST,
                    format!("{name}={text:?} is not a number: {what}"),
                )
            }),
    }
}
