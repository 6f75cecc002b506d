//! The action policy: what the city's social-media policy says is done with
//! findings of each kind. Configuration fills it in and the policy table
//! (`decide`) reads it; the `classify` command uses its defaults.

use super::ModerationAction;

/// The action policy: what is done with findings of each kind. Only obvious
/// findings may lead to an automatic action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyConfig {
    /// Action for obvious illegal content.
    pub obvious_illegal: ModerationAction,
    /// Action for obvious sensitive or privacy-violating personal data.
    pub obvious_personal_data: ModerationAction,
    /// Action for anything else that was flagged (normally review).
    pub other_flagged: ModerationAction,
}

impl PolicyConfig {
    /// The defaults: obvious illegal content and obvious personal data are
    /// hidden, everything else flagged goes to a person.
    pub const DEFAULT: PolicyConfig = PolicyConfig {
        obvious_illegal: ModerationAction::Hide,
        obvious_personal_data: ModerationAction::Hide,
        other_flagged: ModerationAction::Review,
    };
}
