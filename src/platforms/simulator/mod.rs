//! A loopback HTTP server that speaks the Facebook Graph API wire format for
//! a configurable number of pages, so the real Facebook connector can be
//! pointed at it in the demo and in integration tests.
//!
//! It runs on an injected [`Clock`]: a post or comment exists only once
//! `clock.now()` has reached its creation time, so tests and the demo move
//! through days of comments in milliseconds with a
//! [`ManualClock`](crate::clock::ManualClock).
//!
//! - this file: the public API ([`Simulator::start`], [`SimulatorHandle`])
//!   and the shared state — content, moderation state, faults, call log;
//! - [`profile`]: each account's profile and its `/_sim/profiles/…`
//!   control routes;
//! - [`server`]: the axum routes for the Graph endpoints the connector uses
//!   (`/{version}/{page}/feed`, `/{version}/{post}/comments`, hide and
//!   delete on `/{version}/{comment}`) and the `/_sim/…` control routes for
//!   the standalone mode;
//! - [`content`]: the seeded Swedish comment stream and what was planted in it;
//! - [`x`] and [`instagram`]: the same content in X API v2's and Instagram's
//!   wire formats, under `/x` and `/instagram`;
//! - [`youtube`] and [`linkedin`]: the same accounts in the YouTube Data
//!   API v3 and LinkedIn Community Management API wire formats, nested
//!   under `/youtube` and `/linkedin` (a simulated account's base URL is
//!   `{base_url}/youtube` or `{base_url}/linkedin`), each with its own
//!   error bodies for the injected faults and a fake OAuth token endpoint
//!   ([`bearer`] holds what the two share).
//!
//! Faults ([`Fault`]) can be injected per page to exercise the connector's
//! and the poller's error handling, and every request is kept in a call log
//! ([`CallRecord`]) so tests can prove the order of events, e.g. that an
//! evidence record was written before the hide call arrived. Every route
//! writes its entry through one type, [`calls`]' `CallEntry`.

mod bearer;
mod calls;
mod content;
mod instagram;
mod linkedin;
mod profile;
mod server;
mod x;
mod youtube;

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::clock::Clock;
use content::{PageContent, SimPost, StreamSettings, WrittenComment};

pub use bearer::REVOKED_REFRESH_TOKEN;
pub use content::{ContentKind, PlantedComment};
pub use profile::SimProfile;

/// The Graph API version the simulator reports; routes accept any version.
const API_VERSION: &str = "v24.0";

/// Page ids are counted from here so they look like Graph ids.
const PAGE_ID_BASE: u64 = 102_938_475_610_001;

/// How the simulated world looks. The same configuration gives the same
/// pages, posts and comments, so tests can rely on what was planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatorConfig {
    /// How many pages (accounts) to simulate.
    pub pages: usize,
    /// Seed of every random choice in the content.
    pub seed: u64,
    /// When the comment stream starts; a few posts exist before it.
    pub stream_start: DateTime<Utc>,
    /// Mean gap between two comments on one page in office hours (evenings
    /// and weekends are quieter, nights quieter still).
    pub mean_spacing: Duration,
    /// Where to append the call log as JSON lines, besides keeping it in
    /// memory.
    pub call_log: Option<PathBuf>,
}

impl Default for SimulatorConfig {
    /// Three pages from Monday 23 November 2026, 08:00 Stockholm time, a
    /// comment every 20 minutes per page in office hours.
    fn default() -> Self {
        Self {
            pages: 3,
            seed: 1,
            stream_start: Utc
                .with_ymd_and_hms(2026, 11, 23, 7, 0, 0)
                .single()
                .unwrap_or(DateTime::UNIX_EPOCH),
            mean_spacing: Duration::from_secs(20 * 60),
            call_log: None,
        }
    }
}

/// A simulated page: what the connector's account configuration names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimPage {
    /// Graph id of the page (digits).
    pub id: String,
    /// Display name, also the author name of the page's own replies.
    pub name: String,
}

/// What moderation has done to a comment, so tests can check that the
/// service's hide and delete calls arrived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentState {
    /// The comment is hidden from the public.
    pub hidden: bool,
    /// The comment, or the comment it replies to, was deleted.
    pub deleted: bool,
}

/// A failure the simulator can be told to answer with, to exercise the
/// connector's and the poller's error handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500: a Graph error with code 2 and `is_transient`, every other
    /// time a plain-text body as a proxy would send.
    ServerError,
    /// One account's rate limit: HTTP 400 with code 80001 (Instagram:
    /// 80002) and the `X-Business-Use-Case-Usage` and `X-App-Usage`
    /// headers; each other platform's own answer for it.
    RateLimited,
    /// The app's rate limit, which stops every account it serves: HTTP 400
    /// with Graph code 4 and only `X-App-Usage`, which names no wait;
    /// LinkedIn's APPLICATION DAY throttle; YouTube's `quotaExceeded`; X
    /// answers as for [`Fault::RateLimited`].
    AppRateLimited,
    /// HTTP 400 with code 190, subcode 463: the token has expired.
    TokenExpired,
    /// Waits this long (wall clock) before answering; a client that gives up
    /// meanwhile leaves the request without effect.
    Slow(Duration),
    /// HTTP 200 with the body cut off halfway (a write is still carried out).
    MalformedJson,
    /// A listing ignores its `after` cursor and always answers with its
    /// first page and a `next` link: a cursor that never moves.
    RepeatingCursor,
    /// The first comment of a listing comes with a `created_time` that is
    /// not a time; the rest of the answer is valid.
    MalformedItem,
    /// Comments are listed without `id` and `parent`, as Graph lists them
    /// to a token without the MODERATE task on the page (v11 and later);
    /// their `permalink_url` still names them.
    WithoutIds,
}

impl Fault {
    /// Short name used in the call log and the control route.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::ServerError => "server_error",
            Fault::RateLimited => "rate_limited",
            Fault::AppRateLimited => "app_rate_limited",
            Fault::TokenExpired => "token_expired",
            Fault::Slow(_) => "slow",
            Fault::MalformedJson => "malformed_json",
            Fault::RepeatingCursor => "repeating_cursor",
            Fault::MalformedItem => "malformed_item",
            Fault::WithoutIds => "without_ids",
        }
    }
}

/// One request the simulator received, as tests need it to prove what the
/// service did and in what order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Request path, e.g. `/v24.0/<post>/comments`.
    pub path: String,
    /// Query string without the access token.
    pub query: String,
    /// Form body without the access token (e.g. `is_hidden=true`).
    pub body: String,
    /// The page the request concerned, when the path names one of its
    /// objects.
    pub page_id: Option<String>,
    /// The comment a write (hide, unhide, delete) was about.
    pub comment_id: Option<String>,
    /// HTTP status answered; `None` when the client went away first.
    pub status: Option<u16>,
    /// For writes: whether the hide, unhide or delete took effect.
    pub applied: Option<bool>,
    /// The injected fault that shaped the answer, by [`Fault::name`].
    pub fault: Option<String>,
    /// Wall-clock time the request arrived.
    pub received_at: DateTime<Utc>,
    /// Wall-clock time it was answered or abandoned.
    pub finished_at: DateTime<Utc>,
    /// Simulated time when the request arrived.
    pub simulated_at: DateTime<Utc>,
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimulatorError {
    /// A simulator without pages has nothing to serve.
    #[error("the simulator needs at least one page")]
    NoPages,
    /// Comments cannot arrive with no time between them.
    #[error("the mean spacing between comments must be longer than zero")]
    ZeroSpacing,
    /// The address is taken or not allowed.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why binding failed.
        source: std::io::Error,
    },
    /// The call-log file could not be opened for appending.
    #[error("could not open the call log {path}: {source}")]
    CallLog {
        /// The configured path.
        path: PathBuf,
        /// Why opening failed.
        source: std::io::Error,
    },
}

/// The Graph API simulator; [`Simulator::start`] runs one.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Starts serving on `bind` (port 0 picks a free port) and returns a
    /// handle to inspect and steer the simulation. The server stops on
    /// [`SimulatorHandle::shutdown`] or when the last handle is dropped.
    pub async fn start(
        config: SimulatorConfig,
        clock: Arc<dyn Clock>,
        bind: SocketAddr,
    ) -> Result<SimulatorHandle, SimulatorError> {
        if config.pages == 0 {
            return Err(SimulatorError::NoPages);
        }
        if config.mean_spacing.is_zero() {
            return Err(SimulatorError::ZeroSpacing);
        }
        let call_file = open_call_log(config.call_log.as_deref())?;
        let listener = TcpListener::bind(bind)
            .await
            .map_err(|source| SimulatorError::Bind { addr: bind, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| SimulatorError::Bind { addr: bind, source })?;
        let state = Arc::new(SimState::new(
            &config,
            clock,
            base_url_for(local),
            call_file,
        ));
        let shutdown = CancellationToken::new();
        let app = server::router(Arc::clone(&state))
            .merge(profile::control_router(Arc::clone(&state)))
            .nest("/x", x::router(Arc::clone(&state)))
            .nest("/instagram", instagram::router(Arc::clone(&state)))
            .nest("/youtube", youtube::router(Arc::clone(&state)))
            .nest("/linkedin", linkedin::router(Arc::clone(&state)))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&state),
                added_latency,
            ));
        let signal = shutdown.clone().cancelled_owned();
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await
            {
                tracing::warn!(%error, "The platform simulator stopped with an error.");
            }
        });
        tracing::info!(base_url = %state.base_url, pages = config.pages, "The platform simulator is listening.");
        Ok(SimulatorHandle {
            state,
            server: Arc::new(Mutex::new(Some(task))),
            _stop_on_last_drop: Arc::new(shutdown.clone().drop_guard()),
            shutdown,
        })
    }
}

/// A running simulator. Cheap to clone; the server stops when
/// [`shutdown`](Self::shutdown) is called or the last clone is dropped.
#[derive(Clone)]
pub struct SimulatorHandle {
    state: Arc<SimState>,
    shutdown: CancellationToken,
    server: Arc<Mutex<Option<JoinHandle<()>>>>,
    /// Cancels the server when the last clone goes away.
    _stop_on_last_drop: Arc<DropGuard>,
}

impl std::fmt::Debug for SimulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatorHandle")
            .field("base_url", &self.state.base_url)
            .finish_non_exhaustive()
    }
}

impl SimulatorHandle {
    /// Where the connector should send its requests, e.g.
    /// `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The Graph API version to put in paths (any version is accepted).
    pub fn api_version(&self) -> &'static str {
        API_VERSION
    }

    /// The simulated pages, for the accounts configuration.
    pub fn pages(&self) -> Vec<SimPage> {
        self.state.pages.clone()
    }

    /// Every request received and answered (or abandoned) so far, in order of
    /// arrival.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.state.calls()
    }

    /// Every comment planted on any page up to `until` (which may lie ahead
    /// of the clock), oldest first.
    pub fn planted_until(&self, until: DateTime<Utc>) -> Vec<PlantedComment> {
        self.state.planted_until(until)
    }

    /// Writes a comment with `text` on the page's newest post at `at` (a
    /// moment not yet listed, e.g. the clock's now), optionally with an
    /// image attachment whose bytes the simulator itself serves, as
    /// Facebook's CDN would. `None` for an unknown page or one without a
    /// post by then.
    pub fn plant_comment(
        &self,
        page_id: &str,
        at: DateTime<Utc>,
        text: &str,
        image: Option<Vec<u8>>,
    ) -> Option<PlantedComment> {
        self.state.plant_comment(page_id, at, text, image)
    }

    /// Moderation state of a comment that exists by now; `None` for unknown
    /// ids and comments not yet written.
    pub fn comment_state(&self, id: &str) -> Option<CommentState> {
        self.state.comment_state(id)
    }

    /// Makes requests about `page_id` (its feed, posts and comments) fail
    /// with `fault`, for the next `times` requests or, with `None`, until
    /// [`clear_faults`](Self::clear_faults). Faults injected earlier for the
    /// same page are served first.
    pub fn inject_fault(&self, page_id: &str, fault: Fault, times: Option<u32>) {
        self.state.inject_fault(page_id, fault, 0, times);
    }

    /// Like [`inject_fault`](Self::inject_fault), but the first `after`
    /// requests about the page are answered normally: a failure in the
    /// middle of an account's calls.
    pub fn inject_fault_after(&self, page_id: &str, fault: Fault, after: u32, times: Option<u32>) {
        self.state.inject_fault(page_id, fault, after, times);
    }

    /// Delays every platform request by `latency` (wall clock) before it
    /// is answered, on every platform's routes: benches measure a run
    /// against the network it will meet. Zero (the default) adds nothing.
    pub fn set_latency(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.state.latency_micros.store(micros, Ordering::Relaxed);
    }

    /// The account's profile as every platform's routes show it; `None`
    /// for an unknown page.
    pub fn profile(&self, page_id: &str) -> Option<SimProfile> {
        self.state.profile(page_id)
    }

    /// Changes the account's profile (every account starts with a complete
    /// one), so a test can make it fail the daily check of its basic
    /// information; false for an unknown page.
    pub fn edit_profile(&self, page_id: &str, edit: impl FnOnce(&mut SimProfile)) -> bool {
        self.state.edit_profile(page_id, edit)
    }

    /// Makes Graph's `debug_token` (Facebook and Instagram routes) say the
    /// Page tokens stop working at `end` (`None`: never), so a test can
    /// make the token-expiry check see a static token's end.
    pub fn set_page_token_end(&self, end: Option<DateTime<Utc>>) {
        *lock(&self.state.page_token_end) = end;
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }

    /// Stops accepting requests, lets requests in flight finish and waits for
    /// the server to stop.
    pub async fn shutdown(self) {
        self.shutdown.cancel();
        let task = lock(&self.server).take();
        if let Some(task) = task
            && let Err(error) = task.await
        {
            tracing::warn!(%error, "The platform simulator task failed.");
        }
    }
}

/// Waits the configured latency before a platform request is handled.
async fn added_latency(
    axum::extract::State(state): axum::extract::State<Arc<SimState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let micros = state.latency_micros.load(Ordering::Relaxed);
    if micros > 0 && !request.uri().path().starts_with("/_sim") {
        tokio::time::sleep(Duration::from_micros(micros)).await;
    }
    next.run(request).await
}

/// What the routes share: the world, the faults and the call log.
struct SimState {
    clock: Arc<dyn Clock>,
    pages: Vec<SimPage>,
    base_url: String,
    world: Mutex<World>,
    faults: Mutex<HashMap<String, Vec<ActiveFault>>>,
    /// Profiles changed from the complete one every account starts with.
    profiles: Mutex<HashMap<String, profile::SimProfile>>,
    /// When the Page tokens stop working, as `debug_token` tells; `None`:
    /// never, as a Page token from a long-lived user token.
    page_token_end: Mutex<Option<DateTime<Utc>>>,
    call_log: Mutex<CallLog>,
    next_seq: AtomicU64,
    /// Wall-clock delay added to every platform request (not the `/_sim`
    /// control routes), as a distant data centre would.
    latency_micros: AtomicU64,
}

/// Content and moderation state, under one lock so that a listing and a
/// write never see each other half done.
struct World {
    pages: Vec<PageContent>,
    moderation: HashMap<String, CommentState>,
    /// Attached images by their media key, as served at `/_sim/media/…`.
    media: HashMap<String, Vec<u8>>,
}

/// A comment as a listing shows it.
#[derive(Debug, Clone)]
struct ListedComment {
    /// Stable position in the page's stream, used for cursors.
    position: usize,
    comment: PlantedComment,
    hidden: bool,
}

/// A post as a listing shows it.
#[derive(Debug, Clone)]
struct ListedPost {
    /// Stable position in the page's schedule, used for cursors.
    position: usize,
    post: SimPost,
}

/// An injected fault and how often it is still to be served.
#[derive(Debug, Clone)]
struct ActiveFault {
    fault: Fault,
    /// Requests still to pass unharmed before the fault starts.
    skip: u32,
    remaining: Option<u32>,
    served: u32,
}

/// A fault chosen for one request, with how many times it was served before.
#[derive(Debug, Clone, Copy)]
struct ServedFault {
    fault: Fault,
    earlier: u32,
}

struct CallLog {
    records: Vec<CallRecord>,
    file: Option<File>,
}

impl SimState {
    fn new(
        config: &SimulatorConfig,
        clock: Arc<dyn Clock>,
        base_url: String,
        call_file: Option<File>,
    ) -> Self {
        let pages: Vec<SimPage> = (0..config.pages)
            .map(|index| SimPage {
                id: (PAGE_ID_BASE + index as u64).to_string(),
                name: content::page_name(index),
            })
            .collect();
        let settings = StreamSettings {
            seed: config.seed,
            stream_start: config.stream_start,
            mean_spacing: config.mean_spacing,
        };
        let contents = pages
            .iter()
            .enumerate()
            .map(|(index, page)| PageContent::new(page.clone(), index, settings))
            .collect();
        Self {
            clock,
            pages,
            base_url,
            world: Mutex::new(World {
                pages: contents,
                moderation: HashMap::new(),
                media: HashMap::new(),
            }),
            faults: Mutex::new(HashMap::new()),
            profiles: Mutex::new(HashMap::new()),
            page_token_end: Mutex::new(None),
            call_log: Mutex::new(CallLog {
                records: Vec::new(),
                file: call_file,
            }),
            next_seq: AtomicU64::new(1),
            latency_micros: AtomicU64::new(0),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The page an object id belongs to: a page id itself, or a post or
    /// comment id that starts with `<page id>_`.
    fn page_index(&self, object_id: &str) -> Option<usize> {
        let prefix = object_id.split('_').next().unwrap_or(object_id);
        self.pages.iter().position(|page| page.id == prefix)
    }

    fn page_id_of(&self, object_id: &str) -> Option<String> {
        self.page_index(object_id)
            .and_then(|index| self.pages.get(index))
            .map(|page| page.id.clone())
    }

    fn page(&self, id: &str) -> Option<&SimPage> {
        self.pages.iter().find(|page| page.id == id)
    }

    /// The page's published posts, oldest first; `None` for unknown pages.
    fn published_posts(&self, page_id: &str) -> Option<Vec<ListedPost>> {
        let page = self.pages.iter().position(|page| page.id == page_id)?;
        let now = self.now();
        let mut world = lock(&self.world);
        let posts = world.pages.get_mut(page)?.posts_until(now);
        Some(
            posts
                .iter()
                .enumerate()
                .map(|(position, post)| ListedPost {
                    position,
                    post: post.clone(),
                })
                .collect(),
        )
    }

    /// A published post.
    fn post(&self, post_id: &str) -> Option<SimPost> {
        let page = self.page_index(post_id)?;
        let now = self.now();
        let mut world = lock(&self.world);
        let posts = world.pages.get_mut(page)?.posts_until(now);
        posts.iter().find(|post| post.id == post_id).cloned()
    }

    /// The post's comments that exist and are not deleted, oldest first;
    /// `None` when the post does not exist (yet).
    fn comments_on(&self, post_id: &str) -> Option<Vec<ListedComment>> {
        self.post(post_id)?;
        let page = self.page_index(post_id)?;
        let now = self.now();
        let mut world = lock(&self.world);
        let World {
            pages, moderation, ..
        } = &mut *world;
        let comments = pages.get_mut(page)?.comments_until(now);
        Some(
            comments
                .iter()
                .enumerate()
                .filter(|(_, comment)| comment.post_id == post_id)
                .filter(|(_, comment)| !is_deleted(moderation, comment))
                .map(|(position, comment)| ListedComment {
                    position,
                    comment: comment.clone(),
                    hidden: moderation.get(&comment.id).is_some_and(|s| s.hidden),
                })
                .collect(),
        )
    }

    /// A comment that exists now and is not deleted.
    fn visible_comment(&self, id: &str) -> Option<ListedComment> {
        let page = self.page_index(id)?;
        let now = self.now();
        let mut world = lock(&self.world);
        let World {
            pages, moderation, ..
        } = &mut *world;
        let (position, comment) = pages.get_mut(page)?.comment(id, now)?;
        if is_deleted(moderation, comment) {
            return None;
        }
        Some(ListedComment {
            position,
            comment: comment.clone(),
            hidden: moderation.get(id).is_some_and(|s| s.hidden),
        })
    }

    /// Hides or unhides a visible comment; false when there is no such
    /// comment.
    fn set_hidden(&self, id: &str, hidden: bool) -> bool {
        self.moderate(id, |state| state.hidden = hidden)
    }

    /// Deletes a visible comment (its replies go with it); false when there
    /// is no such comment.
    fn delete(&self, id: &str) -> bool {
        self.moderate(id, |state| state.deleted = true)
    }

    fn moderate(&self, id: &str, change: impl FnOnce(&mut CommentState)) -> bool {
        let Some(page) = self.page_index(id) else {
            return false;
        };
        let now = self.now();
        let mut world = lock(&self.world);
        let World {
            pages, moderation, ..
        } = &mut *world;
        let Some(content) = pages.get_mut(page) else {
            return false;
        };
        match content.comment(id, now) {
            Some((_, comment)) if !is_deleted(moderation, comment) => {
                change(moderation.entry(id.to_string()).or_default());
                true
            }
            _ => false,
        }
    }

    fn comment_state(&self, id: &str) -> Option<CommentState> {
        let page = self.page_index(id)?;
        let now = self.now();
        let mut world = lock(&self.world);
        let World {
            pages, moderation, ..
        } = &mut *world;
        let (_, comment) = pages.get_mut(page)?.comment(id, now)?;
        Some(CommentState {
            hidden: moderation.get(id).is_some_and(|s| s.hidden),
            deleted: is_deleted(moderation, comment),
        })
    }

    fn plant_comment(
        &self,
        page_id: &str,
        at: DateTime<Utc>,
        text: &str,
        image: Option<Vec<u8>>,
    ) -> Option<PlantedComment> {
        let page = self.pages.iter().position(|page| page.id == page_id)?;
        let mut world = lock(&self.world);
        let media_key = format!("m{}", world.media.len() + 1);
        let attachment_url = image
            .is_some()
            .then(|| format!("{}/_sim/media/{media_key}", self.base_url));
        let planted = world.pages.get_mut(page)?.write(WrittenComment {
            text: text.to_string(),
            at,
            attachment_url,
        })?;
        if let Some(bytes) = image {
            world.media.insert(media_key, bytes);
        }
        Some(planted)
    }

    /// The bytes of an attached image, by its media key.
    fn media(&self, key: &str) -> Option<Vec<u8>> {
        lock(&self.world).media.get(key).cloned()
    }

    fn planted_until(&self, until: DateTime<Utc>) -> Vec<PlantedComment> {
        let mut world = lock(&self.world);
        let mut planted: Vec<PlantedComment> = world
            .pages
            .iter_mut()
            .flat_map(|content| content.comments_until(until).to_vec())
            .collect();
        // Stable: comments written in the same second keep page order.
        planted.sort_by_key(|comment| comment.created_at);
        planted
    }

    fn inject_fault(&self, page_id: &str, fault: Fault, skip: u32, times: Option<u32>) {
        if times == Some(0) {
            return;
        }
        if self.page(page_id).is_none() {
            tracing::warn!(
                page_id,
                "A fault was injected for a page the simulator does not have."
            );
        }
        lock(&self.faults)
            .entry(page_id.to_string())
            .or_default()
            .push(ActiveFault {
                fault,
                skip,
                remaining: times,
                served: 0,
            });
    }

    fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// The fault that shapes the next request about `page_id`, if any; each
    /// call uses up one of its times.
    fn take_fault(&self, page_id: &str) -> Option<ServedFault> {
        let mut faults = lock(&self.faults);
        let queue = faults.get_mut(page_id)?;
        let active = queue.first_mut()?;
        if active.skip > 0 {
            active.skip -= 1;
            return None;
        }
        let served = ServedFault {
            fault: active.fault,
            earlier: active.served,
        };
        active.served += 1;
        if let Some(remaining) = active.remaining.as_mut() {
            *remaining -= 1;
            if *remaining == 0 {
                queue.remove(0);
            }
        }
        Some(served)
    }

    fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Keeps a finished call in memory and appends it to the call-log file.
    fn record_call(&self, record: CallRecord) {
        tracing::debug!(
            seq = record.seq,
            method = %record.method,
            path = %record.path,
            status = ?record.status,
            applied = ?record.applied,
            "The platform simulator answered a call."
        );
        let mut log = lock(&self.call_log);
        if let Some(file) = log.file.as_mut()
            && let Err(error) = append_json_line(file, &record)
        {
            tracing::warn!(%error, "Could not append to the simulator's call log.");
        }
        log.records.push(record);
    }

    fn calls(&self) -> Vec<CallRecord> {
        let mut calls = lock(&self.call_log).records.clone();
        calls.sort_by_key(|call| call.seq);
        calls
    }
}

/// A comment counts as deleted when it or the comment it replies to was
/// deleted, as on Facebook.
fn is_deleted(moderation: &HashMap<String, CommentState>, comment: &PlantedComment) -> bool {
    let deleted = |id: &str| moderation.get(id).is_some_and(|state| state.deleted);
    deleted(&comment.id) || comment.parent_id.as_deref().is_some_and(deleted)
}

fn append_json_line(file: &mut File, record: &CallRecord) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(record)?;
    line.push(b'\n');
    file.write_all(&line)
}

fn open_call_log(path: Option<&Path>) -> Result<Option<File>, SimulatorError> {
    let Some(path) = path else {
        return Ok(None);
    };
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(Some)
        .map_err(|source| SimulatorError::CallLog {
            path: path.to_path_buf(),
            source,
        })
}

/// A URL clients can connect to: a wildcard bind address becomes loopback.
fn base_url_for(local: SocketAddr) -> String {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, local.port()))
}

/// Locks a mutex; a panic elsewhere while it was held leaves plain data that
/// is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::{Datelike, NaiveDate};
    use reqwest::{Client, StatusCode};
    use serde_json::Value;

    const TOKEN: &str = "test-token";

    async fn simulator(config: SimulatorConfig) -> (SimulatorHandle, ManualClock) {
        let clock = ManualClock::new(config.stream_start);
        let handle = Simulator::start(
            config,
            Arc::new(clock.clone()),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap();
        (handle, clock)
    }

    fn url(sim: &SimulatorHandle, path: &str) -> String {
        format!("{}/{}/{path}", sim.base_url(), sim.api_version())
    }

    async fn get(url: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let response = Client::new()
            .get(url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        (status, headers, response.text().await.unwrap())
    }

    async fn get_json(url: &str) -> Value {
        let (status, _, body) = get(url).await;
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.bearer_auth(TOKEN).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    fn ids(listing: &Value) -> Vec<String> {
        listing["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_string())
            .collect()
    }

    fn assert_unknown_object(status: StatusCode, body: &Value) {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], 100);
        assert_eq!(body["error"]["error_subcode"], 33);
        assert_eq!(body["error"]["type"], "GraphMethodException");
        assert!(body["error"]["fbtrace_id"].is_string());
    }

    /// Every comment of a post from `since` on, following the `after` cursor.
    async fn all_comments(sim: &SimulatorHandle, post_id: &str, since: i64) -> Vec<Value> {
        let mut collected = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut address = url(
                sim,
                &format!(
                    "{post_id}/comments?filter=stream&order=chronological&since={since}&limit=7"
                ),
            );
            if let Some(cursor) = &after {
                address.push_str(&format!("&after={cursor}"));
            }
            let page = get_json(&address).await;
            collected.extend(page["data"].as_array().unwrap().iter().cloned());
            if page["paging"]["next"].is_null() {
                return collected;
            }
            after = Some(
                page["paging"]["cursors"]["after"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }

    fn config(pages: usize, seed: u64) -> SimulatorConfig {
        SimulatorConfig {
            pages,
            seed,
            mean_spacing: Duration::from_secs(5 * 60),
            ..SimulatorConfig::default()
        }
    }

    #[tokio::test]
    async fn same_seed_gives_the_same_stream_and_another_seed_another() {
        let (first, _) = simulator(config(3, 42)).await;
        let (second, _) = simulator(config(3, 42)).await;
        let (other, _) = simulator(config(3, 43)).await;
        let until = SimulatorConfig::default().stream_start + chrono::Duration::days(3);
        let planted = first.planted_until(until);
        assert!(planted.len() > 100);
        assert_eq!(planted, second.planted_until(until));
        let other_texts: Vec<_> = other
            .planted_until(until)
            .into_iter()
            .map(|c| c.text)
            .collect();
        let texts: Vec<_> = planted.into_iter().map(|c| c.text).collect();
        assert_ne!(texts, other_texts);
    }

    #[tokio::test]
    async fn comments_and_posts_exist_only_from_their_creation_time() {
        let (sim, clock) = simulator(config(2, 1)).await;
        let start = SimulatorConfig::default().stream_start;
        let page = &sim.pages()[1];
        let first = sim
            .planted_until(start + chrono::Duration::days(1))
            .into_iter()
            .find(|c| c.page_id == page.id)
            .unwrap();

        clock.set(first.created_at - chrono::Duration::seconds(1));
        let listing = get_json(&url(
            &sim,
            &format!("{}/comments?filter=stream", first.post_id),
        ))
        .await;
        assert!(!ids(&listing).contains(&first.id));
        assert_eq!(sim.comment_state(&first.id), None);
        let (status, body) = send(
            Client::new()
                .post(url(&sim, &first.id))
                .form(&[("is_hidden", "true")]),
        )
        .await;
        assert_unknown_object(status, &body);

        clock.set(first.created_at);
        let listing = get_json(&url(
            &sim,
            &format!("{}/comments?filter=stream", first.post_id),
        ))
        .await;
        assert!(ids(&listing).contains(&first.id));
        assert_eq!(sim.comment_state(&first.id), Some(CommentState::default()));
    }

    #[tokio::test]
    async fn feed_shows_posts_once_published_newest_first() {
        let (sim, clock) = simulator(config(2, 1)).await;
        // The second page publishes its working-day post at 08:05 Stockholm
        // time, five minutes after the stream starts.
        let page = sim.pages()[1].id.clone();
        let feed = get_json(&url(&sim, &format!("{page}/feed"))).await;
        assert_eq!(ids(&feed).len(), 3);
        clock.advance(chrono::Duration::minutes(5));
        let feed = get_json(&url(&sim, &format!("{page}/feed?fields=id,created_time"))).await;
        let posts = feed["data"].as_array().unwrap();
        assert_eq!(posts.len(), 4);
        let times: Vec<&str> = posts
            .iter()
            .map(|p| p["created_time"].as_str().unwrap())
            .collect();
        assert_eq!(times[0], "2026-11-23T07:05:00+0000");
        assert!(times.windows(2).all(|pair| pair[0] > pair[1]), "{times:?}");
        assert!(
            posts[0].get("message").is_none(),
            "fields were not honoured"
        );
        assert!(feed["paging"]["next"].is_null());
    }

    #[tokio::test]
    async fn nested_comments_in_the_feed_match_the_comments_edge_and_continue_on_it() {
        let (sim, clock) = simulator(config(1, 7)).await;
        let start = SimulatorConfig::default().stream_start;
        let now = start + chrono::Duration::days(2);
        clock.set(now);
        let page = sim.pages()[0].id.clone();
        let since = (start + chrono::Duration::hours(20)).timestamp();
        let feed = get_json(&url(
            &sim,
            &format!(
                "{page}/feed?since={}&fields=id,comments.filter(stream).order(chronological)\
                 .since({since}).limit(3){{id,created_time}}",
                (start - chrono::Duration::days(30)).timestamp()
            ),
        ))
        .await;

        let mut seen = 0;
        let mut overflowed = 0;
        for post in feed["data"].as_array().unwrap() {
            let post_id = post["id"].as_str().unwrap();
            let expected = all_comments(&sim, post_id, since).await;
            let Some(nested) = post.get("comments") else {
                assert!(
                    expected.is_empty(),
                    "{post_id} has comments but none nested"
                );
                continue;
            };
            let id_of = |c: &Value| c["id"].as_str().unwrap().to_string();
            let first: Vec<String> = expected.iter().take(3).map(id_of).collect();
            let got: Vec<String> = nested["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(id_of)
                .collect();
            assert_eq!(got, first, "the edge's first page, nested in {post_id}");
            assert!(
                nested["data"][0].get("message").is_none(),
                "subfields honoured"
            );
            match nested["paging"]["next"].as_str() {
                None => assert!(expected.len() <= 3),
                Some(next) => {
                    overflowed += 1;
                    assert!(expected.len() > 3);
                    assert!(next.contains(&format!("/{post_id}/comments?")), "{next}");
                    let rest = get_json(next).await;
                    assert_eq!(
                        id_of(&rest["data"][0]),
                        id_of(&expected[3]),
                        "continues on the edge"
                    );
                }
            }
            seen += expected.len();
        }
        assert!(seen > 3, "the stream has comments in the window");
        assert!(overflowed >= 1, "a post has more comments than the limit");
    }

    #[tokio::test]
    async fn paging_with_since_and_after_returns_every_comment_once() {
        let (sim, clock) = simulator(config(2, 7)).await;
        let start = SimulatorConfig::default().stream_start;
        let now = start + chrono::Duration::days(2);
        clock.set(now);
        let page = sim.pages()[0].id.clone();
        let since = start + chrono::Duration::hours(20);

        let mut post_ids = Vec::new();
        let mut next = Some(format!(
            "{}?fields=id&limit=2&access_token={TOKEN}",
            url(&sim, &format!("{page}/feed"))
        ));
        while let Some(address) = next {
            let feed: Value = Client::new()
                .get(&address)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            post_ids.extend(ids(&feed));
            next = feed["paging"]["next"].as_str().map(str::to_string);
        }
        // Three posts from before the start and the mornings of Monday to
        // Wednesday (the page publishes at 08:00, which is `now`).
        assert_eq!(post_ids.len(), 6);

        let mut seen = Vec::new();
        for post_id in &post_ids {
            let comments = all_comments(&sim, post_id, since.timestamp()).await;
            let times: Vec<&str> = comments
                .iter()
                .map(|c| c["created_time"].as_str().unwrap())
                .collect();
            assert!(
                times.windows(2).all(|pair| pair[0] <= pair[1]),
                "not oldest first"
            );
            seen.extend(
                comments
                    .iter()
                    .map(|c| c["id"].as_str().unwrap().to_string()),
            );
        }
        let mut expected: Vec<String> = sim
            .planted_until(now)
            .into_iter()
            .filter(|c| c.page_id == page && c.created_at >= since)
            .map(|c| c.id)
            .collect();
        assert!(expected.len() > 50);
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "a comment was listed twice");
        seen.sort();
        expected.sort();
        assert_eq!(seen, expected);
    }

    #[tokio::test]
    async fn without_filter_stream_only_top_level_comments_are_listed() {
        let (sim, clock) = simulator(config(1, 3)).await;
        let now = SimulatorConfig::default().stream_start + chrono::Duration::days(2);
        clock.set(now);
        let reply = sim
            .planted_until(now)
            .into_iter()
            .find(|c| c.parent_id.is_some())
            .unwrap();
        let top_level =
            get_json(&url(&sim, &format!("{}/comments?limit=100", reply.post_id))).await;
        assert!(!ids(&top_level).contains(&reply.id));
        let stream = get_json(&url(
            &sim,
            &format!("{}/comments?filter=stream&limit=100", reply.post_id),
        ))
        .await;
        let listed = stream["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == reply.id.as_str())
            .unwrap();
        assert_eq!(listed["parent"]["id"], reply.parent_id.unwrap().as_str());
        assert_eq!(listed["from"]["name"], reply.author_name.as_str());
        assert_eq!(listed["message"], reply.text.as_str());
    }

    #[tokio::test]
    async fn hide_and_delete_are_honoured_and_shown_in_listings() {
        let (sim, clock) = simulator(config(1, 5)).await;
        let now = SimulatorConfig::default().stream_start + chrono::Duration::days(2);
        clock.set(now);
        let reply = sim
            .planted_until(now)
            .into_iter()
            .find(|c| c.parent_id.is_some())
            .unwrap();
        let parent = reply.parent_id.clone().unwrap();
        let listing_url = url(
            &sim,
            &format!("{}/comments?filter=stream&limit=100", reply.post_id),
        );
        let client = Client::new();

        let (status, body) = send(
            client
                .post(url(&sim, &reply.id))
                .form(&[("is_hidden", "true")]),
        )
        .await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, serde_json::json!({ "success": true }))
        );
        let listing = get_json(&listing_url).await;
        let shown = listing["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == reply.id.as_str())
            .unwrap();
        assert_eq!(shown["is_hidden"], true);
        assert!(sim.comment_state(&reply.id).unwrap().hidden);

        let (status, _) = send(
            client
                .post(url(&sim, &reply.id))
                .form(&[("is_hidden", "false")]),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!sim.comment_state(&reply.id).unwrap().hidden);

        let (status, body) = send(client.delete(url(&sim, &parent))).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, serde_json::json!({ "success": true }))
        );
        let listed = ids(&get_json(&listing_url).await);
        assert!(!listed.contains(&parent));
        assert!(
            !listed.contains(&reply.id),
            "a reply outlived its deleted parent"
        );
        assert!(sim.comment_state(&parent).unwrap().deleted);
        assert!(sim.comment_state(&reply.id).unwrap().deleted);

        let (status, body) = send(client.delete(url(&sim, &parent))).await;
        assert_unknown_object(status, &body);
        let (status, body) = send(
            client
                .post(url(&sim, &reply.id))
                .form(&[("is_hidden", "true")]),
        )
        .await;
        assert_unknown_object(status, &body);
        let (status, body) = send(client.delete(url(&sim, "102938475610001_1_2"))).await;
        assert_unknown_object(status, &body);
    }

    #[tokio::test]
    async fn requests_without_a_token_are_refused_with_code_190() {
        let (sim, _) = simulator(config(1, 1)).await;
        let feed = url(&sim, &format!("{}/feed", sim.pages()[0].id));
        let client = Client::new();
        for request in [
            client.get(&feed),
            client.get(&feed).header("Authorization", "Bearer "),
        ] {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], 190);
            assert_eq!(body["error"]["type"], "OAuthException");
        }
        let response = client
            .get(format!("{feed}?access_token={TOKEN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn faults_answer_as_documented_and_expire() {
        let (sim, _) = simulator(config(2, 1)).await;
        let page = sim.pages()[0].id.clone();
        let other_page = sim.pages()[1].id.clone();
        let feed = url(&sim, &format!("{page}/feed"));
        let post = ids(&get_json(&feed).await)[0].clone();
        let post_comments = url(&sim, &format!("{post}/comments"));

        sim.inject_fault(&page, Fault::RateLimited, Some(2));
        let (status, _, _) = get(&url(&sim, &format!("{other_page}/feed"))).await;
        assert_eq!(status, StatusCode::OK, "a fault leaked to another page");
        for address in [&feed, &post_comments] {
            let (status, headers, body) = get(address).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(body["error"]["code"], 80001);
            let usage: Value =
                serde_json::from_str(headers["x-business-use-case-usage"].to_str().unwrap())
                    .unwrap();
            assert_eq!(usage[&page][0]["estimated_time_to_regain_access"], 5);
            assert!(headers.contains_key("x-app-usage"));
        }
        assert_eq!(
            get(&feed).await.0,
            StatusCode::OK,
            "the fault did not expire"
        );

        sim.inject_fault(&page, Fault::TokenExpired, Some(1));
        let (status, _, body) = get(&post_comments).await;
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], 190);
        assert_eq!(body["error"]["error_subcode"], 463);
        assert_eq!(body["error"]["type"], "OAuthException");

        sim.inject_fault(&page, Fault::ServerError, Some(2));
        let (status, _, body) = get(&feed).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"]["is_transient"], true);
        let (status, _, body) = get(&feed).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            serde_json::from_str::<Value>(&body).is_err(),
            "expected plain text: {body}"
        );
        assert_eq!(get(&feed).await.0, StatusCode::OK);

        sim.inject_fault(&page, Fault::MalformedJson, Some(1));
        let (status, _, body) = get(&feed).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.is_empty());
        assert!(
            serde_json::from_str::<Value>(&body).is_err(),
            "body was not cut: {body}"
        );

        sim.inject_fault(&page, Fault::ServerError, None);
        for _ in 0..3 {
            assert_eq!(get(&feed).await.0, StatusCode::INTERNAL_SERVER_ERROR);
        }
        sim.clear_faults();
        assert_eq!(get(&feed).await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn call_log_records_writes_and_marks_abandoned_ones_not_applied() {
        let dir = tempfile::tempdir().unwrap();
        let log_path = dir.path().join("calls.jsonl");
        let (sim, clock) = simulator(SimulatorConfig {
            call_log: Some(log_path.clone()),
            ..config(1, 9)
        })
        .await;
        clock.advance(chrono::Duration::hours(4));
        let page = sim.pages()[0].id.clone();
        let comment = sim.planted_until(clock.now()).pop().unwrap();

        sim.inject_fault(&page, Fault::Slow(Duration::from_millis(800)), Some(1));
        let abandoned = Client::new()
            .delete(url(&sim, &comment.id))
            .bearer_auth(TOKEN)
            .timeout(Duration::from_millis(100))
            .send()
            .await;
        assert!(abandoned.is_err(), "the slow answer came too soon");
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert!(
            !sim.comment_state(&comment.id).unwrap().deleted,
            "an abandoned delete took effect"
        );
        let calls = sim.calls();
        let delete = calls.iter().find(|c| c.method == "DELETE").unwrap();
        assert_eq!(delete.status, None);
        assert_eq!(delete.applied, Some(false));
        assert_eq!(delete.fault.as_deref(), Some("slow"));
        assert_eq!(delete.comment_id.as_deref(), Some(comment.id.as_str()));
        assert_eq!(delete.page_id.as_deref(), Some(page.as_str()));

        let response = Client::new()
            .post(format!("{}?access_token={TOKEN}", url(&sim, &comment.id)))
            .form(&[("is_hidden", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let calls = sim.calls();
        let hide = calls.last().unwrap();
        assert_eq!(hide.method, "POST");
        assert_eq!(hide.body, "is_hidden=true");
        assert_eq!(hide.status, Some(200));
        assert_eq!(hide.applied, Some(true));
        assert!(!hide.query.contains(TOKEN), "the token was logged");
        assert_eq!(hide.simulated_at, clock.now());
        assert!(delete.seq < hide.seq);
        assert!(delete.received_at < hide.received_at);

        let lines = std::fs::read_to_string(&log_path).unwrap();
        let mut from_file: Vec<CallRecord> = lines
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        from_file.sort_by_key(|call| call.seq);
        assert_eq!(from_file, calls);
    }

    #[tokio::test]
    async fn control_routes_steer_the_standalone_simulator() {
        let (sim, clock) = simulator(config(1, 2)).await;
        clock.advance(chrono::Duration::hours(3));
        let page = sim.pages()[0].id.clone();
        let client = Client::new();
        let control = |path: &str| format!("{}/_sim/{path}", sim.base_url());

        let slow_without_delay = client
            .post(control("faults"))
            .json(&serde_json::json!({ "page_id": page, "fault": "slow" }))
            .send()
            .await
            .unwrap();
        assert_eq!(slow_without_delay.status(), StatusCode::BAD_REQUEST);
        let injected = client
            .post(control("faults"))
            .json(&serde_json::json!({ "page_id": page, "fault": "token_expired" }))
            .send()
            .await
            .unwrap();
        assert!(injected.status().is_success());
        let feed = url(&sim, &format!("{page}/feed"));
        assert_eq!(get(&feed).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(get(&feed).await.0, StatusCode::BAD_REQUEST);
        client.delete(control("faults")).send().await.unwrap();
        assert_eq!(get(&feed).await.0, StatusCode::OK);

        let planted: Vec<PlantedComment> = client
            .get(control("planted"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(planted, sim.planted_until(clock.now()));
        let calls: Vec<CallRecord> = client
            .get(control("calls"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(calls.len(), 3, "control routes belong outside the call log");
        assert_eq!(calls, sim.calls());
    }

    /// An independent check of a planted personnummer or samordningsnummer:
    /// the date (day minus 60 for samordningsnummer) exists, the person is
    /// alive at `at` (and 100 or older with `+`), and the Luhn sum is right.
    fn assert_valid_identity_number(value: &str, coordination: bool, at: DateTime<Utc>) {
        let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
        let (century, ten) = match digits.len() {
            12 => (Some(digits[0] * 10 + digits[1]), &digits[2..]),
            10 => (None, &digits[..]),
            n => panic!("{value}: {n} digits"),
        };
        let luhn: u32 = ten
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| {
                if i % 2 == 1 {
                    (d * 2) % 9 + if d * 2 == 18 { 9 } else { 0 }
                } else {
                    *d
                }
            })
            .sum();
        assert_eq!(luhn % 10, 0, "{value}: bad checksum");
        let two_digit_year = (ten[0] * 10 + ten[1]) as i32;
        let year = match century {
            Some(century) => century as i32 * 100 + two_digit_year,
            None => {
                let mut year = (at.year() / 100) * 100 + two_digit_year;
                if year > at.year() {
                    year -= 100;
                }
                if value.contains('+') {
                    year -= 100;
                }
                year
            }
        };
        let month = ten[2] * 10 + ten[3];
        let mut day = ten[4] * 10 + ten[5];
        if coordination {
            assert!(day > 60, "{value}: a samordningsnummer adds 60 to the day");
            day -= 60;
        }
        let born = NaiveDate::from_ymd_opt(year, month, day)
            .unwrap_or_else(|| panic!("{value}: no such date"));
        let age = at.date_naive().years_since(born).unwrap();
        assert_eq!(value.contains('+'), age >= 100, "{value}: age {age}");
    }

    #[tokio::test]
    async fn planted_identity_numbers_have_valid_dates_and_checksums() {
        let (sim, _) = simulator(config(3, 11)).await;
        let until = SimulatorConfig::default().stream_start + chrono::Duration::days(30);
        let planted = sim.planted_until(until);
        let numbers: Vec<_> = planted
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ContentKind::Personnummer | ContentKind::Samordningsnummer
                )
            })
            .collect();
        assert!(
            numbers
                .iter()
                .filter(|c| c.kind == ContentKind::Samordningsnummer)
                .count()
                > 10
        );
        for comment in &numbers {
            let value = comment.planted_value.as_deref().unwrap();
            assert!(
                comment.text.contains(value),
                "{value} not in {:?}",
                comment.text
            );
            assert_valid_identity_number(
                value,
                comment.kind == ContentKind::Samordningsnummer,
                comment.created_at,
            );
        }
        let values: Vec<&str> = numbers
            .iter()
            .filter_map(|c| c.planted_value.as_deref())
            .collect();
        for (form, found) in [
            (
                "YYMMDD-XXXX",
                values.iter().any(|v| v.len() == 11 && v.contains('-')),
            ),
            ("YYMMDD+XXXX", values.iter().any(|v| v.contains('+'))),
            ("YYMMDDXXXX", values.iter().any(|v| v.len() == 10)),
            ("YYYYMMDDXXXX", values.iter().any(|v| v.len() == 12)),
            (
                "YYYYMMDD-XXXX",
                values.iter().any(|v| v.len() == 13 && v.contains('-')),
            ),
            ("YYMMDD - XXXX", values.iter().any(|v| v.contains(" - "))),
        ] {
            assert!(found, "no personnummer written as {form}");
        }
    }

    #[tokio::test]
    async fn planted_phone_numbers_are_from_fiction_ranges() {
        let (sim, _) = simulator(config(2, 4)).await;
        let until = SimulatorConfig::default().stream_start + chrono::Duration::days(14);
        let phones: Vec<_> = sim
            .planted_until(until)
            .into_iter()
            .filter(|c| c.kind == ContentKind::PhoneNumber)
            .collect();
        assert!(phones.len() > 20);
        for comment in phones {
            let value = comment.planted_value.unwrap();
            assert!(comment.text.contains(&value));
            let national: String = value
                .replacen("+46", "0", 1)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            assert!(
                ["07017406", "08465004", "03139006"]
                    .iter()
                    .any(|range| national.starts_with(range))
                    && national.len() == 10,
                "{value} is not in a PTS fiction range"
            );
        }
    }

    #[tokio::test]
    async fn shutdown_stops_the_server() {
        let (sim, _) = simulator(config(1, 1)).await;
        let feed = url(&sim, &format!("{}/feed", sim.pages()[0].id));
        assert_eq!(get(&feed).await.0, StatusCode::OK);
        sim.clone().shutdown().await;
        let refused = Client::new().get(&feed).bearer_auth(TOKEN).send().await;
        assert!(refused.is_err());
    }
}
