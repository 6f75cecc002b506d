//! The report as one self-contained Swedish HTML page: the register, the
//! figures and charts per account, a city-wide overview and the proof of
//! oversight. The charts are inline SVG; the page needs nothing else, so
//! it can be e-mailed, archived and opened anywhere. Every value from the
//! configuration is escaped by `maud`.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::activity::{AccountActivity, RemovalCount};
use super::findings::{NO_FINDINGS, PeriodFinding};
use super::oversight::{Coverage, Oversight};
use super::register::{RegisterGroup, RegisterRow};
use super::rhythm::MIN_POSTS_PER_WEEK;
use super::{Report, ReportError, charts, format};

const STYLE: &str = "
body{font-family:system-ui,'Segoe UI',Arial,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #004b93;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;width:100%}
th,td{border:1px solid #c8c8c8;padding:.3rem .5rem;text-align:left;vertical-align:top}
.register{font-size:.9rem}.epost{overflow-wrap:anywhere}.datum{white-space:nowrap}
th{background:#eef3f9}td.tal{text-align:right;white-space:nowrap}
.nyckeltal{display:flex;flex-wrap:wrap;gap:.8rem;padding:0;list-style:none}
.nyckeltal li{border:1px solid #c8c8c8;border-radius:4px;padding:.5rem .8rem;min-width:9rem}
.nyckeltal strong{display:block;font-size:1.4rem}
figure{margin:.5rem 0 1rem}figcaption{font-size:.9rem;color:#444}
.missad{background:#fdecea}.konto{page-break-inside:avoid}
";

/// The whole page.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let city_posts = sum_weeks(report, |a| &a.posts_per_week);
    let city_comments = sum_weeks(report, |a| &a.comments_per_week);
    let city_chart = charts::posts_and_comments(&report.weeks, &city_posts, &city_comments)?;
    let accounts = report
        .register
        .iter()
        .zip(&report.accounts)
        .map(|(row, activity)| account_section(report, row, activity))
        .collect::<Result<Vec<Markup>, ReportError>>()?;
    let page = html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title()) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { (heading(report)) }
                main {
                    (overview(report, &city_chart))
                    (register(report))
                    section aria-labelledby="per-konto" {
                        h2 id="per-konto" { "Konto för konto" }
                        @for account in &accounts { (account) }
                    }
                    (checks(report))
                    (oversight(report))
                }
            }
        }
    };
    Ok(page.into_string())
}

fn heading(report: &Report) -> Markup {
    html! {
        h1 { (report.title()) }
        p {
            "Gäller: " strong { (report.department.as_deref().unwrap_or("hela staden")) } ". "
            "Sammanställd " (format::moment(report.made_at, report.timezone))
            " av kommentarsvakt, enligt Policy för Stockholms stads konton i sociala medier (KS 2018/1303)."
        }
    }
}

fn sum_weeks(report: &Report, of: impl Fn(&AccountActivity) -> &Vec<usize>) -> Vec<usize> {
    let mut sums = vec![0; report.weeks.len()];
    for account in &report.accounts {
        for (sum, n) in sums.iter_mut().zip(of(account)) {
            *sum += n;
        }
    }
    sums
}

fn overview(report: &Report, chart: &str) -> Markup {
    let total = |f: fn(&AccountActivity) -> usize| report.accounts.iter().map(f).sum::<usize>();
    let questions = total(|a| a.questions.arrived);
    let in_time = total(|a| a.questions.in_time);
    let slots = report.oversight.slots.len();
    let missed = report.oversight.missed();
    html! {
        section aria-labelledby="oversikt" {
            h2 id="oversikt" { "Översikt" }
            ul class="nyckeltal" {
                li { strong { (format::count(report.register.len())) } "konton" }
                li { strong { (format::count(total(AccountActivity::posts))) } "egna inlägg" }
                li { strong { (format::count(total(AccountActivity::comments))) } "kommentarer" }
                li { strong { (format::count(total(AccountActivity::hidden))) } "dolda" }
                li { strong { (format::count(total(AccountActivity::deleted))) } "raderade" }
                li { strong { (format::count(total(|a| a.reviews.arrived))) } "till granskning" }
                li { strong { (format::percent(in_time, questions)) } "av " (format::count(questions)) " frågor besvarade i tid" }
                li { strong { (format::count(slots - missed)) " av " (format::count(slots)) } "bevakningstillfällen täckta" }
                li { strong { (format::count(report.accounts.iter().filter(|a| !a.low_publishing.is_empty()).count())) } "konton under publiceringsrytmen två veckor i rad" }
            }
            figure role="img" aria-label="Egna inlägg och kommentarer per vecka, alla konton" {
                (PreEscaped(chart))
                figcaption { "Egna inlägg och kommentarer per vecka, alla konton i rapporten." }
            }
        }
    }
}

fn register(report: &Report) -> Markup {
    let groups = [
        RegisterGroup::New,
        RegisterGroup::Existing,
        RegisterGroup::Closed,
    ];
    html! {
        section aria-labelledby="register" {
            h2 id="register" { "Kontoregister" }
            @for group in groups {
                @let rows: Vec<&RegisterRow> = report.register.iter().filter(|r| r.group == group).collect();
                h3 { (group.swedish()) " (" (rows.len()) ")" }
                @if rows.is_empty() {
                    p { "Inga." }
                } @else {
                    table class="register" {
                        thead { tr {
                            th scope="col" { "Konto" } th scope="col" { "Plattform" }
                            th scope="col" { "Förvaltning" } th scope="col" { "Beskrivning och syfte" }
                            th scope="col" { "Mål" } th scope="col" { "Målgrupper" }
                            th scope="col" { "Utsedd ansvarig" } th scope="col" { "Start" }
                            th scope="col" { "Status" }
                        } }
                        tbody { @for row in rows { (register_row(row)) } }
                    }
                }
            }
        }
    }
}

fn register_row(row: &RegisterRow) -> Markup {
    let account = &row.account;
    let register = &account.register;
    html! {
        tr {
            td {
                @match &account.link {
                    Some(link) => { a href=(link) { (account.name) } }
                    None => { (account.name) }
                }
            }
            td { (account.platform.display_name()) }
            td { (row.department_name) }
            td {
                @if let Some(description) = &register.description { (description) br; }
                "Syfte: " (account.purpose)
            }
            td { (missing_or(register.goals.join("; "))) }
            td { (missing_or(register.target_groups.join("; "))) }
            td {
                (missing_or(register.responsible.name.clone().unwrap_or_default()))
                @if let Some(email) = &register.responsible.email { br; span class="epost" { (email) } }
            }
            td class="datum" { (register.started.map(format::date).unwrap_or_else(|| "saknas".into())) }
            td { (row.status_text()) }
        }
    }
}

fn missing_or(text: String) -> String {
    if text.is_empty() {
        "saknas".into()
    } else {
        text
    }
}

fn account_section(
    report: &Report,
    row: &RegisterRow,
    activity: &AccountActivity,
) -> Result<Markup, ReportError> {
    let posts_chart = charts::posts_and_comments(
        &report.weeks,
        &activity.posts_per_week,
        &activity.comments_per_week,
    )?;
    let times_chart = charts::response_times(
        &report.weeks,
        &activity.reviews.weekly_median_hours,
        &activity.questions.weekly_median_hours,
    )?;
    let weeks = report.weeks.len().max(1) as f64;
    let hours = |h: Option<f64>| h.map_or_else(|| "–".to_string(), format::hours);
    Ok(html! {
        section class="konto" aria-labelledby={"konto-" (activity.key)} {
            h3 id={"konto-" (activity.key)} { (activity.name) " (" (row.account.platform.display_name()) ")" }
            table {
                tbody {
                    tr { th scope="row" { "Egna inlägg" } td class="tal" { (format::count(activity.posts())) " (" (format::decimal(activity.posts() as f64 / weeks)) " per vecka)" } }
                    tr { th scope="row" { "Kommentarer" } td class="tal" { (format::count(activity.comments())) } }
                    tr { th scope="row" { "Dolda / raderade" } td class="tal" { (format::count(activity.hidden())) " / " (format::count(activity.deleted())) } }
                    tr { th scope="row" { "Till granskning / beslutade" } td class="tal" { (format::count(activity.reviews.arrived)) " / " (format::count(activity.reviews.handled)) } }
                    tr { th scope="row" { "Tid till beslut (median / längst)" } td class="tal" { (hours(activity.reviews.median_hours)) " / " (hours(activity.reviews.longest_hours)) } }
                    tr { th scope="row" { "Frågor / besvarade / i tid" } td class="tal" { (format::count(activity.questions.arrived)) " / " (format::count(activity.questions.handled)) " / " (format::count(activity.questions.in_time)) } }
                    tr { th scope="row" { "Tid till svar (median)" } td class="tal" { (hours(activity.questions.median_hours)) } }
                    tr { th scope="row" { "Ärenden till handläggning" } td class="tal" { (format::count(activity.case_matters())) } }
                    tr {
                        th scope="row" { "Två veckor i rad under publiceringsrytmen (minst " (MIN_POSTS_PER_WEEK) " inlägg per vecka; helgveckor undantagna)" }
                        td class="tal" { (low_publishing_text(&activity.low_publishing)) }
                    }
                }
            }
            figure role="img" aria-label={"Egna inlägg och kommentarer per vecka, " (activity.name)} {
                (PreEscaped(posts_chart))
                figcaption { "Egna inlägg och kommentarer per vecka." }
            }
            figure role="img" aria-label={"Svarstider per vecka, " (activity.name)} {
                (PreEscaped(times_chart))
                figcaption { "Mediantid per vecka från granskning till beslut och från fråga till svar." }
            }
            (findings_table(&activity.findings))
            (removal_table("Dolda och raderade per kategori", "Kategori", &activity.removals_by_category))
            (removal_table("Dolda och raderade per rättslig grund", "Rättslig grund", &activity.removals_by_basis))
            @if !activity.tickets_by_kind.is_empty() {
                h4 { "Ärenden" }
                table {
                    thead { tr { th scope="col" { "Slag" } th scope="col" { "Antal" } } }
                    tbody { @for (kind, n) in &activity.tickets_by_kind {
                        tr { td { (kind.swedish_name()) } td class="tal" { (format::count(*n)) } }
                    } }
                }
            }
        }
    })
}

/// `nej`, or the weeks that ended two weeks in a row below the rhythm.
fn low_publishing_text(weeks: &[chrono::NaiveDate]) -> String {
    if weeks.is_empty() {
        "nej".to_string()
    } else {
        let weeks: Vec<String> = weeks.iter().map(|w| format::week(*w)).collect();
        format!("ja, t.o.m. {}", weeks.join(", "))
    }
}

/// The daily checks' findings open on the account during the period, or
/// that there were none.
fn findings_table(findings: &[PeriodFinding]) -> Markup {
    html! {
        h4 { "Dagliga kontroller" }
        @if findings.is_empty() {
            p class="kontroller" { (NO_FINDINGS) "." }
        } @else {
            table class="kontroller" {
                thead { tr { th scope="col" { "Anmärkning" } th scope="col" { "Först sedd" } th scope="col" { "Läge" } } }
                tbody { @for finding in findings {
                    tr data-check=(finding.check_name) {
                        td { (finding.title) }
                        td class="datum" { (format::date(finding.opened_on)) }
                        td { (finding.state()) }
                    }
                } }
            }
        }
    }
}

/// What the daily checks are, and per platform what the basic-information
/// check cannot see.
fn checks(report: &Report) -> Markup {
    let with_findings = report
        .accounts
        .iter()
        .filter(|a| !a.findings.is_empty())
        .count();
    html! {
        section aria-labelledby="kontroller" {
            h2 id="kontroller" { "Dagliga kontroller" }
            p {
                "Tjänsten kontrollerar varje dag publiceringsrytmen, att konton har ansvarig och moderator, "
                "tjänstens åtkomst, att varje konto bevakats under arbetsdagen och grundläggande information i profilen. "
                "Konton med anmärkningar under perioden: " strong { (format::count(with_findings)) } " av "
                (format::count(report.accounts.len())) "; varje anmärkning står under kontot ovan."
            }
            h3 { "Det som inte kan kontrolleras" }
            @if report.unverifiable.is_empty() {
                p { "Kontonas plattformar visar allt som kontrollen av grundläggande information läser." }
            } @else {
                p { "Uppgifter som plattformens API inte visar räknas aldrig som saknade; de behöver ses över för hand." }
                ul id="kan-inte-kontrolleras" {
                    @for (_, lines) in &report.unverifiable {
                        @for line in lines { li { (line) } }
                    }
                }
            }
        }
    }
}

fn removal_table(caption: &str, heading: &str, counts: &[RemovalCount]) -> Markup {
    html! {
        @if !counts.is_empty() {
            table {
                caption { (caption) }
                thead { tr { th scope="col" { (heading) } th scope="col" { "Dolda" } th scope="col" { "Raderade" } } }
                tbody { @for count in counts {
                    tr { td { (count.heading) } td class="tal" { (format::count(count.hidden)) } td class="tal" { (format::count(count.deleted)) } }
                } }
            }
        }
    }
}

fn oversight(report: &Report) -> Markup {
    let Oversight {
        slots,
        crisis_periods,
    } = &report.oversight;
    let tz = report.timezone;
    html! {
        section aria-labelledby="tillsyn" {
            h2 id="tillsyn" { "Bevis på bevakning" }
            p {
                "Varje bevakningstillfälle som schemat krävde under perioden, med den körning i körloggen som täckte det. "
                "Missade tillfällen: " strong { (format::count(report.oversight.missed())) } " av " (format::count(slots.len())) "."
            }
            h3 { "Krisperioder" }
            @if crisis_periods.is_empty() {
                p { "Inget krisläge under perioden." }
            } @else {
                table id="krisperioder" {
                    thead { tr { th scope="col" { "Första körning" } th scope="col" { "Sista körning" } th scope="col" { "Körningar" } } }
                    tbody { @for period in crisis_periods {
                        tr {
                            td { (format::moment(period.first_run, tz)) }
                            td { (format::moment(period.last_run, tz)) }
                            td class="tal" { (format::count(period.runs)) }
                        }
                    } }
                }
            }
            h3 { "Bevakningstillfällen" }
            table id="bevakning" {
                thead { tr {
                    th scope="col" { "Tillfälle" } th scope="col" { "Täckning" }
                    th scope="col" { "Körning" } th scope="col" { "Startade" } th scope="col" { "Status" }
                } }
                tbody { @for row in slots {
                    tr class=[row.coverage.is_missed().then_some("missad")] data-run=[row.coverage.run().map(|r| r.id)] {
                        td { (format::moment(row.slot, tz)) }
                        td { (row.coverage.swedish()) }
                        @match row.coverage.run() {
                            Some(run) => {
                                td class="tal" { "#" (run.id) }
                                td { (format::moment(run.started_at, tz)) }
                                td { (run_status(&run.status)) }
                            }
                            None => { td { "–" } td { "–" } td { "–" } }
                        }
                    }
                } }
            }
            @if slots.iter().any(|r| matches!(r.coverage, Coverage::Missed { .. })) {
                p { "En missad körning tas igen av nästa körning, som hämtar allt som kommit in sedan den förra." }
            }
        }
    }
}

fn run_status(status: &str) -> &'static str {
    match status {
        "completed" => "genomförd",
        "partial" => "delvis (något konto misslyckades)",
        "interrupted" => "avbruten",
        "running" => "pågår",
        _ => "okänd",
    }
}
