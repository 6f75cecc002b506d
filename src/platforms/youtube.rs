//! YouTube connector (Data API v3): lists every comment thread on a
//! channel's videos with one channel-wide call, and holds comments for
//! review (hide) or rejects them (removal) with `setModerationStatus`.
//!
//! The module owns the channel's settings, private serde structs that
//! mirror the documented resources (`commentThread`, `comment`, `video`,
//! Google's error body) and the [`Platform`] impl; each call is one HTTP
//! request, and the pipeline's collect stage pages, retries and saves.
//!
//! Wire details worth knowing:
//!
//! - The listing is `commentThreads?allThreadsRelatedToChannelId=…&order=time`:
//!   threads newest first by their top-level comment's `publishedAt`, each
//!   with up to five replies embedded. A thread with more replies than
//!   embedded gets its own `comments?parentId=…` listing.
//! - The cursor is the newest top-level comment seen (publish time and id):
//!   paging stops at the first thread not newer than it, and the cursor
//!   moves only once a listing is finished, so a run that fails on page 3
//!   starts again from the old cursor. Assumption, from the documented
//!   ordering: a new reply under a thread older than the cursor is not
//!   listed again (YouTube keeps the thread where its top-level comment is).
//! - Posts are videos. A comment names its video by id; the titles and
//!   publish times come from one `videos?id=a,b,…` call per 50 new videos
//!   (1 quota unit), so evidence can show what a comment answered.
//! - "Hide" is `moderationStatus=heldForReview` and "delete" is
//!   `rejected`: the channel owner cannot delete another person's comment,
//!   only reject it, which removes it (and its replies) from public view
//!   for good. Only the channel owner sees held comments at all, and the
//!   API lists no rejected ones, so [`Platform::moderation_state`] reads a
//!   comment that is no longer listed as removed.
//! - Quota: the project has a daily budget in units (list calls 1,
//!   `setModerationStatus` 50) that resets at midnight Pacific time. The
//!   connector counts what this account spent ([`YoutubeChannel::units_spent`],
//!   restorable after a restart with [`YoutubeChannel::restore_units`]);
//!   `quotaExceeded` is a rate limit until the next Pacific midnight.
//! - The access token comes from a [`TokenSource`] (OAuth refresh-token
//!   grant); it travels only in the `Authorization` header and is scrubbed
//!   from every error.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::archive::ArchiveReceipt;
use crate::clock::Clock;
use crate::config::AccountConfig;
use crate::domain::{
    AccountProfile, Capabilities, FetchedComment, FetchedPost, HiddenItem, ModerationAction,
    ModerationState, PlatformKind, ProfileItem,
};
use crate::platforms::PlatformError;
use crate::platforms::budget::{Costs, Usage, UsageScope};
use crate::platforms::token::{self, TokenSource};
use crate::platforms::transport::{Answer, base_url, retry_after_header, send_authorized};
use crate::platforms::{Cursor, Cursors, Fetch, Harvest, Platform, RejectedItem};

/// The listing of all comment threads on the channel's videos.
pub const CHANNEL_LISTING: &str = "channel";
/// Prefix of a thread's reply listing (`replies:{thread id}`).
const REPLIES_PREFIX: &str = "replies:";
/// The listing that reads video titles (`page` = comma-separated ids).
const VIDEOS_LISTING: &str = "videos";
/// Threads or replies per call (the documented maximum).
const PAGE_SIZE: &str = "100";
/// Video ids per `videos.list` call (the documented maximum).
const VIDEOS_PER_CALL: usize = 50;
/// What a channel's profile keeps out of the Data API: the links and the
/// business e-mail address of its About section are not channel fields.
pub const HIDDEN_ITEMS: &[HiddenItem] = &[
    HiddenItem {
        item: ProfileItem::Website,
        reason: "kanalens länkar finns inte i YouTubes API",
    },
    HiddenItem {
        item: ProfileItem::Contact,
        reason: "kanalens e-postadress för affärsförfrågningar finns inte i YouTubes API",
    },
];
/// Quota units of a list call.
pub const LIST_UNITS: u64 = 1;
/// Quota units of `comments.setModerationStatus`.
pub const MODERATE_UNITS: u64 = 50;

/// Everything needed to watch one channel.
#[derive(Debug, Clone)]
pub struct YoutubeSettings {
    /// Scheme and host of the API, `https://www.googleapis.com` in
    /// production; the paths below it are the documented `/youtube/v3/…`.
    pub api_base_url: String,
    /// The channel id (`UC…`).
    pub channel_id: String,
    /// How long one request may take.
    pub request_timeout: Duration,
}

/// Quota units one account spent on one Pacific day, as the pipeline
/// persists it across restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaSpent {
    /// The day in America/Los_Angeles, when YouTube's quota resets.
    pub day: NaiveDate,
    /// Units spent that day by this connector.
    pub units: u64,
}

/// The connection to one YouTube channel.
pub struct YoutubeChannel {
    base: Url,
    channel_id: String,
    tokens: Arc<dyn TokenSource>,
    clock: Arc<dyn Clock>,
    request_timeout: Duration,
    client: reqwest::Client,
    quota: Mutex<QuotaSpent>,
}

impl std::fmt::Debug for YoutubeChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YoutubeChannel")
            .field("base", &self.base.as_str())
            .field("channel_id", &self.channel_id)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

/// `{"items":[…],"nextPageToken":…}` of every list method, each item kept
/// as its raw bytes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireList {
    #[serde(default)]
    items: Vec<Box<RawValue>>,
    next_page_token: Option<String>,
}

/// A `commentThread` resource (`part=snippet,replies`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireThread {
    id: String,
    snippet: WireThreadSnippet,
    replies: Option<WireReplies>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireThreadSnippet {
    top_level_comment: Box<RawValue>,
    #[serde(default)]
    total_reply_count: u64,
}

#[derive(Deserialize)]
struct WireReplies {
    #[serde(default)]
    comments: Vec<Box<RawValue>>,
}

/// A `comment` resource (`part=snippet`).
#[derive(Deserialize)]
struct WireComment {
    id: String,
    snippet: WireCommentSnippet,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCommentSnippet {
    video_id: Option<String>,
    text_display: Option<String>,
    text_original: Option<String>,
    author_display_name: Option<String>,
    author_channel_id: Option<WireValue>,
    parent_id: Option<String>,
    published_at: DateTime<Utc>,
    moderation_status: Option<String>,
}

#[derive(Deserialize)]
struct WireValue {
    value: String,
}

/// A `video` resource (`part=snippet`).
#[derive(Deserialize)]
struct WireVideo {
    id: String,
    snippet: WireVideoSnippet,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireVideoSnippet {
    title: Option<String>,
    published_at: DateTime<Utc>,
}

/// A `channel` resource (`part=snippet,brandingSettings`): the title and
/// description of its About section.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireChannel {
    snippet: Option<WireChannelSnippet>,
    branding_settings: Option<WireBranding>,
}

#[derive(Deserialize)]
struct WireChannelSnippet {
    title: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct WireBranding {
    channel: Option<WireChannelSnippet>,
}

impl WireChannel {
    fn into_profile(self) -> AccountProfile {
        let snippet = self.snippet.unwrap_or(WireChannelSnippet {
            title: None,
            description: None,
        });
        let branding = self.branding_settings.and_then(|b| b.channel);
        let branding_description = branding
            .as_ref()
            .and_then(|b| b.description.clone())
            .filter(|d| Some(d) != snippet.description.as_ref());
        let mut profile = AccountProfile {
            name: snippet.title.or_else(|| branding.and_then(|b| b.title)),
            hidden: HIDDEN_ITEMS.to_vec(),
            ..AccountProfile::default()
        };
        profile.push_text("snippet.description", snippet.description);
        profile.push_text("brandingSettings.channel.description", branding_description);
        profile
    }
}

/// Google's error body: `{"error":{"code":403,"message":…,"errors":[{"reason":…}]}}`.
#[derive(Deserialize)]
struct WireErrorEnvelope {
    error: WireError,
}

#[derive(Deserialize)]
struct WireError {
    message: Option<String>,
    #[serde(default)]
    errors: Vec<WireErrorItem>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct WireErrorItem {
    reason: Option<String>,
}

/// A comment's place in the time order: when it was published, and its id
/// to tell apart comments of the same second.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Mark {
    at: DateTime<Utc>,
    id: String,
}

impl Mark {
    /// `2026-11-23T08:12:00Z UgzID`: the stored cursor.
    fn encode(&self) -> String {
        format!(
            "{} {}",
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            self.id
        )
    }

    fn decode(text: &str) -> Option<Self> {
        let (at, id) = text.split_once(' ')?;
        Some(Self {
            at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
            id: id.to_string(),
        })
    }

    /// Whether a comment at `other` is older than this mark, or is it.
    fn covers(&self, other: &Mark) -> bool {
        other.at < self.at || other == self
    }
}

/// Where a channel listing stands within a run: the page token, the mark
/// paging stops at (the stored cursor, or the look-back bound), the
/// newest comment seen so far, which becomes the cursor at the end, and the
/// videos earlier pages already named for a `videos` call, so a video
/// commented on across pages is looked up once (a second lookup would
/// bring only posts already brought, and the run would report the listing
/// as repeating).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ChannelPage {
    token: Option<String>,
    floor: Mark,
    newest: Option<Mark>,
    named: BTreeSet<String>,
}

impl ChannelPage {
    /// `token|floor|newest|video,video,…`, each part possibly empty (page
    /// tokens, comment ids and video ids never contain `|`, video ids
    /// never `,`).
    fn encode(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.token.as_deref().unwrap_or(""),
            self.floor.encode(),
            self.newest.as_ref().map(Mark::encode).unwrap_or_default(),
            self.named.iter().cloned().collect::<Vec<_>>().join(",")
        )
    }

    fn decode(text: &str) -> Option<Self> {
        let mut parts = text.splitn(4, '|');
        let token = parts.next()?;
        let floor = Mark::decode(parts.next()?)?;
        let newest = parts.next()?;
        let named = parts.next()?;
        Some(Self {
            token: (!token.is_empty()).then(|| token.to_string()),
            floor,
            newest: if newest.is_empty() {
                None
            } else {
                Some(Mark::decode(newest)?)
            },
            named: named
                .split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

impl YoutubeChannel {
    /// Builds the connector; a base URL or channel id that cannot form an
    /// API address fails here, at start-up.
    pub fn new(
        settings: YoutubeSettings,
        tokens: Arc<dyn TokenSource>,
        clock: Arc<dyn Clock>,
        client: reqwest::Client,
    ) -> Result<Self, PlatformError> {
        let base = base_url(&settings.api_base_url, "YouTube Data API")?;
        if settings.channel_id.trim().is_empty() {
            return Err(PlatformError::Permanent {
                detail: "the YouTube channel id is empty".into(),
            });
        }
        let today = pacific_day(clock.now());
        Ok(Self {
            base,
            channel_id: settings.channel_id,
            tokens,
            clock,
            request_timeout: settings.request_timeout,
            client,
            quota: Mutex::new(QuotaSpent {
                day: today,
                units: 0,
            }),
        })
    }

    /// The connector for a configured YouTube account, with its token
    /// source (OAuth grant or static token) and the service's clock.
    pub fn from_account(
        account: &AccountConfig,
        client: reqwest::Client,
        request_timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, PlatformError> {
        let tokens = token::for_account(account, client.clone(), request_timeout, clock.clone())?;
        let settings = YoutubeSettings {
            api_base_url: account.api_base_url.clone(),
            channel_id: account.platform_id.clone(),
            request_timeout,
        };
        Self::new(settings, tokens, clock, client)
    }

    /// The quota units this account spent today (Pacific time), for the
    /// pipeline to persist and to plan the rest of the day with.
    pub fn units_spent(&self) -> QuotaSpent {
        let today = pacific_day(self.clock.now());
        let mut quota = self.quota.lock().unwrap_or_else(PoisonError::into_inner);
        roll_over(&mut quota, today);
        *quota
    }

    /// Takes back what an earlier process spent today, read from the
    /// store after a restart; a count from an earlier day is ignored.
    pub fn restore_units(&self, spent: QuotaSpent) {
        let today = pacific_day(self.clock.now());
        let mut quota = self.quota.lock().unwrap_or_else(PoisonError::into_inner);
        roll_over(&mut quota, today);
        if spent.day == today {
            quota.units = quota.units.max(spent.units);
        }
    }

    fn charge(&self, units: u64) {
        let today = pacific_day(self.clock.now());
        let mut quota = self.quota.lock().unwrap_or_else(PoisonError::into_inner);
        roll_over(&mut quota, today);
        quota.units += units;
    }

    /// `{base}/youtube/v3/{method…}`.
    fn url(&self, method: &[&str]) -> Result<Url, PlatformError> {
        let mut segments = vec!["youtube", "v3"];
        segments.extend_from_slice(method);
        crate::platforms::transport::url_with_segments(&self.base, &segments)
    }

    /// One authorised call costing `units`, with Google's errors mapped.
    async fn call(
        &self,
        units: u64,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Answer, PlatformError> {
        self.charge(units);
        send_authorized(
            self.tokens.as_ref(),
            self.request_timeout,
            build,
            |answer| failure_from_answer(answer, self.clock.now(), self.units_spent()),
        )
        .await
    }

    /// `GET {method}?{query}`, charged one list unit.
    async fn list(&self, method: &str, query: &[(&str, &str)]) -> Result<WireList, PlatformError> {
        let url = self.url(&[method])?;
        let answer = self
            .call(LIST_UNITS, || self.client.get(url.clone()).query(query))
            .await?;
        serde_json::from_slice(&answer.body).map_err(|e| PlatformError::Malformed {
            detail: format!("the {method} listing is not {{\"items\":[…]}}: {e}"),
        })
    }

    /// One page of the channel's comment threads.
    async fn fetch_channel(&self, page: &ChannelPage) -> Result<Harvest, PlatformError> {
        let mut query = vec![
            ("part", "snippet,replies"),
            ("allThreadsRelatedToChannelId", self.channel_id.as_str()),
            ("maxResults", PAGE_SIZE),
            ("order", "time"),
            ("textFormat", "plainText"),
        ];
        if let Some(token) = &page.token {
            query.push(("pageToken", token.as_str()));
        }
        let list = self.list("commentThreads", &query).await?;
        let mut harvest = Harvest::default();
        let mut newest = page.newest.clone();
        let mut reached_floor = false;
        let mut videos = BTreeSet::new();
        for raw in list.items {
            match thread_from_raw(&raw) {
                Ok(thread) => {
                    if page.floor.covers(&thread.mark) {
                        reached_floor = true;
                        continue;
                    }
                    if newest.as_ref().is_none_or(|n| thread.mark > *n) {
                        newest = Some(thread.mark.clone());
                    }
                    videos.extend(thread.comments.iter().map(|c| c.post_id.clone()));
                    if thread.more_replies {
                        harvest
                            .more
                            .push(Fetch::first(format!("{REPLIES_PREFIX}{}", thread.id)));
                    }
                    harvest.comments.extend(thread.comments);
                    harvest.rejected.extend(
                        thread
                            .rejected
                            .into_iter()
                            .map(|(raw, reason)| rejected(CHANNEL_LISTING, &raw, reason)),
                    );
                }
                Err(reason) => harvest
                    .rejected
                    .push(rejected(CHANNEL_LISTING, &raw, reason)),
            }
        }
        videos.remove(&self.channel_id);
        match list.next_page_token.filter(|_| !reached_floor) {
            Some(token) => harvest.more.push(Fetch::page(
                CHANNEL_LISTING,
                ChannelPage {
                    token: Some(token),
                    floor: page.floor.clone(),
                    newest,
                    named: page.named.union(&videos).cloned().collect(),
                }
                .encode(),
            )),
            None => {
                if let Some(newest) = newest {
                    harvest
                        .cursors
                        .push((CHANNEL_LISTING.to_string(), Cursor(newest.encode())));
                }
            }
        }
        let videos: Vec<String> = videos.difference(&page.named).cloned().collect();
        harvest.more.extend(
            videos
                .chunks(VIDEOS_PER_CALL)
                .map(|ids| Fetch::page(VIDEOS_LISTING, ids.join(","))),
        );
        Ok(harvest)
    }

    /// One page of a thread's replies.
    async fn fetch_replies(
        &self,
        listing: &str,
        parent_id: &str,
        token: Option<&str>,
    ) -> Result<Harvest, PlatformError> {
        let mut query = vec![
            ("part", "snippet"),
            ("parentId", parent_id),
            ("maxResults", PAGE_SIZE),
            ("textFormat", "plainText"),
        ];
        if let Some(token) = token {
            query.push(("pageToken", token));
        }
        let list = self.list("comments", &query).await?;
        let mut harvest = Harvest::default();
        for raw in list.items {
            match comment_from_raw(raw, &self.channel_id) {
                Ok(comment) => harvest.comments.push(comment),
                Err((raw, reason)) => harvest.rejected.push(rejected(listing, &raw, reason)),
            }
        }
        if let Some(token) = list.next_page_token {
            harvest.more.push(Fetch::page(listing, token));
        }
        Ok(harvest)
    }

    /// The videos' titles and publish times.
    async fn fetch_videos(&self, ids: &str) -> Result<Harvest, PlatformError> {
        let list = self
            .list("videos", &[("part", "snippet"), ("id", ids)])
            .await?;
        let mut harvest = Harvest::default();
        for raw in list.items {
            match video_from_raw(raw) {
                Ok(post) => harvest.posts.push(post),
                Err((raw, reason)) => harvest
                    .rejected
                    .push(rejected(VIDEOS_LISTING, &raw, reason)),
            }
        }
        Ok(harvest)
    }

    /// The channel's About texts (`channels.list`, one list unit).
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "youtube", channel_id = %self.channel_id))]
    async fn read_profile(&self) -> Result<AccountProfile, PlatformError> {
        let list = self
            .list(
                "channels",
                &[
                    ("part", "snippet,brandingSettings"),
                    ("id", self.channel_id.as_str()),
                ],
            )
            .await?;
        let Some(raw) = list.items.into_iter().next() else {
            return Err(PlatformError::Permanent {
                detail: format!("YouTube knows no channel {}", self.channel_id),
            });
        };
        let channel: WireChannel =
            serde_json::from_str(raw.get()).map_err(|e| PlatformError::Malformed {
                detail: format!("the channel is not a channel resource: {e}"),
            })?;
        Ok(channel.into_profile())
    }

    /// `POST comments/setModerationStatus?id=…&moderationStatus=…` (no
    /// body; 204 on success).
    async fn set_moderation_status(&self, id: &str, status: &str) -> Result<(), PlatformError> {
        let url = self.url(&["comments", "setModerationStatus"])?;
        self.call(MODERATE_UNITS, || {
            self.client
                .post(url.clone())
                .query(&[("id", id), ("moderationStatus", status)])
                .body(Vec::new())
        })
        .await?;
        tracing::debug!(
            moderation_status = status,
            "YouTube set the moderation status"
        );
        Ok(())
    }

    /// The first page of the channel listing, stopping at the stored
    /// cursor or, without one, at the look-back bound.
    fn first_channel_fetch(&self, cursors: &Cursors, since: DateTime<Utc>) -> Fetch {
        let floor = cursors
            .get(CHANNEL_LISTING)
            .and_then(|c| Mark::decode(&c.0))
            .unwrap_or(Mark {
                at: since,
                id: String::new(),
            });
        Fetch::page(
            CHANNEL_LISTING,
            ChannelPage {
                token: None,
                floor,
                newest: None,
                named: BTreeSet::new(),
            }
            .encode(),
        )
    }
}

#[async_trait]
impl Platform for YoutubeChannel {
    fn grant(&self) -> Option<token::GrantStatus> {
        Some(self.tokens.grant())
    }

    fn costs(&self) -> Costs {
        Costs {
            list_units: LIST_UNITS,
            moderate_units: MODERATE_UNITS,
            moderation_window: None,
        }
    }

    fn usage(&self) -> Usage {
        Usage {
            quota: Some(self.units_spent()),
            ..Usage::default()
        }
    }

    fn restore_usage(&self, usage: &Usage) {
        if let Some(spent) = usage.quota {
            self.restore_units(spent);
        }
    }

    fn kind(&self) -> PlatformKind {
        PlatformKind::Youtube
    }

    fn capabilities(&self, _comment: &FetchedComment) -> Capabilities {
        Capabilities {
            hide: true,
            // `rejected` removes it from public view for good; the verb
            // records that it was a rejection, not a deletion.
            delete: true,
            permalink: true,
        }
    }

    fn verb(&self, action: ModerationAction) -> &'static str {
        match action {
            ModerationAction::Hide => "heldForReview",
            ModerationAction::Delete => "rejected",
            ModerationAction::Review => "review",
            ModerationAction::None => "none",
        }
    }

    fn first_fetches(&self, cursors: &Cursors, since: DateTime<Utc>) -> Vec<Fetch> {
        vec![self.first_channel_fetch(cursors, since)]
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "youtube", channel = %self.channel_id, listing = %fetch.listing))]
    async fn fetch(&self, fetch: &Fetch, cursors: &Cursors) -> Result<Harvest, PlatformError> {
        let unknown = || PlatformError::Permanent {
            detail: format!(
                "{:?} page {:?} is not a YouTube listing this version made",
                fetch.listing, fetch.page
            ),
        };
        if fetch.listing == CHANNEL_LISTING {
            let page = match fetch.page.as_deref() {
                Some(text) => ChannelPage::decode(text).ok_or_else(unknown)?,
                // A first page named without a bound: from the cursor, or
                // everything the listing has.
                None => ChannelPage::decode(
                    &self
                        .first_channel_fetch(cursors, DateTime::<Utc>::MIN_UTC)
                        .page
                        .unwrap_or_default(),
                )
                .ok_or_else(unknown)?,
            };
            self.fetch_channel(&page).await
        } else if let Some(parent) = fetch.listing.strip_prefix(REPLIES_PREFIX) {
            self.fetch_replies(&fetch.listing, parent, fetch.page.as_deref())
                .await
        } else if fetch.listing == VIDEOS_LISTING {
            self.fetch_videos(fetch.page.as_deref().ok_or_else(unknown)?)
                .await
        } else {
            Err(unknown())
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "youtube", comment_id = %receipt.platform_comment_id()))]
    async fn hide(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        self.set_moderation_status(receipt.platform_comment_id(), "heldForReview")
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "youtube", comment_id = %platform_comment_id))]
    async fn unhide(&self, platform_comment_id: &str) -> Result<(), PlatformError> {
        self.set_moderation_status(platform_comment_id, "published")
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "youtube", comment_id = %receipt.platform_comment_id()))]
    async fn delete(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        self.set_moderation_status(receipt.platform_comment_id(), "rejected")
            .await
    }

    async fn profile(&self) -> Result<AccountProfile, PlatformError> {
        self.read_profile().await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "youtube", comment_id = %platform_comment_id))]
    async fn moderation_state(
        &self,
        platform_comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        let list = match self
            .list(
                "comments",
                &[
                    ("part", "snippet"),
                    ("id", platform_comment_id),
                    ("textFormat", "plainText"),
                ],
            )
            .await
        {
            Ok(list) => list,
            Err(PlatformError::NotFound) => return Ok(ModerationState::Removed),
            Err(e) => return Err(e),
        };
        let Some(raw) = list.items.first() else {
            // Rejected and deleted comments are not listed at all.
            return Ok(ModerationState::Removed);
        };
        let comment: WireComment =
            serde_json::from_str(raw.get()).map_err(|e| PlatformError::Malformed {
                detail: format!("comment state: {e}"),
            })?;
        Ok(moderation_state_of(
            comment.snippet.moderation_status.as_deref(),
        ))
    }
}

/// `moderationStatus` is only given to the channel owner; without it the
/// state cannot be told.
fn moderation_state_of(status: Option<&str>) -> ModerationState {
    match status {
        Some("published") => ModerationState::Visible,
        Some("heldForReview" | "likelySpam") => ModerationState::Hidden,
        Some("rejected") => ModerationState::Removed,
        _ => ModerationState::Unknown,
    }
}

/// A thread read from the listing.
struct Thread {
    id: String,
    mark: Mark,
    comments: Vec<FetchedComment>,
    /// Replies that could not be read, with the reason.
    rejected: Vec<(Box<RawValue>, String)>,
    /// More replies exist than were embedded.
    more_replies: bool,
}

/// Reads a thread; an unreadable reply is set aside, an unreadable
/// top-level comment rejects the whole thread.
fn thread_from_raw(raw: &RawValue) -> Result<Thread, String> {
    let wire: WireThread =
        serde_json::from_str(raw.get()).map_err(|e| format!("not a commentThread: {e}"))?;
    let top = comment_from_raw(wire.snippet.top_level_comment, "")
        .map_err(|(_, reason)| format!("thread {}: top-level comment {reason}", wire.id))?;
    let mark = Mark {
        at: top.created_at,
        id: top.platform_id.clone(),
    };
    let embedded = wire.replies.map(|r| r.comments).unwrap_or_default();
    let more_replies = wire.snippet.total_reply_count > embedded.len() as u64;
    let mut comments = vec![top];
    let mut rejected = Vec::new();
    for reply in embedded {
        match comment_from_raw(reply, &comments[0].post_id) {
            Ok(reply) => comments.push(reply),
            Err(bad) => rejected.push(bad),
        }
    }
    Ok(Thread {
        id: wire.id,
        mark,
        comments,
        rejected,
        more_replies,
    })
}

/// A `comment` resource, with its raw bytes. A comment without `videoId`
/// (a channel discussion comment) belongs to `fallback_post`.
fn comment_from_raw(
    raw: Box<RawValue>,
    fallback_post: &str,
) -> Result<FetchedComment, (Box<RawValue>, String)> {
    let wire: WireComment = match serde_json::from_str(raw.get()) {
        Ok(wire) => wire,
        Err(e) => return Err((raw, format!("is not a comment: {e}"))),
    };
    let snippet = wire.snippet;
    let post_id = snippet
        .video_id
        .unwrap_or_else(|| fallback_post.to_string());
    let permalink = (!post_id.is_empty())
        .then(|| format!("https://www.youtube.com/watch?v={post_id}&lc={}", wire.id));
    Ok(FetchedComment {
        platform_id: wire.id,
        post_id,
        parent_id: snippet.parent_id,
        author_id: snippet.author_channel_id.map(|c| c.value),
        author_name: snippet.author_display_name,
        text: snippet
            .text_display
            .or(snippet.text_original)
            .unwrap_or_default(),
        created_at: snippet.published_at,
        permalink,
        is_hidden: matches!(
            snippet.moderation_status.as_deref(),
            Some("heldForReview" | "likelySpam")
        ),
        raw,
    })
}

/// A `video` resource as the post its comments answer.
fn video_from_raw(raw: Box<RawValue>) -> Result<FetchedPost, (Box<RawValue>, String)> {
    let wire: WireVideo = match serde_json::from_str(raw.get()) {
        Ok(wire) => wire,
        Err(e) => return Err((raw, format!("is not a video: {e}"))),
    };
    Ok(FetchedPost {
        permalink: Some(format!("https://www.youtube.com/watch?v={}", wire.id)),
        platform_id: wire.id,
        text: wire.snippet.title,
        created_at: wire.snippet.published_at,
        raw,
    })
}

fn rejected(listing: &str, raw: &RawValue, reason: String) -> RejectedItem {
    RejectedItem {
        listing: listing.to_string(),
        raw: raw.get().as_bytes().to_vec(),
        reason,
    }
}

/// The day in America/Los_Angeles, where YouTube's quota day runs.
fn pacific_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Los_Angeles).date_naive()
}

/// The next midnight in America/Los_Angeles, when the quota resets.
fn next_pacific_midnight(at: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = pacific_day(at)
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    Los_Angeles
        .from_local_datetime(&tomorrow)
        .earliest()
        .map_or(at + chrono::TimeDelta::days(1), |t| t.with_timezone(&Utc))
}

fn roll_over(quota: &mut QuotaSpent, today: NaiveDate) {
    if quota.day != today {
        *quota = QuotaSpent {
            day: today,
            units: 0,
        };
    }
}

/// Maps a failed answer: Google's `errors[].reason` decides first, the
/// HTTP status settles the rest.
fn failure_from_answer(answer: &Answer, now: DateTime<Utc>, spent: QuotaSpent) -> PlatformError {
    let status = answer.status;
    let Ok(envelope) = serde_json::from_slice::<WireErrorEnvelope>(&answer.body) else {
        return failure_without_google_error(answer);
    };
    let error = envelope.error;
    let reasons: Vec<&str> = error
        .errors
        .iter()
        .filter_map(|e| e.reason.as_deref())
        .collect();
    let detail = format!(
        "HTTP {status}, {} ({}): {}",
        if reasons.is_empty() {
            "no reason".to_string()
        } else {
            reasons.join(", ")
        },
        error.status.as_deref().unwrap_or("no status"),
        error.message.as_deref().unwrap_or("no message")
    );
    let has = |reason: &str| reasons.contains(&reason);
    if has("quotaExceeded") || has("dailyLimitExceeded") {
        let reset = next_pacific_midnight(now);
        PlatformError::RateLimited {
            retry_after: (reset - now).to_std().ok(),
            usage: format!(
                "YouTube daily quota exceeded; this account spent {} units on {} (Pacific time); \
                 the quota resets at {reset}",
                spent.units, spent.day
            ),
            scope: UsageScope::App,
        }
    } else if has("rateLimitExceeded")
        || has("userRateLimitExceeded")
        || status == StatusCode::TOO_MANY_REQUESTS
    {
        PlatformError::RateLimited {
            retry_after: retry_after_header(&answer.headers),
            usage: detail,
            scope: UsageScope::Account,
        }
    } else if status == StatusCode::UNAUTHORIZED || has("authError") {
        PlatformError::Unauthorized { detail }
    } else if has("commentNotFound") {
        PlatformError::NotFound
    } else if status.is_server_error() || has("backendError") || has("internalError") {
        PlatformError::Transient { detail }
    } else {
        PlatformError::Permanent { detail }
    }
}

/// A failure whose body is not Google's error JSON (a proxy's page).
fn failure_without_google_error(answer: &Answer) -> PlatformError {
    let detail = format!("HTTP {} without a Google error body", answer.status);
    match answer.status {
        StatusCode::TOO_MANY_REQUESTS => PlatformError::RateLimited {
            retry_after: retry_after_header(&answer.headers),
            usage: detail,
            scope: UsageScope::Account,
        },
        StatusCode::UNAUTHORIZED => PlatformError::Unauthorized { detail },
        status if status.is_server_error() => PlatformError::Transient { detail },
        _ => PlatformError::Permanent { detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::platforms::test_support::{archived, assert_hides, at, clock_at, json};
    use crate::platforms::token::{OAuthSettings, OAuthTokenSource, StaticToken};
    use secrecy::SecretString;
    use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "ya29.static-test-token-secret";
    const CHANNEL: &str = "UCN1hnUccO4FD5WfM7ithXaw";
    const THREAD_1: &str = "UgxISZhP_62DIrtv2r94AaABAg";
    const THREAD_2: &str = "UgzUoQgRFt_6K4EGlsV4AaABAg";
    const NEXT: &str = "QURTSl9pMVNCeldJUmhfV284NV9zbDF2djE0dnRQZ3N4Z21hTW9od1R4VDBreW92alBXX2FjYXJ6SEVRWmxOeEpIUTBoZ1VjUk1sVkhwZw==";

    macro_rules! data {
        ($name:literal) => {
            include_str!(concat!("../../tests/data/platforms/youtube/", $name))
        };
    }

    fn settings(server: &MockServer) -> YoutubeSettings {
        YoutubeSettings {
            api_base_url: server.uri(),
            channel_id: CHANNEL.into(),
            request_timeout: Duration::from_secs(5),
        }
    }

    fn connector(server: &MockServer, clock: Arc<ManualClock>) -> YoutubeChannel {
        YoutubeChannel::new(
            settings(server),
            Arc::new(StaticToken::new(SecretString::from(TOKEN))),
            clock,
            reqwest::Client::new(),
        )
        .expect("valid settings")
    }

    fn since() -> DateTime<Utc> {
        at("2026-11-20T00:00:00Z")
    }

    async fn mount_threads(server: &MockServer, page_token: Option<&str>, body: &'static str) {
        let mock = Mock::given(method("GET"))
            .and(path("/youtube/v3/commentThreads"))
            .and(query_param("part", "snippet,replies"))
            .and(query_param("allThreadsRelatedToChannelId", CHANNEL))
            .and(query_param("maxResults", "100"))
            .and(query_param("order", "time"))
            .and(query_param("textFormat", "plainText"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()));
        let mock = match page_token {
            Some(token) => mock.and(query_param("pageToken", token)),
            None => mock.and(query_param_is_missing("pageToken")),
        };
        mock.respond_with(json(200, body)).mount(server).await;
    }

    fn ids(harvest: &Harvest) -> Vec<&str> {
        harvest
            .comments
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect()
    }

    #[tokio::test]
    async fn channel_listing_keeps_valid_threads_sets_aside_a_malformed_one_and_moves_the_cursor_at_the_end()
     {
        let server = MockServer::start().await;
        mount_threads(&server, None, data!("comment_threads_page.json")).await;
        mount_threads(&server, Some(NEXT), data!("comment_threads_last_page.json")).await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));
        let cursors = Cursors::new();

        let first = youtube.first_fetches(&cursors, since());
        let page = youtube.fetch(&first[0], &cursors).await.expect("page 1");

        assert_eq!(
            ids(&page),
            [
                THREAD_1,
                "UgxISZhP_62DIrtv2r94AaABAg.9xYz1AbCdEf9xYz2GhIjKl",
                THREAD_2
            ]
        );
        let reply = &page.comments[1];
        assert_eq!(reply.parent_id.as_deref(), Some(THREAD_1));
        assert_eq!(reply.post_id, "7ghhRHRP6t4");
        assert_eq!(reply.author_id.as_deref(), Some(CHANNEL));
        assert_eq!(
            page.comments[0].permalink.as_deref(),
            Some("https://www.youtube.com/watch?v=7ghhRHRP6t4&lc=UgxISZhP_62DIrtv2r94AaABAg")
        );
        assert_eq!(
            page.comments[0].text,
            "När öppnar badet igen efter renoveringen?"
        );
        assert!(page.comments[0].raw.get().contains("\"textOriginal\""));
        assert_eq!(page.rejected.len(), 1);
        assert_eq!(page.rejected[0].listing, CHANNEL_LISTING);
        assert!(
            String::from_utf8_lossy(&page.rejected[0].raw).contains("UgwBrokenThreadNoTime4AaABAg")
        );
        assert!(
            page.cursors.is_empty(),
            "the cursor moved before the listing ended"
        );
        let listings: Vec<&str> = page.more.iter().map(|f| f.listing.as_str()).collect();
        assert_eq!(
            listings,
            ["replies:UgzUoQgRFt_6K4EGlsV4AaABAg", "channel", "videos"]
        );
        assert_eq!(
            page.more[2].page.as_deref(),
            Some("7ghhRHRP6t4,wtLJPvx7-ys")
        );

        let last = youtube
            .fetch(&page.more[1], &cursors)
            .await
            .expect("page 2");
        assert_eq!(ids(&last), ["UgyOlderThreadX9kL2mN4AaABAg"]);
        assert!(last.more.iter().all(|f| f.listing != CHANNEL_LISTING));
        assert!(
            last.more.iter().all(|f| f.listing != VIDEOS_LISTING),
            "wtLJPvx7-ys, named by page 1, is not looked up again: {:?}",
            last.more
        );
        assert_eq!(
            last.cursors,
            [(
                CHANNEL_LISTING.to_string(),
                Cursor(format!("2026-11-23T09:12:05Z {THREAD_1}"))
            )]
        );
        assert_eq!(youtube.units_spent().units, 2 * LIST_UNITS);
    }

    #[tokio::test]
    async fn paging_stops_at_the_newest_comment_seen_last_run() {
        let server = MockServer::start().await;
        mount_threads(&server, None, data!("comment_threads_page.json")).await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));
        let cursors = Cursors::from([(
            CHANNEL_LISTING.to_string(),
            Cursor(format!("2026-11-23T08:30:09Z {THREAD_2}")),
        )]);

        let first = youtube.first_fetches(&cursors, since());
        let page = youtube.fetch(&first[0], &cursors).await.expect("page");

        assert_eq!(ids(&page)[0], THREAD_1);
        assert!(
            !ids(&page).contains(&THREAD_2),
            "the cursor's own thread came again"
        );
        assert!(
            page.more.iter().all(|f| f.listing != CHANNEL_LISTING),
            "paged on past the cursor: {:?}",
            page.more
        );
        assert_eq!(
            page.cursors,
            [(
                CHANNEL_LISTING.to_string(),
                Cursor(format!("2026-11-23T09:12:05Z {THREAD_1}"))
            )]
        );
    }

    #[tokio::test]
    async fn replies_beyond_the_embedded_ones_are_listed_by_parent_id() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/comments"))
            .and(query_param("part", "snippet"))
            .and(query_param("parentId", THREAD_2))
            .and(query_param("textFormat", "plainText"))
            .respond_with(json(200, data!("comments_replies.json")))
            .mount(&server)
            .await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));

        let fetch = Fetch::first(format!("replies:{THREAD_2}"));
        let replies = youtube
            .fetch(&fetch, &Cursors::new())
            .await
            .expect("replies");

        assert_eq!(replies.comments.len(), 2);
        assert!(
            replies
                .comments
                .iter()
                .all(|c| c.parent_id.as_deref() == Some(THREAD_2))
        );
        assert!(!replies.comments[0].is_hidden);
        assert!(replies.comments[1].is_hidden, "heldForReview is hidden");
        assert!(replies.more.is_empty());
    }

    #[tokio::test]
    async fn videos_become_posts_with_their_titles() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/videos"))
            .and(query_param("part", "snippet"))
            .and(query_param("id", "7ghhRHRP6t4,wtLJPvx7-ys"))
            .respond_with(json(200, data!("videos.json")))
            .mount(&server)
            .await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));

        let fetch = Fetch::page("videos", "7ghhRHRP6t4,wtLJPvx7-ys");
        let videos = youtube
            .fetch(&fetch, &Cursors::new())
            .await
            .expect("videos");

        assert_eq!(videos.posts.len(), 2);
        assert_eq!(videos.posts[0].platform_id, "7ghhRHRP6t4");
        assert_eq!(
            videos.posts[0].text.as_deref(),
            Some("Eriksdalsbadet öppnar igen")
        );
        assert_eq!(videos.posts[0].created_at, at("2026-11-20T10:00:00Z"));
    }

    async fn listing_error(template: ResponseTemplate, now: &str) -> PlatformError {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/commentThreads"))
            .respond_with(template)
            .expect(1)
            .mount(&server)
            .await;
        let youtube = connector(&server, clock_at(now));
        let first = youtube.first_fetches(&Cursors::new(), since());
        youtube
            .fetch(&first[0], &Cursors::new())
            .await
            .expect_err("the call must fail")
    }

    #[tokio::test]
    async fn quota_exceeded_waits_until_midnight_pacific_time() {
        // 20:00 UTC is noon in Los Angeles (PST): twelve hours to go.
        let error = listing_error(
            json(403, data!("error_quota_exceeded.json")),
            "2026-12-03T20:00:00Z",
        )
        .await;
        match error {
            PlatformError::RateLimited {
                retry_after, usage, ..
            } => {
                assert_eq!(retry_after, Some(Duration::from_secs(12 * 3600)));
                assert!(usage.contains("2026-12-04 08:00:00 UTC"), "{usage}");
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn each_google_error_maps_to_what_the_caller_does_next() {
        let now = "2026-12-03T10:00:00Z";
        let rate = listing_error(
            json(403, data!("error_rate_limit_exceeded.json")).insert_header("retry-after", "30"),
            now,
        )
        .await;
        assert!(
            matches!(rate, PlatformError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(30)),
            "{rate:?}"
        );
        let auth = listing_error(json(401, data!("error_auth_401.json")), now).await;
        assert!(
            matches!(&auth, PlatformError::Unauthorized { detail } if detail.contains("authError")),
            "{auth:?}"
        );
        let backend = listing_error(json(503, data!("error_backend_503.json")), now).await;
        assert!(
            matches!(backend, PlatformError::Transient { .. }),
            "{backend:?}"
        );
        let disabled = listing_error(json(403, data!("error_comments_disabled.json")), now).await;
        assert!(
            matches!(&disabled, PlatformError::Permanent { detail } if detail.contains("commentsDisabled")),
            "{disabled:?}"
        );
        let proxy = listing_error(ResponseTemplate::new(502).set_body_string("<html>"), now).await;
        assert!(
            matches!(proxy, PlatformError::Transient { .. }),
            "{proxy:?}"
        );
        let garbage = listing_error(json(200, "{\"items\": 5}"), now).await;
        assert!(
            matches!(garbage, PlatformError::Malformed { .. }),
            "{garbage:?}"
        );
    }

    fn comment(id: &str) -> FetchedComment {
        let raw = format!(
            r#"{{"kind":"youtube#comment","id":"{id}","snippet":{{"videoId":"7ghhRHRP6t4","textDisplay":"Ring 070-123 45 67","publishedAt":"2026-11-23T09:12:05Z"}}}}"#
        );
        comment_from_raw(RawValue::from_string(raw).expect("JSON"), "").expect("comment")
    }

    async fn mount_moderation(server: &MockServer, status: &str, answer: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path("/youtube/v3/comments/setModerationStatus"))
            .and(query_param("id", THREAD_1))
            .and(query_param("moderationStatus", status))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(answer)
            .expect(1)
            .mount(server)
            .await;
    }

    #[tokio::test]
    async fn hide_holds_for_review_delete_rejects_and_each_costs_fifty_units() {
        let server = MockServer::start().await;
        mount_moderation(&server, "heldForReview", ResponseTemplate::new(204)).await;
        mount_moderation(&server, "rejected", ResponseTemplate::new(204)).await;
        mount_moderation(&server, "published", ResponseTemplate::new(204)).await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));
        let (_dir, receipt) = archived(&comment(THREAD_1), PlatformKind::Youtube);

        youtube.hide(&receipt).await.expect("held");
        youtube.unhide(THREAD_1).await.expect("published");
        youtube.delete(&receipt).await.expect("rejected");

        assert_eq!(youtube.units_spent().units, 3 * MODERATE_UNITS);
        assert_eq!(youtube.verb(ModerationAction::Hide), "heldForReview");
        assert_eq!(youtube.verb(ModerationAction::Delete), "rejected");
        let caps = youtube.capabilities(&comment(THREAD_1));
        assert!(caps.hide && caps.delete);
    }

    #[tokio::test]
    async fn moderating_a_comment_that_is_gone_is_not_found() {
        let server = MockServer::start().await;
        mount_moderation(
            &server,
            "rejected",
            json(404, data!("error_comment_not_found.json")),
        )
        .await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));
        let (_dir, receipt) = archived(&comment(THREAD_1), PlatformKind::Youtube);

        let error = youtube.delete(&receipt).await.expect_err("gone");
        assert!(matches!(error, PlatformError::NotFound), "{error:?}");
    }

    #[tokio::test]
    async fn moderation_state_reads_the_owner_only_moderation_status() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/comments"))
            .and(query_param("id", THREAD_1))
            .respond_with(json(200, data!("comment_held_for_review.json")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/comments"))
            .and(query_param("id", THREAD_2))
            .respond_with(json(200, data!("comments_empty.json")))
            .mount(&server)
            .await;
        let youtube = connector(&server, clock_at("2026-11-23T10:00:00Z"));

        assert_eq!(
            youtube.moderation_state(THREAD_1).await.expect("state"),
            ModerationState::Hidden
        );
        assert_eq!(
            youtube.moderation_state(THREAD_2).await.expect("state"),
            ModerationState::Removed
        );
        assert_eq!(moderation_state_of(None), ModerationState::Unknown);
    }

    #[tokio::test]
    async fn spent_units_start_again_at_midnight_pacific_and_survive_a_restart() {
        let server = MockServer::start().await;
        // 07:59 UTC on 4 December is 23:59 on 3 December in Los Angeles.
        let clock = clock_at("2026-12-04T07:59:00Z");
        let youtube = connector(&server, clock.clone());
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");

        youtube.restore_units(QuotaSpent { day, units: 9_000 });
        youtube.charge(LIST_UNITS);
        assert_eq!(youtube.units_spent(), QuotaSpent { day, units: 9_001 });

        clock.advance(chrono::TimeDelta::minutes(2));
        let next_day = NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        assert_eq!(
            youtube.units_spent(),
            QuotaSpent {
                day: next_day,
                units: 0
            }
        );
        youtube.restore_units(QuotaSpent { day, units: 9_001 });
        assert_eq!(
            youtube.units_spent().units,
            0,
            "yesterday's count came back"
        );
    }

    fn oauth_connector(
        server: &MockServer,
        dir: &tempfile::TempDir,
    ) -> (YoutubeChannel, Arc<OAuthTokenSource>) {
        let file = dir.path().join("youtube-refresh-token");
        std::fs::write(&file, "1//0g-refresh-secret").expect("write");
        let clock = clock_at("2026-11-23T10:00:00Z");
        let tokens = Arc::new(
            OAuthTokenSource::new(
                OAuthSettings {
                    token_endpoint: format!("{}/token", server.uri()),
                    client_id: "client".into(),
                    client_secret: SecretString::from("client-secret"),
                    refresh_token_file: file,
                    request_timeout: Duration::from_secs(5),
                },
                reqwest::Client::new(),
                clock.clone(),
            )
            .expect("source"),
        );
        let youtube = YoutubeChannel::new(
            settings(server),
            tokens.clone(),
            clock,
            reqwest::Client::new(),
        )
        .expect("valid");
        (youtube, tokens)
    }

    #[tokio::test]
    async fn a_refused_access_token_is_refreshed_and_the_call_retried_once() {
        let server = MockServer::start().await;
        let dir = tempfile::tempdir().expect("dir");
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(200, data!("token_google.json")))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(
                200,
                r#"{"access_token":"ya29.second-access-token","expires_in":3599,"token_type":"Bearer"}"#,
            ))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/commentThreads"))
            .and(header(
                "authorization",
                "Bearer ya29.a0AfB_byC-test-access-token-ONE",
            ))
            .respond_with(json(401, data!("error_auth_401.json")))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/commentThreads"))
            .and(header("authorization", "Bearer ya29.second-access-token"))
            .respond_with(json(200, data!("comment_threads_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let (youtube, _) = oauth_connector(&server, &dir);

        let first = youtube.first_fetches(&Cursors::new(), since());
        let page = youtube
            .fetch(&first[0], &Cursors::new())
            .await
            .expect("retried");
        assert_eq!(ids(&page), ["UgyOlderThreadX9kL2mN4AaABAg"]);
    }

    #[tokio::test]
    async fn a_revoked_grant_stops_the_call_with_a_distinct_error_and_no_token_in_it() {
        let server = MockServer::start().await;
        let dir = tempfile::tempdir().expect("dir");
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(json(400, data!("token_invalid_grant.json")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/commentThreads"))
            .respond_with(json(200, data!("comment_threads_last_page.json")))
            .expect(0)
            .mount(&server)
            .await;
        let (youtube, tokens) = oauth_connector(&server, &dir);

        let first = youtube.first_fetches(&Cursors::new(), since());
        let error = youtube
            .fetch(&first[0], &Cursors::new())
            .await
            .expect_err("revoked");
        let shown = error.to_string();
        assert!(
            matches!(error, PlatformError::Unauthorized { .. }),
            "{error:?}"
        );
        assert!(shown.contains("invalid_grant"), "{shown}");
        assert_hides(&error, &shown, "1//0g-refresh-secret");
        assert_hides(&error, &shown, "client-secret");
        assert!(tokens.grant().revoked.is_some());
    }

    #[tokio::test]
    async fn a_platform_message_that_echoes_the_token_is_scrubbed() {
        let body = format!(
            r#"{{"error":{{"code":400,"message":"Bad token {TOKEN}","errors":[{{"reason":"badRequest"}}]}}}}"#
        );
        let error = listing_error(json(400, &body), "2026-11-23T10:00:00Z").await;
        let shown = error.to_string();
        assert!(shown.contains("[redacted]"), "{shown}");
        assert_hides(&error, &shown, TOKEN);
    }

    #[test]
    fn pages_and_cursors_survive_their_text_form() {
        let page = ChannelPage {
            token: Some(NEXT.to_string()),
            floor: Mark {
                at: since(),
                id: String::new(),
            },
            newest: Some(Mark {
                at: at("2026-11-23T09:12:05Z"),
                id: "Ugx.9xY".into(),
            }),
            named: ["7ghhRHRP6t4".to_string(), "wtLJPvx7-ys".to_string()].into(),
        };
        assert_eq!(ChannelPage::decode(&page.encode()), Some(page));
        assert_eq!(ChannelPage::decode("no bars"), None);
    }

    async fn profile_answering(
        template: ResponseTemplate,
    ) -> (YoutubeChannel, Result<AccountProfile, PlatformError>) {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/youtube/v3/channels"))
            .and(query_param("part", "snippet,brandingSettings"))
            .and(query_param("id", CHANNEL))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(template)
            .expect(1)
            .mount(&server)
            .await;
        let youtube = connector(&server, clock_at("2026-12-03T10:00:00Z"));
        let profile = youtube.profile().await;
        (youtube, profile)
    }

    #[tokio::test]
    async fn the_channel_profile_costs_one_unit_and_says_links_and_email_cannot_be_read() {
        let (youtube, profile) = profile_answering(json(200, data!("channel_profile.json"))).await;
        let profile = profile.expect("profile");

        assert_eq!(youtube.units_spent().units, LIST_UNITS);
        assert_eq!(profile.name.as_deref(), Some("Stockholms stad"));
        assert_eq!(
            profile.texts.len(),
            1,
            "the same text twice is one: {profile:?}"
        );
        assert_eq!(profile.texts[0].field, "snippet.description");
        assert!(profile.texts[0].text.contains("https://start.stockholm.se"));
        assert!(profile.links.is_empty());
        for item in [ProfileItem::Website, ProfileItem::Contact] {
            assert!(profile.hidden_reason(item).is_some(), "{item:?}");
        }
    }

    #[tokio::test]
    async fn an_unknown_channel_or_a_refused_read_is_an_error_not_an_empty_profile() {
        let (_, unknown) = profile_answering(json(200, data!("channels_empty.json"))).await;
        assert!(
            matches!(unknown, Err(PlatformError::Permanent { .. })),
            "{unknown:?}"
        );
        let (_, refused) = profile_answering(json(401, data!("error_auth_401.json"))).await;
        assert!(
            matches!(refused, Err(PlatformError::Unauthorized { .. })),
            "{refused:?}"
        );
        let (_, quota) = profile_answering(json(403, data!("error_quota_exceeded.json"))).await;
        assert!(
            matches!(quota, Err(PlatformError::RateLimited { .. })),
            "{quota:?}"
        );
    }
}
