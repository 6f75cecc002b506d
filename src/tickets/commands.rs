//! `kommentarsvakt tickets list|show|assign|close`: how moderators and the
//! registry office work the built-in ticket table from a terminal.
//!
//! Output is plain Swedish text with times in Europe/Stockholm, so it can be
//! read as it is or pasted into a case. Assigning and closing are audited
//! with the person who did it (`--by`, else the login name).

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;
use clap::Subcommand;

use crate::config::Config;
use crate::store::{Store, StoreError, TicketChange, TicketFilter, TicketRow};

use crate::domain::TicketKind;

/// The `tickets` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum TicketsCommand {
    /// List open tickets (newest first); overdue ones are marked FÖRSENAD.
    List {
        /// Include closed tickets.
        #[arg(long)]
        all: bool,
        /// Only this kind (name such as question_to_answer, or code such as FRA).
        #[arg(long)]
        kind: Option<String>,
        /// Only this account (its configured key).
        #[arg(long)]
        account: Option<String>,
    },
    /// Show one ticket with its links to the comment and evidence record.
    Show {
        /// The ticket reference, e.g. KV-000123-REG.
        reference: String,
    },
    /// Give a ticket to a person.
    Assign {
        /// The ticket reference.
        reference: String,
        /// Who takes it.
        #[arg(long)]
        to: String,
        /// Who assigns it (for the audit log); default: the login name.
        #[arg(long)]
        by: Option<String>,
    },
    /// Close a ticket, optionally saying what was done.
    Close {
        /// The ticket reference.
        reference: String,
        /// What was done, for the audit log and the ticket.
        #[arg(long)]
        note: Option<String>,
        /// Who closes it (for the audit log); default: the login name.
        #[arg(long)]
        by: Option<String>,
    },
}

/// Why a ticket command could not be carried out. The messages are in
/// Swedish: moderators read them.
#[derive(Debug, thiserror::Error)]
pub enum TicketCommandError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `--kind` names no kind.
    #[error("okänd ärendetyp {0:?}; använd någon av {kinds}", kinds = TicketKind::names())]
    UnknownKind(String),
    /// `--account` names no configured account.
    #[error("inget konto har nyckeln {0:?}; se [[accounts]] i konfigurationen")]
    UnknownAccount(String),
    /// No ticket has the reference.
    #[error(
        "inget ärende har referensen {0}; lista ärendena med `kommentarsvakt tickets list --all`"
    )]
    NotFound(String),
    /// The ticket was closed before.
    #[error("ärende {0} är redan stängt; inget ändrades")]
    AlreadyClosed(String),
    /// The person's name is empty.
    #[error("{0} är tomt; ange ett namn")]
    EmptyName(&'static str),
}

/// Runs a ticket command and returns what to print.
pub async fn run(
    store: &Store,
    config: &Config,
    command: TicketsCommand,
    now: DateTime<Utc>,
) -> Result<String, TicketCommandError> {
    match command {
        TicketsCommand::List { all, kind, account } => {
            let filter = list_filter(config, all, kind.as_deref(), account)?;
            Ok(ticket_table(
                &store.find_tickets(&filter).await?,
                config,
                now,
            ))
        }
        TicketsCommand::Show { reference } => {
            let ticket = store
                .ticket(reference.trim())
                .await?
                .ok_or_else(|| TicketCommandError::NotFound(reference.clone()))?;
            Ok(ticket_details(&ticket, config, now))
        }
        TicketsCommand::Assign { reference, to, by } => {
            let to = non_empty(&to, "--to")?;
            let actor = actor(by)?;
            let change = store
                .assign_ticket(reference.trim(), to, &actor, now)
                .await?;
            let ticket = changed(change, &reference)?;
            Ok(format!("Ärende {} är tilldelat {to}.\n", ticket.reference))
        }
        TicketsCommand::Close {
            reference,
            note,
            by,
        } => {
            let actor = actor(by)?;
            let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            let change = store
                .close_ticket(reference.trim(), &actor, note, now)
                .await?;
            let ticket = changed(change, &reference)?;
            Ok(format!(
                "Ärende {} är stängt av {actor} {}.\n",
                ticket.reference,
                local_time(now)
            ))
        }
    }
}

fn list_filter(
    config: &Config,
    all: bool,
    kind: Option<&str>,
    account: Option<String>,
) -> Result<TicketFilter, TicketCommandError> {
    let kind = kind
        .map(|k| TicketKind::parse(k).ok_or_else(|| TicketCommandError::UnknownKind(k.into())))
        .transpose()?;
    if let Some(key) = &account
        && !config.accounts.iter().any(|a| &a.key == key)
    {
        return Err(TicketCommandError::UnknownAccount(key.clone()));
    }
    Ok(TicketFilter {
        include_done: all,
        kind,
        account_key: account,
    })
}

fn changed(change: TicketChange, reference: &str) -> Result<TicketRow, TicketCommandError> {
    match change {
        TicketChange::Changed(ticket) => Ok(ticket),
        TicketChange::NotFound => Err(TicketCommandError::NotFound(reference.to_string())),
        TicketChange::AlreadyClosed(t) => Err(TicketCommandError::AlreadyClosed(t.reference)),
    }
}

fn non_empty<'a>(value: &'a str, what: &'static str) -> Result<&'a str, TicketCommandError> {
    let value = value.trim();
    if value.is_empty() {
        Err(TicketCommandError::EmptyName(what))
    } else {
        Ok(value)
    }
}

/// The person for the audit log: `--by`, else the (sudo) login name.
fn actor(by: Option<String>) -> Result<String, TicketCommandError> {
    match by {
        Some(name) => non_empty(&name, "--by").map(str::to_string),
        None => Ok(["SUDO_USER", "USER", "LOGNAME"]
            .into_iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "okänd operatör".to_string())),
    }
}

/// One line per ticket under a header; overdue tickets marked FÖRSENAD.
pub fn ticket_table(tickets: &[TicketRow], config: &Config, now: DateTime<Utc>) -> String {
    if tickets.is_empty() {
        return "Inga ärenden.\n".to_string();
    }
    let rows: Vec<[String; 6]> = tickets
        .iter()
        .map(|t| {
            [
                t.reference.clone(),
                t.kind.swedish_name().to_string(),
                state_sv(t, now),
                account_name(config, &t.account_key),
                t.due_at.map(local_time).unwrap_or_else(|| "–".to_string()),
                t.assigned_to.clone().unwrap_or_else(|| "–".to_string()),
            ]
        })
        .collect();
    let header = ["Ärende", "Typ", "Status", "Konto", "Senast", "Ansvarig"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&format!("{} ärende(n).\n", tickets.len()));
    out
}

/// Every fact about one ticket, one per line.
pub fn ticket_details(t: &TicketRow, config: &Config, now: DateTime<Utc>) -> String {
    let dash = || "–".to_string();
    let facts = [
        ("Ärende", t.reference.clone()),
        ("Typ", t.kind.swedish_name().to_string()),
        ("Status", state_sv(t, now)),
        ("Konto", account_name(config, &t.account_key)),
        ("Sammanfattning", t.summary.clone()),
        ("Öppnat", local_time(t.created_at)),
        ("Senast", t.due_at.map(local_time).unwrap_or_else(dash)),
        ("Ansvarig", t.assigned_to.clone().unwrap_or_else(dash)),
        (
            "Kommentar-id",
            t.platform_comment_id.clone().unwrap_or_else(dash),
        ),
        ("Länk", t.permalink.clone().unwrap_or_else(dash)),
        ("Bevispost", t.record_path.clone().unwrap_or_else(dash)),
        (
            "Kontrollsumma",
            t.record_sha256.clone().unwrap_or_else(dash),
        ),
        ("Stängt", t.closed_at.map(local_time).unwrap_or_else(dash)),
        ("Stängt av", t.closed_by.clone().unwrap_or_else(dash)),
        ("Anteckning", t.close_note.clone().unwrap_or_else(dash)),
        (
            "Besvarad med",
            t.answered_by_comment.clone().unwrap_or_else(dash),
        ),
    ];
    let width = facts
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    facts
        .iter()
        .map(|(label, value)| format!("{:<width$} {value}\n", format!("{label}:")))
        .collect()
}

fn state_sv(t: &TicketRow, now: DateTime<Utc>) -> String {
    let state = match t.state.as_str() {
        "open" => "öppet",
        "assigned" => "tilldelat",
        "done" => "stängt",
        other => other,
    };
    if t.is_overdue(now) {
        format!("{state}, FÖRSENAD")
    } else {
        state.to_string()
    }
}

fn account_name(config: &Config, key: &str) -> String {
    config
        .accounts
        .iter()
        .find(|a| a.key == key)
        .map(|a| format!("{} ({key})", a.name))
        .unwrap_or_else(|| key.to_string())
}

/// A time as people in Stockholm read it.
fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
