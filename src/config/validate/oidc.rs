//! Validation of `[web.oidc]`, the login through the city's identity
//! provider: the issuer must be reached over TLS (loopback excepted, for
//! tests and a provider on the same host), the client secret must be
//! readable now rather than at the first login, and every account a group
//! is mapped to must exist — a typo would silently give nobody access.

use std::collections::BTreeMap;

use super::super::OidcConfig;
use super::super::raw::RawOidc;
use super::secrets::{SecretSources, Secrets, resolve_secret};
use super::{Problems, is_loopback, optional, required, web_url};

const KEY: &str = "web.oidc";
/// The claim most providers carry the address in.
const DEFAULT_USER_CLAIM: &str = "email";
/// Entra ID's (and most providers') name for the groups claim.
const DEFAULT_GROUPS_CLAIM: &str = "groups";

/// `[web.oidc]`, or `None` when a problem was reported.
pub(super) fn oidc(
    raw: &RawOidc,
    account_keys: &[&str],
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<OidcConfig> {
    let at = |field: &str| format!("{KEY}.{field}");
    let issuer = issuer(raw.issuer.as_deref(), &at("issuer"), problems);
    let client_id = required(
        raw.client_id.as_deref(),
        &at("client_id"),
        "give the console's client (application) id registered at the identity provider",
        problems,
    );
    let client_secret = resolve_secret(
        &SecretSources {
            prefix: KEY,
            what: "client_secret",
            env: raw.client_secret_env.as_deref(),
            file: raw.client_secret_file.as_deref(),
            credential: raw.client_secret_credential.as_deref(),
        },
        secrets,
        problems,
    );
    let user_claim = claim_name(
        raw.user_claim.as_deref(),
        DEFAULT_USER_CLAIM,
        &at("user_claim"),
        problems,
    );
    let groups_claim = claim_name(
        raw.groups_claim.as_deref(),
        DEFAULT_GROUPS_CLAIM,
        &at("groups_claim"),
        problems,
    );
    let registry_groups = groups(
        raw.registry_groups.as_deref(),
        &at("registry_groups"),
        problems,
    );
    let operations_groups = groups(
        raw.operations_groups.as_deref(),
        &at("operations_groups"),
        problems,
    );
    let moderator_groups = moderator_groups(
        raw.moderator_groups.as_ref(),
        account_keys,
        &at("moderator_groups"),
        problems,
    );
    Some(OidcConfig {
        issuer: issuer?,
        client_id: client_id?.to_string(),
        client_secret: client_secret?,
        user_claim: user_claim?,
        groups_claim: groups_claim?,
        registry_groups: registry_groups?,
        operations_groups: operations_groups?,
        moderator_groups: moderator_groups?,
    })
}

/// The issuer as written (it must equal the tokens' `iss` exactly), with
/// https required off loopback.
fn issuer(value: Option<&str>, key: &str, problems: &mut Problems) -> Option<String> {
    let text = required(
        value,
        key,
        "give the identity provider's issuer, e.g. \
         \"https://login.microsoftonline.com/<tenant id>/v2.0\" for Entra ID",
        problems,
    )?;
    let url = web_url(text, key, problems)?;
    if url.scheme() != "https" && !url.host_str().is_some_and(is_loopback) {
        problems.add(
            key,
            format!(
                "\"{text}\" is plain http on a non-loopback host; the login's codes and tokens \
                 must travel over TLS — write the https:// issuer"
            ),
        );
        return None;
    }
    if url.query().is_some() || url.fragment().is_some() {
        problems.add(
            key,
            format!("\"{text}\" has a query or fragment, which an issuer never has"),
        );
        return None;
    }
    Some(text.to_string())
}

fn claim_name(
    value: Option<&str>,
    default: &str,
    key: &str,
    problems: &mut Problems,
) -> Option<String> {
    match value {
        None => Some(default.to_string()),
        Some(text) => match optional(Some(text)) {
            Some(name) => Some(name.to_string()),
            None => {
                problems.add(
                    key,
                    format!("is empty; leave it out for \"{default}\" or name the claim"),
                );
                None
            }
        },
    }
}

fn groups(value: Option<&[String]>, key: &str, problems: &mut Problems) -> Option<Vec<String>> {
    let mut ok = true;
    let groups = value
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, group)| {
            let group = optional(Some(group));
            if group.is_none() {
                problems.add(
                    format!("{key}[{i}]"),
                    "is empty; give the group's id as the provider puts it in the groups claim \
                     (Entra: the group's object id)",
                );
                ok = false;
            }
            group.map(str::to_string)
        })
        .collect();
    ok.then_some(groups)
}

fn moderator_groups(
    value: Option<&BTreeMap<String, Vec<String>>>,
    account_keys: &[&str],
    key: &str,
    problems: &mut Problems,
) -> Option<BTreeMap<String, Vec<String>>> {
    let mut ok = true;
    let mut mapped = BTreeMap::new();
    for (group, accounts) in value.into_iter().flatten() {
        let at = format!("{key}.\"{group}\"");
        if group.trim().is_empty() {
            problems.add(&at, "names an empty group; give the group's id");
            ok = false;
        }
        if accounts.is_empty() {
            problems.add(
                &at,
                "lists no accounts; name the account keys its members moderate",
            );
            ok = false;
        }
        for account in accounts {
            if !account_keys.contains(&account.as_str()) {
                problems.add(
                    &at,
                    format!(
                        "names account \"{account}\", which is not configured; use the key of \
                         an [[accounts]] entry"
                    ),
                );
                ok = false;
            }
        }
        mapped.insert(group.trim().to_string(), accounts.clone());
    }
    ok.then_some(mapped)
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::super::secrets::SecretMode;
    use super::*;

    fn raw() -> RawOidc {
        RawOidc {
            issuer: Some("https://login.microsoftonline.com/9188040d/v2.0".into()),
            client_id: Some("0e5a1f7c".into()),
            client_secret_env: Some("KV_OIDC_SECRET".into()),
            ..RawOidc::default()
        }
    }

    fn env_with_secret(name: &str) -> Option<String> {
        (name == "KV_OIDC_SECRET").then(|| "s3cret".to_string())
    }

    fn problems_of(raw: &RawOidc, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        let mut problems = Problems::default();
        oidc(
            raw,
            &["konto-a"],
            &Secrets::new(env, SecretMode::Read),
            &mut problems,
        );
        problems.0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn entra_settings_load_with_their_defaults() {
        let mut problems = Problems::default();
        let secrets = Secrets::new(&env_with_secret, SecretMode::Read);
        let config = oidc(&raw(), &["konto-a"], &secrets, &mut problems).unwrap();
        assert!(problems.is_empty());
        assert_eq!(
            config.issuer,
            "https://login.microsoftonline.com/9188040d/v2.0"
        );
        assert_eq!(config.client_secret.expose_secret(), "s3cret");
        assert_eq!(config.user_claim, "email");
        assert_eq!(config.groups_claim, "groups");
        assert!(config.moderator_groups.is_empty());
    }

    #[test]
    fn a_plain_http_issuer_is_refused_except_on_loopback() {
        let mut remote = raw();
        remote.issuer = Some("http://idp.example.se".into());
        let problems = problems_of(&remote, &env_with_secret);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("web.oidc.issuer:"), "{problems:?}");
        assert!(problems[0].contains("TLS"), "{problems:?}");

        let mut local = raw();
        local.issuer = Some("http://127.0.0.1:4000".into());
        assert!(problems_of(&local, &env_with_secret).is_empty());
    }

    #[test]
    fn a_missing_secret_variable_is_named_without_a_value() {
        let problems = problems_of(&raw(), &|_| None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("web.oidc.client_secret_env:")
                && problems[0].contains("KV_OIDC_SECRET is not set"),
            "{problems:?}"
        );
    }

    #[test]
    fn every_mistake_is_reported_with_its_key() {
        let raw = RawOidc {
            issuer: None,
            client_id: Some(" ".into()),
            user_claim: Some("".into()),
            registry_groups: Some(vec!["".into()]),
            moderator_groups: Some(BTreeMap::from([(
                "grupp-1".to_string(),
                vec!["konto-saknas".to_string()],
            )])),
            ..RawOidc::default()
        };
        let keys: Vec<String> = problems_of(&raw, &env_with_secret)
            .iter()
            .map(|p| p.split(": ").next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            keys,
            [
                "web.oidc.issuer",
                "web.oidc.client_id",
                "web.oidc",
                "web.oidc.user_claim",
                "web.oidc.registry_groups[0]",
                "web.oidc.moderator_groups.\"grupp-1\"",
            ]
        );
    }
}
