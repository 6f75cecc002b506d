//! Fuzzing with proptest (fuzz/README.md): what outsiders and operators
//! feed the service — platform answers, config files, word lists, comment
//! texts — never makes it panic. Each case is a seed from the repository
//! with random byte edits, or arbitrary input; crashes found are kept in
//! `fuzz/regressions/` and replayed first.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

use kommentarsvakt::classify::Classifier;
use kommentarsvakt::classify::Vocabulary;
use kommentarsvakt::classify::illegal::MediaHashList;
use kommentarsvakt::classify::lexicon::{Lexicon, LexiconBuilder};
use kommentarsvakt::classify::service_phrases::ServicePhrases;
use kommentarsvakt::clock::ManualClock;
use kommentarsvakt::config::{self, AccountConfig};
use kommentarsvakt::domain::PlatformKind;
use kommentarsvakt::platforms::{self, Cursors, Platform};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// proptest's settings for one target: the case count from
/// `PROPTEST_CASES` (default 256), failures kept in the repository.
fn settings(target: &str) -> Config {
    let regressions: &'static str =
        Box::leak(format!("{ROOT}/fuzz/regressions/{target}.txt").into_boxed_str());
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        ..Config::default()
    }
}

/// The files of `dir` with the extension `ext`, sorted, as seeds.
fn seeds(dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    let seeds: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    assert!(!seeds.is_empty(), "no seeds in {dir}");
    seeds
}

/// One edit of a seed: overwrite, insert or delete a byte, or cut the rest.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Insert(at, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        match *e {
            Edit::Set(at, b) if len > 0 => bytes[at % len] = b,
            Edit::Insert(at, b) => bytes.insert(at % (len + 1), b),
            Edit::Delete(at) if len > 0 => {
                bytes.remove(at % len);
            }
            Edit::Truncate(at) if len > 0 && e_truncates(at) => bytes.truncate(at % len),
            _ => {}
        }
    }
    bytes
}

/// Cuts are rarer than edits, so most cases keep the seed's structure.
fn e_truncates(at: usize) -> bool {
    at.is_multiple_of(8)
}

/// A seed of `seeds` with up to `max_edits` edits, or arbitrary bytes.
fn input(seeds: Vec<Vec<u8>>, max_edits: usize) -> impl Strategy<Value = Vec<u8>> {
    let count = seeds.len();
    prop_oneof![
        4 => (0..count, prop::collection::vec(edit(), 0..max_edits))
            .prop_map(move |(i, edits)| apply(seeds[i].clone(), &edits)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------
// Wire parsers: every connector's first listing call, answered with the
// fuzzed body by a local server.

struct Wire {
    runtime: tokio::runtime::Runtime,
    server: wiremock::MockServer,
    connectors: Vec<(PlatformKind, Arc<dyn Platform>)>,
}

fn account(kind: PlatformKind, base: &str) -> AccountConfig {
    let platform_id = match kind {
        PlatformKind::Linkedin => "urn:li:organization:1234567",
        _ => "1234567890",
    };
    let mut account = AccountConfig {
        name: "Fuzz".to_string(),
        department: "slk".to_string(),
        moderators: vec!["moderator@example.se".to_string()],
        purpose: "Fuzz".to_string(),
        token: Some("fuzz-token".to_string().into()),
        api_base_url: base.to_string(),
        dry_run: true,
        ..AccountConfig::new(&format!("fuzz-{}", kind.as_str()), kind, platform_id)
    };
    if kind == PlatformKind::Linkedin {
        account.api_version = "202601".to_string();
    }
    account
}

fn wire() -> &'static Wire {
    static WIRE: OnceLock<Wire> = OnceLock::new();
    WIRE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(wiremock::MockServer::start());
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let client = platforms::http_client(Duration::from_secs(5)).unwrap();
        let connectors = [
            PlatformKind::Facebook,
            PlatformKind::Instagram,
            PlatformKind::X,
            PlatformKind::Youtube,
            PlatformKind::Linkedin,
        ]
        .into_iter()
        .map(|kind| {
            let platform = platforms::connect(
                &account(kind, &server.uri()),
                client.clone(),
                Duration::from_secs(5),
                clock.clone(),
            )
            .unwrap_or_else(|e| panic!("{kind:?} connector: {e}"));
            (kind, platform)
        })
        .collect();
        Wire {
            runtime,
            server,
            connectors,
        }
    })
}

fn wire_seeds() -> Vec<Vec<u8>> {
    ["facebook", "instagram", "x", "youtube", "linkedin"]
        .iter()
        .flat_map(|p| seeds(&format!("tests/data/platforms/{p}"), "json"))
        .collect()
}

/// Every connector reads `body` as the answer to its first listing call
/// and answers with a harvest or an error, never a panic.
fn every_connector_reads(body: &[u8], status: u16) {
    let wire = wire();
    wire.runtime.block_on(async {
        wire.server.reset().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(
                wiremock::ResponseTemplate::new(status)
                    .set_body_raw(body.to_vec(), "application/json"),
            )
            .mount(&wire.server)
            .await;
        for (_, platform) in &wire.connectors {
            let cursors = Cursors::default();
            for fetch in platform.first_fetches(&cursors, chrono::Utc::now()) {
                if let Ok(harvest) = platform.fetch(&fetch, &cursors).await {
                    for comment in &harvest.comments {
                        let _ = platform.attachment_urls(comment);
                        let _ = platform.capabilities(comment);
                    }
                }
            }
        }
        let asked = wire.server.received_requests().await.unwrap_or_default();
        assert!(
            asked.len() >= wire.connectors.len(),
            "every connector read the body"
        );
    });
}

proptest! {
    #![proptest_config(settings("wire"))]
    #[test]
    fn wire_parsers_never_panic(body in input(wire_seeds(), 24), status in prop::sample::select(vec![200u16, 200, 200, 400, 429, 500])) {
        every_connector_reads(&body, status);
    }
}

// ---------------------------------------------------------------------------
// The config loader.

fn config_seeds() -> Vec<Vec<u8>> {
    ["kommentarsvakt.toml", "demo.toml"]
        .iter()
        .filter_map(|f| std::fs::read(Path::new(ROOT).join("config").join(f)).ok())
        .collect()
}

proptest! {
    // Each loadable case compiles the built-in word lists (about a second),
    // so this target runs an eighth of the cases of the others.
    #![proptest_config(Config { cases: (settings("config").cases / 8).max(16), ..settings("config") })]
    #[test]
    fn the_config_loader_never_panics(file in input(config_seeds(), 16)) {
        let _ = config::load_str(&text(&file), "fuzz.toml");
    }
}

// ---------------------------------------------------------------------------
// Word lists and the media hash list.

fn list_names() -> Vec<&'static str> {
    vec![
        "sv/olaga_hot.txt",
        "sv/allow.txt",
        "sv/hets_mot_folkgrupp.txt",
        "domains/shorteners.txt",
        "en/olaga_hot.txt",
        "nonsense.txt",
    ]
}

proptest! {
    #![proptest_config(settings("wordlists"))]
    #[test]
    fn the_word_list_loader_never_panics(
        contents in input(seeds("wordlists/sv", "txt"), 24),
        name in prop::sample::select(list_names()),
    ) {
        let contents = text(&contents);
        let mut builder = LexiconBuilder::new();
        if builder.add_list(name, &contents).is_ok() {
            let _ = builder.build();
        }
        let _ = MediaHashList::parse("fuzz.txt", &contents);
    }
}

// ---------------------------------------------------------------------------
// The classifier.

fn classifier() -> &'static Classifier {
    static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();
    CLASSIFIER.get_or_init(|| {
        Classifier::with_vocabulary(
            Lexicon::embedded().unwrap(),
            &ServicePhrases::embedded().unwrap(),
            &Vocabulary::builtin(),
        )
    })
}

/// Classifies `text` and checks that every finding points into it.
fn classify_within_bounds(text: &str) {
    for finding in classifier().classify(text) {
        assert!(
            finding.start <= finding.end && text.get(finding.start..finding.end).is_some(),
            "finding {finding:?} is not a span of the text {text:?}"
        );
    }
}

proptest! {
    #![proptest_config(settings("classifier"))]
    #[test]
    fn the_classifier_never_panics_and_its_findings_point_into_the_text(
        bytes in input(seeds("fuzz/corpus/classifier", "txt"), 24),
        arbitrary in any::<String>(),
    ) {
        classify_within_bounds(&text(&bytes));
        classify_within_bounds(&arbitrary);
    }
}
