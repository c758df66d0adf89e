//! The similarity endpoints.
//!
//! Owns: `/similar/projects?code=…&n=…` — the projects most like a project (BM25 "more
//! like this" over title, abstract, keywords and category), in JSON (default) or VOTable
//! (`RESPONSEFORMAT=votable`), each with its score and the share link that opens it as a
//! query; the project index the endpoint shares, built from `archive.project` when the
//! server starts and added to as new projects arrive; `alma.similar_project`, each project's
//! ten most similar, for ADQL.
//! `/similar/images?id=…[&id=…]&n=…` — the (up to 1,000) released science images most like
//! one or several selected ones by morphology, with the five largest groups among them and
//! each image's standardised vector (for re-ranking in the page), in JSON or VOTable;
//! `/similar/images/sheet.png` — their thumbnails on one sheet; and measuring the archive's
//! images into `archive.image_feature` (features and thumbnails), from which the image
//! index is loaded.
//! Does not own: the indexes, features and rankings (vo-similarity), reading FITS planes and
//! drawing thumbnails (vo-preview), or who may read which file (only released images are
//! measured).

mod images;
mod measure;
mod neighbours;
mod projects;

pub use images::SimilarImages;
pub use measure::start_measuring;
pub use projects::{start_indexing, SimilarProjects};

use actix_web::web;

/// Registers `/similar/projects`, `/similar/images` and `/similar/images/sheet.png`.
pub fn configure(
    projects: SimilarProjects,
    images: SimilarImages,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let base = vo_catalogue::routes::SIMILAR;
        cfg.app_data(web::Data::new(projects))
            .app_data(web::Data::new(images))
            .service(web::resource(format!("{base}/projects")).get(projects::similar_projects))
            .service(web::resource(format!("{base}/images")).get(images::similar_images))
            .service(web::resource(format!("{base}/images/sheet.png")).get(images::sheet));
    }
}
