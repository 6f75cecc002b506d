//! Instagram connector (Graph API, business or creator account, on
//! graph.facebook.com with a Page token): the account's media, the
//! comments and replies under them, and hiding, unhiding and deleting
//! comments.
//!
//! # Which calls
//!
//! A steady-state run is one call: `GET /{ig-user-id}/media` with the
//! comments and their replies expanded in the same answer
//! (`comments.limit(50){…,replies{…}}`). Only what did not fit is fetched
//! separately:
//!
//! - the next page of media, while the page still reaches back into the
//!   run's look-back window (media come newest first);
//! - a media item's further comments (`GET /{media-id}/comments`), listing
//!   `comments:{media-id}`;
//! - a comment's further replies (`GET /{comment-id}/replies`), listing
//!   `replies:{media-id}:{comment-id}`.
//!
//! Comment and reply edges come newest first and offer no time filter.
//! Their cursor is therefore the time of the newest comment seen (Unix
//! seconds): a page of further comments is fetched only while the page
//! before it held nothing already seen and nothing older than the
//! look-back, and the cursor moves only once that reading is complete (the
//! newest time travels in the page state of every further page, as with
//! X's `since_id`). A busy post then costs a further call only when more
//! than 50 comments arrived since the last run. The media listing keeps no
//! cursor: the look-back window bounds it.
//!
//! # Moderation
//!
//! Hide and unhide are `POST /{comment-id}?hide=true|false`, delete is
//! `DELETE /{comment-id}`, both answered `{"success":true}`; the state is
//! read back with `GET /{comment-id}?fields=hidden`. Instagram comments have
//! no public permalink of their own.
//!
//! Errors, usage headers (`X-App-Usage`, `X-Business-Use-Case-Usage`), time
//! format and the redaction of the token are the Graph API's, shared with
//! the Facebook connector in [`graph`](crate::platforms::graph).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Url;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::archive::ArchiveReceipt;
use crate::clock::Clock;
use crate::domain::{
    AccountProfile, Capabilities, FetchedComment, FetchedPost, HiddenItem, ModerationAction,
    ModerationState, PlatformKind, ProfileItem,
};
use crate::platforms::budget::{Usage, UsageMeter};
use crate::platforms::graph::{self, check_object_id, parse_graph_time};
use crate::platforms::transport::{self, url_with_segments, versioned_base_url};
use crate::platforms::{Cursor, Cursors, Fetch, Harvest, Platform, PlatformError, RejectedItem};

/// The listing of the account's media (with nested comments).
pub const MEDIA_LISTING: &str = "media";
/// Prefix of a media item's comment overflow listing.
const COMMENTS_PREFIX: &str = "comments:";
/// Prefix of a comment's reply overflow listing.
const REPLIES_PREFIX: &str = "replies:";
/// Fields of one comment or reply.
const REPLY_FIELDS: &str = "id,text,timestamp,username,from,hidden";
/// Fields of a top-level comment: its own and its replies'.
const COMMENT_FIELDS: &str = "id,text,timestamp,username,from,hidden,like_count,replies{id,text,timestamp,username,from,hidden}";
/// Fields of each media item, its first 50 comments and their replies.
const MEDIA_FIELDS: &str = "id,caption,timestamp,permalink,comments_count,comments.limit(50){id,text,timestamp,username,from,hidden,like_count,replies{id,text,timestamp,username,from,hidden}}";
/// The account's profile fields the daily checks read (IG User
/// reference, developers.facebook.com/docs/instagram-api/reference/ig-user).
const PROFILE_FIELDS: &str = "username,name,biography,website";
/// What an Instagram profile keeps out of the API: the contact buttons
/// (e-mail, phone) of a professional account are not IG User fields.
pub const HIDDEN_ITEMS: &[HiddenItem] = &[HiddenItem {
    item: ProfileItem::Contact,
    reason: "kontaktknapparna (e-post, telefon) finns inte i Instagrams API",
}];
/// Media per page.
const MEDIA_PER_PAGE: &str = "25";
/// Comments per page of an overflow listing.
const COMMENTS_PER_PAGE: &str = "50";

/// Everything needed to talk to one Instagram professional account.
#[derive(Debug, Clone)]
pub struct InstagramSettings {
    /// Scheme and host of the Graph API, e.g. `https://graph.facebook.com`.
    pub api_base_url: String,
    /// Graph API version path segment, e.g. `v24.0`.
    pub api_version: String,
    /// The Instagram user id of the professional account (not the Page id).
    pub ig_user_id: String,
    /// A Page access token with `instagram_basic` and
    /// `instagram_manage_comments`; sent only as a bearer header.
    pub token: SecretString,
    /// How long one request may take, body included.
    pub request_timeout: Duration,
}

/// The connection to one Instagram account through the Graph API.
#[derive(Debug)]
pub struct InstagramAccount {
    versioned_base: Url,
    ig_user_id: String,
    token: SecretString,
    request_timeout: Duration,
    client: reqwest::Client,
    meter: UsageMeter,
}

/// Where one call of the media listing starts. Opaque to the pipeline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFetch {
    /// The `after` cursor of the previous page; `None` for the newest media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The run's look-back bound (Unix seconds): older media end the listing.
    pub since: i64,
}

impl MediaFetch {
    /// The page state as the text a fetch carries.
    pub fn encode(&self) -> String {
        transport::encode_state(self)
    }

    /// Reads a page state written by [`Self::encode`].
    pub fn decode(text: &str) -> Result<Self, PlatformError> {
        transport::decode_state(text, "Instagram")
    }
}

/// Where one call of a comment or reply listing starts, and what reading
/// it has established so far. Opaque to the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeFetch {
    /// The `after` cursor of the previous page.
    pub after: String,
    /// The newest comment time (Unix seconds) of the listing so far: the
    /// cursor once the reading is complete.
    pub newest: i64,
    /// Comments at or before this time (the stored cursor or the
    /// look-back bound) were read before: reaching one ends the listing.
    pub stop_at: i64,
}

impl EdgeFetch {
    /// The page state as the text a fetch carries.
    pub fn encode(&self) -> String {
        transport::encode_state(self)
    }

    /// Reads a page state written by [`Self::encode`].
    pub fn decode(text: &str) -> Result<Self, PlatformError> {
        transport::decode_state(text, "Instagram")
    }
}

/// The stored cursor of a listing, by listing key.
type StoredCursors<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Where comments being read belong: the listing they came in, their
/// media item and, for replies, the comment they answer.
#[derive(Clone, Copy)]
struct Thread<'a> {
    listing: &'a str,
    media_id: &'a str,
    parent: Option<&'a str>,
}

/// The oldest and newest comment times (Unix seconds) on one edge page.
#[derive(Debug, Clone, Copy)]
struct PageSpan {
    oldest: i64,
    newest: i64,
}

impl PageSpan {
    fn widen(span: Option<Self>, at: i64) -> Option<Self> {
        Some(match span {
            Some(s) => PageSpan {
                oldest: s.oldest.min(at),
                newest: s.newest.max(at),
            },
            None => PageSpan {
                oldest: at,
                newest: at,
            },
        })
    }
}

/// Keeps an item that could not be read for quarantine.
fn reject(harvest: &mut Harvest, listing: &str, raw: &RawValue, reason: String) {
    harvest.rejected.push(RejectedItem {
        listing: listing.to_string(),
        raw: raw.get().as_bytes().to_vec(),
        reason,
    });
}

/// A Graph edge: `{"data":[…],"paging":{"cursors":{"after"},"next"}}`,
/// every item kept as its raw bytes.
#[derive(Deserialize)]
struct WireEdge {
    #[serde(default)]
    data: Vec<Box<RawValue>>,
    paging: Option<WireEdgePaging>,
}

#[derive(Deserialize)]
struct WireEdgePaging {
    cursors: Option<WireAfter>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct WireAfter {
    after: Option<String>,
}

impl WireEdge {
    /// The cursor to continue from when the platform says there is more.
    fn next_after(&self) -> Option<String> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        self.after()
    }

    fn after(&self) -> Option<String> {
        self.paging
            .as_ref()?
            .cursors
            .as_ref()?
            .after
            .clone()
            .filter(|a| !a.is_empty())
    }
}

#[derive(Deserialize)]
struct WireMedia {
    id: String,
    caption: Option<String>,
    timestamp: String,
    permalink: Option<String>,
    comments: Option<WireEdge>,
}

#[derive(Deserialize)]
struct WireComment {
    id: String,
    text: Option<String>,
    timestamp: String,
    username: Option<String>,
    from: Option<WireFrom>,
    #[serde(default)]
    hidden: bool,
    replies: Option<WireEdge>,
}

#[derive(Deserialize)]
struct WireFrom {
    id: Option<String>,
    username: Option<String>,
}

/// `GET /{comment-id}?fields=hidden`.
#[derive(Deserialize)]
struct WireHiddenState {
    #[serde(default)]
    hidden: bool,
}

/// The IG User's profile: `biography` is the bio text (at most 150
/// characters), `website` its one link.
#[derive(Deserialize)]
struct WireIgProfile {
    username: Option<String>,
    name: Option<String>,
    biography: Option<String>,
    website: Option<String>,
}

impl WireIgProfile {
    fn into_profile(self) -> AccountProfile {
        let mut profile = AccountProfile {
            name: self.name.or(self.username),
            hidden: HIDDEN_ITEMS.to_vec(),
            ..AccountProfile::default()
        };
        profile.push_text("biography", self.biography);
        profile.push_link(self.website);
        profile
    }
}

impl InstagramAccount {
    /// Builds the connector, refusing a base URL, version or account id
    /// that cannot form a Graph API address.
    /// `clock` is the service's: usage headers are stamped with its time.
    pub fn new(
        settings: InstagramSettings,
        client: reqwest::Client,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, PlatformError> {
        let versioned_base =
            versioned_base_url(&settings.api_base_url, &settings.api_version, "Graph API")?;
        check_object_id(&settings.ig_user_id, "Instagram user id")?;
        Ok(Self {
            versioned_base,
            ig_user_id: settings.ig_user_id,
            token: settings.token,
            request_timeout: settings.request_timeout,
            client,
            meter: UsageMeter::new(clock),
        })
    }

    /// The first call of a run: the newest media, bounded by `since`.
    pub fn first_media_fetch(&self, since: DateTime<Utc>) -> MediaFetch {
        MediaFetch {
            after: None,
            since: since.timestamp(),
        }
    }

    fn url(&self, segments: &[&str]) -> Result<Url, PlatformError> {
        for segment in segments {
            check_object_id(segment, "object id")?;
        }
        url_with_segments(&self.versioned_base, segments)
    }

    /// Reads one page of media with their nested comments and replies.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id))]
    pub async fn fetch_media(
        &self,
        fetch: &MediaFetch,
        stored_cursor: StoredCursors<'_>,
    ) -> Result<Harvest, PlatformError> {
        let url = self.url(&[&self.ig_user_id, "media"])?;
        let mut query = vec![("fields", MEDIA_FIELDS), ("limit", MEDIA_PER_PAGE)];
        if let Some(after) = &fetch.after {
            query.push(("after", after.as_str()));
        }
        let body = graph::execute(
            self.client.get(url).query(&query),
            &self.token,
            self.request_timeout,
            &self.meter,
        )
        .await?;
        let edge = parse_edge(&body, MEDIA_LISTING).map_err(|e| self.redacted(e))?;
        let mut harvest = Harvest::default();
        let mut reaches_back = true;
        for raw in &edge.data {
            match serde_json::from_str::<WireMedia>(raw.get()) {
                Ok(media) => {
                    reaches_back &=
                        self.harvest_media(&mut harvest, raw, media, fetch.since, stored_cursor);
                }
                Err(e) => reject(
                    &mut harvest,
                    MEDIA_LISTING,
                    raw,
                    format!("a media item is not media: {e}"),
                ),
            }
        }
        if let Some(after) = edge.next_after().filter(|_| reaches_back) {
            let next = MediaFetch {
                after: Some(after),
                since: fetch.since,
            };
            harvest.more.push(Fetch::page(MEDIA_LISTING, next.encode()));
        }
        Ok(harvest)
    }

    /// Adds one media item and its nested comments; answers whether the
    /// item is inside the look-back window (so older pages may matter).
    fn harvest_media(
        &self,
        harvest: &mut Harvest,
        raw: &RawValue,
        media: WireMedia,
        since: i64,
        stored_cursor: StoredCursors<'_>,
    ) -> bool {
        let Some(created_at) = parse_graph_time(&media.timestamp) else {
            reject(
                harvest,
                MEDIA_LISTING,
                raw,
                format!(
                    "media {} has timestamp {:?}, which is not a Graph time",
                    media.id, media.timestamp
                ),
            );
            return true;
        };
        harvest.posts.push(FetchedPost {
            platform_id: media.id.clone(),
            text: media.caption,
            created_at,
            permalink: media.permalink,
            raw: raw.to_owned(),
        });
        if let Some(comments) = media.comments {
            let listing = format!("{COMMENTS_PREFIX}{}", media.id);
            let reading = Reading::start(stored_cursor(&listing), since);
            let thread = Thread {
                listing: &listing,
                media_id: &media.id,
                parent: None,
            };
            let span = self.harvest_comments(harvest, &thread, &comments, since, stored_cursor);
            reading.continue_or_settle(harvest, listing, &comments, span);
        }
        created_at.timestamp() >= since
    }

    /// Adds the comments (or replies, under `parent`) of one edge page, and
    /// follows each comment's replies that did not fit.
    fn harvest_comments(
        &self,
        harvest: &mut Harvest,
        thread: &Thread<'_>,
        edge: &WireEdge,
        since: i64,
        stored_cursor: StoredCursors<'_>,
    ) -> Option<PageSpan> {
        let Thread {
            listing,
            media_id,
            parent,
        } = *thread;
        let mut span = None;
        for raw in &edge.data {
            let comment = match serde_json::from_str::<WireComment>(raw.get()) {
                Ok(comment) => comment,
                Err(e) => {
                    reject(
                        harvest,
                        listing,
                        raw,
                        format!("a comment on media {media_id} is not a comment: {e}"),
                    );
                    continue;
                }
            };
            let Some(created_at) = parse_graph_time(&comment.timestamp) else {
                reject(
                    harvest,
                    listing,
                    raw,
                    format!(
                        "comment {} has timestamp {:?}, which is not a Graph time",
                        comment.id, comment.timestamp
                    ),
                );
                continue;
            };
            span = PageSpan::widen(span, created_at.timestamp());
            if let Some(replies) = &comment.replies {
                let replies_listing = format!("{REPLIES_PREFIX}{media_id}:{}", comment.id);
                let reading = Reading::start(stored_cursor(&replies_listing), since);
                let replies_thread = Thread {
                    listing: &replies_listing,
                    media_id,
                    parent: Some(&comment.id),
                };
                let reply_span =
                    self.harvest_comments(harvest, &replies_thread, replies, since, stored_cursor);
                reading.continue_or_settle(harvest, replies_listing, replies, reply_span);
            }
            let (author_id, from_username) =
                comment.from.map_or((None, None), |f| (f.id, f.username));
            harvest.comments.push(FetchedComment {
                platform_id: comment.id,
                post_id: media_id.to_string(),
                parent_id: parent.map(str::to_string),
                author_id,
                author_name: comment.username.or(from_username),
                text: comment.text.unwrap_or_default(),
                created_at,
                permalink: None,
                is_hidden: comment.hidden,
                raw: raw.to_owned(),
            });
        }
        span
    }

    /// Reads one further page of a media item's comments or a comment's
    /// replies, those that did not fit into the nested answer.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id, listing = %listing))]
    pub async fn fetch_overflow(
        &self,
        listing: &str,
        fetch: &EdgeFetch,
    ) -> Result<Harvest, PlatformError> {
        let (media_id, parent, url, fields) = self.overflow_target(listing)?;
        let query = [
            ("fields", fields),
            ("limit", COMMENTS_PER_PAGE),
            ("after", fetch.after.as_str()),
        ];
        let body = graph::execute(
            self.client.get(url).query(&query),
            &self.token,
            self.request_timeout,
            &self.meter,
        )
        .await?;
        let edge = parse_edge(&body, listing).map_err(|e| self.redacted(e))?;
        let mut harvest = Harvest::default();
        // Replies met on a page of comments are read from the look-back on:
        // their own cursors are not at hand here, and repeats are harmless.
        let thread = Thread {
            listing,
            media_id: &media_id,
            parent: parent.as_deref(),
        };
        let span = self.harvest_comments(&mut harvest, &thread, &edge, fetch.stop_at, &|_| None);
        let reading = Reading {
            newest: Some(fetch.newest),
            stop_at: fetch.stop_at,
        };
        reading.continue_or_settle(&mut harvest, listing.to_string(), &edge, span);
        Ok(harvest)
    }

    /// The media id, parent comment, URL and fields of an overflow listing.
    fn overflow_target(
        &self,
        listing: &str,
    ) -> Result<(String, Option<String>, Url, &'static str), PlatformError> {
        if let Some(media_id) = listing.strip_prefix(COMMENTS_PREFIX) {
            let url = self.url(&[media_id, "comments"])?;
            return Ok((media_id.to_string(), None, url, COMMENT_FIELDS));
        }
        if let Some((media_id, comment_id)) = listing
            .strip_prefix(REPLIES_PREFIX)
            .and_then(|rest| rest.split_once(':'))
        {
            let url = self.url(&[comment_id, "replies"])?;
            return Ok((
                media_id.to_string(),
                Some(comment_id.to_string()),
                url,
                REPLY_FIELDS,
            ));
        }
        Err(PlatformError::Permanent {
            detail: format!("the Instagram connector has no listing {listing:?}"),
        })
    }

    /// Hides (`true`) or unhides a comment.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id, comment_id = %comment_id))]
    pub async fn set_hidden(&self, comment_id: &str, hidden: bool) -> Result<(), PlatformError> {
        let url = self.url(&[comment_id])?;
        let value = if hidden { "true" } else { "false" };
        let body = graph::execute(
            self.client.post(url).query(&[("hide", value)]),
            &self.token,
            self.request_timeout,
            &self.meter,
        )
        .await?;
        graph::expect_success(&body, if hidden { "hide" } else { "unhide" }, &self.token)
    }

    /// Deletes a comment.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id, comment_id = %comment_id))]
    pub async fn delete_comment(&self, comment_id: &str) -> Result<(), PlatformError> {
        let url = self.url(&[comment_id])?;
        let body = graph::execute(
            self.client.delete(url),
            &self.token,
            self.request_timeout,
            &self.meter,
        )
        .await?;
        graph::expect_success(&body, "delete", &self.token)
    }

    /// Reads whether a comment is hidden, visible or gone.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id, comment_id = %comment_id))]
    pub async fn read_moderation_state(
        &self,
        comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        let url = self.url(&[comment_id])?;
        let request = self.client.get(url).query(&[("fields", "hidden")]);
        match graph::execute(request, &self.token, self.request_timeout, &self.meter).await {
            Ok(body) => {
                let state: WireHiddenState =
                    serde_json::from_slice(&body).map_err(|e| PlatformError::Malformed {
                        detail: format!("comment state: {e}"),
                    })?;
                Ok(if state.hidden {
                    ModerationState::Hidden
                } else {
                    ModerationState::Visible
                })
            }
            Err(PlatformError::NotFound) => Ok(ModerationState::Removed),
            Err(e) => Err(e),
        }
    }

    fn redacted(&self, error: PlatformError) -> PlatformError {
        transport::redacted(error, &self.token)
    }

    /// Reads the account's bio, name and website.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id))]
    pub async fn read_profile(&self) -> Result<AccountProfile, PlatformError> {
        let url = self.url(&[&self.ig_user_id])?;
        let request = self.client.get(url).query(&[("fields", PROFILE_FIELDS)]);
        let body = graph::execute(request, &self.token, self.request_timeout, &self.meter).await?;
        let wire: WireIgProfile = serde_json::from_slice(&body).map_err(|e| {
            self.redacted(PlatformError::Malformed {
                detail: format!("the Instagram profile is not an IG User object: {e}"),
            })
        })?;
        Ok(wire.into_profile())
    }
}

#[async_trait]
impl Platform for InstagramAccount {
    fn usage(&self) -> Usage {
        Usage {
            readings: self.meter.readings(),
            ..Usage::default()
        }
    }

    fn kind(&self) -> PlatformKind {
        PlatformKind::Instagram
    }

    /// Instagram lets the account hide and delete any comment on its media;
    /// comments have no permalink of their own.
    fn capabilities(&self, _comment: &FetchedComment) -> Capabilities {
        Capabilities {
            hide: true,
            delete: true,
            permalink: false,
        }
    }

    fn verb(&self, action: ModerationAction) -> &'static str {
        match action {
            ModerationAction::Hide => "hide=true",
            ModerationAction::Delete => "DELETE",
            ModerationAction::Review => "review",
            ModerationAction::None => "none",
        }
    }

    fn first_fetches(&self, _cursors: &Cursors, since: DateTime<Utc>) -> Vec<Fetch> {
        vec![Fetch::page(
            MEDIA_LISTING,
            self.first_media_fetch(since).encode(),
        )]
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "instagram", ig_user_id = %self.ig_user_id, listing = %fetch.listing))]
    async fn fetch(&self, fetch: &Fetch, cursors: &Cursors) -> Result<Harvest, PlatformError> {
        let Some(page) = fetch.page.as_deref() else {
            return Err(PlatformError::Permanent {
                detail: format!(
                    "the Instagram listing {:?} starts only from the page state this connector writes",
                    fetch.listing
                ),
            });
        };
        if fetch.listing == MEDIA_LISTING {
            let stored = |listing: &str| cursors.get(listing).map(|c| c.0.clone());
            return self.fetch_media(&MediaFetch::decode(page)?, &stored).await;
        }
        self.fetch_overflow(&fetch.listing, &EdgeFetch::decode(page)?)
            .await
    }

    async fn hide(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        self.set_hidden(receipt.platform_comment_id(), true).await
    }

    async fn unhide(&self, platform_comment_id: &str) -> Result<(), PlatformError> {
        self.set_hidden(platform_comment_id, false).await
    }

    async fn delete(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        self.delete_comment(receipt.platform_comment_id()).await
    }

    async fn moderation_state(
        &self,
        platform_comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        self.read_moderation_state(platform_comment_id).await
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

    async fn profile(&self) -> Result<AccountProfile, PlatformError> {
        self.read_profile().await
    }
}

/// How far the reading of one comment or reply listing has come in a run.
struct Reading {
    /// The newest comment time seen so far, or the stored cursor.
    newest: Option<i64>,
    /// Comments at or before this time need not be read again.
    stop_at: i64,
}

impl Reading {
    /// The reading of a listing whose first page came nested: from its
    /// stored cursor (newest time seen by earlier runs) and the look-back.
    fn start(stored: Option<String>, since: i64) -> Self {
        let stored = stored.and_then(|c| c.parse::<i64>().ok());
        Self {
            newest: stored,
            stop_at: stored.map_or(since, |at| at.max(since)),
        }
    }

    /// After one page: ask for the next while everything on this page was
    /// new, else store the newest time seen as the listing's cursor.
    fn continue_or_settle(
        self,
        harvest: &mut Harvest,
        listing: String,
        edge: &WireEdge,
        span: Option<PageSpan>,
    ) {
        let newest = match (self.newest, span) {
            (Some(at), Some(span)) => Some(at.max(span.newest)),
            (at, span) => at.or(span.map(|s| s.newest)),
        };
        let all_new = span.is_some_and(|s| s.oldest > self.stop_at);
        match (edge.next_after(), newest) {
            (Some(after), Some(newest)) if all_new => {
                let next = EdgeFetch {
                    after,
                    newest,
                    stop_at: self.stop_at,
                };
                harvest.more.push(Fetch::page(listing, next.encode()));
            }
            (_, Some(newest)) if span.is_some() => {
                harvest.cursors.push((listing, Cursor(newest.to_string())))
            }
            _ => {}
        }
    }
}

/// Parses an edge envelope, keeping each item's raw bytes.
fn parse_edge(body: &[u8], listing: &str) -> Result<WireEdge, PlatformError> {
    serde_json::from_slice(body).map_err(|e| PlatformError::Malformed {
        detail: format!("the {listing} listing is not {{\"data\":[…],\"paging\":…}}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platforms::transport::testing::{assert_no_token, json};
    use chrono::TimeZone;
    use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "EAAGtestIgPageToken0123456789secret";
    const IG_USER: &str = "17841406338772941";
    const MEDIA_PATH: &str = "/v24.0/17841406338772941/media";
    /// The media item with nested comments in `media_page.json`.
    const BUSY_MEDIA: &str = "17896622936197745";

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/data/platforms/instagram/", $name))
        };
    }

    fn connector(server: &MockServer) -> InstagramAccount {
        InstagramAccount::new(
            InstagramSettings {
                api_base_url: server.uri(),
                api_version: "v24.0".to_string(),
                ig_user_id: IG_USER.to_string(),
                token: SecretString::from(TOKEN),
                request_timeout: Duration::from_secs(5),
            },
            reqwest::Client::new(),
            Arc::new(crate::clock::SystemClock),
        )
        .expect("valid settings")
    }

    fn at(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .timestamp()
    }

    /// The look-back of the tests: 1 August 2021.
    fn since() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2021, 8, 1, 0, 0, 0).unwrap()
    }

    async fn media_answering(template: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MEDIA_PATH))
            .respond_with(template)
            .mount(&server)
            .await;
        server
    }

    async fn first_media_page(
        server: &MockServer,
        stored: &[(&str, &str)],
    ) -> Result<Harvest, PlatformError> {
        let ig = connector(server);
        let stored: Vec<(String, String)> = stored
            .iter()
            .map(|(l, c)| (l.to_string(), c.to_string()))
            .collect();
        let lookup = |listing: &str| {
            stored
                .iter()
                .find(|(l, _)| l == listing)
                .map(|(_, c)| c.clone())
        };
        ig.fetch_media(&ig.first_media_fetch(since()), &lookup)
            .await
    }

    fn edge_fetch(harvest: &Harvest, listing: &str) -> EdgeFetch {
        let fetch = harvest
            .more
            .iter()
            .find(|f| f.listing == listing)
            .unwrap_or_else(|| panic!("no further call for {listing}: {:?}", harvest.more));
        EdgeFetch::decode(fetch.page.as_deref().expect("page state")).expect("state")
    }

    #[tokio::test]
    async fn one_call_brings_media_comments_and_replies_through_nested_fields() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(MEDIA_PATH))
            .and(query_param("fields", MEDIA_FIELDS))
            .and(query_param("limit", "25"))
            .and(query_param_is_missing("after"))
            .and(query_param_is_missing("access_token"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("media_page.json")))
            .expect(1)
            .mount(&server)
            .await;

        let harvest = first_media_page(&server, &[]).await.expect("media");

        let posts: Vec<&str> = harvest
            .posts
            .iter()
            .map(|p| p.platform_id.as_str())
            .collect();
        assert_eq!(posts, ["17895731045244887", BUSY_MEDIA]);
        assert_eq!(
            harvest.posts[1].permalink.as_deref(),
            Some("https://www.instagram.com/p/CSgdWACBeKr/")
        );
        let comments: Vec<(&str, Option<&str>)> = harvest
            .comments
            .iter()
            .map(|c| (c.platform_id.as_str(), c.parent_id.as_deref()))
            .collect();
        assert_eq!(
            comments,
            [
                ("18107567341036926", Some("17858154961981086")),
                ("17858154961981086", None),
                ("17846106427692294", Some("17874875428706419")),
                ("17874875428706419", None),
            ]
        );
        let hidden = &harvest.comments[3];
        assert!(hidden.is_hidden, "hidden by a person on Instagram");
        assert_eq!(hidden.post_id, BUSY_MEDIA);
        assert_eq!(hidden.author_name.as_deref(), Some("ikroskun"));
        assert_eq!(hidden.author_id.as_deref(), Some("17841406338772941"));
        assert_eq!(
            hidden.permalink, None,
            "Instagram comments have no permalink"
        );
        assert!(fixture!("media_page.json").contains(harvest.comments[1].raw.get()));
        assert!(harvest.rejected.is_empty());
    }

    #[tokio::test]
    async fn comments_that_did_not_fit_are_fetched_only_while_every_one_is_new() {
        let server = media_answering(json(200, fixture!("media_page.json"))).await;

        let first_run = first_media_page(&server, &[]).await.expect("media");
        let comments = edge_fetch(&first_run, "comments:17896622936197745");
        assert_eq!(comments.after, "after");
        assert_eq!(comments.newest, at("2021-08-13T10:56:52Z"));
        assert_eq!(comments.stop_at, since().timestamp());
        let replies = edge_fetch(&first_run, "replies:17896622936197745:17874875428706419");
        assert_eq!(
            replies.after,
            "UVZAGQ05qaG1VSFZAtU1hCS2VWaHdaMDh3TldGb1VIbGZAaQzFp"
        );
        assert!(
            first_run.cursors.contains(&(
                "replies:17896622936197745:17858154961981086".to_string(),
                Cursor(at("2021-08-13T11:06:09Z").to_string())
            )),
            "a complete reply thread stores its newest time: {:?}",
            first_run.cursors
        );

        let seen = at("2021-08-13T10:30:00Z").to_string();
        let later_run = first_media_page(&server, &[("comments:17896622936197745", &seen)])
            .await
            .expect("media");
        assert!(
            !later_run
                .more
                .iter()
                .any(|f| f.listing == "comments:17896622936197745"),
            "the nested page reached comments seen before: {:?}",
            later_run.more
        );
        assert!(later_run.cursors.contains(&(
            "comments:17896622936197745".to_string(),
            Cursor(at("2021-08-13T10:56:52Z").to_string())
        )));
    }

    #[tokio::test]
    async fn the_last_further_page_stores_the_newest_time_of_the_whole_reading() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v24.0/17896622936197745/comments"))
            .and(query_param("after", "after"))
            .and(query_param("limit", "50"))
            .and(query_param("fields", COMMENT_FIELDS))
            .respond_with(json(200, fixture!("comments_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let fetch = EdgeFetch {
            after: "after".into(),
            newest: at("2021-08-13T10:56:52Z"),
            stop_at: since().timestamp(),
        };

        let harvest = connector(&server)
            .fetch_overflow(
                "comments:17896622936197745",
                &EdgeFetch::decode(&fetch.encode()).expect("state"),
            )
            .await
            .expect("comments");

        let ids: Vec<&str> = harvest
            .comments
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect();
        assert_eq!(ids, ["17892250648466172", "17914413430382429"]);
        assert!(
            harvest
                .comments
                .iter()
                .all(|c| c.post_id == BUSY_MEDIA && c.parent_id.is_none())
        );
        assert!(harvest.more.is_empty());
        assert_eq!(
            harvest.cursors,
            [(
                "comments:17896622936197745".to_string(),
                Cursor(at("2021-08-13T10:56:52Z").to_string())
            )]
        );
    }

    #[tokio::test]
    async fn further_replies_are_read_from_the_replies_edge_under_their_comment() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v24.0/17874875428706419/replies"))
            .and(query_param("fields", REPLY_FIELDS))
            .respond_with(json(200, fixture!("replies_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let fetch = EdgeFetch {
            after: "UVZAGQ05qaG1VSFZAtU1hCS2VWaHdaMDh3TldGb1VIbGZAaQzFp".into(),
            newest: at("2021-08-13T10:25:17Z"),
            stop_at: since().timestamp(),
        };

        let harvest = connector(&server)
            .fetch_overflow("replies:17896622936197745:17874875428706419", &fetch)
            .await
            .expect("replies");

        assert_eq!(harvest.comments.len(), 1);
        assert_eq!(harvest.comments[0].post_id, BUSY_MEDIA);
        assert_eq!(
            harvest.comments[0].parent_id.as_deref(),
            Some("17874875428706419")
        );
    }

    #[tokio::test]
    async fn media_paging_goes_on_only_while_the_page_is_inside_the_look_back() {
        let recent = first_media_page(
            &media_answering(json(200, fixture!("media_page.json"))).await,
            &[],
        )
        .await
        .expect("media");
        let next = recent
            .more
            .iter()
            .find(|f| f.listing == MEDIA_LISTING)
            .and_then(|f| f.page.as_deref())
            .expect("next media page");
        assert_eq!(
            MediaFetch::decode(next).expect("state"),
            MediaFetch {
                after: Some("QVFIUmVkaWFhZnRlcjE".into()),
                since: since().timestamp(),
            }
        );

        let old = first_media_page(
            &media_answering(json(200, fixture!("media_old_page.json"))).await,
            &[],
        )
        .await
        .expect("media");
        assert!(
            old.more.is_empty(),
            "media older than the look-back end the listing"
        );
        assert_eq!(old.posts.len(), 1);
    }

    #[tokio::test]
    async fn a_malformed_media_item_or_comment_is_rejected_and_the_rest_kept() {
        let server = media_answering(json(200, fixture!("media_malformed_items.json"))).await;

        let harvest = first_media_page(&server, &[]).await.expect("page survives");

        assert_eq!(harvest.posts.len(), 1);
        assert_eq!(harvest.comments.len(), 1);
        assert_eq!(harvest.comments[0].platform_id, "17874875428706419");
        let reasons: Vec<(&str, &str)> = harvest
            .rejected
            .iter()
            .map(|r| (r.listing.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert_eq!(reasons[0].0, "media");
        assert!(reasons[0].1.contains("timestamp"), "{}", reasons[0].1);
        assert_eq!(reasons[1].0, "comments:17896622936197745");
        assert!(String::from_utf8_lossy(&harvest.rejected[1].raw).contains("igår"));
    }

    #[tokio::test]
    async fn hide_unhide_and_delete_use_the_documented_calls() {
        let server = MockServer::start().await;
        for value in ["true", "false"] {
            Mock::given(method("POST"))
                .and(path("/v24.0/17858154961981086"))
                .and(query_param("hide", value))
                .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
                .respond_with(json(200, fixture!("success.json")))
                .expect(1)
                .mount(&server)
                .await;
        }
        Mock::given(method("DELETE"))
            .and(path("/v24.0/17858154961981086"))
            .respond_with(json(200, fixture!("success.json")))
            .expect(1)
            .mount(&server)
            .await;
        let ig = connector(&server);

        ig.set_hidden("17858154961981086", true)
            .await
            .expect("hidden");
        ig.set_hidden("17858154961981086", false)
            .await
            .expect("visible");
        ig.delete_comment("17858154961981086")
            .await
            .expect("deleted");
    }

    #[tokio::test]
    async fn moderation_state_is_read_back_from_the_hidden_field() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v24.0/17874875428706419"))
            .and(query_param("fields", "hidden"))
            .respond_with(json(200, fixture!("hidden_state.json")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v24.0/17858154961981086"))
            .respond_with(json(400, fixture!("error_100_33_not_found.json")))
            .mount(&server)
            .await;
        let ig = connector(&server);

        assert_eq!(
            ig.read_moderation_state("17874875428706419")
                .await
                .expect("state"),
            ModerationState::Hidden
        );
        assert_eq!(
            ig.read_moderation_state("17858154961981086")
                .await
                .expect("state"),
            ModerationState::Removed
        );
    }

    #[tokio::test]
    async fn graph_errors_map_as_for_facebook_and_never_show_the_token() {
        let expired = first_media_page(
            &media_answering(json(400, fixture!("error_190_expired_token.json"))).await,
            &[],
        )
        .await
        .expect_err("expired");
        assert!(
            matches!(&expired, PlatformError::Unauthorized { detail } if detail.contains("AbCdEfIg190")),
            "got {expired:?}"
        );
        let limited = first_media_page(
            &media_answering(json(400, fixture!("error_4_app_rate.json")).insert_header(
                "X-App-Usage",
                r#"{"call_count":100,"total_time":12,"total_cputime":9}"#,
            ))
            .await,
            &[],
        )
        .await
        .expect_err("limited");
        assert!(
            matches!(&limited, PlatformError::RateLimited { usage, .. } if usage.contains(r#"X-App-Usage: {"call_count":100"#)),
            "got {limited:?}"
        );
        let echoed = format!(
            r#"{{"error":{{"message":"Invalid token {TOKEN}","type":"OAuthException","code":190}}}}"#
        );
        let echo = first_media_page(&media_answering(json(400, &echoed)).await, &[])
            .await
            .expect_err("invalid");
        let not_json = first_media_page(
            &media_answering(
                ResponseTemplate::new(200).set_body_string(format!("<html>{TOKEN}</html>")),
            )
            .await,
            &[],
        )
        .await
        .expect_err("malformed");
        assert!(
            matches!(not_json, PlatformError::Malformed { .. }),
            "got {not_json:?}"
        );
        for error in [&expired, &limited, &echo, &not_json] {
            assert_no_token(error, TOKEN);
        }
    }

    #[test]
    fn any_comment_can_be_hidden_or_deleted_but_has_no_permalink() {
        let ig = InstagramAccount::new(
            InstagramSettings {
                api_base_url: "https://graph.facebook.com".into(),
                api_version: "v24.0".into(),
                ig_user_id: IG_USER.into(),
                token: SecretString::from(TOKEN),
                request_timeout: Duration::from_secs(1),
            },
            reqwest::Client::new(),
            Arc::new(crate::clock::SystemClock),
        )
        .expect("valid");
        let comment = FetchedComment {
            platform_id: "17858154961981086".into(),
            post_id: BUSY_MEDIA.into(),
            parent_id: None,
            author_id: None,
            author_name: None,
            text: "Beautiful!".into(),
            created_at: since(),
            permalink: None,
            is_hidden: false,
            raw: RawValue::from_string(r#"{"id":"17858154961981086"}"#.into()).expect("json"),
        };
        assert_eq!(
            ig.capabilities(&comment),
            Capabilities {
                hide: true,
                delete: true,
                permalink: false
            }
        );
    }

    #[tokio::test]
    async fn a_run_follows_the_overflow_the_media_call_revealed_through_the_trait() {
        let server = media_answering(json(200, fixture!("media_page.json"))).await;
        Mock::given(method("GET"))
            .and(path("/v24.0/17896622936197745/comments"))
            .and(query_param("after", "after"))
            .respond_with(json(200, fixture!("comments_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let ig = connector(&server);
        let cursors = Cursors::new();

        let first = ig.first_fetches(&cursors, since());
        assert_eq!(first.len(), 1, "a steady-state run is one call");
        let media = ig.fetch(&first[0], &cursors).await.expect("media");
        let overflow = media
            .more
            .iter()
            .find(|f| f.listing == "comments:17896622936197745")
            .expect("the busy post's further comments");
        let further = ig.fetch(overflow, &cursors).await.expect("comments");

        assert_eq!(further.comments.len(), 2);
        assert_eq!(
            further.cursors,
            [(
                "comments:17896622936197745".to_string(),
                Cursor(at("2021-08-13T10:56:52Z").to_string())
            )]
        );
        assert_eq!(ig.verb(ModerationAction::Hide), "hide=true");
        assert_eq!(ig.verb(ModerationAction::Delete), "DELETE");
        let without_state = ig
            .fetch(&Fetch::first(MEDIA_LISTING), &cursors)
            .await
            .expect_err("no page state");
        assert!(matches!(without_state, PlatformError::Permanent { .. }));
    }

    async fn profile_answering(
        template: ResponseTemplate,
    ) -> Result<AccountProfile, PlatformError> {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v24.0/{IG_USER}")))
            .and(query_param("fields", PROFILE_FIELDS))
            .respond_with(template)
            .mount(&server)
            .await;
        connector(&server).profile().await
    }

    #[tokio::test]
    async fn the_profile_brings_bio_and_website_and_says_contact_buttons_cannot_be_read() {
        let profile = profile_answering(json(200, fixture!("ig_user_profile.json")))
            .await
            .expect("profile");

        assert_eq!(profile.name.as_deref(), Some("Kulturhuset Stadsteatern"));
        assert_eq!(profile.texts.len(), 1);
        assert_eq!(profile.texts[0].field, "biography");
        assert!(profile.texts[0].text.contains("Stockholms stad"));
        assert_eq!(profile.links, ["https://kulturhusetstadsteatern.se/"]);
        assert_eq!(
            profile.hidden_reason(ProfileItem::Contact),
            Some(HIDDEN_ITEMS[0].reason)
        );
        assert_eq!(profile.hidden_reason(ProfileItem::Website), None);
    }

    #[tokio::test]
    async fn a_refused_profile_read_maps_as_every_graph_call() {
        let expired = profile_answering(json(400, fixture!("error_190_expired_token.json")))
            .await
            .expect_err("expired");
        assert!(
            matches!(expired, PlatformError::Unauthorized { .. }),
            "{expired:?}"
        );
        let gone = profile_answering(json(400, fixture!("error_100_33_not_found.json")))
            .await
            .expect_err("unknown account");
        assert!(matches!(gone, PlatformError::NotFound), "{gone:?}");
        assert_no_token(&expired, TOKEN);
    }
}
