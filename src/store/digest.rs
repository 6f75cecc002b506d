//! The queries behind what moderators are told after a run: the digest's
//! counts and decisions, and the rule that a platform failing run after run
//! is a system problem even when each failure looked passing.

use sqlx::Row;

use super::comments::{COMMENT_COLUMNS, stored_comment};
use super::{Store, StoreError, StoredComment};

/// How far back the failure streak is counted; longer streaks are reported
/// long before they get here.
const FAILURE_STREAK_LOOKBACK: i64 = 500;

impl Store {
    /// New comments (not the account's own replies) stored in a run, per
    /// account row id.
    pub async fn run_new_comment_counts(&self, run_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT account_id, COUNT(*) AS n FROM comments
             WHERE run_id = $1 AND state <> 'own' GROUP BY account_id ORDER BY account_id",
        )
        .bind(run_id)
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
        run_id: i64,
    ) -> Result<Vec<StoredComment>, StoreError> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.decided_run_id = $1 AND c.state = 'decided' AND c.action <> 'none' ORDER BY c.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(run_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(stored_comment).collect()
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
