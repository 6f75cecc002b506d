//! Decide: the policy table from findings to actions. Pure: the same
//! findings, policy and platform capabilities always give the same decision.
//!
//! Only the obvious is acted on automatically; everything else flagged goes
//! to a person, with the reasons shown. Where the policy asks for removal and
//! the platform cannot do the asked action, the strongest action the
//! platform allows is used (and recorded as such); where it allows none, a
//! person must act.

use crate::domain::{
    Capabilities, Category, CategoryGroup, Confidence, Finding, ModerationAction, PolicyConfig,
    TicketKind,
};

/// What the policy says to do with one comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The action on the platform, or review, or nothing.
    pub action: ModerationAction,
    /// The policy asked for more than the platform allows (recorded).
    pub downgraded_from: Option<ModerationAction>,
    /// Tickets to open.
    pub tickets: Vec<TicketKind>,
    /// Whether moderators get an immediate e-mail (not only the digest).
    pub immediate_alert: bool,
}

/// Applies the policy table to a comment's findings.
pub fn decide(findings: &[Finding], policy: &PolicyConfig, capabilities: Capabilities) -> Decision {
    let wanted = findings
        .iter()
        .map(|f| action_for(f, policy))
        .max()
        .unwrap_or(ModerationAction::None);
    let action = strongest_allowed(wanted, capabilities);
    let downgraded_from = (action != wanted).then_some(wanted);
    let tickets = tickets_for(findings, action);
    let immediate_alert = action.is_platform_action()
        || downgraded_from.is_some()
        || findings
            .iter()
            .any(|f| f.category == Category::ChildWelfareConcern);
    Decision {
        action,
        downgraded_from,
        tickets,
        immediate_alert,
    }
}

/// The action the policy table gives one finding.
fn action_for(finding: &Finding, policy: &PolicyConfig) -> ModerationAction {
    let obvious = finding.confidence == Confidence::Obvious;
    match (finding.category.group(), obvious) {
        (CategoryGroup::IllegalContent, true) => policy.obvious_illegal,
        (CategoryGroup::PersonalData, true) => policy.obvious_personal_data,
        (CategoryGroup::IllegalContent | CategoryGroup::PersonalData, false) => {
            policy.other_flagged
        }
        // Questions and case matters are answered or moved into case
        // handling, never removed.
        (CategoryGroup::Service, _) => ModerationAction::None,
        // What no rule could read goes to a person, never further: the
        // city removes nothing lawful, and nothing is known of this text.
        (CategoryGroup::Unassessed, _) => ModerationAction::Review,
    }
}

/// Maps an action the platform cannot do to the strongest one it can.
fn strongest_allowed(wanted: ModerationAction, caps: Capabilities) -> ModerationAction {
    match wanted {
        ModerationAction::Delete if caps.delete => ModerationAction::Delete,
        ModerationAction::Delete if caps.hide => ModerationAction::Hide,
        ModerationAction::Hide if caps.hide => ModerationAction::Hide,
        // Removal is what the policy asks; deleting is within it.
        ModerationAction::Hide if caps.delete => ModerationAction::Delete,
        ModerationAction::Hide | ModerationAction::Delete => ModerationAction::Review,
        other => other,
    }
}

/// The tickets a decision opens.
fn tickets_for(findings: &[Finding], action: ModerationAction) -> Vec<TicketKind> {
    let mut tickets = Vec::new();
    let has = |c: Category| findings.iter().any(|f| f.category == c);
    if action.is_platform_action() {
        tickets.push(TicketKind::RemovedContentRegistration);
        let obvious_illegal = findings.iter().any(|f| {
            f.category.group() == CategoryGroup::IllegalContent
                && f.confidence == Confidence::Obvious
        });
        if obvious_illegal {
            tickets.push(TicketKind::PoliceReportConsideration);
        }
    }
    if has(Category::ChildWelfareConcern) {
        tickets.push(TicketKind::ChildWelfareConcern);
    }
    if has(Category::CaseMatter) {
        tickets.push(TicketKind::CaseMatter);
    } else if has(Category::Question) && !action.is_platform_action() {
        tickets.push(TicketKind::QuestionToAnswer);
    }
    tickets
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: PolicyConfig = PolicyConfig::DEFAULT;
    const FACEBOOK: Capabilities = Capabilities {
        hide: true,
        delete: true,
        permalink: true,
    };

    fn finding(category: Category, confidence: Confidence) -> Finding {
        Finding {
            category,
            confidence,
            start: 0,
            end: 1,
            rule: "test".into(),
            legal_basis: "test".into(),
            reason: "test".into(),
        }
    }

    #[test]
    fn obvious_personnummer_is_hidden_and_registered() {
        let d = decide(
            &[finding(Category::Personnummer, Confidence::Obvious)],
            &POLICY,
            FACEBOOK,
        );
        assert_eq!(d.action, ModerationAction::Hide);
        assert_eq!(d.tickets, vec![TicketKind::RemovedContentRegistration]);
        assert!(d.immediate_alert);
    }

    #[test]
    fn probable_hate_speech_goes_to_review_not_removal() {
        let d = decide(
            &[finding(Category::HetsMotFolkgrupp, Confidence::Probable)],
            &POLICY,
            FACEBOOK,
        );
        assert_eq!(d.action, ModerationAction::Review);
        assert!(d.tickets.is_empty());
    }

    #[test]
    fn obvious_threat_opens_police_report_consideration() {
        let d = decide(
            &[finding(Category::OlagaHot, Confidence::Obvious)],
            &POLICY,
            FACEBOOK,
        );
        assert_eq!(d.action, ModerationAction::Hide);
        assert!(d.tickets.contains(&TicketKind::PoliceReportConsideration));
    }

    #[test]
    fn platform_without_hide_deletes_instead_and_records_it() {
        let linkedin = Capabilities {
            hide: false,
            delete: true,
            permalink: true,
        };
        let d = decide(
            &[finding(Category::OlagaHot, Confidence::Obvious)],
            &POLICY,
            linkedin,
        );
        assert_eq!(d.action, ModerationAction::Delete);
        assert_eq!(d.downgraded_from, Some(ModerationAction::Hide));
    }

    #[test]
    fn platform_without_any_removal_sends_to_a_person() {
        let none = Capabilities::NONE;
        let d = decide(
            &[finding(Category::Personnummer, Confidence::Obvious)],
            &POLICY,
            none,
        );
        assert_eq!(d.action, ModerationAction::Review);
        assert!(
            d.immediate_alert,
            "a person must be told at once that removal was impossible"
        );
    }

    #[test]
    fn a_comment_no_rule_could_read_goes_to_review_never_further() {
        let d = decide(
            &[finding(Category::NotAssessed, Confidence::Possible)],
            &POLICY,
            FACEBOOK,
        );
        assert_eq!(d.action, ModerationAction::Review);
        assert!(d.tickets.is_empty());
        assert!(!d.immediate_alert, "the digest tells of it");
    }

    #[test]
    fn question_opens_a_ticket_and_is_never_removed() {
        let d = decide(
            &[finding(Category::Question, Confidence::Obvious)],
            &POLICY,
            FACEBOOK,
        );
        assert_eq!(d.action, ModerationAction::None);
        assert_eq!(d.tickets, vec![TicketKind::QuestionToAnswer]);
    }

    #[test]
    fn no_findings_no_action() {
        let d = decide(&[], &POLICY, FACEBOOK);
        assert_eq!(d.action, ModerationAction::None);
        assert!(d.tickets.is_empty());
        assert!(!d.immediate_alert);
    }
}
