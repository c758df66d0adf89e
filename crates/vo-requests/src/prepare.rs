//! Preparing a request in the background: the files made on first access made now (so that
//! its script has every checksum), then the request marked ready and its owner told.

use crate::RequestService;
use std::collections::BTreeSet;

/// Prepares request `id` in the background; `base` is the service's public URL for the
/// e-mail's links.
pub(crate) fn start(service: RequestService, pool: vo_db::Pool, id: String, base: String) {
    tokio::spawn(async move {
        if let Err(e) = prepare(&service, &pool, &id, &base).await {
            tracing::warn!(request = %id, error = %e, "preparing a download request");
        }
    });
}

async fn prepare(
    service: &RequestService,
    pool: &vo_db::Pool,
    id: &str,
    base: &str,
) -> Result<(), String> {
    let client = pool.get().await.map_err(|e| e.to_string())?;
    let Some(request) = vo_archive::load_request(&client, id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let members: BTreeSet<&str> = request
        .files
        .iter()
        .map(|f| f.file.member_ous_uid.as_str())
        .collect();
    for member in members {
        service
            .data_dir
            .ensure_made(&client, member)
            .await
            .map_err(|e| e.to_string())?;
    }
    let notified = match &request.email {
        None => Ok(false),
        Some(to) => {
            let bytes: i64 = request.files.iter().map(|f| f.file.size_bytes).sum();
            let links = crate::links(base, id);
            let body = format!(
                "Your data request {id} is ready: {} files, {:.1} MB.\n\n\
                 The request, file by file: {}\n\
                 Its download script: {}\n{}\n\
                 The script fetches the files in parallel, resumes what is interrupted and checks \
                 every file's SHA-256; proprietary files come through links signed for you, \
                 valid for a limited time.\n",
                request.files.len(),
                bytes as f64 / 1e6,
                links["page"].as_str().unwrap_or_default(),
                links["script"].as_str().unwrap_or_default(),
                request
                    .owner
                    .as_ref()
                    .map(|o| format!("(sign in as {o} to fetch it)\n"))
                    .unwrap_or_default(),
            );
            let settings = service.notify.clone();
            let to = to.clone();
            let subject = format!("ALMA data request {id} is ready");
            tokio::task::spawn_blocking(move || settings.send(&to, &subject, &body))
                .await
                .map_err(|e| e.to_string())?
                .map(|_| true)
                .map_err(|e| e.to_string())
        }
    };
    if let Err(e) = &notified {
        tracing::warn!(request = %id, error = %e, "telling a request's owner it is ready");
    }
    vo_archive::mark_ready(&client, id, notified)
        .await
        .map_err(|e| e.to_string())
}
