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
//! | `il.olaga_hot.explicit_violence` | I/we + will (`ska`, `kommer att`, `tänker`) + violent verb + you (`jag ska döda dig`) |
//! | `il.olaga_hot.you_will_die` | you + `ska` + violent verb or `dö` (`du ska dö`) |
//! | `il.olaga_hot.armed_visit` | I/we + coming to you (`hem till dig`, `efter dig`) + `med` + weapon |
//! | `il.hets_mot_folkgrupp.dehumanising` | group or slur + `är` + dehumanising noun (`X är ohyra`), or group adjective + dehumanising noun |
//! | `il.hets_mot_folkgrupp.call_to_violence` | group or slur + `ska`/`borde`/`måste` + violent verb; or a call (`döda alla X`, `vi borde utrota X`) |
//! | `il.barnpornografi.indicator_term` | a term that in practice only labels abuse material |
//! | `il.barnpornografi.offer` | a word for abuse material + an offer or a link |
//! | `il.barnpornografi.media_hash` | an attachment whose hash is on the configured list ([`MediaHashList`]) |
//! | `il.barnpornografi.media_unchecked` | (possible) an attachment that could not be fetched for the hash check: a person looks |
//! | `il.olaga_valdsskildring.listed_domain`, `il.upphovsratt.listed_domain` | a link to a site on `wordlists/domains/gore.txt` or `piracy.txt` |
//!
//! A slur alone is probable (possible for words also used neutrally or
//! reclaimed). Uppvigling, integritetsintrång and terror calls are at most
//! probable: they need a person's judgement of the whole situation.
//!
//! # Review (probable or possible)
//!
//! `il.hets_mot_folkgrupp.expulsion` (a group `borde rensas bort`, `kastas
//! ut`: verbs listed as `possible` never make the shape obvious);
//! `il.olaga_hot.armed_visit_place` (`jag kommer till badhuset med en
//! kniv`); `il.olaga_hot.phrase` (`jag vet var du bor`), `.wish` (`jag vill döda
//! dig`, `jag hoppas att någon skjuter dig`), `.third_person` (`jag ska döda
//! honom`), `.property` (`jag ska bränna ner ditt hus`), `.you_will_die`
//! with `kommer` or about the addressee's family; `il.hets_mot_folkgrupp.slur`
//! and `.slur_mentioned`; `il.uppvigling.call_to_crime` (an act such as
//! `storma`, `sätt eld på` as a call, with an authority or institution as
//! target) and `.violence_against_authority` (`skjut poliserna`);
//! `il.barnpornografi.term`; `il.olaga_valdsskildring.term`;
//! `il.olaga_integritetsintrang.sharing`; `il.terror_uppmaning.call`;
//! `il.upphovsratt.term`; and every `…in_context`.
//!
//! # Context rules: what keeps a shape from being obvious
//!
//! Each is checked in the sentence of the match (sentences end at `.`, `!`,
//! `?`, `;`). A guarded shape becomes probable (review) with the rule
//! `…in_context`, and its reason names the guard.
//!
//! - **Quotation**: the match is inside quotation marks (`"`, `”`, `“`, `„`,
//!   `«`, `»`), or the sentence has a reporting verb (`skrev`, `sa`,
//!   `påstår`, `hävdar`, `kallade`, `enligt`, …): someone else's words.
//! - **News reporting**: the sentence speaks of the justice system or the
//!   press (`utreder`, `åtalas`, `dömdes`, `åklagaren`, `tingsrätten`,
//!   `artikeln`, …).
//! - **Counter-speech**: the sentence names the act as wrong (`rasistiskt`,
//!   `hets`, `homofobt`, `vidrigt`, `fördömer`, `anmäl`, `ordet`, `sluta`,
//!   `det är fel att`, …).
//! - **Question** (`?`) and **hypothetical** (`skulle`): not a statement of
//!   intent.
//! - **Games and sport** (`matchen`, `planen`, `finalen`, `spelet`, `valet`,
//!   …), for threats only: `vi ska döda er på planen` is banter.
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

use std::collections::HashSet;
use std::ops::Range;

use regex::Regex;

use super::lexicon::{DomainKind, LexMatch, Lexicon, LexiconError, Role};
use super::normalize::Normalized;
use super::{Category, Confidence, Detector, Finding};

const BASIS_UPPVIGLING: &str =
    "BrB 16 kap. 5 § (uppvigling); lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";
const BASIS_HETS: &str = "BrB 16 kap. 8 § (hets mot folkgrupp); lag (1998:112) om ansvar för \
     elektroniska anslagstavlor 5 §";
const BASIS_BARNPORNOGRAFI: &str = "BrB 16 kap. 10 a § (barnpornografibrott); lag (1998:112) om \
     ansvar för elektroniska anslagstavlor 5 §";
const BASIS_VALDSSKILDRING: &str = "BrB 16 kap. 10 c § (olaga våldsskildring); lag (1998:112) om \
     ansvar för elektroniska anslagstavlor 5 §";
const BASIS_HOT: &str =
    "BrB 4 kap. 5 § (olaga hot); lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";
const BASIS_INTEGRITET: &str = "BrB 4 kap. 6 c § (olaga integritetsintrång); lag (1998:112) om \
     ansvar för elektroniska anslagstavlor 5 §";
const BASIS_TERROR: &str = "lag (2022:666) om straff för terroristbrott 9 § (offentlig uppmaning); \
     lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";
const BASIS_UPPHOVSRATT: &str = "lag (1960:729) om upphovsrätt till litterära och konstnärliga \
     verk 2 och 53 §§; lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §";

/// Words that make someone else the speaker of the sentence.
const REPORTING: &[&str] = &[
    "skrev",
    "skriver",
    "sa",
    "sade",
    "säger",
    "påstod",
    "påstår",
    "hävdar",
    "hävdade",
    "menar",
    "menade",
    "kallade",
    "kallar",
    "kalla",
    "kallas",
    "tweetade",
    "twittrade",
    "citerar",
    "citerade",
    "citat",
    "uttalade",
    "yttrade",
    "ropade",
    "skanderade",
    "skrek",
    "enligt",
    "uppgav",
    "uppger",
    "postade",
    "lär",
];
/// Words of the justice system and the press.
const NEWS: &[&str] = &[
    "åklagare",
    "åklagaren",
    "åklagarmyndigheten",
    "tingsrätten",
    "hovrätten",
    "domstolen",
    "dömd",
    "dömdes",
    "döms",
    "dömts",
    "åtal",
    "åtalet",
    "åtalas",
    "åtalad",
    "åtalades",
    "utreder",
    "utreds",
    "utredning",
    "utredningen",
    "misstänkt",
    "misstänks",
    "misstänkta",
    "gripen",
    "greps",
    "gripits",
    "anhållen",
    "anhölls",
    "häktad",
    "häktades",
    "rapporterar",
    "rapporterade",
    "nyheterna",
    "artikeln",
    "artikel",
    "reportage",
    "reportaget",
    "tidningen",
    "rättegång",
    "rättegången",
    "fängelse",
    "larmade",
    "polisanmälan",
    "anmälan",
    "anmäldes",
    "brottsrubriceringen",
    "förhör",
    "vittnen",
    "varnar",
    "varnade",
];
/// Words that name what is said as wrong: counter-speech and mentions.
const COUNTER: &[&str] = &[
    "rasistisk",
    "rasistiskt",
    "rasistiska",
    "rasism",
    "rasismen",
    "rasist",
    "rasister",
    "rasisten",
    "hatbrott",
    "hets",
    "hatretorik",
    "hatiskt",
    "hatiska",
    "hatisk",
    "hat",
    "islamofobi",
    "islamofobiskt",
    "islamofobiska",
    "antisemitism",
    "antisemitiskt",
    "antisemitiska",
    "homofob",
    "homofobi",
    "homofobt",
    "homofobiskt",
    "homofobiska",
    "transfobi",
    "transfobt",
    "transfobiskt",
    "fördömer",
    "fördöma",
    "fördömde",
    "avskyr",
    "avskyvärt",
    "oacceptabelt",
    "vidrigt",
    "skäms",
    "skämmas",
    "sluta",
    "fel",
    "förkastligt",
    "olagligt",
    "brottsligt",
    "anmäl",
    "anmäla",
    "anmälde",
    "polisanmäl",
    "polisanmälde",
    "nazister",
    "nazisterna",
    "nazistisk",
    "nazistiska",
    "förintelsen",
    "propaganda",
    "retorik",
    "ordet",
    "orden",
    "uttrycket",
    "kränkande",
    "okej",
];
/// Guards that only apply to threats: games, sport, elections.
const GAMES: &[&str] = &[
    "match",
    "matchen",
    "planen",
    "plan",
    "spelet",
    "spel",
    "schack",
    "fortnite",
    "minecraft",
    "derby",
    "derbyt",
    "tävlingen",
    "valet",
    "debatten",
    "quiz",
    "quizet",
    "fifa",
    "pingis",
    "innebandy",
    "fotboll",
    "hockey",
    "bowling",
    "padel",
    "kortspel",
    "monopol",
    "banan",
    "final",
    "finalen",
    "semifinalen",
    "kvalet",
    "cupen",
    "serien",
    "turneringen",
    "ligan",
];
const NEGATION: &[&str] = &[
    "inte", "ej", "aldrig", "icke", "ingen", "inga", "inget", "varken", "knappast", "int",
];
const FIRST_PERSON: &[&str] = &["jag", "vi", "ja", "jg"];
const RECLAIMING: &[&str] = &["vi", "oss", "jag", "mig", "mej", "själv", "som"];
const STRONG_INTENT: &[&str] = &["ska", "skall", "kommer", "kmr", "tänker", "lovar"];
const WISH: &[&str] = &["vill", "borde", "önskar", "skulle", "kunde", "hoppas"];
const SECOND_PERSON_OBJECT: &[&str] = &["dig", "dej", "er", "din", "dina", "ditt", "eran"];
const SECOND_PERSON_SUBJECT: &[&str] = &["du", "ni", "u"];
const THIRD_PERSON_OBJECT: &[&str] = &["honom", "henne", "hen", "henom", "dem", "dom"];
/// Words that may stand between a verb and its object: `döda fan dig`.
const FILLERS: &[&str] = &[
    "fan",
    "jävla",
    "nog",
    "ju",
    "verkligen",
    "personligen",
    "faktiskt",
    "snart",
    "helt",
    "bara",
    "också",
    "då",
    "nu",
    "att",
    "själv",
    "mig",
    "mej",
    "alla",
    "varenda",
    "varje",
    "de",
    "dessa",
    "hela",
    "samtliga",
    "fucking",
    "ihjäl",
    "sen",
    "sedan",
    "också",
    "jag",
    "vi",
    "sakta",
    "en",
    "gång",
    "för",
    "gott",
];
const GROUP_MODALS: &[&str] = &[
    "ska",
    "skall",
    "borde",
    "bör",
    "måste",
    "förtjänar",
    "behöver",
    "kommer",
    "får",
];
const COPULA: &[&str] = &["är", "e", "ä", "blir", "var", "förblir"];
const CALL_MARKERS: &[&str] = &[
    "måste", "borde", "bör", "ska", "skall", "dags", "oss", "börja", "gå", "kom", "nu", "alla",
    "låt", "igen", "ut", "och",
];
const VISIT: &[&[&str]] = &[
    &["hem", "till", "dig"],
    &["hem", "till", "er"],
    &["hem", "till", "dej"],
    &["till", "dig"],
    &["efter", "dig"],
    &["efter", "er"],
    &["och", "hämtar", "dig"],
    &["och", "hälsar", "på", "dig"],
    &["hitta", "dig"],
    &["hittar", "dig"],
];
const AUTHORITY_TARGETS: &[&str] = &[
    "polisen",
    "poliser",
    "poliserna",
    "polis",
    "polisbilar",
    "polisbilarna",
    "polisstationen",
    "stadshuset",
    "kommunhuset",
    "rådhuset",
    "riksdagen",
    "regeringen",
    "politikerna",
    "politiker",
    "politikern",
    "myndigheterna",
    "socialtjänsten",
    "socialkontoret",
    "förvaltningen",
    "tjänstemännen",
    "tjänstemän",
    "moskén",
    "moskéer",
    "moskéerna",
    "synagogan",
    "synagogor",
    "kyrkan",
    "kyrkor",
    "brandmännen",
    "ambulanserna",
    "räddningstjänsten",
    "skolan",
    "borgarrådet",
    "borgarråden",
    "kommunalråd",
    "kommunalrådet",
    "kommunalråden",
    "ministern",
    "statsministern",
    "migrationsverket",
    "flyktingförläggningen",
    "boendet",
    "asylboendet",
];
const OFFER: &[&str] = &[
    "säljer",
    "sälja",
    "byter",
    "byta",
    "delar",
    "dela",
    "skickar",
    "skicka",
    "finns",
    "laddar",
    "ladda",
    "länk",
    "länken",
    "länkar",
    "dm",
    "pm",
    "dma",
    "pma",
    "inbox",
    "telegram",
    "kik",
    "wickr",
    "köpa",
    "köper",
    "köp",
    "intresserad",
    "intresserade",
    "swisha",
    "mejla",
    "massor",
    "samling",
    "kolla",
    "här",
];
const SHARE: &[&str] = &[
    "sprider",
    "sprida",
    "sprid",
    "delar",
    "dela",
    "lägger",
    "lägga",
    "la",
    "lade",
    "lagt",
    "kolla",
    "här",
    "finns",
    "skickar",
    "skicka",
    "läckt",
    "läcker",
    "publicerar",
    "publicera",
    "postar",
    "posta",
    "ut",
    "länk",
    "länken",
    "se",
];
const WATCH: &[&str] = &[
    "kolla", "se", "titta", "länk", "länken", "här", "klipp", "klippet", "video", "videon",
    "filmen", "ladda",
];

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
}

impl Guard {
    fn reason(self) -> &'static str {
        match self {
            Guard::Quotation => "men det står som citat eller återgivna ord",
            Guard::News => "men meningen ser ut som nyhetsrapportering",
            Guard::CounterSpeech => "men meningen tar avstånd från eller diskuterar uttrycket",
            Guard::Question => "men det är formulerat som en fråga",
            Guard::Hypothetical => "men det är formulerat hypotetiskt",
            Guard::Game => "men sammanhanget ser ut som spel, sport eller val",
            Guard::Idiom => "men det kan vara ett bildligt uttryck",
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

/// Everything the rules need about one comment, computed once.
struct Document<'t> {
    normalized: &'t Normalized,
    tokens: Vec<Token>,
    /// Where each sentence ends in the normalised text, and its last mark.
    sentence_ends: Vec<(usize, char)>,
    quotes: Vec<Range<usize>>,
}

impl<'t> Document<'t> {
    fn new(normalized: &'t Normalized) -> Self {
        let (tokens, sentence_ends) = tokenize(&normalized.text);
        let quotes = quote_spans(&normalized.text);
        Self {
            normalized,
            tokens,
            sentence_ends,
            quotes,
        }
    }

    fn word(&self, index: usize) -> &str {
        self.tokens
            .get(index)
            .map_or("", |t| &self.normalized.text[t.start..t.end])
    }

    fn is(&self, index: usize, words: &[&str]) -> bool {
        index < self.tokens.len() && words.contains(&self.word(index))
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.sentence == y.sentence,
            _ => false,
        }
    }

    fn sentence_tokens(&self, index: usize) -> Range<usize> {
        let Some(sentence) = self.tokens.get(index).map(|t| t.sentence) else {
            return 0..0;
        };
        let start = self.tokens[..index]
            .iter()
            .rposition(|t| t.sentence != sentence)
            .map_or(0, |p| p + 1);
        let end = self.tokens[index..]
            .iter()
            .position(|t| t.sentence != sentence)
            .map_or(self.tokens.len(), |p| index + p);
        start..end
    }

    fn sentence_has(&self, index: usize, words: &[&str]) -> bool {
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
        Some(Hit { first, last, found })
    }

    /// The strongest reason not to act automatically on a shape spanning
    /// tokens `first..=last`, for every category.
    fn guard(&self, first: usize, last: usize) -> Option<Guard> {
        let in_quotes = self.tokens.get(first).is_some_and(|t| {
            self.quotes
                .iter()
                .any(|q| q.start <= t.start && self.tokens[last].end <= q.end)
        });
        if in_quotes || self.someone_else_speaks(first) {
            return Some(Guard::Quotation);
        }
        if self.sentence_has(first, NEWS) {
            return Some(Guard::News);
        }
        if self.sentence_has(first, COUNTER)
            || self.phrase_in_sentence(first, &["det", "är", "fel"])
        {
            return Some(Guard::CounterSpeech);
        }
        if self.sentence_mark(first) == '?' {
            return Some(Guard::Question);
        }
        if self.sentence_has(first, &["skulle", "hade"]) {
            return Some(Guard::Hypothetical);
        }
        None
    }

    /// A reporting verb whose subject is not the one addressed: `han
    /// skrev`, but not `om du skriver`.
    fn someone_else_speaks(&self, index: usize) -> bool {
        self.sentence_tokens(index).any(|i| {
            self.is(i, REPORTING)
                && !(i > 0 && self.same_sentence(i - 1, i) && self.is(i - 1, SECOND_PERSON_SUBJECT))
        })
    }

    fn threat_guard(&self, first: usize, last: usize) -> Option<Guard> {
        self.guard(first, last)
            .or_else(|| self.sentence_has(first, GAMES).then_some(Guard::Game))
    }

    /// The token starts a sentence or follows a comma: where an imperative
    /// (`döda alla …`, `ta till vapen`) stands.
    fn clause_start(&self, index: usize) -> bool {
        let sentence = self.sentence_tokens(index);
        index == sentence.start
            || self
                .tokens
                .get(index.wrapping_sub(1))
                .zip(self.tokens.get(index))
                .is_some_and(|(a, b)| self.normalized.text[a.end..b.start].contains(','))
    }

    fn sentence_mark(&self, index: usize) -> char {
        self.tokens
            .get(index)
            .and_then(|t| self.sentence_ends.get(t.sentence))
            .map_or('.', |&(_, mark)| mark)
    }

    fn phrase_in_sentence(&self, index: usize, phrase: &[&str]) -> bool {
        self.sentence_tokens(index)
            .any(|start| self.phrase_at(start, phrase))
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

    /// A negation among tokens `from..end` or in the two tokens before.
    fn negated_before(&self, from: usize, end: usize) -> bool {
        (from.saturating_sub(2)..end)
            .filter(|&i| self.same_sentence(i, from))
            .any(|i| self.is(i, NEGATION))
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
    fn next_after_fillers(&self, after: usize, max: usize, words: &[&str]) -> Option<usize> {
        (after + 1..=after + max)
            .take_while(|&i| self.same_sentence(i, after))
            .take_while(|&i| self.is(i, words) || self.is(i, FILLERS))
            .find(|&i| self.is(i, words))
    }

    /// An authority, institution or office, also as the tail of a compound
    /// (`miljöborgarrådet`, `trafikpolisen`).
    fn is_authority(&self, index: usize) -> bool {
        let word = self.word(index);
        !word.is_empty() && AUTHORITY_TARGETS.iter().any(|t| word.ends_with(t))
    }

    /// The first authority within three tokens after `after`, skipping
    /// fillers only.
    fn next_authority_after(&self, after: usize) -> Option<usize> {
        (after + 1..=after + 3)
            .take_while(|&i| self.same_sentence(i, after))
            .take_while(|&i| self.is_authority(i) || self.is(i, FILLERS))
            .find(|&i| self.is_authority(i))
    }

    fn within_before(&self, before: usize, max: usize, words: &[&str]) -> Option<usize> {
        (before.saturating_sub(max)..before)
            .rev()
            .filter(|&i| self.same_sentence(i, before))
            .find(|&i| self.is(i, words))
    }
}

/// Splits the key into word tokens and sentences.
fn tokenize(text: &str) -> (Vec<Token>, Vec<(usize, char)>) {
    let mut tokens = Vec::new();
    let mut sentence_ends = Vec::new();
    let mut sentence = 0;
    let mut word_start: Option<usize> = None;
    for (at, ch) in text.char_indices() {
        if ch.is_alphanumeric() {
            word_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = word_start.take() {
            tokens.push(Token {
                start,
                end: at,
                sentence,
            });
        }
        if matches!(ch, '.' | '!' | '?' | ';')
            && tokens.last().is_some_and(|t| t.sentence == sentence)
        {
            sentence_ends.push((at, ch));
            sentence += 1;
        }
    }
    if let Some(start) = word_start {
        tokens.push(Token {
            start,
            end: text.len(),
            sentence,
        });
    }
    sentence_ends.push((text.len(), '.'));
    (tokens, sentence_ends)
}

/// Spans between paired quotation marks (any of `"”“„«»`).
fn quote_spans(text: &str) -> Vec<Range<usize>> {
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
/// accepts has a `/` (a scheme or a path) or starts with `www.`. Most
/// comments have neither, and skipping the pattern for them matters: its
/// word boundaries make the regex engine slow on Swedish text.
fn may_hold_link(text: &str) -> bool {
    text.contains('/')
        || text
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"www."))
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
}

fn guarded_reason(what: &str, guard: Guard) -> String {
    format!("{what}, {}; en person behöver bedöma.", guard.reason())
}

/// Finds every illegal-content category in one pass over the normalised
/// text; see the module documentation.
pub struct IllegalContentDetector {
    lexicon: Lexicon,
    urls: Regex,
}

/// The URL shapes links are recognised by: a scheme, `www.`, or a domain
/// followed by a path.
const URL_PATTERN: &str =
    r"(?i)\b(?:https?://|www\.)[^\s<>]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>]*";

impl IllegalContentDetector {
    /// The detector over the given word lists (e.g. a city's own folder).
    pub fn new(lexicon: Lexicon) -> Self {
        Self {
            lexicon,
            // A constant pattern, checked by clippy's `invalid_regex` lint
            // and by the tests, so compiling it cannot fail at run time.
            urls: Regex::new(URL_PATTERN).expect("constant URL pattern compiles"),
        }
    }

    /// The detector over the word lists compiled into the binary.
    pub fn embedded() -> Result<Self, LexiconError> {
        Lexicon::embedded().map(Self::new)
    }
}

impl Detector for IllegalContentDetector {
    fn detect(&self, text: &str, out: &mut Vec<Finding>) {
        let normalized = Normalized::new(text);
        let document = Document::new(&normalized);
        let hits: Vec<Hit<'_>> = self
            .lexicon
            .matches(&normalized)
            .filter_map(|m| document.hit(m))
            .collect();
        let links = links(&self.urls, text);
        let first_new = out.len();
        let rules = Rules {
            doc: &document,
            hits: &hits,
            links: &links,
            lexicon: &self.lexicon,
        };
        rules.threats(out);
        rules.hets(out);
        rules.uppvigling(out);
        rules.barnpornografi(out);
        rules.listed_domains(out);
        rules.gore(out);
        rules.intimate(out);
        rules.terror(out);
        rules.piracy(out);
        drop_covered_weaker(out, first_new);
    }
}

/// Within one category, a finding inside a stronger one's span says
/// nothing new (a slur inside an obvious dehumanising sentence).
fn drop_covered_weaker(out: &mut Vec<Finding>, first_new: usize) {
    let new: Vec<Finding> = out.drain(first_new..).collect();
    for (i, finding) in new.iter().enumerate() {
        let covered = new.iter().enumerate().any(|(j, other)| {
            j != i
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
    lexicon: &'r Lexicon,
}

impl Rules<'_, '_> {
    fn with_role(&self, role: Role) -> impl Iterator<Item = &Hit<'_>> {
        self.hits.iter().filter(move |h| h.role() == role)
    }

    fn role_at(&self, token: usize, roles: &[Role]) -> Option<&Hit<'_>> {
        self.hits
            .iter()
            .find(|h| h.first <= token && token <= h.last && roles.contains(&h.role()))
    }

    fn has_link(&self) -> bool {
        !self.links.is_empty()
    }

    // ----- olaga hot -----

    fn threats(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for verb in self.with_role(Role::Violence) {
            if let Some((first, last, verdict)) = self.threat_by_speaker(verb) {
                out.push(verdict.at(doc.span(first, last)));
            } else if let Some((first, last, verdict)) = self.you_will_die(verb) {
                out.push(verdict.at(doc.span(first, last)));
            }
        }
        for act in self.with_role(Role::Incitement) {
            // `jag ska bränna ner ditt hus`: a threat against someone's home.
            if let Some((first, last, mut verdict)) = self.threat_by_speaker(act) {
                verdict.confidence = verdict.confidence.min(Confidence::Probable);
                if verdict.rule != "il.olaga_hot.in_context" {
                    verdict.rule = "il.olaga_hot.property";
                    verdict.reason =
                        "Hot om att angripa den tilltalades hem eller egendom.".to_owned();
                }
                out.push(verdict.at(doc.span(first, last)));
            } else if let Some((first, last)) = self.first_person_act_against_institution(act) {
                let confidence = match doc.threat_guard(first, last) {
                    Some(_) => Confidence::Possible,
                    None => Confidence::Probable,
                };
                out.push(
                    Verdict {
                        category: Category::OlagaHot,
                        confidence,
                        rule: "il.olaga_hot.property",
                        basis: BASIS_HOT,
                        reason: "Hot om att angripa en byggnad eller verksamhet.".to_owned(),
                    }
                    .at(doc.span(first, last)),
                );
            }
        }
        for weapon in self.with_role(Role::Weapon) {
            if let Some((first, verdict)) = self.armed_visit(weapon) {
                out.push(verdict.at(doc.span(first, weapon.last)));
            }
        }
        for phrase in self.with_role(Role::ThreatPhrase) {
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
                Verdict {
                    category: Category::OlagaHot,
                    confidence,
                    rule: "il.olaga_hot.phrase",
                    basis: BASIS_HOT,
                    reason,
                }
                .at(doc.hit_span(phrase)),
            );
        }
    }

    /// `jag ska döda dig`, `då ska vi skjuta er`, `jag dödar dig`.
    fn threat_by_speaker(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // Six tokens reach over a coordinated verb: `vi ska hitta dig och
        // skjuta dig`.
        let subject = doc.within_before(verb.first, 6, FIRST_PERSON)?;
        let strong = (subject.saturating_sub(1)..verb.first)
            .any(|i| doc.is(i, STRONG_INTENT) && doc.same_sentence(i, verb.first));
        let wish = (subject.saturating_sub(1)..verb.first).any(|i| doc.is(i, WISH));
        let present_tense = subject + 1 == verb.first || strong || wish;
        if !present_tense {
            return None;
        }
        let (object, second_person) =
            match doc.next_after_fillers(verb.last, 3, SECOND_PERSON_OBJECT) {
                Some(o) => (o, true),
                None => (
                    doc.next_after_fillers(verb.last, 2, THIRD_PERSON_OBJECT)?,
                    false,
                ),
            };
        // `jag ska bränna dig en skiva`: the person is the receiver.
        let benefactive = doc.is(object + 1, &["en", "ett"]);
        if benefactive || doc.negated(subject, object) {
            return None;
        }
        // `döda dig med vänlighet`: `med` and anything but a weapon or a
        // determiner reads as an idiom; a person decides.
        let guard = doc.threat_guard(subject, object).or_else(|| {
            (doc.is(object + 1, &["med"])
                && !doc.is(object + 2, &["en", "ett", "mina", "min", "bara"])
                && self.role_at(object + 2, &[Role::Weapon]).is_none())
            .then_some(Guard::Idiom)
        });
        let (confidence, rule, reason) = match (guard, second_person, wish && !strong) {
            (Some(g), _, _) => (
                Confidence::Probable,
                "il.olaga_hot.in_context",
                guarded_reason("Hot om grovt våld", g),
            ),
            (None, true, false) => (
                Confidence::Obvious,
                "il.olaga_hot.explicit_violence",
                "Uttalat hot om grovt våld, i första person, riktat mot den som tilltalas."
                    .to_owned(),
            ),
            (None, true, true) => (
                Confidence::Probable,
                "il.olaga_hot.wish",
                "Önskan att utöva grovt våld mot den som tilltalas; kan vara ett hot.".to_owned(),
            ),
            (None, false, _) => (
                Confidence::Probable,
                "il.olaga_hot.third_person",
                "Uttalat hot om grovt våld mot en tredje person; kontrollera vem som avses."
                    .to_owned(),
            ),
        };
        Some((
            subject,
            object,
            Verdict {
                category: Category::OlagaHot,
                confidence,
                rule,
                basis: BASIS_HOT,
                reason,
            },
        ))
    }

    /// `du ska dö`, `ni ska skjutas`, `du kommer att dö`.
    fn you_will_die(&self, verb: &Hit<'_>) -> Option<(usize, usize, Verdict)> {
        let doc = self.doc;
        // `din familj ska dö`: the addressee's family; never obvious.
        let possessive = doc.within_before(verb.first, 4, &["din", "dina", "ditt", "era"]);
        let subject = doc
            .within_before(verb.first, 4, SECOND_PERSON_SUBJECT)
            .or(possessive)?;
        let family = possessive == Some(subject);
        let modal =
            (subject + 1..verb.first).find(|&i| doc.is(i, &["ska", "skall", "kommer", "kmr"]))?;
        let between_ok = (subject + 1..verb.first)
            .all(|i| doc.is(i, FILLERS) || i == modal || (family && i == subject + 1));
        // `du ska dö av skratt`: an idiom, not a threat.
        let idiom = doc.is(verb.last + 1, &["av", "i", "på", "utan", "ensam"]);
        if !between_ok || idiom || doc.negated(subject, verb.last) {
            return None;
        }
        let certain = doc.is(modal, &["ska", "skall"]) && !family;
        let guard = doc.threat_guard(subject, verb.last);
        let (confidence, rule, reason) = match guard {
            Some(g) => (
                Confidence::Probable,
                "il.olaga_hot.in_context",
                guarded_reason("Dödshot", g),
            ),
            None if certain => (
                Confidence::Obvious,
                "il.olaga_hot.you_will_die",
                "Uttalat dödshot mot den som tilltalas.".to_owned(),
            ),
            None => (
                Confidence::Probable,
                "il.olaga_hot.you_will_die",
                "Kan vara ett dödshot mot den som tilltalas; kontrollera sammanhanget.".to_owned(),
            ),
        };
        Some((
            subject,
            verb.last,
            Verdict {
                category: Category::OlagaHot,
                confidence,
                rule,
                basis: BASIS_HOT,
                reason,
            },
        ))
    }

    /// `jag kommer till badhuset med en kniv`: a threat to the people
    /// there, but not to the one addressed; review.
    fn armed_visit_to_a_place(&self, with: usize, weapon: &Hit<'_>) -> Option<(usize, Verdict)> {
        let doc = self.doc;
        let to = (with.saturating_sub(8)..with)
            .filter(|&i| doc.same_sentence(i, with))
            .find(|&i| doc.is(i, &["till"]))?;
        let coming = doc.within_before(to, 3, &["kommer", "åker", "går", "ska", "kmr"])?;
        let subject = doc.within_before(coming + 1, 3, FIRST_PERSON)?;
        if doc.negated(subject, weapon.last) {
            return None;
        }
        let confidence = match doc.threat_guard(subject, weapon.last) {
            Some(_) => Confidence::Possible,
            None => Confidence::Probable,
        };
        Some((
            subject,
            Verdict {
                category: Category::OlagaHot,
                confidence,
                rule: "il.olaga_hot.armed_visit_place",
                basis: BASIS_HOT,
                reason: "Säger sig komma beväpnad till en plats; kontrollera om det är ett hot."
                    .to_owned(),
            },
        ))
    }

    /// `kommer jag att bränna ner hela stadshuset`.
    fn first_person_act_against_institution(&self, act: &Hit<'_>) -> Option<(usize, usize)> {
        let doc = self.doc;
        let subject = doc.within_before(act.first, 4, FIRST_PERSON)?;
        let intent = (subject.saturating_sub(1)..act.first).any(|i| doc.is(i, STRONG_INTENT));
        let target = doc.next_authority_after(act.last)?;
        (intent && !doc.negated(subject, target)).then_some((subject, target))
    }

    /// `vi kommer hem till dig med kniv`.
    fn armed_visit(&self, weapon: &Hit<'_>) -> Option<(usize, Verdict)> {
        let doc = self.doc;
        let with = weapon.first.checked_sub(1)?;
        let with = if doc.is(with, &["en", "ett", "mina", "våra", "min", "vår"]) {
            with.checked_sub(1)?
        } else {
            with
        };
        // `med kniven som du glömde`: a particular object, not a weapon.
        let particular = doc.is(weapon.last + 1, &["som", "du", "ni", "från"])
            && doc.same_sentence(weapon.last, weapon.last + 1);
        if !doc.is(with, &["med"]) || particular {
            return None;
        }
        let sentence = doc.sentence_tokens(weapon.first);
        let visit = sentence
            .clone()
            .find(|&i| i < with && VISIT.iter().any(|p| doc.phrase_at(i, p)));
        let Some(visit) = visit else {
            return self.armed_visit_to_a_place(with, weapon);
        };
        let subject = doc.within_before(visit, 5, FIRST_PERSON)?;
        if doc.negated(subject, weapon.last) {
            return None;
        }
        let verdict = match doc.threat_guard(subject, weapon.last) {
            Some(g) => Verdict {
                category: Category::OlagaHot,
                confidence: Confidence::Probable,
                rule: "il.olaga_hot.in_context",
                basis: BASIS_HOT,
                reason: guarded_reason("Hot om att komma beväpnad till en person", g),
            },
            None => Verdict {
                category: Category::OlagaHot,
                confidence: Confidence::Obvious,
                rule: "il.olaga_hot.armed_visit",
                basis: BASIS_HOT,
                reason: "Hot om att komma beväpnad till den som tilltalas.".to_owned(),
            },
        };
        Some((subject, verdict))
    }

    // ----- hets mot folkgrupp -----

    fn hets(&self, out: &mut Vec<Finding>) {
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
                out.push(
                    self.hets_verdict(violence.first, target, HetsKind::Violence)
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
                    Verdict {
                        category: Category::HetsMotFolkgrupp,
                        confidence,
                        rule: "il.hets_mot_folkgrupp.contempt",
                        basis: BASIS_HETS,
                        reason: "Nedsättande generalisering om en skyddad folkgrupp; en person \
                                 behöver bedöma om det uttrycker missaktning."
                            .to_owned(),
                    }
                    .at(doc.span(first, last)),
                );
            }
        }
        for slur in self.with_role(Role::Slur) {
            if let Some(verdict) = self.slur_alone(slur) {
                out.push(verdict.at(doc.hit_span(slur)));
            }
        }
    }

    fn hets_verdict(&self, first: usize, last: usize, kind: HetsKind) -> Verdict {
        let (rule, what) = match kind {
            HetsKind::Dehumanising => (
                "il.hets_mot_folkgrupp.dehumanising",
                "En skyddad folkgrupp beskrivs som djur, ohyra eller sjukdom",
            ),
            HetsKind::Violence => (
                "il.hets_mot_folkgrupp.call_to_violence",
                "Uppmaning till eller önskan om våld mot en skyddad folkgrupp",
            ),
            HetsKind::Expulsion => {
                return Verdict {
                    category: Category::HetsMotFolkgrupp,
                    confidence: Confidence::Probable,
                    rule: "il.hets_mot_folkgrupp.expulsion",
                    basis: BASIS_HETS,
                    reason: "En skyddad folkgrupp sägs böra rensas bort eller kastas ut; en \
                             person behöver bedöma."
                        .to_owned(),
                };
            }
        };
        match self.doc.guard(first, last) {
            Some(g) => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: Confidence::Probable,
                rule: "il.hets_mot_folkgrupp.in_context",
                basis: BASIS_HETS,
                reason: guarded_reason(what, g),
            },
            None => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: Confidence::Obvious,
                rule,
                basis: BASIS_HETS,
                reason: format!("{what}."),
            },
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
                let copula = (target.last + 1..=target.last + 3)
                    .take_while(|&i| doc.same_sentence(i, target.last))
                    .find(|&i| doc.is(i, COPULA))?;
                (copula + 1..=copula + 4)
                    .take_while(|&i| doc.same_sentence(i, copula))
                    .find_map(|i| self.role_at(i, &[Role::Dehumanising]))?
            }
        };
        // A predicate may itself contain a negation (`inte människor`).
        if doc.negated_before(target.first, predicate.first) {
            return None;
        }
        Some((target.first, predicate.last, HetsKind::Dehumanising))
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
            .find(|&i| doc.is(i, COPULA))
        else {
            return self.violence_against_tokens(pronoun, pronoun);
        };
        let predicate = (copula + 1..=copula + 4)
            .take_while(|&i| doc.same_sentence(i, copula))
            .find_map(|i| self.role_at(i, &[Role::Dehumanising]))?;
        if doc.negated_before(pronoun, predicate.first) {
            return None;
        }
        Some((pronoun, predicate.last, HetsKind::Dehumanising))
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
        let modal = (last + 1..=last + 3)
            .take_while(|&i| doc.same_sentence(i, last))
            .find(|&i| doc.is(i, GROUP_MODALS))?;
        let verb = (modal + 1..=modal + 3)
            .take_while(|&i| doc.same_sentence(i, modal))
            .find_map(|i| self.role_at(i, &[Role::Violence]))?;
        if doc.negated(target_first, verb.last) {
            return None;
        }
        let kind = if verb.found.entry.confidence < Confidence::Probable {
            HetsKind::Expulsion
        } else {
            HetsKind::Violence
        };
        Some((target_first, verb.last, kind))
    }

    /// `döda alla X`, `vi borde utrota X`: returns the target's last token.
    fn called_against_group(&self, violence: &Hit<'_>) -> Option<usize> {
        let doc = self.doc;
        let target = (violence.last + 1..=violence.last + 3)
            .take_while(|&i| doc.same_sentence(i, violence.last))
            .take_while(|&i| {
                doc.is(i, FILLERS) || self.role_at(i, &[Role::Group, Role::Slur]).is_some()
            })
            .find_map(|i| self.role_at(i, &[Role::Group, Role::Slur]))?;
        let sentence = doc.sentence_tokens(violence.first);
        let called = doc.clause_start(violence.first)
            || (violence.first.saturating_sub(3)..violence.first)
                .filter(|&i| i >= sentence.start)
                .any(|i| doc.is(i, CALL_MARKERS));
        if !called || doc.negated(violence.first, target.last) {
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
            .filter(|h| !doc.negated(h.first.min(hit.first), h.last.max(hit.last)))
            .map(|h| h.first)
            .next()
    }

    fn slur_alone(&self, slur: &Hit<'_>) -> Option<Verdict> {
        let doc = self.doc;
        let reclaimed = slur
            .first
            .checked_sub(1)
            .is_some_and(|i| doc.is(i, RECLAIMING) && doc.same_sentence(i, slur.first))
            || (slur.first >= 2
                && doc.is(slur.first - 2, FIRST_PERSON)
                && doc.is(slur.first - 1, COPULA));
        if reclaimed {
            return None;
        }
        let base = slur.found.entry.confidence.min(Confidence::Probable);
        Some(match doc.guard(slur.first, slur.last) {
            Some(g) => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: Confidence::Possible,
                rule: "il.hets_mot_folkgrupp.slur_mentioned",
                basis: BASIS_HETS,
                reason: guarded_reason("Nedsättande ord om en skyddad folkgrupp", g),
            },
            None => Verdict {
                category: Category::HetsMotFolkgrupp,
                confidence: base,
                rule: "il.hets_mot_folkgrupp.slur",
                basis: BASIS_HETS,
                reason: "Nedsättande ord om en skyddad folkgrupp; ordet ensamt räcker inte för \
                         automatisk åtgärd."
                    .to_owned(),
            },
        })
    }

    // ----- uppvigling -----

    fn uppvigling(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for act in self.with_role(Role::Incitement) {
            let called = self.is_call(act);
            let target = doc.sentence_tokens(act.first).any(|i| doc.is_authority(i));
            if doc.negated(act.first, act.last) {
                continue;
            }
            let guard = doc.guard(act.first, act.last);
            let (confidence, reason) = match (guard, called && target) {
                (Some(g), _) => (
                    Confidence::Possible,
                    guarded_reason("Uppmaning till brott", g),
                ),
                (None, true) => (
                    Confidence::Probable,
                    "Uppmaning till brott eller angrepp mot en myndighet eller institution."
                        .to_owned(),
                ),
                (None, false) if called => (
                    Confidence::Possible,
                    "Kan vara en uppmaning till brott; målet framgår inte.".to_owned(),
                ),
                (None, false) => continue,
            };
            out.push(
                Verdict {
                    category: Category::Uppvigling,
                    confidence,
                    rule: "il.uppvigling.call_to_crime",
                    basis: BASIS_UPPVIGLING,
                    reason,
                }
                .at(doc.hit_span(act)),
            );
        }
        for violence in self.with_role(Role::Violence) {
            let Some(target) = doc.next_authority_after(violence.last) else {
                continue;
            };
            if !self.is_call(violence) || doc.negated(violence.first, target) {
                continue;
            }
            let confidence = match doc.guard(violence.first, target) {
                Some(_) => Confidence::Possible,
                None => Confidence::Probable,
            };
            out.push(
                Verdict {
                    category: Category::Uppvigling,
                    confidence,
                    rule: "il.uppvigling.violence_against_authority",
                    basis: BASIS_UPPVIGLING,
                    reason: "Uppmaning till våld mot företrädare för samhället.".to_owned(),
                }
                .at(doc.span(violence.first, target)),
            );
        }
    }

    /// The hit starts its clause (imperative) or follows a call marker.
    fn is_call(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(hit.first);
        doc.clause_start(hit.first)
            || (hit.first.saturating_sub(3)..hit.first)
                .filter(|&i| i >= sentence.start)
                .any(|i| doc.is(i, CALL_MARKERS))
    }

    // ----- barnpornografi -----

    fn barnpornografi(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for hit in self.with_role(Role::CsamIndicator) {
            let verdict = match doc.guard(hit.first, hit.last) {
                Some(g) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Probable,
                    rule: "il.barnpornografi.in_context",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: guarded_reason("Känd märkning av övergreppsmaterial", g),
                },
                None => Verdict {
                    category: Category::Barnpornografi,
                    // The list decides: a city may add a weaker indicator.
                    confidence: hit.found.entry.confidence,
                    rule: "il.barnpornografi.indicator_term",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: "Innehåller en känd märkning av sexuellt övergreppsmaterial med barn."
                        .to_owned(),
                },
            };
            out.push(verdict.at(doc.hit_span(hit)));
        }
        for hit in self.with_role(Role::CsamTerm) {
            let offered = self.has_link() || doc.sentence_has(hit.first, OFFER);
            let negated = doc.sentence_has(hit.first, NEGATION);
            let guard = doc.guard(hit.first, hit.last);
            let verdict = match (offered && !negated, guard) {
                (true, None) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Obvious,
                    rule: "il.barnpornografi.offer",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: "Erbjuder eller länkar till sexuellt övergreppsmaterial med barn."
                        .to_owned(),
                },
                (true, Some(g)) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Probable,
                    rule: "il.barnpornografi.in_context",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: guarded_reason(
                        "Nämner övergreppsmaterial tillsammans med en länk eller ett erbjudande",
                        g,
                    ),
                },
                (false, _) => Verdict {
                    category: Category::Barnpornografi,
                    confidence: Confidence::Possible,
                    rule: "il.barnpornografi.term",
                    basis: BASIS_BARNPORNOGRAFI,
                    reason: "Nämner övergreppsmaterial med barn; kontrollera att det inte sprids."
                        .to_owned(),
                },
            };
            out.push(verdict.at(doc.hit_span(hit)));
        }
    }

    // ----- links to listed sites -----

    fn listed_domains(&self, out: &mut Vec<Finding>) {
        for (span, host) in self.links {
            let verdict = match self.lexicon.listed_domain(host) {
                Some(DomainKind::Gore) => Verdict {
                    category: Category::OlagaValdsskildring,
                    confidence: Confidence::Obvious,
                    rule: "il.olaga_valdsskildring.listed_domain",
                    basis: BASIS_VALDSSKILDRING,
                    reason: "Länk till en webbplats som sprider grova våldsskildringar.".to_owned(),
                },
                Some(DomainKind::Piracy) => Verdict {
                    category: Category::Upphovsratt,
                    confidence: Confidence::Obvious,
                    rule: "il.upphovsratt.listed_domain",
                    basis: BASIS_UPPHOVSRATT,
                    reason: "Länk till en webbplats som sprider upphovsrättsskyddat material utan \
                             tillstånd."
                        .to_owned(),
                },
                None => continue,
            };
            out.push(verdict.at(span.clone()));
        }
    }

    // ----- olaga våldsskildring, integritetsintrång, terror, upphovsrätt -----

    fn gore(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            Role::Gore,
            WATCH,
            Category::OlagaValdsskildring,
            "il.olaga_valdsskildring.term",
            BASIS_VALDSSKILDRING,
            (
                "Pekar på en grov våldsskildring",
                "Nämner en grov våldsskildring",
            ),
        );
    }

    fn intimate(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            Role::Intimate,
            SHARE,
            Category::OlagaIntegritetsintrang,
            "il.olaga_integritetsintrang.sharing",
            BASIS_INTEGRITET,
            (
                "Sprider eller pekar på intima bilder eller uppgifter om någon",
                "Nämner intima bilder eller uppgifter om någon",
            ),
        );
    }

    fn piracy(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            Role::Piracy,
            &["här", "länk", "länken", "ladda", "finns", "kolla"],
            Category::Upphovsratt,
            "il.upphovsratt.term",
            BASIS_UPPHOVSRATT,
            (
                "Pekar på en olovlig kopia av ett skyddat verk",
                "Nämner olovliga kopior",
            ),
        );
    }

    fn terror(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        for call in self.with_role(Role::TerrorCall) {
            if doc.negated(call.first, call.last) {
                continue;
            }
            let with_organisation = doc
                .sentence_tokens(call.first)
                .any(|i| self.role_at(i, &[Role::TerrorOrganisation]).is_some());
            let strong = with_organisation || call.found.entry.confidence >= Confidence::Probable;
            let (confidence, reason) = match doc.guard(call.first, call.last) {
                Some(g) => (
                    Confidence::Possible,
                    guarded_reason("Uppmaning till terror", g),
                ),
                None if strong => (
                    Confidence::Probable,
                    "Uppmaning att ansluta sig till eller utföra terrorbrott.".to_owned(),
                ),
                None => (
                    Confidence::Possible,
                    "Kan vara en uppmaning till terrorbrott.".to_owned(),
                ),
            };
            if !strong && !with_organisation && call.found.entry.confidence < Confidence::Probable {
                // A bare "gå med i" or "martyr" is too common to review.
                let context = doc.sentence_tokens(call.first).any(|i| {
                    self.role_at(i, &[Role::Violence, Role::Weapon, Role::Incitement])
                        .is_some()
                });
                if !context {
                    continue;
                }
            }
            out.push(
                Verdict {
                    category: Category::TerrorUppmaning,
                    confidence,
                    rule: "il.terror_uppmaning.call",
                    basis: BASIS_TERROR,
                    reason,
                }
                .at(doc.hit_span(call)),
            );
        }
    }

    /// Categories that are never obvious from words: probable with a link
    /// or a pointing word in the sentence, possible otherwise.
    #[allow(clippy::too_many_arguments)]
    fn review_only(
        &self,
        out: &mut Vec<Finding>,
        role: Role,
        pointing: &[&str],
        category: Category,
        rule: &'static str,
        basis: &'static str,
        (pointed, mentioned): (&str, &str),
    ) {
        let doc = self.doc;
        for hit in self.with_role(role) {
            let points = self.has_link() || doc.sentence_has(hit.first, pointing);
            let guard = doc.guard(hit.first, hit.last);
            let negated = doc.negated(hit.first, hit.last);
            let (confidence, reason) = match (guard, points && !negated) {
                (Some(g), _) => (Confidence::Possible, guarded_reason(mentioned, g)),
                (None, true) => (
                    hit.found
                        .entry
                        .confidence
                        .max(Confidence::Probable)
                        .min(Confidence::Probable),
                    format!("{pointed}."),
                ),
                (None, false) => (
                    Confidence::Possible,
                    format!("{mentioned}; kontrollera sammanhanget."),
                ),
            };
            out.push(
                Verdict {
                    category,
                    confidence,
                    rule,
                    basis,
                    reason,
                }
                .at(doc.hit_span(hit)),
            );
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum HetsKind {
    Dehumanising,
    Violence,
    /// A weaker verb (`rensas bort`, `kastas ut`): listed as `possible`, so
    /// the shape goes to review instead of being acted on.
    Expulsion,
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
            hex::decode_to_slice(line, &mut hash).map_err(|e| LexiconError::BadLine {
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
