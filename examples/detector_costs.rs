//! Where classification time goes: throughput (MB/s) of the whole
//! classifier and of each detector alone, one core, on the same mixed
//! Swedish corpus as `benches/classify.rs`. A quick figure for developers
//! working on speed; the criterion benchmark is the measure of record.
//!
//! `cargo run --release --example detector_costs -- [ROUNDS] [NAME]`
//! (default 5 rounds; with NAME only the detectors whose name contains it,
//! handy under `perf record`).
//! The corpus is `$KOMMENTARSVAKT_CORPUS/superlim` or `../shared/corpus`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kommentarsvakt::classify::{
    Classifier, Detector, Finding, cases, contact, illegal, payment, personnummer, questions,
    sensitive,
};

fn corpus_dir() -> PathBuf {
    std::env::var_os("KOMMENTARSVAKT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

fn texts() -> Vec<String> {
    let dir = corpus_dir().join("superlim");
    let mut texts = Vec::new();
    for (file, field) in [
        ("absabank-imm_train.jsonl", "text"),
        ("absabank-imm_dev.jsonl", "text"),
        ("argumentation-sentences_dev.jsonl", "sentence"),
        ("swefaq_dev.jsonl", "question"),
    ] {
        let path = dir.join(file);
        let Ok(contents) = std::fs::read_to_string(&path) else {
            eprintln!("corpus file missing: {}", path.display());
            std::process::exit(2);
        };
        texts.extend(contents.lines().filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            Some(value.get(field)?.as_str()?.to_owned())
        }));
    }
    texts
}

/// MB/s of `run` over every text, best of `rounds`.
fn throughput(texts: &[String], rounds: usize, mut run: impl FnMut(&str) -> usize) -> f64 {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let started = Instant::now();
        let mut findings = 0;
        for text in texts {
            findings += run(black_box(text));
        }
        black_box(findings);
        best = best.min(started.elapsed().as_secs_f64());
    }
    bytes as f64 / best / 1e6
}

fn main() {
    let rounds = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let only = std::env::args().nth(2).unwrap_or_default();
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} texts, {bytes} bytes, best of {rounds} rounds",
        texts.len()
    );
    if only.is_empty() {
        let classifier = Classifier::standard();
        let all = throughput(&texts, rounds, |t| classifier.classify(t).len());
        println!("{:<28} {all:>8.1} MB/s", "all detectors");
    }
    let illegal = match illegal::IllegalContentDetector::embedded() {
        Ok(detector) => detector,
        Err(e) => {
            eprintln!("word lists: {e}");
            std::process::exit(2);
        }
    };
    let detectors: Vec<(&str, Box<dyn Detector>)> = vec![
        (
            "personnummer",
            Box::new(personnummer::PersonnummerDetector::new()),
        ),
        ("phone", Box::new(contact::PhoneDetector::new())),
        ("email", Box::new(contact::EmailDetector::new())),
        ("address", Box::new(contact::AddressDetector::new())),
        (
            "protected_identity",
            Box::new(contact::ProtectedIdentityDetector::new()),
        ),
        ("payment", Box::new(payment::PaymentDetector::new())),
        (
            "sensitive (art. 9)",
            Box::new(sensitive::SensitiveDetector::new()),
        ),
        ("questions", Box::new(questions::QuestionDetector::new())),
        ("case matters", Box::new(cases::CaseDetector::new())),
        (
            "child welfare",
            Box::new(cases::ChildWelfareDetector::new()),
        ),
        ("illegal content", Box::new(illegal)),
    ];
    for (name, detector) in detectors.iter().filter(|(name, _)| name.contains(&only)) {
        let mut out: Vec<Finding> = Vec::new();
        let rate = throughput(&texts, rounds, |t| {
            out.clear();
            detector.detect(t, &mut out);
            out.len()
        });
        println!("{name:<28} {rate:>8.1} MB/s");
    }
}
