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
//!
//! Built from the parts of the offence (`hets_from_parts`):
//!
//! | rule | shape |
//! |---|---|
//! | `.call_to_violence` (obvious unless guarded) | a call (imperative or modal) to burn or blow up with a group inside: `bränn den med alla X inuti`, `… borde sprängas med alla X i` |
//! | `.call_to_violence_review` | a call of force with `dem` for a group named before (`X … Sätt eld på dem allihop`); a hunting verb + group (`dags att jaga X`); a call glossed in the next sentence (`Rensa bort … Med det menar jag X`) |
//! | `.expulsion` | `ut med X`, `ut med islam ur Sverige`, `ingen moské i vår kommun`, `åk hem till era öknar`, `bättre utan X`, `X hör hemma i djungeln`, `X ska ut`, `X ska bort`, `X ska tillbaka till djungeln`, `inga fler X`; a modal before its subject (`när ska de åka hem`) |
//! | `.contempt` | secret control (`X styr media`, `X ligger bakom allt`); crimes as a habit (`X ljuger och stjäl`, `… X, de våldtar …`; not `ljuger om …`); rights barred (`X ska inte sitta i nämnder`, `borde inte få adoptera`, `ska inte få komma in`); trade in people (`importera X`); a cure demanded (`X borde botas`); a copula + a word of disease, perversion or scorn (`X är en perversion`, `X är tjuvar`, `X är girigare`; not someone's claim: `har hävdat att`); listed phrases with a group near (`ligger i deras natur`, `inte välkomna här`, `lägre iq`, `förtjänar inte att leva`, `slutgiltig lösning` on `invandrarfrågan`) |
//!
//! `inga undantag` after a call (`deportera alla X, inga undantag`) does
//! not deny it.

use super::*;

/// How many tokens before a verb a word may stand that makes it a call
/// (`dags att …`, `det är bäst att …`).
const CALL_MARKER_WINDOW: usize = 3;

/// How far after a group its copula may stand (`X är ohyra`, `judarna
/// här i stan är …`).
const COPULA_WINDOW: usize = 3;

/// How far after a group its copula may stand when a place follows the
/// group (`Somalierna på linje 1 är kackerlackor`).
const COPULA_AFTER_PLACE_WINDOW: usize = 5;

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
                let kind = self.violence_kind(violence);
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
                    Verdict::said(
                        row!("il.hets_mot_folkgrupp.contempt"),
                        confidence,
                        Said::After(": en nedsättande generalisering; en person behöver bedöma."),
                    )
                    .at(doc.span(first, last)),
                );
            }
        }
        for slur in self.with_role(Role::Slur) {
            if let Some(verdict) = self.slur_alone(slur) {
                out.push(verdict.at(doc.hit_span(slur)));
            }
        }
        self.hets_from_parts(out);
    }

    /// `skicka hem alla X`: a word of expulsion (listed `possible`) is
    /// review only, unless force is named with it (`med våld`); any other
    /// verb of violence is violence.
    fn violence_kind(&self, verb: &Hit<'_>) -> HetsKind {
        if verb.found.entry.confidence < Confidence::Probable && !self.by_force(verb.first) {
            HetsKind::Expulsion
        } else {
            HetsKind::Violence
        }
    }

    /// The sentence of `at` names force as the means: `med våld`, `med
    /// stryk`, `med kulor i ryggen`, `med knivar` (`med` + a noun of
    /// violence, a bullet or a weapon). Not `med tvång`, the law's word for
    /// a deportation by the authorities.
    ///
    /// The force may also open the next sentence, as an afterthought:
    /// `Romerna ska bort. Med våld om det behövs.`
    fn by_force(&self, at: usize) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(at);
        let afterthought = Some(sentence.end)
            .filter(|&next| doc.is(next, &["med"]))
            .map_or(0..0, |next| doc.sentence_tokens(next));
        sentence.chain(afterthought).any(|with| {
            doc.is(with, &["med"])
                && (with + 1..=with + 2)
                    .take_while(|&t| doc.same_sentence(with, t))
                    .any(|t| doc.is(t, Class::ViolenceNouns) || self.weapon_or_bullet(t))
        })
    }

    fn hets_verdict(&self, first: usize, last: usize, kind: HetsKind) -> Verdict {
        // The obvious rule, and what its shape is in a sentence after the
        // reason of `in_context` (`En skyddad folkgrupp`).
        let (rule, in_context) = match kind {
            HetsKind::Dehumanising => (
                row!("il.hets_mot_folkgrupp.dehumanising"),
                " beskrivs som djur, ohyra eller sjukdom",
            ),
            HetsKind::Violence => (
                row!("il.hets_mot_folkgrupp.call_to_violence"),
                " är mål för en uppmaning till eller önskan om våld",
            ),
            HetsKind::DehumanisingReview => {
                return self.hets_review(
                    first,
                    last,
                    row!("il.hets_mot_folkgrupp.dehumanising_review"),
                    Said::After("; en person behöver bedöma."),
                );
            }
            HetsKind::Expulsion => {
                // Quoted or discussed (`”utvisa alla X”` in counter-speech):
                // possible.
                return self.hets_review(
                    first,
                    last,
                    row!("il.hets_mot_folkgrupp.expulsion"),
                    Said::After(
                        " sägs böra rensas bort eller kastas ut; en person behöver bedöma.",
                    ),
                );
            }
        };
        match self.doc.guard(first, last) {
            Some(g) => {
                let row = row!("il.hets_mot_folkgrupp.in_context");
                let what = format!("{}{in_context}", row.reason);
                Verdict::of(row, Confidence::Probable, guarded_reason(&what, g))
            }
            None => Verdict::said(rule, Confidence::Obvious, Said::After(".")),
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
                let copula = self.copula_after(target.last)?;
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

    /// The copula after a group ending at `last`: within
    /// [`COPULA_WINDOW`], or further after a place the group is at
    /// (`Araberna på min gata är råttor`), when no clause of its own
    /// (`att`, `som`) comes between (`Muslimer i Sverige tycker att grisar
    /// är djur` says nothing about the group).
    fn copula_after(&self, last: usize) -> Option<usize> {
        let doc = self.doc;
        let at_a_place = doc.is(last + 1, Class::PlacePrepositions);
        let window = if at_a_place {
            COPULA_AFTER_PLACE_WINDOW
        } else {
            COPULA_WINDOW
        };
        let copula = (last + 1..=last + window)
            .take_while(|&i| doc.same_sentence(i, last))
            .find(|&i| doc.is(i, Class::Copula))?;
        (copula <= last + COPULA_WINDOW || !doc.clause_between(last + 2..copula)).then_some(copula)
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
            .find(|&i| doc.is(i, Class::Copula))
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
        // `när ska de åka hem`, `därför borde judarna dö`: the modal just
        // before its subject.
        let inverted = first
            .checked_sub(1)
            .filter(|&i| doc.is(i, Class::GroupModals) && doc.same_sentence(i, first));
        let modal = (last + 1..=last + 3)
            .take_while(|&i| doc.same_sentence(i, last))
            .find(|&i| doc.is(i, Class::GroupModals))
            .or(inverted.map(|_| last))?;
        let verb = (modal + 1..=modal + 3)
            .take_while(|&i| doc.same_sentence(i, modal))
            .find_map(|i| self.role_at(i, &[Role::Violence]))?;
        if doc.negated(target_first, verb.last) {
            return None;
        }
        Some((target_first, verb.last, self.violence_kind(verb)))
    }

    /// `döda alla X`, `vi borde utrota X`: returns the target's last token.
    fn called_against_group(&self, violence: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let target = (violence.last + 1..=violence.last + 3)
            .take_while(|&i| doc.same_sentence(i, violence.last))
            .take_while(|&i| {
                doc.is(i, Class::Fillers) || self.role_at(i, &[Role::Group, Role::Slur]).is_some()
            })
            .find_map(|i| self.role_at(i, &[Role::Group, Role::Slur]))?;
        // A noun of expulsion (`rensning av`, listed `possible`) right
        // before a group is review without a call.
        let called = doc.clause_start(violence.first)
            || (violence.found.entry.confidence < Confidence::Probable
                && doc.is(violence.last, &["av"]))
            || self.marked_as_call(violence.first);
        // `deportera alla X, inga undantag`: `inga` after the target
        // denies a noun of its own, not the call.
        let denied = doc.negated_before(violence.first, target.last + 1)
            || doc.is(target.last + 1, &["inte", "ej", "aldrig"]);
        if !called || denied {
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
            .is_some_and(|i| doc.is(i, Class::Reclaiming) && doc.same_sentence(i, slur.first))
            || (slur.first >= 2
                && doc.is(slur.first - 2, Class::FirstPerson)
                && doc.is(slur.first - 1, Class::Copula));
        if reclaimed {
            return None;
        }
        let base = slur.found.entry.confidence.min(Confidence::Probable);
        Some(match doc.guard(slur.first, slur.last) {
            Some(g) => {
                let row = row!("il.hets_mot_folkgrupp.slur_mentioned");
                Verdict::of(row, Confidence::Possible, guarded_reason(row.reason, g))
            }
            None => {
                let row = if self.listed_among_peoples(slur) {
                    row!("il.hets_mot_folkgrupp.slur_listed")
                } else {
                    row!("il.hets_mot_folkgrupp.slur")
                };
                Verdict::said(row, base, Said::After(&format!("{WORD_ALONE}.")))
            }
        })
    }

    /// The slur stands in a list of peoples (`indier, pakis, negrer och
    /// araber`): group words and slurs are at least two and at least half
    /// the words of its sentence. A list names peoples; it is not yet
    /// aimed at them, so a confirming model may not act on it
    /// (`il.hets_mot_folkgrupp.slur` is confirmable, this is not).
    fn listed_among_peoples(&self, slur: &Hit<'_>) -> bool {
        let sentence = self.doc.sentence_tokens(slur.first);
        let peoples = sentence
            .clone()
            .filter(|&i| self.role_at(i, &[Role::Group, Role::Slur]).is_some())
            .count();
        peoples >= 2 && 2 * peoples >= sentence.len()
    }
}

impl Rules<'_, '_> {
    /// A review verdict for hets mot folkgrupp: probable, or possible when
    /// guarded.
    fn hets_review<'a>(
        &self,
        first: usize,
        last: usize,
        row: &'static RuleRow,
        reason: impl Into<Said<'a>>,
    ) -> Verdict {
        let guard = self.doc.guard(first, last);
        Verdict::review(row, guard, reason)
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
    ) -> Option<(usize, &'static RuleRow, Said<'static>)> {
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
                let copula = self.copula_after(target.last)?;
                (copula + 5..=copula + 7)
                    .take_while(|&i| doc.same_sentence(i, copula))
                    .find_map(|i| self.role_at(i, &[Role::Dehumanising]))
            });
        if let Some(p) = likened.filter(|p| !doc.negated_before(target.first, p.first)) {
            return Some((
                p.last,
                row!("il.hets_mot_folkgrupp.likened"),
                Said::After("; en person behöver bedöma."),
            ));
        }
        // `en bra X är en X på andra sidan gränsen`: the group named twice
        // around a copula after `bra`/`god`, the old trope of the only good
        // member.
        let praised = target.first > 0 && doc.is(target.first - 1, &["bra", "god", "snäll"]);
        let praised_copula = after(2)
            .find(|&i| doc.is(i, Class::Copula))
            .filter(|_| praised);
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
                    row!("il.hets_mot_folkgrupp.contempt"),
                    Said::After(
                        ": det gamla greppet att en bra medlem är en död eller bortkörd; en \
                         person behöver bedöma.",
                    ),
                ));
            }
        }
        // `äckliga X`, `jävla X`: a word of contempt right before the group.
        if target.first > 0
            && doc.is(target.first - 1, Class::ContemptBefore)
            && doc.same_sentence(target.first - 1, target.first)
            && doc.guard(target.first, target.last).is_none()
        {
            return Some((
                target.last,
                row!("il.hets_mot_folkgrupp.contempt"),
                Said::After(
                    ": ett nedsättande ord framför gruppens namn; en person behöver bedöma.",
                ),
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
                row!("il.hets_mot_folkgrupp.expulsion"),
                Said::After(" sägs inte höra hemma här; en person behöver bedöma."),
            ));
        }
        for som in after(10).filter(|&i| doc.is(i, &["som"])) {
            let modal = (som + 1..=som + 2).find(|&i| doc.is(i, Class::GroupModals));
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
                    row!("il.hets_mot_folkgrupp.call_to_violence_review"),
                    Said::After(", uttryckt som en önskan i en bisats; en person behöver bedöma."),
                )
            } else {
                (
                    verb.last,
                    row!("il.hets_mot_folkgrupp.contempt"),
                    Said::After(
                        ": den pekas ut som förövare av grovt våld; en person behöver bedöma.",
                    ),
                )
            });
        }
        None
    }
}

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

/// No token at all: the phrase holds no negation of its own.
const NO_TOKENS: RangeInclusive<usize> = usize::MAX..=usize::MAX;

impl Rules<'_, '_> {
    /// Review shapes (and one obvious) built from the parts of the offence;
    /// see the module documentation.
    fn hets_from_parts(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for verb in self.with_role(Role::Violence) {
            if let Some(last) = self.burnt_with_group_inside(verb) {
                out.push(
                    self.hets_verdict(verb.first, last, HetsKind::Violence)
                        .at(doc.span(verb.first, last)),
                );
            } else if let Some(last) = self.glossed_next(verb) {
                out.push(
                    self.hets_review(
                        verb.first,
                        last,
                        row!("il.hets_mot_folkgrupp.call_to_violence_review"),
                        Said::After(
                            ", som pekas ut först i nästa mening; en person behöver bedöma.",
                        ),
                    )
                    .at(doc.span(verb.first, last)),
                );
            }
        }
        let forceful = self.hits.iter().filter(|h| {
            matches!(h.role(), Role::Violence | Role::Incitement)
                && h.found.entry.confidence >= Confidence::Probable
        });
        for act in forceful {
            let violence = act.role() == Role::Violence;
            if let Some(last) = self.group_object_called(act.first, act.last, violence) {
                out.push(
                    self.hets_review(
                        act.first,
                        last,
                        row!("il.hets_mot_folkgrupp.call_to_violence_review"),
                        Said::After("; en person behöver bedöma."),
                    )
                    .at(doc.span(act.first, last)),
                );
            }
        }
        for i in 0..doc.tokens.len() {
            let found = if doc.is(i, Class::Hunt) {
                self.group_object_called(i, i, false).map(|last| {
                    (
                        last,
                        row!("il.hets_mot_folkgrupp.call_to_violence_review"),
                        Said::After(
                            ": att jaga den eller ge sig på den; en person behöver bedöma.",
                        ),
                    )
                })
            } else {
                self.expelled(i).map(|last| {
                    (
                        last,
                        row!("il.hets_mot_folkgrupp.expulsion"),
                        Said::After(
                            " eller dess tro sägs inte höra hemma här; en person behöver bedöma.",
                        ),
                    )
                })
            };
            // `Ut med X. Med våld.`: expelled by force is violence.
            if let Some((last, _, _)) =
                found.filter(|_| !doc.is(i, Class::Hunt) && self.by_force(i))
            {
                out.push(
                    self.hets_verdict(i, last, HetsKind::Violence)
                        .at(doc.span(i, last)),
                );
            } else if let Some((last, rule, reason)) = found {
                out.push(
                    self.hets_review(i, last, rule, reason)
                        .at(doc.span(i, last)),
                );
            }
        }
        // `… flyktingar, de våldtar våra döttrar`: a pronoun for a group
        // named before, and a crime as its habit.
        for pronoun in (0..doc.tokens.len()).filter(|&i| doc.is(i, &["de", "dom", "dessa"])) {
            let named = self.hits.iter().any(|h| {
                matches!(h.role(), Role::Group | Role::Slur)
                    && h.last < pronoun
                    && doc.tokens[h.first].sentence + 1 >= doc.tokens[pronoun].sentence
            });
            let crime = pronoun + 1;
            if named
                && doc.is(crime, Class::HabitualCrimes)
                && doc.same_sentence(pronoun, crime)
                && !doc.is(crime + 1, &["om"])
                && !doc.negated(pronoun, crime)
            {
                out.push(
                    self.hets_review(
                        pronoun,
                        crime,
                        row!("il.hets_mot_folkgrupp.contempt"),
                        Said::After(
                            ": den sägs begå brott av vana eller natur; en person behöver bedöma.",
                        ),
                    )
                    .at(doc.span(pronoun, crime)),
                );
            }
        }
        let targets = [Role::Group, Role::Slur];
        for target in self.hits.iter().filter(|h| targets.contains(&h.role())) {
            if let Some(last) = self.group_shut_out(target) {
                let (first, last) = (target.first.min(last), last.max(target.last));
                // `X ska ut med våld`: shut out by force is violence.
                let verdict = if self.by_force(target.first) {
                    self.hets_verdict(first, last, HetsKind::Violence)
                } else {
                    self.hets_review(
                        first,
                        last,
                        row!("il.hets_mot_folkgrupp.expulsion"),
                        Said::After(" sägs inte höra hemma här; en person behöver bedöma."),
                    )
                };
                out.push(verdict.at(doc.span(first, last)));
            }
            if let Some((last, reason)) = self.group_maligned(target) {
                out.push(
                    self.hets_review(
                        target.first,
                        last,
                        row!("il.hets_mot_folkgrupp.contempt"),
                        reason,
                    )
                    .at(doc.span(target.first, last)),
                );
            }
        }
    }

    /// `bränn den med alla muslimerna inuti`, `synagogan borde sprängas …
    /// med alla judar i`: a call of violence (an imperative or a modal)
    /// and `med` + a group + `i`/`inuti`. The last token.
    fn burnt_with_group_inside(&self, verb: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        if verb.found.entry.confidence < Confidence::Probable {
            return None;
        }
        let called = (doc.clause_start(verb.first) && doc.imperative(verb.first))
            || doc
                .within_before(verb.first, 2, Class::GroupModals)
                .is_some();
        if !called {
            return None;
        }
        let with = (verb.last + 1..=verb.last + 6)
            .take_while(|&i| doc.same_sentence(i, verb.last))
            .find(|&i| doc.is(i, &["med"]))?;
        let group = (with + 1..=with + 3)
            .take_while(|&i| doc.same_sentence(i, with))
            .find_map(|i| self.role_at(i, &[Role::Group, Role::Slur]))?;
        let inside = group.last + 1;
        if !doc.is(inside, Class::Inside) || !doc.same_sentence(group.last, inside) {
            return None;
        }
        (!doc.negated(verb.first, inside)).then_some(inside)
    }

    /// `rensa bort pestsmittan. Med det menar jag invandrarna`: a call of
    /// violence or purge opening its sentence, and a group glossed in the
    /// next sentence. The group's last token.
    fn glossed_next(&self, verb: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        if !doc.clause_start(verb.first)
            || !doc.imperative(verb.first)
            || doc.negated(verb.first, verb.last)
        {
            return None;
        }
        let next = doc.next_sentence(verb.first);
        if !next.clone().any(|i| doc.is(i, Class::HetsGloss)) {
            return None;
        }
        self.hits
            .iter()
            .find(|h| matches!(h.role(), Role::Group | Role::Slur) && next.contains(&h.first))
            .map(|h| h.last)
    }

    /// `sätt eld på dem allihop` (a group named before), `jaga eritreaner`:
    /// a call (an imperative, `vi ska`, `dags att`, …) of the act at
    /// `first..=last` with a group, or `dem` standing for a group named
    /// before, as its object. A listed verb of violence before a group is
    /// left to the obvious `döda alla X` (`violence`). The object's last
    /// token.
    fn group_object_called(&self, first: usize, last: usize, violence: bool) -> Option<usize> {
        let doc = self.doc;
        let called = (doc.clause_start(first) && imperative_form(doc.word(first)))
            || doc.collective_call(first)
            || self.marked_as_call(first);
        if !called || doc.negated(first, last) || doc.discussed(first) {
            return None;
        }
        let sentence = doc.sentence_tokens(first);
        let is_object = |i: usize| {
            doc.is(i, &["dem", "dom"]) || self.role_at(i, &[Role::Group, Role::Slur]).is_some()
        };
        let object = (last + 1..=last + 3)
            .take_while(|&i| doc.same_sentence(i, last))
            .take_while(|&i| doc.is(i, Class::Fillers) || is_object(i))
            .find(|&i| is_object(i))?;
        if let Some(group) = self.role_at(object, &[Role::Group, Role::Slur]) {
            return (!violence).then_some(group.last);
        }
        let previous = doc.previous_sentence(first);
        let named = self.hits.iter().any(|h| {
            matches!(h.role(), Role::Group | Role::Slur)
                && h.last < first
                && (sentence.contains(&h.first) || previous.contains(&h.first))
        });
        named.then_some(object)
    }

    /// Slogans that drive a group out (the last token): `ut med X`, `ut
    /// med islam ur Sverige`, `ingen moské i vår kommun`, `åk hem till era
    /// öknar`.
    fn expelled(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        if (doc.phrase_at(i, &["ut", "med"]) || doc.phrase_at(i, &["bort", "med"]))
            && doc.clause_start(i)
        {
            let object = (i + 2..=i + 3)
                .take_while(|&j| doc.same_sentence(i, j))
                .find(|&j| !doc.is(j, Class::Fillers))?;
            if let Some(group) = self.role_at(object, &[Role::Group, Role::Slur]) {
                return Some(group.last);
            }
            let out_of = doc.is(object, Class::Religions)
                && doc.is(object + 1, &["ur", "från"])
                && doc.same_sentence(object, object + 1);
            return out_of.then_some(object + 1);
        }
        if doc.is(i, Class::HousesOfWorship) {
            let shut_out = i > 0
                && doc.is(i - 1, &["ingen", "inga", "inget"])
                && doc.clause_start(i - 1)
                && doc.is(i + 1, &["i", "på"])
                && doc.is(i + 2, &["mitt", "vårt", "vår", "min", "våra", "mina"])
                && doc.same_sentence(i - 1, i + 2);
            return shut_out.then_some(i + 2);
        }
        if doc.is(i, Class::Leave)
            && doc.clause_start(i)
            && doc.is(i + 1, &["hem", "tillbaka"])
            && doc.is(i + 2, &["till"])
        {
            let home = (i + 3..=i + 5)
                .take_while(|&j| doc.same_sentence(i, j))
                .find(|&j| doc.is(j, Class::Homelands))?;
            let theirs =
                (i + 3..home).any(|j| doc.is(j, &["era", "ert", "er", "din", "ditt", "dina"]));
            return theirs.then_some(home);
        }
        None
    }

    /// Slogans and shapes that shut a group out (the token farthest from
    /// the group): `bättre utan X`, `X hör hemma i djungeln`, `X ska ut`,
    /// `inga fler X`.
    fn group_shut_out(&self, target: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let before = |n: usize| {
            (target.first.saturating_sub(n)..target.first)
                .rev()
                .filter(move |&i| doc.same_sentence(i, target.first))
        };
        let found = if target.first > 0 && doc.is(target.first - 1, &["utan"]) {
            // `landet vore bättre utan X`
            before(5).find(|&i| doc.is(i, Class::Better))
        } else if doc.phrase_at(target.last + 1, &["hör", "hemma"]) {
            // `X hör hemma i djungeln` (not `hör hemma här`: a contempt
            // entry of its own)
            (target.last + 3..=target.last + 5)
                .take_while(|&i| doc.same_sentence(i, target.last))
                .find(|&i| doc.is(i, Class::Homelands) || doc.is(i, Class::Wilds))
        } else if let Some(away) = self.sent_away(target) {
            Some(away)
        } else {
            // `inga fler X`, `stoppa alla X`
            before(2).find(|&i| {
                (doc.phrase_at(i, &["inga", "fler"]) || doc.phrase_at(i, &["inte", "fler"]))
                    && doc.clause_start(i)
            })
        }?;
        let (from, to) = (found.min(target.first), found.max(target.last));
        let own = if doc.is(from, &["inga", "inte"]) {
            from..=from
        } else {
            NO_TOKENS
        };
        (!doc.negated_apart_from(from, to, own)).then_some(found)
    }

    /// Where the group is sent, after a modal (`X ska ut`, `X måste ut ur
    /// landet`, `X ska bort med våld`, `X ska tillbaka till djungeln`) or,
    /// as a slogan with no verb, right after a group that opens the clause
    /// (`Alla X ut ur Sverige`; `Alla X till Afrika` only by force or for a
    /// slur: `Alla flyktingar till Sverige` welcomes them). The token of
    /// the way or the place.
    fn sent_away(&self, target: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let modal = doc.is(target.last + 1, &["ska", "skall", "måste", "borde", "bör"]);
        let slogan = !modal && self.opens_clause(target.first);
        if !modal && !slogan {
            return None;
        }
        let way = target.last + 1 + usize::from(modal);
        if doc.is(way, &["ut", "bort"]) {
            let next = way + 1;
            return (!doc.same_sentence(way, next)
                || doc.is(next, &["ur", "härifrån", "nu", "punkt", "allihop"])
                || (doc.is(next, &["med"]) && self.by_force(next)))
            .then_some(way);
        }
        let to = match modal {
            true if doc.is(way, &["hem", "tillbaka", "tillbaks"]) => way + 1,
            true => return None,
            false => way,
        };
        let named_place =
            slogan && (self.by_force(to) || target.role() == Role::Slur) && doc.is_name(to + 1);
        if !doc.is(to, &["till"]) || !(modal || named_place) {
            return None;
        }
        (to + 1..=to + 2)
            .take_while(|&i| doc.same_sentence(i, target.last))
            .find(|&i| {
                doc.is(i, Class::Homelands)
                    || doc.is(i, Class::Wilds)
                    || (named_place && i == to + 1)
            })
    }

    /// A word of `call_markers` or `advice_markers` within
    /// [`CALL_MARKER_WINDOW`] before the verb at `verb` makes it a call
    /// (`dags att skjuta alla X`, `det är bäst att skjuta alla X`).
    fn marked_as_call(&self, verb: usize) -> bool {
        let doc = self.doc;
        doc.within_before(verb, CALL_MARKER_WINDOW, Class::CallMarkers)
            .or_else(|| doc.within_before(verb, CALL_MARKER_WINDOW, Class::AdviceMarkers))
            .is_some()
    }

    /// The group at `first` opens its clause, alone or after `alla`: the
    /// subject of a slogan with no verb.
    fn opens_clause(&self, first: usize) -> bool {
        let doc = self.doc;
        doc.clause_start(first)
            || (first > 0 && doc.is(first - 1, &["alla"]) && doc.clause_start(first - 1))
    }

    /// Contempt built from parts after a group (the last token and the
    /// reason): secret control (`X styr media`), a crime as the group's
    /// habit (`X ljuger och stjäl`), rights denied (`X ska inte sitta i
    /// nämnder`), trade in people (`importera X`), and the group's nature
    /// called a perversion or disease.
    fn group_maligned(&self, target: &Hit<'_>) -> Option<(usize, Said<'static>)> {
        let doc = self.doc;
        let after = |from: usize, n: usize| {
            (from..=from + n).take_while(move |&i| doc.same_sentence(i, target.last))
        };
        let subject = doc.clause_start(target.first)
            || (target.first > 0 && doc.is(target.first - 1, &["alla", "de", "dessa"]));
        let verb =
            after(target.last + 1, 1).find(|&i| !doc.is(i, Class::Fillers) && !doc.is(i, &["ju"]));
        let found: Option<(usize, Said<'static>)> = verb.and_then(|v| {
            // `X styr media`, `X ligger bakom allt`.
            let behind = doc.phrase_at(v, &["ligger", "bakom"]);
            if doc.is(v, Class::Controls) || behind {
                let from = if behind { v + 2 } else { v + 1 };
                let power = after(from, 2).find(|&i| doc.is(i, Class::Power))?;
                return Some((
                    power,
                    Said::After(
                        ": den sägs i hemlighet styra samhället; en person behöver bedöma.",
                    ),
                ));
            }
            // `X ljuger om sin ålder`: a topic, not a nature.
            if subject && doc.is(v, Class::HabitualCrimes) && !doc.is(v + 1, &["om"]) {
                return Some((
                    v,
                    Said::After(
                        ": den sägs begå brott av vana eller natur; en person behöver bedöma.",
                    ),
                ));
            }
            if doc.is(v, &["ska", "skall", "borde", "bör"]) && doc.is(v + 1, &["inte"]) {
                // `ska inte få rösta`, `ska inte sitta i nämnder`; not `ska
                // inte vara rädda` (a right, not a bar).
                let allowed = doc.is(v + 2, &["få"]);
                let partake = if allowed { v + 3 } else { v + 2 };
                let barred = doc.same_sentence(v, partake)
                    && if allowed {
                        doc.is(partake, Class::Partake) || doc.is(partake, Class::Admitted)
                    } else {
                        doc.is(partake, Class::Partake) && !doc.is(partake, &["vara", "bli"])
                    };
                return barred.then_some((
                    partake,
                    Said::After(": den sägs inte få delta i samhället; en person behöver bedöma."),
                ));
            }
            // `X borde botas`: the group's nature a disease to cure.
            if doc.is(v, Class::GroupModals) {
                let cure = after(v + 1, 1).find(|&i| doc.is(i, Class::Cures))?;
                return Some((
                    cure,
                    Said::After(
                        ": den sägs behöva botas eller rättas till; en person behöver bedöma.",
                    ),
                ));
            }
            if doc.is(v, Class::Copula) {
                if let Some(sick) = after(v + 1, 2).find(|&i| doc.is(i, Class::Pathology)) {
                    return Some((
                        sick,
                        Said::After(
                            ": den eller dess läggning kallas sjuk eller pervers; en person \
                             behöver bedöma.",
                        ),
                    ));
                }
                // `de har hävdat att X är terrorister`: someone's claim.
                let claimed = doc
                    .sentence_tokens(v)
                    .any(|i| i < target.first && doc.is(i, Class::Claimed));
                let scorned = after(v + 1, 2)
                    .find(|&i| doc.is(i, Class::Scorn))
                    .filter(|_| !claimed)?;
                return Some((
                    scorned,
                    Said::After(
                        ": den kallas brottslig, äcklig eller mindervärdig; en person behöver \
                         bedöma.",
                    ),
                ));
            }
            None
        });
        if let Some((last, reason)) = found {
            // `ska inte få rösta` holds its own negation.
            let own = verb
                .filter(|&v| doc.is(v, &["ska", "skall", "borde", "bör"]))
                .map_or(NO_TOKENS, |v| v..=v + 1);
            return (!doc.negated_apart_from(target.first, last, own)).then_some((last, reason));
        }
        let sentence = doc.sentence_tokens(target.first);
        let traded = (target.first.saturating_sub(4)..=target.last + 4)
            .filter(|&i| sentence.contains(&i))
            .find(|&i| doc.is(i, Class::HetsTrade))?;
        (!doc.negated(traded.min(target.first), traded.max(target.last))).then_some((
            target.last.max(traded),
            Said::After(": den omtalas som en vara; en person behöver bedöma."),
        ))
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.hets_mot_folkgrupp.dehumanising",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group or slur (roles `group`, `slur`)",
        shape: "the group + a copula (within COPULA_WINDOW, or COPULA_AFTER_PLACE_WINDOW after a place: `X på min gata är`) + a dehumanising noun (`X är ohyra`), or a group adjective + the noun",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Obvious,
        reason: "En skyddad folkgrupp beskrivs som djur, ohyra eller sjukdom",
        basis: BASIS_HETS,
        positive: "Invandrare är ohyra",
        negative: "Invandrare är grannar",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.call_to_violence",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group or slur; a verb of violence",
        shape: "the group + a modal + a verb of violence (probable or more), or a call (`döda alla X`; after call_markers or advice_markers: `det är bäst att skjuta alla X`), or a fire with the group inside",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Obvious,
        reason: "Uppmaning till eller önskan om våld mot en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Bränn kyrkan med alla judar inuti",
        negative: "Besök kyrkan med alla judar i församlingen",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.in_context",
        category: Category::HetsMotFolkgrupp,
        trigger: "any obvious hets shape",
        shape: "an obvious shape with a guard",
        guards: "quotation, news, counter-speech, question, hypothetical",
        strength: Strength::Review,
        reason: "En skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Invandrare är ohyra skrev han",
        negative: "Invandrare är grannar skrev han",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.dehumanising_review",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group or slur",
        shape: "the group + a copula + a word that may be dehumanising (listed `probable`)",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "En skyddad folkgrupp beskrivs med ett ord som kan vara avhumaniserande",
        basis: BASIS_HETS,
        positive: "Somalier är en cancer i samhället",
        negative: "Somalier är en del av samhället",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.expulsion",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group; an expulsion word",
        shape: "`ut med X`, a slogan that shuts a group out, an expulsion verb (listed `possible`); with force named (`med våld`, `med kulor i ryggen`; not `med tvång`), also as an afterthought opening the next sentence (`X ska bort. Med våld.`), it is `call_to_violence`",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "En skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Ut med alla somalier",
        negative: "Ut med alla barn på skolgården",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.contempt",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group; a contempt phrase (role `contempt`)",
        shape: "secret control, crimes as a habit, rights barred, trade in people, a cure demanded, a word of disease or scorn",
        guards: "quotation, news, counter-speech, question, hypothetical; someone's claim",
        strength: Strength::Review,
        reason: "Kan uttrycka missaktning för en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Judarna ligger bakom allt",
        negative: "Judarna ligger bakom oss i kön",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.likened",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group or slur",
        shape: "the group likened (`som`, `liknar`) to vermin or disease",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "En skyddad folkgrupp liknas vid djur, ohyra eller sjukdom",
        basis: BASIS_HETS,
        positive: "Invandrarna sprider sig som kackerlackor i förorten",
        negative: "Invandrarna sprider sig över hela landet",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.call_to_violence_review",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group; a verb of force or hunting",
        shape: "a relative clause calling for violence, `dem` for a group named before, a hunting verb + the group, a call glossed later",
        guards: "quotation, news, counter-speech, question, hypothetical; negation",
        strength: Strength::Review,
        reason: "Kan vara en uppmaning till våld mot en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Dags att jaga muslimer igen",
        negative: "Dags att bjuda muslimer på fika igen",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.slur",
        category: Category::HetsMotFolkgrupp,
        trigger: "a listed slur (role `slur`)",
        shape: "the slur alone, not in a list of peoples; possible for words also used \
                neutrally; confirmable: the model may make it obvious",
        guards: "reclaiming (`vi bögar`) gives nothing",
        strength: Strength::Review,
        reason: "Nedsättande ord om en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Alla blattar",
        negative: "Alla bilar",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.slur_listed",
        category: Category::HetsMotFolkgrupp,
        trigger: "a listed slur (role `slur`)",
        shape: "the slur in a list of peoples: group words and slurs are at least two and at \
                least half the words of the sentence",
        guards: "as `il.hets_mot_folkgrupp.slur`; never confirmed by the model (not yet aimed)",
        strength: Strength::Review,
        reason: "Nedsättande ord om en skyddad folkgrupp i en uppräkning av folkgrupper",
        basis: BASIS_HETS,
        positive: "Svenskar, blattar och judar.",
        negative: "Jävla blattar",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.slur_mentioned",
        category: Category::HetsMotFolkgrupp,
        trigger: "a listed slur",
        shape: "the slur with a guard (quoted, discussed)",
        guards: "reclaiming gives nothing",
        strength: Strength::Review,
        reason: "Nedsättande ord om en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Ordet blatte är rasistiskt",
        negative: "Ordet tack är vänligt",
    },
];
