//! Hets mot folkgrupp (BrB 16:8): dehumanising predicates and calls to violence
//! aimed at a protected group, contempt, and slurs.
//!
//! Obvious only for a dehumanising predicate next to its copula and a call
//! to violence with a verb listed as `probable`. Review for the looser
//! shapes after a group or slur: a simile (`som råttor`,
//! `il.hets_mot_folkgrupp.likened`) or a dehumanising word far from its
//! copula; a relative clause calling for violence (`… som borde
//! utrotas`, `.call_to_violence_review`); the group as doer of violence
//! (`det är X som knivhugger`, `.contempt`, not when asked or reported);
//! the trope `en bra X är en X …`; and a slogan that shuts a group out
//! (`inga X i vårt land`) or an expulsion word (`deportera`, `rensning
//! av`), both `.expulsion`.

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
        for target in self.hits.iter().filter(|h| targets.contains(&h.role())) {
            if let Some((last, rule, reason)) = self.group_shape_for_review(target) {
                out.push(
                    self.hets_review(target.first, last, rule, reason)
                        .at(doc.span(target.first, last)),
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
                // `skicka hem alla X`: an expulsion word is review only.
                let kind = if violence.found.entry.confidence < Confidence::Probable {
                    HetsKind::Expulsion
                } else {
                    HetsKind::Violence
                };
                out.push(
                    self.hets_verdict(violence.first, target, kind)
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
            HetsKind::DehumanisingReview => {
                return self.hets_review(
                    first,
                    last,
                    "il.hets_mot_folkgrupp.dehumanising_review",
                    "En skyddad folkgrupp beskrivs med ett ord som kan vara avhumaniserande; en \
                     person behöver bedöma.",
                );
            }
            HetsKind::Expulsion => {
                // Quoted or discussed (`”utvisa alla X”` in counter-speech):
                // possible.
                return self.hets_review(
                    first,
                    last,
                    "il.hets_mot_folkgrupp.expulsion",
                    "En skyddad folkgrupp sägs böra rensas bort eller kastas ut; en person \
                     behöver bedöma.",
                );
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
        Some((target.first, predicate.last, dehumanising_kind(predicate)))
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
        Some((pronoun, predicate.last, dehumanising_kind(predicate)))
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
        // A noun of expulsion (`rensning av`, listed `possible`) right
        // before a group is review without a call.
        let called = doc.clause_start(violence.first)
            || (violence.found.entry.confidence < Confidence::Probable
                && doc.is(violence.last, &["av"]))
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
            // A negation inside the phrase itself (`hör inte hemma här`) is
            // part of it, not a denial of it.
            .filter(|h| {
                let (from, to) = (h.first.min(hit.first), h.last.max(hit.last));
                !doc.negated_apart_from(from, to, hit.first..=hit.last)
            })
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

impl Rules<'_, '_> {
    /// A review verdict for hets mot folkgrupp: probable, or possible when
    /// guarded.
    fn hets_review(&self, first: usize, last: usize, rule: &'static str, reason: &str) -> Verdict {
        let guard = self.doc.guard(first, last);
        Verdict::review(Category::HetsMotFolkgrupp, BASIS_HETS, guard, rule, reason)
    }

    /// Shapes after a group or slur that a person should judge (the last
    /// token, the rule and the reason):
    ///
    /// - a simile: `förökar sig som råttor`, `som man gör med mygg`;
    /// - a dehumanising predicate far from its copula: `är en art närmare
    ///   apor än oss`, `är ett släkte av tjuvar och loppor`;
    /// - a relative clause that calls for violence: `… är något som borde
    ///   kastreras`;
    /// - a relative clause that makes the group the doer of violence:
    ///   `det är invandrarna som våldtar …`.
    fn group_shape_for_review(
        &self,
        target: &Hit<'_>,
    ) -> Option<(usize, &'static str, &'static str)> {
        let doc = self.doc;
        let after = |n: usize| {
            (target.last + 1..=target.last + n)
                .take_while(move |&i| doc.same_sentence(i, target.last))
        };
        let likened = after(8)
            .filter(|&i| doc.is(i, &["som"]))
            .find_map(|som| {
                (som + 1..=som + 4)
                    .take_while(|&i| doc.same_sentence(i, som))
                    .find_map(|i| self.role_at(i, &[Role::Dehumanising]))
            })
            .or_else(|| {
                let copula = after(3).find(|&i| doc.is(i, COPULA))?;
                (copula + 5..=copula + 7)
                    .take_while(|&i| doc.same_sentence(i, copula))
                    .find_map(|i| self.role_at(i, &[Role::Dehumanising]))
            });
        if let Some(p) = likened.filter(|p| !doc.negated_before(target.first, p.first)) {
            return Some((
                p.last,
                "il.hets_mot_folkgrupp.likened",
                "En skyddad folkgrupp liknas vid djur, ohyra eller sjukdom; en person behöver \
                 bedöma.",
            ));
        }
        // `en bra X är en X på andra sidan gränsen`: the group named twice
        // around a copula after `bra`/`god`, the old trope of the only good
        // member.
        let praised = target.first > 0 && doc.is(target.first - 1, &["bra", "god", "snäll"]);
        let praised_copula = after(2).find(|&i| doc.is(i, COPULA)).filter(|_| praised);
        if let Some(copula) = praised_copula {
            let again = self.hits.iter().find(|h| {
                matches!(h.role(), Role::Group | Role::Slur)
                    && h.first > copula
                    && h.first <= copula + 3
                    && doc.same_sentence(h.first, copula)
            });
            if let Some(again) = again {
                return Some((
                    again.last,
                    "il.hets_mot_folkgrupp.contempt",
                    "Nedsättande generalisering om en skyddad folkgrupp; en person behöver \
                     bedöma om det uttrycker missaktning.",
                ));
            }
        }
        // `äckliga X`, `jävla X`: a word of contempt right before the group.
        if target.first > 0
            && doc.is(target.first - 1, CONTEMPT_BEFORE)
            && doc.same_sentence(target.first - 1, target.first)
            && doc.guard(target.first, target.last).is_none()
        {
            return Some((
                target.last,
                "il.hets_mot_folkgrupp.contempt",
                "Nedsättande ord om en skyddad folkgrupp; en person behöver bedöma om det \
                 uttrycker missaktning.",
            ));
        }
        // `inga X i vårt land` as a slogan (opening its clause, not `det
        // finns inga X i min klass`): a group shut out of the writer's
        // place.
        let shut_out = target.first > 0
            && doc.is(target.first - 1, &["ingen", "inga", "inget"])
            && doc.clause_start(target.first - 1)
            && doc.is(target.last + 1, &["i", "på"])
            && doc.is(
                target.last + 2,
                &["mitt", "vårt", "vår", "min", "våra", "mina"],
            );
        if shut_out {
            return Some((
                target.last + 2,
                "il.hets_mot_folkgrupp.expulsion",
                "En skyddad folkgrupp sägs inte höra hemma här; en person behöver bedöma.",
            ));
        }
        for som in after(10).filter(|&i| doc.is(i, &["som"])) {
            let modal = (som + 1..=som + 2).find(|&i| doc.is(i, GROUP_MODALS));
            let from = modal.unwrap_or(som);
            let verb = (from + 1..=from + 2)
                .take_while(|&i| doc.same_sentence(i, som))
                .find_map(|i| self.role_at(i, &[Role::Violence]));
            let Some(verb) = verb else { continue };
            // `judar som mördades`: victims, not doers; a doer needs the
            // present tense right after `som`.
            let doer =
                modal.is_none() && verb.first == som + 1 && doc.word(verb.first).ends_with('r');
            // A question or a report (`är det X som bränner bilar?`) asks
            // or tells; it does not point out.
            let asked = modal.is_none() && doc.guard(target.first, verb.last).is_some();
            if doc.negated(som, verb.last) || (modal.is_none() && !doer) || asked {
                continue;
            }
            return Some(if modal.is_some() {
                (
                    verb.last,
                    "il.hets_mot_folkgrupp.call_to_violence_review",
                    "Önskan om våld mot en skyddad folkgrupp i en bisats; en person behöver \
                     bedöma.",
                )
            } else {
                (
                    verb.last,
                    "il.hets_mot_folkgrupp.contempt",
                    "En skyddad folkgrupp utpekas som förövare av grovt våld; en person behöver \
                     bedöma om det uttrycker missaktning.",
                )
            });
        }
        None
    }
}

/// Words of contempt that make a neutral group name a slur when they stand
/// right before it (`äckliga muslimer`, `jävla invandrare`).
const CONTEMPT_BEFORE: &[&str] = &[
    "äckliga",
    "smutsiga",
    "vidriga",
    "jävla",
    "fucking",
    "förbannade",
    "satans",
    "jävlars",
];

/// A dehumanising predicate listed as `probable` or stronger is obvious;
/// words listed as `possible` (`svin`, `cancer`, also said of things and
/// animals) only go to review.
fn dehumanising_kind(predicate: &Hit<'_>) -> HetsKind {
    if predicate.found.entry.confidence < Confidence::Probable {
        HetsKind::DehumanisingReview
    } else {
        HetsKind::Dehumanising
    }
}

#[derive(Debug, Clone, Copy)]
enum HetsKind {
    Dehumanising,
    /// A dehumanising word listed as `possible`: review.
    DehumanisingReview,
    Violence,
    /// A weaker verb (`rensas bort`, `kastas ut`): listed as `possible`, so
    /// the shape goes to review instead of being acted on.
    Expulsion,
}
