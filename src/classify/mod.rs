//! Classification: turns a comment text into findings, each with a category,
//! a confidence, the byte span in the original text, the rule that fired,
//! the legal basis and a short Swedish reason a moderator can check.
//!
//! A [`Classifier`] is built once (at start and on config reload) and is
//! immutable and synchronous afterwards, so classifying is cheap and pure.

pub mod cases;
pub mod contact;
pub mod cues;
pub mod english;
pub mod eval;
pub mod illegal;
pub mod jsonl;
pub mod language;
pub mod lexicon;
pub mod model;
pub mod normalize;
pub mod payment;
pub mod personnummer;
pub mod persons;
pub mod phrases;
pub mod questions;
pub mod rule;
pub mod sensitive;
pub mod sentences;
pub mod service_phrases;
pub mod text;
pub mod words;

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use crate::domain::{Category, Confidence, Finding};

pub use language::Language;
pub use text::Text;

/// What the classifier says of one comment: its findings and its language,
/// which is recorded with the decision and shown to moderators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examined {
    /// Every finding, ordered by position.
    pub findings: Vec<Finding>,
    /// The language the comment was identified as (or unknown).
    pub language: Language,
}

/// A detector looks at a comment and appends findings.
pub trait Detector: Send + Sync {
    /// Appends every finding in `text` to `out`. The classifier prepares
    /// each comment once and hands the same [`Text`] to every detector, so
    /// what several need (the matching key) is computed once.
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>);

    /// Appends every finding in a plain string to `out` (tools and tests
    /// that run one detector alone).
    fn detect(&self, text: &str, out: &mut Vec<Finding>) {
        self.detect_in(&Text::new(text), out);
    }

    /// The detector's name in the log when it fails on a comment, so that
    /// operators know which rules to report.
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }
}

/// Whether `rule` only gives evidence for a confirming model, Swedish
/// (`illegal/evidence.rs`) or English ([`english::EVIDENCE`]): its findings
/// are kept only when the model made them obvious.
pub(crate) fn needs_model(rule: &str) -> bool {
    illegal::needs_model(rule) || english::needs_model(rule)
}

/// Rule id of the finding that sends a comment to a person because one of
/// the detectors failed on it: the rest of the detectors still ran, but what
/// the failed one would have found is unknown.
pub const RULE_DETECTOR_FAILED: &str = "classify.detector_failed";

/// The lists a city may extend besides the illegal-content lexicon and the
/// service phrase tables: the word classes the rules are built from, the
/// art. 9 terms and the first names.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// The word classes (see [`words`]).
    pub classes: Arc<words::WordClasses>,
    /// The art. 9 term lists.
    pub sensitive: sensitive::terms::SensitiveTerms,
    /// The first names full names are recognised by.
    pub first_names: persons::FirstNames,
    /// The English word classes (`wordlists/en/classes`).
    pub english: Arc<english::EnglishClasses>,
    /// The trained attack model (`wordlists/sv/model/attack.tsv`), or
    /// `None` when `[classify] model = false` switches it off.
    pub model: Option<Arc<model::Model>>,
    /// The model that confirms a rule's attack finding as obvious
    /// (`wordlists/sv/model/obvious.tsv`), or `None` when `[classify]
    /// model = false` or `model_acts = false` keeps the models to review.
    pub obvious: Option<Arc<model::Model>>,
    /// The English attack model (`wordlists/en/model/attack.tsv`), which
    /// sends to review the English comments the English rules found
    /// nothing in; read only with the attack model (`[classify] model`).
    pub english_model: Option<Arc<model::Model>>,
    /// The model that confirms an English rule's attack finding as obvious
    /// (`wordlists/en/model/obvious.tsv`), or `None` when `[classify] model
    /// = false` or `model_acts = false`.
    pub english_obvious: Option<Arc<model::Model>>,
    /// Rules a city's lawyers add to those whose review-level findings the
    /// confirming model may make obvious (`[classify] confirm_also`; the
    /// built-in ones are `illegal::CONFIRMABLE`).
    pub confirm_also: Vec<&'static str>,
}

/// Why a city's vocabulary cannot be used; each error names its file.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    /// A word class file.
    #[error(transparent)]
    Classes(#[from] words::WordClassError),
    /// An art. 9 list.
    #[error(transparent)]
    Sensitive(#[from] sensitive::terms::TermListError),
    /// The first names.
    #[error(transparent)]
    FirstNames(#[from] persons::FirstNamesError),
    /// An English word class file.
    #[error(transparent)]
    English(#[from] english::EnglishClassError),
    /// The model file.
    #[error(transparent)]
    Model(#[from] model::ModelError),
}

impl Vocabulary {
    /// The repository's lists, compiled into the binary.
    pub fn builtin() -> Self {
        Self {
            classes: words::WordClasses::builtin(),
            // Compiled by a unit test (`terms::tests::the_embedded_lists_compile`),
            // so this cannot fail in a released binary.
            sensitive: sensitive::terms::SensitiveTerms::embedded()
                .expect("embedded art. 9 word lists compile"),
            first_names: persons::FirstNames::builtin(),
            english: english::EnglishClasses::builtin(),
            model: Some(model::Model::builtin()),
            obvious: Some(model::Model::builtin_obvious()),
            english_model: Some(model::Model::builtin_english()),
            english_obvious: Some(model::Model::builtin_english_obvious()),
            confirm_also: Vec::new(),
        }
    }

    /// The repository's lists with a city's folder over them (Swedish and
    /// English alike): each of the city's lists adds to the built-in list of its name, or replaces it
    /// when its header has the line `# mode: replace`. The city's model files
    /// (`sv/model/attack.tsv`, `sv/model/obvious.tsv`, `en/model/attack.tsv`,
    /// `en/model/obvious.tsv`) always replace the built-in ones.
    pub fn with_overlay(dir: &Path) -> Result<Self, VocabularyError> {
        Ok(Self {
            classes: Arc::new(words::WordClasses::with_overlay(dir)?),
            sensitive: sensitive::terms::SensitiveTerms::with_overlay(dir)?,
            first_names: persons::FirstNames::with_overlay(dir)?,
            english: Arc::new(english::EnglishClasses::with_overlay(dir)?),
            model: Some(model::Model::with_overlay(dir)?),
            obvious: Some(model::Model::obvious_with_overlay(dir)?),
            english_model: Some(model::Model::english_with_overlay(dir)?),
            english_obvious: Some(model::Model::english_obvious_with_overlay(dir)?),
            confirm_also: Vec::new(),
        })
    }
}

/// The compiled set of detectors used for every comment, and the media
/// hashes attachments are checked against.
pub struct Classifier {
    detectors: Vec<Box<dyn Detector>>,
    media_hashes: Option<Arc<illegal::MediaHashList>>,
    term_count: usize,
    /// Whether findings of the evidence rules that no confirming model made
    /// obvious are kept: only to show what the rules alone find.
    keep_unconfirmed_evidence: bool,
}

impl Classifier {
    /// Builds the classifier with every detector the service has.
    pub fn standard() -> Self {
        Self::built_in(&Vocabulary::builtin())
    }

    /// The built-in classifier without the trained models: what the rules
    /// alone find, as with `[classify] model = false`. `tools/train-model`
    /// chooses the confirming model's threshold against it.
    /// The evidence rules' findings ([`needs_model`]) are kept, as
    /// possible, since the script needs them.
    pub fn rules_only() -> Self {
        Self {
            keep_unconfirmed_evidence: true,
            ..Self::built_in(&Vocabulary {
                model: None,
                obvious: None,
                english_model: None,
                english_obvious: None,
                ..Vocabulary::builtin()
            })
        }
    }

    /// The built-in word and phrase lists with `vocabulary`.
    fn built_in(vocabulary: &Vocabulary) -> Self {
        // The embedded word lists are part of the source tree and compiled
        // by a unit test (`lexicon::tests::the_embedded_lists_compile…`), so
        // building them cannot fail in a released binary.
        let lexicon = lexicon::Lexicon::embedded().expect("embedded word lists compile");
        Self::with_vocabulary(
            lexicon,
            &service_phrases::ServicePhrases::builtin(),
            vocabulary,
        )
    }

    /// Builds the classifier with a city's own word lists (e.g. from
    /// [`lexicon::Lexicon::load_dir`]) instead of the embedded ones, and
    /// the built-in phrase lists of the service detectors.
    pub fn with_wordlists(lexicon: lexicon::Lexicon) -> Self {
        Self::with_lists(lexicon, &service_phrases::ServicePhrases::builtin())
    }

    /// Builds the classifier with the given word lists and phrase lists of
    /// the service detectors (a city's own, or the built-in ones).
    pub fn with_lists(
        lexicon: lexicon::Lexicon,
        phrases: &service_phrases::ServicePhrases,
    ) -> Self {
        Self::with_vocabulary(lexicon, phrases, &Vocabulary::builtin())
    }

    /// Builds the classifier with every list a city may have: the word
    /// lists, the phrase tables and the vocabulary (word classes, art. 9
    /// terms, first names).
    pub fn with_vocabulary(
        lexicon: lexicon::Lexicon,
        phrases: &service_phrases::ServicePhrases,
        vocabulary: &Vocabulary,
    ) -> Self {
        let term_count = lexicon.term_count();
        let Vocabulary {
            classes,
            sensitive,
            first_names,
            english,
            model,
            obvious,
            english_model,
            english_obvious,
            confirm_also,
        } = vocabulary;
        // Compiled once for all the detectors that use them.
        let cues = Arc::new(cues::Cues::with_classes(classes));
        let persons = Arc::new(persons::PersonFinder::with_lists(classes, first_names));
        let streets = Arc::new(contact::StreetAddresses::with_classes(classes));
        let mut detectors: Vec<Box<dyn Detector>> = vec![
            Box::new(personnummer::PersonnummerDetector::new()),
            Box::new(contact::PhoneDetector::with_cues(
                classes,
                Arc::clone(&cues),
            )),
            Box::new(contact::EmailDetector::with_cues(
                classes,
                Arc::clone(&cues),
            )),
            Box::new(contact::AddressDetector::with_parts(
                Arc::clone(&streets),
                Arc::clone(&cues),
            )),
            Box::new(contact::ProtectedIdentityDetector::with_parts(
                Arc::clone(&persons),
                Arc::clone(&streets),
            )),
            Box::new(payment::PaymentDetector::with_cues(cues)),
            Box::new(sensitive::SensitiveDetector::with_parts(
                sensitive.clone(),
                classes,
                first_names,
                persons,
                streets,
            )),
            Box::new(questions::QuestionDetector::with_phrases(phrases)),
            Box::new(cases::CaseDetector::with_phrases(phrases)),
            Box::new(cases::ChildWelfareDetector::with_phrases(phrases)),
            Box::new(illegal::IllegalContentDetector::with_classes(
                lexicon,
                Arc::clone(classes),
            )),
            Box::new(english::EnglishDetector::with_classes(Arc::clone(english))),
            Box::new(language::LanguageDetector),
        ];
        // After the rules: the model adds only what no rule found, and
        // confirms what a rule found.
        if let Some(model) = model {
            let mut detector = model::ModelDetector::new(Arc::clone(model));
            if let Some(obvious) = obvious {
                detector = detector.confirming_with(Arc::clone(obvious), confirm_also);
            }
            if let Some(english) = english_model {
                detector = detector.reading_english_with(Arc::clone(english));
            }
            if let Some(obvious) = english_obvious {
                detector = detector.confirming_english_with(Arc::clone(obvious));
            }
            detectors.push(Box::new(detector));
        }
        Self {
            media_hashes: None,
            term_count,
            detectors,
            keep_unconfirmed_evidence: false,
        }
    }

    /// The same classifier, checking attachments against `media_hashes`
    /// (`None`: attachments are not fetched at all).
    pub fn with_media_hashes(mut self, media_hashes: Option<Arc<illegal::MediaHashList>>) -> Self {
        self.media_hashes = media_hashes;
        self
    }

    /// The hashes attachments are checked against; `None` when no list is
    /// configured (attachments are then not fetched at all).
    pub fn media_hashes(&self) -> Option<&illegal::MediaHashList> {
        self.media_hashes.as_deref()
    }

    /// The detectors in the order they run, for tools that measure where
    /// the time of a pass goes (`examples/detector_costs.rs`).
    pub fn detectors(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors.iter().map(Box::as_ref)
    }

    /// How many word-list terms the classifier matches (for logs).
    pub fn term_count(&self) -> usize {
        self.term_count
    }

    /// Classifies one text; findings are ordered by position.
    pub fn classify(&self, text: &str) -> Vec<Finding> {
        self.examine(text).findings
    }

    /// Classifies one text and tells its language, from one prepared text.
    pub fn examine(&self, text: &str) -> Examined {
        let mut findings = Vec::new();
        let text = Text::new(text);
        for detector in &self.detectors {
            let ran = panic::catch_unwind(AssertUnwindSafe(|| {
                detector.detect_in(&text, &mut findings)
            }));
            if ran.is_err() {
                findings.push(detector_failed(detector.name(), text.original()));
            }
        }
        if !self.keep_unconfirmed_evidence {
            // Evidence only a sure confirming model may act on; on its own
            // it is no finding (`illegal/evidence.rs`).
            findings.retain(|f| f.confidence == Confidence::Obvious || !needs_model(&f.rule));
        }
        findings.sort_by_key(|f| (f.start, f.end));
        // A language identifier that failed in a detector fails again here.
        let language =
            panic::catch_unwind(AssertUnwindSafe(|| text.language())).unwrap_or(Language::UNKNOWN);
        Examined { findings, language }
    }
}

/// The finding for a detector that failed (a bug in its rules): the comment
/// goes to a person, over its whole text, rather than passing as clean or
/// ending the run that polls its account. The panic's place and message are
/// on standard error (Rust's panic hook); the log names the detector.
fn detector_failed(detector: &str, text: &str) -> Finding {
    tracing::error!(
        detector,
        "A detector failed on a comment; it goes to a person"
    );
    Finding {
        category: Category::NotAssessed,
        confidence: Confidence::Possible,
        start: 0,
        end: text.len(),
        rule: RULE_DETECTOR_FAILED.to_owned(),
        legal_basis: language::LEGAL_BASIS_NOT_ASSESSED.to_owned(),
        reason: "Inte fullständigt bedömd: ett fel i en av reglerna stoppade den. \
                 Läs kommentaren själv; felet är loggat för driften."
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A detector with a bug, as the English shapes had when they read a
    /// word past a sentence's end.
    struct Failing;

    impl Detector for Failing {
        fn detect_in(&self, _text: &Text<'_>, _out: &mut Vec<Finding>) {
            panic!("index out of bounds: a rule read past the end");
        }
    }

    #[test]
    fn a_failing_detector_sends_the_comment_to_a_person_and_the_others_still_run() {
        let mut classifier = Classifier::standard();
        classifier.detectors.insert(0, Box::new(Failing));
        let examined = classifier.examine(
            "Hej, mitt personnummer är 19121212-1212 och jag undrar när min ansökan om bygglov blir klar.",
        );
        let failed: Vec<_> = examined
            .findings
            .iter()
            .filter(|f| f.rule == RULE_DETECTOR_FAILED)
            .collect();
        assert_eq!(failed.len(), 1, "{:?}", examined.findings);
        assert_eq!(failed[0].category, Category::NotAssessed);
        assert_eq!(
            failed[0].confidence,
            Confidence::Possible,
            "a person judges it"
        );
        assert!(
            examined
                .findings
                .iter()
                .any(|f| f.category == Category::Personnummer),
            "the detectors after the failed one still ran: {:?}",
            examined.findings
        );
        assert_eq!(examined.language.code(), "sv");
    }

    #[test]
    fn a_comment_no_detector_fails_on_has_no_failure_finding() {
        let examined =
            Classifier::standard().examine("Mitt personnummer är 19121212-1212, ring mig.");
        assert!(
            examined
                .findings
                .iter()
                .all(|f| f.rule != RULE_DETECTOR_FAILED)
        );
    }
}
