//! Swedish public holidays (lag (1989:253) om allmänna helgdagar) and the
//! days the city's offices are closed de facto (midsommarafton, julafton,
//! nyårsafton).
//!
//! The policy asks for monitoring "during office hours", and questions are
//! answered in office hours: on these days the offices are closed, so no
//! monitoring slot fires and no answer deadline runs. Easter is computed with
//! the Gregorian computus, so no network or calendar data is needed.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A day on which the city's offices are closed, named as moderators know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Holiday {
    /// The calendar date (in the city's time zone).
    pub date: NaiveDate,
    /// The Swedish name, e.g. "midsommarafton", shown to moderators when a
    /// slot is skipped.
    pub name: &'static str,
}

/// Holidays on a fixed calendar date: (month, day, name).
const FIXED_DATE_HOLIDAYS: [(u32, u32, &str); 8] = [
    (1, 1, "nyårsdagen"),
    (1, 6, "trettondedag jul"),
    (5, 1, "första maj"),
    (6, 6, "Sveriges nationaldag"),
    (12, 24, "julafton"),
    (12, 25, "juldagen"),
    (12, 26, "annandag jul"),
    (12, 31, "nyårsafton"),
];

/// Holidays a fixed number of days from Easter Sunday: (offset, name).
const EASTER_HOLIDAYS: [(i64, &str); 5] = [
    (-2, "långfredagen"),
    (0, "påskdagen"),
    (1, "annandag påsk"),
    (39, "Kristi himmelfärdsdag"),
    (49, "pingstdagen"),
];

/// Holidays on the one given weekday in a seven-day window that starts on
/// (month, day): (month, day, weekday, name).
const WEEKDAY_IN_WINDOW_HOLIDAYS: [(u32, u32, Weekday, &str); 3] = [
    (6, 19, Weekday::Fri, "midsommarafton"),
    (6, 20, Weekday::Sat, "midsommardagen"),
    (10, 31, Weekday::Sat, "alla helgons dag"),
];

/// Every day in `year` on which the city's offices are closed: the public
/// holidays and the de facto closed days, sorted by date.
///
/// Years outside chrono's calendar give an empty list rather than a panic.
pub fn swedish_holidays(year: i32) -> Vec<Holiday> {
    let fixed = FIXED_DATE_HOLIDAYS
        .iter()
        .filter_map(|&(month, day, name)| {
            NaiveDate::from_ymd_opt(year, month, day).map(|date| Holiday { date, name })
        });
    let easter = easter_sunday(year);
    let easter_based = EASTER_HOLIDAYS.iter().filter_map(move |&(offset, name)| {
        easter
            .and_then(|sunday| shift_days(sunday, offset))
            .map(|date| Holiday { date, name })
    });
    let weekday_based =
        WEEKDAY_IN_WINDOW_HOLIDAYS
            .iter()
            .filter_map(|&(month, day, weekday, name)| {
                weekday_in_week_from(year, month, day, weekday).map(|date| Holiday { date, name })
            });
    let mut holidays: Vec<Holiday> = fixed.chain(easter_based).chain(weekday_based).collect();
    holidays.sort();
    holidays
}

/// The Swedish name of the holiday or de facto closed day on `date`, if any.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    swedish_holidays(date.year())
        .into_iter()
        .find(|holiday| holiday.date == date)
        .map(|holiday| holiday.name)
}

/// Easter Sunday in the Gregorian calendar (the "anonymous" computus of
/// Meeus/Jones/Butcher), which half of the Swedish holidays hang on.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month_and_day = h + l - 7 * m + 114;
    let month = u32::try_from(month_and_day.div_euclid(31)).ok()?;
    let day = u32::try_from(month_and_day.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `date` moved by `offset` days in either direction.
fn shift_days(date: NaiveDate, offset: i64) -> Option<NaiveDate> {
    let days = Days::new(offset.unsigned_abs());
    if offset >= 0 {
        date.checked_add_days(days)
    } else {
        date.checked_sub_days(days)
    }
}

/// The `weekday` in the seven days starting on `year-month-day`.
fn weekday_in_week_from(year: i32, month: u32, day: u32, weekday: Weekday) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, day)?;
    first
        .iter_days()
        .take(7)
        .find(|date| date.weekday() == weekday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_sunday_matches_known_years() {
        let cases = [
            (2024, date(2024, 3, 31)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 5)),
            (2027, date(2027, 3, 28)),
            (2038, date(2038, 4, 25)),
            (2000, date(2000, 4, 23)),
            (2019, date(2019, 4, 21)),
            // The earliest and latest possible dates.
            (1818, date(1818, 3, 22)),
            (2285, date(2285, 3, 22)),
            (1943, date(1943, 4, 25)),
        ];
        for (year, expected) in cases {
            assert_eq!(easter_sunday(year), Some(expected), "Easter {year}");
        }
    }

    #[test]
    fn moving_holidays_fall_on_the_right_dates() {
        let cases = [
            (date(2025, 4, 18), "långfredagen"),
            (date(2025, 4, 21), "annandag påsk"),
            (date(2025, 5, 29), "Kristi himmelfärdsdag"),
            (date(2025, 6, 8), "pingstdagen"),
            (date(2025, 6, 20), "midsommarafton"),
            (date(2025, 6, 21), "midsommardagen"),
            (date(2025, 11, 1), "alla helgons dag"),
            (date(2026, 4, 3), "långfredagen"),
            (date(2026, 5, 14), "Kristi himmelfärdsdag"),
            (date(2026, 6, 19), "midsommarafton"),
            (date(2026, 6, 20), "midsommardagen"),
            (date(2026, 10, 31), "alla helgons dag"),
            (date(2027, 6, 25), "midsommarafton"),
            (date(2027, 6, 26), "midsommardagen"),
            (date(2027, 11, 6), "alla helgons dag"),
            (date(2024, 5, 9), "Kristi himmelfärdsdag"),
        ];
        for (day, name) in cases {
            assert_eq!(holiday_name(day), Some(name), "{day}");
        }
    }

    #[test]
    fn every_year_has_sixteen_closed_days_in_date_order() {
        for year in 2020..=2040 {
            let holidays = swedish_holidays(year);
            let names: std::collections::BTreeSet<&str> = holidays.iter().map(|h| h.name).collect();
            assert_eq!(names.len(), 16, "{year}: {holidays:?}");
            assert!(holidays.windows(2).all(|w| w[0].date <= w[1].date));
            assert!(holidays.iter().all(|h| h.date.year() == year));
        }
    }

    #[test]
    fn ordinary_days_are_not_holidays() {
        for day in [date(2025, 4, 17), date(2025, 6, 19), date(2025, 12, 23)] {
            assert_eq!(holiday_name(day), None, "{day}");
        }
    }
}
