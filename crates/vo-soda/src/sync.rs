//! `/soda/sync`: plans every cutout first (so any error comes before the first byte), then
//! streams one FITS file from a blocking thread through a small channel.

use crate::cutouts::{find_files, plan_each, Planned};
use crate::errors::SodaError;
use crate::SodaService;
use actix_web::body::SizedStream;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;
use vo_cutout::{Cube, Cutout};
use vo_endpoint::Params;

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

pub async fn cutout(
    request: HttpRequest,
    params: Params,
    service: web::Data<SodaService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let soda = match crate::request::read(&params, service.limits.max_cutouts) {
        Ok(r) => r,
        Err(message) => return SodaError::usage(message).response(),
    };
    let reader = match vo_endpoint::reader(&request, &pool).await {
        Ok(reader) => reader,
        Err(failure) => return SodaError::from_failure(&failure).response(),
    };
    let files = match find_files(&pool, &service.data_dir, &soda, &reader).await {
        Ok(files) => files,
        Err(e) => return e.response(),
    };
    let first_name = files[0].0.clone();
    let planned = match web::block(move || plan_each(files, &soda)).await {
        Ok(Ok(planned)) => planned,
        Ok(Err(e)) => return e.response(),
        Err(e) => {
            return SodaError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                label: "ServiceUnavailable",
                message: e.to_string(),
            }
            .response()
        }
    };
    // cutouts that miss their dataset are left out as long as one remains (their reasons
    // go into the log); otherwise the reasons are the error
    let (planned, misses): (Vec<Planned>, Vec<Planned>) =
        planned.into_iter().partition(Result::is_ok);
    let misses: Vec<String> = misses.into_iter().filter_map(Result::err).collect();
    let planned: Vec<(Arc<Cube>, Cutout)> = planned.into_iter().filter_map(Result::ok).collect();
    if planned.is_empty() {
        return SodaError::usage(format!("no overlap: {}", misses.join("; "))).response();
    }
    for miss in misses {
        tracing::info!(cutout = %miss, "left out of a multi-cutout answer");
    }
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
