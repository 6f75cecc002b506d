//! One monitoring run, stage by stage:
//!
//! 1. **collect** — crawl every account (bounded concurrency): make the
//!    calls its connector names, store each new comment version before
//!    anything else, then save the listing cursors;
//! 2. **decide** — classify, decide, archive the evidence record, then write
//!    the verdict, pending actions, tickets, e-mails and audit events in one
//!    transaction;
//! 3. **act** — carry out pending hides and deletes; each needs the archive
//!    receipt, re-read and re-hashed from disk;
//! 4. **follow up** — close question tickets the account has answered in
//!    the thread, and queue each moderator's digest of the run;
//! 5. **deliver** — send queued e-mails, ticket e-mails and webhooks.
//!
//! Each stage picks up whatever an earlier, interrupted run left behind, so
//! a crash at any point is resumed on the next run with nothing skipped and
//! nothing done twice. Tests drive the stages one at a time.

mod act;
pub mod budget;
mod closing;
mod collect;
mod crawl;
mod decide;
mod deliver;
mod follow_up;
mod profiles;
mod refused_paths;

pub use closing::ClosingError;
pub use profiles::unread_for_checks;
pub use refused_paths::RefusedPath;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::{error, info, instrument, warn};

use crate::alerts::{self, Mailer, OutgoingMail};
use crate::archive::screenshot::{self, Renderer};
use crate::archive::{Archive, ArchiveError, RecordIdentity};
use crate::classify::Classifier;
use crate::clock::Clock;
use crate::config::{self, AccountConfig, ClassifyConfig, Config};
use crate::domain::Finding;
use crate::domain::TicketKind;
use crate::platforms::media::MediaFetcher;
use crate::platforms::{self, Platform, PlatformError};
use crate::store::{
    AuditEvent, NewOutboxItem, NewTicket, RunTrigger, Store, StoreError, StoredComment,
};
use crate::telemetry;
use crate::tickets::sinks::{self, TicketContext};

/// Why a run could not be carried out at all. Per-account and per-item
/// failures are recorded and do not end the run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The archive could not be opened.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A connector or the mailer could not be built from the configuration.
    #[error("cannot set up {what}: {detail}")]
    Setup {
        /// What could not be set up.
        what: String,
        /// Why.
        detail: String,
    },
}

/// One monitored account, wired.
pub struct AccountRuntime {
    /// Its configuration.
    pub config: AccountConfig,
    /// Its row id.
    pub account_id: i64,
    /// Its connector, or why there is none.
    pub platform: Result<Arc<dyn Platform>, String>,
}

/// What one run did, for logs, the demo and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// The run's row id.
    pub run_id: i64,
    /// Accounts polled without error.
    pub accounts_ok: usize,
    /// Accounts whose polling failed (recorded per account); what they
    /// stored before the failure is counted in `comments_new`.
    pub accounts_failed: usize,
    /// Accounts whose crawl stopped a listing (repeating cursor) or
    /// reached its call bound: not failed, not complete either.
    pub accounts_incomplete: usize,
    /// New comment versions stored.
    pub comments_new: usize,
    /// Comment versions decided.
    pub decided: usize,
    /// Comments hidden on the platform.
    pub hidden: usize,
    /// Comments deleted on the platform.
    pub deleted: usize,
    /// Actions recorded in dry-run mode only.
    pub dry_run: usize,
    /// Comments sent to a person for review.
    pub review: usize,
    /// Tickets opened.
    pub tickets: usize,
    /// E-mails delivered (alerts, digests, ticket e-mails).
    pub emails_sent: usize,
    /// Tickets delivered to case systems by webhook.
    pub webhooks_sent: usize,
    /// Question tickets closed because the account answered in the thread.
    pub questions_answered: usize,
    /// Digests queued for moderators.
    pub digests: usize,
    /// Whether archiving failed (nothing was acted on then).
    pub archive_failed: bool,
    /// Work a rate budget left for a later run (listings and actions),
    /// as recorded in the accounts' outcomes and told operations.
    pub deferred: Vec<budget::Deferral>,
}

/// Whether the process that builds a pipeline writes the evidence archive.
/// Only one process may write an archive at a time (see
/// [`crate::archive::lock`]); commands that only read it must not keep the
/// running service, or each other, from starting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveAccess {
    /// Monitoring runs, the demo, culling: takes the archive's writer lock.
    Write,
    /// Holds, releases, the register, restores: no lock, no writing.
    ReadOnly,
}

/// The wired service: store, archive, classifier, connectors, mailer, clock.
pub struct Pipeline {
    config: Arc<Config>,
    store: Store,
    archive: Arc<Archive>,
    /// Evidence records written just before a crash whose decisions the
    /// database never recorded, by comment version: adopted instead of
    /// archiving the version a second time (see [`unconfirmed_records`]).
    unconfirmed: std::sync::Mutex<HashMap<VersionKey, RecordIdentity>>,
    /// Swapped whole on reload; each comment is classified by one snapshot.
    classifier: RwLock<Arc<Classifier>>,
    accounts: Vec<AccountRuntime>,
    mailer: Arc<dyn Mailer>,
    renderer: Arc<dyn Renderer>,
    clock: Arc<dyn Clock>,
    /// Fetches comment attachments for the media hash check, with its own
    /// client and rules (an attachment URL is chosen by whoever comments).
    media: MediaFetcher,
    /// Sends ticket webhooks; follows no redirect.
    webhooks: reqwest::Client,
    /// The chain position last anchored in the database by this process.
    anchored_seq: std::sync::atomic::AtomicU64,
    /// The platforms' rate budgets, planned with in every run.
    budgets: Arc<budget::Budgets>,
}

impl Pipeline {
    /// Opens the archive for writing (taking its writer lock, so a second
    /// service on the same archive stops here), connects the store and
    /// builds every connector.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<Self, PipelineError> {
        Self::build_with(config, clock, ArchiveAccess::Write).await
    }

    /// Like [`Pipeline::build`], with the archive opened as `access` says.
    pub async fn build_with(
        config: Config,
        clock: Arc<dyn Clock>,
        access: ArchiveAccess,
    ) -> Result<Self, PipelineError> {
        let archive = Arc::new(match access {
            ArchiveAccess::Write => Archive::open(&config.archive_dir)?,
            ArchiveAccess::ReadOnly => Archive::open_read_only(&config.archive_dir),
        });
        let store = Store::connect(&config.database_url).await?;
        let mailer = alerts::build_mailer(&config.mail).map_err(|e| PipelineError::Setup {
            what: "e-mail".into(),
            detail: e.to_string(),
        })?;
        let client = platforms::http_client(config.polling.request_timeout).map_err(|e| {
            PipelineError::Setup {
                what: "HTTP client".into(),
                detail: e.to_string(),
            }
        })?;
        let media = MediaFetcher::new(
            config.polling.attachment_hosts.clone(),
            config.polling.request_timeout,
        )
        .map_err(|e| PipelineError::Setup {
            what: "attachment client".into(),
            detail: e.to_string(),
        })?;
        let webhooks = sinks::webhook_client().map_err(|e| PipelineError::Setup {
            what: "webhook client".into(),
            detail: e.to_string(),
        })?;
        let mut accounts = Vec::new();
        for account in &config.accounts {
            let account_id = store.upsert_account(account, clock.now()).await?;
            let platform = platforms::connect(
                account,
                client.clone(),
                config.polling.request_timeout,
                clock.clone(),
            )
            .map_err(|e| e.to_string());
            if let Err(reason) = &platform {
                error!(account = %account.key, %reason, "Account cannot be polled");
            }
            accounts.push(AccountRuntime {
                config: account.clone(),
                account_id,
                platform,
            });
        }
        let unconfirmed = match access {
            ArchiveAccess::Write => unconfirmed_records(&archive, &store).await?,
            ArchiveAccess::ReadOnly => HashMap::new(),
        };
        let renderer = renderer_for(&config, access).await;
        let classifier = config.classify.classifier();
        log_word_lists(&config.classify, &classifier, "start");
        let budgets = Arc::new(budget::Budgets::new(
            &accounts,
            config.polling.youtube_daily_quota,
        ));
        Ok(Self {
            budgets,
            classifier: RwLock::new(Arc::new(classifier)),
            unconfirmed: std::sync::Mutex::new(unconfirmed),
            config: Arc::new(config),
            store,
            archive,
            accounts,
            mailer,
            renderer,
            clock,
            media,
            webhooks,
            anchored_seq: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The pipeline with `media` fetching attachments instead: for tests
    /// whose attachments live on a local server
    /// ([`MediaFetcher::with_test_server`]).
    pub fn with_media_fetcher(mut self, media: MediaFetcher) -> Self {
        self.media = media;
        self
    }

    /// The store, for commands and tests.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The archive, for commands and tests.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// The configuration the pipeline was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The classifier in force now; a reload swaps it, but a snapshot taken
    /// here stays whole for as long as it is held.
    pub fn classifier(&self) -> Arc<Classifier> {
        self.classifier
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Rebuilds the classifier from the `[classify]` section of the config
    /// file (the city's word lists, the media hash list) and swaps it in
    /// between two comments. When the new lists are broken the ones in
    /// force stay, and operations are told (log, audit event, e-mail) which
    /// file and line to fix. Returns whether the new lists are in force.
    pub async fn reload_classifier(&self, config_path: &Path, cause: &str) -> bool {
        // Reading the lists and compiling the automaton and patterns is
        // blocking work.
        let path = config_path.to_path_buf();
        let built = tokio::task::spawn_blocking(move || {
            config::read_classify(&path).map(|classify| {
                let classifier = classify.classifier();
                (classify, classifier)
            })
        })
        .await
        .map_err(|e| format!("building the classifier failed: {e}"))
        .and_then(|result| result.map_err(|e| e.to_string()));
        match built {
            Ok((classify, classifier)) => {
                log_word_lists(&classify, &classifier, cause);
                let detail = json!({
                    "cause": cause,
                    "terms": classifier.term_count(),
                    "wordlists_dir": classify.wordlists_dir,
                    "media_hashes": classify.media_hashes.as_ref().map(|h| h.len()),
                });
                *self
                    .classifier
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Arc::new(classifier);
                self.audit_service_event("classify.reloaded", detail).await;
                true
            }
            Err(e) => {
                error!(error = %e, cause, "Word lists not reloaded; the lists in force before stay in use");
                self.report_wordlists_rejected(&e, cause).await;
                false
            }
        }
    }

    async fn report_wordlists_rejected(&self, detail: &str, cause: &str) {
        self.audit_service_event(
            "classify.reload_failed",
            json!({"cause": cause, "error": detail}),
        )
        .await;
        let now = self.clock.now();
        let key = format!("system:wordlists:{}", now.format("%Y-%m-%dT%H"));
        let mail = alerts::compose::wordlists_rejected(&self.config, detail, now, key.clone());
        if let Err(e) = self.store.enqueue(&email_item(key, &mail), now).await {
            error!(error = %e, "Cannot queue the notice of refused word lists");
        }
    }

    async fn audit_service_event(&self, event: &str, detail: serde_json::Value) {
        let audit = AuditEvent::service(event, None, detail);
        if let Err(e) = self.store.audit(&audit, self.clock.now()).await {
            error!(error = %e, event, "Cannot write the audit event");
        }
    }

    /// Releases what the pipeline holds outside the process (the evidence
    /// browser), so a stopping service leaves no Chromium behind.
    pub async fn shutdown(&self) {
        self.renderer.shutdown().await;
    }

    /// Runs every stage once.
    #[instrument(skip_all, fields(trigger = ?trigger))]
    pub async fn run(
        &self,
        trigger: RunTrigger,
        slot_at: Option<DateTime<Utc>>,
        crisis: bool,
    ) -> Result<RunSummary, PipelineError> {
        let started = self.clock.now();
        let took = std::time::Instant::now();
        let run_id = self
            .store
            .begin_run(trigger, slot_at, crisis, started)
            .await?;
        let mut summary = RunSummary {
            run_id,
            ..RunSummary::default()
        };
        let mut stage = StageTimer::start();
        self.plan_budgets().await?;
        self.collect(run_id, &mut summary).await?;
        stage.finished("collect");
        self.decide_pending(&mut summary).await?;
        stage.finished("decide");
        self.execute_actions(&mut summary).await?;
        self.settle_budgets(&mut summary).await?;
        stage.finished("act");
        self.notify_outcomes(&mut summary).await?;
        self.close_answered_questions(&mut summary).await?;
        self.queue_digests(run_id, started, &mut summary).await?;
        stage.finished("notify");
        self.deliver_outbox(&mut summary).await?;
        stage.finished("deliver");
        let status = if summary.accounts_failed == 0
            && summary.accounts_incomplete == 0
            && !summary.archive_failed
        {
            "completed"
        } else {
            "partial"
        };
        let finished = self.clock.now();
        self.store.finish_run(run_id, status, finished).await?;
        telemetry::run_finished(
            &format!("{trigger:?}").to_lowercase(),
            status,
            finished.timestamp(),
            took.elapsed(),
        );
        info!(
            run_id,
            status,
            comments_new = summary.comments_new,
            hidden = summary.hidden,
            review = summary.review,
            accounts_failed = summary.accounts_failed,
            "Monitoring run finished"
        );
        Ok(summary)
    }

    /// Queues a system-problem e-mail for an account, at most once a day per
    /// account and kind of problem.
    async fn report_account_problem(
        &self,
        account_key: &str,
        kind: &str,
        detail: &str,
        objects: &[String],
        error: Option<&PlatformError>,
    ) -> Result<(), PipelineError> {
        let now = self.clock.now();
        let Some(account) = self.accounts.iter().find(|a| a.config.key == account_key) else {
            return Ok(());
        };
        let passing =
            |e: &PlatformError| e.is_retryable() || matches!(e, PlatformError::RateLimited { .. });
        if error.is_some_and(passing) {
            // Passing faults and rate limits are retried on the next run;
            // the run record shows them. People are told of what needs a
            // person.
            return Ok(());
        }
        let key = format!("system:{kind}:{account_key}:{}", now.format("%Y-%m-%d"));
        let mail = alerts::compose::account_problem(
            &account.config,
            &self.config.mail,
            kind,
            detail,
            objects,
            now,
            key.clone(),
        );
        self.store.enqueue(&email_item(key, &mail), now).await?;
        Ok(())
    }

    async fn report_archive_problem(&self, error: &ArchiveError) -> Result<(), PipelineError> {
        let now = self.clock.now();
        let key = format!("system:archive:{}", now.format("%Y-%m-%dT%H"));
        let mail =
            alerts::compose::archive_problem(&self.config, &error.to_string(), now, key.clone());
        self.store.enqueue(&email_item(key, &mail), now).await?;
        Ok(())
    }

    /// When a ticket of a kind is due, counted in office hours
    /// (`[tickets.due]`).
    fn due_time(&self, kind: TicketKind, now: DateTime<Utc>) -> DateTime<Utc> {
        self.config
            .tickets
            .due_rule(kind)
            .due_at(&self.config.schedule, now)
    }

    /// A ticket about a comment and its deliveries to the ticket sinks
    /// configured for its kind.
    #[allow(clippy::too_many_arguments)]
    fn ticket_for(
        &self,
        kind: TicketKind,
        stored: &StoredComment,
        account: Option<&AccountRuntime>,
        findings: &[Finding],
        record_sha256: &str,
        record_path: &str,
        now: DateTime<Utc>,
    ) -> (NewTicket, Vec<NewOutboxItem>) {
        let ticket = NewTicket {
            reference: kind.reference_for(stored.id),
            kind,
            account_id: stored.account_id,
            comment_id: Some(stored.id),
            record_sha256: Some(record_sha256.to_string()),
            permalink: stored.comment.permalink.clone(),
            summary: ticket_summary(kind, account, findings),
            due_at: Some(self.due_time(kind, now)),
        };
        let deliveries = account
            .map(|account| {
                sinks::outbox_items(
                    &self.config.ticket_sinks,
                    &TicketContext {
                        ticket: &ticket,
                        account: &account.config,
                        department: self.config.department(&account.config.department),
                        platform_comment_id: &stored.comment.platform_id,
                        record_path,
                        opened_at: now,
                    },
                )
            })
            .unwrap_or_default();
        (ticket, deliveries)
    }

    /// Opens a ticket a person's decision asks for (a manual removal to
    /// register, a referral to the registry or to police-report
    /// consideration), with the same reference, due time and deliveries to
    /// the ticket sinks as one the service opens. Returns false when the
    /// comment already has a ticket of that kind.
    pub async fn open_ticket_for(
        &self,
        kind: TicketKind,
        stored: &StoredComment,
        actor: &str,
    ) -> Result<bool, PipelineError> {
        let findings = self.store.findings(stored.id).await?;
        let account = self.account_by_id(stored.account_id);
        let now = self.clock.now();
        let (ticket, deliveries) = self.ticket_for(
            kind,
            stored,
            account,
            &findings,
            stored.record_sha256.as_deref().unwrap_or_default(),
            stored.record_path.as_deref().unwrap_or_default(),
            now,
        );
        let opened = self.store.open_ticket(&ticket, actor, now).await?;
        if opened {
            for delivery in &deliveries {
                self.store.enqueue(delivery, now).await?;
            }
        }
        Ok(opened)
    }

    fn account_by_id(&self, account_id: i64) -> Option<&AccountRuntime> {
        self.accounts.iter().find(|a| a.account_id == account_id)
    }

    /// Accounts by key, for commands.
    pub fn accounts(&self) -> HashMap<&str, &AccountRuntime> {
        self.accounts
            .iter()
            .map(|a| (a.config.key.as_str(), a))
            .collect()
    }
}

/// Times the stages of one run for the stage-duration histogram, on the
/// machine's clock (the pipeline's clock may be a simulated one).
struct StageTimer(std::time::Instant);

impl StageTimer {
    fn start() -> Self {
        Self(std::time::Instant::now())
    }

    /// Records the stage that ends now; the next one starts now.
    fn finished(&mut self, stage: &'static str) {
        telemetry::stage_finished(stage, self.0.elapsed());
        self.0 = std::time::Instant::now();
    }
}

/// A comment version as the archive and the store both name it: account
/// key, platform comment id, content hash.
type VersionKey = (String, String, String);

/// How far back the chain is searched for records the database does not
/// know. A crash leaves at most the records of the comments being decided
/// at that moment; a longer tail means the database is older than the
/// archive (restored from a backup), which is logged, not adopted.
const UNCONFIRMED_SEARCH: usize = 64;

/// The newest evidence records that no decision in the database names:
/// written in the instant before a crash, after their chain line and before
/// the decision's commit. The chain is read backwards until a record the
/// database knows.
async fn unconfirmed_records(
    archive: &Archive,
    store: &Store,
) -> Result<HashMap<VersionKey, RecordIdentity>, PipelineError> {
    let mut found = HashMap::new();
    for entry in archive.recent_entries()?.take(UNCONFIRMED_SEARCH) {
        let entry = entry?;
        if store.knows_record(&entry.sha256).await? {
            return Ok(found);
        }
        match archive.record_identity(&entry) {
            Ok(identity) => {
                let key = (
                    identity.account_key.clone(),
                    identity.platform_comment_id.clone(),
                    identity.content_hash.clone(),
                );
                found.entry(key).or_insert(identity);
            }
            // A culled record: nothing to adopt.
            Err(e) => {
                warn!(seq = entry.seq, error = %e, "An unconfirmed evidence record cannot be read; it is not adopted")
            }
        }
    }
    if !found.is_empty() {
        warn!(
            records = found.len(),
            "The newest evidence records are unknown to the database beyond the crash window; \
             is the database older than the archive?"
        );
    }
    Ok(found)
}

/// Says at info which word lists and how many terms and media hashes are
/// in force, so operators can see that an edit took effect.
fn log_word_lists(classify: &ClassifyConfig, classifier: &Classifier, cause: &str) {
    let source = classify
        .wordlists_dir
        .as_deref()
        .map(|dir| dir.display().to_string())
        .unwrap_or_else(|| "built in".to_string());
    let media_hashes = classify.media_hashes.as_ref().map_or(0, |h| h.len());
    info!(
        terms = classifier.term_count(),
        phrases = classify.phrases.phrase_count(),
        wordlists = %source,
        media_hashes,
        cause,
        "Word lists loaded"
    );
}

/// The screenshot renderer the configuration asks for; a read-only
/// pipeline archives nothing, so it starts no browser.
async fn renderer_for(config: &Config, access: ArchiveAccess) -> Arc<dyn Renderer> {
    match (access, config.screenshots) {
        (ArchiveAccess::Write, crate::config::ScreenshotRenderer::Auto) => {
            screenshot::best_available_with(screenshot::ChromiumOptions {
                executable: config.chromium_path.clone(),
                concurrency: config.screenshot_concurrency,
                ..screenshot::ChromiumOptions::default()
            })
            .await
        }
        _ => Arc::new(screenshot::FallbackRenderer::new()),
    }
}

/// Wraps an e-mail as an outbox item.
fn email_item(idempotency_key: String, mail: &OutgoingMail) -> NewOutboxItem {
    NewOutboxItem {
        kind: "email".to_string(),
        idempotency_key,
        payload: serde_json::to_value(mail).unwrap_or_default(),
    }
}

/// One Swedish line for a ticket: kind, account and categories — never the
/// comment text, which may carry the very personal data being removed.
fn ticket_summary(
    kind: TicketKind,
    account: Option<&AccountRuntime>,
    findings: &[crate::domain::Finding],
) -> String {
    let mut categories: Vec<&str> = findings
        .iter()
        .map(|f| alerts::templates::category_sv(f.category))
        .collect();
    categories.dedup();
    format!(
        "{} på {}: {}",
        kind.swedish_name(),
        account
            .map(|a| a.config.name.as_str())
            .unwrap_or("okänt konto"),
        if categories.is_empty() {
            "—".to_string()
        } else {
            categories.join(", ")
        }
    )
}
