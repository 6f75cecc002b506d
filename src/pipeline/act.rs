//! Stage 3, act: carry out pending hides and deletes, and settle those a
//! crash left in flight, through [`crate::actions::execute`].

use serde_json::json;
use tracing::{info, instrument};

use crate::actions::{
    self, ActionContext, Attempt, RestoreError, RestoreOutcome, RestoreTarget, carry_out,
};
use crate::domain::ModerationAction;
use crate::store::{ActionRow, AuditEvent};
use crate::telemetry;

use super::{Pipeline, PipelineError, RefusedPath, RunSummary};

/// Open actions read per page, so a backlog is never held in memory at once.
const ACTION_PAGE: i64 = 200;

impl Pipeline {
    /// Stage 3: carries out pending hides and deletes, page by page.
    pub async fn execute_actions(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        let mut after = 0;
        loop {
            let page = self.store.open_actions_page(after, ACTION_PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.id;
            for action in &page {
                self.execute_action(action, summary).await?;
            }
        }
    }

    #[instrument(skip_all, fields(action_id = action.id, kind = action.kind.as_str()))]
    async fn execute_action(
        &self,
        action: &ActionRow,
        summary: &mut RunSummary,
    ) -> Result<(), PipelineError> {
        let account = self.account_by_id(action.account_id);
        let ctx = ActionContext {
            store: &self.store,
            archive: &self.archive,
            clock: self.clock.as_ref(),
            run_id: Some(summary.run_id),
        };
        let platform = match account.map(|a| &a.platform) {
            Some(Ok(p)) => Ok(p.as_ref()),
            Some(Err(reason)) => Err(reason.as_str()),
            None => Err("the account is no longer in the configuration"),
        };
        let dry_run = self.config.dry_run || account.is_some_and(|a| a.config.dry_run);
        if !dry_run
            && let Err(reason) = self
                .budgets
                .admit_action(action.account_id, self.clock.now())
        {
            // Not attempted, so no attempt is spent: the action stays
            // pending and is carried out when the budget allows.
            info!(%reason, "A rate budget defers the action to a later run");
            self.budgets
                .defer(action.account_id, action.kind.as_str(), &reason);
            return Ok(());
        }
        self.report_refused_action_path(action).await?;
        let attempt = carry_out(ctx, action, platform, dry_run).await?;
        if let Attempt::Retry { error }
        | Attempt::Failed {
            error: Some(error), ..
        } = &attempt
        {
            self.budgets
                .note_failure(action.account_id, error, self.clock.now());
        }
        let outcome = match &attempt {
            Attempt::Done { kind, .. } => {
                match kind {
                    ModerationAction::Delete => summary.deleted += 1,
                    _ => summary.hidden += 1,
                }
                "done"
            }
            Attempt::DryRun => {
                summary.dry_run += 1;
                "dry_run"
            }
            Attempt::Retry { .. } => "retry",
            Attempt::Failed { .. } => "failed",
            Attempt::Skipped => return Ok(()),
        };
        telemetry::action_outcome(action.kind.as_str(), outcome);
        self.audit_action(action, &attempt, outcome).await?;
        let error = match &attempt {
            Attempt::Retry { error }
            | Attempt::Failed {
                error: Some(error), ..
            } => Some(error),
            _ => None,
        };
        if let (Some(error), Some(account)) = (error, account) {
            self.report_account_problem(
                &account.config.key,
                error.kind(),
                &error.to_string(),
                &[format!("comment {}", action.platform_comment_id)],
                Some(error),
            )
            .await?;
        }
        Ok(())
    }

    /// An action whose record path the archive refuses is given up by
    /// [`carry_out`] (no receipt, no action); operations are told which
    /// row names which path.
    async fn report_refused_action_path(&self, action: &ActionRow) -> Result<(), PipelineError> {
        let row = format!("actions.id = {}", action.id);
        let during = "ett automatiskt döljande eller borttagande (det genomfördes inte)";
        if let Some(refused) = RefusedPath::check(row, during, &action.record_path) {
            self.report_refused_path(&refused).await?;
        }
        Ok(())
    }

    async fn audit_action(
        &self,
        action: &ActionRow,
        attempt: &Attempt,
        outcome: &str,
    ) -> Result<(), PipelineError> {
        let verified_by = match attempt {
            Attempt::Done { verified_by, .. } => Some(format!("{verified_by:?}").to_lowercase()),
            _ => None,
        };
        // The platform's own name for what was done ("is_hidden=true",
        // YouTube's "heldForReview" …), so the record says which it was.
        let verb = self
            .account_by_id(action.account_id)
            .and_then(|account| account.platform.as_ref().ok())
            .map(|platform| platform.verb(action.kind));
        self.store
            .audit(
                &AuditEvent::service(
                    &format!("comment.{}", action.kind.as_str()),
                    Some(action.platform_comment_id.clone()),
                    json!({"comment_row": action.comment_id, "action_id": action.id,
                           "outcome": outcome, "verified_by": verified_by,
                           "verb": verb, "record": action.record_path}),
                ),
                self.clock.now(),
            )
            .await?;
        Ok(())
    }
}

impl Pipeline {
    /// Makes a comment the service hid visible again, on a moderator's
    /// decision, through [`crate::actions::restore`]: finds the version the
    /// service hid and the connector of its account.
    pub async fn restore(
        &self,
        platform_comment_id: &str,
        reason: &str,
        by: &str,
    ) -> Result<RestoreOutcome, RestoreError> {
        let hidden = actions::hidden_version(&self.store, platform_comment_id).await?;
        let unavailable = |reason: &str| RestoreError::AccountUnavailable {
            account: hidden.account_key.clone(),
            reason: reason.to_string(),
        };
        let account = self
            .accounts
            .iter()
            .find(|a| a.config.key == hidden.account_key)
            .ok_or_else(|| unavailable("it is no longer in the configuration"))?;
        let platform = account.platform.as_ref().map_err(|r| unavailable(r))?;
        let target = RestoreTarget {
            hidden: &hidden,
            platform: platform.as_ref(),
            dry_run: self.config.dry_run || account.config.dry_run,
        };
        actions::restore(&self.store, self.clock.as_ref(), target, reason, by).await
    }
}
