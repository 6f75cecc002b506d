//! Where classification time goes: throughput (MB/s) of the whole
//! classifier and of each detector alone, one core, on the same mixed
//! Swedish corpus as `benches/classify.rs`, and the heap that building the
//! standard classifier takes. A quick figure for developers working on
//! speed; the criterion benchmark is the measure of record.
//!
//! Time is the thread's CPU time, not the wall clock, so the figure is per
//! core even on a machine busy with other work; heap is what the
//! allocator reports in use (glibc's `mallinfo2`) before and after
//! `Classifier::standard()` builds its patterns and word lists.
//!
//! `cargo run --release --example detector_costs -- [ROUNDS] [NAME]`
//! (default 5 rounds; with NAME only the detectors whose name contains it,
//! handy under `perf record`: `all` is the whole classifier alone).
//! The corpus is that of [`eval::benchmark_texts`].

use std::hint::black_box;
use std::path::Path;

use kommentarsvakt::domain::Finding;

use kommentarsvakt::classify::{
    Classifier, Detector, Text, cases, contact, eval, illegal, language, normalize, payment,
    personnummer, questions, sensitive, sentences,
};

fn texts() -> Vec<String> {
    match eval::benchmark_texts(&eval::corpus_dir_in(Path::new(env!("CARGO_MANIFEST_DIR")))) {
        Ok(texts) => texts,
        Err(e) => {
            eprintln!("corpus: {e}");
            std::process::exit(2);
        }
    }
}

/// MB/s of `run` over every text, best of `rounds`.
fn throughput(texts: &[String], rounds: usize, mut run: impl FnMut(&str) -> usize) -> f64 {
    bytes_of(texts) as f64 / best_seconds(texts, rounds, |text| run(text)) / 1e6
}

/// CPU seconds of `run` over every item, best of `rounds`.
fn best_seconds<T>(items: &[T], rounds: usize, mut run: impl FnMut(&T) -> usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let started = thread_cpu_seconds();
        let mut findings = 0;
        for item in items {
            findings += run(black_box(item));
        }
        black_box(findings);
        best = best.min(thread_cpu_seconds() - started);
    }
    best
}

/// The CPU time this thread has used, in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid `timespec` for the call to write to.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
}

/// Bytes the allocator has handed out and not yet got back.
fn heap_in_use() -> usize {
    // SAFETY: `mallinfo2` only reads the allocator's statistics.
    unsafe { libc::mallinfo2() }.uordblks
}

/// Where the time of one pass of the standard classifier goes: the parts
/// of the prepared text the detectors share, then each detector on a text
/// whose parts are already computed, as a share of the pass's CPU time.
fn shares(classifier: &Classifier, texts: &[String], rounds: usize) {
    let fresh: Vec<Text<'_>> = texts.iter().map(|t| Text::new(t)).collect();
    let mut stages: Vec<(String, f64)> = vec![
        (
            "shared: matching key".into(),
            seconds(&fresh, rounds, |t| {
                normalize::Normalized::new(t.original()).text.len()
            }),
        ),
        (
            "shared: sentences".into(),
            seconds(&fresh, rounds, |t| sentences::split(t.original()).len()),
        ),
        (
            "shared: language".into(),
            seconds(&fresh, rounds, |t| {
                language::identify(t.original()).code().len()
            }),
        ),
    ];
    let prepared = fresh;
    for detector in classifier.detectors() {
        let mut out: Vec<Finding> = Vec::new();
        let spent = seconds(&prepared, rounds, |t| {
            out.clear();
            detector.detect_in(t, &mut out);
            out.len()
        });
        let name = detector.name().rsplit("::").next().unwrap_or_default();
        stages.push((name.to_owned(), spent));
    }
    let total: f64 = stages.iter().map(|(_, spent)| spent).sum();
    println!(
        "where a pass goes ({:.1} MB/s summed):",
        bytes_of(texts) as f64 / total / 1e6
    );
    for (name, spent) in stages {
        println!("  {name:<26} {:>5.1} %", spent / total * 100.0);
    }
}

/// CPU seconds of `run` over every prepared text, best of `rounds` (at
/// least two): the first round computes what the text caches, so rounds
/// after it measure a detector alone.
fn seconds(prepared: &[Text<'_>], rounds: usize, run: impl FnMut(&Text<'_>) -> usize) -> f64 {
    best_seconds(prepared, rounds.max(2), run)
}

fn bytes_of(texts: &[String]) -> usize {
    texts.iter().map(String::len).sum()
}

fn main() {
    let rounds = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let only = std::env::args().nth(2).unwrap_or_default();
    let texts = texts();
    let bytes = bytes_of(&texts);
    println!(
        "{} texts, {bytes} bytes, best of {rounds} rounds",
        texts.len()
    );
    if only.is_empty() || only == "all" {
        let before = heap_in_use();
        let classifier = Classifier::standard();
        let after = heap_in_use();
        println!(
            "{:<28} {:>8.1} MB",
            "heap of Classifier::standard()",
            after.saturating_sub(before) as f64 / 1e6
        );
        let all = throughput(&texts, rounds, |t| classifier.classify(t).len());
        println!("{:<28} {all:>8.1} MB/s", "all detectors");
        let key = throughput(&texts, rounds, |t| normalize::Normalized::new(t).text.len());
        println!("{:<28} {key:>8.1} MB/s", "matching key (normaliser)");
        shares(&classifier, &texts, rounds);
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
