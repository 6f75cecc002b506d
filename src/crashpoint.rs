//! Named points between two durable writes where a test can make the
//! process die, as a power cut or `kill -9` would.
//!
//! The service promises that a crash at any point loses nothing, does
//! nothing twice and leaves the evidence archive verifiable. That promise is
//! only worth something if it is tested at each point where it could break,
//! so every such point calls [`hit`] with its name. In production the
//! environment variable [`CRASH_AT_ENV`] is unset and [`hit`] is one relaxed
//! atomic load. A test starts the real binary with
//! `KOMMENTARSVAKT_CRASH_AT=<point>[:<n>]` and the process aborts — no
//! destructors, no flushing, no unwinding a task could catch — the `n`-th
//! time (default the first) it reaches that point. The test then runs the
//! service again and checks what a crash there must not break.
//!
//! The points are listed in [`POINTS`], so a test can loop over all of them
//! and a misspelt name is refused instead of silently never firing.
//!
//! The same points can instead be made to *hang*: with
//! `KOMMENTARSVAKT_HANG_AT=<point>[:<n>]` ([`HANG_AT_ENV`]) the thread that
//! reaches the point blocks for good, as a stuck database call or a hung
//! platform call would. That is how the watchdog's test proves that a hung
//! run stops the `WATCHDOG=1` messages and systemd restarts the service.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that arms one crash point.
pub const CRASH_AT_ENV: &str = "KOMMENTARSVAKT_CRASH_AT";

/// The environment variable that makes one point hang instead.
pub const HANG_AT_ENV: &str = "KOMMENTARSVAKT_HANG_AT";

/// Every crash point in the service, in the order a comment meets them.
pub const POINTS: &[&str] = &[
    // A call's comments are inserted, its transaction is not committed.
    "collect.before_harvest_commit",
    // A call's comments and cursors are committed, the next call not made.
    "collect.after_harvest_commit",
    // The record file is on disk, its chain line is not.
    "archive.after_record_write",
    // The chain line is appended, the decision is not committed.
    "archive.after_chain_append",
    // The action is marked in flight, the platform has not been called.
    "act.before_platform_call",
    // The platform carried out the action, its outcome is not recorded.
    "act.after_platform_call",
    // The outcome is recorded, the people it concerns are not yet told.
    "act.after_outcome_write",
    // The outcome notices are queued, nothing is delivered yet.
    "notify.after_outbox_insert",
];

struct Armed {
    point: String,
    at_hit: u64,
    hits: AtomicU64,
}

impl Armed {
    /// Reads the point armed by `variable`, if any.
    fn from_env(variable: &str) -> Option<Self> {
        let value = std::env::var(variable).ok()?;
        let (point, at_hit) = parse(variable, &value)?;
        Some(Self {
            point,
            at_hit,
            hits: AtomicU64::new(0),
        })
    }

    /// Counts a pass of `point`; true at the armed pass.
    fn fires_at(&self, point: &str) -> bool {
        self.point == point && self.hits.fetch_add(1, Ordering::Relaxed) + 1 == self.at_hit
    }
}

fn armed_crash() -> Option<&'static Armed> {
    static ARMED: OnceLock<Option<Armed>> = OnceLock::new();
    ARMED.get_or_init(|| Armed::from_env(CRASH_AT_ENV)).as_ref()
}

fn armed_hang() -> Option<&'static Armed> {
    static ARMED: OnceLock<Option<Armed>> = OnceLock::new();
    ARMED.get_or_init(|| Armed::from_env(HANG_AT_ENV)).as_ref()
}

/// Reads `point[:n]` from `variable`; an unknown point or a bad count arms
/// nothing and says so on stderr, where the test that set it will see it.
fn parse(variable: &str, value: &str) -> Option<(String, u64)> {
    let (point, count) = match value.split_once(':') {
        Some((point, count)) => (point, count.parse::<u64>().ok().filter(|n| *n > 0)),
        None => (value, Some(1)),
    };
    match count {
        Some(n) if POINTS.contains(&point) => Some((point.to_string(), n)),
        _ => {
            eprintln!("{variable}={value:?} names no crash point; known: {POINTS:?}");
            None
        }
    }
}

/// Marks that the process reached `point`; aborts there, or blocks the
/// calling thread for good, when a test armed it.
pub fn hit(point: &'static str) {
    debug_assert!(POINTS.contains(&point), "unlisted crash point {point}");
    if armed_crash().is_some_and(|armed| armed.fires_at(point)) {
        eprintln!("crash point {point} reached: aborting as armed by {CRASH_AT_ENV}");
        std::process::abort();
    }
    if armed_hang().is_some_and(|armed| armed.fires_at(point)) {
        eprintln!("hang point {point} reached: blocking as armed by {HANG_AT_ENV}");
        loop {
            std::thread::park();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_with_a_count_is_armed_and_an_unknown_point_is_not() {
        let parse = |value| parse(CRASH_AT_ENV, value);
        assert_eq!(
            parse("act.after_platform_call:3"),
            Some(("act.after_platform_call".to_string(), 3))
        );
        assert_eq!(
            parse("archive.after_record_write"),
            Some(("archive.after_record_write".to_string(), 1))
        );
        assert_eq!(parse("act.after_platform_cal"), None);
        assert_eq!(parse("act.after_platform_call:0"), None);
        assert_eq!(parse("act.after_platform_call:x"), None);
    }
}
