//! Hate and threats coded in emoji (issue 15): an animal emoji aimed at a
//! group or a person, a weapon emoji with a threat. The words of such a
//! comment are often harmless on their own (`Alla somalier 🐒🐒`, `Snart
//! är det din tur 🔪`), so the emoji is the part of the shape no word list
//! holds. Both are review: an emoji is read in many ways, and a person
//! judges; a listed obvious shape in the same comment (`du ska dö 🔪`) is
//! acted on by its own rule.
//!
//! | rule | shape | confidence |
//! |---|---|---|
//! | `il.hets_mot_folkgrupp.emoji_animal` | an animal emoji of dehumanisation ([`ANIMALS`]) within [`EMOJI_WINDOW`] tokens of a group or slur; an ape emoji ([`APES`]) also of a person (`du`, a name) | review |
//! | `il.olaga_hot.emoji_weapon`, `il.hets_mot_folkgrupp.emoji_weapon` | a weapon emoji ([`WEAPONS`]) in a sentence with the addressee (`du`, `dig`, `din`) or a group and a threat: a verb of violence, a menace (`bor`, `trygg`), a looming time (`snart`, `ikväll`) or a call modal (`ska`, `borde`) | review |
//!
//! Guards as for every shape of `aimed.rs`: a quotation, news,
//! counter-speech, a question or a game gives no finding; an animal next to
//! the writer's own (`mina små apor 🐒`) is affection, not an attack.

use super::aimed::{Marks, Shape};
use super::*;

/// How many tokens may stand between an emoji and the group or person it
/// is aimed at (`invandrare är 🐒`, `🐷🐷 alla muslimer`).
pub(super) const EMOJI_WINDOW: usize = 4;

/// Animals that deny a group its humanity: apes, pigs, rats, cockroaches.
pub(super) const ANIMALS: &[char] = &['🐒', '🐵', '🦍', '🦧', '🐷', '🐖', '🐽', '🐀', '🐁', '🪳'];

/// The animals that code racist abuse of one person too (apes).
pub(super) const APES: &[char] = &['🐒', '🐵', '🦍', '🦧'];

/// Weapons: knife, gun, bomb, dagger, axe.
pub(super) const WEAPONS: &[char] = &['🔪', '🔫', '💣', '🗡', '🪓'];

/// Balls, pucks, goals and trophies: a comment with one is about a game
/// (a name in it is a team, `Slakta Frölunda! 🏒`).
pub(super) const SPORTS: &[char] = &[
    '⚽', '🏒', '🏀', '🏈', '⚾', '🎾', '🏐', '🏑', '🥅', '🏆', '🥇',
];

/// An emoji of the comment placed among its tokens.
struct Placed {
    emoji: char,
    /// The token before it (or after, when it opens the comment).
    near: usize,
}

impl Rules<'_, '_> {
    /// Every emoji shape of the comment (see the module documentation).
    pub(super) fn emoji_coded(&self, marks: &Marks) -> Vec<Shape> {
        let placed = self.placed_emoji();
        let mut shapes = Vec::new();
        for emoji in &placed {
            if ANIMALS.contains(&emoji.emoji) {
                shapes.extend(self.animal_aimed(emoji, marks));
            } else if WEAPONS.contains(&emoji.emoji) {
                shapes.extend(self.weapon_threat(emoji, marks));
            }
        }
        shapes
    }

    /// The animal and weapon emoji of the original text, each with the
    /// token it stands next to; most comments hold none.
    fn placed_emoji(&self) -> Vec<Placed> {
        let doc = self.doc;
        if doc.tokens.is_empty() || doc.original.is_ascii() {
            return Vec::new();
        }
        let mut placed: Vec<Placed> = Vec::new();
        for (at, emoji) in doc.original.char_indices() {
            if !(ANIMALS.contains(&emoji) || WEAPONS.contains(&emoji)) {
                continue;
            }
            // A run of the same emoji (`🐒🐒🐒`) is one.
            if placed.last().is_some_and(|p| {
                p.emoji == emoji && {
                    let between = &doc.original[..at];
                    between.trim_end().ends_with(emoji)
                }
            }) {
                continue;
            }
            let after = (0..doc.tokens.len()).find(|&t| doc.span(t, t).start >= at);
            let near = match after {
                Some(0) => 0,
                Some(t) => t - 1,
                None => doc.tokens.len() - 1,
            };
            placed.push(Placed { emoji, near });
        }
        placed
    }

    /// Tokens within [`EMOJI_WINDOW`] of the emoji, in its sentence.
    fn around(&self, emoji: &Placed) -> impl Iterator<Item = usize> + '_ {
        let doc = self.doc;
        let near = emoji.near;
        (near.saturating_sub(EMOJI_WINDOW)..=near + EMOJI_WINDOW)
            .filter(move |&t| t < doc.tokens.len() && doc.same_sentence(t, near))
    }

    /// `Alla somalier 🐒🐒`, `@Ahmed 🦍`.
    fn animal_aimed(&self, emoji: &Placed, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        if self.around(emoji).any(|t| doc.is(t, Class::OwnPossessive)) {
            return None;
        }
        let group = self
            .around(emoji)
            .find(|&t| self.group_at(t, marks) && !self.reclaimed(t));
        let person = || {
            APES.contains(&emoji.emoji)
                .then(|| self.around(emoji).find(|&t| self.addressed_or_named(t)))
                .flatten()
        };
        let target = group.or_else(person)?;
        let shape = Shape::of(
            row!("il.hets_mot_folkgrupp.emoji_animal"),
            target.min(emoji.near),
            target.max(emoji.near),
        );
        // The row's reason names a group; an ape aimed at one person says so.
        Some(match group {
            Some(_) => shape,
            None => Shape {
                reason: "En person kallas apa med en emoji, vilket kan vara rasistiskt kodat",
                ..shape
            },
        })
    }

    /// The addressee or a named person: `du`, `dig`, `Ahmed`.
    fn addressed_or_named(&self, t: usize) -> bool {
        let doc = self.doc;
        doc.is(t, Class::SecondPersonSubject)
            || doc.is(t, Class::SecondPersonObject)
            || doc.is_name(t)
    }

    /// `Snart är det din tur 🔪`, `Muslimer borde 🔫`.
    fn weapon_threat(&self, emoji: &Placed, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(emoji.near);
        let group = sentence
            .clone()
            .find(|&t| self.group_at(t, marks) && !self.reclaimed(t));
        let target = group.or_else(|| {
            sentence.clone().find(|&t| {
                doc.is(t, Class::SecondPersonSubject) || doc.is(t, Class::SecondPersonObject)
            })
        })?;
        let threat = sentence.clone().any(|t| {
            self.role_at(t, &[Role::Violence]).is_some()
                || doc.is(t, Class::MenaceWords)
                || doc.is(t, Class::Looming)
                || doc.is(t, Class::CallModals)
        });
        if !threat || doc.negated_before(sentence.start, sentence.end) {
            return None;
        }
        let row = if group.is_some() {
            row!("il.hets_mot_folkgrupp.emoji_weapon")
        } else {
            row!("il.olaga_hot.emoji_weapon")
        };
        Some(Shape::of(
            row,
            target.min(emoji.near),
            target.max(emoji.near),
        ))
    }
}

/// The rules of this file (see [`RuleRow`]).
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.hets_mot_folkgrupp.emoji_animal",
        category: Category::HetsMotFolkgrupp,
        trigger: "an emoji of ANIMALS",
        shape: "the animal within EMOJI_WINDOW tokens of a group or slur; an ape also of a person",
        guards: "the writer's own (`mina`); the common guards",
        strength: Strength::Review,
        reason: "En skyddad folkgrupp kallas djur med en emoji",
        basis: BASIS_HETS,
        positive: "Alla somalier 🐒🐒🐒",
        negative: "Mina små apor 🐒 klättrar överallt",
    },
    RuleRow {
        id: "il.olaga_hot.emoji_weapon",
        category: Category::OlagaHot,
        trigger: "an emoji of WEAPONS",
        shape: "the weapon in a sentence with the addressee and a threat (violence, menace, a looming time, a call modal)",
        guards: "negation; the common guards",
        strength: Strength::Review,
        reason: "Ett vapen som emoji i ett hot mot den tilltalade",
        basis: BASIS_HOT,
        positive: "Snart är det din tur 🔪🔪",
        negative: "Du kommer älska den nya kniven 🔪",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.emoji_weapon",
        category: Category::HetsMotFolkgrupp,
        trigger: "an emoji of WEAPONS",
        shape: "the weapon in a sentence with a group and a threat",
        guards: "negation; the common guards",
        strength: Strength::Review,
        reason: "Ett vapen som emoji i ett hot mot en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Muslimer borde 🔫🔫",
        negative: "Muslimer firar eid i parken 🎉",
    },
];
