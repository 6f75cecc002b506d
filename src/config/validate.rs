//! Validation of the raw configuration into [`super::Config`] (placeholder
//! until the config part lands).

use std::path::Path;

use super::Config;

/// One problem in a configuration: the key path and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path, e.g. `accounts[2].moderators`.
    pub key: String,
    /// Why the value is wrong and what would be right.
    pub reason: String,
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read or parsed at all.
    #[error("cannot read {origin}: {detail}")]
    Unreadable {
        /// The file or source.
        origin: String,
        /// What went wrong.
        detail: String,
    },
    /// The file was read but has problems; every one is listed.
    #[error("{} problem(s) in {origin}", problems.len())]
    Invalid {
        /// The file or source.
        origin: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

/// Loads and validates a config file, with environment overrides.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    Err(ConfigError::Unreadable {
        origin: path.display().to_string(),
        detail: "not implemented".into(),
    })
}

/// Loads and validates config text (embedded defaults), with environment overrides.
pub fn load_str(_toml: &str, origin: &str) -> Result<Config, ConfigError> {
    Err(ConfigError::Unreadable {
        origin: origin.into(),
        detail: "not implemented".into(),
    })
}
