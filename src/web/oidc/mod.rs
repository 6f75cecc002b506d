//! Login with OpenID Connect through the city's identity provider
//! (Microsoft Entra ID): the authorization code flow with PKCE, `state`
//! and `nonce`.
//!
//! 1. `POST /logga-in/oidc` (the login page's button, with the anonymous
//!    session's CSRF token): a fresh random `state`, `nonce` and PKCE
//!    verifier go into a new session row — never into a cookie or a URL
//!    of ours — and the browser is sent to the provider.
//! 2. `GET /logga-in/retur?code&state`: the `state` must be the one in this
//!    browser's session (so another site cannot make a person log in as
//!    someone else), the code is exchanged once with the verifier, and the
//!    ID token is verified ([`id_token`]). The login under way is used up
//!    whatever the outcome.
//! 3. The token's address and groups give the roles ([`super::auth`]); a
//!    person with none is refused and gets no session.
//!
//! Attempts are counted by the login limiter; failures are logged by kind,
//! never with a name, address or token.

pub mod id_token;
pub mod provider;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

pub use self::provider::OidcClient;
use super::auth::{access_for, log_in, login_attempt, too_many_attempts};
use super::csrf::constant_time_eq;
use super::layout::{Lang, message_page};
use super::session::{self, Session, local_path, new_token, redirect_with_cookie};
use super::{WebState, store_error};

/// Where the login page's button posts to.
pub const START_PATH: &str = "/logga-in/oidc";
/// The redirect URI under the console's public address, registered at the
/// provider.
pub const CALLBACK_PATH: &str = "/logga-in/retur";

/// Why a login through the provider did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached: the person can try again later.
    #[error("the identity provider could not be reached: {0}")]
    Unreachable(String),
    /// The provider answered in a way the console cannot use: operations
    /// must check `[web.oidc]` against the provider's settings.
    #[error("the identity provider answered in a way the console cannot use: {0}")]
    Provider(String),
    /// This login was refused: the person starts again.
    #[error("the login was refused: {0}")]
    Refused(Refusal),
}

/// Why one login was refused; logged by kind, shown to nobody in detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No login was under way in this browser's session (a replayed or
    /// forged callback, or the session expired).
    #[error("no login was under way in this browser's session")]
    NoLoginUnderWay,
    /// The callback's `state` is not this session's.
    #[error("the state does not match the login under way")]
    State,
    /// The provider reported an error instead of a code.
    #[error("the identity provider answered with error {0}")]
    Denied(String),
    /// The callback has neither a code nor an error.
    #[error("the callback has no code")]
    NoCode,
    /// The provider would not exchange the code (used before, expired,
    /// or the PKCE verifier does not match).
    #[error("the identity provider refused the code: {0}")]
    CodeRejected(String),
    /// The ID token is not a well-formed signed JWT.
    #[error("the ID token is malformed")]
    Malformed,
    /// Signed with an algorithm we do not accept.
    #[error("the ID token's algorithm is not accepted")]
    Algorithm,
    /// Signed with a key the provider does not publish.
    #[error("the ID token is signed with an unknown key")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the ID token's signature does not verify")]
    Signature,
    /// Issued by someone else (token `iss` or the callback's `iss`).
    #[error("the ID token or callback names another issuer")]
    Issuer,
    /// Issued to another client.
    #[error("the ID token was issued to another client")]
    Audience,
    /// Expired, or issued in the future.
    #[error("the ID token has expired")]
    Expired,
    /// Not issued for this login.
    #[error("the ID token's nonce is not this login's")]
    Nonce,
    /// The configured user claim is missing or holds no address.
    #[error("the ID token has no address in the configured user claim")]
    NoAddress,
}

/// A login under way, kept in its session row (JSON) until the callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLogin {
    /// Binds the callback to this browser (CSRF protection of the login).
    pub state: String,
    /// Binds the ID token to this login (no replayed tokens).
    pub nonce: String,
    /// The PKCE verifier: the code is worthless without it.
    pub verifier: String,
    /// The console path to return to.
    pub till: String,
}

impl PendingLogin {
    /// Fresh random values for a login returning to `till`.
    pub fn new(till: Option<&str>) -> Self {
        Self {
            state: new_token(),
            nonce: new_token(),
            verifier: new_token(),
            till: local_path(till),
        }
    }
}

/// The login page's form.
#[derive(Debug, Deserialize)]
pub struct StartForm {
    csrf: String,
    till: Option<String>,
}

/// Starts a login at the provider.
pub async fn start(
    State(state): State<Arc<WebState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    maybe: session::MaybeSession,
    Form(form): Form<StartForm>,
) -> Response {
    let lang = maybe.lang;
    let Some(oidc) = state.oidc.as_ref() else {
        return super::not_found(lang);
    };
    let anonymous = match login_attempt(&state, client, maybe, &form.csrf) {
        Ok(anonymous) => anonymous,
        Err(refused) => return *refused,
    };
    let pending = PendingLogin::new(form.till.as_deref());
    let url = match oidc.authorization_url(&pending).await {
        Ok(url) => url,
        Err(error) => return provider_trouble(lang, &error),
    };
    match session::start_login(&state, &anonymous.token_hash, &pending).await {
        Ok(cookie) => redirect_with_cookie(&url, cookie),
        Err(e) => store_error(lang, e),
    }
}

/// The provider's redirect back to the console.
#[derive(Debug, Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// Finishes a login: checks the callback against the login under way,
/// exchanges the code, verifies the ID token and logs the person in.
pub async fn callback(
    State(state): State<Arc<WebState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    maybe: session::MaybeSession,
    Query(callback): Query<Callback>,
) -> Response {
    let lang = maybe.lang;
    let Some(oidc) = state.oidc.as_ref() else {
        return super::not_found(lang);
    };
    if state.limiter.exhausted(client.ip(), Instant::now()) {
        return too_many_attempts(lang);
    }
    let session = maybe.session;
    let outcome = finish(oidc, session.as_ref(), &callback).await;
    let old_token = session.as_ref().map(|s| s.token_hash.as_str());
    match outcome {
        Ok((identity, till)) => {
            if identity.groups_overage {
                tracing::warn!(
                    "The identity provider left out the groups claim (too many groups); roles \
                     from groups do not apply — assign the console's groups to the application"
                );
            }
            let config = state.pipeline.config();
            if access_for(config, &identity.user, &identity.name, &identity.groups).is_none() {
                tracing::info!("A person with no role in the console logged in and was refused");
                return end_login(&state, old_token, no_role(lang)).await;
            }
            log_in(
                &state,
                lang,
                old_token.unwrap_or_default(),
                &identity.user,
                &identity.name,
                identity.groups,
                Some(&till),
            )
            .await
        }
        Err(OidcError::Refused(refusal)) => {
            tracing::warn!(%refusal, "A login through the identity provider was refused");
            // A refusal uses up an attempt, so codes and states cannot be guessed.
            state.limiter.allow(client.ip(), Instant::now());
            end_login(&state, old_token, refused(lang)).await
        }
        Err(error) => end_login(&state, old_token, provider_trouble(lang, &error)).await,
    }
}

/// The checks in order: a login under way, its `state`, the provider's
/// answer, then the code and the ID token.
async fn finish(
    oidc: &OidcClient,
    session: Option<&Session>,
    callback: &Callback,
) -> Result<(id_token::Identity, String), OidcError> {
    let refuse = |r| Err(OidcError::Refused(r));
    let Some(pending) = session
        .filter(|s| s.row.user_id.is_none())
        .and_then(|s| s.row.pending.as_deref())
        .and_then(|json| serde_json::from_str::<PendingLogin>(json).ok())
    else {
        return refuse(Refusal::NoLoginUnderWay);
    };
    let state = callback.state.as_deref().unwrap_or_default();
    if !constant_time_eq(state.as_bytes(), pending.state.as_bytes()) {
        return refuse(Refusal::State);
    }
    if let Some(error) = &callback.error {
        return refuse(Refusal::Denied(error.chars().take(64).collect()));
    }
    // RFC 9207: a provider that names itself must name the right one.
    if callback
        .iss
        .as_deref()
        .is_some_and(|iss| iss != oidc.issuer())
    {
        return refuse(Refusal::Issuer);
    }
    let Some(code) = callback.code.as_deref() else {
        return refuse(Refusal::NoCode);
    };
    let identity = oidc.finish(&pending, code, SystemTime::now()).await?;
    Ok((identity, pending.till))
}

/// Ends the login under way (its session row and cookie) with `page`.
async fn end_login(state: &WebState, old_token: Option<&str>, page: Response) -> Response {
    if let Some(hash) = old_token
        && let Err(e) = state.pipeline.store().delete_session(hash).await
    {
        return store_error(Lang::Sv, e);
    }
    session::clear_cookie(&state.web, page)
}

fn refused(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::FORBIDDEN,
        lang.t(
            "Inloggningen kunde inte slutföras",
            "The login could not be completed",
        ),
        lang.t(
            "Inloggningen kom inte från den här webbläsarens inloggningsförsök, eller så har den \
             gått ut. Gå till inloggningssidan och logga in igen.",
            "The login did not come from this browser's login attempt, or it has expired. Go \
             to the login page and log in again.",
        ),
    )
}

fn no_role(lang: Lang) -> Response {
    super::forbidden(
        lang,
        lang.t(
            "Du är inloggad hos stadens identitetstjänst men har ingen roll i konsolen. Be din \
             förvaltning lägga till dig som moderator för ett konto.",
            "You are logged in at the city's identity provider but have no role in the \
             console. Ask your department to add you as a moderator of an account.",
        ),
    )
}

fn provider_trouble(lang: Lang, error: &OidcError) -> Response {
    tracing::error!(%error, "A login through the identity provider failed");
    message_page(
        lang,
        StatusCode::BAD_GATEWAY,
        lang.t(
            "Identitetstjänsten svarar inte som väntat",
            "The identity provider does not answer as expected",
        ),
        lang.t(
            "Inloggningen kunde inte göras just nu. Försök igen om en stund; drift har fått \
             felet i loggen.",
            "The login could not be done right now. Try again in a while; operations have the \
             error in the log.",
        ),
    )
}
