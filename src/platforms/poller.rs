//! The shared poller: pages through one account's posts and comments,
//! retries passing faults with capped backoff, and stores every comment
//! version before anything else happens to it. Cursors move forward only
//! after a page has been stored, so a crash or a failed call at any point
//! loses nothing: the next run starts where the stored data ends.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::{debug, warn};

use super::{Page, PageToken, Platform, PlatformError};
use crate::clock::Clock;
use crate::model::FetchedPost;
use crate::store::{NewVersion, Store, StoreError};

/// A safety bound on listing pages per post, against a server that never
/// stops paging.
const MAX_PAGES: usize = 200;

/// How an account is polled.
#[derive(Debug, Clone)]
pub struct PollSettings {
    /// Retries of a transient failure within one run.
    pub max_retries: u32,
    /// First backoff delay; doubled per retry.
    pub backoff_base: Duration,
    /// Longest backoff delay.
    pub backoff_cap: Duration,
    /// Posts older than this are not listed for new comments.
    pub post_lookback: Duration,
}

/// What polling one account produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollStats {
    /// Posts looked at.
    pub posts_seen: usize,
    /// New comment versions stored.
    pub comments_new: usize,
}

/// Why polling an account stopped early. What was stored before is kept.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    /// The platform failed (after retries, where retrying makes sense).
    #[error(transparent)]
    Platform(#[from] PlatformError),
    /// The store failed; nothing after the failure was fetched.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One account to poll.
pub struct AccountPoll<'a> {
    /// The account's connector.
    pub platform: &'a dyn Platform,
    /// Where comments are stored.
    pub store: &'a Store,
    /// The account's row id.
    pub account_id: i64,
    /// The account's own platform id: its replies are stored but not moderated.
    pub own_author_id: &'a str,
    /// The monitoring run.
    pub run_id: Option<i64>,
    /// The clock (fetch times, lookback).
    pub clock: &'a dyn Clock,
    /// Settings.
    pub settings: &'a PollSettings,
}

impl AccountPoll<'_> {
    /// Fetches and stores everything new on the account.
    pub async fn run(&self) -> Result<PollStats, PollError> {
        let mut stats = PollStats::default();
        for post in self.recent_posts().await? {
            stats.posts_seen += 1;
            self.store
                .upsert_post(self.account_id, &post, self.clock.now())
                .await?;
            stats.comments_new += self.poll_post(&post.platform_id).await?;
        }
        Ok(stats)
    }

    /// Lists posts newest first until they are older than the lookback.
    async fn recent_posts(&self) -> Result<Vec<FetchedPost>, PollError> {
        let oldest = self.clock.now()
            - chrono::Duration::from_std(self.settings.post_lookback)
                .unwrap_or(chrono::Duration::days(30));
        let mut posts = Vec::new();
        let mut token: Option<PageToken> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .with_retries("list posts", || self.platform.list_posts(token.as_ref()))
                .await?;
            let reached_old = page.items.iter().any(|p| p.created_at < oldest);
            posts.extend(page.items.into_iter().filter(|p| p.created_at >= oldest));
            match page.next {
                Some(next) if !reached_old => token = Some(next),
                _ => break,
            }
        }
        Ok(posts)
    }

    /// Stores every comment on a post newer than its cursor; returns how
    /// many new versions were stored.
    async fn poll_post(&self, post_id: &str) -> Result<usize, PollError> {
        let since = self.store.comment_cursor(self.account_id, post_id).await?;
        let mut token: Option<PageToken> = None;
        let mut added = 0;
        for _ in 0..MAX_PAGES {
            let page: Page<_> = self
                .with_retries("list comments", || {
                    self.platform.list_comments(post_id, since, token.as_ref())
                })
                .await?;
            let mut newest: Option<DateTime<Utc>> = None;
            for comment in &page.items {
                let own = comment.author_id.as_deref() == Some(self.own_author_id);
                let version = self
                    .store
                    .insert_comment_version(
                        self.account_id,
                        comment,
                        own,
                        self.run_id,
                        self.clock.now(),
                    )
                    .await?;
                if let NewVersion::Added(id) = version {
                    debug!(comment_row = id, comment_id = %comment.platform_id, "Stored new comment version");
                    added += 1;
                }
                newest = newest.max(Some(comment.created_at));
            }
            if let Some(newest) = newest {
                self.store
                    .advance_comment_cursor(self.account_id, post_id, newest)
                    .await?;
            }
            match page.next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        Ok(added)
    }

    /// Calls the platform, retrying transient failures with capped
    /// exponential backoff. Other failures are returned at once.
    async fn with_retries<T, F, Fut>(&self, what: &str, mut call: F) -> Result<T, PlatformError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, PlatformError>>,
    {
        let mut delay = self.settings.backoff_base;
        let mut attempt = 0;
        loop {
            match call().await {
                Err(e) if e.is_retryable() && attempt < self.settings.max_retries => {
                    attempt += 1;
                    warn!(what, attempt, error = %e, "Platform call failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(self.settings.backoff_cap);
                }
                other => return other,
            }
        }
    }
}
