//! `kommentarsvakt check-config` as an operator uses it: every mistake in
//! one pass with its file and line, account files in `conf.d/`, and a check
//! without secrets from an operator's shell.

use std::path::Path;
use std::process::{Command, Output};

fn check_config(args: &[&str], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .arg("check-config")
        .args(args)
        .arg(file)
        .env_remove("CREDENTIALS_DIRECTORY")
        .env("KOMMENTARSVAKT_LOG", "off")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The 1-based number of the first line of `text` that contains `needle`
/// (after `after`, a line number), so that expectations follow the text.
fn line_of(text: &str, needle: &str, after: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in the text"))
}

/// The problem lines of check-config's output (`  - file:line:col: key: …`).
fn problem_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  - "))
        .collect()
}

/// One valid account, `key` on `platform_id`, reading its token from `token`.
fn account(key: &str, platform_id: &str, token: &Path) -> String {
    format!(
        r#"
[[accounts]]
key = "{key}"
platform = "facebook"
platform_id = "{platform_id}"
name = "Konto {key}"
department = "slk"
moderators = ["moderator@stockholm.se"]
purpose = "Informera invånarna"
token_file = "{}"
"#,
        token.display()
    )
}

/// A valid main file: mail to a folder, one department, no accounts.
fn main_file(dir: &Path) -> String {
    format!(
        r#"[database]
url = "sqlite://{dir}/kv.db"

[archive]
dir = "{dir}/archive"

[mail]
from = "kommentarsvakt@stockholm.se"
transport = "folder"
folder = "{dir}/mail"

[[departments]]
key = "slk"
name = "Stadsledningskontoret"
"#,
        dir = dir.display()
    )
}

fn token_file(dir: &Path) -> std::path::PathBuf {
    let token = dir.join("token");
    std::fs::write(&token, "hemlig-token").unwrap();
    token
}

#[test]
fn ten_mistakes_of_different_kinds_are_reported_as_ten_lines_with_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let text = format!(
        r#"dryrun = true
{main}
[crisis]
enbled = true
interval = "tio minuter"

[polling]
concurrency = "många"

[policy]
obvious_illegal = "bränn"

[web]
listen = "127.0.0.1:8080"

[web.oidc]
issuer = "https://login.example.se"
client_id = "konsolen"
client_secret_file = "{token}"
registry_groups = "registratorer"
{first}purpos = "stavfel"
{second}"#,
        main = main_file(dir.path()).replace("[database]\n", "[database]\nfile = \"kv.db\"\n"),
        token = token.display(),
        first = account("stockholm-fb", "111", &token),
        second = account("stockholm-fb", "222", &token).replace("purpose = ", "# purpose = "),
    );
    let file = dir.path().join("kommentarsvakt.toml");
    std::fs::write(&file, &text).unwrap();
    let name = file.display().to_string();
    let second_account = line_of(&text, "[[accounts]]", line_of(&text, "purpos =", 0));

    let out = check_config(&[], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    let expected = [
        ("dryrun", line_of(&text, "dryrun", 0)),
        ("database.file", line_of(&text, "file = \"kv.db\"", 0)),
        ("crisis.enbled", line_of(&text, "enbled", 0)),
        ("polling.concurrency", line_of(&text, "concurrency", 0)),
        (
            "web.oidc.registry_groups",
            line_of(&text, "registry_groups", 0),
        ),
        ("accounts[0].purpos", line_of(&text, "purpos =", 0)),
        ("crisis.interval", line_of(&text, "tio minuter", 0)),
        ("policy.obvious_illegal", line_of(&text, "bränn", 0)),
        ("accounts[1].purpose", second_account),
        (
            "accounts[1].key",
            line_of(&text, "key = \"stockholm-fb\"", second_account),
        ),
    ];
    let lines = problem_lines(&shown);
    let mut in_file_order = expected.to_vec();
    in_file_order.sort_by_key(|(_, line)| *line);
    for &(key, line) in &in_file_order {
        let prefix = format!("{name}:{line}:");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&prefix) && l.contains(&format!(": {key}: "))),
            "{key} at line {line} in:\n{shown}"
        );
    }
    assert_eq!(
        lines.len(),
        expected.len(),
        "one line per mistake:\n{shown}"
    );
    let reported_keys: Vec<&str> = lines.iter().filter_map(|l| l.split(": ").nth(1)).collect();
    let keys_in_file_order: Vec<&str> = in_file_order.iter().map(|(key, _)| *key).collect();
    assert_eq!(
        reported_keys, keys_in_file_order,
        "in the order of the file"
    );
    assert!(
        shown.contains("web.oidc.registry_groups: expected a sequence, found string"),
        "{shown}"
    );
    assert!(
        shown.starts_with(&format!("{} problem(s) in {name}:", expected.len())),
        "{shown}"
    );
    assert!(!shown.contains("hemlig-token"), "{shown}");
}

/// A city that splits its configuration: the accounts of each department
/// in a file of its own in `conf.d/`, merged in the order of their names.
#[test]
fn conf_d_account_files_are_merged_and_their_mistakes_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let file = dir.path().join("kommentarsvakt.toml");
    std::fs::write(
        &file,
        main_file(dir.path()) + &account("stadshuset", "100", &token),
    )
    .unwrap();
    let conf_d = dir.path().join("conf.d");
    std::fs::create_dir(&conf_d).unwrap();
    let first = conf_d.join("10-kultur.toml");
    let kultur = "[[departments]]\nkey = \"kultur\"\nname = \"Kulturförvaltningen\"\n".to_string()
        + &account("kulturhuset", "200", &token).replace("\"slk\"", "\"kultur\"");
    std::fs::write(&first, &kultur).unwrap();
    let second = conf_d.join("20-idrott.toml");
    let idrott = account("idrott", "300", &token) + &account("bad", "301", &token);
    std::fs::write(&second, &idrott).unwrap();
    // Not a *.toml file: not read.
    std::fs::write(conf_d.join("30-utkast.toml~"), "trasig = [").unwrap();

    let out = check_config(&[], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("OK (4 account(s))"), "{shown}");

    // A mistake in the second file, and an account key the first file uses.
    let broken = idrott
        .replacen("platform = \"facebook\"", "platform = \"myspace\"", 1)
        .replacen("key = \"bad\"", "key = \"kulturhuset\"", 1)
        .replacen(
            "name = \"Konto bad\"",
            "name = \"Konto bad\"\nfarg = \"bla\"",
            1,
        );
    std::fs::write(&second, &broken).unwrap();
    let out = check_config(&[], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    let second_name = second.display().to_string();
    let kulturhuset = line_of(&broken, "key = \"kulturhuset\"", 0);
    for (key, line) in [
        ("accounts[2].platform", line_of(&broken, "myspace", 0)),
        ("accounts[3].key", kulturhuset),
        ("accounts[3].farg", line_of(&broken, "farg", 0)),
    ] {
        let at = format!("  - {second_name}:{line}:1: {key}: ");
        assert!(shown.contains(&at), "{at} in:\n{shown}");
    }
    assert!(shown.contains("is already used by accounts[1]"), "{shown}");
    assert_eq!(problem_lines(&shown).len(), 3, "{shown}");

    // Only accounts and departments belong in conf.d; a syntax error names
    // its file.
    std::fs::write(&second, format!("[crisis]\nenabled = true\n{idrott}")).unwrap();
    let shown = stdout(&check_config(&[], &file));
    assert!(
        shown.contains(&format!(
            "  - {second_name}:1:2: crisis: may not be set in a conf.d/"
        )),
        "{shown}"
    );
    std::fs::write(&second, "[[accounts]\n").unwrap();
    let out = check_config(&[], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.starts_with(&format!(
            "cannot read {second_name}: TOML syntax error at line 1"
        )),
        "{shown}"
    );
}

/// From an operator's shell, which holds none of the service's secrets:
/// everything else is checked, nothing secret is read, and the secrets a
/// real run needs are named.
#[test]
fn no_secrets_checks_everything_else_and_names_the_secrets_a_run_reads() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let missing = dir.path().join("finns-inte/token");
    let refresh = dir.path().join("finns-inte/refresh-token");
    let youtube = format!(
        r#"
[[accounts]]
key = "youtube"
platform = "youtube"
platform_id = "UC123"
name = "Stockholms stad på YouTube"
department = "slk"
moderators = ["moderator@stockholm.se"]
purpose = "Filmer om staden"

[accounts.oauth]
client_id = "klient"
client_secret_credential = "youtube-secret"
refresh_token_file = "{}"
"#,
        refresh.display()
    );
    let text = main_file(dir.path())
        + &account("fb-env", "1", &token).replace(
            &format!("token_file = \"{}\"", token.display()),
            "token_env = \"KV_TOKEN_SAKNAS\"",
        )
        + &account("fb-file", "2", &missing)
        + &youtube;
    let file = dir.path().join("kommentarsvakt.toml");
    std::fs::write(&file, &text).unwrap();

    // A real check reads them, and says which are missing.
    let out = check_config(&[], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    for key in [
        "accounts[0].token_env",
        "accounts[1].token_file",
        "accounts[2].oauth.client_secret_credential",
        "accounts[2].oauth.refresh_token_file",
    ] {
        assert!(shown.contains(&format!(": {key}: ")), "{key} in:\n{shown}");
    }

    let out = check_config(&["--no-secrets"], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("OK without secrets (3 account(s)); a real run reads 4 secret(s):"),
        "{shown}"
    );
    for needed in [
        "  - accounts[0].token_env: environment variable KV_TOKEN_SAKNAS".to_string(),
        format!("  - accounts[1].token_file: file {}", missing.display()),
        "  - accounts[2].oauth.client_secret_credential: systemd credential youtube-secret \
         (LoadCredential=youtube-secret:…)"
            .to_string(),
        format!(
            "  - accounts[2].oauth.refresh_token_file: file {}",
            refresh.display()
        ),
    ] {
        assert!(shown.contains(&needed), "{needed} in:\n{shown}");
    }

    // Every other mistake is still found, and so is a secret named twice.
    let broken = text
        .replacen("transport = \"folder\"", "transport = \"duva\"", 1)
        .replacen(
            "token_env = \"KV_TOKEN_SAKNAS\"",
            "token_env = \"KV_TOKEN_SAKNAS\"\ntoken_credential = \"fb\"",
            1,
        );
    std::fs::write(&file, &broken).unwrap();
    let out = check_config(&["--no-secrets"], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains(": mail.transport: \"duva\""), "{shown}");
    assert!(
        shown.contains(": accounts[0]: sets token_env and token_credential"),
        "{shown}"
    );
    assert_eq!(problem_lines(&shown).len(), 2, "{shown}");
}

/// An environment file copied from `deploy/kommentarsvakt.env.example` but
/// not filled in: the placeholder is named as such, not accepted as a token
/// that would fail at the platform later.
#[test]
fn a_secret_still_holding_the_examples_placeholder_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let text = main_file(dir.path())
        + &account("fb-env", "1", &token).replace(
            &format!("token_file = \"{}\"", token.display()),
            "token_env = \"KV_TOKEN_EXEMPEL\"",
        );
    let file = dir.path().join("kommentarsvakt.toml");
    std::fs::write(&file, &text).unwrap();
    let example = include_str!("../../deploy/kommentarsvakt.env.example");
    let placeholder = example
        .lines()
        .find_map(|line| line.strip_prefix("KOMMENTARSVAKT_TOKEN_STOCKHOLM_FACEBOOK="))
        .expect("the example defines the Facebook token");

    let out = Command::new(env!("CARGO_BIN_EXE_kommentarsvakt"))
        .args(["check-config"])
        .arg(&file)
        .env("KV_TOKEN_EXEMPEL", placeholder)
        .env("KOMMENTARSVAKT_LOG", "off")
        .output()
        .unwrap();
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains(
            "accounts[0].token_env: still holds the placeholder of \
             deploy/kommentarsvakt.env.example"
        ),
        "{shown}"
    );
}

/// A configuration written before the account register still loads; every
/// register field an account lacks is a warning line of its own, in
/// Swedish and English, and an account with a complete register has none.
#[test]
fn accounts_lacking_register_fields_are_named_one_line_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let complete = account("komplett", "2", &token)
        + r#"goals = ["Svara inom en arbetsdag"]
target_groups = ["Stockholmare"]
started = "2019-03-01"
status = "closing"
closing_date = "2027-06-30"
responsible = { name = "Anna Andersson", email = "anna.andersson@stockholm.se" }
"#;
    let partial = account("halvfardig", "3", &token)
        + r#"goals = ["Svara inom en arbetsdag"]
status = "closed"
responsible = { name = "Erik Eriksson" }
"#;
    let text = main_file(dir.path()) + &account("gammal", "1", &token) + &complete + &partial;
    let file = dir.path().join("kommentarsvakt.toml");
    std::fs::write(&file, &text).unwrap();
    let out = check_config(&[], &file);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    let warnings: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: accounts \"gammal\": goals: mätbara mål saknas / measurable goals are missing",
            "warning: accounts \"gammal\": target_groups: målgrupper saknas / target groups are missing",
            "warning: accounts \"gammal\": responsible.name: namn på utsedd ansvarig saknas / the responsible person's name is missing",
            "warning: accounts \"gammal\": responsible.email: e-postadress till utsedd ansvarig saknas / the responsible person's e-mail address is missing",
            "warning: accounts \"gammal\": started: startdatum saknas / the start date is missing",
            "warning: accounts \"gammal\": status: status (active/closing/closed) saknas / the status (active/closing/closed) is missing",
            "warning: accounts \"halvfardig\": target_groups: målgrupper saknas / target groups are missing",
            "warning: accounts \"halvfardig\": responsible.email: e-postadress till utsedd ansvarig saknas / the responsible person's e-mail address is missing",
            "warning: accounts \"halvfardig\": started: startdatum saknas / the start date is missing",
            "warning: accounts \"halvfardig\": closing_date: avslutsdatum saknas för ett konto som avslutas / the closing date of a closing or closed account is missing",
        ]
    );
    assert!(shown.contains("OK (3 account(s))"), "{shown}");
}
