//! `kommentarsvakt demo`: the whole service on its embedded defaults — the
//! built-in simulator on a free loopback port, SQLite, the archive and a mail
//! folder under one data directory — run over a few office-hours slots on
//! simulated time, with a short summary at the end.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Stockholm;

use crate::clock::{Clock, ManualClock};
use crate::config::{self, MailTransport, WebConfig};
use crate::domain::{ModerationAction, PlatformKind};
use crate::pipeline::{AccountRuntime, Pipeline, RunSummary};
use crate::platforms::simulator::{self, SimulatorConfig};
use crate::store::{AccountTally, RunTrigger};
use crate::web::layout::Lang;

/// The embedded default configuration the demo runs on.
pub const DEMO_CONFIG: &str = include_str!("../config/demo.toml");

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The data directory could not be prepared.
    #[error("cannot prepare the demo data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Something else failed; the message says what.
    #[error("{0}")]
    Failed(String),
}

/// Simulated accounts: one on each platform, as `config/demo.toml` lists
/// them, so the demo shows every connector at work.
const DEMO_ACCOUNTS: usize = 5;

/// `--serve`: keep the console up after the runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Console {
    /// Where it listens instead of the demo config's `web.listen`.
    pub listen: Option<SocketAddr>,
}

/// Runs the demo with its data in `data` (emptied first) for `cycles`
/// slots, printing what it did in `lang`; with `console`, then serves the
/// moderators' console until Ctrl-C.
pub async fn run(
    data: &Path,
    cycles: usize,
    console: Option<Console>,
    lang: Lang,
) -> Result<RunSummary, DemoError> {
    prepare_data_dir(data)?;
    let start = demo_start(Utc::now());
    let clock = ManualClock::new(start);
    let sim = simulator::Simulator::start(
        SimulatorConfig {
            pages: DEMO_ACCOUNTS,
            seed: 2026,
            stream_start: start - Duration::hours(18),
            call_log: Some(data.join("simulator-calls.jsonl")),
            ..SimulatorConfig::default()
        },
        Arc::new(clock.clone()),
        "127.0.0.1:0"
            .parse()
            .map_err(|e| DemoError::Failed(format!("{e}")))?,
    )
    .await
    .map_err(|e| DemoError::Failed(format!("the simulator did not start: {e}")))?;
    let mut config = demo_config(data, &sim, Utc::now())?;
    if let (
        Some(web),
        Some(Console {
            listen: Some(listen),
        }),
    ) = (config.web.as_mut(), console)
    {
        web.listen = listen;
        web.public_url = format!("http://{listen}");
    }
    let pipeline = Pipeline::build(config, Arc::new(clock.clone()))
        .await
        .map_err(|e| DemoError::Failed(e.to_string()))?;
    let pipeline = Arc::new(pipeline);
    let outcome = run_on(&pipeline, &sim, &clock, data, cycles, console, lang).await;
    // Every way out closes the evidence browser and removes its profile.
    pipeline.shutdown().await;
    sim.shutdown().await;
    outcome
}

/// The demo's runs and report on a built pipeline; the caller shuts it down.
async fn run_on(
    pipeline: &Arc<Pipeline>,
    sim: &simulator::SimulatorHandle,
    clock: &ManualClock,
    data: &Path,
    cycles: usize,
    console: Option<Console>,
    lang: Lang,
) -> Result<RunSummary, DemoError> {
    let schedule = pipeline.config().schedule.clone();
    let start = clock.now();
    println!(
        "kommentarsvakt demo — {} {}, {} {}",
        lang.t("simulatorn på", "simulator at"),
        sim.base_url(),
        lang.t("data i", "data in"),
        data.display()
    );
    let mut total = RunSummary::default();
    for _ in 0..cycles {
        let Some(slot) = schedule.next_slot_after(clock.now()) else {
            break;
        };
        clock.set(slot);
        let s = pipeline
            .run(RunTrigger::Slot, Some(slot), false)
            .await
            .map_err(|e| DemoError::Failed(e.to_string()))?;
        println!(
            "  {}  {} {:>3}  {} {:>2}  {} {:>2}  {} {:>2}  {} {:>2}",
            slot.with_timezone(&Stockholm).format("%Y-%m-%d %H:%M"),
            lang.t("nya kommentarer", "new comments"),
            s.comments_new,
            lang.t("dolda", "hidden"),
            s.hidden,
            lang.t("granskning", "review"),
            s.review,
            lang.t("ärenden", "tickets"),
            s.tickets,
            lang.t("e-brev", "e-mails"),
            s.emails_sent
        );
        accumulate(&mut total, &s);
    }
    print_totals(&total, lang);
    print_platforms(pipeline, lang).await?;
    write_report(pipeline, data, start).await?;
    print_where_to_look(data, lang);
    let web = pipeline.config().web.clone();
    match (console, web) {
        (Some(_), Some(web)) => serve_console(pipeline.clone(), web).await?,
        (None, Some(web)) => print_console_hint(&web, lang),
        _ => {}
    }
    Ok(total)
}

/// Serves the console over the demo's data until Ctrl-C.
async fn serve_console(pipeline: Arc<Pipeline>, web: WebConfig) -> Result<(), DemoError> {
    let listener = crate::web::bind(web.listen)
        .await
        .map_err(|e| DemoError::Failed(e.to_string()))?;
    let address = listener
        .local_addr()
        .map_err(|e| DemoError::Failed(e.to_string()))?;
    println!();
    println!("Moderatorskonsolen: http://{address}/  (demoinloggning, ingen lösenordskontroll)");
    println!("Logga in som t.ex. {}", web_people_hint(pipeline.config()));
    println!("Avsluta med Ctrl-C.");
    let (_, crisis) = watch::channel(pipeline.config().crisis);
    let state = crate::web::WebState::new(pipeline, web, crisis);
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        // Without a Ctrl-C handler the console serves until killed.
        if tokio::signal::ctrl_c().await.is_ok() {
            stop.cancel();
        }
    });
    crate::web::serve(listener, state, shutdown)
        .await
        .map_err(|e| DemoError::Failed(e.to_string()))
}

fn web_people_hint(config: &config::Config) -> String {
    config
        .accounts
        .first()
        .and_then(|a| a.moderators.first())
        .cloned()
        .unwrap_or_default()
}

fn print_console_hint(web: &WebConfig, lang: Lang) {
    println!();
    println!(
        "  {} `kommentarsvakt demo --serve` {} {}/ {}",
        lang.t("konsol     kör", "console    run"),
        lang.t("och öppna", "and open"),
        web.public_url,
        lang.t(
            "för att granska och besluta i webbläsaren",
            "to review and decide in the browser"
        )
    );
}

fn prepare_data_dir(data: &Path) -> Result<(), DemoError> {
    let err = |source| DemoError::DataDir {
        path: data.to_path_buf(),
        source,
    };
    if data.exists() {
        std::fs::remove_dir_all(data).map_err(err)?;
    }
    std::fs::create_dir_all(data).map_err(err)?;
    // The simulator accepts any token; the config reads it from a file like
    // a real deployment would.
    std::fs::write(data.join("simulator-token"), "demo-token\n").map_err(err)
}

/// Loads the embedded config and points it at the data dir and simulator.
fn demo_config(
    data: &Path,
    sim: &simulator::SimulatorHandle,
    now: DateTime<Utc>,
) -> Result<config::Config, DemoError> {
    let text = DEMO_CONFIG.replace("demo-data/", &format!("{}/", data.display()));
    let mut config = config::load_str(&text, "embedded demo config")
        .map_err(|e| DemoError::Failed(e.to_string()))?;
    for (account, page) in config.accounts.iter_mut().zip(sim.pages()) {
        point_at_simulator(account, sim, page, now);
    }
    if let MailTransport::Folder { dir } = &config.mail.transport {
        std::fs::create_dir_all(dir).map_err(|source| DemoError::DataDir {
            path: dir.clone(),
            source,
        })?;
    }
    Ok(config)
}

/// Points one demo account at the simulator's routes for its platform:
/// Graph at the root, the others under `/{platform}`. LinkedIn's version is
/// the current month, so the demo never runs on a sunset version, and its
/// account is an organisation URN.
fn point_at_simulator(
    account: &mut config::AccountConfig,
    sim: &simulator::SimulatorHandle,
    page: simulator::SimPage,
    now: DateTime<Utc>,
) {
    account.platform_id = page.id;
    match account.platform {
        PlatformKind::Facebook => {
            account.api_base_url = sim.base_url();
            account.api_version = sim.api_version().to_string();
        }
        PlatformKind::Instagram => {
            account.api_base_url = format!("{}/instagram", sim.base_url());
            account.api_version = sim.api_version().to_string();
        }
        PlatformKind::Linkedin => {
            account.platform_id = format!("urn:li:organization:{}", account.platform_id);
            account.api_base_url = format!("{}/linkedin", sim.base_url());
            account.api_version = now.format("%Y%m").to_string();
        }
        other => account.api_base_url = format!("{}/{}", sim.base_url(), other.as_str()),
    }
}

/// The Monday before `now`, 07:00 Stockholm time: a working week to run on.
fn demo_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&Stockholm).date_naive();
    let monday = local - Duration::days(i64::from(local.weekday().num_days_from_monday()) + 7);
    debug_assert_eq!(monday.weekday(), Weekday::Mon);
    Stockholm
        .from_local_datetime(&monday.and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default()))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

fn accumulate(total: &mut RunSummary, s: &RunSummary) {
    total.comments_new += s.comments_new;
    total.hidden += s.hidden;
    total.deleted += s.deleted;
    total.review += s.review;
    total.tickets += s.tickets;
    total.emails_sent += s.emails_sent;
    total.accounts_failed += s.accounts_failed;
}

fn print_totals(t: &RunSummary, lang: Lang) {
    println!();
    for (label, n) in [
        (
            lang.t("Lästa kommentarer:", "Comments read:"),
            t.comments_new,
        ),
        (
            lang.t("Dolda (dokumenterade först):", "Hidden (documented first):"),
            t.hidden,
        ),
        (lang.t("Raderade:", "Deleted:"), t.deleted),
        (lang.t("Till granskning:", "Sent to review:"), t.review),
        (lang.t("Öppnade ärenden:", "Tickets opened:"), t.tickets),
        (lang.t("Skrivna e-brev:", "E-mails written:"), t.emails_sent),
        (
            lang.t("Konton som inte kunde läsas:", "Accounts that failed:"),
            t.accounts_failed,
        ),
    ] {
        println!("{label:<30} {n}");
    }
}

fn print_where_to_look(data: &Path, lang: Lang) {
    let d = data.display();
    println!();
    println!("{}", lang.t("Var du hittar det:", "Where to look:"));
    println!(
        "  {}   {d}/kommentarsvakt.db (SQLite)",
        lang.t("databas ", "database")
    );
    println!(
        "  {}   {d}/archive/  ({}: kommentarsvakt archive verify --dir {d}/archive)",
        lang.t("bevis   ", "evidence"),
        lang.t("kontrollera", "verify")
    );
    println!("  {}   {d}/mail/*.eml", lang.t("e-brev  ", "e-mail  "));
    println!(
        "  {}   {d}/{REPORT_HTML}, {d}/{REPORT_CSV} ({})",
        lang.t("rapport ", "report  "),
        lang.t(
            "februarirapporten över demons dagar",
            "the February report over the demo's days"
        )
    );
    println!(
        "  {}  {d}/simulator-calls.jsonl ({})",
        lang.t("simulator", "simulator"),
        lang.t("varje anrop tjänsten gjorde", "every call the service made")
    );
}

/// The demo's report as a page with charts, in the data folder.
const REPORT_HTML: &str = "rapport.html";
/// The demo's report as CSV, in the data folder.
const REPORT_CSV: &str = "rapport.csv";

/// Writes the February report over the demo's days (from `start` to the
/// last slot run) as HTML and CSV into the data folder, as `kommentarsvakt
/// report` would write it from the demo's database.
async fn write_report(
    pipeline: &Pipeline,
    data: &Path,
    start: DateTime<Utc>,
) -> Result<(), DemoError> {
    let failed = |e: crate::report::ReportError| DemoError::Failed(e.to_string());
    let now = pipeline.clock().now();
    let day = |t: DateTime<Utc>| t.with_timezone(&Stockholm).date_naive();
    let period = crate::report::Period::new(day(start), day(now)).map_err(failed)?;
    let report = crate::report::build(pipeline.store(), pipeline.config(), period, None, now)
        .await
        .map_err(failed)?;
    for (file, text) in [
        (
            REPORT_HTML,
            crate::report::html::render(&report).map_err(failed)?,
        ),
        (
            REPORT_CSV,
            crate::report::csv::render(&report).map_err(failed)?,
        ),
    ] {
        std::fs::write(data.join(file), text).map_err(|source| DemoError::DataDir {
            path: data.join(file),
            source,
        })?;
    }
    Ok(())
}

/// One line per monitored account, in the config's order: its platform,
/// its key, the comments and evidence records stored, and the actions
/// carried out, each under the platform's own name for it (YouTube's
/// `heldForReview`, X's `hidden=true`, LinkedIn's `DELETE` …).
async fn print_platforms(pipeline: &Pipeline, lang: Lang) -> Result<(), DemoError> {
    println!();
    println!(
        "{}",
        lang.t(
            "Per plattform (ett konto på varje):",
            "Per platform (one account on each):"
        )
    );
    let accounts = pipeline.accounts();
    for config in &pipeline.config().accounts {
        let Some(account) = accounts.get(config.key.as_str()) else {
            continue;
        };
        let tally = pipeline
            .store()
            .account_tally(account.account_id)
            .await
            .map_err(|e| DemoError::Failed(e.to_string()))?;
        println!("{}", platform_line(account, &tally, lang));
    }
    Ok(())
}

/// One account's line in the summary.
fn platform_line(account: &AccountRuntime, tally: &AccountTally, lang: Lang) -> String {
    let actions = if tally.actions_done.is_empty() {
        lang.t("inga", "none").to_string()
    } else {
        tally
            .actions_done
            .iter()
            .map(|(kind, n)| format!("{} {n}", platform_verb(account, kind)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "  {:<10} {:<28} {} {:>3}  {} {:>3}  {}: {actions}",
        account.config.platform.display_name(),
        account.config.key,
        lang.t("kommentarer", "comments"),
        tally.comments,
        lang.t("bevisposter", "evidence records"),
        tally.evidence_records,
        lang.t("åtgärder", "actions"),
    )
}

/// The platform's own name for a stored action kind; a kind the platform
/// has no verb for (a moderator's `unhide`) keeps its stored name.
fn platform_verb<'a>(account: &AccountRuntime, kind: &'a str) -> &'a str {
    let action = match kind {
        "hide" => ModerationAction::Hide,
        "delete" => ModerationAction::Delete,
        _ => return kind,
    };
    match &account.platform {
        Ok(platform) => platform.verb(action),
        Err(_) => kind,
    }
}
