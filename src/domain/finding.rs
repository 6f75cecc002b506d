//! What the classifier finds in a comment: a category, how sure it is, and
//! where and why. Findings are read by the policy table, stored with each
//! comment version, written into evidence records and shown to moderators,
//! so the types live here rather than in `classify`, which only makes them.

use serde::{Deserialize, Serialize};

/// What a finding says the comment contains. The names are the ones the
/// `classify` command prints and the policy table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Personnummer,
    Samordningsnummer,
    Phone,
    Email,
    Address,
    BankAccount,
    PaymentCard,
    ProtectedIdentity,
    EthnicOrigin,
    PoliticalOpinion,
    Religion,
    TradeUnion,
    Health,
    SexLife,
    GeneticBiometric,
    Uppvigling,
    HetsMotFolkgrupp,
    Barnpornografi,
    OlagaValdsskildring,
    OlagaHot,
    OlagaIntegritetsintrang,
    TerrorUppmaning,
    Upphovsratt,
    Question,
    CaseMatter,
    ChildWelfareConcern,
    /// A comment in a language the rules cannot read: a person must judge it.
    NotAssessed,
}

/// The broad group of a category; the policy table is written per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryGroup {
    /// Personal data that must be removed once documented (GDPR, personnummer).
    PersonalData,
    /// Content the law on electronic bulletin boards obliges us to remove.
    IllegalContent,
    /// Something a person must answer or move into case handling.
    Service,
    /// What no rule could judge (a language the rules cannot read): only a
    /// person can, so it is reviewed, never acted on automatically.
    Unassessed,
}

impl Category {
    /// The stable snake_case name, as in the database and JSON output.
    pub fn as_str(self) -> &'static str {
        use Category::*;
        match self {
            Personnummer => "personnummer",
            Samordningsnummer => "samordningsnummer",
            Phone => "phone",
            Email => "email",
            Address => "address",
            BankAccount => "bank_account",
            PaymentCard => "payment_card",
            ProtectedIdentity => "protected_identity",
            EthnicOrigin => "ethnic_origin",
            PoliticalOpinion => "political_opinion",
            Religion => "religion",
            TradeUnion => "trade_union",
            Health => "health",
            SexLife => "sex_life",
            GeneticBiometric => "genetic_biometric",
            Uppvigling => "uppvigling",
            HetsMotFolkgrupp => "hets_mot_folkgrupp",
            Barnpornografi => "barnpornografi",
            OlagaValdsskildring => "olaga_valdsskildring",
            OlagaHot => "olaga_hot",
            OlagaIntegritetsintrang => "olaga_integritetsintrang",
            TerrorUppmaning => "terror_uppmaning",
            Upphovsratt => "upphovsratt",
            Question => "question",
            CaseMatter => "case_matter",
            ChildWelfareConcern => "child_welfare_concern",
            NotAssessed => "not_assessed",
        }
    }

    /// The category with this snake_case name (as in word-list file names,
    /// the database and JSON output), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }

    /// Which policy group the category belongs to.
    pub fn group(self) -> CategoryGroup {
        use Category::*;
        match self {
            Personnummer | Samordningsnummer | Phone | Email | Address | BankAccount
            | PaymentCard | ProtectedIdentity | EthnicOrigin | PoliticalOpinion | Religion
            | TradeUnion | Health | SexLife | GeneticBiometric => CategoryGroup::PersonalData,
            Uppvigling
            | HetsMotFolkgrupp
            | Barnpornografi
            | OlagaValdsskildring
            | OlagaHot
            | OlagaIntegritetsintrang
            | TerrorUppmaning
            | Upphovsratt => CategoryGroup::IllegalContent,
            Question | CaseMatter | ChildWelfareConcern => CategoryGroup::Service,
            NotAssessed => CategoryGroup::Unassessed,
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a finding is. Only `Obvious` may lead to an automatic action:
/// removing a lawful comment is a public authority silencing a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A weak signal; a person should look.
    Possible,
    /// Likely, but not beyond doubt; a person decides.
    Probable,
    /// Beyond reasonable doubt; may be acted on automatically.
    Obvious,
}

impl Confidence {
    /// The stable snake_case name, as in the database and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Possible => "possible",
            Confidence::Probable => "probable",
            Confidence::Obvious => "obvious",
        }
    }
}

/// One thing a detector found in a comment, with everything a moderator
/// needs to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub category: Category,
    /// How sure the detector is.
    pub confidence: Confidence,
    /// Byte offset in the original comment text where the match starts.
    pub start: usize,
    /// Byte offset in the original comment text where the match ends.
    pub end: usize,
    /// Id of the rule that fired (stable, for statistics and appeals).
    pub rule: String,
    /// The law or policy section the finding rests on.
    pub legal_basis: String,
    /// A short Swedish sentence saying why, for the moderator.
    pub reason: String,
}
