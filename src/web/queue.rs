//! The review queue — comments the service left to a person, oldest first,
//! filterable — and the page of one item: the comment with its findings
//! marked, each finding's reason and legal basis, the post and thread
//! around it, the evidence screenshot, the author, a link to the platform,
//! the decision form and the item's history.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Access;
use super::decide::{Decision, allowed_decisions};
use super::layout::{Lang, Nav, filter_query, filter_select, filter_value, highlighted};
use super::session::LoggedIn;
use super::{WebState, not_found, store_error};
use crate::alerts::templates::category_sv;
use crate::classify::Language;
use crate::domain::{Capabilities, Category, Finding};
use crate::store::{
    ActionState, ModeratorDecisionRow, QueueFilter, RecordedAction, StoredComment, UNHIDE_KIND,
};

/// Items per queue page.
const PAGE_SIZE: i64 = 25;
/// Comments of a thread shown around an item.
const THREAD_LIMIT: i64 = 50;

/// The queue's filters and page, from the address.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    konto: Option<String>,
    plattform: Option<String>,
    kategori: Option<String>,
    sakerhet: Option<String>,
    sida: Option<i64>,
}

/// The review queue.
pub async fn queue_page(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Query(query): Query<QueueQuery>,
) -> Response {
    let lang = person.lang;
    let page_no = query.sida.unwrap_or(1).max(1);
    let filter = QueueFilter {
        accounts: person.access.visible.clone(),
        account: filter_value(&query.konto),
        platform: filter_value(&query.plattform),
        category: filter_value(&query.kategori),
        confidence: filter_value(&query.sakerhet),
        offset: (page_no - 1) * PAGE_SIZE,
        // One more than shown tells whether there is a next page.
        limit: PAGE_SIZE + 1,
    };
    let store = state.pipeline().store();
    let (mut items, categories) = match (
        store.review_queue(&filter).await,
        store.finding_categories().await,
    ) {
        (Ok(items), Ok(categories)) => (items, categories),
        (Err(e), _) | (_, Err(e)) => return store_error(lang, e),
    };
    let more = items.len() as i64 > PAGE_SIZE;
    items.truncate(usize::try_from(PAGE_SIZE).unwrap_or(25));
    let mut rows = Vec::new();
    for item in &items {
        match store.findings(item.id).await {
            Ok(findings) => rows.push((item, findings)),
            Err(e) => return store_error(lang, e),
        }
    }
    let body = html! {
        p class="muted" {
            (lang.t("Tangenter: ", "Keys: ")) kbd { "j" } " / " kbd { "k" }
            (lang.t(" flyttar mellan kommentarerna, Enter öppnar.", " move between comments, Enter opens."))
        }
        (filters(lang, &person.access, &query, &categories))
        @if rows.is_empty() {
            p class="notice" { (lang.t("Inget att granska just nu.", "Nothing to review right now.")) }
        } @else {
            table {
                caption class="muted" { (lang.t("Äldst först", "Oldest first")) }
                thead { tr {
                    th scope="col" { (lang.t("Kommentar", "Comment")) }
                    th scope="col" { (lang.t("Konto", "Account")) }
                    th scope="col" { (lang.t("Skäl", "Reasons")) }
                    th scope="col" { (lang.t("Beslutad för granskning", "Sent to review")) }
                } }
                tbody {
                    @for (item, findings) in &rows {
                        tr {
                            td { a href={ "/granska/" (item.id) } data-item { (excerpt(&item.comment.text)) } }
                            td { (item.account_key) }
                            td { (categories_of(lang, findings)) }
                            td { (item.decided_at.map(local_time).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
        nav aria-label=(lang.t("Sidor", "Pages")) class="pages" {
            @if page_no > 1 {
                a href=(page_link(&query, page_no - 1)) { (lang.t("Föregående sida", "Previous page")) }
                " "
            }
            @if more {
                a href=(page_link(&query, page_no + 1)) { (lang.t("Nästa sida", "Next page")) }
            }
        }
    };
    person.page(
        lang.t("Granskningskö", "Review queue"),
        Nav::Queue,
        "/",
        body,
    )
}

fn filters(lang: Lang, access: &Access, query: &QueueQuery, categories: &[String]) -> Markup {
    let own = |values: &[&str]| -> Vec<(String, String)> {
        values
            .iter()
            .map(|v| (v.to_string(), v.to_string()))
            .collect()
    };
    let visible: Vec<&str> = access.visible.iter().map(String::as_str).collect();
    let accounts = own(&visible);
    let platforms = own(&["facebook", "instagram", "youtube", "linkedin", "x"]);
    let categories: Vec<(String, String)> = categories
        .iter()
        .map(|c| (c.clone(), category_name(lang, c)))
        .collect();
    let confidences: Vec<(String, String)> = ["possible", "probable", "obvious"]
        .iter()
        .map(|c| (c.to_string(), confidence_name(lang, c).to_string()))
        .collect();
    html! {
        form method="get" action="/" class="filters" {
            (filter_select(lang, "konto", lang.t("Konto", "Account"), &accounts, query.konto.as_deref()))
            (filter_select(lang, "plattform", lang.t("Plattform", "Platform"), &platforms, query.plattform.as_deref()))
            (filter_select(lang, "kategori", lang.t("Kategori", "Category"), &categories, query.kategori.as_deref()))
            (filter_select(lang, "sakerhet", lang.t("Säkerhet", "Confidence"), &confidences, query.sakerhet.as_deref()))
            button type="submit" { (lang.t("Filtrera", "Filter")) }
        }
    }
}

fn page_link(query: &QueueQuery, page_no: i64) -> String {
    let filters = filter_query(&[
        ("konto", &query.konto),
        ("plattform", &query.plattform),
        ("kategori", &query.kategori),
        ("sakerhet", &query.sakerhet),
    ]);
    if filters.is_empty() {
        format!("/?sida={page_no}")
    } else {
        format!("/?sida={page_no}&{filters}")
    }
}

/// A category's name in the page's language.
pub fn category_name(lang: Lang, name: &str) -> String {
    match (lang, Category::from_name(name)) {
        (Lang::Sv, Some(category)) => category_sv(category).to_string(),
        _ => name.replace('_', " "),
    }
}

/// A comment's language as the person reads it, in the console's language.
fn language_name(lang: Lang, language: Language) -> String {
    match lang {
        Lang::Sv => language.swedish_name().to_owned(),
        Lang::En => language.english_name(),
    }
}

fn categories_of(lang: Lang, findings: &[Finding]) -> String {
    let mut names: Vec<String> = findings
        .iter()
        .map(|f| category_name(lang, f.category.as_str()))
        .collect();
    names.dedup();
    names.join(", ")
}

/// The first words of a text, for lists.
fn excerpt(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A time as the city reads it.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Stockholm)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// One item and everything its page shows, loaded only for a person who
/// may see its account.
pub struct Item {
    /// The comment version.
    pub stored: StoredComment,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// People's decisions on it.
    pub decisions: Vec<ModeratorDecisionRow>,
    /// Every platform action on it.
    pub actions: Vec<RecordedAction>,
    /// What its platform allows.
    pub capabilities: Capabilities,
}

/// Where the comment stands on its platform, as the service left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformState {
    /// Visible to the public.
    Visible,
    /// Hidden by the service or a person.
    Hidden,
    /// Deleted (or rejected, where the platform cannot delete).
    Deleted,
}

impl Item {
    /// The round a new decision takes: how many were made before.
    pub fn round(&self) -> i64 {
        i64::try_from(self.decisions.len()).unwrap_or(i64::MAX)
    }

    /// Whether a person has settled it (hidden, deleted, found lawful).
    pub fn settled(&self) -> bool {
        self.decisions
            .iter()
            .any(|d| crate::store::SETTLING_DECISIONS.contains(&d.decision.as_str()))
    }

    /// Where the comment stands on the platform.
    pub fn platform_state(&self) -> PlatformState {
        let done = |kind: &str| {
            self.actions
                .iter()
                .any(|a| a.kind == kind && a.state == ActionState::Done)
        };
        if done("delete") {
            return PlatformState::Deleted;
        }
        let last_console = self.decisions.iter().rev().find(|d| {
            matches!(d.decision.as_str(), "hide" | "restore")
                && d.outcome.as_deref() == Some("done")
        });
        match last_console.map(|d| d.decision.as_str()) {
            Some("restore") => PlatformState::Visible,
            Some(_) => PlatformState::Hidden,
            None if done("hide") && !done(UNHIDE_KIND) => PlatformState::Hidden,
            None => PlatformState::Visible,
        }
    }
}

/// Loads item `id` if `access` may see its account; `None` otherwise —
/// not there and not theirs look the same.
pub async fn load_item(
    state: &WebState,
    access: &Access,
    id: i64,
    lang: Lang,
) -> Result<Item, Response> {
    let store = state.pipeline().store();
    let stored = match store.comment(id).await {
        Ok(Some(stored)) if access.sees(&stored.account_key) && stored.state != "own" => stored,
        Ok(_) => return Err(not_found(lang)),
        Err(e) => return Err(store_error(lang, e)),
    };
    let loaded = async {
        Ok::<_, crate::store::StoreError>((
            store.findings(id).await?,
            store.moderator_decisions(id).await?,
            store.recorded_actions(id).await?,
        ))
    }
    .await;
    let (findings, decisions, actions) = loaded.map_err(|e| store_error(lang, e))?;
    let accounts = state.pipeline().accounts();
    let capabilities = accounts
        .get(stored.account_key.as_str())
        .and_then(|a| a.platform.as_ref().ok())
        .map_or(Capabilities::NONE, |p| p.capabilities(&stored.comment));
    Ok(Item {
        stored,
        findings,
        decisions,
        actions,
        capabilities,
    })
}

/// `?beslut=…` after a decision: what to tell the person.
#[derive(Debug, Default, Deserialize)]
pub struct ItemQuery {
    beslut: Option<String>,
}

/// One item's page.
pub async fn item_page(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Path(id): Path<i64>,
    Query(query): Query<ItemQuery>,
) -> Response {
    let lang = person.lang;
    let item = match load_item(&state, &person.access, id, lang).await {
        Ok(item) => item,
        Err(response) => return response,
    };
    let notice = query
        .beslut
        .as_deref()
        .map(|outcome| decision_notice(lang, outcome));
    render_item(&state, &person, &item, notice, StatusCode::OK).await
}

fn decision_notice(lang: Lang, outcome: &str) -> Markup {
    let text = match outcome {
        "done" => lang.t("Beslutet är genomfört och registrerat.", "The decision was carried out and recorded."),
        "dry_run" => lang.t(
            "Beslutet är registrerat. Kontot körs i torrkörningsläge: plattformen anropades inte.",
            "The decision was recorded. The account runs in dry-run mode: the platform was not called.",
        ),
        "recorded" => lang.t("Beslutet är registrerat.", "The decision was recorded."),
        "retry" => lang.t(
            "Beslutet är registrerat men plattformen svarade inte; tjänsten försöker igen vid nästa bevakning.",
            "The decision was recorded but the platform did not answer; the service tries again at the next run.",
        ),
        _ => lang.t(
            "Beslutet är registrerat men kunde inte genomföras på plattformen. Se historiken.",
            "The decision was recorded but could not be carried out on the platform. See the history.",
        ),
    };
    html! { p class="notice" role="status" { (text) } }
}

/// What the review page was doing when it refused a record path (for the
/// operations e-mail, in Swedish).
const DURING_REVIEW_PAGE: &str =
    "visningen av kommentaren för granskning i moderatorskonsolen (skärmdumpen visades inte)";

/// Renders an item's page with an optional notice (a decision's outcome,
/// or that someone else decided first).
pub async fn render_item(
    state: &WebState,
    person: &LoggedIn,
    item: &Item,
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let lang = person.lang;
    let store = state.pipeline().store();
    let stored = &item.stored;
    let context = async {
        Ok::<_, crate::store::StoreError>((
            store
                .post_text(stored.account_id, &stored.comment.post_id)
                .await?,
            store
                .post_comments(stored.account_id, &stored.comment.post_id, THREAD_LIMIT)
                .await?,
        ))
    }
    .await;
    let (post_text, thread) = match context {
        Ok(context) => context,
        Err(e) => return store_error(lang, e),
    };
    // A refused path is no screenshot, and the moderator is told why.
    let path_refused = super::evidence::report_refused_record_path(
        state,
        stored.id,
        stored.record_path.as_deref(),
        DURING_REVIEW_PAGE,
    )
    .await;
    let has_screenshot = stored
        .record_path
        .as_deref()
        .and_then(|p| crate::archive::checked_record_path(p).ok())
        .is_some_and(|p| {
            state
                .pipeline()
                .archive()
                .root()
                .join(p)
                .with_extension("png")
                .is_file()
        });
    let spans: Vec<(usize, usize)> = item.findings.iter().map(|f| (f.start, f.end)).collect();
    let body = html! {
        @if let Some(notice) = notice { (notice) }
        section aria-labelledby="comment-heading" {
            h2 id="comment-heading" { (lang.t("Kommentaren", "The comment")) }
            p {
                (lang.t("Skriven av ", "Written by "))
                strong { (stored.comment.author_name.as_deref().unwrap_or(lang.t("(namn saknas)", "(no name)"))) }
                " · " (local_time(stored.comment.created_at))
                " · " (stored.account_key)
            }
            @let language = stored.language.as_deref().and_then(Language::from_code).filter(|l| l.is_known());
            div class="comment" lang=(language.map_or("sv", Language::code)) dir="auto" { (highlighted(&stored.comment.text, &spans)) }
            @if let Some(language) = language.filter(|l| *l != Language::SWEDISH) {
                p class="muted" { (lang.t("Språk: ", "Language: ")) (language_name(lang, language)) }
            }
            p {
                @if let Some(link) = &stored.comment.permalink {
                    a href=(link) rel="noreferrer noopener" { (lang.t("Öppna kommentaren på plattformen", "Open the comment on the platform")) }
                    " · "
                }
                a href={ "/bevis/" (stored.id) } { (lang.t("Bevispost", "Evidence record")) }
            }
            @if path_refused {
                p class="warning" role="status" {
                    (lang.t(
                        "Bevisets sökväg i databasen avvisades och har rapporterats till driften.",
                        "The evidence path in the database was refused and has been reported to operations.",
                    ))
                }
            }
        }
        section aria-labelledby="findings-heading" {
            h2 id="findings-heading" { (lang.t("Varför den flaggades", "Why it was flagged")) }
            @if item.findings.is_empty() {
                p { (lang.t("Inga fynd.", "No findings.")) }
            }
            ul {
                @for finding in &item.findings {
                    li {
                        strong { (category_name(lang, finding.category.as_str())) }
                        " (" (confidence_name(lang, finding.confidence.as_str())) "): "
                        span lang="sv" { (finding.reason) }
                        br;
                        span class="muted" { (lang.t("Rättslig grund: ", "Legal basis: ")) span lang="sv" { (finding.legal_basis) } }
                    }
                }
            }
        }
        (decision_form(lang, person, item))
        section aria-labelledby="thread-heading" {
            h2 id="thread-heading" { (lang.t("Inlägget och tråden", "The post and the thread")) }
            @if let Some(text) = post_text {
                blockquote lang="sv" { (text) }
            }
            ol class="thread" {
                @for other in &thread {
                    @let this = other.comment.platform_id == stored.comment.platform_id;
                    li class=[this.then_some("this")] {
                        strong { (other.comment.author_name.as_deref().unwrap_or("–")) }
                        @if other.comment.parent_id.is_some() { " " span class="muted" { (lang.t("(svar)", "(reply)")) } }
                        ": " span lang="sv" { (excerpt(&other.comment.text)) }
                    }
                }
            }
        }
        @if has_screenshot {
            section aria-labelledby="shot-heading" {
                h2 id="shot-heading" { (lang.t("Skärmdump i bevisposten", "Screenshot in the evidence record")) }
                img class="evidence" src={ "/bevis/" (stored.id) "/bild" }
                    alt=(lang.t("Skärmdump av kommentaren som den visades", "Screenshot of the comment as it was shown"));
            }
        }
        (history(lang, item))
    };
    let path = format!("/granska/{}", stored.id);
    person.page_with_status(
        status,
        lang.t("Granska kommentar", "Review comment"),
        Nav::Queue,
        &path,
        body,
    )
}

fn confidence_name(lang: Lang, name: &str) -> &'static str {
    match name {
        "obvious" => lang.t("uppenbar", "obvious"),
        "probable" => lang.t("sannolik", "probable"),
        _ => lang.t("möjlig", "possible"),
    }
}

fn decision_form(lang: Lang, person: &LoggedIn, item: &Item) -> Markup {
    if !person.access.decides(&item.stored.account_key) {
        return html! {
            p class="muted" { (lang.t(
                "Du kan läsa men inte besluta om det här kontots kommentarer.",
                "You can read but not decide this account's comments."
            )) }
        };
    }
    let decisions = allowed_decisions(item);
    html! {
        section aria-labelledby="decide-heading" {
            h2 id="decide-heading" { (lang.t("Beslut", "Decision")) }
            form method="post" action={ "/granska/" (item.stored.id) "/beslut" } {
                input type="hidden" name="csrf" value=(person.session.row.csrf);
                input type="hidden" name="round" value=(item.round());
                p class="muted" id="decision-keys" {
                    (lang.t(
                        "Tangenter: bokstaven på en knapp flyttar dit, Enter genomför beslutet. Medan du skriver i anteckningen är bokstäverna bara text.",
                        "Keys: the letter on a button moves there, Enter carries out the decision. While you type in the note, letters are just text.",
                    ))
                }
                label for="note" { (lang.t("Anteckning (valfri, sparas i loggen)", "Note (optional, kept in the log)")) }
                textarea id="note" name="note" rows="2" cols="60" {}
                div class="decisions" {
                    @for decision in &decisions {
                        button type="submit" name="decision" value=(decision.name())
                            data-shortcut=(decision.shortcut())
                            class=[(decision == &Decision::Hide).then_some("primary")] {
                            (decision.label(lang)) " " kbd { (decision.shortcut()) }
                        }
                    }
                }
            }
        }
    }
}

fn history(lang: Lang, item: &Item) -> Markup {
    html! {
        section aria-labelledby="history-heading" {
            h2 id="history-heading" { (lang.t("Historik", "History")) }
            ul {
                @if let Some(at) = item.stored.decided_at {
                    li { (local_time(at)) " – " (lang.t("tjänsten: ", "the service: ")) (item.stored.action.map_or("", |a| a.as_str())) }
                }
                @for action in &item.actions {
                    li { (lang.t("Plattformsåtgärd ", "Platform action ")) (action.kind) ": " (format!("{:?}", action.state).to_lowercase())
                        @if let Some(error) = &action.last_error { " (" (error) ")" } }
                }
                @for decision in &item.decisions {
                    li {
                        (local_time(decision.decided_at)) " – " (decision.decided_by) ": "
                        (Decision::parse(&decision.decision).map_or(decision.decision.clone(), |d| d.label(lang).to_string()))
                        " (" (decision.outcome.as_deref().unwrap_or("…")) ")"
                        @if let Some(note) = &decision.note { " – " q { (note) } }
                    }
                }
            }
        }
    }
}
