//! `/sia2/capabilities` (VOSI), and the same capabilities for the registry record: SIA 2.0's
//! query as the SIA registry extension (`sia:SimpleImageAccess`) describes it — existing
//! images and cubes ("Pointed"), with the limits this service holds to.

use crate::Sia2Service;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_endpoint::{base_url, capabilities_document, escape_xml, vosi_capabilities, xml_response};

/// SIA 2.0's `capability` elements, the service at `public_url`.
pub fn capability_elements(service: &Sia2Service, public_url: &str) -> String {
    let base = format!("{public_url}{}", vo_catalogue::routes::SIA2);
    let mut out = format!(
        "<capability standardID=\"ivo://ivoa.net/std/SIA#query-2.0\" xsi:type=\"sia:SimpleImageAccess\">\
         <interface xsi:type=\"vs:ParamHTTP\" role=\"std\" version=\"2.0\"><accessURL use=\"base\">{}</accessURL></interface>\
         <imageServiceType>Pointed</imageServiceType>\
         <maxQueryRegionSize><long>{widest}</long><lat>{widest}</lat></maxQueryRegionSize>\
         <maxRecords>{}</maxRecords>\
         </capability>",
        escape_xml(&format!("{base}/query")),
        service.maxrec_hard,
        // POS's circles have at most this radius (vo-region's limit); polygons no size limit
        widest = 2.0 * vo_region::MAX_CIRCLE_RADIUS_DEG,
    );
    vosi_capabilities(&mut out, &base);
    out
}

pub async fn capabilities(request: HttpRequest, service: web::Data<Sia2Service>) -> HttpResponse {
    xml_response(
        StatusCode::OK,
        capabilities_document(&capability_elements(&service, &base_url(&request))),
    )
}
