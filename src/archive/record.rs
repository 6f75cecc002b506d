//! The evidence record: the raw platform JSON exactly as received, the
//! normalised comment, and the verdict with rules and legal basis.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use sha2::{Digest, Sha256};

use super::screenshot::Screenshot;
use crate::domain::{FetchedComment, Finding, ModerationAction, PlatformKind};

/// The format name written into every record, so future readers know how
/// to interpret it.
pub const RECORD_FORMAT: &str = "kommentarsvakt-evidence/1";

/// What the pipeline hands the archive for one comment version.
#[derive(Debug, Clone, Copy)]
pub struct RecordInput<'a> {
    /// The account's configured key.
    pub account_key: &'a str,
    /// The account's display name.
    pub account_name: &'a str,
    /// The platform.
    pub platform: PlatformKind,
    /// The comment version as fetched, with its raw JSON.
    pub comment: &'a FetchedComment,
    /// When the service fetched it.
    pub fetched_at: DateTime<Utc>,
    /// What the classifier found.
    pub findings: &'a [Finding],
    /// What the policy decided.
    pub action: ModerationAction,
    /// The screenshot of the comment as readers saw it, when one was made.
    pub screenshot: Option<&'a Screenshot>,
}

/// One evidence record as stored on disk (JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceRecord {
    /// Always [`RECORD_FORMAT`].
    pub format: String,
    /// Position in the hash chain (1 for the first record).
    pub seq: u64,
    /// SHA-256 of the previous record file (the chain link).
    pub prev: String,
    /// When the record was written.
    pub archived_at: DateTime<Utc>,
    /// The account the comment was written on.
    pub account: AccountPart,
    /// The comment, normalised.
    pub comment: CommentPart,
    /// The platform's JSON for the comment, byte for byte as received.
    pub raw: Box<RawValue>,
    /// The service's verdict.
    pub verdict: VerdictPart,
    /// The screenshot stored beside the record, named by the record's hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<ScreenshotPart>,
}

/// What the record says about its screenshot: the image's own hash makes
/// it part of the hash-chained evidence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScreenshotPart {
    /// SHA-256 of the PNG file.
    pub sha256: String,
    /// Which renderer drew it (`chromium` or `fallback`).
    pub renderer: String,
}

/// Which account a record belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountPart {
    /// The configured key.
    pub key: String,
    /// The display name.
    pub name: String,
    /// The platform.
    pub platform: PlatformKind,
}

/// The normalised comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommentPart {
    /// The platform's id.
    pub comment_id: String,
    /// The post it was written under.
    pub post_id: String,
    /// The comment it replies to.
    pub parent_id: Option<String>,
    /// The author's platform id.
    pub author_id: Option<String>,
    /// The author's display name.
    pub author_name: Option<String>,
    /// The text.
    pub text: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When the service fetched it.
    pub fetched_at: DateTime<Utc>,
    /// Public link.
    pub permalink: Option<String>,
    /// SHA-256 of the text: identifies this version.
    pub content_hash: String,
}

/// The verdict part of a record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerdictPart {
    /// What the policy decided.
    pub action: ModerationAction,
    /// Every finding, with rule, legal basis and reason.
    pub findings: Vec<Finding>,
}

impl EvidenceRecord {
    /// Builds the record that will be chained after `prev`.
    pub fn new(input: &RecordInput<'_>, seq: u64, prev: &str) -> Self {
        let c = input.comment;
        Self {
            format: RECORD_FORMAT.to_string(),
            seq,
            prev: prev.to_string(),
            archived_at: Utc::now(),
            account: AccountPart {
                key: input.account_key.to_string(),
                name: input.account_name.to_string(),
                platform: input.platform,
            },
            comment: CommentPart {
                comment_id: c.platform_id.clone(),
                post_id: c.post_id.clone(),
                parent_id: c.parent_id.clone(),
                author_id: c.author_id.clone(),
                author_name: c.author_name.clone(),
                text: c.text.clone(),
                created_at: c.created_at,
                fetched_at: input.fetched_at,
                permalink: c.permalink.clone(),
                content_hash: c.content_hash(),
            },
            raw: c.raw.clone(),
            verdict: VerdictPart {
                action: input.action,
                findings: input.findings.to_vec(),
            },
            screenshot: input.screenshot.map(|s| ScreenshotPart {
                sha256: hex::encode(Sha256::digest(&s.png)),
                renderer: s.renderer.to_string(),
            }),
        }
    }

    /// The record's bytes as written to disk (pretty JSON, trailing newline).
    pub fn to_bytes(&self) -> serde_json::Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// `records/<account>/<YYYY>/<MM>/<DD>`, by the comment's creation date.
    pub fn relative_dir(&self) -> PathBuf {
        let date = self.comment.created_at.format("%Y/%m/%d").to_string();
        PathBuf::from("records")
            .join(sanitize(&self.account.key))
            .join(date)
    }
}

/// Keeps an account key safe as a single path component.
fn sanitize(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
