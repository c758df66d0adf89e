//! The SIA 2.0 endpoint: routes under `/sia2`.
//!
//! Owns: SIA 2.0's query parameters (POS, BAND, TIME, POL, FOV, SPATRES, EXPTIME, ID,
//! COLLECTION, FACILITY, INSTRUMENT, DPTYPE, CALIB, TARGET, TIMERES, SPECRP, FORMAT, MAXREC)
//! turned into an ADQL query over `ivoa.obscore`, and its VOSI capabilities and availability.
//! Does not own: translation, execution or the result format — the ADQL goes through the
//! same planner, executor and writers as TAP (vo-query) — nor the sky values POS is read as
//! (vo-region).

mod capabilities;
mod constraints;
mod query;

pub use capabilities::capability_elements;
pub use constraints::{adql_for, Sia2Error, MAX_VALUES};
pub use query::plan;

use actix_web::web;
use std::sync::Arc;
use vo_catalogue::Catalogue;

/// What the SIA2 routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct Sia2Service {
    pub catalogue: Arc<Catalogue>,
    /// MAXREC when the request has none, and the most it may ask for.
    pub maxrec_default: u64,
    pub maxrec_hard: u64,
    /// Time limit of one query.
    pub seconds: u64,
    /// Where queries read: the primary and its replicas. `None`: the application's pool.
    pub reads: Option<Arc<vo_db::Reads>>,
}

/// Registers the SIA2 routes. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(service: Sia2Service) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::scope(vo_catalogue::routes::SIA2)
                .app_data(web::Data::new(service))
                .service(
                    web::resource("/query")
                        .route(web::get().to(query::query))
                        .route(web::post().to(query::query)),
                )
                .service(web::resource("/availability").get(vo_endpoint::availability))
                .service(web::resource("/capabilities").get(capabilities::capabilities)),
        );
    }
}
