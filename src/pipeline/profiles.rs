//! Reading every account's profile for the daily check of its basic
//! information, and for a Facebook or Instagram Page token when it stops
//! working (Graph's `debug_token`), after a profile read that worked:
//! one profile call per account through its connector, counted in
//! the rate budgets like a listing (YouTube's `channels.list` is one unit
//! of the day's quota), at most `polling.concurrency` at a time. A read
//! that fails is logged and counted as the connectors' errors are, and
//! [`Pipeline::tell_read_failures`] tells operations of the failures
//! that need a person, once a day per account and kind, as a failed
//! monitoring run would.

use std::collections::HashSet;

use futures::StreamExt;
use tracing::{info, warn};

use crate::config::register::AccountStatus;
use crate::config::{AccountConfig, Config};
use crate::store::Store;
use chrono::{DateTime, Utc};

use crate::report::checks::{PlatformReads, ProfileRead};
use crate::telemetry;

use super::budget::Priority;
use super::{AccountRuntime, Pipeline, PipelineError};

/// What one account's reads brought.
struct AccountRead {
    key: String,
    profile: ProfileRead,
    token_end: Option<DateTime<Utc>>,
}

/// The listing name operations read in a failed profile read's notice.
const PROFILE_CALL: &str = "profile";

/// Whether the daily checks read `account`'s profile: every account that
/// is not closed, in the register or by a closing the service carried out.
fn is_checked(account: &AccountConfig, closed: &HashSet<String>) -> bool {
    account.register.status() != AccountStatus::Closed && !closed.contains(&account.key)
}

/// The reads of a `checks --dry-run` from a shell that holds no token:
/// every account whose profile [`Pipeline::read_for_checks`] would read is
/// [`ProfileRead::Skipped`] with `reason`, so that the listing says which
/// accounts were not read and every check that needs no platform call
/// still runs. No platform is called and no rate budget is touched.
pub async fn unread_for_checks(
    store: &Store,
    config: &Config,
    reason: &str,
) -> Result<PlatformReads, PipelineError> {
    let closed = store.closed_accounts().await?;
    let mut reads = PlatformReads::default();
    for account in config.accounts.iter().filter(|a| is_checked(a, &closed)) {
        reads.profiles.insert(
            account.key.clone(),
            ProfileRead::Skipped(reason.to_string()),
        );
    }
    Ok(reads)
}

impl Pipeline {
    /// Reads what the daily checks need of every account that is not
    /// closed: its profile and, for a static token whose platform states
    /// its end, that end. The stored rate budgets are honoured and what
    /// the calls spent is saved.
    pub async fn read_for_checks(&self) -> Result<PlatformReads, PipelineError> {
        self.plan_budgets().await?;
        let closed = self.store.closed_accounts().await?;
        let concurrency = self.config.polling.concurrency.max(1);
        // The futures are made first and only then driven: stream
        // combinators over borrowing closures would keep the daemon's task
        // from being `Send`.
        let mut pending = Vec::new();
        for account in &self.accounts {
            if is_checked(&account.config, &closed) {
                pending.push(self.read_profile(account));
            }
        }
        let read: Vec<AccountRead> = futures::stream::iter(pending)
            .buffer_unordered(concurrency)
            .collect()
            .await;
        self.budgets.save(&self.store, self.clock.now()).await?;
        let mut reads = PlatformReads::default();
        for account in read {
            if let Some(end) = account.token_end {
                reads.token_ends.insert(account.key.clone(), end);
            }
            reads.profiles.insert(account.key, account.profile);
        }
        Ok(reads)
    }

    /// Tells operations (the account's moderators copied) of each failed
    /// read that needs a person; passing faults and rate limits are only
    /// logged, as in a monitoring run.
    pub async fn tell_read_failures(&self, reads: &PlatformReads) -> Result<(), PipelineError> {
        for (key, read) in &reads.profiles {
            if let ProfileRead::Failed(error) = read {
                self.report_account_problem(
                    key,
                    error.kind(),
                    &error.to_string(),
                    &[PROFILE_CALL.to_string()],
                    Some(error),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// One account's reads, under its key.
    async fn read_profile(&self, account: &AccountRuntime) -> AccountRead {
        let profile = self.read_profile_of(account).await;
        let token_end = match (&profile, &account.platform) {
            (ProfileRead::Read(_), Ok(platform)) if account.config.oauth.is_none() => {
                match platform.token_end().await {
                    Ok(end) => end,
                    Err(error) => {
                        warn!(account = %account.config.key, error_kind = error.kind(), %error, "The access token's end could not be read");
                        None
                    }
                }
            }
            _ => None,
        };
        AccountRead {
            key: account.config.key.clone(),
            profile,
            token_end,
        }
    }

    async fn read_profile_of(&self, account: &AccountRuntime) -> ProfileRead {
        let key = &account.config.key;
        let platform = match &account.platform {
            Ok(platform) => platform,
            Err(reason) => return ProfileRead::Skipped(format!("no connector: {reason}")),
        };
        let now = self.clock.now();
        if let Err(reason) = self
            .budgets
            .admit_listing(account.account_id, Priority::New, now)
        {
            info!(account = %key, %reason, "The account's profile is not read today: a rate budget says wait");
            return ProfileRead::Skipped(reason);
        }
        match platform.profile().await {
            Ok(profile) => ProfileRead::Read(profile),
            Err(error) => {
                self.budgets
                    .note_failure(account.account_id, &error, self.clock.now());
                telemetry::account_failed(key, error.kind());
                warn!(account = %key, error_kind = error.kind(), %error, "Reading the account's profile failed; its basic information is not checked today");
                ProfileRead::Failed(error)
            }
        }
    }
}
