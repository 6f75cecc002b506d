//! The long-running service: catch-up of a missed slot, crisis mode turned
//! on by editing the config file while running, shutdown.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use kommentarsvakt::clock::Clock;
use kommentarsvakt::daemon::Daemon;
use kommentarsvakt::store::RunTrigger;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::support::app::TestApp;

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
    let (daemon, shutdown, task, _reload) = spawn_daemon_with_reload(app).await;
    (daemon, shutdown, task)
}

/// Like [`spawn_daemon`], with the sender that stands in for SIGHUP.
async fn spawn_daemon_with_reload(
    app: &TestApp,
) -> (Arc<Daemon>, CancellationToken, DaemonTask, mpsc::Sender<()>) {
    let daemon = Arc::new(Daemon::new(
        app.pipeline().await,
        Some(app.config_path.clone()),
    ));
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

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), task)
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
    assert_eq!(daemon.pipeline().classifier().term_count(), 1);

    // A moderator adds a term; SIGHUP.
    std::fs::write(
        &list_file,
        format!(
            "{LIST_HEADER}pthc\texact\tcsam_indicator\tobvious\tboth\tlabel\n{ADDED_TERM_LINE}"
        ),
    )
    .unwrap();
    reload.send(()).await.unwrap();
    eventually("the reload audited", || async {
        !store
            .audit_events("classify.reloaded")
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    assert_eq!(daemon.pipeline().classifier().term_count(), 2);

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
    // A run of the running service's pipeline, before the next slot (a
    // slot reached while the loop is busy with a reload would be skipped).
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
    eventually("the refused reload audited", || async {
        !store
            .audit_events("classify.reload_failed")
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    let failed = store.audit_events("classify.reload_failed").await.unwrap();
    let error = failed[0].detail["error"].as_str().unwrap_or_default();
    let location = format!("{}, line 4", list_file.display());
    assert!(error.contains(&location), "{error}");
    assert_eq!(daemon.pipeline().classifier().term_count(), 2);
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
