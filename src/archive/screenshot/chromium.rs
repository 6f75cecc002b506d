//! The Chromium renderer: the card as an HTML page in headless Chromium,
//! screenshotted as PNG — the closest thing to what readers saw, with real
//! text shaping and colour emoji.
//!
//! One browser process serves every image: it is started on first use (or
//! by [`ChromiumRenderer::start`]) and its own profile lives in a temporary
//! directory removed with it. Images are drawn in parallel, each in a tab
//! of that browser taken from a bounded pool ([`ChromiumOptions::concurrency`]
//! tabs at most): a backlog of flagged comments is documented at the speed
//! of the machine's cores rather than of one tab's round trips. Tabs are
//! kept and reused between images, because opening a tab costs more than
//! drawing a card in it.
//!
//! If an image fails or times out, the browser is assumed dead or hung: it
//! is replaced by a new one and the image is tried once more. Every text is
//! HTML-escaped and the page forbids scripts and network access by its
//! Content-Security-Policy, so a comment can neither run code nor make the
//! browser fetch anything.
//!
//! # Where the time of one image goes
//!
//! Measured on two cores (`cargo bench --bench screenshot`, and variants
//! tried while writing this): a fresh tab per image (create, `set_content`
//! with its wait for the navigation lifecycle, element lookup, box model,
//! screenshot, close) made about 3 images/s, and no more with several at
//! once, since opening tabs does not overlap. Reusing the tab alone gave
//! 11–14 images/s. Now the page is written into a reused tab and measured
//! in one round trip (`LOAD_AND_MEASURE`) and one more round trip
//! captures the card's box, beyond the viewport only when the card is
//! taller than it. What remains is about 50–70 ms of Chromium's CPU per
//! image: the PNG encoding in the browser process (about 20 ms with the
//! fast encoder, 30–35 ms without), compositing in the GPU process (about
//! 10 ms, in software) and parsing, layout and paint in the renderer
//! (about 10 ms). The fast encoder is still lossless PNG; its files are
//! about a quarter larger, a fair price for a third more images per second.
//!
//! Every tab is opened in a window of its own. With several tabs in one
//! window, screenshots of the tabs behind the front one waited until the
//! timeout (Chromium 156, headless): a background tab makes no new frames.
//! Bringing each tab to the front first, as chromiumoxide's
//! `Page::screenshot` does, avoided that but let only one tab draw at a
//! time (about 10 images/s however many tabs).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams, PrintToPdfParams, Viewport as Clip,
};
use chromiumoxide::cdp::browser_protocol::target::CreateTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use tempfile::TempDir;
use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinHandle;

use super::{CardLine, Emphasis, EvidenceCard, Renderer, ScreenshotError, card_lines};

/// Where Debian's `chromium` package installs the browser.
pub const DEFAULT_CHROMIUM_PATH: &str = "/usr/bin/chromium";

/// Flags for running as a service (often as root, without a GPU) without
/// the browser phoning home. Given without `--`, as chromiumoxide wants.
/// Public so the console's browser tests run Chromium the same way.
///
/// `--js-flags=--jitless` runs V8 as an interpreter only: the systemd unit
/// sets `MemoryDenyWriteExecute=yes`, which refuses the writable and then
/// executable memory a JIT compiles into, and Chromium's renderers would
/// crash on every page. The card page runs no script of its own; only the
/// one expression that lays it out and measures it, which an interpreter
/// runs as well.
pub const BROWSER_FLAGS: [&str; 7] = [
    "no-sandbox",
    "disable-gpu",
    "disable-background-networking",
    "no-first-run",
    "disable-component-update",
    "disable-sync",
    "js-flags=--jitless",
];

/// The id of the card element that is screenshotted.
const CARD_ID: &str = "card";

/// The tab's viewport. A card is 800 px wide; one taller than the viewport
/// is captured beyond it (slower, so only then).
const VIEWPORT_WIDTH: u32 = 900;
const VIEWPORT_HEIGHT: u32 = 1000;

/// Replaces the tab's document by the card page and answers the card's box
/// once fonts are ready, in one round trip. `document.write` keeps the same
/// tab (and its renderer process) between images, and nothing waits for a
/// navigation lifecycle: the page is self-contained, there is nothing to
/// load. The first measurement lays the card out, which is what starts
/// loading the fonts it uses (the emoji font only for a text with emoji);
/// the second is taken once they are ready. Runs in the page's main world
/// through the DevTools protocol, which the page's Content-Security-Policy
/// does not restrict; the page itself still can run no script.
const LOAD_AND_MEASURE: &str = "async (html) => {\
document.open();document.write(html);document.close();\
const card = document.getElementById('card');\
card.getBoundingClientRect();\
await document.fonts.ready;\
const r = card.getBoundingClientRect();\
return [r.x, r.y, r.width, r.height];}";

/// Replaces a fresh tab's document by a whole page and answers once its
/// fonts are ready: how a page is loaded for printing (see
/// [`ChromiumRenderer::print_pdf`]).
const LOAD_PAGE: &str = "async (html) => {\
document.open();document.write(html);document.close();\
await document.fonts.ready;\
return true;}";

/// A4 in inches, as the DevTools protocol measures paper.
const A4_INCHES: (f64, f64) = (8.27, 11.69);

/// The printed footer: page number of the page count, in Swedish.
const PDF_FOOTER: &str = "<div style=\"font-size:8pt;width:100%;text-align:center;\
color:#444;font-family:sans-serif\">Sida <span class=\"pageNumber\"></span> av \
<span class=\"totalPages\"></span></div>";

/// How to run Chromium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChromiumOptions {
    /// The browser binary.
    pub executable: PathBuf,
    /// Longest time one image may take (tab, layout, screenshot); beyond it
    /// the browser is considered hung. Waiting for a free tab is not
    /// counted.
    pub render_timeout: Duration,
    /// Longest time the browser may take to start.
    pub launch_timeout: Duration,
    /// Most images drawn at once, each in its own tab: the pool never holds
    /// more tabs than this. See [`crate::config::DEFAULT_SCREENSHOT_CONCURRENCY`].
    pub concurrency: usize,
}

impl Default for ChromiumOptions {
    fn default() -> Self {
        Self {
            executable: PathBuf::from(DEFAULT_CHROMIUM_PATH),
            render_timeout: Duration::from_secs(10),
            launch_timeout: Duration::from_secs(20),
            concurrency: crate::config::DEFAULT_SCREENSHOT_CONCURRENCY,
        }
    }
}

/// Renders evidence cards in one reused headless Chromium, several at once.
/// Safe to share between tasks: each render takes its own tab.
pub struct ChromiumRenderer {
    options: ChromiumOptions,
    session: Mutex<Option<Arc<BrowserSession>>>,
    launches: AtomicU64,
    /// One permit per tab that may exist: a render holds one from before it
    /// takes a tab until it has put the tab back (or closed it), so tabs in
    /// use plus idle tabs never exceed the bound.
    tabs: Semaphore,
    /// The most tabs one browser had open at the same time.
    peak_tabs: AtomicUsize,
}

/// One running browser: its connection, the task that drives the
/// connection, its process id, its private profile directory and its idle
/// tabs.
struct BrowserSession {
    browser: Browser,
    handler: JoinHandle<()>,
    pid: Option<u32>,
    profile: TempDir,
    /// Tabs ready for the next image. A tab is only ever put back after an
    /// image succeeded in it, so an idle tab is known to work.
    idle: std::sync::Mutex<Vec<Page>>,
    /// Tabs of this browser that exist now, idle or in use.
    open_tabs: AtomicUsize,
}

impl BrowserSession {
    fn take_idle(&self) -> Option<Page> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    fn put_idle(&self, page: Page) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(page);
    }
}

impl Drop for BrowserSession {
    /// A session is normally closed by [`stop`]. One dropped while its
    /// browser still runs (the renderer dropped without
    /// [`ChromiumRenderer::shutdown`], or a replaced browser whose last
    /// image just gave up) is killed here and reaped, briefly blocking: a
    /// killed process exits within milliseconds, and no browser is left
    /// behind for the runtime to reap (which chromiumoxide would log as
    /// "Browser was not closed manually").
    fn drop(&mut self) {
        self.handler.abort();
        let Some(child) = self.browser.get_mut_child() else {
            return;
        };
        let child = child.as_mut_inner();
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        let _ = child.start_kill();
        let deadline = Instant::now() + Duration::from_secs(2);
        while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl ChromiumRenderer {
    /// A renderer that starts the browser on first use. A concurrency of 0
    /// is taken as 1.
    pub fn new(options: ChromiumOptions) -> Self {
        let tabs = Semaphore::new(options.concurrency.max(1));
        Self {
            options,
            session: Mutex::new(None),
            launches: AtomicU64::new(0),
            tabs,
            peak_tabs: AtomicUsize::new(0),
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

    /// How many images are drawn at once at most (tabs in the pool).
    pub fn concurrency(&self) -> usize {
        self.options.concurrency.max(1)
    }

    /// How many times a browser process was started: 1 in normal operation,
    /// more after crashes (worth a metric).
    pub fn launches(&self) -> u64 {
        self.launches.load(Ordering::Relaxed)
    }

    /// The most tabs one browser had open at once so far; never more than
    /// [`ChromiumRenderer::concurrency`].
    pub fn peak_tabs(&self) -> usize {
        self.peak_tabs.load(Ordering::Relaxed)
    }

    /// The running browser's process id, if one is running.
    pub async fn browser_pid(&self) -> Option<u32> {
        self.session.lock().await.as_ref().and_then(|s| s.pid)
    }

    /// Closes the browser (and with it every tab), for a clean service
    /// shutdown. Images still being drawn fail and fall back; a later
    /// image starts a new browser.
    pub async fn shutdown(&self) {
        let session = self.session.lock().await.take();
        if let Some(session) = session {
            stop(session).await;
        }
    }

    /// Prints the self-contained page `html` as an A4 PDF with the page
    /// number in a footer, in the same browser the evidence images use
    /// (started if none runs; stopped with it by
    /// [`ChromiumRenderer::shutdown`]). The page gets a tab of its own,
    /// closed afterwards, so nothing of an evidence card's page (its
    /// Content-Security-Policy) applies to it.
    pub async fn print_pdf(&self, html: &str) -> Result<Vec<u8>, ScreenshotError> {
        let _permit = self
            .tabs
            .acquire()
            .await
            .map_err(|_| ScreenshotError::Browser("the tab pool is closed".to_string()))?;
        let session = self.session().await?;
        let timeout = self.options.render_timeout;
        let page = tokio::time::timeout(timeout, session.browser.new_page("about:blank"))
            .await
            .map_err(|_| ScreenshotError::Timeout(timeout))?
            .map_err(|e| ScreenshotError::Browser(format!("no new tab: {e}")))?;
        let printed = tokio::time::timeout(timeout, print_page(&page, html))
            .await
            .map_err(|_| ScreenshotError::Timeout(timeout))
            .and_then(|r| r);
        let _ = tokio::time::timeout(Duration::from_secs(2), page.close()).await;
        printed
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
            tabs = self.concurrency(),
            "Started Chromium for evidence images"
        );
        *slot = Some(session.clone());
        Ok(session)
    }

    /// Forgets `failed` (unless another caller already replaced it) and
    /// stops its process, or leaves it to be killed when the last image
    /// still drawing in it gives up.
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
        // Chromium's own temporary files (`org.chromium.Chromium.*`) go
        // inside the profile too, so that they go with it even when the
        // browser was killed before it could remove them.
        let browser_tmp = profile.path().join("tmp");
        std::fs::create_dir(&browser_tmp)
            .map_err(|e| start_error(format!("no temporary directory: {e}")))?;
        let config = BrowserConfig::builder()
            .chrome_executable(&self.options.executable)
            .user_data_dir(profile.path())
            .env("TMPDIR", browser_tmp.to_string_lossy())
            .args(BROWSER_FLAGS)
            .viewport(Viewport {
                width: VIEWPORT_WIDTH,
                height: VIEWPORT_HEIGHT,
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
            idle: std::sync::Mutex::new(Vec::new()),
            open_tabs: AtomicUsize::new(0),
        })
    }

    /// A tab for one image: an idle one, or a new one (the caller holds a
    /// permit, so a new one stays within the bound).
    async fn tab(&self, session: &BrowserSession) -> Result<Page, ScreenshotError> {
        if let Some(page) = session.take_idle() {
            return Ok(page);
        }
        let timeout = self.options.render_timeout;
        // A window of its own, so the tab draws while others do (see the
        // module documentation).
        let mut target = CreateTargetParams::new("about:blank");
        target.new_window = Some(true);
        let page = tokio::time::timeout(timeout, session.browser.new_page(target))
            .await
            .map_err(|_| ScreenshotError::Timeout(timeout))?
            .map_err(|e| ScreenshotError::Browser(format!("no new tab: {e}")))?;
        let open = session.open_tabs.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_tabs.fetch_max(open, Ordering::Relaxed);
        Ok(page)
    }

    /// One attempt at one image, within the render timeout. The tab goes
    /// back to the pool when the image succeeded and is closed otherwise:
    /// after a failure its state is unknown.
    async fn render_once(
        &self,
        session: &BrowserSession,
        html: &str,
    ) -> Result<Vec<u8>, ScreenshotError> {
        let page = self.tab(session).await?;
        let timeout = self.options.render_timeout;
        let result = tokio::time::timeout(timeout, screenshot_card(&page, html))
            .await
            .map_err(|_| ScreenshotError::Timeout(timeout))
            .and_then(|r| r);
        match result {
            Ok(png) => {
                session.put_idle(page);
                Ok(png)
            }
            Err(error) => {
                let _ = tokio::time::timeout(Duration::from_secs(2), page.close()).await;
                session.open_tabs.fetch_sub(1, Ordering::Relaxed);
                Err(error)
            }
        }
    }
}

/// Closes a browser that nobody else uses; one still in use elsewhere is
/// killed when its last user drops it (see [`BrowserSession`]'s `Drop`).
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
        // Closed only if the renderer is being torn down; never in practice.
        let _permit = self
            .tabs
            .acquire()
            .await
            .map_err(|_| ScreenshotError::Browser("the tab pool is closed".to_string()))?;
        let session = self.session().await?;
        match self.render_once(&session, &html).await {
            Ok(png) => Ok(png),
            Err(error) => {
                tracing::warn!(%error, "Chromium failed on an evidence image; restarting it once");
                self.discard(&session).await;
                drop(session);
                let session = self.session().await?;
                self.render_once(&session, &html).await
            }
        }
    }

    fn name(&self) -> &'static str {
        "chromium"
    }

    fn concurrency(&self) -> usize {
        ChromiumRenderer::concurrency(self)
    }

    async fn shutdown(&self) {
        ChromiumRenderer::shutdown(self).await;
    }
}

/// Writes the card page into the tab, then screenshots the card's box as a
/// lossless PNG.
async fn screenshot_card(page: &Page, html: &str) -> Result<Vec<u8>, ScreenshotError> {
    let measured = write_page(page, LOAD_AND_MEASURE, html, "card page").await?;
    let [x, y, width, height]: [f64; 4] = measured
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| ScreenshotError::Browser("card page has no card box".to_string()))?;
    let capture = CaptureScreenshotParams::builder()
        .format(CaptureScreenshotFormat::Png)
        .clip(Clip {
            x,
            y,
            width,
            height,
            scale: 1.0,
        })
        .from_surface(true)
        .capture_beyond_viewport(y + height > f64::from(VIEWPORT_HEIGHT))
        .optimize_for_speed(true)
        .build();
    let data = page
        .execute(capture)
        .await
        .map_err(browser_error)?
        .result
        .data;
    decoded_as(
        AsRef::<str>::as_ref(&data),
        PNG_SIGNATURE,
        "the screenshot is not a PNG",
    )
}

/// Runs the loading `script` (a function of the page's HTML, such as
/// [`LOAD_AND_MEASURE`]) on `html` in `page`, and answers what it
/// returned; `what` names the page in errors.
async fn write_page(
    page: &Page,
    script: &str,
    html: &str,
    what: &str,
) -> Result<Option<serde_json::Value>, ScreenshotError> {
    let argument = serde_json::to_string(html)
        .map_err(|e| ScreenshotError::Browser(format!("{what} not encodable: {e}")))?;
    let load = EvaluateParams::builder()
        .expression(format!("({script})({argument})"))
        .await_promise(true)
        .return_by_value(true)
        .build()
        .map_err(ScreenshotError::Browser)?;
    let evaluated = page.execute(load).await.map_err(browser_error)?.result;
    if let Some(exception) = evaluated.exception_details {
        return Err(ScreenshotError::Browser(format!(
            "{what} did not load: {}",
            exception.text
        )));
    }
    Ok(evaluated.result.value)
}

/// Writes `html` into `page` and prints it as an A4 PDF.
async fn print_page(page: &Page, html: &str) -> Result<Vec<u8>, ScreenshotError> {
    write_page(page, LOAD_PAGE, html, "page").await?;
    let print = PrintToPdfParams::builder()
        .paper_width(A4_INCHES.0)
        .paper_height(A4_INCHES.1)
        .print_background(true)
        .display_header_footer(true)
        .header_template("<span></span>")
        .footer_template(PDF_FOOTER)
        .margin_bottom(0.6)
        .generate_tagged_pdf(true)
        .build();
    let data = page
        .execute(print)
        .await
        .map_err(browser_error)?
        .result
        .data;
    decoded_as(
        AsRef::<str>::as_ref(&data),
        b"%PDF",
        "the printout is not a PDF",
    )
}

/// A DevTools call that failed, as the renderer's error.
fn browser_error(e: chromiumoxide::error::CdpError) -> ScreenshotError {
    ScreenshotError::Browser(e.to_string())
}

/// The browser's base64 answer `data` decoded, refused with `otherwise`
/// unless it starts with `signature` (what the file must be).
fn decoded_as(data: &str, signature: &[u8], otherwise: &str) -> Result<Vec<u8>, ScreenshotError> {
    let bytes = decode_base64(data)?;
    if !bytes.starts_with(signature) {
        return Err(ScreenshotError::Browser(otherwise.to_string()));
    }
    Ok(bytes)
}

/// The first bytes of every PNG file.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Decodes the screenshot's standard, padded base64 (as the DevTools
/// protocol sends binary data). Written out here because it is a dozen
/// lines and chromiumoxide's own decoder is private; strict, so a garbled
/// answer is an error rather than a damaged image.
fn decode_base64(text: &str) -> Result<Vec<u8>, ScreenshotError> {
    let garbled = || ScreenshotError::Browser("the screenshot is not valid base64".to_string());
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return Err(garbled());
    }
    let value = |c: u8| -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    };
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let quads = bytes.chunks_exact(4);
    let last = quads.len().saturating_sub(1);
    for (index, quad) in quads.enumerate() {
        let padding = match quad {
            [_, _, b'=', b'='] if index == last => 2,
            [_, _, _, b'='] if index == last => 1,
            _ => 0,
        };
        let mut word = 0u32;
        for &c in &quad[..4 - padding] {
            word = (word << 6) | value(c).ok_or_else(garbled)?;
        }
        word <<= 6 * padding;
        let [_, a, b, c] = word.to_be_bytes();
        out.extend_from_slice(&[a, b, c][..3 - padding]);
    }
    Ok(out)
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
    use chromiumoxide::cdp::browser_protocol::target::GetTargetsParams;

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
        let page = renderer.tab(&session).await.unwrap();
        // The same way as every image: written into the (reused) tab.
        decode(&screenshot_card(&page, &html).await.unwrap());
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

    /// A renderer with `tabs` tabs at most, or `None` when Chromium is
    /// missing and not required.
    fn chromium_with_tabs_or_skip(test: &str, tabs: usize) -> Option<ChromiumRenderer> {
        let probe = chromium_or_skip(test)?;
        Some(ChromiumRenderer::new(ChromiumOptions {
            executable: probe.executable().to_path_buf(),
            concurrency: tabs,
            ..ChromiumOptions::default()
        }))
    }

    /// The browser's open tabs, as the browser itself reports its targets.
    async fn page_targets(session: &BrowserSession) -> usize {
        session
            .browser
            .execute(GetTargetsParams::default())
            .await
            .unwrap()
            .result
            .target_infos
            .iter()
            .filter(|t| t.r#type == "page")
            .count()
    }

    /// Cards whose comments grow with their number, so each image is taller
    /// than the one before: an image in the wrong place shows.
    fn growing_cards(count: usize) -> Vec<EvidenceCard> {
        (0..count)
            .map(|i| {
                let text = format!(
                    "Kommentar {i}: {}",
                    "Söderort behöver fler bussar 🚌 och säkrare cykelbanor. ".repeat(3 * i + 1)
                );
                card_with_text(&text)
            })
            .collect()
    }

    fn sha256(png: &[u8]) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(png))
    }

    #[tokio::test]
    async fn concurrent_renders_give_each_card_its_own_image_in_order() {
        const TABS: usize = 3;
        let Some(renderer) = chromium_with_tabs_or_skip(
            "concurrent_renders_give_each_card_its_own_image_in_order",
            TABS,
        ) else {
            return;
        };
        renderer.start().await.unwrap();
        let session = renderer.session().await.unwrap();
        let tabs_before = page_targets(&session).await;

        let mut cards = growing_cards(10);
        cards.push(cards[0].clone());
        cards.push(cards[7].clone());
        // More renders asked for at once than there are tabs: the pool bounds
        // them. The browser's own count of tabs is sampled meanwhile.
        let done = std::sync::atomic::AtomicBool::new(false);
        let batch = async {
            let shots = super::super::render_all(&renderer, &cards, 8).await;
            done.store(true, Ordering::Relaxed);
            shots
        };
        let sampler = async {
            let mut most = 0;
            while !done.load(Ordering::Relaxed) {
                most = most.max(page_targets(&session).await);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            most
        };
        let (shots, most_tabs) = tokio::join!(batch, sampler);

        assert_eq!(shots.len(), cards.len());
        let pngs: Vec<Vec<u8>> = shots
            .into_iter()
            .map(|shot| {
                let shot = shot.unwrap();
                assert_eq!(shot.renderer, "chromium");
                shot.png
            })
            .collect();
        let images: Vec<_> = pngs.iter().map(|png| decode(png)).collect();
        for (i, image) in images.iter().enumerate() {
            assert_eq!(image.width(), 800, "card {i}");
            assert!(ink_pixels(image) > 5_000, "card {i} is blank");
        }
        for i in 1..10 {
            assert!(
                images[i].height() > images[i - 1].height(),
                "card {i} is not taller than card {}: {} ≤ {}",
                i - 1,
                images[i].height(),
                images[i - 1].height()
            );
        }
        let hashes: std::collections::HashSet<_> = pngs[..10].iter().map(|p| sha256(p)).collect();
        assert_eq!(hashes.len(), 10, "two different cards gave the same image");
        assert_eq!(
            pngs[10], pngs[0],
            "the same card twice gave different images"
        );
        assert_eq!(
            pngs[11], pngs[7],
            "the same card twice gave different images"
        );
        // One card alone, in whatever tab comes next, is the same image too.
        assert_eq!(renderer.render(&cards[4]).await.unwrap(), pngs[4]);

        assert_eq!(renderer.peak_tabs(), TABS, "tabs open at once");
        assert!(
            most_tabs <= tabs_before + TABS,
            "the browser had {most_tabs} tabs, {tabs_before} before the batch"
        );
        assert_eq!(renderer.launches(), 1);
        drop(session);
        renderer.shutdown().await;
    }

    #[tokio::test]
    async fn a_browser_dying_under_concurrent_renders_is_restarted_once() {
        let Some(renderer) = chromium_with_tabs_or_skip(
            "a_browser_dying_under_concurrent_renders_is_restarted_once",
            3,
        ) else {
            return;
        };
        let cards = growing_cards(6);
        for shot in super::super::render_all(&renderer, &cards[..3], 3).await {
            shot.unwrap();
        }
        let pid = renderer.browser_pid().await.unwrap();
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        tokio::time::sleep(Duration::from_millis(300)).await;
        for shot in super::super::render_all(&renderer, &cards, 3).await {
            decode(&shot.unwrap().png);
        }
        assert_eq!(renderer.launches(), 2);
        assert_ne!(renderer.browser_pid().await, Some(pid));
        renderer.shutdown().await;
    }

    /// Collects what is logged while it is the thread's subscriber (the
    /// test runtime runs every task on the test's thread).
    #[derive(Clone, Default)]
    struct LogCapture(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for LogCapture {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl LogCapture {
        /// Captures warnings and worse until the guard is dropped; checks
        /// that capturing works at all.
        fn install() -> (Self, tracing::subscriber::DefaultGuard) {
            let capture = Self::default();
            let writer = capture.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::WARN)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            let guard = tracing::subscriber::set_default(subscriber);
            tracing::warn!("log capture probe");
            assert!(capture.text().contains("log capture probe"));
            (capture, guard)
        }

        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
        }
    }

    /// Whether any process (the browser or one of its helpers) still runs
    /// with this profile directory, waiting a little for helpers to notice
    /// their parent is gone.
    async fn processes_left(profile: &Path) -> usize {
        let marker = format!("--user-data-dir={}", profile.display());
        let count = || {
            std::fs::read_dir("/proc")
                .unwrap()
                .filter_map(|entry| std::fs::read(entry.ok()?.path().join("cmdline")).ok())
                .filter(|cmdline| {
                    String::from_utf8_lossy(cmdline)
                        .replace('\0', " ")
                        .contains(&marker)
                })
                .count()
        };
        for _ in 0..100 {
            if count() == 0 {
                return 0;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        count()
    }

    #[tokio::test]
    async fn shutdown_closes_the_browser_and_every_tab() {
        let Some(renderer) =
            chromium_with_tabs_or_skip("shutdown_closes_the_browser_and_every_tab", 3)
        else {
            return;
        };
        let (log, _guard) = LogCapture::install();
        for shot in super::super::render_all(&renderer, &growing_cards(6), 3).await {
            shot.unwrap();
        }
        let pid = renderer.browser_pid().await.unwrap();
        let profile = renderer
            .session()
            .await
            .unwrap()
            .profile
            .path()
            .to_path_buf();
        assert_eq!(browser_processes(&profile), 1);
        Renderer::shutdown(&renderer).await;
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "browser {pid} still exists"
        );
        assert_eq!(processes_left(&profile).await, 0);
        assert!(!profile.exists(), "profile directory left behind");
        assert_eq!(renderer.browser_pid().await, None);
        let logged = log.text();
        assert!(!logged.contains("not closed manually"), "{logged}");
    }

    #[tokio::test]
    async fn a_dropped_renderer_leaves_no_browser_behind() {
        let Some(renderer) =
            chromium_with_tabs_or_skip("a_dropped_renderer_leaves_no_browser_behind", 2)
        else {
            return;
        };
        let (log, _guard) = LogCapture::install();
        for shot in super::super::render_all(&renderer, &growing_cards(3), 2).await {
            shot.unwrap();
        }
        let pid = renderer.browser_pid().await.unwrap();
        let profile = renderer
            .session()
            .await
            .unwrap()
            .profile
            .path()
            .to_path_buf();
        drop(renderer);
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "browser {pid} still exists"
        );
        assert_eq!(processes_left(&profile).await, 0);
        let logged = log.text();
        assert!(!logged.contains("not closed manually"), "{logged}");
    }

    #[test]
    fn base64_decodes_strictly() {
        for (text, bytes) in [
            ("", &b""[..]),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9v", b"foo"),
            ("Zm9vYmFy", b"foobar"),
            ("iVBORw0KGgo=", PNG_SIGNATURE),
            ("+/+/", &[0xfb, 0xff, 0xbf]),
        ] {
            assert_eq!(decode_base64(text).unwrap(), bytes, "{text}");
        }
        for garbled in ["Zg=", "Zg", "Z===", "Zm9v\n", "Zg==Zg==", "Zm9-", "Zm=v"] {
            assert!(decode_base64(garbled).is_err(), "{garbled:?} accepted");
        }
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
