//! Uppvigling (BrB 16:5): calls to crime, to disobedience, or to violence
//! against the people and institutions of society.
//!
//! - `il.uppvigling.violence_against_persons` (**obvious**): an imperative
//!   or collective call (`skjut`, `vi ska`, `låt oss`) of serious violence
//!   (`döda`, `skjuta`) or of force listed as `probable` in
//!   `uppvigling.txt` (`kasta sten på`, `gå på snuten`) aimed at people who
//!   act for society (`poliserna`, `politikerna`, `väktarna`, or `dem`
//!   standing for them), with no guard.
//! - `il.uppvigling.violence_against_authority`: the same shape guarded as
//!   hypothetical (`om …`, `skulle`), or with an institution or building
//!   as target (`bränn polishuset`): probable.
//! - `il.uppvigling.call_to_crime`: a call to property crime, vandalism or
//!   disobedience (`plundra`, `punktera däcken`, `vägra betala`): probable
//!   with a target, possible without; a wish (`hoppas nån tänder på …`) is
//!   possible.
//!
//! Quotation, news, counter-speech, questions, games, a sentence opening
//! with `att` (`Att storma riksdagen är olagligt`) and figurative objects
//! (`attackera problemet`, `sätta eld på dansgolvet`) give no finding.

use super::*;

/// How a call is put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallForm {
    /// An imperative or collective call: `skjut`, `vi ska`, `låt oss`.
    Direct,
    /// Near a looser call marker (`alla`, `nu`, `kom`) or a wish (`hoppas`).
    Loose,
}

impl Rules<'_, '_> {
    pub(super) fn uppvigling(&self, out: &mut Vec<Finding>) {
        let roles = [Role::Incitement, Role::Violence];
        for act in self.hits.iter().filter(|h| roles.contains(&h.role())) {
            if let Some(verdict) = self.uppvigling_verdict(act) {
                out.push(verdict.0.at(self.doc.span(act.first, verdict.1)));
            }
        }
    }

    /// The verdict on one act and the last token of its shape.
    fn uppvigling_verdict(&self, act: &Hit<'_>) -> Option<(Verdict, usize)> {
        let doc = self.doc;
        let violence = act.role() == Role::Violence;
        // A verb of force listed as `probable` is violence when aimed at
        // people; `possible` acts (vägra, plundra) never are.
        let forceful = violence || act.found.entry.confidence >= Confidence::Probable;
        let person = self.person_target_of(act);
        // `… utanför polishuset … och bränner det`: a violent verb whose
        // object is a pronoun takes an authority named in the sentence.
        let pronoun_object = doc.is(act.last + 1, &["det", "den", "dem", "dom"]);
        let place = doc.next_authority_after(act.last).or_else(|| {
            doc.sentence_tokens(act.first)
                .find(|&i| doc.is_authority(i) && (!violence || pronoun_object))
        });
        // A violent verb with no authority in sight belongs to threats and
        // hets, not to uppvigling.
        if violence && person.is_none() && place.is_none() {
            return None;
        }
        let form = self.call_form(act)?;
        if doc.negated(act.first, act.last)
            || doc.idiom_object_after(act.last)
            || doc.discussed(act.first)
        {
            return None;
        }
        let guard = doc.threat_guard(act.first, act.last);
        let conditional = guard == Some(Guard::Hypothetical) || self.conditional(act);
        if guard.is_some() && !conditional {
            return None;
        }
        let last = person.or(place).unwrap_or(act.last).max(act.last);
        let verdict = |confidence, rule, reason: &str| Verdict {
            category: Category::Uppvigling,
            confidence,
            rule,
            basis: BASIS_UPPVIGLING,
            reason: reason.to_owned(),
        };
        Some(match (forceful && person.is_some(), form, conditional) {
            (true, CallForm::Direct, false) => (
                verdict(
                    Confidence::Obvious,
                    "il.uppvigling.violence_against_persons",
                    "Uppmaning till våld mot personer som företräder samhället.",
                ),
                last,
            ),
            (true, _, _) => (
                verdict(
                    Confidence::Probable,
                    "il.uppvigling.violence_against_authority",
                    "Kan vara en uppmaning till våld mot företrädare för samhället; en person \
                     behöver bedöma.",
                ),
                last,
            ),
            (false, _, _) if violence => (
                verdict(
                    Confidence::Probable,
                    "il.uppvigling.violence_against_authority",
                    "Uppmaning till våld mot en myndighet eller institution.",
                ),
                last,
            ),
            (false, _, _) if place.is_some() || person.is_some() => (
                verdict(
                    Confidence::Probable,
                    "il.uppvigling.call_to_crime",
                    "Uppmaning till brott eller angrepp mot en myndighet eller institution.",
                ),
                last,
            ),
            (false, _, _) => (
                verdict(
                    Confidence::Possible,
                    "il.uppvigling.call_to_crime",
                    "Kan vara en uppmaning till brott; målet framgår inte.",
                ),
                act.last,
            ),
        })
    }

    /// The people the act is aimed at: inside the matched phrase (`gå på
    /// snuten`) or right after it (`skjut poliserna`, `kasta saker på dem`).
    fn person_target_of(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        (act.first..=act.last)
            .find(|&i| doc.is_person_target(i))
            .or_else(|| doc.next_person_after(act.last))
    }

    fn call_form(&self, act: &Hit<'_>) -> Option<CallForm> {
        let doc = self.doc;
        if doc.imperative(act.first) || doc.collective_call(act.first) {
            return Some(CallForm::Direct);
        }
        let sentence = doc.sentence_tokens(act.first);
        let loose = (act.first.saturating_sub(3)..act.first)
            .filter(|&i| i >= sentence.start)
            .any(|i| doc.is(i, CALL_MARKERS) || doc.is(i, &["hoppas", "dags"]))
            // `vi river ner staketet`: a collective act of incitement.
            || (act.role() == Role::Incitement
                && act.first > sentence.start
                && doc.is(act.first - 1, &["vi"]));
        loose.then_some(CallForm::Loose)
    }

    /// `Om väktarna försöker …, slå tillbaka`: a call that depends on a
    /// condition.
    fn conditional(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(act.first);
        doc.is(sentence.start, &["om", "ifall", "när"])
            || doc.phrase_in_sentence(act.first, &["om", "det", "behövs"])
    }
}
