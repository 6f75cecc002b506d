//! The request cycle the OAuth connectors (YouTube, LinkedIn) share: send
//! with the token source's bearer token, and when the platform refuses a
//! token that a refresh can replace, refresh once and send again; map
//! transport failures; keep every token out of error texts.
//!
//! What differs per platform — the error bodies — is passed in as a
//! function from the failed [`Answer`] to a [`PlatformError`].

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use secrecy::{ExposeSecret, SecretString};

use crate::platforms::PlatformError;
use crate::platforms::token::{TokenSource, redact_all};
/// One copy for every connector; re-exported where the OAuth connectors
/// look for their helpers.
pub(crate) use crate::platforms::transport::{error_chain, retry_after_header};

/// A platform's answer, read whole.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (rate-limit and retry hints).
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Vec<u8>,
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
    let mut answer = send_once(build(), &token, timeout).await?;
    let mut used = vec![token];
    if answer.status == StatusCode::UNAUTHORIZED && tokens.renewable() {
        tracing::info!("The platform refused the access token; renewing it and retrying once");
        let renewed = tokens.renew(&used[0]).await?;
        answer = send_once(build(), &renewed, timeout).await?;
        used.push(renewed);
    }
    if answer.status.is_success() {
        Ok(answer)
    } else {
        let secrets: Vec<&str> = used.iter().map(|t| t.expose_secret()).collect();
        Err(redacted(failure(&answer), &secrets))
    }
}

/// One request with one token, read to the end.
async fn send_once(
    request: RequestBuilder,
    token: &SecretString,
    timeout: Duration,
) -> Result<Answer, PlatformError> {
    let secret = [token.expose_secret()];
    let response = request
        .bearer_auth(token.expose_secret())
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| transport_error(&e, timeout, &secret))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| transport_error(&e, timeout, &secret))?;
    tracing::debug!(
        status = status.as_u16(),
        bytes = body.len(),
        "Platform answered"
    );
    Ok(Answer {
        status,
        headers,
        body: body.into(),
    })
}

/// Maps a failure to send a request or to read its answer.
pub(crate) fn transport_error(
    error: &reqwest::Error,
    timeout: Duration,
    secrets: &[&str],
) -> PlatformError {
    if error.is_timeout() {
        return PlatformError::Timeout(timeout);
    }
    let detail = redact_all(&error_chain(error), secrets);
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

/// `error` with every secret removed from whatever free text it carries.
pub(crate) fn redacted(error: PlatformError, secrets: &[&str]) -> PlatformError {
    let clean = |text: String| redact_all(&text, secrets);
    match error {
        PlatformError::Unauthorized { detail } => PlatformError::Unauthorized {
            detail: clean(detail),
        },
        PlatformError::RateLimited { retry_after, usage } => PlatformError::RateLimited {
            retry_after,
            usage: clean(usage),
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

/// Appends `segments` to `base`'s path, each percent-encoded as one
/// segment, so an id can never change the request's path.
pub(crate) fn url_with_segments(
    base: &reqwest::Url,
    segments: &[&str],
) -> Result<reqwest::Url, PlatformError> {
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

/// Checks a configured API base URL: http(s), no query, fragment or
/// credentials.
pub(crate) fn base_url(base: &str, what: &str) -> Result<reqwest::Url, PlatformError> {
    let invalid = |why: &str| PlatformError::Permanent {
        detail: format!("the {what} base URL {base:?} {why}"),
    };
    let url = reqwest::Url::parse(base).map_err(|e| invalid(&format!("is not a URL ({e})")))?;
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
