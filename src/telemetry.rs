//! Prometheus metrics: what operators and moderators ask about — did
//! monitoring run, did an account fail, what was acted on, is mail stuck.
//!
//! The names are defined here once; the pipeline and the daemon call these
//! functions. Without a configured `[metrics] listen` address the calls are
//! no-ops (no recorder is installed).

use std::net::SocketAddr;

use metrics::{counter, gauge};
use metrics_exporter_prometheus::PrometheusBuilder;

/// Why the metrics endpoint could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the metrics endpoint on {addr}: {detail}")]
pub struct MetricsError {
    /// The configured address.
    pub addr: SocketAddr,
    /// Why.
    pub detail: String,
}

/// Serves `/metrics` on `addr` for the rest of the process's life.
pub fn install(addr: SocketAddr) -> Result<(), MetricsError> {
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()
        .map_err(|e| MetricsError {
            addr,
            detail: e.to_string(),
        })
}

/// A monitoring run finished.
pub fn run_finished(trigger: &str, status: &str, finished_unix: i64) {
    counter!("kommentarsvakt_runs_total", "trigger" => trigger.to_string(), "status" => status.to_string())
        .increment(1);
    gauge!("kommentarsvakt_last_run_timestamp_seconds").set(finished_unix as f64);
}

/// New comment versions stored for an account.
pub fn comments_stored(account: &str, count: usize) {
    counter!("kommentarsvakt_comments_stored_total", "account" => account.to_string())
        .increment(count as u64);
}

/// Polling an account failed.
pub fn account_failed(account: &str, kind: &str) {
    counter!("kommentarsvakt_account_failures_total", "account" => account.to_string(), "kind" => kind.to_string())
        .increment(1);
}

/// A comment was decided.
pub fn decided(action: &str) {
    counter!("kommentarsvakt_decisions_total", "action" => action.to_string()).increment(1);
}

/// A platform action ended (`done`, `dry_run`, `failed`, `retry`).
pub fn action_outcome(kind: &str, outcome: &str) {
    counter!("kommentarsvakt_actions_total", "kind" => kind.to_string(), "outcome" => outcome.to_string())
        .increment(1);
}

/// Archiving failed: nothing is acted on until it works again.
pub fn archive_failed() {
    counter!("kommentarsvakt_archive_failures_total").increment(1);
}

/// An outbox item was delivered, retried or given up on.
pub fn outbox(kind: &str, outcome: &str) {
    counter!("kommentarsvakt_outbox_total", "kind" => kind.to_string(), "outcome" => outcome.to_string())
        .increment(1);
}

/// Crisis mode's current state.
pub fn crisis(enabled: bool) {
    gauge!("kommentarsvakt_crisis_mode").set(if enabled { 1.0 } else { 0.0 });
}
