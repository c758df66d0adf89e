//! The DataLink 1.1 endpoint: routes under `/datalink`.
//!
//! Owns: `/datalink/sync` (GET or POST, one or more `ID`s), its capabilities and
//! availability, and the links document: ALMA's columns in ALMA's order plus `readable`,
//! TABLEDATA with empty cells for absent strings, a bounded `semantics` arraysize, and the
//! service descriptors the rows refer to.
//! Does not own: what the links are (vo-archive finds them) or what they point to (the
//! download, preview and SODA endpoints).

mod capabilities;
pub use capabilities::capability_elements;
mod document;
mod sync;

pub use sync::requested_ids;

use actix_web::web;

/// What the DataLink routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct DataLinkService {
    /// Where the archive's files are (`archive.file.path` is relative to it).
    pub data_dir: vo_archive::DataDir,
    /// The most IDs one request may ask for.
    pub max_ids: usize,
}

/// Registers the DataLink routes. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(service: DataLinkService) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::scope(vo_catalogue::routes::DATALINK)
                .app_data(web::Data::new(service))
                .service(
                    web::resource(vo_catalogue::routes::SYNC)
                        .route(web::get().to(sync::links))
                        .route(web::post().to(sync::links)),
                )
                .service(web::resource("/availability").get(vo_endpoint::availability))
                .service(web::resource("/capabilities").get(capabilities::capabilities)),
        );
    }
}
