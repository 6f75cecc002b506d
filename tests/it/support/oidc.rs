//! A real OpenID Connect provider for the console's login tests: the
//! `oidc-provider` package (pinned by `tests/support/oidc/package-lock.json`)
//! run by `tests/support/oidc/provider.mjs` on a free loopback port, and a
//! browser that logs in through its real login form.
//!
//! Node.js and npm are needed; without them a test prints `SKIPPED: …` and
//! returns, unless `KOMMENTARSVAKT_REQUIRE_OIDC` is set (as `.ci/run` does,
//! after `.ci/setup-oidc` installed them), when it fails. The package is
//! installed with `npm ci` into that folder on first use.
//!
//! For browser tests: [`console_with_provider`] gives a served console whose
//! `[web.oidc]` points at a running [`Provider`]; the console's login page
//! has a button `#oidc-login`, the provider's page the fields `#login`,
//! `#password` and the button `#submit`; [`USERS`] and [`password`] say who
//! can log in.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;

use kommentarsvakt::web;
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::app::TestApp;
use super::web::{Answer, Browser, Console};

/// The console's client id at the test provider.
pub const CLIENT_ID: &str = "kommentarsvakt-konsol";
/// Its client secret (a test value; the config reads it from a file).
pub const CLIENT_SECRET: &str = "test-hemlighet-for-konsolen";

/// The provider's test users (login names) and the address each logs in as.
pub const USERS: [(&str, &str); 5] = [
    // Moderates konto-0 by the config's address list.
    ("moderator0", "moderator0@test.stockholm.se"),
    // The registry office by `web.registry`.
    ("registrator", "registrator@test.stockholm.se"),
    // The registry office only through the group GROUP_REGISTRY.
    ("gruppregistrator", "gruppregistrator@test.stockholm.se"),
    // Moderates konto-1 only through the group GROUP_MODERATORS_KONTO_1.
    ("gruppmoderator", "gruppmoderator@test.stockholm.se"),
    // In no role: only an unmapped group.
    ("utomstaende", "utomstaende@test.stockholm.se"),
];

/// The group (an Entra-style object id) the registry office is mapped from.
pub const GROUP_REGISTRY: &str = "6a1f0c52-3b1e-4c8a-9d51-0c2b7e9a1001";
/// The group whose members moderate konto-1.
pub const GROUP_MODERATORS_KONTO_1: &str = "6a1f0c52-3b1e-4c8a-9d51-0c2b7e9a1002";

/// The address a test user logs in as.
pub fn address_of(login: &str) -> &'static str {
    USERS
        .iter()
        .find(|(name, _)| *name == login)
        .map(|(_, address)| *address)
        .unwrap_or_else(|| panic!("{login} is not a test user"))
}

/// A test user's password at the provider.
pub fn password(login: &str) -> String {
    format!("losen-{login}")
}

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/oidc")
}

/// Whether Node.js and npm are here; reports the skip when they are not.
fn node_available() -> bool {
    let works = |program: &str| {
        std::process::Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if works("node") && works("npm") {
        return true;
    }
    assert!(
        std::env::var_os("KOMMENTARSVAKT_REQUIRE_OIDC").is_none(),
        "KOMMENTARSVAKT_REQUIRE_OIDC is set but Node.js or npm is missing (.ci/setup-oidc \
         installs them)"
    );
    super::skip("Node.js and npm are needed for the OpenID provider (.ci/setup-oidc)");
    false
}

/// Installs the pinned provider package once (`npm ci`).
fn ensure_installed() {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _once = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = provider_dir();
    if dir.join("node_modules/oidc-provider/package.json").exists() {
        return;
    }
    let output = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .expect("npm runs");
    assert!(
        output.status.success(),
        "npm ci in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running provider; killed when dropped.
pub struct Provider {
    /// Its issuer, `http://127.0.0.1:<port>`.
    pub issuer: String,
    _child: Child,
}

impl Provider {
    /// Starts a provider whose one client may redirect to `redirect_uri`;
    /// `None` (reported as skipped) without Node.js.
    pub async fn start(redirect_uri: &str) -> Option<Self> {
        if !node_available() {
            return None;
        }
        ensure_installed();
        let mut child = Command::new("node")
            .arg(provider_dir().join("provider.mjs"))
            .args(["--redirect-uri", redirect_uri])
            .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts the provider");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let issuer = loop {
            let line = lines
                .next_line()
                .await
                .expect("provider's stdout")
                .expect("the provider printed its issuer before exiting");
            if let Some(issuer) = line.strip_prefix("ISSUER ") {
                break issuer.trim().to_string();
            }
        };
        // Keep reading what it prints: a closed pipe would end the provider.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("oidc-provider: {line}");
            }
        });
        Some(Self {
            issuer,
            _child: child,
        })
    }
}

/// How the console under test is set up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Setup {
    /// The public address is https (as behind the city's TLS proxy), so
    /// cookies are `Secure` with the `__Host-` prefix.
    pub https: bool,
    /// The demo login is offered beside the provider (loopback only), so
    /// the login page shows both forms.
    pub demo_login: bool,
}

/// The `[web]` and `[web.oidc]` sections for a console at `public_url`
/// logging in through `issuer` (and, with `demo_login`, through the demo
/// login too); the secret is in a file under `dir`.
pub fn web_section(
    listen: &str,
    public_url: &str,
    issuer: &str,
    demo_login: bool,
    dir: &std::path::Path,
) -> String {
    let secret_file = dir.join("oidc-client-secret");
    std::fs::write(&secret_file, format!("{CLIENT_SECRET}\n")).expect("secret file");
    format!(
        r#"
[web]
listen = "{listen}"
public_url = "{public_url}"
demo_login = {demo_login}
registry = ["registrator@test.stockholm.se"]
operations = ["drift@test.stockholm.se"]

[web.oidc]
issuer = "{issuer}"
client_id = "{CLIENT_ID}"
client_secret_file = "{secret}"
user_claim = "preferred_username"
groups_claim = "groups"
registry_groups = ["{GROUP_REGISTRY}"]

[web.oidc.moderator_groups]
"{GROUP_MODERATORS_KONTO_1}" = ["konto-1"]
"#,
        secret = secret_file.display()
    )
}

/// A console after one monitoring slot, logging in through a running
/// provider. `None` when the test is skipped (no Node.js).
pub async fn console_with_provider(setup: Setup) -> Option<(TestApp, Console, Provider)> {
    let app = TestApp::start().await;
    let listener = web::bind("127.0.0.1:0".parse().expect("address"))
        .await
        .expect("console binds");
    let address = listener.local_addr().expect("local address");
    let scheme = if setup.https { "https" } else { "http" };
    let public_url = format!("{scheme}://{address}");
    let provider = Provider::start(&format!("{public_url}{}", web::oidc::CALLBACK_PATH)).await?;
    let section = web_section(
        &address.to_string(),
        &public_url,
        &provider.issuer,
        setup.demo_login,
        app.dir.path(),
    );
    app.write_config_with(|toml| format!("{toml}{section}"));
    let pipeline = app.pipeline().await;
    let slot = app.advance_to_next_slot(&pipeline);
    pipeline
        .run(kommentarsvakt::store::RunTrigger::Slot, Some(slot), false)
        .await
        .expect("a monitoring run");
    let console = Console::serve_on(listener, pipeline);
    Some((app, console, provider))
}

/// A browser with a cookie store that walks the login: the console's
/// button, the provider's form, the redirect back. Each step is its own
/// call so that tests can tamper with what travels between them.
pub struct OidcBrowser {
    http: reqwest::Client,
    console: String,
    public_url: String,
}

impl OidcBrowser {
    /// A browser for `console`, which the provider knows at `public_url`
    /// (the same address, or its https form behind a proxy).
    pub fn new(console: &Console, public_url: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            console: console.base.clone(),
            public_url: public_url.to_string(),
        }
    }

    /// A console URL as the provider names it, on the console's real address.
    fn on_console(&self, url: &str) -> String {
        match url.strip_prefix(&self.public_url) {
            Some(path) => format!("{}{path}", self.console),
            None => url.to_string(),
        }
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Opens the login page and presses the provider button; returns the
    /// authorization request URL the console sends the browser to.
    pub async fn begin(&self) -> String {
        let page = Self::answer(
            self.http
                .get(format!("{}/logga-in", self.console))
                .send()
                .await
                .expect("console answers"),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("id=\"oidc-login\""), "{}", page.body);
        let started = Self::answer(
            self.http
                .post(format!("{}{}", self.console, web::oidc::START_PATH))
                .form(&[("csrf", page.csrf().as_str()), ("till", "/")])
                .send()
                .await
                .expect("console answers"),
        )
        .await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
        started.location().to_string()
    }

    /// At the provider: follows `authorization_url`, fills in the login
    /// form as `login`, and returns the URL of the redirect back to the
    /// console (on the console's real address).
    pub async fn at_provider(&self, authorization_url: &str, login: &str) -> String {
        let mut url = authorization_url.to_string();
        for _ in 0..10 {
            let page =
                Self::answer(self.http.get(&url).send().await.expect("provider answers")).await;
            if page.status == StatusCode::OK {
                let action = form_action(&page.body).expect("the provider's login form");
                let base = reqwest::Url::parse(&url).expect("provider URL");
                let submitted = Self::answer(
                    self.http
                        .post(base.join(&action).expect("form action"))
                        .form(&[("login", login), ("password", &password(login))])
                        .send()
                        .await
                        .expect("provider answers"),
                )
                .await;
                assert_eq!(
                    submitted.status,
                    StatusCode::SEE_OTHER,
                    "{}",
                    submitted.body
                );
                url = submitted.location().to_string();
                continue;
            }
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            let next = page.location().to_string();
            if next.starts_with(&self.public_url) {
                return self.on_console(&next);
            }
            url = reqwest::Url::parse(&url)
                .and_then(|base| base.join(&next))
                .expect("redirect URL")
                .to_string();
        }
        panic!("the provider did not send the browser back to the console");
    }

    /// Follows the provider's redirect back to the console.
    pub async fn finish(&self, callback_url: &str) -> Answer {
        Self::answer(
            self.http
                .get(callback_url)
                .send()
                .await
                .expect("console answers"),
        )
        .await
    }

    /// The whole login as `login`; returns the console's answer to the
    /// redirect back.
    pub async fn log_in(&self, login: &str) -> Answer {
        let authorization = self.begin().await;
        let callback = self.at_provider(&authorization, login).await;
        self.finish(&callback).await
    }
}

/// The console's session cookie (`name=value`) a response sets, if any.
pub fn session_cookie(answer: &Answer) -> Option<String> {
    answer
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("kv_session=") || c.starts_with("__Host-kv_session="))
        .map(str::to_string)
}

/// A console [`Browser`] holding the session a successful login set.
pub fn browser_after(console: &Console, login: &Answer) -> Browser {
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    assert!(login.headers.get(LOCATION).is_some());
    let cookie = session_cookie(login).expect("the login sets the session cookie");
    let mut browser = console.browser();
    browser.cookie = Some(cookie.split(';').next().unwrap_or_default().to_string());
    browser
}

/// A console [`Browser`] logged in as `login` through the provider.
pub async fn logged_in_through_provider(console: &Console, login: &str) -> Browser {
    let answer = OidcBrowser::new(console, &console.base).log_in(login).await;
    browser_after(console, &answer)
}

fn form_action(html: &str) -> Option<String> {
    let form = &html[html.find("<form")?..];
    let start = form.find("action=\"")? + "action=\"".len();
    let end = form[start..].find('"')?;
    Some(form[start..start + end].replace("&amp;", "&"))
}

/// The query parameter `name` of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// `url` with the query parameter `name` set to `value`.
pub fn with_query_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).expect("URL");
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}
