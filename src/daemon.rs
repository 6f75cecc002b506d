//! The long-running service: waits for the next slot (or crisis interval),
//! runs the pipeline, repeats; culls the archive at `retention.cull_schedule`;
//! runs the daily checks of the accounts at `checks.schedule`; sends the
//! registry its daily digest with the evidence chain's anchor and, in its
//! week, the February/September report at their own time
//! ([`crate::config::validate::DAILY_MAIL_SCHEDULE`]), checks or not;
//! re-reads crisis mode and rebuilds the classifier from the word lists when
//! the config file changes or on SIGHUP; talks to systemd (READY, WATCHDOG,
//! STATUS); and on SIGTERM lets the run in progress finish before exiting.
//!
//! The systemd watchdog is fed by the main loop itself, not by a timer task
//! beside it: while the loop waits for its next run it sends `WATCHDOG=1`
//! at half the interval systemd asks for, and while it works (a run, a
//! culling, a reload, a delivery) it sends one only when the work has made
//! progress since the last ([`crate::telemetry::progress`]: comments
//! stored, decided, acted on, e-mails delivered, stages finished). A hung
//! run, a stuck database call or a blocked thread thus stops the messages,
//! and systemd restarts the service after `WatchdogSec`.
//!
//! Monitoring runs and culling are awaited one at a time in one loop, so a
//! culling never runs during a monitoring run: one due while a run is in
//! progress starts as soon as the run has finished.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use notify::{RecursiveMode, Watcher};
use serde_json::json;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use crate::alerts;
use crate::archive::retention::{self, CullOutcome, RefusedCullPath, RetentionError};
use crate::config::{self, CrisisConfig};
use crate::pipeline::{Pipeline, RefusedPath};
use crate::report::{checks, scheduled};
use crate::schedule::{Schedule, next_crisis_run};
use crate::store::leader::{self, Leadership};
use crate::store::{AuditEvent, NewOutboxItem, RunTrigger};

/// How often queued e-mails are retried between monitoring runs.
const OUTBOX_TICK: Duration = Duration::from_secs(60);

/// Who a scheduled culling's protocol and audit event name: the service,
/// marked so that an archivist tells it from a culling an operator ran.
pub const SCHEDULED_CULL_ACTOR: &str = "kommentarsvakt (schemalagd gallring)";

/// Why the daemon stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The config file cannot be watched.
    #[error("cannot watch the config file {path}: {detail}")]
    Watch {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
    /// A signal handler could not be installed.
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
    /// The database connection that held the lead is gone; another
    /// instance may lead now. systemd restarts the service as a standby.
    #[error(
        "this instance lost the lead (its database connection is gone) and stopped acting; \
         another instance may have taken over"
    )]
    LeadLost,
    /// The database could not be asked who leads.
    #[error("cannot take the lead on the database: {0}")]
    Lead(#[from] crate::store::StoreError),
}

/// Waits, as a standby, until this instance leads the monitoring on the
/// database (see [`crate::store::leader`]); `None` when shut down first.
/// systemd is told the service is ready while it stands by, and its
/// watchdog is fed, so a standby is a healthy service.
pub async fn stand_by(
    database_url: &str,
    shutdown: &CancellationToken,
) -> Result<Option<Leadership>, DaemonError> {
    // Ends the standby's watchdog task once the wait is over: from then on
    // the main loop feeds the watchdog, or nothing does.
    let standing_by = shutdown.child_token();
    let lead = leader::wait_for_lead(database_url, shutdown, || {
        info!("Another instance leads the monitoring on this database; standing by to take over");
        notify_systemd(&[
            sd_notify::NotifyState::Ready,
            sd_notify::NotifyState::Status("standby: another instance leads"),
        ]);
        spawn_standby_watchdog(standing_by.clone());
    })
    .await;
    standing_by.cancel();
    let lead = lead?;
    if lead.is_some() {
        info!("This instance leads the monitoring on the database");
    }
    Ok(lead)
}

/// The running service.
pub struct Daemon {
    pipeline: Arc<Pipeline>,
    lead: Option<Leadership>,
    config_path: Option<PathBuf>,
    crisis: watch::Sender<CrisisConfig>,
    next_cull: watch::Sender<Option<DateTime<Utc>>>,
}

impl Daemon {
    /// Wraps a built pipeline; `config_path` is re-read for crisis mode.
    pub fn new(pipeline: Pipeline, config_path: Option<PathBuf>) -> Self {
        let (crisis, _) = watch::channel(pipeline.config().crisis);
        Self {
            pipeline: Arc::new(pipeline),
            lead: None,
            config_path,
            crisis,
            next_cull: watch::Sender::new(None),
        }
    }

    /// Runs under `lead`: when it is lost, the daemon stops with
    /// [`DaemonError::LeadLost`] before acting any further.
    pub fn with_lead(mut self, lead: Leadership) -> Self {
        self.lead = Some(lead);
        self
    }

    /// The pipeline, for tests.
    pub fn pipeline(&self) -> &Arc<Pipeline> {
        &self.pipeline
    }

    /// Current crisis setting.
    pub fn crisis(&self) -> CrisisConfig {
        *self.crisis.borrow()
    }

    /// When the running service culls next (`None` before it has started,
    /// or when culling is off), for the systemd status line and for tests.
    pub fn next_cull(&self) -> Option<DateTime<Utc>> {
        *self.next_cull.borrow()
    }

    /// Runs until `shutdown` is cancelled. Installs the config watcher; the
    /// caller installs signal handlers (see [`install_signal_handlers`]).
    pub async fn run(
        &self,
        shutdown: CancellationToken,
        reload: mpsc::Receiver<()>,
    ) -> Result<(), DaemonError> {
        let (file_events_tx, file_events) = mpsc::channel(8);
        let _watcher = match self
            .config_path
            .as_deref()
            .map(|path| watch_file(path, file_events_tx))
        {
            Some(Err(error)) => {
                self.pipeline.shutdown().await;
                return Err(error);
            }
            watching => watching.transpose()?,
        };
        if let Some(addr) = self.pipeline.config().metrics_listen {
            if let Err(e) = crate::telemetry::install(addr) {
                error!(error = %e, "Metrics are not served");
            } else {
                info!(%addr, "Serving Prometheus metrics at /metrics");
            }
        }
        self.serve_console(&shutdown).await;
        crate::telemetry::crisis(self.crisis().enabled);
        notify_systemd(&[sd_notify::NotifyState::Ready]);
        let watchdog = Watchdog::from_env();
        // Taken before the catch-up: a slot whose time passes while it runs
        // is the main loop's to run, late.
        let started = self.pipeline.clock().now();
        let lost = async {
            match &self.lead {
                Some(lead) => lead.lost().await,
                None => std::future::pending().await,
            }
        };
        let work = async {
            watchdog
                .feeding_while(self.catch_up_missed_slot(started))
                .await;
            self.main_loop(started, shutdown, reload, file_events, watchdog)
                .await;
        };
        let outcome = tokio::select! {
            () = work => Ok(()),
            () = lost => Err(DaemonError::LeadLost),
        };
        notify_systemd(&[sd_notify::NotifyState::Stopping]);
        self.pipeline.shutdown().await;
        // A lost lead leaves the outbox to the new leader.
        outcome?;
        info!("Draining queued e-mails before exit");
        watchdog.feeding_while(self.flush_outbox()).await;
        Ok(())
    }

    /// Serves the moderators' console when `[web] listen` is set, until
    /// `shutdown`. A console that cannot bind its address is an operator's
    /// problem, not a reason to stop monitoring.
    async fn serve_console(&self, shutdown: &CancellationToken) {
        let Some(web) = self.pipeline.config().web.clone() else {
            return;
        };
        let listener = match crate::web::bind(web.listen).await {
            Ok(listener) => listener,
            Err(e) => {
                error!(error = %e, "The moderators' console is not served");
                return;
            }
        };
        info!(address = %web.listen, url = %web.public_url, "Serving the moderators' console");
        let state = crate::web::WebState::new(self.pipeline.clone(), web, self.crisis.subscribe());
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::web::serve(listener, state, shutdown).await {
                error!(error = %e, "The moderators' console stopped");
            }
        });
    }

    /// Waits for and runs monitoring runs, cullings, reloads and outbox
    /// retries, one at a time, until `shutdown`; slots at or before
    /// `started` are the start-up catch-up's. Feeds `watchdog` while it
    /// waits, and while it works only as the work progresses.
    async fn main_loop(
        &self,
        started: DateTime<Utc>,
        shutdown: CancellationToken,
        mut reload: mpsc::Receiver<()>,
        mut file_events: mpsc::Receiver<()>,
        watchdog: Watchdog,
    ) {
        let clock = self.pipeline.clock().clone();
        let mut crisis_rx = self.crisis.subscribe();
        let mut history = RunHistory::starting_at(started);
        let mut next_cull = self.schedule_next_cull(clock.now());
        let mut next_checks = self.schedule_first_checks(started);
        let mut next_daily_mail = self.schedule_first_daily_mail(started);
        let mut outbox_tick = tokio::time::interval(OUTBOX_TICK);
        let mut idle_pings = watchdog.idle_pings();
        let mut told_status = String::new();
        loop {
            let crisis = *crisis_rx.borrow_and_update();
            let schedule = &self.pipeline.config().schedule;
            let next = history.next_run(schedule, crisis, clock.now());
            let mut status = match &next {
                Some(run) => format!("next run {} ({:?})", run.at, run.trigger),
                None => "no slot scheduled".to_string(),
            };
            if let Some(t) = next_cull {
                status.push_str(&format!("; next culling {t}"));
            }
            // The loop also wakes for watchdog pings; systemd hears of the
            // status only when it changes.
            if status != told_status {
                notify_systemd(&[sd_notify::NotifyState::Status(&status)]);
                told_status = status;
            }
            let wait_for_next = sleep_until_if_any(&clock, next.map(|run| run.at));
            // Shutdown first: without `biased`, select! picks among ready
            // branches at random, so a queued config-file event or outbox
            // tick could start one more reload or flush after SIGTERM.
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => return,
                _ = tick_if_any(&mut idle_pings) => notify_systemd(&[sd_notify::NotifyState::Watchdog]),
                _ = wait_for_next => {
                    if let Some(run) = next {
                        history.started(&run, clock.now());
                        watchdog
                            .feeding_while(self.run_once(run.trigger, run.slot, crisis.enabled))
                            .await;
                    }
                }
                _ = sleep_until_if_any(&clock, next_cull) => {
                    watchdog.feeding_while(self.run_scheduled_cull()).await;
                    next_cull = self.schedule_next_cull(clock.now());
                }
                _ = sleep_until_if_any(&clock, next_checks) => {
                    watchdog.feeding_while(self.run_daily_checks()).await;
                    next_checks = self.schedule_next_checks(clock.now());
                }
                _ = sleep_until_if_any(&clock, next_daily_mail) => {
                    watchdog.feeding_while(self.run_daily_mail()).await;
                    next_daily_mail = self.schedule_next_daily_mail(clock.now());
                }
                _ = crisis_rx.changed() => {}
                Some(()) = reload.recv() => watchdog.feeding_while(self.reload("SIGHUP")).await,
                Some(()) = file_events.recv() => {
                    watchdog.feeding_while(self.reload("config file changed")).await;
                }
                _ = outbox_tick.tick() => watchdog.feeding_while(self.flush_outbox()).await,
            }
        }
    }

    /// Runs the pipeline once, logging (not propagating) failures: the
    /// service keeps monitoring even if one run fails.
    pub async fn run_once(&self, trigger: RunTrigger, slot: Option<DateTime<Utc>>, crisis: bool) {
        if let Err(e) = self.pipeline.run(trigger, slot, crisis).await {
            error!(error = %e, "Monitoring run failed");
        }
    }

    /// Works out and publishes the next culling time after `after`; `None`
    /// when culling is off or its expression never fires again.
    fn schedule_next_cull(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let schedule = self.pipeline.config().retention.cull_schedule.as_ref();
        let next = schedule.and_then(|s| s.next_after(after));
        match (schedule, next) {
            (Some(s), Some(at)) => info!(%at, schedule = s.expression(), "Next scheduled culling"),
            (Some(s), None) => warn!(
                schedule = s.expression(),
                "The culling schedule never fires again"
            ),
            (None, _) => info!("Scheduled culling is off; cull with `kommentarsvakt archive cull`"),
        }
        self.next_cull.send_replace(next);
        next
    }

    /// The next time after `after` the daily checks run; `None` when they
    /// are left to operators (`[checks] schedule = "off"`).
    fn schedule_next_checks(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let schedule = self.pipeline.config().checks_schedule.as_ref();
        let next = schedule.and_then(|s| s.next_after(after));
        if let Some(at) = next {
            info!(%at, "Next daily checks of the accounts");
        }
        next
    }

    /// When the daily checks first run after the service started at
    /// `started`: at once when that day's time had already passed (a
    /// service started at 10:00 with the checks at 07:00 checks that day,
    /// once, rather than the next morning), else at their next time.
    fn schedule_first_checks(&self, started: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let schedule = self.pipeline.config().checks_schedule.as_ref();
        if let Some(missed) = schedule.and_then(|s| s.passed_earlier_today(started)) {
            info!(%missed, "The daily checks' time passed before the service started; they run now");
            return Some(started);
        }
        self.schedule_next_checks(started)
    }

    /// The next time after `after` the registry's digest and the
    /// February/September report are due.
    fn schedule_next_daily_mail(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let schedule = self.pipeline.config().daily_mail_schedule.as_ref();
        let next = schedule.and_then(|s| s.next_after(after));
        if let Some(at) = next {
            info!(%at, "Next daily digest to the registry");
        }
        next
    }

    /// When the daily mail is first due after the service started at
    /// `started`: at once when that day's time had already passed, as for
    /// the checks; a digest or report sent before is not sent again.
    fn schedule_first_daily_mail(&self, started: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let schedule = self.pipeline.config().daily_mail_schedule.as_ref();
        if let Some(missed) = schedule.and_then(|s| s.passed_earlier_today(started)) {
            info!(%missed, "The daily digest's time passed before the service started; it is due now");
            return Some(started);
        }
        self.schedule_next_daily_mail(started)
    }

    /// Runs the daily checks of the accounts, as `kommentarsvakt checks`
    /// does, closes the accounts whose closing day has passed, and sends
    /// what they queued at once. A failure is logged, not propagated: the
    /// next day's run finds what this one missed.
    pub async fn run_daily_checks(&self) {
        let pipeline = &self.pipeline;
        let now = pipeline.clock().now();
        let reads = match pipeline.read_for_checks().await {
            Ok(reads) => reads,
            Err(e) => {
                error!(error = %e, "The accounts' profiles could not be read for the daily checks");
                checks::PlatformReads::default()
            }
        };
        if let Err(e) = pipeline.tell_read_failures(&reads).await {
            error!(error = %e, "Failed profile reads could not be told to operations");
        }
        match checks::run(pipeline.store(), pipeline.config(), &reads, now).await {
            Ok(outcome) => info!(
                findings = outcome.findings.len(),
                mailed = outcome.mailed,
                cleared = outcome.cleared,
                "Daily checks of the accounts done"
            ),
            Err(e) => error!(error = %e, "The daily checks of the accounts failed"),
        }
        match pipeline.finish_due_closings().await {
            Ok(closed) if closed.is_empty() => {}
            Ok(closed) => info!(?closed, "Accounts closed after their closing day"),
            Err(e) => error!(error = %e, "Closing the accounts due could not be finished"),
        }
        self.flush_outbox().await;
    }

    /// Queues the February/September report in its week and the daily
    /// digest with the chain anchor to the registry, each once, and sends
    /// them at once. Independent of the daily checks: the registry's copy
    /// of the chain head must not stop because an operator runs the checks
    /// by hand. A failure is logged; the next working day queues again.
    pub async fn run_daily_mail(&self) {
        let pipeline = &self.pipeline;
        let now = pipeline.clock().now();
        match scheduled::send_if_due(pipeline.store(), pipeline.config(), now).await {
            Ok(0) => {}
            Ok(queued) => info!(queued, "The February/September report is sent"),
            Err(e) => error!(error = %e, "The February/September report could not be made"),
        }
        match alerts::registry_digest::queue_daily(pipeline.store(), pipeline.config(), now).await {
            Ok(true) => info!("The daily digest with the chain anchor is sent to the registry"),
            Ok(false) => {}
            Err(e) => error!(error = %e, "The daily digest to the registry could not be queued"),
        }
        self.flush_outbox().await;
    }

    /// Culls what is due now, as `kommentarsvakt archive cull` does: the
    /// protocol first, then the records, then the database rows. The run is
    /// audited either way; a failure is e-mailed as a system problem, since
    /// records then outlive their retention period.
    pub async fn run_scheduled_cull(&self) {
        let pipeline = &self.pipeline;
        let now = pipeline.clock().now();
        let culled = retention::cull(
            pipeline.store(),
            pipeline.archive(),
            &pipeline.config().retention,
            now,
            SCHEDULED_CULL_ACTOR,
        )
        .await;
        match culled {
            Ok(outcome) => self.audit_scheduled_cull(&outcome, now).await,
            Err(RetentionError::RefusedPaths(refused)) => {
                error!(
                    rows = refused.len(),
                    "Scheduled culling refused: database rows name record paths outside the \
                     archive; nothing was culled"
                );
                report_refused_cull_paths(pipeline, &refused).await;
                self.flush_outbox().await;
            }
            Err(error) => self.report_cull_failure(&error, now).await,
        }
    }

    /// One audit event per scheduled culling, also when nothing was due, so
    /// the log shows that culling ran and what legal holds kept.
    async fn audit_scheduled_cull(&self, outcome: &CullOutcome, now: DateTime<Utc>) {
        info!(
            culled = outcome.culled.len(),
            held = outcome.held,
            protocol = outcome.protocol_path.as_deref().unwrap_or("-"),
            "Scheduled culling done"
        );
        let event = AuditEvent::service(
            "archive.cull_scheduled",
            None,
            json!({
                "culled": outcome.culled.len(),
                "held": outcome.held,
                "protocol": outcome.protocol_path,
                "protocol_sha256": outcome.protocol_sha256,
            }),
        );
        if let Err(e) = self.pipeline.store().audit(&event, now).await {
            error!(error = %e, "Cannot audit the scheduled culling");
        }
    }

    /// Logs, audits and e-mails (once a day) a failed scheduled culling.
    async fn report_cull_failure(&self, error: &RetentionError, now: DateTime<Utc>) {
        error!(%error, "Scheduled culling failed; records past their period are kept until it works");
        let store = self.pipeline.store();
        let event = AuditEvent::service(
            "archive.cull_failed",
            None,
            json!({"error": error.to_string()}),
        );
        if let Err(e) = store.audit(&event, now).await {
            error!(error = %e, "Cannot audit the failed culling");
        }
        let key = format!("system:culling:{}", now.format("%Y-%m-%d"));
        let mail = alerts::compose::culling_problem(
            self.pipeline.config(),
            &error.to_string(),
            now,
            key.clone(),
        );
        let item = NewOutboxItem {
            kind: "email".into(),
            idempotency_key: key,
            payload: serde_json::to_value(&mail).unwrap_or_default(),
        };
        if let Err(e) = store.enqueue(&item, now).await {
            error!(error = %e, "Cannot queue the culling failure notice");
        }
        self.flush_outbox().await;
    }

    /// Runs once at start-up when the latest slot at or before `now` has no
    /// run: the service was down when it should have monitored.
    async fn catch_up_missed_slot(&self, now: DateTime<Utc>) {
        let Some(last_slot) = self.pipeline.config().schedule.last_slot_at_or_before(now) else {
            return;
        };
        let last_done = match self.pipeline.store().last_finished_slot().await {
            Ok(t) => t,
            Err(e) => {
                error!(error = %e, "Cannot read the run history; running a catch-up to be safe");
                None
            }
        };
        if last_done.is_none_or(|done| done < last_slot) {
            warn!(slot = %last_slot, "The last slot was missed while the service was down; monitoring now");
            self.report_missed_slot(last_slot).await;
            self.run_once(RunTrigger::CatchUp, Some(last_slot), self.crisis().enabled)
                .await;
        }
    }

    /// Queues a system-problem e-mail for a missed slot, once per slot.
    async fn report_missed_slot(&self, slot: DateTime<Utc>) {
        let now = self.pipeline.clock().now();
        let key = format!("system:slot_missed:{}", crate::store::ts(slot));
        let mail = alerts::compose::slot_missed(self.pipeline.config(), slot, key.clone());
        let item = NewOutboxItem {
            kind: "email".into(),
            idempotency_key: key,
            payload: serde_json::to_value(&mail).unwrap_or_default(),
        };
        if let Err(e) = self.pipeline.store().enqueue(&item, now).await {
            error!(error = %e, "Cannot queue the missed-slot notice");
        }
    }

    /// Re-reads what may change without a restart: crisis mode, and the
    /// word lists and media hashes the classifier is rebuilt from.
    pub async fn reload(&self, cause: &str) {
        self.reload_crisis(cause).await;
        if let Some(path) = &self.config_path
            && !self.pipeline.reload_classifier(path, cause).await
        {
            self.flush_outbox().await;
        }
    }

    /// Re-reads crisis mode from the config file; a change is logged,
    /// audited and e-mailed. A broken file keeps the current setting.
    pub async fn reload_crisis(&self, cause: &str) {
        let Some(path) = &self.config_path else {
            return;
        };
        let new = match config::read_crisis(path) {
            Ok(c) => c,
            Err(e) => {
                error!(error = %e, "Config reload failed; crisis mode unchanged");
                return;
            }
        };
        let old = self.crisis();
        if new == old {
            return;
        }
        self.crisis.send_replace(new);
        crate::telemetry::crisis(new.enabled);
        warn!(enabled = new.enabled, interval = ?new.interval, cause, "Crisis mode changed");
        let now = self.pipeline.clock().now();
        let store = self.pipeline.store();
        let audit = AuditEvent::service(
            if new.enabled {
                "crisis.enabled"
            } else {
                "crisis.disabled"
            },
            None,
            json!({"interval_secs": new.interval.as_secs(), "cause": cause}),
        );
        if let Err(e) = store.audit(&audit, now).await {
            error!(error = %e, "Cannot audit the crisis change");
        }
        let key = format!("crisis:{}:{}", new.enabled, crate::store::ts(now));
        let mail = alerts::compose::crisis_notice(self.pipeline.config(), new, now, key.clone());
        let item = NewOutboxItem {
            kind: "email".into(),
            idempotency_key: key,
            payload: serde_json::to_value(&mail).unwrap_or_default(),
        };
        if let Err(e) = store.enqueue(&item, now).await {
            error!(error = %e, "Cannot queue the crisis notice");
        }
        self.flush_outbox().await;
    }

    async fn flush_outbox(&self) {
        let mut summary = crate::pipeline::RunSummary::default();
        if let Err(e) = self.pipeline.deliver_outbox(&mut summary).await {
            error!(error = %e, "Delivering queued e-mails failed");
        }
    }
}

/// Tells operations of each row a culling refused, one e-mail per row and
/// path (the scheduled culling and `archive cull` alike).
pub async fn report_refused_cull_paths(pipeline: &Pipeline, refused: &[RefusedCullPath]) {
    for path in refused {
        let refused = RefusedPath::from_culling(path);
        if let Err(e) = pipeline.report_refused_path(&refused).await {
            error!(error = %e, "Cannot queue the notice of a refused record path");
        }
    }
}

/// The next monitoring run the main loop waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NextRun {
    /// When it starts; a time already past means at once (a late slot).
    at: DateTime<Utc>,
    /// Why it runs, as its run record shows.
    trigger: RunTrigger,
    /// The slot it serves, recorded with the run; `None` for a crisis run.
    slot: Option<DateTime<Utc>>,
}

/// What the main loop remembers of the runs it started, to choose the next.
#[derive(Debug, Clone, Copy)]
struct RunHistory {
    /// When the last run started, for the crisis interval.
    last_start: Option<DateTime<Utc>>,
    /// Slots at or before this are handled: served by a run, covered by a
    /// crisis run, or left to the start-up catch-up.
    handled_until: DateTime<Utc>,
}

impl RunHistory {
    /// No run yet; the slots after `start` are the loop's to serve.
    fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            last_start: None,
            handled_until: start,
        }
    }

    /// The next run: in crisis mode, the next crisis interval; otherwise the
    /// first slot after the last one handled.
    ///
    /// The slot is looked for after the last one handled, not after `now`:
    /// a slot whose time passes while the loop is busy (a reload, a slow
    /// outbox delivery, a culling, a long run) still runs, late, instead of
    /// being skipped until the next slot, perhaps the next working day.
    ///
    /// When several slots have passed (the machine was suspended, a culling
    /// took hours), only the newest runs, stamped with its slot. A run
    /// collects everything since the previous one, so running the older
    /// slots too, a minute apart, would find nothing new and only send
    /// moderators more digests; the start-up catch-up also runs only the
    /// latest missed slot.
    fn next_run(
        &self,
        schedule: &Schedule,
        crisis: CrisisConfig,
        now: DateTime<Utc>,
    ) -> Option<NextRun> {
        if crisis.enabled {
            return Some(NextRun {
                at: next_crisis_run(self.last_start, now, crisis.interval),
                trigger: RunTrigger::Crisis,
                slot: None,
            });
        }
        let first_unhandled = schedule.next_slot_after(self.handled_until)?;
        let slot = if first_unhandled <= now {
            schedule
                .last_slot_at_or_before(now)
                .map_or(first_unhandled, |newest| newest.max(first_unhandled))
        } else {
            first_unhandled
        };
        Some(NextRun {
            at: slot,
            trigger: RunTrigger::Slot,
            slot: Some(slot),
        })
    }

    /// Notes that `run` started at `at`. A crisis run covers the slots it
    /// passes over: when crisis mode ends, the first slot after it runs.
    fn started(&mut self, run: &NextRun, at: DateTime<Utc>) {
        self.last_start = Some(at);
        self.handled_until = run.slot.unwrap_or(at);
    }
}

/// Waits until `at`, or forever when there is nothing to wait for.
async fn sleep_until_if_any(clock: &Arc<dyn crate::clock::Clock>, at: Option<DateTime<Utc>>) {
    match at {
        Some(at) => clock.sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// SIGTERM and SIGINT cancel `shutdown`; SIGHUP sends a reload request.
pub fn install_signal_handlers(
    shutdown: CancellationToken,
) -> Result<mpsc::Receiver<()>, DaemonError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).map_err(DaemonError::Signals)?;
    let mut int = signal(SignalKind::interrupt()).map_err(DaemonError::Signals)?;
    let mut hup = signal(SignalKind::hangup()).map_err(DaemonError::Signals)?;
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = term.recv() => { info!("SIGTERM: finishing the run in progress, then exiting"); shutdown.cancel(); return; }
                _ = int.recv() => { info!("SIGINT: finishing the run in progress, then exiting"); shutdown.cancel(); return; }
                _ = hup.recv() => { let _ = tx.try_send(()); }
            }
        }
    });
    Ok(rx)
}

/// Watches the config file's directory (editors replace files rather than
/// write them in place) and reports changes to that file.
fn watch_file(
    path: &Path,
    tx: mpsc::Sender<()>,
) -> Result<notify::RecommendedWatcher, DaemonError> {
    let file = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = file.file_name().map(|n| n.to_os_string());
    let err = |e: notify::Error| DaemonError::Watch {
        path: file.display().to_string(),
        detail: e.to_string(),
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        if event.paths.iter().any(|p| p.file_name() == name.as_deref()) {
            let _ = tx.try_send(());
        }
    })
    .map_err(err)?;
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(err)?;
    Ok(watcher)
}

/// The systemd watchdog as the main loop feeds it (see the module
/// documentation): `WATCHDOG=1` at half the interval systemd asks for
/// (`WATCHDOG_USEC`), while idle or while work progresses.
#[derive(Debug, Clone, Copy)]
struct Watchdog {
    /// Half the watchdog interval; `None` when systemd watches nothing.
    period: Option<Duration>,
}

impl Watchdog {
    /// The watchdog systemd set up for this process, if any.
    fn from_env() -> Self {
        let mut usec = 0;
        let enabled = sd_notify::watchdog_enabled(false, &mut usec) && usec > 0;
        Self {
            period: enabled.then(|| Duration::from_micros(usec / 2)),
        }
    }

    /// The ticks at which the idle loop feeds the watchdog.
    fn idle_pings(&self) -> Option<tokio::time::Interval> {
        self.period.map(ticks_every)
    }

    /// Runs `work`, feeding the watchdog at each tick at which work has
    /// progressed since the last one. Polled in the main loop's own task:
    /// a thread blocked in `work` sends nothing either.
    async fn feeding_while<F: Future>(&self, work: F) -> F::Output {
        let Some(period) = self.period else {
            return work.await;
        };
        let mut work = std::pin::pin!(work);
        let mut ticks = ticks_every(period);
        let mut seen = crate::telemetry::progress();
        let mut told_stalled = false;
        loop {
            tokio::select! {
                biased;
                output = &mut work => return output,
                _ = ticks.tick() => {
                    let now = crate::telemetry::progress();
                    if now != seen {
                        seen = now;
                        told_stalled = false;
                        notify_systemd(&[sd_notify::NotifyState::Watchdog]);
                    } else if !told_stalled {
                        told_stalled = true;
                        warn!(
                            after = ?period,
                            "The work in progress has made no progress; the systemd watchdog is \
                             not fed until it does, and restarts the service if it never does"
                        );
                    }
                }
            }
        }
    }
}

/// An interval whose first tick is one `period` away, and which does not
/// catch up on ticks missed while the loop was busy.
fn ticks_every(period: Duration) -> tokio::time::Interval {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks
}

/// The next tick, or never when there is no interval.
async fn tick_if_any(ticks: &mut Option<tokio::time::Interval>) {
    match ticks {
        Some(ticks) => {
            ticks.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Sends `WATCHDOG=1` at half the interval systemd asks for, for a standby
/// that has no main loop yet: it only waits for the lead, and a standby
/// that cannot even do that stops with an error rather than hanging.
fn spawn_standby_watchdog(shutdown: CancellationToken) {
    let Some(period) = Watchdog::from_env().period else {
        return;
    };
    tokio::spawn(async move {
        let mut tick = ticks_every(period);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tick.tick() => notify_systemd(&[sd_notify::NotifyState::Watchdog]),
            }
        }
    });
}

fn notify_systemd(states: &[sd_notify::NotifyState<'_>]) {
    if let Err(e) = sd_notify::notify(false, states) {
        warn!(error = %e, "Cannot notify systemd");
    }
}

#[cfg(test)]
mod tests {
    //! How the main loop chooses its next run when time has passed while it
    //! was busy: the schedule is the default one, 08:30, 12:00 and 15:30 on
    //! working days in Stockholm.

    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    use super::*;
    use crate::schedule::ScheduleSpec;

    /// Stockholm wall-clock time in the week of Monday 23 November 2026.
    fn sthlm(day: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Stockholm
            .with_ymd_and_hms(2026, 11, day, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn schedule() -> Schedule {
        Schedule::new(ScheduleSpec::default()).unwrap()
    }

    const OFF: CrisisConfig = CrisisConfig {
        enabled: false,
        interval: Duration::from_secs(600),
    };

    const ON: CrisisConfig = CrisisConfig {
        enabled: true,
        interval: Duration::from_secs(600),
    };

    fn slot_run(slot: DateTime<Utc>) -> NextRun {
        NextRun {
            at: slot,
            trigger: RunTrigger::Slot,
            slot: Some(slot),
        }
    }

    /// The history after the loop started `run` at `at`.
    fn after(history: RunHistory, run: NextRun, at: DateTime<Utc>) -> RunHistory {
        let mut history = history;
        history.started(&run, at);
        history
    }

    #[test]
    fn a_slot_that_passes_while_the_loop_is_busy_runs_late_rather_than_the_next_day() {
        // The 12:00 run started on time; an outbox delivery then held the
        // loop from 15:29 until 15:31, over the 15:30 slot.
        let history = after(
            RunHistory::starting_at(sthlm(23, 7, 0)),
            slot_run(sthlm(23, 12, 0)),
            sthlm(23, 12, 0),
        );
        let next = history.next_run(&schedule(), OFF, sthlm(23, 15, 31));
        assert_eq!(next, Some(slot_run(sthlm(23, 15, 30))));
    }

    #[test]
    fn once_the_late_slot_has_run_the_next_run_is_the_following_slot() {
        let late = slot_run(sthlm(23, 15, 30));
        let history = after(
            RunHistory::starting_at(sthlm(23, 15, 0)),
            late,
            sthlm(23, 15, 31),
        );
        let next = history.next_run(&schedule(), OFF, sthlm(23, 15, 45));
        assert_eq!(next, Some(slot_run(sthlm(24, 8, 30))), "not 15:30 again");
    }

    #[test]
    fn of_several_slots_that_passed_only_the_newest_runs_then_the_schedule_goes_on() {
        // The loop handled Monday 15:30, then was held until Tuesday 12:10
        // (08:30 and 12:00 passed): one late run, for 12:00, covers both.
        let schedule = schedule();
        let history = after(
            RunHistory::starting_at(sthlm(23, 15, 0)),
            slot_run(sthlm(23, 15, 30)),
            sthlm(23, 15, 30),
        );
        let next = history.next_run(&schedule, OFF, sthlm(24, 12, 10));
        assert_eq!(next, Some(slot_run(sthlm(24, 12, 0))));

        let history = after(history, slot_run(sthlm(24, 12, 0)), sthlm(24, 12, 10));
        let next = history.next_run(&schedule, OFF, sthlm(24, 12, 11));
        assert_eq!(
            next,
            Some(slot_run(sthlm(24, 15, 30))),
            "08:30 is not run after 12:00"
        );
    }

    #[test]
    fn a_crisis_run_covers_the_slots_it_passes_over() {
        // Crisis runs at 11:55 and 12:05; crisis mode ends at 12:07.
        let schedule = schedule();
        let mut history = RunHistory::starting_at(sthlm(23, 11, 50));
        for at in [sthlm(23, 11, 55), sthlm(23, 12, 5)] {
            let run = history.next_run(&schedule, ON, at).unwrap();
            assert_eq!((run.trigger, run.slot), (RunTrigger::Crisis, None));
            history.started(&run, at);
        }
        let next = history.next_run(&schedule, OFF, sthlm(23, 12, 7));
        assert_eq!(next, Some(slot_run(sthlm(23, 15, 30))), "12:00 was covered");
    }

    #[test]
    fn a_slot_after_the_last_crisis_run_runs_late_when_crisis_mode_ends_after_it() {
        // The last crisis run started at 11:55; the reload that ended crisis
        // mode held the loop until 12:02, over the 12:00 slot.
        let schedule = schedule();
        let history = RunHistory::starting_at(sthlm(23, 11, 50));
        let crisis_run = history.next_run(&schedule, ON, sthlm(23, 11, 55)).unwrap();
        let history = after(history, crisis_run, sthlm(23, 11, 55));
        let next = history.next_run(&schedule, OFF, sthlm(23, 12, 2));
        assert_eq!(next, Some(slot_run(sthlm(23, 12, 0))));
    }
}
