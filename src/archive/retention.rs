//! Retention (gallring): comments are public records, kept for the period
//! their rule gives and then culled, with a culling protocol
//! (gallringsprotokoll) that says what went, under which rule, when and by
//! whom — ids and record hashes, never content.
//!
//! Which period applies to a comment version, in this order:
//!
//! 1. a legal hold on the comment or its account (in the database) keeps it,
//!    whatever the rules say;
//! 2. if any of its findings has a category period
//!    (`[retention.categories]`), the longest of those;
//! 3. otherwise the account's own period (`[retention.accounts.<key>]`),
//!    then the general one — `removed_evidence` for a comment that was
//!    hidden or deleted (or so recorded in dry-run), `ordinary` for the rest.
//!
//! Culling runs in an order that a crash cannot turn into a silent loss:
//! first the protocol is written and chained (`culling/<date>-<n>.json`,
//! `culling.jsonl`), then the record files go, then the database rows (one
//! transaction, with a `cullings` row and an audit event). A rerun after a
//! crash culls what is left and writes another protocol. `chain.jsonl` is
//! never rewritten, so [`super::verify`] still checks every link and
//! reports a record listed in a protocol as culled, not missing.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{self, CULLING_CHAIN_FILE, ChainEntry};
use super::{Archive, ArchiveError, GENESIS, sync_dir, write_durably};
use crate::config::RetentionConfig;
use crate::store::{CullCandidate, HoldScope, NewCulling, Store, StoreError};

/// The format name written into every culling protocol.
pub const CULLING_FORMAT: &str = "kommentarsvakt-culling/1";

/// Why a culling could not be planned or carried out.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    /// The database failed; nothing was deleted from it.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The archive could not be written or a record not removed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// Database rows due for culling name record paths outside the
    /// archive's records folder: culling them would delete whatever they
    /// name, so nothing at all was culled (no protocol, no file, no row).
    #[error(
        "culling refused, nothing was deleted: {} database row(s) name a record path outside \
         the archive's records folder: {}",
        .0.len(),
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    RefusedPaths(Vec<RefusedCullPath>),
}

/// A comment version due for culling whose database row names a record
/// path the archive refuses ([`super::checked_record_path`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCullPath {
    /// The comment version's row id (`comments.id`).
    pub comment_row: i64,
    /// The path as the row gives it.
    pub record_path: String,
    /// Why the archive refused it.
    pub why: String,
}

impl std::fmt::Display for RefusedCullPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "comments.id = {}: {:?} ({})",
            self.comment_row, self.record_path, self.why
        )
    }
}

/// The rule that decides how long a comment version is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRule {
    /// Its name as written in the protocol: `ordinary`, `removed_evidence`,
    /// `account:<key>.ordinary`, `category:<name>`.
    pub name: String,
    /// The retention period.
    pub period: Duration,
}

/// One comment version that the rules let go (or would, but for a hold).
#[derive(Debug, Clone, PartialEq)]
pub struct CullItem {
    /// The comment version.
    pub candidate: CullCandidate,
    /// The rule that ran out.
    pub rule: AppliedRule,
    /// How old the comment is.
    pub age: chrono::Duration,
}

/// What a culling would do at a moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CullPlan {
    /// Versions whose period has run out and that no hold keeps.
    pub to_cull: Vec<CullItem>,
    /// Versions whose period has run out but a legal hold keeps.
    pub held: Vec<CullItem>,
}

/// What a culling did.
#[derive(Debug, Clone, PartialEq)]
pub struct CullOutcome {
    /// The protocol's path relative to the archive root (`None`: nothing
    /// was due, so no protocol was written).
    pub protocol_path: Option<String>,
    /// The protocol's SHA-256.
    pub protocol_sha256: Option<String>,
    /// What was culled.
    pub culled: Vec<CullItem>,
    /// What a legal hold kept.
    pub held: usize,
}

/// A culling protocol as stored in the archive (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CullingProtocol {
    /// Always [`CULLING_FORMAT`].
    pub format: String,
    /// Position in the culling chain (1 for the first).
    pub seq: u64,
    /// SHA-256 of the previous protocol file ([`GENESIS`] for the first).
    pub prev: String,
    /// When the culling was done.
    pub culled_at: DateTime<Utc>,
    /// Who did it.
    pub culled_by: String,
    /// What was culled.
    pub records: Vec<CulledRecord>,
}

/// One culled record in a protocol: identifiers and hashes, no content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CulledRecord {
    /// The record's path relative to the archive root.
    pub record_path: String,
    /// The record file's SHA-256 (as in `chain.jsonl`).
    pub record_sha256: String,
    /// The platform's comment id.
    pub comment_id: String,
    /// The comment version's row id.
    pub comment_row: i64,
    /// The account key.
    pub account: String,
    /// The rule that ran out.
    pub rule: String,
    /// The retention period, humantime (e.g. `2years`).
    pub retention: String,
    /// When the comment was written.
    pub created_at: DateTime<Utc>,
}

/// The rule that applies to one comment version (legal holds aside).
pub fn rule_for(config: &RetentionConfig, candidate: &CullCandidate) -> AppliedRule {
    let by_category = candidate
        .categories
        .iter()
        .filter_map(|c| config.categories.get(c).map(|p| (c, *p)))
        .max_by_key(|(_, period)| *period);
    if let Some((category, period)) = by_category {
        return AppliedRule {
            name: format!("category:{category}"),
            period,
        };
    }
    let (base, general) = if candidate.removed {
        ("removed_evidence", config.removed_evidence)
    } else {
        ("ordinary", config.ordinary)
    };
    let own = config.accounts.get(&candidate.account_key).and_then(|p| {
        if candidate.removed {
            p.removed_evidence
        } else {
            p.ordinary
        }
    });
    match own {
        Some(period) => AppliedRule {
            name: format!("account:{}.{base}", candidate.account_key),
            period,
        },
        None => AppliedRule {
            name: base.to_string(),
            period: general,
        },
    }
}

/// The shortest period any rule gives: nothing younger can be due.
fn shortest_period(config: &RetentionConfig) -> Duration {
    let accounts = config
        .accounts
        .values()
        .flat_map(|p| [p.ordinary, p.removed_evidence])
        .flatten();
    [config.ordinary, config.removed_evidence]
        .into_iter()
        .chain(config.categories.values().copied())
        .chain(accounts)
        .min()
        .unwrap_or(config.ordinary)
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Works out what a culling at `now` would remove and what holds keep.
pub async fn plan(
    store: &Store,
    config: &RetentionConfig,
    now: DateTime<Utc>,
) -> Result<CullPlan, RetentionError> {
    let horizon = now - chrono_duration(shortest_period(config));
    let holds = store.active_legal_holds().await?;
    let held_accounts: HashSet<&str> = holds
        .iter()
        .filter(|h| h.scope == HoldScope::Account)
        .map(|h| h.subject.as_str())
        .collect();
    let held_comments: HashSet<&str> = holds
        .iter()
        .filter(|h| h.scope == HoldScope::Comment)
        .map(|h| h.subject.as_str())
        .collect();
    let mut plan = CullPlan::default();
    for candidate in store.cull_candidates(horizon).await? {
        let rule = rule_for(config, &candidate);
        let age = now - candidate.created_at;
        if age < chrono_duration(rule.period) {
            continue;
        }
        let held = held_accounts.contains(candidate.account_key.as_str())
            || held_comments.contains(candidate.platform_comment_id.as_str());
        let item = CullItem {
            candidate,
            rule,
            age,
        };
        if held {
            plan.held.push(item);
        } else {
            plan.to_cull.push(item);
        }
    }
    Ok(plan)
}

/// Culls everything due at `now`: writes the protocol, removes the record
/// files (and any screenshot beside them), then the database rows.
pub async fn cull(
    store: &Store,
    archive: &Archive,
    config: &RetentionConfig,
    now: DateTime<Utc>,
    culled_by: &str,
) -> Result<CullOutcome, RetentionError> {
    archive.ensure_writable()?;
    let plan = plan(store, config, now).await?;
    if plan.to_cull.is_empty() {
        return Ok(CullOutcome {
            protocol_path: None,
            protocol_sha256: None,
            culled: Vec::new(),
            held: plan.held.len(),
        });
    }
    // A row whose path points outside the records folder would have the
    // cull delete whatever it names: refused before anything is written.
    let refused = refused_paths(&plan.to_cull);
    if !refused.is_empty() {
        return Err(RetentionError::RefusedPaths(refused));
    }
    let (protocol_path, protocol_sha256) =
        write_protocol(archive.root(), &plan.to_cull, now, culled_by)?;
    for item in &plan.to_cull {
        remove_record_files(archive.root(), &item.candidate.record_path)?;
    }
    let ids: Vec<i64> = plan.to_cull.iter().map(|i| i.candidate.id).collect();
    store
        .record_culling(&NewCulling {
            comment_ids: &ids,
            culled_by,
            culled_at: now,
            protocol_path: &protocol_path,
            protocol_sha256: &protocol_sha256,
        })
        .await?;
    tracing::info!(
        records = ids.len(),
        protocol = %protocol_path,
        held = plan.held.len(),
        "Records culled"
    );
    Ok(CullOutcome {
        protocol_path: Some(protocol_path),
        protocol_sha256: Some(protocol_sha256),
        culled: plan.to_cull,
        held: plan.held.len(),
    })
}

/// Every item whose record path the archive refuses, each with its row.
fn refused_paths(items: &[CullItem]) -> Vec<RefusedCullPath> {
    items
        .iter()
        .filter_map(|item| {
            let why = match super::checked_record_path(&item.candidate.record_path) {
                Ok(_) => return None,
                Err(ArchiveError::UnsafePath { why, .. }) => why.to_string(),
                Err(other) => other.to_string(),
            };
            Some(RefusedCullPath {
                comment_row: item.candidate.id,
                record_path: item.candidate.record_path.clone(),
                why,
            })
        })
        .collect()
}

/// Writes and chains the culling protocol; returns its path and hash.
fn write_protocol(
    root: &Path,
    items: &[CullItem],
    now: DateTime<Utc>,
    culled_by: &str,
) -> Result<(String, String), ArchiveError> {
    let head = chain::read_head_of(root, CULLING_CHAIN_FILE)?;
    let (seq, prev) = head.map_or((1, GENESIS.to_string()), |h| (h.seq + 1, h.sha256));
    let protocol = CullingProtocol {
        format: CULLING_FORMAT.to_string(),
        seq,
        prev: prev.clone(),
        culled_at: now,
        culled_by: culled_by.to_string(),
        records: items.iter().map(culled_record).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&protocol).map_err(|e| ArchiveError::Corrupt {
        path: root.join("culling"),
        detail: e.to_string(),
    })?;
    bytes.push(b'\n');
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let relative = format!("culling/{}-{seq}.json", now.format("%Y-%m-%d"));
    write_durably(&root.join(&relative), &bytes)?;
    chain::append_to(
        root,
        CULLING_CHAIN_FILE,
        &ChainEntry {
            seq,
            sha256: sha256.clone(),
            prev,
            path: relative.clone(),
            recovered_at: None,
        },
    )?;
    Ok((relative, sha256))
}

fn culled_record(item: &CullItem) -> CulledRecord {
    let c = &item.candidate;
    CulledRecord {
        record_path: c.record_path.clone(),
        record_sha256: c.record_sha256.clone(),
        comment_id: c.platform_comment_id.clone(),
        comment_row: c.id,
        account: c.account_key.clone(),
        rule: item.rule.name.clone(),
        retention: humantime::format_duration(item.rule.period).to_string(),
        created_at: c.created_at,
    }
}

/// Removes a record and a screenshot with the same stem; already gone is
/// fine (a rerun after a crash).
fn remove_record_files(root: &Path, record_path: &str) -> Result<(), ArchiveError> {
    let record = root.join(super::checked_record_path(record_path)?);
    for path in [record.clone(), record.with_extension("png")] {
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ArchiveError::io(&path, e)),
        }
    }
    match record.parent() {
        Some(dir) if dir.exists() => sync_dir(dir),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RetentionPeriods;
    use crate::domain::Category;
    use std::collections::BTreeMap;

    const YEAR: Duration = Duration::from_secs(31_557_600);

    fn config() -> RetentionConfig {
        RetentionConfig {
            ordinary: 2 * YEAR,
            removed_evidence: 10 * YEAR,
            categories: BTreeMap::from([(Category::OlagaHot, 20 * YEAR)]),
            accounts: BTreeMap::from([(
                "kort".to_string(),
                RetentionPeriods {
                    ordinary: Some(YEAR),
                    removed_evidence: None,
                },
            )]),
            cull_schedule: None,
        }
    }

    fn candidate(account: &str, removed: bool, categories: Vec<Category>) -> CullCandidate {
        CullCandidate {
            id: 1,
            account_key: account.to_string(),
            platform_comment_id: "1_2".to_string(),
            created_at: Utc::now(),
            action: None,
            removed,
            record_path: "records/x.json".to_string(),
            record_sha256: "ab".to_string(),
            categories,
        }
    }

    #[test]
    fn removed_comments_are_kept_as_evidence_longer_than_ordinary_ones() {
        let c = config();
        assert_eq!(
            rule_for(&c, &candidate("a", false, vec![])).period,
            2 * YEAR
        );
        let removed = rule_for(&c, &candidate("a", true, vec![Category::Personnummer]));
        assert_eq!(removed.name, "removed_evidence");
        assert_eq!(removed.period, 10 * YEAR);
    }

    #[test]
    fn account_period_replaces_only_the_kind_it_names() {
        let c = config();
        let ordinary = rule_for(&c, &candidate("kort", false, vec![]));
        assert_eq!(ordinary.name, "account:kort.ordinary");
        assert_eq!(ordinary.period, YEAR);
        assert_eq!(
            rule_for(&c, &candidate("kort", true, vec![])).name,
            "removed_evidence"
        );
    }

    #[test]
    fn category_period_wins_over_account_and_general_rules() {
        let rule = rule_for(
            &config(),
            &candidate("kort", true, vec![Category::Phone, Category::OlagaHot]),
        );
        assert_eq!(rule.name, "category:olaga_hot");
        assert_eq!(rule.period, 20 * YEAR);
    }

    #[test]
    fn shortest_period_looks_at_every_rule() {
        assert_eq!(shortest_period(&config()), YEAR);
    }
}
