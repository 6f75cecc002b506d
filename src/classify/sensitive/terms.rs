//! The art. 9 vocabularies: one word list per category in
//! `wordlists/<language>/sensitive/<category>.txt`, compiled into one
//! Aho-Corasick automaton that runs once over a comment's normalised text.
//!
//! The lists are word lists and not Rust tables so that a moderator can read
//! and extend them; they are compiled into the binary so the service works
//! without the folder.
//!
//! # Line format
//!
//! The lexicon's format (see [`crate::classify::lexicon`]): a provenance
//! header (`# source:` and `# licence:`), then six TAB-separated columns:
//!
//! ```text
//! term  inflection  role  confidence  compound  comment
//! ```
//!
//! `inflection`, `compound` and `comment` mean what they mean in the
//! lexicon. The `role` says how the term states a sensitive fact:
//!
//! - `trait`: a noun or adjective that states it once a linking verb ties it
//!   to a person ("Anna Svensson **är kurd**");
//! - `act`: a predicate that states it by itself ("… **köper sex**");
//! - `body`: a party, union or congregation that states it only after a
//!   membership cue ("medlem i **Vision**"; "Vision har skrivit på avtalet"
//!   says nothing about anyone); its genitive is generated
//!   ("aktiv i **Vänsterpartiets** styrelse");
//! - `origin`: a country or region that states ethnic or national origin
//!   only after an origin cue ("kommer från **Bosnien**").
//!
//! `confidence` is the highest confidence a match may give even when it is
//! tied to an identified person: an ambiguous word (`blind`, `rysk`) is at
//! most `probable`, so a person decides.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, Input};

use crate::classify::lexicon::{
    Compound, Inflection, ListFormatError, TermColumns, entry_lines, next_char, replaces_builtin,
    require_provenance, term_automaton, term_columns, within_boundaries,
};
use crate::classify::normalize::{Normalized, key};
use crate::domain::{Category, Confidence};

/// The repository's art. 9 lists, compiled into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "sv/sensitive/ethnic_origin.txt",
        include_str!("../../../wordlists/sv/sensitive/ethnic_origin.txt"),
    ),
    (
        "sv/sensitive/political_opinion.txt",
        include_str!("../../../wordlists/sv/sensitive/political_opinion.txt"),
    ),
    (
        "sv/sensitive/religion.txt",
        include_str!("../../../wordlists/sv/sensitive/religion.txt"),
    ),
    (
        "sv/sensitive/trade_union.txt",
        include_str!("../../../wordlists/sv/sensitive/trade_union.txt"),
    ),
    (
        "sv/sensitive/health.txt",
        include_str!("../../../wordlists/sv/sensitive/health.txt"),
    ),
    (
        "sv/sensitive/sex_life.txt",
        include_str!("../../../wordlists/sv/sensitive/sex_life.txt"),
    ),
    (
        "sv/sensitive/genetic_biometric.txt",
        include_str!("../../../wordlists/sv/sensitive/genetic_biometric.txt"),
    ),
];

/// How a term states a sensitive fact; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermRole {
    /// Needs a linking verb to a person ("är", "har").
    Trait,
    /// A predicate; states the fact by itself.
    Act,
    /// A named organisation; only after a membership cue.
    Body,
    /// A country or region; only after an origin cue.
    Origin,
}

impl TermRole {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "trait" => TermRole::Trait,
            "act" => TermRole::Act,
            "body" => TermRole::Body,
            "origin" => TermRole::Origin,
            _ => return None,
        })
    }
}

/// Why an art. 9 list cannot be used; each variant says where to look.
#[derive(Debug, thiserror::Error)]
pub enum TermListError {
    /// The list's text breaks the format (a line, the header).
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// The file is not named `<language>/sensitive/<art. 9 category>.txt`.
    #[error(
        "{file}: unknown art. 9 list; name it <language>/sensitive/<category>.txt with one of ethnic_origin, political_opinion, religion, trade_union, health, sex_life, genetic_biometric"
    )]
    UnknownList { file: String },
    /// The automaton cannot be built.
    #[error("cannot compile the art. 9 word lists into one automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
    /// A city's folder or a file in it cannot be read.
    #[error("cannot read the art. 9 word lists at {path}: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// One term line, as the detector sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermEntry {
    /// The list the term comes from, e.g. `sv/sensitive/health.txt`.
    pub list: String,
    /// The line in that list, for appeals and list maintenance.
    pub line: usize,
    /// The category the term reveals.
    pub category: Category,
    /// How the term states the fact.
    pub role: TermRole,
    /// The highest confidence a match may give.
    pub ceiling: Confidence,
    /// Where the term may sit inside a compound.
    pub compound: Compound,
}

/// A term found in a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch<'a> {
    /// Where the term is in the original text.
    pub span: Range<usize>,
    /// The list line that matched.
    pub entry: &'a TermEntry,
}

/// Every art. 9 list compiled into one automaton; immutable once built.
#[derive(Debug, Clone)]
pub struct SensitiveTerms {
    automaton: AhoCorasick,
    /// For every automaton pattern: the entries it stands for (the same
    /// word may reveal two categories, e.g. `jude`).
    targets: Vec<Vec<usize>>,
    entries: Vec<TermEntry>,
}

impl SensitiveTerms {
    /// The repository's lists, compiled into the binary.
    pub fn embedded() -> Result<Self, TermListError> {
        Self::from_lists(EMBEDDED)
    }

    /// The repository's lists with a city's own from
    /// `<dir>/<language>/sensitive/*.txt` over them: a city's list adds its
    /// lines to the built-in list of the same name, or replaces it when its
    /// header has the line `# mode: replace`; a list the folder lacks stays
    /// built in. Errors name each city file by its path.
    pub fn with_overlay(dir: &Path) -> Result<Self, TermListError> {
        let city = read_city_lists(dir)?;
        let replaced: HashSet<&str> = city
            .iter()
            .filter(|(_, _, contents)| replaces_builtin(contents))
            .map(|(name, _, _)| name.as_str())
            .collect();
        let mut builder = Builder::default();
        for (name, contents) in EMBEDDED {
            if !replaced.contains(name) {
                builder.add_list(name, contents)?;
            }
        }
        for (_, path, contents) in &city {
            builder.add_list(&path.display().to_string(), contents)?;
        }
        builder.build()
    }

    /// Compiles lists given as (name under `wordlists/`, contents).
    pub fn from_lists(lists: &[(&str, &str)]) -> Result<Self, TermListError> {
        let mut builder = Builder::default();
        for (name, contents) in lists {
            builder.add_list(name, contents)?;
        }
        builder.build()
    }

    /// How many term lines the lists hold.
    pub fn term_count(&self) -> usize {
        self.entries.len()
    }

    /// Every term in `text`, left to right, with its span in `text`;
    /// `normalized` is the key of `text`.
    pub fn find<'a>(&'a self, normalized: &Normalized, text: &str) -> Vec<TermMatch<'a>> {
        let key = normalized.text.as_str();
        let mut found = Vec::new();
        let mut position = 0;
        while position < key.len() {
            let Some(hit) = self.automaton.find(Input::new(key).range(position..)) else {
                break;
            };
            let (start, end) = (hit.start(), hit.end());
            let entries = self
                .targets
                .get(hit.pattern().as_usize())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut accepted = false;
            for entry in entries.iter().filter_map(|&i| self.entries.get(i)) {
                if within_boundaries(key, start, end, entry.compound) {
                    let (from, to) = normalized.original_span(start, end);
                    found.push(TermMatch {
                        span: whole_word(text, from..to, entry.compound),
                        entry,
                    });
                    accepted = true;
                }
            }
            position = if accepted { end } else { next_char(key, start) };
        }
        found
    }
}

/// A compound match widened to the whole word as written ("bröstcancer",
/// "HIV-smittade"), so a finding shows the word the person used.
fn whole_word(text: &str, span: Range<usize>, compound: Compound) -> Range<usize> {
    let part_of_word = |c: char| c.is_alphanumeric() || c == '-';
    let mut start = span.start;
    if matches!(compound, Compound::Last | Compound::Both) {
        start = text[..start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| part_of_word(*c))
            .last()
            .map_or(start, |(at, _)| at);
    }
    let mut end = span.end;
    if matches!(compound, Compound::First | Compound::Both) {
        end += text[end..]
            .chars()
            .take_while(|c| part_of_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    }
    start..end
}

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    targets: Vec<Vec<usize>>,
    index_of: HashMap<String, usize>,
    entries: Vec<TermEntry>,
}

impl Builder {
    fn add_list(&mut self, name: &str, contents: &str) -> Result<(), TermListError> {
        let category = category_of(name).ok_or_else(|| TermListError::UnknownList {
            file: name.to_owned(),
        })?;
        require_provenance(name, contents)?;
        for (number, line) in entry_lines(contents) {
            self.add_line(name, category, number, line)
                .map_err(|reason| ListFormatError::BadLine {
                    file: name.to_owned(),
                    line: number,
                    reason,
                })?;
        }
        Ok(())
    }

    fn add_line(
        &mut self,
        list: &str,
        category: Category,
        line: usize,
        text: &str,
    ) -> Result<(), String> {
        let TermColumns {
            term,
            inflection,
            role,
            confidence: ceiling,
            compound,
        } = term_columns(text)?;
        let role = TermRole::parse(role)
            .ok_or_else(|| format!("unknown role `{role}` (trait, act, body, origin)"))?;
        if !key(term).chars().any(char::is_alphabetic) {
            return Err("the term has no letters".to_owned());
        }
        // Short terms (`ms`, `sd`, `v`) are only safe whole: an abbreviation
        // inside a word would match almost anything.
        let letters = key(term).chars().filter(|c| c.is_alphabetic()).count();
        if letters < 3 && (inflection != Inflection::Exact || compound != Compound::None) {
            return Err(
                "a term of fewer than 3 letters must be `exact` and `none` (a whole word)"
                    .to_owned(),
            );
        }
        let index = self.entries.len();
        self.entries.push(TermEntry {
            list: list.to_owned(),
            line,
            category,
            role,
            ceiling,
            compound,
        });
        for form in inflection.forms(term) {
            // "aktiv i Vänsterpartiets lokalavdelning": an organisation's
            // genitive follows a membership cue as well.
            if role == TermRole::Body && !form.ends_with('s') {
                self.push_pattern(key(&format!("{form}s")), index);
            }
            self.push_pattern(key(&form), index);
        }
        Ok(())
    }

    fn push_pattern(&mut self, pattern: String, entry: usize) {
        if pattern.is_empty() {
            return;
        }
        match self.index_of.get(&pattern) {
            Some(&at) => {
                if let Some(targets) = self.targets.get_mut(at)
                    && !targets.contains(&entry)
                {
                    targets.push(entry);
                }
            }
            None => {
                self.index_of.insert(pattern.clone(), self.patterns.len());
                self.patterns.push(pattern);
                self.targets.push(vec![entry]);
            }
        }
    }

    fn build(self) -> Result<SensitiveTerms, TermListError> {
        let automaton = term_automaton(&self.patterns)?;
        Ok(SensitiveTerms {
            automaton,
            targets: self.targets,
            entries: self.entries,
        })
    }
}

/// `sv/sensitive/health.txt` → `Health`.
/// A city's art. 9 lists: (name under the folder, path, contents) of
/// every `<dir>/<language>/sensitive/*` file; a file that is not a list
/// of an art. 9 category is refused by its path.
fn read_city_lists(dir: &Path) -> Result<Vec<(String, PathBuf, String)>, TermListError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TermListError::Io { path, source }
    };
    let files_in = |folder: &Path| -> Result<Vec<PathBuf>, TermListError> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(io(folder))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .collect();
        paths.sort();
        Ok(paths)
    };
    let mut lists = Vec::new();
    for language in files_in(dir)? {
        let folder = language.join("sensitive");
        if !folder.is_dir() {
            continue;
        }
        for path in files_in(&folder)?.into_iter().filter(|p| p.is_file()) {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if category_of(&name).is_none() {
                return Err(TermListError::UnknownList {
                    file: path.display().to_string(),
                });
            }
            let contents = std::fs::read_to_string(&path).map_err(io(&path))?;
            lists.push((name, path, contents));
        }
    }
    Ok(lists)
}

fn category_of(name: &str) -> Option<Category> {
    let path = name.strip_suffix(".txt")?;
    let (folder, stem) = path.rsplit_once('/')?;
    if !folder.ends_with("/sensitive") {
        return None;
    }
    Category::from_name(stem).filter(|c| super::CATEGORIES.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# source: written for kommentarsvakt\n# licence: EUPL-1.2\n";

    fn error_of(name: &str, body: &str) -> String {
        match SensitiveTerms::from_lists(&[(name, body)]) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    fn found(terms: &SensitiveTerms, text: &str) -> Vec<(String, Category, TermRole)> {
        terms
            .find(&Normalized::new(text), text)
            .into_iter()
            .map(|m| (text[m.span].to_owned(), m.entry.category, m.entry.role))
            .collect()
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line() {
        let name = "sv/sensitive/health.txt";
        let cases = [
            (
                format!("{HEADER}\nastma\n"),
                "sv/sensitive/health.txt, line 4: expected 6",
            ),
            (
                format!("{HEADER}astma\texact\tdiagnosis\tobvious\tnone\tx\n"),
                "line 3: unknown role `diagnosis`",
            ),
            (
                format!("{HEADER}astma\tnoun-xx\ttrait\tobvious\tnone\tx\n"),
                "line 3: unknown inflection",
            ),
            (
                format!("{HEADER}astma\texact\ttrait\tsure\tnone\tx\n"),
                "line 3: unknown confidence",
            ),
            (
                format!("{HEADER}astma\texact\ttrait\tobvious\tinside\tx\n"),
                "line 3: unknown compound",
            ),
            (
                format!("{HEADER}astma\texact\ttrait\tobvious\tnone\t\n"),
                "line 3: the comment column is empty",
            ),
            (
                format!("{HEADER}# ok\nms\tnoun-er\ttrait\tobvious\tnone\tx\n"),
                "line 4: a term of fewer than 3 letters",
            ),
            (
                "astma\texact\ttrait\tobvious\tnone\tx\n".to_owned(),
                "`# source:` is missing",
            ),
        ];
        for (body, expected) in cases {
            let error = error_of(name, &body);
            assert!(error.contains(expected), "{body:?}: got {error:?}");
        }
        assert!(error_of("sv/sensitive/olaga_hot.txt", HEADER).contains("unknown art. 9 list"));
        assert!(error_of("sv/health.txt", HEADER).contains("unknown art. 9 list"));
    }

    #[test]
    fn inflected_forms_compounds_and_short_words_match_whole() {
        let terms = SensitiveTerms::from_lists(&[
            (
                "sv/sensitive/health.txt",
                &format!(
                    "{HEADER}cancer\tforms:cancern\ttrait\tobvious\tboth\tcancer\n\
                     ms\texact\ttrait\tobvious\tnone\tMS\n\
                     gravid\tadj\ttrait\tobvious\tnone\tpregnant\n"
                ),
            ),
            (
                "sv/sensitive/trade_union.txt",
                &format!("{HEADER}vision\texact\tbody\tobvious\tnone\tunion\n"),
            ),
            (
                "sv/sensitive/religion.txt",
                &format!("{HEADER}jude\tnoun-ar\ttrait\tobvious\tnone\tJew\n"),
            ),
            (
                "sv/sensitive/ethnic_origin.txt",
                &format!("{HEADER}jude\tnoun-ar\ttrait\tobvious\tnone\tJew\n"),
            ),
        ])
        .unwrap();
        use Category::*;
        use TermRole::*;
        assert_eq!(
            found(&terms, "Hon har BRÖSTCANCER och är gravida"),
            vec![
                ("BRÖSTCANCER".to_owned(), Health, Trait),
                ("gravida".to_owned(), Health, Trait)
            ]
        );
        assert_eq!(
            found(&terms, "Han har MS"),
            vec![("MS".to_owned(), Health, Trait)]
        );
        assert!(found(&terms, "msg, mskt, television").is_empty());
        assert_eq!(
            found(&terms, "med i Vision"),
            vec![("Vision".to_owned(), TradeUnion, Body)]
        );
        let jude = found(&terms, "judarna");
        assert_eq!(jude.len(), 2, "{jude:?}");
    }

    #[test]
    fn the_embedded_lists_compile() {
        let terms = SensitiveTerms::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(terms.term_count() > 400, "{}", terms.term_count());
        for category in super::super::CATEGORIES.iter() {
            assert!(
                terms.entries.iter().any(|e| e.category == *category),
                "no list for {category}"
            );
        }
    }
}
