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
//! News, quotations, counter-speech, information and fiction (`thriller`)
//! give no finding.

use super::*;

/// Words for a recording; also the tail of a compound (`krigsklipp`).
const MEDIA: &[&str] = &[
    "video",
    "videon",
    "videor",
    "videos",
    "film",
    "filmen",
    "filmer",
    "filmerna",
    "filmade",
    "filmades",
    "filmat",
    "filmats",
    "klipp",
    "klippet",
    "klippen",
    "inspelning",
    "inspelningen",
    "livestream",
    "livestreamen",
    "snapstory",
];
/// Words that offer, point at or spread a recording.
const POINTING: &[&str] = &[
    "har",
    "ligger",
    "finns",
    "säljes",
    "säljer",
    "sprid",
    "sprids",
    "sprider",
    "dela",
    "delar",
    "skickar",
    "skicka",
    "vidare",
    "kolla",
    "se",
    "ser",
    "titta",
    "här",
    "länk",
    "länken",
    "kanal",
    "kanalen",
    "tråden",
    "kommentaren",
    "uppladdat",
    "uppladdad",
    "ocensurerad",
    "ocensurerat",
    "ladda",
];

impl Rules<'_, '_> {
    pub(super) fn gore(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            &MaterialRule {
                role: Role::Gore,
                pointing: WATCH,
                category: Category::OlagaValdsskildring,
                rule: "il.olaga_valdsskildring.term",
                basis: BASIS_VALDSSKILDRING,
                pointed: "Pekar på en grov våldsskildring",
                mentioned: "Nämner en grov våldsskildring",
            },
        );
        self.shared_violence(out);
    }

    /// `Sprid videon där de slår ihjäl killen`, `har klippet när han skjuts`.
    fn shared_violence(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let offered = self.has_link() || (0..doc.tokens.len()).any(|i| doc.is(i, POINTING));
        if !offered {
            return;
        }
        let violent = [Role::Violence, Role::ViolentEvent, Role::Gore];
        for act in self.hits.iter().filter(|h| violent.contains(&h.role())) {
            let Some(media) = self.media_near(act) else {
                continue;
            };
            let guarded = doc.sentence_has(act.first, FICTION)
                || matches!(
                    doc.material_guard(act.first, act.last),
                    Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
                );
            // `Sprid INTE filmen`, `kan inte sova`: a negation in either
            // sentence.
            let negated =
                doc.sentence_has(act.first, NEGATION) || doc.sentence_has(media, NEGATION);
            if guarded || negated {
                continue;
            }
            let (first, last) = (media.min(act.first), media.max(act.last));
            out.push(
                Verdict {
                    category: Category::OlagaValdsskildring,
                    confidence: Confidence::Probable,
                    rule: "il.olaga_valdsskildring.shared_violence",
                    basis: BASIS_VALDSSKILDRING,
                    reason: "Erbjuder, sprider eller pekar på en film av grovt våld.".to_owned(),
                }
                .at(doc.span(first, last)),
            );
            return;
        }
    }

    /// A video word in the sentence of `act` or the one before or after.
    fn media_near(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.tokens.get(act.first)?.sentence;
        (0..doc.tokens.len()).find(|&i| {
            doc.tokens[i].sentence.abs_diff(sentence) <= 1
                && MEDIA.iter().any(|m| doc.word(i).ends_with(m))
                && doc.word(i) != "ofilmat"
        })
    }
}
