//! Questions awaiting an answer, with their office-hours due times. The
//! service closes a question when the account answers in the thread; a
//! person closes one by hand here, with a note (answered elsewhere, not a
//! question after all …), audited like the `tickets close` command.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::layout::Nav;
use super::queue::local_time;
use super::session::LoggedIn;
use super::{WebState, csrf, not_found, store_error};
use crate::domain::TicketKind;
use crate::store::{TicketChange, TicketFilter, TicketRow};

async fn visible_questions(
    state: &WebState,
    person: &LoggedIn,
) -> Result<Vec<TicketRow>, crate::store::StoreError> {
    let mut tickets = state
        .pipeline()
        .store()
        .find_tickets(&TicketFilter {
            include_done: false,
            kind: Some(TicketKind::QuestionToAnswer),
            account_key: None,
        })
        .await?;
    tickets.retain(|t| person.access.sees(&t.account_key));
    // Soonest due first.
    tickets.sort_by_key(|t| (t.due_at, t.id));
    Ok(tickets)
}

/// The questions page.
pub async fn questions_page(State(state): State<Arc<WebState>>, person: LoggedIn) -> Response {
    let lang = person.lang;
    let questions = match visible_questions(&state, &person).await {
        Ok(q) => q,
        Err(e) => return store_error(lang, e),
    };
    let now = state.pipeline().clock().now();
    let body = html! {
        @if questions.is_empty() {
            p class="notice" { (lang.t("Inga obesvarade frågor.", "No unanswered questions.")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (lang.t("Ärende", "Ticket")) }
                    th scope="col" { (lang.t("Konto", "Account")) }
                    th scope="col" { (lang.t("Ska besvaras senast", "Due")) }
                    th scope="col" { (lang.t("Stäng för hand", "Close by hand")) }
                } }
                tbody {
                    @for ticket in &questions {
                        tr {
                            td {
                                @if let Some(comment) = ticket.comment_id {
                                    a href={ "/granska/" (comment) } { (ticket.reference) }
                                } @else { (ticket.reference) }
                                br; span lang="sv" class="muted" { (ticket.summary) }
                            }
                            td { (ticket.account_key) }
                            td {
                                (ticket.due_at.map(local_time).unwrap_or_default())
                                @if ticket.is_overdue(now) { " " strong class="warning" { (lang.t("försenad", "overdue")) } }
                            }
                            td {
                                @if person.access.closes_questions(&ticket.account_key) {
                                    form method="post" action={ "/fragor/" (ticket.reference) "/stang" } {
                                        input type="hidden" name="csrf" value=(person.session.row.csrf);
                                        label for={ "note-" (ticket.id) } { (lang.t("Anteckning", "Note")) }
                                        input type="text" id={ "note-" (ticket.id) } name="note";
                                        button type="submit" { (lang.t("Stäng", "Close")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    person.page(
        lang.t("Frågor att besvara", "Questions to answer"),
        Nav::Questions,
        "/fragor",
        body,
    )
}

/// The close form.
#[derive(Debug, Deserialize)]
pub struct CloseForm {
    csrf: String,
    note: Option<String>,
}

/// Closes a question by hand.
pub async fn close(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Path(reference): Path<String>,
    Form(form): Form<CloseForm>,
) -> Response {
    let lang = person.lang;
    if let Some(refused) = csrf::refusal_unless_valid(lang, &person.session.row, &form.csrf) {
        return refused;
    }
    let store = state.pipeline().store();
    let ticket = match store.ticket(&reference).await {
        Ok(Some(t))
            if t.kind == TicketKind::QuestionToAnswer && person.access.sees(&t.account_key) =>
        {
            t
        }
        Ok(_) => return not_found(lang),
        Err(e) => return store_error(lang, e),
    };
    if !person.access.closes_questions(&ticket.account_key) {
        return super::forbidden(
            lang,
            lang.t(
                "Du kan inte stänga det här kontots frågor.",
                "You cannot close this account's questions.",
            ),
        );
    }
    let note = form
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let now = state.pipeline().clock().now();
    match store
        .close_ticket(&reference, &person.access.user, note, now)
        .await
    {
        Ok(TicketChange::Changed(_) | TicketChange::AlreadyClosed(_)) => {
            Redirect::to("/fragor").into_response()
        }
        Ok(TicketChange::NotFound) => not_found(lang),
        Err(e) => store_error(lang, e),
    }
}
