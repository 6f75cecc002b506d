//! The collect stage's guarantees, against the simulator: what a failing
//! later call leaves behind, a listing that goes round in circles, an item
//! the connector cannot read.

use chrono::Duration;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::platforms::simulator::{Fault, PlantedComment};
use kommentarsvakt::store::{AccountOutcome, RunTrigger};

use crate::support::app::TestApp;

/// Comments on one page written by now.
pub(crate) fn comments_on(app: &TestApp, page_id: &str) -> Vec<PlantedComment> {
    app.sim
        .planted_until(app.clock.now())
        .into_iter()
        .filter(|p| p.page_id == page_id)
        .collect()
}

/// How many of `comments` are stored.
pub(crate) async fn stored(pipeline: &Pipeline, comments: &[PlantedComment]) -> usize {
    let mut count = 0;
    for comment in comments {
        if !pipeline
            .store()
            .comment_versions(&comment.id)
            .await
            .unwrap()
            .is_empty()
        {
            count += 1;
        }
    }
    count
}

/// The recorded outcome of the account polling `page_id` (`konto-{index}`).
pub(crate) async fn outcome_of(pipeline: &Pipeline, run_id: i64, index: usize) -> AccountOutcome {
    let account_id = pipeline.accounts()[format!("konto-{index}").as_str()].account_id;
    pipeline
        .store()
        .run_outcomes(run_id)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.account_id == account_id)
        .expect("an outcome for every account")
}

/// Feed calls the simulator received for a page.
fn feed_calls(app: &TestApp, page_id: &str) -> usize {
    app.sim
        .calls()
        .iter()
        .filter(|c| c.path.ends_with(&format!("/{page_id}/feed")))
        .count()
}

#[tokio::test]
async fn a_failing_later_call_keeps_and_counts_what_earlier_calls_stored() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let page = app.sim.pages()[0].id.clone();
    // More new comments on one post than a nested listing holds (100):
    // the account needs a second call, and that call keeps failing.
    for i in 0..120 {
        app.sim
            .plant_comment(
                &page,
                slot - Duration::seconds(240 - i),
                &format!("Kommentar nummer {i} om badhuset"),
                None,
            )
            .expect("the page has a post");
    }
    app.sim
        .inject_fault_after(&page, Fault::ServerError, 1, None);

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    let outcome = outcome_of(&pipeline, summary.run_id, 0).await;
    assert_eq!(outcome.outcome, "failed");
    assert_eq!(outcome.error_kind.as_deref(), Some("transient"));
    assert!(
        outcome
            .error_detail
            .as_deref()
            .is_some_and(|d| d.contains(&format!("listing post:{page}_"))),
        "the failed call is named: {:?}",
        outcome.error_detail
    );
    let comments = comments_on(&app, &page);
    let kept = stored(&pipeline, &comments).await;
    assert!(kept >= 100, "the first call's comments are kept ({kept})");
    assert!(kept < comments.len(), "the failed call's comments are not");
    assert_eq!(
        outcome.comments_new as usize, kept,
        "what was stored before the failure is counted in the outcome"
    );
    assert!(summary.comments_new >= kept);

    app.sim.clear_faults();
    let summary = app.run_next_slot(&pipeline).await;
    assert_eq!(summary.accounts_failed, 0);
    let comments = comments_on(&app, &page);
    assert_eq!(
        stored(&pipeline, &comments).await,
        comments.len(),
        "the rest is caught up on the next run"
    );
}

#[tokio::test]
async fn a_repeating_cursor_stops_the_listing_and_the_run_says_so() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let page = app.sim.pages()[1].id.clone();
    app.sim.inject_fault(&page, Fault::RepeatingCursor, None);

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    let outcome = outcome_of(&pipeline, summary.run_id, 1).await;
    assert_eq!(outcome.outcome, "repeating", "not ok: {outcome:?}");
    assert_eq!(outcome.error_kind.as_deref(), Some("repeating_cursor"));
    assert_eq!(
        feed_calls(&app, &page),
        2,
        "the second answer repeats the first; no third call is made"
    );
    assert_eq!(summary.accounts_incomplete, 1);
    assert_eq!(summary.accounts_ok, 2);
    let comments = comments_on(&app, &page);
    assert!(
        stored(&pipeline, &comments).await > 0,
        "what the listing brought is stored"
    );
    let runs = pipeline.store().runs_since(slot).await.unwrap();
    assert_eq!(runs[0].status, "partial");
    let told = app.mail_texts().into_iter().any(|(subject, body)| {
        subject.contains("en listning avbröts") && body.contains("repeating_cursor")
    });
    assert!(told, "operations and the moderators are told");
}

#[tokio::test]
async fn an_unreadable_comment_is_quarantined_the_rest_stored_and_operations_told_its_id() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let page = app.sim.pages()[2].id.clone();
    app.sim.inject_fault(&page, Fault::MalformedItem, Some(1));

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    assert_eq!(summary.accounts_failed, 0, "one bad item fails no account");
    assert_eq!(outcome_of(&pipeline, summary.run_id, 2).await.outcome, "ok");
    let account_id = pipeline.accounts()["konto-2"].account_id;
    let quarantined = pipeline.store().quarantined(account_id).await.unwrap();
    assert!(!quarantined.is_empty());
    let mut bad_ids = Vec::new();
    for item in &quarantined {
        let raw: serde_json::Value = serde_json::from_slice(&item.raw).expect("the bytes as sent");
        assert_eq!(raw["created_time"], "igår");
        assert!(item.reason.contains("created_time"), "{}", item.reason);
        bad_ids.push(raw["id"].as_str().expect("an id").to_string());
    }
    let comments = comments_on(&app, &page);
    for comment in &comments {
        let versions = pipeline
            .store()
            .comment_versions(&comment.id)
            .await
            .unwrap();
        assert_eq!(
            versions.is_empty(),
            bad_ids.contains(&comment.id),
            "comment {} is stored unless quarantined",
            comment.id
        );
    }
    let notices: Vec<(String, String)> = app
        .mails()
        .into_iter()
        .zip(app.mail_texts())
        .filter(|(_, (subject, _))| subject.contains("svar från plattformen kunde inte läsas"))
        .map(|(raw, (_, body))| (raw, body))
        .collect();
    assert_eq!(notices.len(), 1, "one notice for the account");
    let (raw, body) = &notices[0];
    assert!(
        raw.contains("To: drift@test.stockholm.se"),
        "to operations:\n{raw}"
    );
    for id in &bad_ids {
        assert!(
            body.contains(id.as_str()),
            "the notice names comment {id} in full:\n{body}"
        );
    }
}

#[tokio::test]
async fn a_revoked_linkedin_grant_fails_the_account_and_warns_operations() {
    let app = TestApp::start().await;
    let page = app.sim.pages()[0].id.clone();
    let refresh_file = app.dir.path().join("linkedin-refresh-token");
    std::fs::write(
        &refresh_file,
        kommentarsvakt::platforms::simulator::REVOKED_REFRESH_TOKEN,
    )
    .unwrap();
    std::fs::write(app.dir.path().join("client-secret"), "sim-client-secret").unwrap();
    let base = format!("{}/linkedin", app.sim.base_url());
    let d = app.dir.path().display();
    app.write_config_with(|toml| {
        toml + &format!(
            r#"[[accounts]]
key = "konto-linkedin"
platform = "linkedin"
platform_id = "urn:li:organization:{page}"
name = "Testkonto LinkedIn"
department = "slk"
moderators = ["moderator.linkedin@test.stockholm.se"]
purpose = "Test"
api_base_url = "{base}"
api_version = "202611"
[accounts.oauth]
client_id = "sim-client"
client_secret_file = "{d}/client-secret"
refresh_token_file = "{file}"
token_endpoint = "{base}/oauth/v2/accessToken"
"#,
            file = refresh_file.display()
        )
    });
    let pipeline = app.pipeline().await;

    let summary = app.run_next_slot(&pipeline).await;

    assert_eq!(summary.accounts_failed, 1, "{summary:?}");
    let warnings: Vec<(String, String)> = app
        .mail_texts()
        .into_iter()
        .filter(|(subject, _)| subject.contains("behörighet till kontot"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", app.mail_texts());
    let (subject, body) = &warnings[0];
    assert!(subject.contains("Testkonto LinkedIn"), "{subject}");
    assert!(body.contains("invalid_grant"), "{body}");
    assert!(!body.contains(kommentarsvakt::platforms::simulator::REVOKED_REFRESH_TOKEN));
    assert!(
        app.mails()
            .iter()
            .any(|raw| raw.contains("To: drift@test.stockholm.se"))
    );
    // No API call was made with a grant that cannot give a token.
    assert!(
        app.sim
            .calls()
            .iter()
            .all(|c| !c.path.starts_with("/linkedin/rest/")),
        "the API was called without a token"
    );
}
