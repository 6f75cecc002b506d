//! A trained linear classifier for attacks (hets mot folkgrupp, olaga hot,
//! olaga våldsskildring) that generalises to wording the hand rules of
//! [`super::illegal`] were never written for.
//!
//! The rules are precise but fit the text they were tuned on; a small
//! multinomial logistic regression over word and character n-grams
//! recognises new wording and masked spellings far better. It never acts
//! alone: its findings are [`Confidence::Probable`], so a person decides,
//! and the city still removes nothing lawful automatically.
//!
//! # Confirming what a rule found
//!
//! A second model of the same form, `wordlists/sv/model/obvious.tsv`, is
//! trained on the writers' `obvious` labels to tell the *unmistakable*
//! attack from everything else, including harmful text a person must judge.
//! When a rule sent an attack to review and this model is at least as sure
//! as its threshold, the rule's finding becomes [`Confidence::Obvious`] and
//! its reason says so. The threshold is the lowest from 0.70 at which, with
//! each writer of the training data held out in turn, at least 99 % of
//! automatic actions hit harmful text.
//!
//! The model reads the whole comment, and for a rule's finding also the
//! sentence that holds it, alone: an unmistakable attack in the middle of
//! a long, otherwise ordinary comment (thanks for a playground, then a call
//! to violence, then the opening hours) is no less unmistakable, and the
//! rest of the comment only dilutes a score trained mostly on short ones.
//! Not for the evidence rules (too loose to be judged without the rest of
//! the comment) nor a bare slur (whom it is aimed at, the other sentences
//! say). The reason tells the moderator which was judged.
//!
//! The model alone never makes anything automatic: a rule a person can read
//! must have found it first, and only the rules of what the project's
//! policy calls obvious (`illegal::CONFIRMABLE`: an explicit threat to kill
//! or harm a person, a call to violence against a person or a protected
//! group, a slur aimed at a group, plain, masked or compounded, its
//! dehumanisation)
//! or the evidence rules (`illegal/evidence.rs`: a word of violence or
//! death aimed at someone, kept only when this model confirms it), with
//! those a city adds in `[classify] confirm_also`. Veiled threats, wishes,
//! a slur in a list of peoples and the like stay with a person, as do
//! findings in quotation marks (quoting hate to report it is lawful), findings a guard
//! lowered, and English text (see English below). `[classify] model_acts =
//! false` keeps the models to review only.
//!
//! # English
//!
//! An English comment is read by the English rules
//! ([`super::english`]) and by a model of the same form trained on English
//! writers only, `wordlists/en/model/attack.tsv`: it sends to review, as
//! [`ENGLISH_RULE`], what the English rules found nothing of, with a reason
//! that says the English text was judged. A confirming model trained on
//! the same writers, `wordlists/en/model/obvious.tsv`, makes a review-level
//! finding of the English rules that may be made obvious
//! ([`english::confirmable`]: not a wish, a veiled phrase, a laughing
//! threat, nor a bare slur in a comment not read as English) obvious when
//! it is sure of the whole comment or, but for a bare slur, of the
//! finding's own sentence. The Swedish models never read English.
//!
//! # The weights are a word list
//!
//! The model is `wordlists/sv/model/attack.tsv`, compiled into the binary
//! like every other list, and a city may put its own copy at
//! `<wordlists_dir>/sv/model/attack.tsv`, which **replaces** the built-in
//! one (weights trained together only make sense together). Its header has
//! the provenance of every list (`# source:`, `# licence:`) and two lines
//! the model needs:
//!
//! - `# threshold: 0.62` — the probability of harm from which a comment is
//!   sent to review;
//! - `# bias: clean=1.2 incitement=-0.4 threat=-0.3 violence=-0.9`.
//!
//! A confirming model may add `# evidence_threshold: 0.85`: how sure it
//! must be to act on an evidence rule's finding, which names no offence of
//! its own (the threshold when absent).
//!
//! Every other non-comment line is `feature<TAB>class<TAB>weight`. A feature
//! is written as [`features`] computes it from the matching key
//! ([`super::normalize`]): `w:döda` (a word), `b:ska döda` (two words in a
//! row), `c:<dö` (three to five letters of one word, with `<` and `>`
//! marking its start and end — so a masked slur shares most of them with
//! its plain spelling). A malformed line is an error naming the file and
//! the line.
//!
//! # Scoring
//!
//! Each distinct feature of a comment adds its weights to the bias of each
//! class; the softmax of the sums gives the probabilities, and
//! P(harmful) = 1 − P(clean). `tools/train-model` trains the weights from
//! features printed by `kommentarsvakt classify --features`, so training
//! and scoring can never compute features differently.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use super::illegal::{
    BASIS_HETS, BASIS_HOT, BASIS_VALDSSKILDRING, PERSON_DECIDES, WORD_ALONE, confirmable,
    confirmable_in_its_sentence, needs_model, reason_names_a_guard,
};
use super::language::Language;
use super::lexicon::{ListFormatError, entry_lines, require_provenance};
use super::normalize::Normalized;
use super::sentences::Sentence;
use super::text::Text;
use super::{Detector, english};
use crate::domain::{Category, Confidence, Finding};

/// Where the model lives under a word-list folder.
pub const MODEL_FILE: &str = "sv/model/attack.tsv";

/// Where the model that confirms unmistakable attacks lives under a
/// word-list folder.
pub const OBVIOUS_FILE: &str = "sv/model/obvious.tsv";

/// Where the English attack model lives under a word-list folder.
pub const ENGLISH_MODEL_FILE: &str = "en/model/attack.tsv";

/// Where the model that confirms unmistakable English attacks lives under
/// a word-list folder.
pub const ENGLISH_OBVIOUS_FILE: &str = "en/model/obvious.tsv";

/// The rule id of the model's findings (stable, for statistics and
/// appeals; bumped when the feature set changes).
pub const RULE: &str = "model.sv.v1";

/// The rule id of the English model's findings.
pub const ENGLISH_RULE: &str = "model.en.v1";

/// The most features a reason names.
const REASON_FEATURES: usize = 5;

/// Words longer than this (links, strings of letters) give no character
/// n-grams: they would add many features that match nothing.
const MAX_GRAM_WORD_CHARS: usize = 30;

/// The shortest and longest character n-grams.
const GRAM_SIZES: std::ops::RangeInclusive<usize> = 3..=5;

const EMBEDDED: &str = include_str!("../../wordlists/sv/model/attack.tsv");
const EMBEDDED_OBVIOUS: &str = include_str!("../../wordlists/sv/model/obvious.tsv");
const EMBEDDED_ENGLISH: &str = include_str!("../../wordlists/en/model/attack.tsv");
const EMBEDDED_ENGLISH_OBVIOUS: &str = include_str!("../../wordlists/en/model/obvious.tsv");

/// The classes the model tells apart; every one but `Clean` is harmful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelClass {
    /// Nothing to act on.
    Clean,
    /// Agitation against a group: slurs, dehumanising, calls for violence.
    Incitement,
    /// A threat against a person or a group.
    Threat,
    /// Glorified or relished violence.
    Violence,
}

impl ModelClass {
    /// Every class, in the order of the weight columns.
    pub const ALL: [ModelClass; 4] = [Self::Clean, Self::Incitement, Self::Threat, Self::Violence];

    /// The name in the model file.
    pub fn name(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Incitement => "incitement",
            Self::Threat => "threat",
            Self::Violence => "violence",
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|class| class.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// What a moderator reads: "liknar hot".
    fn swedish(self) -> &'static str {
        match self {
            Self::Clean => "ofarlig text",
            Self::Incitement => "hets mot folkgrupp",
            Self::Threat => "hot",
            Self::Violence => "våldsskildring",
        }
    }

    /// The category and legal basis of a finding of this class.
    fn category(self) -> Option<(Category, &'static str)> {
        match self {
            Self::Clean => None,
            Self::Incitement => Some((Category::HetsMotFolkgrupp, BASIS_HETS)),
            Self::Threat => Some((Category::OlagaHot, BASIS_HOT)),
            Self::Violence => Some((Category::OlagaValdsskildring, BASIS_VALDSSKILDRING)),
        }
    }
}

/// Why a model file cannot be used; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A line or the header breaks the format.
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// A required header line (`# threshold:`, `# bias:`) is missing.
    #[error("{file}: the header line `# {header}:` is missing; the model needs it")]
    MissingHeader { file: String, header: &'static str },
    /// Evidence would be acted on with less certainty than a rule naming an
    /// offence, the opposite of why the line exists.
    #[error(
        "{file}: `# evidence_threshold: {evidence}` is below `# threshold: {threshold}`; \
         evidence alone must need at least the threshold"
    )]
    EvidenceBelowThreshold {
        file: String,
        evidence: f32,
        threshold: f32,
    },
    /// The city's file could not be read.
    #[error("{path}: cannot read the model: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One feature of a text, borrowed from it (no allocation per n-gram).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature<'a> {
    /// A word of the matching key.
    Word(&'a str),
    /// Two words in a row.
    Bigram(&'a str, &'a str),
    /// Three to five characters of a word padded with `<` and `>`, a run
    /// of `*` counted as one.
    Chars(&'a str),
}

impl Feature<'_> {
    /// The feature as written in the model file (`w:…`, `b:… …`, `c:…`).
    pub fn render(self) -> String {
        match self {
            Self::Word(word) => format!("w:{word}"),
            Self::Bigram(first, second) => format!("b:{first} {second}"),
            Self::Chars(gram) => format!("c:{gram}"),
        }
    }

    /// The hash of [`Self::render`], computed without building it.
    fn hash(self) -> u64 {
        let mut hash = Fnv::default();
        match self {
            Self::Word(word) => {
                hash.write(b"w:");
                hash.write(word.as_bytes());
            }
            Self::Bigram(first, second) => {
                hash.write(b"b:");
                hash.write(first.as_bytes());
                hash.write(b" ");
                hash.write(second.as_bytes());
            }
            Self::Chars(gram) => {
                hash.write(b"c:");
                hash.write(gram.as_bytes());
            }
        }
        hash.finish()
    }
}

/// FNV-1a, 64 bits: stable across runs and platforms, cheap on short keys.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds one byte (the step of [`Hasher::write`]).
    fn byte(&mut self, byte: u8) {
        self.0 ^= u64::from(byte);
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.byte(byte);
        }
    }
}

/// The keys of the feature table are hashes already.
#[derive(Debug, Default, Clone, Copy)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 << 8) | u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Calls `visit` with every feature of a matching key, in order (a feature
/// may come more than once; the model counts it once).
pub fn for_each_feature(key: &str, mut visit: impl FnMut(Feature<'_>)) {
    walk_words(key, |word, previous, padded| {
        visit(Feature::Word(word));
        if let Some(before) = previous {
            visit(Feature::Bigram(before, word));
        }
        let Some(padded) = padded else {
            return;
        };
        let bounds: Vec<usize> = padded
            .char_indices()
            .map(|(at, _)| at)
            .chain([padded.len()])
            .collect();
        let chars = bounds.len() - 1;
        for size in GRAM_SIZES {
            for start in 0..(chars + 1).saturating_sub(size) {
                visit(Feature::Chars(&padded[bounds[start]..bounds[start + size]]));
            }
        }
    });
}

/// Calls `visit` with the [`Feature::hash`] of every feature of a
/// matching key, like [`for_each_feature`] (the same multiset of hashes, in
/// another order within a word): scoring runs on every comment, and the
/// character n-grams that start at one place share their hash's prefix,
/// so each is hashed by extending the one before instead of from the start.
fn for_each_feature_hash(key: &str, mut visit: impl FnMut(u64)) {
    let mut chars_prefix = Fnv::default();
    chars_prefix.write(b"c:");
    walk_words(key, |word, previous, padded| {
        visit(Feature::Word(word).hash());
        if let Some(before) = previous {
            visit(Feature::Bigram(before, word).hash());
        }
        let Some(padded) = padded else {
            return;
        };
        for (start, _) in padded.char_indices() {
            grams_from(chars_prefix, &padded.as_bytes()[start..], &mut visit);
        }
    });
}

/// Calls `visit` with the hash of each n-gram of [`GRAM_SIZES`] at the
/// start of `rest` (the padded word from a character on), `prefix` being
/// the hash of what comes before: one pass over the bytes, the hash of
/// each size taken where its last character ends (a byte that is not a
/// UTF-8 continuation byte follows, or nothing).
fn grams_from(prefix: Fnv, rest: &[u8], visit: &mut impl FnMut(u64)) {
    let mut hash = prefix;
    let mut size = 0;
    for (at, &byte) in rest.iter().enumerate() {
        hash.byte(byte);
        let char_ends = rest
            .get(at + 1)
            .is_none_or(|next| next & 0b1100_0000 != 0b1000_0000);
        if char_ends {
            size += 1;
            if GRAM_SIZES.contains(&size) {
                visit(hash.finish());
            }
            if size == *GRAM_SIZES.end() {
                return;
            }
        }
    }
}

/// Calls `on_word` with each word of a matching key, the word before it,
/// and — unless the word is too long for letter n-grams — the word padded
/// with `<` and `>` (runs of `*` as one): the one walk both the features
/// printed for training and the hashes scored are taken from.
fn walk_words(key: &str, mut on_word: impl FnMut(&str, Option<&str>, Option<&str>)) {
    let mut padded = String::new();
    let mut previous: Option<&str> = None;
    for word in words(key) {
        // A word of no more bytes than the limit has no more characters.
        let grams =
            word.len() <= MAX_GRAM_WORD_CHARS || word.chars().nth(MAX_GRAM_WORD_CHARS).is_none();
        if grams {
            padded.clear();
            padded.push('<');
            push_masked(&mut padded, word);
            padded.push('>');
        }
        on_word(word, previous, grams.then_some(padded.as_str()));
        previous = Some(word);
    }
}

/// Appends `word` with every run of `*` as one `*`: `n**er` and `n***er`
/// are the same masked spelling, and should share their letter n-grams.
fn push_masked(buffer: &mut String, word: &str) {
    if !word.contains('*') {
        buffer.push_str(word);
        return;
    }
    for c in word.chars() {
        if !(c == '*' && buffer.ends_with('*')) {
            buffer.push(c);
        }
    }
}

/// The distinct features of a matching key as the model file writes them,
/// in order of first appearance (what `classify --features` prints for
/// training).
pub fn features(key: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for_each_feature(key, |feature| {
        let rendered = feature.render();
        if seen.insert(rendered.clone()) {
            out.push(rendered);
        }
    });
    out
}

/// The words of a matching key: runs of letters, digits and `*` (the mask
/// of `n***er`) that hold at least one letter.
fn words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !(c.is_alphanumeric() || c == '*'))
        .filter(|word| word.chars().any(char::is_alphabetic))
}

/// The compiled model: a table from feature hash to weights per class.
#[derive(Debug, Clone)]
pub struct Model {
    index: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    /// One bit per value of a hash's top [`FILTER_BITS`] bits, set for the
    /// model's features: half the n-grams of a comment are no feature, and
    /// this small table (in the fastest cache) turns most of them away
    /// before the larger `index` is read.
    filter: Vec<u64>,
    names: Vec<String>,
    weights: Vec<[f32; 4]>,
    bias: [f32; 4],
    threshold: f32,
    /// How sure a confirming model must be to act on evidence alone
    /// (`# evidence_threshold:`; the threshold when absent). Evidence rules
    /// name no offence, so the model carries more of the decision there.
    evidence_threshold: f32,
}

// The repository's models are parsed by unit tests (`the_builtin_model_parses`,
// `the_builtin_confirming_model_parses_with_a_high_threshold`), so these
// cannot fail in a released binary.
static BUILTIN: LazyLock<Arc<Model>> = LazyLock::new(|| {
    Arc::new(Model::parse(MODEL_FILE, EMBEDDED).expect("the built-in model parses"))
});
static BUILTIN_OBVIOUS: LazyLock<Arc<Model>> = LazyLock::new(|| {
    Arc::new(Model::parse(OBVIOUS_FILE, EMBEDDED_OBVIOUS).expect("the built-in model parses"))
});
static BUILTIN_ENGLISH: LazyLock<Arc<Model>> = LazyLock::new(|| {
    Arc::new(Model::parse(ENGLISH_MODEL_FILE, EMBEDDED_ENGLISH).expect("the built-in model parses"))
});
static BUILTIN_ENGLISH_OBVIOUS: LazyLock<Arc<Model>> = LazyLock::new(|| {
    Arc::new(
        Model::parse(ENGLISH_OBVIOUS_FILE, EMBEDDED_ENGLISH_OBVIOUS)
            .expect("the built-in model parses"),
    )
});

/// A text's scores: the probability of each class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Softmax probabilities in the order of [`ModelClass::ALL`].
    pub probabilities: [f32; 4],
}

impl Score {
    /// P(harmful) = 1 − P(clean).
    pub fn harmful(&self) -> f32 {
        1.0 - self.probabilities[ModelClass::Clean.index()]
    }

    /// The harmful class with the highest probability.
    pub fn top_harmful(&self) -> ModelClass {
        ModelClass::ALL[1..]
            .iter()
            .copied()
            .max_by(|a, b| self.probabilities[a.index()].total_cmp(&self.probabilities[b.index()]))
            .unwrap_or(ModelClass::Incitement)
    }
}

impl Model {
    /// The repository's model, compiled into the binary (parsed once per
    /// process and shared).
    pub fn builtin() -> Arc<Self> {
        Arc::clone(&BUILTIN)
    }

    /// The repository's model that confirms unmistakable attacks.
    pub fn builtin_obvious() -> Arc<Self> {
        Arc::clone(&BUILTIN_OBVIOUS)
    }

    /// The repository's English attack model: English comments are read by
    /// the English rules, and this model sends to review what they missed.
    pub fn builtin_english() -> Arc<Self> {
        Arc::clone(&BUILTIN_ENGLISH)
    }

    /// The city's `<dir>/en/model/attack.tsv` when it has one, else the
    /// built-in English model.
    pub fn english_with_overlay(dir: &Path) -> Result<Arc<Self>, ModelError> {
        Self::city_or(dir, ENGLISH_MODEL_FILE, Self::builtin_english)
    }

    /// The repository's model that confirms unmistakable English attacks.
    pub fn builtin_english_obvious() -> Arc<Self> {
        Arc::clone(&BUILTIN_ENGLISH_OBVIOUS)
    }

    /// The city's `<dir>/en/model/obvious.tsv` when it has one, else the
    /// built-in one.
    pub fn english_obvious_with_overlay(dir: &Path) -> Result<Arc<Self>, ModelError> {
        Self::city_or(dir, ENGLISH_OBVIOUS_FILE, Self::builtin_english_obvious)
    }

    /// The city's model at `<dir>/sv/model/attack.tsv` when it has one (it
    /// replaces the built-in model), else the built-in model.
    pub fn with_overlay(dir: &Path) -> Result<Arc<Self>, ModelError> {
        Self::city_or(dir, MODEL_FILE, Self::builtin)
    }

    /// The city's `<dir>/sv/model/obvious.tsv` when it has one, else the
    /// built-in one.
    pub fn obvious_with_overlay(dir: &Path) -> Result<Arc<Self>, ModelError> {
        Self::city_or(dir, OBVIOUS_FILE, Self::builtin_obvious)
    }

    fn city_or(
        dir: &Path,
        file: &str,
        builtin: fn() -> Arc<Self>,
    ) -> Result<Arc<Self>, ModelError> {
        let path = dir.join(file);
        if !path.is_file() {
            return Ok(builtin());
        }
        let contents = std::fs::read_to_string(&path).map_err(|source| ModelError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(Arc::new(Self::parse(
            &path.display().to_string(),
            &contents,
        )?))
    }

    /// Parses a model file; `file` names it in errors.
    pub fn parse(file: &str, contents: &str) -> Result<Self, ModelError> {
        require_provenance(file, contents)?;
        let missing = |header| ModelError::MissingHeader {
            file: file.to_owned(),
            header,
        };
        let threshold = header_line(file, contents, "threshold", parse_threshold)?
            .ok_or_else(|| missing("threshold"))?;
        let evidence_threshold =
            header_line(file, contents, "evidence_threshold", parse_threshold)?
                .unwrap_or(threshold);
        if evidence_threshold < threshold {
            return Err(ModelError::EvidenceBelowThreshold {
                file: file.to_owned(),
                evidence: evidence_threshold,
                threshold,
            });
        }
        let bias =
            header_line(file, contents, "bias", parse_bias)?.ok_or_else(|| missing("bias"))?;
        let mut model = Self {
            index: HashMap::default(),
            filter: vec![0; (1 << FILTER_BITS) / 64],
            names: Vec::new(),
            weights: Vec::new(),
            bias,
            threshold,
            evidence_threshold,
        };
        for (line, text) in entry_lines(contents) {
            model
                .add_line(text)
                .map_err(|reason| ListFormatError::BadLine {
                    file: file.to_owned(),
                    line,
                    reason,
                })?;
        }
        Ok(model)
    }

    fn add_line(&mut self, text: &str) -> Result<(), String> {
        let fields: Vec<&str> = text.split('\t').collect();
        let [feature, class, weight] = fields[..] else {
            return Err(format!(
                "expected `feature<TAB>class<TAB>weight`, found {} field(s)",
                fields.len()
            ));
        };
        if !["w:", "b:", "c:"]
            .iter()
            .any(|kind| feature.len() > 2 && feature.starts_with(kind))
        {
            return Err(format!(
                "the feature `{feature}` must start with `w:`, `b:` or `c:` and name something"
            ));
        }
        let class = ModelClass::named(class.trim()).ok_or_else(|| {
            format!("unknown class `{class}`; use clean, incitement, threat or violence")
        })?;
        let weight: f32 = weight
            .trim()
            .parse()
            .ok()
            .filter(|w: &f32| w.is_finite())
            .ok_or_else(|| format!("the weight `{weight}` is not a number"))?;
        let mut hash = Fnv::default();
        hash.write(feature.as_bytes());
        let next = u32::try_from(self.names.len()).map_err(|_| "too many features".to_owned())?;
        let at = *self.index.entry(hash.finish()).or_insert(next) as usize;
        let (block, bit) = filter_slot(hash.finish());
        self.filter[block] |= bit;
        if at == self.names.len() {
            self.names.push(feature.to_owned());
            self.weights.push([0.0; 4]);
        } else if self.names[at] != feature {
            return Err(format!(
                "the feature `{feature}` collides with `{}`; drop one",
                self.names[at]
            ));
        }
        self.weights[at][class.index()] += weight;
        Ok(())
    }

    /// The probability of harm from which a comment goes to review.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// How many features carry weights.
    pub fn feature_count(&self) -> usize {
        self.names.len()
    }

    /// The indices of the model's features present in a matching key, each
    /// once.
    ///
    /// In ascending order, which fixes the order the weights are summed in:
    /// one bit per feature of the model marks those seen, and reading the
    /// bits back gives them sorted without sorting (a comment has hundreds
    /// of n-grams, most of them repeated or absent from the model).
    fn present(&self, key: &str) -> Vec<u32> {
        let mut seen = vec![0_u64; self.names.len().div_ceil(64)];
        // Counted as they are marked, so the list is allocated once: grown
        // push by push, it was reallocated some six times a comment.
        let mut count = 0;
        for_each_feature_hash(key, |hash| {
            let (block, bit) = filter_slot(hash);
            if self.filter[block] & bit != 0
                && let Some(&at) = self.index.get(&hash)
                && let Some(bits) = seen.get_mut(at as usize / 64)
            {
                let mark = 1 << (at % 64);
                count += usize::from(*bits & mark == 0);
                *bits |= mark;
            }
        });
        let mut present = Vec::with_capacity(count);
        for (block, &bits) in (0_u32..).zip(&seen) {
            let mut rest = bits;
            while rest != 0 {
                present.push(block * 64 + rest.trailing_zeros());
                rest &= rest - 1;
            }
        }
        present
    }

    fn score_of(&self, present: &[u32]) -> Score {
        let mut logits = self.bias;
        for at in present {
            for (logit, weight) in logits.iter_mut().zip(self.weights[*at as usize]) {
                *logit += weight;
            }
        }
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exps = logits.map(|logit| (logit - max).exp());
        let sum: f32 = exps.iter().sum();
        Score {
            probabilities: exps.map(|e| e / sum),
        }
    }

    /// The scores of a matching key.
    pub fn score(&self, key: &str) -> Score {
        self.score_of(&self.present(key))
    }

    /// The words (and pairs of words) of a matching key that speak most
    /// for `class` against clean text, strongest first: each word carries
    /// the weight of itself and of its letter n-grams, so a moderator reads
    /// words of the comment, not fragments of them.
    fn strongest(&self, key: &str, class: ModelClass) -> Vec<String> {
        let mut units: Vec<(String, f32)> = Vec::new();
        // One bit per feature of the model, set when its weight is counted
        // (as in `present`): cheaper than a hash set of feature numbers for
        // the hundreds of n-grams of a comment.
        let mut counted = vec![0_u64; self.names.len().div_ceil(64)];
        let mut word_unit = 0;
        for_each_feature(key, |feature| {
            let unit = match feature {
                Feature::Word(word) => {
                    word_unit = unit_of(&mut units, word);
                    word_unit
                }
                Feature::Bigram(first, second) => bigram_unit_of(&mut units, first, second),
                Feature::Chars(_) => word_unit,
            };
            let Some(at) = self.index.get(&feature.hash()) else {
                return;
            };
            if first_count(&mut counted, *at) {
                let weights = self.weights[*at as usize];
                units[unit].1 += weights[class.index()] - weights[ModelClass::Clean.index()];
            }
        });
        units.retain(|(_, contribution)| *contribution > 0.0);
        units.sort_by(|a, b| b.1.total_cmp(&a.1));
        units
            .into_iter()
            .take(REASON_FEATURES)
            .map(|(shown, _)| shown)
            .collect()
    }
}

/// How many of a hash's top bits pick its bit in [`Model`]'s filter:
/// 65,536 bits (8 KiB) for some thousands of features.
const FILTER_BITS: u32 = 16;

/// The word of the filter a hash's bit is in, and the bit.
fn filter_slot(hash: u64) -> (usize, u64) {
    let at = (hash >> (64 - FILTER_BITS)) as usize;
    (at / 64, 1 << (at % 64))
}

/// The index of `shown` among `units`, added with no weight if new.
fn unit_of(units: &mut Vec<(String, f32)>, shown: &str) -> usize {
    match units.iter().position(|(unit, _)| unit == shown) {
        Some(at) => at,
        None => {
            units.push((shown.to_owned(), 0.0));
            units.len() - 1
        }
    }
}

/// The index of the unit `first second` (a pair of words) among `units`,
/// added with no weight if new: like [`unit_of`] on the pair joined by a
/// space, without building the string for every pair of a comment.
fn bigram_unit_of(units: &mut Vec<(String, f32)>, first: &str, second: &str) -> usize {
    let is_pair = |unit: &str| {
        unit.len() == first.len() + 1 + second.len()
            && unit.starts_with(first)
            && unit[first.len()..].starts_with(' ')
            && unit.ends_with(second)
    };
    match units.iter().position(|(unit, _)| is_pair(unit)) {
        Some(at) => at,
        None => {
            units.push((format!("{first} {second}"), 0.0));
            units.len() - 1
        }
    }
}

/// Marks feature `at` in the bit set `counted`, and whether it was not
/// marked before (a feature's weight is counted once).
fn first_count(counted: &mut [u64], at: u32) -> bool {
    let (block, bit) = (at as usize / 64, 1_u64 << (at % 64));
    let new = counted[block] & bit == 0;
    counted[block] |= bit;
    new
}

/// The value of the header line `# name: value`, parsed.
fn header_line<T>(
    file: &str,
    contents: &str,
    name: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, ListFormatError> {
    for (index, line) in contents.lines().enumerate() {
        let value = line
            .strip_prefix('#')
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix(name))
            .and_then(|rest| rest.strip_prefix(':'));
        if let Some(value) = value {
            return parse(value.trim())
                .map(Some)
                .map_err(|reason| ListFormatError::BadLine {
                    file: file.to_owned(),
                    line: index + 1,
                    reason,
                });
        }
    }
    Ok(None)
}

fn parse_threshold(value: &str) -> Result<f32, String> {
    value
        .parse::<f32>()
        .ok()
        .filter(|t| *t > 0.0 && *t < 1.0)
        .ok_or_else(|| format!("the threshold `{value}` must be a number between 0 and 1"))
}

fn parse_bias(value: &str) -> Result<[f32; 4], String> {
    let mut bias = [None; 4];
    for pair in value.split_whitespace() {
        let (name, number) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not `class=number`"))?;
        let class = ModelClass::named(name).ok_or_else(|| format!("unknown class `{name}`"))?;
        let number: f32 = number
            .parse()
            .ok()
            .filter(|n: &f32| n.is_finite())
            .ok_or_else(|| format!("the bias `{number}` is not a number"))?;
        bias[class.index()] = Some(number);
    }
    let mut out = [0.0; 4];
    for class in ModelClass::ALL {
        out[class.index()] = bias[class.index()]
            .ok_or_else(|| format!("the bias of `{}` is missing", class.name()))?;
    }
    Ok(out)
}

/// Sends to review what the model judges harmful and no rule found: one
/// [`Confidence::Probable`] finding per comment, never obvious on its own;
/// and, with a confirming model, makes a rule's attack finding obvious
/// when that model is sure (see the module documentation).
pub struct ModelDetector {
    model: Arc<Model>,
    obvious: Option<Arc<Model>>,
    confirm_also: Vec<&'static str>,
    english: Option<Arc<Model>>,
    english_obvious: Option<Arc<Model>>,
}

impl ModelDetector {
    /// The detector of `model`, which only sends to review.
    pub fn new(model: Arc<Model>) -> Self {
        Self {
            model,
            obvious: None,
            confirm_also: Vec::new(),
            english: None,
            english_obvious: None,
        }
    }

    /// The same detector, sending to review with `english` the English
    /// comments the English rules found nothing in.
    pub fn reading_english_with(mut self, english: Arc<Model>) -> Self {
        self.english = Some(english);
        self
    }

    /// The same detector, confirming with `obvious` the review-level
    /// findings of the English rules that may be made obvious
    /// ([`english::confirmable`]).
    pub fn confirming_english_with(mut self, obvious: Arc<Model>) -> Self {
        self.english_obvious = Some(obvious);
        self
    }

    /// The same detector, confirming with `obvious` the findings of the
    /// rules the policy calls obvious and of the rules in `confirm_also`.
    pub fn confirming_with(mut self, obvious: Arc<Model>, confirm_also: &[&'static str]) -> Self {
        self.obvious = Some(obvious);
        self.confirm_also = confirm_also.to_vec();
        self
    }

    fn may_confirm(&self, rule: &str) -> bool {
        confirmable(rule) || self.confirm_also.contains(&rule)
    }

    /// Makes each review-level finding of a confirmable rule, and each
    /// finding of an evidence rule, obvious when the confirming model is
    /// sure of the comment or, for a rule's finding, of its sentence
    /// ([`confirmable_in_its_sentence`]; for evidence, at its evidence
    /// threshold),
    /// unless a guard lowered it or it stands in a quotation. Unconfirmed
    /// evidence is dropped later ([`super::Classifier`]).
    fn confirm_rules(&self, text: &Text<'_>, out: &mut [Finding]) {
        let Some(obvious) = &self.obvious else {
            return;
        };
        let original = text.original();
        let candidates = out.iter_mut().filter_map(|finding| {
            let needed = match finding.confidence {
                Confidence::Probable if self.may_confirm(&finding.rule) => obvious.threshold,
                // Evidence rules' findings are possible until confirmed.
                Confidence::Possible if needs_model(&finding.rule) => obvious.evidence_threshold,
                _ => return None,
            };
            (!reason_names_a_guard(&finding.reason) && !inside_quotation(original, finding.start))
                .then_some((finding, needed))
        });
        confirm_where_sure(obvious, text, candidates, confirmable_in_its_sentence);
    }
}

/// Makes each review-level finding of an English rule that may be made
/// obvious ([`english::confirmable`]) obvious when the English confirming
/// model is sure of the whole comment or of the finding's own sentence, as
/// in Swedish (not for a bare slur, whom the other sentences say it is
/// aimed at), and each finding of an English evidence rule when the model
/// is sure of the whole comment at its evidence threshold. The English
/// rules already skip quoted words and reported speech.
fn confirm_english(obvious: &Model, text: &Text<'_>, out: &mut [Finding]) {
    let in_english = text.language() == Language::ENGLISH;
    let candidates = out
        .iter_mut()
        .filter(|f| english::confirmable(f, in_english))
        .map(|f| {
            let needed = if english::needs_model(&f.rule) {
                obvious.evidence_threshold
            } else {
                obvious.threshold
            };
            (f, needed)
        });
    // Evidence, as in Swedish, is judged with the rest of the comment.
    confirm_where_sure(obvious, text, candidates, |rule| {
        !english::is_bare_slur(rule) && !english::needs_model(rule)
    });
}

/// Makes each candidate finding obvious when `obvious` is at least as sure
/// as the candidate needs of the whole comment or, for a rule
/// `in_its_sentence` allows, of the finding's own sentence; the reason
/// says which was read. The comment is scored only when there is a
/// candidate, and each sentence at most once.
fn confirm_where_sure<'f>(
    obvious: &Model,
    text: &Text<'_>,
    candidates: impl Iterator<Item = (&'f mut Finding, f32)>,
    in_its_sentence: impl Fn(&str) -> bool,
) {
    let mut candidates = candidates.peekable();
    if candidates.peek().is_none() {
        return;
    }
    let whole = obvious.score(&text.normalized().text).harmful();
    let mut sentence_scores = vec![None; text.sentences().len()];
    for (finding, needed) in candidates {
        let (sure, read) = if whole >= needed || !in_its_sentence(&finding.rule) {
            (whole, Read::Comment)
        } else {
            let score = own_sentence_score(obvious, text, finding.start, &mut sentence_scores);
            (score, Read::Sentence)
        };
        if sure >= needed {
            finding.confidence = Confidence::Obvious;
            finding.reason = confirmed_reason(&finding.reason, sure, read);
        }
    }
}

/// The confirming model's probability of harm for the sentence that holds
/// byte `at`, read as a comment of its own (zero for a comment of one
/// sentence, which was read whole), kept in `scores` by sentence.
fn own_sentence_score(
    obvious: &Model,
    text: &Text<'_>,
    at: usize,
    scores: &mut [Option<f32>],
) -> f32 {
    let sentences = text.sentences();
    if sentences.len() < 2 {
        return 0.0;
    }
    let Some(n) = sentences
        .iter()
        .position(|s| s.body.start <= at && at < s.end)
    else {
        return 0.0;
    };
    *scores[n].get_or_insert_with(|| obvious.score(&sentence_key(text, &sentences[n])).harmful())
}

/// The matching key of one sentence of a comment, read on its own.
fn sentence_key(text: &Text<'_>, sentence: &Sentence) -> String {
    Normalized::new(&text.original()[sentence.body.clone()]).text
}

/// Whether byte `at` of `text` lies inside quotation marks opened before
/// it. Every way Swedish, English and German quote (`"…"`, `”…”`,
/// `»…»`, `»…«`, `«…»`, `“…”`, `„…“`) alternates opening and closing marks,
/// so an odd count before `at` means a quotation is open. Apostrophes are
/// left out: they also mark dropped letters.
fn inside_quotation(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or(text);
    let marks = before
        .chars()
        .filter(|c| matches!(c, '"' | '”' | '“' | '„' | '»' | '«'))
        .count();
    marks % 2 == 1
}

/// The byte span and matching key of each sentence of a comment with more
/// than one (none for a comment of one sentence: the whole text is it).
fn sentence_keys(text: &Text<'_>) -> Vec<(std::ops::Range<usize>, String)> {
    let sentences = text.sentences();
    if sentences.len() < 2 {
        return Vec::new();
    }
    sentences
        .iter()
        .map(|sentence| (sentence.body.clone(), sentence_key(text, sentence)))
        .collect()
}

impl Detector for ModelDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        // The English rules read every comment not plainly Swedish: what
        // they found is confirmed whatever language was identified.
        if let Some(obvious) = &self.english_obvious {
            confirm_english(obvious, text, out);
        }
        if text.language() == Language::ENGLISH {
            if let Some(english) = &self.english {
                flag_what_no_rule_found(english, Reading::English, text, out);
            }
            return;
        }
        self.confirm_rules(text, out);
        flag_what_no_rule_found(&self.model, Reading::Swedish, text, out);
    }
}

/// The sentence with the highest probability of harm by `model` (the
/// whole text when it has one sentence), to show the moderator.
fn worst_sentence(model: &Model, text: &Text<'_>) -> (usize, usize) {
    let original = text.original();
    let mut worst = (
        f32::NEG_INFINITY,
        text.sentences()
            .first()
            .map_or((0, original.len()), |s| (s.body.start, s.body.end)),
    );
    for (span, key) in sentence_keys(text) {
        let harmful = model.score(&key).harmful();
        if harmful > worst.0 {
            worst = (harmful, (span.start, span.end));
        }
    }
    worst.1
}

/// Which attack model read a comment: its rule id and how its reason opens.
#[derive(Clone, Copy)]
enum Reading {
    Swedish,
    English,
}

impl Reading {
    fn rule(self) -> &'static str {
        match self {
            Self::Swedish => RULE,
            Self::English => ENGLISH_RULE,
        }
    }

    /// The reason's opening words: a moderator sees that the English text
    /// was judged by a model of its own.
    fn lead(self) -> &'static str {
        match self {
            Self::Swedish => "Statistisk bedömning",
            Self::English => "Statistisk bedömning av engelsk text",
        }
    }
}

/// Sends the comment to review when `model` finds it harmful and no rule
/// found the same kind of attack: the model adds what the rules missed.
fn flag_what_no_rule_found(
    model: &Model,
    reading: Reading,
    text: &Text<'_>,
    out: &mut Vec<Finding>,
) {
    let key = &text.normalized().text;
    let score = model.score(key);
    let harmful = score.harmful();
    if harmful < model.threshold {
        return;
    }
    let class = score.top_harmful();
    let Some((category, basis)) = class.category() else {
        return;
    };
    // Evidence the confirming model did not take up is dropped later:
    // it must not keep the comment from review either.
    let found_by_a_rule = out.iter().any(|finding| {
        finding.category == category
            && (finding.confidence == Confidence::Obvious || !super::needs_model(&finding.rule))
    });
    if found_by_a_rule {
        return;
    }
    let (start, end) = worst_sentence(model, text);
    out.push(Finding {
        category,
        confidence: Confidence::Probable,
        start,
        end,
        rule: reading.rule().to_owned(),
        legal_basis: basis.to_owned(),
        reason: reason(reading, class, harmful, &model.strongest(key, class)),
    });
}

/// The clauses with which a review reason says why a person decides: a
/// confirmed finding's reason drops them.
const WHY_A_PERSON_DECIDES: [&str; 2] = [PERSON_DECIDES, WORD_ALONE];

/// The rule's reason without its "a person decides" clause, and why it is
/// acted on automatically: "Uppmaning till våld mot en skyddad folkgrupp.
/// Den statistiska modellen bekräftar att det är uppenbart (sannolikhet
/// 0,97); därför åtgärdas kommentaren automatiskt."
fn confirmed_reason(rule_reason: &str, sure: f32, read: Read) -> String {
    let clause = WHY_A_PERSON_DECIDES
        .iter()
        .filter_map(|clause| rule_reason.find(clause))
        .min();
    let what = match clause {
        Some(at) => &rule_reason[..at],
        None => rule_reason.trim_end_matches('.'),
    };
    let confirmed = match read {
        Read::Comment => "det är uppenbart",
        Read::Sentence => "meningen är uppenbar",
    };
    format!(
        "{what}. Den statistiska modellen bekräftar att {confirmed} (sannolikhet {}); \
         därför åtgärdas kommentaren automatiskt.",
        decimal_comma(sure)
    )
}

/// What the confirming model read when it was sure: the moderator is told
/// whether the whole comment or the finding's own sentence was judged.
#[derive(Clone, Copy)]
enum Read {
    Comment,
    Sentence,
}

/// `0,87`: two decimals, as Swedish writes them.
fn decimal_comma(value: f32) -> String {
    format!("{value:.2}").replace('.', ",")
}

/// "Statistisk bedömning: liknar hot (sannolikhet 0,87). Ord som vägde
/// tyngst: »ska«, »döda«, »dig«."
fn reason(reading: Reading, class: ModelClass, harmful: f32, strongest: &[String]) -> String {
    let probability = decimal_comma(harmful);
    let mut reason = format!(
        "{}: liknar {} (sannolikhet {probability}).",
        reading.lead(),
        class.swedish()
    );
    if !strongest.is_empty() {
        let words: Vec<String> = strongest.iter().map(|w| format!("»{w}«")).collect();
        reason.push_str(&format!(" Ord som vägde tyngst: {}.", words.join(", ")));
    }
    reason
}

#[cfg(test)]
mod tests;
