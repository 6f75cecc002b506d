//! Platform actions: the intent is recorded before the call and the outcome
//! after, so that after a crash nothing is called twice and nothing is
//! forgotten.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::comments::{DecisionRecord, enum_name, parse_enum};
use super::{Store, StoreError, ts};
use crate::decide::ModerationAction;

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
        kind: parse_enum(&r.try_get::<String, _>("kind")?)?,
        state: parse_enum(&r.try_get::<String, _>("state")?)?,
        record_path: r.try_get("record_path")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
    })
}

const ACTION_COLUMNS: &str = "id, comment_id, kind, state, record_path, attempts, last_error";

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
