//! The daily checks ([`super::checks`]) in the half-year report: per
//! account every finding that was open on some day of the period, with the
//! day it was first seen and whether it has cleared, and per platform the
//! items of basic information its API keeps out of reach, which the check
//! can never find missing. The communications unit then sees not only the
//! figures but what the service told each account's owner.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::checks::{Check, unverifiable_line};
use super::format;
use crate::domain::PlatformKind;
use crate::platforms::hidden_profile_items;
use crate::store::CheckFindingSpan;

/// What the report says of an account without findings.
pub const NO_FINDINGS: &str = "Inga anmärkningar";

/// A finding of a daily check that was open during the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodFinding {
    /// The check's stored name (`low_publishing` …).
    pub check_name: String,
    /// The check in Swedish ("för få inlägg två veckor i rad").
    pub title: String,
    /// The day the check first saw it.
    pub opened_on: NaiveDate,
    /// The first day it was no longer seen; `None` while still open.
    pub closed_on: Option<NaiveDate>,
}

impl PeriodFinding {
    /// Where it stands, in Swedish: "åtgärdad 2026-11-20" or "kvarstår".
    pub fn state(&self) -> String {
        self.closed_on.map_or_else(
            || "kvarstår".to_string(),
            |day| format!("åtgärdad {}", format::date(day)),
        )
    }

    /// The finding on one line, as the CSV lists it: "för få inlägg två
    /// veckor i rad (sedan 2026-11-23, kvarstår)".
    pub fn line(&self) -> String {
        format!(
            "{} (sedan {}, {})",
            self.title,
            format::date(self.opened_on),
            self.state()
        )
    }
}

impl From<CheckFindingSpan> for PeriodFinding {
    fn from(span: CheckFindingSpan) -> Self {
        let title = Check::from_name(&span.check_name).map_or_else(
            || span.check_name.clone(),
            |check| check.title().to_string(),
        );
        Self {
            check_name: span.check_name,
            title,
            opened_on: span.opened_on,
            closed_on: span.closed_on,
        }
    }
}

/// The findings of `spans` by account key, each account's in the order
/// they opened.
pub fn by_account(spans: Vec<CheckFindingSpan>) -> BTreeMap<String, Vec<PeriodFinding>> {
    let mut accounts: BTreeMap<String, Vec<PeriodFinding>> = BTreeMap::new();
    for span in spans {
        accounts
            .entry(span.account_key.clone())
            .or_default()
            .push(span.into());
    }
    accounts
}

/// What the basic-information check cannot see on `platform`, one line
/// per item: "Kontaktuppgifter (…): kan inte kontrolleras på Instagram
/// (kontaktknapparna … finns inte i Instagrams API)".
pub fn unverifiable(platform: PlatformKind) -> Vec<String> {
    hidden_profile_items(platform)
        .iter()
        .map(|hidden| unverifiable_line(hidden.item, platform.display_name(), hidden.reason))
        .collect()
}

/// [`unverifiable`] for each of `platforms` that keeps something out of
/// reach, each platform once, in the order given.
pub fn unverifiable_by_platform(
    platforms: impl IntoIterator<Item = PlatformKind>,
) -> Vec<(PlatformKind, Vec<String>)> {
    let mut seen: Vec<PlatformKind> = Vec::new();
    platforms
        .into_iter()
        .filter(|platform| {
            let new = !seen.contains(platform);
            seen.push(*platform);
            new
        })
        .map(|platform| (platform, unverifiable(platform)))
        .filter(|(_, lines)| !lines.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn a_finding_reads_as_its_check_in_swedish_with_its_days() {
        let span = |closed_on| CheckFindingSpan {
            check_name: "low_publishing".to_string(),
            account_key: "stad".to_string(),
            opened_on: day(16),
            closed_on,
        };
        let open = PeriodFinding::from(span(None));
        assert_eq!(
            open.line(),
            "för få inlägg två veckor i rad (sedan 2026-11-16, kvarstår)"
        );
        let cleared = PeriodFinding::from(span(Some(day(23))));
        assert_eq!(cleared.state(), "åtgärdad 2026-11-23");
    }

    #[test]
    fn only_platforms_that_keep_items_out_of_reach_are_listed_once_each() {
        let listed = unverifiable_by_platform([
            PlatformKind::Facebook,
            PlatformKind::Instagram,
            PlatformKind::Instagram,
        ]);
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].0, PlatformKind::Instagram);
        assert!(
            listed[0].1[0].contains("kan inte kontrolleras på Instagram"),
            "{listed:?}"
        );
    }
}
