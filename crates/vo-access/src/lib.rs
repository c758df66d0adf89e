//! The account endpoints: routes under `/auth`.
//!
//! Owns: the OpenID-Connect-style token endpoint at the path astroquery's `Alma.login` uses
//! (`/auth/realms/ALMA/protocol/openid-connect/token`, password grant → an expiring bearer
//! token) and its discovery document (`/auth/realms/ALMA/.well-known/openid-configuration`);
//! `/auth/me` (who the credentials name and which projects' proprietary data they open); and
//! a PI's delegations (`/auth/delegations`: list, grant, revoke — manual §2.2).
//! Does not own: accounts, tokens and the delegation rules (vo-auth), reading credentials
//! from requests (vo-endpoint), or deciding access to files (vo-archive).

mod delegations;
mod me;
mod token;

use actix_web::web;

/// What the account routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct AccessService {
    /// How long an issued bearer token is valid.
    pub token_lifetime: std::time::Duration,
}

/// The realm astroquery's `Alma.login` addresses.
pub const REALM_PATH: &str = "/auth/realms/ALMA";

/// Registers the account routes. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(service: AccessService) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        // account requests are a few short fields; refusals in OAuth's JSON
        let rules = vo_endpoint::ParamRules {
            max_body: 16 * 1024,
            refusal: |e| json_error(e.1, "invalid_request", &e.0),
        };
        cfg.service(
            web::scope(vo_catalogue::routes::AUTH)
                .app_data(web::Data::new(rules))
                .app_data(web::Data::new(service))
                .service(
                    web::resource("/realms/ALMA/.well-known/openid-configuration")
                        .route(web::get().to(token::discovery))
                        // astroquery finds a usable login host with HEAD
                        .route(web::head().to(token::discovery)),
                )
                .service(
                    web::resource("/realms/ALMA/protocol/openid-connect/token").post(token::token),
                )
                .service(web::resource("/me").get(me::me))
                .service(
                    web::resource("/delegations")
                        .route(web::get().to(delegations::list))
                        .route(web::post().to(delegations::grant)),
                )
                .service(
                    web::resource("/delegations/{project}/{user}").delete(delegations::revoke),
                ),
        );
    }
}

/// A JSON answer.
pub(crate) use vo_endpoint::json_response as json;

/// A JSON error in OAuth's shape (`error`, `error_description`), with the challenge on 401.
pub(crate) fn json_error(
    status: actix_web::http::StatusCode,
    error: &str,
    description: &str,
) -> actix_web::HttpResponse {
    let mut response = json(
        status,
        serde_json::json!({ "error": error, "error_description": description }),
    );
    if status == actix_web::http::StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            actix_web::http::header::WWW_AUTHENTICATE,
            actix_web::http::header::HeaderValue::from_static(vo_endpoint::AUTHENTICATE_CHALLENGE),
        );
    }
    response
}

/// A database connection, or the JSON error to answer with.
pub(crate) async fn database(
    pool: &vo_db::Pool,
) -> Result<deadpool_postgres::Object, actix_web::HttpResponse> {
    vo_endpoint::connect(pool)
        .await
        .map_err(|f| json_error(f.status, "temporarily_unavailable", &f.message))
}
