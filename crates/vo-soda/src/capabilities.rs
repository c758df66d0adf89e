//! `/soda/capabilities` (VOSI), and the same capabilities for the registry record.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use vo_endpoint::{
    base_url, capabilities_document, param_http_capability, vosi_capabilities, xml_response,
};

/// SODA's `capability` elements, the service at `public_url`.
pub fn capability_elements(public_url: &str) -> String {
    let base = format!("{public_url}{}", vo_catalogue::routes::SODA);
    let mut out = String::new();
    param_http_capability(
        &mut out,
        "ivo://ivoa.net/std/SODA#sync-1.0",
        &format!("{base}/sync"),
    );
    param_http_capability(
        &mut out,
        "ivo://ivoa.net/std/SODA#async-1.0",
        &format!("{base}/async"),
    );
    vosi_capabilities(&mut out, &base);
    out
}

pub async fn capabilities(request: HttpRequest) -> HttpResponse {
    xml_response(
        StatusCode::OK,
        capabilities_document(&capability_elements(&base_url(&request))),
    )
}
