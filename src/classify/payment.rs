//! Bank and payment details: payment-card numbers, IBANs, Swedish bank
//! accounts (clearing + account number), bankgiro and plusgiro numbers.
//!
//! A card number that passes the Luhn check and starts with a card issuer's
//! prefix is removed at once: nobody lawfully publishes a card number. An
//! account number is a different matter: organisations publish theirs to
//! collect gifts and payments, so accounts follow the same holder rule as
//! contact details ([`super::cues`]), and bankgiro/plusgiro numbers, which
//! nearly always belong to organisations, are a weak signal at most unless
//! the words tie them to another person.
//!
//! Account numbers are recognised only after a word that says what they
//! are (`clearing`, `konto`, `bankgiro`, `pg` …): bare groups of digits are
//! far more often dates, amounts or case numbers. Numbers the personnummer
//! detector reports (a Nordea personkonto ends in one) are left to it.

use std::ops::Range;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::cues::{Cues, Holder};
use super::personnummer::{PersonnummerDetector, luhn_valid};
use super::rule::{Rule, constant_regex};
use super::words::WordClasses;
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

/// Legal basis of bank and card findings.
pub const LEGAL_BASIS_PAYMENT: &str =
    "GDPR art. 5.1 c, 5.1 f, 6; lag (1998:112) 5 §; stadens riktlinjer: Personuppgifter";

const fn payment_rule(
    id: &'static str,
    category: Category,
    confidence: Confidence,
    reason: &'static str,
) -> Rule {
    Rule {
        id,
        category,
        confidence,
        legal_basis: LEGAL_BASIS_PAYMENT,
        reason,
    }
}

const CARD: Rule = payment_rule(
    "pd.payment_card.luhn",
    Category::PaymentCard,
    Confidence::Obvious,
    "Ett betalkortsnummer (kontrollsiffran stämmer och numret börjar som ett kortutgivarnummer).",
);

const ACCOUNT_THIRD_PARTY: Rule = payment_rule(
    "pd.bank_account.third_party",
    Category::BankAccount,
    Confidence::Obvious,
    "En annan persons bankuppgifter lämnas ut i kommentaren.",
);
const ACCOUNT_UNCLEAR: Rule = payment_rule(
    "pd.bank_account.unclear",
    Category::BankAccount,
    Confidence::Probable,
    "Ett bankkontonummer eller IBAN; det framgår inte vems det är.",
);
const ACCOUNT_OWN_OR_ORGANISATION: Rule = payment_rule(
    "pd.bank_account.own_or_organisation",
    Category::BankAccount,
    Confidence::Possible,
    "Kontonumret verkar vara skribentens eget eller en organisations (t.ex. för gåvor).",
);
const GIRO_ABOUT_SOMEONE: Rule = payment_rule(
    "pd.bank_account.giro_third_party",
    Category::BankAccount,
    Confidence::Probable,
    "Ett bankgiro- eller plusgironummer som kommentaren knyter till en annan person.",
);
const GIRO: Rule = payment_rule(
    "pd.bank_account.giro",
    Category::BankAccount,
    Confidence::Possible,
    "Ett bankgiro- eller plusgironummer; sådana hör oftast till organisationer.",
);

/// Card issuer prefixes (IIN ranges) with the lengths they issue.
const CARD_ISSUERS: &[(u32, u32, &[usize])] = &[
    // (first prefix, last prefix, lengths); prefixes compared on as many
    // leading digits as they have.
    (4, 4, &[13, 16, 19]),                   // Visa
    (51, 55, &[16]),                         // Mastercard
    (2221, 2720, &[16]),                     // Mastercard 2-series
    (34, 34, &[15]),                         // American Express
    (37, 37, &[15]),                         // American Express
    (6011, 6011, &[16, 19]),                 // Discover
    (644, 649, &[16, 19]),                   // Discover
    (65, 65, &[16, 19]),                     // Discover
    (3528, 3589, &[16, 17, 18, 19]),         // JCB
    (300, 305, &[14, 16, 19]),               // Diners Club
    (36, 36, &[14, 16, 19]),                 // Diners Club
    (38, 39, &[16, 19]),                     // Diners Club
    (50, 50, &[13, 14, 15, 16, 17, 18, 19]), // Maestro
    (56, 58, &[13, 14, 15, 16, 17, 18, 19]), // Maestro
    (62, 62, &[16, 17, 18, 19]),             // UnionPay
    (67, 67, &[13, 14, 15, 16, 17, 18, 19]), // Maestro
];

/// The fewest digits any number this detector looks for can have (a
/// plusgiro number such as `4-2`).
const FEWEST_DIGITS: usize = 2;
/// The fewest digits of a payment-card number.
const FEWEST_CARD_DIGITS: usize = 13;

const CARD_PATTERN: &str = r"\b\d(?:[\x20\xA0\-]?\d){12,18}\b";

const IBAN_PATTERN: &str = r"\b[A-Z]{2}\d{2}(?:\x20?[A-Z0-9]{4}){2,7}(?:\x20?[A-Z0-9]{1,3})?\b";

/// A keyword, then the clearing number and the account number.
const ACCOUNT_PATTERN: &str = r"(?i)\b(?:clearing(?:nummer|nr)?|clnr|kontonummer|kontonr|bankkonto|personkonto|sparkonto|lönekonto|konto)\b\.?:?\x20*(?:nr\.?:?\x20*)?(?:är\x20+)?(?P<number>\d{4}(?:[\-\x20,]+\d)?(?:[,\x20\-]*(?:(?:konto(?:nummer|nr)?|kontonr)\.?:?)?[\x20\-]*\d{1,4}){2,5})";

const BANKGIRO_PATTERN: &str =
    r"(?i)\b(?:bankgiro(?:nummer|t)?|bg)\b\.?:?\x20*(?:nr\.?:?\x20*)?(?P<number>\d{3,4}-\d{4})\b";

const PLUSGIRO_PATTERN: &str = r"(?i)\b(?:plusgiro(?:nummer|t)?|postgiro|pg)\b\.?:?\x20*(?:nr\.?:?\x20*)?(?P<number>\d{1,2}(?:\x20?\d{2}){0,3}-\d)\b";

/// Finds payment-card numbers, IBANs and Swedish account numbers.
pub struct PaymentDetector {
    cards: Regex,
    ibans: Regex,
    accounts: Regex,
    bankgiros: Regex,
    plusgiros: Regex,
    keywords: AhoCorasick,
    /// For every pattern of `keywords`: the keyed pattern it belongs to.
    keyword_owner: Vec<Keyed>,
    cues: Arc<Cues>,
    personnummer: PersonnummerDetector,
}

/// The words one of the keyed patterns needs (its keyword alternatives,
/// each containing one of these), by pattern: looked for once, without
/// regard to case, so that a pattern runs only on a text that has its word.
const KEYWORDS: [(Keyed, &[&str]); 3] = [
    (Keyed::Account, &["clearing", "clnr", "konto"]),
    (Keyed::Bankgiro, &["bankgiro", "bg"]),
    (Keyed::Plusgiro, &["plusgiro", "postgiro", "pg"]),
];

/// The patterns that need a keyword before the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyed {
    Account,
    Bankgiro,
    Plusgiro,
}

impl PaymentDetector {
    /// Compiles the detector with the built-in word classes.
    pub fn new() -> Self {
        Self::with_classes(&WordClasses::builtin())
    }

    /// Compiles the detector with the given word classes.
    pub fn with_classes(classes: &WordClasses) -> Self {
        Self::with_cues(Arc::new(Cues::with_classes(classes)))
    }

    /// Like [`PaymentDetector::with_classes`], with cue tables compiled
    /// once for every detector that uses them.
    pub fn with_cues(cues: Arc<Cues>) -> Self {
        Self {
            cards: constant_regex(CARD_PATTERN),
            ibans: constant_regex(IBAN_PATTERN),
            accounts: constant_regex(ACCOUNT_PATTERN),
            bankgiros: constant_regex(BANKGIRO_PATTERN),
            plusgiros: constant_regex(PLUSGIRO_PATTERN),
            keywords: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(KEYWORDS.iter().flat_map(|(_, words)| words.iter()))
                .expect("constant keywords compile"),
            keyword_owner: KEYWORDS
                .iter()
                .flat_map(|(keyed, words)| words.iter().map(|_| *keyed))
                .collect(),
            cues,
            personnummer: PersonnummerDetector::new(),
        }
    }

    /// Which keyed patterns have their keyword in `text`.
    fn keyed_present(&self, text: &str) -> Vec<Keyed> {
        self.keywords
            .find_overlapping_iter(text)
            .filter_map(|m| self.keyword_owner.get(m.pattern().as_usize()).copied())
            .collect()
    }

    fn account_rule(&self, text: &str, span: Range<usize>) -> &'static Rule {
        match self.cues.holder_of(text, span) {
            Holder::ThirdParty => &ACCOUNT_THIRD_PARTY,
            Holder::Unclear => &ACCOUNT_UNCLEAR,
            Holder::Own | Holder::Organisation => &ACCOUNT_OWN_OR_ORGANISATION,
        }
    }

    fn giro_rule(&self, text: &str, span: Range<usize>) -> &'static Rule {
        match self.cues.holder_of(text, span) {
            Holder::ThirdParty => &GIRO_ABOUT_SOMEONE,
            _ => &GIRO,
        }
    }

    fn cards(&self, text: &str, taken: &mut Vec<Range<usize>>, out: &mut Vec<Finding>) {
        for m in self.cards.find_iter(text) {
            let digits = ascii_digits(m.as_str());
            if is_card_number(&digits) && claim(taken, m.range()) {
                out.push(CARD.finding(m.range()));
            }
        }
    }

    fn ibans(&self, text: &str, taken: &mut Vec<Range<usize>>, out: &mut Vec<Finding>) {
        if !may_hold_iban(text) {
            return;
        }
        for m in self.ibans.find_iter(text) {
            if iban_valid(m.as_str()) && claim(taken, m.range()) {
                out.push(self.account_rule(text, m.range()).finding(m.range()));
            }
        }
    }

    fn keyed_numbers(
        &self,
        pattern: &Regex,
        valid: fn(&str) -> bool,
        rule: impl Fn(Range<usize>) -> &'static Rule,
        text: &str,
        taken: &mut Vec<Range<usize>>,
        out: &mut Vec<Finding>,
    ) {
        for caps in pattern.captures_iter(text) {
            let Some(number) = caps.name("number") else {
                continue;
            };
            let span = trim_trailing_separators(text, number.range());
            if valid(&text[span.clone()]) && claim(taken, span.clone()) {
                out.push(rule(span.clone()).finding(span));
            }
        }
    }
}

impl Default for PaymentDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for PaymentDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        if text.digit_count() < FEWEST_DIGITS {
            return;
        }
        let personnummer = self.personnummer.findings(text);
        let may_hold_card = text.digit_count() >= FEWEST_CARD_DIGITS;
        let text = text.original();
        let mut taken: Vec<Range<usize>> = personnummer.iter().map(|f| f.start..f.end).collect();
        if may_hold_card {
            self.cards(text, &mut taken, out);
        }
        self.ibans(text, &mut taken, out);
        let present = self.keyed_present(text);
        // In this order: a giro number is claimed before the looser
        // account pattern can take its digits.
        let keyed = [
            (Keyed::Bankgiro, &self.bankgiros, NumberKind::GIRO),
            (Keyed::Plusgiro, &self.plusgiros, NumberKind::GIRO),
            (Keyed::Account, &self.accounts, NumberKind::ACCOUNT),
        ];
        for (kind, pattern, number) in keyed {
            if present.contains(&kind) {
                let rule = |span| (number.rule)(self, text, span);
                self.keyed_numbers(pattern, number.valid, rule, text, &mut taken, out);
            }
        }
    }
}

/// How a keyed number is checked, and how its rule is chosen from where
/// it stands.
struct NumberKind {
    valid: fn(&str) -> bool,
    rule: fn(&PaymentDetector, &str, Range<usize>) -> &'static Rule,
}

impl NumberKind {
    const GIRO: Self = Self {
        valid: luhn_valid_digits,
        rule: PaymentDetector::giro_rule,
    };
    const ACCOUNT: Self = Self {
        valid: account_length,
        rule: PaymentDetector::account_rule,
    };
}

/// A giro number: its digits pass the Luhn check.
fn luhn_valid_digits(number: &str) -> bool {
    luhn_valid(ascii_digits(number).as_bytes())
}

/// An account number: clearing and account digits together.
fn account_length(number: &str) -> bool {
    (9..=15).contains(&ascii_digits(number).len())
}

/// Whether `text` has two capital letters and two digits in a row, as
/// every IBAN starts (`SE45 …`).
fn may_hold_iban(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_uppercase()
            && w[1].is_ascii_uppercase()
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
    })
}

/// Records `span` as reported unless it overlaps something already
/// reported (by the personnummer detector or a stronger rule here).
fn claim(taken: &mut Vec<Range<usize>>, span: Range<usize>) -> bool {
    if taken
        .iter()
        .any(|t| t.start < span.end && span.start < t.end)
    {
        return false;
    }
    taken.push(span);
    true
}

fn ascii_digits(written: &str) -> String {
    written.chars().filter(char::is_ascii_digit).collect()
}

/// The span without separators the pattern may have taken at its end.
fn trim_trailing_separators(text: &str, span: Range<usize>) -> Range<usize> {
    let trimmed = text[span.clone()].trim_end_matches(|c: char| !c.is_ascii_digit());
    span.start..span.start + trimmed.len()
}

/// 13–19 digits, a card issuer's prefix with one of its lengths, and Luhn.
fn is_card_number(digits: &str) -> bool {
    (13..=19).contains(&digits.len()) && issued_prefix(digits) && luhn_valid(digits.as_bytes())
}

fn issued_prefix(digits: &str) -> bool {
    CARD_ISSUERS.iter().any(|&(first, last, lengths)| {
        let width = first.to_string().len();
        digits
            .get(..width)
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| (first..=last).contains(&p))
            && lengths.contains(&digits.len())
    })
}

/// ISO 13616: move the first four characters to the end, letters to
/// numbers (A = 10), the whole modulo 97 must be 1. A Swedish IBAN has 24
/// characters.
fn iban_valid(written: &str) -> bool {
    let compact: String = written.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 15 || compact.len() > 34 {
        return false;
    }
    if compact.starts_with("SE") && compact.len() != 24 {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        let (shift, value) = if value >= 10 {
            (100, value)
        } else {
            (10, value)
        };
        remainder = (remainder * shift + value) % 97;
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        PaymentDetector::new().detect(text, &mut out);
        out
    }

    #[test]
    fn finds_payment_details_with_the_right_confidence() {
        use Category::{BankAccount, PaymentCard};
        use Confidence::{Obvious, Possible, Probable};
        let cases: &[(&str, &str, Category, Confidence)] = &[
            (
                "Kortnr 4111 1111 1111 1111 exp 12/27",
                "4111 1111 1111 1111",
                PaymentCard,
                Obvious,
            ),
            (
                "hans kort 5555-5555-5555-4444",
                "5555-5555-5555-4444",
                PaymentCard,
                Obvious,
            ),
            (
                "Amex 378282246310005",
                "378282246310005",
                PaymentCard,
                Obvious,
            ),
            (
                "IBAN SE45 5000 0000 0583 9825 7466",
                "SE45 5000 0000 0583 9825 7466",
                BankAccount,
                Probable,
            ),
            (
                "Hennes konto: SE4550000000058398257466",
                "SE4550000000058398257466",
                BankAccount,
                Obvious,
            ),
            (
                "Clearing 8327-9, konto 914 567 382-1",
                "8327-9, konto 914 567 382-1",
                BankAccount,
                Probable,
            ),
            (
                "Hans kontonummer är 6000 123 456 789",
                "6000 123 456 789",
                BankAccount,
                Obvious,
            ),
            (
                "Swisha eller sätt in på konto 5000 12 345 67 till insamlingen",
                "5000 12 345 67",
                BankAccount,
                Possible,
            ),
            (
                "Stöd oss på bankgiro 5050-1055",
                "5050-1055",
                BankAccount,
                Possible,
            ),
            (
                "Plusgiro 90 01 22-3 för gåvor",
                "90 01 22-3",
                BankAccount,
                Possible,
            ),
        ];
        for &(text, detail, category, confidence) in cases {
            let found = run(text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert_eq!(&text[found[0].start..found[0].end], detail, "{text:?}");
            assert_eq!(found[0].category, category, "{text:?}");
            assert_eq!(found[0].confidence, confidence, "{text:?}");
            assert!(!found[0].reason.contains(detail));
        }
    }

    #[test]
    fn ignores_numbers_that_are_not_payment_details() {
        for text in [
            // wrong Luhn digit, no issuer, too short
            "4111 1111 1111 1112",
            "1234 5678 9012 3452",
            "4111 1111 1111",
            // IBAN with a wrong check
            "SE46 5000 0000 0583 9825 7466",
            // bankgiro with a wrong check digit, a year range, a bare number
            "bankgiro 5050-1056",
            "under 2019-2020",
            "5050-1055",
            // an amount, a case number
            "Budgeten är 1 200 000 000 kr",
            "Dnr 1.6-246/2019",
            // the personnummer detector owns the number in a personkonto
            "Personkonto 3300 811218-9876",
        ] {
            assert!(run(text).is_empty(), "{text:?}: {:?}", run(text));
        }
    }

    #[test]
    fn iban_check_follows_iso_13616() {
        assert!(iban_valid("SE4550000000058398257466"));
        assert!(iban_valid("DE89 3704 0044 0532 0130 00"));
        assert!(iban_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(!iban_valid("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban_valid("SE45500000000583982574"));
    }

    #[test]
    fn spans_point_into_text_after_multibyte_letters() {
        let text = "Åsa Ödmans kort 😀: 4111 1111 1111 1111";
        let found = run(text);
        assert_eq!(&text[found[0].start..found[0].end], "4111 1111 1111 1111");
    }
}
