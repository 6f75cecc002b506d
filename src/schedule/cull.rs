//! When the daemon culls the archive (gallring): one cron expression in the
//! city's time zone, every day of the year — retention periods run out on
//! holidays too, so unlike the monitoring slots no day is skipped.
//!
//! The default is 03:30, not 02:30: in Europe/Stockholm the night of the
//! spring change has no 02:00–03:00, and a time in that hour never fires
//! (see the module documentation of [`super`]); 03:30 exists every night and
//! occurs only once in autumn, and it is far from the office-hours slots.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{first_occurrences_on, first_time_after, slot_expression};

/// Nightly at 03:30 local time.
pub const DEFAULT_CULL_SCHEDULE: &str = "0 30 3 * * *";

/// The value of `retention.cull_schedule` that turns scheduled culling off,
/// for installations that cull by hand (`kommentarsvakt archive cull`).
pub const CULL_SCHEDULE_OFF: &str = "off";

/// The times at which the daemon culls what is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CullSchedule {
    timezone: Tz,
    expression: cron::Schedule,
}

impl CullSchedule {
    /// Reads the expression (6 fields, seconds first, day names rather than
    /// numbers) or says in plain words how to fix it.
    pub fn new(expression: &str, timezone: Tz) -> Result<Self, String> {
        Ok(Self {
            timezone,
            expression: slot_expression::parse(expression)?,
        })
    }

    /// The expression as configured, for logs.
    pub fn expression(&self) -> &str {
        self.expression.source()
    }

    /// The first culling time strictly after `after`, so the daemon knows
    /// when to wake; `None` if the expression never fires again.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        first_time_after(after, self.timezone, |day| self.times_on(day))
    }

    /// The latest time at or before `at` on `at`'s own day (in the city's
    /// time zone), if the expression fired earlier that day: a daemon
    /// started after it has missed that day's work and does it at start.
    pub fn passed_earlier_today(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let day = at.with_timezone(&self.timezone).date_naive();
        self.times_on(day).into_iter().rfind(|time| *time <= at)
    }

    fn times_on(&self, day: NaiveDate) -> Vec<DateTime<Utc>> {
        first_occurrences_on(&self.expression, self.timezone, day)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    use super::*;

    fn sthlm(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Stockholm
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn nightly() -> CullSchedule {
        CullSchedule::new(DEFAULT_CULL_SCHEDULE, Stockholm).unwrap()
    }

    #[test]
    fn the_default_culls_every_night_holidays_and_weekends_included() {
        let schedule = nightly();
        // Christmas Eve 2026 is a Thursday and a closed day.
        let mut at = sthlm(2026, 12, 23, 12, 0);
        let mut nights = Vec::new();
        for _ in 0..4 {
            at = schedule.next_after(at).unwrap();
            nights.push(at);
        }
        assert_eq!(
            nights,
            [
                sthlm(2026, 12, 24, 3, 30),
                sthlm(2026, 12, 25, 3, 30),
                sthlm(2026, 12, 26, 3, 30),
                sthlm(2026, 12, 27, 3, 30),
            ]
        );
    }

    #[test]
    fn the_default_time_fires_once_on_both_daylight_saving_nights() {
        let schedule = nightly();
        // 29 March 2026: the clock jumps from 02:00 to 03:00.
        let spring = schedule.next_after(sthlm(2026, 3, 28, 12, 0)).unwrap();
        assert_eq!(spring, sthlm(2026, 3, 29, 3, 30));
        // 25 October 2026: 02:00–03:00 comes twice; 03:30 once.
        let autumn = schedule.next_after(sthlm(2026, 10, 24, 12, 0)).unwrap();
        assert_eq!(autumn, sthlm(2026, 10, 25, 3, 30));
        assert_eq!(
            schedule.next_after(autumn).unwrap(),
            sthlm(2026, 10, 26, 3, 30)
        );
    }

    #[test]
    fn a_time_in_the_repeated_autumn_hour_fires_at_its_first_occurrence_only() {
        let schedule = CullSchedule::new("0 30 2 * * *", Stockholm).unwrap();
        let first = schedule.next_after(sthlm(2026, 10, 24, 12, 0)).unwrap();
        assert_eq!(first, sthlm(2026, 10, 25, 2, 30));
        assert_eq!(
            schedule.next_after(first).unwrap(),
            sthlm(2026, 10, 26, 2, 30),
            "not again an hour later"
        );
    }

    #[test]
    fn a_unix_crontab_expression_is_refused_with_the_corrected_form() {
        let error = CullSchedule::new("30 3 * * *", Stockholm).unwrap_err();
        assert!(error.contains("\"0 30 3 * * *\""), "{error}");
    }

    #[test]
    fn a_time_passed_earlier_the_same_day_is_found_and_yesterdays_is_not() {
        let weekday_mornings = CullSchedule::new("0 0 7 * * Mon-Fri", Stockholm).unwrap();
        // Monday 23 November 2026.
        assert_eq!(
            weekday_mornings.passed_earlier_today(sthlm(2026, 11, 23, 10, 0)),
            Some(sthlm(2026, 11, 23, 7, 0))
        );
        assert_eq!(
            weekday_mornings.passed_earlier_today(sthlm(2026, 11, 23, 6, 59)),
            None,
            "not yet today, and yesterday's does not count"
        );
        assert_eq!(
            weekday_mornings.passed_earlier_today(sthlm(2026, 11, 22, 10, 0)),
            None,
            "no checks on Sundays"
        );
    }
}
