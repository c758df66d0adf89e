//! `/preview/{name}/{kind}`: quick-look images of a FITS product (ALMA manual §3.3.3) — the
//! peak-flux image (moment 8), the continuum image and the spectrum through the brightest
//! pixel — and, for cubes, the ADMIT-style line survey (`lines.json`) with the moment 0 and
//! 1 maps of the strongest line; made on first request and cached under
//! `<data dir>/previews/`.

use crate::DownloadService;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::path::{Path, PathBuf};
use vo_endpoint::{stored_archive_file, Failure};
use vo_preview::PreviewKind;

/// The cached PNG, if it is newer than the product it shows.
fn fresh_cache(cache: &Path, product: &Path) -> Option<Vec<u8>> {
    let cached = std::fs::metadata(cache).ok()?.modified().ok()?;
    let source = std::fs::metadata(product).ok()?.modified().ok()?;
    if cached >= source {
        std::fs::read(cache).ok()
    } else {
        None
    }
}

/// Makes a preview and caches it (written under a temporary name, then renamed, so a
/// reader never sees half a file). `make`'s messages name the product, not where it is on
/// the server.
pub(crate) fn make_and_cache(
    make: impl FnOnce() -> Result<Vec<u8>, String>,
    cache: &Path,
) -> Result<Vec<u8>, String> {
    let bytes = make()?;
    if let Some(dir) = cache.parent() {
        if std::fs::create_dir_all(dir).is_ok() {
            let partial = cache.with_extension(format!(
                "part.{}.{}",
                std::process::id(),
                RENDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ));
            if std::fs::write(&partial, &bytes).is_ok() && std::fs::rename(&partial, cache).is_err()
            {
                let _ = std::fs::remove_file(&partial);
            }
        }
    }
    Ok(bytes)
}

/// Numbers each render's temporary file, so two renders of one preview never share one.
static RENDERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub async fn preview(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    service: web::Data<DownloadService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (name, file) = path.into_inner();
    let asked = match file.as_str() {
        "lines.json" => Asked::Survey,
        "moment0.png" => Asked::Moment(0),
        "moment1.png" => Asked::Moment(1),
        other => match other.strip_suffix(".png").and_then(PreviewKind::parse) {
            Some(kind) => Asked::Image(kind),
            None => {
                return Failure::new(
                    StatusCode::NOT_FOUND,
                    format!("NotFoundFault: no preview called {file}; there are peak.png, continuum.png and spectrum.png, and for cubes lines.json (the lines found, tentatively labelled), moment0.png and moment1.png (of the strongest line)"),
                )
                .response()
            }
        },
    };
    let reader = match vo_endpoint::reader(&request, &pool).await {
        Ok(reader) => reader,
        Err(failure) => return failure.response(),
    };
    let (product, product_path) =
        match stored_archive_file(&pool, &service.data_dir, &name, &reader).await {
            Ok(found) => found,
            Err(failure) => return failure.response(),
        };
    if product.content_type != "application/fits" {
        return Failure::new(
            StatusCode::NOT_FOUND,
            format!(
                "NotFoundFault: {name} is not an image or cube; previews are made of FITS products"
            ),
        )
        .response();
    }
    // the name passed the archive's file-name check, so it is one path component
    let cache: PathBuf = service
        .data_dir
        .join("previews")
        .join(&product.name)
        .join(&file);
    let shown = product.name.clone();
    // a shared cache may keep a preview of released data; proprietary ones only the caller
    let cache_control = if product.released {
        "public, max-age=86400"
    } else {
        "private, no-store"
    };
    let redshifts = match asked {
        Asked::Image(_) => Vec::new(),
        Asked::Survey | Asked::Moment(_) => {
            crate::survey::redshifts(&pool, product_path.clone(), &product.member_ous_uid).await
        }
    };
    let lines = service.lines.clone();
    let source = product_path.clone();
    let made = web::block(move || match fresh_cache(&cache, &product_path) {
        Some(bytes) => Ok(bytes),
        None => make_and_cache(
            || {
                let made = match asked {
                    Asked::Image(kind) => {
                        vo_preview::render(&source, kind).map_err(|e| e.to_string())
                    }
                    Asked::Survey => {
                        crate::survey::survey_json(&source, lines.as_deref(), &redshifts)
                    }
                    Asked::Moment(which) => {
                        crate::survey::moment_png(&source, lines.as_deref(), &redshifts, which)
                    }
                };
                made.map_err(|e| e.replace(&source.display().to_string(), &shown))
            },
            &cache,
        ),
    })
    .await;
    let content_type = if file.ends_with(".json") {
        "application/json"
    } else {
        vo_preview::CONTENT_TYPE
    };
    match made {
        Ok(Ok(bytes)) => HttpResponse::Ok()
            .content_type(content_type)
            .insert_header(("Cache-Control", cache_control))
            .insert_header(("Vary", "Authorization"))
            .body(bytes),
        Ok(Err(message)) => Failure::new(
            StatusCode::NOT_FOUND,
            format!("NotFoundFault: no {file}: {message}"),
        )
        .response(),
        Err(e) => Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the preview could not be made now: {e}"),
        )
        .response(),
    }
}

/// What a preview request asks for.
#[derive(Clone, Copy)]
enum Asked {
    Image(PreviewKind),
    Survey,
    Moment(u8),
}
