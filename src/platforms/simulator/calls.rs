//! The call-log entry of one request ([`CallEntry`], kept even when the
//! client goes away), which every route of the simulator writes; and what
//! the X and Instagram routes share besides: the injected fault that shapes
//! a request, and a reply built from status, headers and body bytes so a
//! fault can cut the body in half.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use chrono::Utc;
use reqwest::Url;

use super::{CallRecord, Fault, ServedFault, SimState};

/// The largest request body the routes read (a hide call's JSON is tiny).
const MAX_BODY: usize = 64 * 1024;

/// How one platform's routes answer a request without a token and each
/// injected fault, in that platform's own error format.
pub(super) trait WireFaults: Send + Sync {
    /// The answer to a request without a usable token.
    fn missing_token(&self) -> WireReply;

    /// Whether the platform also takes the token as `access_token` in the
    /// query (Graph does, X does not).
    fn token_in_query(&self) -> bool;

    /// The answer an injected failure gives instead of the real one (the
    /// faults that only reshape an answer never come here).
    fn failure(&self, sim: &SimState, fault: Fault, object_id: &str) -> WireReply;
}

/// One request as the routes read it.
pub(super) struct WireRequest {
    pub(super) method: Method,
    pub(super) uri: Uri,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

impl WireRequest {
    /// Reads the whole request; a body that cannot be read counts as empty.
    /// The URI is the one the client sent, with the `/x` or `/instagram`
    /// prefix that nesting strips, so the call log shows the real path.
    pub(super) async fn read(request: Request) -> Self {
        let (parts, body) = request.into_parts();
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |original| original.0.clone());
        let body = axum::body::to_bytes(body, MAX_BODY)
            .await
            .unwrap_or_default();
        Self {
            method: parts.method,
            uri,
            headers: parts.headers,
            body,
        }
    }

    /// The decoded query parameters.
    pub(super) fn query(&self) -> Vec<(String, String)> {
        query_pairs(&self.uri)
    }

    fn has_token(&self, faults: &dyn WireFaults) -> bool {
        has_bearer(&self.headers)
            || (faults.token_in_query()
                && query_param(&self.query(), "access_token").is_some_and(|t| !t.is_empty()))
    }
}

/// How an injected fault reshapes an otherwise valid listing.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shape {
    /// Answer the first page whatever cursor was sent (a cursor that never
    /// moves).
    pub(super) repeat_first_page: bool,
    /// Give the first comment a time that is not a time.
    pub(super) corrupt_first_item: bool,
}

/// Where a request goes in the simulated world: the page it is about
/// (for faults and the call log), the object it names, and for writes the
/// comment it changes.
pub(super) struct Target {
    pub(super) page_id: Option<String>,
    pub(super) object_id: String,
    pub(super) comment_id: Option<String>,
}

/// Runs one request: log it, authenticate it, apply the page's fault, and
/// only then let `work` answer it (and say, for writes, whether it took
/// effect), so a client that gives up during a slow answer changes nothing.
pub(super) async fn serve(
    sim: &Arc<SimState>,
    faults: &dyn WireFaults,
    request: &WireRequest,
    target: Target,
    work: impl FnOnce(Shape) -> (WireReply, Option<bool>),
) -> Response {
    let not_applied = target.comment_id.as_ref().map(|_| false);
    let mut call = CallEntry::begin(
        sim,
        LoggedRequest {
            method: request.method.to_string(),
            path: request.uri.path().to_string(),
            query: query_without_token(&request.uri),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            page_id: target.page_id,
            comment_id: target.comment_id,
        },
    );
    if !request.has_token(faults) {
        return answer(call, faults.missing_token(), not_applied, false);
    }
    let mut truncate = false;
    let mut shape = Shape::default();
    if let Some(served) = call.take_fault() {
        match served.fault {
            // If the client goes away, this future is dropped here and the
            // request has no effect.
            Fault::Slow(delay) => tokio::time::sleep(delay).await,
            Fault::MalformedJson => truncate = true,
            Fault::RepeatingCursor => shape.repeat_first_page = true,
            Fault::MalformedItem => shape.corrupt_first_item = true,
            // Only Graph's Page feed withholds comment ids (a token without
            // MODERATE); X and Instagram always name their items.
            Fault::WithoutIds => {}
            failure => {
                let reply = faults.failure(sim, failure, &target.object_id);
                return answer(call, reply, not_applied, false);
            }
        }
    }
    let (reply, applied) = work(shape);
    let truncate = truncate && reply.status.is_success();
    answer(call, reply, applied, truncate)
}

/// What the call log says about one request: no secret (the access token
/// is left out of the query and body by the route that builds it).
pub(super) struct LoggedRequest {
    /// HTTP method.
    pub(super) method: String,
    /// The full path the client sent.
    pub(super) path: String,
    /// The query string without the access token.
    pub(super) query: String,
    /// The body without the access token.
    pub(super) body: String,
    /// The page (account) the request concerns, for faults and the log.
    pub(super) page_id: Option<String>,
    /// The comment a write changes.
    pub(super) comment_id: Option<String>,
}

/// One request's entry in the call log, the one every route writes (Graph,
/// X, Instagram, YouTube, LinkedIn and the token endpoints): written when
/// the answer is sent or, if the client went away first (during a slow
/// answer), when the request is dropped — then without a status and, for a
/// write, as not applied.
pub(super) struct CallEntry {
    sim: Arc<SimState>,
    seq: u64,
    record: Option<CallRecord>,
}

impl CallEntry {
    /// Enters a request that has just arrived.
    pub(super) fn begin(sim: &Arc<SimState>, request: LoggedRequest) -> Self {
        let seq = sim.next_seq();
        let received_at = Utc::now();
        Self {
            sim: Arc::clone(sim),
            seq,
            record: Some(CallRecord {
                seq,
                method: request.method,
                path: request.path,
                query: request.query,
                body: request.body,
                page_id: request.page_id,
                comment_id: request.comment_id,
                status: None,
                applied: None,
                fault: None,
                received_at,
                finished_at: received_at,
                simulated_at: sim.now(),
            }),
        }
    }

    /// The request's order of arrival (Graph derives its trace id from it).
    pub(super) fn seq(&self) -> u64 {
        self.seq
    }

    /// The page's next injected fault, if any, recorded with the call. The
    /// caller applies it (a slow fault waits there, so a client that gives
    /// up drops the entry and the request changes nothing).
    pub(super) fn take_fault(&mut self) -> Option<ServedFault> {
        let record = self.record.as_mut()?;
        let served = self.sim.take_fault(record.page_id.as_deref()?)?;
        record.fault = Some(served.fault.name().to_string());
        Some(served)
    }

    /// Records the answer's status and, for a write, whether it took effect.
    pub(super) fn finish(mut self, status: StatusCode, applied: Option<bool>) {
        if let Some(mut record) = self.record.take() {
            record.status = Some(status.as_u16());
            record.applied = applied;
            record.finished_at = Utc::now();
            self.sim.record_call(record);
        }
    }
}

impl Drop for CallEntry {
    fn drop(&mut self) {
        if let Some(mut record) = self.record.take() {
            record.applied = record.comment_id.as_ref().map(|_| false);
            record.finished_at = Utc::now();
            self.sim.record_call(record);
        }
    }
}

/// Logs `reply` as the call's answer and sends it.
fn answer(call: CallEntry, reply: WireReply, applied: Option<bool>, truncate: bool) -> Response {
    call.finish(reply.status, applied);
    reply.into_response(truncate)
}

/// A reply as bytes, so that an injected fault can cut it off.
pub(super) struct WireReply {
    pub(super) status: StatusCode,
    content_type: &'static str,
    headers: Vec<(HeaderName, String)>,
    body: Vec<u8>,
}

impl WireReply {
    /// A JSON reply.
    pub(super) fn json(status: StatusCode, value: &serde_json::Value) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
        }
    }

    /// A plain-text reply.
    pub(super) fn text(status: StatusCode, text: &str) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: text.as_bytes().to_vec(),
        }
    }

    /// The reply with one more header.
    pub(super) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers
            .push((HeaderName::from_static(name), value.into()));
        self
    }

    fn into_response(self, truncate: bool) -> Response {
        let mut body = self.body;
        if truncate {
            let half = body.len() / 2;
            body.truncate(half);
        }
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.append(name, value);
            }
        }
        response
    }
}

/// Whether the request carries a non-empty bearer token.
fn has_bearer(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|token| !token.trim().is_empty())
}

/// The query parameters of `uri`, decoded.
pub(super) fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    let Ok(mut url) = Url::parse("http://simulator.invalid/") else {
        return Vec::new();
    };
    url.set_query(uri.query());
    url.query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// The first value of query parameter `name`.
pub(super) fn query_param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn query_without_token(uri: &Uri) -> String {
    let Ok(mut url) = Url::parse("http://simulator.invalid/") else {
        return String::new();
    };
    url.query_pairs_mut().extend_pairs(
        query_pairs(uri)
            .into_iter()
            .filter(|(key, _)| !super::server::is_token_param(key)),
    );
    url.query().unwrap_or_default().to_string()
}

/// A simulator with one page, ten hours into its comment stream, for the
/// platform routes' tests.
#[cfg(test)]
pub(super) async fn one_page_simulator() -> (super::SimulatorHandle, crate::clock::ManualClock) {
    let config = super::SimulatorConfig {
        pages: 1,
        ..super::SimulatorConfig::default()
    };
    let clock = crate::clock::ManualClock::new(config.stream_start + chrono::Duration::hours(10));
    let sim = super::Simulator::start(
        config,
        Arc::new(clock.clone()),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("simulator");
    (sim, clock)
}

/// The time the first comment gets under [`Shape::corrupt_first_item`].
pub(super) const NOT_A_TIME: &str = "not a time";

/// A GET with a bearer token whose answer is JSON, for the routes' tests.
#[cfg(test)]
pub(super) async fn get_json(url: String) -> serde_json::Value {
    reqwest::Client::new()
        .get(url)
        .bearer_auth("sim-test-token")
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json")
}
