//! Accounts being closed (`kommentarsvakt accounts close`): the day each
//! closes, and once its archive package is exported, that it is closed and
//! no longer polled.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{Store, StoreError, parse_opt_ts, parse_ts, ts};

/// An account an operator is closing, or has closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountClosing {
    /// The account's configured key.
    pub account_key: String,
    /// The last day it is monitored.
    pub closing_date: NaiveDate,
    /// When the closing was asked for.
    pub requested_at: DateTime<Utc>,
    /// When its package was exported and it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Where its archive package was written.
    pub package: Option<String>,
}

impl Store {
    /// Marks the account closing on `closing_date`; asked again before it
    /// has closed, the new date replaces the old. Returns false when the
    /// account is closed already.
    pub async fn mark_account_closing(
        &self,
        account_key: &str,
        closing_date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO account_closings (account_key, closing_date, requested_at)
             VALUES ($1, $2, $3)
             ON CONFLICT (account_key) DO UPDATE SET closing_date = excluded.closing_date,
                 requested_at = excluded.requested_at
             WHERE account_closings.closed_at IS NULL",
        )
        .bind(account_key)
        .bind(closing_date.to_string())
        .bind(ts(now))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every account closing or closed, in the order they were asked for.
    pub async fn account_closings(&self) -> Result<Vec<AccountClosing>, StoreError> {
        let rows = sqlx::query(
            "SELECT account_key, closing_date, requested_at, closed_at, package
             FROM account_closings ORDER BY requested_at, account_key",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let day: String = r.try_get("closing_date")?;
                Ok(AccountClosing {
                    account_key: r.try_get("account_key")?,
                    closing_date: day
                        .parse()
                        .map_err(|e| StoreError::Invalid(format!("day {day:?}: {e}")))?,
                    requested_at: parse_ts(&r.try_get::<String, _>("requested_at")?)?,
                    closed_at: parse_opt_ts(r.try_get("closed_at")?)?,
                    package: r.try_get("package")?,
                })
            })
            .collect()
    }

    /// The keys of the accounts closed here: they are no longer polled.
    pub async fn closed_accounts(&self) -> Result<HashSet<String>, StoreError> {
        Ok(self
            .account_closings()
            .await?
            .into_iter()
            .filter(|c| c.closed_at.is_some())
            .map(|c| c.account_key)
            .collect())
    }

    /// Records that the account's package is at `package` and it is closed.
    pub async fn mark_account_closed(
        &self,
        account_key: &str,
        package: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE account_closings SET closed_at = $1, package = $2
             WHERE account_key = $3 AND closed_at IS NULL",
        )
        .bind(ts(now))
        .bind(package)
        .bind(account_key)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
