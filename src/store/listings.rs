//! Where each listing of an account stands between runs, and the items a
//! connector could not read (quarantine).

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use sqlx::Row;

use super::{Store, StoreError, ts};

/// An item a connector could not read, to be kept byte for byte.
#[derive(Debug, Clone)]
pub struct QuarantineItem<'a> {
    /// The account's row id.
    pub account_id: i64,
    /// The monitoring run that met it.
    pub run_id: Option<i64>,
    /// The listing it came in.
    pub listing: &'a str,
    /// Why it could not be read.
    pub reason: &'a str,
    /// The item exactly as the platform sent it.
    pub raw: &'a [u8],
}

/// A quarantined item as stored, for operations and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantinedRow {
    /// Row id.
    pub id: i64,
    /// The account's row id.
    pub account_id: i64,
    /// The listing it came in.
    pub listing: String,
    /// Why it could not be read.
    pub reason: String,
    /// The bytes as received.
    pub raw: Vec<u8>,
    /// SHA-256 of the bytes, hex.
    pub raw_sha256: String,
}

impl Store {
    /// The stored cursors of an account, by listing key.
    pub async fn listing_cursors(
        &self,
        account_id: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT listing, cursor FROM listing_cursors WHERE account_id = $1 ORDER BY listing",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("listing")?, r.try_get("cursor")?)))
            .collect()
    }

    /// Saves a listing's cursor; called only after the items of the call
    /// that produced it are stored.
    pub async fn save_listing_cursor(
        &self,
        account_id: i64,
        listing: &str,
        cursor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool().acquire().await?;
        save_listing_cursor(&mut conn, account_id, listing, cursor, now).await
    }

    /// Keeps an unreadable item; returns whether it is new (the same bytes
    /// met again are kept, and reported, once).
    pub async fn quarantine(
        &self,
        item: &QuarantineItem<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (encoding, raw) = match std::str::from_utf8(item.raw) {
            Ok(text) => ("utf8", text.to_string()),
            Err(_) => ("hex", hex::encode(item.raw)),
        };
        let inserted = sqlx::query(
            "INSERT INTO quarantined_items
                 (account_id, run_id, listing, reason, encoding, raw, raw_sha256, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (account_id, raw_sha256) DO NOTHING",
        )
        .bind(item.account_id)
        .bind(item.run_id)
        .bind(item.listing)
        .bind(item.reason)
        .bind(encoding)
        .bind(raw)
        .bind(hex::encode(Sha256::digest(item.raw)))
        .bind(ts(now))
        .execute(self.pool())
        .await?;
        Ok(inserted.rows_affected() > 0)
    }

    /// Every quarantined item of an account, oldest first.
    pub async fn quarantined(&self, account_id: i64) -> Result<Vec<QuarantinedRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, account_id, listing, reason, encoding, raw, raw_sha256
             FROM quarantined_items WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let encoding: String = r.try_get("encoding")?;
                let raw: String = r.try_get("raw")?;
                let raw = if encoding == "hex" {
                    hex::decode(&raw)
                        .map_err(|e| StoreError::Invalid(format!("quarantined bytes: {e}")))?
                } else {
                    raw.into_bytes()
                };
                Ok(QuarantinedRow {
                    id: r.try_get("id")?,
                    account_id: r.try_get("account_id")?,
                    listing: r.try_get("listing")?,
                    reason: r.try_get("reason")?,
                    raw,
                    raw_sha256: r.try_get("raw_sha256")?,
                })
            })
            .collect()
    }
}

/// Saves where a listing continues; also inside a harvest's transaction.
pub(super) async fn save_listing_cursor(
    conn: &mut AnyConnection,
    account_id: i64,
    listing: &str,
    cursor: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO listing_cursors (account_id, listing, cursor, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id, listing) DO UPDATE
         SET cursor = excluded.cursor, updated_at = excluded.updated_at",
    )
    .bind(account_id)
    .bind(listing)
    .bind(cursor)
    .bind(ts(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
