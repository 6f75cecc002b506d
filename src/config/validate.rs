//! Loading and validation: the layers (TOML file, the account files of its
//! `conf.d/` folder, then `KOMMENTARSVAKT__SECTION__KEY` environment
//! variables) are merged into [`RawConfig`] (`validate/layers.rs`: every
//! unknown key and wrong type), and one pure step turns that into the typed
//! [`Config`].
//!
//! Validation never stops at the first mistake: every problem is collected
//! with the key it belongs to (`accounts[2].moderators[0]`), the file, line
//! and column it is written at, and a reason that says what would be right,
//! so an operator fixes the file in one go (`kommentarsvakt check-config
//! FILE` prints them). Where a value is wrong, a stand-in is used internally
//! so the remaining keys can still be checked; a configuration with any
//! problem is never returned.
//!
//! Secrets (access tokens, the SMTP password) are read during validation
//! (`validate/secrets.rs`) from the environment, a file or a systemd
//! credential — or, for `check-config --no-secrets`, only named; they go
//! straight into a `SecretString` and are never part of a problem's text.
//!
//! Relative paths (database file, archive, mail folder, token files) are
//! kept as written and so resolve against the service's working directory
//! (`WorkingDirectory=` in the systemd unit).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use reqwest::Url;

use super::raw::{
    RawAccount, RawClassify, RawClassifyOnly, RawConfig, RawCrisis, RawCrisisOnly, RawDepartment,
    RawMail, RawPolicy, RawPolling, RawRetention, RawSchedule, RawSmtp,
};
use super::{
    AccountConfig, CaCertificates, ClassifyConfig, Config, CrisisConfig,
    DEFAULT_SCREENSHOT_CONCURRENCY, DepartmentConfig, MAX_SCREENSHOT_CONCURRENCY, MailConfig,
    MailTransport, PollingConfig, RetentionConfig, RetentionPeriods, SmtpSecurity,
};
use crate::classify::Vocabulary;
use crate::classify::illegal::MediaHashList;
use crate::classify::lexicon::Lexicon;
use crate::classify::service_phrases::ServicePhrases;
use crate::domain::{Category, ModerationAction, PlatformKind, PolicyConfig};
use crate::schedule::{
    CULL_SCHEDULE_OFF, CullSchedule, DEFAULT_CULL_SCHEDULE, Schedule, ScheduleError, ScheduleSpec,
};

mod layers;
mod oauth;
mod oidc;
mod register;
mod secrets;
mod tickets;
mod web;

pub use layers::CONF_D;
use layers::{Document, prefixed, process_env, process_overrides, read_text};
pub use secrets::{NeededSecret, SecretSource};
use secrets::{SecretMode, SecretSources, Secrets, resolve_secret};

/// Prefix of environment variables that override file settings:
/// `KOMMENTARSVAKT__CRISIS__ENABLED=true` sets `crisis.enabled`.
pub const ENV_PREFIX: &str = "KOMMENTARSVAKT";
/// Separator between the prefix, section and key in override variables.
pub const ENV_SEPARATOR: &str = "__";

// Absolute, in the unit's state directory: a command run from another
// directory must find the service's data, not start an empty set beside it.
const DEFAULT_DATABASE_URL: &str = "sqlite:///var/lib/kommentarsvakt/kommentarsvakt.db";
const DEFAULT_ARCHIVE_DIR: &str = "/var/lib/kommentarsvakt/archive";
const DEFAULT_MAIL_FOLDER: &str = "/var/lib/kommentarsvakt/mail";
const DEFAULT_SLOTS: [&str; 3] = [
    "0 30 8 * * Mon-Fri",
    "0 0 12 * * Mon-Fri",
    "0 30 15 * * Mon-Fri",
];
/// The policy asks for monitoring three times a day during office hours.
const MIN_SLOTS: usize = 3;
const DEFAULT_OFFICE_HOURS: &str = "08:00-17:00";
/// The city's time zone when `schedule.timezone` is not written.
const DEFAULT_TIMEZONE: Tz = chrono_tz::Europe::Stockholm;
/// The daily checks: working-day mornings, before the first slot, so a
/// finding about yesterday is read at the start of the day.
const DEFAULT_CHECKS_SCHEDULE: &str = "0 0 7 * * Mon-Fri";
/// The registry's daily digest (with the chain anchor) and, in its week,
/// the February/September report: working-day mornings, at a time of
/// their own, so that they go out whether or not the service runs the
/// daily checks (`[checks] schedule = "off"`).
pub const DAILY_MAIL_SCHEDULE: &str = "0 0 7 * * Mon-Fri";
const DEFAULT_CRISIS_INTERVAL: Duration = Duration::from_secs(10 * 60);
const MIN_CRISIS_INTERVAL: Duration = Duration::from_secs(60);
const MAX_CRISIS_INTERVAL: Duration = Duration::from_secs(4 * 60 * 60);
const DEFAULT_CONCURRENCY: i64 = 8;
const MAX_CONCURRENCY: i64 = 256;
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
const MIN_REQUEST_TIMEOUT: Duration = Duration::from_secs(1);
const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const DEFAULT_MAX_RETRIES: i64 = 3;
/// Google's default daily quota of a YouTube Data API project.
const DEFAULT_YOUTUBE_DAILY_QUOTA: i64 = 10_000;
const MAX_RETRIES: i64 = 10;
const DEFAULT_POST_LOOKBACK: Duration = Duration::from_secs(30 * 24 * 60 * 60);
const MIN_POST_LOOKBACK: Duration = Duration::from_secs(24 * 60 * 60);
const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_KEY_LEN: usize = 64;
const DAY: u64 = 24 * 60 * 60;
/// Two years (humantime's year is 365.25 days).
const DEFAULT_RETENTION_ORDINARY: Duration = Duration::from_secs(2 * 36525 * DAY / 100);
/// Ten years.
const DEFAULT_RETENTION_REMOVED: Duration = Duration::from_secs(10 * 36525 * DAY / 100);
/// Shorter than a month is almost certainly a mistake (`2m` is two minutes).
const MIN_RETENTION: Duration = Duration::from_secs(30 * DAY);

/// One problem in a configuration: the key path and the reason, and where
/// the key is written, so that the operator goes straight to the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path, e.g. `accounts[2].moderators`.
    pub key: String,
    /// Why the value is wrong and what would be right.
    pub reason: String,
    /// Where the key (or, for a missing key, its table) is written; `None`
    /// when it is not written in any file.
    pub location: Option<Location>,
}

impl Problem {
    fn new(key: String, reason: String) -> Self {
        Self {
            key,
            reason,
            location: None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}: {}", self.key, self.reason)
    }
}

/// A place in a configuration file, shown as `file:line:column` as
/// compilers do, so that editors and terminals can jump to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (the main file or one in its `conf.d/` folder).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read or parsed at all.
    #[error("cannot read {origin}: {detail}")]
    Unreadable {
        /// The file or source.
        origin: String,
        /// What went wrong (for TOML syntax errors: line and column).
        detail: String,
    },
    /// The file was read but has problems; every one is listed, one per line.
    #[error("{} problem(s) in {origin}:\n{}", problems.len(), bullet_list(problems))]
    Invalid {
        /// The file or source.
        origin: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

fn bullet_list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| format!("  - {problem}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads and validates a config file and the account files of the
/// `conf.d/` folder next to it, with environment overrides from the process
/// environment. The path is kept in [`Config::source`] so that crisis mode
/// can be re-read from it.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let document = Document::read(path)?;
    let secrets = Secrets::new(&process_env, SecretMode::Read);
    let mut config = load_document(&document, &process_overrides(), &secrets)?;
    config.source = Some(path.to_path_buf());
    Ok(config)
}

/// Like [`load`], but with the environment given as a map instead of read
/// from the process (see [`load_str_with_env`]).
pub fn load_with_env(path: &Path, vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
    let document = Document::read(path)?;
    let env = |name: &str| vars.get(name).cloned();
    let secrets = Secrets::new(&env, SecretMode::Read);
    let mut config = load_document(&document, &overrides_from(vars), &secrets)?;
    config.source = Some(path.to_path_buf());
    Ok(config)
}

/// What `check-config --no-secrets` learns from a configuration that is
/// valid apart from its secrets, which were not read.
#[derive(Debug)]
pub struct SecretFreeCheck {
    /// The accounts as validated, with their credentials left out
    /// (`token` and `oauth` are `None`): enough for the checks that need
    /// no secret, such as a LinkedIn version's sunset.
    pub accounts: Vec<super::AccountConfig>,
    /// Every secret a real run reads, in the order of the file.
    pub needed_secrets: Vec<NeededSecret>,
}

/// Validates a config file (and its `conf.d/` folder) like [`load`], but
/// reads no secret — no token variable, token file, credential or
/// refresh token — and names each one instead, so that an operator can
/// check a configuration from a shell that does not hold them.
pub fn check_without_secrets(path: &Path) -> Result<SecretFreeCheck, ConfigError> {
    let document = Document::read(path)?;
    let secrets = Secrets::new(&process_env, SecretMode::ListOnly);
    let config = load_document(&document, &process_overrides(), &secrets)?;
    let accounts = config
        .accounts
        .into_iter()
        .map(|account| super::AccountConfig {
            token: None,
            oauth: None,
            ..account
        })
        .collect();
    Ok(SecretFreeCheck {
        accounts,
        needed_secrets: secrets.into_needed(),
    })
}

/// Loads a config file like [`load`], but reads no secret (no token, grant
/// or password; see [`check_without_secrets`]): for the operator commands
/// that only read what the service wrote (`tickets`, `report`, `archive
/// verify`), so that they work from a shell that holds none. Accounts come
/// without token or grant and SMTP without password; webhook and login
/// secrets are empty stand-ins. Such a config never polls or sends.
pub fn load_without_secrets(path: &Path) -> Result<Config, ConfigError> {
    let document = Document::read(path)?;
    let secrets = Secrets::new(&process_env, SecretMode::ListOnly);
    let mut config = load_document(&document, &process_overrides(), &secrets)?;
    for account in &mut config.accounts {
        account.token = None;
        account.oauth = None;
    }
    if let super::MailTransport::Smtp { password, .. } = &mut config.mail.transport {
        *password = None;
    }
    Ok(config)
}

/// Loads and validates config text (the embedded demo defaults), with
/// environment overrides from the process environment.
pub fn load_str(toml: &str, origin: &str) -> Result<Config, ConfigError> {
    let document = Document::parse(toml, origin)?;
    let secrets = Secrets::new(&process_env, SecretMode::Read);
    load_document(&document, &process_overrides(), &secrets)
}

/// Like [`load_str`], but with the environment given as a map instead of
/// read from the process: it supplies both the `KOMMENTARSVAKT__…`
/// overrides and the variables that tokens and passwords are read from.
/// Tests and the demo use it, since changing the process environment is
/// unsafe in a multi-threaded program.
pub fn load_str_with_env(
    toml: &str,
    origin: &str,
    vars: &HashMap<String, String>,
) -> Result<Config, ConfigError> {
    let document = Document::parse(toml, origin)?;
    let env = |name: &str| vars.get(name).cloned();
    let secrets = Secrets::new(&env, SecretMode::Read);
    load_document(&document, &overrides_from(vars), &secrets)
}

fn overrides_from(vars: &HashMap<String, String>) -> config::Environment {
    prefixed(
        config::Environment::default().source(Some(
            vars.iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
        )),
    )
}

/// The structural check of the merged layers (every unknown key and wrong
/// type), then the semantic validation of what is left; every problem of
/// both is returned at once, each with its file and line.
fn load_document(
    document: &Document,
    overrides: &config::Environment,
    secrets: &Secrets<'_>,
) -> Result<Config, ConfigError> {
    let mut layered = document.deserialize::<RawConfig>(overrides)?;
    let mut problems = std::mem::take(&mut layered.problems);
    if let Some(raw) = layered.raw.take() {
        match validate_with(raw, &document.origin, secrets) {
            Ok(config) if problems.is_empty() => return Ok(config),
            Ok(_) => {}
            Err(ConfigError::Invalid {
                problems: semantic, ..
            }) => problems.extend(
                semantic
                    .into_iter()
                    .filter(|problem| !layered.was_taken_out(&problem.key)),
            ),
            Err(unreadable) => return Err(unreadable),
        }
    }
    Err(ConfigError::Invalid {
        origin: document.origin.clone(),
        problems: document.locate(problems),
    })
}

/// Re-reads only the crisis section of a config file (with environment
/// overrides), so that crisis mode can be switched on and off without a
/// restart — and without a half-edited account list elsewhere in the file
/// blocking it.
pub fn read_crisis(path: &Path) -> Result<CrisisConfig, ConfigError> {
    let document = Document::parse(&read_text(path)?, &path.display().to_string())?;
    let raw = section::<RawCrisisOnly>(&document)?;
    let mut problems = Problems::default();
    let crisis = crisis(&raw.crisis, &mut problems);
    let problems = document.locate(problems.0);
    Problems(problems).into_result(&document.origin, crisis)
}

/// Re-reads only the classify section of a config file (with environment
/// overrides) and compiles its word lists and media hashes, so that the
/// classifier can be rebuilt on reload — and a half-edited section
/// elsewhere in the file does not block new word lists.
pub fn read_classify(path: &Path) -> Result<ClassifyConfig, ConfigError> {
    let document = Document::parse(&read_text(path)?, &path.display().to_string())?;
    let raw = section::<RawClassifyOnly>(&document)?;
    let mut problems = Problems::default();
    let classify = classify(&raw.classify, &mut problems);
    let problems = Problems(document.locate(problems.0));
    match classify {
        Some(classify) => problems.into_result(&document.origin, classify),
        None => Err(problems.into_error(&document.origin)),
    }
}

/// One section of the document, read alone: its structural problems, if
/// any, are the error.
fn section<T: serde::de::DeserializeOwned>(document: &Document) -> Result<T, ConfigError> {
    let layered = document.deserialize::<T>(&process_overrides())?;
    match layered.raw {
        Some(raw) if layered.problems.is_empty() => Ok(raw),
        _ => Err(ConfigError::Invalid {
            origin: document.origin.clone(),
            problems: document.locate(layered.problems),
        }),
    }
}

/// Turns the merged raw configuration into the typed [`Config`], checking
/// every key and reading the secrets. `env` looks up environment variables
/// (token and password sources, `CREDENTIALS_DIRECTORY`); it is injected so
/// that tests need not touch the process environment.
pub fn validate(
    raw: RawConfig,
    origin: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    validate_with(raw, origin, &Secrets::new(env, SecretMode::Read))
}

fn validate_with(
    raw: RawConfig,
    origin: &str,
    secrets: &Secrets<'_>,
) -> Result<Config, ConfigError> {
    let mut problems = Problems::default();
    let database_url = database_url(raw.database.url.as_deref(), &mut problems);
    let archive_dir = path_or(
        raw.archive.dir.as_deref(),
        DEFAULT_ARCHIVE_DIR,
        "archive.dir",
        &mut problems,
    );
    let screenshots = screenshot_renderer(raw.archive.screenshots.as_deref(), &mut problems);
    let chromium_path = path_or(
        raw.archive.chromium_path.as_deref(),
        "/usr/bin/chromium",
        "archive.chromium_path",
        &mut problems,
    );
    let screenshot_concurrency =
        screenshot_concurrency(raw.archive.screenshot_concurrency, &mut problems);
    let export_schemas_dir =
        export_schemas_dir(raw.archive.export_schemas_dir.as_deref(), &mut problems);
    let schedule = schedule(&raw.schedule, &mut problems);
    let mut retention = retention(&raw.retention, &raw.accounts, &mut problems);
    let timezone = schedule
        .as_ref()
        .map_or(DEFAULT_TIMEZONE, Schedule::timezone);
    retention.cull_schedule = timed_schedule(
        raw.retention.cull_schedule.as_deref(),
        (
            "retention.cull_schedule",
            DEFAULT_CULL_SCHEDULE,
            "cull only by hand",
        ),
        timezone,
        &mut problems,
    );
    let checks_schedule = timed_schedule(
        raw.checks.schedule.as_deref(),
        (
            "checks.schedule",
            DEFAULT_CHECKS_SCHEDULE,
            "check only by hand (kommentarsvakt checks)",
        ),
        timezone,
        &mut problems,
    );
    let daily_mail_schedule = CullSchedule::new(DAILY_MAIL_SCHEDULE, timezone)
        .map_err(|reason| {
            problems.add(
                "schedule.timezone",
                format!("the daily mail's time {DAILY_MAIL_SCHEDULE}: {reason}"),
            )
        })
        .ok();
    let communications_address = optional_email(
        raw.report.communications_address.as_deref(),
        "report.communications_address",
        &mut problems,
    );
    let crisis = crisis(&raw.crisis, &mut problems);
    let polling = polling(&raw.polling, &mut problems);
    let policy = policy(&raw.policy, &mut problems);
    let mail = mail(raw.mail.as_ref(), secrets, &mut problems);
    let metrics_listen = metrics_listen(raw.metrics.listen.as_deref(), &mut problems);
    let departments = departments(&raw.departments, &mut problems);
    let accounts = accounts(&raw.accounts, &raw.departments, secrets, &mut problems);
    let tickets = tickets::tickets(&raw.tickets, &mut problems);
    let ticket_sinks = tickets::ticket_sinks(
        &raw.ticket_sinks,
        &departments,
        mail.as_ref(),
        secrets,
        &mut problems,
    );
    let alerts = tickets::alerts(&raw.alerts, &mut problems);
    let classify = classify(&raw.classify, &mut problems);
    let account_keys: Vec<&str> = raw
        .accounts
        .iter()
        .filter_map(|a| a.key.as_deref().map(str::trim))
        .collect();
    let web = web::web(raw.web.as_ref(), &account_keys, secrets, &mut problems);
    match (schedule, mail, classify) {
        (Some(schedule), Some(mail), Some(classify)) if problems.is_empty() => Ok(Config {
            source: None,
            database_url,
            archive_dir,
            screenshots,
            chromium_path,
            screenshot_concurrency,
            export_schemas_dir,
            dry_run: raw.dry_run.unwrap_or(false),
            retention,
            checks_schedule,
            daily_mail_schedule,
            communications_address,
            schedule,
            crisis,
            polling,
            policy,
            mail,
            departments,
            accounts,
            metrics_listen,
            tickets,
            ticket_sinks,
            alerts,
            classify,
            web,
        }),
        _ => Err(problems.into_error(origin)),
    }
}

// ---------------------------------------------------------------------------
// Problem collection

#[derive(Debug, Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, key: impl Into<String>, reason: impl Into<String>) {
        self.0.push(Problem::new(key.into(), reason.into()));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn into_error(self, origin: &str) -> ConfigError {
        ConfigError::Invalid {
            origin: origin.to_string(),
            problems: self.0,
        }
    }

    fn into_result<T>(self, origin: &str, value: T) -> Result<T, ConfigError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.into_error(origin))
        }
    }
}

/// A required text: missing or blank is a problem.
fn required<'a>(
    value: Option<&'a str>,
    key: &str,
    hint: &str,
    problems: &mut Problems,
) -> Option<&'a str> {
    match value.map(str::trim) {
        Some(text) if !text.is_empty() => Some(text),
        Some(_) => {
            problems.add(key, format!("is empty; {hint}"));
            None
        }
        None => {
            problems.add(key, format!("is missing; {hint}"));
            None
        }
    }
}

/// An optional text: blank counts as not written.
fn optional(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|text| !text.is_empty())
}

fn duration_or(
    value: Option<&str>,
    default: Duration,
    key: &str,
    problems: &mut Problems,
) -> Duration {
    let Some(text) = value else {
        return default;
    };
    match humantime::parse_duration(text.trim()) {
        Ok(duration) => duration,
        Err(error) => {
            problems.add(
                key,
                format!(
                    "\"{text}\" is not a duration ({error}); write e.g. \"30s\", \"10m\", \
                     \"2h\" or \"30d\""
                ),
            );
            default
        }
    }
}

fn check_duration_between(
    duration: Duration,
    min: Duration,
    max: Option<Duration>,
    key: &str,
    why: &str,
    problems: &mut Problems,
) {
    let too_long = max.is_some_and(|max| duration > max);
    if duration < min || too_long {
        let range = match max {
            Some(max) => format!(
                "between {} and {}",
                humantime::format_duration(min),
                humantime::format_duration(max)
            ),
            None => format!("at least {}", humantime::format_duration(min)),
        };
        problems.add(
            key,
            format!(
                "is {}; it must be {range} ({why})",
                humantime::format_duration(duration)
            ),
        );
    }
}

fn integer_between(
    value: Option<i64>,
    default: i64,
    (min, max): (i64, i64),
    key: &str,
    why: &str,
    problems: &mut Problems,
) -> i64 {
    let value = value.unwrap_or(default);
    if (min..=max).contains(&value) {
        value
    } else {
        problems.add(
            key,
            format!("is {value}; it must be between {min} and {max} ({why})"),
        );
        default
    }
}

fn email(value: &str, key: &str, problems: &mut Problems) -> Option<String> {
    let value = value.trim();
    match lettre::Address::from_str(value) {
        Ok(address) => Some(address.to_string()),
        Err(error) => {
            problems.add(
                key,
                format!(
                    "\"{value}\" is not a valid e-mail address ({error}); write a bare \
                     address like namn.efternamn@stockholm.se"
                ),
            );
            None
        }
    }
}

fn optional_email(value: Option<&str>, key: &str, problems: &mut Problems) -> Option<String> {
    optional(value).and_then(|text| email(text, key, problems))
}

fn web_url(value: &str, key: &str, problems: &mut Problems) -> Option<Url> {
    let value = value.trim();
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Some(url),
        Ok(_) => {
            problems.add(
                key,
                format!("\"{value}\" is not a web address; write an http:// or https:// URL"),
            );
            None
        }
        Err(error) => {
            problems.add(
                key,
                format!("\"{value}\" is not a valid URL ({error}); write e.g. https://example.com"),
            );
            None
        }
    }
}

/// Keys end up in file paths, log fields and CLI arguments, so they are
/// kept to a safe, unambiguous alphabet.
fn check_key_syntax(value: &str, key: &str, problems: &mut Problems) {
    let mut chars = value.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !starts_well || !rest_ok || value.len() > MAX_KEY_LEN {
        problems.add(
            key,
            format!(
                "\"{value}\" is not a usable key; use at most {MAX_KEY_LEN} lower-case \
                 letters a-z, digits, '-' and '_', starting with a letter or digit \
                 (it is used in file names and on the command line)"
            ),
        );
    }
}

// ---------------------------------------------------------------------------
// Sections

fn database_url(value: Option<&str>, problems: &mut Problems) -> String {
    let url = optional(value).unwrap_or(DEFAULT_DATABASE_URL);
    let known_scheme = ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| url.starts_with(scheme) && url.len() > scheme.len());
    if !known_scheme {
        problems.add(
            "database.url",
            "must be an SQLite URL (e.g. \"sqlite://data/kommentarsvakt.db\") or a PostgreSQL \
             URL (\"postgres://user@host/db\"); put a password in the environment variable \
             KOMMENTARSVAKT__DATABASE__URL rather than in the file",
        );
    }
    url.to_string()
}

fn screenshot_renderer(value: Option<&str>, problems: &mut Problems) -> super::ScreenshotRenderer {
    match value.map(str::trim) {
        None | Some("auto") | Some("chromium") => super::ScreenshotRenderer::Auto,
        Some("builtin") => super::ScreenshotRenderer::Builtin,
        Some(other) => {
            problems.add(
                "archive.screenshots",
                format!("\"{other}\" is not a renderer; write \"auto\" (Chromium when installed) or \"builtin\""),
            );
            super::ScreenshotRenderer::Auto
        }
    }
}

/// `archive.screenshot_concurrency`: tabs of the one Chromium drawing
/// evidence images at once.
fn screenshot_concurrency(value: Option<i64>, problems: &mut Problems) -> usize {
    let (min, max) = (1, MAX_SCREENSHOT_CONCURRENCY);
    let value = integer_between(
        value,
        i64::try_from(DEFAULT_SCREENSHOT_CONCURRENCY).unwrap_or(1),
        (min, i64::try_from(max).unwrap_or(i64::MAX)),
        "archive.screenshot_concurrency",
        "at least one image must be drawn at a time, and more tabs than that only share \
         the same processor cores while each holds a renderer's memory",
        problems,
    );
    usize::try_from(value).unwrap_or(DEFAULT_SCREENSHOT_CONCURRENCY)
}

fn path_or(value: Option<&str>, default: &str, key: &str, problems: &mut Problems) -> PathBuf {
    match value {
        None => PathBuf::from(default),
        Some(text) if text.trim().is_empty() => {
            problems.add(
                key,
                format!("is empty; give a directory, or leave the key out for \"{default}\""),
            );
            PathBuf::from(default)
        }
        Some(text) => PathBuf::from(text),
    }
}

// ---------------------------------------------------------------------------
// Classification

/// Compiles the word and phrase lists (the city's folder, or the embedded
/// ones) and parses the media hash list. A broken list is a problem naming the key,
/// the file and the line; `None` only when a problem was recorded.
fn classify(raw: &RawClassify, problems: &mut Problems) -> Option<ClassifyConfig> {
    let wordlists_dir = optional_path(
        raw.wordlists_dir.as_deref(),
        "classify.wordlists_dir",
        "give the folder of word lists, or leave the key out to use the built-in lists",
        problems,
    );
    let from_dir = wordlists_dir
        .as_deref()
        .and_then(|dir| folder_lexicon(dir, problems));
    let lexicon = match (&wordlists_dir, from_dir) {
        (_, Some(lexicon)) => Some(lexicon),
        (None, None) => embedded_lexicon(problems),
        (Some(_), None) => None,
    };
    let phrases = match wordlists_dir.as_deref() {
        // A missing folder is reported once, by `folder_lexicon`.
        Some(dir) if !dir.is_dir() => None,
        Some(dir) => ServicePhrases::load_dir(dir)
            .map_err(|error| problems.add("classify.wordlists_dir", error.to_string()))
            .ok(),
        None => ServicePhrases::embedded()
            .map_err(|error| {
                problems.add("classify", format!("the built-in phrase lists: {error}"))
            })
            .ok(),
    };
    let vocabulary = match wordlists_dir.as_deref() {
        // A missing folder is reported once, by `folder_lexicon`.
        Some(dir) if !dir.is_dir() => None,
        Some(dir) => Vocabulary::with_overlay(dir)
            .map_err(|error| problems.add("classify.wordlists_dir", error.to_string()))
            .ok(),
        None => Some(Vocabulary::builtin()),
    }
    .map(|vocabulary| {
        with_model_switches(
            vocabulary,
            raw.model.unwrap_or(true),
            raw.model_acts.unwrap_or(true),
        )
    });
    let confirm_also = confirm_also(raw, problems);
    let vocabulary = vocabulary.map(|vocabulary| Vocabulary {
        confirm_also,
        ..vocabulary
    });
    let media_hash_list = optional_path(
        raw.media_hash_list.as_deref(),
        "classify.media_hash_list",
        "give the file of SHA-256 hashes, or leave the key out",
        problems,
    );
    let media_hashes = media_hash_list
        .as_deref()
        .and_then(|file| media_hashes(file, problems))
        .map(Arc::new);
    Some(ClassifyConfig {
        wordlists_dir,
        lexicon: Arc::new(lexicon?),
        phrases: Arc::new(phrases?),
        vocabulary: Arc::new(vocabulary?),
        media_hash_list,
        media_hashes,
    })
}

/// The vocabulary without its trained models when `[classify] model =
/// false` (the rules alone then decide), and without the confirming model
/// when `model_acts = false` (the models then only send to review).
fn with_model_switches(mut vocabulary: Vocabulary, model: bool, model_acts: bool) -> Vocabulary {
    if !model {
        vocabulary.model = None;
        vocabulary.english_model = None;
    }
    if !model || !model_acts {
        vocabulary.obvious = None;
        vocabulary.english_obvious = None;
    }
    vocabulary
}

/// The rules of `[classify] confirm_also`, each a rule id of the rule
/// tables; an unknown id, or the key with the confirming model switched off,
/// is a problem naming it.
fn confirm_also(raw: &RawClassify, problems: &mut Problems) -> Vec<&'static str> {
    let ids = raw.confirm_also.as_deref().unwrap_or_default();
    let confirming = raw.model.unwrap_or(true) && raw.model_acts.unwrap_or(true);
    if !ids.is_empty() && !confirming {
        problems.add(
            "classify.confirm_also",
            "it needs the confirming model: set model = true and model_acts = true, or leave \
             the key out",
        );
    }
    ids.iter()
        .filter_map(|id| {
            let row = crate::classify::illegal::rule_table().find(|row| row.id == id.as_str());
            if row.is_none() {
                problems.add(
                    "classify.confirm_also",
                    format!(
                        "`{id}` is no rule id of the rule tables (the `RULES` of \
                         src/classify/illegal/*.rs, e.g. il.olaga_hot.third_person)"
                    ),
                );
            }
            row.map(|row| row.id)
        })
        .collect()
}

/// An optional path key: absent is fine, blank is a problem.
fn optional_path(
    value: Option<&str>,
    key: &str,
    hint: &str,
    problems: &mut Problems,
) -> Option<PathBuf> {
    let text = value?;
    if text.trim().is_empty() {
        problems.add(key, format!("is empty; {hint}"));
        return None;
    }
    Some(PathBuf::from(text))
}

fn folder_lexicon(dir: &Path, problems: &mut Problems) -> Option<Lexicon> {
    const KEY: &str = "classify.wordlists_dir";
    if !dir.is_dir() {
        problems.add(
            KEY,
            format!(
                "the folder {} does not exist (or is not a folder); relative paths are \
                 relative to the working directory",
                dir.display()
            ),
        );
        return None;
    }
    match Lexicon::with_overlay(dir) {
        Ok(lexicon) => Some(lexicon),
        Err(error) => {
            problems.add(KEY, error.to_string());
            None
        }
    }
}

fn embedded_lexicon(problems: &mut Problems) -> Option<Lexicon> {
    // Cannot fail in a released binary (a unit test compiles the embedded
    // lists), but is reported rather than panicking.
    Lexicon::embedded()
        .map_err(|error| problems.add("classify", format!("the built-in word lists: {error}")))
        .ok()
}

fn media_hashes(file: &Path, problems: &mut Problems) -> Option<MediaHashList> {
    const KEY: &str = "classify.media_hash_list";
    let contents = match std::fs::read_to_string(file) {
        Ok(contents) => contents,
        Err(error) => {
            problems.add(
                KEY,
                format!(
                    "cannot read {} ({error}); relative paths are relative to the working \
                     directory",
                    file.display()
                ),
            );
            return None;
        }
    };
    match MediaHashList::parse(&file.display().to_string(), &contents) {
        Ok(list) if list.is_empty() => {
            problems.add(
                KEY,
                format!(
                    "{} holds no hash; give the list as received (one SHA-256 in hex per line), \
                     or leave the key out",
                    file.display()
                ),
            );
            None
        }
        Ok(list) => Some(list),
        Err(error) => {
            problems.add(KEY, error.to_string());
            None
        }
    }
}

/// `archive.export_schemas_dir`: an existing folder holding `*.xsd` files,
/// checked now rather than when an export finds it missing.
fn export_schemas_dir(value: Option<&str>, problems: &mut Problems) -> Option<PathBuf> {
    const KEY: &str = "archive.export_schemas_dir";
    let text = value?;
    if text.trim().is_empty() {
        problems.add(
            KEY,
            "is empty; give the folder of XML schemas, or leave the key out",
        );
        return None;
    }
    let dir = PathBuf::from(text);
    if !dir.is_dir() {
        problems.add(
            KEY,
            format!(
                "the folder {} does not exist (or is not a folder)",
                dir.display()
            ),
        );
        return None;
    }
    match super::schema_files(&dir) {
        Ok(files) if !files.is_empty() => Some(dir),
        Ok(_) => {
            problems.add(
                KEY,
                format!(
                    "the folder {} holds no *.xsd files; put the XML schemas the export \
                     package uses there (METS, XLink, DILCIS METS extension, PREMIS 3, EAD 2002)",
                    dir.display()
                ),
            );
            None
        }
        Err(error) => {
            problems.add(
                KEY,
                format!("the folder {} cannot be read: {error}", dir.display()),
            );
            None
        }
    }
}

fn retention(
    raw: &RawRetention,
    raw_accounts: &[RawAccount],
    problems: &mut Problems,
) -> RetentionConfig {
    let period = |value: Option<&str>, default: Duration, key: &str, problems: &mut Problems| {
        let period = duration_or(value, default, key, problems);
        check_duration_between(
            period,
            MIN_RETENTION,
            None,
            key,
            "retention is counted in months and years; write e.g. \"2y\" or \"18months\"",
            problems,
        );
        period
    };
    let ordinary = period(
        raw.ordinary.as_deref(),
        DEFAULT_RETENTION_ORDINARY,
        "retention.ordinary",
        problems,
    );
    let removed_evidence = period(
        raw.removed_evidence.as_deref(),
        DEFAULT_RETENTION_REMOVED,
        "retention.removed_evidence",
        problems,
    );
    let mut categories = std::collections::BTreeMap::new();
    for (name, value) in raw.categories.iter().flatten() {
        let key = format!("retention.categories.{name}");
        let category = serde_json::from_value::<Category>(serde_json::Value::String(name.clone()));
        match category {
            Ok(category) => {
                categories.insert(category, period(Some(value), ordinary, &key, problems));
            }
            Err(_) => problems.add(
                key,
                format!(
                    "\"{name}\" is not a finding category; use a name the classify command \
                     prints, e.g. \"olaga_hot\" or \"personnummer\""
                ),
            ),
        }
    }
    let known: HashSet<&str> = raw_accounts
        .iter()
        .filter_map(|account| optional(account.key.as_deref()))
        .collect();
    let mut accounts = std::collections::BTreeMap::new();
    for (account, periods) in raw.accounts.iter().flatten() {
        let key = format!("retention.accounts.{account}");
        if !known.contains(account.as_str()) {
            problems.add(
                &key,
                format!("\"{account}\" is not the key of any [[accounts]] entry"),
            );
        }
        let ordinary_key = format!("{key}.ordinary");
        let removed_key = format!("{key}.removed_evidence");
        accounts.insert(
            account.clone(),
            RetentionPeriods {
                ordinary: periods
                    .ordinary
                    .as_deref()
                    .map(|v| period(Some(v), ordinary, &ordinary_key, problems)),
                removed_evidence: periods
                    .removed_evidence
                    .as_deref()
                    .map(|v| period(Some(v), removed_evidence, &removed_key, problems)),
            },
        );
    }
    RetentionConfig {
        ordinary,
        removed_evidence,
        categories,
        accounts,
        cull_schedule: None,
    }
}

/// A time the service acts by itself (culling, daily checks), as a cron
/// expression in the city's time zone: `default` when not written, `None`
/// when it is `"off"` (`key` then names what an operator runs by hand,
/// `by_hand`).
fn timed_schedule(
    value: Option<&str>,
    (key, default, by_hand): (&str, &str, &str),
    timezone: Tz,
    problems: &mut Problems,
) -> Option<CullSchedule> {
    let expression = value.map(str::trim).unwrap_or(default);
    if expression.eq_ignore_ascii_case(CULL_SCHEDULE_OFF) {
        return None;
    }
    match CullSchedule::new(expression, timezone) {
        Ok(schedule) => Some(schedule),
        Err(reason) => {
            problems.add(
                key,
                format!("{reason}; or write \"{CULL_SCHEDULE_OFF}\" to {by_hand}"),
            );
            None
        }
    }
}

fn schedule(raw: &RawSchedule, problems: &mut Problems) -> Option<Schedule> {
    let timezone = timezone(raw.timezone.as_deref(), problems);
    let slots = slots(raw.slots.as_deref(), problems);
    let extra_closed_days = closed_days(raw.extra_closed_days.as_deref(), problems);
    let office_hours = office_hours(raw.office_hours.as_deref(), problems);
    let (timezone, (office_start, office_end)) = (timezone?, office_hours?);
    let spec = ScheduleSpec {
        timezone,
        slots,
        extra_closed_days,
        office_start,
        office_end,
    };
    match Schedule::new(spec) {
        Ok(schedule) => Some(schedule),
        Err(errors) if errors.is_empty() => {
            problems.add("schedule", "could not be built, though no reason was given");
            None
        }
        Err(errors) => {
            for error in errors {
                let problem = schedule_problem(error);
                problems.add(problem.key, problem.reason);
            }
            None
        }
    }
}

/// Places a schedule error at the key it is about.
fn schedule_problem(error: ScheduleError) -> Problem {
    let key = match &error {
        ScheduleError::BadSlot { index, .. } => format!("schedule.slots[{index}]"),
        ScheduleError::NoSlots => "schedule.slots".to_string(),
        ScheduleError::OfficeHoursEndBeforeStart { .. } => "schedule.office_hours".to_string(),
    };
    let reason = match error {
        ScheduleError::BadSlot { reason, .. } => reason,
        other => other.to_string(),
    };
    Problem::new(key, reason)
}

fn timezone(value: Option<&str>, problems: &mut Problems) -> Option<Tz> {
    let Some(name) = value else {
        return Some(DEFAULT_TIMEZONE);
    };
    match name.trim().parse::<Tz>() {
        Ok(timezone) => Some(timezone),
        Err(_) => {
            problems.add(
                "schedule.timezone",
                format!(
                    "\"{name}\" is not an IANA time zone name; write e.g. \"Europe/Stockholm\""
                ),
            );
            None
        }
    }
}

fn slots(value: Option<&[String]>, problems: &mut Problems) -> Vec<String> {
    let Some(slots) = value else {
        return DEFAULT_SLOTS.iter().map(|slot| slot.to_string()).collect();
    };
    if slots.len() < MIN_SLOTS {
        problems.add(
            "schedule.slots",
            format!(
                "lists {} slot(s); the social-media policy requires monitoring at least \
                 {MIN_SLOTS} times a day during office hours, so list at least {MIN_SLOTS}",
                slots.len()
            ),
        );
    }
    slots.iter().map(|slot| slot.trim().to_string()).collect()
}

fn closed_days(value: Option<&[String]>, problems: &mut Problems) -> Vec<NaiveDate> {
    value
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(
            |(index, text)| match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(error) => {
                    problems.add(
                        format!("schedule.extra_closed_days[{index}]"),
                        format!("\"{text}\" is not a date ({error}); write e.g. \"2026-12-28\""),
                    );
                    None
                }
            },
        )
        .collect()
}

fn office_hours(value: Option<&str>, problems: &mut Problems) -> Option<(NaiveTime, NaiveTime)> {
    let text = value.unwrap_or(DEFAULT_OFFICE_HOURS).trim();
    let parsed = text.split_once('-').and_then(|(start, end)| {
        let start = NaiveTime::parse_from_str(start.trim(), "%H:%M").ok()?;
        let end = NaiveTime::parse_from_str(end.trim(), "%H:%M").ok()?;
        Some((start, end))
    });
    match parsed {
        Some((start, end)) if start < end => Some((start, end)),
        Some(_) => {
            problems.add(
                "schedule.office_hours",
                format!("\"{text}\" ends before it starts; write e.g. \"08:00-17:00\""),
            );
            None
        }
        None => {
            problems.add(
                "schedule.office_hours",
                format!(
                    "\"{text}\" is not a time range; write \"HH:MM-HH:MM\", e.g. \"08:00-17:00\""
                ),
            );
            None
        }
    }
}

fn crisis(raw: &RawCrisis, problems: &mut Problems) -> CrisisConfig {
    let interval = duration_or(
        raw.interval.as_deref(),
        DEFAULT_CRISIS_INTERVAL,
        "crisis.interval",
        problems,
    );
    check_duration_between(
        interval,
        MIN_CRISIS_INTERVAL,
        Some(MAX_CRISIS_INTERVAL),
        "crisis.interval",
        "shorter would hit the platforms' rate limits; longer would monitor less often \
         than in normal times",
        problems,
    );
    CrisisConfig {
        enabled: raw.enabled.unwrap_or(false),
        interval,
    }
}

fn polling(raw: &RawPolling, problems: &mut Problems) -> PollingConfig {
    let concurrency = integer_between(
        raw.concurrency,
        DEFAULT_CONCURRENCY,
        (1, MAX_CONCURRENCY),
        "polling.concurrency",
        "at least one account must be polled at a time",
        problems,
    );
    let request_timeout = duration_or(
        raw.request_timeout.as_deref(),
        DEFAULT_REQUEST_TIMEOUT,
        "polling.request_timeout",
        problems,
    );
    check_duration_between(
        request_timeout,
        MIN_REQUEST_TIMEOUT,
        Some(MAX_REQUEST_TIMEOUT),
        "polling.request_timeout",
        "platform APIs answer within seconds; a hung request must not stall a run",
        problems,
    );
    let max_retries = integer_between(
        raw.max_retries,
        DEFAULT_MAX_RETRIES,
        (0, MAX_RETRIES),
        "polling.max_retries",
        "more retries only burn the rate limit; the next run catches up",
        problems,
    );
    let post_lookback = duration_or(
        raw.post_lookback.as_deref(),
        DEFAULT_POST_LOOKBACK,
        "polling.post_lookback",
        problems,
    );
    check_duration_between(
        post_lookback,
        MIN_POST_LOOKBACK,
        None,
        "polling.post_lookback",
        "comments keep arriving on posts for days, and every comment must be seen",
        problems,
    );
    let youtube_daily_quota = integer_between(
        raw.youtube_daily_quota,
        DEFAULT_YOUTUBE_DAILY_QUOTA,
        (1, i64::MAX),
        "polling.youtube_daily_quota",
        "the quota Google granted the project, in units; at least one",
        problems,
    );
    PollingConfig {
        attachment_hosts: attachment_hosts(raw.attachment_hosts.as_deref(), problems),
        youtube_daily_quota: u64::try_from(youtube_daily_quota).unwrap_or(1),
        concurrency: usize::try_from(concurrency).unwrap_or(1),
        request_timeout,
        max_retries: u32::try_from(max_retries).unwrap_or(0),
        post_lookback,
    }
}

/// The attachment allow-list: each platform's media hosts, or the city's
/// list, every entry a host name (a wrong one is named, not skipped).
fn attachment_hosts(raw: Option<&[String]>, problems: &mut Problems) -> super::MediaHosts {
    const KEY: &str = "polling.attachment_hosts";
    let Some(list) = raw else {
        return super::MediaHosts::platform_defaults();
    };
    if list.is_empty() {
        problems.add(
            KEY,
            "is empty; leave the key out to use each platform's media hosts",
        );
    }
    for pattern in list {
        if let Err(why) = super::check_host_pattern(pattern) {
            problems.add(KEY, why);
        }
    }
    super::MediaHosts::configured(list.to_vec())
}

fn policy(raw: &RawPolicy, problems: &mut Problems) -> PolicyConfig {
    use ModerationAction::{Delete, Hide, None as NoAction, Review};
    let obvious_why = "the social-media policy requires obvious cases to be removed after \
                       they are documented, so \"none\" is not allowed";
    PolicyConfig {
        obvious_illegal: action(
            raw.obvious_illegal.as_deref(),
            PolicyConfig::DEFAULT.obvious_illegal,
            &[Hide, Delete, Review],
            "policy.obvious_illegal",
            obvious_why,
            problems,
        ),
        obvious_personal_data: action(
            raw.obvious_personal_data.as_deref(),
            PolicyConfig::DEFAULT.obvious_personal_data,
            &[Hide, Delete, Review],
            "policy.obvious_personal_data",
            obvious_why,
            problems,
        ),
        other_flagged: action(
            raw.other_flagged.as_deref(),
            PolicyConfig::DEFAULT.other_flagged,
            &[Review, NoAction],
            "policy.other_flagged",
            "only obvious cases may be acted on automatically; lawful criticism must never \
             be removed by the program",
            problems,
        ),
    }
}

fn action_name(action: ModerationAction) -> &'static str {
    match action {
        ModerationAction::None => "none",
        ModerationAction::Review => "review",
        ModerationAction::Hide => "hide",
        ModerationAction::Delete => "delete",
    }
}

fn action(
    value: Option<&str>,
    default: ModerationAction,
    allowed: &[ModerationAction],
    key: &str,
    why: &str,
    problems: &mut Problems,
) -> ModerationAction {
    let Some(text) = value else {
        return default;
    };
    let allowed_names = allowed
        .iter()
        .map(|action| format!("\"{}\"", action_name(*action)))
        .collect::<Vec<_>>()
        .join(", ");
    let all = [
        ModerationAction::None,
        ModerationAction::Review,
        ModerationAction::Hide,
        ModerationAction::Delete,
    ];
    match all.into_iter().find(|a| action_name(*a) == text.trim()) {
        Some(action) if allowed.contains(&action) => action,
        Some(_) => {
            problems.add(
                key,
                format!("\"{text}\" is not allowed here: {why}; use one of {allowed_names}"),
            );
            default
        }
        None => {
            problems.add(
                key,
                format!("\"{text}\" is not an action; use one of {allowed_names}"),
            );
            default
        }
    }
}

fn mail(
    raw: Option<&RawMail>,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<MailConfig> {
    let Some(raw) = raw else {
        problems.add(
            "mail",
            "section [mail] is missing; it says where alerts to moderators go (from, \
             transport, …), and without it nobody is told about anything",
        );
        return None;
    };
    let from = required(
        raw.from.as_deref(),
        "mail.from",
        "give the sender address of alerts, e.g. kommentarsvakt@stockholm.se",
        problems,
    )
    .and_then(|text| email(text, "mail.from", problems));
    let registry_mailbox = optional_email(
        raw.registry_mailbox.as_deref(),
        "mail.registry_mailbox",
        problems,
    );
    let operations_address = optional_email(
        raw.operations_address.as_deref(),
        "mail.operations_address",
        problems,
    );
    let transport = mail_transport(raw, secrets, problems);
    Some(MailConfig {
        from: from?,
        registry_mailbox,
        operations_address,
        transport: transport?,
    })
}

fn mail_transport(
    raw: &RawMail,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<MailTransport> {
    let hint = "write \"smtp\" (with a [mail.smtp] section) or \"folder\" (e-mails are \
                written as .eml files, for local use and the demo)";
    match required(raw.transport.as_deref(), "mail.transport", hint, problems)? {
        "folder" => Some(MailTransport::Folder {
            dir: path_or(
                raw.folder.as_deref(),
                DEFAULT_MAIL_FOLDER,
                "mail.folder",
                problems,
            ),
        }),
        "smtp" => match raw.smtp.as_ref() {
            Some(smtp) => smtp_transport(smtp, secrets, problems),
            None => {
                problems.add(
                    "mail.smtp",
                    "is missing, but mail.transport is \"smtp\"; add a [mail.smtp] section \
                     with at least host",
                );
                None
            }
        },
        other => {
            problems.add(
                "mail.transport",
                format!("\"{other}\" is not a transport; {hint}"),
            );
            None
        }
    }
}

fn smtp_transport(
    raw: &RawSmtp,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<MailTransport> {
    let host = required(
        raw.host.as_deref(),
        "mail.smtp.host",
        "give the SMTP server's host name",
        problems,
    );
    let security = smtp_security(raw.security.as_deref(), problems);
    if let (Some(host), SmtpSecurity::None) = (host, security)
        && !is_loopback(host)
    {
        problems.add(
            "mail.smtp.security",
            format!(
                "is \"none\" but the server {host} is not on this machine; unencrypted \
                     SMTP is only allowed to a relay on localhost, use \"starttls\" or \"tls\""
            ),
        );
    }
    let ca = optional(raw.ca_file.as_deref()).and_then(|file| ca_certificates(file, problems));
    if ca.is_some() && security == SmtpSecurity::None {
        problems.add(
            "mail.smtp.ca_file",
            "is set but mail.smtp.security is \"none\", so no certificate would be checked; \
             use \"starttls\" or \"tls\", or remove ca_file",
        );
    }
    let default_port = match security {
        SmtpSecurity::Starttls => 587,
        SmtpSecurity::Tls => 465,
        SmtpSecurity::None => 25,
    };
    let port = integer_between(
        raw.port,
        default_port,
        (1, i64::from(u16::MAX)),
        "mail.smtp.port",
        "a TCP port number",
        problems,
    );
    let username = optional(raw.username.as_deref()).map(str::to_string);
    let sources = SecretSources {
        prefix: "mail.smtp",
        what: "password",
        env: raw.password_env.as_deref(),
        file: raw.password_file.as_deref(),
        credential: raw.password_credential.as_deref(),
    };
    let password = if sources.any_given() {
        if username.is_none() {
            problems.add(
                "mail.smtp.username",
                "is missing, but a password is configured; give the login name too",
            );
        }
        resolve_secret(&sources, secrets, problems)
    } else {
        if username.is_some() {
            problems.add(
                "mail.smtp",
                "has a username but no password; set one of password_env, password_file or \
                 password_credential",
            );
        }
        None
    };
    let timeout = duration_or(
        raw.timeout.as_deref(),
        DEFAULT_SMTP_TIMEOUT,
        "mail.smtp.timeout",
        problems,
    );
    Some(MailTransport::Smtp {
        host: host?.to_string(),
        port: u16::try_from(port).unwrap_or(25),
        security,
        username,
        password,
        ca,
        timeout,
    })
}

/// Reads `mail.smtp.ca_file` now, so that a wrong path or a file without a
/// usable certificate is reported at start and not as a TLS failure on the
/// first alert. Every certificate in it must be one rustls can trust as a
/// root, as the mailer will add each of them.
fn ca_certificates(file: &str, problems: &mut Problems) -> Option<CaCertificates> {
    const KEY: &str = "mail.smtp.ca_file";
    let pem = match std::fs::read(file) {
        Ok(pem) => pem,
        Err(error) => {
            problems.add(
                KEY,
                format!(
                    "cannot read {file} ({error}); relative paths are relative to the working \
                     directory"
                ),
            );
            return None;
        }
    };
    match check_root_certificates(&pem) {
        Ok(0) => problems.add(
            KEY,
            format!(
                "{file} holds no PEM certificate; give the CA certificate in PEM form \
                 (-----BEGIN CERTIFICATE-----)"
            ),
        ),
        Ok(_) => {
            return Some(CaCertificates {
                file: PathBuf::from(file),
                pem,
            });
        }
        Err(reason) => problems.add(KEY, format!("{file}: {reason}")),
    }
    None
}

/// Counts the certificates in PEM text, failing on one that does not
/// decode or that rustls would not accept as a trust anchor.
fn check_root_certificates(pem: &[u8]) -> Result<usize, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    for (index, certificate) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let number = index + 1;
        let certificate = certificate
            .map_err(|error| format!("certificate {number} is not valid PEM ({error})"))?;
        roots.add(certificate).map_err(|error| {
            format!("certificate {number} cannot be used as a root certificate ({error})")
        })?;
    }
    Ok(roots.len())
}

fn smtp_security(value: Option<&str>, problems: &mut Problems) -> SmtpSecurity {
    match value.map(str::trim) {
        None | Some("starttls") => SmtpSecurity::Starttls,
        Some("tls") => SmtpSecurity::Tls,
        Some("none") => SmtpSecurity::None,
        Some(other) => {
            problems.add(
                "mail.smtp.security",
                format!(
                    "\"{other}\" is not a security mode; write \"starttls\" (port 587), \"tls\" \
                     (port 465) or \"none\" (only for a relay on localhost)"
                ),
            );
            SmtpSecurity::Starttls
        }
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn metrics_listen(value: Option<&str>, problems: &mut Problems) -> Option<SocketAddr> {
    let text = optional(value)?;
    match text.parse::<SocketAddr>() {
        Ok(address) => Some(address),
        Err(_) => {
            problems.add(
                "metrics.listen",
                format!(
                    "\"{text}\" is not an IP address with a port; write e.g. \"127.0.0.1:9187\", \
                     or leave the key out for no metrics endpoint"
                ),
            );
            None
        }
    }
}

fn departments(raw: &[RawDepartment], problems: &mut Problems) -> Vec<DepartmentConfig> {
    report_duplicate_keys(
        raw.iter().map(|department| department.key.as_deref()),
        "departments",
        problems,
    );
    raw.iter()
        .enumerate()
        .filter_map(|(index, department)| self::department(index, department, problems))
        .collect()
}

fn department(
    index: usize,
    raw: &RawDepartment,
    problems: &mut Problems,
) -> Option<DepartmentConfig> {
    let at = |field: &str| format!("departments[{index}].{field}");
    let key = required(
        raw.key.as_deref(),
        &at("key"),
        "give a short key that accounts refer to, e.g. \"stadsledningskontoret\"",
        problems,
    );
    if let Some(key) = key {
        check_key_syntax(key, &at("key"), problems);
    }
    let name = required(
        raw.name.as_deref(),
        &at("name"),
        "give the department's full name, as shown in e-mails",
        problems,
    );
    let central_address = optional_email(
        raw.central_address.as_deref(),
        &at("central_address"),
        problems,
    );
    Some(DepartmentConfig {
        key: key?.to_string(),
        name: name?.to_string(),
        central_address,
    })
}

/// Reports every repeat of a key at the later entry, naming the first.
fn report_duplicate_keys<'a>(
    keys: impl Iterator<Item = Option<&'a str>>,
    list: &str,
    problems: &mut Problems,
) {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (index, key) in keys.enumerate() {
        let Some(key) = optional(key) else { continue };
        match first_seen.get(key) {
            Some(first) => problems.add(
                format!("{list}[{index}].key"),
                format!("\"{key}\" is already used by {list}[{first}]; keys must be unique"),
            ),
            None => {
                first_seen.insert(key, index);
            }
        }
    }
}

fn accounts(
    raw: &[RawAccount],
    raw_departments: &[RawDepartment],
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Vec<AccountConfig> {
    if raw.is_empty() {
        problems.add(
            "accounts",
            "no accounts are configured; add an [[accounts]] entry for every account to monitor",
        );
    }
    report_duplicate_keys(
        raw.iter().map(|account| account.key.as_deref()),
        "accounts",
        problems,
    );
    report_duplicate_platform_ids(raw, problems);
    let department_keys: HashSet<&str> = raw_departments
        .iter()
        .filter_map(|department| optional(department.key.as_deref()))
        .collect();
    raw.iter()
        .enumerate()
        .filter_map(|(index, account)| {
            self::account(index, account, &department_keys, secrets, problems)
        })
        .collect()
}

/// The same platform account configured twice would be polled twice and
/// alert twice.
fn report_duplicate_platform_ids(raw: &[RawAccount], problems: &mut Problems) {
    let mut first_seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (index, account) in raw.iter().enumerate() {
        let platform = optional(account.platform.as_deref());
        let id = optional(account.platform_id.as_deref());
        let (Some(platform), Some(id)) = (platform, id) else {
            continue;
        };
        match first_seen.get(&(platform, id)) {
            Some(first) => problems.add(
                format!("accounts[{index}].platform_id"),
                format!(
                    "{platform} account \"{id}\" is already configured as accounts[{first}]; \
                     each platform account may be listed once"
                ),
            ),
            None => {
                first_seen.insert((platform, id), index);
            }
        }
    }
}

fn account(
    index: usize,
    raw: &RawAccount,
    department_keys: &HashSet<&str>,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<AccountConfig> {
    let prefix = format!("accounts[{index}]");
    let at = |field: &str| format!("{prefix}.{field}");
    let key = required(
        raw.key.as_deref(),
        &at("key"),
        "give a short unique key, e.g. \"stockholmsstad-facebook\"",
        problems,
    );
    if let Some(key) = key {
        check_key_syntax(key, &at("key"), problems);
    }
    let platform = platform(raw.platform.as_deref(), &at("platform"), problems);
    let platform_id = platform_id(raw.platform_id.as_deref(), &at("platform_id"), problems);
    let name = required(
        raw.name.as_deref(),
        &at("name"),
        "give the account's display name",
        problems,
    );
    let department = account_department(
        raw.department.as_deref(),
        department_keys,
        &at("department"),
        problems,
    );
    let moderators = moderators(raw.moderators.as_deref(), &at("moderators"), problems);
    let purpose = required(
        raw.purpose.as_deref(),
        &at("purpose"),
        "the social-media policy requires every account to have a decided purpose; write it here",
        problems,
    );
    let link = optional(raw.link.as_deref())
        .and_then(|text| web_url(text, &at("link"), problems))
        .map(String::from);
    let register = register::account_register(raw, &prefix, problems);
    let credentials = oauth::credentials(raw, platform, &prefix, secrets, problems);
    let platform = platform?;
    let api_base_url = match optional(raw.api_base_url.as_deref()) {
        Some(text) => web_url(text, &at("api_base_url"), problems)
            .map(|url| url.as_str().trim_end_matches('/').to_string()),
        None => Some(default_api_base_url(platform).to_string()),
    };
    let api_version = match default_api_version(platform) {
        Some(default) => Some(
            optional(raw.api_version.as_deref())
                .unwrap_or(default)
                .to_string(),
        ),
        None => oauth::linkedin_version(raw.api_version.as_deref(), &at("api_version"), problems),
    };
    let (token, oauth) = credentials?;
    Some(AccountConfig {
        key: key?.to_string(),
        platform,
        platform_id: platform_id?.to_string(),
        name: name?.to_string(),
        department: department?.to_string(),
        moderators,
        purpose: purpose?.to_string(),
        link,
        register,
        token,
        api_base_url: api_base_url?,
        api_version: api_version?,
        dry_run: raw.dry_run.unwrap_or(false),
        review_unread_languages: raw.review_unread_languages.unwrap_or(true),
        oauth,
        quota_project: quota_project(
            raw.quota_project.as_deref(),
            platform,
            &at("quota_project"),
            problems,
        ),
    })
}

/// `quota_project`: a name, and only where a daily quota is shared by
/// project (YouTube).
fn quota_project(
    value: Option<&str>,
    platform: PlatformKind,
    key: &str,
    problems: &mut Problems,
) -> Option<String> {
    let name = value?;
    if platform != PlatformKind::Youtube {
        problems.add(
            key,
            format!(
                "only YouTube accounts share a Google project's quota; remove quota_project from \
                 this {platform} account"
            ),
        );
        return None;
    }
    match optional(Some(name)) {
        Some(name) => Some(name.to_string()),
        None => {
            problems.add(
                key,
                "give the Google Cloud project's id, e.g. \"stockholm-kommentarsvakt\", or remove the key",
            );
            None
        }
    }
}

fn platform(value: Option<&str>, key: &str, problems: &mut Problems) -> Option<PlatformKind> {
    let hint = "write one of \"facebook\", \"instagram\", \"youtube\", \"linkedin\" or \"x\"";
    let platform = match required(value, key, hint, problems)? {
        "facebook" => PlatformKind::Facebook,
        "instagram" => PlatformKind::Instagram,
        "youtube" => PlatformKind::Youtube,
        "linkedin" => PlatformKind::Linkedin,
        "x" => PlatformKind::X,
        other => {
            problems.add(
                key,
                format!("\"{other}\" is not a supported platform; {hint}"),
            );
            return None;
        }
    };
    Some(platform)
}

/// Platform ids go into API paths, so characters that would change the
/// path are refused.
fn platform_id<'a>(value: Option<&'a str>, key: &str, problems: &mut Problems) -> Option<&'a str> {
    let id = required(
        value,
        key,
        "give the platform's id of the account (page id, channel id, …)",
        problems,
    )?;
    if id
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '&' | '%'))
    {
        problems.add(
            key,
            format!(
                "\"{id}\" contains characters that cannot be part of an API path; give the \
                 id exactly as the platform shows it, without a URL around it"
            ),
        );
        return None;
    }
    Some(id)
}

fn account_department<'a>(
    value: Option<&'a str>,
    department_keys: &HashSet<&str>,
    key: &str,
    problems: &mut Problems,
) -> Option<&'a str> {
    let department = required(
        value,
        key,
        "give the key of the department or company that owns the account",
        problems,
    )?;
    if department_keys.contains(department) {
        return Some(department);
    }
    let mut known: Vec<&str> = department_keys.iter().copied().collect();
    known.sort_unstable();
    let known = if known.is_empty() {
        "no [[departments]] are configured".to_string()
    } else {
        format!("configured departments: {}", known.join(", "))
    };
    problems.add(
        key,
        format!("\"{department}\" is not a configured department ({known}); add it under [[departments]] or fix the key"),
    );
    None
}

fn moderators(value: Option<&[String]>, key: &str, problems: &mut Problems) -> Vec<String> {
    let list = value.unwrap_or_default();
    if list.is_empty() {
        problems.add(
            key,
            "lists nobody; the social-media policy requires a responsible person for every \
             account, so give at least one e-mail address",
        );
    }
    list.iter()
        .enumerate()
        .filter_map(|(index, address)| email(address, &format!("{key}[{index}]"), problems))
        .collect()
}

/// The defaults are the platforms' public API hosts; connectors add the
/// version and path.
pub(super) fn default_api_base_url(platform: PlatformKind) -> &'static str {
    match platform {
        PlatformKind::Facebook | PlatformKind::Instagram => "https://graph.facebook.com",
        PlatformKind::Youtube => "https://www.googleapis.com",
        PlatformKind::Linkedin => "https://api.linkedin.com",
        PlatformKind::X => "https://api.x.com",
    }
}

/// `None` for LinkedIn: each `LinkedIn-Version` is sunset after a year,
/// so a built-in default would stop working on its own; the account names
/// its version (see `oauth::linkedin_version`).
pub(super) fn default_api_version(platform: PlatformKind) -> Option<&'static str> {
    match platform {
        PlatformKind::Facebook | PlatformKind::Instagram => Some("v24.0"),
        PlatformKind::Youtube => Some("v3"),
        PlatformKind::Linkedin => None,
        PlatformKind::X => Some("2"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const REFERENCE: &str = include_str!("../../config/kommentarsvakt.toml");
    const DEMO: &str = include_str!("../../config/demo.toml");
    const ENV_EXAMPLE: &str = include_str!("../../deploy/kommentarsvakt.env.example");

    /// A minimal valid configuration; tests change one thing at a time.
    pub(super) const MINIMAL: &str = r#"
        [mail]
        from = "kommentarsvakt@stockholm.se"
        transport = "folder"

        [[departments]]
        key = "slk"
        name = "Stadsledningskontoret"

        [[accounts]]
        key = "stockholm-fb"
        platform = "facebook"
        platform_id = "123"
        name = "Stockholms stad"
        department = "slk"
        moderators = ["moderator@stockholm.se"]
        purpose = "Informera invånarna"
        token_env = "FB_TOKEN"
    "#;

    const TOKEN: &str = "EAAB-very-secret-token-value";

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    fn problems_of(result: Result<Config, ConfigError>) -> Vec<Problem> {
        match result {
            Err(ConfigError::Invalid { problems, .. }) => problems,
            Err(other) => panic!("expected problems, got {other}"),
            Ok(_) => panic!("expected problems, the config was accepted"),
        }
    }

    fn keys(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn reference_config_loads_with_its_tokens_in_the_environment() {
        let env = vars(&[
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_FACEBOOK", "t1"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_INSTAGRAM", "t2"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_YOUTUBE", "t3"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_LINKEDIN", "t4"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_X", "t5"),
            ("KOMMENTARSVAKT_SMTP_PASSWORD", "pw"),
        ]);
        let config = load_str_with_env(REFERENCE, "kommentarsvakt.toml", &env)
            .unwrap_or_else(|error| panic!("{error}"));
        let enabled = REFERENCE
            .lines()
            .filter(|line| line.trim() == "[[accounts]]")
            .count();
        assert!(enabled >= 1);
        assert_eq!(config.accounts.len(), enabled);
        assert!(!config.crisis.enabled);
        assert_eq!(config.crisis.interval, Duration::from_secs(600));
        assert!(matches!(
            config.mail.transport,
            MailTransport::Smtp {
                security: SmtpSecurity::Starttls,
                port: 587,
                ..
            }
        ));
        assert!(config.accounts.iter().all(|a| a.token.is_some()));
        assert_eq!(
            config.accounts[0].api_base_url,
            "https://graph.facebook.com"
        );
        assert_eq!(config.accounts[0].api_version, "v24.0");
    }

    /// The reference config's commented `[web]` and `[web.oidc]` sections,
    /// switched on as an operator would (removing one `# `), load: the
    /// documented Entra settings are valid as written.
    #[test]
    fn reference_console_and_entra_login_load_when_uncommented() {
        let mut in_web = false;
        let enabled: String = REFERENCE
            .lines()
            .map(|line| {
                in_web = (in_web && line.starts_with('#')) || line == "# [web]";
                match (in_web, line.strip_prefix("# ")) {
                    (true, Some(uncommented)) => uncommented,
                    (true, None) => "",
                    (false, _) => line,
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(enabled.contains("\n[web.oidc]\n"), "{enabled}");
        let env = vars(&[
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_FACEBOOK", "t1"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_YOUTUBE", "t3"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_LINKEDIN", "t4"),
            ("KOMMENTARSVAKT_SMTP_PASSWORD", "pw"),
            ("KOMMENTARSVAKT_OIDC_CLIENT_SECRET", "entra-secret"),
        ]);
        let config = load_str_with_env(&enabled, "kommentarsvakt.toml", &env)
            .unwrap_or_else(|error| panic!("{error}"));
        let web = config.web.unwrap_or_else(|| panic!("[web] is on"));
        let oidc = web.oidc.unwrap_or_else(|| panic!("[web.oidc] is on"));
        assert!(
            oidc.issuer
                .starts_with("https://login.microsoftonline.com/")
                && oidc.issuer.ends_with("/v2.0")
        );
        assert_eq!(oidc.user_claim, "preferred_username");
        assert_eq!(oidc.client_secret.expose_secret(), "entra-secret");
        assert_eq!(oidc.moderator_groups.len(), 1);
        let without_secret = vars(&[
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_FACEBOOK", "t1"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_YOUTUBE", "t3"),
            ("KOMMENTARSVAKT_TOKEN_STOCKHOLM_LINKEDIN", "t4"),
            ("KOMMENTARSVAKT_SMTP_PASSWORD", "pw"),
        ]);
        let problems = problems_of(load_str_with_env(
            &enabled,
            "kommentarsvakt.toml",
            &without_secret,
        ));
        assert_eq!(keys(&problems), ["web.oidc.client_secret_env"]);
    }

    #[test]
    fn demo_config_loads_when_the_simulator_token_file_exists() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("simulator-token"), "sim-token\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let text = DEMO.replace("demo-data/", &format!("{}/", dir.path().display()));
        let config = load_str_with_env(&text, "demo.toml", &HashMap::new())
            .unwrap_or_else(|error| panic!("{error}"));
        let ids: Vec<(PlatformKind, &str)> = config
            .accounts
            .iter()
            .map(|a| (a.platform, a.platform_id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                (PlatformKind::Facebook, "100000000000001"),
                (PlatformKind::Instagram, "100000000000002"),
                (PlatformKind::X, "100000000000003"),
                (PlatformKind::Youtube, "100000000000004"),
                (
                    PlatformKind::Linkedin,
                    "urn:li:organization:100000000000005"
                ),
            ]
        );
        assert!(matches!(
            config.mail.transport,
            MailTransport::Folder { .. }
        ));
        let token = config.accounts[0].token.as_ref().map(|t| t.expose_secret());
        assert_eq!(token, Some("sim-token"));
    }

    #[test]
    fn demo_config_without_the_token_file_names_the_token_key() {
        let text = DEMO.replace("demo-data/", "/nonexistent-kommentarsvakt-test/");
        let problems = problems_of(load_str_with_env(&text, "demo.toml", &HashMap::new()));
        assert!(
            keys(&problems).contains(&"accounts[0].token_file"),
            "{problems:?}"
        );
    }

    /// The variables `deploy/kommentarsvakt.env.example` defines (its
    /// `NAME=value` lines; comments and blank lines skipped), with their
    /// placeholder values.
    /// The example's variables, each filled in as an operator would: the
    /// example's own values are placeholders that check-config refuses, so
    /// every one must start with the placeholder prefix.
    fn env_example() -> HashMap<String, String> {
        ENV_EXAMPLE
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                let (name, value) = line.split_once('=').unwrap_or_else(|| {
                    panic!("kommentarsvakt.env.example: not NAME=value: {line}")
                });
                assert!(
                    value.trim().starts_with(secrets::EXAMPLE_PLACEHOLDER),
                    "kommentarsvakt.env.example: {name} is not a placeholder"
                );
                (
                    name.trim().to_string(),
                    format!("filled-in-{}", name.trim()),
                )
            })
            .collect()
    }

    /// The string values of every `*_env` key (`token_env`, `password_env`,
    /// `secret_env`, …) anywhere in a TOML document, with the key's path.
    fn secret_env_names(value: &toml::Value, path: &str, found: &mut Vec<(String, String)>) {
        match value {
            toml::Value::Table(table) => {
                for (key, item) in table {
                    let here = format!("{path}.{key}");
                    match item {
                        toml::Value::String(name) if key.ends_with("_env") => {
                            found.push((here, name.clone()));
                        }
                        _ => secret_env_names(item, &here, found),
                    }
                }
            }
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    secret_env_names(item, &format!("{path}[{i}]"), found);
                }
            }
            _ => {}
        }
    }

    /// Regression: the env example once defined KV_TOKEN_FB_STADSHUSET and
    /// KV_SMTP_PASSWORD while the reference config read
    /// KOMMENTARSVAKT_TOKEN_STOCKHOLM_FACEBOOK and
    /// KOMMENTARSVAKT_SMTP_PASSWORD, so a new installation following the
    /// README could not start. Both directions are checked: every secret
    /// variable the config names is defined, and the example defines no
    /// stale secret the config no longer reads.
    #[test]
    fn env_example_defines_every_secret_variable_the_reference_config_names() {
        let reference: toml::Value =
            toml::from_str(REFERENCE).unwrap_or_else(|e| panic!("kommentarsvakt.toml: {e}"));
        let mut named = Vec::new();
        secret_env_names(&reference, "", &mut named);
        let accounts = reference
            .get("accounts")
            .and_then(toml::Value::as_array)
            .map_or(0, Vec::len);
        assert!(accounts >= 1, "the reference config has accounts");
        assert!(
            named.len() > accounts,
            "expected a token_env key per account and password_env, found {named:?}"
        );
        let defined = env_example();
        let missing: Vec<_> = named
            .iter()
            .filter(|(_, name)| !defined.contains_key(name))
            .collect();
        assert!(
            missing.is_empty(),
            "deploy/kommentarsvakt.env.example lacks variables that config/kommentarsvakt.toml \
             names: {missing:?}"
        );
        let stale: Vec<_> = defined
            .keys()
            .filter(|name| !name.starts_with("KOMMENTARSVAKT__"))
            .filter(|name| !named.iter().any(|(_, n)| n == *name))
            .collect();
        assert!(
            stale.is_empty(),
            "deploy/kommentarsvakt.env.example defines variables that config/kommentarsvakt.toml \
             does not read: {stale:?}"
        );
        let config = load_str_with_env(REFERENCE, "kommentarsvakt.toml", &defined)
            .unwrap_or_else(|error| panic!("with the env example's variables: {error}"));
        assert!(config.accounts.iter().all(|a| a.token.is_some()));
    }

    /// The reference config keeps its data where the systemd unit lets the
    /// service write and where the README says it is.
    #[test]
    fn reference_config_keeps_its_data_below_the_units_state_directory() {
        let unit = include_str!("../../deploy/kommentarsvakt.service");
        assert!(unit.contains("\nStateDirectory=kommentarsvakt\n"));
        assert!(unit.contains("\nReadWritePaths=/var/lib/kommentarsvakt\n"));
        assert!(unit.contains("\nEnvironmentFile=-/etc/kommentarsvakt/kommentarsvakt.env\n"));
        let readme = include_str!("../../README.md");
        let config = load_str_with_env(REFERENCE, "kommentarsvakt.toml", &env_example())
            .unwrap_or_else(|error| panic!("{error}"));
        let database = config
            .database_url
            .strip_prefix("sqlite://")
            .unwrap_or_else(|| panic!("not an SQLite URL: {}", config.database_url));
        let archive = config.archive_dir.display().to_string();
        let MailTransport::Smtp { .. } = config.mail.transport else {
            panic!("the reference config sends mail by SMTP");
        };
        let raw: toml::Value =
            toml::from_str(REFERENCE).unwrap_or_else(|e| panic!("kommentarsvakt.toml: {e}"));
        let mail_folder = raw["mail"]["folder"]
            .as_str()
            .unwrap_or_else(|| panic!("mail.folder is not set"));
        for path in [database, archive.as_str(), mail_folder] {
            assert!(
                path.starts_with("/var/lib/kommentarsvakt/"),
                "{path} is not below /var/lib/kommentarsvakt"
            );
            assert!(
                readme.contains(&format!("`{}", path.trim_end_matches('/'))),
                "README.md does not name {path} under \"Where data lives\""
            );
        }
    }

    #[test]
    fn minimal_config_loads_with_defaults() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert!(
            config
                .database_url
                .starts_with("sqlite:///var/lib/kommentarsvakt/")
                && config.archive_dir.starts_with("/var/lib/kommentarsvakt/"),
            "defaults do not depend on the directory a command is run from"
        );
        assert_eq!(config.polling.concurrency, 8);
        assert_eq!(config.policy.obvious_illegal, ModerationAction::Hide);
        assert_eq!(config.policy.other_flagged, ModerationAction::Review);
        assert_eq!(config.schedule.timezone(), chrono_tz::Europe::Stockholm);
        assert!(config.source.is_none());
    }

    #[test]
    fn comments_in_unread_languages_go_to_review_unless_the_account_turns_it_off() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert!(config.accounts[0].review_unread_languages, "on by default");
        let off = MINIMAL.replace(
            "token_env = \"FB_TOKEN\"",
            "token_env = \"FB_TOKEN\"\nreview_unread_languages = false",
        );
        let config = load_str_with_env(&off, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert!(!config.accounts[0].review_unread_languages);
    }

    #[test]
    fn quota_project_names_a_youtube_accounts_google_project_and_nothing_else() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let on_youtube = MINIMAL
            .replace("platform = \"facebook\"", "platform = \"youtube\"")
            .replace(
                "token_env = \"FB_TOKEN\"",
                "token_env = \"FB_TOKEN\"\nquota_project = \"stockholm-kultur\"",
            );
        let config = load_str_with_env(&on_youtube, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.accounts[0].quota_project.as_deref(),
            Some("stockholm-kultur")
        );
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.accounts[0].quota_project, None,
            "the unnamed project"
        );

        let on_facebook = MINIMAL.replace(
            "token_env = \"FB_TOKEN\"",
            "token_env = \"FB_TOKEN\"\nquota_project = \"stockholm-kultur\"",
        );
        let problems = problems_of(load_str_with_env(&on_facebook, "test", &env));
        assert_eq!(keys(&problems), ["accounts[0].quota_project"]);
        assert!(problems[0].reason.contains("only YouTube"), "{problems:?}");
        let empty = on_youtube.replace("\"stockholm-kultur\"", "\" \"");
        let problems = problems_of(load_str_with_env(&empty, "test", &env));
        assert_eq!(keys(&problems), ["accounts[0].quota_project"]);
    }

    #[test]
    fn screenshot_concurrency_defaults_and_is_bounded_by_its_key() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.screenshot_concurrency,
            DEFAULT_SCREENSHOT_CONCURRENCY
        );
        let with = |n: i64| format!("[archive]\nscreenshot_concurrency = {n}\n{MINIMAL}");
        let config = load_str_with_env(&with(12), "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.screenshot_concurrency, 12);
        for bad in [0, -1, 33] {
            let problems = problems_of(load_str_with_env(&with(bad), "test", &env));
            assert_eq!(keys(&problems), ["archive.screenshot_concurrency"], "{bad}");
            assert!(
                problems[0].reason.contains("between 1 and 32"),
                "{problems:?}"
            );
        }
    }

    const LIST_HEADER: &str = "# source: test\n# licence: CC0\n";

    /// A city word-list folder with one list, `sv/barnpornografi.txt`.
    fn wordlists_folder(terms: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(dir.path().join("sv")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("sv/barnpornografi.txt"),
            format!("{LIST_HEADER}{terms}"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    fn with_classify(section: &str) -> Result<Config, ConfigError> {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        load_str_with_env(&format!("[classify]\n{section}\n{MINIMAL}"), "test", &env)
    }

    /// Contempt in new wording that no hand rule knows, but the model does.
    const MODEL_ONLY_TEXT: &str = "ni j*vla bl*tter förstör allt";

    fn model_findings(config: &Config) -> usize {
        findings_of(config, MODEL_ONLY_TEXT, crate::classify::model::RULE)
    }

    /// How many findings of `rule` the configured classifier gives `text`.
    fn findings_of(config: &Config, text: &str, rule: &str) -> usize {
        config
            .classify
            .classifier()
            .classify(text)
            .iter()
            .filter(|f| f.rule == rule)
            .count()
    }

    /// English contempt that no English rule knows, but the English model does.
    const ENGLISH_MODEL_ONLY_TEXT: &str =
        "Those refugees on Kungsgatan are filthy parasites, ship every one of them out";

    fn english_model_findings(config: &Config) -> usize {
        findings_of(
            config,
            ENGLISH_MODEL_ONLY_TEXT,
            crate::classify::model::ENGLISH_RULE,
        )
    }

    #[test]
    fn the_model_is_on_by_default_and_model_false_switches_it_off() {
        let on = with_classify("").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(model_findings(&on), 1, "the model sends the text to review");
        assert_eq!(
            english_model_findings(&on),
            1,
            "and so does the English one"
        );
        let off = with_classify("model = false").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            model_findings(&off),
            0,
            "with model = false the rules alone decide"
        );
        assert_eq!(english_model_findings(&off), 0, "in English too");
    }

    /// A protected group likened to vermin: the rules send it to review
    /// and the built-in confirming model is sure of it.
    const CONFIRMED_TEXT: &str = "Invandrarna sprider sig som kackerlackor i förorten";

    fn acts_on_confirmed_text(config: &Config) -> bool {
        acts_on(config, CONFIRMED_TEXT)
    }

    /// Whether the configured classifier acts on `text` automatically.
    fn acts_on(config: &Config, text: &str) -> bool {
        config
            .classify
            .classifier()
            .classify(text)
            .iter()
            .any(|f| f.confidence == crate::domain::Confidence::Obvious)
    }

    /// The writer's threat in English, which the English rules send to
    /// review and the built-in English confirming model is sure of.
    const CONFIRMED_ENGLISH_TEXT: &str =
        "I am going to cut your throat when you leave the office, Karin";

    fn acts_on_confirmed_english(config: &Config) -> bool {
        acts_on(config, CONFIRMED_ENGLISH_TEXT)
    }

    #[test]
    fn model_acts_false_keeps_the_models_to_review() {
        let on = with_classify("").unwrap_or_else(|e| panic!("{e}"));
        assert!(acts_on_confirmed_text(&on), "confirmed by default");
        assert!(acts_on_confirmed_english(&on), "in English too");
        let review_only = with_classify("model_acts = false").unwrap_or_else(|e| panic!("{e}"));
        assert!(!acts_on_confirmed_text(&review_only));
        assert!(!acts_on_confirmed_english(&review_only));
        assert_eq!(
            model_findings(&review_only),
            1,
            "the model still sends to review"
        );
        let off = with_classify("model = false").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !acts_on_confirmed_text(&off),
            "model = false switches both off"
        );
    }

    #[test]
    fn confirm_also_widens_what_the_model_may_confirm_and_names_unknown_rules() {
        // Urging a plural `er` to kill themselves: who is meant is unclear,
        // so the policy keeps it with a person.
        let text = "Ta livet av er allihop era jävlar";
        let acts = |config: &Config| {
            config
                .classify
                .classifier()
                .classify(text)
                .iter()
                .any(|f| f.confidence == crate::domain::Confidence::Obvious)
        };
        let default = with_classify("").unwrap_or_else(|e| panic!("{e}"));
        assert!(!acts(&default), "a person judges it by default");
        let widened = with_classify(r#"confirm_also = ["il.olaga_hot.urges_self_harm"]"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(acts(&widened), "the city's lawyers widened the list");

        let error = with_classify(
            r#"model_acts = false
confirm_also = ["il.olaga_hot.third_persons", "il.olaga_hot.urges_self_harm"]"#,
        )
        .map(|_| ())
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("classify.confirm_also")
                && error.contains("`il.olaga_hot.third_persons` is no rule id")
                && error.contains("model_acts = true"),
            "{error}"
        );
        assert!(
            !error.contains("`il.olaga_hot.urges_self_harm` is no"),
            "{error}"
        );
    }

    #[test]
    fn without_a_classify_section_the_embedded_word_lists_are_used_and_no_media_hashes() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        let embedded = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.classify.wordlists_dir, None);
        assert_eq!(config.classify.lexicon.term_count(), embedded.term_count());
        assert!(config.classify.media_hashes.is_none());
    }

    #[test]
    fn a_city_word_list_folder_is_compiled_at_load() {
        let dir = wordlists_folder("pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n");
        let config = with_classify(&format!("wordlists_dir = \"{}\"", dir.path().display()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.classify.wordlists_dir.as_deref(), Some(dir.path()));
        // The city's list adds to the built-in lists.
        let embedded = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.classify.lexicon.term_count(),
            embedded.term_count() + 1
        );
    }

    #[test]
    fn a_city_word_list_that_says_replace_replaces_the_builtin_list() {
        let dir = wordlists_folder(
            "# mode: replace\npthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n",
        );
        let config = with_classify(&format!("wordlists_dir = \"{}\"", dir.path().display()))
            .unwrap_or_else(|e| panic!("{e}"));
        let embedded = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut builtin = crate::classify::lexicon::LexiconBuilder::new();
        builtin
            .add_list(
                "sv/barnpornografi.txt",
                include_str!("../../wordlists/sv/barnpornografi.txt"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let builtin = builtin
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
            .term_count();
        assert_eq!(
            config.classify.lexicon.term_count(),
            embedded.term_count() - builtin + 1
        );
    }

    #[test]
    fn a_citys_word_classes_art_9_terms_and_first_names_are_used_by_the_classifier() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str, body: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, format!("{LIST_HEADER}{body}")).unwrap_or_else(|e| panic!("{e}"));
        };
        let section = format!("wordlists_dir = \"{}\"", dir.path().display());
        let before = with_classify(&section)
            .unwrap_or_else(|e| panic!("{e}"))
            .classify
            .classifier();
        // A dialect word for the street, a name and a diagnosis of the city's.
        write(
            "sv/classes/street_endings.txt",
            "vret\tclearing, as in Tallvret\n",
        );
        write("sv/persons/first_names.txt", "zlatanella\n");
        write(
            "sv/sensitive/health.txt",
            "glömskesjuka\texact\ttrait\tobvious\tnone\tdementia, colloquial\n",
        );
        let after = with_classify(&section)
            .unwrap_or_else(|e| panic!("{e}"))
            .classify
            .classifier();
        let categories = |classifier: &crate::classify::Classifier, text: &str| -> Vec<Category> {
            classifier
                .classify(text)
                .into_iter()
                .map(|f| f.category)
                .collect()
        };
        let address = "Hon bor på Tallvret 4, lgh 1102";
        assert!(!categories(&before, address).contains(&Category::Address));
        assert!(categories(&after, address).contains(&Category::Address));
        // The built-in endings stay.
        assert!(
            categories(&after, "Hon bor på Storgatan 4, lgh 1102").contains(&Category::Address)
        );
        let city_term = "Anna Berg har glömskesjuka";
        assert!(!categories(&before, city_term).contains(&Category::Health));
        assert!(categories(&after, city_term).contains(&Category::Health));
        let city_name = "Zlatanella Berg har diabetes";
        assert!(!categories(&before, city_name).contains(&Category::Health));
        assert!(categories(&after, city_name).contains(&Category::Health));
    }

    #[test]
    fn a_city_list_that_names_no_list_is_a_problem_naming_the_file() {
        for name in [
            "sv/classes/negatoin.txt",
            "sv/sensitive/halsa.txt",
            "sv/persons/efternamn.txt",
        ] {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, format!("{LIST_HEADER}inte\n")).unwrap_or_else(|e| panic!("{e}"));
            let problems = problems_of(with_classify(&format!(
                "wordlists_dir = \"{}\"",
                dir.path().display()
            )));
            assert_eq!(keys(&problems), ["classify.wordlists_dir"], "{name}");
            assert!(
                problems[0].reason.contains(&path.display().to_string()),
                "{name}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_bad_word_list_line_is_reported_with_key_file_and_line() {
        let dir = wordlists_folder(
            "pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\nkingpass\texact\tno_such_role\tobvious\tboth\tlabel\n",
        );
        let problems = problems_of(with_classify(&format!(
            "wordlists_dir = \"{}\"\nmedia_hash_list = \"{}/missing.txt\"",
            dir.path().display(),
            dir.path().display()
        )));
        assert_eq!(
            keys(&problems),
            ["classify.wordlists_dir", "classify.media_hash_list"],
            "every problem at once: {problems:?}"
        );
        let file = dir.path().join("sv/barnpornografi.txt");
        assert!(
            problems[0]
                .reason
                .starts_with(&format!("{}, line 4:", file.display())),
            "{problems:?}"
        );
        assert!(problems[1].reason.contains("missing.txt"), "{problems:?}");
    }

    #[test]
    fn a_city_phrase_list_is_used_by_the_classifier_and_a_bad_line_named() {
        let dir = wordlists_folder("pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n");
        std::fs::create_dir(dir.path().join("sv/service")).unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("sv/service/case_complaint.txt");
        std::fs::write(&file, format!("{LIST_HEADER}dålig service\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        let section = format!("wordlists_dir = \"{}\"", dir.path().display());
        let config = with_classify(&section).unwrap_or_else(|e| panic!("{e}"));
        let classifier = config.classify.classifier();
        let rules = |text: &str| -> Vec<String> {
            classifier
                .classify(text)
                .into_iter()
                .map(|f| f.rule)
                .collect()
        };
        assert_eq!(rules("Det var en dålig  service."), ["svc.case.complaint"]);
        // The city's list adds to the built-in one; the other tables stay.
        assert_eq!(
            rules("Jag vill klaga på bemötandet"),
            ["svc.case.complaint"]
        );
        assert_eq!(rules("Gatlampan är trasig"), ["svc.case.fault_report"]);

        std::fs::write(
            &file,
            format!("{LIST_HEADER}dålig service\nvill klaga (igen)\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let problems = problems_of(with_classify(&section));
        assert_eq!(keys(&problems), ["classify.wordlists_dir"]);
        assert!(
            problems[0]
                .reason
                .starts_with(&format!("{}, line 4:", file.display())),
            "{problems:?}"
        );
    }

    #[test]
    fn a_missing_word_list_folder_is_a_problem() {
        let problems = problems_of(with_classify("wordlists_dir = \"/nonexistent/ordlistor\""));
        assert_eq!(keys(&problems), ["classify.wordlists_dir"]);
        assert!(problems[0].reason.contains("/nonexistent/ordlistor"));
    }

    #[test]
    fn the_media_hash_list_is_parsed_at_load_and_a_bad_line_named() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("hashes.txt");
        let good = "# from the hotline\n".to_string() + &"ab".repeat(32) + "\n" + &"CD".repeat(32);
        std::fs::write(&file, &good).unwrap_or_else(|e| panic!("{e}"));
        let section = format!("media_hash_list = \"{}\"", file.display());
        let config = with_classify(&section).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.classify.media_hash_list.as_deref(),
            Some(file.as_path())
        );
        assert_eq!(
            config.classify.media_hashes.as_ref().map(|h| h.len()),
            Some(2)
        );

        std::fs::write(&file, format!("{good}\nnot-a-hash\n")).unwrap_or_else(|e| panic!("{e}"));
        let problems = problems_of(with_classify(&section));
        assert_eq!(keys(&problems), ["classify.media_hash_list"]);
        assert!(
            problems[0]
                .reason
                .starts_with(&format!("{}, line 4:", file.display())),
            "{problems:?}"
        );

        std::fs::write(&file, "# nothing yet\n").unwrap_or_else(|e| panic!("{e}"));
        let problems = problems_of(with_classify(&section));
        assert!(problems[0].reason.contains("holds no hash"), "{problems:?}");
    }

    #[test]
    fn the_classify_section_is_re_read_alone_for_a_reload() {
        let dir = wordlists_folder("pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n");
        let path = dir.path().join("kommentarsvakt.toml");
        // The rest of the file is mid-edit (no [mail]); the lists still load.
        std::fs::write(
            &path,
            format!(
                "[classify]\nwordlists_dir = \"{}\"\n[[accounts]]\nkey = \"\"\n",
                dir.path().display()
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let classify = read_classify(&path).unwrap_or_else(|e| panic!("{e}"));
        let embedded = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(classify.lexicon.term_count(), embedded.term_count() + 1);

        std::fs::write(
            dir.path().join("sv/barnpornografi.txt"),
            format!("{LIST_HEADER}pthc\tsometimes\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let error = read_classify(&path).map(|_| ()).unwrap_err().to_string();
        assert!(
            error.contains("classify.wordlists_dir")
                && error.contains("barnpornografi.txt, line 3"),
            "{error}"
        );
    }

    #[test]
    fn export_schemas_dir_must_be_a_folder_holding_xsd_files() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.export_schemas_dir, None, "optional");

        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let with = |path: &Path| {
            let toml = format!(
                "[archive]\nexport_schemas_dir = \"{}\"\n{MINIMAL}",
                path.display()
            );
            load_str_with_env(&toml, "test", &env)
        };
        let missing = dir.path().join("finns-inte");
        let problems = problems_of(with(&missing));
        assert_eq!(keys(&problems), ["archive.export_schemas_dir"]);
        assert!(
            problems[0].reason.contains(&missing.display().to_string()),
            "{problems:?}"
        );

        std::fs::write(dir.path().join("README.txt"), "no schema")
            .unwrap_or_else(|e| panic!("{e}"));
        let problems = problems_of(with(dir.path()));
        assert_eq!(keys(&problems), ["archive.export_schemas_dir"]);
        assert!(
            problems[0].reason.contains("holds no *.xsd files")
                && problems[0]
                    .reason
                    .contains(&dir.path().display().to_string()),
            "{problems:?}"
        );

        std::fs::write(dir.path().join("mets.xsd"), "<schema/>").unwrap_or_else(|e| panic!("{e}"));
        let config = with(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.export_schemas_dir.as_deref(), Some(dir.path()));
    }

    #[test]
    fn retention_defaults_and_overrides_are_read_and_mistakes_named() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.retention.ordinary, DEFAULT_RETENTION_ORDINARY);
        assert_eq!(config.retention.removed_evidence, DEFAULT_RETENTION_REMOVED);

        let good = format!(
            "{MINIMAL}\n[retention]\nordinary = \"1y\"\n[retention.categories]\nolaga_hot = \"20y\"\n\
             [retention.accounts.stockholm-fb]\nremoved_evidence = \"5y\"\n"
        );
        let config = load_str_with_env(&good, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        let year = Duration::from_secs(36525 * DAY / 100);
        assert_eq!(config.retention.ordinary, year);
        assert_eq!(config.retention.categories[&Category::OlagaHot], 20 * year);
        let account = config.retention.accounts["stockholm-fb"];
        assert_eq!(account.removed_evidence, Some(5 * year));
        assert_eq!(account.ordinary, None);

        let bad = format!(
            "{MINIMAL}\n[retention]\nordinary = \"2m\"\n[retention.categories]\nfoo = \"1y\"\n\
             [retention.accounts.okant]\nordinary = \"1y\"\n"
        );
        let problems = problems_of(load_str_with_env(&bad, "test", &env));
        assert_eq!(
            keys(&problems),
            [
                "retention.ordinary",
                "retention.categories.foo",
                "retention.accounts.okant"
            ],
            "{problems:?}"
        );
    }

    #[test]
    fn culling_is_nightly_by_default_can_be_turned_off_and_a_bad_time_is_named() {
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        let nightly = config
            .retention
            .cull_schedule
            .expect("culling is on by default");
        assert_eq!(nightly.expression(), DEFAULT_CULL_SCHEDULE);

        let custom = format!("{MINIMAL}\n[retention]\ncull_schedule = \"0 0 4 * * Sun\"\n");
        let config = load_str_with_env(&custom, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        let weekly = config.retention.cull_schedule.expect("a weekly culling");
        assert_eq!(weekly.expression(), "0 0 4 * * Sun");

        let off = format!("{MINIMAL}\n[retention]\ncull_schedule = \"off\"\n");
        let config = load_str_with_env(&off, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.retention.cull_schedule, None);

        let unix = format!("{MINIMAL}\n[retention]\ncull_schedule = \"30 2 * * *\"\n");
        let problems = problems_of(load_str_with_env(&unix, "test", &env));
        assert_eq!(keys(&problems), ["retention.cull_schedule"]);
        assert!(
            problems[0].reason.contains("\"0 30 2 * * *\"")
                && problems[0].reason.contains("\"off\""),
            "{problems:?}"
        );
    }

    #[test]
    fn three_mistakes_are_all_reported_at_their_keys() {
        let text = MINIMAL
            .replace(
                "moderators = [\"moderator@stockholm.se\"]",
                "moderators = [\"moderator@stockholm.se\", \"not an address\"]",
            )
            .replace(
                "department = \"slk\"",
                "department = \"kulturforvaltningen\"",
            )
            .replace("[mail]", "[crisis]\ninterval = \"ten minutes\"\n[mail]");
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        let mut found = keys(&problems);
        found.sort_unstable();
        assert_eq!(
            found,
            [
                "accounts[0].department",
                "accounts[0].moderators[1]",
                "crisis.interval"
            ]
        );
        let department = &problems
            .iter()
            .find(|p| p.key == "accounts[0].department")
            .map(|p| p.reason.as_str());
        assert!(
            department.is_some_and(|r| r.contains("slk")),
            "{department:?}"
        );
    }

    #[test]
    fn a_bad_cron_slot_is_reported_at_its_index_with_the_corrected_form() {
        let spec = crate::schedule::ScheduleSpec {
            slots: vec![
                "0 30 8 * * Mon-Fri".into(),
                "0 0 12 * * Mon-Fri".into(),
                "30 15 * * 1-5".into(),
            ],
            ..crate::schedule::ScheduleSpec::default()
        };
        let errors = crate::schedule::Schedule::new(spec).expect_err("a 5-field slot is refused");
        let problem = schedule_problem(errors[0].clone());
        assert_eq!(problem.key, "schedule.slots[2]");
        assert!(
            problem.reason.contains("0 30 15 * * Mon-Fri"),
            "the reason shows the corrected expression: {}",
            problem.reason
        );
    }

    #[test]
    fn every_problem_is_displayed_on_its_own_line_after_its_file_line_and_column() {
        let text = MINIMAL
            .replace("transport = \"folder\"", "transport = \"pigeon\"")
            .replace("platform = \"facebook\"", "platform = \"myspace\"");
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let shown = load_str_with_env(&text, "test.toml", &env)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(shown.starts_with("2 problem(s) in test.toml:\n"), "{shown}");
        assert!(
            shown.contains("\n  - test.toml:4:9: mail.transport: \"pigeon\""),
            "{shown}"
        );
        assert!(
            shown.contains("\n  - test.toml:12:9: accounts[0].platform: \"myspace\""),
            "{shown}"
        );
    }

    /// Every platform name is read as its kind; that each kind has a
    /// connector is checked by the compiler (`platforms::connector_for`
    /// matches every kind).
    #[test]
    fn every_platform_name_is_read_as_its_kind() {
        for (name, kind) in [
            ("facebook", PlatformKind::Facebook),
            ("instagram", PlatformKind::Instagram),
            ("youtube", PlatformKind::Youtube),
            ("linkedin", PlatformKind::Linkedin),
            ("x", PlatformKind::X),
        ] {
            let mut problems = Problems::default();
            assert_eq!(
                platform(Some(name), "accounts[0].platform", &mut problems),
                Some(kind)
            );
            assert!(problems.is_empty(), "{name}");
        }
        let mut problems = Problems::default();
        assert_eq!(
            platform(Some("tiktok"), "accounts[0].platform", &mut problems),
            None
        );
        assert!(!problems.is_empty());
    }

    #[test]
    fn unknown_key_is_rejected_with_its_path() {
        let text = MINIMAL.replace("purpose =", "purpos = \"x\"\npurpose =");
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["accounts[0].purpos"]);
        assert!(problems[0].reason.contains("purpose"), "{problems:?}");
    }

    #[test]
    fn unknown_top_level_section_is_rejected_with_its_name() {
        let text = format!("{MINIMAL}\n[crisis_mode]\nenabled = true\n");
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["crisis_mode"]);
    }

    #[test]
    fn wrong_type_in_an_account_names_the_account_field() {
        let text = MINIMAL.replace("purpose =", "dry_run = \"maybe\"\npurpose =");
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["accounts[0].dry_run"]);
    }

    #[test]
    fn every_mistyped_element_of_a_list_is_named_at_its_own_index() {
        let text = format!(
            "{MINIMAL}\n[schedule]\nslots = [[\"a\"], \"0 0 12 * * Mon-Fri\", [\"b\"], \
             \"0 30 15 * * Mon-Fri\"]\n"
        );
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["schedule.slots[0]", "schedule.slots[2]"]);
        assert!(
            problems[0].reason.starts_with("expected a string, found"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_mistyped_section_is_one_problem_not_also_a_missing_one() {
        let text = format!(
            "mail = \"folder\"\n{}",
            MINIMAL.replacen("[mail]", "[post]", 1)
        );
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["mail", "post"]);
    }

    #[test]
    fn a_wrong_type_from_the_environment_is_reported_with_the_files_mistakes() {
        let text = MINIMAL.replace("purpose =", "purpos = \"x\"\npurpose =");
        let env = vars(&[
            ("FB_TOKEN", TOKEN),
            ("KOMMENTARSVAKT__POLLING__CONCURRENCY", "many"),
        ]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(
            keys(&problems),
            ["accounts[0].purpos", "polling.concurrency"]
        );
        assert!(
            problems[1].reason.contains("environment variable"),
            "{problems:?}"
        );
        assert_eq!(problems[1].location, None, "not written in the file");
        let line = text
            .lines()
            .position(|l| l.contains("purpos ="))
            .map(|i| i + 1);
        let at = problems[0].location.as_ref().map(|at| (at.line, at.column));
        assert_eq!(at, line.map(|line| (line, 9)), "{problems:?}");
    }

    #[test]
    fn toml_syntax_error_gives_line_and_column() {
        let text = "[mail]\nfrom = \"a@b.se\"\ntransport = folder\n";
        match load_str_with_env(text, "broken.toml", &HashMap::new()) {
            Err(ConfigError::Unreadable { detail, .. }) => {
                assert!(detail.contains("line 3, column 13"), "{detail}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn environment_overrides_crisis_mode() {
        let env = vars(&[
            ("FB_TOKEN", TOKEN),
            ("KOMMENTARSVAKT__CRISIS__ENABLED", "true"),
            ("KOMMENTARSVAKT__CRISIS__INTERVAL", "5m"),
        ]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert!(config.crisis.enabled);
        assert_eq!(config.crisis.interval, Duration::from_secs(300));
    }

    #[test]
    fn environment_overrides_the_database_url() {
        let env = vars(&[
            ("FB_TOKEN", TOKEN),
            (
                "KOMMENTARSVAKT__DATABASE__URL",
                "postgres://kv@db.example/kv",
            ),
        ]);
        let config = load_str_with_env(MINIMAL, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.database_url, "postgres://kv@db.example/kv");
    }

    #[test]
    fn misspelt_environment_override_is_rejected() {
        let env = vars(&[
            ("FB_TOKEN", TOKEN),
            ("KOMMENTARSVAKT__CRISIS__ENABLD", "true"),
        ]);
        let problems = problems_of(load_str_with_env(MINIMAL, "test", &env));
        assert_eq!(keys(&problems), ["crisis.enabld"]);
    }

    #[test]
    fn missing_token_variable_is_reported_at_its_key() {
        let problems = problems_of(load_str_with_env(MINIMAL, "test", &HashMap::new()));
        assert_eq!(keys(&problems), ["accounts[0].token_env"]);
        assert!(problems[0].reason.contains("FB_TOKEN"));
    }

    #[test]
    fn two_token_sources_are_refused() {
        let text = MINIMAL.replace(
            "token_env = \"FB_TOKEN\"",
            "token_env = \"FB_TOKEN\"\ntoken_file = \"/etc/token\"",
        );
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["accounts[0]"]);
    }

    #[test]
    fn token_credential_is_read_from_the_credentials_directory() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("fb"), TOKEN).unwrap_or_else(|e| panic!("{e}"));
        let text = MINIMAL.replace("token_env = \"FB_TOKEN\"", "token_credential = \"fb\"");
        let directory = dir.path().display().to_string();
        let env = vars(&[("CREDENTIALS_DIRECTORY", directory.as_str())]);
        let config = load_str_with_env(&text, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        let token = config.accounts[0].token.as_ref().map(|t| t.expose_secret());
        assert_eq!(token, Some(TOKEN));
    }

    #[test]
    fn secret_never_appears_in_display_or_debug_output() {
        let env = vars(&[("FB_TOKEN", TOKEN), ("SMTP_PW", "hunter2-smtp-password")]);
        let text = MINIMAL.replace(
            "transport = \"folder\"",
            "transport = \"smtp\"\n[mail.smtp]\nhost = \"smtp.example\"\nusername = \"kv\"\n\
             password_env = \"SMTP_PW\"",
        );
        let config = load_str_with_env(&text, "test", &env).unwrap_or_else(|e| panic!("{e}"));
        let debug = format!("{config:?}");
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");

        // And not in problems about other keys of a config that holds it.
        let broken = text.replace("platform_id = \"123\"", "platform_id = \"\"");
        let shown = load_str_with_env(&broken, "test", &env)
            .err()
            .map(|e| format!("{e} {e:?}"))
            .unwrap_or_default();
        assert!(shown.contains("accounts[0].platform_id"), "{shown}");
        assert!(
            !shown.contains(TOKEN) && !shown.contains("hunter2"),
            "{shown}"
        );
    }

    #[test]
    fn obvious_findings_may_not_be_left_alone_and_the_rest_may_not_be_removed() {
        let text = MINIMAL.replace(
            "[mail]",
            "[policy]\nobvious_illegal = \"none\"\nother_flagged = \"delete\"\n[mail]",
        );
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(
            keys(&problems),
            ["policy.obvious_illegal", "policy.other_flagged"]
        );
    }

    #[test]
    fn duplicate_account_keys_and_platform_ids_are_reported_at_the_repeat() {
        let account = MINIMAL
            .split("[[accounts]]")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        let text = format!("{MINIMAL}\n[[accounts]]{account}");
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(
            keys(&problems),
            ["accounts[1].key", "accounts[1].platform_id"]
        );
    }

    #[test]
    fn unencrypted_smtp_is_refused_to_a_remote_server() {
        let text = MINIMAL.replace(
            "transport = \"folder\"",
            "transport = \"smtp\"\n[mail.smtp]\nhost = \"smtp.stockholm.se\"\nsecurity = \"none\"",
        );
        let env = vars(&[("FB_TOKEN", TOKEN)]);
        let problems = problems_of(load_str_with_env(&text, "test", &env));
        assert_eq!(keys(&problems), ["mail.smtp.security"]);
    }

    /// MINIMAL sending by STARTTLS to the city's server, trusting `ca_file`.
    fn with_smtp_ca_file(ca_file: &Path) -> String {
        MINIMAL.replace(
            "transport = \"folder\"",
            &format!(
                "transport = \"smtp\"\n[mail.smtp]\nhost = \"smtp.stockholm.se\"\n\
                 ca_file = \"{}\"",
                ca_file.display()
            ),
        )
    }

    fn self_signed_ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
        let mut params =
            rcgen::CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| panic!("{e}"));
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .self_signed(&key)
            .unwrap_or_else(|e| panic!("{e}"))
            .pem()
    }

    #[test]
    fn smtp_ca_file_is_read_when_the_config_is_loaded() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ca_file = dir.path().join("stadens-ca.pem");
        let pem = self_signed_ca_pem();
        std::fs::write(&ca_file, &pem).unwrap_or_else(|e| panic!("{e}"));
        let env = vars(&[("FB_TOKEN", TOKEN)]);

        let config = load_str_with_env(&with_smtp_ca_file(&ca_file), "test", &env)
            .unwrap_or_else(|e| panic!("{e}"));

        let MailTransport::Smtp { ca: Some(ca), .. } = &config.mail.transport else {
            panic!("{:?}", config.mail.transport);
        };
        assert_eq!(ca.file, ca_file);
        assert_eq!(ca.pem, pem.as_bytes());
    }

    #[test]
    fn smtp_ca_file_that_is_missing_or_holds_no_certificate_is_named_with_its_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let key_only = dir.path().join("only-a-key.pem");
        let key = rcgen::KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&key_only, key.serialize_pem()).unwrap_or_else(|e| panic!("{e}"));
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let missing = dir.path().join("missing.pem");
        let env = vars(&[("FB_TOKEN", TOKEN)]);

        for (file, expected) in [
            (&missing, "cannot read"),
            (&key_only, "holds no PEM certificate"),
            (
                &broken,
                "certificate 1 cannot be used as a root certificate",
            ),
        ] {
            let problems = problems_of(load_str_with_env(&with_smtp_ca_file(file), "test", &env));
            assert_eq!(keys(&problems), ["mail.smtp.ca_file"], "{problems:?}");
            let reason = &problems[0].reason;
            assert!(reason.contains(&file.display().to_string()), "{reason}");
            assert!(reason.contains(expected), "{reason}");
        }
    }

    #[test]
    fn smtp_ca_file_without_tls_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ca_file = dir.path().join("stadens-ca.pem");
        std::fs::write(&ca_file, self_signed_ca_pem()).unwrap_or_else(|e| panic!("{e}"));
        let text = with_smtp_ca_file(&ca_file).replace(
            "host = \"smtp.stockholm.se\"",
            "host = \"localhost\"\nsecurity = \"none\"",
        );
        let env = vars(&[("FB_TOKEN", TOKEN)]);

        let problems = problems_of(load_str_with_env(&text, "test", &env));

        assert_eq!(keys(&problems), ["mail.smtp.ca_file"]);
        assert!(problems[0].reason.contains("\"none\""), "{problems:?}");
    }

    #[test]
    fn unencrypted_smtp_with_a_password_is_refused_to_a_remote_server() {
        let text = MINIMAL.replace(
            "transport = \"folder\"",
            "transport = \"smtp\"\n[mail.smtp]\nhost = \"smtp.stockholm.se\"\n\
             security = \"none\"\nusername = \"kv\"\npassword_env = \"SMTP_PW\"",
        );
        let env = vars(&[("FB_TOKEN", TOKEN), ("SMTP_PW", "hunter2-smtp-password")]);

        let problems = problems_of(load_str_with_env(&text, "test", &env));

        assert_eq!(keys(&problems), ["mail.smtp.security"]);
        assert!(problems[0].reason.contains("unencrypted"), "{problems:?}");
        assert!(!format!("{problems:?}").contains("hunter2"));
    }

    #[test]
    fn read_crisis_rereads_only_the_crisis_section() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("k.toml");
        let text =
            "[crisis]\nenabled = true\ninterval = \"3m\"\n[[accounts]]\nkey = \"half-edited\"\n";
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let crisis = read_crisis(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            crisis,
            CrisisConfig {
                enabled: true,
                interval: Duration::from_secs(180)
            }
        );
    }

    #[test]
    fn load_remembers_the_file_it_came_from() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("k.toml");
        let token_path = dir.path().join("token");
        std::fs::write(&token_path, TOKEN).unwrap_or_else(|e| panic!("{e}"));
        let text = MINIMAL.replace(
            "token_env = \"FB_TOKEN\"",
            &format!("token_file = \"{}\"", token_path.display()),
        );
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let config = load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.source.as_deref(), Some(path.as_path()));
    }

    #[test]
    fn missing_file_is_unreadable() {
        let result = load(Path::new("/nonexistent/kommentarsvakt.toml"));
        assert!(matches!(result, Err(ConfigError::Unreadable { .. })));
    }
}
