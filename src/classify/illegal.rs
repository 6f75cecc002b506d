//! Illegal content: the categories that lag (1998:112) om ansvar för
//! elektroniska anslagstavlor 5 § obliges the city to remove — uppvigling
//! (BrB 16:5), hets mot folkgrupp (BrB 16:8), barnpornografibrott
//! (BrB 16:10 a), olaga våldsskildring (BrB 16:10 c), olaga hot (BrB 4:5),
//! olaga integritetsintrång (BrB 4:6 c), offentlig uppmaning till
//! terroristbrott (lag 2022:666) and intrång i upphovsrätt (lag 1960:729).
//!
//! Removing a lawful comment is a public authority silencing a citizen, and
//! missing a threat leaves harm on the city's page. So this detector is
//! built around one asymmetry: [`Confidence::Obvious`] (acted on
//! automatically) only for a few narrow shapes; everything weaker goes to a
//! person as probable or possible.
//!
//! # Obvious, and nothing else
//!
//! | rule | shape |
//! |---|---|
//! | `il.olaga_hot.explicit_violence` | I/we + will (`ska`, `kommer att`, `tänker`) or the present tense + violent verb + you (`jag ska döda dig`, `jag hittar dig och slår ihjäl dig`) |
//! | `il.olaga_hot.you_will_die` | you + `ska` + violent verb or `dö` (`du ska dö`) |
//! | `il.olaga_hot.armed_visit` | I/we + coming to you (`hem till dig`, `efter dig`) + `med` + weapon |
//! | `il.hets_mot_folkgrupp.dehumanising` | group or slur (also at a place: `X på min gata`) + `är` + dehumanising noun (`X är ohyra`), or group adjective + dehumanising noun |
//! | `il.hets_mot_folkgrupp.call_to_violence` | group or slur + `ska`/`borde`/`måste` + violent verb; or a call (`döda alla X`, `vi borde utrota X`) |
//! | `il.barnpornografi.indicator_term` | a term that in practice only labels abuse material |
//! | `il.barnpornografi.offer` | a word for abuse material + an offer or a link; or images of children (`bilder på minderåriga`) traded and named as minors or illegal |
//! | `il.barnpornografi.media_hash` | an attachment whose hash is on the configured list ([`MediaHashList`]) |
//! | `il.barnpornografi.media_unchecked` | (possible) an attachment that could not be fetched for the hash check: a person looks |
//! | `il.olaga_valdsskildring.listed_domain`, `il.upphovsratt.listed_domain` | a link to a site on `wordlists/domains/gore.txt` or `piracy.txt`, or its bare name with a word that points readers to it (`sök på …`) |
//! | `il.uppvigling.violence_against_persons` | an imperative or collective call of violence aimed at people who act for society (`skjut poliserna`), see `illegal/uppvigling.rs` |
//! | `il.terror_uppmaning.attack_on_people` | an imperative or collective call of an attack where people gather (`kör in i folkmassan`), see `illegal/terror.rs` |
//!
//! A group's word right before a noun of conduct (`conduct_roles`:
//! `somaliska pirater`, `afghanska talibaner`) names those people, not the
//! group, and is no group target.
//!
//! A slur alone is probable (possible for words also used neutrally or
//! reclaimed); the confirming model may make it obvious, unless it only
//! stands in a list of peoples. Calls to property crime or disobedience,
//! integritetsintrång, gore and piracy words, and calls to join terrorism are at most probable:
//! they need a person's judgement of the whole situation. Each category's
//! rules live in their own file under `illegal/`, with their guards in its
//! module documentation and a table of every rule (id, trigger, shape,
//! guards, confidence, Swedish reason, legal basis, a positive and a
//! negative example; see `illegal/table.rs` and [`rule_table`]); tests/data/labelled/README.md is the labelling
//! guide the figures are measured against.
//!
//! # Review (probable or possible)
//!
//! `il.hets_mot_folkgrupp.expulsion` (a group `borde rensas bort`, `kastas
//! ut`: verbs listed as `possible` never make the shape obvious);
//! `il.olaga_hot.armed_visit_place` (`jag kommer till badhuset med en
//! kniv`); `il.olaga_hot.phrase` (`jag vet var du bor`), `.wish` (`jag vill döda
//! dig`, `jag hoppas att någon skjuter dig`, `hoppas du blir misshandlad`,
//! `den där domaren borde skjutas`), `.someone_should` (`någon borde
//! skjuta honom`), `.veiled` (`vi vet vilken buss du tar`), `.injury`
//! (`du ska få näsan bruten`), `.no_subject` (`ska döda dig`),
//! `.third_person` (`jag ska döda
//! honom`), `.property` (`jag ska bränna ner ditt hus`), `.you_will_die`
//! with `kommer` or about the addressee's family; `il.hets_mot_folkgrupp.slur`,
//! `.slur_mentioned`, `.likened` and `.call_to_violence_review` (see
//! `illegal/hets.rs`); `il.uppvigling.call_to_crime` (an act such as
//! `storma`, `sätt eld på` as a call, with an authority or institution as
//! target) and `.violence_against_authority` (`skjut poliserna`);
//! `il.barnpornografi.term` and `.traded_images` (images next to a word
//! for children, traded or veiled); `il.olaga_valdsskildring.term` and
//! `.shared_violence`; `il.olaga_integritetsintrang.sharing` and
//! `.private_fact`; `il.terror_uppmaning.call` and `.attack_call` (an
//! attack verb as a call at a target of terror, or framed as struggle);
//! `il.upphovsratt.term` and `.offered_work` (a work with signs of an
//! unlicensed copy and a pointer); and every `…in_context`.
//!
//! The review rules are built from the parts of each offence — word-list
//! roles for the act, the material or the target (`damage`, `work`,
//! `minor`, `intimate_setting`, `terror_framing`) and token windows
//! around them — rather than from whole phrases, so that new wording of
//! the same offence is found; each category file documents its parts.
//!
//! # Context rules: what keeps a shape from being obvious
//!
//! Each is checked in the sentence of the match (sentences end at `.`, `!`,
//! `?`, `;` and at a line break: the one splitter of
//! [`super::sentences`]). A guarded shape becomes probable (review) with the rule
//! `…in_context`, and its reason names the guard.
//!
//! - **Quotation**: the match is inside quotation marks (`"`, `”`, `“`, `„`,
//!   `«`, `»`), or the sentence has a reporting verb (`skrev`, `sa`,
//!   `påstår`, `hävdar`, `kallade`, `enligt`, …): someone else's words.
//! - **News reporting**: the sentence speaks of the justice system or the
//!   press (`utreder`, `åtalas`, `dömdes`, `åklagaren`, `tingsrätten`,
//!   `artikeln`, …); not a warning the writer gives (`ni är varnade`).
//! - **Counter-speech**: the sentence names the act as wrong (`rasistiskt`,
//!   `hets`, `homofobt`, `vidrigt`, `fördömer`, `anmäl`, `ordet`, `sluta`,
//!   `det är fel att`, …).
//! - **Question** (`?`) and **hypothetical** (`skulle`, `hade`): not a
//!   statement of intent; a consequence after the shape (`… borde gasas,
//!   så skulle det bli lugnt`) is its reason, not a hypothetical.
//! - Neither a quotation nor a hypothetical holds when the writer stands by
//!   the words (`reaffirmations`: `… att jag skulle döda honom och det
//!   tänker jag göra`, `sa det förut o säger det igen`).
//! - **Games and sport** (`matchen`, `planen`, `finalen`, `spelet`, `valet`,
//!   …), for threats only: `vi ska döda er på planen` is banter.
//! - **Laughter** (`😂`, `haha`, `lol`) anywhere in the comment, for threats
//!   at a person only: `du är död om du inte kommer haha` may be a joke
//!   among friends. Hate at a group is not excused by a laugh.
//! - **Idiom**, for threats only: the object followed by `med` and something
//!   that is not a weapon (`döda er med vänlighet`); the object followed by
//!   `en`/`ett` (`bränna dig en skiva`) or `dö` followed by `av`, `i`, `på`
//!   (`dö av skratt`) is no threat at all.
//! - **Negation** (`inte`, `aldrig`, `ingen`, …) inside the shape, or just
//!   before it, removes the shape altogether: `muslimer är inte ohyra`,
//!   `ingen ska döda dig`.
//! - **Pronouns**: `de`, `dom`, `dessa` stand for a group or slur named
//!   earlier in the same or the previous sentence (`… utan X. De är en
//!   pest.`), so the shapes above also apply to them.
//! - **Reclaiming**: a slur right after a first-person word (`vi bögar`,
//!   `jag är bög`, `oss flator`) gives no finding at all.
//!
//! # Reasons
//!
//! Reasons are short Swedish sentences for the moderator and never repeat
//! the slur or threat; the span shows where it is.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::ops::{Range, RangeInclusive};
use std::sync::Arc;

use regex::Regex;

use super::lexicon::{DomainKind, LexMatch, Lexicon, LexiconError, ListFormatError, Role};
use super::normalize::Normalized;
use super::sentences::Sentence;
use super::words::{Class, ClassSet, WordClasses};
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

/// The row of the calling file's table (`RULES`) with the given rule id,
/// found when the crate is compiled: an id without a row does not build.
/// The matching code names its rules this way, so their reason, legal
/// basis, category and strength are written once, in the table.
macro_rules! row {
    ($id:literal) => {{
        const ROW: &$crate::classify::illegal::table::RuleRow =
            $crate::classify::illegal::table::row_in(RULES, $id);
        ROW
    }};
}

mod aimed;
mod arson;
mod barnpornografi;
mod emoji;
mod evidence;
mod hets;
mod hot;
mod integritet;
mod parts;
pub mod table;
mod terror;
mod upphovsratt;
mod uppvigling;
mod valdsskildring;

pub use table::{RuleRow, Strength};

/// Every rule of the category files that keep a table (see [`table`]):
/// the rules a city can read, with their reasons, legal bases and
/// examples.
pub fn rule_table() -> impl Iterator<Item = &'static RuleRow> {
    [
        aimed::RULES,
        arson::RULES,
        emoji::RULES,
        evidence::RULES,
        hot::RULES,
        hets::RULES,
        uppvigling::RULES,
        valdsskildring::RULES,
        terror::RULES,
        barnpornografi::RULES,
        integritet::RULES,
        upphovsratt::RULES,
    ]
    .into_iter()
    .flatten()
}

const BASIS_UPPVIGLING: &str =
    "BrB 16 kap. 5 § (uppvigling); lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";
pub(crate) const BASIS_HETS: &str = "BrB 16 kap. 8 § (hets mot folkgrupp); lag (1998:112) om ansvar för \
     elektroniska anslagstavlor 5 §";
const BASIS_BARNPORNOGRAFI: &str = "BrB 16 kap. 10 a § (barnpornografibrott); lag (1998:112) om \
     ansvar för elektroniska anslagstavlor 5 §";
pub(crate) const BASIS_VALDSSKILDRING: &str = "BrB 16 kap. 10 c § (olaga våldsskildring); lag (1998:112) om \
     ansvar för elektroniska anslagstavlor 5 §";
pub(crate) const BASIS_HOT: &str =
    "BrB 4 kap. 5 § (olaga hot); lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";
const BASIS_INTEGRITET: &str = "BrB 4 kap. 6 c § (olaga integritetsintrång); lag (1998:112) om \
     ansvar för elektroniska anslagstavlor 5 §";
const BASIS_TERROR: &str = "lag (2022:666) om straff för terroristbrott 9 § (offentlig uppmaning); \
     lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";
const BASIS_UPPHOVSRATT: &str = "lag (1960:729) om upphovsrätt till litterära och konstnärliga \
     verk 2 och 53 §§; lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";

/// Why a shape in its sentence is not acted on automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    Quotation,
    News,
    CounterSpeech,
    Question,
    Hypothetical,
    Game,
    Idiom,
    Glossed,
    Joke,
}

impl Guard {
    const ALL: [Guard; 9] = [
        Guard::Quotation,
        Guard::News,
        Guard::CounterSpeech,
        Guard::Question,
        Guard::Hypothetical,
        Guard::Game,
        Guard::Idiom,
        Guard::Glossed,
        Guard::Joke,
    ];

    fn reason(self) -> &'static str {
        match self {
            Guard::Quotation => "men det står som citat eller återgivna ord",
            Guard::News => "men meningen ser ut som nyhetsrapportering",
            Guard::CounterSpeech => "men meningen tar avstånd från eller diskuterar uttrycket",
            Guard::Question => "men det är formulerat som en fråga",
            Guard::Hypothetical => "men det är formulerat hypotetiskt",
            Guard::Game => "men sammanhanget ser ut som spel, sport eller val",
            Guard::Idiom => "men det kan vara ett bildligt uttryck",
            Guard::Glossed => "men skribenten förklarar ordet som något annat",
            Guard::Joke => "men skribenten skrattar, det kan vara ett skämt",
        }
    }
}

/// A word of the normalised text.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    sentence: usize,
}

/// A lexicon match placed on the token grid.
#[derive(Debug, Clone, Copy)]
struct Hit<'a> {
    first: usize,
    last: usize,
    found: LexMatch<'a>,
}

impl Hit<'_> {
    fn role(&self) -> Role {
        self.found.entry.role
    }
}

/// What a rule asks a token to be: one of a word class, or one of a few
/// words that belong to the shape itself (`på`, `till`).
#[derive(Debug, Clone, Copy)]
enum Words<'w> {
    Class(Class),
    Listed(&'w [&'w str]),
}

impl From<Class> for Words<'_> {
    fn from(class: Class) -> Self {
        Words::Class(class)
    }
}

impl<'w> From<&'w [&'w str]> for Words<'w> {
    fn from(words: &'w [&'w str]) -> Self {
        Words::Listed(words)
    }
}

impl<'w, const N: usize> From<&'w [&'w str; N]> for Words<'w> {
    fn from(words: &'w [&'w str; N]) -> Self {
        Words::Listed(words)
    }
}

/// Everything the rules need about one comment, computed once.
struct Document<'t> {
    normalized: &'t Normalized,
    original: &'t str,
    tokens: Vec<Token>,
    /// The key text of every token: the rules compare words millions of
    /// times per corpus, so each is sliced once.
    words: Vec<&'t str>,
    /// The word classes of every token, looked up once: a rule asks for a
    /// class with one bit test.
    tags: Vec<ClassSet>,
    /// The classes each token opens an entry of (see
    /// [`WordTags::opens`](super::words::WordTags::opens)).
    opens: Vec<ClassSet>,
    /// The classes the tags come from, for the rules that look inside
    /// words (endings, stems).
    classes: &'t WordClasses,
    /// Whether the comment laughs ([`Self::laughs`]), found the first
    /// time a threat asks: most comments hold no threat.
    laughter: OnceCell<bool>,
    /// Whether the comment stands by a threat ([`Self::reaffirmed`]), found
    /// the first time a guard asks.
    reaffirmed: OnceCell<bool>,
    /// The tokens of every sentence, by sentence number.
    sentences: Vec<Range<usize>>,
    /// The first end mark of each sentence (`.` at the end of the text).
    sentence_marks: Vec<char>,
    quotes: Vec<Range<usize>>,
    /// Whether the text as written holds an `@`: without one no token is
    /// part of an @mention ([`Self::is_mention`]), which the imperative and
    /// name tests ask of many tokens.
    may_mention: bool,
}

impl<'t> Document<'t> {
    fn new(
        normalized: &'t Normalized,
        original: &'t str,
        split: &[Sentence],
        classes: &'t WordClasses,
    ) -> Self {
        let (tokens, sentence_marks) = tokenize(normalized, split);
        let quotes = quote_spans(&normalized.text);
        let words: Vec<&'t str> = tokens
            .iter()
            .map(|t| &normalized.text[t.start..t.end])
            .collect();
        let (tags, opens) = words
            .iter()
            .map(|word| {
                let tags = classes.word_tags(word);
                (tags.classes, tags.opens)
            })
            .unzip();
        let sentences = sentence_ranges(&tokens);
        Self {
            normalized,
            original,
            tokens,
            words,
            tags,
            opens,
            classes,
            laughter: OnceCell::new(),
            reaffirmed: OnceCell::new(),
            sentences,
            sentence_marks,
            quotes,
            may_mention: original.contains('@'),
        }
    }

    fn word(&self, index: usize) -> &'t str {
        self.words.get(index).copied().unwrap_or("")
    }

    /// Whether the token at `index` is one of `words`: a word class, or a
    /// few words that are part of a shape's grammar.
    fn is<'w>(&self, index: usize, words: impl Into<Words<'w>>) -> bool {
        match words.into() {
            Words::Class(class) => self.tags.get(index).is_some_and(|tags| tags.has(class)),
            Words::Listed(words) => self
                .words
                .get(index)
                .is_some_and(|word| words.contains(word)),
        }
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.sentence == y.sentence,
            _ => false,
        }
    }

    fn sentence_tokens(&self, index: usize) -> Range<usize> {
        self.tokens
            .get(index)
            .and_then(|t| self.sentences.get(t.sentence))
            .cloned()
            .unwrap_or(0..0)
    }

    fn sentence_has<'w>(&self, index: usize, words: impl Into<Words<'w>>) -> bool {
        let words = words.into();
        self.sentence_tokens(index).any(|i| self.is(i, words))
    }

    fn token_at(&self, offset: usize) -> Option<usize> {
        let index = self.tokens.partition_point(|t| t.end <= offset);
        (index < self.tokens.len()).then_some(index)
    }

    fn hit<'a>(&self, found: LexMatch<'a>) -> Option<Hit<'a>> {
        let first = self.token_at(found.start)?;
        let last = self
            .token_at(found.end.saturating_sub(1))
            .unwrap_or(first)
            .max(first);
        if self.names_a_conduct_role(&found, last)
            || self.names_a_thing(&found, last)
            || self.names_someones_own(&found, first, last)
        {
            return None;
        }
        Some(Hit { first, last, found })
    }

    /// A group's word right before a noun of [`Class::ConductRoles`] names
    /// the people of that role, not the group: `somaliska pirater ska
    /// skjutas` is about pirates.
    fn names_a_conduct_role(&self, found: &LexMatch<'_>, last: usize) -> bool {
        let next = last + 1;
        found.entry.role == Role::Group
            && next < self.tokens.len()
            && self.same_sentence(last, next)
            && self
                .classes
                .ends_with_any(self.word(next), Class::ConductRoles)
    }

    /// A group's adjective (`somaliska`): the word that names someone or
    /// something of the group rather than the group.
    fn group_adjective(&self, found: &LexMatch<'_>, last: usize) -> bool {
        found.entry.role == Role::Group
            && ["sk", "ska", "skt"]
                .iter()
                .any(|ending| self.word(last).ends_with(ending))
    }

    /// A group's adjective right before a thing names the thing, not the
    /// group: `somaliska flaggor ska brännas` burns flags.
    fn names_a_thing(&self, found: &LexMatch<'_>, last: usize) -> bool {
        let next = last + 1;
        self.group_adjective(found, last)
            && next < self.tokens.len()
            && self.same_sentence(last, next)
            && (self.is(next, Class::CultureThings)
                || self.is(next, Class::HousesOfWorship)
                || self.ends_like_a_thing(next))
    }

    /// A group's adjective after a possessive names someone's own people,
    /// not the group: `min polska svärmor`, `hans somaliska kollegor`;
    /// unless an insult follows (`era muslimska kackerlackor`).
    fn names_someones_own(&self, found: &LexMatch<'_>, first: usize, last: usize) -> bool {
        // Asked of every listed word: the word tests first, the class
        // searches of the next word only after a possessive.
        let insulted = || {
            self.tokens.get(last + 1).is_some() && {
                let next = self.word(last + 1);
                self.classes.contains_any(next, Class::DehumanisingStems)
                    || self.classes.ends_with_any(next, Class::InsultHeads)
            }
        };
        self.group_adjective(found, last)
            && first > 0
            && self.same_sentence(first - 1, first)
            && (self.is(first - 1, Class::OwnPossessive)
                || self.is(first - 1, Class::OthersPossessive))
            && !insulted()
    }

    /// The token ends with a word of property, a building or a vehicle
    /// (`valstugorna`, `hyreshuset`, `bussen`): a thing, not a person.
    fn ends_like_a_thing(&self, i: usize) -> bool {
        [Class::Property, Class::Buildings, Class::Vehicles]
            .into_iter()
            .any(|class| self.classes.ends_with_any(self.word(i), class))
    }

    /// The strongest reason not to act automatically on a shape spanning
    /// tokens `first..=last`, for every category.
    fn guard(&self, first: usize, last: usize) -> Option<Guard> {
        // `… att jag skulle döda honom och det tänker jag göra`: the writer
        // makes the reported or hypothetical words their own.
        if (self.quoted(first, last)
            || self.someone_else_speaks(first, last)
            || self.someone_else_wills(first, Class::Wanting)
            || self.someone_named_holds(first)
            || self.utterance_discussed(first))
            && !self.reaffirmed()
        {
            return Some(Guard::Quotation);
        }
        if self.someone_else_wills(first, Class::Letting) {
            return Some(Guard::News);
        }
        let own_voice = || self.in_own_voice(first, last);
        if self.sentence_tokens(first).any(|i| {
            let not_a_report = self.warning_given(i)
                || self.names_who_is_meant(i, first, last)
                || (self.is(i, Class::Press) && own_voice());
            self.is(i, Class::News) && !not_a_report
        }) {
            return Some(Guard::News);
        }
        if self
            .sentence_tokens(first)
            .any(|i| self.names_as_wrong(i) && !self.describes_someone(i, first, last))
            || self.phrase_in_sentence(first, &["det", "är", "fel"])
        {
            return Some(Guard::CounterSpeech);
        }
        // `Vad säger du om en kula i huvudet?`: a suggestion, not a
        // question; `Tänd eld på boendet, vem är med?` seeks hands for it.
        let suggestion = self.phrase_of(self.sentence_tokens(first).start, Class::Suggestions);
        let asked = self.opens_question(first)
            || (self.sentence_mark(first) == '?' && !self.recruits_for(last));
        if asked && suggestion.is_none() {
            return Some(Guard::Question);
        }
        if self.hypothetical(first, last) && !self.reaffirmed() {
            return Some(Guard::Hypothetical);
        }
        None
    }

    /// The sentence of the shape `first..=last` speaks of what would be
    /// (`skulle`, `hade`), unless only in a consequence after the shape
    /// (`… borde gasas, så skulle det bli lugnt`): the call stands, and
    /// the consequence is its reason. Nor is a promise to do it again
    /// (`… och skulle göra om det`) a hypothesis.
    fn hypothetical(&self, first: usize, last: usize) -> bool {
        self.sentence_tokens(first).any(|i| {
            let consequence =
                i > last + 1 && (self.is(i - 1, &["så", "då"]) || self.comment_after(last, i));
            let repeated = i > last && self.phrase_of(i + 1, Class::Repetition).is_some();
            self.is(i, &["skulle", "hade"]) && !consequence && !repeated
        })
    }

    /// Token `i` is in a clause of its own after the shape ending at
    /// `last`, past a comma, that is no condition (`Hoppa framför tåget,
    /// ingen skulle märka skillnaden`; not `…, om jag hade en pistol`): it
    /// comments on what was said, it does not make it a hypothesis.
    fn comment_after(&self, last: usize, i: usize) -> bool {
        (last + 1..=i).any(|t| self.clause_start(t))
            && !(last + 1..i).any(|t| self.is(t, &["om", "ifall", "utan"]))
    }

    /// A word that opens a clause of its own (`att`, `som`, `och`,
    /// `eller`) among tokens `between`: what comes after it is no longer
    /// said of the words before (`Muslimer i Sverige tycker att …`).
    fn clause_between(&self, between: Range<usize>) -> bool {
        between
            .into_iter()
            .any(|t| self.is(t, &["att", "som", "och", "eller"]))
    }

    /// The shape `first..=last` promises (`ska`, `kommer`, `tänker`) to the
    /// reader (`du`, `dig`, `ni`) or in the writer's name (`ska jag`, `vi
    /// kommer att`): a threat in its own voice, which news does not write
    /// about the paper it names (`Linda på tidningen, du kommer att dö för
    /// den artikeln`; not `Kommentaren som anmäldes: jag ska döda dig`, nor
    /// `i GTA kan du skjuta poliser men irl e de fängelse`).
    fn in_own_voice(&self, first: usize, last: usize) -> bool {
        let addressed = (first..=last).any(|t| {
            self.is(t, Class::SecondPersonSubject) || self.is(t, Class::SecondPersonObject)
        });
        (first..=last)
            .any(|t| self.is(t, Class::StrongIntent) && (addressed || self.writer_beside(t)))
    }

    /// The news word at `i` stands in a relative clause that says who the
    /// shape `first..=last` is aimed at (`Journalisten som skrev artikeln
    /// ska få en kula`, `… döda han som skrev artikeln`): the target's
    /// deed, not a report of the shape. Not a clause that reports (`som
    /// sa att`, `som enligt artikeln …`) nor one that holds the shape's end.
    fn names_who_is_meant(&self, i: usize, first: usize, last: usize) -> bool {
        let start = self.sentence_tokens(i).start;
        let som = (start + 1..i)
            .rev()
            .take_while(|&t| !self.is(t, &["att", "enligt"]) && !self.clause_start(t + 1))
            .find(|&t| self.is(t, &["som"]));
        som.is_some_and(|som| (som > first && i < last) || som > last)
    }

    /// `ni är varnade`, `ni har blivit varnade`, `skriv inte att jag inte
    /// varnade er`: a warning the writer gives the readers, not news of one
    /// (`polisen varnade för …`).
    fn warning_given(&self, i: usize) -> bool {
        let writer_before = |at: usize| {
            self.is(at, Class::FirstPerson)
                || (at > 0 && self.is(at, Class::Negation) && self.is(at - 1, Class::FirstPerson))
        };
        self.is(i, &["varnade", "varnar"])
            && i > 0
            && (self.is(i - 1, Class::Copula)
                || self.is(i - 1, &["blivit"])
                || writer_before(i - 1))
    }

    /// The comment stands by what it says (a phrase of
    /// [`Class::Reaffirmations`]: `och det tänker jag göra`, `jag menade
    /// det`), found the first time a guard asks.
    fn reaffirmed(&self) -> bool {
        *self.reaffirmed.get_or_init(|| {
            (0..self.tokens.len()).any(|i| self.phrase_of(i, Class::Reaffirmations).is_some())
        })
    }

    /// The shape `first..=last` is quoted: all of it, or its end of two
    /// words or more (`kvinnor 'borde våldtas'`, someone else's words about
    /// a group). One word in quotes is often scorn (`alla "flyktingar"`),
    /// not a quotation.
    fn quoted(&self, first: usize, last: usize) -> bool {
        let (Some(start), Some(end)) = (self.tokens.get(first), self.tokens.get(last)) else {
            return false;
        };
        let from = self.tokens[last.saturating_sub(1).max(first)].start;
        self.quotes.iter().any(|q| {
            q.end >= end.end && (q.start <= start.start || (last > first && q.start <= from))
        })
    }

    /// The token names what is said as wrong (counter-speech); `fel` after
    /// a preposition is a place (`på fel toalett`), not a judgement.
    fn names_as_wrong(&self, i: usize) -> bool {
        self.is(i, Class::Counter)
            && !(self.is(i, &["fel"])
                && i > 0
                && self.is(i - 1, &["på", "i", "till", "åt", "från"]))
    }

    /// A verb of `class` (`wanting`: `vill att`; `letting`: `lät`)
    /// within [`WILLED_REACH`] tokens before the shape at `first`, in its
    /// clause, whose subject is someone other than the writer:
    /// `Regeringen vill att flyktingar ska dö` retells (or alleges) a
    /// wish, `Sverige lät judar dö under kriget` reports what was let
    /// happen. The writer's own (`jag vill att`, `vi låter dem`), with no
    /// subject at all (`vill att alla ska dö`), or an order (`låt dem dö`,
    /// not listed) is a call; so is a relative clause that says who is
    /// meant (`Valarbetaren som inte lät mig rösta ska få en kula`). A
    /// wish needs its `att`.
    fn someone_else_wills(&self, first: usize, class: Class) -> bool {
        self.verbs_before(first, class, class == Class::Wanting)
            .any(|verb| !self.writer_beside(verb))
    }

    /// A verb of opinion (class `opining`: `tycker att`, `tror att`)
    /// before the shape at `first`, as [`Self::someone_else_wills`], whose
    /// subject is a particular other person: `han`, `hon`, a name, or a
    /// possessive and a noun (`Min granne tycker att alla muslimer borde
    /// skjutas, jag har anmält honom`) — their opinion, retold. Not the
    /// writer's (`jag tycker att`) nor a crowd's (`många tycker att`),
    /// which is as often the writer's own view.
    fn someone_named_holds(&self, first: usize) -> bool {
        self.verbs_before(first, Class::Opining, true).any(|verb| {
            let subject = verb - 1;
            self.is(subject, &["han", "hon", "hen"])
                || self.is_name(subject)
                || (subject > 0
                    && self.same_sentence(subject - 1, subject)
                    && (self.is(subject - 1, Class::OwnPossessive)
                        || self.is(subject - 1, Class::OthersPossessive)))
        })
    }

    /// The verbs of `class` within [`WILLED_REACH`] tokens before the
    /// shape at `first`, after its sentence's first token, with no comma
    /// or colon between them and the shape and not in a relative clause
    /// (`som lät`), followed by `att` within two tokens when `with_att`.
    fn verbs_before(
        &self,
        first: usize,
        class: Class,
        with_att: bool,
    ) -> impl Iterator<Item = usize> + '_ {
        let start = self.sentence_tokens(first).start;
        (first.saturating_sub(WILLED_REACH).max(start + 1)..first).filter(move |&verb| {
            let att = self.is(verb + 1, &["att"]) || self.is(verb + 2, &["att"]);
            let relative = (verb.saturating_sub(2)..verb).any(|t| self.is(t, &["som"]));
            self.is(verb, class)
                && (att || !with_att)
                && !relative
                && !(verb + 1..=first).any(|t| self.between_tokens_has(t - 1, &[',', ':']))
        })
    }

    /// A reporting verb whose subject is not the one addressed or the
    /// writer: `han skrev`, but not `om du skriver` or `ni vet vad jag
    /// menar`, nor a relative clause that tells who is meant, after the
    /// words `first..=last` (`döda varenda journalist som skriver om oss`)
    /// or within them when it reports nothing (`Journalisten som skrev om
    /// bygget borde skjutas`; not `som skrev att …`).
    fn someone_else_speaks(&self, first: usize, last: usize) -> bool {
        self.sentence_tokens(first).any(|i| {
            self.is(i, Class::Reporting)
                && !self.describes_someone(i, first, last)
                && !(i > 0
                    && self.same_sentence(i - 1, i)
                    && (self.is(i - 1, Class::SecondPersonSubject) || self.is(i - 1, &["jag"])))
                // `vad säger du om …`: the addressee, after the verb (not
                // the start of the words: `som han sa: du ska dö`).
                && !(self.same_sentence(i, i + 1)
                    && self.is(i + 1, Class::SecondPersonSubject)
                    && !self.clause_start(i + 1))
                // `när de säger till`: an order, not someone's words; `skriver
                // ut bot`, `säger upp`, `skrev under`: an act.
                && !(self.is(i + 1, &["till", "ut", "upp", "under"]) && self.same_sentence(i, i + 1))
                // `så lär de sig`: `lär` + a reflexive is learning, not
                // hearsay.
                && !(self.is(i, &["lär"])
                    && [i + 1, i + 2].into_iter().any(|r| {
                        self.is(r, &["sig", "dig", "er", "mig", "oss"]) && self.same_sentence(i, r)
                    }))
        })
    }

    /// The verb at `i` opens a relative clause that says who is meant
    /// (`kärringen som anmälde min hund`, `Journalisten som skrev om
    /// invandring, jag ska …`), not someone's words or a judgement of the
    /// shape `first..=last`: right after `som`, and after the shape, or
    /// inside it not before `att`, or before it with words of its own
    /// before the shape's clause starts (not `Han som sa, du ska dö`).
    fn describes_someone(&self, i: usize, first: usize, last: usize) -> bool {
        let after_som = i > 0 && self.is(i - 1, &["som"]);
        let reports = self.is(i + 1, &["att"]);
        after_som
            && (i > last + 1
                || (i > first && !reports)
                || (i + 1 < first && !reports && self.clause_start(first)))
    }

    /// The guards of [`Self::guard`], then those that only make a threat
    /// doubtful: a game, and laughter anywhere in the comment (a joke
    /// among friends, `du är död om du inte kommer haha`). Laughter does
    /// not excuse hate at a group: see [`Self::threat_guard_at`].
    fn threat_guard(&self, first: usize, last: usize) -> Option<Guard> {
        self.guard(first, last)
            .or_else(|| self.game_in_sentence(first).then_some(Guard::Game))
            .or_else(|| self.laughs().then_some(Guard::Joke))
    }

    /// [`Self::threat_guard`] for a threat aimed at a protected group
    /// (`at_group`) or at a person: laughter does not excuse hate at a
    /// group.
    fn threat_guard_at(&self, first: usize, last: usize, at_group: bool) -> Option<Guard> {
        self.threat_guard(first, last)
            .filter(|&g| !(at_group && g == Guard::Joke))
    }

    /// The comment laughs: a laughing emoji, `haha` or `hehe` of any
    /// length, or a word of [`Class::Laughter`] (`lol`, `xd`).
    fn laughs(&self) -> bool {
        *self.laughter.get_or_init(|| {
            self.original.contains(LAUGHING_EMOJI)
                || (0..self.tokens.len())
                    .any(|i| self.is(i, Class::Laughter) || laughter_word(self.word(i)))
        })
    }

    /// The writer (`jag`, `vi`) stands right before or after token `t`,
    /// in its sentence: `vi tänder`, `ska vi`, `då kommer jag`.
    fn writer_beside(&self, t: usize) -> bool {
        [t.wrapping_sub(1), t + 1]
            .into_iter()
            .any(|p| self.is(p, Class::FirstPerson) && self.same_sentence(p, t))
    }

    /// The token starts a sentence or follows a comma: where an imperative
    /// (`döda alla …`, `ta till vapen`) stands. @mentions before it are
    /// whom the sentence is addressed to (`@Lisa skjut dig själv`), and
    /// hashtags label it (`#tröttpådig gör slut på dig själv`).
    fn clause_start(&self, index: usize) -> bool {
        let sentence = self.sentence_tokens(index);
        index == sentence.start
            || (sentence.start..index).all(|t| self.is_mention(t) || self.is_hashtag(t))
            || self.between_tokens_has(index.wrapping_sub(1), &[',', ':'])
    }

    /// Whether the text between token `before` and the next one holds one
    /// of `marks` (false when either token does not exist).
    fn between_tokens_has(&self, before: usize, marks: &[char]) -> bool {
        self.tokens
            .get(before)
            .zip(self.tokens.get(before.wrapping_add(1)))
            .is_some_and(|(a, b)| self.normalized.text[a.end..b.start].contains(marks))
    }

    /// The word at `index` is set off by a comma before it and by a comma
    /// or the sentence's end after it: one spoken to (`Dö, Ekström`).
    fn vocative(&self, index: usize) -> bool {
        index > 0 && self.between_tokens_has(index - 1, &[',']) && self.closes_clause(index)
    }

    /// The word at `index` ends its sentence or stands before a comma.
    fn closes_clause(&self, index: usize) -> bool {
        index + 1 == self.sentence_tokens(index).end || self.between_tokens_has(index, &[','])
    }

    /// The sentence of `index` is about a game it happens in (`krossa dem
    /// i finalen`): a word of `games`, but not one that only dates the
    /// act (`efter matchen`, `innan valet`: what is promised for then is
    /// no play) or ends a compound (`t-banan`).
    fn game_in_sentence(&self, index: usize) -> bool {
        self.sentence_tokens(index).any(|t| {
            let not_played_in = (t > 0 && self.is(t - 1, &["efter", "innan", "före", "inför"]))
                || self.hyphen_between(t.wrapping_sub(1), t)
                || self.game_names_the_person(t);
            self.is(t, Class::Games) && !not_played_in
        })
    }

    /// `Den där ateisten i debatten förtjänar …`, `Domaren i matchen ska
    /// …`: the game word at `t` only says who the person opening the
    /// sentence is, not where the act is played (unlike `slå grannen i
    /// schack`).
    fn game_names_the_person(&self, t: usize) -> bool {
        if t < 2 || !self.is(t - 1, &["i", "på"]) {
            return false;
        }
        let person = t - 2;
        let opens_sentence = (self.sentence_tokens(t).start..person)
            .all(|i| self.is(i, Class::Determiners) || self.is(i, &["där", "här"]));
        opens_sentence && (self.person_noun(person) || self.is(person, Class::ThreatPersonRoles))
    }

    /// A definite or plural noun for people (`journalisterna`,
    /// `kommunikatören`, `domarn`), of [`PERSON_NOUN_MIN`] letters or more,
    /// not a thing that ends so (`källaren`).
    pub(super) fn person_noun(&self, i: usize) -> bool {
        let word = self.word(i);
        word.chars().count() >= PERSON_NOUN_MIN
            && self.classes.ends_with_any(word, Class::PersonEndings)
            && !self.is(i, Class::NotPersonNouns)
    }

    /// The word names where animals are (`vargarna i Värmland`,
    /// `vildsvinen i Järvaskogen borde skjutas`): a place, not a person a
    /// wish of violence is about.
    fn where_animals_are(&self, i: usize) -> bool {
        i >= 2 && self.is(i - 2, Class::Animals) && self.is(i - 1, Class::PlacePrepositions)
    }

    /// The comment is about a game: a word of `games` anywhere in it
    /// (`finalen`, `matchen`) or a sports emoji.
    fn about_a_game(&self) -> bool {
        self.original.contains(emoji::SPORTS)
            || (0..self.tokens.len()).any(|t| self.is(t, Class::Games))
    }

    /// Tokens `a` and `b` are the two parts of a word joined by a hyphen
    /// (`invandrar-parasiter`).
    fn hyphen_between(&self, a: usize, b: usize) -> bool {
        self.tokens
            .get(a)
            .zip(self.tokens.get(b))
            .is_some_and(|(x, y)| self.normalized.text.get(x.end..y.start) == Some("-"))
    }

    /// The token is a hashtag (`#pride`): a label, not a word of the
    /// sentence.
    fn is_hashtag(&self, index: usize) -> bool {
        index < self.tokens.len()
            && self
                .original
                .get(..self.span(index, index).start)
                .is_some_and(|before| before.ends_with('#'))
    }

    /// The token is part of an @mention (`@kommunalråd_Holm`), told from
    /// the text as written (the key reads `@` as leetspeak for `a`).
    fn is_mention(&self, index: usize) -> bool {
        if !self.may_mention || index >= self.tokens.len() {
            return false;
        }
        let start = self.span(index, index).start;
        let before = self.original.get(..start).unwrap_or("");
        let handle = before.rsplit(char::is_whitespace).next().unwrap_or("");
        handle.starts_with('@')
            || self
                .normalized_original(self.span(index, index))
                .starts_with('@')
    }

    /// The sentence of the shape ending at `last` ends, after a comma, in a
    /// question asking who will join (class `recruiting_tags`: `…, vem är
    /// med?`, `…, gör det någon?`): it asks for hands for what comes
    /// before, not whether it is right.
    fn recruits_for(&self, last: usize) -> bool {
        let end = self.sentence_tokens(last).end;
        (last + 1..end).any(|tag| {
            self.between_tokens_has(tag - 1, &[','])
                && self
                    .phrase_of(tag, Class::RecruitingTags)
                    .is_some_and(|length| tag + length == end)
        })
    }

    /// The sentence opens with a question word (`Hur många fler … måste dö
    /// innan …`): asked, even when the question mark is left out.
    fn opens_question(&self, index: usize) -> bool {
        self.is(self.sentence_tokens(index).start, Class::QuestionOpeners)
    }

    fn sentence_mark(&self, index: usize) -> char {
        self.tokens
            .get(index)
            .and_then(|t| self.sentence_marks.get(t.sentence))
            .map_or('.', |&mark| mark)
    }

    fn phrase_in_sentence(&self, index: usize, phrase: &[&str]) -> bool {
        self.sentence_tokens(index)
            .any(|start| self.phrase_at(start, phrase))
    }

    /// The length in tokens of the first phrase of `class` (a class of
    /// [`Spelling::Phrase`](super::words::Spelling::Phrase), in its file's
    /// order) that stands at token `start`, within one sentence.
    ///
    /// Asked at nearly every token by several rules, and the token is the
    /// first word of almost no phrase: the class's phrases are read only
    /// when the token opens one of them (its tags say so, with one bit
    /// test), and a phrase is split into words only when its first word is
    /// the token.
    fn phrase_of(&self, start: usize, class: Class) -> Option<usize> {
        if !self.opens.get(start).is_some_and(|opens| opens.has(class)) {
            return None;
        }
        let first = self.word(start);
        self.classes.words(class).iter().find_map(|phrase| {
            let rest = phrase.strip_prefix(first)?;
            if !(rest.is_empty() || rest.starts_with(' ')) {
                return None;
            }
            let mut length = 0;
            for word in phrase.split(' ') {
                if self.word(start + length) != word {
                    return None;
                }
                length += 1;
            }
            (length > 0 && self.same_sentence(start, start + length - 1)).then_some(length)
        })
    }

    fn phrase_at(&self, start: usize, phrase: &[&str]) -> bool {
        phrase
            .iter()
            .enumerate()
            .all(|(offset, word)| self.word(start + offset) == *word)
            && self.same_sentence(start, start + phrase.len() - 1)
    }

    /// A negation among tokens `from..=to`, in the two tokens before or in
    /// the one after (`jag dödar dig inte`).
    fn negated(&self, from: usize, to: usize) -> bool {
        self.negated_before(from, to + 2)
    }

    /// Like [`Self::negated`], but not counting tokens `own`: a phrase that
    /// holds its own negation (`hör inte hemma här`) is not denied by it.
    fn negated_apart_from(&self, from: usize, to: usize, own: RangeInclusive<usize>) -> bool {
        (from.saturating_sub(2)..to + 2)
            .filter(|&i| self.same_sentence(i, from) && !own.contains(&i))
            .any(|i| self.is(i, Class::Negation))
    }

    /// How many tokens `ihjäl` or `till döds` take at `t` (`sparkas till
    /// döds`, `slå ihjäl`), within one sentence.
    fn to_death_at(&self, t: usize) -> Option<usize> {
        if self.is(t, &["ihjäl"]) {
            Some(1)
        } else {
            self.phrase_at(t, &["till", "döds"]).then_some(2)
        }
    }

    /// Whether the token before `index` is `bli` (`bli nedslagen`): a
    /// participle after it is passive, like `skjutas`.
    fn after_bli(&self, index: usize) -> bool {
        index > 0 && self.is(index - 1, &["bli", "bliva"])
    }

    /// A negation among tokens `from..end` or in the two tokens before.
    fn negated_before(&self, from: usize, end: usize) -> bool {
        (from.saturating_sub(2)..end)
            .filter(|&i| self.same_sentence(i, from))
            .any(|i| self.is(i, Class::Negation))
    }

    /// The original byte span of tokens `first..=last`.
    fn span(&self, first: usize, last: usize) -> Range<usize> {
        let (Some(a), Some(b)) = (self.tokens.get(first), self.tokens.get(last)) else {
            return 0..0;
        };
        let (start, end) = self.normalized.original_span(a.start, b.end);
        start..end
    }

    fn hit_span(&self, hit: &Hit<'_>) -> Range<usize> {
        let (start, end) = self
            .normalized
            .original_span(hit.found.start, hit.found.end);
        start..end
    }

    /// First token index after `after` (within `max` tokens, same sentence)
    /// that is one of `words`, skipping only fillers.
    fn next_after_fillers<'w>(
        &self,
        after: usize,
        max: usize,
        words: impl Into<Words<'w>>,
    ) -> Option<usize> {
        let words = words.into();
        (after + 1..=after + max)
            .take_while(|&i| self.same_sentence(i, after))
            .take_while(|&i| self.is(i, words) || self.is(i, Class::Fillers))
            .find(|&i| self.is(i, words))
    }

    /// An authority, institution or office, also as the tail of a compound
    /// (`miljöborgarrådet`, `trafikpolisen`).
    fn is_authority(&self, index: usize) -> bool {
        let word = self.word(index);
        !word.is_empty() && self.classes.ends_with_any(word, Class::AuthorityTargets)
    }

    /// The first authority within three tokens after `after`, skipping
    /// fillers only.
    fn next_authority_after(&self, after: usize) -> Option<usize> {
        (after + 1..=after + 3)
            .take_while(|&i| self.same_sentence(i, after))
            .take_while(|&i| self.is_authority(i) || self.is(i, Class::Fillers))
            .find(|&i| self.is_authority(i))
    }

    /// The guard for categories that name material: the common guards,
    /// information and law talk ([`Class::Info`], `tagit bort`), and a sentence
    /// that opens with `att` + the material (`Att sprida nakenbilder är …`):
    /// the act is discussed, not done.
    fn material_guard(&self, first: usize, last: usize) -> Option<Guard> {
        self.guard(first, last).or_else(|| {
            let info = self.sentence_has(first, Class::Info)
                || self.phrase_in_sentence(first, &["tagit", "bort"]);
            (info || self.discussed(first)).then_some(Guard::CounterSpeech)
        })
    }

    /// The sentence opens with `att` within two tokens of `index`: an act
    /// named as a subject (`Att döda otrogna är aldrig rätt`).
    /// `Att skriva att hon borde våldtas är inte en åsikt`: a sentence
    /// that opens by naming an utterance talks about it.
    fn utterance_discussed(&self, index: usize) -> bool {
        let start = self.sentence_tokens(index).start;
        self.is(start, &["att"]) && self.is(start + 1, Class::ReportingInfinitives)
    }

    fn discussed(&self, index: usize) -> bool {
        let start = self.sentence_tokens(index).start;
        self.is(start, &["att"]) && index <= start + 3
    }

    /// `kommunstyrelsens ordförande`, `skolans rektor`: a role in the
    /// indefinite form after a genitive that owns it. Swedish puts the
    /// owned noun in the indefinite form, so the role is known by its
    /// definite form (`ordförande` + `n`, `chef` + `en`).
    fn is_owned_role(&self, index: usize) -> bool {
        let word = self.word(index);
        self.genitive_before(index)
            && !word.is_empty()
            && ["n", "en"].iter().any(|ending| {
                let definite = format!("{word}{ending}");
                self.classes
                    .ends_with_any(&definite, Class::ThreatPersonRoles)
                    || self.classes.ends_with_any(&definite, Class::PersonTargets)
            })
    }

    /// The noun at `index` is in `class`, or is owned (after a possessive
    /// or a genitive) and its definite form is: Swedish puts an owned noun
    /// in the indefinite form (`ditt rekord`, `din valstuga`), and the
    /// classes list the definite one (`rekordet`, `valstugan`).
    fn is_or_owned_in(&self, index: usize, class: Class) -> bool {
        if self.is(index, class) {
            return true;
        }
        let word = self.word(index);
        let possessive = |owner: usize| {
            self.is(owner, Class::OthersPossessive) || self.is(owner, Class::OwnPossessive)
        };
        let owned = self.genitive_before(index)
            || (index > 0 && possessive(index - 1) && self.same_sentence(index - 1, index));
        owned
            && !word.is_empty()
            && DEFINITE_ENDINGS
                .iter()
                .any(|ending| self.classes.has(&format!("{word}{ending}"), class))
    }

    /// A way goes on after the particle at `particle` (`körde över till
    /// dem med mat`, `köras över dit`): movement, not violence.
    fn way_after(&self, particle: usize) -> bool {
        self.is(particle + 1, &["till", "dit", "hit"])
    }

    /// The word before `index`, in its sentence, is a genitive (`skolans
    /// rektor`, `Lenas bil`).
    fn genitive_before(&self, index: usize) -> bool {
        let owner = self.word(index.wrapping_sub(1));
        owner.chars().count() > GENITIVE_MIN_CHARS
            && owner.ends_with('s')
            && index > 0
            && self.same_sentence(index - 1, index)
    }

    /// A person who acts for society, or `dem`/`dom` when one is named
    /// earlier in the same sentence (`släpp inte in polisen, kasta saker på
    /// dem`).
    fn is_person_target(&self, index: usize) -> bool {
        let word = self.word(index);
        if word.is_empty() {
            return false;
        }
        if self.is(index, &["dem", "dom", "honom", "henne", "hen"]) {
            return self
                .sentence_tokens(index)
                .any(|i| i < index && self.is_person_target(i));
        }
        // `politikernas villor`: the genitive names the same people.
        let base = word.strip_suffix('s').unwrap_or(word);
        self.classes.ends_with_any(word, Class::PersonTargets)
            || self.classes.ends_with_any(base, Class::PersonTargets)
    }

    /// The first person target within three tokens after `after`, skipping
    /// determiners and fillers.
    fn next_person_after(&self, after: usize) -> Option<usize> {
        (after + 1..=after + 3)
            .take_while(|&i| self.same_sentence(i, after))
            .take_while(|&i| {
                self.is_person_target(i)
                    || self.is(i, Class::Fillers)
                    || self.is(i, Class::Determiners)
            })
            .find(|&i| self.is_person_target(i))
    }

    /// The object after `after` (skipping determiners) is figurative:
    /// `attackera problemet`, `sätt eld på dansgolvet`.
    fn idiom_object_after(&self, after: usize) -> bool {
        // `storma in i sommaren`: particles stand before the object too.
        (after + 1..=after + 4)
            .take_while(|&i| self.same_sentence(i, after))
            .find(|&i| {
                !self.is(i, Class::Determiners)
                    && !self.is(i, Class::Fillers)
                    && !self.is(i, &["in", "ut", "upp"])
            })
            .is_some_and(|i| {
                let word = self.word(i);
                // `flyktingförläggningen` ends like `mobbningen` but is a
                // building.
                self.is_or_owned_in(i, Class::IdiomObjects)
                    || (self.classes.ends_with_any(word, Class::AbstractEndings)
                        && !self.is_authority(i))
            })
    }

    /// An imperative: the verb opens its clause, or follows `och`/`sen`
    /// (`o`, `å`, `så`) in a sentence that does not open with a subject
    /// (`ta med stenar och gå på snuten`, `gå å häng dej`).
    fn imperative(&self, index: usize) -> bool {
        // `Att sätta eld på flyktingläger … är fel`: the mark of the
        // infinitive opens a clause that names an act, no verb.
        if self.is(index, &["att"]) || !imperative_form(self.word(index)) {
            return false;
        }
        // `Sen skär du den i skivor`: a subject after the verb makes it a
        // statement, not an order.
        let subject_follows = self.is(
            index + 1,
            &["jag", "vi", "du", "ni", "han", "hon", "de", "dom"],
        ) && !self.determiner_of_plural(index + 1);
        if self.clause_start(index) {
            return !subject_follows;
        }
        let start = self.sentence_tokens(index).start;
        // `Du är dum, gå och häng dig`: joined to an imperative opening its
        // clause, whatever subject the sentence began with.
        let after_an_order = index >= start + 2
            && self.clause_start(index - 2)
            && imperative_form(self.word(index - 2))
            && !self.is(index - 2, Class::Subjects);
        index > start
            && self.is(index - 1, &["och", "o", "å", "sen", "sedan", "då", "så"])
            && (!self.is(start, Class::Subjects) || after_an_order)
            && !subject_follows
    }

    /// `de`/`dom` as the determiner of a plural noun (`skjut de jävla
    /// poliserna`, `de där`, `dom tiggarna`), not the subject of a question
    /// (`kör de hem?`) nor before an adjective (`döda de otrogna`, a call a
    /// person judges).
    fn determiner_of_plural(&self, index: usize) -> bool {
        let next = index + 1;
        self.is(index, &["de", "dom"])
            && self.same_sentence(index, next)
            && (self.is(next, &["jävla", "fucking", "där", "här"])
                || ["arna", "erna", "orna"]
                    .iter()
                    .any(|ending| self.word(next).ends_with(ending)))
    }

    /// A collective call: `vi ska`, `vi måste`, `låt oss`, `dags att`,
    /// `ni måste` within three tokens before `index`.
    fn collective_call(&self, index: usize) -> bool {
        let sentence = self.sentence_tokens(index);
        let from = index.saturating_sub(3).max(sentence.start);
        (from..index).any(|i| {
            (self.is(i, &["ska", "skall", "måste", "borde", "bör"])
                && i > sentence.start
                && self.is(i - 1, &["vi", "ni", "alla"]))
                || self.phrase_at(i, &["låt", "oss"])
                || self.phrase_at(i, &["dags", "att"])
        })
    }

    /// The word at `index` is written with a capital letter inside its
    /// sentence: a name (`Malin i kassan`, `Oskar`).
    fn is_name(&self, index: usize) -> bool {
        let start = self.sentence_tokens(index).start;
        if index == start || self.clause_start(index) || index >= self.tokens.len() {
            return false;
        }
        self.capitalised(index)
    }

    /// A name set off by commas as the one spoken to (`Dö, Ekström`,
    /// `Hoppa framför tåget, Alva, ingen …`), which [`Self::is_name`]
    /// does not count, as a capital after a comma opens many clauses.
    fn is_vocative_name(&self, index: usize) -> bool {
        index != self.sentence_tokens(index).start
            && self.vocative(index)
            && self.capitalised(index)
    }

    /// The word at `index` is written with a capital and then small letters.
    fn capitalised(&self, index: usize) -> bool {
        let span = self.span(index, index);
        let original = self.normalized_original(span);
        original.chars().next().is_some_and(char::is_uppercase)
            && original.chars().skip(1).all(|c| !c.is_uppercase())
    }

    fn normalized_original(&self, span: Range<usize>) -> &str {
        self.original.get(span).unwrap_or("")
    }

    /// Film and fiction talk in the sentence (`snuffilmer` in a
    /// thriller); `bio` only as the cinema, not a profile (`länk i min
    /// bio`, `link in bio`).
    fn fiction(&self, index: usize) -> bool {
        self.sentence_tokens(index).any(|i| {
            self.is(i, Class::Fiction)
                && !(self.is(i, &["bio"])
                    && self.is(
                        i.wrapping_sub(1),
                        &["min", "i", "in", "my", "sin", "hans", "hennes"],
                    ))
        })
    }

    /// The word at `index` names an image or a film, or holds one of the
    /// `extra` stems (`utbildning` and `förebild` hold `bild` without being
    /// one).
    fn names_recording(&self, index: usize, extra: Class) -> bool {
        let word = self.word(index);
        !word.is_empty()
            && (self.classes.contains_any(word, Class::RecordingStems)
                || self.classes.contains_any(word, extra))
            && !["bildn", "utbild", "förebild"]
                .iter()
                .any(|not| word.contains(not))
    }

    fn within_before<'w>(
        &self,
        before: usize,
        max: usize,
        words: impl Into<Words<'w>>,
    ) -> Option<usize> {
        let words = words.into();
        (before.saturating_sub(max)..before)
            .rev()
            .filter(|&i| self.same_sentence(i, before))
            .find(|&i| self.is(i, words))
    }
}

/// The fewest letters of a noun recognised as a person by its ending
/// (`chefen`; not `ören`).
const PERSON_NOUN_MIN: usize = 6;

/// How many tokens before a shape a verb of someone else's wish, opinion
/// or letting may stand (`Regeringen vill att alla flyktingar ska dö`,
/// `lät tusentals judar dö`).
const WILLED_REACH: usize = 6;

/// A genitive that owns a role (`skolans rektor`) is longer than this:
/// shorter words ending in `s` are mostly not genitives (`hos`, `oss`, `ers`).
const GENITIVE_MIN_CHARS: usize = 4;
/// The endings that make an owned, indefinite noun definite (`rekord` +
/// `et`, `valstuga` + `n`, `bil` + `en`), for [`Document::is_or_owned_in`].
const DEFINITE_ENDINGS: [&str; 4] = ["en", "et", "n", "t"];

/// The addressee's possessives (`din`, `ert`; `er` is left out, being the
/// object pronoun too): what follows is what the addressee owns.
const ADDRESSEE_POSSESSIVES: [&str; 6] = ["din", "ditt", "dina", "ert", "era", "eran"];

/// Laughing emoji (face with tears of joy, rolling on the floor, grinning
/// squint, cat with tears of joy): a threat among them may be a joke (for
/// the English rules too). Not
/// the wink, which often seals a veiled threat (`ta med väst 😉`).
pub(crate) const LAUGHING_EMOJI: [char; 4] = ['😂', '🤣', '😆', '😹'];

/// `haha`, `hahahah`, `hehehe`: laughter of any length, which no word list
/// can hold.
fn laughter_word(word: &str) -> bool {
    let laughs_in = |vowel: char| {
        word.starts_with('h')
            && word.contains(vowel)
            && word.chars().all(|c| c == 'h' || c == vowel)
    };
    word.len() >= 4 && (laughs_in('a') || laughs_in('e'))
}

/// Whether a verb form can be an imperative: not a passive (`mördas`), a
/// present tense (`dödar`, `bränner`; `kör` is both) or a past tense
/// (`brände`, `sköt` is not caught and needs the object rules).
fn imperative_form(word: &str) -> bool {
    // `kör`, `gör`, `förstör`, `skär`: imperatives that end like a present tense.
    let present =
        word.ends_with('r') && !matches!(word, "kör" | "gör" | "förstör" | "stör" | "skär");
    let past = word.ends_with("de") || word.ends_with("te");
    !(word.ends_with('s') || present || past)
}

/// The tokens of every sentence number, in order (tokens are in sentence
/// order; a number without tokens gets an empty range).
fn sentence_ranges(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        while ranges.len() <= token.sentence {
            ranges.push(index..index);
        }
        if let Some(range) = ranges.get_mut(token.sentence) {
            range.end = index + 1;
        }
    }
    ranges
}

/// Splits the key into word tokens and numbers each with its sentence
/// (see [`super::sentences`], split once from the text as written: the
/// key has no line breaks), counting only sentences that hold a token;
/// with the first end mark of each numbered sentence.
fn tokenize(normalized: &Normalized, sentences: &[Sentence]) -> (Vec<Token>, Vec<char>) {
    let mut tokens = Vec::new();
    let mut marks = Vec::new();
    let mut current: Option<usize> = None;
    let mut at = 0;
    for (start, end) in word_spans(&normalized.text) {
        let origin = normalized.original_span(start, end).0;
        while at + 1 < sentences.len() && sentences[at].end <= origin {
            at += 1;
        }
        if current != Some(at) {
            current = Some(at);
            marks.push(sentences.get(at).and_then(|s| s.mark).unwrap_or('.'));
        }
        tokens.push(Token {
            start,
            end,
            sentence: marks.len() - 1,
        });
    }
    (tokens, marks)
}

/// The byte spans of the runs of letters and digits in `text`.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, ch)| ch.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(at, ch)) = chars.peek() {
            if !ch.is_alphanumeric() {
                end = at;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// Spans between paired quotation marks (any of `"”“„«»`).
fn quote_spans(text: &str) -> Vec<Range<usize>> {
    // Every quotation mark is `"` or `'`, or starts with byte C2 (`«»`)
    // or E2 (`”“„‘’`) in UTF-8: most comments hold none.
    if !text
        .bytes()
        .any(|b| matches!(b, b'"' | b'\'' | 0xC2 | 0xE2))
    {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (at, ch) in text.char_indices() {
        if matches!(ch, '"' | '”' | '“' | '„' | '«' | '»') {
            match open.take() {
                Some(start) => spans.push(start..at),
                None => open = Some(at),
            }
        }
    }
    spans.extend(single_quote_spans(text));
    spans
}

/// Words quoted with single quotes (`'jag ska döda dig'`, `‘…’`). The same
/// characters are apostrophes inside words (`it's`, `rock'n'roll`), so a
/// quote opens only after a space or the start and closes only before a
/// space, punctuation or the end.
fn single_quote_spans(text: &str) -> Vec<Range<usize>> {
    let is_single = |c: char| matches!(c, '\'' | '‘' | '’');
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (at, ch) in text.char_indices() {
        if !is_single(ch) {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + ch.len_utf8()..].chars().next();
        let opens = before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | ':'))
            && after.is_some_and(|c| !c.is_whitespace());
        let closes = before.is_some_and(|c| !c.is_whitespace())
            && after.is_none_or(|c| c.is_whitespace() || (c.is_ascii_punctuation() && c != '\''));
        match open {
            Some(start) if closes => {
                spans.push(start..at);
                open = None;
            }
            None if opens => open = Some(at),
            _ => {}
        }
    }
    spans
}

/// URLs in the original text, with their host.
fn links<'t>(urls: &Regex, text: &'t str) -> Vec<(Range<usize>, &'t str)> {
    if !may_hold_link(text) {
        return Vec::new();
    }
    urls.find_iter(text)
        .map(|m| {
            let url = m.as_str();
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
            let host_end = rest.find(['/', ':', '?', '#']).unwrap_or(rest.len());
            (m.range(), &rest[..host_end])
        })
        .collect()
}

/// Whether `text` can hold a link at all: every link the URL pattern
/// accepts starts with `www.` or has a `/` right after a scheme's `:` or
/// after a top-level domain (`.se/`, two or more letters after a full
/// stop). Most comments have none — a `/` in `och/eller` or `2018/19` is
/// no link — and skipping the pattern for them matters: its word
/// boundaries make the regex engine slow on Swedish text.
fn may_hold_link(text: &str) -> bool {
    let bytes = text.as_bytes();
    let slash_after_scheme_or_domain = |at: usize| {
        let before = &bytes[..at];
        let letters = before
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        before.ends_with(b":") || (letters >= 2 && before[..at - letters].ends_with(b"."))
    };
    (0..bytes.len()).any(|at| bytes[at] == b'/' && slash_after_scheme_or_domain(at))
        || bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
}

/// The outcome of one rule, before it gets its span.
struct Verdict {
    category: Category,
    confidence: Confidence,
    rule: &'static str,
    basis: &'static str,
    reason: String,
}

impl Verdict {
    fn at(self, span: Range<usize>) -> Finding {
        Finding {
            category: self.category,
            confidence: self.confidence,
            start: span.start,
            end: span.end,
            rule: self.rule.to_owned(),
            legal_basis: self.basis.to_owned(),
            reason: self.reason,
        }
    }

    /// The verdict of a rule of a category file's table: its id, category
    /// and legal basis are the row's.
    fn of(row: &'static RuleRow, confidence: Confidence, reason: String) -> Self {
        Verdict {
            category: row.category,
            confidence,
            rule: row.id,
            basis: row.basis,
            reason,
        }
    }

    /// A verdict for review: probable, or possible when `guard` holds (a
    /// quotation, news, a question …), for the looser shapes that a person
    /// always judges.
    fn review<'a>(
        row: &'static RuleRow,
        guard: Option<Guard>,
        reason: impl Into<Said<'a>>,
    ) -> Self {
        let confidence = match guard {
            Some(_) => Confidence::Possible,
            None => Confidence::Probable,
        };
        Verdict::said(row, confidence, reason.into())
    }

    /// The verdict of `row` with a reason as the matching code gives it
    /// (see [`Said`]).
    fn said(row: &'static RuleRow, confidence: Confidence, reason: Said<'_>) -> Self {
        Verdict::of(row, confidence, reason.text(row))
    }
}

/// A finding's reason as the matching code gives it: the rest of the
/// sentence its row's reason starts, or, for a form of a shape that the
/// row's reason does not describe, a reason of its own.
#[derive(Debug, Clone, Copy)]
enum Said<'a> {
    /// What follows the row's reason (`"."`, `"; en person behöver bedöma."`).
    After(&'a str),
    /// A whole reason of its own.
    Own(&'a str),
}

impl<'a> From<&'a str> for Said<'a> {
    fn from(reason: &'a str) -> Self {
        Said::Own(reason)
    }
}

impl Said<'_> {
    /// The whole reason of a finding of `row`.
    fn text(self, row: &RuleRow) -> String {
        match self {
            Said::After(rest) => format!("{}{rest}", row.reason),
            Said::Own(reason) => reason.to_owned(),
        }
    }
}

/// How a rule's reason says that a person decides (`"…; en person behöver
/// bedöma."`), so that a finding a model confirms can drop it.
pub(crate) const PERSON_DECIDES: &str = "; en person behöver bedöma";

/// How a slur's review reason says why a person decides: the word alone
/// does not show it is aimed (a confirmed finding drops it).
pub(crate) const WORD_ALONE: &str = "; ordet ensamt räcker inte för automatisk åtgärd";

fn guarded_reason(what: &str, guard: Guard) -> String {
    format!("{what}, {}{PERSON_DECIDES}.", guard.reason())
}

/// The rules whose review-level findings a confirming model may make
/// obvious ([`super::model`]): what issue 15 and the project's policy
/// (`tests/data/labelled/README.md`) call unmistakable — an explicit threat
/// to kill or harm a person (the addressee or a third person, a death
/// foretold), a call to violence against a person or a protected group
/// (`journalisten borde skjutas`: the rules cannot tell a call from
/// rhetoric, the model can be sure of it), an armed visit to where a person
/// is (`står utanför kontoret med en kniv`), a
/// slur aimed at a protected group (issue 15 names slurs aimed at a group
/// among the unmistakable: plain, masked, disguised or compounded) and its
/// dehumanisation. Left out on purpose, so a person always judges them: a
/// slur in a list of peoples (a list names them, it is not yet aimed:
/// `il.hets_mot_folkgrupp.slur_listed`), urging a plural `er` to self-harm
/// (who is meant is unclear),
/// wishes, veiled and conditional threats, threats against property,
/// contempt, expulsion, a pronoun denied humanity, emoji, narratives and
/// depictions of violence, calls to uppvigling and terror (their obvious
/// forms are already obvious; what the rules send to review there is arson
/// of buildings, sabotage and the like). The evidence rules
/// ([`evidence::NEEDS_MODEL`]) are confirmed too. Each id is looked up in
/// its table when the crate is compiled.
const CONFIRMABLE: &[&RuleRow] = &[
    table::row_in(hot::RULES, "il.olaga_hot.explicit_violence"),
    table::row_in(aimed::RULES, "il.olaga_hot.death_promised"),
    table::row_in(aimed::RULES, "il.olaga_hot.body_harm"),
    table::row_in(aimed::RULES, "il.olaga_hot.body_harm_other"),
    table::row_in(hot::RULES, "il.olaga_hot.armed_visit"),
    table::row_in(hot::RULES, "il.olaga_hot.injury"),
    table::row_in(hot::RULES, "il.olaga_hot.no_subject"),
    table::row_in(aimed::RULES, "il.olaga_hot.plural_threat"),
    table::row_in(hets::RULES, "il.hets_mot_folkgrupp.call_to_violence"),
    table::row_in(hets::RULES, "il.hets_mot_folkgrupp.call_to_violence_review"),
    table::row_in(aimed::RULES, "il.hets_mot_folkgrupp.plural_threat"),
    table::row_in(hets::RULES, "il.hets_mot_folkgrupp.dehumanising"),
    table::row_in(aimed::RULES, "il.hets_mot_folkgrupp.dehumanising_compound"),
    table::row_in(hets::RULES, "il.hets_mot_folkgrupp.dehumanising_review"),
    table::row_in(hets::RULES, "il.hets_mot_folkgrupp.likened"),
    table::row_in(hot::RULES, "il.olaga_hot.third_person"),
    table::row_in(hot::RULES, "il.olaga_hot.weapon_use"),
    table::row_in(hot::RULES, "il.olaga_hot.you_will_die"),
    table::row_in(aimed::RULES, "il.olaga_hot.call_against_person"),
    table::row_in(aimed::RULES, "il.olaga_hot.violence_named"),
    table::row_in(aimed::RULES, "il.olaga_hot.question_call"),
    table::row_in(aimed::RULES, "il.hets_mot_folkgrupp.question_call"),
    table::row_in(aimed::RULES, "il.hets_mot_folkgrupp.masked_slur"),
    table::row_in(aimed::RULES, "il.hets_mot_folkgrupp.disguised_slur"),
    table::row_in(aimed::RULES, "il.hets_mot_folkgrupp.insult_compound"),
    table::row_in(aimed::RULES, "il.olaga_hot.urges_self_harm_person"),
    table::row_in(aimed::RULES, "il.olaga_hot.deserves_violence"),
    table::row_in(hot::RULES, "il.olaga_hot.armed_visit_place"),
    table::row_in(hets::RULES, "il.hets_mot_folkgrupp.slur"),
];

/// Whether a confirming model may make a review-level finding of `rule`
/// obvious (see [`CONFIRMABLE`]).
pub(crate) fn confirmable(rule: &str) -> bool {
    CONFIRMABLE.iter().any(|row| row.id == rule)
}

/// Whether the confirming model may confirm a finding of `rule` on the
/// sentence that holds it, read alone, as well as on the whole comment:
/// an unmistakable attack in the middle of a long, otherwise ordinary
/// comment is no less unmistakable (`Tack för nya lekplatsen. Varenda … ska
/// skjutas. Öppettiderna är bra.`). Not the evidence rules, which are too
/// loose to be judged without the rest of the comment, nor a bare slur:
/// whom a slur is aimed at the other sentences say (`Blattar, svennar,
/// alla ska med på festivalen! Grym konsert.` names everyone).
pub(crate) fn confirmable_in_its_sentence(rule: &str) -> bool {
    const BARE_SLUR: &RuleRow = table::row_in(hets::RULES, "il.hets_mot_folkgrupp.slur");
    !needs_model(rule) && rule != BARE_SLUR.id
}

/// Whether `rule` only gives evidence for the confirming model: its
/// findings are kept only when the model made them obvious.
pub(crate) fn needs_model(rule: &str) -> bool {
    evidence::NEEDS_MODEL.iter().any(|row| row.id == rule)
}

/// Whether a finding's reason says a guard held (a quotation, news, a
/// question …): such a finding stays with a person whatever a model says.
pub(crate) fn reason_names_a_guard(reason: &str) -> bool {
    Guard::ALL
        .iter()
        .any(|guard| reason.contains(guard.reason()))
}

/// Finds every illegal-content category in one pass over the normalised
/// text; see the module documentation.
pub struct IllegalContentDetector {
    lexicon: Lexicon,
    urls: Regex,
    domains: Regex,
    classes: Arc<WordClasses>,
    /// The words without which no shape of `illegal/aimed.rs` can match: a
    /// comment with no listed term is analysed only when it holds one.
    aimed_triggers: aho_corasick::AhoCorasick,
    /// The word lists the rules try against every word, indexed once
    /// rather than scanned whole for each word of each comment.
    word_index: aimed::WordIndex,
}

/// A bare domain name (`fmovies.to`, `THEPIRATEBAY.ORG`) without a scheme
/// or path; only listed ones matter.
const DOMAIN_PATTERN: &str = r"(?i)\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b";

/// The URL shapes links are recognised by: a scheme, `www.`, or a domain
/// followed by a path.
const URL_PATTERN: &str =
    r"(?i)\b(?:https?://|www\.)[^\s<>]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>]*";

impl IllegalContentDetector {
    /// The detector over the given word lists (e.g. a city's own folder)
    /// and the built-in word classes.
    pub fn new(lexicon: Lexicon) -> Self {
        Self::with_classes(lexicon, WordClasses::builtin())
    }

    /// The detector over the given word lists and word classes (e.g. with
    /// a city's own, see [`WordClasses::with_overlay`]).
    pub fn with_classes(lexicon: Lexicon, classes: Arc<WordClasses>) -> Self {
        let aimed_triggers = aimed::triggers(&classes);
        let word_index = aimed::WordIndex::new(&classes);
        Self {
            lexicon,
            classes,
            aimed_triggers,
            word_index,
            // A constant pattern, checked by clippy's `invalid_regex` lint
            // and by the tests, so compiling it cannot fail at run time.
            urls: Regex::new(URL_PATTERN).expect("constant URL pattern compiles"),
            domains: Regex::new(DOMAIN_PATTERN).expect("constant domain pattern compiles"),
        }
    }

    /// The detector over the word lists compiled into the binary.
    pub fn embedded() -> Result<Self, LexiconError> {
        Lexicon::embedded().map(Self::new)
    }
}

impl Detector for IllegalContentDetector {
    fn detect_in(&self, prepared: &Text<'_>, out: &mut Vec<Finding>) {
        let normalized = prepared.normalized();
        let text = prepared.original();
        let found: Vec<LexMatch<'_>> = self.lexicon.matches(normalized).collect();
        let links = links(&self.urls, text);
        let mentions = domain_mentions(&self.domains, text, &links);
        // Every rule starts from a listed word, a link or a named site (or,
        // for the shapes of `illegal/aimed.rs`, a trigger word); most
        // comments have none, and are spared the sentence analysis.
        let listed = !(found.is_empty() && links.is_empty() && mentions.is_empty());
        if !listed && !self.aimed_triggers.is_match(normalized.text.as_str()) {
            return;
        }
        let document = Document::new(normalized, text, prepared.sentences(), &self.classes);
        let hits: Vec<Hit<'_>> = found.into_iter().filter_map(|m| document.hit(m)).collect();
        let first_new = out.len();
        let rules = Rules {
            doc: &document,
            hits: &hits,
            links: &links,
            mentions: &mentions,
            lexicon: &self.lexicon,
            index: &self.word_index,
            masked_groups: OnceCell::new(),
        };
        if !listed {
            rules.aimed_harm(out);
            rules.evidence_for_the_model(out);
            drop_covered_weaker(out, first_new);
            return;
        }
        rules.threats(out);
        rules.hets(out);
        rules.aimed_harm(out);
        rules.threat_with_whereabouts(out, first_new);
        rules.uppvigling(out);
        rules.barnpornografi(out);
        rules.listed_domains(out);
        rules.gore(out);
        rules.intimate(out);
        rules.terror(out);
        rules.piracy(out);
        rules.evidence_for_the_model(out);
        drop_covered_weaker(out, first_new);
    }
}

/// Bare domain names in `text` outside its `links`, with the name.
fn domain_mentions<'t>(
    domains: &Regex,
    text: &'t str,
    links: &[(Range<usize>, &str)],
) -> Vec<(Range<usize>, &'t str)> {
    if !may_name_domain(text) {
        return Vec::new();
    }
    domains
        .find_iter(text)
        .filter(|m| !links.iter().any(|(span, _)| span.contains(&m.start())))
        .map(|m| (m.range(), m.as_str()))
        .collect()
}

/// Whether `text` can name a domain at all: every name the domain pattern
/// accepts has a full stop between a letter or digit and two letters
/// (`fmovies.to`). Checked first because the pattern's word boundaries make
/// the regex engine slow on Swedish text.
fn may_name_domain(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[1] == b'.'
            && (w[0].is_ascii_alphanumeric() || w[0] == b'-')
            && w[2].is_ascii_alphabetic()
            && w[3].is_ascii_alphabetic()
    })
}

/// Within one category, a finding inside a stronger one's span says
/// nothing new (a slur inside an obvious dehumanising sentence). Evidence
/// for the confirming model ([`needs_model`]) stays unless what covers it
/// may act itself: under a wish a person judges (`X ska hängas`), it is
/// what lets a sure model act on the words.
fn drop_covered_weaker(out: &mut Vec<Finding>, first_new: usize) {
    let new: Vec<Finding> = out.drain(first_new..).collect();
    for (i, finding) in new.iter().enumerate() {
        let evidence = needs_model(&finding.rule);
        let covered = new.iter().enumerate().any(|(j, other)| {
            j != i
                && (!evidence
                    || other.confidence == Confidence::Obvious
                    || confirmable(&other.rule))
                && other.category == finding.category
                && other.start <= finding.start
                && finding.end <= other.end
                && (other.confidence > finding.confidence
                    || (other.confidence == finding.confidence
                        && (other.start, other.end, j) < (finding.start, finding.end, i)))
        });
        if !covered {
            out.push(finding.clone());
        }
    }
}

struct Rules<'r, 'a> {
    doc: &'r Document<'r>,
    hits: &'r [Hit<'a>],
    links: &'r [(Range<usize>, &'r str)],
    /// Bare domain names outside links, with the name.
    mentions: &'r [(Range<usize>, &'r str)],
    lexicon: &'r Lexicon,
    /// The detector's index of the word lists tried against every word.
    index: &'r aimed::WordIndex,
    /// Group words with letters masked ([`Rules::masked_groups`]), found
    /// once for the shapes of `aimed.rs` and the evidence rules.
    masked_groups: OnceCell<evidence::MaskedGroups>,
}

impl Rules<'_, '_> {
    fn with_role(&self, role: Role) -> impl Iterator<Item = &Hit<'_>> {
        self.hits.iter().filter(move |h| h.role() == role)
    }

    /// A weapon or a bullet at `token` (`kniven`, `kulor`): what a threat
    /// is carried out with.
    fn weapon_or_bullet(&self, token: usize) -> bool {
        self.doc.is(token, Class::Projectiles) || self.role_at(token, &[Role::Weapon]).is_some()
    }

    fn role_at(&self, token: usize, roles: &[Role]) -> Option<&Hit<'_>> {
        self.hits
            .iter()
            .find(|h| h.first <= token && token <= h.last && roles.contains(&h.role()))
    }

    fn has_link(&self) -> bool {
        !self.links.is_empty()
    }

    // ----- links to listed sites -----

    /// A link to a listed site is obvious; a bare listed domain name is
    /// obvious when its sentence points readers to it (`sök på
    /// thepiratebay.org`) and does not report, discuss or negate it; else
    /// probable.
    fn listed_domains(&self, out: &mut Vec<Finding>) {
        for (span, host) in self.links {
            if let Some(verdict) = self.listed_verdict(host, None) {
                out.push(verdict.at(span.clone()));
            }
        }
        for (span, host) in self.mentions {
            let doc = self.doc;
            let token = (0..doc.tokens.len()).find(|&i| doc.span(i, i).end > span.start);
            // Named without a word that points readers to it (`Sajten X
            // stängdes 2020`), the name is talk about the site: review.
            let guard = token.and_then(|t| {
                doc.material_guard(t, t)
                    .or_else(|| doc.negated(t, t).then_some(Guard::CounterSpeech))
                    .or_else(|| {
                        (!doc.sentence_has(t, Class::DomainPointing)).then_some(Guard::News)
                    })
            });
            if let Some(verdict) = self.listed_verdict(host, guard) {
                out.push(verdict.at(span.clone()));
            }
        }
    }

    fn listed_verdict(&self, host: &str, guard: Option<Guard>) -> Option<Verdict> {
        let (category, rule, basis, what) = match self.lexicon.listed_domain(host)? {
            DomainKind::Gore => (
                Category::OlagaValdsskildring,
                "il.olaga_valdsskildring.listed_domain",
                BASIS_VALDSSKILDRING,
                "Länk till en webbplats som sprider grova våldsskildringar",
            ),
            DomainKind::Piracy => (
                Category::Upphovsratt,
                "il.upphovsratt.listed_domain",
                BASIS_UPPHOVSRATT,
                "Länk till en webbplats som sprider upphovsrättsskyddat material utan tillstånd",
            ),
        };
        Some(match guard {
            None => Verdict {
                category,
                confidence: Confidence::Obvious,
                rule,
                basis,
                reason: format!("{what}."),
            },
            Some(g) => Verdict {
                category,
                confidence: Confidence::Probable,
                rule,
                basis,
                reason: guarded_reason(what, g),
            },
        })
    }

    /// Categories that are never obvious from words: no finding when the
    /// sentence discusses, reports or negates the material or it is the
    /// writer's own; probable with a link or a pointing word in the
    /// sentence; possible otherwise.
    fn review_only(&self, out: &mut Vec<Finding>, spec: &MaterialRule) {
        let doc = self.doc;
        for hit in self.with_role(spec.role) {
            if self.material_excused(hit) || (spec.lawful)(self, hit) {
                continue;
            }
            let points = self.has_link() || doc.sentence_has(hit.first, spec.pointing);
            // A question about the material is talk unless something in
            // the comment points at it (`Någon som har …? Posta här`).
            let asked = doc.material_guard(hit.first, hit.last).is_some();
            let pointed_anywhere =
                self.has_link() || (0..doc.tokens.len()).any(|i| doc.is(i, spec.pointing));
            if asked && !pointed_anywhere {
                continue;
            }
            let (confidence, reason) = if points && !asked {
                (Confidence::Probable, format!("{}.", spec.row.reason))
            } else {
                (
                    Confidence::Possible,
                    format!("{}; kontrollera sammanhanget.", spec.mentioned),
                )
            };
            out.push(Verdict::of(spec.row, confidence, reason).at(doc.hit_span(hit)));
        }
    }

    /// Material named in a guarded, negated sentence, or as the writer's
    /// (or the subject's) own: nothing for a person to do.
    fn material_excused(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        let own = doc
            .within_before(hit.first, 2, Class::OwnPossessive)
            .is_some();
        let talked_about = matches!(
            doc.material_guard(hit.first, hit.last),
            Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
        );
        talked_about
            || doc.negated(hit.first, hit.last)
            || (hit.role() == Role::Gore && doc.fiction(hit.first))
            || own
    }
}

/// How a category that is never obvious from words reports a term; see
/// [`Rules::review_only`].
struct MaterialRule {
    role: Role,
    /// Words that show the term is pointed at or offered.
    pointing: Class,
    /// The rule's row: its id, category, legal basis, and the reason
    /// when the term is pointed at.
    row: &'static RuleRow,
    /// The reason when it is only named.
    mentioned: &'static str,
    /// A lawful source or use in the term's sentence (`på SVT Play`):
    /// no finding.
    lawful: fn(&Rules<'_, '_>, &Hit<'_>) -> bool,
}

/// SHA-256 hashes of known child sexual abuse media, from a list the city
/// receives from the police or a hotline; the list itself is never in the
/// repository.
#[derive(Debug, Clone, Default)]
pub struct MediaHashList {
    hashes: HashSet<[u8; 32]>,
}

impl MediaHashList {
    /// Parses one lowercase or uppercase hex SHA-256 per line; `#` starts a
    /// comment. `name` is used in errors.
    pub fn parse(name: &str, contents: &str) -> Result<Self, LexiconError> {
        let mut hashes = HashSet::new();
        for (index, raw) in contents.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut hash = [0u8; 32];
            hex::decode_to_slice(line, &mut hash).map_err(|e| ListFormatError::BadLine {
                file: name.to_owned(),
                line: index + 1,
                reason: format!("not a SHA-256 in hex: {e}"),
            })?;
            hashes.insert(hash);
        }
        Ok(Self { hashes })
    }

    /// How many hashes the list holds (for start-up logs).
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the list holds no hash at all.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// An obvious finding if `sha256` (an attachment's digest) is listed.
    /// The span is empty: the finding is about the attachment, not the text.
    pub fn finding_for(&self, sha256: &[u8; 32]) -> Option<Finding> {
        self.hashes.contains(sha256).then(|| {
            Verdict {
                category: Category::Barnpornografi,
                confidence: Confidence::Obvious,
                rule: "il.barnpornografi.media_hash",
                basis: BASIS_BARNPORNOGRAFI,
                reason: "Bifogad bild eller film finns i listan över känt övergreppsmaterial."
                    .to_owned(),
            }
            .at(0..0)
        })
    }

    /// A finding for a person when an attachment could not be fetched or
    /// hashed: unchecked media must not pass as checked. The span is empty.
    pub fn unchecked_finding(&self) -> Finding {
        Verdict {
            category: Category::Barnpornografi,
            confidence: Confidence::Possible,
            rule: "il.barnpornografi.media_unchecked",
            basis: BASIS_BARNPORNOGRAFI,
            reason: "Bifogad bild eller film kunde inte hämtas och kontrolleras mot listan över \
                     känt övergreppsmaterial; granska bilagan."
                .to_owned(),
        }
        .at(0..0)
    }
}

#[cfg(test)]
mod tests;
