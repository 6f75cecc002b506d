//! Posts, comment versions, cursors and verdicts.

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError, parse_opt_ts, parse_ts, ts};
use crate::domain::{FetchedComment, FetchedPost, Finding, ModerationAction};

/// Whether storing a fetched comment added a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewVersion {
    /// A version not seen before; its row id.
    Added(i64),
    /// Only the platform's moderation state changed (a person hid or
    /// unhid it on the platform, or the service's own hide shows): kept as
    /// a version in state `platform_state`, which is not decided again.
    StateChanged(i64),
    /// The same id, content and moderation state were stored before.
    AlreadyKnown,
}

/// A comment version as stored, with enough to rebuild the fetched comment
/// for the later stages after a restart.
#[derive(Debug, Clone)]
pub struct StoredComment {
    /// Row id.
    pub id: i64,
    /// The account's row id.
    pub account_id: i64,
    /// The account's configured key.
    pub account_key: String,
    /// The comment as fetched.
    pub comment: FetchedComment,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Pipeline state (`new`, `decided`, `own`).
    pub state: String,
    /// The decided action, once decided.
    pub action: Option<ModerationAction>,
    /// The evidence record, once archived.
    pub record_path: Option<String>,
    /// The evidence record's hash, once archived.
    pub record_sha256: Option<String>,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// The language the comment was identified as when it was decided (a
    /// BCP 47 tag or `unknown`); `None` before, and for comments decided
    /// before languages were recorded.
    pub language: Option<String>,
}

pub(super) const COMMENT_COLUMNS: &str =
    "c.id, c.account_id, a.key AS account_key, c.post_platform_id,
    c.platform_comment_id, c.parent_platform_id, c.author_id, c.author_name, c.text,
    c.created_at, c.permalink, c.was_hidden, c.raw, c.fetched_at, c.state, c.action,
    c.record_path, c.record_sha256, c.decided_at, c.language";

impl Store {
    /// Stores a post the first time it is seen.
    pub async fn upsert_post(
        &self,
        account_id: i64,
        post: &FetchedPost,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        upsert_post(&mut *self.pool().acquire().await?, account_id, post, now).await
    }

    /// The text of a post, for evidence and e-mails.
    pub async fn post_text(
        &self,
        account_id: i64,
        post_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT text FROM posts WHERE account_id = $1 AND platform_post_id = $2")
                .bind(account_id)
                .bind(post_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row
            .map(|r| r.try_get::<Option<String>, _>("text"))
            .transpose()?
            .flatten())
    }

    /// Saves a comment version before anything else is done with it. The
    /// account's own replies are stored as `own` and not moderated.
    pub async fn insert_comment_version(
        &self,
        account_id: i64,
        comment: &FetchedComment,
        own: bool,
        run_id: Option<i64>,
        fetched_at: DateTime<Utc>,
    ) -> Result<NewVersion, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let state = if own { "own" } else { "new" };
        insert_comment_version(&mut conn, account_id, comment, state, run_id, fetched_at).await
    }

    /// Stores what one platform call brought — its posts, its comment
    /// versions and then its cursors — in one transaction: one commit (one
    /// sync of the write-ahead log) per call rather than one per comment,
    /// so hundreds of accounts can be crawled at once without queueing on
    /// the database, and a cursor never moves without what it covers.
    /// The versions come back in the order of `harvest.comments`.
    pub async fn store_call_harvest(
        &self,
        harvest: &CallHarvest<'_>,
    ) -> Result<Vec<NewVersion>, StoreError> {
        let mut tx = self.begin_write().await?;
        for post in harvest.posts {
            upsert_post(&mut tx, harvest.account_id, post, harvest.fetched_at).await?;
        }
        let mut versions = Vec::with_capacity(harvest.comments.len());
        for comment in harvest.comments {
            let own = comment.author_id.as_deref() == Some(harvest.own_author_id);
            let state = if own { "own" } else { "new" };
            let version = insert_comment_version(
                &mut tx,
                harvest.account_id,
                comment,
                state,
                harvest.run_id,
                harvest.fetched_at,
            )
            .await?;
            versions.push(version);
        }
        for (listing, cursor) in &harvest.cursors {
            super::listings::save_listing_cursor(
                &mut tx,
                harvest.account_id,
                listing,
                cursor,
                harvest.fetched_at,
            )
            .await?;
        }
        crate::crashpoint::hit("collect.before_harvest_commit");
        tx.commit().await?;
        crate::crashpoint::hit("collect.after_harvest_commit");
        Ok(versions)
    }

    /// Comment versions stored but not yet decided, oldest first: the work of
    /// this run plus anything a crash left behind.
    pub async fn undecided_comments(&self, limit: i64) -> Result<Vec<StoredComment>, StoreError> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.state = 'new' ORDER BY c.id LIMIT $1"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(stored_comment).collect()
    }

    /// One comment version by row id.
    pub async fn comment(&self, id: i64) -> Result<Option<StoredComment>, StoreError> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(stored_comment).transpose()
    }

    /// Every version of a platform comment, oldest first.
    pub async fn comment_versions(
        &self,
        platform_comment_id: &str,
    ) -> Result<Vec<StoredComment>, StoreError> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN accounts a ON a.id = c.account_id
             WHERE c.platform_comment_id = $1 ORDER BY c.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(platform_comment_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(stored_comment).collect()
    }

    /// Findings recorded for a comment version.
    pub async fn findings(&self, comment_id: i64) -> Result<Vec<Finding>, StoreError> {
        let rows = sqlx::query(
            "SELECT category, confidence, start_offset, end_offset, rule, legal_basis, reason
             FROM findings WHERE comment_id = $1 ORDER BY id",
        )
        .bind(comment_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(finding_of).collect()
    }
}

/// One platform call's harvest for [`Store::store_call_harvest`].
#[derive(Debug, Clone)]
pub struct CallHarvest<'a> {
    /// The account's row id.
    pub account_id: i64,
    /// The account's own platform id: its replies are stored as `own`.
    pub own_author_id: &'a str,
    /// The monitoring run, when a run made the call.
    pub run_id: Option<i64>,
    /// When the call was answered.
    pub fetched_at: DateTime<Utc>,
    /// Posts the call listed.
    pub posts: &'a [FetchedPost],
    /// Comments the call listed.
    pub comments: &'a [FetchedComment],
    /// Cursors the call moved (listing, cursor), saved after its items.
    pub cursors: Vec<(&'a str, &'a str)>,
}

async fn upsert_post(
    conn: &mut AnyConnection,
    account_id: i64,
    post: &FetchedPost,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO posts (account_id, platform_post_id, text, created_at, permalink, raw, first_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (account_id, platform_post_id) DO NOTHING",
    )
    .bind(account_id)
    .bind(&post.platform_id)
    .bind(post.text.as_deref())
    .bind(ts(post.created_at))
    .bind(post.permalink.as_deref())
    .bind(post.raw.get())
    .bind(ts(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A new version row in `state`, or, when the text is known, a
/// `platform_state` version if only the moderation state changed.
async fn insert_comment_version(
    conn: &mut AnyConnection,
    account_id: i64,
    comment: &FetchedComment,
    state: &str,
    run_id: Option<i64>,
    fetched_at: DateTime<Utc>,
) -> Result<NewVersion, StoreError> {
    let version = VersionRow {
        account_id,
        comment,
        run_id,
        fetched_at,
    };
    match version.insert(conn, &comment.content_hash(), state).await? {
        Some(id) => Ok(NewVersion::Added(id)),
        None => record_state_change(conn, &version).await,
    }
}

/// Adds a `platform_state` version when the newest stored version of a
/// known comment has the same text but another moderation state. Its
/// `content_hash` column carries the version's number, so the unique
/// key stays (account, comment, version) while the text's hash, which
/// evidence records name, is unchanged.
async fn record_state_change(
    conn: &mut AnyConnection,
    version: &VersionRow<'_>,
) -> Result<NewVersion, StoreError> {
    let comment = version.comment;
    let newest = sqlx::query(
        "SELECT text, was_hidden, (SELECT COUNT(*) FROM comments v
             WHERE v.account_id = $1 AND v.platform_comment_id = $2) AS versions
         FROM comments c WHERE c.account_id = $1 AND c.platform_comment_id = $2
         ORDER BY c.id DESC LIMIT 1",
    )
    .bind(version.account_id)
    .bind(&comment.platform_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(newest) = newest else {
        return Ok(NewVersion::AlreadyKnown);
    };
    let same_text = newest.try_get::<String, _>("text")? == comment.text;
    let was_hidden = newest.try_get::<i64, _>("was_hidden")? != 0;
    if !same_text || was_hidden == comment.is_hidden {
        return Ok(NewVersion::AlreadyKnown);
    }
    let number: i64 = newest.try_get("versions")?;
    let version_key = format!("{}#{}", comment.content_hash(), number + 1);
    match version.insert(conn, &version_key, "platform_state").await? {
        Some(id) => Ok(NewVersion::StateChanged(id)),
        None => Ok(NewVersion::AlreadyKnown),
    }
}

/// A fetched comment about to be stored as a version row.
struct VersionRow<'a> {
    account_id: i64,
    comment: &'a FetchedComment,
    run_id: Option<i64>,
    fetched_at: DateTime<Utc>,
}

impl VersionRow<'_> {
    /// Inserts the row unless (account, comment, `version_key`) is
    /// stored; its row id when inserted.
    async fn insert(
        &self,
        conn: &mut AnyConnection,
        version_key: &str,
        state: &str,
    ) -> Result<Option<i64>, StoreError> {
        let comment = self.comment;
        let row = sqlx::query(
            "INSERT INTO comments (account_id, post_platform_id, platform_comment_id, parent_platform_id,
                 author_id, author_name, text, created_at, permalink, was_hidden, content_hash, raw,
                 fetched_at, run_id, state)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (account_id, platform_comment_id, content_hash) DO NOTHING
             RETURNING id",
        )
        .bind(self.account_id)
        .bind(&comment.post_id)
        .bind(&comment.platform_id)
        .bind(comment.parent_id.as_deref())
        .bind(comment.author_id.as_deref())
        .bind(comment.author_name.as_deref())
        .bind(&comment.text)
        .bind(ts(comment.created_at))
        .bind(comment.permalink.as_deref())
        .bind(i64::from(comment.is_hidden))
        .bind(version_key)
        .bind(comment.raw.get())
        .bind(ts(self.fetched_at))
        .bind(self.run_id)
        .bind(state)
        .fetch_optional(&mut *conn)
        .await?;
        row.map(|r| r.try_get("id"))
            .transpose()
            .map_err(StoreError::from)
    }
}

/// A `findings` row as the finding it records.
pub(super) fn finding_of(r: &AnyRow) -> Result<Finding, StoreError> {
    let category: String = r.try_get("category")?;
    let confidence: String = r.try_get("confidence")?;
    Ok(Finding {
        category: parse_enum(&category)?,
        confidence: parse_enum(&confidence)?,
        start: usize_of(r.try_get("start_offset")?)?,
        end: usize_of(r.try_get("end_offset")?)?,
        rule: r.try_get("rule")?,
        legal_basis: r.try_get("legal_basis")?,
        reason: r.try_get("reason")?,
    })
}

/// Everything written in the one transaction that records a decision.
#[derive(Debug, Clone)]
pub struct DecisionRecord<'a> {
    /// The comment version's row id.
    pub comment_id: i64,
    /// What was found.
    pub findings: &'a [Finding],
    /// What was decided.
    pub action: ModerationAction,
    /// The evidence record's path relative to the archive root.
    pub record_path: &'a str,
    /// The evidence record's hash.
    pub record_sha256: &'a str,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// The monitoring run that decided it (its digest lists the comment),
    /// which is not always the run that fetched it.
    pub run_id: Option<i64>,
    /// The language the classifier identified (a BCP 47 tag or `unknown`).
    pub language: Option<&'a str>,
}

pub(super) fn stored_comment(r: &AnyRow) -> Result<StoredComment, StoreError> {
    let raw: String = r.try_get("raw")?;
    let action: Option<String> = r.try_get("action")?;
    Ok(StoredComment {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        account_key: r.try_get("account_key")?,
        comment: FetchedComment {
            platform_id: r.try_get("platform_comment_id")?,
            post_id: r.try_get("post_platform_id")?,
            parent_id: r.try_get("parent_platform_id")?,
            author_id: r.try_get("author_id")?,
            author_name: r.try_get("author_name")?,
            text: r.try_get("text")?,
            created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
            permalink: r.try_get("permalink")?,
            is_hidden: r.try_get::<i64, _>("was_hidden")? != 0,
            raw: RawValue::from_string(raw).map_err(|e| StoreError::Invalid(e.to_string()))?,
        },
        fetched_at: parse_ts(&r.try_get::<String, _>("fetched_at")?)?,
        state: r.try_get("state")?,
        action: action.as_deref().map(parse_enum).transpose()?,
        record_path: r.try_get("record_path")?,
        record_sha256: r.try_get("record_sha256")?,
        decided_at: parse_opt_ts(r.try_get("decided_at")?)?,
        language: r.try_get("language")?,
    })
}

/// Parses a snake_case enum name as stored.
pub(crate) fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| StoreError::Invalid(format!("{s:?}: {e}")))
}

/// The snake_case name of an enum value, as stored.
pub(crate) fn enum_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

fn usize_of(v: i64) -> Result<usize, StoreError> {
    usize::try_from(v).map_err(|_| StoreError::Invalid(format!("negative offset {v}")))
}

impl Store {
    /// Whether a decision recorded the evidence record with this hash: an
    /// archived record the database does not know was written just before
    /// a crash, and is adopted rather than written again.
    pub async fn knows_record(&self, record_sha256: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM comments WHERE record_sha256 = $1")
            .bind(record_sha256)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Records a decision and everything that follows from it in one
    /// transaction: findings, the verdict with its evidence record, pending
    /// actions, tickets, outbox items and the audit event. Either all of it
    /// is stored or none, so a crash can never leave an action without its
    /// alert or a verdict without its evidence.
    pub async fn record_decision(
        &self,
        decision: &DecisionRecord<'_>,
        followups: &super::Followups,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        for f in decision.findings {
            sqlx::query(
                "INSERT INTO findings (comment_id, category, confidence, start_offset, end_offset, rule, legal_basis, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(decision.comment_id)
            .bind(f.category.as_str())
            .bind(f.confidence.as_str())
            .bind(i64::try_from(f.start).unwrap_or(i64::MAX))
            .bind(i64::try_from(f.end).unwrap_or(i64::MAX))
            .bind(&f.rule)
            .bind(&f.legal_basis)
            .bind(&f.reason)
            .execute(&mut *tx)
            .await?;
        }
        let updated = sqlx::query(
            "UPDATE comments SET state = 'decided', action = $1, record_path = $2, record_sha256 = $3,
                 decided_at = $4, decided_run_id = $5, language = $6 WHERE id = $7 AND state = 'new'",
        )
        .bind(enum_name(&decision.action))
        .bind(decision.record_path)
        .bind(decision.record_sha256)
        .bind(ts(decision.decided_at))
        .bind(decision.run_id)
        .bind(decision.language)
        .bind(decision.comment_id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            // Another worker decided it first; keep its decision.
            tx.rollback().await?;
            return Ok(());
        }
        super::actions::insert_actions(&mut tx, decision, &followups.actions).await?;
        super::tickets::insert_tickets(&mut tx, &followups.tickets, decision.decided_at).await?;
        super::outbox::insert_items(&mut tx, &followups.outbox, decision.decided_at).await?;
        for event in &followups.audit {
            super::audit::insert_event(&mut *tx, event, decision.decided_at).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
