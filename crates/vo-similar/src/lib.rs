//! The similarity endpoints.
//!
//! Owns: `/similar/projects?code=…&n=…` — the projects most like a project (BM25 "more
//! like this" over title, abstract, keywords and category), in JSON (default) or VOTable
//! (`RESPONSEFORMAT=votable`), each with its score and the share link that opens it as a
//! query; the project index the endpoint shares, built from `archive.project` when the
//! server starts and added to as new projects arrive.
//! Does not own: the index and the ranking (vo-similarity), or image similarity.

mod projects;

pub use projects::{start_indexing, SimilarProjects};

use actix_web::web;

/// Registers `/similar/projects`.
pub fn configure(projects: SimilarProjects) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(projects)).service(
            web::resource(format!("{}/projects", vo_catalogue::routes::SIMILAR))
                .get(projects::similar_projects),
        );
    }
}
