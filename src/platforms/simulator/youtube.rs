//! The simulator's YouTube Data API v3 routes, nested under `/youtube`
//! (so a simulated account's base URL is `{base}/youtube`, and below it the
//! documented paths: `{base}/youtube/youtube/v3/commentThreads`),
//! over the same simulated accounts as the Graph routes: a page is a
//! channel (its id is the channel id), its posts are videos, its comments
//! are comment threads and their replies.
//!
//! - `GET /youtube/v3/commentThreads?allThreadsRelatedToChannelId=…` lists
//!   threads newest first with up to five replies embedded, paged with
//!   `pageToken`/`nextPageToken`;
//! - `GET /youtube/v3/comments?parentId=…` lists a thread's replies and
//!   `?id=…` reads one comment with its `moderationStatus` (as the channel
//!   owner sees it; a rejected comment is not listed at all);
//! - `GET /youtube/v3/videos?id=…` reads videos' titles;
//! - `GET /youtube/v3/channels?id=…` reads the channel's title and About
//!   description (the account's profile);
//! - `POST /youtube/v3/comments/setModerationStatus` holds for review
//!   (hide), publishes (unhide) or rejects (delete), answering 204;
//! - `POST /youtube/token` is a fake Google token endpoint.
//!
//! Faults answer as Google does: `quotaExceeded` (403) for a rate limit,
//! `authError` (401) for an expired token, `backendError` (503) for a
//! server error.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::bearer::{Call, Reply, Shaping, has_bearer, pairs, param, token_grant};
use super::{Fault, ListedComment, SimState};

/// Threads or comments per page unless `maxResults` says otherwise.
const DEFAULT_RESULTS: usize = 20;
/// The documented maximum of `maxResults`.
const MAX_RESULTS: usize = 100;
/// Replies embedded in a thread.
const EMBEDDED_REPLIES: usize = 5;

type SimRef = State<Arc<SimState>>;

/// The routes, to be nested under `/youtube`: the documented paths start
/// with `/youtube/v3` below the account's base URL.
pub(super) fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/youtube/v3/commentThreads", get(comment_threads))
        .route("/youtube/v3/comments", get(comments))
        .route("/youtube/v3/videos", get(videos))
        .route("/youtube/v3/channels", get(channels))
        .route(
            "/youtube/v3/comments/setModerationStatus",
            post(set_moderation_status),
        )
        .route("/token", post(token))
        .with_state(state)
}

async fn token(State(sim): SimRef, uri: Uri, body: Bytes) -> Response {
    token_grant(&sim, "youtube", &uri, &body, false)
}

/// Google's error body.
fn google_error(status: StatusCode, reason: &str, message: &str) -> Reply {
    Reply::json(
        status,
        json!({"error": {
            "code": status.as_u16(),
            "message": message,
            "errors": [{"message": message, "domain": "youtube", "reason": reason}],
        }}),
    )
}

/// How Google answers each failing fault.
fn fault_reply(fault: Fault, _earlier: u32) -> Option<Reply> {
    match fault {
        Fault::RateLimited | Fault::AppRateLimited => Some(google_error(
            StatusCode::FORBIDDEN,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
        )),
        Fault::TokenExpired => Some(unauthenticated()),
        Fault::ServerError => Some(google_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "backendError",
            "The service is currently unavailable.",
        )),
        _ => None,
    }
}

fn unauthenticated() -> Reply {
    google_error(
        StatusCode::UNAUTHORIZED,
        "authError",
        "Request had invalid authentication credentials.",
    )
}

/// Logs, authenticates and applies the channel's fault; `Err` is the
/// answer already sent.
async fn admit(
    sim: &Arc<SimState>,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    page_id: Option<String>,
    comment_id: Option<String>,
) -> Result<(Call, Shaping), Response> {
    let write = comment_id.is_some();
    let mut call = Call::begin(
        sim,
        "youtube",
        &method,
        uri,
        String::new(),
        page_id,
        comment_id,
    );
    if !has_bearer(headers) {
        return Err(call.finish(unauthenticated(), write.then_some(false), false));
    }
    match call.admit(fault_reply).await {
        Ok(shaping) => Ok((call, shaping)),
        Err(reply) => Err(call.finish(reply, write.then_some(false), false)),
    }
}

async fn comment_threads(State(sim): SimRef, uri: Uri, headers: HeaderMap) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let channel = param(&query, "allThreadsRelatedToChannelId").map(str::to_string);
    let (call, shaping) =
        match admit(&sim, Method::GET, &uri, &headers, channel.clone(), None).await {
            Ok(admitted) => admitted,
            Err(response) => return response,
        };
    let Some(threads) = channel.as_deref().and_then(|c| channel_threads(&sim, c)) else {
        let reply = google_error(
            StatusCode::NOT_FOUND,
            "channelNotFound",
            "The channel specified in the allThreadsRelatedToChannelId parameter cannot be found.",
        );
        return call.finish(reply, None, false);
    };
    let items: Vec<Value> = threads
        .iter()
        .map(|(top, replies)| thread_json(top, replies))
        .collect();
    let reply = match page_of(items, &query, shaping, "youtube#commentThreadListResponse") {
        Ok(body) => Reply::ok(body),
        Err(reply) => reply,
    };
    call.finish(reply, None, shaping.truncate)
}

async fn comments(State(sim): SimRef, uri: Uri, headers: HeaderMap) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let parent = param(&query, "parentId").map(str::to_string);
    let id = param(&query, "id").map(str::to_string);
    let page_id = parent
        .as_deref()
        .or(id.as_deref())
        .and_then(|c| sim.page_id_of(c));
    let (call, shaping) = match admit(&sim, Method::GET, &uri, &headers, page_id, None).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let reply = match (parent, id) {
        (Some(parent), _) => {
            let replies: Vec<Value> = replies_to(&sim, &parent)
                .iter()
                .filter(|reply| !reply.hidden)
                .map(comment_json)
                .collect();
            page_of(replies, &query, shaping, "youtube#commentListResponse")
                .map_or_else(|reply| reply, Reply::ok)
        }
        (None, Some(id)) => {
            let found: Vec<Value> = sim.visible_comment(&id).iter().map(comment_json).collect();
            Reply::ok(json!({"kind": "youtube#commentListResponse", "items": found}))
        }
        (None, None) => google_error(
            StatusCode::BAD_REQUEST,
            "missingRequiredParameter",
            "No filter selected. Expected one of: id, parentId",
        ),
    };
    call.finish(reply, None, shaping.truncate)
}

async fn videos(State(sim): SimRef, uri: Uri, headers: HeaderMap) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let ids: Vec<String> = param(&query, "id")
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    let page_id = ids.first().and_then(|id| sim.page_id_of(id));
    let (call, shaping) = match admit(&sim, Method::GET, &uri, &headers, page_id, None).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let items: Vec<Value> = ids
        .iter()
        .filter_map(|id| sim.post(id))
        .map(|post| {
            json!({
                "kind": "youtube#video",
                "id": post.id,
                "snippet": {
                    "publishedAt": youtube_time(post.created_at),
                    "title": post.message,
                    "description": post.message,
                },
            })
        })
        .collect();
    let reply = Reply::ok(json!({"kind": "youtube#videoListResponse", "items": items}));
    call.finish(reply, None, shaping.truncate)
}

/// `GET /youtube/v3/channels?part=snippet,brandingSettings&id=…`: the
/// channel's title and About description; an unknown id lists nothing.
async fn channels(State(sim): SimRef, uri: Uri, headers: HeaderMap) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let id = param(&query, "id").unwrap_or_default().to_string();
    let page_id = sim.page(&id).map(|page| page.id.clone());
    let (call, shaping) = match admit(&sim, Method::GET, &uri, &headers, page_id, None).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let items: Vec<Value> = sim
        .page(&id)
        .zip(sim.profile(&id))
        .map(|(page, profile)| {
            let description = profile.description.unwrap_or_default();
            json!({
                "kind": "youtube#channel",
                "id": page.id,
                "snippet": {"title": page.name, "description": description},
                "brandingSettings": {"channel": {"title": page.name, "description": description}},
            })
        })
        .into_iter()
        .collect();
    let reply = Reply::ok(json!({"kind": "youtube#channelListResponse", "items": items}));
    call.finish(reply, None, shaping.truncate)
}

async fn set_moderation_status(State(sim): SimRef, uri: Uri, headers: HeaderMap) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let id = param(&query, "id").unwrap_or_default().to_string();
    let status = param(&query, "moderationStatus")
        .unwrap_or_default()
        .to_string();
    let page_id = sim.page_id_of(&id);
    let (call, shaping) = match admit(
        &sim,
        Method::POST,
        &uri,
        &headers,
        page_id,
        Some(id.clone()),
    )
    .await
    {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let applied = match status.as_str() {
        "heldForReview" => sim.set_hidden(&id, true),
        "published" => sim.set_hidden(&id, false),
        "rejected" => sim.delete(&id),
        other => {
            let reply = google_error(
                StatusCode::BAD_REQUEST,
                "invalidModerationStatus",
                &format!("Invalid moderationStatus {other:?}"),
            );
            return call.finish(reply, Some(false), false);
        }
    };
    let reply = if applied {
        Reply::no_content()
    } else {
        google_error(
            StatusCode::NOT_FOUND,
            "commentNotFound",
            "The comment identified by the request's id parameter could not be found.",
        )
    };
    call.finish(reply, Some(applied), shaping.truncate)
}

/// The channel's top-level comments, newest first, each with its replies
/// (oldest first); held comments are not listed. `None` for an unknown
/// channel.
fn channel_threads(
    sim: &SimState,
    channel: &str,
) -> Option<Vec<(ListedComment, Vec<ListedComment>)>> {
    let posts = sim.published_posts(channel)?;
    let all: Vec<ListedComment> = posts
        .iter()
        .flat_map(|listed| sim.comments_on(&listed.post.id).unwrap_or_default())
        .filter(|listed| !listed.hidden)
        .collect();
    let mut threads: Vec<(ListedComment, Vec<ListedComment>)> = all
        .iter()
        .filter(|listed| listed.comment.parent_id.is_none())
        .map(|top| {
            let replies = all
                .iter()
                .filter(|r| r.comment.parent_id.as_deref() == Some(top.comment.id.as_str()))
                .cloned()
                .collect();
            (top.clone(), replies)
        })
        .collect();
    threads.sort_by(|a, b| {
        (b.0.comment.created_at, &b.0.comment.id).cmp(&(a.0.comment.created_at, &a.0.comment.id))
    });
    Some(threads)
}

/// The replies to `parent`, oldest first.
fn replies_to(sim: &SimState, parent: &str) -> Vec<ListedComment> {
    let Some(top) = sim.visible_comment(parent) else {
        return Vec::new();
    };
    sim.comments_on(&top.comment.post_id)
        .unwrap_or_default()
        .into_iter()
        .filter(|listed| listed.comment.parent_id.as_deref() == Some(parent))
        .collect()
}

/// One page of `items` by `pageToken` (an offset) and `maxResults`.
fn page_of(
    items: Vec<Value>,
    query: &[(String, String)],
    shaping: Shaping,
    kind: &str,
) -> Result<Value, Reply> {
    let limit = match param(query, "maxResults") {
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| google_error(StatusCode::BAD_REQUEST, "invalidParameter", "maxResults"))?
            .clamp(1, MAX_RESULTS),
        None => DEFAULT_RESULTS,
    };
    let start = match param(query, "pageToken").filter(|_| !shaping.repeat_first_page) {
        Some(token) => token
            .strip_prefix("sim-page-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| {
                google_error(
                    StatusCode::BAD_REQUEST,
                    "invalidPageToken",
                    "The request specifies an invalid page token.",
                )
            })?,
        None => 0,
    };
    let total = items.len();
    let mut page: Vec<Value> = items.into_iter().skip(start).take(limit).collect();
    if shaping.corrupt_first_item
        && let Some(first) = page.first_mut()
    {
        first["snippet"]["topLevelComment"]["snippet"]["publishedAt"] = json!("not a time");
        first["snippet"]["publishedAt"] = json!("not a time");
    }
    let mut body = json!({
        "kind": kind,
        "pageInfo": {"totalResults": total, "resultsPerPage": limit},
        "items": page,
    });
    if shaping.repeat_first_page {
        body["nextPageToken"] = json!("sim-page-0");
    } else if start + limit < total {
        body["nextPageToken"] = json!(format!("sim-page-{}", start + limit));
    }
    Ok(body)
}

fn thread_json(top: &ListedComment, replies: &[ListedComment]) -> Value {
    let embedded: Vec<Value> = replies
        .iter()
        .filter(|r| !r.hidden)
        .take(EMBEDDED_REPLIES)
        .map(comment_json)
        .collect();
    json!({
        "kind": "youtube#commentThread",
        "id": top.comment.id,
        "snippet": {
            "channelId": top.comment.page_id,
            "videoId": top.comment.post_id,
            "topLevelComment": comment_json(top),
            "canReply": true,
            "totalReplyCount": replies.len(),
            "isPublic": true,
        },
        "replies": {"comments": embedded},
    })
}

fn comment_json(listed: &ListedComment) -> Value {
    let comment = &listed.comment;
    let mut snippet = json!({
        "channelId": comment.page_id,
        "videoId": comment.post_id,
        "textDisplay": comment.text,
        "textOriginal": comment.text,
        "authorDisplayName": comment.author_name,
        "authorChannelId": {"value": comment.author_id},
        "canRate": true,
        "viewerRating": "none",
        "likeCount": 0,
        "moderationStatus": if listed.hidden { "heldForReview" } else { "published" },
        "publishedAt": youtube_time(comment.created_at),
        "updatedAt": youtube_time(comment.created_at),
    });
    if let Some(parent) = &comment.parent_id {
        snippet["parentId"] = json!(parent);
    }
    json!({"kind": "youtube#comment", "id": comment.id, "snippet": snippet})
}

fn youtube_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::clock::Clock;
    use crate::domain::{ModerationState, PlatformKind};
    use crate::platforms::simulator::bearer::REVOKED_REFRESH_TOKEN;
    use crate::platforms::simulator::bearer::tests::{crawl, planted_ids, simulator, tokens};
    use crate::platforms::simulator::{Fault, SimulatorHandle};
    use crate::platforms::test_support::archived;
    use crate::platforms::youtube::{YoutubeChannel, YoutubeSettings};
    use crate::platforms::{Cursors, Platform, PlatformError};

    fn connector(
        sim: &SimulatorHandle,
        clock: std::sync::Arc<crate::clock::ManualClock>,
        dir: &tempfile::TempDir,
        refresh_token: &str,
    ) -> YoutubeChannel {
        let base = format!("{}/youtube", sim.base_url());
        YoutubeChannel::new(
            YoutubeSettings {
                api_base_url: base.clone(),
                channel_id: sim.pages()[0].id.clone(),
                request_timeout: std::time::Duration::from_secs(5),
            },
            tokens(dir, format!("{base}/token"), refresh_token, clock.clone()),
            clock,
            reqwest::Client::new(),
        )
        .expect("connector")
    }

    #[tokio::test]
    async fn the_youtube_connector_lists_every_planted_comment_and_holds_and_rejects_them() {
        let (sim, clock) = simulator().await;
        let dir = tempfile::tempdir().expect("dir");
        let youtube = connector(&sim, clock.clone(), &dir, "sim-refresh");
        let since = clock.now() - chrono::TimeDelta::days(7);

        let (comments, cursors) = crawl(&youtube, &Cursors::new(), since)
            .await
            .expect("crawl");
        let listed: BTreeSet<String> = comments.iter().map(|c| c.platform_id.clone()).collect();
        assert_eq!(listed, planted_ids(&sim, clock.now()));
        assert!(cursors.contains_key("channel"));

        // Nothing new: the next run lists nothing.
        let (again, _) = crawl(&youtube, &cursors, since).await.expect("crawl again");
        assert!(again.is_empty(), "{} comments listed twice", again.len());

        let target = comments
            .iter()
            .find(|c| c.parent_id.is_none())
            .expect("a top-level comment");
        let (_archive, receipt) = archived(target, PlatformKind::Youtube);
        youtube.hide(&receipt).await.expect("held");
        assert!(
            sim.comment_state(&target.platform_id)
                .expect("state")
                .hidden
        );
        assert_eq!(
            youtube
                .moderation_state(&target.platform_id)
                .await
                .expect("state"),
            ModerationState::Hidden
        );
        youtube.delete(&receipt).await.expect("rejected");
        assert!(
            sim.comment_state(&target.platform_id)
                .expect("state")
                .deleted
        );
        assert_eq!(
            youtube
                .moderation_state(&target.platform_id)
                .await
                .expect("state"),
            ModerationState::Removed
        );
        assert!(youtube.units_spent().units >= 100);
        let token_calls = sim
            .calls()
            .iter()
            .filter(|c| c.path == "/youtube/token")
            .count();
        assert_eq!(
            token_calls, 1,
            "the access token was refreshed more than once"
        );
    }

    #[tokio::test]
    async fn the_simulated_quota_and_a_revoked_grant_answer_as_google_does() {
        let (sim, clock) = simulator().await;
        let dir = tempfile::tempdir().expect("dir");
        let youtube = connector(&sim, clock.clone(), &dir, "sim-refresh");
        let page = sim.pages()[0].id.clone();
        sim.inject_fault(&page, Fault::RateLimited, Some(1));

        let error = crawl(&youtube, &Cursors::new(), clock.now())
            .await
            .expect_err("quota");
        assert!(
            matches!(
                error,
                PlatformError::RateLimited {
                    retry_after: Some(_),
                    ..
                }
            ),
            "{error:?}"
        );

        let revoked_dir = tempfile::tempdir().expect("dir");
        let revoked = connector(&sim, clock.clone(), &revoked_dir, REVOKED_REFRESH_TOKEN);
        let error = crawl(&revoked, &Cursors::new(), clock.now())
            .await
            .expect_err("revoked");
        assert!(
            matches!(&error, PlatformError::Unauthorized { detail } if detail.contains("invalid_grant")),
            "{error:?}"
        );
    }
}
