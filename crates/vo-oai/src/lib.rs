//! The OAI-PMH 2.0 publishing registry (IVOA Registry Interfaces 1.0): `/oai`, by GET or a
//! POSTed form, answers Identify (with the registry's own `vg:Registry` record),
//! ListMetadataFormats (`ivo_vor`, `oai_dc`), ListSets (`ivo_managed`), ListIdentifiers,
//! ListRecords and GetRecord over the records vo-registry stores, selected by datestamp
//! (`from`, `until`), in pages continued by resumption tokens. Every problem is answered as
//! the protocol defines it: an `error` element with its code, HTTP 200.
//!
//! Owns: the arguments and their rules, the tokens, the response documents. Does not own:
//! the records or their dates (vo-registry), when they are refreshed (the server).

mod arguments;
mod respond;
mod token;

use actix_web::{web, HttpResponse};
use vo_endpoint::Params;

/// The registry as its Identify answer describes it.
#[derive(Debug, Clone)]
pub struct OaiRegistry {
    /// The OAI-PMH base URL (`server.public_url` + `/oai`).
    pub base_url: String,
    pub repository_name: String,
    pub admin_email: String,
    /// The registry's own record (`vg:Registry`), shown in Identify.
    pub registry_ivoid: String,
    /// The most records (or headers) one answer holds.
    pub page_size: usize,
}

async fn oai(
    params: Result<Params, actix_web::Error>,
    registry: web::Data<OaiRegistry>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    respond::answer(&registry, &pool, params.map_err(|e| e.to_string())).await
}

/// Registers `/oai` (GET and POST). The application provides `web::Data<vo_db::Pool>`.
pub fn configure(registry: OaiRegistry) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::resource(vo_catalogue::routes::OAI)
                .app_data(web::Data::new(registry))
                .route(web::get().to(oai))
                .route(web::post().to(oai)),
        );
    }
}
