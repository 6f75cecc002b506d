//! Record paths from the database that the archive refuses (a row naming
//! `/etc/…` or `../…`, see [`crate::archive::checked_record_path`]): each is
//! logged, audited and told to operations in one Swedish e-mail through
//! the outbox, keyed by the row and the path so that a row refused run
//! after run is told once. A refusal is either a fault or someone who could
//! write the database steering the service at a file outside the archive;
//! either way a person must look, and a dead letter or a failed action
//! alone would not say so.

use serde_json::json;
use tracing::error;

use crate::alerts::compose;
use crate::alerts::templates::RefusedPathNotice;
use crate::archive::retention::RefusedCullPath;
use crate::archive::{ArchiveError, checked_record_path};
use crate::store::{AuditEvent, StoreError};

use super::{Pipeline, email_item};

/// A refused record path and the row that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedPath {
    /// The row, as operations look it up: `comments.id = 12`.
    pub row: String,
    /// What the service was doing (Swedish, for the e-mail).
    pub during: &'static str,
    /// The path as the row gives it.
    pub path: String,
    /// Why the archive refused it.
    pub why: String,
}

impl RefusedPath {
    /// The refusal of `path` from `row`, or `None` when the archive accepts
    /// the path (a missing or altered record is another problem).
    pub fn check(row: String, during: &'static str, path: &str) -> Option<Self> {
        match checked_record_path(path) {
            Ok(_) => None,
            Err(ArchiveError::UnsafePath { why, .. }) => Some(Self {
                row,
                during,
                path: path.to_string(),
                why: why.to_string(),
            }),
            Err(other) => Some(Self {
                row,
                during,
                path: path.to_string(),
                why: other.to_string(),
            }),
        }
    }

    /// A refusal the culling found.
    pub fn from_culling(refused: &RefusedCullPath) -> Self {
        Self {
            row: format!("comments.id = {}", refused.comment_row),
            during: "gallringen (ingenting gallrades: gallringen väntar tills raden är rättad)",
            path: refused.record_path.clone(),
            why: refused.why.clone(),
        }
    }
}

impl Pipeline {
    /// Logs, audits and queues the operations e-mail about `refused`;
    /// answers whether the e-mail was queued now (false: this row and path
    /// were told before).
    pub async fn report_refused_path(&self, refused: &RefusedPath) -> Result<bool, StoreError> {
        let now = self.clock.now();
        error!(
            row = %refused.row,
            path = %refused.path,
            why = %refused.why,
            "A record path from the database was refused; operations are told"
        );
        let key = format!("system:refused-path:{}:{}", refused.row, refused.path);
        let notice = RefusedPathNotice {
            row: refused.row.clone(),
            during: refused.during.to_string(),
            path: refused.path.clone(),
            why: refused.why.clone(),
            refused_at: now,
        };
        let mail = compose::refused_record_path(&self.config, &notice, key.clone());
        let queued = self.store.enqueue(&email_item(key, &mail), now).await?;
        if queued {
            let audit = AuditEvent::service(
                "archive.record_path_refused",
                None,
                json!({"row": refused.row, "path": refused.path, "why": refused.why}),
            );
            self.store.audit(&audit, now).await?;
        }
        Ok(queued)
    }
}
