//! `/dataPortal/{name}`: one file or package tar, whole or a byte range. A package kept as
//! the files it holds is streamed as its tar, laid out by vo-archive.

use crate::range::{answer, RangeAnswer};
use crate::DownloadService;
use actix_web::body::SizedStream;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use vo_archive::{Content, PackageLayout, Piece};
use vo_endpoint::{archive_file, Failure};

const CHUNK: usize = 256 * 1024;

/// The bytes `start..start+len` of a file, read as the client takes them.
fn file_stream(
    path: PathBuf,
    start: u64,
    len: u64,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::try_unfold((None::<tokio::fs::File>, len), move |(file, left)| {
        let path = path.clone();
        async move {
            if left == 0 {
                return Ok(None);
            }
            let mut file = match file {
                Some(f) => f,
                None => {
                    let mut f = tokio::fs::File::open(&path).await?;
                    f.seek(std::io::SeekFrom::Start(start)).await?;
                    f
                }
            };
            let mut buffer = vec![0u8; CHUNK.min(left as usize)];
            let n = file.read(&mut buffer).await?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the file is shorter than when the download started",
                ));
            }
            buffer.truncate(n);
            Ok(Some((Bytes::from(buffer), (Some(file), left - n as u64))))
        }
    })
}

/// The bytes `start..start+len` of a package tar: its headers and padding made here, its
/// files read as the client takes them.
fn package_stream(
    data_dir: &Path,
    layout: &PackageLayout,
    start: u64,
    len: u64,
) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
    let parts: Vec<BoxStream<'static, Result<Bytes, std::io::Error>>> = layout
        .pieces(start, len)
        .into_iter()
        .map(|piece| match piece {
            Piece::Bytes(b) => stream::once(async move { Ok(Bytes::from(b)) }).boxed(),
            Piece::Zeros(n) => {
                stream::once(async move { Ok(Bytes::from(vec![0u8; n as usize])) }).boxed()
            }
            Piece::File { path, offset, len } => {
                file_stream(data_dir.join(path), offset, len).boxed()
            }
        })
        .collect();
    stream::iter(parts).flatten().boxed()
}

/// The entity tag: the checksum the archive registered, else size and modification time.
fn entity_tag(sha256: Option<&str>, meta: Option<&std::fs::Metadata>) -> String {
    match (sha256, meta) {
        (Some(sum), _) => format!("\"{}\"", &sum[..32.min(sum.len())]),
        (None, Some(meta)) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            format!("\"{:x}-{:x}\"", meta.len(), modified)
        }
        (None, None) => "\"assembled\"".into(),
    }
}

fn header_value(request: &HttpRequest, name: header::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

pub async fn download(
    request: HttpRequest,
    name: web::Path<String>,
    service: web::Data<DownloadService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let reader = match vo_endpoint::download_reader(&request, &pool, &name).await {
        Ok(reader) => reader,
        Err(failure) => return failure.response(),
    };
    let (file, content) = match archive_file(&pool, &service.data_dir, &name, &reader).await {
        Ok(found) => found,
        Err(failure) => return failure.response(),
    };
    let (len, meta) = match &content {
        Content::Stored(path) => match tokio::fs::metadata(path).await {
            Ok(m) => (m.len(), Some(m)),
            Err(e) => {
                tracing::error!(file = %file.name, path = %path.display(), error = %e, "an archived file is missing");
                return Failure::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "{} is registered but cannot be read now; the operator has been told",
                        file.name
                    ),
                )
                .response();
            }
        },
        Content::Assembled(layout) => (layout.len(), None),
    };
    let etag = entity_tag(file.sha256.as_deref(), meta.as_ref());
    let mut response = HttpResponse::build(StatusCode::OK);
    response
        .insert_header((header::CONTENT_TYPE, file.content_type.as_str()))
        // exactly this form: astroquery takes everything after `filename=` as the name
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename={}", file.name),
        ))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::ETAG, etag.as_str()));
    if !file.released {
        // proprietary bytes are for this caller only, never a shared cache
        response
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .insert_header((header::VARY, "Authorization"));
    }
    if header_value(&request, header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return response.status(StatusCode::NOT_MODIFIED).finish();
    }
    // a range applies only to the version the client has (If-Range)
    let range = match header_value(&request, header::IF_RANGE) {
        Some(tag) if tag.trim() != etag => None,
        _ => header_value(&request, header::RANGE),
    };
    let (start, count) = match answer(range, len) {
        RangeAnswer::Whole => (0, len),
        RangeAnswer::Part { start, end } => {
            response
                .status(StatusCode::PARTIAL_CONTENT)
                .insert_header((header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}")));
            (start, end - start + 1)
        }
        RangeAnswer::Unsatisfiable => {
            return response
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .insert_header((header::CONTENT_RANGE, format!("bytes */{len}")))
                .content_type("text/plain")
                .body(format!(
                    "the range is outside {}, which has {len} bytes",
                    file.name
                ));
        }
    };
    // HEAD: the same headers, the length of what GET would send, no body
    let body_len = if request.method() == Method::HEAD {
        0
    } else {
        count
    };
    match content {
        Content::Stored(path) => {
            response.body(SizedStream::new(count, file_stream(path, start, body_len)))
        }
        Content::Assembled(layout) => response.body(SizedStream::new(
            count,
            package_stream(&service.data_dir, &layout, start, body_len),
        )),
    }
}
