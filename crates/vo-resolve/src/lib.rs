//! The name resolver's endpoints.
//!
//! Owns: `/resolve?name=…` (JSON: the object, its position, type and other names, and the
//! archive's own target name for it; or "did you mean" names), `/sesame/[-o…/]DB?NAME` in
//! CDS Sesame's plain text or XML (`-ox`) so astropy's `SkyCoord.from_name` and
//! astroquery's `Alma.query_object` resolve through this service; the resolver the
//! endpoints share, built from the shipped catalogue's objects and the archive's target
//! names, and refreshed from the database as the archive changes; `/resolve/complete`, the
//! form's completion of source names, project codes, PIs, keywords and categories from the
//! archive's own values; the catalogue's objects in the database, for object types
//! (`archive.catalogue_object`, and each observation's objects in `alma.object_in_footprint`).
//! Does not own: names, keys and the lookup (vo-names), or where the catalogue file is
//! (the binary's configuration).

mod complete;
mod objects;
mod refresh;
mod routes;

pub use objects::{catalogue_digest, sync_catalogue};
pub use refresh::{archive_targets, refresh_now, start_refresh, Names};

use actix_web::web;

/// Registers `/resolve` and `/sesame`. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(names: Names) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(names))
            .service(web::resource(vo_catalogue::routes::RESOLVE).get(routes::resolve))
            .service(
                web::resource(format!("{}/complete", vo_catalogue::routes::RESOLVE))
                    .get(complete::complete),
            )
            .service(
                web::resource(format!("{}/{{path:.*}}", vo_catalogue::routes::SESAME))
                    .get(routes::sesame),
            );
    }
}
