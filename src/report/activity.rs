//! Each account's half year in figures: posts and comments per week,
//! what was hidden or deleted (by category and by legal basis), what went
//! to review and how fast people decided, the questions and how many were
//! answered within their due time, and the tickets referred on. Pure: the
//! store's rows in, the figures out.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::alerts::templates::category_sv;
use crate::domain::{ModerationAction, TicketKind};
use crate::store::{
    ActionState, RemovedContent, ReviewTiming, TicketRow, WeekBounds, WeeklyCounts,
};

/// What the store holds about the period, for every account: posts and
/// comments already counted per report week by the database (there are
/// far too many to load), the rest as rows.
#[derive(Debug, Clone, Default)]
pub struct PeriodRows {
    /// The accounts' own posts per report week.
    pub posts_per_week: WeeklyCounts,
    /// Comments by others per report week.
    pub comments_per_week: WeeklyCounts,
    /// Hides and deletes carried out (dry-run ones are left out).
    pub removals: Vec<RemovedContent>,
    /// Comment versions sent to review.
    pub reviews: Vec<ReviewTiming>,
    /// Tickets opened in the period.
    pub tickets: Vec<TicketRow>,
}

/// Hidden and deleted comments under one heading (a category or a legal
/// basis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalCount {
    /// The heading, in Swedish.
    pub heading: String,
    /// Hidden.
    pub hidden: usize,
    /// Deleted.
    pub deleted: usize,
}

/// How one kind of item was handled in time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Handling {
    /// How many arrived.
    pub arrived: usize,
    /// How many a person handled (decided, answered).
    pub handled: usize,
    /// Handled within the due time (questions only; reviews have none).
    pub in_time: usize,
    /// Median time to handling, in hours.
    pub median_hours: Option<f64>,
    /// The longest time to handling, in hours.
    pub longest_hours: Option<f64>,
    /// The median per report week, in hours (`None`: nothing handled).
    pub weekly_median_hours: Vec<Option<f64>>,
}

/// One account's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountActivity {
    /// The account's key.
    pub key: String,
    /// Its display name.
    pub name: String,
    /// Own posts per report week.
    pub posts_per_week: Vec<usize>,
    /// Comments received per report week.
    pub comments_per_week: Vec<usize>,
    /// Hidden and deleted, by category.
    pub removals_by_category: Vec<RemovalCount>,
    /// Hidden and deleted, by legal basis.
    pub removals_by_basis: Vec<RemovalCount>,
    /// Sent to review and decided by a person.
    pub reviews: Handling,
    /// Questions, and answered (ticket closed) within due time.
    pub questions: Handling,
    /// Tickets opened, by kind (questions included), in the kinds' order.
    pub tickets_by_kind: Vec<(TicketKind, usize)>,
    /// The second weeks (Mondays) of two ordinary weeks in a row below the
    /// policy's publishing rhythm ([`super::rhythm`]).
    pub low_publishing: Vec<NaiveDate>,
    /// The daily checks' findings open during the period, oldest first.
    pub findings: Vec<super::findings::PeriodFinding>,
}

impl AccountActivity {
    /// All own posts in the period.
    pub fn posts(&self) -> usize {
        self.posts_per_week.iter().sum()
    }

    /// All comments received in the period.
    pub fn comments(&self) -> usize {
        self.comments_per_week.iter().sum()
    }

    /// Comments hidden in the period.
    pub fn hidden(&self) -> usize {
        self.removals_by_category.iter().map(|r| r.hidden).sum()
    }

    /// Comments deleted in the period.
    pub fn deleted(&self) -> usize {
        self.removals_by_category.iter().map(|r| r.deleted).sum()
    }

    /// Case matters referred on (ticket kind `case_matter`).
    pub fn case_matters(&self) -> usize {
        self.tickets_by_kind
            .iter()
            .filter(|(kind, _)| *kind == TicketKind::CaseMatter)
            .map(|(_, n)| n)
            .sum()
    }
}

/// The report's weeks: the Mondays of every ISO week that the period
/// touches, in the city's time zone.
pub fn weeks(first_day: NaiveDate, last_day: NaiveDate) -> Vec<NaiveDate> {
    let monday = |day: NaiveDate| day.week(chrono::Weekday::Mon).first_day();
    let mut weeks = Vec::new();
    let mut week = monday(first_day);
    while week <= last_day {
        weeks.push(week);
        week = week + chrono::Days::new(7);
    }
    weeks
}

/// The instants each of `weeks` (Mondays) covers in `timezone`, cut to
/// the period `[start, end)`: what the store counts posts and comments in.
pub fn week_bounds(
    weeks: &[NaiveDate],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    timezone: Tz,
) -> Vec<WeekBounds> {
    weeks
        .iter()
        .map(|monday| {
            let from = super::midnight(*monday, timezone).max(start);
            let to = super::midnight(*monday + chrono::Days::new(7), timezone).min(end);
            (from, to)
        })
        .collect()
}

/// The figures of the account `key`, with the week grid `weeks`.
pub fn account_activity(
    key: &str,
    name: &str,
    rows: &PeriodRows,
    weeks: &[NaiveDate],
    timezone: Tz,
) -> AccountActivity {
    let week_of = |at: DateTime<Utc>| week_index(weeks, at, timezone);
    let counted = |counts: &WeeklyCounts| {
        counts
            .get(key)
            .cloned()
            .unwrap_or_else(|| vec![0; weeks.len()])
    };
    let posts_per_week = counted(&rows.posts_per_week);
    let comments_per_week = counted(&rows.comments_per_week);
    let removals: Vec<&RemovedContent> = rows
        .removals
        .iter()
        .filter(|r| r.account_key == key && r.state == ActionState::Done)
        .collect();
    let tickets: Vec<&TicketRow> = rows
        .tickets
        .iter()
        .filter(|t| t.account_key == key)
        .collect();
    AccountActivity {
        key: key.to_string(),
        name: name.to_string(),
        posts_per_week,
        comments_per_week,
        removals_by_category: removal_counts(&removals, |r| {
            r.categories
                .iter()
                .map(|c| category_sv(*c).to_string())
                .collect()
        }),
        removals_by_basis: removal_counts(&removals, |r| r.legal_bases.clone()),
        reviews: review_handling(
            rows.reviews.iter().filter(|r| r.account_key == key),
            &week_of,
            weeks.len(),
        ),
        questions: question_handling(&tickets, &week_of, weeks.len()),
        tickets_by_kind: TicketKind::ALL
            .iter()
            .map(|kind| (*kind, tickets.iter().filter(|t| t.kind == *kind).count()))
            .filter(|(_, n)| *n > 0)
            .collect(),
        low_publishing: Vec::new(),
        findings: Vec::new(),
    }
}

fn week_index(weeks: &[NaiveDate], at: DateTime<Utc>, timezone: Tz) -> Option<usize> {
    let day = at.with_timezone(&timezone).date_naive();
    weeks
        .iter()
        .rposition(|monday| *monday <= day)
        .filter(|&index| day < weeks[index] + chrono::Days::new(7))
}

/// Counts each removal once under each of its headings.
fn removal_counts(
    removals: &[&RemovedContent],
    headings: impl Fn(&RemovedContent) -> Vec<String>,
) -> Vec<RemovalCount> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for removal in removals {
        for heading in headings(removal) {
            let entry = counts.entry(heading).or_default();
            match removal.action {
                ModerationAction::Delete => entry.1 += 1,
                _ => entry.0 += 1,
            }
        }
    }
    counts
        .into_iter()
        .map(|(heading, (hidden, deleted))| RemovalCount {
            heading,
            hidden,
            deleted,
        })
        .collect()
}

/// One handled item: when it arrived and how long handling took.
struct Handled {
    arrived: DateTime<Utc>,
    hours: f64,
}

fn review_handling<'a>(
    reviews: impl Iterator<Item = &'a ReviewTiming>,
    week_of: &impl Fn(DateTime<Utc>) -> Option<usize>,
    weeks: usize,
) -> Handling {
    let reviews: Vec<&ReviewTiming> = reviews.collect();
    let handled: Vec<Handled> = reviews
        .iter()
        .filter_map(|r| {
            r.decided_at.map(|decided| Handled {
                arrived: r.sent_at,
                hours: hours_between(r.sent_at, decided),
            })
        })
        .collect();
    handling(reviews.len(), 0, &handled, week_of, weeks)
}

fn question_handling(
    tickets: &[&TicketRow],
    week_of: &impl Fn(DateTime<Utc>) -> Option<usize>,
    weeks: usize,
) -> Handling {
    let questions: Vec<&&TicketRow> = tickets
        .iter()
        .filter(|t| t.kind == TicketKind::QuestionToAnswer)
        .collect();
    let answered: Vec<(&&TicketRow, DateTime<Utc>)> = questions
        .iter()
        .filter_map(|t| t.closed_at.map(|closed| (*t, closed)))
        .collect();
    let in_time = answered
        .iter()
        .filter(|(t, closed)| t.due_at.is_none_or(|due| *closed <= due))
        .count();
    let handled: Vec<Handled> = answered
        .iter()
        .map(|(t, closed)| Handled {
            arrived: t.created_at,
            hours: hours_between(t.created_at, *closed),
        })
        .collect();
    handling(questions.len(), in_time, &handled, week_of, weeks)
}

fn handling(
    arrived: usize,
    in_time: usize,
    handled: &[Handled],
    week_of: &impl Fn(DateTime<Utc>) -> Option<usize>,
    weeks: usize,
) -> Handling {
    let mut per_week: Vec<Vec<f64>> = vec![Vec::new(); weeks];
    for item in handled {
        if let Some(week) = week_of(item.arrived) {
            per_week[week].push(item.hours);
        }
    }
    let all: Vec<f64> = handled.iter().map(|h| h.hours).collect();
    Handling {
        arrived,
        handled: handled.len(),
        in_time,
        median_hours: median(all.clone()),
        longest_hours: all.iter().copied().reduce(f64::max),
        weekly_median_hours: per_week.into_iter().map(median).collect(),
    }
}

fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 3600.0
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, month, day).unwrap_or_default()
    }

    fn at(month: u32, d: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, month, d, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn weeks_cover_every_iso_week_the_period_touches() {
        // 2027-01-01 is a Friday: its week starts in December 2026.
        let grid = weeks(day(1, 1), day(1, 18));
        assert_eq!(
            grid,
            [
                NaiveDate::from_ymd_opt(2026, 12, 28).unwrap_or_default(),
                day(1, 4),
                day(1, 11),
                day(1, 18)
            ]
        );
    }

    #[test]
    fn week_bounds_are_stockholm_midnights_cut_to_the_period() {
        let grid = weeks(day(1, 6), day(1, 12));
        let start = at(1, 5, 23); // Wednesday 6 January, 00:00 in Stockholm
        let end = at(1, 12, 23);
        assert_eq!(
            week_bounds(&grid, start, end, chrono_tz::Europe::Stockholm),
            [(start, at(1, 10, 23)), (at(1, 10, 23), end)],
            "the week of 11 January starts on Sunday 23:00 UTC"
        );
    }

    #[test]
    fn review_times_are_medians_of_decided_items_only() {
        let grid = weeks(day(1, 4), day(1, 10));
        let review = |sent, decided| ReviewTiming {
            account_key: "a".into(),
            sent_at: sent,
            decided_at: decided,
        };
        let rows = PeriodRows {
            reviews: vec![
                review(at(1, 4, 8), Some(at(1, 4, 9))),
                review(at(1, 4, 8), Some(at(1, 4, 12))),
                review(at(1, 5, 8), None),
            ],
            ..PeriodRows::default()
        };
        let a = account_activity("a", "A", &rows, &grid, chrono_tz::Europe::Stockholm);
        assert_eq!(a.reviews.arrived, 3);
        assert_eq!(a.reviews.handled, 2);
        assert_eq!(a.reviews.median_hours, Some(2.5));
        assert_eq!(a.reviews.longest_hours, Some(4.0));
        assert_eq!(a.reviews.weekly_median_hours, [Some(2.5)]);
    }
}
