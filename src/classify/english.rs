//! English comments: threats, hate speech against a group, slurs and
//! glorified or offered violence, with the plain forms acted on.
//!
//! The city's accounts get comments in English too, and a threat in English
//! is as real as one in Swedish. These rules are fewer and plainer than the
//! Swedish ones, so most of their findings go to a person (`Probable`).
//! A rule whose Swedish counterpart is acted on is `Obvious` in its plain
//! form (`Match::plain`) and `Probable` in its looser forms:
//!
//! - the writer's own threat of serious violence at a person, nothing after
//!   it but a name, a role, a time, where or when (`in the car park`,
//!   `after the match`; not where a game or a contest is won), a handle, a
//!   simile of how (`like a goat`), the addressee's kin (`and your whole
//!   family`) or names called (`I will kill you, Anna`,
//!   `en.hot.explicit_violence`, as
//!   `il.olaga_hot.explicit_violence`), or at the people inside a building
//!   (`blow up the office with all of you inside`, as
//!   `il.olaga_hot.burned_inside`);
//! - the writer's own attack on a place where people are, nothing after it
//!   but a time or a name (`I'm going to shoot up the school tomorrow`,
//!   `en.hot.place_attack`, as `il.olaga_hot.destruction_promised`);
//! - an order to kill or wound someone that opens its clause, maybe after
//!   a call to act together (`Stab the mayor`, `time to shoot him`,
//!   `en.hot.imperative`, as `il.olaga_hot.call_against_person`);
//! - a person who should be killed (`Councillor X should be shot`,
//!   `en.hot.deserves`; `deserves a bullet` is looser, as in Swedish);
//! - an order of violence against a group (`Gas all the jews`,
//!   `en.hets.violence`; a narrative is looser);
//! - a group said to deserve death or violence (`gays deserve to be
//!   hanged`, `muslims deserve death`, `the only good X is a dead X`, a
//!   group named by its adjective and an insult: `trans freaks`;
//!   `en.hets.deserves`; `had it coming` is looser);
//! - an order to kill oneself (`go hang yourself`, `en.hot.self_harm`, as
//!   `il.olaga_hot.urges_self_harm`; `nobody would miss you` is looser).
//!
//! Death promised as a set phrase (`you're dead`, `you will die`,
//! `en.hot.death_promised`, as `il.olaga_hot.death_promised`) is its own
//! rule, apart from the veiled phrases (`we know where you live`,
//! `en.hot.phrase`), which a person always reads; so is it in a condition
//! (`if mum finds out, you're dead`).
//!
//! A looser form may still be acted on: the English confirming model
//! ([`super::model`]) makes a finding of a rule in [`CONFIRMABLE`] obvious
//! when it is sure of the comment.
//!
//! Evidence for that model, as `illegal/evidence.rs` is in Swedish: a
//! literal act of violence that is willed (an intent or an urge before it,
//! an order, or the writer's bare present: `and I put a bullet in you`)
//! aimed at its object or at the subject the intent or urge
//! follows (`Councillor Berg, you will hang for this`, `The Somalis will
//! burn for this`; `en.hot.violence_aimed`, `en.hets.violence_aimed`). Too
//! loose to be a finding of its own (`I want to kill her in the next
//! round`), it is kept only when the model is sure at its evidence
//! threshold ([`EVIDENCE`]), and sought only where no other rule found the
//! sentence.
//!
//! An act is aimed at its object across a count (`kill every last one of
//! them`), not at what a person owns that no act can hurt (`kill the
//! mayor's plan`); slang for killing (`waste the cop`) is an act only at a
//! third person right after it. An act everyday speech also uses for
//! winning or for pain (class `weak_acts`: `beat`, `hurt`) is never plain,
//! nor is a threat at a person in a comment that laughs. Measured on the
//! English blind sets (`tests/data/blind_en`, `tests/data/blind_en2`,
//! `tests/data/blind_en3`) and tuned on `tests/data/train_en`.
//!
//! The words live in `wordlists/en/classes/` (the same provenance header
//! and line format as the Swedish classes, see [`super::words`]); the code
//! keeps only the shapes in [`RULES`]. An entry may be a phrase of several
//! words. A word of a comment written with masking characters (`n*ggers`,
//! `f@ggot`, `k1ke`) matches an entry when every masked letter stands for
//! one or two letters of it.
//!
//! Each rule is judged within one sentence (the shared splitter,
//! [`super::sentences`]) and is guarded: a sentence that reports,
//! sympathises or argues against (`counter`), a negation before the act, a
//! figurative turn (`I could kill for a coffee`), an act sport talk uses
//! figuratively in a sentence about a game (`kill the boss in level 3`), a
//! threat or evidence in a sentence about a story or a film (`fiction`:
//! `we will shoot the mayor in the next scene`)
//! and words inside quotation marks, double or single (`calling them
//! 'vermin'`), give no finding.
//!
//! A threat or a wished fate is aimed at a target: the addressee, a third
//! person (`her`), someone by role (`the referee`), a capitalised name, or
//! a group (`jews`, `black players`); the target decides whether a fate
//! (`deserves a bullet`, `should be lynched`, `had it coming`) is olaga hot
//! or hets mot folkgrupp; so does it for a death wished on someone (`I hope
//! the mayor gets cancer and dies slowly`), which a person reads. A group
//! told to leave (`Syrians out`, `deport every last Arab`) is read too, and so
//! is the writer coming or waiting with arms, or bringing them where people
//! are at a time (`we'll be waiting with bats`, `Next council meeting I'm
//! bringing a gun`,
//! `en.hot.armed_visit`; vehicles and hands are no arms), and a genocide
//! called for (`Time for a new Kristallnacht`, `en.hets.genocide`). In
//! an order of violence, `them` points back at a group the comment named
//! (`Gypsies are vermin. Round them up and shoot them.`). A wounding act
//! (`slit`, `smashed`) is violence only beside a body part. Footage of violence or an attack with praise
//! beside it (`the clip of him getting stomped is hilarious`, `Breivik did
//! nothing wrong`), or offered to others (`DM me for the full uncut
//! Christchurch livestream`), is olaga våldsskildring.

use std::cell::LazyCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use super::illegal::LAUGHING_EMOJI;
use super::lexicon::{
    ListFormatError, entry_lines, list_files, replaces_builtin, require_provenance,
};
use super::{Detector, Text};
use crate::domain::{Category, Confidence, Finding};

/// How many words may stand between the speaker and the act, and between
/// the act and its object (`I am going to come over and kill you`).
pub const THREAT_WINDOW: usize = 6;

/// How many words may stand between an act and the group it is aimed at
/// (`kill all of the jews`), or a group and what it is called.
pub const GROUP_WINDOW: usize = 4;

/// How many words may stand between the intent and the act, since a
/// threat often names the place first (`I'm going to find the warden on
/// Drottninggatan and break every bone in his body`).
pub const ACT_WINDOW: usize = 12;

/// How many words may stand between a target and the fate wished on it
/// (`every Muslim driving a bus in this city should be dragged out and
/// shot`).
pub const FATE_WINDOW: usize = 10;

/// How many words may stand between a threatened act and the one it is
/// aimed at (`slit that feminist councillor's throat`), none of them an
/// object break (`shoot some hoops with him`).
const OBJECT_WINDOW: usize = 3;

/// How many words after a genitive may name what it owns (`the
/// inspector's whole silly argument`).
const OWNED_WINDOW: usize = 3;

/// How near a body part must stand to a wounding act for the act to be
/// violence (`his skull caved in`, `cut his throat`), and to a thing of
/// death for it to be wished on someone (`a knife in his throat`).
const BODY_WINDOW: usize = 3;

/// How many linking words (`in the`) may stand before a body part that
/// ends a threat (`shoot him in the face`).
const BODY_LINKS_MAX: usize = 2;

/// How many linking words (`with your own`) may stand before a weapon that
/// ends a threat (`strangle you with your own lanyard`).
const MEANS_LINKS_MAX: usize = 3;

/// How many words may stand between a call and the genocide it calls for
/// (`we need a final solution`), counting the call's own end.
const GENOCIDE_CALL_WINDOW: usize = 2;

/// The most words an entry of class `calls_for` has (`the only answer
/// is`): how far back a call may start.
const CALL_WORDS_MAX: usize = 4;

/// How many words (`fat old`) may stand between the writer naming
/// themself (`I'm a`) and a slur that is then self-identification.
const SELF_NAMING_REACH: usize = 3;

/// How many words may stand between an act's object and the plenty it is
/// given (`drown the mayor personally in letters`).
const PLENTY_REACH: usize = 1;

/// How many words a wish of others (class `others_wants`: `wants to`,
/// `planned to`) may span before the act it is followed by.
const OTHERS_WANT_REACH: usize = 2;

/// How many words after `who` a grievance's own words reach (`who wrote
/// that Pride article`): a word of `counter` there says what the target
/// did, not that the writer reports or argues.
const GRIEVANCE_REACH: usize = 4;

/// The fewest single letters one space apart that spell one word
/// (`r a g h e a d s`); ordinary English has runs of two at most (`a I`).
const SPACED_LETTERS_MIN: usize = 4;

/// How many words after its opening word and determiners a setting of a
/// threat may have: `outside the main stadium`, `after the match`.
const SETTING_WORDS_MAX: usize = 3;

/// The law the threat rules rest on.
const LEGAL_BASIS_HOT: &str = "brottsbalken 4 kap. 5 § (olaga hot)";
/// The law the group rules rest on.
const LEGAL_BASIS_HETS: &str = "brottsbalken 16 kap. 8 § (hets mot folkgrupp)";
/// The law the glorified-violence rule rests on.
const LEGAL_BASIS_VALDSSKILDRING: &str = "brottsbalken 16 kap. 10 c § (olaga våldsskildring)";

macro_rules! english_classes {
    ($($variant:ident = $name:literal;)*) => {
        /// A named English word class: its words are in
        /// `wordlists/en/classes/<name>.txt`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum EnClass {
            $(#[doc = concat!("The class in `", $name, ".txt`.")] $variant,)*
        }

        impl EnClass {
            /// Every class.
            pub const ALL: &'static [EnClass] = &[$(EnClass::$variant,)*];

            /// The class's name, which is its file's name.
            pub fn name(self) -> &'static str {
                match self {
                    $(EnClass::$variant => $name,)*
                }
            }

            fn embedded(self) -> &'static str {
                match self {
                    $(EnClass::$variant => include_str!(concat!(
                        "../../wordlists/en/classes/", $name, ".txt"
                    )),)*
                }
            }
        }
    };
}

english_classes! {
    AbstractThings = "abstract_things";
    Arms = "arms";
    Attacks = "attacks";
    Begone = "begone";
    BodyLinks = "body_links";
    BodyParts = "body_parts";
    Bring = "bring";
    CallsFor = "calls_for";
    CollectiveCalls = "collective_calls";
    Causes = "causes";
    Comeuppance = "comeuppance";
    Contests = "contests";
    Copula = "copula";
    Counter = "counter";
    DeathIdioms = "death_idioms";
    DeathPromised = "death_promised";
    Determiners = "determiners";
    Dehumanising = "dehumanising";
    Dispatch = "dispatch";
    Expel = "expel";
    Doom = "doom";
    Fiction = "fiction";
    Figurative = "figurative";
    FirstPerson = "first_person";
    Footage = "footage";
    Genocides = "genocides";
    Grievances = "grievances";
    GroupAdjectives = "group_adjectives";
    GroupPronouns = "group_pronouns";
    GroupSubjects = "group_subjects";
    Groups = "groups";
    Harm = "harm";
    Inside = "inside";
    InsultNouns = "insult_nouns";
    Intent = "intent";
    Kin = "kin";
    Laughter = "laughter";
    MeansLinks = "means_links";
    Misfortunes = "misfortunes";
    Loosening = "loosening";
    Negation = "negation";
    ObjectBreaks = "object_breaks";
    Offers = "offers";
    Openers = "openers";
    OthersWants = "others_wants";
    Passive = "passive";
    PastForms = "past_forms";
    PersonNouns = "person_nouns";
    Pests = "pests";
    Places = "places";
    Play = "play";
    Plenty = "plenty";
    Praise = "praise";
    Progressive = "progressive";
    Quantifiers = "quantifiers";
    QuestionCalls = "question_calls";
    Reflexive = "reflexive";
    Relatives = "relatives";
    Reporting = "reporting";
    SecondPerson = "second_person";
    SelfHarm = "self_harm";
    SelfNaming = "self_naming";
    SettingPlaces = "setting_places";
    SettingTimes = "setting_times";
    SlangKills = "slang_kills";
    Slurs = "slurs";
    SportActs = "sport_acts";
    SwedishHomographs = "swedish_homographs";
    SwedishObjects = "swedish_objects";
    ThirdPerson = "third_person";
    ThreatPhrases = "threat_phrases";
    Times = "times";
    Unnamed = "unnamed";
    Urge = "urge";
    Visits = "visits";
    Weapons = "weapons";
    WeakActs = "weak_acts";
    Wishes = "wishes";
    Wounding = "wounding";
}

/// The shape a rule looks for in one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Speaker, intent, act, target, in that order: `I will kill you`,
    /// `I'm going to stab the referee`, `I'll slit her throat`.
    FirstPersonThreat,
    /// A first-person threat of serious violence (class `harm`, not a
    /// wounding) at the addressee: `I will kill you`, `im gonna stab you`.
    ExplicitThreat,
    /// An order of violence against a person, opening its clause: `Stab
    /// the mayor`, `just shoot him`, `… against the wall and shoot him`.
    ImperativeThreat,
    /// A person said to deserve or to be due a violent fate: `the minister
    /// deserves a bullet`, `that reporter gets what's coming to her`.
    PersonFate,
    /// A threat spoken as a set phrase: `we know where you live`; also a
    /// death promised in a loosened sentence (`if he finds out, you're
    /// dead`).
    ThreatPhrase,
    /// Death or grave injury promised as a set phrase, in a sentence not
    /// loosened: `you're dead`, `you will die`, `ur a dead man`.
    DeathPromised,
    /// The writer coming to someone or waiting for them with arms: `I'm
    /// coming to city hall with a knife`, `we'll be waiting with bats`.
    ArmedVisit,
    /// The writer's attack on a place where people are: `I'm going to
    /// shoot up the school tomorrow`, `gonna bomb the planning office`.
    PlaceAttack,
    /// A death or suffering wished on a person: `I hope the mayor gets
    /// cancer and dies slowly`.
    PersonWished,
    /// A death or suffering wished on a group: `I hope every migrant boat
    /// sinks`.
    GroupWished,
    /// An act urged on the addressee against themselves: `kill yourself`.
    SelfHarmUrge,
    /// Someone unnamed urged or wished to an act: `someone should shoot
    /// the mayor`, `I hope someone shoots the bus driver`.
    UnnamedCall,
    /// An act aimed at a group: `kill all the jews`, `I shot those gypsies`.
    ViolenceAgainstGroup,
    /// A group said to deserve an act or a fate: `muslims deserve to be
    /// exterminated`, `black players should be lynched`, `send them to
    /// the gas chambers`.
    GroupDeservesViolence,
    /// Footage of violence or an attack shared with praise: `the clip of
    /// him getting stomped is hilarious`, `the attack was beautiful`.
    ViolencePraised,
    /// Footage of an attack or of violence offered to others: `DM me for
    /// the full uncut Christchurch livestream`.
    FootageOffered,
    /// A genocide called for or said to be coming: `Time for a new
    /// Kristallnacht`, `day of the rope is coming`.
    GenocideCalled,
    /// A group told to leave or to be expelled: `deport every last Arab`,
    /// `Syrians out`.
    Expulsion,
    /// A group called vermin, animals, disease, or perverse or criminal by
    /// nature: `immigrants are rats`, `Roma are thieves by nature`.
    Dehumanising,
    /// A slur for a group or its members, masked or not.
    Slur,
    /// Evidence for the confirming model: a willed literal act with a
    /// target of the kind in its sentence (`we kill him`, `X should hang`).
    ViolenceAimed(Target),
    /// A question that asks for an act at a target of the kind: `why
    /// doesn't someone shoot the mayor`, `why not gas them all`.
    QuestionCall(Target),
}

/// Who a threat or a wished fate is aimed at, which decides the category:
/// a person (olaga hot) or a group (hets mot folkgrupp).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The addressee, someone named or someone by role.
    Person,
    /// A protected group or its members.
    Group,
}

/// What a target is said to deserve or to meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// A turn of phrase (`had it coming`, `is going to die`).
    Comeuppance,
    /// A thing of death (`a bullet`, `the gas chambers`), or a wounding.
    Doom,
    /// Serious violence done to it (`should be shot`, `be gassed`).
    Act,
}

/// A shape found in a sentence: where, and whether in its plain form.
struct Match {
    span: Range<usize>,
    /// The form an `Obvious` rule is acted on in; any other goes to a
    /// person.
    plain: bool,
}

/// One English rule: its id, shape, category, Swedish reason and law.
#[derive(Debug)]
pub struct EnRule {
    /// Stable id, for statistics and appeals.
    pub id: &'static str,
    shape: Shape,
    /// The category a finding has.
    pub category: Category,
    /// The Swedish reason moderators read.
    pub reason: &'static str,
    /// The law the finding rests on.
    pub legal_basis: &'static str,
    /// `Probable` (a person decides), or `Obvious` for a rule acted on in
    /// its plain form; its looser forms are `Probable` (see the module
    /// documentation).
    pub confidence: Confidence,
}

/// What a threat's reason adds when the comment laughs: a person judges
/// whether it is meant, and no model may make it obvious.
pub(crate) const LAUGHING_REASON: &str =
    "Kommentaren skrattar (t.ex. »lol«, 😂): en person avgör om hotet är allvarligt menat.";

/// The rules whose review-level findings the English confirming model
/// ([`super::model`]) may make obvious: the English counterparts of what
/// the Swedish rules call unmistakable (`illegal::CONFIRMABLE`) — the
/// writer's own threat to harm a person, an order or a call to kill or
/// wound a person, a person or a group said to deserve death or to be
/// killed, death promised, urging someone to kill themselves, an armed visit, violence
/// called for against a group, a group dehumanised, a slur aimed at a
/// group. Left out, so a person always judges them: wishes, veiled
/// phrases, an attack on a place, a genocide named by a word, expulsion,
/// footage and praise of violence, and a threat in a comment that laughs
/// ([`LAUGHING_REASON`]).
const CONFIRMABLE: &[&str] = &[
    "en.hot.explicit_violence",
    "en.hot.first_person",
    "en.hot.imperative",
    "en.hot.deserves",
    "en.hot.death_promised",
    "en.hot.armed_visit",
    "en.hot.self_harm",
    "en.hot.unnamed_call",
    "en.hot.question_call",
    "en.hets.violence",
    "en.hets.question_call",
    "en.hets.deserves",
    "en.hets.dehumanising",
    "en.hets.slur",
];

/// The rule of a bare slur, which names no act.
const BARE_SLUR: &str = "en.hets.slur";

/// Whether `rule` is the bare slur, which names no act: whom it is aimed
/// at, the rest of the comment says.
pub(crate) fn is_bare_slur(rule: &str) -> bool {
    rule == BARE_SLUR
}

/// Whether the English confirming model may make `finding` obvious (see
/// [`CONFIRMABLE`]); a bare slur only in a comment identified as English
/// (`in_english`): in a Swedish or unidentified one (`muzzies tar över`,
/// a list of peoples) the Swedish rules judge it, and keep it with a
/// person.
pub(crate) fn confirmable(finding: &Finding, in_english: bool) -> bool {
    let rule = finding.rule.as_str();
    let candidate = match finding.confidence {
        Confidence::Probable => CONFIRMABLE.contains(&rule),
        Confidence::Possible => needs_model(rule),
        _ => false,
    };
    candidate && (in_english || !is_bare_slur(rule)) && !finding.reason.contains(LAUGHING_REASON)
}

/// Every English rule (see the module documentation for which is acted on).
pub const RULES: &[EnRule] = &[
    EnRule {
        id: "en.hot.explicit_violence",
        shape: Shape::ExplicitThreat,
        category: Category::OlagaHot,
        reason: "Engelska: uttalat hot om grovt våld, i första person, riktat mot den som \
                 tilltalas.",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hot.first_person",
        shape: Shape::FirstPersonThreat,
        category: Category::OlagaHot,
        reason: "Engelska: skribenten säger att hen ska skada eller döda någon (den tilltalade, \
                 en person eller en grupp).",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hot.imperative",
        shape: Shape::ImperativeThreat,
        category: Category::OlagaHot,
        reason: "Engelska: uppmaning att skada eller döda en person (t.ex. \"stab the mayor\").",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hot.deserves",
        shape: Shape::PersonFate,
        category: Category::OlagaHot,
        reason: "Engelska: säger att en person förtjänar eller ska drabbas av dödligt våld \
                 (t.ex. \"deserves a bullet\").",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hot.wish",
        shape: Shape::PersonWished,
        category: Category::OlagaHot,
        reason: "Engelska: önskar att en person ska dö, skadas eller lida.",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hot.death_promised",
        shape: Shape::DeathPromised,
        category: Category::OlagaHot,
        reason: "Engelska: lovar den tilltalade döden eller svår skada (t.ex. \"you're dead\", \
                 \"you will die\").",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hot.phrase",
        shape: Shape::ThreatPhrase,
        category: Category::OlagaHot,
        reason: "Engelska: ett uttryck som brukar användas som hot (t.ex. \"vi vet var du bor\").",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hot.armed_visit",
        shape: Shape::ArmedVisit,
        category: Category::OlagaHot,
        reason: "Engelska: skribenten säger sig komma beväpnad till en person eller en plats \
                 (t.ex. \"I'm coming to city hall with a knife\").",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hot.place_attack",
        shape: Shape::PlaceAttack,
        category: Category::OlagaHot,
        reason: "Engelska: skribenten säger sig ska angripa en plats där människor är, t.ex. \
                 skjuta, spränga eller bränna en skola eller ett kontor.",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hot.self_harm",
        shape: Shape::SelfHarmUrge,
        category: Category::OlagaHot,
        reason: "Engelska: uppmanar den tilltalade att ta livet av sig eller skada sig.",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hot.unnamed_call",
        shape: Shape::UnnamedCall,
        category: Category::OlagaHot,
        reason: "Engelska: uppmanar någon att skada eller döda en person, eller önskar att \
                 någon gör det.",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hot.question_call",
        shape: Shape::QuestionCall(Target::Person),
        category: Category::OlagaHot,
        reason: "Engelska: uppmaning till våld mot en person, ställd som en fråga (t.ex. \
                 \"why doesn't someone shoot the mayor\").",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hets.question_call",
        shape: Shape::QuestionCall(Target::Group),
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: uppmaning till våld mot en folkgrupp, ställd som en fråga (t.ex. \
                 \"why not gas them all\").",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hets.violence",
        shape: Shape::ViolenceAgainstGroup,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: våld mot en folkgrupp (uppmaning eller skildring).",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hets.deserves",
        shape: Shape::GroupDeservesViolence,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: påstår att en folkgrupp förtjänar våld.",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Obvious,
    },
    EnRule {
        id: "en.hets.genocide",
        shape: Shape::GenocideCalled,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: kräver ett folkmord eller en pogrom, eller säger att ett kommer \
                 (t.ex. \"time for a new Kristallnacht\").",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hets.wish",
        shape: Shape::GroupWished,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: önskar att en folkgrupp ska dö, skadas eller lida.",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.valdsskildring.praise",
        shape: Shape::ViolencePraised,
        category: Category::OlagaValdsskildring,
        reason: "Engelska: sprider eller hyllar en skildring av grovt våld (klipp, film eller \
                 ett dåd).",
        legal_basis: LEGAL_BASIS_VALDSSKILDRING,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.valdsskildring.offer",
        shape: Shape::FootageOffered,
        category: Category::OlagaValdsskildring,
        reason: "Engelska: erbjuder andra en film eller ett klipp av ett dåd eller grovt våld.",
        legal_basis: LEGAL_BASIS_VALDSSKILDRING,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hets.expulsion",
        shape: Shape::Expulsion,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: kräver att en folkgrupp ska utvisas eller ge sig av.",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hets.dehumanising",
        shape: Shape::Dehumanising,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: beskriver en folkgrupp som djur, ohyra eller sjukdom, eller som \
                 pervers eller brottslig av naturen.",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Probable,
    },
    EnRule {
        id: "en.hets.slur",
        shape: Shape::Slur,
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: ett nedsättande ord för en folkgrupp (kan vara maskerat).",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Probable,
    },
    // Evidence last: sought only where no rule above found the sentence,
    // and a group is looked for before a person.
    EnRule {
        id: "en.hets.violence_aimed",
        shape: Shape::ViolenceAimed(Target::Group),
        category: Category::HetsMotFolkgrupp,
        reason: "Engelska: våld uttalat mot en folkgrupp.",
        legal_basis: LEGAL_BASIS_HETS,
        confidence: Confidence::Possible,
    },
    EnRule {
        id: "en.hot.violence_aimed",
        shape: Shape::ViolenceAimed(Target::Person),
        category: Category::OlagaHot,
        reason: "Engelska: våld uttalat mot en person.",
        legal_basis: LEGAL_BASIS_HOT,
        confidence: Confidence::Possible,
    },
];

/// The evidence rules: their findings exist only for the English
/// confirming model, which keeps them when it is sure at its evidence
/// threshold; unconfirmed, they are dropped ([`super::Classifier`]).
pub(crate) const EVIDENCE: &[&str] = &["en.hot.violence_aimed", "en.hets.violence_aimed"];

/// Whether `rule` is an English evidence rule (see [`EVIDENCE`]).
pub(crate) fn needs_model(rule: &str) -> bool {
    EVIDENCE.contains(&rule)
}

/// The words of every English class, each entry split into its words.
#[derive(Debug)]
pub struct EnglishClasses {
    entries: Vec<Vec<Vec<String>>>,
    /// Every entry by its first word, in list order: a word is tagged with
    /// its classes by one lookup instead of a scan of every list.
    starts: HashMap<String, Vec<EntryRef>>,
}

/// One entry of one class: the class and the entry's place in its list.
#[derive(Debug, Clone, Copy)]
struct EntryRef {
    class: EnClass,
    index: usize,
}

/// The folder of the English word classes under a word-list folder.
pub const EN_CLASSES_FOLDER: &str = "en/classes";

/// Why an English class file cannot be used; each error names its file.
#[derive(Debug, thiserror::Error)]
pub enum EnglishClassError {
    /// A file breaks the list format.
    #[error(transparent)]
    Format(#[from] ListFormatError),
    /// A city's file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A city's file names no English class: a misspelt name would
    /// otherwise be ignored in silence.
    #[error(
        "{file}: unknown English word class (the file is named after the class, as in \
         wordlists/en/classes/)"
    )]
    UnknownClass {
        /// The file.
        file: String,
    },
}

impl EnglishClasses {
    /// The repository's classes, compiled into the binary. A unit test
    /// (`english::tests::the_embedded_classes_compile`) parses them, so
    /// this cannot fail in a released binary.
    pub fn builtin() -> Arc<Self> {
        static BUILTIN: LazyLock<Arc<EnglishClasses>> = LazyLock::new(|| {
            Arc::new(EnglishClasses::parse_embedded().expect("embedded English classes compile"))
        });
        Arc::clone(&BUILTIN)
    }

    /// The repository's classes with a city's files from
    /// `<dir>/en/classes/` over them, by the rule every list follows: a
    /// city's file adds to the built-in class of its name, or replaces it
    /// when its header has the line `# mode: replace`; a class the folder
    /// lacks stays built-in, so no rule is switched off by a missing list.
    pub fn with_overlay(dir: &Path) -> Result<Self, EnglishClassError> {
        let mut classes = Self::parse_embedded()?;
        let folder = dir.join(EN_CLASSES_FOLDER);
        if !folder.is_dir() {
            return Ok(classes);
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| EnglishClassError::Io { path, source }
        };
        for path in list_files(&folder).map_err(io(&folder))? {
            let file = path.display().to_string();
            let class = class_of_file(&path)
                .ok_or_else(|| EnglishClassError::UnknownClass { file: file.clone() })?;
            let contents = std::fs::read_to_string(&path).map_err(io(&path))?;
            let city = parse_class(&file, &contents)?;
            let own = &mut classes.entries[class as usize];
            if replaces_builtin(&contents) {
                *own = city;
            } else {
                own.extend(city);
            }
        }
        Ok(classes.indexed())
    }

    fn parse_embedded() -> Result<Self, EnglishClassError> {
        let mut entries = Vec::with_capacity(EnClass::ALL.len());
        for class in EnClass::ALL {
            let file = format!("en/classes/{}.txt", class.name());
            entries.push(parse_class(&file, class.embedded())?);
        }
        Ok(Self {
            entries,
            starts: HashMap::new(),
        }
        .indexed())
    }

    /// The classes with their first-word index rebuilt.
    fn indexed(mut self) -> Self {
        let mut starts: HashMap<String, Vec<EntryRef>> = HashMap::new();
        for &class in EnClass::ALL {
            for (index, entry) in self.entries[class as usize].iter().enumerate() {
                if let Some(first) = entry.first() {
                    starts
                        .entry(first.clone())
                        .or_default()
                        .push(EntryRef { class, index });
                }
            }
        }
        self.starts = starts;
        self
    }

    #[cfg(test)]
    fn of(&self, class: EnClass) -> &[Vec<String>] {
        &self.entries[class as usize]
    }

    fn entry(&self, at: EntryRef) -> &[String] {
        &self.entries[at.class as usize][at.index]
    }

    /// Visits the entries that may start at `word`: those whose first word
    /// it is, and, when it is masked (`n*gger`), every entry with its first
    /// letter, since a masked word can stand for any of them. A visitor, not
    /// an iterator, so the hot path boxes nothing per word.
    fn for_each_candidate(&self, word: &str, mut visit: impl FnMut(EntryRef)) {
        if !has_mask(word) {
            self.starts
                .get(word)
                .into_iter()
                .flatten()
                .copied()
                .for_each(visit);
            return;
        }
        // A masked word keeps its first letter unless the mask is first.
        let first = word.chars().next().map(unleet).filter(|&c| c != '*');
        for &class in EnClass::ALL {
            for (index, entry) in self.entries[class as usize].iter().enumerate() {
                let may_start =
                    first.is_none_or(|c| entry.first().is_some_and(|w| w.starts_with(c)));
                if may_start {
                    visit(EntryRef { class, index });
                }
            }
        }
    }
}

/// The class a city's file is for: `slurs.txt` is [`EnClass::Slurs`].
fn class_of_file(path: &Path) -> Option<EnClass> {
    if path.extension()? != "txt" {
        return None;
    }
    let name = path.file_stem()?.to_str()?;
    EnClass::ALL
        .iter()
        .copied()
        .find(|class| class.name() == name)
}

/// The entries of one class file, each split into lower-case words.
fn parse_class(file: &str, contents: &str) -> Result<Vec<Vec<String>>, ListFormatError> {
    require_provenance(file, contents)?;
    let mut entries = Vec::new();
    for (line, text) in entry_lines(contents) {
        let entry = text.split('\t').next().unwrap_or_default();
        let words: Vec<String> = entry.split_whitespace().map(str::to_lowercase).collect();
        if !words.iter().any(|w| w.chars().any(char::is_alphanumeric)) {
            return Err(ListFormatError::BadLine {
                file: file.to_owned(),
                line,
                reason: "an entry needs a letter".to_owned(),
            });
        }
        entries.push(words);
    }
    if entries.is_empty() {
        return Err(ListFormatError::BadLine {
            file: file.to_owned(),
            line: 0,
            reason: "the class has no entries".to_owned(),
        });
    }
    Ok(entries)
}

/// One word of a comment: its span in the original, its spelling in
/// lower case, with typographic apostrophes made plain, and whether it
/// was written with a capital (a name, when not first in its sentence).
#[derive(Debug, Clone)]
struct Word {
    span: Range<usize>,
    lower: String,
    capitalised: bool,
    /// A comma, colon, semicolon or dash stands before it: it may open a
    /// clause (`Iraqis are rapists, castrate them`).
    clause_start: bool,
}

impl Word {
    /// The spellings an entry may match: the word, and without its
    /// possessive `'s`, so `the councillor's throat` names a councillor.
    fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.lower.as_str()).chain(self.lower.strip_suffix("'s"))
    }

    /// Whether the word is spelt as `entry` in one of its spellings.
    fn fits(&self, entry: &str) -> bool {
        self.spellings().any(|spelling| spelled_as(spelling, entry))
    }
}

/// The words of one sentence of a comment, with what is in quotation
/// marks told apart.
struct Sentence {
    words: Vec<Word>,
    quoted: Vec<bool>,
    /// Per word, per class: how many words the class's first fitting entry
    /// starting there takes (0: none). Filled once by
    /// [`EnglishDetector::tag`], so every rule asks a table.
    tags: Vec<[u8; CLASS_COUNT]>,
}

impl Sentence {
    /// The word at `at` in lower case, or nothing past the sentence's end:
    /// what a shape asks of a function word (`and`, `like`, `only good`).
    fn lower(&self, at: usize) -> &str {
        self.words.get(at).map_or("", |w| w.lower.as_str())
    }
}

/// How many English classes there are.
const CLASS_COUNT: usize = EnClass::ALL.len();

/// The first word of the clause that holds word `at`: the sentence's
/// start, or the word after the last `,`, `;`, `:` or dash before it.
fn clause_of(s: &Sentence, at: usize) -> usize {
    (1..=at)
        .rev()
        .find(|&i| s.words[i].clause_start)
        .unwrap_or(0)
}

/// Finds English threats, violence against groups, dehumanisation and
/// slurs (see the module documentation).
#[derive(Debug, Clone)]
pub struct EnglishDetector {
    classes: Arc<EnglishClasses>,
}

impl EnglishDetector {
    /// The detector over the given classes (a city's, see
    /// [`EnglishClasses::with_overlay`]).
    pub fn with_classes(classes: Arc<EnglishClasses>) -> Self {
        Self { classes }
    }
}

impl Default for EnglishDetector {
    fn default() -> Self {
        Self {
            classes: EnglishClasses::builtin(),
        }
    }
}

impl Detector for EnglishDetector {
    fn detect_in(&self, text: &Text<'_>, out: &mut Vec<Finding>) {
        // A comment plainly in Swedish is read by the Swedish rules, which
        // also know masked English slurs; most comments are, so this is
        // most of the English rules' cost saved.
        if text.language() == super::Language::SWEDISH {
            return;
        }
        let original = text.original();
        let sentences: Vec<Sentence> = text
            .sentences()
            .iter()
            .map(|sentence| {
                let mut sentence = sentence_words(original, sentence.body.clone());
                self.tag(&mut sentence);
                sentence
            })
            .collect();
        // `I'm going to kill you lol`: a person judges a laughing threat
        // (asked only of a threat found, once a comment).
        let laughs = LazyCell::new(|| {
            original.contains(LAUGHING_EMOJI)
                || sentences.iter().any(|s| self.any_at(s, EnClass::Laughter))
        });
        // `Gypsies are vermin. Round them up and shoot them.`: `them` is
        // the group the comment named (asked only of an act at `them`
        // with no group after it, once a comment).
        let names_group = LazyCell::new(|| {
            sentences
                .iter()
                .any(|s| (0..s.words.len()).any(|at| self.group_at(s, at).is_some()))
        });
        for sentence in &sentences {
            if sentence.words.is_empty() || self.reports_or_argues(sentence) {
                continue;
            }
            let mut found_here = false;
            // `we will shoot the mayor in the next scene`: made-up violence
            // is no threat, and no evidence of one.
            let in_fiction = self.any_at(sentence, EnClass::Fiction);
            for rule in RULES {
                let evidence = matches!(rule.shape, Shape::ViolenceAimed(_));
                if (evidence && found_here)
                    || (in_fiction && (evidence || rule.category == Category::OlagaHot))
                {
                    continue;
                }
                let Some(found) = self.shape_at(sentence, rule.shape, &names_group) else {
                    continue;
                };
                found_here = true;
                // A laughing threat at a person is a person's to judge.
                let laughing_threat = rule.category == Category::OlagaHot && *laughs;
                let plain = found.plain && !laughing_threat;
                // The plain threat is only the acted-on form of the
                // first-person threat, which reports every other.
                if rule.shape == Shape::ExplicitThreat && !plain {
                    continue;
                }
                let span = found.span;
                out.push(Finding {
                    category: rule.category,
                    confidence: if plain || evidence {
                        rule.confidence
                    } else {
                        Confidence::Probable
                    },
                    start: span.start,
                    end: span.end,
                    rule: rule.id.to_owned(),
                    legal_basis: rule.legal_basis.to_owned(),
                    reason: if laughing_threat {
                        format!("{} {LAUGHING_REASON}", rule.reason)
                    } else {
                        rule.reason.to_owned()
                    },
                });
            }
        }
    }
}

impl EnglishDetector {
    /// Where in the sentence (from word `at`) an entry of `class` starts
    /// and how many words it takes (none past the sentence's end).
    fn entry_at(&self, sentence: &Sentence, at: usize, class: EnClass) -> Option<usize> {
        match sentence.tags.get(at)?[class as usize] {
            0 => None,
            length => Some(usize::from(length)),
        }
    }

    /// Tags every word of the sentence with the classes whose entries
    /// start there: per class, the first entry in list order that fits.
    fn tag(&self, sentence: &mut Sentence) {
        let words = &sentence.words;
        sentence.tags = (0..words.len())
            .map(|at| {
                let mut tags = [0u8; CLASS_COUNT];
                let mut first_index = [usize::MAX; CLASS_COUNT];
                for spelling in words[at].spellings() {
                    self.classes.for_each_candidate(spelling, |candidate| {
                        let slot = candidate.class as usize;
                        let entry = self.classes.entry(candidate);
                        let fits = candidate.index < first_index[slot]
                            && entry.len() <= words.len() - at
                            && entry
                                .iter()
                                .zip(&words[at..])
                                .all(|(want, word)| word.fits(want));
                        if fits {
                            first_index[slot] = candidate.index;
                            tags[slot] = u8::try_from(entry.len()).unwrap_or(u8::MAX);
                        }
                    });
                }
                tags
            })
            .collect();
    }

    /// The sentence reports, sympathises or argues against (class
    /// `counter`), unless the word only says what the target did to the
    /// writer (class `grievances` after `who`: `the teacher who reported
    /// my son`; any word within [`GRIEVANCE_REACH`] words after a `who`
    /// opened by a grievance: `the reporter who wrote that article`), why
    /// they are threatened (`deserves a bullet for that article`) or who
    /// they are (`the police officer`: a word before a person).
    fn reports_or_argues(&self, s: &Sentence) -> bool {
        (0..s.words.len()).any(|at| {
            let after_who = |back: usize| at > back && s.lower(at - back) == "who";
            let done_by_target = (at > 0
                && matches!(s.lower(at - 1), "who" | "that")
                && self.is(s, at, EnClass::Grievances))
                || (2..=GRIEVANCE_REACH)
                    .any(|back| after_who(back) && self.is(s, at - back + 1, EnClass::Grievances));
            let names_the_person = self.is(s, at + 1, EnClass::PersonNouns);
            let cause = (at > 0 && s.lower(at - 1) == "for")
                || (at > 1
                    && s.lower(at - 2) == "for"
                    && matches!(
                        s.lower(at - 1),
                        "that" | "this" | "the" | "her" | "his" | "your" | "their"
                    ));
            self.is(s, at, EnClass::Counter) && !done_by_target && !cause && !names_the_person
        })
    }

    fn is(&self, sentence: &Sentence, at: usize, class: EnClass) -> bool {
        at < sentence.words.len() && self.entry_at(sentence, at, class).is_some()
    }

    fn any_at(&self, sentence: &Sentence, class: EnClass) -> bool {
        (0..sentence.words.len()).any(|at| self.is(sentence, at, class))
    }

    /// The first word at or after `from`, within `window` words, that
    /// starts an entry of `class`; the words between must not negate.
    fn next(&self, s: &Sentence, from: usize, window: usize, class: EnClass) -> Option<usize> {
        let end = (from + window + 1).min(s.words.len());
        (from..end)
            .take_while(|&at| at == from || !self.is(s, at, EnClass::Negation))
            .find(|&at| self.is(s, at, class))
    }

    /// The words from `from` on, at most `window` after it, up to the
    /// first negation (which ends the window, even at `from`).
    fn unnegated(&self, s: &Sentence, from: usize, window: usize) -> Range<usize> {
        let end = (from + window + 1).min(s.words.len());
        // `won't live to see Christmas` negates nothing: the fate is the
        // phrase itself.
        from..(from..end)
            .find(|&at| self.is(s, at, EnClass::Negation) && !self.is(s, at, EnClass::Comeuppance))
            .unwrap_or(end)
    }

    /// The first match of `shape` in the sentence, unless a guard holds;
    /// `names_group` tells whether the comment names a group anywhere.
    fn shape_at(
        &self,
        s: &Sentence,
        shape: Shape,
        names_group: &LazyCell<bool, impl FnOnce() -> bool>,
    ) -> Option<Match> {
        // A shape of one form is plain whenever it matches (which matters
        // only to a rule acted on).
        let one_form = |(first, last)| (first, last, true);
        let (first, last, plain) = match shape {
            Shape::FirstPersonThreat => one_form(self.first_person_threat(s)?),
            Shape::ExplicitThreat => one_form(
                self.first_person_threat(s)
                    .filter(|&(_, last)| self.explicit_at_person(s, last))?,
            ),
            // `Stab the mayor` is plain; `smash his face in` a person reads.
            Shape::ImperativeThreat => {
                let (first, last) = self.imperative_threat(s)?;
                (first, last, self.serious_act(s, first))
            }
            // `should be shot` is plain; `deserves a bullet` a person reads.
            Shape::PersonFate => {
                let (first, last, fate) = self.target_fate(s, Target::Person)?;
                (first, last, fate == Fate::Act)
            }
            Shape::ThreatPhrase => one_form(
                self.veiled_phrase(s)
                    .or_else(|| self.death_promised(s).filter(|_| self.loosened(s)))?,
            ),
            Shape::DeathPromised => one_form(self.death_promised(s).filter(|_| !self.loosened(s))?),
            // `go hang yourself` is plain, as `häng dig` is; `nobody would
            // miss you` a person reads.
            Shape::SelfHarmUrge => match self.act_then(s, EnClass::Reflexive, 2) {
                Some((first, last)) => (first, last, self.opens_order(s, first)),
                None => {
                    let (first, last) = self
                        .phrase(s, EnClass::SelfHarm)
                        .filter(|&(first, last)| !self.swedish_verb(s, first, last))?;
                    (first, last, false)
                }
            },
            Shape::UnnamedCall => one_form(self.unnamed_call(s)?),
            Shape::QuestionCall(want) => one_form(self.question_call(s, want)?),
            Shape::ArmedVisit => one_form(self.armed_visit(s)?),
            // `shoot up the school tomorrow` is plain; `… if they close
            // it` or more after the place a person reads.
            Shape::PlaceAttack => self.place_attack(s)?,
            Shape::PersonWished => one_form(self.wished_fate(s, Target::Person)?),
            Shape::GroupWished => one_form(self.wished_fate(s, Target::Group)?),
            // `Gas all the jews` is plain; `we beat up a Roma beggar` is a
            // narrative a person reads.
            Shape::ViolenceAgainstGroup => {
                let (first, last) = self.act_at_group(s).or_else(|| {
                    self.act_at_named_group(s)
                        .filter(|_| LazyCell::force(names_group).to_owned())
                })?;
                let order = self.opens_order(s, first) && self.serious_act(s, first);
                (first, last, order)
            }
            // `should be gassed`, `deserve a bullet` are plain; `had it
            // coming` a person reads.
            Shape::GroupDeservesViolence => {
                let (first, last, fate) = self.target_fate(s, Target::Group)?;
                (first, last, fate != Fate::Comeuppance)
            }
            Shape::Dehumanising => one_form(self.dehumanising(s, names_group)?),
            Shape::Expulsion => one_form(self.expulsion(s)?),
            Shape::GenocideCalled => one_form(self.genocide_called(s)?),
            Shape::Slur => one_form(self.slur_aimed(s)?),
            Shape::ViolencePraised => one_form(self.violence_praised(s)?),
            Shape::FootageOffered => one_form(self.footage_offered(s)?),
            Shape::ViolenceAimed(want) => one_form(self.violence_aimed(s, want)?),
        };
        if (first..=last).any(|at| s.quoted[at]) {
            return None;
        }
        // `Some people say gays should be stoned`: someone else's words.
        if self.someone_else_says(s, first, last) {
            return None;
        }
        Some(Match {
            span: s.words[first].span.start..s.words[last].span.end,
            plain,
        })
    }

    /// Serious violence at `at`: a harm that is not also everyday speech
    /// for winning or for pain (class `weak_acts`: `beat`, `hurt`; but
    /// `beat to death` is longer than its weak word), the only acts a plain
    /// form is acted on for.
    fn serious_act(&self, s: &Sentence, at: usize) -> bool {
        let harm = self.entry_at(s, at, EnClass::Harm).unwrap_or(0);
        let weak = self.entry_at(s, at, EnClass::WeakActs).unwrap_or(0);
        harm > weak
    }

    /// Whether an entry of `Figurative` starts at `at` or the word before:
    /// `could murder`, `shoot the video`, `heart attack`, `bullet point`.
    fn figurative(&self, s: &Sentence, at: usize) -> bool {
        (at.saturating_sub(1)..=at).any(|from| {
            self.entry_at(s, from, EnClass::Figurative)
                .is_some_and(|length| !self.opens_on_a_target(s, from + length))
        })
    }

    /// A figurative turn that ends in an article (`shoot a`, `executed
    /// the`) is literal when a group or a word for a person follows it:
    /// `shoot a video`, but `shoot a Syrian`, `executed the teacher` (a
    /// capitalised word is as often a thing: `execute the Sicilian`).
    fn opens_on_a_target(&self, s: &Sentence, after: usize) -> bool {
        after > 0
            && matches!(s.lower(after - 1), "a" | "an" | "the")
            && (self.group_at(s, after).is_some() || self.is(s, after, EnClass::PersonNouns))
    }

    /// An act of violence at `at` that is not figurative: a harm, or a
    /// wounding act beside a body part; an act sport talk uses
    /// figuratively (`kill`, `beat`) is none in a sentence about a game.
    fn literal_act(&self, s: &Sentence, at: usize) -> Option<usize> {
        let length = self
            .entry_at(s, at, EnClass::Harm)
            .or_else(|| self.wounding(s, at))
            .or_else(|| self.slang_kill(s, at))?;
        let played = self.is(s, at, EnClass::SportActs) && self.any_at(s, EnClass::Play);
        (!played && !self.figurative(s, at)).then_some(length)
    }

    /// A wounding act (`slit`, `smashed`) with a body part within
    /// [`BODY_WINDOW`] words before or after it.
    fn wounding(&self, s: &Sentence, at: usize) -> Option<usize> {
        let length = self.entry_at(s, at, EnClass::Wounding)?;
        let near = at.saturating_sub(BODY_WINDOW)..(at + length + BODY_WINDOW).min(s.words.len());
        near.into_iter()
            .any(|part| self.is(s, part, EnClass::BodyParts))
            .then_some(length)
    }

    /// Slang for killing (class `slang_kills`) with a third person or a
    /// group right after it, at most past an article or a demonstrative:
    /// `waste the cop`, `cap that inspector`, `smoke her`. Not at the
    /// addressee, as often a race or a game (`I'll smoke you in the
    /// 100m`). A possessive opens a thing (`waste his time`) unless the
    /// sentence ends after it or a time follows (`smoke her already`).
    fn slang_kill(&self, s: &Sentence, at: usize) -> Option<usize> {
        let length = self.entry_at(s, at, EnClass::SlangKills)?;
        let mut object = at + length;
        if matches!(s.lower(object), "the" | "that" | "this" | "those" | "these") {
            object += 1;
        }
        if self.is(s, object, EnClass::SecondPerson) {
            return None;
        }
        let (_, size) = self.target_at(s, object)?;
        let after = object + size;
        let owner = matches!(s.lower(object), "his" | "her" | "their");
        let thing_owned = owner
            && size == 1
            && after < s.words.len()
            && !self.is(s, after, EnClass::Times)
            && !matches!(s.lower(after), "already" | "now" | "first" | "too");
        (!thing_owned).then_some(length)
    }

    /// The first literal act from `from`, within `window` words and before
    /// a negation: where it starts and how many words it takes.
    fn act_within(&self, s: &Sentence, from: usize, window: usize) -> Option<(usize, usize)> {
        let end = (from + window + 1).min(s.words.len());
        (from..end)
            .take_while(|&at| at == from || !self.is(s, at, EnClass::Negation))
            .find_map(|at| Some((at, self.literal_act(s, at)?)))
    }

    /// Who is named at `at`, and how many words the naming takes: a group
    /// (`jews`, `black players`), or a person (`you`, `her`, `the
    /// referee`, a capitalised name inside the sentence).
    fn target_at(&self, s: &Sentence, at: usize) -> Option<(Target, usize)> {
        if at >= s.words.len() {
            return None;
        }
        if let Some(length) = self.group_at(s, at) {
            return Some((Target::Group, length));
        }
        // `The mosquitoes by the lake are insane, exterminate them all`:
        // `them` stands for the pests the sentence named, no person.
        if self.is(s, at, EnClass::GroupPronouns) && self.stands_for_pests(s, at) {
            return None;
        }
        let person = [
            EnClass::SecondPerson,
            EnClass::ThirdPerson,
            EnClass::PersonNouns,
        ]
        .into_iter()
        .find_map(|class| self.entry_at(s, at, class));
        // A month, a weekday or a holiday is written with a capital too
        // (`slaughter the pig in November`): no name.
        // `the Spanish slugs`: a capital before pests names their kind.
        let name = at > 0
            && s.words[at].capitalised
            && !self.is(s, at, EnClass::FirstPerson)
            && !self.is(s, at, EnClass::Times)
            && !self.is(s, at + 1, EnClass::Pests);
        // `the clown who towed my car`, `the next one who tickets my van`:
        // `who` says the word before it is a person.
        let described = s.lower(at + 1) == "who"
            && s.words[at].lower.chars().all(char::is_alphabetic)
            && !self.is(s, at, EnClass::FirstPerson);
        person
            .or((name || described).then_some(1))
            .map(|length| (Target::Person, length))
    }

    /// Whether the sentence names pests (class `pests`) before the pronoun
    /// at `at` and no group or person: `poison them` then speaks of rats,
    /// while `Somalis are rats, poison them` still speaks of people.
    fn stands_for_pests(&self, s: &Sentence, at: usize) -> bool {
        (0..at).any(|before| self.is(s, before, EnClass::Pests))
            && !(0..at).any(|before| self.target_at(s, before).is_some())
    }

    /// A group at `at`: a group word or a slur for one (`trannies`), or
    /// a group adjective before a person word (`gay teacher`, `black
    /// players`).
    fn group_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        if let Some(length) = self
            .entry_at(s, at, EnClass::Groups)
            .or_else(|| self.entry_at(s, at, EnClass::Slurs))
        {
            return Some(length);
        }
        let adjective = self.entry_at(s, at, EnClass::GroupAdjectives)?;
        let person = at + adjective;
        if person >= s.words.len() {
            return None;
        }
        let noun = [EnClass::PersonNouns, EnClass::Groups, EnClass::InsultNouns]
            .into_iter()
            .find_map(|class| self.entry_at(s, person, class))?;
        Some(adjective + noun)
    }

    /// The first-person threat ending at `last` names serious violence
    /// (class `harm`) right before a person (`kill you`, `shoot the
    /// mayor`, `stab her`): not a wounding (`break every bone in your
    /// body`), nor a group, nor loosened by a condition or a report (class
    /// `loosening`: `I'll kill you if you spoil the ending`, `He said: …`).
    fn explicit_at_person(&self, s: &Sentence, last: usize) -> bool {
        if let Some(inside) = self.people_inside_ending(s, last) {
            return !self.loosened(s) && self.serious_act_at_people(s, inside);
        }
        let person = (last.saturating_sub(2)..=last).find(|&at| {
            self.target_at(s, at)
                .is_some_and(|(kind, size)| kind == Target::Person && at + size - 1 == last)
        });
        let Some(person) = person else {
            return false;
        };
        !self.loosened(s)
            && self.ends_the_threat(s, last)
            && (person.saturating_sub(OBJECT_WINDOW)..person).any(|act| {
                self.entry_at(s, act, EnClass::Harm)
                    .is_some_and(|n| act + n <= person && self.serious_act(s, act))
            })
    }

    /// Where the entry of class `inside` that ends a threat at `last`
    /// starts (`… with all of you inside`).
    fn people_inside_ending(&self, s: &Sentence, last: usize) -> Option<usize> {
        (last.saturating_sub(2)..=last).find(|&at| {
            self.entry_at(s, at, EnClass::Inside)
                .is_some_and(|n| at + n - 1 == last)
        })
    }

    /// A serious act within [`FATE_WINDOW`] words before the people kept
    /// inside at `inside`, with them named between (`blow up the office
    /// with all of you inside`): as `bränna ner huset med dig i` in Swedish.
    fn serious_act_at_people(&self, s: &Sentence, inside: usize) -> bool {
        (inside.saturating_sub(FATE_WINDOW)..inside).any(|act| {
            self.entry_at(s, act, EnClass::Harm).is_some()
                && self.serious_act(s, act)
                && (act + 1..inside).any(|at| self.target_at(s, at).is_some())
        })
    }

    /// Nothing but whom it is said to (a capitalised name, a person by
    /// role), when, where on the body or with what weapon follows the
    /// person at `last`: `I will kill you, Anna`, `… you, councillor`, `…
    /// you tonight`, `shoot him in the face`, `run you over with my van`;
    /// and a closing insult after a comma (`…, you corrupt rat`) ends it. Not `shoot you an email`, `kill you with
    /// kindness`, `murder you in Mario Kart`, which a person reads.
    fn ends_the_threat(&self, s: &Sentence, last: usize) -> bool {
        let mut at = last + 1;
        while at < s.words.len() {
            // `…, you corrupt rat`, `… u traitor politician`: the rest
            // calls the addressee names.
            let calls_names =
                s.words[at].clause_start || matches!(s.words[at].lower.as_str(), "you" | "u");
            if calls_names && self.is(s, at, EnClass::SecondPerson) {
                return true;
            }
            let told = self
                .body_part_at(s, at)
                .or_else(|| self.weapon_at(s, at))
                .or_else(|| self.entry_at(s, at, EnClass::Times))
                .or_else(|| self.kin_at(s, at))
                .or_else(|| self.simile_at(s, at))
                .or_else(|| self.setting_at(s, at))
                .or_else(|| handle_at(s, at));
            if let Some(words) = told {
                at += words;
                continue;
            }
            let fits = s.words[at].capitalised
                || self.is(s, at, EnClass::PersonNouns)
                || s.lower(at) == "alive";
            if !fits {
                return false;
            }
            at += 1;
        }
        true
    }

    /// The addressee's kin joined to the threat (`and your whole family`,
    /// `and ur kids`): how many words.
    fn kin_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        if s.lower(at) != "and" || !matches!(s.lower(at + 1), "your" | "ur" | "his" | "her") {
            return None;
        }
        let whole = usize::from(matches!(s.lower(at + 2), "whole" | "entire"));
        self.is(s, at + 2 + whole, EnClass::Kin)
            .then_some(3 + whole)
    }

    /// Where or when the act is to be done, at `at` (how many words): a
    /// word of class `setting_places` and determiners (`in the car park`,
    /// `at their election party`), or of class `setting_times` (`after
    /// the match`, `before school`), then at most [`SETTING_WORDS_MAX`]
    /// words up to the next setting, time or clause. Not where a game or a
    /// contest is won (`in the next round`, `in the debate`: classes `play`
    /// and `contests`), not a place
    /// with no determiner (`in Mario Kart`), not a cause (`in the polls`).
    fn setting_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        let when = self.is(s, at, EnClass::SettingTimes);
        if !when && !self.is(s, at, EnClass::SettingPlaces) || self.is(s, at, EnClass::Causes) {
            return None;
        }
        let determiners = (at + 1..s.words.len())
            .take_while(|&d| self.is(s, d, EnClass::Determiners))
            .count();
        let first_word = at + 1 + determiners;
        let ends_setting = |w: usize| {
            s.words[w].clause_start
                || [
                    EnClass::SettingPlaces,
                    EnClass::SettingTimes,
                    EnClass::Times,
                ]
                .into_iter()
                .any(|class| self.is(s, w, class))
        };
        let end = (first_word..s.words.len())
            .take(SETTING_WORDS_MAX)
            .take_while(|&w| !ends_setting(w))
            .last()?
            + 1;
        let played = [EnClass::Play, EnClass::Contests]
            .into_iter()
            .any(|class| self.is(s, end - 1, class));
        let placed = determiners > 0 && !played;
        (when || placed).then_some(end - at)
    }

    /// How the act is done, as a simile (`like a goat`, `like the pig`):
    /// `like`, an article and one word.
    fn simile_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        (s.lower(at) == "like"
            && matches!(s.lower(at + 1), "a" | "an" | "the")
            && at + 2 < s.words.len())
        .then_some(3)
    }

    /// A weapon at `at`, after `with` or `using` and at most
    /// [`MEANS_LINKS_MAX`] linking words in all (class `means_links`: `with
    /// my van`, `with your own lanyard`): how many words. `with kindness`
    /// names no weapon.
    fn weapon_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        self.means_at(s, at, EnClass::Weapons)
    }

    /// An entry of `class` (`weapons`, `arms`) at `at` after one to
    /// [`MEANS_LINKS_MAX`] linking words (class `means_links`): how many
    /// words in all.
    fn means_at(&self, s: &Sentence, at: usize, class: EnClass) -> Option<usize> {
        let (links, words) =
            self.linked_entry(s, at, EnClass::MeansLinks, MEANS_LINKS_MAX, class)?;
        (links > 0).then_some(words)
    }

    /// A body part at `at`, after at most [`BODY_LINKS_MAX`] linking words
    /// (class `body_links`: `in the face`, `your throat`): how many words.
    fn body_part_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        let (_, words) = self.linked_entry(
            s,
            at,
            EnClass::BodyLinks,
            BODY_LINKS_MAX,
            EnClass::BodyParts,
        )?;
        Some(words)
    }

    /// An entry of `class` at `at` after at most `most` words of `links`:
    /// how many links, and how many words in all.
    fn linked_entry(
        &self,
        s: &Sentence,
        at: usize,
        links: EnClass,
        most: usize,
        class: EnClass,
    ) -> Option<(usize, usize)> {
        let linked = (at..s.words.len())
            .take(most)
            .take_while(|&link| self.is(s, link, links))
            .count();
        Some((linked, linked + self.entry_at(s, at + linked, class)?))
    }

    /// The writer speaks at `at` (class `first_person`), or a plan opens
    /// the sentence with no subject, which is the writer's (`gonna slit
    /// that teacher's throat`).
    fn speaker_at(&self, s: &Sentence, at: usize) -> bool {
        self.is(s, at, EnClass::FirstPerson) || (at == 0 && self.is(s, 0, EnClass::Intent))
    }

    /// The act the writer at `speaker` says they will do: an intent
    /// within [`THREAT_WINDOW`] words (or a plan in the progressive), then
    /// a literal act within [`ACT_WINDOW`]; where it starts and how many
    /// words it takes. Not someone else's act (`I think he will kill her`).
    fn writers_act(&self, s: &Sentence, speaker: usize) -> Option<(usize, usize)> {
        if !self.speaker_at(s, speaker) {
            return None;
        }
        let intent = self
            .next(s, speaker, THREAT_WINDOW, EnClass::Intent)
            .or_else(|| self.progressive_plan(s, speaker))?;
        // `me and my brothers will kill him`: the writer's own company is
        // part of the speaker, no target.
        let speaker_end = speaker + self.entry_at(s, speaker, EnClass::FirstPerson).unwrap_or(1);
        if (speaker_end..intent).any(|at| self.target_at(s, at).is_some()) {
            return None;
        }
        self.act_within(s, intent, ACT_WINDOW)
    }

    fn first_person_threat(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|speaker| {
            let (act, length) = self.writers_act(s, speaker)?;
            // The people inside a building are told after an object break
            // (`blow up the office with all of you inside`).
            let (object, _, size) = self
                .object_of(s, act, length)
                .or_else(|| self.people_inside(s, act + length))?;
            Some((speaker, object + size - 1))
        })
    }

    /// The writer, or a plan with no subject, coming or waiting within
    /// [`THREAT_WINDOW`] words, then `with` and arms within [`ACT_WINDOW`]
    /// words and no negation (`Tomorrow I'll be waiting for him in the car
    /// park with a machete`; not `with my car`: vehicles are no arms); or
    /// bringing arms ([`Self::arms_brought`]) where people are.
    fn armed_visit(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|speaker| {
            if !self.speaker_at(s, speaker) {
                return None;
            }
            if let Some(last) = self.arms_brought(s, speaker) {
                return Some((speaker, last));
            }
            let visit = self.next(s, speaker, THREAT_WINDOW, EnClass::Visits)?;
            self.unnegated(s, visit, ACT_WINDOW).find_map(|with| {
                if s.words[with].lower != "with" {
                    return None;
                }
                let words = self.means_at(s, with, EnClass::Arms)?;
                Some((speaker, with + words - 1))
            })
        })
    }

    /// The last word of the arms the writer at `speaker` brings (class `bring`
    /// within [`THREAT_WINDOW`] words, the arms within two words after it,
    /// no negation) in a sentence that names a place where people are and
    /// a time or the next time (`Next city council meeting I'm bringing a
    /// gun`, `Tomorrow I bring a knife to the parent meeting`; not `a knife
    /// to the picnic`, `I always take my knife to school`), the place first
    /// or last.
    fn arms_brought(&self, s: &Sentence, speaker: usize) -> Option<usize> {
        let bring = self.next(s, speaker, THREAT_WINDOW, EnClass::Bring)?;
        let from = bring + self.entry_at(s, bring, EnClass::Bring)?;
        let arms = self.next(s, from, 2, EnClass::Arms)?;
        let end = arms + self.entry_at(s, arms, EnClass::Arms)?;
        let negated = (speaker..arms).any(|at| self.is(s, at, EnClass::Negation));
        // A plan: a place and a time (not `I always take my knife to school
        // to cut my apples`).
        let planned = self.any_at(s, EnClass::Places)
            && (self.any_at(s, EnClass::Times) || s.words.iter().any(|w| w.lower == "next"));
        (!negated && planned).then_some(end - 1)
    }

    /// The writer's act ([`Self::writers_act`]) aimed at a place where people are
    /// (class `places`) within [`OBJECT_WINDOW`] words after the act and
    /// no negation: the span and whether it is plain (nothing but a
    /// particle, a time or a name after the place, nothing loosening it),
    /// as `il.olaga_hot.destruction_promised` is in Swedish.
    fn place_attack(&self, s: &Sentence) -> Option<(usize, usize, bool)> {
        (0..s.words.len()).find_map(|speaker| {
            let (act, length) = self.writers_act(s, speaker)?;
            let place = self
                .unnegated(s, act + length, OBJECT_WINDOW)
                .find_map(|at| Some(at + self.entry_at(s, at, EnClass::Places)? - 1))?;
            let particle = usize::from(matches!(s.lower(place + 1), "up" | "down"));
            let plain = self.serious_act(s, act)
                && !self.loosened(s)
                && self.ends_the_threat(s, place + particle);
            Some((speaker, place + particle, plain))
        })
    }

    /// Where the act of `im stabbing him` is looked for: after a first
    /// person with `be` (class `progressive`) when an act in `-ing`
    /// follows at once (`I'm shooting him`, not `I'm glad they shot him`).
    fn progressive_plan(&self, s: &Sentence, speaker: usize) -> Option<usize> {
        let after = speaker + self.entry_at(s, speaker, EnClass::Progressive)?;
        let (act, _) = self.act_within(s, after, 1)?;
        s.words[act].lower.ends_with("ing").then_some(after)
    }

    /// An order of violence at a person: a literal act that opens its
    /// clause, then the person within [`OBJECT_WINDOW`] words with no
    /// object break between (`Stab the mayor`, not `shoot me a DM`).
    fn imperative_threat(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|act| {
            if !self.opens_order(s, act) {
                return None;
            }
            let length = self.unnegated_act(s, act)?;
            // `hang yourself` is an urge to self-harm, its own rule.
            if self.is(s, act + length, EnClass::Reflexive) {
                return None;
            }
            let (object, kind, size) = self.object_of(s, act, length)?;
            (kind == Target::Person).then_some((act, object + size - 1))
        })
    }

    /// Whether the word at `at` opens an order: only openers stand before
    /// it in its clause (`just`, `go and`; `Iraqis are rapists, castrate
    /// them`), maybe after a call to act together (class
    /// `collective_calls`: `time to gas them`, `so let's shoot him`), or
    /// an opener joins it to the order the sentence opens with (`Put him
    /// against the wall and shoot him`).
    fn opens_order(&self, s: &Sentence, at: usize) -> bool {
        let clause = clause_of(s, at);
        let openers = |from: usize, to: usize| (from..to).all(|i| self.is(s, i, EnClass::Openers));
        let after_a_call = (clause..at).any(|call| {
            self.entry_at(s, call, EnClass::CollectiveCalls)
                .is_some_and(|n| call + n <= at && openers(clause, call) && openers(call + n, at))
        });
        let openers_only = openers(clause, at) || after_a_call;
        let joined = at > 0
            && self.is(s, at - 1, EnClass::Openers)
            && (self.is(s, 0, EnClass::Dispatch) || self.literal_act(s, 0).is_some());
        openers_only || joined
    }

    /// Whom the act at `act` (of `length` words) is aimed at: the first
    /// target within [`OBJECT_WINDOW`] words after it, or inside it when
    /// the act's words hold it (`run you over`, `set him on fire`).
    /// `drown you in emails`, `bury the mayor in paperwork`: an object then
    /// given plenty of something (class `plenty`) makes the act figurative,
    /// and there is no object; so does a person after an object break
    /// (`shoot some hoops with him`, `kill them before a kid gets stung`).
    fn object_of(&self, s: &Sentence, act: usize, length: usize) -> Option<(usize, Target, usize)> {
        // `kill every last one of them`: how many is not how far.
        let counted = self
            .entry_at(s, act + length, EnClass::Quantifiers)
            .unwrap_or(0);
        let (object, kind, size) = self
            .next_target(s, act + 1, length - 1 + counted + OBJECT_WINDOW)
            .or_else(|| self.owner_of_body_part(s, act + length))?;
        let after = object + size;
        let given_plenty = (after..=after + PLENTY_REACH).any(|at| self.is(s, at, EnClass::Plenty));
        let broken =
            (act + length + counted..object).any(|at| self.is(s, at, EnClass::ObjectBreaks));
        let thing_owned = self.owns_a_thing(s, after - 1);
        (!given_plenty && !broken && !thing_owned).then_some((object, kind, size))
    }

    /// The target ending at `last` is in the genitive and owns what no
    /// act can hurt (class `abstract_things`, within [`OWNED_WINDOW`]
    /// words): `kill the mayor's plan`, `flatten the inspector's whole
    /// argument`; not `torch the mayor's car`, `slit the councillor's
    /// throat`.
    fn owns_a_thing(&self, s: &Sentence, last: usize) -> bool {
        let word = s.lower(last);
        let genitive = word.ends_with("'s") || word.ends_with("’s");
        genitive
            && (last + 1..(last + 1 + OWNED_WINDOW).min(s.words.len()))
                .any(|at| self.is(s, at, EnClass::AbstractThings))
    }

    /// Whose body part the act is done to, when the part comes first:
    /// `smash the head in of the city planner`, `break the legs of that
    /// warden` (a body part within [`OBJECT_WINDOW`] words from `from`,
    /// at most one particle, `of`, then the target within two words).
    fn owner_of_body_part(&self, s: &Sentence, from: usize) -> Option<(usize, Target, usize)> {
        let body = self.next(s, from, OBJECT_WINDOW, EnClass::BodyParts)?;
        let mut of = body + self.entry_at(s, body, EnClass::BodyParts)?;
        if matches!(s.lower(of), "in" | "off" | "out") {
            of += 1;
        }
        (s.lower(of) == "of")
            .then(|| self.next_target(s, of + 1, 2))
            .flatten()
    }

    /// The people inside what an act is aimed at, as its target (class
    /// `inside`, within [`FATE_WINDOW`] words): `blow up the office with
    /// all of you inside`, `bomb it while they're all at their desks`.
    fn people_inside(&self, s: &Sentence, from: usize) -> Option<(usize, Target, usize)> {
        self.unnegated(s, from, FATE_WINDOW).find_map(|at| {
            let size = self.entry_at(s, at, EnClass::Inside)?;
            Some((at, Target::Person, size))
        })
    }

    /// The first target from `from`, within `window` words and before a
    /// negation: where, what and how many words.
    fn next_target(
        &self,
        s: &Sentence,
        from: usize,
        window: usize,
    ) -> Option<(usize, Target, usize)> {
        self.unnegated(s, from, window)
            .find_map(|at| self.target_at(s, at).map(|(kind, size)| (at, kind, size)))
    }

    /// The first target, not negated (`no Muslim deserves …`), followed
    /// by the fate wished on it, when it is of the kind `want`. The first
    /// fated target decides the kind (`every Muslim in Sweden deserves …`
    /// is about Muslims, not about the name `Sweden`), and a target's words
    /// are not read again (`black kids` is a group, not also `kids`).
    fn target_fate(&self, s: &Sentence, want: Target) -> Option<(usize, usize, Fate)> {
        let mut at = 0;
        while at < s.words.len() {
            let Some((kind, size)) = self.target_at(s, at) else {
                at += 1;
                continue;
            };
            let negated = at > 0 && self.is(s, at - 1, EnClass::Negation);
            if !negated && let Some((last, fate)) = self.fate_after(s, at + size, kind) {
                return (kind == want).then_some((at, last, fate));
            }
            at += size;
        }
        None
    }

    /// The last word of a fate wished on a target, within [`FATE_WINDOW`]
    /// words after it: `had it coming`, `is going to die` (not `will die
    /// of embarrassment`: a cause, class `causes`, is no doer); an urge
    /// (`should`, `deserves`) or an imperative that sends (`send … to`) followed by a thing of death
    /// (`a bullet`, `the gas chambers`) or by an act (a person only in the
    /// passive: `should be shot`, not `should burn the plans`); or a thing
    /// of death beside a body part (`a knife in his throat`).
    fn fate_after(&self, s: &Sentence, from: usize, kind: Target) -> Option<(usize, Fate)> {
        let imperative = self.is(s, 0, EnClass::Dispatch);
        let mut urge = imperative.then_some(from);
        for at in self.unnegated(s, from, FATE_WINDOW) {
            if let Some(length) = self.entry_at(s, at, EnClass::Comeuppance)
                && !self.death_unsaid_at(s, at + length)
            {
                // `The only good muslim is a dead muslim`: the old formula
                // says the group deserves death, no turn of phrase.
                let fate = if self.good_only(s, from) {
                    Fate::Doom
                } else {
                    Fate::Comeuppance
                };
                return Some((at + length - 1, fate));
            }
            if let Some(length) = self.doom_at(s, at) {
                let end = at + length;
                if self.next(s, end, BODY_WINDOW, EnClass::BodyParts).is_some() {
                    return Some((end - 1, Fate::Doom));
                }
            }
            if let Some(last) = self.injury_received(s, at) {
                return Some((last, Fate::Doom));
            }
            if urge.is_none() && self.is(s, at, EnClass::Urge) {
                urge = Some(at);
            }
        }
        self.urged_fate(s, urge?, kind)
    }

    /// `will get his head smashed in`, `gets their legs broken`: `get`,
    /// a body part within [`BODY_WINDOW`] words, then a wounding or a harm
    /// right after it; or `get` and arms, then a body part within
    /// [`BODY_WINDOW`] words (`gets a hammer to the skull`, `is getting a
    /// knife in the gut`); the last word of the injury.
    fn injury_received(&self, s: &Sentence, at: usize) -> Option<usize> {
        if !matches!(s.lower(at), "get" | "gets" | "getting") {
            return None;
        }
        if let Some(arms) = self.next(s, at + 1, 2, EnClass::Arms) {
            let end = arms + self.entry_at(s, arms, EnClass::Arms).unwrap_or(1);
            if let Some(body) = self.next(s, end, BODY_WINDOW, EnClass::BodyParts) {
                return Some(body + self.entry_at(s, body, EnClass::BodyParts).unwrap_or(1) - 1);
            }
        }
        let body = self.next(s, at + 1, BODY_WINDOW, EnClass::BodyParts)?;
        let injury = body + self.entry_at(s, body, EnClass::BodyParts).unwrap_or(1);
        let length = self
            .entry_at(s, injury, EnClass::Wounding)
            .or_else(|| self.entry_at(s, injury, EnClass::Harm))?;
        Some(injury + length - 1)
    }

    /// `only good` before the target that ends before word `after` (`the
    /// only good muslim`): the formula that a people is good only dead.
    fn good_only(&self, s: &Sentence, after: usize) -> bool {
        (0..after.saturating_sub(2)).any(|at| s.lower(at) == "only" && s.lower(at + 1) == "good")
    }

    /// A thing of death at `at` that is not figurative (`a bullet`, not
    /// `a bullet point`).
    fn doom_at(&self, s: &Sentence, at: usize) -> Option<usize> {
        let length = self.entry_at(s, at, EnClass::Doom)?;
        (!self.figurative(s, at + length - 1)).then_some(length)
    }

    /// After an urge, within [`FATE_WINDOW`] words: a thing of death, or
    /// an act (for a person, only after `be`/`get`).
    fn urged_fate(&self, s: &Sentence, urge: usize, kind: Target) -> Option<(usize, Fate)> {
        let mut passive = kind == Target::Group || self.is(s, 0, EnClass::Dispatch);
        for at in self.unnegated(s, urge, FATE_WINDOW) {
            passive |= self.is(s, at, EnClass::Passive);
            if let Some(length) = self.doom_at(s, at) {
                return Some((at + length - 1, Fate::Doom));
            }
            if let Some(length) = passive.then(|| self.literal_act(s, at)).flatten() {
                let fate = if self.serious_act(s, at) {
                    Fate::Act
                } else {
                    Fate::Doom
                };
                return Some((at + length - 1, fate));
            }
        }
        None
    }

    /// Footage of a literal act, or an attack, with praise in the same
    /// sentence; never about a game (`this video game where you kill …`).
    fn violence_praised(&self, s: &Sentence) -> Option<(usize, usize)> {
        if self.any_at(s, EnClass::Play) {
            return None;
        }
        let praise = (0..s.words.len()).find_map(|at| {
            let length = self.entry_at(s, at, EnClass::Praise)?;
            let negated = at > 0 && self.is(s, at - 1, EnClass::Negation);
            (!negated).then_some((at, at + length - 1))
        })?;
        let footage_of_act = self.any_at(s, EnClass::Footage)
            && (0..s.words.len()).any(|at| self.unnegated_act(s, at).is_some());
        let shown = (0..s.words.len()).find(|&at| {
            (footage_of_act && self.is(s, at, EnClass::Footage))
                || (self.is(s, at, EnClass::Attacks) && !self.figurative(s, at))
        })?;
        Some((shown.min(praise.0), shown.max(praise.1)))
    }

    /// Footage of an attack or of a literal act, and an offer of it, in
    /// one sentence; never about a game.
    fn footage_offered(&self, s: &Sentence) -> Option<(usize, usize)> {
        if self.any_at(s, EnClass::Play) {
            return None;
        }
        let footage = (0..s.words.len()).find(|&at| self.is(s, at, EnClass::Footage))?;
        let violent = (0..s.words.len()).any(|at| {
            (self.is(s, at, EnClass::Attacks) && !self.figurative(s, at))
                || self.unnegated_act(s, at).is_some()
        });
        let (offer, last) = self.phrase(s, EnClass::Offers)?;
        violent.then_some((footage.min(offer), footage.max(last)))
    }

    /// A veiled threat as a set phrase (class `threat_phrases`), unless a
    /// cause follows it.
    fn veiled_phrase(&self, s: &Sentence) -> Option<(usize, usize)> {
        self.phrase(s, EnClass::ThreatPhrases)
            .filter(|&(_, last)| !self.is(s, last + 1, EnClass::Causes))
    }

    /// Death promised (class `death_promised`), unless what follows unsays
    /// it ([`Self::death_unsaid_at`]).
    fn death_promised(&self, s: &Sentence) -> Option<(usize, usize)> {
        self.phrase(s, EnClass::DeathPromised)
            .filter(|&(_, last)| !self.death_unsaid_at(s, last + 1))
    }

    /// What follows a death at `at` makes it no threat: a cause (`you're
    /// going to die laughing`, `will die of embarrassment`, class `causes`)
    /// or an idiom (`you're dead to me`, `dead wrong`, `you will die one
    /// day`, class `death_idioms`).
    fn death_unsaid_at(&self, s: &Sentence, at: usize) -> bool {
        self.is(s, at, EnClass::Causes) || self.is(s, at, EnClass::DeathIdioms)
    }

    /// The sentence is a condition or passes on words (class `loosening`:
    /// `if`, `unless`, `said`): `if mum finds out, you're dead` is a
    /// warning as often as a threat.
    fn loosened(&self, s: &Sentence) -> bool {
        self.any_at(s, EnClass::Loosening)
    }

    /// Any entry of `class` (phrases and slurs).
    fn phrase(&self, s: &Sentence, class: EnClass) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|at| {
            let length = self.entry_at(s, at, class)?;
            let negated = at > 0 && self.is(s, at - 1, EnClass::Negation);
            (!negated).then_some((at, at + length - 1))
        })
    }

    /// Whether the entry at `first..=last` is a Swedish homograph (class
    /// `swedish_homographs`) with a Swedish object right after it: then it
    /// is the Swedish verb (`kys din fru från mig`, a kiss spelt with one
    /// s), not the English word, which takes no object.
    fn swedish_verb(&self, s: &Sentence, first: usize, last: usize) -> bool {
        self.entry_at(s, first, EnClass::SwedishHomographs) == Some(last - first + 1)
            && self.is(s, last + 1, EnClass::SwedishObjects)
    }

    /// The first slur, not negated, that the writer does not call
    /// themself: `I'm a fat old faggot and I've walked in every Pride` is
    /// a reclaimed word, self-identification, and lawful.
    fn slur_aimed(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|at| {
            let length = self.entry_at(s, at, EnClass::Slurs)?;
            let negated = at > 0 && self.is(s, at - 1, EnClass::Negation);
            (!negated && !self.names_the_writer(s, at)).then_some((at, at + length - 1))
        })
    }

    /// Whether the writer names themself (class `self_naming`: `I'm a`,
    /// `as a`) ending within [`SELF_NAMING_REACH`] words before `at`, with
    /// no person, group, break (`and`, `my`) or new clause between: `I'm a
    /// teacher and those …` named the writer a teacher, not what follows.
    fn names_the_writer(&self, s: &Sentence, at: usize) -> bool {
        (0..at).any(|from| {
            self.entry_at(s, from, EnClass::SelfNaming)
                .is_some_and(|length| {
                    let end = from + length;
                    end <= at
                        && at - end <= SELF_NAMING_REACH
                        && (end..at).all(|between| {
                            !s.words[between].clause_start
                                && !self.is(s, between, EnClass::ObjectBreaks)
                                && self.target_at(s, between).is_none()
                        })
                })
        })
    }

    /// A literal act at `at` with no negation in the two words before it
    /// (`nobody gets hurt`).
    fn unnegated_act(&self, s: &Sentence, at: usize) -> Option<usize> {
        let length = self.literal_act(s, at)?;
        let negated =
            (at.saturating_sub(2)..at).any(|before| self.is(s, before, EnClass::Negation));
        (!negated).then_some(length)
    }

    /// A verb of saying or writing (class `reporting`) before the end of
    /// the words `first..=last`, in their clause, with a subject of its
    /// own that is not the writer: `Some people say gays should be
    /// stoned`, `Trolls keep writing that refugees should drown`. Not a
    /// relative clause that tells who is meant (`the journalist who wrote
    /// this should be shot`), nor words that speak to the reader (`he said
    /// he'll kill you`: a threat relayed). Direct speech may open right
    /// after the verb (`He shouted: kill all the jews!`).
    fn someone_else_says(&self, s: &Sentence, first: usize, last: usize) -> bool {
        let to_the_reader = (first..=last).any(|at| self.is(s, at, EnClass::SecondPerson));
        !to_the_reader
            && (1..last)
                .filter(|&verb| self.is(s, verb, EnClass::Reporting))
                .any(|verb| {
                    let clause = clause_of(s, verb);
                    let relative = matches!(s.lower(verb - 1), "who" | "which" | "that");
                    !relative
                        && clause < verb
                        && !(clause..verb).any(|at| self.is(s, at, EnClass::FirstPerson))
                        // `He shouted: kill all the jews`: the speech opens
                        // right after its verb.
                        && !(verb + 2..=last).any(|at| s.words[at].clause_start)
                })
    }

    /// The act at `act` is told of someone other than the writer: done (a
    /// past: `the Nazis gassed the Jews`, `they burned the jews`) or
    /// wanted by them (class `others_wants`: `ISIS wants to kill all
    /// christians`), with a subject of its own in its clause. History,
    /// news or an accusation, not a call; the writer's own (`I shot those
    /// gypsies`, `we want to kill them`) is a narrative or an intent a
    /// person reads, and a passive (`should be shot`) a fate.
    fn told_of_others(&self, s: &Sentence, act: usize) -> bool {
        let wanted = (act.saturating_sub(OTHERS_WANT_REACH)..act).find(|&at| {
            self.entry_at(s, at, EnClass::OthersWants)
                .is_some_and(|length| at + length == act)
        });
        let verb = s.lower(act);
        let past = verb.ends_with("ed") || self.is(s, act, EnClass::PastForms);
        let told = match wanted {
            Some(at) => at,
            None if past => act,
            None => return false,
        };
        let clause = clause_of(s, told);
        // `should be lined up and shot`: a passive is a fate, not a deed.
        clause < told
            && !(clause..told).any(|at| {
                self.is(s, at, EnClass::FirstPerson)
                    || self.is(s, at, EnClass::CollectiveCalls)
                    || self.is(s, at, EnClass::Passive)
            })
    }

    /// A literal act followed within `window` words by an entry of `class`,
    /// with no negation before the act.
    fn act_then(&self, s: &Sentence, class: EnClass, window: usize) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|act| {
            let length = self.unnegated_act(s, act)?;
            let target = self.next(s, act + length, window, class)?;
            Some((act, target))
        })
    }

    /// A literal act with no negation before it, followed within
    /// [`GROUP_WINDOW`] words by a group (`kill all the jews`, `break the
    /// legs of every gay couple`).
    fn act_at_group(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|act| {
            let length = self.unnegated_act(s, act)?;
            if self.told_of_others(s, act) {
                return None;
            }
            self.unnegated(s, act + length, GROUP_WINDOW)
                .find_map(|at| Some((act, at + self.group_at(s, at)? - 1)))
        })
    }

    /// A wish (class `wishes`), then within [`FATE_WINDOW`] words and no
    /// negation a target of the kind `want` and a misfortune after it
    /// (class `misfortunes`): `hope your house burns down with you in
    /// it`. A misfortune in a relative clause describes (`I hope the
    /// refugees who drown get a burial`).
    fn wished_fate(&self, s: &Sentence, want: Target) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|wish| {
            let after = wish + self.entry_at(s, wish, EnClass::Wishes)?;
            let window = self.unnegated(s, after, FATE_WINDOW);
            let (target, kind, size) = window
                .clone()
                .find_map(|at| self.target_at(s, at).map(|(kind, size)| (at, kind, size)))?;
            let misfortune =
                (target + size..window.end).find(|&at| self.is(s, at, EnClass::Misfortunes))?;
            let described = self.is(s, misfortune - 1, EnClass::Relatives);
            let length = self.entry_at(s, misfortune, EnClass::Misfortunes)?;
            (kind == want && !described).then_some((wish, misfortune + length - 1))
        })
    }

    /// An expelling act (class `expel`) with a group within
    /// [`GROUP_WINDOW`] words after it (`deport every last Arab`), or a
    /// group told to leave at the end of its sentence (class `begone`:
    /// `Syrians out`, `muslims go home`, `every non-white out of
    /// Stockholm`; not `Muslims out celebrating`).
    fn expulsion(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|at| {
            if let Some(length) = self.entry_at(s, at, EnClass::Expel) {
                let negated = at > 0 && self.is(s, at - 1, EnClass::Negation);
                return self
                    .unnegated(s, at + length, GROUP_WINDOW)
                    .find_map(|group| Some((at, group + self.group_at(s, group)? - 1)))
                    .filter(|_| !negated);
            }
            let after = at + self.group_at(s, at)?;
            let length = self.entry_at(s, after, EnClass::Begone)?;
            // What may follow is only where to leave (`out of Stockholm`).
            let last = after + length - 1;
            let ends = (last + 1..s.words.len()).all(|place| s.words[place].capitalised);
            ends.then_some((at, last))
        })
    }

    /// A literal act at a word that points back at a group the comment
    /// named (class `group_pronouns`: `them`, `every last one of them`) or
    /// calls it vermin (`gas the animals`), within [`OBJECT_WINDOW`] words.
    fn act_at_named_group(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|act| {
            let length = self.unnegated_act(s, act)?;
            self.unnegated(s, act + 1, length - 1 + OBJECT_WINDOW)
                .find_map(|at| {
                    let size = self
                        .entry_at(s, at, EnClass::GroupPronouns)
                        .or_else(|| self.entry_at(s, at, EnClass::Dehumanising))?;
                    Some((act, at + size - 1))
                })
        })
    }

    /// A question that is a call (class `question_calls`) opening its
    /// clause, then, past openers (`just`), a literal act at a target of
    /// the kind `want`: `why doesn't someone shoot the mayor`, `why not
    /// just gas them all`. The question's own `not` negates nothing. Not
    /// an act on oneself (`why don't you kill yourself`: the self-harm
    /// rule's), nor a question about what was done (`why did they shoot
    /// him`, not listed).
    fn question_call(&self, s: &Sentence, want: Target) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|ask| {
            let length = self.entry_at(s, ask, EnClass::QuestionCalls)?;
            if !self.opens_order(s, ask) {
                return None;
            }
            let act =
                (ask + length..s.words.len()).find(|&at| !self.is(s, at, EnClass::Openers))?;
            let act_length = self.literal_act(s, act)?;
            if self.is(s, act + act_length, EnClass::Reflexive) {
                return None;
            }
            let (object, kind, size) = self.object_of(s, act, act_length)?;
            (kind == want).then_some((ask, object + size - 1))
        })
    }

    fn unnamed_call(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|who| {
            if !self.is(s, who, EnClass::Unnamed) {
                return None;
            }
            if let Some(urge) = self.next(s, who + 1, 2, EnClass::Urge) {
                let (act, length) = self.act_within(s, urge, THREAT_WINDOW - 1)?;
                return Some((who, act + length - 1));
            }
            // `I hope someone shoots the bus driver`: wished, the act
            // right after, and whom it is done to.
            let wished = who > 0 && self.is(s, who - 1, EnClass::Wishes);
            let (act, length) = wished.then(|| self.act_within(s, who + 1, 0)).flatten()?;
            let (object, _, size) = self.object_of(s, act, length)?;
            Some((who - 1, object + size - 1))
        })
    }

    /// Evidence ([`Shape::ViolenceAimed`]): a literal act that is willed
    /// (an order, or an intent or an urge within [`THREAT_WINDOW`] words
    /// before it with no negation between) aimed at a target of kind
    /// `want`: its object (`we kill him`), or the subject the intent or
    /// urge follows, within [`ACT_WINDOW`] words before the act (`every
    /// Kurd in this city should hang`). Not an act on oneself (`hang
    /// yourself`: its own rule).
    fn violence_aimed(&self, s: &Sentence, want: Target) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|act| {
            let length = self.literal_act(s, act)?;
            if !self.willed(s, act) || self.is(s, act + length, EnClass::Reflexive) {
                return None;
            }
            match self.object_of(s, act, length) {
                Some((object, kind, size)) if kind == want => Some((act, object + size - 1)),
                Some(_) => None,
                None => self
                    .subject_willing(s, act, want)
                    .map(|subject| (subject, act + length - 1)),
            }
        })
    }

    /// A target of kind `want` before the act at `act`, within
    /// [`ACT_WINDOW`] words, with an intent or an urge between them: the
    /// subject of `should hang`, `will burn`.
    fn subject_willing(&self, s: &Sentence, act: usize, want: Target) -> Option<usize> {
        (act.saturating_sub(ACT_WINDOW)..act).find(|&at| {
            self.target_at(s, at).is_some_and(|(kind, size)| {
                kind == want && (at + size..act).any(|between| self.wants(s, between))
            })
        })
    }

    /// The act at `act` is willed: an order, the writer's bare present, or
    /// an intent or an urge within [`THREAT_WINDOW`] words before it and
    /// no negation between.
    fn willed(&self, s: &Sentence, act: usize) -> bool {
        let wanted = (act.saturating_sub(THREAT_WINDOW)..act)
            .rev()
            .take_while(|&at| !self.is(s, at, EnClass::Negation))
            .any(|at| self.wants(s, at));
        wanted || self.opens_order(s, act) || self.writers_present(s, act)
    }

    /// The writer's act in the bare present, which many writing English
    /// as a second language use for what they will do: `one more tax rise
    /// and I put a bullet in you`, `we find this teacher and we kill him`
    /// (`I` or `we` right before a verb with no ending of the past, the
    /// third person or the progressive, and not a past of class
    /// `past_forms`: `I broke his jaw` is told).
    fn writers_present(&self, s: &Sentence, act: usize) -> bool {
        let verb = s.lower(act);
        act > 0
            && matches!(s.lower(act - 1), "i" | "we")
            && !["ed", "s", "ing"]
                .iter()
                .any(|ending| verb.ends_with(ending))
            && !self.is(s, act, EnClass::PastForms)
    }

    /// An intent or an urge starts at `at` (`will`, `gonna`, `should`).
    fn wants(&self, s: &Sentence, at: usize) -> bool {
        self.is(s, at, EnClass::Intent) || self.is(s, at, EnClass::Urge)
    }

    /// A genocide (class `genocides`) right after a call for it or before
    /// its coming (class `calls_for`, at most one word between): `we need a
    /// final solution`, `day of the rope is coming for …`. From the first
    /// word to the last of both.
    fn genocide_called(&self, s: &Sentence) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|at| {
            let length = self.entry_at(s, at, EnClass::Genocides)?;
            let end = at + length;
            let before =
                (at.saturating_sub(GENOCIDE_CALL_WINDOW + CALL_WORDS_MAX)..at).find(|&call| {
                    self.entry_at(s, call, EnClass::CallsFor)
                        .is_some_and(|n| call + n + GENOCIDE_CALL_WINDOW > at)
                });
            match before {
                Some(call) => Some((call, end - 1)),
                None => {
                    let after = self.next(s, end, GENOCIDE_CALL_WINDOW, EnClass::CallsFor)?;
                    let n = self.entry_at(s, after, EnClass::CallsFor)?;
                    Some((at, after + n - 1))
                }
            }
        })
    }

    /// A group, or a pronoun for the group the comment named, called what
    /// makes it less than human (class `dehumanising`): the group to the name.
    fn dehumanising(
        &self,
        s: &Sentence,
        names_group: &LazyCell<bool, impl FnOnce() -> bool>,
    ) -> Option<(usize, usize)> {
        (0..s.words.len()).find_map(|group| {
            // `Jews aren't white, they're a parasite race`: the group named.
            if let Some(length) = self.entry_at(s, group, EnClass::GroupSubjects)
                && LazyCell::force(names_group).to_owned()
            {
                let name = self.next(s, group + length, GROUP_WINDOW, EnClass::Dehumanising)?;
                return Some((group, name));
            }
            let length = self.entry_at(s, group, EnClass::Groups)?;
            let after = group + length;
            // `Immigrants = rats`: the sign is no word, the name follows.
            let name = if self.is(s, after, EnClass::Dehumanising) {
                after
            } else {
                let copula = self.next(s, after, 1, EnClass::Copula)?;
                self.next(s, copula + 1, GROUP_WINDOW, EnClass::Dehumanising)?
            };
            Some((group, name))
        })
    }
}

/// The words of `text[body]`, each marked when it stands inside quotation
/// marks (a quoted word is someone else's, not the writer's).
fn sentence_words(text: &str, body: Range<usize>) -> Sentence {
    let mut words = Vec::new();
    let mut quoted = Vec::new();
    let mut inside_quotes = false;
    let mut start = None;
    let slice = &text[body.clone()];
    for (offset, c) in slice
        .char_indices()
        .chain(std::iter::once((slice.len(), ' ')))
    {
        if is_word_char(c) {
            start.get_or_insert(offset);
            continue;
        }
        if let Some(from) = start.take() {
            push_word(
                &mut words,
                &mut quoted,
                slice,
                from..offset,
                body.start,
                inside_quotes,
            );
        }
        if matches!(c, '"' | '“' | '”' | '«' | '»') {
            inside_quotes = !inside_quotes;
        }
    }
    join_spaced_letters(slice, body.start, &mut words, &mut quoted);
    mark_single_quoted(slice, body.start, &words, &mut quoted);
    Sentence {
        words,
        quoted,
        tags: Vec::new(),
    }
}

/// Joins a word spelt out in letters one space apart (`r a g h e a d s`,
/// `s o m a l i   r a t s`: a wider gap ends the word), written so to slip
/// past filters, into the word it spells: a run of [`SPACED_LETTERS_MIN`]
/// single letters or more, which ordinary English never writes.
fn join_spaced_letters(slice: &str, base: usize, words: &mut Vec<Word>, quoted: &mut Vec<bool>) {
    let one_letter = |word: &Word| {
        let mut chars = word.lower.chars();
        chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
    };
    let one_space_after =
        |word: &Word, next: &Word| &slice[word.span.end - base..next.span.start - base] == " ";
    // Most sentences spell nothing out: they are left as they are.
    if !words
        .windows(SPACED_LETTERS_MIN)
        .any(|run| run.iter().all(one_letter))
    {
        return;
    }
    let mut joined = Vec::with_capacity(words.len());
    let mut joined_quoted = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let mut end = at + 1;
        while end < words.len()
            && one_letter(&words[end - 1])
            && one_letter(&words[end])
            && one_space_after(&words[end - 1], &words[end])
        {
            end += 1;
        }
        if end - at >= SPACED_LETTERS_MIN {
            joined.push(Word {
                span: words[at].span.start..words[end - 1].span.end,
                lower: words[at..end].iter().map(|w| w.lower.as_str()).collect(),
                capitalised: false,
                clause_start: words[at].clause_start,
            });
            joined_quoted.push(quoted[at]);
        } else {
            joined.extend(words[at..end].iter().cloned());
            joined_quoted.extend_from_slice(&quoted[at..end]);
        }
        at = end;
    }
    *words = joined;
    *quoted = joined_quoted;
}

/// Marks the words between single quotation marks as quoted (`calling
/// immigrants 'vermin'`): a word written with a quote before it opens,
/// and the first word from there written with one after it closes. An
/// apostrophe no later word closes (`kill 'em all`) quotes nothing.
fn mark_single_quoted(slice: &str, base: usize, words: &[Word], quoted: &mut [bool]) {
    let is_quote = |c: char| matches!(c, '\'' | '‘' | '’');
    let before = |word: &Word| {
        slice[..word.span.start - base]
            .chars()
            .next_back()
            .is_some_and(is_quote)
    };
    let after = |word: &Word| {
        slice[word.span.end - base..]
            .chars()
            .next()
            .is_some_and(is_quote)
    };
    let mut at = 0;
    while at < words.len() {
        let close = before(&words[at])
            .then(|| (at..words.len()).find(|&end| after(&words[end])))
            .flatten();
        match close {
            Some(end) => {
                quoted[at..=end].fill(true);
                at = end + 1;
            }
            None => at += 1,
        }
    }
}

fn push_word(
    words: &mut Vec<Word>,
    quoted: &mut Vec<bool>,
    slice: &str,
    range: Range<usize>,
    base: usize,
    inside_quotes: bool,
) {
    let raw = &slice[range.clone()];
    let trimmed = raw.trim_matches(|c| matches!(c, '\'' | '‘' | '’'));
    if trimmed.is_empty() {
        return;
    }
    let lead = raw.len() - raw.trim_start_matches(['\'', '‘', '’']).len();
    let start = base + range.start + lead;
    let before = slice[..range.start + lead].trim_end();
    words.push(Word {
        span: start..start + trimmed.len(),
        lower: trimmed.to_lowercase().replace('’', "'"),
        capitalised: is_capitalised(trimmed),
        clause_start: before.ends_with([',', ';', ':', '–', '—']),
    });
    quoted.push(inside_quotes);
}

/// Whether a word is written as a name is: a capital, then not only
/// capitals (`Karlsson`, not `CD` or `SVT`, which are things and
/// channels as often as people).
fn is_capitalised(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    letters.next().is_some_and(char::is_uppercase) && letters.any(char::is_lowercase)
}

/// An @handle at `at` (`@emma.nyberg`): how many words it takes, the
/// parts joined by one character (`.`, written between words) included.
fn handle_at(s: &Sentence, at: usize) -> Option<usize> {
    if !s.lower(at).starts_with('@') {
        return None;
    }
    let joined = s.words[at + 1..]
        .iter()
        .zip(&s.words[at..])
        .take_while(|(next, previous)| next.span.start == previous.span.end + 1)
        .count();
    Some(1 + joined)
}

/// Letters, digits, apostrophes inside words and the characters people
/// mask letters with.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '‘' | '’' | '*' | '@' | '$' | '-' | '_')
}

/// Whether a word of a comment is an entry word: the same, or the same
/// with masked letters (`*`, `_`, `-` for one or two letters; `@`, `4` for
/// `a`, `3` for `e`, `1` for `i`, `0` for `o`, `$` and `5` for `s`), with
/// at least half the letters of the entry left unmasked.
fn spelled_as(word: &str, entry: &str) -> bool {
    if word == entry {
        return true;
    }
    if !has_mask(word) {
        return false;
    }
    let word: Vec<char> = word.chars().map(unleet).collect();
    let entry: Vec<char> = entry.chars().collect();
    let kept = word.iter().filter(|c| **c != '*').count();
    kept * 2 >= entry.len() && masked_match(&word, &entry)
}

/// Whether a word holds a character that masks or replaces a letter, and
/// a letter: `2015` is a number, not a masked word.
fn has_mask(word: &str) -> bool {
    word.chars().any(|c| "*_-@$01345".contains(c)) && word.chars().any(char::is_alphabetic)
}

fn unleet(c: char) -> char {
    match c {
        '@' | '4' => 'a',
        '3' => 'e',
        '1' => 'i',
        '0' => 'o',
        '$' | '5' => 's',
        '_' | '-' => '*',
        other => other,
    }
}

/// `*` stands for one or two letters; every other character must match.
fn masked_match(word: &[char], entry: &[char]) -> bool {
    match (word.first(), entry.first()) {
        (None, None) => true,
        (Some('*'), _) => {
            (1..=2).any(|n| n <= entry.len() && masked_match(&word[1..], &entry[n..]))
        }
        (Some(w), Some(e)) => w == e && masked_match(&word[1..], &entry[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule that fired on `text`, evidence for the confirming model
    /// included.
    fn all_rules_fired(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        EnglishDetector::default().detect(text, &mut out);
        out.into_iter().map(|f| f.rule).collect()
    }

    /// The rules that fired on `text` whose findings stand without a
    /// confirming model (evidence, dropped unconfirmed, left out).
    fn rules_fired(text: &str) -> Vec<String> {
        let mut fired = all_rules_fired(text);
        fired.retain(|rule| !needs_model(rule));
        fired
    }

    #[test]
    fn the_embedded_classes_compile() {
        let classes = EnglishClasses::parse_embedded().unwrap();
        for class in EnClass::ALL {
            assert!(!classes.of(*class).is_empty(), "{}", class.name());
        }
    }

    const HEADER: &str = "# source: written for kommentarsvakt\n# licence: EUPL-1.2\n";

    fn city_folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join(EN_CLASSES_FOLDER);
        std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
        for (name, body) in files {
            std::fs::write(folder.join(name), body).unwrap_or_else(|e| panic!("{e}"));
        }
        dir
    }

    fn rules_with(classes: EnglishClasses, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        EnglishDetector::with_classes(Arc::new(classes)).detect(text, &mut out);
        out.into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_city_english_list_adds_to_the_builtin_one_unless_it_replaces_it() {
        // The city adds a local slur for a group; the built-in slurs stay.
        let dir = city_folder(&[
            ("slurs.txt", &format!("{HEADER}blorks\tlocal slur\n")),
            (
                "groups.txt",
                &format!("{HEADER}# mode: replace\nmartians\tonly this\n"),
            ),
        ]);
        let classes = EnglishClasses::with_overlay(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let builtin_slurs = EnglishClasses::builtin().of(EnClass::Slurs).len();
        assert_eq!(classes.of(EnClass::Slurs).len(), builtin_slurs + 1);
        assert!(
            classes
                .of(EnClass::Slurs)
                .contains(&vec!["blorks".to_owned()])
        );
        assert_eq!(classes.of(EnClass::Groups), [vec!["martians".to_owned()]]);
        // A class the folder lacks stays the built-in one.
        assert_eq!(
            classes.of(EnClass::Harm),
            EnglishClasses::builtin().of(EnClass::Harm)
        );
        // And the detector acts on the city's words.
        assert!(
            rules_with(classes, "the martians are rats").contains(&"en.hets.dehumanising".into()),
            "the city's group is read"
        );
        let builtin = EnglishClasses::parse_embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !rules_with(builtin, "the martians are rats").contains(&"en.hets.dehumanising".into())
        );
    }

    #[test]
    fn a_city_english_file_that_names_no_class_is_refused_by_its_path() {
        let dir = city_folder(&[("slrus.txt", &format!("{HEADER}blorks\n"))]);
        let error = EnglishClasses::with_overlay(dir.path())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("slrus.txt") && error.contains("unknown"),
            "{error}"
        );
        let dir = city_folder(&[("slurs.txt", "blorks\n")]);
        let error = EnglishClasses::with_overlay(dir.path())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(error.contains("slurs.txt"), "no provenance header: {error}");
    }

    #[test]
    fn a_class_without_provenance_is_refused() {
        let error = parse_class("en/classes/x.txt", "kill\n").unwrap_err();
        assert!(error.to_string().contains("en/classes/x.txt"), "{error}");
    }

    #[test]
    fn masked_letters_match_one_or_two_letters() {
        assert!(spelled_as("n*ggers", "niggers"));
        assert!(spelled_as("s*ndn*ggers", "sandniggers"));
        assert!(spelled_as("f@ggot", "faggot"));
        assert!(spelled_as("k1ke", "kike"));
        assert!(!spelled_as("n*ggers", "nuggets"));
        assert!(!spelled_as("***", "kike"));
        assert!(!spelled_as("bigger", "nigger"));
    }

    /// Every rule has a positive and a negative example here.
    #[test]
    fn every_rule_fires_on_its_example_and_not_on_its_counter_example() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "en.hot.explicit_violence",
                "I am going to find you and kill you",
                "I'll shoot you an email tomorrow",
            ),
            (
                "en.hot.first_person",
                "I am going to find you and kill you",
                "I could kill for a coffee right now",
            ),
            (
                "en.hot.deserves",
                "The minister who opened our borders deserves a bullet between the eyes",
                "The minister deserves a raise for this budget",
            ),
            (
                "en.valdsskildring.praise",
                "Watch this clip of the ticket inspector getting stomped, hilarious",
                "The clip of the ticket inspector getting stomped is horrible",
            ),
            (
                "en.hot.phrase",
                "we know where you live. your family is next",
                "Do you know where the new stop will be?",
            ),
            (
                "en.hot.death_promised",
                "ur dead @inspector_kalle",
                "you're dead to me, Kalle",
            ),
            (
                "en.hot.self_harm",
                "just go kill yourself already",
                "Be kind to yourself this winter",
            ),
            (
                "en.hot.armed_visit",
                "Tomorrow I'll be waiting for him in the car park with a machete",
                "Tomorrow I'll be waiting for him in the car park with my car",
            ),
            (
                "en.hot.unnamed_call",
                "Someone should put a bullet in the mayor's head",
                "Someone should fix the potholes on this street",
            ),
            (
                "en.hot.question_call",
                "Why doesn't someone just shoot the mayor?",
                "Why did the police shoot the man on the bridge?",
            ),
            (
                "en.hets.question_call",
                "why not gas all the jews",
                "why not help all the refugees",
            ),
            (
                "en.hets.violence",
                "kill all the jews in this city",
                "The police are investigating the killing of two refugees, this is awful",
            ),
            (
                "en.hets.deserves",
                "Muslims deserve to be exterminated",
                "Muslims deserve the same respect as everyone else",
            ),
            (
                "en.hets.expulsion",
                "Deport every last Arab, they can't be integrated",
                "Deport the convicted gang leaders, whatever their passport",
            ),
            (
                "en.hets.dehumanising",
                "immigrants are just rats",
                "immigrants are just people trying to get by",
            ),
            (
                "en.hot.imperative",
                "Stab the mayor. Stab him.",
                "Shoot me a DM when the library opens",
            ),
            (
                "en.hot.wish",
                "I hope the mayor gets cancer and dies slowly",
                "I hope the mayor gets the new bus line done",
            ),
            (
                "en.hets.wish",
                "I hope every migrant boat in the Mediterranean sinks",
                "I hope the refugees who drown at sea get a proper burial",
            ),
            (
                "en.valdsskildring.offer",
                "Got the Christchurch livestream in HD, who wants it?",
                "Who wants the video of the Lucia concert?",
            ),
            (
                "en.hets.slur",
                "Send all the n*ggers back to Africa",
                "Being called the n-word at school was awful",
            ),
            (
                "en.hets.genocide",
                "we need a final solution for the Somali problem",
                "we need a solution for the bus problem in Järva",
            ),
            (
                "en.hot.place_attack",
                "I'm going to shoot up the school tomorrow",
                "We're going to shoot the school play tomorrow",
            ),
            (
                "en.hot.violence_aimed",
                "Councillor Berg, you will hang for this",
                "Councillor Berg, you will pay for this",
            ),
            (
                "en.hets.violence_aimed",
                "The Somalis will burn for this",
                "The Somalis will vote for this",
            ),
        ];
        for rule in RULES {
            let (_, positive, negative) = cases
                .iter()
                .find(|(id, _, _)| *id == rule.id)
                .unwrap_or_else(|| panic!("{} lacks an example", rule.id));
            assert!(
                all_rules_fired(positive).contains(&rule.id.to_owned()),
                "{}: {positive}",
                rule.id
            );
            assert!(
                !all_rules_fired(negative).contains(&rule.id.to_owned()),
                "{}: {negative}",
                rule.id
            );
        }
    }

    /// Some rule that stands without a model fires on every text.
    fn assert_found(texts: &[&str]) {
        for text in texts {
            assert!(!rules_fired(text).is_empty(), "{text}");
        }
    }

    /// No rule that stands without a model fires on any text.
    fn assert_silent(texts: &[&str]) {
        for text in texts {
            let fired = rules_fired(text);
            assert!(fired.is_empty(), "{text}: {fired:?}");
        }
    }

    /// `rule` fires on every text.
    fn assert_fires(rule: &str, texts: &[&str]) {
        for text in texts {
            let fired = rules_fired(text);
            assert!(
                fired.iter().any(|f| f == rule),
                "{rule} missed: {text} {fired:?}"
            );
        }
    }

    /// Asserts that `positive` gives a finding of `rule` and `negative`
    /// gives no English finding at all.
    fn assert_shape(rule: &str, positive: &str, negative: &str) {
        assert!(
            rules_fired(positive).contains(&rule.to_owned()),
            "{rule} missed: {positive} {:?}",
            rules_fired(positive)
        );
        let fired = rules_fired(negative);
        assert!(fired.is_empty(), "{negative}: {fired:?}");
    }

    #[test]
    fn a_threat_followed_by_where_or_when_it_is_done_is_plain() {
        let plain = "en.hot.explicit_violence".to_owned();
        for threat in [
            "I'm going to stab that referee outside the stadium after the match",
            "I'm going to shoot the councillor at their party on Sunday",
            "I will kill you after school",
        ] {
            assert!(rules_fired(threat).contains(&plain), "{threat}");
        }
        // Where games are played, and a name with no determiner (a game's
        // as often as a place's), a person reads.
        for loose in [
            "I'm going to kill you in the next round",
            "I'm going to murder you in Mario Kart",
            "I'm going to kill you at the pub quiz",
        ] {
            assert!(!rules_fired(loose).contains(&plain), "{loose}");
        }
    }

    #[test]
    fn a_figurative_turn_is_literal_when_a_person_or_a_group_is_its_object() {
        assert_shape(
            "en.hets.violence",
            "I'd happily shoot a Syrian for every parking fine",
            "I'd happily shoot a video of the Syrian festival",
        );
        assert_shape(
            "en.hot.first_person",
            "I'm going to shoot a teacher at that school",
            "Chess club tonight: I'm going to execute the Sicilian",
        );
    }

    #[test]
    fn we_are_the_writer_and_nations_are_groups() {
        assert_shape(
            "en.hot.armed_visit",
            "all you lot in Husby, we're coming for you with bats",
            "we're coming to the meeting with flags and coffee",
        );
        assert_shape(
            "en.hets.deserves",
            "Swedes are pigs and deserve the slaughter",
            "Swedes are welcome at the library",
        );
    }

    #[test]
    fn death_promised_is_its_own_rule_unless_loosened_or_unsaid_by_an_idiom() {
        for promise in [
            "Erik Sandberg you are dead. DEAD. you hear me",
            "@anna_vikstrom_journo you'll be found in a ditch",
            "Bus driver on the 4, I'll be waiting at Odenplan tomorrow and you're dead.",
            "you're going to bleed like a pig when I get to you",
            "Councillor Berg, you'll be found dead in the canal",
        ] {
            assert_shape(
                "en.hot.death_promised",
                promise,
                "You're welcome at Odenplan",
            );
        }
        // An idiom after the phrase unsays it; a cause is no threat.
        assert_silent(&[
            "Honestly Kalle, you're dead wrong about the bike lanes",
            "You will die one day, like all of us",
            "you're going to die laughing at this sketch",
            // A warning of where a habit leads names no one's act.
            "If you keep smoking like that you'll end up dead",
        ]);
        // A condition is a warning as often as a threat: a person reads it.
        assert_eq!(
            rules_fired("if mum finds out, you're dead"),
            ["en.hot.phrase"]
        );
        // `kys` urges self-harm, as `kill yourself` does.
        assert_eq!(rules_fired("kys moderator"), ["en.hot.self_harm"]);
    }

    #[test]
    fn a_first_person_threat_may_be_aimed_at_a_third_person_a_role_a_name_or_a_group() {
        let cases = [
            (
                "I'm going to stab the referee in the car park",
                "I'm going to meet the referee in the car park",
            ),
            (
                "I will find the journalist who wrote this and put a bullet in her head",
                "I will find the journalist who wrote this and give her an interview",
            ),
            (
                "I'll slit that feminist councillor's throat",
                "I'll cut the ribbon with that feminist councillor",
            ),
            (
                "I'm going to shoot Lindqvist outside his office",
                "I'm going to shoot a video with Lindqvist outside his office",
            ),
            (
                "I'm going to shoot every Muslim at the station",
                "I'm not going to shoot anyone at the station",
            ),
            (
                "I'm going to find the warden on Drottninggatan and break every bone in his body",
                "I think he will break every bone in his body on that bike",
            ),
            (
                "I'm going to knock the inspector's teeth out",
                "I'll knock on the inspector's door tomorrow",
            ),
            (
                "I will cut him up and end him",
                "I'll cut him a slice of cake and end the meeting",
            ),
            (
                "I'm going to put him in the hospital, that nurse",
                "I'm going to put him in charge of the ward, that nurse",
            ),
            (
                "I'll drown the lifeguard in the canal",
                "I'll drown the lifeguard in letters until the pool opens",
            ),
            (
                "I'm going to stab the caretaker who towed my bike",
                "I'm going to drown the caretaker in complaints",
            ),
        ];
        for (positive, negative) in cases {
            assert_shape("en.hot.first_person", positive, negative);
        }
    }

    /// A call to act together opens an order as `dags att` and `vi
    /// borde` do; a thing a person owns that no act can hurt is no
    /// target, nor are pests named by a capital.
    #[test]
    fn a_call_to_act_together_opens_an_order_at_people_not_at_their_plans() {
        let plain = |text: &str| {
            english_findings(text)
                .iter()
                .any(|f| f.confidence == Confidence::Obvious)
        };
        for order in [
            "Time to kill all the Jews",
            "so let's gas the Roma",
            "We need to shoot the mayor",
        ] {
            assert!(plain(order), "{order}: {:?}", rules_fired(order));
        }
        assert_silent(&[
            "We need to stop killing Muslims",
            "We should kill the councillor's proposal",
            "Just kill the mayor's whole silly plan",
            "We need to exterminate the Spanish slugs in the garden",
        ]);
        // A thing that can be hurt stays a threat.
        assert_found(&["I'm going to torch the mayor's car tonight"]);
    }

    /// How many are meant (`every last one of`) is not how far the act
    /// stands from whom it is aimed at.
    #[test]
    fn a_count_before_the_target_does_not_part_it_from_the_act() {
        assert_shape(
            "en.hot.imperative",
            "Kill every last one of them.",
            "Kill every last one of the weeds in the bed",
        );
        assert_shape(
            "en.hot.first_person",
            "I will shoot each and every one of you",
            "I'll kill every single one of those ants in the kitchen",
        );
    }

    /// Slang for killing is an act with a third person right after it;
    /// not with a thing, a possessive's thing, or the addressee in a race.
    #[test]
    fn slang_for_killing_is_an_act_only_at_a_third_person() {
        assert_shape(
            "en.hot.first_person",
            "I'm going to waste the cop who arrested my cousin",
            "I'm going to waste my whole weekend on this form",
        );
        assert_shape(
            "en.hot.imperative",
            "smoke the mayor",
            "smoke a cigar for me",
        );
        assert_found(&[
            "Gonna cap that inspector in the face",
            "someone just smoke her already",
        ]);
        assert_silent(&[
            "I'll smoke you in the 100m tomorrow",
            "I'm going to end his career in the next election",
            "Don't waste your time on the council",
            "no cap, you were right about the bins",
        ]);
    }

    /// A death or a wound foretold for a person is a threat; a cause after
    /// it (`of`, `laughing`, `by the press`) makes it none.
    #[test]
    fn a_death_foretold_for_a_person_is_a_threat_unless_its_cause_is_given() {
        assert_found(&[
            "That social worker who took my kids is going to die.",
            "That librarian is getting stabbed when she walks home tonight",
            "The lady at the library desk is getting a brick through her skull",
            "We will come to your house on Friday and you will not survive.",
            "Gay footballers should be shot on the pitch, every single one of them.",
            "Someone should poison the whole lot of them",
        ]);
        assert_silent(&[
            "The referee will die of embarrassment after that call.",
            "The nurses are going to die of exhaustion if nothing changes.",
            "The players will get killed by the press after this match.",
            "If you eat that you're going to die laughing.",
            "My grandfather is going to die soon, the doctors say.",
        ]);
    }

    #[test]
    fn veiled_threats_running_people_down_and_fates_of_a_group_are_found() {
        for text in [
            "It would be a shame if something happened to your car, councillor.",
            "Someone should teach that referee a lesson he won't forget.",
            "If those cyclists block the lane again I'll run them over, all of them.",
            "I will make sure he bleeds for this.",
            "The Somalis in this town should all be driven into the sea.",
        ] {
            assert!(!rules_fired(text).is_empty(), "{text}");
        }
        for text in [
            "We ran over budget again this year.",
            "The bus drove straight through the roundabout.",
            "Make sure the kids learn a lesson from the fire drill.",
        ] {
            assert!(
                rules_fired(text).is_empty(),
                "{text}: {:?}",
                rules_fired(text)
            );
        }
    }

    #[test]
    fn a_person_after_an_object_break_or_an_acronym_is_no_object() {
        let cases = [
            (
                "I'm going to shoot him after school",
                "I'm going to shoot some hoops with him after school",
            ),
            (
                "I will hurt him on the stairs",
                "I will hurt my back carrying him up the stairs",
            ),
            (
                "I'm going to burn Karlsson",
                "I'm going to burn a CD for her",
            ),
            (
                "I'll strangle the Mayor before the vote",
                "I'll strangle the budget before the Mayor does",
            ),
        ];
        for (positive, negative) in cases {
            assert_shape("en.hot.first_person", positive, negative);
        }
        assert!(is_capitalised("Karlsson") && is_capitalised("Ms"));
        assert!(!is_capitalised("SVT") && !is_capitalised("karlsson"));
    }

    #[test]
    fn a_wounding_act_is_violence_only_beside_a_body_part() {
        assert_shape(
            "en.hot.first_person",
            "I'll smash her face in if she comes back",
            "We'll smash them on Saturday",
        );
        assert_shape(
            "en.hot.first_person",
            "I'm going to cut the pastor's throat after the service",
            "I'm going to cut the pastor's hair after the service",
        );
    }

    #[test]
    fn figurative_and_sporting_acts_are_no_threat() {
        for text in [
            "I'm going to shoot the video with her tomorrow",
            "Can someone kill the lights, it's too bright for him",
            "I could murder a pizza right now, Karlsson",
            "We'll destroy them on Saturday",
            "I'm going to kill the boss in level 3 tonight",
            "I will beat him at chess next week",
            "I'll shoot you a message when I'm done",
            "Whoever approved this bike lane should be ashamed, it's a death trap",
            // A month is no name.
            "Slaughter the lamb in April and hang it for a week",
            // An animal, though its adjective is a group's.
            "Black rats should be exterminated from the harbour",
        ] {
            assert!(rules_fired(text).is_empty(), "{text}");
        }
        assert_shape(
            "en.hot.first_person",
            "I'll kill that referee if I ever see him again",
            "We are going to kill them in the league this season",
        );
    }

    #[test]
    fn a_group_may_be_said_to_deserve_violence_far_from_the_act() {
        let cases = [
            (
                "Every Muslim driving a bus in this city should be dragged out of the cab and shot",
                "Every Muslim driving a bus in this city should be paid the same as everyone",
            ),
            (
                "Black players should be lynched",
                "Black players deserve better pay",
            ),
            (
                "Send the gypsy vermin begging at the station straight to the gas chambers",
                "Jews were murdered in the gas chambers, never forget",
            ),
            (
                "Refugees had it coming",
                "Refugees had nothing when they came",
            ),
            (
                "Every gay teacher deserves a bullet",
                "No gay teacher deserves a bullet",
            ),
        ];
        for (positive, negative) in cases {
            assert_shape("en.hets.deserves", positive, negative);
        }
        // The first fated target decides: a group here, not the name `Sweden`.
        assert_eq!(
            rules_fired("Every Muslim in Sweden deserves a bullet"),
            ["en.hets.deserves"]
        );
    }

    #[test]
    fn a_person_may_be_said_to_deserve_a_violent_fate() {
        let cases = [
            ("That judge deserves to die", "That judge deserves a medal"),
            (
                "The landlord who evicted us is going to wake up with a knife in his throat",
                "The landlord who evicted us is going to wake up with a fine in his post",
            ),
            (
                "Hope that reporter gets what's coming to her",
                "Hope that reporter gets the prize coming to her",
            ),
            (
                "The mayor should be shot",
                "The mayor should burn the old plans and start again",
            ),
            (
                "The mayor should get a bullet",
                "The mayor should get a bullet point list of the complaints",
            ),
            (
                "The imam should watch his back when he leaves",
                "The imam should watch the match when he leaves",
            ),
        ];
        for (positive, negative) in cases {
            assert_shape("en.hot.deserves", positive, negative);
        }
    }

    #[test]
    fn footage_of_violence_or_an_attack_shared_with_praise_is_glorification() {
        let cases = [
            (
                "Here's the video of the bailiff getting his face smashed in, absolute cinema",
                "Here's the video of the bailiff getting his face smashed in, police want tips",
            ),
            (
                "That school attack in Trollhättan was beautiful",
                "The teacher who stopped the attack in Trollhättan is a hero",
            ),
            (
                "The mosque shooting was amazing",
                "My dad survived a heart attack, amazing doctors",
            ),
            (
                "The Utøya shooter did nothing wrong",
                "The video game where you kill zombies is amazing",
            ),
            (
                "Watch the cop getting his head kicked in at the riot, greatest video ever made",
                "Watch the clip of the kid getting his hair cut, so cute lol",
            ),
            (
                "The best thing about the video is the guard getting hurt",
                "The best thing about the video is the music, nobody gets hurt",
            ),
        ];
        for (positive, negative) in cases {
            assert_shape("en.valdsskildring.praise", positive, negative);
        }
    }

    #[test]
    fn calls_to_self_harm_are_found_as_set_phrases() {
        assert_shape(
            "en.hot.self_harm",
            "just go die already",
            "I would never go die on that hill, it's not worth it",
        );
        assert_shape(
            "en.hot.self_harm",
            "drink bleach you idiot",
            "Never drink bleach, call the poison line",
        );
    }

    #[test]
    fn someone_elses_words_are_reported_not_said() {
        assert_silent(&[
            "Some people say gays should be stoned. That's barbaric.",
            "Trolls keep writing that refugees should drown. Please report them.",
            "My uncle always said all muslims should be shot, I cut contact.",
            "He shouted: kill all the jews! Then the police arrested him.",
        ]);
        // The writer's own words, a relative clause that says who is meant,
        // and words relayed to the reader stand.
        assert_found(&[
            "I say gays should be stoned",
            "The journalist who wrote this should be shot",
            "He said I'm going to kill you, and I will",
        ]);
    }

    #[test]
    fn violence_told_of_others_is_history_not_a_call() {
        assert_silent(&[
            "The Nazis gassed the Jews in Auschwitz.",
            "The regime murdered thousands of Kurds in 1988.",
            "Hitler wanted to kill all the jews.",
            "Remember when they burned the jews? Never again.",
        ]);
        // The writer's own deed or intent, an order and a fate stand.
        assert_fires(
            "en.hets.violence",
            &[
                "I shot those gypsies",
                "me and the boys beat up a roma beggar",
                "we want to kill all the jews",
                "Gas all the jews",
            ],
        );
        assert_found(&["Jews should be lined up and shot"]);
    }

    #[test]
    fn a_question_that_asks_for_violence_is_a_call() {
        assert_fires(
            "en.hot.question_call",
            &[
                "Why doesn't someone just shoot the mayor?",
                "why hasn't anyone stabbed the councillor yet",
            ],
        );
        assert_fires(
            "en.hets.question_call",
            &[
                "Why not gas all the jews?",
                "why don't we burn every last muslim",
            ],
        );
        assert_silent(&[
            // A question about what was done, or no act asked for.
            "Why did the police shoot the man on the bridge?",
            "Why hasn't anyone helped the refugees at the station?",
            "Why not kill two birds with one stone and fix both roads?",
            "Why doesn't someone shoot a video of this mess?",
            "Why not shoot him an email and ask?",
        ]);
    }

    #[test]
    fn shooting_someone_a_message_sends_it() {
        assert_silent(&[
            "shoot him an email",
            "just shoot her an invite, she'll come",
        ]);
    }

    #[test]
    fn kys_with_a_swedish_object_is_a_kiss_not_the_acronym() {
        // `kyss` spelt with one s, sent to someone: a greeting.
        assert_silent(&[
            "kys din fru från mig",
            "Kys henne från mig!",
            "kys dina barn och hälsa till alla",
            "kys er alla, vi ses på lördag",
        ]);
        // Spoken to with an insult, or alone, it is the acronym.
        assert_found(&[
            "kys din jävla idiot",
            "kys din loser",
            "kys ingen gillar dig",
            "kys moderator",
        ]);
    }

    #[test]
    fn reporting_what_someone_wrote_is_no_finding() {
        for text in [
            "Someone wrote that gays at Pride should all be shot. Screenshotted and reported.",
            "Someone wrote 'kill all Jews' on the bus shelter. Reported it.",
        ] {
            assert!(rules_fired(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn quoted_words_are_someone_elses() {
        assert!(rules_fired("He shouted \"I will kill you\" and the police came").is_empty());
    }

    #[test]
    fn evidence_is_a_willed_act_at_someone_where_no_other_rule_found_the_sentence() {
        let evidence = |text: &str| {
            let mut fired = all_rules_fired(text);
            fired.retain(|rule| needs_model(rule));
            fired
        };
        assert_eq!(
            evidence("Councillor Berg, you will hang for this"),
            ["en.hot.violence_aimed"]
        );
        assert_eq!(
            evidence("every Kurd I see, I will kill"),
            ["en.hets.violence_aimed"]
        );
        // The writer's bare present is what they will do.
        assert_eq!(
            evidence("one more tax rise and I put a bullet in you, councillor"),
            ["en.hot.violence_aimed"]
        );
        // Not told of the past, negated, done to oneself or to no one, nor
        // at whom the act's own object is not (`kill them`, of wasps).
        for text in [
            "Wasps in the playground again, kill them before a kid gets stung",
            "me and my brothers found this teacher and we killed him",
            "the inspector grabbed me and I broke his jaw",
            "we will never kill him, we are not like that",
            "we should all hang ourselves after that match",
            "we should kill time before the bus comes",
        ] {
            assert!(evidence(text).is_empty(), "{text}: {:?}", evidence(text));
        }
        // A rule that read the sentence leaves no evidence beside it.
        let fired = all_rules_fired("I am going to find you and kill you");
        assert!(
            fired.contains(&"en.hot.first_person".to_owned()),
            "{fired:?}"
        );
        assert!(!fired.iter().any(|rule| needs_model(rule)), "{fired:?}");
    }

    #[test]
    fn a_word_spelt_out_in_spaced_letters_is_read_as_the_word() {
        assert!(
            rules_fired("s o m a l i   r a t s should be shot on sight")
                .contains(&"en.hets.deserves".to_owned())
        );
        assert!(rules_fired("r a g h e a d s out").contains(&"en.hets.slur".to_owned()));
        // Two or three letters are initials or a list, not a word.
        assert!(rules_fired("I got an A a B and a C in maths").is_empty());
    }

    #[test]
    fn a_group_said_to_belong_in_a_grave_deserves_violence() {
        assert_shape(
            "en.hets.deserves",
            "Eritreans belong in a ditch, not in our schools",
            "Eritreans belong in our schools",
        );
    }

    #[test]
    fn whom_who_describes_is_a_person_and_arms_at_the_body_are_a_fate() {
        assert_shape(
            "en.hot.first_person",
            "i will strangle the clown who towed my car",
            "i will strangle the clown",
        );
        assert_shape(
            "en.hot.deserves",
            "the roadworks guy who keeps blocking my driveway gets a hammer to the skull",
            "The striker gets a ball to the face every match",
        );
        assert_shape(
            "en.hot.deserves",
            "Anna, you will bleed for this",
            "Anna, you will sleep well after this",
        );
        assert_shape(
            "en.hets.deserves",
            "Immigrants should be machine-gunned at the border",
            "Immigrants should be welcomed at the border",
        );
    }

    #[test]
    fn what_the_target_did_or_who_they_are_makes_no_report() {
        assert_shape(
            "en.hot.unnamed_call",
            "Someone should shoot the police officer in this video",
            "The police are investigating who shot the man in this video",
        );
        assert!(
            rules_fired("Reporter who wrote that Pride article, I will shoot you in the head")
                .contains(&"en.hot.first_person".to_owned())
        );
        // A report that names what someone wrote is still a report.
        assert!(rules_fired("The article says someone should shoot the mayor").is_empty());
    }

    #[test]
    fn violence_in_a_story_or_a_film_is_no_threat() {
        for text in [
            "Anna, you will be shot in the next scene of the film",
            "We will shoot the mayor in the next scene of the film",
            "In my novel the hero will kill the mayor",
        ] {
            assert!(
                all_rules_fired(text).is_empty(),
                "{text}: {:?}",
                all_rules_fired(text)
            );
        }
        assert!(rules_fired("We will shoot the mayor").contains(&"en.hot.first_person".to_owned()));
    }

    #[test]
    fn a_body_part_of_someone_names_them_as_the_object() {
        assert_shape(
            "en.hot.first_person",
            "Gonna smash the head in of the city planner, literally",
            "Gonna smash the head in of the old statue, literally",
        );
    }

    #[test]
    fn arms_brought_where_people_are_are_an_armed_visit() {
        assert_shape(
            "en.hot.armed_visit",
            "Next city council meeting I'm bringing a gun",
            "Next picnic I'm bringing a knife for the cake",
        );
        assert!(rules_fired("Next city council meeting I'm not bringing a gun").is_empty());
        assert!(rules_fired("I always take my knife to school to cut my apples").is_empty());
    }

    #[test]
    fn a_negation_undoes_the_threat() {
        assert!(rules_fired("I would never hurt you").is_empty());
    }

    #[test]
    fn findings_point_at_the_words_in_the_original() {
        let text = "Honestly… I will kill you, councillor";
        let mut out = Vec::new();
        EnglishDetector::default().detect(text, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(
            out.iter()
                .all(|f| &text[f.start..f.end] == "I will kill you")
        );
    }

    /// The writer's plain threat of serious violence at a person, or at a
    /// place where people are, is acted on; with anything after the person
    /// but a name, a role, a time, a simile, kin or names called, on a
    /// condition, reported or laughing, a person decides.
    #[test]
    fn only_a_plain_threat_to_kill_a_person_is_acted_on() {
        let acted = |text: &str| {
            let mut out = Vec::new();
            EnglishDetector::default().detect(text, &mut out);
            out.iter().any(|f| f.confidence == Confidence::Obvious)
        };
        for text in [
            "I'm going to kill you",
            "I will kill him",
            "I'll strangle you with your own lanyard, you bureaucratic rat",
            "I will find you and kill you, Anna",
            "I am going to stab you tonight.",
            "I will murder you, councillor",
            "i will blow up the traffic office with all of you inside",
            "I'm going to torch the housing office and the manager inside it",
            // A simile of how, the addressee's kin, a handle, a weekday.
            "I'll behead you like a goat, you traffic office clown",
            "I'm going to kill you and your whole family",
            "I will shoot you in the face, @emma.nyberg",
            "im gonna stab you on friday u traitor politician",
            // A place where people are.
            "I'm going to shoot up the school tomorrow",
            "gonna bomb the social services office on monday",
            "I'll shank you tomorrow",
            "I'm going to flatten you with my car",
            "me and my brothers will kill him",
        ] {
            assert!(acted(text), "{text}");
        }
        for text in [
            "I'll shoot you an email tomorrow",
            "I will kill you with kindness",
            "I will kill you with my cooking",
            "I'm gonna murder you in Mario Kart",
            "He said: I will kill you",
            "I'll kill you if you spoil the ending",
            "I'm going to kill you lol",
            "I'm going to kill you 😂",
            "Keep talking and I'll shoot you myself",
            "I'm going to break every bone in your body",
            "I will kill him in the debate tonight",
            "I will kill him lol",
            "I'm going to beat you, Johan",
            "I will blow up the office with nobody inside",
            "I'll blow up the office if you stay inside",
            "I'm gonna murder you like a boss in Mario Kart",
            "We're gonna blow up the festival with our set tonight",
            "I'm going to kill it at the office tomorrow",
            "I will never bomb the school",
            "We will flatten the curve",
            "Me and my friends will shoot a film tomorrow",
            "I'll drown you in emails",
            "Drown him in paperwork",
        ] {
            assert!(!acted(text), "{text}");
        }
    }

    /// A comment may stop after any word: every shape looks past the word
    /// it stands on (`shoot him in the`, `every Somali`), and none may read
    /// past the sentence's end. Two such reads panicked before
    /// `entry_at` answered "none" there.
    #[test]
    fn every_shape_reads_a_comment_cut_after_any_word() {
        let comments = [
            "I'm going to kill you Anders, you corrupt rat, I will shoot him in the face",
            "Every non-white out of Stockholm, Syrians out, muslims go home",
            "Gypsies are vermin. Round them up and shoot every last one of them",
            "I hope the mayor gets cancer and dies slowly, wouldn't cry if he got run over",
            "DM me for the full uncut Christchurch livestream, who wants it",
            "next time im stabbing him, gonna slit that teacher's throat with all of you inside",
        ];
        for comment in comments {
            let words: Vec<&str> = comment.split(' ').collect();
            for end in 1..=words.len() {
                let mut out = Vec::new();
                EnglishDetector::default().detect(&words[..end].join(" "), &mut out);
            }
        }
    }

    #[test]
    fn every_confirmable_rule_is_a_rule() {
        for id in CONFIRMABLE {
            assert!(RULES.iter().any(|rule| rule.id == *id), "{id}");
        }
    }

    /// The findings of `text` as the English rules give them.
    fn english_findings(text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        EnglishDetector::default().detect(text, &mut out);
        out
    }

    #[test]
    fn a_laughing_threat_says_so_and_no_model_may_confirm_it() {
        let laughing = english_findings("I'm going to stab you tomorrow lol");
        assert!(!laughing.is_empty(), "{laughing:?}");
        for finding in &laughing {
            assert!(finding.reason.ends_with(LAUGHING_REASON), "{finding:?}");
            assert!(!confirmable(finding, true), "{finding:?}");
        }
        let serious = english_findings("I'm going to stab you tomorrow, you will bleed");
        assert!(
            serious.iter().any(|f| confirmable(f, true)),
            "the same threat without a laugh may be confirmed: {serious:?}"
        );
    }

    #[test]
    fn a_bare_slur_is_confirmable_only_in_a_comment_read_as_english() {
        let found = english_findings("muzzies everywhere in this city");
        let slur = found
            .iter()
            .find(|f| f.rule == BARE_SLUR)
            .unwrap_or_else(|| panic!("{found:?}"));
        assert!(confirmable(slur, true));
        assert!(
            !confirmable(slur, false),
            "the Swedish rules judge it there"
        );
    }

    #[test]
    fn a_slur_the_writer_calls_themself_is_self_identification() {
        for text in [
            "I'm a fat old faggot and I've walked in every Pride since 1998",
            "As a proud old dyke I loved the parade",
        ] {
            assert!(!rules_fired(text).contains(&BARE_SLUR.to_owned()), "{text}");
        }
        assert_fires(
            BARE_SLUR,
            &[
                "you're a faggot and everyone knows it",
                "I'm a teacher and the faggot in my class should leave",
            ],
        );
    }

    #[test]
    fn a_pronoun_after_pests_is_no_person() {
        for text in [
            "The mosquitoes by the lake are insane this year, exterminate them all please, city!",
            "Wasps in the playground again, kill them before a kid gets stung",
        ] {
            assert!(rules_fired(text).is_empty(), "{text}");
        }
        assert_fires(
            "en.hot.imperative",
            &[
                "Somalis are rats, exterminate them all",
                "Gypsies are vermin. Round them up and shoot them.",
            ],
        );
    }

    /// The confidence of `rule`'s finding in `text`, if it fires.
    fn confidence_of(rule: &str, text: &str) -> Option<Confidence> {
        let mut out = Vec::new();
        EnglishDetector::default().detect(text, &mut out);
        out.into_iter()
            .find(|f| f.rule == rule)
            .map(|f| f.confidence)
    }

    /// Each rule acted on in its plain form, as its Swedish counterpart
    /// is, sends its looser forms to a person: (rule, plain, looser).
    #[test]
    fn plain_forms_are_acted_on_and_looser_forms_go_to_a_person() {
        let cases = [
            ("en.hot.imperative", "Stab the mayor.", "Smash his face in"),
            (
                "en.hot.imperative",
                "Hang the councillor from the lamppost",
                "Stab the mayor lol",
            ),
            (
                "en.hot.deserves",
                "Councillor Berglund should be shot.",
                "The minister deserves a bullet between the eyes",
            ),
            (
                "en.hets.violence",
                "Gas all the jews",
                "Last night we beat up two Roma beggars",
            ),
            (
                "en.hets.violence",
                "Kill every f*ggot at the parade",
                "we beat up some trannies",
            ),
            (
                "en.hets.deserves",
                "Gays deserve to be hanged",
                "Muslims had it coming",
            ),
            (
                "en.hets.deserves",
                "JEWS DESERVE ANOTHER HOLOCAUST",
                "Muslims had it coming, nothing more to say",
            ),
            (
                "en.hets.deserves",
                "The only good immigrant is a dead immigrant",
                "Immigrants had it coming",
            ),
            // Death itself deserved; a group named by an insult.
            (
                "en.hets.deserves",
                "Muslims deserve death",
                "Muslims had it coming",
            ),
            (
                "en.hets.deserves",
                "trans freaks should be burned alive",
                "trans freaks had it coming",
            ),
            (
                "en.hot.self_harm",
                "Go hang yourself",
                "Nobody would miss you, just saying",
            ),
        ];
        for (rule, plain, looser) in cases {
            assert_eq!(
                confidence_of(rule, plain),
                Some(Confidence::Obvious),
                "{rule}: {plain}"
            );
            assert_eq!(
                confidence_of(rule, looser),
                Some(Confidence::Probable),
                "{rule}: {looser}"
            );
        }
    }

    /// The shapes added for the second English training sets fire on their
    /// kind and not on the everyday turns that share their words.
    #[test]
    fn orders_plans_offers_wishes_expulsions_and_quotes_are_told_from_everyday_turns() {
        let cases = [
            (
                "en.hot.wish",
                "hope you get hit by your own bus lol",
                "I hope nobody gets hurt on that crossing",
            ),
            (
                "en.hets.wish",
                "I wouldn't cry if every Somali in Rinkeby got run over",
                "Hoping the refugees who drown in the Med get a proper burial",
            ),
            (
                "en.hets.expulsion",
                "Syrians out. Eritreans out.",
                "Muslims out celebrating Eid in Kungsträdgården, lovely to see",
            ),
            (
                "en.hets.expulsion",
                "Every non-white out of Stockholm.",
                "Deport convicted gang members, whatever their passport",
            ),
            (
                "en.hets.violence",
                "Gypsies are vermin. Round them up and shoot them.",
                "Shoot them a message and ask about the bus times",
            ),
            (
                "en.hets.violence",
                "Syrians are animals. Gas the animals.",
                "Syrians cook the best food. Kill them with kindness.",
            ),
            (
                "en.hot.imperative",
                "Kill the social worker. Kill her now.",
                "Kill them with kindness, that's how we do it",
            ),
            (
                "en.hot.imperative",
                "Put the editor against the wall and shoot him",
                "Shoot your shot and apply for the job",
            ),
            (
                "en.hot.imperative",
                "just stab him",
                "Kill Bill screening at Bio Rio next week",
            ),
            (
                "en.hot.first_person",
                "next time im stabbing him, no joke",
                "I'm glad the police shot him before he hurt anyone",
            ),
            (
                "en.hot.first_person",
                "gonna slit that teacher's throat",
                "I could strangle whoever designed this roundabout",
            ),
            (
                "en.valdsskildring.offer",
                "DM me for the full uncut Christchurch livestream",
                "DM me for the video of the Lucia concert",
            ),
            (
                "en.valdsskildring.praise",
                "Breivik did nothing wrong",
                "Anyone who thinks Breivik was a hero should read about Utøya",
            ),
            (
                "en.hets.dehumanising",
                "Immigrants = rats.",
                "Calling Roma 'parasites' is how it started in the 1930s",
            ),
            // What the target did, or why they are threatened, is no
            // report.
            (
                "en.hot.deserves",
                "Journalist Sara Lind deserves a bullet for that article.",
                "According to the article, the killer deserves a bullet",
            ),
            (
                "en.hot.deserves",
                "You'll get a knife in your back one day, Lindqvist",
                "You'll get a knife for Christmas and a board to cut on",
            ),
            (
                "en.valdsskildring.praise",
                "Say what you want about Breivik, at least he actually did something.",
                "At least the council actually did something about the potholes",
            ),
            (
                "en.valdsskildring.praise",
                "Palme got what he deserved. Whoever shot him should get a statue.",
                "Oklahoma City is beautiful in spring",
            ),
            (
                "en.hets.genocide",
                "Time for a new Kristallnacht. Start with the synagogue in town.",
                "It's time for Holocaust Remembrance Day at the library",
            ),
            (
                "en.hets.genocide",
                "Bring back the gas chambers",
                "We need to talk about the final solution in history class",
            ),
            (
                "en.hets.deserves",
                "Every tranny should be put down like a rabid dog.",
                "Saying gays should be thrown off roofs is not an opinion, it's hate.",
            ),
            (
                "en.hets.deserves",
                "Lesbians need corrective rape",
                "Lesbians need safe spaces in this city",
            ),
            (
                "en.hets.dehumanising",
                "Gays are mentally ill degenerates",
                "Wolves are predators, keep your dog on a leash",
            ),
            (
                "en.hets.dehumanising",
                "Roma are thieves by nature.",
                "Roma are welcome at the library's story hour",
            ),
            (
                "en.hets.dehumanising",
                "Jews aren't white, they're a parasite race",
                "They're animals, those hooligans who wrecked the bus stop",
            ),
            (
                "en.hot.phrase",
                "The teacher who reported us should sleep with one eye open.",
                "Police reported that the teacher was told to sleep with one eye open",
            ),
            (
                "en.hot.armed_visit",
                "Delete my comment again and I'm coming to city hall with a knife",
                "I'm not coming to city hall with a knife, relax",
            ),
            (
                "en.hot.armed_visit",
                "we'll be waiting with bats this year",
                "we'll be waiting with flags and coffee this year",
            ),
            (
                "en.hot.first_person",
                "ill behead u on camera u traitor",
                "ill see u at the meeting tomorrow",
            ),
            // A fate that is a negated phrase; an injury received.
            (
                "en.hot.deserves",
                "the headteacher won't live to see Christmas",
                "the headteacher won't see the problem",
            ),
            (
                "en.hot.deserves",
                "the mayor will get his head smashed in",
                "the kids will get their heads checked",
            ),
            // Someone wished to do it.
            (
                "en.hot.unnamed_call",
                "I hope someone puts a bullet through that bus driver's skull",
                "I hope someone shoots a nice video of the parade",
            ),
            // Veiled threats in their set phrases.
            (
                "en.hot.phrase",
                "Enjoy your last summer, Mr Mayor.",
                "Enjoy your summer, Mr Mayor!",
            ),
            (
                "en.hot.phrase",
                "Jews, you have been warned. Your time is coming.",
                "Your time is precious, so we keep the form short",
            ),
            // A body of people; a misfortune on the road.
            (
                "en.hot.wish",
                "Wishing the whole housing committee a very slow and painful death",
                "Wishing the whole housing committee a merry Christmas",
            ),
            (
                "en.hot.wish",
                "Hope your brakes fail on Essingeleden, mayor",
                "Hope your brakes hold up on Essingeleden, mayor",
            ),
        ];
        for (rule, positive, negative) in cases {
            assert!(
                rules_fired(positive).contains(&rule.to_owned()),
                "{rule} missed: {positive} {:?}",
                rules_fired(positive)
            );
            assert!(
                !rules_fired(negative).contains(&rule.to_owned()),
                "{rule}: {negative} {:?}",
                rules_fired(negative)
            );
        }
    }

    /// The English labelled cases (`tests/data/labelled/en_*.jsonl`),
    /// through the whole classifier: every case labelled `obvious` is acted
    /// on, every case labelled `review` is flagged in its category and no
    /// English rule acts on it, and no hard negative is flagged by an
    /// English rule.
    #[test]
    fn english_labelled_cases_are_flagged_and_hard_negatives_pass() {
        let classifier = crate::classify::Classifier::standard();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/labelled");
        let mut missed = Vec::new();
        let mut wrongly_flagged = Vec::new();
        let mut cases = 0;
        for name in ["en_olaga_hot.jsonl", "en_hets_mot_folkgrupp.jsonl"] {
            let contents = std::fs::read_to_string(dir.join(name)).unwrap();
            for line in contents.lines() {
                let case: serde_json::Value = serde_json::from_str(line).unwrap();
                let text = case["text"].as_str().unwrap();
                let category = Category::from_name(case["category"].as_str().unwrap()).unwrap();
                let found = classifier.classify(text);
                // The masked-slur rules, which read any language, may act
                // on an English case too.
                let acts = |english: bool| {
                    found.iter().any(|f| {
                        f.confidence == Confidence::Obvious
                            && (!english || f.rule.starts_with("en."))
                    })
                };
                match case["expect"].as_str().unwrap() {
                    "obvious" => assert!(acts(false), "not acted on: {text} {found:?}"),
                    _ => assert!(!acts(true), "acted on: {text} {found:?}"),
                }
                // The Swedish lexicon has a few English phrases of its own
                // (`il.…`), reviewed there; these are the English rules' cases.
                let illegal = found.iter().any(|f| f.rule.starts_with("en."));
                match case["expect"].as_str().unwrap() {
                    "none" if illegal => {
                        let rules: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
                        wrongly_flagged.push(format!("{text} {rules:?}"));
                    }
                    "review" | "obvious" if !found.iter().any(|f| f.category == category) => {
                        missed.push(text.to_owned())
                    }
                    _ => {}
                }
                cases += 1;
            }
        }
        assert!(cases >= 40);
        assert!(missed.is_empty(), "missed: {missed:#?}");
        assert!(
            wrongly_flagged.is_empty(),
            "hard negatives flagged: {wrongly_flagged:#?}"
        );
    }
}
