//! Olaga integritetsintrång (BrB 4:6 c): spreading intimate images or
//! private facts (health, sexual life, being a crime victim) about a
//! person. Never obvious — whether it is "to harm" and "serious" needs a
//! person:
//!
//! - `il.olaga_integritetsintrang.sharing`: an intimate-image word
//!   (`nakenbilder`, `dickpics`, `dold kamera`, `upskirt`); probable with a
//!   sharing word or a link.
//! - `il.olaga_integritetsintrang.private_fact`: a private fact (`har
//!   herpes`, `gjort abort`, `låg inne på psyket`) said about someone else —
//!   a name, `han`/`hon`, or a role (`rektorn`); probable with a pointing
//!   word, possible otherwise. Said about oneself it is no finding.
//!
//! Material named as one's own (`mina nakenbilder`), in news, information,
//! law or moderation talk gives no finding.

use super::*;

/// Words that spread or point at images.
const SPREAD: &[&str] = &[
    "sprider",
    "sprida",
    "sprid",
    "delar",
    "dela",
    "lägger",
    "lägga",
    "la",
    "lade",
    "lagt",
    "kolla",
    "här",
    "finns",
    "skickar",
    "skicka",
    "läckt",
    "läcker",
    "publicerar",
    "publicera",
    "postar",
    "posta",
    "ut",
    "upp",
    "länk",
    "länken",
    "se",
    "mappen",
    "mapp",
    "kanal",
    "kanalen",
    "gruppen",
    "ligger",
    "gratis",
    "mega",
    "ha",
];
/// Roles that name one person (`rektorn på gymnasiet`).
const ROLE_PERSONS: &[&str] = &[
    "rektorn",
    "läraren",
    "lärarinnan",
    "chefen",
    "grannen",
    "kollegan",
    "exet",
    "mamman",
    "pappan",
    "tränaren",
    "pastorn",
    "prästen",
    "politikern",
    "borgarrådet",
];
/// Words that point at a private fact being exposed.
const EXPOSING: &[&str] = &[
    "visste",
    "alla",
    "här",
    "kolla",
    "listan",
    "papperen",
    "bilden",
    "bilderna",
    "inspelning",
    "sprid",
    "dela",
    "tänk",
    "akta",
    "varning",
];

impl Rules<'_, '_> {
    pub(super) fn intimate(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            &MaterialRule {
                role: Role::Intimate,
                pointing: SPREAD,
                category: Category::OlagaIntegritetsintrang,
                rule: "il.olaga_integritetsintrang.sharing",
                basis: BASIS_INTEGRITET,
                pointed: "Sprider eller pekar på intima bilder av någon",
                mentioned: "Nämner intima bilder av någon",
            },
        );
        self.private_facts(out);
    }

    /// `Malin i kassan har herpes`, `rektorn har gjort abort`.
    fn private_facts(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for fact in self.with_role(Role::PrivateFact) {
            let sentence = doc.sentence_tokens(fact.first);
            let about_self = doc.sentence_has(fact.first, &["jag", "mig", "mitt", "min", "mina"]);
            let someone = sentence.clone().any(|i| {
                doc.is_name(i)
                    || doc.is(i, &["han", "hon", "hen", "hans", "hennes", "vem", "vilka"])
                    || doc.is(i, ROLE_PERSONS)
            });
            // A rhetorical question (`Visste ni att …?`) still exposes; a
            // negation counts only before the fact (`har inte herpes`).
            let talked_about = matches!(
                doc.material_guard(fact.first, fact.last),
                Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
            );
            let negated = doc.negated_before(fact.first, fact.last + 1);
            if !someone || about_self || talked_about || negated {
                continue;
            }
            let exposed = self.has_link() || (0..doc.tokens.len()).any(|i| doc.is(i, EXPOSING));
            let (confidence, reason) = if exposed {
                (
                    Confidence::Probable,
                    "Röjer en känslig uppgift (hälsa, sexualliv eller brottsoffer) om en \
                     namngiven person."
                        .to_owned(),
                )
            } else {
                (
                    Confidence::Possible,
                    "Nämner en känslig uppgift om en annan person; kontrollera om den sprids."
                        .to_owned(),
                )
            };
            out.push(
                Verdict {
                    category: Category::OlagaIntegritetsintrang,
                    confidence,
                    rule: "il.olaga_integritetsintrang.private_fact",
                    basis: BASIS_INTEGRITET,
                    reason,
                }
                .at(doc.hit_span(fact)),
            );
        }
    }
}
