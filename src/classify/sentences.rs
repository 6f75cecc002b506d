//! Sentences of a comment, as the art. 9 and question detectors judge them.
//!
//! A sentence ends at `.`, `!` or `?` followed by white space (or the end
//! of the text), and at a line break; a full stop inside a token
//! (`@lisa.berg`, `Dnr 1.6`, `kl. 8.30`) does not end it. This is the
//! pattern `(?:[^.!?\n]|[.!?]\S)+`, written as a byte scan because it runs
//! on every comment with a term or a question and the scan is several
//! times cheaper than the regex search (every byte but four is simply
//! taken). The unit tests check it against that pattern.

use std::ops::Range;

/// The sentences of `text` without their end marks, left to right.
pub fn bodies(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < text.len() && step(text, at).is_none() {
            at += 1;
        }
        if at >= text.len() {
            return None;
        }
        let start = at;
        at = body_end(text, at);
        Some(start..at)
    })
}

/// Where the sentence going on at `at` ends: the scan jumps from one of
/// the four marks to the next, which the compiler makes a tight loop.
fn body_end(text: &str, mut at: usize) -> usize {
    loop {
        let Some(offset) = text.as_bytes()[at..]
            .iter()
            .position(|b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
        else {
            return text.len();
        };
        match step(text, at + offset) {
            Some(next) => at = next,
            None => return at + offset,
        }
    }
}

/// The sentences of `text` with the mark that ends each (`.`, `!`, `?` or
/// the line break), as the question detector needs to see the mark.
pub fn with_end_marks(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    bodies(text).map(|body| {
        let ends_with_mark = matches!(
            text.as_bytes().get(body.end),
            Some(b'.' | b'!' | b'?' | b'\n')
        );
        body.start..body.end + usize::from(ends_with_mark)
    })
}

/// Where a sentence that has reached `at` goes on to, or `None` if it ends
/// there. The end marks are ASCII, so the scan may step through the bytes
/// of other characters one by one.
fn step(text: &str, at: usize) -> Option<usize> {
    match text.as_bytes().get(at)? {
        b'\n' => None,
        b'.' | b'!' | b'?' => {
            let next = text[at + 1..]
                .chars()
                .next()
                .filter(|c| !c.is_whitespace())?;
            Some(at + 1 + next.len_utf8())
        }
        _ => Some(at + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    const TEXTS: &[&str] = &[
        "",
        "Hej",
        "Hej. Jag heter Anna! Vad gör du?",
        "Mejla @lisa.berg eller ring kl. 8.30, Dnr 1.6-246/2019.",
        "Vad?! Nej.. Jo... ok?\nNy rad\n\nTomt",
        ". ! ? \n . ",
        "Åh.\u{a0}Nej.\u{2003}Så är det. Ä.ö",
        "slut.",
        "...",
        "a.\u{1F600} b",
    ];

    fn spans(text: &str, found: impl Iterator<Item = Range<usize>>) -> Vec<&str> {
        found.map(|span| &text[span]).collect()
    }

    /// The scan finds what `pattern` finds, on every text of [`TEXTS`].
    fn assert_agrees<I>(pattern: &str, scan: impl Fn(&'static str) -> I)
    where
        I: Iterator<Item = Range<usize>>,
    {
        let reference = Regex::new(pattern).expect("pattern");
        for text in TEXTS {
            let expected: Vec<&str> = reference.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(spans(text, scan(text)), expected, "{pattern}: {text:?}");
        }
    }

    #[test]
    fn bodies_agree_with_the_sentence_pattern() {
        assert_agrees(r"(?:[^.!?\n]|[.!?]\S)+", bodies);
    }

    #[test]
    fn sentences_with_marks_agree_with_the_question_pattern() {
        assert_agrees(r"(?:[^.!?\n]|[.!?]\S)+(?:[.!?]+|\n|$)", with_end_marks);
    }

    #[test]
    fn a_dotted_token_does_not_end_a_sentence() {
        let text = "Fråga @lisa.berg om Dnr 1.6. Tack!";
        assert_eq!(
            spans(text, bodies(text)),
            ["Fråga @lisa.berg om Dnr 1.6", " Tack"]
        );
    }
}
