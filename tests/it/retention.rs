//! Retention (gallring): culling with a clock years ahead lists, deletes and
//! documents what goes, legal holds keep what they cover, and the hash chain
//! stays verifiable — while tampering is still caught.

use chrono::Duration;
use kommentarsvakt::archive::retention::{self, CullingProtocol};
use kommentarsvakt::archive::{VerifyProblem, verify};
use kommentarsvakt::clock::Clock;
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::store::{HoldScope, RunTrigger};

use crate::support::app::TestApp;

/// Starts the app and runs the first office-hours slot.
pub async fn app_after_one_slot() -> (TestApp, Pipeline) {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert!(summary.hidden >= 2, "the first slot hides identity numbers");
    (app, pipeline)
}

/// Ids of the planted comments the pipeline hid.
pub fn hidden_ids(app: &TestApp) -> Vec<String> {
    app.sim
        .planted_until(app.clock.now())
        .into_iter()
        .filter(|p| app.sim.comment_state(&p.id).is_some_and(|s| s.hidden))
        .map(|p| p.id)
        .collect()
}

#[tokio::test]
async fn after_three_years_ordinary_comments_are_due_but_removed_evidence_is_kept() {
    let (app, pipeline) = app_after_one_slot().await;
    let retention = &pipeline.config().retention;
    let soon = retention::plan(
        pipeline.store(),
        retention,
        app.clock.now() + Duration::days(30),
    )
    .await
    .unwrap();
    assert!(soon.to_cull.is_empty(), "nothing is due after a month");

    let later = app.clock.now() + Duration::days(3 * 366);
    let plan = retention::plan(pipeline.store(), retention, later)
        .await
        .unwrap();
    assert!(!plan.to_cull.is_empty());
    let hidden = hidden_ids(&app);
    for item in &plan.to_cull {
        assert_eq!(item.rule.name, "ordinary");
        assert!(
            !hidden.contains(&item.candidate.platform_comment_id),
            "hidden comment {} is evidence, kept ten years",
            item.candidate.platform_comment_id
        );
        assert!(item.age > Duration::days(3 * 365));
        assert!(
            app.archive_dir()
                .join(&item.candidate.record_path)
                .is_file(),
            "a dry run deletes nothing"
        );
    }
}

#[tokio::test]
async fn culling_deletes_records_and_rows_writes_a_protocol_and_verify_stays_intact() {
    let (app, pipeline) = app_after_one_slot().await;
    let store = pipeline.store();
    let hidden = hidden_ids(&app);
    let held_comment = hidden[0].clone();
    let now = app.clock.now();
    store
        .place_legal_hold(
            HoldScope::Comment,
            &held_comment,
            "JO-ärende 123-2026",
            "jurist",
            now,
        )
        .await
        .unwrap();
    store
        .place_legal_hold(
            HoldScope::Account,
            "konto-2",
            "Tvist om kontot",
            "jurist",
            now,
        )
        .await
        .unwrap();

    let far = now + Duration::days(11 * 366);
    let retention = &pipeline.config().retention;
    let plan = retention::plan(store, retention, far).await.unwrap();
    assert!(
        plan.held
            .iter()
            .any(|i| i.candidate.platform_comment_id == held_comment)
    );
    assert!(
        plan.held
            .iter()
            .any(|i| i.candidate.account_key == "konto-2")
    );
    assert!(
        plan.to_cull
            .iter()
            .all(|i| i.candidate.account_key != "konto-2"
                && i.candidate.platform_comment_id != held_comment)
    );

    let outcome = retention::cull(store, pipeline.archive(), retention, far, "arkivarie")
        .await
        .unwrap();
    assert_eq!(outcome.culled.len(), plan.to_cull.len());
    assert_eq!(outcome.held, plan.held.len());
    let protocol_path = outcome.protocol_path.clone().expect("a protocol");
    assert!(protocol_path.starts_with("culling/") && protocol_path.ends_with("-1.json"));

    let protocol: CullingProtocol =
        serde_json::from_slice(&std::fs::read(app.archive_dir().join(&protocol_path)).unwrap())
            .unwrap();
    assert_eq!(protocol.culled_by, "arkivarie");
    assert_eq!(protocol.records.len(), outcome.culled.len());
    let protocol_text = std::fs::read_to_string(app.archive_dir().join(&protocol_path)).unwrap();
    for item in &outcome.culled {
        let c = &item.candidate;
        assert!(
            !app.archive_dir().join(&c.record_path).exists(),
            "{} deleted",
            c.record_path
        );
        assert!(
            store.comment(c.id).await.unwrap().is_none(),
            "row {} deleted",
            c.id
        );
        assert!(store.findings(c.id).await.unwrap().is_empty());
        let listed = protocol
            .records
            .iter()
            .find(|r| r.comment_row == c.id)
            .unwrap();
        assert_eq!(listed.record_sha256, c.record_sha256);
        assert_eq!(listed.rule, item.rule.name);
    }
    for p in app.sim.planted_until(app.clock.now()) {
        assert!(
            !protocol_text.contains(&p.text),
            "the protocol names records, never their content"
        );
    }
    for item in &plan.held {
        assert!(
            app.archive_dir()
                .join(&item.candidate.record_path)
                .is_file()
        );
        assert!(store.comment(item.candidate.id).await.unwrap().is_some());
    }
    let tickets = store.tickets(true).await.unwrap();
    assert!(
        tickets.iter().all(|t| t.record_sha256.is_some()),
        "tickets are kept with their evidence hash"
    );
    let cullings = store.cullings().await.unwrap();
    assert_eq!(cullings.len(), 1);
    assert_eq!(cullings[0].protocol_path, protocol_path);
    assert_eq!(
        store.audit_events("archive.culled").await.unwrap()[0].actor,
        "arkivarie"
    );

    let report = verify(&app.archive_dir()).unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    assert_eq!(report.records_culled, outcome.culled.len() as u64);

    let again = retention::cull(store, pipeline.archive(), retention, far, "arkivarie")
        .await
        .unwrap();
    assert!(
        again.protocol_path.is_none(),
        "nothing left to cull but the held"
    );
    assert_eq!(again.held, plan.held.len());
}

#[tokio::test]
async fn after_culling_a_deleted_altered_or_inserted_record_is_still_detected() {
    let (app, pipeline) = app_after_one_slot().await;
    let store = pipeline.store();
    let now = app.clock.now();
    store
        .place_legal_hold(HoldScope::Account, "konto-1", "Utredning", "jurist", now)
        .await
        .unwrap();
    let retention = &pipeline.config().retention;
    let far = now + Duration::days(11 * 366);
    let held = retention::plan(store, retention, far).await.unwrap().held;
    let outcome = retention::cull(store, pipeline.archive(), retention, far, "arkivarie")
        .await
        .unwrap();
    let root = app.archive_dir();
    assert!(verify(&root).unwrap().is_intact());

    let kept = root.join(&held[0].candidate.record_path);
    let altered = root.join(&held[1].candidate.record_path);
    std::fs::remove_file(&kept).unwrap();
    let mut bytes = std::fs::read(&altered).unwrap();
    bytes[20] ^= 1;
    std::fs::write(&altered, bytes).unwrap();
    let inserted = root.join("records/konto-1/2026/11/23/extra.json");
    std::fs::create_dir_all(inserted.parent().unwrap()).unwrap();
    std::fs::write(&inserted, b"{}").unwrap();

    let problems = verify(&root).unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, VerifyProblem::Missing { path, .. }
        if *path == held[0].candidate.record_path)),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, VerifyProblem::Altered { path, .. }
        if *path == held[1].candidate.record_path)),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, VerifyProblem::Inserted { path }
        if path.ends_with("extra.json"))),
        "{problems:?}"
    );

    // A tampered culling protocol excuses nothing: the culled records are
    // then reported missing.
    let protocol = root.join(outcome.protocol_path.unwrap());
    let text = std::fs::read_to_string(&protocol).unwrap();
    std::fs::write(&protocol, text.replace("arkivarie", "någon annan")).unwrap();
    let problems = verify(&root).unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, VerifyProblem::CullingProtocolAltered { .. }))
    );
    let culled = &outcome.culled[0].candidate.record_path;
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, VerifyProblem::Missing { path, .. }
        if path == culled)),
        "{problems:?}"
    );
}

#[tokio::test]
async fn operator_commands_hold_refuse_unknown_targets_and_write_the_register() {
    let (app, pipeline) = app_after_one_slot().await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
            .args(args)
            .arg("--config")
            .arg(&app.config_path)
            .output()
            .unwrap()
    };
    let unknown = run(&[
        "archive",
        "hold",
        "--account",
        "finns-inte",
        "--reason",
        "x",
    ]);
    assert!(
        !unknown.status.success(),
        "a hold on an unknown account is refused"
    );
    let id = hidden_ids(&app)[0].clone();
    let held = run(&[
        "archive",
        "hold",
        "--comment",
        &id,
        "--reason",
        "JO",
        "--by",
        "jurist",
    ]);
    assert!(
        held.status.success(),
        "{}",
        String::from_utf8_lossy(&held.stderr)
    );
    let holds = pipeline.store().active_legal_holds().await.unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!(
        (holds[0].subject.as_str(), holds[0].placed_by.as_str()),
        (id.as_str(), "jurist")
    );

    let csv_path = app.dir.path().join("register.csv");
    let register = run(&[
        "archive",
        "register",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-23",
        "--out",
        csv_path.to_str().unwrap(),
    ]);
    assert!(
        register.status.success(),
        "{}",
        String::from_utf8_lossy(&register.stderr)
    );
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(text.lines().count(), 1 + hidden_ids(&app).len());
    assert!(text.contains(&id));

    let dry = run(&["archive", "cull", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&dry.stdout);
    // The command runs on the wall clock, so only its shape is checked here.
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        stdout.starts_with("record\tcomment\taccount\trule\tage_days"),
        "{stdout}"
    );
    assert!(stdout.contains("record(s) would be culled;"), "{stdout}");
}
