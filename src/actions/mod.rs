//! Acting on a comment on its platform: the path of every hide, delete and
//! restore reads in this one place.
//!
//! - [`execute`]: the automatic hide or delete the pipeline decided. It
//!   needs the archive receipt, re-read and re-hashed from disk; it is
//!   idempotent against the platform — an action whose outcome a crash or a
//!   malformed reply left unknown is settled by reading the comment's state
//!   on the platform first, never by calling again blindly.
//! - [`restore`]: a moderator overrules the service and makes a hidden
//!   comment visible again.
//!
//! Acting on a comment is a decision by a public authority, and so is
//! undoing one: the intent is recorded before the platform call and the
//! outcome after, with how the outcome is known.

pub mod execute;
pub mod restore;

pub use execute::{ActionContext, Attempt, MAX_ACTION_ATTEMPTS, carry_out};
pub use restore::{RestoreError, RestoreOutcome, RestoreTarget, hidden_version, restore};
