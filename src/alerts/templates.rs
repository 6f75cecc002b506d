//! The Swedish texts moderators and operators receive, each as plain text
//! and HTML with the same content.
//!
//! Every template fills one small document (title, introduction, facts,
//! sections), which two renderers write out, so the two alternatives never
//! drift apart and HTML escaping happens in exactly one place.
//!
//! Personal data stays out of e-mail: no context struct has a field for the
//! comment text, so no template can copy it — a moderator reads the comment
//! in the evidence record or on the platform. The detectors' reasons are
//! also scrubbed of long digit sequences ([`redact_numbers`]), in case a
//! reason ever quotes a personnummer, phone or account number.

mod checks;
mod closing;
mod half_year;
mod outcomes;
mod refused_path;
mod registry_digest;

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;

use crate::domain::{Category, CategoryGroup, Finding, PlatformKind, TicketKind};

pub use checks::{CheckNotice, CheckProblem, check_finding};
pub use closing::{ClosingReminder, closing_post, closing_reminder};
pub use half_year::{HalfYearReport, half_year_report};
pub use outcomes::{ActionFailed, OutcomeItem, OutcomeSummary, action_failed, outcome_summary};
pub use refused_path::{RefusedPathNotice, refused_path};
pub use registry_digest::{RegistryDigest, registry_digest};

/// What the moderator sees instead of a number a reason tried to quote.
const REDACTED_NUMBER: &str = "[nummer borttaget]";

/// Sequences with at least this many digits are redacted: personnummer,
/// phone, bank and card numbers all have more; law references (`1998:112`)
/// have fewer per sequence.
const REDACT_MIN_DIGITS: usize = 8;

/// A rendered message, ready to become an [`super::OutgoingMail`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body with the same content.
    pub html: String,
}

/// One reason a comment was flagged, as the moderator should see it: the
/// finding without its position in the text, so no content can slip along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertReason {
    /// What was found.
    pub category: Category,
    /// The detector's short Swedish explanation.
    pub reason: String,
    /// The law or policy section the finding rests on.
    pub legal_basis: String,
}

impl From<&Finding> for AlertReason {
    fn from(finding: &Finding) -> Self {
        Self {
            category: finding.category,
            reason: finding.reason.clone(),
            legal_basis: finding.legal_basis.clone(),
        }
    }
}

/// Where the evidence record of a comment is, so a moderator can read the
/// comment there instead of in e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRef {
    /// SHA-256 of the record file, which also proves it is unchanged.
    pub record_sha256: String,
    /// Path of the record (relative to the archive root, or absolute).
    pub record_path: String,
}

/// What was done on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalOutcome {
    /// Hidden from the public; can be restored.
    Hidden,
    /// Deleted (or rejected, where the platform cannot delete).
    Deleted,
    /// Dry run: documented, but nothing was done on the platform.
    DocumentedOnly,
}

/// Context of the alert sent when a comment was hidden or removed
/// automatically. There is deliberately no field for the comment text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalAlert {
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
    /// What was done.
    pub outcome: RemovalOutcome,
    /// Why, one entry per finding.
    pub reasons: Vec<AlertReason>,
    /// The evidence record written before the action.
    pub evidence: EvidenceRef,
    /// The ticket opened for the follow-up, if any.
    pub ticket_ref: Option<String>,
    /// Link to the comment on the platform, if the platform has one.
    pub permalink: Option<String>,
}

/// Context of a request for a person's judgement on a comment that was not
/// acted on automatically. There is deliberately no field for the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRequest {
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
    /// Why it needs a look, one entry per finding.
    pub reasons: Vec<AlertReason>,
    /// The evidence record, if the comment was documented already.
    pub evidence: Option<EvidenceRef>,
    /// The ticket the decision belongs in, if any.
    pub ticket_ref: Option<String>,
    /// Link to the comment on the platform, if the platform has one.
    pub permalink: Option<String>,
    /// The comment's page in the moderators' console, when it is served.
    pub console_link: Option<String>,
}

/// Context of the notice that crisis mode was switched on or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisNotice {
    /// Whether crisis mode is now on.
    pub enabled: bool,
    /// Time between monitoring runs while crisis mode is on.
    pub interval: Duration,
    /// When the change took effect.
    pub changed_at: DateTime<Utc>,
    /// Where the change came from (config file path, command).
    pub source: String,
}

/// The kinds of system problem a person has to know about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemProblemKind {
    /// The account's access token is invalid or expired; a person must
    /// renew it.
    TokenExpired,
    /// The token may read but not moderate the account.
    CannotModerate,
    /// The platform keeps failing (errors, timeouts, rate limits).
    PlatformFailing,
    /// The evidence archive cannot be written, so nothing can be acted on.
    ArchiveFailing,
    /// The scheduled culling (gallring) failed, so records whose period has
    /// run out are kept beyond it until it works.
    CullingFailing,
    /// A scheduled monitoring slot did not run in time.
    SlotMissed,
    /// Chromium could not draw evidence images (not installed, does not
    /// start, fails on a page); the built-in renderer drew them instead.
    ScreenshotFallback,
    /// Changed word lists or the media hash list could not be read on a
    /// reload; the lists in force before stay in use.
    WordListsRejected,
    /// The OAuth grant the service renews an account's access with
    /// expires soon or was revoked: a person must authorise it again
    /// before the account goes unwatched.
    GrantExpiring,
    /// Items the platform sent could not be read; they are kept in
    /// quarantine and the rest of the listing was stored.
    ItemsQuarantined,
    /// A listing was stopped within a run: the platform sent the same page
    /// again, or the account reached its call bound.
    ListingStopped,
    /// A platform's rate budget (YouTube's daily units, X's hide calls, a
    /// pause the platform asked for) did not allow all of a run's work;
    /// the most important was done first and the rest waits.
    BudgetDeferred,
}

/// Context of a system-problem notice to operators and moderators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemProblem {
    /// What kind of problem.
    pub kind: SystemProblemKind,
    /// The affected account's display name, if it concerns one account.
    pub account: Option<String>,
    /// Technical detail for the operator; must carry neither secrets nor
    /// comment text.
    pub detail: String,
    /// When the problem was first seen.
    pub first_seen: DateTime<Utc>,
    /// The platform objects it concerns (listings, post and comment ids),
    /// shown as they are: ids are not personal data, and operations need
    /// them to look the objects up. The detail, which may quote a platform
    /// message, stays scrubbed of long numbers.
    pub objects: Vec<String>,
}

/// Context of the e-mail that brings one case ticket to the registry
/// office. There is deliberately no field for the comment text; the
/// evidence record is attached instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketNotice {
    /// The stable reference, shown in brackets first in the subject.
    pub reference: String,
    /// What the ticket asks.
    pub kind: TicketKind,
    /// The account's display name.
    pub account_name: String,
    /// The owning department's name.
    pub department_name: String,
    /// The platform the account is on.
    pub platform: PlatformKind,
    /// The platform's id of the comment.
    pub comment_id: String,
    /// One line on what it is about (no personal data).
    pub summary: String,
    /// When the ticket was opened.
    pub opened_at: DateTime<Utc>,
    /// When it is due.
    pub due_at: Option<DateTime<Utc>>,
    /// Link to the comment on the platform, if any.
    pub permalink: Option<String>,
    /// The evidence record's path.
    pub record_path: String,
    /// SHA-256 of the evidence record.
    pub record_sha256: String,
    /// The attached record's file name; `None` when the record is not
    /// attached (the default: it holds the comment's personal data) and
    /// the registry gets its reference and hash only.
    pub attachment_name: Option<String>,
}

/// Context of the digest one moderator gets after a monitoring run,
/// covering all of their accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// When the run started.
    pub run_at: DateTime<Utc>,
    /// New comments per account (every account of the moderator, zero too).
    pub accounts: Vec<DigestAccount>,
    /// Comments hidden or removed (or documented only, in a dry run).
    pub acted: Vec<DigestItem>,
    /// Comments waiting for a person's judgement.
    pub review: Vec<DigestItem>,
    /// Question tickets not yet answered.
    pub questions: Vec<DigestQuestion>,
}

/// One account's line in the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestAccount {
    /// The account's display name.
    pub name: String,
    /// New comments stored in the run.
    pub new_comments: i64,
}

/// One flagged comment in the digest: what was done and why, with the
/// evidence reference — never the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    /// The account's display name.
    pub account_name: String,
    /// The platform's id of the comment.
    pub comment_id: String,
    /// What was decided, in Swedish ("dold", "att granska").
    pub outcome: String,
    /// Why: categories with reasons and legal basis.
    pub reasons: Vec<AlertReason>,
    /// The rules that matched.
    pub rules: Vec<String>,
    /// The evidence record.
    pub evidence: EvidenceRef,
    /// The ticket opened for it, if any.
    pub ticket_ref: Option<String>,
    /// The comment's page in the moderators' console, when it is served.
    pub console_link: Option<String>,
}

/// One unanswered question in the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestQuestion {
    /// The ticket reference.
    pub reference: String,
    /// The account's display name.
    pub account_name: String,
    /// When it must be answered.
    pub due_at: Option<DateTime<Utc>>,
    /// Whether the deadline has passed: escalated as "FÖRSENAD".
    pub overdue: bool,
    /// Link to the question, if any.
    pub permalink: Option<String>,
}

impl Digest {
    /// Whether there is anything to tell: a moderator gets no digest for a
    /// run in which nothing arrived, nothing was acted on, nothing new waits
    /// for review and no question is overdue. Open questions still within
    /// their deadline were listed in the digest of the run they arrived in.
    pub fn is_empty(&self) -> bool {
        self.accounts.iter().all(|a| a.new_comments == 0)
            && self.acted.is_empty()
            && self.review.is_empty()
            && self.questions.iter().all(|q| !q.overdue)
    }
}

/// The Swedish name of a category, as moderators read it in alerts.
pub fn category_sv(category: Category) -> &'static str {
    use Category::*;
    match category {
        Personnummer => "personnummer",
        Samordningsnummer => "samordningsnummer",
        Phone => "telefonnummer",
        Email => "e-postadress",
        Address => "adress",
        BankAccount => "bankkontonummer",
        PaymentCard => "kortnummer",
        ProtectedIdentity => "uppgift om skyddad identitet",
        EthnicOrigin => "uppgifter om etniskt ursprung",
        PoliticalOpinion => "uppgifter om politiska åsikter",
        Religion => "uppgifter om religiös eller filosofisk övertygelse",
        TradeUnion => "uppgifter om medlemskap i fackförening",
        Health => "uppgifter om hälsa",
        SexLife => "uppgifter om sexualliv eller sexuell läggning",
        GeneticBiometric => "genetiska eller biometriska uppgifter",
        Uppvigling => "uppvigling",
        HetsMotFolkgrupp => "hets mot folkgrupp",
        Barnpornografi => "barnpornografibrott",
        OlagaValdsskildring => "olaga våldsskildring",
        OlagaHot => "olaga hot",
        OlagaIntegritetsintrang => "olaga integritetsintrång",
        TerrorUppmaning => "offentlig uppmaning till terrorism",
        Upphovsratt => "intrång i upphovsrätt",
        Question => "fråga",
        CaseMatter => "ärende",
        ChildWelfareConcern => "oro för ett barn",
        NotAssessed => "inte bedömd",
    }
}

/// The alert sent when a comment was hidden or removed automatically (or,
/// in a dry run, only documented).
pub fn removal_alert(ctx: &RemovalAlert) -> Rendered {
    let categories = category_list(&ctx.reasons);
    let subject = format!(
        "Kommentar {}: {categories} på {}",
        outcome_word(ctx.outcome),
        ctx.account_name
    );
    let mut facts = comment_facts(
        &ctx.account_name,
        ctx.platform,
        &ctx.comment_id,
        ctx.author_name.as_deref(),
        ctx.written_at,
    );
    facts.push(Fact::text("Åtgärd", outcome_description(ctx.outcome)));
    facts.extend(evidence_facts(&ctx.evidence));
    facts.extend(ticket_and_link_facts(
        ctx.ticket_ref.as_deref(),
        ctx.permalink.as_deref(),
    ));
    let document = Document {
        title: subject.clone(),
        intro: removal_intro(ctx),
        facts,
        sections: vec![
            reasons_section(&ctx.reasons),
            Section::paragraph(
                "Kommentarens text",
                vec![Span::text(format!(
                    "Texten skickas inte med e-post, eftersom den kan innehålla personuppgifter. \
                     Den finns i bevisposten {}.",
                    ctx.evidence.record_path
                ))],
            ),
            Section::steps("Vad du ska göra", removal_steps(ctx)),
        ],
    };
    document.render(subject)
}

/// The request for a person's judgement on a comment that was flagged but
/// not acted on, because it is not obvious.
pub fn review_request(ctx: &ReviewRequest) -> Rendered {
    let subject = format!(
        "Granska kommentar: {} på {}",
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
    if let Some(evidence) = &ctx.evidence {
        facts.extend(evidence_facts(evidence));
    }
    facts.extend(ticket_and_link_facts(
        ctx.ticket_ref.as_deref(),
        ctx.permalink.as_deref(),
    ));
    if let Some(link) = &ctx.console_link {
        facts.push(Fact::link("Granska i konsolen", link));
    }
    let document = Document {
        title: subject.clone(),
        intro: format!(
            "En kommentar på {} ({}) behöver en persons bedömning. Tjänsten har inte gjort \
             något med den, eftersom bara det uppenbara hanteras automatiskt.",
            ctx.account_name,
            ctx.platform.display_name()
        ),
        facts,
        sections: vec![
            reasons_section(&ctx.reasons),
            Section::steps("Vad du ska göra", review_steps(ctx)),
        ],
    };
    document.render(subject)
}

/// The notice that crisis mode was switched on or off, so nobody is
/// surprised by alerts at night or by their end.
pub fn crisis_notice(ctx: &CrisisNotice) -> Rendered {
    let interval = duration_sv(ctx.interval);
    let changed = local_time(ctx.changed_at);
    let (subject, intro, steps) = if ctx.enabled {
        (
            format!("Krisläge på: bevakning dygnet runt, intervall {interval}"),
            format!(
                "Krisläget slogs på {changed}. Alla konton bevakas nu dygnet runt, även på \
                 helger, med ett intervall på {interval}."
            ),
            vec![
                vec![Span::text(
                    "Se till att någon kan ta emot varningar och granska kommentarer även \
                     utanför kontorstid.",
                )],
                vec![
                    Span::text("Stäng av krisläget när krisen är över: sätt "),
                    Span::code("enabled = false"),
                    Span::text(" under "),
                    Span::code("[crisis]"),
                    Span::text(" i konfigurationen. Tjänsten läser om den utan omstart."),
                ],
            ],
        )
    } else {
        (
            "Krisläge av: bevakning enligt kontorstidsschemat igen".to_string(),
            format!(
                "Krisläget stängdes av {changed}. Bevakningen följer åter schemat: tre gånger \
                 per arbetsdag under kontorstid."
            ),
            vec![vec![Span::text(
                "Inget behöver göras. Kommentarer som kommer utanför kontorstid hanteras vid \
                 nästa schemalagda bevakning.",
            )]],
        )
    };
    let mut facts = vec![
        Fact::text("Krisläge", if ctx.enabled { "på" } else { "av" }),
        Fact::text("Ändrat", changed.clone()),
        Fact::text("Källa", ctx.source.clone()),
    ];
    if ctx.enabled {
        facts.push(Fact::text("Intervall", interval));
    }
    let document = Document {
        title: subject.clone(),
        intro,
        facts,
        sections: vec![Section::steps("Vad du ska göra", steps)],
    };
    document.render(subject)
}

/// The notice of a problem a person has to fix or work around, such as an
/// expired token that only an account administrator can renew.
pub fn system_problem(ctx: &SystemProblem) -> Rendered {
    let title = problem_title(ctx.kind);
    let subject = match &ctx.account {
        Some(account) => format!("Systemproblem: {title} ({account})"),
        None => format!("Systemproblem: {title}"),
    };
    let mut facts = vec![
        Fact::text("Problem", title),
        Fact::text(
            "Konto",
            ctx.account
                .clone()
                .unwrap_or_else(|| "gäller hela tjänsten".to_string()),
        ),
        Fact::text("Upptäckt", local_time(ctx.first_seen)),
        Fact::code("Detaljer", redact_numbers(&ctx.detail)),
    ];
    if !ctx.objects.is_empty() {
        facts.push(Fact::code("Berörda objekt", ctx.objects.join(", ")));
    }
    let document = Document {
        title: subject.clone(),
        intro: problem_consequence(ctx.kind).to_string(),
        facts,
        sections: vec![Section::steps("Vad du ska göra", problem_steps(ctx.kind))],
    };
    document.render(subject)
}

/// The e-mail that brings a case ticket to the registry office: reference
/// first in the subject so it can be filed, the evidence record attached.
pub fn ticket_notice(ctx: &TicketNotice) -> Rendered {
    let subject = format!(
        "[{}] {} – {}",
        ctx.reference,
        ctx.kind.swedish_name(),
        ctx.account_name
    );
    let mut facts = vec![
        Fact::text("Ärende", ctx.reference.clone()),
        Fact::text("Typ", ctx.kind.swedish_name()),
        Fact::text("Konto", ctx.account_name.clone()),
        Fact::text("Förvaltning", ctx.department_name.clone()),
        Fact::text("Plattform", ctx.platform.display_name()),
        Fact::code("Kommentar-id", ctx.comment_id.clone()),
        Fact::text("Öppnat", local_time(ctx.opened_at)),
        Fact::text(
            "Senast klart",
            ctx.due_at
                .map(local_time)
                .unwrap_or_else(|| "ingen tidsgräns".to_string()),
        ),
        Fact::text("Sammanfattning", redact_numbers(&ctx.summary)),
    ];
    facts.extend(evidence_facts(&EvidenceRef {
        record_sha256: ctx.record_sha256.clone(),
        record_path: ctx.record_path.clone(),
    }));
    facts.extend(ticket_and_link_facts(None, ctx.permalink.as_deref()));
    let document = Document {
        title: subject.clone(),
        intro: ticket_notice_intro(ctx),
        facts,
        sections: vec![
            Section::paragraph(
                "Kommentarens text",
                vec![Span::text(match ctx.attachment_name {
                    Some(_) => {
                        "Texten skickas inte i meddelandet, eftersom den kan innehålla \
                         personuppgifter. Den finns i den bifogade bevisposten; hantera bilagan \
                         enligt stadens rutin för personuppgifter."
                    }
                    None => {
                        "Varken texten eller bevisposten skickas med e-post, eftersom de kan \
                         innehålla personuppgifter. Bevisposten finns i kommentarsvakts arkiv \
                         under sökvägen ovan; kontrollera den mot SHA-256-summan när den hämtas."
                    }
                })],
            ),
            Section::steps(
                "Vad du ska göra",
                vec![
                    vec![Span::text(format!(
                        "Registrera ärendet med referensen {} så att svar och beslut kan \
                         kopplas till det.",
                        ctx.reference
                    ))],
                    vec![
                        Span::text("Stäng ärendet i kommentarsvakt när det är klart: "),
                        Span::code(format!(
                            "kommentarsvakt tickets close {} --note \"…\"",
                            ctx.reference
                        )),
                    ],
                ],
            ),
        ],
    };
    document.render(subject)
}

/// The first line of a registry e-mail: the ticket, and whether the
/// evidence record is attached or only referred to.
fn ticket_notice_intro(ctx: &TicketNotice) -> String {
    let opened = format!(
        "Kommentarsvakt har öppnat ärendet {} ({}).",
        ctx.reference,
        ctx.kind.swedish_name().to_lowercase()
    );
    match &ctx.attachment_name {
        Some(name) => format!("{opened} Bevisposten är bifogad som {name}."),
        None => format!(
            "{opened} Bevisposten bifogas inte; den anges med sökväg och SHA-256-summa nedan."
        ),
    }
}

/// The digest after a monitoring run: what arrived on each of the
/// moderator's accounts, what was acted on and why, what waits for review,
/// and unanswered questions with overdue ones marked FÖRSENAD first.
pub fn digest(ctx: &Digest) -> Rendered {
    let new_total: i64 = ctx.accounts.iter().map(|a| a.new_comments).sum();
    let overdue = ctx.questions.iter().filter(|q| q.overdue).count();
    let mut subject = format!(
        "Bevakning {}: {new_total} nya kommentarer, {} åtgärdade, {} att granska",
        local_time(ctx.run_at),
        ctx.acted.len(),
        ctx.review.len()
    );
    if overdue > 0 {
        subject.push_str(&format!(
            ", {overdue} FÖRSENAD{}",
            if overdue == 1 { "" } else { "E" }
        ));
    }
    let facts = vec![
        Fact::text("Bevakning", local_time(ctx.run_at)),
        Fact::text("Nya kommentarer", new_total.to_string()),
        Fact::text("Åtgärdade", ctx.acted.len().to_string()),
        Fact::text("Att granska", ctx.review.len().to_string()),
        Fact::text("Obesvarade frågor", ctx.questions.len().to_string()),
    ];
    let mut sections = vec![Section::bullets(
        "Nya kommentarer per konto",
        ctx.accounts
            .iter()
            .map(|a| vec![Span::text(format!("{}: {}", a.name, a.new_comments))])
            .collect(),
    )];
    if !ctx.questions.is_empty() {
        sections.push(Section::bullets(
            "Obesvarade frågor",
            question_lines(&ctx.questions),
        ));
    }
    if !ctx.acted.is_empty() {
        sections.push(Section::bullets(
            "Åtgärdat",
            ctx.acted.iter().map(digest_item_line).collect(),
        ));
    }
    if !ctx.review.is_empty() {
        sections.push(Section::bullets(
            "Väntar på granskning",
            ctx.review.iter().map(digest_item_line).collect(),
        ));
    }
    sections.push(Section::paragraph(
        "Kommentarernas text",
        vec![Span::text(
            "Texterna skickas inte med e-post. Läs dem i bevisposterna eller på plattformen.",
        )],
    ));
    let document = Document {
        title: subject.clone(),
        intro: "Sammanfattning av bevakningen av dina konton.".to_string(),
        facts,
        sections,
    };
    document.render(subject)
}

fn question_lines(questions: &[DigestQuestion]) -> Vec<Line> {
    let mut sorted: Vec<&DigestQuestion> = questions.iter().collect();
    sorted.sort_by_key(|q| (!q.overdue, q.due_at));
    sorted
        .into_iter()
        .map(|q| {
            let due = q
                .due_at
                .map(local_time)
                .unwrap_or_else(|| "ingen tidsgräns".to_string());
            let mut text = format!(
                "{}{} på {}: besvaras senast {due}",
                if q.overdue { "FÖRSENAD: " } else { "" },
                q.reference,
                q.account_name
            );
            if let Some(link) = &q.permalink {
                text.push_str(&format!(" ({link})"));
            }
            vec![Span::text(text)]
        })
        .collect()
}

fn digest_item_line(item: &DigestItem) -> Line {
    let mut text = format!(
        "{}, kommentar {}: {} – {}",
        item.account_name,
        item.comment_id,
        item.outcome,
        category_list(&item.reasons)
    );
    if !item.rules.is_empty() {
        text.push_str(&format!(" (regel {})", item.rules.join(", ")));
    }
    let basis: Vec<String> = item
        .reasons
        .iter()
        .map(|r| redact_numbers(r.legal_basis.trim()))
        .filter(|b| !b.is_empty())
        .collect();
    if !basis.is_empty() {
        text.push_str(&format!("; grund: {}", basis.join("; ")));
    }
    text.push_str(&format!(
        "; bevispost {} (SHA-256 {})",
        item.evidence.record_path, item.evidence.record_sha256
    ));
    if let Some(ticket) = &item.ticket_ref {
        text.push_str(&format!("; ärende {ticket}"));
    }
    if let Some(link) = &item.console_link {
        text.push_str(&format!("; granska i konsolen: {link}"));
    }
    vec![Span::text(text)]
}

/// Replaces every digit sequence of eight or more digits (separators `-`,
/// `+` and space allowed between digits) with a placeholder, so an
/// identity, phone, bank or card number quoted in a reason never reaches
/// an inbox.
pub fn redact_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = number_run_end(&chars, i);
        let digits = chars[i..end].iter().filter(|c| c.is_ascii_digit()).count();
        if digits >= REDACT_MIN_DIGITS {
            out.push_str(REDACTED_NUMBER);
        } else {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

/// The end of a number starting at `start`: digits, with single separators
/// between them.
fn number_run_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() && continues_number(chars, end) {
        end += 1;
    }
    end
}

/// A digit, or a separator followed by a digit.
fn continues_number(chars: &[char], at: usize) -> bool {
    chars[at].is_ascii_digit()
        || (matches!(chars[at], '-' | '+' | ' ')
            && chars.get(at + 1).is_some_and(char::is_ascii_digit))
}

fn outcome_word(outcome: RemovalOutcome) -> &'static str {
    match outcome {
        RemovalOutcome::Hidden => "dold",
        RemovalOutcome::Deleted => "borttagen",
        RemovalOutcome::DocumentedOnly => "dokumenterad (torrkörning)",
    }
}

fn outcome_description(outcome: RemovalOutcome) -> &'static str {
    match outcome {
        RemovalOutcome::Hidden => "dold för allmänheten",
        RemovalOutcome::Deleted => "borttagen",
        RemovalOutcome::DocumentedOnly => "endast dokumenterad i torrkörning",
    }
}

fn removal_intro(ctx: &RemovalAlert) -> String {
    let place = format!("{} ({})", ctx.account_name, ctx.platform.display_name());
    match ctx.outcome {
        RemovalOutcome::Hidden => format!(
            "En kommentar på {place} har dolts automatiskt, efter att den dokumenterats i \
             bevisarkivet. Den syns inte längre för allmänheten."
        ),
        RemovalOutcome::Deleted => format!(
            "En kommentar på {place} har tagits bort automatiskt, efter att den dokumenterats \
             i bevisarkivet."
        ),
        RemovalOutcome::DocumentedOnly => format!(
            "En kommentar på {place} har dokumenterats i bevisarkivet. Tjänsten körs i \
             torrkörning, så kommentaren har varken dolts eller tagits bort: den syns \
             fortfarande."
        ),
    }
}

fn removal_steps(ctx: &RemovalAlert) -> Vec<Line> {
    let mut steps = vec![vec![Span::text(
        "Kontrollera att beslutet var rätt: läs kommentaren i bevisposten och jämför med \
         skälen ovan. Laglig kritik mot staden får aldrig tas bort.",
    )]];
    steps.push(match ctx.outcome {
        RemovalOutcome::Hidden => vec![
            Span::text("Om kommentaren inte borde ha dolts: återställ den med "),
            Span::code(format!(
                "kommentarsvakt comments restore {} --reason \"…\"",
                shell_word(&ctx.comment_id)
            )),
            Span::text(" och skriv varför."),
        ],
        RemovalOutcome::Deleted => vec![Span::text(
            "En borttagen kommentar kan inte återställas på plattformen. Om beslutet var fel: \
             notera det i ärendet och överväg att kontakta skribenten.",
        )],
        RemovalOutcome::DocumentedOnly => vec![Span::text(
            "Inget har gjorts på plattformen. Bedöm kommentaren och dölj eller ta bort den \
             själv om den ska bort.",
        )],
    });
    if has_group(&ctx.reasons, CategoryGroup::IllegalContent) {
        steps.push(vec![Span::text(
            "Överväg polisanmälan. Det avgörs från fall till fall; bevisposten och dess \
             kontrollsumma kan lämnas till polisen.",
        )]);
    }
    if has_group(&ctx.reasons, CategoryGroup::PersonalData) {
        steps.push(vec![Span::text(
            "Bedöm om uppgiften ska registreras enligt stadens rutin för personuppgifter. \
             Kopiera inte kommentarens text till e-post eller chatt.",
        )]);
    }
    steps.push(ticket_step(ctx.ticket_ref.as_deref()));
    steps
}

fn review_steps(ctx: &ReviewRequest) -> Vec<Line> {
    let read = match &ctx.console_link {
        Some(link) => format!(
            "Öppna kommentaren i moderatorskonsolen ({link}): där ser du texten, skälen och \
             tråden och beslutar med ett klick. Texten skickas inte med e-post."
        ),
        None => "Läs kommentaren via länken eller på plattformen. Texten skickas inte med e-post."
            .to_string(),
    };
    let mut steps = vec![
        vec![Span::text(read)],
        vec![Span::text(
            "Bedöm den mot skälen ovan. Saklig kritik och åsikter om staden ska stå kvar, \
             även när de är hårt formulerade.",
        )],
    ];
    if has_group(&ctx.reasons, CategoryGroup::IllegalContent)
        || has_group(&ctx.reasons, CategoryGroup::PersonalData)
    {
        steps.push(vec![Span::text(
            "Är det olagligt innehåll eller känsliga personuppgifter: se till att kommentaren \
             är dokumenterad innan den döljs eller tas bort, och överväg polisanmälan vid brott.",
        )]);
    }
    if has_group(&ctx.reasons, CategoryGroup::Service) {
        steps.push(vec![Span::text(
            "Är det en fråga: svara under kontorstid utan onödigt dröjsmål. Hör det till ett \
             ärende: för över det till den ordinarie ärendehanteringen.",
        )]);
    }
    steps.push(ticket_step(ctx.ticket_ref.as_deref()));
    steps
}

fn ticket_step(ticket_ref: Option<&str>) -> Line {
    match ticket_ref {
        Some(ticket) => vec![Span::text(format!(
            "Skriv ditt beslut och skälet i ärende {ticket}."
        ))],
        None => vec![Span::text("Dokumentera ditt beslut och skälet.")],
    }
}

fn problem_title(kind: SystemProblemKind) -> &'static str {
    match kind {
        SystemProblemKind::TokenExpired => "åtkomsttoken gäller inte längre",
        SystemProblemKind::CannotModerate => "kontot kan inte modereras",
        SystemProblemKind::PlatformFailing => "plattformen svarar inte som den ska",
        SystemProblemKind::ArchiveFailing => "bevisarkivet kan inte skrivas",
        SystemProblemKind::CullingFailing => "den schemalagda gallringen misslyckades",
        SystemProblemKind::SlotMissed => "en schemalagd bevakning har missats",
        SystemProblemKind::ScreenshotFallback => {
            "bevisbilder ritades av reservritaren i stället för Chromium"
        }
        SystemProblemKind::WordListsRejected => "ändrade ordlistor kunde inte läsas in",
        SystemProblemKind::GrantExpiring => {
            "tjänstens behörighet till kontot går snart ut eller har återkallats"
        }
        SystemProblemKind::ItemsQuarantined => "svar från plattformen kunde inte läsas",
        SystemProblemKind::ListingStopped => "en listning avbröts under bevakningen",
        SystemProblemKind::BudgetDeferred => "plattformens anropsgräns räckte inte till allt",
    }
}

fn problem_consequence(kind: SystemProblemKind) -> &'static str {
    match kind {
        SystemProblemKind::TokenExpired => {
            "Tjänsten kan inte läsa eller moderera kommentarerna på kontot förrän en person \
             har förnyat åtkomsten."
        }
        SystemProblemKind::CannotModerate => {
            "Tjänsten kan läsa och dokumentera kommentarerna, men inte dölja eller ta bort \
             dem: åtkomsten saknar behörighet att moderera."
        }
        SystemProblemKind::PlatformFailing => {
            "Plattformen svarar med fel eller inte alls. Tjänsten försöker igen automatiskt, \
             men nya kommentarer kan komma in utan att bevakas."
        }
        SystemProblemKind::ArchiveFailing => {
            "Inga kommentarer döljs eller tas bort förrän arkivet fungerar igen, eftersom \
             varje åtgärd kräver en bevispost."
        }
        SystemProblemKind::SlotMissed => {
            "En bevakning kördes inte i tid. Tjänsten tar igen den vid nästa körning."
        }
        SystemProblemKind::ScreenshotFallback => {
            "Varje kommentar dokumenterades ändå med en bild, men den ritades av tjänstens \
             inbyggda reservritare: utan emoji i färg och utan webbläsarens textformning. \
             Posten anger vilken ritare som gjorde bilden."
        }
        SystemProblemKind::CullingFailing => {
            "Poster vars bevarandetid har gått ut finns kvar i arkivet och i databasen tills \
             gallringen lyckas. Bevakningen fortsätter som vanligt."
        }
        SystemProblemKind::WordListsRejected => {
            "Tjänsten fortsätter med de ordlistor och den hashlista som gällde före \
             ändringen; ändringen gäller inte förrän felet är rättat."
        }
        SystemProblemKind::GrantExpiring => {
            "Tjänsten förnyar själv sin åtkomst till kontot med en behörighet (OAuth) som en \
             person har gett. Den behörigheten går snart ut eller har återkallats; när den \
             har gått ut kan tjänsten varken läsa eller moderera kommentarerna på kontot."
        }
        SystemProblemKind::ItemsQuarantined => {
            "Några inlägg eller kommentarer kom i en form tjänsten inte kan läsa. De är sparade \
             i karantän exakt som de kom; allt annat i svaret har lagrats och bevakas som vanligt."
        }
        SystemProblemKind::BudgetDeferred => {
            "Plattformen begränsar hur många anrop tjänsten får göra (till exempel YouTubes \
             dagliga kvot eller X:s gräns för dolda svar per kvart). Tjänsten gjorde det \
             viktigaste först: åtgärder mot uppenbart innehåll, sedan nya kommentarer. Det som \
             inte fick plats görs vid en senare bevakning, när gränsen tillåter."
        }
        SystemProblemKind::ListingStopped => {
            "Plattformen skickade samma sida igen, eller kontot nådde gränsen för anrop per \
             bevakning. Det som hämtades är lagrat; resten hämtas vid nästa bevakning."
        }
    }
}

fn problem_steps(kind: SystemProblemKind) -> Vec<Line> {
    let texts: &[&str] = match kind {
        SystemProblemKind::TokenExpired => &[
            "Be en administratör för kontot att skapa en ny åtkomsttoken på plattformen.",
            "Lägg in den där tjänsten läser den (miljövariabel eller fil) och ladda om tjänsten.",
            "Bevaka kontot manuellt tills dess.",
        ],
        SystemProblemKind::CannotModerate => &[
            "Be en administratör för kontot att ge tjänstens åtkomst behörighet att moderera.",
            "Dölj eller ta bort kommentarer manuellt tills dess.",
        ],
        SystemProblemKind::PlatformFailing => &[
            "Kontrollera plattformens driftstatus.",
            "Bevaka kontot manuellt om felet består.",
        ],
        SystemProblemKind::ArchiveFailing => &[
            "Kontrollera diskutrymme och behörigheter för arkivkatalogen.",
            "Kör en kontroll av arkivet när felet är åtgärdat.",
        ],
        SystemProblemKind::SlotMissed => &[
            "Kontrollera att tjänsten körs och att serverns klocka går rätt.",
            "Bevaka kontona manuellt om fler bevakningar missas.",
        ],
        SystemProblemKind::ScreenshotFallback => &[
            "Kontrollera att Chromium är installerat där archive.chromium_path pekar och att \
             det startar under tjänstens användare (journalen visar felet).",
            "Mätvärdet kommentarsvakt_screenshot_fallbacks_total visar hur ofta det händer.",
        ],
        SystemProblemKind::CullingFailing => &[
            "Kontrollera diskutrymme och behörigheter för arkivkatalogen och att databasen svarar.",
            "Tjänsten försöker igen vid nästa schemalagda gallring.",
            "Kontrollera arkivet när felet är åtgärdat.",
        ],
        SystemProblemKind::WordListsRejected => &[
            "Rätta raden som felbeskrivningen pekar ut (fil och radnummer).",
            "Ladda om tjänsten (SIGHUP) eller spara konfigurationsfilen igen.",
        ],
        SystemProblemKind::GrantExpiring => &[
            "Be en administratör för kontot att ge tjänsten behörighet igen (OAuth-medgivande) \
             innan den går ut.",
            "Lägg den nya uppdateringstoken i filen som refresh_token_file under \
             [accounts.oauth] anger och ladda om tjänsten.",
            "Bevaka kontot manuellt om behörigheten hinner gå ut.",
        ],
        SystemProblemKind::ItemsQuarantined => &[
            "Läs objekten i karantänen (tabellen quarantined_items) med id:na ovan.",
            "Kontrollera dem på plattformen och bevaka dem manuellt.",
        ],
        SystemProblemKind::BudgetDeferred => &[
            "Inget behöver göras om det händer sällan; tjänsten tar igen det själv.",
            "Händer det ofta: be om en högre kvot hos plattformen (YouTube: \
             polling.youtube_daily_quota) eller bevaka färre konton per app.",
        ],
        SystemProblemKind::ListingStopped => &[
            "Kontrollera de berörda objekten på plattformen.",
            "Bevaka kontot manuellt om felet består.",
        ],
    };
    let mut steps: Vec<Line> = texts.iter().map(|t| vec![Span::text(*t)]).collect();
    if matches!(
        kind,
        SystemProblemKind::ArchiveFailing | SystemProblemKind::CullingFailing
    ) && let Some(last) = steps.last_mut()
    {
        *last = vec![
            Span::text("Kontrollera arkivet med "),
            Span::code("kommentarsvakt archive verify"),
            Span::text(" när felet är åtgärdat."),
        ];
    }
    steps
}

fn comment_facts(
    account_name: &str,
    platform: PlatformKind,
    comment_id: &str,
    author_name: Option<&str>,
    written_at: DateTime<Utc>,
) -> Vec<Fact> {
    vec![
        Fact::text("Konto", account_name),
        Fact::text("Plattform", platform.display_name()),
        Fact::code("Kommentar-id", comment_id),
        Fact::text(
            "Skribent",
            author_name.unwrap_or("okänd (plattformen uppger inget namn)"),
        ),
        Fact::text("Skriven", local_time(written_at)),
    ]
}

fn evidence_facts(evidence: &EvidenceRef) -> Vec<Fact> {
    vec![
        Fact::code("Bevispost", evidence.record_path.clone()),
        Fact::code("Kontrollsumma (SHA-256)", evidence.record_sha256.clone()),
    ]
}

fn ticket_and_link_facts(ticket_ref: Option<&str>, permalink: Option<&str>) -> Vec<Fact> {
    let mut facts = Vec::new();
    if let Some(ticket) = ticket_ref {
        facts.push(Fact::text("Ärende", ticket));
    }
    facts.push(match permalink {
        Some(link) => Fact::link("Länk", link),
        None => Fact::text(
            "Länk",
            "plattformen har ingen länk till enskilda kommentarer",
        ),
    });
    facts
}

fn reasons_section(reasons: &[AlertReason]) -> Section {
    let mut seen: Vec<&AlertReason> = Vec::new();
    for reason in reasons {
        if !seen.contains(&reason) {
            seen.push(reason);
        }
    }
    let items = seen.into_iter().map(reason_line).collect();
    Section::bullets("Skäl", items)
}

fn reason_line(reason: &AlertReason) -> Line {
    let mut text = capitalised(category_sv(reason.category));
    let explanation = redact_numbers(reason.reason.trim());
    if !explanation.is_empty() {
        text.push_str(": ");
        text.push_str(&explanation);
    }
    let basis = redact_numbers(reason.legal_basis.trim());
    if !basis.is_empty() {
        text.push_str(&format!(" (grund: {basis})"));
    }
    vec![Span::text(text)]
}

/// The categories in the order found, each once: "hets mot folkgrupp, olaga hot".
fn category_list(reasons: &[AlertReason]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for reason in reasons {
        let name = category_sv(reason.category);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return "utan angivet skäl".to_string();
    }
    names.join(", ")
}

fn has_group(reasons: &[AlertReason], group: CategoryGroup) -> bool {
    reasons.iter().any(|r| r.category.group() == group)
}

/// A time as moderators in Stockholm read it: "2026-11-23 08:31".
fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A duration in Swedish: "15 minuter", "1 timme", "90 sekunder".
fn duration_sv(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (count, one, many) = if seconds >= 3600 && seconds.is_multiple_of(3600) {
        (seconds / 3600, "timme", "timmar")
    } else if seconds >= 60 && seconds.is_multiple_of(60) {
        (seconds / 60, "minut", "minuter")
    } else {
        (seconds, "sekund", "sekunder")
    };
    format!("{count} {}", if count == 1 { one } else { many })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Quotes a comment id for a shell command line when it holds anything
/// but safe characters.
fn shell_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A piece of a line: ordinary text or something to type (a command).
#[derive(Debug, Clone)]
enum Span {
    Text(String),
    Code(String),
}

impl Span {
    fn text(text: impl Into<String>) -> Self {
        Span::Text(text.into())
    }

    fn code(text: impl Into<String>) -> Self {
        Span::Code(text.into())
    }
}

type Line = Vec<Span>;

/// One labelled fact in the summary table.
#[derive(Debug, Clone)]
struct Fact {
    label: &'static str,
    value: FactValue,
}

#[derive(Debug, Clone)]
enum FactValue {
    Text(String),
    Code(String),
    Link(String),
}

impl Fact {
    fn text(label: &'static str, value: impl Into<String>) -> Self {
        Self {
            label,
            value: FactValue::Text(value.into()),
        }
    }

    fn code(label: &'static str, value: impl Into<String>) -> Self {
        Self {
            label,
            value: FactValue::Code(value.into()),
        }
    }

    fn link(label: &'static str, value: impl Into<String>) -> Self {
        Self {
            label,
            value: FactValue::Link(value.into()),
        }
    }
}

#[derive(Debug, Clone)]
enum SectionBody {
    Paragraph(Line),
    Bullets(Vec<Line>),
    Steps(Vec<Line>),
}

#[derive(Debug, Clone)]
struct Section {
    heading: &'static str,
    body: SectionBody,
}

impl Section {
    fn paragraph(heading: &'static str, line: Line) -> Self {
        Self {
            heading,
            body: SectionBody::Paragraph(line),
        }
    }

    fn bullets(heading: &'static str, items: Vec<Line>) -> Self {
        Self {
            heading,
            body: SectionBody::Bullets(items),
        }
    }

    fn steps(heading: &'static str, items: Vec<Line>) -> Self {
        Self {
            heading,
            body: SectionBody::Steps(items),
        }
    }
}

/// The content of one message, before it is written as text and HTML.
#[derive(Debug, Clone)]
struct Document {
    title: String,
    intro: String,
    facts: Vec<Fact>,
    sections: Vec<Section>,
}

const FOOTER: &str = "Det här meddelandet skickades automatiskt av kommentarsvakt. \
                      Svar på det läses inte.";

impl Document {
    fn render(&self, subject: String) -> Rendered {
        Rendered {
            subject,
            text: self.to_text(),
            html: self.to_html(),
        }
    }

    fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        out.push_str(&"=".repeat(self.title.chars().count()));
        out.push_str("\n\n");
        out.push_str(&self.intro);
        out.push_str("\n\n");
        let width = self
            .facts
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0);
        for fact in &self.facts {
            let value = match &fact.value {
                FactValue::Text(v) | FactValue::Code(v) | FactValue::Link(v) => v,
            };
            let label = format!("{}:", fact.label);
            out.push_str(&format!("{label:<pad$} {value}\n", pad = width + 1));
        }
        for section in &self.sections {
            out.push('\n');
            out.push_str(section.heading);
            out.push('\n');
            out.push_str(&"-".repeat(section.heading.chars().count()));
            out.push('\n');
            match &section.body {
                SectionBody::Paragraph(line) => {
                    out.push_str(&line_text(line));
                    out.push('\n');
                }
                SectionBody::Bullets(items) => {
                    for item in items {
                        out.push_str(&format!("- {}\n", line_text(item)));
                    }
                }
                SectionBody::Steps(items) => {
                    for (n, item) in items.iter().enumerate() {
                        out.push_str(&format!("{}. {}\n", n + 1, line_text(item)));
                    }
                }
            }
        }
        out.push_str("\n-- \n");
        out.push_str(FOOTER);
        out.push('\n');
        out
    }

    fn to_html(&self) -> String {
        let mut out = String::new();
        out.push_str("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str(&format!("<title>{}</title>\n", escape_html(&self.title)));
        out.push_str("</head>\n<body style=\"font-family: sans-serif; line-height: 1.4;\">\n");
        out.push_str(&format!(
            "<h1 style=\"font-size: 1.3em;\">{}</h1>\n",
            escape_html(&self.title)
        ));
        out.push_str(&format!("<p>{}</p>\n", escape_html(&self.intro)));
        out.push_str("<table style=\"border-collapse: collapse;\">\n");
        for fact in &self.facts {
            out.push_str(&format!(
                "<tr><th style=\"text-align: left; padding: 2px 1em 2px 0; \
                 vertical-align: top;\">{}</th><td>{}</td></tr>\n",
                escape_html(fact.label),
                fact_html(&fact.value)
            ));
        }
        out.push_str("</table>\n");
        for section in &self.sections {
            out.push_str(&format!(
                "<h2 style=\"font-size: 1.1em;\">{}</h2>\n",
                escape_html(section.heading)
            ));
            match &section.body {
                SectionBody::Paragraph(line) => {
                    out.push_str(&format!("<p>{}</p>\n", line_html(line)));
                }
                SectionBody::Bullets(items) => list_html(&mut out, "ul", items),
                SectionBody::Steps(items) => list_html(&mut out, "ol", items),
            }
        }
        out.push_str(&format!(
            "<hr>\n<p style=\"color: #555; font-size: 0.9em;\">{}</p>\n</body>\n</html>\n",
            escape_html(FOOTER)
        ));
        out
    }
}

fn line_text(line: &Line) -> String {
    line.iter()
        .map(|span| match span {
            Span::Text(t) | Span::Code(t) => t.as_str(),
        })
        .collect()
}

fn line_html(line: &Line) -> String {
    line.iter()
        .map(|span| match span {
            Span::Text(t) => escape_html(t),
            Span::Code(c) => format!("<code>{}</code>", escape_html(c)),
        })
        .collect()
}

fn list_html(out: &mut String, tag: &str, items: &[Line]) {
    out.push_str(&format!("<{tag}>\n"));
    for item in items {
        out.push_str(&format!("<li>{}</li>\n", line_html(item)));
    }
    out.push_str(&format!("</{tag}>\n"));
}

fn fact_html(value: &FactValue) -> String {
    match value {
        FactValue::Text(t) => escape_html(t),
        FactValue::Code(c) => format!("<code>{}</code>", escape_html(c)),
        FactValue::Link(url) if is_web_link(url) => {
            format!("<a href=\"{0}\">{0}</a>", escape_html(url))
        }
        FactValue::Link(url) => escape_html(url),
    }
}

/// Only http(s) links become clickable; anything else (`javascript:` …) is
/// shown as text.
fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const PERSONNUMMER: &str = "19811218-9876";

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid time")
    }

    fn hets() -> AlertReason {
        AlertReason {
            category: Category::HetsMotFolkgrupp,
            reason: "Uttrycker missaktning för en folkgrupp.".to_string(),
            legal_basis: "BrB 16 kap. 8 §; lag (1998:112) 5 §".to_string(),
        }
    }

    fn removal() -> RemovalAlert {
        RemovalAlert {
            account_name: "Stockholms stad".to_string(),
            platform: PlatformKind::Facebook,
            comment_id: "123_456".to_string(),
            author_name: Some("Kalle Karlsson".to_string()),
            written_at: at(2026, 11, 23, 7, 31),
            outcome: RemovalOutcome::Hidden,
            reasons: vec![hets()],
            evidence: EvidenceRef {
                record_sha256: "ab".repeat(32),
                record_path: "2026/11/23/000042-abab.json".to_string(),
            },
            ticket_ref: Some("KV-2026-0042".to_string()),
            permalink: Some("https://www.facebook.com/123/posts/456?comment_id=789".to_string()),
        }
    }

    fn all_output(r: &Rendered) -> String {
        format!("{}\n{}\n{}", r.subject, r.text, r.html)
    }

    #[test]
    fn removal_subject_names_the_action_category_and_account() {
        assert_eq!(
            removal_alert(&removal()).subject,
            "Kommentar dold: hets mot folkgrupp på Stockholms stad"
        );
    }

    #[test]
    fn removal_alert_shows_everything_the_moderator_needs() {
        let rendered = removal_alert(&removal());
        for expected in [
            "Stockholms stad",
            "Facebook",
            "123_456",
            "Kalle Karlsson",
            "2026-11-23 08:31",
            "dold för allmänheten",
            "Hets mot folkgrupp: Uttrycker missaktning för en folkgrupp.",
            "BrB 16 kap. 8 §; lag (1998:112) 5 §",
            "2026/11/23/000042-abab.json",
            &"ab".repeat(32),
            "KV-2026-0042",
            "https://www.facebook.com/123/posts/456?comment_id=789",
            "kommentarsvakt comments restore 123_456 --reason",
            "polisanmälan",
        ] {
            assert!(rendered.text.contains(expected), "text lacks {expected:?}");
        }
        assert!(
            rendered
                .html
                .contains("<code>kommentarsvakt comments restore 123_456")
        );
    }

    #[test]
    fn removal_alert_never_carries_a_personnummer_from_a_reason() {
        let mut ctx = removal();
        ctx.reasons = vec![AlertReason {
            category: Category::Personnummer,
            reason: format!("Innehåller personnumret {PERSONNUMMER}."),
            legal_basis: "GDPR art. 87; lag (2018:218) 3 kap. 10 §".to_string(),
        }];
        let rendered = removal_alert(&ctx);
        let output = all_output(&rendered);
        assert!(!output.contains(PERSONNUMMER));
        assert!(!output.contains("811218"));
        assert!(output.contains(REDACTED_NUMBER));
        assert!(output.contains("lag (2018:218) 3 kap. 10 §"));
        assert!(output.contains("registreras"));
        assert!(!output.contains("polisanmälan"));
    }

    #[test]
    fn removal_alert_points_to_the_evidence_record_instead_of_the_text() {
        let rendered = removal_alert(&removal());
        assert!(rendered.text.contains(
            "Texten skickas inte med e-post, eftersom den kan innehålla personuppgifter. \
             Den finns i bevisposten 2026/11/23/000042-abab.json."
        ));
    }

    #[test]
    fn author_name_with_script_is_escaped_in_html() {
        let mut ctx = removal();
        ctx.author_name = Some("<script>alert('x')</script>".to_string());
        let rendered = removal_alert(&ctx);
        assert!(!rendered.html.contains("<script>"));
        assert!(
            rendered
                .html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        );
        assert!(rendered.text.contains("<script>alert('x')</script>"));
    }

    #[test]
    fn only_web_links_become_clickable() {
        let mut ctx = removal();
        ctx.permalink = Some("javascript:alert(1)".to_string());
        let rendered = removal_alert(&ctx);
        assert!(!rendered.html.contains("href=\"javascript"));
        assert!(
            removal_alert(&removal())
                .html
                .contains("<a href=\"https://www.facebook.com/123/posts/456?comment_id=789\">")
        );
    }

    #[test]
    fn deleted_comment_is_not_offered_a_restore() {
        let mut ctx = removal();
        ctx.outcome = RemovalOutcome::Deleted;
        let rendered = removal_alert(&ctx);
        assert!(rendered.subject.starts_with("Kommentar borttagen:"));
        assert!(!rendered.text.contains("comments restore"));
        assert!(rendered.text.contains("kan inte återställas"));
    }

    #[test]
    fn dry_run_says_the_comment_is_still_visible() {
        let mut ctx = removal();
        ctx.outcome = RemovalOutcome::DocumentedOnly;
        let rendered = removal_alert(&ctx);
        assert!(rendered.text.contains("endast dokumenterad i torrkörning"));
        assert!(rendered.text.contains("den syns fortfarande"));
        assert!(!rendered.text.contains("comments restore"));
    }

    #[test]
    fn odd_comment_id_is_quoted_in_the_restore_command() {
        let mut ctx = removal();
        ctx.comment_id = "a b'c".to_string();
        let rendered = removal_alert(&ctx);
        assert!(
            rendered
                .text
                .contains(r#"comments restore 'a b'\''c' --reason"#)
        );
    }

    #[test]
    fn repeated_findings_are_listed_once() {
        let mut ctx = removal();
        ctx.reasons = vec![hets(), hets()];
        let rendered = removal_alert(&ctx);
        assert_eq!(rendered.text.matches("Hets mot folkgrupp:").count(), 1);
        assert_eq!(
            rendered.subject,
            "Kommentar dold: hets mot folkgrupp på Stockholms stad"
        );
    }

    #[test]
    fn review_request_lists_reasons_and_service_steps() {
        let ctx = ReviewRequest {
            account_name: "Trafikkontoret".to_string(),
            platform: PlatformKind::Instagram,
            comment_id: "1789".to_string(),
            author_name: None,
            written_at: at(2026, 7, 1, 10, 0),
            reasons: vec![AlertReason {
                category: Category::Question,
                reason: "Ställer en fråga till staden.".to_string(),
                legal_basis: "förvaltningslagen (2017:900) 6 §".to_string(),
            }],
            evidence: None,
            ticket_ref: None,
            permalink: None,
            console_link: Some("https://konsol.example.se/granska/17".to_string()),
        };
        let rendered = review_request(&ctx);
        assert_eq!(
            rendered.subject,
            "Granska kommentar: fråga på Trafikkontoret"
        );
        assert!(
            rendered
                .text
                .contains("Fråga: Ställer en fråga till staden.")
        );
        assert!(rendered.text.contains("2026-07-01 12:00"), "summer time");
        assert!(rendered.text.contains("svara under kontorstid"));
        assert!(rendered.text.contains("plattformen har ingen länk"));
        assert!(!rendered.text.contains("polisanmälan"));
        assert!(
            rendered.text.contains(
                "Öppna kommentaren i moderatorskonsolen (https://konsol.example.se/granska/17)"
            ),
            "the e-mail links straight to the item"
        );
        assert!(
            rendered
                .html
                .contains("href=\"https://konsol.example.se/granska/17\"")
        );
    }

    #[test]
    fn crisis_notice_on_and_off() {
        let on = crisis_notice(&CrisisNotice {
            enabled: true,
            interval: Duration::from_secs(15 * 60),
            changed_at: at(2026, 11, 23, 20, 5),
            source: "/etc/kommentarsvakt/config.toml".to_string(),
        });
        assert_eq!(
            on.subject,
            "Krisläge på: bevakning dygnet runt, intervall 15 minuter"
        );
        assert!(on.text.contains("2026-11-23 21:05"));
        assert!(on.text.contains("/etc/kommentarsvakt/config.toml"));
        let off = crisis_notice(&CrisisNotice {
            enabled: false,
            interval: Duration::from_secs(15 * 60),
            changed_at: at(2026, 11, 24, 8, 0),
            source: "/etc/kommentarsvakt/config.toml".to_string(),
        });
        assert!(off.subject.starts_with("Krisläge av"));
        assert!(!off.text.contains("15 minuter"));
    }

    #[test]
    fn expired_token_tells_a_person_to_renew_it() {
        let rendered = system_problem(&SystemProblem {
            kind: SystemProblemKind::TokenExpired,
            account: Some("Stockholms stad".to_string()),
            detail: "Graph API code 190: Error validating access token".to_string(),
            first_seen: at(2026, 11, 23, 6, 0),
            objects: Vec::new(),
        });
        assert_eq!(
            rendered.subject,
            "Systemproblem: åtkomsttoken gäller inte längre (Stockholms stad)"
        );
        assert!(rendered.text.contains("ny åtkomsttoken"));
        assert!(rendered.text.contains("code 190"));
        assert!(rendered.text.contains("2026-11-23 07:00"));
    }

    #[test]
    fn an_expiring_grant_tells_operations_to_authorise_again_before_it_ends() {
        let expires = at(2027, 1, 10, 9, 0);
        let rendered = system_problem(&SystemProblem {
            kind: SystemProblemKind::GrantExpiring,
            account: Some("Stockholms stad på LinkedIn".to_string()),
            detail: crate::platforms::token::GrantWarning::ExpiresSoon(expires).to_string(),
            first_seen: at(2026, 12, 28, 6, 0),
            objects: Vec::new(),
        });
        assert_eq!(
            rendered.subject,
            "Systemproblem: tjänstens behörighet till kontot går snart ut eller har \
             återkallats (Stockholms stad på LinkedIn)"
        );
        assert!(rendered.text.contains("OAuth-medgivande"));
        assert!(rendered.text.contains("refresh_token_file"));
        assert!(
            rendered
                .text
                .contains("expires on 10 January 2027, 09:00 UTC")
        );
    }

    #[test]
    fn a_problem_names_its_platform_objects_in_full_and_scrubs_the_detail() {
        let rendered = system_problem(&SystemProblem {
            kind: SystemProblemKind::ItemsQuarantined,
            account: Some("Stockholms stad".to_string()),
            detail: "comment text quoted 19121212-1212".to_string(),
            first_seen: at(2026, 11, 23, 6, 0),
            objects: vec![
                "102938475610001_1080000001_1080000042 (post:102938475610001_1080000001)"
                    .to_string(),
            ],
        });
        assert!(
            rendered.text.contains(
                "102938475610001_1080000001_1080000042 (post:102938475610001_1080000001)"
            ),
            "{}",
            rendered.text
        );
        assert!(
            rendered
                .html
                .contains("102938475610001_1080000001_1080000042")
        );
        assert!(
            !rendered.text.contains("19121212-1212"),
            "the detail stays scrubbed"
        );
    }

    #[test]
    fn failed_culling_says_what_is_kept_and_how_to_check_the_archive() {
        let rendered = system_problem(&SystemProblem {
            kind: SystemProblemKind::CullingFailing,
            account: None,
            detail: "archive I/O failed at /srv/arkiv/culling: File exists".to_string(),
            first_seen: at(2026, 12, 24, 2, 30),
            objects: Vec::new(),
        });
        assert_eq!(
            rendered.subject,
            "Systemproblem: den schemalagda gallringen misslyckades"
        );
        assert!(
            rendered
                .text
                .contains("bevarandetid har gått ut finns kvar")
        );
        assert!(rendered.text.contains("kommentarsvakt archive verify"));
        assert!(rendered.text.contains("/srv/arkiv/culling"));
        assert!(rendered.text.contains("2026-12-24 03:30"));
    }

    #[test]
    fn category_names_are_swedish() {
        assert_eq!(
            category_sv(Category::HetsMotFolkgrupp),
            "hets mot folkgrupp"
        );
        assert_eq!(category_sv(Category::Personnummer), "personnummer");
        assert_eq!(category_sv(Category::Health), "uppgifter om hälsa");
        assert_eq!(
            category_sv(Category::OlagaValdsskildring),
            "olaga våldsskildring"
        );
    }

    #[test]
    fn redaction_masks_identity_phone_and_card_numbers_but_not_law_references() {
        for number in [
            "19811218-9876",
            "811218-9876",
            "8112189876",
            "811218+9876",
            "070-123 45 67",
            "4111 1111 1111 1111",
        ] {
            let redacted = redact_numbers(&format!("nummer {number}."));
            assert_eq!(redacted, format!("nummer {REDACTED_NUMBER}."), "{number}");
        }
        for kept in ["lag (1998:112) 5 §", "BrB 16 kap. 10 c §", "SFS 2018:1314"] {
            assert_eq!(redact_numbers(kept), kept);
        }
    }

    #[test]
    fn durations_read_naturally_in_swedish() {
        assert_eq!(duration_sv(Duration::from_secs(3600)), "1 timme");
        assert_eq!(duration_sv(Duration::from_secs(7200)), "2 timmar");
        assert_eq!(duration_sv(Duration::from_secs(60)), "1 minut");
        assert_eq!(duration_sv(Duration::from_secs(90)), "90 sekunder");
    }

    fn digest_ctx() -> Digest {
        Digest {
            run_at: at(2026, 11, 24, 7, 30),
            accounts: vec![
                DigestAccount {
                    name: "Stockholms stad".to_string(),
                    new_comments: 12,
                },
                DigestAccount {
                    name: "Trafikkontoret".to_string(),
                    new_comments: 0,
                },
            ],
            acted: vec![DigestItem {
                account_name: "Stockholms stad".to_string(),
                comment_id: "123_456".to_string(),
                outcome: "dold".to_string(),
                reasons: vec![AlertReason {
                    category: Category::Personnummer,
                    reason: format!("Innehåller {PERSONNUMMER}."),
                    legal_basis: "GDPR art. 87".to_string(),
                }],
                rules: vec!["personnummer.valid".to_string()],
                evidence: EvidenceRef {
                    record_sha256: "cd".repeat(32),
                    record_path: "records/000001.json".to_string(),
                },
                ticket_ref: Some("KV-000001-REG".to_string()),
                console_link: None,
            }],
            review: Vec::new(),
            questions: vec![
                DigestQuestion {
                    reference: "KV-000007-FRA".to_string(),
                    account_name: "Trafikkontoret".to_string(),
                    due_at: Some(at(2026, 11, 25, 16, 0)),
                    overdue: false,
                    permalink: None,
                },
                DigestQuestion {
                    reference: "KV-000003-FRA".to_string(),
                    account_name: "Stockholms stad".to_string(),
                    due_at: Some(at(2026, 11, 23, 16, 0)),
                    overdue: true,
                    permalink: None,
                },
            ],
        }
    }

    #[test]
    fn digest_lists_counts_actions_and_escalates_overdue_questions_first() {
        let rendered = digest(&digest_ctx());
        assert_eq!(
            rendered.subject,
            "Bevakning 2026-11-24 08:30: 12 nya kommentarer, 1 åtgärdade, 0 att granska, 1 FÖRSENAD"
        );
        for expected in [
            "Stockholms stad: 12",
            "Trafikkontoret: 0",
            "kommentar 123_456: dold – personnummer (regel personnummer.valid)",
            "records/000001.json",
            "ärende KV-000001-REG",
            "FÖRSENAD: KV-000003-FRA på Stockholms stad: besvaras senast 2026-11-23 17:00",
        ] {
            assert!(
                rendered.text.contains(expected),
                "text lacks {expected:?}:\n{}",
                rendered.text
            );
        }
        let overdue = rendered.text.find("KV-000003-FRA").unwrap_or(usize::MAX);
        let later = rendered.text.find("KV-000007-FRA").unwrap_or(0);
        assert!(overdue < later, "overdue question first");
        assert!(!all_output(&rendered).contains(PERSONNUMMER));
        assert!(rendered.html.contains("FÖRSENAD: KV-000003-FRA"));
    }

    #[test]
    fn digest_with_nothing_to_report_is_empty() {
        let mut ctx = digest_ctx();
        assert!(!ctx.is_empty());
        ctx.accounts[0].new_comments = 0;
        ctx.acted.clear();
        ctx.questions.clear();
        assert!(ctx.is_empty());
    }

    #[test]
    fn ticket_notice_puts_the_reference_first_and_no_text() {
        let rendered = ticket_notice(&TicketNotice {
            reference: "KV-000123-REG".to_string(),
            kind: TicketKind::RemovedContentRegistration,
            account_name: "Stockholms stad".to_string(),
            department_name: "Stadsledningskontoret".to_string(),
            platform: PlatformKind::Facebook,
            comment_id: "123_456".to_string(),
            summary: format!("Registrering på Stockholms stad: personnummer {PERSONNUMMER}"),
            opened_at: at(2026, 11, 23, 9, 0),
            due_at: Some(at(2026, 11, 25, 16, 0)),
            permalink: None,
            record_path: "records/000123.json".to_string(),
            record_sha256: "ef".repeat(32),
            attachment_name: Some("KV-000123-REG-bevispost.json".to_string()),
        });
        assert!(
            rendered
                .subject
                .starts_with("[KV-000123-REG] Registrering av borttaget innehåll")
        );
        assert!(rendered.text.contains("2026-11-25 17:00"));
        assert!(rendered.text.contains("KV-000123-REG-bevispost.json"));
        assert!(
            rendered
                .text
                .contains("kommentarsvakt tickets close KV-000123-REG")
        );
        assert!(!all_output(&rendered).contains(PERSONNUMMER));
    }
}
