//! `/auth/me`: who the request's credentials name, and what they open.

use crate::{database, json, json_error};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn me(request: HttpRequest, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    let user = match vo_endpoint::identity::authenticate(&request, &pool).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return json_error(
                StatusCode::UNAUTHORIZED,
                "invalid_request",
                "not signed in: send HTTP Basic credentials or a bearer token",
            )
        }
        Err(f) => return json_error(f.status, "invalid_token", &f.message),
    };
    let client = match database(&pool).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let account = vo_auth::get_account(&client, &user).await;
    let delegated = vo_auth::delegations_of(&client, &user).await;
    let led = client
        .query(
            "SELECT code FROM archive.project WHERE pi_userid = $1 ORDER BY code",
            &[&user],
        )
        .await;
    match (account, delegated, led) {
        (Ok(Some(account)), Ok(delegated), Ok(led)) => json(
            StatusCode::OK,
            serde_json::json!({
                "user": account.user_id,
                "full_name": account.full_name,
                "staff": account.is_staff,
                "pi_of": led.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>(),
                "delegated": delegated.iter().map(|d| d.project_code.clone()).collect::<Vec<_>>(),
            }),
        ),
        (Ok(None), _, _) => json_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the account no longer exists",
        ),
        (Err(e), _, _) | (_, Err(e), _) => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            &e.to_string(),
        ),
        (_, _, Err(e)) => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            &e.to_string(),
        ),
    }
}
