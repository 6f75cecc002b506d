//! What people actually receive, through a real SMTP server on loopback:
//! registry e-mails for tickets (reference in the subject, evidence record
//! attached, Swedish characters intact), digests, and delivery that survives
//! the mail server being down — every message exactly once; and the system
//! problems of a platform failing run after run and of a missed slot.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use kommentarsvakt::daemon::Daemon;
use kommentarsvakt::platforms::simulator::Fault;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use kommentarsvakt::archive::EvidenceRecord;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::pipeline::RunSummary;
use kommentarsvakt::store::{OutboxState, RunTrigger};

use crate::support::app::TestApp;
use crate::support::smtp::{self, Received};
use crate::support::tickets::registration_tickets;

const REGISTRY: &str = "registrator@test.stockholm.se";

/// The app's config sending through SMTP on `port`, with a registry e-mail
/// sink for registration tickets (attaching the evidence records when
/// `attach_records`).
fn smtp_config(app: &TestApp, port: u16, attach_records: bool) {
    let folder = app.folder_transport();
    app.write_config_with(|toml| {
        let mut toml = toml.replace(
            &folder,
            &format!(
                "registry_mailbox = \"{REGISTRY}\"\n{}",
                smtp::smtp_transport(port)
            ),
        );
        toml.push_str(
            "[[ticket_sinks]]\nname = \"registrator\"\ntype = \"email\"\nkinds = [\"removed_content_registration\"]\n",
        );
        if attach_records {
            toml.push_str("attach_records = true\n");
        }
        toml
    });
}

/// The decoded subject.
pub(crate) fn subject(m: &Received) -> String {
    m.header("Subject").unwrap_or_default()
}

/// The JSON attachment's file name and bytes.
pub(crate) fn json_attachment(m: &Received) -> Option<(String, Vec<u8>)> {
    let parsed = m.parsed();
    parsed.subparts.iter().find_map(|part| {
        (part.ctype.mimetype == "application/json").then(|| {
            let name = part
                .get_content_disposition()
                .params
                .get("filename")
                .cloned()
                .unwrap_or_default();
            (name, part.get_body_raw().unwrap_or_default())
        })
    })
}

fn text_body(m: &Received) -> String {
    fn walk(part: &mailparse::ParsedMail<'_>, out: &mut String) {
        if part.ctype.mimetype == "text/plain" {
            out.push_str(&part.get_body().unwrap_or_default());
        }
        for sub in &part.subparts {
            walk(sub, out);
        }
    }
    let mut out = String::new();
    walk(&m.parsed(), &mut out);
    out
}

#[tokio::test]
async fn registry_gets_one_email_per_registration_ticket_with_the_record_attached_on_opt_in() {
    let app = TestApp::start().await;
    let port = smtp::free_port();
    let inbox = smtp::start_on(port);
    smtp_config(&app, port, true);
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    let tickets = registration_tickets(&pipeline).await;
    assert!(
        !tickets.is_empty(),
        "identity numbers open registration tickets"
    );
    let messages = inbox.messages();
    let to_registry: Vec<&Received> = messages
        .iter()
        .filter(|m| m.recipients == [REGISTRY])
        .collect();
    assert_eq!(
        to_registry.len(),
        tickets.len(),
        "one registry message per registration ticket, nothing else to the registry"
    );
    let planted: HashMap<String, String> = app
        .sim
        .planted_until(app.clock.now())
        .into_iter()
        .filter_map(|p| Some((p.id.clone(), p.planted_value?)))
        .collect();
    for ticket in &tickets {
        let prefix = format!(
            "[{}] Registrering av borttaget innehåll – ",
            ticket.reference
        );
        let message = to_registry
            .iter()
            .find(|m| subject(m).starts_with(&prefix))
            .unwrap_or_else(|| panic!("no message with subject {prefix:?}"));
        assert_eq!(message.from, "kommentarsvakt@test.stockholm.se");
        let (name, bytes) = json_attachment(message).expect("the evidence record is attached");
        assert_eq!(name, format!("{}-bevispost.json", ticket.reference));
        let record: EvidenceRecord = serde_json::from_slice(&bytes).expect("the record parses");
        let comment_id = ticket.platform_comment_id.clone().unwrap();
        assert_eq!(record.comment.comment_id, comment_id);
        let on_disk =
            std::fs::read(app.archive_dir().join(ticket.record_path.as_ref().unwrap())).unwrap();
        assert_eq!(
            bytes, on_disk,
            "the attachment is the archived record itself"
        );
        let body = text_body(message);
        assert!(body.contains("Bevispost"), "{body}");
        let Some(value) = planted.get(&comment_id) else {
            continue;
        };
        assert!(
            !body.contains(value.as_str()) && !subject(message).contains(value.as_str()),
            "the identity number never appears outside the attachment"
        );
    }
    // Moderators got their digests, with Swedish characters intact.
    let digests: Vec<&Received> = messages
        .iter()
        .filter(|m| subject(m).starts_with("Bevakning "))
        .collect();
    assert_eq!(digests.len(), 3, "one digest per moderator");
    assert_eq!(summary.digests, 3);
    for digest in &digests {
        assert_eq!(digest.recipients.len(), 1);
        assert!(digest.recipients[0].starts_with("moderator"));
        assert!(subject(digest).contains("nya kommentarer"));
        assert!(text_body(digest).contains("Nya kommentarer per konto"));
    }
    let raw_messages: Vec<String> = messages
        .iter()
        .map(|m| String::from_utf8_lossy(&m.data).to_string())
        .collect();
    assert!(
        raw_messages.iter().all(|raw| raw.is_ascii()),
        "encoded for 7-bit servers"
    );
}

/// By default the registry gets the record's reference and hash, not the
/// record: it holds the comment's personal data.
#[tokio::test]
async fn registry_email_by_default_names_the_record_and_its_hash_without_attaching_it() {
    let app = TestApp::start().await;
    let port = smtp::free_port();
    let inbox = smtp::start_on(port);
    smtp_config(&app, port, false);
    let pipeline = app.pipeline().await;
    app.run_next_slot(&pipeline).await;

    let tickets = registration_tickets(&pipeline).await;
    assert!(!tickets.is_empty());
    let messages = inbox.messages();
    for ticket in &tickets {
        let message = messages
            .iter()
            .find(|m| {
                m.recipients == [REGISTRY]
                    && subject(m).starts_with(&format!("[{}]", ticket.reference))
            })
            .unwrap_or_else(|| panic!("no registry message for {}", ticket.reference));
        assert!(json_attachment(message).is_none(), "no record attached");
        let body = text_body(message);
        assert!(
            body.contains(ticket.record_path.as_deref().unwrap()),
            "the record's reference: {body}"
        );
        assert!(
            body.contains(ticket.record_sha256.as_deref().unwrap()),
            "the record's hash: {body}"
        );
    }
}

#[tokio::test]
async fn smtp_down_then_up_delivers_every_message_exactly_once() {
    let app = TestApp::start().await;
    let port = smtp::free_port();
    smtp_config(&app, port, false);
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert_eq!(summary.emails_sent, 0, "nobody listens on the SMTP port");
    let pending = pipeline
        .store()
        .outbox_in_state(OutboxState::Pending)
        .await
        .unwrap();
    assert!(
        pending.len() >= 4,
        "alerts, registry mails and digests wait"
    );
    // One e-mail finds the server down; the others wait for it instead of
    // each failing in turn.
    let tried: Vec<_> = pending.iter().filter(|i| i.attempts > 0).collect();
    assert_eq!(tried.len(), 1, "{pending:?}");
    assert!(tried[0].attempts == 1 && tried[0].last_error.is_some());

    // Still down a while later: retried, not given up.
    app.clock.advance(chrono::Duration::minutes(5));
    let mut again = RunSummary::default();
    pipeline.deliver_outbox(&mut again).await.unwrap();
    assert_eq!(again.emails_sent, 0);

    // The server comes up; backoff is capped, so within hours all is sent.
    let inbox = smtp::start_on(port);
    let mut sent = 0;
    for _ in 0..10 {
        app.clock.advance(chrono::Duration::minutes(61));
        let mut round = RunSummary::default();
        pipeline.deliver_outbox(&mut round).await.unwrap();
        sent += round.emails_sent;
    }
    let delivered = pipeline
        .store()
        .outbox_in_state(OutboxState::Delivered)
        .await
        .unwrap();
    assert_eq!(delivered.len(), pending.len());
    assert!(
        pipeline
            .store()
            .outbox_in_state(OutboxState::Dead)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(sent, pending.len());

    let messages = inbox.messages();
    assert_eq!(
        messages.len(),
        pending.len(),
        "each message arrives exactly once"
    );
    let ids: BTreeSet<String> = messages
        .iter()
        .map(|m| m.header("Message-ID").expect("Message-ID"))
        .collect();
    assert_eq!(ids.len(), messages.len(), "no Message-ID twice");
    let expected: BTreeSet<String> = pending
        .iter()
        .map(|i| kommentarsvakt::alerts::message_id_header(&i.idempotency_key).unwrap())
        .collect();
    assert_eq!(ids, expected, "the ids are those of the queued items");

    // A later delivery round sends nothing again.
    app.clock.advance(chrono::Duration::hours(2));
    let mut later = RunSummary::default();
    pipeline.deliver_outbox(&mut later).await.unwrap();
    assert_eq!(later.emails_sent, 0);
    assert_eq!(inbox.messages().len(), messages.len());
}

/// Decoded subjects of the messages in the app's mail folder.
fn folder_subjects(app: &TestApp) -> Vec<String> {
    use mailparse::MailHeaderMap;
    app.mails()
        .iter()
        .filter_map(|raw| mailparse::parse_mail(raw.as_bytes()).ok())
        .filter_map(|m| m.headers.get_first_value("Subject"))
        .collect()
}

#[tokio::test]
async fn a_platform_failing_run_after_run_is_reported_once_a_day() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let page = app.sim.pages()[0].id.clone();
    app.sim.inject_fault(&page, Fault::ServerError, None);
    let problem = "Systemproblem: plattformen svarar inte som den ska (Testkonto 0)";
    let count = |app: &TestApp| {
        folder_subjects(app)
            .iter()
            .filter(|s| *s == problem)
            .count()
    };

    for run in 1..=3 {
        let slot = app.advance_to_next_slot(&pipeline);
        let summary = pipeline
            .run(RunTrigger::Slot, Some(slot), false)
            .await
            .unwrap();
        assert_eq!(summary.accounts_failed, 1);
        let expected = usize::from(run == 3);
        assert_eq!(count(&app), expected, "after run {run}");
    }
    // A fourth failure the same day does not repeat the message.
    app.clock.advance(chrono::Duration::minutes(30));
    pipeline.run(RunTrigger::Manual, None, false).await.unwrap();
    assert_eq!(count(&app), 1);
    let other_accounts = folder_subjects(&app)
        .iter()
        .filter(|s| s.starts_with("Systemproblem") && !s.ends_with("(Testkonto 0)"))
        .count();
    assert_eq!(other_accounts, 0, "healthy accounts are not reported");
}

#[tokio::test]
async fn a_missed_slot_is_reported_to_operations_and_caught_up() {
    // Monday 10:00: the 08:30 slot passed while the service was down.
    let start = Stockholm
        .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let app = TestApp::start_at(start).await;
    let port = smtp::free_port();
    let inbox = smtp::start_on(port);
    smtp_config(&app, port, false);
    let daemon = Arc::new(Daemon::new(
        app.pipeline().await,
        Some(app.config_path.clone()),
    ));
    let shutdown = CancellationToken::new();
    let (_reload_tx, reload_rx) = mpsc::channel(1);
    let task = {
        let (daemon, shutdown) = (daemon.clone(), shutdown.clone());
        tokio::spawn(async move { daemon.run(shutdown, reload_rx).await })
    };
    let subject = "Systemproblem: en schemalagd bevakning har missats";
    let mut notices = Vec::new();
    // Generous limits: the catch-up run is slow on a loaded CI machine.
    for _ in 0..3000 {
        notices = inbox
            .messages()
            .into_iter()
            .filter(|m| self::subject(m) == subject)
            .collect();
        if !notices.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    shutdown.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(60), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(notices.len(), 1, "one notice for the missed slot");
    assert_eq!(notices[0].recipients, ["drift@test.stockholm.se"]);
    assert!(
        text_body(&notices[0]).contains("Upptäckt: 2026-11-23 08:30"),
        "names the missed slot in Stockholm time"
    );
    let runs = daemon
        .pipeline()
        .store()
        .runs_since(start - chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].trigger, RunTrigger::CatchUp);
}
