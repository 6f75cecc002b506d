//! Platform connectors behind one trait. This module speaks the wire only.
//!
//! A connector is thin: its configuration, private serde structs that mirror
//! the platform's documented JSON, and the trait impl. It names the calls a
//! run makes ([`Fetch`]) and makes one at a time, returning what each
//! brought ([`Harvest`]); the pipeline's collect stage
//! (`src/pipeline/collect.rs`) executes them, stores what they brought,
//! saves the opaque [`Cursor`]s afterwards, retries, detects repeating
//! listings and bounds the calls per account.
//!
//! Platforms differ in what moderation they allow, so the trait reports
//! [`Capabilities`] and the decision step picks the strongest allowed action.

pub mod budget;
pub mod facebook;
pub(crate) mod graph;
pub mod instagram;
pub mod linkedin;
pub mod media;
pub mod simulator;
#[cfg(test)]
mod test_support;
pub mod token;
pub(crate) mod transport;
pub mod x;
pub mod youtube;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::archive::ArchiveReceipt;
use crate::clock::Clock;
use crate::config::AccountConfig;
use crate::domain::{
    AccountProfile, Capabilities, FetchedComment, FetchedPost, HiddenItem, ModerationAction,
    ModerationState, PlatformKind,
};

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

/// How a platform call failed, sorted by what the caller should do next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PlatformError {
    /// The access token is invalid or expired: a person must renew it.
    #[error("the access token was rejected ({detail}); a person must renew it")]
    Unauthorized {
        /// The platform's message and trace id, without the token.
        detail: String,
    },
    /// The platform asks us to slow down; stop calling for `scope` until
    /// `retry_after`.
    #[error("rate limited by the platform (retry after {retry_after:?}; usage: {usage})")]
    RateLimited {
        /// How long the platform asks us to wait, when it says.
        retry_after: Option<Duration>,
        /// The usage headers as the platform reported them, for operators.
        usage: String,
        /// Whom the limit stops: this account, or every account the app
        /// (or the Google project) serves, as the platform's error says.
        scope: budget::UsageScope,
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

    /// Reads the account's own profile (about texts, website, contact
    /// fields) with one call, so the daily checks can see whether it shows
    /// the basic information the policy asks for. Items the platform's API
    /// does not expose are named in [`AccountProfile::hidden`]. Errors map
    /// as the connector's other calls do.
    async fn profile(&self) -> Result<AccountProfile, PlatformError>;

    /// Where the images or videos attached to `comment` can be fetched, read
    /// from its raw JSON, so they can be checked against the configured
    /// media hash list. Platforms whose comments carry no media have none.
    fn attachment_urls(&self, _comment: &FetchedComment) -> Vec<String> {
        Vec::new()
    }

    /// What is known about the OAuth grant the connector renews its access
    /// token with (when its refresh token expires, whether it was
    /// revoked), so the pipeline can warn operations days ahead; `None`
    /// for a connector with a static token.
    fn grant(&self) -> Option<token::GrantStatus> {
        None
    }

    /// When the connector's static access token stops working, where the
    /// platform states it (Graph's `debug_token` for Facebook and
    /// Instagram Page tokens), so the daily checks can warn before the
    /// account goes unwatched; `None` when no end is stated or the
    /// connector renews its token itself ([`Platform::grant`]).
    async fn token_end(&self) -> Result<Option<DateTime<Utc>>, PlatformError> {
        Ok(None)
    }

    /// What the platform counts against the limits the pipeline plans a
    /// run with (YouTube's units, X's hide calls); nothing by default.
    fn costs(&self) -> budget::Costs {
        budget::Costs::UNCOUNTED
    }

    /// What this connector has spent and read of its platform's limits, for
    /// the pipeline to plan with and to keep across restarts.
    fn usage(&self) -> budget::Usage {
        budget::Usage::default()
    }

    /// Takes back what an earlier process spent (read from the store after
    /// a restart), so the connector's own guards count it too.
    fn restore_usage(&self, _usage: &budget::Usage) {}
}

/// The items of basic information `platform`'s API keeps out of the
/// service's reach on every profile, with why: what the half-year report
/// says cannot be checked there (a Facebook Page exposes every item).
pub fn hidden_profile_items(platform: PlatformKind) -> &'static [HiddenItem] {
    match platform {
        PlatformKind::Facebook => &[],
        PlatformKind::Instagram => instagram::HIDDEN_ITEMS,
        PlatformKind::Youtube => youtube::HIDDEN_ITEMS,
        PlatformKind::Linkedin => linkedin::HIDDEN_ITEMS,
        PlatformKind::X => x::HIDDEN_ITEMS,
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

/// Builds one account's connector from its configuration.
type ConnectorBuilder = fn(
    &AccountConfig,
    reqwest::Client,
    Duration,
    Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError>;

/// The connector builder for a platform: the one place a new connector is
/// registered. The match names every [`PlatformKind`], so a platform the
/// configuration accepts without a connector does not compile (rather than
/// passing `check-config` and failing every run).
fn connector_for(kind: PlatformKind) -> ConnectorBuilder {
    match kind {
        PlatformKind::Facebook => connect_facebook,
        PlatformKind::Instagram => connect_instagram,
        PlatformKind::X => connect_x,
        PlatformKind::Youtube => connect_youtube,
        PlatformKind::Linkedin => connect_linkedin,
    }
}

/// Builds the connector for one configured account. `clock` is the
/// service's: rate windows (YouTube's Pacific day, X's 15 minutes) are
/// counted on the same time the pipeline plans with.
pub fn connect(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError> {
    connector_for(account.platform)(account, client, request_timeout, clock)
}

/// The account's token, empty when none is configured (the platform then
/// refuses the calls, and the account's outcome says so).
fn account_token(account: &AccountConfig) -> SecretString {
    account
        .token
        .clone()
        .unwrap_or_else(|| SecretString::from(String::new()))
}

fn connect_facebook(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError> {
    let settings = facebook::FacebookSettings {
        api_base_url: account.api_base_url.clone(),
        api_version: account.api_version.clone(),
        page_id: account.platform_id.clone(),
        token: account_token(account),
        request_timeout,
    };
    Ok(Arc::new(facebook::FacebookPage::new(
        settings, client, clock,
    )?))
}

/// Instagram is read with the Page token of the Page the professional
/// account is linked to; `platform_id` is the Instagram user id.
fn connect_instagram(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError> {
    let settings = instagram::InstagramSettings {
        api_base_url: account.api_base_url.clone(),
        api_version: account.api_version.clone(),
        ig_user_id: account.platform_id.clone(),
        token: account_token(account),
        request_timeout,
    };
    Ok(Arc::new(instagram::InstagramAccount::new(
        settings, client, clock,
    )?))
}

/// X needs only the account's numeric user id (`platform_id`): the mentions
/// timeline is addressed by it, and permalinks come from the authors X
/// expands. Hide calls spent before a restart are handed back by the
/// pipeline through [`Platform::restore_usage`].
fn connect_x(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError> {
    let settings = x::XSettings {
        api_base_url: account.api_base_url.clone(),
        api_version: account.api_version.clone(),
        user_id: account.platform_id.clone(),
        token: account_token(account),
        request_timeout,
        hide_calls_spent: Vec::new(),
        clock,
    };
    Ok(Arc::new(x::XAccount::new(settings, client)?))
}

fn connect_youtube(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError> {
    Ok(Arc::new(youtube::YoutubeChannel::from_account(
        account,
        client,
        request_timeout,
        clock,
    )?))
}

fn connect_linkedin(
    account: &AccountConfig,
    client: reqwest::Client,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Platform>, PlatformError> {
    Ok(Arc::new(linkedin::LinkedinPage::from_account(
        account,
        client,
        request_timeout,
        clock,
    )?))
}
