//! X API v2 over the simulator's content, nested under `/x`: each
//! simulated page is an X account (its page id the user id), its posts
//! start conversations and its comments are the replies in them.
//!
//! - `GET /2/users/{id}/mentions`: the account's replies, newest first,
//!   with `since_id`, `start_time`, `max_results` and `pagination_token`,
//!   the authors and the conversation starts under `includes`;
//! - `PUT /2/tweets/{id}/hidden` with `{"hidden":…}`, within X's 50 calls
//!   per 15 minutes per account (the 51st is a plain-text 429 with the
//!   `x-rate-limit-*` headers);
//! - `GET /2/users/{id}`: the account's profile (`description`, `url`,
//!   `entities`);
//! - `GET /2/tweets/{id}`: the post, or a 200 with a `resource-not-found`
//!   error once it is deleted.
//!
//! X ids are numbers that grow with time, so a comment's id is derived
//! from its position in the page's stream and a post's from its number
//! (see [`TweetId`]). Faults answer as X does: 503 problem details, a
//! plain-text 429, a 401 for an expired token.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, put};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::calls::{
    NOT_A_TIME, Shape, Target, WireFaults, WireReply, WireRequest, query_pairs, query_param, serve,
};
use super::{Fault, ListedComment, SimPost, SimState, lock};

/// X's limit of hide and unhide calls per account.
const HIDES_PER_WINDOW: usize = 50;
/// The window X counts hide calls in, in minutes.
const HIDE_WINDOW_MINUTES: i64 = 15;
/// Mentions per page unless `max_results` says otherwise.
const DEFAULT_RESULTS: usize = 10;
/// Comment ids start here, post ids at twice this.
const COMMENT_ID_BASE: u64 = 100_000_000_000_000_000;
/// Room per page in the id space.
const PAGE_ID_SPAN: u64 = 1_000_000_000_000;

/// The X routes' state: the simulator's, and each account's hide calls.
struct XSim {
    sim: Arc<SimState>,
    hides: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

type XRef = State<Arc<XSim>>;

/// The routes, to be nested under `/x`.
pub(super) fn router(sim: Arc<SimState>) -> Router {
    let state = Arc::new(XSim {
        sim,
        hides: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/2/users/{id}", get(user))
        .route("/2/users/{id}/mentions", get(mentions))
        .route("/2/tweets/{id}/hidden", put(hide))
        .route("/2/tweets/{id}", get(lookup))
        .with_state(state)
}

/// A post's or comment's X id: comments `COMMENT_ID_BASE + page ×
/// PAGE_ID_SPAN + position in the page's stream + 1` (so they grow with
/// time, as `since_id` needs), posts the same from `2 × COMMENT_ID_BASE`
/// with the post's place in the page's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TweetId {
    Comment { page: usize, position: usize },
    Post { page: usize, position: usize },
}

impl TweetId {
    fn number(self) -> u64 {
        let (base, page, position) = match self {
            TweetId::Comment { page, position } => (COMMENT_ID_BASE, page, position),
            TweetId::Post { page, position } => (2 * COMMENT_ID_BASE, page, position),
        };
        base + page as u64 * PAGE_ID_SPAN + position as u64 + 1
    }

    fn text(self) -> String {
        self.number().to_string()
    }

    fn parse(text: &str) -> Option<Self> {
        let number: u64 = text.parse().ok()?;
        let (is_post, rest) = if number >= 2 * COMMENT_ID_BASE {
            (true, number - 2 * COMMENT_ID_BASE)
        } else {
            (false, number.checked_sub(COMMENT_ID_BASE)?)
        };
        let page = usize::try_from(rest / PAGE_ID_SPAN).ok()?;
        let position = usize::try_from((rest % PAGE_ID_SPAN).checked_sub(1)?).ok()?;
        Some(if is_post {
            TweetId::Post { page, position }
        } else {
            TweetId::Comment { page, position }
        })
    }
}

impl XSim {
    fn page_index(&self, page_id: &str) -> Option<usize> {
        self.sim.pages.iter().position(|page| page.id == page_id)
    }

    /// The page's published posts with their X ids.
    fn posts(&self, page: usize) -> Vec<(TweetId, SimPost)> {
        let page_id = &self.sim.pages[page].id;
        self.sim
            .published_posts(page_id)
            .unwrap_or_default()
            .into_iter()
            .map(|listed| {
                (
                    TweetId::Post {
                        page,
                        position: listed.position,
                    },
                    listed.post,
                )
            })
            .collect()
    }

    /// Every visible comment on the page, oldest first.
    fn comments(&self, posts: &[(TweetId, SimPost)]) -> Vec<ListedComment> {
        let mut comments: Vec<ListedComment> = posts
            .iter()
            .filter_map(|(_, post)| self.sim.comments_on(&post.id))
            .flatten()
            .collect();
        comments.sort_by_key(|listed| listed.position);
        comments
    }

    /// The Graph id of the comment an X id names, if it exists now.
    fn comment_graph_id(&self, id: TweetId) -> Option<String> {
        let TweetId::Comment { page, position } = id else {
            return None;
        };
        let now = self.sim.now();
        let mut world = lock(&self.sim.world);
        let comments = world.pages.get_mut(page)?.comments_until(now);
        comments.get(position).map(|comment| comment.id.clone())
    }

    /// Takes one hide call from the account's budget, or answers when the
    /// next one is free.
    fn spend_hide(&self, page_id: &str, now: DateTime<Utc>) -> Result<usize, DateTime<Utc>> {
        let mut hides = lock(&self.hides);
        let spent = hides.entry(page_id.to_string()).or_default();
        let window = Duration::minutes(HIDE_WINDOW_MINUTES);
        while spent.front().is_some_and(|&at| at + window <= now) {
            spent.pop_front();
        }
        if spent.len() >= HIDES_PER_WINDOW {
            return Err(spent.front().map_or(now, |&oldest| oldest + window));
        }
        spent.push_back(now);
        Ok(HIDES_PER_WINDOW - spent.len())
    }
}

/// `{"title","detail","type","status"}` with the documented problem types.
fn problem(status: StatusCode, title: &str, kind: &str, detail: &str) -> WireReply {
    WireReply::json(
        status,
        &json!({ "title": title, "detail": detail, "type": kind, "status": status.as_u16() }),
    )
}

fn unauthorized() -> WireReply {
    problem(
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
        "about:blank",
        "Unauthorized",
    )
}

/// X's 429: a plain-text body and the reset time in the headers.
fn too_many_requests(limit: usize, reset: DateTime<Utc>) -> WireReply {
    WireReply::text(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests")
        .with_header("x-rate-limit-limit", limit.to_string())
        .with_header("x-rate-limit-remaining", "0")
        .with_header("x-rate-limit-reset", reset.timestamp().to_string())
}

fn not_found_error(id: &str) -> Value {
    json!({
        "value": id,
        "detail": format!("Could not find tweet with id: [{id}]."),
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "id",
        "resource_id": id,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    })
}

/// X's answers to a missing token and to injected faults: 503 problem
/// details, a plain-text 429 with the reset in 15 minutes, a 401.
struct XFaults;

impl WireFaults for XFaults {
    fn missing_token(&self) -> WireReply {
        unauthorized()
    }

    fn token_in_query(&self) -> bool {
        false
    }

    fn failure(&self, sim: &SimState, fault: Fault, _object_id: &str) -> WireReply {
        match fault {
            Fault::RateLimited | Fault::AppRateLimited => {
                too_many_requests(180, sim.now() + Duration::minutes(HIDE_WINDOW_MINUTES))
            }
            Fault::TokenExpired => unauthorized(),
            Fault::ServerError
            | Fault::Slow(_)
            | Fault::MalformedJson
            | Fault::RepeatingCursor
            | Fault::MalformedItem
            | Fault::WithoutIds => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
                "about:blank",
                "Service Unavailable",
            ),
        }
    }
}

/// Query of the mentions timeline.
struct MentionsQuery {
    since_id: Option<u64>,
    start_time: Option<DateTime<Utc>>,
    max_results: usize,
    after_position: Option<usize>,
}

impl MentionsQuery {
    fn read(uri: &Uri) -> Result<Self, String> {
        let pairs = query_pairs(uri);
        let since_id = match query_param(&pairs, "since_id") {
            Some(id) => Some(
                id.parse()
                    .map_err(|_| format!("since_id {id:?} is not an id"))?,
            ),
            None => None,
        };
        let start_time = match query_param(&pairs, "start_time") {
            Some(at) => Some(
                DateTime::parse_from_rfc3339(at)
                    .map_err(|_| format!("start_time {at:?} is not an RFC 3339 time"))?
                    .with_timezone(&Utc),
            ),
            None => None,
        };
        let max_results = match query_param(&pairs, "max_results") {
            Some(n) => n
                .parse()
                .ok()
                .filter(|n| (5..=100).contains(n))
                .ok_or_else(|| format!("max_results {n:?} is not between 5 and 100"))?,
            None => DEFAULT_RESULTS,
        };
        let after_position = match query_param(&pairs, "pagination_token") {
            Some(token) => Some(
                token
                    .strip_prefix("xsim")
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| format!("pagination_token {token:?} is not one X gave"))?,
            ),
            None => None,
        };
        Ok(Self {
            since_id,
            start_time,
            max_results,
            after_position,
        })
    }
}

async fn mentions(State(x): XRef, Path(user_id): Path<String>, request: Request) -> Response {
    let request = WireRequest::read(request).await;
    let page = x.page_index(&user_id);
    let target = Target {
        page_id: page.map(|_| user_id.clone()),
        object_id: user_id.clone(),
        comment_id: None,
    };
    serve(&x.sim, &XFaults, &request, target, |shape| {
        (
            answer_mentions(&x, page, &user_id, &request.uri, shape),
            None,
        )
    })
    .await
}

/// The mentions timeline of a known account, or X's errors.
fn answer_mentions(
    x: &XSim,
    page: Option<usize>,
    user_id: &str,
    uri: &Uri,
    shape: Shape,
) -> WireReply {
    let Some(page) = page else {
        let error = json!({ "errors": [{
            "detail": format!("Could not find user with id: [{user_id}]."),
            "title": "Not Found Error",
            "resource_type": "user",
            "parameter": "id",
            "value": user_id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }]});
        return WireReply::json(StatusCode::OK, &error);
    };
    match MentionsQuery::read(uri) {
        Ok(mut query) => {
            if shape.repeat_first_page {
                query.after_position = None;
            }
            let mut body = mentions_page(x, page, user_id, &query);
            if shape.corrupt_first_item && body["data"][0].is_object() {
                body["data"][0]["created_at"] = json!(NOT_A_TIME);
            }
            WireReply::json(StatusCode::OK, &body)
        }
        Err(detail) => problem(
            StatusCode::BAD_REQUEST,
            "Invalid Request",
            "https://api.twitter.com/2/problems/invalid-request",
            &detail,
        ),
    }
}

/// One page of the mentions timeline, newest first.
fn mentions_page(x: &XSim, page: usize, user_id: &str, query: &MentionsQuery) -> Value {
    let posts = x.posts(page);
    let post_ids: HashMap<&str, TweetId> = posts
        .iter()
        .map(|(id, post)| (post.id.as_str(), *id))
        .collect();
    let comments = x.comments(&posts);
    let positions: HashMap<&str, usize> = comments
        .iter()
        .map(|listed| (listed.comment.id.as_str(), listed.position))
        .collect();
    let selected: Vec<&ListedComment> = comments
        .iter()
        .rev()
        .filter(|listed| {
            query.since_id.is_none_or(|since| {
                TweetId::Comment {
                    page,
                    position: listed.position,
                }
                .number()
                    > since
            })
        })
        .filter(|listed| {
            query
                .start_time
                .is_none_or(|start| listed.comment.created_at >= start)
        })
        .filter(|listed| {
            query
                .after_position
                .is_none_or(|after| listed.position < after)
        })
        .collect();
    let shown: Vec<&ListedComment> = selected.iter().take(query.max_results).copied().collect();
    let more = selected.len() > shown.len();
    let mut users: HashMap<String, Value> = HashMap::new();
    let mut referenced: HashMap<String, Value> = HashMap::new();
    let data: Vec<Value> = shown
        .iter()
        .map(|listed| {
            let comment = &listed.comment;
            let id = TweetId::Comment { page, position: listed.position }.text();
            let conversation = post_ids.get(comment.post_id.as_str()).map(|id| id.text()).unwrap_or_default();
            let (replied_to, replied_user) = match comment.parent_id.as_deref().and_then(|p| positions.get(p)) {
                Some(&position) => {
                    let parent = comments.iter().find(|c| c.position == position);
                    (
                        TweetId::Comment { page, position }.text(),
                        parent.map_or_else(|| user_id.to_string(), |p| p.comment.author_id.clone()),
                    )
                }
                None => (conversation.clone(), user_id.to_string()),
            };
            users.entry(comment.author_id.clone()).or_insert_with(|| {
                json!({ "id": comment.author_id, "name": comment.author_name, "username": username_of(&comment.author_name) })
            });
            if let Some((post_id, post)) = posts.iter().find(|(_, post)| post.id == comment.post_id) {
                referenced.entry(post_id.text()).or_insert_with(|| {
                    json!({
                        "id": post_id.text(),
                        "text": post.message,
                        "created_at": x_time(post.created_at),
                        "author_id": user_id,
                        "conversation_id": post_id.text(),
                        "edit_history_tweet_ids": [post_id.text()],
                    })
                });
            }
            json!({
                "id": id,
                "text": comment.text,
                "created_at": x_time(comment.created_at),
                "author_id": comment.author_id,
                "conversation_id": conversation,
                "in_reply_to_user_id": replied_user,
                "referenced_tweets": [{ "type": "replied_to", "id": replied_to }],
                "edit_history_tweet_ids": [id],
            })
        })
        .collect();
    let mut meta = json!({ "result_count": data.len() });
    if let (Some(newest), Some(oldest)) = (shown.first(), shown.last()) {
        meta["newest_id"] = json!(
            TweetId::Comment {
                page,
                position: newest.position
            }
            .text()
        );
        meta["oldest_id"] = json!(
            TweetId::Comment {
                page,
                position: oldest.position
            }
            .text()
        );
        if more {
            meta["next_token"] = json!(format!("xsim{}", oldest.position));
        }
    }
    if data.is_empty() {
        return json!({ "meta": meta });
    }
    json!({
        "data": data,
        "includes": {
            "users": users.into_values().collect::<Vec<_>>(),
            "tweets": referenced.into_values().collect::<Vec<_>>(),
        },
        "meta": meta,
    })
}

/// The body of `PUT /2/tweets/{id}/hidden`.
#[derive(Deserialize)]
struct HiddenBody {
    hidden: bool,
}

/// The page a post or comment id belongs to.
fn page_of(x: &XSim, id: Option<TweetId>) -> Option<String> {
    let page = match id? {
        TweetId::Comment { page, .. } | TweetId::Post { page, .. } => page,
    };
    x.sim.pages.get(page).map(|p| p.id.clone())
}

async fn hide(State(x): XRef, Path(id): Path<String>, request: Request) -> Response {
    let request = WireRequest::read(request).await;
    let tweet = TweetId::parse(&id);
    let page_id = page_of(&x, tweet);
    let target = Target {
        page_id: page_id.clone(),
        object_id: id.clone(),
        comment_id: Some(id.clone()),
    };
    serve(&x.sim, &XFaults, &request, target, |_| {
        answer_hide(&x, tweet, page_id.as_deref(), &id, &request.body)
    })
    .await
}

/// Hides or unhides a reply within the account's hide budget.
fn answer_hide(
    x: &XSim,
    tweet: Option<TweetId>,
    page_id: Option<&str>,
    id: &str,
    body: &[u8],
) -> (WireReply, Option<bool>) {
    let Ok(HiddenBody { hidden }) = serde_json::from_slice(body) else {
        let reply = problem(
            StatusCode::BAD_REQUEST,
            "Invalid Request",
            "https://api.twitter.com/2/problems/invalid-request",
            "The `hidden` field is missing or not a boolean",
        );
        return (reply, Some(false));
    };
    let (Some(page_id), Some(graph_id)) = (page_id, tweet.and_then(|t| x.comment_graph_id(t)))
    else {
        let reply = problem(
            StatusCode::NOT_FOUND,
            "Not Found Error",
            "https://api.twitter.com/2/problems/resource-not-found",
            &format!("Could not find tweet with id: [{id}]."),
        );
        return (reply, Some(false));
    };
    let remaining = match x.spend_hide(page_id, x.sim.now()) {
        Ok(remaining) => remaining,
        Err(reset) => return (too_many_requests(HIDES_PER_WINDOW, reset), Some(false)),
    };
    let applied = x.sim.set_hidden(&graph_id, hidden);
    let reply = if applied {
        WireReply::json(StatusCode::OK, &json!({ "data": { "hidden": hidden } }))
    } else {
        WireReply::json(StatusCode::OK, &json!({ "errors": [not_found_error(id)] }))
    };
    let reply = reply
        .with_header("x-rate-limit-limit", HIDES_PER_WINDOW.to_string())
        .with_header("x-rate-limit-remaining", remaining.to_string());
    (reply, Some(applied))
}

async fn lookup(State(x): XRef, Path(id): Path<String>, request: Request) -> Response {
    let request = WireRequest::read(request).await;
    let tweet = TweetId::parse(&id);
    let target = Target {
        page_id: page_of(&x, tweet),
        object_id: id.clone(),
        comment_id: None,
    };
    serve(&x.sim, &XFaults, &request, target, |_| {
        let visible = tweet
            .and_then(|t| x.comment_graph_id(t))
            .and_then(|graph_id| x.sim.visible_comment(&graph_id));
        let body = match visible {
            Some(listed) => json!({ "data": {
                "id": id,
                "text": listed.comment.text,
                "edit_history_tweet_ids": [id],
            }}),
            None => json!({ "errors": [not_found_error(&id)] }),
        };
        (WireReply::json(StatusCode::OK, &body), None)
    })
    .await
}

/// `GET /2/users/{id}`: the account with its `description` and `url`,
/// the website shortened to a `t.co` link as X does and expanded under
/// `entities.url`; an unknown id is a 200 with a `resource-not-found`
/// error.
async fn user(State(x): XRef, Path(id): Path<String>, request: Request) -> Response {
    let request = WireRequest::read(request).await;
    let target = Target {
        page_id: x.page_index(&id).map(|_| id.clone()),
        object_id: id.clone(),
        comment_id: None,
    };
    serve(&x.sim, &XFaults, &request, target, |_| {
        let body = match (x.sim.page(&id), x.sim.profile(&id)) {
            (Some(page), Some(profile)) => json!({ "data": user_json(&id, &page.name, profile) }),
            _ => json!({ "errors": [{
                "detail": format!("Could not find user with id: [{id}]."),
                "title": "Not Found Error",
                "resource_type": "user",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }]}),
        };
        (WireReply::json(StatusCode::OK, &body), None)
    })
    .await
}

/// The user object of an account with `user.fields=description,url,entities`.
fn user_json(id: &str, name: &str, profile: super::SimProfile) -> Value {
    let mut user = json!({
        "id": id,
        "name": name,
        "username": username_of(name),
        "description": profile.about.unwrap_or_default(),
    });
    if let Some(website) = profile.website {
        let short = format!("https://t.co/sim{id}");
        user["url"] = json!(short.clone());
        user["entities"] = json!({ "url": { "urls": [{
            "start": 0,
            "end": short.len(),
            "url": short,
            "expanded_url": website,
            "display_url": website.trim_start_matches("https://"),
        }]}});
    }
    user
}

/// X's `created_at`: RFC 3339 with milliseconds and `Z`.
fn x_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An X handle made from a display name: letters and digits only.
fn username_of(name: &str) -> String {
    let handle: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(15)
        .collect();
    if handle.is_empty() {
        "user".to_string()
    } else {
        handle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::platforms::simulator::{Fault, SimulatorHandle};
    use crate::platforms::x::{XAccount, XSettings};
    use crate::platforms::{Platform, PlatformError};
    use secrecy::SecretString;

    #[test]
    fn tweet_ids_round_trip_and_comments_grow_with_their_position() {
        for id in [
            TweetId::Comment {
                page: 0,
                position: 0,
            },
            TweetId::Comment {
                page: 799,
                position: 123_456,
            },
            TweetId::Post {
                page: 3,
                position: 7,
            },
        ] {
            assert_eq!(TweetId::parse(&id.text()), Some(id));
        }
        assert!(
            TweetId::Comment {
                page: 2,
                position: 9
            }
            .number()
                > TweetId::Comment {
                    page: 2,
                    position: 8
                }
                .number()
        );
        assert_eq!(TweetId::parse("17"), None);
    }

    /// A simulator one office day into its stream, and the X connector
    /// pointed at its `/x` routes for the first page.
    async fn simulated_x() -> (SimulatorHandle, ManualClock, XAccount) {
        let (sim, clock) = super::super::calls::one_page_simulator().await;
        let x = XAccount::new(
            XSettings {
                api_base_url: format!("{}/x", sim.base_url()),
                api_version: "2".into(),
                user_id: sim.pages()[0].id.clone(),
                token: SecretString::from("sim-user-token"),
                request_timeout: std::time::Duration::from_secs(5),
                hide_calls_spent: Vec::new(),
                clock: Arc::new(clock.clone()),
            },
            reqwest::Client::new(),
        )
        .expect("valid settings");
        (sim, clock, x)
    }

    #[tokio::test]
    async fn the_x_connector_reads_every_reply_and_hides_one_through_the_simulator() {
        let (sim, clock, x) = simulated_x().await;
        let planted = sim.planted_until(clock.now());
        assert!(planted.len() > 5, "the stream has comments by now");

        let fetch = x.first_mentions_fetch(None, clock.now() - Duration::days(2));
        let page = x.fetch_mentions(&fetch, None).await.expect("mentions");

        let mut texts: Vec<&str> = page.comments.iter().map(|c| c.text.as_str()).collect();
        let mut expected: Vec<&str> = planted.iter().map(|c| c.text.as_str()).collect();
        texts.sort_unstable();
        expected.sort_unstable();
        assert_eq!(texts, expected);
        assert!(
            !page.posts.is_empty(),
            "the conversations' first posts come along"
        );
        let direct = page
            .comments
            .iter()
            .find(|c| c.parent_id.is_none() && x.capabilities(c).hide)
            .expect("a direct reply to the account's post");
        let graph_id = planted
            .iter()
            .find(|p| p.text == direct.text && p.created_at == direct.created_at)
            .map(|p| p.id.clone())
            .expect("planted");

        x.hide_reply(&direct.platform_id).await.expect("hidden");

        assert!(sim.comment_state(&graph_id).expect("state").hidden);
        let newest = page
            .comments
            .iter()
            .map(|c| c.platform_id.clone())
            .max_by_key(|id| id.parse::<u64>().unwrap_or(0));
        let again = x
            .fetch_mentions(
                &x.first_mentions_fetch(newest.as_deref(), clock.now()),
                newest.as_deref(),
            )
            .await
            .expect("mentions");
        assert!(again.comments.is_empty(), "nothing newer than since_id");
    }

    #[tokio::test]
    async fn faults_answer_in_x_wire_format() {
        let (sim, clock, x) = simulated_x().await;
        let page_id = sim.pages()[0].id.clone();
        let fetch = x.first_mentions_fetch(None, clock.now() - Duration::days(1));

        sim.inject_fault(&page_id, Fault::RateLimited, Some(1));
        let limited = x.fetch_mentions(&fetch, None).await.expect_err("429");
        assert!(
            matches!(&limited, PlatformError::RateLimited { retry_after: Some(wait), usage, .. } if *wait == std::time::Duration::from_secs(15 * 60) && usage.contains("x-rate-limit-remaining: 0")),
            "got {limited:?}"
        );
        sim.inject_fault(&page_id, Fault::TokenExpired, Some(1));
        let expired = x.fetch_mentions(&fetch, None).await.expect_err("401");
        assert!(
            matches!(expired, PlatformError::Unauthorized { .. }),
            "got {expired:?}"
        );
        sim.inject_fault(&page_id, Fault::ServerError, Some(1));
        let down = x.fetch_mentions(&fetch, None).await.expect_err("503");
        assert!(
            matches!(down, PlatformError::Transient { .. }),
            "got {down:?}"
        );
        sim.inject_fault(&page_id, Fault::MalformedJson, Some(1));
        let cut = x.fetch_mentions(&fetch, None).await.expect_err("cut off");
        assert!(
            matches!(cut, PlatformError::Malformed { .. }),
            "got {cut:?}"
        );

        let faults: Vec<Option<String>> = sim.calls().into_iter().map(|c| c.fault).collect();
        assert_eq!(
            faults,
            [
                Some("rate_limited"),
                Some("token_expired"),
                Some("server_error"),
                Some("malformed_json")
            ]
            .map(|f| f.map(String::from))
        );
    }

    #[tokio::test]
    async fn the_simulator_refuses_the_51st_hide_in_15_minutes_like_x() {
        let (sim, clock, x) = simulated_x().await;
        let page = x
            .fetch_mentions(
                &x.first_mentions_fetch(None, clock.now() - Duration::days(1)),
                None,
            )
            .await
            .expect("mentions");
        let id = &page.comments[0].platform_id;
        let url = format!("{}/x/2/tweets/{id}/hidden", sim.base_url());
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for _ in 0..51 {
            let response = client
                .put(&url)
                .bearer_auth("sim-user-token")
                .json(&json!({ "hidden": true }))
                .send()
                .await
                .expect("answer");
            statuses.push((
                response.status().as_u16(),
                response.headers().get("x-rate-limit-reset").cloned(),
                response.text().await.expect("body"),
            ));
        }
        assert!(statuses[..50].iter().all(|(status, _, _)| *status == 200));
        let (status, reset, body) = &statuses[50];
        assert_eq!((*status, body.as_str()), (429, "Too Many Requests"));
        let reset: i64 = reset
            .as_ref()
            .expect("reset header")
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(reset, (clock.now() + Duration::minutes(15)).timestamp());
    }

    #[tokio::test]
    async fn a_malformed_item_is_rejected_and_a_repeating_cursor_repeats_the_first_page() {
        let (sim, clock, x) = simulated_x().await;
        let page_id = sim.pages()[0].id.clone();
        let fetch = x.first_mentions_fetch(None, clock.now() - Duration::days(1));
        let whole = x.fetch_mentions(&fetch, None).await.expect("mentions");

        sim.inject_fault(&page_id, Fault::MalformedItem, Some(1));
        let corrupt = x.fetch_mentions(&fetch, None).await.expect("page survives");
        assert_eq!(corrupt.rejected.len(), 1);
        assert_eq!(corrupt.comments.len(), whole.comments.len() - 1);

        let url = format!(
            "{}/x/2/users/{page_id}/mentions?max_results=5",
            sim.base_url()
        );
        let read = super::super::calls::get_json;
        let first = read(url.clone()).await;
        let token = first["meta"]["next_token"]
            .as_str()
            .expect("more than five");
        let second = read(format!("{url}&pagination_token={token}")).await;
        sim.inject_fault(&page_id, Fault::RepeatingCursor, Some(1));
        let repeated = read(format!("{url}&pagination_token={token}")).await;

        assert_ne!(second["data"][0]["id"], first["data"][0]["id"]);
        assert_eq!(repeated["data"], first["data"]);
        assert_eq!(repeated["meta"]["next_token"], first["meta"]["next_token"]);
    }
}
