//! Arson with people inside (issue 15). Setting fire to a building is a
//! crime against property, and the uppvigling rules send a call to it to
//! review. Setting fire to it while people are inside is a call or a
//! threat to burn them, which the policy calls obvious: `bränn ner
//! förskolan medan de är där`, `vi ska bränna ner ditt hus med dig i`,
//! `tänd på moskén under fredagsbönen`, `sätt eld på kyrkan och lås
//! dörrarna`.
//!
//! | rule | shape | strength |
//! |---|---|---|
//! | `il.olaga_hot.burned_inside` | a word of arson ([`Class::ArsonVerbs`] `bränn`, `tänd` with their particle, the subject between them after a fronted clause: `i natt tänder vi på`; [`Class::ArsonMeans`] `eld`, `molotov`, `bensin`) said as intent, at people (also put first: `Honom ska vi sätta eld på`), at a home people live or sleep in ([`Class::Dwellings`]: `tänd eld på flyktingboendet`, `era tält`), or with people kept inside in its sentence: `med`/`och` + people + `i`/`inne` (`med dig i`, `med alla svartingar i`, `med politikerna inne`); doors barred (`lås dörrarna`); `medan`/`när` + people present (`medan de är där`, `när de sover`); `under` + a gathering (`under fredagsbönen`); none let out (`låt ingen komma ut`) | obvious for an imperative or the writer's own intent (`vi ska`, `jag kommer att`); review for a modal with anyone else (`någon borde`) |
//! | `il.hets_mot_folkgrupp.worship_attacked` | a word of arson said as intent (as above) at a protected group's house of worship ([`Class::HousesOfWorship`]: `bränn ner moskén`, `vi tänder på synagogan`), with or without people named inside | obvious for an imperative or the writer's own intent; review for a modal with anyone else |
//! | `il.olaga_hot.destruction_promised` | the writer's own intent (`jag spränger`, `vi ska bränna ner`, `kommer spränga` with the `jag` dropped) to burn or blow up ([`Class::ExplosiveVerbs`] `spränga`, `bomba`) a building, a workplace or the addressee's home or property (`ditt hus`, `din valstuga`, `ditt fönster`): `jag spränger skolan i morgon`, `vi tänder eld på ditt hus`, `jag bränner ert hus` (`bränna` needs no particle before a place) | obvious: the place endangers whoever is in it, named or not |
//!
//! Guards: those of every shape of `aimed.rs` (a quotation, news,
//! counter-speech, a question or a game gives no finding; a hypothetical
//! or laughter makes it review); negation; the past tense (a report, for
//! the depiction rules); a figurative object (`spränga budgeten`). A call
//! to burn a building without people inside (`bränn ner kommunhuset`) is
//! left to the uppvigling rules (but not a house of worship: burning it is
//! aimed at its group), and `tänd på grillen när gästerna kommer`
//! is no arson.

use super::aimed::{OBJECT_WINDOW, Shape};
use super::hot::past_tense;
use super::*;
use crate::classify::lexicon::INVERTED_SUBJECTS;

/// What a word of arson is aimed at.
enum Burned {
    /// People themselves (`eld på honom`).
    People(usize),
    /// A building (`bränn ner förskolan`).
    Building(usize),
}

/// How many tokens before the word of arson its verb may stand (`sätt
/// eld`, `kasta en molotov`).
pub(super) const ARSON_VERB_WINDOW: usize = 2;
/// How many tokens after `med`/`och` the people kept inside may stand
/// (`med hela familjen inne`).
pub(super) const PEOPLE_WINDOW: usize = 3;
/// How many tokens after a possessive the owned noun may stand (`din
/// lilla dotter`).
pub(super) const OWNED_NOUN_WINDOW: usize = 2;
/// How many tokens after `medan`/`när` the sign of presence may stand
/// (`när alla elever är där`).
pub(super) const PRESENCE_WINDOW: usize = 4;

impl Rules<'_, '_> {
    /// `Bränn ner förskolan medan de är där`, `tänd eld på honom`: a word
    /// of arson said as intent, aimed at people, or at a building with
    /// people inside (see the module documentation).
    pub(super) fn burned_inside(&self, arson: usize) -> Option<Shape> {
        let doc = self.doc;
        let target = self.arson_target(arson)?;
        // The writer after its modal is not the verb (`I natt ska vi sätta
        // eld på …`: the window starts at `vi`).
        let writer_after_modal = |v: usize| {
            doc.is(v, Class::FirstPerson)
                && v > 0
                && (doc.is(v - 1, Class::FutureModals) || doc.is(v - 1, Class::GroupModals))
        };
        let verb = (arson.saturating_sub(ARSON_VERB_WINDOW)..=arson)
            .filter(|&v| doc.same_sentence(v, arson) && !writer_after_modal(v))
            .find(|&v| self.said_as_intent(v) && !past_tense(doc.word(v)))?;
        if let Burned::Building(b) = target
            && doc.is(b, Class::HousesOfWorship)
        {
            return self.worship_attacked(verb, arson, b);
        }
        let inside = match target {
            Burned::People(people) => people,
            // A home people live in (`flyktingboendet`) has them inside.
            Burned::Building(b) if self.dwelling(b) => b,
            Burned::Building(_) => doc
                .sentence_tokens(arson)
                .find(|&t| self.people_inside(t))?,
        };
        if doc.negated(verb, arson) {
            return None;
        }
        let strength = self.intent_strength(verb, false);
        let (Burned::People(at) | Burned::Building(at)) = target;
        Some(Shape {
            strength,
            ..Shape::of(
                row!("il.olaga_hot.burned_inside"),
                verb.min(inside),
                arson.max(inside).max(at),
            )
        })
    }

    /// Obvious for an imperative or the writer's own intent, unless
    /// `someone_else` is to do it; else review (`någon borde`).
    fn intent_strength(&self, verb: usize, someone_else: bool) -> Strength {
        if !someone_else && (self.doc.imperative(verb) || self.writer_intends(verb)) {
            Strength::Obvious
        } else {
            Strength::Review
        }
    }

    /// `Bränn ner moskén`, `vi tänder på synagogan i natt`: a call or the
    /// writer's promise to burn the house of worship of a protected group
    /// is violence at the group, whoever is inside; a modal with anyone
    /// else (`någon borde`) is review.
    fn worship_attacked(&self, verb: usize, arson: usize, house: usize) -> Option<Shape> {
        let doc = self.doc;
        if doc.negated(verb, arson.max(house)) {
            return None;
        }
        // `Någon borde bränna ner …`: the window before the word of arson
        // may start at the third party itself.
        let someone_else = doc
            .sentence_tokens(arson)
            .any(|t| t < arson && doc.is(t, Class::ThirdParty));
        Some(Shape {
            strength: self.intent_strength(verb, someone_else),
            ..Shape::of(
                row!("il.hets_mot_folkgrupp.worship_attacked"),
                verb,
                arson.max(house),
            )
        })
    }

    /// `Vi tänder eld på ditt hus`, `jag spränger skolan i morgon`, `jag
    /// ska bomba ditt kontor`, `jag kommer kasta en molotov genom ditt
    /// fönster`: the writer's own promise to burn or blow up a building, or
    /// the addressee's home or property. Blowing up or burning a place
    /// endangers whoever is in it, so the promise is a threat even with
    /// nobody named inside; a call to do it (`bränn ner kommunhuset`) is
    /// left to the uppvigling rules.
    pub(super) fn destruction_promised(&self, word: usize) -> Option<Shape> {
        let doc = self.doc;
        let target = if doc.is(word, Class::ExplosiveVerbs) {
            self.blown_up(word)?
        } else if doc.is(word, Class::ArsonMeans) && !doc.is(word + 1, &["på"]) {
            doc.sentence_tokens(word)
                .find(|&t| t > word && self.place_destroyed(t))?
        } else {
            match self.arson_target(word) {
                Some(Burned::Building(at)) => at,
                Some(Burned::People(_)) => return None,
                // `bränna ner din valstuga`: property is no building.
                None if doc.is(word, Class::ArsonVerbs)
                    && doc.is(word + 1, &["ner", "ned", "upp"]) =>
                {
                    self.blown_up(word + 1)?
                }
                // `jag bränner ert hus`: burning takes the place as its
                // object without a particle (`tänd` does not).
                None if doc.is(word, &["bränn", "bränna", "bränner"]) => self.blown_up(word)?,
                None => return None,
            }
        };
        let verb = (word.saturating_sub(ARSON_VERB_WINDOW)..=word)
            .filter(|&v| doc.same_sentence(v, word))
            .find(|&v| self.promised_by_writer(v) && !past_tense(doc.word(v)))?;
        if doc.negated(verb, target) {
            return None;
        }
        Some(Shape::of(
            row!("il.olaga_hot.destruction_promised"),
            verb.min(target),
            word.max(target),
        ))
    }

    /// The writer promises the act at `verb` (see [`Self::writer_intends`]),
    /// also without naming themselves: a sentence that opens with a future
    /// modal right before the verb has dropped its `jag` (`kommer spränga
    /// hela stadshuset`, `ska bränna ner din villa`).
    fn promised_by_writer(&self, verb: usize) -> bool {
        let doc = self.doc;
        let opening_modal = (1..=2).any(|back| {
            verb >= back
                && doc.clause_start(verb - back)
                && doc.is(verb - back, Class::FutureModals)
                && (back == 1 || doc.is(verb - 1, &["att"]))
        });
        self.writer_intends(verb) || opening_modal
    }

    /// What follows a possessive of the addressee (`ditt huvud`, `din
    /// familj`, `ditt hus`) is something violence to is violence to them,
    /// or a place whose destruction is a threat; `ditt argument` and `din
    /// gamla soffa` are not. Adjectives may stand between (within
    /// [`OWNED_NOUN_WINDOW`]).
    pub(super) fn owned_target(&self, possessive: usize) -> bool {
        let doc = self.doc;
        (possessive + 1..=possessive + OWNED_NOUN_WINDOW)
            .take_while(|&t| doc.same_sentence(possessive, t))
            .any(|t| {
                let word = doc.word(t);
                doc.is_or_owned_in(t, Class::PossessedTargets)
                    // `din chef`, `din jävla kärring`: a person.
                    || self.person_at(t)
                    || self.place_destroyed(t)
                    // `era plogbilar`: a compound of property.
                    || (!word.is_empty() && doc.classes.ends_with_any(word, Class::Property))
            })
    }

    /// The place a verb of blowing up takes as its object, within
    /// [`OBJECT_WINDOW`] tokens after determiners and `hela` (`spränger
    /// hela stadshuset`): not a figurative one (`spränga budgeten`).
    fn blown_up(&self, verb: usize) -> Option<usize> {
        let doc = self.doc;
        if past_tense(doc.word(verb)) {
            return None;
        }
        (verb + 1..=verb + OBJECT_WINDOW)
            .take_while(|&t| doc.same_sentence(verb, t))
            .find(|&t| {
                !doc.is(t, Class::Determiners)
                    && !doc.is(t, Class::OthersPossessive)
                    && !doc.is(t, &["hela", "upp", "sönder"])
            })
            .filter(|&t| self.place_destroyed(t) && !doc.is_or_owned_in(t, Class::IdiomObjects))
    }

    /// A place whose destruction endangers people or ruins the addressee:
    /// a building (`stadshuset`, `flyktingboendet`), a workplace (`ditt
    /// kontor`), or the home or property of the addressee or a person
    /// (`ditt hus`, `din bil`, `fönstret hos socialsekreteraren`).
    fn place_destroyed(&self, t: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(t);
        let property = doc.is(t, Class::Home) || doc.is_or_owned_in(t, Class::Property);
        // `ditt hus`, `fönstret hos den där socialsekreteraren`.
        let owned_by_a_person = (t > 0 && doc.is(t - 1, Class::OthersPossessive))
            || (doc.is(t + 1, &["hos"])
                && (t + 2..=t + 4)
                    .take_while(|&p| doc.same_sentence(t, p))
                    .any(|p| self.person_at(p)));
        self.building(t)
            || (!word.is_empty() && doc.classes.ends_with_any(word, Class::WorkplaceWords))
            || (owned_by_a_person && property)
    }

    /// What is set on fire. A verb of burning ([`Class::ArsonVerbs`]) must
    /// be followed by its particle (`bränn ner`, `tänd på`, `tända eld`:
    /// not `tänd ljusen`), fire by `på` (`eld på`), and then, within
    /// [`OBJECT_WINDOW`] tokens and before any preposition, comes
    /// a building or a person (`tänd på moskén`, `eld på honom`; not `tänd
    /// på brasan i stugan`, `tänd på brasan åt honom`). Other means of arson ([`Class::ArsonMeans`]:
    /// `bensin`, `molotov`) need a building anywhere in their sentence
    /// (`ta med bensin till flyktingboendet`).
    fn arson_target(&self, arson: usize) -> Option<Burned> {
        let doc = self.doc;
        if past_tense(doc.word(arson)) {
            return None;
        }
        let means = doc.is(arson, Class::ArsonMeans);
        let particle = if means && doc.is(arson + 1, &["på"]) {
            arson + 1
        } else if means {
            return doc
                .sentence_tokens(arson)
                .find(|&t| self.building(t))
                .map(Burned::Building);
        } else if doc.is(arson, Class::ArsonVerbs) {
            // `i natt tänder vi på ditt hus`: after a fronted clause the
            // subject stands between the verb and its particle.
            let verb = arson + usize::from(doc.is(arson + 1, INVERTED_SUBJECTS));
            if !doc.is(verb + 1, &["ner", "ned", "upp", "på", "eld"]) {
                return None;
            }
            verb + 1 + usize::from(doc.is(verb + 2, &["på"]))
        } else {
            return None;
        };
        let sentence_ends = !doc.same_sentence(particle, particle + 1);
        let clause_ends =
            sentence_ends || doc.is(particle + 1, &["och", "o", "allihop", "allesammans"]);
        if clause_ends && let Some(people) = self.fronted_object(arson) {
            return Some(Burned::People(people));
        }
        // `… moskén under fredagsbönen och tänd på.`: the object named
        // before a particle that ends the sentence.
        if sentence_ends {
            return doc
                .sentence_tokens(arson)
                .take_while(|&t| t < arson)
                .find(|&t| self.building(t))
                .map(Burned::Building);
        }
        (particle + 1..=particle + OBJECT_WINDOW)
            .take_while(|&t| doc.same_sentence(arson, t))
            .take_while(|&t| !doc.is(t, Class::PlacePrepositions))
            .find_map(|t| {
                // `samla löven och sätt eld på dem`: `dem` may be things;
                // `ditt hus`: a possessive says whose, not whom.
                let person = self.person_at(t)
                    && !doc.is(t, &["dem", "dom", "de", "den", "det"])
                    && !doc.is(t, Class::OthersPossessive);
                if self.building(t) {
                    Some(Burned::Building(t))
                } else if person || self.role_at(t, &[Role::Group, Role::Slur]).is_some() {
                    Some(Burned::People(t))
                } else {
                    None
                }
            })
    }

    /// `Zigenarna ska vi sätta eld på`, `Honom borde man hälla bensin på`,
    /// `Kuratorn som anmälde oss kommer jag att döda`: a group, a slur or a
    /// person before a modal and its subject (`ska vi`, `borde man`) in the
    /// sentence of the word of arson or violence at `verb`, the object put
    /// first (Swedish puts one part before the finite verb, and the
    /// subject after it then). A subject pronoun cannot be the object.
    /// Also the target of the evidence rules (`evidence.rs`).
    pub(super) fn fronted_object(&self, verb: usize) -> Option<usize> {
        let doc = self.doc;
        let before = || doc.sentence_tokens(verb).take_while(move |&t| t < verb);
        let modal = before().find(|&m| {
            (doc.is(m, Class::GroupModals) || doc.is(m, Class::FutureModals))
                && doc.is(m + 1, &["vi", "man", "jag", "ni"])
        })?;
        before().take_while(|&t| t < modal).find(|&t| {
            self.role_at(t, &[Role::Group, Role::Slur]).is_some()
                || (self.person_at(t) && !doc.is(t, Class::Subjects))
        })
    }

    /// A building people are in: a home, a school, a house of worship, an
    /// institution, a dwelling (also the tail of a compound:
    /// `flyktingboendet`).
    fn building(&self, t: usize) -> bool {
        let word = self.doc.word(t);
        !word.is_empty()
            && (self.doc.classes.ends_with_any(word, Class::Buildings)
                || self.doc.is_authority(t)
                || self.dwelling(t))
    }

    /// A building people live and sleep in (class `dwellings`, also as a
    /// compound's tail: `asylboendet`, `HVB-hemmet`).
    fn dwelling(&self, t: usize) -> bool {
        let word = self.doc.word(t);
        !word.is_empty() && self.doc.classes.ends_with_any(word, Class::Dwellings)
    }

    /// The writer (`jag`, `vi`) says the act is theirs: next to the verb
    /// (`vi tänder`, `ska vi sätta`) or to a modal before it (`vi kommer
    /// att bränna`, `jag kommer hitta din adress och bränna ner`).
    fn writer_intends(&self, verb: usize) -> bool {
        let doc = self.doc;
        // The window may take the writer's own word as the verb (`vi` in
        // `ska vi sätta eld`); it does not count again beside the modal.
        let writer_beside_modal = |m: usize| {
            [m.wrapping_sub(1), m + 1]
                .into_iter()
                .any(|p| p != verb && doc.is(p, Class::FirstPerson) && doc.same_sentence(p, m))
        };
        doc.writer_beside(verb)
            || doc
                .sentence_tokens(verb)
                .take_while(|&m| m < verb)
                .any(|m| {
                    (doc.is(m, Class::FutureModals) || doc.is(m, Class::StrongIntent))
                        && writer_beside_modal(m)
                })
    }

    /// Token `t` begins a sign that people are inside (see the module
    /// documentation).
    fn people_inside(&self, t: usize) -> bool {
        let doc = self.doc;
        let within = |from: usize, window: usize, found: &dyn Fn(usize) -> bool| {
            (from + 1..=from + window)
                .take_while(|&i| doc.same_sentence(from, i))
                .any(found)
        };
        let kept = doc.is(t, &["med", "och"])
            && within(t, PEOPLE_WINDOW, &|p| {
                self.people_word(p) && doc.is(p + 1, Class::Inside) && doc.same_sentence(p, p + 1)
            });
        let barred = doc.is(t, Class::Barring) && within(t, 2, &|d| doc.is(d, Class::Exits));
        // Not `när ingen är hemma`: nobody inside.
        let present = doc.is(t, &["medan", "när"])
            && within(t, PRESENCE_WINDOW, &|p| doc.is(p, Class::Present))
            && !within(t, PRESENCE_WINDOW, &|n| doc.is(n, Class::Negation));
        let gathered = doc.is(t, &["under"])
            && within(t, 1, &|g| {
                let word = doc.word(g);
                !word.is_empty() && doc.classes.ends_with_any(word, Class::Gatherings)
            });
        let none_out = doc.is(t, &["ingen"])
            && within(t, 3, &|o| doc.is(o, &["ut"]) && !doc.is(o - 1, &["ingen"]));
        kept || barred || present || gathered || none_out
    }

    /// People who can be inside: a pronoun, a name, a role, a group or
    /// people counted (`alla`, `familjen`).
    fn people_word(&self, p: usize) -> bool {
        self.person_at(p)
            || self.role_at(p, &[Role::Group, Role::Slur]).is_some()
            || self.doc.is(p, Class::Occupants)
    }
}

/// The rules of this file (see [`table`]).
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.olaga_hot.burned_inside",
        category: Category::OlagaHot,
        trigger: "a word of arson (classes `arson_verbs`, `arson_means`)",
        shape: "said as intent (a verb within ARSON_VERB_WINDOW: an imperative, the writer, a modal), aimed at a building or a person within OBJECT_WINDOW (or put first, before a modal and its subject, when the particle ends the clause: `Zigenarna ska vi sätta eld på`), with people inside: a dwelling (`dwellings`: `flyktingboendet`), or in its sentence `med`/`och` + people within PEOPLE_WINDOW + `i`/`inne`, doors barred, `medan`/`när` + presence within PRESENCE_WINDOW, `under` + a gathering, `ingen … ut`",
        guards: "the past tense; negation; the common guards",
        strength: Strength::Obvious,
        reason: "Hot om eller uppmaning till att bränna en byggnad med människor i",
        basis: BASIS_HOT,
        positive: "Bränn ner förskolan medan de är där",
        negative: "Tänd på grillen när gästerna kommer",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.worship_attacked",
        category: Category::HetsMotFolkgrupp,
        trigger: "a word of arson (classes `arson_verbs`, `arson_means`)",
        shape: "said as intent (as `il.olaga_hot.burned_inside`), aimed at a house of worship of a protected group (`houses_of_worship`: `moskén`, `synagogan`), with or without people named inside",
        guards: "the past tense; negation; the common guards",
        strength: Strength::Obvious,
        reason: "Uppmaning till eller hot om att bränna en skyddad folkgrupps gudstjänstlokal",
        basis: BASIS_HETS,
        positive: "Bränn ner moskén i natt",
        negative: "Moskén brann ner i natt, vidrigt",
    },
    RuleRow {
        id: "il.olaga_hot.destruction_promised",
        category: Category::OlagaHot,
        trigger: "a word of arson (classes `arson_verbs`, `arson_means`) or of blowing up (`explosive_verbs`)",
        shape: "the writer's own intent (the writer beside the verb, or beside a modal before it; the present tense is a promise: `jag spränger`), aimed at a building (`buildings`, `authority_targets`, `workplace_words`, also as a compound's tail) or the addressee's home or property (`ditt hus`, `din bil`), the object of a verb of blowing up within OBJECT_WINDOW, of a verb of burning after its particle, or anywhere after a means of arson",
        guards: "the past tense; negation; a figurative object (`idiom_objects`: `spränga budgeten`); the common guards",
        strength: Strength::Obvious,
        reason: "Hot om att bränna eller spränga en byggnad eller mottagarens hem eller egendom",
        basis: BASIS_HOT,
        positive: "Vi tänder eld på ditt hus i kväll",
        negative: "Jag spränger budgeten i år",
    },
];
