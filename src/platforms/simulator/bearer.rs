//! What the simulator's YouTube and LinkedIn routes share: how a request's
//! [`CallEntry`] admits it through a fault and sends the answer, the
//! bearer-token check, the account's injected
//! fault, and the fake OAuth 2.0 token endpoint (RFC 6749 §6) both
//! platforms renew their access tokens at.
//!
//! Each platform keeps its own wire format: it maps a [`Fault`] to its own
//! error body and builds its own JSON; this module only carries an answer
//! ([`Reply`]) into the call log and out as a response.

use std::sync::Arc;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::calls::{CallEntry, LoggedRequest};
use super::{Fault, SimState};

/// The refresh token the fake token endpoint treats as revoked, so tests
/// and the demo can exercise `invalid_grant`.
pub const REVOKED_REFRESH_TOKEN: &str = "revoked-refresh-token";

/// An answer on its way out: status and JSON body (or none).
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) body: Option<Value>,
}

impl Reply {
    /// 200 with a JSON body.
    pub(super) fn ok(body: Value) -> Self {
        Self::json(StatusCode::OK, body)
    }

    /// Any status with a JSON body.
    pub(super) fn json(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }

    /// 204 No Content.
    pub(super) fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
        }
    }

    fn into_response(self, truncate: bool) -> Response {
        let mut body = self.body.map(|v| v.to_string()).unwrap_or_default();
        if truncate {
            let half = (0..=body.len() / 2)
                .rev()
                .find(|i| body.is_char_boundary(*i))
                .unwrap_or(0);
            body.truncate(half);
        }
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        );
        response
    }
}

/// What an injected fault asks of a request that is still answered.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shaping {
    /// Cut the body in half.
    pub(super) truncate: bool,
    /// Answer listings from their first page, always with a next page.
    pub(super) repeat_first_page: bool,
    /// Break the first item's time.
    pub(super) corrupt_first_item: bool,
}

/// One request's [`CallEntry`] on a YouTube or LinkedIn route, with what
/// those routes do with it: admit the request through the account's fault
/// and send a [`Reply`].
pub(super) struct Call {
    entry: CallEntry,
}

impl Call {
    /// Enters the request in the call log under its full path
    /// (`/{platform}` + the path the nested router saw). `logged_body` must
    /// carry no secret.
    pub(super) fn begin(
        sim: &Arc<SimState>,
        platform: &str,
        method: &Method,
        uri: &Uri,
        logged_body: String,
        page_id: Option<String>,
        comment_id: Option<String>,
    ) -> Self {
        let request = LoggedRequest {
            method: method.to_string(),
            path: format!("/{platform}{}", uri.path()),
            query: uri.query().unwrap_or_default().to_string(),
            body: logged_body,
            page_id,
            comment_id,
        };
        Self {
            entry: CallEntry::begin(sim, request),
        }
    }

    /// The account's next injected fault, applied: a failure comes back as
    /// `Err` with the platform's own error reply (`fail` maps it), a slow
    /// fault has waited, and the rest shape the answer.
    pub(super) async fn admit(
        &mut self,
        fail: impl Fn(Fault, u32) -> Option<Reply>,
    ) -> Result<Shaping, Reply> {
        let Some(served) = self.entry.take_fault() else {
            return Ok(Shaping::default());
        };
        if let Some(reply) = fail(served.fault, served.earlier) {
            return Err(reply);
        }
        let mut shaping = Shaping::default();
        match served.fault {
            // If the client goes away, this future is dropped here and
            // the request has no effect.
            Fault::Slow(delay) => tokio::time::sleep(delay).await,
            Fault::MalformedJson => shaping.truncate = true,
            Fault::RepeatingCursor => shaping.repeat_first_page = true,
            Fault::MalformedItem => shaping.corrupt_first_item = true,
            // Ids withheld is a Graph token's trait; these platforms
            // always send them.
            Fault::ServerError
            | Fault::RateLimited
            | Fault::AppRateLimited
            | Fault::TokenExpired
            | Fault::WithoutIds => {}
        }
        Ok(shaping)
    }

    /// Logs the answer and sends it.
    pub(super) fn finish(self, reply: Reply, applied: Option<bool>, truncate: bool) -> Response {
        self.entry.finish(reply.status, applied);
        reply.into_response(truncate)
    }
}

/// Whether the request carries a non-empty bearer token.
pub(super) fn has_bearer(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|token| !token.trim().is_empty())
}

/// The parameters of a query string or form body.
pub(super) fn pairs(raw: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://simulator/?{raw}"))
        .map(|url| url.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

/// The value of one parameter.
pub(super) fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// `POST` to the token endpoint: a refresh-token grant answered with a
/// new access token, or `invalid_grant` for [`REVOKED_REFRESH_TOKEN`].
/// With `rotate` (LinkedIn) a new refresh token and its lifetime come too.
pub(super) fn token_grant(
    sim: &Arc<SimState>,
    platform: &str,
    uri: &Uri,
    body: &[u8],
    rotate: bool,
) -> Response {
    let form = pairs(&String::from_utf8_lossy(body));
    let grant_type = param(&form, "grant_type").unwrap_or_default();
    let logged = format!(
        "grant_type={grant_type}&client_id={}",
        param(&form, "client_id").unwrap_or_default()
    );
    let call = Call::begin(sim, platform, &Method::POST, uri, logged, None, None);
    let error = |code: &str, description: &str| {
        Reply::json(
            StatusCode::BAD_REQUEST,
            json!({"error": code, "error_description": description}),
        )
    };
    let reply = match (grant_type, param(&form, "refresh_token")) {
        ("refresh_token", Some(REVOKED_REFRESH_TOKEN)) => {
            error("invalid_grant", "Token has been expired or revoked.")
        }
        ("refresh_token", Some(token)) if !token.is_empty() => {
            let seq = sim.next_seq();
            let mut answer = json!({
                "access_token": format!("sim-access-token-{seq}"),
                "expires_in": 3599,
                "token_type": "Bearer",
            });
            if rotate {
                answer["refresh_token"] = json!(format!("sim-refresh-token-{seq}"));
                answer["refresh_token_expires_in"] = json!(31_536_000);
            }
            Reply::ok(answer)
        }
        ("refresh_token", _) => error("invalid_request", "Missing refresh_token"),
        _ => error("unsupported_grant_type", "Only refresh_token is supported"),
    };
    call.finish(reply, None, false)
}

#[cfg(test)]
pub(super) mod tests {
    //! Drives the real YouTube and LinkedIn connectors against the
    //! simulator: what they list must be what the simulator planted.

    use std::collections::BTreeSet;
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::time::Duration;

    use chrono::{DateTime, TimeDelta, Utc};

    use crate::clock::{Clock, ManualClock};
    use crate::domain::FetchedComment;
    use crate::platforms::simulator::{Simulator, SimulatorConfig, SimulatorHandle};
    use crate::platforms::token::{OAuthSettings, OAuthTokenSource, TokenSource};
    use crate::platforms::{Cursors, Fetch, Platform, PlatformError};

    /// A one-page simulator, its clock a day into the comment stream.
    pub(crate) async fn simulator() -> (SimulatorHandle, Arc<ManualClock>) {
        let config = SimulatorConfig {
            pages: 1,
            ..SimulatorConfig::default()
        };
        let clock = Arc::new(ManualClock::new(config.stream_start + TimeDelta::hours(30)));
        let bind: SocketAddr = "127.0.0.1:0".parse().expect("address");
        let sim = Simulator::start(config, clock.clone(), bind)
            .await
            .expect("simulator starts");
        (sim, clock)
    }

    /// An OAuth source renewing at `endpoint` with `refresh_token`.
    pub(crate) fn tokens(
        dir: &tempfile::TempDir,
        endpoint: String,
        refresh_token: &str,
        clock: Arc<dyn Clock>,
    ) -> Arc<dyn TokenSource> {
        let file: PathBuf = dir.path().join("refresh-token");
        std::fs::write(&file, refresh_token).expect("write refresh token");
        Arc::new(
            OAuthTokenSource::new(
                OAuthSettings {
                    token_endpoint: endpoint,
                    client_id: "sim-client".into(),
                    client_secret: "sim-secret".to_string().into(),
                    refresh_token_file: file,
                    request_timeout: Duration::from_secs(5),
                },
                reqwest::Client::new(),
                clock,
            )
            .expect("token source"),
        )
    }

    /// Every call a run makes, one after the other as the collect stage
    /// makes them: the comments listed and the cursors at the end.
    pub(crate) async fn crawl(
        platform: &dyn Platform,
        cursors: &Cursors,
        since: DateTime<Utc>,
    ) -> Result<(Vec<FetchedComment>, Cursors), PlatformError> {
        let mut queue: Vec<Fetch> = platform.first_fetches(cursors, since);
        let mut seen = BTreeSet::new();
        let mut comments = Vec::new();
        let mut saved = cursors.clone();
        while let Some(fetch) = queue.pop() {
            assert!(seen.insert(format!("{fetch:?}")), "{fetch:?} repeated");
            assert!(seen.len() < 200, "the crawl does not end");
            let harvest = platform.fetch(&fetch, cursors).await?;
            assert!(harvest.rejected.is_empty(), "{:?}", harvest.rejected);
            comments.extend(harvest.comments);
            saved.extend(harvest.cursors);
            queue.extend(harvest.more);
        }
        Ok((comments, saved))
    }

    /// The planted comments of the simulator's one page up to now.
    pub(crate) fn planted_ids(sim: &SimulatorHandle, now: DateTime<Utc>) -> BTreeSet<String> {
        sim.planted_until(now).into_iter().map(|c| c.id).collect()
    }
}
