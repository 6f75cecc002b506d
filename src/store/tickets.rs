//! The built-in ticket table: opening tickets with a decision, listing,
//! assigning and closing them (audited), and closing question tickets the
//! account has answered in the thread.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use serde_json::json;

use super::audit::{AuditEvent, insert_event};
use super::comments::{enum_name, parse_enum};
use super::{Store, StoreError, parse_opt_ts, parse_ts, ts};
use crate::domain::TicketKind;

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

/// A ticket as stored, with what the CLI and the sinks show about it.
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
    /// The account's configured key.
    pub account_key: String,
    /// The comment version.
    pub comment_id: Option<i64>,
    /// The platform's id of the comment.
    pub platform_comment_id: Option<String>,
    /// The evidence record's path relative to the archive root.
    pub record_path: Option<String>,
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
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it (`service` when the account's reply answered it).
    pub closed_by: Option<String>,
    /// Why it was closed.
    pub close_note: Option<String>,
    /// The account's reply that answered a question ticket.
    pub answered_by_comment: Option<String>,
}

impl TicketRow {
    /// Whether it is still waiting for a person.
    pub fn is_open(&self) -> bool {
        self.state != "done"
    }

    /// Whether it is past its due time and still open.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.due_at.is_some_and(|due| due < now)
    }
}

/// Which tickets to list.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// Include closed tickets.
    pub include_done: bool,
    /// Only this kind.
    pub kind: Option<TicketKind>,
    /// Only this account (configured key).
    pub account_key: Option<String>,
}

/// What a moderator's change to a ticket came to.
#[derive(Debug, Clone)]
pub enum TicketChange {
    /// Changed; the ticket as it is now.
    Changed(TicketRow),
    /// No ticket has that reference.
    NotFound,
    /// The ticket was closed before; nothing changed.
    AlreadyClosed(TicketRow),
}

/// A question ticket closed because the account replied in its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredQuestion {
    /// The ticket's reference.
    pub reference: String,
    /// The platform id of the account's reply.
    pub reply_comment_id: String,
}

pub(super) async fn insert_tickets(
    tx: &mut Transaction<'_, Any>,
    tickets: &[NewTicket],
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut inserted = 0;
    for t in tickets {
        inserted += sqlx::query(
            "INSERT INTO tickets (reference, kind, state, account_id, comment_id, record_sha256,
                 permalink, summary, due_at, created_at, updated_at)
             VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT DO NOTHING",
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
        .await?
        .rows_affected();
    }
    Ok(inserted)
}

const TICKET_SELECT: &str = "SELECT t.id, t.reference, t.kind, t.state, t.account_id,
    a.key AS account_key, t.comment_id, c.platform_comment_id, c.record_path, t.record_sha256,
    t.permalink, t.summary, t.due_at, t.assigned_to, t.created_at, t.closed_at, t.closed_by,
    t.close_note, t.answered_by_comment
    FROM tickets t JOIN accounts a ON a.id = t.account_id
    LEFT JOIN comments c ON c.id = t.comment_id";

/// The text of [`Store::find_tickets`]' query (`$1`: a kind or `''`,
/// `$2`: an account key or `''`), public so that a test can ask the
/// database's planner about this very text. Without `include_done` it
/// names `t.state <> 'done'` as a plain condition, which lets both
/// databases read the open tickets, newest first, from the partial index
/// `tickets_open` (migration 0015) rather than every ticket ever closed.
pub fn tickets_sql(include_done: bool) -> String {
    let open = if include_done {
        ""
    } else {
        "t.state <> 'done' AND "
    };
    format!(
        "{TICKET_SELECT} WHERE {open}($1 = '' OR t.kind = $1) AND ($2 = '' OR a.key = $2)
         ORDER BY t.id DESC"
    )
}

fn ticket_row(r: &AnyRow) -> Result<TicketRow, StoreError> {
    Ok(TicketRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        kind: parse_enum(&r.try_get::<String, _>("kind")?)?,
        state: r.try_get("state")?,
        account_id: r.try_get("account_id")?,
        account_key: r.try_get("account_key")?,
        comment_id: r.try_get("comment_id")?,
        platform_comment_id: r.try_get("platform_comment_id")?,
        record_path: r.try_get("record_path")?,
        record_sha256: r.try_get("record_sha256")?,
        permalink: r.try_get("permalink")?,
        summary: r.try_get("summary")?,
        due_at: parse_opt_ts(r.try_get("due_at")?)?,
        assigned_to: r.try_get("assigned_to")?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
        closed_at: parse_opt_ts(r.try_get("closed_at")?)?,
        closed_by: r.try_get("closed_by")?,
        close_note: r.try_get("close_note")?,
        answered_by_comment: r.try_get("answered_by_comment")?,
    })
}

impl Store {
    /// Tickets, newest first; only those not done unless `include_done`.
    pub async fn tickets(&self, include_done: bool) -> Result<Vec<TicketRow>, StoreError> {
        self.find_tickets(&TicketFilter {
            include_done,
            ..TicketFilter::default()
        })
        .await
    }

    /// Opens a ticket outside a decision (a detector added later, or a
    /// person). Returns false when a ticket with that reference, or of that
    /// kind for that comment, exists already; audited as `ticket.opened`.
    pub async fn open_ticket(
        &self,
        ticket: &NewTicket,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        let opened = insert_tickets(&mut tx, std::slice::from_ref(ticket), now).await? == 1;
        let event = AuditEvent {
            actor: actor.to_string(),
            event: "ticket.opened".to_string(),
            subject: Some(ticket.reference.clone()),
            detail: json!({ "kind": enum_name(&ticket.kind) }),
        };
        if opened {
            insert_event(&mut *tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(opened)
    }

    /// Tickets matching a filter, newest first.
    pub async fn find_tickets(&self, filter: &TicketFilter) -> Result<Vec<TicketRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(tickets_sql(filter.include_done)))
            .bind(filter.kind.map(|k| enum_name(&k)).unwrap_or_default())
            .bind(filter.account_key.clone().unwrap_or_default())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(ticket_row).collect()
    }

    /// One ticket by its reference.
    pub async fn ticket(&self, reference: &str) -> Result<Option<TicketRow>, StoreError> {
        let sql = format!("{TICKET_SELECT} WHERE t.reference = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(reference)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(ticket_row).transpose()
    }

    /// Gives a ticket to a person; audited as `ticket.assigned` by `actor`.
    pub async fn assign_ticket(
        &self,
        reference: &str,
        to: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<TicketChange, StoreError> {
        let mut tx = self.pool().begin().await?;
        let updated = sqlx::query(
            "UPDATE tickets SET state = 'assigned', assigned_to = $1, updated_at = $2
             WHERE reference = $3 AND state <> 'done'",
        )
        .bind(to)
        .bind(ts(now))
        .bind(reference)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 1 {
            let event = AuditEvent {
                actor: actor.to_string(),
                event: "ticket.assigned".to_string(),
                subject: Some(reference.to_string()),
                detail: json!({ "assigned_to": to }),
            };
            insert_event(&mut *tx, &event, now).await?;
        }
        tx.commit().await?;
        self.change_outcome(reference, updated.rows_affected() == 1)
            .await
    }

    /// Closes a ticket with an optional note; audited as `ticket.closed`.
    pub async fn close_ticket(
        &self,
        reference: &str,
        actor: &str,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<TicketChange, StoreError> {
        let mut tx = self.pool().begin().await?;
        let updated = sqlx::query(
            "UPDATE tickets SET state = 'done', closed_at = $1, updated_at = $1, closed_by = $2,
                 close_note = $3 WHERE reference = $4 AND state <> 'done'",
        )
        .bind(ts(now))
        .bind(actor)
        .bind(note)
        .bind(reference)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 1 {
            let event = AuditEvent {
                actor: actor.to_string(),
                event: "ticket.closed".to_string(),
                subject: Some(reference.to_string()),
                detail: json!({ "note": note }),
            };
            insert_event(&mut *tx, &event, now).await?;
        }
        tx.commit().await?;
        self.change_outcome(reference, updated.rows_affected() == 1)
            .await
    }

    async fn change_outcome(
        &self,
        reference: &str,
        changed: bool,
    ) -> Result<TicketChange, StoreError> {
        Ok(match (self.ticket(reference).await?, changed) {
            (None, _) => TicketChange::NotFound,
            (Some(row), true) => TicketChange::Changed(row),
            (Some(row), false) => TicketChange::AlreadyClosed(row),
        })
    }

    /// Closes every open question ticket the account has answered: a
    /// comment by the account itself (stored as `own`) replying to the
    /// question's comment. Each is closed by `service` and audited as
    /// `ticket.answered`, in one transaction per ticket.
    pub async fn close_answered_questions(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<AnsweredQuestion>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.reference, MIN(r.platform_comment_id) AS reply
             FROM tickets t
             JOIN comments q ON q.id = t.comment_id
             JOIN comments r ON r.account_id = q.account_id
                 AND r.parent_platform_id = q.platform_comment_id AND r.state = 'own'
             WHERE t.kind = $1 AND t.state <> 'done'
             GROUP BY t.reference ORDER BY t.reference",
        )
        .bind(enum_name(&TicketKind::QuestionToAnswer))
        .fetch_all(self.pool())
        .await?;
        let mut answered = Vec::new();
        for row in &rows {
            let question = AnsweredQuestion {
                reference: row.try_get("reference")?,
                reply_comment_id: row.try_get("reply")?,
            };
            if self.close_as_answered(&question, now).await? {
                answered.push(question);
            }
        }
        Ok(answered)
    }

    async fn close_as_answered(
        &self,
        question: &AnsweredQuestion,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        let updated = sqlx::query(
            "UPDATE tickets SET state = 'done', closed_at = $1, updated_at = $1,
                 closed_by = 'service', close_note = $2, answered_by_comment = $3
             WHERE reference = $4 AND state <> 'done'",
        )
        .bind(ts(now))
        .bind("Besvarad av kontot i tråden")
        .bind(&question.reply_comment_id)
        .bind(&question.reference)
        .execute(&mut *tx)
        .await?;
        let closed = updated.rows_affected() == 1;
        if closed {
            let event = AuditEvent::service(
                "ticket.answered",
                Some(question.reference.clone()),
                json!({ "reply_comment_id": question.reply_comment_id }),
            );
            insert_event(&mut *tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(closed)
    }
}
