//! Stage 4, follow up: tell people what the actions came to, close question
//! tickets the account has answered and queue each moderator's digest of
//! the run.
//!
//! Outcome notices are made from the recorded outcome of each action,
//! never from the decision: "hidden" is only said of a comment the platform
//! hid. They are queued in the transaction that marks the action told, so
//! each outcome is told once, also across a crash.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::{info, warn};

use crate::alerts::{self, compose::ActionNotice};
use crate::crashpoint;
use crate::domain::TicketKind;
use crate::store::{ActionNotices, ActionRow, ActionState, AuditEvent, Notified, StoredComment};

use super::{AccountRuntime, Pipeline, PipelineError, RunSummary, email_item};

/// Actions told per page, so a backlog is never held in memory at once.
const NOTICE_PAGE: i64 = 500;

impl Pipeline {
    /// Tells each account's moderators what the actions came to — one
    /// e-mail per action, or one summary per account when more than
    /// `[alerts] summary_above` are told at once — and opens the removal
    /// registration ticket of each comment the platform removed.
    pub async fn notify_outcomes(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        loop {
            let actions = self.store.unnotified_actions(NOTICE_PAGE).await?;
            if actions.is_empty() {
                return Ok(());
            }
            let mut by_account: BTreeMap<i64, Vec<ActionRow>> = BTreeMap::new();
            for action in actions {
                by_account
                    .entry(action.account_id)
                    .or_default()
                    .push(action);
            }
            for (account_id, actions) in by_account {
                let notices = self.notices_for(account_id, &actions).await?;
                summary.tickets += notices.tickets.len();
                self.store
                    .record_notices(&notices, self.clock.now())
                    .await?;
                crashpoint::hit("notify.after_outbox_insert");
            }
        }
    }

    /// The e-mails, tickets and marks that tell one account's people of
    /// some actions' outcomes. Every action is marked, even one nobody can
    /// be told of (its account left the configuration), so none is told
    /// twice and the stage always ends.
    async fn notices_for(
        &self,
        account_id: i64,
        actions: &[ActionRow],
    ) -> Result<ActionNotices, PipelineError> {
        let mut notices = ActionNotices {
            notified: actions.iter().map(|a| (a.id, told(a))).collect(),
            ..ActionNotices::default()
        };
        let Some(account) = self.account_by_id(account_id) else {
            warn!(
                account_id,
                actions = actions.len(),
                "Outcomes of actions on an account no longer configured are not e-mailed"
            );
            notices.audit.push(AuditEvent::service(
                "actions.untold",
                None,
                json!({"account_row": account_id,
                       "actions": actions.iter().map(|a| a.id).collect::<Vec<_>>()}),
            ));
            return Ok(notices);
        };
        let mut facts = Vec::new();
        for action in actions {
            let Some(stored) = self.store.comment(action.comment_id).await? else {
                continue;
            };
            let findings = self.store.findings(stored.id).await?;
            let ticket_ref = if action.state == ActionState::Done {
                Some(self.open_removal_ticket(&mut notices, account, &stored, &findings, action))
            } else {
                None
            };
            facts.push((action, stored, findings, ticket_ref));
        }
        let list: Vec<ActionNotice<'_>> = facts
            .iter()
            .map(|(action, stored, findings, ticket_ref)| ActionNotice {
                account: &account.config,
                stored,
                findings,
                action,
                ticket_ref: ticket_ref.as_deref(),
            })
            .collect();
        let department = self.config.department(&account.config.department);
        if list.len() > self.config.alerts.summary_above as usize {
            let first = list.first().map_or(0, |n| n.action.id);
            let last = list.last().map_or(0, |n| n.action.id);
            let key = format!("alert:outcomes:{}:{first}-{last}", account.config.key);
            let mail =
                alerts::compose::outcome_summary(&list, &account.config, department, key.clone());
            notices.outbox.push(email_item(key, &mail));
        } else {
            for notice in &list {
                let key = match told(notice.action) {
                    Notified::Visible => format!("alert:action:{}:visible", notice.action.id),
                    Notified::Settled => format!("alert:action:{}:settled", notice.action.id),
                };
                let mail = alerts::compose::action_notice(notice, department, key.clone());
                notices.outbox.push(email_item(key, &mail));
            }
        }
        Ok(notices)
    }

    /// Adds the registration ticket of a removal (and its deliveries to the
    /// ticket sinks) to `notices`, and returns its reference.
    fn open_removal_ticket(
        &self,
        notices: &mut ActionNotices,
        account: &AccountRuntime,
        stored: &StoredComment,
        findings: &[crate::domain::Finding],
        action: &ActionRow,
    ) -> String {
        let (ticket, deliveries) = self.ticket_for(
            TicketKind::RemovedContentRegistration,
            stored,
            Some(account),
            findings,
            stored.record_sha256.as_deref().unwrap_or_default(),
            &action.record_path,
            self.clock.now(),
        );
        let reference = ticket.reference.clone();
        notices.tickets.push(ticket);
        notices.outbox.extend(deliveries);
        reference
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
        let mut run_ids = self.store.undigested_interrupted_runs().await?;
        run_ids.push(run_id);
        let run = alerts::digest::DigestRun {
            config: &self.config,
            account_ids: &account_ids,
            run_id,
            run_ids: &run_ids,
            run_at,
            now,
        };
        let digests = alerts::digest::RunDigests::read(&self.store, &run).await?;
        let mut batch = self.store.begin_digests().await?;
        for mail in digests.each() {
            batch
                .queue(&email_item(mail.message_id.clone(), &mail), now)
                .await?;
        }
        summary.digests += batch.finish(&run_ids, now).await?;
        Ok(())
    }
}

/// What a notice of the action's recorded state tells.
fn told(action: &ActionRow) -> Notified {
    if matches!(action.state, ActionState::Done | ActionState::DryRun) {
        Notified::Settled
    } else {
        Notified::Visible
    }
}
