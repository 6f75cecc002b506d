//! Olaga integritetsintrång (BrB 4:6 c): spreading intimate images or
//! private facts about a person.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn intimate(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            Role::Intimate,
            SHARE,
            Category::OlagaIntegritetsintrang,
            "il.olaga_integritetsintrang.sharing",
            BASIS_INTEGRITET,
            (
                "Sprider eller pekar på intima bilder eller uppgifter om någon",
                "Nämner intima bilder eller uppgifter om någon",
            ),
        );
    }
}
