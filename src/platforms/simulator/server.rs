//! The simulator's HTTP routes: the Graph API endpoints the Facebook
//! connector uses, answered in Graph's wire format, and the `/_sim/…`
//! control routes for running the simulator on its own.
//!
//! Every Graph request goes the same way ([`serve_graph`]): it is entered in
//! the call log, authenticated, shaped by the page's injected fault, and only
//! then answered. A write takes effect in the same step as its answer, after
//! any delay, so a client that gives up during a slow answer leaves no trace
//! but a call-log entry marked as not applied.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use reqwest::Url;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::calls::{CallEntry, LoggedRequest};
use super::{
    API_VERSION, CallRecord, Fault, ListedComment, PlantedComment, ServedFault, SimPost, SimState,
};

/// Listings return this many items unless asked for another number.
const DEFAULT_LIMIT: usize = 25;
/// Listings never return more than this many items.
const MAX_LIMIT: usize = 100;

/// All routes, sharing the simulator state.
pub(super) fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/_sim/calls", get(control_calls))
        .route("/_sim/planted", get(control_planted))
        .route("/_sim/pages", get(control_pages))
        .route("/_sim/media/{key}", get(media))
        .route(
            "/_sim/faults",
            post(control_inject_fault).delete(control_clear_faults),
        )
        .route("/{version}/debug_token", get(debug_token))
        .route("/{version}/{id}/feed", get(feed))
        .route("/{version}/{id}/comments", get(comments))
        .route(
            "/{version}/{id}",
            get(read_object).post(update_comment).delete(delete_comment),
        )
        .fallback(unknown_path)
        .with_state(state)
}

type SimRef = State<Arc<SimState>>;
type VersionAndId = Path<(String, String)>;

/// An attached image, as a CDN serves it: no token needed.
async fn media(State(sim): SimRef, Path(key): Path<String>) -> Response {
    match sim.media(&key) {
        Some(bytes) => ([(CONTENT_TYPE, "image/jpeg")], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn feed(
    State(sim): SimRef,
    Path((_, id)): VersionAndId,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = GraphRequest::read(Method::GET, &uri, &headers, &[]);
    serve_graph(sim, request, &id, false, list_posts).await
}

async fn comments(
    State(sim): SimRef,
    Path((_, id)): VersionAndId,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = GraphRequest::read(Method::GET, &uri, &headers, &[]);
    serve_graph(sim, request, &id, false, list_comments).await
}

async fn debug_token(
    State(sim): SimRef,
    Path(_version): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = GraphRequest::read(Method::GET, &uri, &headers, &[]);
    serve_graph(sim, request, "debug_token", false, answer_debug_token).await
}

/// `GET /debug_token?input_token=…`: the Page token's metadata.
fn answer_debug_token(sim: &SimState, request: &GraphRequest, _: &str, trace_id: &str) -> Answer {
    if request.param("input_token").is_none_or(str::is_empty) {
        return Answer::read(invalid_parameter(
            "The parameter input_token is required",
            trace_id,
        ));
    }
    Answer::read(Reply::ok(debug_token_json(sim)))
}

/// What `debug_token` says of the simulator's Page tokens: no end unless
/// a test set one ([`super::SimulatorHandle::set_page_token_end`]), and no
/// longer valid once that end has passed.
pub(super) fn debug_token_json(sim: &SimState) -> Value {
    let end = *super::lock(&sim.page_token_end);
    json!({ "data": {
        "app_id": "138483919580948",
        "type": "PAGE",
        "application": "Kommentarsvakt (simulator)",
        "expires_at": end.map_or(0, |at| at.timestamp()),
        "data_access_expires_at": 0,
        "is_valid": end.is_none_or(|at| at > sim.now()),
        "scopes": ["pages_read_user_content", "pages_manage_engagement"],
    }})
}

async fn read_object(
    State(sim): SimRef,
    Path((_, id)): VersionAndId,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = GraphRequest::read(Method::GET, &uri, &headers, &[]);
    serve_graph(sim, request, &id, false, object).await
}

async fn update_comment(
    State(sim): SimRef,
    Path((_, id)): VersionAndId,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = form_pairs(&String::from_utf8_lossy(&body));
    let request = GraphRequest::read(Method::POST, &uri, &headers, &form);
    serve_graph(sim, request, &id, true, set_hidden).await
}

async fn delete_comment(
    State(sim): SimRef,
    Path((_, id)): VersionAndId,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = form_pairs(&String::from_utf8_lossy(&body));
    let request = GraphRequest::read(Method::DELETE, &uri, &headers, &form);
    serve_graph(sim, request, &id, true, delete).await
}

async fn unknown_path(
    State(sim): SimRef,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = GraphRequest::read(method, &uri, &headers, &[]);
    let (call, trace_id) = begin_call(&sim, &request, None, None);
    let reply = Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(
            format!("Unknown path components: {}", request.path),
            "OAuthException",
            2500,
        ),
        &trace_id,
    );
    answer(call, reply, &trace_id, None, false)
}

/// What the client asked, read once: parameters from the query and the form
/// body, and the access token from wherever Graph accepts it.
struct GraphRequest {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    has_token: bool,
    /// Shaped by a fault: answer listings as a stuck cursor would.
    repeat_first_page: bool,
    /// Shaped by a fault: break the first comment of a listing.
    corrupt_first_comment: bool,
    /// Shaped by a fault: list comments without `id` and `parent`.
    withhold_ids: bool,
}

impl GraphRequest {
    fn read(method: Method, uri: &Uri, headers: &HeaderMap, form: &[(String, String)]) -> Self {
        let query = form_pairs(uri.query().unwrap_or_default());
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .is_some_and(|token| !token.trim().is_empty());
        let token_param = query
            .iter()
            .chain(form)
            .any(|(key, value)| key == "access_token" && !value.is_empty());
        Self {
            method,
            path: uri.path().to_string(),
            query,
            form: form.to_vec(),
            has_token: bearer || token_param,
            repeat_first_page: false,
            corrupt_first_comment: false,
            withhold_ids: false,
        }
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(&self.form)
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Runs one Graph request: log it, authenticate it, apply the page's fault,
/// answer it. `work` does the request's work and says, for writes, whether
/// it took effect.
async fn serve_graph(
    sim: Arc<SimState>,
    mut request: GraphRequest,
    object_id: &str,
    write: bool,
    work: fn(&SimState, &GraphRequest, &str, &str) -> Answer,
) -> Response {
    let page_id = sim.page_id_of(object_id);
    let comment_id = write.then(|| object_id.to_string());
    let (mut call, trace_id) = begin_call(&sim, &request, page_id.clone(), comment_id);
    let not_applied = write.then_some(false);
    if !request.has_token {
        let reply = missing_token(&trace_id);
        return answer(call, reply, &trace_id, not_applied, false);
    }
    let mut truncate = false;
    if let Some(served) = call.take_fault() {
        let page_id = page_id.unwrap_or_default();
        match admit_through_fault(&sim, &page_id, served, &trace_id).await {
            FaultOutcome::Proceed => {}
            FaultOutcome::Truncate => truncate = true,
            FaultOutcome::RepeatFirstPage => {
                request.query.retain(|(key, _)| key != "after");
                request.repeat_first_page = true;
            }
            FaultOutcome::CorruptFirstComment => request.corrupt_first_comment = true,
            FaultOutcome::WithholdIds => request.withhold_ids = true,
            FaultOutcome::Fail(reply) => {
                return answer(call, reply, &trace_id, not_applied, false);
            }
        }
    }
    let Answer { reply, applied } = work(&sim, &request, object_id, &trace_id);
    answer(call, reply, &trace_id, applied, truncate)
}

/// What an injected fault does to a request.
enum FaultOutcome {
    /// Answer normally (a slow fault has already waited).
    Proceed,
    /// Answer normally but cut the body in half.
    Truncate,
    /// Answer listings from their first page, with a `next` link.
    RepeatFirstPage,
    /// Answer with the first comment's time broken.
    CorruptFirstComment,
    /// Answer with comments that carry no `id` or `parent`.
    WithholdIds,
    /// Answer with this failure instead.
    Fail(Reply),
}

async fn admit_through_fault(
    sim: &SimState,
    page_id: &str,
    served: ServedFault,
    trace_id: &str,
) -> FaultOutcome {
    match served.fault {
        Fault::Slow(delay) => {
            // If the client goes away, this future is dropped here and the
            // request has no effect.
            tokio::time::sleep(delay).await;
            FaultOutcome::Proceed
        }
        Fault::MalformedJson => FaultOutcome::Truncate,
        Fault::RepeatingCursor => FaultOutcome::RepeatFirstPage,
        Fault::MalformedItem => FaultOutcome::CorruptFirstComment,
        Fault::WithoutIds => FaultOutcome::WithholdIds,
        Fault::ServerError => FaultOutcome::Fail(server_error(served.earlier, trace_id)),
        Fault::RateLimited => FaultOutcome::Fail(rate_limited(page_id, trace_id)),
        Fault::AppRateLimited => FaultOutcome::Fail(app_rate_limited(trace_id)),
        Fault::TokenExpired => FaultOutcome::Fail(token_expired(sim.now(), trace_id)),
    }
}

/// The reply to a request, and for writes whether it took effect.
struct Answer {
    reply: Reply,
    applied: Option<bool>,
}

impl Answer {
    fn read(reply: Reply) -> Self {
        Self {
            reply,
            applied: None,
        }
    }
}

/// `GET /{page}/feed`: the page's published posts, newest first, since
/// `since` when given; with `comments.…{…}` among the fields each post
/// carries its comments in place (Graph's nested field expansion).
fn list_posts(sim: &SimState, request: &GraphRequest, page_id: &str, trace_id: &str) -> Answer {
    let Some(posts) = sim.published_posts(page_id) else {
        return Answer::read(unknown_object(request, page_id, trace_id));
    };
    let paging = match Paging::read(request, trace_id) {
        Ok(paging) => paging,
        Err(reply) => return Answer::read(reply),
    };
    let since = match parse_since(request.param("since")) {
        Ok(since) => since,
        Err(detail) => return Answer::read(invalid_parameter(&detail, trace_id)),
    };
    let nested = match NestedComments::read(request) {
        Ok(nested) => nested,
        Err(detail) => return Answer::read(invalid_parameter(&detail, trace_id)),
    };
    let fields = requested_fields(request);
    let items = posts
        .into_iter()
        .rev()
        .filter(|listed| since.is_none_or(|since| listed.post.created_at.timestamp() >= since))
        .filter(|listed| paging.after.is_none_or(|after| listed.position < after))
        .map(|listed| {
            let mut post = select(post_json(&listed.post), &fields);
            if let (Some(nested), Value::Object(object)) = (&nested, &mut post) {
                object.insert(
                    "comments".into(),
                    nested.listing(sim, request, &listed.post.id),
                );
            }
            (listed.position, post)
        })
        .collect();
    Answer::read(Reply::ok(paging.page(sim, request, items)))
}

/// A `comments.filter(stream).order(chronological).since(T).limit(N){…}`
/// field of a feed request: the comments edge, expanded in each post.
struct NestedComments {
    whole_stream: bool,
    newest_first: bool,
    since: Option<i64>,
    limit: usize,
    fields: Option<Vec<String>>,
    /// The field spec inside the braces, for the `next` URL.
    subfields: Option<String>,
}

impl NestedComments {
    /// The comments field of the request, if it asks for one.
    fn read(request: &GraphRequest) -> Result<Option<Self>, String> {
        let Some(spec) = request.param("fields") else {
            return Ok(None);
        };
        let Some(field) = top_level_fields(spec)
            .into_iter()
            .find(|field| field.split(['.', '{']).next() == Some("comments"))
        else {
            return Ok(None);
        };
        let (head, subfields) = match field.split_once('{') {
            Some((head, rest)) => (head, Some(rest.trim_end_matches('}').to_string())),
            None => (field.as_str(), None),
        };
        let mut nested = Self {
            whole_stream: false,
            newest_first: false,
            since: None,
            limit: DEFAULT_LIMIT,
            fields: subfields.as_deref().map(field_names),
            subfields,
        };
        for modifier in head.split('.').skip(1) {
            let (name, value) = modifier
                .strip_suffix(')')
                .and_then(|m| m.split_once('('))
                .ok_or_else(|| format!("Syntax error in field modifier {modifier:?}"))?;
            match name {
                "filter" => nested.whole_stream = value == "stream",
                "order" => nested.newest_first = value == "reverse_chronological",
                "since" => nested.since = parse_since(Some(value))?,
                "limit" => {
                    nested.limit = value
                        .parse::<usize>()
                        .map_err(|_| "Param limit must be an integer".to_string())?
                        .clamp(1, MAX_LIMIT);
                }
                other => return Err(format!("Unknown field modifier {other:?}")),
            }
        }
        Ok(Some(nested))
    }

    /// The post's comments as the `comments` edge would list them on their
    /// first page, with a `next` URL to that edge when more follow.
    fn listing(&self, sim: &SimState, request: &GraphRequest, post_id: &str) -> Value {
        let mut selected: Vec<ListedComment> = sim
            .comments_on(post_id)
            .unwrap_or_default()
            .into_iter()
            .filter(|listed| self.whole_stream || listed.comment.parent_id.is_none())
            .filter(|listed| {
                self.since
                    .is_none_or(|since| listed.comment.created_at.timestamp() >= since)
            })
            .collect();
        if self.newest_first {
            selected.reverse();
        }
        let mut items: Vec<(usize, Value)> = selected
            .into_iter()
            .map(|listed| (listed.position, select(comment_json(&listed), &self.fields)))
            .collect();
        shape_comments(request, &mut items);
        let edge = self.edge_request(request, post_id);
        Paging {
            limit: self.limit,
            after: None,
        }
        .page(sim, &edge, items)
    }

    /// The request for the post's `comments` edge this field stands for,
    /// as its `next` URL names it.
    fn edge_request(&self, request: &GraphRequest, post_id: &str) -> GraphRequest {
        let version = request.path.split('/').nth(1).unwrap_or(API_VERSION);
        let mut query = vec![("limit".to_string(), self.limit.to_string())];
        if self.whole_stream {
            query.push(("filter".to_string(), "stream".to_string()));
        }
        if self.newest_first {
            query.push(("order".to_string(), "reverse_chronological".to_string()));
        }
        if let Some(since) = self.since {
            query.push(("since".to_string(), since.to_string()));
        }
        if let Some(subfields) = &self.subfields {
            query.push(("fields".to_string(), subfields.clone()));
        }
        query.extend(
            request
                .query
                .iter()
                .filter(|(key, _)| key == "access_token")
                .cloned(),
        );
        GraphRequest {
            method: Method::GET,
            path: format!("/{version}/{post_id}/comments"),
            query,
            form: Vec::new(),
            has_token: request.has_token,
            repeat_first_page: false,
            corrupt_first_comment: false,
            withhold_ids: false,
        }
    }
}

/// `GET /{post}/comments`: the post's comments, oldest first; replies only
/// with `filter=stream`, hidden ones marked, deleted ones left out.
fn list_comments(sim: &SimState, request: &GraphRequest, post_id: &str, trace_id: &str) -> Answer {
    let Some(comments) = sim.comments_on(post_id) else {
        return Answer::read(unknown_object(request, post_id, trace_id));
    };
    let paging = match Paging::read(request, trace_id) {
        Ok(paging) => paging,
        Err(reply) => return Answer::read(reply),
    };
    let since = match parse_since(request.param("since")) {
        Ok(since) => since,
        Err(detail) => return Answer::read(invalid_parameter(&detail, trace_id)),
    };
    let whole_stream = request.param("filter") == Some("stream");
    let newest_first = request.param("order") == Some("reverse_chronological");
    let mut selected: Vec<ListedComment> = comments
        .into_iter()
        .filter(|listed| whole_stream || listed.comment.parent_id.is_none())
        .filter(|listed| since.is_none_or(|since| listed.comment.created_at.timestamp() >= since))
        .collect();
    if newest_first {
        selected.reverse();
    }
    let fields = requested_fields(request);
    let mut items: Vec<(usize, Value)> = selected
        .into_iter()
        .filter(|listed| match paging.after {
            None => true,
            Some(after) if newest_first => listed.position < after,
            Some(after) => listed.position > after,
        })
        .map(|listed| (listed.position, select(comment_json(&listed), &fields)))
        .collect();
    shape_comments(request, &mut items);
    Answer::read(Reply::ok(paging.page(sim, request, items)))
}

/// Shapes a comment listing as an injected fault asks:
/// [`Fault::MalformedItem`](super::Fault::MalformedItem) gives the first
/// comment a `created_time` that is not a time,
/// [`Fault::WithoutIds`](super::Fault::WithoutIds) takes every comment's
/// `id` and `parent` away.
fn shape_comments(request: &GraphRequest, items: &mut [(usize, Value)]) {
    if request.corrupt_first_comment
        && let Some((_, Value::Object(first))) = items.first_mut()
    {
        first.insert("created_time".into(), json!("igår"));
    }
    if request.withhold_ids {
        for (_, item) in items.iter_mut() {
            if let Value::Object(comment) = item {
                comment.remove("id");
                comment.remove("parent");
            }
        }
    }
}

/// `GET /{id}`: a page, post or comment by itself.
fn object(sim: &SimState, request: &GraphRequest, id: &str, trace_id: &str) -> Answer {
    let fields = requested_fields(request);
    let value = if let Some(page) = sim.page(id) {
        Some(page_json(sim, page))
    } else if let Some(post) = sim.post(id) {
        Some(post_json(&post))
    } else {
        sim.visible_comment(id).map(|listed| comment_json(&listed))
    };
    match value {
        Some(value) => Answer::read(Reply::ok(select(value, &fields))),
        None => Answer::read(unknown_object(request, id, trace_id)),
    }
}

/// `POST /{comment}` with `is_hidden=true|false`.
fn set_hidden(sim: &SimState, request: &GraphRequest, id: &str, trace_id: &str) -> Answer {
    let hidden = match request.param("is_hidden") {
        Some("true") => true,
        Some("false") => false,
        Some(_) => {
            return not_applied(invalid_parameter(
                "Param is_hidden must be a boolean",
                trace_id,
            ));
        }
        None => {
            return not_applied(invalid_parameter(
                "The parameter is_hidden is required",
                trace_id,
            ));
        }
    };
    if sim.set_hidden(id, hidden) {
        success()
    } else {
        not_applied(unknown_object(request, id, trace_id))
    }
}

/// `DELETE /{comment}`.
fn delete(sim: &SimState, request: &GraphRequest, id: &str, trace_id: &str) -> Answer {
    if sim.delete(id) {
        success()
    } else {
        not_applied(unknown_object(request, id, trace_id))
    }
}

fn success() -> Answer {
    Answer {
        reply: Reply::ok(json!({ "success": true })),
        applied: Some(true),
    }
}

fn not_applied(reply: Reply) -> Answer {
    Answer {
        reply,
        applied: Some(false),
    }
}

/// A Page with its profile fields; those the profile lacks are left
/// out, as Graph leaves out what a Page never set.
fn page_json(sim: &SimState, page: &super::SimPage) -> Value {
    let profile = sim.profile(&page.id).unwrap_or_default();
    let mut object = Map::new();
    object.insert("id".into(), json!(page.id));
    object.insert("name".into(), json!(page.name));
    object.insert(
        "link".into(),
        json!(format!("https://www.facebook.com/{}", page.id)),
    );
    for (field, value) in [
        ("about", profile.about),
        ("description", profile.description),
        ("website", profile.website),
        ("phone", profile.phone),
    ] {
        if let Some(value) = value {
            object.insert(field.into(), json!(value));
        }
    }
    if let Some(email) = profile.email {
        object.insert("emails".into(), json!([email]));
    }
    Value::Object(object)
}

fn post_json(post: &SimPost) -> Value {
    json!({
        "id": post.id,
        "message": post.message,
        "created_time": graph_time(post.created_at),
        "permalink_url": post.permalink,
    })
}

fn comment_json(listed: &ListedComment) -> Value {
    let comment: &PlantedComment = &listed.comment;
    let mut object = Map::new();
    object.insert("id".into(), json!(comment.id));
    object.insert("message".into(), json!(comment.text));
    object.insert("created_time".into(), json!(graph_time(comment.created_at)));
    object.insert(
        "from".into(),
        json!({ "id": comment.author_id, "name": comment.author_name }),
    );
    if let Some(parent) = &comment.parent_id {
        object.insert("parent".into(), json!({ "id": parent }));
    }
    object.insert("permalink_url".into(), json!(comment.permalink));
    object.insert("is_hidden".into(), json!(listed.hidden));
    if let Some(url) = &comment.attachment_url {
        object.insert(
            "attachment".into(),
            json!({
                "type": "photo",
                "url": comment.permalink,
                "media": { "image": { "src": url, "height": 480, "width": 640 } },
            }),
        );
    }
    Value::Object(object)
}

/// Graph's timestamp format, e.g. `2026-11-23T08:12:00+0000`.
fn graph_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%z").to_string()
}

/// The top-level names in `fields=a,b{c,d},e`; `None` when the client did
/// not ask for fields and gets every documented one.
fn requested_fields(request: &GraphRequest) -> Option<Vec<String>> {
    request.param("fields").map(field_names)
}

/// The names of the top-level fields of a field spec, without modifiers
/// and nested fields.
fn field_names(spec: &str) -> Vec<String> {
    top_level_fields(spec)
        .into_iter()
        .map(|field| {
            field
                .split(['.', '{'])
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// The top-level fields of `a,b.limit(1){c,d},e` whole: `a`,
/// `b.limit(1){c,d}`, `e`.
fn top_level_fields(spec: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in spec.chars() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                fields.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    fields.push(current);
    fields
}

/// Keeps only the fields asked for, and always the id, as Graph does.
fn select(value: Value, fields: &Option<Vec<String>>) -> Value {
    let (Some(fields), Value::Object(object)) = (fields, &value) else {
        return value;
    };
    let kept: Map<String, Value> = object
        .iter()
        .filter(|(key, _)| *key == "id" || fields.iter().any(|field| field == *key))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Value::Object(kept)
}

/// The paging parameters of a listing.
struct Paging {
    limit: usize,
    after: Option<usize>,
}

impl Paging {
    fn read(request: &GraphRequest, trace_id: &str) -> Result<Self, Reply> {
        let limit = match request.param("limit") {
            None => DEFAULT_LIMIT,
            Some(limit) => limit
                .parse::<usize>()
                .map_err(|_| invalid_parameter("Param limit must be an integer", trace_id))?
                .clamp(1, MAX_LIMIT),
        };
        let after = match request.param("after") {
            None => None,
            Some(cursor) => Some(
                decode_cursor(cursor)
                    .ok_or_else(|| invalid_parameter("The after cursor is not valid", trace_id))?,
            ),
        };
        Ok(Self { limit, after })
    }

    /// One page of `items` (already in listing order, after the cursor) with
    /// Graph's `paging` object; `next` only when more items follow.
    fn page(&self, sim: &SimState, request: &GraphRequest, items: Vec<(usize, Value)>) -> Value {
        let more = items.len() > self.limit || request.repeat_first_page;
        let shown: Vec<(usize, Value)> = items.into_iter().take(self.limit).collect();
        let mut body = Map::new();
        let first = shown.first().map(|(position, _)| encode_cursor(*position));
        let last = shown.last().map(|(position, _)| encode_cursor(*position));
        body.insert(
            "data".into(),
            Value::Array(shown.into_iter().map(|(_, value)| value).collect()),
        );
        if let (Some(before), Some(after)) = (first, last) {
            let mut paging = Map::new();
            paging.insert(
                "cursors".into(),
                json!({ "before": before, "after": after }),
            );
            if more {
                paging.insert("next".into(), json!(next_url(sim, request, &after)));
            }
            body.insert("paging".into(), Value::Object(paging));
        }
        Value::Object(body)
    }
}

/// The same request with the `after` cursor set, as an absolute URL; like
/// Graph it keeps an access token given in the query.
fn next_url(sim: &SimState, request: &GraphRequest, after: &str) -> String {
    let pairs = request
        .query
        .iter()
        .filter(|(key, _)| key != "after")
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .chain(std::iter::once(("after", after)));
    format!("{}{}?{}", sim.base_url, request.path, encode_pairs(pairs))
}

/// Cursors are opaque to clients: hex of the item's position.
fn encode_cursor(position: usize) -> String {
    hex::encode(format!("sim-cursor:{position}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = hex::decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("sim-cursor:")?.parse().ok()
}

/// `since` as Unix seconds (Graph also takes an ISO 8601 time).
fn parse_since(since: Option<&str>) -> Result<Option<i64>, String> {
    let Some(since) = since else {
        return Ok(None);
    };
    if let Ok(seconds) = since.parse::<i64>() {
        return Ok(Some(seconds));
    }
    DateTime::parse_from_rfc3339(since)
        .map(|at| Some(at.timestamp()))
        .map_err(|_| format!("Param since must be a Unix time or an ISO 8601 time, not {since:?}"))
}

/// Decodes `a=1&b=2` (query string or form body).
fn form_pairs(raw: &str) -> Vec<(String, String)> {
    let Ok(mut url) = Url::parse("http://simulator.invalid/") else {
        return Vec::new();
    };
    url.set_query(Some(raw));
    url.query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// Encodes pairs as a query string.
fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let Ok(mut url) = Url::parse("http://simulator.invalid/") else {
        return String::new();
    };
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_string()
}

/// The query parameters that carry a token: `access_token`, and
/// `debug_token`'s `input_token`. The call log never shows them.
pub(super) fn is_token_param(key: &str) -> bool {
    key == "access_token" || key == "input_token"
}

fn without_token(pairs: &[(String, String)]) -> String {
    encode_pairs(
        pairs
            .iter()
            .filter(|(key, _)| !is_token_param(key))
            .map(|(key, value)| (key.as_str(), value.as_str())),
    )
}

/// A Graph error object: `{"error":{"message","type","code",…}}`.
struct GraphError {
    message: String,
    kind: &'static str,
    code: u32,
    subcode: Option<u32>,
    transient: Option<bool>,
}

impl GraphError {
    fn new(message: impl Into<String>, kind: &'static str, code: u32) -> Self {
        Self {
            message: message.into(),
            kind,
            code,
            subcode: None,
            transient: None,
        }
    }

    fn subcode(mut self, subcode: u32) -> Self {
        self.subcode = Some(subcode);
        self
    }

    fn transient(mut self) -> Self {
        self.transient = Some(true);
        self
    }

    fn to_json(&self, trace_id: &str) -> Value {
        let mut error = Map::new();
        error.insert("message".into(), json!(self.message));
        error.insert("type".into(), json!(self.kind));
        error.insert("code".into(), json!(self.code));
        if let Some(subcode) = self.subcode {
            error.insert("error_subcode".into(), json!(subcode));
        }
        if let Some(transient) = self.transient {
            error.insert("is_transient".into(), json!(transient));
        }
        error.insert("fbtrace_id".into(), json!(trace_id));
        json!({ "error": error })
    }
}

fn missing_token(trace_id: &str) -> Reply {
    Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(
            "Invalid OAuth access token - Cannot parse access token",
            "OAuthException",
            190,
        ),
        trace_id,
    )
}

fn token_expired(now: DateTime<Utc>, trace_id: &str) -> Reply {
    let expired_at = now - chrono::Duration::hours(1);
    let message = format!(
        "Error validating access token: Session has expired on {}. The current time is {}.",
        expired_at.format("%A, %d-%b-%y %H:%M:%S UTC"),
        now.format("%A, %d-%b-%y %H:%M:%S UTC"),
    );
    let authenticate = format!("OAuth \"Facebook Platform\" \"invalid_token\" \"{message}\"");
    Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(message, "OAuthException", 190).subcode(463),
        trace_id,
    )
    .with_header(WWW_AUTHENTICATE, &authenticate)
}

fn rate_limited(page_id: &str, trace_id: &str) -> Reply {
    let business_usage = json!({
        page_id: [{
            "type": "pages",
            "call_count": 100,
            "total_cputime": 20,
            "total_time": 25,
            "estimated_time_to_regain_access": 5
        }]
    });
    let app_usage = json!({ "call_count": 100, "total_cputime": 20, "total_time": 25 });
    Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(
            "(#80001) There have been too many calls to this Page account. Wait a bit and try again. \
             For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
            "OAuthException",
            80001,
        )
        .transient(),
        trace_id,
    )
    .with_header(
        HeaderName::from_static("x-business-use-case-usage"),
        &business_usage.to_string(),
    )
    .with_header(HeaderName::from_static("x-app-usage"), &app_usage.to_string())
}

/// Graph's application limit: code 4 with the app's usage at 100 %, and
/// no estimate of when access returns (the BUC header is not sent for it).
fn app_rate_limited(trace_id: &str) -> Reply {
    let app_usage = json!({ "call_count": 100, "total_cputime": 31, "total_time": 42 });
    Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(
            "(#4) Application request limit reached",
            "OAuthException",
            4,
        )
        .transient(),
        trace_id,
    )
    .with_header(
        HeaderName::from_static("x-app-usage"),
        &app_usage.to_string(),
    )
}

/// HTTP 500: a Graph error the first time, then alternately the plain-text
/// page a proxy in front of Graph sends.
fn server_error(earlier: u32, trace_id: &str) -> Reply {
    if earlier % 2 == 1 {
        return Reply {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: ReplyBody::Text("Sorry, something went wrong. We're working on it.\n"),
            headers: Vec::new(),
        };
    }
    Reply::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        GraphError::new(
            "An unexpected error has occurred. Please retry your request later.",
            "OAuthException",
            2,
        )
        .transient(),
        trace_id,
    )
}

fn unknown_object(request: &GraphRequest, id: &str, trace_id: &str) -> Reply {
    let method = request.method.as_str().to_lowercase();
    Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(
            format!(
                "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded \
                 due to missing permissions, or does not support this operation. Please read the \
                 Graph API documentation at https://developers.facebook.com/docs/graph-api"
            ),
            "GraphMethodException",
            100,
        )
        .subcode(33),
        trace_id,
    )
}

fn invalid_parameter(detail: &str, trace_id: &str) -> Reply {
    Reply::error(
        StatusCode::BAD_REQUEST,
        GraphError::new(format!("(#100) {detail}"), "OAuthException", 100),
        trace_id,
    )
}

/// An answer before it becomes an HTTP response (so a fault can still cut
/// its body).
struct Reply {
    status: StatusCode,
    body: ReplyBody,
    headers: Vec<(HeaderName, HeaderValue)>,
}

enum ReplyBody {
    Json(Value),
    Text(&'static str),
}

impl Reply {
    fn ok(value: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: ReplyBody::Json(value),
            headers: Vec::new(),
        }
    }

    fn error(status: StatusCode, error: GraphError, trace_id: &str) -> Self {
        Self {
            status,
            body: ReplyBody::Json(error.to_json(trace_id)),
            headers: Vec::new(),
        }
    }

    fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((name, value));
        }
        self
    }

    fn into_response(self, trace_id: &str, truncate: bool) -> Response {
        let (content_type, mut body) = match self.body {
            ReplyBody::Json(value) => ("application/json; charset=UTF-8", value.to_string()),
            ReplyBody::Text(text) => ("text/plain; charset=UTF-8", text.to_string()),
        };
        if truncate {
            body.truncate(half_at_char_boundary(&body));
        }
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(
            HeaderName::from_static("facebook-api-version"),
            HeaderValue::from_static(API_VERSION),
        );
        if let Ok(trace) = HeaderValue::from_str(trace_id) {
            headers.insert(HeaderName::from_static("x-fb-trace-id"), trace);
        }
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

fn half_at_char_boundary(text: &str) -> usize {
    (0..=text.len() / 2)
        .rev()
        .find(|index| text.is_char_boundary(*index))
        .unwrap_or(0)
}

/// Enters a Graph request in the call log (without its access token), and
/// the trace id its answer carries.
fn begin_call(
    sim: &Arc<SimState>,
    request: &GraphRequest,
    page_id: Option<String>,
    comment_id: Option<String>,
) -> (CallEntry, String) {
    let call = CallEntry::begin(
        sim,
        LoggedRequest {
            method: request.method.to_string(),
            path: request.path.clone(),
            query: without_token(&request.query),
            body: without_token(&request.form),
            page_id,
            comment_id,
        },
    );
    let trace_id = trace_id(call.seq());
    (call, trace_id)
}

/// Logs `reply` as the call's answer and sends it.
fn answer(
    call: CallEntry,
    reply: Reply,
    trace_id: &str,
    applied: Option<bool>,
    truncate: bool,
) -> Response {
    call.finish(reply.status, applied);
    reply.into_response(trace_id, truncate)
}

/// A trace id in the style of Graph's `fbtrace_id`, unique per request.
fn trace_id(seq: u64) -> String {
    let digest = hex::encode(Sha256::digest(seq.to_be_bytes()));
    format!("A{}", digest.chars().take(22).collect::<String>())
}

async fn control_calls(State(sim): SimRef) -> Json<Vec<CallRecord>> {
    Json(sim.calls())
}

/// Query of `GET /_sim/planted`.
#[derive(Debug, Deserialize)]
struct PlantedQuery {
    /// Up to when (RFC 3339); the simulated now when absent.
    until: Option<DateTime<Utc>>,
}

async fn control_planted(
    State(sim): SimRef,
    axum::extract::Query(query): axum::extract::Query<PlantedQuery>,
) -> Json<Vec<PlantedComment>> {
    Json(sim.planted_until(query.until.unwrap_or_else(|| sim.now())))
}

async fn control_pages(State(sim): SimRef) -> Json<Vec<super::SimPage>> {
    Json(sim.pages.clone())
}

/// Body of `POST /_sim/faults`, e.g.
/// `{"page_id":"…","fault":"slow","delay_ms":2000,"times":3}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    page_id: String,
    fault: FaultName,
    /// Delay of a `slow` fault.
    delay_ms: Option<u64>,
    /// How many requests; until cleared when absent.
    times: Option<u32>,
    /// Requests answered normally before the fault starts.
    after: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum FaultName {
    ServerError,
    RateLimited,
    AppRateLimited,
    TokenExpired,
    Slow,
    MalformedJson,
    RepeatingCursor,
    MalformedItem,
    WithoutIds,
}

async fn control_inject_fault(State(sim): SimRef, Json(request): Json<FaultRequest>) -> Response {
    let fault = match (request.fault, request.delay_ms) {
        (FaultName::ServerError, _) => Fault::ServerError,
        (FaultName::RateLimited, _) => Fault::RateLimited,
        (FaultName::AppRateLimited, _) => Fault::AppRateLimited,
        (FaultName::TokenExpired, _) => Fault::TokenExpired,
        (FaultName::MalformedJson, _) => Fault::MalformedJson,
        (FaultName::RepeatingCursor, _) => Fault::RepeatingCursor,
        (FaultName::MalformedItem, _) => Fault::MalformedItem,
        (FaultName::WithoutIds, _) => Fault::WithoutIds,
        (FaultName::Slow, Some(millis)) => Fault::Slow(std::time::Duration::from_millis(millis)),
        (FaultName::Slow, None) => {
            return (StatusCode::BAD_REQUEST, "a slow fault needs delay_ms\n").into_response();
        }
    };
    sim.inject_fault(
        &request.page_id,
        fault,
        request.after.unwrap_or(0),
        request.times,
    );
    StatusCode::NO_CONTENT.into_response()
}

async fn control_clear_faults(State(sim): SimRef) -> StatusCode {
    sim.clear_faults();
    StatusCode::NO_CONTENT
}
