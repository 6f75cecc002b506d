//! Logging to the systemd journal with each event's priority, so that
//! `journalctl -u kommentarsvakt -p warning` shows the warnings and errors
//! an operator must see, and nothing else.
//!
//! Under systemd, stderr is a stream into the journal and systemd says so in
//! `JOURNAL_STREAM` (the device and inode of that stream). Lines written
//! there all get the unit's default priority (info), however grave, so the
//! service writes to the journal's own datagram socket instead, in the
//! journal's native protocol: one datagram per event, one `KEY=value` field
//! per line, values with a newline length-prefixed. Events too large for
//! one datagram go to stderr as text (still into the journal, at the default
//! priority), never lost.
//!
//! On a terminal, or with stderr redirected elsewhere (`JOURNAL_STREAM`
//! inherited from a shell that systemd started names another stream), the
//! service logs plain text as before.

use std::fmt::{self, Write as _};
use std::io::{self, Write as _};
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Where journald listens for native-protocol datagrams.
pub const JOURNAL_SOCKET: &str = "/run/systemd/journal/socket";

/// Overrides [`JOURNAL_SOCKET`], for a container whose journal socket is
/// mounted elsewhere, and for the tests, which listen in place of journald.
pub const JOURNAL_SOCKET_ENV: &str = "KOMMENTARSVAKT_JOURNAL_SOCKET";

/// The identifier journal entries carry (`journalctl -t kommentarsvakt`).
const SYSLOG_IDENTIFIER: &str = "kommentarsvakt";

/// Field names journald or this layer fills in; an event field of the same
/// name is sent with an `F_` prefix instead of overwriting them.
const RESERVED: [&str; 6] = [
    "MESSAGE",
    "PRIORITY",
    "SYSLOG_IDENTIFIER",
    "TARGET",
    "CODE_FILE",
    "CODE_LINE",
];

/// Whether stderr is the journal stream systemd connected it to: the
/// `dev:inode` in `JOURNAL_STREAM` names stderr itself, as systemd's own
/// `sd_journal_stream_fd` users check.
pub fn stderr_is_journal() -> bool {
    let Some(value) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    let Some((dev, ino)) = value.to_str().and_then(|v| v.split_once(':')) else {
        return false;
    };
    let (Ok(dev), Ok(ino)) = (dev.parse::<u64>(), ino.parse::<u64>()) else {
        return false;
    };
    stderr_identity().is_ok_and(|(d, i)| d == dev && i == ino)
}

/// Device and inode of this process's stderr.
fn stderr_identity() -> io::Result<(u64, u64)> {
    use std::os::fd::AsFd;
    let fd = io::stderr().as_fd().try_clone_to_owned()?;
    let metadata = std::fs::File::from(fd).metadata()?;
    Ok((metadata.dev(), metadata.ino()))
}

/// The journal socket to log to: [`JOURNAL_SOCKET_ENV`] or the standard one.
pub fn socket_path() -> PathBuf {
    std::env::var_os(JOURNAL_SOCKET_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(JOURNAL_SOCKET))
}

/// A `tracing` layer that sends each event to journald with its priority.
pub struct JournaldLayer {
    socket: UnixDatagram,
}

impl JournaldLayer {
    /// Connects to the journal socket at `path`; fails when nothing listens
    /// there (no journald), so the caller can log to stderr instead.
    pub fn connect(path: &Path) -> io::Result<Self> {
        let socket = UnixDatagram::unbound()?;
        socket.connect(path)?;
        Ok(Self { socket })
    }

    /// Sends one entry; one too large for a datagram goes to stderr.
    fn send(&self, entry: &[u8], text: &str) {
        if self.socket.send(entry).is_err() {
            let _ = writeln!(io::stderr().lock(), "{text}");
        }
    }
}

/// The syslog priority journald files an event under: `journalctl -p
/// warning` shows 4 and below.
pub fn priority(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

impl<S: Subscriber> Layer<S> for JournaldLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = EventFields::default();
        event.record(&mut fields);
        let metadata = event.metadata();
        let text = fields.text();
        let mut entry = Vec::with_capacity(256 + text.len());
        put_field(&mut entry, "MESSAGE", &text);
        put_field(
            &mut entry,
            "PRIORITY",
            &priority(metadata.level()).to_string(),
        );
        put_field(&mut entry, "SYSLOG_IDENTIFIER", SYSLOG_IDENTIFIER);
        put_field(&mut entry, "TARGET", metadata.target());
        if let Some(file) = metadata.file() {
            put_field(&mut entry, "CODE_FILE", file);
        }
        if let Some(line) = metadata.line() {
            put_field(&mut entry, "CODE_LINE", &line.to_string());
        }
        for (name, value) in &fields.values {
            put_field(&mut entry, &journal_name(name), value);
        }
        self.send(
            &entry,
            &format!("{} {}: {text}", metadata.level(), metadata.target()),
        );
    }
}

/// An event's message and its other fields, as text.
#[derive(Default)]
struct EventFields {
    message: String,
    values: Vec<(&'static str, String)>,
}

impl EventFields {
    /// The message followed by `name=value` for each other field, as the
    /// text format shows them: what `journalctl` prints by default.
    fn text(&self) -> String {
        let mut text = self.message.clone();
        for (name, value) in &self.values {
            let _ = write!(text, " {name}={value}");
        }
        text
    }
}

impl Visit for EventFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.values.push((field.name(), value.to_string()));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            self.values.push((field.name(), format!("{value:?}")));
        }
    }
}

/// A field name as journald accepts it: upper case, letters, digits and
/// underscores, not starting with an underscore or digit (those are
/// journald's trusted fields), at most 64 bytes; names of fields this layer
/// fills in get an `F_` prefix.
fn journal_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let leading = out
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(out.len());
    out.drain(..leading);
    if out.is_empty() || RESERVED.contains(&out.as_str()) {
        out.insert_str(0, "F_");
    }
    out.truncate(64);
    out
}

/// Appends one field in the native protocol: `KEY=value\n`, or for a value
/// with a newline `KEY\n`, its length as 64-bit little-endian, the value
/// and `\n`.
fn put_field(entry: &mut Vec<u8>, name: &str, value: &str) {
    entry.extend_from_slice(name.as_bytes());
    if value.contains('\n') {
        entry.push(b'\n');
        entry.extend_from_slice(&(value.len() as u64).to_le_bytes());
    } else {
        entry.push(b'=');
    }
    entry.extend_from_slice(value.as_bytes());
    entry.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a native-protocol entry back into its fields.
    fn parse(mut entry: &[u8]) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        while !entry.is_empty() {
            let end = entry.iter().position(|b| *b == b'\n').unwrap();
            let line = &entry[..end];
            if let Some(eq) = line.iter().position(|b| *b == b'=') {
                fields.push((
                    String::from_utf8(line[..eq].to_vec()).unwrap(),
                    String::from_utf8(line[eq + 1..].to_vec()).unwrap(),
                ));
                entry = &entry[end + 1..];
            } else {
                let name = String::from_utf8(line.to_vec()).unwrap();
                let rest = &entry[end + 1..];
                let len = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
                let value = String::from_utf8(rest[8..8 + len].to_vec()).unwrap();
                assert_eq!(rest[8 + len], b'\n');
                fields.push((name, value));
                entry = &rest[9 + len..];
            }
        }
        fields
    }

    #[test]
    fn a_value_with_a_newline_is_length_prefixed_and_others_are_plain() {
        let mut entry = Vec::new();
        put_field(&mut entry, "MESSAGE", "first line\nsecond line");
        put_field(&mut entry, "PRIORITY", "4");
        assert_eq!(&entry[..8], b"MESSAGE\n");
        assert_eq!(&entry[8..16], &22u64.to_le_bytes());
        assert_eq!(
            parse(&entry),
            [
                ("MESSAGE".into(), "first line\nsecond line".into()),
                ("PRIORITY".into(), "4".into())
            ]
        );
    }

    #[test]
    fn field_names_are_made_acceptable_to_journald() {
        assert_eq!(journal_name("error"), "ERROR");
        assert_eq!(journal_name("record_ref"), "RECORD_REF");
        assert_eq!(journal_name("account.key"), "ACCOUNT_KEY");
        assert_eq!(journal_name("_secret"), "SECRET");
        assert_eq!(journal_name("1st"), "ST");
        assert_eq!(journal_name("priority"), "F_PRIORITY");
        assert_eq!(journal_name("___"), "F_");
        assert_eq!(journal_name(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn warnings_and_errors_are_at_or_below_journalctl_p_warning() {
        assert_eq!(priority(&Level::ERROR), 3);
        assert_eq!(priority(&Level::WARN), 4);
        assert!(priority(&Level::INFO) > 4);
        assert!(priority(&Level::DEBUG) > 4);
    }
}
