//! Evaluation of the classifier against the shared test corpus and the
//! labelled cases in `tests/data/labelled/`: the figures that show whether
//! the classifier keeps its promises — find every personnummer form, never
//! flag an organisation number, find the questions people ask authorities,
//! and never act automatically on lawful (if harsh) opinion.
//!
//! The corpus is third-party test material kept in the repository at
//! `tests/data/corpus/` (layout and provenance in its `README.md`, licences
//! in its `LICENCE.md`), so that a fresh clone can run the tests.
//! Labelled files are JSON lines `{"text", "category", "expect"}` where
//! `expect` is `obvious` (automatic removal is right), `review` (a person
//! should look) or `none` (nothing to flag for that category).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::Classifier;
use super::jsonl::{DEFAULT_POLICY, FACEBOOK_CAPABILITIES, Moderator};
use crate::domain::{Category, CategoryGroup, Confidence};

/// The environment variable naming the corpus directory, for running the
/// evaluation or the tests against another copy of the corpus.
pub const CORPUS_ENV: &str = "KOMMENTARSVAKT_CORPUS";
/// The corpus directory when neither `--corpus` nor [`CORPUS_ENV`] names
/// one: the repository's copy. For `kommentarsvakt eval` it is relative to
/// the working directory, so the command works as is from a checkout; an
/// installed binary run elsewhere needs `--corpus` or [`CORPUS_ENV`], and
/// the [`EvalError::Missing`] message says so. Tests and benchmarks resolve
/// it against the crate directory with [`corpus_dir_in`].
pub const DEFAULT_CORPUS: &str = "tests/data/corpus";

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A corpus file is missing: the corpus is not where it was looked for.
    #[error(
        "corpus file {path} is missing; pass --corpus DIR or set {CORPUS_ENV} to the test corpus \
         (tests/data/corpus in the source repository)"
    )]
    Missing {
        /// The file looked for.
        path: PathBuf,
    },
    /// A file exists but cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file has content that is not what the evaluation expects.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line (1 for whole-file JSON).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The corpus directory for `kommentarsvakt eval`: the given one (from
/// `--corpus`), else `$KOMMENTARSVAKT_CORPUS`, else [`DEFAULT_CORPUS`]
/// relative to the working directory.
pub fn corpus_dir(given: Option<&Path>) -> PathBuf {
    given
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(CORPUS_ENV).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS))
}

/// The corpus directory for code that runs from the source tree (tests,
/// benchmarks, examples): `$KOMMENTARSVAKT_CORPUS`, else [`DEFAULT_CORPUS`]
/// under `root`. Callers pass `env!("CARGO_MANIFEST_DIR")`, so the answer
/// does not depend on the directory cargo was started from, and the crate
/// directory is never compiled into the library.
pub fn corpus_dir_in(root: &Path) -> PathBuf {
    std::env::var_os(CORPUS_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(DEFAULT_CORPUS))
}

/// The corpus files (under `superlim/`) and the field holding the text
/// that the speed measurements classify.
const BENCHMARK_FILES: [(&str, &str); 4] = [
    ("absabank-imm_train.jsonl", "text"),
    ("absabank-imm_dev.jsonl", "text"),
    ("argumentation-sentences_dev.jsonl", "sentence"),
    ("swefaq_dev.jsonl", "question"),
];

/// The texts the speed measurements run over (`benches/classify.rs`,
/// `examples/detector_costs.rs`): every sentence of the absabank and
/// argumentation sets and every SweFAQ question, ordinary Swedish of the
/// kind a city's comment fields get.
pub fn benchmark_texts(corpus: &Path) -> Result<Vec<String>, EvalError> {
    let mut texts = Vec::new();
    for (file, field) in BENCHMARK_FILES {
        let rows: Vec<Value> = json_lines(&corpus.join("superlim").join(file))?;
        texts.extend(
            rows.iter()
                .filter_map(|row| row[field].as_str().map(str::to_owned)),
        );
    }
    Ok(texts)
}

/// A share of a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    /// How many had the property.
    pub hits: usize,
    /// Out of how many.
    pub total: usize,
}

impl Share {
    /// `hits / total`, or 0 for an empty whole.
    pub fn rate(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.hits as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{} ({:.1} %)",
            self.hits,
            self.total,
            self.rate() * 100.0
        )
    }
}

/// Scores of one category over the labelled cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryScore {
    /// Cases labelled for this category.
    pub cases: usize,
    /// Expected flagged (obvious or review) and flagged.
    pub true_positives: usize,
    /// Expected none but flagged.
    pub false_positives: usize,
    /// Expected flagged but not flagged.
    pub false_negatives: usize,
    /// Expected obvious and found obvious.
    pub obvious_hits: usize,
    /// Expected obvious.
    pub obvious_expected: usize,
    /// Found obvious although the label says a person should decide or
    /// nothing is wrong: a lawful comment would be removed automatically.
    pub wrongly_obvious: usize,
}

impl CategoryScore {
    /// Flagged cases that should be flagged, among all flagged.
    pub fn precision(&self) -> Share {
        Share {
            hits: self.true_positives,
            total: self.true_positives + self.false_positives,
        }
    }

    /// Cases that should be flagged that are, among all such cases.
    pub fn recall(&self) -> Share {
        Share {
            hits: self.true_positives,
            total: self.true_positives + self.false_negatives,
        }
    }
}

/// Everything `eval` measures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    /// Valid personnummer/samordningsnummer found in all four written forms.
    pub valid_numbers_found_in_every_form: Share,
    /// Invalid numbers (any form) that got a personal-data finding.
    pub invalid_number_forms_flagged: Share,
    /// Organisation numbers (any form) that got a personal-data finding.
    pub organisation_number_forms_flagged: Share,
    /// SweFAQ questions with a question finding.
    pub swefaq_question_recall: Share,
    /// absabank-imm paragraphs that would be hidden or deleted.
    pub absabank_automatic_actions: Share,
    /// Paragraphs of [`NOT_LAWFUL_OPINION`], left out of the count above,
    /// that would be hidden or deleted.
    pub not_lawful_opinion_acted_on: Share,
    /// Argumentation sentences that would be hidden or deleted.
    pub argumentation_automatic_actions: Share,
    /// absabank-imm paragraphs and argumentation sentences sent to review.
    pub opinion_reviews: Share,
    /// Labelled scores per category.
    pub labelled: BTreeMap<String, CategoryScore>,
    /// The labelled files read.
    pub labelled_files: Vec<PathBuf>,
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "personnummer corpus")?;
        writeln!(
            f,
            "  valid numbers found in every form:   {}",
            self.valid_numbers_found_in_every_form
        )?;
        writeln!(
            f,
            "  invalid number forms flagged:        {}",
            self.invalid_number_forms_flagged
        )?;
        writeln!(
            f,
            "  organisation number forms flagged:   {}",
            self.organisation_number_forms_flagged
        )?;
        writeln!(f, "questions")?;
        writeln!(
            f,
            "  SweFAQ question recall:              {}",
            self.swefaq_question_recall
        )?;
        writeln!(f, "automatic actions on lawful opinion (must be 0)")?;
        writeln!(
            f,
            "  absabank-imm dev+train:              {}",
            self.absabank_automatic_actions
        )?;
        writeln!(
            f,
            "  left out, read as hets (acted on):   {}",
            self.not_lawful_opinion_acted_on
        )?;
        writeln!(
            f,
            "  argumentation-sentences:             {}",
            self.argumentation_automatic_actions
        )?;
        writeln!(
            f,
            "  sent to review (both sets):          {}",
            self.opinion_reviews
        )?;
        writeln!(f, "labelled cases ({} file(s))", self.labelled_files.len())?;
        writeln!(
            f,
            "  {:<26} {:>5} {:>22} {:>22} {:>14} {:>8}",
            "category", "cases", "precision", "recall", "obvious found", "wrongly"
        )?;
        for (category, score) in &self.labelled {
            writeln!(
                f,
                "  {:<26} {:>5} {:>22} {:>22} {:>14} {:>8}",
                category,
                score.cases,
                score.precision().to_string(),
                score.recall().to_string(),
                format!("{}/{}", score.obvious_hits, score.obvious_expected),
                score.wrongly_obvious
            )?;
        }
        Ok(())
    }
}

/// Runs the whole evaluation.
pub fn evaluate(
    classifier: &Classifier,
    corpus: &Path,
    labelled_dir: &Path,
) -> Result<EvalReport, EvalError> {
    let moderator = Moderator::new(classifier, DEFAULT_POLICY, FACEBOOK_CAPABILITIES);
    let mut report = EvalReport::default();
    personnummer_figures(classifier, corpus, &mut report)?;
    report.swefaq_question_recall = question_recall(classifier, corpus)?;
    let absabank = ["absabank-imm_dev.jsonl", "absabank-imm_train.jsonl"];
    let (absabank_auto, absabank_review, not_lawful) =
        automatic_actions(&moderator, corpus, &absabank, "text")?;
    let argumentation = ["argumentation-sentences_dev.jsonl"];
    let (argumentation_auto, argumentation_review, _) =
        automatic_actions(&moderator, corpus, &argumentation, "sentence")?;
    report.absabank_automatic_actions = absabank_auto;
    report.not_lawful_opinion_acted_on = not_lawful;
    report.argumentation_automatic_actions = argumentation_auto;
    report.opinion_reviews = Share {
        hits: absabank_review.hits + argumentation_review.hits,
        total: absabank_review.total + argumentation_review.total,
    };
    let (scores, files) = labelled_scores(classifier, labelled_dir)?;
    report.labelled = scores;
    report.labelled_files = files;
    Ok(report)
}

fn read(path: &Path) -> Result<String, EvalError> {
    if !path.is_file() {
        return Err(EvalError::Missing {
            path: path.to_path_buf(),
        });
    }
    std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    line: usize,
    text: &str,
) -> Result<T, EvalError> {
    serde_json::from_str(text).map_err(|e| EvalError::Parse {
        path: path.to_path_buf(),
        line,
        message: e.to_string(),
    })
}

/// Non-blank lines of a JSONL file, each parsed.
fn json_lines<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, EvalError> {
    read(path)?
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| parse_json(path, index + 1, line))
        .collect()
}

#[derive(Deserialize)]
struct CorpusNumber {
    long_format: String,
    short_format: String,
    separated_format: String,
    separated_long: String,
    valid: bool,
}

#[derive(Deserialize)]
struct CorpusOrgNumber {
    short_format: String,
    separated_format: String,
}

fn flags_personal_data(classifier: &Classifier, text: &str) -> bool {
    classifier
        .classify(text)
        .iter()
        .any(|f| f.category.group() == CategoryGroup::PersonalData)
}

fn finds_identity_number(classifier: &Classifier, text: &str) -> bool {
    classifier.classify(text).iter().any(|f| {
        matches!(
            f.category,
            Category::Personnummer | Category::Samordningsnummer
        )
    })
}

fn personnummer_figures(
    classifier: &Classifier,
    corpus: &Path,
    report: &mut EvalReport,
) -> Result<(), EvalError> {
    let list_path = corpus.join("personnummer/list.json");
    let numbers: Vec<CorpusNumber> = parse_json(&list_path, 1, &read(&list_path)?)?;
    for number in &numbers {
        let forms = [
            &number.long_format,
            &number.short_format,
            &number.separated_format,
            &number.separated_long,
        ];
        if number.valid {
            report.valid_numbers_found_in_every_form.total += 1;
            if forms
                .iter()
                .all(|form| finds_identity_number(classifier, form))
            {
                report.valid_numbers_found_in_every_form.hits += 1;
            }
        } else {
            for form in forms {
                report.invalid_number_forms_flagged.total += 1;
                if flags_personal_data(classifier, form) {
                    report.invalid_number_forms_flagged.hits += 1;
                }
            }
        }
    }
    let org_path = corpus.join("personnummer/orgnumber.json");
    let organisations: Vec<CorpusOrgNumber> = parse_json(&org_path, 1, &read(&org_path)?)?;
    for number in &organisations {
        for form in [&number.short_format, &number.separated_format] {
            for text in [
                form.clone(),
                format!("Företagets organisationsnummer är {form}."),
            ] {
                report.organisation_number_forms_flagged.total += 1;
                if flags_personal_data(classifier, &text) {
                    report.organisation_number_forms_flagged.hits += 1;
                }
            }
        }
    }
    Ok(())
}

fn question_recall(classifier: &Classifier, corpus: &Path) -> Result<Share, EvalError> {
    let rows: Vec<Value> = json_lines(&corpus.join("superlim/swefaq_dev.jsonl"))?;
    let mut share = Share::default();
    for question in rows.iter().filter_map(|row| row["question"].as_str()) {
        share.total += 1;
        if classifier
            .classify(question)
            .iter()
            .any(|f| f.category == Category::Question)
        {
            share.hits += 1;
        }
    }
    Ok(share)
}

/// The corpus's opinion paragraphs that a reading for this project found to
/// be hets mot folkgrupp rather than lawful opinion, by id, with the
/// reading: the corpus's README calls the set overwhelmingly, not wholly,
/// lawful. They are left out of the lawful-opinion figures and counted on
/// their own, so a lawyer can check each and disagree.
const NOT_LAWFUL_OPINION: &[(&str, &str)] = &[(
    "z01492_flashback-58216174_2",
    "declares »extremt förakt« for a group named by a racial slur (»negrer«) and draws \
     the group with a racist caricature (»ben genom näsan«): contempt for a folkgrupp for \
     its skin colour, BrB 16:8. Read in session 26, when the confirming model first acted \
     on a slur aimed at a group (model 0.95 sure)",
)];

/// Shares of texts (field `field` of each line) that would be acted on
/// automatically, and that would be sent to review; and the automatic
/// actions over those of [`NOT_LAWFUL_OPINION`] (left out of the first
/// two).
fn automatic_actions(
    moderator: &Moderator<'_>,
    corpus: &Path,
    files: &[&str],
    field: &str,
) -> Result<(Share, Share, Share), EvalError> {
    let mut automatic = Share::default();
    let mut review = Share::default();
    let mut not_lawful = Share::default();
    for file in files {
        let rows: Vec<Value> = json_lines(&corpus.join("superlim").join(file))?;
        for row in &rows {
            let Some(text) = row[field].as_str() else {
                continue;
            };
            let action = moderator.verdict(Value::Null, text).action;
            let id = row["id"].as_str().unwrap_or_default();
            if NOT_LAWFUL_OPINION.iter().any(|(listed, _)| *listed == id) {
                not_lawful.total += 1;
                not_lawful.hits += usize::from(action.is_platform_action());
                continue;
            }
            automatic.total += 1;
            review.total += 1;
            if action.is_platform_action() {
                automatic.hits += 1;
            }
            if action == crate::domain::ModerationAction::Review {
                review.hits += 1;
            }
        }
    }
    Ok((automatic, review, not_lawful))
}

/// One labelled case.
#[derive(Debug, Deserialize)]
pub struct LabelledCase {
    /// The comment text.
    pub text: String,
    /// The category the label is about.
    pub category: Category,
    /// What should happen for that category.
    pub expect: Expectation,
}

/// What a labelled case expects for its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// Beyond doubt: automatic removal is right.
    Obvious,
    /// A person should look (probable or possible).
    Review,
    /// Nothing to flag for this category.
    None,
}

/// What the classifier says about `category` in `text`.
pub fn observed(classifier: &Classifier, text: &str, category: Category) -> Expectation {
    let strongest = classifier
        .classify(text)
        .into_iter()
        .filter(|f| f.category == category)
        .map(|f| f.confidence)
        .max();
    match strongest {
        Some(Confidence::Obvious) => Expectation::Obvious,
        Some(_) => Expectation::Review,
        None => Expectation::None,
    }
}

/// Scores over every `*.jsonl` file in `dir` (none is fine: an empty table).
fn labelled_scores(
    classifier: &Classifier,
    dir: &Path,
) -> Result<(BTreeMap<String, CategoryScore>, Vec<PathBuf>), EvalError> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut scores: BTreeMap<String, CategoryScore> = BTreeMap::new();
    for file in &files {
        let cases: Vec<LabelledCase> = json_lines(file)?;
        for case in cases {
            let got = observed(classifier, &case.text, case.category);
            score(
                scores.entry(case.category.to_string()).or_default(),
                case.expect,
                got,
            );
        }
    }
    Ok((scores, files))
}

fn score(entry: &mut CategoryScore, expected: Expectation, got: Expectation) {
    entry.cases += 1;
    let expected_flag = expected != Expectation::None;
    let got_flag = got != Expectation::None;
    match (expected_flag, got_flag) {
        (true, true) => entry.true_positives += 1,
        (false, true) => entry.false_positives += 1,
        (true, false) => entry.false_negatives += 1,
        (false, false) => {}
    }
    if expected == Expectation::Obvious {
        entry.obvious_expected += 1;
        if got == Expectation::Obvious {
            entry.obvious_hits += 1;
        }
    } else if got == Expectation::Obvious {
        entry.wrongly_obvious += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> PathBuf {
        let dir = corpus_dir_in(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(
            dir.join("superlim/swefaq_dev.jsonl").is_file()
                && dir.join("personnummer/list.json").is_file(),
            "test corpus not found in {} (the repository's copy is tests/data/corpus; \
             {CORPUS_ENV} overrides it)",
            dir.display()
        );
        dir
    }

    fn labelled_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/labelled")
    }

    /// The must-holds of the classifier, measured on the shared corpus.
    #[test]
    fn corpus_must_holds() {
        let report = evaluate(&Classifier::standard(), &corpus(), &labelled_dir()).unwrap();
        println!("{report}");
        assert!(
            report.swefaq_question_recall.rate() >= 0.95,
            "SweFAQ question recall {} is below 95 %",
            report.swefaq_question_recall
        );
        assert_eq!(
            report.absabank_automatic_actions.hits, 0,
            "lawful opinion (absabank-imm) would be removed automatically"
        );
        assert!(report.absabank_automatic_actions.total > 4000);
        assert_eq!(
            report.not_lawful_opinion_acted_on.total,
            NOT_LAWFUL_OPINION.len(),
            "every paragraph read as not lawful is in the corpus"
        );
        assert_eq!(
            report.argumentation_automatic_actions.hits, 0,
            "argumentation sentences would be removed automatically"
        );
        assert!(report.argumentation_automatic_actions.total > 700);
        assert_eq!(
            report.organisation_number_forms_flagged.hits, 0,
            "an organisation number was flagged as personal data"
        );
        assert!(report.organisation_number_forms_flagged.total > 0);
        assert_eq!(
            report.valid_numbers_found_in_every_form.hits,
            report.valid_numbers_found_in_every_form.total
        );
    }

    #[test]
    fn labelled_cases_never_remove_what_should_stay() {
        let (scores, files) = labelled_scores(&Classifier::standard(), &labelled_dir()).unwrap();
        assert!(
            !files.is_empty(),
            "no labelled files in tests/data/labelled"
        );
        for (category, score) in &scores {
            assert_eq!(
                score.wrongly_obvious, 0,
                "{category}: a case labelled review/none is found obvious"
            );
        }
    }

    #[test]
    fn missing_corpus_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = evaluate(&Classifier::standard(), dir.path(), dir.path()).unwrap_err();
        assert!(matches!(error, EvalError::Missing { .. }));
        assert!(error.to_string().contains("--corpus"));
    }

    #[test]
    fn bad_labelled_line_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("x.jsonl"),
            "{\"text\": \"a\", \"category\": \"health\", \"expect\": \"none\"}\n{oops\n",
        )
        .unwrap();
        let error = labelled_scores(&Classifier::standard(), dir.path()).unwrap_err();
        assert!(error.to_string().contains("x.jsonl:2"), "{error}");
    }

    #[test]
    fn scoring_counts_wrongly_obvious_separately() {
        let mut entry = CategoryScore::default();
        score(&mut entry, Expectation::Obvious, Expectation::Obvious);
        score(&mut entry, Expectation::Review, Expectation::Obvious);
        score(&mut entry, Expectation::None, Expectation::Review);
        score(&mut entry, Expectation::Obvious, Expectation::None);
        assert_eq!(entry.true_positives, 2);
        assert_eq!(entry.false_positives, 1);
        assert_eq!(entry.false_negatives, 1);
        assert_eq!(entry.wrongly_obvious, 1);
        assert_eq!(entry.obvious_hits, 1);
        assert_eq!(entry.obvious_expected, 2);
    }
}
