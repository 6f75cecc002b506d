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
//! ```
//!
//! [`retention`] culls records whose period has run out, [`export`] packs
//! records for delivery to the city archive, [`register`] lists removed
//! content for the registry office.

pub mod chain;
pub mod export;
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

/// The archive on disk. Appends are serialised so the chain stays linear.
#[derive(Debug)]
pub struct Archive {
    root: PathBuf,
    head: Mutex<ChainHead>,
}

#[derive(Debug, Clone)]
struct ChainHead {
    seq: u64,
    sha256: String,
}

/// The `prev` value of the first record in a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Archive {
    /// Opens (or creates) the archive at `root` and reads the chain head.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, ArchiveError> {
        let root = root.into();
        fs::create_dir_all(root.join("records")).map_err(|e| ArchiveError::io(&root, e))?;
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
        })
    }

    /// The archive root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes the evidence record for one comment version and returns the
    /// receipt once the file, its directory and the chain index are on disk.
    pub fn archive_comment(&self, input: &RecordInput<'_>) -> Result<ArchiveReceipt, ArchiveError> {
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
