//! Questions to the account. The policy asks that questions are answered
//! during office hours without undue delay (förvaltningslagen 2017:900
//! 6 §), so a missed question is a missed duty: the detector leans towards
//! finding them. What it leaves out is the rhetorical question of a heated
//! opinion where the words show it ("eller hur?", "skäms ni inte?"): nobody
//! expects an answer to those.
//!
//! A question is one sentence (up to `.`, `!`, `?` or a line break); each
//! question sentence is one finding whose span is the sentence.

use std::ops::Range;

use regex::Regex;

use super::phrases::{WORD_END, WholeWords};
use super::rule::{Rule, constant_regex};
use super::{Category, Confidence, Detector, Finding, Text};

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

/// Words that open a Swedish question: interrogatives and the verbs of a
/// yes/no question (inverted word order).
pub const QUESTION_OPENERS: &[&str] = &[
    "vad",
    "när",
    "var",
    "vart",
    "varifrån",
    "hur",
    "varför",
    "vem",
    "vems",
    "vilken",
    "vilket",
    "vilka",
    "kan",
    "kunde",
    "går",
    "finns",
    "får",
    "fick",
    "måste",
    "behöver",
    "ska",
    "skall",
    "skulle",
    "är",
    "var",
    "har",
    "hade",
    "blir",
    "gäller",
    "vill",
    "brukar",
    "stämmer",
    "borde",
    "bör",
    "kommer",
    "tänker",
    "planerar",
    "händer",
    "hjälper",
    "tar",
    "ger",
    "gör",
    "betyder",
    "innebär",
    "menar",
    "vet",
    "syns",
    "räknas",
    "måste",
    "hittar",
    "ärver",
    "tilldelas",
    "avropas",
    "skickas",
    "klassificeras",
    "beror",
];

/// Openers that make a request for information without a question mark.
pub const UNMARKED_OPENERS: &[&str] = &[
    // not "var" ("was") or "när" ("when …, then"), which open statements
    r"(?:vad|vart|hur|varför|vem|vilken|vilket|vilka)(?:\W|$)",
    r"(?:kan|kunde|skulle)\s+(?:ni|du|man|jag|någon|kommunen|staden)(?:\W|$)",
    r"(?:går|finns)\s+det(?:\W|$)",
    r"(?:får|måste|behöver|ska)\s+(?:man|jag|vi|ni)(?:\W|$)",
];

/// Requests for information anywhere in a sentence.
pub const INFORMATION_REQUESTS: &[&str] = &[
    r"jag\s+undrar",
    r"(?:vi|jag)\s+(?:skulle\s+)?(?:vilja|vill)\s+(?:gärna\s+)?veta",
    r"undrar\s+(?:om|hur|när|var|vad|varför|vem|vilken|vilka|ifall)",
    r"(?:berätta|förklara|informera)\s+(?:gärna\s+)?(?:hur|varför|när|vad|var|vem|om)",
    r"(?:tacksam|glad)\s+för\s+(?:ett\s+)?svar",
    r"(?:hoppas|väntar)\s+på\s+(?:ett\s+)?svar",
    r"någon\s+som\s+vet",
    r"vore\s+bra\s+(?:att|om\s+ni\s+kunde)\s+(?:få\s+)?veta",
];

/// Rhetorical questions of a heated opinion: no answer is expected.
pub const RHETORICAL: &[&str] = &[
    r"eller\s+hur",
    r"vem\s+bryr\s+sig",
    r"skäms\s+(?:ni|du)\s+inte",
    r"(?:är|e)\s+(?:ni|du)\s+(?:helt\s+)?(?:dumma|dum|galna|galen|idioter|sjuka|korkade|efterblivna|dumma\s+i\s+huvudet)",
    r"hur\s+(?:dum|dumma|korkad|korkade|blåst|blåsta|inkompetent|inkompetenta)\s+(?:får|kan)\s+(?:man|ni)\s+(?:bli|vara)",
    r"hur\s+svårt\s+kan\s+det\s+(?:vara|va)",
    r"vad\s+(?:fan|i\s+helvete|tusan|sjutton)",
    r"(?:på\s+riktigt|seriöst|allvarligt|hallå)\s*\?",
    r"\?\s*!|!\s*\?",
];

/// Exclamations that look like questions ("Vad bra!").
pub const EXCLAMATIONS: &[&str] = &[
    r"vad\s+(?:bra|roligt|kul|fint|skönt|härligt|tråkigt|synd|dumt|snyggt|vackert|fin|trevligt|underbart|grymt|gulligt|spännande|intressant|tråkig|hemskt|sorgligt)(?:\W|$)",
    r"så\s+(?:bra|roligt|kul|fint)(?:\W|$)",
];

/// Finds questions and requests for information.
pub struct QuestionDetector {
    sentences: Regex,
    marked_opener: Regex,
    unmarked_opener: Regex,
    request: WholeWords,
    rhetorical: Regex,
    exclamation: Regex,
}

impl QuestionDetector {
    /// Compiles the tables above.
    pub fn new() -> Self {
        Self {
            // A full stop inside a token (`@lisa.berg`, `Dnr 1.6`, `kl. 8.30`)
            // does not end the sentence.
            sentences: constant_regex(r"(?:[^.!?\n]|[.!?]\S)+(?:[.!?]+|\n|$)"),
            marked_opener: constant_regex(&format!(
                r"(?i)^\W*(?:{}){WORD_END}",
                QUESTION_OPENERS.join("|")
            )),
            unmarked_opener: constant_regex(&format!(
                r"(?i)^\W*(?:{})",
                UNMARKED_OPENERS.join("|")
            )),
            request: WholeWords::constant(INFORMATION_REQUESTS),
            rhetorical: constant_regex(&format!(r"(?i)(?:{})", RHETORICAL.join("|"))),
            exclamation: constant_regex(&format!(r"(?i)^\W*(?:{})", EXCLAMATIONS.join("|"))),
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
        let text = text.original();
        for sentence in self.sentences.find_iter(text) {
            if let Some(rule) = self.judge(sentence.as_str()) {
                out.push(rule.finding(trimmed(text, sentence.range())));
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
    fn span_points_at_the_sentence_after_multibyte_letters() {
        let text = "Åsa på Östermalm 😀 skriver. Varför är det så få bänkar?";
        assert_eq!(
            questions(text),
            vec![("Varför är det så få bänkar?", Confidence::Obvious)]
        );
    }
}
