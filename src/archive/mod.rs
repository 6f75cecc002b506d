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
//! culling/<YYYY-MM-DD>-<n>.json                        culling protocols (gallringsprotokoll)
//! culling.jsonl                                        one line per protocol, chained
//! writer.lock                                          held by the one process that writes
//! ```
//!
//! Only one process writes an archive at a time ([`lock`]): [`Archive::open`]
//! takes the writer lock, [`Archive::open_read_only`] does not.
//!
//! [`retention`] culls records whose period has run out, [`export`] packs
//! records for delivery to the city archive, [`register`] lists removed
//! content for the registry office.

pub mod chain;
pub mod export;
pub mod lock;
pub mod record;
pub mod register;
pub mod retention;
pub mod screenshot;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

pub use chain::{ChainEntry, VerifyProblem, VerifyReport, verify};
pub use lock::{LOCK_FILE, WriterLock};
pub use record::{EvidenceRecord, RecordInput};

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

/// The archive on disk. Appends are serialised so the chain stays linear:
/// within the process by a mutex, between processes by the writer lock.
#[derive(Debug)]
pub struct Archive {
    root: PathBuf,
    head: Mutex<ChainHead>,
    writer: Option<WriterLock>,
}

#[derive(Debug, Clone)]
struct ChainHead {
    seq: u64,
    sha256: String,
}

/// The `prev` value of the first record in a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Archive {
    /// Opens (or creates) the archive at `root` for writing: takes the
    /// writer lock for as long as the `Archive` lives, then reads the chain
    /// head. Fails at once with [`ArchiveError::Locked`] while another
    /// process writes the archive.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, ArchiveError> {
        let root = root.into();
        fs::create_dir_all(root.join("records")).map_err(|e| ArchiveError::io(&root, e))?;
        let writer = WriterLock::acquire(&root)?;
        // Read only under the lock: no other process can move the head now.
        let head = chain::read_head(&root)?;
        Ok(Self {
            root,
            head: Mutex::new(head.map_or(
                ChainHead {
                    seq: 0,
                    sha256: GENESIS.to_string(),
                },
                |e| ChainHead {
                    seq: e.seq,
                    sha256: e.sha256,
                },
            )),
            writer: Some(writer),
        })
    }

    /// Opens the archive at `root` for reading only (re-reading receipts,
    /// attaching records to e-mails), without the writer lock, so commands
    /// that only read work while the service runs. Writing through it is
    /// refused with [`ArchiveError::ReadOnly`].
    pub fn open_read_only(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            head: Mutex::new(ChainHead {
                seq: 0,
                sha256: GENESIS.to_string(),
            }),
            writer: None,
        }
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
    pub fn archive_comment(&self, input: &RecordInput<'_>) -> Result<ArchiveReceipt, ArchiveError> {
        self.ensure_writable()?;
        let mut head = self.head.lock().unwrap_or_else(|p| p.into_inner());
        let seq = head.seq + 1;
        let record = EvidenceRecord::new(input, seq, &head.sha256);
        let bytes = record.to_bytes().map_err(|e| ArchiveError::Corrupt {
            path: self.root.clone(),
            detail: e.to_string(),
        })?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let relative_path = record.relative_dir().join(format!("{sha256}.json"));
        let record_path = self.root.join(&relative_path);
        if let Some(shot) = input.screenshot {
            // The image first: a record never names an image not on disk.
            write_durably(&record_path.with_extension("png"), &shot.png)?;
        }
        let entry = ChainEntry {
            seq,
            sha256: sha256.clone(),
            prev: head.sha256.clone(),
            path: relative_path.to_string_lossy().into_owned(),
        };
        let written =
            write_durably(&record_path, &bytes).and_then(|()| chain::append(&self.root, &entry));
        if let Err(e) = written {
            // A record or image the chain does not list would show up as
            // inserted; take them back so the archive stays consistent.
            let _ = fs::remove_file(&record_path);
            let _ = fs::remove_file(record_path.with_extension("png"));
            return Err(e);
        }
        *head = ChainHead {
            seq,
            sha256: sha256.clone(),
        };
        Ok(ArchiveReceipt {
            record_sha256: sha256,
            relative_path,
            platform_comment_id: input.comment.platform_id.clone(),
            content_hash: input.comment.content_hash(),
        })
    }

    /// Re-reads a record from disk, checks its hash and returns its receipt.
    /// Used when a pending action is resumed after a restart: the evidence
    /// must still be there and intact.
    pub fn receipt_for(&self, relative_path: &Path) -> Result<ArchiveReceipt, ArchiveError> {
        let path = self.root.join(relative_path);
        let bytes = fs::read(&path).map_err(|e| ArchiveError::io(&path, e))?;
        let expected = relative_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if hex::encode(Sha256::digest(&bytes)) != expected {
            return Err(ArchiveError::HashMismatch { path, expected });
        }
        let record: EvidenceRecord =
            serde_json::from_slice(&bytes).map_err(|e| ArchiveError::Corrupt {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        Ok(ArchiveReceipt {
            record_sha256: expected,
            relative_path: relative_path.to_path_buf(),
            platform_comment_id: record.comment.comment_id,
            content_hash: record.comment.content_hash,
        })
    }
}

/// Writes a new file and fsyncs it and its directory, so that a receipt
/// never outlives a power cut.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| ArchiveError::io(dir, e))?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
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
    use crate::decide::ModerationAction;
    use crate::model::{FetchedComment, PlatformKind};

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
}
