//! XML response helpers.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

pub use vo_results::escape_xml;

/// An XML document response (`text/xml`, UTF-8).
pub fn xml_response(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/xml; charset=utf-8")
        .body(body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            super::escape_xml("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
