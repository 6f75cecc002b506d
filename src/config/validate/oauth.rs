//! Validation of an account's credentials — a static token, or an OAuth
//! 2.0 refresh-token grant under `[accounts.oauth]` — and of the
//! `LinkedIn-Version` an account pins.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::super::OAuthConfig;
use super::super::raw::{RawAccount, RawOAuth};
use super::secrets::{SecretSource, SecretSources, Secrets, resolve_secret};
use super::{Problems, optional, required, web_url};
use crate::domain::PlatformKind;

/// The account's static token or its OAuth grant: exactly one of them.
/// `None` when a problem was reported.
pub(super) fn credentials(
    raw: &RawAccount,
    platform: Option<PlatformKind>,
    prefix: &str,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<(Option<SecretString>, Option<OAuthConfig>)> {
    let token_sources = SecretSources {
        prefix,
        what: "token",
        env: raw.token_env.as_deref(),
        file: raw.token_file.as_deref(),
        credential: raw.token_credential.as_deref(),
    };
    let Some(oauth) = &raw.oauth else {
        return resolve_secret(&token_sources, secrets, problems).map(|token| (Some(token), None));
    };
    let key = format!("{prefix}.oauth");
    if token_sources.any_given() {
        problems.add(
            &key,
            "is set together with a token; an account uses either a static token \
             (token_env, token_file, token_credential) or [accounts.oauth], not both",
        );
        return None;
    }
    let grant = grant(oauth, platform?, &key, secrets, problems)?;
    Some((None, Some(grant)))
}

/// The token endpoint each OAuth platform documents.
fn default_token_endpoint(platform: PlatformKind) -> Option<&'static str> {
    match platform {
        PlatformKind::Youtube => Some("https://oauth2.googleapis.com/token"),
        PlatformKind::Linkedin => Some("https://www.linkedin.com/oauth/v2/accessToken"),
        PlatformKind::Facebook | PlatformKind::Instagram | PlatformKind::X => None,
    }
}

fn grant(
    raw: &RawOAuth,
    platform: PlatformKind,
    key: &str,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<OAuthConfig> {
    let at = |field: &str| format!("{key}.{field}");
    let Some(default_endpoint) = default_token_endpoint(platform) else {
        problems.add(
            key,
            format!(
                "{platform} accounts use a static token; OAuth refresh-token grants are for \
                 youtube and linkedin accounts"
            ),
        );
        return None;
    };
    let client_id = required(
        raw.client_id.as_deref(),
        &at("client_id"),
        "give the OAuth client id from the platform's developer console",
        problems,
    );
    let client_secret = resolve_secret(
        &SecretSources {
            prefix: key,
            what: "client_secret",
            env: raw.client_secret_env.as_deref(),
            file: raw.client_secret_file.as_deref(),
            credential: raw.client_secret_credential.as_deref(),
        },
        secrets,
        problems,
    );
    let refresh_token_file = refresh_token_file(
        raw.refresh_token_file.as_deref(),
        &at("refresh_token_file"),
        secrets,
        problems,
    );
    let token_endpoint = match optional(raw.token_endpoint.as_deref()) {
        Some(text) => web_url(text, &at("token_endpoint"), problems).map(String::from),
        None => Some(default_endpoint.to_string()),
    };
    Some(OAuthConfig {
        client_id: client_id?.to_string(),
        client_secret: client_secret?,
        refresh_token_file: refresh_token_file?,
        token_endpoint: token_endpoint?,
    })
}

/// The file must hold a refresh token now, and its directory must exist
/// for the atomic rewrite. The token is a secret: without secrets it is
/// only named.
fn refresh_token_file(
    value: Option<&str>,
    key: &str,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<PathBuf> {
    let path = PathBuf::from(required(
        value,
        key,
        "give the file that holds the refresh token (the service rewrites it when the \
         platform hands out a new one)",
        problems,
    )?);
    if secrets.only_list(key, SecretSource::File(path.clone())) {
        return Some(path);
    }
    match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().is_empty() => {
            problems.add(
                key,
                format!(
                    "{} is empty; write the refresh token from the platform's consent flow into it",
                    path.display()
                ),
            );
            None
        }
        Ok(_) => Some(path),
        Err(error) => {
            let directory = path.parent().filter(|d| !d.as_os_str().is_empty());
            let hint = if directory.is_some_and(|d| !Path::exists(d)) {
                "; its directory does not exist either"
            } else {
                ""
            };
            problems.add(
                key,
                format!("cannot read {} ({error}){hint}", path.display()),
            );
            None
        }
    }
}

/// A LinkedIn account must name the `LinkedIn-Version` it was tested
/// against (`YYYYMM`); whether it is near its sunset depends on the day
/// and is checked by `check-config` and the daily run.
pub(super) fn linkedin_version(
    value: Option<&str>,
    key: &str,
    problems: &mut Problems,
) -> Option<String> {
    let version = required(
        value,
        key,
        "LinkedIn supports each LinkedIn-Version for one year, so give the version the \
         service was tested against as YYYYMM, e.g. \"202611\"",
        problems,
    )?;
    match crate::domain::linkedin_version::version_sunset(version) {
        Ok(_) => Some(version.to_string()),
        Err(reason) => {
            problems.add(key, format!("{reason}; write e.g. \"202611\""));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use secrecy::ExposeSecret;

    use super::super::{ConfigError, Problem, load_str_with_env};

    const SECRET: &str = "GOCSPX-client-secret-value";

    /// One department and one account whose body is `account`.
    fn config_with(account: &str) -> String {
        format!(
            r#"
            [mail]
            from = "kommentarsvakt@stockholm.se"
            transport = "folder"

            [[departments]]
            key = "kultur"
            name = "Kulturförvaltningen"

            [[accounts]]
            key = "kulturhuset"
            name = "Kulturhuset"
            department = "kultur"
            moderators = ["karin.karlsson@stockholm.se"]
            purpose = "Visa föreställningar"
            {account}
            "#
        )
    }

    fn env() -> HashMap<String, String> {
        HashMap::from([
            ("OAUTH_SECRET".to_string(), SECRET.to_string()),
            ("TOKEN".to_string(), "static-token".to_string()),
        ])
    }

    fn problems(account: &str) -> Vec<Problem> {
        match load_str_with_env(&config_with(account), "test.toml", &env()) {
            Err(ConfigError::Invalid { problems, .. }) => problems,
            Err(other) => panic!("expected problems, got {other}"),
            Ok(_) => panic!("expected problems, the config was accepted"),
        }
    }

    fn refresh_file(dir: &tempfile::TempDir, content: &str) -> String {
        let path = dir.path().join("refresh-token");
        std::fs::write(&path, content).expect("write");
        path.display().to_string()
    }

    #[test]
    fn an_oauth_account_needs_no_token_and_gets_its_platforms_token_endpoint() {
        let dir = tempfile::tempdir().expect("dir");
        let file = refresh_file(&dir, "1//0g-refresh\n");
        let text = config_with(&format!(
            r#"
            platform = "youtube"
            platform_id = "UCxxxxxxxxxxxxxxxxxxxx01"
            [accounts.oauth]
            client_id = "123-abc.apps.googleusercontent.com"
            client_secret_env = "OAUTH_SECRET"
            refresh_token_file = "{file}"
            "#
        ));
        let config =
            load_str_with_env(&text, "test.toml", &env()).unwrap_or_else(|e| panic!("{e}"));
        let account = &config.accounts[0];
        assert!(account.token.is_none());
        let oauth = account.oauth.as_ref().expect("oauth");
        assert_eq!(oauth.client_id, "123-abc.apps.googleusercontent.com");
        assert_eq!(oauth.client_secret.expose_secret(), SECRET);
        assert_eq!(oauth.token_endpoint, "https://oauth2.googleapis.com/token");
        assert_eq!(oauth.refresh_token_file.display().to_string(), file);
        assert!(!format!("{oauth:?}").contains(SECRET));
    }

    #[test]
    fn each_oauth_mistake_is_named_by_its_key() {
        let dir = tempfile::tempdir().expect("dir");
        let file = refresh_file(&dir, "  \n");
        let both = problems(&format!(
            r#"
            platform = "linkedin"
            platform_id = "urn:li:organization:1"
            api_version = "202611"
            token_env = "TOKEN"
            [accounts.oauth]
            client_id = "c"
            client_secret_env = "OAUTH_SECRET"
            refresh_token_file = "{file}"
            "#
        ));
        assert_eq!(both.len(), 1, "{both:?}");
        assert_eq!(both[0].key, "accounts[0].oauth");
        assert!(both[0].reason.contains("not both"), "{}", both[0].reason);

        let facebook = problems(
            r#"
            platform = "facebook"
            platform_id = "1"
            [accounts.oauth]
            client_id = "c"
            "#,
        );
        assert!(
            facebook
                .iter()
                .any(|p| p.key == "accounts[0].oauth" && p.reason.contains("static token")),
            "{facebook:?}"
        );

        let incomplete = problems(&format!(
            r#"
            platform = "youtube"
            platform_id = "UC1"
            [accounts.oauth]
            refresh_token_file = "{file}"
            token_endpoint = "not a url"
            "#
        ));
        let keys: Vec<&str> = incomplete.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "accounts[0].oauth.client_id",
                "accounts[0].oauth",
                "accounts[0].oauth.refresh_token_file",
                "accounts[0].oauth.token_endpoint"
            ],
            "{incomplete:?}"
        );
        assert!(incomplete[1].reason.contains("client_secret_env"));
        assert!(incomplete[2].reason.contains("is empty"));
    }

    #[test]
    fn a_linkedin_account_names_its_version_as_yyyymm() {
        let missing = problems(
            r#"
            platform = "linkedin"
            platform_id = "urn:li:organization:1"
            token_env = "TOKEN"
            "#,
        );
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(missing[0].key, "accounts[0].api_version");
        assert!(
            missing[0].reason.contains("one year"),
            "{}",
            missing[0].reason
        );

        let malformed = problems(
            r#"
            platform = "linkedin"
            platform_id = "urn:li:organization:1"
            token_env = "TOKEN"
            api_version = "2026-11"
            "#,
        );
        assert_eq!(malformed[0].key, "accounts[0].api_version");
        assert!(
            malformed[0].reason.contains("YYYYMM"),
            "{}",
            malformed[0].reason
        );
    }
}
