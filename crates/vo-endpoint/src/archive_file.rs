//! A named archive file for the endpoints that deliver data (downloads, previews, SODA):
//! found, readable by the caller (released, or theirs) and on disk (or, for a package, its
//! files), or the error a client should see.

use crate::{connect, Failure};
use actix_web::http::StatusCode;
use std::path::PathBuf;
use vo_archive::{ArchivedFile, Content, Reader, Unavailable};

/// A file stored as it is, for the endpoints that read inside one (previews, SODA): a
/// package tar assembled on download is refused with a 404 that says so.
pub async fn stored_archive_file(
    pool: &vo_db::Pool,
    data_dir: &vo_archive::DataDir,
    name: &str,
    reader: &Reader,
) -> Result<(ArchivedFile, PathBuf), Failure> {
    match archive_file(pool, data_dir, name, reader).await? {
        (file, Content::Stored(path)) => Ok((file, path)),
        (file, Content::Assembled(_)) => Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!(
                "NotFoundFault: {} is a package of several files; previews and cutouts are made of the FITS products inside it (DataLink lists them)",
                file.name
            ),
        )),
    }
}

/// The file called `name` and where its bytes are, if `reader` may have it; or a
/// 404/401/403/503 failure saying why not.
pub async fn archive_file(
    pool: &vo_db::Pool,
    data_dir: &vo_archive::DataDir,
    name: &str,
    reader: &Reader,
) -> Result<(ArchivedFile, Content), Failure> {
    let client = connect(pool).await?;
    let found = vo_archive::deliverable_file(&client, data_dir, name, reader)
        .await
        .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    found.map_err(|why| {
        let status = match why {
            Unavailable::Proprietary { .. } => StatusCode::UNAUTHORIZED,
            Unavailable::NotPermitted { .. } => StatusCode::FORBIDDEN,
            Unavailable::NotFound(_) | Unavailable::OnlyInPackage { .. } => StatusCode::NOT_FOUND,
        };
        Failure::new(status, why.message())
    })
}
