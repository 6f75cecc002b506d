//! Olaga integritetsintrång (BrB 4:6 c): spreading intimate images or
//! private facts (health, sexual life, being a crime victim) about a
//! person. Never obvious — whether it is "to harm" and "serious" needs a
//! person.
//!
//! The offence has three parts, and the rules look for them separately
//! instead of for whole phrases: **material** (an intimate-image word such
//! as `nakenbilder`, `sexklippet`, `hämndbilder`; a recording made where
//! people are undressed or unguarded, `filmen från omklädningsrummet`; or a
//! private fact, `har hiv`, `var inlagd för missbruk`, `blev rånad`), an
//! act of **spreading** (`sprid`, `lägger ut`, `skickar runt`, `läckt`,
//! `nu får alla se`, a link), and an **identifiable person** (a name,
//! `han`/`hon`, a role such as `rektorn`, `grannens dotter`, `mitt ex`).
//!
//! - `il.olaga_integritetsintrang.sharing`: intimate material, or a
//!   recording in an intimate setting; probable when spread and a person
//!   or a link is named, possible when only spread, or (intimate words
//!   only) only said of a person in the same sentence. A bare mention
//!   (`Hämndporr förstör liv`) gives nothing.
//! - `il.olaga_integritetsintrang.private_fact`: a private fact said about
//!   someone else; probable when exposed (spread, pointed at, linked),
//!   possible otherwise. Said about oneself it is no finding.
//!
//! Selling material (`säljer bilderna`) is spreading it; `dm`, `link`
//! point readers at it.
//!
//! Material named as one's own (`mina nakenbilder`), negated (`skicka
//! aldrig nakenbilder`), in news, information, law, moderation or
//! questions without spreading gives no finding.

use super::*;

/// How far a piece of material is spread and tied to someone.
#[derive(Debug, Clone, Copy)]
struct Exposure {
    /// A verb of spreading or a link in the comment.
    spread: bool,
    /// A word that points readers at it in the comment.
    pointed: bool,
    /// An identifiable person in the comment.
    person: bool,
}

impl Rules<'_, '_> {
    pub(super) fn intimate(&self, out: &mut Vec<Finding>) {
        let material = self
            .hits
            .iter()
            .filter(|h| matches!(h.role(), Role::Intimate | Role::IntimateSetting));
        for hit in material {
            if let Some((confidence, reason)) = self.sharing_verdict(hit) {
                out.push(
                    Verdict::of(
                        row!("il.olaga_integritetsintrang.sharing"),
                        confidence,
                        reason.to_owned(),
                    )
                    .at(self.doc.hit_span(hit)),
                );
            }
        }
        self.private_facts(out);
    }

    fn sharing_verdict(&self, hit: &Hit<'_>) -> Option<(Confidence, &'static str)> {
        let doc = self.doc;
        if self.material_excused(hit) || self.privacy_protected(hit) {
            return None;
        }
        let setting = hit.role() == Role::IntimateSetting;
        if setting && !self.recording_near(hit) {
            return None;
        }
        let exposure = self.exposure(hit);
        let depicted = self.depicted_person(hit);
        let person_here = depicted
            || doc
                .sentence_tokens(hit.first)
                .any(|i| i != hit.first && self.names_person(i));
        let person = exposure.person || depicted;
        let pointed_here = self.has_link() || doc.sentence_has(hit.first, Class::PrivacyPointing);
        let asked = matches!(
            doc.material_guard(hit.first, hit.last),
            Some(Guard::Question | Guard::Hypothetical)
        );
        if asked {
            // `… vem vill ha?`: a question that offers material of someone.
            return ((exposure.spread || exposure.pointed) && person).then_some((
                Confidence::Possible,
                "Nämner intima bilder av någon; kontrollera sammanhanget.",
            ));
        }
        // Material made without consent (`upskirt`, `dold kamera`, listed
        // `probable`) is of someone whoever it is.
        let nonconsensual = hit.found.entry.confidence >= Confidence::Probable;
        if (exposure.spread && person)
            || (pointed_here && (person || exposure.spread || nonconsensual))
        {
            return Some((
                Confidence::Probable,
                "Sprider eller pekar på intima bilder av någon.",
            ));
        }
        let possible = exposure.spread || pointed_here || (!setting && person_here);
        possible.then_some((
            Confidence::Possible,
            "Nämner intima bilder av någon; kontrollera sammanhanget.",
        ))
    }

    /// The material is `på` someone: `nudes på din lärare`, `nakenbilder
    /// på Elin`, `sexbilder på mitt ex` (not `på nätet`, `på varandra`).
    fn depicted_person(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        let after = hit.last + 1;
        if !doc.is(after, &["på", "av", "med"]) || !doc.same_sentence(hit.last, after) {
            return false;
        }
        (after + 1..=after + 3)
            .take_while(|&i| doc.same_sentence(i, after))
            .find(|&i| {
                !doc.is(
                    i,
                    &[
                        "alla", "den", "det", "de", "en", "ett", "min", "mitt", "mina",
                    ],
                )
            })
            .is_some_and(|i| doc.is(i, Class::OthersPossessive) || self.names_person(i))
    }

    /// `Kvinnan … vill inte att hennes namn sprids, respektera det`,
    /// `Bilderna delas med ert tillstånd`: the sentence protects privacy.
    fn privacy_protected(&self, hit: &Hit<'_>) -> bool {
        self.doc.sentence_has(hit.first, Class::Protecting)
    }

    /// A recording word in the sentence of an intimate setting:
    /// `filmade kollegorna i omklädningsrummet`.
    fn recording_near(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        doc.sentence_tokens(hit.first).any(|i| {
            doc.names_recording(i, Class::RecordingExtra) || doc.phrase_at(i, &["spelade", "in"])
        })
    }

    /// Spreading, pointing and a person anywhere in the comment; a
    /// spreading verb right after a negation (`skicka aldrig`, `ingen får
    /// sprida`) does not count.
    fn exposure(&self, hit: &Hit<'_>) -> Exposure {
        let doc = self.doc;
        let spread = self.has_link()
            || (0..doc.tokens.len()).any(|i| {
                (doc.is(i, Class::Spreading) || doc.phrase_at(i, &["får", "alla", "se"]))
                    && !doc.negated_before(i, i + 2)
            });
        let pointed = (0..doc.tokens.len()).any(|i| doc.is(i, Class::PrivacyPointing));
        let person = (0..doc.tokens.len()).any(|i| i != hit.first && self.names_person(i));
        Exposure {
            spread,
            pointed,
            person,
        }
    }

    /// A name, a pronoun for a person or a role word (`grannens`,
    /// `fritidsledaren`) at token `i`.
    fn names_person(&self, i: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(i);
        doc.is_name(i)
            || doc.is(i, Class::PersonWords)
            || doc.is(i, Class::PrivacyPersonRoles)
            || (word.chars().count() > 6
                && doc.classes.ends_with_any(word, Class::PrivacyPersonRoles))
    }

    /// The nearest person word before token `index` in its sentence is the
    /// writer (`jag har hiv`, `jag blev själv utsatt`), not a third person
    /// (`jag har sett hans journal`).
    fn about_writer(&self, index: usize) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(index);
        let first_person = [
            "jag", "mig", "mej", "min", "mitt", "mina", "vi", "oss", "vår",
        ];
        let before = (sentence.start..index)
            .rev()
            .find(|&i| doc.is(i, &first_person) || self.names_person(i));
        match before {
            Some(i) => doc.is(i, &first_person),
            // `Sjukskriven för utmattning igen, tack kollegorna`: the
            // writer is the subject left out.
            None => !(index..sentence.end).any(|i| doc.is(i, Class::PersonWords) || doc.is_name(i)),
        }
    }

    /// `Malin i kassan har herpes`, `rektorn har gjort abort`.
    fn private_facts(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for fact in self.with_role(Role::PrivateFact) {
            // A pronoun or role anywhere in the sentence, or a name close
            // to the fact (`Malin i kassan har herpes`): a capitalised word
            // far away is more often a place (`i Kalifornien`).
            let sentence = doc.sentence_tokens(fact.first);
            let someone = sentence.clone().any(|i| {
                i != fact.first
                    && (doc.is(i, Class::PersonWords)
                        || self.names_person(i)
                            && (fact.first.saturating_sub(5)..=fact.last + 3).contains(&i))
            });
            // A rhetorical question (`Visste ni att …?`) still exposes; a
            // negation counts only before the fact (`har inte herpes`).
            let talked_about = matches!(
                doc.guard(fact.first, fact.last),
                Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
            ) || doc.discussed(fact.first)
                || doc
                    .sentence_tokens(fact.first)
                    // The victim and the parents are who a fact is
                    // spread about and to, not information talk.
                    .any(|i| {
                        doc.is(i, Class::Info) && !doc.is(i, &["offret", "offren", "föräldrar"])
                    });
            let negated = doc.negated_before(fact.first, fact.last + 1);
            if !someone
                || self.about_writer(fact.first)
                || talked_about
                || negated
                || self.privacy_protected(fact)
            {
                continue;
            }
            let exposure = self.exposure(fact);
            let exposing = (0..doc.tokens.len()).any(|i| doc.is(i, Class::Exposing));
            let (confidence, reason) = if exposure.spread || exposure.pointed || exposing {
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
                Verdict::of(
                    row!("il.olaga_integritetsintrang.private_fact"),
                    confidence,
                    reason,
                )
                .at(doc.hit_span(fact)),
            );
        }
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.olaga_integritetsintrang.sharing",
        category: Category::OlagaIntegritetsintrang,
        trigger: "intimate material (role `intimate`)",
        shape: "the material of someone, spread or pointed at (probable) or named (possible)",
        guards: "news, quotation, counter-speech, information, the writer's own, negation, fiction",
        strength: Strength::Review,
        reason: "Sprider eller pekar på intima bilder av någon",
        basis: BASIS_INTEGRITET,
        positive: "Lägger upp hans dickpics här",
        negative: "Lägger upp hans semesterbilder här",
    },
    RuleRow {
        id: "il.olaga_integritetsintrang.private_fact",
        category: Category::OlagaIntegritetsintrang,
        trigger: "a private fact (health, sexual life, crime victim)",
        shape: "the fact about a named or pointed-out person, exposed or spread",
        guards: "news, quotation, counter-speech, information, the writer's own, negation",
        strength: Strength::Review,
        reason: "Röjer en känslig uppgift",
        basis: BASIS_INTEGRITET,
        positive: "Visste ni att Johan på kontoret har klamydia?",
        negative: "Visste ni att Johan på kontoret har semester?",
    },
];
