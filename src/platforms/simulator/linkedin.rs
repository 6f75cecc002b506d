//! The simulator's LinkedIn Community Management API routes, nested under
//! `/linkedin`, over the same simulated accounts as the Graph routes: a
//! page is an organisation (`urn:li:organization:{page id}`), its posts are
//! shares (`urn:li:share:{post id}`), its comments have the URN
//! `urn:li:comment:(urn:li:activity:{post id},{comment id})`.
//!
//! - `GET /linkedin/rest/posts?author=…&q=author&start=…&count=…` lists the
//!   organisation's posts, newest first;
//! - `GET /linkedin/rest/socialActions/{urn}/comments?start=…&count=…`
//!   lists the comments on a post (or the replies to a comment), oldest
//!   first;
//! - `GET` and `DELETE /linkedin/rest/socialActions/{urn}/comments/{id}`
//!   read and delete one comment;
//! - `GET /linkedin/rest/organizations/{id}` reads the organisation's name,
//!   description and website (the account's profile);
//! - `POST /linkedin/oauth/v2/accessToken` is a fake token endpoint that
//!   rotates refresh tokens, as LinkedIn's does.
//!
//! Every API request needs `LinkedIn-Version: YYYYMM`; a version more than
//! a year older than the simulated day is refused with 426, as LinkedIn
//! refuses sunset versions. Faults answer with LinkedIn's bodies: 429
//! `TOO_MANY_REQUESTS`, 401 `EXPIRED_ACCESS_TOKEN`, 500.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::bearer::{Call, Reply, Shaping, has_bearer, pairs, param, token_grant};
use super::{Fault, ListedComment, SimState};

const ORGANIZATION_PREFIX: &str = "urn:li:organization:";
const SHARE_PREFIX: &str = "urn:li:share:";
const ACTIVITY_PREFIX: &str = "urn:li:activity:";
/// Items per page unless `count` says otherwise.
const DEFAULT_COUNT: usize = 10;
/// The largest `count` served.
const MAX_COUNT: usize = 100;

type SimRef = State<Arc<SimState>>;

/// The routes, to be nested under `/linkedin`.
pub(super) fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/rest/posts", get(posts))
        .route("/rest/organizations/{id}", get(organization))
        .route("/rest/socialActions/{target}/comments", get(comments))
        .route(
            "/rest/socialActions/{target}/comments/{id}",
            get(read_comment).delete(delete_comment),
        )
        .route("/oauth/v2/accessToken", post(token))
        .with_state(state)
}

/// The organisation with its description and website as
/// `MultiLocaleString`s in Swedish; an unknown id is LinkedIn's 404.
async fn organization(
    State(sim): SimRef,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let page_id = sim.page(&id).map(|page| page.id.clone());
    let (call, shaping) = match admit(&sim, Method::GET, &uri, &headers, page_id, None).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let reply = match sim.page(&id).zip(sim.profile(&id)) {
        Some((page, profile)) => {
            let locale = json!({"country": "SE", "language": "sv"});
            let mut body = json!({
                "id": id.parse::<u64>().unwrap_or_default(),
                "localizedName": page.name,
                "name": {"localized": {"sv_SE": page.name}, "preferredLocale": locale},
            });
            if let Some(description) = profile.description {
                body["localizedDescription"] = json!(description);
                body["description"] =
                    json!({"localized": {"sv_SE": description}, "preferredLocale": locale});
            }
            if let Some(website) = profile.website {
                body["localizedWebsite"] = json!(website);
                body["website"] =
                    json!({"localized": {"sv_SE": website}, "preferredLocale": locale});
            }
            Reply::ok(body)
        }
        None => linkedin_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            0,
            &format!("Organization {id} does not exist"),
        ),
    };
    call.finish(reply, None, shaping.truncate)
}

async fn token(State(sim): SimRef, uri: Uri, body: Bytes) -> Response {
    token_grant(&sim, "linkedin", &uri, &body, true)
}

/// LinkedIn's error body.
fn linkedin_error(status: StatusCode, code: &str, service_code: u32, message: &str) -> Reply {
    Reply::json(
        status,
        json!({
            "status": status.as_u16(),
            "serviceErrorCode": service_code,
            "code": code,
            "message": message,
        }),
    )
}

fn fault_reply(fault: Fault, _earlier: u32) -> Option<Reply> {
    match fault {
        Fault::RateLimited => Some(linkedin_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_REQUESTS",
            101,
            "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
        )),
        Fault::AppRateLimited => Some(linkedin_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_REQUESTS",
            101,
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
        )),
        Fault::TokenExpired => Some(linkedin_error(
            StatusCode::UNAUTHORIZED,
            "EXPIRED_ACCESS_TOKEN",
            65602,
            "The token used in the request has expired",
        )),
        Fault::ServerError => Some(linkedin_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            0,
            "Internal Server Error",
        )),
        _ => None,
    }
}

/// Logs the request and checks token, version and the page's fault.
async fn admit(
    sim: &Arc<SimState>,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    page_id: Option<String>,
    comment_id: Option<String>,
) -> Result<(Call, Shaping), Response> {
    let not_applied = comment_id.is_some().then_some(false);
    let mut call = Call::begin(
        sim,
        "linkedin",
        &method,
        uri,
        String::new(),
        page_id,
        comment_id,
    );
    if !has_bearer(headers) {
        let reply = linkedin_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_ACCESS_TOKEN",
            65600,
            "Invalid access token",
        );
        return Err(call.finish(reply, not_applied, false));
    }
    if let Err(reply) = check_version(sim, headers) {
        return Err(call.finish(reply, not_applied, false));
    }
    match call.admit(fault_reply).await {
        Ok(shaping) => Ok((call, shaping)),
        Err(reply) => Err(call.finish(reply, not_applied, false)),
    }
}

/// `LinkedIn-Version` must be `YYYYMM` and at most a year old.
fn check_version(sim: &SimState, headers: &HeaderMap) -> Result<(), Reply> {
    let version = headers
        .get("linkedin-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Ok(sunset) = crate::domain::linkedin_version::version_sunset(version) else {
        return Err(linkedin_error(
            StatusCode::BAD_REQUEST,
            "VERSION_MISSING",
            0,
            "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
        ));
    };
    if sim.now().date_naive() >= sunset {
        return Err(linkedin_error(
            StatusCode::UPGRADE_REQUIRED,
            "NONEXISTENT_VERSION",
            0,
            &format!("Requested version {version} is not active"),
        ));
    }
    Ok(())
}

async fn posts(State(sim): SimRef, uri: Uri, headers: HeaderMap) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let page_id = param(&query, "author")
        .and_then(|author| author.strip_prefix(ORGANIZATION_PREFIX))
        .map(str::to_string);
    let (call, shaping) =
        match admit(&sim, Method::GET, &uri, &headers, page_id.clone(), None).await {
            Ok(admitted) => admitted,
            Err(response) => return response,
        };
    let Some(posts) = page_id.as_deref().and_then(|p| sim.published_posts(p)) else {
        let reply = linkedin_error(
            StatusCode::FORBIDDEN,
            "ACCESS_DENIED",
            100,
            "Not enough permissions to access: partnerApiPostsExternal.FINDER-author",
        );
        return call.finish(reply, None, false);
    };
    let elements: Vec<Value> = posts
        .iter()
        .rev()
        .map(|listed| {
            let millis = listed.post.created_at.timestamp_millis();
            json!({
                "id": format!("{SHARE_PREFIX}{}", listed.post.id),
                "author": format!("{ORGANIZATION_PREFIX}{}", listed.post.id.split('_').next().unwrap_or_default()),
                "commentary": listed.post.message,
                "createdAt": millis,
                "publishedAt": millis,
                "lastModifiedAt": millis,
                "lifecycleState": "PUBLISHED",
                "visibility": "PUBLIC",
            })
        })
        .collect();
    let reply = page_of(elements, &query, shaping, "publishedAt").unwrap_or_else(|reply| reply);
    call.finish(reply, None, shaping.truncate)
}

async fn comments(
    State(sim): SimRef,
    Path(target): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = pairs(uri.query().unwrap_or_default());
    let listing = Target::read(&target);
    let page_id = listing.as_ref().and_then(|t| sim.page_id_of(t.object_id()));
    let (call, shaping) = match admit(&sim, Method::GET, &uri, &headers, page_id, None).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    // Every comment on the post, for the reply counts; then the ones
    // this listing shows.
    let post = match &listing {
        Some(Target::Post(post)) => Some(post.clone()),
        Some(Target::Comment(parent)) => sim.visible_comment(parent).map(|c| c.comment.post_id),
        None => None,
    };
    let Some(all) = post.and_then(|post| sim.comments_on(&post)) else {
        let reply = linkedin_error(StatusCode::NOT_FOUND, "NOT_FOUND", 0, "Not Found");
        return call.finish(reply, None, false);
    };
    let parent = match &listing {
        Some(Target::Comment(parent)) => Some(parent.as_str()),
        _ => None,
    };
    let listed: Vec<ListedComment> = all
        .iter()
        .filter(|c| c.comment.parent_id.as_deref() == parent)
        .cloned()
        .collect();
    let elements: Vec<Value> = listed.iter().map(|c| comment_json(c, &all)).collect();
    let reply = page_of(elements, &query, shaping, "created").unwrap_or_else(|reply| reply);
    call.finish(reply, None, shaping.truncate)
}

async fn read_comment(
    State(sim): SimRef,
    Path((target, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let page_id = sim.page_id_of(&id);
    let (call, shaping) = match admit(&sim, Method::GET, &uri, &headers, page_id, None).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let reply = match sim.visible_comment(&id).filter(|c| belongs_to(c, &target)) {
        Some(comment) => Reply::ok(comment_json(&comment, &[])),
        None => linkedin_error(StatusCode::NOT_FOUND, "NOT_FOUND", 0, "Not Found"),
    };
    call.finish(reply, None, shaping.truncate)
}

async fn delete_comment(
    State(sim): SimRef,
    Path((target, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let page_id = sim.page_id_of(&id);
    let (call, shaping) = match admit(
        &sim,
        Method::DELETE,
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
    let query = pairs(uri.query().unwrap_or_default());
    if param(&query, "actor").is_none_or(|actor| !actor.starts_with(ORGANIZATION_PREFIX)) {
        let reply = linkedin_error(
            StatusCode::FORBIDDEN,
            "ACCESS_DENIED",
            100,
            "Not enough permissions to access: partnerApiSocialActions.DELETE",
        );
        return call.finish(reply, Some(false), false);
    }
    let exists = sim
        .visible_comment(&id)
        .is_some_and(|c| belongs_to(&c, &target));
    let applied = exists && sim.delete(&id);
    let reply = if applied {
        Reply::no_content()
    } else {
        linkedin_error(StatusCode::NOT_FOUND, "NOT_FOUND", 0, "Not Found")
    };
    call.finish(reply, Some(applied), shaping.truncate)
}

/// What a `socialActions/{urn}` names.
enum Target {
    /// A post (`urn:li:share:…` or `urn:li:activity:…`): its comments.
    Post(String),
    /// A comment (`urn:li:comment:(…,id)`): its replies.
    Comment(String),
}

impl Target {
    fn read(urn: &str) -> Option<Self> {
        if let Some(post) = urn
            .strip_prefix(SHARE_PREFIX)
            .or_else(|| urn.strip_prefix(ACTIVITY_PREFIX))
        {
            return Some(Target::Post(post.to_string()));
        }
        let inner = urn.strip_prefix("urn:li:comment:(")?.strip_suffix(')')?;
        let (_, id) = inner.rsplit_once(',')?;
        Some(Target::Comment(id.to_string()))
    }

    fn object_id(&self) -> &str {
        match self {
            Target::Post(id) | Target::Comment(id) => id,
        }
    }
}

/// Whether `comment` is under the activity `target` names.
fn belongs_to(comment: &ListedComment, target: &str) -> bool {
    target
        .strip_prefix(ACTIVITY_PREFIX)
        .or_else(|| target.strip_prefix(SHARE_PREFIX))
        .is_some_and(|post| post == comment.comment.post_id)
}

/// `urn:li:comment:(urn:li:activity:{post},{id})`.
fn comment_urn(listed: &ListedComment) -> String {
    format!(
        "urn:li:comment:({ACTIVITY_PREFIX}{},{})",
        listed.comment.post_id, listed.comment.id
    )
}

fn comment_json(listed: &ListedComment, all: &[ListedComment]) -> Value {
    let comment = &listed.comment;
    let actor = if comment.author_id == comment.page_id {
        format!("{ORGANIZATION_PREFIX}{}", comment.page_id)
    } else {
        format!("urn:li:person:{}", comment.author_id)
    };
    let millis = comment.created_at.timestamp_millis();
    let replies = all
        .iter()
        .filter(|c| c.comment.parent_id.as_deref() == Some(comment.id.as_str()))
        .count();
    let mut value = json!({
        "actor": actor,
        "commentUrn": comment_urn(listed),
        "$URN": comment_urn(listed),
        "id": comment.id,
        "created": {"actor": actor, "time": millis},
        "lastModified": {"actor": actor, "time": millis},
        "message": {"attributes": [], "text": comment.text},
        "object": format!("{ACTIVITY_PREFIX}{}", comment.post_id),
        "commentsSummary": {
            "selectedComments": [],
            "totalFirstLevelComments": replies,
            "aggregatedTotalComments": replies,
        },
    });
    if let Some(parent) = &comment.parent_id {
        value["parentComment"] = json!(format!(
            "urn:li:comment:({ACTIVITY_PREFIX}{},{parent})",
            comment.post_id
        ));
    }
    if let Some(url) = &comment.attachment_url {
        value["content"] = json!([{"type": "IMAGE", "url": url}]);
    }
    value
}

/// One page by `start` and `count`, with LinkedIn's `paging`; `time_field`
/// is broken in the first element when the fault asks.
fn page_of(
    elements: Vec<Value>,
    query: &[(String, String)],
    shaping: Shaping,
    time_field: &str,
) -> Result<Reply, Reply> {
    let number = |name: &str, default: usize| -> Result<usize, Reply> {
        param(query, name).map_or(Ok(default), |text| {
            text.parse().map_err(|_| {
                linkedin_error(
                    StatusCode::BAD_REQUEST,
                    "ILLEGAL_ARGUMENT",
                    0,
                    &format!("Invalid value for {name}"),
                )
            })
        })
    };
    let count = number("count", DEFAULT_COUNT)?.clamp(1, MAX_COUNT);
    let start = if shaping.repeat_first_page {
        0
    } else {
        number("start", 0)?
    };
    let total = elements.len();
    let mut page: Vec<Value> = elements.into_iter().skip(start).take(count).collect();
    if shaping.corrupt_first_item
        && let Some(first) = page.first_mut()
    {
        first[time_field] = json!("not a time");
    }
    let mut links = Vec::new();
    if shaping.repeat_first_page || start + count < total {
        links.push(json!({"type": "application/json", "rel": "next", "href": format!("?start={}&count={count}", start + count)}));
    }
    Ok(Reply::ok(json!({
        "paging": {"start": start, "count": count, "links": links, "total": total},
        "elements": page,
    })))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::clock::Clock;
    use crate::domain::{ModerationState, PlatformKind};
    use crate::platforms::linkedin::{LinkedinPage, LinkedinSettings};
    use crate::platforms::simulator::bearer::tests::{crawl, planted_ids, simulator, tokens};
    use crate::platforms::simulator::{Fault, SimulatorHandle};
    use crate::platforms::test_support::archived;
    use crate::platforms::{Cursors, Platform, PlatformError};

    fn connector(
        sim: &SimulatorHandle,
        clock: std::sync::Arc<crate::clock::ManualClock>,
        dir: &tempfile::TempDir,
        version: &str,
    ) -> LinkedinPage {
        let base = format!("{}/linkedin", sim.base_url());
        LinkedinPage::new(
            LinkedinSettings {
                api_base_url: base.clone(),
                organization_urn: format!("urn:li:organization:{}", sim.pages()[0].id),
                version: version.into(),
                request_timeout: std::time::Duration::from_secs(5),
            },
            tokens(
                dir,
                format!("{base}/oauth/v2/accessToken"),
                "sim-refresh",
                clock.clone(),
            ),
            clock,
            reqwest::Client::new(),
        )
        .expect("connector")
    }

    #[tokio::test]
    async fn the_linkedin_connector_lists_every_planted_comment_and_deletes_one() {
        let (sim, clock) = simulator().await;
        let dir = tempfile::tempdir().expect("dir");
        let linkedin = connector(&sim, clock.clone(), &dir, "202611");
        let since = clock.now() - chrono::TimeDelta::days(30);

        let (comments, cursors) = crawl(&linkedin, &Cursors::new(), since)
            .await
            .expect("crawl");
        let listed: BTreeSet<String> = comments
            .iter()
            .filter_map(|c| {
                c.platform_id
                    .strip_suffix(')')
                    .and_then(|u| u.rsplit_once(','))
                    .map(|(_, id)| id.to_string())
            })
            .collect();
        assert_eq!(listed, planted_ids(&sim, clock.now()));
        assert!(cursors.keys().any(|k| k.starts_with("comments:")));

        let target = &comments[0];
        let (_archive, receipt) = archived(target, PlatformKind::Linkedin);
        linkedin.delete(&receipt).await.expect("deleted");
        let id = listed
            .iter()
            .find(|id| target.platform_id.contains(id.as_str()))
            .expect("id");
        assert!(sim.comment_state(id).expect("state").deleted);
        assert_eq!(
            linkedin
                .moderation_state(&target.platform_id)
                .await
                .expect("state"),
            ModerationState::Removed
        );
        // The refresh token was rotated and written back.
        let stored = std::fs::read_to_string(dir.path().join("refresh-token")).expect("file");
        assert!(stored.contains("sim-refresh-token-"), "{stored}");
    }

    #[tokio::test]
    async fn the_simulated_throttle_and_a_sunset_version_answer_as_linkedin_does() {
        let (sim, clock) = simulator().await;
        let dir = tempfile::tempdir().expect("dir");
        let linkedin = connector(&sim, clock.clone(), &dir, "202611");
        sim.inject_fault(&sim.pages()[0].id, Fault::RateLimited, Some(1));

        let error = crawl(&linkedin, &Cursors::new(), clock.now())
            .await
            .expect_err("429");
        assert!(
            matches!(&error, PlatformError::RateLimited { usage, .. } if usage.contains("TOO_MANY_REQUESTS")),
            "{error:?}"
        );

        // The simulation runs in November 2026: 202510 was sunset in October.
        let old = connector(&sim, clock.clone(), &dir, "202510");
        let error = crawl(&old, &Cursors::new(), clock.now())
            .await
            .expect_err("426");
        assert!(
            matches!(&error, PlatformError::Permanent { detail } if detail.contains("202510")),
            "{error:?}"
        );
    }
}
