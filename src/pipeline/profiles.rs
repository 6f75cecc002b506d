//! Reading every account's profile for the daily check of its basic
//! information: one call per account through its connector, counted in
//! the rate budgets like a listing (YouTube's `channels.list` is one unit
//! of the day's quota), at most `polling.concurrency` at a time. A read
//! that fails is logged and counted as the connectors' errors are, and
//! [`Pipeline::tell_profile_failures`] tells operations of the failures
//! that need a person, once a day per account and kind, as a failed
//! monitoring run would.

use futures::StreamExt;
use tracing::{info, warn};

use crate::config::register::AccountStatus;
use crate::report::checks::{ProfileRead, ProfileReads};
use crate::telemetry;

use super::budget::Priority;
use super::{AccountRuntime, Pipeline, PipelineError};

/// The listing name operations read in a failed profile read's notice.
const PROFILE_CALL: &str = "profile";

impl Pipeline {
    /// Reads the profile of every account that is not closed. The stored
    /// rate budgets are honoured and what the calls spent is saved.
    pub async fn read_profiles(&self) -> Result<ProfileReads, PipelineError> {
        self.plan_budgets().await?;
        let closed = self.store.closed_accounts().await?;
        let concurrency = self.config.polling.concurrency.max(1);
        // The futures are made first and only then driven: stream
        // combinators over borrowing closures would keep the daemon's task
        // from being `Send`.
        let mut pending = Vec::new();
        for account in &self.accounts {
            if account.config.register.status() != AccountStatus::Closed
                && !closed.contains(&account.config.key)
            {
                pending.push(self.read_profile(account));
            }
        }
        let reads: ProfileReads = futures::stream::iter(pending)
            .buffer_unordered(concurrency)
            .collect()
            .await;
        self.budgets.save(&self.store, self.clock.now()).await?;
        Ok(reads)
    }

    /// Tells operations (the account's moderators copied) of each failed
    /// read that needs a person; passing faults and rate limits are only
    /// logged, as in a monitoring run.
    pub async fn tell_profile_failures(&self, reads: &ProfileReads) -> Result<(), PipelineError> {
        for (key, read) in reads {
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

    /// One account's read, under its key.
    async fn read_profile(&self, account: &AccountRuntime) -> (String, ProfileRead) {
        let key = account.config.key.clone();
        let read = self.read_profile_of(account).await;
        (key, read)
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
