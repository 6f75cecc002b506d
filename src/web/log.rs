//! The moderation log: every hide, delete and restore, automatic or by a
//! person, and every decision that made no platform call, newest first,
//! filterable, and exportable as CSV for the registry office.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::layout::{Lang, Nav, file_response, filter_query, filter_select, filter_value};
use super::queue::local_time;
use super::session::LoggedIn;
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
        LogFilter {
            accounts: accounts.to_vec(),
            account: filter_value(&self.konto),
            automatic: match self.vem.as_deref() {
                Some("tjansten") => Some(true),
                Some("person") => Some(false),
                _ => None,
            },
            kind: filter_value(&self.typ),
            limit: LOG_LIMIT,
        }
    }

    fn query_string(&self) -> String {
        filter_query(&[
            ("konto", &self.konto),
            ("vem", &self.vem),
            ("typ", &self.typ),
        ])
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

/// The entries the person may see under the query's filters.
async fn entries(
    state: &WebState,
    person: &LoggedIn,
    query: &LogQuery,
) -> Result<Vec<LogEntry>, Response> {
    state
        .pipeline()
        .store()
        .moderation_log(&query.filter(&person.access.visible))
        .await
        .map_err(|e| store_error(person.lang, e))
}

/// The log page.
pub async fn log_page(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Query(query): Query<LogQuery>,
) -> Response {
    let lang = person.lang;
    let entries = match entries(&state, &person, &query).await {
        Ok(entries) => entries,
        Err(response) => return response,
    };
    let accounts: Vec<(String, String)> = person
        .access
        .visible
        .iter()
        .map(|k| (k.clone(), k.clone()))
        .collect();
    let actors = vec![
        (
            "tjansten".to_string(),
            lang.t("Tjänsten (automatiskt)", "The service (automatic)")
                .to_string(),
        ),
        (
            "person".to_string(),
            lang.t("En person", "A person").to_string(),
        ),
    ];
    let kinds: Vec<(String, String)> = [
        "hide",
        "delete",
        "unhide",
        "no_action",
        "refer_registry",
        "refer_police",
    ]
    .iter()
    .map(|k| (k.to_string(), kind_label(lang, k)))
    .collect();
    let body = html! {
        form method="get" action="/logg" class="filters" {
            (filter_select(lang, "konto", lang.t("Konto", "Account"), &accounts, query.konto.as_deref()))
            (filter_select(lang, "vem", lang.t("Vem", "Who"), &actors, query.vem.as_deref()))
            (filter_select(lang, "typ", lang.t("Åtgärd", "Action"), &kinds, query.typ.as_deref()))
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
    person.page(
        lang.t("Modereringslogg", "Moderation log"),
        Nav::Log,
        "/logg",
        body,
    )
}

/// The log as CSV (UTF-8, comma-separated, one header line).
pub async fn csv_export(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Query(query): Query<LogQuery>,
) -> Response {
    let lang = person.lang;
    let entries = match entries(&state, &person, &query).await {
        Ok(entries) => entries,
        Err(response) => return response,
    };
    match to_csv(&entries) {
        Ok(bytes) => {
            let mut response = file_response(bytes, "text/csv; charset=utf-8", "no-store");
            response.headers_mut().insert(
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
