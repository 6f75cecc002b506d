//! What the benches share: the service's configuration around the
//! simulated accounts (a SQLite file, the built-in evidence renderer, mail
//! to a folder, one department), written into the bench's folder, and a
//! run of the release binary as a child whose peak memory is read.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The configuration before its `[[accounts]]`, with `polling_extra`
/// (lines of the `[polling]` section beyond concurrency and look-back);
/// also writes the token file the accounts read.
pub fn config_head(dir: &Path, concurrency: usize, polling_extra: &str) -> String {
    let d = dir.display();
    std::fs::write(dir.join("token"), "bench-token\n").expect("token file");
    format!(
        r#"[database]
url = "sqlite://{d}/kv.db"
[archive]
dir = "{d}/archive"
screenshots = "builtin"
[polling]
concurrency = {concurrency}
post_lookback = "30d"
{polling_extra}
[mail]
from = "kommentarsvakt@bench.stockholm.se"
operations_address = "drift@bench.stockholm.se"
transport = "folder"
folder = "{d}/mail"
[[departments]]
key = "slk"
name = "Stadsledningskontoret"
central_address = "slk@bench.stockholm.se"
"#
    )
}

/// What one child run cost.
pub struct RunCost {
    /// The service's own peak: the child's `VmHWM`, read every
    /// [`SAMPLE_EVERY`] while it runs (the high-water mark only grows, so
    /// the last reading misses at most the growth of its final interval).
    pub hwm_kib: i64,
    /// `wait4`'s `ru_maxrss`: Linux carries the spawning process's resident
    /// size across `exec` into it, so it is at least this bench's own size
    /// when the child started, an upper bound.
    pub maxrss_kib: i64,
    pub seconds: f64,
    pub exit: i32,
}

/// How often the child's `VmHWM` is read.
const SAMPLE_EVERY: std::time::Duration = std::time::Duration::from_millis(20);

impl RunCost {
    /// The service's own peak resident set size.
    pub fn peak_mib(&self) -> f64 {
        self.hwm_kib as f64 / 1024.0
    }

    pub fn print(&self, what: &str) {
        println!(
            "{what}: peak RSS {:.1} MiB (VmHWM; wait4 ru_maxrss {:.1} MiB counts this bench \
             process too), {:.1} s, exit status {}",
            self.peak_mib(),
            self.maxrss_kib as f64 / 1024.0,
            self.seconds,
            self.exit
        );
    }
}

/// The `VmHWM` of a running process in KiB; `None` once it has exited.
fn high_water_kib(pid: u32) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `kommentarsvakt poll-once` as a child, reads its `VmHWM` while it
/// runs, and reaps it with `wait4`.
pub fn poll_once(config: &Path) -> RunCost {
    let started = Instant::now();
    let child = child_command()
        .arg("poll-once")
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("kommentarsvakt starts");
    let sampler = {
        let pid = child.id();
        std::thread::spawn(move || {
            let mut highest = 0;
            while let Some(kib) = high_water_kib(pid) {
                highest = highest.max(kib);
                std::thread::sleep(SAMPLE_EVERY);
            }
            highest
        })
    };
    let pid = i32::try_from(child.id()).expect("pid fits");
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unreaped child; both pointers are valid for
    // the call. `child` is not waited on afterwards.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 reaps the run");
    std::mem::forget(child);
    RunCost {
        hwm_kib: sampler.join().expect("the sampler ends with the child"),
        maxrss_kib: usage.ru_maxrss,
        seconds: started.elapsed().as_secs_f64(),
        exit: libc::WEXITSTATUS(status),
    }
}

/// The service binary, or, when `KOMMENTARSVAKT_BENCH_PROFILER` names a
/// profiler command (`heaptrack`, `valgrind --tool=massif`), the binary
/// under it: the figures are then the profiler's, its output says where
/// the memory goes.
fn child_command() -> Command {
    let binary = env!("CARGO_BIN_EXE_kommentarsvakt");
    match std::env::var("KOMMENTARSVAKT_BENCH_PROFILER") {
        Ok(profiler) if !profiler.trim().is_empty() => {
            let mut words = profiler.split_whitespace();
            let mut command = Command::new(words.next().expect("a profiler command"));
            command.args(words).arg(binary);
            command
        }
        _ => Command::new(binary),
    }
}
