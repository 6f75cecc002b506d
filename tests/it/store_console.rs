//! The store's part of the moderators' console, run against SQLite and
//! PostgreSQL like the rest of the store contract: the review queue, the
//! one-winner decision round, the moderation log and sessions.

use chrono::Duration;
use kommentarsvakt::config::AccountConfig;
use kommentarsvakt::domain::{Category, Confidence, Finding, ModerationAction, PlatformKind};
use kommentarsvakt::store::{
    DecisionClaim, DecisionRecord, Followups, LogFilter, NewModeratorDecision, NewVersion,
    QueueFilter, SessionRow, Store,
};

use crate::support::fixtures::{comment, t0};

fn account(key: &str, platform: PlatformKind) -> AccountConfig {
    AccountConfig {
        department: "slk".to_string(),
        moderators: vec![format!("{key}@example.se")],
        purpose: "Test".to_string(),
        api_base_url: "http://127.0.0.1:1".to_string(),
        api_version: "v24.0".to_string(),
        ..AccountConfig::new(key, platform, &format!("{key}-id"))
    }
}

/// Stores a comment on `account` decided as `action` with one finding of
/// `category`/`confidence`, `minutes` after t0; returns its row id.
async fn decided(
    store: &Store,
    account: i64,
    id: &str,
    action: ModerationAction,
    (category, confidence): (Category, Confidence),
    minutes: i64,
) -> i64 {
    let NewVersion::Added(row) = store
        .insert_comment_version(account, &comment(id, "text", minutes), false, None, t0())
        .await
        .unwrap()
    else {
        panic!("not added")
    };
    let findings = [Finding {
        category,
        confidence,
        start: 0,
        end: 4,
        rule: "r".into(),
        legal_basis: "BrB".into(),
        reason: "skäl".into(),
    }];
    store
        .record_decision(
            &DecisionRecord {
                comment_id: row,
                findings: &findings,
                action,
                record_path: &format!("records/{id}.json"),
                record_sha256: id,
                decided_at: t0() + Duration::minutes(minutes),
                run_id: None,
                language: None,
            },
            &Followups::default(),
        )
        .await
        .unwrap();
    row
}

fn queue(accounts: &[&str]) -> QueueFilter {
    QueueFilter {
        accounts: accounts.iter().map(|a| a.to_string()).collect(),
        limit: 10,
        ..QueueFilter::default()
    }
}

fn ids(items: &[kommentarsvakt::store::StoredComment]) -> Vec<i64> {
    items.iter().map(|c| c.id).collect()
}

async fn review_queue_is_oldest_first_filtered_and_limited_to_visible_accounts(store: Store) {
    let a = store
        .upsert_account(&account("a", PlatformKind::Facebook), t0())
        .await
        .unwrap();
    let b = store
        .upsert_account(&account("b", PlatformKind::Youtube), t0())
        .await
        .unwrap();
    let hets = (Category::HetsMotFolkgrupp, Confidence::Probable);
    let hot = (Category::OlagaHot, Confidence::Possible);
    let newer = decided(&store, a, "a_2", ModerationAction::Review, hets, 20).await;
    let older = decided(&store, a, "a_1", ModerationAction::Review, hot, 10).await;
    let other = decided(&store, b, "b_1", ModerationAction::Review, hets, 5).await;
    decided(&store, a, "a_3", ModerationAction::Hide, hets, 1).await;

    assert_eq!(
        ids(&store.review_queue(&queue(&["a"])).await.unwrap()),
        [older, newer]
    );
    assert_eq!(
        ids(&store.review_queue(&queue(&["a", "b"])).await.unwrap()),
        [other, older, newer]
    );
    assert!(
        store.review_queue(&queue(&[])).await.unwrap().is_empty(),
        "no accounts, nothing"
    );
    let mut by_platform = queue(&["a", "b"]);
    by_platform.platform = Some("youtube".into());
    assert_eq!(
        ids(&store.review_queue(&by_platform).await.unwrap()),
        [other]
    );
    let mut by_category = queue(&["a", "b"]);
    by_category.category = Some("olaga_hot".into());
    assert_eq!(
        ids(&store.review_queue(&by_category).await.unwrap()),
        [older]
    );
    let mut by_confidence = queue(&["a", "b"]);
    by_confidence.confidence = Some("probable".into());
    assert_eq!(
        ids(&store.review_queue(&by_confidence).await.unwrap()),
        [other, newer]
    );
    let mut second_page = queue(&["a", "b"]);
    second_page.offset = 1;
    second_page.limit = 1;
    assert_eq!(
        ids(&store.review_queue(&second_page).await.unwrap()),
        [older]
    );

    // A settled item leaves the queue; a referral does not settle it.
    let decide = |round, decision| NewModeratorDecision {
        comment_id: older,
        round,
        decision,
        note: Some("lagligt"),
        decided_by: "a@example.se",
        decided_at: t0() + Duration::hours(1),
        record_path: None,
    };
    assert!(matches!(
        store
            .record_moderator_decision(&decide(0, "refer_registry"))
            .await
            .unwrap(),
        DecisionClaim::Won { .. }
    ));
    assert_eq!(
        ids(&store.review_queue(&queue(&["a"])).await.unwrap()),
        [older, newer]
    );
    assert!(matches!(
        store
            .record_moderator_decision(&decide(1, "no_action"))
            .await
            .unwrap(),
        DecisionClaim::Won { .. }
    ));
    assert_eq!(
        ids(&store.review_queue(&queue(&["a"])).await.unwrap()),
        [newer]
    );
    assert_eq!(
        store.finding_categories().await.unwrap(),
        ["hets_mot_folkgrupp", "olaga_hot"]
    );
}

async fn a_round_is_decided_once_and_a_hide_queues_one_action(store: Store) {
    let a = store
        .upsert_account(&account("a", PlatformKind::Facebook), t0())
        .await
        .unwrap();
    let row = decided(
        &store,
        a,
        "a_1",
        ModerationAction::Review,
        (Category::OlagaHot, Confidence::Probable),
        0,
    )
    .await;
    let hide = |by| NewModeratorDecision {
        comment_id: row,
        round: 0,
        decision: "hide",
        note: None,
        decided_by: by,
        decided_at: t0(),
        record_path: Some("records/a_1.json"),
    };
    let DecisionClaim::Won {
        decision_id,
        action_id: Some(action_id),
    } = store
        .record_moderator_decision(&hide("anna@example.se"))
        .await
        .unwrap()
    else {
        panic!("the first decision of a round wins and queues a hide")
    };
    let DecisionClaim::Lost(winner) = store
        .record_moderator_decision(&hide("bo@example.se"))
        .await
        .unwrap()
    else {
        panic!("the second decision of the same round loses")
    };
    assert_eq!(winner.decided_by, "anna@example.se");
    let actions = store.actions_for_comment(row).await.unwrap();
    assert_eq!(actions.len(), 1, "one action, not two");
    assert_eq!(actions[0].id, action_id);
    assert_eq!(actions[0].kind, ModerationAction::Hide);
    store
        .settle_moderator_decision(decision_id, "done", None)
        .await
        .unwrap();
    let decisions = store.moderator_decisions(row).await.unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].outcome.as_deref(), Some("done"));
    let audit = store.audit_events("moderator.decided").await.unwrap();
    assert_eq!(audit.len(), 1, "the losing decision is not audited");
    assert_eq!(audit[0].actor, "anna@example.se");

    let log = store
        .moderation_log(&LogFilter {
            accounts: vec!["a".into()],
            limit: 10,
            ..LogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (log[0].kind.as_str(), log[0].actor.as_str()),
        ("hide", "anna@example.se")
    );
    let automatic_only = store
        .moderation_log(&LogFilter {
            accounts: vec!["a".into()],
            automatic: Some(true),
            limit: 10,
            ..LogFilter::default()
        })
        .await
        .unwrap();
    assert!(
        automatic_only.is_empty(),
        "a person's hide is not automatic"
    );
    let other_account = store
        .moderation_log(&LogFilter {
            accounts: vec!["b".into()],
            limit: 10,
            ..LogFilter::default()
        })
        .await
        .unwrap();
    assert!(other_account.is_empty());
}

async fn sessions_end_at_expiry_or_logout(store: Store) {
    let row = SessionRow {
        user_id: Some("anna@example.se".into()),
        user_name: Some("Anna".into()),
        groups: vec!["moderatorer".into()],
        csrf: "token".into(),
        pending: None,
        expires_at: t0() + Duration::hours(8),
    };
    store.create_session("h1", &row, t0()).await.unwrap();
    store.create_session("h2", &row, t0()).await.unwrap();
    assert_eq!(store.session("h1", t0()).await.unwrap(), Some(row.clone()));
    assert_eq!(
        store
            .session("h1", t0() + Duration::hours(8))
            .await
            .unwrap(),
        None,
        "expired"
    );
    store.delete_session("h2").await.unwrap();
    assert_eq!(store.session("h2", t0()).await.unwrap(), None, "logged out");
    assert_eq!(
        store
            .delete_expired_sessions(t0() + Duration::hours(9))
            .await
            .unwrap(),
        1
    );
}

crate::support::db::store_contract!(
    review_queue_is_oldest_first_filtered_and_limited_to_visible_accounts,
    a_round_is_decided_once_and_a_hide_queues_one_action,
    sessions_end_at_expiry_or_logout,
);
