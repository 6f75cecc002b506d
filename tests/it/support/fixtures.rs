//! Small builders for test data.

use chrono::{DateTime, TimeZone, Utc};
use kommentarsvakt::config::AccountConfig;
use kommentarsvakt::domain::{FetchedComment, PlatformKind};
use kommentarsvakt::store::{AccountOutcome, RunTrigger, Store};
use serde_json::value::RawValue;

/// A fixed moment: Monday 2026-11-23 09:00 UTC.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("valid time")
}

/// A comment as a connector would return it.
pub fn comment(id: &str, text: &str, minutes_after_t0: i64) -> FetchedComment {
    let raw = serde_json::json!({"id": id, "message": text}).to_string();
    FetchedComment {
        platform_id: id.to_string(),
        post_id: "100_1".to_string(),
        parent_id: None,
        author_id: Some("42".to_string()),
        author_name: Some("Test Testsson".to_string()),
        text: text.to_string(),
        created_at: t0() + chrono::Duration::minutes(minutes_after_t0),
        permalink: Some(format!(
            "https://www.facebook.com/100/posts/1?comment_id={id}"
        )),
        is_hidden: false,
        raw: RawValue::from_string(raw).expect("valid JSON"),
    }
}

/// A configured Facebook account `key` of the department
/// `stadsledningskontoret`, pointing at nothing (for store tests).
pub fn account(key: &str) -> AccountConfig {
    AccountConfig {
        name: "Stockholms stad".to_string(),
        department: "stadsledningskontoret".to_string(),
        moderators: vec!["moderator@example.se".to_string()],
        purpose: "Information till stockholmare".to_string(),
        api_base_url: "http://127.0.0.1:1".to_string(),
        ..AccountConfig::new(key, PlatformKind::Facebook, "100")
    }
}

/// Records a monitoring run at `at` that read `account` successfully, as
/// the pipeline does: from then on the service is watching it.
pub async fn read_successfully(store: &Store, account: &AccountConfig, at: DateTime<Utc>) {
    let account_id = store.upsert_account(account, at).await.unwrap();
    let run = store
        .begin_run(RunTrigger::Slot, Some(at), false, at)
        .await
        .unwrap();
    let outcome = AccountOutcome {
        account_id,
        outcome: "ok".to_string(),
        error_kind: None,
        error_detail: None,
        posts_seen: 0,
        comments_new: 0,
        started_at: at,
        finished_at: at + chrono::Duration::minutes(1),
    };
    store.record_account_outcome(run, &outcome).await.unwrap();
    store
        .finish_run(run, "completed", at + chrono::Duration::minutes(2))
        .await
        .unwrap();
}

/// Opens each `(check, opened, closed)` finding of `account` on its day and
/// closes it on its closing day, if it has one, as the daily checks would.
pub async fn record_findings(
    store: &Store,
    account: &str,
    findings: &[(&str, chrono::NaiveDate, Option<chrono::NaiveDate>)],
) {
    for &(check, opened, closed) in findings {
        store
            .open_check_finding(check, account, "", opened)
            .await
            .unwrap();
        if let Some(closed) = closed {
            store
                .close_check_finding(check, account, closed)
                .await
                .unwrap();
        }
    }
}
