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
//! - `il.olaga_hot.veiled` also for shapes built from parts
//!   (`threats_from_parts`): a pity clause, possible like the listed
//!   phrase (`synd om` + the addressee + a happening: `vore synd om din
//!   dotter råkade ut för något`); what
//!   awaits a person, ending the sentence (`så får du se vad som händer`,
//!   `han vet inte vad som väntar honom`); an everyday verb (`ta hand om`,
//!   `fixa`) after someone and a future modal, with `dig` and a looming
//!   time (`nån dag`, `snart`); the addressee's home after `förbi` or
//!   `utanför`, or their address obtained by the writer (`har sparat din
//!   adress`); protection advised (`ta med skyddsväst`, not at a game);
//!   survival denied (`du kommer inte leva över helgen`, `du går inte
//!   härifrån levande`);
//! - `il.olaga_hot.weapon_use`: the writer holds a weapon and promises to
//!   use it on a person (`jag har en pistol och tänker använda den på
//!   honom`); obvious at the addressee, review at a third person;
//! - `il.olaga_hot.whereabouts_threat` (obvious): a threat to a life or
//!   body that another rule sent to review, in a comment whose writer says
//!   they know where a person lives or is (`Jag vet var du bor. Du kommer
//!   inte hem levande`); neither part guarded;
//! - `il.olaga_hot.injury`: a future modal + `få` + a body part + a
//!   participle of injury (`ska få näsan bruten`); an intent + a verb of
//!   force + the addressee's body part (`jag ska krossa din skalle`,
//!   `knäcka nacken på dig`) or the addressee (`jag ska mosa dig`, `klå
//!   upp dig`, `kasta dig från en bro`; not at a game); an intent + a verb
//!   of putting + a weapon or bullet + `i` the addressee (`sätta en kniv i
//!   dig`); an intent (or `borde`) + `ge` + a person + a beating (`jag ska
//!   ge dig stryk`, `någon borde ge politikern en ordentlig omgång`);
//! - `il.olaga_hot.no_subject`: a sentence that opens with an intent and
//!   drops the speaker, a verb of violence and the addressee (`ska döda
//!   dig`, `kommer att skjuta dig`); review, since the speaker is not
//!   named;
//! - `il.olaga_hot.armed_visit_place` also for coming armed to the
//!   addressee's place (`kommer med kniven till ditt kontor`);
//! - `il.olaga_hot.armed_plan` (obvious): the writer bringing a weapon to
//!   a place people gather at a time named (`tar med pappas gevär till
//!   skolan på måndag`, `kommer till fullmäktige imorgon med kniv`); not
//!   to a lawful use (`weapon_pastimes`: `till jakten`) or without a time;
//! - `il.olaga_hot.wish` also for a death agent or an illness wished
//!   (`hoppas cancern tar dig`, `hoppas du får cancer`), a place of harm
//!   (`hoppas du hamnar på sjukhus`), the addressee's property (`hoppas
//!   ditt hus brinner ner`), harm one would
//!   not mourn (`skulle inte gråta om nån sköt dig`) and a vehicle verb
//!   (`hoppas någon kör över dig`; never obvious);
//! - `il.olaga_hot.third_person` also with the person first (`den där
//!   domaren ska jag döda`);
//! - `il.olaga_hot.death_promised` (probable) for a wish that a promise
//!   tag ending the sentence makes the writer's own (`promise_tags`:
//!   `Hoppas du brinner upp, jag ska se till det`).
//!
//! The injury shapes take as their intent also the verb second after a
//! fronted time or condition (`nästa gång slår jag sönder knäna på
//! honom`), an imperative (`slå sönder skallen på kuratorn`) or the intent
//! of a verb before `och` (`jag ska hitta dig och skära av dig öronen`);
//! the person may be named (`kniven i magen på förvaltaren`).
//!
//! The inverted obvious shape takes the verb second after any fronted
//! time or condition (`nästa gång knivhugger jag dig`, `om du … slår jag
//! ihjäl dig`), not in a question; also with `ihjäl` split from any verb by
//! the speaker (`nästa gång sparkar jag ihjäl dig`), but not a figure of
//! speech (`ihjal_idioms`: `kramar jag ihjäl dig`) or the past. `dö i` is an idiom (`dör i cancer`)
//! but not before a time or an event (`dö i kväll`, `dö i en brand`).
//!
//! Verbs listed as `possible` (`kasta ut`, `slå`) never make a threat
//! obvious (`slå er i innebandyn` is a game: no finding), and a verb in
//! the past tense right after its subject (`vi slaktade dem`) is a report.
//! Words listed with the role `anchor` (`synd om`, `din adress`, `stryk`)
//! only let these shapes look at a comment; they are never findings.

use super::aimed::{DEATH_PROMISED, DESERVES_VIOLENCE};
use super::*;

/// How many pointing words (`den där`) may stand between `på` and whose
/// body part it is.
const OWNER_POINTERS_MAX: usize = 2;

/// How many tokens before `och` the intent of a coordinated verb may
/// stand: `jag ska leta upp dig och …`.
const COORDINATED_INTENT_WINDOW: usize = 5;

/// How many tokens before the person run down its verb of driving may
/// stand: `kör rakt över dig`.
const DRIVING_WINDOW: usize = 3;
/// The fewest letters of a definite noun after `med` taken as the means in
/// hand (`med repet`; not `med en`).
const CONCRETE_MEANS_MIN: usize = 5;

/// How many tokens before a weapon the verb bringing it may stand: `tar
/// jag med mig pappas jaktgevär`, `kommer till skolan imorgon med kniv`.
const BRING_WINDOW: usize = 5;

/// How many tokens before the verb bringing a weapon the writer may stand
/// (`jag ska ta med`).
const WRITER_BEFORE_BRING: usize = 3;

/// How many tokens before `med` and a weapon the verb of coming may
/// stand: `vi kommer till ert bilpoolsmöte på torsdag med basebollträn`.
const ARMED_VISIT_WINDOW: usize = 8;

/// How many tokens after `till` the place a weapon is brought to may end:
/// `till ert bilpoolsmöte`.
const DESTINATION_WINDOW: usize = 2;

impl Rules<'_, '_> {
    pub(super) fn threats(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for verb in self.with_role(Role::Violence) {
            if self.beaten_at_a_game(verb) {
                continue;
            }
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
        for particle in 0..doc.tokens.len() {
            if let Some((first, last, verdict)) = self.inverted_particle_threat(particle) {
                out.push(verdict.at(doc.span(first, last)));
            }
        }
        self.veiled_threats(out);
        self.weapon_use_promised(out);
        self.threats_from_parts(out);
        for act in self.with_role(Role::Incitement) {
            // `jag ska bränna ner ditt hus`: a threat against someone's home.
            if let Some((first, last, verdict)) = self.threat_by_speaker(act) {
                let confidence = verdict.confidence.min(Confidence::Probable);
                // `vi ska slå sönder dig`: the addressee broken like a thing
                // is a body hurt, not property.
                let on_person = doc.is(act.last + 1, Class::Awaited)
                    && doc.same_sentence(act.last, act.last + 1);
                let verdict = if verdict.rule == "il.olaga_hot.in_context" {
                    Verdict {
                        confidence,
                        ..verdict
                    }
                } else if on_person {
                    self.hot_review(first, last, row!("il.olaga_hot.injury"), INJURY)
                } else {
                    Verdict::said(
                        row!("il.olaga_hot.property"),
                        confidence,
                        Said::After(" den tilltalades hem eller egendom."),
                    )
                };
                out.push(verdict.at(doc.span(first, last)));
            } else if let Some((first, last)) = self.first_person_act_against_institution(act) {
                let confidence = match doc.threat_guard(first, last) {
                    Some(_) => Confidence::Possible,
                    None => Confidence::Probable,
                };
                out.push(
                    Verdict::said(
                        row!("il.olaga_hot.property"),
                        confidence,
                        Said::After(" en byggnad eller verksamhet."),
                    )
                    .at(doc.span(first, last)),
                );
            }
        }
        for weapon in self.with_role(Role::Weapon) {
            if let Some((first, last, verdict)) = self.armed_plan(weapon) {
                out.push(verdict.at(doc.span(first, last)));
            } else if let Some((first, verdict)) = self.armed_visit(weapon) {
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
                Verdict::of(row!("il.olaga_hot.phrase"), confidence, reason)
                    .at(doc.hit_span(phrase)),
            );
        }
    }

    /// `jag ska döda dig`, `då ska vi skjuta er`, `jag dödar dig`.
    fn threat_by_speaker(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // `jag dör för din kärlek`: the writer's own death takes no object.
        if doc.is(verb.first, Class::Dying) {
            return None;
        }
        // Six tokens reach over a coordinated verb: `vi ska hitta dig och
        // skjuta dig`; a longer chain needs `och`/`sen` before the verb and
        // an intent right after the subject (`jag ska slå dig … och sen
        // dränka dig`).
        let subject = doc
            .within_before(verb.first, 6, Class::FirstPerson)
            .or_else(|| self.coordinated_subject(verb))?;
        let strong = (subject.saturating_sub(1)..verb.first)
            .any(|i| doc.is(i, Class::StrongIntent) && doc.same_sentence(i, verb.first));
        let wish = (subject.saturating_sub(1)..verb.first).any(|i| doc.is(i, Class::Wish));
        // `vi slaktade dem igår`: a report of the past, not a threat.
        let past = subject + 1 == verb.first && past_tense(doc.word(verb.first));
        let present_tense = (subject + 1 == verb.first && !past)
            || strong
            || wish
            || self.coordinated_present(subject, verb.first);
        if !present_tense {
            return None;
        }
        let (object, second_person) =
            match doc.next_after_fillers(verb.last, 3, Class::SecondPersonObject) {
                Some(o) => (o, true),
                None => (
                    doc.next_after_fillers(verb.last, 2, Class::ThirdPersonObject)
                        .or_else(|| self.person_object_after(verb.last))?,
                    false,
                ),
            };
        // `jag ska bränna dig en skiva`: the person is the receiver.
        let benefactive = doc.is(object + 1, &["en", "ett"]);
        // `jag kommer slå ditt rekord`, `döda ditt argument`: what the
        // addressee owns is figurative unless it is them (`ditt huvud`,
        // `din familj`) or a place.
        let figurative = doc.is_or_owned_in(object + 1, Class::IdiomObjects)
            || (doc.is(object, &ADDRESSEE_POSSESSIVES) && !self.owned_target(object));
        if benefactive || figurative || doc.negated(subject, object) {
            return None;
        }
        // `döda dig med vänlighet`: an idiom; a person decides.
        let guard = doc
            .threat_guard(subject, object)
            .or_else(|| self.harmless_means(object).then_some(Guard::Idiom));
        let target = doc.quoted_role(object);
        Some((
            subject,
            object,
            first_person_threat(guard, second_person, wish && !strong, target),
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
            .within_before(verb.first, 4, Class::SecondPersonSubject)
            .or(possessive)?;
        let family = possessive == Some(subject);
        // `då kommer du att dö`: the modal before its subject.
        let modal = (subject + 1..verb.first)
            .find(|&i| doc.is(i, Class::FutureModals))
            .or_else(|| {
                subject
                    .checked_sub(1)
                    .filter(|&i| doc.is(i, Class::FutureModals))
                    .filter(|&i| doc.same_sentence(i, subject) && !doc.clause_start(i))
            })?;
        let between_ok = (subject + 1..verb.first)
            .all(|i| doc.is(i, Class::Fillers) || i == modal || (family && i == subject + 1));
        // `du ska dö av skratt`: an idiom, not a threat.
        let idiom = dying_idiom(doc, verb.last + 1);
        // `du kommer att döda oss med socker`: the addressee does it to
        // someone, nothing is done to them.
        let agent = doc.is(verb.last + 1, Class::ThirdPersonObject)
            || doc.is(verb.last + 1, &["mig", "mej", "oss"]);
        if !between_ok || idiom || agent || doc.negated(subject, verb.last) {
            return None;
        }
        let certain = doc.is(modal, &["ska", "skall"]) && !family;
        let guard = doc.threat_guard(subject, verb.last);
        let row = row!("il.olaga_hot.you_will_die");
        let verdict = match guard {
            Some(g) => in_context(": ett dödshot", g),
            None if certain => Verdict::said(row, Confidence::Obvious, Said::After(".")),
            None if family => Verdict::said(
                row,
                Confidence::Probable,
                Said::After(" eller dennes familj; kontrollera sammanhanget."),
            ),
            None => Verdict::said(
                row,
                Confidence::Probable,
                Said::After(", sagt som något som kommer att hända; kontrollera sammanhanget."),
            ),
        };
        Some((subject, verb.last, verdict))
    }

    /// `jag kommer till badhuset med en kniv`: a threat to the people
    /// there, but not to the one addressed; review.
    fn armed_visit_to_a_place(&self, with: usize, weapon: &Hit<'_>) -> Option<(usize, Verdict)> {
        let doc = self.doc;
        // `kommer till kontoret med kniven`, `står utanför skolan med en
        // yxa`: coming to a place, or waiting outside it.
        let to = (with.saturating_sub(ARMED_VISIT_WINDOW)..with)
            .filter(|&i| doc.same_sentence(i, with))
            .find(|&i| doc.is(i, &["till", "utanför"]))?;
        let coming = doc.within_before(
            to,
            3,
            &["kommer", "åker", "går", "ska", "kmr", "står", "väntar"],
        )?;
        // `i morgon står jag utanför …`: the subject after the verb.
        let subject = doc
            .within_before(coming + 1, 3, Class::FirstPerson)
            .or_else(|| doc.is(coming + 1, Class::FirstPerson).then_some(coming + 1))?;
        if doc.negated(subject, weapon.last) {
            return None;
        }
        let confidence = match doc.threat_guard(subject, weapon.last) {
            Some(_) => Confidence::Possible,
            None => Confidence::Probable,
        };
        Some((
            subject,
            Verdict::said(
                row!("il.olaga_hot.armed_visit_place"),
                confidence,
                Said::After(" till en plats; kontrollera om det är ett hot."),
            ),
        ))
    }

    /// The `med` that holds the weapon, right before it or before a
    /// determiner or possessive (`med kniven`, `med en yxa`, `med mitt
    /// gevär`).
    fn med_before(&self, weapon: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let before = weapon.first.checked_sub(1)?;
        let with = if doc.is(before, &["en", "ett", "min", "mitt", "mina", "vår", "våra"]) {
            before.checked_sub(1)?
        } else {
            before
        };
        doc.is(with, &["med"]).then_some(with)
    }

    /// `jag tar med pappas gevär till skolan på måndag`, `kommer till
    /// fullmäktige imorgon med kniv`, `kniven tar jag med till mötet`: the
    /// writer bringing a weapon to a place people gather, at a time named.
    /// The time makes it a plan: obvious. Without one, or at a guarded
    /// place, the other armed shapes judge it. The first and last token.
    fn armed_plan(&self, weapon: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(weapon.first);
        // `kommer till ert möte på torsdag med basebollträn`: further back
        // when `med` holds the weapon.
        let window = if self.med_before(weapon).is_some() {
            ARMED_VISIT_WINDOW
        } else {
            BRING_WINDOW
        };
        let bring = doc
            .within_before(weapon.first, window, Class::BringVerbs)
            .or_else(|| {
                // `kniven tar jag med`: the weapon put first.
                (weapon.last + 1..weapon.last + 3)
                    .find(|&i| doc.is(i, Class::BringVerbs) && doc.same_sentence(i, weapon.last))
            })?;
        // `jag tar`, `tar jag`, `jag ska ta`, or the writer dropped at the
        // start (`kommer med hagelgeväret …`), never `ta` alone (an order).
        let writer = doc.writer_beside(bring)
            || doc
                .within_before(bring, WRITER_BEFORE_BRING, Class::FirstPerson)
                .is_some()
            || (bring == sentence.start && !doc.is(bring, &["ta"]));
        let place = sentence
            .clone()
            .filter(|&i| i > bring && doc.is(i, &["till"]))
            .find_map(|to| {
                (to + 1..=to + DESTINATION_WINDOW).find(|&p| {
                    doc.same_sentence(to, p)
                        && doc
                            .classes
                            .ends_with_any(doc.word(p), Class::ArmedDestinations)
                })
            })?;
        let timed = sentence
            .clone()
            .any(|t| doc.phrase_of(t, Class::PlanTimes).is_some());
        // `till jakten`, not the weapon's own name (`jaktgevär`).
        let pastime = sentence.clone().any(|t| {
            !(weapon.first..=weapon.last).contains(&t)
                && doc.classes.contains_any(doc.word(t), Class::WeaponPastimes)
        });
        let (first, last) = (bring.min(weapon.first), place.max(weapon.last));
        if !writer || !timed || pastime || doc.negated(first, last) {
            return None;
        }
        doc.threat_guard(first, last).is_none().then(|| {
            (
                first,
                last,
                Verdict::said(
                    row!("il.olaga_hot.armed_plan"),
                    Confidence::Obvious,
                    Said::After("."),
                ),
            )
        })
    }

    /// `kommer jag att bränna ner hela stadshuset`.
    fn first_person_act_against_institution(&self, act: &Hit<'_>) -> Option<(usize, usize)> {
        let doc = self.doc;
        let subject = doc.within_before(act.first, 4, Class::FirstPerson)?;
        let intent = (subject.saturating_sub(1)..act.first).any(|i| doc.is(i, Class::StrongIntent));
        let target = doc.next_authority_after(act.last)?;
        (intent && !doc.negated(subject, target)).then_some((subject, target))
    }

    /// `vi kommer hem till dig med kniv`.
    fn armed_visit(&self, weapon: &Hit<'_>) -> Option<(usize, Verdict)> {
        let doc = self.doc;
        let with = self.med_before(weapon)?;
        // `med kniven som du glömde`: a particular object, not a weapon
        // (but `med en kniv, du vet vem du är` starts a clause of its own).
        let particular = doc.is(weapon.last + 1, &["som", "du", "ni", "från"])
            && doc.same_sentence(weapon.last, weapon.last + 1)
            && !doc.clause_start(weapon.last + 1);
        if particular {
            return None;
        }
        let sentence = doc.sentence_tokens(weapon.first);
        let visit = sentence
            .clone()
            .find(|&i| i < with && doc.phrase_of(i, Class::ComingForYou).is_some());
        let Some(visit) = visit else {
            return self.armed_visit_to_a_place(with, weapon);
        };
        let subject = doc.within_before(visit, 5, Class::FirstPerson)?;
        if doc.negated(subject, weapon.last) {
            return None;
        }
        let verdict = match doc.threat_guard(subject, weapon.last) {
            Some(g) => in_context(": att komma beväpnad till en person", g),
            None => Verdict::said(
                row!("il.olaga_hot.armed_visit"),
                Confidence::Obvious,
                Said::After("."),
            ),
        };
        Some((subject, verdict))
    }
}

/// The verdict on a first-person threat of serious violence (`jag ska
/// döda dig`, `… så dödar jag dig`): obvious only against the addressee,
/// unguarded and not a mere wish; shared by the straight and the inverted
/// word order. `target` is the third person's role as the reason quotes
/// it (`»handläggaren«`).
fn first_person_threat(
    guard: Option<Guard>,
    second_person: bool,
    wish: bool,
    target: Option<String>,
) -> Verdict {
    let (confidence, rule, reason) = match (guard, second_person, wish) {
        (Some(g), _, _) => (
            Confidence::Probable,
            row!("il.olaga_hot.in_context"),
            guarded_reason("Hot om grovt våld", g),
        ),
        (None, true, false) => (
            Confidence::Obvious,
            row!("il.olaga_hot.explicit_violence"),
            "Uttalat hot om grovt våld, i första person, riktat mot den som tilltalas.".to_owned(),
        ),
        (None, true, true) => (
            Confidence::Probable,
            row!("il.olaga_hot.wish"),
            "Önskan att utöva grovt våld mot den som tilltalas; kan vara ett hot.".to_owned(),
        ),
        (None, false, _) => {
            let row = row!("il.olaga_hot.third_person");
            let target = target.map(|t| format!(", {t}")).unwrap_or_default();
            (
                Confidence::Probable,
                row,
                format!("{}{target}; kontrollera vem som avses.", row.reason),
            )
        }
    };
    Verdict::of(rule, confidence, reason)
}

/// The verdict on an obvious threat shape that `guard` keeps from being
/// acted on: `in_context`, whose reason (`Hot om grovt våld`) `form`
/// completes (`": ett dödshot"`), then the guard.
fn in_context(form: &str, guard: Guard) -> Verdict {
    let row = row!("il.olaga_hot.in_context");
    let what = format!("{}{form}", row.reason);
    Verdict::of(row, Confidence::Probable, guarded_reason(&what, guard))
}

/// `dö av skratt`, `dör i cancer`, `dör för att få`: `dö` followed by
/// `av`, `i`, `på`, … is an idiom or illness, but not `dö i kväll` (a time).
pub(super) fn dying_idiom(doc: &Document<'_>, after: usize) -> bool {
    // `dör för att få träffa dig`: longing.
    if doc.phrase_at(after, &["för", "att", "få"]) {
        return true;
    }
    // `dö i en brand`, `dö av en kula`: an event or a weapon, no idiom.
    doc.is(after, &["av", "i", "på", "utan", "ensam"])
        && !(doc.is(after, &["i"]) && doc.is(after + 1, Class::TimesAfterI))
        && !(doc.is(after, &["av", "i", "på"]) && doc.is(after + 1, &["en", "ett"]))
}

/// A past-tense form (`slaktade`, `brände`, `dödat`): a report, not an
/// intent.
pub(super) fn past_tense(word: &str) -> bool {
    ["de", "te", "at"].iter().any(|e| word.ends_with(e))
}

impl Rules<'_, '_> {
    /// `döda er med vänlighet`: the target followed by `med` and anything
    /// but a weapon, a thing in hand ([`Self::concrete_means`]), a vehicle driven (`kör över dig med bilen`; not `döda
    /// dig med bilen i spelet`), `flit`, a determiner or people (`bränn
    /// muslimerna med dem`) is an idiom.
    pub(super) fn harmless_means(&self, target: usize) -> bool {
        let doc = self.doc;
        let means = target + 2;
        // `kör över dig med bilen`: the means of driving; `med flit`: on
        // purpose.
        let run_down = doc.is(means, Class::Vehicles)
            && doc
                .within_before(target, DRIVING_WINDOW, Class::Driving)
                .is_some();
        doc.is(target + 1, &["med"])
            && !doc.is(means, &["en", "ett", "mina", "min", "bara", "flit"])
            && !run_down
            && !self.concrete_means(means)
            && self.role_at(means, &[Role::Weapon]).is_none()
            && !self.person_at(means)
    }

    /// A definite noun after `med` that is a thing in hand (`strypa
    /// grannen med trädgårdsslangen`), not a harmless means (`idiom_means`:
    /// `med blicken`), an abstract noun, an object of an idiom or a vehicle
    /// (a means only when driven, see [`Self::harmless_means`]).
    fn concrete_means(&self, means: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(means);
        word.chars().count() >= CONCRETE_MEANS_MIN
            && ["en", "et", "an"].iter().any(|end| word.ends_with(end))
            && !doc.is(means, Class::Vehicles)
            && !doc.is(means, Class::IdiomMeans)
            && !doc.is(means, Class::IdiomObjects)
            && !doc.classes.ends_with_any(word, Class::AbstractEndings)
    }

    /// A person as the object or subject of a third-party threat: a
    /// pronoun, a person who acts for society, a definite person noun
    /// (`den där journalisten`, not `den där frågan`), or a name.
    fn person_word(&self, index: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(index);
        !word.is_empty()
            && !doc.where_animals_are(index)
            && (doc.is(index, Class::ThirdPersonObject)
                || doc.is(index, Class::SecondPersonObject)
                || doc.is(index, &["han", "hon", "hen"])
                || doc.is_person_target(index)
                || doc.classes.ends_with_any(word, Class::ThreatPersonRoles)
                || doc.is_owned_role(index)
                || doc.is_name(index))
    }

    /// `den där handläggaren`, `socialchefen`, `kommunstyrelsens
    /// ordförande`: a person named as the object within three tokens after
    /// `after`, skipping determiners, fillers and the genitive that owns a
    /// role.
    fn person_object_after(&self, after: usize) -> Option<usize> {
        let doc = self.doc;
        (after + 1..=after + 3)
            .take_while(|&i| doc.same_sentence(i, after))
            .take_while(|&i| {
                self.person_word(i)
                    || doc.is(i, Class::Determiners)
                    || doc.is(i, Class::Fillers)
                    || doc.is(i, &["där", "här"])
                    || doc.is_owned_role(i + 1)
            })
            .find(|&i| self.person_word(i) && !doc.is(i, Class::SecondPersonObject))
    }

    /// A review verdict for olaga hot: probable, or possible when guarded.
    fn hot_review<'a>(
        &self,
        first: usize,
        last: usize,
        row: &'static RuleRow,
        reason: impl Into<Said<'a>>,
    ) -> Verdict {
        let guard = self.doc.threat_guard(first, last);
        Verdict::review(row, guard, reason)
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
        doc.within_before(verb.first, 12, Class::FirstPerson)
            .filter(|&s| doc.is(s + 1, Class::StrongIntent))
    }

    /// `Jag hittar dig och slår ihjäl dig`: the verb joined by `och` to a
    /// first verb in the present tense right after the writer, or right
    /// before it after a fronted time (`i morgon hittar jag dig och dödar
    /// dig`, see [`Self::verb_second`]), both in the present (a promise, as
    /// `jag slår ihjäl dig` is), neither in the past.
    fn coordinated_present(&self, subject: usize, verb: usize) -> bool {
        let doc = self.doc;
        let present = |t: usize| doc.word(t).ends_with('r') && !past_tense(doc.word(t));
        let inverted = subject
            .checked_sub(1)
            .filter(|&before| self.verb_second(before, subject).is_some());
        let first_verb = [Some(subject + 1), inverted]
            .into_iter()
            .flatten()
            .find(|&t| present(t));
        first_verb.is_some_and(|first| {
            verb > subject + 2
                && doc.is(verb - 1, &["och", "o", "å"])
                && present(verb)
                && (first..verb).all(|t| doc.same_sentence(subject, t))
        })
    }

    /// `om du tar bort det igen så dödar jag dig`, `annars skjuter vi er`:
    /// the verb before its subject after a condition.
    fn inverted_threat(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        self.inverted_threat_at(verb.first, verb.last + 1, verb.last + 1)
    }

    /// `nästa gång slår jag ihjäl honom`: a verb with the particle `ihjäl`
    /// split from it by the subject, which the lexicon's phrases (`slå
    /// ihjäl`) cannot match; any verb but a figure of speech
    /// (`ihjal_idioms`: `kramar jag ihjäl dig`).
    fn inverted_particle_threat(&self, particle: usize) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        if particle < 2 || !doc.is(particle, &["ihjäl"]) {
            return None;
        }
        let (verb, subject) = (particle - 2, particle - 1);
        // `igår slog jag ihjäl honom`: a report, not a threat.
        let figure_or_report = doc.is(verb, Class::IhjalIdioms)
            || doc.is(verb, Class::Fillers)
            || doc.is(verb, Class::KillingPast);
        if figure_or_report || self.beaten_at_a_game_at(verb, particle) {
            return None;
        }
        self.inverted_threat_at(verb, subject, particle)
    }

    /// The inverted first-person threat with its verb at `verb`, the
    /// speaker at `subject` and the object looked for after `after`.
    fn inverted_threat_at(
        &self,
        verb: usize,
        subject: usize,
        after: usize,
    ) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        let before = self.verb_second(verb, subject)?;
        // `i morgon knivhugger jag bibliotekarien`: a person named after
        // the subject, as in the straight word order.
        let (object, second_person) =
            match doc.next_after_fillers(after, 3, Class::SecondPersonObject) {
                Some(o) => (o, true),
                None => (
                    doc.next_after_fillers(after, 2, Class::ThirdPersonObject)
                        .or_else(|| self.person_object_after(after))?,
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
            first_person_threat(guard, second_person, false, doc.quoted_role(object)),
        ))
    }

    /// `nästa gång knivhugger jag …`, `om du … så sticker jag …`: the
    /// verb second after a fronted time or condition, the speaker right
    /// after it, in a sentence that does not open with the speaker or a
    /// question word, and not in the past tense. The token before the
    /// verb, where the threat's span starts.
    fn verb_second(&self, verb: usize, subject: usize) -> Option<usize> {
        let doc = self.doc;
        let before = verb.checked_sub(1)?;
        let start = doc.sentence_tokens(verb).start;
        let fronted = doc.is(before, &["så", "då", "annars"])
            || (!doc.is(start, Class::FirstPerson)
                && !doc.is(start, &["vad", "varför", "hur", "när"]));
        let inverted = doc.is(subject, Class::FirstPerson)
            && doc.same_sentence(verb, subject)
            && doc.same_sentence(before, verb)
            && !past_tense(doc.word(verb));
        (fronted && inverted).then_some(before)
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
        if doc.is(verb.first, Class::Dying) && dying_idiom(doc, verb.last + 1) {
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
        let subject = doc.within_before(verb.first, 4, Class::ThirdParty)?;
        (subject + 1..verb.first).find(|&i| doc.is(i, Class::ThirdPartyModals))?;
        let object = (verb.last + 1..=verb.last + 6)
            .take_while(|&i| doc.same_sentence(i, verb.last))
            .take_while(|&i| !doc.is(i, &["sig"]))
            .find(|&i| self.person_word(i))?;
        if doc.negated(subject, verb.last) {
            return None;
        }
        let target = doc
            .quoted_role(object)
            .map(|t| format!(", {t}"))
            .unwrap_or_default();
        Some((
            subject,
            object,
            self.hot_review(
                subject,
                object,
                row!("il.olaga_hot.someone_should"),
                Said::After(&format!("{target}.")),
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
        let passive = word.ends_with('s') || doc.is(verb.first, Class::Dying) || participle;
        if !passive || verb.first != verb.last && !word.ends_with('s') && !participle {
            return None;
        }
        // `ni ska sprängas av glädje`, `skjutas av i vinter`: a feeling or
        // a cull, not violence (but `våldtas av hela laget` names who).
        if doc.is(verb.last + 1, &["av"]) && !self.agent_after(verb.last + 1) {
            return None;
        }
        let modal = doc.within_before(verb.first, 3, Class::DeserveModals)?;
        let subject = (modal.saturating_sub(4)..modal)
            .filter(|&i| doc.same_sentence(i, modal))
            .find(|&i| self.person_word(i) || doc.is(i, Class::SecondPersonSubject))?;
        if doc.negated(subject, verb.last) {
            return None;
        }
        Some((
            subject,
            verb.last,
            // The shape of `deserves_violence` (aimed.rs), found here for
            // the words of violence the lexicon lists as verbs.
            self.hot_review(
                subject,
                verb.last,
                DESERVES_VIOLENCE,
                Said::After(&format!("{PERSON_DECIDES}.")),
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
                doc.is(i, Class::WishOpeners)
                    || doc.phrase_at(i, &["se", "till", "att"])
                    || doc.phrase_at(i, &["ser", "till", "att"])
            })?;
        // `hoppas ditt hus brinner ner`: the addressee's own.
        let target = (opener + 1..verb.first)
            .find(|&i| {
                doc.is(i, Class::SecondPersonSubject)
                    || self.person_word(i)
                    || doc.is(i, &["ditt", "din", "dina", "ert", "er", "era"])
            })
            .or_else(|| {
                (verb.last + 1..=verb.last + 3)
                    .take_while(|&i| doc.same_sentence(i, verb.last))
                    .find(|&i| self.person_word(i))
            })?;
        if doc.negated(opener, verb.last.max(target)) {
            return None;
        }
        let last = verb.last.max(target);
        // `Hoppas du brinner upp, jag ska se till det`: the writer's own
        // promise, like `jag ska se till att du dör`; the confirming model
        // decides.
        let (row, reason) = match self.promise_after(last) {
            Some(_) => (
                DEATH_PROMISED,
                ", uttryckt som en önskan som skribenten lovar att själv se till.",
            ),
            None => (
                row!("il.olaga_hot.wish"),
                " eller löfte om grovt våld mot en person; kan vara ett hot.",
            ),
        };
        Some((
            opener,
            last,
            self.hot_review(opener, last, row, Said::After(reason)),
        ))
    }

    /// `…, jag ska se till det`, `… Det lovar jag.`: a promise tag
    /// (`promise_tags`) that ends a sentence, after token `after` in its
    /// sentence or as the whole next one. Its first token.
    fn promise_after(&self, after: usize) -> Option<usize> {
        let doc = self.doc;
        // The end of the sentence is the first token of the next.
        let next_sentence = doc.sentence_tokens(after).end;
        // The tag ends its sentence: not `jag ska se till det inte händer`.
        (after + 1..=next_sentence).find(|&t| {
            doc.phrase_of(t, Class::PromiseTags)
                .is_some_and(|len| doc.sentence_tokens(t).end == t + len)
        })
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
                        row!("il.olaga_hot.veiled"),
                        Said::After(": skribenten säger sig veta var en person finns."),
                    )
                    .at(doc.span(know, last)),
                );
            }
        }
        for weapon in self.with_role(Role::Weapon) {
            let Some(owner) = self.held_by_the_writer(weapon) else {
                continue;
            };
            let addressee = doc
                .sentence_tokens(weapon.first)
                .find(|&i| i > weapon.last && doc.is(i, &["du", "ni", "dig", "er", "dej"]));
            if let Some(addressee) = addressee {
                out.push(
                    self.hot_review(
                        owner,
                        addressee,
                        row!("il.olaga_hot.veiled"),
                        Said::After(
                            ": skribenten nämner ett vapen i en mening om den som tilltalas.",
                        ),
                    )
                    .at(doc.span(owner, addressee)),
                );
            }
        }
    }

    /// `Jag har en pistol och tänker använda den på honom imorgon`: the
    /// writer holds a weapon ([`Self::held_by_the_writer`], as in the
    /// veiled shape) and, in that sentence or the next, promises to use it (an
    /// intent, a verb of `use_verbs`, `den`/`det` or the weapon's word)
    /// `på` a person. Obvious at the addressee; review, for a confirming
    /// model, at a third person, as the writer's own threat to one is.
    fn weapon_use_promised(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for weapon in self.with_role(Role::Weapon) {
            let Some(first) = self.held_by_the_writer(weapon) else {
                continue;
            };
            let sentence = doc.tokens[weapon.first].sentence;
            let Some(target) = (weapon.last + 1..doc.tokens.len())
                .take_while(|&t| doc.tokens[t].sentence <= sentence + 1)
                .find_map(|used| self.used_on_a_person(used))
            else {
                continue;
            };
            let row = row!("il.olaga_hot.weapon_use");
            let verdict = match doc.threat_guard(first, target) {
                Some(guard) => {
                    Verdict::of(row, Confidence::Possible, guarded_reason(row.reason, guard))
                }
                None if doc.is(target, &["dig", "dej", "er"]) => {
                    Verdict::said(row, Confidence::Obvious, Said::After("."))
                }
                None => Verdict::said(
                    row,
                    Confidence::Probable,
                    Said::After("; kontrollera vem som avses."),
                ),
            };
            out.push(verdict.at(doc.span(first, target)));
            return;
        }
    }

    /// `jag har ett gevär`, `vi äger en pistol`: the writer right before
    /// `har` or `äger` within three words before the weapon, not negated.
    /// The writer's token.
    fn held_by_the_writer(&self, weapon: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let has = doc.within_before(weapon.first, 3, &["har", "äger"])?;
        let owner = has
            .checked_sub(1)
            .filter(|&i| doc.is(i, Class::FirstPerson))?;
        (!doc.negated(owner, weapon.last)).then_some(owner)
    }

    /// `tänker använda den på honom`: an intent right before a verb of
    /// `use_verbs` at `used`, then `den`, `det` or a weapon, then `på` and a
    /// person; not negated. The person's token.
    fn used_on_a_person(&self, used: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(used, Class::UseVerbs) || !doc.is(used.wrapping_sub(1), Class::StrongIntent) {
            return None;
        }
        let thing = used + 1;
        let it = doc.is(thing, &["den", "det"]) || self.weapon_or_bullet(thing);
        let on = thing + 1;
        let person = on + 1;
        let aimed = it
            && doc.is(on, &["på"])
            && doc.same_sentence(used, person)
            && (doc.is(
                person,
                &["dig", "dej", "er", "honom", "henne", "hen", "dem", "dom"],
            ) || self.person_at(person));
        (aimed && !doc.negated(used - 1, person)).then_some(person)
    }

    /// `Jag vet var du bor. Du kommer inte hem levande`: a threat to a
    /// person's life or body found by another rule (review), in a comment
    /// whose writer also says they know where a person lives or can be
    /// found. Each alone may be veiled or rhetoric; together they are the
    /// explicit threat the policy removes. Only threats found since
    /// `first_new` are read, and neither part may be guarded (a quotation,
    /// news, a question …).
    pub(super) fn threat_with_whereabouts(&self, out: &mut Vec<Finding>, first_new: usize) {
        let doc = self.doc;
        let open_threat = |f: &Finding| {
            f.category == Category::OlagaHot
                && f.confidence < Confidence::Obvious
                && !reason_names_a_guard(&f.reason)
        };
        if !out[first_new..].iter().any(open_threat) {
            return;
        }
        for (first, last) in self.whereabouts_claims() {
            let claim = doc.span(first, last);
            let threat = out[first_new..].iter().find(|f| {
                open_threat(f)
                    && (f.end <= claim.start || claim.end <= f.start)
                    && self.life_or_body_named(f.start..f.end)
            });
            if let Some(threat) = threat {
                let span = claim.start.min(threat.start)..claim.end.max(threat.end);
                let verdict = Verdict::said(
                    row!("il.olaga_hot.whereabouts_threat"),
                    Confidence::Obvious,
                    Said::After("."),
                );
                out.push(verdict.at(span));
                return;
            }
        }
    }

    /// The writer's claims to know where a person lives or is, unguarded
    /// (`jag vet var du bor`, `vi vet när du slutar`, `har sparat din
    /// adress`, `står utanför ditt hus`): first and last tokens.
    fn whereabouts_claims(&self) -> Vec<(usize, usize)> {
        let doc = self.doc;
        let known = self
            .with_role(Role::ThreatPhrase)
            .flat_map(|p| p.first..=p.last)
            .filter(|&t| doc.is(t, Class::Knowing))
            .filter_map(|know| self.knows_whereabouts(know).map(|last| (know, last)));
        let approached = (0..doc.tokens.len()).filter_map(|i| self.home_approached(i));
        known
            .chain(approached)
            .filter(|&(first, last)| doc.threat_guard(first, last).is_none())
            .collect()
    }

    /// Some token within `span` (bytes of the comment) names harm to a
    /// life or a body: a verb of serious violence, a weapon or bullet, a
    /// verb of dying or a word of staying alive.
    fn life_or_body_named(&self, span: Range<usize>) -> bool {
        let doc = self.doc;
        (0..doc.tokens.len())
            .filter(|&t| {
                let at = doc.span(t, t);
                span.start <= at.start && at.end <= span.end
            })
            .any(|t| {
                self.weapon_or_bullet(t)
                    || doc.is(t, Class::Dying)
                    || doc.is(t, Class::Survival)
                    || self.violent_verb_at(t)
            })
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
        if !speaker || !doc.is(know + 1, Class::Whereabouts) || !doc.same_sentence(know, know + 1) {
            return None;
        }
        let person = (know + 2..=know + 4)
            .take_while(|&i| doc.same_sentence(i, know))
            .find(|&i| doc.is(i, Class::KnownPerson))?;
        let verb = (person + 1..=person + 3)
            .take_while(|&i| doc.same_sentence(i, person))
            .find(|&i| doc.word(i).ends_with('r') && !doc.is(i, &["barn", "far", "mor"]))?;
        if doc.is(verb, Class::NotWhereabouts) {
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

/// What the injury rule says it found, after the rule's own reason.
const INJURY: Said<'static> =
    Said::After(" skada en person till kroppen; kan vara ett hot om grovt våld.");

impl Rules<'_, '_> {
    /// `kör över`, `kör ihjäl`, `meja ner` (and their passives, `ska
    /// köras över`): running people down with a vehicle, listed for terror
    /// calls (`terror_uppmaning.txt`) and a figure of speech too (`köra
    /// över kommunen`), so never obvious without a confirming model.
    pub(super) fn vehicle_verbs(&self) -> impl Iterator<Item = &Hit<'_>> + '_ {
        let doc = self.doc;
        self.with_role(Role::TerrorCall)
            .filter(move |h| doc.is(h.first, &["kör", "köra", "meja", "köras", "körs", "mejas"]))
    }

    /// Veiled threats built from their parts (review only, see the module
    /// documentation): a pity clause about the addressee, what awaits a
    /// person, a body part to be injured, a wished illness or death, an
    /// everyday verb with a looming time, harm one would not mourn, the
    /// addressee's home approached or their address obtained, advice to
    /// wear protection, and the object before `ska jag` + a verb.
    fn threats_from_parts(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        // `hoppas någon kör över dig`: a vehicle verb (listed for terror
        // calls) in a wish or after `någon borde`.
        for verb in self.vehicle_verbs() {
            let found = self
                .threat_by_speaker(verb)
                .or_else(|| self.inverted_threat(verb))
                .or_else(|| self.someone_should(verb))
                .or_else(|| self.wished_harm(verb));
            if let Some((first, last, mut verdict)) = found {
                verdict.confidence = verdict.confidence.min(Confidence::Probable);
                out.push(verdict.at(doc.span(first, last)));
            }
        }
        for (pity, clause) in doc.pity_clauses() {
            let addressee = clause.clone().find(|&i| doc.is(i, Class::Addressee));
            let happening = clause.clone().find(|&i| {
                doc.is(i, Class::Happening)
                    || self
                        .role_at(i, &[Role::Violence, Role::Incitement, Role::Damage])
                        .is_some()
            });
            if let (Some(a), Some(h)) = (addressee, happening) {
                // As veiled as the listed `synd om något hände`: possible.
                let last = a.max(h);
                out.push(
                    Verdict::said(
                        row!("il.olaga_hot.veiled"),
                        Confidence::Possible,
                        Said::After(
                            ": skribenten antyder att något kan hända den som tilltalas eller \
                             någon nära.",
                        ),
                    )
                    .at(doc.span(pity, last)),
                );
            }
        }
        let mut push = |first: usize, last: usize, rule: &'static RuleRow, reason: Said<'_>| {
            out.push(
                self.hot_review(first, last, rule, reason)
                    .at(doc.span(first, last)),
            );
        };
        for i in 0..doc.tokens.len() {
            if let Some(last) = self.awaits_person(i) {
                push(
                    i,
                    last,
                    row!("il.olaga_hot.veiled"),
                    Said::After(": skribenten antyder att något väntar en person."),
                );
            } else if let Some((first, last)) = self.injury_promised(i) {
                push(
                    first,
                    last,
                    row!("il.olaga_hot.injury"),
                    Said::After(
                        " en person ska skadas till kroppen; kan vara ett hot om grovt våld.",
                    ),
                );
            } else if let Some(last) = self.death_wished(i) {
                push(
                    i,
                    last,
                    row!("il.olaga_hot.wish"),
                    Said::After(" om sjukdom eller död för en person; kan vara ett hot."),
                );
            } else if let Some(last) = self.harm_place_wished(i) {
                push(
                    i,
                    last,
                    row!("il.olaga_hot.wish"),
                    Said::After(" att en person ska skadas svårt; kan vara ett hot."),
                );
            } else if let Some((first, last)) = self.hidden_harm(i) {
                push(
                    first,
                    last,
                    row!("il.olaga_hot.veiled"),
                    Said::After(
                        ": ett vardagligt ord för att skada någon, med en tid som hänger över den \
                         som tilltalas.",
                    ),
                );
            } else if let Some((first, last)) = self.home_approached(i) {
                push(
                    first,
                    last,
                    row!("il.olaga_hot.veiled"),
                    Said::After(
                        ": skribenten nämner att hen kommer till eller har uppgifter om den \
                         tilltalades hem.",
                    ),
                );
            } else if let Some(last) = self.not_leaving_alive(i) {
                push(
                    i,
                    last,
                    row!("il.olaga_hot.veiled"),
                    Said::After(
                        ": skribenten säger att den som tilltalas inte kommer därifrån levande.",
                    ),
                );
            } else if let Some(last) = self.not_surviving(i) {
                push(
                    i,
                    last,
                    row!("il.olaga_hot.veiled"),
                    Said::After(": skribenten säger att den som tilltalas inte ska överleva."),
                );
            } else if let Some(first) = self.protection_advised(i) {
                push(
                    first,
                    i,
                    row!("il.olaga_hot.veiled"),
                    Said::After(": skribenten råder den som läser att skydda sig."),
                );
            }
        }
        for i in 0..doc.tokens.len() {
            let hurt = self
                .body_part_threat(i)
                .or_else(|| self.beating_given(i))
                .or_else(|| self.force_on_person(i))
                .or_else(|| self.weapon_put_in(i));
            if let Some((first, last)) = hurt {
                push(first, last, row!("il.olaga_hot.injury"), INJURY);
            }
        }
        for weapon in self.with_role(Role::Weapon) {
            if let Some((first, last)) = self.armed_to_addressee(weapon) {
                push(
                    first,
                    last,
                    row!("il.olaga_hot.armed_visit_place"),
                    Said::After(" till den som tilltalas; kontrollera om det är ett hot."),
                );
            }
        }
        for verb in self.with_role(Role::Violence) {
            if let Some(last) = self.subjectless_threat(verb) {
                push(
                    doc.sentence_tokens(verb.first).start,
                    last,
                    row!("il.olaga_hot.no_subject"),
                    Said::After(" (`ska döda dig`); kontrollera sammanhanget."),
                );
                continue;
            }
            if let Some((first, last)) = self.harm_not_mourned(verb) {
                push(
                    first,
                    last,
                    row!("il.olaga_hot.wish"),
                    Said::After(
                        " att en person skadas, uttryckt som att skribenten inte skulle sörja; \
                         kan vara ett hot.",
                    ),
                );
            } else if let Some(first) = self.fronted_victim(verb) {
                let target = doc
                    .quoted_role(first)
                    .map(|t| format!(", {t}"))
                    .unwrap_or_default();
                push(
                    first,
                    verb.last,
                    row!("il.olaga_hot.third_person"),
                    Said::After(&format!(
                        "{target}, som nämns först i meningen; kontrollera vem som avses."
                    )),
                );
            }
        }
    }

    /// `så får du se vad som händer`, `han vet inte vad som väntar honom`:
    /// `vad som` + a happening that ends the sentence, with the addressee
    /// just before or the person waited for right after. The last token.
    fn awaits_person(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.phrase_at(i, &["vad", "som"]) {
            return None;
        }
        let happens = if doc.is(i + 2, &["händer"]) {
            i + 2
        } else if doc.phrase_at(i + 2, &["kommer", "att", "hända"]) {
            i + 4
        } else if doc.phrase_at(i + 2, &["ska", "hända"]) {
            i + 3
        } else {
            return doc
                .phrase_at(i + 2, &["väntar"])
                .then_some(i + 3)
                .filter(|&p| doc.is(p, Class::Awaited) && doc.same_sentence(i, p))
                .map(|p| {
                    if doc.is(p + 1, Class::TrailingTimes) && doc.same_sentence(p, p + 1) {
                        p + 1
                    } else {
                        p
                    }
                })
                .filter(|&p| doc.ends_sentence(p));
        };
        let addressed = (i.saturating_sub(3)..i)
            .any(|j| doc.is(j, Class::SecondPersonSubject) && doc.same_sentence(j, i));
        // `du vet vad som händer då`: a time may close the sentence.
        let end = if doc.is(happens + 1, Class::TrailingTimes)
            && doc.same_sentence(happens, happens + 1)
        {
            happens + 1
        } else {
            happens
        };
        (addressed && doc.ends_sentence(end)).then_some(end)
    }

    /// `journalisten ska få näsan bruten`, `du kommer få käken krossad`:
    /// a future modal, `få`, a body part and a participle of injury.
    fn injury_promised(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        if !doc.is(i, &["få", "får"]) {
            return None;
        }
        let body = (i + 1..=i + 2).find(|&j| doc.is(j, Class::Body))?;
        let injured = (body + 1..=body + 2).find(|&j| doc.is(j, Class::Injured))?;
        let modal = doc.within_before(i, 4, Class::FutureModals)?;
        if !doc.same_sentence(i, injured) || doc.negated(modal, injured) {
            return None;
        }
        let first = modal.saturating_sub(1).max(doc.sentence_tokens(i).start);
        Some((first, injured))
    }

    /// `hoppas cancern tar dig`, `hoppas du får cancer`: a wish opener,
    /// then a death agent taking a person or the person getting an
    /// illness. The last token.
    fn death_wished(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, Class::WishOpeners) {
            return None;
        }
        let near =
            |from: usize, n: usize| (from..=from + n).take_while(move |&j| doc.same_sentence(i, j));
        let taken = near(i + 1, 3)
            .find(|&a| doc.is(a, Class::DeathAgents))
            .and_then(|a| {
                let take = near(a + 1, 1).find(|&t| doc.is(t, Class::Takes))?;
                near(take + 1, 1).find(|&p| doc.is(p, Class::Awaited))
            });
        let ill = near(i + 1, 1)
            .find(|&p| doc.is(p, Class::SecondPersonSubject) || doc.is(p, &["han", "hon", "hen"]))
            .filter(|&p| doc.is(p + 1, &["får", "drabbas"]))
            .and_then(|p| near(p + 2, 2).find(|&d| doc.is(d, Class::Illnesses)));
        let last = taken.or(ill)?;
        (!doc.negated(i, last)).then_some(last)
    }

    /// `hoppas du hamnar på sjukhus`, `hoppas han ligger i koma`: a wish
    /// opener, a person, a verb of landing and a place of harm. The last
    /// token.
    fn harm_place_wished(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, Class::WishOpeners) {
            return None;
        }
        let person = (i + 1..=i + 3)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is(j, Class::SecondPersonSubject) || self.person_word(j))?;
        let lands = (person + 1..=person + 2)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is(j, Class::Lands))?;
        let place = (lands + 1..=lands + 3)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is(j, Class::HarmPlaces))?;
        (!doc.negated(i, place)).then_some(place)
    }

    /// `nån dag kommer nån att ta hand om dig`: someone + a future modal +
    /// an everyday verb + the addressee, with a looming time in the
    /// sentence.
    fn hidden_harm(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        let object = i + doc.phrase_of(i, Class::HiddenHarm)?;
        if !doc.is(object, &["dig", "dej", "er"]) || !doc.same_sentence(i, object) {
            return None;
        }
        let modal = doc.within_before(i, 3, Class::FutureModals)?;
        let subject = (modal.saturating_sub(1)..i)
            .filter(|&j| doc.same_sentence(j, i))
            .find(|&j| doc.is(j, Class::ThirdParty) || doc.is(j, Class::FirstPerson))?;
        let sentence = doc.sentence_tokens(i);
        let looming = sentence
            .clone()
            .any(|j| doc.phrase_of(j, Class::LoomingTimes).is_some());
        if !looming || doc.negated(subject.min(modal), object) {
            return None;
        }
        Some((subject.min(modal), object))
    }

    /// `ska ta en promenad förbi din adress`, `har sparat din bild och din
    /// adress`: the addressee's home after `förbi`/`utanför`, or their
    /// address obtained by the writer (no subject, or `jag`).
    fn home_approached(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        if !doc.is(i, &["din", "ditt", "er", "ert"]) || !doc.same_sentence(i, i + 1) {
            return None;
        }
        if !doc.is(i + 1, Class::Home) {
            return None;
        }
        if i > 0 && doc.is(i - 1, &["förbi", "utanför"]) && doc.same_sentence(i - 1, i) {
            return Some((i - 1, i + 1));
        }
        let got = doc.within_before(i, 5, Class::Obtained)?;
        let start = doc.sentence_tokens(i).start;
        let own = got == start
            || (doc.is(start, &["har", "jag"]) && got <= start + 2)
            || doc.within_before(got, 2, &["jag", "ja"]).is_some();
        (own && doc.sentence_mark(i) != '?').then_some((got, i + 1))
    }

    /// `ta med skyddsväst`, `du borde skaffa livvakter`: protection advised
    /// to the reader. The first token of the advice.
    fn protection_advised(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, Class::Protection) {
            return None;
        }
        let ordered = (i.saturating_sub(3)..i)
            .find(|&j| doc.same_sentence(j, i) && doc.imperative(j) && doc.clause_start(j));
        let advised = doc.sentence_tokens(i).find(|&j| {
            j < i
                && doc.is(j, Class::SecondPersonSubject)
                && doc.is(j + 1, &["behöver", "borde", "bör", "ska", "får", "måste"])
        });
        let first = ordered.or(advised)?;
        let play = doc.game_in_sentence(i) || doc.sentence_has(i, Class::Leisure);
        (!doc.negated(first, i) && !play).then_some(first)
    }

    /// `skulle inte gråta en tår om nån sköt dig`: a word of mourning (or
    /// celebration), then `om` + someone + a verb of violence + a person.
    fn harm_not_mourned(&self, verb: &Hit<'_>) -> Option<(usize, usize)> {
        let doc = self.doc;
        let om = doc.within_before(verb.first, 3, &["om"])?;
        let mourning = doc.within_before(om, 8, Class::Mourning)?;
        let object = doc
            .next_after_fillers(verb.last, 2, Class::Awaited)
            .or_else(|| {
                (verb.first > 0 && doc.is(verb.first - 1, Class::Addressee))
                    .then_some(verb.first - 1)
            })?;
        (verb.found.entry.confidence >= Confidence::Probable)
            .then_some((mourning, object.max(verb.last)))
    }

    /// `jag ska krossa din skalle`, `ska knäcka nacken på dig`: an intent
    /// (`ska`, `kommer att`; also the verb second after a fronted time, or
    /// an imperative), a verb of force and the addressee's (or a person's)
    /// body part. The first and last tokens.
    fn body_part_threat(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        if i == 0 {
            return None;
        }
        let owned = doc.is(
            i - 1,
            &["din", "ditt", "dina", "er", "ert", "era", "hans", "hennes"],
        ) || self.owner_after(i).is_some()
            // `skära av dig huvudet`: the owner between particle and part.
            || (doc.is(i - 1, &["dig", "dej", "er", "honom", "henne"])
                && i >= 2
                && doc.is(i - 2, &["av", "ut", "upp", "sönder"]))
            // `varenda ben i din kropp`
            || (doc.is(i + 1, &["i"])
                && doc.is(i + 2, &["din", "er"])
                && doc.is(i + 3, &["kropp"])
                && doc.same_sentence(i, i + 3));
        // The owner first: asked of every token, it is far cheaper than
        // the list of body parts.
        if !owned || !doc.is(i, Class::Body) {
            return None;
        }
        let verb = doc.within_before(i, 3, Class::Force)?;
        // `nästa gång slår jag sönder knäna på honom`, `slå sönder skallen
        // på kuratorn`, `jag ska hitta dig och skära av dig öronen`
        let intent = doc
            .within_before(verb, 3, Class::StrongIntent)
            .or_else(|| self.verb_second(verb, verb + 1))
            .or_else(|| doc.imperative(verb).then_some(verb))
            .or_else(|| self.coordinated_intent(verb))?;
        let last = self.owner_after(i).unwrap_or(i);
        (!doc.negated(intent, last)).then_some((intent, last))
    }

    /// `knäcka nacken på dig`, `krossa käken på den där journalisten`:
    /// whose the body part at `i` is, after `på` or `av` and a pointing
    /// `den där`. Its token.
    fn owner_after(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i + 1, &["på", "av"]) {
            return None;
        }
        let owner = (i + 2..=i + 2 + OWNER_POINTERS_MAX)
            .find(|&t| !doc.is(t, &["den", "det", "de", "dom", "där", "här"]))?;
        ((doc.is(owner, Class::Awaited) || self.person_word(owner)) && doc.same_sentence(i, owner))
            .then_some(owner)
    }

    /// `jag ska hitta dig och skära …`: the verb after `och` shares the
    /// intent of the verb before it, within [`COORDINATED_INTENT_WINDOW`]
    /// in one sentence. The token of the intent.
    fn coordinated_intent(&self, verb: usize) -> Option<usize> {
        let doc = self.doc;
        let and = verb
            .checked_sub(1)
            .filter(|&a| doc.is(a, &["och", "o", "å"]))?;
        doc.within_before(and, COORDINATED_INTENT_WINDOW, Class::StrongIntent)
            .filter(|&intent| doc.same_sentence(intent, verb))
    }

    /// `jag ska ge dig stryk`, `vi kommer ge honom vad han förtjänar`: an
    /// intent, `ge`, a person and a beating. The first and last tokens.
    fn beating_given(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        if !doc.is(i, &["ge", "ger"]) {
            return None;
        }
        // `ge dig`, `ge den där politikern`
        let person = if doc.is(i + 1, Class::Awaited) {
            i + 1
        } else {
            self.person_object_after(i)?
        };
        // `en ordentlig omgång`: an adjective before the beating.
        let last = if doc.is(person + 1, &["en", "ett"])
            && doc.is(person + 2, &["ordentlig", "rejäl", "riktig", "jävla"])
            && doc.is(person + 3, &["omgång", "snyting", "kula", "smäll"])
        {
            person + 3
        } else {
            person + doc.phrase_of(person + 1, Class::Punishments)?
        };
        let intent = doc
            .within_before(i, 3, Class::StrongIntent)
            .or_else(|| doc.within_before(i, 3, &["borde", "bör", "måste"]))?;
        (!doc.negated(intent, last) && doc.same_sentence(intent, last)).then_some((intent, last))
    }

    /// `jag ska krossa dig`, `ska klå upp dig`, `jag ska kasta dig från en
    /// bro`: an intent, a verb of force and the addressee (or a person),
    /// not at a game. The first and last tokens.
    fn force_on_person(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        let verb_end = if doc.phrase_at(i, &["ha", "sönder"]) {
            i + 1
        } else if doc.phrase_at(i, &["göra", "slut", "på"]) {
            i + 2
        } else if doc.is(i, Class::ForceOnPerson) {
            i
        } else {
            return None;
        };
        // `i morgon mosar jag dig`: the speaker between verb and object.
        let inverted = self.verb_second(i, verb_end + 1);
        let object = (verb_end + 1..=verb_end + 3)
            .take_while(|&j| doc.same_sentence(i, j))
            .take_while(|&j| {
                doc.is(j, Class::Awaited)
                    || doc.is(j, Class::ForceParticles)
                    || (inverted.is_some() && j == verb_end + 1)
            })
            .find(|&j| doc.is(j, Class::Awaited) && !doc.is(j, Class::FirstPerson))?;
        let intent = doc.within_before(i, 3, Class::StrongIntent).or(inverted)?;
        // `krossa er i finalen`, `döda dig med vänlighet`
        let at_game = doc.is(object + 1, &["i", "på"])
            && !doc.is(object + 2, Class::Body)
            && doc.same_sentence(object, object + 2);
        let idiom = doc.is(object + 1, &["med"]) && !doc.is(object + 2, &["en", "ett", "bilen"]);
        (!at_game && !idiom && !doc.negated(intent, object) && !doc.game_in_sentence(i))
            .then_some((intent, object))
    }

    /// `jag ska sätta en kniv i dig`, `stoppa kniven i magen på dig`: an
    /// intent, a verb of putting, a weapon or bullet and `i` + the
    /// addressee or a body part of theirs. The first and last tokens.
    fn weapon_put_in(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        if !doc.is(i, Class::Put) {
            return None;
        }
        let weapon = (i + 1..=i + 3)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| self.weapon_or_bullet(j))?;
        let weapon_end = self
            .role_at(weapon, &[Role::Weapon])
            .map_or(weapon, |h| h.last);
        if !doc.is(weapon_end + 1, &["i", "in"]) {
            return None;
        }
        let into = weapon_end + 2;
        let person = |t: usize| doc.is(t, Class::Awaited) || self.person_word(t);
        let last = if person(into) {
            into
        } else if doc.is(into, Class::Body) && doc.is(into + 1, &["på"]) && person(into + 2) {
            into + 2
        } else {
            return None;
        };
        // `… så sticker jag kniven i dig`, `i morgon sticker jag kniven i
        // magen på honom`: the present after a condition or a time is the
        // writer's promise.
        let intent = doc
            .within_before(i, 3, Class::StrongIntent)
            .or_else(|| self.verb_second(i, i + 1))?;
        (doc.same_sentence(intent, last) && !doc.negated(intent, last)).then_some((intent, last))
    }

    /// `kommer med kniven till ditt kontor`: a verb of coming, `med` + a
    /// weapon, then `till` + the addressee's place. The first and last
    /// tokens.
    fn armed_to_addressee(&self, weapon: &Hit<'_>) -> Option<(usize, usize)> {
        let doc = self.doc;
        let with = doc.within_before(weapon.first, 2, &["med"])?;
        let to = (weapon.last + 1..=weapon.last + 2)
            .take_while(|&j| doc.same_sentence(weapon.last, j))
            .find(|&j| doc.is(j, &["till"]))?;
        if !doc.is(to + 1, Class::Addressee) || !doc.same_sentence(to, to + 1) {
            return None;
        }
        let coming =
            doc.within_before(with, 4, &["kommer", "kmr", "åker", "går", "ska", "dyker"])?;
        (!doc.negated(coming, to + 1)).then_some((coming, to + 1))
    }

    /// `ska döda dig`, `kommer att skjuta dig i huvudet`: a sentence that
    /// opens with an intent and no subject, a verb of violence and the
    /// addressee (not a question). The last token.
    fn subjectless_threat(&self, verb: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let start = doc.sentence_tokens(verb.first).start;
        let opens = doc.is(start, Class::StrongIntent)
            && verb.first > start
            && verb.first <= start + 3
            && (start + 1..verb.first)
                .all(|j| doc.is(j, Class::Fillers) || doc.is(j, &["nog", "att"]));
        if !opens
            || verb.found.entry.confidence < Confidence::Probable
            || doc.sentence_mark(verb.first) == '?'
        {
            return None;
        }
        let object = doc.next_after_fillers(verb.last, 3, Class::SecondPersonObject)?;
        let benefactive = doc.is(object + 1, &["en", "ett"]);
        (!benefactive && !doc.negated(start, object)).then_some(object)
    }

    /// `du går inte härifrån levande`: the addressee, a negation and
    /// `levande` in one sentence. The last token.
    fn not_leaving_alive(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, Class::SecondPersonSubject) {
            return None;
        }
        let alive = (i + 1..=i + 6)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is(j, &["levande"]))?;
        (i + 1..alive)
            .any(|j| doc.is(j, &["inte", "aldrig", "ej"]))
            .then_some(alive)
    }

    /// `du kommer inte leva över helgen`, `ni ska inte överleva`: the
    /// addressee, a future modal, `inte` and a verb of surviving. The last
    /// token.
    fn not_surviving(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, Class::SecondPersonSubject) || !doc.is(i + 1, Class::FutureModals) {
            return None;
        }
        let not = (i + 2..=i + 3).find(|&j| doc.is(j, &["inte", "aldrig"]))?;
        let verb = (not + 1..=not + 2)
            .find(|&j| doc.is(j, &["leva", "överleva", "överlever"]))
            .filter(|&j| doc.same_sentence(i, j))?;
        // `du kommer inte leva på det`: a living, not a life.
        (!doc.is(verb + 1, &["på", "utan", "som", "med"])).then_some(verb)
    }

    /// `vi ska slå er i innebandyn`: `slå` + a person + `i`/`på` + anything
    /// but a body part is beating someone at a game.
    pub(super) fn beaten_at_a_game(&self, verb: &Hit<'_>) -> bool {
        self.beaten_at_a_game_at(verb.first, verb.last)
    }

    /// [`Self::beaten_at_a_game`] for the verb at `first` whose object is
    /// looked for after `last` (its particle, `slår jag ihjäl dig i schack`).
    fn beaten_at_a_game_at(&self, first: usize, last: usize) -> bool {
        let doc = self.doc;
        if !doc.is(first, &["slå", "slår"]) {
            return false;
        }
        let Some(object) = doc.next_after_fillers(last, 2, Class::Awaited) else {
            return false;
        };
        doc.is(object + 1, &["i", "på"])
            && doc.same_sentence(object, object + 2)
            && !doc.is(object + 2, Class::Body)
            && !doc.is(object + 2, Class::BlowTargets)
    }

    /// `den där domaren ska jag döda`: a person first in the sentence, then
    /// `ska jag` + a verb of violence with no object after it. The first
    /// token of the person.
    fn fronted_victim(&self, verb: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        if verb.first < 2
            || verb.found.entry.confidence < Confidence::Probable
            || !doc.is(verb.first - 1, Class::FirstPerson)
            || !doc.is(verb.first - 2, Class::StrongIntent)
            || !doc.same_sentence(verb.first - 2, verb.first)
            || self.person_object_after(verb.last).is_some()
            || doc
                .next_after_fillers(verb.last, 3, Class::SecondPersonObject)
                .is_some()
        {
            return None;
        }
        let start = doc.sentence_tokens(verb.first).start;
        let person = (start..(start + 4).min(verb.first - 2)).find(|&i| self.person_word(i))?;
        (!doc.negated(person, verb.last)).then_some(person)
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.olaga_hot.explicit_violence",
        category: Category::OlagaHot,
        trigger: "a verb of violence (role `violence`)",
        shape: "I/we + a strong intent (or present tense, also a verb joined by `och` to a first present verb: `jag hittar dig och slår ihjäl dig`, `i morgon hittar jag dig och dödar dig`) + the verb + you, also inverted after a time or condition",
        guards: "quotation, news, counter-speech, question, hypothetical, game, idiom (`med vänlighet`); negation removes it, and so does a possessive of something that is not the addressee (`döda ditt argument`, `slå ditt rekord`; not `din familj`, `ditt hus`)",
        strength: Strength::Obvious,
        reason: "Uttalat hot om grovt våld, i första person, riktat mot den som tilltalas",
        basis: BASIS_HOT,
        positive: "Nästa gång knivhugger jag dig",
        negative: "Nästa gång besöker jag dig",
    },
    RuleRow {
        id: "il.olaga_hot.in_context",
        category: Category::OlagaHot,
        trigger: "any obvious threat shape",
        shape: "an obvious shape with a guard",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "Hot om grovt våld",
        basis: BASIS_HOT,
        positive: "Jag ska döda dig, skrev han",
        negative: "Jag ska besöka dig, skrev han",
    },
    RuleRow {
        id: "il.olaga_hot.you_will_die",
        category: Category::OlagaHot,
        trigger: "a verb of violence or `dö`",
        shape: "you + a future modal + the verb; obvious with `ska`, review with `kommer` or the addressee's family",
        guards: "quotation, news, counter-speech, question, hypothetical; idioms (`dö av skratt`); negation",
        strength: Strength::Obvious,
        reason: "Dödshot mot den som tilltalas",
        basis: BASIS_HOT,
        positive: "Du ska dö",
        negative: "Du ska dö av skratt",
    },
    RuleRow {
        id: "il.olaga_hot.armed_visit",
        category: Category::OlagaHot,
        trigger: "a weapon (role `weapon`)",
        shape: "I/we + coming to you (`hem till dig`) + `med` + the weapon",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Obvious,
        reason: "Hot om att komma beväpnad till den som tilltalas",
        basis: BASIS_HOT,
        positive: "Jag kommer hem till dig med en kniv",
        negative: "Jag kommer hem till dig med en tårta",
    },
    RuleRow {
        id: "il.olaga_hot.armed_plan",
        category: Category::OlagaHot,
        trigger: "a weapon (role `weapon`)",
        shape: "the writer + bring_verbs within BRING_WINDOW before the weapon (or after it, put first) + `till` + armed_destinations within DESTINATION_WINDOW + plan_times in the sentence",
        guards: "quotation, news, counter-speech, question, hypothetical, game, laughter; negation; weapon_pastimes in the sentence (`till jakten`)",
        strength: Strength::Obvious,
        reason: "Säger sig ta med ett vapen till en plats där människor samlas, vid en angiven tid",
        basis: BASIS_HOT,
        positive: "Jag tar med pappas gevär till skolan på måndag",
        negative: "Jag tar med pappas gevär till jakten på måndag",
    },
    RuleRow {
        id: "il.olaga_hot.armed_visit_place",
        category: Category::OlagaHot,
        trigger: "a weapon",
        shape: "I/we + coming to a place or the addressee's place, or waiting outside a place + the weapon",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Säger sig komma beväpnad",
        basis: BASIS_HOT,
        positive: "Jag kommer till badhuset med en kniv",
        negative: "Jag kommer till badhuset med en handduk",
    },
    RuleRow {
        id: "il.olaga_hot.property",
        category: Category::OlagaHot,
        trigger: "an act of incitement (role `incitement`)",
        shape: "I/we + an intent + an act against the addressee's home or an institution",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Hot om att angripa",
        basis: BASIS_HOT,
        positive: "Jag ska bränna ner ditt hus",
        negative: "Jag ska måla om ditt hus",
    },
    RuleRow {
        id: "il.olaga_hot.phrase",
        category: Category::OlagaHot,
        trigger: "a listed threat phrase (role `threat_phrase`)",
        shape: "the phrase, not a whereabouts anchor",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Hotfull fras",
        basis: BASIS_HOT,
        positive: "Du är död om du visar dig här igen",
        negative: "Du är välkommen om du visar dig här igen",
    },
    RuleRow {
        id: "il.olaga_hot.wish",
        category: Category::OlagaHot,
        trigger: "a verb of violence, a death agent, an illness",
        shape: "a wish or promise (`hoppas`, `se till att`) with the person, harm not mourned (a passive after a modal is `il.olaga_hot.deserves_violence`)",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Önskan",
        basis: BASIS_HOT,
        positive: "Hoppas du dör i en brand",
        negative: "Hoppas du trivs i den nya lägenheten",
    },
    RuleRow {
        id: "il.olaga_hot.someone_should",
        category: Category::OlagaHot,
        trigger: "a verb of violence",
        shape: "a third party (`någon`, `folk`) + a modal + the verb + a person",
        guards: "quotation, news, counter-speech, question, hypothetical; a reflexive; negation",
        strength: Strength::Review,
        reason: "Önskan eller uppmaning att någon annan ska utöva grovt våld mot en person",
        basis: BASIS_HOT,
        positive: "Någon borde skjuta den där rektorn",
        negative: "Någon borde prata med den där rektorn",
    },
    RuleRow {
        id: "il.olaga_hot.weapon_use",
        category: Category::OlagaHot,
        trigger: "a weapon (role `weapon`) after `har`/`äger` and the writer",
        shape: "the writer holds a weapon and, in that sentence or the next, an intent + a verb of use_verbs + `den`/`det`/a weapon + `på` + a person",
        guards: "quotation, news, counter-speech, question, hypothetical, game; negation",
        strength: Strength::Obvious,
        reason: "Skribenten säger sig ha ett vapen och hotar att använda det mot en person",
        basis: BASIS_HOT,
        positive: "Jag har en kniv och jag ska använda den på dig.",
        negative: "Jag har en borrmaskin och tänker använda den på väggen imorgon",
    },
    RuleRow {
        id: "il.olaga_hot.whereabouts_threat",
        category: Category::OlagaHot,
        trigger: "a threat to a life or body found by another rule (review)",
        shape: "the threat (a verb of violence, a weapon, a verb of dying or a word of staying alive in its span) and, elsewhere in the comment, the writer knowing where a person lives or is (`vet var du bor`, `vet när du slutar`, `har sparat din adress`, `utanför ditt hus`)",
        guards: "the threat's own guards, and the quotation, news, counter-speech, question, hypothetical and game guards on the claim; negation (`jag vet inte var du bor`)",
        strength: Strength::Obvious,
        reason: "Hot om våld mot en person, och skribenten säger sig veta var personen bor eller finns",
        basis: BASIS_HOT,
        positive: "Jag vet var du bor. Du kommer inte hem levande.",
        negative: "Jag vet var du bor, så jag kommer förbi med tårta på lördag!",
    },
    RuleRow {
        id: "il.olaga_hot.veiled",
        category: Category::OlagaHot,
        trigger: "whereabouts, pity, a looming time, survival denied, protection advised",
        shape: "the writer knows where a person is, a pity clause, what awaits a person, an everyday verb with a looming time, the home after `förbi`, survival denied",
        guards: "quotation, news, counter-speech, question, hypothetical, game; negation",
        strength: Strength::Review,
        reason: "Kan vara ett förtäckt hot",
        basis: BASIS_HOT,
        positive: "Du kommer inte överleva helgen",
        negative: "Du kommer inte ångra helgen",
    },
    RuleRow {
        id: "il.olaga_hot.injury",
        category: Category::OlagaHot,
        trigger: "a body part, a verb of force, a beating",
        shape: "a future modal + `få` + a body part + an injury; an intent (also the verb second after a fronted time, an imperative, or the intent before `och` within COORDINATED_INTENT_WINDOW) + force + the addressee's or a person's body (`nacken på dig`, `käken på den där journalisten`, OWNER_POINTERS_MAX pointing words) or the addressee",
        guards: "quotation, news, counter-speech, question, hypothetical, game; negation",
        strength: Strength::Review,
        reason: "Hot om att",
        basis: BASIS_HOT,
        positive: "Jag ska krossa din skalle",
        negative: "Jag ska klippa ditt hår",
    },
    RuleRow {
        id: "il.olaga_hot.no_subject",
        category: Category::OlagaHot,
        trigger: "a verb of violence",
        shape: "a sentence opening with an intent, without the speaker, + the verb + you",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Hot om grovt våld där skribenten utelämnat sig själv som subjekt",
        basis: BASIS_HOT,
        positive: "Ska döda dig",
        negative: "Ska ringa dig",
    },
    RuleRow {
        id: "il.olaga_hot.third_person",
        category: Category::OlagaHot,
        trigger: "a verb of violence",
        shape: "I/we + an intent + the verb + a third person, or the person first",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Uttalat hot om grovt våld mot en tredje person",
        basis: BASIS_HOT,
        positive: "Jag ska knivhugga den där handläggaren",
        negative: "Jag ska anmäla den där handläggaren",
    },
];
