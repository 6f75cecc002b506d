//! Accounts on the other platforms through the whole collect stage,
//! against the simulator's routes for them: what an X or Instagram run
//! stores, how few calls it makes, that the next run starts from the
//! cursors saved, that OAuth access tokens are renewed on the service's
//! clock, and that an account's independent calls are made together within
//! the run's concurrency.

use std::time::Duration as StdDuration;

use kommentarsvakt::platforms::simulator::{CallRecord, Fault};
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

#[tokio::test]
async fn linkedin_and_youtube_renew_their_access_tokens_when_the_service_clock_says_they_expired() {
    let app = TestApp::start().await;
    let page = app.sim.pages()[0].id.clone();
    app.write_config_with(|toml| {
        let toml = app
            .on_platform(toml, 0, "linkedin", Some("202611"))
            .replace(
                &format!("platform_id = \"{page}\""),
                &format!("platform_id = \"urn:li:organization:{page}\""),
            );
        let toml = app.with_oauth_grant(toml, 0, "linkedin");
        let toml = app.on_platform(toml, 1, "youtube", None);
        app.with_oauth_grant(toml, 1, "youtube")
    });
    let pipeline = app.pipeline().await;
    let grants = |platform: &str| {
        app.sim
            .calls()
            .iter()
            .filter(|c| c.method == "POST" && c.path.starts_with(&format!("/{platform}/")))
            .filter(|c| c.path.ends_with("/token") || c.path.ends_with("/accessToken"))
            .count()
    };

    let first = app.run_next_slot(&pipeline).await;
    assert_eq!(first.accounts_ok, 3, "{first:?}");
    assert_eq!((grants("linkedin"), grants("youtube")), (1, 1));

    // The next slot is hours later on the service's clock, though only
    // milliseconds passed on the wall: the hour-long access tokens have
    // expired, and each connector asks for a new one before calling.
    let second = app.run_next_slot(&pipeline).await;
    assert_eq!(second.accounts_ok, 3, "{second:?}");
    assert_eq!((grants("linkedin"), grants("youtube")), (2, 2));
}

/// The most calls the simulator was answering at one moment.
fn most_in_flight(calls: &[CallRecord]) -> usize {
    calls
        .iter()
        .map(|call| {
            calls
                .iter()
                .filter(|other| {
                    other.received_at <= call.received_at && call.received_at < other.finished_at
                })
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_linkedin_pages_comment_listings_are_made_together_within_the_runs_concurrency() {
    let app = TestApp::start().await;
    let page = app.sim.pages()[0].id.clone();
    app.write_config_with(|toml| {
        app.on_platform(toml, 0, "linkedin", Some("202611"))
            .replace(
                &format!("platform_id = \"{page}\""),
                &format!("platform_id = \"urn:li:organization:{page}\""),
            )
            .replace("concurrency = 2\n", "concurrency = 4\n")
    });
    // Every answer takes a while, so calls in flight together overlap at
    // the simulator.
    for page in app.sim.pages() {
        app.sim
            .inject_fault(&page.id, Fault::Slow(StdDuration::from_millis(150)), None);
    }
    let pipeline = app.pipeline().await;

    let summary = app.run_next_slot(&pipeline).await;

    assert_eq!(summary.accounts_ok, 3, "{summary:?}");
    let calls = app.sim.calls();
    assert!(
        most_in_flight(&calls) <= 4,
        "polling.concurrency bounds the calls of all accounts together"
    );
    let comment_listings: Vec<CallRecord> = calls
        .into_iter()
        .filter(|c| c.path.starts_with("/linkedin/rest/socialActions/"))
        .collect();
    assert!(comment_listings.len() >= 2, "{comment_listings:?}");
    assert!(
        most_in_flight(&comment_listings) >= 2,
        "the page's comment listings do not wait for each other"
    );
}
