//! Evidence for the confirming model: a word of violence or death, `…
//! är nästa`, or violence had or given (`ska få en yxa i skallen`), aimed
//! at someone in one sentence (`kommer döda socialsekreteraren`, `Sara du
//! dör ikväll`, `judar i sthlm ni e nästa`, `jag kommer skjuta alla`, `vi
//! ska slå ihjäl er`, `döda alla m*slimer`, `häng hela socialnämnden`,
//! `ska vi slå sönder`), also when the grammar names whom however far back
//! (`Trafikkontorets nya chef ska skjutas`, `Den som tjallade … kommer att
//! hittas och skjutas`) or a pronoun stands for whom the sentence before
//! named (`Somalierna snor allt. Ge dem en kula var.`). A weapon alone is
//! not enough (`jag kommer till dig med kniven du glömde`).
//!
//! These shapes are too loose to be findings of their own: `jag skulle
//! döda för en kaffe` and `polisen sköt mannen` have them too. They exist
//! so that the confirming model ([`crate::classify::model`]) never acts on
//! its own judgement alone: when it is sure the comment is an unmistakable
//! attack, it acts on the words these rules point at, and the reason names
//! them for the moderator to check. A finding of these rules that no
//! confirming model made obvious is dropped ([`NEEDS_MODEL`]), so they add
//! nothing to review.
//!
//! Never for a guarded sentence (quotation, news, counter-speech, a
//! question, a hypothetical other than the writer's own `jag skulle döda
//! …`, a game, fiction), a negated one, a verb in the
//! past tense (a report), a word in an idiom (`dör av skratt`, `hänga i`,
//! `sticker ner till dig`, `skjuta bilder på dig`), death the writer speaks
//! of for themselves (`jag dör`) or of everyone (`alla dör till slut`); a
//! name after a preposition of place (`vid Gärdet`) is no person.

use super::aimed::{MASK_RUN_MAX, masked_words, matches_from};
use super::hot::{dying_idiom, past_tense};
use super::*;

/// How many tokens before or after the word of violence the target may
/// stand: a clause (`ska jag sticka ner honom`, `judar i sthlm ni e
/// nästa … dör`).
const TARGET_WINDOW: usize = 6;

/// How many tokens before a verb of violence its modal may stand: `ska
/// jag fan i mig döda`.
const MODAL_WINDOW: usize = 4;

/// The fewest letters a masked group word shows (`j*dar`, not `h*n`).
const MASKED_GROUP_SHOWN: usize = 3;

/// What may follow a group stem in a masked group word, in the order they
/// are tried: the [`GROUP_ENDINGS`], then each insult head (`tr*nspack`: a
/// group and an insult in one masked word), also after a linking `s`.
pub(super) fn group_tails(heads: &[String]) -> Vec<String> {
    GROUP_ENDINGS
        .iter()
        .map(|e| e.to_string())
        .chain(
            heads
                .iter()
                .flat_map(|head| [head.to_string(), format!("s{head}")]),
        )
        .collect()
}

/// The index in `tails` of the tail that, after a group stem, spells the
/// masked `pattern` (`k*rder`: `kurd` + `er`), if any; `form` is a buffer.
fn matching_tail(
    pattern: &[Option<char>],
    stems: &[Vec<char>],
    tails: &[Vec<char>],
    form: &mut Vec<char>,
) -> Option<usize> {
    // A masked word shows its first letter: only the stems that begin with
    // it are tried, each with every tail.
    let Some(Some(first)) = pattern.first() else {
        return None;
    };
    let shown = pattern.iter().flatten().count();
    if shown < MASKED_GROUP_SHOWN {
        return None;
    }
    // Each run of masks hides one to MASK_RUN_MAX letters, and a pattern
    // that ends with a letter ends the form with it: only the stem + tail
    // pairs of a fitting length and last letter are spelt out and matched.
    let runs = pattern.len() - shown;
    let lengths = shown + runs..=shown + runs * MASK_RUN_MAX;
    let last = pattern.last().copied().flatten();
    stems
        .iter()
        .filter(|stem| stem.first() == Some(first))
        .find_map(|stem| {
            tails.iter().position(|tail| {
                let fits = lengths.contains(&(stem.len() + tail.len()))
                    && last.is_none_or(|last| tail.last().or(stem.last()) == Some(&last));
                fits && {
                    form.clear();
                    form.extend_from_slice(stem);
                    form.extend_from_slice(tail);
                    matches_from(pattern, form)
                }
            })
        })
}

/// The masked group words of a comment ([`Rules::masked_groups`]).
#[derive(Debug, Default)]
pub(super) struct MaskedGroups {
    /// Each word's first and last token.
    spans: Vec<(usize, usize)>,
    /// The last tokens of those that end in an insult.
    insulting: Vec<usize>,
}

/// The endings of a group word after its stem (`kurd-er`, `juda-r`,
/// `zigenar-e`, `muslim-erna`): grammar, kept with the shape that inflects.
const GROUP_ENDINGS: &[&str] = &[
    "", "r", "n", "e", "er", "ar", "or", "na", "rna", "erna", "arna", "orna",
];

/// How many tokens before a verb after `och` its modal may stand: `ska
/// hitta dig och skjuta dig`, `kmr o leta upp dej o slå ihjäl dej`.
const COORDINATED_MODAL_WINDOW: usize = 8;

/// How many tokens after `få` or `ge` the violence received may stand:
/// `ska få känna på kniven`, `ge socialsekreteraren Anna en kniv`.
const RECEIVED_WINDOW: usize = 4;

/// The fewest letters of a word after `alla` that names whom it counts
/// (`alla råttor`), not a preposition (`alla på festen`).
const COUNTED_NOUN_MIN: usize = 4;

/// The rules of this file (see [`RuleRow`]).
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.olaga_hot.violence_aimed",
        category: Category::OlagaHot,
        trigger: "a verb of violence (role `violence`), death_words, `är nästa`, receive + violence_nouns or a weapon into the body, force + `sönder`, a verb + `ihjäl` not in ihjal_idioms; person_targets, threat_person_roles, person_endings, counted_people, people_bodies",
        shape: "the word and a person (the addressee `du`/`dig`, `ni` as subject, `er` as object, a role, a name, `honom`/`henne`, a noun with a person_endings ending of PERSON_NOUN_MIN letters and not in not_person_nouns, what follows `varenda`/`varje`, a bare counted_people word after a verb, people_bodies after `hela`/`halva`) within TARGET_WINDOW in one sentence; or the object put first, the subject of a passive or of death however far back (also `den som …`), a pronoun for whom the sentence before named; kept only when the confirming model is sure",
        guards: "a verb not willed (no modal within MODAL_WINDOW, or COORDINATED_MODAL_WINDOW after `och`; no imperative; not the writer's present); the common guards, a game, fiction; negation; the past tense; an idiom (`dör av skratt`, `hänga i`, movement, an agent, a thing or time as object); `jag dör`; `er` reflexive; `köra över alla` (a game or a vote); death of a subject no list knows as a person (`kirskålen ska dö`); force + `sönder` on a thing (`slå sönder elsparkcyklarna`); defeat_nouns received by a plural `ni` alone (`Ni kommer få stryk på fredag`: a team's lost match)",
        strength: Strength::Review,
        reason: "Våld eller död uttalat mot en person",
        basis: BASIS_HOT,
        positive: "kommer döda socialsekreteraren ni vet vem hon e",
        negative: "Socialsekreteraren kommer aldrig döda mitt engagemang",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.violence_aimed",
        category: Category::HetsMotFolkgrupp,
        trigger: "a verb of violence (role `violence`), death_words, `är nästa`, receive + violence_nouns or a weapon into the body",
        shape: "the word and a protected group (role `group` or `slur`, a group_stems word with letters masked, MASKED_GROUP_SHOWN letters shown, or a group_stems word ending in people_heads: `judepressen`) within TARGET_WINDOW in one sentence; kept only when the confirming model is sure",
        guards: "as il.olaga_hot.violence_aimed",
        strength: Strength::Review,
        reason: "Våld eller död uttalat mot en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "ni judar dör snart",
        negative: "Hur många judar måste dö innan något händer?",
    },
];

/// The rules whose findings exist only to be confirmed: without a sure
/// confirming model they are dropped ([`super::Classifier`]).
pub(crate) const NEEDS_MODEL: &[&RuleRow] = &[
    table::row_in(RULES, "il.olaga_hot.violence_aimed"),
    table::row_in(RULES, "il.hets_mot_folkgrupp.violence_aimed"),
];

/// Whom a word of violence is aimed at.
enum Target {
    /// A protected group (`judar`, a slur).
    Group(usize),
    /// A person: the addressee, a role, a name, a pronoun.
    Person(usize),
}

impl Target {
    /// The token that names the target.
    fn token(&self) -> usize {
        match *self {
            Target::Group(i) | Target::Person(i) => i,
        }
    }
}

impl Rules<'_, '_> {
    /// One finding per word of violence or death aimed at someone, for the
    /// confirming model to act on or drop.
    pub(super) fn evidence_for_the_model(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let verbs = self
            .with_role(Role::Violence)
            .filter(|verb| verb.found.entry.confidence >= Confidence::Probable)
            .chain(self.vehicle_verbs())
            .filter(|verb| !self.beaten_at_a_game(verb))
            // `dö` is a verb of the lexicon too: death all the same.
            .map(|verb| {
                let death =
                    doc.is(verb.first, Class::DeathWords) && !self.verb_of_killing(verb.first);
                (verb.first, verb.last, death)
            });
        let deaths = (0..doc.tokens.len())
            .filter(|&i| {
                (doc.is(i, Class::DeathWords)
                    && !self.said_of_oneself(i)
                    && !self.verb_of_killing(i))
                    || self.you_are_next(i)
                    || self.ends_in_a_grave(i)
            })
            .map(|i| (i, i, true));
        let received = (0..doc.tokens.len())
            .filter_map(|i| self.violence_received(i))
            .map(|(first, last)| (first, last, false));
        // `ska vi slå sönder`: force that breaks, aimed at a person (not
        // `slå sönder elsparkcyklarna …, varenda en`).
        let breaking = (0..doc.tokens.len())
            .filter(|&i| {
                doc.is(i, Class::Force)
                    && doc.is(i + 1, &["sönder"])
                    && !(doc.same_sentence(i, i + 2) && doc.ends_like_a_thing(i + 2))
            })
            .map(|i| (i, i + 1, false));
        // `spöar ihjäl`, `kötta ihjäl`, `sparkas till döds`: any verb with
        // `ihjäl` kills, but a figure of speech or a death no one deals
        // (`kramar ihjäl`, `frysa ihjäl`: class `ihjal_idioms`).
        let killing = (0..doc.tokens.len()).filter_map(|i| {
            let particle = doc.to_death_at(i + 1)?;
            let deals_death = doc.same_sentence(i, i + 1)
                && ![Class::IhjalIdioms, Class::Fillers, Class::Subjects]
                    .into_iter()
                    .any(|class| doc.is(i, class));
            deals_death.then_some((i, i + particle, false))
        });
        let mut words: Vec<(usize, usize, bool)> = verbs
            .chain(deaths)
            .chain(received)
            .chain(breaking)
            .chain(killing)
            .collect();
        // `dö` is both a verb of the lexicon and a death word: once.
        words.sort_unstable();
        words.dedup();
        if words.is_empty() {
            return;
        }
        let masked = self.masked_groups();
        for (first, last, death) in words {
            if past_tense(doc.word(first))
                || (doc.is(first, Class::DeathWords) && dying_idiom(doc, last + 1))
                || (!death && self.particle_idiom(first, last))
                || !(death || self.said_as_intent(first) || self.writer_would(first))
                || self.predicted_not_willed(first, last, death)
            {
                continue;
            }
            let Some(target) = self.target_near(first, last, death, masked) else {
                continue;
            };
            let at = target.token();
            if self.defeat_of_a_team(first, last, at) {
                continue;
            }
            let (from, to) = match masked_word_at(masked, at) {
                Some((a, b)) => (first.min(a), last.max(b)),
                None => (first.min(at), last.max(at)),
            };
            let at_group = matches!(target, Target::Group(_));
            // `Jag skulle döda varenda muslim jag ser`: the writer's own
            // would-be act is evidence; the confirming model judges it.
            let guard = doc
                .threat_guard_at(from, to, at_group)
                .filter(|&g| !(g == Guard::Hypothetical && self.writer_would(first)));
            if guard.is_some()
                || doc.negated(from, to)
                || doc.fiction(first)
                || self.harmless_means(at)
                || self.feared_for(at)
            {
                continue;
            }
            out.push(
                self.evidence_verdict(first, last, &target, masked)
                    .at(doc.span(from, to)),
            );
        }
    }

    /// `Ni kommer få stryk på fredag`: violence received that is as often
    /// a lost match (class `defeat_nouns`), said to the plural addressee
    /// alone, which is how a team is addressed.
    fn defeat_of_a_team(&self, first: usize, last: usize, target: usize) -> bool {
        let doc = self.doc;
        doc.is(first, Class::Receive)
            && doc.is(last, Class::DefeatNouns)
            && doc.is(target, &["ni", "er"])
    }

    /// The nearest group or person within [`TARGET_WINDOW`] of the word
    /// `first..=last`, in its sentence; a group wins over a person. Death
    /// said of people counted is a truth, not a threat (`alla dör till
    /// slut`, `vi ska alla dö en dag`): a `death` word needs someone named.
    fn target_near(
        &self,
        first: usize,
        last: usize,
        death: bool,
        masked: &[(usize, usize)],
    ) -> Option<Target> {
        let doc = self.doc;
        // `ge socialsekreteraren Anna en kniv i halsen`: whom violence is
        // given to stands between the verb and the violence.
        let given = doc.is(first, Class::Receive);
        let window = (first.saturating_sub(TARGET_WINDOW)..=last + TARGET_WINDOW)
            .filter(|&i| i < first || i > last || (given && i > first))
            .filter(|&i| doc.same_sentence(i, first));
        let mut person = None;
        for i in window {
            if self.role_at(i, &[Role::Group, Role::Slur]).is_some()
                || masked_word_at(masked, i).is_some()
                || self.member_compound_at(i)
            {
                return Some(Target::Group(i));
            }
            // `bränna en skiva åt dig`, `bränna dig en skiva`: the one it
            // is done for.
            let for_whom = (i > last && doc.is(i - 1, &["åt"])) || self.given_a_thing(last, i);
            if person.is_none()
                && !for_whom
                && (self.aimed_person(i, first, last)
                    || (!death
                        && ((self.counted_people(i) && !self.steamrolls(first))
                            || self.insulted(i)
                            || self.unnamed_victim(i, first, last, false))))
            {
                person = Some(i);
            }
        }
        // The object put first, however long a relative clause after it:
        // `Kuratorn som anmälde oss kommer jag att döda`; the subject of a
        // passive or of death, however far back (`Kuratorn som anmälde
        // oss till soc ska dö`); a pronoun for whom the sentence before
        // named (`Syrier? Kackerlackor. Ge dem en kula var`).
        let group_or_person = |t: usize| match self.role_at(t, &[Role::Group, Role::Slur]) {
            Some(_) => Target::Group(t),
            None => Target::Person(t),
        };
        person
            .map(Target::Person)
            .or_else(|| self.fronted_object(first).map(group_or_person))
            .or_else(|| {
                let start = doc.sentence_tokens(first).start;
                (start..first)
                    .find(|&i| self.unnamed_victim(i, first, last, death))
                    .map(Target::Person)
            })
            .or_else(|| {
                let window = (first.saturating_sub(TARGET_WINDOW)..=last + TARGET_WINDOW)
                    .filter(|&i| doc.same_sentence(i, first));
                window
                    .filter_map(|i| self.antecedent_of(i))
                    .next()
                    .map(group_or_person)
            })
    }

    /// `köra över alla`: win over everyone in a game or a vote, not run
    /// them over (a person named is: `kör över dig med bilen`).
    fn steamrolls(&self, first: usize) -> bool {
        let doc = self.doc;
        doc.is(first, &["köra", "kör"]) && doc.is(first + 1, &["över"])
    }

    /// The group or person a third-person pronoun at `i` (`dem`, `dom`,
    /// `han`, `hon`) stands for: the last one named in its sentence before
    /// it or in the sentence before (`Valförrättaren i Skarpnäck skrek åt
    /// mig. Hon kommer att få ett basebollträ i ansiktet`).
    fn antecedent_of(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if !doc.is(i, &["dem", "dom", "han", "hon"]) {
            return None;
        }
        let sentence = doc.tokens.get(i)?.sentence;
        (0..i)
            .rev()
            .take_while(|&t| sentence - doc.tokens[t].sentence <= 1)
            .find(|&t| {
                self.role_at(t, &[Role::Group, Role::Slur]).is_some()
                    || (!doc.is(t, Class::Subjects) && self.aimed_person(t, i, i))
            })
    }

    /// The token spans of group words with letters masked (`k*rder`,
    /// `j*dar`, `tr*nspack`): a group stem and an ending of
    /// [`GROUP_ENDINGS`] or an insult (`insult_heads`). People
    /// mask a word to insult, so a masked group is aimed at: evidence for
    /// the confirming model, and a group for the shapes of `aimed.rs`.
    pub(super) fn masked_groups(&self) -> &[(usize, usize)] {
        &self.masked().spans
    }

    /// The last tokens of the masked group words that end in an insult
    /// (`z*genarpack`, `jud*svinen`): the masked spelling of an insult
    /// compound, for `aimed.rs`'s rule of those.
    pub(super) fn masked_insult_compounds(&self) -> &[usize] {
        &self.masked().insulting
    }

    fn masked(&self) -> &MaskedGroups {
        self.masked_groups.get_or_init(|| self.find_masked_groups())
    }

    fn find_masked_groups(&self) -> MaskedGroups {
        let doc = self.doc;
        let mut found = MaskedGroups::default();
        let masked = masked_words(&doc.normalized.text);
        if masked.is_empty() {
            return found;
        }
        let stems = self.index.group_stem_chars();
        let tails = self.index.group_tail_chars();
        // One buffer for every stem + tail tried.
        let mut form: Vec<char> = Vec::new();
        for (range, pattern) in masked {
            let tail_at = matching_tail(&pattern, stems, tails, &mut form);
            let (Some(tail_at), Some(first)) = (tail_at, doc.token_at(range.start)) else {
                continue;
            };
            let last = doc
                .token_at(range.end.saturating_sub(1))
                .unwrap_or(first)
                .max(first);
            found.spans.push((first, last));
            // The tails are the endings of grammar first, then the insults.
            if tail_at >= GROUP_ENDINGS.len() {
                found.insulting.push(last);
            }
        }
        found
    }

    /// `ska få en kniv i magen`, `får du en kula`, `ska få känna på
    /// kniven`, `ska ha en kula var`, `ge honom en kula`: violence given as
    /// something the target will get. The tokens from the verb to the noun.
    pub(super) fn violence_received(&self, i: usize) -> Option<(usize, usize)> {
        let doc = self.doc;
        if !doc.is(i, Class::Receive) {
            return None;
        }
        (i + 1..=i + RECEIVED_WINDOW)
            .take_while(|&j| doc.same_sentence(i, j))
            .find_map(|j| self.violence_given(j))
            // `få smäll på fingrarna`: be reprimanded.
            .filter(|&noun| !doc.phrase_at(noun + 1, &["på", "fingrarna"]))
            .map(|noun| (i, noun))
    }

    /// The last token of what is given at `j`: violence itself (`stryk`,
    /// `en kula`), or a weapon into the body (`en yxa i skallen`; not `en
    /// kniv och gaffel`, `en ny kniv i present`).
    fn violence_given(&self, j: usize) -> Option<usize> {
        if self.doc.is(j, Class::ViolenceNouns) {
            return Some(j);
        }
        self.weapon_into_body_at(j)
    }

    /// A weapon or bullet at `j` going into the body (`knivar i magen`,
    /// `en kula genom huvudet`) or into the person (`få kniven i sig`, `en
    /// kula i honom`): the token of the body part or the pronoun.
    pub(super) fn weapon_into_body_at(&self, j: usize) -> Option<usize> {
        let doc = self.doc;
        let weapon = if doc.is(j, Class::Projectiles) {
            j
        } else {
            self.role_at(j, &[Role::Weapon])?.last
        };
        let into = weapon + 2;
        // `Awaited`: the addressee or a third person (`dig`, `honom`).
        let body =
            doc.is(into, Class::Body) || doc.is(into, Class::Awaited) || doc.is(into, &["sig"]);
        (doc.is(weapon + 1, &["i", "genom"]) && body && doc.same_sentence(weapon, into))
            .then_some(into)
    }

    /// An active verb with `i` and no body part after it is a particle
    /// verb of another meaning (`hänga i` keep at it, `hugga i` pitch in;
    /// not `hängas i Humlegården`, `skjuta i huvudet`), so is `hänga ut`
    /// (`hängas ut i tidningen`, shamed in public; not `bränna ut`), or
    /// the verb is [`Self::not_at_a_person`].
    fn particle_idiom(&self, first: usize, last: usize) -> bool {
        let doc = self.doc;
        let keep_at_it = first == last
            && !doc.word(first).ends_with('s')
            && doc.is(last + 1, &["i"])
            && !doc.is(last + 2, Class::Body);
        let shamed = doc.is(last, Class::ShamingVerbs)
            && doc.is(last + 1, &["ut"])
            && doc.same_sentence(last, last + 1);
        keep_at_it || shamed || self.not_at_a_person(last)
    }

    /// The verb goes somewhere (`sticker ner till dig`), is done by someone
    /// (`skjutas av polisen`) or from a feeling (`sprängas av glädje`), or
    /// takes a thing (`skjuta bilder på dig`, `döda tiden`): no violence at
    /// a person.
    fn not_at_a_person(&self, last: usize) -> bool {
        let doc = self.doc;
        doc.is(last + 1, &["till"])
            || (doc.is(last + 1, &["av"]) && !doc.is(last + 2, &["en", "ett"]))
            || doc.idiom_object_after(last)
    }

    /// `skickas hem i likpåsar`, `ska ligga i en massgrav`, `ta med en
    /// kista`: a coffin, a body bag or a mass grave (class
    /// `death_containers`) after `i` or `med`, with or without `en`/`ett`:
    /// death said through where the body ends. Not the district of Kista
    /// (a capitalised name).
    fn ends_in_a_grave(&self, i: usize) -> bool {
        let doc = self.doc;
        if !doc.is(i, Class::DeathContainers) || doc.is_name(i) {
            return false;
        }
        let noun_phrase = if i > 0 && doc.is(i - 1, &["en", "ett"]) {
            i - 1
        } else {
            i
        };
        noun_phrase > 0 && doc.is(noun_phrase - 1, &["i", "med"])
    }

    /// `ni e nästa`, `kommunalrådet är nästa`: `nästa` after a copula,
    /// ending the sentence (not `du är nästa i kön`).
    fn you_are_next(&self, i: usize) -> bool {
        let doc = self.doc;
        doc.is(i, &["nästa"]) && i > 0 && doc.is(i - 1, Class::Copula) && doc.ends_sentence(i)
    }

    /// `döda` as the verb (`jag vill döda dig`), not the adjective after a
    /// copula (`ni e döda`): a verb must be willed like every verb of
    /// violence.
    fn verb_of_killing(&self, i: usize) -> bool {
        let doc = self.doc;
        doc.is(i, &["döda"]) && !(i > 0 && doc.is(i - 1, Class::Copula))
    }

    /// `jag dör`, `vi e döda`: the writer speaks of themselves.
    fn said_of_oneself(&self, word: usize) -> bool {
        let doc = self.doc;
        (word.saturating_sub(2)..word).any(|i| {
            (doc.is(i, Class::FirstPerson) || doc.is(i, &["man"])) && doc.same_sentence(i, word)
        })
    }

    /// A verb of violence is willed (a death word, `du dör`, stands for
    /// itself): after a modal of the future or of intent
    /// within [`MODAL_WINDOW`] (`kommer döda`, `ska jag hugga ihjäl`), an
    /// imperative (`skjut honom`), said by the writer in the present
    /// (`jag spränger skolan`, `då skjuter jag föraren`, `får du en kula`,
    /// `du får en kniv i magen`),
    /// or a verb joined to a willed one (`kmr o leta upp dej o slå ihjäl
    /// dej`, within [`COORDINATED_MODAL_WINDOW`]).
    /// `väntar på att få ha ihjäl henne` tells what someone else wants.
    pub(super) fn said_as_intent(&self, word: usize) -> bool {
        let doc = self.doc;
        doc.imperative(word)
            || doc.is(word + 1, Class::FirstPerson)
            || (word > 0
                && doc.is(word - 1, Class::FirstPerson)
                && doc.same_sentence(word - 1, word))
            || (doc.is(word, &["får"])
                && (doc.is(word + 1, Class::SecondPersonSubject)
                    || (word > 0
                        && doc.is(word - 1, Class::SecondPersonSubject)
                        && doc.same_sentence(word - 1, word))))
            || self.modal_within(word, MODAL_WINDOW)
            || (word > 0
                && doc.is(word - 1, &["och", "o", "sen"])
                && self.modal_within(word, COORDINATED_MODAL_WINDOW))
    }

    /// `jag skulle döda`, `skulle jag döda`: the writer's own act in the
    /// conditional, right before the verb; or what would be done if the
    /// writer decided (`om jag fick bestämma skulle alla … dränkas`).
    fn writer_would(&self, word: usize) -> bool {
        let doc = self.doc;
        (word > 0 && doc.is(word - 1, &["skulle"]) && doc.writer_beside(word - 1))
            || self.under_writers_rule(word)
    }

    /// The sentence of `word` opens with a condition that gives the writer
    /// the power to decide (class `writers_rule`), and a `skulle` or `hade`
    /// after it comes before the word: `Om det var upp till mig skulle
    /// alla … dränkas`, `Hade jag fått bestämma hade alla … slängts i …`.
    fn under_writers_rule(&self, word: usize) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(word);
        let Some(length) = doc.phrase_of(sentence.start, Class::WritersRule) else {
            return false;
        };
        (sentence.start + length..word).any(|t| doc.is(t, &["skulle", "hade"]))
    }

    /// `du kommer att döda oss med din kaka`, `din sång kommer döda oss
    /// alla`: what someone else will do is a prediction, not the writer's
    /// intent. Only `kommer` after a subject that is not the writer (`vi
    /// kommer`, `då kommer jag`; a missing subject is the writer's) and an
    /// active verb: `ni ska döda dem` may be an
    /// order, and death, a passive or violence received befall whoever it
    /// names (`du kommer dö`, `du kommer skjutas`, `du kommer få en kula`).
    fn predicted_not_willed(&self, first: usize, last: usize, death: bool) -> bool {
        let doc = self.doc;
        let befalls = death
            || doc.is(first, Class::Receive)
            || (first..=last).any(|t| doc.word(t).ends_with('s'))
            || doc.after_bli(first);
        let modal = (first.saturating_sub(MODAL_WINDOW)..first)
            .rev()
            .find(|&m| doc.same_sentence(m, first) && doc.is(m, Class::FutureModals));
        !befalls
            && !doc.writer_beside(first)
            // `kmr ta hagelbössan o skjuta …`: no subject is the writer's.
            && modal.is_some_and(|m| {
                doc.is(m, &["kommer", "kmr"])
                    && !doc.writer_beside(m)
                    && m > doc.sentence_tokens(m).start
            })
    }

    /// A modal of the future, of intent or of duty within `window` tokens
    /// before `word`, in its sentence.
    fn modal_within(&self, word: usize, window: usize) -> bool {
        (word.saturating_sub(window)..word)
            .any(|i| self.doc.same_sentence(i, word) && self.is_modal(i))
    }

    /// A modal of the future, of intent or of duty (`ska`, `vill`, `borde`).
    fn is_modal(&self, i: usize) -> bool {
        let doc = self.doc;
        doc.is(i, Class::FutureModals)
            || doc.is(i, Class::StrongIntent)
            || doc.is(i, &["borde", "bör", "måste"])
    }

    /// The addressee (`ni` and `er` where they are not a possessive), a
    /// named role, a name, a personal pronoun or what follows
    /// `varenda`/`varje`. The word of violence spans `first..=last`.
    fn aimed_person(&self, i: usize, first: usize, last: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(i);
        doc.is(i, &["du", "dig", "dej", "honom", "henne", "hen"])
            || doc.is_person_target(i)
            || (!word.is_empty() && doc.classes.ends_with_any(word, Class::ThreatPersonRoles))
            || doc.is_owned_role(i)
            || (doc.is_name(i) && !self.names_a_place(i) && !self.names_a_thing(i))
            || doc.person_noun(i)
            || (i > 0 && doc.is(i - 1, &["varenda", "varje"]))
            || self.plural_addressee(i, first, last)
            || self.whole_body_of_people(i)
    }

    /// `hela socialnämnden`, `halva förvaltningen`: the people of a body
    /// ([`Class::PeopleBodies`]), all or half of them.
    pub(super) fn whole_body_of_people(&self, i: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(i);
        i > 0
            && doc.is(i - 1, &["hela", "halva"])
            && !word.is_empty()
            && doc.classes.ends_with_any(word, Class::PeopleBodies)
    }

    /// `Den som tjallade`, `de som anmälde oss`: a pronoun whose relative
    /// clause says which person or people are meant.
    fn described_by_relative(&self, i: usize) -> bool {
        let doc = self.doc;
        doc.is(i, &["den", "de", "dom", "han", "hon"])
            && doc.is(i + 1, &["som"])
            && doc.same_sentence(i, i + 1)
    }

    /// Whoever suffers the violence by the sentence's own grammar, though
    /// no list names them: the subject heading the clause of the modal of a
    /// passive of violence or of violence received (`reportern borde
    /// våldtas`, `alla sossar borde ställas mot väggen och skjutas`,
    /// `sjuksköterskor borde få stryk`). Evidence only: the confirming
    /// model decides whether it is an attack.
    fn unnamed_victim(&self, i: usize, first: usize, last: usize, death: bool) -> bool {
        let doc = self.doc;
        // The subject heads its clause (`duvorna på torget borde gasas`
        // is about the doves, not the square), also after whose it is
        // (`Trafikkontorets nya chef ska skjutas`).
        let heads_clause = doc.clause_start(i)
            || (i > 0 && doc.is(i - 1, Class::Quantifiers))
            || (doc.genitive_before(i) && doc.clause_start(i - 1))
            || (i > 1 && doc.genitive_before(i - 1) && doc.clause_start(i - 2));
        let suffered = death
            || (doc
                .classes
                .ends_with_any(doc.word(last), Class::ViolenceParticiples)
                && !doc.is(last, Class::ThingPassives))
            || doc.is(first, Class::Receive);
        let subject_of_modal =
            i < first && heads_clause && suffered && self.modal_of_subject(i, first);
        // Weeds and slugs die too (`Kirskålen ska dö en gång för alla`):
        // death needs a subject the lists know as a person.
        let person = self.described_by_relative(i)
            || if death {
                self.aimed_person(i, first, last) || self.counted_at_a_place(i)
            } else {
                self.may_be_people(i)
            };
        subject_of_modal && person
    }

    /// `alla på kontoret`, `samtliga i styrelsen`: everyone where the
    /// place says, people however the place is named. Not `alla ska dö`
    /// nor a sentence that makes death everyone's lot (`alla på jorden ska
    /// dö`, `alla i min familj ska dö en dag`).
    fn counted_at_a_place(&self, i: usize) -> bool {
        let doc = self.doc;
        doc.is(i, Class::CountedPeople)
            && doc.is(i + 1, Class::PlacePrepositions)
            && doc.same_sentence(i, i + 1)
            && !doc
                .sentence_tokens(i)
                .any(|t| doc.phrase_of(t, Class::Mortality).is_some())
    }

    /// The modal of the clause `subject` heads stands right after it, or
    /// after a place or a relative clause that says which people
    /// (`mongona på gruppboendet borde gasas`, `hemmafruar som klagar ska
    /// få stryk`), before the word of violence at `first`: the subject the
    /// shapes of `aimed.rs` find before a modal (`subject_before_place`,
    /// `relative_clause_heads`).
    fn modal_of_subject(&self, subject: usize, first: usize) -> bool {
        let doc = self.doc;
        let modal = |m: usize| doc.is(m, Class::DeserveModals) || self.is_modal(m);
        modal(subject + 1)
            || (subject + 2..first).filter(|&m| modal(m)).any(|m| {
                self.subject_before_place(m) == Some(subject)
                    || self.relative_clause_heads(m).any(|head| head == subject)
            })
    }

    /// Someone named by an insult (`fittan på kundtjänst`, `polisjävlarna`):
    /// a target of a verb of violence, not of a death word (`dö då era
    /// jävlar` curses more than it threatens). Not an insult calling the
    /// addressee (`din jävel`, `era jävlar`, `ni idioter`): whom it names,
    /// a pronoun says (`ta livet av er själva, era jävlar` urges
    /// self-harm, which a person judges).
    fn insulted(&self, i: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(i);
        let calls_the_addressee = i > 0 && doc.is(i - 1, Class::Addressee);
        !word.is_empty()
            && doc.classes.ends_with_any(word, Class::PersonInsults)
            && !calls_the_addressee
    }

    /// A word of [`COUNTED_NOUN_MIN`] letters or more that names no
    /// animal, thing, building or pronoun: `Älgen ska skjutas` and `Bilen
    /// borde skjutas fram` name no person the violence is aimed at.
    fn may_be_people(&self, i: usize) -> bool {
        let doc = self.doc;
        let no_person = [
            Class::Subjects,
            Class::Determiners,
            Class::NotPersonNouns,
            Class::Animals,
            Class::HousesOfWorship,
        ]
        .into_iter()
        .any(|class| doc.is(i, class));
        doc.word(i).chars().count() >= COUNTED_NOUN_MIN && !doc.ends_like_a_thing(i) && !no_person
    }

    /// The person right after the verb is given what an idiom makes (`jag
    /// tänker bränna dig en skiva`): the one it is done for.
    fn given_a_thing(&self, last: usize, at: usize) -> bool {
        let doc = self.doc;
        at == last + 1
            && doc.is(at + 1, &["en", "ett", "några"])
            && doc.is_or_owned_in(at + 2, Class::IdiomObjects)
    }

    /// People counted (`skjuta alla`, `döda samtliga`): a target
    /// of a verb of violence, not of a death word. Only the count standing
    /// alone: what follows `alla` names whom (`alla råttor i källaren`),
    /// and is a target only when it names people.
    fn counted_people(&self, i: usize) -> bool {
        let doc = self.doc;
        let names_whom = doc.same_sentence(i, i + 1)
            && doc.word(i + 1).chars().count() >= COUNTED_NOUN_MIN
            && !doc.is(i + 1, &["från", "utom", "över", "inom", "mellan"]);
        doc.is(i, Class::CountedPeople) && !names_whom
    }

    /// `ni` as the subject of the word (`ni ska dö`, `ni kommer skjutas`)
    /// or `er` right after it (`vi ska slå ihjäl er`): the plural
    /// addressee. Not the `ni` a call is made to (`ni som kan, spräng
    /// kamerorna`), nor `er` as a possessive (`er bil`) or reflexive (`ta
    /// livet av er själva`, `ta livet av er allihop`: urging self-harm,
    /// which a person judges).
    fn plural_addressee(&self, i: usize, first: usize, last: usize) -> bool {
        let doc = self.doc;
        let subject = i < first
            && doc.is(i, &["ni"])
            && (i + 1 == first || doc.is(i + 1, Class::StrongIntent))
            && !doc.imperative(first);
        // After an imperative `er` is the addressees themselves (`ta livet
        // av er allihop`).
        let object = i == last + 1
            && doc.is(i, &["er"])
            && !doc.is(i + 1, &["själva", "själv"])
            && !doc.imperative(first);
        subject || object
    }

    /// A capitalised word after a neuter determiner (`det här Excel-arket`,
    /// `ett Volvo-fel`) or before a hyphen that joins it to a noun names a
    /// thing, not a person.
    fn names_a_thing(&self, i: usize) -> bool {
        let doc = self.doc;
        let neuter = |t: usize| doc.is(t, &["det", "ett"]);
        let pointed = i > 1 && neuter(i - 2) && doc.is(i - 1, &["här", "där"]);
        (i > 0 && neuter(i - 1)) || pointed || doc.hyphen_between(i, i + 1)
    }

    /// A name after a preposition of place is a place (`vid Gärdet`, `i
    /// Husby`), not a person.
    fn names_a_place(&self, i: usize) -> bool {
        i > 0
            && self
                .doc
                .is(i - 1, &["i", "vid", "på", "från", "till", "mot", "utanför"])
    }

    fn evidence_verdict(
        &self,
        word: usize,
        last: usize,
        target: &Target,
        masked: &[(usize, usize)],
    ) -> Verdict {
        let doc = self.doc;
        let said = format!("»{}«", doc.normalized_original(doc.span(word, last)));
        let (row, whom) = match *target {
            Target::Group(i) => {
                let group = match masked_word_at(masked, i) {
                    Some((a, b)) => doc.normalized_original(doc.span(a, b)),
                    None => doc.word(i),
                };
                (
                    row!("il.hets_mot_folkgrupp.violence_aimed"),
                    format!(", »{group}«"),
                )
            }
            // A name stays out of the reason (it travels in e-mails); the
            // moderator sees it in the comment.
            Target::Person(i) if doc.is_name(i) => {
                (row!("il.olaga_hot.violence_aimed"), String::new())
            }
            Target::Person(i) => (
                row!("il.olaga_hot.violence_aimed"),
                format!(", »{}«", doc.word(i)),
            ),
        };
        Verdict::said(
            row,
            Confidence::Possible,
            Said::After(&format!(" ({said}{whom}){PERSON_DECIDES}.")),
        )
    }
}

/// The tokens of the `masked` group word that token `i` is part of.
fn masked_word_at(masked: &[(usize, usize)], i: usize) -> Option<(usize, usize)> {
    masked
        .iter()
        .copied()
        .find(|&(first, last)| (first..=last).contains(&i))
}
