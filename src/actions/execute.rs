//! One attempt at an automatic hide or delete.
//!
//! The order, and why:
//!
//! 1. The evidence record is re-read and re-hashed: no receipt, no action.
//! 2. If the outcome of an earlier attempt is unknown — the action was left
//!    in flight by a crash, or the platform's reply to a call that may have
//!    worked was malformed — the comment's state is read on the platform.
//!    Already hidden (or gone): the action is recorded done, verified by
//!    read-back, and the platform is not called again. A platform that
//!    cannot tell is called again, and the record says the outcome could
//!    not be verified.
//! 3. The intent is recorded (`in_flight`, one more attempt), then the call.
//! 4. The outcome is recorded with how it is known. A malformed reply is
//!    followed by a read-back at once, not taken as a failure.
//!
//! Telling people is not done here: the follow-up stage reads the recorded
//! outcomes, so what they are told is what happened.

use std::path::Path;

use tracing::{error, info, warn};

use crate::archive::{Archive, ArchiveReceipt};
use crate::clock::Clock;
use crate::crashpoint;
use crate::domain::{ModerationAction, ModerationState};
use crate::platforms::{Platform, PlatformError};
use crate::store::{ActionRow, ActionState, Settlement, Store, StoreError, Verification};

/// Platform calls per action before the service stops trying and a person
/// is told so.
pub const MAX_ACTION_ATTEMPTS: i64 = 5;

/// What an attempt needs besides the action and the platform.
#[derive(Clone, Copy)]
pub struct ActionContext<'a> {
    /// Where the action and its outcome are recorded.
    pub store: &'a Store,
    /// Where the receipt is re-read from.
    pub archive: &'a Archive,
    /// Now.
    pub clock: &'a dyn Clock,
    /// The run carrying it out, for that run's digest.
    pub run_id: Option<i64>,
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Attempt {
    /// Carried out (or found already in effect).
    Done {
        /// Hide or delete.
        kind: ModerationAction,
        /// How it is known.
        verified_by: Verification,
    },
    /// Dry run: everything but the platform call.
    DryRun,
    /// Not carried out this time; tried again next run.
    Retry {
        /// Why not.
        error: PlatformError,
    },
    /// Not carried out, and the service has stopped trying.
    Failed {
        /// Why, for people.
        detail: String,
        /// The platform's error, when the platform gave one.
        error: Option<PlatformError>,
    },
    /// The comment version is no longer in the store (culled).
    Skipped,
}

/// Makes one attempt at `action` and records its outcome. `platform` is the
/// account's connector, or why there is none; `dry_run` skips the call.
pub async fn carry_out(
    ctx: ActionContext<'_>,
    action: &ActionRow,
    platform: Result<&dyn Platform, &str>,
    dry_run: bool,
) -> Result<Attempt, StoreError> {
    let Some(stored) = ctx.store.comment(action.comment_id).await? else {
        return Ok(Attempt::Skipped);
    };
    let receipt = match ctx.archive.receipt_for(Path::new(&action.record_path)) {
        Ok(r) if r.content_hash() == stored.comment.content_hash() => r,
        found => {
            let detail = "the evidence record is missing, altered or of another version";
            let why = found.err().map(|e| e.to_string()).unwrap_or_default();
            error!(comment_row = stored.id, error = %why, "Action refused: {detail}");
            return give_up(ctx, action, detail, "evidence", None).await;
        }
    };
    if dry_run {
        settle(ctx, action, ActionState::DryRun, None, None).await?;
        return Ok(Attempt::DryRun);
    }
    let platform = match platform {
        Ok(p) => p,
        Err(reason) => return give_up(ctx, action, reason, "unsupported", None).await,
    };
    let mut verification = Verification::Reply;
    if outcome_unknown(action) {
        match read_back(platform, &receipt, action.kind).await {
            Ok(ReadBack::InEffect) => {
                info!(
                    comment_row = stored.id,
                    "Action found in effect on the platform; not called again"
                );
                return done(ctx, action, Verification::ReadBack).await;
            }
            Ok(ReadBack::NotInEffect) => {}
            Ok(ReadBack::CannotTell) => verification = Verification::Unverifiable,
            Err(e) => return failed_attempt(ctx, action, action.attempts, e).await,
        }
    }
    ctx.store
        .mark_action_in_flight(action.id, ctx.clock.now())
        .await?;
    crashpoint::hit("act.before_platform_call");
    let result = match action.kind {
        ModerationAction::Delete => platform.delete(&receipt).await,
        _ => platform.hide(&receipt).await,
    };
    crashpoint::hit("act.after_platform_call");
    let attempts = action.attempts + 1;
    match result {
        // Gone already is as good as removed.
        Ok(()) | Err(PlatformError::NotFound) => done(ctx, action, verification).await,
        Err(PlatformError::Malformed { detail }) => {
            warn!(comment_row = stored.id, %detail, "Malformed reply to an action; reading the comment's state back");
            match read_back(platform, &receipt, action.kind).await {
                Ok(ReadBack::InEffect) => done(ctx, action, Verification::ReadBack).await,
                _ => {
                    failed_attempt(ctx, action, attempts, PlatformError::Malformed { detail }).await
                }
            }
        }
        Err(e) => failed_attempt(ctx, action, attempts, e).await,
    }
}

/// Whether an earlier attempt may have taken effect without it being
/// recorded: a crash between the call and its record, or a malformed reply.
fn outcome_unknown(action: &ActionRow) -> bool {
    action.state == ActionState::InFlight || action.error_kind.as_deref() == Some("malformed")
}

enum ReadBack {
    InEffect,
    NotInEffect,
    CannotTell,
}

/// Reads the comment's state and says whether `kind` is already in effect.
async fn read_back(
    platform: &dyn Platform,
    receipt: &ArchiveReceipt,
    kind: ModerationAction,
) -> Result<ReadBack, PlatformError> {
    let state = platform
        .moderation_state(receipt.platform_comment_id())
        .await?;
    Ok(match (state, kind) {
        (ModerationState::Removed, _) => ReadBack::InEffect,
        (ModerationState::Hidden, ModerationAction::Hide) => ReadBack::InEffect,
        (ModerationState::Unknown, _) => ReadBack::CannotTell,
        _ => ReadBack::NotInEffect,
    })
}

async fn done(
    ctx: ActionContext<'_>,
    action: &ActionRow,
    verified_by: Verification,
) -> Result<Attempt, StoreError> {
    settle(ctx, action, ActionState::Done, None, Some(verified_by)).await?;
    info!(
        action_id = action.id,
        action = action.kind.as_str(),
        verified_by = ?verified_by,
        "Comment moderated on the platform"
    );
    Ok(Attempt::Done {
        kind: action.kind,
        verified_by,
    })
}

/// Records a failed call: retried next run while a retry can help and
/// attempts remain (`attempts` counts the calls made so far), given up
/// otherwise.
async fn failed_attempt(
    ctx: ActionContext<'_>,
    action: &ActionRow,
    attempts: i64,
    error: PlatformError,
) -> Result<Attempt, StoreError> {
    let retry_can_help = error.is_retryable()
        || matches!(
            error,
            PlatformError::Unauthorized { .. }
                | PlatformError::RateLimited { .. }
                | PlatformError::Malformed { .. }
        );
    if !retry_can_help || attempts >= MAX_ACTION_ATTEMPTS {
        let detail = error.to_string();
        return give_up(ctx, action, &detail, error.kind(), Some(error)).await;
    }
    warn!(action_id = action.id, error = %error, "Platform action failed; tried again next run");
    let detail = error.to_string();
    ctx.store
        .settle_action(
            action.id,
            &Settlement {
                state: ActionState::Pending,
                error: Some(&detail),
                error_kind: Some(error.kind()),
                verified_by: None,
                run_id: None,
            },
            ctx.clock.now(),
        )
        .await?;
    crashpoint::hit("act.after_outcome_write");
    Ok(Attempt::Retry { error })
}

async fn give_up(
    ctx: ActionContext<'_>,
    action: &ActionRow,
    detail: &str,
    error_kind: &str,
    error: Option<PlatformError>,
) -> Result<Attempt, StoreError> {
    warn!(action_id = action.id, error = %detail, "Platform action given up; a person is told");
    ctx.store
        .settle_action(
            action.id,
            &Settlement {
                state: ActionState::Failed,
                error: Some(detail),
                error_kind: Some(error_kind),
                verified_by: None,
                run_id: ctx.run_id,
            },
            ctx.clock.now(),
        )
        .await?;
    crashpoint::hit("act.after_outcome_write");
    Ok(Attempt::Failed {
        detail: detail.to_string(),
        error,
    })
}

async fn settle(
    ctx: ActionContext<'_>,
    action: &ActionRow,
    state: ActionState,
    error: Option<&str>,
    verified_by: Option<Verification>,
) -> Result<(), StoreError> {
    ctx.store
        .settle_action(
            action.id,
            &Settlement {
                state,
                error,
                error_kind: None,
                verified_by,
                run_id: ctx.run_id,
            },
            ctx.clock.now(),
        )
        .await?;
    crashpoint::hit("act.after_outcome_write");
    Ok(())
}
