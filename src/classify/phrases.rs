//! Phrase tables matched as whole words, fast on Swedish text.
//!
//! The obvious pattern, `(?i)\b(?:phrase|…)\b`, is slow here: the regex
//! crate's fast engines (the lazy DFA) cannot evaluate a Unicode word
//! boundary once the text holds a non-ASCII character — and nearly every
//! Swedish comment holds an å, ä or ö — so every search falls back to an
//! engine some fifty times slower (measured with
//! `cargo run --release --example detector_costs`). A word boundary at the
//! edge of a phrase is the same test as "the character before (after) is
//! not a word character, or there is none", and that can be written as a
//! consumed `(?:^|\W)` / `(?:\W|$)`, which the fast engines handle. The
//! phrase itself is a capture group, so spans never include the boundary
//! characters.
//!
//! The tables' fragments must begin and end with a word character (a
//! letter or digit), as whole-word phrases do; a boundary *inside* a
//! fragment is written as `(?:\W|$)` for the same reason.

use std::ops::Range;
use std::sync::OnceLock;

use regex::{CaptureLocations, Regex};
use regex_syntax::is_word_character;

use super::rule::compile_regex;

/// A consumed word boundary after a word, for use inside fragments.
pub const WORD_END: &str = r"(?:\W|$)";

/// A case-insensitive alternation of phrases, matched only as whole words.
#[derive(Debug, Clone)]
pub struct WholeWords {
    regex: Regex,
    /// The phrases without the boundaries around them: every whole-word
    /// match is one of these too, and a pattern of phrases alone lets the
    /// regex crate search for their literals, far faster than stepping
    /// through every character. Most texts have none, and are done then.
    candidates: Regex,
    end: End,
    /// For a table searched forwards only ([`WholeWords::constant_forwards_with`]):
    /// the pattern anchored where a phrase begins, `^(phrase)boundary`.
    at_phrase: Option<Regex>,
}

impl WholeWords {
    /// Compiles constant fragments of this crate (checked by the detectors'
    /// unit tests, which build every table).
    pub(crate) fn constant(fragments: &[&str]) -> Self {
        Self::constant_with(fragments, Case::Insensitive, End::Word)
    }

    /// Like [`WholeWords::constant`], with the case and end rules given:
    /// names are matched with their capital letter, and some phrases end
    /// in a pattern of their own rather than at a word boundary.
    pub(crate) fn constant_with(fragments: &[&str], case: Case, end: End) -> Self {
        Self::compile(&fragments.join("|"), case, end)
            .expect("constant classification pattern compiles")
    }

    /// Compiles an alternation read from a word list (see
    /// [`super::service_phrases`]); it may be too large to compile.
    pub(crate) fn compile(alternation: &str, case: Case, end: End) -> Result<Self, regex::Error> {
        Ok(Self {
            regex: compile_regex(&pattern(alternation, case, end))?,
            candidates: compile_regex(&format!("{}(?:{alternation})", case.flags()))?,
            end,
            at_phrase: None,
        })
    }

    /// Like [`WholeWords::constant_with`], for a table whose phrases may
    /// begin with any letters (`[\w\-]*politiker`, a compound ending in a
    /// role): its matches are found by forward searches only (see
    /// [`WholeWords::next_phrase_forwards`]), with the same spans. For
    /// large tables (names, roles) whose backward automaton keeps computing
    /// new states, each costing far more than the search.
    pub(crate) fn constant_forwards_with(fragments: &[&str], case: Case, end: End) -> Self {
        Self::compile_forwards(&fragments.join("|"), case, end)
            .expect("constant classification pattern compiles")
    }

    fn compile_forwards(alternation: &str, case: Case, end: End) -> Result<Self, regex::Error> {
        Ok(Self {
            at_phrase: Some(compile_regex(&anchored_pattern(alternation, case, end))?),
            ..Self::compile(alternation, case, end)?
        })
    }

    /// Whether any phrase occurs as a whole word.
    pub fn is_match(&self, text: &str) -> bool {
        self.candidates.is_match(text) && self.regex.is_match(text)
    }

    /// The first phrase found, as a byte span of `text`.
    pub fn find(&self, text: &str) -> Option<Range<usize>> {
        self.find_iter(text).next()
    }

    /// Every phrase found, left to right, without overlaps. Two phrases
    /// separated by a single space are both found: the next search starts
    /// at the boundary character after a phrase, so it can serve as the
    /// leading boundary of the next one.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let mut locations = self.regex.capture_locations();
        let mut at = if self.candidates.is_match(text) {
            0
        } else {
            text.len() + 1
        };
        std::iter::from_fn(move || {
            if at > text.len() {
                return None;
            }
            let Range { start, end } = self.next_phrase(text, at, &mut locations)?;
            at = if end > start {
                end
            } else {
                next_char_boundary(text, end)
            };
            Some(start..end)
        })
    }

    /// The leftmost phrase that begins at or after `at`.
    fn next_phrase(
        &self,
        text: &str,
        at: usize,
        locations: &mut CaptureLocations,
    ) -> Option<Range<usize>> {
        match &self.at_phrase {
            Some(at_phrase) => self
                .next_phrase_forwards(at_phrase, text, at)
                .or_else(|| self.next_phrase_backwards(text, at, locations)),
            None => self.next_phrase_backwards(text, at, locations),
        }
    }

    /// The leftmost phrase from `at` as the regex crate finds it: forwards
    /// to where the match ends, then backwards to where it starts.
    fn next_phrase_backwards(
        &self,
        text: &str,
        at: usize,
        locations: &mut CaptureLocations,
    ) -> Option<Range<usize>> {
        let found = self.regex.find_at(text, at)?.range();
        if let Some(phrase) = self.phrase_within(text, found) {
            return Some(phrase);
        }
        self.regex.captures_read_at(locations, text, at)?;
        let (start, end) = locations.get(1)?;
        Some(start..end)
    }

    /// The leftmost phrase from `at`, found by forward searches only.
    ///
    /// The backward search that tells where a match starts is slow for
    /// phrases that may begin with any letters: the regex crate builds its
    /// backward automaton without the sharing of UTF-8 suffixes the forward
    /// one has, so over Unicode classes its lazy DFA computed new states of
    /// some 0.4 M instructions each on nearly every search (callgrind on
    /// `classify --jsonl`, issue 15). Instead, the earliest end of any match
    /// bounds where the leftmost match starts, and each place up to there
    /// where a boundary lets a phrase begin is tried, in order, with the
    /// anchored pattern. `None` only when no phrase follows `at` (or, never
    /// expected, when no anchored try matches; the caller then searches
    /// backwards).
    fn next_phrase_forwards(
        &self,
        at_phrase: &Regex,
        text: &str,
        at: usize,
    ) -> Option<Range<usize>> {
        let earliest_end = self.regex.shortest_match_at(text, at)?;
        (at..=earliest_end)
            .filter(|&boundary| text.is_char_boundary(boundary))
            .flat_map(|boundary| phrase_starts(text, boundary))
            .find_map(|start| self.phrase_at(at_phrase, text, start))
    }

    /// The phrase the anchored pattern finds at `start`, without the
    /// boundary after it.
    fn phrase_at(&self, at_phrase: &Regex, text: &str, start: usize) -> Option<Range<usize>> {
        let rest = &text[start..];
        let found = at_phrase.find(rest)?;
        let end = match self.phrase_end(rest, 0, found.end()) {
            Some(end) => end,
            None => at_phrase.captures(rest)?.get(1)?.end(),
        };
        Some(start..start + end)
    }

    /// The phrase inside a whole-word match, found from the match alone:
    /// away from the text's edges a boundary is always one consumed non-word
    /// character, and at an edge next to a word character it is always the
    /// edge. Only a non-word character at an edge could be either (some
    /// fragments begin or end with `-`); then `None`, and the caller asks
    /// the capture group. Reading the group costs a second, far slower
    /// search over the match, which most matches are thus spared.
    fn phrase_within(&self, text: &str, found: Range<usize>) -> Option<Range<usize>> {
        let start = match text[found.start..found.end].chars().next() {
            Some(first) if found.start > 0 => found.start + first.len_utf8(),
            Some(first) if !is_word_character(first) => return None,
            _ => found.start,
        };
        let end = self.phrase_end(text, start, found.end)?;
        Some(start..end.max(start))
    }

    /// Where the phrase of a match from `start` to `found_end` ends: before
    /// the consumed boundary character, except at the text's end, where a
    /// last non-word character could be either (`None`: ask the capture
    /// group).
    fn phrase_end(&self, text: &str, start: usize, found_end: usize) -> Option<usize> {
        match (self.end, text[start..found_end].chars().next_back()) {
            (End::Open, _) | (_, None) => Some(found_end),
            (End::Word, Some(last)) if found_end < text.len() => Some(found_end - last.len_utf8()),
            (End::Word, Some(last)) if !is_word_character(last) => None,
            (End::Word, Some(_)) => Some(found_end),
        }
    }
}

/// A constant table of whole words compiled the first time it is read:
/// for large tables that only a few comments need (the art. 9 detector's
/// third persons and first names, read only when a term is stated of no
/// identified person). Compiling them at start was nearly a fifth of
/// building the classifier (callgrind on `classify --jsonl`); the first
/// comment that reads one pays for it instead, once per process.
#[derive(Debug)]
pub(crate) struct LazyWholeWords {
    alternation: String,
    case: Case,
    end: End,
    forwards: bool,
    table: OnceLock<WholeWords>,
}

impl LazyWholeWords {
    /// Like [`WholeWords::constant_with`], compiled on first use.
    pub(crate) fn constant_with(fragments: &[&str], case: Case, end: End) -> Self {
        Self {
            alternation: fragments.join("|"),
            case,
            end,
            forwards: false,
            table: OnceLock::new(),
        }
    }

    /// Like [`WholeWords::constant_forwards_with`] with the case and end
    /// rules of [`WholeWords::constant`], compiled on first use.
    pub(crate) fn constant_forwards(fragments: &[&str]) -> Self {
        Self {
            forwards: true,
            ..Self::constant_with(fragments, Case::Insensitive, End::Word)
        }
    }

    /// The compiled table (compiled now if no comment needed it before).
    /// The patterns are constants of this crate, compiled by the unit tests
    /// of the detectors that hold them, so this cannot fail at run time.
    pub(crate) fn get(&self) -> &WholeWords {
        self.table.get_or_init(|| {
            let fragments = [self.alternation.as_str()];
            if self.forwards {
                WholeWords::constant_forwards_with(&fragments, self.case, self.end)
            } else {
                WholeWords::constant_with(&fragments, self.case, self.end)
            }
        })
    }
}

/// One pattern that matches wherever any of `tables` has a candidate, so a
/// detector with several tables scans a comment once, and the many
/// comments with no phrase of any table are done after that scan. `None`
/// when the union is too large to compile (a city's very long tables); the
/// tables then simply search one by one.
pub fn any_candidate(tables: &[&WholeWords]) -> Option<Regex> {
    let union = tables
        .iter()
        .map(|table| format!("(?:{})", table.candidates.as_str()))
        .collect::<Vec<_>>()
        .join("|");
    compile_regex(&union).ok()
}

/// Whether letter case matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `Skola` matches `skola` (phrases).
    Insensitive,
    /// As written (names, whose capital letter is the signal).
    Sensitive,
}

/// What must follow a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A word boundary.
    Word,
    /// Nothing more: the fragment's own pattern decides where it ends.
    Open,
}

impl Case {
    fn flags(self) -> &'static str {
        match self {
            Case::Insensitive => "(?i)",
            Case::Sensitive => "",
        }
    }
}

/// The whole-word pattern of an alternation.
fn pattern(alternation: &str, case: Case, end: End) -> String {
    let flags = case.flags();
    let end = match end {
        End::Word => WORD_END,
        End::Open => "",
    };
    format!(r"{flags}(?:^|\W)((?:{alternation})){end}")
}

/// Where a phrase may begin in a whole-word match that begins at `at`
/// (`(?:^|\W)`, in the order the pattern tries them): at the text's start,
/// and after a non-word character, which the match consumes.
fn phrase_starts(text: &str, at: usize) -> impl Iterator<Item = usize> {
    let at_text_start = (at == 0).then_some(0);
    let after_boundary = text[at..]
        .chars()
        .next()
        .filter(|c| !is_word_character(*c))
        .map(|c| at + c.len_utf8());
    at_text_start.into_iter().chain(after_boundary)
}

/// The whole-word pattern anchored where its phrase begins, for
/// [`WholeWords::constant_forwards_with`]: the leading boundary is the caller's.
fn anchored_pattern(alternation: &str, case: Case, end: End) -> String {
    let flags = case.flags();
    let end = match end {
        End::Word => WORD_END,
        End::Open => "",
    };
    format!(r"{flags}^((?:{alternation})){end}")
}

/// The char boundary after the character at `index` (past the end when
/// `index` is the end), so an empty match cannot stall the search.
fn next_char_boundary(text: &str, index: usize) -> usize {
    text[index..]
        .chars()
        .next()
        .map_or(index + 1, |c| index + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans<'t>(words: &WholeWords, text: &'t str) -> Vec<&'t str> {
        words.find_iter(text).map(|r| &text[r]).collect()
    }

    #[test]
    fn matches_only_whole_words_next_to_swedish_letters() {
        let words = WholeWords::constant(&["gå", "går", r"ras(?:ist)?", "hål\\s+i\\s+vägen"]);
        assert_eq!(spans(&words, "Jag går dit"), ["går"]);
        assert_eq!(spans(&words, "påras gåå ränta"), Vec::<&str>::new());
        assert_eq!(
            spans(&words, "Ras, rasist! Hål i vägen."),
            ["Ras", "rasist", "Hål i vägen"]
        );
        assert_eq!(spans(&words, "gå"), ["gå"]);
    }

    #[test]
    fn finds_neighbours_separated_by_one_character() {
        let words = WholeWords::constant(&["trasig", "lampa"]);
        assert_eq!(spans(&words, "trasig lampa"), ["trasig", "lampa"]);
        assert_eq!(spans(&words, "lampa,trasig"), ["lampa", "trasig"]);
    }

    /// Texts with matches at their edges, beside non-word characters and
    /// next to one another.
    const EDGE_TEXTS: [&str; 7] = [
        "politiker-",
        "-läraren",
        "-läraren på skolan, kommunpolitiker- och å",
        "Hej å hej",
        "å",
        " å ",
        "xå hejå -",
    ];

    /// Spans read from the match agree with the capture group, also where
    /// a fragment may begin or end with a non-word character (`-`) at the
    /// text's edges, where only the group can tell.
    #[test]
    fn spans_agree_with_the_capture_group() {
        let fragments = [r"[\w\-]*politiker[\w\-]*", r"[\p{L}-]*läraren", "å", "hej"];
        for end in [End::Word, End::Open] {
            let words =
                WholeWords::compile(&fragments.join("|"), Case::Insensitive, end).expect("pattern");
            for text in EDGE_TEXTS {
                let mut expected = Vec::new();
                let mut at = 0;
                while let Some(caps) = words.regex.captures_at(text, at) {
                    let group = caps.get(1).expect("group").range();
                    at = if group.is_empty() {
                        next_char_boundary(text, group.end)
                    } else {
                        group.end
                    };
                    expected.push(&text[group]);
                    if at > text.len() {
                        break;
                    }
                }
                assert_eq!(spans(&words, text), expected, "{text:?} {end:?}");
            }
        }
    }

    /// A table searched forwards only finds the spans the backward search
    /// finds: at the text's edges, with fragments that begin or end with a
    /// non-word character, open starts and ends, and neighbours.
    #[test]
    fn forward_search_finds_what_the_backward_search_finds() {
        let fragments = [
            r"[\w\-]*politiker[\w\-]*",
            r"[\p{L}-]*läraren",
            r"vår\s+nya\s+[\w\-]*",
            r"hans\s+fru",
            "hon",
            "å",
            "hej",
        ];
        for end in [End::Word, End::Open] {
            let alternation = fragments.join("|");
            let backwards =
                WholeWords::compile(&alternation, Case::Insensitive, end).expect("pattern");
            let forwards = WholeWords::compile_forwards(&alternation, Case::Insensitive, end)
                .expect("pattern");
            let more = [
                "Hon sa att vår nya rektor och hans  fru, Idrottsläraren!",
                "vår nya ",
                "hon-hon hon_hon honhon -hon- --läraren--",
                "😀hon😀 Läraren.",
                "",
            ];
            for text in EDGE_TEXTS.into_iter().chain(more) {
                assert_eq!(
                    spans(&forwards, text),
                    spans(&backwards, text),
                    "{text:?} {end:?}"
                );
            }
        }
    }

    #[test]
    fn any_candidate_matches_where_some_table_has_a_candidate() {
        let insensitive = WholeWords::constant(&["trasig", r"hål\s+i\s+vägen"]);
        let names = WholeWords::constant_with(&["Anna"], Case::Sensitive, End::Word);
        let any = any_candidate(&[&insensitive, &names]).expect("union compiles");
        for text in [
            "TRASIG lampa",
            "Hål  i vägen",
            "Hej Anna",
            "hej anna",
            "inget här",
            "",
        ] {
            let expected = insensitive.candidates.is_match(text) || names.candidates.is_match(text);
            assert_eq!(any.is_match(text), expected, "{text:?}");
        }
        assert!(
            !any.is_match("hej anna"),
            "case rules of each table are kept"
        );
    }

    /// The same answers as the `\b` pattern it replaces, on every corpus
    /// sentence that is at hand.
    #[test]
    fn agrees_with_unicode_word_boundaries() {
        let fragments = [
            "är",
            "ö",
            "öppet",
            r"klag(?:a|omål)",
            "mår\\s+dåligt",
            "hej",
        ];
        let words = WholeWords::constant(&fragments);
        let reference =
            Regex::new(&format!(r"(?i)\b(?:{})\b", fragments.join("|"))).expect("pattern");
        for text in [
            "Hej! Är det öppet?",
            "Jag mår dåligt, klagar inte.",
            "ärö öärö ö",
            "Klagomålet: hejhej",
            "",
            "ö",
        ] {
            let expected: Vec<&str> = reference.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(spans(&words, text), expected, "{text:?}");
        }
    }
}
