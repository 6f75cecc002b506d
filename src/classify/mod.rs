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

use serde::{Deserialize, Serialize};

use crate::config::ClassifyConfig;

pub use text::Text;

/// What a finding says the comment contains. The names are the ones the
/// `classify` command prints and the policy table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Personnummer,
    Samordningsnummer,
    Phone,
    Email,
    Address,
    BankAccount,
    PaymentCard,
    ProtectedIdentity,
    EthnicOrigin,
    PoliticalOpinion,
    Religion,
    TradeUnion,
    Health,
    SexLife,
    GeneticBiometric,
    Uppvigling,
    HetsMotFolkgrupp,
    Barnpornografi,
    OlagaValdsskildring,
    OlagaHot,
    OlagaIntegritetsintrang,
    TerrorUppmaning,
    Upphovsratt,
    Question,
    CaseMatter,
    ChildWelfareConcern,
}

/// The broad group of a category; the policy table is written per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryGroup {
    /// Personal data that must be removed once documented (GDPR, personnummer).
    PersonalData,
    /// Content the law on electronic bulletin boards obliges us to remove.
    IllegalContent,
    /// Something a person must answer or move into case handling.
    Service,
}

impl Category {
    /// The stable snake_case name, as in the database and JSON output.
    pub fn as_str(self) -> &'static str {
        use Category::*;
        match self {
            Personnummer => "personnummer",
            Samordningsnummer => "samordningsnummer",
            Phone => "phone",
            Email => "email",
            Address => "address",
            BankAccount => "bank_account",
            PaymentCard => "payment_card",
            ProtectedIdentity => "protected_identity",
            EthnicOrigin => "ethnic_origin",
            PoliticalOpinion => "political_opinion",
            Religion => "religion",
            TradeUnion => "trade_union",
            Health => "health",
            SexLife => "sex_life",
            GeneticBiometric => "genetic_biometric",
            Uppvigling => "uppvigling",
            HetsMotFolkgrupp => "hets_mot_folkgrupp",
            Barnpornografi => "barnpornografi",
            OlagaValdsskildring => "olaga_valdsskildring",
            OlagaHot => "olaga_hot",
            OlagaIntegritetsintrang => "olaga_integritetsintrang",
            TerrorUppmaning => "terror_uppmaning",
            Upphovsratt => "upphovsratt",
            Question => "question",
            CaseMatter => "case_matter",
            ChildWelfareConcern => "child_welfare_concern",
        }
    }

    /// The category with this snake_case name (as in word-list file names,
    /// the database and JSON output), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }

    /// Which policy group the category belongs to.
    pub fn group(self) -> CategoryGroup {
        use Category::*;
        match self {
            Personnummer | Samordningsnummer | Phone | Email | Address | BankAccount
            | PaymentCard | ProtectedIdentity | EthnicOrigin | PoliticalOpinion | Religion
            | TradeUnion | Health | SexLife | GeneticBiometric => CategoryGroup::PersonalData,
            Uppvigling
            | HetsMotFolkgrupp
            | Barnpornografi
            | OlagaValdsskildring
            | OlagaHot
            | OlagaIntegritetsintrang
            | TerrorUppmaning
            | Upphovsratt => CategoryGroup::IllegalContent,
            Question | CaseMatter | ChildWelfareConcern => CategoryGroup::Service,
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a finding is. Only `Obvious` may lead to an automatic action:
/// removing a lawful comment is a public authority silencing a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A weak signal; a person should look.
    Possible,
    /// Likely, but not beyond doubt; a person decides.
    Probable,
    /// Beyond reasonable doubt; may be acted on automatically.
    Obvious,
}

impl Confidence {
    /// The stable snake_case name, as in the database and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Possible => "possible",
            Confidence::Probable => "probable",
            Confidence::Obvious => "obvious",
        }
    }
}

/// One thing a detector found in a comment, with everything a moderator
/// needs to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub category: Category,
    /// How sure the detector is.
    pub confidence: Confidence,
    /// Byte offset in the original comment text where the match starts.
    pub start: usize,
    /// Byte offset in the original comment text where the match ends.
    pub end: usize,
    /// Id of the rule that fired (stable, for statistics and appeals).
    pub rule: String,
    /// The law or policy section the finding rests on.
    pub legal_basis: String,
    /// A short Swedish sentence saying why, for the moderator.
    pub reason: String,
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

    /// Builds the classifier from what the configuration compiled: the
    /// city's word and phrase lists (or the embedded ones) and the media
    /// hash list.
    pub fn from_config(config: &ClassifyConfig) -> Self {
        let mut classifier =
            Self::with_lists(lexicon::Lexicon::clone(&config.lexicon), &config.phrases);
        classifier.media_hashes = config.media_hashes.clone();
        classifier
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
