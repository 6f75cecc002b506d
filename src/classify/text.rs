//! A comment prepared once for every detector.
//!
//! Several detectors need the same things of a comment: the matching key
//! (the illegal-content and art. 9 detectors), the number of digits (every
//! detector of numbers skips texts with too few). Computing them once per
//! comment, and only when a detector asks, keeps the cost of classifying
//! close to one pass over the text.

use std::cell::OnceCell;

use super::language::{self, Language};
use super::normalize::Normalized;
use super::sentences::{self, Sentence};
use crate::domain::Finding;

/// One comment as the detectors see it: the text as written, and what is
/// derived from it, each computed on first use.
pub struct Text<'t> {
    original: &'t str,
    key: OnceCell<Normalized>,
    digits: OnceCell<usize>,
    identity_numbers: OnceCell<Vec<Finding>>,
    language: OnceCell<Language>,
    sentences: OnceCell<Vec<Sentence>>,
}

impl<'t> Text<'t> {
    /// Wraps a comment; nothing is computed yet.
    pub fn new(original: &'t str) -> Self {
        Self {
            original,
            key: OnceCell::new(),
            digits: OnceCell::new(),
            identity_numbers: OnceCell::new(),
            language: OnceCell::new(),
            sentences: OnceCell::new(),
        }
    }

    /// The text as the person wrote it; every finding's span points into it.
    pub fn original(&self) -> &'t str {
        self.original
    }

    /// The matching key with its map back to the original (see
    /// [`super::normalize`]).
    pub fn normalized(&self) -> &Normalized {
        self.key.get_or_init(|| Normalized::new(self.original))
    }

    /// How many ASCII digits the text holds: every number pattern needs
    /// some, so detectors of numbers skip the (far costlier) regex search on
    /// the many comments with too few.
    pub fn digit_count(&self) -> usize {
        *self.digits.get_or_init(|| ascii_digit_count(self.original))
    }

    /// The sentences of the text as written (see [`super::sentences`]):
    /// one split per comment, shared by every detector that judges a
    /// sentence, so their windows end at the same place.
    pub fn sentences(&self) -> &[Sentence] {
        self.sentences
            .get_or_init(|| sentences::split(self.original))
    }

    /// The language of the text (see [`super::language`]): recorded with
    /// the decision, and read by the detectors of languages.
    pub fn language(&self) -> Language {
        *self
            .language
            .get_or_init(|| language::identify(self.original))
    }
}

impl Text<'_> {
    /// The identity numbers in the text, found by `find` on first use:
    /// the personnummer detector and every detector of other numbers
    /// (which leave an identity number to it) share one search.
    pub fn identity_numbers(&self, find: impl FnOnce(&Self) -> Vec<Finding>) -> &[Finding] {
        self.identity_numbers.get_or_init(|| find(self))
    }
}

fn ascii_digit_count(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_digit).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_values_describe_the_original() {
        let text = Text::new("Ring 070-123 45 67, JÄVLA idiot");
        assert_eq!(text.original(), "Ring 070-123 45 67, JÄVLA idiot");
        assert_eq!(text.digit_count(), 10);
        assert_eq!(text.normalized().text, "ring 070-123 45 67, jävla idiot");
    }

    #[test]
    fn identity_numbers_are_searched_once_per_comment() {
        let text = Text::new("Hans nummer är 811218-9876");
        let searches = std::cell::Cell::new(0);
        let search = |_: &Text<'_>| {
            searches.set(searches.get() + 1);
            Vec::new()
        };
        text.identity_numbers(search);
        text.identity_numbers(search);
        assert_eq!(
            searches.get(),
            1,
            "the second detector reuses the first search"
        );
    }
}
