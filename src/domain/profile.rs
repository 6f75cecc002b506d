//! An account's profile as its platform shows it, and the basic
//! information the social-media policy (KS 2018/1303) asks every profile
//! to show. Connectors read the profile; the daily checks
//! (`src/report/checks.rs`) look for each item in it. Shared here because
//! both sides speak of the same items.

/// One piece of basic information the policy asks every account to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProfileItem {
    /// Which department runs the account.
    Department,
    /// That the account is part of Stockholm city ("Stockholms stad").
    PartOfCity,
    /// What followers can expect of the account.
    Expectations,
    /// The terms for taking part (e.g. that posts can become public records).
    Terms,
    /// Contact details: an e-mail address, a phone number or a contact link.
    Contact,
    /// A link to the department's website.
    Website,
}

impl ProfileItem {
    /// Every item, in the order the policy lists them.
    pub const ALL: [ProfileItem; 6] = [
        ProfileItem::Department,
        ProfileItem::PartOfCity,
        ProfileItem::Expectations,
        ProfileItem::Terms,
        ProfileItem::Contact,
        ProfileItem::Website,
    ];

    /// The item named in Swedish, as moderators read it in e-mails and
    /// the `checks` listing.
    pub fn label_sv(self) -> &'static str {
        match self {
            ProfileItem::Department => "Vilken förvaltning som driver kontot",
            ProfileItem::PartOfCity => "Att kontot är en del av Stockholms stad",
            ProfileItem::Expectations => "Vad man kan förvänta sig av kontot",
            ProfileItem::Terms => {
                "Villkor för att delta (t.ex. att inlägg kan bli allmänna handlingar)"
            }
            ProfileItem::Contact => "Kontaktuppgifter (e-post, telefon eller kontaktlänk)",
            ProfileItem::Website => "Länk till förvaltningens webbplats",
        }
    }
}

/// Where a platform keeps an item that its API does not let the service
/// read, so the check says "cannot be checked" instead of "missing".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenItem {
    /// The item.
    pub item: ProfileItem,
    /// Why it cannot be read, in Swedish (what moderators read).
    pub reason: &'static str,
}

/// A text the profile shows, with the platform's name for its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileText {
    /// The platform's field (`about`, `biography`, `description` …).
    pub field: &'static str,
    /// The text as the platform sent it.
    pub text: String,
}

/// An account's profile: the texts and contact details the platform's API
/// exposes, and the items of basic information it keeps out of reach.
/// Built by each connector's [`Platform::profile`](crate::platforms::Platform::profile)
/// from the platform's documented fields; platform-neutral, so one check
/// reads every platform's profile the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountProfile {
    /// The account's display name (Page name, channel title …).
    pub name: Option<String>,
    /// The profile's texts, empty ones left out.
    pub texts: Vec<ProfileText>,
    /// Links the profile shows: its website field and links the platform
    /// expanded from its texts (X `entities`), never a shortener's.
    pub links: Vec<String>,
    /// E-mail addresses of the profile's own contact fields.
    pub emails: Vec<String>,
    /// Phone numbers of the profile's own contact fields.
    pub phones: Vec<String>,
    /// Items the platform's API does not expose where a profile usually
    /// shows them; found anywhere else in the profile they still count.
    pub hidden: Vec<HiddenItem>,
}

impl AccountProfile {
    /// Adds `text` under `field` unless it is empty or only whitespace.
    pub fn push_text(&mut self, field: &'static str, text: Option<String>) {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            self.texts.push(ProfileText { field, text });
        }
    }

    /// Adds a link unless it is empty or already listed.
    pub fn push_link(&mut self, link: Option<String>) {
        if let Some(link) = link.map(|l| l.trim().to_string())
            && !link.is_empty()
            && !self.links.contains(&link)
        {
            self.links.push(link);
        }
    }

    /// Why `item` cannot be read on this platform, when it cannot.
    pub fn hidden_reason(&self, item: ProfileItem) -> Option<&'static str> {
        self.hidden
            .iter()
            .find(|hidden| hidden.item == item)
            .map(|hidden| hidden.reason)
    }
}
