//! X connector (API v2): the replies and mentions that reach one account,
//! and hiding replies in the conversations the account started.
//!
//! # Which calls, and why these
//!
//! One listing, `mentions`: `GET /2/users/{id}/mentions` with `since_id`.
//! On X a reply always mentions the author of the post it answers, so this
//! one timeline holds the replies to the account's posts *and* the posts
//! elsewhere that name the account; a steady-state run is one call. The
//! alternatives cost more for less: recent search
//! (`to:{username} OR @{username}`, or `conversation_id:{id}` per post)
//! reaches back only seven days and needs one query per conversation to do
//! better than the timeline, and `GET /2/users/{id}/tweets` would add a call
//! per run only to learn the posts, which the timeline already brings:
//! `expansions=referenced_tweets.id` includes the posts the replies answer,
//! and those of the account that start a conversation become
//! [`FetchedPost`]s.
//!
//! What the timeline misses: a reply deep in a thread whose writer removed
//! the account's handle. Such replies mention nobody the account follows up
//! on, and the account's moderators do not see them in X's notifications
//! either.
//!
//! # Cursor and paging
//!
//! The cursor is `since_id`, the newest post id seen. X pages newest first
//! (`meta.next_token`), so the cursor may only move once the last page of a
//! run has been read: the first page's `meta.newest_id` travels in the page
//! state of every later [`MentionsFetch`] and becomes the cursor with the
//! last page. A run that fails half-way therefore reads the same range again
//! next time instead of skipping its older half. With no cursor yet, the
//! look-back bound is sent as `start_time`.
//!
//! # Moderation
//!
//! - Hide is `PUT /2/tweets/{id}/hidden` with `{"hidden": true}`, and only
//!   for replies in conversations the account started. A comment counts as
//!   such when it answers the conversation's first post
//!   (`referenced_tweets` `replied_to` = `conversation_id`) and that post
//!   is the account's (`in_reply_to_user_id`). Deeper replies carry nothing
//!   that names the conversation's author, so they are not offered for
//!   hiding; like mentions elsewhere, they go to a person.
//! - X allows 50 hide or unhide calls per 15 minutes per user. The
//!   connector counts them ([`HideBudget`]) and answers
//!   [`PlatformError::RateLimited`] instead of making a 51st call; the
//!   calls spent can be read and handed to a new connector, so the count can
//!   outlive a restart.
//! - Another user's post cannot be deleted through the API.
//! - The hidden state of a reply cannot be read back: v2 has no field for
//!   it. [`XAccount::moderation_state`] therefore tells only whether the
//!   post still exists ([`ModerationState::Removed`] when X reports it
//!   gone) and otherwise answers [`ModerationState::Unknown`]; hiding an
//!   already hidden reply succeeds, so repeating a hide whose outcome is
//!   unknown is safe.
//!
//! # Errors
//!
//! Failed calls answer with problem details
//! (`{"title","detail","type":"https://api.twitter.com/2/problems/…",
//! "status"}`), except the 429, whose body is the plain text `Too Many
//! Requests`; its `x-rate-limit-reset` header (epoch seconds) gives the
//! wait. A 200 can carry `{"errors":[…]}` beside `data`: each such error is
//! handed over as a rejected item and the valid posts are kept.
//!
//! The token travels only in the `Authorization: Bearer` header and is
//! scrubbed from every error detail.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::archive::ArchiveReceipt;
use crate::clock::Clock;
use crate::domain::{
    AccountProfile, Capabilities, FetchedComment, FetchedPost, HiddenItem, ModerationAction,
    ModerationState, PlatformKind, ProfileItem,
};
use crate::platforms::budget::{Costs, Usage, UsageMeter, UsageScope};
use crate::platforms::transport::{self, Answer, url_with_segments, versioned_base_url};
use crate::platforms::{Cursor, Cursors, Fetch, Harvest, Platform, PlatformError, RejectedItem};

/// The listing (and cursor key) of the mentions timeline.
pub const MENTIONS_LISTING: &str = "mentions";
/// Fields asked for on every post, included ones too.
const TWEET_FIELDS: &str =
    "conversation_id,created_at,author_id,in_reply_to_user_id,referenced_tweets";
/// Authors of the listed posts, and the posts they answer.
const EXPANSIONS: &str = "author_id,referenced_tweets.id";
/// Fields asked for on each expanded author.
const USER_FIELDS: &str = "username,name";
/// The account's profile fields the daily checks read (user object,
/// docs.x.com/x-api/fundamentals/data-dictionary, "User").
const PROFILE_FIELDS: &str = "description,url,entities";
/// What an X profile does not have: fields for e-mail or phone.
pub const HIDDEN_ITEMS: &[HiddenItem] = &[HiddenItem {
    item: ProfileItem::Contact,
    reason: "X-profiler har inga fält för e-post eller telefon",
}];
/// The most posts X returns per page.
const PAGE_SIZE: &str = "100";
/// X's limit on hide and unhide calls per user.
pub const HIDE_CALLS_PER_WINDOW: usize = 50;
/// The window X counts hide calls in.
pub const HIDE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The rate-limit headers X sends with every answer.
const RATE_LIMIT_HEADERS: [(&str, &str); 3] = [
    ("x-rate-limit-limit", "x-rate-limit-limit"),
    ("x-rate-limit-remaining", "x-rate-limit-remaining"),
    ("x-rate-limit-reset", "x-rate-limit-reset"),
];

/// Everything needed to talk to one X account.
#[derive(Clone)]
pub struct XSettings {
    /// Scheme and host of the API, e.g. `https://api.x.com`; points at the
    /// simulator or a test server in demos and tests.
    pub api_base_url: String,
    /// The version path segment, `2`.
    pub api_version: String,
    /// The account's numeric user id, whose mentions are read.
    pub user_id: String,
    /// A user access token with `tweet.read`, `users.read` and
    /// `tweet.moderate.write`; sent only as a bearer header.
    pub token: SecretString,
    /// How long one request may take, body included.
    pub request_timeout: Duration,
    /// When the account's recent hide calls were made (from an earlier
    /// connector), so a restart does not reset X's 15-minute count.
    pub hide_calls_spent: Vec<DateTime<Utc>>,
    /// The time source for the hide budget and rate-limit waits.
    pub clock: Arc<dyn Clock>,
}

/// Where one call of the mentions listing starts. Opaque to the pipeline;
/// written and read only here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionsFetch {
    /// X's `next_token` of the previous page; `None` for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
    /// The newest post id of this run's first page: the cursor once the last
    /// page has been read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_id: Option<String>,
    /// The look-back bound, for a listing that has no cursor yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<DateTime<Utc>>,
}

impl MentionsFetch {
    /// The page state as the text a `Fetch` carries.
    pub fn encode(&self) -> String {
        transport::encode_state(self)
    }

    /// Reads a page state written by [`Self::encode`].
    pub fn decode(text: &str) -> Result<Self, PlatformError> {
        transport::decode_state(text, "X")
    }
}

/// X's count of hide and unhide calls: at most
/// [`HIDE_CALLS_PER_WINDOW`] in any [`HIDE_WINDOW`].
#[derive(Debug, Default)]
pub struct HideBudget {
    spent: Mutex<VecDeque<DateTime<Utc>>>,
}

impl HideBudget {
    /// A budget that already spent the calls made at `spent`.
    pub fn new(spent: impl IntoIterator<Item = DateTime<Utc>>) -> Self {
        let mut spent: Vec<_> = spent.into_iter().collect();
        spent.sort_unstable();
        Self {
            spent: Mutex::new(spent.into()),
        }
    }

    /// Takes one call from the budget at `now`, or says how long until one
    /// is free again.
    fn spend(&self, now: DateTime<Utc>) -> Result<(), PlatformError> {
        let mut spent = self.spent.lock().unwrap_or_else(PoisonError::into_inner);
        let window = chrono::Duration::from_std(HIDE_WINDOW).unwrap_or(chrono::Duration::MAX);
        while spent.front().is_some_and(|&at| at + window <= now) {
            spent.pop_front();
        }
        if spent.len() < HIDE_CALLS_PER_WINDOW {
            spent.push_back(now);
            return Ok(());
        }
        let free_at = spent.front().map_or(now, |&oldest| oldest + window);
        Err(PlatformError::RateLimited {
            retry_after: (free_at - now).to_std().ok(),
            usage: format!(
                "{} hide calls in the last 15 minutes; X allows {HIDE_CALLS_PER_WINDOW} per user",
                spent.len()
            ),
            scope: UsageScope::Account,
        })
    }

    /// Adds calls an earlier process made (read from the store after a
    /// restart); a call already counted is not counted twice.
    pub fn restore(&self, calls: &[DateTime<Utc>]) {
        let mut spent = self.spent.lock().unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<DateTime<Utc>> = spent.iter().copied().collect();
        all.extend(calls.iter().filter(|at| !spent.contains(*at)));
        all.sort_unstable();
        *spent = all.into();
    }

    /// When the calls still inside the window were made, oldest first.
    pub fn spent(&self) -> Vec<DateTime<Utc>> {
        let spent = self.spent.lock().unwrap_or_else(PoisonError::into_inner);
        spent.iter().copied().collect()
    }
}

/// The connection to one X account through API v2.
pub struct XAccount {
    versioned_base: Url,
    user_id: String,
    token: SecretString,
    request_timeout: Duration,
    client: reqwest::Client,
    clock: Arc<dyn Clock>,
    hides: HideBudget,
    meter: UsageMeter,
}

impl std::fmt::Debug for XAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XAccount")
            .field("versioned_base", &self.versioned_base.as_str())
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// `{"data":[…],"includes":{…},"errors":[…],"meta":{…}}`, every item kept
/// as its raw bytes.
#[derive(Deserialize)]
struct WireTimeline {
    #[serde(default)]
    data: Vec<Box<RawValue>>,
    #[serde(default)]
    includes: WireIncludes,
    #[serde(default)]
    errors: Vec<Box<RawValue>>,
    meta: Option<WireMeta>,
}

#[derive(Deserialize, Default)]
struct WireIncludes {
    #[serde(default)]
    users: Vec<WireUser>,
    #[serde(default)]
    tweets: Vec<Box<RawValue>>,
}

#[derive(Deserialize)]
struct WireMeta {
    newest_id: Option<String>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
struct WireUser {
    id: String,
    name: Option<String>,
    username: Option<String>,
}

#[derive(Deserialize)]
struct WireTweet {
    id: String,
    text: String,
    created_at: String,
    author_id: Option<String>,
    conversation_id: Option<String>,
    #[serde(default)]
    referenced_tweets: Vec<WireReference>,
}

/// Only what [`XAccount::capabilities`] needs, read leniently.
#[derive(Deserialize)]
struct WireThreadPosition {
    conversation_id: Option<String>,
    in_reply_to_user_id: Option<String>,
    author_id: Option<String>,
    #[serde(default)]
    referenced_tweets: Vec<WireReference>,
}

#[derive(Deserialize)]
struct WireReference {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

/// `{"title","detail","type","status"}` (RFC 7807), also the shape of each
/// entry of a 200's `errors`.
#[derive(Deserialize)]
struct WireProblem {
    title: Option<String>,
    detail: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    reason: Option<String>,
}

/// The answer to hide and unhide.
#[derive(Deserialize)]
struct WireHiddenAnswer {
    data: WireHidden,
}

#[derive(Deserialize)]
struct WireHidden {
    hidden: bool,
}

/// `GET /2/users/{id}`: the user, or errors saying there is none.
#[derive(Deserialize)]
struct WireUserLookup {
    data: Option<WireProfileUser>,
    #[serde(default)]
    errors: Vec<WireProblem>,
}

/// The user with `description`, `url` and the `entities` X parsed from
/// them: `url` and the links in the description are `t.co` links whose
/// targets are the entities' `expanded_url`.
#[derive(Deserialize)]
struct WireProfileUser {
    name: Option<String>,
    description: Option<String>,
    url: Option<String>,
    #[serde(default)]
    entities: WireUserEntities,
}

#[derive(Deserialize, Default)]
struct WireUserEntities {
    #[serde(default)]
    url: WireUrlEntities,
    #[serde(default)]
    description: WireUrlEntities,
}

#[derive(Deserialize, Default)]
struct WireUrlEntities {
    #[serde(default)]
    urls: Vec<WireUrlEntity>,
}

#[derive(Deserialize)]
struct WireUrlEntity {
    url: String,
    expanded_url: Option<String>,
}

impl WireProfileUser {
    /// The profile with every `t.co` link replaced by its target, in the
    /// text as among the links.
    fn into_profile(self) -> AccountProfile {
        let mut profile = AccountProfile {
            name: self.name,
            hidden: HIDDEN_ITEMS.to_vec(),
            ..AccountProfile::default()
        };
        let expanded = |entity: &WireUrlEntity| {
            entity
                .expanded_url
                .clone()
                .unwrap_or_else(|| entity.url.clone())
        };
        let mut description = self.description;
        for entity in &self.entities.description.urls {
            if let Some(text) = description.as_mut() {
                *text = text.replace(&entity.url, &expanded(entity));
            }
            profile.push_link(Some(expanded(entity)));
        }
        profile.push_text("description", description);
        match self.entities.url.urls.first() {
            Some(entity) => profile.push_link(Some(expanded(entity))),
            None => profile.push_link(self.url),
        }
        profile
    }
}

/// `GET /2/tweets/{id}`: the post, or errors saying it is gone.
#[derive(Deserialize)]
struct WireLookup {
    data: Option<Box<RawValue>>,
    #[serde(default)]
    errors: Vec<WireProblem>,
}

#[derive(Serialize)]
struct HiddenRequest {
    hidden: bool,
}

impl XAccount {
    /// Builds the connector, refusing a base URL, version or user id that
    /// cannot form an X API address, so a bad configuration fails at start-up.
    pub fn new(settings: XSettings, client: reqwest::Client) -> Result<Self, PlatformError> {
        let versioned_base =
            versioned_base_url(&settings.api_base_url, &settings.api_version, "X API")?;
        check_numeric_id(&settings.user_id, "user id")?;
        Ok(Self {
            versioned_base,
            user_id: settings.user_id,
            token: settings.token,
            request_timeout: settings.request_timeout,
            client,
            meter: UsageMeter::new(settings.clock.clone()),
            clock: settings.clock,
            hides: HideBudget::new(settings.hide_calls_spent),
        })
    }

    /// Whether the post answers the first post of a conversation, and that
    /// post is the account's.
    fn is_reply_in_own_conversation(&self, raw: &str) -> bool {
        let Ok(position) = serde_json::from_str::<WireThreadPosition>(raw) else {
            return false;
        };
        let Some(conversation) = position.conversation_id else {
            return false;
        };
        position.author_id.as_deref() != Some(self.user_id.as_str())
            && position.in_reply_to_user_id.as_deref() == Some(self.user_id.as_str())
            && position
                .referenced_tweets
                .iter()
                .any(|r| r.kind == "replied_to" && r.id == conversation)
    }

    /// The first call of a run: from the stored `since_id`, or with the
    /// look-back bound when there is none yet.
    pub fn first_mentions_fetch(
        &self,
        since_id: Option<&str>,
        since: DateTime<Utc>,
    ) -> MentionsFetch {
        MentionsFetch {
            start_time: since_id.is_none().then_some(since),
            ..MentionsFetch::default()
        }
    }

    /// Reads one page of the mentions timeline.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "x", user_id = %self.user_id))]
    pub async fn fetch_mentions(
        &self,
        fetch: &MentionsFetch,
        since_id: Option<&str>,
    ) -> Result<Harvest, PlatformError> {
        let url = url_with_segments(&self.versioned_base, &["users", &self.user_id, "mentions"])?;
        let mut query = vec![
            ("tweet.fields", TWEET_FIELDS.to_string()),
            ("expansions", EXPANSIONS.to_string()),
            ("user.fields", USER_FIELDS.to_string()),
            ("max_results", PAGE_SIZE.to_string()),
        ];
        match (since_id, fetch.start_time) {
            (Some(since_id), _) => query.push(("since_id", since_id.to_string())),
            (None, Some(start)) => query.push((
                "start_time",
                start.to_rfc3339_opts(SecondsFormat::Secs, true),
            )),
            (None, None) => {}
        }
        if let Some(token) = &fetch.pagination_token {
            query.push(("pagination_token", token.clone()));
        }
        let body = self.execute(self.client.get(url).query(&query)).await?;
        let page = self
            .read_mentions(&body, fetch)
            .map_err(|e| self.redacted(e))?;
        tracing::debug!(
            comments = page.comments.len(),
            posts = page.posts.len(),
            rejected = page.rejected.len(),
            more = !page.more.is_empty(),
            "Listed mentions"
        );
        Ok(page)
    }

    /// Parses a timeline page: every readable post kept, every unreadable
    /// one and every per-item error rejected.
    fn read_mentions(&self, body: &[u8], fetch: &MentionsFetch) -> Result<Harvest, PlatformError> {
        let timeline: WireTimeline =
            serde_json::from_slice(body).map_err(|e| PlatformError::Malformed {
                detail: format!("the mentions timeline is not {{\"data\":[…],\"meta\":…}}: {e}"),
            })?;
        if timeline.meta.is_none() && timeline.data.is_empty() && !timeline.errors.is_empty() {
            return Err(PlatformError::Permanent {
                detail: format!(
                    "X answered the mentions timeline with errors only: {}",
                    describe_item_errors(&timeline.errors)
                ),
            });
        }
        let authors: HashMap<&str, &WireUser> = timeline
            .includes
            .users
            .iter()
            .map(|user| (user.id.as_str(), user))
            .collect();
        let mut page = Harvest::default();
        for raw in timeline.data {
            match comment_from_raw(raw.get(), &authors) {
                Ok(comment_parts) => page.comments.push(comment_parts.with_raw(raw)),
                Err(reason) => page.rejected.push(rejected(&raw, reason)),
            }
        }
        for raw in timeline.includes.tweets {
            match self.conversation_start(raw.get()) {
                Ok(Some(post)) => page.posts.push(post.with_raw(raw)),
                Ok(None) => {}
                Err(reason) => page.rejected.push(rejected(&raw, reason)),
            }
        }
        for raw in timeline.errors {
            let reason = format!(
                "X reported an error for one item: {}",
                describe_item_error(&raw)
            );
            page.rejected.push(rejected(&raw, reason));
        }
        let meta = timeline.meta;
        let newest = fetch
            .newest_id
            .clone()
            .or_else(|| meta.as_ref().and_then(|m| m.newest_id.clone()));
        match meta.and_then(|m| m.next_token).filter(|t| !t.is_empty()) {
            Some(token) => {
                let next = MentionsFetch {
                    pagination_token: Some(token),
                    newest_id: newest,
                    start_time: fetch.start_time,
                };
                page.more.push(Fetch::page(MENTIONS_LISTING, next.encode()));
            }
            None => {
                page.cursors
                    .extend(newest.map(|id| (MENTIONS_LISTING.to_string(), Cursor(id))));
            }
        }
        Ok(page)
    }

    /// An included post that is the account's and starts its conversation.
    fn conversation_start(&self, raw: &str) -> Result<Option<PostParts>, String> {
        let tweet: WireTweet = serde_json::from_str(raw)
            .map_err(|e| format!("an included post is not a post: {e}"))?;
        let starts_conversation = tweet
            .conversation_id
            .as_deref()
            .is_none_or(|c| c == tweet.id);
        if tweet.author_id.as_deref() != Some(self.user_id.as_str()) || !starts_conversation {
            return Ok(None);
        }
        Ok(Some(PostParts {
            permalink: status_url(None, &tweet.id),
            platform_id: tweet.id,
            text: tweet.text,
            created_at: parse_created_at(&tweet.created_at)?,
        }))
    }

    /// Hides a reply, within X's hide budget.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "x", user_id = %self.user_id, comment_id = %id))]
    pub async fn hide_reply(&self, id: &str) -> Result<(), PlatformError> {
        self.set_hidden(id, true).await
    }

    /// Makes a hidden reply visible again, within X's hide budget.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "x", user_id = %self.user_id, comment_id = %id))]
    pub async fn unhide_reply(&self, id: &str) -> Result<(), PlatformError> {
        self.set_hidden(id, false).await
    }

    /// The hide and unhide calls made in the last 15 minutes, for the
    /// pipeline to keep across restarts.
    pub fn hide_calls_spent(&self) -> Vec<DateTime<Utc>> {
        self.hides.spent()
    }

    async fn set_hidden(&self, id: &str, hidden: bool) -> Result<(), PlatformError> {
        check_numeric_id(id, "post id")?;
        let url = url_with_segments(&self.versioned_base, &["tweets", id, "hidden"])?;
        self.hides.spend(self.clock.now())?;
        let body = self
            .execute(self.client.put(url).json(&HiddenRequest { hidden }))
            .await?;
        let answer: WireHiddenAnswer =
            serde_json::from_slice(&body).map_err(|e| PlatformError::Malformed {
                detail: format!(
                    "the answer to hidden={hidden} is not {{\"data\":{{\"hidden\":…}}}}: {e}"
                ),
            })?;
        if answer.data.hidden == hidden {
            Ok(())
        } else {
            Err(PlatformError::Permanent {
                detail: format!(
                    "X answered hidden={} to hidden={hidden}",
                    answer.data.hidden
                ),
            })
        }
    }

    /// Whether the post still exists; its hidden state cannot be read (see
    /// the module documentation).
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "x", user_id = %self.user_id, comment_id = %id))]
    pub async fn read_moderation_state(&self, id: &str) -> Result<ModerationState, PlatformError> {
        check_numeric_id(id, "post id")?;
        let url = url_with_segments(&self.versioned_base, &["tweets", id])?;
        let body = match self.execute(self.client.get(url)).await {
            Ok(body) => body,
            Err(PlatformError::NotFound) => return Ok(ModerationState::Removed),
            Err(e) => return Err(e),
        };
        let lookup: WireLookup = serde_json::from_slice(&body).map_err(|e| {
            self.redacted(PlatformError::Malformed {
                detail: format!("the post lookup is not {{\"data\":…}}: {e}"),
            })
        })?;
        let gone = lookup.data.is_none()
            && lookup.errors.iter().any(|e| {
                e.kind
                    .as_deref()
                    .is_some_and(|k| k.ends_with("/resource-not-found"))
            });
        Ok(if gone {
            ModerationState::Removed
        } else {
            ModerationState::Unknown
        })
    }

    /// The account's bio and website (`GET /2/users/{id}`).
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "x", user_id = %self.user_id))]
    pub async fn read_profile(&self) -> Result<AccountProfile, PlatformError> {
        let url = url_with_segments(&self.versioned_base, &["users", &self.user_id])?;
        let request = self
            .client
            .get(url)
            .query(&[("user.fields", PROFILE_FIELDS)]);
        let body = self.execute(request).await?;
        let lookup: WireUserLookup = serde_json::from_slice(&body).map_err(|e| {
            self.redacted(PlatformError::Malformed {
                detail: format!("the user lookup is not {{\"data\":…}}: {e}"),
            })
        })?;
        match lookup.data {
            Some(user) => Ok(user.into_profile()),
            None => Err(PlatformError::Permanent {
                detail: format!(
                    "X knows no user {}: {}",
                    self.user_id,
                    lookup
                        .errors
                        .iter()
                        .map(describe_problem)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }),
        }
    }

    /// Sends one request and returns the body of a successful answer or the
    /// mapped, redacted error of a failed one.
    async fn execute(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, PlatformError> {
        let answer = transport::send(request, &self.token, self.request_timeout, "X API").await?;
        self.meter.record_x(&answer.headers);
        if answer.status.is_success() {
            Ok(answer.body)
        } else {
            Err(self.redacted(failure_from_answer(&answer, self.clock.now())))
        }
    }

    fn redacted(&self, error: PlatformError) -> PlatformError {
        transport::redacted(error, &self.token)
    }
}

#[async_trait]
impl Platform for XAccount {
    fn costs(&self) -> Costs {
        Costs {
            moderation_window: Some((HIDE_CALLS_PER_WINDOW, HIDE_WINDOW)),
            ..Costs::UNCOUNTED
        }
    }

    fn usage(&self) -> Usage {
        Usage {
            hide_calls: self.hides.spent(),
            readings: self.meter.readings(),
            ..Usage::default()
        }
    }

    fn restore_usage(&self, usage: &Usage) {
        self.hides.restore(&usage.hide_calls);
    }

    fn kind(&self) -> PlatformKind {
        PlatformKind::X
    }

    fn capabilities(&self, comment: &FetchedComment) -> Capabilities {
        Capabilities {
            hide: self.is_reply_in_own_conversation(comment.raw.get()),
            delete: false,
            permalink: true,
        }
    }

    fn verb(&self, action: ModerationAction) -> &'static str {
        match action {
            ModerationAction::Hide => "hidden=true",
            ModerationAction::Delete => "unsupported",
            ModerationAction::Review => "review",
            ModerationAction::None => "none",
        }
    }

    fn first_fetches(&self, cursors: &Cursors, since: DateTime<Utc>) -> Vec<Fetch> {
        let since_id = cursors.get(MENTIONS_LISTING).map(|c| c.0.as_str());
        let first = self.first_mentions_fetch(since_id, since);
        vec![Fetch::page(MENTIONS_LISTING, first.encode())]
    }

    async fn fetch(&self, fetch: &Fetch, cursors: &Cursors) -> Result<Harvest, PlatformError> {
        if fetch.listing != MENTIONS_LISTING {
            return Err(PlatformError::Permanent {
                detail: format!("the X connector has no listing {:?}", fetch.listing),
            });
        }
        let state = match fetch.page.as_deref() {
            Some(page) => MentionsFetch::decode(page)?,
            None => MentionsFetch::default(),
        };
        let since_id = cursors.get(MENTIONS_LISTING).map(|c| c.0.as_str());
        self.fetch_mentions(&state, since_id).await
    }

    async fn hide(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        self.hide_reply(receipt.platform_comment_id()).await
    }

    async fn unhide(&self, platform_comment_id: &str) -> Result<(), PlatformError> {
        self.unhide_reply(platform_comment_id).await
    }

    async fn delete(&self, _receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        Err(PlatformError::Unsupported {
            action: "deleting another user's post on X",
        })
    }

    async fn moderation_state(
        &self,
        platform_comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        self.read_moderation_state(platform_comment_id).await
    }

    async fn profile(&self) -> Result<AccountProfile, PlatformError> {
        self.read_profile().await
    }
}

/// A comment's fields before its raw bytes are attached.
struct CommentParts {
    platform_id: String,
    post_id: String,
    parent_id: Option<String>,
    author_id: Option<String>,
    author_name: Option<String>,
    text: String,
    created_at: DateTime<Utc>,
    permalink: String,
}

impl CommentParts {
    fn with_raw(self, raw: Box<RawValue>) -> FetchedComment {
        FetchedComment {
            platform_id: self.platform_id,
            post_id: self.post_id,
            parent_id: self.parent_id,
            author_id: self.author_id,
            author_name: self.author_name,
            text: self.text,
            created_at: self.created_at,
            permalink: Some(self.permalink),
            is_hidden: false,
            raw,
        }
    }
}

/// A post's fields before its raw bytes are attached.
struct PostParts {
    platform_id: String,
    text: String,
    created_at: DateTime<Utc>,
    permalink: String,
}

impl PostParts {
    fn with_raw(self, raw: Box<RawValue>) -> FetchedPost {
        FetchedPost {
            platform_id: self.platform_id,
            text: Some(self.text),
            created_at: self.created_at,
            permalink: Some(self.permalink),
            raw,
        }
    }
}

/// One post of the timeline as a comment: its post is the conversation it
/// belongs to, its parent the post it answers (unless that is the first).
fn comment_from_raw(raw: &str, authors: &HashMap<&str, &WireUser>) -> Result<CommentParts, String> {
    let tweet: WireTweet =
        serde_json::from_str(raw).map_err(|e| format!("a timeline item is not a post: {e}"))?;
    check_numeric_id(&tweet.id, "post id").map_err(|e| e.to_string())?;
    let post_id = tweet.conversation_id.unwrap_or_else(|| tweet.id.clone());
    let parent_id = tweet
        .referenced_tweets
        .into_iter()
        .find(|r| r.kind == "replied_to")
        .map(|r| r.id)
        .filter(|parent| *parent != post_id);
    let author = tweet.author_id.as_deref().and_then(|id| authors.get(id));
    let username = author.and_then(|a| a.username.as_deref());
    let author_name = author.and_then(|a| {
        a.name
            .clone()
            .or_else(|| a.username.as_ref().map(|u| format!("@{u}")))
    });
    Ok(CommentParts {
        permalink: status_url(username, &tweet.id),
        platform_id: tweet.id,
        post_id,
        parent_id,
        author_id: tweet.author_id,
        author_name,
        text: tweet.text,
        created_at: parse_created_at(&tweet.created_at)?,
    })
}

/// X's `created_at`, e.g. `2020-07-06T15:58:10.000Z`.
fn parse_created_at(value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("created_at {value:?} is not an RFC 3339 time: {e}"))
}

/// `https://x.com/{username}/status/{id}`, or X's username-less form.
fn status_url(username: Option<&str>, id: &str) -> String {
    match username {
        Some(username) => format!("https://x.com/{username}/status/{id}"),
        None => format!("https://x.com/i/web/status/{id}"),
    }
}

fn rejected(raw: &RawValue, reason: String) -> RejectedItem {
    RejectedItem {
        listing: MENTIONS_LISTING.to_string(),
        raw: raw.get().as_bytes().to_vec(),
        reason,
    }
}

/// `title: detail` of one entry of a 200's `errors`.
fn describe_item_error(raw: &RawValue) -> String {
    match serde_json::from_str::<WireProblem>(raw.get()) {
        Ok(problem) => describe_problem(&problem),
        Err(_) => "an error entry that is not problem details".to_string(),
    }
}

fn describe_item_errors(errors: &[Box<RawValue>]) -> String {
    errors
        .iter()
        .map(|raw| describe_item_error(raw))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `Client Forbidden (client-forbidden, client-not-enrolled): detail`.
fn describe_problem(problem: &WireProblem) -> String {
    let title = problem.title.as_deref().unwrap_or("untitled problem");
    let kind = problem
        .kind
        .as_deref()
        .and_then(|k| k.rsplit('/').next())
        .unwrap_or("no type");
    let reason = problem
        .reason
        .as_deref()
        .map(|r| format!(", {r}"))
        .unwrap_or_default();
    let detail = problem.detail.as_deref().unwrap_or("no detail");
    format!("{title} ({kind}{reason}): {detail}")
}

/// Maps a failed answer onto what the caller should do.
fn failure_from_answer(answer: &Answer, now: DateTime<Utc>) -> PlatformError {
    let status = answer.status;
    let described = match serde_json::from_slice::<WireProblem>(&answer.body) {
        Ok(problem) => describe_problem(&problem),
        Err(_) => String::from_utf8_lossy(&answer.body)
            .trim()
            .chars()
            .take(200)
            .collect(),
    };
    let detail = format!("HTTP {status}: {described}");
    match status {
        StatusCode::TOO_MANY_REQUESTS => PlatformError::RateLimited {
            retry_after: reset_wait(&answer.headers, now),
            usage: rate_limit_report(&answer.headers),
            scope: UsageScope::Account,
        },
        StatusCode::UNAUTHORIZED => PlatformError::Unauthorized { detail },
        StatusCode::NOT_FOUND => PlatformError::NotFound,
        s if s.is_server_error() => PlatformError::Transient { detail },
        s if s.is_client_error() => PlatformError::Permanent { detail },
        _ => PlatformError::Malformed {
            detail: format!("unexpected HTTP status {status}"),
        },
    }
}

/// The wait until `x-rate-limit-reset` (epoch seconds), or X's
/// `Retry-After` when the reset is missing.
fn reset_wait(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let reset = headers
        .get("x-rate-limit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .and_then(|seconds| Utc.timestamp_opt(seconds, 0).single());
    match reset {
        Some(reset) => Some((reset - now).to_std().unwrap_or(Duration::ZERO)),
        None => transport::retry_after_header(headers),
    }
}

/// The rate-limit headers verbatim, for the operator who judges the load.
fn rate_limit_report(headers: &HeaderMap) -> String {
    transport::header_report(headers, &RATE_LIMIT_HEADERS, "no rate-limit headers")
}

/// X ids are decimal numbers; anything else cannot be one and must not
/// reach a URL path.
fn check_numeric_id(id: &str, what: &str) -> Result<(), PlatformError> {
    if !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PlatformError::Permanent {
            detail: format!("{id:?} is not an X {what} (X ids are decimal numbers)"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::platforms::transport::testing::{assert_no_token, assert_refused_unsent, json};
    use wiremock::matchers::{
        body_json_string, header, method, path, query_param, query_param_is_missing,
    };
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "AAAAAAAAAAAAAAAAAAAAAxUserAccessToken0123456789";
    /// OriginalPerson000 of X's conversation example: the account watched.
    const USER_ID: &str = "3001960000";
    const MENTIONS_PATH: &str = "/2/users/3001960000/mentions";

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/data/platforms/x/", $name))
        };
    }

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2020, 7, 6, 16, 0, 0).unwrap()
    }

    fn connector(server: &MockServer, clock: &ManualClock, spent: Vec<DateTime<Utc>>) -> XAccount {
        XAccount::new(
            XSettings {
                api_base_url: server.uri(),
                api_version: "2".to_string(),
                user_id: USER_ID.to_string(),
                token: SecretString::from(TOKEN),
                request_timeout: Duration::from_secs(5),
                hide_calls_spent: spent,
                clock: Arc::new(clock.clone()),
            },
            reqwest::Client::new(),
        )
        .expect("valid settings")
    }

    async fn mentions_answering(template: ResponseTemplate) -> (MockServer, ManualClock) {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MENTIONS_PATH))
            .respond_with(template)
            .mount(&server)
            .await;
        (server, ManualClock::new(start()))
    }

    async fn first_page(template: ResponseTemplate) -> Result<Harvest, PlatformError> {
        let (server, clock) = mentions_answering(template).await;
        let x = connector(&server, &clock, Vec::new());
        let fetch = x.first_mentions_fetch(None, start() - chrono::Duration::days(1));
        x.fetch_mentions(&fetch, None).await
    }

    fn comment(page: &Harvest, id: &str) -> FetchedComment {
        page.comments
            .iter()
            .find(|c| c.platform_id == id)
            .cloned()
            .unwrap_or_else(|| panic!("comment {id} missing"))
    }

    #[tokio::test]
    async fn first_run_asks_for_mentions_since_the_look_back_with_fields_and_bearer_token() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MENTIONS_PATH))
            .and(query_param("tweet.fields", TWEET_FIELDS))
            .and(query_param("expansions", "author_id,referenced_tweets.id"))
            .and(query_param("user.fields", "username,name"))
            .and(query_param("max_results", "100"))
            .and(query_param("start_time", "2020-07-05T16:00:00Z"))
            .and(query_param_is_missing("since_id"))
            .and(query_param_is_missing("pagination_token"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("mentions_first_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());

        let fetch = x.first_mentions_fetch(None, start() - chrono::Duration::days(1));
        let page = x.fetch_mentions(&fetch, None).await.expect("page");

        let ids: Vec<&str> = page
            .comments
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "1280169177479744444",
                "1280155225706433333",
                "1280150000000000001"
            ]
        );
        let deep = comment(&page, "1280169177479744444");
        assert_eq!(deep.post_id, "1279944223114900000", "post = conversation");
        assert_eq!(deep.parent_id.as_deref(), Some("1280155225706433333"));
        assert_eq!(deep.author_name.as_deref(), Some("Fourth Person"));
        assert_eq!(
            deep.permalink.as_deref(),
            Some("https://x.com/FourthPerson444/status/1280169177479744444")
        );
        assert_eq!(
            deep.created_at,
            Utc.with_ymd_and_hms(2020, 7, 6, 15, 58, 10).unwrap()
        );
        assert!(fixture!("mentions_first_page.json").contains(deep.raw.get()));
        let direct = comment(&page, "1280155225706433333");
        assert_eq!(
            direct.parent_id, None,
            "answers the conversation's first post"
        );

        let posts: Vec<&str> = page.posts.iter().map(|p| p.platform_id.as_str()).collect();
        assert_eq!(
            posts,
            ["1279944223114900000"],
            "only the account's own conversation start"
        );
        assert_eq!(page.posts[0].text.as_deref(), Some("Original Tweet"));
        assert!(page.rejected.is_empty());
        assert!(
            page.cursors.is_empty(),
            "the cursor waits for the last page"
        );
        assert_eq!(page.more.len(), 1);
        assert_eq!(page.more[0].listing, "mentions");
        let next = page.more[0].page.as_deref().expect("page state");
        assert_eq!(
            MentionsFetch::decode(next).expect("state"),
            (MentionsFetch {
                pagination_token: Some("7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j".into()),
                newest_id: Some("1280169177479744444".into()),
                start_time: Some(start() - chrono::Duration::days(1)),
            })
        );
    }

    #[tokio::test]
    async fn last_page_moves_the_cursor_to_the_newest_id_of_the_first_page() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MENTIONS_PATH))
            .and(query_param("since_id", "1270000000000000000"))
            .and(query_param(
                "pagination_token",
                "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j",
            ))
            .and(query_param_is_missing("start_time"))
            .respond_with(json(200, fixture!("mentions_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());
        let fetch = MentionsFetch {
            pagination_token: Some("7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j".into()),
            newest_id: Some("1280169177479744444".into()),
            start_time: None,
        };
        let fetch = MentionsFetch::decode(&fetch.encode()).expect("round trip");

        let page = x
            .fetch_mentions(&fetch, Some("1270000000000000000"))
            .await
            .expect("page");

        assert_eq!(page.comments.len(), 1);
        assert!(page.more.is_empty());
        assert_eq!(
            page.cursors,
            [("mentions".to_string(), Cursor("1280169177479744444".into()))]
        );
    }

    #[tokio::test]
    async fn steady_state_run_is_one_call_from_since_id() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MENTIONS_PATH))
            .and(query_param("since_id", "1280155190306340864"))
            .and(query_param_is_missing("start_time"))
            .respond_with(json(200, r#"{"meta":{"result_count":0}}"#))
            .expect(1)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());

        let fetch = x.first_mentions_fetch(Some("1280155190306340864"), start());
        let page = x
            .fetch_mentions(&fetch, Some("1280155190306340864"))
            .await
            .expect("empty page");

        assert!(page.comments.is_empty());
        assert!(
            page.more.is_empty() && page.cursors.is_empty(),
            "nothing new: cursor stays"
        );
    }

    #[tokio::test]
    async fn a_malformed_item_is_rejected_and_the_valid_ones_kept() {
        let page = first_page(json(200, fixture!("mentions_malformed_item.json")))
            .await
            .expect("page survives");

        assert_eq!(page.comments.len(), 1);
        assert_eq!(page.comments[0].platform_id, "1280155225706433333");
        assert_eq!(page.rejected.len(), 1);
        let raw = String::from_utf8(page.rejected[0].raw.clone()).expect("utf-8");
        assert!(raw.contains(r#""created_at": "yesterday""#), "{raw}");
        assert!(
            page.rejected[0].reason.contains("created_at"),
            "{}",
            page.rejected[0].reason
        );
        assert_eq!(page.rejected[0].listing, "mentions");
        assert_eq!(
            page.cursors,
            [("mentions".to_string(), Cursor("1280155225706433333".into()))]
        );
    }

    #[tokio::test]
    async fn partial_errors_beside_data_are_rejected_items_not_a_failed_page() {
        let page = first_page(json(200, fixture!("mentions_partial_error.json")))
            .await
            .expect("page survives");

        assert_eq!(page.comments.len(), 1);
        assert_eq!(page.rejected.len(), 1);
        assert!(page.rejected[0].reason.contains("resource-not-found"));
        assert!(String::from_utf8_lossy(&page.rejected[0].raw).contains("referenced_tweets.id"));
    }

    #[tokio::test]
    async fn errors_without_any_data_fail_the_listing_as_permanent() {
        let error = first_page(json(200, fixture!("user_not_found.json")))
            .await
            .expect_err("no such user");
        assert!(
            matches!(&error, PlatformError::Permanent { detail } if detail.contains("Could not find user")),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn plain_text_429_waits_until_the_reset_header() {
        let reset = start() + chrono::Duration::seconds(420);
        let error = first_page(
            ResponseTemplate::new(429)
                .set_body_raw(
                    fixture!("too_many_requests.txt").as_bytes().to_vec(),
                    "text/plain",
                )
                .insert_header("x-rate-limit-limit", "10")
                .insert_header("x-rate-limit-remaining", "0")
                .insert_header("x-rate-limit-reset", reset.timestamp().to_string().as_str()),
        )
        .await
        .expect_err("rate limited");

        match error {
            PlatformError::RateLimited {
                retry_after, usage, ..
            } => {
                assert_eq!(retry_after, Some(Duration::from_secs(420)));
                assert!(usage.contains("x-rate-limit-remaining: 0"), "{usage}");
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn each_failed_status_maps_to_what_the_caller_does_next() {
        let unauthorized = first_page(json(401, fixture!("unauthorized.json"))).await;
        assert!(
            matches!(&unauthorized, Err(PlatformError::Unauthorized { detail }) if detail.contains("Unauthorized")),
            "got {unauthorized:?}"
        );
        let forbidden = first_page(json(403, fixture!("client_not_enrolled.json"))).await;
        assert!(
            matches!(&forbidden, Err(PlatformError::Permanent { detail }) if detail.contains("client-not-enrolled")),
            "got {forbidden:?}"
        );
        let unavailable = first_page(json(503, fixture!("service_unavailable.json"))).await;
        assert!(
            matches!(&unavailable, Err(PlatformError::Transient { .. })),
            "got {unavailable:?}"
        );
        let login_page =
            first_page(ResponseTemplate::new(200).set_body_string("<html>Log in</html>")).await;
        assert!(
            matches!(&login_page, Err(PlatformError::Malformed { .. })),
            "got {login_page:?}"
        );
    }

    #[tokio::test]
    async fn only_direct_replies_in_the_accounts_own_conversation_can_be_hidden() {
        let page = first_page(json(200, fixture!("mentions_first_page.json")))
            .await
            .expect("page");
        let (server, clock) = mentions_answering(json(200, "{}")).await;
        let x = connector(&server, &clock, Vec::new());

        let direct = x.capabilities(&comment(&page, "1280155225706433333"));
        let deep = x.capabilities(&comment(&page, "1280169177479744444"));
        let elsewhere = x.capabilities(&comment(&page, "1280150000000000001"));

        assert!(direct.hide, "a reply to the account's own post");
        assert!(
            !deep.hide,
            "a reply to a reply names no conversation author"
        );
        assert!(!elsewhere.hide, "a mention in someone else's conversation");
        assert!(
            !direct.delete && !deep.delete && !elsewhere.delete,
            "X never deletes"
        );
    }

    #[tokio::test]
    async fn hide_and_unhide_put_the_hidden_flag_as_json() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path("/2/tweets/1280155225706433333/hidden"))
            .and(body_json_string(r#"{"hidden":true}"#))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("hidden_true.json")))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/2/tweets/1280155225706433333/hidden"))
            .and(body_json_string(r#"{"hidden":false}"#))
            .respond_with(json(200, fixture!("hidden_false.json")))
            .expect(1)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());

        x.hide_reply("1280155225706433333").await.expect("hidden");
        x.unhide_reply("1280155225706433333")
            .await
            .expect("visible");

        assert_eq!(x.hide_calls_spent(), [start(), start()]);
    }

    #[tokio::test]
    async fn the_51st_hide_in_15_minutes_is_refused_without_a_call() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(json(200, fixture!("hidden_true.json")))
            .expect(50)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());

        for second in 0..50 {
            clock.set(start() + chrono::Duration::seconds(second));
            x.hide_reply("1280155225706433333")
                .await
                .expect("within budget");
        }
        clock.set(start() + chrono::Duration::minutes(10));
        let error = x.hide_reply("1280155225706433333").await.expect_err("51st");

        assert!(
            matches!(error, PlatformError::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(5 * 60)),
            "got {error:?}"
        );
        assert_eq!(x.hide_calls_spent().len(), 50);
        server.verify().await;
    }

    #[tokio::test]
    async fn hide_calls_spent_before_a_restart_still_count_and_expire_after_15_minutes() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(json(200, fixture!("hidden_true.json")))
            .expect(1)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let earlier: Vec<_> = (0..50)
            .map(|_| start() - chrono::Duration::minutes(14))
            .collect();
        let x = connector(&server, &clock, earlier);

        let refused = x.hide_reply("1280155225706433333").await;
        assert!(
            matches!(refused, Err(PlatformError::RateLimited { .. })),
            "got {refused:?}"
        );
        clock.advance(chrono::Duration::minutes(1));
        x.hide_reply("1280155225706433333")
            .await
            .expect("the window moved on");

        assert_eq!(
            x.hide_calls_spent(),
            [start() + chrono::Duration::minutes(1)]
        );
    }

    #[tokio::test]
    async fn moderation_state_tells_a_deleted_post_from_one_whose_state_is_unknown() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/2/tweets/1280155225706433333"))
            .respond_with(json(200, fixture!("tweet_not_found.json")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/2/tweets/1280155190306340864"))
            .respond_with(json(200, fixture!("tweet_lookup.json")))
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());

        assert_eq!(
            x.read_moderation_state("1280155225706433333")
                .await
                .expect("state"),
            ModerationState::Removed
        );
        assert_eq!(
            x.read_moderation_state("1280155190306340864")
                .await
                .expect("state"),
            ModerationState::Unknown
        );
    }

    #[tokio::test]
    async fn ids_that_are_not_numbers_never_reach_a_url() {
        let server = MockServer::start().await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());

        let error = x.hide_reply("../users/1").await.expect_err("refused");

        assert_refused_unsent(&error, &server).await;
        assert!(
            x.hide_calls_spent().is_empty(),
            "a refused id spends no budget"
        );
    }

    #[tokio::test]
    async fn no_error_ever_shows_the_token_even_when_x_echoes_it() {
        let echoed = format!(
            r#"{{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Bearer {TOKEN} is invalid"}}"#
        );
        let errors = [
            first_page(json(401, &echoed)).await,
            first_page(json(400, &echoed)).await,
            first_page(json(503, &echoed)).await,
            first_page(ResponseTemplate::new(500).set_body_string(format!("token {TOKEN}"))).await,
            first_page(json(200, &format!("not json {TOKEN}"))).await,
        ];
        for result in &errors {
            assert_no_token(result.as_ref().expect_err("each call fails"), TOKEN);
        }
        assert!(
            matches!(&errors[0], Err(PlatformError::Unauthorized { detail }) if detail.contains(transport::REDACTED)),
            "got {:?}",
            errors[0]
        );
    }

    #[tokio::test]
    async fn a_run_starts_from_the_stored_since_id_and_pages_through_the_trait() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MENTIONS_PATH))
            .and(query_param("since_id", "1270000000000000000"))
            .and(query_param_is_missing("pagination_token"))
            .respond_with(json(200, fixture!("mentions_first_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(MENTIONS_PATH))
            .and(query_param("since_id", "1270000000000000000"))
            .and(query_param(
                "pagination_token",
                "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j",
            ))
            .respond_with(json(200, fixture!("mentions_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());
        let cursors = Cursors::from([(
            MENTIONS_LISTING.to_string(),
            Cursor("1270000000000000000".into()),
        )]);

        let first = x.first_fetches(&cursors, start() - chrono::Duration::days(1));
        assert_eq!(first.len(), 1, "a steady-state run is one call");
        let page_one = x.fetch(&first[0], &cursors).await.expect("first page");
        assert_eq!(page_one.more.len(), 1);
        let page_two = x
            .fetch(&page_one.more[0], &cursors)
            .await
            .expect("last page");

        assert_eq!(page_one.comments.len() + page_two.comments.len(), 4);
        assert!(page_one.cursors.is_empty());
        assert_eq!(
            page_two.cursors,
            [(
                MENTIONS_LISTING.to_string(),
                Cursor("1280169177479744444".into())
            )]
        );
    }

    #[tokio::test]
    async fn deleting_is_refused_without_a_call_and_verbs_name_x_calls() {
        let server = MockServer::start().await;
        let clock = ManualClock::new(start());
        let x = connector(&server, &clock, Vec::new());
        let dir = tempfile::tempdir().expect("temp dir");
        let archive = crate::archive::Archive::open(dir.path()).expect("archive");
        let page = first_page(json(200, fixture!("mentions_first_page.json")))
            .await
            .expect("page");
        let receipt = archive
            .archive_comment(&crate::archive::RecordInput {
                account_key: "stockholm-x",
                account_name: "Stockholms stad",
                platform: PlatformKind::X,
                comment: &comment(&page, "1280155225706433333"),
                fetched_at: start(),
                findings: &[],
                action: ModerationAction::Delete,
                screenshot: None,
            })
            .expect("archived");

        let error = x.delete(&receipt).await.expect_err("X cannot delete");

        assert!(matches!(error, PlatformError::Unsupported { .. }));
        assert_refused_unsent(&error, &server).await;
        assert_eq!(x.kind(), PlatformKind::X);
        assert_eq!(x.verb(ModerationAction::Hide), "hidden=true");
    }

    async fn profile_answering(
        template: ResponseTemplate,
    ) -> Result<AccountProfile, PlatformError> {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/2/users/{USER_ID}")))
            .and(query_param("user.fields", PROFILE_FIELDS))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(template)
            .mount(&server)
            .await;
        connector(&server, &ManualClock::new(start()), Vec::new())
            .profile()
            .await
    }

    #[tokio::test]
    async fn the_profile_reads_the_bio_and_website_through_their_expanded_links() {
        let profile = profile_answering(json(200, fixture!("user_profile.json")))
            .await
            .expect("profile");

        assert_eq!(profile.name.as_deref(), Some("Trafik Stockholm"));
        assert_eq!(profile.texts.len(), 1);
        let bio = &profile.texts[0].text;
        assert!(
            bio.contains("https://start.stockholm.se/trafik-regler"),
            "{bio}"
        );
        assert!(!bio.contains("t.co"), "shortened links are expanded: {bio}");
        assert_eq!(
            profile.links,
            [
                "https://start.stockholm.se/trafik-regler",
                "https://start.stockholm.se/trafik"
            ]
        );
        assert!(profile.hidden_reason(ProfileItem::Contact).is_some());
    }

    #[tokio::test]
    async fn an_unknown_user_or_a_refused_read_is_an_error() {
        let unknown = profile_answering(json(200, fixture!("user_not_found.json"))).await;
        assert!(
            matches!(&unknown, Err(PlatformError::Permanent { detail }) if detail.contains("resource-not-found")),
            "{unknown:?}"
        );
        let refused = profile_answering(json(401, fixture!("unauthorized.json"))).await;
        assert!(
            matches!(refused, Err(PlatformError::Unauthorized { .. })),
            "{refused:?}"
        );
    }
}
