//! Word classes: the words the rules of the detectors are built from, kept
//! out of the code so that a city can read and change them.
//!
//! A rule is a shape (the grammar: which classes stand where, within how
//! many words, in which sentence) over word classes (`negation`,
//! `second_person_object`, `authority_targets`, …). The shapes live in the
//! detectors; the words of every class live in `wordlists/sv/classes/`, one
//! file a class, compiled into the binary so the service needs no files.
//!
//! # Line format
//!
//! Every file starts with the provenance header of all word lists
//! (`# source:` and `# licence:`, see [`super::lexicon`]). Other lines
//! starting with `#` and blank lines are comments. Every other line is one
//! entry, optionally followed by a TAB and a comment:
//!
//! - a word (or, for some classes, a phrase) in ordinary spelling;
//! - `@name`: every entry of the class `name` (a class shared by several
//!   rules is written once and included where it is needed).
//!
//! A class without entries, an entry without a letter or digit, an unknown
//! included class and an include cycle are refused; each error names the
//! file and the line.
//!
//! # Spelling
//!
//! Most classes are compared with the words of a comment's matching key
//! ([`Spelling::Key`]): their entries are normalised like the comments
//! ([`super::normalize::key`]), so `googlat` is also `goglat`, and every
//! word of a comment is tagged with all its classes once
//! ([`WordClasses::tags`]). The classes of the personal-data detectors are
//! parts of patterns matched in the text as written ([`Spelling::Written`]),
//! upper and lower case alike. Phrase classes ([`Spelling::Phrase`]) hold
//! phrases of one or more words (`hem till dig`), normalised like comments
//! and compared token by token.
//!
//! # A city's own classes
//!
//! With `[classify] wordlists_dir`, a file `<dir>/sv/classes/<name>.txt`
//! adds its entries to the built-in class of that name, or replaces the
//! class when its header has the line `# mode: replace`. A class the
//! folder lacks stays the built-in one, so no rule is ever switched off by
//! a missing list; a file that names no class is refused (a misspelt name
//! would otherwise be ignored in silence).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use rustc_hash::FxBuildHasher;

use super::lexicon::{
    ListFormatError, entry_lines, list_files, replaces_builtin, require_provenance,
};
use super::normalize::key;

/// The folder of the word classes under a word-list folder.
pub const CLASSES_FOLDER: &str = "sv/classes";

/// How the entries of a class are compared with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// With the words of the matching key; entries are normalised like
    /// comments.
    Key,
    /// In the text as written, upper and lower case alike (parts of the
    /// patterns of the personal-data detectors); entries are kept as
    /// written, in lower case.
    Written,
    /// Phrases of one or more words, compared token by token with the
    /// words of the matching key (`hem till dig`); entries are normalised
    /// like comments.
    Phrase,
}

macro_rules! word_classes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $spelling:ident;)*) => {
        /// A named word class: its words are in
        /// `wordlists/sv/classes/<name>.txt` (see the module documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Class {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Class {
            /// Every class, in the order of their numbers.
            pub const ALL: &'static [Class] = &[$(Class::$variant,)*];

            /// The class's name, which is its file's name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Class::$variant => $name,)*
                }
            }

            /// How the class's entries are compared with a comment.
            pub fn spelling(self) -> Spelling {
                match self {
                    $(Class::$variant => Spelling::$spelling,)*
                }
            }

            /// The repository's file of the class, compiled into the binary.
            fn embedded(self) -> &'static str {
                match self {
                    $(Class::$variant => include_str!(concat!(
                        "../../wordlists/sv/classes/", $name, ".txt"
                    )),)*
                }
            }
        }
    };
}

word_classes! {
    /// Endings of abstract nouns (`mobbningen`, `hemlösheten`, `bostadsbristen`): an act of
    /// force aimed at one is figurative.
    AbstractEndings = "abstract_endings", Key;
    /// The addressee or their family in a veiled shape: `om din dotter …`.
    Addressee = "addressee", Key;
    /// Being let in, denied with `få`: `X ska inte få komma in`.
    Admitted = "admitted", Key;
    /// Words of advice that make a verb of violence aimed at a group a call: `det är bäst att`.
    AdviceMarkers = "advice_markers", Key;
    /// Animals, which hunting and culling aim at (`Älgen ska skjutas`): no
    /// person, whatever the verb.
    Animals = "animals", Key;
    /// Words that praise or enjoy what the sentence tells (`en hjälte`, `det vackraste jag sett`).
    Approval = "approval", Key;
    /// Arriving or reaching: what the emergency service is kept from.
    Arrive = "arrive", Key;
    /// Places people gather that a weapon may be brought to (`till skolan`,
    /// `till stadsdelsmötet`): the tail of a word counts.
    ArmedDestinations = "armed_destinations", Key;
    /// Means of arson: fire and what starts it (`sätt eld på`, `ta med bensin`).
    ArsonMeans = "arson_means", Key;
    /// Verbs of burning, arson only with a particle after them (`bränn ner`, `tänd på`).
    ArsonVerbs = "arson_verbs", Key;
    /// The first words of terror calls that are attacks, not joining.
    AttackVerbs = "attack_verbs", Key;
    /// Authorities, institutions and public buildings, also as the last part of a compound
    /// (`trafikpolisen`): the targets of a call to crime against order.
    AuthorityTargets = "authority_targets", Key;
    /// Whom a harm is in store for: `vad som väntar honom`.
    Awaited = "awaited", Key;
    /// Barriers and bans (stems): `avspärrningarna`, `förbudet`, `bommen`.
    Barriers = "barriers", Key;
    /// Verbs that bar a way out: `lås dörrarna`.
    Barring = "barring", Key;
    /// Verbs of something befalling a person: `snart händer det dig något`.
    Befall = "befall", Key;
    /// Words of a place better off without a group: `bättre utan X`.
    Better = "better", Key;
    /// Where a blow lands, besides the body: `slå honom på käften`.
    BlowTargets = "blow_targets", Key;
    /// Body parts in an active threat (`din skalle`, `nacken på dig`).
    Body = "body", Key;
    /// Verbs of bringing something along (`tar med mig`, `kommer med`): with a weapon and a
    /// place, an armed plan.
    BringVerbs = "bring_verbs", Key;
    /// Licensed broadcasters and services: lawful where they are the source (`på SVT Play`,
    /// `via Spotify`), not where a copy is taken from them (`från Viaplay-strömmen`, `alla
    /// Viaplay-matcher`, `innan SVT hinner ta ner den`).
    Broadcasters = "broadcasters", Key;
    /// Buildings people are in, also the tail of a compound (`flyktingboendet`).
    Buildings = "buildings", Key;
    /// Words around a verb that make it a call to act (`måste`, `dags`, `låt oss`, `nu`,
    /// `alla`).
    CallMarkers = "call_markers", Key;
    /// Words of urgency after a noun of violence that opens a sentence, making it a call:
    /// `Utrotning av alla X, nu`.
    CallTimes = "call_times", Key;
    /// The modals of a call or a promise that make a weapon emoji a threat: `Muslimer borde 🔫`.
    CallModals = "call_modals", Key;
    /// Words that make a predicate someone else's claim: `har hävdat att`.
    Claimed = "claimed", Key;
    /// Coming to the addressee (`hem till dig`, `efter dig`): with a weapon, an armed visit.
    ComingForYou = "coming_for_you", Phrase;
    /// Verbs of reaching another person (`mejla honom`): a detail about them is exposed.
    ContactVerbs = "contact_verbs", Written;
    /// People named by what they do, not by who they are: after a group's adjective they, not
    /// the group, are named (`somaliska pirater`).
    ConductRoles = "conduct_roles", Key;
    /// Words of contempt that make a neutral group name a slur when they stand right before it
    /// (`äckliga muslimer`, `jävla invandrare`).
    ContemptBefore = "contempt_before", Key;
    /// Verbs of secret control: `judarna styr media`.
    Controls = "controls", Key;
    /// Linking verbs between a group and what it is said to be (`X är ohyra`), with common
    /// spellings (`e`, `ä`).
    Copula = "copula", Key;
    /// File formats, leaks and rips: a copy, not a showing. Words are written as the normaliser
    /// leaves them: doubled vowels collapse (`screner`, `fre`).
    CopySigns = "copy_signs", Key;
    /// Words that stand for people counted (`alla`, `samtliga`): a target of a verb of violence
    /// as evidence for the confirming model (`jag kommer skjuta alla`).
    CountedPeople = "counted_people", Key;
    /// Words that name what is said as wrong: counter-speech and mentions.
    Counter = "counter", Key;
    /// Words that say what the word before them means (`cp, alltså cool pics`, `dvs`, `står
    /// för`).
    CsamGloss = "csam_gloss", Key;
    /// Words of trading: payment, exchange, private channels.
    CsamTrade = "csam_trade", Key;
    /// Things of a people's culture its adjective names without naming people: `somaliska
    /// flaggor`, `turkiska mattor`.
    CultureThings = "culture_things", Key;
    /// Cures a group is said to need: `X borde botas`.
    Cures = "cures", Key;
    /// What is wished to take a person: `hoppas cancern tar dig`.
    DeathAgents = "death_agents", Key;
    /// Coffins, body bags and mass graves (`i likpåsar`, `i en massgrav`): death said through
    /// what holds the body.
    DeathContainers = "death_containers", Key;
    /// Death said of someone (`du e död`, `ni dör snart`): evidence a sure confirming model
    /// may act on (`illegal/evidence.rs`), never a finding alone.
    DeathWords = "death_words", Key;
    /// Imperatives of dying urged on the addressee (`dö`, `drunkna`): `Dö, din jävla hora`.
    DeathUrged = "death_urged", Key;
    /// Verbs of dying or bleeding with no object (`ska dö`, `hon ska blöda`): harm promised
    /// with a modal, the writer's own with `jag`.
    Dying = "dying", Key;
    /// Verbs of defiance before a barrier or a ban: `strunta i avspärrningarna`.
    Defy = "defy", Key;
    /// Stems that deny people their humanity, also inside a compound (`smittbärare`,
    /// `parasitfolk`).
    DehumanisingStems = "dehumanising_stems", Key;
    /// Words that deny what follows them in a denial of humanity: `X är inte människor`.
    Denials = "denials", Key;
    /// Means of self-harm with no harmless reading (`en överdos`, `rälsen`): urged on one
    /// person, obvious.
    DeadlyMeans = "deadly_means", Key;
    /// Vehicles one may be urged to step in front of (`tåget`, `lastbilen`): deadly only after
    /// `vehicle_fronts`, never alone (`ta tåget`).
    FrontVehicles = "front_vehicles", Key;
    /// Fear or worry before `att` (`rädd att`, `oroar mig för att`): the harm that follows is
    /// feared for a person, not wished.
    Fears = "fears", Key;
    /// A favour asked for others (`gör oss alla en tjänst`): with an urging of self-harm, the
    /// writer wants the addressee dead.
    Favours = "favours", Phrase;
    /// Violence received that is as often a lost match (`stryk`, `spö`): said to a plural `ni`
    /// (a team), no evidence of a threat.
    DefeatNouns = "defeat_nouns", Key;
    /// Modals before a passive verb of violence about a person: `borde hängas`, `förtjänar att
    /// skjutas`.
    DeserveModals = "deserve_modals", Key;
    /// Whose detail it is, when it is someone else's: `hans nummer`, `grannens adress`.
    DetailOwners = "detail_owners", Written;
    /// Words for a contact detail of someone else: `hans mobil`, `Eriks kontonummer`.
    DetailWords = "detail_words", Written;
    /// A contact detail in the definite form: `numret till honom`.
    DetailsDefinite = "details_definite", Written;
    /// Words that stand before the object of a verb without being it.
    Determiners = "determiners", Key;
    /// Words of a diagnosis: `cp` as cerebral palsy.
    Diagnosis = "diagnosis", Key;
    /// Verbs that disable a function rather than harm people.
    Disabling = "disabling", Key;
    /// Words that send readers to a site named without a link (`sök på`, `kolla`, `funkar`,
    /// `finns`, `gratis`).
    DomainPointing = "domain_pointing", Key;
    /// Words of driving into something: `kör in i`, `meja`.
    Driving = "driving", Key;
    /// Buildings people live and sleep in, also as a compound's tail
    /// (`flyktingboendet`, `HVB-hemmet`): burning one burns its people.
    Dwellings = "dwellings", Key;
    /// Dues a call refuses (stems): `skatt`, `böter`, `avgiften`.
    Dues = "dues", Key;
    /// Emergency services kept from arriving: `så brandkåren inte kommer fram`.
    Emergency = "emergency", Key;
    /// Nouns that name killing done to people, which a call names instead of a verb: `Dags för
    /// hängning av hela nämnden`.
    ExecutionNouns = "execution_nouns", Key;
    /// Ways out of a building: `lås dörrarna`.
    Exits = "exits", Key;
    /// Verbs of blowing up, with the building as their object: `spränga skolan`, `bomba ditt
    /// kontor`.
    ExplosiveVerbs = "explosive_verbs", Key;
    /// People whose whereabouts are told: `grannen bor på …`.
    ExposedPersons = "exposed_persons", Written;
    /// Words that expose a private fact to readers (`visste ni att`, `akta er för`, `listan`).
    Exposing = "exposing", Key;
    /// Places of mass killing a call sends people to: `alla judar ska i ugnen`.
    ExterminationPlaces = "extermination_places", Key;
    /// Where a person thrown falls to harm: `ska kastas ut genom fönstret`.
    Falls = "falls", Phrase;
    /// Fiction and film talk: a guard for gore words (`snuffilmer` in a thriller).
    Fiction = "fiction", Key;
    /// Words that may stand between a verb and its object: `döda fan dig`.
    Fillers = "fillers", Key;
    /// The writer as subject (`jag`, `vi`, and the way they are often typed: `ja`, `jg`).
    FirstPerson = "first_person", Key;
    /// Words for the writer; a sensitive term about the writer is their own expression.
    FirstPersonWords = "first_person_words", Written;
    /// Verbs of force on a body part: `krossa din skalle`, `knäcka nacken på dig`.
    Force = "force", Key;
    /// Verbs of force with a person as object: `jag ska krossa dig`, `mosa dig`, `kasta dig
    /// från en bro`.
    ForceOnPerson = "force_on_person", Key;
    /// Words between a verb of force and its object: `klå upp dig`, `spöa skiten ur dig`, `ha
    /// sönder dig`.
    ForceParticles = "force_particles", Key;
    /// Free of charge.
    Free = "free", Key;
    /// Modals of what is to come: `du ska dö`, `då kommer du att dö`.
    FutureModals = "future_modals", Key;
    /// Guards that only apply to threats: games, sport, elections.
    Games = "games", Key;
    /// Where people gather, or people as such: an attack there is an attack on people. Also the
    /// tail of a compound (`prideparaden`, `ungdomslägret`).
    Gatherings = "gatherings", Key;
    /// What makes something befalling the addressee good news: `något fint`.
    GoodNews = "good_news", Key;
    /// Words that offer, point at or spread a recording.
    GorePointing = "gore_pointing", Key;
    /// Modal verbs between a group and a violent verb (`X ska`, `X borde`, `X förtjänar att
    /// …`).
    GroupModals = "group_modals", Key;
    /// Words for many people that, before `med`, make a sensitive term a group's, not the named
    /// person's: `Karin Ström har svikit alla med funktionsnedsättning`.
    GroupHolders = "group_holders", Written;
    /// The first part of a compound that names a protected group (`somalia`, `invandrar`, `bög`):
    /// with an insult as its last part the compound is a dehumanising slur.
    GroupStems = "group_stems", Key;
    /// Crimes said to be a group's habit: `romer ljuger och stjäl`.
    HabitualCrimes = "habitual_crimes", Key;
    /// Something that happens to someone: `om något hände`, `råkade ut för`.
    Happening = "happening", Key;
    /// Where harm wished on a person lands them: `hoppas du hamnar på sjukhus`.
    HarmPlaces = "harm_places", Key;
    /// Words that gloss a word of the sentence before: `med det menar jag X`.
    HetsGloss = "hets_gloss", Key;
    /// Trade in people: `importera somalier`.
    HetsTrade = "hets_trade", Key;
    /// Everyday verbs that hide harm: `ta hand om dig`, `fixa er`.
    HiddenHarm = "hidden_harm", Phrase;
    /// Someone's home and whereabouts: `förbi din adress`, `ditt hus`.
    Home = "home", Key;
    /// A homeland a group is told to go back to (`till era öknar`).
    Homelands = "homelands", Key;
    /// Where a person lives, as changed on advice: `byt stad`.
    Homes = "homes", Key;
    /// Houses of worship a slogan shuts out (`ingen moské i vår kommun`).
    HousesOfWorship = "houses_of_worship", Key;
    /// Words between a denial and the word for human: `inte ens riktiga människor`.
    HumanQualifiers = "human_qualifiers", Key;
    /// Verbs of hunting people, a call with a group after them.
    Hunt = "hunt", Key;
    /// Verbs that make `ihjäl` a figure of speech (`kramar jag ihjäl dig`, `tråka ihjäl`),
    /// not a killing, when the subject splits verb and particle.
    IhjalIdioms = "ihjal_idioms", Key;
    /// Harmless means after `med` that keep a verb of violence figurative (`döda dig med
    /// vänlighet`); any other definite noun there is the means (`med trädgårdsslangen`).
    IdiomMeans = "idiom_means", Key;
    /// Objects that make a verb of force figurative: `attackera problemet`, `sätta eld på
    /// dansgolvet`, `bomba inkorgen`, `spräng budgeten`.
    IdiomObjects = "idiom_objects", Key;
    /// The conditions of advice given as a threat: `om jag var du`, `i ditt ställe`.
    IfIWereYou = "if_i_were_you", Phrase;
    /// Words that say the images are illegal or of naked children.
    IllegalMarks = "illegal_marks", Key;
    /// Illnesses wished on a person: `hoppas du får cancer`.
    Illnesses = "illnesses", Key;
    /// Words of information, prevention, law and moderation: the sentence talks about a kind of
    /// material instead of spreading it. A guard for the categories that name material (abuse
    /// material, gore, intimate images, copies), not for threats and calls.
    Info = "info", Key;
    /// Participles of injury after a body part (`bruten`, `krossad`).
    Injured = "injured", Key;
    /// Words before the people inside a building: `med alla judar i`.
    Inside = "inside", Key;
    /// Insults and vermin as the last part of a compound with a group (`aporna`, `svinen`).
    InsultHeads = "insult_heads", Key;
    /// Modals of a collective call after their subject: `borde vi`, `ska ni`.
    InvertedCall = "inverted_call", Key;
    /// Particles that make a past-tense verb one of killing or maiming (`slog ihjäl`, `körde över`).
    KillingParticles = "killing_particles", Key;
    /// Verbs of killing or maiming in the past tense: with the writer as subject and a victim, a
    /// first-person narrative (`jag slog ihjäl en …`).
    KillingPast = "killing_past", Key;
    /// Readers addressed by a veiled call: `ni vet vad som ska göras`, `ni fattar`.
    Knowing = "knowing", Key;
    /// Words of the addressee or a third person after `vet var`.
    KnownPerson = "known_person", Key;
    /// Subjects of a label: `dom är nazister`.
    Labelled = "labelled", Key;
    /// Insults that name the target, not the act (`dom e bara nazister`): no counter-speech.
    Labels = "labels", Key;
    /// Verbs by which a wished harm lands a person somewhere.
    Lands = "lands", Key;
    /// Laughter written out: a threat with it may be a joke among friends, so a person
    /// judges it.
    Laughter = "laughter", Key;
    /// Lawful sources and permissions: a library, a licence, the city's own channel, free
    /// works, one's own works.
    Lawful = "lawful", Key;
    /// Lawful armed forces that recruit.
    LawfulForces = "lawful_forces", Key;
    /// Imperatives that lead a call and its act (`gå in på … och ta`, `möt upp … och`): an act
    /// later in their sentence is called for.
    LeadingImperatives = "leading_imperatives", Key;
    /// Verbs of leaving, ordered: `åk hem`, `stick tillbaka`.
    Leave = "leave", Key;
    /// Games where protection is worn: no threat.
    Leisure = "leisure", Key;
    /// Finite verbs of letting (`lät`, `låter`): what someone else let happen is reported, not
    /// called for.
    Letting = "letting", Key;
    /// Verbs and phrases that tie a `trait` term to the person before it ("Anna Svensson
    /// **har** MS"). Possessives addressed to a mentioned person count too ("@kalle **ditt**
    /// gentest").
    LinkWords = "link_words", Written;
    /// A looming time or a warning that makes a weapon emoji a threat: `Snart är det din tur 🔪`.
    Looming = "looming", Key;
    /// A time that hangs over the addressee: `nån dag`, `när du minst anar`.
    LoomingTimes = "looming_times", Phrase;
    /// Words for collections of images besides images and films (`familjealbum`, `mappar`).
    MaterialExtra = "material_extra", Key;
    /// Short material words matched whole.
    MaterialWords = "material_words", Key;
    /// Words for a recording; also the tail of a compound (`krigsklipp`).
    Media = "media", Key;
    /// Words that make a statement to a group addressed as `ni` a menace (`känna er trygga`, `vet
    /// var ni bor`, `betala med era liv`).
    MenaceWords = "menace_words", Key;
    /// Death as everyone's lot (`någon gång`, `förr eller senare`, `på jorden`): `alla på
    /// kontoret ska dö` threatens, `alla på jorden ska dö någon gång` does not.
    Mortality = "mortality", Phrase;
    /// Mourning or its absence, celebration: `skulle inte gråta om …`.
    Mourning = "mourning", Key;
    /// Negation words: a negation inside a shape, or just before it, removes the shape
    /// (`muslimer är inte ohyra`, `ingen ska döda dig`).
    Negation = "negation", Key;
    /// Words of the justice system, and the press (`press`).
    News = "news", Key;
    /// Words right before a noun of violence that make it a call: `dags för`, `ja till`.
    NounCallOpeners = "noun_call_openers", Phrase;
    /// Nouns that end like a person (`person_endings`) but name a thing or a time (`källaren`,
    /// `sommaren`).
    NotPersonNouns = "not_person_nouns", Key;
    /// Words that begin with a group's stem and end in people but name no group's members
    /// (`lappvakten`, `regnbågspressen`).
    NotMemberCompounds = "not_member_compounds", Key;
    /// Present-tense verbs after `vet var du …` that are about opinions or opening hours, not
    /// where someone is (`vet när ni har öppet`).
    NotWhereabouts = "not_whereabouts", Key;
    /// Obstacles laid for emergency services: `spikmattor`, `barrikader`.
    Obstacles = "obstacles", Key;
    /// Verbs of getting hold of someone's data on one's own: `har sparat din adress`.
    Obtained = "obtained", Key;
    /// People counted or named as a household, who can be inside: `med alla inne`.
    Occupants = "occupants", Key;
    /// Words of offering, trading or pointing to material (`säljer`, `byter`, `länk`, `dm`).
    Offer = "offer", Key;
    /// Words that offer a copy or point at one.
    Offered = "offered", Key;
    /// Verbs of reaching an organisation: `ring kommunen`, `skriv till förvaltningen`.
    OrganisationContactVerbs = "organisation_contact_verbs", Written;
    /// National prefixes of numbers that belong to organisations: Stockholm city's own exchange
    /// (08-508), and non-geographic service numbers.
    OrganisationPrefixes = "organisation_prefixes", Written;
    /// Words that show a contact detail is an organisation's: `växeln`, `besöksadress`.
    OrganisationWords = "organisation_words", Written;
    /// Organisations a reader is told to reach: `kontakta polisen`, `ring oss`.
    OrganisationsAddressed = "organisations_addressed", Written;
    /// Particles that give a verb of killing another meaning: `sköt upp mötet`, `hängde med
    /// dem`, `slog upp`.
    OtherParticles = "other_particles", Key;
    /// Verbs of opinion before `att` (`tycker att`, `tror att`): a particular other person's
    /// opinion is retold, not the writer's call.
    Opining = "opining", Key;
    /// Possessives of someone else: `din lärare`, `hans ex`.
    OthersPossessive = "others_possessive", Key;
    /// Words for a contact detail writers give as their own: `mitt nummer`.
    OwnDetailWords = "own_detail_words", Written;
    /// A possessive or reflexive that makes the material the writer's own or the subject's own
    /// (`mina nakenbilder`, `fick sina nudes spridda`).
    OwnPossessive = "own_possessive", Key;
    /// Taking part in society, denied to a group: `X ska inte sitta i …`.
    Partake = "partake", Key;
    /// Words that call a group's nature a disease or perversion.
    Pathology = "pathology", Key;
    /// Bodies of people (`nämnden`, `styrelsen`, `redaktionen`), also as a compound's tail:
    /// `hela socialnämnden` in a threat is the people in it (`illegal/evidence.rs`).
    PeopleBodies = "people_bodies", Key;
    /// Nouns for people or a body of people that a group's adjective before them makes a group
    /// (`muslimska män som …`), unlike a thing (`muslimska skolor som …`), as does a group's
    /// stem in one word (`judepressen`).
    PeopleHeads = "people_heads", Key;
    /// Pronouns that stand for people named elsewhere.
    PeoplePronouns = "people_pronouns", Key;
    /// Endings of definite or plural nouns for people (`journalisterna`, `kommunikatören`): a person
    /// aimed at in the evidence rules (`illegal/evidence.rs`).
    PersonEndings = "person_endings", Key;
    /// Insults that only ever name a person or people, also as a compound's tail
    /// (`polisjävlarna`, `fittan`): whom a word of violence is aimed at.
    PersonInsults = "person_insults", Key;
    /// Words for a person by role or relation that the threat and the privacy rules share.
    PersonRoles = "person_roles", Key;
    /// People who act for society (police, officials, guards), also as the tail of a compound
    /// (`trafikpolisen`): a call to violence against them is a call to violence against
    /// persons.
    PersonTargets = "person_targets", Key;
    /// Words that make a sentence about a person: pronouns and `vem`.
    PersonWords = "person_words", Key;
    /// Words that call harm a pity: `vore synd om …`, `tråkigt om …`.
    Pity = "pity", Key;
    /// A time named for a plan (`på måndag`, `nästa gång`): a weapon brought to a place then
    /// is a plan, not talk.
    PlanTimes = "plan_times", Phrase;
    /// Prepositions that end an object: `tänd på brasan i stugan`, `… åt honom`.
    PlacePrepositions = "place_prepositions", Key;
    /// Verbs that put a weapon in place: `placera bomben`, `kasta handgranaten`.
    Placing = "placing", Key;
    /// Words that address more than one person (`ni`, `er`, `era`): urging a crowd to self-harm is
    /// left to a person.
    PluralAddressee = "plural_addressee", Key;
    /// Words that point readers at a copy.
    Pointers = "pointers", Key;
    /// What the addressee has that violence to is violence to them: the body, the family, pets
    /// (`ditt huvud`, `din familj`); not `ditt argument`.
    PossessedTargets = "possessed_targets", Key;
    /// What a group is said to control in the conspiracy trope.
    Power = "power", Key;
    /// Signs that people are in a place: `medan de sover`, `när de är där`.
    Present = "present", Key;
    /// The press and what it publishes (part of `news`): no news where a threat in its own
    /// voice names the paper (`du kommer att dö för den artikeln`).
    Press = "press", Key;
    /// Words that name one person by a role or a relation (`rektorn`, `grannens dotter`, `mitt
    /// ex`); also the tail of a compound (`fritidsledaren`, `idrottsläraren`).
    PrivacyPersonRoles = "privacy_person_roles", Key;
    /// Words that point readers at material or promise it to them: `här är`, `kolla`, `i min
    /// story`, `vem vill ha`, `nu får alla se`.
    PrivacyPointing = "privacy_pointing", Key;
    /// Private channels a copy is passed through.
    PrivateChannels = "private_channels", Key;
    /// Bullets and blades put into someone (besides listed weapons).
    Projectiles = "projectiles", Key;
    /// Killing verbs: with framing and `dem alla` after them, an attack on people.
    PronounVictims = "pronoun_victims", Key;
    /// The writer promising to bring about what was just wished or foretold: `jag ska se till
    /// det`, `det lovar jag`.
    PromiseTags = "promise_tags", Phrase;
    /// Things whose damage is a crime: vehicles, cameras, windows, shops, websites; also the
    /// tail of a compound (`fartkamerorna`, `skyltfönstren`).
    Property = "property", Key;
    /// Words that respect or protect privacy, and what victims are told, or that say a fact was
    /// told openly by its owner: `respektera det`, `med ert tillstånd`, `spara bevis`,
    /// `berättade öppet`.
    Protecting = "protecting", Key;
    /// Protection one is advised to bring: `ta med skyddsväst`.
    Protection = "protection", Key;
    /// Roles of public figures, whose politics and public positions are matters of public
    /// debate, not private data. `*` at the start also finds compounds ("stadsdelsdirektören",
    /// "socialborgarrådet").
    PublicRoles = "public_roles", Written;
    /// What is given to people in a beating: `ge dig stryk`, `ge dem en läxa`.
    Punishments = "punishments", Phrase;
    /// Verbs that put a weapon into someone: `sätta en kniv i dig`.
    Put = "put", Key;
    /// Words that count the people after them: `alla sossar`, `hela bunten`.
    Quantifiers = "quantifiers", Key;
    /// Words that open a question even without a question mark (`Hur många fler måste dö innan
    /// …`).
    QuestionOpeners = "question_openers", Key;
    /// People a contact detail leads to: `numret till grannen`.
    ReachedPersons = "reached_persons", Written;
    /// Calls to be ready: `var beredda`, `gör er redo`.
    Ready = "ready", Phrase;
    /// The writer standing by a threat told as reported or hypothetical words: `och det tänker
    /// jag göra`, `jag menade det`.
    Reaffirmations = "reaffirmations", Phrase;
    /// Verbs of getting or giving (`få`, `ha`, `ge`): violence given as a thing (`ska få en
    /// kula`, `ge honom stryk`).
    Receive = "receive", Key;
    /// First-person words before a slur that make it the writer's own word (`vi bögar`, `jag är
    /// bög`): no finding.
    Reclaiming = "reclaiming", Key;
    /// Words of a recording besides images and films: a recording made in an intimate setting
    /// is intimate material (`kameran`, `videosamtalet`).
    RecordingExtra = "recording_extra", Key;
    /// Stems of words for images and films, found inside a word (`bilderna`, `specialbilderna`,
    /// `filmade`, `klippen`, `mobilfoton`).
    RecordingStems = "recording_stems", Key;
    /// Verbs of recruiting.
    Recruiting = "recruiting", Key;
    /// Religions driven out by a slogan (`ut med islam ur Sverige`): their followers are the
    /// group.
    Religions = "religions", Key;
    /// Questions that open a call to violence (`varför har ingen`, `är det ingen som`): the
    /// question guard does not excuse them.
    QuestionCalls = "question_calls", Phrase;
    /// A question after a call asking who will join (`…, vem är med?`): the question guard
    /// does not excuse the call.
    RecruitingTags = "recruiting_tags", Phrase;
    /// Verbs with which writers ask to be contacted: `ring mig`, `svara mig`.
    ReplyVerbs = "reply_verbs", Written;
    /// A promise to do again what was told (`skulle göra om det`): after `skulle` no
    /// hypothesis.
    Repetition = "repetition", Phrase;
    /// Words that make someone else the speaker of the sentence.
    Reporting = "reporting", Key;
    /// Reporting footage to the police or getting help: no spreading.
    ReportingFootage = "reporting_footage", Key;
    /// Verbs of saying after a sentence-opening `att`: `Att skriva att …` talks about an
    /// utterance.
    ReportingInfinitives = "reporting_infinitives", Key;
    /// Words that ask for material: `någon som har …?`.
    Request = "request", Key;
    /// Those praised for stopping or surviving an attack.
    Rescuers = "rescuers", Key;
    /// Local parts of function addresses (info@, registrator@ …).
    RoleLocalParts = "role_local_parts", Written;
    /// Selling: `säljer kopior …, 50 kr`.
    Sale = "sale", Key;
    /// Predicates of contempt after a copula: `X är äckliga`, `X är tjuvar`.
    Scorn = "scorn", Key;
    /// The addressee as object or owner (`dig`, `er`, `din`): the target of a threat.
    SecondPersonObject = "second_person_object", Key;
    /// The addressee as subject (`du`, `ni`, and `u` as typed).
    SecondPersonSubject = "second_person_subject", Key;
    /// Words of getting hold of material: `få tag på`, `skaffa`.
    SeekMaterial = "seek_material", Key;
    /// Imperatives that urge self-harm with a means in the next words (`ta en överdos`, `hoppa
    /// från bron`).
    SelfHarmActs = "self_harm_acts", Key;
    /// Means and places of self-harm after an urging imperative, also as the last part of a word
    /// (`västerbron`).
    SelfHarmMeans = "self_harm_means", Key;
    /// Imperatives that urge self-harm with the reflexive right after (`häng dig`, `skjut dig`).
    SelfHarmReflexive = "self_harm_reflexive", Key;
    /// Words with which writers name themselves (`jag heter`, `mvh`): the name after them is the
    /// writer's own.
    SelfIntroductions = "self_introductions", Written;
    /// Verbs of violence that with `ut` mean shaming in public, not violence: `hängas ut i
    /// tidningen`.
    ShamingVerbs = "shaming_verbs", Key;
    /// Veiled shows of force to people: `visa snuten vem som bestämmer`.
    ShowsOfForce = "shows_of_force", Phrase;
    /// Slurs in the forms people write them, for spellings that hide them: masked letters
    /// (`n***rer`) or dropped vowels (`ngrr`).
    SlurForms = "slur_forms", Key;
    /// Verbs that spread what follows them: `sprid halshuggningen`; `upp` and `ut` only after
    /// `lägg` (`lägg upp …`, not `skjuta upp …`).
    SpreadBefore = "spread_before", Key;
    /// Verbs and phrases that spread material, in the forms used for doing it (imperative,
    /// present, supine, participle): `sprid`, `lägger ut`, `läckt`. Past tenses that report
    /// (`läckte`) are left out.
    Spreading = "spreading", Key;
    /// Stories told in a medium: violence `i filmen` is fiction.
    StoryMedia = "story_media", Key;
    /// Endings of Swedish street names.
    StreetEndings = "street_endings", Written;
    /// Verbs of firm intent or of the future (`ska`, `kommer`, `tänker`, `lovar`): with the
    /// writer as subject and a violent verb, a threat.
    StrongIntent = "strong_intent", Key;
    /// Words that start a clause as its subject: a verb after them is not an imperative.
    Subjects = "subjects", Key;
    /// Questions that put forward what follows (`vad säger du om en kula i huvudet`): a
    /// suggestion, which the question guard does not excuse.
    Suggestions = "suggestions", Phrase;
    /// Words that open a wish of suffering for someone: `må`, `hoppas`, `vill se`, `låt dem`.
    SufferingOpeners = "suffering_openers", Key;
    /// Verbs of slow suffering or dying wished on someone (`må ni ruttna`, `vill se dig brinna`).
    SufferingVerbs = "suffering_verbs", Key;
    /// Words of staying alive (`inte hem levande`, `inte leva till jul`): inside a threat, they
    /// say it is to a life.
    Survival = "survival", Key;
    /// Verbs of using a thing (`använda den på honom`): with a weapon the writer holds, the
    /// weapon promised against a person.
    UseVerbs = "use_verbs", Key;
    /// Where a vehicle kills (`framför`, `under`): before a word of `front_vehicles`, a deadly
    /// means.
    VehicleFronts = "vehicle_fronts", Key;
    /// Endings of Swedish surnames (Andersson, Nyström, Bergqvist …) that are rare in place
    /// names, so "Hej Sundbyberg" is not a person; a surname with another ending counts after a
    /// known first name.
    SurnameEndings = "surname_endings", Written;
    /// Words of advice to hide or take care: `akta dig`, `ligga lågt`.
    TakeCare = "take_care", Key;
    /// Verbs by which a death agent takes someone.
    Takes = "takes", Key;
    /// Places and systems whose destruction is terror (lag 2022:666 2 §: to seriously harm a
    /// state, intimidate a population): embassies, the parliament, the power grid, water works,
    /// and public places that are also everyday destinations (`torget`, `gallerian`: review,
    /// not obvious); also the tail of a compound (`kärnkraftverket`).
    TerrorTargets = "terror_targets", Key;
    /// Passives of violence said of things as often as of people (`tavlorna
    /// ska hängas`): no unnamed victim.
    ThingPassives = "thing_passives", Key;
    /// Someone other than the writer who is to do the harm: `någon borde …`, `folk vill …`.
    ThirdParty = "third_party", Key;
    /// Modals that turn a third party's act into a call, a wish or a prediction.
    ThirdPartyModals = "third_party_modals", Key;
    /// A third person as object (`honom`, `henne`, `dem`): a threat against someone not
    /// addressed.
    ThirdPersonObject = "third_person_object", Key;
    /// Words for a third person who is not identified ("hon", "grannen"); role words
    /// ("rektorn", "idrottsläraren") and capitalised first names count too (see
    /// [`SensitiveDetector::new`]), and so does the writer's boss or landlord, of whom there is
    /// one. "Min kollega" or "en kompis" is an anonymous acquaintance of the writer, not
    /// listed: nobody can tell who.
    ThirdPersonWords = "third_person_words", Written;
    /// Definite nouns for a single person (`socialchefen`, `den där journalisten`), also as the
    /// tail of a compound: the person a third-party threat or wish is about.
    ThreatPersonRoles = "threat_person_roles", Key;
    /// Groups the law on hets mot folkgrupp does not name (women, disabled people), at whom a
    /// threat or a wish of violence is still aimed: `kvinnor förtjänar att bli våldtagna`.
    UnprotectedGroups = "unprotected_groups", Key;
    /// Times after `i` (`i kväll`, `i natt`): `dö i kväll` is no idiom.
    TimesAfterI = "times_after_i", Key;
    /// Times that may close a veiled sentence: `vad som händer då`.
    TrailingTimes = "trailing_times", Key;
    /// Unrest foretold: `blir det krig på gatorna`.
    Unrest = "unrest", Key;
    /// Vehicles a person can be run down with: the means after `med` in a
    /// threat (`kör över dig med bilen`), not an idiom's harmless object.
    Vehicles = "vehicles", Key;
    /// Veiled trading: the writer hints at what cannot be said.
    Veiled = "veiled", Key;
    /// Unnamed people a narrative of violence tells of (`vi misshandlade en kille`).
    Victims = "victims", Key;
    /// Nouns of violence someone is said to deserve (`förtjänar varenda smäll`).
    ViolenceNouns = "violence_nouns", Key;
    /// Participles and passives of serious violence after a modal of deserving (`borde bli
    /// våldtagen`, `ska skjutas`).
    ViolenceParticiples = "violence_participles", Key;
    /// Stems of real violence and its doers, matched inside words (`skolskjutaren`,
    /// `lynchandet`).
    ViolentActs = "violent_acts", Key;
    /// Visits that may hide harm: `hälsa på`, `knacka på hos`.
    Visits = "visits", Phrase;
    /// Verbs of wanting before `att` (`vill att`, `önskar att`): someone else's wish is retold,
    /// not the writer's call.
    Wanting = "wanting", Key;
    /// What the writer claims to know about the addressee: `var`, `vart`, `vilken`, `när`.
    Whereabouts = "whereabouts", Key;
    /// Verbs that tell where a person is: `hon bor på`, `han håller till vid`.
    WhereaboutsVerbs = "whereabouts_verbs", Written;
    /// Wild places a group is said to belong in: `hör hemma i djungeln` (`zo` is `zoo` after
    /// the normaliser folds doubled vowels).
    Wilds = "wilds", Key;
    /// Verbs of wish, obligation or possibility (`vill`, `borde`, `hoppas`): a wish of violence
    /// is reviewed, never acted on automatically.
    Wish = "wish", Key;
    /// Words that introduce a wish of harm: `hoppas du …`, `se till att du …`.
    WishOpeners = "wish_openers", Key;
    /// Where weapons are carried lawfully (`till jakten`, `skytteklubben`): a word containing
    /// an entry counts.
    WeaponPastimes = "weapon_pastimes", Key;
    /// Roles of people at a workplace, in the definite form ("läraren"); a role also matches as
    /// the last part of a compound ("idrottsläraren", "parkeringsvakten", "bibliotekschefen").
    /// A role with a named workplace identifies the person to anyone who knows the place; a
    /// role alone ("rektorn") points at someone a reader may not know.
    WorkplaceRoles = "workplace_roles", Written;
    /// The same roles without article ("Janne, som är vaktmästare på Kista gymnasium"; "er
    /// handläggare Nils Ahmadi"), also as the last part of a compound.
    WorkplaceRolesIndefinite = "workplace_roles_indefinite", Written;
    /// Words that may follow a workplace's name ("Solbacka äldreboende").
    WorkplaceWords = "workplace_words", Written;
    /// Pronouns for the writer (and the reader), never a third party.
    WriterPronouns = "writer_pronouns", Written;
    /// A condition that gives the writer the power to decide (`om jag fick bestämma`,
    /// `om det var upp till mig`): the conditional after it is the writer's will.
    WritersRule = "writers_rule", Phrase;
}

impl Class {
    /// The class named `name` (a file name without `.txt`).
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|class| class.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The class's path under a word-list folder, for messages.
    fn file(self) -> String {
        format!("{CLASSES_FOLDER}/{}.txt", self.name())
    }
}

/// How many 64-bit words a [`ClassSet`] has: room for every class.
const SET_WORDS: usize = 5;

const _: () = assert!(Class::ALL.len() <= SET_WORDS * 64);

/// The classes one word belongs to: looked up once per word of a comment,
/// so a rule asks for a class with one bit test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassSet([u64; SET_WORDS]);

impl ClassSet {
    /// Whether the word belongs to `class`.
    pub fn has(&self, class: Class) -> bool {
        let index = class.index();
        self.0[index / 64] & (1 << (index % 64)) != 0
    }

    fn insert(&mut self, class: Class) {
        let index = class.index();
        self.0[index / 64] |= 1 << (index % 64);
    }
}

/// What one word of the matching key is to the classes, looked up once
/// per word of a comment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordTags {
    /// The classes the word is an entry of (only classes of
    /// [`Spelling::Key`]).
    pub classes: ClassSet,
    /// The classes, of any spelling, with an entry whose first word is this
    /// word (a phrase, or the word itself): a phrase of a class can only
    /// stand where one of its first words does, so the rules that look for
    /// a phrase at every token skip the tokens that open none.
    pub opens: ClassSet,
}

/// Why the word classes cannot be used; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum WordClassError {
    /// The file's text breaks the format (a line, the header).
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// A class without a single entry would silently disable its rules.
    #[error(
        "{file}: the word class has no entries; add entries, or remove the file to keep the built-in class"
    )]
    Empty {
        /// The file, by its path.
        file: String,
    },
    /// A file in the classes folder that names no class.
    #[error(
        "{file}: unknown word class; a file in sv/classes/ must be named after a built-in class (e.g. negation.txt)"
    )]
    UnknownClass {
        /// The file, by its path.
        file: String,
    },
    /// Classes that include each other never end.
    #[error("{file}: the word class includes itself (through `@{through}`)")]
    IncludeCycle {
        /// The file, by its path.
        file: String,
        /// The class through which it comes back to itself.
        through: String,
    },
    /// The folder or a file in it cannot be read.
    #[error("cannot read the word classes at {path}: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// One entry line of a class file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Word(String),
    Include { class: Class, line: usize },
}

/// A class file as written, before includes are resolved.
#[derive(Debug, Clone)]
struct ClassFile {
    file: String,
    entries: Vec<Entry>,
}

/// Every word class, compiled; immutable once built and shared by the
/// detectors of one classifier.
#[derive(Debug, Clone)]
pub struct WordClasses {
    words: Vec<Vec<String>>,
    /// Hashed with `rustc-hash`: every word of a comment is looked up
    /// here, and SipHash (made to resist keys crafted to collide, which
    /// the table's keys, the word lists, are not) cost more than the rest
    /// of the look-up. Nothing reads the table in order.
    tags: HashMap<String, WordTags, FxBuildHasher>,
    /// For each class asked [`WordClasses::contains_any`]: one automaton
    /// over its entries, built on first use. The rules ask it of every
    /// word of a comment, and one pass over the word is far cheaper than a
    /// substring search per entry. `None` inside when it cannot be built;
    /// the entries are then searched one by one.
    within: Vec<OnceLock<Option<aho_corasick::AhoCorasick>>>,
    /// For each class asked [`WordClasses::ends_with_any`]: its entries by
    /// their last byte, built on first use. The rules ask it of many words
    /// of a comment, and a word can only end with the entries that end
    /// with its last byte.
    endings: Vec<OnceLock<ByLastByte>>,
}

/// The entries of one class grouped by their last byte, in file order
/// within a group.
#[derive(Debug, Clone)]
struct ByLastByte {
    /// Where the entries ending with each byte start in `entries`; those
    /// ending with byte `b` are `entries[starts[b]..starts[b + 1]]`.
    starts: Vec<usize>,
    /// Indices into the class's entries.
    entries: Vec<usize>,
}

impl ByLastByte {
    fn new(words: &[String]) -> Self {
        let last_byte = |word: &String| word.as_bytes().last().map(|&b| usize::from(b));
        let mut counts = vec![0_usize; 257];
        for byte in words.iter().filter_map(last_byte) {
            counts[byte + 1] += 1;
        }
        for b in 1..counts.len() {
            counts[b] += counts[b - 1];
        }
        let starts = counts.clone();
        let mut entries = vec![0; starts[256]];
        let mut next = counts;
        for (at, byte) in words
            .iter()
            .enumerate()
            .filter_map(|(at, word)| last_byte(word).map(|byte| (at, byte)))
        {
            entries[next[byte]] = at;
            next[byte] += 1;
        }
        Self { starts, entries }
    }

    /// The indices of the entries that end with `byte`.
    fn ending_with(&self, byte: u8) -> &[usize] {
        let byte = usize::from(byte);
        &self.entries[self.starts[byte]..self.starts[byte + 1]]
    }
}

static BUILTIN: LazyLock<Arc<WordClasses>> = LazyLock::new(|| {
    // The repository's classes are checked by a unit test
    // (`the_builtin_classes_are_well_formed_and_used`), so building them
    // cannot fail in a released binary.
    Arc::new(WordClasses::embedded().expect("the built-in word classes compile"))
});

impl WordClasses {
    /// The repository's classes, compiled into the binary (built once per
    /// process and shared).
    pub fn builtin() -> Arc<Self> {
        Arc::clone(&BUILTIN)
    }

    /// Compiles the repository's classes.
    pub fn embedded() -> Result<Self, WordClassError> {
        let files = Class::ALL
            .iter()
            .map(|&class| parse_file(&class.file(), class.embedded()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::resolve(files)
    }

    /// The repository's classes with a city's own files from
    /// `<dir>/sv/classes/` added or put in their place (see the module
    /// documentation); a folder without `sv/classes/` leaves every class
    /// built-in.
    pub fn with_overlay(dir: &Path) -> Result<Self, WordClassError> {
        let mut files = Class::ALL
            .iter()
            .map(|&class| parse_file(&class.file(), class.embedded()))
            .collect::<Result<Vec<_>, _>>()?;
        for (class, path, contents) in read_overlay(dir)? {
            let file = path.display().to_string();
            require_provenance(&file, &contents)?;
            let city = parse_file(&file, &contents)?;
            let own = &mut files[class.index()];
            if replaces_builtin(&contents) {
                *own = city;
            } else {
                own.entries.extend(city.entries);
                own.file = file;
            }
        }
        Self::resolve(files)
    }

    fn resolve(files: Vec<ClassFile>) -> Result<Self, WordClassError> {
        let mut words = Vec::with_capacity(files.len());
        for class in Class::ALL {
            let mut resolved = Vec::new();
            collect_words(&files, *class, &mut vec![*class], &mut resolved)?;
            let mut seen = std::collections::HashSet::new();
            resolved.retain(|word| seen.insert(word.clone()));
            words.push(resolved);
        }
        let mut tags: HashMap<String, WordTags, FxBuildHasher> = HashMap::default();
        for class in Class::ALL {
            for entry in &words[class.index()] {
                let first = entry.split(' ').next().unwrap_or_default();
                tags.entry(first.to_owned())
                    .or_default()
                    .opens
                    .insert(*class);
                if class.spelling() == Spelling::Key {
                    tags.entry(entry.clone())
                        .or_default()
                        .classes
                        .insert(*class);
                }
            }
        }
        let within = words.iter().map(|_| OnceLock::new()).collect();
        let endings = words.iter().map(|_| OnceLock::new()).collect();
        Ok(Self {
            words,
            tags,
            within,
            endings,
        })
    }

    /// The entries of `class`, in file order, includes expanded.
    pub fn words(&self, class: Class) -> &[String] {
        &self.words[class.index()]
    }

    /// The classes a word of the matching key belongs to (only classes of
    /// [`Spelling::Key`]).
    pub fn tags(&self, word: &str) -> ClassSet {
        self.word_tags(word).classes
    }

    /// The classes a word of the matching key belongs to and those it
    /// opens an entry of, in one look-up.
    pub fn word_tags(&self, word: &str) -> WordTags {
        self.tags.get(word).copied().unwrap_or_default()
    }

    /// Whether a word of the matching key is one of `class`.
    pub fn has(&self, word: &str, class: Class) -> bool {
        self.tags(word).has(class)
    }

    /// Whether a word of the matching key ends with an entry of `class`
    /// (`trafikpolisen` ends with `polisen`).
    pub fn ends_with_any(&self, word: &str, class: Class) -> bool {
        let entries = self.words(class);
        let (Some(&last), Some(endings)) =
            (word.as_bytes().last(), self.endings.get(class.index()))
        else {
            return entries.iter().any(|entry| word.ends_with(entry.as_str()));
        };
        endings
            .get_or_init(|| ByLastByte::new(entries))
            .ending_with(last)
            .iter()
            .any(|&at| word.ends_with(entries[at].as_str()))
    }

    /// Whether a word of the matching key holds an entry of `class`
    /// (`specialbilderna` holds `bild`).
    pub fn contains_any(&self, word: &str, class: Class) -> bool {
        let automaton = self.within.get(class.index()).and_then(|cell| {
            cell.get_or_init(|| aho_corasick::AhoCorasick::new(self.words(class)).ok())
                .as_ref()
        });
        match automaton {
            Some(automaton) => automaton.is_match(word),
            None => self
                .words(class)
                .iter()
                .any(|entry| word.contains(entry.as_str())),
        }
    }

    /// The entries of `class` as one regex alternation (`a|b|c`), each
    /// escaped, for the patterns of the personal-data detectors.
    pub fn alternation(&self, class: Class) -> String {
        self.words(class)
            .iter()
            .map(|entry| regex::escape(entry))
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The entries of `class` as string slices, for code that takes a
    /// table of words.
    pub fn entries(&self, class: Class) -> Vec<&str> {
        self.words(class).iter().map(String::as_str).collect()
    }
}

fn collect_words(
    files: &[ClassFile],
    class: Class,
    path: &mut Vec<Class>,
    out: &mut Vec<String>,
) -> Result<(), WordClassError> {
    let file = &files[class.index()];
    for entry in &file.entries {
        match entry {
            Entry::Word(word) => out.push(word.clone()),
            Entry::Include {
                class: included, ..
            } if path.contains(included) => {
                return Err(WordClassError::IncludeCycle {
                    file: file.file.clone(),
                    through: included.name().to_owned(),
                });
            }
            Entry::Include {
                class: included, ..
            } => {
                path.push(*included);
                collect_words(files, *included, path, out)?;
                path.pop();
            }
        }
    }
    Ok(())
}

/// Parses one class file named `file` (its path, for messages); the class
/// is the file's name.
fn parse_file(file: &str, contents: &str) -> Result<ClassFile, WordClassError> {
    require_provenance(file, contents)?;
    let class = class_of_file(file).ok_or_else(|| WordClassError::UnknownClass {
        file: file.to_owned(),
    })?;
    let mut entries = Vec::new();
    for (line, text) in entry_lines(contents) {
        let entry = parse_entry(class, line, text).map_err(|reason| ListFormatError::BadLine {
            file: file.to_owned(),
            line,
            reason,
        })?;
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(WordClassError::Empty {
            file: file.to_owned(),
        });
    }
    Ok(ClassFile {
        file: file.to_owned(),
        entries,
    })
}

fn class_of_file(file: &str) -> Option<Class> {
    let name = Path::new(file).file_stem()?.to_str()?;
    Class::named(name)
}

fn parse_entry(class: Class, line: usize, text: &str) -> Result<Entry, String> {
    let (entry, _comment) = text.split_once('\t').unwrap_or((text, ""));
    let entry = entry.trim();
    if let Some(name) = entry.strip_prefix('@') {
        let included = Class::named(name)
            .ok_or_else(|| format!("`@{name}` is not a word class (see src/classify/words.rs)"))?;
        return Ok(Entry::Include {
            class: included,
            line,
        });
    }
    if !entry.chars().any(char::is_alphanumeric) {
        return Err("the entry has no letter or digit".to_owned());
    }
    let word = match class.spelling() {
        Spelling::Key => key(entry),
        Spelling::Written => entry.to_lowercase(),
        Spelling::Phrase => key(entry),
    };
    if class.spelling() == Spelling::Key && word.contains(char::is_whitespace) {
        return Err(
            "the entry has more than one word; this class is compared word by word".to_owned(),
        );
    }
    Ok(Entry::Word(word))
}

/// The city's class files: `<dir>/sv/classes/*.txt`, each with its class.
fn read_overlay(dir: &Path) -> Result<Vec<(Class, PathBuf, String)>, WordClassError> {
    let folder = dir.join(CLASSES_FOLDER);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WordClassError::Io { path, source }
    };
    let paths = list_files(&folder).map_err(io(&folder))?;
    let mut files = Vec::new();
    for path in paths {
        let class = path
            .extension()
            .is_some_and(|e| e == "txt")
            .then(|| class_of_file(&path.to_string_lossy()))
            .flatten()
            .ok_or_else(|| WordClassError::UnknownClass {
                file: path.display().to_string(),
            })?;
        let contents = std::fs::read_to_string(&path).map_err(io(&path))?;
        files.push((class, path, contents));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# source: written for kommentarsvakt\n# licence: EUPL-1.2\n";

    /// The automaton of `contains_any` says what a substring search per
    /// entry says, for every class, on words that hold an entry, that are
    /// an entry with a letter dropped, and that hold none.
    #[test]
    fn contains_any_agrees_with_a_search_per_entry() {
        let classes = WordClasses::builtin();
        let mut words: Vec<String> = vec![String::new(), "x".into(), "öäå".into()];
        for class in Class::ALL {
            for entry in classes.words(*class).iter().take(20) {
                words.push(format!("sam{entry}arna"));
                let mut chars = entry.chars();
                chars.next_back();
                words.push(chars.as_str().to_owned());
            }
        }
        let mut holds = 0;
        for class in Class::ALL {
            for word in &words {
                let expected = classes
                    .words(*class)
                    .iter()
                    .any(|entry| word.contains(entry.as_str()));
                assert_eq!(
                    classes.contains_any(word, *class),
                    expected,
                    "{class:?} {word}"
                );
                holds += usize::from(expected);
            }
        }
        assert!(holds > 0 && holds < words.len() * Class::ALL.len());
    }

    fn repository() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
    }

    fn error_of(class: Class, body: &str) -> String {
        match parse_file(&class.file(), body) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        }
    }

    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                found.extend(sources(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
                found.push((path, text));
            }
        }
        found
    }

    #[test]
    fn the_builtin_classes_are_well_formed_and_used() {
        let classes = WordClasses::embedded().unwrap_or_else(|e| panic!("{e}"));
        let folder = repository().join("wordlists").join(CLASSES_FOLDER);
        let mut files: Vec<String> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|entry| entry.unwrap_or_else(|e| panic!("{e}")).file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut named: Vec<String> = Class::ALL
            .iter()
            .map(|class| format!("{}.txt", class.name()))
            .collect();
        named.sort();
        assert_eq!(
            files, named,
            "every file in {folder:?} is a class, and back"
        );
        let code: Vec<(PathBuf, String)> = sources(&repository().join("src/classify"))
            .into_iter()
            .filter(|(path, _)| !path.ends_with("words.rs"))
            .collect();
        for class in Class::ALL {
            assert!(
                !classes.words(*class).is_empty(),
                "{} has no entries",
                class.name()
            );
            let reference = format!("Class::{class:?}");
            let include = format!("\n@{}\n", class.name());
            let included = Class::ALL
                .iter()
                .any(|other| format!("\n{}", other.embedded()).contains(&include));
            assert!(
                included || code.iter().any(|(_, text)| text.contains(&reference)),
                "{} ({reference}) is used by no rule and included by no class: remove it or use it",
                class.file()
            );
        }
    }

    #[test]
    fn malformed_class_files_are_refused_with_file_and_line() {
        let cases = [
            (
                Class::Negation,
                "inte\n".to_owned(),
                "`# source:` is missing",
            ),
            (
                Class::Negation,
                HEADER.to_owned(),
                "sv/classes/negation.txt: the word class has no entries",
            ),
            (
                Class::Negation,
                format!("{HEADER}# only a comment\n\n"),
                "has no entries",
            ),
            (
                Class::Negation,
                format!("{HEADER}inte\n@okand\n"),
                "sv/classes/negation.txt, line 4: `@okand` is not a word class",
            ),
            (
                Class::Negation,
                format!("{HEADER}inte\n--\tdashes\n"),
                "line 4: the entry has no letter or digit",
            ),
            (
                Class::Negation,
                format!("{HEADER}inte alls\n"),
                "line 3: the entry has more than one word",
            ),
        ];
        for (class, body, expected) in cases {
            let error = error_of(class, &body);
            assert!(
                error.contains(expected),
                "{body:?}: got {error:?}, expected {expected:?}"
            );
        }
        assert!(error_of(Class::Negation, &format!("{HEADER}inte\tnot\n@wish\n")).is_empty());
        assert!(
            error_of(
                Class::ThirdPersonWords,
                &format!("{HEADER}hans fru\tseveral words are a phrase here\n")
            )
            .is_empty()
        );
    }

    #[test]
    fn words_are_tagged_with_every_class_they_belong_to() {
        let classes = WordClasses::builtin();
        let tags = classes.tags("inte");
        assert!(tags.has(Class::Negation));
        assert!(!tags.has(Class::Wish));
        assert!(classes.has("ska", Class::StrongIntent));
        assert!(classes.has("ska", Class::GroupModals));
        assert!(!classes.has("skaa", Class::StrongIntent));
        assert_eq!(classes.tags("ordinarie"), ClassSet::default());
        // Written classes are parts of patterns, not tags of key words.
        assert!(!classes.has("gatan", Class::StreetEndings));
        assert!(classes.ends_with_any("trafikpolisen", Class::AuthorityTargets));
        assert!(classes.contains_any("specialbilderna", Class::RecordingStems));
    }

    #[test]
    fn entries_are_normalised_like_the_comments() {
        let file = format!("{HEADER}GOOGLAT\nmp3\n");
        let parsed = parse_file(&Class::Obtained.file(), &file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            parsed.entries,
            [Entry::Word(key("googlat")), Entry::Word(key("mp3"))]
        );
        // A comment's `mp3` and a list's `mp3` meet in the key.
        let classes = WordClasses::builtin();
        let comment = super::super::normalize::Normalized::new("hela säsongen i MP3");
        let last = comment.text.rsplit(' ').next().unwrap_or_default();
        assert!(classes.has(last, Class::CopySigns), "{last:?}");
    }

    fn city_folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join(CLASSES_FOLDER);
        std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
        for (name, body) in files {
            std::fs::write(folder.join(name), body).unwrap_or_else(|e| panic!("{e}"));
        }
        dir
    }

    #[test]
    fn a_city_file_adds_to_the_builtin_class_unless_it_replaces_it() {
        let dir = city_folder(&[
            ("negation.txt", &format!("{HEADER}nåt\tdialect: inte\n")),
            (
                "wish.txt",
                &format!("{HEADER}# mode: replace\nvill\tonly this\n"),
            ),
        ]);
        let classes = WordClasses::with_overlay(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(classes.has("nåt", Class::Negation), "the city's word");
        assert!(
            classes.has("inte", Class::Negation),
            "the built-in words stay"
        );
        assert_eq!(classes.words(Class::Wish), ["vill"]);
        // A class the folder lacks stays the built-in one.
        assert_eq!(
            classes.words(Class::Copula),
            WordClasses::builtin().words(Class::Copula)
        );
    }

    #[test]
    fn a_city_folder_without_classes_keeps_every_builtin_class() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let classes = WordClasses::with_overlay(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        for class in Class::ALL {
            assert_eq!(classes.words(*class), WordClasses::builtin().words(*class));
        }
    }

    #[test]
    fn a_city_file_that_names_no_class_is_refused_by_its_path() {
        let dir = city_folder(&[("negatoin.txt", &format!("{HEADER}nåt\tx\n"))]);
        let error = WordClasses::with_overlay(dir.path())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        let path = dir.path().join(CLASSES_FOLDER).join("negatoin.txt");
        assert!(
            error.contains(&path.display().to_string()) && error.contains("unknown word class"),
            "{error}"
        );
        let dir = city_folder(&[
            ("negation.txt", &format!("{HEADER}@wish\n")),
            ("wish.txt", &format!("{HEADER}@negation\n")),
        ]);
        let error = WordClasses::with_overlay(dir.path())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(error.contains("includes itself"), "{error}");
    }
}
