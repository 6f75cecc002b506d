//! What the connector tests share: canned answers, an archived comment to
//! hide or delete (hide and delete take an [`ArchiveReceipt`]), and a
//! manual clock.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use wiremock::ResponseTemplate;

use crate::archive::{Archive, ArchiveReceipt, RecordInput};
use crate::clock::ManualClock;
use crate::domain::{FetchedComment, ModerationAction, PlatformKind};

/// An answer with a JSON body.
pub(crate) fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// Archives the comment for real and returns the receipt hide and delete need.
pub(crate) fn archived(
    comment: &FetchedComment,
    platform: PlatformKind,
) -> (tempfile::TempDir, ArchiveReceipt) {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = Archive::open(dir.path()).expect("archive opens");
    let receipt = archive
        .archive_comment(&RecordInput {
            account_key: "stockholm",
            account_name: "Stockholms stad",
            platform,
            comment,
            fetched_at: Utc::now(),
            findings: &[],
            action: ModerationAction::Delete,
            screenshot: None,
        })
        .expect("archived");
    (dir, receipt)
}

/// A clock standing at `rfc3339`.
pub(crate) fn clock_at(rfc3339: &str) -> Arc<ManualClock> {
    Arc::new(ManualClock::new(at(rfc3339)))
}

/// `rfc3339` as a time.
pub(crate) fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test time")
        .with_timezone(&Utc)
}

/// The error's Display and Debug texts do not contain `secret`.
pub(crate) fn assert_hides(error: &impl std::fmt::Debug, shown: &str, secret: &str) {
    assert!(!shown.contains(secret), "secret leaked into {shown}");
    assert!(
        !format!("{error:?}").contains(secret),
        "secret leaked into Debug"
    );
}
