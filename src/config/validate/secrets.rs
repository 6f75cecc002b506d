//! Secrets (access tokens, client secrets, the SMTP password, webhook
//! signing secrets, OAuth refresh tokens): read during validation from an
//! environment variable, a file or a systemd credential — or, for
//! `check-config --no-secrets` run from an operator's shell, only named, so
//! that the operator learns which secrets a real run will need without the
//! shell having (or being allowed to read) any of them.
//!
//! A secret goes straight into a [`SecretString`] and is never part of a
//! problem's text.

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::Problems;

/// Whether validation reads the secrets or only names where they live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretMode {
    /// Read every secret; a missing one is a problem (a real run).
    Read,
    /// Read none; list each one as a [`NeededSecret`] (`check-config
    /// --no-secrets`).
    ListOnly,
}

/// A secret a real run reads, named by the key that points to it, so that
/// the operator knows what to provide before starting the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededSecret {
    /// The key that names the source, e.g. `accounts[0].token_env`.
    pub key: String,
    /// Where the secret will be read from.
    pub source: SecretSource,
}

/// Where a secret lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An environment variable of the service.
    Environment(String),
    /// A file (relative paths resolve against the working directory).
    File(PathBuf),
    /// A systemd credential (`LoadCredential=NAME:…`).
    Credential(String),
}

impl fmt::Display for NeededSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            SecretSource::Environment(name) => {
                write!(f, "{}: environment variable {name}", self.key)
            }
            SecretSource::File(path) => write!(f, "{}: file {}", self.key, path.display()),
            SecretSource::Credential(name) => write!(
                f,
                "{}: systemd credential {name} (LoadCredential={name}:…)",
                self.key
            ),
        }
    }
}

/// How validation gets at secrets: the environment lookup (injected so
/// that tests need not touch the process environment) and the mode.
pub(in crate::config) struct Secrets<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    mode: SecretMode,
    needed: RefCell<Vec<NeededSecret>>,
}

impl<'a> Secrets<'a> {
    /// Secrets read through `env` (variables and `CREDENTIALS_DIRECTORY`).
    pub(in crate::config) fn new(
        env: &'a dyn Fn(&str) -> Option<String>,
        mode: SecretMode,
    ) -> Self {
        Self {
            env,
            mode,
            needed: RefCell::new(Vec::new()),
        }
    }

    /// In [`SecretMode::ListOnly`], records that `source` is needed and
    /// returns `true`: the caller then must not read it.
    pub(super) fn only_list(&self, key: &str, source: SecretSource) -> bool {
        if self.mode == SecretMode::Read {
            return false;
        }
        self.needed.borrow_mut().push(NeededSecret {
            key: key.to_string(),
            source,
        });
        true
    }

    /// The secrets named so far, in the order of the file.
    pub(in crate::config) fn into_needed(self) -> Vec<NeededSecret> {
        self.needed.into_inner()
    }
}

/// Where a secret may be read from: exactly one of the three keys
/// `<what>_env`, `<what>_file`, `<what>_credential` under `prefix`.
pub(super) struct SecretSources<'a> {
    pub(super) prefix: &'a str,
    pub(super) what: &'a str,
    pub(super) env: Option<&'a str>,
    pub(super) file: Option<&'a str>,
    pub(super) credential: Option<&'a str>,
}

impl SecretSources<'_> {
    fn key(&self, source: &str) -> String {
        format!("{}.{}_{source}", self.prefix, self.what)
    }

    /// Whether any of the three keys is written.
    pub(super) fn any_given(&self) -> bool {
        self.env.is_some() || self.file.is_some() || self.credential.is_some()
    }
}

/// Reads the secret from its one configured source (in
/// [`SecretMode::ListOnly`]: checks the source and names it; the returned
/// value is then an empty stand-in that never leaves validation).
pub(super) fn resolve_secret(
    sources: &SecretSources<'_>,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<SecretString> {
    let given: Vec<&str> = [
        ("env", sources.env),
        ("file", sources.file),
        ("credential", sources.credential),
    ]
    .into_iter()
    .filter(|(_, value)| value.is_some())
    .map(|(source, _)| source)
    .collect();
    let what = sources.what;
    let choices = format!("{what}_env, {what}_file or {what}_credential");
    match given.as_slice() {
        [] => {
            problems.add(
                sources.prefix,
                format!("has no {what}; set exactly one of {choices}"),
            );
            return None;
        }
        [_] => {}
        several => {
            let keys = several
                .iter()
                .map(|source| format!("{what}_{source}"))
                .collect::<Vec<_>>()
                .join(" and ");
            problems.add(
                sources.prefix,
                format!("sets {keys}; set exactly one of {choices}"),
            );
            return None;
        }
    }
    let (key, source) = if let Some(name) = sources.env {
        let key = sources.key("env");
        let source = SecretSource::Environment(env_name(name, &key, problems)?);
        (key, source)
    } else if let Some(path) = sources.file {
        let source = SecretSource::File(PathBuf::from(path.trim()));
        (sources.key("file"), source)
    } else {
        let key = sources.key("credential");
        let name = sources.credential.unwrap_or_default();
        let source = SecretSource::Credential(credential_name(name, &key, problems)?);
        (key, source)
    };
    if secrets.only_list(&key, source.clone()) {
        return Some(SecretString::from(String::new()));
    }
    let value = match &source {
        SecretSource::Environment(name) => secret_from_env(name, &key, secrets, problems),
        SecretSource::File(path) => secret_from_file(path, &key, problems),
        SecretSource::Credential(name) => secret_from_credential(name, &key, secrets, problems),
    }?;
    let value = value.trim();
    if value.is_empty() {
        problems.add(key, format!("points to an empty {what}"));
        return None;
    }
    if value.starts_with(EXAMPLE_PLACEHOLDER) {
        problems.add(
            key,
            format!(
                "still holds the placeholder of deploy/kommentarsvakt.env.example; replace it \
                 with the real {what}"
            ),
        );
        return None;
    }
    Some(SecretString::from(value.to_string()))
}

/// How every value in `deploy/kommentarsvakt.env.example` begins: an
/// environment file copied from the example but not yet filled in would
/// otherwise pass the check and fail at the platform, as an expired token.
pub(super) const EXAMPLE_PLACEHOLDER: &str = "replace-with-";

fn env_name(name: &str, key: &str, problems: &mut Problems) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        problems.add(key, "is empty; give the name of an environment variable");
        return None;
    }
    Some(name.to_string())
}

/// The NAME of `LoadCredential=NAME:…`: a file name in the credentials
/// directory.
fn credential_name(name: &str, key: &str, problems: &mut Problems) -> Option<String> {
    let name = name.trim();
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        problems.add(
            key,
            format!("\"{name}\" is not a credential name; give the NAME of LoadCredential=NAME:…"),
        );
        return None;
    }
    Some(name.to_string())
}

fn secret_from_env(
    name: &str,
    key: &str,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<String> {
    let value = (secrets.env)(name);
    if value.is_none() {
        problems.add(
            key,
            format!(
                "environment variable {name} is not set; set it for the service (e.g. in \
                 its EnvironmentFile) or read the secret from a file or credential instead"
            ),
        );
    }
    value
}

fn secret_from_file(path: &Path, key: &str, problems: &mut Problems) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            problems.add(
                key,
                format!(
                    "cannot read {} ({error}); relative paths are relative to the working \
                     directory",
                    path.display()
                ),
            );
            None
        }
    }
}

/// systemd's `LoadCredential=NAME:PATH` puts the secret into
/// `$CREDENTIALS_DIRECTORY/NAME`, readable only by the service.
fn secret_from_credential(
    name: &str,
    key: &str,
    secrets: &Secrets<'_>,
    problems: &mut Problems,
) -> Option<String> {
    let Some(directory) = (secrets.env)("CREDENTIALS_DIRECTORY") else {
        problems.add(
            key,
            format!(
                "$CREDENTIALS_DIRECTORY is not set, so credential {name} cannot be read; run \
                 under systemd with LoadCredential={name}:/path/to/secret, or use an \
                 environment variable or file instead"
            ),
        );
        return None;
    };
    secret_from_file(&Path::new(&directory).join(name), key, problems)
}
