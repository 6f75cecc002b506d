//! The February/September report the social-media policy (KS 2018/1303)
//! asks of every department: the account register (new, existing and
//! closed accounts with the policy's fields), each account's half year in
//! figures, and the proof of oversight — every monitoring slot the
//! schedule required, with the run of the poll-run log that covered it.
//!
//! [`build`] reads the store and the configuration into a [`Report`];
//! [`html::render`] writes it as one self-contained Swedish HTML page with
//! SVG charts ([`charts`], drawn by `plotters`), [`csv::render`] as one
//! CSV row per account for the communications unit's spreadsheet, and
//! [`pdf::render`] prints the HTML page to A4 with headless Chromium.

pub mod activity;
pub mod basic_info;
pub mod breaks;
pub mod charts;
pub mod checks;
pub mod csv;
pub mod findings;
pub mod format;
pub mod html;
pub mod oversight;
pub mod pdf;
pub mod register;
pub mod rhythm;
pub mod scheduled;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::config::{AccountConfig, Config};
use crate::store::{Store, StoreError};
pub use activity::{AccountActivity, PeriodRows};
pub use oversight::Oversight;
pub use register::{RegisterGroup, RegisterRow};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period ends before it starts.
    #[error("the period {from} – {to} ends before it starts")]
    EmptyPeriod {
        /// The first day asked for.
        from: NaiveDate,
        /// The last day asked for.
        to: NaiveDate,
    },
    /// `--department` names no configured department.
    #[error("\"{0}\" is not a configured department")]
    UnknownDepartment(String),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A chart could not be drawn.
    #[error("drawing a chart: {0}")]
    Chart(String),
    /// The CSV could not be written.
    #[error("writing the CSV: {0}")]
    Csv(String),
    /// A PDF was asked for on a machine without Chromium.
    #[error(
        "a PDF report needs Chromium, which is not at {path}: install it (Debian: apt install {package}) or set archive.chromium_path"
    )]
    NoChromium {
        /// Where it was looked for.
        path: String,
        /// The package that provides it.
        package: &'static str,
    },
    /// Chromium could not print the page.
    #[error("printing the report to PDF: {0}")]
    Pdf(String),
}

/// The days a report covers, both included, in the city's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub first_day: NaiveDate,
    /// The last day.
    pub last_day: NaiveDate,
}

impl Period {
    /// The period `from..=to`; refused when it ends before it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, ReportError> {
        if to < from {
            return Err(ReportError::EmptyPeriod { from, to });
        }
        Ok(Self {
            first_day: from,
            last_day: to,
        })
    }

    /// The instant the period starts: the first day's midnight.
    pub fn start(&self, timezone: Tz) -> DateTime<Utc> {
        midnight(self.first_day, timezone)
    }

    /// The instant after the period: the midnight after the last day.
    pub fn end(&self, timezone: Tz) -> DateTime<Utc> {
        midnight(self.last_day + Days::new(1), timezone)
    }
}

fn midnight(day: NaiveDate, timezone: Tz) -> DateTime<Utc> {
    timezone
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// Everything the report shows, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    /// The days covered.
    pub period: Period,
    /// The city's time zone, in which times are shown.
    pub timezone: Tz,
    /// When it was made.
    pub made_at: DateTime<Utc>,
    /// The department it is for; `None` for the whole city.
    pub department: Option<String>,
    /// The Mondays of the weeks the period touches.
    pub weeks: Vec<NaiveDate>,
    /// How each week counts for the publishing rhythm.
    pub week_kinds: Vec<rhythm::WeekKind>,
    /// The register, new accounts first, then existing, then closed.
    pub register: Vec<RegisterRow>,
    /// Each account's figures, in the register's order.
    pub accounts: Vec<AccountActivity>,
    /// The proof of oversight (for the whole service: one run polls every
    /// account).
    pub oversight: Oversight,
    /// Per platform of the report's accounts, the basic information its
    /// API keeps out of reach (platforms that hide nothing left out).
    pub unverifiable: Vec<(crate::domain::PlatformKind, Vec<String>)>,
}

impl Report {
    /// The report's title: `Rapport om konton i sociala medier, 2026-09-01 – 2027-01-31`.
    pub fn title(&self) -> String {
        format!(
            "Rapport om konton i sociala medier, {} – {}",
            format::date(self.period.first_day),
            format::date(self.period.last_day)
        )
    }
}

/// Reads what the report needs for `period` from the store and builds it;
/// with `department`, only that department's accounts are reported.
pub async fn build(
    store: &Store,
    config: &Config,
    period: Period,
    department: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Report, ReportError> {
    let department_name = department
        .map(|key| {
            config
                .department(key)
                .map(|d| d.name.clone())
                .ok_or_else(|| ReportError::UnknownDepartment(key.to_string()))
        })
        .transpose()?;
    let timezone = config.schedule.timezone();
    let (start, end) = (period.start(timezone), period.end(timezone));
    let accounts: Vec<&AccountConfig> = config
        .accounts
        .iter()
        .filter(|a| department.is_none_or(|key| a.department == key))
        .collect();
    let register = register::register_rows(config, &accounts, period.first_day, period.last_day);
    let weeks = activity::weeks(period.first_day, period.last_day);
    let rows = period_rows(
        store,
        &activity::week_bounds(&weeks, start, end, timezone),
        start,
        end,
    )
    .await?;
    let week_kinds =
        rhythm::week_kinds(&weeks, period.first_day, period.last_day, &config.schedule);
    let breaks = breaks::announced_breaks(store, start, end, timezone).await?;
    let first_reads = store.first_successful_reads().await?;
    let mut check_findings = findings::by_account(
        store
            .check_findings_during(period.first_day, period.last_day)
            .await?,
    );
    let activities = register
        .iter()
        .map(|row| {
            let kinds = rhythm::with_breaks(
                &week_kinds,
                &weeks,
                breaks.get(&row.account.key).map_or(&[][..], Vec::as_slice),
            );
            // A week is watched when the service had read the account
            // before it began, as in the daily check.
            let first_read = first_reads.get(&row.account.key);
            let watched: Vec<bool> = weeks
                .iter()
                .map(|monday| first_read.is_some_and(|at| *at < midnight(*monday, timezone)))
                .collect();
            let kinds = rhythm::with_watch(&kinds, &watched);
            let mut activity = activity::account_activity(
                &row.account.key,
                &row.account.name,
                &rows,
                &weeks,
                timezone,
            );
            activity.low_publishing =
                rhythm::two_weeks_below(&activity.posts_per_week, &kinds, &weeks);
            activity.findings = check_findings.remove(&row.account.key).unwrap_or_default();
            activity
        })
        .collect();
    let unverifiable =
        findings::unverifiable_by_platform(register.iter().map(|row| row.account.platform));
    let runs = store.runs_since(start).await?;
    // Slots still ahead (a period reported before it ends) are not due yet.
    let slots = config.schedule.slots_between(start, end.min(now));
    let crisis_interval = TimeDelta::from_std(config.crisis.interval).unwrap_or(TimeDelta::MAX);
    Ok(Report {
        period,
        timezone,
        made_at: now,
        department: department_name,
        weeks,
        week_kinds,
        register,
        accounts: activities,
        oversight: Oversight::from_log(&slots, &runs, crisis_interval, end),
        unverifiable,
    })
}

async fn period_rows(
    store: &Store,
    week_bounds: &[crate::store::WeekBounds],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<PeriodRows, StoreError> {
    let in_period = |t: DateTime<Utc>| start <= t && t < end;
    Ok(PeriodRows {
        posts_per_week: store.own_posts_per_week(week_bounds).await?,
        comments_per_week: store.comments_received_per_week(week_bounds).await?,
        removals: store.removed_content(start, end).await?,
        reviews: store.review_timings(start, end).await?,
        tickets: store
            .tickets(true)
            .await?
            .into_iter()
            .filter(|t| in_period(t.created_at))
            .collect(),
    })
}
