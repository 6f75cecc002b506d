//! The configuration exactly as written: serde structs that mirror
//! `config/kommentarsvakt.toml`, after the environment layer
//! (`KOMMENTARSVAKT__SECTION__KEY`) has been merged in.
//!
//! Nothing here is checked beyond its TOML type. Settings with a default are
//! `Option`s, so that [`super::validate`] can tell "not written" from
//! "written wrong", apply the default, and report every mistake at once
//! instead of stopping at the first one serde meets. Values that need
//! parsing (durations, addresses, cron slots, enums) are kept as strings for
//! the same reason. Unknown keys are refused (`deny_unknown_fields`): a
//! misspelt key would otherwise be silently ignored and its default used.
//!
//! Secrets are never written here: a token or password is named by where it
//! lives (`*_env`, `*_file`, `*_credential`) and read during validation.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Do everything except the platform calls, for every account: comments
    /// are fetched, stored, classified, archived and reported, but nothing is
    /// hidden or deleted. Default `false`. Written at the top of the file.
    #[serde(default)]
    pub dry_run: Option<bool>,
    /// Where the service keeps its state.
    #[serde(default)]
    pub database: RawDatabase,
    /// Where evidence records are written.
    #[serde(default)]
    pub archive: RawArchive,
    /// How long records are kept before they are culled (gallring).
    #[serde(default)]
    pub retention: RawRetention,
    /// `[checks]`: when the daily checks of the accounts run.
    #[serde(default)]
    pub checks: RawChecks,
    /// `[report]`: who gets the February/September report.
    #[serde(default)]
    pub report: RawReport,
    /// When the service monitors in normal times.
    #[serde(default)]
    pub schedule: RawSchedule,
    /// Monitoring around the clock in a crisis.
    #[serde(default)]
    pub crisis: RawCrisis,
    /// How platforms are polled.
    #[serde(default)]
    pub polling: RawPolling,
    /// Which finding leads to which action.
    #[serde(default)]
    pub policy: RawPolicy,
    /// How e-mail leaves the service. Required: without it nobody is alerted.
    #[serde(default)]
    pub mail: Option<RawMail>,
    /// The Prometheus endpoint.
    #[serde(default)]
    pub metrics: RawMetrics,
    /// Departments and city-owned companies that own accounts.
    #[serde(default)]
    pub departments: Vec<RawDepartment>,
    /// The monitored accounts.
    #[serde(default)]
    pub accounts: Vec<RawAccount>,
    /// Case tickets: due times per kind.
    #[serde(default)]
    pub tickets: RawTickets,
    /// Where tickets are sent besides the database.
    #[serde(default)]
    pub ticket_sinks: Vec<RawTicketSink>,
    /// The per-run digest and the repeated-failure rule.
    #[serde(default)]
    pub alerts: RawAlerts,
    /// The city's own word lists and the media hash list.
    #[serde(default)]
    pub classify: RawClassify,
    /// The moderators' web console; absent means it is not served.
    #[serde(default)]
    pub web: Option<RawWeb>,
}

/// Only the crisis section, for re-reading it on change without the rest of
/// the file (which may be mid-edit) being able to block crisis mode.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawCrisisOnly {
    /// The crisis section; other sections are ignored.
    #[serde(default)]
    pub crisis: RawCrisis,
}

/// Only the classify section, for rebuilding the classifier on reload
/// without the rest of the file (which may be mid-edit) blocking it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawClassifyOnly {
    /// The classify section; other sections are ignored.
    #[serde(default)]
    pub classify: RawClassify,
}

/// `[classify]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClassify {
    /// A folder of word lists in the layout of the repository's
    /// `wordlists/` (`<language>/<category>.txt`, `domains/*.txt`), for a
    /// city that maintains its own; its `sv/service/<table>.txt` phrase
    /// lists replace the built-in tables one by one. Default: the lists
    /// built into the binary.
    #[serde(default)]
    pub wordlists_dir: Option<String>,
    /// A file of SHA-256 hashes (hex, one per line, `#` comments) of known
    /// child sexual abuse media, as the police or a hotline supply it;
    /// attachments are checked against it. Never kept in the repository.
    /// Default: no attachment check.
    #[serde(default)]
    pub media_hash_list: Option<String>,
    /// Whether the trained attack model (`sv/model/attack.tsv`) sends what
    /// it judges harmful, and no rule found, to review. It never acts on
    /// its own. Default `true`.
    #[serde(default)]
    pub model: Option<bool>,
    /// Whether a rule's attack finding that a person would review becomes
    /// automatic when the confirming model (`sv/model/obvious.tsv`) is
    /// sure. Default `true`; `false` keeps the models to review only.
    #[serde(default)]
    pub model_acts: Option<bool>,
    /// Rule ids (`il.olaga_hot.third_person`) the city's lawyers add to
    /// those whose review-level findings the confirming model may make
    /// obvious. Default: none beyond the built-in ones.
    #[serde(default)]
    pub confirm_also: Option<Vec<String>>,
}

/// `[database]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    /// `sqlite:…` or `postgres://…`/`postgresql://…`. Default
    /// `sqlite:///var/lib/kommentarsvakt/kommentarsvakt.db`; relative paths
    /// are relative to the working directory.
    #[serde(default)]
    pub url: Option<String>,
}

/// `[archive]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArchive {
    /// Root directory of the evidence archive. Default
    /// `/var/lib/kommentarsvakt/archive`.
    #[serde(default)]
    pub dir: Option<String>,
    /// Who draws screenshots: `auto` (Chromium when it starts, else the
    /// built-in renderer), `chromium` (fail over to built-in per image) or
    /// `builtin`. Default `auto`.
    #[serde(default)]
    pub screenshots: Option<String>,
    /// Path of the Chromium executable. Default `/usr/bin/chromium`.
    #[serde(default)]
    pub chromium_path: Option<String>,
    /// How many evidence images Chromium draws at once, each in its own
    /// tab of the one browser. Between 1 and 32. Default 4.
    #[serde(default)]
    pub screenshot_concurrency: Option<i64>,
    /// Folder with the XML schemas (`*.xsd`) an archive export package
    /// carries in `schemas/`. Optional; without it packages are not
    /// CSIP-complete.
    #[serde(default)]
    pub export_schemas_dir: Option<String>,
}

/// `[checks]`: the daily checks of the accounts against the social-media
/// policy (publishing rhythm, responsible person, expiring access, a
/// working day without monitoring).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChecks {
    /// When the running service checks (6-field cron, seconds first, in
    /// the schedule's time zone), or `"off"` to check only by hand with
    /// `kommentarsvakt checks`. Default `0 0 7 * * Mon-Fri`.
    #[serde(default)]
    pub schedule: Option<String>,
}

/// `[report]`: the February/September report the service sends by itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    /// The communications unit's address: it gets the whole city's report
    /// in the first working week of February and September (each
    /// department gets its own at its `central_address`). Optional.
    #[serde(default)]
    pub communications_address: Option<String>,
}

/// `[retention]`: how long comment records are kept (gallringsfrister).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetention {
    /// Comments nothing was done with (humantime, e.g. `2y`). Default `2y`.
    #[serde(default)]
    pub ordinary: Option<String>,
    /// Comments hidden or deleted: their record is the evidence for a
    /// decision by a public authority. Default `10y`.
    #[serde(default)]
    pub removed_evidence: Option<String>,
    /// Per finding category (`olaga_hot = "10y"`): replaces the two periods
    /// above for a comment with such a finding; the longest one wins.
    #[serde(default)]
    pub categories: Option<BTreeMap<String, String>>,
    /// Per account key: its own `ordinary` and/or `removed_evidence`.
    #[serde(default)]
    pub accounts: Option<BTreeMap<String, RawRetentionPeriods>>,
    /// When the running service culls what is due: a cron expression (6
    /// fields, seconds first) in `schedule.timezone`, or `"off"` to cull
    /// only by hand. Default `"0 30 3 * * *"` (nightly at 03:30).
    #[serde(default)]
    pub cull_schedule: Option<String>,
}

/// `[retention.accounts.<key>]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetentionPeriods {
    /// The account's period for comments nothing was done with.
    #[serde(default)]
    pub ordinary: Option<String>,
    /// The account's period for hidden or deleted comments.
    #[serde(default)]
    pub removed_evidence: Option<String>,
}

/// `[schedule]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    /// IANA time zone the slots are written in. Default `Europe/Stockholm`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Cron expressions (6 fields, seconds first) of the monitoring slots.
    /// Default: 08:30, 12:00 and 15:30, Monday to Friday.
    #[serde(default)]
    pub slots: Option<Vec<String>>,
    /// Extra closed days (`YYYY-MM-DD`) besides the Swedish public holidays.
    #[serde(default)]
    pub extra_closed_days: Option<Vec<String>>,
    /// Office hours as `HH:MM-HH:MM`. Default `08:00-17:00`.
    #[serde(default)]
    pub office_hours: Option<String>,
}

/// `[crisis]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCrisis {
    /// Whether crisis mode is on. Default `false`.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Time between runs in crisis mode (humantime, e.g. `10m`). Default `10m`.
    #[serde(default)]
    pub interval: Option<String>,
}

/// `[polling]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolling {
    /// How many platform calls are in flight at once, over all accounts.
    /// Default 8.
    #[serde(default)]
    pub concurrency: Option<i64>,
    /// Timeout of one platform request (humantime). Default `20s`.
    #[serde(default)]
    pub request_timeout: Option<String>,
    /// Retries of a transient failure within one run. Default 3.
    #[serde(default)]
    pub max_retries: Option<i64>,
    /// How far back posts are listed for new comments (humantime). Default `30d`.
    #[serde(default)]
    pub post_lookback: Option<String>,
    /// YouTube Data API units each Google project may spend per Pacific
    /// day, shared by the YouTube accounts calling through it (their
    /// `quota_project`). Default 10000 (Google's default).
    #[serde(default)]
    pub youtube_daily_quota: Option<i64>,
    /// The hosts comment attachments may be fetched from for the media
    /// hash check (`media.licdn.com`, `*.fbcdn.net`), for every platform.
    /// Default: each platform's own media hosts.
    #[serde(default)]
    pub attachment_hosts: Option<Vec<String>>,
}

/// `[policy]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Action for obvious illegal content: `hide`, `delete` or `review`.
    /// Default `hide`.
    #[serde(default)]
    pub obvious_illegal: Option<String>,
    /// Action for obvious sensitive or privacy-violating personal data:
    /// `hide`, `delete` or `review`. Default `hide`.
    #[serde(default)]
    pub obvious_personal_data: Option<String>,
    /// Action for anything else that was flagged: `review` or `none`.
    /// Default `review`.
    #[serde(default)]
    pub other_flagged: Option<String>,
}

/// `[mail]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMail {
    /// Sender address of every e-mail. Required.
    #[serde(default)]
    pub from: Option<String>,
    /// The registry office's mailbox for case tickets, if tickets go by e-mail.
    #[serde(default)]
    pub registry_mailbox: Option<String>,
    /// Where system problems are reported (operators), if anywhere.
    #[serde(default)]
    pub operations_address: Option<String>,
    /// `folder` or `smtp`. Required.
    #[serde(default)]
    pub transport: Option<String>,
    /// Folder for `.eml` files when `transport = "folder"`. Default
    /// `/var/lib/kommentarsvakt/mail`.
    #[serde(default)]
    pub folder: Option<String>,
    /// The SMTP server when `transport = "smtp"`.
    #[serde(default)]
    pub smtp: Option<RawSmtp>,
}

/// `[mail.smtp]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    /// Server host name. Required.
    #[serde(default)]
    pub host: Option<String>,
    /// Server port. Default 587 for `starttls`, 465 for `tls`, 25 for `none`.
    #[serde(default)]
    pub port: Option<i64>,
    /// `starttls`, `tls` or `none` (only for a relay on localhost).
    /// Default `starttls`.
    #[serde(default)]
    pub security: Option<String>,
    /// Login name, if the server wants one.
    #[serde(default)]
    pub username: Option<String>,
    /// Environment variable that holds the password.
    #[serde(default)]
    pub password_env: Option<String>,
    /// File that holds the password.
    #[serde(default)]
    pub password_file: Option<String>,
    /// systemd credential (`LoadCredential=`) that holds the password.
    #[serde(default)]
    pub password_credential: Option<String>,
    /// PEM file with root certificates to trust besides the public ones
    /// (the city's internal CA). Default: none.
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Timeout of one SMTP conversation (humantime). Default `30s`.
    #[serde(default)]
    pub timeout: Option<String>,
}

/// `[metrics]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// `IP:port` of the Prometheus endpoint; absent means no endpoint.
    #[serde(default)]
    pub listen: Option<String>,
}

/// One `[[departments]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepartment {
    /// Short key that accounts refer to. Required.
    #[serde(default)]
    pub key: Option<String>,
    /// Full name, as shown in e-mails. Required.
    #[serde(default)]
    pub name: Option<String>,
    /// The department's central address, copied on alerts.
    #[serde(default)]
    pub central_address: Option<String>,
}

/// One `[[accounts]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    /// Short unique key used in logs, paths and the CLI. Required.
    #[serde(default)]
    pub key: Option<String>,
    /// `facebook`, `instagram`, `youtube`, `linkedin` or `x`. Required.
    #[serde(default)]
    pub platform: Option<String>,
    /// The platform's id of the account. Required.
    #[serde(default)]
    pub platform_id: Option<String>,
    /// Display name. Required.
    #[serde(default)]
    pub name: Option<String>,
    /// Key of the owning department. Required.
    #[serde(default)]
    pub department: Option<String>,
    /// E-mail addresses of the responsible moderators. At least one.
    #[serde(default)]
    pub moderators: Option<Vec<String>>,
    /// The account's purpose, as decided when it was started. Required.
    #[serde(default)]
    pub purpose: Option<String>,
    /// Public link to the account.
    #[serde(default)]
    pub link: Option<String>,
    /// A short description for the account register (what to expect).
    #[serde(default)]
    pub description: Option<String>,
    /// The account's measurable goals (the policy asks for them).
    #[serde(default)]
    pub goals: Option<Vec<String>>,
    /// The target groups the account is for.
    #[serde(default)]
    pub target_groups: Option<Vec<String>>,
    /// `[accounts.responsible]`: the appointed person responsible.
    #[serde(default)]
    pub responsible: Option<RawResponsible>,
    /// The day the account was started, `YYYY-MM-DD`.
    #[serde(default)]
    pub started: Option<String>,
    /// `active`, `closing` or `closed`.
    #[serde(default)]
    pub status: Option<String>,
    /// The day the account closes (`closing`) or closed (`closed`).
    #[serde(default)]
    pub closing_date: Option<String>,
    /// Environment variable that holds the access token.
    #[serde(default)]
    pub token_env: Option<String>,
    /// File that holds the access token.
    #[serde(default)]
    pub token_file: Option<String>,
    /// systemd credential (`LoadCredential=`) that holds the access token.
    #[serde(default)]
    pub token_credential: Option<String>,
    /// Base URL of the platform API. Default per platform.
    #[serde(default)]
    pub api_base_url: Option<String>,
    /// API version. Default per platform.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Do everything except the platform call for this account. Default `false`.
    #[serde(default)]
    pub dry_run: Option<bool>,
    /// Send comments in a language the rules cannot read to review
    /// ("Inte bedömd (språk: …)"). Default `true`; an account that mostly
    /// gets comments in other languages may turn it off.
    #[serde(default)]
    pub review_unread_languages: Option<bool>,
    /// YouTube: the Google Cloud project whose API key or OAuth client the
    /// account calls through. Accounts naming the same project share its
    /// daily quota (`polling.youtube_daily_quota`); accounts naming none
    /// share the one unnamed project.
    #[serde(default)]
    pub quota_project: Option<String>,
    /// `[accounts.oauth]`: an OAuth 2.0 refresh-token grant (YouTube,
    /// LinkedIn) instead of a static token; the service then renews the
    /// access token itself.
    #[serde(default)]
    pub oauth: Option<RawOAuth>,
}

/// `[accounts.responsible]`: the person the policy makes responsible for
/// planning, publishing, follow-up, monitoring and moderation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponsible {
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail address; findings about the account are sent there.
    #[serde(default)]
    pub email: Option<String>,
}

/// `[accounts.oauth]`: the account's OAuth client and refresh token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOAuth {
    /// The OAuth client id (not a secret). Required.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Environment variable that holds the client secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// File that holds the client secret.
    #[serde(default)]
    pub client_secret_file: Option<String>,
    /// systemd credential that holds the client secret.
    #[serde(default)]
    pub client_secret_credential: Option<String>,
    /// File that holds the refresh token; the service rewrites it (0600)
    /// whenever the platform hands out a new one, so it must be writable.
    /// Required.
    #[serde(default)]
    pub refresh_token_file: Option<String>,
    /// The token endpoint. Default per platform: Google's
    /// `https://oauth2.googleapis.com/token`, LinkedIn's
    /// `https://www.linkedin.com/oauth/v2/accessToken`.
    #[serde(default)]
    pub token_endpoint: Option<String>,
}

/// `[tickets]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTickets {
    /// Deadline per ticket kind, e.g. `question_to_answer = "end of next
    /// working day"` or `case_matter = "4 office hours"`; see
    /// [`crate::schedule::due`] for the forms. Kinds not named keep their
    /// default.
    #[serde(default)]
    pub due: Option<std::collections::BTreeMap<String, String>>,
}

/// One `[[ticket_sinks]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTicketSink {
    /// Unique name of the sink. Required.
    #[serde(default)]
    pub name: Option<String>,
    /// `builtin`, `email` or `webhook`. Required.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Ticket kinds sent here (names or codes); absent or empty: every kind.
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
    /// Department keys whose tickets are sent here; absent or empty: all.
    #[serde(default)]
    pub departments: Option<Vec<String>>,
    /// `email`: recipient addresses. Default: `mail.registry_mailbox`.
    #[serde(default)]
    pub to: Option<Vec<String>>,
    /// `email`: attach the whole evidence record (with the comment's
    /// personal data) instead of its reference and SHA-256 only; for a
    /// registry mailbox that is itself a records system. Default `false`.
    #[serde(default)]
    pub attach_records: Option<bool>,
    /// `webhook`: the endpoint URL (https, or http on loopback).
    #[serde(default)]
    pub url: Option<String>,
    /// `webhook`: environment variable holding the signing secret.
    #[serde(default)]
    pub secret_env: Option<String>,
    /// `webhook`: file holding the signing secret.
    #[serde(default)]
    pub secret_file: Option<String>,
    /// `webhook`: systemd credential holding the signing secret.
    #[serde(default)]
    pub secret_credential: Option<String>,
    /// `webhook`: timeout of one delivery (humantime). Default `10s`.
    #[serde(default)]
    pub timeout: Option<String>,
}

/// `[alerts]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    /// Send each moderator a digest after every monitoring run. Default `true`.
    #[serde(default)]
    pub digest: Option<bool>,
    /// Failed runs in a row for an account before a system-problem e-mail.
    /// Default 3.
    #[serde(default)]
    pub repeated_failure_runs: Option<i64>,
    /// More actions settled on one account in one run than this: one
    /// summary e-mail instead of one each. Default 10.
    #[serde(default)]
    pub summary_above: Option<i64>,
}

/// `[web]`: the moderators' console.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeb {
    /// `IP:port` the console listens on. Required in the section: the
    /// console is off unless it is written.
    #[serde(default)]
    pub listen: Option<String>,
    /// The address people open the console at (behind a TLS proxy:
    /// `https://…`); e-mails link to items under it. Must be https unless
    /// the host is loopback. Default `http://<listen>` when `listen` is a
    /// loopback address.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Offer the password-less demo login for the accounts' moderators.
    /// Only allowed when `listen` is a loopback address. Default `false`.
    #[serde(default)]
    pub demo_login: Option<bool>,
    /// How long a login lasts (humantime). Between 5m and 24h. Default `8h`.
    #[serde(default)]
    pub session_ttl: Option<String>,
    /// Logins (e-mail addresses) of the registry office: they see every
    /// account's items and close tickets. Default: none.
    #[serde(default)]
    pub registry: Option<Vec<String>>,
    /// Logins (e-mail addresses) of operations: they see every account,
    /// the overview and the log. Default: none.
    #[serde(default)]
    pub operations: Option<Vec<String>>,
    /// Login through the city's identity provider with OpenID Connect.
    #[serde(default)]
    pub oidc: Option<RawOidc>,
}

/// `[web.oidc]`: login with OpenID Connect (Microsoft Entra ID in the city).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOidc {
    /// The issuer, exactly as the provider's discovery document names it
    /// (Entra: `https://login.microsoftonline.com/<tenant id>/v2.0`). Must be
    /// https unless the host is loopback. Required.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The console's client (application) id at the provider. Required.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Environment variable holding the client secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// File holding the client secret.
    #[serde(default)]
    pub client_secret_file: Option<String>,
    /// systemd credential holding the client secret.
    #[serde(default)]
    pub client_secret_credential: Option<String>,
    /// The ID token claim with the person's address, matched against the
    /// moderators, registry and operations. Default `email`; with Entra
    /// `preferred_username` (the UPN) is always present.
    #[serde(default)]
    pub user_claim: Option<String>,
    /// The ID token claim listing the person's groups. Default `groups`.
    #[serde(default)]
    pub groups_claim: Option<String>,
    /// Groups (Entra: object ids) whose members are the registry office.
    #[serde(default)]
    pub registry_groups: Option<Vec<String>>,
    /// Groups whose members are operations.
    #[serde(default)]
    pub operations_groups: Option<Vec<String>>,
    /// Group → account keys its members moderate.
    #[serde(default)]
    pub moderator_groups: Option<BTreeMap<String, Vec<String>>>,
}
