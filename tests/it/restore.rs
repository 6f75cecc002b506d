//! A moderator overrules the service: the hidden comment becomes visible on
//! the platform again, the unhide is recorded and audited, the removal
//! tickets are closed as restored.

use kommentarsvakt::actions::RestoreError;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::store::{ActionState, UNHIDE_KIND};

use crate::retention::{app_after_one_slot, hidden_ids};

#[tokio::test]
async fn restore_makes_the_comment_visible_records_and_audits_it() {
    let (app, pipeline) = app_after_one_slot().await;
    let id = hidden_ids(&app)[0].clone();
    assert!(app.sim.comment_state(&id).unwrap().hidden);

    let outcome = pipeline
        .restore(&id, "Numret är fiktivt", "moderator.anna")
        .await
        .unwrap();
    assert!(!app.sim.comment_state(&id).unwrap().hidden, "visible again");
    assert_eq!(outcome.state, ActionState::Done);
    assert!(outcome.tickets_closed >= 1);

    let store = pipeline.store();
    let actions = store.recorded_actions(outcome.comment_row).await.unwrap();
    let unhide = actions
        .iter()
        .find(|a| a.kind == UNHIDE_KIND)
        .expect("unhide row");
    assert_eq!(unhide.state, ActionState::Done);
    assert_eq!(unhide.attempts, 1);
    assert!(
        store.open_actions().await.unwrap().is_empty(),
        "the pipeline never runs an unhide"
    );

    let audit = store.audit_events("comment.restored").await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "moderator.anna");
    assert_eq!(audit[0].subject.as_deref(), Some(id.as_str()));
    assert_eq!(audit[0].detail["reason"], "Numret är fiktivt");

    let tickets = store.tickets(true).await.unwrap();
    let reg = tickets
        .iter()
        .find(|t| t.comment_id == Some(outcome.comment_row) && t.reference.ends_with("REG"))
        .unwrap();
    assert_eq!(reg.state, "done");
    assert_eq!(
        reg.close_note.as_deref(),
        Some("Återställd av moderator.anna: Numret är fiktivt")
    );
    // The next monitoring run does not hide it again.
    pipeline
        .run(kommentarsvakt::store::RunTrigger::Manual, None, false)
        .await
        .unwrap();
    assert!(!app.sim.comment_state(&id).unwrap().hidden);
}

#[tokio::test]
async fn restore_refuses_unknown_and_never_hidden_comments() {
    let (app, pipeline) = app_after_one_slot().await;
    let hidden = hidden_ids(&app);
    let ordinary = app
        .sim
        .planted_until(app.clock.now())
        .into_iter()
        .find(|p| !hidden.contains(&p.id))
        .unwrap();
    let err = pipeline.restore(&ordinary.id, "x", "m").await.unwrap_err();
    assert!(matches!(err, RestoreError::NotHidden(_)), "{err}");
    let err = pipeline.restore("999_999", "x", "m").await.unwrap_err();
    assert!(matches!(err, RestoreError::UnknownComment(_)), "{err}");
    assert!(
        pipeline
            .store()
            .audit_events("comment.restored")
            .await
            .unwrap()
            .is_empty()
    );
}
