//! LinkedIn connector (Community Management API) for an organisation page:
//! lists the page's posts and the comments under them, and deletes
//! comments. LinkedIn has no way to hide a comment.
//!
//! The module owns the page's settings, private serde structs that mirror
//! the documented JSON (`posts`, `socialActions/…/comments`, the Rest.li
//! error body), and the [`Platform`] impl, which refuses a
//! `LinkedIn-Version` past its sunset. Each call is one HTTP request; the
//! pipeline's collect stage pages, retries and saves.
//!
//! Wire details worth knowing:
//!
//! - Every request carries `LinkedIn-Version: YYYYMM` (the account's
//!   `api_version`) and `X-Restli-Protocol-Version: 2.0.0`. LinkedIn
//!   supports a version for one year, so
//!   [`crate::domain::linkedin_version::version_status`] warns three
//!   months before that ends and refuses a version past it.
//! - URNs in a path are percent-encoded whole (`urn%3Ali%3Aactivity%3A1`),
//!   as Rest.li 2.0 requires; in a query the form encoding does the same.
//! - A run lists the newest posts (`q=author`) and, for each post newer
//!   than the look-back bound, its comments; a comment with replies gets
//!   its own listing of comments on the comment.
//! - Comments page with `start`/`count`. The API documents no order;
//!   this connector assumes (as LinkedIn's own examples show) that
//!   comments come oldest first, so new ones are appended and the cursor
//!   is the `start` of the first unseen comment. It is set a few comments
//!   back ([`CURSOR_OVERLAP`]) so a deleted older comment, which shifts
//!   every offset, does not make the next run skip a new one; the
//!   overlapping comments are already stored and are recognised as such.
//! - A comment's id is its `commentUrn`, `urn:li:comment:(TARGET,ID)`:
//!   deleting it is `DELETE /rest/socialActions/{TARGET}/comments/{ID}`
//!   with `actor` = the organisation.
//! - Errors are `{"status":…,"serviceErrorCode":…,"code":…,"message":…}`;
//!   LinkedIn's throttles are daily and reset at midnight UTC.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::archive::ArchiveReceipt;
use crate::clock::Clock;
use crate::config::AccountConfig;
use crate::domain::linkedin_version::version_sunset;
use crate::domain::{
    AccountProfile, Capabilities, FetchedComment, FetchedPost, HiddenItem, ModerationAction,
    ModerationState, PlatformKind, ProfileItem,
};
use crate::platforms::PlatformError;
use crate::platforms::budget::UsageScope;
use crate::platforms::token::{self, TokenSource};
use crate::platforms::transport::{Answer, base_url, retry_after_header, send_authorized};
use crate::platforms::{Cursor, Cursors, Fetch, Harvest, Platform, RejectedItem};

/// The listing of the organisation's posts.
pub const POSTS_LISTING: &str = "posts";
/// Prefix of a post's comment listing (`comments:{post urn}`).
const COMMENTS_PREFIX: &str = "comments:";
/// Prefix of a comment's reply listing (`replies:{post urn} {comment urn}`).
const REPLIES_PREFIX: &str = "replies:";
/// Posts per call.
const POSTS_PER_PAGE: u32 = 20;
/// Comments per call (the documented maximum for this finder is 100).
const COMMENTS_PER_PAGE: u32 = 100;
/// What an organisation page keeps out of the Organizations API: it has
/// no e-mail or phone field.
pub const HIDDEN_ITEMS: &[HiddenItem] = &[HiddenItem {
    item: ProfileItem::Contact,
    reason: "organisationssidor har inga fält för e-post eller telefon i LinkedIns API",
}];
/// How many already-seen comments the next run reads again.
pub const CURSOR_OVERLAP: u64 = 10;

/// Everything needed to watch one organisation page.
#[derive(Debug, Clone)]
pub struct LinkedinSettings {
    /// Scheme and host of the API, `https://api.linkedin.com` in
    /// production; the paths below it are the documented `/rest/…`.
    pub api_base_url: String,
    /// The organisation URN, `urn:li:organization:{id}`.
    pub organization_urn: String,
    /// The `LinkedIn-Version` header, `YYYYMM`.
    pub version: String,
    /// How long one request may take.
    pub request_timeout: Duration,
}

/// The connection to one LinkedIn organisation page.
pub struct LinkedinPage {
    base: Url,
    organization: String,
    version: String,
    tokens: Arc<dyn TokenSource>,
    clock: Arc<dyn Clock>,
    request_timeout: Duration,
    client: reqwest::Client,
}

impl std::fmt::Debug for LinkedinPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkedinPage")
            .field("base", &self.base.as_str())
            .field("organization", &self.organization)
            .field("version", &self.version)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

/// `{"elements":[…],"paging":{…}}` of every finder, each element kept raw.
#[derive(Deserialize)]
struct WireCollection {
    #[serde(default)]
    elements: Vec<Box<RawValue>>,
    paging: Option<WirePaging>,
}

#[derive(Deserialize)]
struct WirePaging {
    start: Option<u64>,
    total: Option<u64>,
    #[serde(default)]
    links: Vec<WireLink>,
}

#[derive(Deserialize)]
struct WireLink {
    rel: Option<String>,
}

/// A post of the Posts API.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePost {
    id: String,
    commentary: Option<String>,
    created_at: Option<i64>,
    published_at: Option<i64>,
}

/// A comment of the Comments API.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireComment {
    comment_urn: String,
    actor: Option<String>,
    created: WireAuditStamp,
    message: Option<WireMessage>,
    parent_comment: Option<String>,
    comments_summary: Option<WireCommentsSummary>,
}

#[derive(Deserialize)]
struct WireAuditStamp {
    time: i64,
}

#[derive(Deserialize)]
struct WireMessage {
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCommentsSummary {
    #[serde(default)]
    total_first_level_comments: u64,
}

/// Only the image URLs of a comment's `content`.
#[derive(Deserialize)]
struct WireCommentContent {
    #[serde(default)]
    content: Vec<WireContentItem>,
}

#[derive(Deserialize)]
struct WireContentItem {
    url: Option<String>,
}

/// An organisation (`GET /rest/organizations/{id}`): its name,
/// description and website, each as a `MultiLocaleString`
/// (`{"localized":{"sv_SE":…},"preferredLocale":…}`) and in the
/// preferred locale (`localizedDescription`, `localizedWebsite`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireOrganization {
    localized_name: Option<String>,
    localized_description: Option<String>,
    localized_website: Option<String>,
    description: Option<WireMultiLocale>,
    website: Option<WireMultiLocale>,
}

#[derive(Deserialize)]
struct WireMultiLocale {
    #[serde(default)]
    localized: std::collections::BTreeMap<String, String>,
}

impl WireOrganization {
    /// Every locale's description and website, the preferred one first.
    fn into_profile(self) -> AccountProfile {
        let mut profile = AccountProfile {
            name: self.localized_name,
            hidden: HIDDEN_ITEMS.to_vec(),
            ..AccountProfile::default()
        };
        let mut descriptions: Vec<String> = self.localized_description.into_iter().collect();
        for text in self
            .description
            .into_iter()
            .flat_map(|d| d.localized.into_values())
        {
            if !descriptions.contains(&text) {
                descriptions.push(text);
            }
        }
        for text in descriptions {
            profile.push_text("description", Some(text));
        }
        profile.push_link(self.localized_website);
        for link in self
            .website
            .into_iter()
            .flat_map(|w| w.localized.into_values())
        {
            profile.push_link(Some(link));
        }
        profile
    }
}

/// `{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":…}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireError {
    service_error_code: Option<i64>,
    code: Option<String>,
    message: Option<String>,
}

impl LinkedinPage {
    /// Builds the connector; a base URL, organisation URN or version that
    /// cannot work fails here, at start-up.
    pub fn new(
        settings: LinkedinSettings,
        tokens: Arc<dyn TokenSource>,
        clock: Arc<dyn Clock>,
        client: reqwest::Client,
    ) -> Result<Self, PlatformError> {
        let base = base_url(&settings.api_base_url, "LinkedIn API")?;
        if !settings
            .organization_urn
            .starts_with("urn:li:organization:")
        {
            return Err(PlatformError::Permanent {
                detail: format!(
                    "\"{}\" is not an organisation URN (urn:li:organization:…)",
                    settings.organization_urn
                ),
            });
        }
        version_sunset(&settings.version).map_err(|detail| PlatformError::Permanent { detail })?;
        Ok(Self {
            base,
            organization: settings.organization_urn,
            version: settings.version,
            tokens,
            clock,
            request_timeout: settings.request_timeout,
            client,
        })
    }

    /// The connector for a configured LinkedIn account (`platform_id` is
    /// the organisation URN, `api_version` the `LinkedIn-Version`), with
    /// its token source. `clock` is the service's: the access token is
    /// renewed before it expires on that clock, and the wait for LinkedIn's
    /// daily throttle is counted on it too, so a run on simulated time (the
    /// demo, tests) refreshes when that time says.
    pub fn from_account(
        account: &AccountConfig,
        client: reqwest::Client,
        request_timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, PlatformError> {
        let tokens = token::for_account(account, client.clone(), request_timeout, clock.clone())?;
        let settings = LinkedinSettings {
            api_base_url: account.api_base_url.clone(),
            organization_urn: account.platform_id.clone(),
            version: account.api_version.clone(),
            request_timeout,
        };
        Self::new(settings, tokens, clock, client)
    }

    /// `{base}/rest/{path}`, where `path` is already percent-encoded.
    fn url(&self, encoded_path: &str) -> Url {
        let mut url = self.base.clone();
        let prefix = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{prefix}/rest/{encoded_path}"));
        url
    }

    /// One request with the version headers and the bearer token.
    async fn call(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Answer, PlatformError> {
        send_authorized(
            self.tokens.as_ref(),
            self.request_timeout,
            || {
                build()
                    .header("LinkedIn-Version", &self.version)
                    .header("X-Restli-Protocol-Version", "2.0.0")
            },
            |answer| failure_from_answer(answer, self.clock.now(), &self.version),
        )
        .await
    }

    async fn collection(
        &self,
        url: Url,
        query: &[(&str, String)],
        what: &str,
    ) -> Result<WireCollection, PlatformError> {
        let answer = self
            .call(|| self.client.get(url.clone()).query(query))
            .await?;
        serde_json::from_slice(&answer.body).map_err(|e| PlatformError::Malformed {
            detail: format!("the {what} are not {{\"elements\":[…]}}: {e}"),
        })
    }

    /// One page of the organisation's posts; each post newer than `since`
    /// reveals its comment listing, and the posts go on while they do.
    async fn fetch_posts(
        &self,
        start: u64,
        since: DateTime<Utc>,
    ) -> Result<Harvest, PlatformError> {
        let query = [
            ("author", self.organization.clone()),
            ("q", "author".to_string()),
            ("count", POSTS_PER_PAGE.to_string()),
            ("start", start.to_string()),
        ];
        let list = self.collection(self.url("posts"), &query, "posts").await?;
        let mut harvest = Harvest::default();
        let mut all_recent = true;
        let count = list.elements.len() as u64;
        for raw in list.elements {
            match post_from_raw(raw) {
                Ok(post) if post.created_at >= since => {
                    harvest.more.push(Fetch::first(format!(
                        "{COMMENTS_PREFIX}{}",
                        post.platform_id
                    )));
                    harvest.posts.push(post);
                }
                Ok(_) => all_recent = false,
                Err((raw, reason)) => harvest.rejected.push(rejected(POSTS_LISTING, &raw, reason)),
            }
        }
        if all_recent && has_next(list.paging.as_ref(), start, count) {
            harvest
                .more
                .push(Fetch::page(POSTS_LISTING, posts_page(start + count, since)));
        }
        Ok(harvest)
    }

    /// One page of comments on `target` (a post, or a comment for its
    /// replies); the cursor moves when the last page has been read.
    async fn fetch_comments(
        &self,
        listing: &str,
        post_urn: &str,
        target: &str,
        start: u64,
    ) -> Result<Harvest, PlatformError> {
        let url = self.url(&format!("socialActions/{}/comments", encode_urn(target)));
        let query = [
            ("start", start.to_string()),
            ("count", COMMENTS_PER_PAGE.to_string()),
        ];
        let list = self.collection(url, &query, "comments").await?;
        let count = list.elements.len() as u64;
        let mut harvest = Harvest::default();
        for raw in list.elements {
            match comment_from_raw(raw, post_urn) {
                Ok((comment, replies)) => {
                    if replies {
                        harvest.more.push(Fetch::first(format!(
                            "{REPLIES_PREFIX}{post_urn} {}",
                            comment.platform_id
                        )));
                    }
                    harvest.comments.push(comment);
                }
                Err((raw, reason)) => harvest.rejected.push(rejected(listing, &raw, reason)),
            }
        }
        let end = start + count;
        if has_next(list.paging.as_ref(), start, count) {
            harvest.more.push(Fetch::page(listing, end.to_string()));
        } else {
            harvest.cursors.push((
                listing.to_string(),
                Cursor(end.saturating_sub(CURSOR_OVERLAP).to_string()),
            ));
        }
        Ok(harvest)
    }

    /// Where a comment listing starts: the page named, else the cursor.
    fn start_of(fetch: &Fetch, cursors: &Cursors) -> Result<u64, PlatformError> {
        let text = match &fetch.page {
            Some(page) => page.as_str(),
            None => cursors.get(&fetch.listing).map_or("0", |c| c.0.as_str()),
        };
        text.parse().map_err(|_| PlatformError::Permanent {
            detail: format!("{text:?} is not a LinkedIn start offset"),
        })
    }
}

#[async_trait]
impl Platform for LinkedinPage {
    fn grant(&self) -> Option<token::GrantStatus> {
        Some(self.tokens.grant())
    }

    fn kind(&self) -> PlatformKind {
        PlatformKind::Linkedin
    }

    fn capabilities(&self, _comment: &FetchedComment) -> Capabilities {
        Capabilities {
            hide: false,
            delete: true,
            permalink: false,
        }
    }

    fn verb(&self, action: ModerationAction) -> &'static str {
        match action {
            ModerationAction::Delete => "DELETE",
            ModerationAction::Hide => "unsupported",
            ModerationAction::Review => "review",
            ModerationAction::None => "none",
        }
    }

    fn first_fetches(&self, _cursors: &Cursors, since: DateTime<Utc>) -> Vec<Fetch> {
        vec![Fetch::page(POSTS_LISTING, posts_page(0, since))]
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "linkedin", organization = %self.organization, listing = %fetch.listing))]
    async fn fetch(&self, fetch: &Fetch, cursors: &Cursors) -> Result<Harvest, PlatformError> {
        if fetch.listing == POSTS_LISTING {
            let (start, since) = fetch
                .page
                .as_deref()
                .map_or(Some((0, DateTime::<Utc>::MIN_UTC)), parse_posts_page)
                .ok_or_else(|| PlatformError::Permanent {
                    detail: format!("{:?} is not a LinkedIn posts page", fetch.page),
                })?;
            self.fetch_posts(start, since).await
        } else if let Some(post) = fetch.listing.strip_prefix(COMMENTS_PREFIX) {
            let start = Self::start_of(fetch, cursors)?;
            self.fetch_comments(&fetch.listing, post, post, start).await
        } else if let Some((post, comment)) = fetch
            .listing
            .strip_prefix(REPLIES_PREFIX)
            .and_then(|rest| rest.split_once(' '))
        {
            let start = Self::start_of(fetch, cursors)?;
            self.fetch_comments(&fetch.listing, post, comment, start)
                .await
        } else {
            Err(PlatformError::Permanent {
                detail: format!("{:?} is not a LinkedIn listing", fetch.listing),
            })
        }
    }

    async fn hide(&self, _receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        Err(PlatformError::Unsupported {
            action: "hiding a comment (LinkedIn can only delete)",
        })
    }

    async fn unhide(&self, _platform_comment_id: &str) -> Result<(), PlatformError> {
        Err(PlatformError::Unsupported {
            action: "unhiding a comment (LinkedIn can only delete)",
        })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "linkedin", comment_id = %receipt.platform_comment_id()))]
    async fn delete(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError> {
        let url = self.comment_url(receipt.platform_comment_id())?;
        let actor = [("actor", self.organization.as_str())];
        self.call(|| self.client.delete(url.clone()).query(&actor))
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "linkedin", comment_id = %platform_comment_id))]
    async fn moderation_state(
        &self,
        platform_comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        let url = self.comment_url(platform_comment_id)?;
        match self.call(|| self.client.get(url.clone())).await {
            Ok(_) => Ok(ModerationState::Visible),
            Err(PlatformError::NotFound) => Ok(ModerationState::Removed),
            Err(e) => Err(e),
        }
    }

    async fn profile(&self) -> Result<AccountProfile, PlatformError> {
        self.read_profile().await
    }

    fn attachment_urls(&self, comment: &FetchedComment) -> Vec<String> {
        serde_json::from_str::<WireCommentContent>(comment.raw.get())
            .map(|c| c.content.into_iter().filter_map(|i| i.url).collect())
            .unwrap_or_default()
    }
}

impl LinkedinPage {
    /// The organisation's page texts and website.
    #[tracing::instrument(level = "debug", skip_all, fields(platform = "linkedin", organization = %self.organization))]
    async fn read_profile(&self) -> Result<AccountProfile, PlatformError> {
        let id = self
            .organization
            .strip_prefix("urn:li:organization:")
            .unwrap_or(&self.organization);
        let url = self.url(&format!("organizations/{}", encode_urn(id)));
        let answer = self.call(|| self.client.get(url.clone())).await?;
        let organization: WireOrganization =
            serde_json::from_slice(&answer.body).map_err(|e| PlatformError::Malformed {
                detail: format!("the organization is not an Organization object: {e}"),
            })?;
        Ok(organization.into_profile())
    }

    /// `{base}/rest/socialActions/{TARGET}/comments/{ID}` from the
    /// comment's URN `urn:li:comment:(TARGET,ID)`.
    fn comment_url(&self, comment_urn: &str) -> Result<Url, PlatformError> {
        let (target, id) =
            split_comment_urn(comment_urn).ok_or_else(|| PlatformError::Permanent {
                detail: format!("{comment_urn:?} is not a LinkedIn comment URN"),
            })?;
        Ok(self.url(&format!(
            "socialActions/{}/comments/{}",
            encode_urn(target),
            encode_urn(id)
        )))
    }
}

/// `urn:li:comment:(urn:li:activity:1,2)` → (`urn:li:activity:1`, `2`).
fn split_comment_urn(urn: &str) -> Option<(&str, &str)> {
    let inner = urn.strip_prefix("urn:li:comment:(")?.strip_suffix(')')?;
    let (target, id) = inner.rsplit_once(',')?;
    (!target.is_empty() && !id.is_empty()).then_some((target, id))
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a
/// URN is exactly one path segment (`:` `(` `,` `)` included).
fn encode_urn(urn: &str) -> String {
    urn.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `{start}|{since}`: the posts page and the look-back bound it carries.
fn posts_page(start: u64, since: DateTime<Utc>) -> String {
    format!(
        "{start}|{}",
        since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

fn parse_posts_page(page: &str) -> Option<(u64, DateTime<Utc>)> {
    let (start, since) = page.split_once('|')?;
    Some((
        start.parse().ok()?,
        DateTime::parse_from_rfc3339(since)
            .ok()?
            .with_timezone(&Utc),
    ))
}

/// A next page exists when LinkedIn links one, or when the total says so.
fn has_next(paging: Option<&WirePaging>, start: u64, count: u64) -> bool {
    let Some(paging) = paging else {
        return false;
    };
    if count == 0 {
        return false;
    }
    let start = paging.start.unwrap_or(start);
    paging
        .links
        .iter()
        .any(|l| l.rel.as_deref() == Some("next"))
        || paging.total.is_some_and(|total| start + count < total)
}

fn post_from_raw(raw: Box<RawValue>) -> Result<FetchedPost, (Box<RawValue>, String)> {
    let wire: WirePost = match serde_json::from_str(raw.get()) {
        Ok(wire) => wire,
        Err(e) => return Err((raw, format!("is not a post: {e}"))),
    };
    let Some(created_at) = wire
        .published_at
        .or(wire.created_at)
        .and_then(DateTime::from_timestamp_millis)
    else {
        return Err((
            raw,
            format!("post {} has no publishedAt or createdAt", wire.id),
        ));
    };
    Ok(FetchedPost {
        permalink: Some(format!("https://www.linkedin.com/feed/update/{}/", wire.id)),
        platform_id: wire.id,
        text: wire.commentary,
        created_at,
        raw,
    })
}

/// A comment and whether it has replies of its own.
fn comment_from_raw(
    raw: Box<RawValue>,
    post_urn: &str,
) -> Result<(FetchedComment, bool), (Box<RawValue>, String)> {
    let wire: WireComment = match serde_json::from_str(raw.get()) {
        Ok(wire) => wire,
        Err(e) => return Err((raw, format!("is not a comment: {e}"))),
    };
    if split_comment_urn(&wire.comment_urn).is_none() {
        return Err((raw, format!("{:?} is not a comment URN", wire.comment_urn)));
    }
    let Some(created_at) = DateTime::from_timestamp_millis(wire.created.time) else {
        return Err((
            raw,
            format!("created.time {} is out of range", wire.created.time),
        ));
    };
    let replies = wire
        .comments_summary
        .is_some_and(|s| s.total_first_level_comments > 0);
    Ok((
        FetchedComment {
            platform_id: wire.comment_urn,
            post_id: post_urn.to_string(),
            parent_id: wire.parent_comment,
            author_id: wire.actor,
            author_name: None,
            text: wire.message.and_then(|m| m.text).unwrap_or_default(),
            created_at,
            permalink: None,
            is_hidden: false,
            raw,
        },
        replies,
    ))
}

fn rejected(listing: &str, raw: &RawValue, reason: String) -> RejectedItem {
    RejectedItem {
        listing: listing.to_string(),
        raw: raw.get().as_bytes().to_vec(),
        reason,
    }
}

/// Whom a 429 stops: LinkedIn names the throttle in its message
/// ("Resource level throttle APPLICATION DAY limit …" for the app's daily
/// calls, "… MEMBER DAY limit …" for the member's), and only the
/// application's stops every page the app watches.
fn throttle_scope(detail: &str) -> UsageScope {
    if detail.contains("APPLICATION") {
        UsageScope::App
    } else {
        UsageScope::Account
    }
}

/// The next midnight UTC, when LinkedIn's daily throttles reset.
fn next_utc_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
    tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Maps a failed answer by status, with LinkedIn's body as the detail.
fn failure_from_answer(answer: &Answer, now: DateTime<Utc>, version: &str) -> PlatformError {
    let status = answer.status;
    let detail = match serde_json::from_slice::<WireError>(&answer.body) {
        Ok(error) => format!(
            "HTTP {status}, {} (serviceErrorCode {}): {}",
            error.code.as_deref().unwrap_or("no code"),
            error
                .service_error_code
                .map_or_else(|| "none".to_string(), |c| c.to_string()),
            error.message.as_deref().unwrap_or("no message")
        ),
        Err(_) => format!("HTTP {status} without a LinkedIn error body"),
    };
    match status {
        StatusCode::UNAUTHORIZED => PlatformError::Unauthorized { detail },
        StatusCode::TOO_MANY_REQUESTS => PlatformError::RateLimited {
            retry_after: retry_after_header(&answer.headers)
                .or_else(|| (next_utc_midnight(now) - now).to_std().ok()),
            scope: throttle_scope(&detail),
            usage: detail,
        },
        StatusCode::NOT_FOUND => PlatformError::NotFound,
        StatusCode::UPGRADE_REQUIRED => PlatformError::Permanent {
            detail: format!(
                "LinkedIn no longer serves LinkedIn-Version {version}; set a newer api_version \
                 ({detail})"
            ),
        },
        s if s.is_server_error() => PlatformError::Transient { detail },
        _ => PlatformError::Permanent { detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::platforms::test_support::{archived, assert_hides, at, clock_at, json};
    use crate::platforms::token::StaticToken;
    use secrecy::SecretString;
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "AQV-linkedin-static-token-secret";
    const ORG: &str = "urn:li:organization:2414183";
    const SHARE: &str = "urn:li:share:6844785523593134080";
    const SHARE_PATH: &str = "/rest/socialActions/urn%3Ali%3Ashare%3A6844785523593134080/comments";
    const COMMENT_1: &str =
        "urn:li:comment:(urn:li:activity:6844785523593134080,6844790000000000001)";
    const COMMENT_2: &str =
        "urn:li:comment:(urn:li:activity:6844785523593134080,6844790000000000002)";

    macro_rules! data {
        ($name:literal) => {
            include_str!(concat!("../../tests/data/platforms/linkedin/", $name))
        };
    }

    fn connector(server: &MockServer, clock: Arc<ManualClock>) -> LinkedinPage {
        LinkedinPage::new(
            LinkedinSettings {
                api_base_url: server.uri(),
                organization_urn: ORG.into(),
                version: "202511".into(),
                request_timeout: Duration::from_secs(5),
            },
            Arc::new(StaticToken::new(SecretString::from(TOKEN))),
            clock,
            reqwest::Client::new(),
        )
        .expect("valid settings")
    }

    fn versioned(mock: wiremock::MockBuilder) -> wiremock::MockBuilder {
        mock.and(header("linkedin-version", "202511"))
            .and(header("x-restli-protocol-version", "2.0.0"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
    }

    #[tokio::test]
    async fn posts_newer_than_the_look_back_reveal_their_comment_listings() {
        let server = MockServer::start().await;
        versioned(Mock::given(method("GET")))
            .and(path("/rest/posts"))
            .and(query_param("author", ORG))
            .and(query_param("q", "author"))
            .and(query_param("start", "0"))
            .respond_with(json(200, data!("posts_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T13:00:00Z"));
        let cursors = Cursors::new();

        // Both posts are within a look-back from the 20th: the page is
        // full of recent posts, so the listing goes on.
        let first = linkedin.first_fetches(&cursors, at("2026-11-20T00:00:00Z"));
        let harvest = linkedin.fetch(&first[0], &cursors).await.expect("posts");
        assert_eq!(harvest.posts.len(), 2);
        assert_eq!(harvest.posts[0].platform_id, SHARE);
        assert_eq!(harvest.posts[0].created_at, at("2026-11-23T09:00:00Z"));
        let listings: Vec<&str> = harvest.more.iter().map(|f| f.listing.as_str()).collect();
        assert_eq!(
            listings,
            [
                "comments:urn:li:share:6844785523593134080",
                "comments:urn:li:ugcPost:6844785523593134081",
                "posts"
            ]
        );
        assert_eq!(
            harvest.more[2].page.as_deref(),
            Some("2|2026-11-20T00:00:00Z")
        );
    }

    #[tokio::test]
    async fn an_older_post_ends_the_post_listing() {
        let server = MockServer::start().await;
        versioned(Mock::given(method("GET")))
            .and(path("/rest/posts"))
            .respond_with(json(200, data!("posts_page.json")))
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T13:00:00Z"));
        let cursors = Cursors::new();

        let first = linkedin.first_fetches(&cursors, at("2026-11-23T00:00:00Z"));
        let harvest = linkedin.fetch(&first[0], &cursors).await.expect("posts");
        assert_eq!(harvest.posts.len(), 1);
        let listings: Vec<&str> = harvest.more.iter().map(|f| f.listing.as_str()).collect();
        assert_eq!(listings, ["comments:urn:li:share:6844785523593134080"]);
    }

    #[tokio::test]
    async fn comments_page_by_start_keep_valid_ones_and_set_the_cursor_after_the_last_page() {
        let server = MockServer::start().await;
        versioned(Mock::given(method("GET")))
            .and(path(SHARE_PATH))
            .and(query_param("start", "0"))
            .and(query_param("count", "100"))
            .respond_with(json(200, data!("comments_page.json")))
            .mount(&server)
            .await;
        versioned(Mock::given(method("GET")))
            .and(path(SHARE_PATH))
            .and(query_param("start", "3"))
            .respond_with(json(200, data!("comments_last_page.json")))
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T13:00:00Z"));
        let cursors = Cursors::new();

        let listing = format!("comments:{SHARE}");
        let page = linkedin
            .fetch(&Fetch::first(listing.clone()), &cursors)
            .await
            .expect("page 1");
        let ids: Vec<&str> = page
            .comments
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect();
        assert_eq!(ids, [COMMENT_1, COMMENT_2]);
        assert_eq!(page.comments[0].post_id, SHARE);
        assert_eq!(page.comments[0].text, "Vilken lön erbjuder ni?");
        assert_eq!(page.comments[0].created_at, at("2026-11-23T10:00:00Z"));
        assert_eq!(
            page.comments[0].author_id.as_deref(),
            Some("urn:li:person:Jx3kQ9fL2a")
        );
        assert_eq!(
            linkedin.attachment_urls(&page.comments[1]),
            [
                "https://media.licdn.com/dms/image/C4E22AQ/feedshare-shrink_800/0/1795431600000?e=1798000000&v=beta&t=abc"
            ]
        );
        assert_eq!(page.rejected.len(), 1, "the comment without created");
        assert!(String::from_utf8_lossy(&page.rejected[0].raw).contains("6844790000000000003"));
        assert!(page.cursors.is_empty());
        assert!(page.more.contains(&Fetch::page(listing.clone(), "3")));
        assert!(
            page.more
                .contains(&Fetch::first(format!("replies:{SHARE} {COMMENT_1}")))
        );

        let last = linkedin
            .fetch(&Fetch::page(listing.clone(), "3"), &cursors)
            .await
            .expect("page 2");
        assert_eq!(last.comments.len(), 1);
        assert!(last.more.is_empty());
        // Four comments read; the next run starts CURSOR_OVERLAP back.
        assert_eq!(last.cursors, [(listing, Cursor("0".into()))]);
    }

    #[tokio::test]
    async fn a_stored_start_is_where_the_next_run_begins() {
        let server = MockServer::start().await;
        versioned(Mock::given(method("GET")))
            .and(path(SHARE_PATH))
            .and(query_param("start", "3"))
            .respond_with(json(200, data!("comments_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T13:00:00Z"));
        let listing = format!("comments:{SHARE}");
        let cursors = Cursors::from([(listing.clone(), Cursor("3".into()))]);

        let page = linkedin
            .fetch(&Fetch::first(listing), &cursors)
            .await
            .expect("page");
        assert_eq!(page.comments.len(), 1);
    }

    fn comment(urn: &str) -> FetchedComment {
        let raw = format!(
            r#"{{"commentUrn":"{urn}","actor":"urn:li:person:Pq7wE2rT5y","created":{{"time":1795431600000}},"message":{{"text":"Ring 070-123 45 67"}}}}"#
        );
        comment_from_raw(RawValue::from_string(raw).expect("JSON"), SHARE)
            .expect("comment")
            .0
    }

    #[tokio::test]
    async fn delete_addresses_the_comment_under_its_activity_as_the_organisation() {
        let server = MockServer::start().await;
        versioned(Mock::given(method("DELETE")))
            .and(path(
                "/rest/socialActions/urn%3Ali%3Aactivity%3A6844785523593134080/comments/6844790000000000002",
            ))
            .and(query_param("actor", ORG))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T13:00:00Z"));
        let (_dir, receipt) = archived(&comment(COMMENT_2), PlatformKind::Linkedin);

        linkedin.delete(&receipt).await.expect("deleted");
        assert!(matches!(
            linkedin.hide(&receipt).await,
            Err(PlatformError::Unsupported { .. })
        ));
        let caps = linkedin.capabilities(&comment(COMMENT_2));
        assert!(caps.delete && !caps.hide);
        assert_eq!(linkedin.verb(ModerationAction::Delete), "DELETE");
    }

    #[tokio::test]
    async fn a_deleted_comment_reads_as_removed() {
        let server = MockServer::start().await;
        versioned(Mock::given(method("GET")))
            .and(path(
                "/rest/socialActions/urn%3Ali%3Aactivity%3A6844785523593134080/comments/6844790000000000002",
            ))
            .respond_with(json(404, data!("error_404_not_found.json")))
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T13:00:00Z"));

        assert_eq!(
            linkedin.moderation_state(COMMENT_2).await.expect("state"),
            ModerationState::Removed
        );
        assert!(matches!(
            linkedin.moderation_state("urn:li:share:1").await,
            Err(PlatformError::Permanent { .. })
        ));
    }

    async fn comments_error(template: ResponseTemplate) -> PlatformError {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(SHARE_PATH))
            .respond_with(template)
            .mount(&server)
            .await;
        let linkedin = connector(&server, clock_at("2026-11-23T18:00:00Z"));
        linkedin
            .fetch(&Fetch::first(format!("comments:{SHARE}")), &Cursors::new())
            .await
            .expect_err("the call must fail")
    }

    #[tokio::test]
    async fn each_linkedin_error_maps_to_what_the_caller_does_next() {
        let throttled = comments_error(json(429, data!("error_429_throttle.json"))).await;
        // The daily throttle resets at midnight UTC: six hours from 18:00.
        assert!(
            matches!(&throttled, PlatformError::RateLimited { retry_after: Some(d), usage, scope: UsageScope::App }
                if *d == Duration::from_secs(6 * 3600) && usage.contains("TOO_MANY_REQUESTS")),
            "{throttled:?}"
        );
        let told = comments_error(
            json(429, data!("error_429_throttle.json")).insert_header("retry-after", "60"),
        )
        .await;
        assert!(
            matches!(told, PlatformError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(60)),
            "{told:?}"
        );
        let expired = comments_error(json(401, data!("error_401_expired.json"))).await;
        assert!(
            matches!(&expired, PlatformError::Unauthorized { detail } if detail.contains("65601")),
            "{expired:?}"
        );
        let denied = comments_error(json(403, data!("error_403_access_denied.json"))).await;
        assert!(
            matches!(&denied, PlatformError::Permanent { detail } if detail.contains("ACCESS_DENIED")),
            "{denied:?}"
        );
        let gone = comments_error(json(404, data!("error_404_not_found.json"))).await;
        assert!(matches!(gone, PlatformError::NotFound), "{gone:?}");
        let down = comments_error(json(500, data!("error_500.json"))).await;
        assert!(matches!(down, PlatformError::Transient { .. }), "{down:?}");
        let sunset = comments_error(json(426, data!("error_426_version.json"))).await;
        assert!(
            matches!(&sunset, PlatformError::Permanent { detail } if detail.contains("202511")),
            "{sunset:?}"
        );
        let garbage = comments_error(json(200, "[]")).await;
        assert!(
            matches!(garbage, PlatformError::Malformed { .. }),
            "{garbage:?}"
        );
    }

    #[tokio::test]
    async fn a_platform_message_that_echoes_the_token_is_scrubbed() {
        let body = format!(r#"{{"status":400,"message":"Invalid token {TOKEN}"}}"#);
        let error = comments_error(json(400, &body)).await;
        let shown = error.to_string();
        assert!(shown.contains("[redacted]"), "{shown}");
        assert_hides(&error, &shown, TOKEN);
    }

    #[test]
    fn urns_are_one_encoded_path_segment() {
        assert_eq!(
            encode_urn("urn:li:comment:(urn:li:activity:1,2)"),
            "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29"
        );
        assert_eq!(
            split_comment_urn(COMMENT_1),
            Some(("urn:li:activity:6844785523593134080", "6844790000000000001"))
        );
        assert_eq!(split_comment_urn("urn:li:share:1"), None);
    }

    async fn profile_answering(
        template: ResponseTemplate,
    ) -> Result<AccountProfile, PlatformError> {
        let server = MockServer::start().await;
        versioned(Mock::given(method("GET")))
            .and(path("/rest/organizations/2414183"))
            .respond_with(template)
            .expect(1)
            .mount(&server)
            .await;
        connector(&server, clock_at("2026-11-23T18:00:00Z"))
            .profile()
            .await
    }

    #[tokio::test]
    async fn the_organization_brings_every_locales_description_and_website() {
        let profile = profile_answering(json(200, data!("organization.json")))
            .await
            .expect("profile");

        assert_eq!(profile.name.as_deref(), Some("Stockholms stad"));
        assert_eq!(profile.texts.len(), 2, "Swedish and English: {profile:?}");
        assert!(profile.texts[0].text.starts_with("Stockholms stad är"));
        assert!(profile.texts[1].text.contains("City of Stockholm"));
        assert_eq!(profile.links, ["https://start.stockholm.se/"]);
        assert!(profile.hidden_reason(ProfileItem::Contact).is_some());
    }

    #[tokio::test]
    async fn a_refused_organization_read_maps_as_every_linkedin_call() {
        let expired = profile_answering(json(401, data!("error_401_expired.json"))).await;
        assert!(
            matches!(expired, Err(PlatformError::Unauthorized { .. })),
            "{expired:?}"
        );
        let denied = profile_answering(json(403, data!("error_403_access_denied.json"))).await;
        assert!(
            matches!(denied, Err(PlatformError::Permanent { .. })),
            "{denied:?}"
        );
    }
}
