//! The Chromium renderer: the card as an HTML page in headless Chromium,
//! screenshotted as PNG — the closest thing to what readers saw, with real
//! text shaping and colour emoji.
//!
//! One browser process serves every image: it is started on first use (or
//! by [`ChromiumRenderer::start`]), each image gets a fresh tab that is
//! closed afterwards, and the browser's own profile lives in a temporary
//! directory removed with it. If an image fails or times out, the browser
//! is assumed dead or hung: it is killed, started again, and the image is
//! tried once more. Every text is HTML-escaped and the page forbids scripts
//! and network access by its Content-Security-Policy, so a comment can
//! neither run code nor make the browser fetch anything.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chromiumoxide::cdp::browser_protocol::page::{CaptureScreenshotFormat, Viewport as Clip};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use tempfile::TempDir;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::{CardLine, Emphasis, EvidenceCard, Renderer, ScreenshotError, card_lines};

/// Where Debian's `chromium` package installs the browser.
pub const DEFAULT_CHROMIUM_PATH: &str = "/usr/bin/chromium";

/// Flags for running as a service (often as root, without a GPU) without
/// the browser phoning home. Given without `--`, as chromiumoxide wants.
const BROWSER_FLAGS: [&str; 6] = [
    "no-sandbox",
    "disable-gpu",
    "disable-background-networking",
    "no-first-run",
    "disable-component-update",
    "disable-sync",
];

/// The id of the card element that is screenshotted.
const CARD_ID: &str = "card";

/// How to run Chromium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChromiumOptions {
    /// The browser binary.
    pub executable: PathBuf,
    /// Longest time one image may take (tab, layout, screenshot); beyond it
    /// the browser is considered hung.
    pub render_timeout: Duration,
    /// Longest time the browser may take to start.
    pub launch_timeout: Duration,
}

impl Default for ChromiumOptions {
    fn default() -> Self {
        Self {
            executable: PathBuf::from(DEFAULT_CHROMIUM_PATH),
            render_timeout: Duration::from_secs(10),
            launch_timeout: Duration::from_secs(20),
        }
    }
}

/// Renders evidence cards in one reused headless Chromium.
pub struct ChromiumRenderer {
    options: ChromiumOptions,
    session: Mutex<Option<Arc<BrowserSession>>>,
    launches: AtomicU64,
}

/// One running browser: its connection, the task that drives the
/// connection, its process id and its private profile directory.
struct BrowserSession {
    browser: Browser,
    handler: JoinHandle<()>,
    pid: Option<u32>,
    profile: TempDir,
}

impl Drop for BrowserSession {
    fn drop(&mut self) {
        self.handler.abort();
    }
}

impl ChromiumRenderer {
    /// A renderer that starts the browser on first use.
    pub fn new(options: ChromiumOptions) -> Self {
        Self {
            options,
            session: Mutex::new(None),
            launches: AtomicU64::new(0),
        }
    }

    /// Starts the browser now rather than on the first image, so that a
    /// broken installation shows at startup and the first image is fast.
    pub async fn start(&self) -> Result<(), ScreenshotError> {
        self.session().await.map(|_| ())
    }

    /// The browser binary this renderer runs, for startup logs.
    pub fn executable(&self) -> &Path {
        &self.options.executable
    }

    /// How many times a browser process was started: 1 in normal operation,
    /// more after crashes (worth a metric).
    pub fn launches(&self) -> u64 {
        self.launches.load(Ordering::Relaxed)
    }

    /// The running browser's process id, if one is running.
    pub async fn browser_pid(&self) -> Option<u32> {
        self.session.lock().await.as_ref().and_then(|s| s.pid)
    }

    /// Closes the browser, for a clean service shutdown.
    pub async fn shutdown(&self) {
        let session = self.session.lock().await.take();
        if let Some(session) = session {
            stop(session).await;
        }
    }

    /// The running browser, started if there is none.
    async fn session(&self) -> Result<Arc<BrowserSession>, ScreenshotError> {
        let mut slot = self.session.lock().await;
        if let Some(session) = slot.as_ref() {
            return Ok(session.clone());
        }
        let session = Arc::new(self.launch().await?);
        self.launches.fetch_add(1, Ordering::Relaxed);
        tracing::info!(
            pid = ?session.pid,
            chromium = %self.executable().display(),
            profile = %session.profile.path().display(),
            "Started Chromium for evidence images"
        );
        *slot = Some(session.clone());
        Ok(session)
    }

    /// Forgets `failed` (unless another caller already replaced it) and
    /// stops its process.
    async fn discard(&self, failed: &Arc<BrowserSession>) {
        let mut slot = self.session.lock().await;
        if slot.as_ref().is_some_and(|s| Arc::ptr_eq(s, failed))
            && let Some(session) = slot.take()
        {
            drop(slot);
            stop(session).await;
        }
    }

    async fn launch(&self) -> Result<BrowserSession, ScreenshotError> {
        let start_error = |detail: String| ScreenshotError::BrowserStart {
            path: self.options.executable.display().to_string(),
            detail,
        };
        let profile = tempfile::Builder::new()
            .prefix("kommentarsvakt-chromium-")
            .tempdir()
            .map_err(|e| start_error(format!("no profile directory: {e}")))?;
        let config = BrowserConfig::builder()
            .chrome_executable(&self.options.executable)
            .user_data_dir(profile.path())
            .args(BROWSER_FLAGS)
            .viewport(Viewport {
                width: 900,
                height: 1000,
                device_scale_factor: Some(1.0),
                ..Viewport::default()
            })
            .launch_timeout(self.options.launch_timeout)
            .request_timeout(self.options.render_timeout)
            .build()
            .map_err(start_error)?;
        let (mut browser, mut handler) = Browser::launch(config)
            .await
            .map_err(|e| start_error(e.to_string()))?;
        let pid = browser
            .get_mut_child()
            .and_then(|child| child.as_mut_inner().id());
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if let Err(error) = event {
                    tracing::debug!(%error, "Chromium connection event failed");
                }
            }
        });
        Ok(BrowserSession {
            browser,
            handler,
            pid,
            profile,
        })
    }

    /// One attempt at one image, within the render timeout; the tab is
    /// closed whatever happens.
    async fn render_once(
        &self,
        session: &BrowserSession,
        html: &str,
    ) -> Result<Vec<u8>, ScreenshotError> {
        let timeout = self.options.render_timeout;
        let page = tokio::time::timeout(timeout, session.browser.new_page("about:blank"))
            .await
            .map_err(|_| ScreenshotError::Timeout(timeout))?
            .map_err(|e| ScreenshotError::Browser(format!("no new tab: {e}")))?;
        let result = tokio::time::timeout(timeout, screenshot_card(&page, html))
            .await
            .map_err(|_| ScreenshotError::Timeout(timeout))
            .and_then(|r| r);
        let _ = tokio::time::timeout(Duration::from_secs(2), page.close()).await;
        result
    }
}

/// Closes a browser that nobody else uses; one still in use elsewhere is
/// killed when its last user drops it.
async fn stop(session: Arc<BrowserSession>) {
    let Ok(mut session) = Arc::try_unwrap(session) else {
        return;
    };
    let closed = tokio::time::timeout(Duration::from_secs(3), session.browser.close()).await;
    if !matches!(closed, Ok(Ok(_))) {
        let _ = session.browser.kill().await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(3), session.browser.wait()).await;
}

#[async_trait]
impl Renderer for ChromiumRenderer {
    async fn render(&self, card: &EvidenceCard) -> Result<Vec<u8>, ScreenshotError> {
        let html = card_html(card, self.name());
        let session = self.session().await?;
        match self.render_once(&session, &html).await {
            Ok(png) => Ok(png),
            Err(error) => {
                tracing::warn!(%error, "Chromium failed on an evidence image; restarting it once");
                self.discard(&session).await;
                let session = self.session().await?;
                self.render_once(&session, &html).await
            }
        }
    }

    fn name(&self) -> &'static str {
        "chromium"
    }
}

/// Loads the card page into the tab and screenshots the card element.
async fn screenshot_card(page: &Page, html: &str) -> Result<Vec<u8>, ScreenshotError> {
    let browser_error = |e: chromiumoxide::error::CdpError| ScreenshotError::Browser(e.to_string());
    page.set_content(html).await.map_err(browser_error)?;
    let card = page
        .find_element(format!("#{CARD_ID}"))
        .await
        .map_err(browser_error)?;
    let bounds = card.bounding_box().await.map_err(browser_error)?;
    let clip = Clip {
        x: bounds.x,
        y: bounds.y,
        width: bounds.width,
        height: bounds.height,
        scale: 1.0,
    };
    page.screenshot(
        ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .clip(clip)
            .capture_beyond_viewport(true)
            .build(),
    )
    .await
    .map_err(browser_error)
}

/// Styles of the card page: fonts Debian ships (DejaVu for text, Noto Color
/// Emoji), text kept as written (`pre-wrap`) and wrapped anywhere if needed.
/// Emoji come first from the colour emoji font, limited to the emoji blocks
/// (it also has digits, which must stay in the text font).
const CARD_CSS: &str = "\
@font-face{font-family:'Kv Emoji';src:local('Noto Color Emoji');\
unicode-range:U+1F000-1FAFF,U+2600-27BF,U+2B00-2BFF,U+FE0F,U+200D}\
body{margin:0;background:#fff}\
#card{box-sizing:border-box;width:800px;padding:24px;background:#fff;color:#000;\
font-family:'Kv Emoji','DejaVu Sans','Noto Color Emoji','Symbola',sans-serif}\
.title{font-size:24px;font-weight:bold;margin-bottom:10px}\
.meta{font-size:15px;color:#282828;margin:4px 0}\
.label{color:#6e6e6e}\
.body{font-size:19px;margin:12px 0;padding:12px 0;border-top:1px solid #c8c8c8;\
border-bottom:1px solid #c8c8c8}\
.footer{font-size:12px;color:#5a5a5a;margin-top:10px}\
.meta,.body,.footer{white-space:pre-wrap;overflow-wrap:anywhere}";

/// The card as a self-contained HTML page. Every text goes through
/// [`escape_html`]; the Content-Security-Policy forbids scripts and any
/// fetch, as a second wall should escaping ever be bypassed.
pub(crate) fn card_html(card: &EvidenceCard, renderer: &str) -> String {
    let lines: String = card_lines(card, renderer).iter().map(line_html).collect();
    format!(
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <style>{CARD_CSS}</style></head>\
         <body><div id=\"{CARD_ID}\">{lines}</div></body></html>"
    )
}

fn line_html(line: &CardLine) -> String {
    let class = match line.emphasis {
        Emphasis::Title => "title",
        Emphasis::Meta => "meta",
        Emphasis::Body => "body",
        Emphasis::Footer => "footer",
    };
    let label = line
        .label
        .map(|l| format!("<span class=\"label\">{}: </span>", escape_html(l)))
        .unwrap_or_default();
    format!(
        "<div class=\"{class}\">{label}{}</div>",
        escape_html(&line.value)
    )
}

/// Escapes text for HTML element content and attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{card_with_text, chromium_or_skip, decode, ink_pixels};
    use super::*;

    /// Main browser processes (not renderers or helpers) using this
    /// session's profile directory, from /proc.
    fn browser_processes(profile: &Path) -> usize {
        let marker = format!("--user-data-dir={}", profile.display());
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|entry| std::fs::read(entry.ok()?.path().join("cmdline")).ok())
            .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
            .filter(|cmdline| cmdline.contains(&marker) && !cmdline.contains("--type="))
            .count()
    }

    #[test]
    fn comment_markup_is_escaped_in_the_page() {
        let card = card_with_text("<script>alert('x')</script><img src=x onerror=alert(1)> & \"");
        let html = card_html(&card, "chromium");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(html.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;"
        ));
        assert!(html.contains("default-src 'none'"));
    }

    #[test]
    fn every_card_field_is_escaped() {
        let mut card = card_with_text("ok");
        card.account_name = "<b>konto</b>".to_string();
        card.author = Some("<i>skribent</i>".to_string());
        card.post_excerpt = Some("<u>inlägg</u>".to_string());
        card.permalink = Some("https://x.se/?a=1&b=<2>".to_string());
        card.record_ref = "<hash>".to_string();
        let html = card_html(&card, "chromium");
        for tag in ["<b>", "<i>", "<u>", "<2>", "<hash>"] {
            assert!(!html.contains(tag), "{tag} not escaped");
        }
        assert!(html.contains("a=1&amp;b=&lt;2&gt;"));
    }

    #[tokio::test]
    async fn renders_a_valid_png_of_the_card() {
        let Some(renderer) = chromium_or_skip("renders_a_valid_png_of_the_card") else {
            return;
        };
        let png = renderer
            .render(&card_with_text("Det här är en vanlig kommentar."))
            .await
            .unwrap();
        let image = decode(&png);
        assert_eq!(image.width(), 800);
        assert!(image.height() > 150, "height {}", image.height());
        assert!(ink_pixels(&image) > 5_000, "ink {}", ink_pixels(&image));
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn a_script_in_the_comment_is_shown_not_executed() {
        let Some(renderer) = chromium_or_skip("a_script_in_the_comment_is_shown_not_executed")
        else {
            return;
        };
        let text = "<script>document.title='pwned';document.body.innerHTML=''</script>";
        let html = card_html(&card_with_text(text), "chromium");
        let session = renderer.session().await.unwrap();
        let page = session.browser.new_page("about:blank").await.unwrap();
        page.set_content(&html).await.unwrap();
        let scripts: i64 = page
            .evaluate("document.querySelectorAll('script').length")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        let title: String = page
            .evaluate("document.title")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        let shown: String = page
            .evaluate("document.querySelector('.body').textContent")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        let source = page.content().await.unwrap();
        assert_eq!(scripts, 0);
        assert_ne!(title, "pwned");
        assert_eq!(shown, text);
        assert!(source.contains("&lt;script&gt;"));
        page.close().await.unwrap();
        drop(session);
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn one_browser_process_serves_several_images() {
        let Some(renderer) = chromium_or_skip("one_browser_process_serves_several_images") else {
            return;
        };
        for n in 0..4 {
            let png = renderer
                .render(&card_with_text(&format!("Kommentar nummer {n}")))
                .await
                .unwrap();
            decode(&png);
        }
        let session = renderer.session().await.unwrap();
        assert_eq!(renderer.launches(), 1);
        assert_eq!(browser_processes(session.profile.path()), 1);
        drop(session);
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn a_dead_browser_is_restarted_once() {
        let Some(renderer) = chromium_or_skip("a_dead_browser_is_restarted_once") else {
            return;
        };
        renderer.start().await.unwrap();
        let pid = renderer.browser_pid().await.unwrap();
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = renderer
            .render(&card_with_text("Efter kraschen"))
            .await
            .unwrap();
        decode(&png);
        assert_eq!(renderer.launches(), 2);
        assert_ne!(renderer.browser_pid().await, Some(pid));
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn swedish_letters_and_emoji_render_with_more_ink() {
        let Some(renderer) = chromium_or_skip("swedish_letters_and_emoji_render_with_more_ink")
        else {
            return;
        };
        let plain = decode(
            &renderer
                .render(&card_with_text("Bra jobbat"))
                .await
                .unwrap(),
        );
        let rich = decode(
            &renderer
                .render(&card_with_text("Bra jobbat åäö ÅÄÖ 😀👍❤️🎉"))
                .await
                .unwrap(),
        );
        assert!(ink_pixels(&rich) > ink_pixels(&plain) + 200);
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn long_text_wraps_into_a_taller_image() {
        let Some(renderer) = chromium_or_skip("long_text_wraps_into_a_taller_image") else {
            return;
        };
        let short = decode(&renderer.render(&card_with_text("Kort")).await.unwrap());
        let text = "Kommunen borde lyssna på invånarna i Söderort. ".repeat(60);
        let long = decode(&renderer.render(&card_with_text(&text)).await.unwrap());
        assert_eq!(long.width(), 800);
        assert!(long.height() > short.height() + 400, "{}", long.height());
        assert!(
            long.height() > 1000,
            "taller than the viewport: {}",
            long.height()
        );
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn a_missing_binary_is_a_start_error() {
        let renderer = ChromiumRenderer::new(ChromiumOptions {
            executable: PathBuf::from("/nonexistent/chromium"),
            ..ChromiumOptions::default()
        });
        let error = renderer.render(&card_with_text("Hej")).await.unwrap_err();
        assert!(
            matches!(error, ScreenshotError::BrowserStart { .. }),
            "{error}"
        );
    }
}
