//! The release-date reminder, for the page's release dates of proprietary data (manual
//! §3.3.3: "an active link that you can use to add a reminder/event to your calendar").
//!
//! Owns: `/calendar/release.ics?mous=…` (an iCalendar file with one event at the member
//! OUS's release, offered as a download) and its errors (JSON, naming the parameter).
//! Does not own: the event's contents and the release facts (vo-archive).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_endpoint::{base_url, connect, json_failure, json_query_params};

async fn release(request: HttpRequest, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    let params = match json_query_params(&request) {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let mous = match params.get("mous").map(str::trim) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => {
            return json_failure(
                StatusCode::BAD_REQUEST,
                "mous is missing: the member OUS whose release to remind of (uid://A001/X…/X…)",
            )
        }
    };
    let uid = match vo_archive::Identifier::parse(&mous) {
        Ok(vo_archive::Identifier::Uid(uid)) => uid,
        _ => {
            return json_failure(
                StatusCode::BAD_REQUEST,
                format!("mous={mous:?} is not a member OUS uid such as uid://A001/X1b2/X3c"),
            )
        }
    };
    let client = match connect(&pool).await {
        Ok(c) => c,
        Err(failure) => return failure.json_response(),
    };
    let facts = match vo_archive::release_facts(&client, &uid).await {
        Ok(Some(facts)) => facts,
        Ok(None) => {
            return json_failure(
                StatusCode::NOT_FOUND,
                format!("no member OUS {uid} with a release date in this archive"),
            )
        }
        Err(e) => return json_failure(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    let text = vo_archive::release_reminder(&facts, &base_url(&request), chrono::Utc::now());
    let file: String = uid
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"alma-release-{file}.ics\""),
        ))
        .body(text)
}

/// Registers `/calendar/release.ics`. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(format!("{}/release.ics", vo_catalogue::routes::CALENDAR)).get(release),
    );
}
