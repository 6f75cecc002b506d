//! Olaga våldsskildring (BrB 16:10 c): pointing at or spreading depictions
//! of gross violence. Never obvious from words (a link to a listed gore
//! site is, see `listed_domains`):
//!
//! - `il.olaga_valdsskildring.term`: a gore word (`avrättningsvideo`,
//!   `snuff`); probable with a pointing word or a link.
//! - `il.olaga_valdsskildring.shared_violence`: a video word (`videon`,
//!   `klippet`, `filmades`) with an act or event of gross violence in the
//!   same or the next sentence (`när han skjuts i huvudet`, `våldtäkten`)
//!   and an offer or pointing word anywhere (`har`, `dela`, `kolla`,
//!   `länk`): probable.
//!
//! - The same with the act and the recording in one compound word
//!   (`misshandelsvideon`, `mordklippet`, `skjutningsfilmen`: the event
//!   terms may start a compound, and the word ends in a video word), or
//!   with a verb of spreading right before the event (`lägg upp
//!   halshuggningen`): the event stands for its recording.
//!
//! News, quotations, counter-speech, information, fiction (`thriller`) and
//! reports to the police (`ladda upp dem via polisen`, `kontakta oss`)
//! give no finding.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn gore(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            &MaterialRule {
                role: Role::Gore,
                pointing: Class::GorePointing,
                row: row!("il.olaga_valdsskildring.term"),
                mentioned: "Nämner en grov våldsskildring",
                lawful: |_, _| false,
            },
        );
        self.shared_violence(out);
    }

    /// `Sprid videon där de slår ihjäl killen`, `har klippet när han skjuts`.
    fn shared_violence(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let violent = [Role::Violence, Role::ViolentEvent, Role::Gore];
        if !self.hits.iter().any(|h| violent.contains(&h.role())) {
            return;
        }
        let offered =
            self.has_link() || (0..doc.tokens.len()).any(|i| doc.is(i, Class::GorePointing));
        if !offered {
            return;
        }
        let to_police = |i: usize| {
            (doc.is(i, &["via", "till"]) && doc.is(i + 1, &["polisen"]))
                || (doc.is(i, &["polisen"]) && doc.is(i + 1, &["ber", "vill"]))
                || doc.phrase_at(i, &["skicka", "in"])
        };
        if (0..doc.tokens.len()).any(|i| doc.is(i, Class::ReportingFootage) || to_police(i)) {
            return;
        }
        for act in self.hits.iter().filter(|h| violent.contains(&h.role())) {
            // `lägg upp halshuggningen`: the event spread stands for its
            // recording.
            let before = act.first.wrapping_sub(1);
            let spread = act.first > 0
                && act.role() == Role::ViolentEvent
                && doc.same_sentence(before, act.first)
                && (doc.is(before, Class::SpreadBefore)
                    || (doc.is(before, &["upp", "ut"])
                        && doc.is(before.wrapping_sub(1), &["lägg", "lägga", "lägger"])));
            // `kolla in den här när de halshugger honom <länk>`: a scene
            // told next to a link stands for the recording linked.
            let scene = self.has_link()
                && (act.first.saturating_sub(3)..act.first)
                    .any(|t| doc.is(t, &["när", "där", "hur"]) && doc.same_sentence(t, act.first));
            let Some(media) = self
                .media_near(act)
                .or_else(|| (spread || scene).then_some(act.first))
            else {
                continue;
            };
            let guarded = doc.fiction(act.first)
                || matches!(
                    doc.material_guard(act.first, act.last),
                    Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
                );
            // `Sprid INTE filmen`, `kan inte sova`: a negation in either
            // sentence.
            let negated = doc.sentence_has(act.first, Class::Negation)
                || doc.sentence_has(media, Class::Negation);
            if guarded || negated {
                continue;
            }
            let (first, last) = (media.min(act.first), media.max(act.last));
            out.push(self.shared_violence_verdict().at(doc.span(first, last)));
            return;
        }
    }

    fn shared_violence_verdict(&self) -> Verdict {
        Verdict::said(
            row!("il.olaga_valdsskildring.shared_violence"),
            Confidence::Probable,
            Said::After("."),
        )
    }

    /// A video word in the sentence of `act` or the one before or after.
    fn media_near(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.tokens.get(act.first)?.sentence;
        (0..doc.tokens.len()).find(|&i| {
            doc.tokens[i].sentence.abs_diff(sentence) <= 1
                && doc.classes.ends_with_any(doc.word(i), Class::Media)
                && doc.word(i) != "ofilmat"
        })
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.olaga_valdsskildring.term",
        category: Category::OlagaValdsskildring,
        trigger: "a gore word (role `gore`)",
        shape: "the word; probable with a pointing word or a link",
        guards: "news, quotation, counter-speech, information, fiction, the writer's own, negation",
        strength: Strength::Review,
        reason: "Pekar på en grov våldsskildring",
        basis: BASIS_VALDSSKILDRING,
        positive: "Kolla dödsvideon, länk i bio",
        negative: "Dödsvideon anmäldes till polisen",
    },
    RuleRow {
        id: "il.olaga_valdsskildring.shared_violence",
        category: Category::OlagaValdsskildring,
        trigger: "a video word; violence, a violent event or gore",
        shape: "a video word with violence in the same or the next sentence and an offer or pointing word anywhere (also one compound: `mordklippet`)",
        guards: "news, quotation, counter-speech, fiction, a report to the police, negation",
        strength: Strength::Review,
        reason: "Erbjuder, sprider eller pekar på en film av grovt våld",
        basis: BASIS_VALDSSKILDRING,
        positive: "Dela videon från knivattacken i Rinkeby",
        negative: "Sprid inte mordvideon",
    },
    RuleRow {
        id: "il.olaga_valdsskildring.listed_domain",
        category: Category::OlagaValdsskildring,
        trigger: "a link or a bare name of a site on `wordlists/domains/gore.txt`",
        shape: "the link (obvious), or the name with a word pointing readers to it; else review",
        guards: "news, negation, talk about the site",
        strength: Strength::Obvious,
        reason: "Länk till en webbplats som sprider grova våldsskildringar",
        basis: BASIS_VALDSSKILDRING,
        positive: "Kolla in https://bestgore.com/video",
        negative: "Kolla in https://example.com/video",
    },
];
