//! The daily digest to the registry office: the evidence chain's head, so
//! that a copy of it lies in the registry's records system, out of reach of
//! whoever can write the archive and the service's database.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Document, Fact, Rendered, Section, Span, local_time};

/// Context of the daily digest to the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryDigest {
    /// The day (Stockholm) the digest is for.
    pub day: NaiveDate,
    /// The SHA-256 of the chain's latest record.
    pub head_sha256: String,
    /// How many records the chain held.
    pub record_count: u64,
    /// When the service anchored that head.
    pub anchored_at: DateTime<Utc>,
    /// The anchor as `archive verify --anchor` reads it (`HASH:COUNT`).
    pub given_form: String,
}

/// The daily digest to the registry office, with the chain anchor and how
/// to check the archive against it.
pub fn registry_digest(ctx: &RegistryDigest) -> Rendered {
    let subject = format!(
        "Daglig sammanställning till registrator {}: bevisarkivets kedjeankare",
        ctx.day
    );
    let command = format!("kommentarsvakt archive verify --anchor {}", ctx.given_form);
    let document = Document {
        title: subject.clone(),
        intro: "Kedjeankaret nedan är bevisarkivets senaste kontrollsumma; diarieför meddelandet, \
                så kan man senare visa att arkivet inte har byggts om i efterhand, även av någon \
                som kan ändra både arkivet och tjänstens databas."
            .to_string(),
        facts: vec![
            Fact::text("Dag", ctx.day.to_string()),
            Fact::code("Senaste postens SHA-256", ctx.head_sha256.clone()),
            Fact::text("Antal poster i kedjan", ctx.record_count.to_string()),
            Fact::text("Förankrat", local_time(ctx.anchored_at)),
            Fact::code("Kedjeankare", ctx.given_form.clone()),
        ],
        sections: vec![Section::steps(
            "Så kontrolleras arkivet mot ankaret",
            vec![
                vec![
                    Span::text("Kör "),
                    Span::code(command),
                    Span::text(
                        " på servern (med tjänstens konfiguration, eller --dir och arkivets \
                         katalog).",
                    ),
                ],
                vec![Span::text(
                    "Har kedjan byggts om eller kortats efter det här meddelandet svarar \
                     kontrollen TAMPERING och slutkod 1: kontakta då IT-säkerhet och behåll \
                     meddelandet.",
                )],
            ],
        )],
    };
    document.render(subject)
}
