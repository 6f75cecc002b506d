//! Facebook Pages connector: lists a Page's posts and the comments under
//! them through the Graph API, and hides, unhides or deletes comments.
//!
//! The module is deliberately thin. It owns the Page's settings, private
//! serde structs that mirror the Graph API's documented JSON, and the
//! [`Platform`] impl; each trait call makes exactly one HTTP request.
//! Paging, retries and backoff live in the shared poller, which reacts to the
//! [`PlatformError`] variant this module maps every Graph error onto.
//!
//! Wire details worth knowing:
//!
//! - The access token travels only in the `Authorization: Bearer` header,
//!   never in a URL, so it cannot leak through logged URLs; every error detail
//!   is scrubbed of it as well.
//! - A listing has a next page only when `paging.next` is present; the
//!   connector then continues with the `after` cursor. It never follows the
//!   `next` URL itself, because real ones embed the access token.
//! - Since Graph v11 a comment's `id` is only returned when the token may
//!   MODERATE the Page. Such a comment is still archived, under a synthetic
//!   `unidentified:` id, and any attempt to hide or delete it fails with a
//!   [`PlatformError::Permanent`] that says why.
//! - Rate limits are reported in the `X-Business-Use-Case-Usage` and
//!   `X-App-Usage` headers; the BUC header's `estimated_time_to_regain_access`
//!   is in minutes.
//! - A comment's `attachment` (photo, video, sticker, link preview) names its
//!   media on the CDN under signed links: `media.image.src`, and for videos
//!   `media.source`. They are fetched without the token (it must never reach
//!   another host), with a size cap, only to be hashed.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, Url};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::archive::ArchiveReceipt;
use crate::model::{FetchedComment, FetchedPost};
use crate::platforms::graph::{self, check_object_id, parse_graph_time};
use crate::platforms::transport::{self, versioned_base_url};
use crate::platforms::{Capabilities, ModerationState, Page, PageToken, Platform, PlatformError};

/// Fields asked for on each post of the Page feed.
const POST_FIELDS: &str = "id,message,created_time,permalink_url";
/// Fields asked for on each comment; `from`, `parent` and `permalink_url` may
/// still be withheld by the platform. `attachment` is the photo, video,
/// sticker or link preview attached to the comment (a comment has at most
/// one): `media.image.src` is the picture, `media.source` a video's file.
const COMMENT_FIELDS: &str = "id,message,created_time,from{id,name},parent{id},permalink_url,\
                              is_hidden,attachment{type,url,media{image{src},source}}";
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
}

/// `{"data":[…],"paging":{…}}`, with each item kept as its raw bytes so the
/// archive can store exactly what the platform sent.
#[derive(Deserialize)]
struct WireListing {
    data: Vec<Box<RawValue>>,
    paging: Option<WirePaging>,
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
    pub fn new(settings: FacebookSettings, client: reqwest::Client) -> Result<Self, PlatformError> {
        let versioned_base =
            versioned_base_url(&settings.api_base_url, &settings.api_version, "Graph API")?;
        check_object_id(&settings.page_id, "page id")?;
        Ok(Self {
            versioned_base,
            page_id: settings.page_id,
            token: settings.token,
            request_timeout: settings.request_timeout,
            client,
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
        graph::execute(request, &self.token, self.request_timeout).await
    }

    /// Maps a failure to send or to read an answer.
    fn transport_error(&self, error: &reqwest::Error) -> PlatformError {
        transport::transport_error(error, &self.token, self.request_timeout)
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

#[async_trait]
impl Platform for FacebookPage {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            hide: true,
            delete: true,
            permalink: true,
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id))]
    async fn list_posts(
        &self,
        page: Option<&PageToken>,
    ) -> Result<Page<FetchedPost>, PlatformError> {
        let url = self.object_url(&self.page_id, Some("feed"))?;
        let mut query = vec![("fields", POST_FIELDS), ("limit", POSTS_PER_PAGE)];
        if let Some(PageToken(after)) = page {
            query.push(("after", after.as_str()));
        }
        let body = self.execute(self.client.get(url).query(&query)).await?;
        let listing = parse_listing(&body, "feed").map_err(|e| self.redacted(e))?;
        let items = listing
            .data
            .into_iter()
            .enumerate()
            .map(|(index, raw)| post_from_raw(raw, index))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.redacted(e))?;
        let next = next_page_token(listing.paging, "feed")?;
        tracing::debug!(posts = items.len(), more = next.is_some(), "Listed posts");
        Ok(Page { items, next })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id, post_id = %post_id))]
    async fn list_comments(
        &self,
        post_id: &str,
        since: Option<DateTime<Utc>>,
        page: Option<&PageToken>,
    ) -> Result<Page<FetchedComment>, PlatformError> {
        let url = self.object_url(post_id, Some("comments"))?;
        let since = since.map(|t| t.timestamp().to_string());
        let mut query = vec![
            ("filter", "stream"),
            ("order", "chronological"),
            ("limit", COMMENTS_PER_PAGE),
            ("fields", COMMENT_FIELDS),
        ];
        if let Some(since) = &since {
            query.push(("since", since.as_str()));
        }
        if let Some(PageToken(after)) = page {
            query.push(("after", after.as_str()));
        }
        let body = self.execute(self.client.get(url).query(&query)).await?;
        let listing = parse_listing(&body, "comments").map_err(|e| self.redacted(e))?;
        let items = listing
            .data
            .into_iter()
            .enumerate()
            .map(|(index, raw)| comment_from_raw(raw, post_id, index))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.redacted(e))?;
        let next = next_page_token(listing.paging, "comments")?;
        tracing::debug!(
            comments = items.len(),
            more = next.is_some(),
            "Listed comments"
        );
        Ok(Page { items, next })
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

    #[tracing::instrument(level = "debug", skip_all, fields(platform = "facebook", page_id = %self.page_id))]
    async fn fetch_media(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, PlatformError> {
        let url = Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http"))
            .ok_or_else(|| PlatformError::Malformed {
                detail: "an attachment URL is not an http(s) URL".into(),
            })?;
        let shown = media_url_for_logs(&url);
        // No bearer token: media lives on the CDN behind signed links, and
        // the token must never reach another host.
        let mut response = self
            .client
            .get(url)
            .timeout(self.request_timeout)
            .send()
            .await
            .map_err(|e| self.transport_error(&e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            let detail = format!("{shown} answered HTTP {}", status.as_u16());
            return Err(match status.as_u16() {
                404 | 410 => PlatformError::NotFound,
                429 | 500..=599 => PlatformError::Transient { detail },
                _ => PlatformError::Permanent { detail },
            });
        }
        let too_large = || PlatformError::Permanent {
            detail: format!("{shown} is larger than {max_bytes} bytes"),
        };
        if response
            .content_length()
            .is_some_and(|length| length > max_bytes as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(&e.without_url()))?
        {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
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

/// A media URL for messages: scheme, host and path, without the query
/// (CDN links carry signatures there).
fn media_url_for_logs(url: &Url) -> String {
    format!(
        "{}://{}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.path()
    )
}

/// Parses the listing envelope, keeping each item's raw bytes.
fn parse_listing(body: &[u8], edge: &str) -> Result<WireListing, PlatformError> {
    serde_json::from_slice(body).map_err(|e| PlatformError::Malformed {
        detail: format!("the {edge} listing is not {{\"data\":[…],\"paging\":…}}: {e}"),
    })
}

/// The `after` cursor when (and only when) the platform says a next page exists.
fn next_page_token(
    paging: Option<WirePaging>,
    edge: &str,
) -> Result<Option<PageToken>, PlatformError> {
    let Some(paging) = paging else {
        return Ok(None);
    };
    if paging.next.is_none() {
        return Ok(None);
    }
    match paging.cursors.and_then(|c| c.after) {
        Some(after) if !after.is_empty() => Ok(Some(PageToken(after))),
        _ => Err(PlatformError::Malformed {
            detail: format!(
                "the {edge} listing has paging.next but no paging.cursors.after to continue from"
            ),
        }),
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
    let platform_id = match wire.id {
        Some(id) if !id.is_empty() => id,
        _ => unidentified_comment_id(post_id, raw.get()),
    };
    let (author_id, author_name) = wire.from.map_or((None, None), |a| (a.id, a.name));
    Ok(FetchedComment {
        platform_id,
        post_id: post_id.to_string(),
        parent_id: wire.parent.map(|p| p.id),
        author_id,
        author_name,
        text: wire.message.unwrap_or_default(),
        created_at,
        permalink: wire.permalink_url,
        is_hidden: wire.is_hidden,
        raw,
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
    use crate::decide::ModerationAction;
    use crate::model::PlatformKind;
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
            include_str!(concat!("../../tests/fixtures/facebook/", $name))
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
        FacebookPage::new(settings(&server.uri(), timeout), reqwest::Client::new())
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

    async fn list_posts_error(template: ResponseTemplate) -> PlatformError {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .respond_with(template)
            .mount(&server)
            .await;
        connector(&server)
            .list_posts(None)
            .await
            .expect_err("the call must fail")
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
    async fn lists_a_page_of_posts_with_bearer_token_fields_and_next_cursor() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .and(query_param(
                "fields",
                "id,message,created_time,permalink_url",
            ))
            .and(query_param("limit", "25"))
            .and(query_param_is_missing("after"))
            .and(query_param_is_missing("access_token"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("feed_page.json")))
            .expect(1)
            .mount(&server)
            .await;

        let page = connector(&server).list_posts(None).await.expect("posts");

        let ids: Vec<&str> = page.items.iter().map(|p| p.platform_id.as_str()).collect();
        assert_eq!(ids, ["104_9001", "104_9000"]);
        let newest = &page.items[0];
        assert_eq!(
            newest.text.as_deref(),
            Some("Nu öppnar det nya badhuset i Farsta!")
        );
        assert_eq!(
            newest.created_at,
            Utc.with_ymd_and_hms(2026, 11, 23, 8, 12, 0).unwrap()
        );
        assert_eq!(
            newest.permalink.as_deref(),
            Some("https://www.facebook.com/104/posts/9001")
        );
        assert_eq!(
            page.items[1].text, None,
            "a post without message has no text"
        );
        assert!(fixture!("feed_page.json").contains(newest.raw.get()));
        assert_eq!(page.next, Some(PageToken("QVFIUmFmdGVyMQ".to_string())));
    }

    #[tokio::test]
    async fn last_page_of_posts_is_fetched_with_after_cursor_and_has_no_next() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(feed_path()))
            .and(query_param("after", "QVFIUmFmdGVyMQ"))
            .respond_with(json(200, fixture!("feed_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;

        let token = PageToken("QVFIUmFmdGVyMQ".to_string());
        let page = connector(&server)
            .list_posts(Some(&token))
            .await
            .expect("posts");

        assert_eq!(page.items.len(), 1);
        assert_eq!(page.next, None, "no paging.next means no further page");
    }

    #[tokio::test]
    async fn token_travels_only_in_the_authorization_header() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(json(200, fixture!("feed_last_page.json")))
            .mount(&server)
            .await;

        connector(&server).list_posts(None).await.expect("posts");

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
    async fn lists_comments_with_stream_filter_since_and_fields() {
        let server = MockServer::start().await;
        let since = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .and(query_param("filter", "stream"))
            .and(query_param("order", "chronological"))
            .and(query_param("since", since.timestamp().to_string().as_str()))
            .and(query_param("limit", "100"))
            .and(query_param(
                "fields",
                "id,message,created_time,from{id,name},parent{id},permalink_url,is_hidden,\
                 attachment{type,url,media{image{src},source}}",
            ))
            .and(query_param_is_missing("after"))
            .and(query_param_is_missing("access_token"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(json(200, fixture!("comments_page.json")))
            .expect(1)
            .mount(&server)
            .await;

        let page = connector(&server)
            .list_comments(POST_ID, Some(since), None)
            .await
            .expect("comments");

        assert_eq!(page.items.len(), 5);
        assert_eq!(
            page.next,
            Some(PageToken("Y29tbWVudHNhZnRlcjE".to_string()))
        );
        let question = &page.items[0];
        assert_eq!(question.platform_id, "104_9001_5001");
        assert_eq!(question.post_id, POST_ID);
        assert_eq!(question.parent_id, None);
        assert_eq!(question.author_id.as_deref(), Some("7001"));
        assert_eq!(question.author_name.as_deref(), Some("Anna Andersson"));
        assert_eq!(question.text, "När öppnar badhuset på helger?");
        assert_eq!(
            question.created_at,
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 1, 15).unwrap()
        );
        assert!(!question.is_hidden);

        let reply = &page.items[1];
        assert_eq!(reply.parent_id.as_deref(), Some("104_9001_5001"));
        assert_eq!(reply.author_name.as_deref(), Some("Stockholms stad"));

        let anonymous = &page.items[2];
        assert_eq!(anonymous.author_id, None);
        assert_eq!(anonymous.author_name, None);
        assert_eq!(anonymous.permalink, None);
        assert!(anonymous.is_hidden);

        let sticker = &page.items[4];
        assert_eq!(sticker.text, "", "a comment without message has empty text");
    }

    #[tokio::test]
    async fn attachment_media_urls_are_read_from_the_comment_attachment_field() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .respond_with(json(200, fixture!("comments_page.json")))
            .mount(&server)
            .await;
        let connector = connector(&server);
        let page = connector
            .list_comments(POST_ID, None, None)
            .await
            .expect("comments");
        assert_eq!(
            connector.attachment_urls(&page.items[0]),
            Vec::<String>::new()
        );
        assert_eq!(
            connector.attachment_urls(&page.items[4]),
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
    async fn media_is_fetched_without_the_token_and_refused_above_the_size_cap() {
        let server = MockServer::start().await;
        let image: Vec<u8> = (0..4096u32).map(|i| (i % 251) as u8).collect();
        Mock::given(method("GET"))
            .and(path("/cdn/photo.jpg"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(image.clone(), "image/jpeg"))
            .mount(&server)
            .await;
        let connector = connector(&server);
        let url = format!("{}/cdn/photo.jpg?oh=SIGNED", server.uri());

        let bytes = connector.fetch_media(&url, 8192).await.expect("fetched");
        assert_eq!(bytes, image);
        let requests = server.received_requests().await.unwrap_or_default();
        assert!(
            requests
                .iter()
                .all(|r| !r.headers.contains_key("authorization")),
            "the token must not travel to the media host"
        );

        let error = connector.fetch_media(&url, 4095).await.unwrap_err();
        assert!(
            matches!(&error, PlatformError::Permanent { detail } if detail.contains("larger than 4095 bytes") && !detail.contains("SIGNED")),
            "{error}"
        );

        let missing = format!("{}/cdn/gone.jpg", server.uri());
        assert!(matches!(
            connector.fetch_media(&missing, 8192).await,
            Err(PlatformError::NotFound)
        ));
        assert!(matches!(
            connector.fetch_media("file:///etc/passwd", 8192).await,
            Err(PlatformError::Malformed { .. })
        ));
    }

    #[tokio::test]
    async fn a_slow_media_host_times_out_with_the_connector_timeout() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/cdn/slow.jpg"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(vec![1u8; 10], "image/jpeg")
                    .set_delay(Duration::from_secs(3)),
            )
            .mount(&server)
            .await;
        let connector = connector_with_timeout(&server, Duration::from_millis(200));
        let url = format!("{}/cdn/slow.jpg", server.uri());
        assert!(matches!(
            connector.fetch_media(&url, 8192).await,
            Err(PlatformError::Timeout(_))
        ));
    }

    #[tokio::test]
    async fn comment_without_id_gets_a_stable_synthetic_id_and_keeps_its_raw_bytes() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .respond_with(json(200, fixture!("comments_page.json")))
            .mount(&server)
            .await;

        let page = connector(&server)
            .list_comments(POST_ID, None, None)
            .await
            .expect("comments");

        let unidentified = &page.items[3];
        let raw = unidentified.raw.get();
        assert!(
            raw.contains(r#""message":   "Kommentar utan id""#),
            "raw must be the bytes as received, whitespace included: {raw}"
        );
        assert!(fixture!("comments_page.json").contains(raw));
        let digest = hex::encode(Sha256::digest(raw.as_bytes()));
        assert_eq!(
            unidentified.platform_id,
            format!("unidentified:{POST_ID}:{}", &digest[..16])
        );
        assert_eq!(unidentified.text, "Kommentar utan id");
    }

    #[tokio::test]
    async fn last_page_of_comments_is_fetched_with_after_cursor_and_no_since() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .and(query_param("after", "Y29tbWVudHNhZnRlcjE"))
            .and(query_param_is_missing("since"))
            .respond_with(json(200, fixture!("comments_last_page.json")))
            .expect(1)
            .mount(&server)
            .await;

        let token = PageToken("Y29tbWVudHNhZnRlcjE".to_string());
        let page = connector(&server)
            .list_comments(POST_ID, None, Some(&token))
            .await
            .expect("comments");

        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].platform_id, "104_9001_5010");
        assert_eq!(page.next, None);
    }

    #[tokio::test]
    async fn pages_buc_limit_80001_is_rate_limited_with_the_longest_buc_wait() {
        let buc = r#"{"104":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":15,"estimated_time_to_regain_access":7},{"type":"pages","call_count":98,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":12}]}"#;
        let error = list_posts_error(
            json(400, fixture!("error_80001_pages_buc.json"))
                .insert_header("X-Business-Use-Case-Usage", buc),
        )
        .await;

        match error {
            PlatformError::RateLimited { retry_after, usage } => {
                assert_eq!(retry_after, Some(Duration::from_secs(12 * 60)));
                assert!(usage.contains("X-Business-Use-Case-Usage"));
                assert!(usage.contains(r#""estimated_time_to_regain_access":12"#));
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn page_limit_32_on_429_honours_retry_after_and_reports_app_usage() {
        let error = list_posts_error(
            json(429, fixture!("error_32_page_rate.json"))
                .insert_header(
                    "X-App-Usage",
                    r#"{"call_count":100,"total_time":40,"total_cputime":35}"#,
                )
                .insert_header("Retry-After", "120"),
        )
        .await;

        match error {
            PlatformError::RateLimited { retry_after, usage } => {
                assert_eq!(retry_after, Some(Duration::from_secs(120)));
                assert!(usage.contains(r#"X-App-Usage: {"call_count":100"#));
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn app_limit_4_takes_the_longer_of_buc_estimate_and_retry_after() {
        let buc =
            r#"{"104":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}]}"#;
        let error = list_posts_error(
            json(400, fixture!("error_4_app_rate.json"))
                .insert_header("X-Business-Use-Case-Usage", buc)
                .insert_header("X-App-Usage", r#"{"call_count":96}"#)
                .insert_header("Retry-After", "30"),
        )
        .await;

        match error {
            PlatformError::RateLimited { retry_after, usage } => {
                assert_eq!(retry_after, Some(Duration::from_secs(180)));
                assert!(usage.contains("X-Business-Use-Case-Usage"));
                assert!(usage.contains("X-App-Usage"));
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn server_error_with_graph_body_is_transient() {
        let error = list_posts_error(json(500, fixture!("error_2_service_unavailable.json"))).await;
        assert!(
            matches!(&error, PlatformError::Transient { detail } if detail.contains("AbCdEf2")),
            "got {error:?}"
        );
        assert!(error.is_retryable());
    }

    #[tokio::test]
    async fn server_error_without_json_is_transient() {
        let error = list_posts_error(
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
        let error = connector_with_timeout(&server, timeout)
            .list_posts(None)
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
        )
        .expect("valid settings");

        let error = page.list_posts(None).await.expect_err("nobody listens");

        assert!(
            matches!(error, PlatformError::Transient { .. }),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn expired_token_190_is_unauthorized_with_message_and_trace_id() {
        let error = list_posts_error(json(400, fixture!("error_190_expired_token.json"))).await;

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
        let error = list_posts_error(json(403, fixture!("error_200_permission.json"))).await;
        assert!(
            matches!(&error, PlatformError::Permanent { detail } if detail.contains("pages_manage_engagement")),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn non_json_answer_on_200_is_malformed() {
        let error = list_posts_error(
            ResponseTemplate::new(200).set_body_string("<html>Log in to Facebook</html>"),
        )
        .await;
        assert!(
            matches!(&error, PlatformError::Malformed { detail } if detail.contains("feed listing")),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn comment_with_unparseable_time_is_malformed() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(comments_path()))
            .respond_with(json(
                200,
                r#"{"data":[{"id":"104_9001_1","message":"x","created_time":"yesterday"}]}"#,
            ))
            .mount(&server)
            .await;

        let error = connector(&server)
            .list_comments(POST_ID, None, None)
            .await
            .expect_err("bad time");

        assert!(
            matches!(&error, PlatformError::Malformed { detail } if detail.contains("created_time")),
            "got {error:?}"
        );
    }

    #[tokio::test]
    async fn next_without_after_cursor_is_malformed_rather_than_silently_last() {
        let error = list_posts_error(json(
            200,
            r#"{"data":[],"paging":{"next":"https://graph.facebook.com/v24.0/104/feed?until=1"}}"#,
        ))
        .await;
        assert!(
            matches!(&error, PlatformError::Malformed { detail } if detail.contains("cursors.after")),
            "got {error:?}"
        );
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
            list_posts_error(json(400, &echoed)).await,
            list_posts_error(json(500, &echoed_transient)).await,
            list_posts_error(json(400, fixture!("error_190_expired_token.json"))).await,
            list_posts_error(json(400, fixture!("error_80001_pages_buc.json"))).await,
            list_posts_error(json(403, fixture!("error_200_permission.json"))).await,
            list_posts_error(ResponseTemplate::new(502)).await,
            list_posts_error(ResponseTemplate::new(200).set_body_string("not json")).await,
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
            );
            assert!(
                matches!(result, Err(PlatformError::Permanent { .. })),
                "{base} must be refused"
            );
        }
    }
}
