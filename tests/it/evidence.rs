//! Evidence that holds up: the hash chain names every altered, missing or
//! inserted record, and when the archive cannot be written nothing is acted
//! on, a person is told, and the next run catches up. A service killed
//! while it writes a record leaves, once restarted, an archive that
//! verifies and one record per comment version.

use std::path::{Path, PathBuf};
use std::process::Command;

use kommentarsvakt::archive::ChainEntry;
use kommentarsvakt::store::RunTrigger;
use sha2::{Digest, Sha256};

use crate::support::app::TestApp;

fn verify_cli(dir: &Path) -> (Option<i32>, String) {
    verify_cli_with(dir, &[])
}

/// `archive verify --dir DIR` with `extra` arguments (`--anchor …`).
fn verify_cli_with(dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["archive", "verify", "--dir"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn record_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("records")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn verify_names_each_altered_missing_and_inserted_record() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    let archive = app.archive_dir();
    let (code, out) = verify_cli(&archive);
    assert_eq!(code, Some(0), "a fresh archive is intact:\n{out}");

    let files = record_files(&archive);
    assert!(files.len() >= 3);
    let rel = |p: &Path| p.strip_prefix(&archive).unwrap().display().to_string();
    // Alter one record: change one character of the comment text.
    let altered = &files[0];
    let text = std::fs::read_to_string(altered).unwrap();
    std::fs::write(altered, text.replacen("\"text\": \"", "\"text\": \"X", 1)).unwrap();
    // Delete another.
    let deleted = &files[1];
    std::fs::remove_file(deleted).unwrap();
    // Insert a copy of a third under a new name, as if smuggled in.
    let inserted = files[2]
        .with_file_name("0000000000000000000000000000000000000000000000000000000000000000.json");
    std::fs::copy(&files[2], &inserted).unwrap();

    // Alter the screenshot of a fourth record: the record names its hash.
    let with_image = files[3..]
        .iter()
        .find(|f| f.with_extension("png").exists())
        .expect("flagged comments have a screenshot beside their record");
    let mut png = std::fs::read(with_image.with_extension("png")).unwrap();
    png.push(0);
    std::fs::write(with_image.with_extension("png"), png).unwrap();

    let (code, out) = verify_cli(&archive);
    assert_eq!(code, Some(1), "problems give a non-zero exit code:\n{out}");
    assert!(
        out.contains(&format!("altered: {}", rel(with_image))),
        "{out}"
    );
    assert!(out.contains(&format!("altered: {}", rel(altered))), "{out}");
    assert!(out.contains(&format!("missing: {}", rel(deleted))), "{out}");
    assert!(
        out.contains(&format!("(inserted): {}", rel(&inserted))),
        "{out}"
    );
    assert_eq!(
        out.lines().count(),
        5,
        "exactly four problems and the summary:\n{out}"
    );
}

/// A tmpfs mounted over a directory for the length of a test.
struct Mount(PathBuf);

impl Mount {
    /// Mounts a small tmpfs at `dir`, or `None` (skipped) where mounting is
    /// not allowed. `KOMMENTARSVAKT_REQUIRE_MOUNT` (CI) makes it a failure.
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("KOMMENTARSVAKT_REQUIRE_MOUNT").is_none(),
                "KOMMENTARSVAKT_REQUIRE_MOUNT is set but a tmpfs cannot be mounted"
            );
            crate::support::skip(
                "a tmpfs cannot be mounted here (needs root); set KOMMENTARSVAKT_REQUIRE_MOUNT=1 \
                 to insist",
            );
            return None;
        }
        Some(Mount(dir.to_path_buf()))
    }

    fn remount(&self, mode: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success(), "remount {mode}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Runs a slot with a broken archive, then with a working one.
async fn archive_failure_acts_on_nothing_and_is_retried(
    break_archive: impl FnOnce(&Mount),
    mend_archive: impl FnOnce(&Mount),
) {
    let app = TestApp::start().await;
    let Some(mount) = Mount::tmpfs(&app.archive_dir(), "8m") else {
        return;
    };
    let pipeline = app.pipeline().await;
    break_archive(&mount);
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert!(summary.archive_failed);
    assert_eq!(summary.hidden, 0, "nothing is acted on without evidence");
    assert!(
        app.sim
            .calls()
            .iter()
            .all(|c| c.method != "POST" && c.method != "DELETE")
    );
    assert!(
        summary.comments_new > 0,
        "comments are stored even when the archive fails"
    );
    let mails = app.mails();
    assert!(
        mails.iter().any(|m| m.contains("drift@test.stockholm.se")),
        "operations are told the archive is failing"
    );

    mend_archive(&mount);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert!(!summary.archive_failed);
    assert!(summary.hidden > 0, "the next run documents and acts");
    assert!(
        kommentarsvakt::archive::verify(&app.archive_dir())
            .unwrap()
            .is_intact()
    );
}

#[tokio::test]
async fn a_full_disk_stops_actions_and_the_next_run_retries() {
    archive_failure_acts_on_nothing_and_is_retried(
        |m| {
            // Fill the file system to the last byte.
            let filler = m.0.join("filler");
            let _ = std::fs::write(&filler, vec![0u8; 16 * 1024 * 1024]);
        },
        |m| std::fs::remove_file(m.0.join("filler")).unwrap(),
    )
    .await;
}

#[tokio::test]
async fn a_read_only_archive_stops_actions_and_the_next_run_retries() {
    archive_failure_acts_on_nothing_and_is_retried(|m| m.remount("ro"), |m| m.remount("rw")).await;
}

#[tokio::test]
async fn flagged_comments_are_photographed_by_chromium_when_it_is_installed() {
    if !Path::new("/usr/bin/chromium").exists() {
        assert!(
            std::env::var_os("KOMMENTARSVAKT_REQUIRE_CHROMIUM").is_none(),
            "KOMMENTARSVAKT_REQUIRE_CHROMIUM is set but /usr/bin/chromium is missing"
        );
        crate::support::skip(
            "Chromium is not installed at /usr/bin/chromium (bash .ci/setup-chromium installs it)",
        );
        return;
    }
    let app = TestApp::start().await;
    std::fs::write(
        &app.config_path,
        app.config_toml(false)
            .replace("screenshots = \"builtin\"", "screenshots = \"auto\""),
    )
    .unwrap();
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert!(summary.hidden > 0);
    let mut photographed = 0;
    for file in record_files(&app.archive_dir()) {
        let record: kommentarsvakt::archive::EvidenceRecord =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        if let Some(shot) = record.screenshot {
            assert_eq!(shot.renderer, "chromium");
            let png = std::fs::read(file.with_extension("png")).unwrap();
            assert!(png.starts_with(b"\x89PNG"), "a PNG beside the record");
            photographed += 1;
        } else {
            assert!(
                record.verdict.findings.is_empty(),
                "every flagged comment has an image"
            );
        }
    }
    assert!(photographed >= summary.hidden);
}

/// `poll-once`, the real binary against the app's simulator, with a crash
/// point armed or not. Run off the async runtime, which serves the
/// simulator meanwhile.
async fn poll_once(app: &TestApp, crash_at: Option<String>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"));
    command
        .arg("poll-once")
        .arg("--config")
        .arg(&app.config_path)
        .env("KOMMENTARSVAKT_LOG", "warn")
        .env_remove(kommentarsvakt::crashpoint::CRASH_AT_ENV);
    if let Some(point) = crash_at {
        command.env(kommentarsvakt::crashpoint::CRASH_AT_ENV, point);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Kills the service with an abort at the third pass of `point` during
/// `poll-once`, as a power cut would, then runs `poll-once` again; returns
/// the app for the checks.
async fn crash_at_the_third_record_then_run_again(point: &str) -> TestApp {
    use std::os::unix::process::ExitStatusExt;

    // The binary runs on the system clock: so does the simulator here.
    let app = TestApp::start_at(chrono::Utc::now()).await;
    let crashed = poll_once(&app, Some(format!("{point}:3"))).await;
    let stderr = String::from_utf8_lossy(&crashed.stderr);
    assert_eq!(
        crashed.status.signal(),
        Some(6),
        "poll-once dies of SIGABRT at {point}; status {:?}, stderr:\n{stderr}",
        crashed.status
    );
    assert!(
        stderr.contains(&format!("crash point {point} reached")),
        "{stderr}"
    );
    let pending = std::fs::read(app.archive_dir().join("pending.json")).unwrap();
    assert!(
        !pending.is_empty(),
        "the crash left the write's intent behind"
    );

    let again = poll_once(&app, None).await;
    assert!(
        again.status.success(),
        "the rerun works; stderr:\n{}",
        String::from_utf8_lossy(&again.stderr)
    );
    app
}

/// `chain.jsonl` read in order.
fn chain_entries(archive: &Path) -> Vec<kommentarsvakt::archive::ChainEntry> {
    std::fs::read_to_string(archive.join("chain.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `archive verify` exits 0, and every record file is chained exactly once.
fn assert_verified_and_every_record_chained_once(app: &TestApp) -> String {
    let archive = app.archive_dir();
    let (code, out) = verify_cli(&archive);
    assert_eq!(code, Some(0), "verify after the restart:\n{out}");
    let entries = chain_entries(&archive);
    let mut chained: Vec<PathBuf> = entries.iter().map(|e| archive.join(&e.path)).collect();
    chained.sort();
    let before = chained.len();
    chained.dedup();
    assert_eq!(chained.len(), before, "no record is chained twice");
    assert_eq!(
        chained,
        record_files(&archive),
        "every record file is chained, and every chained record is on disk"
    );
    assert!(
        entries
            .iter()
            .enumerate()
            .all(|(i, e)| e.seq == i as u64 + 1),
        "the chain runs 1, 2, 3, … without a gap"
    );
    out
}

/// Every comment version the database knows is decided and has exactly
/// one record, the one the database names; no record documents a version
/// the database does not know.
async fn assert_one_record_per_known_version(app: &TestApp) {
    use sqlx::Row;

    let archive = app.archive_dir();
    let url = format!("sqlite://{}/kv.db", app.dir.path().display());
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let rows = sqlx::query(
        "SELECT a.key, c.platform_comment_id, c.content_hash, c.state, c.record_path
         FROM comments c JOIN accounts a ON a.id = c.account_id WHERE c.state <> 'own'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let mut records: std::collections::HashMap<(String, String, String), Vec<String>> =
        std::collections::HashMap::new();
    for file in record_files(&archive) {
        let record: kommentarsvakt::archive::EvidenceRecord =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        records
            .entry((
                record.account.key,
                record.comment.comment_id,
                record.comment.content_hash,
            ))
            .or_default()
            .push(file.strip_prefix(&archive).unwrap().display().to_string());
    }
    assert!(rows.len() > 3, "the run stored the simulator's comments");
    for row in &rows {
        let version: (String, String, String) = (
            row.get("key"),
            row.get("platform_comment_id"),
            row.get("content_hash"),
        );
        let state: String = row.get("state");
        let record_path: Option<String> = row.get("record_path");
        assert_eq!(state, "decided", "{version:?} is decided after the rerun");
        let found = records.remove(&version).unwrap_or_default();
        assert_eq!(
            found,
            record_path.into_iter().collect::<Vec<_>>(),
            "{version:?} has exactly the one record the database names"
        );
    }
    assert!(
        records.is_empty(),
        "records of versions the database does not know: {records:?}"
    );
}

#[tokio::test]
async fn a_crash_between_record_and_chain_line_leaves_a_verifiable_archive_and_no_second_record() {
    let app = crash_at_the_third_record_then_run_again("archive.after_record_write").await;
    let out = assert_verified_and_every_record_chained_once(&app);
    let recovered: Vec<_> = chain_entries(&app.archive_dir())
        .into_iter()
        .filter(|e| e.recovered_at.is_some())
        .collect();
    assert_eq!(
        recovered.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [3],
        "the third record was rolled forward when the service restarted"
    );
    let report = kommentarsvakt::archive::verify(&app.archive_dir()).unwrap();
    assert!(
        matches!(
            &report.recovery[..],
            [kommentarsvakt::archive::RecoveryNote::ChainedOnReopen { seq: 3, .. }]
        ),
        "{:?}",
        report.recovery
    );
    assert!(
        out.contains("recovered after crash: record #3"),
        "verify tells the archivist:\n{out}"
    );
    assert_one_record_per_known_version(&app).await;
}

#[tokio::test]
async fn a_crash_between_chain_line_and_decision_leaves_a_verifiable_archive() {
    let app = crash_at_the_third_record_then_run_again("archive.after_chain_append").await;
    assert_verified_and_every_record_chained_once(&app);
    assert!(
        chain_entries(&app.archive_dir())
            .iter()
            .all(|e| e.recovered_at.is_none()),
        "the record was chained before the crash: nothing to roll forward"
    );
}

#[tokio::test]
async fn a_crash_between_chain_line_and_decision_does_not_archive_the_comment_twice() {
    let app = crash_at_the_third_record_then_run_again("archive.after_chain_append").await;
    assert_one_record_per_known_version(&app).await;
}

/// `archive verify` with the service's config: the chain as the database
/// anchored it. Exit code and standard output.
async fn verify_with_config(app: &TestApp) -> (Option<i32>, String) {
    let out = crate::crash::binary(app, &["archive", "verify"], None)
        .output()
        .await
        .unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Rewrites the whole chain as someone with write access to the archive
/// could: the first record altered, then every record re-linked, re-hashed
/// and renamed, and `chain.jsonl` written anew, so the archive verifies in
/// itself.
fn rebuild_chain_consistently(archive: &Path) {
    let mut prev = "0".repeat(64);
    let mut lines = String::new();
    for (i, entry) in chain_entries(archive).into_iter().enumerate() {
        let old = archive.join(&entry.path);
        let mut record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
        if i == 0 {
            let text = record["comment"]["text"].as_str().unwrap().to_string();
            record["comment"]["text"] = format!("{text} (ändrad)").into();
        }
        record["prev"] = prev.clone().into();
        let mut bytes = serde_json::to_vec_pretty(&record).unwrap();
        bytes.push(b'\n');
        let sha = hex::encode(Sha256::digest(&bytes));
        let new = old.with_file_name(format!("{sha}.json"));
        std::fs::remove_file(&old).unwrap();
        std::fs::write(&new, &bytes).unwrap();
        if old.with_extension("png").exists() {
            std::fs::rename(old.with_extension("png"), new.with_extension("png")).unwrap();
        }
        let path = new.strip_prefix(archive).unwrap().display().to_string();
        let line = ChainEntry {
            seq: entry.seq,
            sha256: sha.clone(),
            prev: prev.clone(),
            path,
            recovered_at: None,
        };
        lines.push_str(&serde_json::to_string(&line).unwrap());
        lines.push('\n');
        prev = sha;
    }
    std::fs::write(archive.join("chain.jsonl"), lines).unwrap();
}

/// One run's archive, anchored in the database and verifying against it.
async fn an_anchored_archive(app: &TestApp) -> PathBuf {
    let pipeline = app.pipeline().await;
    app.run_next_slot(&pipeline).await;
    pipeline.shutdown().await;
    let (code, out) = verify_with_config(app).await;
    assert_eq!(code, Some(0), "intact and as anchored:\n{out}");
    assert!(
        out.contains("Chain anchor from the database: record #"),
        "{out}"
    );
    app.archive_dir()
}

/// The archive verifies in itself, and fails against the database anchor
/// with `tampering`.
async fn assert_only_the_anchor_shows(app: &TestApp, tampering: &str) {
    let (code, out) = verify_cli(&app.archive_dir());
    assert_eq!(code, Some(0), "the chain verifies in itself:\n{out}");
    let (code, out) = verify_with_config(app).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(tampering), "{out}");
}

#[tokio::test]
async fn a_chain_rebuilt_with_recomputed_hashes_fails_verify_against_the_database_anchor() {
    let app = TestApp::start().await;
    let archive = an_anchored_archive(&app).await;
    rebuild_chain_consistently(&archive);
    assert_only_the_anchor_shows(&app, "TAMPERING: the chain was rebuilt").await;
}

#[tokio::test]
async fn a_chain_cut_short_fails_verify_against_the_database_anchor() {
    let app = TestApp::start().await;
    let archive = an_anchored_archive(&app).await;
    let entries = chain_entries(&archive);
    let last = entries.last().unwrap();
    std::fs::remove_file(archive.join(&last.path)).unwrap();
    let _ = std::fs::remove_file(archive.join(&last.path).with_extension("png"));
    let kept: String = entries[..entries.len() - 1]
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    std::fs::write(archive.join("chain.jsonl"), kept).unwrap();
    assert_only_the_anchor_shows(&app, "TAMPERING: the chain was cut short").await;
}

/// The registry's copy of the chain head: the body of the day's digest to
/// the registry, and the anchor it gives (`HASH:COUNT`).
fn mailed_anchor(app: &TestApp) -> (String, String) {
    let digests: Vec<String> = app
        .mail_texts()
        .into_iter()
        .filter(|(subject, _)| subject.starts_with("Daglig sammanställning till registrator"))
        .map(|(_, body)| body)
        .collect();
    assert_eq!(digests.len(), 1, "one digest to the registry a day");
    let body = digests[0].clone();
    let anchor = body
        .lines()
        .find(|line| line.starts_with("Kedjeankare:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("the digest gives the anchor:\n{body}"))
        .to_string();
    (body, anchor)
}

#[tokio::test]
async fn the_daily_digest_to_the_registry_holds_the_anchor_that_catches_a_later_rebuilt_chain() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| {
        toml.replace(
            "[mail]\n",
            "[mail]\nregistry_mailbox = \"registrator@test.stockholm.se\"\n",
        )
    });
    let pipeline = app.pipeline().await;
    app.run_next_slot(&pipeline).await;
    let daemon = kommentarsvakt::daemon::Daemon::new(pipeline, None);
    daemon.run_daily_mail().await;
    daemon.run_daily_mail().await;
    let archive = app.archive_dir();
    let head = chain_entries(&archive).pop().unwrap();
    let (body, anchor) = mailed_anchor(&app);
    assert_eq!(anchor, format!("{}:{}", head.sha256, head.seq), "{body}");
    assert!(
        body.contains("diarieför") && body.contains(&format!("--anchor {anchor}")),
        "says what the anchor is for and how to check it:\n{body}"
    );
    let (code, out) = verify_cli_with(&archive, &["--anchor", &anchor]);
    assert_eq!(code, Some(0), "the archive as mailed:\n{out}");

    // Someone who can write the archive rebuilds the chain after the
    // digest went out; the check reads nothing but the archive and the
    // mailed anchor, so a database changed along with it does not help.
    daemon.pipeline().shutdown().await;
    rebuild_chain_consistently(&archive);
    let (code, out) = verify_cli(&archive);
    assert_eq!(
        code,
        Some(0),
        "the rebuilt chain verifies in itself:\n{out}"
    );
    let (code, out) = verify_cli_with(&archive, &["--anchor", &anchor]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("TAMPERING: the chain was rebuilt")
            && out.contains("the anchor given with --anchor holds"),
        "{out}"
    );
}
