//! One account's crawl, the loop of the collect stage: it executes the
//! calls a connector names ([`Fetch`]), stores every post and comment
//! version a call brought, quarantines what the connector could not read,
//! and only then saves the call's cursors. So a crash or a failed call at
//! any point loses nothing: the next run starts where the stored data ends.
//!
//! A queued call depends only on harvests already stored (it was named by
//! one, or by the stored cursors), so the queued calls are independent of
//! each other: up to [`CrawlSettings::calls_per_account`] of them are in
//! flight at once, each holding one of the run's call permits only while
//! it talks to the platform. Harvests are stored one at a time as they come
//! back; when a call fails, the calls already in flight are still stored.
//!
//! The rules here hold for every platform, so connectors need not repeat
//! them: passing faults are retried with capped backoff (a short
//! `retry_after` is waited out); a listing whose call or items repeat
//! within the run is stopped and reported; a failed call keeps what earlier
//! calls stored, and counts it; the calls per account and run are bounded;
//! every call is first admitted by the rate budgets ([`CallGate`]), new
//! comments (listings with a cursor) queued before backfill, so a budget
//! that runs short leaves the backfill for a later run.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::{debug, warn};

pub use super::budget::Priority;
use crate::clock::Clock;
use crate::platforms::{Cursor, Cursors, Fetch, Harvest, Platform, PlatformError};
use crate::store::{CallHarvest, NewVersion, QuarantineItem, Store, StoreError};

/// How an account is crawled.
#[derive(Debug, Clone)]
pub struct CrawlSettings {
    /// Retries of a transient failure of one call.
    pub max_retries: u32,
    /// First backoff delay; doubled per retry.
    pub backoff_base: Duration,
    /// Longest backoff delay, and the longest `retry_after` waited out
    /// within a run (a longer one ends the account's crawl for this run).
    pub backoff_cap: Duration,
    /// Posts older than this are not listed for new comments.
    pub post_lookback: Duration,
    /// Calls per account and run, against a platform that never stops
    /// paging; what is left is caught up next run.
    pub max_calls: usize,
    /// Calls of one account in flight at once: calls that do not depend on
    /// each other (a LinkedIn page's comment listings, one per post) are
    /// made together. Each still waits for one of the run's call permits.
    pub calls_per_account: usize,
}

/// An item met in quarantine for the first time, for operations' notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    /// The listing it came in.
    pub listing: String,
    /// The platform's id of the item, when its raw JSON names one.
    pub item_id: Option<String>,
    /// Why the connector could not read it.
    pub reason: String,
}

/// What one account's crawl did, also when it ended early.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrawlStats {
    /// Calls made (retries not counted).
    pub calls: usize,
    /// Posts listed.
    pub posts_seen: usize,
    /// New comment versions stored.
    pub comments_new: usize,
    /// Versions whose only change is the platform's moderation state.
    pub state_changes: usize,
    /// Items put into quarantine for the first time.
    pub quarantined: Vec<Quarantined>,
    /// Listings stopped because a call or its items repeated.
    pub repeating: BTreeSet<String>,
    /// Calls left undone because the bound was reached or a rate budget
    /// did not allow them.
    pub deferred: usize,
    /// Why a rate budget stopped the crawl, when one did.
    pub budget_stop: Option<String>,
}

/// Why a crawl stopped before its calls were done. What was stored
/// before is kept and counted in [`CrawlStats`].
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// A call failed (after retries, where retrying makes sense).
    #[error("{error} (listing {listing})")]
    Platform {
        /// The listing of the failed call.
        listing: String,
        /// The platform's error.
        error: PlatformError,
    },
    /// The store failed; nothing after the failure was fetched.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One account to crawl.
pub struct AccountCrawl<'a> {
    /// The account's connector.
    pub platform: Arc<dyn Platform>,
    /// The run's call permits (`polling.concurrency`), shared by every
    /// account: one is held for the duration of each HTTP call.
    pub permits: Arc<Semaphore>,
    /// Where items and cursors are stored.
    pub store: &'a Store,
    /// The account's row id.
    pub account_id: i64,
    /// The account's own platform id: its replies are stored but not moderated.
    pub own_author_id: &'a str,
    /// The monitoring run.
    pub run_id: Option<i64>,
    /// The clock (fetch times, look-back).
    pub clock: &'a dyn Clock,
    /// Settings.
    pub settings: Arc<CrawlSettings>,
    /// Asked before every call whether the rate budgets allow it.
    pub gate: &'a dyn CallGate,
}

/// Whether a rate budget allows one more call of the account, for work of
/// the given priority; `Err` says why not.
pub trait CallGate: Sync {
    /// Asked before each call.
    fn admit(&self, priority: Priority) -> Result<(), String>;
}

/// The calls of one crawl still to make, and what the crawl has met, to
/// recognise a listing that goes round in circles.
#[derive(Default)]
struct Frontier {
    /// Calls to make, new comments before backfill.
    queue: VecDeque<(Priority, Fetch)>,
    made: HashSet<Fetch>,
    items: HashSet<(String, String)>,
}

impl Frontier {
    /// The next call to make; a call already made in this run stops its
    /// listing instead.
    fn next(&mut self, stats: &mut CrawlStats) -> Option<(Priority, Fetch)> {
        while let Some((priority, fetch)) = self.queue.pop_front() {
            if stats.repeating.contains(&fetch.listing) {
                continue;
            }
            if self.made.insert(fetch.clone()) {
                return Some((priority, fetch));
            }
            warn!(listing = %fetch.listing, "A listing named a call already made in this run; it is stopped");
            stats.repeating.insert(fetch.listing);
        }
        None
    }

    /// Queues calls of `priority` behind the calls of the same or a higher
    /// priority, so new comments are always listed before backfill.
    fn push(&mut self, priority: Priority, fetches: impl IntoIterator<Item = Fetch>) {
        for fetch in fetches {
            let at = self
                .queue
                .iter()
                .position(|(queued, _)| *queued > priority)
                .unwrap_or(self.queue.len());
            self.queue.insert(at, (priority, fetch));
        }
    }

    /// Puts back a call that could not be made yet, first in line, so it
    /// is counted among the deferred.
    fn push_front(&mut self, priority: Priority, fetch: Fetch) {
        self.made.remove(&fetch);
        self.queue.push_front((priority, fetch));
    }

    /// Whether every item of a harvest was already met in this run, in the
    /// same listing (a cursor that does not move brings the same page).
    fn all_seen_before(&mut self, listing: &str, harvest: &Harvest) -> bool {
        let keys: Vec<(String, String)> = item_keys(harvest)
            .map(|key| (listing.to_string(), key))
            .collect();
        let repeated = !keys.is_empty() && keys.iter().all(|key| self.items.contains(key));
        self.items.extend(keys);
        repeated
    }
}

/// What makes an item the same item: posts by id, comments by id, text
/// and moderation state.
fn item_keys(harvest: &Harvest) -> impl Iterator<Item = String> + '_ {
    let posts = harvest
        .posts
        .iter()
        .map(|post| format!("post {}", post.platform_id));
    let comments = harvest.comments.iter().map(|comment| {
        format!(
            "comment {} {} {}",
            comment.platform_id,
            comment.content_hash(),
            comment.is_hidden
        )
    });
    posts.chain(comments)
}

impl AccountCrawl<'_> {
    /// Makes the account's calls until none is left. On a failure the
    /// stats of what was stored come back with the error.
    pub async fn run(&self) -> (CrawlStats, Result<(), CrawlError>) {
        let mut stats = CrawlStats::default();
        let result = self.crawl(&mut stats).await;
        (stats, result)
    }

    async fn crawl(&self, stats: &mut CrawlStats) -> Result<(), CrawlError> {
        let mut cursors: Cursors = self
            .store
            .listing_cursors(self.account_id)
            .await?
            .into_iter()
            .map(|(listing, cursor)| (listing, Cursor(cursor)))
            .collect();
        let since = self.clock.now()
            - chrono::Duration::from_std(self.settings.post_lookback)
                .unwrap_or(chrono::Duration::days(30));
        let mut frontier = Frontier::default();
        for fetch in self.platform.first_fetches(&cursors, since) {
            let priority = if cursors.contains_key(&fetch.listing) {
                Priority::New
            } else {
                Priority::Backfill
            };
            frontier.push(priority, [fetch]);
        }
        let mut in_flight: JoinSet<Answered> = JoinSet::new();
        let mut stop = None;
        let mut failure = None;
        loop {
            while failure.is_none()
                && stop.is_none()
                && in_flight.len() < self.settings.calls_per_account.max(1)
            {
                let Some((priority, fetch)) = frontier.next(stats) else {
                    break;
                };
                stop = self.refusal(priority, stats);
                if stop.is_some() {
                    frontier.push_front(priority, fetch);
                    break;
                }
                stats.calls += 1;
                in_flight.spawn(self.call(priority, fetch, cursors.clone()));
            }
            let Some(joined) = in_flight.join_next().await else {
                break;
            };
            let (priority, fetch, result) = match joined {
                Ok(answered) => answered,
                Err(error) => {
                    warn!(%error, "A platform call's task ended without an answer; what it would have brought is caught up next run");
                    continue;
                }
            };
            let harvest = match result {
                Ok(harvest) => harvest,
                Err(error) => {
                    failure.get_or_insert(CrawlError::Platform {
                        listing: fetch.listing,
                        error,
                    });
                    continue;
                }
            };
            if frontier.all_seen_before(&fetch.listing, &harvest) {
                warn!(listing = %fetch.listing, "A listing brought only items it already brought in this run; it is stopped");
                stats.repeating.insert(fetch.listing.clone());
                continue;
            }
            if let Err(error) = self
                .take_harvest(harvest, &mut cursors, &mut frontier, priority, stats)
                .await
            {
                failure.get_or_insert(error.into());
            }
            crate::telemetry::progressed();
        }
        if let Some(error) = failure {
            return Err(error);
        }
        if let Some(stop) = stop {
            stats.deferred = frontier.queue.len();
            match stop {
                Stop::Budget(reason) => {
                    warn!(calls = stats.calls, deferred = stats.deferred, %reason, "A rate budget stops the account's crawl; the rest waits for the next run");
                    stats.budget_stop = Some(reason);
                }
                Stop::Bound => warn!(
                    calls = stats.calls,
                    deferred = stats.deferred,
                    "The account reached its call bound for this run; the rest is caught up next run"
                ),
            }
        }
        Ok(())
    }

    /// Why the next call, serving `priority`, may not be made: a rate
    /// budget refuses it, or the account reached its call bound.
    fn refusal(&self, priority: Priority, stats: &CrawlStats) -> Option<Stop> {
        if let Err(reason) = self.gate.admit(priority) {
            return Some(Stop::Budget(reason));
        }
        (stats.calls >= self.settings.max_calls).then_some(Stop::Bound)
    }

    /// One call as a task of its own: it waits for one of the run's call
    /// permits before each attempt, so the account's calls and every other
    /// account's share the configured concurrency, and no permit is held
    /// while a harvest is stored or a backoff waited out.
    fn call(
        &self,
        priority: Priority,
        fetch: Fetch,
        cursors: Cursors,
    ) -> impl std::future::Future<Output = Answered> + Send + 'static {
        let platform = self.platform.clone();
        let permits = self.permits.clone();
        let settings = self.settings.clone();
        async move {
            let result = with_retries(&settings, &fetch.listing, || async {
                let _permit = permits.acquire().await.ok();
                platform.fetch(&fetch, &cursors).await
            })
            .await;
            (priority, fetch, result)
        }
    }

    /// Stores what one call brought, then its cursors, and queues the
    /// calls it revealed.
    async fn take_harvest(
        &self,
        harvest: Harvest,
        cursors: &mut Cursors,
        frontier: &mut Frontier,
        priority: Priority,
        stats: &mut CrawlStats,
    ) -> Result<(), StoreError> {
        // Quarantine first: once the cursors move, the call is not made again.
        self.quarantine_rejected(&harvest, stats).await?;
        self.store_items(&harvest, stats).await?;
        cursors.extend(harvest.cursors);
        frontier.push(priority, harvest.more);
        Ok(())
    }

    /// Stores a harvest's posts, comment versions and cursors, in one
    /// transaction.
    async fn store_items(
        &self,
        harvest: &Harvest,
        stats: &mut CrawlStats,
    ) -> Result<(), StoreError> {
        let versions = self
            .store
            .store_call_harvest(&CallHarvest {
                account_id: self.account_id,
                own_author_id: self.own_author_id,
                run_id: self.run_id,
                fetched_at: self.clock.now(),
                posts: &harvest.posts,
                comments: &harvest.comments,
                cursors: harvest
                    .cursors
                    .iter()
                    .map(|(listing, cursor)| (listing.as_str(), cursor.0.as_str()))
                    .collect(),
            })
            .await?;
        stats.posts_seen += harvest.posts.len();
        for (comment, version) in harvest.comments.iter().zip(versions) {
            match version {
                NewVersion::Added(id) => {
                    debug!(comment_row = id, comment_id = %comment.platform_id, "Stored new comment version");
                    stats.comments_new += 1;
                }
                NewVersion::StateChanged(id) => {
                    debug!(comment_row = id, comment_id = %comment.platform_id, hidden = comment.is_hidden, "Stored the comment's new moderation state");
                    stats.state_changes += 1;
                }
                NewVersion::AlreadyKnown => {}
            }
        }
        Ok(())
    }

    /// Quarantines what the connector could not read.
    async fn quarantine_rejected(
        &self,
        harvest: &Harvest,
        stats: &mut CrawlStats,
    ) -> Result<(), StoreError> {
        for item in &harvest.rejected {
            let fresh = self
                .store
                .quarantine(
                    &QuarantineItem {
                        account_id: self.account_id,
                        run_id: self.run_id,
                        listing: &item.listing,
                        reason: &item.reason,
                        raw: &item.raw,
                    },
                    self.clock.now(),
                )
                .await?;
            warn!(listing = %item.listing, reason = %item.reason, fresh, "An item the connector could not read was quarantined");
            if fresh {
                stats.quarantined.push(Quarantined {
                    listing: item.listing.clone(),
                    item_id: id_in_raw(&item.raw),
                    reason: item.reason.clone(),
                });
            }
        }
        Ok(())
    }
}

/// What one call task brings back: the call and its answer.
type Answered = (Priority, Fetch, Result<Harvest, PlatformError>);

/// Why an account's crawl stopped making calls before its work was done.
enum Stop {
    /// A rate budget did not allow the next call; why.
    Budget(String),
    /// The account reached its calls for this run.
    Bound,
}

/// Calls the platform, retrying transient failures with capped
/// exponential backoff and waiting out a `retry_after` no longer than the
/// cap. Other failures are returned at once.
async fn with_retries<T, F, Fut>(
    settings: &CrawlSettings,
    listing: &str,
    mut call: F,
) -> Result<T, PlatformError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, PlatformError>>,
{
    let mut delay = settings.backoff_base;
    let mut attempt = 0;
    loop {
        let wait = match call().await {
            Err(e) if attempt < settings.max_retries => match &e {
                _ if e.is_retryable() => delay,
                PlatformError::RateLimited {
                    retry_after: Some(wait),
                    ..
                } if *wait <= settings.backoff_cap => *wait,
                _ => return Err(e),
            },
            other => return other,
        };
        attempt += 1;
        // An answer came, if a failing one: the service is not hung.
        crate::telemetry::progressed();
        warn!(listing, attempt, ?wait, "Platform call failed; retrying");
        tokio::time::sleep(wait).await;
        delay = (delay * 2).min(settings.backoff_cap);
    }
}

/// The `id` a rejected item's raw JSON names, if it is an object with one:
/// ids are not personal data, and operations need them to look the item up.
fn id_in_raw(raw: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct WithId {
        id: serde_json::Value,
    }
    match serde_json::from_slice::<WithId>(raw).ok()?.id {
        serde_json::Value::String(id) if !id.is_empty() => Some(id),
        serde_json::Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}
