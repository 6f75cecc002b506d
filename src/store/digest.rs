//! The queries behind what moderators are told after a run: the digest's
//! counts and decisions, and the rule that a platform failing run after run
//! is a system problem even when each failure looked passing.

use std::collections::HashMap;

use sqlx::Row;

use super::comments::{finding_of, parse_enum};
use super::{ActionState, Store, StoreError};
use crate::domain::{Finding, ModerationAction};

/// A comment version a run flagged, as its digest tells it: ids, the
/// decision, the evidence reference and the findings — never the text or
/// the platform's JSON. A run over a backlog flags thousands of comments
/// and the digest quotes none of their words, so they are not read.
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedComment {
    /// The comment version's row id.
    pub id: i64,
    /// The account's row id.
    pub account_id: i64,
    /// The platform's id of the comment.
    pub platform_id: String,
    /// What was decided.
    pub action: Option<ModerationAction>,
    /// The evidence record's path relative to the archive root.
    pub record_path: Option<String>,
    /// The evidence record's hash.
    pub record_sha256: Option<String>,
    /// What was found, in the order it was recorded.
    pub findings: Vec<Finding>,
}

/// Ids per `IN (…)` list, well below every back end's parameter limits.
const ID_CHUNK: usize = 500;

/// Row ids as an SQL list. They are integers the store itself produced, so
/// they are written into the statement rather than bound one by one.
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".to_string();
    }
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How far back the failure streak is counted; longer streaks are reported
/// long before they get here.
const FAILURE_STREAK_LOOKBACK: i64 = 500;

/// The text of [`Store::run_new_comment_counts`]' query, public so that a
/// test can ask the database's planner about this very text: it reads
/// the runs' comments through the index `comments_run` (migration 0015),
/// not the whole comment history.
pub fn run_new_comment_counts_sql(run_ids: &[i64]) -> String {
    format!(
        "SELECT account_id, COUNT(*) AS n FROM comments
         WHERE run_id IN ({}) AND state NOT IN ('own', 'platform_state') GROUP BY account_id ORDER BY account_id",
        id_list(run_ids)
    )
}

impl Store {
    /// New comments (not the account's own replies) stored in a run, per
    /// account row id.
    pub async fn run_new_comment_counts(
        &self,
        run_ids: &[i64],
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(run_new_comment_counts_sql(run_ids)))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("account_id")?, r.try_get("n")?)))
            .collect()
    }

    /// Comment versions decided in a run to be acted on or reviewed
    /// (anything but `none`), oldest first — including those an earlier,
    /// interrupted run fetched but never decided.
    pub async fn run_flagged(&self, run_ids: &[i64]) -> Result<Vec<FlaggedComment>, StoreError> {
        let sql = format!(
            "SELECT id, account_id, platform_comment_id, action, record_path, record_sha256
             FROM comments
             WHERE decided_run_id IN ({}) AND state = 'decided' AND action <> 'none'
             ORDER BY id",
            id_list(run_ids)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        let mut flagged = rows
            .iter()
            .map(|r| {
                let action: Option<String> = r.try_get("action")?;
                Ok(FlaggedComment {
                    id: r.try_get("id")?,
                    account_id: r.try_get("account_id")?,
                    platform_id: r.try_get("platform_comment_id")?,
                    action: action.as_deref().map(parse_enum).transpose()?,
                    record_path: r.try_get("record_path")?,
                    record_sha256: r.try_get("record_sha256")?,
                    findings: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let ids: Vec<i64> = flagged.iter().map(|c| c.id).collect();
        let mut findings = self.findings_of(&ids).await?;
        for comment in &mut flagged {
            comment.findings = findings.remove(&comment.id).unwrap_or_default();
        }
        Ok(flagged)
    }

    /// The findings of these comment versions, by comment row id, each in
    /// the order recorded: one query per chunk, not one per comment.
    async fn findings_of(
        &self,
        comment_ids: &[i64],
    ) -> Result<HashMap<i64, Vec<Finding>>, StoreError> {
        let mut out: HashMap<i64, Vec<Finding>> = HashMap::new();
        for chunk in comment_ids.chunks(ID_CHUNK) {
            let sql = format!(
                "SELECT comment_id, category, confidence, start_offset, end_offset, rule,
                        legal_basis, reason
                 FROM findings WHERE comment_id IN ({}) ORDER BY id",
                id_list(chunk)
            );
            for row in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(self.pool())
                .await?
            {
                out.entry(row.try_get("comment_id")?)
                    .or_default()
                    .push(finding_of(&row)?);
            }
        }
        Ok(out)
    }

    /// Where each comment version's hide or delete stands, by comment row
    /// id, for the digest's "åtgärdade": what happened, not what was decided.
    pub async fn action_states(
        &self,
        comment_ids: &[i64],
    ) -> Result<Vec<(i64, ActionState)>, StoreError> {
        let mut out = Vec::new();
        for chunk in comment_ids.chunks(ID_CHUNK) {
            let sql = format!(
                "SELECT comment_id, state FROM actions
                 WHERE kind IN ('hide', 'delete') AND comment_id IN ({})",
                id_list(chunk)
            );
            for row in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(self.pool())
                .await?
            {
                let state: String = row.try_get("state")?;
                out.push((row.try_get("comment_id")?, parse_enum(&state)?));
            }
        }
        Ok(out)
    }

    /// The first ticket of each of these comment versions, by comment row
    /// id — only these, never the whole ticket table.
    pub async fn first_ticket_refs(
        &self,
        comment_ids: &[i64],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let mut out = Vec::new();
        for chunk in comment_ids.chunks(ID_CHUNK) {
            let sql = format!(
                "SELECT t.comment_id, t.reference FROM tickets t
                 WHERE t.id = (SELECT MIN(u.id) FROM tickets u WHERE u.comment_id = t.comment_id)
                   AND t.comment_id IN ({})",
                id_list(chunk)
            );
            for row in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(self.pool())
                .await?
            {
                out.push((row.try_get("comment_id")?, row.try_get("reference")?));
            }
        }
        Ok(out)
    }

    /// How many runs in a row, up to the latest, failed to poll an account.
    pub async fn consecutive_failed_runs(&self, account_id: i64) -> Result<i64, StoreError> {
        let rows = sqlx::query(
            "SELECT outcome FROM poll_run_accounts WHERE account_id = $1
             ORDER BY run_id DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(FAILURE_STREAK_LOOKBACK)
        .fetch_all(self.pool())
        .await?;
        let mut streak = 0;
        for row in &rows {
            if row.try_get::<String, _>("outcome")? != "failed" {
                break;
            }
            streak += 1;
        }
        Ok(streak)
    }
}
