//! The rule table every category file keeps (issue 15: rules a city can
//! read). Each row says everything about a rule but its matching code:
//! its id, what lets it look at a comment (the trigger: a word class, a
//! lexicon role, a link), its shape in words, the guards that lower or
//! remove it, how sure it can be, the Swedish reason a moderator reads
//! (the finding's reason starts with it), the law it rests on, and one
//! comment it must find and one it must leave alone.
//!
//! The table is the source of the code: the matching code names its rule
//! with [`row!`](crate::classify::illegal) (`row!("il.olaga_hot.wish")`),
//! which finds the row when the crate is compiled (an id without a row does
//! not compile), and takes the finding's id, category, legal basis, reason
//! and strength from it. Where one form of a shape says more than the
//! row's reason (`… mot den tilltalades familj`), the code adds that
//! reason, and where one form is weaker than the row (a slur alone), it
//! lowers the strength; it never repeats what the row says.
//!
//! A test (`tests::every_rule_of_every_table_has_a_row_with_examples`) runs each row's examples
//! through the classifier without its trained models and fails when a rule id in a category
//! file has no row, when an example does not behave, or when the reason,
//! the legal basis or the confidence of the positive example differ from
//! the row.

use crate::domain::Category;

/// How sure a shape is before its guards are looked at: acted on
/// automatically, or for a person to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Acted on automatically unless a guard holds.
    Obvious,
    /// Sent to a person (probable or possible).
    Review,
}

/// One rule of a category's table (see the module documentation). The
/// columns are read by people (and by [`super::rule_table`]), by the
/// matching code (which takes id, category, strength, reason and basis
/// from here) and by the table test.
#[derive(Debug, Clone, Copy)]
pub struct RuleRow {
    /// The stable rule id a finding carries.
    pub id: &'static str,
    /// The category its findings carry.
    pub category: Category,
    /// What lets the rule look at a comment.
    pub trigger: &'static str,
    /// The shape, in words.
    pub shape: &'static str,
    /// What keeps the shape from being obvious, or removes it.
    pub guards: &'static str,
    /// The most the rule says: the confidence of its positive example.
    pub strength: Strength,
    /// The start of the Swedish reason of its findings.
    pub reason: &'static str,
    /// The law the finding rests on.
    pub basis: &'static str,
    /// A comment the rule must find.
    pub positive: &'static str,
    /// A comment like it that the rule must leave alone.
    pub negative: &'static str,
}

/// The row of `rows` whose id is `id`. Called in constant context by
/// [`row!`](crate::classify::illegal), so a missing row stops the build
/// rather than a comment.
pub(super) const fn row_in(rows: &'static [RuleRow], id: &str) -> &'static RuleRow {
    let mut index = 0;
    while index < rows.len() {
        if same_bytes(rows[index].id.as_bytes(), id.as_bytes()) {
            return &rows[index];
        }
        index += 1;
    }
    panic!("a rule id has no row in its file's table")
}

/// Byte equality that can run in constant context.
const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Classifier;
    use crate::domain::Confidence;

    /// `(file, its source, its table)` for each named category file.
    macro_rules! tables {
        ($($file:ident),* $(,)?) => {
            &[$((
                concat!(stringify!($file), ".rs"),
                include_str!(concat!(stringify!($file), ".rs")),
                super::super::$file::RULES,
            )),*]
        };
    }

    /// The category files with a table, each with its source.
    const TABLES: &[(&str, &str, &[RuleRow])] = tables![
        aimed,
        arson,
        emoji,
        evidence,
        hot,
        hets,
        uppvigling,
        valdsskildring,
        terror,
        barnpornografi,
        integritet,
        upphovsratt,
    ];

    /// Every rule of every category file with a table has a row with a
    /// comment it must find and one it must leave alone (issue 15), and
    /// the row agrees with the code.
    #[test]
    fn every_rule_of_every_table_has_a_row_with_examples() {
        let mut faults = Vec::new();
        for (file, source, rows) in TABLES {
            faults.extend(
                table_faults(source, rows)
                    .into_iter()
                    .map(|fault| format!("{file}: {fault}")),
            );
        }
        assert!(faults.is_empty(), "{faults:#?}");
        assert_eq!(
            TABLES.iter().map(|(_, _, rows)| rows.len()).sum::<usize>(),
            super::super::rule_table().count(),
            "every table is listed in `rule_table`"
        );
    }

    /// Every way `rows` disagree with the code in `source` (a category
    /// file) and with the classifier.
    fn table_faults(source: &str, rows: &[RuleRow]) -> Vec<String> {
        // The table describes the rules: a trained model's review findings
        // and confirmations are tested in `classify::model`.
        let classifier = Classifier::rules_only();
        let mut faults = Vec::new();
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        // Rows are literals too: only ids outside the table must have one.
        let outside = code.split("RuleRow {").next().unwrap_or_default();
        for literal in outside.split("\"il.").skip(1) {
            let id = format!("il.{}", literal.split('"').next().unwrap_or_default());
            if !rows.iter().any(|row| row.id == id) && !faults.iter().any(|f| f == &id) {
                faults.push(format!("{id} has no row in the table"));
            }
        }
        for row in rows {
            if row.reason.trim().is_empty() || row.basis.trim().is_empty() {
                faults.push(format!("{}: reason and legal basis are required", row.id));
            }
            let found = classifier.classify(row.positive);
            match found.iter().find(|f| f.rule == row.id) {
                None => faults.push(format!(
                    "{}: {:?} gave {:?}",
                    row.id,
                    row.positive,
                    found.iter().map(|f| &f.rule).collect::<Vec<_>>()
                )),
                Some(finding) => {
                    if !finding.reason.starts_with(row.reason) {
                        faults.push(format!(
                            "{}: reason {:?} does not start with {:?}",
                            row.id, finding.reason, row.reason
                        ));
                    }
                    if finding.category != row.category {
                        faults.push(format!("{}: category {:?}", row.id, finding.category));
                    }
                    if finding.legal_basis != row.basis {
                        faults.push(format!("{}: basis {:?}", row.id, finding.legal_basis));
                    }
                    let obvious = finding.confidence == Confidence::Obvious;
                    if obvious != (row.strength == Strength::Obvious) {
                        faults.push(format!(
                            "{}: {:?} is {:?}, the table says {:?}",
                            row.id, row.positive, finding.confidence, row.strength
                        ));
                    }
                }
            }
            let found = classifier.classify(row.negative);
            if found.iter().any(|f| f.rule == row.id) {
                faults.push(format!("{}: {:?} must give nothing", row.id, row.negative));
            }
        }
        faults
    }
}
