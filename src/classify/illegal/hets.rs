//! Hets mot folkgrupp (BrB 16:8): dehumanising predicates and calls to violence
//! aimed at a protected group, contempt, and slurs.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn hets(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let targets = [Role::Group, Role::Slur];
        for target in self.hits.iter().filter(|h| targets.contains(&h.role())) {
            if let Some((first, last, kind)) = self
                .dehumanised(target)
                .or_else(|| self.violence_against(target))
            {
                out.push(
                    self.hets_verdict(first, last, kind)
                        .at(doc.span(first, last)),
                );
            }
        }
        for pronoun in (0..doc.tokens.len()).filter(|&i| doc.is(i, &["de", "dom", "dessa"])) {
            if let Some((first, last, kind)) = self.dehumanised_by_pronoun(pronoun) {
                out.push(
                    self.hets_verdict(first, last, kind)
                        .at(doc.span(first, last)),
                );
            }
        }
        for violence in self.with_role(Role::Violence) {
            if let Some(target) = self.called_against_group(violence) {
                out.push(
                    self.hets_verdict(violence.first, target, HetsKind::Violence)
                        .at(doc.span(violence.first, target)),
                );
            }
        }
        for contempt in self.with_role(Role::Contempt) {
            if let Some(target) = self.group_near(contempt) {
                let (first, last) = (target.min(contempt.first), target.max(contempt.last));
                let confidence = match doc.guard(first, last) {
                    Some(_) => Confidence::Possible,
                    None => Confidence::Probable,
                };
                out.push(
                    Verdict {
                        category: Category::HetsMotFolkgrupp,
                        confidence,
                        rule: "il.hets_mot_folkgrupp.contempt",
                        basis: BASIS_HETS,
                        reason: "Nedsättande generalisering om en skyddad folkgrupp; en person \
                                 behöver bedöma om det uttrycker missaktning."
                            .to_owned(),
                    }
                    .at(doc.span(first, last)),
                );
            }
        }
        for slur in self.with_role(Role::Slur) {
            if let Some(verdict) = self.slur_alone(slur) {
                out.push(verdict.at(doc.hit_span(slur)));
            }
        }
    }

    fn hets_verdict(&self, first: usize, last: usize, kind: HetsKind) -> Verdict {
        let (rule, what) = match kind {
            HetsKind::Dehumanising => (
                "il.hets_mot_folkgrupp.dehumanising",
                "En skyddad folkgrupp beskrivs som djur, ohyra eller sjukdom",
            ),
            HetsKind::Violence => (
                "il.hets_mot_folkgrupp.call_to_violence",
                "Uppmaning till eller önskan om våld mot en skyddad folkgrupp",
            ),
            HetsKind::Expulsion => {
                return Verdict {
                    category: Category::HetsMotFolkgrupp,
                    confidence: Confidence::Probable,
                    rule: "il.hets_mot_folkgrupp.expulsion",
                    basis: BASIS_HETS,
                    reason: "En skyddad folkgrupp sägs böra rensas bort eller kastas ut; en \
                             person behöver bedöma."
                        .to_owned(),
                };
            }
        };
        match self.doc.guard(first, last) {
            Some(g) => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: Confidence::Probable,
                rule: "il.hets_mot_folkgrupp.in_context",
                basis: BASIS_HETS,
                reason: guarded_reason(what, g),
            },
            None => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: Confidence::Obvious,
                rule,
                basis: BASIS_HETS,
                reason: format!("{what}."),
            },
        }
    }

    /// `X är ohyra`, `judiska parasiter`.
    fn dehumanised(&self, target: &Hit<'_>) -> Option<(usize, usize, HetsKind)> {
        let doc = self.doc;
        let adjacent = self
            .role_at(target.last + 1, &[Role::Dehumanising])
            .filter(|_| doc.same_sentence(target.last, target.last + 1));
        let predicate = match adjacent {
            Some(p) => p,
            None => {
                let copula = (target.last + 1..=target.last + 3)
                    .take_while(|&i| doc.same_sentence(i, target.last))
                    .find(|&i| doc.is(i, COPULA))?;
                (copula + 1..=copula + 4)
                    .take_while(|&i| doc.same_sentence(i, copula))
                    .find_map(|i| self.role_at(i, &[Role::Dehumanising]))?
            }
        };
        // A predicate may itself contain a negation (`inte människor`).
        if doc.negated_before(target.first, predicate.first) {
            return None;
        }
        Some((target.first, predicate.last, HetsKind::Dehumanising))
    }

    /// `… utan X. De är en pest.`, `X förstör allt, de borde rensas bort`: a
    /// pronoun standing for a group or slur named earlier in the same or the
    /// previous sentence.
    fn dehumanised_by_pronoun(&self, pronoun: usize) -> Option<(usize, usize, HetsKind)> {
        let doc = self.doc;
        let sentence = doc.tokens.get(pronoun)?.sentence;
        let named_before = self.hits.iter().any(|h| {
            matches!(h.role(), Role::Group | Role::Slur)
                && h.last < pronoun
                && doc.tokens[h.first].sentence + 1 >= sentence
        });
        if !named_before {
            return None;
        }
        let Some(copula) = (pronoun + 1..=pronoun + 2)
            .take_while(|&i| doc.same_sentence(i, pronoun))
            .find(|&i| doc.is(i, COPULA))
        else {
            return self.violence_against_tokens(pronoun, pronoun);
        };
        let predicate = (copula + 1..=copula + 4)
            .take_while(|&i| doc.same_sentence(i, copula))
            .find_map(|i| self.role_at(i, &[Role::Dehumanising]))?;
        if doc.negated_before(pronoun, predicate.first) {
            return None;
        }
        Some((pronoun, predicate.last, HetsKind::Dehumanising))
    }

    /// `alla X borde skjutas`, `X ska dö`.
    fn violence_against(&self, target: &Hit<'_>) -> Option<(usize, usize, HetsKind)> {
        self.violence_against_tokens(target.first, target.last)
    }

    /// The shape of [`Self::violence_against`] after the target's tokens
    /// `first..=last` (a group, a slur, or a pronoun standing for one).
    fn violence_against_tokens(
        &self,
        first: usize,
        last: usize,
    ) -> Option<(usize, usize, HetsKind)> {
        let doc = self.doc;
        let target_first = first;
        let modal = (last + 1..=last + 3)
            .take_while(|&i| doc.same_sentence(i, last))
            .find(|&i| doc.is(i, GROUP_MODALS))?;
        let verb = (modal + 1..=modal + 3)
            .take_while(|&i| doc.same_sentence(i, modal))
            .find_map(|i| self.role_at(i, &[Role::Violence]))?;
        if doc.negated(target_first, verb.last) {
            return None;
        }
        let kind = if verb.found.entry.confidence < Confidence::Probable {
            HetsKind::Expulsion
        } else {
            HetsKind::Violence
        };
        Some((target_first, verb.last, kind))
    }

    /// `döda alla X`, `vi borde utrota X`: returns the target's last token.
    fn called_against_group(&self, violence: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let target = (violence.last + 1..=violence.last + 3)
            .take_while(|&i| doc.same_sentence(i, violence.last))
            .take_while(|&i| {
                doc.is(i, FILLERS) || self.role_at(i, &[Role::Group, Role::Slur]).is_some()
            })
            .find_map(|i| self.role_at(i, &[Role::Group, Role::Slur]))?;
        let sentence = doc.sentence_tokens(violence.first);
        let called = doc.clause_start(violence.first)
            || (violence.first.saturating_sub(3)..violence.first)
                .filter(|&i| i >= sentence.start)
                .any(|i| doc.is(i, CALL_MARKERS));
        if !called || doc.negated(violence.first, target.last) {
            return None;
        }
        Some(target.last)
    }

    /// A group or slur in the sentence of `hit` or the one before it.
    fn group_near(&self, hit: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.tokens.get(hit.first)?.sentence;
        self.hits
            .iter()
            .filter(|h| matches!(h.role(), Role::Group | Role::Slur))
            .filter(|h| {
                let s = doc.tokens[h.first].sentence;
                s == sentence || s + 1 == sentence
            })
            .filter(|h| !doc.negated(h.first.min(hit.first), h.last.max(hit.last)))
            .map(|h| h.first)
            .next()
    }

    fn slur_alone(&self, slur: &Hit<'_>) -> Option<Verdict> {
        let doc = self.doc;
        let reclaimed = slur
            .first
            .checked_sub(1)
            .is_some_and(|i| doc.is(i, RECLAIMING) && doc.same_sentence(i, slur.first))
            || (slur.first >= 2
                && doc.is(slur.first - 2, FIRST_PERSON)
                && doc.is(slur.first - 1, COPULA));
        if reclaimed {
            return None;
        }
        let base = slur.found.entry.confidence.min(Confidence::Probable);
        Some(match doc.guard(slur.first, slur.last) {
            Some(g) => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: Confidence::Possible,
                rule: "il.hets_mot_folkgrupp.slur_mentioned",
                basis: BASIS_HETS,
                reason: guarded_reason("Nedsättande ord om en skyddad folkgrupp", g),
            },
            None => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: base,
                rule: "il.hets_mot_folkgrupp.slur",
                basis: BASIS_HETS,
                reason: "Nedsättande ord om en skyddad folkgrupp; ordet ensamt räcker inte för \
                         automatisk åtgärd."
                    .to_owned(),
            },
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum HetsKind {
    Dehumanising,
    Violence,
    /// A weaker verb (`rensas bort`, `kastas ut`): listed as `possible`, so
    /// the shape goes to review instead of being acted on.
    Expulsion,
}
