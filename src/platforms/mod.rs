//! Platform connectors behind one trait, and the shared poller that pages
//! through them.
//!
//! A connector is thin: its configuration, private serde structs that mirror
//! the platform's documented JSON, and the trait impl. Retries, backoff,
//! rate limits and cursor saving live once, in [`poller`].
//!
//! Platforms differ in what moderation they allow, so the trait reports
//! [`Capabilities`] and the decision step picks the strongest allowed action.

pub mod facebook;
mod http;
pub mod linkedin;
pub mod poller;
pub mod preview;
pub mod simulator;
#[cfg(test)]
mod test_support;
pub mod token;
pub mod youtube;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::archive::ArchiveReceipt;
use crate::model::{FetchedComment, FetchedPost};

/// What an account's platform lets the service do with someone else's
/// comment. Where the policy asks for removal and the platform cannot delete,
/// the strongest action there is is used and recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The comment can be hidden from everyone but its author and friends.
    pub hide: bool,
    /// The comment can be deleted.
    pub delete: bool,
    /// Comments carry a public permalink.
    pub permalink: bool,
}

impl Capabilities {
    /// No moderation at all (an account without a working connector): every
    /// removal the policy asks for goes to a person instead.
    pub const NONE: Capabilities = Capabilities {
        hide: false,
        delete: false,
        permalink: false,
    };
}

/// Where a comment stands on the platform, read back when the outcome of an
/// action is not known: after a crash between the call and its record, or
/// when the platform's reply to a call that may have worked was malformed.
/// Asking first is what keeps an action from being carried out twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationState {
    /// The public can see it.
    Visible,
    /// Hidden from the public (or held for review, where that is the
    /// platform's hide).
    Hidden,
    /// It no longer exists on the platform (deleted, rejected).
    Removed,
    /// The platform cannot tell; the record says so.
    Unknown,
}

/// An opaque continuation token for the next page of a listing (a cursor or
/// a full `next` URL, depending on the platform).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageToken(pub String);

/// One page of a listing and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items on this page, in the platform's order.
    pub items: Vec<T>,
    /// Token for the next page; `None` on the last page.
    pub next: Option<PageToken>,
}

/// How a platform call failed, sorted by what the caller should do next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PlatformError {
    /// The access token is invalid or expired: a person must renew it.
    #[error("the access token was rejected ({detail}); a person must renew it")]
    Unauthorized {
        /// The platform's message and trace id, without the token.
        detail: String,
    },
    /// The platform asks us to slow down; stop this account until `retry_after`.
    #[error("rate limited by the platform (retry after {retry_after:?}; usage: {usage})")]
    RateLimited {
        /// How long the platform asks us to wait, when it says.
        retry_after: Option<Duration>,
        /// The usage headers as the platform reported them, for operators.
        usage: String,
    },
    /// A passing fault (5xx, connection reset, platform error codes 1 and 2): retry.
    #[error("transient platform error: {detail}")]
    Transient {
        /// What went wrong.
        detail: String,
    },
    /// The request did not complete in time: retry.
    #[error("the platform did not answer within {0:?}")]
    Timeout(Duration),
    /// The platform answered with something that is not its documented format.
    #[error("malformed platform response: {detail}")]
    Malformed {
        /// The parse error and where it happened (never the token).
        detail: String,
    },
    /// The request can never succeed as made (missing permission, unknown
    /// object): give up on this item and record it.
    #[error("platform refused the request: {detail}")]
    Permanent {
        /// The platform's message.
        detail: String,
    },
    /// The object no longer exists on the platform (already deleted).
    #[error("the object no longer exists on the platform")]
    NotFound,
    /// The platform does not offer this action at all.
    #[error("the platform does not support {action}")]
    Unsupported {
        /// The action that was asked for.
        action: &'static str,
    },
}

impl PlatformError {
    /// Whether the same call may succeed if made again shortly.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            PlatformError::Transient { .. } | PlatformError::Timeout(_)
        )
    }

    /// Short machine-readable name stored in poll outcomes and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            PlatformError::Unauthorized { .. } => "unauthorized",
            PlatformError::RateLimited { .. } => "rate_limited",
            PlatformError::Transient { .. } => "transient",
            PlatformError::Timeout(_) => "timeout",
            PlatformError::Malformed { .. } => "malformed",
            PlatformError::Permanent { .. } => "permanent",
            PlatformError::NotFound => "not_found",
            PlatformError::Unsupported { .. } => "unsupported",
        }
    }
}

/// One account's connection to its platform. An instance holds the account's
/// id and token, so the methods need no account argument.
///
/// Hide and delete take an [`ArchiveReceipt`]: code that has not archived the
/// exact comment version cannot ask a platform to remove it.
#[async_trait]
pub trait Platform: Send + Sync {
    /// What moderation this platform allows for this account.
    fn capabilities(&self) -> Capabilities;

    /// Lists the account's posts, newest first, one page at a time.
    async fn list_posts(
        &self,
        page: Option<&PageToken>,
    ) -> Result<Page<FetchedPost>, PlatformError>;

    /// Lists comments (and replies) on a post written after `since`, oldest
    /// first, one page at a time.
    async fn list_comments(
        &self,
        post_id: &str,
        since: Option<DateTime<Utc>>,
        page: Option<&PageToken>,
    ) -> Result<Page<FetchedComment>, PlatformError>;

    /// Hides the archived comment from the public.
    async fn hide(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError>;

    /// Makes a hidden comment visible again (a moderator overruled the service).
    async fn unhide(&self, platform_comment_id: &str) -> Result<(), PlatformError>;

    /// Deletes the archived comment.
    async fn delete(&self, receipt: &ArchiveReceipt) -> Result<(), PlatformError>;

    /// Reads whether a comment is public, hidden or gone. A platform that
    /// cannot tell answers [`ModerationState::Unknown`], and the action's
    /// record says the outcome could not be verified.
    async fn moderation_state(
        &self,
        _platform_comment_id: &str,
    ) -> Result<ModerationState, PlatformError> {
        Ok(ModerationState::Unknown)
    }

    /// Where the images or videos attached to `comment` can be fetched, read
    /// from its raw JSON, so they can be checked against the configured
    /// media hash list. Platforms whose comments carry no media have none.
    fn attachment_urls(&self, _comment: &FetchedComment) -> Vec<String> {
        Vec::new()
    }

    /// Fetches one attachment's bytes, into memory only, with the
    /// connector's timeouts; more than `max_bytes` is an error rather than
    /// an unbounded download. The caller hashes the bytes and drops them.
    async fn fetch_media(&self, _url: &str, _max_bytes: usize) -> Result<Vec<u8>, PlatformError> {
        Err(PlatformError::Unsupported {
            action: "fetching attachments",
        })
    }
}

/// The HTTP client shared by all connectors (connection pooling, rustls).
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("kommentarsvakt/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Builds the connector for one configured account.
pub fn connect(
    account: &crate::config::AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
) -> Result<std::sync::Arc<dyn Platform>, PlatformError> {
    use crate::model::PlatformKind;
    use secrecy::SecretString;
    match account.platform {
        PlatformKind::Facebook => {
            let settings = facebook::FacebookSettings {
                api_base_url: account.api_base_url.clone(),
                api_version: account.api_version.clone(),
                page_id: account.platform_id.clone(),
                token: account
                    .token
                    .clone()
                    .unwrap_or_else(|| SecretString::from(String::new())),
                request_timeout,
            };
            Ok(std::sync::Arc::new(facebook::FacebookPage::new(
                settings, client,
            )?))
        }
        other => Err(PlatformError::Permanent {
            detail: format!("no connector for {other} in this version; the account is not polled"),
        }),
    }
}
