//! The audit log: who did what, when — the service itself, an operator or a
//! moderator. Never holds comment text.

use chrono::{DateTime, Utc};
use sqlx::{Any, Row};

use super::{Store, StoreError, ts};

/// One audit event.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// `service`, or the person (e.g. the moderator's login).
    pub actor: String,
    /// What happened, e.g. `comment.hidden`, `crisis.enabled`.
    pub event: String,
    /// What it happened to (a comment id, an account key).
    pub subject: Option<String>,
    /// Details as JSON (ids, reasons; no comment text).
    pub detail: serde_json::Value,
}

impl AuditEvent {
    /// An event done by the service itself.
    pub fn service(event: &str, subject: Option<String>, detail: serde_json::Value) -> Self {
        Self {
            actor: "service".to_string(),
            event: event.to_string(),
            subject,
            detail,
        }
    }
}

pub(super) async fn insert_event<'e, E>(
    executor: E,
    event: &AuditEvent,
    at: DateTime<Utc>,
) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, actor, event, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(ts(at))
    .bind(&event.actor)
    .bind(&event.event)
    .bind(event.subject.as_deref())
    .bind(event.detail.to_string())
    .execute(executor)
    .await?;
    Ok(())
}

impl Store {
    /// Appends an audit event.
    pub async fn audit(&self, event: &AuditEvent, at: DateTime<Utc>) -> Result<(), StoreError> {
        insert_event(self.pool(), event, at).await
    }

    /// Audit events of one kind, oldest first.
    pub async fn audit_events(&self, event: &str) -> Result<Vec<AuditEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT actor, event, subject, detail FROM audit_log WHERE event = $1 ORDER BY id",
        )
        .bind(event)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get("detail")?;
                Ok(AuditEvent {
                    actor: r.try_get("actor")?,
                    event: r.try_get("event")?,
                    subject: r.try_get("subject")?,
                    detail: serde_json::from_str(&detail)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?,
                })
            })
            .collect()
    }
}
