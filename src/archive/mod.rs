//! The evidence archive: one record for every comment version fetched,
//! content-addressed, fsynced and hash-chained, so that a lawyer, an
//! archivist and the Parliamentary Ombudsman can rely on it.
//!
//! Writing a record returns an [`ArchiveReceipt`]; hiding or deleting a
//! comment needs one, and only this module can make one, so no code path can
//! act on a comment that has not been documented first.
//!
//! Layout under the archive root:
//!
//! ```text
//! records/<account>/<YYYY>/<MM>/<DD>/<sha256>.json   one evidence record
//! chain.jsonl                                          one line per record, in order
//! pending.json                                         the record write in progress (empty when none)
//! quarantine/<started>-<seq>/                          files of a write a crash interrupted
//! culling/<YYYY-MM-DD>-<n>.json                        culling protocols (gallringsprotokoll)
//! culling.jsonl                                        one line per protocol, chained
//! writer.lock                                          held by the one process that writes
//! ```
//!
//! Only one process writes an archive at a time ([`lock`]): [`Archive::open`]
//! takes the writer lock, [`Archive::open_read_only`] does not.
//!
//! A record is part of the archive only with its chain line: the two are
//! written as one transaction ([`recovery`]), and opening the archive for
//! writing finishes or undoes a write a crash interrupted. Nor is one
//! comment version archived twice when a crash falls after its chain line
//! and before the database recorded the decision: asked to archive the
//! version the chain head already documents, with the same verdict,
//! [`Archive::archive_comment`] returns that record's receipt instead, and
//! [`Archive::recent_entries`] with [`Archive::record_identity`] let the
//! caller find every record the database does not know.
//!
//! [`retention`] culls records whose period has run out, [`export`] packs
//! records for delivery to the city archive, [`register`] lists removed
//! content for the registry office.

pub mod anchor;
pub mod chain;
pub mod export;
pub mod lock;
pub mod record;
pub mod recovery;
pub mod register;
pub mod retention;
pub mod screenshot;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::crashpoint;
use crate::domain::{Finding, ModerationAction};

pub use anchor::{AnchorCheck, AnchorParseError, AnchorSource, given_form};
pub use chain::{
    ChainAnchor, ChainEntry, ChainTail, RecoveryNote, VerifyProblem, VerifyReport, verify,
    verify_anchored,
};
pub use lock::{LOCK_FILE, WriterLock};
pub use record::{EvidenceRecord, RecordInput};
pub use recovery::Recovery;

/// Why the archive could not document something. Nothing is acted on then.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file could not be written, synced or read (full or read-only disk).
    #[error("archive I/O failed at {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A record could not be serialised or parsed.
    #[error("archive record {path} is not valid JSON: {detail}")]
    Corrupt {
        /// The file concerned.
        path: PathBuf,
        /// The parse error.
        detail: String,
    },
    /// The record on disk no longer matches its hash.
    #[error("archive record {path} does not match its hash {expected}")]
    HashMismatch {
        /// The file concerned.
        path: PathBuf,
        /// The hash it should have.
        expected: String,
    },
    /// Another process writes this archive; a second writer would fork the
    /// hash chain.
    #[error(
        "the archive is already being written by another process{}: its lock file {path} is \
         locked. Only one process may write an archive (run, poll-once, demo, archive cull); \
         stop the other one first, or check that no other host writes this archive directory",
        holder_note(*.holder_pid)
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// The holder's process id, when it has written it into the file.
        holder_pid: Option<u32>,
    },
    /// A record path (from the database, an outbox payload or the chain)
    /// that does not name a record inside the archive's records folder: an
    /// absolute path, one climbing out with `..`, or anything else. Nothing
    /// is read from it.
    #[error(
        "the record path {path:?} is refused: {why}; record paths are relative paths under \
         the archive's {records}/ folder",
        records = RECORDS_DIR
    )]
    UnsafePath {
        /// The path as it was given.
        path: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// The archive was opened for reading only and cannot be written.
    #[error("the archive {path} was opened for reading only and cannot be written")]
    ReadOnly {
        /// The archive root.
        path: PathBuf,
    },
}

fn holder_note(holder_pid: Option<u32>) -> String {
    holder_pid.map_or_else(String::new, |pid| format!(" (PID {pid})"))
}

impl ArchiveError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The folder under the archive root that holds the evidence records; the
/// only place a record path may point into.
pub const RECORDS_DIR: &str = "records";

/// A record path as stored outside the archive's own control (the
/// database, outbox payloads, the chain file), accepted only as a relative
/// path under [`RECORDS_DIR`] to a `.json` file, without `.`, `..`, a root
/// or a drive prefix. Whoever can write the database must not be able to
/// make the service read, attach or show `/etc/…` or `../…`.
pub fn checked_record_path(text: &str) -> Result<PathBuf, ArchiveError> {
    use std::path::Component;
    let refuse = |why: &'static str| ArchiveError::UnsafePath {
        path: text.to_string(),
        why,
    };
    if text.is_empty() || text.contains('\0') || text.contains('\\') {
        return Err(refuse("it is empty or holds a NUL or backslash"));
    }
    let path = Path::new(text);
    let mut components = path.components();
    match components.next() {
        Some(Component::Normal(first)) if first == RECORDS_DIR => {}
        Some(Component::RootDir | Component::Prefix(_)) => {
            return Err(refuse("it is absolute"));
        }
        _ => return Err(refuse("it is not under the records folder")),
    }
    let mut depth = 0;
    for component in components {
        match component {
            Component::Normal(_) => depth += 1,
            Component::ParentDir => return Err(refuse("it climbs out with \"..\"")),
            _ => return Err(refuse("it is not a plain relative path")),
        }
    }
    if depth == 0 || path.extension().is_none_or(|e| e != "json") {
        return Err(refuse("it does not name a .json record"));
    }
    Ok(path.to_path_buf())
}

/// Proof that one exact comment version has been durably documented.
///
/// Only [`Archive`] creates receipts; the platform trait's hide and delete
/// take one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveReceipt {
    record_sha256: String,
    relative_path: PathBuf,
    platform_comment_id: String,
    content_hash: String,
}

impl ArchiveReceipt {
    /// The SHA-256 of the record file, which names it.
    pub fn record_sha256(&self) -> &str {
        &self.record_sha256
    }

    /// Path of the record, relative to the archive root.
    pub fn relative_path(&self) -> &Path {
        &self.relative_path
    }

    /// The platform's id of the documented comment.
    pub fn platform_comment_id(&self) -> &str {
        &self.platform_comment_id
    }

    /// The content hash of the documented comment version.
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }
}

/// Which comment version a chained record documents and what it says was
/// decided: what a caller compares with its database to find a record
/// written before a crash that the database never heard of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordIdentity {
    /// Chain position.
    pub seq: u64,
    /// The account's configured key, as given when archiving.
    pub account_key: String,
    /// The platform's id of the comment.
    pub platform_comment_id: String,
    /// The content hash of the comment version.
    pub content_hash: String,
    /// When the service fetched this version (the database row's time).
    pub fetched_at: DateTime<Utc>,
    /// The moderation action the record documents.
    pub action: ModerationAction,
    /// Whether the record was chained when the archive was reopened after
    /// a crash.
    pub recovered: bool,
    /// The receipt for the record, as [`Archive::receipt_for`] gives it.
    pub receipt: ArchiveReceipt,
}

/// The archive on disk. Appends are serialised so the chain stays linear:
/// within the process by a mutex, between processes by the writer lock.
#[derive(Debug)]
pub struct Archive {
    root: PathBuf,
    head: Mutex<ChainHead>,
    writer: Option<WriterLock>,
    recovery: Recovery,
}

#[derive(Debug, Clone)]
struct ChainHead {
    seq: u64,
    sha256: String,
    /// What the head record documents, to recognise a request to archive
    /// the same version again (`None`: empty chain, or the record culled
    /// or unreadable).
    record: Option<HeadRecord>,
}

impl ChainHead {
    fn genesis() -> Self {
        Self {
            seq: 0,
            sha256: GENESIS.to_string(),
            record: None,
        }
    }
}

/// The comment version and verdict of the chain head's record.
#[derive(Debug, Clone)]
struct HeadRecord {
    relative_path: PathBuf,
    account_key: String,
    comment_id: String,
    content_hash: String,
    fetched_at: DateTime<Utc>,
    action: ModerationAction,
    findings: Vec<Finding>,
}

impl HeadRecord {
    fn of(record: &EvidenceRecord, relative_path: PathBuf) -> Self {
        Self {
            relative_path,
            account_key: record.account.key.clone(),
            comment_id: record.comment.comment_id.clone(),
            content_hash: record.comment.content_hash.clone(),
            fetched_at: record.comment.fetched_at,
            action: record.verdict.action,
            findings: record.verdict.findings.clone(),
        }
    }

    /// Whether this record already documents `input`: the same database
    /// row (account, comment, content, fetch time) with the same verdict.
    /// A different verdict (the word lists or policy changed in between)
    /// gets a record of its own, so no record ever says other than what
    /// was decided.
    fn documents(&self, input: &RecordInput<'_>) -> bool {
        self.account_key == input.account_key
            && self.comment_id == input.comment.platform_id
            && self.content_hash == input.comment.content_hash()
            && self.fetched_at == input.fetched_at
            && self.action == input.action
            && self.findings == input.findings
    }
}

/// The `prev` value of the first record in a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Archive {
    /// Opens (or creates) the archive at `root` for writing: takes the
    /// writer lock for as long as the `Archive` lives, finishes or undoes a
    /// record write a crash interrupted ([`recovery`]), then reads the
    /// chain head. Fails at once with [`ArchiveError::Locked`] while
    /// another process writes the archive. Costs the same whatever the
    /// archive's size: it reads the end of the chain and a few files.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, ArchiveError> {
        let root = root.into();
        fs::create_dir_all(root.join("records")).map_err(|e| ArchiveError::io(&root, e))?;
        let writer = WriterLock::acquire(&root)?;
        // Only under the lock: no other process can move the head now.
        let recovery = recovery::reconcile(&root)?;
        if !recovery.is_clean() {
            tracing::warn!(archive = %root.display(), ?recovery, "Recovered a record write a crash interrupted");
        }
        let head = read_head(&root)?;
        Ok(Self {
            root,
            head: Mutex::new(head),
            writer: Some(writer),
            recovery,
        })
    }

    /// Opens the archive at `root` for reading only (re-reading receipts,
    /// attaching records to e-mails), without the writer lock, so commands
    /// that only read work while the service runs. Writing through it is
    /// refused with [`ArchiveError::ReadOnly`].
    pub fn open_read_only(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            head: Mutex::new(ChainHead::genesis()),
            writer: None,
            recovery: Recovery::Clean,
        }
    }

    /// What [`Archive::open`] found a crash had left and did about it
    /// ([`Recovery::Clean`] when nothing, and for a read-only archive).
    pub fn recovery_on_open(&self) -> &Recovery {
        &self.recovery
    }

    /// The archive root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether this process holds the writer lock and may write.
    pub fn is_writable(&self) -> bool {
        self.writer.is_some()
    }

    /// Refuses to go on without the writer lock, before anything is
    /// written: culling, like appending, must not race another writer.
    pub fn ensure_writable(&self) -> Result<(), ArchiveError> {
        if self.is_writable() {
            Ok(())
        } else {
            Err(ArchiveError::ReadOnly {
                path: self.root.clone(),
            })
        }
    }

    /// Writes the evidence record for one comment version and returns the
    /// receipt once the file, its directory and the chain index are on disk.
    ///
    /// The record and its chain line are one transaction ([`recovery`]): an
    /// intent is made durable first, and a crash anywhere in between is
    /// finished or undone when the archive is next opened.
    ///
    /// When the chain head already documents this very version with the same
    /// verdict, its receipt is returned and nothing is written: the record
    /// was chained (or rolled forward on reopening) before a crash or a
    /// database error kept the decision from being recorded, and the caller
    /// is asking again. One version, one record.
    pub fn archive_comment(&self, input: &RecordInput<'_>) -> Result<ArchiveReceipt, ArchiveError> {
        self.ensure_writable()?;
        let mut head = self.head.lock().unwrap_or_else(|p| p.into_inner());
        if recovery::intent_pending(&self.root)? {
            // An earlier write in this process failed and could not take
            // its files back: settle it before the chain moves on.
            let recovery = recovery::reconcile(&self.root)?;
            tracing::warn!(?recovery, "Settled a record write that failed earlier");
            *head = read_head(&self.root)?;
        }
        if let Some(receipt) = self.adopt_head(&head, input) {
            return Ok(receipt);
        }
        let seq = head.seq + 1;
        let record = EvidenceRecord::new(input, seq, &head.sha256);
        let bytes = record.to_bytes().map_err(|e| ArchiveError::Corrupt {
            path: self.root.clone(),
            detail: e.to_string(),
        })?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let relative_path = record.relative_dir().join(format!("{sha256}.json"));
        let record_path = self.root.join(&relative_path);
        let png = input
            .screenshot
            .map(|shot| (relative_path.with_extension("png"), &shot.png));
        let intent = recovery::Intent::new(
            seq,
            &head.sha256,
            &sha256,
            &relative_path,
            png.as_ref().map(|(path, _)| path.as_path()),
        );
        recovery::write_intent(&self.root, &intent)?;
        let written = png
            // The image first: a record never names an image not on disk.
            .map_or(Ok(()), |(path, png)| {
                write_durably(&self.root.join(path), png)
            })
            .and_then(|()| write_durably(&record_path, &bytes))
            .and_then(|()| {
                crashpoint::hit("archive.after_record_write");
                chain::append(&self.root, &intent.entry())
            });
        if let Err(e) = written {
            self.take_back(&record_path);
            return Err(e);
        }
        crashpoint::hit("archive.after_chain_append");
        if let Err(e) = recovery::clear_intent(&self.root) {
            // Harmless: the intent names a chained record, which the next
            // write or opening recognises and clears.
            tracing::warn!(error = %e, "Could not clear the archive's intent file");
        }
        *head = ChainHead {
            seq,
            sha256: sha256.clone(),
            record: Some(HeadRecord::of(&record, relative_path.clone())),
        };
        Ok(ArchiveReceipt {
            record_sha256: sha256,
            relative_path,
            platform_comment_id: input.comment.platform_id.clone(),
            content_hash: input.comment.content_hash(),
        })
    }

    /// The receipt of the chain head's record when it already documents
    /// `input` and is still intact on disk.
    fn adopt_head(&self, head: &ChainHead, input: &RecordInput<'_>) -> Option<ArchiveReceipt> {
        let record = head.record.as_ref().filter(|r| r.documents(input))?;
        match self.receipt_for(&record.relative_path) {
            Ok(receipt) => {
                tracing::info!(
                    seq = head.seq,
                    record = %record.relative_path.display(),
                    "This comment version is already archived (the decision was not recorded before a crash); its record is reused"
                );
                Some(receipt)
            }
            Err(e) => {
                tracing::warn!(error = %e, "The chain head documents this comment version but cannot be read; archiving it anew");
                None
            }
        }
    }

    /// After a failed write: a record or image the chain does not list
    /// would show up as inserted, so take them back. Only when both are
    /// gone is the intent cleared; otherwise the next write or opening
    /// settles it.
    fn take_back(&self, record_path: &Path) {
        let gone = |path: PathBuf| match fs::remove_file(&path) {
            Ok(()) => true,
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        };
        let record_gone = gone(record_path.to_path_buf());
        let png_gone = gone(record_path.with_extension("png"));
        if record_gone && png_gone {
            let _ = recovery::clear_intent(&self.root);
        }
    }

    /// Re-reads a record from disk, checks its hash and returns its receipt.
    /// Used when a pending action is resumed after a restart: the evidence
    /// must still be there and intact.
    pub fn receipt_for(&self, relative_path: &Path) -> Result<ArchiveReceipt, ArchiveError> {
        self.read_record(relative_path).map(|(_, receipt)| receipt)
    }

    /// The chain's head as an anchor to keep outside the archive, taken at
    /// `now`; `None` while the chain is empty.
    pub fn chain_anchor(&self, now: DateTime<Utc>) -> Result<Option<ChainAnchor>, ArchiveError> {
        Ok(chain::read_head(&self.root)?.map(|head| ChainAnchor {
            anchored_at: now,
            head_seq: head.seq,
            head_sha256: head.sha256,
            record_count: head.seq,
        }))
    }

    /// The chain's entries newest first, read backwards from the end of
    /// `chain.jsonl` a chunk at a time, so that walking back over the last
    /// few records costs the same in an archive of millions.
    ///
    /// After a crash between a record's chain line and the database commit
    /// of its decision, the newest records may be unknown to the database:
    /// walk this until an entry the database knows, and adopt the ones
    /// before it (see [`Archive::record_identity`]) instead of archiving
    /// their comments again.
    pub fn recent_entries(&self) -> Result<ChainTail, ArchiveError> {
        ChainTail::open(&self.root.join(chain::CHAIN_FILE))
    }

    /// Which comment version the record of `entry` documents and what it
    /// says was decided, with its receipt. The record must be on disk and
    /// hash to the value the chain gives: a culled record fails with
    /// [`ArchiveError::Io`], an altered one with
    /// [`ArchiveError::HashMismatch`].
    pub fn record_identity(&self, entry: &ChainEntry) -> Result<RecordIdentity, ArchiveError> {
        let relative_path = Path::new(&entry.path);
        if relative_path.file_stem().and_then(|s| s.to_str()) != Some(entry.sha256.as_str()) {
            return Err(ArchiveError::HashMismatch {
                path: self.root.join(relative_path),
                expected: entry.sha256.clone(),
            });
        }
        let (record, receipt) = self.read_record(relative_path)?;
        Ok(RecordIdentity {
            seq: entry.seq,
            account_key: record.account.key,
            platform_comment_id: record.comment.comment_id,
            content_hash: record.comment.content_hash,
            fetched_at: record.comment.fetched_at,
            action: record.verdict.action,
            recovered: entry.recovered_at.is_some(),
            receipt,
        })
    }

    /// The bytes of the record at `record_path` (as the database or an
    /// outbox payload holds it), for sending them on: the path must pass
    /// [`checked_record_path`], and the bytes must hash to the record's
    /// name and, when given, to `expected_sha256` (the hash the database
    /// recorded).
    pub fn record_bytes(
        &self,
        record_path: &str,
        expected_sha256: Option<&str>,
    ) -> Result<Vec<u8>, ArchiveError> {
        let relative_path = checked_record_path(record_path)?;
        let (bytes, name_hash) = self.read_hashed(&relative_path)?;
        if let Some(expected) = expected_sha256.filter(|e| *e != name_hash) {
            return Err(ArchiveError::HashMismatch {
                path: self.root.join(&relative_path),
                expected: expected.to_string(),
            });
        }
        Ok(bytes)
    }

    /// Reads the record at a checked path and checks that it hashes to its
    /// name; answers the bytes and that hash.
    fn read_hashed(&self, relative_path: &Path) -> Result<(Vec<u8>, String), ArchiveError> {
        let relative_path = checked_record_path(&relative_path.to_string_lossy())?;
        let path = self.root.join(&relative_path);
        let bytes = fs::read(&path).map_err(|e| ArchiveError::io(&path, e))?;
        let expected = relative_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if hex::encode(Sha256::digest(&bytes)) != expected {
            return Err(ArchiveError::HashMismatch { path, expected });
        }
        Ok((bytes, expected))
    }

    /// Reads a record at a checked path, checks that it hashes to its
    /// name, and parses it.
    fn read_record(
        &self,
        relative_path: &Path,
    ) -> Result<(EvidenceRecord, ArchiveReceipt), ArchiveError> {
        let (bytes, expected) = self.read_hashed(relative_path)?;
        let path = self.root.join(relative_path);
        let record: EvidenceRecord =
            serde_json::from_slice(&bytes).map_err(|e| ArchiveError::Corrupt {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        let receipt = ArchiveReceipt {
            record_sha256: expected,
            relative_path: relative_path.to_path_buf(),
            platform_comment_id: record.comment.comment_id.clone(),
            content_hash: record.comment.content_hash.clone(),
        };
        Ok((record, receipt))
    }
}

/// The chain head, with what its record documents when it can be read.
/// Reads the end of the chain and one record: the same cost in any archive.
fn read_head(root: &Path) -> Result<ChainHead, ArchiveError> {
    let Some(entry) = chain::read_head(root)? else {
        return Ok(ChainHead::genesis());
    };
    let record = fs::read(root.join(&entry.path))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<EvidenceRecord>(&bytes).ok())
        .map(|r| HeadRecord::of(&r, PathBuf::from(&entry.path)));
    Ok(ChainHead {
        seq: entry.seq,
        sha256: entry.sha256,
        record,
    })
}

/// Writes a new file and fsyncs it and its directory, so that a receipt
/// never outlives a power cut.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| ArchiveError::io(dir, e))?;
    let tmp = recovery::tmp_of(path);
    let written = File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(ArchiveError::io(path, e));
    }
    sync_dir(dir)
}

/// Fsyncs a directory so that a new or renamed entry in it is durable.
fn sync_dir(dir: &Path) -> Result<(), ArchiveError> {
    OpenOptions::new()
        .read(true)
        .open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| ArchiveError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::value::RawValue;

    use super::*;
    use crate::domain::{FetchedComment, ModerationAction, PlatformKind};

    fn comment(id: &str) -> FetchedComment {
        FetchedComment {
            platform_id: id.to_string(),
            post_id: "p1".to_string(),
            parent_id: None,
            author_id: None,
            author_name: Some("Bo".to_string()),
            text: format!("Kommentar {id}"),
            created_at: Utc::now(),
            permalink: None,
            is_hidden: false,
            raw: RawValue::from_string(format!("{{\"id\":\"{id}\"}}")).unwrap(),
        }
    }

    fn archive_one(archive: &Archive, id: &str) -> Result<ArchiveReceipt, ArchiveError> {
        archive.archive_comment(&RecordInput {
            account_key: "konto",
            account_name: "Konto",
            platform: PlatformKind::Facebook,
            comment: &comment(id),
            fetched_at: Utc::now(),
            findings: &[],
            action: ModerationAction::None,
            screenshot: None,
        })
    }

    fn chain_seqs(root: &Path) -> Vec<u64> {
        fs::read_to_string(root.join("chain.jsonl"))
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<ChainEntry>(line).unwrap().seq)
            .collect()
    }

    #[test]
    fn a_second_writer_on_the_same_archive_fails_naming_the_lock_file_and_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = Archive::open(dir.path()).unwrap();
        assert!(first.is_writable());
        let error = Archive::open(dir.path()).unwrap_err();
        assert!(
            matches!(&error, ArchiveError::Locked { path, holder_pid: Some(pid) }
                if *path == dir.path().join(LOCK_FILE) && *pid == std::process::id()),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&dir.path().join(LOCK_FILE).display().to_string())
                && message.contains(&format!("(PID {})", std::process::id())),
            "{message}"
        );
        archive_one(&first, "1").unwrap();
    }

    #[test]
    fn the_lock_is_released_when_the_writer_is_dropped_and_the_next_one_continues_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let first = Archive::open(dir.path()).unwrap();
        archive_one(&first, "1").unwrap();
        drop(first);
        let second = Archive::open(dir.path()).expect("the lock was released");
        archive_one(&second, "2").unwrap();
        assert_eq!(chain_seqs(dir.path()), [1, 2]);
        assert!(verify(dir.path()).unwrap().is_intact());
    }

    #[test]
    fn a_reader_takes_no_lock_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Archive::open(dir.path()).unwrap();
        let receipt = archive_one(&writer, "1").unwrap();
        let reader = Archive::open_read_only(dir.path());
        assert!(!reader.is_writable());
        assert_eq!(
            reader.receipt_for(receipt.relative_path()).unwrap(),
            receipt
        );
        assert!(matches!(
            archive_one(&reader, "2"),
            Err(ArchiveError::ReadOnly { .. })
        ));
        assert_eq!(chain_seqs(dir.path()), [1]);
    }

    #[test]
    fn recent_entries_walk_the_chain_newest_first_with_each_record_identity() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let receipts: Vec<_> = ["1", "2", "3"]
            .iter()
            .map(|id| archive_one(&archive, id).unwrap())
            .collect();
        let entries: Vec<ChainEntry> = archive
            .recent_entries()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 2, 1]);

        let newest = archive.record_identity(&entries[0]).unwrap();
        assert_eq!(newest.seq, 3);
        assert_eq!(newest.account_key, "konto");
        assert_eq!(newest.platform_comment_id, "3");
        assert_eq!(newest.content_hash, comment("3").content_hash());
        assert_eq!(newest.action, ModerationAction::None);
        assert!(!newest.recovered);
        assert_eq!(newest.receipt, receipts[2]);

        // The reader sees the same, without the lock.
        let reader = Archive::open_read_only(dir.path());
        let first = reader.recent_entries().unwrap().nth(2).unwrap().unwrap();
        assert_eq!(reader.record_identity(&first).unwrap().receipt, receipts[0]);
    }

    #[test]
    fn record_paths_outside_the_records_folder_are_refused() {
        for good in ["records/konto/2026/11/23/ab.json", "records/x.json"] {
            assert!(checked_record_path(good).is_ok(), "{good}");
        }
        for bad in [
            "/etc/passwd",
            "/etc/kommentarsvakt/secret.json",
            "../outside.json",
            "records/../../etc/passwd.json",
            "records/konto/../../chain.json",
            "chain.jsonl",
            "records",
            "records/konto/ab.png",
            "",
            "records\\..\\x.json",
        ] {
            assert!(
                matches!(
                    checked_record_path(bad),
                    Err(ArchiveError::UnsafePath { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn record_bytes_are_read_only_from_a_checked_path_and_re_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("archive")).unwrap();
        let receipt = archive_one(&archive, "1").unwrap();
        let path = receipt.relative_path().to_string_lossy().into_owned();
        let bytes = archive
            .record_bytes(&path, Some(receipt.record_sha256()))
            .unwrap();
        assert_eq!(bytes, fs::read(archive.root().join(&path)).unwrap());

        // A file beside the archive, named as a row written by an attacker.
        let outside = dir.path().join("outside.json");
        fs::write(&outside, b"{}").unwrap();
        for row in [outside.display().to_string(), "../outside.json".to_string()] {
            let error = archive.record_bytes(&row, None).unwrap_err();
            assert!(
                matches!(error, ArchiveError::UnsafePath { .. }),
                "{row}: {error}"
            );
            assert!(error.to_string().contains("refused"), "{error}");
        }
        // The database's hash must match too, not only the file's name.
        assert!(matches!(
            archive.record_bytes(&path, Some(&"ab".repeat(32))),
            Err(ArchiveError::HashMismatch { .. })
        ));
    }

    #[test]
    fn verify_refuses_a_chain_entry_pointing_outside_the_records_folder() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        archive_one(&archive, "1").unwrap();
        let head = archive.recent_entries().unwrap().next().unwrap().unwrap();
        chain::append(
            dir.path(),
            &ChainEntry {
                seq: 2,
                prev: head.sha256.clone(),
                path: "/etc/passwd".to_string(),
                ..head
            },
        )
        .unwrap();
        let report = verify(dir.path()).unwrap();
        assert!(!report.is_intact());
        assert!(
            report.problems.iter().any(|p| matches!(p,
                VerifyProblem::UnsafePath { seq: 2, path } if path == "/etc/passwd")),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn record_identity_refuses_a_culled_or_altered_record_and_a_misnamed_entry() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let receipt = archive_one(&archive, "1").unwrap();
        let entry = archive.recent_entries().unwrap().next().unwrap().unwrap();
        let path = dir.path().join(receipt.relative_path());

        let misnamed = ChainEntry {
            sha256: "ab".repeat(32),
            ..entry.clone()
        };
        assert!(matches!(
            archive.record_identity(&misnamed),
            Err(ArchiveError::HashMismatch { .. })
        ));
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("Kommentar 1", "Kommentar X")).unwrap();
        assert!(matches!(
            archive.record_identity(&entry),
            Err(ArchiveError::HashMismatch { .. })
        ));
        fs::remove_file(&path).unwrap();
        assert!(matches!(
            archive.record_identity(&entry),
            Err(ArchiveError::Io { .. })
        ));
    }

    #[test]
    fn the_version_at_the_head_is_not_archived_twice_unless_its_verdict_changed() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let version = comment("1");
        let input = |action| RecordInput {
            account_key: "konto",
            account_name: "Konto",
            platform: PlatformKind::Facebook,
            comment: &version,
            fetched_at: DateTime::UNIX_EPOCH,
            findings: &[],
            action,
            screenshot: None,
        };
        let first = archive
            .archive_comment(&input(ModerationAction::None))
            .unwrap();
        // A restart: the database never recorded the decision.
        drop(archive);
        let archive = Archive::open(dir.path()).unwrap();
        let again = archive
            .archive_comment(&input(ModerationAction::None))
            .unwrap();
        assert_eq!(again, first);
        assert_eq!(chain_seqs(dir.path()), [1]);
        // Decided otherwise this time: the record must say so.
        let hidden = archive
            .archive_comment(&input(ModerationAction::Hide))
            .unwrap();
        assert_ne!(hidden, first);
        assert_eq!(chain_seqs(dir.path()), [1, 2]);
        // Another fetch of the same text is another database row.
        let refetched = RecordInput {
            fetched_at: Utc::now(),
            ..input(ModerationAction::Hide)
        };
        archive.archive_comment(&refetched).unwrap();
        assert_eq!(chain_seqs(dir.path()), [1, 2, 3]);
        assert!(verify(dir.path()).unwrap().is_intact());
    }
}
