//! Whose contact detail is it? The words around a phone number, e-mail
//! address, street address or account number decide how sure a finding is.
//!
//! Publishing a private person's details about someone *else* ("hon bor på
//! …", "ring honom på …") violates their privacy and is removed at once. The
//! city's switchboard, an organisation's address, or a citizen giving their
//! *own* number so the city can call back are not; removing them would
//! silence a lawful comment, so those go to a person at most as a weak
//! signal. When the words say nothing either way a person decides.
//!
//! The cues are small shapes (case-insensitive, whole words) over word
//! classes in `wordlists/sv/classes/` (`exposed_persons`, `contact_verbs`,
//! `detail_words`, `organisation_words`, …), which a city's word-list folder
//! can extend or replace; the shapes keep only pronouns and prepositions.

use std::ops::Range;

use super::phrases::WholeWords;
use super::words::{Class, WordClasses};

/// Who the detail seems to belong to, judged from the nearby words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Someone other than the writer, and the writer exposes it.
    ThirdParty,
    /// The writer's own detail, given to be contacted.
    Own,
    /// An organisation, authority or business (switchboard, office address).
    Organisation,
    /// The words say nothing clear; a person decides.
    Unclear,
}

/// A capitalised name (`Erik`), matched with its capital letter.
const NAME: &str = r"(?-i:[A-ZÅÄÖ][a-zåäöé]+)";

/// The shapes showing a detail about another person is being exposed, over
/// the word classes of the cues (see [`Cues::with_classes`]).
fn third_party_cues(classes: &WordClasses) -> Vec<String> {
    let words = |class| phrase_alternation(classes, class);
    let exposed = words(Class::ExposedPersons);
    let whereabouts = words(Class::WhereaboutsVerbs);
    let contact = words(Class::ContactVerbs);
    let owners = words(Class::DetailOwners);
    let details = words(Class::DetailWords);
    let definite = words(Class::DetailsDefinite);
    let reached = words(Class::ReachedPersons);
    vec![
        format!(
            r"(?:hon|han|hen|de|dom|dem|den|{exposed}|{NAME})\s+(?:{whereabouts})\s+(?:på|i|vid)"
        ),
        r"ring\s+(?:honom|henne|hen|dem|dom|han|hon)".to_owned(),
        format!(r"(?:{contact})\s+(?:honom|henne|hen|dem|dom)"),
        format!(r"(?:{owners}|{NAME}s)\s+(?:privata\s+)?(?:{details})"),
        format!(r"(?:{definite})\s+till\s+(?:honom|henne|hen|dem|{NAME}|{reached})"),
        r"här\s+bor\s+(?:hon|han|hen|de|dom)".to_owned(),
        r"(?:hon|han|hen|de|dom)\s+(?:har|heter)\s+[^.!?]{0,40}(?:nummer|adress|bor)".to_owned(),
    ]
}

/// The shapes showing the writer gives their own detail to be contacted.
fn own_cues(classes: &WordClasses) -> Vec<String> {
    let reply = phrase_alternation(classes, Class::ReplyVerbs);
    let details = phrase_alternation(classes, Class::OwnDetailWords);
    vec![
        format!(r"(?:{reply})\s+mig"),
        r"(?:du|ni)\s+(?:når|kan\s+nå)\s+mig".to_owned(),
        r"jag\s+(?:nås|bor|finns)\s+(?:på|i)".to_owned(),
        format!(r"(?:mitt|min|vårt|vår)\s+(?:privata\s+)?(?:{details})"),
        r"vi\s+bor\s+(?:på|i)".to_owned(),
        r"(?:hör|återkom)\s+(?:av\s+er\s+)?(?:gärna\s+)?till\s+mig".to_owned(),
    ]
}

/// The shapes showing the detail belongs to an organisation or authority.
fn organisation_cues(classes: &WordClasses) -> Vec<String> {
    let words = |class| phrase_alternation(classes, class);
    let verbs = words(Class::OrganisationContactVerbs);
    let addressed = words(Class::OrganisationsAddressed);
    vec![
        words(Class::OrganisationWords),
        format!(r"(?:{verbs})\s+(?:{addressed})"),
        r"(?:ligger|finns|håller\s+till)\s+(?:på|vid)".to_owned(),
    ]
}

/// The entries of a class of the cues as one alternation, each escaped,
/// with any space between its words standing for any run of spaces.
fn phrase_alternation(classes: &WordClasses, class: Class) -> String {
    classes
        .words(class)
        .iter()
        .map(|entry| {
            entry
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// How far before a match the cues are looked for, in bytes.
const LOOK_BEHIND: usize = 90;
/// How far after a match the cues are looked for, in bytes.
const LOOK_AHEAD: usize = 50;

/// Compiled cue tables.
pub struct Cues {
    third_party: WholeWords,
    own: WholeWords,
    organisation: WholeWords,
    writer_pronouns: Vec<String>,
}

impl Cues {
    /// Compiles the cue tables with the built-in word classes.
    pub fn new() -> Self {
        Self::with_classes(&WordClasses::builtin())
    }

    /// Compiles the cue tables with the given word classes.
    pub fn with_classes(classes: &WordClasses) -> Self {
        Self {
            third_party: cue_words(&third_party_cues(classes)),
            own: cue_words(&own_cues(classes)),
            organisation: cue_words(&organisation_cues(classes)),
            writer_pronouns: classes.words(Class::WriterPronouns).to_vec(),
        }
    }

    /// Who the detail at `span` seems to belong to. Exposure of another
    /// person wins only when no organisation or own-detail cue contradicts
    /// it: then the case is not beyond doubt and a person decides.
    pub fn holder_of(&self, text: &str, span: Range<usize>) -> Holder {
        let around = surroundings(text, span);
        let third_party = around.iter().any(|part| self.names_someone_else(part));
        let own = around.iter().any(|part| self.own.is_match(part));
        let organisation = around.iter().any(|part| self.organisation.is_match(part));
        match (third_party, own, organisation) {
            (true, false, false) => Holder::ThirdParty,
            (true, _, _) => Holder::Unclear,
            (false, true, _) => Holder::Own,
            (false, false, true) => Holder::Organisation,
            (false, false, false) => Holder::Unclear,
        }
    }
}

/// Compiles cue shapes; their words are escaped entries of word classes,
/// so the pattern cannot fail to compile, whatever a city's lists hold.
fn cue_words(shapes: &[String]) -> WholeWords {
    let fragments: Vec<&str> = shapes.iter().map(String::as_str).collect();
    WholeWords::constant(&fragments)
}

impl Cues {
    /// A third-party cue whose subject is not the writer: the capitalised
    /// name slot in the cue table also matches a sentence-initial "Jag" or
    /// "Vi".
    fn names_someone_else(&self, part: &str) -> bool {
        self.third_party.find_iter(part).any(|span| {
            let first_word = part[span].split_whitespace().next().unwrap_or_default();
            !self.writer_pronouns.contains(&first_word.to_lowercase())
        })
    }
}

impl Default for Cues {
    fn default() -> Self {
        Self::new()
    }
}

/// The text before and after `span` (not the span itself, whose digits or
/// words must not be mistaken for cues), clipped to the sentence-sized
/// windows and to character boundaries.
fn surroundings(text: &str, span: Range<usize>) -> [&str; 2] {
    let from = floor_char_boundary(text, span.start.saturating_sub(LOOK_BEHIND));
    let to = ceil_char_boundary(text, (span.end + LOOK_AHEAD).min(text.len()));
    [&text[from..span.start], &text[span.end..to]]
}

/// The largest char boundary at or before `index`.
pub fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The smallest char boundary at or after `index`.
pub fn ceil_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(text: &str, detail: &str) -> Holder {
        let start = text.find(detail).unwrap();
        Cues::new().holder_of(text, start..start + detail.len())
    }

    #[test]
    fn holder_is_read_from_the_words_around_the_detail() {
        let cases = [
            (
                "Hon bor på Storgatan 12 i Solna",
                "Storgatan 12",
                Holder::ThirdParty,
            ),
            (
                "ring honom på 070-123 45 67 och säg vad du tycker",
                "070-123 45 67",
                Holder::ThirdParty,
            ),
            (
                "Hans nummer är 070-123 45 67",
                "070-123 45 67",
                Holder::ThirdParty,
            ),
            (
                "Eriks adress: Storgatan 12",
                "Storgatan 12",
                Holder::ThirdParty,
            ),
            ("Ring mig på 070-123 45 67", "070-123 45 67", Holder::Own),
            ("Mitt nummer är 070-123 45 67", "070-123 45 67", Holder::Own),
            (
                "Ring växeln på 08-508 290 00",
                "08-508 290 00",
                Holder::Organisation,
            ),
            (
                "Kontakta kommunen på 08-508 290 00",
                "08-508 290 00",
                Holder::Organisation,
            ),
            (
                "Besöksadress: Storgatan 12",
                "Storgatan 12",
                Holder::Organisation,
            ),
            ("070-123 45 67", "070-123 45 67", Holder::Unclear),
            // contradicting cues: not beyond doubt
            (
                "Hon bor på Storgatan 12, ring mig om du undrar",
                "Storgatan 12",
                Holder::Unclear,
            ),
        ];
        for (text, detail, expected) in cases {
            assert_eq!(holder(text, detail), expected, "{text:?}");
        }
    }

    /// The cue words under `dir`'s `sv/classes/<name>.txt` over the
    /// built-in ones, as `[classify] wordlists_dir` builds them.
    fn holder_with_city_class(name: &str, body: &str, text: &str, detail: &str) -> Holder {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(super::super::words::CLASSES_FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        let list = format!("# source: test\n# licence: CC0-1.0\n{body}");
        std::fs::write(folder.join(format!("{name}.txt")), list).unwrap();
        let classes = WordClasses::with_overlay(dir.path()).unwrap();
        let start = text.find(detail).unwrap();
        Cues::with_classes(&classes).holder_of(text, start..start + detail.len())
    }

    /// Issue 15: the cue words are word classes a city can extend or
    /// replace, like every other list.
    #[test]
    fn a_citys_cue_words_extend_or_replace_the_builtin_ones() {
        let lodger = "och sambon bor på Storgatan 12";
        assert_eq!(holder(lodger, "Storgatan 12"), Holder::Unclear);
        assert_eq!(
            holder_with_city_class("exposed_persons", "sambon\n", lodger, "Storgatan 12"),
            Holder::ThirdParty,
            "the city's person word"
        );
        let switchboard = "Ring växeln på 08-508 290 00";
        assert_eq!(
            holder_with_city_class(
                "organisation_words",
                "# mode: replace\nstadshuset\n",
                switchboard,
                "08-508 290 00"
            ),
            Holder::Unclear,
            "the built-in organisation words are replaced"
        );
    }

    #[test]
    fn char_boundaries_are_respected() {
        let text = "åäö";
        assert_eq!(floor_char_boundary(text, 1), 0);
        assert_eq!(ceil_char_boundary(text, 1), 2);
        assert_eq!(ceil_char_boundary(text, 99), text.len());
    }
}
