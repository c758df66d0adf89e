//! `/soda/sync`: plans every cutout first (so any error comes before the first byte), then
//! streams the FITS file from a blocking thread through a small channel.

use crate::errors::{from_failure, soda_error};
use crate::SodaService;
use actix_web::body::SizedStream;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;
use vo_cutout::{Cube, Cutout, CutoutError};
use vo_endpoint::{archive_file, Params};

const MAX_BODY: usize = 1 << 20;
/// Bytes per chunk sent to the client.
const CHUNK: usize = 1 << 20;

/// A `Write` that hands full chunks to the HTTP body; fails once the client has gone, which
/// stops the cut.
struct ChannelWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

/// Opens and plans every cutout; cutouts that miss their dataset are left out as long as one
/// remains (their reasons go into the log), otherwise the first reason is the error.
fn plan_all(
    files: Vec<(String, std::path::PathBuf)>,
    request: &crate::request::SodaRequest,
) -> Result<Vec<(Arc<Cube>, Cutout)>, CutoutError> {
    let mut cubes: Vec<(String, Arc<Cube>)> = Vec::new();
    for (name, path) in files {
        cubes.push((name, Arc::new(Cube::open(&path)?)));
    }
    let mut planned = Vec::new();
    let mut misses = Vec::new();
    for (id, constraints) in &request.cutouts {
        let cube = &cubes
            .iter()
            .find(|(n, _)| n == id)
            .expect("every ID was opened")
            .1;
        match cube.plan(constraints) {
            Ok(cutout) => planned.push((cube.clone(), cutout)),
            Err(CutoutError::NoOverlap(why)) => misses.push(format!("{id}: {why}")),
            Err(other) => return Err(other),
        }
    }
    if planned.is_empty() {
        return Err(CutoutError::NoOverlap(misses.join("; ")));
    }
    for miss in misses {
        tracing::info!(cutout = %miss, "left out of a multi-cutout answer");
    }
    Ok(planned)
}

pub async fn cutout(
    request: HttpRequest,
    payload: web::Payload,
    service: web::Data<SodaService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let params = match Params::read(&request, payload, MAX_BODY).await {
        Ok(p) => p,
        Err(e) => return soda_error(StatusCode::BAD_REQUEST, "UsageError", &e.0),
    };
    let soda = match crate::request::read(&params, service.max_cutouts) {
        Ok(r) => r,
        Err(message) => return soda_error(StatusCode::BAD_REQUEST, "UsageError", &message),
    };
    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    for (id, _) in &soda.cutouts {
        if files.iter().any(|(n, _)| n == id) {
            continue;
        }
        match archive_file(&pool, &service.data_dir, id).await {
            Ok((file, _)) if file.content_type != "application/fits" => {
                return soda_error(
                    StatusCode::BAD_REQUEST,
                    "UsageError",
                    &format!("{id} is not a FITS image or cube; cutouts are made of FITS products"),
                )
            }
            Ok((_, path)) => files.push((id.clone(), path)),
            Err(failure) => return from_failure(&failure),
        }
    }
    let first_name = files[0].0.clone();
    let planned = match web::block(move || plan_all(files, &soda)).await {
        Ok(Ok(planned)) => planned,
        Ok(Err(CutoutError::NoOverlap(why))) => {
            return soda_error(
                StatusCode::BAD_REQUEST,
                "UsageError",
                &format!("no overlap: {why}"),
            )
        }
        Ok(Err(CutoutError::Usage(why))) => {
            return soda_error(StatusCode::BAD_REQUEST, "UsageError", &why)
        }
        Ok(Err(other)) => {
            tracing::error!(error = %other, "a product cannot be cut");
            return soda_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Error",
                &other.to_string(),
            );
        }
        Err(e) => {
            return soda_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                &e.to_string(),
            )
        }
    };
    let parts: Vec<(&Cube, &Cutout)> = planned.iter().map(|(c, k)| (c.as_ref(), k)).collect();
    let length = vo_cutout::fits_len(&parts);
    let (sender, receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            sender,
        };
        let parts: Vec<(&Cube, &Cutout)> = planned.iter().map(|(c, k)| (c.as_ref(), k)).collect();
        let written = vo_cutout::write_fits(&parts, &mut out).and_then(|()| out.flush());
        if let Err(e) = written {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                tracing::error!(error = %e, "a cutout failed while streaming");
                let _ = out.sender.blocking_send(Err(e));
            }
        }
    });
    let stem = first_name.strip_suffix(".fits").unwrap_or(&first_name);
    HttpResponse::Ok()
        .content_type("application/fits")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename={stem}.cutout.fits"),
        ))
        .body(SizedStream::new(length, tokio_stream_from(receiver)))
}

fn tokio_stream_from(
    mut receiver: mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}
