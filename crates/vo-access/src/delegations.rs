//! A PI's delegations over HTTP (manual §2.2): `GET /auth/delegations` lists what the caller
//! granted (as PI) and received; `POST` with `project` and `user` grants a user access to a
//! whole project; `DELETE /auth/delegations/{project}/{user}` revokes it. Only the
//! project's PI may do either — a delegee cannot delegate further — and only with a bearer
//! token.

use crate::{database, json, json_error};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_auth::{AuthError, Delegation, Granter};
use vo_endpoint::Params;

fn described(d: &Delegation) -> serde_json::Value {
    serde_json::json!({
        "project": d.project_code,
        "user": d.delegee,
        "granted_by": d.granted_by,
        "granted_at": d.granted_at.to_rfc3339(),
        "revoked_at": d.revoked_at.map(|t| t.to_rfc3339()),
    })
}

fn refused(e: AuthError) -> HttpResponse {
    let (status, error) = match &e {
        AuthError::NotPi { .. } => (StatusCode::FORBIDDEN, "access_denied"),
        AuthError::NoSuchProject(_) | AuthError::NoSuchUser(_) => {
            (StatusCode::NOT_FOUND, "not_found")
        }
        AuthError::Db(_) => (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable"),
        _ => (StatusCode::BAD_REQUEST, "invalid_request"),
    };
    json_error(status, error, &e.to_string())
}

/// The signed-in caller, or the 401 to send.
async fn signed_in(request: &HttpRequest, pool: &vo_db::Pool) -> Result<String, HttpResponse> {
    match vo_endpoint::identity::authenticate(request, pool).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(json_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "sign in (HTTP Basic or a bearer token) to see or change delegations",
        )),
        Err(f) => Err(json_error(f.status, "invalid_token", &f.message)),
    }
}

/// The signed-in caller about to change delegations. Changes need a bearer token: HTTP
/// Basic credentials a browser remembers would let any web page the PI visits make the
/// browser grant a delegation (cross-site request forgery); a bearer token is only ever sent
/// by a program that holds it.
async fn changer(request: &HttpRequest, pool: &vo_db::Pool) -> Result<String, HttpResponse> {
    if let Ok(Some(vo_endpoint::identity::Credentials::Basic { .. })) =
        vo_endpoint::identity::credentials(request)
    {
        return Err(json_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            "delegations are changed with a bearer token (from /auth/realms/ALMA/protocol/openid-connect/token), not HTTP Basic",
        ));
    }
    signed_in(request, pool).await
}

pub async fn list(request: HttpRequest, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    let user = match signed_in(&request, &pool).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let client = match database(&pool).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let granted = match vo_auth::delegations_granted_by_pi(&client, &user).await {
        Ok(g) => g,
        Err(e) => return refused(e),
    };
    let received = match vo_auth::delegations_of(&client, &user).await {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    json(
        StatusCode::OK,
        serde_json::json!({
            "user": user,
            "granted": granted.iter().map(described).collect::<Vec<_>>(),
            "received": received.iter().map(described).collect::<Vec<_>>(),
        }),
    )
}

pub async fn grant(
    request: HttpRequest,
    params: Params,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let user = match changer(&request, &pool).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (Some(project), Some(delegee)) = (params.get("project"), params.get("user")) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "give project (a project code) and user (the account to delegate to)",
        );
    };
    let client = match database(&pool).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match vo_auth::grant(
        &client,
        &Granter::User(&user),
        project.trim(),
        delegee.trim(),
    )
    .await
    {
        Ok(d) => {
            tracing::info!(pi = %user, project = %d.project_code, delegee = %d.delegee, "delegation granted");
            json(StatusCode::CREATED, described(&d))
        }
        Err(e) => refused(e),
    }
}

pub async fn revoke(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let user = match changer(&request, &pool).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (project, delegee) = path.into_inner();
    let client = match database(&pool).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match vo_auth::revoke(&client, &Granter::User(&user), &project, &delegee).await {
        Ok(true) => {
            tracing::info!(pi = %user, project = %project, delegee = %delegee, "delegation revoked");
            json(
                StatusCode::OK,
                serde_json::json!({ "project": project, "user": delegee, "revoked": true }),
            )
        }
        Ok(false) => json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("{delegee} has no active delegation for {project}"),
        ),
        Err(e) => refused(e),
    }
}
