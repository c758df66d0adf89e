//! `/preview/{name}/{kind}.png`: quick-look images of a FITS product (ALMA manual §3.3.3) —
//! the peak-flux image (moment 8), the continuum image and the spectrum through the brightest
//! pixel — made on first request and cached under `<data dir>/previews/`.

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

/// Renders and caches (written under a temporary name, then renamed, so a reader never sees
/// half a file).
fn render_and_cache(
    product: &Path,
    kind: PreviewKind,
    cache: &Path,
    name: &str,
) -> Result<Vec<u8>, String> {
    // messages name the product, not where it is on the server
    let png = vo_preview::render(product, kind)
        .map_err(|e| e.to_string().replace(&product.display().to_string(), name))?;
    if let Some(dir) = cache.parent() {
        if std::fs::create_dir_all(dir).is_ok() {
            let partial = cache.with_extension(format!(
                "png.{}.{}",
                std::process::id(),
                RENDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ));
            if std::fs::write(&partial, &png).is_ok() && std::fs::rename(&partial, cache).is_err() {
                let _ = std::fs::remove_file(&partial);
            }
        }
    }
    Ok(png)
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
    let kind = match file.strip_suffix(".png").and_then(PreviewKind::parse) {
        Some(kind) => kind,
        None => {
            return Failure::new(
                StatusCode::NOT_FOUND,
                format!("NotFoundFault: no preview called {file}; there are peak.png, continuum.png and spectrum.png"),
            )
            .response()
        }
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
        .join(format!("{}.png", kind.name()));
    let shown = product.name.clone();
    // a shared cache may keep a preview of released data; proprietary ones only the caller
    let cache_control = if product.released {
        "public, max-age=86400"
    } else {
        "private, no-store"
    };
    let made = web::block(move || match fresh_cache(&cache, &product_path) {
        Some(png) => Ok(png),
        None => render_and_cache(&product_path, kind, &cache, &shown),
    })
    .await;
    match made {
        Ok(Ok(png)) => HttpResponse::Ok()
            .content_type("image/png")
            .insert_header(("Cache-Control", cache_control))
            .insert_header(("Vary", "Authorization"))
            .body(png),
        Ok(Err(message)) => Failure::new(
            StatusCode::NOT_FOUND,
            format!("NotFoundFault: no {} preview: {message}", kind.name()),
        )
        .response(),
        Err(e) => Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the preview could not be made now: {e}"),
        )
        .response(),
    }
}
