//! The SODA 1.0 endpoint: routes under `/soda`.
//!
//! Owns: `/soda/sync` (GET or POST: ID, CIRCLE, POLYGON, POS, BAND, TIME, POL; several IDs or
//! filter values give several cutouts in one multi-extension FITS), its capabilities and
//! availability, and SODA's text/plain error documents.
//! Does not own: cutting (vo-cutout), finding a dataset's file and its release (vo-archive
//! through vo-endpoint), or parsing DALI values (vo-endpoint).

mod capabilities;
mod errors;
mod request;
mod sync;

use actix_web::web;
use std::path::PathBuf;

/// What the SODA routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct SodaService {
    /// Where the archive's files are (`archive.file.path` is relative to it).
    pub data_dir: PathBuf,
    /// The most cutouts one request may ask for.
    pub max_cutouts: usize,
}

/// Registers the SODA routes. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(service: SodaService) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::scope("/soda")
                .app_data(web::Data::new(service))
                .route("/sync", web::get().to(sync::cutout))
                .route("/sync", web::post().to(sync::cutout))
                .route("/availability", web::get().to(vo_endpoint::availability))
                .route("/capabilities", web::get().to(capabilities::capabilities)),
        );
    }
}
