//! Rate limits as a budget a run plans with (issue 13), through whole runs
//! against the simulator: YouTube's daily units spent on hides before
//! listing, X's 50 hide calls per 15 minutes, a `retry_after` honoured by
//! the next run, and all of it kept across a restart.

use chrono::Duration;
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::platforms::simulator::{CallRecord, Fault};
use kommentarsvakt::report::checks::ProfileRead;
use kommentarsvakt::store::{RateBudgetRow, RunTrigger, Store};

use crate::collect::outcome_of;
use crate::support::app::TestApp;
use crate::support::db::{self, TestDb};

/// The config with YouTube on `konto-0` and the given daily quota.
fn youtube_config(app: &TestApp, quota: i64) {
    app.write_config_with(|toml| {
        app.on_platform(toml, 0, "youtube", None).replace(
            "post_lookback = \"30d\"\n",
            &format!("post_lookback = \"30d\"\nyoutube_daily_quota = {quota}\n"),
        )
    });
}

/// A personnummer that passes the check digit: obvious personal data the
/// policy hides.
fn personnummer(serial: u32) -> String {
    let digits = format!("811218{:03}", serial % 1000);
    let sum: u32 = digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { d };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    format!(
        "19{}-{}{}",
        &digits[..6],
        &digits[6..],
        (10 - sum % 10) % 10
    )
}

/// Plants `count` comments carrying a personnummer on the page, just
/// before `at`.
fn plant_personal_data(app: &TestApp, page: &str, at: chrono::DateTime<chrono::Utc>, count: u32) {
    for i in 0..count {
        app.sim
            .plant_comment(
                page,
                at - Duration::seconds(i64::from(count - i) * 5),
                &format!("Ring mig, mitt personnummer är {}", personnummer(100 + i)),
                None,
            )
            .expect("the page has a post");
    }
}

/// Calls the simulator received on a platform's routes, e.g. `/x/`.
fn calls_under(app: &TestApp, prefix: &str) -> Vec<CallRecord> {
    app.sim
        .calls()
        .into_iter()
        .filter(|c| c.path.starts_with(prefix))
        .collect()
}

async fn budget_row(
    store: &Store,
    platform: &str,
    subject: &str,
    budget: &str,
) -> Option<RateBudgetRow> {
    store
        .rate_budgets()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.platform == platform && r.subject == subject && r.budget == budget)
}

/// Runs at the next slot.
async fn run_slot(app: &TestApp, pipeline: &Pipeline) -> kommentarsvakt::pipeline::RunSummary {
    app.run_next_slot(pipeline).await
}

#[tokio::test]
async fn youtube_quota_nearly_spent_goes_to_hides_and_the_listing_waits_even_after_a_restart() {
    let app = TestApp::start().await;
    youtube_config(&app, 3);
    let page = app.sim.pages()[0].id.clone();
    let pipeline = app.pipeline().await;
    // 12:00 Stockholm: 03:00 on the same Pacific day as 15:30.
    app.advance_to_next_slot(&pipeline);
    let noon = app.advance_to_next_slot(&pipeline);
    plant_personal_data(&app, &page, noon, 2);

    let first = pipeline
        .run(RunTrigger::Slot, Some(noon), false)
        .await
        .unwrap();

    let moderation = |app: &TestApp| {
        calls_under(app, "/youtube/")
            .into_iter()
            .filter(|c| c.path.ends_with("/setModerationStatus"))
            .count()
    };
    assert_eq!(moderation(&app), 0, "3 units cannot pay for a hide (50)");
    let deferred_hides: Vec<_> = first.deferred.iter().filter(|d| d.work == "hide").collect();
    assert!(deferred_hides.len() >= 2, "{:?}", first.deferred);
    assert!(
        deferred_hides
            .iter()
            .all(|d| d.reason.contains("daily quota"))
    );
    let spent = budget_row(pipeline.store(), "youtube", "konto-0", "youtube_units")
        .await
        .expect("the units are stored");
    assert!((1..=3).contains(&spent.used), "{spent:?}");
    drop(pipeline);

    // The city raises the quota by exactly what the open hides take, and
    // the service restarts: the units spent today must still count.
    let open = deferred_hides.len() as i64;
    youtube_config(&app, spent.used + 50 * open);
    let restarted = app.pipeline().await;
    let listings_before = calls_under(&app, "/youtube/").len();

    let second = run_slot(&app, &restarted).await;

    assert_eq!(moderation(&app), open as usize, "every open hide is made");
    assert_eq!(
        calls_under(&app, "/youtube/").len() - listings_before,
        open as usize,
        "no listing call: the units went to the hides"
    );
    let outcome = outcome_of(&restarted, second.run_id, 0).await;
    assert_eq!(outcome.outcome, "deferred", "{outcome:?}");
    assert!(
        outcome
            .error_detail
            .as_deref()
            .unwrap_or_default()
            .contains("kept for hides"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn the_51st_x_hide_waits_for_the_next_window_without_a_429_and_is_made_next_run() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| app.on_platform(toml, 0, "x", Some("2")));
    let page = app.sim.pages()[0].id.clone();
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    plant_personal_data(&app, &page, slot, 51);

    let first = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    let hides = |app: &TestApp| {
        calls_under(app, "/x/")
            .into_iter()
            .filter(|c| c.path.ends_with("/hidden"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        hides(&app).len(),
        50,
        "X allows 50 hide calls per 15 minutes"
    );
    let waiting: Vec<_> = first.deferred.iter().filter(|d| d.work == "hide").collect();
    assert!(!waiting.is_empty(), "{:?}", first.deferred);
    assert!(waiting.iter().all(|d| d.account == "konto-0"));
    let ops_mails = |app: &TestApp| {
        app.mail_texts()
            .into_iter()
            .filter(|(subject, _)| subject.contains("anropsgräns"))
            .count()
    };
    assert_eq!(ops_mails(&app), 1, "operations are told in Swedish");
    let stored = budget_row(pipeline.store(), "x", "konto-0", "hide_calls")
        .await
        .expect("the hide calls are stored");
    assert_eq!(stored.spent_at.len(), 50);

    // Later the same day, after a restart: the window has passed.
    drop(pipeline);
    let restarted = app.pipeline().await;
    let second = run_slot(&app, &restarted).await;

    let all = hides(&app);
    assert!(
        all.len() >= 50 + waiting.len(),
        "every waiting hide is made now"
    );
    assert!(
        all.iter().all(|c| c.status == Some(200)),
        "X never had to refuse a hide: {:?}",
        all.iter()
            .filter(|c| c.status != Some(200))
            .collect::<Vec<_>>()
    );
    assert!(
        second.deferred.iter().all(|d| d.work != "hide"),
        "{:?}",
        second.deferred
    );
    assert_eq!(ops_mails(&app), 1, "told once, not every run");
}

/// Runs the next slot with `fault` answering konto-0's first call, and
/// checks the account's outcome names the rate limit; the slot's time.
async fn run_into_rate_limit(
    app: &TestApp,
    pipeline: &Pipeline,
    fault: Fault,
) -> chrono::DateTime<chrono::Utc> {
    let page = app.sim.pages()[0].id.clone();
    let slot = app.advance_to_next_slot(pipeline);
    app.sim.inject_fault(&page, fault, Some(1));
    let first = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert_eq!(
        outcome_of(pipeline, first.run_id, 0)
            .await
            .error_kind
            .as_deref(),
        Some("rate_limited")
    );
    slot
}

#[tokio::test]
async fn a_429_with_retry_after_keeps_the_next_run_within_the_window_off_the_account() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| app.on_platform(toml, 0, "x", Some("2")));
    let pipeline = app.pipeline().await;
    let slot = run_into_rate_limit(&app, &pipeline, Fault::RateLimited).await;
    let pause = budget_row(pipeline.store(), "x", "konto-0", "retry_after")
        .await
        .expect("the pause is stored");
    assert!(pause.not_before.is_some_and(|at| at > slot), "{pause:?}");
    drop(pipeline);

    // Five minutes later, after a restart: X asked for 15.
    let restarted = app.pipeline().await;
    app.clock.set(slot + Duration::minutes(5));
    let calls_before = calls_under(&app, "/x/").len();
    let second = restarted
        .run(RunTrigger::Manual, None, false)
        .await
        .unwrap();

    assert_eq!(
        calls_under(&app, "/x/").len(),
        calls_before,
        "no call to the paused account"
    );
    let outcome = outcome_of(&restarted, second.run_id, 0).await;
    assert_eq!(outcome.outcome, "deferred");
    assert!(
        outcome
            .error_detail
            .unwrap_or_default()
            .contains("no call made")
    );
    assert_eq!(
        outcome_of(&restarted, second.run_id, 1).await.outcome,
        "ok",
        "other accounts are polled"
    );

    app.clock.set(slot + Duration::minutes(16));
    let third = restarted
        .run(RunTrigger::Manual, None, false)
        .await
        .unwrap();
    assert!(
        calls_under(&app, "/x/").len() > calls_before,
        "polled again once the window ended"
    );
    assert_eq!(outcome_of(&restarted, third.run_id, 0).await.outcome, "ok");
}

/// What a restart must find again: every kind of budget row, read back
/// through a new connection to the same database.
async fn budgets_survive_a_reconnect(db: TestDb) {
    let now = chrono::Utc::now();
    let at = |s: i64| now - Duration::seconds(s);
    let rows = [
        RateBudgetRow {
            platform: "youtube".into(),
            subject: "konto-0".into(),
            budget: "youtube_units".into(),
            window_start: Some("2026-11-23".into()),
            used: 9_950,
            spent_at: Vec::new(),
            not_before: None,
            reported: None,
        },
        RateBudgetRow {
            platform: "x".into(),
            subject: "konto-1".into(),
            budget: "hide_calls".into(),
            window_start: None,
            used: 0,
            spent_at: vec![at(600), at(30)],
            not_before: None,
            reported: None,
        },
        RateBudgetRow {
            platform: "facebook".into(),
            subject: kommentarsvakt::store::APP_SUBJECT.into(),
            budget: "retry_after".into(),
            window_start: None,
            used: 0,
            spent_at: Vec::new(),
            not_before: Some(at(-900)),
            reported: Some("X-App-Usage: {\"call_count\":100}".into()),
        },
    ];
    for row in &rows {
        db.store.save_rate_budget(row, now).await.unwrap();
    }
    let mut spent_more = rows[0].clone();
    spent_more.used = 10_000;
    db.store.save_rate_budget(&spent_more, now).await.unwrap();
    db.store.close().await;

    let reopened = Store::connect(&db.url).await.unwrap();
    let stored = reopened.rate_budgets().await.unwrap();
    let trimmed = |row: &RateBudgetRow| RateBudgetRow {
        spent_at: row
            .spent_at
            .iter()
            .map(|t| kommentarsvakt::store::ts(*t).parse().unwrap())
            .collect(),
        not_before: row
            .not_before
            .map(|t| kommentarsvakt::store::ts(t).parse().unwrap()),
        ..row.clone()
    };
    assert_eq!(stored.len(), 3, "{stored:?}");
    assert_eq!(stored[0], trimmed(&rows[2]));
    assert_eq!(stored[1], trimmed(&rows[1]));
    assert_eq!(
        stored[2], spent_more,
        "the later count replaced the earlier"
    );
}

#[tokio::test]
async fn sqlite_budgets_survive_a_reconnect() {
    budgets_survive_a_reconnect(db::sqlite().await).await;
}

#[tokio::test]
async fn postgres_budgets_survive_a_reconnect() {
    let Some(db) = db::postgres().await else {
        return;
    };
    budgets_survive_a_reconnect(db).await;
}

/// Graph calls the simulator received (Facebook's routes are at its root).
fn graph_calls(app: &TestApp) -> usize {
    let version = format!("/{}/", app.sim.api_version());
    calls_under(app, &version).len()
}

#[tokio::test]
async fn graphs_application_limit_pauses_every_facebook_account_for_its_hour_even_after_a_restart()
{
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = run_into_rate_limit(&app, &pipeline, Fault::AppRateLimited).await;

    let app_pause = budget_row(
        pipeline.store(),
        "facebook",
        kommentarsvakt::store::APP_SUBJECT,
        "retry_after",
    )
    .await
    .expect("the app's pause is stored");
    // Code 4 names no wait: the app's hour of calls must pass.
    assert!(
        app_pause
            .not_before
            .is_some_and(|at| at >= slot + Duration::minutes(59)),
        "{app_pause:?}"
    );
    drop(pipeline);

    let restarted = app.pipeline().await;
    app.clock.set(slot + Duration::minutes(30));
    let calls_before = graph_calls(&app);
    let second = restarted
        .run(RunTrigger::Manual, None, false)
        .await
        .unwrap();

    assert_eq!(graph_calls(&app), calls_before, "no Graph call for the app");
    for index in 0..3 {
        let outcome = outcome_of(&restarted, second.run_id, index).await;
        assert_eq!(outcome.outcome, "deferred", "konto-{index}: {outcome:?}");
        assert!(
            outcome
                .error_detail
                .unwrap_or_default()
                .contains("every facebook account"),
            "konto-{index}"
        );
    }

    app.clock.set(slot + Duration::minutes(61));
    let third = restarted
        .run(RunTrigger::Manual, None, false)
        .await
        .unwrap();
    assert_eq!(third.accounts_ok, 3, "{third:?}");
}

#[tokio::test]
async fn a_pages_own_limit_pauses_only_that_page_even_after_a_restart() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    // 80001 with X-Business-Use-Case-Usage: 100 % and five minutes to wait.
    let slot = run_into_rate_limit(&app, &pipeline, Fault::RateLimited).await;

    assert!(
        budget_row(pipeline.store(), "facebook", "konto-0", "retry_after")
            .await
            .and_then(|row| row.not_before)
            .is_some_and(|at| at > slot),
        "the page's pause is stored"
    );
    assert!(
        budget_row(
            pipeline.store(),
            "facebook",
            kommentarsvakt::store::APP_SUBJECT,
            "retry_after"
        )
        .await
        .is_none(),
        "the app is not paused for one page's limit"
    );
    drop(pipeline);

    let restarted = app.pipeline().await;
    app.clock.set(slot + Duration::minutes(2));
    let second = restarted
        .run(RunTrigger::Manual, None, false)
        .await
        .unwrap();

    let paused = outcome_of(&restarted, second.run_id, 0).await;
    assert_eq!(paused.outcome, "deferred", "{paused:?}");
    assert!(
        paused
            .error_detail
            .unwrap_or_default()
            .contains("this account")
    );
    for index in 1..3 {
        assert_eq!(
            outcome_of(&restarted, second.run_id, index).await.outcome,
            "ok",
            "konto-{index} is polled"
        );
    }
}

/// The config with every account on YouTube, `konto-0` and `konto-1` in
/// the Google project "kultur", `konto-2` in "stadshuset", and `quota`
/// units a day for each project.
fn youtube_projects_config(app: &TestApp, quota: i64) {
    app.write_config_with(|toml| {
        let mut toml = toml.replace(
            "post_lookback = \"30d\"\n",
            &format!("post_lookback = \"30d\"\nyoutube_daily_quota = {quota}\n"),
        );
        for (index, project) in [(0, "kultur"), (1, "kultur"), (2, "stadshuset")] {
            toml = app.on_platform(toml, index, "youtube", None);
            let mut blocks: Vec<String> = toml.split("[[accounts]]").map(str::to_string).collect();
            blocks[index + 1] = blocks[index + 1].replacen(
                "platform = \"youtube\"\n",
                &format!("platform = \"youtube\"\nquota_project = \"{project}\"\n"),
                1,
            );
            toml = blocks.join("[[accounts]]");
        }
        toml
    });
}

#[tokio::test]
async fn accounts_of_one_google_project_share_its_quota_until_pacific_midnight() {
    let app = TestApp::start().await;
    youtube_projects_config(&app, 100_000);
    let pipeline = app.pipeline().await;
    // 12:00 Stockholm is 03:00 in Los Angeles, the Pacific day the quota
    // counts.
    app.advance_to_next_slot(&pipeline);
    let noon = app.advance_to_next_slot(&pipeline);
    let pacific_day = noon
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .date_naive();
    // An earlier process spent the whole of project kultur's quota today
    // through konto-0.
    pipeline
        .store()
        .save_rate_budget(
            &RateBudgetRow {
                platform: "youtube".into(),
                subject: "konto-0".into(),
                budget: "youtube_units".into(),
                window_start: Some(pacific_day.to_string()),
                used: 100_000,
                spent_at: Vec::new(),
                not_before: None,
                reported: None,
            },
            noon,
        )
        .await
        .unwrap();
    drop(pipeline);
    let pipeline = app.pipeline().await;

    let first = pipeline
        .run(RunTrigger::Slot, Some(noon), false)
        .await
        .unwrap();

    for index in [0, 1] {
        let outcome = outcome_of(&pipeline, first.run_id, index).await;
        assert_eq!(outcome.outcome, "deferred", "konto-{index}: {outcome:?}");
        assert!(
            outcome
                .error_detail
                .unwrap_or_default()
                .contains("project kultur"),
            "konto-{index}"
        );
    }
    assert_eq!(
        outcome_of(&pipeline, first.run_id, 2).await.outcome,
        "ok",
        "project stadshuset has its own quota"
    );

    // 08:30 the next morning in Stockholm is still 23:30 the same day in
    // Los Angeles: the quota has not reset.
    app.advance_to_next_slot(&pipeline);
    let morning = app.advance_to_next_slot(&pipeline);
    let before_midnight = pipeline
        .run(RunTrigger::Slot, Some(morning), false)
        .await
        .unwrap();
    assert_eq!(
        outcome_of(&pipeline, before_midnight.run_id, 1)
            .await
            .outcome,
        "deferred"
    );

    let after_midnight = run_slot(&app, &pipeline).await;
    for index in 0..3 {
        let outcome = outcome_of(&pipeline, after_midnight.run_id, index).await;
        assert_eq!(
            outcome.outcome, "ok",
            "konto-{index} after Pacific midnight: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn a_channels_profile_read_is_one_unit_of_the_day_and_waits_when_the_quota_is_spent() {
    let app = TestApp::start().await;
    youtube_config(&app, 10_000);
    let pipeline = app.pipeline().await;

    let reads = pipeline.read_for_checks().await.expect("profiles read");

    assert!(
        matches!(reads.profiles.get("konto-0"), Some(ProfileRead::Read(_))),
        "{reads:?}"
    );
    let spent = budget_row(pipeline.store(), "youtube", "konto-0", "youtube_units")
        .await
        .expect("the unit is stored");
    assert_eq!(spent.used, 1, "channels.list costs one unit");

    // After a restart on a quota of one unit, that unit is spent already:
    // the profile waits, without a call, and nothing is found about it.
    pipeline.shutdown().await;
    drop(pipeline);
    youtube_config(&app, 1);
    let restarted = app.pipeline().await;
    let calls_before = calls_under(&app, "/youtube/").len();
    let reads = restarted.read_for_checks().await.expect("profiles read");
    assert!(
        matches!(reads.profiles.get("konto-0"), Some(ProfileRead::Skipped(reason)) if reason.contains("daily quota")),
        "{reads:?}"
    );
    assert_eq!(calls_under(&app, "/youtube/").len(), calls_before);
}
