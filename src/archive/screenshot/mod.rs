//! Screenshots of comments as evidence: the city's policy says a comment is
//! documented — "for example by a screenshot" — before it is removed.
//!
//! An [`EvidenceCard`] holds what a reader saw (account, post excerpt,
//! author, time, text, link) and a [`Renderer`] turns it into a PNG. Two
//! renderers exist:
//!
//! - [`ChromiumRenderer`] lays the card out as an HTML page in one reused
//!   headless Chromium and screenshots it: real text shaping, colour emoji.
//! - [`FallbackRenderer`] draws the card in pure Rust with fonts shipped in
//!   the repository (`assets/fonts/`), so evidence never lacks an image even
//!   where no browser is installed or the browser fails.
//!
//! [`best_available`] picks Chromium when it starts and falls back per image
//! when it fails. Every image the fallback draws in Chromium's place is
//! counted (`kommentarsvakt_screenshot_fallbacks_total`) and says why
//! ([`Screenshot::fallback_from`]), so the pipeline can tell operations.
//!
//! # Many images at once
//!
//! A first run over days of backlog flags hundreds of comments, and each
//! needs its image before any action. Every [`Renderer`] may be called from
//! several tasks at once; Chromium then draws in several tabs (at most
//! [`Renderer::concurrency`]), and [`render_all`] renders a batch that way
//! while keeping the results in the order of the cards, so the caller can
//! still archive each comment, in order, before acting on it.
//!
//! # What the footer identifies (the chicken-and-egg)
//!
//! The PNG's own SHA-256 goes into the evidence record, so the record's hash
//! cannot be printed in the PNG: it does not exist until the PNG does. The
//! chain position is no better: it is assigned under the archive's lock, and
//! rendering there would serialise every archive write behind a browser.
//! The footer therefore carries [`EvidenceCard::record_ref`], which is the
//! comment version's content hash (SHA-256 of the text, the record's
//! `comment.content_hash`). It is known before the record is written, it is
//! stable, and it links both ways: the record names the PNG by its SHA-256,
//! and anyone holding only the PNG finds its record(s) by the content hash.

mod chromium;
mod fallback;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;
use futures::StreamExt;

use crate::domain::{FetchedComment, FetchedPost, PlatformKind};

pub use chromium::{BROWSER_FLAGS, ChromiumOptions, ChromiumRenderer, DEFAULT_CHROMIUM_PATH};
pub use fallback::FallbackRenderer;

/// Longest post excerpt shown, in characters. The post is context, not the
/// evidence itself, and a long post would push the comment off the image.
pub const POST_EXCERPT_MAX_CHARS: usize = 300;

/// Everything a screenshot shows about one comment version, as readers saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceCard {
    /// The city account's display name, so the image shows whose page it was.
    pub account_name: String,
    /// The platform the comment was written on.
    pub platform: PlatformKind,
    /// The beginning of the post the comment answered, for context.
    pub post_excerpt: Option<String>,
    /// The author's display name, when the platform discloses it.
    pub author: Option<String>,
    /// When the comment was written (shown in Europe/Stockholm time).
    pub written_at: DateTime<Utc>,
    /// The comment text, complete: evidence is never truncated.
    pub text: String,
    /// Public link to the comment.
    pub permalink: Option<String>,
    /// When the service fetched the comment (shown in Europe/Stockholm time).
    pub fetched_at: DateTime<Utc>,
    /// The hash that ties the image to its evidence record: the comment
    /// version's content hash (see the module documentation for why).
    pub record_ref: String,
}

impl EvidenceCard {
    /// The card for one fetched comment version, with the content hash as
    /// `record_ref`, so the pipeline cannot pick a different reference by
    /// mistake.
    pub fn for_comment(
        account_name: &str,
        platform: PlatformKind,
        comment: &FetchedComment,
        post: Option<&FetchedPost>,
        fetched_at: DateTime<Utc>,
    ) -> Self {
        Self {
            account_name: account_name.to_string(),
            platform,
            post_excerpt: post.and_then(|p| p.text.as_deref()).map(excerpt),
            author: comment.author_name.clone(),
            written_at: comment.created_at,
            text: comment.text.clone(),
            permalink: comment.permalink.clone(),
            fetched_at,
            record_ref: comment.content_hash(),
        }
    }
}

/// Why no image could be made. With [`best_available`] a Chromium error is
/// answered by the fallback, so callers only see errors of the fallback.
#[derive(Debug, thiserror::Error)]
pub enum ScreenshotError {
    /// The browser could not be started (missing binary, bad flags, no
    /// memory): use the fallback renderer.
    #[error("Chromium at {path} could not be started: {detail}")]
    BrowserStart {
        /// The executable that was tried.
        path: String,
        /// What went wrong.
        detail: String,
    },
    /// The browser failed while rendering, also after one restart.
    #[error("Chromium failed to render the evidence image: {0}")]
    Browser(String),
    /// Rendering took longer than allowed; the browser is restarted.
    #[error("rendering the evidence image took longer than {0:?}")]
    Timeout(Duration),
    /// The image could not be drawn or encoded as PNG.
    #[error("the evidence image could not be drawn: {0}")]
    Draw(String),
}

/// An image of a comment as evidence, and which renderer made it (an
/// auditor may ask why two images of the same kind look different).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screenshot {
    /// The PNG bytes.
    pub png: Vec<u8>,
    /// [`Renderer::name`] of the renderer that actually drew it.
    pub renderer: &'static str,
    /// Why Chromium did not draw it, when the built-in renderer stood in
    /// for Chromium; `None` when the renderer that was asked drew it.
    pub fallback_from: Option<String>,
}

/// Turns an evidence card into a PNG.
#[async_trait]
pub trait Renderer: Send + Sync {
    /// Renders the card as a PNG image.
    async fn render(&self, card: &EvidenceCard) -> Result<Vec<u8>, ScreenshotError>;

    /// A short stable name for records and logs (`chromium`, `fallback`).
    fn name(&self) -> &'static str;

    /// Renders the card and says which renderer drew it. A renderer that
    /// delegates (like the one [`best_available`] returns) overrides this,
    /// so the record names the renderer of each image, not of the wrapper.
    async fn render_screenshot(&self, card: &EvidenceCard) -> Result<Screenshot, ScreenshotError> {
        Ok(Screenshot {
            png: self.render(card).await?,
            renderer: self.name(),
            fallback_from: None,
        })
    }

    /// How many renders are worth running at once: more calls than this
    /// only wait for each other. A good `concurrency` for [`render_all`].
    fn concurrency(&self) -> usize {
        1
    }

    /// Releases what the renderer holds (Chromium closes its browser), for
    /// a clean shutdown. Rendering afterwards starts afresh.
    async fn shutdown(&self) {}
}

/// Renders every card, up to `concurrency` at once (0 is taken as 1), and
/// returns the results in the order of `cards`: the `n`-th result is the
/// `n`-th card's image or the reason it has none. The caller can thus draw
/// a batch in parallel and still archive each comment in order before any
/// action on it.
///
/// The renders run as concurrent futures of the calling task (the work is
/// in the browser or on the blocking pool), so nothing here needs `'static`
/// data. With [`Renderer::concurrency`] as `concurrency`, no render waits
/// for a tab while another card could start.
pub async fn render_all(
    renderer: &dyn Renderer,
    cards: &[EvidenceCard],
    concurrency: usize,
) -> Vec<Result<Screenshot, ScreenshotError>> {
    // A window of futures in card order rather than a stream combinator:
    // the future stays `Send` for callers on a multi-threaded runtime.
    let mut results = Vec::with_capacity(cards.len());
    let mut drawing = futures::stream::FuturesOrdered::new();
    for card in cards {
        if drawing.len() >= concurrency.max(1)
            && let Some(result) = drawing.next().await
        {
            results.push(result);
        }
        drawing.push_back(renderer.render_screenshot(card));
    }
    while let Some(result) = drawing.next().await {
        results.push(result);
    }
    results
}

/// The best renderer this machine offers: Chromium (at `chromium_path`, by
/// default [`DEFAULT_CHROMIUM_PATH`]) when its binary exists and starts,
/// with the pure-Rust fallback for any image it fails on; otherwise the
/// fallback alone. Either way every comment gets an image.
pub async fn best_available(chromium_path: Option<&Path>) -> Arc<dyn Renderer> {
    best_available_with(ChromiumOptions {
        executable: chromium_path
            .unwrap_or(Path::new(DEFAULT_CHROMIUM_PATH))
            .to_path_buf(),
        ..ChromiumOptions::default()
    })
    .await
}

/// [`best_available`] with every Chromium option, e.g. the configured
/// `archive.screenshot_concurrency` as [`ChromiumOptions::concurrency`].
pub async fn best_available_with(options: ChromiumOptions) -> Arc<dyn Renderer> {
    let path = options.executable.clone();
    if !path.exists() {
        tracing::warn!(
            chromium = %path.display(),
            "Chromium is not installed; evidence images are drawn by the built-in renderer"
        );
        return Arc::new(WithFallback::without_chromium(
            "not_installed",
            format!("Chromium is not installed at {}", path.display()),
        ));
    }
    let chromium = ChromiumRenderer::new(options);
    match chromium.start().await {
        Ok(()) => Arc::new(WithFallback {
            primary: Ok(chromium),
            fallback: FallbackRenderer::new(),
        }),
        Err(error) => {
            tracing::warn!(
                %error,
                "Chromium does not start; evidence images are drawn by the built-in renderer"
            );
            Arc::new(WithFallback::without_chromium("start", error.to_string()))
        }
    }
}

/// Chromium first, the fallback for any image Chromium fails on; or the
/// fallback alone when Chromium was wanted but is not there. Either way each
/// image the fallback draws is counted and carries the reason.
struct WithFallback {
    /// Chromium, or why there is none (a metric label and the error).
    primary: Result<ChromiumRenderer, (&'static str, String)>,
    fallback: FallbackRenderer,
}

impl WithFallback {
    fn without_chromium(reason: &'static str, detail: String) -> Self {
        Self {
            primary: Err((reason, detail)),
            fallback: FallbackRenderer::new(),
        }
    }

    /// The fallback's image of `card`, counted, with why it stood in.
    async fn fallback_for(
        &self,
        card: &EvidenceCard,
        reason: &'static str,
        detail: String,
    ) -> Result<Screenshot, ScreenshotError> {
        crate::telemetry::screenshot_fallback(reason);
        let mut shot = self.fallback.render_screenshot(card).await?;
        shot.fallback_from = Some(detail);
        Ok(shot)
    }
}

/// The metric label of a Chromium failure.
fn fallback_reason(error: &ScreenshotError) -> &'static str {
    match error {
        ScreenshotError::BrowserStart { .. } => "start",
        ScreenshotError::Timeout(_) => "timeout",
        ScreenshotError::Browser(_) | ScreenshotError::Draw(_) => "render",
    }
}

#[async_trait]
impl Renderer for WithFallback {
    async fn render(&self, card: &EvidenceCard) -> Result<Vec<u8>, ScreenshotError> {
        Ok(self.render_screenshot(card).await?.png)
    }

    fn name(&self) -> &'static str {
        match &self.primary {
            Ok(chromium) => chromium.name(),
            Err(_) => self.fallback.name(),
        }
    }

    fn concurrency(&self) -> usize {
        match &self.primary {
            Ok(chromium) => Renderer::concurrency(chromium),
            Err(_) => self.fallback.concurrency(),
        }
    }

    async fn shutdown(&self) {
        if let Ok(chromium) = &self.primary {
            chromium.shutdown().await;
        }
    }

    async fn render_screenshot(&self, card: &EvidenceCard) -> Result<Screenshot, ScreenshotError> {
        let chromium = match &self.primary {
            Ok(chromium) => chromium,
            Err((reason, detail)) => return self.fallback_for(card, reason, detail.clone()).await,
        };
        match chromium.render_screenshot(card).await {
            Ok(shot) => Ok(shot),
            Err(error) => {
                tracing::warn!(
                    %error,
                    record_ref = %card.record_ref,
                    "Chromium failed on an evidence image; using the built-in renderer for it"
                );
                self.fallback_for(card, fallback_reason(&error), error.to_string())
                    .await
            }
        }
    }
}

/// How prominent a line of the card is; both renderers map it to a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emphasis {
    /// The account and platform heading.
    Title,
    /// Labelled facts about the comment.
    Meta,
    /// The comment text itself.
    Body,
    /// The evidence reference.
    Footer,
}

/// One line (paragraph) of the card, the same for both renderers so the two
/// kinds of image show the same facts in the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CardLine {
    /// A Swedish label for moderators, shown before the value.
    label: Option<&'static str>,
    /// The value, unescaped and unwrapped.
    value: String,
    emphasis: Emphasis,
}

impl CardLine {
    fn new(label: Option<&'static str>, value: String, emphasis: Emphasis) -> Self {
        Self {
            label,
            value,
            emphasis,
        }
    }
}

/// The card's lines in display order; `renderer` is named in the footer.
fn card_lines(card: &EvidenceCard, renderer: &str) -> Vec<CardLine> {
    let mut lines = vec![CardLine::new(
        None,
        format!("{} · {}", card.account_name, card.platform.display_name()),
        Emphasis::Title,
    )];
    if let Some(post) = &card.post_excerpt {
        lines.push(CardLine::new(Some("Inlägg"), excerpt(post), Emphasis::Meta));
    }
    lines.extend([
        CardLine::new(
            Some("Skribent"),
            card.author.clone().unwrap_or_else(|| "(okänd)".to_string()),
            Emphasis::Meta,
        ),
        CardLine::new(
            Some("Skriven"),
            stockholm_time(card.written_at),
            Emphasis::Meta,
        ),
        CardLine::new(None, card.text.clone(), Emphasis::Body),
        CardLine::new(
            Some("Länk"),
            card.permalink
                .clone()
                .unwrap_or_else(|| "(ingen)".to_string()),
            Emphasis::Meta,
        ),
        CardLine::new(
            Some("Hämtad"),
            stockholm_time(card.fetched_at),
            Emphasis::Meta,
        ),
        CardLine::new(
            Some("Kommentarsversion (SHA-256)"),
            format!("{} · kommentarsvakt/{renderer}", card.record_ref),
            Emphasis::Footer,
        ),
    ]);
    lines
}

/// A time as Swedish readers saw it, with the zone so summer time is clear.
fn stockholm_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// The first [`POST_EXCERPT_MAX_CHARS`] characters of a post, marked when cut.
pub(crate) fn excerpt(post: &str) -> String {
    let trimmed = post.trim();
    match trimmed.char_indices().nth(POST_EXCERPT_MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Cards and PNG checks shared by the renderers' tests.

    use std::io::Write;

    use chrono::TimeZone;

    use super::*;

    /// A typical card with the given comment text.
    pub(crate) fn card_with_text(text: &str) -> EvidenceCard {
        EvidenceCard {
            account_name: "Stockholms stad".to_string(),
            platform: PlatformKind::Facebook,
            post_excerpt: Some("Nu öppnar vi nya badplatser i Mälaren!".to_string()),
            author: Some("Anna Andersson".to_string()),
            written_at: Utc
                .with_ymd_and_hms(2026, 7, 1, 10, 15, 0)
                .single()
                .unwrap(),
            text: text.to_string(),
            permalink: Some("https://facebook.com/123_456".to_string()),
            fetched_at: Utc
                .with_ymd_and_hms(2026, 7, 1, 10, 20, 0)
                .single()
                .unwrap(),
            record_ref: "ab".repeat(32),
        }
    }

    /// The Chromium binary for tests, or `None` (with the reason printed)
    /// when it is missing and not required.
    pub(crate) fn chromium_or_skip(test: &str) -> Option<ChromiumRenderer> {
        let path = std::env::var("KOMMENTARSVAKT_CHROMIUM")
            .unwrap_or_else(|_| DEFAULT_CHROMIUM_PATH.to_string());
        if Path::new(&path).exists() {
            return Some(ChromiumRenderer::new(ChromiumOptions {
                executable: std::path::PathBuf::from(path),
                ..ChromiumOptions::default()
            }));
        }
        assert!(
            std::env::var("KOMMENTARSVAKT_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "{test}: Chromium is required (KOMMENTARSVAKT_REQUIRE_CHROMIUM=1) but {path} does not exist; run .ci/setup-chromium"
        );
        // Written past the test harness's capture, so the skip shows in CI logs.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: Chromium not installed at {path} (run .ci/setup-chromium)"
        );
        None
    }

    /// Decodes a PNG, failing the test when it is not one.
    pub(crate) fn decode(png: &[u8]) -> image::RgbaImage {
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG signature");
        image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .unwrap()
            .to_rgba8()
    }

    /// Pixels that differ clearly from the top-left (background) pixel.
    pub(crate) fn ink_pixels(image: &image::RgbaImage) -> usize {
        let background = *image.get_pixel(image.width() - 1, image.height() - 1);
        image
            .pixels()
            .filter(|p| {
                p.0.iter()
                    .zip(background.0.iter())
                    .any(|(a, b)| a.abs_diff(*b) > 40)
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::card_with_text;
    use super::*;

    #[test]
    fn times_are_shown_in_stockholm_time_with_the_zone() {
        let card = card_with_text("Hej");
        assert_eq!(stockholm_time(card.written_at), "2026-07-01 12:15:00 CEST");
        let winter = card.written_at - chrono::Duration::days(180);
        assert!(stockholm_time(winter).ends_with("CET"));
    }

    #[test]
    fn card_lines_show_every_fact_in_order_with_the_reference_in_the_footer() {
        let card = card_with_text("Kommentaren");
        let lines = card_lines(&card, "fallback");
        let labels: Vec<_> = lines.iter().map(|l| l.label).collect();
        assert_eq!(
            labels,
            [
                None,
                Some("Inlägg"),
                Some("Skribent"),
                Some("Skriven"),
                None,
                Some("Länk"),
                Some("Hämtad"),
                Some("Kommentarsversion (SHA-256)")
            ]
        );
        assert_eq!(lines[0].value, "Stockholms stad · Facebook");
        assert_eq!(lines[4].value, "Kommentaren");
        let footer = &lines[7];
        assert_eq!(footer.emphasis, Emphasis::Footer);
        assert!(footer.value.starts_with(&card.record_ref));
        assert!(footer.value.ends_with("kommentarsvakt/fallback"));
    }

    #[test]
    fn long_post_excerpts_are_cut_but_comment_text_never_is() {
        let mut card = card_with_text(&"ord ".repeat(2_000));
        card.post_excerpt = Some("å".repeat(1_000));
        let lines = card_lines(&card, "fallback");
        assert_eq!(lines[1].value.chars().count(), POST_EXCERPT_MAX_CHARS + 1);
        assert!(lines[1].value.ends_with('…'));
        assert_eq!(lines[4].value, card.text);
    }

    #[test]
    fn card_for_comment_references_the_content_hash() {
        let comment = FetchedComment {
            platform_id: "c1".to_string(),
            post_id: "p1".to_string(),
            parent_id: None,
            author_id: None,
            author_name: Some("Bo".to_string()),
            text: "Hej hej".to_string(),
            created_at: Utc::now(),
            permalink: None,
            is_hidden: false,
            raw: serde_json::value::RawValue::from_string("{}".to_string()).unwrap(),
        };
        let card = EvidenceCard::for_comment(
            "Stockholms stad",
            PlatformKind::Instagram,
            &comment,
            None,
            Utc::now(),
        );
        assert_eq!(card.record_ref, comment.content_hash());
        assert_eq!(card.author.as_deref(), Some("Bo"));
        assert_eq!(card.post_excerpt, None);
    }

    #[tokio::test]
    async fn best_available_prefers_a_working_chromium() {
        let Some(probe) =
            test_support::chromium_or_skip("best_available_prefers_a_working_chromium")
        else {
            return;
        };
        let renderer = best_available(Some(probe.executable())).await;
        assert_eq!(renderer.name(), "chromium");
        let shot = renderer
            .render_screenshot(&card_with_text("Hej"))
            .await
            .unwrap();
        assert_eq!(shot.renderer, "chromium");
        test_support::decode(&shot.png);
    }

    #[tokio::test]
    async fn an_image_chromium_fails_on_is_drawn_by_the_fallback() {
        let renderer = WithFallback {
            primary: Ok(ChromiumRenderer::new(ChromiumOptions {
                executable: "/nonexistent/chromium".into(),
                ..ChromiumOptions::default()
            })),
            fallback: FallbackRenderer::new(),
        };
        let shot = renderer
            .render_screenshot(&card_with_text("Hej"))
            .await
            .unwrap();
        assert_eq!(shot.renderer, "fallback");
        let why = shot.fallback_from.expect("the fallback says why it drew");
        assert!(why.contains("/nonexistent/chromium"), "{why}");
        assert!(test_support::ink_pixels(&test_support::decode(&shot.png)) > 1_000);
        let png = renderer.render(&card_with_text("Hej")).await.unwrap();
        test_support::decode(&png);
    }

    /// Answers each card with its text after a delay that makes later
    /// cards finish first, and counts how many renders run at once.
    struct SlowEcho {
        running: std::sync::atomic::AtomicUsize,
        most: std::sync::atomic::AtomicUsize,
    }

    #[async_trait]
    impl Renderer for SlowEcho {
        async fn render(&self, card: &EvidenceCard) -> Result<Vec<u8>, ScreenshotError> {
            use std::sync::atomic::Ordering::SeqCst;
            let now = self.running.fetch_add(1, SeqCst) + 1;
            self.most.fetch_max(now, SeqCst);
            let n: u64 = card
                .text
                .parse()
                .map_err(|_| ScreenshotError::Draw(card.text.clone()))?;
            tokio::time::sleep(Duration::from_millis(40 - 3 * (n % 10))).await;
            self.running.fetch_sub(1, SeqCst);
            if n == 7 {
                return Err(ScreenshotError::Draw("seven".to_string()));
            }
            Ok(card.text.clone().into_bytes())
        }

        fn name(&self) -> &'static str {
            "echo"
        }
    }

    #[tokio::test]
    async fn render_all_keeps_the_order_of_the_cards_and_its_bound() {
        let renderer = SlowEcho {
            running: Default::default(),
            most: Default::default(),
        };
        let cards: Vec<_> = (0..20).map(|n| card_with_text(&n.to_string())).collect();
        let shots = render_all(&renderer, &cards, 4).await;
        assert_eq!(shots.len(), 20);
        for (n, shot) in shots.iter().enumerate() {
            match shot {
                Ok(shot) => assert_eq!(shot.png, n.to_string().into_bytes()),
                Err(error) => {
                    assert_eq!(n, 7, "{error}");
                    assert!(error.to_string().contains("seven"), "{error}");
                }
            }
        }
        assert_eq!(renderer.most.load(std::sync::atomic::Ordering::SeqCst), 4);
        assert!(render_all(&renderer, &[], 4).await.is_empty());
        // Zero is taken as one at a time, not as a deadlock.
        assert_eq!(render_all(&renderer, &cards[..2], 0).await.len(), 2);
    }

    #[tokio::test]
    async fn render_all_with_the_fallback_gives_the_same_images_as_one_by_one() {
        let renderer = FallbackRenderer::new();
        let cards: Vec<_> = (1..=6)
            .map(|n| card_with_text(&"Trafiken på Essingeleden är ett skämt. ".repeat(n * 5)))
            .collect();
        let shots = render_all(&renderer, &cards, renderer.concurrency()).await;
        for (card, shot) in cards.iter().zip(shots) {
            let shot = shot.unwrap();
            assert_eq!(shot.renderer, "fallback");
            assert_eq!(shot.png, renderer.render(card).await.unwrap());
        }
    }

    #[tokio::test]
    async fn best_available_without_chromium_still_renders_every_card() {
        let renderer = best_available(Some(Path::new("/nonexistent/chromium"))).await;
        assert_eq!(renderer.name(), "fallback");
        let shot = renderer
            .render_screenshot(&card_with_text("Hej"))
            .await
            .unwrap();
        assert_eq!(shot.renderer, "fallback");
        assert_eq!(
            shot.fallback_from.as_deref(),
            Some("Chromium is not installed at /nonexistent/chromium"),
            "an image drawn in Chromium's place says so"
        );
        super::test_support::decode(&shot.png);
    }
}
