//! One monitoring run, stage by stage:
//!
//! 1. **collect** — poll every account (bounded concurrency) and store each
//!    new comment version before anything else;
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

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::{error, info, instrument, warn};

use crate::alerts::{self, Mailer, OutgoingMail};
use crate::archive::screenshot::{self, EvidenceCard, Renderer, Screenshot};
use crate::archive::{Archive, ArchiveError, ArchiveReceipt, RecordInput};
use crate::classify::illegal::MediaHashList;
use crate::classify::{Classifier, Finding};
use crate::clock::Clock;
use crate::config::{self, AccountConfig, ClassifyConfig, Config, SinkTarget};
use crate::decide::{Decision, ModerationAction, decide};
use crate::platforms::poller::{AccountPoll, PollError, PollSettings};
use crate::platforms::{self, Capabilities, Platform, PlatformError};
use crate::store::{
    AccountOutcome, ActionRow, ActionState, AuditEvent, DecisionRecord, Followups, NewOutboxItem,
    NewTicket, OutboxItem, RunTrigger, Store, StoreError, StoredComment,
};
use crate::telemetry;
use crate::tickets::TicketKind;
use crate::tickets::sinks::{self, DeliveryError, TicketContext};

/// How many undecided comments are taken per batch in the decide stage.
const DECIDE_BATCH: i64 = 500;
/// Platform calls per action before a person is asked to look.
const MAX_ACTION_ATTEMPTS: i64 = 5;
/// The largest attachment fetched for the media hash check (25 MiB); a
/// larger one goes to a person instead.
const MAX_MEDIA_BYTES: usize = 25 * 1024 * 1024;
/// Delivery attempts per e-mail before it is set aside as a dead letter.
const MAX_DELIVERY_ATTEMPTS: i64 = 48;

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
    /// Accounts whose polling failed (recorded per account).
    pub accounts_failed: usize,
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
    /// Swapped whole on reload; each comment is classified by one snapshot.
    classifier: RwLock<Arc<Classifier>>,
    accounts: Vec<AccountRuntime>,
    mailer: Arc<dyn Mailer>,
    renderer: Arc<dyn Renderer>,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
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
        let mut accounts = Vec::new();
        for account in &config.accounts {
            let account_id = store.upsert_account(account, clock.now()).await?;
            let platform =
                platforms::connect(account, client.clone(), config.polling.request_timeout)
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
        let renderer = renderer_for(&config, access).await;
        let classifier = Classifier::from_config(&config.classify);
        log_word_lists(&config.classify, &classifier, "start");
        Ok(Self {
            classifier: RwLock::new(Arc::new(classifier)),
            config: Arc::new(config),
            store,
            archive,
            accounts,
            mailer,
            renderer,
            clock,
            http: client,
        })
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
                let classifier = Classifier::from_config(&classify);
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

    /// Runs every stage once.
    #[instrument(skip_all, fields(trigger = ?trigger))]
    pub async fn run(
        &self,
        trigger: RunTrigger,
        slot_at: Option<DateTime<Utc>>,
        crisis: bool,
    ) -> Result<RunSummary, PipelineError> {
        let started = self.clock.now();
        let run_id = self
            .store
            .begin_run(trigger, slot_at, crisis, started)
            .await?;
        let mut summary = RunSummary {
            run_id,
            ..RunSummary::default()
        };
        self.collect(run_id, &mut summary).await?;
        self.decide_pending(&mut summary).await?;
        self.execute_actions(&mut summary).await?;
        self.close_answered_questions(&mut summary).await?;
        self.queue_digests(run_id, started, &mut summary).await?;
        self.deliver_outbox(&mut summary).await?;
        let status = if summary.accounts_failed == 0 && !summary.archive_failed {
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

    /// Stage 1: polls every account, a bounded number at a time, and
    /// records each account's outcome.
    pub async fn collect(
        &self,
        run_id: i64,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        let semaphore = Arc::new(Semaphore::new(self.config.polling.concurrency.max(1)));
        let settings = Arc::new(PollSettings {
            max_retries: self.config.polling.max_retries,
            backoff_base: Duration::from_millis(200),
            backoff_cap: Duration::from_secs(10),
            post_lookback: self.config.polling.post_lookback,
        });
        let mut tasks = JoinSet::new();
        for account in &self.accounts {
            let semaphore = semaphore.clone();
            let settings = settings.clone();
            let store = self.store.clone();
            let clock = self.clock.clone();
            let platform = account.platform.clone();
            let account_id = account.account_id;
            let key = account.config.key.clone();
            let own_id = account.config.platform_id.clone();
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                let started = clock.now();
                let result = match &platform {
                    Ok(platform) => AccountPoll {
                        platform: platform.as_ref(),
                        store: &store,
                        account_id,
                        own_author_id: &own_id,
                        run_id: Some(run_id),
                        clock: clock.as_ref(),
                        settings: &settings,
                    }
                    .run()
                    .await
                    .map_err(|e| match e {
                        PollError::Platform(p) => (p.kind().to_string(), p.to_string(), Some(p)),
                        PollError::Store(s) => ("store".to_string(), s.to_string(), None),
                    }),
                    Err(reason) => Err(("unsupported".to_string(), reason.clone(), None)),
                };
                (key, account_id, started, clock.now(), result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((key, account_id, started, finished, result)) = joined else {
                continue;
            };
            let outcome = match result {
                Ok(stats) => {
                    telemetry::comments_stored(&key, stats.comments_new);
                    summary.accounts_ok += 1;
                    summary.comments_new += stats.comments_new;
                    AccountOutcome {
                        account_id,
                        outcome: "ok".into(),
                        error_kind: None,
                        error_detail: None,
                        posts_seen: stats.posts_seen as i64,
                        comments_new: stats.comments_new as i64,
                        started_at: started,
                        finished_at: finished,
                    }
                }
                Err((kind, detail, platform_error)) => {
                    summary.accounts_failed += 1;
                    telemetry::account_failed(&key, &kind);
                    warn!(account = %key, error_kind = %kind, error = %detail, "Polling the account failed");
                    self.report_account_problem(&key, &kind, &detail, platform_error.as_ref())
                        .await?;
                    AccountOutcome {
                        account_id,
                        outcome: "failed".into(),
                        error_kind: Some(kind),
                        error_detail: Some(detail),
                        posts_seen: 0,
                        comments_new: 0,
                        started_at: started,
                        finished_at: finished,
                    }
                }
            };
            self.store.record_account_outcome(run_id, &outcome).await?;
            if let Some(detail) = &outcome.error_detail {
                self.report_repeated_failure(&key, account_id, detail)
                    .await?;
            }
        }
        Ok(())
    }

    /// Tells the account's moderators and operations once a day while its
    /// polling has failed in `alerts.repeated_failure_runs` runs in a row:
    /// each failure alone may have looked passing, but comments are going
    /// unwatched.
    async fn report_repeated_failure(
        &self,
        account_key: &str,
        account_id: i64,
        last_error: &str,
    ) -> Result<(), PipelineError> {
        let runs = self.store.consecutive_failed_runs(account_id).await?;
        if runs < i64::from(self.config.alerts.repeated_failure_runs) {
            return Ok(());
        }
        let Some(account) = self.account_by_id(account_id) else {
            return Ok(());
        };
        let now = self.clock.now();
        let key = format!(
            "system:repeated_failure:{account_key}:{}",
            now.format("%Y-%m-%d")
        );
        let mail = alerts::compose::repeated_failure(
            &account.config,
            &self.config.mail,
            runs,
            last_error,
            now,
            key.clone(),
        );
        if self.store.enqueue(&email_item(key, &mail), now).await? {
            warn!(account = %account_key, runs, "Polling has failed run after run; people are told");
        }
        Ok(())
    }

    /// Stage 2: classifies, decides and archives every undecided comment
    /// version, and records each decision with its consequences.
    pub async fn decide_pending(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        loop {
            let batch = self.store.undecided_comments(DECIDE_BATCH).await?;
            if batch.is_empty() {
                return Ok(());
            }
            for stored in &batch {
                match self.decide_one(stored, summary.run_id).await {
                    Ok(outcome) => {
                        telemetry::decided(outcome.action.as_str());
                        summary.decided += 1;
                        summary.tickets += outcome.tickets.len();
                        if outcome.action == ModerationAction::Review {
                            summary.review += 1;
                        }
                    }
                    Err(DecideError::Archive(e)) => {
                        error!(comment_row = stored.id, error = %e, "Archiving failed; nothing is acted on until it works");
                        summary.archive_failed = true;
                        telemetry::archive_failed();
                        self.report_archive_problem(&e).await?;
                        return Ok(());
                    }
                    Err(DecideError::Store(e)) => return Err(e.into()),
                }
            }
        }
    }

    /// Classifies, decides and archives one comment version.
    #[instrument(skip_all, fields(account = %stored.account_key, comment_id = %stored.comment.platform_id))]
    async fn decide_one(
        &self,
        stored: &StoredComment,
        run_id: i64,
    ) -> Result<Decision, DecideError> {
        let account = self.account_by_id(stored.account_id);
        let classifier = self.classifier();
        let mut findings = classifier.classify(&stored.comment.text);
        let platform = account.and_then(|a| a.platform.as_ref().ok());
        if let (Some(hashes), Some(platform)) = (classifier.media_hashes(), platform) {
            findings.extend(media_findings(stored, platform.as_ref(), hashes).await);
            findings.sort_by_key(|f| (f.start, f.end));
        }
        let capabilities = account
            .and_then(|a| a.platform.as_ref().ok())
            .map(|p| p.capabilities())
            .unwrap_or(Capabilities::NONE);
        let decision = decide(&findings, &self.config.policy, capabilities);
        let receipt = self
            .archive_record(stored, account, &findings, decision.action)
            .await?;
        let now = self.clock.now();
        let followups = self.followups(stored, account, &findings, &decision, &receipt, now);
        self.store
            .record_decision(
                &DecisionRecord {
                    comment_id: stored.id,
                    findings: &findings,
                    action: decision.action,
                    record_path: &receipt.relative_path().to_string_lossy(),
                    record_sha256: receipt.record_sha256(),
                    decided_at: now,
                    run_id: Some(run_id),
                },
                &followups,
            )
            .await?;
        Ok(decision)
    }

    /// Writes the evidence record on a blocking thread (it fsyncs).
    async fn archive_record(
        &self,
        stored: &StoredComment,
        account: Option<&AccountRuntime>,
        findings: &[crate::classify::Finding],
        action: ModerationAction,
    ) -> Result<ArchiveReceipt, DecideError> {
        let archive = self.archive.clone();
        let comment = stored.comment.clone();
        let fetched_at = stored.fetched_at;
        let findings = findings.to_vec();
        let key = stored.account_key.clone();
        let (name, platform) = account
            .map(|a| (a.config.name.clone(), a.config.platform))
            .unwrap_or_else(|| (key.clone(), crate::model::PlatformKind::Facebook));
        let screenshot = if findings.is_empty() {
            None
        } else {
            self.screenshot(stored, &name, platform).await?
        };
        tokio::task::spawn_blocking(move || {
            archive.archive_comment(&RecordInput {
                account_key: &key,
                account_name: &name,
                platform,
                comment: &comment,
                fetched_at,
                findings: &findings,
                action,
                screenshot: screenshot.as_ref(),
            })
        })
        .await
        .map_err(|e| {
            DecideError::Archive(ArchiveError::Io {
                path: Path::new("(archive task)").to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            })
        })?
        .map_err(DecideError::Archive)
    }

    /// A picture of the comment as readers saw it, for flagged comments: the
    /// policy's "documented, for example by a screenshot". Ordinary comments
    /// are documented by their record alone, which keeps a busy run fast.
    async fn screenshot(
        &self,
        stored: &StoredComment,
        account_name: &str,
        platform: crate::model::PlatformKind,
    ) -> Result<Option<Screenshot>, DecideError> {
        let mut card = EvidenceCard::for_comment(
            account_name,
            platform,
            &stored.comment,
            None,
            stored.fetched_at,
        );
        card.post_excerpt = self
            .store
            .post_text(stored.account_id, &stored.comment.post_id)
            .await?
            .map(|t| screenshot::excerpt(&t));
        match self.renderer.render_screenshot(&card).await {
            Ok(shot) => Ok(Some(shot)),
            Err(e) => {
                // Both renderers failed: the record still documents the
                // comment in full; the missing image is logged for operators.
                error!(comment_row = stored.id, error = %e, "No screenshot could be made");
                Ok(None)
            }
        }
    }

    /// The actions, tickets, e-mails and audit events a decision causes.
    fn followups(
        &self,
        stored: &StoredComment,
        account: Option<&AccountRuntime>,
        findings: &[crate::classify::Finding],
        decision: &Decision,
        receipt: &ArchiveReceipt,
        now: DateTime<Utc>,
    ) -> Followups {
        let mut followups = Followups::default();
        if decision.action.is_platform_action() {
            followups.actions.push(decision.action);
        }
        for kind in &decision.tickets {
            let ticket = NewTicket {
                reference: kind.reference_for(stored.id),
                kind: *kind,
                account_id: stored.account_id,
                comment_id: Some(stored.id),
                record_sha256: Some(receipt.record_sha256().to_string()),
                permalink: stored.comment.permalink.clone(),
                summary: ticket_summary(*kind, account, findings),
                due_at: Some(self.due_time(*kind, now)),
            };
            if let Some(account) = account {
                followups.outbox.extend(sinks::outbox_items(
                    &self.config.ticket_sinks,
                    &TicketContext {
                        ticket: &ticket,
                        account: &account.config,
                        department: self.config.department(&account.config.department),
                        platform_comment_id: &stored.comment.platform_id,
                        record_path: &receipt.relative_path().to_string_lossy(),
                        opened_at: now,
                    },
                ));
            }
            followups.tickets.push(ticket);
        }
        if decision.immediate_alert
            && let Some(account) = account
        {
            let key = format!("alert:decision:{}", stored.id);
            let ctx = alerts::compose::DecisionAlert {
                account: &account.config,
                department: self.config.department(&account.config.department),
                stored,
                findings,
                decision,
                receipt,
                dry_run: self.config.dry_run || account.config.dry_run,
            };
            let mail = alerts::compose::decision_alert(&ctx, key.clone());
            followups.outbox.push(email_item(key, &mail));
        }
        followups.audit.push(AuditEvent::service(
            "comment.decided",
            Some(stored.comment.platform_id.clone()),
            json!({
                "comment_row": stored.id,
                "action": decision.action.as_str(),
                "downgraded_from": decision.downgraded_from.map(|a| a.as_str()),
                "rules": findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
                "record_sha256": receipt.record_sha256(),
            }),
        ));
        followups
    }

    /// When a ticket of a kind is due, counted in office hours
    /// (`[tickets.due]`).
    fn due_time(&self, kind: TicketKind, now: DateTime<Utc>) -> DateTime<Utc> {
        self.config
            .tickets
            .due_rule(kind)
            .due_at(&self.config.schedule, now)
    }

    /// Stage 3: carries out pending hides and deletes.
    pub async fn execute_actions(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        for action in self.store.open_actions().await? {
            self.execute_action(&action, summary).await?;
        }
        Ok(())
    }

    #[instrument(skip_all, fields(action_id = action.id, kind = action.kind.as_str()))]
    async fn execute_action(
        &self,
        action: &ActionRow,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        let Some(stored) = self.store.comment(action.comment_id).await? else {
            return Ok(());
        };
        let now = self.clock.now();
        let receipt = match self.archive.receipt_for(Path::new(&action.record_path)) {
            Ok(r) if r.content_hash() == stored.comment.content_hash() => r,
            Ok(_) | Err(_) => {
                let detail = "the evidence record is missing, altered or of another version";
                error!(comment_row = stored.id, "Action refused: {detail}");
                self.store
                    .finish_action(action.id, ActionState::Failed, Some(detail), now)
                    .await?;
                return Ok(());
            }
        };
        let Some(account) = self.account_by_id(stored.account_id) else {
            return Ok(());
        };
        if self.config.dry_run || account.config.dry_run {
            self.store
                .finish_action(action.id, ActionState::DryRun, None, now)
                .await?;
            self.audit_action(&stored, action, "dry_run").await?;
            telemetry::action_outcome(action.kind.as_str(), "dry_run");
            summary.dry_run += 1;
            return Ok(());
        }
        let platform = match &account.platform {
            Ok(p) => p.clone(),
            Err(reason) => {
                self.store
                    .finish_action(action.id, ActionState::Failed, Some(reason), now)
                    .await?;
                return Ok(());
            }
        };
        self.store.mark_action_in_flight(action.id, now).await?;
        let result = match action.kind {
            ModerationAction::Delete => platform.delete(&receipt).await,
            _ => platform.hide(&receipt).await,
        };
        self.record_action_result(action, &stored, account, result, summary)
            .await
    }

    async fn record_action_result(
        &self,
        action: &ActionRow,
        stored: &StoredComment,
        account: &AccountRuntime,
        result: Result<(), PlatformError>,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        let now = self.clock.now();
        match result {
            Ok(()) | Err(PlatformError::NotFound) => {
                self.store
                    .finish_action(action.id, ActionState::Done, None, now)
                    .await?;
                self.audit_action(stored, action, "done").await?;
                telemetry::action_outcome(action.kind.as_str(), "done");
                match action.kind {
                    ModerationAction::Delete => summary.deleted += 1,
                    _ => summary.hidden += 1,
                }
                info!(
                    comment_row = stored.id,
                    action = action.kind.as_str(),
                    "Comment moderated on the platform"
                );
            }
            Err(e) => {
                let give_up = !e.is_retryable()
                    && !matches!(
                        e,
                        PlatformError::Unauthorized { .. } | PlatformError::RateLimited { .. }
                    )
                    || action.attempts + 1 >= MAX_ACTION_ATTEMPTS;
                let state = if give_up {
                    ActionState::Failed
                } else {
                    ActionState::Pending
                };
                warn!(comment_row = stored.id, error = %e, give_up, "Platform action failed");
                telemetry::action_outcome(
                    action.kind.as_str(),
                    if give_up { "failed" } else { "retry" },
                );
                self.store
                    .finish_action(action.id, state, Some(&e.to_string()), now)
                    .await?;
                self.report_account_problem(
                    &account.config.key,
                    e.kind(),
                    &e.to_string(),
                    Some(&e),
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn audit_action(
        &self,
        stored: &StoredComment,
        action: &ActionRow,
        outcome: &str,
    ) -> Result<(), PipelineError> {
        self.store
            .audit(
                &AuditEvent::service(
                    &format!("comment.{}", action.kind.as_str()),
                    Some(stored.comment.platform_id.clone()),
                    json!({"comment_row": stored.id, "action_id": action.id, "outcome": outcome,
                           "record": action.record_path}),
                ),
                self.clock.now(),
            )
            .await?;
        Ok(())
    }

    /// Closes the question tickets the account has answered in the thread
    /// (its own reply to the question, stored by the poller).
    pub async fn close_answered_questions(
        &self,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        let answered = self
            .store
            .close_answered_questions(self.clock.now())
            .await?;
        for question in &answered {
            info!(ticket = %question.reference, reply = %question.reply_comment_id, "Question answered by the account; ticket closed");
        }
        summary.questions_answered += answered.len();
        Ok(())
    }

    /// Queues each moderator's digest of the run (see [`alerts::digest`]).
    pub async fn queue_digests(
        &self,
        run_id: i64,
        run_at: DateTime<Utc>,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        if !self.config.alerts.digest {
            return Ok(());
        }
        let account_ids: HashMap<String, i64> = self
            .accounts
            .iter()
            .map(|a| (a.config.key.clone(), a.account_id))
            .collect();
        let now = self.clock.now();
        let digests = alerts::digest::digests_for_run(
            &self.store,
            &alerts::digest::DigestRun {
                config: &self.config,
                account_ids: &account_ids,
                run_id,
                run_at,
                now,
            },
        )
        .await?;
        for (_, mail) in digests {
            if self
                .store
                .enqueue(&email_item(mail.message_id.clone(), &mail), now)
                .await?
            {
                summary.digests += 1;
            }
        }
        Ok(())
    }

    /// Stage 5: delivers due outbox items (e-mails, ticket e-mails,
    /// webhooks); failures wait with capped backoff and never hold up
    /// moderation, and items that cannot succeed become dead letters.
    pub async fn deliver_outbox(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        let now = self.clock.now();
        for item in self.store.due_outbox(now, 1000).await? {
            match self.deliver_item(&item).await {
                Ok(()) => {
                    self.store
                        .outbox_delivered(item.id, self.clock.now())
                        .await?;
                    telemetry::outbox(&item.kind, "delivered");
                    if item.kind == sinks::WEBHOOK_KIND {
                        summary.webhooks_sent += 1;
                    } else {
                        summary.emails_sent += 1;
                    }
                }
                Err(e) => {
                    let retry_at = (e.is_retryable() && item.attempts + 1 < MAX_DELIVERY_ATTEMPTS)
                        .then(|| self.clock.now() + delivery_backoff(item.attempts + 1));
                    warn!(outbox_id = item.id, kind = %item.kind, error = %e, dead = retry_at.is_none(), "Delivery failed");
                    telemetry::outbox(
                        &item.kind,
                        if retry_at.is_some() { "retry" } else { "dead" },
                    );
                    self.store
                        .outbox_failed(item.id, &e.to_string(), retry_at)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// Delivers one outbox item by its kind.
    async fn deliver_item(&self, item: &OutboxItem) -> Result<(), DeliveryError> {
        match item.kind.as_str() {
            "email" => {
                let mail: OutgoingMail = payload(item)?;
                self.send_mail(&mail).await
            }
            sinks::TICKET_EMAIL_KIND => {
                let mail = sinks::attach_record(payload(item)?, self.archive.root())?;
                self.send_mail(&mail).await
            }
            sinks::WEBHOOK_KIND => self.post_ticket(item, payload(item)?).await,
            other => Err(DeliveryError::Permanent(format!(
                "unknown outbox kind {other:?}"
            ))),
        }
    }

    async fn send_mail(&self, mail: &OutgoingMail) -> Result<(), DeliveryError> {
        self.mailer
            .send(&self.config.mail.from, mail)
            .await
            .map_err(|e| {
                if e.is_retryable() {
                    DeliveryError::Transient(e.to_string())
                } else {
                    DeliveryError::Permanent(e.to_string())
                }
            })
    }

    async fn post_ticket(
        &self,
        item: &OutboxItem,
        webhook: sinks::WebhookPayload,
    ) -> Result<(), DeliveryError> {
        let target = self
            .config
            .ticket_sinks
            .iter()
            .find(|s| s.name == webhook.sink)
            .map(|s| &s.target);
        let Some(SinkTarget::Webhook {
            url,
            secret,
            timeout,
        }) = target
        else {
            return Err(DeliveryError::Permanent(format!(
                "the webhook sink {:?} is no longer configured",
                webhook.sink
            )));
        };
        sinks::post_webhook(
            &self.http,
            url,
            secret,
            *timeout,
            &item.idempotency_key,
            &webhook.body,
        )
        .await
    }

    /// Queues a system-problem e-mail for an account, at most once a day per
    /// account and kind of problem.
    async fn report_account_problem(
        &self,
        account_key: &str,
        kind: &str,
        detail: &str,
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

/// Checks each attachment of the comment against the media hash list: the
/// bytes are fetched into memory, hashed and dropped — never written to
/// disk or a log. An attachment that cannot be fetched is a finding for a
/// person, never silently passed.
async fn media_findings(
    stored: &StoredComment,
    platform: &dyn Platform,
    hashes: &MediaHashList,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for url in platform.attachment_urls(&stored.comment) {
        let finding = match platform.fetch_media(&url, MAX_MEDIA_BYTES).await {
            Ok(bytes) => {
                let digest: [u8; 32] = Sha256::digest(&bytes).into();
                hashes.finding_for(&digest)
            }
            Err(e) => {
                warn!(comment_row = stored.id, error = %e, "An attachment could not be checked against the media hash list; it goes to a person");
                Some(hashes.unchecked_finding())
            }
        };
        if let Some(finding) = finding.filter(|f| !findings.contains(f)) {
            findings.push(finding);
        }
    }
    findings
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

#[derive(Debug)]
enum DecideError {
    Archive(ArchiveError),
    Store(StoreError),
}

impl From<StoreError> for DecideError {
    fn from(e: StoreError) -> Self {
        DecideError::Store(e)
    }
}

/// The screenshot renderer the configuration asks for; a read-only
/// pipeline archives nothing, so it starts no browser.
async fn renderer_for(config: &Config, access: ArchiveAccess) -> Arc<dyn Renderer> {
    match (access, config.screenshots) {
        (ArchiveAccess::Write, crate::config::ScreenshotRenderer::Auto) => {
            screenshot::best_available(Some(&config.chromium_path)).await
        }
        _ => Arc::new(screenshot::FallbackRenderer::new()),
    }
}

/// Reads an outbox item's payload; one that does not parse is a dead letter.
fn payload<T: serde::de::DeserializeOwned>(item: &OutboxItem) -> Result<T, DeliveryError> {
    serde_json::from_value(item.payload.clone())
        .map_err(|e| DeliveryError::Permanent(format!("unreadable payload: {e}")))
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
    findings: &[crate::classify::Finding],
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

/// Capped exponential backoff for e-mail delivery: 1, 2, 4 … 60 minutes.
fn delivery_backoff(attempt: i64) -> chrono::Duration {
    let minutes = 1i64 << attempt.clamp(0, 6);
    chrono::Duration::minutes(minutes.min(60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Confidence;
    use crate::model::{FetchedComment, FetchedPost};
    use crate::platforms::{Page, PageToken};
    use async_trait::async_trait;
    use serde_json::value::RawValue;

    /// A platform whose comments carry fixed attachments with fixed answers.
    struct Attachments(Vec<(&'static str, Result<Vec<u8>, PlatformError>)>);

    #[async_trait]
    impl Platform for Attachments {
        fn capabilities(&self) -> Capabilities {
            Capabilities::NONE
        }
        async fn list_posts(
            &self,
            _: Option<&PageToken>,
        ) -> Result<Page<FetchedPost>, PlatformError> {
            Err(PlatformError::Unsupported { action: "listing" })
        }
        async fn list_comments(
            &self,
            _: &str,
            _: Option<DateTime<Utc>>,
            _: Option<&PageToken>,
        ) -> Result<Page<FetchedComment>, PlatformError> {
            Err(PlatformError::Unsupported { action: "listing" })
        }
        async fn hide(&self, _: &ArchiveReceipt) -> Result<(), PlatformError> {
            Err(PlatformError::Unsupported { action: "hide" })
        }
        async fn unhide(&self, _: &str) -> Result<(), PlatformError> {
            Err(PlatformError::Unsupported { action: "unhide" })
        }
        async fn delete(&self, _: &ArchiveReceipt) -> Result<(), PlatformError> {
            Err(PlatformError::Unsupported { action: "delete" })
        }
        fn attachment_urls(&self, _: &FetchedComment) -> Vec<String> {
            self.0.iter().map(|(url, _)| url.to_string()).collect()
        }
        async fn fetch_media(&self, url: &str, max: usize) -> Result<Vec<u8>, PlatformError> {
            assert_eq!(max, MAX_MEDIA_BYTES);
            let answer = self
                .0
                .iter()
                .find(|(u, _)| *u == url)
                .map(|(_, a)| a.clone());
            answer.unwrap_or(Err(PlatformError::NotFound))
        }
    }

    fn stored() -> StoredComment {
        let raw = RawValue::from_string("{}".to_string()).unwrap_or_else(|e| panic!("{e}"));
        StoredComment {
            id: 1,
            account_id: 1,
            account_key: "konto".into(),
            comment: FetchedComment {
                platform_id: "1_2".into(),
                post_id: "1".into(),
                parent_id: None,
                author_id: None,
                author_name: None,
                text: String::new(),
                created_at: DateTime::UNIX_EPOCH,
                permalink: None,
                is_hidden: false,
                raw,
            },
            fetched_at: DateTime::UNIX_EPOCH,
            state: "new".into(),
            action: None,
            record_path: None,
            record_sha256: None,
            decided_at: None,
        }
    }

    fn list_of(bytes: &[u8]) -> MediaHashList {
        MediaHashList::parse("test", &hex::encode(Sha256::digest(bytes)))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn an_attachment_that_cannot_be_fetched_goes_to_a_person() {
        let platform = Attachments(vec![
            ("https://cdn.example/ok.jpg", Ok(b"ordinary".to_vec())),
            (
                "https://cdn.example/slow.jpg",
                Err(PlatformError::Timeout(Duration::from_secs(20))),
            ),
        ]);
        let findings = media_findings(&stored(), &platform, &list_of(b"listed")).await;
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule, "il.barnpornografi.media_unchecked");
        assert_eq!(findings[0].confidence, Confidence::Possible);
        let decision = decide(
            &findings,
            &crate::config::PolicyConfig::DEFAULT,
            Capabilities {
                hide: true,
                delete: true,
                permalink: true,
            },
        );
        assert_eq!(decision.action, ModerationAction::Review);
    }

    #[tokio::test]
    async fn a_listed_attachment_is_one_obvious_finding_and_an_unlisted_none() {
        let platform = Attachments(vec![
            ("https://cdn.example/video.mp4", Ok(b"listed".to_vec())),
            ("https://cdn.example/thumb.jpg", Ok(b"thumbnail".to_vec())),
        ]);
        let findings = media_findings(&stored(), &platform, &list_of(b"listed")).await;
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule, "il.barnpornografi.media_hash");
        assert_eq!(findings[0].confidence, Confidence::Obvious);

        let none = media_findings(&stored(), &platform, &list_of(b"something else")).await;
        assert!(none.is_empty(), "{none:?}");
    }
}
