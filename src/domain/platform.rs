//! Which platform an account lives on. Configuration names it, the store and
//! file paths use its stable name, connectors are built per kind, and
//! evidence and e-mail show it.

use serde::{Deserialize, Serialize};

/// Which social-media platform an account lives on. Decides which connector
/// is built for it and what moderation the platform allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformKind {
    /// Facebook Pages through the Graph API (also spoken by the simulator).
    Facebook,
    /// Instagram professional accounts through the Graph API.
    Instagram,
    /// YouTube channels through the Data API v3.
    Youtube,
    /// LinkedIn organisation pages through the Community Management API.
    Linkedin,
    /// X (Twitter) accounts through API v2.
    X,
}

impl PlatformKind {
    /// Stable lower-case name used in the database, logs and file paths.
    pub fn as_str(self) -> &'static str {
        match self {
            PlatformKind::Facebook => "facebook",
            PlatformKind::Instagram => "instagram",
            PlatformKind::Youtube => "youtube",
            PlatformKind::Linkedin => "linkedin",
            PlatformKind::X => "x",
        }
    }

    /// The platform's name as its users write it ("YouTube", "LinkedIn"),
    /// for what people read: e-mails, evidence cards, the demo's summary.
    pub fn display_name(self) -> &'static str {
        match self {
            PlatformKind::Facebook => "Facebook",
            PlatformKind::Instagram => "Instagram",
            PlatformKind::Youtube => "YouTube",
            PlatformKind::Linkedin => "LinkedIn",
            PlatformKind::X => "X",
        }
    }
}

impl std::fmt::Display for PlatformKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
