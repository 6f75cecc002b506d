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
//!
//! A record and its chain line are one transaction (see [`super::recovery`]):
//! a line the writer appended when it reopened the archive after a crash
//! carries `recovered_at`, and verification reports it, the files a crash
//! left half-written and set aside, and a record still waiting for its line
//! as [`RecoveryNote`]s — information for the archivist, not tampering.
//!
//! The chain can hold millions of lines, so what must stay cheap (opening
//! the archive, finding the records a crash may have left undocumented in
//! the database) reads it backwards from the end with [`ChainTail`].

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::anchor::{AnchorCheck, AnchorSource};
use super::recovery;
use super::retention::CullingProtocol;
use super::{ArchiveError, EvidenceRecord, GENESIS, sync_dir};
pub use crate::store::ChainAnchor;

/// The index of evidence records, one line per record, chained.
pub(super) const CHAIN_FILE: &str = "chain.jsonl";
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
    /// Set when the record was written before a crash and this line was
    /// appended when the writer next opened the archive (roll-forward), so
    /// an archivist can tell such a record from one chained at once. Absent
    /// from every other line, so chains written before it existed read and
    /// verify unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered_at: Option<DateTime<Utc>>,
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
    /// A chain entry names a path outside the records folder (absolute,
    /// or climbing out with `..`): not read, and reported as tampering.
    UnsafePath {
        /// Chain position.
        seq: u64,
        /// The path as the chain gives it.
        path: String,
    },
    /// The chain holds another record at the anchored position than the
    /// anchor says: it was rebuilt, however consistent it is in itself.
    ChainRewritten {
        /// The anchored position.
        seq: u64,
        /// The hash the anchor holds.
        anchored: String,
        /// The hash the chain holds there now.
        found: String,
        /// Where the anchor was kept.
        source: AnchorSource,
    },
    /// The chain ends before the anchored position: records were cut off.
    ChainTruncated {
        /// The anchored position.
        anchored_seq: u64,
        /// The last position the chain still has (0: empty).
        chain_seq: u64,
        /// Where the anchor was kept.
        source: AnchorSource,
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
            VerifyProblem::UnsafePath { seq, path } => write!(
                f,
                "record #{seq} names a path outside the records folder (refused, not read): \
                 {path}"
            ),
            VerifyProblem::ChainRewritten {
                seq,
                anchored,
                found,
                source,
            } => write!(
                f,
                "TAMPERING: the chain was rebuilt: record #{seq} has the hash {found}, but \
                 {source} holds {anchored} for it"
            ),
            VerifyProblem::ChainTruncated {
                anchored_seq,
                chain_seq,
                source,
            } => write!(
                f,
                "TAMPERING: the chain was cut short: it ends at record #{chain_seq}, but \
                 {source} holds record #{anchored_seq}"
            ),
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

/// Something `archive verify` found that a crash left behind and the
/// writer dealt with (or will, when it next opens the archive). Reported so
/// an archivist can account for it; none of it is tampering, so none of it
/// makes the archive less than intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryNote {
    /// The record was written before a crash and chained when the writer
    /// reopened the archive.
    ChainedOnReopen {
        /// Chain position.
        seq: u64,
        /// Record path.
        path: String,
        /// When its line was appended.
        recovered_at: DateTime<Utc>,
    },
    /// Files of a record write that a crash interrupted, set aside under
    /// `quarantine/` instead of being chained or deleted.
    Quarantined {
        /// The quarantine directory, relative to the archive root.
        dir: String,
        /// The chain position the interrupted record would have had.
        seq: Option<u64>,
        /// The files in it, relative to the quarantine directory.
        files: Vec<String>,
    },
    /// A record is written and its chain line is not, as `pending.json`
    /// says: a write in progress, or a crash the writer recovers from when
    /// it next opens the archive.
    AwaitingChainLine {
        /// The chain position it will have.
        seq: u64,
        /// Record path.
        path: String,
    },
}

impl std::fmt::Display for RecoveryNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecoveryNote::ChainedOnReopen {
                seq,
                path,
                recovered_at,
            } => write!(
                f,
                "recovered after crash: record #{seq} chained when the archive was reopened at \
                 {}: {path}",
                recovered_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            RecoveryNote::Quarantined { dir, seq, files } => {
                write!(f, "recovered after crash: {dir} holds ")?;
                match seq {
                    Some(seq) => write!(f, "the unfinished write of record #{seq}")?,
                    None => write!(f, "an unfinished write")?,
                }
                write!(f, ", never chained: {}", files.join(", "))
            }
            RecoveryNote::AwaitingChainLine { seq, path } => write!(
                f,
                "record #{seq} written, its chain line not yet (a write in progress, or a crash \
                 the service recovers from when it next starts): {path}"
            ),
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
    /// What crashes left behind and how it was dealt with: information,
    /// not problems.
    pub recovery: Vec<RecoveryNote>,
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

/// The last entry of a chain index file, if any. Reads only the end of the
/// file, so opening an archive costs the same whatever its size.
pub(super) fn read_head_of(root: &Path, file: &str) -> Result<Option<ChainEntry>, ArchiveError> {
    ChainTail::open(&root.join(file))?.next().transpose()
}

/// The entries of a chain index file newest first, read backwards from its
/// end in fixed-size chunks: the last few entries of a chain of millions of
/// lines cost a few small reads, not the whole file.
///
/// A line that is not a chain entry is yielded as
/// [`ArchiveError::Corrupt`] naming its byte offset, and reading goes on
/// with the line before it; an I/O error ends the iteration after it is
/// yielded. Blank lines are skipped. A missing file is an empty chain.
#[derive(Debug)]
pub struct ChainTail {
    path: PathBuf,
    file: Option<File>,
    /// Offset in the file of the first byte of `pending`.
    offset: u64,
    /// Bytes read but not yet yielded: the start of the file's unread
    /// part is before `offset`, so the first line in here may be partial.
    pending: Vec<u8>,
    chunk: usize,
}

/// How much of the chain is read at a time: some two hundred lines.
const TAIL_CHUNK: usize = 64 * 1024;

impl ChainTail {
    /// Starts reading the chain index file at `path` from its end.
    pub(super) fn open(path: &Path) -> Result<Self, ArchiveError> {
        Self::with_chunk(path, TAIL_CHUNK)
    }

    fn with_chunk(path: &Path, chunk: usize) -> Result<Self, ArchiveError> {
        let (file, offset) = match File::open(path) {
            Ok(file) => {
                let len = file
                    .metadata()
                    .map_err(|e| ArchiveError::io(path, e))?
                    .len();
                (Some(file), len)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, 0),
            Err(e) => return Err(ArchiveError::io(path, e)),
        };
        Ok(Self {
            path: path.to_path_buf(),
            file,
            offset,
            pending: Vec::new(),
            chunk: chunk.max(1),
        })
    }

    /// Reads the chunk before `offset` in front of `pending`.
    fn read_chunk(&mut self) -> Result<(), ArchiveError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let start = self.offset.saturating_sub(self.chunk as u64);
        let mut chunk = vec![0; usize::try_from(self.offset - start).unwrap_or(self.chunk)];
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_exact(&mut chunk))
            .map_err(|e| ArchiveError::io(&self.path, e))?;
        chunk.extend_from_slice(&self.pending);
        self.pending = chunk;
        self.offset = start;
        Ok(())
    }

    /// The next line from the end and its byte offset, or `None` at the
    /// start of the file.
    fn next_line(&mut self) -> Result<Option<(u64, Vec<u8>)>, ArchiveError> {
        loop {
            if let Some(newline) = self.pending.iter().rposition(|b| *b == b'\n') {
                let line = self.pending.split_off(newline + 1);
                self.pending.truncate(newline);
                return Ok(Some((self.offset + newline as u64 + 1, line)));
            }
            if self.offset == 0 || self.file.is_none() {
                self.file = None;
                if self.pending.is_empty() {
                    return Ok(None);
                }
                return Ok(Some((self.offset, std::mem::take(&mut self.pending))));
            }
            self.read_chunk()?;
        }
    }
}

impl Iterator for ChainTail {
    type Item = Result<ChainEntry, ArchiveError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (offset, line) = match self.next_line() {
                Ok(Some(found)) => found,
                Ok(None) => return None,
                Err(e) => {
                    self.file = None;
                    self.pending.clear();
                    return Some(Err(e));
                }
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(
                serde_json::from_slice(&line).map_err(|e| ArchiveError::Corrupt {
                    path: self.path.clone(),
                    detail: format!("the line at byte {offset}: {e}"),
                }),
            );
        }
    }
}

/// [`verify`], and then the chain against each anchor kept outside the
/// archive (the database's, one mailed to the registry; none: nothing
/// anchored yet): a chain that no longer holds the anchored record at the
/// anchored position was rebuilt or cut short.
pub fn verify_anchored(root: &Path, anchors: &[AnchorCheck]) -> Result<VerifyReport, ArchiveError> {
    let mut report = verify(root)?;
    for anchor in anchors {
        report.problems.extend(check_anchor(root, anchor)?);
    }
    Ok(report)
}

/// Compares the chain with `anchor`.
pub fn check_anchor(
    root: &Path,
    anchor: &AnchorCheck,
) -> Result<Option<VerifyProblem>, ArchiveError> {
    let mut last_seq = 0;
    for line in index_lines(&root.join(CHAIN_FILE))? {
        let Ok(entry) = serde_json::from_str::<ChainEntry>(&line) else {
            continue;
        };
        last_seq = last_seq.max(entry.seq);
        if entry.seq == anchor.head_seq {
            return Ok((entry.sha256 != anchor.head_sha256).then(|| {
                VerifyProblem::ChainRewritten {
                    seq: entry.seq,
                    anchored: anchor.head_sha256.clone(),
                    found: entry.sha256,
                    source: anchor.source,
                }
            }));
        }
    }
    Ok(Some(VerifyProblem::ChainTruncated {
        anchored_seq: anchor.head_seq,
        chain_seq: last_seq,
        source: anchor.source,
    }))
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
        if let Some(recovered_at) = entry.recovered_at {
            report.recovery.push(RecoveryNote::ChainedOnReopen {
                seq: entry.seq,
                path: entry.path.clone(),
                recovered_at,
            });
        }
        if entry.prev != prev || entry.seq != expected_seq {
            report
                .problems
                .push(VerifyProblem::BrokenLink { seq: entry.seq });
        }
        check_record_file(root, &entry, &culled, &mut report);
        prev = entry.sha256.clone();
        expected_seq = entry.seq + 1;
    }
    let awaiting = recovery::awaiting_chain_line(root)?;
    for path in record_files(&root.join("records"))? {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if listed.contains(&relative) {
            continue;
        }
        let path = relative.to_string_lossy().into_owned();
        match &awaiting {
            Some((seq, pending)) if *pending == path => {
                report
                    .recovery
                    .push(RecoveryNote::AwaitingChainLine { seq: *seq, path });
            }
            _ => report.problems.push(VerifyProblem::Inserted { path }),
        }
    }
    report.recovery.extend(recovery::quarantined(root)?);
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
    let Ok(relative) = super::checked_record_path(&entry.path) else {
        report.problems.push(VerifyProblem::UnsafePath {
            seq: entry.seq,
            path: entry.path.clone(),
        });
        return;
    };
    let path = root.join(relative);
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
pub(super) fn screenshot_intact(record_path: &Path, record: &EvidenceRecord) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> ChainEntry {
        ChainEntry {
            seq,
            sha256: format!("{seq:064x}"),
            prev: format!("{:064x}", seq - 1),
            path: format!("records/k/2026/11/23/{seq:064x}.json"),
            recovered_at: None,
        }
    }

    fn seqs(tail: ChainTail) -> Vec<Result<u64, String>> {
        tail.map(|e| e.map(|e| e.seq).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn the_tail_reads_newest_first_whatever_the_chunk_size() {
        let dir = tempfile::tempdir().unwrap();
        for seq in 1..=50 {
            append(dir.path(), &entry(seq)).unwrap();
        }
        let path = dir.path().join(CHAIN_FILE);
        let newest_first: Vec<_> = (1..=50).rev().map(Ok).collect();
        // Chunks smaller than a line, around a line, and the whole file.
        for chunk in [1, 7, 180, 181, 4096, TAIL_CHUNK] {
            assert_eq!(
                seqs(ChainTail::with_chunk(&path, chunk).unwrap()),
                newest_first,
                "chunk {chunk}"
            );
        }
        assert_eq!(read_head(dir.path()).unwrap(), Some(entry(50)));
    }

    #[test]
    fn the_tail_skips_blank_lines_reports_a_bad_one_and_reads_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CHAIN_FILE);
        let line = |seq| serde_json::to_string(&entry(seq)).unwrap();
        fs::write(&path, format!("{}\n\nnot json\n{}\n\n", line(1), line(2))).unwrap();
        let read = seqs(ChainTail::with_chunk(&path, 5).unwrap());
        assert_eq!(read.len(), 3, "{read:?}");
        assert_eq!(read[0], Ok(2));
        assert!(
            read[1]
                .as_ref()
                .is_err_and(|e| e.contains("the line at byte")),
            "{read:?}"
        );
        assert_eq!(read[2], Ok(1));
    }

    #[test]
    fn a_missing_or_empty_chain_has_no_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CHAIN_FILE);
        assert!(ChainTail::open(&path).unwrap().next().is_none());
        fs::write(&path, "").unwrap();
        assert!(ChainTail::open(&path).unwrap().next().is_none());
        assert_eq!(read_head(dir.path()).unwrap(), None);
    }

    #[test]
    fn a_line_without_recovered_at_reads_and_writes_as_before() {
        let old = r#"{"seq":1,"sha256":"ab","prev":"cd","path":"records/x.json"}"#;
        let parsed: ChainEntry = serde_json::from_str(old).unwrap();
        assert_eq!(parsed.recovered_at, None);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), old);
    }
}
