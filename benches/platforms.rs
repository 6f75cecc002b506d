//! One monitoring run over 800 simulated accounts spread over the five
//! platforms, with 100 ms added to every platform call (issue 13, "Few
//! calls"): how close the collect stage comes to the floor its calls allow,
//! and how much memory a whole run of them takes.
//!
//! The floor is what the calls cost if the configured concurrency were
//! always full: calls × latency / concurrency. `polling.concurrency` bounds
//! the calls in flight over all accounts (one permit per HTTP call, an
//! account's independent calls a few at a time), so nothing else bounds
//! them from below: no platform limits concurrent calls, and no rate limit
//! is slower for one steady-state run (X lists one timeline call per
//! account, well inside its 15-minute window; YouTube spends one unit a
//! call of a quota raised for the bench; Graph and LinkedIn count calls
//! per hour and day). An account's calls that depend on each other (a
//! LinkedIn page's posts, then their comments) are at most a few in a row,
//! a fraction of a second against a floor of many seconds. The bench
//! prints the wall time, the floor, their ratio (target ≤ 1.2), how full
//! the permits were on average (from the simulator's call log), and the
//! calls per account on each platform (target ≤ 2 on Graph).
//!
//! Then the release binary runs `poll-once` over the same accounts and
//! database as a child process (all stages, the added latency still on),
//! and its peak RSS is printed (its `VmHWM`, read while it runs, as in the
//! memory bench; target ≤ 100 MB).
//!
//! What it does, in this process, against the simulator on loopback with
//! a real SQLite file on a manual clock:
//!
//! 1. a first run without added latency lists each account's look-back
//!    and stores its cursors (not measured: that is backfill);
//! 2. the clock moves to the next slot, the simulator adds the latency,
//!    and the steady-state collect stage is timed on its own; the calls it
//!    made are read from the simulator's call log.
//!
//! 3. `poll-once` in a child process, for its peak RSS.
//!
//! Deferred work (a rate budget that ran short) shows as `incomplete`.
//!
//! `cargo bench --bench platforms`. `KOMMENTARSVAKT_BENCH_ACCOUNTS` (800),
//! `KOMMENTARSVAKT_BENCH_LATENCY_MS` (100) and
//! `KOMMENTARSVAKT_BENCH_CONCURRENCY` (16) change the set-up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, TimeZone, Utc, Weekday};
use kommentarsvakt::clock::ManualClock;
use kommentarsvakt::config;
use kommentarsvakt::pipeline::{Pipeline, RunSummary};
use kommentarsvakt::platforms::simulator::{
    CallRecord, Simulator, SimulatorConfig, SimulatorHandle,
};
use kommentarsvakt::store::RunTrigger;

const PLATFORMS: [&str; 5] = ["facebook", "instagram", "x", "youtube", "linkedin"];
/// The target ratio of wall time to floor.
const TARGET_RATIO: f64 = 1.2;
/// The target peak RSS of a run.
const TARGET_MIB: f64 = 100.0;

#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() {
    let accounts = env_number("KOMMENTARSVAKT_BENCH_ACCOUNTS", 800);
    let latency = Duration::from_millis(env_number("KOMMENTARSVAKT_BENCH_LATENCY_MS", 100) as u64);
    let concurrency = env_number("KOMMENTARSVAKT_BENCH_CONCURRENCY", 16);
    let dir = tempfile::tempdir().expect("temporary directory");
    let start = recent_office_morning(Utc::now());
    let clock = ManualClock::new(start);
    let sim = Simulator::start(
        SimulatorConfig {
            pages: accounts,
            seed: 13,
            stream_start: start - chrono::Duration::hours(48),
            mean_spacing: Duration::from_secs(40 * 60),
            call_log: None,
        },
        Arc::new(clock.clone()),
        "127.0.0.1:0".parse().expect("loopback address"),
    )
    .await
    .expect("simulator starts");
    let config_path = write_config(dir.path(), &sim, concurrency, start);
    let config = config::load(&config_path).expect("bench config is valid");
    let pipeline = Pipeline::build(config, Arc::new(clock.clone()))
        .await
        .expect("pipeline builds");
    println!(
        "platforms: {accounts} accounts over {} platforms, {} ms per call, concurrency {concurrency}",
        PLATFORMS.len(),
        latency.as_millis()
    );

    clock.set(start + chrono::Duration::hours(1));
    let first = pipeline
        .run(RunTrigger::Manual, None, false)
        .await
        .expect("first run");
    println!(
        "first run (backfill, no added latency): {} ok, {} failed, {} incomplete, {} new comments",
        first.accounts_ok, first.accounts_failed, first.accounts_incomplete, first.comments_new
    );

    clock.set(start + chrono::Duration::hours(4));
    sim.set_latency(latency);
    let seen_before = sim.calls().len();
    let run_id = pipeline
        .store()
        .begin_run(
            RunTrigger::Manual,
            None,
            false,
            start + chrono::Duration::hours(4),
        )
        .await
        .expect("run begins");
    let mut summary = RunSummary {
        run_id,
        ..RunSummary::default()
    };
    let began = Instant::now();
    pipeline
        .collect(run_id, &mut summary)
        .await
        .expect("collect stage");
    let wall = began.elapsed();
    let calls = sim.calls().split_off(seen_before);
    println!(
        "steady-state collect: {} ok, {} failed, {} incomplete, {} new comments",
        summary.accounts_ok,
        summary.accounts_failed,
        summary.accounts_incomplete,
        summary.comments_new
    );

    let mut per_platform: BTreeMap<&str, usize> = BTreeMap::new();
    for call in &calls {
        *per_platform.entry(platform_of(&call.path)).or_default() += 1;
    }
    let per_account = (accounts as f64 / PLATFORMS.len() as f64).max(1.0);
    for platform in PLATFORMS {
        let made = per_platform.get(platform).copied().unwrap_or(0);
        println!(
            "  {platform:<9} {made:>5} calls, {:.2} per account",
            made as f64 / per_account
        );
    }
    let floor = latency.mul_f64(calls.len() as f64 / concurrency as f64);
    let ratio = wall.as_secs_f64() / floor.as_secs_f64().max(f64::EPSILON);
    println!(
        "calls {}, wall {:.2} s, floor {:.2} s (calls × latency / concurrency), ratio {ratio:.2}: {} the {TARGET_RATIO} target",
        calls.len(),
        wall.as_secs_f64(),
        floor.as_secs_f64(),
        verdict(ratio <= TARGET_RATIO)
    );
    println!(
        "calls in flight on average {:.1} of {concurrency}",
        busy_seconds(&calls, latency) / wall.as_secs_f64().max(f64::EPSILON)
    );

    // The service's archive takes one writer: this process's pipeline
    // leaves before the child starts.
    drop(pipeline);
    clock.set(start + chrono::Duration::hours(7));
    let child = support::poll_once(&config_path);
    child.print("poll-once (all stages, child process)");
    println!(
        "peak RSS {:.1} MiB: {} the {TARGET_MIB:.0} MiB target",
        child.peak_mib(),
        verdict(child.peak_mib() <= TARGET_MIB)
    );
    sim.shutdown().await;
}

fn verdict(within: bool) -> &'static str {
    if within { "within" } else { "OVER" }
}

/// The seconds the calls spent at the simulator, added up: the added
/// latency (waited before a call is logged as received) and the time each
/// took to answer. Divided by the wall time, how many were in flight on
/// average.
fn busy_seconds(calls: &[CallRecord], latency: Duration) -> f64 {
    let answering: f64 = calls
        .iter()
        .filter_map(|call| (call.finished_at - call.received_at).to_std().ok())
        .map(|busy| busy.as_secs_f64())
        .sum();
    answering + latency.as_secs_f64() * calls.len() as f64
}

/// The platform whose routes a simulator path is on (Graph at the root).
fn platform_of(path: &str) -> &'static str {
    PLATFORMS[1..]
        .iter()
        .find(|p| path.starts_with(&format!("/{p}/")))
        .copied()
        .unwrap_or("facebook")
}

/// A recent weekday 08:00 Stockholm (07:00 UTC), so both runs fall in
/// office hours and the simulated comments are well inside the look-back.
fn recent_office_morning(now: DateTime<Utc>) -> DateTime<Utc> {
    let mut day = now.date_naive() - chrono::Duration::days(2);
    while !matches!(day.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu) {
        day -= chrono::Duration::days(1);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(7, 0, 0).expect("valid time"))
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {value:?}")),
        Err(_) => default,
    }
}

/// Every simulated page an account, the five platforms in turn, each on
/// the simulator's routes for it.
fn write_config(
    dir: &Path,
    sim: &SimulatorHandle,
    concurrency: usize,
    now: DateTime<Utc>,
) -> PathBuf {
    let d = dir.display();
    // 160 channels: Google's default 10 000 units are spent by the first run's
    // hides (50 each), and the steady-state listing would wait for Pacific
    // midnight. A city with this many channels asks Google for more.
    let mut toml = support::config_head(dir, concurrency, "youtube_daily_quota = 1000000");
    for (i, page) in sim.pages().iter().enumerate() {
        let platform = PLATFORMS[i % PLATFORMS.len()];
        let (base, id, version) = match platform {
            "facebook" => (
                sim.base_url(),
                page.id.clone(),
                sim.api_version().to_string(),
            ),
            "instagram" | "x" | "youtube" => (
                format!("{}/{platform}", sim.base_url()),
                page.id.clone(),
                if platform == "x" {
                    "2".into()
                } else {
                    sim.api_version().to_string()
                },
            ),
            _ => (
                format!("{}/linkedin", sim.base_url()),
                format!("urn:li:organization:{}", page.id),
                now.format("%Y%m").to_string(),
            ),
        };
        toml.push_str(&format!(
            r#"[[accounts]]
key = "konto-{i}"
platform = "{platform}"
platform_id = "{id}"
name = "Konto {i}"
department = "slk"
moderators = ["moderator{i}@bench.stockholm.se"]
purpose = "Bench"
token_file = "{d}/token"
api_base_url = "{base}"
api_version = "{version}"
"#
        ));
    }
    let path = dir.join("kommentarsvakt.toml");
    std::fs::write(&path, toml).expect("config file");
    path
}
