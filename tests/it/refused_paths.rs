//! Record paths from the database are trusted for nothing: a row naming a
//! file outside the archive's records folder (`/etc/…`, `../…`) makes
//! culling refuse before it deletes anything, and every refused path —
//! in culling, in a registry e-mail's attachment, in an action's receipt —
//! is told to operations in one Swedish e-mail, once, naming the row and
//! the path.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::Duration;
use kommentarsvakt::archive::retention;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::daemon::Daemon;
use kommentarsvakt::pipeline::{Pipeline, RunSummary};
use kommentarsvakt::store::OutboxState;
use sqlx::Connection;

use crate::retention::app_after_one_slot;
use crate::support::app::{TestApp, act_and_tell, decide_a_slot, decided_hides};
use crate::support::tickets::ticket_deliveries;

const REFUSED_SUBJECT: &str = "Systemproblem: databasen pekar utanför bevisarkivet";

/// Runs one statement on the app's database, as someone who can write it
/// (but not the archive's code) could.
pub(crate) async fn tamper(app: &TestApp, sql: &str, text: &str, id: i64) {
    let url = format!("sqlite://{}/kv.db", app.dir.path().display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(text)
        .bind(id)
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1, "{sql} for {id}");
    db.close().await.unwrap();
}

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

/// The operations e-mails about refused paths: (subject, body).
fn refusal_notices(app: &TestApp) -> Vec<(String, String)> {
    app.mail_texts()
        .into_iter()
        .filter(|(subject, _)| subject.starts_with(REFUSED_SUBJECT))
        .collect()
}

/// The single notice that names `row` and `path`, with what to do.
pub(crate) fn assert_one_notice(app: &TestApp, row: &str, path: &str) {
    let notices: Vec<_> = refusal_notices(app)
        .into_iter()
        .filter(|(_, body)| body.contains(row))
        .collect();
    assert_eq!(notices.len(), 1, "one notice for {row}: {notices:#?}");
    let (subject, body) = &notices[0];
    assert!(subject.contains(row), "{subject}");
    assert!(body.contains(path), "the notice names the path:\n{body}");
    assert!(
        body.contains("Vad du ska göra") && body.contains("Rätta raden"),
        "the notice says what to do:\n{body}"
    );
    let raw = app.mails();
    let mail = raw.iter().find(|m| m.contains(row)).unwrap();
    assert!(mail.contains("drift@test.stockholm.se"), "to operations");
}

#[tokio::test]
async fn culling_refuses_rows_naming_files_outside_the_archive_and_deletes_nothing() {
    let (app, pipeline) = app_after_one_slot().await;
    let later = app.clock.now() + Duration::days(3 * 366);
    let plan = retention::plan(pipeline.store(), &pipeline.config().retention, later)
        .await
        .unwrap();
    assert!(plan.to_cull.len() > 2, "ordinary comments are due then");
    let outside = app.dir.path().join("outside.json");
    std::fs::write(&outside, "a file that is not the archive's").unwrap();
    let absolute = outside.display().to_string();
    let climbing = "records/../../outside.json".to_string();
    let rows = [plan.to_cull[0].candidate.id, plan.to_cull[1].candidate.id];
    let sql = "UPDATE comments SET record_path = $1 WHERE id = $2";
    tamper(&app, sql, &absolute, rows[0]).await;
    tamper(&app, sql, &climbing, rows[1]).await;
    let archive_before = files_under(&app.archive_dir());
    let comments_before = pipeline.store().cull_candidates(later).await.unwrap().len();

    app.clock.set(later);
    let daemon = Daemon::new(pipeline, None);
    daemon.run_scheduled_cull().await;
    // The next night's culling finds the same rows: told once.
    daemon.run_scheduled_cull().await;

    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "a file that is not the archive's",
        "the file outside the archive survives"
    );
    let archive_after = files_under(&app.archive_dir());
    let deleted: Vec<_> = archive_before.difference(&archive_after).collect();
    let written: Vec<_> = archive_after.difference(&archive_before).collect();
    assert!(deleted.is_empty(), "no record deleted: {deleted:?}");
    assert!(
        written.is_empty(),
        "no culling protocol written: {written:?}"
    );
    let store = daemon.pipeline().store();
    assert_eq!(
        store.cull_candidates(later).await.unwrap().len(),
        comments_before,
        "no database row deleted"
    );
    assert_eq!(refusal_notices(&app).len(), 2, "one notice per refused row");
    assert_one_notice(&app, &format!("comments.id = {}", rows[0]), &absolute);
    assert_one_notice(&app, &format!("comments.id = {}", rows[1]), &climbing);
    let refused = retention::cull(
        store,
        daemon.pipeline().archive(),
        &daemon.pipeline().config().retention,
        later,
        "test",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&refused, retention::RetentionError::RefusedPaths(paths) if paths.len() == 2),
        "{refused}"
    );
    daemon.pipeline().shutdown().await;
}

/// The app with a registry e-mail sink that attaches evidence records.
async fn app_attaching_records() -> (TestApp, Pipeline) {
    let app = TestApp::start().await;
    app.write_config_with(|toml| {
        toml.replace(
            "[mail]\n",
            "[mail]\nregistry_mailbox = \"registrator@test.stockholm.se\"\n",
        ) + "[[ticket_sinks]]\nname = \"registrator\"\ntype = \"email\"\n\
             kinds = [\"removed_content_registration\"]\nattach_records = true\n"
    });
    let pipeline = app.pipeline().await;
    (app, pipeline)
}

#[tokio::test]
async fn a_registry_email_whose_record_path_leads_outside_the_archive_is_told_to_operations_once() {
    let (app, pipeline) = app_attaching_records().await;
    let mut summary = decide_a_slot(&app, &pipeline).await;
    pipeline.execute_actions(&mut summary).await.unwrap();
    pipeline.notify_outcomes(&mut summary).await.unwrap();
    let tickets = ticket_deliveries(&pipeline, OutboxState::Pending, "ticket_email").await;
    assert!(!tickets.is_empty(), "hides open registration tickets");
    let tampered = &tickets[0];
    let sql = "UPDATE outbox SET payload = json_set(payload, '$.record_path', $1) WHERE id = $2";
    tamper(&app, sql, "/etc/passwd", tampered.id).await;

    pipeline.deliver_outbox(&mut summary).await.unwrap();
    app.clock.advance(Duration::hours(2));
    pipeline
        .deliver_outbox(&mut RunSummary::default())
        .await
        .unwrap();

    let row = format!("outbox.id = {}", tampered.id);
    assert_one_notice(&app, &row, "/etc/passwd");
    let dead = ticket_deliveries(&pipeline, OutboxState::Dead, "ticket_email").await;
    assert_eq!(
        dead.iter().map(|item| item.id).collect::<Vec<_>>(),
        [tampered.id],
        "the tampered ticket is a dead letter, the others went out"
    );
    let registry_mails = app
        .mails()
        .into_iter()
        .filter(|m| m.contains("registrator@test.stockholm.se"))
        .count();
    assert_eq!(registry_mails, tickets.len() - 1, "nothing sent for it");
    assert_eq!(refusal_notices(&app).len(), 1);
    pipeline.shutdown().await;
}

#[tokio::test]
async fn an_action_whose_record_path_leads_outside_the_archive_is_not_carried_out_and_is_told() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let (mut summary, open) = decided_hides(&app, &pipeline).await;
    let sql = "UPDATE actions SET record_path = $1 WHERE id = $2";
    tamper(&app, sql, "../../outside.json", open[0].id).await;

    act_and_tell(&pipeline, &mut summary).await;

    assert_eq!(summary.hidden, open.len() - 1, "the others are hidden");
    assert!(
        !app.sim
            .comment_state(&open[0].platform_comment_id)
            .is_some_and(|s| s.hidden),
        "no receipt, no hide"
    );
    assert_one_notice(
        &app,
        &format!("actions.id = {}", open[0].id),
        "../../outside.json",
    );
    pipeline.shutdown().await;
}
