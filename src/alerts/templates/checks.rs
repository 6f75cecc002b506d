//! What an account's responsible person and its department are told when a
//! daily check finds that the account falls short of the social-media
//! policy (KS 2018/1303): too few posts, nobody responsible, access about
//! to run out, a working day without monitoring, or a profile without the
//! basic information. Each finding is told
//! once; the text says what was found, on which account, and what to do.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{Document, Fact, Line, Rendered, Section, Span, local_time, redact_numbers};
use crate::domain::PlatformKind;

/// What a daily check found on one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckProblem {
    /// Fewer posts than the policy's rhythm two ordinary weeks in a row:
    /// each week's Monday and its number of posts.
    LowPublishing {
        /// The two weeks, oldest first.
        weeks: Vec<(NaiveDate, usize)>,
    },
    /// The register lacks the people the policy asks for: the Swedish
    /// names of what is missing.
    MissingPeople {
        /// What is missing (`ansvarig person (namn)`, `moderator` …).
        missing: Vec<&'static str>,
    },
    /// The OAuth grant the service reads the account with ends soon.
    TokenExpiring {
        /// When it ends.
        expires_at: DateTime<Utc>,
    },
    /// The OAuth grant has ended: the account is not monitored.
    TokenExpired {
        /// When it ended.
        expired_at: DateTime<Utc>,
    },
    /// The file with the account's grant cannot be read, so its end is
    /// unknown.
    TokenUnreadable {
        /// Why (a path and an operating-system error, no secret).
        detail: String,
    },
    /// No monitoring run read the account successfully on a working day.
    NoSuccessfulRun {
        /// The working day.
        day: NaiveDate,
    },
    /// The account's profile lacks basic information the policy asks
    /// for.
    MissingBasicInformation {
        /// What is missing, one Swedish line each ("Länk till
        /// förvaltningens webbplats saknas").
        missing: Vec<String>,
        /// What the platform does not let the service read, one Swedish
        /// line each ("…: kan inte kontrolleras på Instagram (…)").
        unverifiable: Vec<String>,
    },
}

/// Context of one finding's e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckNotice {
    /// The account's display name.
    pub account_name: String,
    /// The account's key in the configuration.
    pub account_key: String,
    /// The platform the account is on.
    pub platform: PlatformKind,
    /// The owning department's name.
    pub department_name: String,
    /// The day the finding was first seen.
    pub found_on: NaiveDate,
    /// What was found.
    pub problem: CheckProblem,
}

/// The e-mail about one finding of a daily check.
pub fn check_finding(ctx: &CheckNotice) -> Rendered {
    let subject = format!(
        "Kontroll av kontot {}: {}",
        ctx.account_name,
        ctx.problem.title()
    );
    let mut facts = vec![
        Fact::text("Konto", ctx.account_name.clone()),
        Fact::text("Plattform", ctx.platform.display_name()),
        Fact::text("Förvaltning", ctx.department_name.clone()),
        Fact::text("Upptäckt", ctx.found_on.to_string()),
    ];
    facts.extend(problem_facts(&ctx.problem));
    let document = Document {
        title: subject.clone(),
        intro: intro(ctx),
        facts,
        sections: vec![
            Section::steps("Vad du ska göra", steps(ctx)),
            Section::paragraph(
                "Varför du får det här",
                vec![Span::text(
                    "Kommentarsvakt kontrollerar varje dag att stadens konton följer \
                     riktlinjerna för sociala medier. Du får det här meddelandet en gång per \
                     fynd; kommer samma fynd tillbaka efter att ha åtgärdats får du ett nytt.",
                )],
            ),
        ],
    };
    document.render(subject)
}

impl CheckProblem {
    /// The finding in a few Swedish words, for the subject and for the
    /// operator's `kommentarsvakt checks` listing.
    pub fn title(&self) -> &'static str {
        match self {
            CheckProblem::LowPublishing { .. } => "för få inlägg två veckor i rad",
            CheckProblem::MissingPeople { .. } => "ansvarig saknas i kontoregistret",
            CheckProblem::TokenExpiring { .. } => "tjänstens åtkomst upphör snart",
            CheckProblem::TokenExpired { .. } => "tjänstens åtkomst har upphört",
            CheckProblem::TokenUnreadable { .. } => "tjänstens åtkomst kan inte kontrolleras",
            CheckProblem::NoSuccessfulRun { .. } => "ingen lyckad bevakning under en arbetsdag",
            CheckProblem::MissingBasicInformation { .. } => {
                "grundläggande information saknas i profilen"
            }
        }
    }
}

/// "vecka 47 (16 nov)": the ISO week people plan by, and its Monday.
fn week_label(monday: NaiveDate) -> String {
    format!(
        "vecka {} (från {})",
        monday.iso_week().week(),
        monday.format("%Y-%m-%d")
    )
}

fn posts_sv(count: usize) -> String {
    match count {
        1 => "1 inlägg".to_string(),
        n => format!("{n} inlägg"),
    }
}

fn problem_facts(problem: &CheckProblem) -> Vec<Fact> {
    match problem {
        CheckProblem::LowPublishing { weeks } => weeks
            .iter()
            .map(|(monday, posts)| {
                Fact::text(
                    "Publicerat",
                    format!("{}: {}", week_label(*monday), posts_sv(*posts)),
                )
            })
            .collect(),
        CheckProblem::MissingPeople { missing } => vec![Fact::text("Saknas", missing.join(", "))],
        CheckProblem::TokenExpiring { expires_at } => {
            vec![Fact::text("Åtkomsten upphör", local_time(*expires_at))]
        }
        CheckProblem::TokenExpired { expired_at } => {
            vec![Fact::text("Åtkomsten upphörde", local_time(*expired_at))]
        }
        CheckProblem::TokenUnreadable { detail } => {
            vec![Fact::code("Detaljer", redact_numbers(detail))]
        }
        CheckProblem::NoSuccessfulRun { day } => {
            vec![Fact::text("Arbetsdag utan bevakning", day.to_string())]
        }
        CheckProblem::MissingBasicInformation {
            missing,
            unverifiable,
        } => missing
            .iter()
            .map(|line| Fact::text("Saknas", line.clone()))
            .chain(
                unverifiable
                    .iter()
                    .map(|line| Fact::text("Kan inte kontrolleras", line.clone())),
            )
            .collect(),
    }
}

fn intro(ctx: &CheckNotice) -> String {
    let name = &ctx.account_name;
    let platform = ctx.platform.display_name();
    match &ctx.problem {
        CheckProblem::LowPublishing { .. } => format!(
            "Kontot {name} på {platform} publicerade färre än två inlägg i veckan två vanliga \
             arbetsveckor i rad. Enligt stadens riktlinjer ska ett konto publicera minst ett par \
             gånger i veckan; under lov och helger kan det bli mer sällan, och det ska då \
             meddelas i ett inlägg."
        ),
        CheckProblem::MissingPeople { .. } => format!(
            "I kommentarsvakts kontoregister saknas uppgifter om vem som ansvarar för kontot \
             {name} på {platform}. Riktlinjerna kräver en utsedd ansvarig person för planering, \
             publicering, uppföljning, bevakning och moderering."
        ),
        CheckProblem::TokenExpiring { expires_at } => format!(
            "Kommentarsvakts behörighet att läsa och moderera kontot {name} på {platform} \
             upphör {}. Därefter bevakas kontot inte, och kommentarer som bryter mot reglerna \
             kan ligga kvar.",
            local_time(*expires_at)
        ),
        CheckProblem::TokenExpired { expired_at } => format!(
            "Kommentarsvakts behörighet att läsa och moderera kontot {name} på {platform} \
             upphörde {}. Kontot bevakas inte förrän behörigheten har förnyats.",
            local_time(*expired_at)
        ),
        CheckProblem::TokenUnreadable { .. } => format!(
            "Kommentarsvakt kan inte läsa filen med behörigheten för kontot {name} på \
             {platform}, och vet därför inte när behörigheten upphör."
        ),
        CheckProblem::NoSuccessfulRun { day } => format!(
            "Kommentarsvakt lyckades inte läsa kontot {name} på {platform} någon gång under \
             arbetsdagen {day}. Kommentarer som kom in då har inte granskats av tjänsten."
        ),
        CheckProblem::MissingBasicInformation { .. } => format!(
            "Profilen för kontot {name} på {platform} saknar grundläggande information som \
             stadens riktlinjer kräver: vilken förvaltning som driver kontot och att det är en \
             del av Stockholms stad, vad man kan förvänta sig, villkoren för att delta (till \
             exempel att inlägg kan bli allmänna handlingar), kontaktuppgifter och en länk till \
             förvaltningens webbplats."
        ),
    }
}

fn steps(ctx: &CheckNotice) -> Vec<Line> {
    let key = &ctx.account_key;
    let text = |s: &str| vec![Span::text(s)];
    match &ctx.problem {
        CheckProblem::LowPublishing { .. } => vec![
            text("Planera publiceringen så att kontot publicerar minst två inlägg i veckan."),
            text(
                "Har kontot ett uppehåll, till exempel under ett lov: meddela det i ett inlägg \
                 så att följarna vet när kontot är bemannat igen.",
            ),
            text(
                "Behövs kontot inte längre: avsluta det enligt riktlinjerna, med ett inlägg som \
                 säger var följarna hittar staden i stället.",
            ),
        ],
        CheckProblem::MissingPeople { .. } => vec![
            text(
                "Utse en ansvarig person för kontot och minst en moderator, om det inte är \
                 gjort.",
            ),
            vec![
                Span::text(format!(
                    "Be driften föra in namn och e-postadress under [accounts.responsible] för \
                     kontot \"{key}\" i konfigurationen och kontrollera den med "
                )),
                Span::code("kommentarsvakt check-config"),
                Span::text("."),
            ],
        ],
        CheckProblem::TokenExpiring { .. }
        | CheckProblem::TokenExpired { .. }
        | CheckProblem::TokenUnreadable { .. } => vec![
            text(
                "Be en administratör för kontot att godkänna kommentarsvakt på nytt på \
                 plattformen (OAuth-medgivande), eller för Facebook och Instagram skapa en ny \
                 sidtoken.",
            ),
            vec![Span::text(format!(
                "Driften lägger den nya uppdateringstoken i filen som refresh_token_file under \
                 [accounts.oauth] anger (en sidtoken där token_file, token_env eller \
                 token_credential pekar) för kontot \"{key}\" och laddar om tjänsten."
            ))],
            text("Bevaka kontot manuellt om behörigheten hinner gå ut."),
        ],
        CheckProblem::MissingBasicInformation { .. } => vec![
            text(
                "Komplettera profilens beskrivning (om-text, bio eller kanalbeskrivning) och \
                 länkfält på plattformen med det som saknas.",
            ),
            text(
                "Det som inte kan kontrolleras via plattformens API: se själv efter att det \
                 finns i profilen.",
            ),
            text(
                "Kommentarsvakt kontrollerar profilen igen nästa vardag; när inget saknas \
                 stängs fyndet.",
            ),
        ],
        CheckProblem::NoSuccessfulRun { day } => vec![
            vec![Span::text(format!(
                "Gå igenom kontots kommentarer från {day} på plattformen och moderera dem enligt \
                 riktlinjerna."
            ))],
            text(
                "Driften: läs tjänstens logg och systemmeddelanden för kontot (ofta en utgången \
                 åtkomst eller ändrad behörighet) och åtgärda felet.",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(problem: CheckProblem) -> CheckNotice {
        CheckNotice {
            account_name: "Stockholms stad".to_string(),
            account_key: "stad".to_string(),
            platform: PlatformKind::Facebook,
            department_name: "Stadsledningskontoret".to_string(),
            found_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
            problem,
        }
    }

    #[test]
    fn low_publishing_names_each_week_with_its_posts_and_the_policy() {
        let monday = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        let mail = check_finding(&notice(CheckProblem::LowPublishing {
            weeks: vec![(monday(16), 1), (monday(23), 0)],
        }));
        assert_eq!(
            mail.subject,
            "Kontroll av kontot Stockholms stad: för få inlägg två veckor i rad"
        );
        assert!(
            mail.text.contains("vecka 47 (från 2026-11-16): 1 inlägg"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("vecka 48 (från 2026-11-23): 0 inlägg"));
        assert!(mail.text.contains("minst ett par gånger i veckan"));
        assert!(mail.html.contains("vecka 48"));
    }

    #[test]
    fn missing_people_says_what_is_missing_and_where_to_add_it() {
        let mail = check_finding(&notice(CheckProblem::MissingPeople {
            missing: vec!["ansvarig person (namn)", "ansvarig person (e-post)"],
        }));
        assert!(
            mail.text
                .contains("ansvarig person (namn), ansvarig person (e-post)")
        );
        assert!(mail.text.contains("[accounts.responsible]"));
        assert!(mail.text.contains("\"stad\""));
    }

    #[test]
    fn missing_basic_information_lists_each_item_and_what_cannot_be_checked() {
        let mail = check_finding(&notice(CheckProblem::MissingBasicInformation {
            missing: vec!["Länk till förvaltningens webbplats saknas".to_string()],
            unverifiable: vec![
                "Kontaktuppgifter: kan inte kontrolleras på Instagram (inget fält)".to_string(),
            ],
        }));
        assert_eq!(
            mail.subject,
            "Kontroll av kontot Stockholms stad: grundläggande information saknas i profilen"
        );
        assert!(
            mail.text
                .contains("Länk till förvaltningens webbplats saknas"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("kan inte kontrolleras på Instagram"));
        assert!(
            mail.html
                .contains("Länk till förvaltningens webbplats saknas")
        );
    }
}
