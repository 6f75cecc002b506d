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
//! so a re-run of the same step never sends it twice.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::OutgoingMail;
use super::compose;
use super::templates::{
    AlertReason, Digest, DigestAccount, DigestItem, DigestQuestion, EvidenceRef,
};
use crate::config::Config;
use crate::decide::ModerationAction;
use crate::store::{Store, StoreError, StoredComment, TicketFilter, TicketRow};
use crate::tickets::TicketKind;

/// The digests of one run, by moderator address, in address order; empty
/// digests are left out.
pub async fn digests_for_run(
    store: &Store,
    config: &Config,
    account_ids: &HashMap<String, i64>,
    run_id: i64,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<(String, OutgoingMail)>, StoreError> {
    let counts: HashMap<i64, i64> = store
        .run_new_comment_counts(run_id)
        .await?
        .into_iter()
        .collect();
    let mut flagged = Vec::new();
    for comment in store.run_flagged_comments(run_id).await? {
        let findings = store.findings(comment.id).await?;
        flagged.push((comment, findings));
    }
    let questions = store
        .find_tickets(&TicketFilter {
            kind: Some(TicketKind::QuestionToAnswer),
            ..TicketFilter::default()
        })
        .await?;
    let ticket_refs: HashMap<i64, String> = store
        .tickets(true)
        .await?
        .into_iter()
        .rev()
        .filter_map(|t| Some((t.comment_id?, t.reference)))
        .collect();
    let mut moderators: Vec<&str> = config
        .accounts
        .iter()
        .flat_map(|a| a.moderators.iter().map(String::as_str))
        .collect();
    moderators.sort_unstable();
    moderators.dedup();
    let mut out = Vec::new();
    for moderator in moderators {
        let mut digest = Digest {
            run_at,
            accounts: Vec::new(),
            acted: Vec::new(),
            review: Vec::new(),
            questions: Vec::new(),
        };
        for account in config
            .accounts
            .iter()
            .filter(|a| a.moderators.iter().any(|m| m == moderator))
        {
            let Some(id) = account_ids.get(&account.key).copied() else {
                continue;
            };
            digest.accounts.push(DigestAccount {
                name: account.name.clone(),
                new_comments: counts.get(&id).copied().unwrap_or(0),
            });
            for (comment, findings) in flagged.iter().filter(|(c, _)| c.account_id == id) {
                let mut item =
                    digest_item(&account.name, comment, findings, dry_run || account.dry_run);
                item.ticket_ref = ticket_refs.get(&comment.id).cloned();
                if comment.action == Some(ModerationAction::Review) {
                    digest.review.push(item);
                } else {
                    digest.acted.push(item);
                }
            }
            digest.questions.extend(
                questions
                    .iter()
                    .filter(|t| t.account_id == id)
                    .map(|t| digest_question(&account.name, t, now)),
            );
        }
        if !digest.is_empty() {
            let key = format!("digest:{run_id}:{moderator}");
            let escalate_to = escalation_addresses(config, moderator, &questions, now);
            out.push((
                moderator.to_string(),
                compose::digest(moderator, escalate_to, &digest, key),
            ));
        }
    }
    Ok(out)
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
    comment: &StoredComment,
    findings: &[crate::classify::Finding],
    dry_run: bool,
) -> DigestItem {
    let outcome = match (comment.action, dry_run) {
        (Some(ModerationAction::Review), _) => "att granska",
        (_, true) => "dokumenterad (torrkörning)",
        (Some(ModerationAction::Delete), false) => "borttagen",
        _ => "dold",
    };
    let mut rules: Vec<String> = findings.iter().map(|f| f.rule.clone()).collect();
    rules.dedup();
    DigestItem {
        account_name: account_name.to_string(),
        comment_id: comment.comment.platform_id.clone(),
        outcome: outcome.to_string(),
        reasons: findings.iter().map(AlertReason::from).collect(),
        rules,
        evidence: EvidenceRef {
            record_sha256: comment.record_sha256.clone().unwrap_or_default(),
            record_path: comment.record_path.clone().unwrap_or_default(),
        },
        ticket_ref: None,
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
