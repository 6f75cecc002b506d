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
    /// The first end mark (`?` for `?!`), `'\n'` for a line break, `None`
    /// at the end of the text.
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
        } else if is_end_mark(byte) {
            let run_end = at + bytes[at..].iter().take_while(|b| is_end_mark(**b)).count();
            if !inside_token(text, at, run_end) {
                push(
                    text,
                    &mut sentences,
                    start..at,
                    run_end,
                    Some(char::from(byte)),
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
            bodies_of("Kl 20.00 på fmovies.to; sen... inget."),
            ["Kl 20.00 på fmovies.to", " sen", " inget"]
        );
        assert_eq!(
            bodies_of("d!e och x.se/?id=3 nu"),
            ["d!e och x.se/?id=3 nu"]
        );
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
        ] {
            for sentence in split(text) {
                assert!(text.get(sentence.body.clone()).is_some(), "{text:?}");
                assert!(text.get(sentence.body.start..sentence.end).is_some());
            }
        }
    }
}
