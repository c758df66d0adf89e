//! `/datalink/capabilities` (VOSI).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use vo_endpoint::{
    base_url, capabilities_end, capabilities_start, param_http_capability, vosi_capabilities,
    xml_response,
};

pub async fn capabilities(request: HttpRequest) -> HttpResponse {
    let base = format!("{}{}", base_url(&request), vo_catalogue::routes::DATALINK);
    let mut out = capabilities_start();
    param_http_capability(
        &mut out,
        "ivo://ivoa.net/std/DataLink#links-1.1",
        &format!("{base}/sync"),
    );
    vosi_capabilities(&mut out, &base);
    capabilities_end(&mut out);
    xml_response(StatusCode::OK, out)
}
