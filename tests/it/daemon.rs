//! The long-running service: catch-up of a missed slot, crisis mode turned
//! on by editing the config file while running, scheduled culling, shutdown.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use kommentarsvakt::alerts::OutgoingMail;
use kommentarsvakt::archive::retention::{self, CullItem, CullingProtocol};
use kommentarsvakt::clock::Clock;
use kommentarsvakt::daemon::{Daemon, SCHEDULED_CULL_ACTOR};
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::store::{HoldScope, NewOutboxItem, RunTrigger};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::support::app::TestApp;
use crate::support::smtp::{self, StallingServer};
use crate::support::web::Browser;

/// Polls `check` every 20 ms until it is true or 60 s have passed (the
/// machine may be busy with other tests).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..3000 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for: {what}");
}

type DaemonTask = tokio::task::JoinHandle<Result<(), kommentarsvakt::daemon::DaemonError>>;

/// Starts the service in-process on the app's config, watching its file.
async fn spawn_daemon(app: &TestApp) -> (Arc<Daemon>, CancellationToken, DaemonTask) {
    spawn_daemon_on(app, app.pipeline().await)
}

/// Starts the service in-process on a pipeline already built (and perhaps
/// run) from the app's config.
fn spawn_daemon_on(
    app: &TestApp,
    pipeline: Pipeline,
) -> (Arc<Daemon>, CancellationToken, DaemonTask) {
    let (daemon, shutdown, task, _reload) = spawn_daemon_with_reload_on(app, pipeline);
    (daemon, shutdown, task)
}

/// Like [`spawn_daemon`], with the sender that stands in for SIGHUP.
async fn spawn_daemon_with_reload(
    app: &TestApp,
) -> (Arc<Daemon>, CancellationToken, DaemonTask, mpsc::Sender<()>) {
    spawn_daemon_with_reload_on(app, app.pipeline().await)
}

/// Like [`spawn_daemon_on`], with the sender that stands in for SIGHUP.
fn spawn_daemon_with_reload_on(
    app: &TestApp,
    pipeline: Pipeline,
) -> (Arc<Daemon>, CancellationToken, DaemonTask, mpsc::Sender<()>) {
    let daemon = Arc::new(Daemon::new(pipeline, Some(app.config_path.clone())));
    let shutdown = CancellationToken::new();
    let (reload_tx, reload_rx) = mpsc::channel(1);
    let task = {
        let (daemon, shutdown) = (daemon.clone(), shutdown.clone());
        tokio::spawn(async move { daemon.run(shutdown, reload_rx).await })
    };
    (daemon, shutdown, task, reload_tx)
}

#[tokio::test]
async fn a_slot_missed_while_down_runs_once_at_start_up() {
    // Monday 10:00: the 08:30 slot passed while the service was down.
    let start = Stockholm
        .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let app = TestApp::start_at(start).await;
    let (daemon, shutdown, task) = spawn_daemon(&app).await;
    let store = daemon.pipeline().store().clone();
    eventually("a catch-up run", || async {
        store
            .runs_since(start - chrono::Duration::days(1))
            .await
            .unwrap()
            .iter()
            .any(|r| r.status != "running")
    })
    .await;
    let runs = store
        .runs_since(start - chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(runs.len(), 1, "exactly one catch-up run");
    assert_eq!(runs[0].trigger, RunTrigger::CatchUp);
    let missed = Stockholm
        .with_ymd_and_hms(2026, 11, 23, 8, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(runs[0].slot_at, Some(missed));

    // The next slot (12:00) runs when the clock reaches it.
    app.clock.set(
        Stockholm
            .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .unwrap()
            .with_timezone(&Utc),
    );
    eventually("the 12:00 slot", || async {
        store
            .runs_since(start)
            .await
            .unwrap()
            .iter()
            .any(|r| r.trigger == RunTrigger::Slot && r.status != "running")
    })
    .await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn daily_checks_whose_time_passed_while_down_run_at_start_up() {
    // Monday 10:00, a new install: the checks' time (07:00) has passed.
    let app = TestApp::start_at(monday_at(10, 0)).await;
    let (daemon, shutdown, task) = spawn_daemon(&app).await;
    let store = daemon.pipeline().store().clone();
    // The test accounts name no responsible person: a finding the checks
    // make on any day, so they ran today rather than tomorrow morning.
    eventually("today's checks", || async {
        !store.open_check_findings().await.unwrap().is_empty()
    })
    .await;
    // Stopping lets the work under way finish: the checks are done then.
    stop(shutdown, task).await;
    let findings = store.open_check_findings().await.unwrap();
    let named = |check: &str| findings.iter().filter(|f| f.check_name == check).count();
    assert_eq!(named("responsible"), 3, "{findings:?}");
    assert_eq!(
        named("no_successful_run"),
        0,
        "the service was not monitoring anything on Friday, so no account \
         missed a run then: {findings:?}"
    );
}

#[tokio::test]
async fn with_the_checks_left_to_operators_the_registry_still_gets_its_digest_at_seven() {
    // Monday 06:00: nothing of the day is due yet. The chain was anchored
    // before (a start-up catch-up run may anchor a later head).
    let app = TestApp::start_at(monday_at(6, 0)).await;
    app.write_config_with(|toml| {
        toml.replace(
            "[mail]\n",
            "[checks]\nschedule = \"off\"\n[mail]\nregistry_mailbox = \"registrator@test.stockholm.se\"\n",
        )
    });
    let pipeline = app.pipeline().await;
    assert!(pipeline.config().checks_schedule.is_none());
    let head = "ab".repeat(32);
    pipeline
        .store()
        .anchor_chain(&kommentarsvakt::store::ChainAnchor {
            anchored_at: monday_at(5, 0),
            head_seq: 41,
            head_sha256: head.clone(),
            record_count: 42,
        })
        .await
        .unwrap();
    let (daemon, shutdown, task) = spawn_daemon_on(&app, pipeline);
    let digests = || {
        app.mail_texts()
            .into_iter()
            .filter(|(subject, _)| subject.starts_with("Daglig sammanställning till registrator"))
            .map(|(_, body)| body)
            .collect::<Vec<_>>()
    };

    app.clock.set(monday_at(7, 0));
    eventually("the digest at 07:00", || async { !digests().is_empty() }).await;
    stop(shutdown, task).await;

    let sent = digests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].contains("Dag:                     2026-11-23") && sent[0].contains("Kedjeankare:"),
        "Monday's digest with the chain anchor: {}",
        sent[0]
    );
    assert!(
        daemon
            .pipeline()
            .store()
            .open_check_findings()
            .await
            .unwrap()
            .is_empty(),
        "the checks are off: nothing checked the accounts at 07:00"
    );
}

#[tokio::test]
async fn crisis_mode_turned_on_by_editing_the_config_file_runs_around_the_clock() {
    // Saturday: no office-hours slot for two days.
    let start = Stockholm
        .with_ymd_and_hms(2026, 11, 28, 22, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let app = TestApp::start_at(start).await;
    let (daemon, shutdown, task) = spawn_daemon(&app).await;
    let store = daemon.pipeline().store().clone();
    let crisis_runs = || {
        let store = store.clone();
        async move {
            store
                .runs_since(start)
                .await
                .unwrap()
                .into_iter()
                .filter(|r| r.trigger == RunTrigger::Crisis && r.status != "running")
                .count()
        }
    };
    // Let the start-up catch-up (Friday 15:30) finish first.
    eventually("the start-up run to finish", || async {
        store
            .runs_since(start)
            .await
            .unwrap()
            .iter()
            .any(|r| r.status != "running")
    })
    .await;
    assert_eq!(crisis_runs().await, 0);

    app.write_config(true);
    eventually("crisis mode on", || async { daemon.crisis().enabled }).await;
    eventually("an immediate crisis run", || async {
        crisis_runs().await >= 1
    })
    .await;
    let runs = store.runs_since(start).await.unwrap();
    assert!(
        runs.iter()
            .filter(|r| r.trigger == RunTrigger::Crisis)
            .all(|r| r.crisis)
    );
    assert_eq!(store.audit_events("crisis.enabled").await.unwrap().len(), 1);
    eventually("a crisis notice e-mail", || async {
        app.mails()
            .iter()
            .any(|m| m.contains("Subject:") && m.to_lowercase().contains("kris"))
    })
    .await;

    // Ten minutes later, at night on a Saturday, it monitors again.
    app.clock.advance(chrono::Duration::minutes(10));
    eventually("a second crisis run", || async { crisis_runs().await >= 2 }).await;

    app.write_config(false);
    eventually("crisis mode off", || async { !daemon.crisis().enabled }).await;
    assert_eq!(
        store.audit_events("crisis.disabled").await.unwrap().len(),
        1
    );
    let after_off = crisis_runs().await;
    app.clock.advance(chrono::Duration::minutes(30));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        crisis_runs().await,
        after_off,
        "no crisis runs once it is off"
    );

    // Each config write above starts reloads that rebuild the classifier;
    // one may still be running, and shutdown lets it finish. On a busy
    // machine in a debug build shutdown took 7-13 s here, so the test
    // allows what `eventually` allows.
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let _ = app.clock.now();
}

#[tokio::test]
async fn the_service_reports_ready_to_systemd_and_exits_cleanly_on_sigterm() {
    use std::os::unix::net::UnixDatagram;

    let app = TestApp::start().await;
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = format!(
        "{}\n[metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n",
        app.config_toml(false)
    );
    std::fs::write(&app.config_path, config).unwrap();
    let socket_path = app.dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["run", "--config"])
        .arg(&app.config_path)
        .env("NOTIFY_SOCKET", &socket_path)
        .env("KOMMENTARSVAKT_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();

    let ready = tokio::task::spawn_blocking(move || {
        let mut buf = [0u8; 4096];
        loop {
            let n = socket
                .recv(&mut buf)
                .expect("a notification from the service");
            let msg = String::from_utf8_lossy(&buf[..n]).to_string();
            if msg.lines().any(|l| l == "READY=1") {
                return msg;
            }
        }
    })
    .await
    .unwrap();
    assert!(ready.contains("READY=1"));

    // Operators can see that monitoring ran (the start-up catch-up run).
    let url = format!("http://127.0.0.1:{metrics_port}/metrics");
    eventually("a finished run in /metrics", || {
        let url = url.clone();
        async move {
            let Ok(resp) = reqwest::get(&url).await else {
                return false;
            };
            let body = resp.text().await.unwrap_or_default();
            body.contains("kommentarsvakt_crisis_mode 0")
                && body.contains("kommentarsvakt_runs_total{")
        }
    })
    .await;

    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        exit.status.code(),
        Some(0),
        "SIGTERM ends the service with exit code 0; stderr:\n{}",
        String::from_utf8_lossy(&exit.stderr)
    );
}

/// Monday 23 November 2026 at `h:mi` in Stockholm.
fn monday_at(h: u32, mi: u32) -> DateTime<Utc> {
    Stockholm
        .with_ymd_and_hms(2026, 11, 23, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The app's config sending e-mail through `server`, with a timeout far
/// longer than any test holds it.
fn send_mail_through(app: &TestApp, server: &StallingServer) {
    let transport = smtp::smtp_transport(server.port).replace("\"2s\"", "\"60s\"");
    let folder = app.folder_transport();
    app.write_config_with(|toml| toml.replace(&folder, &transport));
}

/// Holds the service in an e-mail delivery through `server` while the
/// clock moves to `to`, then lets the delivery fail so the service goes on.
async fn busy_delivering_until(app: &TestApp, server: &mut StallingServer, to: DateTime<Utc>) {
    server.wait_until_connected().await;
    app.clock.set(to);
    server.release();
}

/// Waits until the run serving `slot` has finished, then lists every run
/// started at or after `since`: its trigger, slot and start.
async fn runs_once_slot_done(
    store: &kommentarsvakt::store::Store,
    slot: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Vec<(RunTrigger, Option<DateTime<Utc>>, DateTime<Utc>)> {
    eventually("the slot's run to finish", || async {
        store
            .runs_since(since)
            .await
            .unwrap()
            .iter()
            .any(|r| r.slot_at == Some(slot) && r.status != "running")
    })
    .await;
    let runs = store.runs_since(since).await.unwrap();
    runs.into_iter()
        .map(|r| (r.trigger, r.slot_at, r.started_at))
        .collect()
}

#[tokio::test]
async fn a_slot_whose_time_passes_during_an_outbox_delivery_runs_late_after_it() {
    // The 08:30 slot has run; the service (re)starts at 08:31 with an
    // e-mail queued, and the mail server hangs while it is delivered.
    let app = TestApp::start().await;
    let pipeline = app.pipeline().await;
    app.clock.set(monday_at(8, 30));
    pipeline
        .run(RunTrigger::Slot, Some(monday_at(8, 30)), false)
        .await
        .unwrap();
    drop(pipeline);
    let mut server = StallingServer::start().await;
    send_mail_through(&app, &server);
    let pipeline = app.pipeline().await;
    app.clock.set(monday_at(8, 31));
    let mail = OutgoingMail {
        to: vec!["drift@test.stockholm.se".into()],
        cc: Vec::new(),
        subject: "Test".into(),
        text: "Test".into(),
        html: None,
        attachments: Vec::new(),
        message_id: "test-held".into(),
    };
    let queued = NewOutboxItem {
        kind: "email".into(),
        idempotency_key: "test-held".into(),
        payload: serde_json::to_value(&mail).unwrap(),
    };
    pipeline
        .store()
        .enqueue(&queued, app.clock.now())
        .await
        .unwrap();
    let (daemon, shutdown, task) = spawn_daemon_on(&app, pipeline);

    busy_delivering_until(&app, &mut server, monday_at(12, 5)).await;

    let noon = monday_at(12, 0);
    let runs = runs_once_slot_done(daemon.pipeline().store(), noon, monday_at(8, 31)).await;
    assert_eq!(
        runs,
        [(RunTrigger::Slot, Some(noon), monday_at(12, 5))],
        "the 12:00 slot runs once, late, after the delivery"
    );
    stop(shutdown, task).await;
}

#[tokio::test]
async fn a_slot_whose_time_passes_during_the_start_up_catch_up_runs_late_after_it() {
    // Monday 08:29: Friday's 15:30 slot was missed, and the catch-up run
    // hangs delivering its e-mails until after 08:30.
    let app = TestApp::start_at(monday_at(8, 29)).await;
    let mut server = StallingServer::start().await;
    send_mail_through(&app, &server);
    let (daemon, shutdown, task) = spawn_daemon(&app).await;

    busy_delivering_until(&app, &mut server, monday_at(8, 35)).await;

    let morning = monday_at(8, 30);
    let runs = runs_once_slot_done(daemon.pipeline().store(), morning, monday_at(8, 29)).await;
    let friday = monday_at(15, 30) - chrono::Duration::days(3);
    assert_eq!(
        runs,
        [
            (RunTrigger::CatchUp, Some(friday), monday_at(8, 29)),
            (RunTrigger::Slot, Some(morning), monday_at(8, 35)),
        ],
        "the 08:30 slot runs late, after the catch-up"
    );
    stop(shutdown, task).await;
}

/// Christmas Eve 2026, 03:30 in Stockholm: when the culling tests cull.
fn christmas_eve_culling() -> chrono::DateTime<Utc> {
    Stockholm
        .with_ymd_and_hms(2026, 12, 24, 3, 30, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// An app whose comments of 20–23 November are past a 30-day retention on
/// Christmas Eve, culled once a year at 03:30 that day. Its three slots are
/// on 23 November only, and the last of them has run, so the service does
/// no monitoring run while the clock moves a month ahead.
async fn app_due_for_culling_on_christmas_eve() -> (TestApp, Pipeline) {
    let app = TestApp::start().await;
    app.write_config_with(|toml| {
        let slots = "[\"0 30 8 23 Nov *\", \"0 31 8 23 Nov *\", \"0 32 8 23 Nov *\"]";
        let mut toml = toml.replace(
            "[\"0 30 8 * * Mon-Fri\", \"0 0 12 * * Mon-Fri\", \"0 30 15 * * Mon-Fri\"]",
            slots,
        );
        toml.push_str("[retention]\nordinary = \"30days\"\ncull_schedule = \"0 30 3 24 Dec *\"\n");
        toml
    });
    let pipeline = app.pipeline().await;
    let last_slot = Stockholm
        .with_ymd_and_hms(2026, 11, 23, 8, 32, 0)
        .unwrap()
        .with_timezone(&Utc);
    app.clock.set(last_slot);
    pipeline
        .run(RunTrigger::Slot, Some(last_slot), false)
        .await
        .unwrap();
    (app, pipeline)
}

/// What a culling on Christmas Eve would remove, before any hold.
async fn due_on_christmas_eve(pipeline: &Pipeline) -> Vec<CullItem> {
    let plan = retention::plan(
        pipeline.store(),
        &pipeline.config().retention,
        christmas_eve_culling(),
    )
    .await
    .unwrap();
    assert!(plan.to_cull.len() >= 2, "ordinary comments are due");
    plan.to_cull
}

/// Waits until the service has worked out its next culling, so moving the
/// clock cannot overtake it.
async fn wait_for_culling_at(daemon: &Daemon, at: chrono::DateTime<Utc>) {
    eventually("the culling time to be scheduled", || async {
        daemon.next_cull() == Some(at)
    })
    .await;
}

/// Whether the audit log holds an event of `kind`.
async fn audited(store: &kommentarsvakt::store::Store, kind: &str) -> bool {
    !store.audit_events(kind).await.unwrap().is_empty()
}

async fn stop(shutdown: CancellationToken, task: DaemonTask) {
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

const LIST_HEADER: &str = "# source: the city's own list (test)\n# licence: CC0-1.0\n";
const ADDED_TERM_LINE: &str = "kvastfena\texact\tcsam_indicator\tobvious\tboth\tlabel (test)\n";

#[tokio::test]
async fn word_lists_edited_while_running_take_effect_on_reload_and_a_broken_edit_keeps_the_old() {
    let app = TestApp::start().await;
    let lists = app.dir.path().join("ordlistor");
    let list_file = lists.join("sv/barnpornografi.txt");
    std::fs::create_dir_all(lists.join("sv")).unwrap();
    std::fs::write(
        &list_file,
        format!("{LIST_HEADER}pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n"),
    )
    .unwrap();
    let classify = format!("\n[classify]\nwordlists_dir = \"{}\"\n", lists.display());
    app.write_config_with(|toml| toml + &classify);
    let (daemon, shutdown, task, reload) = spawn_daemon_with_reload(&app).await;
    let store = daemon.pipeline().store().clone();
    let start = app.clock.now();
    let finished_runs = || {
        let store = store.clone();
        async move {
            store
                .runs_since(start - chrono::Duration::days(7))
                .await
                .unwrap()
                .iter()
                .filter(|r| r.status != "running")
                .count()
        }
    };
    eventually("the start-up catch-up run", || async {
        finished_runs().await >= 1
    })
    .await;
    // The city's list adds to the built-in one (no `# mode: replace`).
    let in_force = daemon.pipeline().classifier().term_count();

    // A moderator adds a term; SIGHUP.
    std::fs::write(
        &list_file,
        format!(
            "{LIST_HEADER}pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n{ADDED_TERM_LINE}"
        ),
    )
    .unwrap();
    reload.send(()).await.unwrap();
    eventually("the reload audited", || {
        audited(&store, "classify.reloaded")
    })
    .await;
    assert_eq!(daemon.pipeline().classifier().term_count(), in_force + 1);

    let page = app.sim.pages()[0].id.clone();
    let at = app.clock.now() + chrono::Duration::minutes(1);
    let flagged = app
        .sim
        .plant_comment(&page, at, "Byter kvastfena mot annat, skriv privat", None)
        .unwrap();
    let ordinary = app
        .sim
        .plant_comment(&page, at, "Fin bild på Stadshuset i dag", None)
        .unwrap();
    // A run of the running service's pipeline, before the next slot.
    let run_now = || async {
        app.clock.advance(chrono::Duration::minutes(2));
        daemon
            .pipeline()
            .run(RunTrigger::Manual, None, false)
            .await
            .unwrap()
    };
    run_now().await;
    assert!(
        app.sim.comment_state(&flagged.id).unwrap().hidden,
        "the term added while running is in force"
    );
    assert!(!app.sim.comment_state(&ordinary.id).unwrap().hidden);

    // A broken edit: the old lists stay in force, the error names file:line.
    std::fs::write(
        &list_file,
        format!(
            "{LIST_HEADER}snorkgrej\texact\tcsam_indicator\tobvious\tboth\tlabel\nen trasig rad utan kolumner\n"
        ),
    )
    .unwrap();
    reload.send(()).await.unwrap();
    eventually("the refused reload audited", || {
        audited(&store, "classify.reload_failed")
    })
    .await;
    let failed = store.audit_events("classify.reload_failed").await.unwrap();
    let error = failed[0].detail["error"].as_str().unwrap_or_default();
    let location = format!("{}, line 4", list_file.display());
    assert!(error.contains(&location), "{error}");
    assert_eq!(daemon.pipeline().classifier().term_count(), in_force + 1);
    eventually("operations told by e-mail", || async {
        app.mails()
            .iter()
            .any(|m| m.contains("drift@test.stockholm.se") && m.contains("ordlistor"))
    })
    .await;

    let at = app.clock.now() + chrono::Duration::minutes(1);
    let old_term = app
        .sim
        .plant_comment(&page, at, "Har mer kvastfena om någon vill", None)
        .unwrap();
    let new_term = app
        .sim
        .plant_comment(&page, at, "Har snorkgrej om någon vill", None)
        .unwrap();
    run_now().await;
    assert!(
        app.sim.comment_state(&old_term.id).unwrap().hidden,
        "the lists in force before the broken edit stay"
    );
    assert!(
        !app.sim.comment_state(&new_term.id).unwrap().hidden,
        "a term from the refused edit is not in force"
    );

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn the_service_culls_expired_records_at_the_scheduled_time_but_not_those_on_hold() {
    let (app, pipeline) = app_due_for_culling_on_christmas_eve().await;
    let due = due_on_christmas_eve(&pipeline).await;
    let held_comment = due[0].candidate.platform_comment_id.clone();
    pipeline
        .store()
        .place_legal_hold(
            HoldScope::Comment,
            &held_comment,
            "JO-ärende 77-2026",
            "jurist",
            app.clock.now(),
        )
        .await
        .unwrap();
    let (culled, held): (Vec<_>, Vec<_>) = due
        .iter()
        .partition(|item| item.candidate.platform_comment_id != held_comment);
    assert!(!culled.is_empty());
    let (daemon, shutdown, task) = spawn_daemon_on(&app, pipeline);
    let store = daemon.pipeline().store().clone();
    wait_for_culling_at(&daemon, christmas_eve_culling()).await;

    app.clock
        .set(christmas_eve_culling() - chrono::Duration::minutes(1));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        store.cullings().await.unwrap().is_empty(),
        "nothing is culled before the scheduled time"
    );

    app.clock.set(christmas_eve_culling());
    eventually("the scheduled culling", || async {
        !store
            .audit_events("archive.cull_scheduled")
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    let cullings = store.cullings().await.unwrap();
    assert_eq!(cullings.len(), 1);
    assert_eq!(cullings[0].culled_at, christmas_eve_culling());
    assert_eq!(cullings[0].culled_by, SCHEDULED_CULL_ACTOR);
    assert_eq!(cullings[0].records, culled.len() as i64);
    let protocol: CullingProtocol = serde_json::from_slice(
        &std::fs::read(app.archive_dir().join(&cullings[0].protocol_path)).unwrap(),
    )
    .unwrap();
    assert_eq!(protocol.culled_by, SCHEDULED_CULL_ACTOR);
    for item in &culled {
        let c = &item.candidate;
        assert!(protocol.records.iter().any(|r| r.comment_row == c.id));
        assert!(!app.archive_dir().join(&c.record_path).exists());
        assert!(store.comment(c.id).await.unwrap().is_none());
    }
    for item in &held {
        let c = &item.candidate;
        assert!(protocol.records.iter().all(|r| r.comment_row != c.id));
        assert!(
            app.archive_dir().join(&c.record_path).is_file(),
            "the record under legal hold is kept"
        );
        assert!(store.comment(c.id).await.unwrap().is_some());
    }
    let audit = store.audit_events("archive.cull_scheduled").await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].detail["culled"], culled.len());
    assert_eq!(audit[0].detail["held"], held.len());
    assert_eq!(audit[0].detail["protocol"], cullings[0].protocol_path);
    assert!(
        kommentarsvakt::archive::verify(&app.archive_dir())
            .unwrap()
            .is_intact()
    );
    assert_eq!(
        store
            .runs_since(christmas_eve_culling() - chrono::Duration::days(40))
            .await
            .unwrap()
            .len(),
        1,
        "no monitoring run besides the one before the service started"
    );
    stop(shutdown, task).await;
}

#[tokio::test]
async fn a_failed_scheduled_culling_is_audited_and_e_mailed_and_deletes_nothing() {
    let (app, pipeline) = app_due_for_culling_on_christmas_eve().await;
    let due = due_on_christmas_eve(&pipeline).await;
    // A file where the protocols' directory should be: no protocol can be
    // written, so nothing may be deleted.
    std::fs::write(app.archive_dir().join("culling"), b"").unwrap();
    let (daemon, shutdown, task) = spawn_daemon_on(&app, pipeline);
    let store = daemon.pipeline().store().clone();
    wait_for_culling_at(&daemon, christmas_eve_culling()).await;

    app.clock.set(christmas_eve_culling());
    let subject = "Systemproblem: den schemalagda gallringen misslyckades";
    eventually("a culling failure e-mail", || async {
        app.mails().iter().any(|m| mail_subject(m) == subject)
    })
    .await;
    let notice = app
        .mails()
        .into_iter()
        .find(|m| mail_subject(m) == subject)
        .unwrap();
    assert!(notice.contains("drift@test.stockholm.se"), "to operations");
    let failures = store.audit_events("archive.cull_failed").await.unwrap();
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0].detail["error"]
            .as_str()
            .unwrap()
            .contains("culling"),
        "{:?}",
        failures[0].detail
    );
    assert!(store.cullings().await.unwrap().is_empty());
    for item in &due {
        assert!(
            app.archive_dir()
                .join(&item.candidate.record_path)
                .is_file()
        );
        assert!(store.comment(item.candidate.id).await.unwrap().is_some());
    }
    stop(shutdown, task).await;
}

/// The decoded subject of a raw e-mail.
fn mail_subject(raw: &str) -> String {
    use mailparse::MailHeaderMap;
    mailparse::parse_mail(raw.as_bytes())
        .ok()
        .and_then(|m| m.headers.get_first_value("Subject"))
        .unwrap_or_default()
}

#[tokio::test]
async fn the_service_serves_the_console_whose_overview_follows_crisis_mode() {
    let app = TestApp::start().await;
    // A port free a moment ago: the daemon binds the configured address.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let web = format!("\n[web]\nlisten = \"127.0.0.1:{port}\"\ndemo_login = true\n");
    app.write_config_with(|toml| format!("{toml}{web}"));
    let (_daemon, shutdown, task) = spawn_daemon(&app).await;
    let base = format!("http://127.0.0.1:{port}");
    let login = format!("{base}/logga-in");
    eventually("the console answers", || async {
        reqwest::get(&login)
            .await
            .is_ok_and(|r| r.status().is_success())
    })
    .await;
    let mut browser = Browser::new(&base);
    browser.demo_login("moderator0@test.stockholm.se").await;
    assert!(
        browser
            .get("/oversikt")
            .await
            .body
            .contains("Krisläge är av")
    );

    app.write_config_with(|toml| {
        format!("{toml}{web}").replace("enabled = false", "enabled = true")
    });
    for _ in 0..3000 {
        if browser
            .get("/oversikt")
            .await
            .body
            .contains("Krisläge är på")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        browser
            .get("/oversikt")
            .await
            .body
            .contains("Krisläge är på")
    );

    stop(shutdown, task).await;
    eventually("the console stops with the service", || async {
        reqwest::get(&login).await.is_err()
    })
    .await;
}
