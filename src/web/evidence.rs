//! An item's evidence: the record's JSON as archived, its screenshot, and
//! whether the record still matches its hash (the same check an action
//! makes before it may act). Served only to people who may see the
//! account; the image is read from the archive, never from elsewhere.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;

use super::layout::{Nav, file_response};
use super::queue::load_item;
use super::session::LoggedIn;
use super::{WebState, not_found};
use crate::pipeline::RefusedPath;

/// The evidence page of an item.
pub async fn evidence_page(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Path(id): Path<i64>,
) -> Response {
    let lang = person.lang;
    let item = match load_item(&state, &person.access, id, lang).await {
        Ok(item) => item,
        Err(response) => return response,
    };
    let archive = state.pipeline().archive();
    let record = item.stored.record_path.clone();
    report_refused_record_path(
        &state,
        item.stored.id,
        record.as_deref(),
        DURING_EVIDENCE_PAGE,
    )
    .await;
    let verified = record
        .as_deref()
        .map(|p| archive.receipt_for(std::path::Path::new(p)));
    let json = record
        .as_deref()
        .and_then(|p| crate::archive::checked_record_path(p).ok())
        .and_then(|p| std::fs::read_to_string(archive.root().join(p)).ok())
        .map(|text| {
            serde_json::from_str::<serde_json::Value>(&text)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or(text)
        });
    let has_screenshot = record
        .as_deref()
        .and_then(|p| crate::archive::checked_record_path(p).ok())
        .is_some_and(|p| archive.root().join(p).with_extension("png").is_file());
    let body = html! {
        p { a href={ "/granska/" (id) } { (lang.t("Tillbaka till kommentaren", "Back to the comment")) } }
        h2 { (lang.t("Verifiering", "Verification")) }
        @match &verified {
            Some(Ok(receipt)) => p class="notice" {
                (lang.t("Bevisposten är oförändrad: dess SHA-256 stämmer (", "The record is unchanged: its SHA-256 matches ("))
                code { (receipt.record_sha256()) } ")."
            },
            Some(Err(error)) => p class="warning" {
                (lang.t("Bevisposten kunde inte verifieras: ", "The record could not be verified: ")) (error.to_string())
            },
            None => p { (lang.t("Kommentaren har ingen bevispost ännu.", "The comment has no evidence record yet.")) },
        }
        @if let Some(path) = &record {
            p class="muted" { (lang.t("Fil i arkivet: ", "File in the archive: ")) code { (path) } }
        }
        @if has_screenshot {
            h2 { (lang.t("Skärmdump", "Screenshot")) }
            img class="evidence" src={ "/bevis/" (id) "/bild" }
                alt=(lang.t("Skärmdump av kommentaren i bevisposten", "Screenshot of the comment in the evidence record"));
        }
        @if let Some(json) = json {
            h2 { (lang.t("Bevispostens innehåll (JSON)", "The record's content (JSON)")) }
            pre { code { (json) } }
        }
    };
    person.page(
        lang.t("Bevispost", "Evidence record"),
        Nav::None,
        &format!("/bevis/{id}"),
        body,
    )
}

/// What the evidence page was doing when it refused a record path (for
/// the operations e-mail, in Swedish).
const DURING_EVIDENCE_PAGE: &str =
    "visningen av bevisposten i moderatorskonsolen (posten visades inte)";

/// A record path from the database that the archive refuses is shown to
/// the moderator as unverifiable (or, on the review page, said to be
/// reported) and told to operations (once per row and path, whichever
/// page met it first); the page goes on either way. Answers whether the
/// path was refused.
pub(super) async fn report_refused_record_path(
    state: &WebState,
    comment_row: i64,
    path: Option<&str>,
    during: &'static str,
) -> bool {
    let row = format!("comments.id = {comment_row}");
    let Some(refused) = path.and_then(|p| RefusedPath::check(row, during, p)) else {
        return false;
    };
    tracing::warn!(
        comment_id = comment_row,
        "The console refused the comment's evidence path from the database; its record \
         is not shown"
    );
    if let Err(e) = state.pipeline().report_refused_path(&refused).await {
        tracing::error!(error = %e, "Cannot queue the notice of a refused record path");
    }
    true
}

/// The screenshot beside an item's evidence record.
pub async fn screenshot(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Path(id): Path<i64>,
) -> Response {
    let lang = person.lang;
    let item = match load_item(&state, &person.access, id, lang).await {
        Ok(item) => item,
        Err(response) => return response,
    };
    let Some(record) = item
        .stored
        .record_path
        .as_deref()
        .and_then(|p| crate::archive::checked_record_path(p).ok())
    else {
        return not_found(lang);
    };
    let file = state
        .pipeline()
        .archive()
        .root()
        .join(record)
        .with_extension("png");
    match tokio::fs::read(&file).await {
        Ok(png) => file_response(png, "image/png", "private, no-store"),
        Err(_) => not_found(lang),
    }
}
