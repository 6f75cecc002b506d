//! Sessions: a random 256-bit token in a cookie, the session itself in the
//! database (`web_sessions`, keyed by the token's SHA-256).
//!
//! Server-side rows rather than signed cookies, because a session must be
//! endable: logging out, an expiry, or an operator deleting the rows ends
//! it at once, on every instance that shares the database — a signed
//! cookie stays valid until it expires wherever it was copied to. The row
//! also holds the CSRF token and, during an OpenID Connect login, its
//! state, nonce and PKCE verifier, none of which then travel in cookies.
//!
//! The cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (sent when
//! a person follows an e-mail's link to an item, never on another site's
//! POST), `Secure` with the `__Host-` prefix whenever the console is
//! reached over https, and expires with the session. A new token is issued
//! at login, so a token seen before login is worth nothing after it.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::auth::{Access, access_for};
use super::oidc::PendingLogin;
use maud::Markup;

use super::layout::{Lang, Nav, ShellUser, page, respond};
use super::{WebState, store_error};
use crate::config::WebConfig;
use crate::store::SessionRow;

/// The language cookie's name (not a secret; readable by nobody but us).
const LANG_COOKIE: &str = "kv_lang";

/// How long a session before login lives (the login form's CSRF token).
const ANONYMOUS_TTL: chrono::Duration = chrono::Duration::minutes(30);

/// The session cookie's name: `__Host-` pinned to this host over https.
pub fn cookie_name(web: &WebConfig) -> &'static str {
    if web.secure_cookies {
        "__Host-kv_session"
    } else {
        "kv_session"
    }
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// A fresh random token, hex encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database keys a session by.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that gives the browser `token` until `expires`.
pub fn session_cookie(web: &WebConfig, token: &str, seconds: i64) -> HeaderValue {
    let secure = if web.secure_cookies { "; Secure" } else { "" };
    let value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        cookie_name(web),
        seconds.max(0)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A loaded session and the hash it is stored under.
#[derive(Debug, Clone)]
pub struct Session {
    /// The key of its row.
    pub token_hash: String,
    /// The row.
    pub row: SessionRow,
}

/// Starts a session (anonymous, or for a person at login) and returns the
/// session and the `Set-Cookie` value.
pub async fn start(
    state: &WebState,
    user: Option<(&str, &str)>,
    groups: Vec<String>,
) -> Result<(Session, HeaderValue), crate::store::StoreError> {
    create(state, user, groups, None).await
}

/// Replaces the anonymous session `old_token_hash` with one that holds an
/// OpenID Connect login under way, and returns its `Set-Cookie` value. A
/// new token, so that whoever saw the old one cannot finish this login.
pub async fn start_login(
    state: &WebState,
    old_token_hash: &str,
    pending: &PendingLogin,
) -> Result<HeaderValue, crate::store::StoreError> {
    state
        .pipeline
        .store()
        .delete_session(old_token_hash)
        .await?;
    let json = serde_json::to_string(pending)
        .map_err(|e| crate::store::StoreError::Invalid(format!("login under way: {e}")))?;
    let (_, cookie) = create(state, None, Vec::new(), Some(json)).await?;
    Ok(cookie)
}

async fn create(
    state: &WebState,
    user: Option<(&str, &str)>,
    groups: Vec<String>,
    pending: Option<String>,
) -> Result<(Session, HeaderValue), crate::store::StoreError> {
    let now = state.pipeline.clock().now();
    let ttl = match user {
        Some(_) => {
            chrono::Duration::from_std(state.web.session_ttl).unwrap_or(chrono::Duration::hours(8))
        }
        None => ANONYMOUS_TTL,
    };
    let token = new_token();
    let row = SessionRow {
        user_id: user.map(|(id, _)| id.to_string()),
        user_name: user.map(|(_, name)| name.to_string()),
        groups,
        csrf: new_token(),
        pending,
        expires_at: now + ttl,
    };
    let hash = token_hash(&token);
    let store = state.pipeline.store();
    store.create_session(&hash, &row, now).await?;
    // Expired rows go when new ones come; nothing else has to sweep them.
    store.delete_expired_sessions(now).await?;
    let cookie = session_cookie(&state.web, &token, ttl.num_seconds());
    Ok((
        Session {
            token_hash: hash,
            row,
        },
        cookie,
    ))
}

async fn load(state: &WebState, headers: &HeaderMap) -> Result<Option<Session>, Response> {
    let Some(token) = cookie(headers, cookie_name(&state.web)) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let now: DateTime<Utc> = state.pipeline.clock().now();
    match state.pipeline.store().session(&hash, now).await {
        Ok(row) => Ok(row.map(|row| Session {
            token_hash: hash,
            row,
        })),
        Err(e) => Err(store_error(lang_of(headers), e)),
    }
}

/// The language the person chose, Swedish unless they chose English.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE).map_or(Lang::Sv, Lang::parse)
}

/// The person's language, as an extractor.
pub struct LangPref(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for LangPref {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(LangPref(lang_of(&parts.headers)))
    }
}

/// The request's session if it has a live one (logged in or not).
pub struct MaybeSession {
    /// The session.
    pub session: Option<Session>,
    /// The person's language.
    pub lang: Lang,
}

impl FromRequestParts<Arc<WebState>> for MaybeSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<WebState>,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeSession {
            session: load(state, &parts.headers).await?,
            lang: lang_of(&parts.headers),
        })
    }
}

/// A logged-in person with what they may see and decide. Without a login
/// the request is sent to the login page, which brings them back after.
pub struct LoggedIn {
    /// Their session.
    pub session: Session,
    /// Their roles and accounts.
    pub access: Access,
    /// Their language.
    pub lang: Lang,
}

impl FromRequestParts<Arc<WebState>> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<WebState>,
    ) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let session = load(state, &parts.headers).await?;
        let person = session.and_then(|s| {
            let user = s.row.user_id.clone()?;
            let name = s.row.user_name.clone().unwrap_or_else(|| user.clone());
            let access = access_for(state.pipeline.config(), &user, &name, &s.row.groups)?;
            Some((s, access))
        });
        match person {
            Some((session, access)) => Ok(LoggedIn {
                session,
                access,
                lang,
            }),
            None => {
                let back = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string();
                let to = format!("/logga-in?till={}", urlencode(&back));
                Err(Redirect::to(&to).into_response())
            }
        }
    }
}

impl LoggedIn {
    /// A page for this person, in their language, with their name and
    /// logout form in the shell.
    pub fn page(&self, title: &str, nav: Nav, path: &str, body: Markup) -> Response {
        self.page_with_status(StatusCode::OK, title, nav, path, body)
    }

    /// Like [`LoggedIn::page`] with another status (a conflict).
    pub fn page_with_status(
        &self,
        status: StatusCode,
        title: &str,
        nav: Nav,
        path: &str,
        body: Markup,
    ) -> Response {
        let user = ShellUser {
            name: &self.access.name,
            csrf: &self.session.row.csrf,
        };
        respond(status, page(self.lang, title, nav, Some(&user), path, body))
    }
}

/// Percent-encodes a query value.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A path inside the console to go back to, or `/`: never another site
/// (`//host`, `/\host`, absolute URLs are refused).
pub fn local_path(wanted: Option<&str>) -> String {
    match wanted {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// `?l=en&till=/…` of the language switch.
#[derive(Debug, Deserialize)]
pub struct LanguageChoice {
    l: String,
    till: Option<String>,
}

/// Switches the language and goes back to the page.
pub async fn set_language(Query(choice): Query<LanguageChoice>) -> Response {
    let lang = Lang::parse(&choice.l);
    let mut response = Redirect::to(&local_path(choice.till.as_deref())).into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// A response that clears the session cookie.
pub fn clear_cookie(web: &WebConfig, mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(web, "", 0));
    response
}

/// A plain 303 to `to` with a cookie set.
pub fn redirect_with_cookie(to: &str, cookie: HeaderValue) -> Response {
    let mut response =
        (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(
            local_path(Some("/granska/12?konto=a")),
            "/granska/12?konto=a"
        );
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn the_cookie_is_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; kv_session=abc; kv_lang=en"),
        );
        assert_eq!(cookie(&headers, "kv_session"), Some("abc"));
        assert_eq!(lang_of(&headers), Lang::En);
        assert_eq!(cookie(&headers, "kv"), None);
    }
}
