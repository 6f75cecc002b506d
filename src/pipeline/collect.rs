//! Stage 1, collect: poll every account, a bounded number at a time, and
//! store each new comment version before anything else is done with it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::warn;

use crate::alerts::{self};
use crate::platforms::poller::{AccountPoll, PollError, PollSettings};
use crate::store::AccountOutcome;
use crate::telemetry;

use super::{Pipeline, PipelineError, RunSummary, email_item};

impl Pipeline {
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
}
