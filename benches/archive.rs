//! How many evidence records the archive writes per second (each one
//! serialised, hashed, fsynced with its directory, and chained), so the
//! archive's cost per monitoring run is known — without a screenshot, and
//! with the screenshot drawn inside the measured loop as the pipeline does
//! for a flagged comment: by the built-in renderer always, and by headless
//! Chromium when it is installed (`/usr/bin/chromium`, or
//! `$KOMMENTARSVAKT_CHROMIUM`; `.ci/setup-chromium` installs it).
//!
//! Criterion reports each case's throughput in elements per second, and one
//! element is one archived record.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
    measurement::WallTime,
};
use kommentarsvakt::archive::screenshot::{
    ChromiumOptions, ChromiumRenderer, DEFAULT_CHROMIUM_PATH, EvidenceCard, FallbackRenderer,
    Renderer,
};
use kommentarsvakt::archive::{Archive, RecordInput};
use kommentarsvakt::classify::Classifier;
use kommentarsvakt::domain::{FetchedComment, ModerationAction, PlatformKind};
use serde_json::value::RawValue;
use tokio::runtime::Runtime;

const ACCOUNT_KEY: &str = "stadshuset";
const ACCOUNT_NAME: &str = "Stockholms stad";

fn comment(i: u64) -> FetchedComment {
    let text = format!(
        "Kommentar nummer {i}: när öppnar badhuset i Husby igen? Det har varit stängt i flera veckor och ingen svarar i telefon."
    );
    let raw = serde_json::json!({"id": format!("100_1_{i}"), "message": text, "created_time": "2026-11-23T08:12:00+0000"});
    FetchedComment {
        platform_id: format!("100_1_{i}"),
        post_id: "100_1".into(),
        parent_id: None,
        author_id: Some("42".into()),
        author_name: Some("Åsa Öberg".into()),
        text,
        created_at: Utc::now(),
        permalink: Some(format!(
            "https://www.facebook.com/100/posts/1?comment_id={i}"
        )),
        is_hidden: false,
        raw: RawValue::from_string(raw.to_string()).expect("valid JSON"),
    }
}

/// One archive in its own temporary directory and the next comment number,
/// so every measured case writes a fresh chain.
struct Bench {
    archive: Archive,
    classifier: Classifier,
    next: u64,
    _dir: tempfile::TempDir,
}

impl Bench {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        Self {
            archive: Archive::open(dir.path()).expect("archive"),
            classifier: Classifier::standard(),
            next: 0,
            _dir: dir,
        }
    }

    /// Classifies, draws the screenshot (when a renderer is given) and
    /// archives the next comment: what the pipeline does per flagged comment.
    fn archive_next(&mut self, renderer: Option<(&dyn Renderer, &Runtime)>) {
        self.next += 1;
        let comment = comment(self.next);
        let fetched_at = Utc::now();
        let findings = self.classifier.classify(&comment.text);
        let screenshot = renderer.map(|(renderer, runtime)| {
            let card = EvidenceCard::for_comment(
                ACCOUNT_NAME,
                PlatformKind::Facebook,
                &comment,
                None,
                fetched_at,
            );
            runtime
                .block_on(renderer.render_screenshot(&card))
                .expect("screenshot")
        });
        let receipt = self
            .archive
            .archive_comment(&RecordInput {
                account_key: ACCOUNT_KEY,
                account_name: ACCOUNT_NAME,
                platform: PlatformKind::Facebook,
                comment: &comment,
                fetched_at,
                findings: &findings,
                action: ModerationAction::None,
                screenshot: screenshot.as_ref(),
            })
            .expect("archived");
        black_box(receipt);
    }
}

fn measure(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    renderer: Option<(&dyn Renderer, &Runtime)>,
) {
    let mut bench = Bench::new();
    group.bench_function(name, |b| b.iter(|| bench.archive_next(renderer)));
}

/// The Chromium executable the screenshot module would use here.
fn chromium_path() -> PathBuf {
    std::env::var_os("KOMMENTARSVAKT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM_PATH))
}

/// A started Chromium, or `None` with the reason printed, so a machine
/// without a browser still benchmarks the rest.
fn started_chromium(runtime: &Runtime) -> Option<ChromiumRenderer> {
    let path = chromium_path();
    if !path.exists() {
        println!(
            "archive/record_with_chromium_screenshot: SKIPPED, Chromium is not installed at {} \
             (run .ci/setup-chromium or set KOMMENTARSVAKT_CHROMIUM)",
            path.display()
        );
        return None;
    }
    let renderer = ChromiumRenderer::new(ChromiumOptions {
        executable: path,
        ..ChromiumOptions::default()
    });
    match runtime.block_on(renderer.start()) {
        Ok(()) => Some(renderer),
        Err(error) => {
            println!("archive/record_with_chromium_screenshot: SKIPPED, {error}");
            None
        }
    }
}

fn archive_records(c: &mut Criterion) {
    let runtime = Runtime::new().expect("tokio runtime");
    let builtin = FallbackRenderer::new();
    let mut group = c.benchmark_group("archive");
    group.throughput(Throughput::Elements(1));
    measure(&mut group, "record_without_screenshot", None);
    measure(
        &mut group,
        "record_with_builtin_screenshot",
        Some((&builtin, &runtime)),
    );
    if let Some(chromium) = started_chromium(&runtime) {
        // About 0.2 s an image: few, equal samples keep this case short.
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(2))
            .measurement_time(Duration::from_secs(10));
        measure(
            &mut group,
            "record_with_chromium_screenshot",
            Some((&chromium, &runtime)),
        );
        runtime.block_on(chromium.shutdown());
    }
    group.finish();
}

criterion_group!(benches, archive_records);
criterion_main!(benches);
