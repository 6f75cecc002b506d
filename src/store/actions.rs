//! Platform actions: the intent is recorded before the call and the outcome
//! after, so that after a crash nothing is called twice and nothing is
//! forgotten.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::comments::{DecisionRecord, enum_name, parse_enum};
use super::{Store, StoreError, ts};
use crate::domain::ModerationAction;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionState {
    /// Decided, not yet attempted.
    Pending,
    /// The call was started; its outcome is not recorded yet.
    InFlight,
    /// The platform confirmed it (or the comment was already gone).
    Done,
    /// Dry-run mode: everything but the platform call was done.
    DryRun,
    /// Retried until giving up, or refused for good; a person must look.
    Failed,
}

/// One recorded action.
#[derive(Debug, Clone)]
pub struct ActionRow {
    /// Row id.
    pub id: i64,
    /// The comment version it acts on.
    pub comment_id: i64,
    /// The account the comment was written on.
    pub account_id: i64,
    /// The platform's id of the comment.
    pub platform_comment_id: String,
    /// Hide or delete.
    pub kind: ModerationAction,
    /// Where it stands.
    pub state: ActionState,
    /// The evidence record that allows it.
    pub record_path: String,
    /// Calls made so far.
    pub attempts: i64,
    /// The last error, for people.
    pub last_error: Option<String>,
    /// The platform error kind of the last attempt (`unauthorized`,
    /// `malformed` …), which says whether a person must act.
    pub error_kind: Option<String>,
    /// How the outcome is known (see [`Verification`]).
    pub verified_by: Option<Verification>,
    /// What the people concerned have been told so far.
    pub notified: Option<Notified>,
}

/// How the outcome of an action is known. An archivist reading the record
/// later can tell a confirmed hide from one the service could only assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// The platform's reply to the call confirmed it.
    Reply,
    /// The comment's state was read on the platform (after a crash or a
    /// malformed reply) and showed the action in effect.
    ReadBack,
    /// The platform cannot tell a comment's state; the call was made again
    /// and its reply is all there is.
    Unverifiable,
}

/// What the people concerned have been told of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notified {
    /// That the action failed and the comment is still public.
    Visible,
    /// The outcome (done, or documented only in a dry run).
    Settled,
}

/// The recorded outcome of one attempt at an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement<'a> {
    /// Where the action stands now.
    pub state: ActionState,
    /// The error of the attempt, for people (never a token).
    pub error: Option<&'a str>,
    /// The error's kind, for deciding who must act.
    pub error_kind: Option<&'a str>,
    /// How a done action is known to be done.
    pub verified_by: Option<Verification>,
    /// The run in which it was settled, for that run's digest.
    pub run_id: Option<i64>,
}

/// Error kinds of a failed attempt that no retry will fix until a person
/// acts (renews a token, grants a permission, repairs the evidence): the
/// comment stays public meanwhile, so people are told at once rather than
/// after the last retry.
const PERSON_NEEDED_SQL: &str = "'unauthorized', 'permanent', 'unsupported', 'evidence'";

/// What the people concerned are told of some actions' outcomes, written
/// in one transaction with the marks that they were told.
#[derive(Debug, Clone, Default)]
pub struct ActionNotices {
    /// Action ids and what has now been told of each.
    pub notified: Vec<(i64, Notified)>,
    /// E-mails (and ticket deliveries) that tell them.
    pub outbox: Vec<super::NewOutboxItem>,
    /// Tickets that follow from an outcome (registration of a removal).
    pub tickets: Vec<super::NewTicket>,
    /// Audit events.
    pub audit: Vec<super::AuditEvent>,
}

pub(super) async fn insert_actions(
    tx: &mut Transaction<'_, Any>,
    decision: &DecisionRecord<'_>,
    kinds: &[ModerationAction],
) -> Result<(), StoreError> {
    for kind in kinds {
        sqlx::query(
            "INSERT INTO actions (comment_id, kind, state, record_path, created_at, updated_at)
             VALUES ($1, $2, 'pending', $3, $4, $4)
             ON CONFLICT (comment_id, kind) DO NOTHING",
        )
        .bind(decision.comment_id)
        .bind(enum_name(kind))
        .bind(decision.record_path)
        .bind(ts(decision.decided_at))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn action_row(r: &AnyRow) -> Result<ActionRow, StoreError> {
    Ok(ActionRow {
        id: r.try_get("id")?,
        comment_id: r.try_get("comment_id")?,
        account_id: r.try_get("account_id")?,
        platform_comment_id: r.try_get("platform_comment_id")?,
        kind: parse_enum(&r.try_get::<String, _>("kind")?)?,
        state: parse_enum(&r.try_get::<String, _>("state")?)?,
        record_path: r.try_get("record_path")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        error_kind: r.try_get("error_kind")?,
        verified_by: optional_enum(r.try_get("verified_by")?)?,
        notified: optional_enum(r.try_get("notified")?)?,
    })
}

fn optional_enum<T: serde::de::DeserializeOwned>(
    value: Option<String>,
) -> Result<Option<T>, StoreError> {
    value.as_deref().map(parse_enum).transpose()
}

const ACTION_COLUMNS: &str = "id, comment_id, kind, state, record_path, attempts, last_error, \
     error_kind, verified_by, notified, \
     (SELECT c.account_id FROM comments c WHERE c.id = actions.comment_id) AS account_id, \
     (SELECT c.platform_comment_id FROM comments c WHERE c.id = actions.comment_id) \
     AS platform_comment_id";

impl Store {
    /// Actions that still need a platform call: pending ones, and in-flight
    /// ones whose outcome a crash left unrecorded. A moderator's unhide is
    /// carried out by the command that records it, never by the pipeline.
    pub async fn open_actions(&self) -> Result<Vec<ActionRow>, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE state IN ('pending', 'in_flight') AND kind IN ('hide', 'delete') ORDER BY id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(action_row).collect()
    }

    /// One page of [`Store::open_actions`], in id order after `after_id`,
    /// so a backlog of open actions is never held in memory at once.
    pub async fn open_actions_page(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<ActionRow>, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE state IN ('pending', 'in_flight') \
             AND kind IN ('hide', 'delete') AND id > $1 ORDER BY id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after_id)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(action_row).collect()
    }

    /// Hides and deletes whose outcome people have not been told yet, oldest
    /// first: settled ones (done, dry run) not yet reported as such, and
    /// failed ones — given up, or waiting on something only a person can
    /// fix (`PERSON_NEEDED_SQL`) — not yet reported as still visible.
    pub async fn unnotified_actions(&self, limit: i64) -> Result<Vec<ActionRow>, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE kind IN ('hide', 'delete') AND (
                 (state IN ('done', 'dry_run') AND (notified IS NULL OR notified <> 'settled'))
              OR (notified IS NULL AND (state = 'failed'
                  OR (state = 'pending' AND error_kind IN ({PERSON_NEEDED_SQL}))))
             ) ORDER BY id LIMIT $1"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(action_row).collect()
    }

    /// Records what people were told of some actions together with the
    /// e-mails and tickets that tell them, in one transaction: a crash
    /// leaves either all of it or none, so every outcome is told once.
    pub async fn record_notices(
        &self,
        notices: &ActionNotices,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        for (id, notified) in &notices.notified {
            sqlx::query("UPDATE actions SET notified = $1 WHERE id = $2")
                .bind(enum_name(notified))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        super::tickets::insert_tickets(&mut tx, &notices.tickets, now).await?;
        super::outbox::insert_items(&mut tx, &notices.outbox, now).await?;
        for event in &notices.audit {
            super::audit::insert_event(&mut *tx, event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every hide and delete on a comment version (see
    /// [`Store::recorded_actions`] for unhides too).
    pub async fn actions_for_comment(&self, comment_id: i64) -> Result<Vec<ActionRow>, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE comment_id = $1 AND kind IN ('hide', 'delete') ORDER BY id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(comment_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(action_row).collect()
    }

    /// Records the intent to call the platform, before the call.
    pub async fn mark_action_in_flight(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE actions SET state = 'in_flight', attempts = attempts + 1, updated_at = $1 WHERE id = $2",
        )
        .bind(ts(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records the outcome of an attempt with how it is known.
    pub async fn settle_action(
        &self,
        id: i64,
        settlement: &Settlement<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE actions SET state = $1, last_error = $2, error_kind = $3, verified_by = $4,
                 settled_run_id = COALESCE($5, settled_run_id), updated_at = $6 WHERE id = $7",
        )
        .bind(enum_name(&settlement.state))
        .bind(settlement.error)
        .bind(settlement.error_kind)
        .bind(settlement.verified_by.map(|v| enum_name(&v)))
        .bind(settlement.run_id)
        .bind(ts(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records the outcome of an action.
    pub async fn finish_action(
        &self,
        id: i64,
        state: ActionState,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE actions SET state = $1, last_error = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(enum_name(&state))
        .bind(error)
        .bind(ts(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
