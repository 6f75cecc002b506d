//! The policy's publishing rhythm: new posts "minst ett par gånger i
//! veckan", fewer in holidays. A week is judged only when the whole week is
//! in the report's period and none of its weekdays is a holiday or closed
//! day; an account is named when two judged weeks in a row fall below the
//! rhythm. A week of a break the account announced in a post
//! ([`super::breaks`]) is excepted too.

use chrono::{Days, NaiveDate};

use super::breaks::AnnouncedBreak;
use crate::schedule::Schedule;

/// Posts a week the policy's "a couple of times a week" asks for at least.
pub const MIN_POSTS_PER_WEEK: usize = 2;

/// How a report week counts for the rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekKind {
    /// A whole ordinary working week: judged.
    Ordinary,
    /// A weekday of it is a holiday or closed day: excepted.
    Holiday,
    /// Only part of it is in the period: not judged.
    Partial,
    /// The account announced a break covering part of it: excepted.
    AnnouncedBreak,
    /// The service had not yet read the account when the week began (a
    /// new install or a newly added account): nobody watched it, so it is
    /// not judged, as the daily check does not judge it.
    Unwatched,
}

/// `kinds` of `weeks` for one account: its ordinary weeks that began
/// before the service first read it (`watched[i]` is false) are not
/// judged.
pub fn with_watch(kinds: &[WeekKind], watched: &[bool]) -> Vec<WeekKind> {
    kinds
        .iter()
        .zip(watched)
        .map(|(kind, &watched)| {
            if *kind == WeekKind::Ordinary && !watched {
                WeekKind::Unwatched
            } else {
                *kind
            }
        })
        .collect()
}

/// `kinds` of `weeks` for one account: its ordinary weeks that one of
/// its announced `breaks` touches are excepted.
pub fn with_breaks(
    kinds: &[WeekKind],
    weeks: &[NaiveDate],
    breaks: &[AnnouncedBreak],
) -> Vec<WeekKind> {
    kinds
        .iter()
        .zip(weeks)
        .map(|(kind, monday)| {
            let on_break = breaks.iter().any(|b| b.touches_week(*monday));
            if *kind == WeekKind::Ordinary && on_break {
                WeekKind::AnnouncedBreak
            } else {
                *kind
            }
        })
        .collect()
}

/// The kind of each report week (`weeks` are Mondays) for the period
/// `first_day..=last_day`, by the schedule's working days.
pub fn week_kinds(
    weeks: &[NaiveDate],
    first_day: NaiveDate,
    last_day: NaiveDate,
    schedule: &Schedule,
) -> Vec<WeekKind> {
    weeks
        .iter()
        .map(|&monday| {
            let sunday = monday + Days::new(6);
            if monday < first_day || sunday > last_day {
                return WeekKind::Partial;
            }
            let holiday = monday
                .iter_days()
                .take(5)
                .any(|day| !schedule.is_working_day(day));
            if holiday {
                WeekKind::Holiday
            } else {
                WeekKind::Ordinary
            }
        })
        .collect()
}

/// The Mondays of each week that was the second of two ordinary weeks in a
/// row with fewer than [`MIN_POSTS_PER_WEEK`] posts.
pub fn two_weeks_below(
    posts_per_week: &[usize],
    kinds: &[WeekKind],
    weeks: &[NaiveDate],
) -> Vec<NaiveDate> {
    let below = |index: usize| {
        kinds.get(index) == Some(&WeekKind::Ordinary)
            && posts_per_week
                .get(index)
                .is_some_and(|n| *n < MIN_POSTS_PER_WEEK)
    };
    (1..weeks.len())
        .filter(|&index| below(index - 1) && below(index))
        .map(|index| weeks[index])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::ScheduleSpec;

    fn day(month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, d).unwrap_or_default()
    }

    fn schedule() -> Schedule {
        Schedule::new(ScheduleSpec::default()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn weeks_before_the_first_reading_are_not_judged() {
        let weeks = [day(11, 2), day(11, 9), day(11, 16), day(11, 23)];
        let ordinary = [WeekKind::Ordinary; 4];
        let kinds = with_watch(&ordinary, &[false, false, true, true]);
        assert_eq!(kinds[..2], [WeekKind::Unwatched; 2]);
        assert!(two_weeks_below(&[0, 0, 3, 2], &kinds, &weeks).is_empty());
        assert_eq!(
            two_weeks_below(&[0, 0, 0, 1], &kinds, &weeks),
            [day(11, 23)],
            "watched weeks are judged"
        );
    }

    #[test]
    fn holiday_and_partial_weeks_are_not_judged() {
        // 2026-12-14 … 2027-01-10: Christmas and New Year in the third
        // and fourth weeks; the period starts on a Wednesday.
        let weeks = [day(12, 7), day(12, 14), day(12, 21), day(12, 28)];
        let kinds = week_kinds(&weeks, day(12, 9), day(12, 31) + Days::new(10), &schedule());
        assert_eq!(
            kinds,
            [
                WeekKind::Partial,
                WeekKind::Ordinary,
                WeekKind::Holiday,
                WeekKind::Holiday
            ]
        );
    }

    #[test]
    fn two_ordinary_weeks_below_the_rhythm_in_a_row_are_named() {
        let weeks = [
            day(11, 2),
            day(11, 9),
            day(11, 16),
            day(11, 23),
            day(11, 30),
        ];
        let ordinary = [WeekKind::Ordinary; 5];
        assert_eq!(
            two_weeks_below(&[3, 1, 0, 2, 1], &ordinary, &weeks),
            [day(11, 16)]
        );
        assert!(two_weeks_below(&[2, 2, 5, 2, 3], &ordinary, &weeks).is_empty());
        let holiday_between = [
            WeekKind::Ordinary,
            WeekKind::Ordinary,
            WeekKind::Holiday,
            WeekKind::Ordinary,
            WeekKind::Ordinary,
        ];
        assert_eq!(
            two_weeks_below(&[1, 3, 0, 1, 2], &holiday_between, &weeks),
            Vec::<NaiveDate>::new(),
            "a holiday week is excepted and breaks the run"
        );
    }

    #[test]
    fn weeks_an_announced_break_touches_are_excepted() {
        let weeks = [day(11, 2), day(11, 9), day(11, 16), day(11, 23)];
        let announced = AnnouncedBreak {
            first_day: day(11, 12),
            last_day: day(11, 22),
        };
        let kinds = with_breaks(&[WeekKind::Ordinary; 4], &weeks, &[announced]);
        assert_eq!(
            kinds,
            [
                WeekKind::Ordinary,
                WeekKind::AnnouncedBreak,
                WeekKind::AnnouncedBreak,
                WeekKind::Ordinary
            ]
        );
        assert!(two_weeks_below(&[3, 1, 0, 2], &kinds, &weeks).is_empty());
    }
}
