//! Word lists: the terms detectors look for, compiled into ONE Aho-Corasick
//! automaton that runs once over a comment's normalised text.
//!
//! Word lists live in `wordlists/` so that moderators and maintainers can
//! read and extend them without touching code; the repository's lists are
//! also compiled into the binary ([`Lexicon::embedded`]) so the service
//! works without the folder.
//!
//! # Layout
//!
//! ```text
//! wordlists/<language>/<category>.txt   terms, e.g. wordlists/sv/olaga_hot.txt
//! wordlists/<language>/allow.txt        words that contain a term but are not it
//! wordlists/domains/<kind>.txt          web domains, e.g. piracy.txt, gore.txt
//! ```
//!
//! (The art. 9 lists in `wordlists/sv/sensitive/` and the service
//! detectors' phrase lists in `wordlists/sv/service/` have formats of their
//! own: [`super::sensitive::terms`], [`super::service_phrases`].)
//!
//! The file name of a term list is the category its terms belong to
//! (`hets_mot_folkgrupp`, `olaga_hot`, …, as [`Category::as_str`]).
//!
//! # Line format
//!
//! Every file starts with a provenance header; a list without one is refused,
//! because a city must be able to say where a word that removed a comment
//! came from:
//!
//! ```text
//! # source: written for kommentarsvakt
//! # licence: EUPL-1.2
//! ```
//!
//! Other lines starting with `#` and blank lines are comments. A term line
//! has six TAB-separated columns:
//!
//! ```text
//! term  inflection  role  confidence  compound  comment
//! ```
//!
//! - `term`: the base form, in ordinary spelling (it is normalised like the
//!   comments, see [`super::normalize`]); several words are allowed.
//! - `inflection`: which forms to generate (see [`Inflection`]): `exact`,
//!   `noun-or`, `noun-ar`, `noun-er`, `noun-ett`, `verb-ar`, `verb-er`,
//!   `adj`, or `forms:a,b,c` listing irregular forms. Verbs and adjectives
//!   inflect their first word, nouns their last.
//! - `role`: what the term is to the detectors (see [`Role`]).
//! - `confidence`: `possible`, `probable` or `obvious` — how sure a match of
//!   the term on its own is; detectors may raise or lower it with context.
//! - `compound`: may the term be part of a compound word? `none` (a whole
//!   word only), `first` (may start one: the term followed by more
//!   letters), `last` (may end one), `both`.
//! - `comment`: required; says what the term is, so a reviewer of the list
//!   does not have to guess.
//!
//! `allow.txt` and domain lists have two columns: `word` (or `domain`) and
//! `comment`. An allowed word matches at the start of a word and hides every
//! term inside it, e.g. `slakthus` (the Slakthusområdet in Stockholm) hides
//! the verb `slakta`.
//!
//! # Refused
//!
//! Empty terms, terms whose key has fewer than [`MIN_TERM_LETTERS`] letters
//! unless `exact` (they would match almost anything), terms without a letter,
//! unknown columns. Each error names the file and line.
//!
//! Every generated form is also added without `å`, `ä`, `ö` (`doda` for
//! `döda`, also reached by leetspeak `d0da`) when that leaves at least four
//! letters.
//!
//! # Matching
//!
//! Leftmost-longest, so an allowed word or a longer term wins over a shorter
//! term at the same place. A match must end at a word boundary on each side
//! where its `compound` column does not allow more letters; a match that
//! fails this is dropped and the search resumes one character after its
//! start, so a later term inside it is still found. (A shorter term that
//! starts at the *same* place as a rejected longer one is not: give the
//! shorter term a `compound` column that admits the longer word instead.)

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use super::normalize::{Normalized, key};
use crate::domain::{Category, Confidence};

/// Shorter keys (in letters) are refused unless the inflection is `exact`:
/// a two-letter pattern inside words matches almost any text.
pub const MIN_TERM_LETTERS: usize = 3;

/// What a term is to the detectors; a closed set so a typo in a list is an
/// error, not a silently ignored line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A slur against a group protected by BrB 16:8.
    Slur,
    /// A neutral name of a protected group (the target of a predicate).
    Group,
    /// A noun or phrase that denies people their humanity (vermin, disease).
    Dehumanising,
    /// A verb of serious violence (kill, stab, burn).
    Violence,
    /// A weapon, which turns "we are coming" into a threat.
    Weapon,
    /// A complete threatening phrase ("I know where you live").
    ThreatPhrase,
    /// An act people are urged to commit against order or authority.
    Incitement,
    /// A verb of damage to things (`krossa`, `förstöra`, `hacka`): a
    /// call to crime only with a concrete object (`krossa kamerorna`),
    /// since most objects are figurative (`krossa motståndet`).
    Damage,
    /// A term that in practice only names child sexual abuse material.
    CsamIndicator,
    /// A general word for child sexual abuse material (also used by news).
    CsamTerm,
    /// A word for children or minors (`minderåriga`, `småungar`): a
    /// finding only with images or films of them that are traded.
    Minor,
    /// A word for depictions of gross violence (gore, execution videos).
    Gore,
    /// An event of gross violence (`halshuggningen`, `våldtäkten`): a
    /// finding only when a video of it is pointed at or spread.
    ViolentEvent,
    /// Intimate images or a person's sexual life, spread without consent.
    Intimate,
    /// A place or state where people are undressed or unguarded (a
    /// changing room, a toilet, asleep): a finding only with a recording
    /// of it that is spread.
    IntimateSetting,
    /// A private fact of the kind BrB 4:6 c protects (health, sexual life,
    /// being a crime victim): a finding only when said about someone else.
    PrivateFact,
    /// A designated terrorist organisation.
    TerrorOrganisation,
    /// A call to join or fight for terrorism.
    TerrorCall,
    /// A word that frames violence as a religious or political struggle
    /// (`allahu akbar`, `kuffar`, `korsfararna`, `raskriget`): never a
    /// finding alone, but it makes an attack call terror.
    TerrorFraming,
    /// A word of contempt for people (`kriminella`, `lata`): with a group,
    /// review; never obvious, since harsh generalisation is often lawful.
    Contempt,
    /// A sign of unlicensed copies (torrents, cracks, free full films).
    Piracy,
    /// A protected work or a way of watching one (`filmen`, `säsongen`,
    /// `ljudboken`, `streama`): a finding only with signs of an unlicensed
    /// copy offered (`hela … som pdf på Telegram`).
    Work,
    /// A word that anchors a shape built from parts (`synd om`, `vad som
    /// väntar`, a body part's injury, a word of readiness): never a finding
    /// on its own; it only lets the category files look at the sentence.
    Anchor,
}

impl Role {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "slur" => Role::Slur,
            "group" => Role::Group,
            "dehumanising" => Role::Dehumanising,
            "violence" => Role::Violence,
            "weapon" => Role::Weapon,
            "threat_phrase" => Role::ThreatPhrase,
            "incitement" => Role::Incitement,
            "damage" => Role::Damage,
            "csam_indicator" => Role::CsamIndicator,
            "csam_term" => Role::CsamTerm,
            "minor" => Role::Minor,
            "gore" => Role::Gore,
            "violent_event" => Role::ViolentEvent,
            "private_fact" => Role::PrivateFact,
            "intimate" => Role::Intimate,
            "intimate_setting" => Role::IntimateSetting,
            "terror_organisation" => Role::TerrorOrganisation,
            "terror_call" => Role::TerrorCall,
            "terror_framing" => Role::TerrorFraming,
            "piracy" => Role::Piracy,
            "work" => Role::Work,
            "contempt" => Role::Contempt,
            "anchor" => Role::Anchor,
            _ => return None,
        })
    }
}

/// Where a term may sit inside a compound word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compound {
    /// Only as a whole word.
    None,
    /// May be followed by more letters (the term starts a compound).
    First,
    /// May be preceded by more letters (the term ends a compound).
    Last,
    /// Either or both.
    Both,
}

impl Compound {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "none" => Compound::None,
            "first" => Compound::First,
            "last" => Compound::Last,
            "both" => Compound::Both,
            _ => return None,
        })
    }

    fn allows_letters_before(self) -> bool {
        matches!(self, Compound::Last | Compound::Both)
    }

    fn allows_letters_after(self) -> bool {
        matches!(self, Compound::First | Compound::Both)
    }
}

/// Which inflected forms of a term to generate, so lists hold base forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inflection {
    /// Only the term as written.
    Exact,
    /// First declension: `råtta` → `råttan`, `råttor`, `råttorna`.
    NounOr,
    /// Second declension: `hund` → `hunden`, `hundar`, `hundarna`.
    NounAr,
    /// Third declension: `parasit` → `parasiten`, `parasiter`, `parasiterna`.
    NounEr,
    /// Neuter with unchanged plural: `svin` → `svinet`, `svinen`.
    NounEtt,
    /// First conjugation: `döda` → `dödar`, `dödade`, `dödat`, `dödas`.
    VerbAr,
    /// Second conjugation: `bränna` → `bränn`, `bränner`, `brände`, `bränt`.
    VerbEr,
    /// Adjective: `äcklig` → `äckligt`, `äckliga`.
    Adjective,
    /// Irregular: the listed forms in addition to the term.
    Forms(Vec<String>),
}

impl Inflection {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        if let Some(forms) = text.strip_prefix("forms:") {
            let forms: Vec<String> = forms
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect();
            return (!forms.is_empty()).then_some(Inflection::Forms(forms));
        }
        Some(match text {
            "exact" => Inflection::Exact,
            "noun-or" => Inflection::NounOr,
            "noun-ar" => Inflection::NounAr,
            "noun-er" => Inflection::NounEr,
            "noun-ett" => Inflection::NounEtt,
            "verb-ar" => Inflection::VerbAr,
            "verb-er" => Inflection::VerbEr,
            "adj" => Inflection::Adjective,
            _ => return None,
        })
    }

    /// Every written form of `term`, the term itself first.
    pub fn forms(&self, term: &str) -> Vec<String> {
        if let Inflection::Forms(forms) = self {
            let mut all = vec![term.to_owned()];
            all.extend(forms.iter().cloned());
            return all;
        }
        let (head, word, tail) = match self {
            Inflection::VerbAr | Inflection::VerbEr | Inflection::Adjective => {
                split_first_word(term)
            }
            _ => split_last_word(term),
        };
        let words = match self {
            Inflection::Exact | Inflection::Forms(_) => vec![word.to_owned()],
            Inflection::NounOr => with_genitives(noun_or(word)),
            Inflection::NounAr => with_genitives(noun_ar(word)),
            Inflection::NounEr => with_genitives(noun_er(word)),
            Inflection::NounEtt => with_genitives(noun_ett(word)),
            Inflection::VerbAr => verb_ar(word),
            Inflection::VerbEr => verb_er(word),
            Inflection::Adjective => vec![
                word.to_owned(),
                format!("{word}t"),
                format!("{word}a"),
                format!("{word}e"),
            ],
        };
        words
            .into_iter()
            .map(|w| format!("{head}{w}{tail}"))
            .collect()
    }
}

/// A verb of more than one word with the subject after its first word, as
/// Swedish puts it after a fronted clause (`så sticker jag ner honom`,
/// `då slår vi ihjäl er`): one form per subject pronoun.
fn with_inverted_subject(form: &str) -> Vec<String> {
    let Some((verb, rest)) = form.split_once(' ') else {
        return Vec::new();
    };
    INVERTED_SUBJECTS
        .iter()
        .map(|subject| format!("{verb} {subject} {rest}"))
        .collect()
}

/// The subjects that stand between a verb and its particle after a fronted
/// clause. Grammar, not vocabulary: they stay with the code that inflects.
pub(crate) const INVERTED_SUBJECTS: &[&str] = &[
    "jag", "ja", "vi", "du", "ni", "han", "hon", "hen", "de", "dom", "man",
];

fn split_first_word(term: &str) -> (&str, &str, &str) {
    match term.find(' ') {
        Some(at) => ("", &term[..at], &term[at..]),
        None => ("", term, ""),
    }
}

fn split_last_word(term: &str) -> (&str, &str, &str) {
    match term.rfind(' ') {
        Some(at) => (&term[..=at], &term[at + 1..], ""),
        None => ("", term, ""),
    }
}

fn with_genitives(forms: Vec<String>) -> Vec<String> {
    let genitives: Vec<String> = forms
        .iter()
        .filter(|f| !f.ends_with('s'))
        .map(|f| format!("{f}s"))
        .collect();
    forms.into_iter().chain(genitives).collect()
}

fn without_final_vowel(word: &str) -> &str {
    word.strip_suffix(['a', 'e']).unwrap_or(word)
}

fn noun_or(word: &str) -> Vec<String> {
    let stem = without_final_vowel(word);
    vec![
        word.to_owned(),
        format!("{word}n"),
        format!("{stem}or"),
        format!("{stem}orna"),
    ]
}

fn noun_ar(word: &str) -> Vec<String> {
    let stem = without_final_vowel(word);
    let definite = if word.ends_with('e') {
        format!("{word}n")
    } else {
        format!("{word}en")
    };
    vec![
        word.to_owned(),
        definite,
        format!("{stem}ar"),
        format!("{stem}arna"),
    ]
}

fn noun_er(word: &str) -> Vec<String> {
    if word.ends_with('e') {
        return vec![
            word.to_owned(),
            format!("{word}n"),
            format!("{word}r"),
            format!("{word}rna"),
        ];
    }
    vec![
        word.to_owned(),
        format!("{word}en"),
        format!("{word}er"),
        format!("{word}erna"),
    ]
}

fn noun_ett(word: &str) -> Vec<String> {
    if word.ends_with(['a', 'e', 'i', 'o', 'u', 'y', 'å', 'ä', 'ö']) {
        return vec![
            word.to_owned(),
            format!("{word}t"),
            format!("{word}n"),
            format!("{word}na"),
        ];
    }
    vec![word.to_owned(), format!("{word}et"), format!("{word}en")]
}

fn verb_ar(word: &str) -> Vec<String> {
    vec![
        word.to_owned(),
        format!("{word}r"),
        format!("{word}de"),
        format!("{word}t"),
        format!("{word}s"),
        format!("{word}des"),
        format!("{word}ts"),
        format!("{word}nde"),
    ]
}

fn verb_er(word: &str) -> Vec<String> {
    let stem = word.strip_suffix('a').unwrap_or(word);
    let single = single_final_consonant(stem);
    let voiceless = stem.ends_with(['k', 'p', 't', 's', 'x']);
    let ends_in_dental = stem.ends_with(['d', 't']) && stem.chars().count() > 1;
    let (past, supine) = if ends_in_dental {
        let without = &stem[..stem.len() - 1];
        (format!("{stem}e"), format!("{}t", without))
    } else if voiceless {
        (format!("{single}te"), format!("{single}t"))
    } else {
        (format!("{single}de"), format!("{single}t"))
    };
    vec![
        word.to_owned(),
        stem.to_owned(),
        format!("{stem}er"),
        format!("{stem}s"),
        format!("{word}s"),
        past.clone(),
        format!("{past}s"),
        supine.clone(),
        format!("{supine}s"),
        format!("{word}nde"),
    ]
}

/// `bränn` → `brän`, so the past tense is `brände`, not `brännde`.
fn single_final_consonant(stem: &str) -> &str {
    let mut chars = stem.chars().rev();
    match (chars.next(), chars.next()) {
        (Some(last), Some(before)) if last == before => &stem[..stem.len() - last.len_utf8()],
        _ => stem,
    }
}

/// A fault in the text of a list, the same for every kind of list
/// (illegal-content terms, art. 9 terms, service phrases, media hashes).
#[derive(Debug, thiserror::Error)]
pub enum ListFormatError {
    /// A line breaks the format; fix that line.
    #[error("{file}, line {line}: {reason}")]
    BadLine {
        file: String,
        line: usize,
        reason: String,
    },
    /// A list does not say where it comes from or under which licence.
    #[error(
        "{file}: the provenance header `# {header}:` is missing; every word list must say where it comes from and under which licence"
    )]
    MissingProvenance { file: String, header: &'static str },
}

impl ListFormatError {
    /// The same fault with the list named by its path in `dir`.
    pub(crate) fn in_folder(self, dir: &Path) -> Self {
        let path = |file: String| dir.join(file).display().to_string();
        match self {
            Self::BadLine { file, line, reason } => Self::BadLine {
                file: path(file),
                line,
                reason,
            },
            Self::MissingProvenance { file, header } => Self::MissingProvenance {
                file: path(file),
                header,
            },
        }
    }
}

/// Why a word list cannot be used; each variant names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The list's text breaks the format (a line, the header).
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// The file name is neither a category, `allow`, nor a known domain list.
    #[error(
        "{file}: unknown word list; name it after a category (e.g. olaga_hot.txt), allow.txt, or domains/piracy.txt or domains/gore.txt"
    )]
    UnknownList { file: String },
    /// The word-list folder or a file in it cannot be read.
    #[error("cannot read the word lists at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The automaton cannot be built (too many or too long patterns).
    #[error("cannot compile the word lists into one automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
}

impl LexiconError {
    /// The same error with the list named by its path in `dir`.
    fn in_folder(self, dir: &Path) -> Self {
        let path = |file: String| dir.join(file).display().to_string();
        match self {
            LexiconError::Format(fault) => LexiconError::Format(fault.in_folder(dir)),
            LexiconError::UnknownList { file } => LexiconError::UnknownList { file: path(file) },
            other => other,
        }
    }
}

/// One term line of a word list, as the detectors see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexEntry {
    /// The list the term comes from, e.g. `sv/olaga_hot.txt`.
    pub list: String,
    /// The line in that list, for appeals and list maintenance.
    pub line: usize,
    /// Stable rule id of the list and role, e.g. `lex.sv.olaga_hot.violence`.
    pub rule: String,
    /// The category of the list.
    pub category: Category,
    /// What the term is to the detectors.
    pub role: Role,
    /// How sure a match of the term alone is.
    pub confidence: Confidence,
    /// Where the term may sit inside a compound.
    pub compound: Compound,
}

/// A term found in a comment's normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexMatch<'a> {
    /// Byte offset in the normalised text where the match starts.
    pub start: usize,
    /// Byte offset in the normalised text where the match ends.
    pub end: usize,
    /// The list line that matched.
    pub entry: &'a LexEntry,
}

/// What an automaton pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Term(usize),
    Allow,
}

/// The kinds of domain lists the detectors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DomainKind {
    /// Sites that spread unlicensed copies (upphovsrättslagen).
    Piracy,
    /// Sites that spread depictions of gross violence (BrB 16:10 c).
    Gore,
}

impl DomainKind {
    fn from_stem(stem: &str) -> Option<Self> {
        match stem {
            "piracy" => Some(DomainKind::Piracy),
            "gore" => Some(DomainKind::Gore),
            _ => None,
        }
    }
}

/// Every compiled word list; immutable once built.
#[derive(Debug, Clone)]
pub struct Lexicon {
    automaton: AhoCorasick,
    targets: Vec<Target>,
    entries: Vec<LexEntry>,
    domains: Vec<(String, DomainKind)>,
}

/// The repository's word lists, compiled into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    ("sv/allow.txt", include_str!("../../wordlists/sv/allow.txt")),
    (
        "sv/barnpornografi.txt",
        include_str!("../../wordlists/sv/barnpornografi.txt"),
    ),
    (
        "sv/hets_mot_folkgrupp.txt",
        include_str!("../../wordlists/sv/hets_mot_folkgrupp.txt"),
    ),
    (
        "sv/olaga_hot.txt",
        include_str!("../../wordlists/sv/olaga_hot.txt"),
    ),
    (
        "sv/olaga_integritetsintrang.txt",
        include_str!("../../wordlists/sv/olaga_integritetsintrang.txt"),
    ),
    (
        "sv/olaga_valdsskildring.txt",
        include_str!("../../wordlists/sv/olaga_valdsskildring.txt"),
    ),
    (
        "sv/terror_uppmaning.txt",
        include_str!("../../wordlists/sv/terror_uppmaning.txt"),
    ),
    (
        "sv/upphovsratt.txt",
        include_str!("../../wordlists/sv/upphovsratt.txt"),
    ),
    (
        "sv/uppvigling.txt",
        include_str!("../../wordlists/sv/uppvigling.txt"),
    ),
    (
        "domains/gore.txt",
        include_str!("../../wordlists/domains/gore.txt"),
    ),
    (
        "domains/piracy.txt",
        include_str!("../../wordlists/domains/piracy.txt"),
    ),
];

impl Lexicon {
    /// The repository's `wordlists/`, compiled into the binary so the
    /// service works without the folder.
    pub fn embedded() -> Result<Self, LexiconError> {
        let mut builder = LexiconBuilder::new();
        builder.add_embedded()?;
        builder.build()
    }

    /// The repository's lists with a city's own from `<dir>/<language>/*.txt`
    /// and `<dir>/domains/*.txt` over them: a city's list adds its lines to
    /// the built-in list of the same name, or replaces that list when its
    /// header has the line `# mode: replace`; a built-in list the folder
    /// lacks stays. Errors name each city file by its path.
    pub fn with_overlay(dir: &Path) -> Result<Self, LexiconError> {
        let city = read_lists(dir)?;
        let replaced: HashSet<&str> = city
            .iter()
            .filter(|(_, contents)| replaces_builtin(contents))
            .map(|(name, _)| name.as_str())
            .collect();
        let mut builder = LexiconBuilder::new();
        for (name, contents) in EMBEDDED {
            if !replaced.contains(name) {
                builder.add_list(name, contents)?;
            }
        }
        for (name, contents) in &city {
            builder
                .add_list(name, contents)
                .map_err(|e| e.in_folder(dir))?;
        }
        builder.build()
    }

    /// Loads `<dir>/<language>/*.txt` and `<dir>/domains/*.txt` alone,
    /// without the built-in lists (to compare a folder with them).
    /// Errors name each file by its path (`<dir>/sv/olaga_hot.txt`), so an
    /// operator can open the very file.
    pub fn load_dir(dir: &Path) -> Result<Self, LexiconError> {
        let mut builder = LexiconBuilder::new();
        for (name, contents) in read_lists(dir)? {
            builder
                .add_list(&name, &contents)
                .map_err(|e| e.in_folder(dir))?;
        }
        builder.build()
    }

    /// Every term match in `normalized.text`, left to right, allowed words
    /// and word boundaries applied.
    pub fn matches<'a>(&'a self, normalized: &'a Normalized) -> LexMatches<'a> {
        LexMatches {
            lexicon: self,
            text: &normalized.text,
            position: 0,
        }
    }

    /// The kind of list `host` (or a parent domain of it) is on, if any.
    pub fn listed_domain(&self, host: &str) -> Option<DomainKind> {
        let host = host.trim_end_matches('.').to_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let mut candidate = host;
        loop {
            if let Some((_, kind)) = self.domains.iter().find(|(d, _)| d == candidate) {
                return Some(*kind);
            }
            match candidate.find('.') {
                Some(dot) => candidate = &candidate[dot + 1..],
                None => return None,
            }
        }
    }

    /// How many term lines the lexicon holds (for start-up logs and tests).
    pub fn term_count(&self) -> usize {
        self.entries.len()
    }
}

fn read_lists(dir: &Path) -> Result<Vec<(String, String)>, LexiconError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LexiconError::Io { path, source }
    };
    let mut lists = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(io(&folder))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for file in files {
            let contents = std::fs::read_to_string(&file).map_err(io(&file))?;
            let name = file
                .strip_prefix(dir)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            lists.push((name, contents));
        }
    }
    Ok(lists)
}

/// Iterator over the term matches of one text; see [`Lexicon::matches`].
pub struct LexMatches<'a> {
    lexicon: &'a Lexicon,
    text: &'a str,
    position: usize,
}

impl<'a> Iterator for LexMatches<'a> {
    type Item = LexMatch<'a>;

    fn next(&mut self) -> Option<LexMatch<'a>> {
        while self.position < self.text.len() {
            let input = Input::new(self.text).range(self.position..);
            let found = self.lexicon.automaton.find(input)?;
            let (start, end) = (found.start(), found.end());
            let target = self.lexicon.targets.get(found.pattern().as_usize())?;
            match *target {
                Target::Allow if letter_before(self.text, start) => {
                    self.position = next_char(self.text, start);
                }
                Target::Allow => self.position = end,
                Target::Term(index) => {
                    let entry = self.lexicon.entries.get(index)?;
                    if within_boundaries(self.text, start, end, entry.compound) {
                        self.position = end;
                        return Some(LexMatch { start, end, entry });
                    }
                    self.position = next_char(self.text, start);
                }
            }
        }
        None
    }
}

fn letter_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn letter_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// The byte index of the character after the one at `at` (shared with the
/// art. 9 term automaton).
pub(crate) fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

/// Does a match at `start..end` respect the word boundaries its `compound`
/// column demands? Shared with the art. 9 term automaton.
pub(crate) fn within_boundaries(text: &str, start: usize, end: usize, compound: Compound) -> bool {
    (compound.allows_letters_before() || !letter_before(text, start))
        && (compound.allows_letters_after() || !letter_after(text, end))
}

/// Reads word lists and compiles them; see the module documentation.
#[derive(Debug, Default)]
pub struct LexiconBuilder {
    patterns: Vec<String>,
    targets: Vec<Target>,
    seen: HashSet<String>,
    entries: Vec<LexEntry>,
    domains: Vec<(String, DomainKind)>,
}

/// Which kind of file a list name denotes.
enum ListKind {
    Terms {
        language: String,
        category: Category,
    },
    Allow,
    Domains(DomainKind),
}

impl LexiconBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the repository's lists compiled into the binary, so a city can
    /// extend them with its own instead of replacing them.
    pub fn add_embedded(&mut self) -> Result<&mut Self, LexiconError> {
        for (name, contents) in EMBEDDED {
            self.add_list(name, contents)?;
        }
        Ok(self)
    }

    /// How many automaton patterns (inflected forms) have been added; the
    /// benchmark reports it.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Adds one list; `name` is its path under `wordlists/` (e.g.
    /// `sv/olaga_hot.txt`) and decides what kind of list it is.
    pub fn add_list(&mut self, name: &str, contents: &str) -> Result<&mut Self, LexiconError> {
        let kind = list_kind(name)?;
        require_provenance(name, contents)?;
        for (number, line) in entry_lines(contents) {
            let bad = |reason: String| ListFormatError::BadLine {
                file: name.to_owned(),
                line: number,
                reason,
            };
            match &kind {
                ListKind::Terms { language, category } => {
                    self.add_term_line(name, language, *category, number, line)
                        .map_err(bad)?;
                }
                ListKind::Allow => self.add_allow_line(line).map_err(bad)?,
                ListKind::Domains(kind) => self.add_domain_line(*kind, line).map_err(bad)?,
            }
        }
        Ok(self)
    }

    fn add_term_line(
        &mut self,
        list: &str,
        language: &str,
        category: Category,
        line: usize,
        text: &str,
    ) -> Result<(), String> {
        let TermColumns {
            term,
            inflection,
            role,
            confidence,
            compound,
        } = term_columns(text)?;
        let role = Role::parse(role).ok_or_else(|| format!("unknown role `{role}`"))?;
        check_term_is_specific(term, &inflection)?;
        let index = self.entries.len();
        self.entries.push(LexEntry {
            list: list.to_owned(),
            line,
            rule: format!("lex.{language}.{}.{}", category.as_str(), role_name(role)),
            category,
            role,
            confidence,
            compound,
        });
        let mut forms = inflection.forms(term);
        // `så kör jag över dig`: a call to run people down is a verb too.
        if matches!(role, Role::Violence | Role::TerrorCall) && language == "sv" {
            forms.extend(
                forms
                    .iter()
                    .flat_map(|form| with_inverted_subject(form))
                    .collect::<Vec<_>>(),
            );
        }
        for form in forms {
            let form = key(&form);
            if let Some(plain) = without_swedish_letters(&form) {
                self.push_pattern(plain, Target::Term(index));
            }
            self.push_pattern(form, Target::Term(index));
        }
        Ok(())
    }

    fn add_allow_line(&mut self, text: &str) -> Result<(), String> {
        let (word, comment) = two_columns(text)?;
        if key(word).chars().filter(|c| c.is_alphabetic()).count() < MIN_TERM_LETTERS {
            return Err(format!(
                "an allowed word needs at least {MIN_TERM_LETTERS} letters"
            ));
        }
        if comment.is_empty() {
            return Err("the comment column is empty; say why the word is allowed".to_owned());
        }
        self.push_pattern(key(word), Target::Allow);
        Ok(())
    }

    fn add_domain_line(&mut self, kind: DomainKind, text: &str) -> Result<(), String> {
        let (domain, comment) = two_columns(text)?;
        let domain = domain.to_lowercase();
        let well_formed = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if !well_formed {
            return Err(format!("`{domain}` is not a domain name like example.com"));
        }
        if comment.is_empty() {
            return Err("the comment column is empty; say what the site is".to_owned());
        }
        self.domains.push((domain, kind));
        Ok(())
    }

    /// Generated forms of different terms may coincide; the first list line
    /// keeps the form, so the result does not depend on pattern order.
    fn push_pattern(&mut self, pattern: String, target: Target) {
        if pattern.is_empty() || !self.seen.insert(pattern.clone()) {
            return;
        }
        self.patterns.push(pattern);
        self.targets.push(target);
    }

    /// Compiles every added list into one automaton.
    pub fn build(self) -> Result<Lexicon, LexiconError> {
        let automaton = term_automaton(&self.patterns)?;
        Ok(Lexicon {
            automaton,
            targets: self.targets,
            entries: self.entries,
            domains: self.domains,
        })
    }
}

/// The columns of a term line (see the module documentation), with the
/// ones every term list shares parsed; the role is left to the list's own
/// set of roles (illegal content here, art. 9 in `sensitive/terms.rs`).
pub(crate) struct TermColumns<'a> {
    pub(crate) term: &'a str,
    pub(crate) inflection: Inflection,
    pub(crate) role: &'a str,
    pub(crate) confidence: Confidence,
    pub(crate) compound: Compound,
}

/// Splits and checks a term line; the error says what is wrong with it.
pub(crate) fn term_columns(text: &str) -> Result<TermColumns<'_>, String> {
    let columns: Vec<&str> = text.split('\t').map(str::trim).collect();
    let [term, inflection, role, confidence, compound, comment] = columns[..] else {
        return Err(format!(
            "expected 6 TAB-separated columns (term, inflection, role, confidence, compound, comment), found {}",
            columns.len()
        ));
    };
    if term.is_empty() {
        return Err("the term is empty".to_owned());
    }
    if comment.is_empty() {
        return Err("the comment column is empty; say what the term is".to_owned());
    }
    let inflection = Inflection::parse(inflection).ok_or_else(|| {
        format!(
            "unknown inflection `{inflection}` (exact, noun-or, noun-ar, noun-er, noun-ett, verb-ar, verb-er, adj, forms:a,b)"
        )
    })?;
    let confidence = parse_confidence(confidence).ok_or_else(|| {
        format!("unknown confidence `{confidence}` (possible, probable, obvious)")
    })?;
    let compound = Compound::parse(compound)
        .ok_or_else(|| format!("unknown compound `{compound}` (none, first, last, both)"))?;
    Ok(TermColumns {
        term,
        inflection,
        role,
        confidence,
        compound,
    })
}

fn list_kind(name: &str) -> Result<ListKind, LexiconError> {
    let unknown = || LexiconError::UnknownList {
        file: name.to_owned(),
    };
    let path = name.strip_suffix(".txt").ok_or_else(unknown)?;
    let (folder, stem) = path.rsplit_once('/').ok_or_else(unknown)?;
    if folder == "domains" {
        return DomainKind::from_stem(stem)
            .map(ListKind::Domains)
            .ok_or_else(unknown);
    }
    if stem == "allow" {
        return Ok(ListKind::Allow);
    }
    let category = category_named(stem).ok_or_else(unknown)?;
    Ok(ListKind::Terms {
        language: folder.to_owned(),
        category,
    })
}

/// Whether a city's list replaces the built-in list of its name: its
/// header has the line `# mode: replace`. Without it a city's list adds to
/// the built-in one, so no rule loses the words it needs because a city
/// wrote a few of its own (shared by every list loader).
pub(crate) fn replaces_builtin(contents: &str) -> bool {
    contents.lines().any(|line| {
        line.strip_prefix('#')
            .map(str::trim)
            .and_then(|rest| rest.strip_prefix("mode:"))
            .is_some_and(|value| value.trim() == "replace")
    })
}

/// The files of a city's list folder, sorted by name so that errors and
/// overlays come in the same order on every machine (shared by the list
/// loaders).
pub(crate) fn list_files(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

/// Refuses a list without its provenance header (shared by every list
/// loader).
pub(crate) fn require_provenance(name: &str, contents: &str) -> Result<(), ListFormatError> {
    match missing_provenance(contents) {
        Some(header) => Err(ListFormatError::MissingProvenance {
            file: name.to_owned(),
            header,
        }),
        None => Ok(()),
    }
}

/// The provenance header (`# source:` or `# licence:`) a list lacks, if
/// any: every list, the city's own too, says where it comes from.
fn missing_provenance(contents: &str) -> Option<&'static str> {
    ["source", "licence"].into_iter().find(|header| {
        !contents.lines().any(|line| {
            line.strip_prefix('#')
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix(header))
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|value| !value.trim().is_empty())
        })
    })
}

/// The lines of a list that carry an entry, with their 1-based numbers
/// for error messages: blank lines and `#` comments are skipped.
pub(crate) fn entry_lines(contents: &str) -> impl Iterator<Item = (usize, &str)> {
    contents
        .lines()
        .enumerate()
        .map(|(index, raw)| (index + 1, raw.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

/// The form written without å, ä and ö (`doda` for `döda`), as on a
/// keyboard without them or in leetspeak (`d0da`); only for forms of at
/// least [`MIN_PLAIN_LETTERS`] letters, since short ones (`bog`) are often
/// other words.
fn without_swedish_letters(form: &str) -> Option<String> {
    if !form.contains(['å', 'ä', 'ö']) {
        return None;
    }
    let plain: String = form
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            other => other,
        })
        .collect();
    (plain.chars().filter(|c| c.is_alphabetic()).count() >= MIN_PLAIN_LETTERS).then_some(plain)
}

/// See [`without_swedish_letters`].
const MIN_PLAIN_LETTERS: usize = 4;

fn two_columns(text: &str) -> Result<(&str, &str), String> {
    let columns: Vec<&str> = text.split('\t').map(str::trim).collect();
    match columns[..] {
        [first, comment] if !first.is_empty() => Ok((first, comment)),
        _ => Err(format!(
            "expected 2 TAB-separated columns (word, comment), found {}",
            columns.len()
        )),
    }
}

fn check_term_is_specific(term: &str, inflection: &Inflection) -> Result<(), String> {
    let letters = key(term).chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return Err("the term has no letters and would match numbers or punctuation".to_owned());
    }
    if letters < MIN_TERM_LETTERS && *inflection != Inflection::Exact {
        return Err(format!(
            "the term has fewer than {MIN_TERM_LETTERS} letters and would match almost anything; use `exact` if it must be listed"
        ));
    }
    Ok(())
}

/// `possible`, `probable` or `obvious`, as in a list's confidence column.
fn parse_confidence(name: &str) -> Option<Confidence> {
    match name {
        "possible" => Some(Confidence::Possible),
        "probable" => Some(Confidence::Probable),
        "obvious" => Some(Confidence::Obvious),
        _ => None,
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Slur => "slur",
        Role::Group => "group",
        Role::Dehumanising => "dehumanising",
        Role::Violence => "violence",
        Role::Weapon => "weapon",
        Role::ThreatPhrase => "threat_phrase",
        Role::Incitement => "incitement",
        Role::Damage => "damage",
        Role::CsamIndicator => "csam_indicator",
        Role::CsamTerm => "csam_term",
        Role::Minor => "minor",
        Role::Gore => "gore",
        Role::ViolentEvent => "violent_event",
        Role::PrivateFact => "private_fact",
        Role::Intimate => "intimate",
        Role::IntimateSetting => "intimate_setting",
        Role::TerrorOrganisation => "terror_organisation",
        Role::TerrorCall => "terror_call",
        Role::TerrorFraming => "terror_framing",
        Role::Piracy => "piracy",
        Role::Work => "work",
        Role::Contempt => "contempt",
        Role::Anchor => "anchor",
    }
}

/// Up to this many patterns, word lists are compiled into a DFA: two to
/// three times faster to search than the compact automaton, at ten times
/// the memory (≈ 15 MB for 18 000 patterns, ≈ 80 MB for 170 000, measured
/// with `AhoCorasick::memory_usage`). Beyond it the memory would outgrow
/// what a city's server should give one word list, so the compact
/// automaton is used; both search in one pass whatever the list's length.
const DFA_MAX_PATTERNS: usize = 100_000;

/// One automaton over every pattern, leftmost-longest (shared by the
/// illegal-content lexicon and the art. 9 term lists).
pub(crate) fn term_automaton(patterns: &[String]) -> Result<AhoCorasick, aho_corasick::BuildError> {
    let kind = if patterns.len() <= DFA_MAX_PATTERNS {
        AhoCorasickKind::DFA
    } else {
        AhoCorasickKind::ContiguousNFA
    };
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind))
        .build(patterns)
}

/// The category a list file is named after.
pub(crate) fn category_named(stem: &str) -> Option<Category> {
    Category::from_name(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# source: written for kommentarsvakt\n# licence: EUPL-1.2\n";

    fn lexicon(lists: &[(&str, &str)]) -> Lexicon {
        let mut builder = LexiconBuilder::new();
        for (name, body) in lists {
            builder
                .add_list(name, &format!("{HEADER}{body}"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        builder.build().unwrap_or_else(|e| panic!("{e}"))
    }

    fn found(lexicon: &Lexicon, text: &str) -> Vec<String> {
        let normalized = Normalized::new(text);
        lexicon
            .matches(&normalized)
            .map(|m| {
                let (from, to) = normalized.original_span(m.start, m.end);
                text[from..to].to_owned()
            })
            .collect()
    }

    fn error_of(name: &str, body: &str) -> String {
        let mut builder = LexiconBuilder::new();
        match builder.add_list(name, body) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn inflection_classes_generate_the_swedish_forms() {
        let cases: &[(&str, Inflection, &[&str])] = &[
            (
                "råtta",
                Inflection::NounOr,
                &["råttan", "råttor", "råttorna", "råttornas"],
            ),
            (
                "svartskalle",
                Inflection::NounAr,
                &["svartskallen", "svartskallar", "svartskallarna"],
            ),
            (
                "parasit",
                Inflection::NounEr,
                &["parasiten", "parasiter", "parasiterna"],
            ),
            ("svin", Inflection::NounEtt, &["svinet", "svinen", "svins"]),
            (
                "döda",
                Inflection::VerbAr,
                &["dödar", "dödade", "dödat", "dödas"],
            ),
            (
                "bränna",
                Inflection::VerbEr,
                &["bränn", "bränner", "brände", "bränt", "brännas"],
            ),
            (
                "spränga",
                Inflection::VerbEr,
                &["spräng", "spränger", "sprängde", "sprängt"],
            ),
            ("köpa", Inflection::VerbEr, &["köper", "köpte", "köpt"]),
            (
                "slå ihjäl",
                Inflection::Forms(vec!["slår ihjäl".into(), "slog ihjäl".into()]),
                &["slå ihjäl", "slog ihjäl"],
            ),
            ("skjuta ner", Inflection::VerbEr, &["skjuter ner"]),
            ("äcklig", Inflection::Adjective, &["äckligt", "äckliga"]),
        ];
        for (term, inflection, expected) in cases {
            let forms = inflection.forms(term);
            for form in *expected {
                assert!(
                    forms.iter().any(|f| f == form),
                    "{term} {inflection:?} lacks {form}: {forms:?}"
                );
            }
        }
    }

    #[test]
    fn terms_match_whole_words_and_allowed_compounds_only() {
        let lexicon = lexicon(&[
            (
                "sv/olaga_hot.txt",
                "slakta\tverb-ar\tviolence\tprobable\tnone\tto slaughter\n\
                 kniv\tnoun-ar\tweapon\tpossible\tboth\tknife\n",
            ),
            (
                "sv/hets_mot_folkgrupp.txt",
                "neger\tforms:negern,negrer,negrerna\tslur\tprobable\tboth\tslur\n",
            ),
            (
                "sv/allow.txt",
                "slakthus\tSlakthusområdet, a district\nnegera\tto negate\n",
            ),
        ]);
        let cases: &[(&str, &[&str])] = &[
            ("de ska slakta oss", &["slakta"]),
            ("de SLAKTADE dem", &["SLAKTADE"]),
            ("möt mig vid Slakthusområdet", &[]),
            ("slakteriet stänger", &[]),
            ("köttknivar säljs här", &["knivar"]),
            ("en k n i v", &["k n i v"]),
            ("negerjävel", &["neger"]),
            ("vi måste negera påståendet", &[]),
            ("satsen negerades", &[]),
            ("😀 Ärligt, n3g3r", &["n3g3r"]),
            ("Niger och Nigeria", &[]),
            ("SLAKTADE", &["SLAKTADE"]),
        ];
        for (text, expected) in cases {
            assert_eq!(&found(&lexicon, text), expected, "in {text:?}");
        }
    }

    #[test]
    fn compound_tails_match_but_parts_of_words_do_not() {
        let lexicon = lexicon(&[(
            "sv/olaga_hot.txt",
            "döda\tverb-ar\tviolence\tprobable\tnone\tto kill\n\
             dödades\texact\tviolence\tprobable\tnone\tpassive\n\
             kniv\tnoun-ar\tweapon\tpossible\tlast\tknife\n",
        )]);
        assert_eq!(found(&lexicon, "brödkniv"), vec!["kniv"]);
        assert_eq!(found(&lexicon, "xdödadesx"), Vec::<String>::new());
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line() {
        let cases = [
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}\nok\n"),
                "sv/olaga_hot.txt, line 4: expected 6",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}\t\texact\tviolence\tprobable\tnone\tx\n"),
                "line 3: expected 6",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER} \texact\tviolence\tprobable\tnone\tx\n"),
                "line 3: the term is empty",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}dö\tverb-ar\tviolence\tprobable\tnone\tx\n"),
                "fewer than 3 letters",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}123\texact\tviolence\tprobable\tnone\tx\n"),
                "no letters",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}döda\tverb-xx\tviolence\tprobable\tnone\tx\n"),
                "unknown inflection",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}döda\tverb-ar\tkill\tprobable\tnone\tx\n"),
                "unknown role",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}döda\tverb-ar\tviolence\tsure\tnone\tx\n"),
                "unknown confidence",
            ),
            (
                "sv/olaga_hot.txt",
                format!("{HEADER}döda\tverb-ar\tviolence\tprobable\tnone\t\n"),
                "comment column is empty",
            ),
            (
                "sv/olaga_hot.txt",
                "döda\tverb-ar\tviolence\tprobable\tnone\tx\n".to_owned(),
                "`# source:` is missing",
            ),
            (
                "sv/olaga_hot.txt",
                "# source: x\n".to_owned(),
                "`# licence:` is missing",
            ),
            ("sv/okand.txt", HEADER.to_owned(), "unknown word list"),
            (
                "domains/piracy.txt",
                format!("{HEADER}not a domain\tx\n"),
                "not a domain name",
            ),
            (
                "sv/allow.txt",
                format!("{HEADER}ab\tx\n"),
                "at least 3 letters",
            ),
        ];
        for (name, body, expected) in cases {
            let error = error_of(name, &body);
            assert!(
                error.contains(expected),
                "{name} {body:?}: got {error:?}, expected {expected:?}"
            );
        }
        assert!(
            error_of(
                "sv/olaga_hot.txt",
                &format!("{HEADER}is\texact\tviolence\tprobable\tnone\tshort but exact\n")
            )
            .is_empty()
        );
    }

    #[test]
    fn domains_match_the_listed_domain_and_its_subdomains() {
        let lexicon = lexicon(&[("domains/piracy.txt", "piratsajt.example\ttest site\n")]);
        assert_eq!(
            lexicon.listed_domain("piratsajt.example"),
            Some(DomainKind::Piracy)
        );
        assert_eq!(
            lexicon.listed_domain("WWW.piratsajt.example"),
            Some(DomainKind::Piracy)
        );
        assert_eq!(
            lexicon.listed_domain("cdn.piratsajt.example"),
            Some(DomainKind::Piracy)
        );
        assert_eq!(lexicon.listed_domain("intepiratsajt.example"), None);
        assert_eq!(lexicon.listed_domain("example"), None);
    }

    #[test]
    fn the_embedded_lists_compile_and_match_the_folder() {
        let embedded = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("wordlists");
        let loaded = Lexicon::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(embedded.term_count() > 100, "{}", embedded.term_count());
        assert_eq!(embedded.term_count(), loaded.term_count());
    }
}
