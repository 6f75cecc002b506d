//! The language of a comment, identified with the `whatlang` crate.
//!
//! The rules read Swedish and English. A comment confidently identified as
//! another language is not silently passed: [`LanguageDetector`] sends it
//! to a person with the reason "Inte bedömd (språk: …)", since no rule could
//! judge it. That is a review, never an automatic action: the city removes
//! nothing lawful, and a language the rules cannot read says nothing about
//! what the comment says.
//!
//! Identification on short texts is a guess, so a text is only given a
//! language when the guess is sound: at least [`MIN_WORDS`] words with
//! [`MIN_LETTERS`] letters (links, @mentions, #tags, numbers and emoji
//! removed), and `whatlang`'s own reliability test passed — or a script the
//! rules cannot read at all (Arabic, Cyrillic, …), where the script alone
//! settles that the rules cannot judge it. Everything else is
//! [`Language::UNKNOWN`], which the rules assess as usual. Danish and
//! Norwegian are read as Swedish (the Swedish rules match much of them, and
//! Swedish slang is often taken for them); a text with `ä` or `ö` and no
//! `æ` or `ø` is Swedish whatever the guess. Every detector runs on every
//! comment whatever its language: the language only ever adds a review.
//!
//! # Somali
//!
//! `whatlang` knows no Somali (it guesses Tagalog or nothing), yet Somali
//! is one of the larger languages of Swedish cities. A small detector of
//! its own ([`plainly_somali`]) looks for Somali's function words and
//! spelling before the guess: the particles and verb forms no other
//! language writes (`waa`, `iyo`, `ayaa`, `waxaan`, `yahay`, …), the
//! short function words it shares with others (`ku`, `ka`, `oo`, `ee`,
//! `ma`, …), and words spelled with a doubled vowel in Somali's Latin
//! alphabet, which has no `p`, `v`, `z` or Nordic letters (`jiraan`,
//! `carruurtu`). A comment is Somali when it has one of the Somali-only
//! words, two function words and one word in four marked Somali; or,
//! without a Somali-only word, three different shared function words, two
//! Somali spellings and half of its words marked. Estonian (`ma tahan ka`)
//! and Dutch (`aan`) share a few short words and fall short of both.
//!
//! # Speed
//!
//! The guess is `whatlang::detect`'s, taken for Latin script through
//! `latin::detect`, which gives the same answer bit for bit from an
//! inverted index of `whatlang`'s trigram profiles (`profiles.rs`, made by
//! `tools/whatlang-profiles`) at a tenth of the cost.

use std::fmt;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use whatlang::{Lang, Script};

use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

mod latin;
mod profiles;

/// Fewer letters than this (after links, mentions, numbers and emoji are
/// removed) is too little text to tell a language by.
pub const MIN_LETTERS: usize = 16;

/// Fewer words than this is too little text to tell a language by.
pub const MIN_WORDS: usize = 3;

/// The code recorded for a text whose language could not be told.
pub const UNKNOWN_CODE: &str = "unknown";

/// Rule id of the finding that sends a comment in a language the rules
/// cannot read to a person.
pub const RULE_NOT_ASSESSED: &str = "lang.not_assessed";

/// Why a person must look at a comment no rule could read: the keeper of
/// an electronic bulletin board must supervise what is posted on it.
pub const LEGAL_BASIS_NOT_ASSESSED: &str = "lag (1998:112) om ansvar för elektroniska \
     anslagstavlor 4 § (uppsikt över inläggen); stadens riktlinjer för sociala medier";

/// The language of a comment: a language `whatlang` knows; or, for a
/// script no rule reads whose language is not sure, only that script (so
/// no wrong language is named); or unknown.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(Identified);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Identified {
    Lang(Lang),
    Script(Script),
    /// Somali, which `whatlang` does not know (see [`plainly_somali`]).
    Somali,
    Unknown,
}

/// The BCP 47 tag and Swedish name of Somali, told by [`plainly_somali`].
const SOMALI_CODE: &str = "so";
const SOMALI_SWEDISH: &str = "somaliska";

/// A language's codes and names: the BCP 47 tag (ISO 639-1 where there is
/// one, else ISO 639-3) recorded and put in `lang` attributes, and the
/// Swedish name moderators read.
struct Names {
    lang: Lang,
    code: &'static str,
    swedish: &'static str,
}

macro_rules! names {
    ($($lang:ident $code:literal $swedish:literal;)*) => {
        const NAMES: &[Names] = &[$(Names { lang: Lang::$lang, code: $code, swedish: $swedish },)*];
    };
}

names! {
    Afr "af" "afrikaans"; Aka "ak" "akan"; Amh "am" "amhariska"; Ara "ar" "arabiska";
    Aze "az" "azerbajdzjanska"; Bel "be" "belarusiska"; Ben "bn" "bengali"; Bul "bg" "bulgariska";
    Cat "ca" "katalanska"; Ces "cs" "tjeckiska"; Cmn "zh" "kinesiska"; Dan "da" "danska";
    Deu "de" "tyska"; Ell "el" "grekiska"; Eng "en" "engelska"; Epo "eo" "esperanto";
    Est "et" "estniska"; Fin "fi" "finska"; Fra "fr" "franska"; Guj "gu" "gujarati";
    Heb "he" "hebreiska"; Hin "hi" "hindi"; Hrv "hr" "kroatiska"; Hun "hu" "ungerska";
    Hye "hy" "armeniska"; Ind "id" "indonesiska"; Ita "it" "italienska"; Jav "jv" "javanesiska";
    Jpn "ja" "japanska"; Kan "kn" "kannada"; Kat "ka" "georgiska"; Khm "km" "khmer";
    Kor "ko" "koreanska"; Lat "la" "latin"; Lav "lv" "lettiska"; Lit "lt" "litauiska";
    Mal "ml" "malayalam"; Mar "mr" "marathi"; Mkd "mk" "makedonska"; Mya "my" "burmesiska";
    Nep "ne" "nepali"; Nld "nl" "nederländska"; Nob "nb" "norska"; Ori "or" "oriya";
    Pan "pa" "punjabi"; Pes "fa" "persiska"; Pol "pl" "polska"; Por "pt" "portugisiska";
    Ron "ro" "rumänska"; Rus "ru" "ryska"; Sin "si" "singalesiska"; Slk "sk" "slovakiska";
    Slv "sl" "slovenska"; Sna "sn" "shona"; Spa "es" "spanska"; Srp "sr" "serbiska";
    Swe "sv" "svenska"; Tam "ta" "tamil"; Tel "te" "telugu"; Tgl "tl" "tagalog";
    Tha "th" "thailändska"; Tuk "tk" "turkmeniska"; Tur "tr" "turkiska"; Ukr "uk" "ukrainska";
    Urd "ur" "urdu"; Uzb "uz" "uzbekiska"; Vie "vi" "vietnamesiska"; Yid "yi" "jiddisch";
    Zul "zu" "zulu"; Cym "cy" "kymriska";
}

/// A script's BCP 47 tag for an undetermined language in it (ISO 15924)
/// and the Swedish name moderators read.
const SCRIPTS: &[(Script, &str, &str)] = &[
    (Script::Arabic, "und-Arab", "okänt, arabisk skrift"),
    (Script::Armenian, "und-Armn", "okänt, armenisk skrift"),
    (Script::Bengali, "und-Beng", "okänt, bengalisk skrift"),
    (Script::Cyrillic, "und-Cyrl", "okänt, kyrillisk skrift"),
    (Script::Devanagari, "und-Deva", "okänt, devanagari"),
    (Script::Ethiopic, "und-Ethi", "okänt, etiopisk skrift"),
    (Script::Georgian, "und-Geor", "okänt, georgisk skrift"),
    (Script::Greek, "und-Grek", "okänt, grekisk skrift"),
    (Script::Gujarati, "und-Gujr", "okänt, gujaratisk skrift"),
    (Script::Gurmukhi, "und-Guru", "okänt, gurmukhi"),
    (Script::Hangul, "und-Hang", "okänt, hangul"),
    (Script::Hebrew, "und-Hebr", "okänt, hebreisk skrift"),
    (Script::Hiragana, "und-Hira", "okänt, hiragana"),
    (Script::Kannada, "und-Knda", "okänt, kannada-skrift"),
    (Script::Katakana, "und-Kana", "okänt, katakana"),
    (Script::Khmer, "und-Khmr", "okänt, khmer-skrift"),
    (Script::Latin, "und-Latn", "okänt, latinsk skrift"),
    (Script::Malayalam, "und-Mlym", "okänt, malayalam-skrift"),
    (Script::Mandarin, "und-Hani", "okänt, kinesisk skrift"),
    (Script::Myanmar, "und-Mymr", "okänt, burmesisk skrift"),
    (Script::Oriya, "und-Orya", "okänt, oriya-skrift"),
    (Script::Sinhala, "und-Sinh", "okänt, singalesisk skrift"),
    (Script::Tamil, "und-Taml", "okänt, tamilsk skrift"),
    (Script::Telugu, "und-Telu", "okänt, telugu-skrift"),
    (Script::Thai, "und-Thai", "okänt, thailändsk skrift"),
];

fn names_of(lang: Lang) -> Option<&'static Names> {
    NAMES.iter().find(|names| names.lang == lang)
}

fn script_names(script: Script) -> Option<&'static (Script, &'static str, &'static str)> {
    SCRIPTS.iter().find(|(known, _, _)| *known == script)
}

impl Language {
    /// A text whose language could not be told: assessed like Swedish.
    pub const UNKNOWN: Self = Self(Identified::Unknown);
    /// Swedish, which every rule reads.
    pub const SWEDISH: Self = Self(Identified::Lang(Lang::Swe));
    /// English, which the English rules read.
    pub const ENGLISH: Self = Self(Identified::Lang(Lang::Eng));
    /// Somali, which no rule reads (told by this module, not `whatlang`).
    pub const SOMALI: Self = Self(Identified::Somali);

    /// The code recorded with the decision and put in the console's `lang`
    /// attributes: a BCP 47 tag (`sv`, `ar`, `und-Cyrl` for an unsure
    /// language in Cyrillic script), or [`UNKNOWN_CODE`].
    pub fn code(self) -> &'static str {
        match self.0 {
            Identified::Lang(lang) => names_of(lang).map_or(UNKNOWN_CODE, |names| names.code),
            Identified::Script(script) => script_names(script).map_or(UNKNOWN_CODE, |s| s.1),
            Identified::Somali => SOMALI_CODE,
            Identified::Unknown => UNKNOWN_CODE,
        }
    }

    /// The language recorded under `code`, if the code is one of ours.
    pub fn from_code(code: &str) -> Option<Self> {
        if code == UNKNOWN_CODE {
            return Some(Self::UNKNOWN);
        }
        if code == SOMALI_CODE {
            return Some(Self::SOMALI);
        }
        let lang = NAMES.iter().find(|names| names.code == code);
        let script = SCRIPTS.iter().find(|(_, tag, _)| *tag == code);
        match (lang, script) {
            (Some(names), _) => Some(Self(Identified::Lang(names.lang))),
            (None, Some((script, _, _))) => Some(Self(Identified::Script(*script))),
            (None, None) => None,
        }
    }

    /// The Swedish name moderators read (`arabiska`; `okänt, kyrillisk
    /// skrift`; `okänt`).
    pub fn swedish_name(self) -> &'static str {
        match self.0 {
            Identified::Lang(lang) => names_of(lang).map_or("okänt", |names| names.swedish),
            Identified::Script(script) => script_names(script).map_or("okänt", |s| s.2),
            Identified::Somali => SOMALI_SWEDISH,
            Identified::Unknown => "okänt",
        }
    }

    /// The English name, for the console in English (`Arabic`; `unknown,
    /// Cyrillic script`; `unknown`).
    pub fn english_name(self) -> String {
        match self.0 {
            Identified::Lang(lang) => lang.eng_name().to_owned(),
            Identified::Script(script) => format!("unknown, {} script", script.name()),
            Identified::Somali => "Somali".to_owned(),
            Identified::Unknown => "unknown".to_owned(),
        }
    }

    /// Whether the rules can judge text in this language: Swedish (and the
    /// Danish and Norwegian close to it), English, and unknown (assessed as
    /// if Swedish, since a guess must never keep a comment from the rules).
    pub fn rules_read(self) -> bool {
        matches!(
            self.0,
            Identified::Unknown
                | Identified::Lang(Lang::Swe | Lang::Eng | Lang::Dan | Lang::Nob)
                | Identified::Script(Script::Latin)
        )
    }

    /// Whether a language (or at least a script) was identified.
    pub fn is_known(self) -> bool {
        self.0 != Identified::Unknown
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({})", self.code())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Self::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown language code {code:?}")))
    }
}

/// The language of `text`, or [`Language::UNKNOWN`] when the text is too
/// short or the guess is not sound (see the module documentation).
pub fn identify(text: &str) -> Language {
    let Prose {
        text: prose,
        words,
        letters,
    } = Prose::of(text);
    if words < MIN_WORDS || letters < MIN_LETTERS {
        return Language::UNKNOWN;
    }
    if plainly_swedish(&prose) {
        return Language::SWEDISH;
    }
    if plainly_somali(&prose) {
        return Language::SOMALI;
    }
    let Some(info) = latin::detect(&prose) else {
        return Language::UNKNOWN;
    };
    if has_swedish_letters(&prose) && matches!(info.lang(), Lang::Dan | Lang::Nob) {
        return Language::SWEDISH;
    }
    match (info.is_reliable(), script_unread(info.script())) {
        (true, _) => Language(Identified::Lang(info.lang())),
        (false, true) => Language(Identified::Script(info.script())),
        (false, false) => Language::UNKNOWN,
    }
}

/// The words of a text that tell its language: links, @mentions, #tags
/// and words without a letter (numbers, emoji) are left out, since they are
/// the same in every language and would only blur the guess.
struct Prose {
    /// The words kept, one space between each.
    text: String,
    /// How many words were kept.
    words: usize,
    /// How many letters the words kept hold.
    letters: usize,
}

impl Prose {
    /// The prose of `text`, counted as it is gathered: this runs on every
    /// comment, and counting afterwards would read the text twice more.
    fn of(text: &str) -> Self {
        let mut prose = Self {
            text: String::with_capacity(text.len()),
            words: 0,
            letters: 0,
        };
        for word in text.split_whitespace() {
            // Compared without lowercasing the word first: no character but
            // ASCII lowercases to `h`, `t`, `p`, `w` or `.`.
            let starts = |prefix: &str| {
                word.as_bytes()
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
            };
            if word.starts_with(['@', '#']) || starts("http") || starts("www.") {
                continue;
            }
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if letters == 0 {
                continue;
            }
            if !prose.text.is_empty() {
                prose.text.push(' ');
            }
            prose.text.push_str(word);
            prose.words += 1;
            prose.letters += letters;
        }
        prose
    }
}

// The three word tables below stay in Rust (issue 15 moved the rules'
// vocabulary to `wordlists/`): they are part of the language model, tuned
// together with the identifier's thresholds, not words a city's rules are
// built from; a city list that changed them would change which comments are
// read at all.

/// Swedish words that Danish, Norwegian and English spell otherwise
/// (`och`, `att`, `inte`, `från`): the common words of a Swedish sentence.
const SWEDISH_ONLY_WORDS: &[&str] = &[
    "och", "att", "är", "jag", "inte", "ett", "ska", "hur", "vad", "varför", "också", "här", "där",
    "ju", "mycket", "dom", "nåt", "något", "finns", "vill", "från", "för", "när", "alla", "bara",
    "inga", "kommer", "sen", "nån", "någon", "vara", "blir",
];

/// Enough of Swedish's own common words ([`PLAINLY_SWEDISH`]), or
/// [`SPELLED_SWEDISH_WORDS`] of them in a text spelled with `ä` or `ö` and
/// no `æ` or `ø`, however long: a text plainly in Swedish, told without the
/// statistical guess (which costs some hundred microseconds a comment, and
/// most comments are Swedish). A unit test checks that the guess agrees.
fn plainly_swedish(prose: &str) -> bool {
    let mut words = 0;
    let mut swedish = 0;
    let mut bare = String::new();
    for word in prose_words(prose) {
        words += 1;
        bare_lowercase(word, &mut bare);
        swedish += usize::from(SWEDISH_ONLY.contains(bare.as_str()));
    }
    PLAINLY_SWEDISH
        .iter()
        .any(|&(least, one_in)| swedish >= least && swedish * one_in >= words)
        || (swedish >= SPELLED_SWEDISH_WORDS && has_swedish_letters(prose))
}

/// Puts `word` without the non-letters around it, in lower case, in
/// `bare` (one buffer for every word of a text: this runs on every
/// comment). Character by character, so a final `Σ` becomes `σ`, not `ς`
/// as in [`str::to_lowercase`]; no word of the tables holds one.
fn bare_lowercase(word: &str, bare: &mut String) {
    bare.clear();
    if word.is_ascii() {
        bare.push_str(ascii_letters_within(word));
        bare.make_ascii_lowercase();
        return;
    }
    let trimmed = word.trim_matches(|c: char| !c.is_alphabetic());
    if trimmed.is_ascii() {
        bare.push_str(trimmed);
        bare.make_ascii_lowercase();
    } else {
        for c in trimmed.chars() {
            push_lowercase(bare, c);
        }
    }
}

/// Pushes `c` as [`char::to_lowercase`] gives it, without its table search
/// for ASCII and the Swedish letters, the most characters of a comment.
fn push_lowercase(bare: &mut String, c: char) {
    match c {
        'A'..='Z' => bare.push(c.to_ascii_lowercase()),
        'Å' => bare.push('å'),
        'Ä' => bare.push('ä'),
        'Ö' => bare.push('ö'),
        c if c.is_ascii() || matches!(c, 'å' | 'ä' | 'ö') => bare.push(c),
        c => bare.extend(c.to_lowercase()),
    }
}

/// The words of a prose text (see [`Prose`]), which joins them with one
/// space: split at the space, they are the words `split_whitespace` gives,
/// without testing every character for Unicode white space on each of the
/// passes over every comment.
fn prose_words(prose: &str) -> impl Iterator<Item = &str> {
    prose.split(' ').filter(|word| !word.is_empty())
}

/// An ASCII word without the non-letters around it, trimmed byte by byte:
/// an ASCII character is alphabetic exactly when it is an ASCII letter, so
/// this is `trim_matches(|c| !c.is_alphabetic())` without decoding
/// characters (most words of most comments are ASCII).
fn ascii_letters_within(word: &str) -> &str {
    let bytes = word.as_bytes();
    let start = bytes
        .iter()
        .position(u8::is_ascii_alphabetic)
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(u8::is_ascii_alphabetic)
        .map_or(start, |last| last + 1);
    &word[start..end]
}

/// [`SWEDISH_ONLY_WORDS`] as a set: every word of every comment is looked
/// up in it, and a hash look-up costs a few comparisons where a scan of
/// the list cost some thirty.
static SWEDISH_ONLY: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| SWEDISH_ONLY_WORDS.iter().copied().collect());

/// [`SOMALI_ONLY_WORDS`] as a set, for the same reason as [`SWEDISH_ONLY`].
static SOMALI_ONLY: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| SOMALI_ONLY_WORDS.iter().copied().collect());

/// `(at least this many of Swedish's own words, and one word in this
/// many)`: two in a short comment, three in a longer text, where the
/// content words dilute the common ones. The words are Swedish's alone, so
/// a Danish, Norwegian or English text does not reach either.
const PLAINLY_SWEDISH: [(usize, usize); 2] = [(MIN_SWEDISH_WORDS, 6), (MIN_SWEDISH_WORDS + 1, 8)];

/// How many of Swedish's own common words make a text plainly Swedish.
pub const MIN_SWEDISH_WORDS: usize = 2;

/// How many of Swedish's own common words make a text spelled with `ä` or
/// `ö` plainly Swedish, whatever its length: long texts (opinions, forum
/// posts) dilute the common words below [`PLAINLY_SWEDISH`], and the
/// statistical guess then read each in full. No language that writes `ä`
/// or `ö` (Finnish, Estonian, German, Turkish, Hungarian) writes three of
/// these words.
pub const SPELLED_SWEDISH_WORDS: usize = MIN_SWEDISH_WORDS + 1;

/// Somali words no other language near a Swedish city writes: the focus
/// particles, the forms of `to be`, `and`, the question words, the
/// compounds of the impersonal `la` and set phrases (`mahadsanid`).
const SOMALI_ONLY_WORDS: &[&str] = &[
    "waa",
    "iyo",
    "ayaa",
    "ayuu",
    "ayay",
    "ayey",
    "ayaan",
    "waxaan",
    "waxaa",
    "waxay",
    "wuxuu",
    "waxaad",
    "waxaynu",
    "yahay",
    "tahay",
    "ahay",
    "yihiin",
    "ahaa",
    "laga",
    "lagu",
    "loo",
    "kuma",
    "kama",
    "inay",
    "inuu",
    "inaan",
    "inaad",
    "haddii",
    "hadii",
    "laakiin",
    "sidee",
    "maxaa",
    "maxay",
    "maxaan",
    "goorma",
    "halkee",
    "hadda",
    "mahadsanid",
    "fadlan",
    "weli",
    "sidoo",
    "waxba",
    "iska",
];

/// Short Somali function words that other languages also write (`ka` and
/// `ma` are Estonian, `aan` is Dutch, `la` is Spanish): they count only
/// with more evidence.
const SOMALI_SHARED_WORDS: &[&str] = &[
    "aan", "aad", "ay", "uu", "oo", "ee", "ka", "ku", "u", "la", "ma", "ah", "soo",
];

/// How many Somali function words a Somali comment has at least.
pub const MIN_SOMALI_FUNCTION_WORDS: usize = 2;

/// A word spelled as Somali: at least four letters, a doubled vowel
/// (`jiraan`, `carruurtu`) and only the letters of Somali's Latin
/// alphabet (no `p`, `v`, `z`, no accented or Nordic letters).
fn somali_spelling(word: &str) -> bool {
    const LETTERS: &str = "abcdefghijklmnoqrstuwxy'";
    let doubled = ["aa", "ee", "ii", "oo", "uu"]
        .iter()
        .any(|pair| word.contains(pair));
    word.chars().count() >= 4 && doubled && word.chars().all(|c| LETTERS.contains(c))
}

/// A text plainly in Somali (see the module documentation): told by its
/// function words and spelling, since `whatlang` knows no Somali.
fn plainly_somali(prose: &str) -> bool {
    if prose
        .chars()
        .any(|c| matches!(c, 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö' | 'æ' | 'ø'))
    {
        return false;
    }
    let mut words = 0;
    let mut only = 0;
    // One bit per word of `SOMALI_SHARED_WORDS` seen: they count once each.
    let mut shared_seen: u32 = 0;
    let mut spelled = 0;
    let mut bare = String::new();
    for word in prose_words(prose) {
        words += 1;
        bare_lowercase(word, &mut bare);
        if SOMALI_ONLY.contains(bare.as_str()) {
            only += 1;
        } else if let Some(at) = SOMALI_SHARED_WORDS.iter().position(|w| *w == bare) {
            shared_seen |= 1 << at;
        } else if somali_spelling(&bare) {
            spelled += 1;
        }
    }
    let shared = shared_seen.count_ones() as usize;
    let function_words = only + shared;
    let marked = function_words + spelled;
    let with_own_word =
        only >= 1 && function_words >= MIN_SOMALI_FUNCTION_WORDS && marked * 4 >= words;
    let by_shared_words = shared >= 3 && spelled >= 2 && marked * 2 >= words;
    with_own_word || by_shared_words
}

/// `ä` or `ö` without Danish and Norwegian `æ` or `ø`: Swedish spelling.
fn has_swedish_letters(prose: &str) -> bool {
    let swedish = prose.chars().any(|c| matches!(c, 'ä' | 'ö' | 'Ä' | 'Ö'));
    let nordic = prose.chars().any(|c| matches!(c, 'æ' | 'ø' | 'Æ' | 'Ø'));
    swedish && !nordic
}

/// A script no rule reads: whichever language it is, the rules cannot
/// judge the text, so the script alone is a sound reason for review.
fn script_unread(script: Script) -> bool {
    script != Script::Latin
}

/// Sends comments in a language the rules cannot read to a person.
#[derive(Debug, Default, Clone, Copy)]
pub struct LanguageDetector;

impl Detector for LanguageDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let language = text.language();
        if !language.rules_read() {
            out.push(not_assessed(text.original(), language));
        }
    }
}

/// The finding that a comment was not assessed, over the whole text.
fn not_assessed(text: &str, language: Language) -> Finding {
    Finding {
        category: Category::NotAssessed,
        confidence: Confidence::Possible,
        start: 0,
        end: text.len(),
        rule: RULE_NOT_ASSESSED.to_owned(),
        legal_basis: LEGAL_BASIS_NOT_ASSESSED.to_owned(),
        reason: format!("Inte bedömd (språk: {}).", language.swedish_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> String {
        Prose::of(text).text
    }

    #[test]
    fn prose_counts_its_words_and_letters() {
        for text in [
            "",
            "Se HTTPS://x.se/a och WWW.Exempel.se, @Lisa #Tagg 123 Hej! Http",
            "  Ärligt  talat\u{a0}—\tvad   menar ni? 😀 ok",
            "İstanbul ﬁne ١٢٣ مرحبا",
        ] {
            let Prose {
                text: kept,
                words,
                letters,
            } = Prose::of(text);
            assert_eq!(words, kept.split_whitespace().count(), "{text}");
            let counted = kept.chars().filter(|c| c.is_alphabetic()).count();
            assert_eq!(letters, counted, "{text}");
        }
    }

    fn code_of(text: &str) -> &'static str {
        identify(text).code()
    }

    #[test]
    fn every_language_whatlang_knows_has_a_code_and_a_swedish_name() {
        for lang in Lang::all() {
            let names = names_of(*lang).unwrap_or_else(|| panic!("{lang:?} has no names"));
            let language = Language(Identified::Lang(*lang));
            assert_eq!(Language::from_code(names.code), Some(language));
            assert_ne!(language.swedish_name(), "okänt");
        }
        for (script, tag, _) in SCRIPTS {
            let language = Language(Identified::Script(*script));
            assert_eq!(Language::from_code(tag), Some(language));
        }
        assert_eq!(Language::from_code(UNKNOWN_CODE), Some(Language::UNKNOWN));
        assert_eq!(Language::from_code("xx"), None);
    }

    /// Real sentences in languages the rules cannot read, as comments
    /// under a city's posts have them.
    #[test]
    fn comments_in_other_languages_are_identified() {
        // (text, the language, the script tag when the language is unsure)
        let cases = [
            ("متى سيتم فتح المكتبة الجديدة في الحي؟", "ar", "und-Arab"),
            (
                "هذا القرار سيء جدا للسكان ويجب تغييره فورا",
                "ar",
                "und-Arab",
            ),
            (
                "Milloin uusi kirjasto avataan? En löydä aukioloaikoja mistään",
                "fi",
                "fi",
            ),
            (
                "Tämä päätös on todella huono asukkaiden kannalta ja se pitää muuttaa",
                "fi",
                "fi",
            ),
            (
                "Kiedy zostanie otwarta nowa biblioteka? Nie mogę znaleźć godzin otwarcia",
                "pl",
                "pl",
            ),
            (
                "Moje dzieci nadal nie dostały miejsca w przedszkolu, co mamy robić",
                "pl",
                "pl",
            ),
            (
                "کتابخانه جدید کی باز می‌شود؟ ساعات کاری را پیدا نمی‌کنم",
                "fa",
                "und-Arab",
            ),
            (
                "Когда откроется новая библиотека в нашем районе?",
                "ru",
                "und-Cyrl",
            ),
            // whatlang knows no Somali: this module tells it.
            (
                "Waxaan rabaa in aan ogaado goorma ayuu furmayaa maktabadda cusub",
                "so",
                "so",
            ),
        ];
        for (text, code, fallback) in cases {
            let found = code_of(text);
            assert!(found == code || found == fallback, "{text}: {found}");
            assert!(!identify(text).rules_read(), "{text}");
        }
    }

    /// The words of a Swedish corpus of opinions (absabank-imm) are read by
    /// the rules, and the shortcut for plainly Swedish text agrees with
    /// the statistical guess wherever the guess is sure.
    #[test]
    fn swedish_corpus_texts_are_not_sent_as_foreign() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/corpus/superlim/absabank-imm_dev.jsonl");
        let contents = std::fs::read_to_string(&path).unwrap();
        let mut texts = 0;
        let mut foreign = Vec::new();
        let mut disagreements = Vec::new();
        for line in contents.lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = row["text"].as_str().unwrap();
            texts += 1;
            if !identify(text).rules_read() {
                foreign.push(text.to_owned());
            }
            let prose = prose(text);
            if plainly_swedish(&prose)
                && let Some(info) = whatlang::detect(&prose)
                && info.is_reliable()
                && info.lang() != Lang::Swe
            {
                disagreements.push(text.to_owned());
            }
        }
        assert!(texts > 400, "{texts}");
        assert!(
            foreign.len() * 1000 <= texts,
            "{} of {texts}: {foreign:#?}",
            foreign.len()
        );
        assert!(disagreements.is_empty(), "{disagreements:#?}");
    }
    /// Swedish as people write it — typos, slang, SMS spelling, words that
    /// look Danish or Norwegian, very short texts — is never taken for a
    /// language the rules cannot read.
    #[test]
    fn swedish_in_every_register_is_read_by_the_rules() {
        let texts = [
            "Jag tycker att kommunen borde satsa mer på cykelbanor i innerstan.",
            "asså seriöst vafan håller ni på me, ingen bryr sig om förorten",
            "jag va där igår o det va helt kaos, ingen personal nånstans",
            "dom här politikerna fattar ingenting, skäms på er",
            "fan va najs att parken äntligen öppnar igen, grymt jobbat",
            "ja men seriöst alltså, hur svårt kan det va att tömma soporna",
            "Hvad fan håller ni på med, det är ju helt åt helvete med bussarna",
            "Det er helt sjukt at ingen gör nåt åt trafiken här, skjerp dere",
            "tycker ni ska sluta slösa skattepengar på konstiga projekt",
            "Sv@rtskallarna i orten borde gasas",
            "Bra jobbat!",
            "Tack!!",
            "Nej",
            "👍👍👍",
            "08-508 290 00",
            "@lisa.berg https://example.se/a/b?c=d",
        ];
        for text in texts {
            let language = identify(text);
            assert!(language.rules_read(), "{text}: {language:?}");
        }
    }

    #[test]
    fn short_texts_emoji_and_numbers_are_unknown_never_a_guess() {
        for text in [
            "Bra jobbat!",
            "Ok",
            "😂😂😂",
            "123 456",
            "",
            "Ja tack",
            "هلا",
        ] {
            assert_eq!(identify(text), Language::UNKNOWN, "{text}");
        }
    }

    #[test]
    fn english_is_identified_and_read() {
        let text = "When does the new library open? I can't find the hours anywhere";
        assert_eq!(identify(text), Language::ENGLISH);
        assert!(Language::ENGLISH.rules_read());
    }

    #[test]
    fn a_comment_no_rule_can_read_goes_to_review_with_its_language_named() {
        let mut out = Vec::new();
        LanguageDetector.detect("متى سيتم فتح المكتبة الجديدة في الحي؟", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].category, Category::NotAssessed);
        assert_eq!(out[0].confidence, Confidence::Possible);
        assert_eq!(out[0].reason, "Inte bedömd (språk: arabiska).");
        let mut none = Vec::new();
        LanguageDetector.detect("Varför tar det så lång tid att få svar?", &mut none);
        assert!(none.is_empty());
    }

    /// Somali as people write it under a city's posts: questions about
    /// services, complaints, thanks; with and without the Somali-only words.
    #[test]
    fn somali_comments_are_told_and_sent_to_review_as_somali() {
        let texts = [
            "Waxaan rabaa in aan ogaado goorma ayuu furmayaa maktabadda cusub",
            "Magaalada waa in ay hagaajiso waddooyinka iyo nalalka laydhka",
            "Carruurteyda weli ma helin meel xanaanada ah, maxaan sameeyaa?",
            "Basaska ayaa had iyo jeer soo daaha, waa in wax laga qabtaa",
            "Mahadsanid shaqada wanaagsan ee aad qabateen sanadkan",
            "Xaafaddeenna ma jiraan meelo ay carruurtu ku ciyaaraan",
            "Fadlan ii sheeg halkee laga helayaa foomka codsiga guriga",
            "Dugsiga wiilkeyga macallimiinta aad bay u fiican yihiin",
        ];
        for text in texts {
            assert_eq!(identify(text), Language::SOMALI, "{text}");
            let mut out = Vec::new();
            LanguageDetector.detect(text, &mut out);
            assert_eq!(out.len(), 1, "{text}");
            assert_eq!(out[0].reason, "Inte bedömd (språk: somaliska).");
            assert_eq!(out[0].confidence, Confidence::Possible);
        }
        assert_eq!(Language::from_code("so"), Some(Language::SOMALI));
        assert_eq!(Language::SOMALI.english_name(), "Somali");
    }

    /// Swedish, English and the languages that share Somali's short words
    /// (Estonian `ma`, `ka`; Dutch `aan`; Spanish `la`) are not Somali.
    #[test]
    fn text_that_only_shares_somali_words_is_not_somali() {
        for text in [
            "Jag tycker att bussarna ska gå oftare på kvällarna",
            "la la la ah ok vi ses i skolan sen",
            "Ska vi ta en fika vid biblioteket i morgon eller?",
            "Good food and cool music at the festival, see you soon",
            "I need to book a room at the library for our school",
            "Ma tahan ka seda raamatukogu näha, kuid see on kinni",
            "Ik heb het aan de man bij de balie gegeven, maar niemand belt",
            "La biblioteca nueva abre mañana por la mañana en el barrio",
            "ah ok so good, see you at the pool in the evening",
        ] {
            assert_ne!(identify(text), Language::SOMALI, "{text}");
        }
    }

    /// A long text spelled with `ä` or `ö` is told Swedish by three of
    /// Swedish's own words however diluted; languages that also write `ä`
    /// and `ö` are not.
    #[test]
    fn three_swedish_words_in_a_text_spelled_swedish_are_enough() {
        let long = "Förklarar regeringen och tidigare regeringars tro på upprätthållen \
                    jämviktsarbetslöshet Sveriges invandringspolitik? Om man är medveten \
                    om detta samband mellan inflation och arbetslöshet, så förstår man att \
                    resonemanget bakom besluten som fattades under åren efter krisen";
        assert!(plainly_swedish(&prose(long)));
        assert!(!plainly_swedish(&prose(
            &long.replace('ä', "ae").replace('ö', "oe")
        )));
        for foreign in [
            "Tämä päätös on todella huono asukkaiden kannalta ja se pitää muuttaa",
            "Die Stadtverwaltung hat für die Bürger und Bürgerinnen schöne Grünflächen geplant",
            "Ma tahan ka seda raamatukogu näha, kuid see on kinni ja töötajad on ära",
            "Bu karar mahallede yaşayanlar için çok kötü ve hemen değiştirilmeli",
            "Det är helt sjukt, og jeg synes at någon bør gjøre noe, skjær dere",
        ] {
            assert!(!plainly_swedish(&prose(foreign)), "{foreign}");
        }
        assert_eq!(identify(long), Language::SWEDISH);
    }

    /// The allocation-free word handling gives what lowercasing each word
    /// gave: links, mentions and tags left out whatever their case, and
    /// the same bare words.
    #[test]
    fn prose_and_bare_words_match_lowercasing_each_word() {
        assert_eq!(
            prose("Se HTTPS://x.se/a och WWW.Exempel.se, @Lisa #Tagg 123 Hej! Http"),
            "Se och Hej!"
        );
        let mut bare = String::new();
        for word in [
            "ÄR",
            "»Och«",
            "Varför?",
            "JAG,",
            "Waxaan",
            "123",
            "KÅL-",
            "İstanbul",
            "»ÅÄÖåäö«",
            "Ängen-Öl",
        ] {
            bare_lowercase(word, &mut bare);
            let expected = word
                .trim_matches(|c: char| !c.is_alphabetic())
                .to_lowercase();
            assert_eq!(bare, expected, "{word}");
        }
        bare_lowercase("»Och«", &mut bare);
        assert_eq!(bare, "och");
    }

    /// The words of prose split at its spaces are those `split_whitespace`
    /// gives.
    #[test]
    fn prose_words_are_the_whitespace_separated_words() {
        for text in ["Hej\tdu  där\u{2003}och\u{a0}här!", " @Lisa  öl 123 ", ""] {
            let prose = prose(text);
            assert_eq!(
                prose_words(&prose).collect::<Vec<_>>(),
                prose.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_language_is_recorded_as_its_code() {
        let json = serde_json::to_string(&Language::SWEDISH).unwrap();
        assert_eq!(json, "\"sv\"");
        let back: Language = serde_json::from_str("\"ar\"").unwrap();
        assert_eq!(back.swedish_name(), "arabiska");
        assert!(serde_json::from_str::<Language>("\"klingon\"").is_err());
    }
}
