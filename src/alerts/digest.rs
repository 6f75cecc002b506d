//! The digest after each monitoring run, one per moderator covering all of
//! their accounts: new comments per account, what was acted on and why,
//! what waits for review, and unanswered questions with their deadlines —
//! overdue ones escalated: marked "FÖRSENAD", listed first, and the digest
//! copied to the department's central address.
//!
//! A moderator with nothing to report (no new comments on any of their
//! accounts, nothing flagged, no open question) gets no digest for that
//! run: three empty e-mails a day per account would teach people to ignore
//! them. Each digest is queued with the key `digest:<run_id>:<moderator>`,
//! so a re-run of the same step never sends it twice. In crisis mode a
//! digest follows every run (with something to report), at the crisis pace.
//!
//! A comment is listed in the digest of the run that decided it, so one
//! that an interrupted run fetched but never decided still reaches a
//! moderator with the next run's digest; new-comment counts are per
//! fetching run. A run killed before its digest ([`crate::store`] marks it
//! `interrupted`) is covered by the next run's digest. What the digest calls
//! "åtgärdat" is what happened on the platform: an action that failed is
//! listed as still visible, one not yet carried out as waiting.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::OutgoingMail;
use super::compose;
use super::templates::{
    AlertReason, Digest, DigestAccount, DigestItem, DigestQuestion, EvidenceRef,
};
use crate::config::Config;
use crate::domain::{ModerationAction, TicketKind};
use crate::store::{ActionState, FlaggedComment, Store, StoreError, TicketFilter, TicketRow};

/// Which run a digest is for, and the service-wide settings it needs.
#[derive(Debug, Clone, Copy)]
pub struct DigestRun<'a> {
    /// The configuration (accounts, moderators, departments).
    pub config: &'a Config,
    /// Account row ids by configured key.
    pub account_ids: &'a HashMap<String, i64>,
    /// The run's row id; its digests are keyed by it.
    pub run_id: i64,
    /// Every run the digest covers: this one and any interrupted run whose
    /// decisions no digest has covered.
    pub run_ids: &'a [i64],
    /// When the run started.
    pub run_at: DateTime<Utc>,
    /// Now, to tell overdue questions.
    pub now: DateTime<Utc>,
}

/// What the store knows about a run, read once for all moderators.
struct RunFacts {
    new_comments: HashMap<i64, i64>,
    flagged: Vec<FlaggedComment>,
    open_questions: Vec<TicketRow>,
    ticket_refs: HashMap<i64, String>,
    action_states: HashMap<i64, ActionState>,
}

impl RunFacts {
    async fn read(store: &Store, run_ids: &[i64]) -> Result<Self, StoreError> {
        let new_comments = store
            .run_new_comment_counts(run_ids)
            .await?
            .into_iter()
            .collect();
        let flagged = store.run_flagged(run_ids).await?;
        let ids: Vec<i64> = flagged.iter().map(|c| c.id).collect();
        let open_questions = store
            .find_tickets(&TicketFilter {
                kind: Some(TicketKind::QuestionToAnswer),
                ..TicketFilter::default()
            })
            .await?;
        let ticket_refs = store.first_ticket_refs(&ids).await?.into_iter().collect();
        let action_states = store.action_states(&ids).await?.into_iter().collect();
        Ok(Self {
            new_comments,
            flagged,
            open_questions,
            ticket_refs,
            action_states,
        })
    }
}

/// The digests of one run, composed one at a time: a run over 800
/// accounts has hundreds of moderators, and holding every composed digest
/// at once was the largest allocation of a steady-state run.
pub struct RunDigests<'a> {
    run: &'a DigestRun<'a>,
    facts: RunFacts,
}

impl<'a> RunDigests<'a> {
    /// Reads what the run's digests tell (once for all of them).
    pub async fn read(store: &Store, run: &'a DigestRun<'a>) -> Result<Self, StoreError> {
        let facts = RunFacts::read(store, run.run_ids).await?;
        Ok(Self { run, facts })
    }

    /// Each moderator's digest, in address order, composed when asked
    /// for; empty digests are left out.
    pub fn each(&self) -> impl Iterator<Item = OutgoingMail> + '_ {
        moderators(self.run.config)
            .into_iter()
            .filter_map(|moderator| self.compose(moderator))
    }

    fn compose(&self, moderator: &str) -> Option<OutgoingMail> {
        let run = self.run;
        let digest = moderator_digest(run, &self.facts, moderator);
        if digest.is_empty() {
            return None;
        }
        let key = format!("digest:{}:{moderator}", run.run_id);
        let escalate_to =
            escalation_addresses(run.config, moderator, &self.facts.open_questions, run.now);
        Some(compose::digest(moderator, escalate_to, &digest, key))
    }
}

/// Every moderator of every account, once each, in address order.
fn moderators(config: &Config) -> Vec<&str> {
    let mut moderators: Vec<&str> = config
        .accounts
        .iter()
        .flat_map(|a| a.moderators.iter().map(String::as_str))
        .collect();
    moderators.sort_unstable();
    moderators.dedup();
    moderators
}

/// One moderator's digest: their accounts only.
fn moderator_digest(run: &DigestRun<'_>, facts: &RunFacts, moderator: &str) -> Digest {
    let mut digest = Digest {
        run_at: run.run_at,
        accounts: Vec::new(),
        acted: Vec::new(),
        review: Vec::new(),
        questions: Vec::new(),
    };
    let accounts = run
        .config
        .accounts
        .iter()
        .filter(|a| a.moderators.iter().any(|m| m == moderator));
    for account in accounts {
        let Some(id) = run.account_ids.get(&account.key).copied() else {
            continue;
        };
        digest.accounts.push(DigestAccount {
            name: account.name.clone(),
            new_comments: facts.new_comments.get(&id).copied().unwrap_or(0),
        });
        for comment in facts.flagged.iter().filter(|c| c.account_id == id) {
            let state = facts.action_states.get(&comment.id).copied();
            let mut item = digest_item(&account.name, comment, state);
            item.ticket_ref = facts.ticket_refs.get(&comment.id).cloned();
            item.console_link = run.config.web.as_ref().map(|w| w.item_url(comment.id));
            if comment.action == Some(ModerationAction::Review) {
                digest.review.push(item);
            } else {
                digest.acted.push(item);
            }
        }
        digest.questions.extend(
            facts
                .open_questions
                .iter()
                .filter(|t| t.account_id == id)
                .map(|t| digest_question(&account.name, t, run.now)),
        );
    }
    digest
}

/// The central addresses of the departments whose accounts (among the
/// moderator's) have an overdue question: escalation goes beyond the
/// moderator who let it slip.
fn escalation_addresses(
    config: &Config,
    moderator: &str,
    questions: &[TicketRow],
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut addresses: Vec<String> = config
        .accounts
        .iter()
        .filter(|a| a.moderators.iter().any(|m| m == moderator))
        .filter(|a| {
            questions
                .iter()
                .any(|t| t.account_key == a.key && t.is_overdue(now))
        })
        .filter_map(|a| config.department(&a.department)?.central_address.clone())
        .collect();
    addresses.sort();
    addresses.dedup();
    addresses
}

fn digest_item(
    account_name: &str,
    comment: &FlaggedComment,
    action: Option<ActionState>,
) -> DigestItem {
    let findings = &comment.findings;
    let outcome = match (comment.action, action) {
        (Some(ModerationAction::Review), _) => "att granska",
        (_, Some(ActionState::DryRun)) => "dokumenterad (torrkörning)",
        (Some(ModerationAction::Delete), Some(ActionState::Done)) => "borttagen",
        (_, Some(ActionState::Done)) => "dold",
        (_, Some(ActionState::Failed)) => "SYNS FORTFARANDE – åtgärden misslyckades",
        _ => "väntar på att genomföras på plattformen",
    };
    let mut rules: Vec<String> = findings.iter().map(|f| f.rule.clone()).collect();
    rules.dedup();
    DigestItem {
        account_name: account_name.to_string(),
        comment_id: comment.platform_id.clone(),
        outcome: outcome.to_string(),
        reasons: findings.iter().map(AlertReason::from).collect(),
        rules,
        evidence: EvidenceRef {
            record_sha256: comment.record_sha256.clone().unwrap_or_default(),
            record_path: comment.record_path.clone().unwrap_or_default(),
        },
        ticket_ref: None,
        console_link: None,
    }
}

fn digest_question(account_name: &str, ticket: &TicketRow, now: DateTime<Utc>) -> DigestQuestion {
    DigestQuestion {
        reference: ticket.reference.clone(),
        account_name: account_name.to_string(),
        due_at: ticket.due_at,
        overdue: ticket.is_overdue(now),
        permalink: ticket.permalink.clone(),
    }
}
