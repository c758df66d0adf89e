//! `/preview/{name}/{kind}`: quick-look images of a FITS product (ALMA manual §3.3.3) — the
//! peak-flux image (moment 8), the continuum image and the spectrum through the brightest
//! pixel — and, for cubes, the ADMIT-style line survey (`lines.json`) with the moment 0 and
//! 1 maps of the strongest line; made on first request and kept in the previews' storage
//! (`<data dir>/previews/<product>/<file>`, or a bucket's `previews/` area) for every node.

use crate::DownloadService;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::path::Path;
use vo_endpoint::{stored_archive_file, Failure};
use vo_preview::PreviewKind;

/// The kept preview `file` of `product`, if it was made after the product's file at
/// `source` last changed.
pub(crate) async fn fresh(
    previews: &vo_storage::Storage,
    product: &str,
    file: &str,
    source: &Path,
) -> Option<bytes::Bytes> {
    let changed: chrono::DateTime<chrono::Utc> = tokio::fs::metadata(source)
        .await
        .ok()?
        .modified()
        .ok()?
        .into();
    let kept = previews.describe(product, file).await.ok()?;
    // in whole seconds: an object store's modification times have no finer ones
    if kept.modified.timestamp() >= changed.timestamp() {
        previews.read(product, file).await.ok().flatten()
    } else {
        None
    }
}

/// Keeps a preview just made; a failure to keep it is only logged (it is made again).
pub(crate) async fn keep(previews: &vo_storage::Storage, product: &str, file: &str, bytes: &[u8]) {
    if let Err(e) = previews
        .put(product, file, bytes::Bytes::copy_from_slice(bytes))
        .await
    {
        tracing::warn!(product, file, error = %e, "cannot keep a preview");
    }
}

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
    let kept = fresh(&service.previews, &product.name, &file, &product_path).await;
    vo_metrics::metrics()
        .cache_lookups
        .with_label_values(&["previews", if kept.is_some() { "hit" } else { "miss" }])
        .inc();
    let made = match kept {
        Some(bytes) => Ok(Ok(bytes.to_vec())),
        None => {
            let made = web::block(move || {
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
            })
            .await;
            if let Ok(Ok(bytes)) = &made {
                keep(&service.previews, &product.name, &file, bytes).await;
            }
            made
        }
    };
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
