//! How every connector sends one request to its platform: the bearer token
//! in the `Authorization` header only, a per-request timeout, and errors
//! that can never carry the token.
//!
//! One transport for every connector. The token comes from a
//! [`TokenSource`] ([`send_authorized`]: a refresh-token grant is renewed
//! once when the platform refuses its token) or is the account's static
//! token ([`send`]: the Graph and X connectors).
//!
//! The platform-specific parts (which status or body means what) stay in
//! each connector; what is the same for all of them lives here once, so a
//! new connector cannot forget to redact its token or to tell a timeout
//! from a refused connection.

use std::error::Error as StdError;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::platforms::PlatformError;
use crate::platforms::token::TokenSource;

/// What replaces the token wherever it would otherwise appear in a detail.
pub(crate) const REDACTED: &str = "[redacted]";

/// A platform's complete answer: the status, headers (rate-limit and usage
/// headers live there) and the body bytes.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (rate-limit, usage and retry hints).
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Vec<u8>,
}

/// Sends one request with the bearer token and timeout and reads the whole
/// answer, whatever its status; `platform` names the API in debug logs.
pub(crate) async fn send(
    request: RequestBuilder,
    token: &SecretString,
    request_timeout: Duration,
    platform: &str,
) -> Result<Answer, PlatformError> {
    let response = request
        .bearer_auth(token.expose_secret())
        .timeout(request_timeout)
        .send()
        .await
        .map_err(|e| transport_error(&e, token, request_timeout))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| transport_error(&e, token, request_timeout))?;
    tracing::debug!(
        status = status.as_u16(),
        bytes = body.len(),
        "{platform} answered"
    );
    Ok(Answer {
        status,
        headers,
        body: body.into(),
    })
}

/// Sends the request `build` makes with a bearer token from `tokens`.
/// On HTTP 401 from a source that can renew its token, the token is
/// renewed and the request sent once more; a second 401 is the platform's
/// answer. A successful answer is returned; a failed one goes through
/// `failure`, and every token used is scrubbed from the resulting error.
pub(crate) async fn send_authorized(
    tokens: &dyn TokenSource,
    timeout: Duration,
    build: impl Fn() -> RequestBuilder,
    failure: impl Fn(&Answer) -> PlatformError,
) -> Result<Answer, PlatformError> {
    let token = tokens.access_token().await?;
    let mut answer = send(build(), &token, timeout, "The platform").await?;
    let mut used = vec![token];
    if answer.status == StatusCode::UNAUTHORIZED && tokens.renewable() {
        tracing::info!("The platform refused the access token; renewing it and retrying once");
        let renewed = tokens.renew(&used[0]).await?;
        answer = send(build(), &renewed, timeout, "The platform").await?;
        used.push(renewed);
    }
    if answer.status.is_success() {
        Ok(answer)
    } else {
        let secrets: Vec<&str> = used.iter().map(|t| t.expose_secret()).collect();
        Err(redacted_all(failure(&answer), &secrets))
    }
}

/// Maps a failure to send or to read an answer.
pub(crate) fn transport_error(
    error: &reqwest::Error,
    token: &SecretString,
    request_timeout: Duration,
) -> PlatformError {
    if error.is_timeout() {
        return PlatformError::Timeout(request_timeout);
    }
    let detail = redact(&error_chain(error), token);
    if error.is_builder() {
        PlatformError::Permanent {
            detail: format!("the request could not be built: {detail}"),
        }
    } else {
        PlatformError::Transient {
            detail: format!("the request failed: {detail}"),
        }
    }
}

/// Removes the token from a text that came from elsewhere (a platform
/// message, a transport error) before it can reach a log or a ticket.
pub(crate) fn redact(text: &str, token: &SecretString) -> String {
    redact_all(text, &[token.expose_secret()])
}

/// Replaces each non-empty secret in `text`.
pub(crate) fn redact_all(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text.to_string(), |text, secret| {
            text.replace(secret, REDACTED)
        })
}

/// [`redact`] applied to whatever free text an error carries.
pub(crate) fn redacted(error: PlatformError, token: &SecretString) -> PlatformError {
    redacted_all(error, &[token.expose_secret()])
}

/// `error` with every one of `secrets` removed from its free text.
pub(crate) fn redacted_all(error: PlatformError, secrets: &[&str]) -> PlatformError {
    let clean = |text: String| redact_all(&text, secrets);
    match error {
        PlatformError::Unauthorized { detail } => PlatformError::Unauthorized {
            detail: clean(detail),
        },
        PlatformError::RateLimited {
            retry_after,
            usage,
            scope,
        } => PlatformError::RateLimited {
            retry_after,
            usage: clean(usage),
            scope,
        },
        PlatformError::Transient { detail } => PlatformError::Transient {
            detail: clean(detail),
        },
        PlatformError::Malformed { detail } => PlatformError::Malformed {
            detail: clean(detail),
        },
        PlatformError::Permanent { detail } => PlatformError::Permanent {
            detail: clean(detail),
        },
        other => other,
    }
}

/// Checks a configured API base URL, refusing bases that could send the
/// token somewhere unexpected (another scheme, credentials, a query).
/// `api` names the API in the messages.
pub(crate) fn base_url(base: &str, api: &str) -> Result<Url, PlatformError> {
    let invalid = |why: &str| PlatformError::Permanent {
        detail: format!("the {api} base URL {base:?} {why}"),
    };
    let url = Url::parse(base).map_err(|e| invalid(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must use http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials"));
    }
    if url.cannot_be_a_base() {
        return Err(invalid("cannot take a path"));
    }
    Ok(url)
}

/// `{base}/{version}` as a URL that path segments can be appended to (see
/// [`base_url`]).
pub(crate) fn versioned_base_url(
    base: &str,
    version: &str,
    api: &str,
) -> Result<Url, PlatformError> {
    let url = base_url(base, api)?;
    if version.is_empty() || version.contains(['/', '?', '#']) {
        return Err(PlatformError::Permanent {
            detail: format!("the {api} version {version:?} must be one path segment such as v24.0"),
        });
    }
    url_with_segments(&url, &[version])
}

/// `base` with `segments` appended, each percent-encoded as one path
/// segment so an id can never change the request's path; empty, `.` and
/// `..` segments, which a URL path would resolve away, are refused.
pub(crate) fn url_with_segments(base: &Url, segments: &[&str]) -> Result<Url, PlatformError> {
    if let Some(bad) = segments
        .iter()
        .find(|s| s.is_empty() || **s == "." || **s == "..")
    {
        return Err(PlatformError::Permanent {
            detail: format!("{bad:?} cannot be part of an API path"),
        });
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| PlatformError::Permanent {
            detail: "the API base URL cannot take a path".to_string(),
        })?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// The named headers verbatim (`label: value; …`), for the operator who
/// judges the load; `none` when the answer carried none of them.
pub(crate) fn header_report(headers: &HeaderMap, named: &[(&str, &str)], none: &str) -> String {
    let parts: Vec<String> = named
        .iter()
        .filter_map(|(label, name)| {
            headers
                .get(*name)
                .map(|v| format!("{label}: {}", String::from_utf8_lossy(v.as_bytes())))
        })
        .collect();
    if parts.is_empty() {
        none.to_string()
    } else {
        parts.join("; ")
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the
/// platforms spoken here).
pub(crate) fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// A connector's page state (where a listing's next call starts and what
/// it carries over) as the text a `Fetch` carries.
pub(crate) fn encode_state<T: Serialize>(state: &T) -> String {
    serde_json::to_string(state).unwrap_or_default()
}

/// Reads a page state written by [`encode_state`]; `platform` names the
/// connector in the error.
pub(crate) fn decode_state<T: DeserializeOwned>(
    text: &str,
    platform: &str,
) -> Result<T, PlatformError> {
    serde_json::from_str(text).map_err(|e| PlatformError::Permanent {
        detail: format!(
            "the {platform} page state {text:?} was not written by this connector: {e}"
        ),
    })
}

/// An error with its causes, since reqwest's own message alone ("error
/// sending request") does not tell an operator what happened.
pub(crate) fn error_chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What the connectors' wiremock tests share.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A JSON answer with the bytes exactly as given.
    pub(crate) fn json(status: u16, body: &str) -> wiremock::ResponseTemplate {
        wiremock::ResponseTemplate::new(status)
            .set_body_raw(body.as_bytes().to_vec(), "application/json")
    }

    /// Fails unless the call was refused as `Permanent` or `Unsupported`
    /// without anything reaching the platform.
    pub(crate) async fn assert_refused_unsent(
        error: &PlatformError,
        server: &wiremock::MockServer,
    ) {
        assert!(
            matches!(
                error,
                PlatformError::Permanent { .. } | PlatformError::Unsupported { .. }
            ),
            "got {error:?}"
        );
        let requests = server.received_requests().await.expect("recorded");
        assert!(requests.is_empty(), "nothing may be sent: {requests:?}");
    }

    /// Fails when the token shows in the error's message or debug form.
    pub(crate) fn assert_no_token(error: &PlatformError, token: &str) {
        assert!(
            !error.to_string().contains(token),
            "token leaked into {error}"
        );
        assert!(
            !format!("{error:?}").contains(token),
            "token leaked into Debug"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_trailing_slash_still_gets_one_version_segment() {
        let url = versioned_base_url("https://api.x.com/", "2", "X API").expect("valid");
        assert_eq!(url.as_str(), "https://api.x.com/2");
    }

    #[test]
    fn segments_are_encoded_so_an_id_cannot_change_the_path() {
        let base =
            versioned_base_url("https://graph.facebook.com", "v24.0", "Graph API").expect("valid");
        let url = url_with_segments(&base, &["1/../me", "comments"]).expect("url");
        assert_eq!(
            url.as_str(),
            "https://graph.facebook.com/v24.0/1%2F..%2Fme/comments"
        );
    }

    #[test]
    fn redacted_errors_never_show_the_token() {
        let token = SecretString::from("s3cr3t-token");
        let error = redacted(
            PlatformError::Unauthorized {
                detail: "bad token s3cr3t-token".into(),
            },
            &token,
        );
        assert_eq!(error.to_string().matches(REDACTED).count(), 1);
        assert!(!format!("{error:?}").contains("s3cr3t-token"));
    }
}
