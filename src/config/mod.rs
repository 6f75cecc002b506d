//! Configuration in two stages: raw serde structs loaded in layers (file,
//! then `KOMMENTARSVAKT__SECTION__KEY` environment variables), then one pure
//! validation step that builds the typed [`Config`] and reports every
//! problem at once, each naming its key.

mod account;
mod attachments;
pub mod raw;
pub mod register;
mod tickets;
pub mod validate;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::classify::illegal::MediaHashList;
use crate::classify::lexicon::Lexicon;
use crate::classify::service_phrases::ServicePhrases;
use crate::classify::{Classifier, Vocabulary};
use crate::domain::{Category, PlatformKind, PolicyConfig};
use crate::schedule::{CullSchedule, Schedule};

pub use attachments::{MediaHosts, check_host_pattern, default_media_hosts};
pub use register::{
    AccountRegister, AccountStatus, RegisterField, RegisterGap, ResponsiblePerson, register_gaps,
};
pub use tickets::{
    AlertsConfig, SinkTarget, TicketSinkConfig, TicketsConfig, WEBHOOK_SECRET_PREFIX,
    webhook_signing_key,
};
pub use validate::load_without_secrets;
pub use validate::{
    CONF_D, ConfigError, Location, NeededSecret, Problem, SecretFreeCheck, SecretSource,
    check_without_secrets, load, load_str, load_str_with_env, load_with_env, read_classify,
    read_crisis, validate,
};

/// Images Chromium draws at once unless configured
/// (`archive.screenshot_concurrency`). Measured on two cores: one tab at a
/// time leaves the cores idle during each image's round trips; four tabs
/// keep both busy, and more only add memory (a renderer process per tab).
pub const DEFAULT_SCREENSHOT_CONCURRENCY: usize = 4;

/// The most images Chromium may draw at once: beyond the cores of any
/// server the city runs this on, each tab only adds a renderer process.
pub const MAX_SCREENSHOT_CONCURRENCY: usize = 32;

/// The `*.xsd` files directly in `dir` (`archive.export_schemas_dir`),
/// sorted by name: what the configuration check requires at least one of,
/// and what an archive export copies into its package.
pub fn schema_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_xsd = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xsd"));
        if is_xsd && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The validated configuration the service runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the config was read from, so crisis mode can be re-read on change.
    pub source: Option<PathBuf>,
    /// `sqlite://…` (embedded default) or `postgres://…`.
    pub database_url: String,
    /// Root of the evidence archive.
    pub archive_dir: PathBuf,
    /// Which renderer draws evidence screenshots.
    pub screenshots: ScreenshotRenderer,
    /// The Chromium executable, when Chromium may be used.
    pub chromium_path: PathBuf,
    /// How many evidence images Chromium draws at once (tabs of one
    /// browser), so a backlog of flagged comments is documented in minutes.
    pub screenshot_concurrency: usize,
    /// The operator's folder of XML schemas for archive export packages
    /// (CSIP wants them inside the package; the service ships none).
    pub export_schemas_dir: Option<PathBuf>,
    /// Do everything except the platform call, for every account.
    pub dry_run: bool,
    /// How long records are kept before they are culled.
    pub retention: RetentionConfig,
    /// When the running service runs the daily checks of the accounts
    /// ([`crate::report::checks`]); `None` when only an operator runs them
    /// (`[checks] schedule = "off"`).
    pub checks_schedule: Option<CullSchedule>,
    /// When the running service sends the registry its daily digest and,
    /// in its week, the February/September report
    /// ([`validate::DAILY_MAIL_SCHEDULE`]): on their own time, not with
    /// the daily checks, which an operator may leave to be run by hand.
    pub daily_mail_schedule: Option<CullSchedule>,
    /// The communications unit's address, which the whole city's
    /// February/September report goes to; `None`: it is not sent.
    pub communications_address: Option<String>,
    /// Office-hours monitoring slots and closed days.
    pub schedule: Schedule,
    /// Crisis mode: monitoring around the clock at a short interval.
    pub crisis: CrisisConfig,
    /// How platforms are polled.
    pub polling: PollingConfig,
    /// Which finding leads to which action.
    pub policy: PolicyConfig,
    /// How e-mail leaves the service.
    pub mail: MailConfig,
    /// Departments and companies that own accounts.
    pub departments: Vec<DepartmentConfig>,
    /// The monitored accounts.
    pub accounts: Vec<AccountConfig>,
    /// Where the Prometheus metrics endpoint listens, if anywhere.
    pub metrics_listen: Option<SocketAddr>,
    /// Case tickets: due times per kind.
    pub tickets: TicketsConfig,
    /// Where tickets go besides the database.
    pub ticket_sinks: Vec<TicketSinkConfig>,
    /// The per-run digest and the repeated-failure rule.
    pub alerts: AlertsConfig,
    /// The word lists and media hashes the classifier is built from.
    pub classify: ClassifyConfig,
    /// The moderators' web console, when it is served.
    pub web: Option<WebConfig>,
}

impl Config {
    /// The department an account belongs to, if it is configured.
    pub fn department(&self, key: &str) -> Option<&DepartmentConfig> {
        self.departments.iter().find(|d| d.key == key)
    }

    /// The path of the config file, for messages.
    pub fn source_display(&self) -> String {
        self.source
            .as_deref()
            .map(Path::display)
            .map(|d| d.to_string())
            .unwrap_or_else(|| "(embedded defaults)".to_string())
    }
}

/// What the classifier is built from, read and compiled when the config is
/// loaded (and again on reload), so that a broken word list is a config
/// problem named by file and line, and a run never reads list files.
#[derive(Clone)]
pub struct ClassifyConfig {
    /// The city's own word-list folder; `None` uses the embedded lists.
    pub wordlists_dir: Option<PathBuf>,
    /// The compiled word lists (the folder's, or the embedded ones).
    pub lexicon: Arc<Lexicon>,
    /// The compiled phrase lists of the service detectors (the folder's
    /// `sv/service/` tables where it has them, else the embedded ones).
    pub phrases: Arc<ServicePhrases>,
    /// The word classes, art. 9 terms and first names (the folder's over
    /// the embedded ones).
    pub vocabulary: Arc<Vocabulary>,
    /// The media hash file, when attachments are to be checked.
    pub media_hash_list: Option<PathBuf>,
    /// The parsed hashes of that file.
    pub media_hashes: Option<Arc<MediaHashList>>,
}

impl ClassifyConfig {
    /// Builds the classifier from what this configuration compiled: the
    /// city's word and phrase lists (or the embedded ones) and the media
    /// hash list.
    pub fn classifier(&self) -> Classifier {
        Classifier::with_vocabulary(
            Lexicon::clone(&self.lexicon),
            &self.phrases,
            &self.vocabulary,
        )
        .with_media_hashes(self.media_hashes.clone())
    }
}

impl std::fmt::Debug for ClassifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClassifyConfig")
            .field("wordlists_dir", &self.wordlists_dir)
            .field("terms", &self.lexicon.term_count())
            .field("phrases", &self.phrases.phrase_count())
            .field("media_hash_list", &self.media_hash_list)
            .field("media_hashes", &self.media_hashes.as_ref().map(|h| h.len()))
            .finish()
    }
}

/// The moderators' web console (`[web]`).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where it listens.
    pub listen: SocketAddr,
    /// The address people open it at, without a trailing slash; e-mails
    /// link to items under it.
    pub public_url: String,
    /// Whether cookies are marked `Secure` (the public address is https).
    pub secure_cookies: bool,
    /// The password-less demo login, for the accounts' moderators only;
    /// allowed only on a loopback address.
    pub demo_login: bool,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// Logins of the registry office (lower-case e-mail addresses).
    pub registry: Vec<String>,
    /// Logins of operations (lower-case e-mail addresses).
    pub operations: Vec<String>,
    /// Login through the city's identity provider; `None` leaves only the
    /// demo login (or no login at all).
    pub oidc: Option<OidcConfig>,
}

/// Login with OpenID Connect (`[web.oidc]`): who the provider is, the
/// console's client there, and how its claims map to the console's roles.
/// Roles from groups add to those the config gives by address, so that the
/// city can manage moderators in its directory instead of in this file.
#[derive(Clone)]
pub struct OidcConfig {
    /// The issuer exactly as the provider names itself (`iss`); discovery
    /// reads `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// The console's client id at the provider (the ID token's audience).
    pub client_id: String,
    /// The client secret, read from its env/file/credential; never logged.
    pub client_secret: SecretString,
    /// The claim holding the address matched against the config's
    /// moderators, registry and operations (`email`, or Entra's UPN in
    /// `preferred_username`).
    pub user_claim: String,
    /// The claim listing the person's groups (Entra: `groups`, object ids).
    pub groups_claim: String,
    /// Groups whose members are the registry office.
    pub registry_groups: Vec<String>,
    /// Groups whose members are operations.
    pub operations_groups: Vec<String>,
    /// Group → the account keys its members moderate.
    pub moderator_groups: BTreeMap<String, Vec<String>>,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("user_claim", &self.user_claim)
            .field("groups_claim", &self.groups_claim)
            .field("registry_groups", &self.registry_groups)
            .field("operations_groups", &self.operations_groups)
            .field("moderator_groups", &self.moderator_groups)
            .finish_non_exhaustive()
    }
}

impl WebConfig {
    /// The console's page of one comment version, for e-mails: an address
    /// with a row id only, never a name or text.
    pub fn item_url(&self, comment_row: i64) -> String {
        format!("{}/granska/{comment_row}", self.public_url)
    }
}

/// Retention (gallring): comments are public records, kept for a set time
/// and then culled; a legal hold (in the database) overrides all of this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionConfig {
    /// Comments nothing was done with.
    pub ordinary: Duration,
    /// Comments hidden or deleted (evidence for the decision).
    pub removed_evidence: Duration,
    /// Per finding category; replaces the periods above, longest wins.
    pub categories: BTreeMap<Category, Duration>,
    /// Per account key.
    pub accounts: BTreeMap<String, RetentionPeriods>,
    /// When the running service culls by itself, so that records do not
    /// outlive their period because nobody ran `archive cull`; `None` when
    /// culling is left to an operator (`cull_schedule = "off"`).
    pub cull_schedule: Option<CullSchedule>,
}

/// An account's own retention periods; `None` keeps the general one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionPeriods {
    /// Comments nothing was done with.
    pub ordinary: Option<Duration>,
    /// Comments hidden or deleted.
    pub removed_evidence: Option<Duration>,
}

/// Which renderer draws evidence screenshots. Chromium shows the comment as
/// a browser does; the built-in renderer needs nothing installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenshotRenderer {
    /// Chromium when it is installed and starts, the built-in one otherwise.
    Auto,
    /// Only the built-in pure-Rust renderer (fast, nothing to install).
    Builtin,
}

/// Crisis mode: the policy asks for more frequent monitoring in a crisis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrisisConfig {
    /// Whether crisis mode is on.
    pub enabled: bool,
    /// Time between monitoring runs while crisis mode is on, around the clock.
    pub interval: Duration,
}

/// How platforms are polled.
#[derive(Debug, Clone)]
pub struct PollingConfig {
    /// How many platform calls are in flight at once, over all accounts
    /// (an account makes a few of its independent calls together).
    pub concurrency: usize,
    /// Timeout of one platform request.
    pub request_timeout: Duration,
    /// How many times a transient failure is retried within one run.
    pub max_retries: u32,
    /// Posts older than this are no longer listed for new comments.
    pub post_lookback: Duration,
    /// YouTube units each Google project may spend per Pacific day: the
    /// budget the YouTube accounts of one project (`quota_project`) share,
    /// planned so hides come before listing.
    pub youtube_daily_quota: u64,
    /// The hosts comment attachments may be fetched from: an attachment
    /// URL is chosen by whoever comments, so only the platforms' media
    /// hosts are asked (see [`crate::platforms::media`]).
    pub attachment_hosts: MediaHosts,
}

/// Where outgoing e-mail goes.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The sender address.
    pub from: String,
    /// The registry office's mailbox for case tickets, if tickets go by e-mail.
    pub registry_mailbox: Option<String>,
    /// Address for system problems (operators), if any.
    pub operations_address: Option<String>,
    /// The transport.
    pub transport: MailTransport,
}

/// How e-mail leaves the service.
#[derive(Debug, Clone)]
pub enum MailTransport {
    /// Write each message as an `.eml` file into a folder (local use, demo).
    Folder {
        /// The folder.
        dir: PathBuf,
    },
    /// Send through an SMTP server.
    Smtp {
        /// Server host name.
        host: String,
        /// Server port.
        port: u16,
        /// Transport security.
        security: SmtpSecurity,
        /// Login name, if the server wants one.
        username: Option<String>,
        /// Password, read from the environment or a file, never inline.
        password: Option<SecretString>,
        /// Extra trusted root certificates (`ca_file`), for a server whose
        /// certificate is signed by the city's internal CA.
        ca: Option<CaCertificates>,
        /// Timeout of one SMTP conversation.
        timeout: Duration,
    },
}

/// Root certificates from a PEM file, read and checked when the config is
/// loaded so that a missing or empty file is a config problem at start,
/// not a TLS failure on the first alert; the mailer uses exactly these bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct CaCertificates {
    /// The file they came from, for messages.
    pub file: PathBuf,
    /// The PEM text; holds at least one certificate.
    pub pem: Vec<u8>,
}

impl std::fmt::Debug for CaCertificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaCertificates")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// Transport security for SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP upgraded with STARTTLS (required).
    Starttls,
    /// Implicit TLS (SMTPS, usually port 465).
    Tls,
    /// No encryption: only for a relay on localhost.
    None,
}

/// A department or city-owned company that owns accounts.
#[derive(Debug, Clone)]
pub struct DepartmentConfig {
    /// Short key that accounts refer to.
    pub key: String,
    /// Full name, as shown in e-mails.
    pub name: String,
    /// The department's central address, copied on alerts.
    pub central_address: Option<String>,
}

/// One monitored account.
#[derive(Debug, Clone)]
pub struct AccountConfig {
    /// Short unique key used in logs, paths and the CLI.
    pub key: String,
    /// The platform the account lives on.
    pub platform: PlatformKind,
    /// The platform's id of the account (page id, channel id, …).
    pub platform_id: String,
    /// The account's display name.
    pub name: String,
    /// Key of the owning department or company.
    pub department: String,
    /// The responsible moderators' e-mail addresses.
    pub moderators: Vec<String>,
    /// The account's purpose, as decided when it was started.
    pub purpose: String,
    /// Public link to the account.
    pub link: Option<String>,
    /// What the account register and the half-year report show about it.
    pub register: AccountRegister,
    /// The access token, read from the environment or a file.
    pub token: Option<SecretString>,
    /// Base URL of the platform API (override for tests and the simulator).
    pub api_base_url: String,
    /// API version, where the platform versions its API (Graph: `v21.0`).
    pub api_version: String,
    /// Do everything except the platform call for this account.
    pub dry_run: bool,
    /// Whether comments in a language the rules cannot read go to review
    /// ("Inte bedömd (språk: …)") rather than pass unseen; on by default,
    /// since the city must keep every comment under supervision.
    pub review_unread_languages: bool,
    /// The OAuth refresh-token grant that replaces a static token, where
    /// configured; `token` is then `None`.
    pub oauth: Option<OAuthConfig>,
    /// YouTube: the Google project whose daily quota the account spends,
    /// shared with every account naming the same one; `None` is the one
    /// unnamed project the other YouTube accounts share.
    pub quota_project: Option<String>,
}

/// An account's OAuth 2.0 client and refresh token (YouTube, LinkedIn).
#[derive(Clone)]
pub struct OAuthConfig {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret, read from its env/file/credential.
    pub client_secret: SecretString,
    /// Where the refresh token is read from and written back to.
    pub refresh_token_file: PathBuf,
    /// The token endpoint (RFC 6749 §6).
    pub token_endpoint: String,
}

impl std::fmt::Debug for OAuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConfig")
            .field("client_id", &self.client_id)
            .field("refresh_token_file", &self.refresh_token_file)
            .field("token_endpoint", &self.token_endpoint)
            .finish_non_exhaustive()
    }
}
