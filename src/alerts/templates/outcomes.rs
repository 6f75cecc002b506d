//! What moderators are told after the platform call, from its outcome: a
//! comment the service meant to hide but could not (still public, what to
//! do now), and one summary when a run acts on many comments of one
//! account at once.
//!
//! Nothing here is sent at decision time: a moderator who reads "hidden"
//! must be able to rely on the comment being hidden.

use chrono::{DateTime, Utc};

use super::{
    AlertReason, EvidenceRef, Fact, Line, RemovalOutcome, Rendered, Section, Span, category_list,
    comment_facts, evidence_facts, reasons_section, ticket_and_link_facts,
};
use crate::domain::PlatformKind;

/// Context of the notice that an automatic hide or delete did not happen
/// and the comment is still public. No field for the comment text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFailed {
    /// The account's display name.
    pub account_name: String,
    /// The platform the account is on.
    pub platform: PlatformKind,
    /// The platform's id of the comment.
    pub comment_id: String,
    /// The author's display name, if the platform gives it.
    pub author_name: Option<String>,
    /// When the comment was written.
    pub written_at: DateTime<Utc>,
    /// What the service meant to do ([`RemovalOutcome::Hidden`] or
    /// [`RemovalOutcome::Deleted`]).
    pub intended: RemovalOutcome,
    /// The kind of the last error (`unauthorized`, `permanent` …).
    pub error_kind: String,
    /// Platform calls made so far.
    pub attempts: i64,
    /// Whether the service has stopped trying.
    pub gave_up: bool,
    /// Why the comment was to be removed.
    pub reasons: Vec<AlertReason>,
    /// The evidence record written before the attempt.
    pub evidence: EvidenceRef,
    /// Link to the comment on the platform, if there is one.
    pub permalink: Option<String>,
}

/// The notice that a comment the service decided to remove is still public.
pub fn action_failed(ctx: &ActionFailed) -> Rendered {
    let subject = format!(
        "Kommentaren syns fortfarande: {} på {}",
        category_list(&ctx.reasons),
        ctx.account_name
    );
    let mut facts = comment_facts(
        &ctx.account_name,
        ctx.platform,
        &ctx.comment_id,
        ctx.author_name.as_deref(),
        ctx.written_at,
    );
    facts.push(Fact::text("Planerad åtgärd", intended_verb(ctx.intended)));
    facts.push(Fact::text("Fel", error_sv(&ctx.error_kind)));
    facts.push(Fact::text("Försök", ctx.attempts.to_string()));
    facts.extend(evidence_facts(&ctx.evidence));
    facts.extend(ticket_and_link_facts(None, ctx.permalink.as_deref()));
    let document = super::Document {
        title: subject.clone(),
        intro: format!(
            "Tjänsten beslutade att {} en kommentar på {} ({}) och dokumenterade den i \
             bevisarkivet, men plattformen genomförde inte åtgärden. Kommentaren syns \
             fortfarande för allmänheten.",
            intended_verb(ctx.intended),
            ctx.account_name,
            ctx.platform.display_name()
        ),
        facts,
        sections: vec![
            reasons_section(&ctx.reasons),
            Section::steps("Vad du ska göra nu", failed_steps(ctx)),
        ],
    };
    document.render(subject)
}

fn failed_steps(ctx: &ActionFailed) -> Vec<Line> {
    let mut steps = vec![vec![Span::text(format!(
        "{} kommentaren för hand på plattformen nu, via länken ovan eller i kontots \
         moderering. Den är redan dokumenterad i bevisposten, så det får göras direkt.",
        imperative(ctx.intended)
    ))]];
    if let Some(fix) = error_fix(&ctx.error_kind) {
        steps.push(vec![Span::text(fix)]);
    }
    steps.push(vec![Span::text(if ctx.gave_up {
        "Tjänsten har slutat försöka för den här kommentaren och skickar inget mer om den."
    } else {
        "Tjänsten försöker igen vid varje bevakning och meddelar dig när åtgärden har \
         genomförts."
    })]);
    steps
}

/// One comment in a [`OutcomeSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeItem {
    /// The platform's id of the comment.
    pub comment_id: String,
    /// What happened; `None` when the action failed and the comment is
    /// still public.
    pub outcome: Option<RemovalOutcome>,
    /// When it failed: the kind of error.
    pub error_kind: Option<String>,
    /// Why it was flagged.
    pub reasons: Vec<AlertReason>,
    /// Its evidence record.
    pub evidence: EvidenceRef,
    /// Link to the comment on the platform, if there is one.
    pub permalink: Option<String>,
}

/// Context of the one e-mail that replaces many single notices when a run
/// acts on more comments of one account than `[alerts] summary_above`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeSummary {
    /// The account's display name.
    pub account_name: String,
    /// The platform the account is on.
    pub platform: PlatformKind,
    /// Every comment, in the order the actions were decided.
    pub items: Vec<OutcomeItem>,
}

/// One e-mail listing every outcome of a run on one account: those still
/// public first, since they need a person now.
pub fn outcome_summary(ctx: &OutcomeSummary) -> Rendered {
    let count =
        |wanted: Option<RemovalOutcome>| ctx.items.iter().filter(|i| i.outcome == wanted).count();
    let visible = count(None);
    let hidden = count(Some(RemovalOutcome::Hidden));
    let deleted = count(Some(RemovalOutcome::Deleted));
    let documented = count(Some(RemovalOutcome::DocumentedOnly));
    let mut subject = format!("{} kommentarer på {}:", ctx.items.len(), ctx.account_name);
    let parts: Vec<String> = [
        (visible, "syns fortfarande"),
        (hidden, "dolda"),
        (deleted, "borttagna"),
        (documented, "endast dokumenterade"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    subject.push(' ');
    subject.push_str(&parts.join(", "));
    let facts = vec![
        Fact::text("Konto", ctx.account_name.clone()),
        Fact::text("Plattform", ctx.platform.display_name()),
        Fact::text("Syns fortfarande", visible.to_string()),
        Fact::text("Dolda", hidden.to_string()),
        Fact::text("Borttagna", deleted.to_string()),
        Fact::text("Endast dokumenterade (torrkörning)", documented.to_string()),
    ];
    let mut sections = Vec::new();
    for (heading, wanted) in [
        ("Syns fortfarande – åtgärda för hand", None),
        ("Dolda", Some(RemovalOutcome::Hidden)),
        ("Borttagna", Some(RemovalOutcome::Deleted)),
        (
            "Endast dokumenterade (torrkörning)",
            Some(RemovalOutcome::DocumentedOnly),
        ),
    ] {
        let lines: Vec<Line> = ctx
            .items
            .iter()
            .filter(|i| i.outcome == wanted)
            .map(item_line)
            .collect();
        if !lines.is_empty() {
            sections.push(Section::bullets(heading, lines));
        }
    }
    sections.push(Section::steps("Vad du ska göra", summary_steps(visible)));
    let document = super::Document {
        title: subject.clone(),
        intro: format!(
            "Bevakningen av {} ({}) ledde till åtgärder på {} kommentarer. De listas här i \
             ett enda meddelande i stället för ett per kommentar. Varje kommentar \
             dokumenterades i bevisarkivet före åtgärden; texterna skickas inte med e-post.",
            ctx.account_name,
            ctx.platform.display_name(),
            ctx.items.len()
        ),
        facts,
        sections,
    };
    document.render(subject)
}

fn item_line(item: &OutcomeItem) -> Line {
    let mut text = format!(
        "Kommentar {}: {}",
        item.comment_id,
        category_list(&item.reasons)
    );
    if let Some(kind) = &item.error_kind {
        text.push_str(&format!(" – {}", error_sv(kind)));
    }
    text.push_str(&format!(
        "; bevispost {} (SHA-256 {})",
        item.evidence.record_path, item.evidence.record_sha256
    ));
    if let Some(link) = &item.permalink {
        text.push_str(&format!("; {link}"));
    }
    vec![Span::text(text)]
}

fn summary_steps(visible: usize) -> Vec<Line> {
    let mut steps = Vec::new();
    if visible > 0 {
        steps.push(vec![Span::text(
            "Dölj eller ta bort kommentarerna under \"Syns fortfarande\" för hand på \
             plattformen nu; de är redan dokumenterade.",
        )]);
    }
    steps.push(vec![Span::text(
        "Kontrollera besluten: läs kommentarerna i bevisposterna. Laglig kritik mot staden \
         får aldrig tas bort; en dold kommentar som inte borde ha dolts återställs med \
         kommentarsvakt comments restore.",
    )]);
    steps
}

fn intended_verb(intended: RemovalOutcome) -> &'static str {
    match intended {
        RemovalOutcome::Deleted => "ta bort",
        RemovalOutcome::Hidden | RemovalOutcome::DocumentedOnly => "dölja",
    }
}

fn imperative(intended: RemovalOutcome) -> &'static str {
    match intended {
        RemovalOutcome::Deleted => "Ta bort",
        RemovalOutcome::Hidden | RemovalOutcome::DocumentedOnly => "Dölj",
    }
}

/// An error kind as a moderator reads it.
fn error_sv(kind: &str) -> &'static str {
    match kind {
        "unauthorized" => "åtkomsttoken gäller inte längre",
        "permanent" => "plattformen vägrar åtgärden",
        "unsupported" => "kontot saknar fungerande koppling till plattformen",
        "evidence" => "bevisposten saknas eller har ändrats, så tjänsten får inte agera",
        "rate_limited" => "plattformen begränsar antalet anrop",
        "malformed" => "plattformen svarade med ett obegripligt svar",
        "timeout" => "plattformen svarade inte i tid",
        _ => "plattformen svarade med fel",
    }
}

/// What a person does about an error kind, beyond removing the comment by
/// hand; `None` where there is nothing more to do than wait.
fn error_fix(kind: &str) -> Option<&'static str> {
    match kind {
        "unauthorized" => Some(
            "Be en administratör för kontot att skapa en ny åtkomsttoken och lägg in den där \
             tjänsten läser den; ladda sedan om tjänsten.",
        ),
        "permanent" => Some(
            "Kontrollera att tjänstens åtkomst har behörighet att moderera kontot \
             (på Facebook: uppgiften MODERATE på sidan).",
        ),
        "unsupported" => {
            Some("Be driften kontrollera kontots inställningar med kommentarsvakt check-config.")
        }
        "evidence" => Some(
            "Be driften kontrollera bevisarkivet med kommentarsvakt archive verify; \
             ett ändrat arkiv ska utredas.",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::Category;

    fn reason() -> AlertReason {
        AlertReason {
            category: Category::OlagaHot,
            reason: "Hot om våld mot en person.".to_string(),
            legal_basis: "BrB 4 kap. 5 §".to_string(),
        }
    }

    fn evidence() -> EvidenceRef {
        EvidenceRef {
            record_sha256: "cd".repeat(32),
            record_path: "records/konto/2026/12/03/cdcd.json".to_string(),
        }
    }

    fn failed(kind: &str, gave_up: bool) -> ActionFailed {
        ActionFailed {
            account_name: "Stadshuset".to_string(),
            platform: PlatformKind::Facebook,
            comment_id: "111_222".to_string(),
            author_name: Some("Eva".to_string()),
            written_at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap(),
            intended: RemovalOutcome::Hidden,
            error_kind: kind.to_string(),
            attempts: 1,
            gave_up,
            reasons: vec![reason()],
            evidence: evidence(),
            permalink: Some("https://www.facebook.com/1/posts/2?comment_id=3".to_string()),
        }
    }

    #[test]
    fn a_failed_hide_says_the_comment_is_still_public_and_what_to_do() {
        let mail = action_failed(&failed("unauthorized", false));
        assert!(mail.subject.starts_with("Kommentaren syns fortfarande"));
        assert!(!mail.subject.contains("dold"), "{}", mail.subject);
        for needle in [
            "111_222",
            "syns fortfarande för allmänheten",
            "Dölj kommentaren för hand",
            "ny åtkomsttoken",
            "meddelar dig när åtgärden har genomförts",
        ] {
            assert!(
                mail.text.contains(needle),
                "missing {needle:?}:\n{}",
                mail.text
            );
        }
        assert!(!mail.text.contains("Den syns inte längre"));
    }

    #[test]
    fn a_hide_given_up_says_no_more_messages_follow() {
        let mail = action_failed(&failed("transient", true));
        assert!(mail.text.contains("slutat försöka"), "{}", mail.text);
        assert!(!mail.text.contains("ny åtkomsttoken"));
    }

    #[test]
    fn a_summary_counts_each_outcome_and_lists_the_still_public_first() {
        let item = |id: &str, outcome: Option<RemovalOutcome>| OutcomeItem {
            comment_id: id.to_string(),
            outcome,
            error_kind: outcome.is_none().then(|| "unauthorized".to_string()),
            reasons: vec![reason()],
            evidence: evidence(),
            permalink: None,
        };
        let mail = outcome_summary(&OutcomeSummary {
            account_name: "Stadshuset".to_string(),
            platform: PlatformKind::Facebook,
            items: vec![
                item("h1", Some(RemovalOutcome::Hidden)),
                item("v1", None),
                item("h2", Some(RemovalOutcome::Hidden)),
            ],
        });
        assert_eq!(
            mail.subject,
            "3 kommentarer på Stadshuset: 1 syns fortfarande, 2 dolda"
        );
        let visible = mail.text.find("Kommentar v1").unwrap();
        let hidden = mail.text.find("Kommentar h1").unwrap();
        assert!(visible < hidden, "{}", mail.text);
        assert!(mail.text.contains("åtkomsttoken gäller inte längre"));
    }
}
