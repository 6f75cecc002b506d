//! Mail to the city's server over TLS, through real servers on loopback:
//! STARTTLS with a login and implicit TLS, both trusting the city's
//! internal CA through `mail.smtp.ca_file`; and the failures that must
//! neither lose mail nor put it on the network in clear text: a certificate
//! from another CA, and a server that does not offer STARTTLS.

use std::sync::Arc;

use kommentarsvakt::alerts::{self, Attachment, MailError, Mailer, OutgoingMail};
use kommentarsvakt::config;
use kommentarsvakt::store::{OutboxState, RunTrigger};

use crate::mail::{json_attachment, subject};
use crate::support::app::TestApp;
use crate::support::smtp::{self, Inbox, Login};
use crate::support::tls::{self, TestCa};

const FROM: &str = "Kommentarsvakt <kommentarsvakt@test.stockholm.se>";

fn city_login() -> Login {
    Login {
        username: "kommentarsvakt".to_string(),
        password: "hemligt-lösenord-42".to_string(),
    }
}

/// An alert with å, ä and ö in the subject and an evidence record attached.
fn swedish_alert() -> OutgoingMail {
    OutgoingMail {
        to: vec!["moderator0@test.stockholm.se".to_string()],
        cc: vec!["slk@test.stockholm.se".to_string()],
        subject: "Kommentar dold: känsliga personuppgifter på Årsta gårds sida – ärendet öppnat"
            .to_string(),
        text: "Kommentaren är dold. Bevisposten är bifogad.".to_string(),
        html: None,
        attachments: vec![Attachment {
            filename: "KS-2026-00042-bevispost.json".to_string(),
            content_type: "application/json".to_string(),
            bytes: r#"{"comment_id":"123_456","kategori":"känsliga personuppgifter"}"#
                .as_bytes()
                .to_vec(),
        }],
        message_id: "removal-42".to_string(),
    }
}

/// The mailer the service builds from its config file, with `transport`
/// (from [`smtp::tls_transport`]) as its `[mail]` transport.
fn service_mailer(app: &TestApp, transport: &str) -> Arc<dyn Mailer> {
    let folder = app.folder_transport();
    app.write_config_with(|toml| toml.replace(&folder, transport));
    let config = config::load(&app.config_path).expect("the TLS config is valid");
    alerts::build_mailer(&config.mail).expect("the mailer builds")
}

/// The one message in `inbox` is `sent`, intact: envelope recipients,
/// the Swedish subject encoded for 7-bit transport, the attachment.
fn assert_arrived_intact(inbox: &Inbox, sent: &OutgoingMail) {
    let messages = inbox.messages();
    assert_eq!(messages.len(), 1, "exactly one message arrives");
    let message = &messages[0];
    assert_eq!(message.from, "kommentarsvakt@test.stockholm.se");
    let mut recipients = message.recipients.clone();
    recipients.sort();
    assert_eq!(
        recipients,
        ["moderator0@test.stockholm.se", "slk@test.stockholm.se"]
    );
    assert!(
        String::from_utf8_lossy(&message.data).is_ascii(),
        "encoded for 7-bit servers"
    );
    assert_eq!(subject(message), sent.subject, "å, ä and ö intact");
    let attachment = &sent.attachments[0];
    assert_eq!(
        json_attachment(message),
        Some((attachment.filename.clone(), attachment.bytes.clone()))
    );
}

#[tokio::test]
async fn starttls_with_the_city_ca_and_a_login_delivers_intact_and_nothing_private_in_clear_text() {
    let app = TestApp::start().await;
    let ca = TestCa::new("Testkommunens interna CA");
    let (server_port, inbox) = smtp::start_with_starttls(&ca, city_login());
    let (port, wire) = tls::start_wire_tap(server_port).await;
    let transport = smtp::tls_transport(
        port,
        "starttls",
        &ca.ca_file(),
        Some(&city_login()),
        app.dir.path(),
    );
    let mailer = service_mailer(&app, &transport);
    let alert = swedish_alert();

    mailer.send(FROM, &alert).await.expect("sent over STARTTLS");

    assert_arrived_intact(&inbox, &alert);
    assert_eq!(
        inbox.logins(),
        [city_login()],
        "logged in once, with the configured login"
    );
    let clear = wire.clear_text();
    assert!(wire.tls_started(), "a TLS handshake followed");
    assert!(clear.ends_with("STARTTLS\r\n"), "{clear:?}");
    for private in ["AUTH", "MAIL FROM", "RCPT TO"] {
        assert!(!clear.contains(private), "{private} before TLS: {clear:?}");
    }
    for private in [
        "kommentarsvakt@test",
        "moderator0@",
        "Kommentaren",
        "bevispost",
    ] {
        assert!(!wire.shows(private), "{private} readable on the wire");
    }
}

#[tokio::test]
async fn implicit_tls_with_the_city_ca_delivers_the_message() {
    let app = TestApp::start().await;
    let ca = TestCa::new("Testkommunens interna CA");
    let plain_port = smtp::free_port();
    let inbox = smtp::start_on(plain_port);
    let front_port = tls::start_tls_front(&ca, plain_port).await;
    let (port, wire) = tls::start_wire_tap(front_port).await;
    let transport = smtp::tls_transport(port, "tls", &ca.ca_file(), None, app.dir.path());
    let mailer = service_mailer(&app, &transport);
    let alert = swedish_alert();

    mailer.send(FROM, &alert).await.expect("sent over TLS");

    assert_arrived_intact(&inbox, &alert);
    assert_eq!(wire.clear_text(), "", "TLS from the first byte");
}

#[tokio::test]
async fn a_certificate_from_another_ca_keeps_the_mail_in_the_outbox_with_a_certificate_error() {
    let app = TestApp::start().await;
    let server_ca = TestCa::new("Testkommunens interna CA");
    let other_ca = TestCa::new("Någon annans CA");
    let (port, inbox) = smtp::start_with_starttls(&server_ca, city_login());
    let transport = smtp::tls_transport(
        port,
        "starttls",
        &other_ca.ca_file(),
        Some(&city_login()),
        app.dir.path(),
    );
    let folder = app.folder_transport();
    app.write_config_with(|toml| toml.replace(&folder, &transport));
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    assert_eq!(summary.emails_sent, 0);
    assert!(inbox.messages().is_empty());
    assert!(
        inbox.logins().is_empty(),
        "no password to an untrusted server"
    );
    let store = pipeline.store();
    let pending = store.outbox_in_state(OutboxState::Pending).await.unwrap();
    assert!(pending.len() >= 4, "alerts and digests wait to be retried");
    let tried: Vec<_> = pending.iter().filter(|i| i.attempts > 0).collect();
    assert_eq!(
        tried.len(),
        1,
        "one e-mail meets the untrusted server; the others wait instead of failing in turn"
    );
    for item in tried {
        let error = item.last_error.as_deref().unwrap_or_default();
        assert!(
            error.contains("TLS handshake failed") && error.contains("certificate"),
            "{error}"
        );
        assert!(
            error.contains(&format!(
                "mail.smtp.ca_file ({})",
                other_ca.ca_file().display()
            )),
            "says which file to check: {error}"
        );
    }
    assert!(
        store
            .outbox_in_state(OutboxState::Dead)
            .await
            .unwrap()
            .is_empty(),
        "nothing is given up on"
    );
}

#[tokio::test]
async fn starttls_required_but_not_offered_fails_without_sending_anything_in_clear_text() {
    let app = TestApp::start().await;
    let ca = TestCa::new("Testkommunens interna CA");
    let plain_port = smtp::free_port();
    let inbox = smtp::start_on(plain_port);
    let (port, wire) = tls::start_wire_tap(plain_port).await;
    let transport = smtp::tls_transport(
        port,
        "starttls",
        &ca.ca_file(),
        Some(&city_login()),
        app.dir.path(),
    );
    let mailer = service_mailer(&app, &transport);

    let error = mailer
        .send(FROM, &swedish_alert())
        .await
        .expect_err("no STARTTLS, no mail");

    assert!(matches!(error, MailError::Unreachable { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert!(error.to_string().contains("STARTTLS"), "{error}");
    assert!(inbox.messages().is_empty());
    assert!(!wire.tls_started());
    let clear = wire.clear_text();
    assert!(clear.starts_with("EHLO"), "{clear:?}");
    // No AUTH means the password (base64 in AUTH PLAIN) never crossed.
    for never in ["AUTH", "MAIL FROM", "RCPT TO", "DATA"] {
        assert!(!clear.contains(never), "{never} in clear text: {clear:?}");
    }
}
