//! The e-mail that carries the February/September report to the
//! communications unit (the whole city) and to each department (its own
//! accounts), with the report attached as HTML and CSV.

use chrono::NaiveDate;

use super::{Document, Fact, Rendered, Section, Span};

/// Context of the report's covering e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HalfYearReport {
    /// The first day reported.
    pub first_day: NaiveDate,
    /// The last day reported.
    pub last_day: NaiveDate,
    /// The department reported; `None` for the whole city.
    pub department_name: Option<String>,
    /// How many accounts the report covers.
    pub accounts: usize,
    /// The names of the attached files, HTML first.
    pub attachments: Vec<String>,
}

/// The covering e-mail of the half-year report.
pub fn half_year_report(ctx: &HalfYearReport) -> Rendered {
    let scope = ctx
        .department_name
        .clone()
        .unwrap_or_else(|| "hela staden".to_string());
    let subject = format!(
        "Halvårsrapport om konton i sociala medier {} – {} ({scope})",
        ctx.first_day, ctx.last_day
    );
    let document = Document {
        title: subject.clone(),
        intro: format!(
            "Här är halvårsrapporten om stadens konton i sociala medier för {scope}, som \
             riktlinjerna för sociala medier (KS 2018/1303) begär i februari och september: \
             kontoregistret med nya, befintliga och avslutade konton, varje kontos aktivitet \
             och underlaget som visar att kontona har bevakats."
        ),
        facts: vec![
            Fact::text("Period", format!("{} – {}", ctx.first_day, ctx.last_day)),
            Fact::text("Omfattning", scope.clone()),
            Fact::text("Konton", ctx.accounts.to_string()),
            Fact::text("Bilagor", ctx.attachments.join(", ")),
        ],
        sections: vec![Section::steps(
            "Vad du ska göra",
            vec![
                vec![Span::text(
                    "Öppna HTML-bilagan i en webbläsare och kontrollera att kontoregistret \
                     stämmer: ansvarig person, syfte och status för varje konto.",
                )],
                vec![Span::text(
                    "CSV-bilagan har en rad per konto för kommunikationsavdelningens \
                     sammanställning; den öppnas direkt i ett kalkylprogram.",
                )],
                vec![
                    Span::text("Rapporten kan göras om för en annan period med "),
                    Span::code(format!(
                        "kommentarsvakt report --from {} --to {}",
                        ctx.first_day, ctx.last_day
                    )),
                    Span::text("."),
                ],
            ],
        )],
    };
    document.render(subject)
}
