//! The report as CSV for the communications unit's list of accounts: one
//! row per account with the register's fields, the period's figures and
//! the daily checks' findings.
//! Written the way Swedish spreadsheets read it: `;` between fields, a
//! decimal comma, no thousands separator (it would make a number text),
//! and a byte-order mark so that the Swedish letters come out right.

use super::findings::{NO_FINDINGS, PeriodFinding};
use super::{Report, ReportError};

/// The header row, in Swedish.
pub const HEADER: [&str; 29] = [
    "lista",
    "konto",
    "namn",
    "plattform",
    "länk",
    "förvaltning",
    "beskrivning",
    "syfte",
    "mål",
    "målgrupper",
    "ansvarig",
    "ansvarigs e-post",
    "startdatum",
    "status",
    "inlägg",
    "inlägg per vecka",
    "kommentarer",
    "dolda",
    "raderade",
    "till granskning",
    "beslutade",
    "mediantid till beslut (h)",
    "frågor",
    "besvarade i tid",
    "mediantid till svar (h)",
    "ärenden till handläggning",
    "två veckor i rad under publiceringsrytmen (t.o.m. vecka)",
    "dagliga kontroller",
    "kan inte kontrolleras",
];

/// The report's accounts as CSV text.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let fail = |e: ::csv::Error| ReportError::Csv(e.to_string());
    writer.write_record(HEADER).map_err(fail)?;
    let weeks = report.weeks.len().max(1) as f64;
    for (row, activity) in report.register.iter().zip(&report.accounts) {
        let account = &row.account;
        let register = &account.register;
        let record: [String; 29] = [
            row.group.label().to_string(),
            account.key.clone(),
            account.name.clone(),
            account.platform.display_name().to_string(),
            account.link.clone().unwrap_or_default(),
            row.department_name.clone(),
            register.description.clone().unwrap_or_default(),
            account.purpose.clone(),
            register.goals.join(" | "),
            register.target_groups.join(" | "),
            register.responsible.name.clone().unwrap_or_default(),
            register.responsible.email.clone().unwrap_or_default(),
            register.started.map(|d| d.to_string()).unwrap_or_default(),
            row.status_text(),
            activity.posts().to_string(),
            decimal(activity.posts() as f64 / weeks),
            activity.comments().to_string(),
            activity.hidden().to_string(),
            activity.deleted().to_string(),
            activity.reviews.arrived.to_string(),
            activity.reviews.handled.to_string(),
            activity
                .reviews
                .median_hours
                .map(decimal)
                .unwrap_or_default(),
            activity.questions.arrived.to_string(),
            activity.questions.in_time.to_string(),
            activity
                .questions
                .median_hours
                .map(decimal)
                .unwrap_or_default(),
            activity.case_matters().to_string(),
            activity
                .low_publishing
                .iter()
                .map(|monday| super::format::week(*monday))
                .collect::<Vec<_>>()
                .join(" | "),
            findings_cell(&activity.findings),
            super::findings::unverifiable(account.platform).join(" | "),
        ];
        writer.write_record(&record).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ReportError::Csv(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| ReportError::Csv(e.to_string()))?;
    Ok(format!("\u{feff}{text}"))
}

/// The account's findings, one after the other, or that there were none.
fn findings_cell(findings: &[PeriodFinding]) -> String {
    if findings.is_empty() {
        return NO_FINDINGS.to_string();
    }
    findings
        .iter()
        .map(PeriodFinding::line)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One decimal with a decimal comma and no grouping: `1234,5`.
fn decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}
