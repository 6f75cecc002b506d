//! Stage 1, collect: crawl every account (the crawl loop itself is in
//! [`super::crawl`]) with at most `polling.concurrency` platform calls in
//! flight over all accounts, and record each account's
//! outcome: `ok`, `failed` (with what was stored before the failure
//! counted), `repeating` (a listing went round in circles and was stopped),
//! `incomplete` (the call bound was reached) or `deferred` (a rate budget,
//! see [`super::budget`], left calls for a later run, or the platform asked
//! not to be called yet: no call was made then).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::clock::Clock;

use crate::alerts::{self};
use crate::config::register::AccountStatus;
use crate::platforms::PlatformError;
use crate::platforms::token::GRANT_WARNING_LEAD;
use crate::store::AccountOutcome;
use crate::telemetry;

use super::budget::{Budgets, Priority};
use super::crawl::{AccountCrawl, CallGate, CrawlError, CrawlSettings, CrawlStats, Quarantined};
use super::{Pipeline, PipelineError, RunSummary, email_item};

/// Calls per account and run. A steady-state Facebook run makes one or
/// two; the first run after an upgrade or a long outage lists the whole
/// look-back window, a few dozen for a busy page.
const MAX_CALLS_PER_ACCOUNT: usize = 200;

/// Calls of one account in flight at once. A LinkedIn page lists the
/// comments of each recent post, a YouTube channel its threads and
/// replies: a few at a time lets the run end with its last accounts rather
/// than wait on one page's calls in a row, yet keeps one busy page from
/// taking every permit.
const CALLS_PER_ACCOUNT: usize = 4;

/// Accounts crawled at once, per call permit: while one account stores
/// what a call brought, another's calls use the permit.
const ACCOUNTS_PER_PERMIT: usize = 2;

/// The error kind of work a rate budget deferred.
pub(super) const RATE_BUDGET: &str = "rate_budget";

/// Asks the run's budgets about one account's calls.
struct AccountGate<'a> {
    budgets: &'a Budgets,
    account_id: i64,
    clock: &'a dyn Clock,
}

impl CallGate for AccountGate<'_> {
    fn admit(&self, priority: Priority) -> Result<(), String> {
        self.budgets
            .admit_listing(self.account_id, priority, self.clock.now())
    }
}

/// How one account's crawl ended, as the run records it.
struct Ending {
    outcome: &'static str,
    kind: Option<String>,
    detail: Option<String>,
    /// The listing to name in operations' notice.
    listing: Option<String>,
    platform_error: Option<PlatformError>,
}

impl Ending {
    fn of(stats: &CrawlStats, result: Result<(), CrawlError>) -> Self {
        match result {
            Ok(()) if stats.budget_stop.is_some() => Self::deferred(format!(
                "{} calls made, {} deferred to a later run: {}",
                stats.calls,
                stats.deferred,
                stats.budget_stop.as_deref().unwrap_or_default()
            )),
            Err(CrawlError::Platform { listing, error }) => Self {
                outcome: "failed",
                kind: Some(error.kind().to_string()),
                detail: Some(format!("{error} (listing {listing})")),
                listing: Some(listing),
                platform_error: Some(error),
            },
            Err(CrawlError::Store(error)) => {
                Self::failed_without_listing("store", error.to_string())
            }
            Ok(()) if !stats.repeating.is_empty() => {
                let listings: Vec<&str> = stats.repeating.iter().map(String::as_str).collect();
                Self {
                    outcome: "repeating",
                    kind: Some("repeating_cursor".to_string()),
                    detail: Some(format!(
                        "the platform sent the same page again (repeating cursor) in {}; \
                         the listing was stopped, what it brought is stored",
                        listings.join(", ")
                    )),
                    listing: Some(listings.join(", ")),
                    platform_error: None,
                }
            }
            Ok(()) if stats.deferred > 0 => Self {
                outcome: "incomplete",
                kind: Some("call_limit".to_string()),
                detail: Some(format!(
                    "{} calls made, {} left for the next run",
                    stats.calls, stats.deferred
                )),
                listing: None,
                platform_error: None,
            },
            Ok(()) => Self {
                outcome: "ok",
                kind: None,
                detail: None,
                listing: None,
                platform_error: None,
            },
        }
    }

    /// Work a rate budget left for a later run.
    fn deferred(detail: String) -> Self {
        Self {
            outcome: "deferred",
            kind: Some(RATE_BUDGET.to_string()),
            detail: Some(detail),
            listing: None,
            platform_error: None,
        }
    }

    fn failed_without_listing(kind: &str, detail: String) -> Self {
        Self {
            outcome: "failed",
            kind: Some(kind.to_string()),
            detail: Some(detail),
            listing: None,
            platform_error: None,
        }
    }
}

impl Pipeline {
    /// Stage 1: crawls every account that is not closed (in the register,
    /// or by `accounts close`), at most `polling.concurrency` calls at a
    /// time over all of them, and records each account's outcome.
    pub async fn collect(
        &self,
        run_id: i64,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        let concurrency = self.config.polling.concurrency.max(1);
        let permits = Arc::new(Semaphore::new(concurrency));
        let semaphore = Arc::new(Semaphore::new(concurrency * ACCOUNTS_PER_PERMIT));
        let settings = Arc::new(CrawlSettings {
            max_retries: self.config.polling.max_retries,
            backoff_base: Duration::from_millis(200),
            backoff_cap: Duration::from_secs(10),
            post_lookback: self.config.polling.post_lookback,
            max_calls: MAX_CALLS_PER_ACCOUNT,
            calls_per_account: CALLS_PER_ACCOUNT,
        });
        let mut tasks = JoinSet::new();
        let closed = self.store.closed_accounts().await?;
        let polled = self.accounts.iter().filter(|a| {
            a.config.register.status() != AccountStatus::Closed && !closed.contains(&a.config.key)
        });
        for account in polled {
            let semaphore = semaphore.clone();
            let permits = permits.clone();
            let settings = settings.clone();
            let store = self.store.clone();
            let clock = self.clock.clone();
            let platform = account.platform.clone();
            let account_id = account.account_id;
            let key = account.config.key.clone();
            let own_id = account.config.platform_id.clone();
            let budgets = self.budgets.clone();
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                let started = clock.now();
                let paused = budgets.paused(account_id, started);
                let (stats, ending) = match (&platform, paused) {
                    (Ok(_), Some(reason)) => {
                        budgets.defer(account_id, "listing", &reason);
                        (
                            CrawlStats::default(),
                            Ending::deferred(format!("no call made: {reason}")),
                        )
                    }
                    (Ok(platform), None) => {
                        let (stats, result) = AccountCrawl {
                            platform: platform.clone(),
                            permits,
                            store: &store,
                            account_id,
                            own_author_id: &own_id,
                            run_id: Some(run_id),
                            clock: clock.as_ref(),
                            settings,
                            gate: &AccountGate {
                                budgets: &budgets,
                                account_id,
                                clock: clock.as_ref(),
                            },
                        }
                        .run()
                        .await;
                        if let Err(CrawlError::Platform { error, .. }) = &result {
                            budgets.note_failure(account_id, error, clock.now());
                        }
                        if let Some(reason) = &stats.budget_stop {
                            budgets.defer(account_id, "listing", reason);
                        }
                        let ending = Ending::of(&stats, result);
                        (stats, ending)
                    }
                    (Err(reason), _) => (
                        CrawlStats::default(),
                        Ending::failed_without_listing("unsupported", reason.clone()),
                    ),
                };
                (key, account_id, started, clock.now(), stats, ending)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((key, account_id, started, finished, stats, ending)) = joined else {
                continue;
            };
            telemetry::comments_stored(&key, stats.comments_new);
            summary.comments_new += stats.comments_new;
            if ending.kind.as_deref() == Some(RATE_BUDGET) {
                info!(account = %key, detail = ending.detail.as_deref().unwrap_or_default(), "A rate budget deferred the account's calls");
            }
            match ending.outcome {
                "ok" => summary.accounts_ok += 1,
                "failed" => summary.accounts_failed += 1,
                _ => summary.accounts_incomplete += 1,
            }
            if let (Some(kind), Some(detail)) = (&ending.kind, &ending.detail)
                && kind != RATE_BUDGET
            {
                telemetry::account_failed(&key, kind);
                warn!(account = %key, outcome = ending.outcome, error_kind = %kind, error = %detail, comments_new = stats.comments_new, "Polling the account did not complete");
                self.report_account_problem(
                    &key,
                    kind,
                    detail,
                    &ending.listing.iter().cloned().collect::<Vec<_>>(),
                    ending.platform_error.as_ref(),
                )
                .await?;
            }
            self.report_quarantined(&key, &stats.quarantined).await?;
            self.report_expiring_grant(&key).await?;
            let outcome = AccountOutcome {
                account_id,
                outcome: ending.outcome.into(),
                error_kind: ending.kind,
                error_detail: ending.detail,
                posts_seen: stats.posts_seen as i64,
                comments_new: stats.comments_new as i64,
                started_at: started,
                finished_at: finished,
            };
            self.store.record_account_outcome(run_id, &outcome).await?;
            if outcome.outcome == "failed"
                && let Some(detail) = &outcome.error_detail
            {
                self.report_repeated_failure(&key, account_id, detail)
                    .await?;
            }
        }
        Ok(())
    }

    /// Tells operations of items put into quarantine in this crawl, one
    /// e-mail per account and day, naming each item's listing and id.
    async fn report_quarantined(
        &self,
        account_key: &str,
        items: &[Quarantined],
    ) -> Result<(), PipelineError> {
        let Some(first) = items.first() else {
            return Ok(());
        };
        let Some(account) = self.accounts.iter().find(|a| a.config.key == account_key) else {
            return Ok(());
        };
        let now = self.clock.now();
        let key = format!(
            "system:quarantine:{account_key}:{}:{}",
            now.format("%Y-%m-%d"),
            first.item_id.as_deref().unwrap_or(&first.listing)
        );
        let mail = alerts::compose::quarantined_items(
            &account.config,
            &self.config.mail,
            &items
                .iter()
                .map(|item| alerts::compose::QuarantinedItem {
                    listing: item.listing.clone(),
                    item_id: item.item_id.clone(),
                    reason: item.reason.clone(),
                })
                .collect::<Vec<_>>(),
            now,
            key.clone(),
        );
        self.store.enqueue(&email_item(key, &mail), now).await?;
        Ok(())
    }

    /// Warns operations (the account's moderators copied) once a day while
    /// the OAuth grant the account's connector renews its token with is
    /// revoked or expires within [`GRANT_WARNING_LEAD`]: days before the
    /// account goes unwatched, not after.
    async fn report_expiring_grant(&self, account_key: &str) -> Result<(), PipelineError> {
        let Some(account) = self.accounts.iter().find(|a| a.config.key == account_key) else {
            return Ok(());
        };
        let Some(grant) = account.platform.as_ref().ok().and_then(|p| p.grant()) else {
            return Ok(());
        };
        let now = self.clock.now();
        let Some(warning) = grant.warning(now, GRANT_WARNING_LEAD) else {
            return Ok(());
        };
        let key = format!("system:grant:{account_key}:{}", now.format("%Y-%m-%d"));
        let mail = alerts::compose::grant_warning(
            &account.config,
            &self.config.mail,
            &warning,
            now,
            key.clone(),
        );
        if self.store.enqueue(&email_item(key, &mail), now).await? {
            warn!(account = %account_key, %warning, "The account's OAuth grant needs a person; operations are told");
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
}
