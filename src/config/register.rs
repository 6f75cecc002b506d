//! The account register: what the social-media policy (KS 2018/1303) asks
//! the city to know about every account — purpose, measurable goals, target
//! groups, an appointed responsible person, when it started and whether it
//! is being closed — and reported to the communications unit in February and
//! September. Fields left out are not errors (older configurations must
//! still load) but gaps that `check-config` names, one per account and field.

use std::fmt;

use chrono::NaiveDate;

use super::AccountConfig;

/// Where an account is in its life, as the register reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum AccountStatus {
    /// In use.
    #[default]
    Active,
    /// Being closed: monitored until its closing date.
    Closing,
    /// Closed; no longer monitored for new posts.
    Closed,
}

impl AccountStatus {
    /// The name written in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Closing => "closing",
            Self::Closed => "closed",
        }
    }

    /// The Swedish word used in reports.
    pub fn swedish(self) -> &'static str {
        match self {
            Self::Active => "aktivt",
            Self::Closing => "avslutas",
            Self::Closed => "avslutat",
        }
    }

    /// Parses the configuration's name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "active" => Some(Self::Active),
            "closing" => Some(Self::Closing),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// The person appointed responsible for an account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponsiblePerson {
    /// Full name, as the register shows it.
    pub name: Option<String>,
    /// Address that findings about the account go to.
    pub email: Option<String>,
}

/// An account's register fields, as configured; `None` and empty lists
/// are gaps ([`AccountRegister::gaps`]), not errors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountRegister {
    /// A short description (what the public can expect).
    pub description: Option<String>,
    /// Measurable goals.
    pub goals: Vec<String>,
    /// Identified target groups.
    pub target_groups: Vec<String>,
    /// The appointed responsible person.
    pub responsible: ResponsiblePerson,
    /// The day the account was started.
    pub started: Option<NaiveDate>,
    /// Its status as written; `None` is taken as active but named as a gap.
    pub status: Option<AccountStatus>,
    /// The day it closes or closed (needed when closing or closed).
    pub closing_date: Option<NaiveDate>,
}

impl AccountRegister {
    /// The status the service acts on: active unless written otherwise.
    pub fn status(&self) -> AccountStatus {
        self.status.unwrap_or_default()
    }

    /// The register fields this account lacks, in the order of the file.
    pub fn gaps(&self) -> Vec<RegisterField> {
        let mut gaps = Vec::new();
        let mut lacks = |missing: bool, field: RegisterField| {
            if missing {
                gaps.push(field);
            }
        };
        lacks(self.goals.is_empty(), RegisterField::Goals);
        lacks(self.target_groups.is_empty(), RegisterField::TargetGroups);
        lacks(
            self.responsible.name.is_none(),
            RegisterField::ResponsibleName,
        );
        lacks(
            self.responsible.email.is_none(),
            RegisterField::ResponsibleEmail,
        );
        lacks(self.started.is_none(), RegisterField::Started);
        lacks(self.status.is_none(), RegisterField::Status);
        lacks(
            self.status() != AccountStatus::Active && self.closing_date.is_none(),
            RegisterField::ClosingDate,
        );
        gaps
    }
}

/// A register field an account can lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterField {
    /// `goals`
    Goals,
    /// `target_groups`
    TargetGroups,
    /// `responsible.name`
    ResponsibleName,
    /// `responsible.email`
    ResponsibleEmail,
    /// `started`
    Started,
    /// `status`
    Status,
    /// `closing_date` (only for closing and closed accounts)
    ClosingDate,
}

impl RegisterField {
    /// The key as written in the configuration.
    pub fn key(self) -> &'static str {
        match self {
            Self::Goals => "goals",
            Self::TargetGroups => "target_groups",
            Self::ResponsibleName => "responsible.name",
            Self::ResponsibleEmail => "responsible.email",
            Self::Started => "started",
            Self::Status => "status",
            Self::ClosingDate => "closing_date",
        }
    }

    /// What is missing, in Swedish, for the people who keep the register.
    pub fn swedish(self) -> &'static str {
        match self {
            Self::Goals => "mätbara mål saknas",
            Self::TargetGroups => "målgrupper saknas",
            Self::ResponsibleName => "namn på utsedd ansvarig saknas",
            Self::ResponsibleEmail => "e-postadress till utsedd ansvarig saknas",
            Self::Started => "startdatum saknas",
            Self::Status => "status (active/closing/closed) saknas",
            Self::ClosingDate => "avslutsdatum saknas för ett konto som avslutas",
        }
    }

    /// What is missing, in English, for operators.
    pub fn english(self) -> &'static str {
        match self {
            Self::Goals => "measurable goals are missing",
            Self::TargetGroups => "target groups are missing",
            Self::ResponsibleName => "the responsible person's name is missing",
            Self::ResponsibleEmail => "the responsible person's e-mail address is missing",
            Self::Started => "the start date is missing",
            Self::Status => "the status (active/closing/closed) is missing",
            Self::ClosingDate => "the closing date of a closing or closed account is missing",
        }
    }
}

/// One account lacking one register field: a warning line of `check-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterGap {
    /// The account's key.
    pub account: String,
    /// The field it lacks.
    pub field: RegisterField,
}

impl fmt::Display for RegisterGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: accounts \"{}\": {}: {} / {}",
            self.account,
            self.field.key(),
            self.field.swedish(),
            self.field.english()
        )
    }
}

/// Every register gap of every account, account by account.
pub fn register_gaps(accounts: &[AccountConfig]) -> Vec<RegisterGap> {
    accounts
        .iter()
        .flat_map(|account| {
            account
                .register
                .gaps()
                .into_iter()
                .map(|field| RegisterGap {
                    account: account.key.clone(),
                    field,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> AccountRegister {
        AccountRegister {
            description: Some("Nyheter från staden".into()),
            goals: vec!["Nå 10 000 följare".into()],
            target_groups: vec!["Stockholmare".into()],
            responsible: ResponsiblePerson {
                name: Some("Anna Andersson".into()),
                email: Some("anna.andersson@stockholm.se".into()),
            },
            started: NaiveDate::from_ymd_opt(2019, 3, 1),
            status: Some(AccountStatus::Active),
            closing_date: None,
        }
    }

    #[test]
    fn a_complete_active_account_has_no_gaps() {
        assert!(complete().gaps().is_empty());
    }

    #[test]
    fn an_empty_register_lacks_everything_but_the_closing_date() {
        assert_eq!(
            AccountRegister::default().gaps(),
            [
                RegisterField::Goals,
                RegisterField::TargetGroups,
                RegisterField::ResponsibleName,
                RegisterField::ResponsibleEmail,
                RegisterField::Started,
                RegisterField::Status,
            ]
        );
    }

    #[test]
    fn a_closing_account_needs_its_closing_date() {
        let closing = AccountRegister {
            status: Some(AccountStatus::Closing),
            ..complete()
        };
        assert_eq!(closing.gaps(), [RegisterField::ClosingDate]);
        let dated = AccountRegister {
            closing_date: NaiveDate::from_ymd_opt(2027, 1, 31),
            ..closing
        };
        assert!(dated.gaps().is_empty());
    }
}
