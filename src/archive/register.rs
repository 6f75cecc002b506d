//! The register of removed content for the registry office (registrator):
//! one CSV row per comment the service hid or deleted (or would have, in
//! dry-run), with what the registry office needs to register it — date,
//! account, comment id, categories, legal basis, the evidence record's hash
//! and the ticket reference. Never the comment text: it may carry the very
//! personal data that was removed.

use std::io::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::ModerationAction;
use crate::store::{ActionState, RemovedContent, Store, StoreError};

/// The column headings, in Swedish for the registry office.
pub const HEADER: [&str; 9] = [
    "Datum",
    "Konto",
    "Kommentar-id",
    "Kategorier",
    "Rättslig grund",
    "Bevis (SHA-256)",
    "Ärendereferens",
    "Åtgärd",
    "Status",
];

/// Why the register could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The CSV could not be written (full disk, closed pipe).
    #[error("cannot write the register: {0}")]
    Csv(#[from] csv::Error),
}

/// Writes the register of content removed in `[from, to)` as CSV; returns
/// the number of rows. Dates are local dates in `timezone`.
pub async fn write_register<W: Write>(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    timezone: Tz,
    out: W,
) -> Result<usize, RegisterError> {
    let rows = store.removed_content(from, to).await?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for row in &rows {
        writer.write_record(register_row(row, timezone))?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(rows.len())
}

/// One register row.
fn register_row(row: &RemovedContent, timezone: Tz) -> [String; 9] {
    let categories: Vec<&str> = row.categories.iter().map(|c| c.as_str()).collect();
    [
        row.at
            .with_timezone(&timezone)
            .format("%Y-%m-%d")
            .to_string(),
        row.account_key.clone(),
        row.platform_comment_id.clone(),
        categories.join("; "),
        row.legal_bases.join("; "),
        row.record_sha256.clone().unwrap_or_default(),
        row.ticket_references.join("; "),
        match row.action {
            ModerationAction::Delete => "borttagen",
            _ => "dold",
        }
        .to_string(),
        match row.state {
            ActionState::DryRun => "testläge (ej utförd)",
            _ => "utförd",
        }
        .to_string(),
    ]
}
