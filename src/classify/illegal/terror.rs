//! Offentlig uppmaning till terroristbrott (lag 2022:666): calls to join or
//! commit terrorism.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn terror(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for call in self.with_role(Role::TerrorCall) {
            if doc.negated(call.first, call.last) {
                continue;
            }
            let with_organisation = doc
                .sentence_tokens(call.first)
                .any(|i| self.role_at(i, &[Role::TerrorOrganisation]).is_some());
            let strong = with_organisation || call.found.entry.confidence >= Confidence::Probable;
            let (confidence, reason) = match doc.guard(call.first, call.last) {
                Some(g) => (
                    Confidence::Possible,
                    guarded_reason("Uppmaning till terror", g),
                ),
                None if strong => (
                    Confidence::Probable,
                    "Uppmaning att ansluta sig till eller utföra terrorbrott.".to_owned(),
                ),
                None => (
                    Confidence::Possible,
                    "Kan vara en uppmaning till terrorbrott.".to_owned(),
                ),
            };
            if !strong && !with_organisation && call.found.entry.confidence < Confidence::Probable {
                // A bare "gå med i" or "martyr" is too common to review.
                let context = doc.sentence_tokens(call.first).any(|i| {
                    self.role_at(i, &[Role::Violence, Role::Weapon, Role::Incitement])
                        .is_some()
                });
                if !context {
                    continue;
                }
            }
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
}
