//! Rate limits as a budget a run plans with, not an error it meets.
//!
//! Before a run the stored budgets are handed back to the connectors
//! ([`Platform::restore_usage`]), so YouTube's units of the Pacific day and
//! X's hide calls of the last 15 minutes survive a restart, and every
//! "not before" instant a platform named (a `retry_after`, an exhausted
//! usage header) is honoured: the account, or every account of the app, is
//! skipped and the run says so instead of calling and failing.
//!
//! Within a run the work is ranked: actions on obvious content first (the
//! units of every open action are reserved before any listing), then new
//! comments (listings that have a cursor), then backfill (a first run's
//! look-back). What does not fit is deferred, recorded in the account's
//! outcome and told operations once a day. After the run what the
//! connectors counted and read is written back.
//!
//! Counting happens in the connectors, which see every call; calls in
//! flight at the same time may overshoot a shared budget by at most the
//! calls one account makes at once, per account crawled, well inside the
//! platforms' own margins.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::PlatformKind;
use crate::platforms::budget::{Usage, UsageReading, UsageScope};
use crate::platforms::youtube::QuotaSpent;
use crate::platforms::{Platform, PlatformError};
use crate::store::{APP_SUBJECT, RateBudgetRow, Store, StoreError};

use super::AccountRuntime;

/// A usage header at or above this share stops backfill, so what is left
/// goes to new comments and actions.
const BACKFILL_CEILING_PERCENT: u32 = 80;

/// Stored budget names (see the 0008 migration).
const UNITS: &str = "youtube_units";
const HIDE_CALLS: &str = "hide_calls";
const USAGE: &str = "usage";
const RETRY_AFTER: &str = "retry_after";

/// Which work a call serves, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// A listing that has a cursor: comments written since the last run.
    New,
    /// A listing without a cursor yet, or a later page of one: the
    /// look-back of a first run, catching up after an outage.
    Backfill,
}

/// Work a budget did not allow this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferral {
    /// The account's key.
    pub account: String,
    /// Its platform.
    pub platform: PlatformKind,
    /// What waits: "listing" or "hide"/"delete".
    pub work: String,
    /// Why, for the run record and operations.
    pub reason: String,
}

/// One account's standing in the budgets, as the planner needs it.
#[derive(Clone)]
struct Member {
    key: String,
    kind: PlatformKind,
    platform: Arc<dyn Platform>,
    /// The subject of what the account shares with others: its platform's
    /// app ([`APP_SUBJECT`]), or for YouTube the Google project whose
    /// daily quota it spends.
    pool: String,
}

/// The subject a YouTube account's shared quota and pauses are kept
/// under: its Google project, or the one unnamed project.
fn pool_of(quota_project: Option<&str>) -> String {
    quota_project.map_or_else(|| APP_SUBJECT.to_string(), |p| format!("project:{p}"))
}

impl Member {
    /// Whom a pause for `scope` stops, as stored.
    fn subject(&self, scope: UsageScope) -> &str {
        match scope {
            UsageScope::Account => &self.key,
            UsageScope::App => &self.pool,
        }
    }

    /// Whether `other` spends from the same daily quota.
    fn shares_pool(&self, other: &Member) -> bool {
        self.kind == other.kind && self.pool == other.pool
    }

    /// The shared quota, named for people.
    fn pool_name(&self) -> String {
        match self.pool.strip_prefix("project:") {
            Some(project) => format!("{} daily quota of project {project}", self.kind),
            None => format!("{} daily quota", self.kind),
        }
    }
}

/// The budgets of one pipeline: shared by the collect tasks and the act
/// stage of a run.
pub struct Budgets {
    youtube_daily_quota: u64,
    members: HashMap<i64, Member>,
    book: Mutex<Book>,
}

#[derive(Default)]
struct Book {
    /// No call before this instant, by (platform, subject).
    not_before: BTreeMap<(String, String), DateTime<Utc>>,
    /// Units of a daily pool reserved for open actions, by platform and
    /// pool.
    reserved: HashMap<(PlatformKind, String), u64>,
    /// Accounts whose crawl has started in this run.
    started: HashSet<i64>,
    /// What this run deferred.
    deferred: Vec<Deferral>,
}

impl Budgets {
    /// The budgets of the wired accounts; nothing is known until
    /// [`Budgets::load`].
    pub fn new(accounts: &[AccountRuntime], youtube_daily_quota: u64) -> Self {
        let members = accounts
            .iter()
            .filter_map(|a| {
                let platform = a.platform.as_ref().ok()?.clone();
                Some((
                    a.account_id,
                    Member {
                        key: a.config.key.clone(),
                        kind: a.config.platform,
                        platform,
                        pool: pool_of(a.config.quota_project.as_deref()),
                    },
                ))
            })
            .collect();
        Self {
            youtube_daily_quota,
            members,
            book: Mutex::new(Book::default()),
        }
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the stored budgets, hands each connector back what it spent
    /// before a restart, and starts a run's plan: `open_actions` are the
    /// pending hides and deletes per account, whose units are reserved.
    pub async fn load(
        &self,
        store: &Store,
        open_actions: &HashMap<i64, u64>,
    ) -> Result<(), StoreError> {
        let rows = store.rate_budgets().await?;
        let mut book = self.book();
        book.started.clear();
        book.deferred.clear();
        book.reserved.clear();
        for row in &rows {
            if let Some(at) = row.not_before {
                book.not_before
                    .insert((row.platform.clone(), row.subject.clone()), at);
            }
        }
        for member in self.members.values() {
            let usage = stored_usage(&rows, &member.kind.to_string(), &member.key);
            member.platform.restore_usage(&usage);
        }
        for (account_id, count) in open_actions {
            if let Some(member) = self.members.get(account_id) {
                let units = member.platform.costs().moderate_units * count;
                *book
                    .reserved
                    .entry((member.kind, member.pool.clone()))
                    .or_default() += units;
            }
        }
        Ok(())
    }

    /// Why the account may not be called now, if the platform asked for a
    /// pause (for it, for its whole app or its Google project) that has
    /// not ended.
    pub fn paused(&self, account_id: i64, now: DateTime<Utc>) -> Option<String> {
        let member = self.members.get(&account_id)?;
        let platform = member.kind.to_string();
        let book = self.book();
        [UsageScope::Account, UsageScope::App]
            .into_iter()
            .filter_map(|scope| {
                let subject = member.subject(scope);
                let at = *book
                    .not_before
                    .get(&(platform.clone(), subject.to_string()))?;
                (at > now).then(|| {
                    let whom = match (scope, subject.strip_prefix("project:")) {
                        (UsageScope::Account, _) => "this account".to_string(),
                        (UsageScope::App, Some(project)) => {
                            format!("every {platform} account of project {project}")
                        }
                        (UsageScope::App, None) => format!("every {platform} account"),
                    };
                    format!("{platform} asked not to be called for {whom} before {at}")
                })
            })
            .next()
    }

    /// Whether the account may make a listing call serving `priority`;
    /// the reason when not. The first call of an account is noted, so
    /// backfill leaves room for the accounts not yet crawled.
    pub fn admit_listing(
        &self,
        account_id: i64,
        priority: Priority,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        let Some(member) = self.members.get(&account_id) else {
            return Ok(());
        };
        if let Some(reason) = self.paused(account_id, now) {
            return Err(reason);
        }
        self.book().started.insert(account_id);
        if priority == Priority::Backfill
            && let Some(reading) = Self::busiest_current_reading(member, now)
            && reading
                .percent
                .is_some_and(|p| p >= BACKFILL_CEILING_PERCENT)
        {
            return Err(format!(
                "{} reports {}% of its limit used ({}); catching up waits",
                member.kind,
                reading.percent.unwrap_or_default(),
                reading.raw
            ));
        }
        let cost = member.platform.costs().list_units;
        if cost == 0 {
            return Ok(());
        }
        let (left, reserved) = self.pool_left(member);
        let waiting_new = if priority == Priority::Backfill {
            cost * self.accounts_not_started(member)
        } else {
            0
        };
        if left >= reserved + waiting_new + cost {
            Ok(())
        } else {
            Err(format!(
                "{} units of the {} left, {reserved} kept for hides and removals{}; \
                 listing waits for the quota to reset",
                left,
                member.pool_name(),
                if waiting_new > 0 {
                    format!(" and {waiting_new} for new comments on other accounts")
                } else {
                    String::new()
                }
            ))
        }
    }

    /// Whether a hide or delete may be made now on the account; the reason
    /// when not. A granted action's reserved units are released.
    pub fn admit_action(&self, account_id: i64, now: DateTime<Utc>) -> Result<(), String> {
        let Some(member) = self.members.get(&account_id) else {
            return Ok(());
        };
        if let Some(reason) = self.paused(account_id, now) {
            return Err(reason);
        }
        let costs = member.platform.costs();
        if let Some((per_window, window)) = costs.moderation_window {
            let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
            let recent: Vec<DateTime<Utc>> = member
                .platform
                .usage()
                .hide_calls
                .into_iter()
                .filter(|at| *at + window > now)
                .collect();
            if recent.len() >= per_window {
                let free_at = recent.iter().min().map_or(now, |oldest| *oldest + window);
                return Err(format!(
                    "{} moderation calls in the window {} allows ({per_window}); the next is free at {free_at}",
                    recent.len(),
                    member.kind
                ));
            }
        }
        if costs.moderate_units > 0 {
            let (left, _) = self.pool_left(member);
            if left < costs.moderate_units {
                return Err(format!(
                    "{left} units of the {} left; a hide or removal takes {}",
                    member.pool_name(),
                    costs.moderate_units
                ));
            }
            let mut book = self.book();
            let reserved = book
                .reserved
                .entry((member.kind, member.pool.clone()))
                .or_default();
            *reserved = reserved.saturating_sub(costs.moderate_units);
        }
        Ok(())
    }

    /// Remembers a pause the platform asked for in a failed call: no call
    /// to the account, or to every account of its app (Graph's application
    /// limit, YouTube's daily quota of the account's Google project), until
    /// it ends, in this run and, once saved, in the next ones.
    pub fn note_failure(&self, account_id: i64, error: &PlatformError, now: DateTime<Utc>) {
        let (
            Some(member),
            PlatformError::RateLimited {
                retry_after: Some(wait),
                scope,
                ..
            },
        ) = (self.members.get(&account_id), error)
        else {
            return;
        };
        let until = now + chrono::Duration::from_std(*wait).unwrap_or(chrono::Duration::zero());
        self.pause(
            member.kind.to_string(),
            member.subject(*scope).to_string(),
            until,
        );
    }

    /// Records deferred work for the run's outcome and operations.
    pub fn defer(&self, account_id: i64, work: &str, reason: &str) {
        if let Some(member) = self.members.get(&account_id) {
            self.book().deferred.push(Deferral {
                account: member.key.clone(),
                platform: member.kind,
                work: work.to_string(),
                reason: reason.to_string(),
            });
        }
    }

    /// What this run deferred so far.
    pub fn deferred(&self) -> Vec<Deferral> {
        self.book().deferred.clone()
    }

    /// Writes back what the connectors counted and read, and every pause.
    pub async fn save(&self, store: &Store, now: DateTime<Utc>) -> Result<(), StoreError> {
        for member in self.members.values() {
            let usage = member.platform.usage();
            for reading in &usage.readings {
                self.pause_for_reading(member, reading, now);
            }
            for row in usage_rows(member, &usage) {
                store.save_rate_budget(&row, now).await?;
            }
        }
        let pauses: Vec<((String, String), DateTime<Utc>)> = self
            .book()
            .not_before
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        for ((platform, subject), at) in pauses {
            let row = RateBudgetRow {
                platform,
                subject,
                budget: RETRY_AFTER.into(),
                window_start: None,
                used: 0,
                spent_at: Vec::new(),
                not_before: Some(at),
                reported: None,
            };
            store.save_rate_budget(&row, now).await?;
        }
        Ok(())
    }

    /// An exhausted usage header is a pause until the reset it names, or
    /// the wait it names counted from when it was read.
    fn pause_for_reading(&self, member: &Member, reading: &UsageReading, now: DateTime<Utc>) {
        let Some(until) = reading.exhausted_until().filter(|at| *at > now) else {
            return;
        };
        self.pause(
            member.kind.to_string(),
            member.subject(reading.scope).to_string(),
            until,
        );
    }

    fn pause(&self, platform: String, subject: String, until: DateTime<Utc>) {
        let mut book = self.book();
        let at = book.not_before.entry((platform, subject)).or_insert(until);
        *at = (*at).max(until);
    }

    /// The account's or its app's reading with the highest share used,
    /// among those that still describe the platform's window (Graph's
    /// percentages cover the hour after they were read, X's count runs
    /// until its reset time).
    fn busiest_current_reading(member: &Member, now: DateTime<Utc>) -> Option<UsageReading> {
        member
            .platform
            .usage()
            .readings
            .into_iter()
            .filter(|reading| reading.is_current(now))
            .max_by_key(|r| r.percent.unwrap_or(0))
    }

    /// Units left today in the daily quota `member` shares with the
    /// accounts of its pool (its Google project), and the units reserved
    /// there for open actions.
    fn pool_left(&self, member: &Member) -> (u64, u64) {
        let spent: u64 = self
            .members
            .values()
            .filter(|m| m.shares_pool(member))
            .filter_map(|m| m.platform.usage().quota)
            .map(|q| q.units)
            .sum();
        let reserved = self
            .book()
            .reserved
            .get(&(member.kind, member.pool.clone()))
            .copied()
            .unwrap_or(0);
        (self.youtube_daily_quota.saturating_sub(spent), reserved)
    }

    fn accounts_not_started(&self, member: &Member) -> u64 {
        let book = self.book();
        self.members
            .iter()
            .filter(|(id, m)| m.shares_pool(member) && !book.started.contains(id))
            .count() as u64
    }
}

/// What the store holds for one account, as a connector takes it back.
fn stored_usage(rows: &[RateBudgetRow], platform: &str, key: &str) -> Usage {
    let mut usage = Usage::default();
    for row in rows
        .iter()
        .filter(|r| r.platform == platform && r.subject == key)
    {
        match row.budget.as_str() {
            UNITS => {
                let day = row
                    .window_start
                    .as_deref()
                    .and_then(|d| d.parse::<NaiveDate>().ok());
                if let Some(day) = day {
                    usage.quota = Some(QuotaSpent {
                        day,
                        units: u64::try_from(row.used).unwrap_or(0),
                    });
                }
            }
            HIDE_CALLS => usage.hide_calls = row.spent_at.clone(),
            _ => {}
        }
    }
    usage
}

/// The rows that keep one account's usage.
fn usage_rows(member: &Member, usage: &Usage) -> Vec<RateBudgetRow> {
    let platform = member.kind.to_string();
    let row = |subject: &str, budget: &str| RateBudgetRow {
        platform: platform.clone(),
        subject: subject.to_string(),
        budget: budget.to_string(),
        window_start: None,
        used: 0,
        spent_at: Vec::new(),
        not_before: None,
        reported: None,
    };
    let mut rows = Vec::new();
    if let Some(quota) = usage.quota {
        rows.push(RateBudgetRow {
            window_start: Some(quota.day.to_string()),
            used: i64::try_from(quota.units).unwrap_or(i64::MAX),
            ..row(&member.key, UNITS)
        });
    }
    if member.platform.costs().moderation_window.is_some() {
        rows.push(RateBudgetRow {
            spent_at: usage.hide_calls.clone(),
            ..row(&member.key, HIDE_CALLS)
        });
    }
    for reading in &usage.readings {
        let subject = member.subject(reading.scope);
        let used = reading
            .percent
            .map(u64::from)
            .or(reading.remaining)
            .unwrap_or(0);
        rows.push(RateBudgetRow {
            window_start: reading.reset_at.map(crate::store::ts),
            used: i64::try_from(used).unwrap_or(i64::MAX),
            reported: Some(reading.raw.clone()),
            ..row(subject, USAGE)
        });
    }
    rows
}

/// Open actions read per page when counting them for the plan.
const ACTION_PAGE: i64 = 500;

impl super::Pipeline {
    /// Starts a run's plan: the stored budgets back into the connectors,
    /// and the units of every open hide and delete reserved.
    pub(super) async fn plan_budgets(&self) -> Result<(), super::PipelineError> {
        let mut open: HashMap<i64, u64> = HashMap::new();
        let mut after = 0;
        loop {
            let page = self.store.open_actions_page(after, ACTION_PAGE).await?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.id;
            for action in &page {
                *open.entry(action.account_id).or_default() += 1;
            }
        }
        self.budgets.load(&self.store, &open).await?;
        Ok(())
    }

    /// Ends a run's plan: what the connectors counted is stored, what was
    /// deferred goes into the summary and, once a day per platform, to
    /// operations.
    pub(super) async fn settle_budgets(
        &self,
        summary: &mut super::RunSummary,
    ) -> Result<(), super::PipelineError> {
        let now = self.clock.now();
        self.budgets.save(&self.store, now).await?;
        summary.deferred = self.budgets.deferred();
        let mut by_platform: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for deferral in &summary.deferred {
            by_platform
                .entry(deferral.platform.to_string())
                .or_default()
                .push(format!(
                    "{} ({}): {}",
                    deferral.account, deferral.work, deferral.reason
                ));
        }
        for (platform, lines) in by_platform {
            let key = format!("system:budget:{platform}:{}", now.format("%Y-%m-%d"));
            let mail = crate::alerts::compose::budget_deferred(
                &self.config,
                &platform,
                &lines,
                now,
                key.clone(),
            );
            if self
                .store
                .enqueue(&super::email_item(key, &mail), now)
                .await?
            {
                tracing::warn!(%platform, deferred = lines.len(), "A rate budget deferred work; operations are told once today");
            }
        }
        Ok(())
    }
}
