//! The TAP 1.1 endpoint: routes under `/tap`.
//!
//! Owns: TAP's HTTP surface — `/tap/sync` (GET and POST, form and multipart, uploads),
//! `/tap/async` (what a TAP job is; the UWS resources and workers are vo-uws-service'), VOSI
//! capabilities, availability and tables, DALI examples (from `schema/examples.toml`), and
//! the limits it advertises and enforces.
//! Does not own: ADQL (vo-adql), result formats (vo-results), planning, running a query and
//! streaming it (vo-query), the database (vo-db), nor the server itself (the binary composes).

mod async_jobs;
mod capabilities;
mod examples;
mod fetch;
mod limits;
mod request;
mod sync;
mod tables;
mod upload;

pub use async_jobs::{jobs, TapJobs};
pub use capabilities::{capability_elements, ServerLimits};
pub use limits::TapLimits;
pub use request::{check, plan};
pub use tables::schema_elements;
pub use vo_uws_service::AsyncLimits;

use actix_web::web;
use std::sync::Arc;
use vo_catalogue::Catalogue;

/// What the TAP routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct TapService {
    pub catalogue: Arc<Catalogue>,
    pub limits: TapLimits,
    /// The service's public URL, for links in asynchronous results (which are read later,
    /// perhaps through another name than the one the job was created with).
    pub public_url: String,
    /// Where queries read: the primary and its replicas. `None`: the application's pool.
    pub reads: Option<Arc<vo_db::Reads>>,
}

/// Registers the TAP routes, with its jobs' resources. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(
    service: TapService,
    jobs: vo_uws_service::Jobs<TapJobs>,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let rules = vo_endpoint::ParamRules {
            max_body: service.limits.upload_bytes,
            ..Default::default()
        };
        cfg.service(
            web::scope(vo_catalogue::routes::TAP)
                .app_data(web::Data::new(rules))
                .app_data(web::Data::new(service))
                .service(
                    web::resource(vo_catalogue::routes::SYNC)
                        .route(web::get().to(sync::sync))
                        .route(web::post().to(sync::sync)),
                )
                .service(vo_uws_service::scope(jobs))
                .service(web::resource("/availability").get(vo_endpoint::availability))
                .service(web::resource("/capabilities").get(capabilities::capabilities))
                .service(web::resource("/examples").get(examples::examples_page))
                .service(web::resource("/tables").get(tables::tableset))
                .service(web::resource("/tables/{name}").get(tables::table)),
        );
    }
}
