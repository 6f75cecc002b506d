//! LinkedIn's versioning rule: every call names a `LinkedIn-Version`
//! (`YYYYMM`), and LinkedIn supports each version for a year. Configuration
//! refuses a malformed version, `check-config` and the daily run warn before
//! the sunset, the connector refuses a version past it and the simulator
//! answers as LinkedIn would, so the rule is stated once, here.

use chrono::NaiveDate;

/// How long LinkedIn supports a `LinkedIn-Version`.
pub const VERSION_LIFETIME_MONTHS: u32 = 12;
/// How long before a version's sunset operations are warned.
pub const SUNSET_WARNING_MONTHS: u32 = 3;

/// Where a `LinkedIn-Version` stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    /// Supported for more than [`SUNSET_WARNING_MONTHS`].
    Supported {
        /// The first day LinkedIn may refuse it.
        sunset: NaiveDate,
    },
    /// Sunset within [`SUNSET_WARNING_MONTHS`]: move to a newer version.
    SunsetSoon {
        /// The first day LinkedIn may refuse it.
        sunset: NaiveDate,
    },
    /// Past its sunset: LinkedIn refuses every call.
    Sunset {
        /// The day support ended.
        sunset: NaiveDate,
    },
}

/// The first day of the month [`VERSION_LIFETIME_MONTHS`] after the
/// version's month; refuses anything that is not `YYYYMM`.
pub fn version_sunset(version: &str) -> Result<NaiveDate, String> {
    let parsed = (version.len() == 6 && version.bytes().all(|b| b.is_ascii_digit()))
        .then(|| {
            let year: i32 = version[..4].parse().ok()?;
            let month: u32 = version[4..].parse().ok()?;
            NaiveDate::from_ymd_opt(year, month, 1)
        })
        .flatten();
    let released =
        parsed.ok_or_else(|| format!("\"{version}\" is not a LinkedIn-Version (YYYYMM)"))?;
    Ok(add_months(released, VERSION_LIFETIME_MONTHS))
}

/// Whether `version` is still supported on `today`, for `check-config`
/// and the daily run.
pub fn version_status(version: &str, today: NaiveDate) -> Result<VersionStatus, String> {
    let sunset = version_sunset(version)?;
    Ok(if today >= sunset {
        VersionStatus::Sunset { sunset }
    } else if add_months(today, SUNSET_WARNING_MONTHS) >= sunset {
        VersionStatus::SunsetSoon { sunset }
    } else {
        VersionStatus::Supported { sunset }
    })
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_supported_for_a_year_with_a_warning_three_months_before() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let sunset = day(2027, 11, 1);
        assert_eq!(version_sunset("202611"), Ok(sunset));
        assert_eq!(
            version_status("202611", day(2027, 7, 31)),
            Ok(VersionStatus::Supported { sunset })
        );
        assert_eq!(
            version_status("202611", day(2027, 8, 1)),
            Ok(VersionStatus::SunsetSoon { sunset })
        );
        assert_eq!(
            version_status("202611", day(2027, 11, 1)),
            Ok(VersionStatus::Sunset { sunset })
        );
        for bad in ["2026-11", "202613", "v2", "20261101"] {
            assert!(version_sunset(bad).is_err(), "{bad} accepted");
        }
    }
}
