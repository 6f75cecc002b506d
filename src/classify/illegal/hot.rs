//! Olaga hot (BrB 4:5): a first-person threat of serious violence, a death threat
//! to the addressee, an armed visit, or a threatening phrase.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn threats(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for verb in self.with_role(Role::Violence) {
            if let Some((first, last, verdict)) = self.threat_by_speaker(verb) {
                out.push(verdict.at(doc.span(first, last)));
            } else if let Some((first, last, verdict)) = self.you_will_die(verb) {
                out.push(verdict.at(doc.span(first, last)));
            }
        }
        for act in self.with_role(Role::Incitement) {
            // `jag ska bränna ner ditt hus`: a threat against someone's home.
            if let Some((first, last, mut verdict)) = self.threat_by_speaker(act) {
                verdict.confidence = verdict.confidence.min(Confidence::Probable);
                if verdict.rule != "il.olaga_hot.in_context" {
                    verdict.rule = "il.olaga_hot.property";
                    verdict.reason =
                        "Hot om att angripa den tilltalades hem eller egendom.".to_owned();
                }
                out.push(verdict.at(doc.span(first, last)));
            } else if let Some((first, last)) = self.first_person_act_against_institution(act) {
                let confidence = match doc.threat_guard(first, last) {
                    Some(_) => Confidence::Possible,
                    None => Confidence::Probable,
                };
                out.push(
                    Verdict {
                        category: Category::OlagaHot,
                        confidence,
                        rule: "il.olaga_hot.property",
                        basis: BASIS_HOT,
                        reason: "Hot om att angripa en byggnad eller verksamhet.".to_owned(),
                    }
                    .at(doc.span(first, last)),
                );
            }
        }
        for weapon in self.with_role(Role::Weapon) {
            if let Some((first, verdict)) = self.armed_visit(weapon) {
                out.push(verdict.at(doc.span(first, weapon.last)));
            }
        }
        for phrase in self.with_role(Role::ThreatPhrase) {
            let guard = doc.threat_guard(phrase.first, phrase.last);
            if doc.negated(phrase.first, phrase.last) {
                continue;
            }
            let (confidence, reason) = match guard {
                Some(g) => (Confidence::Possible, guarded_reason("Hotfull fras", g)),
                None => (
                    phrase.found.entry.confidence.min(Confidence::Probable),
                    "Hotfull fras riktad mot en person.".to_owned(),
                ),
            };
            out.push(
                Verdict {
                    category: Category::OlagaHot,
                    confidence,
                    rule: "il.olaga_hot.phrase",
                    basis: BASIS_HOT,
                    reason,
                }
                .at(doc.hit_span(phrase)),
            );
        }
    }

    /// `jag ska döda dig`, `då ska vi skjuta er`, `jag dödar dig`.
    fn threat_by_speaker(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // Six tokens reach over a coordinated verb: `vi ska hitta dig och
        // skjuta dig`.
        let subject = doc.within_before(verb.first, 6, FIRST_PERSON)?;
        let strong = (subject.saturating_sub(1)..verb.first)
            .any(|i| doc.is(i, STRONG_INTENT) && doc.same_sentence(i, verb.first));
        let wish = (subject.saturating_sub(1)..verb.first).any(|i| doc.is(i, WISH));
        let present_tense = subject + 1 == verb.first || strong || wish;
        if !present_tense {
            return None;
        }
        let (object, second_person) =
            match doc.next_after_fillers(verb.last, 3, SECOND_PERSON_OBJECT) {
                Some(o) => (o, true),
                None => (
                    doc.next_after_fillers(verb.last, 2, THIRD_PERSON_OBJECT)?,
                    false,
                ),
            };
        // `jag ska bränna dig en skiva`: the person is the receiver.
        let benefactive = doc.is(object + 1, &["en", "ett"]);
        if benefactive || doc.negated(subject, object) {
            return None;
        }
        // `döda dig med vänlighet`: `med` and anything but a weapon or a
        // determiner reads as an idiom; a person decides.
        let guard = doc.threat_guard(subject, object).or_else(|| {
            (doc.is(object + 1, &["med"])
                && !doc.is(object + 2, &["en", "ett", "mina", "min", "bara"])
                && self.role_at(object + 2, &[Role::Weapon]).is_none())
            .then_some(Guard::Idiom)
        });
        let (confidence, rule, reason) = match (guard, second_person, wish && !strong) {
            (Some(g), _, _) => (
                Confidence::Probable,
                "il.olaga_hot.in_context",
                guarded_reason("Hot om grovt våld", g),
            ),
            (None, true, false) => (
                Confidence::Obvious,
                "il.olaga_hot.explicit_violence",
                "Uttalat hot om grovt våld, i första person, riktat mot den som tilltalas."
                    .to_owned(),
            ),
            (None, true, true) => (
                Confidence::Probable,
                "il.olaga_hot.wish",
                "Önskan att utöva grovt våld mot den som tilltalas; kan vara ett hot.".to_owned(),
            ),
            (None, false, _) => (
                Confidence::Probable,
                "il.olaga_hot.third_person",
                "Uttalat hot om grovt våld mot en tredje person; kontrollera vem som avses."
                    .to_owned(),
            ),
        };
        Some((
            subject,
            object,
            Verdict {
                category: Category::OlagaHot,
                confidence,
                rule,
                basis: BASIS_HOT,
                reason,
            },
        ))
    }

    /// `du ska dö`, `ni ska skjutas`, `du kommer att dö`.
    fn you_will_die(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // `din familj ska dö`: the addressee's family; never obvious.
        let possessive = doc.within_before(verb.first, 4, &["din", "dina", "ditt", "era"]);
        let subject = doc
            .within_before(verb.first, 4, SECOND_PERSON_SUBJECT)
            .or(possessive)?;
        let family = possessive == Some(subject);
        let modal =
            (subject + 1..verb.first).find(|&i| doc.is(i, &["ska", "skall", "kommer", "kmr"]))?;
        let between_ok = (subject + 1..verb.first)
            .all(|i| doc.is(i, FILLERS) || i == modal || (family && i == subject + 1));
        // `du ska dö av skratt`: an idiom, not a threat.
        let idiom = doc.is(verb.last + 1, &["av", "i", "på", "utan", "ensam"]);
        if !between_ok || idiom || doc.negated(subject, verb.last) {
            return None;
        }
        let certain = doc.is(modal, &["ska", "skall"]) && !family;
        let guard = doc.threat_guard(subject, verb.last);
        let (confidence, rule, reason) = match guard {
            Some(g) => (
                Confidence::Probable,
                "il.olaga_hot.in_context",
                guarded_reason("Dödshot", g),
            ),
            None if certain => (
                Confidence::Obvious,
                "il.olaga_hot.you_will_die",
                "Uttalat dödshot mot den som tilltalas.".to_owned(),
            ),
            None => (
                Confidence::Probable,
                "il.olaga_hot.you_will_die",
                "Kan vara ett dödshot mot den som tilltalas; kontrollera sammanhanget.".to_owned(),
            ),
        };
        Some((
            subject,
            verb.last,
            Verdict {
                category: Category::OlagaHot,
                confidence,
                rule,
                basis: BASIS_HOT,
                reason,
            },
        ))
    }

    /// `jag kommer till badhuset med en kniv`: a threat to the people
    /// there, but not to the one addressed; review.
    fn armed_visit_to_a_place(&self, with: usize, weapon: &Hit<'_>) -> Option<(usize, Verdict)> {
        let doc = self.doc;
        let to = (with.saturating_sub(8)..with)
            .filter(|&i| doc.same_sentence(i, with))
            .find(|&i| doc.is(i, &["till"]))?;
        let coming = doc.within_before(to, 3, &["kommer", "åker", "går", "ska", "kmr"])?;
        let subject = doc.within_before(coming + 1, 3, FIRST_PERSON)?;
        if doc.negated(subject, weapon.last) {
            return None;
        }
        let confidence = match doc.threat_guard(subject, weapon.last) {
            Some(_) => Confidence::Possible,
            None => Confidence::Probable,
        };
        Some((
            subject,
            Verdict {
                category: Category::OlagaHot,
                confidence,
                rule: "il.olaga_hot.armed_visit_place",
                basis: BASIS_HOT,
                reason: "Säger sig komma beväpnad till en plats; kontrollera om det är ett hot."
                    .to_owned(),
            },
        ))
    }

    /// `kommer jag att bränna ner hela stadshuset`.
    fn first_person_act_against_institution(&self, act: &Hit<'_>) -> Option<(usize, usize)> {
        let doc = self.doc;
        let subject = doc.within_before(act.first, 4, FIRST_PERSON)?;
        let intent = (subject.saturating_sub(1)..act.first).any(|i| doc.is(i, STRONG_INTENT));
        let target = doc.next_authority_after(act.last)?;
        (intent && !doc.negated(subject, target)).then_some((subject, target))
    }

    /// `vi kommer hem till dig med kniv`.
    fn armed_visit(&self, weapon: &Hit<'_>) -> Option<(usize, Verdict)> {
        let doc = self.doc;
        let with = weapon.first.checked_sub(1)?;
        let with = if doc.is(with, &["en", "ett", "mina", "våra", "min", "vår"]) {
            with.checked_sub(1)?
        } else {
            with
        };
        // `med kniven som du glömde`: a particular object, not a weapon.
        let particular = doc.is(weapon.last + 1, &["som", "du", "ni", "från"])
            && doc.same_sentence(weapon.last, weapon.last + 1);
        if !doc.is(with, &["med"]) || particular {
            return None;
        }
        let sentence = doc.sentence_tokens(weapon.first);
        let visit = sentence
            .clone()
            .find(|&i| i < with && VISIT.iter().any(|p| doc.phrase_at(i, p)));
        let Some(visit) = visit else {
            return self.armed_visit_to_a_place(with, weapon);
        };
        let subject = doc.within_before(visit, 5, FIRST_PERSON)?;
        if doc.negated(subject, weapon.last) {
            return None;
        }
        let verdict = match doc.threat_guard(subject, weapon.last) {
            Some(g) => Verdict {
                category: Category::OlagaHot,
                confidence: Confidence::Probable,
                rule: "il.olaga_hot.in_context",
                basis: BASIS_HOT,
                reason: guarded_reason("Hot om att komma beväpnad till en person", g),
            },
            None => Verdict {
                category: Category::OlagaHot,
                confidence: Confidence::Obvious,
                rule: "il.olaga_hot.armed_visit",
                basis: BASIS_HOT,
                reason: "Hot om att komma beväpnad till den som tilltalas.".to_owned(),
            },
        };
        Some((subject, verdict))
    }
}
