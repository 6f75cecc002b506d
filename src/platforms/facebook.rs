//! Facebook Pages connector: lists a Page's posts and the comments under
//! them through the Graph API, and hides, unhides or deletes comments.
//!
//! The module is deliberately thin. It owns the Page's settings, private
//! serde structs that mirror the Graph API's documented JSON, and the
//! [`Platform`] impl; each [`Platform::fetch`] makes exactly one HTTP
//! request. The collect stage executes the calls, retries, stores and saves
//! cursors, reacting to the [`PlatformError`] variant this module maps every
//! Graph error onto.
//!
//! Few calls: a run starts with one feed call whose `fields` expand each
//! post's comments in place (`comments.filter(stream).order(chronological)
//! .since(T).limit(100){…}`), so a steady-state run is one call per Page.
//! A post whose new comments do not fit continues on its own listing
//! (`post:{id}`, `GET /{post}/comments` from the nested `paging`), and the
//! feed on its next page. The feed's cursor is the time up to which every
//! comment has been stored: the newest comment seen, held back to where a
//! post's comments stopped fitting, and written only at the end of the
//! feed's walk (the walk carries it from page to page in [`Fetch::page`]).
//!
//! Wire details worth knowing:
//!
//! - The access token travels only in the `Authorization: Bearer` header,
//!   never in a URL, so it cannot leak through logged URLs; every error detail
//!   is scrubbed of it as well. The one exception is `debug_token` (the
//!   daily check of when the token ends), which takes the token itself as
//!   `input_token`; its errors are scrubbed the same way.
//! - A listing has a next page only when `paging.next` is present. The
//!   connector continues with the paging parameters of that URL — `after`
//!   (cursor-based) or `until` with `__paging_token` (time-based, sent
//!   without `cursors`) — or `cursors.after`; it never follows the `next`
//!   URL itself, because real ones embed the access token. A `next` it
//!   cannot continue from keeps the page and is quarantined.
//! - One item that cannot be read (a post or comment with a broken field)
//!   is handed back as a [`RejectedItem`] with its raw bytes; the rest of
//!   the page is kept.
//! - Since Graph v11 a comment's `id` (and `parent`) is only returned when
//!   the token may MODERATE the Page. The ids are then read from the
//!   comment's `permalink_url` (`comment_id`, `reply_comment_id`), so the
//!   Page's own replies are placed in their thread; a comment without
//!   either is still archived, under a synthetic `unidentified:` id, and
//!   any attempt to hide or delete it fails with a
//!   [`PlatformError::Permanent`] that says why.
//! - Rate limits are reported in the `X-Business-Use-Case-Usage` and
//!   `X-App-Usage` headers; the BUC header's `estimated_time_to_regain_access`
//!   is in minutes.
//! - A comment's `attachment` (photo, video, sticker, link preview) names its
//!   media on the CDN under signed links: `media.image.src`, and for videos
//!   `media.source`. They are fetched by the pipeline's own attachment
//!   client ([`crate::platforms::media`]), never with this connector's token.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, Url};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::archive::ArchiveReceipt;
use crate::clock::Clock;
use crate::domain::{
    AccountProfile, Capabilities, FetchedComment, FetchedPost, ModerationAction, ModerationState,
    PlatformKind,
};
use crate::platforms::budget::{Usage, UsageMeter};
use crate::platforms::graph::{self, check_object_id, parse_graph_time};
use crate::platforms::transport::{self, versioned_base_url};
use crate::platforms::{Cursor, Cursors, Fetch, Harvest, Platform, PlatformError, RejectedItem};

/// The Page's profile fields the daily checks read (Page reference,
/// developers.facebook.com/docs/graph-api/reference/page).
const PROFILE_FIELDS: &str = "name,about,description,website,emails,phone,link";
/// Fields asked for on each post of the Page feed.
const POST_FIELDS: &str = "id,message,created_time,permalink_url";
/// Fields asked for on each comment; `from`, `parent` and `permalink_url` may
/// still be withheld by the platform. `attachment` is the photo, video,
/// sticker or link preview attached to the comment (a comment has at most
/// one): `media.image.src` is the picture, `media.source` a video's file.
const COMMENT_FIELDS: &str = "id,message,created_time,from{id,name},parent{id},permalink_url,\
                              is_hidden,attachment{type,url,media{image{src},source}}";
/// The listing of the Page feed with each post's comments nested in it;
/// its cursor is the time up to which every comment has been stored.
const FEED_LISTING: &str = "feed";
/// The listing of one post's comments beyond those nested in the feed.
const POST_LISTING_PREFIX: &str = "post:";
/// Graph's paging parameters, cursor-based (`after`) and time-based
/// (`until` with `__paging_token`), that a `next` URL carries.
const PAGING_PARAMS: [&str; 3] = ["after", "until", "__paging_token"];
/// Posts per feed page.
const POSTS_PER_PAGE: &str = "25";
/// Comments per page (the Graph API maximum for this edge is higher, but 100
/// keeps each answer well within the request timeout).
const COMMENTS_PER_PAGE: &str = "100";
/// Prefix of the synthetic id given to a comment the platform sent without one.
const UNIDENTIFIED_PREFIX: &str = "unidentified:";

/// Everything needed to talk to one Facebook Page. Built from the account's
/// configuration; the token is a Page (or system-user) access token with the
/// `pages_read_user_content` and `pages_manage_engagement` permissions.
#[derive(Debug, Clone)]
pub struct FacebookSettings {
    /// Scheme and host of the Graph API, e.g. `https://graph.facebook.com`;
    /// points at the simulator or a test server in demos and tests.
    pub api_base_url: String,
    /// Graph API version path segment, e.g. `v24.0`. Pinned in configuration
    /// so a platform upgrade is a deliberate change.
    pub api_version: String,
    /// The Page's id (or username), whose feed is watched.
    pub page_id: String,
    /// The access token; sent only as a bearer header.
    pub token: SecretString,
    /// How long one request may take, body included, before it counts as a
    /// timeout.
    pub request_timeout: Duration,
}

/// The connection to one Facebook Page through the Graph API.
#[derive(Debug)]
pub struct FacebookPage {
    versioned_base: Url,
    page_id: String,
    token: SecretString,
    request_timeout: Duration,
    client: reqwest::Client,
    meter: UsageMeter,
}

/// `{"data":[…],"paging":{…}}`, with each item kept as its raw bytes so the
/// archive can store exactly what the platform sent.
#[derive(Deserialize)]
struct WireListing {
    data: Vec<Box<RawValue>>,
    /// Kept raw: paging Graph sends in a shape the connector cannot follow
    /// is quarantined as it came.
    paging: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct WirePaging {
    cursors: Option<WireCursors>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct WireCursors {
    after: Option<String>,
}

#[derive(Deserialize)]
struct WirePost {
    id: String,
    message: Option<String>,
    created_time: String,
    permalink_url: Option<String>,
}

#[derive(Deserialize)]
struct WireComment {
    id: Option<String>,
    message: Option<String>,
    created_time: String,
    from: Option<WireAuthor>,
    parent: Option<WireObjectRef>,
    permalink_url: Option<String>,
    #[serde(default)]
    is_hidden: bool,
}

/// A comment's moderation state, read back after a crash or a malformed
/// reply (`GET /{comment}?fields=id,is_hidden`).
#[derive(Deserialize)]
struct CommentState {
    #[serde(default)]
    is_hidden: bool,
}

/// Only the comment's attachment, for [`Platform::attachment_urls`].
#[derive(Deserialize)]
struct WireCommentAttachment {
    attachment: Option<WireAttachment>,
}

#[derive(Deserialize)]
struct WireAttachment {
    media: Option<WireMedia>,
}

#[derive(Deserialize)]
struct WireMedia {
    image: Option<WireImage>,
    /// A video's file.
    source: Option<String>,
}

#[derive(Deserialize)]
struct WireImage {
    src: Option<String>,
}

/// The Page's profile: `about` is the short text under the name,
/// `description` the longer one, `website` may hold several URLs
/// separated by whitespace, `emails` and `phone` are the contact fields.
#[derive(Deserialize)]
struct WirePageProfile {
    name: Option<String>,
    about: Option<String>,
    description: Option<String>,
    website: Option<String>,
    #[serde(default)]
    emails: Vec<String>,
    phone: Option<String>,
}

impl WirePageProfile {
    /// The platform-neutral profile: a Page exposes every item.
    fn into_profile(self) -> AccountProfile {
        let mut profile = AccountProfile {
            name: self.name,
            emails: self.emails,
            phones: self.phone.into_iter().collect(),
            ..AccountProfile::default()
        };
        profile.push_text("about", self.about);
        profile.push_text("description", self.description);
        for link in self.website.iter().flat_map(|w| w.split_whitespace()) {
            profile.push_link(Some(link.to_string()));
        }
        profile
    }
}

#[derive(Deserialize)]
struct WireAuthor {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct WireObjectRef {
    id: String,
}

impl FacebookPage {
    /// Builds the connector, refusing a base URL, version or Page id that
    /// cannot form a Graph API address, so a bad configuration fails at
    /// start-up rather than on the first poll.
    /// `clock` is the service's: usage headers are stamped with its time.
    pub fn new(
        settings: FacebookSettings,
        client: reqwest::Client,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, PlatformError> {
        let versioned_base =
            versioned_base_url(&settings.api_base_url, &settings.api_version, "Graph API")?;
        check_object_id(&settings.page_id, "page id")?;
        Ok(Self {
            versioned_base,
            page_id: settings.page_id,
            token: settings.token,
            request_timeout: settings.request_timeout,
            client,
            meter: UsageMeter::new(clock),
        })
    }

    /// `{base}/{version}/{object_id}[/{edge}]`, with the id percent-encoded
    /// as one path segment so an id can never change the request's path.
    fn object_url(&self, object_id: &str, edge: Option<&str>) -> Result<Url, PlatformError> {
        check_object_id(object_id, "object id")?;
        let mut url = self.versioned_base.clone();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| PlatformError::Permanent {
                    detail: "the Graph API base URL cannot take a path".to_string(),
                })?;
            segments.push(object_id);
            if let Some(edge) = edge {
                segments.push(edge);
            }
        }
        Ok(url)
    }

    /// Sends one request with the bearer token and timeout, and returns the
    /// body of a successful answer or the mapped error of a failed one.
    async fn execute(&self, request: RequestBuilder) -> Result<Vec<u8>, PlatformError> {
        graph::execute(request, &self.token, self.request_timeout, &self.meter).await
    }

    /// [`transport::redact`] with this Page's token.
    fn redact(&self, text: &str) -> String {
        transport::redact(text, &self.token)
    }

    /// [`transport::redacted`] with this Page's token.
    fn redacted(&self, error: PlatformError) -> PlatformError {
        transport::redacted(error, &self.token)
    }

    /// Sends `is_hidden=true|false` for one comment.
    async fn set_hidden(&self, comment_id: &str, hidden: bool) -> Result<(), PlatformError> {
        let url = self.moderation_url(comment_id)?;
        let value = if hidden { "true" } else { "false" };
        let body = self
            .execute(self.client.post(url).form(&[("is_hidden", value)]))
            .await?;
        self.expect_success(&body, if hidden { "hide" } else { "unhide" })
    }

    /// The address of a comment that may be moderated; refuses the
    /// synthetic ids of comments the token may not moderate.
    fn moderation_url(&self, comment_id: &str) -> Result<Url, PlatformError> {
        if comment_id.starts_with(UNIDENTIFIED_PREFIX) {
            return Err(PlatformError::Permanent {
                detail: format!(
                    "comment {comment_id} came without a platform id because the access token \
                     lacks the MODERATE task on the Page; it cannot be hidden or deleted until \
                     the token has moderation rights"
                ),
            });
        }
        self.object_url(comment_id, None)
    }

    /// Checks a `{"success":…}` answer to a moderation call.
    fn expect_success(&self, body: &[u8], action: &str) -> Result<(), PlatformError> {
        graph::expect_success(body, action, &self.token)
    }
}

impl FacebookPage {
    /// One page of the Page feed, each post with its comments since the
    /// window's start nested in it (Graph field expansion): in a steady
    /// state the whole account in one request.
    async fn fetch_feed(&self, window: &Continuation) -> Result<Harvest, PlatformError> {
        let url = self.object_url(&self.page_id, Some("feed"))?;
        let mut query = vec![
            ("fields".to_string(), feed_fields(window.comments_since)),
            ("limit".to_string(), POSTS_PER_PAGE.to_string()),
        ];
        if let Some(since) = window.posts_since {
            query.push(("since".to_string(), since.to_string()));
        }
        query.extend(window.paging.iter().cloned());
        let body = self.execute(self.client.get(url).query(&query)).await?;
        let listing = parse_listing(&body, "feed").map_err(|e| self.redacted(e))?;
        let mut harvest = Harvest::default();
        let mut watermark = Watermark {
            seen: window.seen,
            floor: window.floor,
        };
        for (index, raw) in listing.data.into_iter().enumerate() {
            self.harvest_post(raw, index, window, &mut watermark, &mut harvest);
        }
        match next_paging(listing.paging.as_deref()) {
            NextPage::Last => {
                if let Some(cursor) = watermark.cursor() {
                    harvest.cursors.push((FEED_LISTING.to_string(), cursor));
                }
            }
            NextPage::Follow(paging) => harvest.more.push(Fetch::page(
                FEED_LISTING,
                Continuation {
                    paging,
                    seen: watermark.seen,
                    floor: watermark.floor,
                    ..window.clone()
                }
                .encode(),
            )),
            NextPage::Unreadable(raw) => {
                // The rest of the feed cannot be reached: keep this page,
                // quarantine the paging object, and let the next run start
                // no later than this one did.
                harvest.rejected.push(rejected_paging(FEED_LISTING, raw));
            }
        }
        tracing::debug!(
            posts = harvest.posts.len(),
            comments = harvest.comments.len(),
            rejected = harvest.rejected.len(),
            more = harvest.more.len(),
            "Listed the feed"
        );
        Ok(harvest)
    }

    /// Adds one feed item to the harvest: the post, its nested comments, a
    /// follow-up fetch when they did not all fit, and what could not be read.
    fn harvest_post(
        &self,
        raw: Box<RawValue>,
        index: usize,
        window: &Continuation,
        watermark: &mut Watermark,
        harvest: &mut Harvest,
    ) {
        let (post_raw, nested) = match split_nested_comments(&raw) {
            Ok(parts) => parts,
            Err(reason) => {
                // Without the post's id its comments cannot be placed: the
                // whole item is quarantined and the cursor stays where the
                // run started, so they are listed again.
                watermark.hold_at(window.comments_since);
                harvest
                    .rejected
                    .push(rejected(FEED_LISTING, raw.get(), self.redact(&reason)));
                return;
            }
        };
        let post_id = post_raw.id.clone();
        match post_from_raw(post_raw.raw, index) {
            Ok(post) => harvest.posts.push(post),
            Err(error) => harvest.rejected.push(rejected(
                FEED_LISTING,
                raw.get(),
                self.redact(&error.to_string()),
            )),
        }
        let Some(nested) = nested else {
            return;
        };
        let listing = format!("{POST_LISTING_PREFIX}{post_id}");
        let mut newest_here = None;
        for (index, item) in nested.data.into_iter().enumerate() {
            match comment_from_raw(item.clone(), &post_id, index) {
                Ok(comment) => {
                    newest_here = newest_here.max(Some(comment.created_at.timestamp()));
                    harvest.comments.push(comment);
                }
                Err(error) => harvest.rejected.push(rejected(
                    &listing,
                    item.get(),
                    self.redact(&error.to_string()),
                )),
            }
        }
        watermark.saw(newest_here);
        match next_paging(nested.paging.as_deref()) {
            NextPage::Last => {}
            NextPage::Follow(paging) => {
                // The comments are listed oldest first: the ones that did
                // not fit are newer than the newest seen here.
                watermark.hold_at(newest_here.or(window.comments_since));
                harvest.more.push(Fetch::page(
                    listing,
                    Continuation {
                        paging,
                        comments_since: window.comments_since,
                        ..Continuation::default()
                    }
                    .encode(),
                ));
            }
            NextPage::Unreadable(raw) => {
                watermark.hold_at(newest_here.or(window.comments_since));
                harvest.rejected.push(rejected_paging(&listing, raw));
            }
        }
    }

    /// One more page of a post's comments, beyond those nested in the feed.
    async fn fetch_post_comments(
        &self,
        post_id: &str,
        window: &Continuation,
    ) -> Result<Harvest, PlatformError> {
        let url = self.object_url(post_id, Some("comments"))?;
        let mut query: Vec<(String, String)> = [
            ("filter", "stream"),
            ("order", "chronological"),
            ("limit", COMMENTS_PER_PAGE),
            ("fields", COMMENT_FIELDS),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if let Some(since) = window.comments_since {
            query.push(("since".to_string(), since.to_string()));
        }
        query.extend(window.paging.iter().cloned());
        let body = self.execute(self.client.get(url).query(&query)).await?;
        let listing = parse_listing(&body, "comments").map_err(|e| self.redacted(e))?;
        let listing_key = format!("{POST_LISTING_PREFIX}{post_id}");
        let mut harvest = Harvest::default();
        for (index, raw) in listing.data.into_iter().enumerate() {
            match comment_from_raw(raw.clone(), post_id, index) {
                Ok(comment) => harvest.comments.push(comment),
                Err(error) => harvest.rejected.push(rejected(
                    &listing_key,
                    raw.get(),
                    self.redact(&error.to_string()),
                )),
            }
        }
        match next_paging(listing.paging.as_deref()) {
            NextPage::Last => {}
            NextPage::Follow(paging) => harvest.more.push(Fetch::page(
                listing_key,
                Continuation {
                    paging,
                    ..window.clone()
                }
                .encode(),
            )),
            NextPage::Unreadable(raw) => harvest.rejected.push(rejected_paging(&listing_key, raw)),
        }
        tracing::debug!(
            comments = harvest.comments.len(),
            more = !harvest.more.is_empty(),
            "Listed comments"
        );
        Ok(harvest)
    }
}

#[async_trait]
impl Platform for FacebookPage {
    fn usage(&self) -> Usage {
        Usage {
            readings: self.meter.readings(),
            ..Usage::default()
        }
    }

    fn kind(&self) -> PlatformKind {
        PlatformKind::Facebook
    }

    fn capabilities(&self, _comment: &FetchedComment) -> Capabilities {
        Capabilities {
            hide: true,
            delete: true,
            permalink: true,
        }
    }

    fn verb(&self, action: ModerationAction) -> &'static str {
        match action {
            ModerationAction::Hide => "is_hidden=true",
            ModerationAction::Delete => "DELETE",
            ModerationAction::Review => "review",
            ModerationAction::None => "none",
        }
    }

    fn first_fetches(&self, cursors: &Cursors, since: DateTime<Utc>) -> Vec<Fetch> {
        let stored = cursors.get(FEED_LISTING).and_then(cursor_time);
        let comments_since = stored.map_or(since, |at| at.max(since));
        let window = Continuation {
            posts_since: Some(since.timestamp()),
            comments_since: Some(comments_since.timestamp()),
            ..Continuation::default()
        };
        vec![Fetch::page(FEED_LISTING, window.encode())]
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id, listing = %fetch.listing))]
    async fn fetch(&self, fetch: &Fetch, _cursors: &Cursors) -> Result<Harvest, PlatformError> {
        let window = Continuation::decode(fetch.page.as_deref());
        if fetch.listing == FEED_LISTING {
            return self.fetch_feed(&window).await;
        }
        match fetch.listing.strip_prefix(POST_LISTING_PREFIX) {
            Some(post_id) => self.fetch_post_comments(post_id, &window).await,
            None => Err(PlatformError::Permanent {
                detail: format!("the Facebook connector has no listing {:?}", fetch.listing),
            }),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id, comment_id = %receipt.platform_comment_id()))]
    async fn hide(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        self.set_hidden(receipt.platform_comment_id(), true).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id, comment_id = %platform_comment_id))]
    async fn unhide(&self, platform_comment_id: &str) -> Result<(), PlatformError> {
        self.set_hidden(platform_comment_id, false).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id, comment_id = %receipt.platform_comment_id()))]
    async fn delete(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        let url = self.moderation_url(receipt.platform_comment_id())?;
        let body = self.execute(self.client.delete(url)).await?;
        self.expect_success(&body, "delete")
    }

    async fn token_end(&self) -> Result<Option<DateTime<Utc>>, PlatformError> {
        graph::token_end(
            &self.client,
            &self.versioned_base,
            &self.token,
            self.request_timeout,
            &self.meter,
        )
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id))]
    async fn profile(&self) -> Result<AccountProfile, PlatformError> {
        let url = self.object_url(&self.page_id, None)?;
        let request = self.client.get(url).query(&[("fields", PROFILE_FIELDS)]);
        let body = self.execute(request).await?;
        let wire: WirePageProfile = serde_json::from_slice(&body).map_err(|e| {
            self.redacted(PlatformError::Malformed {
                detail: format!("the Page profile is not a Page object: {e}"),
            })
        })?;
        Ok(wire.into_profile())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id, comment_id = %platform_comment_id))]
    async fn moderation_state(
        &self,
        platform_comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        let url = self.moderation_url(platform_comment_id)?;
        let request = self.client.get(url).query(&[("fields", "id,is_hidden")]);
        match self.execute(request).await {
            Ok(body) => {
                let state: CommentState =
                    serde_json::from_slice(&body).map_err(|e| PlatformError::Malformed {
                        detail: format!("comment state: {e}"),
                    })?;
                Ok(if state.is_hidden {
                    ModerationState::Hidden
                } else {
                    ModerationState::Visible
                })
            }
            Err(PlatformError::NotFound) => Ok(ModerationState::Removed),
            Err(e) => Err(e),
        }
    }

    fn attachment_urls(&self, comment: &FetchedComment) -> Vec<String> {
        attachment_urls_in(comment.raw.get())
    }
}

/// The media URLs of a comment's attachment: the video file and the
/// picture (a video's picture is its thumbnail, worth checking too).
fn attachment_urls_in(raw: &str) -> Vec<String> {
    let Ok(wire) = serde_json::from_str::<WireCommentAttachment>(raw) else {
        return Vec::new();
    };
    let Some(media) = wire.attachment.and_then(|a| a.media) else {
        return Vec::new();
    };
    let mut urls: Vec<String> = media
        .source
        .into_iter()
        .chain(media.image.and_then(|i| i.src))
        .filter(|url| !url.trim().is_empty())
        .collect();
    urls.dedup();
    urls
}

/// Parses the listing envelope, keeping each item's raw bytes.
fn parse_listing(body: &[u8], edge: &str) -> Result<WireListing, PlatformError> {
    serde_json::from_slice(body).map_err(|e| PlatformError::Malformed {
        detail: format!("the {edge} listing is not {{\"data\":[…],\"paging\":…}}: {e}"),
    })
}

/// Where the next page of a listing starts, as its `paging` object says.
enum NextPage {
    /// There is no next page.
    Last,
    /// Graph's own paging parameters for the next page (`after`, or the
    /// time-based `until` and `__paging_token`).
    Follow(Vec<(String, String)>),
    /// A `next` page exists but cannot be reached: the paging object as sent.
    Unreadable(String),
}

/// Reads `paging`: the parameters of `next` (never the URL itself, which
/// embeds the access token), else `cursors.after`.
fn next_paging(paging: Option<&RawValue>) -> NextPage {
    let Some(raw) = paging else {
        return NextPage::Last;
    };
    let Ok(wire) = serde_json::from_str::<WirePaging>(raw.get()) else {
        return NextPage::Unreadable(raw.get().to_string());
    };
    let Some(next) = wire.next else {
        return NextPage::Last;
    };
    let mut params = paging_params_of(&next);
    if params.is_empty()
        && let Some(after) = wire.cursors.and_then(|c| c.after).filter(|a| !a.is_empty())
    {
        params.push(("after".to_string(), after));
    }
    if params.is_empty() {
        NextPage::Unreadable(raw.get().to_string())
    } else {
        NextPage::Follow(params)
    }
}

/// The paging parameters of a `next` URL, in Graph's cursor-based and
/// time-based styles.
fn paging_params_of(next: &str) -> Vec<(String, String)> {
    let Ok(url) = Url::parse(next) else {
        return Vec::new();
    };
    url.query_pairs()
        .filter(|(key, value)| PAGING_PARAMS.contains(&key.as_ref()) && !value.is_empty())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// An item for quarantine.
fn rejected(listing: &str, raw: &str, reason: String) -> RejectedItem {
    RejectedItem {
        listing: listing.to_string(),
        raw: raw.as_bytes().to_vec(),
        reason,
    }
}

/// A `paging` object whose next page cannot be reached, for quarantine.
fn rejected_paging(listing: &str, raw: String) -> RejectedItem {
    RejectedItem {
        listing: listing.to_string(),
        raw: raw.into_bytes(),
        reason: "paging.next names no after cursor, until time or __paging_token to continue \
                 from; the rest of the listing is read on the next run"
            .to_string(),
    }
}

/// A feed item split into the post's own fields and its nested comments.
struct PostParts {
    id: String,
    /// The post's fields as sent, each value byte for byte, without the
    /// nested comments (they are stored one by one).
    raw: Box<RawValue>,
}

/// The nested `comments` of a feed item.
#[derive(Deserialize)]
struct WireNestedComments {
    #[serde(default)]
    data: Vec<Box<RawValue>>,
    paging: Option<Box<RawValue>>,
}

/// Splits a feed item; fails only when its id cannot be read, without
/// which its comments cannot be placed.
fn split_nested_comments(
    raw: &RawValue,
) -> Result<(PostParts, Option<WireNestedComments>), String> {
    let mut fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(raw.get())
        .map_err(|e| format!("a feed item is not a JSON object: {e}"))?;
    let nested = match fields.remove("comments") {
        None => None,
        Some(comments) => Some(
            serde_json::from_str::<WireNestedComments>(comments.get())
                .map_err(|e| format!("a feed item's comments are not {{\"data\":[…]}}: {e}"))?,
        ),
    };
    let id: String = fields
        .get("id")
        .and_then(|id| serde_json::from_str(id.get()).ok())
        .filter(|id: &String| !id.is_empty())
        .ok_or_else(|| "a feed item has no id".to_string())?;
    let rebuilt = serde_json::to_string(&fields)
        .ok()
        .and_then(|text| RawValue::from_string(text).ok())
        .ok_or_else(|| format!("feed item {id} cannot be re-encoded"))?;
    Ok((PostParts { id, raw: rebuilt }, nested))
}

/// The `fields` of a feed request: the post's fields and its comments
/// since `comments_since`, oldest first, expanded in place.
fn feed_fields(comments_since: Option<i64>) -> String {
    let since = comments_since
        .map(|at| format!(".since({at})"))
        .unwrap_or_default();
    format!(
        "{POST_FIELDS},comments.filter(stream).order(chronological){since}\
         .limit({COMMENTS_PER_PAGE}){{{COMMENT_FIELDS}}}"
    )
}

/// The time a feed cursor names (written by [`time_cursor`]; RFC 3339, as
/// the cursors migrated from the per-post table are, or Unix seconds).
fn cursor_time(cursor: &Cursor) -> Option<DateTime<Utc>> {
    cursor
        .0
        .parse::<i64>()
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .or_else(|| {
            DateTime::parse_from_rfc3339(&cursor.0)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// A feed cursor: the time up to which every comment has been stored.
fn time_cursor(seconds: i64) -> Option<Cursor> {
    DateTime::from_timestamp(seconds, 0)
        .map(|at| Cursor(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
}

/// How far the comments of a feed walk have been stored: the newest
/// comment seen, held back to where a post's comments did not all fit.
#[derive(Debug, Clone, Copy)]
struct Watermark {
    seen: Option<i64>,
    floor: Option<i64>,
}

impl Watermark {
    fn saw(&mut self, at: Option<i64>) {
        self.seen = self.seen.max(at);
    }

    /// Comments from `at` on may not all have been seen yet (from the
    /// beginning when `at` is unknown).
    fn hold_at(&mut self, at: Option<i64>) {
        let at = at.unwrap_or(0);
        self.floor = Some(self.floor.map_or(at, |floor| floor.min(at)));
    }

    /// The cursor to save when the walk ends, if anything was seen.
    fn cursor(&self) -> Option<Cursor> {
        let at = match (self.seen, self.floor) {
            (Some(seen), Some(floor)) => seen.min(floor),
            (seen, floor) => seen.or(floor)?,
        };
        time_cursor(at)
    }
}

/// What the connector writes into [`Fetch::page`]: the window a walk
/// covers (posts since, comments since), what it has seen so far, and
/// Graph's paging parameters for the page to fetch. A query string, so it
/// reads plainly in logs (it never holds the token).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Continuation {
    paging: Vec<(String, String)>,
    posts_since: Option<i64>,
    comments_since: Option<i64>,
    seen: Option<i64>,
    floor: Option<i64>,
}

impl Continuation {
    fn encode(&self) -> String {
        let Ok(mut url) = Url::parse("http://continuation.invalid/") else {
            return String::new();
        };
        {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in [
                ("since", self.posts_since),
                ("comments_since", self.comments_since),
                ("seen", self.seen),
                ("floor", self.floor),
            ] {
                if let Some(value) = value {
                    pairs.append_pair(key, &value.to_string());
                }
            }
            for (key, value) in &self.paging {
                pairs.append_pair(key, value);
            }
        }
        url.query().unwrap_or_default().to_string()
    }

    fn decode(page: Option<&str>) -> Self {
        let mut continuation = Self::default();
        let Some(page) = page else {
            return continuation;
        };
        let Ok(mut url) = Url::parse("http://continuation.invalid/") else {
            return continuation;
        };
        url.set_query(Some(page));
        for (key, value) in url.query_pairs() {
            let number = value.parse::<i64>().ok();
            match key.as_ref() {
                "since" => continuation.posts_since = number,
                "comments_since" => continuation.comments_since = number,
                "seen" => continuation.seen = number,
                "floor" => continuation.floor = number,
                key if PAGING_PARAMS.contains(&key) => continuation
                    .paging
                    .push((key.to_string(), value.into_owned())),
                _ => {}
            }
        }
        continuation
    }
}

/// One post of the feed, with its raw bytes.
fn post_from_raw(raw: Box<RawValue>, index: usize) -> Result<FetchedPost, PlatformError> {
    let wire: WirePost = serde_json::from_str(raw.get()).map_err(|e| PlatformError::Malformed {
        detail: format!("feed item {index} is not a post: {e}"),
    })?;
    let created_at =
        parse_graph_time(&wire.created_time).ok_or_else(|| PlatformError::Malformed {
            detail: format!(
                "post {} has created_time {:?}, which is not a Graph timestamp",
                wire.id, wire.created_time
            ),
        })?;
    Ok(FetchedPost {
        platform_id: wire.id,
        text: wire.message,
        created_at,
        permalink: wire.permalink_url,
        raw,
    })
}

/// One comment, with its raw bytes; a comment sent without an id gets a
/// synthetic one derived from those bytes, so it is still stored and archived.
fn comment_from_raw(
    raw: Box<RawValue>,
    post_id: &str,
    index: usize,
) -> Result<FetchedComment, PlatformError> {
    let wire: WireComment =
        serde_json::from_str(raw.get()).map_err(|e| PlatformError::Malformed {
            detail: format!("comment {index} on post {post_id} is not a comment: {e}"),
        })?;
    let created_at = parse_graph_time(&wire.created_time).ok_or_else(|| PlatformError::Malformed {
        detail: format!(
            "comment {index} on post {post_id} has created_time {:?}, which is not a Graph timestamp",
            wire.created_time
        ),
    })?;
    let linked = wire
        .permalink_url
        .as_deref()
        .and_then(|link| ids_in_permalink(link, post_id));
    let platform_id = match (wire.id, &linked) {
        (Some(id), _) if !id.is_empty() => id,
        (_, Some(linked)) => linked.id.clone(),
        _ => unidentified_comment_id(post_id, raw.get()),
    };
    let parent_id = wire
        .parent
        .map(|p| p.id)
        .or_else(|| linked.and_then(|l| l.parent));
    let (author_id, author_name) = wire.from.map_or((None, None), |a| (a.id, a.name));
    Ok(FetchedComment {
        platform_id,
        post_id: post_id.to_string(),
        parent_id,
        author_id,
        author_name,
        text: wire.message.unwrap_or_default(),
        created_at,
        permalink: wire.permalink_url,
        is_hidden: wire.is_hidden,
        raw,
    })
}

/// A comment's id and the comment it answers, read from its permalink
/// (`…/posts/9001?comment_id=5001&reply_comment_id=5002`).
struct LinkedIds {
    id: String,
    parent: Option<String>,
}

/// Graph withholds comment ids (and `parent`) when the token lacks the
/// MODERATE task, but the permalink still names the comment and the one it
/// answers: with them the Page's own replies are placed in their thread,
/// so the questions they answer close.
fn ids_in_permalink(link: &str, post_id: &str) -> Option<LinkedIds> {
    let url = Url::parse(link).ok()?;
    let number = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .filter(|value| !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
    };
    let top = number("comment_id")?;
    Some(match number("reply_comment_id") {
        Some(reply) => LinkedIds {
            id: format!("{post_id}_{reply}"),
            parent: Some(format!("{post_id}_{top}")),
        },
        None => LinkedIds {
            id: format!("{post_id}_{top}"),
            parent: None,
        },
    })
}

/// `unidentified:{post_id}:{first 16 hex digits of sha256(raw)}`: stable for
/// the same bytes, so a re-fetch of an unchanged comment is deduplicated.
fn unidentified_comment_id(post_id: &str, raw: &str) -> String {
    let digest = hex::encode(Sha256::digest(raw.as_bytes()));
    let short = digest.get(..16).unwrap_or(&digest);
    format!("{UNIDENTIFIED_PREFIX}{post_id}:{short}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{Archive, RecordInput};
    use crate::clock::SystemClock;
    use crate::domain::{ModerationAction, PlatformKind};
    use crate::platforms::budget::UsageScope;
    use chrono::TimeZone;
    use wiremock::matchers::{
        body_string, header, method, path, query_param, query_param_is_missing,
    };
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "EAAGtestPageToken0123456789secret";
    const PAGE_ID: &str = "104";
    const POST_ID: &str = "104_9001";

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/data/platforms/facebook/", $name))
        };
    }

    fn settings(base: &str, timeout: Duration) -> FacebookSettings {
        FacebookSettings {
            api_base_url: base.to_string(),
            api_version: "v24.0".to_string(),
            page_id: PAGE_ID.to_string(),
            token: SecretString::from(TOKEN),
            request_timeout: timeout,
        }
    }

    fn connector(server: &MockServer) -> FacebookPage {
        connector_with_timeout(server, Duration::from_secs(5))
    }

    fn connector_with_timeout(server: &MockServer, timeout: Duration) -> FacebookPage {
        FacebookPage::new(
            settings(&server.uri(), timeout),
            reqwest::Client::new(),
            Arc::new(SystemClock),
        )
        .expect("test settings are valid")
    }

    fn json(status: u16, body: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
    }

    fn feed_path() -> String {
        format!("/v24.0/{PAGE_ID}/feed")
    }

    fn comments_path() -> String {
        format!("/v24.0/{POST_ID}/comments")
    }

    /// A comment as the connector would have fetched it.
    fn fetched_comment(raw: &str) -> FetchedComment {
        let raw = RawValue::from_string(raw.to_string()).expect("valid JSON");
        comment_from_raw(raw, POST_ID, 0).expect("valid comment")
    }

    /// Archives the comment for real and returns the receipt hide/delete need.
    fn archived(comment: &FetchedComment) -> (tempfile::TempDir, ArchiveReceipt) {
        let dir = tempfile::tempdir().expect("temp dir");
        let archive = Archive::open(dir.path()).expect("archive opens");
        let receipt = archive
            .archive_comment(&RecordInput {
                account_key: "stockholm",
                account_name: "Stockholms stad",
                platform: PlatformKind::Facebook,
                comment,
                fetched_at: Utc::now(),
                findings: &[],
                action: ModerationAction::Hide,
                screenshot: None,
            })
            .expect("archived");
        (dir, receipt)
    }

    fn identified_receipt() -> (tempfile::TempDir, ArchiveReceipt) {
        archived(&fetched_comment(
            r#"{"id":"104_9001_5001","message":"Ring 070-123 45 67","created_time":"2026-11-23T09:01:15+0000"}"#,
        ))
    }

    /// The first feed call of a run with a 30-day look-back.
    async fn feed_fetch(page: &FacebookPage) -> Result<Harvest, PlatformError> {
        let lookback = Utc.with_ymd_and_hms(2026, 10, 24, 0, 0, 0).unwrap();
        let first = page.first_fetches(&Cursors::new(), lookback).remove(0);
        page.fetch(&first, &Cursors::new()).await
    }

    async fn feed_error(template: ResponseTemplate) -> PlatformError {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(template)
            .mount(&server)
            .await;
        feed_fetch(&connector(&server))
            .await
            .expect_err("the call must fail")
    }

    /// The wait, usage report and scope of a rate-limit error.
    fn rate_limit_of(error: PlatformError) -> (Option<Duration>, String, UsageScope) {
        match error {
            PlatformError::RateLimited {
                retry_after,
                usage,
                scope,
            } => (retry_after, usage, scope),
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    fn assert_no_token(error: &PlatformError) {
        let shown = error.to_string();
        assert!(!shown.contains(TOKEN), "token leaked into {shown}");
        assert!(
            !format!("{error:?}").contains(TOKEN),
            "token leaked into Debug"
        );
    }

    #[tokio::test]
    async fn one_feed_call_brings_posts_with_their_comments_nested() {
        let server = MockServer::start().await;
        let lookback = Utc.with_ymd_and_hms(2026, 10, 24, 0, 0, 0).unwrap();
        let cursor = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .and(query_param(
                "fields",
                format!(
                    "id,message,created_time,permalink_url,comments.filter(stream)\
                     .order(chronological).since({}).limit(100){{{COMMENT_FIELDS}}}",
                    cursor.timestamp()
                )
                .as_str(),
            ))
            .and(query_param(
                "since",
                lookback.timestamp().to_string().as_str(),
            ))
            .and(query_param("limit", "25"))
            .and(query_param_is_missing("after"))
            .and(query_param_is_missing("access_token"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("feed_nested_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let page = connector(&server);
        let cursors = Cursors::from([("feed".to_string(), Cursor("2026-11-23T07:00:00Z".into()))]);
        let first = page.first_fetches(&cursors, lookback);
        assert_eq!(first.len(), 1, "one call starts a Facebook run");

        let harvest = page.fetch(&first[0], &cursors).await.expect("feed");

        let ids: Vec<&str> = harvest
            .posts
            .iter()
            .map(|p| p.platform_id.as_str())
            .collect();
        assert_eq!(ids, ["104_9001", "104_9000", "104_8990"]);
        let newest = &harvest.posts[0];
        assert_eq!(
            newest.text.as_deref(),
            Some("Nu öppnar det nya badhuset i Farsta!")
        );
        assert_eq!(
            newest.created_at,
            Utc.with_ymd_and_hms(2026, 11, 23, 8, 12, 0).unwrap()
        );
        assert!(
            !newest.raw.get().contains("comments"),
            "the post's record leaves its comments to their own records"
        );
        assert_eq!(
            harvest.posts[1].text, None,
            "a post without message has no text"
        );
        assert_eq!(harvest.comments.len(), 6);
        let question = &harvest.comments[0];
        assert_eq!(question.platform_id, "104_9001_5001");
        assert_eq!(question.post_id, "104_9001");
        assert_eq!(question.author_id.as_deref(), Some("7001"));
        assert_eq!(question.text, "När öppnar badhuset på helger?");
        assert!(fixture!("feed_nested_page.json").contains(question.raw.get()));
        let reply = &harvest.comments[1];
        assert_eq!(reply.parent_id.as_deref(), Some("104_9001_5001"));
        let anonymous = &harvest.comments[2];
        assert_eq!(
            (anonymous.author_id.as_ref(), anonymous.permalink.as_ref()),
            (None, None)
        );
        assert!(anonymous.is_hidden);
        assert_eq!(harvest.comments[4].text, "", "a sticker has no text");
        assert_eq!(harvest.comments[5].post_id, "104_9000");
        assert!(harvest.rejected.is_empty());

        // Post 9001's comments did not fit: its own listing continues from
        // Graph's after cursor; the feed continues on its next page.
        let listings: Vec<&str> = harvest.more.iter().map(|f| f.listing.as_str()).collect();
        assert_eq!(listings, ["post:104_9001", "feed"]);
        assert!(
            harvest.more[0]
                .page
                .as_deref()
                .unwrap_or("")
                .contains("after=Y29tbWVudHNhZnRlcjE")
        );
        assert!(
            harvest.more[1]
                .page
                .as_deref()
                .unwrap_or("")
                .contains("after=QVFIUmFmdGVyMQ")
        );
        assert!(
            harvest.cursors.is_empty(),
            "the feed cursor is saved only when its walk is done"
        );
    }

    #[tokio::test]
    async fn the_feed_cursor_waits_for_comments_that_did_not_fit() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .and(query_param("after", "QVFIUmFmdGVyMQ"))
            .respond_with(json(200, fixture!("feed_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .and(query_param_is_missing("after"))
            .respond_with(json(200, fixture!("feed_nested_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let page = connector(&server);
        let lookback = Utc.with_ymd_and_hms(2026, 10, 24, 0, 0, 0).unwrap();
        let first = page.first_fetches(&Cursors::new(), lookback).remove(0);
        let harvest = page.fetch(&first, &Cursors::new()).await.expect("page 1");
        let next_feed = harvest
            .more
            .iter()
            .find(|f| f.listing == "feed")
            .expect("feed page 2");

        let last = page
            .fetch(next_feed, &Cursors::new())
            .await
            .expect("page 2");

        assert_eq!(last.posts.len(), 1);
        assert!(last.more.is_empty(), "no paging.next means no further page");
        // The newest comment seen is post 9000's at 09:40, but post 9001's
        // comments stopped fitting after 09:13: the ones that did not fit
        // are newer than that, so the next run starts from 09:13.
        assert_eq!(
            last.cursors,
            vec![(
                "feed".to_string(),
                Cursor("2026-11-23T09:13:00Z".to_string())
            )]
        );
    }

    #[tokio::test]
    async fn a_post_whose_comments_overflow_is_read_on_from_its_comments_edge() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .and(query_param("filter", "stream"))
            .and(query_param("order", "chronological"))
            .and(query_param("limit", "100"))
            .and(query_param("fields", COMMENT_FIELDS))
            .and(query_param("since", "1763881200"))
            .and(query_param("after", "Y29tbWVudHNhZnRlcjE"))
            .and(query_param_is_missing("access_token"))
            .respond_with(json(200, fixture!("comments_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let fetch = Fetch::page(
            "post:104_9001",
            "comments_since=1763881200&after=Y29tbWVudHNhZnRlcjE",
        );

        let harvest = connector(&server)
            .fetch(&fetch, &Cursors::new())
            .await
            .expect("comments");

        assert_eq!(harvest.comments.len(), 1);
        assert_eq!(harvest.comments[0].platform_id, "104_9001_5010");
        assert!(harvest.more.is_empty());
        assert!(harvest.cursors.is_empty());
    }

    #[tokio::test]
    async fn time_based_paging_is_followed_with_until_and_paging_token() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(json(200, fixture!("feed_time_paging.json")))
            .mount(&server)
            .await;
        let page = connector(&server);
        let lookback = Utc.with_ymd_and_hms(2026, 10, 24, 0, 0, 0).unwrap();
        let first = page.first_fetches(&Cursors::new(), lookback).remove(0);

        let harvest = page
            .fetch(&first, &Cursors::new())
            .await
            .expect("a valid page");

        assert_eq!(harvest.posts.len(), 1, "the valid first page is kept");
        assert_eq!(harvest.comments.len(), 1);
        assert_eq!(harvest.more.len(), 1);
        let next = Continuation::decode(harvest.more[0].page.as_deref());
        assert_eq!(
            next.paging,
            vec![
                ("until".to_string(), "1762758000".to_string()),
                ("__paging_token".to_string(), "enc_AdCnextTOKEN".to_string()),
            ]
        );
        assert_eq!(
            next.posts_since,
            Some(lookback.timestamp()),
            "the window stays"
        );
        page.fetch(&harvest.more[0], &Cursors::new())
            .await
            .expect("page 2");
        let requests = server.received_requests().await.expect("recorded");
        let second = requests[1].url.query().unwrap_or_default().to_string();
        assert!(second.contains("until=1762758000"), "{second}");
        assert!(
            second.contains("__paging_token=enc_AdCnextTOKEN"),
            "{second}"
        );
        assert!(
            !second.contains("SHOULD-NOT-BE-FOLLOWED"),
            "the next URL's token is not used"
        );
    }

    #[tokio::test]
    async fn a_repeating_after_cursor_names_the_same_call_again() {
        let server = MockServer::start().await;
        let body = fixture!("feed_page.json");
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(json(200, body))
            .mount(&server)
            .await;
        let page = connector(&server);
        let second = Fetch::page(
            "feed",
            "since=1761264000&comments_since=1761264000&after=QVFIUmFmdGVyMQ",
        );

        let harvest = page.fetch(&second, &Cursors::new()).await.expect("a page");

        assert_eq!(
            harvest.more,
            vec![second],
            "the page names itself as next: the collect stage stops the listing"
        );
    }

    #[tokio::test]
    async fn token_travels_only_in_the_authorization_header() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(json(200, fixture!("feed_last_page.json")))
            .mount(&server)
            .await;

        feed_fetch(&connector(&server)).await.expect("posts");

        let requests = server.received_requests().await.expect("recorded");
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert!(!request.url.as_str().contains(TOKEN));
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }

    #[tokio::test]
    async fn attachment_media_urls_are_read_from_the_comment_attachment_field() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(json(200, fixture!("feed_nested_page.json")))
            .mount(&server)
            .await;
        let connector = connector(&server);
        let harvest = feed_fetch(&connector).await.expect("comments");
        assert_eq!(
            connector.attachment_urls(&harvest.comments[0]),
            Vec::<String>::new()
        );
        assert_eq!(
            connector.attachment_urls(&harvest.comments[4]),
            ["https://scontent.xx.fbcdn.net/v/t39.30808-6/880011_n.jpg?oh=00_SIGNED&oe=6761A2B3"]
        );
        let video = fetched_comment(
            r#"{"id":"104_9001_6001","created_time":"2026-11-23T09:13:00+0000",
                "attachment":{"type":"video_inline","url":"https://www.facebook.com/watch/?v=1",
                "media":{"image":{"src":"https://cdn.example/thumb.jpg"},"source":"https://cdn.example/video.mp4"}}}"#,
        );
        assert_eq!(
            connector.attachment_urls(&video),
            [
                "https://cdn.example/video.mp4",
                "https://cdn.example/thumb.jpg"
            ]
        );
        let link_without_media = fetched_comment(
            r#"{"id":"104_9001_6002","created_time":"2026-11-23T09:13:00+0000",
                "attachment":{"type":"share","url":"https://example.org/"}}"#,
        );
        assert!(connector.attachment_urls(&link_without_media).is_empty());
    }

    #[tokio::test]
    async fn comment_without_id_gets_a_stable_synthetic_id_and_keeps_its_raw_bytes() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(json(200, fixture!("feed_nested_page.json")))
            .mount(&server)
            .await;

        let harvest = feed_fetch(&connector(&server)).await.expect("comments");

        let unidentified = &harvest.comments[3];
        let raw = unidentified.raw.get();
        assert!(
            raw.contains(r#""message":   "Kommentar utan id""#),
            "raw must be the bytes as received, whitespace included: {raw}"
        );
        assert!(fixture!("feed_nested_page.json").contains(raw));
        let digest = hex::encode(Sha256::digest(raw.as_bytes()));
        assert_eq!(
            unidentified.platform_id,
            format!("unidentified:{POST_ID}:{}", &digest[..16])
        );
        assert_eq!(unidentified.text, "Kommentar utan id");
    }

    #[tokio::test]
    async fn the_pages_reply_without_id_is_placed_in_its_thread_by_its_permalink() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .respond_with(json(200, fixture!("comments_reply_without_id.json")))
            .mount(&server)
            .await;
        let fetch = Fetch::page("post:104_9001", "comments_since=1763881200");

        let harvest = connector(&server)
            .fetch(&fetch, &Cursors::new())
            .await
            .expect("comments");

        let reply = &harvest.comments[0];
        assert_eq!(reply.platform_id, "104_9001_5020");
        assert_eq!(
            reply.parent_id.as_deref(),
            Some("104_9001_5001"),
            "the question it answers, so its ticket closes"
        );
        assert_eq!(reply.author_id.as_deref(), Some(PAGE_ID));
    }

    #[tokio::test]
    async fn a_malformed_item_is_rejected_and_the_valid_ones_kept() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(json(200, fixture!("feed_malformed_items.json")))
            .mount(&server)
            .await;

        let harvest = feed_fetch(&connector(&server))
            .await
            .expect("a usable page");

        let kept: Vec<&str> = harvest
            .comments
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect();
        assert_eq!(kept, ["104_9001_5001", "104_9001_5006"]);
        assert_eq!(
            harvest.posts.len(),
            1,
            "the post with a readable time is kept"
        );
        assert_eq!(harvest.rejected.len(), 2);
        let comment = &harvest.rejected[0];
        assert_eq!(comment.listing, "post:104_9001");
        assert!(
            comment.reason.contains("created_time"),
            "{}",
            comment.reason
        );
        let raw = std::str::from_utf8(&comment.raw).expect("UTF-8");
        assert!(
            raw.contains(r#""created_time": "igår""#),
            "the bytes as sent: {raw}"
        );
        assert!(fixture!("feed_malformed_items.json").contains(raw));
        let post = &harvest.rejected[1];
        assert_eq!(post.listing, "feed");
        assert!(String::from_utf8_lossy(&post.raw).contains("1763652600"));
        assert_eq!(
            harvest.cursors,
            vec![(
                "feed".to_string(),
                Cursor("2026-11-23T09:20:00Z".to_string())
            )]
        );
    }

    #[tokio::test]
    async fn pages_buc_limit_80001_is_rate_limited_with_the_longest_buc_wait() {
        let buc = r#"{"104":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":15,"estimated_time_to_regain_access":7},{"type":"pages","call_count":98,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":12}]}"#;
        let error = feed_error(
            json(400, fixture!("error_80001_pages_buc.json"))
                .insert_header("X-Business-Use-Case-Usage", buc),
        )
        .await;

        let (retry_after, usage, scope) = rate_limit_of(error);
        assert_eq!(scope, UsageScope::Account, "the Page's own limit");
        assert_eq!(retry_after, Some(Duration::from_secs(12 * 60)));
        assert!(usage.contains("X-Business-Use-Case-Usage"));
        assert!(usage.contains(r#""estimated_time_to_regain_access":12"#));
    }

    #[tokio::test]
    async fn page_limit_32_on_429_honours_retry_after_and_reports_app_usage() {
        let error = feed_error(
            json(429, fixture!("error_32_page_rate.json"))
                .insert_header(
                    "X-App-Usage",
                    r#"{"call_count":100,"total_time":40,"total_cputime":35}"#,
                )
                .insert_header("Retry-After", "120"),
        )
        .await;

        let (retry_after, usage, scope) = rate_limit_of(error);
        assert_eq!(scope, UsageScope::Account, "the Page's own limit");
        assert_eq!(retry_after, Some(Duration::from_secs(120)));
        assert!(usage.contains(r#"X-App-Usage: {"call_count":100"#));
    }

    #[tokio::test]
    async fn app_limit_4_takes_the_longer_of_buc_estimate_and_retry_after() {
        let buc =
            r#"{"104":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}]}"#;
        let error = feed_error(
            json(400, fixture!("error_4_app_rate.json"))
                .insert_header("X-Business-Use-Case-Usage", buc)
                .insert_header("X-App-Usage", r#"{"call_count":96}"#)
                .insert_header("Retry-After", "30"),
        )
        .await;

        let (retry_after, usage, scope) = rate_limit_of(error);
        assert_eq!(scope, UsageScope::App, "every account of the app");
        assert_eq!(retry_after, Some(Duration::from_secs(180)));
        assert!(usage.contains("X-Business-Use-Case-Usage"));
        assert!(usage.contains("X-App-Usage"));
    }

    #[tokio::test]
    async fn app_limit_4_without_a_named_wait_stops_the_app_for_its_hour() {
        let error = feed_error(
            json(400, fixture!("error_4_app_rate.json"))
                .insert_header("X-App-Usage", r#"{"call_count":100}"#),
        )
        .await;

        assert!(
            matches!(
                error,
                PlatformError::RateLimited {
                    retry_after: Some(wait),
                    scope: UsageScope::App,
                    ..
                } if wait == Duration::from_secs(3600)
            ),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn user_limit_17_and_custom_limit_613_stop_only_the_account() {
        for body in [
            fixture!("error_17_user_rate.json"),
            fixture!("error_613_custom_rate.json"),
        ] {
            let error = feed_error(json(400, body)).await;
            assert!(
                matches!(
                    error,
                    PlatformError::RateLimited {
                        retry_after: None,
                        scope: UsageScope::Account,
                        ..
                    }
                ),
                "{body}: {error:?}"
            );
        }
    }

    #[tokio::test]
    async fn server_error_with_graph_body_is_transient() {
        let error = feed_error(json(500, fixture!("error_2_service_unavailable.json"))).await;
        assert!(
            matches!(&error, PlatformError::Transient { detail } if detail.contains("AbCdEf2")),
            "got {error:?}"
        );
        assert!(error.is_retryable());
    }

    #[tokio::test]
    async fn server_error_without_json_is_transient() {
        let error = feed_error(
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
        )
        .await;
        assert!(
            matches!(error, PlatformError::Transient { .. }),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn slow_server_times_out() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(json(200, fixture!("feed_page.json")).set_delay(Duration::from_secs(3)))
            .mount(&server)
            .await;

        let timeout = Duration::from_millis(200);
        let error = feed_fetch(&connector_with_timeout(&server, timeout))
            .await
            .expect_err("must time out");

        assert!(
            matches!(error, PlatformError::Timeout(d) if d == timeout),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn unreachable_server_is_transient() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let page = FacebookPage::new(
            settings(&format!("http://{address}"), Duration::from_secs(2)),
            reqwest::Client::new(),
            Arc::new(SystemClock),
        )
        .expect("valid settings");

        let error = feed_fetch(&page).await.expect_err("nobody listens");

        assert!(
            matches!(error, PlatformError::Transient { .. }),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn expired_token_190_is_unauthorized_with_message_and_trace_id() {
        let error = feed_error(json(400, fixture!("error_190_expired_token.json"))).await;

        match &error {
            PlatformError::Unauthorized { detail } => {
                assert!(detail.contains("Session has expired"));
                assert!(detail.contains("AbCdEf190"));
                assert!(detail.contains("190/463"));
            }
            other => panic!("expected Unauthorized, got {other:?}"),
        }
        assert_no_token(&error);
    }

    #[tokio::test]
    async fn missing_permission_200_is_permanent() {
        let error = feed_error(json(403, fixture!("error_200_permission.json"))).await;
        assert!(
            matches!(&error, PlatformError::Permanent { detail } if detail.contains("pages_manage_engagement")),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn non_json_answer_on_200_is_malformed() {
        let error = feed_error(
            ResponseTemplate::new(200).set_body_string("<html>Log in to Facebook</html>"),
        )
        .await;
        assert!(
            matches!(&error, PlatformError::Malformed { detail } if detail.contains("feed listing")),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn next_without_any_paging_parameter_keeps_the_page_and_quarantines_the_paging() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(json(
                200,
                r#"{"data":[{"id":"104_9001","created_time":"2026-11-23T08:12:00+0000"}],
                    "paging":{"next":"https://graph.facebook.com/v24.0/104/feed?limit=25"}}"#,
            ))
            .mount(&server)
            .await;

        let harvest = feed_fetch(&connector(&server))
            .await
            .expect("the page is kept");

        assert_eq!(harvest.posts.len(), 1);
        assert!(harvest.more.is_empty(), "nothing to continue from");
        assert_eq!(harvest.rejected.len(), 1);
        assert!(harvest.rejected[0].reason.contains("paging.next"));
        assert!(String::from_utf8_lossy(&harvest.rejected[0].raw).contains("feed?limit=25"));
    }

    #[test]
    fn verbs_are_the_graph_calls_made() {
        let page = FacebookPage::new(
            settings("https://graph.facebook.com", Duration::from_secs(1)),
            reqwest::Client::new(),
            Arc::new(SystemClock),
        )
        .expect("valid settings");
        assert_eq!(page.verb(ModerationAction::Hide), "is_hidden=true");
        assert_eq!(page.verb(ModerationAction::Delete), "DELETE");
        assert_eq!(page.kind(), PlatformKind::Facebook);
    }

    #[tokio::test]
    async fn hide_posts_is_hidden_true_for_the_archived_comment() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v24.0/104_9001_5001"))
            .and(body_string("is_hidden=true"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(query_param_is_missing("access_token"))
            .respond_with(json(200, fixture!("success.json")))
            .expect(1)
            .mount(&server)
            .await;
        let (_dir, receipt) = identified_receipt();

        connector(&server).hide(&receipt).await.expect("hidden");
    }

    #[tokio::test]
    async fn unhide_posts_is_hidden_false() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v24.0/104_9001_5001"))
            .and(body_string("is_hidden=false"))
            .respond_with(json(200, fixture!("success.json")))
            .expect(1)
            .mount(&server)
            .await;

        connector(&server)
            .unhide("104_9001_5001")
            .await
            .expect("visible again");
    }

    #[tokio::test]
    async fn delete_sends_delete_for_the_archived_comment() {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .and(path("/v24.0/104_9001_5001"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("success.json")))
            .expect(1)
            .mount(&server)
            .await;
        let (_dir, receipt) = identified_receipt();

        connector(&server).delete(&receipt).await.expect("deleted");
    }

    #[tokio::test]
    async fn success_false_is_permanent() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json(200, fixture!("success_false.json")))
            .mount(&server)
            .await;
        let (_dir, receipt) = identified_receipt();

        let error = connector(&server)
            .hide(&receipt)
            .await
            .expect_err("refused");

        assert!(
            matches!(error, PlatformError::Permanent { .. }),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn deleting_a_comment_that_no_longer_exists_is_not_found() {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(json(400, fixture!("error_100_33_not_found.json")))
            .mount(&server)
            .await;
        let (_dir, receipt) = identified_receipt();

        let error = connector(&server).delete(&receipt).await.expect_err("gone");

        assert!(matches!(error, PlatformError::NotFound), "got {error:?}");
    }

    #[tokio::test]
    async fn comment_without_platform_id_cannot_be_hidden_or_deleted() {
        let server = MockServer::start().await;
        let comment =
            fetched_comment(r#"{"message":"x","created_time":"2026-11-23T09:12:00+0000"}"#);
        assert!(comment.platform_id.starts_with("unidentified:"));
        let (_dir, receipt) = archived(&comment);
        let page = connector(&server);

        for error in [
            page.hide(&receipt).await.expect_err("no moderation rights"),
            page.delete(&receipt)
                .await
                .expect_err("no moderation rights"),
            page.unhide(&comment.platform_id)
                .await
                .expect_err("no moderation rights"),
        ] {
            assert!(
                matches!(&error, PlatformError::Permanent { detail } if detail.contains("MODERATE")),
                "got {error:?}"
            );
        }
        let requests = server.received_requests().await.expect("recorded");
        assert!(
            requests.is_empty(),
            "nothing may be sent for an unidentified comment"
        );
    }

    #[tokio::test]
    async fn no_error_ever_shows_the_token_even_when_the_platform_echoes_it() {
        let echoed = format!(
            r#"{{"error":{{"message":"Malformed access token {TOKEN}","type":"OAuthException","code":190,"fbtrace_id":"AbCdEfEcho"}}}}"#
        );
        let echoed_transient = format!(
            r#"{{"error":{{"message":"Retry later, token {TOKEN}","code":2,"is_transient":true}}}}"#
        );
        let errors = [
            feed_error(json(400, &echoed)).await,
            feed_error(json(500, &echoed_transient)).await,
            feed_error(json(400, fixture!("error_190_expired_token.json"))).await,
            feed_error(json(400, fixture!("error_80001_pages_buc.json"))).await,
            feed_error(json(403, fixture!("error_200_permission.json"))).await,
            feed_error(ResponseTemplate::new(502)).await,
            feed_error(ResponseTemplate::new(200).set_body_string("not json")).await,
        ];

        for error in &errors {
            assert_no_token(error);
        }
        assert!(
            matches!(&errors[0], PlatformError::Unauthorized { detail } if detail.contains(transport::REDACTED)),
            "got {:?}",
            errors[0]
        );
    }

    #[test]
    fn new_refuses_base_urls_that_cannot_address_the_graph_api() {
        for base in [
            "graph.facebook.com",
            "ftp://graph.facebook.com",
            "https://graph.facebook.com/?access_token=x",
        ] {
            let result = FacebookPage::new(
                settings(base, Duration::from_secs(1)),
                reqwest::Client::new(),
                Arc::new(SystemClock),
            );
            assert!(
                matches!(result, Err(PlatformError::Permanent { .. })),
                "{base} must be refused"
            );
        }
    }

    async fn page_answering(template: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v24.0/{PAGE_ID}")))
            .and(query_param("fields", PROFILE_FIELDS))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(template)
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn the_page_profile_brings_its_texts_every_website_and_the_contact_fields() {
        let server = page_answering(json(200, fixture!("page_profile.json"))).await;

        let profile = connector(&server).profile().await.expect("profile");

        assert_eq!(
            profile.name.as_deref(),
            Some("Idrottsförvaltningen Stockholm")
        );
        let fields: Vec<&str> = profile.texts.iter().map(|t| t.field).collect();
        assert_eq!(fields, ["about", "description"]);
        assert!(profile.texts[1].text.contains("allmänna handlingar"));
        assert_eq!(
            profile.links,
            [
                "https://start.stockholm.se/idrott",
                "http://www.stockholm.se/idrottsforvaltningen"
            ]
        );
        assert_eq!(profile.emails, ["idrottsforvaltningen@stockholm.se"]);
        assert_eq!(profile.phones, ["08-508 275 00"]);
        assert!(profile.hidden.is_empty(), "a Page exposes every item");
    }

    #[tokio::test]
    async fn fields_a_page_never_set_are_absent_not_empty_texts() {
        let server = page_answering(json(200, fixture!("page_profile_bare.json"))).await;

        let profile = connector(&server).profile().await.expect("profile");

        assert!(profile.texts.is_empty(), "{profile:?}");
        assert!(profile.links.is_empty() && profile.emails.is_empty() && profile.phones.is_empty());
    }

    #[tokio::test]
    async fn a_refused_profile_read_is_an_error_of_its_kind_without_the_token() {
        let expired =
            connector(&page_answering(json(400, fixture!("error_190_expired_token.json"))).await)
                .profile()
                .await
                .expect_err("expired");
        assert!(
            matches!(expired, PlatformError::Unauthorized { .. }),
            "{expired:?}"
        );
        let page_limit =
            connector(&page_answering(json(400, fixture!("error_32_page_rate.json"))).await)
                .profile()
                .await
                .expect_err("limited");
        assert!(
            matches!(page_limit, PlatformError::RateLimited { .. }),
            "{page_limit:?}"
        );
        let garbage = connector(
            &page_answering(
                ResponseTemplate::new(200).set_body_string(format!("<html>{TOKEN}</html>")),
            )
            .await,
        )
        .profile()
        .await
        .expect_err("malformed");
        assert!(
            matches!(garbage, PlatformError::Malformed { .. }),
            "{garbage:?}"
        );
        for error in [&expired, &page_limit, &garbage] {
            assert_no_token(error);
        }
    }

    async fn token_end_answering(
        template: ResponseTemplate,
    ) -> Result<Option<DateTime<Utc>>, PlatformError> {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v24.0/debug_token"))
            .and(query_param("input_token", TOKEN))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(template)
            .mount(&server)
            .await;
        connector(&server).token_end().await
    }

    #[tokio::test]
    async fn a_page_token_ends_when_its_data_access_does_and_one_without_an_end_never() {
        let end = token_end_answering(json(200, fixture!("debug_token.json")))
            .await
            .expect("read");
        assert_eq!(end, Utc.timestamp_opt(1_767_225_600, 0).single());
        let never = token_end_answering(json(
            200,
            r#"{"data":{"is_valid":true,"expires_at":0,"data_access_expires_at":0}}"#,
        ))
        .await
        .expect("read");
        assert_eq!(never, None);
        let invalid = token_end_answering(json(200, fixture!("debug_token_invalid.json"))).await;
        assert!(
            matches!(invalid, Err(PlatformError::Unauthorized { .. })),
            "{invalid:?}"
        );
    }

    #[tokio::test]
    async fn the_token_sent_as_input_token_never_shows_in_an_error() {
        let refused = token_end_answering(json(400, fixture!("error_190_expired_token.json")))
            .await
            .expect_err("refused");
        assert!(
            matches!(refused, PlatformError::Unauthorized { .. }),
            "{refused:?}"
        );
        // Nothing listens there: the client's error names the URL, which
        // carries the token.
        let closed = FacebookPage::new(
            settings("http://127.0.0.1:9", Duration::from_secs(2)),
            reqwest::Client::new(),
            Arc::new(SystemClock),
        )
        .expect("valid settings")
        .token_end()
        .await
        .expect_err("no server");
        for error in [&refused, &closed] {
            assert_no_token(error);
        }
    }
}
