//! The register part of the report: the department's accounts as the
//! policy asks them reported — new, existing and closed — with name,
//! platform, link, description and purpose, goals, target groups and the
//! appointed responsible person.

use chrono::NaiveDate;

use crate::config::{AccountConfig, AccountStatus, Config};

/// Which list of the report an account is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegisterGroup {
    /// Started in the period.
    New,
    /// Started before the period and not closed in it.
    Existing,
    /// Closed in the period.
    Closed,
}

impl RegisterGroup {
    /// The list's Swedish heading.
    pub fn swedish(self) -> &'static str {
        match self {
            Self::New => "Nystartade konton",
            Self::Existing => "Befintliga konton",
            Self::Closed => "Avslutade konton",
        }
    }

    /// The one-word Swedish label used in the CSV.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "nystartat",
            Self::Existing => "befintligt",
            Self::Closed => "avslutat",
        }
    }
}

/// One account in the register.
#[derive(Debug, Clone)]
pub struct RegisterRow {
    /// Its list.
    pub group: RegisterGroup,
    /// The configured account.
    pub account: AccountConfig,
    /// The owning department's name.
    pub department_name: String,
}

impl RegisterRow {
    /// What the status column shows: `aktivt`, `avslutas 2027-03-31`, …
    pub fn status_text(&self) -> String {
        let register = &self.account.register;
        match (register.status(), register.closing_date) {
            (AccountStatus::Active, _) => AccountStatus::Active.swedish().to_string(),
            (status, Some(date)) => format!("{} {date}", status.swedish()),
            (status, None) => status.swedish().to_string(),
        }
    }
}

/// The register of `accounts` for the period `first_day..=last_day`:
/// closed accounts only when they closed in the period (or before it is
/// not known when), each list in the configuration's order.
pub fn register_rows(
    config: &Config,
    accounts: &[&AccountConfig],
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> Vec<RegisterRow> {
    let mut rows: Vec<RegisterRow> = accounts
        .iter()
        .filter_map(|account| {
            group_of(account, first_day, last_day).map(|group| RegisterRow {
                group,
                account: AccountConfig::clone(account),
                department_name: config
                    .department(&account.department)
                    .map_or_else(|| account.department.clone(), |d| d.name.clone()),
            })
        })
        .collect();
    rows.sort_by_key(|row| row.group);
    rows
}

fn group_of(
    account: &AccountConfig,
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> Option<RegisterGroup> {
    let register = &account.register;
    if register.status() == AccountStatus::Closed {
        let closed_before = register.closing_date.is_some_and(|d| d < first_day);
        return (!closed_before).then_some(RegisterGroup::Closed);
    }
    match register.started {
        Some(started) if started > last_day => None,
        Some(started) if started >= first_day => Some(RegisterGroup::New),
        _ => Some(RegisterGroup::Existing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AccountRegister;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn register(
        started: Option<NaiveDate>,
        status: AccountStatus,
        closing: Option<NaiveDate>,
    ) -> AccountRegister {
        AccountRegister {
            started,
            status: Some(status),
            closing_date: closing,
            ..AccountRegister::default()
        }
    }

    #[test]
    fn accounts_fall_into_new_existing_and_closed() {
        let (first, last) = (day(2026, 9, 1), day(2027, 1, 31));
        let cases = [
            (
                register(Some(day(2026, 10, 1)), AccountStatus::Active, None),
                Some(RegisterGroup::New),
            ),
            (
                register(Some(day(2019, 1, 1)), AccountStatus::Active, None),
                Some(RegisterGroup::Existing),
            ),
            (
                register(None, AccountStatus::Closing, Some(day(2027, 6, 1))),
                Some(RegisterGroup::Existing),
            ),
            (
                register(
                    Some(day(2019, 1, 1)),
                    AccountStatus::Closed,
                    Some(day(2026, 12, 1)),
                ),
                Some(RegisterGroup::Closed),
            ),
            (
                register(
                    Some(day(2019, 1, 1)),
                    AccountStatus::Closed,
                    Some(day(2026, 3, 1)),
                ),
                None,
            ),
            (
                register(Some(day(2027, 3, 1)), AccountStatus::Active, None),
                None,
            ),
        ];
        for (index, (register, expected)) in cases.into_iter().enumerate() {
            let account = crate::config::AccountConfig {
                register,
                ..test_account()
            };
            assert_eq!(group_of(&account, first, last), expected, "case {index}");
        }
    }

    fn test_account() -> AccountConfig {
        AccountConfig {
            key: "k".into(),
            platform: crate::domain::PlatformKind::Facebook,
            platform_id: "1".into(),
            name: "K".into(),
            department: "slk".into(),
            moderators: vec![],
            purpose: "p".into(),
            link: None,
            register: AccountRegister::default(),
            token: None,
            api_base_url: "http://127.0.0.1:1".into(),
            api_version: "v24.0".into(),
            dry_run: false,
            review_unread_languages: true,
            oauth: None,
            quota_project: None,
        }
    }
}
