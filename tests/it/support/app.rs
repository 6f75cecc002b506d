//! `TestApp`: the real pipeline against the simulator on loopback, a real
//! SQLite file, a real archive and a mail folder in a temporary directory,
//! on a manual clock. Building a second pipeline on the same app is a
//! restart of the service.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use kommentarsvakt::clock::{Clock, ManualClock};
use kommentarsvakt::config;
use kommentarsvakt::config::MediaHosts;
use kommentarsvakt::pipeline::{Pipeline, RunSummary};
use kommentarsvakt::platforms::media::MediaFetcher;
use kommentarsvakt::platforms::simulator::{self, SimulatorConfig, SimulatorHandle};
use kommentarsvakt::store::{ActionRow, RunTrigger};
use tempfile::TempDir;

/// Monday 23 November 2026, 07:00 in Stockholm: before the first slot.
pub fn monday_morning() -> DateTime<Utc> {
    Stockholm
        .with_ymd_and_hms(2026, 11, 23, 7, 0, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&Utc)
}

/// A running simulator and the files of one service installation.
pub struct TestApp {
    pub dir: TempDir,
    pub clock: ManualClock,
    pub sim: SimulatorHandle,
    pub config_path: PathBuf,
}

impl TestApp {
    /// Starts the simulator (three pages) with the clock at `start`.
    pub async fn start_at(start: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = ManualClock::new(start);
        let sim = simulator::Simulator::start(
            SimulatorConfig {
                pages: 3,
                seed: 7,
                stream_start: start - chrono::Duration::hours(72),
                call_log: Some(dir.path().join("calls.jsonl")),
                ..SimulatorConfig::default()
            },
            Arc::new(clock.clone()),
            "127.0.0.1:0".parse().expect("address"),
        )
        .await
        .expect("simulator starts");
        std::fs::write(dir.path().join("token"), "test-token\n").expect("token file");
        let app = Self {
            config_path: dir.path().join("kommentarsvakt.toml"),
            dir,
            clock,
            sim,
        };
        app.write_config(false);
        app
    }

    /// Starts with the clock on Monday morning.
    pub async fn start() -> Self {
        Self::start_at(monday_morning()).await
    }

    /// The config file the app runs on, with crisis mode on or off.
    pub fn config_toml(&self, crisis: bool) -> String {
        let d = self.dir.path().display();
        let mut toml = format!(
            r#"dry_run = false
[database]
url = "sqlite://{d}/kv.db"
[archive]
dir = "{d}/archive"
screenshots = "builtin"
[schedule]
timezone = "Europe/Stockholm"
slots = ["0 30 8 * * Mon-Fri", "0 0 12 * * Mon-Fri", "0 30 15 * * Mon-Fri"]
office_hours = "08:00-17:00"
[crisis]
enabled = {crisis}
interval = "10m"
[polling]
concurrency = 2
request_timeout = "1s"
max_retries = 1
post_lookback = "30d"
[alerts]
# One e-mail per outcome, so tests can check each against the platform
# (the alert-storm test lowers it).
summary_above = 10000
[policy]
obvious_illegal = "hide"
obvious_personal_data = "hide"
other_flagged = "review"
[mail]
from = "kommentarsvakt@test.stockholm.se"
operations_address = "drift@test.stockholm.se"
transport = "folder"
folder = "{d}/mail"
[[departments]]
key = "slk"
name = "Stadsledningskontoret"
central_address = "slk@test.stockholm.se"
"#
        );
        for (i, page) in self.sim.pages().iter().enumerate() {
            toml.push_str(&format!(
                r#"[[accounts]]
key = "konto-{i}"
platform = "facebook"
platform_id = "{id}"
name = "Testkonto {i}"
department = "slk"
moderators = ["moderator{i}@test.stockholm.se"]
purpose = "Test"
token_file = "{d}/token"
api_base_url = "{base}"
api_version = "{version}"
"#,
                id = page.id,
                base = self.sim.base_url(),
                version = self.sim.api_version(),
            ));
        }
        toml
    }

    /// Writes the config file (atomically, as an editor would).
    pub fn write_config(&self, crisis: bool) {
        let tmp = self.config_path.with_extension("tmp");
        std::fs::write(&tmp, self.config_toml(crisis)).expect("write config");
        std::fs::rename(&tmp, &self.config_path).expect("replace config");
    }

    /// Writes the config file after `edit` has changed its text (another
    /// mail transport, ticket sinks, …).
    pub fn write_config_with(&self, edit: impl FnOnce(String) -> String) {
        let tmp = self.config_path.with_extension("tmp");
        std::fs::write(&tmp, edit(self.config_toml(false))).expect("write config");
        std::fs::rename(&tmp, &self.config_path).expect("replace config");
    }

    /// `toml` (this app's config) with `konto-{index}` moved to `platform`
    /// on the simulator's routes for it, with `version` as its API version
    /// (none: the platform's default).
    pub fn on_platform(
        &self,
        toml: String,
        index: usize,
        platform: &str,
        version: Option<&str>,
    ) -> String {
        let base = self.sim.base_url();
        let mut blocks: Vec<String> = toml.split("[[accounts]]").map(str::to_string).collect();
        let old_version = format!("api_version = \"{}\"\n", self.sim.api_version());
        blocks[index + 1] = blocks[index + 1]
            .replace(
                "platform = \"facebook\"",
                &format!("platform = \"{platform}\""),
            )
            .replace(
                &format!("api_base_url = \"{base}\""),
                &format!("api_base_url = \"{base}/{platform}\""),
            )
            .replace(
                &old_version,
                &version.map_or(String::new(), |v| format!("api_version = \"{v}\"\n")),
            );
        blocks.join("[[accounts]]")
    }

    /// `toml` with `konto-{index}` on `platform` renewing its access token by
    /// an OAuth refresh-token grant at the simulator's token endpoint for it
    /// (its refresh token in `{platform}-refresh-token`).
    pub fn with_oauth_grant(&self, toml: String, index: usize, platform: &str) -> String {
        let d = self.dir.path().display();
        std::fs::write(self.dir.path().join("client-secret"), "sim-client-secret").unwrap();
        std::fs::write(
            self.dir.path().join(format!("{platform}-refresh-token")),
            "sim-refresh-token",
        )
        .unwrap();
        let base = format!("{}/{platform}", self.sim.base_url());
        let endpoint = if platform == "linkedin" {
            format!("{base}/oauth/v2/accessToken")
        } else {
            format!("{base}/token")
        };
        let mut blocks: Vec<String> = toml.split("[[accounts]]").map(str::to_string).collect();
        let block = &mut blocks[index + 1];
        *block = block.replace(&format!("token_file = \"{d}/token\"\n"), "");
        block.push_str(&format!(
            r#"[accounts.oauth]
client_id = "sim-client"
client_secret_file = "{d}/client-secret"
refresh_token_file = "{d}/{platform}-refresh-token"
token_endpoint = "{endpoint}"
"#
        ));
        blocks.join("[[accounts]]")
    }

    /// The `[mail]` transport lines of the default config, for
    /// [`write_config_with`](Self::write_config_with) to replace.
    pub fn folder_transport(&self) -> String {
        format!(
            "transport = \"folder\"\nfolder = \"{}/mail\"\n",
            self.dir.path().display()
        )
    }

    /// Builds the service from the config file: a fresh start.
    pub async fn pipeline(&self) -> Pipeline {
        let media = self.media_fetcher_trusting_the_simulator();
        self.pipeline_as_in_production()
            .await
            .with_media_fetcher(media)
    }

    /// The pipeline exactly as the service builds it: attachments on the
    /// simulator (plain http on loopback) are refused.
    pub async fn pipeline_as_in_production(&self) -> Pipeline {
        let config = config::load(&self.config_path).expect("test config is valid");
        Pipeline::build(config, Arc::new(self.clock.clone()))
            .await
            .expect("pipeline builds")
    }

    /// An attachment fetcher that also fetches from the simulator, which
    /// serves attachments as a platform's CDN would, but on loopback.
    fn media_fetcher_trusting_the_simulator(&self) -> MediaFetcher {
        let address = self
            .sim
            .base_url()
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("the simulator listens on an address");
        MediaFetcher::with_test_server(
            MediaHosts::platform_defaults(),
            std::time::Duration::from_secs(10),
            address,
        )
        .expect("attachment client")
    }

    /// Moves the clock to the next office-hours slot and returns it.
    pub fn advance_to_next_slot(&self, pipeline: &Pipeline) -> DateTime<Utc> {
        let slot = pipeline
            .config()
            .schedule
            .next_slot_after(self.clock.now())
            .expect("a next slot");
        self.clock.set(slot);
        slot
    }

    /// Moves the clock to the next slot and runs every stage there, as the
    /// scheduler would.
    pub async fn run_next_slot(&self, pipeline: &Pipeline) -> RunSummary {
        let slot = self.advance_to_next_slot(pipeline);
        pipeline
            .run(RunTrigger::Slot, Some(slot), false)
            .await
            .expect("the run completes")
    }

    /// The e-mails written to the mail folder, as raw text.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("mail")) else {
            return Vec::new();
        };
        let mut mails: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        mails.sort();
        mails
    }

    /// Every e-mail in the mail folder as its decoded subject and
    /// plain-text body.
    pub fn mail_texts(&self) -> Vec<(String, String)> {
        self.mails()
            .iter()
            .filter_map(|raw| {
                mailparse::parse_mail(raw.as_bytes())
                    .ok()
                    .map(|m| plain_text(&m))
            })
            .collect()
    }

    /// The plain-text bodies of the digests (subject `Bevakning …`) in the
    /// mail folder, decoded.
    pub fn digest_texts(&self) -> Vec<String> {
        self.mail_texts()
            .into_iter()
            .filter(|(subject, _)| subject.starts_with("Bevakning "))
            .map(|(_, body)| body)
            .collect()
    }

    /// Today's date (UTC) on the app's clock: records are filed under it.
    pub fn clock_date(&self) -> chrono::NaiveDate {
        use kommentarsvakt::clock::Clock;
        self.clock.now().date_naive()
    }

    /// The archive root.
    pub fn archive_dir(&self) -> PathBuf {
        self.dir.path().join("archive")
    }
}

/// Runs the stages before acting: polling, deciding and archiving.
pub async fn decide_a_slot(app: &TestApp, pipeline: &Pipeline) -> RunSummary {
    app.advance_to_next_slot(pipeline);
    let started = app.clock.now();
    let run_id = pipeline
        .store()
        .begin_run(RunTrigger::Manual, None, false, started)
        .await
        .expect("the run begins");
    let mut summary = RunSummary {
        run_id,
        ..RunSummary::default()
    };
    pipeline
        .collect(run_id, &mut summary)
        .await
        .expect("collect");
    pipeline.decide_pending(&mut summary).await.expect("decide");
    summary
}

/// Decides a slot ([`decide_a_slot`]) whose comments call for hides, and
/// answers its summary and the hides waiting to be carried out.
pub async fn decided_hides(app: &TestApp, pipeline: &Pipeline) -> (RunSummary, Vec<ActionRow>) {
    let summary = decide_a_slot(app, pipeline).await;
    let open = pipeline.store().open_actions().await.expect("open actions");
    assert!(open.len() >= 2, "the run decided to hide something");
    (summary, open)
}

/// Runs the stages from acting on: act, tell, deliver.
pub async fn act_and_tell(pipeline: &Pipeline, summary: &mut RunSummary) {
    pipeline.execute_actions(summary).await.expect("act");
    pipeline.notify_outcomes(summary).await.expect("tell");
    pipeline.deliver_outbox(summary).await.expect("deliver");
}

/// A parsed message's decoded subject and its text/plain parts.
pub fn plain_text(mail: &mailparse::ParsedMail<'_>) -> (String, String) {
    fn walk(part: &mailparse::ParsedMail<'_>, out: &mut String) {
        if part.ctype.mimetype == "text/plain" {
            out.push_str(&part.get_body().unwrap_or_default());
        }
        for sub in &part.subparts {
            walk(sub, out);
        }
    }
    use mailparse::MailHeaderMap;
    let subject = mail.headers.get_first_value("Subject").unwrap_or_default();
    let mut body = String::new();
    walk(mail, &mut body);
    (subject, body)
}
