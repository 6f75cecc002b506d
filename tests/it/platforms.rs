//! X and Instagram accounts through the whole collect stage, against the
//! simulator's `/x` and `/instagram` routes: what a run stores, how few
//! calls it makes, and that the next run starts from the cursors saved.

use kommentarsvakt::store::RunTrigger;

use crate::collect::{comments_on, outcome_of, stored};
use crate::support::app::TestApp;

/// The config with `konto-0` on X and `konto-1` on Instagram (both over
/// the simulator's pages 0 and 1); `konto-2` stays on Facebook.
fn on_x_and_instagram(app: &TestApp, toml: String) -> String {
    let toml = app.on_platform(toml, 0, "x", Some("2"));
    app.on_platform(toml, 1, "instagram", Some("v24.0"))
}

/// Calls the simulator received whose path ends with `suffix`, by query.
fn calls_ending(app: &TestApp, suffix: &str) -> Vec<String> {
    app.sim
        .calls()
        .into_iter()
        .filter(|c| c.path.ends_with(suffix))
        .map(|c| c.query)
        .collect()
}

#[tokio::test]
async fn x_and_instagram_accounts_are_stored_in_one_call_each_and_resume_from_their_cursors() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| on_x_and_instagram(&app, toml));
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    let x_page = app.sim.pages()[0].id.clone();
    let ig_page = app.sim.pages()[1].id.clone();

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    assert_eq!(summary.accounts_ok, 3, "{summary:?}");
    let on_x = comments_on(&app, &x_page);
    assert!(!on_x.is_empty());
    assert_eq!(
        outcome_of(&pipeline, summary.run_id, 0).await.comments_new,
        on_x.len() as i64,
        "every reply on X is stored"
    );
    let on_instagram = comments_on(&app, &ig_page);
    assert_eq!(stored(&pipeline, &on_instagram).await, on_instagram.len());
    let mentions = calls_ending(&app, &format!("/x/2/users/{x_page}/mentions"));
    assert_eq!(mentions.len(), 1, "one call for the X account");
    assert!(mentions[0].contains("start_time="), "{}", mentions[0]);
    assert_eq!(
        calls_ending(&app, &format!("/{ig_page}/media")).len(),
        1,
        "one call for the Instagram account"
    );

    let next = app.advance_to_next_slot(&pipeline);
    let again = pipeline
        .run(RunTrigger::Slot, Some(next), false)
        .await
        .unwrap();

    assert_eq!(again.accounts_ok, 3, "{again:?}");
    let mentions = calls_ending(&app, &format!("/x/2/users/{x_page}/mentions"));
    assert!(
        mentions[1].contains("since_id=") && !mentions[1].contains("start_time="),
        "the second run starts from the saved since_id: {}",
        mentions[1]
    );
    let on_x_now = comments_on(&app, &x_page);
    assert_eq!(
        outcome_of(&pipeline, again.run_id, 0).await.comments_new,
        (on_x_now.len() - on_x.len()) as i64,
        "only what came since is new"
    );
}
