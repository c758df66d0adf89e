//! The password grant (RFC 6749 §4.3, as Keycloak answers it) and the discovery document
//! astroquery checks before logging in.

use crate::{database, json, json_error, AccessService, REALM_PATH};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_endpoint::{base_url, Params};

/// The OpenID provider metadata of the realm (what a client needs to log in).
pub async fn discovery(request: HttpRequest) -> HttpResponse {
    let issuer = format!("{}{REALM_PATH}", base_url(&request));
    json(
        StatusCode::OK,
        serde_json::json!({
            "issuer": issuer,
            "token_endpoint": format!("{issuer}/protocol/openid-connect/token"),
            "grant_types_supported": ["password"],
            "response_types_supported": ["token"],
            "token_endpoint_auth_methods_supported": ["none"],
            "subject_types_supported": ["public"],
        }),
    )
}

/// `grant_type=password&username=…&password=…` → a bearer token.
pub async fn token(
    params: Params,
    service: web::Data<AccessService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    match params.get("grant_type").map(str::trim) {
        Some("password") => {}
        Some(other) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("grant_type={other} is not supported; use grant_type=password"),
            )
        }
        None => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is missing; send grant_type=password with username and password",
            )
        }
    }
    let (Some(user), Some(password)) = (params.get("username"), params.get("password")) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "username and password are required",
        );
    };
    let client = match database(&pool).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    // the connection goes back to the pool while the password is verified (slow, on purpose)
    let record = vo_auth::password_record(&client, user).await;
    drop(client);
    let account = match record {
        Ok(record) => record.verify(password).await,
        Err(e) => {
            return json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                &e.to_string(),
            )
        }
    };
    let client = match database(&pool).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let account = match account {
        Some(account) => account,
        // Keycloak's words: astroquery recognises them
        None => {
            tracing::info!(user = ?user, "login refused");
            return json_error(
                StatusCode::UNAUTHORIZED,
                "invalid_grant",
                "Invalid user credentials",
            );
        }
    };
    match vo_auth::issue_token(&client, &account.user_id, service.token_lifetime).await {
        Ok(issued) => {
            tracing::info!(user = %account.user_id, "token issued");
            let mut response = json(
                StatusCode::OK,
                serde_json::json!({
                    "access_token": issued.token,
                    "token_type": "Bearer",
                    "expires_in": service.token_lifetime.as_secs(),
                    "scope": "openid",
                }),
            );
            // RFC 6749 §5.1: a token is never stored by a cache
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(e) => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            &e.to_string(),
        ),
    }
}
