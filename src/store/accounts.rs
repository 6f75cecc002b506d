//! The account registry as last configured.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, ts};
use crate::config::AccountConfig;

impl Store {
    /// Records the configured account (insert or update) and returns its row id.
    pub async fn upsert_account(
        &self,
        account: &AccountConfig,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO accounts (key, platform, platform_id, name, department, purpose, link, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (key) DO UPDATE SET platform = excluded.platform,
                 platform_id = excluded.platform_id, name = excluded.name,
                 department = excluded.department, purpose = excluded.purpose,
                 link = excluded.link, updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(&account.key)
        .bind(account.platform.as_str())
        .bind(&account.platform_id)
        .bind(&account.name)
        .bind(&account.department)
        .bind(&account.purpose)
        .bind(account.link.as_deref())
        .bind(ts(now))
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("id")?)
    }
}
