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
//! - A strike at an institution (`slå till mot kommunhuset`, listed for
//!   terror calls) is a call to crime with the institution as target.
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
//! Counter-speech words that only label the target (`slå ihjäl väktarna,
//! dom e bara nazister`) are no guard.
//!
//! People found outside the act's window make a call review, never
//! obvious: a pronoun right after the act standing for people named in
//! the sentence before, or first in the sentence after (`mörda dem.
//! Lärarna som …`), or people first in the sentence before `borde vi`
//! (`poliserna … borde vi stena allihop`).
//!
//! Built from the parts of the offence (`uppvigling_from_parts`, review
//! only):
//!
//! | rule | shape |
//! |---|---|
//! | `.violence_against_authority` | an imperative, people who act for society and a weapon after `med` (`ta hand om kontrollanterna … med basebollträn`), or a weapon taken `till`/`mot` a target (`ta en kofot till skolans fönster`, `ta fram facklorna och marschera mot rådhuset`); `gå på`/`ge er på`/`hämnas på` + people or an institution; `ge` + people + a punishment (`ge polisen vad de förtjänar`); none to leave alive (`se till att ingen polis kommer ut levande`) |
//! | `.call_to_crime` (probable) | defiance of a barrier or ban (`strunta i avspärrningarna`); emergency services kept away (`ställ bilar … så brandkåren inte kommer fram`, `lägg spikmattor … när polisen kommer`) |
//! | `.call_to_crime` (possible) | dues refused (`sluta betala skatt`, disobedience without a target); a veiled call to readers (`Ni vet vad som ska göras.`, `Ni fattar.`, `den som hittar en väktare vet vad den ska göra`) after or with a target, an act or a condition; a veiled show of force (`visa snuten vem som bestämmer`); a pity clause about a building and an act (`vore tråkigt om skolan brann ner`); an official visited at home (`hälsa på handläggaren hemma`); readiness for unrest (`blir det krig på gatorna. Var beredda.`) |

use super::*;

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
            // `slå till mot kommunhuset`: a strike at an institution.
            Role::TerrorCall => self.doc.is(h.first, &["kör", "köra", "meja", "slå"]),
            Role::Weapon => self.armed_call(h),
            _ => false,
        });
        for act in acts {
            if let Some(verdict) = self.uppvigling_verdict(act) {
                out.push(verdict.0.at(self.doc.span(act.first, verdict.1)));
            }
        }
        self.uppvigling_from_parts(out);
        for act in self.with_role(Role::Violence) {
            if let Some(target) = self.officials_deserve(act) {
                out.push(
                    Verdict::said(
                        row!("il.uppvigling.violence_against_authority"),
                        Confidence::Probable,
                        Said::After(" mot företrädare för samhället; en person behöver bedöma."),
                    )
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
        let modal = doc.within_before(act.first, 3, Class::GroupModals)?;
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
        // People named in the sentence before or after (`fixa läraren.
        // slå sönder honom`), or before `borde vi` (`poliserna … borde vi
        // stena`): found by a looser reading, so never obvious.
        let near_person = self.person_target_of(act);
        let elsewhere = near_person
            .is_none()
            .then(|| self.person_elsewhere(act))
            .flatten();
        let person = near_person.or(elsewhere);
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
        let strike = act.role() == Role::TerrorCall && doc.is(act.first, &["slå"]);
        if act.role() == Role::TerrorCall && person.is_none() && !(strike && place.is_some()) {
            return None;
        }
        // `skickas tillbaka över bron`: a verb of expulsion (listed
        // `possible`) against a thing is no call.
        if violence
            && act.found.entry.confidence < Confidence::Probable
            && person.is_none()
            && place.is_none()
        {
            return None;
        }
        // `hota med att stänga …`: a threat needs people as its object.
        if doc.is(act.first, &["hota"]) && person.is_none() {
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
        let guard = self.uppvigling_guard(act.first, act.last);
        let conditional = guard == Some(Guard::Hypothetical) || self.conditional(act);
        if guard.is_some() && !conditional {
            return None;
        }
        let last = person.or(place).unwrap_or(act.last).max(act.last);
        let verdict = |confidence, rule, reason: Said<'_>| Verdict::said(rule, confidence, reason);
        // The people the call is aimed at, as the reason quotes them.
        let target = person
            .and_then(|p| doc.quoted_role(p))
            .map(|t| format!(", {t}"))
            .unwrap_or_default();
        let loose = conditional || elsewhere.is_some();
        Some(match (forceful && person.is_some(), form, loose) {
            (true, CallForm::Direct, false) => (
                verdict(
                    Confidence::Obvious,
                    row!("il.uppvigling.violence_against_persons"),
                    Said::After(&format!("{target}.")),
                ),
                last,
            ),
            (true, _, _) => (
                verdict(
                    Confidence::Probable,
                    row!("il.uppvigling.violence_against_authority"),
                    Said::After(&format!(
                        " mot företrädare för samhället{target}; en person behöver bedöma."
                    )),
                ),
                last,
            ),
            (false, _, _) if violence && act.found.entry.confidence >= Confidence::Probable => (
                verdict(
                    Confidence::Probable,
                    row!("il.uppvigling.violence_against_authority"),
                    Said::After(" mot en myndighet eller institution."),
                ),
                last,
            ),
            (false, _, _) if place.is_some() || person.is_some() || armed => (
                verdict(
                    Confidence::Probable,
                    row!("il.uppvigling.call_to_crime"),
                    Said::After(" eller angrepp mot en myndighet eller institution."),
                ),
                last,
            ),
            // `Jag ska slå sönder dig`: the writer's own act, with no target
            // a call names, is theirs to answer for (the threat rules), not
            // a call to others.
            (false, _, _) if self.writer_alone_acts(act) => return None,
            (false, _, _) => (
                verdict(
                    Confidence::Possible,
                    row!("il.uppvigling.call_to_crime"),
                    Said::After("; målet framgår inte."),
                ),
                act.last,
            ),
        })
    }

    /// `jag ska …`, `ja tänker …`: the writer alone is the subject, within
    /// three tokens before the act in its sentence.
    fn writer_alone_acts(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        (act.first.saturating_sub(3)..act.first)
            .any(|i| doc.is(i, &["jag", "ja"]) && doc.same_sentence(i, act.first))
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
                !word.is_empty() && doc.classes.ends_with_any(word, Class::Property)
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
            .any(|i| doc.is(i, Class::CallMarkers) || doc.is(i, &["hoppas", "dags"]))
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
        let imperative_sentence = (sentence.start..first)
            .any(|i| doc.is(i, Class::LeadingImperatives) && doc.imperative(i));
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
            doc.is(i, &["om", "ifall"])
                && (doc.is(i + 1, Class::Subjects) || doc.is_person_target(i + 1))
        });
        doc.is(sentence.start, &["om", "ifall", "när"])
            || doc.phrase_in_sentence(act.first, &["om", "det", "behövs"])
            || condition_after
    }
}

impl Rules<'_, '_> {
    /// The core guard, without counter-speech when the only words of it
    /// label the target (`slå ihjäl väktarna, dom e bara nazister`).
    fn uppvigling_guard(&self, first: usize, last: usize) -> Option<Guard> {
        let doc = self.doc;
        let guard = doc.threat_guard(first, last);
        if guard != Some(Guard::CounterSpeech) || !self.only_labels(first) {
            return guard;
        }
        if doc.sentence_mark(first) == '?' {
            return Some(Guard::Question);
        }
        if doc.sentence_has(first, &["skulle", "hade"]) {
            return Some(Guard::Hypothetical);
        }
        doc.game_in_sentence(first).then_some(Guard::Game)
    }

    /// Every word of counter-speech in the sentence is a label after a
    /// copula and its subject (`dom e nazister`, `väktarna är rasister`).
    fn only_labels(&self, index: usize) -> bool {
        let doc = self.doc;
        let mut labels = doc
            .sentence_tokens(index)
            .filter(|&i| doc.is(i, Class::Counter))
            .peekable();
        labels.peek().is_some()
            && labels.all(|i| {
                doc.is(i, Class::Labels)
                    && doc.within_before(i, 3, Class::Copula).is_some_and(|c| {
                        c > 0 && (doc.is(c - 1, Class::Labelled) || doc.is_person_target(c - 1))
                    })
            })
    }

    /// People an act is aimed at outside its window: a pronoun right after
    /// it standing for people named in the sentence before (or first in
    /// the sentence after: `mörda dem. Lärarna som …`), or people first in
    /// the sentence before `borde vi`/`ska ni` (`poliserna … borde vi gå
    /// dit och stena allihop`).
    fn person_elsewhere(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        // `utvisa dem som …`: `dem som` is whoever, not people named.
        let strong =
            act.found.entry.confidence >= Confidence::Probable || act.role() != Role::Violence;
        if let Some(pronoun) = doc
            .next_after_fillers(act.last, 2, Class::PeoplePronouns)
            .filter(|&p| strong && !doc.is(p + 1, &["som"]))
        {
            let before = doc
                .previous_sentence(act.first)
                .any(|i| doc.is_person_target(i));
            let next = doc.next_sentence(act.first);
            let after = next.clone().take(3).any(|i| doc.is_person_target(i));
            return (before || after).then_some(pronoun);
        }
        let sentence = doc.sentence_tokens(act.first);
        let person = (sentence.start..(sentence.start + 3).min(act.first))
            .find(|&i| doc.is_person_target(i))?;
        (person + 1..act.first)
            .any(|i| doc.is(i, Class::InvertedCall) && doc.is(i + 1, &["vi", "ni"]))
            .then_some(person)
    }

    /// Calls built from parts (review only): an imperative with people and
    /// a weapon after `med`; a veiled call to readers after a target or a
    /// condition; a pity clause about a building and an act; defiance of
    /// a barrier; keeping emergency services away; a call to be ready for
    /// unrest.
    fn uppvigling_from_parts(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let mut push =
            |first: usize, last: usize, confidence, rule: &'static RuleRow, reason: Said<'_>| {
                let confidence = match doc.threat_guard(first, last) {
                    Some(_) => Confidence::Possible,
                    None => confidence,
                };
                out.push(Verdict::said(rule, confidence, reason).at(doc.span(first, last)));
            };
        for weapon in self.with_role(Role::Weapon) {
            if let Some(first) = self.armed_against_people(weapon) {
                push(
                    first,
                    weapon.last,
                    Confidence::Probable,
                    row!("il.uppvigling.violence_against_authority"),
                    Said::After(
                        ": att gå beväpnad mot personer som företräder samhället; en person \
                         behöver bedöma.",
                    ),
                );
            }
        }
        for (pity, clause) in doc.pity_clauses() {
            let target = clause.clone().find(|&i| doc.is_authority(i));
            let act = clause.clone().find(|&i| {
                self.role_at(i, &[Role::Violence, Role::Incitement, Role::Damage])
                    .is_some()
            });
            if let (Some(t), Some(a)) = (target, act) {
                push(
                    pity,
                    t.max(a),
                    Confidence::Possible,
                    row!("il.uppvigling.call_to_crime"),
                    Said::After(
                        ", i förtäckt form: skribenten antyder att en byggnad eller verksamhet \
                         borde angripas.",
                    ),
                );
            }
        }
        // Each shape at a token: the first that holds is the finding.
        type Shape<'s, 'r, 'a> = fn(&'s Rules<'r, 'a>, usize) -> Option<usize>;
        let shapes: [(Shape<'_, '_, '_>, Confidence, &RuleRow, Said<'_>); 10] = [
            (
                Self::veiled_call,
                Confidence::Possible,
                row!("il.uppvigling.call_to_crime"),
                Said::After(
                    ", i förtäckt form: till läsarna efter ett mål eller ett villkor; en person \
                     behöver bedöma.",
                ),
            ),
            (
                Self::dues_refused,
                Confidence::Possible,
                row!("il.uppvigling.call_to_crime"),
                Said::After(": att vägra betala skatt, böter eller avgifter."),
            ),
            (
                Self::official_visited_at_home,
                Confidence::Possible,
                row!("il.uppvigling.call_to_crime"),
                Said::After(
                    ", i förtäckt form: att uppsöka en företrädare för samhället i hemmet.",
                ),
            ),
            (
                Self::punishment_given,
                Confidence::Probable,
                row!("il.uppvigling.violence_against_authority"),
                Said::After(
                    ": att straffa eller ge stryk åt personer som företräder samhället; en \
                     person behöver bedöma.",
                ),
            ),
            (
                Self::gone_at,
                Confidence::Probable,
                row!("il.uppvigling.violence_against_authority"),
                Said::After(
                    ": att gå till angrepp mot personer som företräder samhället; en person \
                     behöver bedöma.",
                ),
            ),
            (
                Self::none_left_alive,
                Confidence::Probable,
                row!("il.uppvigling.violence_against_authority"),
                Said::After(
                    ": att ingen företrädare för samhället ska komma undan levande; en person \
                     behöver bedöma.",
                ),
            ),
            (
                Self::obstacle_laid,
                Confidence::Probable,
                row!("il.uppvigling.call_to_crime"),
                Said::After(": att hindra räddningstjänst, ambulans eller polis."),
            ),
            (
                Self::shown_who_rules,
                Confidence::Possible,
                row!("il.uppvigling.call_to_crime"),
                Said::After(
                    ", i förtäckt form: att skrämma personer som företräder samhället, kanske \
                     med våld.",
                ),
            ),
            (
                Self::barrier_defied,
                Confidence::Probable,
                row!("il.uppvigling.call_to_crime"),
                Said::After(": att trotsa en avspärrning eller ett förbud."),
            ),
            (
                Self::emergency_kept_away,
                Confidence::Probable,
                row!("il.uppvigling.call_to_crime"),
                Said::After(": att hindra räddningstjänst, ambulans eller polis."),
            ),
        ];
        for i in 0..doc.tokens.len() {
            if let Some((last, &(_, confidence, rule, reason))) = shapes
                .iter()
                .find_map(|shape| (shape.0)(self, i).map(|last| (last, shape)))
            {
                push(i, last, confidence, rule, reason);
            } else if let Some((first, last)) = self.ready_for_unrest(i) {
                push(
                    first,
                    last,
                    Confidence::Possible,
                    row!("il.uppvigling.call_to_crime"),
                    Said::After(
                        ", i förtäckt form: skribenten förutsäger oroligheter och ber läsarna \
                         vara beredda.",
                    ),
                );
            }
        }
    }

    /// `ta hand om kontrollanterna … med basebollträn`: an imperative
    /// opening its clause, people who act for society, then `med` + a
    /// weapon. The first token.
    fn armed_against_people(&self, weapon: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        // `ta en kofot till skolans fönster`: the weapon taken to a
        // target.
        // `ta fram facklorna och marschera mot rådhuset`: or later in the
        // sentence.
        let toward = (weapon.last + 1..=weapon.last + 5)
            .take_while(|&j| doc.same_sentence(weapon.last, j))
            .find(|&j| doc.is(j, &["till", "mot", "på"]));
        if let Some(toward) = toward {
            let target = (toward + 1..=toward + 3)
                .take_while(|&j| doc.same_sentence(toward, j))
                .find(|&j| doc.is_authority(j) || doc.is_person_target(j))
                .or_else(|| self.property_after(toward));
            let sentence = doc.sentence_tokens(weapon.first);
            let call =
                (sentence.start..weapon.first).find(|&i| doc.clause_start(i) && doc.imperative(i));
            if let (Some(_), Some(call)) = (target, call) {
                return (!doc.negated(call, weapon.last)).then_some(call);
            }
        }
        let with = weapon.first.checked_sub(1)?;
        let with = if doc.is(with, &["en", "ett", "era", "dina", "sina"]) {
            with.checked_sub(1)?
        } else {
            with
        };
        if !doc.is(with, &["med"]) || !doc.same_sentence(with, weapon.first) {
            return None;
        }
        let sentence = doc.sentence_tokens(with);
        let person = (with.saturating_sub(7).max(sentence.start)..with)
            .find(|&i| doc.is_person_target(i))?;
        let call = (sentence.start..person).find(|&i| doc.clause_start(i) && doc.imperative(i))?;
        (!doc.negated(call, weapon.last) && !doc.discussed(call)).then_some(call)
    }

    /// `Ni vet vad som ska göras.`, `Ni fattar.`: a short sentence to the
    /// readers after a sentence with a target, a listed act or a
    /// condition. The last token.
    fn veiled_call(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(i);
        // `den som hittar en väktare ensam vet vad den ska göra`
        let addressed = doc.is(i, &["ni", "du"]) || doc.phrase_at(i, &["den", "som"]);
        if !addressed || doc.sentence_mark(i) == '?' {
            return None;
        }
        // `ni som bor i Husby vet vad ni ska göra när polisen kommer`: the
        // duty named, with the cue in the same sentence.
        let knows = (i + 1..=i + 6)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is(j, Class::Knowing))?;
        let duty = doc.is(knows + 1, &["vad"])
            && doc.is(knows + 2, &["ni", "som", "du", "den", "man", "vi"])
            && doc.is(knows + 3, &["ska", "måste", "borde", "bör"])
            && doc.is(knows + 4, &["göra", "göras"]);
        let short = i == sentence.start && knows == i + 1 && sentence.len() <= 7;
        if !short && !duty {
            return None;
        }
        let before = if duty {
            doc.previous_sentence(i).start..sentence.end
        } else {
            doc.previous_sentence(i)
        };
        let cue = doc.is(before.start, &["om", "ifall"])
            || (duty && sentence.clone().any(|j| doc.is(j, &["när", "om", "ifall"])))
            || before.clone().any(|j| {
                doc.is_authority(j)
                    || doc.is_person_target(j)
                    || self
                        .role_at(j, &[Role::Incitement, Role::Damage, Role::Violence])
                        .is_some()
            });
        cue.then_some(sentence.end - 1)
    }

    /// `sluta betala skatt`, `vägra betala böterna`: an imperative (or a
    /// collective call) to stop paying dues. The last token.
    fn dues_refused(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, &["sluta", "vägra"]) || !(doc.imperative(i) || doc.collective_call(i)) {
            return None;
        }
        let pay = (i + 1..=i + 2)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is(j, &["betala"]))?;
        let dues = doc.stem_within(pay, 2, Class::Dues)?;
        (!doc.negated(i, dues)).then_some(dues)
    }

    /// `hälsa på handläggaren hemma`, `åk hem till politikerna`: an
    /// imperative visit to people who act for society at their home. The
    /// last token.
    fn official_visited_at_home(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        let visit = doc.phrase_of(i, Class::Visits)?;
        if !doc.clause_start(i) || !doc.imperative(i) {
            return None;
        }
        let from = i + visit;
        let person = (from..=from + 2)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is_person_target(j))?;
        let at_home = (i..from).any(|j| doc.is(j, &["hem"]))
            || (person + 1..=person + 3)
                .take_while(|&j| doc.same_sentence(i, j))
                .any(|j| doc.is(j, &["hemma", "hem"]));
        (at_home && !doc.negated(i, person)).then_some(person)
    }

    /// `ge polisen vad de förtjänar`, `ge väktarna stryk`: an imperative
    /// `ge` + people who act for society + a punishment. The last token.
    fn punishment_given(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, &["ge"]) || !(doc.imperative(i) || doc.collective_call(i)) {
            return None;
        }
        let person = (i + 1..=i + 2)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is_person_target(j))?;
        let last = person + doc.phrase_of(person + 1, Class::Punishments)?;
        (!doc.negated(i, last)).then_some(last)
    }

    /// `ta kniven och gå på vakterna`: an imperative `gå på`, `hoppa på`
    /// (or after `och`) with people who act for society right after. The
    /// last token.
    fn gone_at(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        // `hämnas på socialtjänsten`: a deponent imperative.
        let avenge = doc.is(i, &["hämnas"]) && doc.clause_start(i);
        if avenge {
            let on = doc.is(i + 1, &["på"]).then_some(i + 1)?;
            let target = (on + 1..=on + 2)
                .take_while(|&j| doc.same_sentence(i, j))
                .find(|&j| doc.is_person_target(j) || doc.is_authority(j))?;
            return (!doc.negated(i, target)).then_some(target);
        }
        if !doc.is(i, &["gå", "hoppa", "ge"]) || !doc.imperative(i) {
            return None;
        }
        let on = if doc.is(i, &["ge"]) {
            (doc.is(i + 1, &["er", "dig"]) && doc.is(i + 2, &["på"])).then_some(i + 2)?
        } else {
            doc.is(i + 1, &["på"]).then_some(i + 1)?
        };
        let person = doc.next_person_after(on)?;
        (!doc.negated(i, person)).then_some(person)
    }

    /// `se till att ingen polis kommer ut levande`: a call (an imperative
    /// or `se till att`) opening the sentence, `ingen` + people who act for
    /// society, and `levande`. The last token.
    fn none_left_alive(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.sentence_opened_by_imperative(i)?;
        let nobody = sentence.clone().find(|&j| doc.is(j, &["ingen", "inga"]))?;
        let person = (nobody + 1..=nobody + 2)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| {
                doc.is_person_target(j) || doc.is(j, &["polis", "snut", "väktare", "vakt"])
            })?;
        sentence
            .clone()
            .find(|&j| j > person && doc.is(j, &["levande"]))
    }

    /// `lägg spikmattor på vägen när polisen kommer`: an imperative
    /// sentence with an obstacle and an emergency service. The last token.
    fn obstacle_laid(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.sentence_opened_by_imperative(i)?;
        let obstacle = sentence.clone().find(|&j| doc.is(j, Class::Obstacles))?;
        let service = sentence.clone().find(|&j| doc.is(j, Class::Emergency))?;
        let last = obstacle.max(service);
        (!doc.negated(i, obstacle)).then_some(last)
    }

    /// `visa snuten vem som bestämmer`: an imperative `visa` + people who
    /// act for society + a veiled show of force. The last token.
    fn shown_who_rules(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, &["visa"]) || !(doc.imperative(i) || doc.collective_call(i)) {
            return None;
        }
        let person = (i + 1..=i + 2)
            .take_while(|&j| doc.same_sentence(i, j))
            .find(|&j| doc.is_person_target(j))?;
        Some(person + doc.phrase_of(person + 1, Class::ShowsOfForce)?)
    }

    /// `strunta i avspärrningarna`: an imperative of defiance opening its
    /// clause and a barrier or a ban within three tokens. The last token.
    fn barrier_defied(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, Class::Defy) || !doc.clause_start(i) || !doc.imperative(i) {
            return None;
        }
        let barrier = doc.stem_within(i, 3, Class::Barriers)?;
        (!doc.negated(i, barrier)).then_some(barrier)
    }

    /// `ställ bilar över utryckningsvägen så brandkåren inte kommer fram`:
    /// an imperative sentence whose purpose is an emergency service kept
    /// away. The last token.
    fn emergency_kept_away(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        let sentence = doc.sentence_opened_by_imperative(i)?;
        let so = sentence.clone().find(|&j| j > i && doc.is(j, &["så"]))?;
        let service = (so + 1..=so + 2)
            .take_while(|&j| doc.same_sentence(so, j))
            .find(|&j| doc.is(j, Class::Emergency))?;
        let not = (service + 1..=service + 2).find(|&j| doc.is(j, Class::Negation))?;
        let arrive = (not + 1..=not + 2)
            .take_while(|&j| doc.same_sentence(so, j))
            .find(|&j| doc.is(j, Class::Arrive))?;
        // `parkera inte så att ambulansen inte kommer fram`: a warning.
        let warned = (i..so).any(|j| doc.is(j, Class::Negation));
        (!warned).then_some(arrive)
    }

    /// `… blir det krig på gatorna. Var beredda.`: a call to be ready
    /// opening its sentence, with unrest foretold in it or the sentence
    /// before. The first and last tokens.
    fn ready_for_unrest(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        let ready = doc.phrase_of(i, Class::Ready)?;
        if !doc.clause_start(i) {
            return None;
        }
        let unrest = doc
            .previous_sentence(i)
            .chain(doc.sentence_tokens(i))
            .find(|&j| doc.is(j, Class::Unrest))?;
        Some((unrest.min(i), (i + ready - 1).max(unrest)))
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.uppvigling.violence_against_persons",
        category: Category::Uppvigling,
        trigger: "a verb of violence; a person who acts for society",
        shape: "an imperative or collective call of violence at people who act for society",
        guards: "quotation, news, counter-speech, question, hypothetical; negation; an idiom object",
        strength: Strength::Obvious,
        reason: "Uppmaning till våld mot personer som företräder samhället",
        basis: BASIS_UPPVIGLING,
        positive: "Skjut snutarna när de kommer",
        negative: "Fota snutarna när de kommer",
    },
    RuleRow {
        id: "il.uppvigling.violence_against_authority",
        category: Category::Uppvigling,
        trigger: "a verb of violence; an authority",
        shape: "a call of violence at an authority or institution, or a conditional or veiled call at its people",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Kan vara en uppmaning till våld",
        basis: BASIS_UPPVIGLING,
        positive: "Om polisen kommer, attackera poliserna",
        negative: "Om polisen kommer, hälsa på poliserna",
    },
    RuleRow {
        id: "il.uppvigling.call_to_crime",
        category: Category::Uppvigling,
        trigger: "an act of incitement (role `incitement`)",
        shape: "an act (`storma`, `sätt eld på`, `vägra betala`) as a call, with an authority, an institution or a target",
        guards: "quotation, news, counter-speech, question, hypothetical; negation; an idiom object (`storma in i sommaren`); with no target, the writer's own act (`jag ska slå sönder dig`: a threat)",
        strength: Strength::Review,
        reason: "Kan vara en uppmaning till brott",
        basis: BASIS_UPPVIGLING,
        positive: "Plundra butikerna vid stadshuset i kväll",
        negative: "Besök butikerna vid stadshuset i kväll",
    },
];
