//! Rate budgets kept across runs and restarts: what each account (and each
//! platform app) has spent of the limits the platforms set, and until when
//! the platform asked not to be called. The pipeline reads them before a
//! run and writes them after, so a restart does not forget a YouTube day's
//! units, X's last 15 minutes of hide calls or a `retry_after`.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, parse_opt_ts, parse_ts, ts};

/// The subject of a budget the platform counts per app, not per account.
pub const APP_SUBJECT: &str = "*";

/// One stored budget (see `migrations/*/0008_rate_budgets.sql`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateBudgetRow {
    /// The platform (`youtube`, `x`, `facebook` …).
    pub platform: String,
    /// An account's key, or [`APP_SUBJECT`].
    pub subject: String,
    /// Which count: `youtube_units`, `hide_calls`, `usage`, `retry_after`.
    pub budget: String,
    /// Where the counted window starts (a Pacific day, a reset time).
    pub window_start: Option<String>,
    /// Units spent, a percentage or calls remaining, by budget.
    pub used: i64,
    /// When each call still in a sliding window was made, oldest first.
    pub spent_at: Vec<DateTime<Utc>>,
    /// No call to the subject before this instant.
    pub not_before: Option<DateTime<Utc>>,
    /// The platform's own usage headers as last read, for operators.
    pub reported: Option<String>,
}

impl Store {
    /// Writes a budget, replacing what was stored for the same platform,
    /// subject and budget.
    pub async fn save_rate_budget(
        &self,
        row: &RateBudgetRow,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let spent_at: Vec<String> = row.spent_at.iter().map(|t| ts(*t)).collect();
        sqlx::query(
            "INSERT INTO rate_budgets
                 (platform, subject, budget, window_start, used, spent_at, not_before, reported, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (platform, subject, budget) DO UPDATE
             SET window_start = excluded.window_start, used = excluded.used,
                 spent_at = excluded.spent_at, not_before = excluded.not_before,
                 reported = excluded.reported, updated_at = excluded.updated_at",
        )
        .bind(&row.platform)
        .bind(&row.subject)
        .bind(&row.budget)
        .bind(row.window_start.clone())
        .bind(row.used)
        .bind(spent_at.join(" "))
        .bind(row.not_before.map(ts))
        .bind(row.reported.clone())
        .bind(ts(now))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every stored budget, by platform, subject and budget.
    pub async fn rate_budgets(&self) -> Result<Vec<RateBudgetRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT platform, subject, budget, window_start, used, spent_at, not_before, reported
             FROM rate_budgets ORDER BY platform, subject, budget",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let spent_at: String = r.try_get("spent_at")?;
                Ok(RateBudgetRow {
                    platform: r.try_get("platform")?,
                    subject: r.try_get("subject")?,
                    budget: r.try_get("budget")?,
                    window_start: r.try_get("window_start")?,
                    used: r.try_get("used")?,
                    spent_at: spent_at
                        .split_whitespace()
                        .map(parse_ts)
                        .collect::<Result<_, _>>()?,
                    not_before: parse_opt_ts(r.try_get("not_before")?)?,
                    reported: r.try_get("reported")?,
                })
            })
            .collect()
    }
}
