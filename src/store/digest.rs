//! The queries behind what moderators are told after a run: the digest's
//! counts and decisions, and the rule that a platform failing run after run
//! is a system problem even when each failure looked passing.

use sqlx::Row;

use super::comments::{COMMENT_COLUMNS, parse_enum, stored_comment};
use super::{ActionState, Store, StoreError, StoredComment};

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

impl Store {
    /// New comments (not the account's own replies) stored in a run, per
    /// account row id.
    pub async fn run_new_comment_counts(
        &self,
        run_ids: &[i64],
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT account_id, COUNT(*) AS n FROM comments
             WHERE run_id IN ({}) AND state NOT IN ('own', 'platform_state') GROUP BY account_id ORDER BY account_id",
            id_list(run_ids)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("account_id")?, r.try_get("n")?)))
            .collect()
    }

    /// Comment versions decided in a run to be acted on or reviewed
    /// (anything but `none`), oldest first — including those an earlier,
    /// interrupted run fetched but never decided.
    pub async fn run_flagged_comments(
        &self,
        run_ids: &[i64],
    ) -> Result<Vec<StoredComment>, StoreError> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.decided_run_id IN ({}) AND c.state = 'decided' AND c.action <> 'none'
             ORDER BY c.id",
            id_list(run_ids)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(stored_comment).collect()
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
