//! Offentlig uppmaning till terroristbrott (lag 2022:666): calls to join,
//! fund or commit terrorism.
//!
//! - `il.terror_uppmaning.attack_on_people` (**obvious**): an imperative or
//!   collective call (`slå till mot`, `kör in i`, `bygg bomben … och lägg
//!   den`, `tänd eld på`) of an attack where people gather or on a
//!   protected group (`paraden`, `under högtiden`, `i rusningstid`,
//!   `judar`, also a slur: `svartskallar`), with no guard and no condition.
//! - `il.terror_uppmaning.attack_call`: the parts of an attack call
//!   without the certainty of the obvious shape — an attack verb
//!   (`spräng`, `bomba`, `förgifta`, `slå ut`, `sabotera`, `kör över`) put
//!   as a call (an imperative, `vi ska`, `det är er plikt att`, `den som
//!   kan ska`, `genom att`, `fler … som`) and aimed at a target of terror
//!   (`ambassaden`, `elnätet`, `vattenverket`, `riksdagen`), at people, or
//!   framed as religious or political struggle anywhere in the comment
//!   (`allahu akbar`, `kuffar`, `ekokrigare`, an organisation or an
//!   emulated perpetrator): probable; a question makes it possible. With framing, a killing verb aimed at `dem alla` is also
//!   obvious (`allahu akbar, döda dem alla på torget`).
//! - `il.terror_uppmaning.call`: a terror call (`martyrdöden`, `dö för
//!   saken`, `strid för`, `legitimt mål`, `bygga en bomb`); probable when
//!   listed as `probable`, with a terrorist organisation or emulated
//!   perpetrator anywhere in the comment, with violence, a weapon or
//!   another call in the comment, or aimed at people; else no finding for
//!   weak calls (`gå med i`). Questions and hypotheticals make it possible;
//!   quotation, news, counter-speech and a sentence opening with `att`
//!   (`Att döda otrogna är aldrig rätt`) give no finding.
//!
//! A disabling act (`slå ut`, `lamslå`, `sabotera`, `hacka`) takes a system
//! as its object: its call is reviewed by `attack_call`, never obvious,
//! even with a gathering word in the sentence (`slå ut 112-centralen`).
//!
//! When none of the above is found, shapes built from the parts of the
//! offence (anchors in the word list, each checked only when its rarer part
//! is listed in the comment) are reviewed as probable; quotation, news and
//! counter-speech give nothing:
//!
//! | rule | parts |
//! |---|---|
//! | `.glorified` | praise (`hjälte`, `mästerverk`, `i paradiset`, `rätt idé`) and an attack or perpetrator named in the comment (`attentatet`, `-bombaren`, a violent event, a listed perpetrator); not in a sentence praising rescuers (`polisen`, `stoppade`) |
//! | `.armed_recruitment` | armed struggle (`väpnad kamp`, `träningsläger`, `ta till vapen`) in a sentence that recruits (`rekryterar`, `värvar`, `söker`); not lawful forces (`hemvärnet`) |
//! | `.financing` | money given (`bitcoin`, `swisha`, `intäkter`) and a weapon or explosive in the same sentence, put as a call (an imperative, `går till`) |
//! | `.no_survivors` | `ingen ska överleva`, `inga överlevande` with a gathering in the sentence or the one before |

use super::*;

/// How many tokens after an attack verb a slur may stand as its object:
/// `bomba Rinkeby och alla svartskallar`.
const SLUR_OBJECT_WINDOW: usize = 5;

impl Rules<'_, '_> {
    pub(super) fn terror(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let organisation = self.with_role(Role::TerrorOrganisation).next().is_some();
        let framed = organisation || self.with_role(Role::TerrorFraming).next().is_some();
        let calls = self.with_role(Role::TerrorCall).count();
        let context = calls > 1
            || framed
            || self.hits.iter().any(|h| {
                matches!(h.role(), Role::Violence | Role::Weapon | Role::Incitement)
                    && !doc.negated(h.first, h.last)
            });
        let mut attack_found = false;
        for act in self.hits.iter().filter(|h| self.is_attack(h)) {
            if let Some(last) = self.attack_on_people(act, framed) {
                attack_found = true;
                out.push(
                    Verdict::said(
                        row!("il.terror_uppmaning.attack_on_people"),
                        Confidence::Obvious,
                        Said::After("."),
                    )
                    .at(doc.span(act.first, last)),
                );
            }
        }
        if attack_found {
            return;
        }
        let mut called = false;
        for act in self.hits.iter().filter(|h| self.may_attack(h)) {
            if let Some((confidence, last)) = self.attack_call(act, framed) {
                called = true;
                let reason = if confidence == Confidence::Probable {
                    "Uppmaning till ett attentat eller sabotage mot samhället eller människor."
                        .to_owned()
                } else {
                    guarded_reason("Kan vara en uppmaning till attentat", Guard::Question)
                };
                out.push(
                    Verdict::of(row!("il.terror_uppmaning.attack_call"), confidence, reason)
                        .at(doc.span(act.first, last)),
                );
            }
        }
        let before_parts = out.len();
        for call in self.with_role(Role::TerrorCall) {
            if doc.negated(call.first, call.last) || doc.discussed(call.first) {
                continue;
            }
            let people = self.people_in_sentence(call.first, true).is_some();
            let strong = framed || people || call.found.entry.confidence >= Confidence::Probable;
            if !strong && !context {
                // A bare "gå med i" or "martyr" is too common to review.
                continue;
            }
            let (confidence, reason) = match doc.guard(call.first, call.last) {
                Some(Guard::Quotation | Guard::News | Guard::CounterSpeech) => continue,
                Some(g) => (
                    Confidence::Possible,
                    guarded_reason("Uppmaning till terror", g),
                ),
                None if strong => (
                    Confidence::Probable,
                    "Uppmaning att ansluta sig till, stödja eller utföra terrorbrott.".to_owned(),
                ),
                // Already reviewed as an attack call.
                None if called => continue,
                None => (
                    Confidence::Possible,
                    "Kan vara en uppmaning till terrorbrott.".to_owned(),
                ),
            };
            out.push(
                Verdict::of(row!("il.terror_uppmaning.call"), confidence, reason)
                    .at(doc.hit_span(call)),
            );
        }
        if !called && out.len() == before_parts {
            self.terror_parts(organisation, out);
        }
    }

    /// Shapes built from the parts of the offence, each anchored on a
    /// listed word of the rarer part and reviewed (probable): glorifying an
    /// attack (`.glorified`), recruiting to armed struggle
    /// (`.armed_recruitment`), financing explosives or weapons
    /// (`.financing`) and wishing no survivors at a gathering
    /// (`.no_survivors`). Quotation, news, counter-speech and negation give
    /// nothing.
    fn terror_parts(&self, perpetrator: bool, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let anchors = || {
            self.with_role(Role::Anchor)
                .filter(|h| h.found.entry.category == Category::TerrorUppmaning)
        };
        let kind = |h: &Hit<'_>| terror_part(doc.word(h.first));
        let mut push = |rule: &'static RuleRow, reason: &str, first: usize, last: usize| {
            out.push(
                Verdict::of(rule, Confidence::Probable, reason.to_owned())
                    .at(doc.span(first, last)),
            );
        };
        let clean = |h: &Hit<'_>| {
            !doc.negated(h.first, h.last)
                && !matches!(
                    doc.guard(h.first, h.last),
                    Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
                )
        };
        // `ta till vapen` is listed for uppvigling (incitement): armed
        // struggle too.
        let armed = |h: &Hit<'_>| h.role() == Role::Incitement && doc.is(h.last, &["vapen"]);
        // `är en hjälte` is listed as a terror call: praise too.
        let hero = |h: &Hit<'_>| h.role() == Role::TerrorCall && doc.is(h.last, &["hjälte"]);
        let parts = self.hits.iter().filter(|h| {
            (h.role() == Role::Anchor && h.found.entry.category == Category::TerrorUppmaning)
                || armed(h)
                || hero(h)
        });
        for part in parts {
            let part_kind = if armed(part) {
                Some(Part::Armed)
            } else if hero(part) {
                Some(Part::Praise)
            } else {
                kind(part)
            };
            match part_kind {
                Some(Part::Praise) => {
                    // Praise of those who stopped or survived the attack is
                    // no glorification.
                    // An attack named by this list or as a violent event
                    // (`terrorattacken`, listed for våldsskildring).
                    let attack = perpetrator
                        || self.with_role(Role::ViolentEvent).next().is_some()
                        || anchors().any(|h| kind(h) == Some(Part::Attack));
                    if attack && clean(part) && !doc.sentence_has(part.first, Class::Rescuers) {
                        push(
                            row!("il.terror_uppmaning.glorified"),
                            "Förhärligar ett terrordåd eller dess gärningsman.",
                            part.first,
                            part.last,
                        );
                        return;
                    }
                }
                Some(Part::Armed) => {
                    let recruits = doc.sentence_has(part.first, Class::Recruiting)
                        || self
                            .with_role(Role::TerrorCall)
                            .any(|h| doc.is(h.first, &["recruiting", "recruit", "recruits"]));
                    if recruits && clean(part) && !doc.sentence_has(part.first, Class::LawfulForces)
                    {
                        push(
                            row!("il.terror_uppmaning.armed_recruitment"),
                            "Värvning till väpnad kamp.",
                            part.first,
                            part.last,
                        );
                        return;
                    }
                }
                Some(Part::Money) => {
                    let arms = self.hits.iter().any(|h| {
                        doc.same_sentence(h.first, part.first)
                            && (h.role() == Role::Weapon
                                || (h.role() == Role::Anchor && kind(h) == Some(Part::Explosive)))
                    });
                    let given = doc.sentence_opened_by_imperative(part.first).is_some()
                        || doc.sentence_has(part.first, &["går", "skicka", "swisha", "donera"]);
                    if arms && given && clean(part) {
                        push(
                            row!("il.terror_uppmaning.financing"),
                            "Uppmaning att finansiera vapen eller sprängämnen.",
                            part.first,
                            part.last,
                        );
                        return;
                    }
                }
                Some(Part::NoSurvivors) => {
                    let before = doc.previous_sentence(part.first);
                    let people = self.people_in_sentence(part.first, false).or_else(|| {
                        (!before.is_empty())
                            .then_some(before.start)
                            .and_then(|i| self.people_in_sentence(i, false))
                    });
                    // `ingen` is this part's own word, not a negation.
                    let guarded = matches!(
                        doc.guard(part.first, part.last),
                        Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
                    );
                    if people.is_some() && !guarded {
                        push(
                            row!("il.terror_uppmaning.no_survivors"),
                            "Uppmaning att döda människor där de samlas.",
                            part.first,
                            part.last,
                        );
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// An act that can be an attack: serious violence, forceful incitement
    /// (`tänd eld på`), a terror call that starts with an attack verb or
    /// follows one (`kör bussen rakt in i folkmassan`), or a weapon put in
    /// place (`placera bomben`).
    fn is_attack(&self, hit: &Hit<'_>) -> bool {
        match hit.role() {
            // `kasta ut`, `slänga ut` are listed as possible: expulsion,
            // not an attack.
            Role::Violence => hit.found.entry.confidence >= Confidence::Probable,
            Role::Incitement => hit.found.entry.confidence >= Confidence::Probable,
            Role::TerrorCall => self.doc.is(hit.first, Class::AttackVerbs) || self.rammed(hit),
            Role::Weapon => self.placed(hit),
            _ => false,
        }
    }

    /// `placera bomben`, `kasta handgranaten`: an order to put a weapon
    /// in place.
    fn placed(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        hit.role() == Role::Weapon
            && hit.first > 0
            && doc.is(hit.first - 1, Class::Placing)
            && doc.imperative(hit.first - 1)
    }

    /// `kör lastbilen rakt in i folkmassan`: `in i …` after an imperative
    /// of driving.
    fn rammed(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        doc.is(hit.first, &["in", "rakt"])
            && (hit.first.saturating_sub(3)..hit.first).any(|i| {
                doc.same_sentence(i, hit.first)
                    && doc.is(i, &["kör", "köra", "styr", "meja"])
                    && doc.imperative(i)
            })
    }

    /// An act that, as a call at a target of terror, is reviewed: the
    /// attacks, sabotage (`sabotera`), and weapons of terror sent or placed
    /// (`skicka brevbomber`).
    fn may_attack(&self, hit: &Hit<'_>) -> bool {
        // `dö` is no attack on others.
        (self.is_attack(hit) && !self.doc.is(hit.first, &["dö"]))
            || (hit.role() == Role::Incitement
                && (self.doc.is(hit.first, &["sabotera"]) || self.doc.is(hit.last, &["vapen"])))
            || (hit.role() == Role::TerrorCall
                && hit.first > 0
                && self.doc.imperative(hit.first - 1))
            || self.armed_call(hit)
    }

    /// `gå dit med kniv`, `ta gatorna med vapen`, `ta med vapen till …`:
    /// an order to go somewhere armed.
    pub(super) fn armed_call(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        let (weapon, verb_end) = match hit.role() {
            // `ta era järnrör`: a weapon right after `ta`/`ta med` needs no
            // `med`.
            Role::Weapon if hit.first > 0 && doc.is(hit.first - 1, &["era", "dina"]) => {
                return doc.imperative(hit.first.saturating_sub(2))
                    && doc.is(hit.first.saturating_sub(2), &["ta", "hämta", "grip"]);
            }
            Role::Weapon => (true, hit.first),
            // `ta med vapen`: the verb is the first word of the act.
            Role::Incitement => (doc.is(hit.last, &["vapen"]), hit.first + 1),
            _ => (false, hit.first),
        };
        self.placed(hit)
            || weapon
                && hit.last > 0
                && doc.is(hit.last - 1, &["med"])
                && (hit.first.saturating_sub(4)..verb_end)
                    .any(|i| doc.same_sentence(i, hit.first) && doc.imperative(i))
    }

    /// A call put as an order or a duty: an imperative (also of the verb
    /// before a weapon, `skicka brevbomber`), `vi ska`, `låt oss`, `dags
    /// att`, `det är er plikt`, or `den som kan … ska`.
    fn terror_call_form(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(act.first);
        // `Varje sann troende måste ta till vapen`: believers addressed
        // with a modal.
        let framed_modal = (sentence.start..act.first)
            .any(|i| self.role_at(i, &[Role::TerrorFraming]).is_some())
            && doc.sentence_has(act.first, &["måste", "ska", "skall", "bör", "borde"]);
        let hortative = framed_modal
            || doc.sentence_has(act.first, &["plikt", "plikten"])
            || (doc.is(sentence.start, &["den", "ni", "alla", "var", "varje"])
                && doc.is(sentence.start + 1, &["som"])
                && doc.sentence_has(act.first, &["ska", "skall", "måste", "bör"]));
        doc.imperative(act.first)
            || doc.collective_call(act.first)
            || (act.first > sentence.start
                && doc.imperative(act.first - 1)
                && act.role() == Role::TerrorCall)
            || hortative
    }

    /// The last token of an unguarded direct call to attack people.
    fn attack_on_people(&self, act: &Hit<'_>, framed: bool) -> Option<usize> {
        let doc = self.doc;
        let direct = doc.imperative(act.first)
            || doc.collective_call(act.first)
            || self.rammed(act)
            || self.placed(act);
        if !direct
            || self.attack_excused(act)
            || self.disabling(act)
            || doc.threat_guard(act.first, act.last).is_some()
        {
            return None;
        }
        // Violence against a group is hets (BrB 16:8); a terror attack is
        // aimed at a gathering, or named as one by a terror call.
        let groups = act.role() == Role::TerrorCall;
        if let Some(people) = self
            .people_in_sentence(act.first, groups)
            .filter(|&p| self.aimed_at(act, p))
            .or_else(|| groups.then(|| self.slur_object(act)).flatten())
        {
            return Some(people.max(act.last));
        }
        // `Allahu akbar, döda dem alla på torget`: killing put as a
        // religious or political struggle, aimed at `dem alla`.
        let victims = doc.next_after_fillers(act.last, 2, Class::PronounVictims);
        (framed && act.role() == Role::Violence)
            .then_some(victims)
            .flatten()
            .filter(|_| doc.is(act.last + 1, &["dem", "dom"]))
    }

    /// `slå ut 112-centralen`, `lamslå elnätet`, `sabotera`, `hacka`: acts
    /// that disable a function take systems as their object, so a call of
    /// them is sabotage (reviewed by `attack_call`), never a call to
    /// attack people, whatever gathering word sits in the sentence.
    fn disabling(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        (doc.is(act.first, &["slå", "slår"]) && doc.is(act.first + 1, &["ut"]))
            || doc.is(act.first, Class::Disabling)
    }

    fn attack_excused(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        doc.negated(act.first, act.last)
            || doc.discussed(act.first)
            || doc.idiom_object_after(act.last)
            || doc.is(
                doc.sentence_tokens(act.first).start,
                &["om", "ifall", "när"],
            )
    }

    /// A call to attack a target of terror, people, or anything when the
    /// comment frames it as struggle: probable, or possible when asked or
    /// hypothetical; quotation, news and counter-speech give nothing.
    fn attack_call(&self, act: &Hit<'_>, framed: bool) -> Option<(Confidence, usize)> {
        let doc = self.doc;
        let called = self.terror_call_form(act)
            || self.armed_call(act)
            || self.recruiting(act)
            || (act.first > 1 && doc.phrase_at(act.first - 2, &["genom", "att"]));
        if !called || self.attack_excused(act) {
            return None;
        }
        let target = doc
            .sentence_tokens(act.first)
            .find(|&i| {
                let word = doc.word(i);
                doc.classes.ends_with_any(word, Class::TerrorTargets)
            })
            .or_else(|| self.people_in_sentence(act.first, true))
            .filter(|&t| self.aimed_at(act, t));
        // A violent verb with neither target nor framing is a threat or
        // hets, not terror; killing named a duty (`det är en plikt`) is
        // framing.
        let duty = doc.sentence_has(act.first, &["plikt", "plikten"]);
        if target.is_none() && !framed && !duty {
            return None;
        }
        let last = target.map_or(act.last, |t| t.max(act.last));
        match doc.threat_guard(act.first, act.last) {
            Some(Guard::Question) => Some((Confidence::Possible, last)),
            Some(_) => None,
            None => Some((Confidence::Probable, last)),
        }
    }

    /// Driving into something names its object right after it, perhaps
    /// after `dem` and a preposition (`kör över dem på julmarknaden`):
    /// `kör in i parkeringshuset vid gallerian` is no attack on the
    /// shopping centre.
    fn aimed_at(&self, act: &Hit<'_>, target: usize) -> bool {
        let doc = self.doc;
        let driving = doc.is(act.first, Class::Driving);
        !driving
            || (act.first..=act.last).contains(&target)
            || (act.last < target
                && target <= act.last + 4
                && (act.last + 1..target).all(|i| {
                    doc.is(
                        i,
                        &["dem", "dom", "de", "alla", "på", "i", "vid", "mot", "hela"],
                    )
                }))
    }

    /// `bomba alla svartskallar`, `bomba Rinkeby och alla svartskallar`: a
    /// slur as the attack's object, within [`SLUR_OBJECT_WINDOW`] after it
    /// with nothing but determiners or a first target joined by `och`
    /// between; not a compound that only names a thing (`bomba chatten med
    /// svartskalle-memes`).
    fn slur_object(&self, act: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let between_ok = |i: usize| {
            doc.is(
                i,
                &[
                    "alla", "de", "dom", "dem", "hela", "varenda", "jävla", "och",
                ],
            ) || doc.is(i + 1, &["och"])
        };
        (act.last + 1..=act.last + SLUR_OBJECT_WINDOW)
            .take_while(|&t| doc.same_sentence(act.last, t))
            .take_while(|&t| self.role_at(t, &[Role::Slur]).is_some() || between_ok(t))
            .find(|&t| self.role_at(t, &[Role::Slur]).is_some())
            .filter(|&t| !doc.word(t).contains('-'))
    }

    /// `vi behöver fler som slår till mot …`, `fler ensamvargar som`: a
    /// call for people who attack.
    fn recruiting(&self, act: &Hit<'_>) -> bool {
        let doc = self.doc;
        doc.within_before(act.first, 2, &["som"]).is_some()
            && doc.sentence_has(act.first, &["fler", "behöver", "behövs"])
    }

    /// A gathering of people (or, with `groups`, a protected group) in the
    /// sentence.
    fn people_in_sentence(&self, index: usize, groups: bool) -> Option<usize> {
        let doc = self.doc;
        doc.sentence_tokens(index).find(|&i| {
            let word = doc.word(i);
            doc.classes.ends_with_any(word, Class::Gatherings)
                || (groups && self.role_at(i, &[Role::Group]).is_some())
        })
    }
}

/// The parts of a terror offence that the list's anchors name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Praise,
    Attack,
    Armed,
    Money,
    Explosive,
    NoSurvivors,
}

/// Which part an anchor of the terror list names, by its first word.
fn terror_part(word: &str) -> Option<Part> {
    Some(match word {
        "hjälte" | "hjälten" | "hjältar" | "hjältarna" | "hjältedåd" | "våra" | "lejonen"
        | "mästerverk" | "mästerverket" | "saint" | "legendary" | "shaheed" | "i" | "rätt" => {
            Part::Praise
        }
        "attacken" | "attackerna" | "attentatet" | "attentaten" | "dådet" | "terrordådet"
        | "massakern" | "slog" | "sprängde" | "7" | "11" | "22" => Part::Attack,
        "väpnad" | "väpnade" | "ta" | "träningsläger" | "träningslägret" => Part::Armed,
        "bitcoin" | "kryptovaluta" | "swisha" | "swish" | "intäkter" | "intäkterna" | "donera"
        | "donationer" => Part::Money,
        "sprängämnen" | "sprängämne" | "sprängmedel" | "sprängmedlet" => Part::Explosive,
        "ingen" | "inga" | "lämna" => Part::NoSurvivors,
        w if w.ends_with("bombaren")
            || w.ends_with("bombarna")
            || w.ends_with("attentatsmannen")
            || w.ends_with("gärningsmannen") =>
        {
            Part::Attack
        }
        _ => return None,
    })
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.terror_uppmaning.attack_on_people",
        category: Category::TerrorUppmaning,
        trigger: "an attack verb; a place where people gather",
        shape: "an imperative or collective call of an attack where people gather",
        guards: "quotation, news, counter-speech, question, hypothetical; negation; a game",
        strength: Strength::Obvious,
        reason: "Uppmaning att utföra ett attentat mot människor",
        basis: BASIS_TERROR,
        positive: "Kör in i folkmassan på festivalen med en lastbil",
        negative: "Kör in i parkeringshuset på festivalen med en lastbil",
    },
    RuleRow {
        id: "il.terror_uppmaning.attack_call",
        category: Category::TerrorUppmaning,
        trigger: "an attack verb; a target of terror",
        shape: "an attack or sabotage as a call at a target of terror, or framed as struggle",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Uppmaning till ett attentat eller sabotage",
        basis: BASIS_TERROR,
        positive: "Sabotera elnätet i vinter så samhället faller",
        negative: "Laga elnätet i vinter så samhället fungerar",
    },
    RuleRow {
        id: "il.terror_uppmaning.call",
        category: Category::TerrorUppmaning,
        trigger: "a listed call to terrorism (role `terror_call`)",
        shape: "a call to join, support or commit terrorism",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "Uppmaning att ansluta sig till, stödja eller utföra terrorbrott",
        basis: BASIS_TERROR,
        positive: "Res ner och strid för al-Shabaab",
        negative: "Res ner och spela för Djurgården",
    },
    RuleRow {
        id: "il.terror_uppmaning.armed_recruitment",
        category: Category::TerrorUppmaning,
        trigger: "recruiting words",
        shape: "recruiting to armed struggle",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "Värvning till väpnad kamp",
        basis: BASIS_TERROR,
        positive: "Vi värvar unga till väpnad kamp, hör av er.",
        negative: "Vi värvar unga till fotbollslaget, hör av er.",
    },
    RuleRow {
        id: "il.terror_uppmaning.financing",
        category: Category::TerrorUppmaning,
        trigger: "a payment word; weapons or explosives",
        shape: "a call to pay for weapons or explosives",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "Uppmaning att finansiera vapen eller sprängämnen",
        basis: BASIS_TERROR,
        positive: "Swisha till oss så köper vi sprängmedel åt bröderna.",
        negative: "Swisha till oss så köper vi fotbollar åt bröderna.",
    },
    RuleRow {
        id: "il.terror_uppmaning.glorified",
        category: Category::TerrorUppmaning,
        trigger: "an attack or its perpetrator",
        shape: "praise of a terror attack or its perpetrator",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "Förhärligar ett terrordåd eller dess gärningsman",
        basis: BASIS_TERROR,
        positive: "Gärningsmannen i Malmö är en hjälte för oss.",
        negative: "Brandmannen i Malmö är en hjälte för oss.",
    },
    RuleRow {
        id: "il.terror_uppmaning.no_survivors",
        category: Category::TerrorUppmaning,
        trigger: "`inga överlevande` (anchor)",
        shape: "no survivors wished where people gather",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "Uppmaning att döda människor där de samlas",
        basis: BASIS_TERROR,
        positive: "Kör dit när publiken går hem. Inga överlevande.",
        negative: "Kör dit när publiken går hem. Inga köer.",
    },
];
