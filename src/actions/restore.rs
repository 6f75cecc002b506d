//! [`restore`]: a moderator overrules the service and makes a hidden comment
//! visible again (through `Pipeline::restore`, which finds the comment's
//! account). Acting on a comment is a decision by a public authority,
//! and so is undoing one: the intent is recorded before the platform call
//! and the outcome after (kind `unhide` in the actions table), the audit log
//! says who did it and why, and the removal tickets are closed with that
//! resolution so the registry office does not register a removal that was
//! undone.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::clock::Clock;
use crate::domain::ModerationAction;
use crate::platforms::{Platform, PlatformError};
use crate::store::{ActionState, AuditEvent, Store, StoreError, StoredComment};

/// Why a comment could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// No comment with this platform id has been stored.
    #[error("no comment with id {0} is known to the service")]
    UnknownComment(String),
    /// The service never hid this comment (nothing to overrule).
    #[error("comment {0} was not hidden by the service; there is nothing to restore")]
    NotHidden(String),
    /// The comment was deleted; the platform cannot bring it back. Its
    /// content is in the evidence record.
    #[error("comment {0} was deleted on the platform and cannot be restored there")]
    Deleted(String),
    /// The comment's account is not configured or has no connector.
    #[error("the account {account} cannot be reached: {reason}")]
    AccountUnavailable {
        /// The account key.
        account: String,
        /// Why.
        reason: String,
    },
    /// The platform refused or failed; recorded as a failed unhide.
    #[error("the platform did not unhide comment {comment}")]
    Platform {
        /// The platform comment id.
        comment: String,
        /// The platform's error.
        source: PlatformError,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a restoration did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreOutcome {
    /// The comment version that was hidden and is now visible.
    pub comment_row: i64,
    /// The recorded unhide action.
    pub action_id: i64,
    /// `Done`, or `DryRun` when the account runs in dry-run mode.
    pub state: ActionState,
    /// Removal tickets closed as restored.
    pub tickets_closed: u64,
}

/// The comment version to restore and the connector of its account. The
/// caller finds them: the version with [`hidden_version`], the account among
/// those it runs (the pipeline's), since this module knows no configuration.
pub struct RestoreTarget<'a> {
    /// The newest version the service hid.
    pub hidden: &'a StoredComment,
    /// The account's connector.
    pub platform: &'a dyn Platform,
    /// Whether the service or the account runs in dry-run mode: everything
    /// but the platform call.
    pub dry_run: bool,
}

/// Makes a comment the service hid visible again, on a moderator's
/// decision, and records who decided it and why.
pub async fn restore(
    store: &Store,
    clock: &dyn Clock,
    target: RestoreTarget<'_>,
    reason: &str,
    by: &str,
) -> Result<RestoreOutcome, RestoreError> {
    let RestoreTarget {
        hidden,
        platform,
        dry_run,
    } = target;
    let platform_comment_id = hidden.comment.platform_id.as_str();
    let now = clock.now();
    let record_path = hidden.record_path.clone().unwrap_or_default();
    let action_id = store.begin_unhide(hidden.id, &record_path, now).await?;
    let state = if dry_run {
        ActionState::DryRun
    } else {
        match platform.unhide(platform_comment_id).await {
            Ok(()) => ActionState::Done,
            Err(source) => {
                let now = clock.now();
                store
                    .finish_action(
                        action_id,
                        ActionState::Failed,
                        Some(&source.to_string()),
                        now,
                    )
                    .await?;
                audit(store, hidden, action_id, "failed", reason, by, now).await?;
                return Err(RestoreError::Platform {
                    comment: platform_comment_id.to_string(),
                    source,
                });
            }
        }
    };
    let now = clock.now();
    store.finish_action(action_id, state, None, now).await?;
    let outcome = if state == ActionState::Done {
        "done"
    } else {
        "dry_run"
    };
    audit(store, hidden, action_id, outcome, reason, by, now).await?;
    let resolution = format!("Återställd av {by}: {reason}");
    let tickets_closed = store
        .resolve_removal_tickets(hidden.id, &resolution, by, now)
        .await?;
    tracing::info!(
        comment_row = hidden.id,
        action_id,
        outcome,
        "Comment restored"
    );
    Ok(RestoreOutcome {
        comment_row: hidden.id,
        action_id,
        state,
        tickets_closed,
    })
}

/// The newest version of the comment that the service hid: what a restore
/// undoes. A deleted comment cannot be restored on the platform.
pub async fn hidden_version(
    store: &Store,
    platform_comment_id: &str,
) -> Result<StoredComment, RestoreError> {
    let versions = store.comment_versions(platform_comment_id).await?;
    if versions.is_empty() {
        return Err(RestoreError::UnknownComment(
            platform_comment_id.to_string(),
        ));
    }
    let mut hidden = None;
    for version in versions.into_iter().rev() {
        for action in store.actions_for_comment(version.id).await? {
            if action.state != ActionState::Done {
                continue;
            }
            match action.kind {
                ModerationAction::Delete => {
                    return Err(RestoreError::Deleted(platform_comment_id.to_string()));
                }
                ModerationAction::Hide if hidden.is_none() => hidden = Some(version.clone()),
                _ => {}
            }
        }
    }
    hidden.ok_or_else(|| RestoreError::NotHidden(platform_comment_id.to_string()))
}

async fn audit(
    store: &Store,
    hidden: &StoredComment,
    action_id: i64,
    outcome: &str,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let event = AuditEvent {
        actor: by.to_string(),
        event: "comment.restored".to_string(),
        subject: Some(hidden.comment.platform_id.clone()),
        detail: json!({"comment_row": hidden.id, "action_id": action_id, "outcome": outcome,
                       "reason": reason, "record": hidden.record_path}),
    };
    store.audit(&event, at).await
}
