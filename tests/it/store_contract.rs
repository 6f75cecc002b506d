//! One contract for the store, run against SQLite and against PostgreSQL.

use chrono::Duration;
use kommentarsvakt::domain::TicketKind;
use kommentarsvakt::domain::{Category, Confidence, FetchedComment, Finding, ModerationAction};
use kommentarsvakt::store::{
    ActionState, AuditEvent, DecisionRecord, Followups, HoldScope, NewCulling, NewOutboxItem,
    NewTicket, NewVersion, OutboxBacklog, OutboxState, QuarantineItem, RunTrigger, Store,
    UNHIDE_KIND,
};

use crate::support::fixtures::{account, comment, t0};

async fn comment_versions_are_deduplicated_by_id_and_content(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let first = comment("100_1_1", "Första versionen", 0);
    let added = store
        .insert_comment_version(acc, &first, false, None, t0())
        .await
        .unwrap();
    assert!(matches!(added, NewVersion::Added(_)));
    let again = store
        .insert_comment_version(acc, &first, false, None, t0())
        .await
        .unwrap();
    assert_eq!(
        again,
        NewVersion::AlreadyKnown,
        "the same version must not be stored twice"
    );
    let edited = comment("100_1_1", "Redigerad version", 0);
    assert!(matches!(
        store
            .insert_comment_version(acc, &edited, false, None, t0())
            .await
            .unwrap(),
        NewVersion::Added(_)
    ));
    let own = comment("100_1_2", "Svar från sidan", 5);
    store
        .insert_comment_version(acc, &own, true, None, t0())
        .await
        .unwrap();

    let undecided = store.undecided_comments(100).await.unwrap();
    let texts: Vec<_> = undecided.iter().map(|c| c.comment.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Första versionen", "Redigerad version"],
        "own replies are not moderated"
    );
    assert_eq!(
        undecided[0].comment.raw.get(),
        first.raw.get(),
        "raw JSON kept byte for byte"
    );
    assert_eq!(undecided[0].comment.created_at, first.created_at);
}

async fn listing_cursors_are_kept_per_account_and_listing(store: Store) {
    let stad = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let bad = store.upsert_account(&account("bad"), t0()).await.unwrap();
    assert!(store.listing_cursors(stad).await.unwrap().is_empty());
    store
        .save_listing_cursor(stad, "feed", "2026-11-23T08:00:00Z", t0())
        .await
        .unwrap();
    store
        .save_listing_cursor(stad, "mentions", "1860000000000000001", t0())
        .await
        .unwrap();
    store
        .save_listing_cursor(bad, "feed", "2026-11-20T08:00:00Z", t0())
        .await
        .unwrap();
    store
        .save_listing_cursor(stad, "feed", "2026-11-23T12:00:00Z", t0())
        .await
        .unwrap();
    assert_eq!(
        store.listing_cursors(stad).await.unwrap(),
        vec![
            ("feed".to_string(), "2026-11-23T12:00:00Z".to_string()),
            ("mentions".to_string(), "1860000000000000001".to_string()),
        ],
        "the connector's newest cursor replaces the older one, opaque to the store"
    );
    assert_eq!(
        store.listing_cursors(bad).await.unwrap(),
        vec![("feed".to_string(), "2026-11-20T08:00:00Z".to_string())]
    );
}

async fn a_quarantined_item_is_kept_byte_for_byte_once(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let raw = r#"{"id":"100_1_7",  "created_time":"igår"}"#.as_bytes();
    let item = QuarantineItem {
        account_id: acc,
        run_id: None,
        listing: "post:100_1",
        reason: "created_time is not a Graph timestamp",
        raw,
    };
    assert!(store.quarantine(&item, t0()).await.unwrap(), "new item");
    assert!(
        !store.quarantine(&item, t0()).await.unwrap(),
        "the same bytes met again are not kept twice"
    );
    let not_utf8 = [0xff, 0xfe, b'{'];
    assert!(
        store
            .quarantine(
                &QuarantineItem {
                    raw: &not_utf8,
                    ..item.clone()
                },
                t0()
            )
            .await
            .unwrap()
    );
    let kept = store.quarantined(acc).await.unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0].raw, raw.to_vec());
    assert_eq!(kept[0].listing, "post:100_1");
    assert_eq!(kept[1].raw, not_utf8.to_vec());
}

async fn a_change_of_moderation_state_alone_is_a_new_version_not_decided_again(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let visible = comment("100_1_3", "Samma text", 0);
    assert!(matches!(
        store
            .insert_comment_version(acc, &visible, false, None, t0())
            .await
            .unwrap(),
        NewVersion::Added(_)
    ));
    let hidden = FetchedComment {
        is_hidden: true,
        ..visible.clone()
    };
    let NewVersion::StateChanged(row) = store
        .insert_comment_version(acc, &hidden, false, None, t0())
        .await
        .unwrap()
    else {
        panic!("hidden on the platform is a new version")
    };
    assert_eq!(
        store
            .insert_comment_version(acc, &hidden, false, None, t0())
            .await
            .unwrap(),
        NewVersion::AlreadyKnown
    );
    assert!(
        matches!(
            store
                .insert_comment_version(acc, &visible, false, None, t0())
                .await
                .unwrap(),
            NewVersion::StateChanged(_)
        ),
        "visible again is a version too"
    );
    let versions = store.comment_versions("100_1_3").await.unwrap();
    assert_eq!(versions.len(), 3);
    assert!(
        versions
            .iter()
            .any(|v| v.id == row && v.comment.is_hidden && v.state == "platform_state")
    );
    let undecided = store.undecided_comments(10).await.unwrap();
    assert_eq!(undecided.len(), 1, "only the first version is decided");
}

async fn a_decision_and_its_consequences_are_written_together_once(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let NewVersion::Added(id) = store
        .insert_comment_version(acc, &comment("100_1_9", "pnr", 0), false, None, t0())
        .await
        .unwrap()
    else {
        panic!("not added")
    };
    let findings = vec![Finding {
        category: Category::Personnummer,
        confidence: Confidence::Obvious,
        start: 0,
        end: 3,
        rule: "pd.personnummer".into(),
        legal_basis: "GDPR".into(),
        reason: "Giltigt personnummer".into(),
    }];
    let followups = Followups {
        actions: vec![ModerationAction::Hide],
        tickets: vec![NewTicket {
            reference: TicketKind::RemovedContentRegistration.reference_for(id),
            kind: TicketKind::RemovedContentRegistration,
            account_id: acc,
            comment_id: Some(id),
            record_sha256: Some("ab".into()),
            permalink: None,
            summary: "Registrering".into(),
            due_at: Some(t0() + Duration::days(1)),
        }],
        outbox: vec![NewOutboxItem {
            kind: "email".into(),
            idempotency_key: format!("alert:{id}"),
            payload: serde_json::json!({"subject": "x"}),
        }],
        audit: vec![AuditEvent::service(
            "comment.decided",
            Some("100_1_9".into()),
            serde_json::json!({}),
        )],
    };
    let decision = DecisionRecord {
        comment_id: id,
        findings: &findings,
        action: ModerationAction::Hide,
        record_path: "records/stad/x.json",
        record_sha256: "ab",
        decided_at: t0(),
        run_id: None,
        language: Some("ar"),
    };
    store.record_decision(&decision, &followups).await.unwrap();
    store.record_decision(&decision, &followups).await.unwrap();

    assert!(store.undecided_comments(10).await.unwrap().is_empty());
    let stored = store.comment(id).await.unwrap().unwrap();
    assert_eq!(stored.action, Some(ModerationAction::Hide));
    assert_eq!(
        stored.language.as_deref(),
        Some("ar"),
        "the language is kept with the decision"
    );
    assert_eq!(store.findings(id).await.unwrap(), findings);
    let actions = store.open_actions().await.unwrap();
    assert_eq!(actions.len(), 1, "exactly one pending action");
    assert_eq!(actions[0].state, ActionState::Pending);
    assert_eq!(store.tickets(false).await.unwrap().len(), 1);
    assert_eq!(store.due_outbox(t0(), 10).await.unwrap().len(), 1);
    assert_eq!(
        store.audit_events("comment.decided").await.unwrap().len(),
        1
    );

    store
        .mark_action_in_flight(actions[0].id, t0())
        .await
        .unwrap();
    let open = store.open_actions().await.unwrap();
    assert_eq!(
        open[0].state,
        ActionState::InFlight,
        "an unrecorded outcome is resumed"
    );
    store
        .finish_action(actions[0].id, ActionState::Done, None, t0())
        .await
        .unwrap();
    assert!(store.open_actions().await.unwrap().is_empty());
}

async fn outbox_retries_and_keeps_dead_letters(store: Store) {
    let item = NewOutboxItem {
        kind: "email".into(),
        idempotency_key: "crisis:on".into(),
        payload: serde_json::json!({"subject": "Krisläge"}),
    };
    assert!(store.enqueue(&item, t0()).await.unwrap());
    assert!(
        !store.enqueue(&item, t0()).await.unwrap(),
        "same key queued once"
    );
    let due = store.due_outbox(t0(), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    let backlog = |pending, dead| OutboxBacklog { pending, dead };
    assert_eq!(store.outbox_backlog().await.unwrap(), backlog(1, 0));
    store
        .outbox_failed(due[0].id, "SMTP down", Some(t0() + Duration::minutes(5)))
        .await
        .unwrap();
    assert!(
        store
            .due_outbox(t0() + Duration::minutes(4), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let retry = store
        .due_outbox(t0() + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(retry[0].attempts, 1);
    assert_eq!(retry[0].last_error.as_deref(), Some("SMTP down"));
    store
        .outbox_failed(retry[0].id, "550 no such user", None)
        .await
        .unwrap();
    let dead = store.outbox_in_state(OutboxState::Dead).await.unwrap();
    assert_eq!(
        dead.len(),
        1,
        "a failed item is kept for a person, never deleted"
    );
    assert_eq!(
        store.outbox_backlog().await.unwrap(),
        backlog(0, 1),
        "the dead letter is counted for operations' metrics"
    );
    assert!(
        store
            .due_outbox(t0() + Duration::days(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn runs_record_the_proof_of_monitoring(store: Store) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    assert_eq!(store.last_finished_slot().await.unwrap(), None);
    let run = store
        .begin_run(RunTrigger::Slot, Some(t0()), false, t0())
        .await
        .unwrap();
    store
        .record_account_outcome(
            run,
            &kommentarsvakt::store::AccountOutcome {
                account_id: acc,
                outcome: "failed".into(),
                error_kind: Some("rate_limited".into()),
                error_detail: Some("80001".into()),
                posts_seen: 0,
                comments_new: 0,
                started_at: t0(),
                finished_at: t0(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.last_finished_slot().await.unwrap(),
        None,
        "an unfinished run is no proof"
    );
    store
        .finish_run(run, "partial", t0() + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(store.last_finished_slot().await.unwrap(), Some(t0()));
    let outcomes = store.run_outcomes(run).await.unwrap();
    assert_eq!(outcomes[0].error_kind.as_deref(), Some("rate_limited"));
}

/// Stores one comment decided as hidden, with a personnummer finding, a
/// pending hide and a registration ticket; returns the account and row ids.
async fn hidden_comment(store: &Store, id: &str, minutes: i64) -> (i64, i64) {
    let acc = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let NewVersion::Added(row) = store
        .insert_comment_version(acc, &comment(id, "pnr", minutes), false, None, t0())
        .await
        .unwrap()
    else {
        panic!("not added")
    };
    let findings = vec![Finding {
        category: Category::Personnummer,
        confidence: Confidence::Obvious,
        start: 0,
        end: 3,
        rule: "pd.personnummer".into(),
        legal_basis: "GDPR art. 6".into(),
        reason: "Giltigt personnummer".into(),
    }];
    let followups = Followups {
        actions: vec![ModerationAction::Hide],
        tickets: vec![NewTicket {
            reference: TicketKind::RemovedContentRegistration.reference_for(row),
            kind: TicketKind::RemovedContentRegistration,
            account_id: acc,
            comment_id: Some(row),
            record_sha256: Some(format!("sha-{id}")),
            permalink: None,
            summary: "Registrering".into(),
            due_at: None,
        }],
        ..Followups::default()
    };
    let path = format!("records/stad/{id}.json");
    let sha = format!("sha-{id}");
    store
        .record_decision(
            &DecisionRecord {
                comment_id: row,
                findings: &findings,
                action: ModerationAction::Hide,
                record_path: &path,
                record_sha256: &sha,
                decided_at: t0(),
                run_id: None,
                language: None,
            },
            &followups,
        )
        .await
        .unwrap();
    (acc, row)
}

async fn legal_holds_are_placed_released_and_audited(store: Store) {
    store
        .place_legal_hold(HoldScope::Account, "stad", "JO 1-2026", "jurist", t0())
        .await
        .unwrap();
    store
        .place_legal_hold(
            HoldScope::Comment,
            "100_1_1",
            "Polisanmälan",
            "jurist",
            t0(),
        )
        .await
        .unwrap();
    let active = store.active_legal_holds().await.unwrap();
    assert_eq!(active.len(), 2);
    assert_eq!(active[0].scope, HoldScope::Account);
    assert_eq!(active[1].reason, "Polisanmälan");
    let released = store
        .release_legal_hold(HoldScope::Account, "stad", "Avslutat", "jurist", t0())
        .await
        .unwrap();
    assert_eq!(released, 1);
    assert_eq!(
        store
            .release_legal_hold(HoldScope::Account, "stad", "igen", "jurist", t0())
            .await
            .unwrap(),
        0,
        "nothing left to release"
    );
    let active = store.active_legal_holds().await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].subject, "100_1_1");
    assert_eq!(
        store.audit_events("legal_hold.placed").await.unwrap().len(),
        2
    );
    assert_eq!(
        store
            .audit_events("legal_hold.released")
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn culling_deletes_comment_rows_and_keeps_unlinked_tickets(store: Store) {
    let (_, old) = hidden_comment(&store, "100_1_1", 0).await;
    let (_, young) = hidden_comment(&store, "100_1_2", 120).await;
    let open = store.open_actions().await.unwrap();
    store
        .finish_action(open[0].id, ActionState::Done, None, t0())
        .await
        .unwrap();
    let candidates = store
        .cull_candidates(t0() + Duration::minutes(60))
        .await
        .unwrap();
    assert_eq!(
        candidates.len(),
        1,
        "only comments written before the horizon"
    );
    assert_eq!(candidates[0].id, old);
    assert!(candidates[0].removed, "its hide was done");
    assert_eq!(candidates[0].categories, [Category::Personnummer]);
    assert_eq!(candidates[0].record_sha256, "sha-100_1_1");

    store
        .record_culling(&NewCulling {
            comment_ids: &[old],
            culled_by: "arkivarie",
            culled_at: t0(),
            protocol_path: "culling/2026-11-23-1.json",
            protocol_sha256: "cd",
        })
        .await
        .unwrap();
    assert!(store.comment(old).await.unwrap().is_none());
    assert!(store.findings(old).await.unwrap().is_empty());
    assert!(store.recorded_actions(old).await.unwrap().is_empty());
    assert!(store.comment(young).await.unwrap().is_some());
    let tickets = store.tickets(true).await.unwrap();
    assert_eq!(tickets.len(), 2, "tickets are kept");
    let orphan = tickets
        .iter()
        .find(|t| t.record_sha256.as_deref() == Some("sha-100_1_1"))
        .unwrap();
    assert_eq!(orphan.comment_id, None);
    let cullings = store.cullings().await.unwrap();
    assert_eq!(cullings.len(), 1);
    assert_eq!(cullings[0].records, 1);
    assert_eq!(cullings[0].culled_by, "arkivarie");
}

async fn unhide_is_recorded_apart_from_the_pipeline_actions(store: Store) {
    let (_, row) = hidden_comment(&store, "100_1_1", 0).await;
    let hide = store.open_actions().await.unwrap()[0].id;
    store
        .finish_action(hide, ActionState::Done, None, t0())
        .await
        .unwrap();
    let first = store
        .begin_unhide(row, "records/stad/x.json", t0())
        .await
        .unwrap();
    assert!(
        store.open_actions().await.unwrap().is_empty(),
        "the pipeline never carries out an unhide"
    );
    store
        .finish_action(first, ActionState::Failed, Some("timeout"), t0())
        .await
        .unwrap();
    let again = store
        .begin_unhide(row, "records/stad/x.json", t0())
        .await
        .unwrap();
    assert_eq!(again, first, "a retried restoration reuses its row");
    let unhide = store
        .recorded_actions(row)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.kind == UNHIDE_KIND)
        .unwrap();
    assert_eq!(unhide.state, ActionState::InFlight);
    assert_eq!(unhide.attempts, 2);
    assert_eq!(unhide.last_error, None);
    assert_eq!(store.actions_for_comment(row).await.unwrap().len(), 1);

    let closed = store
        .resolve_removal_tickets(row, "Återställd", "moderator", t0())
        .await
        .unwrap();
    assert_eq!(closed, 1);
    let ticket = &store.tickets(true).await.unwrap()[0];
    assert_eq!(ticket.state, "done");
    assert_eq!(ticket.close_note.as_deref(), Some("Återställd"));
    assert!(store.tickets(false).await.unwrap().is_empty());
}

async fn removed_content_lists_done_and_dry_run_removals_in_the_period(store: Store) {
    let (_, done) = hidden_comment(&store, "100_1_1", 0).await;
    let (_, dry) = hidden_comment(&store, "100_1_2", 1).await;
    let (_, pending) = hidden_comment(&store, "100_1_3", 2).await;
    for action in store.open_actions().await.unwrap() {
        let state = if action.comment_id == done {
            ActionState::Done
        } else if action.comment_id == dry {
            ActionState::DryRun
        } else {
            continue;
        };
        store
            .finish_action(action.id, state, None, t0() + Duration::hours(1))
            .await
            .unwrap();
    }
    let rows = store
        .removed_content(t0(), t0() + Duration::days(1))
        .await
        .unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r.comment_row).collect();
    assert_eq!(
        ids,
        [done, dry],
        "a pending hide is not a removal yet ({pending})"
    );
    assert_eq!(rows[0].action, ModerationAction::Hide);
    assert_eq!(rows[1].state, ActionState::DryRun);
    assert_eq!(rows[0].categories, [Category::Personnummer]);
    assert_eq!(rows[0].legal_bases, ["GDPR art. 6"]);
    assert_eq!(rows[0].record_sha256.as_deref(), Some("sha-100_1_1"));
    assert_eq!(
        rows[0].ticket_references,
        [TicketKind::RemovedContentRegistration.reference_for(done)]
    );
    assert!(
        store
            .removed_content(t0() + Duration::days(1), t0() + Duration::days(2))
            .await
            .unwrap()
            .is_empty()
    );
}

crate::support::db::store_contract!(
    comment_versions_are_deduplicated_by_id_and_content,
    listing_cursors_are_kept_per_account_and_listing,
    a_quarantined_item_is_kept_byte_for_byte_once,
    a_change_of_moderation_state_alone_is_a_new_version_not_decided_again,
    a_decision_and_its_consequences_are_written_together_once,
    outbox_retries_and_keeps_dead_letters,
    runs_record_the_proof_of_monitoring,
    legal_holds_are_placed_released_and_audited,
    culling_deletes_comment_rows_and_keeps_unlinked_tickets,
    unhide_is_recorded_apart_from_the_pipeline_actions,
    removed_content_lists_done_and_dry_run_removals_in_the_period,
);
