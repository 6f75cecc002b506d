//! Turns what the pipeline and the daemon know (account, decision, receipt,
//! problem) into addressed e-mails: who gets what is decided here, the
//! wording in [`super::templates`].

use chrono::{DateTime, Utc};

use super::OutgoingMail;
use super::templates::{
    self, ActionFailed, AlertReason, CrisisNotice, EvidenceRef, OutcomeItem, OutcomeSummary,
    RemovalAlert, RemovalOutcome, ReviewRequest, SystemProblem, SystemProblemKind,
};
use crate::archive::ArchiveReceipt;
use crate::config::{AccountConfig, Config, CrisisConfig, DepartmentConfig, MailConfig};
use crate::decide::Decision;
use crate::domain::{Finding, ModerationAction, TicketKind};
use crate::platforms::token::GrantWarning;
use crate::store::{ActionRow, ActionState, StoredComment};

/// Everything the immediate alert for one decision is made from.
#[derive(Clone)]
pub struct DecisionAlert<'a> {
    /// The account the comment was written on.
    pub account: &'a AccountConfig,
    /// The account's department, for the copy to its central address.
    pub department: Option<&'a DepartmentConfig>,
    /// The comment version.
    pub stored: &'a StoredComment,
    /// What was found.
    pub findings: &'a [Finding],
    /// What was decided.
    pub decision: &'a Decision,
    /// The evidence record written before any action.
    pub receipt: &'a ArchiveReceipt,
    /// The comment's page in the moderators' console, when it is served.
    pub console_link: Option<String>,
}

/// The immediate alert for a decision that needs a person at once: removal
/// impossible on the platform, or concern for a child. Hides and deletes
/// are told from their outcome instead ([`action_notice`]). Goes to the
/// account's moderators with a copy to the department's central address.
pub fn decision_alert(ctx: &DecisionAlert<'_>, message_id: String) -> OutgoingMail {
    let DecisionAlert {
        account,
        department,
        stored,
        findings,
        decision,
        receipt,
        ref console_link,
    } = *ctx;
    let rendered = templates::review_request(&ReviewRequest {
        account_name: account.name.clone(),
        platform: account.platform,
        comment_id: stored.comment.platform_id.clone(),
        author_name: stored.comment.author_name.clone(),
        written_at: stored.comment.created_at,
        reasons: findings.iter().map(AlertReason::from).collect(),
        evidence: Some(EvidenceRef {
            record_sha256: receipt.record_sha256().to_string(),
            record_path: receipt.relative_path().display().to_string(),
        }),
        ticket_ref: decision
            .tickets
            .first()
            .map(|k: &TicketKind| k.reference_for(stored.id)),
        permalink: stored.comment.permalink.clone(),
        console_link: console_link.clone(),
    });
    to_moderators(rendered, account, department, message_id)
}

/// Everything a notice of one action's outcome is made from.
#[derive(Clone, Copy)]
pub struct ActionNotice<'a> {
    /// The account the comment was written on.
    pub account: &'a AccountConfig,
    /// The comment version acted on.
    pub stored: &'a StoredComment,
    /// Why it was acted on.
    pub findings: &'a [Finding],
    /// The action with its recorded outcome.
    pub action: &'a ActionRow,
    /// The ticket that follows the outcome, if any.
    pub ticket_ref: Option<&'a str>,
}

impl ActionNotice<'_> {
    /// What happened on the platform; `None` while the comment is public.
    fn outcome(&self) -> Option<RemovalOutcome> {
        match (self.action.state, self.action.kind) {
            (ActionState::DryRun, _) => Some(RemovalOutcome::DocumentedOnly),
            (ActionState::Done, ModerationAction::Delete) => Some(RemovalOutcome::Deleted),
            (ActionState::Done, _) => Some(RemovalOutcome::Hidden),
            _ => None,
        }
    }

    fn evidence(&self) -> EvidenceRef {
        EvidenceRef {
            record_sha256: self.stored.record_sha256.clone().unwrap_or_default(),
            record_path: self.action.record_path.clone(),
        }
    }
}

/// The notice of one action's outcome, written after it happened: hidden,
/// deleted or documented only (dry run) — or still public, with what the
/// moderator should do now.
pub fn action_notice(
    notice: &ActionNotice<'_>,
    department: Option<&DepartmentConfig>,
    message_id: String,
) -> OutgoingMail {
    let ActionNotice {
        account,
        stored,
        findings,
        action,
        ticket_ref,
    } = *notice;
    let reasons: Vec<AlertReason> = findings.iter().map(AlertReason::from).collect();
    let rendered = match notice.outcome() {
        Some(outcome) => templates::removal_alert(&RemovalAlert {
            account_name: account.name.clone(),
            platform: account.platform,
            comment_id: stored.comment.platform_id.clone(),
            author_name: stored.comment.author_name.clone(),
            written_at: stored.comment.created_at,
            outcome,
            reasons,
            evidence: notice.evidence(),
            ticket_ref: ticket_ref.map(str::to_string),
            permalink: stored.comment.permalink.clone(),
        }),
        None => templates::action_failed(&ActionFailed {
            account_name: account.name.clone(),
            platform: account.platform,
            comment_id: stored.comment.platform_id.clone(),
            author_name: stored.comment.author_name.clone(),
            written_at: stored.comment.created_at,
            intended: intended(action.kind),
            error_kind: action.error_kind.clone().unwrap_or_default(),
            attempts: action.attempts,
            gave_up: action.state == ActionState::Failed,
            reasons,
            evidence: notice.evidence(),
            permalink: stored.comment.permalink.clone(),
        }),
    };
    to_moderators(rendered, account, department, message_id)
}

/// One e-mail listing the outcomes of many actions on one account, instead
/// of one e-mail each (`[alerts] summary_above`).
pub fn outcome_summary(
    notices: &[ActionNotice<'_>],
    account: &AccountConfig,
    department: Option<&DepartmentConfig>,
    message_id: String,
) -> OutgoingMail {
    let items = notices
        .iter()
        .map(|n| OutcomeItem {
            comment_id: n.stored.comment.platform_id.clone(),
            outcome: n.outcome(),
            error_kind: n
                .outcome()
                .is_none()
                .then(|| n.action.error_kind.clone().unwrap_or_default()),
            reasons: n.findings.iter().map(AlertReason::from).collect(),
            evidence: n.evidence(),
            permalink: n.stored.comment.permalink.clone(),
        })
        .collect();
    let rendered = templates::outcome_summary(&OutcomeSummary {
        account_name: account.name.clone(),
        platform: account.platform,
        items,
    });
    to_moderators(rendered, account, department, message_id)
}

fn intended(kind: ModerationAction) -> RemovalOutcome {
    match kind {
        ModerationAction::Delete => RemovalOutcome::Deleted,
        _ => RemovalOutcome::Hidden,
    }
}

/// Addresses a message to the account's moderators, with a copy to the
/// department's central address.
fn to_moderators(
    rendered: templates::Rendered,
    account: &AccountConfig,
    department: Option<&DepartmentConfig>,
    message_id: String,
) -> OutgoingMail {
    OutgoingMail::from_rendered(
        rendered,
        account.moderators.clone(),
        department
            .and_then(|d| d.central_address.clone())
            .into_iter()
            .collect(),
        message_id,
    )
}

/// A problem with one account (token expired, platform failing) for its
/// moderators, with a copy to operations.
pub fn account_problem(
    account: &AccountConfig,
    mail: &MailConfig,
    error_kind: &str,
    detail: &str,
    objects: &[String],
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    let kind = match error_kind {
        "unauthorized" => SystemProblemKind::TokenExpired,
        "permanent" if detail.contains("MODERATE") => SystemProblemKind::CannotModerate,
        "repeating_cursor" | "call_limit" => SystemProblemKind::ListingStopped,
        _ => SystemProblemKind::PlatformFailing,
    };
    let rendered = templates::system_problem(&SystemProblem {
        kind,
        account: Some(account.name.clone()),
        detail: format!("{error_kind}: {detail}"),
        first_seen,
        objects: objects.to_vec(),
    });
    OutgoingMail::from_rendered(
        rendered,
        account.moderators.clone(),
        mail.operations_address.clone().into_iter().collect(),
        message_id,
    )
}

/// Who is told about an account as a whole (a daily check's finding, its
/// closing): its responsible person, or its moderators while none is
/// named, with the department's central address copied; operations when
/// the account names nobody at all. Returns `(to, cc)`.
pub fn account_owners(config: &Config, account: &AccountConfig) -> (Vec<String>, Vec<String>) {
    let mut to: Vec<String> = account.register.responsible.email.iter().cloned().collect();
    if to.is_empty() {
        to.clone_from(&account.moderators);
    }
    let mut cc: Vec<String> = config
        .department(&account.department)
        .and_then(|d| d.central_address.clone())
        .into_iter()
        .collect();
    if to.is_empty() {
        to = std::mem::take(&mut cc);
    }
    if to.is_empty() {
        to.extend(config.mail.operations_address.clone());
    }
    (to, cc)
}

/// An account's OAuth grant expires soon or was revoked (see
/// [`crate::platforms::token::GrantStatus::warning`]): operations must
/// have a person authorise the service again before the account goes
/// unwatched, so it goes to operations, with the account's moderators
/// copied; to the moderators alone when no operations address is set.
pub fn grant_warning(
    account: &AccountConfig,
    mail: &MailConfig,
    warning: &GrantWarning,
    now: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    let rendered = templates::system_problem(&SystemProblem {
        kind: SystemProblemKind::GrantExpiring,
        account: Some(account.name.clone()),
        detail: warning.to_string(),
        first_seen: now,
        objects: Vec::new(),
    });
    let (to, cc) = match &mail.operations_address {
        Some(ops) => (vec![ops.clone()], account.moderators.clone()),
        None => (account.moderators.clone(), Vec::new()),
    };
    OutgoingMail::from_rendered(rendered, to, cc, message_id)
}

/// An item the platform sent that could not be read, as operations'
/// notice names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantinedItem {
    /// The listing it came in (e.g. `post:{id}`).
    pub listing: String,
    /// The item's own id, when its raw JSON names one.
    pub item_id: Option<String>,
    /// Why it could not be read.
    pub reason: String,
}

/// Items of an account were put into quarantine: operations are told which
/// (the account's moderators when no operations address is set), since
/// those comments are not monitored until a person has looked.
pub fn quarantined_items(
    account: &AccountConfig,
    mail: &MailConfig,
    items: &[QuarantinedItem],
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    let objects = items
        .iter()
        .map(|item| match &item.item_id {
            Some(id) => format!("{id} ({})", item.listing),
            None => item.listing.clone(),
        })
        .collect();
    let detail = items
        .iter()
        .map(|item| item.reason.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let rendered = templates::system_problem(&SystemProblem {
        kind: SystemProblemKind::ItemsQuarantined,
        account: Some(account.name.clone()),
        detail,
        first_seen,
        objects,
    });
    let to = match &mail.operations_address {
        Some(ops) => vec![ops.clone()],
        None => account.moderators.clone(),
    };
    OutgoingMail::from_rendered(rendered, to, Vec::new(), message_id)
}

/// The archive cannot be written: nothing is acted on until it can.
/// Operations first; every moderator when no operations address is set.
pub fn archive_problem(
    config: &Config,
    detail: &str,
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    service_problem(
        config,
        SystemProblemKind::ArchiveFailing,
        detail,
        first_seen,
        message_id,
    )
}

/// The scheduled culling failed: records outlive their retention period
/// until it works. Sent like an archive problem, to operations first.
pub fn culling_problem(
    config: &Config,
    detail: &str,
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    service_problem(
        config,
        SystemProblemKind::CullingFailing,
        detail,
        first_seen,
        message_id,
    )
}

/// A problem of the whole service rather than of one account: operations,
/// or every moderator when no operations address is set.
pub fn service_problem(
    config: &Config,
    kind: SystemProblemKind,
    detail: &str,
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    let rendered = templates::system_problem(&SystemProblem {
        kind,
        account: None,
        detail: detail.to_string(),
        first_seen,
        objects: Vec::new(),
    });
    let to = match &config.mail.operations_address {
        Some(ops) => vec![ops.clone()],
        None => all_moderators(config),
    };
    OutgoingMail::from_rendered(rendered, to, Vec::new(), message_id)
}

/// Changed word lists or media hashes were refused on a reload; the lists
/// in force stay. Operations first; every moderator when no operations
/// address is set.
pub fn wordlists_rejected(
    config: &Config,
    detail: &str,
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    service_problem(
        config,
        SystemProblemKind::WordListsRejected,
        detail,
        first_seen,
        message_id,
    )
}

/// A record path from the database was refused (it names a file outside
/// the archive's records folder): operations are told which row and path,
/// every moderator when no operations address is set.
pub fn refused_record_path(
    config: &Config,
    notice: &templates::RefusedPathNotice,
    message_id: String,
) -> OutgoingMail {
    let to = match &config.mail.operations_address {
        Some(ops) => vec![ops.clone()],
        None => all_moderators(config),
    };
    OutgoingMail::from_rendered(templates::refused_path(notice), to, Vec::new(), message_id)
}

/// Crisis mode switched on or off: every moderator, every department's
/// central address and operations are told.
pub fn crisis_notice(
    config: &Config,
    crisis: CrisisConfig,
    changed_at: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    let rendered = templates::crisis_notice(&CrisisNotice {
        enabled: crisis.enabled,
        interval: crisis.interval,
        changed_at,
        source: config.source_display(),
    });
    let mut cc: Vec<String> = config
        .departments
        .iter()
        .filter_map(|d| d.central_address.clone())
        .chain(config.mail.operations_address.clone())
        .collect();
    cc.sort();
    cc.dedup();
    OutgoingMail::from_rendered(rendered, all_moderators(config), cc, message_id)
}

/// Every moderator of every account, once each.
fn all_moderators(config: &Config) -> Vec<String> {
    let mut all: Vec<String> = config
        .accounts
        .iter()
        .flat_map(|a| a.moderators.clone())
        .collect();
    all.sort();
    all.dedup();
    all
}

/// An account whose polling failed in `runs` monitoring runs in a row: each
/// failure looked passing, but together they mean comments go unwatched.
/// To the account's moderators with a copy to operations.
pub fn repeated_failure(
    account: &AccountConfig,
    mail: &MailConfig,
    runs: i64,
    last_error: &str,
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    let rendered = templates::system_problem(&SystemProblem {
        kind: SystemProblemKind::PlatformFailing,
        account: Some(account.name.clone()),
        detail: format!("{runs} bevakningar i rad misslyckades; senaste fel: {last_error}"),
        first_seen,
        objects: Vec::new(),
    });
    OutgoingMail::from_rendered(
        rendered,
        account.moderators.clone(),
        mail.operations_address.clone().into_iter().collect(),
        message_id,
    )
}

/// A rate budget deferred work in a run: to operations, once a day per
/// platform (the caller's message id says so), naming the accounts and
/// what waits for each.
pub fn budget_deferred(
    config: &Config,
    platform: &str,
    deferred: &[String],
    first_seen: DateTime<Utc>,
    message_id: String,
) -> OutgoingMail {
    service_problem(
        config,
        SystemProblemKind::BudgetDeferred,
        &format!("{platform}: {}", deferred.join("; ")),
        first_seen,
        message_id,
    )
}

/// A scheduled slot was missed (the service was down) and is caught up
/// now. Operations first; every moderator when no operations address is
/// set, since the monitoring the policy asks for did not happen in time.
/// The slot's time is shown as when the problem began.
pub fn slot_missed(config: &Config, slot: DateTime<Utc>, message_id: String) -> OutgoingMail {
    let rendered = templates::system_problem(&SystemProblem {
        kind: SystemProblemKind::SlotMissed,
        account: None,
        detail: "the service was not running at the scheduled slot; a catch-up run starts now"
            .to_string(),
        first_seen: slot,
        objects: Vec::new(),
    });
    let to = match &config.mail.operations_address {
        Some(ops) => vec![ops.clone()],
        None => all_moderators(config),
    };
    OutgoingMail::from_rendered(rendered, to, Vec::new(), message_id)
}

/// One moderator's digest after a run; `escalate_to` (department central
/// addresses) is copied when a question is overdue.
pub fn digest(
    moderator: &str,
    escalate_to: Vec<String>,
    digest: &templates::Digest,
    message_id: String,
) -> OutgoingMail {
    OutgoingMail::from_rendered(
        templates::digest(digest),
        vec![moderator.to_string()],
        escalate_to,
        message_id,
    )
}
