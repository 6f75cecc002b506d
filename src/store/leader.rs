//! One instance at a time runs the monitoring on a database; the others
//! stand by and take over when it dies.
//!
//! Why a leader rather than every instance claiming work: the evidence
//! archive is one hash chain that must stay linear, moderation is bounded
//! by the platforms' rate limits rather than by one machine's capacity, and
//! with one runner every promise of the single-instance service (each
//! comment archived once, each action and e-mail carried out once, runs
//! left `running` are dead) holds unchanged. A standby costs one idle
//! connection and takes over within [`STANDBY_POLL`] of the leader's death.
//!
//! On PostgreSQL the leader holds a session-level advisory lock on a
//! connection of its own; the server releases it when that connection
//! ends, which a crash, `kill -9` or a lost network does. The leader checks
//! the connection every [`HEARTBEAT`] and stops when it is gone, since by
//! then a standby may have taken over. On SQLite, which serves one machine,
//! the leader holds an exclusive `flock` on `<database>.leader`.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tokio_util::sync::CancellationToken;

use super::{Backend, StoreError, backend_of};

/// How often a standby tries to take over.
pub const STANDBY_POLL: Duration = Duration::from_secs(5);
/// How often the leader checks that it still holds the lock.
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// The advisory lock's key: "kommentarsvakt" folded into 63 bits, the same
/// in every instance.
const ADVISORY_KEY: i64 = 0x6b76_6c65_6164_6572;

/// Held while this instance leads; dropping it gives the lead up.
#[derive(Debug)]
pub struct Leadership {
    lost: CancellationToken,
    _hold: Hold,
}

#[derive(Debug)]
enum Hold {
    /// The heartbeat task owns the connection; dropping the guard stops it.
    Postgres { _stop: tokio_util::sync::DropGuard },
    /// The open file carries the `flock`.
    Sqlite { _file: File },
    /// An in-memory database is private to its process.
    Nothing,
}

impl Leadership {
    /// Completes when the lead was lost (the database connection that holds
    /// the lock is gone): the instance must stop acting at once.
    pub async fn lost(&self) {
        self.lost.cancelled().await;
    }

    /// Whether the lead was lost.
    pub fn is_lost(&self) -> bool {
        self.lost.is_cancelled()
    }
}

/// Takes the lead if no other instance has it; `None` while one does.
pub async fn try_lead(database_url: &str) -> Result<Option<Leadership>, StoreError> {
    match backend_of(database_url)? {
        Backend::Postgres => try_lead_postgres(database_url).await,
        Backend::Sqlite => try_lead_sqlite(database_url),
    }
}

/// Waits until this instance leads, trying every [`STANDBY_POLL`]; `None`
/// when `shutdown` comes first. `on_standby` is called once, when another
/// instance is found to lead.
pub async fn wait_for_lead(
    database_url: &str,
    shutdown: &CancellationToken,
    mut on_standby: impl FnMut(),
) -> Result<Option<Leadership>, StoreError> {
    let mut told = false;
    loop {
        if let Some(lead) = try_lead(database_url).await? {
            return Ok(Some(lead));
        }
        if !told {
            on_standby();
            told = true;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(None),
            _ = tokio::time::sleep(STANDBY_POLL) => {}
        }
    }
}

async fn try_lead_postgres(url: &str) -> Result<Option<Leadership>, StoreError> {
    let mut conn = PgConnection::connect(url).await?;
    let (locked,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
        .bind(ADVISORY_KEY)
        .fetch_one(&mut conn)
        .await?;
    if !locked {
        conn.close().await?;
        return Ok(None);
    }
    let lost = CancellationToken::new();
    let stop = CancellationToken::new();
    tokio::spawn(heartbeat(conn, lost.clone(), stop.clone()));
    Ok(Some(Leadership {
        lost,
        _hold: Hold::Postgres {
            _stop: stop.drop_guard(),
        },
    }))
}

/// Keeps the lock's connection alive and says when it is gone.
async fn heartbeat(mut conn: PgConnection, lost: CancellationToken, stop: CancellationToken) {
    loop {
        tokio::select! {
            _ = stop.cancelled() => {
                let _ = conn.close().await;
                return;
            }
            _ = tokio::time::sleep(HEARTBEAT) => {}
        }
        if let Err(e) = sqlx::query("SELECT 1").execute(&mut conn).await {
            tracing::error!(error = %e, "The connection that holds the lead is gone; this instance stops acting");
            lost.cancel();
            return;
        }
    }
}

fn try_lead_sqlite(url: &str) -> Result<Option<Leadership>, StoreError> {
    // Creates the database's directory on a first start.
    super::prepare_sqlite_url(url)?;
    let Some(path) = sqlite_lock_path(url) else {
        return Ok(Some(Leadership {
            lost: CancellationToken::new(),
            _hold: Hold::Nothing,
        }));
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| StoreError::Directory {
            path: path.display().to_string(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Leadership {
            lost: CancellationToken::new(),
            _hold: Hold::Sqlite { _file: file },
        })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Directory {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// `<database file>.leader`, or `None` for an in-memory database.
fn sqlite_lock_path(url: &str) -> Option<PathBuf> {
    let file = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        return None;
    }
    let mut path = PathBuf::from(file).into_os_string();
    path.push(".leader");
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_instance_on_one_sqlite_file_stands_by_until_the_first_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/kv.db", dir.path().display());
        let first = try_lead(&url).await.unwrap().expect("the first leads");
        assert!(try_lead(&url).await.unwrap().is_none());
        drop(first);
        assert!(try_lead(&url).await.unwrap().is_some());
    }

    #[test]
    fn the_lock_file_sits_next_to_the_database() {
        assert_eq!(
            sqlite_lock_path("sqlite:///var/lib/kv/kv.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/kv/kv.db.leader"))
        );
        assert_eq!(sqlite_lock_path("sqlite::memory:"), None);
    }
}
