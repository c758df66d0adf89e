//! From a read request to planned cutouts, for sync and async alike: every ID's file found
//! (released, a FITS product), each file opened once, each cutout planned — or the reason
//! it misses its dataset.

use crate::errors::SodaError;
use crate::request::SodaRequest;
use std::path::PathBuf;
use std::sync::Arc;
use vo_archive::Reader;
use vo_cutout::{Cube, Cutout, CutoutError};
use vo_endpoint::stored_archive_file;

/// Each distinct ID of the request with its file, in request order, if `reader` may have
/// them all.
pub async fn find_files(
    pool: &vo_db::Pool,
    data_dir: &vo_archive::DataDir,
    request: &SodaRequest,
    reader: &Reader,
) -> Result<Vec<(String, PathBuf)>, SodaError> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for (id, _) in &request.cutouts {
        if files.iter().any(|(n, _)| n == id) {
            continue;
        }
        let (file, path) = stored_archive_file(pool, data_dir, id, reader)
            .await
            .map_err(|failure| SodaError::from_failure(&failure))?;
        if file.content_type != "application/fits" {
            return Err(SodaError::usage(format!(
                "{id} is not a FITS image or cube; cutouts are made of FITS products"
            )));
        }
        files.push((id.clone(), path));
    }
    Ok(files)
}

/// One planned cutout, or why it misses its dataset (`ID: reason`).
pub type Planned = Result<(Arc<Cube>, Cutout), String>;

/// Opens every file once and plans every cutout, in request order (blocking: reads headers).
pub fn plan_each(
    files: Vec<(String, PathBuf)>,
    request: &SodaRequest,
) -> Result<Vec<Planned>, SodaError> {
    let mut cubes: Vec<(String, Arc<Cube>)> = Vec::new();
    for (name, path) in files {
        let cube = Cube::open(&path).map_err(SodaError::from_cutout)?;
        cubes.push((name, Arc::new(cube)));
    }
    let mut planned = Vec::with_capacity(request.cutouts.len());
    for (id, constraints) in &request.cutouts {
        let Some((_, cube)) = cubes.iter().find(|(n, _)| n == id) else {
            return Err(SodaError::usage(format!("{id} was not looked up")));
        };
        match cube.plan(constraints) {
            Ok(cutout) => planned.push(Ok((cube.clone(), cutout))),
            Err(CutoutError::NoOverlap(why)) => planned.push(Err(format!("{id}: {why}"))),
            Err(other) => return Err(SodaError::from_cutout(other)),
        }
    }
    Ok(planned)
}
