//! Running a planned query and streaming its rows into a result format: parameters → plan →
//! PostgreSQL → serializer → streamed body. Shared by every endpoint that returns rows.
//!
//! Rows go from `query_raw` to the HTTP body as they arrive, through a buffer of about
//! 64 kB and a channel of a few chunks, so memory does not grow with the result. If the client
//! goes away the database query is cancelled. Errors before the first byte are an error
//! document with a status code; errors after it end the VOTable with a QUERY_STATUS=ERROR
//! INFO (other formats: the transfer is aborted).

use crate::decode::{supported, Decoded};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use bytes::Bytes;
use deadpool_postgres::Object;
use futures_util::{pin_mut, StreamExt};
use std::time::Duration;
use tokio::sync::mpsc;
use vo_results::{error_votable, writer_for, Cell, Ending, Field, Format, ResultMeta};

/// A table uploaded with the request, loaded into a temporary table before the query.
#[derive(Debug, Clone)]
pub struct UploadTable {
    /// The PostgreSQL name of the temporary table.
    pub pg_name: String,
    /// (column name, PostgreSQL type).
    pub columns: Vec<(String, &'static str)>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Everything needed to answer with rows.
#[derive(Debug, Clone)]
pub struct QueryPlan {
    pub sql: String,
    pub fields: Vec<Field>,
    /// Stop after this many rows and report OVERFLOW if the SQL returned more (the SQL carries
    /// LIMIT maxrec+1).
    pub maxrec: Option<u64>,
    pub format: Format,
    pub infos: Vec<(String, String)>,
    pub trailing_resources: Vec<String>,
    /// The statement time limit.
    pub timeout: Duration,
    pub uploads: Vec<UploadTable>,
}

/// A request that failed before any row was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }

    /// The DALI error document.
    pub fn response(&self) -> HttpResponse {
        HttpResponse::build(self.status)
            .content_type("application/x-votable+xml")
            .body(error_votable(&self.message))
    }
}

/// How long a query may take, and what to say when it takes longer.
fn timeout_message(timeout: Duration, hint: &str) -> String {
    format!(
        "the query ran longer than this service's limit of {} s and was cancelled{hint}",
        timeout.as_secs()
    )
}

/// Words a database error for the user: its message, and the detail or hint if any.
fn database_message(e: &tokio_postgres::Error, timeout: Duration, timeout_hint: &str) -> String {
    match e.as_db_error() {
        Some(db) if db.code() == &tokio_postgres::error::SqlState::QUERY_CANCELED => {
            timeout_message(timeout, timeout_hint)
        }
        Some(db) => {
            let mut text = format!("the database refused the query: {}", db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!(" (hint: {hint})"));
            }
            text
        }
        None => format!("the database connection failed: {e}"),
    }
}

/// Opens the transaction, loads uploads, prepares the statement.
async fn prepare(
    client: &Object,
    plan: &QueryPlan,
    timeout_hint: &str,
) -> Result<tokio_postgres::Statement, Failure> {
    let db_error = |e: tokio_postgres::Error| {
        Failure::bad_request(database_message(&e, plan.timeout, timeout_hint))
    };
    let begin = if plan.uploads.is_empty() {
        "BEGIN READ ONLY"
    } else {
        "BEGIN"
    };
    client
        .batch_execute(&format!(
            "{begin}; SET LOCAL statement_timeout = {}",
            plan.timeout.as_millis().max(1)
        ))
        .await
        .map_err(|e| {
            Failure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the database is not answering: {e}"),
            )
        })?;
    for upload in &plan.uploads {
        vo_db::load_temporary_table(client, &upload.pg_name, &upload.columns, &upload.rows)
            .await
            .map_err(|e| {
                Failure::bad_request(format!(
                    "loading the uploaded table {}: {}",
                    upload.pg_name,
                    database_message(&e, plan.timeout, "")
                ))
            })?;
    }
    let statement = client.prepare(&plan.sql).await.map_err(db_error)?;
    if let Some(c) = statement.columns().iter().find(|c| !supported(c.type_())) {
        return Err(Failure::bad_request(format!(
            "the result column {} has a database type ({}) this service cannot write",
            c.name(),
            c.type_()
        )));
    }
    Ok(statement)
}

/// Runs the plan and answers with the streamed result, or with an error document.
/// `timeout_hint` is appended to the time-limit message (e.g. "; run it as an async job").
pub async fn respond_with_rows(
    pool: &vo_db::Pool,
    plan: QueryPlan,
    timeout_hint: &str,
) -> HttpResponse {
    let client = match pool.get().await {
        Ok(c) => c,
        Err(e) => {
            return Failure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the database is not available, try again later: {e}"),
            )
            .response()
        }
    };
    let statement = match prepare(&client, &plan, timeout_hint).await {
        Ok(s) => s,
        Err(failure) => {
            discard(client);
            return failure.response();
        }
    };
    let rows = match client
        .query_raw(&statement, std::iter::empty::<i32>())
        .await
    {
        Ok(rows) => rows,
        Err(e) => {
            discard(client);
            return Failure::bad_request(database_message(&e, plan.timeout, timeout_hint))
                .response();
        }
    };
    // the first row (or the end) comes before the response, so that an error found while
    // executing still gets a proper status
    let mut rows = Box::pin(rows);
    let first = rows.next().await;
    if let Some(Err(e)) = &first {
        let message = database_message(e, plan.timeout, timeout_hint);
        drop(rows);
        discard(client);
        return Failure::bad_request(message).response();
    }
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let format = plan.format;
    let timeout_hint = timeout_hint.to_string();
    actix_web::rt::spawn(async move {
        let outcome = pump(&plan, first, rows, &sender, &timeout_hint).await;
        match outcome {
            Pumped::Finished => {
                if client.batch_execute("COMMIT").await.is_err() {
                    discard(client);
                }
            }
            Pumped::ClientGone => {
                // cancel what the database may still be doing, then drop the connection
                let token = client.cancel_token();
                let _ = token.cancel_query(tokio_postgres::NoTls).await;
                tracing::info!("client disconnected; query cancelled");
                discard(client);
            }
            Pumped::Failed => discard(client),
        }
    });
    let body = futures_util::stream::unfold(receiver, |mut r| async move {
        r.recv().await.map(|item| (item, r))
    });
    HttpResponse::Ok()
        .content_type(format.content_type())
        .streaming(body)
}

enum Pumped {
    Finished,
    ClientGone,
    Failed,
}

/// Takes a connection out of the pool for good (its transaction state is unknown).
fn discard(client: Object) {
    drop(Object::take(client));
}

async fn pump(
    plan: &QueryPlan,
    first: Option<Result<tokio_postgres::Row, tokio_postgres::Error>>,
    rows: std::pin::Pin<Box<tokio_postgres::RowStream>>,
    sender: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    timeout_hint: &str,
) -> Pumped {
    let meta = ResultMeta {
        fields: plan.fields.clone(),
        infos: plan.infos.clone(),
        trailing_resources: plan.trailing_resources.clone(),
    };
    let mut writer = writer_for(plan.format, meta);
    let mut out = Vec::with_capacity(1 << 17);
    writer.begin(&mut out);
    let mut count: u64 = 0;
    let rest = futures_util::stream::iter(first).chain(rows);
    pin_mut!(rest);
    let mut ending = Ending::Complete;
    while let Some(row) = rest.next().await {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                ending = Ending::Error(database_message(&e, plan.timeout, timeout_hint));
                break;
            }
        };
        if plan.maxrec.is_some_and(|m| count >= m) {
            ending = Ending::Overflow;
            break;
        }
        let cells: Vec<Cell> = (0..row.len())
            .map(|i| {
                row.try_get::<_, Decoded>(i)
                    .map(|d| d.0)
                    .unwrap_or(Cell::Null)
            })
            .collect();
        writer.row(&mut out, &cells);
        count += 1;
        if out.len() >= 1 << 16 {
            let chunk = Bytes::from(std::mem::replace(&mut out, Vec::with_capacity(1 << 17)));
            if sender.send(Ok(chunk)).await.is_err() {
                return Pumped::ClientGone;
            }
        }
    }
    if let (Ending::Error(message), false) = (&ending, plan.format.is_votable()) {
        let _ = sender.send(Ok(Bytes::from(out))).await;
        let _ = sender
            .send(Err(std::io::Error::other(message.clone())))
            .await;
        return Pumped::Failed;
    }
    let failed = matches!(ending, Ending::Error(_));
    writer.end(&mut out, &ending);
    if sender.send(Ok(Bytes::from(out))).await.is_err() {
        return Pumped::ClientGone;
    }
    if failed {
        Pumped::Failed
    } else {
        Pumped::Finished
    }
}
