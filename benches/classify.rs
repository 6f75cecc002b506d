//! Classification throughput (MB/s) on a realistic mixed Swedish corpus with
//! every detector on, and with 1×, 10× and 100× the word lists (synthetic
//! extra terms), to show that the cost grows with the text, not the terms:
//! the lexicon is one Aho-Corasick automaton, so one pass per comment.
//!
//! The corpus is the superlim texts of the repository's `tests/data/corpus`
//! (or `$KOMMENTARSVAKT_CORPUS`; [`eval::benchmark_texts`]), each text
//! classified as one comment, with a few threats and slurs mixed in so that
//! the context rules run too.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kommentarsvakt::classify::lexicon::LexiconBuilder;
use kommentarsvakt::classify::{Classifier, eval};

const HEADER: &str = "# source: synthetic benchmark terms\n# licence: EUPL-1.2\n";

fn comments() -> Vec<String> {
    let corpus = eval::corpus_dir_in(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut texts =
        eval::benchmark_texts(&corpus).unwrap_or_else(|e| panic!("benchmark corpus: {e}"));
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
