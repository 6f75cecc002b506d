//! Intrång i upphovsrätt (lag 1960:729): offers of unlicensed copies.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn piracy(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            Role::Piracy,
            &["här", "länk", "länken", "ladda", "finns", "kolla"],
            Category::Upphovsratt,
            "il.upphovsratt.term",
            BASIS_UPPHOVSRATT,
            (
                "Pekar på en olovlig kopia av ett skyddat verk",
                "Nämner olovliga kopior",
            ),
        );
    }
}
