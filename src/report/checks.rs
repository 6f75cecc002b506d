//! The daily checks of the social-media policy (KS 2018/1303) the service
//! can see for itself, so nobody has to look for them by hand:
//!
//! - [`Check::LowPublishing`]: fewer posts than the policy's rhythm two
//!   ordinary weeks in a row (holiday weeks and breaks the account
//!   announced in a post excepted, see [`rhythm`] and [`breaks`]), weeks
//!   the service monitored the account all through;
//! - [`Check::Responsible`]: no appointed responsible person (name and
//!   address) or no moderator in the register;
//! - [`Check::TokenExpiry`]: the OAuth grant the service reads the account
//!   with, or its static token where the platform states its end (Graph's
//!   `debug_token`), ends within [`GRANT_WARNING_LEAD`] or has ended;
//! - [`Check::NoSuccessfulRun`]: no monitoring run read the account
//!   successfully on the last working day, one on which the service was
//!   already monitoring it;
//! - [`Check::BasicInformation`]: the account's profile, as its platform's
//!   API shows it ([`ProfileReads`]), lacks an item of the basic
//!   information the policy asks for (see [`basic_info`]). Items the
//!   platform does not expose are told as not checkable, never as
//!   missing; an account whose profile could not be read today keeps its
//!   finding as it was (the failed read is told as a connector error).
//!
//! [`run`] e-mails each finding to the account's responsible person (its
//! moderators while none is named) with the department copied, once: a
//! finding stays open in the store from the day it is first seen until the
//! first day it is not, and the outbox idempotency key names the check, the
//! account and that day. A finding that clears and comes back later opens
//! again under a new day and is mailed again. Closed accounts (in the
//! configuration or by `kommentarsvakt accounts close`) are not checked;
//! accounts being closed are not held to the publishing rhythm.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use tracing::info;

use super::{basic_info, breaks, midnight, rhythm};
use crate::alerts::OutgoingMail;
use crate::alerts::compose::account_owners;
use crate::alerts::templates::{CheckNotice, CheckProblem, check_finding};
use crate::config::register::AccountStatus;
use crate::config::{AccountConfig, Config};
use crate::domain::{AccountProfile, ProfileItem};
use crate::platforms::PlatformError;
use crate::platforms::token::{
    GRANT_WARNING_LEAD, GrantStatus, GrantWarning, TokenError, stored_refresh_token_expiry,
};
use crate::schedule::Schedule;
use crate::store::{Store, StoreError};

/// How far back the last working day is looked for (a long closure, such
/// as Christmas, is shorter than this).
const WORKING_DAY_LOOKBACK_DAYS: u64 = 31;

/// One of the daily checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// Publishing below the policy's rhythm two ordinary weeks in a row.
    LowPublishing,
    /// No responsible person or moderator in the register.
    Responsible,
    /// The account's OAuth grant ends soon or has ended.
    TokenExpiry,
    /// No successful monitoring run on the last working day.
    NoSuccessfulRun,
    /// The profile lacks basic information the policy asks for.
    BasicInformation,
}

impl Check {
    /// Every check, in the order the report lists them.
    pub const ALL: [Check; 5] = [
        Self::LowPublishing,
        Self::Responsible,
        Self::TokenExpiry,
        Self::NoSuccessfulRun,
        Self::BasicInformation,
    ];

    /// The check a stored finding names ([`Check::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|check| check.name() == name)
    }

    /// The check in a few Swedish words, for the half-year report.
    pub fn title(self) -> &'static str {
        match self {
            Self::LowPublishing => "för få inlägg två veckor i rad",
            Self::Responsible => "ansvarig saknas i kontoregistret",
            Self::TokenExpiry => "tjänstens åtkomst upphör snart eller har upphört",
            Self::NoSuccessfulRun => "ingen lyckad bevakning under en arbetsdag",
            Self::BasicInformation => "grundläggande information saknas i profilen",
        }
    }

    /// The name stored with an open finding and used in its e-mail key.
    pub fn name(self) -> &'static str {
        match self {
            Self::LowPublishing => "low_publishing",
            Self::Responsible => "responsible",
            Self::TokenExpiry => "token_expiry",
            Self::NoSuccessfulRun => "no_successful_run",
            Self::BasicInformation => "basic_information",
        }
    }
}

/// What one check found on one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFinding {
    /// The check.
    pub check: Check,
    /// The account's configured key.
    pub account_key: String,
    /// What was found, as the e-mail tells it.
    pub problem: CheckProblem,
}

/// What reading one account's profile brought for the daily checks.
#[derive(Debug, Clone)]
pub enum ProfileRead {
    /// The profile as the platform shows it.
    Read(AccountProfile),
    /// The read failed; told as the connector's errors are, not a finding.
    Failed(PlatformError),
    /// No read was made (no connector, or the platform asked for a pause).
    Skipped(String),
}

/// Each account's profile read, by account key. An account without an
/// entry, or whose read failed, is not checked for basic information and
/// keeps any open finding as it was.
pub type ProfileReads = BTreeMap<String, ProfileRead>;

/// What the platforms said about the accounts for one day's checks, read
/// once before them (`Pipeline::read_for_checks`).
#[derive(Debug, Clone, Default)]
pub struct PlatformReads {
    /// Each account's profile.
    pub profiles: ProfileReads,
    /// When each account's static access token stops working, where its
    /// platform states it (Graph's `debug_token`), by account key.
    pub token_ends: BTreeMap<String, DateTime<Utc>>,
}

/// An item of basic information a platform keeps out of the service's
/// reach on one account, for the `checks` listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverifiable {
    /// The account's configured key.
    pub account_key: String,
    /// "Kontaktuppgifter …: kan inte kontrolleras på Instagram (…)".
    pub line: String,
}

/// Why the checks could not be run.
#[derive(Debug, thiserror::Error)]
pub enum ChecksError {
    /// The store could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a run of the checks did.
#[derive(Debug, Clone, Default)]
pub struct ChecksOutcome {
    /// Every finding of today, mailed before or now.
    pub findings: Vec<CheckFinding>,
    /// How many findings were mailed now (new since the last run).
    pub mailed: usize,
    /// How many findings open before are no longer seen.
    pub cleared: usize,
}

/// Runs every check at `now` without recording or mailing anything (what
/// `kommentarsvakt checks --dry-run` shows).
pub async fn find(
    store: &Store,
    config: &Config,
    reads: &PlatformReads,
    now: DateTime<Utc>,
) -> Result<Vec<CheckFinding>, ChecksError> {
    let today = now.with_timezone(&config.schedule.timezone()).date_naive();
    let closings = store.account_closings().await?;
    let closing_here = |account: &AccountConfig, closed: bool| {
        closings
            .iter()
            .any(|c| c.account_key == account.key && c.closed_at.is_some() == closed)
    };
    let accounts: Vec<&AccountConfig> = config
        .accounts
        .iter()
        .filter(|a| a.register.status() != AccountStatus::Closed && !closing_here(a, true))
        .collect();
    let in_use: Vec<&AccountConfig> = accounts
        .iter()
        .copied()
        .filter(|a| a.register.status() == AccountStatus::Active && !closing_here(a, false))
        .collect();
    let mut findings = low_publishing(store, config, &in_use, today).await?;
    findings.extend(accounts.iter().filter_map(|a| missing_people(a)));
    findings.extend(
        accounts
            .iter()
            .filter_map(|a| token_expiry(a, reads.token_ends.get(&a.key).copied(), now)),
    );
    findings.extend(no_successful_run(store, config, &accounts, today).await?);
    findings.extend(
        accounts
            .iter()
            .filter_map(|a| missing_basic_information(config, a, &reads.profiles)),
    );
    Ok(findings)
}

/// Runs every check at `now`, queues one e-mail per new finding and closes
/// the findings no longer seen; running it again the same day (or every
/// day while a finding lasts) queues nothing more.
pub async fn run(
    store: &Store,
    config: &Config,
    reads: &PlatformReads,
    now: DateTime<Utc>,
) -> Result<ChecksOutcome, ChecksError> {
    let today = now.with_timezone(&config.schedule.timezone()).date_naive();
    let findings = find(store, config, reads, now).await?;
    let mut mailed = 0;
    for finding in &findings {
        let Some(account) = config
            .accounts
            .iter()
            .find(|a| a.key == finding.account_key)
        else {
            continue;
        };
        let check = finding.check.name();
        let detail = format!("{:?}", finding.problem);
        let opened_on = store
            .open_check_finding(check, &account.key, &detail, today)
            .await?;
        let key = format!("check:{check}:{}:{opened_on}", account.key);
        let mail = finding_mail(config, account, finding, opened_on, key.clone());
        if store.enqueue(&mail.outbox_item(key), now).await? {
            mailed += 1;
            info!(account = %account.key, check, "A daily check found a shortcoming; the account's responsible person is told");
        }
    }
    let seen: HashSet<(&str, &str)> = findings
        .iter()
        .map(|f| (f.check.name(), f.account_key.as_str()))
        .collect();
    let mut cleared = 0;
    let closed = store.closed_accounts().await?;
    // An account still checked whose profile could not be read today
    // keeps its basic-information finding: nothing is known to clear it.
    let still_checked = |key: &str| {
        !closed.contains(key)
            && config
                .accounts
                .iter()
                .any(|a| a.key == key && a.register.status() != AccountStatus::Closed)
    };
    for open in store.open_check_findings().await? {
        let unknown_today = open.check_name == Check::BasicInformation.name()
            && still_checked(&open.account_key)
            && !matches!(
                reads.profiles.get(&open.account_key),
                Some(ProfileRead::Read(_))
            );
        if !unknown_today && !seen.contains(&(open.check_name.as_str(), open.account_key.as_str()))
        {
            store
                .close_check_finding(&open.check_name, &open.account_key, today)
                .await?;
            cleared += 1;
        }
    }
    Ok(ChecksOutcome {
        findings,
        mailed,
        cleared,
    })
}

/// The e-mail about `finding`, to the account's owners
/// ([`account_owners`]).
fn finding_mail(
    config: &Config,
    account: &AccountConfig,
    finding: &CheckFinding,
    found_on: NaiveDate,
    message_id: String,
) -> OutgoingMail {
    let department = config.department(&account.department);
    let (to, cc) = account_owners(config, account);
    let rendered = check_finding(&CheckNotice {
        account_name: account.name.clone(),
        account_key: account.key.clone(),
        platform: account.platform,
        department_name: department.map_or_else(|| account.department.clone(), |d| d.name.clone()),
        found_on,
        problem: finding.problem.clone(),
    });
    OutgoingMail::from_rendered(rendered, to, cc, message_id)
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Of `accounts` (those in use, not being closed), the ones that
/// published fewer than the rhythm asks in both of the last two whole
/// weeks, neither of them a holiday week. A week only counts when the
/// service monitored the account all through it: an account is held to
/// the rhythm once a run read it successfully before the first of the two
/// weeks began, so a new install (or a newly added account) is not told it
/// published nothing in weeks nobody watched.
async fn low_publishing(
    store: &Store,
    config: &Config,
    accounts: &[&AccountConfig],
    today: NaiveDate,
) -> Result<Vec<CheckFinding>, ChecksError> {
    let timezone = config.schedule.timezone();
    let this_monday = monday_of(today);
    let weeks = [this_monday - Days::new(14), this_monday - Days::new(7)];
    let kinds = rhythm::week_kinds(
        &weeks,
        weeks[0],
        this_monday - Days::new(1),
        &config.schedule,
    );
    let bounds = weeks.map(|monday| {
        (
            midnight(monday, timezone),
            midnight(monday + Days::new(7), timezone),
        )
    });
    let per_week = store.own_posts_per_week(&bounds).await?;
    let watched = store
        .accounts_polled_successfully(DateTime::<Utc>::UNIX_EPOCH, bounds[0].0)
        .await?;
    let breaks = breaks::announced_breaks(
        store,
        bounds[0].0,
        midnight(this_monday, timezone),
        timezone,
    )
    .await?;
    Ok(accounts
        .iter()
        .filter(|a| a.register.started.is_none_or(|started| started <= weeks[0]))
        .filter(|a| watched.contains(&a.key))
        .filter_map(|account| {
            let counts = per_week
                .get(&account.key)
                .cloned()
                .unwrap_or_else(|| vec![0; weeks.len()]);
            let kinds = rhythm::with_breaks(
                &kinds,
                &weeks,
                breaks.get(&account.key).map_or(&[][..], Vec::as_slice),
            );
            if rhythm::two_weeks_below(&counts, &kinds, &weeks).is_empty() {
                return None;
            }
            Some(CheckFinding {
                check: Check::LowPublishing,
                account_key: account.key.clone(),
                problem: CheckProblem::LowPublishing {
                    weeks: weeks.iter().copied().zip(counts).collect(),
                },
            })
        })
        .collect())
}

/// The account lacks a named responsible person (name or address) or a
/// moderator.
fn missing_people(account: &AccountConfig) -> Option<CheckFinding> {
    let responsible = &account.register.responsible;
    let missing: Vec<&'static str> = [
        (responsible.name.is_none(), "ansvarig person (namn)"),
        (
            responsible.email.is_none(),
            "ansvarig person (e-postadress)",
        ),
        (account.moderators.is_empty(), "moderator"),
    ]
    .into_iter()
    .filter_map(|(lacks, what)| lacks.then_some(what))
    .collect();
    (!missing.is_empty()).then(|| CheckFinding {
        check: Check::Responsible,
        account_key: account.key.clone(),
        problem: CheckProblem::MissingPeople { missing },
    })
}

/// The account's access ends within [`GRANT_WARNING_LEAD`] or has ended:
/// its OAuth grant, as its refresh-token file states it (a file that
/// cannot be read is a finding too, since nobody then knows), or its
/// static token, as its platform stated it today (`static_end`).
fn token_expiry(
    account: &AccountConfig,
    static_end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<CheckFinding> {
    let expires_at = match &account.oauth {
        Some(oauth) => match stored_refresh_token_expiry(&oauth.refresh_token_file) {
            Ok(expires_at) => expires_at,
            Err(error) => {
                let detail = match error {
                    TokenError::Refused { detail } => detail,
                    other => other.to_string(),
                };
                return Some(token_finding(
                    account,
                    CheckProblem::TokenUnreadable { detail },
                ));
            }
        },
        None => static_end,
    };
    let grant = GrantStatus {
        refresh_token_expires_at: expires_at,
        ..GrantStatus::default()
    };
    let problem = match grant.warning(now, GRANT_WARNING_LEAD)? {
        GrantWarning::ExpiresSoon(expires_at) => CheckProblem::TokenExpiring { expires_at },
        GrantWarning::Expired(expired_at) => CheckProblem::TokenExpired { expired_at },
        GrantWarning::Revoked(_) | GrantWarning::NotPersisted(_) => return None,
    };
    Some(token_finding(account, problem))
}

fn token_finding(account: &AccountConfig, problem: CheckProblem) -> CheckFinding {
    CheckFinding {
        check: Check::TokenExpiry,
        account_key: account.key.clone(),
        problem,
    }
}

/// The last working day before `today`, by the schedule's holidays and
/// closed days.
fn previous_working_day(schedule: &Schedule, today: NaiveDate) -> Option<NaiveDate> {
    (1..=WORKING_DAY_LOOKBACK_DAYS)
        .map(|back| today - Days::new(back))
        .find(|day| schedule.is_working_day(*day))
}

/// Accounts that no monitoring run read successfully on the last working
/// day. Only accounts the service was monitoring that day are held to it:
/// a run had tried to read them by the day's end (a new install or a
/// newly configured account is not due before its first run), and their
/// register's start date is not after it.
async fn no_successful_run(
    store: &Store,
    config: &Config,
    accounts: &[&AccountConfig],
    today: NaiveDate,
) -> Result<Vec<CheckFinding>, ChecksError> {
    let Some(day) = previous_working_day(&config.schedule, today) else {
        return Ok(Vec::new());
    };
    let timezone = config.schedule.timezone();
    let day_end = midnight(day + Days::new(1), timezone);
    let polled = store
        .accounts_polled_successfully(midnight(day, timezone), day_end)
        .await?;
    let monitored = store.accounts_monitored_before(day_end).await?;
    Ok(accounts
        .iter()
        .filter(|a| a.register.started.is_none_or(|started| started <= day))
        .filter(|a| monitored.contains(&a.key))
        .filter(|a| !polled.contains(&a.key))
        .map(|account| CheckFinding {
            check: Check::NoSuccessfulRun,
            account_key: account.key.clone(),
            problem: CheckProblem::NoSuccessfulRun { day },
        })
        .collect())
}

/// The names the account's department goes by: its configured name (the
/// key while the department is not configured).
fn department_names<'a>(config: &'a Config, account: &'a AccountConfig) -> Vec<&'a str> {
    match config.department(&account.department) {
        Some(department) => vec![department.name.as_str()],
        None => vec![account.department.as_str()],
    }
}

/// The account's profile, as read today, lacks basic information the
/// policy asks for; nothing when it was not read.
fn missing_basic_information(
    config: &Config,
    account: &AccountConfig,
    profiles: &ProfileReads,
) -> Option<CheckFinding> {
    let Some(ProfileRead::Read(profile)) = profiles.get(&account.key) else {
        return None;
    };
    let assessment = basic_info::assess(profile, &department_names(config, account));
    if assessment.missing.is_empty() {
        return None;
    }
    let platform = account.platform.display_name();
    Some(CheckFinding {
        check: Check::BasicInformation,
        account_key: account.key.clone(),
        problem: CheckProblem::MissingBasicInformation {
            missing: assessment
                .missing
                .iter()
                .map(|item| format!("{} saknas", item.label_sv()))
                .collect(),
            unverifiable: assessment
                .unverifiable
                .iter()
                .map(|(item, reason)| unverifiable_line(*item, platform, reason))
                .collect(),
        },
    })
}

/// "Kontaktuppgifter (…): kan inte kontrolleras på Instagram (reason)".
pub(super) fn unverifiable_line(item: ProfileItem, platform: &str, reason: &str) -> String {
    format!(
        "{}: kan inte kontrolleras på {platform} ({reason})",
        item.label_sv()
    )
}

/// Every item of basic information that cannot be checked on an account
/// read today, because its platform keeps it out of reach: what the
/// `checks` listing shows beside the findings.
pub fn unverifiable(config: &Config, profiles: &ProfileReads) -> Vec<Unverifiable> {
    config
        .accounts
        .iter()
        .filter_map(|account| match profiles.get(&account.key) {
            Some(ProfileRead::Read(profile)) => Some((account, profile)),
            _ => None,
        })
        .flat_map(|(account, profile)| {
            let assessment = basic_info::assess(profile, &department_names(config, account));
            let platform = account.platform.display_name();
            assessment
                .unverifiable
                .into_iter()
                .map(move |(item, reason)| Unverifiable {
                    account_key: account.key.clone(),
                    line: unverifiable_line(item, platform, reason),
                })
        })
        .collect()
}
