//! The records that flow through the pipeline: what a platform connector
//! returns, what the store keeps and what the archive documents. Every
//! stage (store, classify, archive, actions) speaks about the same comment.

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

/// A post (status update, video, media item) on an account, under which
/// comments arrive. Kept so that evidence can show what a comment answered.
#[derive(Debug, Clone)]
pub struct FetchedPost {
    /// The platform's id of the post.
    pub platform_id: String,
    /// The post's text, if it has any.
    pub text: Option<String>,
    /// When the post was published.
    pub created_at: DateTime<Utc>,
    /// Public link to the post, when the platform gives one.
    pub permalink: Option<String>,
    /// The post object exactly as the platform sent it.
    pub raw: Box<RawValue>,
}

/// One comment exactly as fetched. Every field that a lawyer may later ask
/// about is kept, together with the raw JSON bytes as received.
#[derive(Debug, Clone)]
pub struct FetchedComment {
    /// The platform's id of the comment (needed to hide or delete it).
    pub platform_id: String,
    /// The post the comment belongs to.
    pub post_id: String,
    /// The comment this one replies to, if it is a reply.
    pub parent_id: Option<String>,
    /// The platform's id of the author, when the platform discloses it.
    pub author_id: Option<String>,
    /// The author's display name, when the platform discloses it.
    pub author_name: Option<String>,
    /// The comment text.
    pub text: String,
    /// When the comment was written.
    pub created_at: DateTime<Utc>,
    /// Public link to the comment, when the platform gives one.
    pub permalink: Option<String>,
    /// Whether the comment was already hidden when fetched.
    pub is_hidden: bool,
    /// The comment object exactly as the platform sent it.
    pub raw: Box<RawValue>,
}

impl FetchedComment {
    /// The hash that tells one version of a comment from another: an edited
    /// comment is a new version and is classified and archived again.
    pub fn content_hash(&self) -> String {
        content_hash(&self.text)
    }
}

/// SHA-256 of a comment text, hex encoded.
pub fn content_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
