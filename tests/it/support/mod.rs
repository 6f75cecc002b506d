//! Shared helpers for the integration tests.

use std::io::Write;

pub mod app;
pub mod browser;
pub mod db;
pub mod eark;
pub mod fixtures;
pub mod oidc;
pub mod smtp;
pub mod tickets;
pub mod tls;
pub mod web;

/// Reports that the running test is skipped, and why, past the test
/// harness's output capture: a reason printed with `eprintln!` is swallowed
/// for a test that returns early, so a plain `cargo test` would show the
/// skip as a silent pass. Callers first assert that the matching
/// `KOMMENTARSVAKT_REQUIRE_*` variable is unset, so CI fails instead.
pub fn skip(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("an integration test");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// Whether a finished command succeeded, and what it printed (standard
/// output, then standard error), for tests that read its words.
pub fn outcome_of(out: &std::process::Output) -> (bool, String) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
