//! Office-hours monitoring slots (placeholder until the schedule part lands).

use chrono::{DateTime, NaiveDate, Utc};
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

/// When the service monitors: slots on working days, in the city's time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    timezone: Tz,
}

impl Schedule {
    /// Builds a schedule from cron slot expressions.
    pub fn new(
        timezone: Tz,
        _slots: &[String],
        _extra_closed_days: Vec<NaiveDate>,
    ) -> Result<Self, ScheduleError> {
        Ok(Self { timezone })
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
