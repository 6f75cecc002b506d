//! The daily checks of the accounts: for each check a simulated account
//! that fails it and one that passes, on the real service (simulator,
//! SQLite file, mail folder, manual clock). Each finding reaches the
//! account's responsible person (its moderators while none is named) with
//! the department copied, once while it lasts, and again when it comes
//! back after it cleared. The basic information on each account's profile
//! is checked on every platform, on the profile the simulator serves in
//! that platform's wire format. Also the February/September report the
//! daemon sends by itself, and closing an account.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::config::{self, Config};
use kommentarsvakt::daemon::Daemon;
use kommentarsvakt::pipeline::{ClosingError, Pipeline, RunSummary};
use kommentarsvakt::platforms::simulator::Fault;
use kommentarsvakt::report;
use kommentarsvakt::report::checks::{self, Check, CheckFinding, ChecksOutcome, PlatformReads};
use kommentarsvakt::store::Store;
use mailparse::MailHeaderMap;

use crate::report::post;
use crate::support::app::{TestApp, plain_text};
use crate::support::fixtures::{read_successfully, record_findings, t0};

fn sthlm(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    sthlm_in(2026, month, day, hour)
}

fn sthlm_in(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Stockholm
        .with_ymd_and_hms(year, month, day, hour, 0, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&Utc)
}

/// `toml` with a responsible person named for `konto-{index}`.
fn with_responsible(toml: String, index: usize) -> String {
    let mut blocks: Vec<String> = toml.split("[[accounts]]").map(str::to_string).collect();
    blocks[index + 1].push_str(&format!(
        "[accounts.responsible]\nname = \"Ansvarig {index}\"\nemail = \"ansvarig{index}@test.stockholm.se\"\n"
    ));
    blocks.join("[[accounts]]")
}

/// Runs the checks at the app's time on `config` and sends what they
/// queued to the mail folder.
async fn check_and_send(app: &TestApp, pipeline: &Pipeline, config: &Config) -> ChecksOutcome {
    let reads = pipeline
        .read_for_checks()
        .await
        .expect("the profiles are read");
    pipeline
        .tell_read_failures(&reads)
        .await
        .expect("failed reads are told");
    let outcome = checks::run(pipeline.store(), config, &reads, app.clock.now())
        .await
        .expect("the checks run");
    pipeline
        .deliver_outbox(&mut RunSummary::default())
        .await
        .expect("the outbox is delivered");
    outcome
}

fn accounts_found(findings: &[CheckFinding], check: Check) -> Vec<&str> {
    findings
        .iter()
        .filter(|f| f.check == check)
        .map(|f| f.account_key.as_str())
        .collect()
}

/// A check's e-mail as its recipients get it.
#[derive(Debug)]
struct CheckMail {
    subject: String,
    to: String,
    cc: String,
    body: String,
}

/// Every e-mail in the mail folder, decoded.
fn parsed_mails(app: &TestApp) -> Vec<CheckMail> {
    app.mails()
        .iter()
        .filter_map(|raw| {
            let parsed = mailparse::parse_mail(raw.as_bytes()).ok()?;
            let (subject, body) = plain_text(&parsed);
            let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
            Some(CheckMail {
                to: header("To"),
                cc: header("Cc"),
                subject,
                body,
            })
        })
        .collect()
}

/// The e-mails in the mail folder whose subject ends with `title`.
fn check_mails(app: &TestApp, title: &str) -> Vec<CheckMail> {
    parsed_mails(app)
        .into_iter()
        .filter(|mail| mail.subject.ends_with(title))
        .collect()
}

#[tokio::test]
async fn an_account_without_a_responsible_person_is_told_once_and_again_when_it_comes_back() {
    let app = TestApp::start().await;
    let named_for = |indexes: &[usize]| {
        app.write_config_with(|toml| indexes.iter().fold(toml, |t, i| with_responsible(t, *i)));
        config::load(&app.config_path).expect("valid config")
    };
    let config = named_for(&[1, 2]);
    let pipeline = app.pipeline().await;
    let title = "ansvarig saknas i kontoregistret";

    let first = check_and_send(&app, &pipeline, &config).await;

    assert_eq!(
        accounts_found(&first.findings, Check::Responsible),
        ["konto-0"]
    );
    let mails = check_mails(&app, title);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail.subject.contains("Testkonto 0"), "{}", mail.subject);
    assert_eq!(
        mail.to, "moderator0@test.stockholm.se",
        "nobody named: the moderators"
    );
    assert_eq!(mail.cc, "slk@test.stockholm.se", "the department is copied");
    assert!(
        mail.body
            .contains("ansvarig person (namn), ansvarig person (e-postadress)")
    );
    assert!(
        mail.body.contains("[accounts.responsible]"),
        "{}",
        mail.body
    );

    // The next day it is still missing: no second e-mail.
    app.clock.advance(Duration::days(1));
    let again = check_and_send(&app, &pipeline, &config).await;
    assert_eq!(
        accounts_found(&again.findings, Check::Responsible),
        ["konto-0"]
    );
    assert_eq!(
        check_mails(&app, title).len(),
        1,
        "told once, not every day"
    );

    // Named: the finding clears.
    let config = named_for(&[0, 1, 2]);
    app.clock.advance(Duration::days(1));
    let fixed = check_and_send(&app, &pipeline, &config).await;
    assert!(accounts_found(&fixed.findings, Check::Responsible).is_empty());
    assert!(fixed.cleared >= 1);

    // Gone again later: a new finding, told again.
    let config = named_for(&[1, 2]);
    app.clock.advance(Duration::days(1));
    check_and_send(&app, &pipeline, &config).await;
    assert_eq!(
        check_mails(&app, title).len(),
        2,
        "it came back after it cleared"
    );
}

/// Every account of `config` read successfully on Monday 2 November, three
/// weeks before the tests' Monday: the service watched all of November.
async fn watched_since_november(store: &Store, config: &Config) {
    for account in &config.accounts {
        read_successfully(store, account, sthlm(11, 2, 8)).await;
    }
}

#[tokio::test]
async fn publishing_below_the_rhythm_two_weeks_in_a_row_is_found_but_not_over_christmas() {
    // Monday 23 November: the last two weeks are those of 9 and 16 November.
    let app = TestApp::start().await;
    app.write_config_with(|toml| with_responsible(toml, 0));
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let store = pipeline.store();
    let now = app.clock.now();
    watched_since_november(store, &config).await;
    for (index, per_week) in [(0, [1, 1]), (1, [2, 2]), (2, [2, 1])] {
        let account = store
            .upsert_account(&config.accounts[index], now)
            .await
            .unwrap();
        for (monday, posts) in [sthlm(11, 9, 10), sthlm(11, 16, 10)].iter().zip(per_week) {
            for n in 0..posts {
                let id = format!("{index}_{}_{n}", monday.timestamp());
                let published = *monday + Duration::days(i64::from(n) + 1);
                store
                    .upsert_post(account, &post(&id, published), now)
                    .await
                    .unwrap();
            }
        }
    }

    let outcome = check_and_send(&app, &pipeline, &config).await;

    assert_eq!(
        accounts_found(&outcome.findings, Check::LowPublishing),
        ["konto-0"],
        "two posts a week pass, and one week below is not yet two"
    );
    let mails = check_mails(&app, "för få inlägg två veckor i rad");
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(
        mail.to, "ansvarig0@test.stockholm.se",
        "the responsible person"
    );
    assert_eq!(mail.cc, "slk@test.stockholm.se");
    assert!(
        mail.body.contains("vecka 46 (från 2026-11-09): 1 inlägg"),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("vecka 47 (från 2026-11-16): 1 inlägg"));

    // Monday 28 December: nobody posted in the weeks of 14 and 21
    // December, but the second has Christmas in it and is excepted.
    app.clock.set(sthlm(12, 28, 7));
    let christmas = checks::find(store, &config, &PlatformReads::default(), app.clock.now())
        .await
        .unwrap();
    assert!(
        accounts_found(&christmas, Check::LowPublishing).is_empty(),
        "{christmas:?}"
    );
}

#[tokio::test]
async fn an_account_that_announced_a_break_is_not_told_it_publishes_too_little() {
    // Monday 23 November: one post in each of the weeks of 9 and 16
    // November on both accounts; konto-1's first says it pauses.
    let app = TestApp::start().await;
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let store = pipeline.store();
    let now = app.clock.now();
    watched_since_november(store, &config).await;
    let texts = [
        "Nästa vecka kommer nya öppettider.",
        "Kontot pausar i två veckor, vi är tillbaka 23 november.",
    ];
    for (index, text) in texts.iter().enumerate() {
        let account = store
            .upsert_account(&config.accounts[index], now)
            .await
            .unwrap();
        for (n, monday) in [sthlm(11, 9, 10), sthlm(11, 16, 10)].iter().enumerate() {
            let mut published = post(&format!("{index}_{n}"), *monday + Duration::days(1));
            published.text = Some(text.to_string());
            store.upsert_post(account, &published, now).await.unwrap();
        }
    }

    let findings = checks::find(store, &config, &PlatformReads::default(), now)
        .await
        .unwrap();

    let found = accounts_found(&findings, Check::LowPublishing);
    assert!(found.contains(&"konto-0"), "{findings:?}");
    assert!(
        !found.contains(&"konto-1"),
        "konto-1 announced its break: {findings:?}"
    );
}

#[tokio::test]
async fn a_new_install_is_not_told_it_published_too_little_in_weeks_it_did_not_watch() {
    // Monday 23 November, nobody posted since 2 November. konto-0 has been
    // watched for three weeks, konto-1 since Wednesday (5 days), konto-2
    // not at all yet.
    let app = TestApp::start().await;
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let store = pipeline.store();
    read_successfully(store, &config.accounts[0], sthlm(11, 2, 8)).await;
    read_successfully(store, &config.accounts[1], sthlm(11, 18, 8)).await;

    let findings = checks::find(store, &config, &PlatformReads::default(), app.clock.now())
        .await
        .unwrap();

    assert_eq!(
        accounts_found(&findings, Check::LowPublishing),
        ["konto-0"],
        "only the account watched through both weeks: {findings:?}"
    );
}

/// Writes the refresh-token file of `platform` as the service does after
/// a refresh that named when the refresh token ends.
fn write_grant(app: &TestApp, platform: &str, expires_at: DateTime<Utc>) {
    let grant = serde_json::json!({
        "refresh_token": "sim-refresh-token",
        "refresh_token_expires_at": expires_at,
    });
    std::fs::write(
        app.dir.path().join(format!("{platform}-refresh-token")),
        grant.to_string(),
    )
    .unwrap();
}

#[tokio::test]
async fn an_oauth_grant_ending_within_two_weeks_is_found_and_one_ending_later_is_not() {
    let app = TestApp::start().await;
    let linkedin_page = app.sim.pages()[1].id.clone();
    app.write_config_with(|toml| {
        let toml = app.on_platform(toml, 0, "youtube", None);
        let toml = app.with_oauth_grant(toml, 0, "youtube");
        let toml = app
            .on_platform(toml, 1, "linkedin", Some("202611"))
            .replace(
                &format!("platform_id = \"{linkedin_page}\""),
                &format!("platform_id = \"urn:li:organization:{linkedin_page}\""),
            );
        app.with_oauth_grant(toml, 1, "linkedin")
    });
    let now = app.clock.now();
    write_grant(&app, "youtube", sthlm(11, 28, 12));
    write_grant(&app, "linkedin", now + Duration::days(60));
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let title = "tjänstens åtkomst upphör snart";

    let outcome = check_and_send(&app, &pipeline, &config).await;

    assert_eq!(
        accounts_found(&outcome.findings, Check::TokenExpiry),
        ["konto-0"]
    );
    let mails = check_mails(&app, title);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].subject.contains("Testkonto 0"));
    assert!(
        mails[0].body.contains("2026-11-28 12:00"),
        "{}",
        mails[0].body
    );
    assert!(
        !mails[0].body.contains("sim-refresh-token"),
        "no secret in mail"
    );

    // Once it has ended it is the same finding: not told again.
    app.clock.set(sthlm(11, 30, 7));
    let ended = check_and_send(&app, &pipeline, &config).await;
    assert_eq!(
        accounts_found(&ended.findings, Check::TokenExpiry),
        ["konto-0"]
    );
    assert_eq!(check_mails(&app, title).len(), 1);
    assert!(check_mails(&app, "tjänstens åtkomst har upphört").is_empty());
}

#[tokio::test]
async fn a_page_token_whose_end_graph_states_is_found_two_weeks_ahead_and_told_once() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| {
        let toml = app.on_platform(toml, 1, "instagram", None);
        app.on_platform(toml, 2, "youtube", None)
    });
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let title = "tjänstens åtkomst upphör snart";

    // Graph states an end two months ahead: nothing to do yet.
    app.sim.set_page_token_end(Some(sthlm_in(2027, 1, 25, 12)));
    let far = check_and_send(&app, &pipeline, &config).await;
    assert!(
        accounts_found(&far.findings, Check::TokenExpiry).is_empty(),
        "{:?}",
        far.findings
    );

    // The Page tokens now end in ten days: the Facebook and Instagram
    // accounts are found; the YouTube channel's static token states no end.
    app.sim.set_page_token_end(Some(sthlm(12, 3, 12)));
    app.clock.advance(Duration::days(1));
    let soon = check_and_send(&app, &pipeline, &config).await;
    assert_eq!(
        accounts_found(&soon.findings, Check::TokenExpiry),
        ["konto-0", "konto-1"]
    );
    let mails = check_mails(&app, title);
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(
        mails[0].body.contains("2026-12-03 12:00"),
        "{}",
        mails[0].body
    );
    assert!(
        mails.iter().all(|m| !m.body.contains("test-token")),
        "no secret in mail"
    );
    assert!(
        app.sim
            .calls()
            .iter()
            .all(|c| !c.query.contains("test-token")),
        "the token sent as input_token is kept out of the call log"
    );

    // The next day: the same findings, not told again.
    app.clock.advance(Duration::days(1));
    check_and_send(&app, &pipeline, &config).await;
    assert_eq!(check_mails(&app, title).len(), 2);
}

#[tokio::test]
async fn an_account_no_run_could_read_on_a_working_day_is_found_and_one_read_once_is_not() {
    let app = TestApp::start().await;
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let failing = app.sim.pages()[0].id.clone();
    app.sim.inject_fault(&failing, Fault::TokenExpired, None);
    for _ in 0..3 {
        let run = app.run_next_slot(&pipeline).await;
        assert_eq!(run.accounts_failed, 1, "{run:?}");
    }

    // Tuesday morning: Monday was a working day.
    app.clock.set(sthlm(11, 24, 7));
    let outcome = check_and_send(&app, &pipeline, &config).await;

    assert_eq!(
        accounts_found(&outcome.findings, Check::NoSuccessfulRun),
        ["konto-0"]
    );
    let mails = check_mails(&app, "ingen lyckad bevakning under en arbetsdag");
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].subject.contains("Testkonto 0"));
    assert!(
        mails[0].body.contains("arbetsdagen 2026-11-23"),
        "{}",
        mails[0].body
    );
    assert_eq!(mails[0].to, "moderator0@test.stockholm.se");
}

/// A profile that names the department and the city and says what to
/// expect, but gives no terms and (where the platform shows one) no
/// website.
const INCOMPLETE_PROFILE: &str =
    "Stadsledningskontoret i Stockholms stad. Här berättar vi om stadens service.";

/// The app with `konto-0` and `konto-1` on `platform`, a responsible
/// person named for `konto-0`, and `konto-0`'s profile incomplete.
fn two_accounts_on(app: &TestApp, platform: &str) -> Config {
    let version = (platform == "linkedin").then_some("202611");
    let pages = app.sim.pages();
    app.write_config_with(|toml| {
        // The app's accounts are on Facebook already, on the Graph routes.
        let mut toml = if platform == "facebook" {
            toml
        } else {
            app.on_platform(
                app.on_platform(toml, 0, platform, version),
                1,
                platform,
                version,
            )
        };
        if platform == "linkedin" {
            for page in &pages[..2] {
                toml = toml.replace(
                    &format!("platform_id = \"{}\"", page.id),
                    &format!("platform_id = \"urn:li:organization:{}\"", page.id),
                );
            }
        }
        with_responsible(toml, 0)
    });
    assert!(app.sim.edit_profile(&pages[0].id, |profile| {
        profile.about = Some(INCOMPLETE_PROFILE.to_string());
        profile.description = Some(INCOMPLETE_PROFILE.to_string());
        profile.website = None;
    }));
    config::load(&app.config_path).expect("valid config")
}

/// On `platform`: the account whose profile lacks the terms and its
/// website is found and told once, naming exactly what is missing and
/// what the platform keeps out of reach; the complete one is not.
async fn an_incomplete_profile_is_found_and_told_once_on(platform: &str, display: &str) {
    let app = TestApp::start().await;
    let config = two_accounts_on(&app, platform);
    let pipeline = app.pipeline().await;
    let title = "grundläggande information saknas i profilen";

    let first = check_and_send(&app, &pipeline, &config).await;

    assert_eq!(
        accounts_found(&first.findings, Check::BasicInformation),
        ["konto-0"],
        "{platform}: {:?}",
        first.findings
    );
    let mails = check_mails(&app, title);
    assert_eq!(mails.len(), 1, "{platform}: {mails:?}");
    let mail = &mails[0];
    assert!(mail.subject.contains("Testkonto 0"), "{}", mail.subject);
    assert_eq!(mail.to, "ansvarig0@test.stockholm.se");
    assert_eq!(mail.cc, "slk@test.stockholm.se");
    let body = &mail.body;
    assert!(
        body.contains(
            "Villkor för att delta (t.ex. att inlägg kan bli allmänna handlingar) saknas"
        ),
        "{platform}: {body}"
    );
    if platform == "youtube" {
        assert!(
            body.contains("Länk till förvaltningens webbplats: kan inte kontrolleras på YouTube"),
            "the channel's links are not in the API: {body}"
        );
    } else {
        assert!(
            body.contains("Länk till förvaltningens webbplats saknas"),
            "{platform}: {body}"
        );
    }
    if platform != "facebook" {
        assert!(
            body.contains(&format!(
                "Kontaktuppgifter (e-post, telefon eller kontaktlänk): kan inte kontrolleras på {display}"
            )),
            "{platform}: {body}"
        );
    }
    for present in [
        "Vilken förvaltning som driver kontot saknas",
        "Att kontot är en del av Stockholms stad saknas",
        "Vad man kan förvänta sig av kontot saknas",
    ] {
        assert!(!body.contains(present), "{platform}: {present} in {body}");
    }

    // The next day it is still incomplete: no second e-mail.
    app.clock.advance(Duration::days(1));
    let again = check_and_send(&app, &pipeline, &config).await;
    assert_eq!(
        accounts_found(&again.findings, Check::BasicInformation),
        ["konto-0"]
    );
    assert_eq!(check_mails(&app, title).len(), 1, "{platform}: told once");
}

#[tokio::test]
async fn an_incomplete_facebook_profile_is_found_and_told_once() {
    an_incomplete_profile_is_found_and_told_once_on("facebook", "Facebook").await;
}

#[tokio::test]
async fn an_incomplete_instagram_profile_is_found_and_told_once() {
    an_incomplete_profile_is_found_and_told_once_on("instagram", "Instagram").await;
}

#[tokio::test]
async fn an_incomplete_x_profile_is_found_and_told_once() {
    an_incomplete_profile_is_found_and_told_once_on("x", "X").await;
}

#[tokio::test]
async fn an_incomplete_youtube_profile_is_found_and_told_once() {
    an_incomplete_profile_is_found_and_told_once_on("youtube", "YouTube").await;
}

#[tokio::test]
async fn an_incomplete_linkedin_profile_is_found_and_told_once() {
    an_incomplete_profile_is_found_and_told_once_on("linkedin", "LinkedIn").await;
}

#[tokio::test]
async fn a_profile_that_cannot_be_read_keeps_its_finding_and_one_completed_clears_it() {
    let app = TestApp::start().await;
    let config = two_accounts_on(&app, "facebook");
    let pipeline = app.pipeline().await;
    let title = "grundläggande information saknas i profilen";
    let open = || async {
        pipeline
            .store()
            .open_check_findings()
            .await
            .unwrap()
            .into_iter()
            .filter(|f| f.check_name == "basic_information")
            .map(|f| f.account_key)
            .collect::<Vec<_>>()
    };
    check_and_send(&app, &pipeline, &config).await;
    assert_eq!(open().await, ["konto-0"]);

    // The Page cannot be read the next day: not a finding about its
    // content, and the open finding stays as it was.
    let page = app.sim.pages()[0].id.clone();
    app.sim.inject_fault(&page, Fault::TokenExpired, None);
    app.clock.advance(Duration::days(1));
    let unread = check_and_send(&app, &pipeline, &config).await;
    assert!(accounts_found(&unread.findings, Check::BasicInformation).is_empty());
    assert_eq!(open().await, ["konto-0"], "kept while unknown");
    assert!(
        app.mail_texts().iter().any(|(subject, body)| {
            !subject.ends_with(title)
                && format!("{subject}{body}").contains("Testkonto 0")
                && body.contains("profile")
        }),
        "the failed read is told as a connector error"
    );

    // Readable again and still incomplete: the same finding, no new e-mail.
    app.sim.clear_faults();
    app.clock.advance(Duration::days(1));
    check_and_send(&app, &pipeline, &config).await;
    assert_eq!(check_mails(&app, title).len(), 1);

    // Completed: the finding clears.
    let complete = app.sim.profile(&app.sim.pages()[1].id).expect("a profile");
    app.sim.edit_profile(&page, |profile| *profile = complete);
    app.clock.advance(Duration::days(1));
    let fixed = check_and_send(&app, &pipeline, &config).await;
    assert!(accounts_found(&fixed.findings, Check::BasicInformation).is_empty());
    assert!(open().await.is_empty(), "cleared");
}

#[tokio::test]
async fn the_basic_information_finding_of_an_account_closed_since_is_closed_too() {
    let app = TestApp::start().await;
    let config = two_accounts_on(&app, "facebook");
    let pipeline = app.pipeline().await;
    check_and_send(&app, &pipeline, &config).await;
    let open = |store: &kommentarsvakt::store::Store| {
        let store = store.clone();
        async move {
            store
                .open_check_findings()
                .await
                .unwrap()
                .into_iter()
                .filter(|f| f.check_name == "basic_information")
                .count()
        }
    };
    assert_eq!(open(pipeline.store()).await, 1);

    app.write_config_with(|toml| {
        let toml = with_responsible(toml, 0);
        toml.replacen(
            "key = \"konto-0\"\n",
            "key = \"konto-0\"\nstatus = \"closed\"\nclosing_date = \"2026-11-23\"\n",
            1,
        )
    });
    let closed = config::load(&app.config_path).expect("valid config");
    // The service restarted on it: the closed account's profile is not read.
    pipeline.shutdown().await;
    drop(pipeline);
    let pipeline = app.pipeline().await;
    app.clock.advance(Duration::days(1));
    let after = check_and_send(&app, &pipeline, &closed).await;

    assert!(accounts_found(&after.findings, Check::BasicInformation).is_empty());
    assert_eq!(open(pipeline.store()).await, 0, "nothing stays open for it");
}

#[tokio::test]
async fn a_new_install_is_not_told_of_missed_runs_before_it_monitored_anything() {
    // Installed on Tuesday morning: nothing was monitored on Monday.
    let app = TestApp::start_at(sthlm(11, 24, 6)).await;
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let failing = app.sim.pages()[0].id.clone();
    app.sim.inject_fault(&failing, Fault::TokenExpired, None);

    let first_morning = checks::find(
        pipeline.store(),
        &config,
        &PlatformReads::default(),
        app.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        accounts_found(&first_morning, Check::NoSuccessfulRun),
        Vec::<&str>::new(),
        "no account is due for Monday"
    );

    // Tuesday is monitored; no run can read konto-0.
    for _ in 0..3 {
        let run = app.run_next_slot(&pipeline).await;
        assert_eq!(run.accounts_failed, 1, "{run:?}");
    }
    app.clock.set(sthlm(11, 25, 7));
    let next_morning = checks::find(
        pipeline.store(),
        &config,
        &PlatformReads::default(),
        app.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        accounts_found(&next_morning, Check::NoSuccessfulRun),
        ["konto-0"]
    );
}

#[tokio::test]
async fn the_half_year_report_goes_to_communications_and_each_department_once_in_its_week() {
    // Friday 29 January 2027: the report's week has not begun.
    let app = TestApp::start_at(sthlm_in(2027, 1, 29, 7)).await;
    app.write_config_with(|toml| {
        toml.replacen(
            "[[departments]]",
            "[report]\ncommunications_address = \"kommunikation@test.stockholm.se\"\n[[departments]]",
            1,
        )
    });
    let daemon = Daemon::new(app.pipeline().await, None);
    let reports = || {
        let mut reports: Vec<CheckMail> = parsed_mails(&app)
            .into_iter()
            .filter(|mail| mail.subject.starts_with("Halvårsrapport"))
            .collect();
        reports.sort_by(|a, b| a.to.cmp(&b.to));
        reports
    };

    daemon.run_daily_mail().await;
    assert!(reports().is_empty(), "not before February");

    // Monday 1 February: the first working week of February.
    app.clock.set(sthlm_in(2027, 2, 1, 7));
    daemon.run_daily_mail().await;

    let sent = reports();
    let addressed: Vec<(&str, &str)> = sent
        .iter()
        .map(|m| (m.to.as_str(), m.subject.as_str()))
        .collect();
    assert_eq!(
        addressed,
        [
            (
                "kommunikation@test.stockholm.se",
                "Halvårsrapport om konton i sociala medier 2026-07-01 – 2026-12-31 (hela staden)"
            ),
            (
                "slk@test.stockholm.se",
                "Halvårsrapport om konton i sociala medier 2026-07-01 – 2026-12-31 \
                 (Stadsledningskontoret)"
            ),
        ]
    );
    let raw = app.mails().join("\n");
    assert!(raw.contains("rapport-stad-2026-07-01-2026-12-31.html"));
    assert!(raw.contains("rapport-slk-2026-07-01-2026-12-31.csv"));
    if crate::support::browser::chromium_or_skip().is_some() {
        assert!(
            raw.contains("rapport-stad-2026-07-01-2026-12-31.pdf"),
            "the PDF goes along where Chromium is installed"
        );
    }

    // Tuesday: the same week, already sent.
    app.clock.set(sthlm_in(2027, 2, 2, 7));
    daemon.run_daily_mail().await;
    assert_eq!(reports().len(), 2, "sent once per period and recipient");
}

/// A stand-in for Chromium at `path` that notes each start in `calls` and
/// fails, as a browser that cannot start would: the report then goes
/// without its PDF, and the test can count the printings tried.
fn counting_chromium(path: &std::path::Path, calls: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let script = format!("#!/bin/sh\necho started >> '{}'\nexit 1\n", calls.display());
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[tokio::test]
async fn the_half_year_report_is_built_and_printed_only_on_the_first_morning_of_its_week() {
    // Monday 1 February 2027: the report is due.
    let app = TestApp::start_at(sthlm_in(2027, 2, 1, 7)).await;
    let chromium = app.dir.path().join("chromium");
    let calls = app.dir.path().join("chromium-starts");
    counting_chromium(&chromium, &calls);
    app.write_config_with(|toml| {
        toml.replacen(
            "[archive]\n",
            &format!("[archive]\nchromium_path = \"{}\"\n", chromium.display()),
            1,
        )
    });
    let config = config::load(&app.config_path).expect("valid config");
    let pipeline = app.pipeline().await;
    let printings = || {
        std::fs::read_to_string(&calls)
            .unwrap_or_default()
            .lines()
            .count()
    };

    let first = report::scheduled::send_if_due(pipeline.store(), &config, app.clock.now())
        .await
        .expect("the report is queued");
    assert_eq!(first, 1, "the department's report");
    let printed = printings();
    assert!(printed >= 1, "the report was printed to PDF");

    // Tuesday morning of the same week: already in the outbox.
    app.clock.set(sthlm_in(2027, 2, 2, 7));
    let second = report::scheduled::send_if_due(pipeline.store(), &config, app.clock.now())
        .await
        .expect("the outbox is asked");
    assert_eq!(second, 0, "nothing queued twice");
    assert_eq!(printings(), printed, "Chromium is not started again");
}

#[tokio::test]
async fn a_closing_account_is_monitored_through_its_day_then_exported_and_no_longer_polled() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| with_responsible(toml, 0));
    let daemon = Daemon::new(app.pipeline().await, None);
    let pipeline = daemon.pipeline();
    let closing_day = sthlm(11, 24, 12).date_naive();

    let date = pipeline
        .close_account("konto-0", Some(closing_day))
        .await
        .expect("the account is marked closing");
    pipeline
        .deliver_outbox(&mut RunSummary::default())
        .await
        .unwrap();

    assert_eq!(date, closing_day);
    let reminders = check_mails(&app, "publicera ett avslutande inlägg");
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    let reminder = &reminders[0];
    assert_eq!(reminder.to, "ansvarig0@test.stockholm.se");
    assert_eq!(reminder.cc, "slk@test.stockholm.se");
    assert!(
        reminder
            .body
            .contains("Det här kontot avslutas den 2026-11-24."),
        "{}",
        reminder.body
    );
    assert!(reminder.body.contains("Stadsledningskontoret"));

    // The closing day itself is monitored as usual.
    app.clock.set(sthlm(11, 24, 7));
    daemon.run_daily_checks().await;
    let on_the_day = app.run_next_slot(pipeline).await;
    assert_eq!(on_the_day.accounts_ok, 3, "{on_the_day:?}");
    let package = pipeline.closing_package_dir("konto-0", closing_day);
    assert!(!package.exists(), "not exported before the day has passed");

    // The morning after: exported, closed, no longer polled.
    app.clock.set(sthlm(11, 25, 7));
    daemon.run_daily_checks().await;
    assert!(package.join("METS.xml").is_file(), "{}", package.display());
    let after = app.run_next_slot(pipeline).await;
    assert_eq!(
        after.accounts_ok + after.accounts_failed + after.accounts_incomplete,
        2,
        "{after:?}"
    );
    let closed = pipeline.store().account_closings().await.unwrap();
    assert!(closed[0].closed_at.is_some());
    assert!(matches!(
        pipeline.close_account("konto-0", None).await,
        Err(ClosingError::AlreadyClosed(_))
    ));
}

async fn an_open_finding_keeps_its_day_until_closed_then_opens_anew(store: Store) {
    let monday = t0().date_naive();
    let day = |n: u64| monday + chrono::Days::new(n);
    let opened = store
        .open_check_finding("responsible", "stad", "saknas", day(0))
        .await
        .unwrap();
    let still = store
        .open_check_finding("responsible", "stad", "saknas", day(1))
        .await
        .unwrap();
    let other = store
        .open_check_finding("token_expiry", "stad", "snart", day(1))
        .await
        .unwrap();
    assert_eq!((opened, still, other), (day(0), day(0), day(1)));
    assert_eq!(store.open_check_findings().await.unwrap().len(), 2);

    store
        .close_check_finding("responsible", "stad", day(2))
        .await
        .unwrap();
    let back = store
        .open_check_finding("responsible", "stad", "saknas", day(3))
        .await
        .unwrap();
    assert_eq!(back, day(3), "a finding that came back is a new one");
}

async fn a_closing_can_be_moved_until_the_account_is_closed(store: Store) {
    let monday = t0().date_naive();
    let day = |n: u64| monday + chrono::Days::new(n);
    assert!(
        store
            .mark_account_closing("stad", day(7), t0())
            .await
            .unwrap()
    );
    assert!(
        store
            .mark_account_closing("stad", day(9), t0())
            .await
            .unwrap()
    );
    assert!(store.closed_accounts().await.unwrap().is_empty());
    let closings = store.account_closings().await.unwrap();
    assert_eq!(closings.len(), 1);
    assert_eq!(
        closings[0].closing_date,
        day(9),
        "the later date replaces the first"
    );

    store
        .mark_account_closed("stad", "/srv/exports/stad", t0())
        .await
        .unwrap();
    assert!(store.closed_accounts().await.unwrap().contains("stad"));
    assert!(
        !store
            .mark_account_closing("stad", day(20), t0())
            .await
            .unwrap(),
        "a closed account stays closed"
    );
    let closed = &store.account_closings().await.unwrap()[0];
    assert_eq!(closed.closing_date, day(9));
    assert_eq!(closed.package.as_deref(), Some("/srv/exports/stad"));
}

async fn the_findings_open_in_a_period_are_read_with_their_days(store: Store) {
    let monday = t0().date_naive();
    let day = |n: u64| monday + chrono::Days::new(n);
    record_findings(
        &store,
        "stad",
        &[
            ("token_expiry", day(0), Some(day(2))),
            ("responsible", day(1), Some(day(5))),
            ("low_publishing", day(4), None),
            ("no_successful_run", day(9), None),
        ],
    )
    .await;

    let during = store.check_findings_during(day(2), day(8)).await.unwrap();

    let read: Vec<(&str, _, _)> = during
        .iter()
        .map(|f| (f.check_name.as_str(), f.opened_on, f.closed_on))
        .collect();
    assert_eq!(
        read,
        [
            ("responsible", day(1), Some(day(5))),
            ("low_publishing", day(4), None),
        ],
        "cleared on the first day, or opened after the last, is not in it"
    );
}

async fn an_outbox_key_is_known_once_queued(store: Store) {
    let item = kommentarsvakt::store::NewOutboxItem {
        kind: "email".to_string(),
        idempotency_key: "report:2026-07-01:2026-12-31:stad:k@test".to_string(),
        payload: serde_json::json!({}),
    };
    assert!(!store.outbox_has(&item.idempotency_key).await.unwrap());
    store.enqueue(&item, t0()).await.unwrap();
    assert!(store.outbox_has(&item.idempotency_key).await.unwrap());
    assert!(!store.outbox_has("report:other").await.unwrap());
}

crate::support::db::store_contract!(
    an_open_finding_keeps_its_day_until_closed_then_opens_anew,
    a_closing_can_be_moved_until_the_account_is_closed,
    the_findings_open_in_a_period_are_read_with_their_days,
    an_outbox_key_is_known_once_queued,
);

/// Runs `kommentarsvakt COMMAND --config APP-CONFIG REST…`; whether it
/// succeeded, and what it printed.
fn kommentarsvakt(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .arg(args[0])
        .arg("--config")
        .arg(&app.config_path)
        .args(&args[1..])
        .output()
        .unwrap();
    crate::support::outcome_of(&out)
}

// The command reads the profiles from the simulator, which answers on
// another worker thread while this one waits for the command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_list_findings_without_sending_and_then_send_them_once() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| with_responsible(with_responsible(toml, 1), 2));
    let title = "ansvarig saknas i kontoregistret";

    let (ok, listed) = kommentarsvakt(&app, &["checks", "--dry-run"]);
    assert!(ok, "{listed}");
    assert!(
        listed.contains(&format!("konto-0: {title} (responsible)")),
        "{listed}"
    );
    assert!(!listed.contains("konto-1: ansvarig"), "{listed}");
    assert!(
        check_mails(&app, title).is_empty(),
        "a dry run sends nothing"
    );

    let (ok, sent) = kommentarsvakt(&app, &["checks"]);
    assert!(ok, "{sent}");
    assert_eq!(check_mails(&app, title).len(), 1, "{sent}");
    let (ok, again) = kommentarsvakt(&app, &["checks"]);
    assert!(ok, "{again}");
    assert!(again.contains("0 new finding(s)"), "{again}");
    assert_eq!(check_mails(&app, title).len(), 1);
}

// The command reads the profiles from the simulator, which answers on
// another worker thread while this one waits for the command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_listing_says_what_a_platform_keeps_from_being_checked() {
    let app = TestApp::start().await;
    app.write_config_with(|toml| app.on_platform(toml, 1, "instagram", None));
    let page = app.sim.pages()[1].id.clone();
    app.sim
        .edit_profile(&page, |profile| profile.website = None);

    let (ok, listed) = kommentarsvakt(&app, &["checks", "--dry-run"]);

    assert!(ok, "{listed}");
    assert!(
        listed.contains(
            "konto-1: Kontaktuppgifter (e-post, telefon eller kontaktlänk): kan inte \
             kontrolleras på Instagram"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("konto-1: grundläggande information saknas i profilen (basic_information)"),
        "{listed}"
    );
    assert!(
        !listed.contains("konto-0: grundläggande"),
        "a complete Page passes: {listed}"
    );
}

/// Runs `kommentarsvakt COMMAND --config APP-CONFIG REST…` from a shell
/// without the variable `token` that the accounts' token is read from.
fn kommentarsvakt_without(app: &TestApp, token: &str, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .arg(args[0])
        .arg("--config")
        .arg(&app.config_path)
        .args(&args[1..])
        .env("KOMMENTARSVAKT_LOG", "off")
        .env_remove(token)
        .output()
        .unwrap();
    crate::support::outcome_of(&out)
}

#[tokio::test]
async fn a_dry_run_from_a_shell_without_the_tokens_skips_the_profiles_and_runs_every_other_check() {
    const TOKEN: &str = "KOMMENTARSVAKT_TEST_CHECKS_TOKEN";
    let app = TestApp::start().await;
    // The service has run on this database.
    app.pipeline().await.shutdown().await;
    let d = app.dir.path().display().to_string();
    app.write_config_with(|toml| {
        with_responsible(with_responsible(toml, 1), 2).replace(
            &format!("token_file = \"{d}/token\""),
            &format!("token_env = \"{TOKEN}\""),
        )
    });
    let title = "ansvarig saknas i kontoregistret";

    let (ok, listed) = kommentarsvakt_without(&app, TOKEN, &["checks", "--dry-run"]);

    assert!(ok, "{listed}");
    assert!(
        listed.contains("secrets are not readable in this shell"),
        "{listed}"
    );
    for account in ["konto-0", "konto-1", "konto-2"] {
        assert!(
            listed.contains(&format!(
                "{account}: profile not read (no token in this shell); its basic information \
                 is not checked"
            )),
            "{listed}"
        );
    }
    assert!(
        listed.contains(&format!("konto-0: {title} (responsible)")),
        "the register is still checked: {listed}"
    );
    assert!(!listed.contains("konto-1: ansvarig"), "{listed}");
    assert!(
        check_mails(&app, title).is_empty(),
        "a dry run sends nothing"
    );

    // Sending the findings needs the secrets, and says which one is missing.
    let (ok, refused) = kommentarsvakt_without(&app, TOKEN, &["checks"]);
    assert!(!ok, "{refused}");
    assert!(
        refused.contains("`checks` queues e-mail")
            && refused.contains(&format!("environment variable {TOKEN} is not set")),
        "{refused}"
    );
    assert!(check_mails(&app, title).is_empty());
}

#[tokio::test]
async fn an_operator_closes_an_account_from_the_command_line() {
    let app = TestApp::start().await;

    let (ok, refused) = kommentarsvakt(
        &app,
        &["accounts", "close", "konto-1", "--date", "2001-01-01"],
    );
    assert!(!ok, "a day in the past is refused: {refused}");
    assert!(refused.contains("has passed"), "{refused}");
    let (ok, unknown) = kommentarsvakt(&app, &["accounts", "close", "finns-inte"]);
    assert!(
        !ok && unknown.contains("no account with key \"finns-inte\""),
        "{unknown}"
    );

    let (ok, closing) = kommentarsvakt(
        &app,
        &["accounts", "close", "konto-1", "--date", "2099-06-30"],
    );
    assert!(ok, "{closing}");
    assert!(
        closing.contains("monitored until the end of 2099-06-30"),
        "{closing}"
    );
    let reminders = check_mails(&app, "publicera ett avslutande inlägg");
    assert_eq!(reminders.len(), 1);
    assert!(
        reminders[0]
            .subject
            .contains("Testkonto 1 avslutas 2099-06-30")
    );
    assert_eq!(reminders[0].to, "moderator1@test.stockholm.se");
}
