//! A record and its chain line as one transaction, so that a crash (power
//! cut, `kill -9`, a full disk) never leaves the archive in a state that
//! `archive verify` must report as tampering.
//!
//! Writing a record takes three durable steps — screenshot, record file,
//! chain line — and a crash can fall between any two. Before the first, the
//! writer states what it is about to write in [`PENDING_FILE`] (an
//! [`Intent`]: chain position, previous hash, record hash and path, image
//! path) and fsyncs it; after the chain line it empties the file again.
//! When the writer next opens the archive, under the writer lock,
//! [`reconcile`] reads the intent — one small file, whatever the archive's
//! size — and finishes or undoes that one write:
//!
//! - the record is already chained: only the intent is left over; it is
//!   emptied;
//! - the record is complete (it hashes to its name, its image is intact)
//!   and continues the chain head: its chain line is appended, marked
//!   `recovered_at` (roll-forward), so the evidence is kept and the
//!   archivist can see it was chained late;
//! - anything else (no record, a half-written `.tmp`, an image without its
//!   record, a record that no longer continues the head): whatever files
//!   the write left are moved to `quarantine/<started>-<seq>/` with the
//!   intent beside them as `intent.json`, never deleted, since evidence is
//!   not ours to destroy.
//!
//! `pending.json` is rewritten in place rather than created and renamed for
//! each record, so an intent costs one fsync. That is safe because nothing
//! is written after the intent until its fsync returned: a crash while it
//! is written leaves either the previous intent (whose record is chained),
//! an empty file, or a torn one that does not parse — and a torn intent
//! names nothing that was written. Emptying it needs no fsync: an intent
//! that reappears after a crash names a record that is already chained.
//!
//! A crash inside the chain append itself can leave a torn last line. When
//! the intent shows it is this record's line (a prefix of it, or zeros
//! where the file system extended the file but not its data), the torn bytes
//! are cut off and the record rolled forward; a line that is complete but
//! for its newline gets its newline. A tail that is not this record's line
//! is left alone: that is for a person to look at, not for the writer to
//! repair.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{self, CHAIN_FILE, ChainEntry, ChainTail, RecoveryNote};
use super::{ArchiveError, EvidenceRecord, GENESIS, sync_dir, write_durably};

/// The intent file in the archive root: empty, or the one record write in
/// progress.
pub const PENDING_FILE: &str = "pending.json";
/// Where the files of an interrupted write are set aside.
pub const QUARANTINE_DIR: &str = "quarantine";
/// The intent's name inside a quarantine directory.
const QUARANTINE_INTENT: &str = "intent.json";
/// The format name written into every intent.
const INTENT_FORMAT: &str = "kommentarsvakt-intent/1";
/// How much of the end of `chain.jsonl` is read to find a torn last line.
const TAIL_WINDOW: u64 = 64 * 1024;

/// One record write in progress, as `pending.json` states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Intent {
    /// Always [`INTENT_FORMAT`].
    pub format: String,
    /// The chain position the record takes.
    pub seq: u64,
    /// The chain head it continues.
    pub prev: String,
    /// The record file's SHA-256, which names it.
    pub sha256: String,
    /// The record's path relative to the archive root.
    pub path: String,
    /// The screenshot's path relative to the archive root, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub png: Option<String>,
    /// When the write began; names the quarantine directory.
    pub started_at: DateTime<Utc>,
}

impl Intent {
    /// The intent to write the record `sha256` at `path` as number `seq`
    /// after `prev`.
    pub fn new(seq: u64, prev: &str, sha256: &str, path: &Path, png: Option<&Path>) -> Self {
        Self {
            format: INTENT_FORMAT.to_string(),
            seq,
            prev: prev.to_string(),
            sha256: sha256.to_string(),
            path: path.to_string_lossy().into_owned(),
            png: png.map(|p| p.to_string_lossy().into_owned()),
            started_at: Utc::now(),
        }
    }

    /// The chain line that completes the write. The writer appends exactly
    /// this, so that a torn line can be recognised as a prefix of it.
    pub fn entry(&self) -> ChainEntry {
        ChainEntry {
            seq: self.seq,
            sha256: self.sha256.clone(),
            prev: self.prev.clone(),
            path: self.path.clone(),
            recovered_at: None,
        }
    }

    /// The files the write may have left, relative to the archive root:
    /// the record, the image, and their temporary files.
    fn files(&self) -> Vec<PathBuf> {
        let mut files = vec![PathBuf::from(&self.path), tmp_of(Path::new(&self.path))];
        if let Some(png) = &self.png {
            files.push(PathBuf::from(png));
            files.push(tmp_of(Path::new(png)));
        }
        files
    }

    /// Whether every path stays inside the archive: the intent is read
    /// back from disk and must never move files from elsewhere.
    fn is_confined(&self) -> bool {
        std::iter::once(&self.path)
            .chain(&self.png)
            .all(|p| is_confined(Path::new(p)))
    }
}

/// What [`reconcile`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// No write was interrupted.
    Clean,
    /// The record was chained already; only its intent was left over.
    AlreadyChained {
        /// Chain position.
        seq: u64,
        /// Record path.
        path: String,
    },
    /// The record was complete and continued the chain: its line was
    /// appended, marked as recovered.
    RolledForward {
        /// Chain position.
        seq: u64,
        /// Record path.
        path: String,
    },
    /// The files the write left were moved into quarantine.
    Quarantined {
        /// Chain position the record would have had.
        seq: u64,
        /// The quarantine directory, relative to the archive root.
        dir: PathBuf,
        /// The files moved there, relative to the archive root before.
        files: Vec<PathBuf>,
    },
    /// The crash came before any file of the record was written.
    NothingWritten {
        /// Chain position the record would have had.
        seq: u64,
    },
    /// The intent itself was torn or unusable; nothing after it was
    /// written, so it was discarded.
    IntentDiscarded,
}

impl Recovery {
    /// Whether a crash had left anything to recover.
    pub fn is_clean(&self) -> bool {
        *self == Recovery::Clean
    }
}

/// Durably states the write about to happen.
pub(super) fn write_intent(root: &Path, intent: &Intent) -> Result<(), ArchiveError> {
    let path = root.join(PENDING_FILE);
    let mut bytes = serde_json::to_vec(intent).map_err(|e| ArchiveError::Corrupt {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    bytes.push(b'\n');
    let (mut file, created) = match OpenOptions::new().write(true).truncate(true).open(&path) {
        Ok(file) => (file, false),
        Err(e) if e.kind() == ErrorKind::NotFound => (
            File::create(&path).map_err(|e| ArchiveError::io(&path, e))?,
            true,
        ),
        Err(e) => return Err(ArchiveError::io(&path, e)),
    };
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| ArchiveError::io(&path, e))?;
    if created {
        // A new directory entry is only durable once its directory is.
        sync_dir(root)?;
    }
    Ok(())
}

/// Marks that no write is in progress. Not fsynced: an intent that comes
/// back after a crash names a record that is chained, which [`reconcile`]
/// recognises.
pub(super) fn clear_intent(root: &Path) -> Result<(), ArchiveError> {
    let path = root.join(PENDING_FILE);
    match OpenOptions::new().write(true).truncate(true).open(&path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ArchiveError::io(&path, e)),
    }
}

/// Whether `pending.json` holds an intent: a write in this process could
/// not clean up after an error, or a crash left one.
pub(super) fn intent_pending(root: &Path) -> Result<bool, ArchiveError> {
    let path = root.join(PENDING_FILE);
    match fs::metadata(&path) {
        Ok(meta) => Ok(meta.len() > 0),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ArchiveError::io(&path, e)),
    }
}

/// What `pending.json` holds.
enum IntentFile {
    /// Nothing: no write in progress.
    Empty,
    /// Something that is not a usable intent.
    Unusable,
    /// A write in progress.
    Intent(Intent),
}

fn read_intent_file(path: &Path) -> Result<IntentFile, ArchiveError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(IntentFile::Empty),
        Err(e) => return Err(ArchiveError::io(path, e)),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(IntentFile::Empty);
    }
    Ok(match serde_json::from_slice::<Intent>(&bytes) {
        Ok(intent) if intent.format == INTENT_FORMAT && intent.is_confined() => {
            IntentFile::Intent(intent)
        }
        _ => IntentFile::Unusable,
    })
}

/// Finishes or undoes the one record write a crash interrupted, if any.
/// Called under the writer lock, before the chain head is read. Reads the
/// intent, the end of the chain and the few files the intent names: the
/// cost does not grow with the archive.
pub(super) fn reconcile(root: &Path) -> Result<Recovery, ArchiveError> {
    let intent = match read_intent_file(&root.join(PENDING_FILE))? {
        IntentFile::Empty => return Ok(Recovery::Clean),
        IntentFile::Unusable => {
            clear_intent(root)?;
            return Ok(Recovery::IntentDiscarded);
        }
        IntentFile::Intent(intent) => intent,
    };
    repair_torn_chain_line(root, &intent)?;
    let (head_seq, head_sha) =
        chain::read_head(root)?.map_or((0, GENESIS.to_string()), |e| (e.seq, e.sha256));
    if intent.seq <= head_seq {
        if chained_at(root, intent.seq)?
            .is_some_and(|e| e.sha256 == intent.sha256 && e.path == intent.path)
        {
            remove_tmp_files(root, &intent)?;
            clear_intent(root)?;
            return Ok(Recovery::AlreadyChained {
                seq: intent.seq,
                path: intent.path,
            });
        }
    } else if intent.seq == head_seq + 1
        && intent.prev == head_sha
        && record_complete(root, &intent)
    {
        chain::append(
            root,
            &ChainEntry {
                recovered_at: Some(Utc::now()),
                ..intent.entry()
            },
        )?;
        remove_tmp_files(root, &intent)?;
        clear_intent(root)?;
        return Ok(Recovery::RolledForward {
            seq: intent.seq,
            path: intent.path,
        });
    }
    quarantine(root, &intent)
}

/// The chain entry at position `seq`, walking back from the head. Only
/// called for the intent's own position, which is the head or right after
/// it unless someone edited the files, so the walk is short.
fn chained_at(root: &Path, seq: u64) -> Result<Option<ChainEntry>, ArchiveError> {
    for entry in ChainTail::open(&root.join(CHAIN_FILE))? {
        match entry {
            Ok(entry) if entry.seq == seq => return Ok(Some(entry)),
            Ok(entry) if entry.seq < seq => return Ok(None),
            Ok(_) | Err(ArchiveError::Corrupt { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Whether the record the intent names is on disk in full: it hashes to
/// its name, says it is number `seq` after `prev`, and its image (if it
/// names one) is beside it, intact. Exactly what `verify` will check.
fn record_complete(root: &Path, intent: &Intent) -> bool {
    let path = root.join(&intent.path);
    let Ok(bytes) = fs::read(&path) else {
        return false;
    };
    let named = path.file_stem().and_then(|s| s.to_str()) == Some(intent.sha256.as_str());
    named
        && hex::encode(Sha256::digest(&bytes)) == intent.sha256
        && serde_json::from_slice::<EvidenceRecord>(&bytes).is_ok_and(|r| {
            r.seq == intent.seq && r.prev == intent.prev && chain::screenshot_intact(&path, &r)
        })
}

/// Removes the temporary files of a write that is complete: they hold
/// nothing the record and image do not.
fn remove_tmp_files(root: &Path, intent: &Intent) -> Result<(), ArchiveError> {
    for file in intent.files() {
        if file.extension().is_some_and(|e| e == "tmp") {
            let path = root.join(&file);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(ArchiveError::io(&path, e)),
            }
        }
    }
    Ok(())
}

/// Moves whatever files the interrupted write left into a quarantine
/// directory of its own, with the intent beside them, then clears the
/// intent. Named after the intent, so a crash halfway through and a second
/// attempt fill the same directory.
fn quarantine(root: &Path, intent: &Intent) -> Result<Recovery, ArchiveError> {
    let mut left = Vec::new();
    for file in intent.files() {
        match fs::symlink_metadata(root.join(&file)) {
            Ok(_) => left.push(file),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(ArchiveError::io(&root.join(&file), e)),
        }
    }
    let dir = PathBuf::from(QUARANTINE_DIR).join(format!(
        "{}-{}",
        intent.started_at.format("%Y%m%dT%H%M%S%.6fZ"),
        intent.seq
    ));
    if left.is_empty() && !root.join(&dir).exists() {
        clear_intent(root)?;
        return Ok(Recovery::NothingWritten { seq: intent.seq });
    }
    for file in &left {
        let from = root.join(file);
        let to = root.join(&dir).join(file);
        let to_dir = to.parent().unwrap_or(root);
        fs::create_dir_all(to_dir).map_err(|e| ArchiveError::io(to_dir, e))?;
        fs::rename(&from, &to).map_err(|e| ArchiveError::io(&from, e))?;
        sync_dirs_up_to(root, to_dir)?;
        sync_dir(from.parent().unwrap_or(root))?;
    }
    let mut note = serde_json::to_vec_pretty(intent).map_err(|e| ArchiveError::Corrupt {
        path: root.join(&dir),
        detail: e.to_string(),
    })?;
    note.push(b'\n');
    write_durably(&root.join(&dir).join(QUARANTINE_INTENT), &note)?;
    sync_dirs_up_to(root, &root.join(&dir))?;
    // Only now that the files are durably elsewhere may the intent go.
    clear_intent(root)?;
    Ok(Recovery::Quarantined {
        seq: intent.seq,
        dir,
        files: left,
    })
}

/// Cuts off a chain line torn by a crash during the intent's own append,
/// or completes one that lacks only its newline. Anything else at the end
/// of the chain is left for a person (and makes reading the head fail).
fn repair_torn_chain_line(root: &Path, intent: &Intent) -> Result<(), ArchiveError> {
    let path = root.join(CHAIN_FILE);
    let mut file = match OpenOptions::new().read(true).write(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(ArchiveError::io(&path, e)),
    };
    let io = |e| ArchiveError::io(&path, e);
    let len = file.metadata().map_err(io)?.len();
    let start = len.saturating_sub(TAIL_WINDOW);
    let mut window = Vec::new();
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    file.read_to_end(&mut window).map_err(io)?;
    let tail = match window.iter().rposition(|b| *b == b'\n') {
        Some(newline) => &window[newline + 1..],
        None if start == 0 => &window[..],
        None => return Ok(()),
    };
    if tail.is_empty() {
        return Ok(());
    }
    let expected = serde_json::to_vec(&intent.entry()).map_err(|e| ArchiveError::Corrupt {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    if tail == expected.as_slice() {
        file.seek(SeekFrom::End(0)).map_err(io)?;
        file.write_all(b"\n").map_err(io)?;
    } else if expected.starts_with(tail) || tail.iter().all(|b| *b == 0) {
        file.set_len(len - tail.len() as u64).map_err(io)?;
    } else {
        return Ok(());
    }
    file.sync_all().map_err(io)
}

/// The record `pending.json` names, when it is on disk in full but not
/// yet chained: `verify` reports it as awaiting its chain line instead of
/// as inserted. Returns its chain position and path.
pub(super) fn awaiting_chain_line(root: &Path) -> Result<Option<(u64, String)>, ArchiveError> {
    let IntentFile::Intent(intent) = read_intent_file(&root.join(PENDING_FILE))? else {
        return Ok(None);
    };
    let hashes = fs::read(root.join(&intent.path))
        .is_ok_and(|bytes| hex::encode(Sha256::digest(&bytes)) == intent.sha256);
    Ok(hashes.then_some((intent.seq, intent.path)))
}

/// One note per quarantine directory, for `verify`.
pub(super) fn quarantined(root: &Path) -> Result<Vec<RecoveryNote>, ArchiveError> {
    let base = root.join(QUARANTINE_DIR);
    let entries = match fs::read_dir(&base) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ArchiveError::io(&base, e)),
    };
    let mut dirs = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| ArchiveError::io(&base, e))?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    let mut notes = Vec::new();
    for dir in dirs {
        let seq = match read_intent_file(&dir.join(QUARANTINE_INTENT))? {
            IntentFile::Intent(intent) => Some(intent.seq),
            _ => None,
        };
        let files = files_below(&dir)?
            .into_iter()
            .filter(|f| f.as_os_str() != QUARANTINE_INTENT)
            .map(|f| f.to_string_lossy().into_owned())
            .collect();
        notes.push(RecoveryNote::Quarantined {
            dir: dir
                .strip_prefix(root)
                .unwrap_or(&dir)
                .to_string_lossy()
                .into_owned(),
            seq,
            files,
        });
    }
    Ok(notes)
}

/// Every file below `dir`, relative to it, sorted.
fn files_below(dir: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = fs::read_dir(&current).map_err(|e| ArchiveError::io(&current, e))?;
        for entry in entries {
            let path = entry.map_err(|e| ArchiveError::io(&current, e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Fsyncs `dir` and every directory above it up to `root`, so directories
/// just created are durable along with what was put in them.
fn sync_dirs_up_to(root: &Path, dir: &Path) -> Result<(), ArchiveError> {
    let mut current = Some(dir);
    while let Some(dir) = current {
        sync_dir(dir)?;
        if dir == root {
            break;
        }
        current = dir.parent().filter(|p| p.starts_with(root));
    }
    Ok(())
}

/// `<path>.tmp`, where [`write_durably`] writes before renaming.
pub(super) fn tmp_of(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    PathBuf::from(tmp)
}

/// A relative path with no `..`: it cannot leave the archive root.
fn is_confined(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    //! Each test builds the files a crash leaves at one point of a record
    //! write (exactly what `archive_comment` would have written up to
    //! there), reopens the archive as a restarted service does, and checks
    //! what reconciliation did and that `verify` finds the archive intact,
    //! with the recovery reported as such.

    use chrono::TimeZone;
    use serde_json::value::RawValue;

    use super::*;
    use crate::archive::screenshot::Screenshot;
    use crate::archive::{Archive, RecordInput, verify};
    use crate::domain::{FetchedComment, ModerationAction, PlatformKind};

    fn comment(id: &str) -> FetchedComment {
        FetchedComment {
            platform_id: id.to_string(),
            post_id: "p1".to_string(),
            parent_id: None,
            author_id: None,
            author_name: Some("Bo".to_string()),
            text: format!("Kommentar {id}"),
            created_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            permalink: None,
            is_hidden: false,
            raw: RawValue::from_string(format!("{{\"id\":\"{id}\"}}")).unwrap(),
        }
    }

    fn fetched_at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
    }

    fn input<'a>(
        comment: &'a FetchedComment,
        screenshot: Option<&'a Screenshot>,
    ) -> RecordInput<'a> {
        RecordInput {
            account_key: "konto",
            account_name: "Konto",
            platform: PlatformKind::Facebook,
            comment,
            fetched_at: fetched_at(),
            findings: &[],
            action: ModerationAction::None,
            screenshot,
        }
    }

    /// An archive with records "1" and "2", closed again.
    fn archive_with_two_records() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        for id in ["1", "2"] {
            archive.archive_comment(&input(&comment(id), None)).unwrap();
        }
        dir
    }

    /// Record "3" as `archive_comment` would write it after the head: its
    /// intent is on disk, nothing else yet.
    struct Interrupted {
        intent: Intent,
        record: Vec<u8>,
        png: Option<Vec<u8>>,
    }

    fn interrupted_write(root: &Path, with_png: bool) -> Interrupted {
        let head = chain::read_head(root).unwrap().unwrap();
        let shot = Screenshot {
            png: b"\x89PNG not really".to_vec(),
            renderer: "fallback",
            fallback_from: None,
        };
        let comment = comment("3");
        let input = input(&comment, with_png.then_some(&shot));
        let record = EvidenceRecord::new(&input, head.seq + 1, &head.sha256);
        let bytes = record.to_bytes().unwrap();
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let path = record.relative_dir().join(format!("{sha256}.json"));
        let png_path = path.with_extension("png");
        let intent = Intent::new(
            head.seq + 1,
            &head.sha256,
            &sha256,
            &path,
            with_png.then_some(png_path.as_path()),
        );
        write_intent(root, &intent).unwrap();
        Interrupted {
            intent,
            record: bytes,
            png: with_png.then(|| shot.png.clone()),
        }
    }

    impl Interrupted {
        fn record_path(&self, root: &Path) -> PathBuf {
            root.join(&self.intent.path)
        }

        fn png_path(&self, root: &Path) -> PathBuf {
            self.record_path(root).with_extension("png")
        }

        fn write_png(&self, root: &Path) {
            write_durably(&self.png_path(root), self.png.as_ref().unwrap()).unwrap();
        }

        fn write_record(&self, root: &Path) {
            write_durably(&self.record_path(root), &self.record).unwrap();
        }

        fn append_chain_line(&self, root: &Path) {
            chain::append(root, &self.intent.entry()).unwrap();
        }
    }

    fn chain_lines(root: &Path) -> Vec<String> {
        fs::read_to_string(root.join(CHAIN_FILE))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn pending_is_empty(root: &Path) -> bool {
        !intent_pending(root).unwrap()
    }

    #[test]
    fn verify_before_the_restart_reports_the_unchained_record_as_awaiting_not_inserted() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), false);
        crash.write_record(dir.path());

        let report = verify(dir.path()).unwrap();
        assert!(report.is_intact(), "{:?}", report.problems);
        assert_eq!(
            report.recovery,
            [RecoveryNote::AwaitingChainLine {
                seq: 3,
                path: crash.intent.path.clone()
            }]
        );
    }

    #[test]
    fn a_record_written_without_its_chain_line_is_rolled_forward_and_marked_recovered() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), true);
        crash.write_png(dir.path());
        crash.write_record(dir.path());

        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(
            *archive.recovery_on_open(),
            Recovery::RolledForward {
                seq: 3,
                path: crash.intent.path.clone()
            }
        );
        assert!(pending_is_empty(dir.path()));
        let lines = chain_lines(dir.path());
        assert_eq!(lines.len(), 3);
        assert!(!lines[1].contains("recovered_at"), "{}", lines[1]);
        let last: ChainEntry = serde_json::from_str(&lines[2]).unwrap();
        assert_eq!(last.seq, 3);
        assert!(last.recovered_at.is_some());

        let report = verify(dir.path()).unwrap();
        assert!(report.is_intact(), "{:?}", report.problems);
        assert_eq!(report.records_checked, 3);
        assert!(
            matches!(&report.recovery[..], [RecoveryNote::ChainedOnReopen { seq: 3, path, .. }]
                if *path == crash.intent.path),
            "{:?}",
            report.recovery
        );
        assert!(report.recovery[0].to_string().starts_with(
            "recovered after crash: record #3 chained when the archive was reopened at "
        ));

        // The next record continues the recovered one.
        archive
            .archive_comment(&input(&comment("4"), None))
            .unwrap();
        assert!(verify(dir.path()).unwrap().is_intact());
        assert_eq!(chain_lines(dir.path()).len(), 4);
    }

    #[test]
    fn the_rolled_forward_record_is_reused_when_its_comment_is_archived_again() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), false);
        crash.write_record(dir.path());
        let archive = Archive::open(dir.path()).unwrap();

        // The database never recorded the decision, so the restarted
        // pipeline asks for the same version again.
        let again = archive
            .archive_comment(&input(&comment("3"), None))
            .unwrap();
        assert_eq!(again.relative_path(), Path::new(&crash.intent.path));
        assert_eq!(again.record_sha256(), crash.intent.sha256);
        assert_eq!(chain_lines(dir.path()).len(), 3, "nothing new is chained");
        assert!(pending_is_empty(dir.path()));
        assert!(verify(dir.path()).unwrap().is_intact());
    }

    #[test]
    fn a_record_chained_before_the_crash_only_loses_its_leftover_intent() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), true);
        crash.write_png(dir.path());
        crash.write_record(dir.path());
        crash.append_chain_line(dir.path());
        let before = chain_lines(dir.path());

        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(
            *archive.recovery_on_open(),
            Recovery::AlreadyChained {
                seq: 3,
                path: crash.intent.path.clone()
            }
        );
        assert_eq!(chain_lines(dir.path()), before, "the chain is untouched");
        assert!(pending_is_empty(dir.path()));
        let report = verify(dir.path()).unwrap();
        assert!(report.is_intact(), "{:?}", report.problems);
        assert!(report.recovery.is_empty(), "{:?}", report.recovery);
        // Asked again for the same version, the archive reuses the record.
        let again = archive.archive_comment(&input(&comment("3"), None));
        assert!(again.is_ok());
        assert_eq!(chain_lines(dir.path()), before);
    }

    #[test]
    fn an_intent_without_any_file_is_dropped_and_the_next_record_takes_its_place() {
        let dir = archive_with_two_records();
        interrupted_write(dir.path(), true);

        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(
            *archive.recovery_on_open(),
            Recovery::NothingWritten { seq: 3 }
        );
        assert!(pending_is_empty(dir.path()));
        assert!(!dir.path().join(QUARANTINE_DIR).exists());
        let receipt = archive
            .archive_comment(&input(&comment("3"), None))
            .unwrap();
        let head = chain::read_head(dir.path()).unwrap().unwrap();
        assert_eq!(
            (head.seq, head.sha256.as_str()),
            (3, receipt.record_sha256())
        );
        assert!(head.recovered_at.is_none());
        let report = verify(dir.path()).unwrap();
        assert!(
            report.is_intact() && report.recovery.is_empty(),
            "{report:?}"
        );
    }

    #[test]
    fn an_image_without_its_record_is_quarantined_with_the_intent_beside_it() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), true);
        crash.write_png(dir.path());

        let archive = Archive::open(dir.path()).unwrap();
        let png = PathBuf::from(crash.intent.png.clone().unwrap());
        let Recovery::Quarantined {
            seq,
            dir: qdir,
            files,
        } = archive.recovery_on_open().clone()
        else {
            panic!("expected quarantine, got {:?}", archive.recovery_on_open());
        };
        assert_eq!((seq, files), (3, vec![png.clone()]));
        assert!(qdir.starts_with(QUARANTINE_DIR));
        assert!(!crash.png_path(dir.path()).exists(), "gone from records/");
        assert_eq!(
            fs::read(dir.path().join(&qdir).join(&png)).unwrap(),
            crash.png.clone().unwrap(),
            "kept byte for byte"
        );
        let kept: Intent = serde_json::from_slice(
            &fs::read(dir.path().join(&qdir).join(QUARANTINE_INTENT)).unwrap(),
        )
        .unwrap();
        assert_eq!(kept, crash.intent);
        assert!(pending_is_empty(dir.path()));

        let report = verify(dir.path()).unwrap();
        assert!(report.is_intact(), "{:?}", report.problems);
        assert_eq!(
            report.recovery,
            [RecoveryNote::Quarantined {
                dir: qdir.to_string_lossy().into_owned(),
                seq: Some(3),
                files: vec![png.to_string_lossy().into_owned()],
            }]
        );
        assert!(
            report.recovery[0]
                .to_string()
                .starts_with("recovered after crash: quarantine/")
        );
        // The comment is archived anew as number 3.
        archive
            .archive_comment(&input(&comment("3"), None))
            .unwrap();
        assert_eq!(chain::read_head(dir.path()).unwrap().unwrap().seq, 3);
        assert!(verify(dir.path()).unwrap().is_intact());
    }

    #[test]
    fn a_half_written_record_tmp_is_quarantined_not_chained() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), false);
        let tmp = tmp_of(&crash.record_path(dir.path()));
        fs::create_dir_all(tmp.parent().unwrap()).unwrap();
        fs::write(&tmp, &crash.record[..crash.record.len() / 2]).unwrap();

        let archive = Archive::open(dir.path()).unwrap();
        assert!(
            matches!(archive.recovery_on_open(), Recovery::Quarantined { files, .. }
                if *files == [tmp_of(Path::new(&crash.intent.path))]),
            "{:?}",
            archive.recovery_on_open()
        );
        assert!(!tmp.exists());
        assert_eq!(chain_lines(dir.path()).len(), 2);
        assert!(verify(dir.path()).unwrap().is_intact());
    }

    #[test]
    fn a_complete_record_that_no_longer_continues_the_head_is_quarantined() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), false);
        crash.write_record(dir.path());
        // Someone chained another record in the meantime (by hand).
        let other = ChainEntry {
            seq: 3,
            sha256: "ab".repeat(32),
            prev: crash.intent.prev.clone(),
            path: "records/elsewhere.json".to_string(),
            recovered_at: None,
        };
        chain::append(dir.path(), &other).unwrap();

        let archive = Archive::open(dir.path()).unwrap();
        assert!(
            matches!(archive.recovery_on_open(), Recovery::Quarantined { seq: 3, files, .. }
                if *files == [PathBuf::from(&crash.intent.path)]),
            "{:?}",
            archive.recovery_on_open()
        );
        assert!(!crash.record_path(dir.path()).exists());
        assert_eq!(chain::read_head(dir.path()).unwrap().unwrap(), other);
    }

    #[test]
    fn a_chain_line_torn_by_the_crash_is_cut_and_the_record_rolled_forward() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), false);
        crash.write_record(dir.path());
        let line = serde_json::to_vec(&crash.intent.entry()).unwrap();
        let mut chain = OpenOptions::new()
            .append(true)
            .open(dir.path().join(CHAIN_FILE))
            .unwrap();
        chain.write_all(&line[..line.len() / 2]).unwrap();
        drop(chain);
        assert!(chain::read_head(dir.path()).is_err(), "the torn line");

        let archive = Archive::open(dir.path()).unwrap();
        assert!(matches!(
            archive.recovery_on_open(),
            Recovery::RolledForward { seq: 3, .. }
        ));
        assert_eq!(chain_lines(dir.path()).len(), 3);
        let report = verify(dir.path()).unwrap();
        assert!(report.is_intact(), "{:?}", report.problems);
    }

    #[test]
    fn a_chain_line_missing_only_its_newline_is_completed() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), false);
        crash.write_record(dir.path());
        let line = serde_json::to_vec(&crash.intent.entry()).unwrap();
        let mut chain = OpenOptions::new()
            .append(true)
            .open(dir.path().join(CHAIN_FILE))
            .unwrap();
        chain.write_all(&line).unwrap();
        drop(chain);

        let archive = Archive::open(dir.path()).unwrap();
        assert!(matches!(
            archive.recovery_on_open(),
            Recovery::AlreadyChained { seq: 3, .. }
        ));
        assert!(
            fs::read(dir.path().join(CHAIN_FILE))
                .unwrap()
                .ends_with(b"\n")
        );
        archive
            .archive_comment(&input(&comment("4"), None))
            .unwrap();
        assert_eq!(chain_lines(dir.path()).len(), 4);
        assert!(verify(dir.path()).unwrap().is_intact());
    }

    #[test]
    fn a_foreign_torn_chain_tail_is_left_for_a_person() {
        let dir = archive_with_two_records();
        interrupted_write(dir.path(), false);
        let mut chain = OpenOptions::new()
            .append(true)
            .open(dir.path().join(CHAIN_FILE))
            .unwrap();
        chain.write_all(b"{\"seq\":99,\"garbage").unwrap();
        drop(chain);
        let error = Archive::open(dir.path()).unwrap_err();
        assert!(matches!(error, ArchiveError::Corrupt { .. }), "{error:?}");
        assert!(
            fs::read_to_string(dir.path().join(CHAIN_FILE))
                .unwrap()
                .ends_with("garbage")
        );
    }

    #[test]
    fn a_torn_intent_is_discarded_since_nothing_after_it_was_written() {
        let dir = archive_with_two_records();
        fs::write(
            dir.path().join(PENDING_FILE),
            b"{\"format\":\"kommentarsvakt-int",
        )
        .unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(*archive.recovery_on_open(), Recovery::IntentDiscarded);
        assert!(pending_is_empty(dir.path()));
        assert!(verify(dir.path()).unwrap().is_intact());
    }

    #[test]
    fn an_intent_naming_a_path_outside_the_archive_moves_nothing() {
        let dir = archive_with_two_records();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("victim.json"), b"{}").unwrap();
        let mut crash = interrupted_write(dir.path(), false);
        crash.intent.path = format!("../{}/victim.json", outside.path().display());
        write_intent(dir.path(), &crash.intent).unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(*archive.recovery_on_open(), Recovery::IntentDiscarded);
        assert!(outside.path().join("victim.json").exists());
    }

    #[test]
    fn reopening_after_a_recovery_finds_nothing_more_to_do() {
        let dir = archive_with_two_records();
        let crash = interrupted_write(dir.path(), true);
        crash.write_png(dir.path());
        drop(Archive::open(dir.path()).unwrap());
        let again = Archive::open(dir.path()).unwrap();
        assert!(again.recovery_on_open().is_clean());
        assert_eq!(verify(dir.path()).unwrap().recovery.len(), 1);
    }
}
