//! Proof of oversight: every monitoring slot the schedule required in the
//! period, next to the run (from the poll-run log) that covered it — on
//! time, as a start-up catch-up, or by crisis mode's interval — and every
//! missed slot with the run that later collected what it would have. The
//! crisis periods are listed apart, run by run grouped into stretches.

use chrono::{DateTime, TimeDelta, Utc};

use crate::store::{RunRow, RunTrigger};

/// How a required slot was covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// The slot's own run.
    OnTime(RunRef),
    /// Missed while the service was down; run at start-up, stamped with
    /// the slot.
    CaughtUp(RunRef),
    /// Crisis mode ran instead, within one crisis interval of the slot.
    Crisis(RunRef),
    /// No run; `collected_by` is the first run after the slot, which
    /// collected what the slot would have (a run collects everything since
    /// the previous one), if there was one.
    Missed {
        /// The first later run, if any.
        collected_by: Option<RunRef>,
    },
}

impl Coverage {
    /// The run named in the table, if any.
    pub fn run(&self) -> Option<&RunRef> {
        match self {
            Self::OnTime(run) | Self::CaughtUp(run) | Self::Crisis(run) => Some(run),
            Self::Missed { collected_by } => collected_by.as_ref(),
        }
    }

    /// The Swedish words of the table's "täckning" column.
    pub fn swedish(&self) -> &'static str {
        match self {
            Self::OnTime(_) => "i tid",
            Self::CaughtUp(_) => "ikappkörd vid start",
            Self::Crisis(_) => "krisläge",
            Self::Missed {
                collected_by: Some(_),
            } => "missad, hämtad i efterföljande körning",
            Self::Missed { collected_by: None } => "missad",
        }
    }

    /// Whether the slot went without a run of its own.
    pub fn is_missed(&self) -> bool {
        matches!(self, Self::Missed { .. })
    }
}

/// A run as the oversight table names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRef {
    /// The run's id in the poll-run log.
    pub id: i64,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// `completed`, `partial`, `interrupted` or `running`.
    pub status: String,
}

impl RunRef {
    fn of(run: &RunRow) -> Self {
        Self {
            id: run.id,
            started_at: run.started_at,
            status: run.status.clone(),
        }
    }
}

/// One row of the oversight table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRow {
    /// The required slot.
    pub slot: DateTime<Utc>,
    /// How it was covered.
    pub coverage: Coverage,
}

/// A stretch of crisis-mode runs with no ordinary run between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisPeriod {
    /// The first crisis run's start.
    pub first_run: DateTime<Utc>,
    /// The last crisis run's start.
    pub last_run: DateTime<Utc>,
    /// How many runs it had.
    pub runs: usize,
}

/// The proof of oversight for a period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Oversight {
    /// Every required slot, in order.
    pub slots: Vec<SlotRow>,
    /// The crisis stretches, in order.
    pub crisis_periods: Vec<CrisisPeriod>,
}

impl Oversight {
    /// Matches the required `slots` with the `runs` of the poll-run log
    /// (oldest first, from the period's start on; later runs may have
    /// collected a missed slot). A crisis run covers a slot when it started
    /// within `crisis_interval` of it, as the service's loop counts it. The
    /// crisis periods are those of the runs started before `period_end`.
    pub fn from_log(
        slots: &[DateTime<Utc>],
        runs: &[RunRow],
        crisis_interval: TimeDelta,
        period_end: DateTime<Utc>,
    ) -> Self {
        let rows = slots
            .iter()
            .map(|&slot| SlotRow {
                slot,
                coverage: coverage(slot, runs, crisis_interval),
            })
            .collect();
        let in_period: Vec<RunRow> = runs
            .iter()
            .filter(|run| run.started_at < period_end)
            .cloned()
            .collect();
        Self {
            slots: rows,
            crisis_periods: crisis_periods(&in_period),
        }
    }

    /// The slots that went without a run of their own.
    pub fn missed(&self) -> usize {
        self.slots.iter().filter(|r| r.coverage.is_missed()).count()
    }
}

fn coverage(slot: DateTime<Utc>, runs: &[RunRow], crisis_interval: TimeDelta) -> Coverage {
    let stamped = |trigger: RunTrigger| {
        runs.iter()
            .find(|run| run.trigger == trigger && run.slot_at == Some(slot))
            .map(RunRef::of)
    };
    if let Some(run) = stamped(RunTrigger::Slot) {
        return Coverage::OnTime(run);
    }
    if let Some(run) = stamped(RunTrigger::CatchUp) {
        return Coverage::CaughtUp(run);
    }
    let crisis = runs.iter().find(|run| {
        run.trigger == RunTrigger::Crisis && (run.started_at - slot).abs() <= crisis_interval
    });
    if let Some(run) = crisis {
        return Coverage::Crisis(RunRef::of(run));
    }
    Coverage::Missed {
        collected_by: runs
            .iter()
            .filter(|run| run.started_at > slot)
            .min_by_key(|run| (run.started_at, run.id))
            .map(RunRef::of),
    }
}

fn crisis_periods(runs: &[RunRow]) -> Vec<CrisisPeriod> {
    let mut periods: Vec<CrisisPeriod> = Vec::new();
    let mut in_crisis = false;
    for run in runs {
        let crisis = run.trigger == RunTrigger::Crisis;
        match periods.last_mut() {
            Some(open) if crisis && in_crisis => {
                open.last_run = run.started_at;
                open.runs += 1;
            }
            _ if crisis => periods.push(CrisisPeriod {
                first_run: run.started_at,
                last_run: run.started_at,
                runs: 1,
            }),
            _ => {}
        }
        in_crisis = crisis;
    }
    periods
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 2, day, hour, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn run(
        id: i64,
        trigger: RunTrigger,
        slot: Option<DateTime<Utc>>,
        start: DateTime<Utc>,
    ) -> RunRow {
        RunRow {
            id,
            trigger,
            slot_at: slot,
            started_at: start,
            crisis: trigger == RunTrigger::Crisis,
            status: "completed".into(),
        }
    }

    #[test]
    fn each_slot_names_its_run_or_the_run_that_collected_it() {
        let slots = [at(1, 7, 30), at(1, 11, 0), at(1, 14, 30), at(2, 7, 30)];
        let runs = [
            run(1, RunTrigger::Slot, Some(slots[0]), at(1, 7, 30)),
            // 11:00 missed; 14:30 caught up at start-up.
            run(2, RunTrigger::CatchUp, Some(slots[2]), at(1, 14, 50)),
            run(3, RunTrigger::Crisis, None, at(2, 7, 25)),
        ];
        let oversight = Oversight::from_log(&slots, &runs, TimeDelta::minutes(10), at(3, 0, 0));
        let ids: Vec<(Option<i64>, &str)> = oversight
            .slots
            .iter()
            .map(|row| (row.coverage.run().map(|r| r.id), row.coverage.swedish()))
            .collect();
        assert_eq!(
            ids,
            [
                (Some(1), "i tid"),
                (Some(2), "missad, hämtad i efterföljande körning"),
                (Some(2), "ikappkörd vid start"),
                (Some(3), "krisläge"),
            ]
        );
        assert_eq!(oversight.missed(), 1);
    }

    #[test]
    fn crisis_runs_without_an_ordinary_run_between_are_one_period() {
        let runs = [
            run(1, RunTrigger::Crisis, None, at(3, 9, 0)),
            run(2, RunTrigger::Crisis, None, at(3, 9, 10)),
            run(3, RunTrigger::Slot, Some(at(3, 11, 0)), at(3, 11, 0)),
            run(4, RunTrigger::Crisis, None, at(4, 20, 0)),
        ];
        let periods = crisis_periods(&runs);
        assert_eq!(
            periods,
            [
                CrisisPeriod {
                    first_run: at(3, 9, 0),
                    last_run: at(3, 9, 10),
                    runs: 2
                },
                CrisisPeriod {
                    first_run: at(4, 20, 0),
                    last_run: at(4, 20, 0),
                    runs: 1
                },
            ]
        );
    }
}
