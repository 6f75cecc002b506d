//! Records management in the database: legal holds, what retention may
//! cull, the culling itself, restorations (unhide) and the register of
//! removed content for the registry office.
//!
//! What culling keeps: the comment version, its findings and its platform
//! actions are deleted with the record (they hold or describe the content);
//! tickets stay (they are the registry office's own case records) with
//! their comment link cleared but the evidence hash kept; the audit log
//! stays untouched (it holds ids, never content); and the `cullings` row
//! points at the culling protocol that lists what went.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::comments::parse_enum;
use super::{ActionState, AuditEvent, Store, StoreError, parse_opt_ts, parse_ts, ts};
use crate::domain::{Category, ModerationAction};

/// What a legal hold covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldScope {
    /// Every comment on one account (subject: the account key).
    Account,
    /// Every version of one comment (subject: the platform comment id).
    Comment,
}

impl HoldScope {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldScope::Account => "account",
            HoldScope::Comment => "comment",
        }
    }
}

/// A legal hold as stored: it stops culling until released.
#[derive(Debug, Clone, PartialEq)]
pub struct LegalHold {
    /// Row id.
    pub id: i64,
    /// Account or comment.
    pub scope: HoldScope,
    /// The account key or platform comment id.
    pub subject: String,
    /// Why (a case number, a court order).
    pub reason: String,
    /// Who placed it.
    pub placed_by: String,
    /// When.
    pub placed_at: DateTime<Utc>,
    /// When it was released, if it was.
    pub released_at: Option<DateTime<Utc>>,
}

/// A comment version that retention may cull, with what the rules need.
#[derive(Debug, Clone, PartialEq)]
pub struct CullCandidate {
    /// Row id of the comment version.
    pub id: i64,
    /// The account's configured key.
    pub account_key: String,
    /// The platform's comment id.
    pub platform_comment_id: String,
    /// When the comment was written (retention counts from here).
    pub created_at: DateTime<Utc>,
    /// What the service decided.
    pub action: Option<ModerationAction>,
    /// Whether a hide or delete was carried out (or dry-run).
    pub removed: bool,
    /// The evidence record's path.
    pub record_path: String,
    /// The evidence record's hash.
    pub record_sha256: String,
    /// Categories of the comment's findings.
    pub categories: Vec<Category>,
}

/// The database side of one culling.
#[derive(Debug, Clone)]
pub struct NewCulling<'a> {
    /// Comment version rows to delete.
    pub comment_ids: &'a [i64],
    /// Who culled.
    pub culled_by: &'a str,
    /// When.
    pub culled_at: DateTime<Utc>,
    /// The culling protocol's path in the archive.
    pub protocol_path: &'a str,
    /// The culling protocol's hash.
    pub protocol_sha256: &'a str,
}

/// A recorded culling.
#[derive(Debug, Clone, PartialEq)]
pub struct CullingRow {
    /// Row id.
    pub id: i64,
    /// When.
    pub culled_at: DateTime<Utc>,
    /// Who.
    pub culled_by: String,
    /// The protocol in the archive.
    pub protocol_path: String,
    /// The protocol's hash.
    pub protocol_sha256: String,
    /// How many records it culled.
    pub records: i64,
}

/// Any recorded platform action, including a moderator's unhide, which is
/// not a [`ModerationAction`] the policy can decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAction {
    /// Row id.
    pub id: i64,
    /// The comment version.
    pub comment_id: i64,
    /// `hide`, `delete` or `unhide`.
    pub kind: String,
    /// Where it stands.
    pub state: ActionState,
    /// Calls made.
    pub attempts: i64,
    /// The last error.
    pub last_error: Option<String>,
}

/// The kind stored for a moderator's restoration.
pub const UNHIDE_KIND: &str = "unhide";

/// One removed comment for the registry office's register.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedContent {
    /// When the removal was carried out (or recorded, in dry-run).
    pub at: DateTime<Utc>,
    /// The account key.
    pub account_key: String,
    /// The platform's comment id.
    pub platform_comment_id: String,
    /// The comment version's row id.
    pub comment_row: i64,
    /// Hide or delete.
    pub action: ModerationAction,
    /// Done or dry-run.
    pub state: ActionState,
    /// The evidence record's hash.
    pub record_sha256: Option<String>,
    /// Categories of its findings, without repeats.
    pub categories: Vec<Category>,
    /// Legal bases of its findings, without repeats.
    pub legal_bases: Vec<String>,
    /// References of its tickets.
    pub ticket_references: Vec<String>,
}

fn legal_hold(r: &AnyRow) -> Result<LegalHold, StoreError> {
    Ok(LegalHold {
        id: r.try_get("id")?,
        scope: parse_enum(&r.try_get::<String, _>("scope")?)?,
        subject: r.try_get("subject")?,
        reason: r.try_get("reason")?,
        placed_by: r.try_get("placed_by")?,
        placed_at: parse_ts(&r.try_get::<String, _>("placed_at")?)?,
        released_at: parse_opt_ts(r.try_get("released_at")?)?,
    })
}

impl Store {
    /// Places a legal hold and audits it, in one transaction.
    pub async fn place_legal_hold(
        &self,
        scope: HoldScope,
        subject: &str,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(
            "INSERT INTO legal_holds (scope, subject, reason, placed_by, placed_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(scope.as_str())
        .bind(subject)
        .bind(reason)
        .bind(by)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let event = AuditEvent {
            actor: by.to_string(),
            event: "legal_hold.placed".to_string(),
            subject: Some(subject.to_string()),
            detail: serde_json::json!({"hold_id": id, "scope": scope.as_str(), "reason": reason}),
        };
        super::audit::insert_event(&mut *tx, &event, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Releases every active hold on a subject and audits it; returns how
    /// many were released (0: there was none).
    pub async fn release_legal_hold(
        &self,
        scope: HoldScope,
        subject: &str,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool().begin().await?;
        let released = sqlx::query(
            "UPDATE legal_holds SET released_by = $1, released_at = $2, release_reason = $3
             WHERE scope = $4 AND subject = $5 AND released_at IS NULL",
        )
        .bind(by)
        .bind(ts(now))
        .bind(reason)
        .bind(scope.as_str())
        .bind(subject)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if released > 0 {
            let event = AuditEvent {
                actor: by.to_string(),
                event: "legal_hold.released".to_string(),
                subject: Some(subject.to_string()),
                detail: serde_json::json!({"scope": scope.as_str(), "reason": reason,
                                           "released": released}),
            };
            super::audit::insert_event(&mut *tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(released)
    }

    /// Holds not yet released, oldest first.
    pub async fn active_legal_holds(&self) -> Result<Vec<LegalHold>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, scope, subject, reason, placed_by, placed_at, released_at
             FROM legal_holds WHERE released_at IS NULL ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(legal_hold).collect()
    }

    /// Archived comment versions written before `created_before`, oldest
    /// first: the only ones any retention rule can have run out for.
    pub async fn cull_candidates(
        &self,
        created_before: DateTime<Utc>,
    ) -> Result<Vec<CullCandidate>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, a.key AS account_key, c.platform_comment_id, c.created_at, c.action,
                 c.record_path, c.record_sha256,
                 (SELECT COUNT(*) FROM actions x WHERE x.comment_id = c.id
                     AND x.kind IN ('hide', 'delete') AND x.state IN ('done', 'dry_run')) AS removals
             FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.record_path IS NOT NULL AND c.record_sha256 IS NOT NULL AND c.created_at < $1
             ORDER BY c.created_at, c.id",
        )
        .bind(ts(created_before))
        .fetch_all(self.pool())
        .await?;
        let mut categories = self.categories_before(created_before).await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let action: Option<String> = r.try_get("action")?;
                Ok(CullCandidate {
                    id,
                    account_key: r.try_get("account_key")?,
                    platform_comment_id: r.try_get("platform_comment_id")?,
                    created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
                    action: action.as_deref().map(parse_enum).transpose()?,
                    removed: r.try_get::<i64, _>("removals")? > 0,
                    record_path: r.try_get("record_path")?,
                    record_sha256: r.try_get("record_sha256")?,
                    categories: categories.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Finding categories per comment version written before a time.
    async fn categories_before(
        &self,
        created_before: DateTime<Utc>,
    ) -> Result<HashMap<i64, Vec<Category>>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.comment_id, f.category FROM findings f JOIN comments c ON c.id = f.comment_id
             WHERE c.created_at < $1 ORDER BY f.id",
        )
        .bind(ts(created_before))
        .fetch_all(self.pool())
        .await?;
        let mut out: HashMap<i64, Vec<Category>> = HashMap::new();
        for r in &rows {
            let category: Category = parse_enum(&r.try_get::<String, _>("category")?)?;
            let list = out.entry(r.try_get("comment_id")?).or_default();
            if !list.contains(&category) {
                list.push(category);
            }
        }
        Ok(out)
    }

    /// Deletes culled comment versions with their findings and actions,
    /// unlinks their tickets, and records the culling and its audit event,
    /// all in one transaction.
    pub async fn record_culling(&self, culling: &NewCulling<'_>) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await?;
        for id in culling.comment_ids {
            for sql in [
                "DELETE FROM findings WHERE comment_id = $1",
                "DELETE FROM actions WHERE comment_id = $1",
                "UPDATE tickets SET comment_id = NULL WHERE comment_id = $1",
                "DELETE FROM comments WHERE id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut *tx).await?;
            }
        }
        let row = sqlx::query(
            "INSERT INTO cullings (culled_at, culled_by, protocol_path, protocol_sha256, records)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(ts(culling.culled_at))
        .bind(culling.culled_by)
        .bind(culling.protocol_path)
        .bind(culling.protocol_sha256)
        .bind(i64::try_from(culling.comment_ids.len()).unwrap_or(i64::MAX))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let event = AuditEvent {
            actor: culling.culled_by.to_string(),
            event: "archive.culled".to_string(),
            subject: Some(culling.protocol_path.to_string()),
            detail: serde_json::json!({"culling_id": id, "records": culling.comment_ids.len(),
                                       "protocol_sha256": culling.protocol_sha256}),
        };
        super::audit::insert_event(&mut *tx, &event, culling.culled_at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every recorded culling, oldest first.
    pub async fn cullings(&self) -> Result<Vec<CullingRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, culled_at, culled_by, protocol_path, protocol_sha256, records
             FROM cullings ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CullingRow {
                    id: r.try_get("id")?,
                    culled_at: parse_ts(&r.try_get::<String, _>("culled_at")?)?,
                    culled_by: r.try_get("culled_by")?,
                    protocol_path: r.try_get("protocol_path")?,
                    protocol_sha256: r.try_get("protocol_sha256")?,
                    records: r.try_get("records")?,
                })
            })
            .collect()
    }

    /// Records the intent to unhide a comment version, before the platform
    /// call; a repeated restoration re-opens the same row. Returns its id.
    pub async fn begin_unhide(
        &self,
        comment_id: i64,
        record_path: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO actions (comment_id, kind, state, record_path, attempts, created_at, updated_at)
             VALUES ($1, $2, 'in_flight', $3, 1, $4, $4)
             ON CONFLICT (comment_id, kind) DO UPDATE SET state = 'in_flight',
                 attempts = actions.attempts + 1, last_error = NULL, updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(comment_id)
        .bind(UNHIDE_KIND)
        .bind(record_path)
        .bind(ts(now))
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Every action on a comment version, whatever its kind, oldest first.
    pub async fn recorded_actions(
        &self,
        comment_id: i64,
    ) -> Result<Vec<RecordedAction>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, comment_id, kind, state, attempts, last_error FROM actions
             WHERE comment_id = $1 ORDER BY id",
        )
        .bind(comment_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RecordedAction {
                    id: r.try_get("id")?,
                    comment_id: r.try_get("comment_id")?,
                    kind: r.try_get("kind")?,
                    state: parse_enum(&r.try_get::<String, _>("state")?)?,
                    attempts: r.try_get("attempts")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// Closes the removal tickets (registration, police-report
    /// consideration) of a comment version with a resolution; returns how
    /// many were closed.
    pub async fn resolve_removal_tickets(
        &self,
        comment_id: i64,
        resolution: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE tickets SET state = 'done', close_note = $1, closed_by = $4, closed_at = $2,
                 updated_at = $2
             WHERE comment_id = $3 AND state <> 'done'
               AND kind IN ('removed_content_registration', 'police_report_consideration')",
        )
        .bind(resolution)
        .bind(ts(now))
        .bind(comment_id)
        .bind(by)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Comments hidden or deleted (or so recorded in dry-run) in
    /// `[from, to)`, oldest first, for the registry office's register.
    pub async fn removed_content(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RemovedContent>, StoreError> {
        let rows = sqlx::query(
            "SELECT x.updated_at, x.kind, x.state, a.key AS account_key, c.platform_comment_id,
                 c.id AS comment_row, c.record_sha256
             FROM actions x JOIN comments c ON c.id = x.comment_id
                 JOIN accounts a ON a.id = c.account_id
             WHERE x.kind IN ('hide', 'delete') AND x.state IN ('done', 'dry_run')
               AND x.updated_at >= $1 AND x.updated_at < $2
             ORDER BY x.updated_at, x.id",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let comment_row: i64 = r.try_get("comment_row")?;
            let findings = self.findings(comment_row).await?;
            let mut categories = Vec::new();
            let mut legal_bases = Vec::new();
            for f in findings {
                if !categories.contains(&f.category) {
                    categories.push(f.category);
                }
                if !legal_bases.contains(&f.legal_basis) {
                    legal_bases.push(f.legal_basis);
                }
            }
            out.push(RemovedContent {
                at: parse_ts(&r.try_get::<String, _>("updated_at")?)?,
                account_key: r.try_get("account_key")?,
                platform_comment_id: r.try_get("platform_comment_id")?,
                comment_row,
                action: parse_enum(&r.try_get::<String, _>("kind")?)?,
                state: parse_enum(&r.try_get::<String, _>("state")?)?,
                record_sha256: r.try_get("record_sha256")?,
                categories,
                legal_bases,
                ticket_references: self.ticket_references(comment_row).await?,
            });
        }
        Ok(out)
    }

    /// References of the tickets on a comment version.
    async fn ticket_references(&self, comment_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT reference FROM tickets WHERE comment_id = $1 ORDER BY id")
            .bind(comment_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| r.try_get("reference").map_err(StoreError::from))
            .collect()
    }
}
