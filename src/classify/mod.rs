//! Classification: turns a comment text into findings, each with a category,
//! a confidence, the byte span in the original text, the rule that fired,
//! the legal basis and a short Swedish reason a moderator can check.
//!
//! A [`Classifier`] is built once (at start and on config reload) and is
//! immutable and synchronous afterwards, so classifying is cheap and pure.

pub mod cases;
pub mod contact;
pub mod cues;
pub mod eval;
pub mod illegal;
pub mod jsonl;
pub mod lexicon;
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

use std::sync::Arc;

use crate::domain::Finding;

pub use text::Text;

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
}

/// The compiled set of detectors used for every comment, and the media
/// hashes attachments are checked against.
pub struct Classifier {
    detectors: Vec<Box<dyn Detector>>,
    media_hashes: Option<Arc<illegal::MediaHashList>>,
    term_count: usize,
}

impl Classifier {
    /// Builds the classifier with every detector the service has.
    pub fn standard() -> Self {
        // The embedded word lists are part of the source tree and compiled
        // by a unit test (`lexicon::tests::the_embedded_lists_compile…`), so
        // building them cannot fail in a released binary.
        let lexicon = lexicon::Lexicon::embedded().expect("embedded word lists compile");
        Self::with_wordlists(lexicon)
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
        let term_count = lexicon.term_count();
        Self {
            media_hashes: None,
            term_count,
            detectors: vec![
                Box::new(personnummer::PersonnummerDetector::new()),
                Box::new(contact::PhoneDetector::new()),
                Box::new(contact::EmailDetector::new()),
                Box::new(contact::AddressDetector::new()),
                Box::new(contact::ProtectedIdentityDetector::new()),
                Box::new(payment::PaymentDetector::new()),
                Box::new(sensitive::SensitiveDetector::new()),
                Box::new(questions::QuestionDetector::with_phrases(phrases)),
                Box::new(cases::CaseDetector::with_phrases(phrases)),
                Box::new(cases::ChildWelfareDetector::with_phrases(phrases)),
                Box::new(illegal::IllegalContentDetector::new(lexicon)),
            ],
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

    /// How many word-list terms the classifier matches (for logs).
    pub fn term_count(&self) -> usize {
        self.term_count
    }

    /// Classifies one text; findings are ordered by position.
    pub fn classify(&self, text: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        let text = Text::new(text);
        for detector in &self.detectors {
            detector.detect_in(&text, &mut findings);
        }
        findings.sort_by_key(|f| (f.start, f.end));
        findings
    }
}
