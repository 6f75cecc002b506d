//! The console as an OpenID Connect client of the city's identity
//! provider: discovery (`<issuer>/.well-known/openid-configuration`), the
//! authorization request with PKCE (S256), the code exchange at the token
//! endpoint, and the provider's signing keys.
//!
//! Discovery and keys are fetched at the first login, not at start, so the
//! console comes up while the provider is unreachable; they are kept for
//! the process's life, and the keys are fetched again when a token names
//! one we do not have (the provider rotated its keys).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use reqwest::Url;
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use super::id_token::{self, ClaimNames, Expected, Identity};
use super::{OidcError, PendingLogin, Refusal};
use crate::config::OidcConfig;

/// How long one request to the provider may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The provider's discovery document: the parts a code-flow client uses.
#[derive(Debug, Clone, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    id_token_signing_alg_values_supported: Vec<String>,
    #[serde(default)]
    code_challenge_methods_supported: Option<Vec<String>>,
}

/// Discovery and keys, once fetched.
#[derive(Debug, Clone)]
struct Discovered {
    metadata: Metadata,
    keys: JwkSet,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TokenError {
    error: Option<String>,
}

/// The console's client at the identity provider.
pub struct OidcClient {
    config: OidcConfig,
    redirect_uri: String,
    discovered: Mutex<Option<Discovered>>,
}

impl OidcClient {
    /// A client for `config`, whose redirect URI is under `public_url`
    /// (the address registered at the provider).
    pub fn new(config: OidcConfig, public_url: &str) -> Self {
        Self {
            config,
            redirect_uri: format!("{public_url}{}", super::CALLBACK_PATH),
            discovered: Mutex::new(None),
        }
    }

    /// The configured issuer.
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// The issuer's origin (`https://login.example.se`), where its login
    /// page is: the login form's policy lets the browser go on to it.
    pub fn issuer_origin(&self) -> Option<String> {
        origin_of(&self.config.issuer)
    }

    /// The redirect URI to register at the provider.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Where to send the person to log in for `pending`.
    pub async fn authorization_url(&self, pending: &PendingLogin) -> Result<String, OidcError> {
        let metadata = self.discovered().await?.metadata;
        let mut url = Url::parse(&metadata.authorization_endpoint)
            .map_err(|_| OidcError::Provider("the authorization endpoint is not a URL".into()))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", "openid email profile")
            .append_pair("state", &pending.state)
            .append_pair("nonce", &pending.nonce)
            .append_pair("code_challenge", &pkce_challenge(&pending.verifier))
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Exchanges the callback's `code` for an ID token and verifies it
    /// against the login under way.
    pub async fn finish(
        &self,
        pending: &PendingLogin,
        code: &str,
        now: SystemTime,
    ) -> Result<Identity, OidcError> {
        let discovered = self.discovered().await?;
        let token = self.exchange(&discovered.metadata, pending, code).await?;
        let (kid, alg) = id_token::key_id(&token).map_err(OidcError::Refused)?;
        let keys = match id_token::signing_key(&discovered.keys, kid.as_deref(), alg) {
            Some(_) => discovered.keys,
            None => self.refresh_keys(&discovered.metadata).await?,
        };
        let expected = Expected {
            issuer: &self.config.issuer,
            client_id: &self.config.client_id,
            nonce: &pending.nonce,
            algorithms: &discovered.metadata.id_token_signing_alg_values_supported,
            now: seconds_since_epoch(now),
        };
        let names = ClaimNames {
            user: &self.config.user_claim,
            groups: &self.config.groups_claim,
        };
        id_token::verify(&token, &keys, &expected, &names).map_err(OidcError::Refused)
    }

    async fn exchange(
        &self,
        metadata: &Metadata,
        pending: &PendingLogin,
        code: &str,
    ) -> Result<String, OidcError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", pending.verifier.as_str()),
        ];
        let secret = self.config.client_secret.expose_secret();
        let mut request = http()?.post(&metadata.token_endpoint);
        if basic_auth_allowed(metadata) {
            // RFC 6749 §2.3.1: id and secret are form-encoded first.
            request = request.basic_auth(
                form_encode(&self.config.client_id),
                Some(form_encode(secret)),
            );
        } else {
            form.push(("client_id", self.config.client_id.as_str()));
            form.push(("client_secret", secret));
        }
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|e| OidcError::Unreachable(e.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| OidcError::Unreachable(e.without_url().to_string()))?;
        if !status.is_success() {
            let error = serde_json::from_slice::<TokenError>(&body)
                .ok()
                .and_then(|e| e.error)
                .unwrap_or_else(|| format!("HTTP {status}"));
            return Err(OidcError::Refused(Refusal::CodeRejected(error)));
        }
        serde_json::from_slice::<TokenResponse>(&body)
            .ok()
            .and_then(|t| t.id_token)
            .ok_or_else(|| OidcError::Provider("the token response has no id_token".into()))
    }

    /// Discovery and keys, fetched on first use.
    async fn discovered(&self) -> Result<Discovered, OidcError> {
        let mut cached = self.discovered.lock().await;
        if let Some(discovered) = cached.as_ref() {
            return Ok(discovered.clone());
        }
        let metadata = self.discover().await?;
        let keys = fetch_keys(&metadata).await?;
        let discovered = Discovered { metadata, keys };
        *cached = Some(discovered.clone());
        Ok(discovered)
    }

    async fn refresh_keys(&self, metadata: &Metadata) -> Result<JwkSet, OidcError> {
        let keys = fetch_keys(metadata).await?;
        if let Some(discovered) = self.discovered.lock().await.as_mut() {
            discovered.keys = keys.clone();
        }
        Ok(keys)
    }

    async fn discover(&self) -> Result<Metadata, OidcError> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.config.issuer.trim_end_matches('/')
        );
        let metadata: Metadata = get_json(&url).await?;
        check_metadata(&metadata, &self.config.issuer)?;
        Ok(metadata)
    }
}

/// The discovery document must name the configured issuer (§4.3) and keep
/// every endpoint as safe as the issuer: https unless on loopback.
fn check_metadata(metadata: &Metadata, issuer: &str) -> Result<(), OidcError> {
    if metadata.issuer != issuer {
        return Err(OidcError::Provider(format!(
            "the discovery document names issuer \"{}\", not the configured \"{issuer}\"",
            metadata.issuer
        )));
    }
    for endpoint in [
        &metadata.authorization_endpoint,
        &metadata.token_endpoint,
        &metadata.jwks_uri,
    ] {
        let safe = Url::parse(endpoint).is_ok_and(|url| {
            url.scheme() == "https"
                || (url.scheme() == "http"
                    && url
                        .host()
                        .is_some_and(|h| h.to_string() == "localhost" || is_loopback_ip(&h)))
        });
        if !safe {
            return Err(OidcError::Provider(format!(
                "the endpoint {endpoint} is not https"
            )));
        }
    }
    // Browsers check the redirect that follows the login form against the
    // console's `form-action`, which names the issuer's origin only.
    if origin_of(&metadata.authorization_endpoint) != origin_of(issuer) {
        return Err(OidcError::Provider(format!(
            "the authorization endpoint {} is not on the issuer's origin, where the console's \
             Content-Security-Policy lets the login form lead",
            metadata.authorization_endpoint
        )));
    }
    if metadata
        .code_challenge_methods_supported
        .as_ref()
        .is_some_and(|methods| !methods.iter().any(|m| m == "S256"))
    {
        return Err(OidcError::Provider(
            "the provider does not support PKCE with S256".into(),
        ));
    }
    Ok(())
}

/// The origin (scheme, host and port) of `url`, if it is a URL.
fn origin_of(url: &str) -> Option<String> {
    Url::parse(url)
        .ok()
        .map(|url| url.origin().ascii_serialization())
}

fn is_loopback_ip(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
        url::Host::Domain(_) => false,
    }
}

fn basic_auth_allowed(metadata: &Metadata) -> bool {
    // The default when the provider does not say (§3 of OpenID Discovery).
    metadata
        .token_endpoint_auth_methods_supported
        .as_ref()
        .is_none_or(|methods| methods.iter().any(|m| m == "client_secret_basic"))
}

async fn fetch_keys(metadata: &Metadata) -> Result<JwkSet, OidcError> {
    get_json(&metadata.jwks_uri).await
}

async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, OidcError> {
    let response = http()?
        .get(url)
        .send()
        .await
        .map_err(|e| OidcError::Unreachable(e.without_url().to_string()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(OidcError::Provider(format!("{url} answered HTTP {status}")));
    }
    response
        .json()
        .await
        .map_err(|e| OidcError::Provider(format!("{url} did not answer JSON: {}", e.without_url())))
}

/// A client for one login's few requests; redirects are not followed, so
/// a token request never goes anywhere but the discovered endpoint.
fn http() -> Result<reqwest::Client, OidcError> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("kommentarsvakt/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| OidcError::Unreachable(e.to_string()))
}

/// `BASE64URL(SHA256(verifier))` (RFC 7636 §4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn seconds_since_epoch(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_rfc_7636s_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    fn metadata(issuer: &str, endpoint: &str) -> Metadata {
        Metadata {
            issuer: issuer.into(),
            authorization_endpoint: format!("{endpoint}/authorize"),
            token_endpoint: format!("{endpoint}/token"),
            jwks_uri: format!("{endpoint}/keys"),
            token_endpoint_auth_methods_supported: None,
            id_token_signing_alg_values_supported: vec!["RS256".into()],
            code_challenge_methods_supported: None,
        }
    }

    #[test]
    fn discovery_must_name_our_issuer_and_keep_tls() {
        let issuer = "https://login.example.se/t/v2.0";
        assert!(check_metadata(&metadata(issuer, "https://login.example.se"), issuer).is_ok());
        assert!(
            check_metadata(
                &metadata("https://evil.example", "https://login.example.se"),
                issuer
            )
            .is_err()
        );
        assert!(check_metadata(&metadata(issuer, "http://login.example.se"), issuer).is_err());
        let local = "http://127.0.0.1:4000";
        assert!(check_metadata(&metadata(local, local), local).is_ok());
        let mut plain = metadata(issuer, "https://login.example.se");
        plain.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert!(check_metadata(&plain, issuer).is_err());
        let mut elsewhere = metadata(issuer, "https://login.example.se");
        elsewhere.authorization_endpoint = "https://sso.example.se/authorize".into();
        assert!(
            check_metadata(&elsewhere, issuer).is_err(),
            "off the issuer's origin"
        );
    }

    #[test]
    fn secrets_are_form_encoded_for_basic_auth() {
        assert_eq!(form_encode("a+b/c=~"), "a%2Bb%2Fc%3D%7E");
    }
}
