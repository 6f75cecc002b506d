//! Parts shared by the review shapes of olaga hot, hets mot folkgrupp and
//! uppvigling: the sentence before or after, a pity clause (`synd om …`),
//! a pronoun that stands for people named in the next or previous
//! sentence. Token windows only; no pattern is run per sentence.

use super::*;

impl Document<'_> {
    /// The first of the `n` tokens after `after` (same sentence) that holds
    /// one of `stems` (`parkeringsböterna` holds `böter`).
    pub(super) fn stem_within(&self, after: usize, n: usize, stems: Class) -> Option<usize> {
        (after + 1..=after + n)
            .take_while(|&j| self.same_sentence(after, j))
            .find(|&j| {
                let word = self.word(j);
                !word.is_empty() && self.classes.contains_any(word, stems)
            })
    }

    /// The sentence number of token `index`.
    pub(super) fn sentence_of(&self, index: usize) -> Option<usize> {
        self.tokens.get(index).map(|t| t.sentence)
    }

    /// The tokens of sentence number `sentence` (empty past the end).
    pub(super) fn sentence_range(&self, sentence: usize) -> Range<usize> {
        let past_the_end = self.tokens.len()..self.tokens.len();
        self.sentences
            .get(sentence)
            .cloned()
            .unwrap_or(past_the_end)
    }

    /// The tokens of the sentence before the one of `index`.
    pub(super) fn previous_sentence(&self, index: usize) -> Range<usize> {
        match self.sentence_of(index) {
            Some(s) if s > 0 => self.sentence_range(s - 1),
            _ => 0..0,
        }
    }

    /// The tokens of the sentence after the one of `index`.
    pub(super) fn next_sentence(&self, index: usize) -> Range<usize> {
        self.sentence_of(index)
            .map_or(0..0, |s| self.sentence_range(s + 1))
    }

    /// Pity clauses: `vore synd om din dotter …`, `tråkigt om skolan
    /// brann`. Each is the pity word and the tokens after its `om` to the
    /// end of the sentence (at most ten).
    pub(super) fn pity_clauses(&self) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
        (0..self.tokens.len())
            .filter(|&i| self.is(i, Class::Pity))
            .filter_map(move |i| {
                let om =
                    (i + 1..=i + 2).find(|&j| self.is(j, &["om"]) && self.same_sentence(i, j))?;
                let end = self.sentence_tokens(om).end.min(om + 11);
                Some((i, om + 1..end))
            })
    }

    /// The tokens of the sentence that token `index` opens with an
    /// imperative (`lägg spikmattor på vägen …`), if it does.
    pub(super) fn sentence_opened_by_imperative(&self, index: usize) -> Option<Range<usize>> {
        let sentence = self.sentence_tokens(index);
        (index == sentence.start && self.imperative(index)).then_some(sentence)
    }

    /// The word at `index` in guillemets (`»handläggaren«`) when it names
    /// people by their role (a person target, an authority, a role a
    /// threat is aimed at), so that a reason says whom the rule took as
    /// the target; never a pronoun or a name, so that no one's name is
    /// copied into a reason.
    pub(super) fn quoted_role(&self, index: usize) -> Option<String> {
        let word = self.word(index);
        let pronoun = self.is(index, &["dem", "dom", "honom", "henne", "hen"]);
        let role = self.is_person_target(index)
            || self.is_authority(index)
            || (!word.is_empty() && self.classes.ends_with_any(word, Class::ThreatPersonRoles));
        (role && !pronoun && !self.is_name(index)).then(|| format!("»{word}«"))
    }

    /// The sentence of `index` ends right after it: nothing but marks or
    /// emoji follow in that sentence.
    pub(super) fn ends_sentence(&self, index: usize) -> bool {
        !self.same_sentence(index, index + 1)
    }
}
