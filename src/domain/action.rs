//! What is done with a comment ([`ModerationAction`]) and where a comment
//! stands on its platform ([`ModerationState`]). The policy table picks an
//! action, the store and the archive record it, connectors carry it out and
//! read the state back, and e-mail and the console describe both.

use serde::{Deserialize, Serialize};

/// What is done with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// Nothing.
    None,
    /// A person looks at it.
    Review,
    /// Hide it from the public.
    Hide,
    /// Delete it.
    Delete,
}

impl ModerationAction {
    /// Whether this action changes the comment on the platform.
    pub fn is_platform_action(self) -> bool {
        matches!(self, ModerationAction::Hide | ModerationAction::Delete)
    }

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::None => "none",
            ModerationAction::Review => "review",
            ModerationAction::Hide => "hide",
            ModerationAction::Delete => "delete",
        }
    }
}

/// Where a comment stands on the platform, read back when the outcome of an
/// action is not known: after a crash between the call and its record, or
/// when the platform's reply to a call that may have worked was malformed.
/// Asking first is what keeps an action from being carried out twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationState {
    /// The public can see it.
    Visible,
    /// Hidden from the public (or held for review, where that is the
    /// platform's hide).
    Hidden,
    /// It no longer exists on the platform (deleted, rejected).
    Removed,
    /// The platform cannot tell; the record says so.
    Unknown,
}
