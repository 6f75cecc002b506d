//! When the service monitors: the office-hours slots the policy asks for
//! ("bevakning tre gånger dagligen under kontorstid"), Swedish public
//! holidays, office time for answer deadlines, catch-up of a missed slot, and
//! the short around-the-clock interval of crisis mode.
//!
//! Slots are cron expressions (cron 0.17: 6 fields, seconds first) read in
//! the city's time zone. The cron iterator alone is not trusted around
//! daylight-saving changes: in the repeated autumn hour it can return times
//! out of UTC order, or before the reference time. So slots are computed day
//! by day in local time, a wall-clock time that occurs twice fires only at
//! its first occurrence, and every comparison is made in UTC.
//!
//! Which weekdays a slot fires on is the slot expression's business
//! (`Mon-Fri`); public holidays, de facto closed days and the configured
//! extra closed days are skipped whatever the expression says. Office time
//! (for answer deadlines) is Monday to Friday, not closed, between the
//! configured opening and closing times.
//!
//! [`due`] counts ticket deadlines in that office time.
//!
//! The nightly culling of the archive ([`CullSchedule`]) uses the same
//! day-by-day computation, but fires on every day of the year.
//!
//! Everything here is pure: time is passed in, so schedules and deadlines can
//! be tested on any date.

mod cull;
pub mod due;
mod holidays;
mod office;
mod slot_expression;

use std::collections::BTreeSet;
use std::iter;

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

pub use cull::{CULL_SCHEDULE_OFF, CullSchedule, DEFAULT_CULL_SCHEDULE};
pub use holidays::{Holiday, easter_sunday, swedish_holidays};

/// The slots the city's policy implies: three times daily in office hours.
pub const DEFAULT_SLOTS: [&str; 3] = [
    "0 30 8 * * Mon-Fri",
    "0 0 12 * * Mon-Fri",
    "0 30 15 * * Mon-Fri",
];

/// How far back [`Schedule::last_slot_at_or_before`] looks. Longer than any
/// run of closed days (Christmas with a weekend is five days) or any outage
/// worth catching up on: one catch-up run covers everything missed, because
/// the platforms are read from saved cursors.
pub const LOOKBACK_DAYS: usize = 40;

/// How far ahead [`Schedule::next_slot_after`] looks, so that a slot that
/// can never fire (a year in the past, a date that is always a holiday)
/// gives `None` instead of an endless search. Two years cover a slot that
/// fires once a year even when that day is closed one year.
pub const LOOKAHEAD_DAYS: usize = 800;

/// What [`Schedule::closed_reason`] says for an extra closed day from the config.
pub const EXTRA_CLOSED_DAY: &str = "extra stängd dag";

/// Why a schedule could not be built. Every problem is reported, so the
/// config can be fixed in one go.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ScheduleError {
    /// A slot expression cannot be used; `reason` says how to fix it.
    #[error("slot {index} ({expression:?}) is not a usable cron expression: {reason}")]
    BadSlot {
        /// Position of the slot in the list, counted from 0.
        index: usize,
        /// The expression as written.
        expression: String,
        /// Why it is wrong and what to write instead.
        reason: String,
    },
    /// No slots: the service would never monitor outside crisis mode.
    #[error(
        "no monitoring slots: the policy asks for monitoring three times daily in office hours; \
         list them as cron expressions, e.g. [\"0 30 8 * * Mon-Fri\", \"0 0 12 * * Mon-Fri\", \
         \"0 30 15 * * Mon-Fri\"]"
    )]
    NoSlots,
    /// Office hours that end before they start leave no time to answer in.
    #[error("office hours end ({end}) must be later than they start ({start})")]
    OfficeHoursEndBeforeStart {
        /// Configured start of office hours.
        start: NaiveTime,
        /// Configured end of office hours.
        end: NaiveTime,
    },
}

/// What the configuration says about the schedule, before validation.
#[derive(Debug, Clone)]
pub struct ScheduleSpec {
    /// The city's time zone (Europe/Stockholm).
    pub timezone: Tz,
    /// Cron expressions (6 fields, seconds first; day names such as
    /// `Mon-Fri`, not numbers) for the office-hours slots.
    pub slots: Vec<String>,
    /// Extra closed days besides the Swedish public holidays, e.g. a
    /// klämdag the city has closed.
    pub extra_closed_days: Vec<NaiveDate>,
    /// Start of office hours (for due times).
    pub office_start: NaiveTime,
    /// End of office hours (for due times).
    pub office_end: NaiveTime,
}

impl Default for ScheduleSpec {
    /// Stockholm: 08:30, 12:00 and 15:30 Monday to Friday, office hours
    /// 08:00–17:00.
    fn default() -> Self {
        Self {
            timezone: chrono_tz::Europe::Stockholm,
            slots: DEFAULT_SLOTS
                .iter()
                .map(|slot| (*slot).to_string())
                .collect(),
            extra_closed_days: Vec::new(),
            office_start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
            office_end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

/// When the service monitors: slots on days the offices are open, in the
/// city's time zone; and office time, for answer deadlines.
#[derive(Debug, Clone)]
pub struct Schedule {
    timezone: Tz,
    slots: Vec<cron::Schedule>,
    extra_closed_days: BTreeSet<NaiveDate>,
    office_start: NaiveTime,
    office_end: NaiveTime,
}

impl Schedule {
    /// Builds a schedule, reporting every bad slot and bad office hours at once.
    pub fn new(spec: ScheduleSpec) -> Result<Self, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        if spec.slots.is_empty() {
            errors.push(ScheduleError::NoSlots);
        }
        let mut slots = Vec::with_capacity(spec.slots.len());
        for (index, expression) in spec.slots.iter().enumerate() {
            match slot_expression::parse(expression) {
                Ok(slot) => slots.push(slot),
                Err(reason) => errors.push(ScheduleError::BadSlot {
                    index,
                    expression: expression.clone(),
                    reason,
                }),
            }
        }
        if spec.office_end <= spec.office_start {
            errors.push(ScheduleError::OfficeHoursEndBeforeStart {
                start: spec.office_start,
                end: spec.office_end,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            timezone: spec.timezone,
            slots,
            extra_closed_days: spec.extra_closed_days.into_iter().collect(),
            office_start: spec.office_start,
            office_end: spec.office_end,
        })
    }

    /// The time zone slots are written in.
    pub fn timezone(&self) -> Tz {
        self.timezone
    }

    /// The slot expressions as configured, for `check-config` and logs.
    pub fn slot_expressions(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(cron::Schedule::source)
    }

    /// The first slot strictly after `after`, so the daemon knows when to
    /// wake; `None` if no slot fires within [`LOOKAHEAD_DAYS`].
    pub fn next_slot_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        first_time_after(after, self.timezone, |day| self.slots_on(day))
    }

    /// The last slot at or before `at`, within [`LOOKBACK_DAYS`]: compared
    /// with the last completed run, it tells whether a slot was missed while
    /// the service was down.
    pub fn last_slot_at_or_before(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first_day = self.local_date(at).succ_opt()?;
        let latest_on = |day: NaiveDate| {
            self.slots_on(day)
                .into_iter()
                .rev()
                .find(|&slot| slot <= at)
        };
        let (day, found) = iter::successors(Some(first_day), |day| day.pred_opt())
            .take(LOOKBACK_DAYS + 2)
            .find_map(|day| latest_on(day).map(|slot| (day, slot)))?;
        let previous_day_slot = day.pred_opt().and_then(latest_on);
        Some(previous_day_slot.map_or(found, |previous| previous.max(found)))
    }

    /// Every slot after `from` and at or before `to`, in UTC order: for
    /// reports and for checking which runs a period should have had.
    pub fn slots_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        if to <= from {
            return Vec::new();
        }
        let (Some(first_day), Some(last_day)) = (
            self.local_date(from).pred_opt(),
            self.local_date(to).succ_opt(),
        ) else {
            return Vec::new();
        };
        let mut slots: Vec<DateTime<Utc>> = first_day
            .iter_days()
            .take_while(|day| *day <= last_day)
            .flat_map(|day| self.slots_on(day))
            .filter(|slot| from < *slot && *slot <= to)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// Whether `date` is a working day: Monday to Friday and not a holiday,
    /// de facto closed day or extra closed day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.closed_reason(date).is_none()
    }

    /// Why `date` is not a working day, in Swedish for moderators: the
    /// holiday's name ("midsommarafton"), "extra stängd dag", or the weekday
    /// ("lördag", "söndag"); `None` on a working day.
    pub fn closed_reason(&self, date: NaiveDate) -> Option<String> {
        self.slots_closed_reason(date)
            .or_else(|| weekend_day_name(date))
            .map(str::to_string)
    }

    /// Why no slot fires on `date` whatever its expression says: holidays
    /// and closed days, but not weekends, which the expression chooses.
    fn slots_closed_reason(&self, date: NaiveDate) -> Option<&'static str> {
        holidays::holiday_name(date).or_else(|| {
            self.extra_closed_days
                .contains(&date)
                .then_some(EXTRA_CLOSED_DAY)
        })
    }

    /// The slots on one local calendar day, in UTC order.
    fn slots_on(&self, day: NaiveDate) -> Vec<DateTime<Utc>> {
        if self.slots_closed_reason(day).is_some() {
            return Vec::new();
        }
        let mut slots: Vec<DateTime<Utc>> = self
            .slots
            .iter()
            .flat_map(|slot| first_occurrences_on(slot, self.timezone, day))
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// The calendar date of `t` in the city's time zone.
    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.timezone).date_naive()
    }
}

/// When the next crisis-mode run starts: at once if none has run yet or the
/// last one is more than `interval` ago, else `interval` after the last
/// start. A last start in the future (the clock was set back) waits at most
/// one interval from now. A zero interval means back-to-back runs, so the
/// config should not allow it.
pub fn next_crisis_run(
    last_run_start: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    interval: std::time::Duration,
) -> DateTime<Utc> {
    let Some(last_start) = last_run_start else {
        return now;
    };
    let interval = TimeDelta::from_std(interval).unwrap_or(TimeDelta::MAX);
    let latest = now
        .checked_add_signed(interval)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let due = last_start
        .checked_add_signed(interval)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    due.clamp(now, latest)
}

/// The first of the times `times_on` gives per local day that is strictly
/// after `after`, searching [`LOOKAHEAD_DAYS`] ahead; `times_on` must give a
/// day's times in UTC order.
fn first_time_after(
    after: DateTime<Utc>,
    timezone: Tz,
    times_on: impl Fn(NaiveDate) -> Vec<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let first_day = after.with_timezone(&timezone).date_naive().pred_opt()?;
    let earliest_on = |day: NaiveDate| times_on(day).into_iter().find(|&time| time > after);
    let (day, found) = first_day
        .iter_days()
        .take(LOOKAHEAD_DAYS + 2)
        .find_map(|day| earliest_on(day).map(|time| (day, time)))?;
    // A day's times are normally all before the next day's, but a zone
    // that changes its clocks around midnight could break that.
    let next_day_time = day.succ_opt().and_then(earliest_on);
    Some(next_day_time.map_or(found, |next| next.min(found)))
}

/// The times on local `day` at which `slot` fires, in UTC. A wall-clock time
/// that occurs twice (the repeated autumn hour) counts once, at its first
/// occurrence; one that does not occur (the skipped spring hour) not at all.
fn first_occurrences_on(slot: &cron::Schedule, timezone: Tz, day: NaiveDate) -> Vec<DateTime<Utc>> {
    let midnight = local_to_utc(timezone, day.and_time(NaiveTime::MIN));
    let Some(start) = midnight.checked_sub_signed(TimeDelta::seconds(1)) else {
        return Vec::new();
    };
    // The iterator's local wall-clock times never decrease, so the day's
    // times are one contiguous run and equal times are neighbours.
    let mut times: Vec<DateTime<Tz>> = slot
        .after(&start.with_timezone(&timezone))
        .skip_while(|t| t.date_naive() < day)
        .take_while(|t| t.date_naive() == day)
        .collect();
    times.dedup_by_key(|t| t.naive_local());
    times.iter().map(|t| t.with_timezone(&Utc)).collect()
}

/// The instant a local wall-clock time means: the first one if it occurs
/// twice, and the time the clock shows after jumping forward if it falls in
/// a skipped hour (02:30 on the spring change counts as 03:30).
fn local_to_utc(timezone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match timezone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => {
            let day_before = local
                .checked_sub_signed(TimeDelta::days(1))
                .unwrap_or(local);
            let offset_before_jump = timezone.offset_from_utc_datetime(&day_before).fix();
            let utc = local
                .checked_sub_signed(TimeDelta::seconds(i64::from(
                    offset_before_jump.local_minus_utc(),
                )))
                .unwrap_or(local);
            Utc.from_utc_datetime(&utc)
        }
    }
}

/// "lördag" or "söndag" for a weekend day.
fn weekend_day_name(date: NaiveDate) -> Option<&'static str> {
    match date.weekday() {
        Weekday::Sat => Some("lördag"),
        Weekday::Sun => Some("söndag"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
