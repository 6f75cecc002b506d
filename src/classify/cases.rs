//! Comments that belong in case handling: fault reports, complaints,
//! applications and appeals, references to case numbers, and concern for a
//! child's welfare.
//!
//! The policy asks that information which belongs to an existing case or
//! starts a new one is moved into ordinary case handling. None of these
//! findings ever leads to removal ([`crate::decide`] treats them as
//! service): they open a case ticket. A concern for a child is urgent: it
//! is at least [`Confidence::Probable`], goes to a person at once, and is
//! never hidden.
//!
//! The phrases are word lists, `wordlists/sv/service/case_*.txt` and
//! `child_welfare_*.txt` (see [`super::service_phrases`]), matched
//! case-insensitively as whole words.

use regex::Regex;

use super::phrases::{WholeWords, any_candidate};
use super::rule::{Rule, constant_regex};
use super::service_phrases::ServicePhrases;
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

/// Legal basis of case-matter findings.
pub const LEGAL_BASIS_CASE: &str = "förvaltningslagen (2017:900) 6 §, 31 §; \
     stadens riktlinjer: Besvara frågor och kommentarer (ärenden förs in i ärendehanteringen)";
/// Legal basis of child-welfare findings.
pub const LEGAL_BASIS_CHILD_WELFARE: &str = "socialtjänstlagen (anmälan om oro för att ett barn \
     far illa); stadens riktlinjer: Besvara frågor och kommentarer";

const FAULT_REPORT: Rule = Rule {
    id: "svc.case.fault_report",
    category: Category::CaseMatter,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_CASE,
    reason: "Ser ut som en felanmälan (något är trasigt eller fungerar inte); för in i \
             ärendehanteringen.",
};
const COMPLAINT: Rule = Rule {
    id: "svc.case.complaint",
    category: Category::CaseMatter,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_CASE,
    reason: "Ser ut som ett klagomål eller en anmälan; för in i ärendehanteringen.",
};
const APPLICATION: Rule = Rule {
    id: "svc.case.application_or_appeal",
    category: Category::CaseMatter,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_CASE,
    reason: "Handlar om en ansökan, ett överklagande eller en begäran om omprövning.",
};
const CASE_REFERENCE: Rule = Rule {
    id: "svc.case.reference",
    category: Category::CaseMatter,
    confidence: Confidence::Obvious,
    legal_basis: LEGAL_BASIS_CASE,
    reason: "Kommentaren hänvisar till ett diarie- eller ärendenummer.",
};
const CHILD_HARMED: Rule = Rule {
    id: "svc.child_welfare.explicit",
    category: Category::ChildWelfareConcern,
    confidence: Confidence::Obvious,
    legal_basis: LEGAL_BASIS_CHILD_WELFARE,
    reason: "Kommentaren beskriver att ett barn far illa (våld, vanvård, övergrepp); \
             bedöm skyndsamt om en orosanmälan ska göras.",
};
const CHILD_CONCERN: Rule = Rule {
    id: "svc.child_welfare.concern",
    category: Category::ChildWelfareConcern,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_CHILD_WELFARE,
    reason: "Kommentaren kan uttrycka oro för ett barns välbefinnande; bedöm skyndsamt om \
             en orosanmälan ska göras.",
};

/// How far apart (in bytes) a child word and a harm word may be within
/// one sentence.
const CHILD_HARM_DISTANCE: usize = 80;

/// Finds case matters: fault reports, complaints, applications, appeals
/// and case numbers.
pub struct CaseDetector {
    fault: WholeWords,
    complaint: WholeWords,
    application: WholeWords,
    reference: WholeWords,
    /// Any phrase of the four tables (see [`any_candidate`]).
    any: Option<Regex>,
}

impl CaseDetector {
    /// The detector with the built-in phrase lists.
    pub fn new() -> Self {
        Self::with_phrases(&ServicePhrases::builtin())
    }

    /// The detector with the given phrase lists (a city's own, or the
    /// built-in ones).
    pub fn with_phrases(phrases: &ServicePhrases) -> Self {
        let tables = [
            &phrases.case_fault,
            &phrases.case_complaint,
            &phrases.case_application,
            &phrases.case_reference,
        ];
        Self {
            any: any_candidate(&tables),
            fault: phrases.case_fault.clone(),
            complaint: phrases.case_complaint.clone(),
            application: phrases.case_application.clone(),
            reference: phrases.case_reference.clone(),
        }
    }
}

impl Default for CaseDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for CaseDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let text = text.original();
        if self.any.as_ref().is_some_and(|any| !any.is_match(text)) {
            return;
        }
        for (phrases, rule) in [
            (&self.reference, &CASE_REFERENCE),
            (&self.fault, &FAULT_REPORT),
            (&self.complaint, &COMPLAINT),
            (&self.application, &APPLICATION),
        ] {
            // One finding per kind is enough to open a ticket; the first
            // match shows the moderator where to look.
            if let Some(span) = phrases.find(text) {
                out.push(rule.finding(span));
            }
        }
    }
}

/// Finds concern for a child's welfare.
pub struct ChildWelfareDetector {
    explicit: WholeWords,
    sentences: Regex,
    child: WholeWords,
    harm: WholeWords,
}

impl ChildWelfareDetector {
    /// The detector with the built-in phrase lists.
    pub fn new() -> Self {
        Self::with_phrases(&ServicePhrases::builtin())
    }

    /// The detector with the given phrase lists (a city's own, or the
    /// built-in ones).
    pub fn with_phrases(phrases: &ServicePhrases) -> Self {
        Self {
            explicit: phrases.explicit_harm.clone(),
            sentences: constant_regex(r"[^.!?\n]+"),
            child: phrases.child_words.clone(),
            harm: phrases.harm_words.clone(),
        }
    }

    /// The first sentence where a child word and a harm word are close,
    /// as the span from the first to the last of the two.
    fn child_near_harm(&self, text: &str) -> Option<std::ops::Range<usize>> {
        // Both words must be somewhere in the text before any sentence can
        // hold them; most comments lack one or the other.
        if !self.child.is_match(text) || !self.harm.is_match(text) {
            return None;
        }
        for sentence in self.sentences.find_iter(text) {
            let offset = sentence.start();
            let children: Vec<_> = self.child.find_iter(sentence.as_str()).collect();
            for harm in self.harm.find_iter(sentence.as_str()) {
                let near = children.iter().find(|c| {
                    c.end.abs_diff(harm.start) <= CHILD_HARM_DISTANCE
                        || harm.end.abs_diff(c.start) <= CHILD_HARM_DISTANCE
                });
                if let Some(child) = near {
                    let start = offset + child.start.min(harm.start);
                    let end = offset + child.end.max(harm.end);
                    return Some(start..end);
                }
            }
        }
        None
    }
}

impl Default for ChildWelfareDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for ChildWelfareDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let text = text.original();
        if let Some(span) = self.explicit.find(text) {
            out.push(CHILD_HARMED.finding(span));
        } else if let Some(span) = self.child_near_harm(text) {
            out.push(CHILD_CONCERN.finding(span));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(detector: &dyn Detector, text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        detector.detect(text, &mut out);
        out.iter()
            .map(|f| (f.rule.clone(), text[f.start..f.end].to_owned()))
            .collect()
    }

    #[test]
    fn finds_case_matters() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "Gatlampan på Åsögatan är trasig sedan en vecka",
                "svc.case.fault_report",
                "Gatlampan",
            ),
            (
                "Hissen vid T-centralen fungerar inte",
                "svc.case.fault_report",
                "fungerar inte",
            ),
            (
                "Bänken har gått sönder",
                "svc.case.fault_report",
                "har gått sönder",
            ),
            (
                "Fönstret i tvättstugan är sönder igen",
                "svc.case.fault_report",
                "är sönder",
            ),
            (
                "Busskuren vid skolan har slagits sönder",
                "svc.case.fault_report",
                "slagits sönder",
            ),
            (
                "Det är en vattenläcka i parken",
                "svc.case.fault_report",
                "vattenläcka",
            ),
            (
                "Stora hål i vägen på Ringvägen",
                "svc.case.fault_report",
                "hål i vägen",
            ),
            (
                "Massa klotter på skolan",
                "svc.case.fault_report",
                "klotter",
            ),
            (
                "Jag vill klaga på bemötandet",
                "svc.case.complaint",
                "vill klaga",
            ),
            (
                "Hur lämnar jag ett klagomål?",
                "svc.case.complaint",
                "klagomål",
            ),
            (
                "Min ansökan om bygglov har legat i ett år",
                "svc.case.application_or_appeal",
                "ansökan",
            ),
            (
                "Vi tänker överklaga beslutet",
                "svc.case.application_or_appeal",
                "överklaga",
            ),
            (
                "Jag begär omprövning",
                "svc.case.application_or_appeal",
                "begär omprövning",
            ),
            (
                "Angående KS 2018/1303",
                "svc.case.reference",
                "KS 2018/1303",
            ),
            (
                "Se Dnr 1.6-246/2019",
                "svc.case.reference",
                "Dnr 1.6-246/2019",
            ),
            (
                "Ärendet SBK 2020-12345 ligger still",
                "svc.case.reference",
                "SBK 2020-12345",
            ),
            (
                "Mitt ärendenummer 12345 har inte fått svar",
                "svc.case.reference",
                "ärendenummer 12345",
            ),
        ];
        let detector = CaseDetector::new();
        for &(text, rule, span) in cases {
            let found = run(&detector, text);
            assert!(
                found.contains(&(rule.to_owned(), span.to_owned())),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn ignores_opinions_without_a_case() {
        let detector = CaseDetector::new();
        for text in [
            "Bra jobbat med den nya parken!",
            "Politikerna borde lyssna mer på medborgarna.",
            "Invandringen är för hög enligt mig.",
            "Jag älskar Stockholm på våren.",
            // `sönder` alone breaks no thing of the city: a threat, a
            // match, a recipe.
            "Jag ska slå sönder dig",
            "Laget sköt sönder motståndarna i går",
            "Låt grytan puttra tills köttet faller sönder",
        ] {
            assert!(run(&detector, text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn finds_concern_for_a_child() {
        let detector = ChildWelfareDetector::new();
        let cases: &[(&str, &str)] = &[
            (
                "Grannen slår sina barn varje kväll",
                "svc.child_welfare.explicit",
            ),
            (
                "Barnen far illa i den familjen",
                "svc.child_welfare.explicit",
            ),
            (
                "Barnen är ensamma hemma hela nätterna",
                "svc.child_welfare.explicit",
            ),
            ("Pappan knarkar inför barnen", "svc.child_welfare.explicit"),
            (
                "Barnen på gården verkar hungriga och ingen tar hand om dem",
                "svc.child_welfare.concern",
            ),
            (
                "Flickan i trappan har blåmärken överallt",
                "svc.child_welfare.concern",
            ),
            (
                "Jag vill göra en orosanmälan om ett barn",
                "svc.child_welfare.concern",
            ),
        ];
        for &(text, rule) in cases {
            let mut out = Vec::new();
            detector.detect(text, &mut out);
            assert_eq!(out.len(), 1, "{text:?}");
            assert_eq!(out[0].rule, rule, "{text:?}");
            assert!(out[0].confidence >= Confidence::Probable, "{text:?}");
            assert_eq!(out[0].category, Category::ChildWelfareConcern);
        }
    }

    #[test]
    fn ignores_children_without_harm() {
        let detector = ChildWelfareDetector::new();
        for text in [
            "Barnen älskar den nya lekplatsen!",
            "Min son börjar skolan i höst.",
            "Fler förskoleplatser för barn behövs.",
            "Han slår alla rekord. Barnen jublade inte.",
        ] {
            assert!(run(&detector, text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn spans_point_into_text_after_multibyte_letters() {
        let text = "Östermalmsgården 😀 – gatlampan är trasig";
        let mut out = Vec::new();
        CaseDetector::new().detect(text, &mut out);
        assert_eq!(&text[out[0].start..out[0].end], "gatlampan");
    }
}
