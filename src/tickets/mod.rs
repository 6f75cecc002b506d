//! Case tickets: what the registry office and case handlers work from.
//!
//! The policy asks that removed content may be registered, that illegal
//! content is considered for a police report, that questions are answered
//! and that case matters are moved into ordinary case handling. Each of
//! those becomes a ticket in the built-in ticket table.

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
