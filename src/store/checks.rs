//! What the daily checks remember between days: which findings are open
//! (so each is e-mailed once, under the day it opened) and which accounts
//! had a successful monitoring run in a period.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{Store, StoreError, parse_ts, ts};

/// A finding of a daily check that is open on an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCheckFinding {
    /// The check's name (`low_publishing`, `token_expiry` …).
    pub check_name: String,
    /// The account's configured key.
    pub account_key: String,
    /// The day the check first saw it, in the city's time zone.
    pub opened_on: NaiveDate,
}

/// A finding of a daily check with the days it was open, for the
/// half-year report's account of the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFindingSpan {
    /// The check's name (`low_publishing`, `token_expiry` …).
    pub check_name: String,
    /// The account's configured key.
    pub account_key: String,
    /// The day the check first saw it, in the city's time zone.
    pub opened_on: NaiveDate,
    /// The first day the check no longer saw it; `None` while it is open.
    pub closed_on: Option<NaiveDate>,
}

fn parse_day(text: &str) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|e| StoreError::Invalid(format!("day {text:?}: {e}")))
}

impl Store {
    /// Opens the finding of `check_name` on `account_key` on `today`,
    /// unless one is open already; returns the day the open one opened, so
    /// the same finding keeps the same e-mail key day after day.
    pub async fn open_check_finding(
        &self,
        check_name: &str,
        account_key: &str,
        detail: &str,
        today: NaiveDate,
    ) -> Result<NaiveDate, StoreError> {
        sqlx::query(
            "INSERT INTO check_findings (check_name, account_key, opened_on, detail)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (check_name, account_key) WHERE closed_on IS NULL DO NOTHING",
        )
        .bind(check_name)
        .bind(account_key)
        .bind(today.to_string())
        .bind(detail)
        .execute(self.pool())
        .await?;
        let row = sqlx::query(
            "SELECT opened_on FROM check_findings
             WHERE check_name = $1 AND account_key = $2 AND closed_on IS NULL",
        )
        .bind(check_name)
        .bind(account_key)
        .fetch_one(self.pool())
        .await?;
        parse_day(&row.try_get::<String, _>("opened_on")?)
    }

    /// Every finding open now, oldest first.
    pub async fn open_check_findings(&self) -> Result<Vec<OpenCheckFinding>, StoreError> {
        let rows = sqlx::query(
            "SELECT check_name, account_key, opened_on FROM check_findings
             WHERE closed_on IS NULL ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenCheckFinding {
                    check_name: r.try_get("check_name")?,
                    account_key: r.try_get("account_key")?,
                    opened_on: parse_day(&r.try_get::<String, _>("opened_on")?)?,
                })
            })
            .collect()
    }

    /// Every finding open on some day of `first_day..=last_day` (opened by
    /// its end and not cleared before it began), in the order they opened.
    pub async fn check_findings_during(
        &self,
        first_day: NaiveDate,
        last_day: NaiveDate,
    ) -> Result<Vec<CheckFindingSpan>, StoreError> {
        let rows = sqlx::query(
            "SELECT check_name, account_key, opened_on, closed_on FROM check_findings
             WHERE opened_on <= $1 AND (closed_on IS NULL OR closed_on > $2)
             ORDER BY opened_on, id",
        )
        .bind(last_day.to_string())
        .bind(first_day.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CheckFindingSpan {
                    check_name: r.try_get("check_name")?,
                    account_key: r.try_get("account_key")?,
                    opened_on: parse_day(&r.try_get::<String, _>("opened_on")?)?,
                    closed_on: r
                        .try_get::<Option<String>, _>("closed_on")?
                        .as_deref()
                        .map(parse_day)
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Closes the open finding of `check_name` on `account_key`: the check
    /// no longer sees it, so if it comes back it is a new finding.
    pub async fn close_check_finding(
        &self,
        check_name: &str,
        account_key: &str,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE check_findings SET closed_on = $1
             WHERE check_name = $2 AND account_key = $3 AND closed_on IS NULL",
        )
        .bind(today.to_string())
        .bind(check_name)
        .bind(account_key)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The keys of the accounts with at least one successful poll (outcome
    /// `ok`) that finished in `[from, to)`.
    pub async fn accounts_polled_successfully(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT a.key AS account_key
             FROM poll_run_accounts o JOIN accounts a ON a.id = o.account_id
             WHERE o.outcome = 'ok' AND o.finished_at >= $1 AND o.finished_at < $2",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>("account_key")?))
            .collect()
    }

    /// When each account was first read successfully (outcome `ok`), by
    /// account key: the service watched it from then on. Accounts never
    /// read are absent.
    pub async fn first_successful_reads(
        &self,
    ) -> Result<std::collections::HashMap<String, DateTime<Utc>>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.key AS account_key, MIN(o.finished_at) AS first_read
             FROM poll_run_accounts o JOIN accounts a ON a.id = o.account_id
             WHERE o.outcome = 'ok'
             GROUP BY a.key",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<String, _>("account_key")?,
                    parse_ts(&r.try_get::<String, _>("first_read")?)?,
                ))
            })
            .collect()
    }

    /// The keys of the accounts a monitoring run tried to read (whatever
    /// came of it) before `before`: those the service was monitoring by
    /// then. A new install, or an account added to the configuration, has
    /// none until its first run.
    pub async fn accounts_monitored_before(
        &self,
        before: DateTime<Utc>,
    ) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.key AS account_key FROM accounts a
             WHERE EXISTS (SELECT 1 FROM poll_run_accounts o
                           WHERE o.account_id = a.id AND o.started_at < $1)",
        )
        .bind(ts(before))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>("account_key")?))
            .collect()
    }
}
