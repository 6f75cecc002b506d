//! Olaga hot (BrB 4:5): a first-person threat of serious violence, a death threat
//! to the addressee, an armed visit, or a threatening phrase.
//!
//! Obvious only for the explicit shapes (`jag ska döda dig`, also inverted
//! after a condition: `… så dödar jag dig`). Review (probable, possible
//! when guarded) for the indirect shapes, built from parts rather than
//! phrases so that new wording is found:
//!
//! - `il.olaga_hot.someone_should`: a third party (`någon`, `nån`, `folk`)
//!   + a modal + a verb of violence + a person (`någon borde skjuta
//!   honom`), never with a reflexive (`slå ihjäl sig`);
//! - `il.olaga_hot.wish`: a person + a modal + a passive verb of violence
//!   (`den där domaren borde skjutas`), or a wish or promise (`hoppas`,
//!   `se till att`) with the person as subject or object (`hoppas du blir
//!   misshandlad`);
//! - `il.olaga_hot.veiled`: the writer knows where a person is (`vet var`,
//!   `vet vilken buss` + a person + a verb of place, listed as anchors;
//!   `jag vet inte var du bor … än` counts), or names a weapon they hold in
//!   a sentence about the addressee.
//!
//! Verbs listed as `possible` (`kasta ut`) never make a threat obvious, and
//! a verb in the past tense right after its subject (`vi slaktade dem`) is
//! a report.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn threats(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for verb in self.with_role(Role::Violence) {
            let found = self
                .threat_by_speaker(verb)
                .or_else(|| self.inverted_threat(verb))
                .or_else(|| self.you_will_die(verb))
                .or_else(|| self.harm_wished_or_predicted(verb));
            if let Some((first, last, mut verdict)) = found {
                // `kasta ut`, `rensa bort` (listed `possible`): not serious
                // violence on their own, so never acted on automatically.
                if verb.found.entry.confidence < Confidence::Probable {
                    verdict.confidence = verdict.confidence.min(Confidence::Probable);
                }
                out.push(verdict.at(doc.span(first, last)));
            }
        }
        self.veiled_threats(out);
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
            if self.whereabouts_anchor(phrase) {
                continue;
            }
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
        // skjuta dig`; a longer chain needs `och`/`sen` before the verb and
        // an intent right after the subject (`jag ska slå dig … och sen
        // dränka dig`).
        let subject = doc
            .within_before(verb.first, 6, FIRST_PERSON)
            .or_else(|| self.coordinated_subject(verb))?;
        let strong = (subject.saturating_sub(1)..verb.first)
            .any(|i| doc.is(i, STRONG_INTENT) && doc.same_sentence(i, verb.first));
        let wish = (subject.saturating_sub(1)..verb.first).any(|i| doc.is(i, WISH));
        // `vi slaktade dem igår`: a report of the past, not a threat.
        let past = subject + 1 == verb.first && past_tense(doc.word(verb.first));
        let present_tense = (subject + 1 == verb.first && !past) || strong || wish;
        if !present_tense {
            return None;
        }
        let (object, second_person) =
            match doc.next_after_fillers(verb.last, 3, SECOND_PERSON_OBJECT) {
                Some(o) => (o, true),
                None => (
                    doc.next_after_fillers(verb.last, 2, THIRD_PERSON_OBJECT)
                        .or_else(|| self.person_object_after(verb.last))?,
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
        Some((
            subject,
            object,
            first_person_threat(guard, second_person, wish && !strong),
        ))
    }

    /// `du ska dö`, `ni ska skjutas`, `du kommer att dö`.
    fn you_will_die(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // `ni kommer att skicka hem henne`: expulsion (listed `possible`)
        // is no death threat.
        if verb.found.entry.confidence < Confidence::Probable {
            return None;
        }
        // `din familj ska dö`: the addressee's family; never obvious.
        let possessive = doc.within_before(verb.first, 4, &["din", "dina", "ditt", "era"]);
        let subject = doc
            .within_before(verb.first, 4, SECOND_PERSON_SUBJECT)
            .or(possessive)?;
        let family = possessive == Some(subject);
        // `då kommer du att dö`: the modal before its subject.
        let modal = (subject + 1..verb.first)
            .find(|&i| doc.is(i, FUTURE_MODALS))
            .or_else(|| {
                subject
                    .checked_sub(1)
                    .filter(|&i| doc.is(i, FUTURE_MODALS))
                    .filter(|&i| doc.same_sentence(i, subject) && !doc.clause_start(i))
            })?;
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

/// Definite nouns for a single person (`socialchefen`, `den där
/// journalisten`), also as the tail of a compound: the person a third-party
/// threat or wish is about.
const PERSON_ROLES: &[&str] = &[
    "chefen",
    "journalisten",
    "politikern",
    "mannen",
    "kvinnan",
    "killen",
    "tjejen",
    "typen",
    "handläggaren",
    "sekreteraren",
    "läraren",
    "rektorn",
    "direktören",
    "ordföranden",
    "kommunikatören",
    "idioten",
    "jäveln",
];
/// Modals of what is to come: `du ska dö`, `då kommer du att dö`.
const FUTURE_MODALS: &[&str] = &["ska", "skall", "kommer", "kmr"];
/// Someone other than the writer who is to do the harm: `någon borde …`,
/// `folk vill …`.
const THIRD_PARTY: &[&str] = &["någon", "nån", "folk", "man"];
/// Modals that turn a third party's act into a call, a wish or a
/// prediction.
const THIRD_PARTY_MODALS: &[&str] = &[
    "borde", "bör", "ska", "skall", "måste", "kommer", "kmr", "vill", "får", "kunde",
];
/// Modals before a passive verb of violence about a person: `borde
/// hängas`, `förtjänar att skjutas`.
const DESERVE_MODALS: &[&str] = &[
    "borde",
    "bör",
    "ska",
    "skall",
    "måste",
    "förtjänar",
    "behöver",
];
/// Words that introduce a wish of harm: `hoppas du …`, `se till att du …`.
const WISH_OPENERS: &[&str] = &["hoppas", "önskar", "önskade", "må"];
/// What the writer claims to know about the addressee: `var`, `vart`,
/// `vilken`, `när`.
const WHEREABOUTS: &[&str] = &["var", "vart", "vilken", "vilket", "vilka", "när"];
/// Present-tense verbs after `vet var du …` that are about opinions or
/// opening hours, not where someone is (`vet när ni har öppet`).
const NOT_WHEREABOUTS: &[&str] = &[
    "har", "kan", "ska", "vill", "menar", "tycker", "tänker", "får", "gör", "behöver", "står", "är",
];
/// Words of the addressee or a third person after `vet var`.
const KNOWN_PERSON: &[&str] = &[
    "du", "ni", "han", "hon", "hen", "din", "dina", "ditt", "era", "ert", "hans", "hennes",
];

/// The verdict on a first-person threat of serious violence (`jag ska
/// döda dig`, `… så dödar jag dig`): obvious only against the addressee,
/// unguarded and not a mere wish; shared by the straight and the inverted
/// word order.
fn first_person_threat(guard: Option<Guard>, second_person: bool, wish: bool) -> Verdict {
    let (confidence, rule, reason) = match (guard, second_person, wish) {
        (Some(g), _, _) => (
            Confidence::Probable,
            "il.olaga_hot.in_context",
            guarded_reason("Hot om grovt våld", g),
        ),
        (None, true, false) => (
            Confidence::Obvious,
            "il.olaga_hot.explicit_violence",
            "Uttalat hot om grovt våld, i första person, riktat mot den som tilltalas.".to_owned(),
        ),
        (None, true, true) => (
            Confidence::Probable,
            "il.olaga_hot.wish",
            "Önskan att utöva grovt våld mot den som tilltalas; kan vara ett hot.".to_owned(),
        ),
        (None, false, _) => (
            Confidence::Probable,
            "il.olaga_hot.third_person",
            "Uttalat hot om grovt våld mot en tredje person; kontrollera vem som avses.".to_owned(),
        ),
    };
    Verdict {
        category: Category::OlagaHot,
        confidence,
        rule,
        basis: BASIS_HOT,
        reason,
    }
}

/// A past-tense form (`slaktade`, `brände`, `dödat`): a report, not an
/// intent.
fn past_tense(word: &str) -> bool {
    ["de", "te", "at"].iter().any(|e| word.ends_with(e))
}

impl Rules<'_, '_> {
    /// A person as the object or subject of a third-party threat: a
    /// pronoun, a person who acts for society, a definite person noun
    /// (`den där journalisten`, not `den där frågan`), or a name.
    fn person_word(&self, index: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(index);
        !word.is_empty()
            && (doc.is(index, THIRD_PERSON_OBJECT)
                || doc.is(index, SECOND_PERSON_OBJECT)
                || doc.is(index, &["han", "hon", "hen"])
                || doc.is_person_target(index)
                || PERSON_ROLES.iter().any(|r| word.ends_with(r))
                || doc.is_name(index))
    }

    /// `den där handläggaren`, `socialchefen`: a person named as the object
    /// within three tokens after `after`, skipping determiners and fillers.
    fn person_object_after(&self, after: usize) -> Option<usize> {
        let doc = self.doc;
        (after + 1..=after + 3)
            .take_while(|&i| doc.same_sentence(i, after))
            .take_while(|&i| {
                self.person_word(i)
                    || doc.is(i, DETERMINERS)
                    || doc.is(i, FILLERS)
                    || doc.is(i, &["där", "här"])
            })
            .find(|&i| self.person_word(i) && !doc.is(i, SECOND_PERSON_OBJECT))
    }

    /// A review verdict for olaga hot: probable, or possible when guarded.
    fn hot_review(&self, first: usize, last: usize, rule: &'static str, reason: &str) -> Verdict {
        let guard = self.doc.threat_guard(first, last);
        Verdict::review(Category::OlagaHot, BASIS_HOT, guard, rule, reason)
    }

    /// `jag ska slå dig sönder och samman och sen dränka dig`: the subject
    /// of a long chain, when the verb follows `och`/`sen` and the subject
    /// is followed by an intent.
    fn coordinated_subject(&self, verb: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let joined = (verb.first.saturating_sub(2)..verb.first)
            .any(|i| doc.is(i, &["och", "sen", "sedan"]) && doc.same_sentence(i, verb.first));
        if !joined {
            return None;
        }
        doc.within_before(verb.first, 12, FIRST_PERSON)
            .filter(|&s| doc.is(s + 1, STRONG_INTENT))
    }

    /// `om du tar bort det igen så dödar jag dig`, `annars skjuter vi er`:
    /// the verb before its subject after a condition.
    fn inverted_threat(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        let subject = verb.last + 1;
        let before = verb.first.checked_sub(1)?;
        if !doc.is(subject, FIRST_PERSON)
            || !doc.same_sentence(verb.last, subject)
            || !doc.is(before, &["så", "då", "annars"])
            || !doc.same_sentence(before, verb.first)
            || past_tense(doc.word(verb.first))
        {
            return None;
        }
        let (object, second_person) = match doc.next_after_fillers(subject, 3, SECOND_PERSON_OBJECT)
        {
            Some(o) => (o, true),
            None => (
                doc.next_after_fillers(subject, 2, THIRD_PERSON_OBJECT)?,
                false,
            ),
        };
        if doc.negated(before, object) || doc.is(object + 1, &["en", "ett"]) {
            return None;
        }
        let guard = doc.threat_guard(before, object);
        Some((
            before,
            object,
            first_person_threat(guard, second_person, false),
        ))
    }

    /// Harm someone else is to do, or that is wished on a person:
    /// `någon borde skjuta honom`, `folk vill ha ihjäl henne`, `den där
    /// politikern borde hängas`, `hoppas du blir överfallen`, `ska se till
    /// att du blöder ut`. Review only.
    fn harm_wished_or_predicted(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // `ska utvisas` (listed `possible`) is no harm to a body.
        if verb.found.entry.confidence < Confidence::Probable {
            return None;
        }
        // `dö av skratt`, `dör i cancer`: idioms and illness.
        if doc.is(verb.first, &["dö", "dör"])
            && doc.is(verb.last + 1, &["av", "i", "på", "utan", "ensam"])
        {
            return None;
        }
        if let Some(found) = self.someone_should(verb) {
            return Some(found);
        }
        if let Some(found) = self.person_deserves(verb) {
            return Some(found);
        }
        self.wished_harm(verb)
    }

    /// `någon borde kasta syra på den där journalisten`, `någon kommer att
    /// skjuta socialchefen`.
    fn someone_should(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        let subject = doc.within_before(verb.first, 4, THIRD_PARTY)?;
        (subject + 1..verb.first).find(|&i| doc.is(i, THIRD_PARTY_MODALS))?;
        let object = (verb.last + 1..=verb.last + 6)
            .take_while(|&i| doc.same_sentence(i, verb.last))
            .take_while(|&i| !doc.is(i, &["sig"]))
            .find(|&i| self.person_word(i))?;
        if doc.negated(subject, verb.last) {
            return None;
        }
        Some((
            subject,
            object,
            self.hot_review(
                subject,
                object,
                "il.olaga_hot.someone_should",
                "Önskan eller uppmaning att någon annan ska utöva grovt våld mot en person.",
            ),
        ))
    }

    /// `den där politikern borde hängas`, `du förtjänar att skjutas`: a
    /// passive verb of violence (or `dö`) after a modal about a person.
    fn person_deserves(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        let word = doc.word(verb.first);
        // `borde skjutas`, `borde dö`, `behöver bli nedslagna`.
        let participle = doc.after_bli(verb.first);
        let passive = word.ends_with('s') || doc.is(verb.first, &["dö"]) || participle;
        if !passive || verb.first != verb.last && !word.ends_with('s') && !participle {
            return None;
        }
        let modal = doc.within_before(verb.first, 3, DESERVE_MODALS)?;
        let subject = (modal.saturating_sub(4)..modal)
            .filter(|&i| doc.same_sentence(i, modal))
            .find(|&i| self.person_word(i) || doc.is(i, SECOND_PERSON_SUBJECT))?;
        if doc.negated(subject, verb.last) {
            return None;
        }
        Some((
            subject,
            verb.last,
            self.hot_review(
                subject,
                verb.last,
                "il.olaga_hot.wish",
                "Önskan om grovt våld mot en person; kan vara ett hot.",
            ),
        ))
    }

    /// `hoppas du blir överfallen`, `ska se till att du blöder ut`: a wish
    /// or promise of harm with the person as subject or object.
    fn wished_harm(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(verb.first);
        let opener = (sentence.start.max(verb.first.saturating_sub(8))..verb.first)
            .rev()
            .find(|&i| {
                doc.is(i, WISH_OPENERS)
                    || doc.phrase_at(i, &["se", "till", "att"])
                    || doc.phrase_at(i, &["ser", "till", "att"])
            })?;
        let target = (opener + 1..verb.first)
            .find(|&i| doc.is(i, SECOND_PERSON_SUBJECT) || self.person_word(i))
            .or_else(|| {
                (verb.last + 1..=verb.last + 3)
                    .take_while(|&i| doc.same_sentence(i, verb.last))
                    .find(|&i| self.person_word(i))
            })?;
        if doc.negated(opener, verb.last.max(target)) {
            return None;
        }
        let last = verb.last.max(target);
        Some((
            opener,
            last,
            self.hot_review(
                opener,
                last,
                "il.olaga_hot.wish",
                "Önskan eller löfte om grovt våld mot en person; kan vara ett hot.",
            ),
        ))
    }

    /// Veiled threats built from parts: the writer knows where a person is
    /// (`vi vet var han parkerar`, `jag vet vilken buss du tar`, also
    /// `jag vet inte var du jobbar. Än.`), or says they hold a weapon in a
    /// sentence about the addressee (`jag har ett gevär och du står först
    /// på listan`). Review only.
    fn veiled_threats(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let anchors = self.with_role(Role::ThreatPhrase);
        for know in anchors
            .filter(|p| self.whereabouts_anchor(p))
            .map(|p| p.first)
        {
            if let Some(last) = self.knows_whereabouts(know) {
                out.push(
                    self.hot_review(
                        know,
                        last,
                        "il.olaga_hot.veiled",
                        "Skribenten säger sig veta var en person finns; kan vara ett förtäckt hot.",
                    )
                    .at(doc.span(know, last)),
                );
            }
        }
        for weapon in self.with_role(Role::Weapon) {
            let Some(has) = doc.within_before(weapon.first, 3, &["har", "äger"]) else {
                continue;
            };
            let owner = has.checked_sub(1).filter(|&i| doc.is(i, FIRST_PERSON));
            let addressee = doc
                .sentence_tokens(weapon.first)
                .find(|&i| i > weapon.last && doc.is(i, &["du", "ni", "dig", "er", "dej"]));
            if let (Some(owner), Some(addressee)) = (owner, addressee) {
                if doc.negated(owner, weapon.last) {
                    continue;
                }
                out.push(
                    self.hot_review(
                        owner,
                        addressee,
                        "il.olaga_hot.veiled",
                        "Skribenten nämner ett vapen i en mening om den som tilltalas; kan vara \
                         ett förtäckt hot.",
                    )
                    .at(doc.span(owner, addressee)),
                );
            }
        }
    }

    /// The two-word phrases `vet var`, `vet vilken`, … are listed only as
    /// anchors of [`Self::knows_whereabouts`], never findings on their own.
    fn whereabouts_anchor(&self, phrase: &Hit<'_>) -> bool {
        phrase.last == phrase.first + 1 && self.doc.is(phrase.first, &["vet"])
    }

    /// `vet var du bor`: the last token of the shape, when the speaker
    /// (`jag`, `vi`, `som`, or no subject) claims to know where or when a
    /// person is.
    fn knows_whereabouts(&self, know: usize) -> Option<usize> {
        let doc = self.doc;
        let start = doc.sentence_tokens(know).start;
        let speaker = know == start
            || doc
                .within_before(know, 3, &["jag", "vi", "som", "ja"])
                .is_some();
        if !speaker || !doc.is(know + 1, WHEREABOUTS) || !doc.same_sentence(know, know + 1) {
            return None;
        }
        let person = (know + 2..=know + 4)
            .take_while(|&i| doc.same_sentence(i, know))
            .find(|&i| doc.is(i, KNOWN_PERSON))?;
        let verb = (person + 1..=person + 3)
            .take_while(|&i| doc.same_sentence(i, person))
            .find(|&i| doc.word(i).ends_with('r') && !doc.is(i, &["barn", "far", "mor"]))?;
        if doc.is(verb, NOT_WHEREABOUTS) {
            return None;
        }
        // `jag vet inte var du jobbar. Än.`: the negation is taken back.
        let taken_back = (verb + 1..=verb + 3).any(|i| doc.is(i, &["än", "ännu"]));
        if doc.negated(know, verb) && !taken_back {
            return None;
        }
        Some(verb)
    }
}
