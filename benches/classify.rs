//! Classification throughput (MB/s) on a realistic mixed Swedish corpus with
//! every detector on, and with 1×, 10× and 100× the word lists (synthetic
//! extra terms), to show that the cost grows with the text, not the terms:
//! the lexicon is one Aho-Corasick automaton, so one pass per comment.
//!
//! The corpus is the superlim texts in `$KOMMENTARSVAKT_CORPUS` or
//! `<manifest>/../shared/corpus`, each text classified as one comment, with
//! a few threats and slurs mixed in so that the context rules run too.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kommentarsvakt::classify::Classifier;
use kommentarsvakt::classify::lexicon::LexiconBuilder;

const HEADER: &str = "# source: synthetic benchmark terms\n# licence: EUPL-1.2\n";

fn corpus_dir() -> PathBuf {
    std::env::var_os("KOMMENTARSVAKT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

fn comments() -> Vec<String> {
    let dir = corpus_dir().join("superlim");
    let mut texts = Vec::new();
    for (file, field) in [
        ("absabank-imm_train.jsonl", "text"),
        ("absabank-imm_dev.jsonl", "text"),
        ("argumentation-sentences_dev.jsonl", "sentence"),
        ("swefaq_dev.jsonl", "question"),
    ] {
        let path = dir.join(file);
        let contents = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "benchmark corpus missing at {} ({e}); set KOMMENTARSVAKT_CORPUS",
                path.display()
            )
        });
        for line in contents.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            if let Some(text) = value.get(field).and_then(|v| v.as_str()) {
                texts.push(text.to_owned());
            }
        }
    }
    let mixed_in = [
        "Jag ska döda dig om du skriver så igen.",
        "Muslimer är ohyra, skrev han, och det är rasistiskt.",
        "Jävla b l a t t e, åk hem.",
        "Hela filmen gratis här: https://thepiratebay.org/x",
    ];
    for (i, extra) in mixed_in.iter().cycle().take(texts.len() / 50).enumerate() {
        let at = (i * 50) % texts.len();
        texts[at] = format!("{} {extra}", texts[at]);
    }
    texts
}

/// Synthetic term lines: pronounceable nonsense words that never occur in
/// Swedish, each inflected like a real noun.
fn synthetic_terms(lines: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "zor", "qev", "xul", "vib", "kaz", "moq", "tyx", "duv", "pex", "wob", "gij", "fuz",
    ];
    let mut list = String::from(HEADER);
    for n in 0..lines {
        let word: String = [n % 12, (n / 12) % 12, (n / 144) % 12, (n / 1728) % 12]
            .iter()
            .map(|&i| SYLLABLES[i])
            .collect();
        list.push_str(&format!(
            "{word}\tnoun-ar\tslur\tprobable\tnone\tsynthetic {n}\n"
        ));
    }
    list
}

fn classifier_with(extra_lines: usize) -> (Classifier, usize) {
    let mut builder = LexiconBuilder::new();
    builder.add_embedded().unwrap_or_else(|e| panic!("{e}"));
    if extra_lines > 0 {
        builder
            .add_list("sv/religion.txt", &synthetic_terms(extra_lines))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let patterns = builder.pattern_count();
    let lexicon = builder.build().unwrap_or_else(|e| panic!("{e}"));
    (Classifier::with_wordlists(lexicon), patterns)
}

fn bench_classify(c: &mut Criterion) {
    let texts = comments();
    let bytes: usize = texts.iter().map(String::len).sum();
    let base_terms = {
        let mut builder = LexiconBuilder::new();
        builder.add_embedded().unwrap_or_else(|e| panic!("{e}"));
        builder
            .build()
            .map(|l| l.term_count())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Bytes(bytes as u64));
    for factor in [1usize, 10, 100] {
        let (classifier, patterns) = classifier_with(base_terms * (factor - 1));
        eprintln!(
            "{factor}x word lists: {} term lines, {patterns} patterns; corpus {} texts, {bytes} bytes",
            base_terms * factor,
            texts.len()
        );
        group.bench_function(format!("word_lists_{factor}x"), |b| {
            b.iter(|| {
                let mut findings = 0;
                for text in &texts {
                    findings += classifier.classify(black_box(text)).len();
                }
                black_box(findings)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = bench_classify
}
criterion_main!(benches);
