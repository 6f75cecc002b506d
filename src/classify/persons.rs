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

use super::rule::constant_regex;

/// Common Swedish first names (SCB's most frequent, lower case).
pub const FIRST_NAMES: &[&str] = &[
    "anna",
    "eva",
    "maria",
    "karin",
    "sara",
    "kristina",
    "lena",
    "emma",
    "kerstin",
    "marie",
    "malin",
    "ingrid",
    "jenny",
    "hanna",
    "linda",
    "annika",
    "susanne",
    "elin",
    "monica",
    "birgitta",
    "sofia",
    "johanna",
    "carina",
    "elisabeth",
    "julia",
    "ulla",
    "ida",
    "linnea",
    "katarina",
    "amanda",
    "camilla",
    "helena",
    "inger",
    "therese",
    "lisa",
    "frida",
    "moa",
    "ebba",
    "wilma",
    "alice",
    "maja",
    "elsa",
    "astrid",
    "agnes",
    "klara",
    "stina",
    "petra",
    "erik",
    "lars",
    "karl",
    "anders",
    "johan",
    "per",
    "nils",
    "carl",
    "mikael",
    "jan",
    "hans",
    "peter",
    "thomas",
    "daniel",
    "fredrik",
    "gustav",
    "magnus",
    "andreas",
    "stefan",
    "mats",
    "jonas",
    "mattias",
    "alexander",
    "bengt",
    "bo",
    "oskar",
    "sven",
    "leif",
    "henrik",
    "marcus",
    "viktor",
    "david",
    "emil",
    "martin",
    "simon",
    "niklas",
    "björn",
    "ulf",
    "göran",
    "kalle",
    "olle",
    "pelle",
    "lasse",
    "janne",
    "ahmed",
    "mohammed",
    "ali",
    "fatima",
    "hassan",
    "omar",
    "yusuf",
    "amina",
    "leyla",
    "elias",
    "william",
    "hugo",
    "liam",
    "noah",
    "lucas",
    "oliver",
    "adam",
    "axel",
    "filip",
    "ludvig",
    "isak",
    "theo",
    "alva",
    "ella",
    "olivia",
    "selma",
    "saga",
    "vera",
    "signe",
    "tove",
    "åsa",
    "örjan",
    "ove",
    "rolf",
];

/// Endings of Swedish surnames (Andersson, Nyström, Bergqvist …) that are
/// rare in place names, so "Hej Sundbyberg" is not a person; a surname with
/// another ending counts after a known first name.
pub const SURNAME_ENDINGS: &[&str] = &[
    "sson", "son", "ström", "qvist", "kvist", "gren", "din", "lin", "dahl", "blad", "stedt", "ius",
    "éen", "een", "sköld",
];

/// Roles of people at a workplace; a role with a named workplace identifies
/// the person to anyone who knows the place.
pub const ROLES: &[&str] = &[
    "läraren",
    "lärarinnan",
    "förskolläraren",
    "rektorn",
    "fritidsledaren",
    "kuratorn",
    "skolsköterskan",
    "sjuksköterskan",
    "undersköterskan",
    "läkaren",
    "doktorn",
    "handläggaren",
    "socialsekreteraren",
    "chefen",
    "enhetschefen",
    "vaktmästaren",
    "busschauffören",
    "chauffören",
    "hemtjänstpersonalen",
    "personalen",
    "bibliotekarien",
    "receptionisten",
    "tränaren",
    "polisen",
    "väktaren",
    "assistenten",
    "barnskötaren",
    "pedagogen",
    "mentorn",
    "skötaren",
    "vårdaren",
    "biträdet",
    "fröken",
    "fritidspedagogen",
    "dagmamman",
    "städaren",
    "kocken",
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
    names: Regex,
    mentions: Regex,
    roles: Regex,
}

impl PersonFinder {
    /// Compiles the patterns from the tables above.
    pub fn new() -> Self {
        let first = FIRST_NAMES
            .iter()
            .map(|name| capitalise(name))
            .collect::<Vec<_>>()
            .join("|");
        let endings = SURNAME_ENDINGS.join("|");
        let capitalised = r"\p{Lu}\p{Ll}+";
        let names = format!(
            r"\b(?:(?:{first})\s+{capitalised}(?:-{capitalised})?|{capitalised}\s+\p{{Lu}}\p{{Ll}}{{2,}}(?:{endings}))\b"
        );
        let roles = format!(
            r"(?i)\b(?:{})(?:\s+\p{{Lu}}\p{{Ll}}+)?\s+(?:på|vid|i)\s+(?-i:\p{{Lu}}[\p{{L}}-]+)(?:\s+(?:{}))?",
            ROLES.join("|"),
            WORKPLACE_WORDS.join("|")
        );
        Self {
            names: constant_regex(&names),
            mentions: constant_regex(r"(?:^|[^\w@])(@[A-Za-z0-9_][A-Za-z0-9_.]{1,29})"),
            roles: constant_regex(&roles),
        }
    }

    /// Every identifying reference in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<PersonRef> {
        let mut refs: Vec<PersonRef> = Vec::new();
        for m in self.names.find_iter(text) {
            refs.push(PersonRef {
                span: m.range(),
                kind: PersonRefKind::FullName,
            });
        }
        for caps in self.mentions.captures_iter(text) {
            if let Some(m) = caps.get(1) {
                refs.push(PersonRef {
                    span: m.range(),
                    kind: PersonRefKind::Mention,
                });
            }
        }
        for m in self.roles.find_iter(text) {
            refs.push(PersonRef {
                span: m.range(),
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

/// "anna" → "Anna": a name written in lower case is too often an ordinary
/// word ("per", "bo", "ali", "moa").
fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
        ] {
            assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
        }
    }
}
