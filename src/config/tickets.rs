//! Typed settings for case tickets and moderator alerts: due times per
//! ticket kind (`[tickets.due]`), where tickets are sent (`[[ticket_sinks]]`)
//! and the per-run digest and repeated-failure rule (`[alerts]`).

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};

use crate::domain::TicketKind;
use crate::schedule::due::DueRule;

/// `[tickets]`: how tickets are handled in the built-in table.
#[derive(Debug, Clone, Default)]
pub struct TicketsConfig {
    /// Deadlines configured per kind; kinds not named use
    /// [`DueRule::default_for`].
    pub due: HashMap<TicketKind, DueRule>,
}

impl TicketsConfig {
    /// The deadline rule for a kind: configured, else the default.
    pub fn due_rule(&self, kind: TicketKind) -> DueRule {
        self.due
            .get(&kind)
            .copied()
            .unwrap_or_else(|| DueRule::default_for(kind))
    }
}

/// One `[[ticket_sinks]]` entry: tickets of some kinds from some departments
/// go to one destination besides the database.
#[derive(Debug, Clone)]
pub struct TicketSinkConfig {
    /// Unique name; part of each delivery's idempotency key, so renaming a
    /// sink makes it a new destination.
    pub name: String,
    /// Ticket kinds sent here; empty means every kind.
    pub kinds: Vec<TicketKind>,
    /// Department keys whose tickets are sent here; empty means every one.
    pub departments: Vec<String>,
    /// Where the tickets go.
    pub target: SinkTarget,
}

impl TicketSinkConfig {
    /// Whether a ticket of `kind` on an account of `department` goes here.
    pub fn accepts(&self, kind: TicketKind, department: &str) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && (self.departments.is_empty() || self.departments.iter().any(|d| d == department))
    }
}

/// A ticket destination.
#[derive(Debug, Clone)]
pub enum SinkTarget {
    /// The built-in ticket table: always written; naming it only documents
    /// that a kind has no outside destination.
    Builtin,
    /// One e-mail per ticket to the registry office's mailbox, with the
    /// evidence record's reference and SHA-256 (the record itself only when
    /// `attach_records` is set).
    Email {
        /// The recipients.
        to: Vec<String>,
        /// Whether the whole evidence record is attached. Off by default:
        /// the record holds the comment's personal data, which the service
        /// keeps out of e-mail; only a registry mailbox that is itself a
        /// records system (diarium) should receive it.
        attach_records: bool,
    },
    /// A signed JSON POST to an external case system.
    Webhook {
        /// The endpoint.
        url: String,
        /// Key of the HMAC-SHA256 signature, read from the environment, a
        /// file or a credential, never written in the config.
        secret: SecretString,
        /// Timeout of one delivery attempt.
        timeout: Duration,
    },
}

/// The prefix of a Standard Webhooks secret; the rest is the key in base64.
pub const WEBHOOK_SECRET_PREFIX: &str = "whsec_";

/// The HMAC key of a webhook secret: the base64 after `whsec_` (Standard
/// Webhooks), or the text itself for a secret without the prefix (a case
/// system that was given a plain shared secret). `None` when a `whsec_`
/// secret is not base64, which the configuration check refuses.
pub fn webhook_signing_key(secret: &SecretString) -> Option<Vec<u8>> {
    let text = secret.expose_secret().trim();
    match text.strip_prefix(WEBHOOK_SECRET_PREFIX) {
        Some(encoded) => STANDARD.decode(encoded).ok().filter(|k| !k.is_empty()),
        None => Some(text.as_bytes().to_vec()),
    }
}

/// `[alerts]`: e-mail to moderators besides the immediate alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertsConfig {
    /// Whether a digest goes to each moderator after every monitoring run.
    pub digest: bool,
    /// After this many monitoring runs in a row in which polling an account
    /// failed, its moderators and operations are told, even when each
    /// failure on its own looked passing.
    pub repeated_failure_runs: u32,
    /// When one run settles more actions than this on one account, its
    /// moderators get one e-mail listing them all instead of one each: a
    /// first run over a backlog must not bury them in alerts.
    pub summary_above: u32,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            digest: true,
            repeated_failure_runs: 3,
            summary_above: 10,
        }
    }
}
