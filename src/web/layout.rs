//! The page shell every console page shares — language, navigation, the
//! logged-in person, the logout form — and the two static files the
//! console serves itself (its stylesheet and its keyboard shortcuts), so
//! the Content-Security-Policy can forbid everything from elsewhere and
//! every inline script.
//!
//! Pages are written with `maud`, which escapes every interpolated value:
//! comment texts and author names from the platforms never become markup.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// The language a page is shown in. Swedish is the service's language;
/// English is there for those who need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Svenska.
    #[default]
    Sv,
    /// English.
    En,
}

impl Lang {
    /// The cookie value / query value naming it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Reads a code; anything unknown is Swedish.
    pub fn parse(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Sv
        }
    }

    /// Picks the text in this language: the Swedish and English text of
    /// every label sit side by side where they are used.
    pub fn t(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// Who is logged in, as the shell shows them.
pub struct ShellUser<'a> {
    /// Their name or login.
    pub name: &'a str,
    /// The session's CSRF token, for the logout form.
    pub csrf: &'a str,
}

/// Which navigation entry is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The review queue and items.
    Queue,
    /// Questions awaiting an answer.
    Questions,
    /// The moderation log.
    Log,
    /// The overview.
    Overview,
    /// Pages outside the navigation (login, evidence).
    None,
}

/// A whole page: the shell around `body`.
pub fn page(
    lang: Lang,
    title: &str,
    nav: Nav,
    user: Option<&ShellUser<'_>>,
    path: &str,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – kommentarsvakt" }
                link rel="stylesheet" href="/static/konsol.css";
                script src="/static/konsol.js" defer {}
            }
            body {
                a class="skip" href="#main" { (lang.t("Hoppa till innehållet", "Skip to content")) }
                header {
                    p class="brand" { "kommentarsvakt" }
                    @if let Some(user) = user {
                        nav aria-label=(lang.t("Huvudmeny", "Main menu")) {
                            ul {
                                (nav_item(nav, Nav::Queue, "/", lang.t("Granskning", "Review")))
                                (nav_item(nav, Nav::Questions, "/fragor", lang.t("Frågor", "Questions")))
                                (nav_item(nav, Nav::Log, "/logg", lang.t("Logg", "Log")))
                                (nav_item(nav, Nav::Overview, "/oversikt", lang.t("Översikt", "Overview")))
                            }
                        }
                        form method="post" action="/logga-ut" class="logout" {
                            span { (user.name) }
                            input type="hidden" name="csrf" value=(user.csrf);
                            button type="submit" { (lang.t("Logga ut", "Log out")) }
                        }
                    }
                    (language_switch(lang, path))
                }
                main id="main" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

fn nav_item(current: Nav, this: Nav, href: &str, label: &str) -> Markup {
    html! {
        li {
            @if current == this {
                a href=(href) aria-current="page" { (label) }
            } @else {
                a href=(href) { (label) }
            }
        }
    }
}

fn language_switch(lang: Lang, path: &str) -> Markup {
    let (code, label, name) = match lang {
        Lang::Sv => ("en", "English", "en"),
        Lang::En => ("sv", "Svenska", "sv"),
    };
    html! {
        a class="lang" href={ "/sprak?l=" (code) "&till=" (super::session::urlencode(path)) } lang=(name) hreflang=(name) {
            (label)
        }
    }
}

/// A labelled filter select with "all" first; `options` are value and
/// label, `selected` the value in force.
pub fn filter_select(
    lang: Lang,
    id: &str,
    label: &str,
    options: &[(String, String)],
    selected: Option<&str>,
) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            select id=(id) name=(id) {
                option value="" { (lang.t("Alla", "All")) }
                @for (value, text) in options {
                    option value=(value) selected[selected == Some(value.as_str())] { (text) }
                }
            }
        }
    }
}

/// A filter's value from the address: trimmed, and `None` when empty (the
/// "all" choice of [`filter_select`]).
pub fn filter_value(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The filters in force as `name=value&…` (values URL-encoded, empty ones
/// left out), for links that keep them: the next page, the CSV export.
pub fn filter_query(filters: &[(&str, &Option<String>)]) -> String {
    filters
        .iter()
        .filter_map(|(name, value)| {
            filter_value(value).map(|v| format!("{name}={}", super::session::urlencode(&v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A page as an HTML response with its status.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// A short message on its own page (not found, refused, conflict).
pub fn message_page(lang: Lang, status: StatusCode, title: &str, text: &str) -> Response {
    respond(
        status,
        page(
            lang,
            title,
            Nav::None,
            None,
            "/",
            html! { p { (text) } p { a href="/" { (lang.t("Till granskningskön", "To the review queue")) } } },
        ),
    )
}

/// Text with spans marked: each `(start, end)` byte range of `text` is
/// wrapped in `<mark>`. Ranges that overlap, run past the text or cut a
/// character are left unmarked rather than guessed.
pub fn highlighted(text: &str, spans: &[(usize, usize)]) -> Markup {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|&(s, e)| s < e && text.get(s..e).is_some())
        .collect();
    spans.sort_unstable();
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            continue;
        }
        parts.push((false, &text[at..start]));
        parts.push((true, &text[start..end]));
        at = end;
    }
    parts.push((false, &text[at..]));
    html! {
        @for (marked, part) in parts {
            @if marked { mark { (part) } } @else { (part) }
        }
    }
}

/// The console's stylesheet: readable at 200 % zoom, visible focus, enough
/// contrast (WCAG 2.1 AA).
pub const CSS: &str = include_str!("konsol.css");

/// The console's only script: keyboard shortcuts.
pub const JS: &str = include_str!("konsol.js");

/// Serves a static file with a long cache lifetime.
pub fn static_file(content_type: &'static str, body: &'static str) -> Response {
    file_response(body, content_type, "public, max-age=3600")
}

/// A file's bytes with its type and how it may be cached.
pub fn file_response(
    body: impl IntoResponse,
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_marked_and_text_is_escaped() {
        let text = "Du <b>idiot</b> 19121212-1212";
        let start = text.find("19121212").unwrap();
        let html = highlighted(text, &[(start, text.len())]).into_string();
        assert_eq!(
            html,
            "Du &lt;b&gt;idiot&lt;/b&gt; <mark>19121212-1212</mark>"
        );
    }

    #[test]
    fn spans_that_cut_a_character_or_overlap_are_left_unmarked() {
        let text = "åäö abc";
        let abc = text.find("abc").unwrap();
        let html = highlighted(text, &[(1, 3), (abc, abc + 3), (abc + 1, abc + 2)]).into_string();
        assert_eq!(html, "åäö <mark>abc</mark>");
    }

    #[test]
    fn filters_in_force_are_kept_in_links_and_empty_ones_dropped() {
        let account = Some(" konto a ".to_string());
        let all = Some("  ".to_string());
        let kind = Some("hide".to_string());
        assert_eq!(
            filter_query(&[
                ("konto", &account),
                ("vem", &all),
                ("typ", &kind),
                ("x", &None)
            ]),
            "konto=konto%20a&typ=hide"
        );
        assert_eq!(filter_value(&all), None);
        assert_eq!(filter_query(&[("vem", &all)]), "");
    }

    #[test]
    fn language_switch_keeps_the_page() {
        let html = language_switch(Lang::Sv, "/granska/12?konto=a b").into_string();
        assert!(
            html.contains("/sprak?l=en&amp;till=/granska/12%3Fkonto%3Da%20b"),
            "{html}"
        );
    }
}
