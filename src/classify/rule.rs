//! The fixed part of a finding: a rule says everything about a finding
//! except where it is. Detectors keep their rules as constants, so the
//! rule id, legal basis and Swedish reason of every outcome are visible in
//! one place and can be reviewed (and appealed against) without reading the
//! matching code.

use std::ops::Range;

use crate::domain::{Category, Confidence, Finding};

/// One outcome of a detector: everything a finding says besides its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable rule id (`pd.phone.third_party`, `svc.question.mark`, …).
    pub id: &'static str,
    /// What the finding says the comment contains.
    pub category: Category,
    /// How sure the finding is.
    pub confidence: Confidence,
    /// The law or policy section the finding rests on.
    pub legal_basis: &'static str,
    /// A short Swedish sentence for the moderator; never repeats the data.
    pub reason: &'static str,
}

impl Rule {
    /// The finding this rule makes for the bytes `span` of the original text.
    pub fn finding(&self, span: Range<usize>) -> Finding {
        Finding {
            category: self.category,
            confidence: self.confidence,
            start: span.start,
            end: span.end,
            rule: self.id.to_owned(),
            legal_basis: self.legal_basis.to_owned(),
            reason: self.reason.to_owned(),
        }
    }
}

/// Room for the lazy DFA's states of one pattern. The regex crate's default
/// (2 MiB) is too small for the name and role alternations: the cache
/// filled on every few comments, was cleared and rebuilt, and building
/// states then cost more than searching (seen with `perf` on
/// `examples/detector_costs`).
const LAZY_DFA_CACHE_BYTES: usize = 32 << 20;

/// Compiles a pattern that is a constant of this crate. Every such pattern
/// is compiled by the unit tests of its detector (each test builds the
/// detector), so it cannot fail at run time; the same convention as the
/// personnummer detector.
pub(crate) fn constant_regex(pattern: &str) -> regex::Regex {
    compile_regex(pattern).expect("constant classification pattern compiles")
}

/// Compiles a classification pattern that is not a constant (one built
/// from a word list), with the same room for the lazy DFA as the
/// constant ones; the error is the caller's to report.
pub(crate) fn compile_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(LAZY_DFA_CACHE_BYTES)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_carries_the_rule_and_the_span() {
        let rule = Rule {
            id: "test.rule",
            category: Category::Phone,
            confidence: Confidence::Possible,
            legal_basis: "GDPR art. 6",
            reason: "Skäl.",
        };
        let finding = rule.finding(3..7);
        assert_eq!((finding.start, finding.end), (3, 7));
        assert_eq!(finding.rule, "test.rule");
        assert_eq!(finding.category, Category::Phone);
    }
}
