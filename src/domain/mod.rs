//! The shared vocabulary of the service: the types every part speaks about
//! and none owns alone. A comment as fetched, the platform it is on and what
//! that platform allows, what the classifier found in it, what the policy
//! does with it, and the tickets it opens.
//!
//! This module depends on no other module of the crate, so any part may use
//! it without importing another part for its types: the parts depend on the
//! domain, never on each other for vocabulary (`.ci/module-cycles.py`
//! checks that the top-level modules form no import cycle).
//!
//! - [`comment`]: [`FetchedPost`] and [`FetchedComment`], exactly as fetched.
//! - [`platform`]: the [`PlatformKind`] enum.
//! - [`capabilities`]: [`Capabilities`], what a platform allows per comment.
//! - [`finding`]: [`Finding`], its [`Category`] and [`Confidence`].
//! - [`action`]: [`ModerationAction`] and the platform's [`ModerationState`].
//! - [`policy`]: [`PolicyConfig`], the action policy per kind of finding.
//! - [`ticket`]: the [`TicketKind`] enum.
//! - [`profile`]: [`AccountProfile`], an account's profile as read, and the
//!   [`ProfileItem`]s of basic information the policy asks for.
//! - [`linkedin_version`]: LinkedIn's one-year support of each
//!   `LinkedIn-Version`, which configuration, connector and simulator obey.

pub mod action;
pub mod capabilities;
pub mod comment;
pub mod finding;
pub mod linkedin_version;
pub mod platform;
pub mod policy;
pub mod profile;
pub mod ticket;

pub use action::{ModerationAction, ModerationState};
pub use capabilities::Capabilities;
pub use comment::{FetchedComment, FetchedPost, content_hash};
pub use finding::{Category, CategoryGroup, Confidence, Finding};
pub use platform::PlatformKind;
pub use policy::PolicyConfig;
pub use profile::{AccountProfile, HiddenItem, ProfileItem, ProfileText};
pub use ticket::TicketKind;
