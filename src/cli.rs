//! The command line: `run`, `poll-once`, `check-config`, `simulate`, `demo`,
//! `archive verify|cull|hold|release|export|register`, `comments restore`,
//! `classify`, `eval`, `tickets …`, `report`, `checks`.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where the service looks for its config when none is given.
pub const DEFAULT_CONFIG: &str = "/etc/kommentarsvakt/kommentarsvakt.toml";

/// kommentarsvakt — watches and moderates the comments on a city's
/// social-media accounts, as its social-media policy requires.
#[derive(Debug, Parser)]
#[command(name = "kommentarsvakt", version, about)]
pub struct Cli {
    /// Log format: the systemd journal with each event's priority when run
    /// by systemd, text otherwise (`auto`); or always text, JSON lines (for
    /// ELK) or the journal.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// The journal when stderr is systemd's journal stream
    /// (`JOURNAL_STREAM`), text otherwise.
    Auto,
    /// One human-readable line per event.
    Text,
    /// One JSON object per line.
    Json,
    /// The systemd journal, each event with its priority; text on stderr
    /// when the journal's socket cannot be reached.
    Journald,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the service: monitor in every office-hours slot (or at the crisis
    /// interval) until SIGTERM.
    Run {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Run one monitoring cycle now and exit.
    PollOnce {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Validate a config file (and the account files in `conf.d/` next to
    /// it) and report every problem (exit code 2 if invalid).
    CheckConfig {
        /// The config file.
        file: PathBuf,
        /// Read no secret (token variables, token files, credentials):
        /// check everything else and list the secrets a real run reads.
        #[arg(long)]
        no_secrets: bool,
    },
    /// Run the Graph API simulator on loopback until interrupted.
    Simulate {
        /// Address to listen on (loopback; port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8089")]
        listen: SocketAddr,
        /// Number of simulated pages.
        #[arg(long, default_value_t = 3)]
        pages: usize,
        /// Seed of the comment stream (same seed, same comments).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Append every received call as a JSON line to this file.
        #[arg(long)]
        call_log: Option<PathBuf>,
    },
    /// Run a demonstration on the built-in simulator, keeping data in a folder.
    Demo {
        /// Where the demo keeps its database, archive and mail.
        #[arg(long, default_value = "demo-data")]
        data: PathBuf,
        /// How many monitoring slots to run on simulated time.
        #[arg(long, default_value_t = 6)]
        cycles: usize,
        /// After the runs, keep serving the moderators' console (and the
        /// simulator behind it) until Ctrl-C.
        #[arg(long)]
        serve: bool,
        /// Where the console listens with --serve (default: the demo
        /// config's web.listen, 127.0.0.1:8080).
        #[arg(long, requires = "serve")]
        listen: Option<std::net::SocketAddr>,
        /// The language of what the demo prints: `sv` (Swedish) or `en`.
        #[arg(long, default_value = "sv", value_parser = ["sv", "en"])]
        lang: String,
    },
    /// Evidence archive commands.
    Archive {
        /// What to do with the archive.
        #[command(subcommand)]
        command: ArchiveCommand,
    },
    /// Commands on single comments.
    Comments {
        /// What to do with a comment.
        #[command(subcommand)]
        command: CommentsCommand,
    },
    /// Classify a text, or JSON lines `{"id", "text"}` on standard input,
    /// and print the action and findings as JSON.
    Classify {
        /// The text (not with --jsonl).
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        text: Option<String>,
        /// Read `{"id": …, "text": …}` per line from standard input and write
        /// one JSON line per input line; bad lines get an error line.
        #[arg(long)]
        jsonl: bool,
        /// Take the action policy and the word lists (`[classify]
        /// wordlists_dir`) from this config file instead of the defaults
        /// (obvious → hide, other flagged → review; the built-in lists).
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// With --jsonl: print, per input line, the features the trained
        /// model sees (tab-separated, as in `sv/model/attack.tsv`) instead
        /// of a verdict; `tools/train-model` trains on them, so training
        /// and scoring compute features the same way.
        #[arg(long, requires = "jsonl", hide = true)]
        features: bool,
        /// Classify with the rules alone, without the trained models (as
        /// `[classify] model = false`); `tools/train-model` chooses the
        /// confirming model's threshold against the rules' own findings.
        #[arg(long, conflicts_with = "config", hide = true)]
        rules_only: bool,
    },
    /// Measure the classifier on the test corpus and the labelled cases.
    Eval {
        /// The corpus directory (default: $KOMMENTARSVAKT_CORPUS, else
        /// tests/data/corpus under the working directory, the copy in the
        /// source repository).
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// The directory of labelled `*.jsonl` cases.
        #[arg(long, default_value = "tests/data/labelled")]
        labelled: PathBuf,
    },
    /// Case tickets: list, show, assign, close.
    Tickets {
        /// The config file (its database holds the tickets).
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// What to do with the tickets.
        #[command(subcommand)]
        command: crate::tickets::commands::TicketsCommand,
    },
    /// The February/September report of the accounts (register, activity
    /// and proof of oversight) for a period, in Swedish, as HTML with
    /// charts, as CSV or as PDF.
    Report {
        /// The config file (its accounts and database are reported).
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// The first day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: NaiveDate,
        /// The last day of the period, included (YYYY-MM-DD).
        #[arg(long)]
        to: NaiveDate,
        /// Only this department's accounts (its key in the config).
        #[arg(long)]
        department: Option<String>,
        /// `html` (a page with charts), `csv` (one row per account) or
        /// `pdf` (the page printed to A4; needs Chromium).
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// The accounts' life: closing one.
    Accounts {
        /// The config file (its accounts and database).
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// What to do.
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// The daily checks of the accounts against the social-media policy
    /// (publishing rhythm, responsible person, expiring access, a working
    /// day without monitoring): lists the findings and e-mails each new
    /// one to the account's responsible person and department, once.
    Checks {
        /// The config file (its accounts and database are checked).
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// Only list the findings; record and send nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `kommentarsvakt accounts` subcommands.
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Marks the account closing: its responsible person gets a reminder
    /// with a draft of the closing post; it is monitored until the end of
    /// the closing day, then its archive package is exported and it is no
    /// longer polled.
    Close {
        /// The account's key in the config.
        key: String,
        /// The last day it is monitored (YYYY-MM-DD); default today.
        #[arg(long)]
        date: Option<NaiveDate>,
    },
}

/// The forms `kommentarsvakt report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page with SVG charts.
    Html,
    /// One CSV row per account (`;`-separated, decimal comma).
    Csv,
    /// The HTML page printed to A4 by headless Chromium.
    Pdf,
}

/// Archive subcommands.
#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Re-hash every record and the chain; name each altered, missing or
    /// inserted record (exit code 1 if anything is wrong).
    Verify {
        /// The config file (its archive directory is verified).
        #[arg(long, short, default_value = DEFAULT_CONFIG, conflicts_with = "dir")]
        config: PathBuf,
        /// Verify this archive directory instead.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Also hold the chain to this anchor, `HASH:COUNT` as the daily
        /// digest to the registry gives it (repeatable): a chain rebuilt
        /// after that e-mail fails, even when the database was changed too.
        #[arg(long = "anchor", value_name = "HASH:COUNT")]
        anchors: Vec<crate::archive::AnchorCheck>,
    },
    /// Cull (gallra) the records whose retention period has run out, and
    /// write a culling protocol; with --dry-run only list what would go.
    Cull {
        /// The config file (retention rules, database, archive).
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// List what would be culled, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Who culls (recorded in the protocol). Default: $USER.
        #[arg(long)]
        by: Option<String>,
    },
    /// Place a legal hold on an account or a comment: it is never culled
    /// until the hold is released.
    Hold {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// What the hold covers.
        #[command(flatten)]
        target: HoldTarget,
        /// Why (case number, decision).
        #[arg(long)]
        reason: String,
        /// Who places it. Default: $USER.
        #[arg(long)]
        by: Option<String>,
    },
    /// Release the legal holds on an account or a comment.
    Release {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// What the hold covers.
        #[command(flatten)]
        target: HoldTarget,
        /// Why the hold is no longer needed.
        #[arg(long)]
        reason: String,
        /// Who releases it. Default: $USER.
        #[arg(long)]
        by: Option<String>,
    },
    /// Export one account's records over a period as a package for the
    /// city archive (E-ARK CSIP / FGS Paketstruktur: METS.xml, metadata,
    /// representations/rep1/data, SHA-256 manifest).
    Export {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// The account key.
        #[arg(long)]
        account: String,
        /// First day, YYYY-MM-DD (the comment's creation date, UTC).
        #[arg(long)]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD, inclusive.
        #[arg(long)]
        to: NaiveDate,
        /// A new or empty directory for the package.
        out: PathBuf,
    },
    /// Write the register of removed content (hidden or deleted, or so
    /// recorded in dry-run) for the registry office, as CSV.
    Register {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// First day, YYYY-MM-DD (local date of the removal).
        #[arg(long)]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD, inclusive.
        #[arg(long)]
        to: NaiveDate,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// What a legal hold covers: one account or one comment.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct HoldTarget {
    /// Every comment on this account (its key).
    #[arg(long)]
    pub account: Option<String>,
    /// Every version of this comment (its platform id).
    #[arg(long)]
    pub comment: Option<String>,
}

/// Comment subcommands.
#[derive(Debug, Subcommand)]
pub enum CommentsCommand {
    /// Make a comment the service hid visible again (a moderator overrules
    /// the service); recorded and audited with the reason.
    Restore {
        /// The config file.
        #[arg(long, short, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// The platform's comment id.
        comment_id: String,
        /// Why the comment is restored.
        #[arg(long)]
        reason: String,
        /// Who decided it. Default: $USER.
        #[arg(long)]
        by: Option<String>,
    },
}
