//! Stage 3, act: carry out pending hides and deletes; each needs the
//! archive receipt, re-read and re-hashed from disk.

use std::path::Path;

use serde_json::json;
use tracing::{error, info, instrument, warn};

use crate::decide::ModerationAction;
use crate::platforms::PlatformError;
use crate::store::{ActionRow, ActionState, AuditEvent, StoredComment};
use crate::telemetry;

use super::{AccountRuntime, Pipeline, PipelineError, RunSummary};

/// Platform calls per action before a person is asked to look.
const MAX_ACTION_ATTEMPTS: i64 = 5;

impl Pipeline {
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
}
