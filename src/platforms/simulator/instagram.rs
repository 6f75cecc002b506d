//! The Instagram Graph API over the simulator's content, nested under
//! `/instagram`: each simulated page is an Instagram professional account
//! (its page id the IG user id), its posts are media and its comments the
//! comments and replies under them.
//!
//! - `GET /{version}/{ig-user}/media`: media newest first, each with its
//!   newest 50 comments and their newest replies nested, as the
//!   `comments.limit(50){…,replies{…}}` expansion answers;
//! - `GET /{version}/{media}/comments` and `GET /{version}/{comment}/replies`:
//!   the rest, newest first, with `after` cursors;
//! - `POST /{version}/{comment}?hide=true|false`, `DELETE /{version}/{comment}`,
//!   `GET /{version}/{comment}?fields=hidden`;
//! - `GET /{version}/{ig-user}`: the account's profile (`username`, `name`,
//!   `biography`, `website`).
//!
//! Faults answer with Graph error bodies and usage headers: code 2 (500),
//! the account's limit 80002 with `X-App-Usage` and
//! `X-Business-Use-Case-Usage`, the app's limit 4 with `X-App-Usage` only,
//! code 190.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::calls::{
    NOT_A_TIME, Shape, Target, WireFaults, WireReply, WireRequest, query_pairs, query_param, serve,
};
use super::{Fault, ListedComment, SimPost, SimState};

/// Comments nested under each media item.
const NESTED_COMMENTS: usize = 50;
/// Replies nested under each comment.
const NESTED_REPLIES: usize = 25;
/// Items per page unless `limit` says otherwise.
const DEFAULT_LIMIT: usize = 25;

type SimRef = State<Arc<SimState>>;
type VersionAndId = Path<(String, String)>;

/// The routes, to be nested under `/instagram`.
pub(super) fn router(sim: Arc<SimState>) -> Router {
    Router::new()
        .route("/{version}/debug_token", get(debug_token))
        .route("/{version}/{id}/media", get(media))
        .route("/{version}/{id}/comments", get(comments))
        .route("/{version}/{id}/replies", get(replies))
        .route(
            "/{version}/{id}",
            get(comment_state).post(hide).delete(delete),
        )
        .with_state(sim)
}

/// `{"error":{"message","type","code",…,"fbtrace_id"}}`.
fn graph_error(
    status: StatusCode,
    message: &str,
    kind: &str,
    code: u32,
    subcode: Option<u32>,
) -> WireReply {
    let mut error = json!({
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "AIgSimTrace",
    });
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    if code == 2 {
        error["is_transient"] = json!(true);
    }
    WireReply::json(status, &json!({ "error": error }))
}

fn missing_token() -> WireReply {
    graph_error(
        StatusCode::BAD_REQUEST,
        "An active access token must be used to query information about the current user.",
        "OAuthException",
        2500,
        None,
    )
}

fn unknown_object(id: &str) -> WireReply {
    graph_error(
        StatusCode::BAD_REQUEST,
        &format!(
            "Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
        ),
        "GraphMethodException",
        100,
        Some(33),
    )
}

/// Graph's answers to a missing token and to injected faults.
struct GraphFaults;

impl WireFaults for GraphFaults {
    fn missing_token(&self) -> WireReply {
        missing_token()
    }

    fn token_in_query(&self) -> bool {
        true
    }

    fn failure(&self, sim: &SimState, fault: Fault, object_id: &str) -> WireReply {
        match fault {
            Fault::RateLimited => graph_error(
                StatusCode::BAD_REQUEST,
                "There have been too many calls to this Instagram account. Wait a bit and try again.",
                "OAuthException",
                80002,
                None,
            )
            .with_header(
                "x-app-usage",
                r#"{"call_count":100,"total_cputime":24,"total_time":31}"#,
            )
            .with_header(
                "x-business-use-case-usage",
                format!(
                    r#"{{"{object_id}":[{{"type":"instagram","call_count":100,"total_cputime":24,"total_time":31,"estimated_time_to_regain_access":5}}]}}"#
                ),
            ),
            Fault::AppRateLimited => graph_error(
                StatusCode::BAD_REQUEST,
                "Application request limit reached",
                "OAuthException",
                4,
                None,
            )
            .with_header(
                "x-app-usage",
                r#"{"call_count":100,"total_cputime":24,"total_time":31}"#,
            ),
            Fault::TokenExpired => graph_error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "Error validating access token: Session has expired on {}.",
                    sim.now().format("%A, %d-%b-%y %H:%M:%S UTC")
                ),
                "OAuthException",
                190,
                Some(463),
            ),
            Fault::ServerError
            | Fault::Slow(_)
            | Fault::MalformedJson
            | Fault::RepeatingCursor
            | Fault::MalformedItem
            | Fault::WithoutIds => graph_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "An unexpected error has occurred. Please retry your request later.",
                "OAuthException",
                2,
                None,
            ),
        }
    }
}

/// Serves one Graph request about `id` (a write when `write`), with
/// `work` answering it once the token and faults let it through.
async fn serve_graph(
    sim: &Arc<SimState>,
    request: Request,
    id: &str,
    write: bool,
    work: impl FnOnce(&WireRequest, Shape) -> (WireReply, Option<bool>),
) -> Response {
    let request = WireRequest::read(request).await;
    let target = Target {
        page_id: sim.page_id_of(id),
        object_id: id.to_string(),
        comment_id: write.then(|| id.to_string()),
    };
    serve(sim, &GraphFaults, &request, target, |shape| {
        work(&request, shape)
    })
    .await
}

/// Paging of a newest-first listing: `limit` and an `after` cursor naming
/// the position of the last item already shown.
struct Paging {
    limit: usize,
    after: Option<usize>,
}

impl Paging {
    /// The paging asked for; under a repeating-cursor fault the `after`
    /// cursor is ignored.
    fn read(uri: &Uri, default: usize, shape: Shape) -> Self {
        let pairs = query_pairs(uri);
        Self {
            limit: query_param(&pairs, "limit")
                .and_then(|l| l.parse().ok())
                .filter(|&l| l > 0)
                .map_or(default, |l: usize| l.min(100)),
            after: query_param(&pairs, "after")
                .filter(|_| !shape.repeat_first_page)
                .and_then(|a| a.strip_prefix("igsim"))
                .and_then(|p| p.parse().ok()),
        }
    }

    /// `{"data":[…],"paging":{…}}` of `items` (newest first, with their
    /// positions); `next` names where the next page is fetched.
    fn page(&self, items: Vec<(usize, Value)>, next: &str) -> Value {
        let items: Vec<(usize, Value)> = items
            .into_iter()
            .filter(|(position, _)| self.after.is_none_or(|after| *position < after))
            .collect();
        edge(items, self.limit, next)
    }
}

/// An edge page of at most `limit` items, with cursors and a `next` URL
/// (without the token, as the connector never follows it) when more remain.
fn edge(items: Vec<(usize, Value)>, limit: usize, next: &str) -> Value {
    let more = items.len() > limit;
    let shown: Vec<(usize, Value)> = items.into_iter().take(limit).collect();
    let mut page = json!({ "data": shown.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>() });
    if let (Some((first, _)), Some((last, _))) = (shown.first(), shown.last()) {
        page["paging"] = json!({ "cursors": { "before": format!("igsim{first}"), "after": format!("igsim{last}") } });
        if more {
            page["paging"]["next"] = json!(format!("{next}?limit={limit}&after=igsim{last}"));
        }
    }
    page
}

/// Under a malformed-item fault, the first comment of the answer (in a
/// media listing: the first nested one) gets a time that is not a time.
fn corrupted(mut page: Value, shape: Shape) -> Value {
    if !shape.corrupt_first_item {
        return page;
    }
    let Some(items) = page["data"].as_array_mut() else {
        return page;
    };
    let first_comment = items.iter_mut().find_map(|item| {
        if item.get("comments").is_some() {
            item["comments"]["data"].get_mut(0)
        } else if item.get("text").is_some() {
            Some(item)
        } else {
            None
        }
    });
    if let Some(comment) = first_comment {
        comment["timestamp"] = json!(NOT_A_TIME);
    }
    page
}

fn graph_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%z").to_string()
}

/// A comment or reply as the comment fields describe it; top-level
/// comments carry their newest replies nested.
fn comment_json(listed: &ListedComment, all: &[ListedComment], base: &str) -> Value {
    let comment = &listed.comment;
    let username: String = comment
        .author_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut value = json!({
        "id": comment.id,
        "text": comment.text,
        "timestamp": graph_time(comment.created_at),
        "username": username,
        "from": { "id": comment.author_id, "username": username },
        "hidden": listed.hidden,
    });
    if comment.parent_id.is_none() {
        value["like_count"] = json!(0);
        let replies = replies_of(&comment.id, all, base);
        if !replies.is_empty() {
            let next = format!("{base}/{}/replies", comment.id);
            value["replies"] = edge(replies, NESTED_REPLIES, &next);
        }
    }
    value
}

/// The replies to `comment_id`, newest first, with their positions.
fn replies_of(comment_id: &str, all: &[ListedComment], base: &str) -> Vec<(usize, Value)> {
    all.iter()
        .rev()
        .filter(|c| c.comment.parent_id.as_deref() == Some(comment_id))
        .map(|c| (c.position, comment_json(c, all, base)))
        .collect()
}

/// The top-level comments on a post, newest first, with their positions.
fn top_level(all: &[ListedComment], base: &str) -> Vec<(usize, Value)> {
    all.iter()
        .rev()
        .filter(|c| c.comment.parent_id.is_none())
        .map(|c| (c.position, comment_json(c, all, base)))
        .collect()
}

fn media_json(sim: &SimState, post: &SimPost, base: &str) -> Value {
    let all = sim.comments_on(&post.id).unwrap_or_default();
    let mut value = json!({
        "id": post.id,
        "caption": post.message,
        "timestamp": graph_time(post.created_at),
        "permalink": format!("https://www.instagram.com/p/{}/", post.id),
        "comments_count": all.len(),
    });
    let comments = top_level(&all, base);
    if !comments.is_empty() {
        let next = format!("{base}/{}/comments", post.id);
        value["comments"] = edge(comments, NESTED_COMMENTS, &next);
    }
    value
}

/// `{simulator}/instagram/{version}`, where the `next` links point.
fn versioned(sim: &SimState, version: &str) -> String {
    format!("{}/instagram/{version}", sim.base_url)
}

async fn media(
    State(sim): SimRef,
    Path((version, id)): VersionAndId,
    request: Request,
) -> Response {
    serve_graph(&sim, request, &id, false, |request, shape| {
        let Some(posts) = sim.published_posts(&id) else {
            return (unknown_object(&id), None);
        };
        let base = versioned(&sim, &version);
        let items = posts
            .iter()
            .rev()
            .map(|listed| (listed.position, media_json(&sim, &listed.post, &base)))
            .collect();
        let page = Paging::read(&request.uri, DEFAULT_LIMIT, shape)
            .page(items, &format!("{base}/{id}/media"));
        (
            WireReply::json(StatusCode::OK, &corrupted(page, shape)),
            None,
        )
    })
    .await
}

async fn comments(
    State(sim): SimRef,
    Path((version, id)): VersionAndId,
    request: Request,
) -> Response {
    serve_graph(&sim, request, &id, false, |request, shape| {
        let Some(all) = sim.comments_on(&id) else {
            return (unknown_object(&id), None);
        };
        let base = versioned(&sim, &version);
        let page = Paging::read(&request.uri, DEFAULT_LIMIT, shape)
            .page(top_level(&all, &base), &format!("{base}/{id}/comments"));
        (
            WireReply::json(StatusCode::OK, &corrupted(page, shape)),
            None,
        )
    })
    .await
}

async fn replies(
    State(sim): SimRef,
    Path((version, id)): VersionAndId,
    request: Request,
) -> Response {
    serve_graph(&sim, request, &id, false, |request, shape| {
        let Some(comment) = sim.visible_comment(&id) else {
            return (unknown_object(&id), None);
        };
        let all = sim
            .comments_on(&comment.comment.post_id)
            .unwrap_or_default();
        let base = versioned(&sim, &version);
        let page = Paging::read(&request.uri, DEFAULT_LIMIT, shape).page(
            replies_of(&id, &all, &base),
            &format!("{base}/{id}/replies"),
        );
        (
            WireReply::json(StatusCode::OK, &corrupted(page, shape)),
            None,
        )
    })
    .await
}

/// `GET /debug_token`: the Page token the account is read with, as on
/// the Graph routes.
async fn debug_token(State(sim): SimRef, request: Request) -> Response {
    serve_graph(&sim, request, "debug_token", false, |_, _| {
        let body = super::server::debug_token_json(&sim);
        (WireReply::json(StatusCode::OK, &body), None)
    })
    .await
}

async fn comment_state(
    State(sim): SimRef,
    Path((_version, id)): VersionAndId,
    request: Request,
) -> Response {
    serve_graph(&sim, request, &id, false, |_, _| {
        if let Some(profile) = ig_user_json(&sim, &id) {
            return (WireReply::json(StatusCode::OK, &profile), None);
        }
        match sim.visible_comment(&id) {
            Some(listed) => {
                let body = json!({ "hidden": listed.hidden, "id": id });
                (WireReply::json(StatusCode::OK, &body), None)
            }
            None => (unknown_object(&id), None),
        }
    })
    .await
}

async fn hide(
    State(sim): SimRef,
    Path((_version, id)): VersionAndId,
    request: Request,
) -> Response {
    serve_graph(&sim, request, &id, true, |request, _| {
        let hidden = match query_param(&request.query(), "hide") {
            Some("true") => true,
            Some("false") => false,
            _ => {
                let reply = graph_error(
                    StatusCode::BAD_REQUEST,
                    "(#100) The parameter hide is required",
                    "OAuthException",
                    100,
                    None,
                );
                return (reply, Some(false));
            }
        };
        moderated(sim.set_hidden(&id, hidden), &id)
    })
    .await
}

async fn delete(
    State(sim): SimRef,
    Path((_version, id)): VersionAndId,
    request: Request,
) -> Response {
    serve_graph(&sim, request, &id, true, |_, _| {
        moderated(sim.delete(&id), &id)
    })
    .await
}

/// The IG User `id` is, with the profile fields the connector asks for
/// (`username,name,biography,website`); `None` when `id` is no account.
fn ig_user_json(sim: &SimState, id: &str) -> Option<Value> {
    let page = sim.page(id)?;
    let profile = sim.profile(id)?;
    let mut object = serde_json::Map::new();
    object.insert("id".into(), json!(id));
    object.insert(
        "username".into(),
        json!(
            page.name
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        ),
    );
    object.insert("name".into(), json!(page.name));
    if let Some(bio) = profile.about {
        object.insert("biography".into(), json!(bio));
    }
    if let Some(website) = profile.website {
        object.insert("website".into(), json!(website));
    }
    Some(Value::Object(object))
}

/// `{"success":true}` when the change was made, else the unknown-object error.
fn moderated(applied: bool, id: &str) -> (WireReply, Option<bool>) {
    if applied {
        (
            WireReply::json(StatusCode::OK, &json!({ "success": true })),
            Some(true),
        )
    } else {
        (unknown_object(id), Some(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::domain::ModerationState;
    use crate::platforms::PlatformError;
    use crate::platforms::instagram::{InstagramAccount, InstagramSettings};
    use crate::platforms::simulator::SimulatorHandle;
    use chrono::Duration;
    use secrecy::SecretString;

    /// A simulator one office day into its stream, and the Instagram
    /// connector pointed at its `/instagram` routes.
    async fn simulated_instagram() -> (SimulatorHandle, ManualClock, InstagramAccount) {
        let (sim, clock) = super::super::calls::one_page_simulator().await;
        let ig = InstagramAccount::new(
            InstagramSettings {
                api_base_url: format!("{}/instagram", sim.base_url()),
                api_version: "v24.0".into(),
                ig_user_id: sim.pages()[0].id.clone(),
                token: SecretString::from("sim-page-token"),
                request_timeout: std::time::Duration::from_secs(5),
            },
            reqwest::Client::new(),
            std::sync::Arc::new(clock.clone()),
        )
        .expect("valid settings");
        (sim, clock, ig)
    }

    #[tokio::test]
    async fn the_instagram_connector_reads_every_comment_in_one_call_and_moderates_them() {
        let (sim, clock, ig) = simulated_instagram().await;
        let planted = sim.planted_until(clock.now());

        let harvest = ig
            .fetch_media(
                &ig.first_media_fetch(clock.now() - Duration::days(2)),
                &|_| None,
            )
            .await
            .expect("media");

        let mut ids: Vec<&str> = harvest
            .comments
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect();
        let mut expected: Vec<&str> = planted.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        expected.sort_unstable();
        assert_eq!(ids, expected);
        assert_eq!(
            sim.calls().len(),
            1,
            "one call for media, comments and replies"
        );
        let reply = planted.iter().find(|c| c.parent_id.is_some());
        if let Some(reply) = reply {
            let fetched = harvest
                .comments
                .iter()
                .find(|c| c.platform_id == reply.id)
                .expect("reply");
            assert_eq!(fetched.parent_id, reply.parent_id);
        }

        let first = &planted[0].id;
        ig.set_hidden(first, true).await.expect("hidden");
        assert_eq!(
            ig.read_moderation_state(first).await.expect("state"),
            ModerationState::Hidden
        );
        ig.delete_comment(first).await.expect("deleted");
        assert_eq!(
            ig.read_moderation_state(first).await.expect("state"),
            ModerationState::Removed
        );
        assert!(sim.comment_state(first).expect("state").deleted);
    }

    #[tokio::test]
    async fn faults_answer_with_graph_errors_and_usage_headers() {
        let (sim, clock, ig) = simulated_instagram().await;
        let page_id = sim.pages()[0].id.clone();
        let fetch = ig.first_media_fetch(clock.now() - Duration::days(1));

        sim.inject_fault(&page_id, Fault::RateLimited, Some(1));
        let limited = ig
            .fetch_media(&fetch, &|_| None)
            .await
            .expect_err("limited");
        assert!(
            matches!(&limited, PlatformError::RateLimited { retry_after: Some(wait), usage, .. } if *wait == std::time::Duration::from_secs(5 * 60) && usage.contains("X-App-Usage")),
            "got {limited:?}"
        );
        sim.inject_fault(&page_id, Fault::TokenExpired, Some(1));
        let expired = ig
            .fetch_media(&fetch, &|_| None)
            .await
            .expect_err("expired");
        assert!(
            matches!(expired, PlatformError::Unauthorized { .. }),
            "got {expired:?}"
        );
        sim.inject_fault(&page_id, Fault::ServerError, Some(1));
        let down = ig.fetch_media(&fetch, &|_| None).await.expect_err("down");
        assert!(
            matches!(down, PlatformError::Transient { .. }),
            "got {down:?}"
        );
    }

    #[tokio::test]
    async fn comments_beyond_a_page_are_paged_newest_first_with_after_cursors() {
        let (sim, clock, _ig) = simulated_instagram().await;
        let planted = sim.planted_until(clock.now());
        let top_level = |post: &str| -> Vec<String> {
            planted
                .iter()
                .rev()
                .filter(|c| c.post_id == post && c.parent_id.is_none())
                .map(|c| c.id.clone())
                .collect()
        };
        let post = planted
            .iter()
            .map(|c| c.post_id.clone())
            .find(|post| top_level(post).len() >= 2)
            .expect("a post with two comments");
        let newest_first = top_level(&post);
        let url = format!("{}/instagram/v24.0/{post}/comments?limit=1", sim.base_url());
        let get = super::super::calls::get_json;

        let first = get(url.clone()).await;
        let after = first["paging"]["cursors"]["after"].as_str().expect("after");
        assert!(first["paging"]["next"].is_string(), "more than one page");
        let second = get(format!("{url}&after={after}")).await;

        assert_eq!(
            first["data"][0]["id"].as_str(),
            Some(newest_first[0].as_str())
        );
        assert_eq!(
            second["data"][0]["id"].as_str(),
            Some(newest_first[1].as_str())
        );
    }

    #[tokio::test]
    async fn a_malformed_comment_is_rejected_and_the_rest_of_the_answer_kept() {
        let (sim, clock, ig) = simulated_instagram().await;
        let page_id = sim.pages()[0].id.clone();
        let fetch = ig.first_media_fetch(clock.now() - Duration::days(2));
        let whole = ig.fetch_media(&fetch, &|_| None).await.expect("media");

        sim.inject_fault(&page_id, Fault::MalformedItem, Some(1));
        let corrupt = ig
            .fetch_media(&fetch, &|_| None)
            .await
            .expect("page survives");

        assert_eq!(corrupt.rejected.len(), 1);
        assert!(String::from_utf8_lossy(&corrupt.rejected[0].raw).contains(NOT_A_TIME));
        assert_eq!(corrupt.posts.len(), whole.posts.len());
        assert!(corrupt.comments.len() < whole.comments.len());
    }
}
