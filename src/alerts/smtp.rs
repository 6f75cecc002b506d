//! The SMTP backend: sends through the city's mail server with lettre.
//!
//! Security follows the configuration: STARTTLS required on the submission
//! port, implicit TLS (SMTPS), or — only sensible for a relay on localhost —
//! none. The password stays a `SecretString` until lettre needs it and is
//! never logged. Each send is one SMTP conversation bounded by the
//! configured timeout, and lettre's errors are sorted into "retry later"
//! ([`MailError::Unreachable`]) and "this message will never go"
//! ([`MailError::Rejected`]).
//!
//! The server's certificate is checked against the public roots plus, when
//! configured, the city's internal CA (`ca_file`). There is deliberately no
//! way to skip that check: a failed handshake is reported as a certificate
//! problem and retried until an operator fixes it.

use std::time::Duration;

use async_trait::async_trait;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::{AsyncSmtpTransport, AsyncSmtpTransportBuilder};
use lettre::{AsyncTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use super::{MailError, Mailer, OutgoingMail, build_message};
use crate::config::{CaCertificates, SmtpSecurity};

/// SMTP reply codes that mean the server refused *our login*, not the
/// message: every message would fail the same way until an operator fixes
/// the credentials, so these are retried rather than dead-lettered.
const AUTHENTICATION_CODES: [&str; 4] = ["530", "534", "535", "538"];

/// The SMTP settings, taken from [`crate::config::MailTransport::Smtp`].
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Server host name; also the name the TLS certificate must carry.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// Login name, if the server wants one.
    pub username: Option<String>,
    /// Password for the login; never logged.
    pub password: Option<SecretString>,
    /// Extra root certificates to trust, for an internal CA.
    pub ca: Option<CaCertificates>,
    /// Upper bound for one whole SMTP conversation.
    pub timeout: Duration,
}

/// Sends mail through an SMTP server. A new connection per message: alerts
/// are few, and a fresh connection never fails on a server-closed socket.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
    server: String,
    /// What to check when the server's certificate is not trusted.
    certificate_hint: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Builds the transport. Fails only when the TLS settings cannot be made
    /// for the host name.
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailError> {
        let builder = transport_builder(settings)?
            .port(settings.port)
            .timeout(Some(settings.timeout));
        let builder = match credentials(settings) {
            Some(credentials) => builder.credentials(credentials),
            None => builder,
        };
        let transport: AsyncSmtpTransport<Tokio1Executor> = builder.build();
        Ok(Self {
            transport,
            timeout: settings.timeout,
            server: format!("{}:{}", settings.host, settings.port),
            certificate_hint: certificate_hint(settings.ca.as_ref()),
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, from: &str, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build_message(from, mail)?;
        let conversation = self.transport.send(message);
        match tokio::time::timeout(self.timeout, conversation).await {
            Ok(Ok(response)) => {
                tracing::debug!(server = %self.server, code = %response.code(), "Mail accepted by the SMTP server.");
                Ok(())
            }
            Ok(Err(error)) => Err(classify_smtp_error(
                &self.server,
                &error,
                &self.certificate_hint,
            )),
            Err(_elapsed) => Err(MailError::Unreachable {
                detail: format!(
                    "{}: no complete SMTP conversation within {}",
                    self.server,
                    humantime::format_duration(self.timeout)
                ),
            }),
        }
    }
}

fn transport_builder(settings: &SmtpSettings) -> Result<AsyncSmtpTransportBuilder, MailError> {
    let host = settings.host.as_str();
    // `builder_dangerous` only means "no TLS yet": the TLS mode, with
    // certificate checks, is set right here for both encrypted modes.
    let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host);
    Ok(match settings.security {
        SmtpSecurity::Starttls => builder.tls(Tls::Required(tls_parameters(settings)?)),
        SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls_parameters(settings)?)),
        SmtpSecurity::None => builder,
    })
}

/// The certificate checks: the host name must match, and the chain must end
/// in a public root or in one of the configured CA certificates.
fn tls_parameters(settings: &SmtpSettings) -> Result<TlsParameters, MailError> {
    let host = &settings.host;
    let tls_error = |e: lettre::transport::smtp::Error| MailError::Config {
        detail: format!("TLS for SMTP host {host:?} cannot be set up: {e}"),
    };
    let mut builder = TlsParameters::builder(host.clone());
    if let Some(ca) = &settings.ca {
        let certificate = Certificate::from_pem(&ca.pem).map_err(|e| MailError::Config {
            detail: format!(
                "the CA certificates in {} cannot be used: {e}",
                ca.file.display()
            ),
        })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build().map_err(tls_error)
}

fn credentials(settings: &SmtpSettings) -> Option<Credentials> {
    let username = settings.username.as_ref()?;
    let password = settings
        .password
        .as_ref()
        .map(|p| p.expose_secret().to_string())
        .unwrap_or_default();
    Some(Credentials::new(username.clone(), password))
}

/// Sorts a lettre error into the outbox's terms. Only a permanent (5xx)
/// reply about the message itself is final; connection, TLS, timeout,
/// temporary (4xx) and login failures are retried.
fn classify_smtp_error(
    server: &str,
    error: &lettre::transport::smtp::Error,
    certificate_hint: &str,
) -> MailError {
    let code = error.status().map(|c| c.to_string());
    match code {
        Some(code) if error.is_permanent() && !AUTHENTICATION_CODES.contains(&code.as_str()) => {
            MailError::Rejected {
                code,
                detail: format!("{server}: {error}"),
            }
        }
        Some(code) if AUTHENTICATION_CODES.contains(&code.as_str()) => MailError::Unreachable {
            detail: format!("{server}: the login was refused, check the SMTP credentials: {error}"),
        },
        _ => MailError::Unreachable {
            detail: match tls_failure(error, certificate_hint) {
                Some(tls) => format!("{server}: {tls}"),
                None => format!("{server}: {error}"),
            },
        },
    }
}

/// Says what an operator should look at when the TLS handshake failed.
/// lettre reports that as a connection error; the rustls error inside it
/// tells a certificate that is not trusted from other TLS trouble.
fn tls_failure(error: &lettre::transport::smtp::Error, certificate_hint: &str) -> Option<String> {
    let tls = std::iter::successors(std::error::Error::source(error), |e| e.source())
        .find_map(as_rustls_error)?;
    Some(match tls {
        rustls::Error::InvalidCertificate(_) => format!(
            "TLS handshake failed: the server's certificate was not accepted ({tls}); \
             {certificate_hint}"
        ),
        other => format!("TLS handshake failed: {other}"),
    })
}

/// With a `ca_file` the likely mistake is the wrong CA in it; without one,
/// a server certificate from an internal CA that nobody configured.
fn certificate_hint(ca: Option<&CaCertificates>) -> String {
    match ca {
        Some(ca) => format!(
            "check that mail.smtp.ca_file ({}) holds the CA certificate that signed it",
            ca.file.display()
        ),
        None => "if it is signed by an internal CA, set mail.smtp.ca_file to that CA's \
                 certificate"
            .to_string(),
    }
}

/// The rustls error behind `error`, directly or inside an `io::Error`.
fn as_rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    error.downcast_ref::<rustls::Error>().or_else(|| {
        error
            .downcast_ref::<std::io::Error>()?
            .get_ref()?
            .downcast_ref::<rustls::Error>()
    })
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use mailin_embedded::{Handler, Response, Server, SslConfig, response};

    use super::*;

    /// What the test SMTP server received in one transaction.
    #[derive(Debug, Clone, Default)]
    struct Received {
        from: String,
        recipients: Vec<String>,
        data: Vec<u8>,
    }

    /// A mailin handler that keeps every message and refuses the recipient
    /// `unknown@…` with 550 and `busy@…` with 451.
    #[derive(Clone, Default)]
    struct Recorder {
        current: Received,
        done: Arc<Mutex<Vec<Received>>>,
    }

    impl Handler for Recorder {
        fn mail(&mut self, _ip: std::net::IpAddr, _domain: &str, from: &str) -> Response {
            self.current = Received {
                from: from.to_string(),
                ..Received::default()
            };
            response::OK
        }

        fn rcpt(&mut self, to: &str) -> Response {
            if to.starts_with("unknown@") {
                return response::NO_MAILBOX;
            }
            if to.starts_with("busy@") {
                return response::INTERNAL_ERROR;
            }
            self.current.recipients.push(to.to_string());
            response::OK
        }

        fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
            self.current.data.extend_from_slice(buf);
            Ok(())
        }

        fn data_end(&mut self) -> Response {
            if let Ok(mut done) = self.done.lock() {
                done.push(self.current.clone());
            }
            response::OK
        }
    }

    /// Starts a real SMTP server on a free local port; it runs until the
    /// test process ends.
    fn start_smtp_server() -> (u16, Arc<Mutex<Vec<Received>>>) {
        let recorder = Recorder::default();
        let done = recorder.done.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind test SMTP port");
        let port = listener.local_addr().expect("local address").port();
        let mut server = Server::new(recorder);
        server
            .with_name("test.example")
            .with_ssl(SslConfig::None)
            .expect("no TLS")
            .with_num_threads(1)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                eprintln!("test SMTP server stopped: {e}");
            }
        });
        (port, done)
    }

    fn plain_settings(port: u16) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".to_string(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            ca: None,
            timeout: Duration::from_secs(5),
        }
    }

    fn mail(to: &str) -> OutgoingMail {
        OutgoingMail {
            to: vec![to.to_string()],
            cc: vec!["central@example.se".to_string()],
            subject: "Kommentar dold: hets mot folkgrupp på Stockholms stad".to_string(),
            text: "Kommentaren är dold. Bevisposten finns i arkivet.".to_string(),
            html: Some("<p>Kommentaren är dold.</p>".to_string()),
            attachments: Vec::new(),
            message_id: "removal-42".to_string(),
        }
    }

    #[tokio::test]
    async fn message_arrives_at_a_real_smtp_server_with_recipients_subject_and_body() {
        let (port, received) = start_smtp_server();
        let mailer = SmtpMailer::new(&plain_settings(port)).expect("mailer");

        mailer
            .send(
                "Kommentarsvakt <noreply@example.se>",
                &mail("moderator@example.se"),
            )
            .await
            .expect("sent");

        let received = received.lock().expect("lock").clone();
        assert_eq!(received.len(), 1);
        let message = &received[0];
        assert_eq!(message.from, "noreply@example.se");
        let mut recipients = message.recipients.clone();
        recipients.sort();
        assert_eq!(recipients, ["central@example.se", "moderator@example.se"]);
        let parsed = mailparse::parse_mail(&message.data).expect("parseable message");
        let raw_subject = parsed
            .headers
            .iter()
            .find(|h| h.get_key() == "Subject")
            .map(|h| String::from_utf8_lossy(h.get_value_raw()).to_string())
            .expect("subject header");
        assert!(raw_subject.is_ascii(), "{raw_subject}");
        assert!(
            raw_subject.to_ascii_lowercase().contains("=?utf-8?"),
            "{raw_subject}"
        );
        use mailparse::MailHeaderMap;
        assert_eq!(
            parsed.headers.get_first_value("Subject").as_deref(),
            Some("Kommentar dold: hets mot folkgrupp på Stockholms stad")
        );
        assert_eq!(
            parsed.subparts[0].get_body().expect("text body"),
            "Kommentaren är dold. Bevisposten finns i arkivet."
        );
    }

    #[tokio::test]
    async fn unknown_recipient_is_rejected_for_good() {
        let (port, _) = start_smtp_server();
        let mailer = SmtpMailer::new(&plain_settings(port)).expect("mailer");

        let err = mailer
            .send("noreply@example.se", &mail("unknown@example.se"))
            .await
            .expect_err("refused");

        assert!(
            matches!(&err, MailError::Rejected { code, .. } if code == "550"),
            "{err:?}"
        );
        assert!(!err.is_retryable());
    }

    #[tokio::test]
    async fn temporary_refusal_is_retried_later() {
        let (port, _) = start_smtp_server();
        let mailer = SmtpMailer::new(&plain_settings(port)).expect("mailer");

        let err = mailer
            .send("noreply@example.se", &mail("busy@example.se"))
            .await
            .expect_err("refused for now");

        assert!(matches!(err, MailError::Unreachable { .. }), "{err:?}");
        assert!(err.is_retryable());
    }

    #[tokio::test]
    async fn closed_port_is_unreachable_and_retryable() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("address").port()
        };
        let mailer = SmtpMailer::new(&plain_settings(port)).expect("mailer");

        let err = mailer
            .send("noreply@example.se", &mail("moderator@example.se"))
            .await
            .expect_err("nobody listens");

        assert!(matches!(err, MailError::Unreachable { .. }), "{err:?}");
        assert!(err.is_retryable());
    }

    #[tokio::test]
    async fn silent_server_times_out_as_unreachable() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        // Accepts the connection but never greets, like a hung server.
        let _hold = tokio::spawn(async move {
            let accepted = listener.accept().await;
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(accepted);
        });
        let mut settings = plain_settings(port);
        settings.timeout = Duration::from_millis(300);
        let mailer = SmtpMailer::new(&settings).expect("mailer");

        let started = std::time::Instant::now();
        let err = mailer
            .send("noreply@example.se", &mail("moderator@example.se"))
            .await
            .expect_err("no greeting");

        assert!(matches!(err, MailError::Unreachable { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn password_does_not_appear_in_debug_output() {
        let mut settings = plain_settings(25);
        settings.username = Some("kommentarsvakt".to_string());
        settings.password = Some(SecretString::from("hemligt-lösenord"));
        let mailer = SmtpMailer::new(&settings).expect("mailer");

        assert!(!format!("{mailer:?}").contains("hemligt"));
        assert!(!format!("{settings:?}").contains("hemligt"));
    }

    #[test]
    fn starttls_and_implicit_tls_transports_can_be_built_for_a_host_name() {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let city_ca = CaCertificates {
            file: "stadens-ca.pem".into(),
            pem: params.self_signed(&key).expect("CA").pem().into_bytes(),
        };
        for security in [SmtpSecurity::Starttls, SmtpSecurity::Tls] {
            for ca in [None, Some(city_ca.clone())] {
                let mut settings = plain_settings(587);
                settings.host = "smtp.example.se".to_string();
                settings.security = security;
                settings.ca = ca;
                assert!(SmtpMailer::new(&settings).is_ok(), "{security:?}");
            }
        }
    }
}
