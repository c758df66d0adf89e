//! The service's metrics, as a fleet's operator reads them: one registry for the process,
//! what each metric counts, and the Prometheus text format (0.0.4) it is scraped in.
//!
//! Owns: the metric definitions (requests by endpoint and status, their latency, bytes and
//! rows streamed, requests and queries in flight, cache hits, and the gauges filled when the
//! metrics are read: pools, job queues, replicas), and their rendering.
//!
//! Does not own: HTTP (the server counts requests and serves `/metrics`), nor where the
//! figures come from — each crate records its own through [`metrics()`].

use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use std::sync::OnceLock;

/// Every metric of the process.
pub struct Metrics {
    registry: Registry,
    /// Requests answered, by endpoint (the route's pattern), method and status.
    pub requests: IntCounterVec,
    /// Seconds from a request's arrival to the last byte of its answer, by endpoint.
    pub request_seconds: HistogramVec,
    /// Requests whose answer has not been sent whole yet.
    pub requests_in_flight: IntGauge,
    /// Bytes of answers sent, by endpoint.
    pub bytes_sent: IntCounterVec,
    /// Table rows written into answers and results, by format.
    pub rows_streamed: IntCounterVec,
    /// Database queries running for clients (sync, async and page).
    pub queries_in_flight: IntGauge,
    /// Look-ups in the service's caches, by cache and outcome (`hit`, `miss`).
    pub cache_lookups: IntCounterVec,
    /// Connections of each pool, by pool and state (`in_use`, `idle`, `max`), and clients
    /// waiting for one (`waiting`): read when the metrics are.
    pub pool_connections: IntGaugeVec,
    /// Jobs queued or executing, by service and phase: read when the metrics are.
    pub jobs: IntGaugeVec,
    /// Age in seconds of the oldest job queued or executing, by service and phase.
    pub job_oldest_seconds: GaugeVec,
    /// Seconds each read replica is behind the primary, by replica.
    pub replica_lag_seconds: GaugeVec,
    /// Whether each read replica takes reads (1) or is out of rotation (0), by replica.
    pub replica_in_rotation: IntGaugeVec,
    /// Reads sent to each database, by target (`primary`, or the replica's name).
    pub reads: IntCounterVec,
}

/// Histogram buckets for request times: from a cached cone (~1 ms) to a long dump.
const REQUEST_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

impl Metrics {
    fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new_custom(Some("voarchive".into()), None)?;
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = IntCounterVec::new(Opts::new(name, help), labels)?;
            registry.register(Box::new(c.clone()))?;
            Ok::<_, prometheus::Error>(c)
        };
        let gauges = |name: &str, help: &str, labels: &[&str]| {
            let g = IntGaugeVec::new(Opts::new(name, help), labels)?;
            registry.register(Box::new(g.clone()))?;
            Ok::<_, prometheus::Error>(g)
        };
        let float_gauges = |name: &str, help: &str, labels: &[&str]| {
            let g = GaugeVec::new(Opts::new(name, help), labels)?;
            registry.register(Box::new(g.clone()))?;
            Ok::<_, prometheus::Error>(g)
        };
        let gauge = |name: &str, help: &str| {
            let g = IntGauge::new(name, help)?;
            registry.register(Box::new(g.clone()))?;
            Ok::<_, prometheus::Error>(g)
        };
        let request_seconds = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Seconds from a request's arrival to the last byte of its answer",
            )
            .buckets(REQUEST_BUCKETS.to_vec()),
            &["endpoint"],
        )?;
        registry.register(Box::new(request_seconds.clone()))?;
        Ok(Metrics {
            requests: counter(
                "http_requests_total",
                "Requests answered, by endpoint (route pattern), method and status",
                &["endpoint", "method", "status"],
            )?,
            request_seconds,
            requests_in_flight: gauge(
                "http_requests_in_flight",
                "Requests whose answer has not been sent whole yet",
            )?,
            bytes_sent: counter(
                "http_response_bytes_total",
                "Bytes of answers sent, by endpoint",
                &["endpoint"],
            )?,
            rows_streamed: counter(
                "rows_streamed_total",
                "Table rows written into answers and job results, by format",
                &["format"],
            )?,
            queries_in_flight: gauge(
                "queries_in_flight",
                "Database queries running for clients (sync, async and the page)",
            )?,
            cache_lookups: counter(
                "cache_lookups_total",
                "Look-ups in the service's caches, by cache and outcome (hit, miss)",
                &["cache", "outcome"],
            )?,
            pool_connections: gauges(
                "db_pool_connections",
                "Database connections of each pool by state (in_use, idle, max), and clients waiting for one (waiting)",
                &["pool", "state"],
            )?,
            jobs: gauges(
                "jobs",
                "Asynchronous jobs queued or executing, by service and phase",
                &["service", "phase"],
            )?,
            job_oldest_seconds: float_gauges(
                "job_oldest_seconds",
                "Age of the oldest job queued or executing, by service and phase",
                &["service", "phase"],
            )?,
            replica_lag_seconds: float_gauges(
                "replica_lag_seconds",
                "Seconds each read replica is behind the primary",
                &["replica"],
            )?,
            replica_in_rotation: gauges(
                "replica_in_rotation",
                "Whether each read replica takes reads (1) or is out of rotation (0)",
                &["replica"],
            )?,
            reads: counter(
                "db_reads_total",
                "Read queries sent to each database (primary, or a replica by name)",
                &["target"],
            )?,
            registry,
        })
    }

    /// Every metric in the Prometheus text format (0.0.4).
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // writing into memory cannot fail
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// A client's query counted in [`Metrics::queries_in_flight`] while this lives.
pub struct QueryInFlight(());

impl QueryInFlight {
    pub fn start() -> QueryInFlight {
        metrics().queries_in_flight.inc();
        QueryInFlight(())
    }
}

impl Drop for QueryInFlight {
    fn drop(&mut self) {
        metrics().queries_in_flight.dec();
    }
}

/// The content type of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| Metrics::new().expect("the metrics' names and labels are valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_figures_are_rendered_with_their_labels_and_help() {
        let m = metrics();
        m.requests
            .with_label_values(&["/tap/sync", "POST", "200"])
            .inc_by(3);
        m.request_seconds
            .with_label_values(&["/tap/sync"])
            .observe(0.02);
        m.cache_lookups.with_label_values(&["preview", "hit"]).inc();
        let text = m.render();
        assert!(text.contains(
            "voarchive_http_requests_total{endpoint=\"/tap/sync\",method=\"POST\",status=\"200\"} 3"
        ), "{text}");
        assert!(text.contains("# TYPE voarchive_http_request_duration_seconds histogram"));
        assert!(text.contains(
            "voarchive_http_request_duration_seconds_bucket{endpoint=\"/tap/sync\",le=\"0.025\"} 1"
        ), "{text}");
        assert!(text.contains("voarchive_cache_lookups_total{cache=\"preview\",outcome=\"hit\"} 1"));
        assert!(text.contains("# HELP voarchive_queries_in_flight "));
    }
}
