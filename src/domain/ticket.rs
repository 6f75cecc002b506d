//! The kinds of case ticket: what a ticket asks a person to do. The policy
//! table decides which kinds a comment needs, the configuration sets their
//! deadlines and destinations, and the store, e-mail and console name them.

use serde::{Deserialize, Serialize};

/// What a ticket asks a person to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    /// Register the removed content as a public record (registrering).
    RemovedContentRegistration,
    /// Decide whether to report illegal content to the police.
    PoliceReportConsideration,
    /// Answer a question in office hours without undue delay.
    QuestionToAnswer,
    /// Move the matter into ordinary case handling.
    CaseMatter,
    /// Concern for a child's welfare: urgent.
    ChildWelfareConcern,
}

impl TicketKind {
    /// Every kind, in the order they are shown.
    pub const ALL: [TicketKind; 5] = [
        TicketKind::ChildWelfareConcern,
        TicketKind::PoliceReportConsideration,
        TicketKind::RemovedContentRegistration,
        TicketKind::QuestionToAnswer,
        TicketKind::CaseMatter,
    ];

    /// The name used in configuration, the database and the CLI
    /// (`question_to_answer`).
    pub fn name(self) -> &'static str {
        match self {
            TicketKind::RemovedContentRegistration => "removed_content_registration",
            TicketKind::PoliceReportConsideration => "police_report_consideration",
            TicketKind::QuestionToAnswer => "question_to_answer",
            TicketKind::CaseMatter => "case_matter",
            TicketKind::ChildWelfareConcern => "child_welfare_concern",
        }
    }

    /// Reads a kind as an operator writes it: its name or its reference
    /// code, in any case (`question_to_answer`, `FRA`).
    pub fn parse(text: &str) -> Option<TicketKind> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(text) || k.code().eq_ignore_ascii_case(text))
    }

    /// Every kind's name, for messages that list the choices.
    pub fn names() -> String {
        Self::ALL.map(TicketKind::name).join(", ")
    }

    /// Short code used in ticket references.
    pub fn code(self) -> &'static str {
        match self {
            TicketKind::RemovedContentRegistration => "REG",
            TicketKind::PoliceReportConsideration => "POL",
            TicketKind::QuestionToAnswer => "FRA",
            TicketKind::CaseMatter => "ARE",
            TicketKind::ChildWelfareConcern => "ORO",
        }
    }

    /// The Swedish name shown to case handlers.
    pub fn swedish_name(self) -> &'static str {
        match self {
            TicketKind::RemovedContentRegistration => "Registrering av borttaget innehåll",
            TicketKind::PoliceReportConsideration => "Ta ställning till polisanmälan",
            TicketKind::QuestionToAnswer => "Fråga att besvara",
            TicketKind::CaseMatter => "Ärende till ärendehantering",
            TicketKind::ChildWelfareConcern => "Oro för barn (brådskande)",
        }
    }

    /// The stable reference of the ticket of this kind for a comment version:
    /// the same decision always yields the same reference.
    pub fn reference_for(self, comment_row_id: i64) -> String {
        format!("KV-{comment_row_id:06}-{}", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_name_or_code_and_names_match_the_stored_form() {
        for kind in TicketKind::ALL {
            assert_eq!(TicketKind::parse(kind.name()), Some(kind));
            assert_eq!(TicketKind::parse(&kind.code().to_lowercase()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::String(kind.name().to_string()))
            );
        }
        assert_eq!(TicketKind::parse("fråga"), None);
    }

    #[test]
    fn reference_is_stable_and_carries_the_kind_code() {
        assert_eq!(
            TicketKind::RemovedContentRegistration.reference_for(123),
            "KV-000123-REG"
        );
    }
}
