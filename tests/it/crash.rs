//! The service killed at every point between two durable writes, as a power
//! cut or `kill -9` would: the real binary runs `poll-once` with
//! `KOMMENTARSVAKT_CRASH_AT` set and aborts there, then runs again. After
//! recovery nothing may be lost, done twice, done without evidence or told
//! untruly, and the archive must verify.

use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use kommentarsvakt::archive::EvidenceRecord;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::crashpoint::{CRASH_AT_ENV, POINTS};
use kommentarsvakt::store::{ActionState, Store};

use crate::support::app::TestApp;

/// The real binary with `args` on the app's config, crashing at
/// `crash_at` when given.
pub fn binary(app: &TestApp, args: &[&str], crash_at: Option<&str>) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"));
    command
        .args(args)
        .arg("--config")
        .arg(&app.config_path)
        .env("KOMMENTARSVAKT_LOG", "warn")
        .env_remove(CRASH_AT_ENV);
    if let Some(point) = crash_at {
        command.env(CRASH_AT_ENV, point);
    }
    command
}

async fn run_binary(app: &TestApp, args: &[&str], crash_at: Option<&str>) -> std::process::Output {
    binary(app, args, crash_at)
        .output()
        .await
        .expect("the binary runs")
}

/// `poll-once` that must die at `point`.
async fn poll_once_crashing_at(app: &TestApp, point: &str) {
    let output = run_binary(app, &["poll-once"], Some(point)).await;
    assert_eq!(
        output.status.signal(),
        Some(libc_sigabrt()),
        "poll-once should have aborted at {point}; status {:?}, stderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn libc_sigabrt() -> i32 {
    6
}

/// `poll-once` that must finish.
async fn poll_once(app: &TestApp) {
    let output = run_binary(app, &["poll-once"], None).await;
    assert!(
        output.status.success(),
        "poll-once failed: {:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sqlite_url(app: &TestApp) -> String {
    format!("sqlite://{}/kv.db", app.dir.path().display())
}

/// Every evidence record in the archive, parsed.
fn records(archive: &Path) -> Vec<EvidenceRecord> {
    fn walk(dir: &Path, out: &mut Vec<EvidenceRecord>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let bytes = std::fs::read(&path).expect("record readable");
                out.push(serde_json::from_slice(&bytes).expect("record parses"));
            }
        }
    }
    let mut out = Vec::new();
    walk(&archive.join("records"), &mut out);
    out
}

/// Hide and delete calls that took effect on the simulator, per comment.
fn applied_writes(app: &TestApp) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for call in app.sim.calls() {
        if matches!(call.method.as_str(), "POST" | "DELETE")
            && call.applied == Some(true)
            && let Some(id) = call.comment_id
        {
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
}

/// Everything a crash must not break, checked after recovery, with the
/// service's database at `database_url`.
pub async fn assert_recovered_on(app: &TestApp, database_url: &str, point: &str) {
    // The archive verifies.
    let verify = run_binary(app, &["archive", "verify"], None).await;
    assert!(
        verify.status.success(),
        "[{point}] archive verify failed:\n{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );

    // No comment lost.
    let store = Store::connect(database_url)
        .await
        .expect("the database opens");
    let planted = app.sim.planted_until(app.clock.now());
    assert!(planted.len() > 20, "the simulator planted comments");
    for comment in &planted {
        let versions = store.comment_versions(&comment.id).await.unwrap();
        assert!(
            !versions.is_empty(),
            "[{point}] comment {} was lost",
            comment.id
        );
    }

    // Each comment version archived once.
    let mut archived: HashMap<(String, String), usize> = HashMap::new();
    for record in records(&app.archive_dir()) {
        *archived
            .entry((record.comment.comment_id, record.comment.content_hash))
            .or_default() += 1;
    }
    let twice: Vec<_> = archived.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "[{point}] archived more than once: {twice:?}"
    );

    // No action twice, none without evidence.
    let writes = applied_writes(app);
    let repeated: Vec<_> = writes.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "[{point}] carried out twice: {repeated:?}"
    );
    let hidden: Vec<&str> = planted
        .iter()
        .filter(|p| app.sim.comment_state(&p.id).is_some_and(|s| s.hidden))
        .map(|p| p.id.as_str())
        .collect();
    assert!(!hidden.is_empty(), "[{point}] the run hid something");
    for id in &hidden {
        let versions = store.comment_versions(id).await.unwrap();
        let mut done = 0;
        for version in &versions {
            for action in store.actions_for_comment(version.id).await.unwrap() {
                if action.state == ActionState::Done {
                    done += 1;
                    let record = app.archive_dir().join(&action.record_path);
                    assert!(record.is_file(), "[{point}] {id} hidden without evidence");
                }
            }
        }
        assert_eq!(
            done, 1,
            "[{point}] {id} is hidden but has {done} done actions"
        );
    }

    // Every message true, and each outcome told once.
    let mails = app.mail_texts();
    for id in &hidden {
        let told: Vec<&String> = mails
            .iter()
            .filter(|(subject, body)| subject.starts_with("Kommentar dold") && body.contains(id))
            .map(|(subject, _)| subject)
            .collect();
        assert_eq!(told.len(), 1, "[{point}] hidden comment {id} told {told:?}");
    }
    for (subject, body) in &mails {
        if subject.starts_with("Kommentar dold") {
            assert!(
                hidden.iter().any(|id| body.contains(id)),
                "[{point}] told hidden but not hidden: {subject}"
            );
        }
        assert!(
            !subject.starts_with("Kommentaren syns fortfarande"),
            "[{point}] a failure was told where none happened: {subject}"
        );
    }
}

async fn assert_recovered(app: &TestApp, point: &str) {
    assert_recovered_on(app, &sqlite_url(app), point).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_at_every_point_between_two_writes_loses_nothing_and_does_nothing_twice() {
    for point in POINTS {
        let app = TestApp::start().await;
        // The second hit of each point, so the run has done some work of
        // the same kind before it dies.
        poll_once_crashing_at(&app, &format!("{point}:2")).await;
        poll_once(&app).await;
        assert_recovered(&app, point).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_right_after_the_first_hide_is_settled_by_reading_the_platform_not_by_hiding_again()
{
    let app = TestApp::start().await;
    poll_once_crashing_at(&app, "act.after_platform_call:1").await;
    let before = applied_writes(&app);
    assert_eq!(
        before.values().sum::<usize>(),
        1,
        "one hide before the kill"
    );
    poll_once(&app).await;
    let hidden_first = before.keys().next().unwrap().clone();
    assert_eq!(applied_writes(&app)[&hidden_first], 1);
    // The recovery asked the platform about that comment instead.
    let read_back = app.sim.calls().iter().any(|c| {
        c.method == "GET"
            && c.path.ends_with(&format!("/{hidden_first}"))
            && c.query.contains("is_hidden")
    });
    assert!(read_back, "the comment's state was read back");
    assert_recovered(&app, "act.after_platform_call:1").await;
}
