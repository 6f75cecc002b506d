//! Olaga våldsskildring (BrB 16:10 c): pointing at or spreading depictions
//! of gross violence.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn gore(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            Role::Gore,
            WATCH,
            Category::OlagaValdsskildring,
            "il.olaga_valdsskildring.term",
            BASIS_VALDSSKILDRING,
            (
                "Pekar på en grov våldsskildring",
                "Nämner en grov våldsskildring",
            ),
        );
    }
}
