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
//! - Damage verbs (`krossa`, `hacka`, `förstöra`, role `damage`) are a
//!   call to crime only with a concrete object right after them: a
//!   building, a vehicle, cameras, a website (`krossa kamerorna`, `hacka
//!   stadens hemsida`), never `krossa motståndet`.
//! - An order to arm or go armed (`ta med vapen`, `ta era järnrör`, `gå
//!   dit med facklor`) is a call to crime: probable.
//!
//! A call is an imperative or collective call as above (obvious only
//! there); for review also a call that stands in an imperative sentence
//! (`gå in på socialkontoret och ta tillbaka barnen med våld`), an
//! addressed `alla` before a bare verb (`alla i Rinkeby, kasta …`), a plan
//! with `vi` after the verb (`fredag natt krossar vi kamerorna`), or
//! `någon borde`. A verb in the past tense (`vi stormade in`) is no call.
//!
//! Quotation, news, counter-speech, questions, games, a sentence opening
//! with `att` (`Att storma riksdagen är olagligt`) and figurative objects
//! (`attackera problemet`, `sätta eld på dansgolvet`) give no finding.

use super::*;

/// Imperatives that lead a call and its act (`gå in på … och ta`, `möt
/// upp … och`): an act later in their sentence is called for.
const LEADING_IMPERATIVES: &[&str] = &[
    "gå", "kom", "ta", "gör", "åk", "spring", "samlas", "möt", "ställ", "sätt", "håll", "hämta",
    "res", "dra", "hitta", "ockupera", "storma", "starta",
];
/// Things whose damage is a crime: vehicles, cameras, windows, shops,
/// websites; also the tail of a compound (`fartkamerorna`,
/// `skyltfönstren`).
const PROPERTY: &[&str] = &[
    "kamerorna",
    "kameror",
    "kameran",
    "rutorna",
    "rutor",
    "fönstren",
    "fönster",
    "bilarna",
    "bilar",
    "bilen",
    "bussarna",
    "bussen",
    "däcken",
    "butikerna",
    "butiker",
    "affärerna",
    "affärer",
    "hemsida",
    "hemsidan",
    "sajten",
    "servrarna",
    "systemet",
    "lokalerna",
    "lokalen",
    "kontoret",
    "kontoren",
    "stationen",
    "kuren",
    "valstugan",
    "valstugorna",
    "maskinerna",
    "grävmaskinerna",
    "stängslet",
    "staketet",
    "stan",
    "valsedlarna",
    "valsedlar",
    "vallokalen",
    "valurnan",
    "skyltarna",
    "ledningarna",
    "kablarna",
    "rälsen",
    "spåren",
    "signalerna",
    "laddstolparna",
    "byggnaden",
    "dörrarna",
    "datorerna",
    "servern",
    "villor",
    "villorna",
    "hållplatser",
    "hållplatserna",
    "master",
    "masterna",
    "trafikljusen",
    "cyklarna",
];

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
        let acts = self.hits.iter().filter(|h| match h.role() {
            Role::Incitement | Role::Violence | Role::Damage => true,
            // `kör över demonstranterna`: an attack verb of a terror call.
            Role::TerrorCall => self.doc.is(h.first, &["kör", "köra", "meja"]),
            Role::Weapon => self.armed_call(h),
            _ => false,
        });
        for act in acts {
            if let Some(verdict) = self.uppvigling_verdict(act) {
                out.push(verdict.0.at(self.doc.span(act.first, verdict.1)));
            }
        }
        for act in self.with_role(Role::Violence) {
            if let Some(target) = self.officials_deserve(act) {
                out.push(
                    Verdict {
                        category: Category::Uppvigling,
                        confidence: Confidence::Probable,
                        rule: "il.uppvigling.violence_against_authority",
                        basis: BASIS_UPPVIGLING,
                        reason: "Kan vara en uppmaning till våld mot företrädare för samhället; \
                                 en person behöver bedöma."
                            .to_owned(),
                    }
                    .at(self.doc.span(target, act.last)),
                );
            }
        }
    }

    /// `poliserna borde skjutas`, `vakterna behöver bli nedslagna`: people
    /// who act for society + a modal + a passive verb of violence (or a
    /// participle after `bli`). Returns the first token of the people.
    fn officials_deserve(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        if act.found.entry.confidence < Confidence::Probable {
            return None;
        }
        let participle = doc.after_bli(act.first);
        if !(doc.word(act.last).ends_with('s') || participle) {
            return None;
        }
        let modal = doc.within_before(act.first, 3, GROUP_MODALS)?;
        let target = (modal.saturating_sub(4)..modal)
            .filter(|&i| doc.same_sentence(i, modal))
            .find(|&i| doc.is_person_target(i))?;
        let guarded = doc
            .threat_guard(target, act.last)
            .is_some_and(|g| g != Guard::Hypothetical);
        // `den som kastar sten på poliser borde straffas`: a listed act
        // named as the crime is no call.
        (!doc.negated(target, act.last) && !guarded && !doc.discussed(target)).then_some(target)
    }

    /// The verdict on one act and the last token of its shape.
    fn uppvigling_verdict(&self, act: &Hit<'_>) -> Option<(Verdict, usize)> {
        let doc = self.doc;
        let violence = act.role() == Role::Violence;
        // A verb of force listed as `probable` is violence when aimed at
        // people; `possible` acts (vägra, plundra) never are.
        // `kasta ut`, `deportera` (listed `possible`) are expulsion, not
        // force against a body.
        let forceful = (violence && act.found.entry.confidence >= Confidence::Probable)
            || act.role() == Role::TerrorCall
            || (act.role() == Role::Incitement
                && act.found.entry.confidence >= Confidence::Probable);
        let person = self.person_target_of(act);
        let armed =
            act.role() == Role::Weapon || (act.role() == Role::Incitement && self.armed_call(act));
        // A damage verb needs a concrete object right after it, or people
        // it is aimed at (`kasta ägg på politikerna`).
        let property = self.property_after(act.last);
        // Five tokens reach over a coordinated object: `kasta ägg och färg
        // på politikernas villor`.
        let aimed_at = (act.last + 1..=act.last + 5)
            .take_while(|&i| self.doc.same_sentence(i, act.last))
            .find(|&i| self.doc.is_person_target(i) || self.doc.is_authority(i));
        if act.role() == Role::Damage && property.is_none() && aimed_at.is_none() {
            return None;
        }
        let property = property.or(aimed_at.filter(|_| act.role() == Role::Damage));
        // `… utanför polishuset … och bränner det`: a violent verb whose
        // object is a pronoun takes an authority named in the sentence.
        let pronoun_object = doc.is(act.last + 1, &["det", "den", "dem", "dom"]);
        let place = doc.next_authority_after(act.last).or_else(|| {
            doc.sentence_tokens(act.first)
                .find(|&i| doc.is_authority(i) && (!violence || pronoun_object))
        });
        // A violent verb with no authority in sight belongs to threats and
        // hets, not to uppvigling.
        // `kör över kommunerna` is politics: running people over needs
        // people.
        if act.role() == Role::TerrorCall && person.is_none() {
            return None;
        }
        let place = place.or(property);
        if violence && person.is_none() && place.is_none() {
            return None;
        }
        // `vägra lämna`, not `vägra plast!`: refusing is a call to
        // disobey only with a verb after it.
        if doc.is(act.first, &["vägra"]) && act.first == act.last {
            let next = doc.word(act.first + 1);
            let verb = next.ends_with('a') || doc.is(act.first + 1, &["gå", "stå", "ta", "gör"]);
            if !verb || !doc.same_sentence(act.first, act.first + 1) {
                return None;
            }
        }
        let form = if armed {
            CallForm::Loose
        } else {
            self.call_form(act)?
        };
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
            (false, _, _) if violence && act.found.entry.confidence >= Confidence::Probable => (
                verdict(
                    Confidence::Probable,
                    "il.uppvigling.violence_against_authority",
                    "Uppmaning till våld mot en myndighet eller institution.",
                ),
                last,
            ),
            (false, _, _) if place.is_some() || person.is_some() || armed => (
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

    /// A concrete object within three tokens after `after`, skipping
    /// determiners and fillers (`krossa alla kameror`, `hacka stadens
    /// hemsida`).
    fn property_after(&self, after: usize) -> Option<usize> {
        let doc = self.doc;
        (after + 1..=after + 3)
            .take_while(|&i| doc.same_sentence(i, after))
            .find(|&i| {
                let word = doc.word(i);
                !word.is_empty() && PROPERTY.iter().any(|p| word.ends_with(p))
            })
    }

    fn call_form(&self, act: &Hit<'_>) -> Option<CallForm> {
        let doc = self.doc;
        let word = doc.word(act.first);
        // `vi stormade in på mötet`: a report of what was done.
        if word.ends_with("ade") || word.ends_with("de") && !doc.is(act.first, &["bränn"]) {
            return None;
        }
        if doc.imperative(act.first) || doc.collective_call(act.first) {
            return Some(CallForm::Direct);
        }
        let sentence = doc.sentence_tokens(act.first);
        if self.looser_call(act, sentence.clone()) {
            return Some(CallForm::Loose);
        }
        let loose = (act.first.saturating_sub(3)..act.first)
            .filter(|&i| i >= sentence.start)
            .any(|i| doc.is(i, CALL_MARKERS) || doc.is(i, &["hoppas", "dags"]))
            // `vi river ner staketet`: a collective act of incitement.
            || (matches!(act.role(), Role::Incitement | Role::Damage)
                && act.first > sentence.start
                && doc.is(act.first - 1, &["vi"]));
        loose.then_some(CallForm::Loose)
    }

    /// Calls that are not an imperative at the act: an imperative
    /// sentence (`gå in på … och ta tillbaka barnen med våld`), an
    /// addressed `alla` before a bare verb (`alla i Rinkeby kasta …`), a
    /// plan with `vi` after the verb (`fredag natt krossar vi …`), and
    /// `någon borde`.
    fn looser_call(&self, act: &Hit<'_>, sentence: Range<usize>) -> bool {
        let doc = self.doc;
        let first = act.first;
        let imperative_sentence =
            (sentence.start..first).any(|i| doc.is(i, LEADING_IMPERATIVES) && doc.imperative(i));
        let addressed = imperative_form(doc.word(first))
            && doc.within_before(first, 3, &["alla", "allihop"]).is_some()
            && !doc.is(
                first.wrapping_sub(1),
                &["ska", "kan", "får", "måste", "vill"],
            );
        let planned = doc.is(first + 1, &["vi"])
            && doc.same_sentence(first, first + 1)
            && first > sentence.start;
        let someone_should = (sentence.start..first).any(|i| {
            doc.is(i, &["någon", "nån", "folk"]) && doc.is(i + 1, &["borde", "bör", "måste", "ska"])
        });
        imperative_sentence || addressed || planned || someone_should
    }

    /// `Om väktarna försöker …, slå tillbaka`: a call that depends on a
    /// condition.
    fn conditional(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(act.first);
        // `kör över dem om de blockerar vägen`: a condition clause after
        // the call, `om` + a subject.
        let condition_after = sentence.clone().any(|i| {
            doc.is(i, &["om", "ifall"]) && (doc.is(i + 1, SUBJECTS) || doc.is_person_target(i + 1))
        });
        doc.is(sentence.start, &["om", "ifall", "när"])
            || doc.phrase_in_sentence(act.first, &["om", "det", "behövs"])
            || condition_after
    }
}
