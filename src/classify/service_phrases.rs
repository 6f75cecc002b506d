//! The phrase tables of the service detectors (questions, case matters,
//! concern for a child), in word lists that moderators and the city's
//! communicators can extend without touching code.
//!
//! # Layout
//!
//! ```text
//! wordlists/sv/service/<table>.txt
//! ```
//!
//! one file per table (see [`Table`]): `questions_openers`,
//! `questions_unmarked_openers`, `questions_requests`,
//! `questions_rhetorical`, `questions_exclamations`, `case_fault`,
//! `case_complaint`, `case_application`, `case_reference`,
//! `child_welfare_child`, `child_welfare_harm`, `child_welfare_explicit`.
//! The repository's lists are compiled into the binary
//! ([`ServicePhrases::embedded`]). A city with its own word-list folder
//! (`[classify] wordlists_dir`) may put its own list of any table in
//! `<wordlists_dir>/sv/service/`; it adds to the built-in table (or
//! replaces it, when its header has the line `# mode: replace`), and a
//! table the folder lacks stays the built-in one, so a folder made before
//! these lists existed keeps every detector working. A file there that is
//! not one of the tables is refused (a misspelt name would otherwise be
//! ignored in silence).
//!
//! # Line format
//!
//! Every file starts with the provenance header of all word lists
//! (`# source:` and `# licence:`, see [`super::lexicon`]). Lines starting
//! with `#` and blank lines are comments. Every other line is one entry:
//!
//! - a **plain phrase**, e.g. `gått sönder`: a space (any run of white
//!   space) stands for any white space in the comment, a trailing `*` for
//!   any ending (`misshandl*` is `misshandlar`, `misshandlade` …), and
//!   every other character stands for itself; upper and lower case are the
//!   same. A phrase must begin and end with a letter or digit (it is
//!   matched as whole words), and the regex characters
//!   `\ ^ $ | ? + ( ) [ ] { }` (and a `*` anywhere but at the end) are
//!   refused, so a regex written without `re:` is not silently taken
//!   literally;
//! - `re:` and a **regex fragment** in Rust regex syntax, e.g.
//!   `re:trasig(?:a|t)?`, matched case-insensitively, for what a plain
//!   phrase cannot say. The fragment must compile on its own and must not
//!   match an empty text (it would match everywhere). Where the table is
//!   matched as whole words, the fragment should begin and end with a word
//!   character, as a plain phrase does (see [`super::phrases`]).
//!
//! Each error names the file and the line. A list without entries is
//! refused: remove the file to use the built-in table.
//!
//! # Matching
//!
//! How a table's entries are matched is the table's (each file says it in
//! its header): as whole words anywhere in the text ([`WholeWords`]), at
//! the start of a sentence followed by the end of a word (the openers and
//! exclamations), or anywhere in a question sentence (the rhetorical
//! questions). The entries of a table become one alternation, in the order
//! of the file, each `re:` fragment in a group of its own.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::lexicon::{ListFormatError, entry_lines, replaces_builtin, require_provenance};
use super::phrases::{Case, End, WORD_END, WholeWords};
use super::rule::compile_regex;

/// One phrase table: a file of `wordlists/sv/service/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Words that open a question (interrogatives, inverted verbs).
    QuestionOpeners,
    /// Openers of a request for information without a question mark.
    UnmarkedOpeners,
    /// Requests for information anywhere in a sentence.
    InformationRequests,
    /// Rhetorical questions: no answer expected.
    Rhetorical,
    /// Exclamations that look like questions ("Vad bra!").
    Exclamations,
    /// Fault reports.
    CaseFault,
    /// Complaints.
    CaseComplaint,
    /// Applications and appeals.
    CaseApplication,
    /// References to case numbers.
    CaseReference,
    /// Words for children.
    ChildWords,
    /// Words for harm that, near a child word, express a concern.
    HarmWords,
    /// Phrases that on their own state that a child is harmed.
    ExplicitHarm,
}

impl Table {
    /// Every table, in the order of the module documentation.
    pub const ALL: [Table; 12] = [
        Table::QuestionOpeners,
        Table::UnmarkedOpeners,
        Table::InformationRequests,
        Table::Rhetorical,
        Table::Exclamations,
        Table::CaseFault,
        Table::CaseComplaint,
        Table::CaseApplication,
        Table::CaseReference,
        Table::ChildWords,
        Table::HarmWords,
        Table::ExplicitHarm,
    ];

    /// The file name stem, as in `wordlists/sv/service/<stem>.txt`.
    pub fn stem(self) -> &'static str {
        match self {
            Table::QuestionOpeners => "questions_openers",
            Table::UnmarkedOpeners => "questions_unmarked_openers",
            Table::InformationRequests => "questions_requests",
            Table::Rhetorical => "questions_rhetorical",
            Table::Exclamations => "questions_exclamations",
            Table::CaseFault => "case_fault",
            Table::CaseComplaint => "case_complaint",
            Table::CaseApplication => "case_application",
            Table::CaseReference => "case_reference",
            Table::ChildWords => "child_welfare_child",
            Table::HarmWords => "child_welfare_harm",
            Table::ExplicitHarm => "child_welfare_explicit",
        }
    }

    /// The repository's list of this table, compiled into the binary.
    fn embedded(self) -> &'static str {
        match self {
            Table::QuestionOpeners => {
                include_str!("../../wordlists/sv/service/questions_openers.txt")
            }
            Table::UnmarkedOpeners => {
                include_str!("../../wordlists/sv/service/questions_unmarked_openers.txt")
            }
            Table::InformationRequests => {
                include_str!("../../wordlists/sv/service/questions_requests.txt")
            }
            Table::Rhetorical => {
                include_str!("../../wordlists/sv/service/questions_rhetorical.txt")
            }
            Table::Exclamations => {
                include_str!("../../wordlists/sv/service/questions_exclamations.txt")
            }
            Table::CaseFault => include_str!("../../wordlists/sv/service/case_fault.txt"),
            Table::CaseComplaint => include_str!("../../wordlists/sv/service/case_complaint.txt"),
            Table::CaseApplication => {
                include_str!("../../wordlists/sv/service/case_application.txt")
            }
            Table::CaseReference => include_str!("../../wordlists/sv/service/case_reference.txt"),
            Table::ChildWords => include_str!("../../wordlists/sv/service/child_welfare_child.txt"),
            Table::HarmWords => include_str!("../../wordlists/sv/service/child_welfare_harm.txt"),
            Table::ExplicitHarm => {
                include_str!("../../wordlists/sv/service/child_welfare_explicit.txt")
            }
        }
    }

    /// The table stored under `stem`, if any.
    fn named(stem: &str) -> Option<Self> {
        Table::ALL.into_iter().find(|table| table.stem() == stem)
    }
}

/// Where the tables live under a word-list folder.
const SERVICE_FOLDER: &str = "sv/service";

/// Why a phrase list cannot be used; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum PhraseListError {
    /// The list's text breaks the format (a line, the header).
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// A list holds no entry, which would switch a detector off.
    #[error("{file}: the list holds no phrases; remove the file to use the built-in list")]
    Empty { file: String },
    /// A file in the service folder is not one of the tables.
    #[error("{file}: unknown phrase list; the service lists are {}", table_names())]
    UnknownList { file: String },
    /// The entries compile one by one but not together (too large).
    #[error("{file}: the phrases cannot be compiled together: {reason}")]
    TooLarge { file: String, reason: String },
    /// The folder or a file in it cannot be read.
    #[error("cannot read the phrase lists at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn table_names() -> String {
    Table::ALL
        .map(|table| format!("{}.txt", table.stem()))
        .join(", ")
}

/// Every phrase table, compiled for the detectors; immutable once built.
/// The fields are named after the tables' files.
#[derive(Debug, Clone)]
pub struct ServicePhrases {
    /// `questions_openers`, at the start of a sentence.
    pub question_openers: Regex,
    /// `questions_unmarked_openers`, at the start of a sentence.
    pub unmarked_openers: Regex,
    /// `questions_requests`, as whole words.
    pub information_requests: WholeWords,
    /// `questions_rhetorical`, anywhere.
    pub rhetorical: Regex,
    /// `questions_exclamations`, at the start of a sentence.
    pub exclamations: Regex,
    /// `case_fault`, as whole words.
    pub case_fault: WholeWords,
    /// `case_complaint`, as whole words.
    pub case_complaint: WholeWords,
    /// `case_application`, as whole words.
    pub case_application: WholeWords,
    /// `case_reference`, as whole words.
    pub case_reference: WholeWords,
    /// `child_welfare_child`, as whole words.
    pub child_words: WholeWords,
    /// `child_welfare_harm`, as whole words.
    pub harm_words: WholeWords,
    /// `child_welfare_explicit`, as whole words.
    pub explicit_harm: WholeWords,
    phrase_count: usize,
}

impl ServicePhrases {
    /// The repository's tables, compiled into the binary.
    pub fn embedded() -> Result<Self, PhraseListError> {
        Self::from_lists(builtin_lists())
    }

    /// The built-in tables, for detectors built without a configuration.
    /// A unit test compiles them (`the_embedded_lists_compile`), so this
    /// cannot fail in a released binary.
    pub fn builtin() -> Self {
        Self::embedded().expect("embedded service phrase lists compile")
    }

    /// The tables of a city's word-list folder: each
    /// `<dir>/sv/service/<table>.txt` adds its phrases to the built-in
    /// table, or replaces it when its header has the line
    /// `# mode: replace`; the others stay built in. Errors name each file
    /// by its path.
    pub fn load_dir(dir: &Path) -> Result<Self, PhraseListError> {
        let mut lists = builtin_lists();
        let folder = dir.join(SERVICE_FOLDER);
        if !folder.is_dir() {
            return Self::from_lists(lists);
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| PhraseListError::Io { path, source }
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(io(&folder))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for file in files {
            let name = file.display().to_string();
            let table = file
                .file_stem()
                .and_then(|stem| stem.to_str())
                .and_then(Table::named)
                .ok_or_else(|| PhraseListError::UnknownList { file: name.clone() })?;
            let contents = std::fs::read_to_string(&file).map_err(io(&file))?;
            let own = &mut lists[table as usize];
            if replaces_builtin(&contents) {
                own.clear();
            }
            own.push((name, contents));
        }
        Self::from_lists(lists)
    }

    /// Compiles the lists of every table, given as (name for errors,
    /// contents) in the order of [`Table::ALL`]; a table's lists (the
    /// built-in one and a city's addition) become one alternation.
    fn from_lists(lists: [TableLists; 12]) -> Result<Self, PhraseListError> {
        let mut phrase_count = 0;
        let mut parsed = Vec::with_capacity(lists.len());
        for files in &lists {
            let mut entries = Vec::new();
            for (name, contents) in files {
                entries.extend(fragments(name, contents)?);
            }
            phrase_count += entries.len();
            let name = files.last().map_or("", |(name, _)| name.as_str());
            parsed.push((name, entries.join("|")));
        }
        let alternation = |table: Table| parsed[table as usize].clone();
        Ok(Self {
            question_openers: at_sentence_start(alternation(Table::QuestionOpeners))?,
            unmarked_openers: at_sentence_start(alternation(Table::UnmarkedOpeners))?,
            information_requests: whole_words(alternation(Table::InformationRequests))?,
            rhetorical: anywhere(alternation(Table::Rhetorical))?,
            exclamations: at_sentence_start(alternation(Table::Exclamations))?,
            case_fault: whole_words(alternation(Table::CaseFault))?,
            case_complaint: whole_words(alternation(Table::CaseComplaint))?,
            case_application: whole_words(alternation(Table::CaseApplication))?,
            case_reference: whole_words(alternation(Table::CaseReference))?,
            child_words: whole_words(alternation(Table::ChildWords))?,
            harm_words: whole_words(alternation(Table::HarmWords))?,
            explicit_harm: whole_words(alternation(Table::ExplicitHarm))?,
            phrase_count,
        })
    }

    /// How many entries the tables hold (for start-up logs and tests).
    pub fn phrase_count(&self) -> usize {
        self.phrase_count
    }
}

/// The lists of one table: (name for errors, contents), the built-in one
/// first.
type TableLists = Vec<(String, String)>;

/// The built-in list of every table, in the order of [`Table::ALL`].
fn builtin_lists() -> [TableLists; 12] {
    Table::ALL.map(|table| {
        vec![(
            format!("{SERVICE_FOLDER}/{}.txt", table.stem()),
            table.embedded().to_owned(),
        )]
    })
}

/// A table's file name and its entries joined into one alternation.
type Alternation<'a> = (&'a str, String);

fn too_large(file: &str) -> impl FnOnce(regex::Error) -> PhraseListError + '_ {
    move |error| PhraseListError::TooLarge {
        file: file.to_owned(),
        reason: error.to_string(),
    }
}

/// Entries matched as whole words, anywhere in the text.
fn whole_words((file, alternation): Alternation<'_>) -> Result<WholeWords, PhraseListError> {
    WholeWords::compile(&alternation, Case::Insensitive, End::Word).map_err(too_large(file))
}

/// Entries matched at the start of a sentence, after any punctuation, and
/// followed by the end of a word.
fn at_sentence_start((file, alternation): Alternation<'_>) -> Result<Regex, PhraseListError> {
    compile_regex(&format!(r"(?i)^\W*(?:{alternation}){WORD_END}")).map_err(too_large(file))
}

/// Entries matched anywhere, also inside a word.
fn anywhere((file, alternation): Alternation<'_>) -> Result<Regex, PhraseListError> {
    compile_regex(&format!(r"(?i)(?:{alternation})")).map_err(too_large(file))
}

/// The regex fragment of every entry of one list, in order.
fn fragments(file: &str, contents: &str) -> Result<Vec<String>, PhraseListError> {
    require_provenance(file, contents)?;
    let fragments = entry_lines(contents)
        .map(|(line, text)| {
            fragment(text).map_err(|reason| ListFormatError::BadLine {
                file: file.to_owned(),
                line,
                reason,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if fragments.is_empty() {
        return Err(PhraseListError::Empty {
            file: file.to_owned(),
        });
    }
    Ok(fragments)
}

/// Characters that mean something in a regex and so are refused in a
/// plain phrase (`*` is allowed at the end only).
const REGEX_CHARACTERS: &[char] = &[
    '\\', '^', '$', '|', '?', '+', '(', ')', '[', ']', '{', '}', '*',
];

/// The regex fragment of one entry line; the error says what is wrong.
fn fragment(line: &str) -> Result<String, String> {
    let entry = line.trim();
    if entry.contains('\t') {
        return Err(
            "a line holds one phrase and no TAB-separated columns; write a comment on a line of its own starting with #"
                .to_owned(),
        );
    }
    match entry.strip_prefix("re:") {
        Some(fragment) => regex_fragment(fragment.trim()),
        None => plain_phrase(entry),
    }
}

/// A `re:` fragment: it must compile on its own (so it cannot reach out of
/// its group) and must not match an empty text.
///
/// The fragment is parsed, not compiled: building a regex for each of the
/// tables' fragments cost some 87 M instructions at every start (callgrind
/// on `classify --jsonl`), and the table's own pattern compiles them all
/// again. Only a fragment whose shortest match is empty is compiled, to
/// ask whether its look-arounds let it match an empty text.
fn regex_fragment(fragment: &str) -> Result<String, String> {
    if fragment.is_empty() {
        return Err("the regex fragment after `re:` is empty".to_owned());
    }
    let parsed = regex_syntax::Parser::new()
        .parse(fragment)
        .map_err(|error| does_not_compile(&error.to_string()))?;
    if parsed.properties().minimum_len() == Some(0) && matches_empty(fragment)? {
        return Err(
            "the regex fragment matches an empty text, so it would match everywhere".to_owned(),
        );
    }
    Ok(format!("(?:{fragment})"))
}

/// Whether a fragment whose shortest match is empty matches an empty text
/// (`(?:ok)?` does; `\b`, which needs a word beside it, does not).
fn matches_empty(fragment: &str) -> Result<bool, String> {
    let compiled = Regex::new(fragment).map_err(|error| does_not_compile(&error.to_string()))?;
    Ok(compiled.is_match(""))
}

/// The reason of a fragment's syntax error: the error is a drawing of the
/// pattern ending in the reason.
fn does_not_compile(detail: &str) -> String {
    let last = detail.lines().last().unwrap_or_default().trim();
    let reason = last.strip_prefix("error: ").unwrap_or(last);
    format!("the regex fragment does not compile: {reason}")
}

/// A plain phrase: words separated by white space, a trailing `*` for any
/// ending, every character standing for itself.
fn plain_phrase(entry: &str) -> Result<String, String> {
    let (words, any_ending) = match entry.strip_suffix('*') {
        Some(words) => (words, true),
        None => (entry, false),
    };
    if let Some(c) = words.chars().find(|c| REGEX_CHARACTERS.contains(c)) {
        return Err(format!(
            "`{c}` is not allowed in a plain phrase (a `*` only at the end, for any ending); \
             start the line with `re:` to write a regex fragment"
        ));
    }
    let edges = [words.chars().next(), words.chars().next_back()];
    if !edges.iter().all(|c| c.is_some_and(char::is_alphanumeric)) {
        return Err("a phrase must begin and end with a letter or digit".to_owned());
    }
    let mut fragment = words
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+");
    if any_ending {
        fragment.push_str(r"\w*");
    }
    Ok(fragment)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# source: test\n# licence: EUPL-1.2\n";

    fn error_of(line: &str) -> String {
        fragment(line).expect_err(line)
    }

    #[test]
    fn the_embedded_lists_compile() {
        let phrases = ServicePhrases::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(phrases.phrase_count() > 100, "{}", phrases.phrase_count());
    }

    #[test]
    fn plain_phrases_match_any_white_space_and_any_ending() {
        let words = |line: &str| {
            WholeWords::compile(
                &fragment(line).unwrap_or_else(|e| panic!("{e}")),
                Case::Insensitive,
                End::Word,
            )
            .expect("compiles")
        };
        let broken = words("gått sönder");
        assert!(broken.is_match("Bänken har GÅTT\n  sönder"));
        assert!(!broken.is_match("gåttsönder"));
        let hurt = words("misshandl*");
        assert!(hurt.is_match("de misshandlade honom"));
        assert!(hurt.is_match("misshandl"));
        assert!(!hurt.is_match("omisshandlad"));
        // Punctuation stands for itself, not for a regex.
        let dotted = words("kl. 8");
        assert!(dotted.is_match("öppet kl. 8"));
        assert!(!dotted.is_match("öppet klx 8"));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        for (line, expected) in [
            ("trasig(a|t)?", "`(` is not allowed in a plain phrase"),
            ("mis*handel", "`*` is not allowed"),
            ("-trasig", "begin and end with a letter or digit"),
            ("trasig\tbroken", "no TAB-separated columns"),
            ("re:", "after `re:` is empty"),
            ("re:trasig(?:a|t", "does not compile: unclosed group"),
            ("re:a)|(b", "does not compile"),
            ("re:(?:ok)?", "matches an empty text"),
        ] {
            let error = error_of(line);
            assert!(error.contains(expected), "{line:?}: {error}");
        }
    }

    #[test]
    fn a_bad_line_in_each_table_names_file_and_line() {
        for table in Table::ALL {
            let mut lists = builtin_lists();
            let file = format!("{}.txt", table.stem());
            lists[table as usize] = vec![(file.clone(), format!("{HEADER}ok\n\nre:(?:\n"))];
            let error = ServicePhrases::from_lists(lists)
                .expect_err(&file)
                .to_string();
            assert!(
                error.starts_with(&format!(
                    "{file}, line 5: the regex fragment does not compile"
                )),
                "{error}"
            );
        }
    }

    #[test]
    fn lists_without_provenance_or_entries_are_refused() {
        assert!(matches!(
            fragments("case_fault.txt", "trasig\n"),
            Err(PhraseListError::Format(
                ListFormatError::MissingProvenance {
                    header: "source",
                    ..
                }
            ))
        ));
        let error = fragments("case_fault.txt", &format!("{HEADER}# only comments\n"))
            .expect_err("empty")
            .to_string();
        assert!(
            error.contains("case_fault.txt: the list holds no phrases"),
            "{error}"
        );
    }

    #[test]
    fn a_citys_folder_replaces_the_tables_it_has() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join(SERVICE_FOLDER);
        std::fs::create_dir_all(&folder).expect("folder");
        let mut fault = Table::CaseFault.embedded().to_owned();
        fault.push_str("# mode: replace\n# Stockholm's own\nlådcykel på avvägar\n");
        std::fs::write(folder.join("case_fault.txt"), fault).expect("write");

        let city = ServicePhrases::load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let builtin = ServicePhrases::builtin();
        let text = "En lådcykel på  avvägar vid Slussen";
        assert!(city.case_fault.is_match(text));
        assert!(!builtin.case_fault.is_match(text));
        // The tables the folder lacks are the built-in ones.
        assert!(city.question_openers.is_match("När öppnar badet?"));
        assert_eq!(city.phrase_count(), builtin.phrase_count() + 1);
    }

    #[test]
    fn a_citys_list_without_replace_adds_to_the_builtin_table() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join(SERVICE_FOLDER);
        std::fs::create_dir_all(&folder).expect("folder");
        let own = format!("{HEADER}lådcykel på avvägar\n");
        std::fs::write(folder.join("case_fault.txt"), own).expect("write");
        std::fs::write(
            folder.join("questions_openers.txt"),
            format!("{HEADER}# mode: replace\nundrar\n"),
        )
        .expect("write");

        let city = ServicePhrases::load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let builtin = ServicePhrases::builtin();
        assert!(
            city.case_fault
                .is_match("En lådcykel på avvägar vid Slussen")
        );
        assert!(
            city.case_fault.is_match("Gatlampan är trasig"),
            "built-in phrases stay"
        );
        assert!(city.question_openers.is_match("Undrar om badet är öppet?"));
        assert!(
            !city.question_openers.is_match("När öppnar badet?"),
            "replaced"
        );
        let openers = Table::QuestionOpeners.embedded();
        let replaced = fragments("questions_openers.txt", openers).map_or(0, |f| f.len());
        assert_eq!(
            city.phrase_count(),
            builtin.phrase_count() + 1 - replaced + 1
        );
    }

    #[test]
    fn a_citys_bad_line_or_unknown_file_is_named_by_its_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join(SERVICE_FOLDER);
        std::fs::create_dir_all(&folder).expect("folder");
        let file = folder.join("child_welfare_harm.txt");
        std::fs::write(&file, format!("{HEADER}far illa\nslå(r|s)\n")).expect("write");
        let error = ServicePhrases::load_dir(dir.path())
            .expect_err("bad line")
            .to_string();
        assert!(
            error.starts_with(&format!("{}, line 4: `(`", file.display())),
            "{error}"
        );

        std::fs::remove_file(&file).expect("remove");
        std::fs::write(folder.join("case_faults.txt"), HEADER).expect("write");
        let error = ServicePhrases::load_dir(dir.path())
            .expect_err("unknown list")
            .to_string();
        assert!(
            error.contains("case_faults.txt: unknown phrase list"),
            "{error}"
        );
        assert!(error.contains("case_fault.txt"), "{error}");
    }
}
