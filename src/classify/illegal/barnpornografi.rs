//! Barnpornografibrott (BrB 16:10 a): indicator terms, and words for abuse
//! material offered, traded or linked.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn barnpornografi(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for hit in self.with_role(Role::CsamIndicator) {
            let verdict = match doc.guard(hit.first, hit.last) {
                Some(g) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Probable,
                    rule: "il.barnpornografi.in_context",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: guarded_reason("Känd märkning av övergreppsmaterial", g),
                },
                None => Verdict {
                    category: Category::Barnpornografi,
                    // The list decides: a city may add a weaker indicator.
                    confidence: hit.found.entry.confidence,
                    rule: "il.barnpornografi.indicator_term",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: "Innehåller en känd märkning av sexuellt övergreppsmaterial med barn."
                        .to_owned(),
                },
            };
            out.push(verdict.at(doc.hit_span(hit)));
        }
        for hit in self.with_role(Role::CsamTerm) {
            let offered = self.has_link() || doc.sentence_has(hit.first, OFFER);
            let negated = doc.sentence_has(hit.first, NEGATION);
            let guard = doc.guard(hit.first, hit.last);
            let verdict = match (offered && !negated, guard) {
                (true, None) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Obvious,
                    rule: "il.barnpornografi.offer",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: "Erbjuder eller länkar till sexuellt övergreppsmaterial med barn."
                        .to_owned(),
                },
                (true, Some(g)) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Probable,
                    rule: "il.barnpornografi.in_context",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: guarded_reason(
                        "Nämner övergreppsmaterial tillsammans med en länk eller ett erbjudande",
                        g,
                    ),
                },
                (false, _) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Possible,
                    rule: "il.barnpornografi.term",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: "Nämner övergreppsmaterial med barn; kontrollera att det inte sprids."
                        .to_owned(),
                },
            };
            out.push(verdict.at(doc.hit_span(hit)));
        }
    }
}
