//! Uppvigling (BrB 16:5): calls to crime or to violence against the
//! representatives and institutions of society.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn uppvigling(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for act in self.with_role(Role::Incitement) {
            let called = self.is_call(act);
            let target = doc.sentence_tokens(act.first).any(|i| doc.is_authority(i));
            if doc.negated(act.first, act.last) {
                continue;
            }
            let guard = doc.guard(act.first, act.last);
            let (confidence, reason) = match (guard, called && target) {
                (Some(g), _) => (
                    Confidence::Possible,
                    guarded_reason("Uppmaning till brott", g),
                ),
                (None, true) => (
                    Confidence::Probable,
                    "Uppmaning till brott eller angrepp mot en myndighet eller institution."
                        .to_owned(),
                ),
                (None, false) if called => (
                    Confidence::Possible,
                    "Kan vara en uppmaning till brott; målet framgår inte.".to_owned(),
                ),
                (None, false) => continue,
            };
            out.push(
                Verdict {
                    category: Category::Uppvigling,
                    confidence,
                    rule: "il.uppvigling.call_to_crime",
                    basis: BASIS_UPPVIGLING,
                    reason,
                }
                .at(doc.hit_span(act)),
            );
        }
        for violence in self.with_role(Role::Violence) {
            let Some(target) = doc.next_authority_after(violence.last) else {
                continue;
            };
            if !self.is_call(violence) || doc.negated(violence.first, target) {
                continue;
            }
            let confidence = match doc.guard(violence.first, target) {
                Some(_) => Confidence::Possible,
                None => Confidence::Probable,
            };
            out.push(
                Verdict {
                    category: Category::Uppvigling,
                    confidence,
                    rule: "il.uppvigling.violence_against_authority",
                    basis: BASIS_UPPVIGLING,
                    reason: "Uppmaning till våld mot företrädare för samhället.".to_owned(),
                }
                .at(doc.span(violence.first, target)),
            );
        }
    }

    /// The hit starts its clause (imperative) or follows a call marker.
    pub(super) fn is_call(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(hit.first);
        doc.clause_start(hit.first)
            || (hit.first.saturating_sub(3)..hit.first)
                .filter(|&i| i >= sentence.start)
                .any(|i| doc.is(i, CALL_MARKERS))
    }
}
