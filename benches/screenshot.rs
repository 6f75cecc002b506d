//! How many evidence images per second the renderers make from a backlog:
//! 200 realistic cards (Swedish comments from one line to a long rant,
//! emoji, post excerpts or none, every platform) rendered as the pipeline
//! renders a batch, through `render_all`, in the order given.
//!
//! Chromium (`/usr/bin/chromium`, or `$KOMMENTARSVAKT_CHROMIUM`;
//! `.ci/setup-chromium` installs it) is measured one image at a time and at
//! the configured concurrency (`$KOMMENTARSVAKT_SCREENSHOT_CONCURRENCY`,
//! else the default of `archive.screenshot_concurrency`), then at a few
//! other concurrencies to show where the machine's cores run out. The
//! built-in renderer is measured always. Without Chromium the bench says
//! so and measures only the built-in renderer.
//!
//! `cargo bench --bench screenshot` (a plain `main`: each figure is one
//! timed pass over the 200 cards after a short warm-up; the target for
//! Chromium is at least 20 images/s).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kommentarsvakt::archive::screenshot::{
    ChromiumOptions, ChromiumRenderer, DEFAULT_CHROMIUM_PATH, EvidenceCard, FallbackRenderer,
    Renderer, render_all,
};
use kommentarsvakt::config::{DEFAULT_SCREENSHOT_CONCURRENCY, MAX_SCREENSHOT_CONCURRENCY};
use kommentarsvakt::domain::PlatformKind;

/// Cards per timed pass.
const CARDS: usize = 200;
/// Images per second Chromium must reach at the configured concurrency.
const TARGET_PER_SECOND: f64 = 20.0;

const OPENINGS: [&str; 8] = [
    "Varför tar det så lång tid att få svar från förvaltningen?",
    "Tack för en fin sommar i parkerna! 🌳☀️",
    "Det här är ett hån mot alla som betalar skatt i den här kommunen.",
    "Hur ska man som förälder kunna lita på att skolskjutsen kommer i tid?",
    "Äntligen! 👏👏 Har väntat på den här cykelbanan i åratal.",
    "Ni borde skämmas. Ingen har plogat på Kungsholmen sedan i måndags ❄️😡",
    "Vem bestämde att biblioteket ska stänga klockan 16 på fredagar?",
    "Bra jobbat med badplatserna, men toaletterna vid Smedsuddsbadet är en katastrof 🤢",
];

const MIDDLES: [&str; 6] = [
    " Jag har ringt växeln tre gånger och skickat mejl utan att få något svar.",
    " Grannarna i Skärholmen säger samma sak, och ingen i stadshuset verkar bry sig.",
    " Min mamma på 84 år kom inte fram med rullatorn över Sergels torg i förrgår.",
    " Läs gärna vad som står i er egen trafikplan från 2019 innan ni svarar med standardfraser.",
    " Det är inte personalen det är fel på, de gör så gott de kan med de resurser de får 👍",
    " Och varför kostar en parkeringstimme i innerstan nu mer än en lunch på Östermalm? 💸",
];

const POSTS: [&str; 5] = [
    "Nu öppnar vi nya badplatser i Mälaren! Välkomna till Smedsuddsbadet och Långholmen i sommar.",
    "Vinterväghållningen pågår för fullt. Prioriterade gång- och cykelstråk plogas först, därefter bostadsgator.",
    "Kommunfullmäktige har beslutat om en ny skolskjutsorganisation från och med höstterminen.",
    "Stadsbiblioteket får nya öppettider från 1 mars. Se alla tider på vår webbplats.",
    "Välkommen på samråd om den nya detaljplanen för Slakthusområdet den 12 november kl. 18.00 i Globen.",
];

const AUTHORS: [&str; 6] = [
    "Åsa Öberg",
    "Mohammed Al-Hassan",
    "Kalle Ström",
    "Ingrid Lindqvist-Björk",
    "Jörgen Ärlig",
    "Sara Ek",
];

const PLATFORMS: [PlatformKind; 5] = [
    PlatformKind::Facebook,
    PlatformKind::Instagram,
    PlatformKind::Youtube,
    PlatformKind::Linkedin,
    PlatformKind::X,
];

/// The `n`-th card: lengths from one sentence to about 3,000 characters
/// (one card in ten), with and without post, author and link.
fn card(n: usize) -> EvidenceCard {
    let mut text = OPENINGS[n % OPENINGS.len()].to_string();
    let middles = match n % 10 {
        0 => 40,
        1 | 2 => 0,
        3..=6 => 2,
        _ => 6,
    };
    for m in 0..middles {
        text.push_str(MIDDLES[(n + m) % MIDDLES.len()]);
    }
    if n.is_multiple_of(7) {
        text.push_str("\n\nMvh en trött invånare\n#stockholm #kommunen");
    }
    let written_at = Utc
        .with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .expect("valid time")
        + chrono::Duration::minutes(n as i64 * 7);
    EvidenceCard {
        account_name: if n.is_multiple_of(3) {
            "Stockholms stad".to_string()
        } else {
            "Trafikkontoret Stockholm".to_string()
        },
        platform: PLATFORMS[n % PLATFORMS.len()],
        post_excerpt: (n % 4 != 3).then(|| POSTS[n % POSTS.len()].to_string()),
        author: (n % 9 != 8).then(|| AUTHORS[n % AUTHORS.len()].to_string()),
        written_at,
        text,
        permalink: (n % 5 != 4).then(|| {
            format!("https://www.facebook.com/stockholmsstad/posts/1234567890_{n}?comment_id={n}")
        }),
        fetched_at: written_at + chrono::Duration::minutes(45),
        record_ref: format!("{:064x}", n * 7919 + 1),
    }
}

/// The Chromium executable the screenshot module would use here.
fn chromium_path() -> PathBuf {
    std::env::var_os("KOMMENTARSVAKT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM_PATH))
}

/// The concurrency to judge against the target: the environment's, else
/// the configuration default.
fn configured_concurrency() -> usize {
    std::env::var("KOMMENTARSVAKT_SCREENSHOT_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=MAX_SCREENSHOT_CONCURRENCY).contains(n))
        .unwrap_or(DEFAULT_SCREENSHOT_CONCURRENCY)
}

/// CPU time (user and system) a process used so far, with all its
/// descendants when `descendants`, from `/proc`: the browser's helpers
/// (renderers, GPU process) are where most of an image's work happens.
/// `None` off Linux.
fn cpu_of(root: u32, descendants: bool) -> Option<Duration> {
    let ticks_per_second = 100.0; // USER_HZ on every Linux the city runs.
    let mut stats = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the parenthesised command name: state ppid … utime stime.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let fields: Vec<&str> = rest.split(' ').collect();
        let number = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
        if let (Some(ppid), Some(utime), Some(stime)) = (number(1), number(11), number(12)) {
            stats.push((pid, ppid as u32, utime + stime));
        }
    }
    let mut tree = vec![root];
    let mut ticks = 0;
    while let Some(pid) = tree.pop() {
        for &(child, parent, used) in &stats {
            if child == pid {
                ticks += used;
            }
            if descendants && parent == pid {
                tree.push(child);
            }
        }
    }
    Some(Duration::from_secs_f64(ticks as f64 / ticks_per_second))
}

/// One timed pass over `cards`; prints and returns images per second.
/// With `browser` (the browser's process id) the CPU time per image spent
/// in the browser and in this process is printed too: on a shared machine
/// that figure holds where the wall-clock rate depends on the neighbours.
async fn measure(
    label: &str,
    renderer: &dyn Renderer,
    cards: &[EvidenceCard],
    concurrency: usize,
    browser: Option<u32>,
) -> f64 {
    // Warm-up: the browser's tabs opened and fonts loaded, as in a service
    // that has run for a while.
    for shot in render_all(
        renderer,
        &cards[..concurrency.min(cards.len())],
        concurrency,
    )
    .await
    {
        shot.expect("warm-up image");
    }
    let own = std::process::id();
    let cpu = || {
        browser
            .and_then(|pid| cpu_of(pid, true))
            .zip(cpu_of(own, false))
    };
    let cpu_before = cpu();
    let started = Instant::now();
    let shots = render_all(renderer, cards, concurrency).await;
    let elapsed = started.elapsed();
    let cpu_after = cpu();
    let mut bytes = 0;
    let mut tallest = 0;
    for shot in shots {
        let shot = shot.expect("evidence image");
        assert_eq!(
            shot.renderer,
            renderer.name(),
            "image drawn by another renderer"
        );
        let image =
            image::load_from_memory_with_format(&shot.png, image::ImageFormat::Png).expect("a PNG");
        tallest = tallest.max(image.height());
        bytes += shot.png.len();
    }
    let rate = cards.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{label:<34} {:>3} images in {:>6.2} s = {rate:>6.1} images/s ({:>5.1} ms each, \
         {:>4.0} KB average, tallest {tallest} px)",
        cards.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e3 / cards.len() as f64,
        bytes as f64 / cards.len() as f64 / 1024.0,
    );
    if let (Some((browser_before, own_before)), Some((browser_after, own_after))) =
        (cpu_before, cpu_after)
    {
        let per_image = |d: Duration| d.as_secs_f64() * 1e3 / cards.len() as f64;
        let browser_ms = per_image(browser_after.saturating_sub(browser_before));
        let own_ms = per_image(own_after.saturating_sub(own_before));
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        println!(
            "{:<34} CPU per image: {browser_ms:.1} ms in Chromium + {own_ms:.1} ms here; \
             {cores} idle cores would allow about {:.0} images/s",
            "",
            cores as f64 * 1e3 / (browser_ms + own_ms).max(0.1)
        );
    }
    rate
}

async fn chromium(cards: &[EvidenceCard], concurrency: usize) -> Option<f64> {
    let renderer = ChromiumRenderer::new(ChromiumOptions {
        executable: chromium_path(),
        concurrency,
        render_timeout: Duration::from_secs(30),
        ..ChromiumOptions::default()
    });
    if let Err(error) = renderer.start().await {
        println!("chromium: NOT MEASURED, {error}");
        return None;
    }
    let rate = measure(
        &format!("chromium, {concurrency} at a time"),
        &renderer,
        cards,
        concurrency,
        renderer.browser_pid().await,
    )
    .await;
    assert!(
        renderer.peak_tabs() <= concurrency,
        "more tabs than allowed"
    );
    renderer.shutdown().await;
    Some(rate)
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; no other argument is understood.
    let cards: Vec<EvidenceCard> = (0..CARDS).map(card).collect();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("screenshot bench: {CARDS} cards, {cores} cores");

    let builtin = FallbackRenderer::new();
    measure("built-in, 1 at a time", &builtin, &cards, 1, None).await;
    measure(
        &format!("built-in, {} at a time", builtin.concurrency()),
        &builtin,
        &cards,
        builtin.concurrency(),
        None,
    )
    .await;

    let path = chromium_path();
    if !path.exists() {
        println!(
            "chromium: NOT MEASURED, Chromium is not installed at {} (run .ci/setup-chromium \
             or set KOMMENTARSVAKT_CHROMIUM); only the built-in renderer was measured",
            path.display()
        );
        return;
    }
    let configured = configured_concurrency();
    let Some(one) = chromium(&cards, 1).await else {
        return;
    };
    let Some(rate) = chromium(&cards, configured).await else {
        return;
    };
    println!(
        "chromium at the configured {configured} tabs: {rate:.1} images/s, {:.1}× one at a \
         time; target ≥ {TARGET_PER_SECOND} images/s: {}",
        rate / one,
        if rate >= TARGET_PER_SECOND {
            "met"
        } else {
            "NOT MET"
        }
    );
    // Where the cores run out: the figures to choose the default from.
    for concurrency in [2, 4, 8, 16] {
        if concurrency != configured {
            chromium(&cards, concurrency).await;
        }
    }
}
