//! Numbers, dates and durations the Swedish way, as the report's readers
//! expect them: a space (non-breaking, so a number never wraps) between
//! thousands, a decimal comma, `2027-02-01` dates and `14:05` times in
//! Stockholm time.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// The narrow no-break space Swedish typography puts between thousands.
const THOUSANDS: char = '\u{a0}';

/// An integer with thousands grouped: `12 345`.
pub fn integer(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(THOUSANDS);
        }
        grouped.push(digit);
    }
    if value < 0 {
        format!("−{grouped}")
    } else {
        grouped
    }
}

/// A count (`usize`) with thousands grouped.
pub fn count(value: usize) -> String {
    integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// A decimal number with one decimal and a decimal comma: `1 234,5`.
pub fn decimal(value: f64) -> String {
    let tenths = (value * 10.0).round();
    let whole = (tenths / 10.0).trunc();
    let fraction = (tenths - whole * 10.0).abs();
    // Both are whole numbers well within i64 for any figure a report shows.
    let sign = if tenths < 0.0 && whole == 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{},{}", integer(whole as i64), fraction as i64)
}

/// A share as a percentage with one decimal: `87,5 %`.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{}\u{a0}%", decimal(part as f64 * 100.0 / whole as f64))
}

/// Hours with one decimal, for response times: `3,5 h`.
pub fn hours(value: f64) -> String {
    format!("{}\u{a0}h", decimal(value))
}

/// A date as `2027-02-01`.
pub fn date(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// A moment in the city's time zone as `2027-02-01 08:30`.
pub fn moment(value: DateTime<Utc>, timezone: Tz) -> String {
    value
        .with_timezone(&timezone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// An ISO week as the report names it: `2027 v. 5`.
pub fn week(monday: NaiveDate) -> String {
    let iso = monday.iso_week();
    format!("{} v.\u{a0}{}", iso.year(), iso.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_a_no_break_space() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1\u{a0}000");
        assert_eq!(integer(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(integer(-12_345), "−12\u{a0}345");
    }

    #[test]
    fn decimals_take_a_comma() {
        assert_eq!(decimal(3.25), "3,3");
        assert_eq!(decimal(1234.5), "1\u{a0}234,5");
        assert_eq!(decimal(0.04), "0,0");
        assert_eq!(decimal(-0.5), "−0,5");
        assert_eq!(percent(7, 8), "87,5\u{a0}%");
        assert_eq!(percent(0, 0), "–");
    }

    #[test]
    fn weeks_are_iso_weeks() {
        let monday = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
        assert_eq!(week(monday), "2027 v.\u{a0}1");
        let last = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap_or_default();
        assert_eq!(week(last), "2026 v.\u{a0}53");
    }
}
