//! TEMPORARY: the crawl-step interface exactly as helper H1 lands it in
//! `platforms/mod.rs` (spec-platform.md). Deleted when that lands on main;
//! the YouTube and LinkedIn connectors then import the same names from
//! `crate::platforms`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::archive::ArchiveReceipt;
use crate::decide::ModerationAction;
use crate::model::{FetchedComment, FetchedPost, PlatformKind};
use crate::platforms::{Capabilities, ModerationState, PlatformError};

/// Where one listing stands between runs. Chosen, written and read only by
/// the connector (a Graph `since` time, X `since_id`, YouTube's newest
/// comment id seen, LinkedIn `start`); the store keeps it per account and
/// listing as an opaque string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor(pub String);

/// The stored cursors of one account, by listing key.
pub type Cursors = BTreeMap<String, Cursor>;

/// One call the collect stage makes, named by the connector.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fetch {
    /// The listing the call belongs to ("feed", "post:{id}", "channel",
    /// "conversation:{id}", "mentions" …). Cursors are stored per listing.
    pub listing: String,
    /// Where in the listing the call starts: a page token, `next` URL,
    /// `start` offset …; `None` for the listing's first page.
    pub page: Option<String>,
}

impl Fetch {
    /// The first page of a listing.
    pub fn first(listing: impl Into<String>) -> Self {
        Self {
            listing: listing.into(),
            page: None,
        }
    }

    /// A later page of a listing.
    pub fn page(listing: impl Into<String>, page: impl Into<String>) -> Self {
        Self {
            listing: listing.into(),
            page: Some(page.into()),
        }
    }
}

/// An item the connector could not read. Its raw bytes go to quarantine
/// and operations are told; the rest of the page is kept.
#[derive(Debug, Clone)]
pub struct RejectedItem {
    /// The listing the item came in.
    pub listing: String,
    /// The item exactly as the platform sent it.
    pub raw: Vec<u8>,
    /// Why it could not be read (never the token).
    pub reason: String,
}

/// What one call brought.
#[derive(Debug, Default)]
pub struct Harvest {
    /// Posts listed by the call.
    pub posts: Vec<FetchedPost>,
    /// Comments (and replies) listed by the call.
    pub comments: Vec<FetchedComment>,
    /// Items that could not be read.
    pub rejected: Vec<RejectedItem>,
    /// New cursors, stored only after this harvest's items are stored.
    pub cursors: Vec<(String, Cursor)>,
    /// Calls this one revealed: the listing's next page, a post whose
    /// nested comments did not fit, a conversation to search …
    pub more: Vec<Fetch>,
}

/// One account's connection to its platform. An instance holds the account's
/// id and token, so the methods need no account argument.
///
/// Hide and delete take an [`ArchiveReceipt`]: code that has not archived the
/// exact comment version cannot ask a platform to remove it.
#[async_trait]
pub trait Platform: Send + Sync {
    /// Which platform this connector speaks.
    fn kind(&self) -> PlatformKind;

    /// What the platform lets the account do with THIS comment (X: hide
    /// only replies in conversations the account started; YouTube: hold for
    /// review or reject, never delete; LinkedIn: delete, never hide).
    fn capabilities(&self, comment: &FetchedComment) -> Capabilities;

    /// The platform's own name for an action, recorded with the outcome
    /// ("hide" → Graph `is_hidden=true`, YouTube `setModerationStatus
    /// heldForReview`; "delete" → YouTube `rejected`, LinkedIn `DELETE`).
    fn verb(&self, action: ModerationAction) -> &'static str;

    /// The calls a run starts with, from the stored cursors; `since` is the
    /// look-back bound for listings with no cursor yet.
    fn first_fetches(&self, cursors: &Cursors, since: DateTime<Utc>) -> Vec<Fetch>;

    /// Makes one call: one HTTP request (or one batch request) plus
    /// parsing. It never loops over pages itself; the collect stage does.
    async fn fetch(&self, fetch: &Fetch, cursors: &Cursors) -> Result<Harvest, PlatformError>;

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
