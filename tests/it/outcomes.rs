//! What moderators are told comes from what happened on the platform, not
//! from what was decided: a hide that fails is told as a comment still
//! public, a hide whose reply was malformed is read back, and a run that
//! acts on many comments of one account sends one summary.

use kommentarsvakt::clock::Clock;
use kommentarsvakt::pipeline::RunSummary;
use kommentarsvakt::platforms::simulator::Fault;
use kommentarsvakt::store::{ActionState, RunTrigger, Verification};

use crate::support::app::{TestApp, act_and_tell, decided_hides};
use crate::support::tickets::registration_tickets;

fn subjects_starting(app: &TestApp, prefix: &str) -> Vec<(String, String)> {
    app.mail_texts()
        .into_iter()
        .filter(|(subject, _)| subject.starts_with(prefix))
        .collect()
}

/// Injects `fault` on every page for every request from now on.
fn fail_every_page(app: &TestApp, fault: Fault) {
    for page in app.sim.pages() {
        app.sim.inject_fault(&page.id, fault, None);
    }
}

#[tokio::test]
async fn a_token_that_expires_before_the_hides_is_told_as_comments_still_public_never_as_hidden() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let (mut summary, open) = decided_hides(&app, &pipeline).await;

    fail_every_page(&app, Fault::TokenExpired);
    act_and_tell(&pipeline, &mut summary).await;

    assert_eq!(summary.hidden, 0);
    assert!(
        subjects_starting(&app, "Kommentar dold").is_empty(),
        "nothing hidden, nothing told as hidden"
    );
    let still_public = subjects_starting(&app, "Kommentaren syns fortfarande");
    assert_eq!(
        still_public.len(),
        open.len(),
        "one notice per comment still public"
    );
    for action in &open {
        assert!(
            still_public
                .iter()
                .any(|(_, body)| body.contains(&action.platform_comment_id)
                    && body.contains("åtkomsttoken")),
            "the notice names {} and says to renew the token",
            action.platform_comment_id
        );
    }
    let removal_tickets = registration_tickets(&pipeline).await.len();
    assert_eq!(
        removal_tickets, 0,
        "no removal is registered before it happens"
    );

    // The token is renewed: the next run hides them and says so then, once.
    app.sim.clear_faults();
    let mut later = RunSummary::default();
    act_and_tell(&pipeline, &mut later).await;
    assert_eq!(later.hidden, open.len());
    assert_eq!(subjects_starting(&app, "Kommentar dold").len(), open.len());
    assert_eq!(
        subjects_starting(&app, "Kommentaren syns fortfarande").len(),
        open.len(),
        "the earlier notices are not repeated"
    );
}

#[tokio::test]
async fn a_hide_that_worked_but_whose_reply_was_malformed_is_read_back_and_done() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let (mut summary, open) = decided_hides(&app, &pipeline).await;
    let first = &open[0];
    // The next call on every page gets a malformed reply: the first hide
    // is carried out, its answer cut off.
    for page in app.sim.pages() {
        app.sim
            .inject_fault(&page.id, Fault::MalformedJson, Some(1));
    }
    act_and_tell(&pipeline, &mut summary).await;

    let actions = pipeline
        .store()
        .actions_for_comment(first.comment_id)
        .await
        .unwrap();
    assert_eq!(actions[0].state, ActionState::Done, "{actions:?}");
    assert_eq!(actions[0].verified_by, Some(Verification::ReadBack));
    assert!(
        app.sim
            .comment_state(&first.platform_comment_id)
            .unwrap()
            .hidden
    );
    let hides = app
        .sim
        .calls()
        .iter()
        .filter(|c| {
            c.method == "POST" && c.comment_id.as_deref() == Some(&first.platform_comment_id)
        })
        .count();
    assert_eq!(hides, 1, "read back, not hidden again");
    assert!(
        subjects_starting(&app, "Kommentaren syns fortfarande").is_empty(),
        "no failure is told for a hide that worked"
    );
}

#[tokio::test]
async fn many_actions_on_one_account_in_one_run_are_told_in_one_summary() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| toml.replace("summary_above = 10000", "summary_above = 1"));
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert!(summary.hidden >= 2);
    assert!(subjects_starting(&app, "Kommentar dold").len() < summary.hidden);
    let summaries: Vec<(String, String)> = app
        .mail_texts()
        .into_iter()
        .filter(|(subject, _)| subject.contains(" dolda"))
        .collect();
    assert!(!summaries.is_empty(), "one summary per busy account");
    let hidden: Vec<String> = app
        .sim
        .planted_until(app.clock.now())
        .into_iter()
        .filter(|p| app.sim.comment_state(&p.id).is_some_and(|s| s.hidden))
        .map(|p| p.id)
        .collect();
    assert_eq!(hidden.len(), summary.hidden);
    for action in &hidden {
        let told: usize = summaries
            .iter()
            .filter(|(_, body)| body.contains(action.as_str()))
            .count()
            + subjects_starting(&app, "Kommentar dold")
                .iter()
                .filter(|(_, body)| body.contains(action.as_str()))
                .count();
        assert_eq!(told, 1, "hidden comment {action} is told exactly once");
    }
}
