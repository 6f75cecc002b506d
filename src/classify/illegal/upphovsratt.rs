//! Intrång i upphovsrätt (lag 1960:729): offers of unlicensed copies. A
//! link to or a mention of a listed piracy site is obvious (see
//! `listed_domains`); words for copies (`torrent`, `iptv`, `inscannad
//! kurslitteratur`, `rippar`) are probable with an offer or pointing word,
//! possible otherwise; lawful use (`helt lagligt`) and news give nothing.

use super::*;

/// Words that offer a copy or point at one.
const OFFERED: &[&str] = &[
    "här", "länk", "länken", "ladda", "finns", "kolla", "dm", "pm", "swisha", "swish", "kr",
    "säljer", "mega", "gruppen", "bio", "profilen", "delar", "dela", "laddar", "mailar", "mejlar",
    "gratis", "vill",
];

impl Rules<'_, '_> {
    pub(super) fn piracy(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            &MaterialRule {
                role: Role::Piracy,
                pointing: OFFERED,
                category: Category::Upphovsratt,
                rule: "il.upphovsratt.term",
                basis: BASIS_UPPHOVSRATT,
                pointed: "Pekar på eller erbjuder en olovlig kopia av ett skyddat verk",
                mentioned: "Nämner olovliga kopior",
            },
        );
    }
}
