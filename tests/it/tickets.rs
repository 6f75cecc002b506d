//! Case tickets: signed webhook deliveries that survive a failing case
//! system, questions closed when the page answers them, the `tickets`
//! commands, and the ticket store on SQLite and PostgreSQL.

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use kommentarsvakt::clock::{Clock, ManualClock};
use kommentarsvakt::domain::TicketKind;
use kommentarsvakt::pipeline::RunSummary;
use kommentarsvakt::platforms::simulator::{ContentKind, Fault};
use kommentarsvakt::store::{NewTicket, NewVersion, OutboxState, RunTrigger, Store, TicketChange};
use sha2::Sha256;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

use crate::support::app::TestApp;
use crate::support::fixtures::{account, comment, t0};
use crate::support::tickets::{registration_tickets, ticket_deliveries};

/// The shared key, as the case system holds it.
const KEY: &[u8] = "delad-hemlighet-för-ärendesystemet".as_bytes();
/// How old a delivery may be before the case system refuses it as a replay.
const REPLAY_WINDOW_SECONDS: i64 = 5 * 60;

/// The Standard Webhooks secret the service is configured with.
fn whsec_secret() -> String {
    format!("whsec_{}", STANDARD.encode(KEY))
}

/// A case system that verifies every delivery as the README tells case
/// systems to (Standard Webhooks: HMAC-SHA256 of `id.timestamp.body`,
/// compared in constant time, the timestamp within the replay window of
/// its own clock) and fails the first two deliveries of each ticket with
/// 500.
#[derive(Clone)]
struct CaseSystem {
    calls: Arc<Mutex<Vec<(String, String, bool)>>>,
    clock: ManualClock,
}

impl CaseSystem {
    fn new(clock: &ManualClock) -> Self {
        Self {
            calls: Arc::default(),
            clock: clock.clone(),
        }
    }

    fn calls(&self) -> Vec<(String, String, bool)> {
        self.calls.lock().unwrap().clone()
    }
}

/// The README's verification: the signature over `id.timestamp.body`,
/// compared in constant time (`verify_slice`), and a timestamp within the
/// replay window.
fn verify_standard_webhook(request: &Request, now: i64) -> bool {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let id = header("webhook-id");
    let Ok(timestamp) = header("webhook-timestamp").parse::<i64>() else {
        return false;
    };
    if (now - timestamp).abs() > REPLAY_WINDOW_SECONDS {
        return false;
    }
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(&request.body);
    header("webhook-signature").split(' ').any(|candidate| {
        let Some(encoded) = candidate.strip_prefix("v1,") else {
            return false;
        };
        let Ok(given) = STANDARD.decode(encoded) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
        mac.update(&signed);
        mac.verify_slice(&given).is_ok()
    })
}

impl Respond for CaseSystem {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = request
            .headers
            .get("webhook-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let valid = verify_standard_webhook(request, self.clock.now().timestamp());
        let body = String::from_utf8_lossy(&request.body).to_string();
        let mut calls = self.calls.lock().unwrap();
        calls.push((key.clone(), body, valid));
        if !valid {
            return ResponseTemplate::new(401);
        }
        let attempts = calls.iter().filter(|(k, _, _)| *k == key).count();
        if attempts <= 2 {
            ResponseTemplate::new(500)
        } else {
            ResponseTemplate::new(201)
        }
    }
}

#[tokio::test]
async fn webhook_is_signed_retried_after_two_failures_and_delivered_once() {
    let app = TestApp::start().await;
    let server = MockServer::start().await;
    let case_system = CaseSystem::new(&app.clock);
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/tickets"))
        .respond_with(case_system.clone())
        .mount(&server)
        .await;
    let secret_file = app.dir.path().join("webhook-secret");
    std::fs::write(&secret_file, format!("{}\n", whsec_secret())).unwrap();
    let url = format!("{}/tickets", server.uri());
    app.write_config_with(|mut toml| {
        toml.push_str(&format!(
            "[[ticket_sinks]]\nname = \"arendesystem\"\ntype = \"webhook\"\nkinds = [\"REG\"]\n\
             departments = [\"slk\"]\nurl = \"{url}\"\nsecret_file = \"{}\"\ntimeout = \"2s\"\n",
            secret_file.display()
        ));
        toml
    });
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);

    let summary = pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    assert_eq!(summary.webhooks_sent, 0, "the first attempt gets 500");
    let registrations: Vec<String> = registration_tickets(&pipeline)
        .await
        .into_iter()
        .map(|t| t.reference)
        .collect();
    assert!(!registrations.is_empty());

    let mut sent = 0;
    for _ in 0..4 {
        app.clock.advance(chrono::Duration::minutes(61));
        let mut round = RunSummary::default();
        pipeline.deliver_outbox(&mut round).await.unwrap();
        sent += round.webhooks_sent;
    }
    assert_eq!(sent, registrations.len(), "each ticket delivered once");

    let calls = case_system.calls();
    assert!(
        calls.iter().all(|(_, _, valid)| *valid),
        "every signature checks out"
    );
    let mut per_key: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, body, _) in &calls {
        per_key.entry(key).or_default().push(body);
    }
    assert_eq!(per_key.len(), registrations.len());
    for reference in &registrations {
        let key = format!("ticket:arendesystem:{reference}");
        let bodies = &per_key[key.as_str()];
        assert_eq!(bodies.len(), 3, "two failures, then the delivery");
        assert!(
            bodies.iter().all(|b| b == &bodies[0]),
            "every retry sends the same body"
        );
        let body: serde_json::Value = serde_json::from_str(bodies[0]).unwrap();
        assert_eq!(body["reference"], reference.as_str());
        assert_eq!(body["kind"], "removed_content_registration");
        assert_eq!(body["department"], "slk");
        assert!(body.get("text").is_none(), "no comment text crosses over");
    }
    let webhooks = ticket_deliveries(&pipeline, OutboxState::Delivered, "webhook").await;
    assert_eq!(webhooks.len(), registrations.len());
    assert!(webhooks.iter().all(|i| i.attempts == 3));

    // Nothing is sent twice.
    app.clock.advance(chrono::Duration::hours(3));
    pipeline
        .deliver_outbox(&mut RunSummary::default())
        .await
        .unwrap();
    assert_eq!(case_system.calls().len(), calls.len());
}

/// A webhook sink "arendesystem" for every ticket to `url`, signing with
/// `secret`.
fn webhook_sink(app: &TestApp, url: &str, secret: &str) {
    let secret_file = app.dir.path().join("webhook-secret");
    std::fs::write(&secret_file, secret).unwrap();
    app.write_config_with(|mut toml| {
        toml.push_str(&format!(
            "[[ticket_sinks]]\nname = \"arendesystem\"\ntype = \"webhook\"\nurl = \"{url}\"\n\
             secret_file = \"{}\"\n",
            secret_file.display()
        ));
        toml
    });
}

#[tokio::test]
async fn a_webhook_refused_for_a_bad_signature_is_kept_as_a_dead_letter() {
    let app = TestApp::start().await;
    let server = MockServer::start().await;
    let case_system = CaseSystem::new(&app.clock);
    Mock::given(matchers::method("POST"))
        .respond_with(case_system.clone())
        .mount(&server)
        .await;
    webhook_sink(&app, &server.uri(), "inte-den-delade-hemligheten");
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();

    let dead = pipeline
        .store()
        .outbox_in_state(OutboxState::Dead)
        .await
        .unwrap();
    let calls = case_system.calls();
    assert!(!calls.is_empty());
    assert!(calls.iter().all(|(_, _, valid)| !valid));
    assert_eq!(dead.len(), calls.len(), "every refused delivery is kept");
    for item in &dead {
        assert_eq!(item.kind, "webhook");
        assert_eq!(item.attempts, 1, "a 401 is not retried");
        assert!(
            item.last_error
                .as_deref()
                .unwrap_or_default()
                .contains("401")
        );
    }
    app.clock.advance(chrono::Duration::hours(5));
    pipeline
        .deliver_outbox(&mut RunSummary::default())
        .await
        .unwrap();
    assert_eq!(
        case_system.calls().len(),
        calls.len(),
        "dead letters wait for a person"
    );
}

/// A case system that answers with a redirect does not get the ticket sent
/// on: the redirect is not followed, the delivery is a dead letter that
/// names the sink, and neither the log nor the error holds the URL.
#[tokio::test]
async fn a_webhook_redirect_is_not_followed_and_the_url_is_never_reported() {
    let app = TestApp::start().await;
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let case_system = CaseSystem::new(&app.clock);
    Mock::given(matchers::method("POST"))
        .respond_with(case_system.clone())
        .mount(&elsewhere)
        .await;
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/tickets"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/stolen", elsewhere.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let url = format!("{}/tickets?access_key=HEMLIG-NYCKEL", server.uri());
    webhook_sink(&app, &url, &whsec_secret());
    let pipeline = app.pipeline().await;
    app.run_next_slot(&pipeline).await;

    assert!(
        !server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty(),
        "the configured URL was asked"
    );
    assert!(
        elsewhere
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty(),
        "the redirect was not followed"
    );
    let dead = pipeline
        .store()
        .outbox_in_state(OutboxState::Dead)
        .await
        .unwrap();
    let webhooks: Vec<_> = dead.iter().filter(|i| i.kind == "webhook").collect();
    assert!(!webhooks.is_empty());
    for item in webhooks {
        let error = item.last_error.as_deref().unwrap_or_default();
        assert!(
            error.contains("redirect") && error.contains("arendesystem"),
            "{error}"
        );
        assert!(
            !error.contains("HEMLIG-NYCKEL") && !error.contains(&server.uri()),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_question_answered_by_the_page_is_closed_on_the_next_cycle() {
    question_answered_by_the_page_is_closed(false).await;
}

/// Graph lists comments without `id` and `parent` to a token that may not
/// moderate the page; the ids in `permalink_url` still place the page's
/// reply under the question.
#[tokio::test]
async fn a_question_answered_by_the_page_closes_when_graph_withholds_comment_ids() {
    question_answered_by_the_page_is_closed(true).await;
}

async fn question_answered_by_the_page_is_closed(without_ids: bool) {
    let app = TestApp::start().await;
    if without_ids {
        for page in app.sim.pages() {
            app.sim.inject_fault(&page.id, Fault::WithoutIds, None);
        }
    }
    let pipeline = app.pipeline().await;
    let first = app.advance_to_next_slot(&pipeline);
    pipeline
        .run(RunTrigger::Slot, Some(first), false)
        .await
        .unwrap();
    let next = pipeline.config().schedule.next_slot_after(first).unwrap();

    // A question already stored whose page reply comes before the next
    // slot, and one that stays unanswered.
    let planted = app.sim.planted_until(next);
    let replies: HashMap<String, String> = planted
        .iter()
        .filter(|p| p.kind == ContentKind::PageReply && p.created_at > first)
        .filter_map(|p| Some((p.parent_id.clone()?, p.id.clone())))
        .collect();
    let questions: Vec<_> = planted
        .iter()
        .filter(|p| p.kind == ContentKind::Question && p.created_at <= first)
        .collect();
    let answered = questions
        .iter()
        .find(|q| replies.contains_key(&q.id))
        .expect("the simulator answers a question between the slots");
    let week = app.sim.planted_until(next + chrono::Duration::days(7));
    let unanswered = questions
        .iter()
        .find(|q| {
            !week
                .iter()
                .any(|p| p.kind == ContentKind::PageReply && p.parent_id.as_ref() == Some(&q.id))
        })
        .expect("a question the page never answers");
    let store = pipeline.store();
    let mut references = Vec::new();
    for question in [answered, unanswered] {
        let version = &store.comment_versions(&question.id).await.unwrap()[0];
        let ticket = NewTicket {
            reference: TicketKind::QuestionToAnswer.reference_for(version.id),
            kind: TicketKind::QuestionToAnswer,
            account_id: version.account_id,
            comment_id: Some(version.id),
            record_sha256: version.record_sha256.clone(),
            permalink: version.comment.permalink.clone(),
            summary: "Fråga att besvara".to_string(),
            due_at: Some(
                pipeline
                    .config()
                    .schedule
                    .end_of_working_day_after(first, 1),
            ),
        };
        // The question detector may have opened it already.
        store.open_ticket(&ticket, "test", first).await.unwrap();
        assert!(store.ticket(&ticket.reference).await.unwrap().is_some());
        references.push(ticket.reference);
    }

    app.clock.set(next);
    let summary = pipeline
        .run(RunTrigger::Slot, Some(next), false)
        .await
        .unwrap();

    assert!(summary.questions_answered >= 1);
    let closed = store.ticket(&references[0]).await.unwrap().unwrap();
    assert_eq!(closed.state, "done");
    assert_eq!(closed.closed_by.as_deref(), Some("service"));
    assert_eq!(
        closed.answered_by_comment.as_deref(),
        Some(replies[&answered.id].as_str())
    );
    let open = store.ticket(&references[1]).await.unwrap().unwrap();
    assert_eq!(open.state, "open", "an unanswered question stays open");
    let audit = store.audit_events("ticket.answered").await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.subject.as_deref() == Some(references[0].as_str())),
        "the answer is audited"
    );

    // Past its deadline the open question is escalated in the digest.
    let late = open.due_at.unwrap() + chrono::Duration::hours(1);
    let slot = pipeline.config().schedule.next_slot_after(late).unwrap();
    app.clock.set(slot);
    pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    let marker = format!("FÖRSENAD: {}", references[1]);
    let escalated: Vec<String> = app
        .mails()
        .into_iter()
        .filter(|raw| plain_text(raw.as_bytes()).contains(&marker))
        .collect();
    assert_eq!(
        escalated.len(),
        1,
        "the overdue question is escalated in its moderator's digest"
    );
    let text = plain_text(escalated[0].as_bytes());
    assert!(
        !text.contains(&format!("FÖRSENAD: {}", references[0])),
        "the answered one is not"
    );
    let cc = {
        use mailparse::MailHeaderMap;
        mailparse::parse_mail(escalated[0].as_bytes())
            .unwrap()
            .headers
            .get_first_value("Cc")
    };
    assert_eq!(
        cc.as_deref(),
        Some("slk@test.stockholm.se"),
        "escalated to the department's central address"
    );
}

/// The decoded text/plain parts of a raw message.
fn plain_text(raw: &[u8]) -> String {
    fn walk(part: &mailparse::ParsedMail<'_>, out: &mut String) {
        if part.ctype.mimetype == "text/plain" {
            out.push_str(&part.get_body().unwrap_or_default());
        }
        for sub in &part.subparts {
            walk(sub, out);
        }
    }
    let mut out = String::new();
    if let Ok(parsed) = mailparse::parse_mail(raw) {
        walk(&parsed, &mut out);
    }
    out
}

fn kommentarsvakt(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .arg("tickets")
        .arg("--config")
        .arg(&app.config_path)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test]
async fn tickets_commands_list_show_assign_and_close_with_an_audit_trail() {
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    let tickets = pipeline.store().tickets(false).await.unwrap();
    let reference = tickets[0].reference.clone();

    let (ok, list, err) = kommentarsvakt(&app, &["list"]);
    assert!(ok, "{err}");
    assert!(list.starts_with("Ärende"), "{list}");
    assert!(list.contains(&reference));
    assert!(
        list.contains(&format!("{} ärende(n).", tickets.len())),
        "{list}"
    );

    let (ok, list, _) = kommentarsvakt(&app, &["list", "--kind", "REG", "--account", "konto-0"]);
    assert!(ok);
    assert!(
        list.lines()
            .skip(1)
            .filter(|l| l.starts_with("KV-"))
            .all(|l| l.contains("Registrering") && l.contains("konto-0"))
    );

    let (ok, out, err) = kommentarsvakt(
        &app,
        &["assign", &reference, "--to", "Åsa Öberg", "--by", "lena"],
    );
    assert!(ok, "{err}");
    assert_eq!(out, format!("Ärende {reference} är tilldelat Åsa Öberg.\n"));

    let (ok, out, err) = kommentarsvakt(
        &app,
        &[
            "close",
            &reference,
            "--note",
            "Registrerad i W3D3",
            "--by",
            "lena",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!("Ärende {reference} är stängt av lena")),
        "{out}"
    );

    let (ok, show, _) = kommentarsvakt(&app, &["show", &reference]);
    assert!(ok);
    for expected in [
        "Status:",
        "stängt",
        "Åsa Öberg",
        "Registrerad i W3D3",
        "Bevispost:",
        "records/",
    ] {
        assert!(show.contains(expected), "{expected:?} in\n{show}");
    }
    let (_, open_list, _) = kommentarsvakt(&app, &["list"]);
    assert!(
        !open_list.contains(&reference),
        "closed tickets leave the default list"
    );
    let (_, all_list, _) = kommentarsvakt(&app, &["list", "--all"]);
    assert!(all_list.contains(&reference));

    let (ok, _, err) = kommentarsvakt(&app, &["close", &reference]);
    assert!(!ok);
    assert!(err.contains("är redan stängt"), "{err}");
    let (ok, _, err) = kommentarsvakt(&app, &["show", "KV-999999-REG"]);
    assert!(!ok);
    assert!(
        err.contains("inget ärende har referensen KV-999999-REG"),
        "{err}"
    );
    let (ok, _, err) = kommentarsvakt(&app, &["list", "--kind", "fråga"]);
    assert!(!ok);
    assert!(err.contains("question_to_answer"), "{err}");

    let assigned = pipeline
        .store()
        .audit_events("ticket.assigned")
        .await
        .unwrap();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].actor, "lena");
    let closed = pipeline
        .store()
        .audit_events("ticket.closed")
        .await
        .unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].detail["note"], "Registrerad i W3D3");
}

// ---------------------------------------------------------------------------
// The ticket store, on both databases.

async fn question_with_reply(store: &Store, reply_by_page: bool) -> (i64, String) {
    let account = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let question = comment("100_1_1", "När öppnar badet?", 0);
    let NewVersion::Added(row) = store
        .insert_comment_version(account, &question, false, None, t0())
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    let ticket = NewTicket {
        reference: TicketKind::QuestionToAnswer.reference_for(row),
        kind: TicketKind::QuestionToAnswer,
        account_id: account,
        comment_id: Some(row),
        record_sha256: None,
        permalink: None,
        summary: "Fråga".to_string(),
        due_at: Some(t0() + chrono::Duration::hours(8)),
    };
    assert!(store.open_ticket(&ticket, "test", t0()).await.unwrap());
    assert!(
        !store.open_ticket(&ticket, "test", t0()).await.unwrap(),
        "opened once"
    );
    let mut reply = comment("100_1_2", "Den 1 juni!", 30);
    reply.parent_id = Some("100_1_1".to_string());
    store
        .insert_comment_version(account, &reply, reply_by_page, None, t0())
        .await
        .unwrap();
    (account, ticket.reference)
}

async fn assigning_and_closing_are_audited_and_final(store: Store) {
    let (_, reference) = question_with_reply(&store, false).await;
    let now = t0() + chrono::Duration::hours(1);
    let TicketChange::Changed(t) = store
        .assign_ticket(&reference, "Åsa", "lena", now)
        .await
        .unwrap()
    else {
        panic!("assigned")
    };
    assert_eq!(
        (t.state.as_str(), t.assigned_to.as_deref()),
        ("assigned", Some("Åsa"))
    );
    assert_eq!(t.platform_comment_id.as_deref(), Some("100_1_1"));
    assert!(!t.is_overdue(now));
    assert!(t.is_overdue(t0() + chrono::Duration::hours(9)));
    let TicketChange::Changed(t) = store
        .close_ticket(&reference, "lena", Some("Besvarad per telefon"), now)
        .await
        .unwrap()
    else {
        panic!("closed")
    };
    assert_eq!(t.state, "done");
    assert_eq!(t.close_note.as_deref(), Some("Besvarad per telefon"));
    assert!(matches!(
        store
            .close_ticket(&reference, "lena", None, now)
            .await
            .unwrap(),
        TicketChange::AlreadyClosed(_)
    ));
    assert!(matches!(
        store
            .assign_ticket(&reference, "Bo", "lena", now)
            .await
            .unwrap(),
        TicketChange::AlreadyClosed(_)
    ));
    assert!(matches!(
        store
            .close_ticket("KV-000000-FRA", "lena", None, now)
            .await
            .unwrap(),
        TicketChange::NotFound
    ));
    assert_eq!(
        store.audit_events("ticket.assigned").await.unwrap().len(),
        1
    );
    assert_eq!(store.audit_events("ticket.closed").await.unwrap().len(), 1);
    assert!(store.tickets(false).await.unwrap().is_empty());
    assert_eq!(store.tickets(true).await.unwrap().len(), 1);
}

async fn only_the_accounts_own_reply_answers_a_question(store: Store) {
    let (_, reference) = question_with_reply(&store, false).await;
    assert!(
        store
            .close_answered_questions(t0())
            .await
            .unwrap()
            .is_empty(),
        "a stranger's reply is no answer"
    );
    let account = store.upsert_account(&account("stad"), t0()).await.unwrap();
    let mut own = comment("100_1_3", "Vi öppnar den 1 juni.", 40);
    own.parent_id = Some("100_1_1".to_string());
    store
        .insert_comment_version(account, &own, true, None, t0())
        .await
        .unwrap();
    let answered = store.close_answered_questions(t0()).await.unwrap();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].reference, reference);
    assert_eq!(answered[0].reply_comment_id, "100_1_3");
    assert!(
        store
            .close_answered_questions(t0())
            .await
            .unwrap()
            .is_empty(),
        "closed once"
    );
    let t = store.ticket(&reference).await.unwrap().unwrap();
    assert_eq!(t.answered_by_comment.as_deref(), Some("100_1_3"));
}

async fn failure_streaks_count_only_the_latest_failed_runs(store: Store) {
    use kommentarsvakt::store::AccountOutcome;
    let account = store.upsert_account(&account("stad"), t0()).await.unwrap();
    for outcome in ["failed", "ok", "failed", "failed", "failed"] {
        let run = store
            .begin_run(RunTrigger::Slot, None, false, t0())
            .await
            .unwrap();
        store
            .record_account_outcome(
                run,
                &AccountOutcome {
                    account_id: account,
                    outcome: outcome.to_string(),
                    error_kind: None,
                    error_detail: None,
                    posts_seen: 0,
                    comments_new: 0,
                    started_at: t0(),
                    finished_at: t0(),
                },
            )
            .await
            .unwrap();
    }
    assert_eq!(store.consecutive_failed_runs(account).await.unwrap(), 3);
}

crate::support::db::store_contract!(
    assigning_and_closing_are_audited_and_final,
    only_the_accounts_own_reply_answers_a_question,
    failure_streaks_count_only_the_latest_failed_runs,
);
