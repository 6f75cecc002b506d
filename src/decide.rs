//! Decide: maps findings to actions with the configured policy.

use serde::{Deserialize, Serialize};

/// What is done with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
