//! The outbox: e-mails and deliveries written with the decision that caused
//! them and carried out by a worker with retries. A failed item is never
//! deleted; it stays with its error until it succeeds or a person resolves it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::comments::{enum_name, parse_enum};
use super::{Store, StoreError, ts};

/// Where an outbox item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for (another) delivery attempt.
    Pending,
    /// Delivered.
    Delivered,
    /// Given up on; a person must look (dead letter).
    Dead,
}

/// An item to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewOutboxItem {
    /// `email` (more kinds come with ticket sinks).
    pub kind: String,
    /// Unique key: the same cause never queues the same message twice.
    pub idempotency_key: String,
    /// What to deliver, as JSON.
    pub payload: serde_json::Value,
}

/// How much of the outbox is not delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxBacklog {
    /// Items waiting for (another) delivery attempt.
    pub pending: u64,
    /// Items given up on: a person must look at each.
    pub dead: u64,
}

/// An outbox item as stored.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    /// Row id.
    pub id: i64,
    /// The kind.
    pub kind: String,
    /// The idempotency key.
    pub idempotency_key: String,
    /// What to deliver.
    pub payload: serde_json::Value,
    /// Where it stands.
    pub state: OutboxState,
    /// Attempts made.
    pub attempts: i64,
    /// The last error.
    pub last_error: Option<String>,
}

pub(super) async fn insert_items(
    tx: &mut Transaction<'_, Any>,
    items: &[NewOutboxItem],
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut inserted = 0;
    for item in items {
        if insert_item(&mut **tx, item, now).await? {
            inserted += 1;
        }
    }
    Ok(inserted)
}

async fn insert_item<'e, E>(
    executor: E,
    item: &NewOutboxItem,
    now: DateTime<Utc>,
) -> Result<bool, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let done = sqlx::query(
        "INSERT INTO outbox (kind, idempotency_key, payload, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&item.kind)
    .bind(&item.idempotency_key)
    .bind(item.payload.to_string())
    .bind(ts(now))
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn outbox_item(r: &AnyRow) -> Result<OutboxItem, StoreError> {
    let payload: String = r.try_get("payload")?;
    Ok(OutboxItem {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        idempotency_key: r.try_get("idempotency_key")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Invalid(e.to_string()))?,
        state: parse_enum(&r.try_get::<String, _>("state")?)?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
    })
}

const OUTBOX_COLUMNS: &str = "id, kind, idempotency_key, payload, state, attempts, last_error";

impl Store {
    /// Queues an item outside a decision (crisis notices, system problems).
    /// Returns false when an item with the same key was queued before.
    pub async fn enqueue(
        &self,
        item: &NewOutboxItem,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        insert_item(self.pool(), item, now).await
    }

    /// Whether an item with idempotency key `key` was ever queued (in any
    /// state): a message that is costly to make (the half-year report,
    /// printed by Chromium) is only made when it is not.
    pub async fn outbox_has(&self, key: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Pending items whose next attempt is due, oldest first.
    pub async fn due_outbox(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.due_outbox_after(now, 0, limit).await
    }

    /// One page of [`Store::due_outbox`]: items after `after_id`, so a
    /// backlog is worked through page by page without re-reading items
    /// that failed on this pass.
    pub async fn due_outbox_after(
        &self,
        now: DateTime<Utc>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1
             AND id > $2 ORDER BY id LIMIT $3"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ts(now))
            .bind(after_id)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(outbox_item).collect()
    }

    /// Every item in a given state, oldest first (for people and tests).
    pub async fn outbox_in_state(&self, state: OutboxState) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(enum_name(&state))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(outbox_item).collect()
    }

    /// How many items wait for delivery and how many were given up on
    /// (dead letters), for the metrics operations watch.
    pub async fn outbox_backlog(&self) -> Result<OutboxBacklog, StoreError> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) FROM outbox WHERE state IN ('pending', 'dead') GROUP BY state",
        )
        .fetch_all(self.pool())
        .await?;
        let mut backlog = OutboxBacklog::default();
        for row in rows {
            let state: String = row.try_get(0)?;
            let count: i64 = row.try_get(1)?;
            let count = u64::try_from(count).unwrap_or_default();
            match state.as_str() {
                "pending" => backlog.pending = count,
                _ => backlog.dead = count,
            }
        }
        Ok(backlog)
    }

    /// Marks an item delivered.
    pub async fn outbox_delivered(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = $1,
                 last_error = NULL WHERE id = $2",
        )
        .bind(ts(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or dead when `None`.
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let (state, next) = match retry_at {
            Some(t) => ("pending", Some(ts(t))),
            None => ("dead", None),
        };
        sqlx::query(
            "UPDATE outbox SET state = $1, attempts = attempts + 1, last_error = $2,
                 next_attempt_at = COALESCE($3, next_attempt_at) WHERE id = $4",
        )
        .bind(state)
        .bind(error)
        .bind(next)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
