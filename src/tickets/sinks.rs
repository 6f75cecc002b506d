//! Where a ticket goes besides the built-in table: the registry office's
//! mailbox and external case systems.
//!
//! Deliveries never happen inline. When a decision opens a ticket, one
//! outbox item per matching `[[ticket_sinks]]` entry is written in the same
//! transaction ([`outbox_items`]); the outbox worker delivers them with
//! retries, capped backoff and a dead-letter state. Each item's
//! idempotency key is `ticket:<sink>:<reference>`, so the same ticket is
//! never queued twice for a sink, and the key travels with every attempt
//! (as the `Message-ID` of an e-mail, as the `Idempotency-Key` header of a
//! webhook) so the receiver can tell a retry from a new ticket.
//!
//! - **e-mail** ([`TICKET_EMAIL_KIND`]): one message per ticket with the
//!   reference in brackets at the start of the subject (`[KV-000123-REG]`),
//!   so the registry's mail rules and people can file it; the evidence record
//!   JSON is attached at delivery time, read from the archive. The body
//!   never carries the comment text.
//! - **webhook** ([`WEBHOOK_KIND`]): a JSON POST of [`TicketMessage`] signed
//!   with HMAC-SHA256 over the exact body bytes
//!   (`X-Kommentarsvakt-Signature: sha256=<hex>`), the secret read from the
//!   configuration's secret source at delivery time, never stored in the
//!   outbox.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::alerts::templates::{self, TicketNotice};
use crate::alerts::{Attachment, OutgoingMail};
use crate::config::{AccountConfig, DepartmentConfig, SinkTarget, TicketSinkConfig};
use crate::store::{NewOutboxItem, NewTicket};

/// Outbox kind of a ticket e-mail to a registry mailbox.
pub const TICKET_EMAIL_KIND: &str = "ticket_email";
/// Outbox kind of a ticket POST to a case system.
pub const WEBHOOK_KIND: &str = "webhook";
/// Header carrying `sha256=<hex HMAC-SHA256 of the body>`.
pub const SIGNATURE_HEADER: &str = "X-Kommentarsvakt-Signature";
/// Header carrying the outbox idempotency key, the same on every retry.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// What a ticket is about, as sinks need it: configured names plus the
/// comment's id and evidence record (never its text).
#[derive(Debug, Clone, Copy)]
pub struct TicketContext<'a> {
    /// The ticket being opened.
    pub ticket: &'a NewTicket,
    /// The account the comment was written on.
    pub account: &'a AccountConfig,
    /// The account's department, if configured.
    pub department: Option<&'a DepartmentConfig>,
    /// The platform's id of the comment.
    pub platform_comment_id: &'a str,
    /// The evidence record's path relative to the archive root.
    pub record_path: &'a str,
    /// When the ticket is opened.
    pub opened_at: DateTime<Utc>,
}

/// The JSON a case system receives for a ticket: references and links only,
/// so no personal data from the comment crosses the boundary uninvited; the
/// case handler opens the evidence record through the city's own routines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMessage {
    /// The stable ticket reference, e.g. `KV-000123-REG`.
    pub reference: String,
    /// The kind's configuration name, e.g. `removed_content_registration`.
    pub kind: String,
    /// The kind in Swedish.
    pub kind_sv: String,
    /// The account's configured key.
    pub account_key: String,
    /// The account's display name.
    pub account_name: String,
    /// The owning department's key.
    pub department: String,
    /// The platform (`facebook`, …).
    pub platform: String,
    /// The platform's id of the comment.
    pub comment_id: String,
    /// Public link to the comment, if the platform has one.
    pub permalink: Option<String>,
    /// The evidence record's path relative to the archive root.
    pub record_path: String,
    /// SHA-256 of the evidence record.
    pub record_sha256: Option<String>,
    /// One Swedish line on what it is about (no personal data).
    pub summary: String,
    /// When the ticket was opened (RFC 3339, UTC).
    pub opened_at: DateTime<Utc>,
    /// When it is due (RFC 3339, UTC).
    pub due_at: Option<DateTime<Utc>>,
}

/// The outbox payload of a ticket e-mail: the rendered message, and where
/// the evidence record to attach is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketEmailPayload {
    /// The message without the attachment.
    pub mail: OutgoingMail,
    /// The evidence record's path relative to the archive root.
    pub record_path: String,
    /// The file name the registry sees for the attachment.
    pub attachment_name: String,
}

/// The outbox payload of a webhook delivery: the sink (its URL and secret
/// are looked up at delivery) and the exact body that is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookPayload {
    /// The sink's configured name.
    pub sink: String,
    /// The JSON body, kept as text so every retry signs the same bytes.
    pub body: String,
}

/// Why a delivery failed, in the terms the outbox acts on.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Try again later (server down, 5xx, 429, timeout).
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help (4xx, unusable payload, sink gone): dead letter.
    #[error("{0}")]
    Permanent(String),
}

impl DeliveryError {
    /// Whether the outbox should try again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, DeliveryError::Transient(_))
    }
}

/// The outbox items a new ticket causes: one per sink that accepts its kind
/// and department (the built-in table is written anyway).
pub fn outbox_items(sinks: &[TicketSinkConfig], ctx: &TicketContext<'_>) -> Vec<NewOutboxItem> {
    sinks
        .iter()
        .filter(|sink| sink.accepts(ctx.ticket.kind, &ctx.account.department))
        .filter_map(|sink| outbox_item(sink, ctx))
        .collect()
}

fn outbox_item(sink: &TicketSinkConfig, ctx: &TicketContext<'_>) -> Option<NewOutboxItem> {
    let key = format!("ticket:{}:{}", sink.name, ctx.ticket.reference);
    let (kind, payload) = match &sink.target {
        SinkTarget::Builtin => return None,
        SinkTarget::Email { to } => (
            TICKET_EMAIL_KIND,
            serde_json::to_value(ticket_email(ctx, to.clone(), key.clone())),
        ),
        SinkTarget::Webhook { .. } => (
            WEBHOOK_KIND,
            serde_json::to_string(&ticket_message(ctx)).and_then(|body| {
                serde_json::to_value(WebhookPayload {
                    sink: sink.name.clone(),
                    body,
                })
            }),
        ),
    };
    Some(NewOutboxItem {
        kind: kind.to_string(),
        idempotency_key: key,
        payload: payload.unwrap_or_default(),
    })
}

/// The message a case system receives for a ticket.
pub fn ticket_message(ctx: &TicketContext<'_>) -> TicketMessage {
    let t = ctx.ticket;
    TicketMessage {
        reference: t.reference.clone(),
        kind: t.kind.name().to_string(),
        kind_sv: t.kind.swedish_name().to_string(),
        account_key: ctx.account.key.clone(),
        account_name: ctx.account.name.clone(),
        department: ctx.account.department.clone(),
        platform: ctx.account.platform.as_str().to_string(),
        comment_id: ctx.platform_comment_id.to_string(),
        permalink: t.permalink.clone(),
        record_path: ctx.record_path.to_string(),
        record_sha256: t.record_sha256.clone(),
        summary: t.summary.clone(),
        opened_at: ctx.opened_at,
        due_at: t.due_at,
    }
}

fn ticket_email(ctx: &TicketContext<'_>, to: Vec<String>, key: String) -> TicketEmailPayload {
    let t = ctx.ticket;
    let attachment_name = format!("{}-bevispost.json", t.reference);
    let rendered = templates::ticket_notice(&TicketNotice {
        reference: t.reference.clone(),
        kind: t.kind,
        account_name: ctx.account.name.clone(),
        department_name: ctx
            .department
            .map(|d| d.name.clone())
            .unwrap_or_else(|| ctx.account.department.clone()),
        platform: ctx.account.platform,
        comment_id: ctx.platform_comment_id.to_string(),
        summary: t.summary.clone(),
        opened_at: ctx.opened_at,
        due_at: t.due_at,
        permalink: t.permalink.clone(),
        record_path: ctx.record_path.to_string(),
        record_sha256: t.record_sha256.clone().unwrap_or_default(),
        attachment_name: attachment_name.clone(),
    });
    TicketEmailPayload {
        mail: OutgoingMail::from_rendered(rendered, to, Vec::new(), key),
        record_path: ctx.record_path.to_string(),
        attachment_name,
    }
}

/// Reads the evidence record from the archive and attaches it. A missing
/// record is a dead letter: a person must find out why before the registry
/// gets a ticket without its evidence.
pub fn attach_record(
    payload: TicketEmailPayload,
    archive_root: &Path,
) -> Result<OutgoingMail, DeliveryError> {
    let path = archive_root.join(&payload.record_path);
    let bytes = std::fs::read(&path).map_err(|e| {
        DeliveryError::Permanent(format!(
            "cannot read the evidence record {}: {e}",
            path.display()
        ))
    })?;
    let mut mail = payload.mail;
    mail.attachments.push(Attachment {
        filename: payload.attachment_name,
        content_type: "application/json".to_string(),
        bytes,
    });
    Ok(mail)
}

/// `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`: what the
/// receiver recomputes to know the ticket came from this service unchanged.
pub fn signature(secret: &SecretString, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// POSTs a signed ticket to a case system. 2xx is delivered; 408, 429 and
/// 5xx and network failures are retried; any other answer is permanent.
pub async fn post_webhook(
    client: &reqwest::Client,
    url: &str,
    secret: &SecretString,
    timeout: Duration,
    idempotency_key: &str,
    body: &str,
) -> Result<(), DeliveryError> {
    let response = client
        .post(url)
        .timeout(timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature(secret, body.as_bytes()))
        .header(IDEMPOTENCY_HEADER, idempotency_key)
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| DeliveryError::Transient(format!("the case system is unreachable: {e}")))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let detail = format!("the case system answered {status}");
    if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
        Err(DeliveryError::Transient(detail))
    } else {
        Err(DeliveryError::Permanent(detail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketKind;

    #[test]
    fn signature_matches_a_known_hmac_sha256() {
        // RFC 4231 test case 2.
        let secret = SecretString::from("Jefe");
        assert_eq!(
            signature(&secret, b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_changed_body_gets_another_signature() {
        let secret = SecretString::from("hemlig");
        assert_ne!(
            signature(&secret, b"{\"a\":1}"),
            signature(&secret, b"{\"a\":2}")
        );
    }

    fn account(department: &str) -> AccountConfig {
        AccountConfig {
            key: "stad-fb".to_string(),
            platform: crate::domain::PlatformKind::Facebook,
            platform_id: "100".to_string(),
            name: "Stockholms stad".to_string(),
            department: department.to_string(),
            moderators: vec!["moderator@example.se".to_string()],
            purpose: "Information".to_string(),
            link: None,
            register: Default::default(),
            token: None,
            api_base_url: "http://127.0.0.1:1".to_string(),
            api_version: "v24.0".to_string(),
            dry_run: false,
            review_unread_languages: true,
            oauth: None,
            quota_project: None,
        }
    }

    fn sink(
        name: &str,
        kinds: Vec<TicketKind>,
        departments: &[&str],
        target: SinkTarget,
    ) -> TicketSinkConfig {
        TicketSinkConfig {
            name: name.to_string(),
            kinds,
            departments: departments.iter().map(|d| d.to_string()).collect(),
            target,
        }
    }

    fn items_for(kind: TicketKind, department: &str) -> Vec<NewOutboxItem> {
        let sinks = [
            sink("db", Vec::new(), &[], SinkTarget::Builtin),
            sink(
                "registrator",
                vec![TicketKind::RemovedContentRegistration],
                &[],
                SinkTarget::Email {
                    to: vec!["registrator@example.se".to_string()],
                },
            ),
            sink(
                "arende",
                Vec::new(),
                &["slk"],
                SinkTarget::Webhook {
                    url: "https://arende.example.se/t".to_string(),
                    secret: SecretString::from("hemlig-nyckel-123"),
                    timeout: Duration::from_secs(1),
                },
            ),
        ];
        let ticket = NewTicket {
            reference: kind.reference_for(7),
            kind,
            account_id: 1,
            comment_id: Some(7),
            record_sha256: Some("ab".repeat(32)),
            permalink: None,
            summary: "Sammanfattning".to_string(),
            due_at: None,
        };
        let account = account(department);
        outbox_items(
            &sinks,
            &TicketContext {
                ticket: &ticket,
                account: &account,
                department: None,
                platform_comment_id: "100_1_7",
                record_path: "records/x.json",
                opened_at: DateTime::<Utc>::UNIX_EPOCH,
            },
        )
    }

    #[test]
    fn tickets_go_to_the_sinks_of_their_kind_and_department() {
        let keys = |items: Vec<NewOutboxItem>| -> Vec<(String, String)> {
            items
                .into_iter()
                .map(|i| (i.kind, i.idempotency_key))
                .collect()
        };
        assert_eq!(
            keys(items_for(TicketKind::RemovedContentRegistration, "slk")),
            [
                (
                    TICKET_EMAIL_KIND.to_string(),
                    "ticket:registrator:KV-000007-REG".to_string()
                ),
                (
                    WEBHOOK_KIND.to_string(),
                    "ticket:arende:KV-000007-REG".to_string()
                ),
            ]
        );
        assert_eq!(
            keys(items_for(TicketKind::CaseMatter, "slk")),
            [(
                WEBHOOK_KIND.to_string(),
                "ticket:arende:KV-000007-ARE".to_string()
            )]
        );
        assert!(items_for(TicketKind::CaseMatter, "trafikkontoret").is_empty());
    }

    #[test]
    fn the_outbox_never_holds_the_webhook_secret() {
        let items = items_for(TicketKind::CaseMatter, "slk");
        let payload: WebhookPayload =
            serde_json::from_value(items[0].payload.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(payload.sink, "arende");
        assert!(!items[0].payload.to_string().contains("hemlig-nyckel"));
        let body: TicketMessage =
            serde_json::from_str(&payload.body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(body.comment_id, "100_1_7");
        assert_eq!(body.kind, "case_matter");
    }

    #[test]
    fn only_server_trouble_is_retried() {
        assert!(DeliveryError::Transient(String::new()).is_retryable());
        assert!(!DeliveryError::Permanent(String::new()).is_retryable());
    }
}
