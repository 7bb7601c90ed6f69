//! Metrics and logs.
//!
//! Metric names carry the `tollgate_` prefix and their unit. Labels come
//! from small fixed sets (decisions, categories), never from hosts or
//! clients, so the number of series stays bounded.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use audit::Decision;
use inspect::Report;
use metrics::{counter, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const REQUESTS_TOTAL: &str = "tollgate_requests_total";
pub const INSPECT_BYTES_TOTAL: &str = "tollgate_inspect_bytes_total";
pub const INSPECT_DURATION_SECONDS: &str = "tollgate_inspect_duration_seconds";
pub const UPSTREAM_DURATION_SECONDS: &str = "tollgate_upstream_duration_seconds";
pub const RECORD_DURATION_SECONDS: &str = "tollgate_record_duration_seconds";
pub const FINDINGS_TOTAL: &str = "tollgate_findings_total";
pub const UPSTREAM_ERRORS_TOTAL: &str = "tollgate_upstream_errors_total";
pub const RECORD_ERRORS_TOTAL: &str = "tollgate_record_errors_total";
pub const CLIENTS_REJECTED_TOTAL: &str = "tollgate_proxy_clients_rejected_total";

/// Rejected proxy clients logged per minute; the rest are only counted, so
/// a flood of bad handshakes cannot flood the log.
const REJECTIONS_LOGGED_PER_MINUTE: u32 = 10;

/// Histogram buckets in seconds, from 50 µs (inspecting a small body) to
/// 60 s (a slow destination).
const LATENCY_BUCKETS: [f64; 16] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 5.0, 60.0,
];

/// Installs the global Prometheus recorder and returns the handle that
/// renders `/metrics`.
pub fn install_metrics() -> anyhow::Result<PrometheusHandle> {
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)?
        .build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder)?;
    describe();
    Ok(handle)
}

fn describe() {
    metrics::describe_counter!(REQUESTS_TOTAL, "Requests decided, by decision");
    metrics::describe_counter!(
        INSPECT_BYTES_TOTAL,
        metrics::Unit::Bytes,
        "Bytes inspected after content decoding"
    );
    metrics::describe_histogram!(
        INSPECT_DURATION_SECONDS,
        metrics::Unit::Seconds,
        "Time to decode and inspect one request"
    );
    metrics::describe_histogram!(
        UPSTREAM_DURATION_SECONDS,
        metrics::Unit::Seconds,
        "Time from forwarding a request to the destination's response head"
    );
    metrics::describe_histogram!(
        RECORD_DURATION_SECONDS,
        metrics::Unit::Seconds,
        "Time to write one transfer record durably"
    );
    metrics::describe_counter!(FINDINGS_TOTAL, "Personal-data matches, by category");
    metrics::describe_counter!(
        UPSTREAM_ERRORS_TOTAL,
        "Forwarded requests that failed before the destination answered"
    );
    metrics::describe_gauge!(
        crate::selfcheck::SELFCHECK_ITEMS,
        "Items of the last self-inspection, by severity"
    );
    metrics::describe_gauge!(
        crate::selfcheck::REVIEWS_OVERDUE,
        "Whitelist entries whose review is overdue; their requests are blocked"
    );
    metrics::describe_gauge!(
        crate::selfcheck::REVIEWS_DUE_SOON,
        "Whitelist entries whose review is due within two weeks"
    );
    metrics::describe_gauge!(
        crate::selfcheck::CA_EXPIRY_SECONDS,
        metrics::Unit::Seconds,
        "Time until the Tollgate CA certificate expires"
    );
    metrics::describe_gauge!(
        crate::selfcheck::PIPL_INDIVIDUALS,
        "Individuals whose data each PIPL exporter sent abroad this year"
    );
    metrics::describe_counter!(
        RECORD_ERRORS_TOTAL,
        "Transfer records that could not be written; each blocked its request"
    );
    metrics::describe_counter!(
        CLIENTS_REJECTED_TOTAL,
        "Proxy client connections rejected during the TLS handshake"
    );
}

/// The minute being counted and the rejections seen in it.
static REJECTIONS: Mutex<Option<(Instant, u32)>> = Mutex::new(None);

/// Counts a proxy client rejected in its TLS handshake and logs it, at most
/// [`REJECTIONS_LOGGED_PER_MINUTE`] times a minute. The first rejection of
/// a new minute also reports how many the last minute left out.
pub fn client_rejected(client: SocketAddr, error: &str) {
    counter!(CLIENTS_REJECTED_TOTAL).increment(1);
    let mut window = REJECTIONS.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    let (started, seen) = window.get_or_insert((now, 0));
    if now.duration_since(*started) >= Duration::from_secs(60) {
        let left_out = seen.saturating_sub(REJECTIONS_LOGGED_PER_MINUTE);
        if left_out > 0 {
            tracing::warn!(
                left_out,
                "more proxy clients were rejected in the last minute"
            );
        }
        *started = now;
        *seen = 0;
    }
    *seen += 1;
    if *seen <= REJECTIONS_LOGGED_PER_MINUTE {
        tracing::warn!(%client, %error, "proxy client rejected");
    }
}

pub fn count_decision(decision: Decision) {
    counter!(REQUESTS_TOTAL, "decision" => decision.as_str()).increment(1);
}

pub fn observe_inspection(report: &Report, elapsed: Duration) {
    counter!(INSPECT_BYTES_TOTAL).increment(report.decoded_bytes);
    histogram!(INSPECT_DURATION_SECONDS).record(elapsed.as_secs_f64());
    for finding in &report.findings {
        counter!(FINDINGS_TOTAL, "category" => finding.category.as_str()).increment(finding.count);
    }
}

pub fn observe_upstream(elapsed: Duration) {
    histogram!(UPSTREAM_DURATION_SECONDS).record(elapsed.as_secs_f64());
}

pub fn count_upstream_error() {
    counter!(UPSTREAM_ERRORS_TOTAL).increment(1);
}

pub fn observe_record(elapsed: Duration) {
    histogram!(RECORD_DURATION_SECONDS).record(elapsed.as_secs_f64());
}

pub fn count_record_error() {
    counter!(RECORD_ERRORS_TOTAL).increment(1);
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Installs the tracing subscriber: `RUST_LOG` filters, `info` by default,
/// written to standard error.
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
