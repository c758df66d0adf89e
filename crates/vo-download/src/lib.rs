//! Downloads: the archive's files and package tars, download scripts and previews.
//!
//! Owns: `/dataPortal/{name}` (GET and HEAD, `Content-Disposition: attachment;
//! filename=NAME` exactly as astroquery parses it, exact `Content-Length`, single byte
//! ranges answered 206 so interrupted downloads resume by appending, ETags, and 401 for data
//! still in their proprietary period), and `/dataPortal/script` (a bash script that fetches
//! the files of the IDs given in parallel, resumes, verifies SHA-256 checksums and can unpack
//! the tars; with `request=ID`, exactly a download request's files for its owner, proprietary
//! ones through signed URLs), and `/preview/{name}/{kind}` (quick-look images of FITS products, and a cube's
//! ADMIT-style line survey — `lines.json`, `moment0.png`, `moment1.png` — made on first
//! request and cached).
//! Does not own: drawing previews (vo-preview), the line survey (vo-admit), which file a name
//! means (vo-archive), links (DataLink), access rights beyond the release date.

mod file;
mod preview;
mod range;
mod script;
mod survey;

pub use survey::start_surveying;

use actix_web::web;

/// What the download routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct DownloadService {
    /// Where the archive's files are (`archive.file.path` is relative to it).
    pub data_dir: vo_archive::DataDir,
    /// Parallel downloads a script runs.
    pub script_streams: usize,
    /// The line list the line survey labels with (none: no labels).
    pub lines: Option<std::sync::Arc<vo_spectra::LineList>>,
    /// How long the signed URLs of a request's script stay valid, seconds.
    pub signed_url_seconds: u64,
    /// Where previews and line surveys are kept once made (`<data dir>/previews`, or a
    /// bucket), for every node.
    pub previews: vo_storage::Storage,
}

/// Registers the download routes. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(service: DownloadService) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::scope(vo_catalogue::routes::DATA_PORTAL)
                .app_data(web::Data::new(service.clone()))
                .service(
                    web::resource("/script")
                        .route(web::get().to(script::script))
                        .route(web::post().to(script::script)),
                )
                .service(
                    web::resource("/{name}")
                        .route(web::get().to(file::download))
                        .route(web::head().to(file::download)),
                )
                // ALMA's path for signed-in downloads, which astroquery suggests after a 401
                .service(
                    web::resource("/sso/{name}")
                        .route(web::get().to(file::download))
                        .route(web::head().to(file::download)),
                ),
        )
        .service(
            web::scope(vo_catalogue::routes::PREVIEW)
                .app_data(web::Data::new(service.clone()))
                .service(web::resource("/{name}/{kind}").get(preview::preview)),
        );
    }
}
