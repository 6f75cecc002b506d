//! Behaviour of the schedule as moderators and the daemon see it: which
//! slots fire, on which days, across daylight-saving changes, and how
//! answer deadlines count office time.

use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Stockholm;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A Stockholm wall-clock time that exists exactly once.
fn sthlm(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Stockholm
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 3600)
}

fn default_schedule() -> Schedule {
    Schedule::new(ScheduleSpec::default()).unwrap()
}

fn schedule_with_slots(slots: &[&str]) -> Schedule {
    Schedule::new(ScheduleSpec {
        slots: slots.iter().map(|s| s.to_string()).collect(),
        ..ScheduleSpec::default()
    })
    .unwrap()
}

/// The slots on one Stockholm calendar day.
fn slots_on_local_day(schedule: &Schedule, day: NaiveDate) -> Vec<DateTime<Utc>> {
    let start = sthlm(day.year(), day.month(), day.day(), 0, 0);
    let next = day.succ_opt().unwrap();
    let end = sthlm(next.year(), next.month(), next.day(), 0, 0);
    schedule.slots_between(start, end)
}

fn in_stockholm(slots: &[DateTime<Utc>]) -> Vec<String> {
    slots
        .iter()
        .map(|t| {
            t.with_timezone(&Stockholm)
                .format("%a %Y-%m-%d %H:%M")
                .to_string()
        })
        .collect()
}

#[test]
fn no_slot_on_holidays_that_fall_on_weekdays() {
    let schedule = default_schedule();
    let closed_names = [
        "nyårsdagen",
        "trettondedag jul",
        "långfredagen",
        "annandag påsk",
        "första maj",
        "Kristi himmelfärdsdag",
        "Sveriges nationaldag",
        "midsommarafton",
        "julafton",
        "juldagen",
        "annandag jul",
        "nyårsafton",
    ];
    let mut weekday_holidays_checked = 0;
    for year in 2024..=2030 {
        for holiday in swedish_holidays(year) {
            if !closed_names.contains(&holiday.name) {
                continue;
            }
            assert!(
                slots_on_local_day(&schedule, holiday.date).is_empty(),
                "{holiday:?}"
            );
            assert!(!schedule.is_working_day(holiday.date), "{holiday:?}");
            if holiday.date.weekday().number_from_monday() <= 5 {
                weekday_holidays_checked += 1;
            }
        }
    }
    // Långfredagen, annandag påsk and Kristi himmelfärd are always weekdays.
    assert!(
        weekday_holidays_checked >= 3 * 7,
        "{weekday_holidays_checked}"
    );
}

#[test]
fn the_working_day_before_a_holiday_has_all_three_slots() {
    let schedule = default_schedule();
    for day in [
        date(2025, 4, 17),
        date(2025, 5, 28),
        date(2025, 6, 19),
        date(2025, 12, 23),
    ] {
        assert_eq!(
            in_stockholm(&slots_on_local_day(&schedule, day)),
            ["08:30", "12:00", "15:30"].map(|hm| format!("{} {day} {hm}", day.format("%a"))),
            "{day}"
        );
    }
}

#[test]
fn a_normal_week_has_fifteen_slots_on_weekdays_at_the_policy_times() {
    let schedule = default_schedule();
    for monday in [date(2025, 9, 15), date(2026, 2, 2), date(2027, 10, 11)] {
        let start = sthlm(monday.year(), monday.month(), monday.day(), 0, 0);
        let slots = schedule.slots_between(start, start + TimeDelta::days(7));
        assert_eq!(
            slots.len(),
            15,
            "week of {monday}: {:?}",
            in_stockholm(&slots)
        );
        for slot in &slots {
            let local = slot.with_timezone(&Stockholm);
            assert!(local.weekday().number_from_monday() <= 5, "{local}");
            assert!(
                ["08:30", "12:00", "15:30"].contains(&local.format("%H:%M").to_string().as_str()),
                "{local}"
            );
        }
    }
}

#[test]
fn weekends_have_no_default_slots() {
    let schedule = default_schedule();
    for day in [date(2025, 9, 20), date(2025, 9, 21), date(2026, 3, 7)] {
        assert!(matches!(day.weekday(), Weekday::Sat | Weekday::Sun));
        assert!(slots_on_local_day(&schedule, day).is_empty(), "{day}");
    }
}

#[test]
fn next_slot_skips_weekends_and_holidays() {
    let schedule = default_schedule();
    let cases = [
        // Friday afternoon → Monday morning.
        (sthlm(2025, 9, 19, 16, 0), sthlm(2025, 9, 22, 8, 30)),
        // Skärtorsdag afternoon → Tuesday after annandag påsk.
        (sthlm(2025, 4, 17, 16, 0), sthlm(2025, 4, 22, 8, 30)),
        // Friday before Easter Monday 2026 is långfredagen itself.
        (sthlm(2026, 4, 3, 16, 0), sthlm(2026, 4, 7, 8, 30)),
        // Midsommarafton on a Friday → Monday.
        (sthlm(2025, 6, 19, 15, 45), sthlm(2025, 6, 23, 8, 30)),
        // Christmas 2025: Tuesday 23 Dec → Monday 29 Dec.
        (sthlm(2025, 12, 23, 15, 30), sthlm(2025, 12, 29, 8, 30)),
        // Nyårsafton and nyårsdagen: Tuesday 30 Dec → Friday 2 Jan 2026.
        (sthlm(2025, 12, 30, 15, 30), sthlm(2026, 1, 2, 8, 30)),
        // Strictly after: exactly at a slot gives the next one.
        (sthlm(2025, 9, 17, 12, 0), sthlm(2025, 9, 17, 15, 30)),
        (sthlm(2025, 9, 17, 11, 59), sthlm(2025, 9, 17, 12, 0)),
    ];
    for (after, expected) in cases {
        assert_eq!(
            schedule.next_slot_after(after).map(|t| in_stockholm(&[t])),
            Some(in_stockholm(&[expected])),
            "after {:?}",
            in_stockholm(&[after])
        );
    }
}

#[test]
fn extra_closed_days_are_skipped() {
    let schedule = Schedule::new(ScheduleSpec {
        extra_closed_days: vec![date(2025, 9, 22)],
        ..ScheduleSpec::default()
    })
    .unwrap();
    assert_eq!(
        schedule.next_slot_after(sthlm(2025, 9, 19, 16, 0)),
        Some(sthlm(2025, 9, 23, 8, 30))
    );
    assert_eq!(
        schedule.closed_reason(date(2025, 9, 22)).as_deref(),
        Some(EXTRA_CLOSED_DAY)
    );
}

#[test]
fn last_slot_finds_the_one_missed_while_down() {
    let schedule = default_schedule();
    let cases = [
        // Down over lunch on a Tuesday: the 12:00 slot was missed.
        (sthlm(2025, 9, 16, 14, 0), sthlm(2025, 9, 16, 12, 0)),
        // Monday early morning: Friday's last slot.
        (sthlm(2025, 9, 22, 7, 0), sthlm(2025, 9, 19, 15, 30)),
        // Tuesday after Easter, early: skärtorsdag's last slot.
        (sthlm(2025, 4, 22, 8, 0), sthlm(2025, 4, 17, 15, 30)),
        // Exactly at a slot: that slot.
        (sthlm(2025, 9, 16, 8, 30), sthlm(2025, 9, 16, 8, 30)),
    ];
    for (at, expected) in cases {
        assert_eq!(
            schedule.last_slot_at_or_before(at),
            Some(expected),
            "at {at}"
        );
    }
}

#[test]
fn last_slot_gives_up_beyond_the_lookback_window() {
    // A slot that fired once, on Thursday 2 January 2020.
    let schedule = schedule_with_slots(&["0 0 12 2 1 * 2020"]);
    assert_eq!(
        schedule.last_slot_at_or_before(sthlm(2020, 2, 1, 12, 0)),
        Some(sthlm(2020, 1, 2, 12, 0))
    );
    assert_eq!(
        schedule.last_slot_at_or_before(sthlm(2020, 3, 1, 12, 0)),
        None
    );
    assert_eq!(schedule.next_slot_after(sthlm(2020, 1, 3, 0, 0)), None);
}

#[test]
fn slots_between_excludes_from_and_includes_to() {
    let schedule = default_schedule();
    let noon = sthlm(2025, 9, 17, 12, 0);
    assert_eq!(
        schedule.slots_between(noon, sthlm(2025, 9, 18, 8, 30)),
        vec![sthlm(2025, 9, 17, 15, 30), sthlm(2025, 9, 18, 8, 30)]
    );
    assert!(schedule.slots_between(noon, noon).is_empty());
}

#[test]
fn spring_forward_slot_in_the_skipped_hour_never_fires_that_day() {
    // 30 March 2025: clocks jump from 02:00 to 03:00.
    let schedule = schedule_with_slots(&["0 30 2 * * *", "0 30 8 * * *"]);
    let cases = [
        (
            date(2025, 3, 29),
            vec![utc(2025, 3, 29, 1, 30), utc(2025, 3, 29, 7, 30)],
        ),
        (date(2025, 3, 30), vec![utc(2025, 3, 30, 6, 30)]),
        (
            date(2025, 3, 31),
            vec![utc(2025, 3, 31, 0, 30), utc(2025, 3, 31, 6, 30)],
        ),
    ];
    for (day, expected) in cases {
        assert_eq!(slots_on_local_day(&schedule, day), expected, "{day}");
    }
    assert_eq!(
        schedule.next_slot_after(utc(2025, 3, 29, 23, 0)),
        Some(utc(2025, 3, 30, 6, 30))
    );
}

#[test]
fn fall_back_slot_in_the_repeated_hour_fires_once() {
    // 26 October 2025: 03:00 CEST becomes 02:00 CET; 02:30 happens twice,
    // at 00:30 and 01:30 UTC.
    let schedule = schedule_with_slots(&["0 30 2 * * *", "0 45 1 * * *"]);
    assert_eq!(
        slots_on_local_day(&schedule, date(2025, 10, 26)),
        vec![utc(2025, 10, 25, 23, 45), utc(2025, 10, 26, 0, 30)]
    );
    let cases = [
        // Before the first 02:30.
        (utc(2025, 10, 26, 0, 10), utc(2025, 10, 26, 0, 30)),
        // Between the two 02:30s: the slot has fired already.
        (utc(2025, 10, 26, 0, 40), utc(2025, 10, 27, 0, 45)),
        // In the second 02:10 (01:10 UTC).
        (utc(2025, 10, 26, 1, 10), utc(2025, 10, 27, 0, 45)),
    ];
    for (after, expected) in cases {
        assert_eq!(
            schedule.next_slot_after(after),
            Some(expected),
            "after {after}"
        );
    }
    let reference = utc(2025, 10, 25, 12, 0);
    let mut previous = reference;
    let mut fired_at = Vec::new();
    for _ in 0..6 {
        let next = schedule.next_slot_after(previous).unwrap();
        assert!(next > previous, "{next} after {previous}");
        fired_at.push(next);
        previous = next;
    }
    assert_eq!(fired_at, schedule.slots_between(reference, previous));
}

#[test]
fn all_bad_slots_are_reported_together() {
    let errors = Schedule::new(ScheduleSpec {
        slots: vec![
            "30 8 * * 1-5".to_string(),
            "0 0 12 * * Mon-Fri".to_string(),
            "0 61 15 * * Mon-Fri".to_string(),
            "0 30 15 * * 2-6".to_string(),
        ],
        office_start: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        office_end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        ..ScheduleSpec::default()
    })
    .unwrap_err();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let expected: [(usize, &str, &str); 3] = [
        (0, "30 8 * * 1-5", "write \"0 30 8 * * Mon-Fri\""),
        (2, "0 61 15 * * Mon-Fri", "6 fields, seconds first"),
        (3, "0 30 15 * * 2-6", "write day names"),
    ];
    for (error, (index, expression, hint)) in errors.iter().zip(expected) {
        let ScheduleError::BadSlot {
            index: i,
            expression: e,
            reason,
        } = error
        else {
            panic!("expected a bad slot, got {error:?}");
        };
        assert_eq!((*i, e.as_str()), (index, expression));
        assert!(reason.contains(hint), "{reason}");
    }
    assert!(
        errors[0]
            .to_string()
            .contains("6 fields with seconds first"),
        "{}",
        errors[0]
    );
    assert!(matches!(
        errors[3],
        ScheduleError::OfficeHoursEndBeforeStart { .. }
    ));
}

#[test]
fn an_empty_slot_list_is_refused() {
    let errors = Schedule::new(ScheduleSpec {
        slots: Vec::new(),
        ..ScheduleSpec::default()
    })
    .unwrap_err();
    assert_eq!(errors, vec![ScheduleError::NoSlots]);
}

#[test]
fn equal_office_start_and_end_is_refused() {
    let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
    let errors = Schedule::new(ScheduleSpec {
        office_start: eight,
        office_end: eight,
        ..ScheduleSpec::default()
    })
    .unwrap_err();
    assert_eq!(
        errors,
        vec![ScheduleError::OfficeHoursEndBeforeStart {
            start: eight,
            end: eight
        }]
    );
}

#[test]
fn closed_reason_names_the_day() {
    let schedule = default_schedule();
    let cases = [
        (date(2025, 6, 20), Some("midsommarafton")),
        (date(2025, 12, 24), Some("julafton")),
        (date(2025, 4, 20), Some("påskdagen")),
        (date(2025, 9, 20), Some("lördag")),
        (date(2025, 9, 21), Some("söndag")),
        (date(2025, 9, 17), None),
    ];
    for (day, expected) in cases {
        assert_eq!(schedule.closed_reason(day).as_deref(), expected, "{day}");
        assert_eq!(schedule.is_working_day(day), expected.is_none(), "{day}");
    }
}

#[test]
fn office_time_is_weekday_daytime_on_open_days() {
    let schedule = default_schedule();
    let cases = [
        (sthlm(2025, 9, 17, 8, 0), true),
        (sthlm(2025, 9, 17, 16, 59), true),
        (sthlm(2025, 9, 17, 17, 0), false),
        (sthlm(2025, 9, 17, 7, 59), false),
        (sthlm(2025, 9, 20, 10, 0), false),
        (sthlm(2025, 6, 20, 10, 0), false),
    ];
    for (t, expected) in cases {
        assert_eq!(
            schedule.is_office_time(t),
            expected,
            "{:?}",
            in_stockholm(&[t])
        );
    }
}

#[test]
fn end_of_working_day_skips_weekends_and_holidays() {
    let schedule = default_schedule();
    let cases = [
        (sthlm(2025, 9, 19, 10, 0), 0, sthlm(2025, 9, 19, 17, 0)),
        (sthlm(2025, 9, 19, 18, 0), 0, sthlm(2025, 9, 22, 17, 0)),
        (sthlm(2025, 9, 19, 10, 0), 1, sthlm(2025, 9, 22, 17, 0)),
        (sthlm(2025, 9, 20, 10, 0), 0, sthlm(2025, 9, 22, 17, 0)),
        (sthlm(2025, 9, 17, 6, 0), 2, sthlm(2025, 9, 19, 17, 0)),
        // Skärtorsdag evening → Tuesday after annandag påsk.
        (sthlm(2025, 4, 17, 18, 0), 0, sthlm(2025, 4, 22, 17, 0)),
        (sthlm(2025, 4, 17, 10, 0), 1, sthlm(2025, 4, 22, 17, 0)),
    ];
    for (t, days, expected) in cases {
        assert_eq!(
            in_stockholm(&[schedule.end_of_working_day_after(t, days)]),
            in_stockholm(&[expected]),
            "{:?} + {days}",
            in_stockholm(&[t])
        );
    }
}

#[test]
fn office_time_deadlines_count_only_open_hours() {
    let schedule = default_schedule();
    let cases = [
        // Friday 15:00 + 4 h: two hours on Friday, two on Monday.
        (
            sthlm(2025, 9, 19, 15, 0),
            hours(4),
            sthlm(2025, 9, 22, 10, 0),
        ),
        // Ends exactly at closing time.
        (
            sthlm(2025, 9, 19, 13, 0),
            hours(4),
            sthlm(2025, 9, 19, 17, 0),
        ),
        // Asked on Saturday: counting starts Monday morning.
        (
            sthlm(2025, 9, 20, 12, 0),
            hours(1),
            sthlm(2025, 9, 22, 9, 0),
        ),
        (
            sthlm(2025, 9, 20, 12, 0),
            hours(0),
            sthlm(2025, 9, 22, 8, 0),
        ),
        // Skärtorsdag 16:00 + 2 h → Tuesday 09:00 after Easter.
        (
            sthlm(2025, 4, 17, 16, 0),
            hours(2),
            sthlm(2025, 4, 22, 9, 0),
        ),
        // A full working day (9 h) from Monday 08:00 ends Monday 17:00.
        (
            sthlm(2025, 9, 22, 8, 0),
            hours(9),
            sthlm(2025, 9, 22, 17, 0),
        ),
        // Before Christmas 2025: Tuesday 23rd 16:00 + 3 h → Monday 29th 10:00.
        (
            sthlm(2025, 12, 23, 16, 0),
            hours(3),
            sthlm(2025, 12, 29, 10, 0),
        ),
    ];
    for (t, duration, expected) in cases {
        assert_eq!(
            in_stockholm(&[schedule.add_office_time(t, duration)]),
            in_stockholm(&[expected]),
            "{:?} + {duration:?}",
            in_stockholm(&[t])
        );
    }
}

#[test]
fn crisis_runs_start_at_once_then_every_interval() {
    let now = utc(2025, 9, 20, 3, 0);
    let quarter = Duration::from_secs(15 * 60);
    let cases = [
        (None, now),
        (Some(utc(2025, 9, 20, 2, 50)), utc(2025, 9, 20, 3, 5)),
        (Some(utc(2025, 9, 20, 2, 40)), now),
        (Some(utc(2025, 9, 20, 2, 45)), now),
        // Clock set back: wait at most one interval.
        (Some(utc(2025, 9, 20, 5, 0)), utc(2025, 9, 20, 3, 15)),
    ];
    for (last, expected) in cases {
        assert_eq!(
            next_crisis_run(last, now, quarter),
            expected,
            "last {last:?}"
        );
    }
}
