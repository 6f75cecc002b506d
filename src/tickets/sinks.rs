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
//!   so the registry's mail rules and people can file it, and the evidence
//!   record's reference (its path in the archive) and SHA-256. The record
//!   itself holds the comment's personal data and is attached only for a
//!   sink with `attach_records = true` — a registry mailbox that is itself
//!   a records system — read from the archive at delivery time, its path
//!   and hash checked again. The body never carries the comment text.
//! - **webhook** ([`WEBHOOK_KIND`]): a JSON POST of [`TicketMessage`] signed
//!   as [Standard Webhooks](https://www.standardwebhooks.com/) sign: the
//!   headers `webhook-id` (the idempotency key), `webhook-timestamp` (Unix
//!   seconds at sending) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//!   "{id}.{timestamp}.{body}">`, so a receiver can refuse a replayed or
//!   altered delivery (README, "Verifying webhooks"). The secret is read
//!   from the configuration's secret source at delivery time, never stored
//!   in the outbox. Redirects are never followed (the signed body must not
//!   travel on to a host nobody configured), and the URL is never logged:
//!   it may carry a case system's access key; messages name the sink.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::alerts::templates::{self, TicketNotice};
use crate::alerts::{Attachment, OutgoingMail};
use crate::archive::Archive;
use crate::config::{
    AccountConfig, DepartmentConfig, SinkTarget, TicketSinkConfig, webhook_signing_key,
};
use crate::store::{NewOutboxItem, NewTicket};

/// Outbox kind of a ticket e-mail to a registry mailbox.
pub const TICKET_EMAIL_KIND: &str = "ticket_email";
/// Outbox kind of a ticket POST to a case system.
pub const WEBHOOK_KIND: &str = "webhook";
/// Standard Webhooks: the message id, the same on every retry.
pub const WEBHOOK_ID_HEADER: &str = "webhook-id";
/// Standard Webhooks: when this attempt was signed, in Unix seconds.
pub const WEBHOOK_TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// Standard Webhooks: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
pub const WEBHOOK_SIGNATURE_HEADER: &str = "webhook-signature";
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
/// the evidence record is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketEmailPayload {
    /// The message without the attachment.
    pub mail: OutgoingMail,
    /// The evidence record's path relative to the archive root.
    pub record_path: String,
    /// The evidence record's SHA-256, checked again before it is attached.
    #[serde(default)]
    pub record_sha256: Option<String>,
    /// The file name the registry sees for the attachment.
    pub attachment_name: String,
    /// Whether the record is attached (the sink's `attach_records`). A
    /// payload queued without the flag sends the reference only.
    #[serde(default)]
    pub attach_record: bool,
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
        SinkTarget::Email { to, attach_records } => (
            TICKET_EMAIL_KIND,
            serde_json::to_value(ticket_email(ctx, to.clone(), key.clone(), *attach_records)),
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

fn ticket_email(
    ctx: &TicketContext<'_>,
    to: Vec<String>,
    key: String,
    attach_record: bool,
) -> TicketEmailPayload {
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
        attachment_name: attach_record.then(|| attachment_name.clone()),
    });
    TicketEmailPayload {
        mail: OutgoingMail::from_rendered(rendered, to, Vec::new(), key),
        record_path: ctx.record_path.to_string(),
        record_sha256: t.record_sha256.clone(),
        attachment_name,
        attach_record,
    }
}

/// The registry e-mail as it is sent: with the evidence record attached
/// only when the sink asked for it. The record is read through the
/// archive, so a path outside its records folder or a record that no
/// longer matches its hash is refused. A record that cannot be attached is
/// a dead letter: a person must find out why before the registry gets a
/// ticket without its evidence.
pub fn ticket_mail(
    payload: TicketEmailPayload,
    archive: &Archive,
) -> Result<OutgoingMail, DeliveryError> {
    if !payload.attach_record {
        return Ok(payload.mail);
    }
    let bytes = archive
        .record_bytes(&payload.record_path, payload.record_sha256.as_deref())
        .map_err(|e| {
            DeliveryError::Permanent(format!("the evidence record cannot be attached: {e}"))
        })?;
    let mut mail = payload.mail;
    mail.attachments.push(Attachment {
        filename: payload.attachment_name,
        content_type: "application/json".to_string(),
        bytes,
    });
    Ok(mail)
}

/// `v1,<base64>` of the HMAC-SHA256 of `{id}.{timestamp}.{body}` under
/// `key`: what the receiver recomputes to know the ticket came from this
/// service, unchanged, at that time.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The client webhooks are sent with: no redirects followed, no proxy
/// from the environment deciding where ticket data goes.
pub fn webhook_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("kommentarsvakt/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// One webhook delivery: where to (named by `sink` in every message, the
/// URL never) and what.
#[derive(Debug, Clone, Copy)]
pub struct WebhookDelivery<'a> {
    /// The sink's configured name.
    pub sink: &'a str,
    /// The endpoint; never logged or put in an error.
    pub url: &'a str,
    /// The signing secret.
    pub secret: &'a SecretString,
    /// Timeout of the attempt.
    pub timeout: Duration,
    /// The outbox idempotency key: the `webhook-id`.
    pub id: &'a str,
    /// The exact body that is signed.
    pub body: &'a str,
    /// When the attempt is signed.
    pub now: DateTime<Utc>,
}

/// POSTs a signed ticket to a case system. 2xx is delivered; 408, 429 and
/// 5xx and network failures are retried; a redirect is not followed and,
/// like any other answer, permanent.
pub async fn post_webhook(
    client: &reqwest::Client,
    delivery: &WebhookDelivery<'_>,
) -> Result<(), DeliveryError> {
    let sink = delivery.sink;
    let key = webhook_signing_key(delivery.secret).ok_or_else(|| {
        DeliveryError::Permanent(format!(
            "the secret of webhook sink {sink:?} is not a whsec_ secret in base64"
        ))
    })?;
    let timestamp = delivery.now.timestamp();
    let response = client
        .post(delivery.url)
        .timeout(delivery.timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(WEBHOOK_ID_HEADER, delivery.id)
        .header(WEBHOOK_TIMESTAMP_HEADER, timestamp.to_string())
        .header(
            WEBHOOK_SIGNATURE_HEADER,
            signature(&key, delivery.id, timestamp, delivery.body.as_bytes()),
        )
        .header(IDEMPOTENCY_HEADER, delivery.id)
        .body(delivery.body.to_string())
        .send()
        .await
        .map_err(|e| {
            DeliveryError::Transient(format!(
                "the case system of webhook sink {sink:?} is unreachable: {}",
                e.without_url()
            ))
        })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    if status.is_redirection() {
        return Err(DeliveryError::Permanent(format!(
            "the case system of webhook sink {sink:?} answered {status}, a redirect, which is \
             not followed; configure the URL it redirects to"
        )));
    }
    let detail = format!("the case system of webhook sink {sink:?} answered {status}");
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
    fn signature_matches_the_standard_webhooks_test_vector() {
        // The example of the Standard Webhooks specification.
        let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let key = webhook_signing_key(&secret).unwrap_or_default();
        assert_eq!(
            signature(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_changed_body_id_or_time_gets_another_signature() {
        let key = b"hemlig";
        let base = signature(key, "id", 1, b"{\"a\":1}");
        assert_ne!(base, signature(key, "id", 1, b"{\"a\":2}"));
        assert_ne!(base, signature(key, "id2", 1, b"{\"a\":1}"));
        assert_ne!(base, signature(key, "id", 2, b"{\"a\":1}"));
    }

    #[test]
    fn a_whsec_secret_is_base64_and_a_plain_one_its_own_bytes() {
        let key = |s: &str| webhook_signing_key(&SecretString::from(s.to_string()));
        assert_eq!(key("whsec_aGVtbGln"), Some(b"hemlig".to_vec()));
        assert_eq!(key("hemlig"), Some(b"hemlig".to_vec()));
        assert_eq!(key("whsec_not base64!"), None);
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
                    attach_records: false,
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

    fn registry_payload() -> TicketEmailPayload {
        let items = items_for(TicketKind::RemovedContentRegistration, "slk");
        serde_json::from_value(items[0].payload.clone()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_registry_email_by_default_carries_the_records_reference_and_hash_only() {
        let payload = registry_payload();
        assert!(!payload.attach_record);
        let archive_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let archive = Archive::open_read_only(archive_dir.path());
        // The record does not even exist: it is never read.
        let mail = ticket_mail(payload, &archive).unwrap_or_else(|e| panic!("{e}"));
        assert!(mail.attachments.is_empty());
        assert!(mail.text.contains("records/x.json"), "{}", mail.text);
        assert!(mail.text.contains(&"ab".repeat(32)), "{}", mail.text);
        assert!(
            mail.text.contains("Bevisposten bifogas inte"),
            "{}",
            mail.text
        );
        assert!(!mail.text.contains("bevispost.json"), "{}", mail.text);
    }

    #[test]
    fn an_attached_record_is_read_only_from_inside_the_records_folder() {
        let archive_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let archive = Archive::open_read_only(archive_dir.path());
        for row in [
            "/etc/passwd",
            "../../etc/passwd",
            "records/../../etc/passwd.json",
        ] {
            let payload = TicketEmailPayload {
                record_path: row.to_string(),
                attach_record: true,
                ..registry_payload()
            };
            let error = ticket_mail(payload, &archive).unwrap_err();
            assert!(
                matches!(&error, DeliveryError::Permanent(detail) if detail.contains("refused")),
                "{row}: {error}"
            );
        }
    }

    #[test]
    fn only_server_trouble_is_retried() {
        assert!(DeliveryError::Transient(String::new()).is_retryable());
        assert!(!DeliveryError::Permanent(String::new()).is_retryable());
    }
}
