//! The indexes of migration 0015 serve the queries they were made for:
//! each database's planner is asked about the very text the store runs.
//! With a year of history (800 accounts, about ten million comment
//! versions) a full scan made the per-run digest and the open-ticket
//! list slow.

use kommentarsvakt::store::{run_new_comment_counts_sql, tickets_sql};
use sqlx::Connection;

/// SQLite's plan for `sql`, one line per step.
async fn sqlite_plan(url: &str, sql: &str) -> String {
    let mut conn = sqlx::sqlite::SqliteConnection::connect(url).await.unwrap();
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(&mut conn)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(_, _, _, detail)| detail)
        .collect::<Vec<_>>()
        .join("\n")
}

/// PostgreSQL's plan for `sql` with `args` for its parameters. Sequential
/// scans are discouraged, since a test's few rows would make any table
/// cheap to read whole: the plan shows whether the index can serve.
async fn postgres_plan(url: &str, sql: &str, args: &str) -> String {
    let mut conn = sqlx::postgres::PgConnection::connect(url).await.unwrap();
    sqlx::raw_sql("SET enable_seqscan = off")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PREPARE planned AS {sql}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let explain = if args.is_empty() {
        "EXPLAIN EXECUTE planned".to_string()
    } else {
        format!("EXPLAIN EXECUTE planned({args})")
    };
    let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(explain))
        .fetch_all(&mut conn)
        .await
        .unwrap();
    rows.into_iter()
        .map(|(line,)| line)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn sqlite_counts_a_runs_new_comments_and_lists_open_tickets_through_their_indexes() {
    let db = crate::support::db::sqlite().await;
    let counts = sqlite_plan(&db.url, &run_new_comment_counts_sql(&[41, 42])).await;
    assert!(
        counts.contains("SEARCH comments USING INDEX comments_run (run_id=?)"),
        "{counts}"
    );

    let open = sqlite_plan(&db.url, &tickets_sql(false)).await;
    assert!(
        open.contains("SCAN t USING INDEX tickets_open")
            || open.contains("SCAN t USING COVERING INDEX tickets_open"),
        "{open}"
    );
    assert!(!open.contains("USE TEMP B-TREE FOR ORDER BY"), "{open}");
}

#[tokio::test]
async fn postgres_counts_a_runs_new_comments_and_lists_open_tickets_through_their_indexes() {
    let Some(db) = crate::support::db::postgres().await else {
        return;
    };
    let counts = postgres_plan(&db.url, &run_new_comment_counts_sql(&[41, 42]), "").await;
    assert!(counts.contains("comments_run"), "{counts}");

    let open = postgres_plan(&db.url, &tickets_sql(false), "'', ''").await;
    assert!(open.contains("tickets_open"), "{open}");
    db.store.close().await;
}
