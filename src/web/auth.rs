//! Who may use the console, and for what.
//!
//! Roles come from the config: a person moderates the accounts whose
//! `moderators` list their address (they see and decide those accounts'
//! items); the registry office (`web.registry`) and operations
//! (`web.operations`) see every account, decide nothing on the platforms,
//! and the registry office closes questions. With `[web.oidc]`, the groups
//! the identity provider names add roles: `registry_groups`,
//! `operations_groups`, and `moderator_groups` (group → accounts). Someone
//! with none of these roles is not let in.
//!
//! The demo login is for `kommentarsvakt demo`: a clearly marked page that
//! lets one pick one of the configured people without a password, offered
//! only when `web.demo_login` is on (which the config allows only on a
//! loopback address). Login attempts are rate-limited per client address.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::layout::{Lang, Nav, message_page, page, respond};
use super::session::{self, LoggedIn, MaybeSession, Session, local_path, redirect_with_cookie};
use super::{WebState, csrf, store_error};
use crate::config::Config;

/// Login attempts allowed per client address in [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS: usize = 10;
/// The window the login attempts are counted in.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(5 * 60);

/// What a logged-in person may see and do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Their login (lower-case e-mail address).
    pub user: String,
    /// Their name as shown.
    pub name: String,
    /// The account keys whose items they see.
    pub visible: Vec<String>,
    /// The account keys whose items they decide.
    pub moderates: Vec<String>,
    /// Whether they are the registry office.
    pub registry: bool,
    /// Whether they are operations.
    pub operations: bool,
}

impl Access {
    /// Whether they may see this account's items.
    pub fn sees(&self, account_key: &str) -> bool {
        self.visible.iter().any(|k| k == account_key)
    }

    /// Whether they may decide this account's items.
    pub fn decides(&self, account_key: &str) -> bool {
        self.moderates.iter().any(|k| k == account_key)
    }

    /// Whether they may close this account's questions by hand.
    pub fn closes_questions(&self, account_key: &str) -> bool {
        self.decides(account_key) || (self.registry && self.sees(account_key))
    }
}

/// The person's access under `config`, or `None` when they have no role.
/// `groups` are the identity provider's group claims (none for the demo
/// login); they count only when `[web.oidc]` maps them.
pub fn access_for(config: &Config, user: &str, name: &str, groups: &[String]) -> Option<Access> {
    let user = user.to_lowercase();
    let oidc = config.web.as_ref().and_then(|web| web.oidc.as_ref());
    let member_of_any = |mapped: &[String]| groups.iter().any(|g| mapped.contains(g));
    let moderated_by_group = |account: &str| {
        oidc.is_some_and(|o| {
            groups
                .iter()
                .filter_map(|g| o.moderator_groups.get(g))
                .any(|accounts| accounts.iter().any(|a| a == account))
        })
    };
    let moderates: Vec<String> = config
        .accounts
        .iter()
        .filter(|a| {
            a.moderators.iter().any(|m| m.eq_ignore_ascii_case(&user)) || moderated_by_group(&a.key)
        })
        .map(|a| a.key.clone())
        .collect();
    let (registry, operations) = match &config.web {
        Some(web) => (
            web.registry.contains(&user) || oidc.is_some_and(|o| member_of_any(&o.registry_groups)),
            web.operations.contains(&user)
                || oidc.is_some_and(|o| member_of_any(&o.operations_groups)),
        ),
        None => (false, false),
    };
    let visible = if registry || operations {
        config.accounts.iter().map(|a| a.key.clone()).collect()
    } else {
        moderates.clone()
    };
    if visible.is_empty() {
        return None;
    }
    Some(Access {
        user,
        name: name.to_string(),
        visible,
        moderates,
        registry,
        operations,
    })
}

/// Everyone the config gives a role, for the demo login's list.
fn configured_people(config: &Config) -> Vec<String> {
    let mut people: Vec<String> = config
        .accounts
        .iter()
        .flat_map(|a| a.moderators.iter().map(|m| m.to_lowercase()))
        .chain(
            config
                .web
                .iter()
                .flat_map(|w| w.registry.iter().chain(&w.operations).cloned()),
        )
        .collect();
    people.sort();
    people.dedup();
    people
}

/// Counts login attempts per client address in a sliding window.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    attempts: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// Records an attempt; false when the address has used up its attempts.
    pub fn allow(&self, client: IpAddr, now: Instant) -> bool {
        let mut attempts = self.current(now);
        let times = attempts.entry(client).or_default();
        if times.len() >= LOGIN_ATTEMPTS {
            return false;
        }
        times.push_back(now);
        true
    }

    /// Whether the address has used up its attempts, without recording one
    /// (the provider's callback counts only when it is refused).
    pub fn exhausted(&self, client: IpAddr, now: Instant) -> bool {
        self.current(now)
            .get(&client)
            .is_some_and(|times| times.len() >= LOGIN_ATTEMPTS)
    }

    /// The attempts still inside the window.
    fn current(
        &self,
        now: Instant,
    ) -> std::sync::MutexGuard<'_, HashMap<IpAddr, VecDeque<Instant>>> {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        attempts.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < LOGIN_WINDOW);
            !times.is_empty()
        });
        attempts
    }
}

/// `?till=/…`: where to go after login.
#[derive(Debug, Deserialize)]
pub struct Next {
    till: Option<String>,
}

/// The login page: the demo login when it is on.
pub async fn login_page(
    State(state): State<Arc<WebState>>,
    maybe: MaybeSession,
    Query(next): Query<Next>,
) -> Response {
    let lang = maybe.lang;
    let (session, cookie) = match maybe.session {
        Some(session) => (session, None),
        None => match session::start(&state, None, Vec::new()).await {
            Ok((session, cookie)) => (session, Some(cookie)),
            Err(e) => return store_error(lang, e),
        },
    };
    let till = local_path(next.till.as_deref());
    let body = html! {
        @if state.web.demo_login {
            section class="demo" aria-labelledby="demo-heading" {
                h2 id="demo-heading" { (lang.t("Demoinloggning", "Demo login")) }
                p class="warning" {
                    (lang.t(
                        "Endast för demonstration: ingen lösenordskontroll. Välj vem du vill vara.",
                        "For demonstration only: no password is checked. Choose who you want to be."
                    ))
                }
                form method="post" action="/logga-in/demo" {
                    input type="hidden" name="csrf" value=(session.row.csrf);
                    input type="hidden" name="till" value=(till);
                    ul {
                        @for person in configured_people(state.pipeline.config()) {
                            li { button type="submit" name="user" value=(person) { (person) } }
                        }
                    }
                }
            }
        }
        @if state.oidc.is_some() {
            section class="oidc" aria-labelledby="oidc-heading" {
                h2 id="oidc-heading" { (lang.t("Logga in med ditt konto i staden", "Log in with your city account")) }
                form method="post" action=(super::oidc::START_PATH) {
                    input type="hidden" name="csrf" value=(session.row.csrf);
                    input type="hidden" name="till" value=(till);
                    button type="submit" id="oidc-login" {
                        (lang.t("Logga in via stadens identitetstjänst", "Log in through the city's identity provider"))
                    }
                }
            }
        } @else if !state.web.demo_login {
            p { (lang.t(
                "Inloggning är inte konfigurerad: drift behöver fylla i [web.oidc].",
                "Login is not configured: operations need to fill in [web.oidc]."
            )) }
        }
    };
    let markup = page(
        lang,
        lang.t("Logga in", "Log in"),
        Nav::None,
        None,
        "/logga-in",
        body,
    );
    let mut response = respond(StatusCode::OK, markup);
    if let Some(cookie) = cookie {
        response
            .headers_mut()
            .insert(axum::http::header::SET_COOKIE, cookie);
    }
    // The provider's button posts here and is redirected on to the
    // provider: the browser checks that redirect against `form-action`.
    if let Some(policy) = state
        .oidc
        .as_ref()
        .and_then(|oidc| oidc.issuer_origin())
        .and_then(|origin| super::headers::policy_with_form_target(&origin))
    {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// The demo login form.
#[derive(Debug, Deserialize)]
pub struct DemoLogin {
    csrf: String,
    user: String,
    till: Option<String>,
}

/// Logs in as one of the configured people, when the demo login is on.
pub async fn demo_login(
    State(state): State<Arc<WebState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    maybe: MaybeSession,
    Form(form): Form<DemoLogin>,
) -> Response {
    let lang = maybe.lang;
    if !state.web.demo_login {
        return super::not_found(lang);
    }
    let anonymous = match login_attempt(&state, client, maybe, &form.csrf) {
        Ok(anonymous) => anonymous,
        Err(refused) => return *refused,
    };
    let user = form.user.trim().to_lowercase();
    let config = state.pipeline.config();
    if !configured_people(config).contains(&user) || access_for(config, &user, &user, &[]).is_none()
    {
        return super::forbidden(
            lang,
            lang.t(
                "Den personen har ingen roll i konsolen.",
                "That person has no role in the console.",
            ),
        );
    }
    log_in(
        &state,
        lang,
        &anonymous.token_hash,
        &user,
        &user,
        Vec::new(),
        form.till.as_deref(),
    )
    .await
}

/// Counts a login attempt from `client` and checks that the login form
/// came from this browser's session before login; that session, or the
/// page refusing the attempt.
pub fn login_attempt(
    state: &WebState,
    client: SocketAddr,
    maybe: MaybeSession,
    csrf_token: &str,
) -> Result<Session, Box<Response>> {
    let lang = maybe.lang;
    if !state.limiter.allow(client.ip(), Instant::now()) {
        return Err(Box::new(too_many_attempts(lang)));
    }
    let Some(anonymous) = maybe.session else {
        return Err(Box::new(csrf::refusal(lang)));
    };
    match csrf::refusal_unless_valid(lang, &anonymous.row, csrf_token) {
        Some(refused) => Err(Box::new(refused)),
        None => Ok(anonymous),
    }
}

/// Replaces the session before login with a new one for the person and
/// sends them where they were going.
pub async fn log_in(
    state: &WebState,
    lang: Lang,
    old_token_hash: &str,
    user: &str,
    name: &str,
    groups: Vec<String>,
    till: Option<&str>,
) -> Response {
    let store = state.pipeline.store();
    if let Err(e) = store.delete_session(old_token_hash).await {
        return store_error(lang, e);
    }
    match session::start(state, Some((user, name)), groups).await {
        Ok((_, cookie)) => {
            tracing::info!("A moderator logged in to the console");
            redirect_with_cookie(&local_path(till), cookie)
        }
        Err(e) => store_error(lang, e),
    }
}

/// The page for an address that has used up its login attempts.
pub fn too_many_attempts(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::TOO_MANY_REQUESTS,
        lang.t("För många inloggningsförsök", "Too many login attempts"),
        lang.t(
            "Vänta några minuter och försök igen.",
            "Wait a few minutes and try again.",
        ),
    )
}

/// The logout form.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// Ends the session.
pub async fn logout(
    State(state): State<Arc<WebState>>,
    person: LoggedIn,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let lang = person.lang;
    if let Some(refused) = csrf::refusal_unless_valid(lang, &person.session.row, &form.csrf) {
        return refused;
    }
    if let Err(e) = state
        .pipeline
        .store()
        .delete_session(&person.session.token_hash)
        .await
    {
        return store_error(lang, e);
    }
    session::clear_cookie(
        &state.web,
        (
            StatusCode::SEE_OTHER,
            [(axum::http::header::LOCATION, "/logga-in")],
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_attempts_then_waits_out_the_window() {
        let limiter = LoginLimiter::default();
        let client: IpAddr = "192.0.2.7".parse().unwrap();
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        let start = Instant::now();
        for _ in 0..LOGIN_ATTEMPTS {
            assert!(limiter.allow(client, start));
        }
        assert!(!limiter.allow(client, start), "one attempt too many");
        assert!(
            limiter.allow(other, start),
            "other addresses are not held up"
        );
        assert!(
            limiter.allow(client, start + LOGIN_WINDOW),
            "the window has passed"
        );
    }
}
