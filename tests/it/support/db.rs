//! Test databases: a fresh SQLite file, or a fresh database on the
//! PostgreSQL server named by `KOMMENTARSVAKT_TEST_POSTGRES`.

use std::sync::atomic::{AtomicUsize, Ordering};

use kommentarsvakt::store::Store;
use sqlx::Connection;
use tempfile::TempDir;

/// A store and whatever keeps it alive.
pub struct TestDb {
    pub store: Store,
    /// The database's URL, for a service started on it.
    pub url: String,
    _dir: Option<TempDir>,
}

/// A fresh SQLite database in a temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/nested/kv.db", dir.path().display());
    let store = Store::connect(&url).await.expect("sqlite store");
    TestDb {
        store,
        url,
        _dir: Some(dir),
    }
}

/// The PostgreSQL server URL, or `None` with a printed reason. When
/// `KOMMENTARSVAKT_REQUIRE_POSTGRES` is set (CI), a missing server fails.
pub fn postgres_url() -> Option<String> {
    match std::env::var("KOMMENTARSVAKT_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("KOMMENTARSVAKT_REQUIRE_POSTGRES").is_none(),
                "KOMMENTARSVAKT_REQUIRE_POSTGRES is set but KOMMENTARSVAKT_TEST_POSTGRES is not"
            );
            super::skip(
                "no PostgreSQL server; set KOMMENTARSVAKT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres \
                 (bash .ci/setup-postgres starts one) to run the PostgreSQL tests",
            );
            None
        }
    }
}

/// A fresh database on the PostgreSQL server, or `None` (skipped).
pub async fn postgres() -> Option<TestDb> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let base = postgres_url()?;
    let name = format!(
        "kv_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    );
    let mut admin = sqlx::postgres::PgConnection::connect(&base)
        .await
        .expect("PostgreSQL server named by KOMMENTARSVAKT_TEST_POSTGRES is not reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let url = match base.rfind('/') {
        Some(i) if base[..i].contains("://") && i > base.find("://").unwrap_or(0) + 2 => {
            format!("{}/{name}", &base[..i])
        }
        _ => format!("{base}/{name}"),
    };
    let store = Store::connect(&url).await.expect("postgres store");
    Some(TestDb {
        store,
        url,
        _dir: None,
    })
}

/// Runs each named `async fn(Store)` as two tests, `sqlite::NAME` and
/// `postgres::NAME`: one store contract for both back ends.
macro_rules! store_contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name(crate::support::db::sqlite().await.store).await; })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                let Some(db) = crate::support::db::postgres().await else { return };
                super::$name(db.store).await;
            })*
        }
    };
}
pub(crate) use store_contract;
