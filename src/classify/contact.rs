//! Contact details of private persons: Swedish phone numbers, e-mail
//! addresses, street addresses, and hints that someone has a protected
//! identity.
//!
//! A contact detail is removable personal data when the comment exposes
//! someone else's ("hon bor på …", "ring honom på …"); the city's
//! switchboard, an organisation's address, or a citizen's own number given
//! so the city can call back are not (see [`super::cues`]). So the same
//! number gets a different confidence depending on the words around it:
//!
//! | holder (from the words around) | confidence |
//! |---|---|
//! | someone else, exposed | Obvious |
//! | unclear | Probable (a person decides) |
//! | the writer's own, or an organisation's | Possible |
//!
//! Numbers the personnummer detector reports are not reported again as
//! phone numbers: that detector owns them.

use std::ops::Range;
use std::sync::Arc;

use regex::{Captures, Regex};

use super::cues::{Cues, Holder};
use super::personnummer::PersonnummerDetector;
use super::persons::{FirstNames, PersonFinder};
use super::phrases::WholeWords;
use super::rule::{Rule, constant_regex};
use super::words::{Class, WordClasses};
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

/// Legal basis of findings of contact details.
pub const LEGAL_BASIS_CONTACT: &str =
    "GDPR art. 5.1 c, 6; lag (1998:112) 5 §; stadens riktlinjer: Personuppgifter";
/// Legal basis of protected-identity findings.
pub const LEGAL_BASIS_PROTECTED_IDENTITY: &str = "offentlighets- och sekretesslagen (2009:400) \
     22 kap. 1 §; GDPR art. 5.1 f; stadens riktlinjer: Personuppgifter och sekretessbelagda uppgifter";

/// The four rules of one kind of contact detail, one per [`Holder`].
struct HolderRules {
    third_party: Rule,
    unclear: Rule,
    own: Rule,
    organisation: Rule,
}

impl HolderRules {
    fn for_holder(&self, holder: Holder) -> &Rule {
        match holder {
            Holder::ThirdParty => &self.third_party,
            Holder::Unclear => &self.unclear,
            Holder::Own => &self.own,
            Holder::Organisation => &self.organisation,
        }
    }
}

const fn contact_rule(
    id: &'static str,
    category: Category,
    confidence: Confidence,
    reason: &'static str,
) -> Rule {
    Rule {
        id,
        category,
        confidence,
        legal_basis: LEGAL_BASIS_CONTACT,
        reason,
    }
}

const PHONE_RULES: HolderRules = HolderRules {
    third_party: contact_rule(
        "pd.phone.third_party",
        Category::Phone,
        Confidence::Obvious,
        "Ett telefonnummer till en annan person än skribenten lämnas ut i kommentaren.",
    ),
    unclear: contact_rule(
        "pd.phone.unclear",
        Category::Phone,
        Confidence::Probable,
        "Ett svenskt telefonnummer; det framgår inte vems det är. Kontrollera om det är en \
         privatpersons nummer som lämnas ut.",
    ),
    own: contact_rule(
        "pd.phone.own",
        Category::Phone,
        Confidence::Possible,
        "Skribenten verkar lämna sitt eget telefonnummer för att bli kontaktad.",
    ),
    organisation: contact_rule(
        "pd.phone.organisation",
        Category::Phone,
        Confidence::Possible,
        "Telefonnumret verkar höra till en organisation eller myndighet (växel, kundtjänst).",
    ),
};

const EMAIL_RULES: HolderRules = HolderRules {
    third_party: contact_rule(
        "pd.email.third_party",
        Category::Email,
        Confidence::Obvious,
        "En e-postadress till en annan person än skribenten lämnas ut i kommentaren.",
    ),
    unclear: contact_rule(
        "pd.email.unclear",
        Category::Email,
        Confidence::Probable,
        "En e-postadress; det framgår inte vems den är. Kontrollera om det är en \
         privatpersons adress som lämnas ut.",
    ),
    own: contact_rule(
        "pd.email.own",
        Category::Email,
        Confidence::Possible,
        "Skribenten verkar lämna sin egen e-postadress för att bli kontaktad.",
    ),
    organisation: contact_rule(
        "pd.email.organisation",
        Category::Email,
        Confidence::Possible,
        "E-postadressen verkar vara en funktionsadress hos en organisation eller myndighet.",
    ),
};

const ADDRESS_RULES: HolderRules = HolderRules {
    third_party: contact_rule(
        "pd.address.third_party",
        Category::Address,
        Confidence::Obvious,
        "En annan persons bostadsadress lämnas ut i kommentaren.",
    ),
    unclear: contact_rule(
        "pd.address.unclear",
        Category::Address,
        Confidence::Probable,
        "En gatuadress med postnummer eller lägenhetsnummer; det framgår inte vems den är.",
    ),
    own: contact_rule(
        "pd.address.own",
        Category::Address,
        Confidence::Possible,
        "Skribenten verkar ange sin egen adress.",
    ),
    organisation: contact_rule(
        "pd.address.organisation",
        Category::Address,
        Confidence::Possible,
        "Adressen verkar vara en organisations eller verksamhets adress.",
    ),
};

const PROTECTED_IDENTITY_EXPOSED: Rule = Rule {
    id: "pd.protected_identity.exposed",
    category: Category::ProtectedIdentity,
    confidence: Confidence::Obvious,
    legal_basis: LEGAL_BASIS_PROTECTED_IDENTITY,
    reason: "Kommentaren pekar ut en namngiven person eller anger kontaktuppgifter och nämner \
             skyddade personuppgifter; uppgifterna kan vara sekretessbelagda.",
};
const PROTECTED_IDENTITY_ABOUT_SOMEONE: Rule = Rule {
    id: "pd.protected_identity.about_someone",
    category: Category::ProtectedIdentity,
    confidence: Confidence::Probable,
    legal_basis: LEGAL_BASIS_PROTECTED_IDENTITY,
    reason: "Kommentaren säger att någon har skyddade personuppgifter; kontrollera om personen \
             kan identifieras.",
};
const PROTECTED_IDENTITY_MENTIONED: Rule = Rule {
    id: "pd.protected_identity.mentioned",
    category: Category::ProtectedIdentity,
    confidence: Confidence::Possible,
    legal_basis: LEGAL_BASIS_PROTECTED_IDENTITY,
    reason: "Kommentaren nämner skyddade personuppgifter utan att peka ut någon.",
};

// --- phone numbers ---

macro_rules! sep {
    () => {
        r"[\x20\xA0\x{202F}\-\x{2010}-\x{2014}\x{2212}/]{0,3}"
    };
}

/// The shapes of a Swedish phone number: international (`+46`, `0046`,
/// optionally `(0)`), area code in parentheses, or national (`0…`).
const PHONE_PATTERN: &str = concat!(
    r"(?:\+[\x20\xA0]?46|\b0046)",
    sep!(),
    r"(?:\(0\)",
    sep!(),
    r")?\(?[1-9]\)?(?:",
    sep!(),
    r"\(?\d\)?){6,9}",
    r"|\(0[1-9]\d{0,3}\)(?:",
    sep!(),
    r"\d){5,8}",
    r"|\b0[1-9](?:",
    sep!(),
    r"\d){6,9}",
);

/// Finds Swedish phone numbers.
pub struct PhoneDetector {
    candidates: Regex,
    cues: Arc<Cues>,
    personnummer: PersonnummerDetector,
    organisation_prefixes: Vec<String>,
}

impl PhoneDetector {
    /// Compiles the detector with the built-in word classes.
    pub fn new() -> Self {
        Self::with_classes(&WordClasses::builtin())
    }

    /// Compiles the detector with the given word classes.
    pub fn with_classes(classes: &WordClasses) -> Self {
        Self::with_cues(classes, Arc::new(Cues::with_classes(classes)))
    }

    /// Like [`PhoneDetector::with_classes`], with cue tables compiled once
    /// for every contact detector: compiling them is among the costliest
    /// work at start-up.
    pub fn with_cues(classes: &WordClasses, cues: Arc<Cues>) -> Self {
        Self {
            candidates: constant_regex(PHONE_PATTERN),
            cues,
            personnummer: PersonnummerDetector::new(),
            organisation_prefixes: classes.words(Class::OrganisationPrefixes).to_vec(),
        }
    }

    fn is_organisation_number(&self, national: &str) -> bool {
        self.organisation_prefixes
            .iter()
            .any(|prefix| national.starts_with(prefix.as_str()))
    }
}

impl Default for PhoneDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for PhoneDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        if text.digit_count() < FEWEST_PHONE_DIGITS {
            return;
        }
        let owned_by_personnummer = spans_of(&self.personnummer, text);
        let text = text.original();
        for candidate in self.candidates.find_iter(text) {
            let span = trim_closing_parenthesis(text, candidate.range());
            if overlaps_any(&span, &owned_by_personnummer) || !digits_stand_alone(text, &span) {
                continue;
            }
            let Some(national) = national_digits(&text[span.clone()]) else {
                continue;
            };
            if !plausible_swedish_number(&national) || looks_like_date(&text[span.clone()]) {
                continue;
            }
            let holder = if self.is_organisation_number(&national) {
                Holder::Organisation
            } else {
                self.cues.holder_of(text, span.clone())
            };
            out.push(PHONE_RULES.for_holder(holder).finding(span));
        }
    }
}

/// Spans the personnummer detector reports in `text`.
fn spans_of(detector: &PersonnummerDetector, text: &Text<'_>) -> Vec<Range<usize>> {
    detector
        .findings(text)
        .iter()
        .map(|f| f.start..f.end)
        .collect()
}

fn overlaps_any(span: &Range<usize>, others: &[Range<usize>]) -> bool {
    others
        .iter()
        .any(|o| o.start < span.end && span.start < o.end)
}

/// A trailing `)` belongs to the number only when it closes a `(` inside it.
fn trim_closing_parenthesis(text: &str, span: Range<usize>) -> Range<usize> {
    let written = &text[span.clone()];
    let open = written.matches('(').count();
    let close = written.matches(')').count();
    if written.ends_with(')') && close > open {
        span.start..span.end - 1
    } else {
        span
    }
}

/// The number in national form (`0` + area code + subscriber number), or
/// `None` when it has letters or other characters a phone number lacks.
fn national_digits(written: &str) -> Option<String> {
    let mut digits: String = written.chars().filter(char::is_ascii_digit).collect();
    let international = written.trim_start().starts_with('+') || written.starts_with("0046");
    if international {
        let skip = if written.starts_with("0046") { 4 } else { 2 };
        let rest = digits.get(skip..)?.to_owned();
        // "+46 (0)8 …": the written trunk zero is dropped.
        let rest = if written.contains("(0)") {
            rest.strip_prefix('0')?.to_owned()
        } else {
            rest
        };
        digits = format!("0{rest}");
    }
    Some(digits)
}

/// Swedish numbers: mobile `07X` has ten digits in national form; other
/// numbers have eight to ten.
/// The fewest digits a written Swedish number has: eight national digits
/// (`08-123 45`; `+46` adds two and drops the leading zero).
const FEWEST_PHONE_DIGITS: usize = 8;

fn plausible_swedish_number(national: &str) -> bool {
    let len = national.len();
    if !national.starts_with('0') || national.starts_with("00") {
        return false;
    }
    if national.starts_with("07") && !national.starts_with("077") {
        return len == 10;
    }
    (8..=10).contains(&len)
}

/// `01-02-2020`, `05/12/24`: a date, not a number.
fn looks_like_date(written: &str) -> bool {
    let groups: Vec<usize> = written
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    matches!(groups.as_slice(), [2, 2, 4] | [2, 2, 2] | [4, 2, 2])
}

/// The number is not part of a longer token or digit run.
fn digits_stand_alone(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '#');
    if glued(before) || glued(after) {
        return false;
    }
    // "12-070 123 45 67" or "070 123 45 67-89": joined to more digits.
    let joined_after = text[span.end..]
        .chars()
        .take(3)
        .collect::<Vec<_>>()
        .windows(2)
        .next()
        .is_some_and(|w| matches!(w[0], '-' | '/' | '.' | ',') && w[1].is_ascii_digit());
    let mut back = text[..span.start].chars().rev();
    let joined_before = matches!(back.next(), Some('-' | '/' | '.' | ','))
        && back.next().is_some_and(|c| c.is_ascii_digit());
    !joined_after && !joined_before
}

// --- e-mail addresses ---

const EMAIL_PATTERN: &str = r"[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.[A-Za-z]{2,}";

/// Finds e-mail addresses.
pub struct EmailDetector {
    addresses: Regex,
    cues: Arc<Cues>,
    role_local_parts: Vec<String>,
}

impl EmailDetector {
    /// Compiles the detector with the built-in word classes.
    pub fn new() -> Self {
        Self::with_classes(&WordClasses::builtin())
    }

    /// Compiles the detector with the given word classes.
    pub fn with_classes(classes: &WordClasses) -> Self {
        Self::with_cues(classes, Arc::new(Cues::with_classes(classes)))
    }

    /// Like [`EmailDetector::with_classes`], with cue tables compiled once
    /// for every contact detector (see [`PhoneDetector::with_cues`]).
    pub fn with_cues(classes: &WordClasses, cues: Arc<Cues>) -> Self {
        Self {
            addresses: constant_regex(EMAIL_PATTERN),
            cues,
            role_local_parts: classes.words(Class::RoleLocalParts).to_vec(),
        }
    }
}

impl Default for EmailDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for EmailDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let text = text.original();
        for address in self.addresses.find_iter(text) {
            let span = address.range();
            if masked_before(text, span.start) {
                continue;
            }
            let written = address.as_str();
            let local = written.split('@').next().unwrap_or_default().to_lowercase();
            let holder = if self.role_local_parts.contains(&local) {
                Holder::Organisation
            } else {
                self.cues.holder_of(text, span.clone())
            };
            out.push(EMAIL_RULES.for_holder(holder).finding(span));
        }
    }
}

/// Characters people hide the letters of an address with (`k***@stad.se`,
/// `an••a@stad.se`).
const ADDRESS_MASKS: [char; 4] = ['*', '•', '#', '…'];

/// Whether the address found at `start` is the visible tail of a masked
/// one (`an**a@stad.se` is found as `a@stad.se`): it reaches nobody, so it
/// exposes nobody, however rude the comment around it.
fn masked_before(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| ADDRESS_MASKS.contains(&c))
}

// --- street addresses ---

/// Street addresses in a text: the street, its number with an optional
/// letter, then an optional flat number and an optional postcode and post
/// town (captured as `flat` and `postcode` to judge how complete the
/// address is). Shared with the protected-identity and art. 9 detectors,
/// where an address identifies the person meant.
pub struct StreetAddresses {
    pattern: Regex,
    /// A street ending, a space and a digit (`gatan 3`): every address has
    /// one, and this pattern, made of literals, is found by the regex
    /// crate's fast literal search. Most comments have none and are spared
    /// the full pattern, whose word boundaries make the engine slow on
    /// Swedish text.
    street_number: Regex,
}

impl StreetAddresses {
    /// Compiles the pattern with the built-in street endings.
    pub fn new() -> Self {
        Self::with_classes(&WordClasses::builtin())
    }

    /// Compiles the pattern with the street endings of `classes`.
    pub fn with_classes(classes: &WordClasses) -> Self {
        let endings = classes.alternation(Class::StreetEndings);
        Self {
            pattern: constant_regex(&street_address_pattern(&endings)),
            street_number: constant_regex(&format!(r"(?:{endings})\x20\d")),
        }
    }

    /// Every address, with its parts.
    pub fn captures_iter<'t>(&self, text: &'t str) -> impl Iterator<Item = Captures<'t>> {
        let possible = self.street_number.is_match(text);
        possible
            .then(|| self.pattern.captures_iter(text))
            .into_iter()
            .flatten()
    }

    /// Every address, as a byte span.
    pub fn find_iter(&self, text: &str) -> impl Iterator<Item = Range<usize>> {
        let possible = self.street_number.is_match(text);
        let found = possible.then(|| self.pattern.find_iter(text));
        found.into_iter().flatten().map(|m| m.range())
    }

    /// Whether `text` holds an address.
    pub fn is_match(&self, text: &str) -> bool {
        self.street_number.is_match(text) && self.pattern.is_match(text)
    }
}

impl Default for StreetAddresses {
    fn default() -> Self {
        Self::new()
    }
}

fn street_address_pattern(endings: &str) -> String {
    format!(
        r"(?x)
        \b(?:(?:Sankt|S:t|Norra|Södra|Östra|Västra|Stora|Lilla|Gamla|Nya|Övre|Nedre)\x20)?
        \p{{Lu}}\p{{Ll}}*(?:{endings})
        \x20\d{{1,4}}(?:\x20?[A-Ha-h]\b)?
        (?P<flat>,?\x20*(?:lgh|lägenhet|lägenhetsnummer|lägenhetsnr)\.?\x20*\d{{4}})?
        (?P<postcode>,?\x20*\d{{3}}\x20?\d{{2}}\x20+\p{{Lu}}\p{{Ll}}+)?
        "
    )
}

/// Finds street addresses that identify a dwelling or are said to be where
/// someone lives.
pub struct AddressDetector {
    addresses: Arc<StreetAddresses>,
    cues: Arc<Cues>,
}

impl AddressDetector {
    /// Compiles the detector with the built-in word classes.
    pub fn new() -> Self {
        Self::with_classes(&WordClasses::builtin())
    }

    /// Compiles the detector with the given word classes.
    pub fn with_classes(classes: &WordClasses) -> Self {
        Self::with_parts(
            Arc::new(StreetAddresses::with_classes(classes)),
            Arc::new(Cues::with_classes(classes)),
        )
    }

    /// Like [`AddressDetector::with_classes`], with the address pattern and
    /// cue tables compiled once for every detector that uses them.
    pub fn with_parts(addresses: Arc<StreetAddresses>, cues: Arc<Cues>) -> Self {
        Self { addresses, cues }
    }
}

impl Default for AddressDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for AddressDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let text = text.original();
        for caps in self.addresses.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let span = whole.range();
            let complete = caps.name("flat").is_some() || caps.name("postcode").is_some();
            let holder = self.cues.holder_of(text, span.clone());
            // A bare street and number is a place (a pothole, a bus stop)
            // unless the words say someone lives there.
            if !complete && holder != Holder::ThirdParty && holder != Holder::Own {
                continue;
            }
            out.push(ADDRESS_RULES.for_holder(holder).finding(span));
        }
    }
}

// --- protected identity ---

const PROTECTED_IDENTITY_HINT: &str = r"(?:skyddade?\x20+(?:identitet(?:en)?|personuppgifter(?:na)?|folkbokföring(?:en)?|adress(?:en)?)|sekretessmarker(?:ing(?:en)?|ad(?:e)?)|kvarskriv(?:ning(?:en)?|en|na)|fingerade\x20+personuppgifter)";

/// Words saying the hint is about someone else ("hon har skyddad identitet").
const ABOUT_SOMEONE_PATTERN: &str = r"(?i)\b(?:hon|han|hen|de|dom|familjen|grannen|grannarna|kvinnan|mannen|barnen|barnet|hans|hennes|deras)\b[^.!?]{0,40}\b(?:har|hade|fått|fick|är|lever\x20+med|med)\b";

/// Finds hints that a person has protected personal data.
pub struct ProtectedIdentityDetector {
    hints: WholeWords,
    about_someone: Regex,
    persons: Arc<PersonFinder>,
    addresses: Arc<StreetAddresses>,
    phones: Regex,
}

impl ProtectedIdentityDetector {
    /// Compiles the detector with the built-in word classes and names.
    pub fn new() -> Self {
        Self::with_lists(&WordClasses::builtin(), &FirstNames::builtin())
    }

    /// Compiles the detector with the given word classes and first names.
    pub fn with_lists(classes: &WordClasses, first_names: &FirstNames) -> Self {
        Self::with_parts(
            Arc::new(PersonFinder::with_lists(classes, first_names)),
            Arc::new(StreetAddresses::with_classes(classes)),
        )
    }

    /// Like [`ProtectedIdentityDetector::with_lists`], with the person and
    /// address patterns compiled once for every detector that uses them:
    /// the person patterns are the costliest to compile.
    pub fn with_parts(persons: Arc<PersonFinder>, addresses: Arc<StreetAddresses>) -> Self {
        Self {
            hints: WholeWords::constant(&[PROTECTED_IDENTITY_HINT]),
            about_someone: constant_regex(ABOUT_SOMEONE_PATTERN),
            persons,
            addresses,
            phones: constant_regex(PHONE_PATTERN),
        }
    }

    fn rule_for(&self, text: &str) -> &'static Rule {
        let identifies = !self.persons.find(text).is_empty()
            || self.addresses.is_match(text)
            || self.phones.is_match(text);
        let about_someone = self.about_someone.is_match(text);
        match (about_someone || identifies, identifies) {
            (true, true) => &PROTECTED_IDENTITY_EXPOSED,
            (true, false) => &PROTECTED_IDENTITY_ABOUT_SOMEONE,
            _ => &PROTECTED_IDENTITY_MENTIONED,
        }
    }
}

impl Default for ProtectedIdentityDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for ProtectedIdentityDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        let text = text.original();
        let Some(first) = self.hints.find(text) else {
            return;
        };
        out.push(self.rule_for(text).finding(first));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(detector: &dyn Detector, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        detector.detect(text, &mut out);
        out
    }

    /// (text, the detail as written, expected confidence); `None` = nothing.
    type Case<'a> = (&'a str, &'a str, Option<Confidence>);

    fn check(detector: &dyn Detector, category: Category, cases: &[Case]) {
        for &(text, detail, expected) in cases {
            let found = run(detector, text);
            match expected {
                None => assert!(found.is_empty(), "{text:?}: {found:?}"),
                Some(confidence) => {
                    assert_eq!(found.len(), 1, "{text:?}: {found:?}");
                    let f = &found[0];
                    assert_eq!(&text[f.start..f.end], detail, "{text:?}");
                    assert_eq!(f.confidence, confidence, "{text:?}");
                    assert_eq!(f.category, category, "{text:?}");
                    if category != Category::ProtectedIdentity {
                        assert!(!f.reason.contains(detail), "reason repeats the data");
                    }
                }
            }
        }
    }

    use Confidence::{Obvious, Possible, Probable};

    #[test]
    fn phone_numbers_with_confidence_from_context() {
        let cases: &[Case] = &[
            (
                "Ring honom på 070-123 45 67 och säg vad ni tycker",
                "070-123 45 67",
                Some(Obvious),
            ),
            ("Hennes nummer är 0731234567", "0731234567", Some(Obvious)),
            (
                "Numret till grannen: +46 70 123 45 67",
                "+46 70 123 45 67",
                Some(Obvious),
            ),
            ("Kolla 070 123 45 67", "070 123 45 67", Some(Probable)),
            ("Tel (08) 123 45 67", "(08) 123 45 67", Some(Probable)),
            ("Tel 0046 8 123 456 78", "0046 8 123 456 78", Some(Probable)),
            (
                "Tel +46 (0)31-123 45 67",
                "+46 (0)31-123 45 67",
                Some(Probable),
            ),
            (
                "Ring mig på 0701-23 45 67 så förklarar jag",
                "0701-23 45 67",
                Some(Possible),
            ),
            (
                "Ring stadens växel 08-508 290 00",
                "08-508 290 00",
                Some(Possible),
            ),
            (
                "Stadens nummer 08-508 290 00",
                "08-508 290 00",
                Some(Possible),
            ),
            (
                "Ring kundtjänst på 0771-11 22 33",
                "0771-11 22 33",
                Some(Possible),
            ),
            // not phone numbers
            ("Öppet 08.30-17.00 alla dagar", "", None),
            ("Mötet är 01-02-2020", "", None),
            ("Det kostade 1 200 000 kr", "", None),
            ("Ärende KS 2018/1303", "", None),
            ("Kortet 4111 1111 1111 1111", "", None),
            ("Clearing 8327-9, konto 914 567 382-1", "", None),
            ("070-123", "", None),
            // the personnummer detector owns this one
            ("Ring 0701234569", "", None),
            ("pnr 811218-9876", "", None),
        ];
        check(&PhoneDetector::new(), Category::Phone, cases);
    }

    #[test]
    fn personnummer_shaped_numbers_are_reported_once_by_the_standard_classifier() {
        let classifier = crate::classify::Classifier::standard();
        for text in [
            "Ring 0701234569 i kväll",
            "pnr 811218-9876",
            "19811218-9876",
        ] {
            let found = classifier.classify(text);
            let categories: Vec<Category> = found.iter().map(|f| f.category).collect();
            assert_eq!(categories, vec![Category::Personnummer], "{text:?}");
        }
    }

    #[test]
    fn phone_span_points_into_text_after_multibyte_letters() {
        let text = "Åsa Öberg 😀 säger: ring henne på 073-987 65 43!";
        let found = run(&PhoneDetector::new(), text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "073-987 65 43");
    }

    #[test]
    fn a_partly_masked_address_in_an_insult_is_no_contact_detail() {
        let found = run(
            &EmailDetector::new(),
            "Din idiot till chef svarar aldrig på an**a@stad.se, skäms",
        );
        assert!(found.is_empty(), "{found:?}");
        let found = run(
            &EmailDetector::new(),
            "Din idiot till chef Anna svarar aldrig på anna@stad.se, skäms",
        );
        assert_eq!(found.len(), 1, "the whole address is still found");
    }

    #[test]
    fn email_addresses_with_confidence_from_context() {
        let cases: &[Case] = &[
            (
                "Mejla honom på kalle.k@gmail.com",
                "kalle.k@gmail.com",
                Some(Obvious),
            ),
            (
                "Hennes mejl är anna.svensson@hotmail.com",
                "anna.svensson@hotmail.com",
                Some(Obvious),
            ),
            (
                "skriv till nisse@example.se",
                "nisse@example.se",
                Some(Probable),
            ),
            (
                "Mejla mig på åsa.ö@telia.com",
                "åsa.ö@telia.com",
                Some(Possible),
            ),
            (
                "Skicka till registrator@stockholm.se",
                "registrator@stockholm.se",
                Some(Possible),
            ),
            ("info@foreningen.se", "info@foreningen.se", Some(Possible)),
            ("ingen adress här @ alls", "", None),
            ("@kalle_k har fel", "", None),
        ];
        check(&EmailDetector::new(), Category::Email, cases);
    }

    #[test]
    fn street_addresses_with_confidence_from_context() {
        let cases: &[Case] = &[
            (
                "Hon bor på Storgatan 12, 123 45 Stockholm",
                "Storgatan 12, 123 45 Stockholm",
                Some(Obvious),
            ),
            (
                "Han bor på Ringvägen 12B lgh 1102",
                "Ringvägen 12B lgh 1102",
                Some(Obvious),
            ),
            (
                "Pedofilen bor på Sankt Eriksgatan 5",
                "Sankt Eriksgatan 5",
                Some(Obvious),
            ),
            (
                "Adress: Storgatan 12, 123 45 Stockholm",
                "Storgatan 12, 123 45 Stockholm",
                Some(Probable),
            ),
            (
                "Jag bor på Götgatan 14 lgh 1201 och undrar",
                "Götgatan 14 lgh 1201",
                Some(Possible),
            ),
            (
                "Besöksadress Hantverkargatan 3, 112 21 Stockholm",
                "Hantverkargatan 3, 112 21 Stockholm",
                Some(Possible),
            ),
            (
                "Biblioteket ligger på Sveavägen 73, 113 50 Stockholm",
                "Sveavägen 73, 113 50 Stockholm",
                Some(Possible),
            ),
            // a place, not a home
            ("Gatlampan vid Storgatan 12 är trasig", "", None),
            ("Det är hål i vägen på Ringvägen 40", "", None),
            ("storgatan 12", "", None),
        ];
        check(&AddressDetector::new(), Category::Address, cases);
    }

    #[test]
    fn protected_identity_hints() {
        let cases: &[Case] = &[
            (
                "Anna Svensson har skyddad identitet och bor i Rinkeby",
                "skyddad identitet",
                Some(Obvious),
            ),
            (
                "Hon har skyddade personuppgifter, ring 070-123 45 67",
                "skyddade personuppgifter",
                Some(Obvious),
            ),
            (
                "Grannen har sekretessmarkering men alla vet var",
                "sekretessmarkering",
                Some(Probable),
            ),
            (
                "Hur ansöker man om skyddad identitet?",
                "skyddad identitet",
                Some(Possible),
            ),
            (
                "Vad innebär kvarskrivning?",
                "kvarskrivning",
                Some(Possible),
            ),
            ("Skyddet för identitet är viktigt", "", None),
        ];
        check(
            &ProtectedIdentityDetector::new(),
            Category::ProtectedIdentity,
            cases,
        );
    }
}
