//! The overview for account owners and operations: each visible account's
//! last monitoring outcome, the accounts failing, the overdue tickets and
//! whether crisis mode is on.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use maud::html;

use super::layout::Nav;
use super::queue::local_time;
use super::session::LoggedIn;
use super::{WebState, store_error};

/// The overview page.
pub async fn overview_page(State(state): State<Arc<WebState>>, person: LoggedIn) -> Response {
    let lang = person.lang;
    let store = state.pipeline().store();
    let loaded = async {
        Ok::<_, crate::store::StoreError>((
            store.last_account_outcomes().await?,
            store.tickets(false).await?,
            store.last_run_started().await?,
        ))
    }
    .await;
    let (outcomes, tickets, last_run) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return store_error(lang, e),
    };
    let now = state.pipeline().clock().now();
    let crisis = state.crisis.borrow().enabled;
    let overdue: Vec<_> = tickets
        .iter()
        .filter(|t| person.access.sees(&t.account_key) && t.is_overdue(now))
        .collect();
    let body = html! {
        @if crisis {
            p class="warning" role="status" { (lang.t("Krisläge är på: bevakning dygnet runt.", "Crisis mode is on: monitoring around the clock.")) }
        } @else {
            p class="notice" { (lang.t("Krisläge är av.", "Crisis mode is off.")) }
        }
        p { (lang.t("Senaste bevakning startade: ", "Last monitoring run started: "))
            (last_run.map(local_time).unwrap_or_else(|| lang.t("ingen ännu", "none yet").to_string())) }
        h2 { (lang.t("Konton", "Accounts")) }
        table {
            thead { tr {
                th scope="col" { (lang.t("Konto", "Account")) }
                th scope="col" { (lang.t("Senaste bevakning", "Last run")) }
                th scope="col" { (lang.t("Utfall", "Outcome")) }
            } }
            tbody {
                @for key in &person.access.visible {
                    @let outcome = outcomes.iter().find(|o| &o.0 == key);
                    tr {
                        td { (key) }
                        td { (outcome.map(|o| local_time(o.1)).unwrap_or_default()) }
                        td {
                            @match outcome {
                                Some((_, _, result, error)) if result != "ok" => strong class="warning" {
                                    (lang.t("fel", "failing")) ": " (error.as_deref().unwrap_or(result))
                                },
                                Some(_) => "ok",
                                None => (lang.t("inte bevakat ännu", "not monitored yet")),
                            }
                        }
                    }
                }
            }
        }
        h2 { (lang.t("Försenade ärenden", "Overdue tickets")) }
        @if overdue.is_empty() {
            p { (lang.t("Inga.", "None.")) }
        } @else {
            ul {
                @for t in &overdue {
                    li {
                        @if let Some(comment) = t.comment_id { a href={ "/granska/" (comment) } { (t.reference) } } @else { (t.reference) }
                        " – " (t.kind.swedish_name()) " – " (t.due_at.map(local_time).unwrap_or_default())
                    }
                }
            }
        }
    };
    person.page(
        lang.t("Översikt", "Overview"),
        Nav::Overview,
        "/oversikt",
        body,
    )
}
