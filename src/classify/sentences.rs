//! Sentences of a comment: the one splitter every detector uses (the
//! illegal-content rules, the art. 9 and question detectors, the English
//! rules), so that a window a rule looks in ends at the same place for all
//! of them.
//!
//! A sentence ends at a line break, and at a run of end marks (`.`, `!`,
//! `?`, `;`, also several: `dö!!`, `Vad?!`) unless the run stands inside a
//! token: a run between a non-space character and a letter or digit
//! (`@lisa.berg`, `Dnr 1.6`, `kl 20.00`, `fmovies.to`, `d!e` in
//! leetspeak, `x.se/?id=3`) ends nothing. Commenters often break lines
//! instead of writing a full stop (`jag vet var du bor⏎vi ses snart`),
//! and a doubled mark ends a sentence as well as a single one.
//!
//! An ellipsis (`..`, `...`, `…`) is a pause, not always an end: followed by
//! a word in lower case it goes on with the same sentence (`skjuter jag
//! dig... ner i tabellen`), so that a rule sees the words that turn a
//! threat's shape into sport talk. Followed by a capital, a line break or
//! nothing it ends the sentence like a full stop.
//!
//! The split is a byte scan of the text as written (the matching key has
//! its line breaks turned into spaces): every byte but five is simply
//! taken, which is several times cheaper than a regex search.

use std::ops::Range;

/// One sentence of a comment, as byte ranges of the text it was split
/// from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence without its end marks.
    pub body: Range<usize>,
    /// Where the sentence ends with its end marks (or its line break).
    pub end: usize,
    /// The first end mark (`?` for `?!`, `…` for an ellipsis character),
    /// `'\n'` for a line break, `None` at the end of the text.
    pub mark: Option<char>,
}

impl Sentence {
    /// Whether the sentence ends as a question (`?`, `?!`).
    pub fn is_question(&self) -> bool {
        self.mark == Some('?')
    }
}

/// The sentences of `text`, left to right; stretches with nothing but
/// white space and marks are no sentence.
pub fn split(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'\n' {
            push(text, &mut sentences, start..at, at + 1, Some('\n'));
            at += 1;
            start = at;
        } else if is_end_mark(byte)
            || (byte == ELLIPSIS.as_bytes()[0] && bytes[at..].starts_with(ELLIPSIS.as_bytes()))
        {
            let run_end = end_of_marks(text, at);
            if !inside_token(text, at, run_end)
                && !pause_in_sentence(text, at, run_end)
                && !closes_dotted_letters(text, at, run_end)
            {
                push(
                    text,
                    &mut sentences,
                    start..at,
                    run_end,
                    text[at..].chars().next(),
                );
                start = run_end;
            }
            at = run_end;
        } else {
            at += 1;
        }
    }
    push(text, &mut sentences, start..text.len(), text.len(), None);
    sentences
}

/// The sentences of `text` without their end marks, left to right.
pub fn bodies(text: &str) -> impl Iterator<Item = Range<usize>> {
    split(text).into_iter().map(|sentence| sentence.body)
}

/// The sentences of `text` with the marks that end each (`.`, `?!` or
/// the line break), as the question detector needs to see the mark.
pub fn with_end_marks(text: &str) -> impl Iterator<Item = Range<usize>> {
    split(text)
        .into_iter()
        .map(|sentence| sentence.body.start..sentence.end)
}

fn is_end_mark(byte: u8) -> bool {
    matches!(byte, b'.' | b'!' | b'?' | b';')
}

/// The one-character ellipsis, which phones put in place of `...`.
const ELLIPSIS: &str = "\u{2026}";

/// Where the run of end marks (ellipses included) that starts at `start`
/// ends.
fn end_of_marks(text: &str, start: usize) -> usize {
    let mut at = start;
    loop {
        let rest = &text.as_bytes()[at..];
        if rest.first().copied().is_some_and(is_end_mark) {
            at += 1;
        } else if rest.starts_with(ELLIPSIS.as_bytes()) {
            at += ELLIPSIS.len();
        } else {
            return at;
        }
    }
}

/// An ellipsis at `start..end` with the sentence going on after it in
/// lower case: only dots (or `…`, at least two dots' worth), then space
/// on the same line and a lowercase letter.
fn pause_in_sentence(text: &str, start: usize, end: usize) -> bool {
    let marks = &text[start..end];
    let is_ellipsis = marks.chars().all(|c| c == '.' || c == '\u{2026}')
        && (marks.contains('\u{2026}') || marks.len() >= 2);
    let rest = &text[end..];
    let next = rest.trim_start_matches([' ', '\t', '\u{a0}']);
    is_ellipsis && next.len() < rest.len() && next.chars().next().is_some_and(char::is_lowercase)
}

/// The dot that closes a word written in dotted letters (`j.u.d.a.r. ska
/// bort`), with the sentence going on in lower case: at least three single
/// letters, each followed by a dot, the first at a word start. `U.S.A. Det`
/// ends its sentence at the capital as usual.
fn closes_dotted_letters(text: &str, start: usize, end: usize) -> bool {
    const MIN_LETTERS: usize = 3;
    if &text[start..end] != "." {
        return false;
    }
    let mut before = text[..start].chars().rev();
    let mut letters = 0;
    let first_at_word_start = loop {
        match (before.next(), before.clone().next()) {
            (Some(letter), Some('.')) if letter.is_alphabetic() => {
                letters += 1;
                before.next();
            }
            (Some(letter), next) if letter.is_alphabetic() => {
                letters += 1;
                break next.is_none_or(|c| !c.is_alphanumeric());
            }
            _ => break false,
        }
    };
    let rest = &text[end..];
    let next = rest.trim_start_matches([' ', '\t', '\u{a0}']);
    first_at_word_start
        && letters >= MIN_LETTERS
        && next.len() < rest.len()
        && next.chars().next().is_some_and(char::is_lowercase)
}

/// A run of end marks at `start..end` inside a token: a non-space before
/// it and a letter or digit right after (`lisa.berg`, `1.6`, `d!e`).
fn inside_token(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_some_and(|c| !c.is_whitespace()) && after.is_some_and(char::is_alphanumeric)
}

fn push(
    text: &str,
    sentences: &mut Vec<Sentence>,
    body: Range<usize>,
    end: usize,
    mark: Option<char>,
) {
    if !text[body.clone()].trim().is_empty() {
        sentences.push(Sentence { body, end, mark });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies_of(text: &str) -> Vec<&str> {
        bodies(text).map(|span| &text[span]).collect()
    }

    #[test]
    fn marks_and_line_breaks_end_sentences() {
        assert_eq!(
            bodies_of("Hej. Jag heter Anna! Vad gör du?"),
            ["Hej", " Jag heter Anna", " Vad gör du"]
        );
        assert_eq!(
            bodies_of("jag vet var du bor\nvi ses snart"),
            ["jag vet var du bor", "vi ses snart"]
        );
        assert_eq!(bodies_of("först; sedan"), ["först", " sedan"]);
    }

    #[test]
    fn a_run_of_marks_ends_a_sentence_once() {
        assert_eq!(
            bodies_of("Du ska dö!! Jag vet var du bor"),
            ["Du ska dö", " Jag vet var du bor"]
        );
        let sentences = split("Vad?! Nej... Jo");
        let marks: Vec<_> = sentences.iter().map(|s| s.mark).collect();
        assert_eq!(marks, [Some('?'), Some('.'), None]);
        assert!(sentences[0].is_question());
    }

    #[test]
    fn a_dotted_token_does_not_end_a_sentence() {
        assert_eq!(
            bodies_of("Fråga @lisa.berg om Dnr 1.6. Tack!"),
            ["Fråga @lisa.berg om Dnr 1.6", " Tack"]
        );
        assert_eq!(
            bodies_of("Kl 20.00 på fmovies.to; sen... Inget."),
            ["Kl 20.00 på fmovies.to", " sen", " Inget"]
        );
        assert_eq!(
            bodies_of("d!e och x.se/?id=3 nu"),
            ["d!e och x.se/?id=3 nu"]
        );
    }

    #[test]
    fn a_word_in_dotted_letters_goes_on_with_the_sentence() {
        assert_eq!(bodies_of("j.u.d.a.r. ska bort"), ["j.u.d.a.r. ska bort"]);
        assert_eq!(
            bodies_of("Hon bor i U.S.A. Det är fint."),
            ["Hon bor i U.S.A", " Det är fint"]
        );
        // Fewer than three single letters are an abbreviation, whose dot
        // ends a sentence as before.
        assert_eq!(bodies_of("som t.ex. nu"), ["som t.ex", " nu"]);
    }

    #[test]
    fn an_ellipsis_before_lower_case_goes_on_with_the_sentence() {
        assert_eq!(
            bodies_of("skjuter jag dig... ner i tabellen. Bra"),
            ["skjuter jag dig... ner i tabellen", " Bra"]
        );
        assert_eq!(bodies_of("nej… inte igen"), ["nej… inte igen"]);
        // Before a capital, a line break or the end it ends the sentence.
        assert_eq!(bodies_of("Nej… Jo"), ["Nej", " Jo"]);
        assert_eq!(bodies_of("nej...\nvi ses"), ["nej", "vi ses"]);
        assert_eq!(bodies_of("vänta…"), ["vänta"]);
        // A single full stop before lower case still ends it.
        assert_eq!(bodies_of("slut. sen"), ["slut", " sen"]);
    }

    #[test]
    fn empty_stretches_are_no_sentences() {
        assert!(split("").is_empty());
        assert!(split("...").is_empty());
        assert!(split(". ! ? \n . ").is_empty());
        assert_eq!(bodies_of("\n\nTomt\n"), ["Tomt"]);
    }

    #[test]
    fn sentences_with_marks_keep_the_marks_and_the_line_break() {
        let text = "Vad gör ni?! Ny rad\nSlut";
        let found: Vec<&str> = with_end_marks(text).map(|s| &text[s]).collect();
        assert_eq!(found, ["Vad gör ni?!", " Ny rad\n", "Slut"]);
    }

    #[test]
    fn spans_are_on_character_boundaries() {
        for text in [
            "Åh.\u{a0}Nej.\u{2003}Så är det. Ä.ö",
            "a.\u{1F600} b",
            "ö!ä",
            "förstör… allt. Rör… Vid ö…ä…",
        ] {
            for sentence in split(text) {
                assert!(text.get(sentence.body.clone()).is_some(), "{text:?}");
                assert!(text.get(sentence.body.start..sentence.end).is_some());
            }
        }
    }
}
