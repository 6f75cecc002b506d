//! What happened on the accounts in a period, for the half-year report:
//! the accounts' own posts (publishing frequency), the comments they
//! received, and how fast people decided what the service sent them to
//! review. Every query takes a half-open period `[from, to)`; the weekly
//! counts take a run of half-open weeks.

use std::collections::HashMap;

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

/// An own post that may announce a break, with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostText {
    /// The account's configured key.
    pub account_key: String,
    /// When the account published it.
    pub created_at: DateTime<Utc>,
    /// What it says.
    pub text: String,
}

/// Fragments of the words a post announcing a break uses (lower case);
/// the database hands over only posts with one of them, and
/// `report::breaks` reads those.
const BREAK_FRAGMENTS: [&str; 5] = ["uppeh", "paus", "ledig", "semester", "vila"];

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

/// Counts per account key, one per week of the grid they were counted on
/// (weeks without any are 0; accounts without any are absent).
pub type WeeklyCounts = HashMap<String, Vec<usize>>;

/// One week of a count: `[start, end)`. The weeks of a grid follow each
/// other without gaps; the first and last may be cut to a report's period.
pub type WeekBounds = (DateTime<Utc>, DateTime<Utc>);

impl Store {
    /// How many own posts each account published in each of `weeks`,
    /// counted by the database so that a half year on hundreds of accounts
    /// never loads the posts themselves.
    pub async fn own_posts_per_week(
        &self,
        weeks: &[WeekBounds],
    ) -> Result<WeeklyCounts, StoreError> {
        let sql = format!(
            "WITH weeks (starts, ends) AS (VALUES {})
             SELECT a.key AS account_key, w.starts AS week, COUNT(*) AS n
             FROM posts p JOIN accounts a ON a.id = p.account_id
                 JOIN weeks w ON p.created_at >= w.starts AND p.created_at < w.ends
             GROUP BY a.key, w.starts",
            week_placeholders(weeks.len(), 1)
        );
        self.weekly_counts(sql, weeks, &[]).await
    }

    /// How many comments by others each account received in each of
    /// `weeks`, counted as [`Store::comments_received`] reads them (each
    /// comment once, in the week of its first version), by the database.
    pub async fn comments_received_per_week(
        &self,
        weeks: &[WeekBounds],
    ) -> Result<WeeklyCounts, StoreError> {
        let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else {
            return Ok(WeeklyCounts::new());
        };
        let sql = format!(
            "WITH weeks (starts, ends) AS (VALUES {}),
             received AS (
                 SELECT c.account_id, MIN(c.created_at) AS created_at
                 FROM comments c
                 WHERE c.state NOT IN ('own', 'platform_state')
                   AND c.created_at >= $1 AND c.created_at < $2
                 GROUP BY c.account_id, c.platform_comment_id)
             SELECT a.key AS account_key, w.starts AS week, COUNT(*) AS n
             FROM received r JOIN accounts a ON a.id = r.account_id
                 JOIN weeks w ON r.created_at >= w.starts AND r.created_at < w.ends
             GROUP BY a.key, w.starts",
            week_placeholders(weeks.len(), 3)
        );
        self.weekly_counts(sql, weeks, &[first.0, last.1]).await
    }

    /// Runs a weekly count whose weeks are bound after `leading`, and
    /// spreads its rows (account, week start, count) over each account's
    /// weeks.
    async fn weekly_counts(
        &self,
        sql: String,
        weeks: &[WeekBounds],
        leading: &[DateTime<Utc>],
    ) -> Result<WeeklyCounts, StoreError> {
        if weeks.is_empty() {
            return Ok(WeeklyCounts::new());
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for t in leading {
            query = query.bind(ts(*t));
        }
        for (start, end) in weeks {
            query = query.bind(ts(*start)).bind(ts(*end));
        }
        let rows = query.fetch_all(self.pool()).await?;
        let index: HashMap<String, usize> = weeks
            .iter()
            .enumerate()
            .map(|(i, (start, _))| (ts(*start), i))
            .collect();
        let mut counts = WeeklyCounts::new();
        for row in &rows {
            let week: String = row.try_get("week")?;
            let Some(&at) = index.get(&week) else {
                return Err(StoreError::Invalid(format!(
                    "a count for an unknown week {week}"
                )));
            };
            let n: i64 = row.try_get("n")?;
            counts
                .entry(row.try_get("account_key")?)
                .or_insert_with(|| vec![0; weeks.len()])[at] = usize::try_from(n)
                .map_err(|_| StoreError::Invalid(format!("a negative count {n}")))?;
        }
        Ok(counts)
    }

    /// The accounts' own posts published in `[from, to)` that may
    /// announce a break (they use one of the break words), oldest first.
    pub async fn own_posts_on_breaks(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<PostText>, StoreError> {
        let words = BREAK_FRAGMENTS
            .iter()
            .enumerate()
            .map(|(i, _)| format!("LOWER(p.text) LIKE ${}", i + 3))
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql = format!(
            "SELECT a.key AS account_key, p.created_at, p.text
             FROM posts p JOIN accounts a ON a.id = p.account_id
             WHERE p.created_at >= $1 AND p.created_at < $2 AND p.text IS NOT NULL
               AND ({words})
             ORDER BY p.created_at, p.id"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ts(from))
            .bind(ts(to));
        for fragment in BREAK_FRAGMENTS {
            query = query.bind(format!("%{fragment}%"));
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(PostText {
                    account_key: r.try_get("account_key")?,
                    created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
                    text: r.try_get("text")?,
                })
            })
            .collect()
    }

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

/// `($a, $b), ($c, $d), …` for `weeks` rows of placeholders from `$first`.
fn week_placeholders(weeks: usize, first: usize) -> String {
    (0..weeks)
        .map(|i| format!("(${}, ${})", first + 2 * i, first + 2 * i + 1))
        .collect::<Vec<_>>()
        .join(", ")
}
