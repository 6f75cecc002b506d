//! The blind labelled set (`tests/data/blind/`, issue 15): written without
//! reading the rules, split by id parity into a tuning half and a held-out
//! half. These tests keep the set usable as a measure: every line is a
//! well-formed case, the halves never overlap, at least half is hard
//! negatives, and identity numbers are valid only where the label says
//! personal data.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Deserialize;

const LABELS: [&str; 5] = ["incitement", "threat", "violence", "personal_data", "clean"];
const HARMFUL: [&str; 4] = ["incitement", "threat", "violence", "personal_data"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    text: String,
    label: String,
    obvious: bool,
    note: String,
    #[serde(default)]
    lang: Option<String>,
}

fn blind_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blind"))
}

fn read_half(name: &str) -> Vec<Case> {
    let path = blind_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name} line {}: {e}: {line}", n + 1))
        })
        .collect()
}

/// Both halves, tuning half first.
fn read_all() -> Vec<Case> {
    let mut all = read_half("tune.jsonl");
    all.extend(read_half("heldout.jsonl"));
    all
}

fn id_number(id: &str) -> u32 {
    let digits = id
        .strip_prefix('b')
        .filter(|d| d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("id {id:?} is not b + four digits"));
    digits.parse().unwrap()
}

#[test]
fn halves_are_disjoint_by_id_parity_and_cover_every_id() {
    let tune = read_half("tune.jsonl");
    let heldout = read_half("heldout.jsonl");
    for case in &tune {
        assert_eq!(
            id_number(&case.id) % 2,
            1,
            "{} is even but in tune",
            case.id
        );
    }
    for case in &heldout {
        assert_eq!(
            id_number(&case.id) % 2,
            0,
            "{} is odd but in heldout",
            case.id
        );
    }
    let ids: Vec<u32> = tune
        .iter()
        .chain(&heldout)
        .map(|c| id_number(&c.id))
        .collect();
    let unique: BTreeSet<u32> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an id occurs twice");
    let expected: BTreeSet<u32> = (1..=ids.len() as u32).collect();
    assert_eq!(unique, expected, "ids are not b0001..b{:04}", ids.len());
    let texts: BTreeSet<&str> = tune
        .iter()
        .chain(&heldout)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(texts.len(), ids.len(), "a text occurs twice");
}

#[test]
fn every_case_has_a_known_label_a_note_and_obvious_only_when_harmful() {
    for case in &read_all() {
        assert!(
            LABELS.contains(&case.label.as_str()),
            "{}: label {:?}",
            case.id,
            case.label
        );
        assert!(!case.text.trim().is_empty(), "{}: empty text", case.id);
        assert!(!case.note.trim().is_empty(), "{}: no note", case.id);
        assert!(
            !(case.obvious && case.label == "clean"),
            "{}: a clean case cannot be obvious",
            case.id
        );
        if let Some(lang) = &case.lang {
            assert_eq!(lang, "en", "{}: only English is marked", case.id);
        }
    }
}

#[test]
fn each_half_is_at_least_half_hard_negatives_and_holds_every_harmful_class() {
    let all = read_all();
    assert!(all.len() >= 360, "only {} cases", all.len());
    for (name, half) in [
        ("tune", read_half("tune.jsonl")),
        ("heldout", read_half("heldout.jsonl")),
    ] {
        let clean = half.iter().filter(|c| c.label == "clean").count();
        assert!(
            2 * clean >= half.len(),
            "{name}: {clean} clean of {}",
            half.len()
        );
        for label in HARMFUL {
            let obvious = half
                .iter()
                .filter(|c| c.label == label && c.obvious)
                .count();
            let total = half.iter().filter(|c| c.label == label).count();
            assert!(total >= 5, "{name}: only {total} {label} cases");
            assert!(obvious >= 1, "{name}: no obvious {label} case");
        }
    }
    let english = all
        .iter()
        .filter(|c| c.lang.as_deref() == Some("en"))
        .count();
    assert!((10..=25).contains(&english), "{english} English cases");
}

/// Digit runs that could be written identity numbers: 10 or 12 digits,
/// possibly broken by spaces, hyphens, en dashes or a plus sign.
fn identity_number_candidates(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut digits = String::new();
    let mut flush = |digits: &mut String| {
        if digits.len() == 10 || digits.len() == 12 {
            found.push(digits.clone());
        }
        digits.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            let joins_digits = matches!(ch, ' ' | '-' | '–' | '+')
                && !digits.is_empty()
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            if !joins_digits {
                flush(&mut digits);
            }
        }
    }
    flush(&mut digits);
    found
}

fn luhn_valid(ten: &str) -> bool {
    let sum: u32 = ten
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 2 } else { d })
        .map(|d| d / 10 + d % 10)
        .sum();
    sum.is_multiple_of(10)
}

fn month_day_exist(ten: &str) -> bool {
    let month: u32 = ten[2..4].parse().unwrap();
    let day: u32 = ten[4..6].parse().unwrap();
    let day = if day > 60 { day - 60 } else { day };
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn last_ten(candidate: &str) -> &str {
    &candidate[candidate.len() - 10..]
}

#[test]
fn identity_numbers_are_valid_in_personal_data_cases_and_invalid_elsewhere() {
    let all = read_all();
    let mut valid_numbers = 0;
    for case in &all {
        for candidate in identity_number_candidates(&case.text) {
            let ten = last_ten(&candidate);
            let valid = luhn_valid(ten) && month_day_exist(ten);
            if case.label == "personal_data" {
                assert!(
                    valid,
                    "{}: {candidate} is not a valid identity number",
                    case.id
                );
                if candidate.len() == 12 {
                    let year: u32 = candidate[..4].parse().unwrap();
                    assert!((1900..=2020).contains(&year), "{}: born {year}", case.id);
                }
                valid_numbers += 1;
            } else {
                assert!(
                    !valid,
                    "{}: {candidate} is a valid identity number",
                    case.id
                );
            }
        }
    }
    assert!(valid_numbers >= 10, "only {valid_numbers} identity numbers");
}

#[test]
fn the_identity_number_scanner_sees_every_written_form() {
    let forms = [
        "850412-9829",
        "19850412-9829",
        "198504129829",
        "850412 9829",
        "191203+9870",
        "47 01 01-98 30",
        "350815–9765",
    ];
    for form in forms {
        assert_eq!(
            identity_number_candidates(&format!("pnr {form}.")).len(),
            1,
            "{form}"
        );
    }
    assert!(identity_number_candidates("ärende 2026-04123").is_empty());
    assert!(!luhn_valid("8504129821"));
    assert!(luhn_valid("8504129829"));
}
