//! Peak memory of a monitoring run over 800 accounts, first with an empty
//! database and then, in steady state, with a year of history in it. The
//! service must not grow with the history it keeps (issue 12: ≤ 100 MB for
//! the steady-state run).
//!
//! What it does, with the release binary as a child process so that the
//! figure is the service's own (its `VmHWM`, read every 20 ms while it
//! runs; `wait4`'s `ru_maxrss` is printed beside it, but Linux carries the
//! spawning bench's own size across `exec` into it):
//!
//! 1. starts the platform simulator in this process with 800 pages on a
//!    manual clock, and runs `poll-once` over one office day's comments
//!    (the first run; its figure is printed for comparison);
//! 2. fills the SQLite database with a year of history: the first run's
//!    rows (comments, findings, actions, tickets, e-mails, audit events,
//!    runs) copied once per monitoring slot of the past year, shifted back
//!    in time, as settled as the service leaves them — about ten million
//!    comment versions at the default size;
//! 3. advances the simulator by a day and runs `poll-once` again: the
//!    steady-state run, whose peak RSS is the figure that counts.
//!
//! `cargo bench --bench memory`. Evidence images are drawn by the built-in
//! renderer here, so that Chromium's own processes (bounded by
//! `archive.screenshot_concurrency`, measured in the screenshot bench) do
//! not blur the service's figure. `KOMMENTARSVAKT_BENCH_SLOTS` sets how many
//! slots of history are copied (default 1095: three a day for a year);
//! `KOMMENTARSVAKT_BENCH_ACCOUNTS` the number of accounts (default 800);
//! `KOMMENTARSVAKT_BENCH_PROFILER` runs each `poll-once` under a profiler
//! (e.g. `heaptrack -o /tmp/kv`) to see where the memory goes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use kommentarsvakt::clock::ManualClock;
use kommentarsvakt::platforms::simulator::{Simulator, SimulatorConfig, SimulatorHandle};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

/// The steady-state run's budget.
const TARGET_MIB: f64 = 100.0;
/// Monitoring slots in a year of office days, three a day.
const DEFAULT_SLOTS: i64 = 1095;
const DEFAULT_ACCOUNTS: usize = 800;
/// Hours between two copies of the first run's rows.
const HOURS_PER_SLOT: i64 = 8;

#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() {
    let accounts = env_number("KOMMENTARSVAKT_BENCH_ACCOUNTS", DEFAULT_ACCOUNTS as i64) as usize;
    let slots = env_number("KOMMENTARSVAKT_BENCH_SLOTS", DEFAULT_SLOTS);
    let dir = tempfile::tempdir().expect("temporary directory");
    let start = recent_office_morning(Utc::now());
    let clock = ManualClock::new(start);
    let sim = Simulator::start(
        SimulatorConfig {
            pages: accounts,
            seed: 12,
            stream_start: start,
            mean_spacing: std::time::Duration::from_secs(40 * 60),
            call_log: None,
        },
        Arc::new(clock.clone()),
        "127.0.0.1:0".parse().expect("loopback address"),
    )
    .await
    .expect("simulator starts");
    let config = write_config(dir.path(), &sim);

    println!("memory: {accounts} accounts, {slots} slots of history");
    clock.set(start + Duration::hours(8));
    let first = support::poll_once(&config);
    first.print("first run (empty database)");

    let db = dir.path().join("kv.db");
    let filled = Instant::now();
    let rows = fill_history(&db, slots).await;
    println!(
        "history: {rows} comment versions copied in {:.0} s, database {:.1} GiB",
        filled.elapsed().as_secs_f64(),
        database_bytes(&db) as f64 / f64::from(1 << 30)
    );

    clock.set(start + Duration::hours(32));
    let steady = support::poll_once(&config);
    steady.print("steady-state run (a year of history)");
    let verdict = if steady.peak_mib() <= TARGET_MIB {
        "within"
    } else {
        "OVER"
    };
    println!(
        "steady-state peak RSS {:.1} MiB: {verdict} the {TARGET_MIB:.0} MiB target",
        steady.peak_mib()
    );
    sim.shutdown().await;
}

/// The most recent weekday 08:00 Stockholm (07:00 UTC) at least two days
/// back whose next day is a weekday too, so both runs see office hours and
/// the comments stay well inside the service's look-back.
fn recent_office_morning(now: DateTime<Utc>) -> DateTime<Utc> {
    let mut day = now.date_naive() - Duration::days(2);
    while !matches!(
        day.weekday(),
        Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu
    ) {
        day -= Duration::days(1);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(7, 0, 0).expect("valid time"))
}

fn env_number(name: &str, default: i64) -> i64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {value:?}")),
        Err(_) => default,
    }
}

/// The service's configuration: every simulated page an account, mail to
/// a folder, the built-in evidence renderer.
fn write_config(dir: &Path, sim: &SimulatorHandle) -> PathBuf {
    let d = dir.display();
    let mut toml = support::config_head(dir, 16, "");
    for (i, page) in sim.pages().iter().enumerate() {
        toml.push_str(&format!(
            r#"[[accounts]]
key = "konto-{i}"
platform = "facebook"
platform_id = "{id}"
name = "Konto {i}"
department = "slk"
moderators = ["moderator{i}@bench.stockholm.se"]
purpose = "Bench"
token_file = "{d}/token"
api_base_url = "{base}"
api_version = "{version}"
"#,
            id = page.id,
            base = sim.base_url(),
            version = sim.api_version(),
        ));
    }
    let path = dir.join("kommentarsvakt.toml");
    std::fs::write(&path, toml).expect("config file");
    path
}

/// Copies the first run's rows once per past slot, each copy shifted back
/// by [`HOURS_PER_SLOT`] hours more, with ids and platform ids made unique
/// per copy. Everything is left as the service leaves it after a run:
/// decided, acted on, told, tickets closed, e-mails delivered. Returns the
/// number of comment versions in the database.
async fn fill_history(db: &Path, slots: i64) -> i64 {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(db)
                .pragma("synchronous", "OFF"),
        )
        .await
        .expect("database opens");
    let comment_span = max_id(&pool, "comments").await + 1;
    let run_span = max_id(&pool, "poll_runs").await + 1;
    let base_comments = max_id(&pool, "comments").await;
    let base_outbox = max_id(&pool, "outbox").await;
    let base_audit = max_id(&pool, "audit_log").await;
    // Copies are made in chunks, each in one transaction, so progress is
    // steady and the journal stays small.
    let chunk = 25;
    let mut first = 1;
    while first <= slots {
        let last = (first + chunk - 1).min(slots);
        let mut tx = pool.begin().await.expect("transaction");
        for statement in copy_statements() {
            sqlx::query(sqlx::AssertSqlSafe(statement.as_str()))
                .bind(first)
                .bind(last)
                .bind(comment_span)
                .bind(run_span)
                .bind(base_comments)
                .bind(HOURS_PER_SLOT)
                .bind(base_outbox)
                .bind(base_audit)
                .execute(&mut *tx)
                .await
                .unwrap_or_else(|e| panic!("copying history: {e}\n{statement}"));
        }
        tx.commit().await.expect("commit");
        first = last + 1;
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments")
        .fetch_one(&pool)
        .await
        .expect("count");
    pool.close().await;
    rows
}

async fn max_id(pool: &SqlitePool, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(MAX(id), 0) FROM {table}"
    )))
    .fetch_one(pool)
    .await
    .expect("max id")
}

fn database_bytes(db: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", db.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// One statement per table. Parameters: ?1..?2 the copies, ?3 the id span
/// of comments, ?4 of runs, ?5 the first run's last comment id, ?6 hours
/// per copy, ?7 and ?8 the first run's last e-mail and audit event ids.
fn copy_statements() -> Vec<String> {
    const COPIES: &str =
        "WITH RECURSIVE copies(k) AS (SELECT ?1 UNION ALL SELECT k + 1 FROM copies WHERE k < ?2)";
    let shift = |column: &str| {
        format!(
            "CASE WHEN {column} IS NULL THEN NULL ELSE \
             strftime('%Y-%m-%dT%H:%M:%S', {column}, printf('-%d hours', k * ?6)) || '.000000Z' END"
        )
    };
    let suffix = |column: &str| {
        format!("CASE WHEN {column} IS NULL THEN NULL ELSE {column} || '~' || k END")
    };
    vec![
        format!(
            "INSERT INTO poll_runs (id, trigger, slot_at, started_at, finished_at, crisis, status, digest_queued_at)
             {COPIES} SELECT id + k * ?4, trigger, {slot}, {started}, {finished}, crisis, 'ok', {started}
             FROM poll_runs, copies WHERE id < ?4",
            slot = shift("slot_at"),
            started = shift("started_at"),
            finished = shift("finished_at"),
        ),
        format!(
            "INSERT INTO poll_run_accounts (run_id, account_id, outcome, error_kind, error_detail, posts_seen, comments_new, started_at, finished_at)
             {COPIES} SELECT run_id + k * ?4, account_id, outcome, error_kind, error_detail, posts_seen, comments_new, {started}, {finished}
             FROM poll_run_accounts, copies WHERE run_id < ?4",
            started = shift("started_at"),
            finished = shift("finished_at"),
        ),
        format!(
            "INSERT INTO comments (id, account_id, post_platform_id, platform_comment_id, parent_platform_id, author_id, author_name, text, created_at, permalink, was_hidden, content_hash, raw, fetched_at, run_id, state, action, record_path, record_sha256, decided_at, decided_run_id)
             {COPIES} SELECT id + k * ?3, account_id, post_platform_id, platform_comment_id || '~' || k, {parent}, author_id, author_name, text, {created}, permalink, was_hidden, content_hash, raw, {fetched}, run_id + k * ?4, state, action, record_path, record_sha256, {decided}, decided_run_id + k * ?4
             FROM comments, copies WHERE id <= ?5",
            parent = suffix("parent_platform_id"),
            created = shift("created_at"),
            fetched = shift("fetched_at"),
            decided = shift("decided_at"),
        ),
        format!(
            "INSERT INTO findings (comment_id, category, confidence, start_offset, end_offset, rule, legal_basis, reason)
             {COPIES} SELECT comment_id + k * ?3, category, confidence, start_offset, end_offset, rule, legal_basis, reason
             FROM findings, copies WHERE comment_id <= ?5"
        ),
        format!(
            "INSERT INTO actions (comment_id, kind, state, record_path, attempts, last_error, created_at, updated_at, error_kind, verified_by, settled_run_id, notified)
             {COPIES} SELECT comment_id + k * ?3, kind, 'done', record_path, attempts, NULL, {created}, {updated}, NULL, 'reply', settled_run_id + k * ?4, 'settled'
             FROM actions, copies WHERE comment_id <= ?5",
            created = shift("created_at"),
            updated = shift("updated_at"),
        ),
        format!(
            "INSERT INTO tickets (reference, kind, state, account_id, comment_id, record_sha256, permalink, summary, due_at, assigned_to, created_at, updated_at, closed_at, closed_by, close_note, answered_by_comment)
             {COPIES} SELECT reference || '~' || k, kind, 'done', account_id, comment_id + k * ?3, record_sha256, permalink, summary, {due}, assigned_to, {created}, {created}, {created}, 'registrator@bench.stockholm.se', 'Klart', answered_by_comment
             FROM tickets, copies WHERE comment_id <= ?5",
            due = shift("due_at"),
            created = shift("created_at"),
        ),
        format!(
            "INSERT INTO outbox (kind, idempotency_key, payload, state, attempts, next_attempt_at, last_error, created_at, delivered_at)
             {COPIES} SELECT kind, idempotency_key || '~' || k, payload, 'delivered', 1, {created}, NULL, {created}, {created}
             FROM outbox, copies WHERE id <= ?7",
            created = shift("created_at"),
        ),
        format!(
            "INSERT INTO audit_log (at, actor, event, subject, detail)
             {COPIES} SELECT {at}, actor, event, {subject}, detail
             FROM audit_log, copies WHERE id <= ?8",
            at = shift("at"),
            subject = suffix("subject"),
        ),
    ]
}
