//! Which answers are compressed: text (VOTable TABLEDATA, CSV, TSV, JSON, XML, HTML, the
//! page's scripts and styles) when the client asks for gzip or brotli, never files (any answer
//! offering byte ranges, a README too), images, FITS, binary tiles or byte ranges — a download keeps its exact `Content-Length` and its
//! resumable ranges, and a PNG or FITS product would not shrink.
//!
//! actix-web's `Compress` middleware compresses every answer that has no `Content-Encoding`
//! (and is not an image); [`keep_as_is`] gives the others `Content-Encoding: identity` on the
//! way out, inside `Compress`, and [`drop_identity`], outside it, removes that header again:
//!
//! ```ignore
//! App::new()
//!     .wrap_fn(|req, srv| { let answer = srv.call(req); async { answer.await.map(keep_as_is) } })
//!     .wrap(Compress::default())
//!     .wrap_fn(|req, srv| { let answer = srv.call(req); async { answer.await.map(drop_identity) } })
//! ```

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderValue, ACCEPT_RANGES, CONTENT_ENCODING, CONTENT_RANGE, CONTENT_TYPE,
};
use actix_web::http::StatusCode;

/// Whether a media type is text that compresses.
pub fn is_compressible(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/javascript"
                | "application/xml"
                | "application/x-votable+xml"
                | "application/x-ndjson"
                | "image/svg+xml"
        )
        || (essence.starts_with("application/") && essence.ends_with("+xml"))
}

/// Marks an answer that must not be compressed (see the module's documentation).
pub fn keep_as_is<B>(mut response: ServiceResponse<B>) -> ServiceResponse<B> {
    let headers = response.headers();
    let text = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_compressible);
    let partial =
        response.status() == StatusCode::PARTIAL_CONTENT || headers.contains_key(CONTENT_RANGE);
    // an answer that offers byte ranges is a file (a README too): its length is its size
    let file = headers
        .get(ACCEPT_RANGES)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"bytes"));
    if (!text || partial || file) && !headers.contains_key(CONTENT_ENCODING) {
        response
            .headers_mut()
            .insert(CONTENT_ENCODING, HeaderValue::from_static("identity"));
    }
    response
}

/// Removes the mark [`keep_as_is`] left (an answer sent as it is needs no `Content-Encoding`).
pub fn drop_identity<B>(mut response: ServiceResponse<B>) -> ServiceResponse<B> {
    if response
        .headers()
        .get(CONTENT_ENCODING)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"identity"))
    {
        response.headers_mut().remove(CONTENT_ENCODING);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_compresses_and_files_do_not() {
        for text in [
            "text/csv",
            "text/tab-separated-values; charset=utf-8",
            "application/x-votable+xml;serialization=TABLEDATA",
            "application/json",
            "text/html; charset=utf-8",
            "application/javascript",
            "application/xml",
        ] {
            assert!(is_compressible(text), "{text}");
        }
        for binary in [
            "application/fits",
            "application/octet-stream",
            "image/png",
            "application/x-tar",
            "application/vnd.apache.parquet",
            "",
        ] {
            assert!(!is_compressible(binary), "{binary}");
        }
    }
}
