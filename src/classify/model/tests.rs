use std::collections::HashSet;

use super::*;
use crate::classify::{Classifier, Vocabulary, lexicon, service_phrases};

const HEADER: &str = "# source: a test\n# licence: EUPL-1.2\n# threshold: 0.5\n\
                      # bias: clean=2 incitement=0 threat=0 violence=0\n";

fn key(text: &str) -> String {
    Normalized::new(text).text
}

fn model_findings(classifier: &Classifier, text: &str) -> Vec<Finding> {
    classifier
        .classify(text)
        .into_iter()
        .filter(|f| f.rule == RULE)
        .collect()
}

fn error_of(contents: &str) -> String {
    match Model::parse("sv/model/attack.tsv", contents) {
        Ok(_) => panic!("expected an error for {contents:?}"),
        Err(error) => error.to_string(),
    }
}

fn classifier_with(vocabulary: &Vocabulary) -> Classifier {
    Classifier::with_vocabulary(
        lexicon::Lexicon::embedded().unwrap_or_else(|e| panic!("{e}")),
        &service_phrases::ServicePhrases::builtin(),
        vocabulary,
    )
}

#[test]
fn the_builtin_model_parses() {
    let model = Model::parse(MODEL_FILE, EMBEDDED).unwrap_or_else(|e| panic!("{e}"));
    assert!(model.feature_count() > 1000, "{}", model.feature_count());
    assert!(model.threshold() > 0.0 && model.threshold() < 1.0);
    assert!(EMBEDDED.lines().count() <= 30_000 && EMBEDDED.len() <= 2_000_000);
}

#[test]
fn a_malformed_line_names_the_file_and_the_line() {
    let body = format!("{HEADER}w:döda\tthreat\t1.5\nw:dö\tthreat\n");
    let error = error_of(&body);
    assert!(error.contains("sv/model/attack.tsv, line 6"), "{error}");
    let error = error_of(&format!("{HEADER}w:döda\tthreat\t1.5\nw:dö\thot\t1\n"));
    assert!(
        error.contains("line 6") && error.contains("unknown class `hot`"),
        "{error}"
    );
    let error = error_of(&format!("{HEADER}w:döda\tthreat\tmycket\n"));
    assert!(
        error.contains("line 5") && error.contains("mycket"),
        "{error}"
    );
    let error = error_of(&format!("{HEADER}döda\tthreat\t1\n"));
    assert!(error.contains("line 5") && error.contains("w:"), "{error}");
}

#[test]
fn a_model_without_threshold_bias_or_provenance_is_refused() {
    let error =
        error_of("# source: x\n# licence: y\n# bias: clean=1 incitement=0 threat=0 violence=0\n");
    assert!(error.contains("# threshold:"), "{error}");
    let error = error_of("# source: x\n# licence: y\n# threshold: 0.5\n# bias: clean=1 threat=0\n");
    assert!(
        error.contains("line 4") && error.contains("incitement"),
        "{error}"
    );
    let error = error_of("# licence: y\n# threshold: 0.5\n");
    assert!(error.contains("# source:"), "{error}");
    let error = error_of("# source: x\n# licence: y\n# threshold: 2\n");
    assert!(
        error.contains("line 3") && error.contains("between 0 and 1"),
        "{error}"
    );
}

#[test]
fn a_city_model_replaces_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("sv/model");
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        folder.join("attack.tsv"),
        format!("{HEADER}w:bananskal\tviolence\t9\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let city =
        classifier_with(&Vocabulary::with_overlay(dir.path()).unwrap_or_else(|e| panic!("{e}")));
    let builtin = classifier_with(&Vocabulary::builtin());

    let text = "Det låg ett bananskal på trappan vid biblioteket";
    assert!(model_findings(&builtin, text).is_empty());
    let found = model_findings(&city, text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].category, Category::OlagaValdsskildring);
    assert!(
        found[0].reason.contains("»bananskal«"),
        "{}",
        found[0].reason
    );

    // The built-in weights are gone: a text only they flag is not flagged.
    let harmful = "ni j*vla bl*tter ska brinna";
    assert_eq!(model_findings(&builtin, harmful).len(), 1);
    assert!(model_findings(&city, harmful).is_empty());
}

#[test]
fn a_broken_city_model_is_an_error_naming_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("sv/model");
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(folder.join("attack.tsv"), format!("{HEADER}w:x\tthreat\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let error = match Vocabulary::with_overlay(dir.path()) {
        Ok(_) => panic!("the broken model was accepted"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("sv/model/attack.tsv, line 5"), "{error}");
}

#[test]
fn a_masked_slur_and_its_plain_spelling_share_letter_ngrams() {
    let grams = |text: &str| -> HashSet<String> {
        features(&key(text))
            .into_iter()
            .filter(|f| f.starts_with("c:"))
            .collect()
    };
    let plain = grams("blattar");
    let masked = grams("bl*ttar");
    let shared: Vec<_> = plain.intersection(&masked).collect();
    assert!(
        shared.len() >= 5 && shared.iter().any(|g| g.as_str() == "c:ttar>"),
        "{shared:?}"
    );
    // Any number of asterisks is the same mask.
    assert_eq!(grams("n**ger"), grams("n****ger"));
    // Case, diacritics written as leetspeak and spacing are undone first.
    assert_eq!(features(&key("D Ö D A")), features(&key("döda")));
}

#[test]
fn features_are_words_pairs_and_padded_letters() {
    let found = features(&key("Du ska dö"));
    for expected in [
        "w:du",
        "w:ska",
        "b:du ska",
        "b:ska dö",
        "c:<du>",
        "c:<sk",
        "c:ska>",
        "c:<ska>",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} in {found:?}"
        );
    }
    assert!(!found.iter().any(|f| f == "c:<dö>>"));
    assert_eq!(
        found.len(),
        found.iter().collect::<HashSet<_>>().len(),
        "each feature once"
    );
}

#[test]
fn a_model_finding_is_probable_never_obvious_and_one_per_comment() {
    let classifier = Classifier::standard();
    let texts = [
        "ni j*vla bl*tter ska brinna",
        "Alla ni som bor i orten kommer att få det ni förtjänar, en efter en",
        "Hoppas hela släkten ruttnar. Ni är inte människor.",
    ];
    let mut flagged = 0;
    for text in texts {
        let found = model_findings(&classifier, text);
        assert!(found.len() <= 1, "{found:?}");
        for finding in &found {
            flagged += 1;
            assert_eq!(finding.confidence, Confidence::Probable);
            assert!(matches!(
                finding.category,
                Category::HetsMotFolkgrupp | Category::OlagaHot | Category::OlagaValdsskildring
            ));
            assert!(text.get(finding.start..finding.end).is_some());
        }
    }
    assert!(flagged >= 1, "the model flags some of these");
    for labelled in labelled_files("tests/data/labelled") {
        for text in labelled {
            for finding in model_findings(&classifier, &text) {
                assert_eq!(finding.confidence, Confidence::Probable, "{text}");
            }
        }
    }
}

#[test]
fn the_model_adds_nothing_when_a_rule_found_the_same() {
    let classifier = Classifier::standard();
    let text = "Jag ska hitta dig och slå ihjäl dig";
    let found = classifier.classify(text);
    assert!(
        found
            .iter()
            .any(|f| f.category == Category::OlagaHot && f.rule != RULE),
        "a rule finds the threat: {found:?}"
    );
    assert!(!found.iter().any(|f| f.rule == RULE), "{found:?}");
}

#[test]
fn the_span_is_the_worst_sentence() {
    let classifier = Classifier::standard();
    let text = "Vi ses i parken på lördag. Hoppas hela er släkt ruttnar och dör långsamt, \
                era äckliga råttor.";
    let found = model_findings(&classifier, text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        &text[found[0].start..found[0].end],
        " Hoppas hela er släkt ruttnar och dör långsamt, era äckliga råttor"
    );
}

#[test]
fn the_reason_names_words_of_the_comment_that_weighed_most() {
    let classifier = Classifier::standard();
    let text = "ni j*vla bl*tter ska brinna";
    let found = model_findings(&classifier, text);
    let reason = &found[0].reason;
    assert!(
        reason.starts_with("Statistisk bedömning: liknar "),
        "{reason}"
    );
    assert!(reason.contains("(sannolikhet 0,"), "{reason}");
    let named: Vec<&str> = reason
        .split('»')
        .skip(1)
        .filter_map(|part| part.split('«').next())
        .collect();
    assert!((1..=REASON_FEATURES).contains(&named.len()), "{reason}");
    let words = key(text);
    for word in &named {
        assert!(words.contains(word), "»{word}« is not in {words:?}");
    }
    // The first named word is the one with the largest contribution.
    let model = Model::builtin();
    let class = model.score(&words).top_harmful();
    assert_eq!(model.strongest(&words, class)[0], named[0]);
}

#[test]
fn english_comments_are_left_to_the_english_rules() {
    let classifier = Classifier::standard();
    let text = "You people are vermin and you deserve to be wiped out, every last one of you";
    assert!(model_findings(&classifier, text).is_empty());
}

fn labelled_files(dir: &str) -> Vec<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| {
                    let value: serde_json::Value =
                        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
                    value["text"].as_str().unwrap_or_default().to_owned()
                })
                .collect()
        })
        .collect()
}

/// The attack categories of `tests/data/heldout/` (written apart from all
/// training data, never trained on): the file, and every category a finding
/// in counts as flagging it.
const HELDOUT_ATTACKS: &[&str] = &[
    "hets_mot_folkgrupp",
    "uppvigling",
    "olaga_hot",
    "olaga_valdsskildring",
    "terror_uppmaning",
];

fn is_attack(category: Category) -> bool {
    matches!(
        category,
        Category::HetsMotFolkgrupp
            | Category::Uppvigling
            | Category::OlagaHot
            | Category::OlagaValdsskildring
            | Category::TerrorUppmaning
    )
}

/// (flagged positives, positives, clean items acted on, clean items) over
/// the held-out attack files.
fn heldout_figures(classifier: &Classifier) -> (usize, usize, usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/heldout");
    let mut figures = (0, 0, 0, 0);
    for name in HELDOUT_ATTACKS {
        let path = dir.join(format!("{name}.jsonl"));
        let contents = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        for line in contents.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
            let text = case["text"].as_str().unwrap_or_default();
            let found = classifier.classify(text);
            if case["expect"] == "none" {
                figures.3 += 1;
                let acted = found
                    .iter()
                    .any(|f| is_attack(f.category) && f.confidence == Confidence::Obvious);
                figures.2 += usize::from(acted);
            } else {
                figures.1 += 1;
                figures.0 += usize::from(found.iter().any(|f| is_attack(f.category)));
            }
        }
    }
    figures
}

#[test]
fn heldout_attacks_keep_their_recall_floor_with_the_model_and_no_clean_item_is_acted_on() {
    let (flagged, positives, acted, clean) = heldout_figures(&Classifier::standard());
    let recall = flagged as f64 / positives as f64;
    assert!(
        recall >= HELDOUT_RECALL_FLOOR,
        "flagged {flagged} of {positives} held-out attacks ({recall:.3})"
    );
    let (by_rules, _, acted_by_rules, _) = heldout_figures(&classifier_with(&Vocabulary {
        model: None,
        ..Vocabulary::builtin()
    }));
    assert!(
        flagged > by_rules,
        "the model flags what the rules miss ({flagged} against {by_rules} by the rules alone)"
    );
    assert_eq!(
        acted, acted_by_rules,
        "the model never adds an automatic action ({acted} of {clean} clean items acted on)"
    );
    assert_eq!(
        acted, HELDOUT_CLEAN_ACTED_ON,
        "clean held-out items acted on automatically"
    );
}

/// Held-out attacks flagged by rules and model together, measured once
/// with the model of 2026-12-04 (155 of 178, 0.871; the rules alone 110, 0.618).
const HELDOUT_RECALL_FLOOR: f64 = 0.87;
/// Clean held-out items the rules act on (the model never acts): measured
/// once; the model must not add to them.
const HELDOUT_CLEAN_ACTED_ON: usize = 2;

/// Scoring hashes the character n-grams by extending one hash; it must see
/// exactly the features training printed, each as often.
#[test]
fn scoring_hashes_the_same_features_as_training_prints() {
    for key in [
        "jag ska döda dig",
        "n***er och n*gger, åk hem",
        "ä ö å x y",
        "",
        "  ,.  ",
        "supercalifragilisticexpialidociousnessen är ett långt ord",
        "abcdefghijklmnopqrstuvwxyzabcd ord",
        "abcdefghijklmnopqrstuvwxyzabcde ord",
        "svartskallarna 2024 och 3d-bilder",
    ] {
        let mut expected = Vec::new();
        for_each_feature(key, |feature| expected.push(feature.hash()));
        let mut found = Vec::new();
        for_each_feature_hash(key, |hash| found.push(hash));
        expected.sort_unstable();
        found.sort_unstable();
        assert_eq!(found, expected, "{key}");
    }
}

/// The model's features in a key come back each once and in ascending
/// order (the order their weights are summed in), as sorting gave them.
#[test]
fn present_features_are_each_once_in_ascending_order() {
    let model = Model::builtin();
    let mut nonempty = 0;
    for text in [
        "Jag ska döda dig, jag ska döda dig",
        "Muslimer är ohyra och borde utrotas",
        "Tack för att ni öppnade biblioteket igen",
        "",
    ] {
        let key = key(text);
        let mut expected: Vec<u32> = Vec::new();
        for_each_feature(&key, |feature| {
            if let Some(at) = model.index.get(&feature.hash()) {
                expected.push(*at);
            }
        });
        expected.sort_unstable();
        expected.dedup();
        nonempty += usize::from(!expected.is_empty());
        assert_eq!(model.present(&key), expected, "{text}");
    }
    assert!(nonempty >= 3);
}
