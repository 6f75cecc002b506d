//! Sensitive personal data (GDPR art. 9): ethnic origin, political
//! opinions, religious or philosophical beliefs, trade-union membership,
//! health, sex life or sexual orientation, genetic and biometric data.
//!
//! The policy asks for such data to be removed once documented, but a
//! comment is removable personal data only when the sensitive fact is tied
//! to a person a reader can identify. A citizen stating their own opinion,
//! faith or illness in a debate, or a statement about a group ("muslimer",
//! "sossar", "folk med diabetes") is lawful expression and is never acted
//! on. Hence three levels, judged per sentence:
//!
//! | in the sentence | confidence |
//! |---|---|
//! | an identified person (full name, @mention, personnummer, home address, role at a named workplace) tied to the term by a verb ("är", "har", "lider av" …) | Obvious |
//! | the same, but the person is a public figure (a politician's party, a role word such as "riksdagsledamot") or only named, not tied | Probable / Possible |
//! | a third person by pronoun or relation ("hon har cancer", "grannen är muslim") | Possible |
//! | the writer themself, or no person at all | no finding |
//!
//! The term tables are plain lists (`*` at the end = any ending, at the
//! start = any beginning of a compound, a space = any white space) so that
//! the lexicon can take them over from `wordlists/`.

use std::ops::Range;

use regex::Regex;

use super::contact::street_address_pattern;
use super::personnummer::PersonnummerDetector;
use super::persons::{PersonFinder, PersonRefKind};
use super::rule::constant_regex;
use super::{Category, Confidence, Detector, Finding};

/// Legal basis of art. 9 findings.
pub const LEGAL_BASIS_SENSITIVE: &str = "GDPR art. 9.1; lag (1998:112) 5 §; \
     stadens riktlinjer: Personuppgifter och sekretessbelagda uppgifter";

/// The terms of one art. 9 category.
pub struct TermTable {
    /// The category the terms reveal.
    pub category: Category,
    /// The terms, lower case; `*` at the end = any ending, at the start =
    /// any beginning of a compound ("*cancer" finds "bröstcancer").
    pub terms: &'static [&'static str],
}

/// Every art. 9 category with its terms.
pub const TERM_TABLES: &[TermTable] = &[
    TermTable {
        category: Category::EthnicOrigin,
        terms: &[
            "rom",
            "romsk*",
            "zigenare",
            "zigenerska",
            "same",
            "samisk*",
            "kurd",
            "kurdisk",
            "somalier",
            "somalisk",
            "afghan",
            "eritrean",
            "syrier",
            "irakier",
            "iranier",
            "tornedaling",
            "av utländsk härkomst",
            "utländsk bakgrund",
            "utomnordisk bakgrund",
            "adopterad från *",
            "född i somalia",
            "född i irak",
            "född i syrien",
            "etnisk*",
            "turkisk härkomst",
            "arabisk härkomst",
        ],
    },
    TermTable {
        category: Category::PoliticalOpinion,
        terms: &[
            "sverigedemokrat",
            "sd-are",
            "sosse",
            "socialdemokrat",
            "moderat",
            "vänsterpartist",
            "miljöpartist",
            "centerpartist",
            "kristdemokrat",
            "nazist",
            "nynazist",
            "kommunist",
            "anarkist",
            "röstar på *",
            "röstade på *",
            "partimedlem",
            "medlem i partiet",
            "medlem i sd",
            "medlem i nmr",
            "aktiv i nmr",
            "aktiv i afa",
            "med i nmr",
            "med i afa",
            "nordiska motståndsrörelsen",
            "medlem i sverigedemokraterna",
            "medlem i socialdemokraterna",
            "medlem i moderaterna",
            "medlem i vänsterpartiet",
        ],
    },
    TermTable {
        category: Category::Religion,
        terms: &[
            "*muslim",
            "livets ord",
            "muslimsk",
            "katolik",
            "katolsk",
            "jude",
            "judisk",
            "kristen",
            "ateist",
            "buddhist",
            "hindu",
            "sikh",
            "jehovas vittne",
            "jehovas vittnen",
            "mormon",
            "scientolog*",
            "frikyrklig",
            "pingstvän",
            "konvertit",
            "konverterat*",
            "konverterade",
            "går i moskén",
            "går i kyrkan",
            "går i synagogan",
            "bär slöja",
            "troende",
            "religiös",
        ],
    },
    TermTable {
        category: Category::TradeUnion,
        terms: &[
            "med i facket",
            "medlem i facket",
            "fackmedlem",
            "fackligt aktiv",
            "fackligt ombud",
            "facklig förtroendevald",
            "fackets ombud",
            "skyddsombud",
            "med i kommunal",
            "medlem i kommunal",
            "med i vision",
            "medlem i vision",
            "med i unionen",
            "medlem i unionen",
            "med i if metall",
            "medlem i if metall",
            "med i seko",
            "med i vårdförbundet",
            "medlem i vårdförbundet",
            "med i lärarförbundet",
            "med i sveriges lärare",
            "medlem i sveriges lärare",
            "med i byggnads",
            "med i handels",
            "organiserad i *",
        ],
    },
    TermTable {
        category: Category::Health,
        terms: &[
            "hiv",
            "hiv-*",
            "multipel skleros",
            "aids",
            "*cancer",
            "schizofren*",
            "psykos",
            "psykotisk",
            "bipolär",
            "manodepressiv",
            "depression",
            "deprimerad",
            "adhd",
            "autism",
            "autistisk",
            "asperger",
            "diabetes",
            "diabetiker",
            "epilepsi",
            "epileptiker",
            "alkoholist",
            "missbrukare",
            "narkoman",
            "dement",
            "demens",
            "alzheimer",
            "parkinson",
            "hepatit",
            "könssjukdom",
            "klamydia",
            "herpes",
            "gravid",
            "abort",
            "missfall",
            "utbränd",
            "utmattningssyndrom",
            "sjukskriven",
            "psykiskt sjuk",
            "psykisk ohälsa",
            "ätstörning",
            "anorexi",
            "bulimi",
            "självskadebeteende",
            "självmordsförsök",
            "tvångsvårdad",
            "inlagd på psyk",
            "funktionsnedsättning",
            "cp-skadad",
            "covid",
            "tuberkulos",
            "ms-sjuk",
        ],
    },
    TermTable {
        category: Category::SexLife,
        terms: &[
            "homosexuell",
            "gay",
            "bög",
            "flata",
            "lesbisk",
            "bisexuell",
            "transperson",
            "transsexuell",
            "queer",
            "otrogen",
            "prostituerad",
            "säljer sex",
            "köper sex",
            "sexköpare",
            "swingers",
            "har bytt kön",
            "kom ut som *",
        ],
    },
    TermTable {
        category: Category::GeneticBiometric,
        terms: &[
            "dna",
            "dna-test",
            "dna-prov",
            "gentest",
            "genetisk*",
            "fingeravtryck",
            "ansiktsigenkänning",
            "irisskanning",
            "biometrisk*",
            "ärftlig sjukdom",
            "anlagsbärare",
            "bär på genen",
            "brca-genen",
            "brca",
        ],
    },
];

/// Verbs and phrases that tie a term to the person next to it.
pub const LINK_WORDS: &[&str] = &[
    "är",
    "har",
    "hade",
    "var",
    "lider",
    "led",
    "fått",
    "fick",
    "röstar",
    "röstade",
    "tillhör",
    "går",
    "gick",
    "blivit",
    "blev",
    "medlem",
    "diagnos",
    "diagnostiserad",
    "sympatiserar",
    "bekänner",
    "konverterat",
    "konverterade",
    "ligger",
    "med",
    "lever",
    "behandlas",
    "äter",
    "tar",
    "tog",
    "testade",
    "testats",
    "bär",
    "e",
    "lämnade",
    "lämnat",
    "gjort",
    "gjorde",
    "född",
    "kommer",
];

/// Words for a third person who is not identified ("hon", "grannen").
pub const THIRD_PERSON_WORDS: &[&str] = &[
    "hon",
    "han",
    "hen",
    "grannen",
    "chefen",
    "kollegan",
    "läraren",
    "rektorn",
    "fröken",
    "handläggaren",
    "hans fru",
    "hennes man",
    "hennes sambo",
    "hans sambo",
    "svärmor",
    "exet",
    "min granne",
    "min chef",
    "min kollega",
];

/// Words for the writer; a sensitive term about the writer is their own
/// expression.
pub const FIRST_PERSON_WORDS: &[&str] = &[
    "jag", "vi", "mig", "oss", "min", "mitt", "mina", "vår", "vårt", "våra",
];

/// Words with which writers name themselves ("Jag heter Anna Svensson och
/// har diabetes"): a name after them is the writer's own, and what the
/// writer says about themself is their own expression.
pub const SELF_INTRODUCTIONS: &[&str] = &[
    r"jag\s+heter",
    r"mitt\s+namn\s+är",
    r"jag\s+är",
    r"jag,",
    r"mvh,?",
    r"(?:vänliga\s+)?hälsningar,?",
    r"undertecknad,?",
];

/// Roles of public figures, whose politics and public positions are
/// matters of public debate, not private data.
pub const PUBLIC_ROLES: &[&str] = &[
    "politiker*",
    "riksdagsledamot*",
    "kommunalråd*",
    "borgarråd*",
    "minister*",
    "statsminister*",
    "partiledare*",
    "partiordförande*",
    "språkrör*",
    "ordförande*",
    "talesperson*",
    "debattör*",
    "kandidat*",
    "ledamot*",
    "partisekreterare*",
    "president*",
    "författare*",
    "artist*",
    "skådespelare*",
    "programledare*",
    "imam*",
    "biskop*",
    "präst*",
    "rabbin*",
    "ärkebiskop*",
];

/// How far apart (bytes) an identified person and a term may be to be tied.
const LINK_DISTANCE: usize = 70;

const fn rule_id(category: Category, confidence: Confidence) -> &'static str {
    match (category, confidence) {
        (Category::EthnicOrigin, Confidence::Obvious) => "pd.art9.ethnic_origin.identified",
        (Category::EthnicOrigin, Confidence::Probable) => "pd.art9.ethnic_origin.public_figure",
        (Category::EthnicOrigin, _) => "pd.art9.ethnic_origin.unclear_link",
        (Category::PoliticalOpinion, Confidence::Obvious) => "pd.art9.political_opinion.identified",
        (Category::PoliticalOpinion, Confidence::Probable) => {
            "pd.art9.political_opinion.public_figure"
        }
        (Category::PoliticalOpinion, _) => "pd.art9.political_opinion.unclear_link",
        (Category::Religion, Confidence::Obvious) => "pd.art9.religion.identified",
        (Category::Religion, Confidence::Probable) => "pd.art9.religion.public_figure",
        (Category::Religion, _) => "pd.art9.religion.unclear_link",
        (Category::TradeUnion, Confidence::Obvious) => "pd.art9.trade_union.identified",
        (Category::TradeUnion, Confidence::Probable) => "pd.art9.trade_union.public_figure",
        (Category::TradeUnion, _) => "pd.art9.trade_union.unclear_link",
        (Category::Health, Confidence::Obvious) => "pd.art9.health.identified",
        (Category::Health, Confidence::Probable) => "pd.art9.health.public_figure",
        (Category::Health, _) => "pd.art9.health.unclear_link",
        (Category::SexLife, Confidence::Obvious) => "pd.art9.sex_life.identified",
        (Category::SexLife, Confidence::Probable) => "pd.art9.sex_life.public_figure",
        (Category::SexLife, _) => "pd.art9.sex_life.unclear_link",
        (_, Confidence::Obvious) => "pd.art9.genetic_biometric.identified",
        (_, Confidence::Probable) => "pd.art9.genetic_biometric.public_figure",
        (_, _) => "pd.art9.genetic_biometric.unclear_link",
    }
}

const fn category_words(category: Category) -> &'static str {
    match category {
        Category::EthnicOrigin => "etniskt ursprung",
        Category::PoliticalOpinion => "politisk åsikt eller partitillhörighet",
        Category::Religion => "religion eller övertygelse",
        Category::TradeUnion => "medlemskap i fackförening",
        Category::Health => "hälsa",
        Category::SexLife => "sexualliv eller sexuell läggning",
        _ => "genetiska eller biometriska uppgifter",
    }
}

fn reason(category: Category, confidence: Confidence) -> String {
    let what = category_words(category);
    match confidence {
        Confidence::Obvious => format!(
            "En känslig personuppgift ({what}) knyts till en person som går att identifiera \
             (namn, @-omnämnande, personnummer, adress eller roll på en namngiven arbetsplats)."
        ),
        Confidence::Probable => format!(
            "En uppgift om {what} knyts till en namngiven person som verkar vara en offentlig \
             person eller vars koppling är oklar; bedöm om uppgiften är offentlig."
        ),
        Confidence::Possible => format!(
            "En uppgift om {what} nämns nära en person, men det är oklart om personen kan \
             identifieras; kontrollera."
        ),
    }
}

/// One compiled category table.
struct CompiledTable {
    category: Category,
    terms: Regex,
}

/// Finds art. 9 data tied to identifiable people.
pub struct SensitiveDetector {
    tables: Vec<CompiledTable>,
    sentences: Regex,
    link: Regex,
    third_person: Regex,
    first_person: Regex,
    public_role: Regex,
    self_introduction: Regex,
    persons: PersonFinder,
    personnummer: PersonnummerDetector,
    streets: Regex,
}

impl SensitiveDetector {
    /// Compiles the term tables.
    pub fn new() -> Self {
        Self {
            tables: TERM_TABLES
                .iter()
                .map(|t| CompiledTable {
                    category: t.category,
                    terms: term_regex(t.terms),
                })
                .collect(),
            // A full stop inside a token (`@lisa.berg`, `Dnr 1.6`) does not
            // end the sentence.
            sentences: constant_regex(r"(?:[^.!?\n]|[.!?]\S)+"),
            link: term_regex(LINK_WORDS),
            third_person: term_regex(THIRD_PERSON_WORDS),
            first_person: term_regex(FIRST_PERSON_WORDS),
            public_role: term_regex(PUBLIC_ROLES),
            self_introduction: constant_regex(&format!(
                r"(?i)(?:{})\s*$",
                SELF_INTRODUCTIONS.join("|")
            )),
            persons: PersonFinder::new(),
            personnummer: PersonnummerDetector::new(),
            streets: constant_regex(&street_address_pattern()),
        }
    }

    /// Spans that identify a person: names, mentions, roles at workplaces,
    /// personnummer and street addresses (with or without postcode: next to
    /// a sensitive fact, "på Storgatan 3" points out who is meant).
    fn identifiers(&self, text: &str) -> Vec<(Range<usize>, Option<PersonRefKind>)> {
        let mut found: Vec<(Range<usize>, Option<PersonRefKind>)> = self
            .persons
            .find(text)
            .into_iter()
            .filter(|r| !self.self_introduction.is_match(&text[..r.span.start]))
            .map(|r| (r.span, Some(r.kind)))
            .collect();
        let mut numbers = Vec::new();
        self.personnummer.detect(text, &mut numbers);
        found.extend(numbers.into_iter().map(|f| (f.start..f.end, None)));
        found.extend(self.streets.find_iter(text).map(|m| (m.range(), None)));
        found
    }

    /// The confidence for one term in one sentence, or `None`.
    fn judge(
        &self,
        category: Category,
        sentence: &str,
        term: Range<usize>,
        identifiers: &[(Range<usize>, Option<PersonRefKind>)],
    ) -> Option<(Confidence, Range<usize>)> {
        let strongest_tie = identifiers
            .iter()
            .filter(|(span, _)| !overlaps(span, &term) && self.tied(sentence, span, &term))
            .map(|(span, kind)| {
                let named_only = *kind == Some(PersonRefKind::FullName);
                let public = named_only
                    && (category == Category::PoliticalOpinion
                        || self.public_role.is_match(sentence));
                let confidence = if public {
                    Confidence::Probable
                } else {
                    Confidence::Obvious
                };
                (
                    confidence,
                    span.start.min(term.start)..span.end.max(term.end),
                )
            })
            .max_by_key(|(confidence, _)| *confidence);
        if strongest_tie.is_some() {
            return strongest_tie;
        }
        let before = &sentence[..term.start];
        let about_writer =
            self.first_person.is_match(before) && !self.third_person.is_match(before);
        if about_writer {
            return None;
        }
        let someone = !identifiers.is_empty() || self.third_person.is_match(before);
        (someone && self.link.is_match(sentence)).then_some((Confidence::Possible, term))
    }

    /// A person and a term are tied when the term follows the person
    /// closely with a linking verb between them ("Anna Svensson har HIV"),
    /// or stands right before the name as an apposition ("muslimen Anna
    /// Svensson"). A term earlier in the sentence with words between
    /// ("en iranier som bytt namn till Jonas Dahlgren") is not tied.
    fn tied(&self, sentence: &str, person: &Range<usize>, term: &Range<usize>) -> bool {
        if term.end <= person.start {
            return sentence[term.end..person.start].trim().is_empty();
        }
        if person.end > term.start || term.start - person.end > LINK_DISTANCE {
            return false;
        }
        let gap = &sentence[person.end..term.start];
        gap.trim().is_empty() || self.link.is_match(gap)
    }
}

impl Default for SensitiveDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector for SensitiveDetector {
    fn detect(&self, text: &str, out: &mut Vec<Finding>) {
        for sentence in self.sentences.find_iter(text) {
            let offset = sentence.start();
            let identifiers = self.identifiers(sentence.as_str());
            for table in &self.tables {
                let best = table
                    .terms
                    .find_iter(sentence.as_str())
                    .filter_map(|m| {
                        self.judge(table.category, sentence.as_str(), m.range(), &identifiers)
                    })
                    .max_by_key(|(confidence, _)| *confidence);
                if let Some((confidence, span)) = best {
                    out.push(Finding {
                        category: table.category,
                        confidence,
                        start: offset + span.start,
                        end: offset + span.end,
                        rule: rule_id(table.category, confidence).to_owned(),
                        legal_basis: LEGAL_BASIS_SENSITIVE.to_owned(),
                        reason: reason(table.category, confidence),
                    });
                }
            }
        }
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// A case-insensitive whole-word regex of a term list: `*` at the end of a
/// term is any ending (letters, digits, `-`), at the start any beginning of
/// a compound, and a space is any white space.
fn term_regex(terms: &[&str]) -> Regex {
    // Longest first, so that "hiv-*" wins over "hiv" in "HIV-smittade":
    // alternation takes the first alternative that matches.
    let mut terms = terms.to_vec();
    terms.sort_by_key(|term| std::cmp::Reverse(term.len()));
    let alternatives = terms
        .iter()
        .map(|term| {
            let (term, open_start) = match term.strip_prefix('*') {
                Some(rest) => (rest, true),
                None => (*term, false),
            };
            let (stem, open_ended) = match term.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (term, false),
            };
            let words = stem
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            let words = if stem.ends_with(' ') {
                format!(r"{words}\s+")
            } else {
                words
            };
            let prefix = if open_start { r"[\w\-]*" } else { "" };
            let suffix = if open_ended { r"[\w\-]*" } else { "" };
            format!("{prefix}{words}{suffix}")
        })
        .collect::<Vec<_>>()
        .join("|");
    constant_regex(&format!(r"(?i)\b(?:{alternatives})\b"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Finding> {
        static DETECTOR: std::sync::OnceLock<SensitiveDetector> = std::sync::OnceLock::new();
        let mut out = Vec::new();
        DETECTOR
            .get_or_init(SensitiveDetector::new)
            .detect(text, &mut out);
        out
    }

    #[test]
    fn identified_person_with_sensitive_fact_is_obvious() {
        use Category::*;
        let cases: &[(&str, Category)] = &[
            ("Anna Svensson på Storgatan 3 har HIV", Health),
            ("@kalle_k är med i Kommunal och har schizofreni", TradeUnion),
            ("@kalle_k är med i Kommunal och har schizofreni", Health),
            ("Läraren på Vasaskolan är muslim", Religion),
            ("Erik Johansson är homosexuell", SexLife),
            ("Sara Lindqvist har gjort abort", Health),
            ("hemtjänstpersonalen Anna på Östermalm är rom", EthnicOrigin),
            ("Peter Nilsson lämnade DNA-prov", GeneticBiometric),
            // compounds: open start and the longest term first
            ("HIV-smittade Peter Ström jobbar på förskolan", Health),
            ("Lena Holm på Fältöversten har bröstcancer", Health),
            ("@jonte.s är sunnimuslim", Religion),
            (
                "Kalle Andersson på Ringvägen 12B lgh 1102 är nazist",
                PoliticalOpinion,
            ),
        ];
        for &(text, category) in cases {
            let found = run(text);
            assert!(
                found
                    .iter()
                    .any(|f| f.category == category && f.confidence == Confidence::Obvious),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn own_statements_groups_and_public_figures_are_not_obvious() {
        for text in [
            "Jag är muslim och tycker att moskén behövs",
            "Jag har diabetes och behöver parkering nära",
            "Muslimer är en del av Stockholm",
            "Vi som är med i facket vill ha bättre villkor",
            "Sverigedemokraterna vill minska invandringen",
            "Alla med cancer ska få vård",
            "Jag röstar på Miljöpartiet i höst",
            "Ulf Kristersson är moderat",
            "Riksdagsledamoten Anna Svensson är muslim",
        ] {
            let found = run(text);
            assert!(
                found.iter().all(|f| f.confidence < Confidence::Obvious),
                "{text:?}: {found:?}"
            );
        }
        for text in [
            "Jag är muslim och tycker att moskén behövs",
            "Muslimer är en del av Stockholm",
            "Alla med cancer ska få vård",
            "Jag röstar på Miljöpartiet i höst",
        ] {
            assert!(run(text).is_empty(), "{text:?}: {:?}", run(text));
        }
    }

    #[test]
    fn writer_naming_themself_is_not_a_third_person() {
        for text in [
            "Jag heter Anna Svensson och har diabetes, var finns apoteket?",
            "Mitt namn är Erik Johansson och jag är sjukskriven",
            "Jag heter Johan Nyström och är gay",
        ] {
            let found = run(text);
            assert!(
                found.iter().all(|f| f.confidence < Confidence::Obvious),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn unidentified_third_person_is_possible() {
        let found = run("Grannen har cancer men ingen bryr sig");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].confidence, Confidence::Possible);
        assert_eq!(found[0].category, Category::Health);
    }

    #[test]
    fn span_covers_person_and_term_after_multibyte_letters() {
        let text = "Åh 😀. Åsa Öberg är deprimerad.";
        let found = run(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            &text[found[0].start..found[0].end],
            "Åsa Öberg är deprimerad"
        );
    }

    #[test]
    fn term_tables_compile_and_have_no_duplicates() {
        for table in TERM_TABLES {
            let mut seen = std::collections::HashSet::new();
            for term in table.terms {
                assert!(seen.insert(*term), "{term} twice in {}", table.category);
                assert_eq!(term.to_lowercase(), *term, "{term} must be lower case");
            }
        }
    }
}
