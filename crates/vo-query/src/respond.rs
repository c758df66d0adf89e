//! A planned query answered over HTTP: the error document when it fails before its first
//! row, else its rows streamed as the body.

use crate::run::{start_query, FIRST_ROW_GRACE};
use crate::QueryPlan;
use actix_web::HttpResponse;
use vo_endpoint::{BodyDeadline, Failure};

/// Runs the plan (on the database `reads` sends it to, on a query session when one fits it)
/// and answers with the streamed result, or with an error document.
/// `timeout_hint` is appended to the time-limit message (e.g. "; run it as an async job").
///
/// The response waits a moment for the first row, so that an error found early still gets a
/// proper status; a slower query streams, and an error it meets later ends the document
/// (VOTable) or aborts the transfer (other formats).
/// A client may take the server's body deadline to accept each piece of the result.
pub async fn respond_with_rows(
    request: &actix_web::HttpRequest,
    reads: &vo_db::Reads,
    mut plan: QueryPlan,
    timeout_hint: &str,
) -> HttpResponse {
    plan.stall = BodyDeadline::of(request).0;
    let format = plan.format;
    let run = match start_query(reads, plan, timeout_hint).await {
        Ok(run) => run,
        Err(failure) => return failure.response(),
    };
    if let Ok(Ok(Err(message))) = tokio::time::timeout(FIRST_ROW_GRACE, run.started).await {
        return Failure::bad_request(message).response();
    }
    let body = futures_util::stream::unfold(run.chunks, |mut r| async move {
        r.recv().await.map(|item| (item, r))
    });
    HttpResponse::Ok()
        .content_type(format.content_type())
        .streaming(body)
}
