//! The service's address as the client sees it, for absolute URLs in documents.

use actix_web::HttpRequest;

/// `scheme://host[:port]` of the request (from its Host header, or the forwarded headers a
/// proxy sets), so that URLs written into capabilities, job documents and links reach the
/// client whichever name it used.
pub fn base_url(request: &HttpRequest) -> String {
    let info = request.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}
