//! The built-in ticket table.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::comments::{enum_name, parse_enum};
use super::{Store, StoreError, parse_opt_ts, parse_ts, ts};
use crate::tickets::TicketKind;

/// A ticket to open.
#[derive(Debug, Clone)]
pub struct NewTicket {
    /// Stable reference (see [`TicketKind::reference_for`]).
    pub reference: String,
    /// What it asks.
    pub kind: TicketKind,
    /// The account's row id.
    pub account_id: i64,
    /// The comment version it concerns.
    pub comment_id: Option<i64>,
    /// The evidence record.
    pub record_sha256: Option<String>,
    /// Public link to the comment.
    pub permalink: Option<String>,
    /// One Swedish line saying what it is about (no personal data).
    pub summary: String,
    /// When it must be done.
    pub due_at: Option<DateTime<Utc>>,
}

/// A ticket as stored.
#[derive(Debug, Clone)]
pub struct TicketRow {
    /// Row id.
    pub id: i64,
    /// Stable reference.
    pub reference: String,
    /// What it asks.
    pub kind: TicketKind,
    /// `open`, `assigned` or `done`.
    pub state: String,
    /// The account's row id.
    pub account_id: i64,
    /// The comment version.
    pub comment_id: Option<i64>,
    /// The evidence record.
    pub record_sha256: Option<String>,
    /// Public link.
    pub permalink: Option<String>,
    /// What it is about.
    pub summary: String,
    /// Due time.
    pub due_at: Option<DateTime<Utc>>,
    /// Who took it.
    pub assigned_to: Option<String>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// How it ended, when closed by the service (e.g. the comment was restored).
    pub resolution: Option<String>,
}

pub(super) async fn insert_tickets(
    tx: &mut Transaction<'_, Any>,
    tickets: &[NewTicket],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for t in tickets {
        sqlx::query(
            "INSERT INTO tickets (reference, kind, state, account_id, comment_id, record_sha256,
                 permalink, summary, due_at, created_at, updated_at)
             VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT (reference) DO NOTHING",
        )
        .bind(&t.reference)
        .bind(enum_name(&t.kind))
        .bind(t.account_id)
        .bind(t.comment_id)
        .bind(t.record_sha256.as_deref())
        .bind(t.permalink.as_deref())
        .bind(&t.summary)
        .bind(t.due_at.map(ts))
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn ticket_row(r: &AnyRow) -> Result<TicketRow, StoreError> {
    Ok(TicketRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        kind: parse_enum(&r.try_get::<String, _>("kind")?)?,
        state: r.try_get("state")?,
        account_id: r.try_get("account_id")?,
        comment_id: r.try_get("comment_id")?,
        record_sha256: r.try_get("record_sha256")?,
        permalink: r.try_get("permalink")?,
        summary: r.try_get("summary")?,
        due_at: parse_opt_ts(r.try_get("due_at")?)?,
        assigned_to: r.try_get("assigned_to")?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
        resolution: r.try_get("resolution")?,
    })
}

impl Store {
    /// Tickets, newest first; only those not done unless `include_done`.
    pub async fn tickets(&self, include_done: bool) -> Result<Vec<TicketRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, reference, kind, state, account_id, comment_id, record_sha256, permalink,
                 summary, due_at, assigned_to, created_at, resolution
             FROM tickets WHERE ($1 = 1 OR state <> 'done') ORDER BY id DESC",
        )
        .bind(i64::from(include_done))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(ticket_row).collect()
    }
}
