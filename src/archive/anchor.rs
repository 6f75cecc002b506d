//! Anchors of the evidence chain kept outside the archive, as `archive
//! verify` checks them: the one the service writes to its database after
//! each decide batch, and one an archivist copies from the daily digest to
//! the registry (`HASH:COUNT`, as the alerts module's registry digest prints it).
//!
//! Whoever can write the archive can rebuild the chain so that it verifies
//! in itself; whoever can also write the database can move its anchor
//! along. The digest lies in the registry's records system, out of reach
//! of both, so a chain rebuilt after it was mailed fails against it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::ChainAnchor;

/// Where an anchor that `archive verify` checks was kept, so that a
/// finding says which copy of the chain head the archive no longer matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorSource {
    /// The service's database, anchored at that time.
    Database {
        /// When the anchor was written.
        anchored_at: DateTime<Utc>,
    },
    /// Given on the command line (`--anchor HASH:COUNT`), as the daily
    /// digest to the registry printed it.
    Given,
}

impl fmt::Display for AnchorSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnchorSource::Database { anchored_at } => write!(
                f,
                "the database anchor written at {}",
                anchored_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            AnchorSource::Given => write!(f, "the anchor given with --anchor"),
        }
    }
}

/// A chain head to hold the archive to: the record at `head_seq` must
/// still be there with the hash `head_sha256`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    /// The anchored chain position (the number of records the chain held).
    pub head_seq: u64,
    /// The SHA-256 of the record at that position.
    pub head_sha256: String,
    /// Where the anchor was kept.
    pub source: AnchorSource,
}

impl AnchorCheck {
    /// The anchor the service wrote to its database.
    pub fn from_database(anchor: &ChainAnchor) -> Self {
        Self {
            head_seq: anchor.head_seq,
            head_sha256: anchor.head_sha256.clone(),
            source: AnchorSource::Database {
                anchored_at: anchor.anchored_at,
            },
        }
    }
}

/// An anchor as the daily digest to the registry prints it and `archive
/// verify --anchor` reads it back: `HASH:COUNT`, the head record's SHA-256
/// and the number of records the chain held.
pub fn given_form(anchor: &ChainAnchor) -> String {
    format!("{}:{}", anchor.head_sha256, anchor.record_count)
}

/// Why an `--anchor` argument is not an anchor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{given:?} is not a chain anchor: {why}; give it as the daily digest to the registry prints \
     it, HASH:COUNT (64 hexadecimal digits, a colon, the number of records)"
)]
pub struct AnchorParseError {
    /// The argument as given.
    pub given: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl FromStr for AnchorCheck {
    type Err = AnchorParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = |why| AnchorParseError {
            given: text.to_string(),
            why,
        };
        let (hash, count) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| refuse("no colon"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(refuse("the hash is not 64 hexadecimal digits"));
        }
        let head_seq: u64 = count
            .parse()
            .map_err(|_| refuse("the count is not a whole number"))?;
        if head_seq == 0 {
            return Err(refuse("an anchor holds at least one record"));
        }
        Ok(Self {
            head_seq,
            head_sha256: hash.to_ascii_lowercase(),
            source: AnchorSource::Given,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mailed_form_reads_back_as_the_same_head() {
        let anchor = ChainAnchor {
            anchored_at: Utc::now(),
            head_seq: 42,
            head_sha256: "ab".repeat(32),
            record_count: 42,
        };
        let given: AnchorCheck = given_form(&anchor).parse().unwrap();
        assert_eq!(
            (given.head_seq, given.head_sha256.as_str(), given.source),
            (42, anchor.head_sha256.as_str(), AnchorSource::Given)
        );
    }

    #[test]
    fn a_mistyped_anchor_is_refused_with_the_expected_form() {
        let hash = "ab".repeat(32);
        for bad in [
            hash.clone(),
            format!("{}:3", &hash[..63]),
            format!("{}zz:3", &hash[..62]),
            format!("{hash}:three"),
            format!("{hash}:0"),
            format!("{hash}:-1"),
        ] {
            let error = bad.parse::<AnchorCheck>().unwrap_err();
            assert!(error.to_string().contains("HASH:COUNT"), "{bad}: {error}");
        }
    }
}
