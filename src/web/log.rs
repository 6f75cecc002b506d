//! The moderation log: every hide, delete and restore, automatic or by a
//! person, and every decision that made no platform call, newest first,
//! filterable, and exportable as CSV for the registry office.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::layout::{Lang, Nav, ShellUser, page, respond};
use super::queue::local_time;
use super::session::{LoggedIn, urlencode};
use super::{WebState, internal_error, store_error};
use crate::store::{LogEntry, LogFilter};

/// Entries on the page and in one export.
const LOG_LIMIT: i64 = 500;

/// The log's filters.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    konto: Option<String>,
    vem: Option<String>,
    typ: Option<String>,
}

impl LogQuery {
    fn filter(&self, accounts: &[String]) -> LogFilter {
        let non_empty = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        LogFilter {
            accounts: accounts.to_vec(),
            account: non_empty(&self.konto),
            automatic: match self.vem.as_deref() {
                Some("tjansten") => Some(true),
                Some("person") => Some(false),
                _ => None,
            },
            kind: non_empty(&self.typ),
            limit: LOG_LIMIT,
        }
    }

    fn query_string(&self) -> String {
        [
            ("konto", &self.konto),
            ("vem", &self.vem),
            ("typ", &self.typ),
        ]
        .iter()
        .filter_map(|(name, value)| {
            value
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{name}={}", urlencode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

fn kind_label(lang: Lang, kind: &str) -> String {
    let label = match kind {
        "hide" => lang.t("dold", "hidden"),
        "delete" => lang.t("raderad", "deleted"),
        "unhide" => lang.t("återställd", "restored"),
        "no_action" => lang.t("ingen åtgärd", "no action"),
        "refer_registry" => lang.t("till registrator", "referred to the registry"),
        "refer_police" => lang.t("pröva polisanmälan", "police report to consider"),
        other => return other.to_string(),
    };
    label.to_string()
}

/// The log page.
pub async fn log_page(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Query(query): Query<LogQuery>,
) -> Response {
    let lang = person.lang;
    let entries = match state
        .pipeline()
        .store()
        .moderation_log(&query.filter(&person.access.visible))
        .await
    {
        Ok(entries) => entries,
        Err(e) => return store_error(lang, e),
    };
    let selected = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    let body = html! {
        form method="get" action="/logg" class="filters" {
            div {
                label for="konto" { (lang.t("Konto", "Account")) }
                select id="konto" name="konto" {
                    option value="" { (lang.t("Alla", "All")) }
                    @for key in &person.access.visible {
                        option value=(key) selected[selected(&query.konto, key)] { (key) }
                    }
                }
            }
            div {
                label for="vem" { (lang.t("Vem", "Who")) }
                select id="vem" name="vem" {
                    option value="" { (lang.t("Alla", "All")) }
                    option value="tjansten" selected[selected(&query.vem, "tjansten")] { (lang.t("Tjänsten (automatiskt)", "The service (automatic)")) }
                    option value="person" selected[selected(&query.vem, "person")] { (lang.t("En person", "A person")) }
                }
            }
            div {
                label for="typ" { (lang.t("Åtgärd", "Action")) }
                select id="typ" name="typ" {
                    option value="" { (lang.t("Alla", "All")) }
                    @for kind in ["hide", "delete", "unhide", "no_action", "refer_registry", "refer_police"] {
                        option value=(kind) selected[selected(&query.typ, kind)] { (kind_label(lang, kind)) }
                    }
                }
            }
            button type="submit" { (lang.t("Filtrera", "Filter")) }
        }
        p { a href={ "/logg.csv?" (query.query_string()) } download { (lang.t("Exportera som CSV", "Export as CSV")) } }
        @if entries.is_empty() {
            p class="notice" { (lang.t("Inga åtgärder ännu.", "No actions yet.")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (lang.t("Tid", "Time")) }
                    th scope="col" { (lang.t("Konto", "Account")) }
                    th scope="col" { (lang.t("Åtgärd", "Action")) }
                    th scope="col" { (lang.t("Utfall", "Outcome")) }
                    th scope="col" { (lang.t("Vem", "Who")) }
                    th scope="col" { (lang.t("Anteckning", "Note")) }
                } }
                tbody {
                    @for entry in &entries {
                        tr {
                            td { a href={ "/granska/" (entry.comment_row) } { (local_time(entry.at)) } }
                            td { (entry.account_key) }
                            td { (kind_label(lang, &entry.kind)) }
                            td { (entry.state) }
                            td { @if entry.actor == "service" { (lang.t("tjänsten", "the service")) } @else { (entry.actor) } }
                            td { (entry.note.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    };
    let user = ShellUser {
        name: &person.access.name,
        csrf: &person.session.row.csrf,
    };
    respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("Modereringslogg", "Moderation log"),
            Nav::Log,
            Some(&user),
            "/logg",
            body,
        ),
    )
}

/// The log as CSV (UTF-8, comma-separated, one header line).
pub async fn csv_export(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Query(query): Query<LogQuery>,
) -> Response {
    let lang = person.lang;
    let entries = match state
        .pipeline()
        .store()
        .moderation_log(&query.filter(&person.access.visible))
        .await
    {
        Ok(entries) => entries,
        Err(e) => return store_error(lang, e),
    };
    match to_csv(&entries) {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"modereringslogg.csv\""),
            );
            response
        }
        Err(e) => internal_error(lang, &e),
    }
}

/// The entries as CSV.
pub fn to_csv(entries: &[LogEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "tid",
        "konto",
        "kommentar_rad",
        "kommentar_id",
        "atgard",
        "utfall",
        "vem",
        "anteckning",
    ])?;
    for e in entries {
        writer.write_record([
            crate::store::ts(e.at).as_str(),
            &e.account_key,
            &e.comment_row.to_string(),
            &e.platform_comment_id,
            &e.kind,
            &e.state,
            &e.actor,
            e.note.as_deref().unwrap_or(""),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}
