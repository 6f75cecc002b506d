//! What a platform lets the service do with a comment. Connectors report
//! it, the policy table reads it to pick the strongest allowed action, and
//! the console shows it, so it is shared here rather than owned by one.

/// What an account's platform lets the service do with someone else's
/// comment. Where the policy asks for removal and the platform cannot delete,
/// the strongest action there is is used and recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The comment can be hidden from everyone but its author and friends.
    pub hide: bool,
    /// The comment can be deleted.
    pub delete: bool,
    /// Comments carry a public permalink.
    pub permalink: bool,
}

impl Capabilities {
    /// No moderation at all (an account without a working connector): every
    /// removal the policy asks for goes to a person instead.
    pub const NONE: Capabilities = Capabilities {
        hide: false,
        delete: false,
        permalink: false,
    };
}
