//! The operations notice about a record path from the database that the
//! archive refused: a row naming a file outside the archive's records
//! folder (`/etc/…`, `../…`) is either a fault or someone who could write
//! the database trying to make the service read or delete that file.

use chrono::{DateTime, Utc};

use super::{Document, Fact, Rendered, Section, Span, local_time};

/// Context of the notice about one refused record path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedPathNotice {
    /// The database row that names the path, e.g. `comments.id = 12`.
    pub row: String,
    /// What the service was doing when it refused it (Swedish).
    pub during: String,
    /// The path as the row gives it.
    pub path: String,
    /// Why it was refused (the archive's reason).
    pub why: String,
    /// When it was refused.
    pub refused_at: DateTime<Utc>,
}

/// One notice per refused path, to operations.
pub fn refused_path(ctx: &RefusedPathNotice) -> Rendered {
    let subject = format!(
        "Systemproblem: databasen pekar utanför bevisarkivet ({})",
        ctx.row
    );
    let document = Document {
        title: subject.clone(),
        intro: format!(
            "Vid {} pekade en rad i databasen på en fil utanför bevisarkivets records-mapp. \
             Tjänsten vägrade använda sökvägen och har varken läst, skickat eller raderat \
             filen; det som raden gäller väntar tills raden är rättad.",
            ctx.during
        ),
        facts: vec![
            Fact::code("Rad", ctx.row.clone()),
            Fact::code("Sökväg", ctx.path.clone()),
            Fact::text("Skäl", ctx.why.clone()),
            Fact::text("Upptäckt", local_time(ctx.refused_at)),
        ],
        sections: vec![Section::steps(
            "Vad du ska göra",
            vec![
                vec![Span::text(
                    "Utred hur raden fick sökvägen: ingen del av tjänsten skriver sådana \
                     sökvägar, så någon med skrivrätt till databasen kan ha ändrat den. \
                     Behandla det som en säkerhetsincident tills motsatsen är visad.",
                )],
                vec![
                    Span::text(
                        "Rätta raden så att den pekar på postens plats under records/ (samma \
                         sökväg som i chain.jsonl för postens SHA-256) och kontrollera arkivet \
                         med ",
                    ),
                    Span::code("kommentarsvakt archive verify"),
                    Span::text("."),
                ],
            ],
        )],
    };
    document.render(subject)
}
