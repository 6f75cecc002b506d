//! Who is an identifiable person in a comment? A sensitive fact or a
//! protected-identity hint is removable personal data only when it is tied
//! to someone a reader can identify: a full name, an @mention, or a role at
//! a named workplace ("läraren på Vasaskolan"). A pronoun or "min granne"
//! alone does not identify anyone.
//!
//! Full names are recognised as a known Swedish first name followed by a
//! capitalised word, or a capitalised word followed by a surname with a
//! typical Swedish ending; that keeps sentence-initial capitals ("Kommunen
//! Stockholm") and party or place names from counting as people. The
//! words are word classes in `wordlists/sv/classes/` (see [`super::words`])
//! and the first names are `wordlists/sv/persons/first_names.txt`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::Regex;

use super::lexicon::{ListFormatError, entry_lines, replaces_builtin, require_provenance};
use super::phrases::{Case, End, WholeWords};
use super::rule::constant_regex;
use super::words::{Class, WordClasses};

/// Frequent first names in Stockholm, one per line (see the file header).
pub const FIRST_NAMES_LIST: &str = include_str!("../../wordlists/sv/persons/first_names.txt");

/// The first names of [`FIRST_NAMES_LIST`], lower case.
pub fn first_names() -> impl Iterator<Item = &'static str> {
    FIRST_NAMES_LIST
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// One reference to an identifiable person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    /// Where the reference is in the original text.
    pub span: Range<usize>,
    /// What kind of reference it is.
    pub kind: PersonRefKind,
}

/// The kinds of reference that identify a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonRefKind {
    /// Förnamn Efternamn.
    FullName,
    /// `@handle`.
    Mention,
    /// A role at a named workplace.
    RoleAtWorkplace,
}

/// Compiled person-reference patterns.
pub struct PersonFinder {
    names: WholeWords,
    mentions: Regex,
    roles: WholeWords,
    named_roles: WholeWords,
}

impl PersonFinder {
    /// Compiles the patterns from the built-in word classes and names.
    pub fn new() -> Self {
        Self::with_lists(&WordClasses::builtin(), &FirstNames::builtin())
    }

    /// Compiles the patterns from the given word classes and first names
    /// (a city's own, or the built-in ones).
    pub fn with_lists(classes: &WordClasses, first_names: &FirstNames) -> Self {
        let first = first_names.alternation();
        let endings = classes.alternation(Class::SurnameEndings);
        let capitalised = r"\p{Lu}\p{Ll}+";
        // Förnamn [-Förnamn] Efternamn [-Efternamn] [Efternamn-son]: double
        // first names and double surnames ("Anna-Karin Berg Svensson").
        let names = format!(
            r"(?:{first})(?:-{capitalised})?\s+{capitalised}(?:-{capitalised})?(?:\s+\p{{Lu}}\p{{Ll}}{{2,}}(?:{endings}))?|{capitalised}\s+\p{{Lu}}\p{{Ll}}{{2,}}(?:{endings})"
        );
        // role [Name [Name]] [,] på|vid|i|hos Workplace [workplace word]
        let roles = format!(
            r"{}(?-i:(?:\s+{capitalised}){{0,2}})(?:\s+med\s+(?:id-?nummer|tjänstenummer|nummer|bricka|id)\s+\d+)?\s*,?\s+(?:på|vid|i|hos)\s+(?-i:\p{{Lu}}[\p{{L}}-]+)(?:\s+(?:{}))?",
            role_pattern(classes),
            classes.alternation(Class::WorkplaceWords)
        );
        // Förnamn, som är vaktmästare på Kista gymnasium
        let named_roles = format!(
            r"(?:{first})\s*,?\s+(?:som\s+(?:är|jobbar\s+som|arbetar\s+som)\s+)?(?i:[\p{{L}}-]*(?:{}))\s+(?:på|vid|i|hos)\s+\p{{Lu}}[\p{{L}}-]+(?:\s+(?:{}))?",
            classes.alternation(Class::WorkplaceRolesIndefinite),
            classes.alternation(Class::WorkplaceWords)
        );
        Self {
            names: WholeWords::constant_forwards_with(&[&names], Case::Sensitive, End::Word),
            mentions: constant_regex(r"(?:^|[^\w@])(@[A-Za-z0-9_][A-Za-z0-9_.]{1,29})"),
            roles: WholeWords::constant_forwards_with(&[&roles], Case::Insensitive, End::Open),
            named_roles: WholeWords::constant_forwards_with(
                &[&named_roles],
                Case::Sensitive,
                End::Open,
            ),
        }
    }

    /// Every identifying reference in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<PersonRef> {
        let mut refs: Vec<PersonRef> = Vec::new();
        // Every pattern but the @mention needs a capital letter (a
        // workplace), names and named roles two; most sentences have one at
        // most, at their start, and are spared the searches.
        let capitals = text.chars().filter(|c| c.is_uppercase()).take(2).count();
        let names = (capitals >= 2).then(|| self.names.find_iter(text));
        for span in names.into_iter().flatten() {
            refs.push(PersonRef {
                span,
                kind: PersonRefKind::FullName,
            });
        }
        let mentions = text
            .contains('@')
            .then(|| self.mentions.captures_iter(text));
        for caps in mentions.into_iter().flatten() {
            if let Some(m) = caps.get(1) {
                refs.push(PersonRef {
                    span: m.range(),
                    kind: PersonRefKind::Mention,
                });
            }
        }
        let roles = (capitals >= 1).then(|| self.roles.find_iter(text));
        let named_roles = (capitals >= 2).then(|| self.named_roles.find_iter(text));
        for span in roles
            .into_iter()
            .flatten()
            .chain(named_roles.into_iter().flatten())
        {
            refs.push(PersonRef {
                span,
                kind: PersonRefKind::RoleAtWorkplace,
            });
        }
        refs.sort_by_key(|r| r.span.start);
        refs
    }
}

impl Default for PersonFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// The role words of [`Class::WorkplaceRoles`] as one case-insensitive
/// regex fragment, also as the last part of a compound
/// ("idrottsläraren"); the caller says what may follow it (a word
/// boundary, or the pattern that comes next).
pub fn role_pattern(classes: &WordClasses) -> String {
    format!(
        r"[\p{{L}}-]*(?:{})",
        classes.alternation(Class::WorkplaceRoles)
    )
}

/// Where a city's own first names are, under its word-list folder.
pub const FIRST_NAMES_FILE: &str = "sv/persons/first_names.txt";

/// The first names a full name is recognised by: the repository's list,
/// or a city's over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstNames {
    names: Vec<String>,
}

/// Why a city's first names cannot be used; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum FirstNamesError {
    /// The file's text breaks the format (a line, the header).
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// A file in the persons folder that is not the list of first names.
    #[error("{file}: unknown list; the persons folder holds only first_names.txt")]
    UnknownList {
        /// The file, by its path.
        file: String,
    },
    /// The folder or the file cannot be read.
    #[error("cannot read the first names at {path}: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl FirstNames {
    /// The repository's first names, compiled into the binary.
    pub fn builtin() -> Self {
        Self {
            names: first_names().map(str::to_owned).collect(),
        }
    }

    /// The repository's names with a city's `<dir>/sv/persons/first_names.txt`
    /// added to them, or in their place when its header has the line
    /// `# mode: replace`; without the file, the built-in names.
    pub fn with_overlay(dir: &Path) -> Result<Self, FirstNamesError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| FirstNamesError::Io { path, source }
        };
        let file = dir.join(FIRST_NAMES_FILE);
        let folder = file.parent().unwrap_or(dir);
        let mut names = Self::builtin();
        if !folder.is_dir() {
            return Ok(names);
        }
        for entry in std::fs::read_dir(folder).map_err(io(folder))? {
            let path = entry.map_err(io(folder))?.path();
            if path != file {
                return Err(FirstNamesError::UnknownList {
                    file: path.display().to_string(),
                });
            }
        }
        if !file.is_file() {
            return Ok(names);
        }
        let contents = std::fs::read_to_string(&file).map_err(io(&file))?;
        let city = parse_first_names(&file.display().to_string(), &contents)?;
        if replaces_builtin(&contents) {
            names.names.clear();
        }
        names.names.extend(city);
        Ok(names)
    }

    /// The names as one case-sensitive alternation of capitalised names
    /// ("Anna|Erik|…"), longest first so "Anna-Karin" is not cut short.
    pub fn alternation(&self) -> String {
        let mut names: Vec<String> = self.names.iter().map(|name| capitalise(name)).collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.len()));
        names.dedup();
        names
            .iter()
            .map(|name| regex::escape(name))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// The names of a city's list, lower case; a line that is not one name
/// (letters, with `-` between parts) is refused by file and line.
fn parse_first_names(file: &str, contents: &str) -> Result<Vec<String>, ListFormatError> {
    require_provenance(file, contents)?;
    entry_lines(contents)
        .map(|(line, text)| {
            let name = text.trim().to_lowercase();
            let well_formed = name
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(char::is_alphabetic));
            if well_formed {
                Ok(name)
            } else {
                Err(ListFormatError::BadLine {
                    file: file.to_owned(),
                    line,
                    reason: format!(
                        "`{}` is not one first name (letters, `-` between parts)",
                        text.trim()
                    ),
                })
            }
        })
        .collect()
}

/// "anna" → "Anna", "anna-karin" → "Anna-Karin": a name written in lower case is too often an ordinary
/// word ("per", "bo", "ali", "moa").
fn capitalise(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, PersonRefKind)> {
        PersonFinder::new()
            .find(text)
            .into_iter()
            .map(|r| (&text[r.span], r.kind))
            .collect()
    }

    #[test]
    fn finds_identifying_references() {
        use PersonRefKind::*;
        let cases: &[(&str, &[(&str, PersonRefKind)])] = &[
            ("Anna Svensson har HIV", &[("Anna Svensson", FullName)]),
            ("Det var Göran Persson", &[("Göran Persson", FullName)]),
            ("enligt Okänd Lindqvist", &[("Okänd Lindqvist", FullName)]),
            ("@kalle_k är med i facket", &[("@kalle_k", Mention)]),
            (
                "läraren på Vasaskolan är sjuk",
                &[("läraren på Vasaskolan", RoleAtWorkplace)],
            ),
            (
                "hemtjänstpersonalen Anna på Östermalm",
                &[("hemtjänstpersonalen Anna på Östermalm", RoleAtWorkplace)],
            ),
            // names of Stockholm's larger immigrant groups, double surnames
            ("Mehmet Yilmaz tränar laget", &[("Mehmet Yilmaz", FullName)]),
            (
                "Anna-Karin Berg Svensson svarade",
                &[("Anna-Karin Berg Svensson", FullName)],
            ),
            ("Dragan Ilić kör 172", &[("Dragan Ilić", FullName)]),
            // a role as the last part of a compound, at a named unit
            (
                "Idrottsläraren på Eriksdalsskolan",
                &[("Idrottsläraren på Eriksdalsskolan", RoleAtWorkplace)],
            ),
            (
                "parkeringsvakten på Östermalm",
                &[("parkeringsvakten på Östermalm", RoleAtWorkplace)],
            ),
            (
                "Janne som är vaktmästare på Kista gymnasium har",
                &[(
                    "Janne som är vaktmästare på Kista gymnasium",
                    RoleAtWorkplace,
                )],
            ),
            (
                "Parkeringsvakten med id-nummer 2231 på Östermalm",
                &[(
                    "Parkeringsvakten med id-nummer 2231 på Östermalm",
                    RoleAtWorkplace,
                )],
            ),
            (
                "Vaktmästaren på Tallkrogens skola, Bosse",
                &[("Vaktmästaren på Tallkrogens skola", RoleAtWorkplace)],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(found(text), expected.to_vec(), "{text:?}");
        }
    }

    #[test]
    fn ignores_capitalised_words_that_are_not_names() {
        for text in [
            "Kommunen Stockholm borde skämmas",
            "Socialdemokraterna och Moderaterna",
            "per person och bo i Stockholm",
            "mejla info@stockholm.se",
            "läraren på förskolan",
            "Hej Stockholms stad!",
            "Sverigedemokraterna Och Vänsterpartiet",
            "idrottsläraren sa",
            "Ledamoten Svensk Förening",
        ] {
            assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
        }
    }

    #[test]
    fn first_name_list_is_lower_case_names() {
        let names: Vec<&str> = first_names().collect();
        assert!(names.len() > 300, "{}", names.len());
        for name in names {
            assert!(
                name.chars().all(|c| c.is_lowercase() || c == '-'),
                "{name:?} must be one lower-case name"
            );
        }
    }
}
