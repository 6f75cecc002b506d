//! When a ticket is due. The policy and förvaltningslagen ask that questions
//! are answered "during office hours without undue delay", so deadlines are
//! counted in office time: evenings, weekends and holidays do not count.
//!
//! A deadline is configured per ticket kind under `[tickets.due]`, in one of
//! these forms (case and surrounding spaces do not matter):
//!
//! | written | due |
//! |---|---|
//! | `immediately` | at once (the ticket is urgent) |
//! | `end of working day` | today's closing time, or the next working day's if the offices are closed |
//! | `end of next working day` | the closing time of the working day after that |
//! | `N working days` | the closing time N working days after today (`1 working day` = end of next working day) |
//! | `N office hours`, `N office minutes` | N hours (minutes) of office time from now |

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Schedule;

use crate::domain::TicketKind;

/// How a ticket's due time is computed from the moment it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueRule {
    /// Due at once.
    Immediately,
    /// At the closing time of a working day: `0` = today's (or the next
    /// working day's when closed now), each further day one working day on.
    EndOfWorkingDay(u32),
    /// After this much office time.
    OfficeTime(Duration),
}

/// Why a written deadline was not understood; the message shows the forms
/// that work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a deadline; write \"immediately\", \"end of working day\", \"end of next \
     working day\", \"N working days\", \"N office hours\" or \"N office minutes\""
)]
pub struct DueRuleError(pub String);

/// Longest deadline accepted, in working days: anything longer is almost
/// certainly a typo, and the policy asks for answers without undue delay.
const MAX_WORKING_DAYS: u32 = 60;

impl DueRule {
    /// The deadline used when `[tickets.due]` does not name the kind: urgent
    /// concerns at once, questions and police-report decisions by the end of
    /// the next working day, registration and case handling within two.
    pub fn default_for(kind: TicketKind) -> DueRule {
        match kind {
            TicketKind::ChildWelfareConcern => DueRule::Immediately,
            TicketKind::PoliceReportConsideration | TicketKind::QuestionToAnswer => {
                DueRule::EndOfWorkingDay(1)
            }
            TicketKind::RemovedContentRegistration | TicketKind::CaseMatter => {
                DueRule::EndOfWorkingDay(2)
            }
        }
    }

    /// Reads a deadline written in one of the forms in the module docs.
    pub fn parse(text: &str) -> Result<DueRule, DueRuleError> {
        let normalised = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = normalised.to_lowercase();
        let fail = || DueRuleError(text.trim().to_string());
        match lower.as_str() {
            "immediately" => return Ok(DueRule::Immediately),
            "end of working day" | "end of this working day" => {
                return Ok(DueRule::EndOfWorkingDay(0));
            }
            "end of next working day" => return Ok(DueRule::EndOfWorkingDay(1)),
            _ => {}
        }
        let (count, unit) = lower.split_once(' ').ok_or_else(fail)?;
        let count: u32 = count.parse().map_err(|_| fail())?;
        match unit {
            "working day" | "working days" if (1..=MAX_WORKING_DAYS).contains(&count) => {
                Ok(DueRule::EndOfWorkingDay(count))
            }
            "office hour" | "office hours" if (1..=MAX_WORKING_DAYS * 24).contains(&count) => Ok(
                DueRule::OfficeTime(Duration::from_secs(u64::from(count) * 3600)),
            ),
            "office minute" | "office minutes"
                if (1..=MAX_WORKING_DAYS * 24 * 60).contains(&count) =>
            {
                Ok(DueRule::OfficeTime(Duration::from_secs(
                    u64::from(count) * 60,
                )))
            }
            _ => Err(fail()),
        }
    }

    /// The due time of a ticket opened at `opened`.
    pub fn due_at(self, schedule: &Schedule, opened: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            DueRule::Immediately => opened,
            DueRule::EndOfWorkingDay(days) => schedule.end_of_working_day_after(opened, days),
            DueRule::OfficeTime(duration) => schedule.add_office_time(opened, duration),
        }
    }
}

impl fmt::Display for DueRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DueRule::Immediately => write!(f, "immediately"),
            DueRule::EndOfWorkingDay(0) => write!(f, "end of working day"),
            DueRule::EndOfWorkingDay(1) => write!(f, "end of next working day"),
            DueRule::EndOfWorkingDay(n) => write!(f, "{n} working days"),
            DueRule::OfficeTime(d) if d.as_secs() % 3600 == 0 => {
                write!(f, "{} office hours", d.as_secs() / 3600)
            }
            DueRule::OfficeTime(d) => write!(f, "{} office minutes", d.as_secs() / 60),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    use super::*;
    use crate::schedule::ScheduleSpec;

    fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Stockholm
            .with_ymd_and_hms(y, m, d, h, mi, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn schedule() -> Schedule {
        Schedule::new(ScheduleSpec::default()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn every_documented_form_parses_and_prints_back() {
        for (text, rule) in [
            ("immediately", DueRule::Immediately),
            ("End of working day", DueRule::EndOfWorkingDay(0)),
            ("end of next  working day", DueRule::EndOfWorkingDay(1)),
            ("1 working day", DueRule::EndOfWorkingDay(1)),
            ("3 working days", DueRule::EndOfWorkingDay(3)),
            (
                "4 office hours",
                DueRule::OfficeTime(Duration::from_secs(4 * 3600)),
            ),
            (
                "90 office minutes",
                DueRule::OfficeTime(Duration::from_secs(90 * 60)),
            ),
        ] {
            assert_eq!(DueRule::parse(text), Ok(rule), "{text}");
            assert_eq!(DueRule::parse(&rule.to_string()), Ok(rule), "{rule}");
        }
    }

    #[test]
    fn unclear_deadlines_are_refused_with_the_forms_that_work() {
        for text in [
            "",
            "1 day",
            "24h",
            "0 working days",
            "tomorrow",
            "-1 office hours",
            "999 working days",
        ] {
            let err = DueRule::parse(text).err();
            assert!(
                err.as_ref()
                    .is_some_and(|e| e.to_string().contains("N office hours")),
                "{text}: {err:?}"
            );
        }
    }

    #[test]
    fn question_asked_on_friday_evening_is_due_at_monday_closing() {
        // Friday 20 November 2026, 18:00: after closing.
        let due = DueRule::EndOfWorkingDay(0).due_at(&schedule(), local(2026, 11, 20, 18, 0));
        assert_eq!(due, local(2026, 11, 23, 17, 0));
        let next = DueRule::EndOfWorkingDay(1).due_at(&schedule(), local(2026, 11, 20, 18, 0));
        assert_eq!(next, local(2026, 11, 24, 17, 0));
    }

    #[test]
    fn office_hours_skip_christmas() {
        // Wednesday 23 December 2026, 15:00; 24–26 Dec are closed, 27th is Sunday.
        let due = DueRule::OfficeTime(Duration::from_secs(4 * 3600))
            .due_at(&schedule(), local(2026, 12, 23, 15, 0));
        assert_eq!(due, local(2026, 12, 28, 10, 0));
    }

    #[test]
    fn defaults_make_child_welfare_urgent() {
        let now = local(2026, 11, 23, 10, 0);
        assert_eq!(
            DueRule::default_for(TicketKind::ChildWelfareConcern).due_at(&schedule(), now),
            now
        );
        assert_eq!(
            DueRule::default_for(TicketKind::QuestionToAnswer).due_at(&schedule(), now),
            local(2026, 11, 24, 17, 0)
        );
    }
}
