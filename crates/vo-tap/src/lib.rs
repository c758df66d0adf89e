//! The TAP endpoint: routes under `/tap`.
//!
//! Owns: TAP's HTTP surface. Today that is VOSI availability; sync/async queries, VOSI
//! capabilities and tables arrive with the ADQL translator. Does not own: ADQL, result
//! formats or the database (other crates), nor the server itself (the binary composes).

use actix_web::web;

/// Registers the TAP routes. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/tap").route("/availability", web::get().to(vo_endpoint::availability)),
    );
}
