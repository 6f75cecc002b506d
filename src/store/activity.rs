//! What happened on the accounts in a period, for the half-year report:
//! the accounts' own posts (publishing frequency), the comments they
//! received, and how fast people decided what the service sent them to
//! review. Every query takes a half-open period `[from, to)`.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, parse_opt_ts, parse_ts, ts};

/// One of an account's own posts, as recorded while collecting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPost {
    /// The account's configured key.
    pub account_key: String,
    /// The platform's id of the post.
    pub platform_post_id: String,
    /// When the account published it.
    pub created_at: DateTime<Utc>,
}

/// One comment someone else wrote on an account (its first version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedComment {
    /// The account's configured key.
    pub account_key: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// A comment version the service sent to a person, and when a person
/// first decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTiming {
    /// The account's configured key.
    pub account_key: String,
    /// When the service sent it to review.
    pub sent_at: DateTime<Utc>,
    /// When a moderator first decided it; `None` while it waits.
    pub decided_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The accounts' own posts published in `[from, to)`, oldest first.
    pub async fn own_posts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<OwnPost>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.key AS account_key, p.platform_post_id, p.created_at
             FROM posts p JOIN accounts a ON a.id = p.account_id
             WHERE p.created_at >= $1 AND p.created_at < $2
             ORDER BY p.created_at, p.id",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OwnPost {
                    account_key: r.try_get("account_key")?,
                    platform_post_id: r.try_get("platform_post_id")?,
                    created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
                })
            })
            .collect()
    }

    /// Comments by others written in `[from, to)`: each comment once,
    /// however often it was edited; the accounts' own replies and
    /// platform-state versions are not comments received.
    pub async fn comments_received(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ReceivedComment>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.key AS account_key, MIN(c.created_at) AS created_at
             FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.state NOT IN ('own', 'platform_state')
               AND c.created_at >= $1 AND c.created_at < $2
             GROUP BY a.key, c.platform_comment_id
             ORDER BY MIN(c.created_at), a.key",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReceivedComment {
                    account_key: r.try_get("account_key")?,
                    created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
                })
            })
            .collect()
    }

    /// Comment versions sent to review in `[from, to)`, with the first
    /// moderator decision on each, oldest first.
    pub async fn review_timings(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ReviewTiming>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.key AS account_key, c.decided_at AS sent_at,
                 MIN(d.decided_at) AS first_decision
             FROM comments c JOIN accounts a ON a.id = c.account_id
                 LEFT JOIN moderator_decisions d ON d.comment_id = c.id
             WHERE c.action = 'review' AND c.decided_at >= $1 AND c.decided_at < $2
             GROUP BY c.id, a.key, c.decided_at
             ORDER BY c.decided_at, c.id",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewTiming {
                    account_key: r.try_get("account_key")?,
                    sent_at: parse_ts(&r.try_get::<String, _>("sent_at")?)?,
                    decided_at: parse_opt_ts(r.try_get("first_decision")?)?,
                })
            })
            .collect()
    }
}
