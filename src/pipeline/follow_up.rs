//! Stage 4, follow up: close question tickets the account has answered and
//! queue each moderator's digest of the run.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tracing::info;

use crate::alerts;

use super::{Pipeline, PipelineError, RunSummary, email_item};

impl Pipeline {
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
}
