//! The moderators' console over the real pipeline and the simulator: who
//! sees what, CSRF refusal, a hide and a restore through the same action
//! path as the service's own (with its evidence and exactly one platform
//! call), two moderators deciding at once, and the security headers.

use kommentarsvakt::archive::Archive;
use kommentarsvakt::store::{QueueFilter, RunTrigger, StoredComment};
use kommentarsvakt::web::headers::CONTENT_SECURITY_POLICY;
use reqwest::StatusCode;

use crate::support::app::TestApp;
use crate::support::web::{Console, hidden_value, write_console_config};

pub(crate) const ACCOUNTS: [&str; 3] = ["konto-0", "konto-1", "konto-2"];
/// A second moderator on every account, for deciding at once.
const COLLEAGUE: &str = "kollega@test.stockholm.se";

pub(crate) fn moderator(account: usize) -> String {
    format!("moderator{account}@test.stockholm.se")
}

/// The console after one monitoring slot: review items on the accounts.
pub(crate) async fn console_after_one_slot(demo_login: bool) -> (TestApp, Console) {
    let app = TestApp::start().await;
    write_console_config(&app, |mut toml| {
        for i in 0..ACCOUNTS.len() {
            toml = toml.replace(
                &format!("moderators = [\"{}\"]", moderator(i)),
                &format!("moderators = [\"{}\", \"{COLLEAGUE}\"]", moderator(i)),
            );
        }
        if demo_login {
            toml
        } else {
            toml.replace("demo_login = true", "demo_login = false")
        }
    });
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    pipeline
        .run(RunTrigger::Slot, Some(slot), false)
        .await
        .unwrap();
    let console = Console::serve(pipeline).await;
    (app, console)
}

/// The review items of each account, as the store lists them.
async fn review_items(console: &Console, account: &str) -> Vec<StoredComment> {
    console
        .pipeline
        .store()
        .review_queue(&QueueFilter {
            accounts: vec![account.to_string()],
            limit: 100,
            ..QueueFilter::default()
        })
        .await
        .unwrap()
}

/// An account with a review item, its index, and that item.
async fn an_item_to_review(console: &Console) -> (usize, StoredComment) {
    for (i, account) in ACCOUNTS.iter().enumerate() {
        if let Some(item) = review_items(console, account).await.into_iter().next() {
            return (i, item);
        }
    }
    panic!("the first slot sends comments to review");
}

/// The hide calls the simulator received for a comment.
pub(crate) fn hide_calls(app: &TestApp, comment_id: &str) -> usize {
    app.sim
        .calls()
        .iter()
        .filter(|c| {
            c.comment_id.as_deref() == Some(comment_id)
                && c.method == "POST"
                && c.body.contains("is_hidden=true")
        })
        .count()
}

fn escaped(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

#[tokio::test]
async fn a_moderator_sees_only_the_accounts_they_moderate() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let outsider = (owner + 1) % ACCOUNTS.len();
    let mut theirs = console.logged_in(&moderator(owner)).await;
    let mut other = console.logged_in(&moderator(outsider)).await;

    let page = theirs.get(&format!("/granska/{}", item.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&escaped(&item.comment.text)) || page.body.contains("<mark>"));
    let queue = theirs.get("/").await;
    assert!(
        queue
            .body
            .contains(&format!("href=\"/granska/{}\"", item.id))
    );

    for path in [
        format!("/granska/{}", item.id),
        format!("/bevis/{}", item.id),
        format!("/bevis/{}/bild", item.id),
    ] {
        let refused = other.get(&path).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!refused.body.contains(&escaped(&item.comment.text)));
    }
    let queue = other.get("/").await;
    assert!(
        !queue
            .body
            .contains(&format!("href=\"/granska/{}\"", item.id))
    );
    let csrf = queue.csrf();
    let decided = other
        .post(
            &format!("/granska/{}/beslut", item.id),
            &[("csrf", &csrf), ("round", "0"), ("decision", "hide")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::NOT_FOUND);
    assert_eq!(hide_calls(&app, &item.comment.platform_id), 0);

    // The registry office sees every account but decides nothing there.
    let mut registry = console.logged_in("registrator@test.stockholm.se").await;
    let page = registry.get(&format!("/granska/{}", item.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    let refused = registry
        .post(
            &format!("/granska/{}/beslut", item.id),
            &[("csrf", &page.csrf()), ("round", "0"), ("decision", "hide")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(hide_calls(&app, &item.comment.platform_id), 0);

    // Not logged in: to the login page, which brings one back.
    let mut anonymous = console.browser();
    let away = anonymous.get(&format!("/granska/{}", item.id)).await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert_eq!(
        away.location(),
        format!("/logga-in?till=/granska/{}", item.id)
    );
}

#[tokio::test]
async fn a_decision_without_the_sessions_csrf_token_is_refused() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let mut browser = console.logged_in(&moderator(owner)).await;
    let path = format!("/granska/{}/beslut", item.id);
    for token in ["", "0000", "forged-token-from-another-site"] {
        let refused = browser
            .post(
                &path,
                &[("csrf", token), ("round", "0"), ("decision", "hide")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "token {token:?}");
        assert!(refused.body.contains("Ingenting har ändrats"));
    }
    // Another person's valid token does not pass either.
    let mut colleague = console.logged_in(COLLEAGUE).await;
    let their_token = colleague.get("/").await.csrf();
    let refused = browser
        .post(
            &path,
            &[("csrf", &their_token), ("round", "0"), ("decision", "hide")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(hide_calls(&app, &item.comment.platform_id), 0);
    let store = console.pipeline.store();
    assert!(store.moderator_decisions(item.id).await.unwrap().is_empty());
    assert!(
        review_items(&console, &item.account_key)
            .await
            .iter()
            .any(|c| c.id == item.id)
    );
}

#[tokio::test]
async fn hiding_from_the_queue_acts_once_with_evidence_and_restoring_undoes_it() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let pid = item.comment.platform_id.clone();
    let me = moderator(owner);
    let mut browser = console.logged_in(&me).await;
    let store = console.pipeline.store();

    let page = browser.get(&format!("/granska/{}", item.id)).await;
    let findings = store.findings(item.id).await.unwrap();
    assert!(!findings.is_empty());
    for finding in &findings {
        assert!(
            page.body.contains(&escaped(&finding.reason)),
            "the reason is shown"
        );
        assert!(
            page.body.contains(&escaped(&finding.legal_basis)),
            "the legal basis is shown"
        );
    }
    assert!(
        page.body.contains("data-shortcut=\"d\""),
        "hide has a keyboard shortcut"
    );
    let decided = browser
        .post(
            &format!("/granska/{}/beslut", item.id),
            &[
                ("csrf", &page.csrf()),
                ("round", &hidden_value(&page.body, "round").unwrap()),
                ("decision", "hide"),
                ("note", "Hot mot namngiven person"),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    assert_eq!(
        decided.location(),
        format!("/granska/{}?beslut=done", item.id)
    );

    assert!(
        app.sim.comment_state(&pid).unwrap().hidden,
        "hidden on the platform"
    );
    assert_eq!(hide_calls(&app, &pid), 1, "exactly one hide call");
    let record = item
        .record_path
        .clone()
        .expect("the item has an evidence record");
    let archive = Archive::open_read_only(app.archive_dir());
    let receipt = archive.receipt_for(std::path::Path::new(&record)).unwrap();
    assert_eq!(receipt.platform_comment_id(), pid);
    let decided_events = store.audit_events("moderator.decided").await.unwrap();
    assert_eq!(decided_events.len(), 1);
    assert_eq!(decided_events[0].actor, me);
    assert_eq!(decided_events[0].detail["note"], "Hot mot namngiven person");
    let hide_events = store.audit_events("comment.hide").await.unwrap();
    assert!(
        hide_events
            .iter()
            .any(|e| e.actor == me && e.detail["outcome"] == "done")
    );
    let tickets = store.tickets(false).await.unwrap();
    assert!(
        tickets
            .iter()
            .any(|t| t.comment_id == Some(item.id) && t.reference.ends_with("REG")),
        "the removal is to be registered"
    );
    let queue = browser.get("/").await;
    assert!(
        !queue
            .body
            .contains(&format!("href=\"/granska/{}\"", item.id)),
        "settled"
    );
    let log = browser.get("/logg?vem=person").await;
    assert!(log.body.contains(&format!("href=\"/granska/{}\"", item.id)));
    assert!(log.body.contains(&escaped(&me)) && log.body.contains("Hot mot namngiven person"));
    let csv = browser.get("/logg.csv?typ=hide").await;
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.body
            .lines()
            .any(|l| l.contains(&pid) && l.contains(&me) && l.contains(",done,"))
    );

    let page = browser.get(&format!("/granska/{}", item.id)).await;
    assert!(page.body.contains("name=\"decision\" value=\"restore\""));
    let restored = browser
        .post(
            &format!("/granska/{}/beslut", item.id),
            &[
                ("csrf", &page.csrf()),
                ("round", &hidden_value(&page.body, "round").unwrap()),
                ("decision", "restore"),
                ("note", "Felbedömning"),
            ],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    assert!(
        !app.sim.comment_state(&pid).unwrap().hidden,
        "visible again"
    );
    let reg = store
        .tickets(true)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.comment_id == Some(item.id) && t.reference.ends_with("REG"))
        .unwrap();
    assert_eq!(reg.state, "done", "the undone removal is not registered");
    let history = browser.get(&format!("/granska/{}", item.id)).await;
    assert!(
        history.body.contains("Felbedömning") && history.body.contains("Hot mot namngiven person")
    );
}

#[tokio::test]
async fn two_moderators_deciding_at_once_one_wins_and_the_other_is_told() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let mut first = console.logged_in(&moderator(owner)).await;
    let mut second = console.logged_in(COLLEAGUE).await;
    let path = format!("/granska/{}", item.id);
    let (page_1, page_2) = (first.get(&path).await, second.get(&path).await);
    let form = |page: &crate::support::web::Answer| {
        (page.csrf(), hidden_value(&page.body, "round").unwrap())
    };
    let ((csrf_1, round_1), (csrf_2, round_2)) = (form(&page_1), form(&page_2));
    let decide = format!("{path}/beslut");
    let form_1 = [
        ("csrf", csrf_1.as_str()),
        ("round", &round_1),
        ("decision", "hide"),
    ];
    let form_2 = [
        ("csrf", csrf_2.as_str()),
        ("round", &round_2),
        ("decision", "no_action"),
    ];
    let (a, b) = tokio::join!(first.post(&decide, &form_1), second.post(&decide, &form_2));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let loser = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert!(loser.body.contains("Någon annan hann besluta först"));
    let decisions = console
        .pipeline
        .store()
        .moderator_decisions(item.id)
        .await
        .unwrap();
    assert_eq!(decisions.len(), 1, "one decision recorded");
    let hides = hide_calls(&app, &item.comment.platform_id);
    match decisions[0].decision.as_str() {
        "hide" => assert_eq!(hides, 1),
        _ => assert_eq!(hides, 0),
    }
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_strict_session_cookie() {
    let (_app, console) = console_after_one_slot(true).await;
    let mut browser = console.browser();
    let login = browser.get("/logga-in").await;
    assert_eq!(
        login.headers["content-security-policy"],
        CONTENT_SECURITY_POLICY
    );
    assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    assert_eq!(login.headers["x-frame-options"], "DENY");
    assert_eq!(login.headers["referrer-policy"], "no-referrer");
    assert_eq!(login.headers["cache-control"], "no-store");
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(
        login.body.contains("Demoinloggning"),
        "the demo login is clearly marked"
    );
    assert!(!login.body.contains("<script>"), "no inline script");

    // The login replaces the session: the token before it is worth nothing after.
    let before = browser.cookie.clone();
    browser.demo_login(&moderator(0)).await;
    assert_ne!(browser.cookie, before);
    let mut stale = console.browser();
    stale.cookie = before;
    assert_eq!(stale.get("/").await.status, StatusCode::SEE_OTHER);
    // Logging out ends the session on the server.
    let csrf = browser.get("/").await.csrf();
    let kept = browser.cookie.clone();
    assert_eq!(
        browser.post("/logga-ut", &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    let mut copied = console.browser();
    copied.cookie = kept;
    assert_eq!(copied.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_demo_login_exists_only_when_configured_and_only_for_configured_people() {
    let (_app, console) = console_after_one_slot(true).await;
    let mut stranger = console.browser();
    let login = stranger.get("/logga-in").await;
    let refused = stranger
        .post(
            "/logga-in/demo",
            &[
                ("csrf", &login.csrf()),
                ("user", "okand@example.se"),
                ("till", "/"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    drop(console);

    let (_app, console) = console_after_one_slot(false).await;
    let mut browser = console.browser();
    let login = browser.get("/logga-in").await;
    assert!(!login.body.contains("Demoinloggning"));
    let csrf = hidden_value(&login.body, "csrf").unwrap_or_default();
    let refused = browser
        .post(
            "/logga-in/demo",
            &[("csrf", &csrf), ("user", &moderator(0)), ("till", "/")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(
        browser.get("/").await.status,
        StatusCode::SEE_OTHER,
        "not logged in"
    );
}

#[tokio::test]
async fn the_review_e_mail_links_to_the_item_and_carries_no_comment_text() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let link = format!("http://127.0.0.1:0/granska/{}", item.id);
    let digest = app
        .digest_texts()
        .into_iter()
        .find(|text| text.contains(&link))
        .expect("a digest links to the review item in the console");
    assert!(digest.contains(&format!("granska i konsolen: {link}")));
    assert!(
        !digest.contains(&item.comment.text),
        "no comment text in e-mail"
    );

    // The moderator follows the link (the path under the public address).
    let mut browser = console.browser();
    let path = format!("/granska/{}", item.id);
    let away = browser.get(&path).await;
    assert_eq!(away.location(), format!("/logga-in?till={path}"));
    let login = browser.get(away.location()).await;
    let back = browser
        .post(
            "/logga-in/demo",
            &[
                ("csrf", &login.csrf()),
                ("user", &moderator(owner)),
                ("till", &hidden_value(&login.body, "till").unwrap()),
            ],
        )
        .await;
    assert_eq!(back.location(), path, "back to the item after login");
    let page = browser.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Varför den flaggades"));
}

#[tokio::test]
async fn a_question_is_closed_by_hand_with_a_note_only_by_those_who_may() {
    let (_app, console) = console_after_one_slot(true).await;
    let store = console.pipeline.store();
    let question = store
        .tickets(false)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.reference.ends_with("FRA"))
        .expect("the first slot opens a question ticket");
    let owner = ACCOUNTS
        .iter()
        .position(|a| *a == question.account_key)
        .unwrap();
    let close = format!("/fragor/{}/stang", question.reference);

    let mut outsider = console
        .logged_in(&moderator((owner + 1) % ACCOUNTS.len()))
        .await;
    let page = outsider.get("/fragor").await;
    assert!(
        !page.body.contains(&question.reference),
        "another account's question is not listed"
    );
    let refused = outsider
        .post(&close, &[("csrf", &page.csrf()), ("note", "x")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let mut registry = console.logged_in("registrator@test.stockholm.se").await;
    let page = registry.get("/fragor").await;
    assert!(page.body.contains(&question.reference));
    let closed = registry
        .post(
            &close,
            &[("csrf", &page.csrf()), ("note", "Besvarad per telefon")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let ticket = store.ticket(&question.reference).await.unwrap().unwrap();
    assert_eq!(ticket.state, "done");
    assert_eq!(
        ticket.closed_by.as_deref(),
        Some("registrator@test.stockholm.se")
    );
    assert_eq!(ticket.close_note.as_deref(), Some("Besvarad per telefon"));
    assert!(
        !registry
            .get("/fragor")
            .await
            .body
            .contains(&question.reference)
    );
}

#[tokio::test]
async fn english_is_one_click_away_and_stays_chosen() {
    let (_app, console) = console_after_one_slot(true).await;
    let mut browser = console.logged_in(&moderator(0)).await;
    let swedish = browser.get("/oversikt").await;
    assert!(swedish.body.contains("<html lang=\"sv\">") && swedish.body.contains("Översikt"));
    let switch = browser.get("/sprak?l=en&till=/oversikt").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.location(), "/oversikt");
    let lang_cookie = switch.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    browser.cookie = browser
        .cookie
        .map(|session| format!("{session}; {lang_cookie}"));
    let english = browser.get("/oversikt").await;
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("Crisis mode is off") && english.body.contains("Log out"));
    // Never a way off the console.
    let away = browser.get("/sprak?l=sv&till=//evil.example").await;
    assert_eq!(away.location(), "/");
}

#[tokio::test]
async fn login_attempts_from_one_address_are_limited() {
    let (_app, console) = console_after_one_slot(true).await;
    let mut browser = console.browser();
    let csrf = browser.get("/logga-in").await.csrf();
    let attempt = [
        ("csrf", csrf.as_str()),
        ("user", "okand@example.se"),
        ("till", "/"),
    ];
    for _ in 0..kommentarsvakt::web::auth::LOGIN_ATTEMPTS {
        assert_eq!(
            browser.post("/logga-in/demo", &attempt).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let limited = browser.post("/logga-in/demo", &attempt).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("För många inloggningsförsök"));
}

#[tokio::test]
async fn an_evidence_page_whose_record_path_leads_outside_the_archive_shows_nothing_of_it() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let sql = "UPDATE comments SET record_path = $1 WHERE id = $2";
    crate::refused_paths::tamper(&app, sql, "/etc/passwd", item.id).await;
    let mut moderator = console.logged_in(&moderator(owner)).await;
    for _ in 0..2 {
        let page = moderator.get(&format!("/bevis/{}", item.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("kunde inte verifieras"), "{}", page.body);
        assert!(!page.body.contains("root:"), "nothing of the file is shown");
    }
    let mut summary = kommentarsvakt::pipeline::RunSummary::default();
    console.pipeline.deliver_outbox(&mut summary).await.unwrap();
    crate::refused_paths::assert_one_notice(
        &app,
        &format!("comments.id = {}", item.id),
        "/etc/passwd",
    );
}

#[tokio::test]
async fn a_review_page_whose_record_path_leads_outside_the_archive_says_it_was_reported() {
    let (app, console) = console_after_one_slot(true).await;
    let (owner, item) = an_item_to_review(&console).await;
    let sql = "UPDATE comments SET record_path = $1 WHERE id = $2";
    crate::refused_paths::tamper(&app, sql, "/etc/passwd", item.id).await;
    let mut moderator = console.logged_in(&moderator(owner)).await;
    for _ in 0..2 {
        let page = moderator.get(&format!("/granska/{}", item.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(
                "Bevisets sökväg i databasen avvisades och har rapporterats till driften."
            ),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains(&format!("/bevis/{}/bild", item.id)),
            "no screenshot is offered"
        );
        assert!(!page.body.contains("root:"), "nothing of the file is shown");
    }
    // The evidence page meets the same row: still one notice.
    moderator.get(&format!("/bevis/{}", item.id)).await;
    let mut summary = kommentarsvakt::pipeline::RunSummary::default();
    console.pipeline.deliver_outbox(&mut summary).await.unwrap();
    let row = format!("comments.id = {}", item.id);
    crate::refused_paths::assert_one_notice(&app, &row, "/etc/passwd");
    assert!(
        app.mail_texts().iter().any(|(_, body)| body.contains(&row)
            && body.contains("visningen av kommentaren för granskning")),
        "the notice says the review page met it"
    );
}
