//! The February/September report, sent by the service itself: in the first
//! working week of February and of September the whole city's report goes
//! to the communications unit (`[report] communications_address`) and each
//! department's own to its `central_address`, covering the half year
//! before (July–December in February, January–June in September), with
//! the report attached as HTML and CSV, and as PDF where Chromium is
//! installed (a PDF that cannot be printed is left out and logged; the
//! report still goes).
//!
//! The daemon asks every working-day morning ([`send_if_due`]); each
//! report is queued under an outbox key per period and recipient, so it is
//! sent once however many mornings of that week ask, and a service that
//! was down on the first working day sends it on the next. A report
//! already in the outbox is not built again: building reads the whole
//! half year from the store and printing it starts Chromium.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use tracing::warn;

use super::{Period, ReportError, build, csv, html, pdf};
use crate::alerts::templates::{HalfYearReport, half_year_report};
use crate::alerts::{Attachment, OutgoingMail};
use crate::config::Config;
use crate::schedule::Schedule;
use crate::store::Store;

/// The half year whose report is due on `today`, if `today` is in the
/// first working week of February or September: from the month's first
/// working day to six days after it.
pub fn due_period(schedule: &Schedule, today: NaiveDate) -> Option<Period> {
    let (from, to) = match today.month() {
        2 => (
            NaiveDate::from_ymd_opt(today.year() - 1, 7, 1)?,
            NaiveDate::from_ymd_opt(today.year() - 1, 12, 31)?,
        ),
        9 => (
            NaiveDate::from_ymd_opt(today.year(), 1, 1)?,
            NaiveDate::from_ymd_opt(today.year(), 6, 30)?,
        ),
        _ => return None,
    };
    let first_working_day = today
        .with_day(1)?
        .iter_days()
        .take(31)
        .find(|day| schedule.is_working_day(*day))?;
    let in_first_week = first_working_day <= today && today <= first_working_day + Days::new(6);
    in_first_week.then(|| Period::new(from, to).ok()).flatten()
}

/// Queues the report due at `now`, if any, for the communications unit and
/// for each department with an address; returns how many e-mails were
/// queued now (none when each was queued before).
pub async fn send_if_due(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, ReportError> {
    let today = now.with_timezone(&config.schedule.timezone()).date_naive();
    let Some(period) = due_period(&config.schedule, today) else {
        return Ok(0);
    };
    let mut recipients: Vec<(Option<&str>, &str)> = config
        .communications_address
        .as_deref()
        .map(|address| (None, address))
        .into_iter()
        .collect();
    recipients.extend(config.departments.iter().filter_map(|department| {
        let has_accounts = config
            .accounts
            .iter()
            .any(|a| a.department == department.key);
        let address = department.central_address.as_deref()?;
        has_accounts.then_some((Some(department.key.as_str()), address))
    }));
    let mut queued = 0;
    for (department, address) in recipients {
        let key = format!(
            "report:{}:{}:{}:{address}",
            period.first_day,
            period.last_day,
            department.unwrap_or("stad")
        );
        if store.outbox_has(&key).await? {
            continue;
        }
        let mail = report_mail(store, config, period, department, address, now, &key).await?;
        if store.enqueue(&mail.outbox_item(key), now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

async fn report_mail(
    store: &Store,
    config: &Config,
    period: Period,
    department: Option<&str>,
    address: &str,
    now: DateTime<Utc>,
    message_id: &str,
) -> Result<OutgoingMail, ReportError> {
    let report = build(store, config, period, department, now).await?;
    let stem = format!(
        "rapport-{}-{}-{}",
        department.unwrap_or("stad"),
        period.first_day,
        period.last_day
    );
    let mut attachments = vec![
        Attachment {
            filename: format!("{stem}.html"),
            content_type: "text/html; charset=utf-8".to_string(),
            bytes: html::render(&report)?.into_bytes(),
        },
        Attachment {
            filename: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8".to_string(),
            bytes: csv::render(&report)?.into_bytes(),
        },
    ];
    if config.chromium_path.exists() {
        match pdf::render(&report, &config.chromium_path).await {
            Ok(bytes) => attachments.push(Attachment {
                filename: format!("{stem}.pdf"),
                content_type: "application/pdf".to_string(),
                bytes,
            }),
            Err(error) => {
                warn!(%error, "The half-year report goes without its PDF");
            }
        }
    }
    let rendered = half_year_report(&HalfYearReport {
        first_day: period.first_day,
        last_day: period.last_day,
        department_name: report.department.clone(),
        accounts: report.register.len(),
        attachments: attachments.iter().map(|a| a.filename.clone()).collect(),
    });
    let mut mail = OutgoingMail::from_rendered(
        rendered,
        vec![address.to_string()],
        Vec::new(),
        message_id.to_string(),
    );
    mail.attachments = attachments;
    Ok(mail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::ScheduleSpec;

    fn day(year: i32, month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default()
    }

    #[test]
    fn the_report_is_due_in_the_first_working_week_of_february_and_september() {
        let schedule = Schedule::new(ScheduleSpec::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let autumn = Period::new(day(2026, 7, 1), day(2026, 12, 31)).ok();
        // 1 February 2027 is a Monday.
        assert_eq!(due_period(&schedule, day(2027, 2, 1)), autumn);
        assert_eq!(due_period(&schedule, day(2027, 2, 7)), autumn);
        assert_eq!(
            due_period(&schedule, day(2027, 2, 8)),
            None,
            "the second week"
        );
        assert_eq!(due_period(&schedule, day(2027, 1, 29)), None);
        // 1 September 2029 is a Saturday: the week starts on Monday the 3rd.
        let spring = Period::new(day(2029, 1, 1), day(2029, 6, 30)).ok();
        assert_eq!(due_period(&schedule, day(2029, 9, 1)), None);
        assert_eq!(due_period(&schedule, day(2029, 9, 3)), spring);
        assert_eq!(due_period(&schedule, day(2029, 9, 9)), spring);
        assert_eq!(due_period(&schedule, day(2029, 9, 10)), None);
    }
}
