//! What the moderators' console reads and writes: the review queue (paged,
//! filtered, limited to the accounts a person may see), the thread around
//! a comment, people's decisions with their optimistic round, and the
//! moderation log of every action, automatic or manual.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::audit::{AuditEvent, insert_event};
use super::comments::{COMMENT_COLUMNS, stored_comment};
use super::{Store, StoreError, StoredComment, parse_opt_ts, parse_ts, ts};

/// Decisions that settle a review item: it leaves the queue.
pub const SETTLING_DECISIONS: [&str; 3] = ["hide", "delete", "no_action"];

/// Which review items to list. `accounts` is the access limit: only items
/// on these account keys are ever returned.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// The account keys the person may see.
    pub accounts: Vec<String>,
    /// Only this account key.
    pub account: Option<String>,
    /// Only this platform (`facebook` …).
    pub platform: Option<String>,
    /// Only items with a finding of this category.
    pub category: Option<String>,
    /// Only items with a finding of this confidence.
    pub confidence: Option<String>,
    /// Items to skip (paging).
    pub offset: i64,
    /// Items per page.
    pub limit: i64,
}

/// A person's decision on a comment version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewModeratorDecision<'a> {
    /// The comment version.
    pub comment_id: i64,
    /// Decisions made on it before, as the person's page showed them.
    pub round: i64,
    /// `hide`, `delete`, `no_action`, `restore`, `refer_registry`, `refer_police`.
    pub decision: &'a str,
    /// Why, in the person's words.
    pub note: Option<&'a str>,
    /// Who (their login).
    pub decided_by: &'a str,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// For hide and delete: the evidence record the action needs.
    pub record_path: Option<&'a str>,
}

/// Whether a decision was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionClaim {
    /// Recorded first; its row id, and the pending action for hide/delete.
    Won {
        /// The decision's row id.
        decision_id: i64,
        /// The platform action it queued, if any.
        action_id: Option<i64>,
    },
    /// Someone decided this round first; their decision.
    Lost(ModeratorDecisionRow),
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeratorDecisionRow {
    /// Row id.
    pub id: i64,
    /// The comment version.
    pub comment_id: i64,
    /// Its round.
    pub round: i64,
    /// What was decided.
    pub decision: String,
    /// The person's note.
    pub note: Option<String>,
    /// Who.
    pub decided_by: String,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// What came of it, once known.
    pub outcome: Option<String>,
}

/// Which log entries to list.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// The account keys the person may see.
    pub accounts: Vec<String>,
    /// Only this account key.
    pub account: Option<String>,
    /// Only automatic (`Some(true)`) or manual (`Some(false)`) entries.
    pub automatic: Option<bool>,
    /// Only this kind (`hide`, `unhide`, `no_action` …).
    pub kind: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// One entry of the moderation log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// When it was last updated.
    pub at: DateTime<Utc>,
    /// The account's key.
    pub account_key: String,
    /// The comment version's row id.
    pub comment_row: i64,
    /// The platform's id of the comment.
    pub platform_comment_id: String,
    /// `hide`, `delete`, `unhide`, or a person's decision without a platform call.
    pub kind: String,
    /// `done`, `failed`, `dry_run` … or `recorded`.
    pub state: String,
    /// `service` or the person.
    pub actor: String,
    /// The person's note, if they wrote one.
    pub note: Option<String>,
}

fn decision_row(r: &AnyRow) -> Result<ModeratorDecisionRow, StoreError> {
    Ok(ModeratorDecisionRow {
        id: r.try_get("id")?,
        comment_id: r.try_get("comment_id")?,
        round: r.try_get("round")?,
        decision: r.try_get("decision")?,
        note: r.try_get("note")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: parse_ts(&r.try_get::<String, _>("decided_at")?)?,
        outcome: r.try_get("outcome")?,
    })
}

/// `($first, $first+1, …)` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    let list: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
    format!("({})", list.join(", "))
}

impl Store {
    /// One page of the review queue, oldest decided first.
    pub async fn review_queue(
        &self,
        filter: &QueueFilter,
    ) -> Result<Vec<StoredComment>, StoreError> {
        if filter.accounts.is_empty() {
            return Ok(Vec::new());
        }
        let settling = placeholders(1, SETTLING_DECISIONS.len());
        let allowed = placeholders(8, filter.accounts.len());
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.state = 'decided' AND c.action = 'review'
               AND NOT EXISTS (SELECT 1 FROM moderator_decisions d
                               WHERE d.comment_id = c.id AND d.decision IN {settling})
               AND ($4 = '' OR a.key = $4) AND ($5 = '' OR a.platform = $5)
               AND ($6 = '' OR EXISTS (SELECT 1 FROM findings f WHERE f.comment_id = c.id AND f.category = $6))
               AND ($7 = '' OR EXISTS (SELECT 1 FROM findings f WHERE f.comment_id = c.id AND f.confidence = $7))
               AND a.key IN {allowed}
             ORDER BY c.decided_at, c.id LIMIT {} OFFSET {}",
            filter.limit.max(0),
            filter.offset.max(0)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for decision in SETTLING_DECISIONS {
            query = query.bind(decision);
        }
        query = query
            .bind(filter.account.clone().unwrap_or_default())
            .bind(filter.platform.clone().unwrap_or_default())
            .bind(filter.category.clone().unwrap_or_default())
            .bind(filter.confidence.clone().unwrap_or_default());
        for key in &filter.accounts {
            query = query.bind(key.clone());
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter().map(stored_comment).collect()
    }

    /// The other comments under the same post, oldest first: the thread a
    /// moderator reads a comment in.
    pub async fn post_comments(
        &self,
        account_id: i64,
        post_id: &str,
        limit: i64,
    ) -> Result<Vec<StoredComment>, StoreError> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.account_id = $1 AND c.post_platform_id = $2
             ORDER BY c.created_at, c.id LIMIT $3"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(account_id)
            .bind(post_id)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(stored_comment).collect()
    }

    /// Records a person's decision if nobody decided this round first, in
    /// one transaction with the platform action it queues (hide, delete)
    /// and its audit event. The unique (comment, round) key is the
    /// conditional write: of two people deciding at once, one wins.
    pub async fn record_moderator_decision(
        &self,
        decision: &NewModeratorDecision<'_>,
    ) -> Result<DecisionClaim, StoreError> {
        let mut tx = self.pool().begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO moderator_decisions (comment_id, round, decision, note, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (comment_id, round) DO NOTHING RETURNING id",
        )
        .bind(decision.comment_id)
        .bind(decision.round)
        .bind(decision.decision)
        .bind(decision.note)
        .bind(decision.decided_by)
        .bind(ts(decision.decided_at))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(inserted) = inserted else {
            tx.rollback().await?;
            let winner = self
                .moderator_decisions(decision.comment_id)
                .await?
                .into_iter()
                .find(|d| d.round == decision.round)
                .ok_or_else(|| StoreError::Invalid("a conflicting decision vanished".into()))?;
            return Ok(DecisionClaim::Lost(winner));
        };
        let decision_id: i64 = inserted.try_get("id")?;
        let action_id = match (decision.decision, decision.record_path) {
            (kind @ ("hide" | "delete"), Some(record_path)) => {
                // A hide undone by a restore may be decided again: the
                // action row is set pending anew; its history stays in
                // the decisions and the audit log.
                let row = sqlx::query(
                    "INSERT INTO actions (comment_id, kind, state, record_path, created_at, updated_at)
                     VALUES ($1, $2, 'pending', $3, $4, $4)
                     ON CONFLICT (comment_id, kind) DO UPDATE SET state = 'pending', attempts = 0,
                         last_error = NULL, error_kind = NULL, verified_by = NULL,
                         notified = NULL, updated_at = excluded.updated_at
                     RETURNING id",
                )
                .bind(decision.comment_id)
                .bind(kind)
                .bind(record_path)
                .bind(ts(decision.decided_at))
                .fetch_one(&mut *tx)
                .await?;
                let action_id: i64 = row.try_get("id")?;
                sqlx::query("UPDATE moderator_decisions SET action_id = $1 WHERE id = $2")
                    .bind(action_id)
                    .bind(decision_id)
                    .execute(&mut *tx)
                    .await?;
                Some(action_id)
            }
            _ => None,
        };
        let event = AuditEvent {
            actor: decision.decided_by.to_string(),
            event: "moderator.decided".to_string(),
            subject: None,
            detail: json!({"comment_row": decision.comment_id, "decision": decision.decision,
                           "round": decision.round, "note": decision.note,
                           "action_id": action_id}),
        };
        insert_event(&mut *tx, &event, decision.decided_at).await?;
        tx.commit().await?;
        Ok(DecisionClaim::Won {
            decision_id,
            action_id,
        })
    }

    /// Records what came of a decision (`done`, `failed`, `dry_run` …).
    pub async fn settle_moderator_decision(
        &self,
        decision_id: i64,
        outcome: &str,
        action_id: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE moderator_decisions SET outcome = $1, action_id = COALESCE($2, action_id)
             WHERE id = $3",
        )
        .bind(outcome)
        .bind(action_id)
        .bind(decision_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every decision on a comment version, in round order.
    pub async fn moderator_decisions(
        &self,
        comment_id: i64,
    ) -> Result<Vec<ModeratorDecisionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, comment_id, round, decision, note, decided_by, decided_at, outcome
             FROM moderator_decisions WHERE comment_id = $1 ORDER BY round",
        )
        .bind(comment_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(decision_row).collect()
    }

    /// The moderation log, newest first: every hide, delete and unhide
    /// (automatic, or with the person whose decision queued it) and every
    /// decision that made no platform call.
    pub async fn moderation_log(&self, filter: &LogFilter) -> Result<Vec<LogEntry>, StoreError> {
        if filter.accounts.is_empty() {
            return Ok(Vec::new());
        }
        let allowed = placeholders(4, filter.accounts.len());
        let sql = format!(
            "SELECT at, account_key, comment_row, platform_comment_id, kind, state, actor, note FROM (
               SELECT x.updated_at AS at, a.key AS account_key, c.id AS comment_row,
                      c.platform_comment_id, x.kind, x.state,
                      COALESCE(d.decided_by, 'service') AS actor, d.note
               FROM actions x JOIN comments c ON c.id = x.comment_id
               JOIN accounts a ON a.id = c.account_id
               LEFT JOIN moderator_decisions d ON d.id = (SELECT MAX(d2.id) FROM moderator_decisions d2
                   WHERE d2.action_id = x.id OR (x.kind = 'unhide' AND d2.comment_id = x.comment_id
                                                 AND d2.decision = 'restore'))
               UNION ALL
               SELECT d.decided_at AS at, a.key AS account_key, c.id AS comment_row,
                      c.platform_comment_id, d.decision AS kind, COALESCE(d.outcome, 'recorded') AS state,
                      d.decided_by AS actor, d.note
               FROM moderator_decisions d JOIN comments c ON c.id = d.comment_id
               JOIN accounts a ON a.id = c.account_id
               WHERE d.action_id IS NULL AND d.decision <> 'restore'
             ) log
             WHERE ($1 = '' OR account_key = $1)
               AND ($2 = '' OR ($2 = 'auto' AND actor = 'service') OR ($2 = 'manual' AND actor <> 'service'))
               AND ($3 = '' OR kind = $3)
               AND account_key IN {allowed}
             ORDER BY at DESC, comment_row DESC LIMIT {}",
            filter.limit.max(0)
        );
        let automatic = match filter.automatic {
            Some(true) => "auto",
            Some(false) => "manual",
            None => "",
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(filter.account.clone().unwrap_or_default())
            .bind(automatic)
            .bind(filter.kind.clone().unwrap_or_default());
        for key in &filter.accounts {
            query = query.bind(key.clone());
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(LogEntry {
                    at: parse_ts(&r.try_get::<String, _>("at")?)?,
                    account_key: r.try_get("account_key")?,
                    comment_row: r.try_get("comment_row")?,
                    platform_comment_id: r.try_get("platform_comment_id")?,
                    kind: r.try_get("kind")?,
                    state: r.try_get("state")?,
                    actor: r.try_get("actor")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The last finished monitoring run's outcome for each account key:
    /// when, and the error kind if it failed.
    pub async fn last_account_outcomes(
        &self,
    ) -> Result<Vec<(String, DateTime<Utc>, String, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.key, o.finished_at, o.outcome, o.error_kind FROM poll_run_accounts o
             JOIN accounts a ON a.id = o.account_id
             WHERE o.run_id = (SELECT MAX(o2.run_id) FROM poll_run_accounts o2
                               WHERE o2.account_id = o.account_id)
             ORDER BY a.key",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("key")?,
                    parse_ts(&r.try_get::<String, _>("finished_at")?)?,
                    r.try_get("outcome")?,
                    r.try_get("error_kind")?,
                ))
            })
            .collect()
    }

    /// The finding categories that occur, for the queue's filter.
    pub async fn finding_categories(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT category FROM findings ORDER BY category")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| r.try_get("category").map_err(StoreError::from))
            .collect()
    }

    /// When the newest run started, if any ran.
    pub async fn last_run_started(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row = sqlx::query("SELECT MAX(started_at) AS at FROM poll_runs")
            .fetch_one(self.pool())
            .await?;
        parse_opt_ts(row.try_get("at")?)
    }
}
