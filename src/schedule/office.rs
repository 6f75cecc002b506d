//! Office time, for answer deadlines: förvaltningslagen and the policy ask
//! that questions are answered in office hours without undue delay, so a
//! deadline counts only the hours the offices are open — Monday to Friday,
//! not on holidays or closed days, between the configured opening and
//! closing times in the city's time zone.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};

use super::{Schedule, local_to_utc};

/// How far [`Schedule::add_office_time`] searches before it calls a deadline
/// "never" (the far future): a century, far beyond any configured deadline.
const OFFICE_TIME_HORIZON_DAYS: u64 = 36_525;

impl Schedule {
    /// Whether the offices are open at `t`, e.g. to decide whether an
    /// unanswered question's clock is running.
    pub fn is_office_time(&self, t: DateTime<Utc>) -> bool {
        let day = self.local_date(t);
        self.is_working_day(day) && {
            let (open, close) = self.office_hours_on(day);
            open <= t && t < close
        }
    }

    /// The closing time of a working day: with `working_days` = 0, today's
    /// if `t` is before today's closing time on a working day, else the next
    /// working day's; each further working day moves it one working day on.
    /// For deadlines written as "by the end of the next working day".
    pub fn end_of_working_day_after(&self, t: DateTime<Utc>, working_days: u32) -> DateTime<Utc> {
        let today = self.local_date(t);
        let still_open_today = self.is_working_day(today) && t < self.office_hours_on(today).1;
        let mut day = if still_open_today {
            Some(today)
        } else {
            self.next_working_day_after(today)
        };
        for _ in 0..working_days {
            day = day.and_then(|d| self.next_working_day_after(d));
        }
        day.map_or(DateTime::<Utc>::MAX_UTC, |d| self.office_hours_on(d).1)
    }

    /// `t` plus `duration` of office time: only the hours the offices are
    /// open count, so a four-hour deadline set on Friday afternoon runs into
    /// Monday. From outside office hours, counting starts at the next
    /// opening (so a zero duration gives that opening). A deadline that does
    /// not end within a century gives the far future.
    pub fn add_office_time(
        &self,
        t: DateTime<Utc>,
        duration: std::time::Duration,
    ) -> DateTime<Utc> {
        let mut remaining = TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX);
        let first_day = self.local_date(t);
        let horizon = first_day
            .checked_add_days(Days::new(OFFICE_TIME_HORIZON_DAYS))
            .unwrap_or(NaiveDate::MAX);
        for day in first_day.iter_days().take_while(|day| *day <= horizon) {
            if !self.is_working_day(day) {
                continue;
            }
            let (open, close) = self.office_hours_on(day);
            let start = open.max(t);
            if start >= close {
                continue;
            }
            let available = close - start;
            if remaining <= available {
                return start.checked_add_signed(remaining).unwrap_or(close);
            }
            remaining -= available;
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// Opening and closing time of the offices on local `day`.
    fn office_hours_on(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            local_to_utc(self.timezone, day.and_time(self.office_start)),
            local_to_utc(self.timezone, day.and_time(self.office_end)),
        )
    }

    /// The first working day after `day`; `None` only at the end of the
    /// calendar.
    fn next_working_day_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        day.succ_opt()?
            .iter_days()
            .find(|candidate| self.is_working_day(*candidate))
    }
}
