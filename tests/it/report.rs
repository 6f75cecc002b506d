//! The February/September report: the store's reading of a period (own
//! posts, comments received, review times) on both back ends; the proof of
//! oversight against the poll-run log; and the demo's report as the
//! communications unit gets it — CSV from the command line, HTML opened in
//! headless Chromium (and photographed for the README by hand).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kommentarsvakt::domain::{FetchedPost, ModerationAction};
use kommentarsvakt::report::{self, Period};
use kommentarsvakt::store::{
    DecisionRecord, Followups, NewModeratorDecision, NewVersion, RunTrigger, Store,
};
use serde_json::value::RawValue;

use crate::support::fixtures::{account, comment, read_successfully, record_findings, t0};

/// One of the account's own posts as a connector lists it.
pub(crate) fn post(id: &str, created_at: DateTime<Utc>) -> FetchedPost {
    FetchedPost {
        platform_id: id.to_string(),
        text: Some("Veckans nyheter".to_string()),
        created_at,
        permalink: None,
        raw: RawValue::from_string(format!(r#"{{"id":"{id}"}}"#)).unwrap(),
    }
}

async fn own_posts_are_read_per_period_with_their_account(store: Store) {
    let stad = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let bad = store.upsert_account(&account("bad"), t0()).await.unwrap();
    store
        .upsert_post(stad, &post("100_1", t0() - Duration::days(8)), t0())
        .await
        .unwrap();
    store
        .upsert_post(stad, &post("100_2", t0() + Duration::hours(1)), t0())
        .await
        .unwrap();
    // Listed again in the next run: still one post.
    store
        .upsert_post(stad, &post("100_2", t0() + Duration::hours(1)), t0())
        .await
        .unwrap();
    store
        .upsert_post(bad, &post("200_1", t0() + Duration::days(2)), t0())
        .await
        .unwrap();
    let posts = store
        .own_posts(t0() - Duration::days(1), t0() + Duration::days(7))
        .await
        .unwrap();
    let seen: Vec<(&str, &str, DateTime<Utc>)> = posts
        .iter()
        .map(|p| {
            (
                p.account_key.as_str(),
                p.platform_post_id.as_str(),
                p.created_at,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("stad", "100_2", t0() + Duration::hours(1)),
            ("bad", "200_1", t0() + Duration::days(2)),
        ]
    );
}

async fn comments_received_count_each_comment_once_and_not_the_accounts_own(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let versions = [
        (comment("100_1_1", "Första", 10), false),
        (comment("100_1_1", "Första, redigerad", 10), false),
        (comment("100_1_2", "Svar från staden", 20), true),
        (comment("100_1_3", "Andra", 30), false),
        (comment("100_1_4", "Utanför perioden", 60 * 24 * 9), false),
    ];
    for (version, own) in &versions {
        store
            .insert_comment_version(acc, version, *own, None, t0())
            .await
            .unwrap();
    }
    let received = store
        .comments_received(t0(), t0() + Duration::days(7))
        .await
        .unwrap();
    let times: Vec<DateTime<Utc>> = received.iter().map(|c| c.created_at).collect();
    assert_eq!(
        times,
        [t0() + Duration::minutes(10), t0() + Duration::minutes(30)]
    );
    assert!(received.iter().all(|c| c.account_key == "stad"));
}

async fn review_timings_pair_each_review_with_the_first_decision(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let mut ids = Vec::new();
    for (id, minutes) in [("100_1_1", 0), ("100_1_2", 5)] {
        let NewVersion::Added(row) = store
            .insert_comment_version(acc, &comment(id, "Granska mig", minutes), false, None, t0())
            .await
            .unwrap()
        else {
            panic!("not added")
        };
        let decision = DecisionRecord {
            comment_id: row,
            findings: &[],
            action: ModerationAction::Review,
            record_path: "records/x.json",
            record_sha256: "ab",
            decided_at: t0() + Duration::minutes(minutes),
            run_id: None,
            language: None,
        };
        store
            .record_decision(&decision, &Followups::default())
            .await
            .unwrap();
        ids.push(row);
    }
    for (round, hours) in [(0, 3), (1, 5)] {
        store
            .record_moderator_decision(&NewModeratorDecision {
                comment_id: ids[0],
                round,
                decision: "no_action",
                note: None,
                decided_by: "moderator@example.se",
                decided_at: t0() + Duration::hours(hours),
                record_path: None,
            })
            .await
            .unwrap();
    }
    let timings = store
        .review_timings(t0(), t0() + Duration::days(1))
        .await
        .unwrap();
    let seen: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> =
        timings.iter().map(|t| (t.sent_at, t.decided_at)).collect();
    assert_eq!(
        seen,
        [
            (t0(), Some(t0() + Duration::hours(3))),
            (t0() + Duration::minutes(5), None),
        ],
        "the first decision counts; an undecided review waits"
    );
}

/// UTC on a day of 2026 or 2027.
fn utc(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .unwrap()
}

/// Buckets `times` of the account `key` into `grid`'s Stockholm weeks the
/// way a reader of the rows would: the figures the SQL counts must equal.
fn bucketed<'a>(
    grid: &[NaiveDate],
    rows: impl Iterator<Item = (&'a str, DateTime<Utc>)>,
    key: &str,
) -> Vec<usize> {
    let mut counts = vec![0; grid.len()];
    for (_, at) in rows.filter(|(k, _)| *k == key) {
        let day = at.with_timezone(&chrono_tz::Europe::Stockholm).date_naive();
        let week = grid.iter().rposition(|monday| *monday <= day).unwrap();
        counts[week] += 1;
    }
    counts
}

async fn posts_and_comments_are_counted_per_stockholm_week_by_the_database(store: Store) {
    let stad = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let bad = store.upsert_account(&account("bad"), t0()).await.unwrap();
    // Wednesday 30 December 2026 to Sunday 17 January 2027: the first week
    // (ISO week 53 of 2026) ends in 2027 and is cut by the period's start.
    let period = Period::new(
        NaiveDate::from_ymd_opt(2026, 12, 30).unwrap(),
        NaiveDate::from_ymd_opt(2027, 1, 17).unwrap(),
    )
    .unwrap();
    let tz = chrono_tz::Europe::Stockholm;
    let posts = [
        (stad, "before", utc(2026, 12, 29, 22, 30)), // Tuesday 23:30 in Stockholm
        (stad, "newyear", utc(2026, 12, 31, 12, 0)),
        (stad, "sunday-late", utc(2027, 1, 3, 22, 59)), // Sunday 23:59
        (stad, "monday-early", utc(2027, 1, 3, 23, 30)), // Monday 00:30
        (stad, "last", utc(2027, 1, 17, 22, 59)),
        (stad, "after", utc(2027, 1, 17, 23, 0)), // Monday 18 January
        (bad, "bad", utc(2027, 1, 5, 10, 0)),
    ];
    for (account_id, id, at) in posts {
        store
            .upsert_post(account_id, &post(id, at), t0())
            .await
            .unwrap();
    }
    let comments = [
        ("c1", "Hej", utc(2027, 1, 5, 8, 0), false),
        ("c1", "Hej, redigerad", utc(2027, 1, 5, 8, 0), false),
        ("c2", "Svar från staden", utc(2027, 1, 5, 9, 0), true),
        ("c3", "Söndag kväll", utc(2027, 1, 10, 23, 30), false), // Monday 11th
        ("c4", "Före perioden", utc(2026, 12, 29, 12, 0), false),
    ];
    for (id, text, at, own) in comments {
        let mut version = comment(id, text, 0);
        version.created_at = at;
        store
            .insert_comment_version(stad, &version, own, None, t0())
            .await
            .unwrap();
    }

    let grid = report::activity::weeks(period.first_day, period.last_day);
    let bounds = report::activity::week_bounds(&grid, period.start(tz), period.end(tz), tz);
    let posts = store.own_posts_per_week(&bounds).await.unwrap();
    let received = store.comments_received_per_week(&bounds).await.unwrap();
    assert_eq!(posts["stad"], [2, 1, 1]);
    assert_eq!(posts["bad"], [0, 1, 0]);
    assert_eq!(received["stad"], [0, 1, 1]);
    assert!(!received.contains_key("bad"), "no comments, no row");

    // The same figures as the rows the report used to count itself.
    let rows = store
        .own_posts(period.start(tz), period.end(tz))
        .await
        .unwrap();
    let comment_rows = store
        .comments_received(period.start(tz), period.end(tz))
        .await
        .unwrap();
    for key in ["stad", "bad"] {
        let from_rows = bucketed(
            &grid,
            rows.iter().map(|p| (p.account_key.as_str(), p.created_at)),
            key,
        );
        assert_eq!(posts[key], from_rows, "{key}");
    }
    assert_eq!(
        received["stad"],
        bucketed(
            &grid,
            comment_rows
                .iter()
                .map(|c| (c.account_key.as_str(), c.created_at)),
            "stad"
        )
    );
}

crate::support::db::store_contract!(
    posts_and_comments_are_counted_per_stockholm_week_by_the_database,
    own_posts_are_read_per_period_with_their_account,
    comments_received_count_each_comment_once_and_not_the_accounts_own,
    review_timings_pair_each_review_with_the_first_decision,
);

/// Stockholm local time on a day of February 2027 (UTC+1).
fn local(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 2, day, hour - 1, minute, 0)
        .single()
        .unwrap()
}

/// A configuration with the default slots (08:30, 12:00, 15:30 on working
/// days), a 10-minute crisis interval and two accounts, `stad` and `bad`,
/// on `dir`.
fn config_in(dir: &std::path::Path) -> kommentarsvakt::config::Config {
    config_in_with(dir, |text| text)
}

/// [`config_in`] with its text edited by `edit`.
fn config_in_with(
    dir: &std::path::Path,
    edit: impl FnOnce(String) -> String,
) -> kommentarsvakt::config::Config {
    std::fs::write(dir.join("token"), "t").unwrap();
    let text = format!(
        r#"
[database]
url = "sqlite://{d}/kv.db"
[archive]
dir = "{d}/archive"
[crisis]
interval = "10m"
[mail]
from = "kommentarsvakt@stockholm.se"
transport = "folder"
folder = "{d}/mail"
[[departments]]
key = "slk"
name = "Stadsledningskontoret"
[[accounts]]
key = "stad"
platform = "facebook"
platform_id = "100"
name = "Stockholms stad"
department = "slk"
moderators = ["moderator@stockholm.se"]
purpose = "Informera"
token_file = "{d}/token"
[[accounts]]
key = "bad"
platform = "facebook"
platform_id = "200"
name = "Badhusen"
department = "slk"
moderators = ["bad@stockholm.se"]
purpose = "Öppettider"
token_file = "{d}/token"
"#,
        d = dir.display()
    );
    kommentarsvakt::config::load_str(&edit(text), "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// Records one finished run as the pipeline does; its id.
async fn logged_run(
    store: &Store,
    trigger: RunTrigger,
    slot: Option<DateTime<Utc>>,
    started: DateTime<Utc>,
    status: &str,
) -> i64 {
    let crisis = trigger == RunTrigger::Crisis;
    let id = store
        .begin_run(trigger, slot, crisis, started)
        .await
        .unwrap();
    store
        .finish_run(id, status, started + Duration::minutes(2))
        .await
        .unwrap();
    id
}

/// One row of the HTML page's oversight table: the run it names (its
/// `data-run`) and its cells' text.
fn oversight_rows(html: &str) -> Vec<(Option<i64>, Vec<String>)> {
    let table = html
        .split("<table id=\"bevakning\">")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .expect("the page has the oversight table");
    let body = table.split("<tbody>").nth(1).expect("a table body");
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let run = row
                .split("data-run=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(|id| id.parse().unwrap());
            let cells = row
                .split("<td")
                .skip(1)
                .map(|cell| {
                    let text = cell.split_once('>').map_or("", |(_, rest)| rest);
                    text.split("</td>").next().unwrap_or("").to_string()
                })
                .collect();
            (run, cells)
        })
        .collect()
}

#[tokio::test]
async fn the_oversight_table_matches_the_poll_run_log_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path());
    let store = Store::connect(&config.database_url).await.unwrap();
    store
        .upsert_account(&config.accounts[0], local(1, 8, 0))
        .await
        .unwrap();
    let friday = Utc
        .with_ymd_and_hms(2027, 1, 29, 14, 30, 0)
        .single()
        .unwrap();
    let log = [
        // Friday before the period: not in the table.
        (RunTrigger::Slot, Some(friday), friday, "completed"),
        (
            RunTrigger::Slot,
            Some(local(1, 8, 30)),
            local(1, 8, 30),
            "completed",
        ),
        (
            RunTrigger::Slot,
            Some(local(1, 12, 0)),
            local(1, 12, 2),
            "partial",
        ),
        // The service was down at 15:30 and ran the slot when it came back.
        (
            RunTrigger::CatchUp,
            Some(local(1, 15, 30)),
            local(1, 16, 5),
            "completed",
        ),
        // Tuesday 08:30 is missed; crisis mode starts at 10:00.
        (RunTrigger::Crisis, None, local(2, 10, 0), "completed"),
        (RunTrigger::Crisis, None, local(2, 11, 55), "completed"),
        (
            RunTrigger::Slot,
            Some(local(2, 15, 30)),
            local(2, 15, 30),
            "completed",
        ),
        // A run by hand after the period is in the log but covers no slot.
        (RunTrigger::Manual, None, local(3, 9, 0), "completed"),
    ];
    let mut ids = Vec::new();
    for (trigger, slot, started, status) in log {
        ids.push(logged_run(&store, trigger, slot, started, status).await);
    }
    let [
        _,
        on_time,
        partial,
        caught_up,
        first_crisis,
        covering_crisis,
        last,
        _,
    ] = ids[..]
    else {
        panic!("eight runs")
    };

    let period = Period::new(
        NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
        NaiveDate::from_ymd_opt(2027, 2, 2).unwrap(),
    )
    .unwrap();
    let built = report::build(&store, &config, period, None, local(3, 10, 0))
        .await
        .unwrap();
    let html = report::html::render(&built).unwrap();
    let rows = oversight_rows(&html);
    let expected: Vec<(Option<i64>, [&str; 5])> = vec![
        (
            Some(on_time),
            [
                "2027-02-01 08:30",
                "i tid",
                "#",
                "2027-02-01 08:30",
                "genomförd",
            ],
        ),
        (
            Some(partial),
            [
                "2027-02-01 12:00",
                "i tid",
                "#",
                "2027-02-01 12:02",
                "delvis (något konto misslyckades)",
            ],
        ),
        (
            Some(caught_up),
            [
                "2027-02-01 15:30",
                "ikappkörd vid start",
                "#",
                "2027-02-01 16:05",
                "genomförd",
            ],
        ),
        (
            Some(first_crisis),
            [
                "2027-02-02 08:30",
                "missad, hämtad i efterföljande körning",
                "#",
                "2027-02-02 10:00",
                "genomförd",
            ],
        ),
        (
            Some(covering_crisis),
            [
                "2027-02-02 12:00",
                "krisläge",
                "#",
                "2027-02-02 11:55",
                "genomförd",
            ],
        ),
        (
            Some(last),
            [
                "2027-02-02 15:30",
                "i tid",
                "#",
                "2027-02-02 15:30",
                "genomförd",
            ],
        ),
    ];
    assert_eq!(
        rows.len(),
        expected.len(),
        "one row per required slot: {rows:?}"
    );
    for ((run, cells), (expected_run, expected_cells)) in rows.iter().zip(&expected) {
        assert_eq!(run, expected_run, "{cells:?}");
        let mut want: Vec<String> = expected_cells.iter().map(|c| c.to_string()).collect();
        want[2] = format!("#{}", expected_run.unwrap());
        assert_eq!(cells, &want);
    }

    // And read the other way: every run of the log stamped with a slot of
    // the period is in the table at that slot, and no other run is.
    let log = store
        .runs_since(period.start(built.timezone))
        .await
        .unwrap();
    let end = period.end(built.timezone);
    for run in log.iter().filter(|r| r.slot_at.is_some_and(|s| s < end)) {
        let slot = run.slot_at.unwrap();
        let row = built
            .oversight
            .slots
            .iter()
            .find(|row| row.slot == slot)
            .unwrap_or_else(|| panic!("run {} serves slot {slot}, which has no row", run.id));
        assert_eq!(row.coverage.run().map(|r| r.id), Some(run.id));
    }
    assert_eq!(built.oversight.missed(), 1);
    let periods = &built.oversight.crisis_periods;
    assert_eq!(periods.len(), 1);
    assert_eq!(
        (periods[0].first_run, periods[0].last_run, periods[0].runs),
        (local(2, 10, 0), local(2, 11, 55), 2)
    );
    assert!(html.contains("<table id=\"krisperioder\">"));

    // Made before the period ends, the slots still ahead are not due.
    let early = report::build(&store, &config, period, None, local(2, 12, 30))
        .await
        .unwrap();
    let last_due = early.oversight.slots.last().map(|row| row.slot);
    assert_eq!(early.oversight.slots.len(), 5);
    assert_eq!(last_due, Some(local(2, 12, 0)));
}

/// The HTML page's section of the account `key`.
fn account_section<'a>(html: &'a str, key: &str) -> &'a str {
    let start = html
        .find(&format!("aria-labelledby=\"konto-{key}\""))
        .unwrap_or_else(|| panic!("a section for {key}"));
    let section = &html[start..];
    &section[..section.find("</section>").expect("the section ends")]
}

#[tokio::test]
async fn the_report_lists_the_daily_checks_findings_per_account_in_html_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    // Badhusen is on Instagram, whose API hides a profile's contact buttons.
    let config = config_in_with(dir.path(), |text| {
        text.replace(
            "platform = \"facebook\"\nplatform_id = \"200\"",
            "platform = \"instagram\"\nplatform_id = \"200\"",
        )
    });
    let store = Store::connect(&config.database_url).await.unwrap();
    let day = |month, day| NaiveDate::from_ymd_opt(2027, month, day).unwrap();
    // Stockholms stad: publishing too little since 1 February, still so;
    // no responsible person from 20 January until it was named on 3
    // February; a token that ended in January and was renewed then.
    record_findings(
        &store,
        "stad",
        &[
            ("token_expiry", day(1, 5), Some(day(1, 12))),
            ("responsible", day(1, 20), Some(day(2, 3))),
            ("low_publishing", day(2, 1), None),
        ],
    )
    .await;
    let period = Period::new(day(2, 1), day(2, 14)).unwrap();

    let built = report::build(&store, &config, period, None, local(15, 9, 0))
        .await
        .unwrap();

    let html = report::html::render(&built).unwrap();
    let stad = account_section(&html, "stad");
    assert!(stad.contains("Dagliga kontroller"), "{stad}");
    assert!(
        stad.contains("<td>för få inlägg två veckor i rad</td><td class=\"datum\">2027-02-01</td><td>kvarstår</td>"),
        "{stad}"
    );
    assert!(
        stad.contains("<td>ansvarig saknas i kontoregistret</td><td class=\"datum\">2027-01-20</td><td>åtgärdad 2027-02-03</td>"),
        "{stad}"
    );
    assert!(
        !stad.contains("åtkomst"),
        "a finding cleared before the period is not reported: {stad}"
    );
    let bad = account_section(&html, "bad");
    assert!(bad.contains("Inga anmärkningar"), "{bad}");
    assert!(
        html.contains("Kontaktuppgifter (e-post, telefon eller kontaktlänk): kan inte kontrolleras på Instagram"),
        "the Instagram note"
    );

    let csv_text = report::csv::render(&built).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let field = |key: &str, name: &str| {
        let at = header.iter().position(|h| h == name).unwrap();
        let row = rows.iter().find(|r| &r[1] == key).unwrap();
        row[at].to_string()
    };
    assert_eq!(
        field("stad", "dagliga kontroller"),
        "ansvarig saknas i kontoregistret (sedan 2027-01-20, åtgärdad 2027-02-03) | \
         för få inlägg två veckor i rad (sedan 2027-02-01, kvarstår)"
    );
    assert_eq!(field("bad", "dagliga kontroller"), "Inga anmärkningar");
    assert_eq!(
        field("stad", "kan inte kontrolleras"),
        "",
        "Facebook shows all"
    );
    assert!(
        field("bad", "kan inte kontrolleras").contains("kan inte kontrolleras på Instagram"),
        "{}",
        field("bad", "kan inte kontrolleras")
    );
}

/// Runs `kommentarsvakt demo` into `data` (`cycles` slots on simulated
/// time).
fn run_demo(data: &std::path::Path, cycles: usize) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["demo", "--cycles", &cycles.to_string(), "--data"])
        .arg(data)
        .env("KOMMENTARSVAKT_LOG", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("rapport.html"),
        "the demo names its report: {stdout}"
    );
}

/// The demo's configuration as a file, on the demo's data folder.
fn demo_config_file(data: &std::path::Path) -> std::path::PathBuf {
    demo_config_file_with(data, |text| text)
}

/// [`demo_config_file`] edited by `edit`.
fn demo_config_file_with(
    data: &std::path::Path,
    edit: impl FnOnce(String) -> String,
) -> std::path::PathBuf {
    let text =
        kommentarsvakt::demo::DEMO_CONFIG.replace("demo-data/", &format!("{}/", data.display()));
    let path = data.join("demo.toml");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

/// The demo's configuration with Chromium at `chromium`.
fn demo_config_with_chromium(
    data: &std::path::Path,
    chromium: &std::path::Path,
) -> std::path::PathBuf {
    demo_config_file_with(data, |text| {
        text.replacen(
            "[archive]\n",
            &format!("[archive]\nchromium_path = \"{}\"\n", chromium.display()),
            1,
        )
    })
}

/// `kommentarsvakt report --format pdf` for the last 30 days into `out`.
fn report_pdf(config: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    let today = Utc::now().date_naive();
    let from = today - Duration::days(30);
    std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["report", "--format", "pdf", "--from", &from.to_string()])
        .args(["--to", &today.to_string(), "--config"])
        .arg(config)
        .arg("--output")
        .arg(out)
        .env("KOMMENTARSVAKT_LOG", "off")
        .output()
        .unwrap()
}

#[test]
fn without_chromium_a_pdf_report_names_what_to_install_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    run_demo(data.path(), 1);
    let config = demo_config_with_chromium(data.path(), &data.path().join("no-chromium-here"));
    let out = data.path().join("rapport.pdf");

    let run = report_pdf(&config, &out);

    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("apt install chromium"), "{stderr}");
    assert!(stderr.contains("no-chromium-here"), "{stderr}");
    assert!(!out.exists(), "no empty or partial file");
}

#[tokio::test]
async fn the_report_command_writes_a_departments_csv_with_the_stores_figures() {
    let data = tempfile::tempdir().unwrap();
    run_demo(data.path(), 6);
    let config = demo_config_file(data.path());
    let today = Utc::now().date_naive();
    let from = today - Duration::days(30);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args([
            "report",
            "--format",
            "csv",
            "--department",
            "kulturforvaltningen",
        ])
        .args([
            "--from",
            &from.to_string(),
            "--to",
            &today.to_string(),
            "--config",
        ])
        .arg(&config)
        .env("KOMMENTARSVAKT_LOG", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, report::csv::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "only the department's account");
    let field = |name: &str| {
        let at = header.iter().position(|h| h == name).unwrap();
        rows[0][at].to_string()
    };
    assert_eq!(field("konto"), "demo-kulturhuset");
    assert_eq!(field("förvaltning"), "Kulturförvaltningen");
    assert_eq!(field("ansvarig"), "Karin Karlsson");
    assert_eq!(field("lista"), "befintligt");
    assert!(field("inlägg per vecka").contains(','), "a decimal comma");

    let store = Store::connect(&format!(
        "sqlite://{}/kommentarsvakt.db",
        data.path().display()
    ))
    .await
    .unwrap();
    let tz = chrono_tz::Europe::Stockholm;
    let period = Period::new(from, today).unwrap();
    let received = store
        .comments_received(period.start(tz), period.end(tz))
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.account_key == "demo-kulturhuset")
        .count();
    assert!(received > 0, "the simulator wrote comments on the account");
    assert_eq!(field("kommentarer"), received.to_string());

    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args([
            "report",
            "--department",
            "nej",
            "--from",
            "2027-02-01",
            "--to",
            "2027-02-02",
        ])
        .arg("--config")
        .arg(&config)
        .env("KOMMENTARSVAKT_LOG", "off")
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("\"nej\" is not a configured department")
    );
}

mod browser {
    use crate::support::browser::{Chromium, axe_or_skip, chromium_or_skip};

    /// Where the README's picture of the report is kept.
    const SCREENSHOT: &str = "docs/report/rapport.png";

    #[tokio::test]
    async fn the_demos_report_renders_in_chromium_with_charts_and_tables() {
        let Some(chromium) = chromium_or_skip() else {
            return;
        };
        let data = tempfile::tempdir().unwrap();
        super::run_demo(data.path(), 6);
        let browser = Chromium::launch(&chromium).await;
        let tab = browser
            .tab(&format!("file://{}", data.path().display()), 1280)
            .await;
        tab.open("/rapport.html").await;
        let title: String = tab.eval("document.title").await;
        assert!(
            title.starts_with("Rapport om konton i sociala medier"),
            "{title}"
        );
        // One overview chart and two per account, each drawn with a size.
        let charts: usize = tab
            .eval("[...document.querySelectorAll('figure svg')].filter(s => s.getBoundingClientRect().width > 300 && s.getBoundingClientRect().height > 100).length")
            .await;
        assert_eq!(charts, 1 + 2 * 5);
        let register_rows: usize = tab
            .eval("document.querySelectorAll('section[aria-labelledby=register] tbody tr').length")
            .await;
        assert_eq!(register_rows, 5);
        let slots: usize = tab
            .eval("document.querySelectorAll('#bevakning tbody tr').length")
            .await;
        let missed: usize = tab
            .eval("document.querySelectorAll('#bevakning tbody tr.missad').length")
            .await;
        assert_eq!(
            (slots, missed),
            (6, 0),
            "the demo ran every slot of its days"
        );
        let overflow: bool = tab
            .eval("document.documentElement.scrollWidth > window.innerWidth")
            .await;
        assert!(!overflow, "the page fits its window");
        let text = tab.text().await;
        assert!(text.contains("Befintliga konton (5)"), "{text}");
        assert!(text.contains("6 av 6"), "every slot covered: {text}");
        if let Some(axe) = axe_or_skip() {
            let violations = tab.axe_violations(&axe).await;
            assert!(violations.is_empty(), "{violations:#?}");
        }
    }

    #[tokio::test]
    async fn the_demos_report_prints_to_an_a4_pdf_with_its_swedish_title() {
        let Some(chromium) = chromium_or_skip() else {
            return;
        };
        let data = tempfile::tempdir().unwrap();
        super::run_demo(data.path(), 6);
        let config = super::demo_config_with_chromium(data.path(), &chromium);
        let out = data.path().join("rapport.pdf");

        let run = super::report_pdf(&config, &out);

        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        let pdf = lopdf::Document::load_mem(&bytes).expect("a PDF a reader opens");
        let pages = pdf.get_pages();
        assert!(pages.len() > 1, "the whole report, {} pages", pages.len());
        let first = pages[&1];
        let media_box = pdf
            .get_dictionary(first)
            .and_then(|page| page.get(b"MediaBox"))
            .and_then(lopdf::Object::as_array)
            .expect("the page's size");
        let size: Vec<f32> = media_box
            .iter()
            .map(|n| n.as_float().expect("a number"))
            .collect();
        // A4 is 595 × 842 points.
        assert!(
            (size[2] - 595.0).abs() < 2.0 && (size[3] - 842.0).abs() < 2.0,
            "{size:?}"
        );
        let text = pdf.extract_text(&[1]).expect("the first page's text");
        assert!(
            text.contains("Rapport om konton i sociala medier"),
            "{text}"
        );
        let count = pages.len();
        let whole: String = (1..=count).map(|n| as_read(&pdf, n)).collect();
        assert!(
            whole.contains("Dagliga kontroller") && whole.contains("Det som inte kan kontrolleras"),
            "the daily checks are printed too"
        );
        for number in 1..=count {
            let seen = as_read(&pdf, number);
            assert!(
                seen.contains(&format!("Sida {number} av {count}")),
                "page {number} is numbered in its footer: {seen}"
            );
        }
    }

    /// The text of page `number` as a reader reads it: lopdf ends every
    /// text object with a line break, and Chromium draws the footer's page
    /// number and page count as text objects of their own ("Sida \n3\n av
    /// \n11"), so runs of white space count as one space.
    fn as_read(pdf: &lopdf::Document, number: usize) -> String {
        let number = u32::try_from(number).expect("a page number");
        let text = pdf.extract_text(&[number]).expect("the page's text");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Writes the README's picture of the report:
    /// `cargo test --test it report_screenshot -- --ignored`.
    #[tokio::test]
    #[ignore = "writes docs/report/rapport.png; run by hand after changing the report"]
    async fn report_screenshot() {
        let Some(chromium) = chromium_or_skip() else {
            return;
        };
        let data = tempfile::tempdir().unwrap();
        super::run_demo(data.path(), 45);
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCREENSHOT);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let browser = Chromium::launch(&chromium).await;
        let tab = browser
            .tab(&format!("file://{}", data.path().display()), 1100)
            .await;
        tab.open("/rapport.html").await;
        tab.screenshot(&out, 1100, 2400).await;
    }
}

/// The Monday of `week` of four ordinary weeks, 2026-11-02 … 2026-11-29.
fn november_week(week: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap() + chrono::Days::new(7 * week)
}

/// A successful reading of `account` on Sunday 1 November: the service
/// watched all four November weeks, so they are judged.
async fn watched_before_november(store: &Store, account: &kommentarsvakt::config::AccountConfig) {
    let sunday = november_week(0) - chrono::Days::new(1);
    read_successfully(
        store,
        account,
        sunday.and_hms_opt(9, 0, 0).unwrap().and_utc(),
    )
    .await;
}

/// The report of those four weeks, and each account's weeks below the
/// publishing rhythm in it.
async fn low_publishing_in_november(
    store: &Store,
    config: &kommentarsvakt::config::Config,
) -> (report::Report, Vec<(String, Vec<NaiveDate>)>) {
    let november = Period::new(november_week(0), november_week(3) + chrono::Days::new(6)).unwrap();
    let built = report::build(store, config, november, None, t0())
        .await
        .unwrap();
    let low = built
        .accounts
        .iter()
        .map(|a| (a.key.clone(), a.low_publishing.clone()))
        .collect();
    (built, low)
}

#[tokio::test]
async fn weeks_before_the_service_first_read_an_account_are_not_held_to_the_rhythm() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path());
    let store = Store::connect(&config.database_url).await.unwrap();
    // Nothing posted all November; Badhusen first read on Sunday 15
    // November, so only the weeks of 16 and 23 November are judged.
    let stad = &config.accounts[0];
    let bad = &config.accounts[1];
    store.upsert_account(stad, t0()).await.unwrap();
    let first_read = november_week(2) - chrono::Days::new(1);
    read_successfully(
        &store,
        bad,
        first_read.and_hms_opt(9, 0, 0).unwrap().and_utc(),
    )
    .await;
    let (_, low) = low_publishing_in_november(&store, &config).await;
    assert_eq!(
        low,
        [
            (stad.key.clone(), vec![]),
            (bad.key.clone(), vec![november_week(3)])
        ],
        "a never-read account is named for no week; Badhusen only for its two watched weeks"
    );
}

#[tokio::test]
async fn two_weeks_in_a_row_below_the_publishing_rhythm_are_named_per_account() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path());
    let store = Store::connect(&config.database_url).await.unwrap();
    // Four ordinary weeks, 2026-11-02 … 2026-11-29.
    let monday = november_week;
    let posts_per_week = [("stad", [3, 2, 2, 4]), ("bad", [3, 1, 0, 2])];
    for (index, (key, counts)) in posts_per_week.iter().enumerate() {
        let id = store
            .upsert_account(&config.accounts[index], t0())
            .await
            .unwrap();
        assert_eq!(config.accounts[index].key, *key);
        watched_before_november(&store, &config.accounts[index]).await;
        for (week, count) in counts.iter().enumerate() {
            for n in 0..*count {
                let at = monday(week as u64)
                    .and_hms_opt(9 + n, 0, 0)
                    .unwrap()
                    .and_utc();
                store
                    .upsert_post(id, &post(&format!("{key}-{week}-{n}"), at), t0())
                    .await
                    .unwrap();
            }
        }
    }
    let (built, low) = low_publishing_in_november(&store, &config).await;
    assert_eq!(
        low,
        [
            ("stad".to_string(), vec![]),
            ("bad".to_string(), vec![monday(2)])
        ],
        "Badhusen had fewer than two posts in weeks 46 and 47"
    );
    let html = report::html::render(&built).unwrap();
    assert!(html.contains("ja, t.o.m. 2026 v.\u{a0}47"), "{html}");
    assert_eq!(
        html.matches("<td class=\"tal\">nej</td>").count(),
        1,
        "{html}"
    );
    let csv = report::csv::render(&built).unwrap();
    assert!(csv.contains("2026 v.\u{a0}47"));

    // No posts at all from 14 December to 3 January: the week before
    // Christmas alone is one week; Christmas and New Year's weeks are
    // holiday weeks, excepted.
    let holidays = Period::new(
        NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(),
        NaiveDate::from_ymd_opt(2027, 1, 3).unwrap(),
    )
    .unwrap();
    let built = report::build(&store, &config, holidays, None, t0())
        .await
        .unwrap();
    assert!(
        built
            .accounts
            .iter()
            .all(|a| a.low_publishing.is_empty() && a.posts() == 0)
    );
}

#[tokio::test]
async fn weeks_of_a_break_announced_in_a_post_are_not_held_to_the_rhythm() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path());
    let store = Store::connect(&config.database_url).await.unwrap();
    let monday = november_week;
    // Both publish 3, 1, 0 and 2 posts in weeks 45–48; the one post of
    // week 46 is Badhusen's announcement of a break through week 47, and
    // Stockholms stad's mention of a pause in another sense.
    let texts = [
        (
            "stad",
            "Under pausen bjuder vi på kaffe i Stadshusets foajé.",
        ),
        (
            "bad",
            "Vi tar uppehåll här på sidan till och med vecka 47. Vi ses!",
        ),
    ];
    for (index, (key, text)) in texts.iter().enumerate() {
        let id = store
            .upsert_account(&config.accounts[index], t0())
            .await
            .unwrap();
        assert_eq!(config.accounts[index].key, *key);
        watched_before_november(&store, &config.accounts[index]).await;
        for (week, count) in [3, 1, 0, 2].iter().enumerate() {
            for n in 0..*count {
                let at = (monday(week as u64) + chrono::Days::new(1))
                    .and_hms_opt(9 + n, 0, 0)
                    .unwrap()
                    .and_utc();
                let mut published = post(&format!("{key}-{week}-{n}"), at);
                if week == 1 {
                    published.text = Some(text.to_string());
                }
                store.upsert_post(id, &published, t0()).await.unwrap();
            }
        }
    }
    let (_, low) = low_publishing_in_november(&store, &config).await;
    assert_eq!(
        low,
        [
            ("stad".to_string(), vec![monday(2)]),
            ("bad".to_string(), vec![])
        ],
        "Badhusen announced its break; the coffee break is no break of the account"
    );
}
