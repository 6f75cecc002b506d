//! What the Facebook and Instagram connectors share, because both speak the
//! Graph API on graph.facebook.com: its error body and what each error
//! code means for the caller, its usage headers, its time format, its object
//! ids, the answer to a moderation call, and one request sent with the
//! account's token.
//!
//! - Errors come as `{"error":{"message","type","code","error_subcode",
//!   "fbtrace_id","is_transient"}}`; the code decides first (190/102 token,
//!   4 the app's rate limit, 17/32/613/8000x one account's, 100/33 gone,
//!   1/2 transient), the HTTP status settles the rest.
//! - Rate limits are reported in the `X-Business-Use-Case-Usage` and
//!   `X-App-Usage` headers; the BUC header's `estimated_time_to_regain_access`
//!   is in minutes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use secrecy::SecretString;
use serde::Deserialize;

use crate::platforms::PlatformError;
use crate::platforms::budget::{UsageMeter, UsageScope};
use crate::platforms::transport::{self, retry_after_header};

/// Business Use Case rate-limit header (Page and system-user tokens).
const BUC_USAGE_HEADER: &str = "x-business-use-case-usage";
/// Platform rate-limit header (app and user tokens).
const APP_USAGE_HEADER: &str = "x-app-usage";

#[derive(Deserialize)]
struct WireErrorEnvelope {
    error: WireError,
}

#[derive(Deserialize)]
struct WireError {
    message: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    code: Option<i64>,
    error_subcode: Option<i64>,
    fbtrace_id: Option<String>,
    is_transient: Option<bool>,
}

/// `GET /debug_token`: `{"data":{"is_valid":…,"expires_at":…,
/// "data_access_expires_at":…}}`, times in Unix seconds, 0 for never.
#[derive(Deserialize)]
struct WireDebugToken {
    data: WireTokenData,
}

#[derive(Deserialize)]
struct WireTokenData {
    is_valid: bool,
    #[serde(default)]
    expires_at: i64,
    #[serde(default)]
    data_access_expires_at: i64,
}

/// The answer to hide, unhide and delete.
#[derive(Deserialize)]
struct WireSuccess {
    success: bool,
}

/// Sends one Graph request with the token and timeout, and returns the
/// body of a successful answer or the mapped, redacted error of a failed one;
/// `meter` keeps the usage headers every answer carries.
pub(crate) async fn execute(
    request: RequestBuilder,
    token: &SecretString,
    request_timeout: Duration,
    meter: &UsageMeter,
) -> Result<Vec<u8>, PlatformError> {
    let answer = transport::send(request, token, request_timeout, "Graph API").await?;
    meter.record_graph(&answer.headers);
    if answer.status.is_success() {
        Ok(answer.body)
    } else {
        Err(transport::redacted(
            failure_from_response(answer.status, &answer.headers, &answer.body),
            token,
        ))
    }
}

/// When the access token stops working, as Graph's `debug_token` states
/// it: the earlier of the token's own end (`expires_at`) and the end of
/// its data access (`data_access_expires_at`); `None` when neither ends
/// (0). A token Graph calls invalid without an end is refused as
/// [`PlatformError::Unauthorized`]. The endpoint takes the token itself as
/// `input_token`, the one place it goes into a URL; every error is
/// scrubbed of it as of the bearer header's.
pub(crate) async fn token_end(
    client: &reqwest::Client,
    versioned_base: &reqwest::Url,
    token: &SecretString,
    request_timeout: Duration,
    meter: &UsageMeter,
) -> Result<Option<DateTime<Utc>>, PlatformError> {
    use secrecy::ExposeSecret;
    let url = transport::url_with_segments(versioned_base, &["debug_token"])?;
    let request = client
        .get(url)
        .query(&[("input_token", token.expose_secret())]);
    let body = execute(request, token, request_timeout, meter).await?;
    let answer: WireDebugToken = serde_json::from_slice(&body).map_err(|e| {
        transport::redacted(
            PlatformError::Malformed {
                detail: format!("the debug_token answer is not {{\"data\":{{…}}}}: {e}"),
            },
            token,
        )
    })?;
    let ends = [answer.data.expires_at, answer.data.data_access_expires_at]
        .into_iter()
        .filter(|at| *at > 0)
        .filter_map(|at| DateTime::from_timestamp(at, 0))
        .min();
    match (answer.data.is_valid, ends) {
        (false, None) => Err(PlatformError::Unauthorized {
            detail: "Graph's debug_token says the access token is no longer valid".to_string(),
        }),
        (_, ends) => Ok(ends),
    }
}

/// Checks a `{"success":…}` answer to a moderation call.
pub(crate) fn expect_success(
    body: &[u8],
    action: &str,
    token: &SecretString,
) -> Result<(), PlatformError> {
    let answer: WireSuccess = serde_json::from_slice(body).map_err(|e| {
        transport::redacted(
            PlatformError::Malformed {
                detail: format!("the answer to {action} is not {{\"success\":…}}: {e}"),
            },
            token,
        )
    })?;
    if answer.success {
        Ok(())
    } else {
        Err(PlatformError::Permanent {
            detail: format!("the Graph API answered success=false to {action}"),
        })
    }
}

/// Refuses ids that percent-encoding cannot make safe: empty ones, and `.`
/// or `..`, which a URL path would resolve away.
pub(crate) fn check_object_id(id: &str, what: &str) -> Result<(), PlatformError> {
    if id.is_empty() || id == "." || id == ".." {
        Err(PlatformError::Permanent {
            detail: format!("{id:?} is not a usable Graph {what}"),
        })
    } else {
        Ok(())
    }
}

/// Parses the Graph time format (`2026-11-23T08:12:00+0000`, offset without
/// colon), also accepting RFC 3339 in case a proxy or simulator normalises it.
pub(crate) fn parse_graph_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(value))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Maps an HTTP status ≥ 300 and its body onto what the caller should do.
pub(crate) fn failure_from_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> PlatformError {
    match serde_json::from_slice::<WireErrorEnvelope>(body) {
        Ok(envelope) => failure_from_graph_error(status, headers, &envelope.error),
        Err(_) => failure_without_graph_error(status, headers),
    }
}

/// The Graph error code decides first; the HTTP status settles the rest.
fn failure_from_graph_error(
    status: StatusCode,
    headers: &HeaderMap,
    error: &WireError,
) -> PlatformError {
    let code = error.code.unwrap_or_default();
    let detail = describe_graph_error(status, error);
    if matches!(code, 190 | 102) {
        PlatformError::Unauthorized { detail }
    } else if let Some(scope) = rate_limit_scope(code) {
        rate_limited(headers, scope)
    } else if status == StatusCode::TOO_MANY_REQUESTS {
        rate_limited(headers, UsageScope::Account)
    } else if code == 100 && error.error_subcode == Some(33) {
        PlatformError::NotFound
    } else if matches!(code, 1 | 2) || error.is_transient == Some(true) || status.is_server_error()
    {
        PlatformError::Transient { detail }
    } else {
        PlatformError::Permanent { detail }
    }
}

/// A failure whose body is not a Graph error (a proxy's HTML page, nothing).
fn failure_without_graph_error(status: StatusCode, headers: &HeaderMap) -> PlatformError {
    if status == StatusCode::TOO_MANY_REQUESTS {
        rate_limited(headers, UsageScope::Account)
    } else if status.is_server_error() {
        PlatformError::Transient {
            detail: format!("HTTP {status} without a Graph error body"),
        }
    } else if status.is_client_error() {
        PlatformError::Permanent {
            detail: format!("HTTP {status} without a Graph error body"),
        }
    } else {
        PlatformError::Malformed {
            detail: format!("unexpected HTTP status {status}"),
        }
    }
}

/// Whom a rate-limit code stops, `None` for other codes. The application
/// limit (4) stops every account the app serves; the user (17), Page (32),
/// custom (613) and Business Use Case (80001–80099) limits count one
/// account's token or Page, so the other accounts go on.
fn rate_limit_scope(code: i64) -> Option<UsageScope> {
    match code {
        4 => Some(UsageScope::App),
        17 | 32 | 613 | 80000..=80099 => Some(UsageScope::Account),
        _ => None,
    }
}

/// How long the app waits after Graph's application limit when nothing
/// names a wait: the limit counts the app's calls of a rolling hour, so an
/// hour on, none of the calls that filled it count any more.
const APP_LIMIT_WINDOW: Duration = Duration::from_secs(60 * 60);

/// Rate limited for `scope`, waiting as long as the usage headers ask (the
/// application limit: at least until its window has moved on, when they
/// name no wait).
pub(crate) fn rate_limited(headers: &HeaderMap, scope: UsageScope) -> PlatformError {
    let named = retry_after(headers);
    let retry_after = match scope {
        UsageScope::App => named.or(Some(APP_LIMIT_WINDOW)),
        UsageScope::Account => named,
    };
    PlatformError::RateLimited {
        retry_after,
        usage: usage_report(headers),
        scope,
    }
}

/// `HTTP 400, Graph error 190/463 (OAuthException): message; fbtrace_id X`.
fn describe_graph_error(status: StatusCode, error: &WireError) -> String {
    let code = error
        .code
        .map_or_else(|| "without code".to_string(), |c| c.to_string());
    let subcode = error
        .error_subcode
        .map(|s| format!("/{s}"))
        .unwrap_or_default();
    let kind = error.kind.as_deref().unwrap_or("unknown type");
    let message = error.message.as_deref().unwrap_or("no message");
    let trace = error.fbtrace_id.as_deref().unwrap_or("none");
    format!("HTTP {status}, Graph error {code}{subcode} ({kind}): {message}; fbtrace_id {trace}")
}

/// The usage headers verbatim, for the operator who has to judge the load.
fn usage_report(headers: &HeaderMap) -> String {
    transport::header_report(
        headers,
        &[
            ("X-Business-Use-Case-Usage", BUC_USAGE_HEADER),
            ("X-App-Usage", APP_USAGE_HEADER),
        ],
        "no usage headers",
    )
}

/// The longest wait the platform asks for, from the BUC estimate or a
/// `Retry-After` header; `None` when neither names a positive wait.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    [
        buc_time_to_regain_access(headers),
        retry_after_header(headers),
    ]
    .into_iter()
    .flatten()
    .filter(|wait| !wait.is_zero())
    .max()
}

/// The largest `estimated_time_to_regain_access` (minutes) over all entries of
/// `{"<business id>":[{"type":"pages",…,"estimated_time_to_regain_access":N}]}`.
fn buc_time_to_regain_access(headers: &HeaderMap) -> Option<Duration> {
    let usage: serde_json::Value =
        serde_json::from_slice(headers.get(BUC_USAGE_HEADER)?.as_bytes()).ok()?;
    usage
        .as_object()?
        .values()
        .filter_map(serde_json::Value::as_array)
        .flatten()
        .filter_map(|entry| entry.get("estimated_time_to_regain_access")?.as_f64())
        .filter_map(|minutes| Duration::try_from_secs_f64(minutes * 60.0).ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn graph_time_without_colon_in_offset_is_parsed() {
        assert_eq!(
            parse_graph_time("2026-11-23T10:12:00+0200"),
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 8, 12, 0).unwrap())
        );
        assert_eq!(parse_graph_time("23/11/2026"), None);
    }
}
