//! Who is an identifiable person in a comment? A sensitive fact or a
//! protected-identity hint is removable personal data only when it is tied
//! to someone a reader can identify: a full name, an @mention, or a role at
//! a named workplace ("läraren på Vasaskolan"). A pronoun or "min granne"
//! alone does not identify anyone.
//!
//! Full names are recognised as a known Swedish first name followed by a
//! capitalised word, or a capitalised word followed by a surname with a
//! typical Swedish ending; that keeps sentence-initial capitals ("Kommunen
//! Stockholm") and party or place names from counting as people. The
//! tables are plain word lists so that they can move to `wordlists/`.

use std::ops::Range;

use regex::Regex;

use super::phrases::{Case, End, WholeWords};
use super::rule::constant_regex;

/// Frequent first names in Stockholm, one per line (see the file header).
pub const FIRST_NAMES_LIST: &str = include_str!("../../wordlists/sv/persons/first_names.txt");

/// The first names of [`FIRST_NAMES_LIST`], lower case.
pub fn first_names() -> impl Iterator<Item = &'static str> {
    FIRST_NAMES_LIST
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Endings of Swedish surnames (Andersson, Nyström, Bergqvist …) that are
/// rare in place names, so "Hej Sundbyberg" is not a person; a surname with
/// another ending counts after a known first name.
pub const SURNAME_ENDINGS: &[&str] = &[
    "sson", "son", "ström", "qvist", "kvist", "gren", "din", "lin", "dahl", "blad", "stedt", "ius",
    "éen", "een", "sköld",
];

/// Roles of people at a workplace, in the definite form ("läraren"); a
/// role also matches as the last part of a compound ("idrottsläraren",
/// "parkeringsvakten", "bibliotekschefen"). A role with a named workplace
/// identifies the person to anyone who knows the place; a role alone
/// ("rektorn") points at someone a reader may not know.
pub const ROLES: &[&str] = &[
    "läraren",
    "lärarinnan",
    "rektorn",
    "ledaren",
    "kuratorn",
    "sköterskan",
    "läkaren",
    "doktorn",
    "handläggaren",
    "sekreteraren",
    "chefen",
    "direktören",
    "vaktmästaren",
    "chauffören",
    "föraren",
    "personalen",
    "bibliotekarien",
    "receptionisten",
    "tränaren",
    "väktaren",
    "vakten",
    "assistenten",
    "skötaren",
    "pedagogen",
    "mentorn",
    "vårdaren",
    "biträdet",
    "fröken",
    "dagmamman",
    "städaren",
    "kocken",
    "hyresvärden",
    "förvaltaren",
    "kassören",
    "kassörskan",
    "expediten",
    "psykologen",
    "terapeuten",
    "barnmorskan",
    "brandmannen",
    "konduktören",
    "samordnaren",
    "inspektören",
    "handledaren",
    "vikarien",
    "rådgivaren",
    "juristen",
    "frisören",
    "föreståndaren",
    "prästen",
    "pastorn",
    "diakonen",
    "imamen",
    "kantorn",
    "socionomen",
    "stödjaren",
    "coachen",
    "instruktören",
    "livräddaren",
    "sjukgymnasten",
    "fysioterapeuten",
    "kontrollanten",
    "ombudsmannen",
    "kyrkoherden",
    "hygienisten",
    "apotekaren",
    "farmaceuten",
    "vägledaren",
    "utredaren",
    "städerskan",
    "servitören",
    "servitrisen",
    "bartendern",
    "brevbäraren",
    "sotaren",
    "elektrikern",
    "snickaren",
    "målaren",
    "rörmokaren",
    "hantverkaren",
    "mästaren",
    "fotografen",
    "kommunikatören",
    "bovärden",
    "fastighetsvärden",
    "socialarbetaren",
    "fältarbetaren",
];

/// The same roles without article ("Janne, som är vaktmästare på Kista
/// gymnasium"; "er handläggare Nils Ahmadi"), also as the last part of a
/// compound.
pub const ROLES_INDEFINITE: &[&str] = &[
    "lärare",
    "lärarinna",
    "rektor",
    "ledare",
    "kurator",
    "sköterska",
    "läkare",
    "doktor",
    "handläggare",
    "sekreterare",
    "chef",
    "direktör",
    "vaktmästare",
    "chaufför",
    "förare",
    "bibliotekarie",
    "receptionist",
    "tränare",
    "väktare",
    "vakt",
    "assistent",
    "skötare",
    "pedagog",
    "mentor",
    "vårdare",
    "biträde",
    "städare",
    "kock",
    "hyresvärd",
    "förvaltare",
    "kassör",
    "kassörska",
    "expedit",
    "psykolog",
    "terapeut",
    "barnmorska",
    "brandman",
    "konduktör",
    "samordnare",
    "inspektör",
    "handledare",
    "vikarie",
    "rådgivare",
    "jurist",
    "frisör",
    "föreståndare",
    "präst",
    "pastor",
    "diakon",
    "imam",
    "kantor",
    "socionom",
    "stödjare",
    "coach",
    "instruktör",
    "livräddare",
    "sjukgymnast",
    "fysioterapeut",
    "kontrollant",
    "kyrkoherde",
    "hygienist",
    "apotekare",
    "farmaceut",
    "vägledare",
    "utredare",
    "städerska",
    "servitör",
    "servitris",
    "bartender",
    "brevbärare",
    "sotare",
    "elektriker",
    "snickare",
    "målare",
    "rörmokare",
    "hantverkare",
    "mästare",
    "fotograf",
    "kommunikatör",
    "bovärd",
    "fastighetsvärd",
    "socialarbetare",
    "fältarbetare",
];

/// Words that may follow a workplace's name ("Solbacka äldreboende").
pub const WORKPLACE_WORDS: &[&str] = &[
    "äldreboende",
    "förskola",
    "skola",
    "vårdcentral",
    "bibliotek",
    "sjukhus",
    "fritidsgård",
    "hemtjänst",
    "gymnasium",
    "kontor",
    "simhall",
    "servicehus",
];

/// One reference to an identifiable person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    /// Where the reference is in the original text.
    pub span: Range<usize>,
    /// What kind of reference it is.
    pub kind: PersonRefKind,
}

/// The kinds of reference that identify a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonRefKind {
    /// Förnamn Efternamn.
    FullName,
    /// `@handle`.
    Mention,
    /// A role at a named workplace.
    RoleAtWorkplace,
}

/// Compiled person-reference patterns.
pub struct PersonFinder {
    names: WholeWords,
    mentions: Regex,
    roles: WholeWords,
    named_roles: WholeWords,
}

impl PersonFinder {
    /// Compiles the patterns from the tables above.
    pub fn new() -> Self {
        let first = first_name_alternation();
        let endings = SURNAME_ENDINGS.join("|");
        let capitalised = r"\p{Lu}\p{Ll}+";
        // Förnamn [-Förnamn] Efternamn [-Efternamn] [Efternamn-son]: double
        // first names and double surnames ("Anna-Karin Berg Svensson").
        let names = format!(
            r"(?:{first})(?:-{capitalised})?\s+{capitalised}(?:-{capitalised})?(?:\s+\p{{Lu}}\p{{Ll}}{{2,}}(?:{endings}))?|{capitalised}\s+\p{{Lu}}\p{{Ll}}{{2,}}(?:{endings})"
        );
        // role [Name [Name]] [,] på|vid|i|hos Workplace [workplace word]
        let roles = format!(
            r"{}(?-i:(?:\s+{capitalised}){{0,2}})(?:\s+med\s+(?:id-?nummer|tjänstenummer|nummer|bricka|id)\s+\d+)?\s*,?\s+(?:på|vid|i|hos)\s+(?-i:\p{{Lu}}[\p{{L}}-]+)(?:\s+(?:{}))?",
            role_pattern(),
            WORKPLACE_WORDS.join("|")
        );
        // Förnamn, som är vaktmästare på Kista gymnasium
        let named_roles = format!(
            r"(?:{first})\s*,?\s+(?:som\s+(?:är|jobbar\s+som|arbetar\s+som)\s+)?(?i:[\p{{L}}-]*(?:{}))\s+(?:på|vid|i|hos)\s+\p{{Lu}}[\p{{L}}-]+(?:\s+(?:{}))?",
            ROLES_INDEFINITE.join("|"),
            WORKPLACE_WORDS.join("|")
        );
        Self {
            names: WholeWords::constant_with(&[&names], Case::Sensitive, End::Word),
            mentions: constant_regex(r"(?:^|[^\w@])(@[A-Za-z0-9_][A-Za-z0-9_.]{1,29})"),
            roles: WholeWords::constant_with(&[&roles], Case::Insensitive, End::Open),
            named_roles: WholeWords::constant_with(&[&named_roles], Case::Sensitive, End::Open),
        }
    }

    /// Every identifying reference in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<PersonRef> {
        let mut refs: Vec<PersonRef> = Vec::new();
        // Every pattern but the @mention needs a capital letter (a
        // workplace), names and named roles two; most sentences have one at
        // most, at their start, and are spared the searches.
        let capitals = text.chars().filter(|c| c.is_uppercase()).take(2).count();
        let names = (capitals >= 2).then(|| self.names.find_iter(text));
        for span in names.into_iter().flatten() {
            refs.push(PersonRef {
                span,
                kind: PersonRefKind::FullName,
            });
        }
        let mentions = text
            .contains('@')
            .then(|| self.mentions.captures_iter(text));
        for caps in mentions.into_iter().flatten() {
            if let Some(m) = caps.get(1) {
                refs.push(PersonRef {
                    span: m.range(),
                    kind: PersonRefKind::Mention,
                });
            }
        }
        let roles = (capitals >= 1).then(|| self.roles.find_iter(text));
        let named_roles = (capitals >= 2).then(|| self.named_roles.find_iter(text));
        for span in roles
            .into_iter()
            .flatten()
            .chain(named_roles.into_iter().flatten())
        {
            refs.push(PersonRef {
                span,
                kind: PersonRefKind::RoleAtWorkplace,
            });
        }
        refs.sort_by_key(|r| r.span.start);
        refs
    }
}

impl Default for PersonFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// The role words of [`ROLES`] as one case-insensitive regex fragment, also
/// as the last part of a compound ("idrottsläraren"); the caller says what
/// may follow it (a word boundary, or the pattern that comes next).
pub fn role_pattern() -> String {
    format!(r"[\p{{L}}-]*(?:{})", ROLES.join("|"))
}

/// The first names as one case-sensitive alternation of capitalised names
/// ("Anna|Erik|…"), longest first so "Anna-Karin" is not cut short.
pub fn first_name_alternation() -> String {
    let mut names: Vec<String> = first_names().map(capitalise).collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names
        .iter()
        .map(|name| regex::escape(name))
        .collect::<Vec<_>>()
        .join("|")
}

/// "anna" → "Anna", "anna-karin" → "Anna-Karin": a name written in lower case is too often an ordinary
/// word ("per", "bo", "ali", "moa").
fn capitalise(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, PersonRefKind)> {
        PersonFinder::new()
            .find(text)
            .into_iter()
            .map(|r| (&text[r.span], r.kind))
            .collect()
    }

    #[test]
    fn finds_identifying_references() {
        use PersonRefKind::*;
        let cases: &[(&str, &[(&str, PersonRefKind)])] = &[
            ("Anna Svensson har HIV", &[("Anna Svensson", FullName)]),
            ("Det var Göran Persson", &[("Göran Persson", FullName)]),
            ("enligt Okänd Lindqvist", &[("Okänd Lindqvist", FullName)]),
            ("@kalle_k är med i facket", &[("@kalle_k", Mention)]),
            (
                "läraren på Vasaskolan är sjuk",
                &[("läraren på Vasaskolan", RoleAtWorkplace)],
            ),
            (
                "hemtjänstpersonalen Anna på Östermalm",
                &[("hemtjänstpersonalen Anna på Östermalm", RoleAtWorkplace)],
            ),
            // names of Stockholm's larger immigrant groups, double surnames
            ("Mehmet Yilmaz tränar laget", &[("Mehmet Yilmaz", FullName)]),
            (
                "Anna-Karin Berg Svensson svarade",
                &[("Anna-Karin Berg Svensson", FullName)],
            ),
            ("Dragan Ilić kör 172", &[("Dragan Ilić", FullName)]),
            // a role as the last part of a compound, at a named unit
            (
                "Idrottsläraren på Eriksdalsskolan",
                &[("Idrottsläraren på Eriksdalsskolan", RoleAtWorkplace)],
            ),
            (
                "parkeringsvakten på Östermalm",
                &[("parkeringsvakten på Östermalm", RoleAtWorkplace)],
            ),
            (
                "Janne som är vaktmästare på Kista gymnasium har",
                &[(
                    "Janne som är vaktmästare på Kista gymnasium",
                    RoleAtWorkplace,
                )],
            ),
            (
                "Parkeringsvakten med id-nummer 2231 på Östermalm",
                &[(
                    "Parkeringsvakten med id-nummer 2231 på Östermalm",
                    RoleAtWorkplace,
                )],
            ),
            (
                "Vaktmästaren på Tallkrogens skola, Bosse",
                &[("Vaktmästaren på Tallkrogens skola", RoleAtWorkplace)],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(found(text), expected.to_vec(), "{text:?}");
        }
    }

    #[test]
    fn ignores_capitalised_words_that_are_not_names() {
        for text in [
            "Kommunen Stockholm borde skämmas",
            "Socialdemokraterna och Moderaterna",
            "per person och bo i Stockholm",
            "mejla info@stockholm.se",
            "läraren på förskolan",
            "Hej Stockholms stad!",
            "Sverigedemokraterna Och Vänsterpartiet",
            "idrottsläraren sa",
            "Ledamoten Svensk Förening",
        ] {
            assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
        }
    }

    #[test]
    fn first_name_list_is_lower_case_names() {
        let names: Vec<&str> = first_names().collect();
        assert!(names.len() > 300, "{}", names.len());
        for name in names {
            assert!(
                name.chars().all(|c| c.is_lowercase() || c == '-'),
                "{name:?} must be one lower-case name"
            );
        }
    }
}
