//! The SODA 1.0 endpoint: routes under `/soda`.
//!
//! Owns: `/soda/sync` (GET or POST: ID, CIRCLE, POLYGON, POS, BAND, TIME, POL; several IDs or
//! filter values give several cutouts in one multi-extension FITS), what a `/soda/async` job
//! is (one result per cutout), its capabilities and availability, and SODA's text/plain
//! error documents.
//! Does not own: cutting (vo-cutout), finding a dataset's file and its release (vo-archive
//! through vo-endpoint), reading the sky values (vo-region) and intervals (vo-endpoint), or
//! the UWS resources and workers (vo-uws-service).

mod async_jobs;
mod capabilities;
pub use capabilities::capability_elements;
mod cutouts;
mod errors;
mod request;
mod sync;

pub use async_jobs::{jobs, SodaJobs};
pub use request::{read as read_request, SodaRequest};

use actix_web::web;
use serde::Deserialize;
use vo_uws_service::AsyncLimits;

/// The limits of the SODA service (`[soda]` in the configuration).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SodaLimits {
    /// The most cutouts one request (or job) may ask for.
    pub max_cutouts: usize,
    /// Asynchronous jobs (/soda/async).
    #[serde(rename = "async")]
    pub jobs: AsyncLimits,
}

impl Default for SodaLimits {
    fn default() -> Self {
        SodaLimits {
            max_cutouts: 100,
            jobs: AsyncLimits::default(),
        }
    }
}

/// What the SODA routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct SodaService {
    /// Where the archive's files are (`archive.file.path` is relative to it).
    pub data_dir: vo_archive::DataDir,
    pub limits: SodaLimits,
}

/// Registers the SODA routes, with its jobs' resources. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(
    service: SodaService,
    jobs: vo_uws_service::Jobs<SodaJobs>,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let rules = vo_endpoint::ParamRules {
            refusal: |e| errors::SodaError::from_failure(&e.into()).response(),
            ..Default::default()
        };
        cfg.service(
            web::scope(vo_catalogue::routes::SODA)
                .app_data(web::Data::new(rules))
                .app_data(web::Data::new(service))
                .service(
                    web::resource(vo_catalogue::routes::SYNC)
                        .route(web::get().to(sync::cutout))
                        .route(web::post().to(sync::cutout)),
                )
                .service(vo_uws_service::scope(jobs))
                .service(web::resource("/availability").get(vo_endpoint::availability))
                .service(web::resource("/capabilities").get(capabilities::capabilities)),
        );
    }
}
