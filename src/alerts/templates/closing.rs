//! The reminder an account's responsible person gets when an operator
//! closes the account (`kommentarsvakt accounts close`): the policy asks
//! for a last post saying the account closes and where to go instead, so
//! the e-mail carries a Swedish draft of that post.

use chrono::NaiveDate;

use super::{Document, Fact, Rendered, Section, Span};
use crate::domain::PlatformKind;

/// Context of the closing reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingReminder {
    /// The account's display name.
    pub account_name: String,
    /// The platform the account is on.
    pub platform: PlatformKind,
    /// The owning department's name.
    pub department_name: String,
    /// The last day the account is monitored.
    pub closing_date: NaiveDate,
}

/// The draft of the account's last post, for the responsible person to
/// adapt and publish before the closing date.
pub fn closing_post(ctx: &ClosingReminder) -> String {
    format!(
        "Det här kontot avslutas den {date}. Efter det svarar vi inte på frågor eller \
         kommentarer här. Du hittar {department} och Stockholms stad på start.stockholm, där du \
         också kan kontakta oss. Tack för att du har följt oss!",
        date = ctx.closing_date,
        department = ctx.department_name
    )
}

/// The reminder to post the closing notice before the account closes.
pub fn closing_reminder(ctx: &ClosingReminder) -> Rendered {
    let subject = format!(
        "Kontot {} avslutas {}: publicera ett avslutande inlägg",
        ctx.account_name, ctx.closing_date
    );
    let document = Document {
        title: subject.clone(),
        intro: format!(
            "Kontot {} på {} avslutas den {}. Kommentarsvakt bevakar det till och med den dagen, \
             lämnar sedan kontots bevakningsunderlag till arkivet som ett arkivpaket och slutar \
             bevaka det. Enligt riktlinjerna ska kontot först meddela i ett inlägg att det \
             avslutas och var följarna hittar staden i stället.",
            ctx.account_name,
            ctx.platform.display_name(),
            ctx.closing_date
        ),
        facts: vec![
            Fact::text("Konto", ctx.account_name.clone()),
            Fact::text("Plattform", ctx.platform.display_name()),
            Fact::text("Förvaltning", ctx.department_name.clone()),
            Fact::text("Avslutas", ctx.closing_date.to_string()),
        ],
        sections: vec![
            Section::paragraph(
                "Förslag till avslutande inlägg",
                vec![Span::text(closing_post(ctx))],
            ),
            Section::steps(
                "Vad du ska göra",
                vec![
                    vec![Span::text(
                        "Anpassa inlägget (till exempel med en länk till förvaltningens \
                         webbplats) och publicera det på kontot i god tid före stängningen.",
                    )],
                    vec![Span::text(
                        "Svara på frågor som kommer in fram till stängningen; kommentarsvakt \
                         bevakar kontot som vanligt till och med stängningsdagen.",
                    )],
                    vec![Span::text(
                        "Stäng eller avpublicera kontot på plattformen efter stängningsdagen.",
                    )],
                ],
            ),
        ],
    };
    document.render(subject)
}
