//! Where connectors get their access tokens: a [`TokenSource`].
//!
//! Two kinds exist:
//!
//! - [`StaticToken`]: the token an operator put into an environment
//!   variable, file or systemd credential (Facebook Page tokens, and any
//!   platform while its token is renewed by hand);
//! - [`OAuthTokenSource`]: an OAuth 2.0 refresh-token grant (RFC 6749 §6),
//!   as YouTube (Google) and LinkedIn issue them. It posts
//!   `grant_type=refresh_token` to the configured token endpoint, keeps the
//!   access token until shortly before it expires, refreshes one call at a
//!   time however many requests wait for it, and writes the newest refresh
//!   token (LinkedIn sends one back with `refresh_token_expires_in`) to the
//!   configured file, atomically and readable by the service only.
//!
//! An expiring or revoked grant must reach operations before it stops the
//! service, not after: [`TokenSource::grant`] says when the refresh token
//! expires and whether the endpoint has answered `invalid_grant`
//! ([`TokenError::InvalidGrant`], a distinct error), and
//! [`GrantStatus::warning`] turns that into a warning days ahead.
//!
//! Tokens never reach a log or an error text: they are `SecretString`s,
//! and every detail taken from the token endpoint is scrubbed of the
//! refresh token, the client secret and the access token.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::config::AccountConfig;
use crate::platforms::PlatformError;
use crate::platforms::transport::redact_all;

/// How long before its stated expiry an access token is replaced, so a
/// request never starts with a token that runs out on the way.
pub const REFRESH_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// How long before a refresh token expires operations are warned: long
/// enough to reach the person who can authorise the service again.
pub const GRANT_WARNING_LEAD: chrono::TimeDelta = chrono::TimeDelta::days(14);

/// How getting an access token failed, sorted by what happens next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TokenError {
    /// The refresh token was revoked, has expired or was never valid
    /// (`invalid_grant`): nothing works until a person authorises the
    /// service again and writes the new refresh token into the file.
    #[error(
        "the OAuth grant was revoked or has expired (invalid_grant: {detail}); a person must \
         authorise the service again and store the new refresh token"
    )]
    InvalidGrant {
        /// The endpoint's `error_description`, scrubbed of secrets.
        detail: String,
    },
    /// The token endpoint refused the client or the request itself
    /// (`invalid_client`, `unauthorized_client`, a wrong endpoint): the
    /// configuration must be fixed.
    #[error("the token endpoint refused the request ({detail}); check the OAuth client settings")]
    Refused {
        /// The endpoint's error and description, scrubbed of secrets.
        detail: String,
    },
    /// A passing failure at the token endpoint (5xx, connection): retry.
    #[error("the token endpoint failed: {detail}")]
    Transient {
        /// What went wrong.
        detail: String,
    },
    /// The token endpoint did not answer in time.
    #[error("the token endpoint did not answer within {0:?}")]
    Timeout(Duration),
    /// The token endpoint answered something that is not a token response.
    #[error("malformed token response: {detail}")]
    Malformed {
        /// The parse error.
        detail: String,
    },
    /// A static token was refused by the platform and cannot be renewed
    /// by the service.
    #[error("the static access token cannot be renewed by the service")]
    NotRenewable,
}

impl From<TokenError> for PlatformError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::InvalidGrant { .. }
            | TokenError::Refused { .. }
            | TokenError::NotRenewable => PlatformError::Unauthorized {
                detail: error.to_string(),
            },
            TokenError::Transient { detail } => PlatformError::Transient {
                detail: format!("the token endpoint failed: {detail}"),
            },
            TokenError::Timeout(after) => PlatformError::Timeout(after),
            TokenError::Malformed { detail } => PlatformError::Malformed {
                detail: format!("token endpoint: {detail}"),
            },
        }
    }
}

/// What is known about the grant behind a token source, for the warning
/// that reaches operations before the service stops working.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantStatus {
    /// When the refresh token stops working, where the platform says
    /// (LinkedIn's `refresh_token_expires_in`); `None` for static tokens
    /// and grants without a stated end (Google's).
    pub refresh_token_expires_at: Option<DateTime<Utc>>,
    /// The endpoint's `invalid_grant` description, once it has answered so.
    pub revoked: Option<String>,
    /// Why the newest refresh token could not be written to its file: the
    /// next restart would read an old, possibly rotated-away token.
    pub persist_failure: Option<String>,
}

/// A warning for operations about an account's grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantWarning {
    /// The refresh token expires at this time, within the warning lead.
    ExpiresSoon(DateTime<Utc>),
    /// The refresh token's stated end has passed.
    Expired(DateTime<Utc>),
    /// The token endpoint answered `invalid_grant`.
    Revoked(String),
    /// The newest refresh token is only in memory.
    NotPersisted(String),
}

/// `10 January 2027, 09:00 UTC`: no run of eight digits, so the date
/// survives the number masking of e-mails (`alerts::templates::redact_numbers`).
fn spelled_out(at: &DateTime<Utc>) -> String {
    at.format("%-d %B %Y, %H:%M UTC").to_string()
}

impl fmt::Display for GrantWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GrantWarning::ExpiresSoon(at) => write!(
                f,
                "the OAuth refresh token expires on {}; authorise the service again before then",
                spelled_out(at)
            ),
            GrantWarning::Expired(at) => write!(
                f,
                "the OAuth refresh token expired on {}; authorise the service again",
                spelled_out(at)
            ),
            GrantWarning::Revoked(detail) => write!(
                f,
                "the OAuth grant was revoked or has expired (invalid_grant: {detail}); authorise \
                 the service again"
            ),
            GrantWarning::NotPersisted(detail) => write!(
                f,
                "the newest OAuth refresh token could not be saved ({detail}); fix the file's \
                 directory before the service restarts"
            ),
        }
    }
}

impl GrantStatus {
    /// The most urgent warning at `now`, if any: a revoked grant first, then
    /// an expired or expiring refresh token (within `lead`), then a refresh
    /// token that could not be saved.
    pub fn warning(&self, now: DateTime<Utc>, lead: chrono::TimeDelta) -> Option<GrantWarning> {
        if let Some(detail) = &self.revoked {
            return Some(GrantWarning::Revoked(detail.clone()));
        }
        if let Some(at) = self.refresh_token_expires_at {
            if at <= now {
                return Some(GrantWarning::Expired(at));
            }
            if at - now <= lead {
                return Some(GrantWarning::ExpiresSoon(at));
            }
        }
        self.persist_failure
            .as_ref()
            .map(|detail| GrantWarning::NotPersisted(detail.clone()))
    }
}

/// Hands a connector the access token for its next request.
#[async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A token that is valid for at least [`REFRESH_MARGIN`], refreshing
    /// first if needed.
    async fn access_token(&self) -> Result<SecretString, TokenError>;

    /// The platform refused `rejected` (HTTP 401) although it had not
    /// expired by the clock: get a new one. When another request has
    /// already replaced it, that newer token is returned without a second
    /// refresh.
    async fn renew(&self, rejected: &SecretString) -> Result<SecretString, TokenError>;

    /// Whether [`TokenSource::renew`] can ever succeed, so a connector
    /// retries a refused request only when it may help.
    fn renewable(&self) -> bool;

    /// What is known about the grant, for warnings to operations.
    fn grant(&self) -> GrantStatus;
}

/// A token an operator configured; it is used until a person replaces it.
pub struct StaticToken(SecretString);

impl StaticToken {
    /// Wraps the configured token.
    pub fn new(token: SecretString) -> Self {
        Self(token)
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([redacted])")
    }
}

#[async_trait]
impl TokenSource for StaticToken {
    async fn access_token(&self) -> Result<SecretString, TokenError> {
        Ok(self.0.clone())
    }

    async fn renew(&self, _rejected: &SecretString) -> Result<SecretString, TokenError> {
        Err(TokenError::NotRenewable)
    }

    fn renewable(&self) -> bool {
        false
    }

    fn grant(&self) -> GrantStatus {
        GrantStatus::default()
    }
}

/// An account's OAuth client and where its refresh token lives.
#[derive(Clone)]
pub struct OAuthSettings {
    /// The token endpoint, e.g. `https://oauth2.googleapis.com/token` or
    /// `https://www.linkedin.com/oauth/v2/accessToken`.
    pub token_endpoint: String,
    /// The OAuth client id (not secret).
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: SecretString,
    /// The file that holds the refresh token: at first as the operator
    /// wrote it (the bare token, or the JSON this source writes), later
    /// rewritten by the service whenever the platform sends a new one.
    pub refresh_token_file: PathBuf,
    /// How long one call to the endpoint may take.
    pub request_timeout: Duration,
}

impl fmt::Debug for OAuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthSettings")
            .field("token_endpoint", &self.token_endpoint)
            .field("client_id", &self.client_id)
            .field("refresh_token_file", &self.refresh_token_file)
            .finish_non_exhaustive()
    }
}

/// The refresh-token file as the service writes it.
#[derive(Serialize, Deserialize)]
struct StoredGrant {
    refresh_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token_expires_at: Option<DateTime<Utc>>,
}

/// The token endpoint's success answer (RFC 6749 §5.1, plus LinkedIn's
/// `refresh_token_expires_in`).
#[derive(Deserialize)]
struct WireTokenResponse {
    access_token: String,
    expires_in: Option<i64>,
    refresh_token: Option<String>,
    refresh_token_expires_in: Option<i64>,
}

/// The token endpoint's error answer (RFC 6749 §5.2).
#[derive(Deserialize)]
struct WireTokenError {
    error: String,
    error_description: Option<String>,
}

/// What the source holds between calls.
struct GrantState {
    access: Option<(SecretString, DateTime<Utc>)>,
    refresh_token: SecretString,
    status: GrantStatus,
}

/// An OAuth 2.0 refresh-token grant for one account.
pub struct OAuthTokenSource {
    settings: OAuthSettings,
    client: reqwest::Client,
    clock: Arc<dyn Clock>,
    /// Held across a refresh, so concurrent requests wait for one refresh
    /// instead of each spending (and, with rotation, invalidating) the grant.
    state: tokio::sync::Mutex<GrantState>,
    /// A copy of the grant status readable without waiting for a refresh.
    status: Mutex<GrantStatus>,
}

impl fmt::Debug for OAuthTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthTokenSource")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl OAuthTokenSource {
    /// Reads the refresh token from its file. A missing or empty file is
    /// an error here, at start-up, rather than on the first poll.
    pub fn new(
        settings: OAuthSettings,
        client: reqwest::Client,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, TokenError> {
        let stored = read_refresh_token_file(&settings.refresh_token_file)?;
        let status = GrantStatus {
            refresh_token_expires_at: stored.refresh_token_expires_at,
            ..GrantStatus::default()
        };
        Ok(Self {
            settings,
            client,
            clock,
            state: tokio::sync::Mutex::new(GrantState {
                access: None,
                refresh_token: SecretString::from(stored.refresh_token),
                status: status.clone(),
            }),
            status: Mutex::new(status),
        })
    }

    /// Posts the refresh-token grant and takes in the answer.
    async fn refresh(&self, state: &mut GrantState) -> Result<SecretString, TokenError> {
        if let Some(detail) = &state.status.revoked {
            // A revoked grant stays revoked: asking again only adds noise
            // at the endpoint until a person stores a new refresh token.
            return Err(TokenError::InvalidGrant {
                detail: detail.clone(),
            });
        }
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", state.refresh_token.expose_secret()),
            ("client_id", self.settings.client_id.as_str()),
            ("client_secret", self.settings.client_secret.expose_secret()),
        ];
        let requested_at = self.clock.now();
        let response = self
            .client
            .post(&self.settings.token_endpoint)
            .timeout(self.settings.request_timeout)
            .form(&form)
            .send()
            .await
            .map_err(|e| self.transport_error(&e, state))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e, state))?;
        if !status.is_success() {
            let error = self.endpoint_error(status, &body, state);
            if let TokenError::InvalidGrant { detail } = &error {
                tracing::error!(endpoint = %self.settings.token_endpoint, "The OAuth grant was refused as invalid_grant; a person must authorise the service again");
                state.status.revoked = Some(detail.clone());
                self.publish(state);
            }
            return Err(error);
        }
        let answer: WireTokenResponse =
            serde_json::from_slice(&body).map_err(|e| TokenError::Malformed {
                detail: format!("the answer is not an OAuth token response: {e}"),
            })?;
        self.take_answer(answer, requested_at, state)
    }

    /// Keeps the new access token and, when one came, the new refresh token.
    fn take_answer(
        &self,
        answer: WireTokenResponse,
        requested_at: DateTime<Utc>,
        state: &mut GrantState,
    ) -> Result<SecretString, TokenError> {
        if answer.access_token.is_empty() {
            return Err(TokenError::Malformed {
                detail: "the answer has an empty access_token".into(),
            });
        }
        let access = SecretString::from(answer.access_token);
        // Without expires_in the token is used until the platform refuses
        // it; a day is a safe bound for both platforms' tokens.
        let lifetime = chrono::TimeDelta::seconds(answer.expires_in.unwrap_or(86_400).max(0));
        state.access = Some((access.clone(), requested_at + lifetime));
        if let Some(expires_in) = answer.refresh_token_expires_in {
            state.status.refresh_token_expires_at =
                Some(requested_at + chrono::TimeDelta::seconds(expires_in.max(0)));
        }
        let rotated = answer
            .refresh_token
            .filter(|token| !token.is_empty() && token != state.refresh_token.expose_secret());
        if let Some(token) = rotated {
            state.refresh_token = SecretString::from(token);
        }
        self.save(state);
        tracing::info!(
            endpoint = %self.settings.token_endpoint,
            valid_for_seconds = lifetime.num_seconds(),
            "Refreshed the OAuth access token"
        );
        Ok(access)
    }

    /// Writes the refresh token and its end to the file; a failure is kept
    /// in the grant status (the token still works from memory).
    fn save(&self, state: &mut GrantState) {
        let stored = StoredGrant {
            refresh_token: state.refresh_token.expose_secret().to_string(),
            refresh_token_expires_at: state.status.refresh_token_expires_at,
        };
        match write_refresh_token_file(&self.settings.refresh_token_file, &stored) {
            Ok(()) => state.status.persist_failure = None,
            Err(detail) => {
                tracing::error!(file = %self.settings.refresh_token_file.display(), %detail, "Could not save the newest OAuth refresh token");
                state.status.persist_failure = Some(detail);
            }
        }
        self.publish(state);
    }

    fn publish(&self, state: &GrantState) {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner) = state.status.clone();
    }

    fn transport_error(&self, error: &reqwest::Error, state: &GrantState) -> TokenError {
        if error.is_timeout() {
            return TokenError::Timeout(self.settings.request_timeout);
        }
        TokenError::Transient {
            detail: self.scrub(&super::transport::error_chain(error), state),
        }
    }

    /// RFC 6749 §5.2: `invalid_grant` is the grant's end; other errors are
    /// configuration mistakes, except server failures.
    fn endpoint_error(
        &self,
        status: reqwest::StatusCode,
        body: &[u8],
        state: &GrantState,
    ) -> TokenError {
        let Ok(wire) = serde_json::from_slice::<WireTokenError>(body) else {
            let detail = format!("HTTP {status} without an OAuth error body");
            return if status.is_server_error() || status.as_u16() == 429 {
                TokenError::Transient { detail }
            } else {
                TokenError::Refused { detail }
            };
        };
        let description = wire.error_description.unwrap_or_default();
        let detail = self.scrub(&format!("{}: {description}", wire.error), state);
        match wire.error.as_str() {
            "invalid_grant" => TokenError::InvalidGrant {
                detail: self.scrub(&description, state),
            },
            "temporarily_unavailable" | "server_error" => TokenError::Transient { detail },
            _ if status.is_server_error() => TokenError::Transient { detail },
            _ => TokenError::Refused {
                detail: format!("HTTP {status}, {detail}"),
            },
        }
    }

    /// Removes every secret the source knows from a text that came from
    /// elsewhere.
    fn scrub(&self, text: &str, state: &GrantState) -> String {
        let mut secrets = vec![
            state.refresh_token.expose_secret(),
            self.settings.client_secret.expose_secret(),
        ];
        if let Some((access, _)) = &state.access {
            secrets.push(access.expose_secret());
        }
        redact_all(text, &secrets)
    }
}

#[async_trait]
impl TokenSource for OAuthTokenSource {
    async fn access_token(&self) -> Result<SecretString, TokenError> {
        let mut state = self.state.lock().await;
        let now = self.clock.now();
        if let Some((token, expires_at)) = &state.access
            && *expires_at - REFRESH_MARGIN > now
        {
            return Ok(token.clone());
        }
        self.refresh(&mut state).await
    }

    async fn renew(&self, rejected: &SecretString) -> Result<SecretString, TokenError> {
        let mut state = self.state.lock().await;
        if let Some((current, _)) = &state.access
            && current.expose_secret() != rejected.expose_secret()
        {
            return Ok(current.clone());
        }
        state.access = None;
        self.refresh(&mut state).await
    }

    fn renewable(&self) -> bool {
        true
    }

    fn grant(&self) -> GrantStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The token source an account's configuration names: its OAuth grant,
/// or else its static token (empty when none is configured; the platform
/// then refuses the calls, and the account's outcome says so). An OAuth
/// grant whose refresh-token file cannot be read fails here, at start-up.
pub fn for_account(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn TokenSource>, PlatformError> {
    match &account.oauth {
        Some(oauth) => {
            let settings = OAuthSettings {
                token_endpoint: oauth.token_endpoint.clone(),
                client_id: oauth.client_id.clone(),
                client_secret: oauth.client_secret.clone(),
                refresh_token_file: oauth.refresh_token_file.clone(),
                request_timeout,
            };
            Ok(Arc::new(OAuthTokenSource::new(settings, client, clock)?))
        }
        None => Ok(Arc::new(StaticToken::new(
            account
                .token
                .clone()
                .unwrap_or_else(|| SecretString::from(String::new())),
        ))),
    }
}

/// Reads the refresh token: the JSON this module writes, or the bare token
/// an operator pasted.
/// When the refresh token in `path` expires, as the platform last said
/// (`None`: no stated end, as with Google's grants), read from the file
/// itself so the daily checks can warn the account's owner without
/// building the connector.
pub fn stored_refresh_token_expiry(path: &Path) -> Result<Option<DateTime<Utc>>, TokenError> {
    read_refresh_token_file(path).map(|stored| stored.refresh_token_expires_at)
}

fn read_refresh_token_file(path: &Path) -> Result<StoredGrant, TokenError> {
    let text = std::fs::read_to_string(path).map_err(|e| TokenError::Refused {
        detail: format!("cannot read the refresh-token file {}: {e}", path.display()),
    })?;
    let text = text.trim();
    let stored = if text.starts_with('{') {
        serde_json::from_str::<StoredGrant>(text).map_err(|e| TokenError::Refused {
            detail: format!(
                "the refresh-token file {} is neither a bare token nor {{\"refresh_token\":…}}: \
                 line {}, column {}",
                path.display(),
                e.line(),
                e.column()
            ),
        })?
    } else {
        StoredGrant {
            refresh_token: text.to_string(),
            refresh_token_expires_at: None,
        }
    };
    if stored.refresh_token.trim().is_empty() {
        return Err(TokenError::Refused {
            detail: format!("the refresh-token file {} is empty", path.display()),
        });
    }
    Ok(stored)
}

/// Writes the file atomically: a new file readable by the owner only
/// (0600) in the same directory, synced, then renamed over the old one, so
/// a crash leaves either the old or the new token, never half of one.
fn write_refresh_token_file(path: &Path, stored: &StoredGrant) -> Result<(), String> {
    let directory = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let json = serde_json::to_vec_pretty(stored).map_err(|e| e.to_string())?;
    let mut file = tempfile::Builder::new()
        .prefix(".refresh-token")
        .permissions(owner_only())
        .tempfile_in(directory)
        .map_err(|e| format!("cannot create a file in {}: {e}", directory.display()))?;
    file.write_all(&json)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| format!("cannot write {}: {e}", file.path().display()))?;
    file.persist(path)
        .map_err(|e| format!("cannot replace {}: {}", path.display(), e.error))?;
    if let Ok(dir) = std::fs::File::open(directory) {
        // The rename is durable once the directory is; a failure here only
        // weakens that, the file is already in place.
        let _ = dir.sync_all();
    }
    Ok(())
}

fn owner_only() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::platforms::test_support::{assert_hides, at, clock_at, json};
    use std::os::unix::fs::PermissionsExt;
    use wiremock::matchers::{body_string_contains, method, path};
    use wiremock::{Mock, MockServer};

    const REFRESH: &str = "1//0gREFRESH-token-original-secret";
    const SECRET: &str = "GOCSPX-client-secret-value";
    const GOOGLE_ACCESS: &str = "ya29.a0AfB_byC-test-access-token-ONE";
    const LINKEDIN_ACCESS: &str =
        "AQXNnd2kXITHELmWblJigbHEuoFdfRhOwGA0QNnumBI8XOVSs0HtOHEU-wvaKrkMLfxxaB1O7poRg2mg-test-TWO";
    const ROTATED_SUFFIX: &str = "-test-ROTATED";

    macro_rules! data {
        ($platform:literal, $name:literal) => {
            include_str!(concat!(
                "../../tests/data/platforms/",
                $platform,
                "/",
                $name
            ))
        };
    }

    struct Setup {
        _dir: tempfile::TempDir,
        file: PathBuf,
        server: MockServer,
        clock: Arc<ManualClock>,
    }

    impl Setup {
        async fn new(file_content: &str) -> Self {
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("refresh-token");
            std::fs::write(&file, file_content).expect("write refresh token");
            Self {
                _dir: dir,
                file,
                server: MockServer::start().await,
                clock: clock_at("2026-12-03T08:00:00Z"),
            }
        }

        fn source(&self) -> OAuthTokenSource {
            OAuthTokenSource::new(
                OAuthSettings {
                    token_endpoint: format!("{}/token", self.server.uri()),
                    client_id: "client-1.apps.googleusercontent.com".into(),
                    client_secret: SecretString::from(SECRET),
                    refresh_token_file: self.file.clone(),
                    request_timeout: Duration::from_secs(5),
                },
                reqwest::Client::new(),
                self.clock.clone(),
            )
            .expect("the refresh-token file is readable")
        }

        async fn answer(&self, body: &'static str, times: u64) {
            Mock::given(method("POST"))
                .and(path("/token"))
                .respond_with(json(200, body))
                .expect(times)
                .mount(&self.server)
                .await;
        }
    }

    #[tokio::test]
    async fn posts_the_refresh_grant_and_reuses_the_token_until_shortly_before_expiry() {
        let setup = Setup::new(REFRESH).await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(body_string_contains("grant_type=refresh_token"))
            .and(body_string_contains(
                "refresh_token=1%2F%2F0gREFRESH-token-original-secret",
            ))
            .and(body_string_contains(
                "client_id=client-1.apps.googleusercontent.com",
            ))
            .and(body_string_contains(
                "client_secret=GOCSPX-client-secret-value",
            ))
            .respond_with(json(200, data!("youtube", "token_google.json")))
            .expect(2)
            .mount(&setup.server)
            .await;
        let source = setup.source();

        let first = source.access_token().await.expect("refreshed");
        assert_eq!(first.expose_secret(), GOOGLE_ACCESS);
        // expires_in 3599 s: still good 50 minutes later ...
        setup.clock.advance(chrono::TimeDelta::minutes(50));
        source.access_token().await.expect("cached");
        // ... but within the five-minute margin it is replaced.
        setup.clock.advance(chrono::TimeDelta::minutes(5));
        source.access_token().await.expect("refreshed again");
    }

    #[tokio::test]
    async fn concurrent_requests_wait_for_one_refresh() {
        let setup = Setup::new(REFRESH).await;
        setup.answer(data!("youtube", "token_google.json"), 1).await;
        let source = Arc::new(setup.source());

        let calls: Vec<_> = (0..8)
            .map(|_| {
                let source = source.clone();
                tokio::spawn(async move { source.access_token().await })
            })
            .collect();
        for call in calls {
            let token = call.await.expect("task").expect("token");
            assert_eq!(token.expose_secret(), GOOGLE_ACCESS);
        }
        // `expect(1)` is verified when the server drops.
    }

    #[tokio::test]
    async fn renewing_a_refused_token_refreshes_once_even_when_asked_twice() {
        let setup = Setup::new(REFRESH).await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(200, data!("youtube", "token_google.json")))
            .up_to_n_times(1)
            .expect(1)
            .mount(&setup.server)
            .await;
        setup
            .answer(
                r#"{"access_token":"ya29.renewed-token","expires_in":3599,"token_type":"Bearer"}"#,
                1,
            )
            .await;
        let source = setup.source();
        let refused = source.access_token().await.expect("first token");

        let renewed = source.renew(&refused).await.expect("renewed");
        // A second request that was refused with the old token gets the
        // token the first renewal brought, without another refresh.
        let renewed_again = source.renew(&refused).await.expect("current token");
        assert_eq!(renewed.expose_secret(), "ya29.renewed-token");
        assert_eq!(renewed_again.expose_secret(), "ya29.renewed-token");
    }

    #[tokio::test]
    async fn a_rotated_refresh_token_is_saved_owner_only_and_used_after_a_restart() {
        let setup = Setup::new(REFRESH).await;
        setup
            .answer(data!("linkedin", "token_refresh.json"), 1)
            .await;
        let source = setup.source();

        let access = source.access_token().await.expect("refreshed");
        assert_eq!(access.expose_secret(), LINKEDIN_ACCESS);

        let text = std::fs::read_to_string(&setup.file).expect("file");
        let stored: StoredGrant = serde_json::from_str(&text).expect("JSON grant");
        assert!(stored.refresh_token.ends_with(ROTATED_SUFFIX));
        // refresh_token_expires_in 1209600 s = 14 days from the refresh.
        assert_eq!(
            stored.refresh_token_expires_at,
            Some(at("2026-12-17T08:00:00Z"))
        );
        let mode = std::fs::metadata(&setup.file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let leftovers: Vec<_> = std::fs::read_dir(setup.file.parent().expect("dir"))
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "refresh-token")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

        // A restarted service reads the rotated token, not the original.
        let restarted = setup.source();
        let server = &setup.server;
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(body_string_contains(ROTATED_SUFFIX))
            .respond_with(json(200, data!("youtube", "token_google.json")))
            .expect(1)
            .mount(server)
            .await;
        assert_eq!(
            restarted.grant().refresh_token_expires_at,
            Some(at("2026-12-17T08:00:00Z"))
        );
        restarted
            .access_token()
            .await
            .expect("refreshed with the rotated token");
    }

    #[tokio::test]
    async fn invalid_grant_is_a_distinct_error_remembered_without_asking_again() {
        let setup = Setup::new(REFRESH).await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(400, data!("youtube", "token_invalid_grant.json")))
            .expect(1)
            .mount(&setup.server)
            .await;
        let source = setup.source();

        let error = source.access_token().await.expect_err("revoked");
        assert!(
            matches!(&error, TokenError::InvalidGrant { detail } if detail == "Token has been expired or revoked."),
            "{error:?}"
        );
        let again = source.access_token().await.expect_err("still revoked");
        assert!(matches!(again, TokenError::InvalidGrant { .. }));
        assert_eq!(
            source
                .grant()
                .warning(setup.clock.now(), GRANT_WARNING_LEAD),
            Some(GrantWarning::Revoked(
                "Token has been expired or revoked.".into()
            ))
        );
        assert!(matches!(
            PlatformError::from(error),
            PlatformError::Unauthorized { .. }
        ));
    }

    #[tokio::test]
    async fn a_refused_client_and_a_failing_endpoint_are_told_apart() {
        let setup = Setup::new(REFRESH).await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(
                401,
                r#"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#,
            ))
            .up_to_n_times(1)
            .mount(&setup.server)
            .await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(503, "<html>Service Unavailable</html>"))
            .mount(&setup.server)
            .await;
        let source = setup.source();

        let refused = source.access_token().await.expect_err("bad client");
        assert!(matches!(refused, TokenError::Refused { .. }), "{refused:?}");
        let failing = source.access_token().await.expect_err("endpoint down");
        assert!(
            matches!(failing, TokenError::Transient { .. }),
            "{failing:?}"
        );
        assert!(PlatformError::from(failing).is_retryable());
        assert_eq!(source.grant().revoked, None);
    }

    #[tokio::test]
    async fn secrets_the_endpoint_echoes_never_reach_an_error() {
        let setup = Setup::new(REFRESH).await;
        let echo = format!(
            r#"{{"error":"invalid_request","error_description":"bad refresh_token {REFRESH} for secret {SECRET}"}}"#
        );
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(400, &echo))
            .mount(&setup.server)
            .await;
        let source = setup.source();

        let error = source.access_token().await.expect_err("refused");
        let shown = error.to_string();
        assert!(shown.contains("invalid_request"), "{shown}");
        assert_hides(&error, &shown, REFRESH);
        assert_hides(&error, &shown, SECRET);
        assert!(!format!("{source:?}").contains(SECRET));
    }

    #[test]
    fn a_bare_token_or_the_written_json_is_read_and_an_empty_file_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("t");
        std::fs::write(&file, format!("  {REFRESH}\n")).expect("write");
        assert_eq!(
            read_refresh_token_file(&file).expect("bare").refresh_token,
            REFRESH
        );
        std::fs::write(&file, "\n").expect("write");
        assert!(matches!(
            read_refresh_token_file(&file),
            Err(TokenError::Refused { .. })
        ));
        std::fs::write(&file, format!(r#"{{"refresh_token":"{REFRESH}""#)).expect("write");
        let error = read_refresh_token_file(&file).err().expect("broken JSON");
        assert!(!error.to_string().contains(REFRESH), "{error}");
    }

    #[test]
    fn operations_are_warned_days_before_the_refresh_token_expires() {
        let expires = at("2027-01-10T00:00:00Z");
        let status = GrantStatus {
            refresh_token_expires_at: Some(expires),
            ..GrantStatus::default()
        };
        assert_eq!(
            status.warning(at("2026-12-20T00:00:00Z"), GRANT_WARNING_LEAD),
            None
        );
        assert_eq!(
            status.warning(at("2026-12-28T00:00:00Z"), GRANT_WARNING_LEAD),
            Some(GrantWarning::ExpiresSoon(expires))
        );
        assert_eq!(
            status.warning(at("2027-01-10T00:00:01Z"), GRANT_WARNING_LEAD),
            Some(GrantWarning::Expired(expires))
        );
        assert_eq!(
            GrantStatus::default().warning(expires, GRANT_WARNING_LEAD),
            None
        );
    }

    #[tokio::test]
    async fn a_static_token_is_handed_out_and_cannot_be_renewed() {
        let source = StaticToken::new(SecretString::from("EAAB-static"));
        let token = source.access_token().await.expect("token");
        assert_eq!(token.expose_secret(), "EAAB-static");
        assert!(!source.renewable());
        assert!(matches!(
            source.renew(&token).await,
            Err(TokenError::NotRenewable)
        ));
        assert!(!format!("{source:?}").contains("EAAB-static"));
    }
}
