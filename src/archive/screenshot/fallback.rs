//! The pure-Rust renderer: draws the evidence card with `ab_glyph` into an
//! `image` buffer, so an image exists even where no browser runs.
//!
//! The fonts are compiled into the binary from `assets/fonts/` (DejaVu Sans
//! for text, including å ä ö; a subset of Symbola for monochrome emoji and
//! symbols), so the output does not depend on what the machine has
//! installed. There is no text shaping: each character maps to one glyph,
//! which is right for Swedish and other Latin, Greek and Cyrillic text but
//! not for scripts that need shaping. Lines are wrapped here, at spaces, and
//! inside words longer than a line.

use std::io::Cursor;
use std::sync::{Arc, LazyLock};

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use async_trait::async_trait;
use image::{GrayImage, Luma};

use super::{CardLine, Emphasis, EvidenceCard, Renderer, ScreenshotError, card_lines};

const TEXT_FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const EMOJI_FONT: &[u8] = include_bytes!("../../../assets/fonts/SymbolaEmoji.ttf");

/// Width of the image in pixels; the height follows the text.
const WIDTH: u32 = 800;
/// Margin around the text, in pixels.
const PADDING: f32 = 24.0;
/// Vertical space between lines of the card, in pixels.
const PARAGRAPH_GAP: f32 = 10.0;
const BACKGROUND: u8 = 255;
/// Spaces a tab stands for.
const TAB: &str = "    ";

/// The two shipped fonts, parsed once.
struct Fonts {
    text: FontRef<'static>,
    emoji: FontRef<'static>,
}

static FONTS: LazyLock<Result<Fonts, String>> = LazyLock::new(|| {
    Ok(Fonts {
        text: FontRef::try_from_slice(TEXT_FONT).map_err(|e| format!("DejaVu Sans: {e}"))?,
        emoji: FontRef::try_from_slice(EMOJI_FONT).map_err(|e| format!("Symbola: {e}"))?,
    })
});

/// Draws evidence cards without a browser. Cheap to create and to clone.
#[derive(Debug, Clone, Default)]
pub struct FallbackRenderer {
    _private: (),
}

impl FallbackRenderer {
    /// A renderer using the fonts compiled into the binary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Draws the card synchronously; [`Renderer::render`] runs this on the
    /// blocking pool because long comments take milliseconds.
    pub fn render_blocking(&self, card: &EvidenceCard) -> Result<Vec<u8>, ScreenshotError> {
        let fonts = FONTS
            .as_ref()
            .map_err(|e| ScreenshotError::Draw(e.clone()))?;
        let image = draw_card(fonts, &card_lines(card, self.name()));
        encode_png(&image)
    }
}

#[async_trait]
impl Renderer for FallbackRenderer {
    async fn render(&self, card: &EvidenceCard) -> Result<Vec<u8>, ScreenshotError> {
        let card = Arc::new(card.clone());
        let renderer = self.clone();
        tokio::task::spawn_blocking(move || renderer.render_blocking(&card))
            .await
            .map_err(|e| ScreenshotError::Draw(format!("drawing task failed: {e}")))?
    }

    fn name(&self) -> &'static str {
        "fallback"
    }

    /// Each image is drawn on the blocking pool, so one per core is drawn
    /// at once.
    fn concurrency(&self) -> usize {
        std::thread::available_parallelism().map_or(1, usize::from)
    }
}

/// Size and ink of one kind of line.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    ink: u8,
    label_ink: u8,
}

fn style_of(emphasis: Emphasis) -> Style {
    match emphasis {
        Emphasis::Title => Style {
            size: 24.0,
            ink: 0,
            label_ink: 0,
        },
        Emphasis::Meta => Style {
            size: 15.0,
            ink: 40,
            label_ink: 110,
        },
        Emphasis::Body => Style {
            size: 19.0,
            ink: 0,
            label_ink: 0,
        },
        Emphasis::Footer => Style {
            size: 12.0,
            ink: 90,
            label_ink: 90,
        },
    }
}

/// A glyph chosen for one character: from the text font when it has one,
/// otherwise from the emoji font, otherwise the text font's "missing" box.
#[derive(Debug, Clone, Copy)]
struct Pick {
    emoji: bool,
    id: GlyphId,
}

impl Fonts {
    fn pick(&self, c: char) -> Pick {
        let id = self.text.glyph_id(c);
        if id.0 != 0 {
            return Pick { emoji: false, id };
        }
        let id = self.emoji.glyph_id(c);
        Pick {
            emoji: id.0 != 0,
            id,
        }
    }

    fn font(&self, pick: Pick) -> &FontRef<'static> {
        if pick.emoji { &self.emoji } else { &self.text }
    }

    fn advance(&self, pick: Pick, scale: PxScale) -> f32 {
        self.font(pick).as_scaled(scale).h_advance(pick.id)
    }

    fn line_height(&self, scale: PxScale) -> f32 {
        let scaled = self.text.as_scaled(scale);
        scaled.height() + scaled.line_gap()
    }

    /// Width of a run of text on one line.
    fn width(&self, text: &str, scale: PxScale) -> f32 {
        visible_chars(text)
            .map(|c| self.advance(self.pick(c), scale))
            .sum()
    }
}

/// Characters that take part in layout: zero-width joiners and emoji
/// variation selectors have no glyph of their own and are left out, as are
/// control characters (a comment may contain anything).
fn visible_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| {
        !c.is_control()
            && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}')
    })
}

/// A run of text on one wrapped line, with its shade.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    text: String,
    ink: u8,
}

/// Wraps one paragraph into lines no wider than `max_width`: at spaces, and
/// inside a word only when the word alone is too wide. Newlines in the text
/// start new lines. Returns the lines as text.
fn wrap(fonts: &Fonts, text: &str, scale: PxScale, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.replace('\t', TAB).split('\n') {
        wrap_paragraph(fonts, paragraph, scale, max_width, &mut lines);
    }
    lines
}

fn wrap_paragraph(
    fonts: &Fonts,
    paragraph: &str,
    scale: PxScale,
    max_width: f32,
    lines: &mut Vec<String>,
) {
    let space = fonts.width(" ", scale);
    let mut line = String::new();
    let mut line_width = 0.0;
    for (index, word) in paragraph.split(' ').enumerate() {
        let word_width = fonts.width(word, scale);
        let gap = if index == 0 { 0.0 } else { space };
        if line_width + gap + word_width <= max_width {
            if index > 0 {
                line.push(' ');
            }
            line.push_str(word);
            line_width += gap + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_width = 0.0;
        for c in word.chars() {
            let w = fonts.width(c.encode_utf8(&mut [0; 4]), scale);
            if line_width + w > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    lines.push(line);
}

/// Lays out and draws all lines of the card on a white image.
fn draw_card(fonts: &Fonts, card: &[CardLine]) -> GrayImage {
    let max_width = WIDTH as f32 - 2.0 * PADDING;
    let blocks: Vec<(Style, Vec<Vec<Run>>)> = card
        .iter()
        .map(|line| {
            let style = style_of(line.emphasis);
            (style, wrapped_runs(fonts, line, style, max_width))
        })
        .collect();
    let height: f32 = blocks
        .iter()
        .map(|(style, lines)| {
            fonts.line_height(PxScale::from(style.size)) * lines.len() as f32 + PARAGRAPH_GAP
        })
        .sum::<f32>()
        + 2.0 * PADDING;
    let mut image = GrayImage::from_pixel(WIDTH, height.ceil() as u32, Luma([BACKGROUND]));
    let mut y = PADDING;
    for (index, (style, lines)) in blocks.iter().enumerate() {
        let scale = PxScale::from(style.size);
        if matches!(card[index].emphasis, Emphasis::Body | Emphasis::Footer) {
            draw_rule(&mut image, y - PARAGRAPH_GAP / 2.0);
        }
        for runs in lines {
            let mut x = PADDING;
            for run in runs {
                x = draw_run(fonts, &mut image, &run.text, scale, point(x, y), run.ink);
            }
            y += fonts.line_height(scale);
        }
        y += PARAGRAPH_GAP;
    }
    image
}

/// Wraps a labelled line; the label stays in its own lighter shade on the
/// first wrapped line.
fn wrapped_runs(fonts: &Fonts, line: &CardLine, style: Style, max_width: f32) -> Vec<Vec<Run>> {
    let scale = PxScale::from(style.size);
    let prefix = line.label.map(|l| format!("{l}: ")).unwrap_or_default();
    let wrapped = wrap(fonts, &format!("{prefix}{}", line.value), scale, max_width);
    wrapped
        .into_iter()
        .enumerate()
        .map(|(index, text)| match text.strip_prefix(prefix.as_str()) {
            Some(rest) if index == 0 && !prefix.is_empty() => vec![
                Run {
                    text: prefix.clone(),
                    ink: style.label_ink,
                },
                Run {
                    text: rest.to_string(),
                    ink: style.ink,
                },
            ],
            _ => vec![Run {
                text,
                ink: style.ink,
            }],
        })
        .collect()
}

/// A thin grey line across the card that separates the comment text.
fn draw_rule(image: &mut GrayImage, y: f32) {
    let row = y.max(0.0) as u32;
    if row >= image.height() {
        return;
    }
    for x in PADDING as u32..(WIDTH - PADDING as u32) {
        image.put_pixel(x, row, Luma([200]));
    }
}

/// Draws one run of text with its top-left at `origin`; returns the pen's x
/// after it.
fn draw_run(
    fonts: &Fonts,
    image: &mut GrayImage,
    text: &str,
    scale: PxScale,
    origin: ab_glyph::Point,
    ink: u8,
) -> f32 {
    let baseline = origin.y + fonts.text.as_scaled(scale).ascent();
    let mut x = origin.x;
    for c in visible_chars(text) {
        let pick = fonts.pick(c);
        let font = fonts.font(pick);
        let glyph = pick.id.with_scale_and_position(scale, point(x, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                blend(
                    image,
                    bounds.min.x as i64 + i64::from(gx),
                    bounds.min.y as i64 + i64::from(gy),
                    ink,
                    coverage,
                );
            });
        }
        x += fonts.advance(pick, scale);
    }
    x
}

/// Mixes `ink` into one pixel by glyph coverage, ignoring pixels outside.
fn blend(image: &mut GrayImage, x: i64, y: i64, ink: u8, coverage: f32) {
    let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
        return;
    };
    if x >= image.width() || y >= image.height() {
        return;
    }
    let pixel = image.get_pixel_mut(x, y);
    let coverage = coverage.clamp(0.0, 1.0);
    let mixed = f32::from(pixel.0[0]) * (1.0 - coverage) + f32::from(ink) * coverage;
    pixel.0[0] = mixed.round() as u8;
}

fn encode_png(image: &GrayImage) -> Result<Vec<u8>, ScreenshotError> {
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| ScreenshotError::Draw(e.to_string()))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{card_with_text, decode, ink_pixels};
    use super::*;

    fn fonts() -> &'static Fonts {
        FONTS.as_ref().unwrap()
    }

    fn render(text: &str) -> image::RgbaImage {
        decode(
            &FallbackRenderer::new()
                .render_blocking(&card_with_text(text))
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn renders_a_valid_png_with_text_in_it() {
        let png = FallbackRenderer::new()
            .render(&card_with_text("Det här är en vanlig kommentar."))
            .await
            .unwrap();
        let image = decode(&png);
        assert_eq!(image.width(), WIDTH);
        assert!(image.height() > 150, "height {}", image.height());
        assert!(ink_pixels(&image) > 5_000, "ink {}", ink_pixels(&image));
    }

    #[test]
    fn the_comment_text_itself_is_drawn() {
        let short = ink_pixels(&render("Hej"));
        let longer = ink_pixels(&render("Hej, det här är en betydligt längre kommentar"));
        assert!(longer > short + 1_000, "{longer} vs {short}");
    }

    #[test]
    fn swedish_letters_produce_glyph_pixels() {
        let plain = ink_pixels(&render("aao AAO"));
        let swedish = ink_pixels(&render("åäö ÅÄÖ"));
        assert!(swedish > plain + 20, "{swedish} vs {plain}");
        assert!(fonts().pick('å').id.0 != 0 && !fonts().pick('Ö').emoji);
    }

    #[test]
    fn decomposed_swedish_letters_do_not_panic() {
        let image = render("a\u{30A} a\u{308} o\u{308}");
        assert!(ink_pixels(&image) > 0);
    }

    #[test]
    fn emoji_are_drawn_from_the_shipped_emoji_font() {
        for emoji in ['😀', '👍', '❤', '🤬', '🎉'] {
            assert!(fonts().pick(emoji).id.0 != 0, "{emoji} has no glyph");
        }
        // DejaVu Sans has the classic emoticons itself; newer emoji such as
        // 🤬 and 🎉 only exist in the shipped Symbola subset.
        assert!(fonts().pick('🤬').emoji && fonts().pick('🎉').emoji);
        let without = ink_pixels(&render("Bra jobbat"));
        let with = ink_pixels(&render("Bra jobbat 😀👍❤️🎉"));
        assert!(with > without + 200, "{with} vs {without}");
    }

    #[test]
    fn long_text_wraps_within_the_image_and_makes_it_taller() {
        let text = "Kommunen borde lyssna på invånarna i Söderort. ".repeat(40);
        let scale = PxScale::from(style_of(Emphasis::Body).size);
        let max_width = WIDTH as f32 - 2.0 * PADDING;
        let lines = wrap(fonts(), &text, scale, max_width);
        assert!(lines.len() > 20, "{} lines", lines.len());
        for line in &lines {
            assert!(fonts().width(line, scale) <= max_width + 0.5, "{line}");
        }
        assert_eq!(lines.join(" ").split_whitespace().count(), 280);
        assert!(render(&text).height() > render("Kort").height() + 400);
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken_inside() {
        let url = format!("https://example.se/{}", "x".repeat(300));
        let scale = PxScale::from(15.0);
        let lines = wrap(fonts(), &url, scale, 300.0);
        assert!(lines.len() > 3);
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn newlines_in_the_comment_start_new_lines() {
        let lines = wrap(
            fonts(),
            "rad ett\nrad två\n\nrad fyra",
            PxScale::from(19.0),
            700.0,
        );
        assert_eq!(lines, ["rad ett", "rad två", "", "rad fyra"]);
    }

    #[test]
    fn control_and_markup_characters_do_not_break_drawing() {
        let image = render("<script>alert(1)</script>\u{0}\u{7}\r\t\u{202E}slut");
        assert!(ink_pixels(&image) > 1_000);
    }
}
