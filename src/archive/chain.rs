//! The hash chain over archive records and its verification.
//!
//! `chain.jsonl` lists every record in order with its SHA-256 and the
//! previous record's SHA-256; each record file also carries `prev` inside
//! it. Verification re-hashes every file and follows the links, naming each
//! altered, missing or inserted record.
//!
//! Culling (retention) deletes record files but never touches
//! `chain.jsonl`: a record listed in a culling protocol is reported as
//! culled, not missing. The culling protocols have their own small chain,
//! `culling.jsonl`, verified the same way, so that a protocol cannot be
//! altered, removed or slipped in to excuse a deleted record unnoticed.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::retention::CullingProtocol;
use super::{ArchiveError, EvidenceRecord, GENESIS, sync_dir};

const CHAIN_FILE: &str = "chain.jsonl";
/// The index of culling protocols, one line per protocol, chained.
pub(super) const CULLING_CHAIN_FILE: &str = "culling.jsonl";

/// One line of `chain.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainEntry {
    /// Position in the chain, from 1.
    pub seq: u64,
    /// SHA-256 of the record file.
    pub sha256: String,
    /// SHA-256 of the previous record file ([`GENESIS`] for the first).
    pub prev: String,
    /// Path of the record relative to the archive root.
    pub path: String,
}

/// Something `archive verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyProblem {
    /// The record file's bytes no longer hash to the value in the chain.
    Altered {
        /// Chain position.
        seq: u64,
        /// Record path.
        path: String,
    },
    /// The chain names a record whose file is gone.
    Missing {
        /// Chain position.
        seq: u64,
        /// Record path.
        path: String,
    },
    /// A record file exists that the chain does not list.
    Inserted {
        /// Record path.
        path: String,
    },
    /// A chain entry does not link to its predecessor.
    BrokenLink {
        /// Chain position.
        seq: u64,
    },
    /// A chain line cannot be read.
    UnreadableChainLine {
        /// Line number in `chain.jsonl`.
        line: usize,
    },
    /// A culling protocol no longer hashes to its entry in `culling.jsonl`
    /// (or is not a culling protocol).
    CullingProtocolAltered {
        /// Position in the culling chain.
        seq: u64,
        /// Protocol path.
        path: String,
    },
    /// `culling.jsonl` names a protocol whose file is gone.
    CullingProtocolMissing {
        /// Position in the culling chain.
        seq: u64,
        /// Protocol path.
        path: String,
    },
    /// A `culling.jsonl` entry does not link to its predecessor.
    CullingBrokenLink {
        /// Position in the culling chain.
        seq: u64,
    },
    /// A `culling.jsonl` line cannot be read.
    UnreadableCullingLine {
        /// Line number in `culling.jsonl`.
        line: usize,
    },
}

impl std::fmt::Display for VerifyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyProblem::Altered { seq, path } => write!(f, "record #{seq} altered: {path}"),
            VerifyProblem::Missing { seq, path } => write!(f, "record #{seq} missing: {path}"),
            VerifyProblem::Inserted { path } => write!(f, "record not in chain (inserted): {path}"),
            VerifyProblem::BrokenLink { seq } => {
                write!(f, "record #{seq} does not link to record #{}", seq - 1)
            }
            VerifyProblem::UnreadableChainLine { line } => {
                write!(f, "chain.jsonl line {line} cannot be read")
            }
            VerifyProblem::CullingProtocolAltered { seq, path } => {
                write!(f, "culling protocol #{seq} altered: {path}")
            }
            VerifyProblem::CullingProtocolMissing { seq, path } => {
                write!(f, "culling protocol #{seq} missing: {path}")
            }
            VerifyProblem::CullingBrokenLink { seq } => {
                write!(
                    f,
                    "culling protocol #{seq} does not link to protocol #{}",
                    seq - 1
                )
            }
            VerifyProblem::UnreadableCullingLine { line } => {
                write!(f, "culling.jsonl line {line} cannot be read")
            }
        }
    }
}

/// The outcome of verifying an archive.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    /// How many chain entries were checked.
    pub records_checked: u64,
    /// How many of them were culled under a culling protocol (not missing).
    pub records_culled: u64,
    /// Everything found wrong; empty means intact.
    pub problems: Vec<VerifyProblem>,
}

impl VerifyReport {
    /// Whether the archive is intact.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Appends one entry to the chain index and fsyncs it.
pub(super) fn append(root: &Path, entry: &ChainEntry) -> Result<(), ArchiveError> {
    append_to(root, CHAIN_FILE, entry)
}

/// Appends one entry to a chain index file (`chain.jsonl`, `culling.jsonl`).
pub(super) fn append_to(root: &Path, file: &str, entry: &ChainEntry) -> Result<(), ArchiveError> {
    let path = root.join(file);
    let mut line = serde_json::to_vec(entry).map_err(|e| ArchiveError::Corrupt {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    line.push(b'\n');
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| ArchiveError::io(&path, e))?;
    let length_before = file
        .metadata()
        .map_err(|e| ArchiveError::io(&path, e))?
        .len();
    if let Err(e) = file.write_all(&line).and_then(|()| file.sync_all()) {
        // A half-written line (full disk) would break the chain: cut it off.
        let _ = file.set_len(length_before);
        return Err(ArchiveError::io(&path, e));
    }
    sync_dir(root)
}

/// The last entry of the chain, if any.
pub(super) fn read_head(root: &Path) -> Result<Option<ChainEntry>, ArchiveError> {
    read_head_of(root, CHAIN_FILE)
}

/// The last entry of a chain index file, if any.
pub(super) fn read_head_of(root: &Path, file: &str) -> Result<Option<ChainEntry>, ArchiveError> {
    let path = root.join(file);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ArchiveError::io(&path, e)),
    };
    let Some(last) = text.lines().rev().find(|l| !l.trim().is_empty()) else {
        return Ok(None);
    };
    serde_json::from_str(last)
        .map(Some)
        .map_err(|e| ArchiveError::Corrupt {
            path,
            detail: e.to_string(),
        })
}

/// Re-hashes every record and follows the chain.
pub fn verify(root: &Path) -> Result<VerifyReport, ArchiveError> {
    let mut report = VerifyReport::default();
    let culled = verify_culling_chain(root, &mut report)?;
    let mut listed = HashSet::new();
    let chain_path = root.join(CHAIN_FILE);
    let file = match fs::File::open(&chain_path) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(ArchiveError::io(&chain_path, e)),
    };
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for (index, line) in file
        .map(|f| BufReader::new(f).lines().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let line = line.map_err(|e| ArchiveError::io(&chain_path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(entry) = serde_json::from_str::<ChainEntry>(&line) else {
            report
                .problems
                .push(VerifyProblem::UnreadableChainLine { line: index + 1 });
            continue;
        };
        report.records_checked += 1;
        listed.insert(PathBuf::from(&entry.path));
        if entry.prev != prev || entry.seq != expected_seq {
            report
                .problems
                .push(VerifyProblem::BrokenLink { seq: entry.seq });
        }
        check_record_file(root, &entry, &culled, &mut report);
        prev = entry.sha256.clone();
        expected_seq = entry.seq + 1;
    }
    for path in record_files(&root.join("records"))? {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if !listed.contains(&relative) {
            report.problems.push(VerifyProblem::Inserted {
                path: relative.to_string_lossy().into_owned(),
            });
        }
    }
    Ok(report)
}

/// A culled record: its path and the hash it had.
type CulledSet = HashSet<(String, String)>;

/// Checks one listed record: present (or culled under a protocol), hashing
/// to its name, linking inside.
fn check_record_file(
    root: &Path,
    entry: &ChainEntry,
    culled: &CulledSet,
    report: &mut VerifyReport,
) {
    let path = root.join(&entry.path);
    let Ok(bytes) = fs::read(&path) else {
        if culled.contains(&(entry.path.clone(), entry.sha256.clone())) {
            report.records_culled += 1;
            return;
        }
        report.problems.push(VerifyProblem::Missing {
            seq: entry.seq,
            path: entry.path.clone(),
        });
        return;
    };
    let altered = hex::encode(Sha256::digest(&bytes)) != entry.sha256
        || serde_json::from_slice::<EvidenceRecord>(&bytes)
            .map(|r| r.prev != entry.prev || r.seq != entry.seq || !screenshot_intact(&path, &r))
            .unwrap_or(true);
    if altered {
        report.problems.push(VerifyProblem::Altered {
            seq: entry.seq,
            path: entry.path.clone(),
        });
    }
}

/// Reads a chain index file's lines; a missing file is an empty chain.
fn index_lines(path: &Path) -> Result<Vec<String>, ArchiveError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(text.lines().map(str::to_string).collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(ArchiveError::io(path, e)),
    }
}

/// Verifies `culling.jsonl` and the protocols it lists, and returns every
/// record the intact protocols say was culled. A protocol that is altered
/// or missing excuses nothing.
fn verify_culling_chain(root: &Path, report: &mut VerifyReport) -> Result<CulledSet, ArchiveError> {
    let mut culled = CulledSet::new();
    let mut listed = HashSet::new();
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for (index, line) in index_lines(&root.join(CULLING_CHAIN_FILE))?
        .iter()
        .enumerate()
    {
        if line.trim().is_empty() {
            continue;
        }
        let Ok(entry) = serde_json::from_str::<ChainEntry>(line) else {
            report
                .problems
                .push(VerifyProblem::UnreadableCullingLine { line: index + 1 });
            continue;
        };
        listed.insert(PathBuf::from(&entry.path));
        if entry.prev != prev || entry.seq != expected_seq {
            report
                .problems
                .push(VerifyProblem::CullingBrokenLink { seq: entry.seq });
        }
        if let Some(protocol) = read_culling_protocol(root, &entry, report) {
            culled.extend(
                protocol
                    .records
                    .into_iter()
                    .map(|r| (r.record_path, r.record_sha256)),
            );
        }
        prev = entry.sha256.clone();
        expected_seq = entry.seq + 1;
    }
    for path in record_files(&root.join("culling"))? {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if !listed.contains(&relative) {
            report.problems.push(VerifyProblem::Inserted {
                path: relative.to_string_lossy().into_owned(),
            });
        }
    }
    Ok(culled)
}

/// Reads one listed culling protocol, reporting it if missing or altered.
fn read_culling_protocol(
    root: &Path,
    entry: &ChainEntry,
    report: &mut VerifyReport,
) -> Option<CullingProtocol> {
    let Ok(bytes) = fs::read(root.join(&entry.path)) else {
        report.problems.push(VerifyProblem::CullingProtocolMissing {
            seq: entry.seq,
            path: entry.path.clone(),
        });
        return None;
    };
    let protocol = serde_json::from_slice::<CullingProtocol>(&bytes)
        .ok()
        .filter(|p| hex::encode(Sha256::digest(&bytes)) == entry.sha256 && p.prev == entry.prev);
    if protocol.is_none() {
        report.problems.push(VerifyProblem::CullingProtocolAltered {
            seq: entry.seq,
            path: entry.path.clone(),
        });
    }
    protocol
}

/// Whether the screenshot a record names is beside it with the same hash.
fn screenshot_intact(record_path: &Path, record: &EvidenceRecord) -> bool {
    let Some(shot) = &record.screenshot else {
        return true;
    };
    fs::read(record_path.with_extension("png"))
        .is_ok_and(|png| hex::encode(Sha256::digest(&png)) == shot.sha256)
}

/// Every `.json` file below `dir`, recursively.
fn record_files(dir: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(ArchiveError::io(&dir, e)),
        };
        for entry in entries {
            let path = entry.map_err(|e| ArchiveError::io(&dir, e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
