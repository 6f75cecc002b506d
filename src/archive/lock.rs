//! One writer per archive. Records are chained, each naming the hash of the
//! one before; two processes appending to the same archive (two hosts on a
//! shared archive directory and one PostgreSQL database, or an operator
//! starting a second copy by mistake) would both chain onto the same head
//! and fork the chain, which `archive verify` then reports as tampering.
//!
//! So every process that writes the archive holds an exclusive lock on
//! [`LOCK_FILE`] in the archive root for as long as it may write, and
//! writes its process id into the file so the second writer's error can
//! name the holder. The lock is the operating system's (`flock`): it goes
//! away with the process, also after a crash or `kill -9`, so a stale lock
//! file never blocks a restart. Readers (`archive verify`, `export`,
//! `register`) take no lock and work while the service runs.
//!
//! The lock is taken through a read-only handle where the file system
//! allows it, so that no file in the archive stays open for writing between
//! appends (an administrator may remount the archive read-only). NFS
//! emulates `flock` with POSIX locks, which need write access; there the
//! lock is taken through a read-write handle instead.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::ArchiveError;

/// The lock file's name in the archive root.
pub const LOCK_FILE: &str = "writer.lock";

/// The exclusive right to write one archive, held until dropped.
#[derive(Debug)]
pub struct WriterLock {
    path: PathBuf,
    _file: File,
}

impl WriterLock {
    /// Takes the archive's writer lock at once, or fails with
    /// [`ArchiveError::Locked`] naming the lock file and, when it has
    /// written it, the holder's process id.
    pub fn acquire(root: &Path) -> Result<Self, ArchiveError> {
        let path = root.join(LOCK_FILE);
        create_if_missing(&path)?;
        let file = match lock_read_only(&path)? {
            Locked::Held(file) => Some(file),
            Locked::Busy => None,
            Locked::NeedsWriteAccess => lock_read_write(&path)?,
        };
        let Some(file) = file else {
            return Err(locked_error(path));
        };
        write_holder_pid(&path)?;
        Ok(Self { path, _file: file })
    }

    /// The lock file, for logs.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// What one attempt to lock gave.
enum Locked {
    /// The lock is ours, held by this handle.
    Held(File),
    /// Another handle holds it.
    Busy,
    /// The file system refused to lock through this kind of handle.
    NeedsWriteAccess,
}

fn create_if_missing(path: &Path) -> Result<(), ArchiveError> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map(drop)
        .map_err(|e| ArchiveError::io(path, e))
}

fn lock_read_only(path: &Path) -> Result<Locked, ArchiveError> {
    let file = File::open(path).map_err(|e| ArchiveError::io(path, e))?;
    Ok(match file.try_lock() {
        Ok(()) => Locked::Held(file),
        Err(TryLockError::WouldBlock) => Locked::Busy,
        Err(TryLockError::Error(_)) => Locked::NeedsWriteAccess,
    })
}

/// The locked read-write handle, or `None` when another one holds the lock.
fn lock_read_write(path: &Path) -> Result<Option<File>, ArchiveError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| ArchiveError::io(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(ArchiveError::io(path, e)),
    }
}

/// Replaces the file's content with this process's id, for the error a
/// second writer gets; only the lock holder writes it.
fn write_holder_pid(path: &Path) -> Result<(), ArchiveError> {
    fs::write(path, format!("{}\n", std::process::id())).map_err(|e| ArchiveError::io(path, e))
}

/// The process id the holder wrote, if it has written one yet.
fn holder_pid(path: &Path) -> Option<u32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

fn locked_error(path: PathBuf) -> ArchiveError {
    ArchiveError::Locked {
        holder_pid: holder_pid(&path),
        path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_writes_its_process_id_into_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let lock = WriterLock::acquire(dir.path()).unwrap();
        assert_eq!(lock.path(), dir.path().join(LOCK_FILE));
        assert_eq!(holder_pid(lock.path()), Some(std::process::id()));
    }

    #[test]
    fn a_second_lock_names_the_file_and_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let _first = WriterLock::acquire(dir.path()).unwrap();
        match WriterLock::acquire(dir.path()) {
            Err(ArchiveError::Locked { path, holder_pid }) => {
                assert_eq!(path, dir.path().join(LOCK_FILE));
                assert_eq!(holder_pid, Some(std::process::id()));
            }
            other => panic!("expected Locked, got {other:?}"),
        }
    }

    #[test]
    fn a_stale_lock_file_without_a_holder_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "999999\n").unwrap();
        let lock = WriterLock::acquire(dir.path()).unwrap();
        assert_eq!(holder_pid(lock.path()), Some(std::process::id()));
    }
}
