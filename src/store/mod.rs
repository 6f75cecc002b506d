//! The store: every comment version, poll run, finding, action, ticket,
//! outbox item and audit event, over SQLite (the embedded default) or
//! PostgreSQL (several instances), with one set of queries.
//!
//! Queries are written once with `$n` placeholders and run through sqlx's
//! `Any` driver, which both back ends understand; the schema differs only in
//! column types, so `migrations/sqlite` and `migrations/postgres` are kept in
//! step and one contract test suite runs on both. Times are stored as UTC
//! RFC 3339 text with fixed precision, so they compare correctly as text.

mod accounts;
mod actions;
mod activity;
mod anchors;
mod audit;
mod budgets;
mod checks;
mod closings;
mod comments;
mod digest;
pub mod leader;
mod listings;
mod outbox;
mod records;
mod review;
mod runs;
mod sessions;
mod tally;
mod tickets;

use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;

pub use actions::{ActionNotices, ActionRow, ActionState, Notified, Settlement, Verification};
pub use activity::{OwnPost, PostText, ReceivedComment, ReviewTiming, WeekBounds, WeeklyCounts};
pub use anchors::ChainAnchor;
pub use audit::AuditEvent;
pub use budgets::{APP_SUBJECT, RateBudgetRow};
pub use checks::{CheckFindingSpan, OpenCheckFinding};
pub use closings::AccountClosing;
pub use comments::{CallHarvest, DecisionRecord, NewVersion, StoredComment};
pub use digest::{FlaggedComment, run_new_comment_counts_sql};
pub use listings::{QuarantineItem, QuarantinedRow};
pub use outbox::{NewOutboxItem, OutboxBacklog, OutboxItem, OutboxState};
pub use records::{
    CullCandidate, CullingRow, HoldScope, LegalHold, NewCulling, RecordedAction, RemovedContent,
    UNHIDE_KIND,
};
pub use review::{
    DecisionClaim, LogEntry, LogFilter, ModeratorDecisionRow, NewModeratorDecision, QueueFilter,
    SETTLING_DECISIONS,
};
pub use runs::{AccountOutcome, DigestBatch, RunRow, RunTrigger};
pub use sessions::SessionRow;
pub use tally::AccountTally;
pub use tickets::{
    AnsweredQuestion, NewTicket, TicketChange, TicketFilter, TicketRow, tickets_sql,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one the service supports.
    #[error("unsupported database URL (expected sqlite:… or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// The database could not be reached or answered with an error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be interpreted.
    #[error("stored value is invalid: {0}")]
    Invalid(String),
    /// The directory for the SQLite file could not be created.
    #[error("cannot create the database directory {path}: {source}")]
    Directory {
        /// The directory.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// Page cache per SQLite connection, in KiB (SQLite's default is 2,000).
/// The service's queries go by index and the operating system caches the
/// file anyway; a smaller cache per connection keeps the resident memory of
/// a run from growing with the database (issue 12).
const SQLITE_PAGE_CACHE_KIB: u32 = 1024;

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A local SQLite file (embedded default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects, creating a SQLite file and its directory on first run, and
    /// brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        let pragma = format!("PRAGMA cache_size = -{SQLITE_PAGE_CACHE_KIB}");
                        sqlx::Executor::execute(conn, sqlx::AssertSqlSafe(pragma)).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let store = Self { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                // WAL lets readers (CLI commands) work while the daemon writes;
                // the setting is stored in the file.
                sqlx::query("PRAGMA journal_mode=WAL")
                    .execute(&self.pool)
                    .await?;
                SQLITE_MIGRATIONS.run(&self.pool).await?;
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that writes. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`): a deferred transaction that reads first
    /// and writes later can fail with "database is locked" without waiting
    /// when another connection wrote in between; waiting up front is
    /// covered by the busy timeout instead.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}

/// Adds `mode=rwc` so the file is created, and creates its directory.
fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let path_part = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let file = path_part.split('?').next().unwrap_or_default();
    if !file.is_empty()
        && file != ":memory:"
        && let Some(dir) = Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
            path: dir.display().to_string(),
            source,
        })?;
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// A time as stored: UTC, microseconds, `Z` (sorts correctly as text).
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses a stored time.
pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Invalid(format!("time {s:?}: {e}")))
}

/// Parses an optional stored time.
pub(crate) fn parse_opt_ts(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.as_deref().map(parse_ts).transpose()
}

/// What a decision causes, written in the same transaction as the decision.
#[derive(Debug, Clone, Default)]
pub struct Followups {
    /// Platform actions to carry out (hide, delete).
    pub actions: Vec<crate::domain::ModerationAction>,
    /// Tickets to open.
    pub tickets: Vec<NewTicket>,
    /// E-mails and deliveries to send.
    pub outbox: Vec<outbox::NewOutboxItem>,
    /// Audit events.
    pub audit: Vec<AuditEvent>,
}
