//! What the store holds per account, counted: the demo's summary shows it
//! per platform, so a person running the demo sees every connector at work.

use sqlx::Row;

use super::{Store, StoreError};

/// One account's comments, evidence records and carried-out actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountTally {
    /// Comment versions written by others (not the account's own replies,
    /// not platform-state versions).
    pub comments: i64,
    /// Distinct evidence records of its comments.
    pub evidence_records: i64,
    /// Actions carried out on the platform (`done`), by kind (`hide`,
    /// `delete`, `unhide`), in kind order.
    pub actions_done: Vec<(String, i64)>,
}

impl Store {
    /// The tally of the account with row id `account_id`.
    pub async fn account_tally(&self, account_id: i64) -> Result<AccountTally, StoreError> {
        let counts = sqlx::query(
            "SELECT
                COUNT(CASE WHEN state NOT IN ('own', 'platform_state') THEN 1 END) AS comments,
                COUNT(DISTINCT record_sha256) AS records
             FROM comments WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(self.pool())
        .await?;
        let actions = sqlx::query(
            "SELECT x.kind AS kind, COUNT(*) AS n FROM actions x
             JOIN comments c ON c.id = x.comment_id
             WHERE c.account_id = $1 AND x.state = 'done'
             GROUP BY x.kind ORDER BY x.kind",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        Ok(AccountTally {
            comments: counts.try_get("comments")?,
            evidence_records: counts.try_get("records")?,
            actions_done: actions
                .iter()
                .map(|r| Ok((r.try_get("kind")?, r.try_get("n")?)))
                .collect::<Result<_, StoreError>>()?,
        })
    }
}
