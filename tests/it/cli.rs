//! The binary as an operator uses it.

use std::process::Command;

fn kommentarsvakt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
}

#[test]
fn check_config_reports_three_different_mistakes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let reference =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.toml")).unwrap();
    let broken = reference
        .replacen("\"0 30 8 * * Mon-Fri\"", "\"30 8 * * 1-5\"", 1)
        .replacen(
            "moderators = [\"moderator.stadsledningskontoret@demo.stockholm.se\"]",
            "moderators = [\"inte en adress\"]",
            1,
        )
        .replacen(
            "department = \"kulturforvaltningen\"",
            "department = \"finns-inte\"",
            1,
        )
        .replace("demo-data/", &format!("{}/", dir.path().display()));
    std::fs::write(dir.path().join("simulator-token"), "x").unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, broken).unwrap();

    let out = kommentarsvakt()
        .arg("check-config")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code 2 for an invalid config; output:\n{stdout}"
    );
    for key in [
        "schedule.slots[0]",
        "accounts[0].moderators[0]",
        "accounts[1].department",
    ] {
        assert!(stdout.contains(key), "{key} reported in:\n{stdout}");
    }
    assert!(stdout.contains("3 problem"), "all three counted:\n{stdout}");
}

#[test]
fn check_config_names_a_bad_word_list_line_and_a_bad_hash_line_with_the_other_problems() {
    let dir = tempfile::tempdir().unwrap();
    let lists = dir.path().join("ordlistor");
    std::fs::create_dir_all(lists.join("sv")).unwrap();
    std::fs::write(
        lists.join("sv/olaga_hot.txt"),
        "# source: test\n# licence: CC0-1.0\nskjuta\tverb-ar\tviolence\tsäker\tnone\tto shoot\n",
    )
    .unwrap();
    let hashes = dir.path().join("hashes.txt");
    std::fs::write(&hashes, format!("{}\nzz\n", "ab".repeat(32))).unwrap();
    let demo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.toml")).unwrap();
    let broken = demo
        .replacen("\"0 30 8 * * Mon-Fri\"", "\"30 8 * * 1-5\"", 1)
        .replace("demo-data/", &format!("{}/", dir.path().display()))
        + &format!(
            "\n[classify]\nwordlists_dir = \"{}\"\nmedia_hash_list = \"{}\"\n",
            lists.display(),
            hashes.display()
        );
    std::fs::write(dir.path().join("simulator-token"), "x").unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, broken).unwrap();

    let out = kommentarsvakt()
        .arg("check-config")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    let list_line = format!(
        "classify.wordlists_dir: {}, line 3:",
        lists.join("sv/olaga_hot.txt").display()
    );
    let hash_line = format!("classify.media_hash_list: {}, line 2:", hashes.display());
    for expected in ["schedule.slots[0]", &list_line, &hash_line, "3 problem"] {
        assert!(stdout.contains(expected), "{expected} in:\n{stdout}");
    }
}

/// The demo config written into `dir`, with a word-list folder holding one
/// list `name` (provenance header and `body`); the config and the list.
fn demo_with_one_list(
    dir: &std::path::Path,
    name: &str,
    body: &str,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let lists = dir.join("ordlistor");
    let list = lists.join(name);
    std::fs::create_dir_all(list.parent().unwrap()).unwrap();
    std::fs::write(&list, format!("# source: test\n# licence: CC0-1.0\n{body}")).unwrap();
    let demo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.toml")).unwrap();
    let config = demo.replace("demo-data/", &format!("{}/", dir.display()))
        + &format!("\n[classify]\nwordlists_dir = \"{}\"\n", lists.display());
    std::fs::write(dir.join("simulator-token"), "x").unwrap();
    let file = dir.join("city.toml");
    std::fs::write(&file, config).unwrap();
    (file, list)
}

#[test]
fn classify_with_a_config_uses_the_citys_word_classes() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = demo_with_one_list(
        dir.path(),
        "sv/classes/street_endings.txt",
        "vret\tclearing, as in Tallvret\n",
    );
    let address = "Hon bor på Tallvret 4, lgh 1102";
    let categories = |with_config: bool| -> String {
        let mut command = kommentarsvakt();
        command.arg("classify");
        if with_config {
            command.arg("--config").arg(&file);
        }
        let out = command.arg(address).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(!categories(false).contains("\"address\""), "built-in lists");
    assert!(categories(true).contains("\"address\""), "the city's lists");
}

#[test]
fn check_config_names_a_word_class_file_that_names_no_class() {
    let dir = tempfile::tempdir().unwrap();
    let (file, misspelt) = demo_with_one_list(dir.path(), "sv/classes/negatoin.txt", "nåt\n");
    let out = kommentarsvakt()
        .arg("check-config")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    let expected = format!(
        "classify.wordlists_dir: {}: unknown word class",
        misspelt.display()
    );
    assert!(stdout.contains(&expected), "{expected} in:\n{stdout}");
}

/// The demo config with its data in `dir` (and the simulator token file
/// it reads written there).
fn demo_config_in(dir: &std::path::Path) -> String {
    std::fs::write(dir.join("simulator-token"), "x").unwrap();
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.toml"))
        .unwrap()
        .replace("demo-data/", &format!("{}/", dir.display()))
}

#[test]
fn check_config_accepts_the_demo_config_and_names_an_unknown_key() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_config_in(dir.path());
    let good = dir.path().join("good.toml");
    std::fs::write(&good, &demo).unwrap();
    let out = kommentarsvakt()
        .arg("check-config")
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let unknown = dir.path().join("unknown.toml");
    std::fs::write(
        &unknown,
        demo.replace("[crisis]\n", "[crisis]\nenbled = true\n"),
    )
    .unwrap();
    let out = kommentarsvakt()
        .arg("check-config")
        .arg(&unknown)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("crisis.enbled"));
}

#[tokio::test]
async fn a_second_writer_on_a_locked_archive_stops_at_once_naming_the_lock_and_its_holder() {
    let app = crate::support::app::TestApp::start().await;
    // This test process plays the service that writes the archive.
    let _service = kommentarsvakt::archive::Archive::open(app.archive_dir()).unwrap();
    let lock_file = app.archive_dir().join(kommentarsvakt::archive::LOCK_FILE);
    let run = |args: &[&str]| {
        kommentarsvakt()
            .args(args)
            .arg("--config")
            .arg(&app.config_path)
            .env("KOMMENTARSVAKT_LOG", "off")
            .output()
            .unwrap()
    };

    for command in [
        &["poll-once"][..],
        &["archive", "cull", "--by", "arkivarie"],
    ] {
        let out = run(command);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{command:?} must not run: {stderr}");
        assert!(
            stderr.contains(&lock_file.display().to_string()),
            "{command:?} names the lock file: {stderr}"
        );
        assert!(
            stderr.contains(&format!("(PID {})", std::process::id())),
            "{command:?} names the holder: {stderr}"
        );
    }
    assert!(
        app.sim.calls().is_empty(),
        "the refused poll-once fetched nothing"
    );

    // Readers take no lock.
    let verify = kommentarsvakt()
        .args(["archive", "verify", "--dir"])
        .arg(app.archive_dir())
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

/// `YYYYMM` of the month `months_back` months before this one.
fn linkedin_version_months_back(months_back: u32) -> String {
    let month = chrono::Utc::now()
        .date_naive()
        .checked_sub_months(chrono::Months::new(months_back))
        .unwrap();
    month.format("%Y%m").to_string()
}

/// The demo config with one LinkedIn account on `version` added.
fn demo_with_linkedin(dir: &std::path::Path, version: &str) -> std::path::PathBuf {
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.toml"))
        .unwrap()
        .replace("demo-data/", &format!("{}/", dir.display()));
    std::fs::write(dir.join("simulator-token"), "x").unwrap();
    let linkedin = format!(
        r#"
[[accounts]]
key = "demo-linkedin"
platform = "linkedin"
platform_id = "urn:li:organization:1000101"
name = "Stockholms stad på LinkedIn (simulerad)"
department = "stadsledningskontoret"
moderators = ["moderator.stadsledningskontoret@demo.stockholm.se"]
purpose = "Berätta om staden som arbetsgivare."
token_file = "{}/simulator-token"
api_version = "{version}"
"#,
        dir.display()
    );
    let file = dir.join(format!("linkedin-{version}.toml"));
    std::fs::write(&file, demo + &linkedin).unwrap();
    file
}

#[test]
fn check_config_warns_months_before_a_linkedin_version_is_sunset_and_fails_after() {
    let dir = tempfile::tempdir().unwrap();
    let check = |version: &str| {
        let out = kommentarsvakt()
            .arg("check-config")
            .arg(demo_with_linkedin(dir.path(), version))
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };

    let (code, stdout) = check(&linkedin_version_months_back(1));
    assert_eq!(code, Some(0), "{stdout}");
    assert!(!stdout.contains("LinkedIn-Version"), "{stdout}");

    // Ten months old: supported for two more months, so a warning.
    let soon = linkedin_version_months_back(10);
    let (code, stdout) = check(&soon);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "warning: accounts \"demo-linkedin\": LinkedIn-Version {soon}"
        )),
        "{stdout}"
    );

    // Thirteen months old: LinkedIn no longer serves it.
    let sunset = linkedin_version_months_back(13);
    let (code, stdout) = check(&sunset);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("was sunset on"), "{stdout}");
}

/// The platform's own name for an action the demo carried out, as the
/// summary must show it: what each platform's API calls the change.
fn platform_verb(platform: &str, kind: &str) -> &'static str {
    match (platform, kind) {
        ("facebook", "hide") => "is_hidden=true",
        ("instagram", "hide") => "hide=true",
        ("x", "hide") => "hidden=true",
        ("youtube", "hide") => "heldForReview",
        ("youtube", "delete") => "rejected",
        ("facebook" | "instagram" | "linkedin", "delete") => "DELETE",
        other => panic!("the demo carried out {other:?}"),
    }
}

/// The demo monitors one account on each of the five platforms: its
/// database holds comments and evidence from every one, and moderation
/// actions carried out with each platform's own verb; its summary shows
/// each platform's account with the same counts and verbs.
#[tokio::test]
async fn the_demo_monitors_and_moderates_an_account_on_every_platform() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let out = kommentarsvakt()
        .arg("demo")
        .arg("--data")
        .arg(&data)
        .args(["--cycles", "6"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let failed = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Konton som inte kunde läsas:"))
        .unwrap_or_else(|| panic!("the summary counts failed accounts:\n{stdout}"));
    assert_eq!(failed.trim(), "0", "{stdout}");
    let db = data.join("kommentarsvakt.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let per_platform: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.platform, a.key,
                COUNT(CASE WHEN c.state NOT IN ('own', 'platform_state') THEN 1 END),
                COUNT(DISTINCT c.record_sha256)
         FROM accounts a JOIN comments c ON c.account_id = a.id
         GROUP BY a.platform, a.key ORDER BY a.platform",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let platforms: Vec<&str> = per_platform.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        platforms,
        ["facebook", "instagram", "linkedin", "x", "youtube"],
        "{per_platform:?}"
    );
    let lines: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Per plattform"))
        .skip(1)
        .take(per_platform.len())
        .collect();
    for (platform, key, comments, records) in &per_platform {
        assert!(*comments > 0, "{platform}: no comments");
        assert!(*records > 0, "{platform}: no evidence records");
        let done: Vec<(String, i64)> = sqlx::query_as(
            "SELECT x.kind, COUNT(*) FROM actions x
             JOIN comments c ON c.id = x.comment_id JOIN accounts a ON a.id = c.account_id
             WHERE a.key = ? AND x.state = 'done' GROUP BY x.kind ORDER BY x.kind",
        )
        .bind(key)
        .fetch_all(&pool)
        .await
        .unwrap();
        assert!(
            !done.is_empty(),
            "{platform}: no moderation action carried out"
        );
        let line = lines
            .iter()
            .find(|l| l.contains(&format!(" {key} ")))
            .unwrap_or_else(|| panic!("no summary line for {key}:\n{stdout}"));
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(
            words[0].eq_ignore_ascii_case(platform),
            "{platform} named: {line}"
        );
        assert!(
            words
                .windows(2)
                .any(|w| w == ["kommentarer", comments.to_string().as_str()]),
            "{comments} comments in: {line}"
        );
        assert!(
            words
                .windows(2)
                .any(|w| w == ["bevisposter", records.to_string().as_str()]),
            "{records} evidence records in: {line}"
        );
        for (kind, n) in &done {
            let shown = format!("{} {n}", platform_verb(platform, kind));
            assert!(line.contains(&shown), "{shown} in: {line}");
        }
    }
}

/// `tickets list`, `report` and `archive verify` on `config`, each with
/// its output: the commands that only read what the service wrote.
fn reading_commands(config: &str) -> Vec<(Vec<String>, std::process::Output)> {
    let today = chrono::Utc::now().date_naive().to_string();
    [
        vec!["tickets", "--config", config, "list"],
        vec![
            "report", "--from", &today, "--to", &today, "--config", config,
        ],
        vec!["archive", "verify", "--config", config],
    ]
    .into_iter()
    .map(|args| {
        let out = kommentarsvakt()
            .args(&args)
            .env("KOMMENTARSVAKT_LOG", "off")
            .output()
            .unwrap();
        (args.into_iter().map(String::from).collect(), out)
    })
    .collect()
}

#[tokio::test]
async fn commands_that_read_the_services_data_work_without_the_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.toml");
    std::fs::write(&file, demo_config_in(dir.path())).unwrap();
    std::fs::remove_file(dir.path().join("simulator-token")).unwrap();
    let url = format!("sqlite://{}/kommentarsvakt.db", dir.path().display());
    kommentarsvakt::store::Store::connect(&url)
        .await
        .unwrap()
        .close()
        .await;
    std::fs::create_dir_all(dir.path().join("archive")).unwrap();
    let config = file.to_str().unwrap();
    for (args, out) in reading_commands(config) {
        assert!(
            out.status.success(),
            "{args:?} without the token:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = kommentarsvakt()
        .args(["check-config", config])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a real run would need the token"
    );
}

#[test]
fn commands_that_read_the_services_data_never_create_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.toml");
    std::fs::write(&file, demo_config_in(dir.path())).unwrap();
    let database = dir.path().join("kommentarsvakt.db");
    let config = file.to_str().unwrap();
    for (args, out) in reading_commands(config) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} fails:\n{stderr}");
        assert!(
            stderr.contains(&format!(
                "the database {} does not exist",
                database.display()
            )),
            "{args:?} names the missing database:\n{stderr}"
        );
        assert!(
            !database.exists(),
            "{args:?} created {}",
            database.display()
        );
    }
}

/// The demo config in `dir` with every account's token read from an
/// environment variable that the commands below run without.
fn demo_config_reading_the_token_from(dir: &std::path::Path, variable: &str) -> String {
    demo_config_in(dir).replace(
        &format!("token_file = \"{}/simulator-token\"", dir.display()),
        &format!("token_env = \"{variable}\""),
    )
}

/// `archive hold`/`archive release` on `config` from a shell without the
/// token variable; its output and whether it succeeded.
fn records_command(args: &[&str], config: &str, variable: &str) -> (bool, String) {
    let out = kommentarsvakt()
        .args(["archive"])
        .args(args)
        .args(["--config", config, "--by", "arkivarie"])
        .env("KOMMENTARSVAKT_LOG", "off")
        .env_remove(variable)
        .output()
        .unwrap();
    crate::support::outcome_of(&out)
}

#[tokio::test]
async fn an_archivist_places_and_releases_a_legal_hold_from_a_shell_without_the_secrets() {
    const TOKEN: &str = "KOMMENTARSVAKT_TEST_HOLD_TOKEN";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.toml");
    std::fs::write(&file, demo_config_reading_the_token_from(dir.path(), TOKEN)).unwrap();
    let config = file.to_str().unwrap();
    let hold = [
        "hold",
        "--account",
        "demo-stockholmsstad",
        "--reason",
        "Ärende KS 2026/17",
    ];
    let database = dir.path().join("kommentarsvakt.db");
    let (ok, out) = records_command(&hold, config, TOKEN);
    assert!(!ok && out.contains("does not exist"), "{out}");
    assert!(!database.exists(), "a hold never creates a database");

    let url = format!("sqlite://{}", database.display());
    let store = kommentarsvakt::store::Store::connect(&url).await.unwrap();
    let (ok, placed) = records_command(&hold, config, TOKEN);
    assert!(ok, "{placed}");
    assert!(
        placed.contains("Legal hold #1 placed on account demo-stockholmsstad"),
        "{placed}"
    );
    let holds = store.active_legal_holds().await.unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!(holds[0].subject, "demo-stockholmsstad");
    assert_eq!(holds[0].placed_by, "arkivarie");

    let (ok, mistyped) = records_command(
        &["hold", "--account", "demo-stockholm", "--reason", "x"],
        config,
        TOKEN,
    );
    assert!(
        !ok && mistyped.contains("no account demo-stockholm is known"),
        "{mistyped}"
    );

    let (ok, released) = records_command(
        &[
            "release",
            "--account",
            "demo-stockholmsstad",
            "--reason",
            "Ärendet avslutat",
        ],
        config,
        TOKEN,
    );
    assert!(ok, "{released}");
    assert!(
        released.contains("1 legal hold(s) released on account demo-stockholmsstad"),
        "{released}"
    );
    assert!(store.active_legal_holds().await.unwrap().is_empty());
    store.close().await;
}
