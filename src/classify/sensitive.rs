//! Sensitive personal data (GDPR art. 9): ethnic origin, political
//! opinions, religious or philosophical beliefs, trade-union membership,
//! health, sex life or sexual orientation, genetic and biometric data.
//!
//! The policy asks for such data to be removed once documented, but a
//! comment is removable personal data only when the sensitive fact is tied
//! to a person a reader can identify. A citizen stating their own opinion,
//! faith or illness in a debate, or a statement about a group ("muslimer",
//! "sossar", "folk med diabetes") is lawful expression and is never acted
//! on. Hence three levels, judged per sentence:
//!
//! | in the sentence | confidence |
//! |---|---|
//! | an identified person (full name, @mention, personnummer, home address, role at a named workplace) tied to the term by a verb ("är", "har", "lider av" …) or by a predicate term ("köper sex", "röstade SD") | Obvious |
//! | the same, but the person is a public figure (a politician's party, a role word such as "riksdagsledamot" or "stadsdelsdirektören"), or a named person's politics without a private workplace, address or role | Probable |
//! | a third person by pronoun, role or first name only ("hon har cancer", "rektorn är muslim", "Kalle på parkeringsbolaget röstar på V") | Possible |
//! | the writer themself, an anonymous acquaintance ("min kollega", "en kompis"), a group, or no person at all | no finding |
//!
//! The vocabulary is in word lists, `wordlists/sv/sensitive/<category>.txt`
//! (see [`terms`]); this module holds the grammar that ties a term to a
//! person.

pub mod terms;

use std::ops::Range;
use std::sync::Arc;

use regex::Regex;
use regex_syntax::is_word_character;

use super::contact::StreetAddresses;
use super::personnummer::PersonnummerDetector;
use super::persons::{FirstNames, PersonFinder, PersonRefKind, role_pattern};
use super::phrases::{Case, End, LazyWholeWords, WholeWords};
use super::rule::constant_regex;
use super::words::{Class, WordClasses};
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};
use terms::{SensitiveTerms, TermRole};

/// Legal basis of art. 9 findings.
pub const LEGAL_BASIS_SENSITIVE: &str = "GDPR art. 9.1; lag (1998:112) 5 §; \
     stadens riktlinjer: Personuppgifter och sekretessbelagda uppgifter";

/// The art. 9 categories, in the order findings are reported.
const CATEGORIES: [Category; 7] = [
    Category::EthnicOrigin,
    Category::PoliticalOpinion,
    Category::Religion,
    Category::TradeUnion,
    Category::Health,
    Category::SexLife,
    Category::GeneticBiometric,
];

/// Cues before a `body` term that make it membership ("medlem i Vision",
/// "röstade SD", "gått över till katolska kyrkan"); one adjective or name
/// may stand between cue and body ("aktiv i Svenska kyrkan").
const MEMBERSHIP_CUES: &str = r"(?:medlem(?:men|mar|marna)?|aktiva?|aktivt|engagerade?|med|organiserade?|ansluten|anslutna|förtroendevalda?|ombud|företrädare|ordförande|klubbordförande|kassör|styrelseledamot|kandidat|representant)\s+(?:i|för|till|hos|inom)|(?:röstar|röstade|röstat|rösta|kandiderar|kandiderade)(?:\s+(?:alltid|fortfarande|numera|ju|också|själv|ofta))?(?:\s+(?:på|för))?|(?:sympatiserar|sympatiserade|sympatiserat)\s+med|(?:tillhör|tillhörde|tillhört|företräder|representerar)|(?:gick|gått|går|har\s+gått)\s+(?:med\s+i|ur|över\s+till)|(?:lämnat|lämnade|lämnar)|(?:konverterat|konverterade|konverterar|övergått)\s+till|(?:går|gick|gått)\s+i|kopplingar\s+till|medlemsavgift\s+till|pastor\s+i|präst\s+i";

/// Cues before an `origin` term ("kommer från Bosnien", "född i Irak").
const ORIGIN_CUES: &str = r"(?:kommer|kom|kommit|härstammar|flydde|flytt|invandrade|invandrat|adopterad|adopterades|adopterat|är|var)(?:\s+(?:ursprungligen|egentligen|själv|också|ju|alltså|hit|faktiskt|väl))*\s+från|födda?\s+(?:och\s+uppvuxen\s+)?i|föddes\s+i|rötter(?:na)?\s+(?:i|från)|ursprung(?:et)?\s+(?:i|från)|släkt\s+(?:i|från)";

/// How far apart (bytes) an identified person and a term may be to be tied.
const LINK_DISTANCE: usize = 80;

/// How many words may stand between a linking verb and its term ("är
/// **ju båda** medlemmar", "har **fått en** stroke").
const MAX_WORDS_AFTER_LINK: usize = 3;

const fn rule_id(category: Category, confidence: Confidence) -> &'static str {
    match (category, confidence) {
        (Category::EthnicOrigin, Confidence::Obvious) => "pd.art9.ethnic_origin.identified",
        (Category::EthnicOrigin, Confidence::Probable) => "pd.art9.ethnic_origin.public_figure",
        (Category::EthnicOrigin, _) => "pd.art9.ethnic_origin.unclear_link",
        (Category::PoliticalOpinion, Confidence::Obvious) => "pd.art9.political_opinion.identified",
        (Category::PoliticalOpinion, Confidence::Probable) => {
            "pd.art9.political_opinion.public_figure"
        }
        (Category::PoliticalOpinion, _) => "pd.art9.political_opinion.unclear_link",
        (Category::Religion, Confidence::Obvious) => "pd.art9.religion.identified",
        (Category::Religion, Confidence::Probable) => "pd.art9.religion.public_figure",
        (Category::Religion, _) => "pd.art9.religion.unclear_link",
        (Category::TradeUnion, Confidence::Obvious) => "pd.art9.trade_union.identified",
        (Category::TradeUnion, Confidence::Probable) => "pd.art9.trade_union.public_figure",
        (Category::TradeUnion, _) => "pd.art9.trade_union.unclear_link",
        (Category::Health, Confidence::Obvious) => "pd.art9.health.identified",
        (Category::Health, Confidence::Probable) => "pd.art9.health.public_figure",
        (Category::Health, _) => "pd.art9.health.unclear_link",
        (Category::SexLife, Confidence::Obvious) => "pd.art9.sex_life.identified",
        (Category::SexLife, Confidence::Probable) => "pd.art9.sex_life.public_figure",
        (Category::SexLife, _) => "pd.art9.sex_life.unclear_link",
        (_, Confidence::Obvious) => "pd.art9.genetic_biometric.identified",
        (_, Confidence::Probable) => "pd.art9.genetic_biometric.public_figure",
        (_, _) => "pd.art9.genetic_biometric.unclear_link",
    }
}

const fn category_words(category: Category) -> &'static str {
    match category {
        Category::EthnicOrigin => "etniskt ursprung",
        Category::PoliticalOpinion => "politisk åsikt eller partitillhörighet",
        Category::Religion => "religion eller övertygelse",
        Category::TradeUnion => "medlemskap i fackförening",
        Category::Health => "hälsa",
        Category::SexLife => "sexualliv eller sexuell läggning",
        _ => "genetiska eller biometriska uppgifter",
    }
}

fn reason(category: Category, confidence: Confidence) -> String {
    let what = category_words(category);
    match confidence {
        Confidence::Obvious => format!(
            "En känslig personuppgift ({what}) knyts till en person som går att identifiera \
             (namn, @-omnämnande, personnummer, adress eller roll på en namngiven arbetsplats)."
        ),
        Confidence::Probable => format!(
            "En uppgift om {what} knyts till en namngiven person som verkar vara en offentlig \
             person eller vars koppling är oklar; bedöm om uppgiften är offentlig."
        ),
        Confidence::Possible => format!(
            "En uppgift om {what} nämns nära en person, men det är oklart om personen kan \
             identifieras; kontrollera."
        ),
    }
}

/// One reference that identifies a person, with its kind (`None` for a
/// personnummer or a street address).
type Identifier = (Range<usize>, Option<PersonRefKind>);

/// Finds art. 9 data tied to identifiable people.
pub struct SensitiveDetector {
    terms: SensitiveTerms,
    link: WholeWords,
    /// Read only when a term is stated of no identified person.
    third_person: LazyWholeWords,
    /// Read only when a term is stated of no identified person.
    first_names: LazyWholeWords,
    first_person: WholeWords,
    public_role: WholeWords,
    self_introduction: Regex,
    membership_cue: Regex,
    origin_cue: Regex,
    private_after_name: Regex,
    private_before_name: Regex,
    subordinate: Regex,
    group_with: Regex,
    office_after_body: Regex,
    persons: Arc<PersonFinder>,
    personnummer: PersonnummerDetector,
    streets: Arc<StreetAddresses>,
}

impl SensitiveDetector {
    /// Compiles the embedded word lists and the person patterns.
    pub fn new() -> Self {
        // The embedded lists are part of the source tree and compiled by a
        // unit test (`terms::tests::the_embedded_lists_compile`), so this
        // cannot fail in a released binary.
        let terms = SensitiveTerms::embedded().expect("embedded art. 9 word lists compile");
        Self::with_terms(terms)
    }

    /// Builds the detector with the given vocabulary (a city's own lists)
    /// and the built-in word classes and first names.
    pub fn with_terms(terms: SensitiveTerms) -> Self {
        Self::with_lists(terms, &WordClasses::builtin(), &FirstNames::builtin())
    }

    /// Builds the detector with the given vocabulary, word classes and
    /// first names (a city's own, or the built-in ones).
    pub fn with_lists(
        terms: SensitiveTerms,
        classes: &WordClasses,
        first_names: &FirstNames,
    ) -> Self {
        Self::with_parts(
            terms,
            classes,
            first_names,
            Arc::new(PersonFinder::with_lists(classes, first_names)),
            Arc::new(StreetAddresses::with_classes(classes)),
        )
    }

    /// Like [`SensitiveDetector::with_lists`], with the person and address
    /// patterns compiled once for every detector that uses them: the
    /// person patterns are the costliest to compile.
    pub fn with_parts(
        terms: SensitiveTerms,
        classes: &WordClasses,
        first_names: &FirstNames,
        persons: Arc<PersonFinder>,
        streets: Arc<StreetAddresses>,
    ) -> Self {
        let roles = role_pattern(classes);
        Self {
            terms,
            link: term_words(&classes.entries(Class::LinkWords)),
            third_person: LazyWholeWords::constant_forwards(&[
                &alternatives(&classes.entries(Class::ThirdPersonWords)),
                &alternatives(&classes.entries(Class::PublicRoles)),
                &roles,
            ]),
            first_names: LazyWholeWords::constant_with(
                &[&first_names.alternation()],
                Case::Sensitive,
                End::Word,
            ),
            first_person: term_words(&classes.entries(Class::FirstPersonWords)),
            public_role: term_words(&classes.entries(Class::PublicRoles)),
            self_introduction: constant_regex(&format!(
                r"(?i)(?:{})\s*$",
                alternatives(&classes.entries(Class::SelfIntroductions))
            )),
            membership_cue: constant_regex(&format!(
                r"(?i)(?:^|\W)(?:{MEMBERSHIP_CUES})\s+(?:(?:den|det|de|en|ett)\s+)?(?:(?-i:\p{{Lu}}[\p{{L}}-]*)\s+|[\p{{L}}-]+a\s+)?$"
            )),
            origin_cue: constant_regex(&format!(r"(?i)(?:^|\W)(?:{ORIGIN_CUES})\s+$")),
            private_after_name: constant_regex(
                r"^\s*,?\s*(?:(?:på|vid|hos)\s+\S|som\s+(?:jobbar|arbetar|sitter|bor|tränar|undervisar|driver|äger|kör|städar|leder|är\s+anställd))",
            ),
            private_before_name: constant_regex(&format!(
                r"(?i)(?:\b{roles}|\b(?:min|mitt|vår|vårt|er|ert|din|ditt|hans|hennes)\s+[\p{{L}}-]+)\s*,?\s*$"
            )),
            // "Anna sa att grannen köper sex": the predicate is someone
            // else's.
            subordinate: constant_regex(
                r"(?i)(?:^|\W)(?:att|fast|men|eftersom|därför|medan|när)(?:\W|$)",
            ),
            // "har svikit alla med funktionsnedsättning": the term is a
            // group's, not the person's.
            group_with: constant_regex(&format!(
                r"(?i)(?:^|\W)(?:{})\s+med\s+$",
                alternatives(&classes.entries(Class::GroupHolders))
            )),
            office_after_body: constant_regex(
                r"^\s+(?:ombud|ombudet|ordförande|ordföranden|klubbordförande|representant|företrädare|skyddsombud|kandidat|förtroendevalda?)\b",
            ),
            persons,
            personnummer: PersonnummerDetector::new(),
            streets,
        }
    }

    /// Spans that identify a person: names, mentions, roles at workplaces,
    /// personnummer and street addresses (with or without postcode: next to
    /// a sensitive fact, "på Storgatan 3" points out who is meant).
    fn identifiers(&self, prepared: &Text<'_>, sentence: Range<usize>) -> Vec<Identifier> {
        let offset = sentence.start;
        let numbers = self
            .personnummer
            .findings(prepared)
            .iter()
            .filter(|f| sentence.start <= f.start && f.end <= sentence.end)
            .map(|f| (f.start - offset..f.end - offset, None))
            .collect::<Vec<Identifier>>();
        let text = &prepared.original()[sentence];
        let mut found: Vec<Identifier> = self
            .persons
            .find(text)
            .into_iter()
            .filter(|r| !self.introduces_writer(text, r.span.start))
            .map(|r| (r.span, Some(r.kind)))
            .collect();
        found.extend(numbers);
        found.extend(self.streets.find_iter(text).map(|span| (span, None)));
        found
    }

    /// Is the name at `at` the writer's own ("Jag heter Anna Svensson")?
    fn introduces_writer(&self, text: &str, at: usize) -> bool {
        self.self_introduction.is_match(&text[..at])
    }

    /// The span a term states its fact with, and whether it is a predicate
    /// (needs no linking verb), or `None` when a `body` or `origin` term has
    /// no cue and so says nothing about anyone ("Vision har skrivit på").
    fn statement(
        &self,
        sentence: &str,
        term: Range<usize>,
        role: TermRole,
    ) -> Option<(Range<usize>, bool)> {
        let cue = match role {
            TermRole::Trait => return Some((term, false)),
            TermRole::Act => return Some((term, true)),
            TermRole::Body => &self.membership_cue,
            TermRole::Origin => &self.origin_cue,
        };
        // The cue stands before the whole word: "med i Knutbyförsamlingen".
        let word_start = sentence[..term.start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '-')
            .last()
            .map_or(term.start, |(at, _)| at);
        let before = &sentence[..word_start];
        if let Some(cue) = cue.find(before) {
            return Some((cue_start(before, cue.range())..term.end, true));
        }
        // "Kommunals ombud", "Vänsterpartiets ordförande": an office in the
        // organisation, stated of a person like a trait.
        let office = self.office_after_body.find(&sentence[term.end..])?;
        (role == TermRole::Body).then(|| (term.start..term.end + office.end(), false))
    }

    /// The confidence for one statement in one sentence, or `None`.
    fn judge(
        &self,
        category: Category,
        sentence: &str,
        term: Range<usize>,
        predicate: bool,
        identifiers: &[Identifier],
    ) -> Option<(Confidence, Range<usize>)> {
        let strongest_tie = identifiers
            .iter()
            .filter(|(span, _)| {
                !overlaps(span, &term) && self.tied(sentence, span, &term, predicate)
            })
            .map(|(span, kind)| {
                (
                    self.identified_confidence(category, sentence, span, *kind),
                    span.start.min(term.start)..span.end.max(term.end),
                )
            })
            .max_by_key(|(confidence, _)| *confidence);
        if strongest_tie.is_some() {
            return strongest_tie;
        }
        // No identified person: a pronoun, role or first name tied to the
        // statement ("rektorn är muslim", "Kalle röstar på V") is for a
        // person to judge; the writer, an anonymous acquaintance or a group
        // is nobody's personal data.
        let before = &sentence[..term.start];
        self.third_person_refs(before)
            .any(|span| self.tied(sentence, &span, &term, predicate))
            .then_some((Confidence::Possible, term))
    }

    /// Third persons in `before`: pronouns, relations, role words and
    /// capitalised first names that are not the writer's own.
    fn third_person_refs<'a>(&'a self, before: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let words = self.third_person.get().find_iter(before);
        let names = self
            .first_names
            .get()
            .find_iter(before)
            .filter(|span| !self.introduces_writer(before, span.start));
        words.chain(names)
    }

    /// How sure a statement tied to an identified person is: a public
    /// figure's positions, and a named person's politics without anything
    /// private around the name, are for a person to judge.
    fn identified_confidence(
        &self,
        category: Category,
        sentence: &str,
        person: &Range<usize>,
        kind: Option<PersonRefKind>,
    ) -> Confidence {
        let public = match kind {
            Some(PersonRefKind::FullName) => {
                self.public_role.is_match(sentence)
                    || (category == Category::PoliticalOpinion
                        && !self.privately_anchored(sentence, person))
            }
            Some(PersonRefKind::RoleAtWorkplace) => {
                self.public_role.is_match(&sentence[person.clone()])
            }
            _ => false,
        };
        if public {
            Confidence::Probable
        } else {
            Confidence::Obvious
        }
    }

    /// A name with a private workplace, home or role around it ("Tomas Berg
    /// på bygglovsenheten", "er handläggare Nils Ahmadi") is a private
    /// person, not a politician whose party is public.
    fn privately_anchored(&self, sentence: &str, name: &Range<usize>) -> bool {
        self.private_after_name.is_match(&sentence[name.end..])
            || self.private_before_name.is_match(&sentence[..name.start])
    }

    /// A person and a statement are tied when the statement follows the
    /// person closely — with a linking verb between them ("Anna Svensson
    /// har HIV"), or as a predicate of its own ("Anna Svensson som tränar
    /// laget köper sex") — or stands right before the name as an apposition
    /// ("muslimen Anna Svensson"). A term earlier in the sentence with words
    /// between ("en iranier som bytt namn till Jonas Dahlgren") is not tied,
    /// nor one after the writer enters ("Anna sa att jag är muslim"), nor
    /// one that many people have ("har svikit alla med diabetes").
    fn tied(
        &self,
        sentence: &str,
        person: &Range<usize>,
        term: &Range<usize>,
        predicate: bool,
    ) -> bool {
        if term.end <= person.start {
            return sentence[term.end..person.start].trim().is_empty();
        }
        if person.end > term.start || term.start - person.end > LINK_DISTANCE {
            return false;
        }
        let gap = &sentence[person.end..term.start];
        if gap.trim().is_empty() {
            return true;
        }
        if self.first_person.is_match(gap) || self.group_with.is_match(gap) {
            return false;
        }
        if predicate {
            return !self.subordinate.is_match(gap);
        }
        // The term must be in the predicate the linking verb opens ("är
        // alltså bosniak", "har fått en stroke"), not words later in
        // another clause ("har sett till att en generös etiopisk …").
        self.link
            .find_iter(gap)
            .last()
            .is_some_and(|link| gap[link.end..].split_whitespace().count() <= MAX_WORDS_AFTER_LINK)
    }
}

impl Default for SensitiveDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for SensitiveDetector {
    fn detect_in(&self, prepared: &Text<'_>, out: &mut Vec<Finding>) {
        let matches = self.terms.find(prepared.normalized(), prepared.original());
        let text = prepared.original();
        if matches.is_empty() {
            return;
        }
        for sentence in prepared.sentences().iter().map(|s| s.body.clone()) {
            let offset = sentence.start;
            let bounds = sentence.clone();
            let inside: Vec<_> = matches
                .iter()
                .filter(|m| m.span.start >= offset && m.span.end <= sentence.end)
                .collect();
            if inside.is_empty() {
                continue;
            }
            let sentence = &text[sentence];
            // Found only once a term states something: most terms do not.
            let identifiers = std::cell::OnceCell::new();
            let mut best: [Option<(Confidence, Range<usize>)>; CATEGORIES.len()] =
                Default::default();
            for m in inside {
                let term = m.span.start - offset..m.span.end - offset;
                let category = m.entry.category;
                let Some((statement, predicate)) = self.statement(sentence, term, m.entry.role)
                else {
                    continue;
                };
                let identifiers =
                    identifiers.get_or_init(|| self.identifiers(prepared, bounds.clone()));
                let Some((confidence, span)) =
                    self.judge(category, sentence, statement, predicate, identifiers)
                else {
                    continue;
                };
                let confidence = confidence.min(m.entry.ceiling);
                let Some(slot) = CATEGORIES
                    .iter()
                    .position(|c| *c == category)
                    .and_then(|i| best.get_mut(i))
                else {
                    continue;
                };
                if slot.as_ref().is_none_or(|(kept, _)| confidence > *kept) {
                    *slot = Some((confidence, span));
                }
            }
            for (category, found) in CATEGORIES.iter().zip(best) {
                if let Some((confidence, span)) = found {
                    out.push(Finding {
                        category: *category,
                        confidence,
                        start: offset + span.start,
                        end: offset + span.end,
                        rule: rule_id(*category, confidence).to_owned(),
                        legal_basis: LEGAL_BASIS_SENSITIVE.to_owned(),
                        reason: reason(*category, confidence),
                    });
                }
            }
        }
    }
}

/// Where the cue word itself starts in a cue match. The cue patterns begin
/// with a consumed non-word character (or the start) instead of `\b`,
/// which would send the regex crate to its slow engines on Swedish text;
/// every cue begins with a letter, so a non-word first character is that
/// boundary.
fn cue_start(text: &str, found: Range<usize>) -> usize {
    match text[found.clone()].chars().next() {
        Some(first) if !is_word_character(first) => found.start + first.len_utf8(),
        _ => found.start,
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// A case-insensitive whole-word matcher of a word list: `*` at the end of a
/// word is any ending (letters, digits, `-`), at the start any beginning of
/// a compound, and a space is any white space.
fn term_words(terms: &[&str]) -> WholeWords {
    WholeWords::constant(&[&alternatives(terms)])
}

/// What a `*` of a word list stands for: any letters, digits or `-`. The
/// class is closed under case folding (a unit test shows that `(?i)`
/// changes nothing), so it is written without case rules: the regex crate
/// then does not fold its thousands of ranges again for every `*` of every
/// case-insensitive table, which cost more at start-up than the rest of
/// those tables.
const ANY_WORD_PART: &str = r"(?-i:[\w\-])*";

/// The alternation behind [`term_words`], longest first: alternation takes
/// the first alternative that matches.
fn alternatives(terms: &[&str]) -> String {
    let mut terms = terms.to_vec();
    terms.sort_by_key(|term| std::cmp::Reverse(term.len()));
    terms
        .iter()
        .map(|term| {
            let (term, open_start) = match term.strip_prefix('*') {
                Some(rest) => (rest, true),
                None => (*term, false),
            };
            let (stem, open_ended) = match term.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (term, false),
            };
            let words = stem
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            let words = if stem.ends_with(' ') {
                format!(r"{words}\s+")
            } else {
                words
            };
            let prefix = if open_start { ANY_WORD_PART } else { "" };
            let suffix = if open_ended { ANY_WORD_PART } else { "" };
            format!("{prefix}{words}{suffix}")
        })
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables compiled on first use compile (a released binary must
    /// not find out on a comment).
    #[test]
    fn the_tables_compiled_on_first_use_compile() {
        let detector = SensitiveDetector::new();
        assert!(detector.third_person.get().is_match("rektorn"));
        assert!(detector.first_names.get().is_match("Kalle"));
    }

    #[test]
    fn any_word_part_matches_as_it_would_with_case_folding() {
        let parse = |pattern: &str| {
            regex_syntax::Parser::new()
                .parse(pattern)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(
            parse(&format!("(?i){ANY_WORD_PART}")),
            parse(r"(?i)[\w\-]*")
        );
    }

    fn run(text: &str) -> Vec<Finding> {
        static DETECTOR: std::sync::OnceLock<SensitiveDetector> = std::sync::OnceLock::new();
        let mut out = Vec::new();
        DETECTOR
            .get_or_init(SensitiveDetector::new)
            .detect(text, &mut out);
        out
    }

    #[test]
    fn a_cue_span_starts_at_the_cue_word() {
        let detector = SensitiveDetector::new();
        for (before, cue) in [
            ("Anna är medlem i ", "medlem i "),
            ("medlem i ", "medlem i "),
            ("Han, född i ", "född i "),
            ("(röstar på ", "röstar på "),
        ] {
            let found = detector
                .membership_cue
                .find(before)
                .or_else(|| detector.origin_cue.find(before))
                .expect("a cue");
            assert_eq!(
                &before[cue_start(before, found.range())..],
                cue,
                "{before:?}"
            );
        }
        assert!(detector.membership_cue.find("enmedlem i ").is_none());
    }

    /// The classifier over the built-in lists with the city folder `dir`
    /// over them, as `[classify] wordlists_dir` builds it.
    fn classifier_with_city_folder(dir: &std::path::Path) -> crate::classify::Classifier {
        let vocabulary = crate::classify::Vocabulary::with_overlay(dir)
            .unwrap_or_else(|e| panic!("the city's folder loads: {e}"));
        crate::classify::Classifier::with_vocabulary(
            crate::classify::lexicon::Lexicon::embedded().unwrap_or_else(|e| panic!("{e}")),
            &crate::classify::service_phrases::ServicePhrases::builtin(),
            &vocabulary,
        )
    }

    /// Writes a city list with the provenance header under `dir`.
    fn write_city_list(dir: &std::path::Path, name: &str, body: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, format!("# source: test\n# licence: CC0-1.0\n{body}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Issue 15: a city's word-list folder reaches the art. 9 terms and the
    /// first names too (they were once ignored in silence): its lists add
    /// to the built-in ones, and `# mode: replace` takes their place.
    #[test]
    fn a_citys_first_names_and_art_9_terms_are_read_and_can_replace_the_builtin_ones() {
        let obvious_health = |classifier: &crate::classify::Classifier, text: &str| {
            classifier
                .classify(text)
                .iter()
                .any(|f| f.category == Category::Health && f.confidence == Confidence::Obvious)
        };
        let builtin = crate::classify::Classifier::standard();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write_city_list(dir.path(), "sv/persons/first_names.txt", "xiomara\n");
        let term = "glömskesjuka\texact\ttrait\tobvious\tnone\tforgetfulness\n";
        write_city_list(dir.path(), "sv/sensitive/health.txt", term);
        let city = classifier_with_city_folder(dir.path());

        let named_by_the_city = "Xiomara Berg har diabetes";
        assert!(
            !obvious_health(&builtin, named_by_the_city),
            "not a built-in name"
        );
        assert!(
            obvious_health(&city, named_by_the_city),
            "the city's first name"
        );
        let termed_by_the_city = "Erik Johansson har glömskesjuka";
        assert!(
            !obvious_health(&builtin, termed_by_the_city),
            "not a built-in term"
        );
        assert!(
            obvious_health(&city, termed_by_the_city),
            "the city's art. 9 term"
        );
        let builtin_term = "Erik Johansson har diabetes";
        assert!(
            obvious_health(&city, builtin_term),
            "the built-in terms stay"
        );

        write_city_list(
            dir.path(),
            "sv/sensitive/health.txt",
            &format!("# mode: replace\n{term}"),
        );
        let replaced = classifier_with_city_folder(dir.path());
        assert!(
            obvious_health(&replaced, termed_by_the_city),
            "the city's list"
        );
        assert!(
            !obvious_health(&replaced, builtin_term),
            "the built-in list is replaced"
        );
    }

    #[test]
    fn identified_person_with_sensitive_fact_is_obvious() {
        use Category::*;
        let cases: &[(&str, Category)] = &[
            ("Anna Svensson på Storgatan 3 har HIV", Health),
            ("@kalle_k är med i Kommunal och har schizofreni", TradeUnion),
            ("@kalle_k är med i Kommunal och har schizofreni", Health),
            ("Läraren på Vasaskolan är muslim", Religion),
            ("Erik Johansson är homosexuell", SexLife),
            ("Sara Lindqvist har gjort abort", Health),
            ("hemtjänstpersonalen Anna på Östermalm är rom", EthnicOrigin),
            ("Peter Nilsson lämnade DNA-prov", GeneticBiometric),
            // compounds: open start and the longest term first
            ("HIV-smittade Peter Ström jobbar på förskolan", Health),
            ("Lena Holm på Fältöversten har bröstcancer", Health),
            ("@jonte.s är sunnimuslim", Religion),
            (
                "Kalle Andersson på Ringvägen 12B lgh 1102 är nazist",
                PoliticalOpinion,
            ),
        ];
        for &(text, category) in cases {
            let found = run(text);
            assert!(
                found
                    .iter()
                    .any(|f| f.category == category && f.confidence == Confidence::Obvious),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn own_statements_groups_and_public_figures_are_not_obvious() {
        for text in [
            "Jag är muslim och tycker att moskén behövs",
            "Jag har diabetes och behöver parkering nära",
            "Muslimer är en del av Stockholm",
            "Vi som är med i facket vill ha bättre villkor",
            "Sverigedemokraterna vill minska invandringen",
            "Alla med cancer ska få vård",
            "Jag röstar på Miljöpartiet i höst",
            "Ulf Kristersson är moderat",
            "Riksdagsledamoten Anna Svensson är muslim",
        ] {
            let found = run(text);
            assert!(
                found.iter().all(|f| f.confidence < Confidence::Obvious),
                "{text:?}: {found:?}"
            );
        }
        for text in [
            "Jag är muslim och tycker att moskén behövs",
            "Muslimer är en del av Stockholm",
            "Alla med cancer ska få vård",
            "Jag röstar på Miljöpartiet i höst",
        ] {
            assert!(run(text).is_empty(), "{text:?}: {:?}", run(text));
        }
    }

    #[test]
    fn writer_naming_themself_is_not_a_third_person() {
        for text in [
            "Jag heter Anna Svensson och har diabetes, var finns apoteket?",
            "Mitt namn är Erik Johansson och jag är sjukskriven",
            "Jag heter Johan Nyström och är gay",
        ] {
            let found = run(text);
            assert!(
                found.iter().all(|f| f.confidence < Confidence::Obvious),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn unidentified_third_person_is_possible() {
        let found = run("Grannen har cancer men ingen bryr sig");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].confidence, Confidence::Possible);
        assert_eq!(found[0].category, Category::Health);
    }

    #[test]
    fn span_covers_person_and_term_after_multibyte_letters() {
        let text = "Åh 😀. Åsa Öberg är deprimerad.";
        let found = run(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            &text[found[0].start..found[0].end],
            "Åsa Öberg är deprimerad"
        );
    }

    fn strongest(text: &str, category: Category) -> Option<Confidence> {
        run(text)
            .into_iter()
            .filter(|f| f.category == category)
            .map(|f| f.confidence)
            .max()
    }

    #[test]
    fn generalised_vocabulary_tied_to_an_identified_person_is_obvious() {
        use Category::*;
        let cases: &[(&str, Category)] = &[
            // inflected and compound forms from the word lists
            ("Nils Ahmadi på bygglovsenheten är perser", EthnicOrigin),
            ("@jonna.l har tornedalsk bakgrund", EthnicOrigin),
            ("Lena Berglunds familj kommer från Bosnien", EthnicOrigin),
            ("Mehmet Yilmaz på Ringvägen 52 är assyrier", EthnicOrigin),
            (
                "Hanna Haddad på Vårbergsskolan röstar kristdemokratiskt",
                PoliticalOpinion,
            ),
            (
                "Tomas Berg på bygglovsenheten är med i Nordiska motståndsrörelsen",
                PoliticalOpinion,
            ),
            (
                "Fritidsledaren Jesper Nord i Bagarmossen röstade SD",
                PoliticalOpinion,
            ),
            (
                "Er kurator Birgitta Sand var med i Knutbyförsamlingen",
                Religion,
            ),
            (
                "Jessica Holm på Stadsmuseet har gått över till katolska kyrkan",
                Religion,
            ),
            (
                "Ahmed Hassan som tränar P12 i IK Tellus ber fem gånger om dan",
                Religion,
            ),
            ("@anna_v är fackombud för Vision", TradeUnion),
            (
                "Per Andersson på Björkhagens skola är huvudskyddsombud",
                TradeUnion,
            ),
            (
                "Jonas Ek (19121212-1212) betalar medlemsavgift till SAC",
                TradeUnion,
            ),
            (
                "Lena Sjöberg i receptionen på Skärholmens simhall har MS",
                Health,
            ),
            ("Gunnar Sjögren på Bondegatan 52 har fått en stroke", Health),
            (
                "Emil Roos på bostadsförmedlingen äter antidepressiva",
                Health,
            ),
            (
                "Vaktmästaren på Tallkrogens skola, Bosse, köper sex",
                SexLife,
            ),
            ("Mehmet Yilmaz som tränar flicklaget är bisexuell", SexLife),
            (
                "Chefen på Bagarmossens bibliotek träffar män på Grindr",
                SexLife,
            ),
            (
                "Läraren på Östermalmsskolan har testat positivt för Huntingtongenen",
                GeneticBiometric,
            ),
            (
                "Dragan Ilić på linje 172 har lämnat DNA-prov",
                GeneticBiometric,
            ),
            (
                "@rasmus_w ditt gentest visade anlag för Marfans syndrom",
                GeneticBiometric,
            ),
            (
                "skickade mig Amanda Kasks fingeravtrycksdata",
                GeneticBiometric,
            ),
        ];
        for &(text, category) in cases {
            assert_eq!(
                strongest(text, category),
                Some(Confidence::Obvious),
                "{text:?}: {:?}",
                run(text)
            );
        }
    }

    #[test]
    fn weakly_identified_or_public_people_go_to_review() {
        use Category::*;
        let cases: &[(&str, Category)] = &[
            // first name and a large workplace
            ("Kalle på parkeringsbolaget röstar på V", PoliticalOpinion),
            ("Jonas på trafikkontoret har blivit frälst", Religion),
            // a role without a named place
            ("Idrottsläraren som kom efter sommaren är gay", SexLife),
            ("den nya rektorn sympatiserar med SD", PoliticalOpinion),
            // public officials
            (
                "Stadsdelsdirektören i Skärholmen är aktiv i Svenska kyrkan",
                Religion,
            ),
            (
                "Socialborgarrådet har varit sjukskriven för utbrändhet",
                Health,
            ),
            // a named politician's party is public
            ("Anna Svensson är medlem i Moderaterna", PoliticalOpinion),
            // an ambiguous word is at most probable
            ("Anna Svensson på Storgatan 3 är blind", Health),
        ];
        for &(text, category) in cases {
            let found = strongest(text, category);
            assert!(
                matches!(found, Some(Confidence::Possible | Confidence::Probable)),
                "{text:?}: {:?}",
                run(text)
            );
        }
    }

    #[test]
    fn own_anonymous_group_and_organisation_statements_are_not_flagged() {
        for text in [
            "Jag är själv kurd och tycker att firandet var fint",
            "En kollega till mig är från Eritrea",
            "Min kollega har MS och tycker att ramperna är för branta",
            "Nån på mitt jobb har fackligt uppdrag",
            "Har en jobbarkompis som är centerpartist",
            "Kommunal har rätt, undersköterskorna behöver mer betalt",
            "Vision och Sveriges Lärare har skrivit på det nya avtalet",
            "Feministiskt initiativ hade en bra debatt på Sergels torg",
            "Församlingen på Söder har så bra körer",
            "Varför kräver förskolan fingeravtryck för att hämta barnen?",
            "Många äldre i Rinkeby har diabetes",
            "Jag gjorde ett DNA-test och är 12 procent finsk",
            "Mina grannar är katoliker och väldigt trevliga",
            "Finns det modersmålsundervisning i somaliska på Husbyskolan?",
            "Anna Svensson sa att jag är muslim",
            "Karin Ström har svikit alla med funktionsnedsättning i budgeten",
            "Lars Berg har byggt en skola för barn med diabetes",
        ] {
            let found = run(text);
            assert!(found.is_empty(), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn membership_needs_a_cue_and_origin_needs_from() {
        assert_eq!(
            strongest(
                "Anna Svensson på Storgatan 3 är medlem i Kommunal",
                Category::TradeUnion
            ),
            Some(Confidence::Obvious)
        );
        assert_eq!(
            strongest(
                "Anna Svensson på Storgatan 3 ringde Kommunal",
                Category::TradeUnion
            ),
            None
        );
        assert_eq!(
            strongest(
                "Anna Svensson på Storgatan 3 kommer från Polen",
                Category::EthnicOrigin
            ),
            Some(Confidence::Obvious)
        );
        assert_eq!(
            strongest(
                "Anna Svensson på Storgatan 3 åkte till Polen",
                Category::EthnicOrigin
            ),
            None
        );
    }
}
