//! Case tickets: what the registry office and case handlers work from.
//!
//! The policy asks that removed content may be registered, that illegal
//! content is considered for a police report, that questions are answered
//! and that case matters are moved into ordinary case handling. Each of
//! those becomes a ticket in the built-in ticket table.
//!
//! - [`sinks`] — where a ticket goes besides the database: the registry
//!   mailbox (e-mail with the evidence record attached) and external case
//!   systems (signed webhook), both through the outbox;
//! - [`commands`] — the `kommentarsvakt tickets …` commands moderators use.
//!
//! When a ticket of each kind is due, counted in office hours, is
//! [`crate::schedule::due`]: the configuration reads deadlines and the
//! schedule knows office time.
//!
//! A ticket is `open`, then `assigned` to a person, then `done`. A question
//! ticket is also closed by the service itself when the account replies in
//! the question's thread.

pub mod commands;
pub mod sinks;
