//! A person's decision on an item: hide (or delete where the platform
//! cannot hide), delete where allowed, no action (lawful), restore a hidden
//! comment, refer to the registry office or to police-report
//! consideration — each with an optional note.
//!
//! The decision is recorded first, conditionally: it names the round (how
//! many decisions the person's page showed), and of two people deciding
//! the same round only the first is recorded; the other is told who
//! decided what, and nothing of theirs is done. A hide or delete is then
//! carried out by [`crate::actions::carry_out`] — the path of the service's
//! own actions, which re-reads and re-hashes the evidence record before the
//! platform call — and a restore by [`crate::pipeline::Pipeline::restore`].
//! Every decision is audited with the person and their note, and opens or closes
//! tickets as the service's own decisions do.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::layout::{Lang, message_page};
use super::queue::{Item, PlatformState, load_item, render_item};
use super::session::LoggedIn;
use super::{WebState, csrf, internal_error, store_error};
use crate::actions::{self, ActionContext, Attempt, RestoreError};
use crate::domain::TicketKind;
use crate::pipeline::Pipeline;
use crate::store::{ActionState, AuditEvent, DecisionClaim, NewModeratorDecision};

/// What a person can decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hide the comment from the public.
    Hide,
    /// Delete the comment.
    Delete,
    /// Lawful: leave it.
    NoAction,
    /// Make a hidden comment visible again.
    Restore,
    /// A case matter for the registry office.
    ReferRegistry,
    /// For police-report consideration.
    ReferPolice,
}

impl Decision {
    const ALL: [Decision; 6] = [
        Decision::Hide,
        Decision::Delete,
        Decision::NoAction,
        Decision::Restore,
        Decision::ReferRegistry,
        Decision::ReferPolice,
    ];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Hide => "hide",
            Decision::Delete => "delete",
            Decision::NoAction => "no_action",
            Decision::Restore => "restore",
            Decision::ReferRegistry => "refer_registry",
            Decision::ReferPolice => "refer_police",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Decision> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The key that moves focus to its button.
    pub fn shortcut(self) -> &'static str {
        match self {
            Decision::Hide => "d",
            Decision::Delete => "r",
            Decision::NoAction => "i",
            Decision::Restore => "a",
            Decision::ReferRegistry => "e",
            Decision::ReferPolice => "p",
        }
    }

    /// Its label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Decision::Hide => lang.t("Dölj", "Hide"),
            Decision::Delete => lang.t("Radera", "Delete"),
            Decision::NoAction => lang.t("Ingen åtgärd (lagligt)", "No action (lawful)"),
            Decision::Restore => lang.t("Återställ", "Restore"),
            Decision::ReferRegistry => {
                lang.t("Till registrator (ärende)", "Refer to the registry (case)")
            }
            Decision::ReferPolice => lang.t("Pröva polisanmälan", "Consider a police report"),
        }
    }
}

/// The decisions an item allows now: removal only while it is visible and
/// only as the platform allows (a platform that cannot hide offers delete,
/// its strongest action), restore only while it is hidden, no action only
/// until it is settled.
pub fn allowed_decisions(item: &Item) -> Vec<Decision> {
    let state = item.platform_state();
    let caps = item.capabilities;
    let mut decisions = Vec::new();
    if state == PlatformState::Visible {
        if caps.hide {
            decisions.push(Decision::Hide);
        }
        if caps.delete {
            decisions.push(Decision::Delete);
        }
        if !item.settled() {
            decisions.push(Decision::NoAction);
        }
    }
    if state == PlatformState::Hidden {
        decisions.push(Decision::Restore);
    }
    decisions.push(Decision::ReferRegistry);
    decisions.push(Decision::ReferPolice);
    decisions
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    round: i64,
    decision: String,
    note: Option<String>,
}

/// Records and carries out a decision, then shows the item again.
pub async fn decide(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let lang = person.lang;
    if let Some(refused) = csrf::refusal_unless_valid(lang, &person.session.row, &form.csrf) {
        return refused;
    }
    let item = match load_item(&state, &person.access, id, lang).await {
        Ok(item) => item,
        Err(response) => return response,
    };
    if !person.access.decides(&item.stored.account_key) {
        return super::forbidden(
            lang,
            lang.t(
                "Du modererar inte det här kontot och kan inte besluta om dess kommentarer.",
                "You do not moderate this account and cannot decide its comments.",
            ),
        );
    }
    if form.round != item.round() {
        // The page was older than the item: someone decided in between.
        return lost(&state, &person, id).await;
    }
    let decision = match Decision::parse(&form.decision) {
        Some(d) if allowed_decisions(&item).contains(&d) => d,
        _ => {
            return message_page(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.t(
                    "Beslutet går inte att fatta",
                    "That decision cannot be made",
                ),
                lang.t(
                    "Kommentaren tillåter inte det beslutet just nu. Ingenting har ändrats.",
                    "The comment does not allow that decision now. Nothing was changed.",
                ),
            );
        }
    };
    let note = form
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let pipeline = state.pipeline();
    let claim = pipeline
        .store()
        .record_moderator_decision(&NewModeratorDecision {
            comment_id: id,
            round: form.round,
            decision: decision.name(),
            note,
            decided_by: &person.access.user,
            decided_at: pipeline.clock().now(),
            record_path: item.stored.record_path.as_deref(),
        })
        .await;
    let (decision_id, action_id) = match claim {
        Ok(DecisionClaim::Won {
            decision_id,
            action_id,
        }) => (decision_id, action_id),
        Ok(DecisionClaim::Lost(_)) => return lost(&state, &person, id).await,
        Err(e) => return store_error(lang, e),
    };
    let carried = carry_out_decision(
        pipeline,
        &item,
        decision,
        action_id,
        note,
        &person.access.user,
    )
    .await;
    let (outcome, action_id) = match carried {
        Ok(outcome) => outcome,
        Err(e) => return internal_error(lang, e.as_ref()),
    };
    if let Err(e) = pipeline
        .store()
        .settle_moderator_decision(decision_id, outcome, action_id)
        .await
    {
        return store_error(lang, e);
    }
    Redirect::to(&format!("/granska/{id}?beslut={outcome}")).into_response()
}

/// Someone decided this round first: the item as it is now, with who
/// decided what.
async fn lost(state: &WebState, person: &LoggedIn, id: i64) -> Response {
    let lang = person.lang;
    let item = match load_item(state, &person.access, id, lang).await {
        Ok(item) => item,
        Err(response) => return response,
    };
    let winner = item.decisions.last();
    let notice = html! {
        p class="warning" role="alert" {
            (lang.t("Någon annan hann besluta först", "Someone else decided first"))
            @if let Some(w) = winner {
                ": " (w.decided_by) " – "
                (Decision::parse(&w.decision).map_or(w.decision.as_str(), |d| d.label(lang)))
            }
            ". " (lang.t("Ditt beslut genomfördes inte. Se kommentaren som den är nu.",
                         "Your decision was not carried out. See the comment as it is now."))
        }
    };
    render_item(state, person, &item, Some(notice), StatusCode::CONFLICT).await
}

type DecisionError = Box<dyn std::error::Error + Send + Sync>;

/// Carries out a recorded decision; returns its outcome and the action it
/// made, if any.
async fn carry_out_decision(
    pipeline: &Pipeline,
    item: &Item,
    decision: Decision,
    action_id: Option<i64>,
    note: Option<&str>,
    by: &str,
) -> Result<(&'static str, Option<i64>), DecisionError> {
    match decision {
        Decision::Hide | Decision::Delete => {
            let action_id = action_id.ok_or("the decision queued no platform action")?;
            let outcome = remove(pipeline, item, action_id, by).await?;
            Ok((outcome, Some(action_id)))
        }
        Decision::Restore => restore(pipeline, item, note, by).await,
        Decision::NoAction => Ok(("recorded", None)),
        Decision::ReferRegistry => {
            pipeline
                .open_ticket_for(TicketKind::CaseMatter, &item.stored, by)
                .await?;
            Ok(("recorded", None))
        }
        Decision::ReferPolice => {
            pipeline
                .open_ticket_for(TicketKind::PoliceReportConsideration, &item.stored, by)
                .await?;
            Ok(("recorded", None))
        }
    }
}

/// A hide or delete through the service's own action path, audited with
/// the person; a removal done opens the registration ticket.
async fn remove(
    pipeline: &Pipeline,
    item: &Item,
    action_id: i64,
    by: &str,
) -> Result<&'static str, DecisionError> {
    let store = pipeline.store();
    let action = store
        .actions_for_comment(item.stored.id)
        .await?
        .into_iter()
        .find(|a| a.id == action_id)
        .ok_or("the queued action is not in the store")?;
    let accounts = pipeline.accounts();
    let account = accounts.get(item.stored.account_key.as_str());
    let platform = match account.map(|a| &a.platform) {
        Some(Ok(p)) => Ok(p.as_ref()),
        Some(Err(reason)) => Err(reason.as_str()),
        None => Err("the account is no longer in the configuration"),
    };
    let dry_run = pipeline.config().dry_run || account.is_some_and(|a| a.config.dry_run);
    let ctx = ActionContext {
        store,
        archive: pipeline.archive(),
        clock: pipeline.clock().as_ref(),
        run_id: None,
    };
    let attempt = actions::carry_out(ctx, &action, platform, dry_run).await?;
    let outcome = match attempt {
        Attempt::Done { .. } => "done",
        Attempt::DryRun => "dry_run",
        Attempt::Retry { .. } => "retry",
        Attempt::Failed { .. } | Attempt::Skipped => "failed",
    };
    let event = AuditEvent {
        actor: by.to_string(),
        event: format!("comment.{}", action.kind.as_str()),
        subject: Some(item.stored.comment.platform_id.clone()),
        detail: json!({"comment_row": item.stored.id, "action_id": action_id,
                       "outcome": outcome, "record": action.record_path}),
    };
    store.audit(&event, pipeline.clock().now()).await?;
    if matches!(outcome, "done" | "dry_run") {
        pipeline
            .open_ticket_for(TicketKind::RemovedContentRegistration, &item.stored, by)
            .await?;
    }
    Ok(outcome)
}

/// A restore through [`Pipeline::restore`], which records the unhide,
/// audits it and closes the removal tickets.
async fn restore(
    pipeline: &Pipeline,
    item: &Item,
    note: Option<&str>,
    by: &str,
) -> Result<(&'static str, Option<i64>), DecisionError> {
    let reason = note.unwrap_or("Återställd i moderatorskonsolen");
    match pipeline
        .restore(&item.stored.comment.platform_id, reason, by)
        .await
    {
        Ok(outcome) => Ok((
            if outcome.state == ActionState::Done {
                "done"
            } else {
                "dry_run"
            },
            Some(outcome.action_id),
        )),
        Err(RestoreError::Store(e)) => Err(e.into()),
        Err(error) => {
            tracing::warn!(comment_row = item.stored.id, %error, "A restore decided in the console failed");
            Ok(("failed", None))
        }
    }
}
