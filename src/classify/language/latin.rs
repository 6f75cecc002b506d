//! `whatlang::detect` for text in Latin script, with the same answer
//! (language, script and confidence, bit for bit) at a tenth of the cost.
//!
//! `whatlang` scores a text against each of its 37 Latin-script languages
//! by looking up every one of the language's 300 trigrams in the text's
//! table: 11,100 hash look-ups a comment, most of the time that
//! classifying a comment the Swedish shortcuts cannot settle took. Here
//! each of the text's trigrams is looked up once in an inverted index of
//! the same profiles ([`profiles::LATIN`], generated from `whatlang`'s
//! source by `tools/whatlang-profiles`), which gives every language's
//! distance by the same integer arithmetic. Everything else — the script,
//! the alphabet scores, how the two scores are weighed, the order of ties
//! and the confidence — is `whatlang`'s own code or a line-for-line copy of
//! it, so the sorts see the same values in the same order. A unit test
//! checks the answer against `whatlang::detect` on real comments.

use std::collections::HashMap;
use std::sync::LazyLock;

use rustc_hash::FxBuildHasher;
use whatlang::dev::{FilterList, LowercaseText, alphabet_latin_calculate_scores};
use whatlang::{Info, Lang, Script};

use super::profiles;

/// `whatlang`'s largest distance of one trigram between a profile and a
/// text (`MAX_TRIGRAM_DISTANCE`).
const MAX_TRIGRAM_DISTANCE: u32 = 300;

/// `whatlang`'s largest distance of a text from a profile.
const MAX_TOTAL_DISTANCE: u32 = MAX_TRIGRAM_DISTANCE * MAX_TRIGRAM_DISTANCE;

/// How many of a text's most frequent trigrams `whatlang` ranks.
const TEXT_TRIGRAMS: usize = 600;

/// A trigram as one number, ordered as `whatlang` orders its trigrams
/// (by the first character, then the second, then the third).
type Packed = u64;

fn pack(a: char, b: char, c: char) -> Packed {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

/// A table keyed by packed trigrams. A text's trigrams are counted and
/// looked up in the index some hundreds of times a comment, and the
/// standard library's SipHash (made to resist crafted keys, which a table
/// of 21-bit character codes has no use for) was most of that cost
/// (callgrind on `classify --jsonl`, issue 15). Nothing depends on the
/// tables' order: the counts are ranked by a total order.
type TrigramMap<V> = HashMap<Packed, V, FxBuildHasher>;

/// The profiles turned inside out: for each trigram, the languages whose
/// profile has it and its rank there.
struct Index {
    langs: Vec<Lang>,
    lengths: Vec<u32>,
    entries: TrigramMap<Vec<(u8, u32)>>,
}

static INDEX: LazyLock<Index> = LazyLock::new(Index::build);

impl Index {
    fn build() -> Self {
        let mut index = Self {
            langs: Vec::new(),
            lengths: Vec::new(),
            entries: TrigramMap::default(),
        };
        for (at, (code, profile)) in profiles::LATIN.iter().enumerate() {
            let lang = Lang::from_code(*code).expect("whatlang knows every profile's language");
            let at = u8::try_from(at).expect("fewer than 256 languages");
            let mut rank = 0;
            for trigram in profile.split('|') {
                let chars: Vec<char> = trigram.chars().collect();
                let &[a, b, c] = chars.as_slice() else {
                    panic!("{code}: {trigram:?} is no trigram");
                };
                index
                    .entries
                    .entry(pack(a, b, c))
                    .or_default()
                    .push((at, rank));
                rank += 1;
            }
            index.langs.push(lang);
            index.lengths.push(rank);
        }
        index
    }
}

/// What `whatlang::detect(text)` answers, faster where the text's main
/// script is Latin (elsewhere it is `whatlang::detect` itself).
pub(super) fn detect(text: &str) -> Option<Info> {
    if whatlang::detect_script(text) != Some(Script::Latin) {
        return whatlang::detect(text);
    }
    let lowercase = LowercaseText::new(text);
    let alphabet = alphabet_latin_calculate_scores(&lowercase, &FilterList::default());
    let (trigram_count, trigram_scores) = trigram_scores(&lowercase);
    let scores = combined_scores(alphabet.count, &alphabet.scores, &trigram_scores);
    let mut ranked = scores.into_iter();
    let (lang, score1) = ranked.next()?;
    let confidence = ranked.next().map_or(1.0, |(_, score2)| {
        calculate_confidence(score1, score2, trigram_count)
    });
    Some(Info::new(Script::Latin, lang, confidence))
}

/// The text's trigrams ranked as `whatlang` ranks them (most frequent
/// first, ties by the trigram, descending), the first [`TEXT_TRIGRAMS`].
fn ranked_trigrams(text: &str) -> Vec<Packed> {
    let mut counts: TrigramMap<u32> =
        TrigramMap::with_capacity_and_hasher(text.len().min(2048), Default::default());
    let mut chars = text.chars().map(trigram_char).chain(Some(' '));
    let mut c1 = ' ';
    let Some(mut c2) = chars.next() else {
        return Vec::new();
    };
    for c3 in chars {
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            *counts.entry(pack(c1, c2, c3)).or_insert(0) += 1;
        }
        c1 = c2;
        c2 = c3;
    }
    let mut by_count: Vec<(u32, Packed)> = counts.into_iter().map(|(t, n)| (n, t)).collect();
    by_count.sort_unstable_by(|a, b| b.cmp(a));
    by_count
        .into_iter()
        .take(TEXT_TRIGRAMS)
        .map(|(_, trigram)| trigram)
        .collect()
}

/// `whatlang`'s trigram character: every stop character is a space.
fn trigram_char(c: char) -> char {
    let stop =
        matches!(c, '\u{0000}'..='\u{0040}' | '\u{005B}'..='\u{0060}' | '\u{007B}'..='\u{007E}');
    if stop { ' ' } else { c }
}

/// How many distinct trigrams were ranked, and each language's trigram
/// score, best first (`whatlang`'s `trigrams::raw_detect`).
fn trigram_scores(text: &str) -> (usize, Vec<(Lang, f64)>) {
    let index = &*INDEX;
    let ranked = ranked_trigrams(text);
    // Each language's distance is its length times the largest distance,
    // less, for each trigram it shares with the text, the largest distance
    // less the difference of the two ranks.
    let mut shared = vec![0i64; index.langs.len()];
    for (position, trigram) in ranked.iter().enumerate() {
        for &(lang, rank) in index.entries.get(trigram).into_iter().flatten() {
            let apart = (position as i64 - i64::from(rank)).abs();
            shared[usize::from(lang)] += i64::from(MAX_TRIGRAM_DISTANCE) - apart;
        }
    }
    let count = ranked.len() as u32;
    let mut distances: Vec<(Lang, u32)> = index
        .langs
        .iter()
        .zip(&index.lengths)
        .zip(&shared)
        .map(|((&lang, &length), &shared)| {
            let total = i64::from(length * MAX_TRIGRAM_DISTANCE) - shared;
            (lang, distance(total, count))
        })
        .collect();
    distances.sort_unstable_by_key(|(_, distance)| *distance);
    let max_distance = count * MAX_TRIGRAM_DISTANCE;
    let scores = distances
        .into_iter()
        .map(|(lang, distance)| {
            let similarity = max_distance - distance;
            (lang, f64::from(similarity) / f64::from(max_distance))
        })
        .collect();
    (ranked.len(), scores)
}

/// `whatlang`'s distance from the sum of trigram distances `total`, for a
/// text of `count` ranked trigrams: a short text is not held to the
/// trigrams it cannot have.
fn distance(total: i64, count: u32) -> u32 {
    let mut total = u32::try_from(total).expect("a sum of trigram distances");
    if MAX_TRIGRAM_DISTANCE > count {
        total -= (MAX_TRIGRAM_DISTANCE - count) * MAX_TRIGRAM_DISTANCE;
    }
    total.min(MAX_TOTAL_DISTANCE)
}

/// The alphabet and trigram scores weighed together and ranked, best first
/// (`whatlang`'s `combined::raw_detect`).
fn combined_scores(
    alphabet_count: usize,
    alphabet: &[(Lang, f64)],
    trigrams: &[(Lang, f64)],
) -> Vec<(Lang, f64)> {
    let mut langs: Vec<Lang> = alphabet.iter().map(|x| x.0).collect();
    let mut listed = vec![false; lang_slots()];
    for lang in &langs {
        listed[slot(*lang)] = true;
    }
    for (lang, _) in trigrams {
        if !listed[slot(*lang)] {
            listed[slot(*lang)] = true;
            langs.push(*lang);
        }
    }
    let alphabet_weight = alphabet_weight(alphabet_count);
    let trigram_weight = 1.0 - alphabet_weight;
    let (alphabet_of, trigrams_of) = (scores_by_lang(alphabet), scores_by_lang(trigrams));
    let score_of = |scores: &[Option<f64>], lang: Lang| scores[slot(lang)].unwrap_or(0.0);
    let mut scores: Vec<(Lang, f64)> = langs
        .into_iter()
        .map(|lang| {
            let score = score_of(&alphabet_of, lang) * alphabet_weight
                + score_of(&trigrams_of, lang) * trigram_weight;
            (lang, score)
        })
        .collect();
    scores.sort_unstable_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Less));
    scores
}

/// A language's place in a table by language: its number in `whatlang`.
fn slot(lang: Lang) -> usize {
    lang as usize
}

/// How many places a table by language needs.
fn lang_slots() -> usize {
    static SLOTS: LazyLock<usize> = LazyLock::new(|| {
        Lang::all()
            .iter()
            .map(|&lang| slot(lang) + 1)
            .max()
            .unwrap_or(0)
    });
    *SLOTS
}

/// The first score of each language in `scores`, by [`slot`]: every
/// language's two scores are looked up when they are weighed together,
/// and a table answers at once where a scan of both lists per language
/// cost thousands of comparisons a comment.
fn scores_by_lang(scores: &[(Lang, f64)]) -> Vec<Option<f64>> {
    let mut by_lang = vec![None; lang_slots()];
    for &(lang, score) in scores {
        let first = &mut by_lang[slot(lang)];
        if first.is_none() {
            *first = Some(score);
        }
    }
    by_lang
}

/// How much the alphabet score weighs against the trigram score: more in
/// a short text.
fn alphabet_weight(count: usize) -> f64 {
    let weight = -(count as f64 / 300.0) + 2.0 / 3.0;
    weight.clamp(1.0 / 3.0, 2.0 / 3.0)
}

/// `whatlang`'s confidence from the two best scores and the number of
/// trigrams.
fn calculate_confidence(highest_score: f64, second_score: f64, count: usize) -> f64 {
    if highest_score == 0.0 {
        return 0.0;
    }
    if second_score == 0.0 {
        return highest_score;
    }
    let confident_rate = (3.0 / count as f64) + 0.015;
    let rate = (highest_score - second_score) / second_score;
    if rate > confident_rate {
        1.0
    } else {
        rate / confident_rate
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::classify::eval;

    fn assert_agrees(text: &str) {
        let fast = detect(text);
        let slow = whatlang::detect(text);
        assert_eq!(
            fast.as_ref()
                .map(|i| (i.lang(), i.script(), i.confidence().to_bits())),
            slow.as_ref()
                .map(|i| (i.lang(), i.script(), i.confidence().to_bits())),
            "{text:?}"
        );
    }

    #[test]
    fn the_index_holds_every_profile() {
        assert_eq!(INDEX.langs.len(), 37);
        assert!(INDEX.lengths.iter().all(|&n| n == MAX_TRIGRAM_DISTANCE));
    }

    /// The same answer as `whatlang` on real Swedish text cut short and
    /// long, and on comments in other languages and scripts.
    #[test]
    fn agrees_with_whatlang() {
        let corpus = eval::corpus_dir_in(Path::new(env!("CARGO_MANIFEST_DIR")));
        let texts = eval::benchmark_texts(&corpus).unwrap_or_else(|e| panic!("corpus: {e}"));
        for text in texts.iter().step_by(7).take(150) {
            assert_agrees(text);
            let words: Vec<&str> = text.split_whitespace().collect();
            for n in [1, 3, 6, 12] {
                assert_agrees(&words[..n.min(words.len())].join(" "));
            }
        }
        for text in [
            "",
            "123 !!",
            "Jag tycker att kommunen borde laga vägen",
            "I think the city should fix the road now",
            "Ich denke, die Stadt sollte die Straße reparieren",
            "Je pense que la ville devrait réparer la route",
            "Myślę, że miasto powinno naprawić drogę",
            "Mielestäni kaupungin pitäisi korjata tie",
            "Jeg synes at kommunen burde reparere vejen",
            "Waxaan rabaa in dowladda hoose ay dayactirto wadada",
            "Şehrin yolu tamir etmesi gerektiğini düşünüyorum",
            "Tôi nghĩ thành phố nên sửa con đường này",
            "Я думаю, что город должен починить дорогу",
            "أعتقد أن المدينة يجب أن تصلح الطريق",
            "ok ok ok ok ok ok ok ok",
            "aaaa bbbb cccc",
        ] {
            assert_agrees(text);
        }
    }
}
