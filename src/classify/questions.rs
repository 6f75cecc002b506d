//! Questions to the account. The policy asks that questions are answered
//! during office hours without undue delay (förvaltningslagen 2017:900
//! 6 §), so a missed question is a missed duty: the detector leans towards
//! finding them. What it leaves out is the rhetorical question of a heated
//! opinion where the words show it ("eller hur?", "skäms ni inte?"): nobody
//! expects an answer to those.
//!
//! A question is one sentence (up to `.`, `!`, `?` or a line break); each
//! question sentence is one finding whose span is the sentence.
//!
//! The phrases are word lists, `wordlists/sv/service/questions_*.txt`
//! (see [`super::service_phrases`]): the openers of a question, the
//! openers and phrases of a request for information without a question
//! mark, rhetorical questions and exclamations.

use std::ops::Range;

use regex::Regex;

use super::phrases::WholeWords;
use super::rule::Rule;
use super::service_phrases::ServicePhrases;
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

/// Legal basis of question findings.
pub const LEGAL_BASIS_QUESTION: &str =
    "förvaltningslagen (2017:900) 6 §; stadens riktlinjer: Besvara frågor och kommentarer";

const MARKED_QUESTION: Rule = Rule {
    id: "svc.question.interrogative_mark",
    category: Category::Question,
    confidence: Confidence::Obvious,
    legal_basis: LEGAL_BASIS_QUESTION,
    reason: "En fråga (frågeord eller omvänd ordföljd och frågetecken) som ska besvaras.",
};
const QUESTION_MARK: Rule = Rule {
    id: "svc.question.mark",
    category: Category::Question,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_QUESTION,
    reason: "En mening med frågetecken; kontrollera om den väntar på svar.",
};
const UNMARKED_QUESTION: Rule = Rule {
    id: "svc.question.unmarked",
    category: Category::Question,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_QUESTION,
    reason: "En fråga eller begäran om information utan frågetecken.",
};

/// Finds questions and requests for information.
pub struct QuestionDetector {
    marked_opener: Regex,
    unmarked_opener: Regex,
    request: WholeWords,
    rhetorical: Regex,
    exclamation: Regex,
}

impl QuestionDetector {
    /// The detector with the built-in phrase lists.
    pub fn new() -> Self {
        Self::with_phrases(&ServicePhrases::builtin())
    }

    /// The detector with the given phrase lists (a city's own, or the
    /// built-in ones).
    pub fn with_phrases(phrases: &ServicePhrases) -> Self {
        Self {
            marked_opener: phrases.question_openers.clone(),
            unmarked_opener: phrases.unmarked_openers.clone(),
            request: phrases.information_requests.clone(),
            rhetorical: phrases.rhetorical.clone(),
            exclamation: phrases.exclamations.clone(),
        }
    }

    /// The rule for one sentence, or `None` if it is not a question.
    fn judge(&self, sentence: &str) -> Option<&'static Rule> {
        let body = sentence.trim();
        let rule = if body.ends_with('?') {
            if self.marked_opener.is_match(body) {
                &MARKED_QUESTION
            } else {
                &QUESTION_MARK
            }
        } else if !body.ends_with('!')
            && (self.unmarked_opener.is_match(body) || self.request.is_match(body))
        {
            &UNMARKED_QUESTION
        } else {
            return None;
        };
        // Rhetorical questions and exclamations only ever take a question
        // back, so they are looked for in questions alone.
        let not_a_question = self.rhetorical.is_match(body) || self.exclamation.is_match(body);
        (!not_a_question).then_some(rule)
    }
}

impl Default for QuestionDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for QuestionDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let sentences = text.sentences();
        let text = text.original();
        for sentence in sentences.iter().map(|s| s.body.start..s.end) {
            if let Some(rule) = self.judge(&text[sentence.clone()]) {
                out.push(rule.finding(trimmed(text, sentence)));
            }
        }
    }
}

/// The span without surrounding white space.
fn trimmed(text: &str, span: Range<usize>) -> Range<usize> {
    let written = &text[span.clone()];
    let start = span.start + (written.len() - written.trim_start().len());
    let end = span.end - (written.len() - written.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions(text: &str) -> Vec<(&str, Confidence)> {
        let mut out = Vec::new();
        QuestionDetector::new().detect(text, &mut out);
        out.iter()
            .map(|f| (&text[f.start..f.end], f.confidence))
            .collect()
    }

    #[test]
    fn finds_questions_and_requests_for_information() {
        use Confidence::{Obvious, Probable};
        let cases: &[(&str, &[(&str, Confidence)])] = &[
            ("När öppnar badet?", &[("När öppnar badet?", Obvious)]),
            (
                "Hej! Var kan jag parkera? Tack.",
                &[("Var kan jag parkera?", Obvious)],
            ),
            (
                "Går det att boka tvättstugan",
                &[("Går det att boka tvättstugan", Probable)],
            ),
            (
                "Jag undrar om det finns lediga förskoleplatser.",
                &[("Jag undrar om det finns lediga förskoleplatser.", Probable)],
            ),
            (
                "Berätta hur man söker bygglov.",
                &[("Berätta hur man söker bygglov.", Probable)],
            ),
            (
                "Soptunnan på Åsögatan töms inte, någon aning?",
                &[("Soptunnan på Åsögatan töms inte, någon aning?", Probable)],
            ),
            (
                "Får man grilla i Rålambshovsparken?",
                &[("Får man grilla i Rålambshovsparken?", Obvious)],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(questions(text), expected.to_vec(), "{text:?}");
        }
    }

    #[test]
    fn ignores_statements_exclamations_and_rhetorical_questions() {
        for text in [
            "Vad bra att ni fixade lekparken!",
            "Tack för snabbt svar.",
            "Ni är inkompetenta, eller hur?",
            "Skäms ni inte?",
            "Hur svårt kan det vara?",
            "Är ni helt dumma i huvudet?",
            "Ni har förstört stan?!",
            "Kommunen borde satsa mer på skolan.",
            "Vem bryr sig om vad politikerna säger?",
        ] {
            assert!(
                questions(text).is_empty(),
                "{text:?}: {:?}",
                questions(text)
            );
        }
    }

    #[test]
    fn a_rhetorical_phrase_inside_longer_words_leaves_the_question() {
        for text in [
            "Vad fanns det kvar efter branden?",
            "Där ni dumpar snön, är det tillåtet?",
        ] {
            assert_eq!(questions(text).len(), 1, "{text:?}");
        }
    }

    #[test]
    fn span_points_at_the_sentence_after_multibyte_letters() {
        let text = "Åsa på Östermalm 😀 skriver. Varför är det så få bänkar?";
        assert_eq!(
            questions(text),
            vec![("Varför är det så få bänkar?", Confidence::Obvious)]
        );
    }
}
