//! The one way to build an account in code rather than from a config file:
//! tests, the fuzz harness and tools that wire an account to a simulator
//! start from [`AccountConfig::new`] and change what they need, so a field
//! added to [`AccountConfig`] gets its default here once instead of in
//! every struct literal.

use crate::domain::PlatformKind;

use super::AccountConfig;
use super::validate::{default_api_base_url, default_api_version};

impl AccountConfig {
    /// The account `key` on `platform` (the platform's id of it:
    /// `platform_id`) with every optional setting at the default a config
    /// file gives it: the platform's public API host and version, no token,
    /// no dry run, unread languages sent to review. The settings a config
    /// file requires besides these are left for the caller: `name` is the
    /// key, `department` and `purpose` are empty, and there are no
    /// moderators. LinkedIn has no lasting default version (each is sunset
    /// after a year), so its `api_version` is empty until set.
    ///
    /// Change fields with struct update syntax:
    /// `AccountConfig { dry_run: true, ..AccountConfig::new("stadshuset", PlatformKind::Facebook, "100") }`.
    pub fn new(key: &str, platform: PlatformKind, platform_id: &str) -> Self {
        Self {
            key: key.to_string(),
            platform,
            platform_id: platform_id.to_string(),
            name: key.to_string(),
            department: String::new(),
            moderators: Vec::new(),
            purpose: String::new(),
            link: None,
            register: Default::default(),
            token: None,
            api_base_url: default_api_base_url(platform).to_string(),
            api_version: default_api_version(platform)
                .unwrap_or_default()
                .to_string(),
            dry_run: false,
            review_unread_languages: true,
            oauth: None,
            quota_project: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_account_has_the_defaults_a_config_file_gives() {
        let toml = r#"
[database]
url = "sqlite::memory:"
[mail]
from = "kv@example.se"
transport = "folder"
[[departments]]
key = "slk"
name = "Stadsledningskontoret"
[[accounts]]
key = "yt"
platform = "youtube"
platform_id = "UC123"
name = "yt"
department = "slk"
moderators = ["moderator@example.se"]
purpose = "Test"
token_env = "YT_TOKEN"
"#;
        let env = std::collections::HashMap::from([("YT_TOKEN".to_string(), "t".to_string())]);
        let loaded = crate::config::load_str_with_env(toml, "test.toml", &env)
            .unwrap_or_else(|e| panic!("{e}"))
            .accounts
            .remove(0);
        let built = AccountConfig {
            department: "slk".to_string(),
            moderators: vec!["moderator@example.se".to_string()],
            purpose: "Test".to_string(),
            token: Some("t".to_string().into()),
            ..AccountConfig::new("yt", PlatformKind::Youtube, "UC123")
        };
        assert_eq!(format!("{built:?}"), format!("{loaded:?}"));
    }
}
