//! The cube viewer's endpoints, for the page's viewer (the role CARTA plays for ALMA) and for
//! scripts: every FITS product the caller may read, opened from its memory map.
//!
//! Owns: `/cube/{name}` (what the viewer shows about the cube: size, tile levels, each
//! channel's frequency and velocity, unit, beam),
//! `/cube/{name}/tiles?channel&level&x0[&x1]&y0[&y1]` (tiles of a channel, up to 64 in one
//! answer, each as four little-endian u32 — column, row, width, height — and its values as
//! little-endian float32, row by row from the bottom, NaN for blank; the same tiles of the
//! next channel are read ahead), `/cube/{name}/spectrum?x&y` (the pixel's z-profile and sky
//! position) and `/cube/{name}/stats?channel&x0&y0&x1&y1[&first&last]` (statistics of a box
//! in one channel, and the SODA cutout of that box over the channels asked for); their
//! parameter checks and errors (JSON, naming the parameter and its valid range), caching
//! headers (public for released data, private otherwise).
//! Does not own: the reads (vo-cube), which file a name means and who may read it (vo-archive
//! through vo-endpoint), cutting (SODA), or drawing (the page).

mod answers;
mod opened;
mod params;

use actix_web::web;

/// What the viewer routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct ViewerService {
    /// Where the archive's files are (`archive.file.path` is relative to it).
    pub data_dir: vo_archive::DataDir,
}

/// Registers the viewer routes under `/cube`. The application provides
/// `web::Data<vo_db::Pool>`.
pub fn configure(service: ViewerService) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::scope(vo_catalogue::routes::CUBE)
                .app_data(web::Data::new(service))
                .service(web::resource("/{name}").get(answers::info))
                .service(web::resource("/{name}/tiles").get(answers::tiles))
                .service(web::resource("/{name}/spectrum").get(answers::spectrum))
                .service(web::resource("/{name}/stats").get(answers::stats)),
        );
    }
}
