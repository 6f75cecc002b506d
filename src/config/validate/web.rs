//! Validation of `[web]`, the moderators' console.
//!
//! The console is off unless `web.listen` is written. Two settings guard
//! against exposing it by mistake: the public address must be https unless
//! it is a loopback address, and the password-less demo login is refused
//! unless the console listens on loopback only.

use std::net::SocketAddr;
use std::time::Duration;

use super::super::WebConfig;
use super::super::raw::RawWeb;
use super::oidc::oidc;
use super::secrets::Secrets;
use super::{Problems, check_duration_between, duration_or, email, is_loopback, optional, web_url};

const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);
const MIN_SESSION_TTL: Duration = Duration::from_secs(5 * 60);
const MAX_SESSION_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// `[web]`: `None` when the section is absent (the console is off).
/// `account_keys` are the configured accounts, which `[web.oidc]` groups
/// may be mapped to; `secrets` reads the OpenID client secret.
pub(super) fn web(
    raw: Option<&RawWeb>,
    account_keys: &[&str],
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<WebConfig> {
    let raw = raw?;
    let listen = listen(raw.listen.as_deref(), problems);
    let public_url = public_url(raw.public_url.as_deref(), listen, problems);
    let demo_login = raw.demo_login.unwrap_or(false);
    if demo_login && listen.is_some_and(|a| !a.ip().is_loopback()) {
        problems.add(
            "web.demo_login",
            format!(
                "is true but web.listen ({}) is not a loopback address; the demo login has no \
                 password and must never be reachable from the network — listen on 127.0.0.1 \
                 or turn the demo login off",
                listen.map(|a| a.to_string()).unwrap_or_default()
            ),
        );
    }
    let session_ttl = duration_or(
        raw.session_ttl.as_deref(),
        DEFAULT_SESSION_TTL,
        "web.session_ttl",
        problems,
    );
    check_duration_between(
        session_ttl,
        MIN_SESSION_TTL,
        Some(MAX_SESSION_TTL),
        "web.session_ttl",
        "a login should last a working day, not longer",
        problems,
    );
    let registry = logins(raw.registry.as_deref(), "web.registry", problems);
    let operations = logins(raw.operations.as_deref(), "web.operations", problems);
    let oidc = match &raw.oidc {
        Some(section) => Some(oidc(section, account_keys, secrets, problems)?),
        None => None,
    };
    let (listen, (public_url, secure_cookies)) = (listen?, public_url?);
    Some(WebConfig {
        listen,
        public_url,
        secure_cookies,
        demo_login,
        session_ttl,
        registry,
        operations,
        oidc,
    })
}

fn listen(value: Option<&str>, problems: &mut Problems) -> Option<SocketAddr> {
    let Some(text) = optional(value) else {
        problems.add(
            "web.listen",
            "is missing; write the IP address and port the console listens on (e.g. \
             \"127.0.0.1:8080\"), or leave out the [web] section to not serve the console",
        );
        return None;
    };
    match text.parse::<SocketAddr>() {
        Ok(address) => Some(address),
        Err(_) => {
            problems.add(
                "web.listen",
                format!(
                    "\"{text}\" is not an IP address with a port; write e.g. \"127.0.0.1:8080\""
                ),
            );
            None
        }
    }
}

/// The public address without a trailing slash, and whether it is https.
fn public_url(
    value: Option<&str>,
    listen: Option<SocketAddr>,
    problems: &mut Problems,
) -> Option<(String, bool)> {
    let Some(text) = optional(value) else {
        return match listen {
            Some(address) if address.ip().is_loopback() => {
                Some((format!("http://{address}"), false))
            }
            Some(_) => {
                problems.add(
                    "web.public_url",
                    "is missing; the console listens on a non-loopback address, so write the \
                     https:// address people open it at (the TLS proxy in front of it)",
                );
                None
            }
            None => None,
        };
    };
    let url = web_url(text, "web.public_url", problems)?;
    let https = url.scheme() == "https";
    if !https && !url.host_str().is_some_and(is_loopback) {
        problems.add(
            "web.public_url",
            format!(
                "\"{text}\" is plain http on a non-loopback host; logins and session cookies \
                 must travel over TLS — write an https:// address"
            ),
        );
        return None;
    }
    if url.query().is_some() || url.fragment().is_some() {
        problems.add(
            "web.public_url",
            format!("\"{text}\" has a query or fragment; write only the base address"),
        );
        return None;
    }
    Some((url.as_str().trim_end_matches('/').to_string(), https))
}

fn logins(value: Option<&[String]>, key: &str, problems: &mut Problems) -> Vec<String> {
    value
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, text)| email(text, &format!("{key}[{i}]"), problems))
        .map(|address| address.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::secrets::SecretMode;
    use super::*;

    /// No environment: the web section itself reads no secret.
    fn no_env() -> Secrets<'static> {
        Secrets::new(&|_| None, SecretMode::Read)
    }

    fn raw(listen: &str) -> RawWeb {
        RawWeb {
            listen: Some(listen.to_string()),
            ..RawWeb::default()
        }
    }

    fn problems_of(raw: &RawWeb) -> Vec<String> {
        let mut problems = Problems::default();
        web(Some(raw), &[], &no_env(), &mut problems);
        problems.0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn loopback_console_defaults_to_http_on_its_address() {
        let mut problems = Problems::default();
        let config = web(Some(&raw("127.0.0.1:8080")), &[], &no_env(), &mut problems).unwrap();
        assert!(problems.is_empty());
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert!(!config.secure_cookies);
        assert_eq!(config.session_ttl, DEFAULT_SESSION_TTL);
        assert!(!config.demo_login);
    }

    #[test]
    fn demo_login_on_a_network_address_is_refused() {
        let mut raw = raw("0.0.0.0:8080");
        raw.demo_login = Some(true);
        raw.public_url = Some("https://konsol.example.se/".into());
        let problems = problems_of(&raw);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("web.demo_login: is true but web.listen (0.0.0.0:8080)"));
    }

    #[test]
    fn plain_http_public_address_off_loopback_is_refused() {
        let mut raw = raw("10.0.0.5:8080");
        raw.public_url = Some("http://konsol.example.se".into());
        let problems = problems_of(&raw);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("must travel over TLS"), "{problems:?}");
    }

    #[test]
    fn every_mistake_is_reported_with_its_key() {
        let raw = RawWeb {
            listen: Some("localhost".into()),
            session_ttl: Some("2d".into()),
            registry: Some(vec!["inte en adress".into()]),
            ..RawWeb::default()
        };
        let keys: Vec<String> = problems_of(&raw)
            .iter()
            .map(|p| p.split(':').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(keys, ["web.listen", "web.session_ttl", "web.registry[0]"]);
    }

    #[test]
    fn https_public_address_makes_cookies_secure_and_loses_its_slash() {
        let mut raw = raw("10.0.0.5:8080");
        raw.public_url = Some("https://konsol.example.se/".into());
        raw.operations = Some(vec!["Drift@Example.se".into()]);
        let mut problems = Problems::default();
        let config = web(Some(&raw), &[], &no_env(), &mut problems).unwrap();
        assert!(problems.is_empty());
        assert_eq!(config.public_url, "https://konsol.example.se");
        assert!(config.secure_cookies);
        assert_eq!(config.operations, ["drift@example.se"]);
    }
}
