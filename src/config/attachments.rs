//! Which hosts comment attachments may be fetched from (the media hash
//! check): each platform's media CDNs, or the city's own list
//! (`polling.attachment_hosts`). The fetching itself, with its address
//! checks, is [`crate::platforms::media`]'s.

use std::net::IpAddr;

use crate::domain::PlatformKind;

/// The media hosts each platform serves attachments from, by default.
/// `*.` matches any name below the domain (not the domain itself).
pub fn default_media_hosts(platform: PlatformKind) -> &'static [&'static str] {
    match platform {
        PlatformKind::Facebook => &["*.fbcdn.net"],
        PlatformKind::Instagram => &["*.cdninstagram.com", "*.fbcdn.net"],
        PlatformKind::Youtube => &["*.ytimg.com", "*.googleusercontent.com", "*.ggpht.com"],
        PlatformKind::Linkedin => &["media.licdn.com"],
        PlatformKind::X => &["pbs.twimg.com", "video.twimg.com"],
    }
}

/// The hosts attachments may be fetched from: each platform's own media
/// hosts, or one list the city configured (`polling.attachment_hosts`)
/// when a platform moves its media or the city wants fewer hosts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaHosts {
    /// The configured list; `None` means each platform's defaults.
    configured: Option<Vec<String>>,
}

impl MediaHosts {
    /// Each platform's own media hosts ([`default_media_hosts`]).
    pub fn platform_defaults() -> Self {
        Self::default()
    }

    /// One list for every platform, each entry checked with
    /// [`check_host_pattern`] by the configuration loader.
    pub fn configured(patterns: Vec<String>) -> Self {
        Self {
            configured: Some(patterns.into_iter().map(|p| p.to_lowercase()).collect()),
        }
    }

    /// Whether `host` (a DNS name as the URL parser normalised it) may be
    /// fetched for an attachment of `platform`.
    pub fn allows(&self, platform: PlatformKind, host: &str) -> bool {
        match &self.configured {
            Some(list) => list.iter().any(|p| host_matches(p, host)),
            None => default_media_hosts(platform)
                .iter()
                .any(|p| host_matches(p, host)),
        }
    }
}

/// Whether `host` matches `pattern`: equal, or below the domain of a
/// `*.domain` pattern.
fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .is_some_and(|label| label.len() > 1 && label.ends_with('.')),
        None => host == pattern,
    }
}

/// Checks one allow-list entry (configuration loading): a DNS name, optionally `*.` before it; no
/// scheme, port, path or IP address (an address is never a media host).
pub fn check_host_pattern(pattern: &str) -> Result<(), String> {
    let name = pattern.strip_prefix("*.").unwrap_or(pattern);
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if name.parse::<IpAddr>().is_ok() {
        return Err(format!(
            "{pattern:?} is an IP address; give the media host's name"
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 || !labels.iter().all(|l| valid_label(l)) {
        return Err(format!(
            "{pattern:?} is not a host name such as \"media.licdn.com\" or \"*.fbcdn.net\" \
             (no scheme, port or path)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_platforms_media_hosts_are_allowed() {
        let defaults = MediaHosts::platform_defaults();
        assert!(defaults.allows(PlatformKind::Facebook, "scontent.xx.fbcdn.net"));
        assert!(!defaults.allows(PlatformKind::Facebook, "fbcdn.net.evil.example"));
        assert!(!defaults.allows(PlatformKind::Facebook, "evilfbcdn.net"));
        assert!(!defaults.allows(PlatformKind::Facebook, "pbs.twimg.com"));
        assert!(defaults.allows(PlatformKind::X, "pbs.twimg.com"));
        assert!(defaults.allows(PlatformKind::Linkedin, "media.licdn.com"));
        assert!(defaults.allows(PlatformKind::Youtube, "i.ytimg.com"));
        let city = MediaHosts::configured(vec!["Media.Example.se".into()]);
        assert!(city.allows(PlatformKind::Facebook, "media.example.se"));
        assert!(!city.allows(PlatformKind::Facebook, "scontent.xx.fbcdn.net"));

        assert!(check_host_pattern("*.fbcdn.net").is_ok());
        for bad in [
            "10.0.0.1",
            "https://fbcdn.net",
            "cdn.example:443",
            "*",
            "localhost",
        ] {
            assert!(check_host_pattern(bad).is_err(), "{bad}");
        }
    }
}
