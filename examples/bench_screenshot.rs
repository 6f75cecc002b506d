//! Measures how many evidence images per second each renderer makes, one
//! after another, as the pipeline would, and writes one sample of each to
//! a directory for a look by eye.
//!
//! `cargo run --example bench_screenshot -- [COUNT] [OUT_DIR]` (defaults 50
//! and the system temporary directory). Chromium is measured when
//! `/usr/bin/chromium` (or `$KOMMENTARSVAKT_CHROMIUM`) exists.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::Utc;
use kommentarsvakt::archive::screenshot::{
    ChromiumOptions, ChromiumRenderer, DEFAULT_CHROMIUM_PATH, EvidenceCard, FallbackRenderer,
    Renderer,
};
use kommentarsvakt::model::PlatformKind;

fn card(n: usize) -> EvidenceCard {
    EvidenceCard {
        account_name: "Stockholms stad".to_string(),
        platform: PlatformKind::Facebook,
        post_excerpt: Some(
            "Nu öppnar vi nya badplatser i Mälaren! Välkomna till Smedsuddsbadet.".to_string(),
        ),
        author: Some("Anna Andersson".to_string()),
        written_at: Utc::now(),
        text: format!(
            "Kommentar {n}: Varför tar det så lång tid att få svar från förvaltningen? 😡 \
             Jag har väntat i tre veckor på besked om bygglovet på Söder. <script>alert(1)</script> \
             Det här är inte okej, ärligt talat. Å andra sidan är personalen trevlig 👍"
        ),
        permalink: Some(format!(
            "https://www.facebook.com/stockholmsstad/posts/123_{n}"
        )),
        fetched_at: Utc::now(),
        record_ref: format!("{:064x}", n),
    }
}

async fn bench(renderer: &dyn Renderer, count: usize, out: &Path) -> anyhow::Result<()> {
    // The first image includes any browser start; it is measured apart.
    let first = Instant::now();
    let png = renderer.render(&card(0)).await?;
    let first = first.elapsed();
    let sample = out.join(format!("evidence-{}.png", renderer.name()));
    std::fs::write(&sample, &png)?;
    let started = Instant::now();
    let mut bytes = 0;
    for n in 1..=count {
        bytes += renderer.render(&card(n)).await?.len();
    }
    let elapsed = started.elapsed();
    println!(
        "{:<9} first image {:>7.1} ms; then {count} images in {:>6.2} s = {:>7.1} images/s \
         ({:.1} ms each, {:.0} KB average); sample {}",
        renderer.name(),
        first.as_secs_f64() * 1e3,
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e3 / count as f64,
        bytes as f64 / count as f64 / 1024.0,
        sample.display()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(50);
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    bench(&FallbackRenderer::new(), count, &out).await?;
    let chromium = std::env::var("KOMMENTARSVAKT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(DEFAULT_CHROMIUM_PATH));
    if chromium.exists() {
        let renderer = ChromiumRenderer::new(ChromiumOptions {
            executable: chromium,
            ..ChromiumOptions::default()
        });
        bench(&renderer, count, &out).await?;
        renderer.shutdown().await;
    } else {
        println!(
            "chromium  not measured: {} does not exist",
            chromium.display()
        );
    }
    Ok(())
}
