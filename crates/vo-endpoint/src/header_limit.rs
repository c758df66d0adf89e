//! A request's headers, all together, may not exceed a size: larger ones are answered with
//! 431 before any endpoint reads them. (The HTTP layer itself stops at 128 KiB and 96 headers;
//! no client of this service needs more than a few kB — a long bearer token, cookies.)

use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// The most header bytes (names and values) a request may carry.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The 431 answer for headers over the limit, or `None` when they are within it.
pub fn refusal(headers: &HeaderMap) -> Option<HttpResponse> {
    let size: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    (size > MAX_HEADER_BYTES).then(|| {
        HttpResponse::build(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "the request's headers take {size} bytes, more than this service's limit of {MAX_HEADER_BYTES}; send fewer or shorter headers\n"
            ))
    })
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    #[test]
    fn headers_over_the_limit_are_refused() {
        let small = TestRequest::default()
            .insert_header(("X-A", "b"))
            .to_http_request();
        assert!(super::refusal(small.headers()).is_none());
        let big = TestRequest::default()
            .insert_header(("X-Big", "a".repeat(super::MAX_HEADER_BYTES)))
            .to_http_request();
        let refused = super::refusal(big.headers()).expect("refused");
        assert_eq!(refused.status().as_u16(), 431);
    }
}
