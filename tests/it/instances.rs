//! Two instances of the service on one PostgreSQL database and one shared
//! archive: one leads, the other stands by; when the leader dies mid-run
//! the standby takes over and finishes its work, and nothing is archived,
//! hidden or e-mailed twice.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::crash::{assert_recovered_on, binary};
use crate::support::app::TestApp;
use crate::support::db;

/// A running `kommentarsvakt run` and the lines it has logged.
struct Instance {
    child: tokio::process::Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Instance {
    fn start(app: &TestApp, crash_at: Option<&str>) -> Self {
        let mut command = binary(app, &["run"], crash_at);
        command
            .env("KOMMENTARSVAKT_LOG", "info,sqlx=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("the service starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr is piped");
        let sink = log.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        Self { child, log }
    }

    fn logged(&self, needle: &str) -> bool {
        self.log.lock().unwrap().iter().any(|l| l.contains(needle))
    }

    fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Waits until the instance has logged `needle`, or fails after a
    /// generous bound with what it logged.
    async fn wait_for(&self, needle: &str) {
        for _ in 0..1200 {
            if self.logged(needle) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never logged {needle:?}:\n{}", self.log_text());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_on_one_database_act_once_and_the_standby_finishes_a_dead_leaders_run() {
    let Some(pg) = db::postgres().await else {
        return;
    };
    let app = TestApp::start().await;
    let sqlite = format!("sqlite://{}/kv.db", app.dir.path().display());
    app.write_config_with(|toml| toml.replace(&sqlite, &pg.url));

    // The first instance leads and dies in its first run, after its third
    // hide; the second stands by meanwhile.
    let mut leader = Instance::start(&app, Some("act.after_platform_call:3"));
    leader.wait_for("leads the monitoring").await;
    let standby = Instance::start(&app, None);
    let status = leader.child.wait().await.expect("the leader ends");
    assert!(!status.success(), "the leader was to die mid-run");

    // The standby takes over, recognises the dead run, and finishes it.
    standby.wait_for("leads the monitoring").await;
    standby.wait_for("Monitoring run finished").await;
    assert!(
        standby.logged("marked interrupted"),
        "the dead leader's run is recognised:\n{}",
        standby.log_text()
    );
    let mut standby = standby;
    standby.child.start_kill().expect("stop the standby");
    let _ = standby.child.wait().await;

    assert_recovered_on(&app, &pg.url, "leader killed after its third hide").await;
}
