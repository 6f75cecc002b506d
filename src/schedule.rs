//! Office-hours monitoring slots (placeholder until the schedule part lands).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// Why a schedule could not be built.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ScheduleError {
    /// A slot expression is not a valid cron expression.
    #[error("slot {index} ({expression:?}) is not a valid cron expression: {reason}")]
    BadSlot {
        /// Position of the slot in the list.
        index: usize,
        /// The expression as written.
        expression: String,
        /// Why it is wrong.
        reason: String,
    },
}

/// What the configuration says about the schedule, before validation.
#[derive(Debug, Clone)]
pub struct ScheduleSpec {
    /// The city's time zone (Europe/Stockholm).
    pub timezone: Tz,
    /// Cron expressions (6 fields, seconds first) for the office-hours slots.
    pub slots: Vec<String>,
    /// Extra closed days besides the Swedish public holidays.
    pub extra_closed_days: Vec<NaiveDate>,
    /// Start of office hours (for due times).
    pub office_start: NaiveTime,
    /// End of office hours (for due times).
    pub office_end: NaiveTime,
}

/// When the service monitors: slots on working days, in the city's time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    timezone: Tz,
}

impl Schedule {
    /// Builds a schedule from cron slot expressions.
    pub fn new(spec: ScheduleSpec) -> Result<Self, Vec<ScheduleError>> {
        Ok(Self {
            timezone: spec.timezone,
        })
    }

    /// The time zone slots are written in.
    pub fn timezone(&self) -> Tz {
        self.timezone
    }

    /// The first slot strictly after `after`.
    pub fn next_slot_after(&self, _after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        None
    }

    /// The last slot at or before `at`.
    pub fn last_slot_at_or_before(&self, _at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        None
    }
}
