//! Monitoring runs and their per-account outcomes: the city's proof that
//! monitoring happened three times a day (and more often in a crisis).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::comments::enum_name;
use super::{NewOutboxItem, Store, StoreError, parse_opt_ts, ts};

/// Why a run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunTrigger {
    /// A scheduled office-hours slot.
    Slot,
    /// A slot missed while the service was down, run at start-up.
    CatchUp,
    /// Crisis mode's interval.
    Crisis,
    /// `poll-once` or the demo.
    Manual,
}

/// How polling one account went in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountOutcome {
    /// The account's row id.
    pub account_id: i64,
    /// `ok` or `failed`.
    pub outcome: String,
    /// The error kind when failed (`unauthorized`, `rate_limited`, …).
    pub error_kind: Option<String>,
    /// The error message when failed (never a token).
    pub error_detail: Option<String>,
    /// Posts looked at.
    pub posts_seen: i64,
    /// New comment versions stored.
    pub comments_new: i64,
    /// When polling the account started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
}

impl Store {
    /// Opens a run record.
    pub async fn begin_run(
        &self,
        trigger: RunTrigger,
        slot_at: Option<DateTime<Utc>>,
        crisis: bool,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        // Only one process runs the pipeline on a database at a time (the
        // leadership lock), so a run still marked running belongs to a
        // process that died: it is recognised as interrupted, and what it
        // decided goes into this run's digest.
        let interrupted = sqlx::query(
            "UPDATE poll_runs SET status = 'interrupted', finished_at = $1 WHERE status = 'running'",
        )
        .bind(ts(now))
        .execute(self.pool())
        .await?
        .rows_affected();
        if interrupted > 0 {
            tracing::warn!(
                runs = interrupted,
                "Monitoring runs left running by a process that died are marked interrupted"
            );
        }
        let row = sqlx::query(
            "INSERT INTO poll_runs (trigger, slot_at, started_at, crisis) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(enum_name(&trigger))
        .bind(slot_at.map(ts))
        .bind(ts(now))
        .bind(i64::from(crisis))
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Records how one account went.
    pub async fn record_account_outcome(
        &self,
        run_id: i64,
        o: &AccountOutcome,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO poll_run_accounts (run_id, account_id, outcome, error_kind, error_detail,
                 posts_seen, comments_new, started_at, finished_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(run_id)
        .bind(o.account_id)
        .bind(&o.outcome)
        .bind(o.error_kind.as_deref())
        .bind(o.error_detail.as_deref())
        .bind(o.posts_seen)
        .bind(o.comments_new)
        .bind(ts(o.started_at))
        .bind(ts(o.finished_at))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Closes a run record (`completed`, or `partial` when an account failed).
    pub async fn finish_run(
        &self,
        run_id: i64,
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE poll_runs SET finished_at = $1, status = $2 WHERE id = $3")
            .bind(ts(now))
            .bind(status)
            .bind(run_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Interrupted runs whose decisions no digest has covered yet.
    pub async fn undigested_interrupted_runs(&self) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM poll_runs WHERE status = 'interrupted' AND digest_queued_at IS NULL
             ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get("id")?))
            .collect::<Result<_, StoreError>>()
    }

    /// Starts queueing a run's digests: they and the mark on the runs they
    /// cover (interrupted ones included) are one transaction, so a crash
    /// queues all or none and no decision is listed in two digests.
    pub async fn begin_digests(&self) -> Result<DigestBatch, StoreError> {
        Ok(DigestBatch {
            tx: self.pool().begin().await?,
            queued: 0,
        })
    }

    /// The scheduled slot of the latest finished run, to detect a missed one.
    pub async fn last_finished_slot(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row = sqlx::query(
            "SELECT MAX(COALESCE(slot_at, started_at)) AS last FROM poll_runs WHERE finished_at IS NOT NULL",
        )
        .fetch_one(self.pool())
        .await?;
        parse_opt_ts(row.try_get("last")?)
    }

    /// Outcomes of one run, per account.
    pub async fn run_outcomes(&self, run_id: i64) -> Result<Vec<AccountOutcome>, StoreError> {
        let rows = sqlx::query(
            "SELECT account_id, outcome, error_kind, error_detail, posts_seen, comments_new, started_at, finished_at
             FROM poll_run_accounts WHERE run_id = $1 ORDER BY account_id",
        )
        .bind(run_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AccountOutcome {
                    account_id: r.try_get("account_id")?,
                    outcome: r.try_get("outcome")?,
                    error_kind: r.try_get("error_kind")?,
                    error_detail: r.try_get("error_detail")?,
                    posts_seen: r.try_get("posts_seen")?,
                    comments_new: r.try_get("comments_new")?,
                    started_at: super::parse_ts(&r.try_get::<String, _>("started_at")?)?,
                    finished_at: super::parse_ts(&r.try_get::<String, _>("finished_at")?)?,
                })
            })
            .collect()
    }
}

/// A monitoring run as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    /// Row id.
    pub id: i64,
    /// Why it ran.
    pub trigger: RunTrigger,
    /// The slot it served, if scheduled.
    pub slot_at: Option<DateTime<Utc>>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Whether crisis mode was on.
    pub crisis: bool,
    /// `running`, `completed` or `partial`.
    pub status: String,
}

impl Store {
    /// Runs, oldest first, started at or after `since`.
    pub async fn runs_since(&self, since: DateTime<Utc>) -> Result<Vec<RunRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, trigger, slot_at, started_at, crisis, status FROM poll_runs
             WHERE started_at >= $1 ORDER BY id",
        )
        .bind(ts(since))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RunRow {
                    id: r.try_get("id")?,
                    trigger: super::comments::parse_enum(&r.try_get::<String, _>("trigger")?)?,
                    slot_at: parse_opt_ts(r.try_get("slot_at")?)?,
                    started_at: super::parse_ts(&r.try_get::<String, _>("started_at")?)?,
                    crisis: r.try_get::<i64, _>("crisis")? != 0,
                    status: r.try_get("status")?,
                })
            })
            .collect()
    }
}

/// A run's digests being queued, one mail at a time, in one transaction
/// ([`Store::begin_digests`]); nothing is queued unless it is finished.
pub struct DigestBatch {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    queued: usize,
}

impl DigestBatch {
    /// Adds one digest (an existing idempotency key is left as it is).
    pub async fn queue(
        &mut self,
        mail: &NewOutboxItem,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.queued +=
            super::outbox::insert_items(&mut self.tx, std::slice::from_ref(mail), now).await?;
        Ok(())
    }

    /// Marks the runs as digested and commits; returns the digests queued.
    pub async fn finish(
        mut self,
        run_ids: &[i64],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        for id in run_ids {
            sqlx::query("UPDATE poll_runs SET digest_queued_at = $1 WHERE id = $2")
                .bind(ts(now))
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        Ok(self.queued)
    }
}
