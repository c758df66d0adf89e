//! What a fleet's operator and balancer need of a node: every request counted and logged with
//! its id (`/metrics` in the Prometheus text format), `/health` (the process answers) and
//! `/ready` (it should be sent requests: the database answers and it is not draining), and
//! the drain on SIGTERM: `/ready` says 503 first, then no new connections are taken, the
//! answers under way are finished, and the jobs this node executes are handed back to the
//! queue for the other nodes.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{web, HttpMessage, HttpResponse};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use vo_endpoint::ObservedBody;
use vo_metrics::metrics;

/// Whether this node is draining (it answers what it has, and takes nothing new).
#[derive(Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The databases whose pools `/metrics` reports: the primary's and each replica's.
#[derive(Clone)]
pub struct Pools(pub std::sync::Arc<vo_db::Reads>);

/// The routes: `/metrics`, `/health`, `/ready`.
pub fn configure(draining: Draining, pools: Pools) -> impl FnOnce(&mut web::ServiceConfig) + Clone {
    move |config| {
        config
            .app_data(web::Data::new(draining))
            .app_data(web::Data::new(pools))
            .route("/metrics", web::get().to(metrics_text))
            .route("/health", web::get().to(health))
            .route("/ready", web::get().to(ready));
    }
}

fn text(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(body)
}

async fn health() -> HttpResponse {
    text(actix_web::http::StatusCode::OK, "ok\n".into())
}

/// How long `/ready` waits for the database.
const READY_WAIT: Duration = Duration::from_secs(2);

async fn ready(draining: web::Data<Draining>, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    use actix_web::http::StatusCode;
    if draining.is_on() {
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "draining: this node finishes what it has and takes nothing new\n".into(),
        );
    }
    let answered = tokio::time::timeout(READY_WAIT, async {
        let client = pool.get().await.map_err(|e| e.to_string())?;
        client
            .simple_query("SELECT 1")
            .await
            .map_err(|e| e.to_string())
    })
    .await;
    match answered {
        Ok(Ok(_)) => text(StatusCode::OK, "ready\n".into()),
        Ok(Err(e)) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the database is not answering: {e}\n"),
        ),
        Err(_) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the database did not answer within {} s\n",
                READY_WAIT.as_secs()
            ),
        ),
    }
}

/// The job figures read when the metrics are: per service and phase, how many and the age
/// of the oldest.
const JOB_FIGURES: &str = "SELECT service, phase, count(*), \
    coalesce(extract(epoch FROM now() - min(coalesce(start_time, creation_time))), 0)::float8 \
    FROM uws.job WHERE phase IN ('QUEUED', 'EXECUTING') GROUP BY service, phase";

async fn metrics_text(pools: web::Data<Pools>, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    let m = metrics();
    let targets =
        std::iter::once(pools.0.primary()).chain(pools.0.replicas().iter().map(|r| &r.target));
    let mut named = Vec::new();
    for target in targets {
        named.push((format!("{} general", target.name), target.pool.status()));
        if let Some(sessions) = &target.sessions {
            named.push((format!("{} query_sessions", target.name), sessions.status()));
        }
    }
    for (name, status) in named {
        let name = name.as_str();
        let idle = status.available as i64;
        let open = status.size as i64;
        m.pool_connections
            .with_label_values(&[name, "in_use"])
            .set(open - idle);
        m.pool_connections
            .with_label_values(&[name, "idle"])
            .set(idle);
        m.pool_connections
            .with_label_values(&[name, "max"])
            .set(status.max_size as i64);
        m.pool_connections
            .with_label_values(&[name, "waiting"])
            .set(status.waiting as i64);
    }
    // the queues as they are now; a database that does not answer leaves the last figures
    let figures = tokio::time::timeout(READY_WAIT, async {
        let client = pool.get().await.ok()?;
        client.query(JOB_FIGURES, &[]).await.ok()
    })
    .await;
    if let Ok(Some(rows)) = figures {
        for &service in crate::serve::JOB_SERVICES {
            for phase in ["QUEUED", "EXECUTING"] {
                let row = rows
                    .iter()
                    .find(|r| r.get::<_, &str>(0) == service && r.get::<_, &str>(1) == phase);
                m.jobs
                    .with_label_values(&[service, phase])
                    .set(row.map_or(0, |r| r.get::<_, i64>(2)));
                m.job_oldest_seconds
                    .with_label_values(&[service, phase])
                    .set(row.map_or(0.0, |r| r.get::<_, f64>(3)));
            }
        }
    }
    HttpResponse::Ok()
        .content_type(vo_metrics::CONTENT_TYPE)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(m.render())
}

/// Counts a request as it arrives; the answer is counted and logged when its last byte has
/// gone (or the client left): its body is a [`vo_endpoint::ObservedBody`].
pub fn request_arrived(request: &ServiceRequest) -> Arrival {
    metrics().requests_in_flight.inc();
    Arrival {
        started: Instant::now(),
        method: request.method().to_string(),
        path: request.path().to_string(),
    }
}

/// A request under way, for its count and log line.
pub struct Arrival {
    started: Instant,
    method: String,
    path: String,
}

impl Arrival {
    /// The answer, whose body counts and logs the request once sent.
    pub fn answered<B: MessageBody + 'static>(
        self,
        response: ServiceResponse<B>,
    ) -> ServiceResponse<ObservedBody> {
        let endpoint = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "(no route)".into());
        let id = response
            .request()
            .extensions()
            .get::<vo_endpoint::RequestId>()
            .map(|id| id.0.to_string())
            .unwrap_or_default();
        let status = response.status().as_u16();
        let answer = Answer {
            arrival: self,
            endpoint,
            id,
            status,
        };
        response.map_body(move |_, body| {
            ObservedBody::new(body.boxed(), move |end| answer.record(end.bytes, end.whole))
        })
    }

    /// A request that failed before it had an answer (actix then writes one).
    pub fn failed(self, status: u16) {
        Answer {
            arrival: self,
            endpoint: "(no route)".into(),
            id: String::new(),
            status,
        }
        .record(0, true);
    }
}

struct Answer {
    arrival: Arrival,
    endpoint: String,
    id: String,
    status: u16,
}

impl Answer {
    fn record(self, bytes: u64, whole: bool) {
        let m = metrics();
        let seconds = self.arrival.started.elapsed().as_secs_f64();
        m.requests_in_flight.dec();
        m.requests
            .with_label_values(&[
                &self.endpoint,
                &self.arrival.method,
                &self.status.to_string(),
            ])
            .inc();
        m.request_seconds
            .with_label_values(&[&self.endpoint])
            .observe(seconds);
        m.bytes_sent
            .with_label_values(&[&self.endpoint])
            .inc_by(bytes);
        tracing::info!(
            request_id = self.id,
            method = self.arrival.method,
            path = self.arrival.path,
            status = self.status,
            bytes,
            whole,
            elapsed_ms = (seconds * 1e3) as u64,
            "request"
        );
    }
}

/// Waits for SIGTERM or SIGINT, then drains: `/ready` answers 503 at once and no job is
/// claimed any more; after `delay` (for the balancer to notice) it waits, up to `finish`, for
/// the answers under way to end, runs `before_stop` (the node hands its jobs back), then
/// `server` stops taking connections and stops its workers. Answers and jobs are settled
/// first because a worker that stops takes with it the I/O of the database connections it
/// opened, which another worker's answer or a job may be using (the fleet test saw an answer
/// cut with "connection closed"); a job handed back can no longer record an end.
pub async fn drain_on_signal(
    draining: Draining,
    server: actix_web::dev::ServerHandle,
    delay: Duration,
    finish: Duration,
    before_stop: impl std::future::Future<Output = ()>,
) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::warn!("cannot listen for SIGTERM: the node stops without draining");
        return;
    };
    tokio::select! {
        _ = term.recv() => {},
        _ = interrupt.recv() => {},
    }
    tracing::info!(
        delay_seconds = delay.as_secs_f64(),
        "draining: /ready answers 503; then no new connections, the answers under way finish"
    );
    draining.start();
    vo_uws_service::stop_claiming();
    tokio::time::sleep(delay).await;
    let deadline = std::time::Instant::now() + finish;
    while vo_metrics::metrics().requests_in_flight.get() > 0 && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    before_stop.await;
    server.stop(true).await;
}
