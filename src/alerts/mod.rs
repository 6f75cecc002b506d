//! E-mail to moderators: immediate alerts when a comment was hidden or
//! removed, review requests, crisis notices and system problems, and the
//! digest after each monitoring run ([`digest`]).
//!
//! The outbox worker hands an [`OutgoingMail`] to a [`Mailer`]; which mailer
//! that is comes from the configured transport ([`build_mailer`]):
//!
//! - [`smtp::SmtpMailer`] sends through the city's mail server;
//! - [`folder::FolderMailer`] writes `.eml` files into a folder, for local
//!   use and demos.
//!
//! Both build the message the same way ([`build_message`]): plain text, with
//! an HTML alternative and attachments when given; a `Message-ID` derived
//! from the outbox idempotency key, so a resend of the same item is
//! recognisable as such; and `Auto-Submitted: auto-generated` so that
//! out-of-office replies do not answer a machine.
//!
//! The Swedish texts themselves are in [`templates`]. Send errors say how the
//! outbox should react: [`MailError::is_retryable`].

pub mod compose;
pub mod digest;
pub mod folder;
pub mod registry_digest;
pub mod smtp;
pub mod templates;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use lettre::Message;
use lettre::message::MessageBuilder;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};

use crate::config::{MailConfig, MailTransport};

/// The domain part of every `Message-ID` the service writes. It is not a
/// DNS name on purpose: it only has to make the ids unique to this service.
const MESSAGE_ID_DOMAIN: &str = "kommentarsvakt";

/// One e-mail, as the outbox stores it until it has been sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutgoingMail {
    /// Main recipients (the account's moderators).
    pub to: Vec<String>,
    /// Copy recipients (for example the department's central address).
    pub cc: Vec<String>,
    /// The subject, in Swedish; non-ASCII is encoded on the way out.
    pub subject: String,
    /// The plain-text body, always present so every mail reader can show it.
    pub text: String,
    /// An HTML alternative of the same content, if there is one.
    pub html: Option<String>,
    /// Files attached to the message.
    pub attachments: Vec<Attachment>,
    /// Stable id from the outbox idempotency key: a resend after a crash
    /// carries the same `Message-ID`, so mail clients and people see that it
    /// is the same message and not a second incident.
    pub message_id: String,
}

impl OutgoingMail {
    /// Wraps a rendered template, so callers do not copy its parts by hand.
    pub fn from_rendered(
        rendered: templates::Rendered,
        to: Vec<String>,
        cc: Vec<String>,
        message_id: String,
    ) -> Self {
        Self {
            to,
            cc,
            subject: rendered.subject,
            text: rendered.text,
            html: Some(rendered.html),
            attachments: Vec::new(),
            message_id,
        }
    }
}

impl OutgoingMail {
    /// The outbox item that sends this mail once under `idempotency_key`,
    /// however often the cause that wrote it is looked at again.
    pub fn outbox_item(&self, idempotency_key: String) -> crate::store::NewOutboxItem {
        crate::store::NewOutboxItem {
            kind: "email".to_string(),
            idempotency_key,
            payload: serde_json::to_value(self).unwrap_or_default(),
        }
    }
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    /// The file name the recipient sees.
    pub filename: String,
    /// The MIME type, for example `image/png`.
    pub content_type: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Something that delivers e-mail. The outbox worker only knows this trait,
/// so the transport is chosen by configuration alone.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers one message from `from` (an address, optionally with a
    /// display name: `Kommentarsvakt <noreply@example.se>`).
    async fn send(&self, from: &str, mail: &OutgoingMail) -> Result<(), MailError>;
}

/// Why a message was not delivered, in the terms the outbox acts on.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The mail server cannot take our mail right now for reasons that are
    /// not about this message: it is down, timed out, answered with a
    /// temporary (4xx) reply, failed the TLS handshake or refused the login.
    /// Retry later; an operator may need to fix the server or credentials.
    #[error("The mail server could not be reached or did not accept mail now: {detail}")]
    Unreachable {
        /// What went wrong, without credentials.
        detail: String,
    },
    /// The server permanently refused this message (5xx), for example an
    /// unknown recipient. Sending it again will fail again: dead-letter it
    /// and let a person look.
    #[error("The mail server refused the message permanently ({code}): {detail}")]
    Rejected {
        /// The SMTP reply code, such as `550`.
        code: String,
        /// The server's reply text.
        detail: String,
    },
    /// The message cannot be built: an address or content type does not
    /// parse, or there is no recipient. Retrying does not help.
    #[error("The message cannot be built: {detail}")]
    InvalidMessage {
        /// Which part is wrong.
        detail: String,
    },
    /// The mail folder cannot be written (missing, read-only, full disk).
    /// Retry once an operator has fixed the folder.
    #[error("The mail folder {dir} cannot be written: {detail}")]
    Io {
        /// The configured folder.
        dir: PathBuf,
        /// The operating system's error.
        detail: String,
    },
    /// The transport configuration cannot be used (for example a host name
    /// that TLS cannot verify). Found when the mailer is built.
    #[error("The mail transport configuration cannot be used: {detail}")]
    Config {
        /// What is wrong with it.
        detail: String,
    },
}

impl MailError {
    /// Whether the outbox should try the same message again later. A
    /// rejected or malformed message is kept as dead letter instead, so a
    /// person can resolve it; nothing is ever dropped silently.
    pub fn is_retryable(&self) -> bool {
        match self {
            MailError::Unreachable { .. } | MailError::Io { .. } => true,
            MailError::Rejected { .. }
            | MailError::InvalidMessage { .. }
            | MailError::Config { .. } => false,
        }
    }
}

/// Builds the mailer for the configured transport, once at start and on
/// reload, so the outbox can be handed a ready [`Mailer`]. The sender
/// address is checked here too, so a typo fails at start and not on every
/// alert.
pub fn build_mailer(config: &MailConfig) -> Result<Arc<dyn Mailer>, MailError> {
    parse_mailbox("from", &config.from).map_err(|e| MailError::Config {
        detail: e.to_string(),
    })?;
    match &config.transport {
        MailTransport::Folder { dir } => Ok(Arc::new(folder::FolderMailer::new(dir.clone()))),
        MailTransport::Smtp {
            host,
            port,
            security,
            username,
            password,
            ca,
            timeout,
        } => {
            let settings = smtp::SmtpSettings {
                host: host.clone(),
                port: *port,
                security: *security,
                username: username.clone(),
                password: password.clone(),
                ca: ca.clone(),
                timeout: *timeout,
            };
            Ok(Arc::new(smtp::SmtpMailer::new(&settings)?))
        }
    }
}

/// Builds the MIME message both transports send: plain text alone, or
/// `multipart/alternative` with HTML; wrapped in `multipart/mixed` when
/// there are attachments. Headers: `From`, `To`, `Cc`, `Subject` (RFC 2047
/// encoded when not ASCII), `Date`, a stable `Message-ID` and
/// `Auto-Submitted: auto-generated`.
pub fn build_message(from: &str, mail: &OutgoingMail) -> Result<Message, MailError> {
    if mail.to.is_empty() && mail.cc.is_empty() {
        return Err(MailError::InvalidMessage {
            detail: "the message has no recipient".to_string(),
        });
    }
    let mut builder = Message::builder()
        .from(parse_mailbox("from", from)?)
        .subject(single_line(&mail.subject))
        .date_now()
        .message_id(Some(message_id_header(&mail.message_id)?))
        .raw_header(auto_submitted_header())
        .raw_header(suppress_auto_replies_header());
    for to in &mail.to {
        builder = builder.to(parse_mailbox("to", to)?);
    }
    for cc in &mail.cc {
        builder = builder.cc(parse_mailbox("cc", cc)?);
    }
    build_body(builder, mail)
}

/// The `Message-ID` header value for an outbox idempotency key. Characters
/// that RFC 5322 does not allow in an id are written as `=XX` (and `=`
/// itself as `=3D`), so different keys always give different ids.
pub fn message_id_header(key: &str) -> Result<String, MailError> {
    if key.is_empty() {
        return Err(MailError::InvalidMessage {
            detail: "the message id (outbox idempotency key) is empty".to_string(),
        });
    }
    let mut local = String::with_capacity(key.len());
    for byte in key.bytes() {
        if is_plain_id_byte(byte) {
            local.push(char::from(byte));
        } else {
            local.push_str(&format!("={byte:02X}"));
        }
    }
    Ok(format!("<{local}@{MESSAGE_ID_DOMAIN}>"))
}

/// Bytes kept as they are in a `Message-ID`: RFC 5322 `atext` without `=`
/// (our escape character) and without `.` (which may not start, end or
/// repeat in a dot-atom).
fn is_plain_id_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-/?^_`{|}~".contains(&byte)
}

fn parse_mailbox(field: &str, address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse::<Mailbox>()
        .map_err(|e| MailError::InvalidMessage {
            detail: format!("the {field} address {address:?} is not valid: {e}"),
        })
}

/// Folds control characters (line breaks) into spaces, so a subject built
/// from configured names can never start a new header.
fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// RFC 3834: tells autoresponders (out-of-office, vacation) not to answer.
fn auto_submitted_header() -> HeaderValue {
    HeaderValue::new(
        HeaderName::new_from_ascii_str("Auto-Submitted"),
        "auto-generated".to_string(),
    )
}

/// The Exchange equivalent of `Auto-Submitted`, which Exchange and Outlook
/// autoreplies heed; the city's mail runs on Exchange.
fn suppress_auto_replies_header() -> HeaderValue {
    HeaderValue::new(
        HeaderName::new_from_ascii_str("X-Auto-Response-Suppress"),
        "All".to_string(),
    )
}

fn build_body(builder: MessageBuilder, mail: &OutgoingMail) -> Result<Message, MailError> {
    let text_part = SinglePart::plain(mail.text.clone());
    let built = match (&mail.html, mail.attachments.is_empty()) {
        (None, true) => builder.singlepart(text_part),
        (Some(html), true) => builder.multipart(alternative(text_part, html)),
        (html, false) => {
            let mixed = match html {
                Some(html) => MultiPart::mixed().multipart(alternative(text_part, html)),
                None => MultiPart::mixed().singlepart(text_part),
            };
            let mixed = mail
                .attachments
                .iter()
                .try_fold(mixed, |mixed, a| Ok(mixed.singlepart(attachment_part(a)?)))?;
            builder.multipart(mixed)
        }
    };
    built.map_err(|e| MailError::InvalidMessage {
        detail: e.to_string(),
    })
}

fn alternative(text_part: SinglePart, html: &str) -> MultiPart {
    MultiPart::alternative()
        .singlepart(text_part)
        .singlepart(SinglePart::html(html.to_string()))
}

fn attachment_part(attachment: &Attachment) -> Result<SinglePart, MailError> {
    let content_type =
        ContentType::parse(&attachment.content_type).map_err(|e| MailError::InvalidMessage {
            detail: format!(
                "the content type {:?} of attachment {:?} is not valid: {e}",
                attachment.content_type, attachment.filename
            ),
        })?;
    Ok(LettreAttachment::new(single_line(&attachment.filename))
        .body(attachment.bytes.clone(), content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            to: vec!["Åsa Öberg <asa.oberg@example.se>".to_string()],
            cc: vec!["central@example.se".to_string()],
            subject: "Kommentar dold: hets mot folkgrupp på Stockholms stad".to_string(),
            text: "Hej!\nEn kommentar har dolts.".to_string(),
            html: None,
            attachments: Vec::new(),
            message_id: "alert:facebook:123_456:v1".to_string(),
        }
    }

    fn formatted(mail: &OutgoingMail) -> String {
        let message = build_message("Kommentarsvakt <noreply@example.se>", mail);
        String::from_utf8(message.map(|m| m.formatted()).unwrap_or_default()).unwrap_or_default()
    }

    fn header(raw: &str, name: &str) -> Option<String> {
        let parsed = mailparse::parse_mail(raw.as_bytes()).ok()?;
        parsed.headers.iter().find_map(|h| {
            h.get_key()
                .eq_ignore_ascii_case(name)
                .then(|| h.get_value())
        })
    }

    #[test]
    fn message_id_is_the_same_for_a_resend_of_the_same_outbox_item() {
        let first = formatted(&mail());
        let second = formatted(&mail());
        let id = header(&first, "Message-ID");
        assert_eq!(
            id.as_deref(),
            Some("<alert=3Afacebook=3A123_456=3Av1@kommentarsvakt>")
        );
        assert_eq!(id, header(&second, "Message-ID"));
    }

    #[test]
    fn message_ids_of_different_keys_differ_even_after_escaping() {
        assert_ne!(
            message_id_header("a:b").ok(),
            message_id_header("a=3Ab").ok()
        );
        assert_ne!(message_id_header("a.b").ok(), message_id_header("a_b").ok());
    }

    #[test]
    fn empty_message_id_is_refused() {
        let mut m = mail();
        m.message_id.clear();
        assert!(matches!(
            build_message("noreply@example.se", &m),
            Err(MailError::InvalidMessage { .. })
        ));
    }

    #[test]
    fn message_carries_date_and_auto_submitted_headers() {
        let raw = formatted(&mail());
        assert!(header(&raw, "Date").is_some_and(|d| mailparse::dateparse(&d).is_ok()));
        assert_eq!(
            header(&raw, "Auto-Submitted").as_deref(),
            Some("auto-generated")
        );
        assert_eq!(
            header(&raw, "X-Auto-Response-Suppress").as_deref(),
            Some("All")
        );
    }

    #[test]
    fn whole_message_is_ascii_so_servers_without_8bitmime_take_it() {
        let mut m = mail();
        m.html = Some("<p>Åtgärd: dold</p>".to_string());
        m.attachments.push(Attachment {
            filename: "skärmdump.png".to_string(),
            content_type: "image/png".to_string(),
            bytes: vec![0x89, b'P', b'N', b'G', 0, 255],
        });
        let raw = formatted(&m);
        assert!(!raw.is_empty());
        assert!(raw.is_ascii());
    }

    #[test]
    fn line_break_in_subject_cannot_inject_a_header() {
        let mut m = mail();
        m.subject = "Hej\r\nBcc: attacker@example.com".to_string();
        let raw = formatted(&m);
        assert!(header(&raw, "Bcc").is_none());
        assert_eq!(
            header(&raw, "Subject").as_deref(),
            Some("Hej  Bcc: attacker@example.com")
        );
    }

    #[test]
    fn invalid_recipient_is_an_invalid_message_not_a_retry() {
        let mut m = mail();
        m.to = vec!["inte en adress".to_string()];
        let err = build_message("noreply@example.se", &m).err();
        assert!(matches!(err, Some(MailError::InvalidMessage { .. })));
        assert!(!err.is_some_and(|e| e.is_retryable()));
    }

    #[test]
    fn message_without_recipients_is_refused() {
        let mut m = mail();
        m.to.clear();
        m.cc.clear();
        assert!(matches!(
            build_message("noreply@example.se", &m),
            Err(MailError::InvalidMessage { .. })
        ));
    }

    #[test]
    fn bad_attachment_content_type_is_an_invalid_message() {
        let mut m = mail();
        m.attachments.push(Attachment {
            filename: "x".to_string(),
            content_type: "inte/en typ/alls".to_string(),
            bytes: Vec::new(),
        });
        assert!(matches!(
            build_message("noreply@example.se", &m),
            Err(MailError::InvalidMessage { .. })
        ));
    }

    fn folder_config(from: &str, dir: PathBuf) -> MailConfig {
        MailConfig {
            from: from.to_string(),
            registry_mailbox: None,
            operations_address: None,
            transport: MailTransport::Folder { dir },
        }
    }

    #[tokio::test]
    async fn configured_folder_transport_writes_into_that_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = folder_config("Kommentarsvakt <noreply@example.se>", dir.path().into());
        let mailer = build_mailer(&config).expect("mailer");

        mailer.send(&config.from, &mail()).await.expect("sent");

        let files = std::fs::read_dir(dir.path()).expect("dir").count();
        assert_eq!(files, 1);
    }

    #[test]
    fn unparseable_sender_is_refused_when_the_mailer_is_built() {
        let config = folder_config("kommentarsvakt at example", PathBuf::from("/tmp"));
        assert!(matches!(
            build_mailer(&config).err(),
            Some(MailError::Config { .. })
        ));
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let unreachable = MailError::Unreachable {
            detail: String::new(),
        };
        let rejected = MailError::Rejected {
            code: "550".to_string(),
            detail: String::new(),
        };
        let io = MailError::Io {
            dir: PathBuf::from("/x"),
            detail: String::new(),
        };
        assert!(unreachable.is_retryable());
        assert!(io.is_retryable());
        assert!(!rejected.is_retryable());
    }
}
