//! One complete monitoring run against the simulator, and what happens when
//! things go wrong: a crash between archive and hide, failing platforms.

use std::collections::HashMap;

use kommentarsvakt::archive::EvidenceRecord;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::platforms::simulator::{ContentKind, Fault, PlantedComment};
use kommentarsvakt::store::RunTrigger;

use crate::support::app::TestApp;

/// Planted comments carrying an identity number, visible by now.
fn planted_identity_numbers(app: &TestApp) -> Vec<PlantedComment> {
    app.sim
        .planted_until(app.clock.now())
        .into_iter()
        .filter(|p| {
            matches!(
                p.kind,
                ContentKind::Personnummer | ContentKind::Samordningsnummer
            )
        })
        .collect()
}

/// Planted comments the simulator shows as hidden.
fn hidden_on_platform(app: &TestApp) -> Vec<PlantedComment> {
    app.sim
        .planted_until(app.clock.now())
        .into_iter()
        .filter(|p| app.sim.comment_state(&p.id).is_some_and(|s| s.hidden))
        .collect()
}

/// Lawful kinds the simulator plants: never removed automatically.
fn is_lawful(kind: &ContentKind) -> bool {
    matches!(
        kind,
        ContentKind::Opinion
            | ContentKind::Criticism
            | ContentKind::Question
            | ContentKind::FaultReport
            | ContentKind::PageReply
    )
}

/// Hide calls the simulator received, per comment id.
fn hide_calls(app: &TestApp) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for call in app.sim.calls() {
        if call.method == "POST"
            && let Some(id) = &call.comment_id
        {
            *counts.entry(id.clone()).or_default() += 1;
        }
    }
    counts
}

#[tokio::test]
async fn one_cycle_archives_then_hides_every_personnummer_and_a_second_cycle_does_nothing_new() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    let planted = planted_identity_numbers(&app);
    assert!(
        planted.len() >= 2,
        "the simulator should have planted identity numbers by the first slot"
    );
    assert_eq!(summary.accounts_failed, 0);
    assert!(summary.comments_new >= planted.len());
    let hidden = hidden_on_platform(&app);
    assert_eq!(summary.hidden, hidden.len());
    for p in &planted {
        assert!(hidden.contains(p), "identity number in {} is hidden", p.id);
    }
    for p in &hidden {
        assert!(
            !is_lawful(&p.kind),
            "lawful comment {} ({:?}) was hidden",
            p.id,
            p.kind
        );
    }

    let calls = app.sim.calls();
    let tickets = pipeline.store().tickets(true).await.unwrap();
    for p in &hidden {
        let state = app.sim.comment_state(&p.id).expect("comment exists");
        assert!(
            state.hidden,
            "comment {} with an identity number is hidden",
            p.id
        );

        let versions = pipeline.store().comment_versions(&p.id).await.unwrap();
        let record_path = versions[0].record_path.clone().expect("archived");
        let record: EvidenceRecord =
            serde_json::from_slice(&std::fs::read(app.archive_dir().join(&record_path)).unwrap())
                .unwrap();
        assert_eq!(record.comment.comment_id, p.id);
        let hide = calls
            .iter()
            .find(|c| c.method == "POST" && c.comment_id.as_deref() == Some(p.id.as_str()))
            .expect("a hide call");
        assert!(
            hide.received_at > record.archived_at,
            "hide of {} arrived at {} before its evidence was archived at {}",
            p.id,
            hide.received_at,
            record.archived_at
        );
        assert!(
            tickets.iter().any(|t| t.comment_id == Some(versions[0].id)),
            "a ticket for comment {}",
            p.id
        );
    }
    let mails = app.mails();
    let (digests, alerts): (Vec<&String>, Vec<&String>) = mails
        .iter()
        .partition(|m| m.contains("Message-ID: <digest=3A"));
    assert!(
        alerts.len() >= hidden.len(),
        "an alert for every hidden comment"
    );
    assert_eq!(digests.len(), 3, "and one digest per moderator");
    for p in &planted {
        assert!(
            mails.iter().all(|m| !m.contains(&p.text)),
            "the removed personal data must not be copied into e-mail"
        );
    }
    assert!(
        kommentarsvakt::archive::verify(&app.archive_dir())
            .unwrap()
            .is_intact()
    );

    let again = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert_eq!(
        (
            again.comments_new,
            again.hidden,
            again.tickets,
            again.emails_sent
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(
        app.sim
            .calls()
            .iter()
            .filter(|c| c.method == "POST")
            .count(),
        hidden.len()
    );
    assert_eq!(app.mails().len(), mails.len());
}

/// Starts a slot's run and does only its first stage (fetch and store),
/// as a service instance that is about to die would have.
async fn collect_in_a_slot(
    app: &TestApp,
) -> (
    kommentarsvakt::pipeline::Pipeline,
    kommentarsvakt::pipeline::RunSummary,
) {
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let run = pipeline
        .store()
        .begin_run(RunTrigger::Slot, Some(slot), false, slot)
        .await
        .unwrap();
    let mut summary = kommentarsvakt::pipeline::RunSummary {
        run_id: run,
        ..Default::default()
    };
    pipeline.collect(run, &mut summary).await.unwrap();
    (pipeline, summary)
}

#[tokio::test]
async fn a_crash_between_archive_and_hide_is_recovered_with_exactly_one_hide_call() {
    let app = TestApp::start().await;
    {
        // The first service instance stores, decides and archives, then dies
        // before any platform call.
        let (pipeline, mut summary) = collect_in_a_slot(&app).await;
        pipeline.decide_pending(&mut summary).await.unwrap();
        assert!(hide_calls(&app).is_empty());
        assert!(!pipeline.store().open_actions().await.unwrap().is_empty());
    }
    let restarted = app.pipeline().await;
    let summary = restarted
        .run(RunTrigger::CatchUp, None, false)
        .await
        .unwrap();
    let hidden = hidden_on_platform(&app);
    assert_eq!(summary.hidden, hidden.len());
    assert!(
        planted_identity_numbers(&app)
            .iter()
            .all(|p| hidden.contains(p))
    );
    let calls = hide_calls(&app);
    for p in &hidden {
        assert_eq!(
            calls.get(&p.id),
            Some(&1),
            "exactly one hide call for {}",
            p.id
        );
        assert!(app.sim.comment_state(&p.id).unwrap().hidden);
    }
    // Nothing is done twice on a further run.
    restarted.run(RunTrigger::Slot, None, false).await.unwrap();
    assert_eq!(hide_calls(&app), calls);
}

#[tokio::test]
async fn a_comment_fetched_before_a_crash_is_in_the_digest_of_the_run_that_decides_it() {
    let app = TestApp::start().await;
    // The first instance fetches and stores, then dies before deciding.
    drop(collect_in_a_slot(&app).await);
    assert!(
        app.digest_texts().is_empty(),
        "no digest from the cut-off run"
    );
    let restarted = app.pipeline().await;
    restarted
        .run(RunTrigger::CatchUp, None, false)
        .await
        .unwrap();
    let digests = app.digest_texts().join("\n");
    let hidden = hidden_on_platform(&app);
    assert!(!hidden.is_empty());
    for p in &hidden {
        assert!(
            digests.contains(&p.id),
            "{} was hidden by the catch-up run but is in no digest:\n{digests}",
            p.id
        );
    }
}

#[tokio::test]
async fn an_aborted_run_loses_nothing_and_the_next_run_hides_once() {
    let app = TestApp::start().await;
    let pipeline = std::sync::Arc::new(app.pipeline().await);
    let slot = app.advance_to_next_slot(&pipeline);
    let page = app.sim.pages()[0].id.clone();
    // Every call about the first page now hangs: abort the run mid-flight.
    app.sim
        .inject_fault(&page, Fault::Slow(std::time::Duration::from_secs(30)), None);
    let task = {
        let pipeline = pipeline.clone();
        tokio::spawn(async move { pipeline.run(RunTrigger::Slot, Some(slot), false).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    task.abort();
    let _ = task.await;
    app.sim.clear_faults();
    // The aborted service is gone, and with it its archive writer lock.
    drop(pipeline);

    let restarted = app.pipeline().await;
    restarted
        .run(RunTrigger::CatchUp, None, false)
        .await
        .unwrap();
    let calls = hide_calls(&app);
    for p in planted_identity_numbers(&app) {
        assert!(
            !restarted
                .store()
                .comment_versions(&p.id)
                .await
                .unwrap()
                .is_empty(),
            "comment {} was stored",
            p.id
        );
        assert!(
            app.sim.comment_state(&p.id).unwrap().hidden,
            "comment {} hidden",
            p.id
        );
        assert!(calls.get(&p.id).copied().unwrap_or(0) >= 1);
    }
}

async fn failing_account_is_recorded_and_caught_up(fault: Fault, expected_kind: &str) {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let failing = app.sim.pages()[1].id.clone();
    app.sim.inject_fault(&failing, fault, None);
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert_eq!(
        summary.accounts_ok, 2,
        "the other accounts are polled ({expected_kind})"
    );
    assert_eq!(summary.accounts_failed, 1);
    let outcomes = pipeline.store().run_outcomes(summary.run_id).await.unwrap();
    let failed: Vec<_> = outcomes.iter().filter(|o| o.outcome == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error_kind.as_deref(), Some(expected_kind));
    if expected_kind == "unauthorized" {
        let told = app.mails().iter().any(|m| {
            m.contains("moderator1@test.stockholm.se") && m.contains("drift@test.stockholm.se")
        });
        assert!(
            told,
            "the account's moderators and operations are e-mailed about the expired token"
        );
    }

    app.sim.clear_faults();
    let summary = app.run_next_slot(&pipeline).await;
    assert_eq!(summary.accounts_failed, 0);
    for p in app.sim.planted_until(app.clock.now()) {
        assert!(
            !pipeline
                .store()
                .comment_versions(&p.id)
                .await
                .unwrap()
                .is_empty(),
            "comment {} on page {} was caught up after a {expected_kind} failure",
            p.id,
            p.page_id
        );
    }
}

#[tokio::test]
async fn server_errors_on_one_account_do_not_stop_the_others() {
    failing_account_is_recorded_and_caught_up(Fault::ServerError, "transient").await;
}

#[tokio::test]
async fn rate_limit_on_one_account_is_recorded_and_caught_up() {
    failing_account_is_recorded_and_caught_up(Fault::RateLimited, "rate_limited").await;
}

#[tokio::test]
async fn expired_token_is_recorded_and_a_person_is_told() {
    failing_account_is_recorded_and_caught_up(Fault::TokenExpired, "unauthorized").await;
}

#[tokio::test]
async fn slow_platform_times_out_and_is_caught_up() {
    failing_account_is_recorded_and_caught_up(
        Fault::Slow(std::time::Duration::from_secs(3)),
        "timeout",
    )
    .await;
}

#[tokio::test]
async fn malformed_json_is_recorded_and_caught_up() {
    failing_account_is_recorded_and_caught_up(Fault::MalformedJson, "malformed").await;
}

#[tokio::test]
async fn dry_run_documents_and_tells_but_never_calls_the_platform() {
    let app = TestApp::start().await;
    std::fs::write(
        &app.config_path,
        app.config_toml(false)
            .replacen("dry_run = false", "dry_run = true", 1),
    )
    .unwrap();
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    let planted = planted_identity_numbers(&app);
    assert_eq!(summary.hidden, 0);
    assert!(
        summary.dry_run >= planted.len(),
        "every would-be action is recorded as dry run"
    );
    assert!(
        hide_calls(&app).is_empty(),
        "dry-run mode makes no platform call"
    );
    for p in &planted {
        assert!(!app.sim.comment_state(&p.id).unwrap().hidden);
        let versions = pipeline.store().comment_versions(&p.id).await.unwrap();
        let actions = pipeline
            .store()
            .actions_for_comment(versions[0].id)
            .await
            .unwrap();
        assert_eq!(actions[0].state, kommentarsvakt::store::ActionState::DryRun);
    }
    let alerts = app
        .mails()
        .into_iter()
        .filter(|m| m.contains("Message-ID: <alert"))
        .count();
    assert!(alerts >= summary.dry_run, "moderators are still told");
}
