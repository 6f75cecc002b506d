//! Closing an account (`kommentarsvakt accounts close KEY [--date DATE]`):
//! the account is marked closing and its responsible person is reminded,
//! with a Swedish draft, to post the closing notice the policy asks for;
//! it is monitored as usual until the end of its closing day; after that
//! the daemon's morning work exports its archive package (as `archive
//! export` does) and marks it closed, and it is no longer polled.

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use tracing::{info, warn};

use super::{Pipeline, PipelineError};
use crate::alerts::OutgoingMail;
use crate::alerts::compose::account_owners;
use crate::alerts::templates::{ClosingReminder, closing_reminder};
use crate::archive::export::{ExportRequest, export};
use crate::config::AccountConfig;

/// How far back an account's package reaches when the register names no
/// start date.
const PACKAGE_YEARS_WITHOUT_START: u64 = 10;

/// Why an account could not be closed.
#[derive(Debug, thiserror::Error)]
pub enum ClosingError {
    /// The key names no configured account.
    #[error("no account with key \"{0}\" in the configuration")]
    UnknownAccount(String),
    /// The closing day has already passed.
    #[error("the closing date {date} has passed (today is {today}); give today or a later day")]
    DatePassed {
        /// The day asked for.
        date: NaiveDate,
        /// Today, in the city's time zone.
        today: NaiveDate,
    },
    /// The account was closed before.
    #[error("the account \"{0}\" is closed already")]
    AlreadyClosed(String),
    /// The store failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

impl Pipeline {
    /// Today in the city's time zone, by the service clock.
    fn local_today(&self) -> NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.config.schedule.timezone())
            .date_naive()
    }

    /// Marks the account closing on `closing_date` (today when `None`) and
    /// queues the reminder to post the closing notice, once per account
    /// and date.
    pub async fn close_account(
        &self,
        key: &str,
        closing_date: Option<NaiveDate>,
    ) -> Result<NaiveDate, ClosingError> {
        let account = self
            .config
            .accounts
            .iter()
            .find(|a| a.key == key)
            .ok_or_else(|| ClosingError::UnknownAccount(key.to_string()))?;
        let today = self.local_today();
        let date = closing_date.unwrap_or(today);
        if date < today {
            return Err(ClosingError::DatePassed { date, today });
        }
        let now = self.clock.now();
        if !self
            .store
            .mark_account_closing(key, date, now)
            .await
            .map_err(PipelineError::from)?
        {
            return Err(ClosingError::AlreadyClosed(key.to_string()));
        }
        let message_id = format!("closing:{key}:{date}");
        let mail = self.closing_mail(account, date, message_id.clone());
        self.store
            .enqueue(&mail.outbox_item(message_id), now)
            .await
            .map_err(PipelineError::from)?;
        info!(account = %key, %date, "The account is closing; its responsible person is reminded to post the closing notice");
        Ok(date)
    }

    fn closing_mail(&self, account: &AccountConfig, date: NaiveDate, id: String) -> OutgoingMail {
        let department = self.config.department(&account.department);
        let rendered = closing_reminder(&ClosingReminder {
            account_name: account.name.clone(),
            platform: account.platform,
            department_name: department
                .map_or_else(|| account.department.clone(), |d| d.name.clone()),
            closing_date: date,
        });
        let (to, cc) = account_owners(&self.config, account);
        OutgoingMail::from_rendered(rendered, to, cc, id)
    }

    /// Where a closed account's package is written: `exports/` beside the
    /// archive, one folder per account and closing day.
    pub fn closing_package_dir(&self, key: &str, date: NaiveDate) -> PathBuf {
        self.config
            .archive_dir
            .with_file_name("exports")
            .join(format!("{key}-{date}"))
    }

    /// Exports the package of every account whose closing day has passed
    /// and marks it closed; returns their keys. An export that fails is
    /// logged and tried again the next morning; the account stays polled
    /// until its package exists.
    pub async fn finish_due_closings(&self) -> Result<Vec<String>, PipelineError> {
        let today = self.local_today();
        let mut closed = Vec::new();
        for closing in self.store.account_closings().await? {
            if closing.closed_at.is_some() || closing.closing_date >= today {
                continue;
            }
            let Some(account) = self
                .config
                .accounts
                .iter()
                .find(|a| a.key == closing.account_key)
            else {
                continue;
            };
            let out = self.closing_package_dir(&account.key, closing.closing_date);
            match self.export_closed(account, closing.closing_date, &out) {
                Ok(()) => {
                    let package = out.display().to_string();
                    self.store
                        .mark_account_closed(&account.key, &package, self.clock.now())
                        .await?;
                    info!(account = %account.key, %package, "The account is closed; its archive package is exported and it is no longer polled");
                    closed.push(account.key.clone());
                }
                Err(detail) => {
                    warn!(account = %account.key, error = %detail, "The closed account's archive package could not be exported; it stays polled and is tried again tomorrow");
                }
            }
        }
        Ok(closed)
    }

    fn export_closed(
        &self,
        account: &AccountConfig,
        closing_date: NaiveDate,
        out: &std::path::Path,
    ) -> Result<(), String> {
        let from = account
            .register
            .started
            .unwrap_or_else(|| closing_date - Days::new(PACKAGE_YEARS_WITHOUT_START * 366));
        export(
            &self.config.archive_dir,
            &ExportRequest {
                account_key: &account.key,
                account_name: &account.name,
                department: self
                    .config
                    .department(&account.department)
                    .map(|d| d.name.as_str()),
                from,
                to: closing_date,
                created_at: self.clock.now(),
                schemas_dir: self.config.export_schemas_dir.as_deref(),
            },
            out,
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    }
}
