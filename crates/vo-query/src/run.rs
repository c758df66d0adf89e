//! Running a planned query and streaming its rows into a result format: plan → PostgreSQL →
//! rows decoded → writer → chunks of the body. Shared by every endpoint that returns rows.
//!
//! Rows go from `query_raw` to the HTTP body as they arrive, through a buffer of about
//! 64 kB and a channel of a few chunks, so memory does not grow with the result. If the client
//! goes away the database query is cancelled. Errors before the first byte are an error
//! document with a status code; errors after it end the VOTable with a QUERY_STATUS=ERROR
//! INFO (other formats: the transfer is aborted).

use crate::decode::{supported, Decoded};
use actix_web::http::StatusCode;
use bytes::Bytes;
use deadpool_postgres::Object;
use futures_util::{pin_mut, FutureExt, StreamExt};
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use vo_endpoint::{connect, Failure};
use vo_results::{writer_for, Cell, Ending, Field, Format, ResultMeta};

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
    /// The values of the SQL's parameters `$1`, `$2`…, as text (PostgreSQL reads each with
    /// its type's input function).
    pub parameters: Vec<String>,
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
    /// How long whoever reads the result may take to accept its next piece; a reader that
    /// stalls longer is dropped and the query cancelled (a client that stops reading must
    /// not keep its slot, a connection and a transaction).
    pub stall: Duration,
}

/// [`QueryPlan::stall`] unless the endpoint sets the server's body deadline.
pub const DEFAULT_STALL: Duration = Duration::from_secs(60);

/// How long the response waits for a query's first row before it starts streaming.
pub(crate) const FIRST_ROW_GRACE: Duration = Duration::from_millis(250);

/// How much of a result is buffered before it is sent.
const CHUNK: usize = 1 << 16;

/// How often a streaming response sends what it has (or a keep-alive newline).
const TICK: Duration = Duration::from_millis(200);

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

/// The database role queries run as (made by migration 0007).
pub const QUERY_ROLE: &str = "voarchive_query";

/// The database did not answer (as opposed to refusing the query).
fn not_answering(e: tokio_postgres::Error) -> Failure {
    Failure::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the database is not answering: {e}"),
    )
}

/// Where a query's connection comes from on `target`: a query session set up for it (no
/// uploads, the session's time limit), else the general pool with a transaction of its own.
fn session_for<'p>(
    target: &'p vo_db::ReadTarget,
    plan: &QueryPlan,
) -> Option<&'p vo_db::QueryPool> {
    target
        .sessions
        .as_ref()
        .filter(|s| plan.uploads.is_empty() && s.statement_timeout == plan.timeout)
}

/// A connection for the plan on the database `reads` sends it to (a replica in rotation,
/// else the primary; the primary for uploads), and whether it is a query session. A replica
/// that gives no connection is taken out of rotation and the primary is asked instead.
async fn connect_for(reads: &vo_db::Reads, plan: &QueryPlan) -> Result<(Object, bool), Failure> {
    let target = reads.target(!plan.uploads.is_empty());
    match open(target, plan).await {
        Err(failure) if !std::ptr::eq(target, reads.primary()) => {
            reads.failed(target, &failure.message);
            open(reads.primary(), plan).await
        }
        opened => opened,
    }
}

/// A connection on `target` for the plan (see [`session_for`]), and whether it is a session.
async fn open(target: &vo_db::ReadTarget, plan: &QueryPlan) -> Result<(Object, bool), Failure> {
    match session_for(target, plan) {
        Some(sessions) => Ok((vo_endpoint::connected(sessions.get().await)?, true)),
        None => Ok((connect(&target.pool).await?, false)),
    }
}

/// How many statements a query session keeps prepared; past that it starts over (clients
/// choose the shapes of their queries, so the cache must not grow with them).
const PREPARED_PER_SESSION: usize = 200;

/// Prepares the statement on a query session (already the query role, read only, with its
/// search path and time limit), or takes the one prepared there before for the same SQL:
/// queries that differ only in their numbers (parameters) are parsed and planned once per
/// session, and cost one round trip less.
async fn prepare_in_session(
    client: &Object,
    plan: &QueryPlan,
    timeout_hint: &str,
) -> Result<tokio_postgres::Statement, Failure> {
    if client.statement_cache.size() >= PREPARED_PER_SESSION {
        client.statement_cache.clear();
    }
    let prepared = client.prepare_cached(&plan.sql).await.map_err(|e| {
        if e.as_db_error().is_none() {
            not_answering(e)
        } else {
            Failure::bad_request(database_message(&e, plan.timeout, timeout_hint))
        }
    })?;
    checked(prepared)
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
    // the query runs as a role that reads only the published tables, with a time limit and
    // a search path no one can put objects in front of
    let settings = format!(
        "{begin}; SET LOCAL ROLE {QUERY_ROLE}; SET LOCAL search_path = pg_catalog, public, pg_temp; \
         SET LOCAL statement_timeout = {}",
        plan.timeout.as_millis().max(1)
    );
    if plan.uploads.is_empty() {
        // One round trip instead of two: both requests go out before either answer is awaited
        // (the connection keeps their order), so the statement is parsed under the settings.
        let (opened, prepared) =
            futures_util::join!(client.batch_execute(&settings), client.prepare(&plan.sql));
        opened.map_err(not_answering)?;
        return checked(prepared.map_err(db_error)?);
    }
    // with uploads the statement names temporary tables, which must exist before it is parsed
    client
        .batch_execute(&settings)
        .await
        .map_err(not_answering)?;
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
    checked(client.prepare(&plan.sql).await.map_err(db_error)?)
}

/// The statement, if this service can write every column it returns.
fn checked(statement: tokio_postgres::Statement) -> Result<tokio_postgres::Statement, Failure> {
    if let Some(c) = statement.columns().iter().find(|c| !supported(c.type_())) {
        return Err(Failure::bad_request(format!(
            "the result column {} has a database type ({}) this service cannot write",
            c.name(),
            c.type_()
        )));
    }
    Ok(statement)
}

/// A connection with a query that may still be running: if the request is dropped (the
/// client went away) before the query finished, the query is cancelled and the connection is
/// not returned to the pool.
struct Running {
    client: Option<Object>,
    /// Whether a transaction is open (a query session's statement commits by itself).
    in_transaction: bool,
    /// The statement that names the query's request in PostgreSQL (`application_name`, seen
    /// in `pg_stat_activity` and the server's log), sent with the query in one round trip.
    name_request: Option<String>,
}

impl Running {
    fn client(&self) -> &Object {
        self.client.as_ref().expect("present until finished")
    }

    /// The query is over and the transaction closed: the connection may be reused.
    async fn finish(mut self) {
        if let Some(client) = self.client.take() {
            if self.in_transaction && client.batch_execute("COMMIT").await.is_err() {
                discard(client);
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let token = client.cancel_token();
            discard(client);
            actix_web::rt::spawn(async move {
                let _ = token.cancel_query(tokio_postgres::NoTls).await;
                tracing::info!("query cancelled: the client went away or the query failed");
            });
        }
    }
}

/// A query under way: its result as chunks of bytes, whether it started (or the error that
/// stopped it before its first row), and how it ended.
pub struct QueryRun {
    pub chunks: mpsc::Receiver<Result<Bytes, std::io::Error>>,
    pub started: oneshot::Receiver<Result<(), String>>,
    pub finished: oneshot::Receiver<Outcome>,
}

/// How a query ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every row was written (`overflow`: MAXREC rows, more existed).
    Complete { rows: u64, overflow: bool },
    /// It failed; the message says why.
    Failed(String),
    /// Whoever read the result stopped reading; the query was cancelled.
    Abandoned,
}

/// Starts the plan in a task of its own on the database `reads` sends it to, on a query
/// session when one fits it, else in a transaction of its own. Dropping the chunk receiver
/// cancels the query.
pub async fn start_query(
    reads: &vo_db::Reads,
    plan: QueryPlan,
    timeout_hint: &str,
) -> Result<QueryRun, Failure> {
    let (client, in_session) = connect_for(reads, &plan).await?;
    let running = Running {
        client: Some(client),
        in_transaction: !in_session,
        name_request: vo_endpoint::current_request_id().map(|id| {
            format!(
                "SET application_name = 'voarchive {}'",
                id.replace('\'', "''")
            )
        }),
    };
    let statement = if in_session {
        prepare_in_session(running.client(), &plan, timeout_hint).await?
    } else {
        prepare(running.client(), &plan, timeout_hint).await?
    };
    let (sender, chunks) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let (started_tx, started) = oneshot::channel::<Result<(), String>>();
    let (finished_tx, finished) = oneshot::channel::<Outcome>();
    let timeout_hint = timeout_hint.to_string();
    // the query runs in a task of its own, named in the panic log as its request; a panic
    // there ends the result with an error instead of leaving it cut short as if complete
    let what = vo_endpoint::current_work().unwrap_or_else(|| "a query".into());
    let on_panic = sender.clone();
    let format = plan.format.short_name();
    let work = async move {
        let in_flight = vo_metrics::QueryInFlight::start();
        let outcome = execute(
            &running,
            &statement,
            &plan,
            &sender,
            started_tx,
            &timeout_hint,
        )
        .await;
        // the body ends here; the client need not wait for the COMMIT below
        drop(sender);
        drop(in_flight);
        if let Outcome::Complete { rows, .. } = outcome {
            vo_metrics::metrics()
                .rows_streamed
                .with_label_values(&[format])
                .inc_by(rows);
        }
        if let Outcome::Complete { .. } = outcome {
            running.finish().await;
        } else {
            // cancels the query and discards the connection
            drop(running);
        }
        let _ = finished_tx.send(outcome);
    };
    actix_web::rt::spawn(async move {
        let work = vo_endpoint::described(what, AssertUnwindSafe(work).catch_unwind());
        if work.await.is_err() {
            let _ = on_panic
                .send(Err(std::io::Error::other(
                    "the service failed while writing the result (an internal error, logged)",
                )))
                .await;
        }
    });
    Ok(QueryRun {
        chunks,
        started,
        finished,
    })
}

/// Takes a connection out of the pool for good (its transaction state is unknown).
fn discard(client: Object) {
    drop(Object::take(client));
}

type Sender = mpsc::Sender<Result<Bytes, std::io::Error>>;

/// The result being written: the writer, its buffer, and whether the header went out.
struct Output<'p> {
    plan: &'p QueryPlan,
    writer: Box<dyn vo_results::ResultWriter>,
    out: Vec<u8>,
    begun: bool,
}

impl Output<'_> {
    fn begin(&mut self) {
        if !self.begun {
            self.writer.begin(&mut self.out);
            self.begun = true;
        }
    }

    async fn send(&mut self, sender: &Sender) -> Result<(), ()> {
        if self.out.is_empty() {
            return Ok(());
        }
        // the next buffer as large as this one was (a small answer needs no more; a large
        // one is sent in pieces of about CHUNK)
        let next = Vec::with_capacity(self.out.len().min(CHUNK * 2));
        let chunk = Bytes::from(std::mem::replace(&mut self.out, next));
        // a reader that accepts nothing for so long has stopped reading: give up on it
        match tokio::time::timeout(self.plan.stall, sender.send(Ok(chunk))).await {
            Ok(sent) => sent.map_err(|_| ()),
            Err(_) => {
                tracing::info!(
                    seconds = self.plan.stall.as_secs(),
                    "the reader of a result stopped reading; the query is cancelled"
                );
                Err(())
            }
        }
    }

    /// What goes out on a tick: what is buffered, or for a VOTable a newline, so that a
    /// client that went away is noticed by the write.
    async fn keep_alive(&mut self, sender: &Sender) -> Result<(), ()> {
        self.begin();
        if self.out.is_empty() && self.plan.format.is_votable() {
            self.out.push(b'\n');
        }
        self.send(sender).await
    }

    /// Ends the result after `rows` rows.
    async fn end(mut self, sender: &Sender, ending: Ending, rows: u64) -> Outcome {
        self.begin();
        if let (Ending::Error(message), false) = (&ending, self.plan.format.is_votable()) {
            let _ = self.send(sender).await;
            let _ = sender
                .send(Err(std::io::Error::other(message.clone())))
                .await;
            return Outcome::Failed(message.clone());
        }
        self.writer.end(&mut self.out, &ending);
        loop {
            let more = self.writer.drain(&mut self.out);
            if self.send(sender).await.is_err() {
                return Outcome::Abandoned;
            }
            if !more {
                break;
            }
        }
        match ending {
            Ending::Error(message) => Outcome::Failed(message),
            Ending::Overflow => Outcome::Complete {
                rows,
                overflow: true,
            },
            Ending::Complete => Outcome::Complete {
                rows,
                overflow: false,
            },
        }
    }
}

/// Executes the statement and writes every row into the channel.
async fn execute(
    running: &Running,
    statement: &tokio_postgres::Statement,
    plan: &QueryPlan,
    sender: &Sender,
    started: oneshot::Sender<Result<(), String>>,
    timeout_hint: &str,
) -> Outcome {
    let meta = ResultMeta {
        fields: plan.fields.clone(),
        infos: plan.infos.clone(),
        trailing_resources: plan.trailing_resources.clone(),
    };
    let mut output = Output {
        plan,
        writer: writer_for(plan.format, meta),
        out: Vec::with_capacity(1 << 13),
        begun: false,
    };
    let message = |e: &tokio_postgres::Error| database_message(e, plan.timeout, timeout_hint);
    // ticks: while the database works (an aggregate may return nothing for minutes), what
    // is buffered goes out, and writing is how a client that went away is noticed
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.reset();

    // the execution up to the first row: the response may still be waiting for it
    let first = async {
        let client = running.client();
        let query = client.query_raw(
            statement,
            plan.parameters.iter().map(|p| vo_db::TextParameter(p)),
        );
        let rows = match &running.name_request {
            // both go out before either answer is awaited; the name is set first
            Some(name) => {
                let (named, rows) = futures_util::join!(client.batch_execute(name), query);
                named?;
                rows?
            }
            None => query.await?,
        };
        let mut rows = Box::pin(rows);
        let first = rows.next().await.transpose()?;
        Ok::<_, tokio_postgres::Error>((rows, first))
    };
    pin_mut!(first);
    let mut started = Some(started);
    let begun = loop {
        tokio::select! {
            biased;
            result = &mut first => break result,
            _ = sender.closed() => return Outcome::Abandoned,
            _ = tick.tick() => {
                // only once the response has stopped waiting may the document begin
                if started.as_ref().is_some_and(|s| s.is_closed()) {
                    started = None;
                }
                if started.is_none() && output.keep_alive(sender).await.is_err() {
                    return Outcome::Abandoned;
                }
            }
        }
    };
    let (mut rows, first) = match begun {
        Ok(r) => r,
        Err(e) => {
            let text = message(&e);
            // an error the response is still waiting for becomes its status; otherwise it
            // ends the document
            let delivered = started.is_some_and(|s| s.send(Err(text.clone())).is_ok());
            if delivered {
                return Outcome::Failed(text);
            }
            return output.end(sender, Ending::Error(text), 0).await;
        }
    };
    if let Some(s) = started {
        let _ = s.send(Ok(()));
    }
    output.begin();
    let mut count: u64 = 0;
    // an empty result has already ended: its stream must not be polled again
    let empty = first.is_none();
    let mut next_row = first.map(Ok);
    let mut sent_since_tick = false;
    let ending = loop {
        let row = match next_row.take() {
            Some(r) => Some(r),
            None if empty => None,
            None => tokio::select! {
                biased;
                next = rows.next() => next,
                _ = sender.closed() => return Outcome::Abandoned,
                _ = tick.tick() => {
                    if !sent_since_tick && output.keep_alive(sender).await.is_err() {
                        return Outcome::Abandoned;
                    }
                    sent_since_tick = false;
                    continue;
                }
            },
        };
        let row = match row {
            None => break Ending::Complete,
            Some(Err(e)) => break Ending::Error(message(&e)),
            Some(Ok(r)) => r,
        };
        if plan.maxrec.is_some_and(|m| count >= m) {
            break Ending::Overflow;
        }
        let cells: Vec<Cell> = (0..row.len())
            .map(|i| {
                row.try_get::<_, Decoded>(i)
                    .map(|d| d.0)
                    .unwrap_or(Cell::Null)
            })
            .collect();
        output.writer.row(&mut output.out, &cells);
        count += 1;
        if output.out.len() >= CHUNK {
            if output.send(sender).await.is_err() {
                return Outcome::Abandoned;
            }
            sent_since_tick = true;
        }
    };
    drop(rows);
    output.end(sender, ending, count).await
}
