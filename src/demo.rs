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
use crate::domain::PlatformKind;
use crate::pipeline::{Pipeline, RunSummary};
use crate::platforms::simulator::{self, SimulatorConfig};
use crate::store::RunTrigger;

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
/// slots; with `console`, then serves the moderators' console until Ctrl-C.
pub async fn run(
    data: &Path,
    cycles: usize,
    console: Option<Console>,
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
    let schedule = config.schedule.clone();
    let pipeline = Pipeline::build(config, Arc::new(clock.clone()))
        .await
        .map_err(|e| DemoError::Failed(e.to_string()))?;
    println!(
        "kommentarsvakt demo — simulator at {}, data in {}",
        sim.base_url(),
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
            "  {}  new comments {:>3}  hidden {:>2}  review {:>2}  tickets {:>2}  e-mails {:>2}",
            slot.with_timezone(&Stockholm).format("%a %Y-%m-%d %H:%M"),
            s.comments_new,
            s.hidden,
            s.review,
            s.tickets,
            s.emails_sent
        );
        accumulate(&mut total, &s);
    }
    print_summary(data, &total);
    let web = pipeline.config().web.clone();
    match (console, web) {
        (Some(_), Some(web)) => serve_console(pipeline, web).await?,
        (None, Some(web)) => print_console_hint(&web),
        _ => {}
    }
    sim.shutdown().await;
    Ok(total)
}

/// Serves the console over the demo's data until Ctrl-C.
async fn serve_console(pipeline: Pipeline, web: WebConfig) -> Result<(), DemoError> {
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
    let state = crate::web::WebState::new(Arc::new(pipeline), web, crisis);
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

fn print_console_hint(web: &WebConfig) {
    println!();
    println!(
        "  console    run `kommentarsvakt demo --serve` and open {}/ to review and decide in the browser",
        web.public_url
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

fn print_summary(data: &Path, t: &RunSummary) {
    println!();
    println!("Comments read:         {}", t.comments_new);
    println!("Hidden (documented first): {}", t.hidden);
    println!("Sent to review:        {}", t.review);
    println!("Tickets opened:        {}", t.tickets);
    println!("E-mails written:       {}", t.emails_sent);
    println!();
    println!("Where to look:");
    println!("  database   {}/kommentarsvakt.db (SQLite)", data.display());
    println!(
        "  evidence   {}/archive/  (verify: kommentarsvakt archive verify --dir {}/archive)",
        data.display(),
        data.display()
    );
    println!("  e-mail     {}/mail/*.eml", data.display());
    println!(
        "  simulator  {}/simulator-calls.jsonl (every call the service made)",
        data.display()
    );
}
