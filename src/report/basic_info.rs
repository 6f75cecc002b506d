//! Whether an account's profile shows the basic information the policy
//! (KS 2018/1303) asks of every account: which department runs it, that it
//! is part of Stockholms stad, what to expect, the terms for taking part,
//! contact details and a link to the department's website.
//!
//! The recognisers are deliberately general, so a profile written in the
//! department's own words passes:
//!
//! - **department**: the configured name of the account's department, in
//!   the profile's name or texts (case and spacing aside);
//! - **part of the city**: "Stockholms stad" (or "City of Stockholm");
//! - **what to expect**: a sentence saying what the account does — "här
//!   berättar/tipsar/hittar …", "vi publicerar/svarar …", "nyheter om",
//!   "information om", "svarar på frågor";
//! - **terms**: "allmän handling", "villkor", "regler", "riktlinjer",
//!   "netikett", "modereras" (or English "terms", "guidelines", "public
//!   record"), in a text or in a link;
//! - **contact**: the profile's e-mail or phone field, an e-mail address
//!   or Swedish phone number in a text, or a link to a contact page
//!   (`kontakt`, `contact`, `mailto:`);
//! - **website**: a link to anything but a social-media platform.
//!
//! An item not found where the platform's API does not expose its usual
//! place ([`AccountProfile::hidden`]) cannot be checked; it is never
//! reported as missing.

use std::sync::LazyLock;

use regex::Regex;

use crate::domain::{AccountProfile, ProfileItem};

/// Hosts of the platforms themselves and their link shorteners: a link
/// there is not the department's website.
const PLATFORM_HOSTS: &[&str] = &[
    "facebook.com",
    "fb.com",
    "fb.me",
    "instagram.com",
    "x.com",
    "twitter.com",
    "t.co",
    "youtube.com",
    "youtu.be",
    "linkedin.com",
    "lnkd.in",
];

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|mailto:|www\.)[^\s<>"'()]+"#).expect("valid URL pattern")
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b").expect("valid e-mail pattern")
});

/// Swedish numbers as people write them: `08-508 290 00`, `+46 8 508 290 00`.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+46\s?\(?0?\)?\s?|\b0)\d{1,3}\s?[-–]?\s?\d{2,3}(?:[\s-]?\d{2,3}){1,2}\b")
        .expect("valid phone pattern")
});

static EXPECTATIONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:här|vi)\s+(?:hittar|får|kan|berättar|visar|tipsar|informerar|delar|publicerar|svarar|lägger\s+ut|bjuder)\b|\b(?:information|nyheter|tips|filmer)\s+(?:om|från)\b|\bsvarar\s+på\s+frågor\b|\bwe\s+(?:share|post|answer|publish)\b",
    )
    .expect("valid expectations pattern")
});

static TERMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)allmän(?:na)?\s+handling(?:ar)?|offentlighetsprincipen|villkor|regler|riktlinjer|netikett|modereras|modererar|\bterms\b|guidelines|public\s+records?",
    )
    .expect("valid terms pattern")
});

static TERMS_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)regler|villkor|riktlinjer|netikett|terms|guidelines").expect("valid pattern")
});

/// What the check concluded about one profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    /// Items the profile does not show, where the platform would show them.
    pub missing: Vec<ProfileItem>,
    /// Items not found whose usual place the platform's API does not
    /// expose, with why.
    pub unverifiable: Vec<(ProfileItem, &'static str)>,
}

/// Looks for every item in `profile`; `department_names` are the names the
/// account's department goes by in the configuration.
pub fn assess(profile: &AccountProfile, department_names: &[&str]) -> Assessment {
    let seen = Seen::of(profile);
    let mut assessment = Assessment::default();
    for item in ProfileItem::ALL {
        if seen.shows(item, profile, department_names) {
            continue;
        }
        match profile.hidden_reason(item) {
            Some(reason) => assessment.unverifiable.push((item, reason)),
            None => assessment.missing.push(item),
        }
    }
    assessment
}

/// The profile's text and links, prepared once for every recogniser.
struct Seen {
    /// Name and texts, lower-cased, with runs of whitespace as one space.
    text: String,
    /// Links of the profile and links written in its texts.
    links: Vec<String>,
}

impl Seen {
    fn of(profile: &AccountProfile) -> Self {
        let raw: Vec<&str> = profile
            .name
            .iter()
            .map(String::as_str)
            .chain(profile.texts.iter().map(|t| t.text.as_str()))
            .collect();
        let mut links = profile.links.clone();
        for text in &raw {
            for found in URL.find_iter(text) {
                let link = found
                    .as_str()
                    .trim_end_matches(['.', ',', ';', ':', '!', '?']);
                if !links.iter().any(|l| l == link) {
                    links.push(link.to_string());
                }
            }
        }
        Self {
            text: normalise(&raw.join("\n")),
            links,
        }
    }

    fn shows(&self, item: ProfileItem, profile: &AccountProfile, departments: &[&str]) -> bool {
        match item {
            ProfileItem::Department => departments
                .iter()
                .map(|name| normalise(name))
                .any(|name| !name.is_empty() && self.text.contains(&name)),
            ProfileItem::PartOfCity => {
                self.text.contains("stockholms stad") || self.text.contains("city of stockholm")
            }
            ProfileItem::Expectations => EXPECTATIONS.is_match(&self.text),
            ProfileItem::Terms => {
                TERMS.is_match(&self.text) || self.links.iter().any(|l| TERMS_LINK.is_match(l))
            }
            ProfileItem::Contact => {
                !profile.emails.is_empty()
                    || !profile.phones.is_empty()
                    || EMAIL.is_match(&self.text)
                    || PHONE.is_match(&self.text)
                    || self.links.iter().any(|l| is_contact_link(l))
            }
            ProfileItem::Website => self.links.iter().any(|l| is_website(l)),
        }
    }
}

/// Lower case, every run of whitespace (no-break spaces too) one space.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_contact_link(link: &str) -> bool {
    let lower = link.to_lowercase();
    lower.starts_with("mailto:") || lower.contains("kontakt") || lower.contains("contact")
}

/// A web link whose host is not a social-media platform's.
fn is_website(link: &str) -> bool {
    let with_scheme = if link.to_lowercase().starts_with("www.") {
        format!("https://{link}")
    } else {
        link.to_string()
    };
    let Ok(url) = url::Url::parse(&with_scheme) else {
        return false;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str().map(str::to_lowercase) else {
        return false;
    };
    !PLATFORM_HOSTS
        .iter()
        .any(|platform| host == *platform || host.ends_with(&format!(".{platform}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{HiddenItem, ProfileText};

    fn profile(texts: &[&str], links: &[&str]) -> AccountProfile {
        AccountProfile {
            name: Some("Idrott Stockholm".into()),
            texts: texts
                .iter()
                .map(|t| ProfileText {
                    field: "about",
                    text: t.to_string(),
                })
                .collect(),
            links: links.iter().map(|l| l.to_string()).collect(),
            ..AccountProfile::default()
        }
    }

    const DEPARTMENT: &[&str] = &["Idrottsförvaltningen"];

    #[test]
    fn a_complete_profile_in_the_departments_own_words_misses_nothing() {
        let complete = profile(
            &[
                "IDROTTSFÖRVALTNINGEN i Stockholms\u{a0}stad. Här tipsar vi om bad och motion.",
                "Inlägg kan bli allmänna handlingar. Frågor: 08-508 275 00.",
            ],
            &["https://start.stockholm.se/idrott"],
        );

        assert_eq!(assess(&complete, DEPARTMENT), Assessment::default());
    }

    #[test]
    fn each_item_is_missing_on_its_own_when_only_it_is_left_out() {
        let cases = [
            (
                ProfileItem::Department,
                "Stockholms stad. Här tipsar vi om bad. Regler: se webben. info@stockholm.se",
            ),
            (
                ProfileItem::PartOfCity,
                "Idrottsförvaltningen. Här tipsar vi om bad. Regler: se webben. info@stockholm.se",
            ),
            (
                ProfileItem::Expectations,
                "Idrottsförvaltningen, Stockholms stad. Regler: se webben. info@stockholm.se",
            ),
            (
                ProfileItem::Terms,
                "Idrottsförvaltningen, Stockholms stad. Här tipsar vi om bad. info@stockholm.se",
            ),
            (
                ProfileItem::Contact,
                "Idrottsförvaltningen, Stockholms stad. Här tipsar vi om bad. Regler: se webben.",
            ),
        ];
        for (item, text) in cases {
            let assessment = assess(
                &profile(&[text], &["https://start.stockholm.se/"]),
                DEPARTMENT,
            );
            assert_eq!(assessment.missing, [item], "{text}");
        }
    }

    #[test]
    fn a_link_to_a_platform_or_a_shortener_is_not_a_website() {
        let text = "Idrottsförvaltningen, Stockholms stad. Här tipsar vi. Regler. 08-508 275 00";
        for link in [
            "https://www.facebook.com/idrott",
            "https://t.co/abc",
            "https://youtu.be/x",
        ] {
            let assessment = assess(&profile(&[text], &[link]), DEPARTMENT);
            assert_eq!(assessment.missing, [ProfileItem::Website], "{link}");
        }
        let written = assess(
            &profile(&[&format!("{text} Mer på www.stockholm.se/idrott.")], &[]),
            DEPARTMENT,
        );
        assert!(written.missing.is_empty(), "{written:?}");
    }

    #[test]
    fn contact_and_terms_links_count_and_numbers_that_are_no_phone_do_not() {
        let base = "Idrottsförvaltningen, Stockholms stad. Här tipsar vi om bad vardagar 8–17.";
        let linked = assess(
            &profile(
                &[base],
                &[
                    "https://start.stockholm.se/kontakt",
                    "https://start.stockholm.se/regler-sociala-medier",
                ],
            ),
            DEPARTMENT,
        );
        assert!(linked.missing.is_empty(), "{linked:?}");
        let bare = assess(&profile(&[base], &[]), DEPARTMENT);
        assert_eq!(
            bare.missing,
            [
                ProfileItem::Terms,
                ProfileItem::Contact,
                ProfileItem::Website
            ]
        );
    }

    #[test]
    fn an_item_the_platform_hides_is_unverifiable_unless_found_elsewhere() {
        let mut hidden = profile(
            &["Idrottsförvaltningen, Stockholms stad. Här tipsar vi. Regler."],
            &["https://start.stockholm.se/"],
        );
        hidden.hidden = vec![HiddenItem {
            item: ProfileItem::Contact,
            reason: "kontaktknapparna finns inte i API:et",
        }];

        let assessment = assess(&hidden, DEPARTMENT);
        assert!(
            assessment.missing.is_empty(),
            "never missing: {assessment:?}"
        );
        assert_eq!(
            assessment.unverifiable,
            [(ProfileItem::Contact, "kontaktknapparna finns inte i API:et")]
        );

        hidden.texts[0].text.push_str(" Mejla idrott@stockholm.se");
        assert_eq!(assess(&hidden, DEPARTMENT), Assessment::default());
    }
}
