//! Prometheus metrics: what operators and moderators ask about — did
//! monitoring run, how long did it take, did an account fail, what was acted
//! on, is mail stuck, did evidence images fall back to the built-in
//! renderer — and the service's sign of life for the systemd watchdog.
//!
//! The names are defined here once, each with its HELP text; the pipeline
//! and the daemon call these functions. Without a configured `[metrics]
//! listen` address the calls are no-ops (no recorder is installed).
//!
//! Logging to the systemd journal lives here too ([`journald`]): it is the
//! other half of what operations see of the service.

pub mod journald;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

/// Why the metrics endpoint could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the metrics endpoint on {addr}: {detail}")]
pub struct MetricsError {
    /// The configured address.
    pub addr: SocketAddr,
    /// Why.
    pub detail: String,
}

/// Bucket bounds, in seconds, of the duration histograms: a run over a few
/// quiet accounts takes seconds, a first run over a backlog of hundreds of
/// flagged comments (each photographed) can take many minutes.
const DURATION_BUCKETS: [f64; 12] = [
    0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 3600.0,
];

const RUNS: &str = "kommentarsvakt_runs_total";
const LAST_RUN: &str = "kommentarsvakt_last_run_timestamp_seconds";
const RUN_DURATION: &str = "kommentarsvakt_run_duration_seconds";
const STAGE_DURATION: &str = "kommentarsvakt_run_stage_duration_seconds";
const COMMENTS_STORED: &str = "kommentarsvakt_comments_stored_total";
const ACCOUNT_FAILURES: &str = "kommentarsvakt_account_failures_total";
const DECISIONS: &str = "kommentarsvakt_decisions_total";
const ACTIONS: &str = "kommentarsvakt_actions_total";
const ARCHIVE_FAILURES: &str = "kommentarsvakt_archive_failures_total";
const OUTBOX: &str = "kommentarsvakt_outbox_total";
const OUTBOX_PENDING: &str = "kommentarsvakt_outbox_pending";
const OUTBOX_DEAD: &str = "kommentarsvakt_outbox_dead_letters";
const SCREENSHOT_FALLBACKS: &str = "kommentarsvakt_screenshot_fallbacks_total";
const CRISIS: &str = "kommentarsvakt_crisis_mode";
const BUILD_INFO: &str = "kommentarsvakt_build_info";

/// Serves `/metrics` on `addr` for the rest of the process's life, with a
/// HELP line for every metric and the build's identity.
pub fn install(addr: SocketAddr) -> Result<(), MetricsError> {
    let error = |detail: String| MetricsError { addr, detail };
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets_for_metric(
            Matcher::Suffix("_duration_seconds".to_string()),
            &DURATION_BUCKETS,
        )
        .map_err(|e| error(e.to_string()))?
        .install()
        .map_err(|e| error(e.to_string()))?;
    describe_all();
    build_info();
    Ok(())
}

/// The HELP text of every metric; Prometheus shows it beside the series.
fn describe_all() {
    describe_counter!(
        RUNS,
        "Monitoring runs finished, by trigger and status (completed or partial)."
    );
    describe_gauge!(
        LAST_RUN,
        Unit::Seconds,
        "When the last monitoring run finished (Unix time)."
    );
    describe_histogram!(
        RUN_DURATION,
        Unit::Seconds,
        "How long monitoring runs took, by trigger."
    );
    describe_histogram!(
        STAGE_DURATION,
        Unit::Seconds,
        "How long each stage of a monitoring run took (collect, decide, act, notify, deliver)."
    );
    describe_counter!(COMMENTS_STORED, "New comment versions stored, by account.");
    describe_counter!(
        ACCOUNT_FAILURES,
        "Accounts whose polling failed, by account and kind of failure."
    );
    describe_counter!(
        DECISIONS,
        "Comments decided, by action (none, review, hide, delete)."
    );
    describe_counter!(
        ACTIONS,
        "Platform actions ended, by kind and outcome (done, dry_run, failed, retry)."
    );
    describe_counter!(
        ARCHIVE_FAILURES,
        "Times archiving failed; nothing is acted on until it works again."
    );
    describe_counter!(
        OUTBOX,
        "Outbox items (e-mails, webhooks) delivered, retried or given up on, by kind."
    );
    describe_gauge!(
        OUTBOX_PENDING,
        "Outbox items waiting for (another) delivery attempt."
    );
    describe_gauge!(
        OUTBOX_DEAD,
        "Outbox items given up on (dead letters); a person must look at each."
    );
    describe_counter!(
        SCREENSHOT_FALLBACKS,
        "Evidence images drawn by the built-in renderer because Chromium could not draw them, by reason."
    );
    describe_gauge!(
        CRISIS,
        "1 while crisis mode is on (monitoring around the clock), else 0."
    );
    describe_gauge!(
        BUILD_INFO,
        "The running build: always 1, with its version and profile as labels."
    );
}

/// `kommentarsvakt_build_info{version,profile} 1`, so dashboards see which
/// build runs and when it changed.
fn build_info() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION"), "profile" => profile).set(1.0);
}

/// A monitoring run finished after `took`.
pub fn run_finished(trigger: &str, status: &str, finished_unix: i64, took: Duration) {
    counter!(RUNS, "trigger" => trigger.to_string(), "status" => status.to_string()).increment(1);
    gauge!(LAST_RUN).set(finished_unix as f64);
    histogram!(RUN_DURATION, "trigger" => trigger.to_string()).record(took.as_secs_f64());
    progressed();
}

/// A stage of a monitoring run finished after `took`.
pub fn stage_finished(stage: &'static str, took: Duration) {
    histogram!(STAGE_DURATION, "stage" => stage).record(took.as_secs_f64());
    progressed();
}

/// New comment versions stored for an account.
pub fn comments_stored(account: &str, count: usize) {
    counter!(COMMENTS_STORED, "account" => account.to_string()).increment(count as u64);
    progressed();
}

/// Polling an account failed.
pub fn account_failed(account: &str, kind: &str) {
    counter!(ACCOUNT_FAILURES, "account" => account.to_string(), "kind" => kind.to_string())
        .increment(1);
    progressed();
}

/// A comment was decided.
pub fn decided(action: &str) {
    counter!(DECISIONS, "action" => action.to_string()).increment(1);
    progressed();
}

/// A platform action ended (`done`, `dry_run`, `failed`, `retry`).
pub fn action_outcome(kind: &str, outcome: &str) {
    counter!(ACTIONS, "kind" => kind.to_string(), "outcome" => outcome.to_string()).increment(1);
    progressed();
}

/// Archiving failed: nothing is acted on until it works again.
pub fn archive_failed() {
    counter!(ARCHIVE_FAILURES).increment(1);
    progressed();
}

/// An outbox item was delivered, retried or given up on.
pub fn outbox(kind: &str, outcome: &str) {
    counter!(OUTBOX, "kind" => kind.to_string(), "outcome" => outcome.to_string()).increment(1);
    progressed();
}

/// How many outbox items wait and how many were given up on, read from the
/// database after each delivery pass.
pub fn outbox_backlog(pending: u64, dead: u64) {
    gauge!(OUTBOX_PENDING).set(pending as f64);
    gauge!(OUTBOX_DEAD).set(dead as f64);
}

/// An evidence image was drawn by the built-in renderer because Chromium
/// failed (`reason`: `start`, `render`, `timeout`).
pub fn screenshot_fallback(reason: &'static str) {
    counter!(SCREENSHOT_FALLBACKS, "reason" => reason).increment(1);
}

/// Crisis mode's current state.
pub fn crisis(enabled: bool) {
    gauge!(CRISIS).set(if enabled { 1.0 } else { 0.0 });
}

/// Units of work the service finished: every metric above that counts work
/// done also counts here, and so does each page a crawl stores. The daemon
/// feeds the systemd watchdog only while this moves (or while it waits for
/// its next run), so a hung run or a stuck database call stops the
/// `WATCHDOG=1` messages and systemd restarts the service.
static PROGRESS: AtomicU64 = AtomicU64::new(0);

/// Marks that a unit of work finished (see [`progress`]).
pub fn progressed() {
    PROGRESS.fetch_add(1, Ordering::Relaxed);
}

/// How many units of work the process has finished; only its changes mean
/// anything.
pub fn progress() -> u64 {
    PROGRESS.load(Ordering::Relaxed)
}
