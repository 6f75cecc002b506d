//! How many evidence records the archive writes per second (each one
//! serialised, hashed, fsynced with its directory, and chained), so the
//! archive's cost per monitoring run is known.

use std::hint::black_box;

use chrono::Utc;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kommentarsvakt::archive::{Archive, RecordInput};
use kommentarsvakt::classify::Classifier;
use kommentarsvakt::decide::ModerationAction;
use kommentarsvakt::model::{FetchedComment, PlatformKind};
use serde_json::value::RawValue;

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

fn archive_records(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = Archive::open(dir.path()).expect("archive");
    let classifier = Classifier::standard();
    let mut group = c.benchmark_group("archive");
    group.throughput(Throughput::Elements(1));
    let mut i = 0;
    group.bench_function("record_without_screenshot", |b| {
        b.iter(|| {
            i += 1;
            let comment = comment(i);
            let findings = classifier.classify(&comment.text);
            let receipt = archive
                .archive_comment(&RecordInput {
                    account_key: "stadshuset",
                    account_name: "Stockholms stad",
                    platform: PlatformKind::Facebook,
                    comment: &comment,
                    fetched_at: Utc::now(),
                    findings: &findings,
                    action: ModerationAction::None,
                    screenshot: None,
                })
                .expect("archived");
            black_box(receipt);
        })
    });
    group.finish();
}

criterion_group!(benches, archive_records);
criterion_main!(benches);
