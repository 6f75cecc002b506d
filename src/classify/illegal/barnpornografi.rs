//! Barnpornografibrott (BrB 16:10 a).
//!
//! - `il.barnpornografi.indicator_term` (**obvious**): a term that in
//!   practice only labels abuse material (`pthc`); a request for it
//!   (`någon som har …?`) is no less obvious.
//! - `il.barnpornografi.offer` (**obvious**): a word for abuse material
//!   offered, traded or linked. Terms listed as `probable` (`barnporr`,
//!   `övergreppsmaterial`) need an offer in the sentence (`säljer`, `dela`,
//!   `länk`) or a trade word anywhere in the comment; terms listed as
//!   `possible` because they have innocent senses (`cp` is also cerebral
//!   palsy, `lolita` a novel) need a trade word (`byter`, `kr`, `swish`,
//!   `telegram`, `dm`, `mega`).
//! - `il.barnpornografi.term`: the word alone (possible).
//! - `il.barnpornografi.traded_images`: abuse material named by its parts
//!   instead of a fixed word — a word for children (`minderåriga`,
//!   `småungar`, `barnen`; role `minor`) right next to a word for images
//!   or films (`bilder på …`, `… nudes`, `lillasyster-mappen`) — that is
//!   traded (`byter`, `köper`, `dm`), said to be illegal (`olagliga`,
//!   `förbjudna`) or veiled (`ni vet vilka`, `inte de vanliga`):
//!   probable. Traded and either a word that says they are minors (listed
//!   `probable`) or said to be illegal, it is obvious (`il.barnpornografi.offer`).
//! - `il.barnpornografi.in_context`: an offer in a sentence that reports,
//!   quotes, warns or informs (probable). Without an offer such a sentence
//!   (`Han dömdes för innehav av barnpornografi`) gives no finding, nor does
//!   the writer's own diagnosis (`min son har CP`).

use super::*;

impl Rules<'_, '_> {
    pub(super) fn barnpornografi(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let roles = [Role::CsamIndicator, Role::CsamTerm, Role::Minor];
        if !self.hits.iter().any(|h| roles.contains(&h.role())) {
            return;
        }
        let traded = self.has_link() || (0..doc.tokens.len()).any(|i| doc.is(i, Class::CsamTrade));
        for hit in self.with_role(Role::CsamIndicator) {
            let verdict = match self.csam_guard(hit, traded) {
                Some(g) => Verdict::of(
                    row!("il.barnpornografi.in_context"),
                    Confidence::Probable,
                    guarded_reason("Känd märkning av övergreppsmaterial", g),
                ),
                None => Verdict::of(
                    // The list decides: a city may add a weaker indicator.
                    row!("il.barnpornografi.indicator_term"),
                    hit.found.entry.confidence,
                    "Innehåller en känd märkning av sexuellt övergreppsmaterial med barn."
                        .to_owned(),
                ),
            };
            out.push(verdict.at(doc.hit_span(hit)));
        }
        for hit in self.with_role(Role::CsamTerm) {
            if let Some(verdict) = self.csam_term_verdict(hit, traded) {
                out.push(verdict.at(doc.hit_span(hit)));
            }
        }
        for minor in self.with_role(Role::Minor) {
            if let Some((verdict, span)) = self.traded_images(minor, traded) {
                out.push(verdict.at(span));
                break;
            }
        }
    }

    /// `Byter bilder på minderåriga, dm`, `specialbilderna på ungarna, ni
    /// vet vilka`: images of children next to trading or hints.
    fn traded_images(&self, minor: &Hit<'_>, traded: bool) -> Option<(Verdict, Range<usize>)> {
        let doc = self.doc;
        let material = self.material_next_to(minor)?;
        let guarded = matches!(
            self.csam_guard(minor, traded),
            Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
        );
        // `dela inte bilder på nakna barn`; a negation after the images
        // (`inte för alla`) is part of the hint.
        let (first, last) = (material.min(minor.first), material.max(minor.last));
        if guarded || doc.negated_before(first, last + 1) {
            return None;
        }
        let any = |class: Class| (0..doc.tokens.len()).any(|i| doc.is(i, class));
        let illegal = any(Class::IllegalMarks);
        let veiled = any(Class::Veiled);
        let strong = minor.found.entry.confidence >= Confidence::Probable;
        let verdict = if traded && (strong || illegal) && self.csam_guard(minor, traded).is_none() {
            Verdict::of(
                row!("il.barnpornografi.offer"),
                Confidence::Obvious,
                "Erbjuder, byter eller efterfrågar bilder eller filmer på barn.".to_owned(),
            )
        } else if traded || illegal || veiled {
            Verdict::said(
                row!("il.barnpornografi.traded_images"),
                Confidence::Probable,
                Said::After("; en person behöver bedöma."),
            )
        } else {
            return None;
        };
        Some((verdict, doc.span(first, last)))
    }

    /// A word for images or films within three tokens before the word for
    /// children, joined by `på`, `med`, `av` (`bilder på barn`), or right
    /// after it (`minderåriga nudes`, `lillasyster-mappen`).
    fn material_next_to(&self, minor: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let is_material = |i: usize| {
            doc.is(i, Class::MaterialWords) || doc.names_recording(i, Class::MaterialExtra)
        };
        // `bilder på minderåriga`, `bilder på nakna småflickor`: the
        // images joined to the children, perhaps with one adjective
        // between.
        let join = (minor.first.saturating_sub(2)..minor.first)
            .rev()
            .find(|&i| doc.is(i, &["på", "med", "av"]) && doc.same_sentence(i, minor.first));
        let before = join.and_then(|j| {
            (j.saturating_sub(3)..j)
                .rev()
                .find(|&i| doc.same_sentence(i, minor.first) && is_material(i))
        });
        before.or_else(|| {
            (minor.last + 1..=minor.last + 2)
                .find(|&i| doc.same_sentence(i, minor.last) && is_material(i))
        })
    }

    fn csam_term_verdict(&self, hit: &Hit<'_>, traded: bool) -> Option<Verdict> {
        let doc = self.doc;
        let unambiguous = hit.found.entry.confidence >= Confidence::Probable;
        let offered = traded || (unambiguous && doc.sentence_has(hit.first, Class::Offer));
        // `dela inte`, `säljer aldrig`: a negation at the term or at an offer.
        let negated = doc.negated(hit.first, hit.last)
            || doc.sentence_tokens(hit.first).any(|i| {
                doc.is(i, Class::Negation)
                    && (doc.is(i.wrapping_sub(1), Class::Offer) || doc.is(i + 1, Class::Offer))
            });
        // `cp … alltså cool pics`: an ambiguous term the writer explains
        // as something else is for a person to judge, offered or not.
        let glossed = !unambiguous && self.glossed(hit);
        let guard = self
            .csam_guard(hit, traded)
            .or(glossed.then_some(Guard::Glossed));
        let verdict = |confidence, rule, reason: String| Verdict::of(rule, confidence, reason);
        Some(match (offered && !negated, guard) {
            (true, None) => verdict(
                Confidence::Obvious,
                row!("il.barnpornografi.offer"),
                "Erbjuder, byter eller länkar till sexuellt övergreppsmaterial med barn."
                    .to_owned(),
            ),
            (true, Some(g)) => verdict(
                Confidence::Probable,
                row!("il.barnpornografi.in_context"),
                guarded_reason(
                    "Nämner övergreppsmaterial tillsammans med en länk eller ett erbjudande",
                    g,
                ),
            ),
            (false, Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)) => return None,
            (false, _) if negated || self.diagnosis(hit) || self.innocent_sense(hit) => {
                return None;
            }
            (false, _) => verdict(
                Confidence::Possible,
                row!("il.barnpornografi.term"),
                "Nämner övergreppsmaterial med barn; kontrollera att det inte sprids.".to_owned(),
            ),
        })
    }

    /// Whether one of the two words right after a term says what it means
    /// (`alltså`, `dvs`, `betyder`, `står för`).
    fn glossed(&self, hit: &Hit<'_>) -> bool {
        // Across an ellipsis too: `cp... alltså`.
        (hit.last + 1..=hit.last + 2).any(|i| self.doc.is(i, Class::CsamGloss))
    }

    /// The common guards and information talk, except that a question
    /// asking for material (`någon som har …?`) or trading it is a request,
    /// not a question.
    fn csam_guard(&self, hit: &Hit<'_>, traded: bool) -> Option<Guard> {
        let doc = self.doc;
        match doc.material_guard(hit.first, hit.last) {
            Some(Guard::Question | Guard::Hypothetical)
                if traded || doc.sentence_has(hit.first, Class::Request) =>
            {
                None
            }
            other => other,
        }
    }

    /// A term with innocent senses (`preteen-kväll`, `pedofilnätverket` in a
    /// documentary) is reviewed alone only when asked for: a question or
    /// words of getting hold of it.
    fn innocent_sense(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        hit.found.entry.confidence < Confidence::Probable
            && doc.sentence_mark(hit.first) != '?'
            && !doc.sentence_has(hit.first, Class::SeekMaterial)
    }

    /// `min son har CP`: the writer's own family and a diagnosis.
    fn diagnosis(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        hit.found.entry.confidence < Confidence::Probable
            && (doc.sentence_has(hit.first, Class::OwnPossessive)
                || doc.sentence_has(hit.first, Class::Diagnosis))
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.barnpornografi.indicator_term",
        category: Category::Barnpornografi,
        trigger: "a listed indicator term (role `indicator`)",
        shape: "a term that in practice only labels abuse material",
        guards: "news, quotation, counter-speech, information, the writer's own, negation",
        strength: Strength::Obvious,
        reason: "Innehåller en känd märkning av sexuellt övergreppsmaterial med barn",
        basis: BASIS_BARNPORNOGRAFI,
        positive: "nån som har ptsc? byter",
        negative: "nån som har ptsd? pratar gärna",
    },
    RuleRow {
        id: "il.barnpornografi.offer",
        category: Category::Barnpornografi,
        trigger: "a word for abuse material; images named as of minors",
        shape: "the material + an offer, a trade or a link; images of children traded and named as minors",
        guards: "news, quotation, counter-speech, information, the writer's own, negation",
        strength: Strength::Obvious,
        reason: "Erbjuder, byter eller länkar till sexuellt övergreppsmaterial med barn",
        basis: BASIS_BARNPORNOGRAFI,
        positive: "Säljer cp-mappar, swish 300 kr",
        negative: "Säljer cykelmappar, swish 300 kr",
    },
    RuleRow {
        id: "il.barnpornografi.in_context",
        category: Category::Barnpornografi,
        trigger: "an obvious barnpornografi shape",
        shape: "the shape with a guard (a report, counter-speech)",
        guards: "news, quotation, counter-speech, information, the writer's own, negation",
        strength: Strength::Review,
        reason: "Nämner övergreppsmaterial tillsammans med en länk eller ett erbjudande, men",
        basis: BASIS_BARNPORNOGRAFI,
        positive: "Jag har anmält kontot som delar övergreppsmaterial till polisen",
        negative: "Jag har anmält kontot som delar reklam till polisen",
    },
    RuleRow {
        id: "il.barnpornografi.term",
        category: Category::Barnpornografi,
        trigger: "a word for abuse material",
        shape: "the word alone: possible, a person checks",
        guards: "news, quotation, counter-speech, information, the writer's own, negation",
        strength: Strength::Review,
        reason: "Nämner övergreppsmaterial med barn",
        basis: BASIS_BARNPORNOGRAFI,
        positive: "cp?",
        negative: "cv?",
    },
    RuleRow {
        id: "il.barnpornografi.traded_images",
        category: Category::Barnpornografi,
        trigger: "images next to a word for children",
        shape: "the images traded or veiled (`bara seriösa`, `ni vet vad jag menar`)",
        guards: "news, quotation, counter-speech, information, the writer's own, negation",
        strength: Strength::Review,
        reason: "Kan vara handel med bilder eller filmer på barn",
        basis: BASIS_BARNPORNOGRAFI,
        positive: "byter bilder på små flickor, bara seriösa",
        negative: "byter bilder på små bilar, bara seriösa",
    },
];
