//! Real headless Chromium for the console's browser tests: Debian's
//! `chromium` (installed by `.ci/setup-chromium`) driven over the DevTools
//! protocol, one private profile per test, and axe-core (pinned in
//! `tests/support/axe/package-lock.json`, installed by `.ci/setup-axe`) run
//! inside the pages for the accessibility checks.
//!
//! Clicks and key presses are real input events, so the console's own
//! script and the browser's form handling do what they do for a person.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, InsertTextParams,
};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::layout::Point;
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use kommentarsvakt::archive::screenshot::{BROWSER_FLAGS, DEFAULT_CHROMIUM_PATH};
use serde::de::DeserializeOwned;
use tempfile::TempDir;
use tokio::task::JoinHandle;

/// How long one page may take to load after a navigation: generous, the
/// machine is shared. Exceeding it fails the test; nothing is timed.
const NAVIGATION_LIMIT: Duration = Duration::from_secs(60);

/// The WCAG 2.1 A and AA rule tags axe-core checks.
pub const WCAG_21_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// The browser binary, or `None` (with the reason printed) when it is
/// missing and `KOMMENTARSVAKT_REQUIRE_CHROMIUM` is not set.
pub fn chromium_or_skip() -> Option<PathBuf> {
    let path = std::env::var("KOMMENTARSVAKT_CHROMIUM")
        .unwrap_or_else(|_| DEFAULT_CHROMIUM_PATH.to_string());
    if Path::new(&path).exists() {
        return Some(PathBuf::from(path));
    }
    assert!(
        std::env::var_os("KOMMENTARSVAKT_REQUIRE_CHROMIUM").is_none(),
        "KOMMENTARSVAKT_REQUIRE_CHROMIUM is set but {path} is missing (bash .ci/setup-chromium)"
    );
    super::skip(&format!(
        "Chromium is not installed at {path} (bash .ci/setup-chromium installs it)"
    ));
    None
}

/// The pinned axe-core script, or `None` (with the reason printed) when it
/// is not installed and `KOMMENTARSVAKT_REQUIRE_AXE` is not set.
pub fn axe_or_skip() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support/axe/node_modules/axe-core/axe.min.js");
    if let Ok(source) = std::fs::read_to_string(&path) {
        return Some(source);
    }
    assert!(
        std::env::var_os("KOMMENTARSVAKT_REQUIRE_AXE").is_none(),
        "KOMMENTARSVAKT_REQUIRE_AXE is set but {} is missing (bash .ci/setup-axe)",
        path.display()
    );
    super::skip(&format!(
        "axe-core is not installed at {} (bash .ci/setup-axe installs it)",
        path.display()
    ));
    None
}

/// One running headless Chromium with its own profile, closed on drop.
pub struct Chromium {
    browser: Browser,
    handler: JoinHandle<()>,
    _profile: TempDir,
}

impl Chromium {
    /// Starts the browser at `executable`.
    pub async fn launch(executable: &Path) -> Self {
        let profile = tempfile::tempdir().expect("profile directory");
        let config = BrowserConfig::builder()
            .chrome_executable(executable)
            .user_data_dir(profile.path())
            .args(BROWSER_FLAGS)
            .viewport(Viewport {
                width: 1280,
                height: 900,
                device_scale_factor: Some(1.0),
                ..Viewport::default()
            })
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(NAVIGATION_LIMIT)
            .build()
            .expect("browser config");
        let (browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Self {
            browser,
            handler,
            _profile: profile,
        }
    }

    /// A new tab, `width` CSS pixels wide, on the console at `base`: one
    /// person's browser, with cookies of its own (a browser context apart
    /// from every other tab's).
    pub async fn tab(&self, base: &str, width: u32) -> Tab {
        let context = self
            .browser
            .create_browser_context(CreateBrowserContextParams::default())
            .await
            .expect("a browser context");
        let mut target = CreateTargetParams::new("about:blank");
        target.browser_context_id = Some(context);
        let page = self.browser.new_page(target).await.expect("a new tab");
        resize(&page, width, 900).await;
        Tab {
            page,
            base: base.to_string(),
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if let Some(child) = self.browser.get_mut_child() {
            let _ = child.as_mut_inner().start_kill();
        }
        self.handler.abort();
    }
}

/// One tab: what a person sees and does on the console.
pub struct Tab {
    page: Page,
    base: String,
}

impl Tab {
    /// Opens `path` on the console (or a full `http…` address) and waits
    /// until it has loaded.
    pub async fn open(&self, path: &str) {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        self.navigation_by(async {
            self.page.goto(url).await.expect("navigation starts");
        })
        .await;
    }

    /// Runs `action` (a click, a key press) and waits until the page it
    /// leads to has loaded: the old document carries a marker the new one
    /// does not.
    async fn navigation_by(&self, action: impl std::future::Future<Output = ()>) {
        let _: bool = self.eval("window.__kvOld = true").await;
        action.await;
        let deadline = tokio::time::Instant::now() + NAVIGATION_LIMIT;
        loop {
            let loaded = self
                .page
                .evaluate("window.__kvOld === undefined && document.readyState === 'complete'")
                .await
                .ok()
                .and_then(|r| r.into_value::<bool>().ok());
            if loaded == Some(true) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no new page within {NAVIGATION_LIMIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Evaluates a JavaScript expression in the page.
    pub async fn eval<T: DeserializeOwned>(&self, expression: &str) -> T {
        self.page
            .evaluate(expression)
            .await
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
            .into_value()
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// The page's address below the console: path and query.
    pub async fn path(&self) -> String {
        self.eval("location.pathname + location.search").await
    }

    /// The HTTP status the current page was served with.
    pub async fn status(&self) -> u16 {
        self.eval("performance.getEntriesByType('navigation')[0].responseStatus")
            .await
    }

    /// The text a person reads on the page.
    pub async fn text(&self) -> String {
        self.eval("document.body.innerText").await
    }

    /// Whether an element matches `selector`.
    pub async fn has(&self, selector: &str) -> bool {
        self.eval(&format!(
            "document.querySelector({}) !== null",
            js_string(selector)
        ))
        .await
    }

    /// Where the element `selector` is, scrolled into view: the middle of
    /// its box, for the mouse. Looked up by script rather than by the
    /// protocol's DOM node ids, which go stale across navigations.
    async fn middle_of(&self, selector: &str) -> Point {
        let found: Option<(f64, f64)> = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({});
                    if (!e) {{ return null; }}
                    e.scrollIntoView({{ block: 'center' }});
                    const r = e.getBoundingClientRect();
                    return [r.x + r.width / 2, r.y + r.height / 2]; }})()",
                js_string(selector)
            ))
            .await;
        let Some((x, y)) = found else {
            panic!(
                "no {selector} on {}:\n{}",
                self.path().await,
                self.text().await
            );
        };
        Point { x, y }
    }

    /// Clicks the element `selector` with the mouse.
    pub async fn click(&self, selector: &str) {
        let point = self.middle_of(selector).await;
        self.page
            .click(point)
            .await
            .unwrap_or_else(|e| panic!("click on {selector}: {e}"));
    }

    /// Clicks the element `selector` with the mouse and waits for the page
    /// it leads to.
    pub async fn click_to_page(&self, selector: &str) {
        self.navigation_by(self.click(selector)).await;
    }

    /// Clicks into the field `selector` and types `text` key by key.
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.click(selector).await;
        for key in text.chars() {
            let key = key.to_string();
            if chromiumoxide::keys::get_key_definition(&key).is_some() {
                self.press(&key).await;
            } else {
                // Not on a US keyboard (å, ä, ö): typed as text, the way an
                // input method would deliver it.
                self.page
                    .execute(InsertTextParams::new(key))
                    .await
                    .expect("text typed");
            }
        }
    }

    /// Presses `key` (a character, or a name such as `Enter` or `Tab`) on
    /// whatever has the focus, as the keyboard would: a key down (with the
    /// text it types, if any) and a key up, as Puppeteer sends them.
    pub async fn press(&self, key: &str) {
        let definition = chromiumoxide::keys::get_key_definition(key)
            .unwrap_or_else(|| panic!("no key {key} on a US keyboard"));
        let text = definition
            .text
            .or((definition.key.chars().count() == 1).then_some(definition.key));
        let event = |kind: DispatchKeyEventType| {
            let key_down = kind == DispatchKeyEventType::KeyDown;
            let mut event = DispatchKeyEventParams::builder()
                .r#type(kind)
                .key(definition.key)
                .code(definition.code)
                .windows_virtual_key_code(definition.key_code)
                .native_virtual_key_code(definition.key_code);
            if let (true, Some(text)) = (key_down, text) {
                event = event.text(text);
            }
            event.build().expect("key event")
        };
        let down = if text.is_some() {
            DispatchKeyEventType::KeyDown
        } else {
            DispatchKeyEventType::RawKeyDown
        };
        for kind in [down, DispatchKeyEventType::KeyUp] {
            self.page
                .execute(event(kind))
                .await
                .unwrap_or_else(|e| panic!("key {key}: {e}"));
        }
    }

    /// Presses `key` and waits for the page it leads to.
    pub async fn press_to_page(&self, key: &str) {
        self.navigation_by(self.press(key)).await;
    }

    /// The axe-core violations of WCAG 2.1 A/AA on the current page, each
    /// as `rule: help — element, element`. `axe` is the library's source,
    /// run through the DevTools protocol (which the console's CSP does not
    /// restrict; a `<script>` tag would be refused, as it should be).
    pub async fn axe_violations(&self, axe: &str) -> Vec<String> {
        let _: bool = self.eval(&format!("{axe}\n;true")).await;
        let tags = serde_json::to_string(&WCAG_21_AA).expect("tags");
        let run = format!(
            "(async () => {{
                const result = await axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }} }});
                return result.violations.map(v => v.id + ': ' + v.help + ' — '
                    + v.nodes.map(n => n.target.join(' ')).join(', '));
            }})()"
        );
        let evaluated = self
            .page
            .evaluate_expression(
                chromiumoxide::cdp::js_protocol::runtime::EvaluateParams::builder()
                    .expression(run)
                    .await_promise(true)
                    .return_by_value(true)
                    .build()
                    .expect("evaluate params"),
            )
            .await
            .expect("axe runs");
        evaluated.into_value().expect("axe's violations")
    }

    /// Saves a PNG of the page as a window `width` pixels wide and as
    /// tall as the page (at most `max_height`) shows it.
    pub async fn screenshot(&self, path: &Path, width: u32, max_height: u32) {
        let height: u32 = self
            .eval("Math.ceil(document.documentElement.scrollHeight)")
            .await;
        self.resize(width, height.min(max_height)).await;
        self.page
            .save_screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .build(),
                path,
            )
            .await
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()));
        self.resize(width, 900).await;
    }

    /// Sets the window's size in CSS pixels.
    pub async fn resize(&self, width: u32, height: u32) {
        resize(&self.page, width, height).await;
    }
}

/// Sets `page`'s window size in CSS pixels (one device pixel each).
async fn resize(page: &Page, width: u32, height: u32) {
    page.execute(SetDeviceMetricsOverrideParams::new(
        i64::from(width),
        i64::from(height),
        1.0,
        false,
    ))
    .await
    .expect("window size set");
}

/// `text` as a JavaScript string literal.
pub fn js_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}
