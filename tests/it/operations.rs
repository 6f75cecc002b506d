//! The service as operations run it: the real binary as a child process,
//! with what systemd gives a service (`JOURNAL_STREAM`, `NOTIFY_SOCKET`,
//! `WATCHDOG_USEC`, a umask, signals) played by the test. The journal and
//! the service manager are Unix datagram sockets the test binds and reads.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use chrono::Utc;
use kommentarsvakt::crashpoint::{CRASH_AT_ENV, HANG_AT_ENV};
use kommentarsvakt::telemetry::journald::JOURNAL_SOCKET_ENV;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::UnixDatagram;
use tokio::process::{Child, ChildStderr, Command};

use crate::support::app::TestApp;

/// Longest wait for something the service will do; exceeding it fails the
/// test. The machine is shared, so it is generous; nothing is timed.
const PATIENCE: Duration = Duration::from_secs(120);

/// The real binary with `args` on the app's config, with none of the
/// variables systemd or a test might have left in this process's
/// environment.
fn service(app: &TestApp, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"));
    command
        .args(args)
        .arg("--config")
        .arg(&app.config_path)
        .env("KOMMENTARSVAKT_LOG", "info,sqlx=warn")
        .env_remove(CRASH_AT_ENV)
        .env_remove(HANG_AT_ENV)
        .env_remove("JOURNAL_STREAM")
        .env_remove("NOTIFY_SOCKET")
        .env_remove("WATCHDOG_USEC")
        .env_remove("WATCHDOG_PID")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Reads `stderr` line by line until one contains `needle`; returns every
/// line read.
async fn stderr_until(
    stderr: &mut tokio::io::Lines<BufReader<ChildStderr>>,
    needle: &str,
) -> String {
    stderr_until_any(stderr, &[needle]).await
}

/// Reads `stderr` line by line until one contains any of `needles`;
/// returns every line read.
async fn stderr_until_any(
    stderr: &mut tokio::io::Lines<BufReader<ChildStderr>>,
    needles: &[&str],
) -> String {
    let mut seen = String::new();
    let found = tokio::time::timeout(PATIENCE, async {
        while let Some(line) = stderr.next_line().await.expect("stderr readable") {
            seen.push_str(&line);
            seen.push('\n');
            if needles.iter().any(|needle| line.contains(needle)) {
                return true;
            }
        }
        false
    })
    .await;
    assert!(
        found == Ok(true),
        "the service never logged any of {needles:?}; stderr:\n{seen}"
    );
    seen
}

/// Reads the rest of `stderr` in the background, so the service never
/// blocks on a full pipe; the task ends with the stream.
fn drain(mut stderr: tokio::io::Lines<BufReader<ChildStderr>>) -> tokio::task::JoinHandle<String> {
    tokio::spawn(async move {
        let mut rest = String::new();
        while let Ok(Some(line)) = stderr.next_line().await {
            rest.push_str(&line);
            rest.push('\n');
        }
        rest
    })
}

/// Sends `signal` to the process `pid` (negative: its process group).
fn send_signal(pid: i32, signal: i32) {
    // SAFETY: kill only sends a signal; the pid is our own child's.
    let sent = unsafe { libc::kill(pid, signal) };
    assert_eq!(sent, 0, "kill({pid}, {signal}) failed");
}

/// Stops the service as systemd does (SIGTERM) and waits for it to exit.
async fn terminate(child: &mut Child) -> std::process::ExitStatus {
    send_signal(child_pid(child), libc::SIGTERM);
    tokio::time::timeout(PATIENCE, child.wait())
        .await
        .expect("the service exits after SIGTERM")
        .expect("wait for the service")
}

fn child_pid(child: &Child) -> i32 {
    i32::try_from(child.id().expect("the child runs")).expect("a pid")
}

/// One journal entry in the native protocol, as its fields.
fn journal_fields(mut entry: &[u8]) -> Vec<(String, String)> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let mut fields = Vec::new();
    while let Some(end) = entry.iter().position(|b| *b == b'\n') {
        let line = &entry[..end];
        match line.iter().position(|b| *b == b'=') {
            Some(eq) => {
                fields.push((text(&line[..eq]), text(&line[eq + 1..])));
                entry = &entry[end + 1..];
            }
            None => {
                let rest = &entry[end + 1..];
                let len = u64::from_le_bytes(rest[..8].try_into().expect("a length")) as usize;
                fields.push((text(line), text(&rest[8..8 + len])));
                entry = &rest[9 + len..];
            }
        }
    }
    fields
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Receives journal entries until one's MESSAGE contains `needle`.
async fn journal_entry_with(journal: &UnixDatagram, needle: &str) -> Vec<(String, String)> {
    let mut buffer = vec![0u8; 256 * 1024];
    let mut messages = Vec::new();
    loop {
        let received = tokio::time::timeout(PATIENCE, journal.recv(&mut buffer)).await;
        let Ok(Ok(len)) = received else {
            panic!("no journal entry with {needle:?}; entries: {messages:#?}");
        };
        let fields = journal_fields(&buffer[..len]);
        let message = field(&fields, "MESSAGE").unwrap_or_default().to_string();
        if message.contains(needle) {
            return fields;
        }
        messages.push(message);
    }
}

#[tokio::test]
async fn under_systemd_warnings_reach_the_journal_with_their_priority() {
    let app = TestApp::start_at(Utc::now()).await;
    let socket_path = app.dir.path().join("journal.socket");
    let journal = UnixDatagram::bind(&socket_path).unwrap();
    // systemd connects stderr to the journal and names that stream in
    // JOURNAL_STREAM as "device:inode"; here the stream is a file.
    let stderr_path = app.dir.path().join("stderr.log");
    let stderr = std::fs::File::create(&stderr_path).unwrap();
    let stream = stderr.metadata().unwrap();
    let mut child = service(&app, &["run"])
        .env(
            "JOURNAL_STREAM",
            format!("{}:{}", stream.dev(), stream.ino()),
        )
        .env(JOURNAL_SOCKET_ENV, &socket_path)
        .stderr(stderr)
        .spawn()
        .unwrap();

    let info = journal_entry_with(&journal, "This instance leads the monitoring").await;
    let warning = journal_entry_with(&journal, "The last slot was missed").await;
    // As journald does, go on reading: a full socket blocks the logger.
    let reading = tokio::spawn(async move {
        let mut buffer = vec![0u8; 256 * 1024];
        while journal.recv(&mut buffer).await.is_ok() {}
    });
    assert!(terminate(&mut child).await.success());
    reading.abort();

    assert_eq!(field(&info, "PRIORITY"), Some("6"), "{info:?}");
    assert_eq!(field(&warning, "PRIORITY"), Some("4"), "{warning:?}");
    assert_eq!(field(&warning, "SYSLOG_IDENTIFIER"), Some("kommentarsvakt"));
    assert_eq!(field(&warning, "TARGET"), Some("kommentarsvakt::daemon"));
    let slot = field(&warning, "SLOT").expect("the event's fields are journal fields");
    assert!(
        field(&warning, "MESSAGE").is_some_and(|m| m.ends_with(&format!("slot={slot}"))),
        "journalctl's default output shows the fields too: {warning:?}"
    );
    let text = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(
        !text.contains("The last slot was missed"),
        "the warning went to the journal stream too, at the default priority:\n{text}"
    );
}

#[tokio::test]
async fn on_a_terminal_or_another_stream_logs_are_plain_text_and_the_journal_gets_nothing() {
    let app = TestApp::start_at(Utc::now()).await;
    let socket_path = app.dir.path().join("journal.socket");
    let journal = UnixDatagram::bind(&socket_path).unwrap();
    // A shell started by systemd passes JOURNAL_STREAM on, but this
    // process's stderr is a pipe of its own, not that stream.
    let mut child = service(&app, &["run"])
        .env("JOURNAL_STREAM", "8:12345")
        .env(JOURNAL_SOCKET_ENV, &socket_path)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let seen = stderr_until(&mut stderr, "The last slot was missed").await;
    let rest = drain(stderr);
    assert!(terminate(&mut child).await.success());
    rest.await.unwrap();

    let line = seen
        .lines()
        .find(|l| l.contains("The last slot was missed"))
        .unwrap();
    assert!(
        line.contains(" WARN ") && line.contains("kommentarsvakt::daemon"),
        "{line}"
    );
    let mut buffer = [0u8; 1024];
    assert!(
        journal.try_recv(&mut buffer).is_err(),
        "nothing is sent to the journal socket (the service has exited)"
    );
}

/// `kommentarsvakt run` under a service manager the test plays: the
/// notify socket the test reads and a watchdog interval of `watchdog`.
/// `WATCHDOG_PID` must be the service's own pid, so a shell sets it and
/// then becomes the service.
fn service_with_watchdog(app: &TestApp, notify: &Path, watchdog: Duration) -> Command {
    let mut command = Command::new("/bin/sh");
    command
        .arg("-c")
        .arg("WATCHDOG_PID=$$ exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["run", "--config"])
        .arg(&app.config_path)
        .env("KOMMENTARSVAKT_LOG", "warn")
        .env_remove(CRASH_AT_ENV)
        .env_remove(HANG_AT_ENV)
        .env_remove("JOURNAL_STREAM")
        .env("NOTIFY_SOCKET", notify)
        .env("WATCHDOG_USEC", watchdog.as_micros().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Receives notify messages until `count` of them carry `WATCHDOG=1`.
async fn watchdog_pings(notify: &UnixDatagram, count: usize) {
    let mut buffer = [0u8; 4096];
    let mut pings = 0;
    while pings < count {
        let len = tokio::time::timeout(PATIENCE, notify.recv(&mut buffer))
            .await
            .expect("the service keeps feeding the watchdog")
            .unwrap();
        let message = String::from_utf8_lossy(&buffer[..len]);
        pings += message.lines().filter(|l| *l == "WATCHDOG=1").count();
    }
}

#[tokio::test]
async fn the_watchdog_is_fed_by_the_main_loop_and_starves_when_a_run_hangs() {
    const WATCHDOG: Duration = Duration::from_millis(400);

    // Healthy: READY, then WATCHDOG=1 again and again.
    let app = TestApp::start_at(Utc::now()).await;
    let notify_path = app.dir.path().join("notify.socket");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    let mut healthy = service_with_watchdog(&app, &notify_path, WATCHDOG)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut buffer = [0u8; 4096];
    let len = tokio::time::timeout(PATIENCE, notify.recv(&mut buffer))
        .await
        .expect("the service says it is ready")
        .unwrap();
    assert!(String::from_utf8_lossy(&buffer[..len]).contains("READY=1"));
    watchdog_pings(&notify, 5).await;
    // As systemd does, go on reading: a full socket blocks the sender.
    let reading = tokio::spawn(async move {
        let mut buffer = [0u8; 4096];
        while notify.recv(&mut buffer).await.is_ok() {}
    });
    assert!(terminate(&mut healthy).await.success());
    reading.abort();

    // Hung: the run blocks before a platform call, as a stuck call would.
    let app = TestApp::start_at(Utc::now()).await;
    let notify_path = app.dir.path().join("notify.socket");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    let mut hung = service_with_watchdog(&app, &notify_path, WATCHDOG)
        .env(HANG_AT_ENV, "act.before_platform_call")
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(hung.stderr.take().unwrap()).lines();
    // Read (and discard) the notifications meanwhile, as systemd does: a
    // full socket would block the sender.
    let reading_notify = async {
        loop {
            let _ = notify.recv(&mut buffer).await;
        }
    };
    tokio::select! {
        _ = stderr_until(&mut stderr, "hang point act.before_platform_call reached") => {}
        () = reading_notify => {}
    }
    // Whatever was sent before the hang is history.
    while notify.try_recv(&mut buffer).is_ok() {}
    // systemd's own rule: no WATCHDOG=1 within WatchdogSec trips the
    // watchdog. A timer task beside the loop would go on sending them every
    // 200 ms; the loop that feeds it now is blocked, so none comes.
    let waited = 5 * WATCHDOG;
    let mut starved = true;
    let deadline = tokio::time::Instant::now() + waited;
    while let Ok(received) = tokio::time::timeout_at(deadline, notify.recv(&mut buffer)).await {
        let len = received.unwrap();
        if String::from_utf8_lossy(&buffer[..len]).contains("WATCHDOG=1") {
            starved = false;
            break;
        }
    }
    assert!(
        starved,
        "the hung service still fed the watchdog within {waited:?}"
    );
    assert_eq!(
        hung.try_wait().unwrap(),
        None,
        "the service hangs; it has not crashed"
    );
    hung.kill().await.unwrap();
}

/// The app's config with evidence images by Chromium at `chromium`
/// ("auto": the built-in renderer where Chromium fails).
fn with_chromium_at(toml: String, chromium: &Path) -> String {
    toml.replace(
        "screenshots = \"builtin\"",
        &format!(
            "screenshots = \"auto\"\nchromium_path = \"{}\"",
            chromium.display()
        ),
    )
}

/// A loopback port free a moment ago, for the metrics endpoint.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `/metrics` text once the first monitoring run is counted.
async fn metrics_after_a_run(port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}/metrics");
    for _ in 0..6000 {
        if let Ok(response) = reqwest::get(&url).await
            && let Ok(body) = response.text().await
            && body.contains("kommentarsvakt_runs_total{")
        {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{url} never showed a finished run");
}

/// The value of the one sample whose line starts with `series`.
fn sample(body: &str, series: &str) -> f64 {
    let line = body
        .lines()
        .find(|l| l.starts_with(series))
        .unwrap_or_else(|| panic!("no {series} in\n{body}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

/// Files under `dir` with `extension`, at any depth.
fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_with_extension(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found
}

#[tokio::test]
async fn metrics_have_help_build_info_outbox_gauges_fallbacks_and_run_durations() {
    let app = TestApp::start_at(Utc::now()).await;
    let port = free_port();
    // Chromium is wanted ("auto") but not there: every image is a fallback.
    app.write_config_with(|toml| {
        with_chromium_at(toml, Path::new("/nonexistent/chromium"))
            + &format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n")
    });
    let mut child = service(&app, &["run"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let body = metrics_after_a_run(port).await;
    assert!(terminate(&mut child).await.success());

    let families: Vec<&str> = body
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert!(families.len() >= 10, "{body}");
    for family in &families {
        assert!(
            body.lines()
                .any(|l| l.starts_with(&format!("# HELP {family} ")) && l.len() > family.len() + 20),
            "{family} has no HELP text:\n{body}"
        );
    }
    let build = body
        .lines()
        .find(|l| l.starts_with("kommentarsvakt_build_info{"))
        .unwrap_or_else(|| panic!("no build info:\n{body}"));
    assert!(
        build.contains(&format!("version=\"{}\"", env!("CARGO_PKG_VERSION")))
            && build.ends_with(" 1"),
        "{build}"
    );
    // The run delivered every e-mail it queued into the mail folder.
    assert_eq!(sample(&body, "kommentarsvakt_outbox_pending "), 0.0);
    assert_eq!(sample(&body, "kommentarsvakt_outbox_dead_letters "), 0.0);
    assert_eq!(
        sample(
            &body,
            "kommentarsvakt_run_duration_seconds_count{trigger=\"catchup\"}"
        ),
        1.0
    );
    assert!(
        body.contains("kommentarsvakt_run_duration_seconds_bucket{trigger=\"catchup\",le=\"0.5\"}"),
        "run durations are a histogram:\n{body}"
    );
    for stage in ["collect", "decide", "act", "notify", "deliver"] {
        assert_eq!(
            sample(
                &body,
                &format!("kommentarsvakt_run_stage_duration_seconds_count{{stage=\"{stage}\"}}")
            ),
            1.0
        );
    }
    // Every evidence image was drawn by the fallback, and counted.
    let images = files_with_extension(&app.archive_dir(), "png").len();
    assert!(images > 0, "the run photographed flagged comments");
    assert_eq!(
        sample(
            &body,
            "kommentarsvakt_screenshot_fallbacks_total{reason=\"not_installed\"}"
        ),
        images as f64
    );
    // And operations were told, once, with Chromium's error.
    let told: Vec<_> = app
        .mail_texts()
        .into_iter()
        .filter(|(subject, body)| {
            subject.contains("reservritaren") || body.contains("reservritaren")
        })
        .collect();
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(told[0].1.contains("/nonexistent/chromium"), "{}", told[0].1);
}

/// Permission bits of everything under `path` (itself included) that are
/// not `dirs` for a directory or `files` for a file.
fn modes_other_than(path: &Path, dirs: u32, files: u32) -> Vec<String> {
    let mut wrong = Vec::new();
    let metadata = std::fs::metadata(path).unwrap();
    let mode = metadata.permissions().mode() & 0o777;
    let expected = if metadata.is_dir() { dirs } else { files };
    if mode != expected {
        wrong.push(format!("{:o} {}", mode, path.display()));
    }
    if metadata.is_dir() {
        for entry in std::fs::read_dir(path).unwrap().flatten() {
            wrong.extend(modes_other_than(&entry.path(), dirs, files));
        }
    }
    wrong
}

/// `command` with umask 000 in the child, as a careless init script might.
fn with_umask_000(mut command: Command) -> Command {
    // SAFETY: umask is async-signal-safe and only sets the child's mask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    command
}

/// Runs `command` to its end and fails the test unless it succeeds;
/// returns its stderr.
async fn succeeds(mut command: Command) -> String {
    let output = command.stderr(Stdio::piped()).output().await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{:?}\n{stderr}", output.status);
    stderr
}

#[tokio::test]
async fn files_the_service_creates_are_private_whatever_the_umask() {
    let app = TestApp::start_at(Utc::now()).await;
    succeeds(with_umask_000(service(&app, &["poll-once"]))).await;
    let out = app.dir.path().join("export");
    let today = Utc::now().date_naive();
    let mut export = with_umask_000(service(&app, &["archive", "export"]));
    export
        .args(["--account", "konto-0", "--from"])
        .arg((today - chrono::Duration::days(5)).to_string())
        .arg("--to")
        .arg(today.to_string())
        .arg(&out);
    succeeds(export).await;

    let dir = app.dir.path();
    let database: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("kv.db"))
        })
        .collect();
    assert!(!database.is_empty());
    assert!(!app.mails().is_empty(), "the run wrote e-mails");
    assert!(
        !files_with_extension(&out, "xml").is_empty(),
        "the export wrote a package"
    );
    let mut wrong = Vec::new();
    for created in [app.archive_dir(), dir.join("mail"), out]
        .into_iter()
        .chain(database)
    {
        wrong.extend(modes_other_than(&created, 0o750, 0o640));
    }
    assert!(wrong.is_empty(), "not private:\n{}", wrong.join("\n"));
}

/// What is left in `tmp` (the `kommentarsvakt-chromium-*` profile, or
/// Chromium's own `org.chromium.*` files had they not gone into the
/// profile), and processes still using it.
fn chromium_leftovers(tmp: &Path) -> (Vec<String>, usize) {
    let folders = std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let marker = tmp.display().to_string();
    let processes = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .filter(|cmdline| String::from_utf8_lossy(cmdline).contains(&marker))
        .count();
    (folders, processes)
}

/// Waits until every process using a profile in `tmp` is gone (helpers
/// notice their browser's end a little later); returns what is left.
async fn chromium_leftovers_settled(tmp: &Path) -> (Vec<String>, usize) {
    for _ in 0..500 {
        let left = chromium_leftovers(tmp);
        if left.1 == 0 {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    chromium_leftovers(tmp)
}

#[tokio::test]
async fn the_demo_closes_chromium_and_removes_its_profile() {
    if crate::support::browser::chromium_or_skip().is_none() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let data = work.path().join("demo-data");
    let output = Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["demo", "--cycles", "1", "--data"])
        .arg(&data)
        .env("TMPDIR", &tmp)
        .env_remove("JOURNAL_STREAM")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("not closed manually"), "{stderr}");
    let photographed = files_with_extension(&data.join("archive"), "png");
    assert!(!photographed.is_empty(), "the demo photographed comments");
    assert_eq!(chromium_leftovers_settled(&tmp).await, (Vec::new(), 0));
}

#[tokio::test]
async fn sigterm_closes_chromium_and_removes_its_profile() {
    let Some(chromium) = crate::support::browser::chromium_or_skip() else {
        return;
    };
    for whole_group in [false, true] {
        let app = TestApp::start_at(Utc::now()).await;
        let tmp = app.dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        app.write_config_with(|toml| with_chromium_at(toml, &chromium));
        // systemd stops a unit by sending SIGTERM to every process in it
        // (KillMode=control-group), Chromium included; a terminal's Ctrl-C
        // reaches the whole process group too. `kill PID` reaches only the
        // service.
        let mut child = service(&app, &["run"])
            .env("TMPDIR", &tmp)
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        stderr_until(&mut stderr, "Monitoring run finished").await;
        let rest = drain(stderr);
        let (profiles, _) = chromium_leftovers(&tmp);
        assert!(
            profiles
                .iter()
                .any(|p| p.starts_with("kommentarsvakt-chromium-")),
            "Chromium runs with its profile in TMPDIR: {profiles:?}"
        );
        let pid = child_pid(&child);
        send_signal(if whole_group { -pid } else { pid }, libc::SIGTERM);
        let status = tokio::time::timeout(PATIENCE, child.wait())
            .await
            .expect("the service exits after SIGTERM")
            .unwrap();
        let rest = rest.await.unwrap();
        assert!(status.success(), "group {whole_group}: {status:?}\n{rest}");
        assert!(!rest.contains("not closed manually"), "{rest}");
        assert_eq!(
            chromium_leftovers_settled(&tmp).await,
            (Vec::new(), 0),
            "after SIGTERM to the {}",
            if whole_group {
                "process group"
            } else {
                "service"
            }
        );
    }
}

/// `prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN)`: the kernel's own
/// MemoryDenyWriteExecute (Linux 6.3+), which systemd uses for
/// `MemoryDenyWriteExecute=yes` where the kernel has it (a seccomp filter
/// with the same rule otherwise): no memory may become executable after it
/// was writable, which is what a JIT compiler needs. Inherited by children.
const PR_SET_MDWE: libc::c_int = 65;
const PR_MDWE_REFUSE_EXEC_GAIN: libc::c_ulong = 1;

/// `command` under MemoryDenyWriteExecute, as the unit runs the service.
fn with_memory_deny_write_execute(mut command: Command) -> Command {
    // SAFETY: prctl is async-signal-safe and only changes the child.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command
}

#[tokio::test]
async fn chromium_draws_evidence_under_memory_deny_write_execute() {
    let Some(chromium) = crate::support::browser::chromium_or_skip() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    // Without --jitless, V8 cannot set up its code space and the page's
    // script never runs: the sandbox bites.
    let page = "data:text/html,<script>document.write('JS-RAN-'+(6*7))</script>";
    let mut jit = with_memory_deny_write_execute(Command::new(&chromium));
    jit.args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("jit").display()
        ))
        .arg(page)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut jit = match jit.spawn() {
        Ok(child) => child,
        Err(error) if error.raw_os_error() == Some(libc::EINVAL) => {
            crate::support::skip(&format!(
                "this kernel has no PR_SET_MDWE (Linux 6.3+): {error}"
            ));
            return;
        }
        Err(error) => panic!("{error}"),
    };
    let mut stderr = BufReader::new(jit.stderr.take().unwrap()).lines();
    // Older Chromium logs V8's failure; 156.0.8078.114 (Debian 12's)
    // loses the renderer instead, which its crash reporter records.
    stderr_until_any(&mut stderr, &["V8 process OOM", "third_party/crashpad"]).await;
    jit.kill().await.unwrap();
    let mut printed = String::new();
    tokio::io::AsyncReadExt::read_to_string(jit.stdout.as_mut().unwrap(), &mut printed)
        .await
        .unwrap();
    assert!(!printed.contains("JS-RAN-42"), "{printed}");

    // The service, under the same rule, draws its images with Chromium.
    let app = TestApp::start_at(Utc::now()).await;
    app.write_config_with(|toml| with_chromium_at(toml, &chromium));
    let mut poll = with_memory_deny_write_execute(service(&app, &["poll-once"]));
    poll.env("TMPDIR", work.path());
    let stderr = succeeds(poll).await;
    let mut renderers = std::collections::BTreeMap::<String, usize>::new();
    for record in files_with_extension(&app.archive_dir().join("records"), "json") {
        let record: kommentarsvakt::archive::EvidenceRecord =
            serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
        if let Some(shot) = record.screenshot {
            *renderers.entry(shot.renderer).or_default() += 1;
        }
    }
    assert!(
        renderers.keys().eq(["chromium"]),
        "every image by Chromium: {renderers:?}\n{stderr}"
    );
    assert!(
        !app.mail_texts()
            .iter()
            .any(|(subject, body)| subject.contains("reservritaren")
                || body.contains("reservritaren")),
        "no fallback was told to operations"
    );
}
