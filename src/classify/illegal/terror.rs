//! Offentlig uppmaning till terroristbrott (lag 2022:666): calls to join,
//! fund or commit terrorism.
//!
//! - `il.terror_uppmaning.attack_on_people` (**obvious**): an imperative or
//!   collective call (`slå till mot`, `kör in i`, `bygg bomben … och lägg
//!   den`, `tänd eld på`) of an attack where people gather or on a
//!   protected group (`paraden`, `under högtiden`, `i rusningstid`,
//!   `judar`), with no guard and no condition.
//! - `il.terror_uppmaning.call`: a terror call (`martyrdöden`, `dö för
//!   saken`, `strid för`, `legitimt mål`, `bygga en bomb`); probable when
//!   listed as `probable`, with a terrorist organisation or emulated
//!   perpetrator anywhere in the comment, with violence, a weapon or
//!   another call in the comment, or aimed at people; else no finding for
//!   weak calls (`gå med i`). Questions and hypotheticals make it possible;
//!   quotation, news, counter-speech and a sentence opening with `att`
//!   (`Att döda otrogna är aldrig rätt`) give no finding.

use super::*;

/// Where people gather, or people as such: an attack there is an attack on
/// people. Also the tail of a compound (`prideparaden`, `ungdomslägret`).
const GATHERINGS: &[&str] = &[
    "folkmassan",
    "folkmassor",
    "folksamlingen",
    "paraden",
    "lägret",
    "festivalen",
    "konserten",
    "julmarknaden",
    "rusningstid",
    "rusningstrafiken",
    "högtiden",
    "gudstjänsten",
    "fredagsbönen",
    "publiken",
    "civila",
    "människor",
    "svenskar",
    "otrogna",
    "kuffar",
    "centralen",
    "skolgården",
];
/// The first words of terror calls that are attacks, not joining.
const ATTACK_VERBS: &[&str] = &[
    "slå", "slår", "kör", "bygg", "bygga", "spräng", "spräng", "bomba", "döda", "skjut",
];

impl Rules<'_, '_> {
    pub(super) fn terror(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let organisation = self.with_role(Role::TerrorOrganisation).next().is_some();
        let calls = self.with_role(Role::TerrorCall).count();
        let context = calls > 1
            || self
                .hits
                .iter()
                .any(|h| matches!(h.role(), Role::Violence | Role::Weapon | Role::Incitement));
        let mut attack_found = false;
        for act in self.hits.iter().filter(|h| self.is_attack(h)) {
            if let Some(last) = self.attack_on_people(act) {
                attack_found = true;
                out.push(
                    Verdict {
                        category: Category::TerrorUppmaning,
                        confidence: Confidence::Obvious,
                        rule: "il.terror_uppmaning.attack_on_people",
                        basis: BASIS_TERROR,
                        reason: "Uppmaning att utföra ett attentat mot människor.".to_owned(),
                    }
                    .at(doc.span(act.first, last)),
                );
            }
        }
        if attack_found {
            return;
        }
        for call in self.with_role(Role::TerrorCall) {
            if doc.negated(call.first, call.last) || doc.discussed(call.first) {
                continue;
            }
            let people = self.people_in_sentence(call.first, true).is_some();
            let strong =
                organisation || people || call.found.entry.confidence >= Confidence::Probable;
            if !strong && !context {
                // A bare "gå med i" or "martyr" is too common to review.
                continue;
            }
            let (confidence, reason) = match doc.guard(call.first, call.last) {
                Some(Guard::Quotation | Guard::News | Guard::CounterSpeech) => continue,
                Some(g) => (
                    Confidence::Possible,
                    guarded_reason("Uppmaning till terror", g),
                ),
                None if strong => (
                    Confidence::Probable,
                    "Uppmaning att ansluta sig till, stödja eller utföra terrorbrott.".to_owned(),
                ),
                None => (
                    Confidence::Possible,
                    "Kan vara en uppmaning till terrorbrott.".to_owned(),
                ),
            };
            out.push(
                Verdict {
                    category: Category::TerrorUppmaning,
                    confidence,
                    rule: "il.terror_uppmaning.call",
                    basis: BASIS_TERROR,
                    reason,
                }
                .at(doc.hit_span(call)),
            );
        }
    }

    /// An act that can be an attack: serious violence, forceful incitement
    /// (`tänd eld på`), or a terror call that starts with an attack verb.
    fn is_attack(&self, hit: &Hit<'_>) -> bool {
        match hit.role() {
            // `kasta ut`, `slänga ut` are listed as possible: expulsion,
            // not an attack.
            Role::Violence => hit.found.entry.confidence >= Confidence::Probable,
            Role::Incitement => hit.found.entry.confidence >= Confidence::Probable,
            Role::TerrorCall => self.doc.is(hit.first, ATTACK_VERBS),
            _ => false,
        }
    }

    /// The last token of an unguarded direct call to attack people.
    fn attack_on_people(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let direct = doc.imperative(act.first) || doc.collective_call(act.first);
        let excused = doc.negated(act.first, act.last)
            || doc.discussed(act.first)
            || doc.idiom_object_after(act.last)
            || doc.threat_guard(act.first, act.last).is_some()
            || doc.is(
                doc.sentence_tokens(act.first).start,
                &["om", "ifall", "när"],
            );
        if !direct || excused {
            return None;
        }
        // Violence against a group is hets (BrB 16:8); a terror attack is
        // aimed at a gathering, or named as one by a terror call.
        let groups = act.role() == Role::TerrorCall;
        let people = self.people_in_sentence(act.first, groups)?;
        Some(people.max(act.last))
    }

    /// A gathering of people (or, with `groups`, a protected group) in the
    /// sentence.
    fn people_in_sentence(&self, index: usize, groups: bool) -> Option<usize> {
        let doc = self.doc;
        doc.sentence_tokens(index).find(|&i| {
            let word = doc.word(i);
            GATHERINGS.iter().any(|g| word.ends_with(g))
                || (groups && self.role_at(i, &[Role::Group]).is_some())
        })
    }
}
