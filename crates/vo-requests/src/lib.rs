//! The Request Handler (manual §3.4): a visitor's choice of files kept as a request with its
//! own URL and owner, listed back along ALMA's hierarchy with what the owner may download, and
//! the owner told by e-mail when the files are ready.
//!
//! Owns: `GET /requests/choices?mous=…` (what can be requested of member OUSes: README,
//! product and auxiliary files, raw data, each marked with whether the caller may download
//! it), `POST /requests` (`file=NAME` for each file, optional `email=`; signed in or not),
//! `GET /requests/{id}` (the request along the hierarchy — project, science goal, group OUS,
//! member OUS with its scheduling block and QA2 state — each file's class, size and whether
//! its owner may download it, and totals), who may see a request (its owner and staff; an
//! anonymous request, whoever has its id), preparing it (files made on first access made) and
//! the notification. Does not own: the requests' storage and the hierarchy (vo-archive), the
//! download script of a request and its signed URLs (vo-download's `/dataPortal/script`), or
//! sending mail (vo-notify).

mod listing;
mod prepare;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_archive::{DownloadRequest, Reader};
use vo_endpoint::{base_url, client_of, connect, json_failure, json_response, Failure, Params};

/// What the request routes need besides the database pool.
#[derive(Debug, Clone)]
pub struct RequestService {
    pub data_dir: vo_archive::DataDir,
    pub notify: vo_notify::NotifySettings,
}

/// The links of request `id`: its page, its details and its download script.
pub(crate) fn links(base: &str, id: &str) -> serde_json::Value {
    serde_json::json!({
        "page": format!("{base}/#request={id}"),
        "details": format!("{base}{}/{id}", vo_catalogue::routes::REQUESTS),
        "script": format!("{base}{}/script?request={id}", vo_catalogue::routes::DATA_PORTAL),
    })
}

/// Whether `reader` may see `request`: its owner and staff; anyone for an anonymous one.
pub(crate) fn may_see(reader: &Reader, request: &DownloadRequest) -> Result<(), Failure> {
    match &request.owner {
        None => Ok(()),
        Some(owner) if reader.user() == Some(owner.as_str()) || reader.is_staff() => Ok(()),
        Some(owner) => Err(match reader.user() {
            None => Failure::new(
                StatusCode::UNAUTHORIZED,
                format!(
                    "request {} is {owner}'s: sign in as {owner} to see it",
                    request.id
                ),
            ),
            Some(_) => Failure::new(
                StatusCode::FORBIDDEN,
                format!("request {} is {owner}'s, not yours", request.id),
            ),
        }),
    }
}

async fn create(
    request: HttpRequest,
    params: Params,
    service: web::Data<RequestService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let reader = match vo_endpoint::reader(&request, &pool).await {
        Ok(r) => r,
        Err(failure) => return failure.json_response(),
    };
    let files: Vec<String> = params.all("file").map(str::to_string).collect();
    let email = params.get("email").map(str::trim).filter(|e| !e.is_empty());
    if let Some(email) = email {
        if !vo_notify::is_address(email) {
            return json_failure(
                StatusCode::BAD_REQUEST,
                format!("email={email:?} is not an e-mail address"),
            );
        }
    }
    let client = match connect(&pool).await {
        Ok(c) => c,
        Err(failure) => return failure.json_response(),
    };
    let made =
        vo_archive::create_request(&client, reader.user(), &client_of(&request), email, &files)
            .await;
    let id = match made {
        Ok(Ok(id)) => id,
        Ok(Err(why)) => return json_failure(StatusCode::BAD_REQUEST, why),
        Err(e) => return json_failure(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    let base = base_url(&request);
    prepare::start(
        service.get_ref().clone(),
        pool.get_ref().clone(),
        id.clone(),
        base.clone(),
    );
    json_response(
        StatusCode::CREATED,
        serde_json::json!({ "id": id, "links": links(&base, &id) }),
    )
}

async fn show(
    request: HttpRequest,
    id: web::Path<String>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let reader = match vo_endpoint::reader(&request, &pool).await {
        Ok(r) => r,
        Err(failure) => return failure.json_response(),
    };
    let client = match connect(&pool).await {
        Ok(c) => c,
        Err(failure) => return failure.json_response(),
    };
    let kept = match vo_archive::load_request(&client, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return json_failure(StatusCode::NOT_FOUND, format!("no request {id}")),
        Err(e) => return json_failure(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    if let Err(failure) = may_see(&reader, &kept) {
        return failure.json_response();
    }
    // what the request's owner may download (staff looking at someone's request see theirs)
    let owner = match &kept.owner {
        None => Reader::anonymous(),
        Some(owner) => match Reader::load(&client, owner).await {
            Ok(r) => r,
            Err(e) => return json_failure(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        },
    };
    let mut answer = listing::listing(&kept, &owner);
    answer["links"] = links(&base_url(&request), &kept.id);
    let mut response = json_response(StatusCode::OK, answer);
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-store"),
    );
    response
}

/// What the caller may request of the member OUSes `mous=…` (repeated): their files along
/// the hierarchy, each marked with whether the caller may download it.
async fn choices(
    request: HttpRequest,
    params: Params,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let reader = match vo_endpoint::reader(&request, &pool).await {
        Ok(r) => r,
        Err(failure) => return failure.json_response(),
    };
    let uids: Vec<String> = params.all("mous").map(str::to_string).collect();
    if uids.is_empty() || uids.len() > 1000 {
        return json_failure(
            StatusCode::BAD_REQUEST,
            "give 1 to 1000 member OUSes: mous=uid://A001/X…/X…",
        );
    }
    let client = match connect(&pool).await {
        Ok(c) => c,
        Err(failure) => return failure.json_response(),
    };
    let files = match vo_archive::choices(&client, &uids).await {
        Ok(f) => f,
        Err(e) => return json_failure(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    let offered = DownloadRequest {
        id: String::new(),
        owner: reader.user().map(str::to_string),
        email: None,
        created_at: String::new(),
        ready_at: None,
        notified_at: None,
        notify_error: None,
        files,
    };
    let mut response = json_response(StatusCode::OK, listing::listing(&offered, &reader));
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-store"),
    );
    response
}

/// Registers `/requests`, `/requests/choices` and `/requests/{id}`. The application provides
/// `web::Data<vo_db::Pool>`.
pub fn configure(service: RequestService) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(
            web::scope(vo_catalogue::routes::REQUESTS)
                .app_data(web::Data::new(service))
                .service(web::resource("").post(create))
                .service(web::resource("/choices").get(choices))
                .service(web::resource("/{id}").get(show)),
        );
    }
}
