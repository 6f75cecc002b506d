//! The moderators' console over a `TestApp`: the real router on a loopback
//! port, and a small client that keeps one person's session cookie and
//! reads the CSRF token out of the pages, as a browser would.

use std::net::SocketAddr;
use std::sync::Arc;

use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::web::{self, WebState};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::app::TestApp;

/// The `[web]` section the console tests run with: a loopback address and
/// the demo login, the registry office and operations named.
pub const WEB_SECTION: &str = r#"
[web]
listen = "127.0.0.1:0"
demo_login = true
registry = ["registrator@test.stockholm.se"]
operations = ["drift@test.stockholm.se"]
"#;

/// A served console.
pub struct Console {
    /// Its base address, `http://127.0.0.1:<port>`.
    pub base: String,
    /// The pipeline behind it.
    pub pipeline: Arc<Pipeline>,
    shutdown: CancellationToken,
}

impl Drop for Console {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Console {
    /// Serves the console over `pipeline` (built from a config with a
    /// `[web]` section).
    pub async fn serve(pipeline: Pipeline) -> Self {
        let listener = web::bind("127.0.0.1:0".parse().expect("address"))
            .await
            .expect("console binds");
        Self::serve_on(listener, pipeline)
    }

    /// Serves the console on a listener bound before the config was
    /// written (its address is in the config: the OpenID redirect URI).
    pub fn serve_on(listener: tokio::net::TcpListener, pipeline: Pipeline) -> Self {
        let web_config = pipeline.config().web.clone().expect("the config has [web]");
        let address: SocketAddr = listener.local_addr().expect("local address");
        let (_, crisis) = watch::channel(pipeline.config().crisis);
        let pipeline = Arc::new(pipeline);
        let state = WebState::new(pipeline.clone(), web_config, crisis);
        let shutdown = CancellationToken::new();
        tokio::spawn(web::serve(listener, state, shutdown.clone()));
        Self {
            base: format!("http://{address}"),
            pipeline,
            shutdown,
        }
    }

    /// A browser with no session yet.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A browser logged in through the demo login as `user`.
    pub async fn logged_in(&self, user: &str) -> Browser {
        let mut browser = self.browser();
        browser.demo_login(user).await;
        browser
    }
}

/// What a page answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        hidden_value(&self.body, "csrf").expect("the page has a form with a CSRF token")
    }
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// One person's browser: keeps the session cookie it is given.
pub struct Browser {
    base: String,
    http: reqwest::Client,
    /// `name=value` of the session cookie.
    pub cookie: Option<String>,
}

impl Browser {
    /// A browser with no session yet, for the console at `base`.
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookie: None,
        }
    }

    fn keep_cookie(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default().trim();
            if pair.starts_with("kv_session=") {
                self.cookie = Some(pair.to_string()).filter(|p| p != "kv_session=");
            }
        }
    }

    async fn answer(&mut self, response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        self.keep_cookie(&headers);
        let body = response.text().await.unwrap_or_default();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// GETs a path.
    pub async fn get(&mut self, path: &str) -> Answer {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        let response = request.send().await.expect("console answers");
        self.answer(response).await
    }

    /// POSTs a form to a path.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let mut request = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        let response = request.send().await.expect("console answers");
        self.answer(response).await
    }

    /// Logs in through the demo login.
    pub async fn demo_login(&mut self, user: &str) {
        let login = self.get("/logga-in").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        let csrf = login.csrf();
        let done = self
            .post(
                "/logga-in/demo",
                &[("csrf", &csrf), ("user", user), ("till", "/")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
}

/// A `TestApp` whose config also serves the console.
pub fn write_console_config(app: &TestApp, edit: impl FnOnce(String) -> String) {
    app.write_config_with(|toml| edit(format!("{toml}{WEB_SECTION}")));
}
