//! The evidence chain's head, anchored in the database: a copy of the
//! archive's latest chain position and hash kept where whoever can write
//! the archive cannot also rewrite it unnoticed (`archive verify` checks the
//! chain against the latest anchor).

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, parse_ts, ts};

/// The chain's head as recorded outside the archive, in the database:
/// whoever can write the archive can rebuild the chain with
/// recomputed hashes so that it verifies in itself, but cannot also change
/// what was anchored elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainAnchor {
    /// When the anchor was written.
    pub anchored_at: DateTime<Utc>,
    /// The chain position of the head.
    pub head_seq: u64,
    /// The SHA-256 of the head record.
    pub head_sha256: String,
    /// How many records the chain held (culled ones included).
    pub record_count: u64,
}

impl Store {
    /// Records that the chain reached `anchor` (its head position and hash).
    pub async fn anchor_chain(&self, anchor: &ChainAnchor) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO chain_anchors (anchored_at, head_seq, head_sha256, record_count)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(ts(anchor.anchored_at))
        .bind(i64::try_from(anchor.head_seq).unwrap_or(i64::MAX))
        .bind(&anchor.head_sha256)
        .bind(i64::try_from(anchor.record_count).unwrap_or(i64::MAX))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The furthest anchor: the chain must reach it with the same hash.
    pub async fn latest_chain_anchor(&self) -> Result<Option<ChainAnchor>, StoreError> {
        let row = sqlx::query(
            "SELECT anchored_at, head_seq, head_sha256, record_count FROM chain_anchors
             ORDER BY head_seq DESC, id DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| -> Result<ChainAnchor, StoreError> {
            let anchored_at: String = r.try_get("anchored_at")?;
            let anchored_at: DateTime<Utc> = parse_ts(&anchored_at)?;
            let head_seq: i64 = r.try_get("head_seq")?;
            let record_count: i64 = r.try_get("record_count")?;
            Ok(ChainAnchor {
                anchored_at,
                head_seq: u64::try_from(head_seq).unwrap_or(0),
                head_sha256: r.try_get("head_sha256")?,
                record_count: u64::try_from(record_count).unwrap_or(0),
            })
        })
        .transpose()
    }
}
