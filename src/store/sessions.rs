//! The console's login sessions, kept server-side so that logging out, an
//! expiry or an operator ends a session at once on every instance sharing
//! the database. Only the SHA-256 of a session's cookie token is stored.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, parse_ts, ts};

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The logged-in person (lower-case e-mail), `None` before login.
    pub user_id: Option<String>,
    /// Their display name, as the identity provider gives it.
    pub user_name: Option<String>,
    /// Group claims from the identity provider.
    pub groups: Vec<String>,
    /// The session's CSRF token, which every form carries back.
    pub csrf: String,
    /// A login under way (OpenID Connect state, nonce, PKCE verifier), JSON.
    pub pending: Option<String>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Stores a new session under the hash of its token.
    pub async fn create_session(
        &self,
        token_sha256: &str,
        session: &SessionRow,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO web_sessions (token_sha256, user_id, user_name, group_claims, csrf,
                 pending, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_sha256)
        .bind(session.user_id.as_deref())
        .bind(session.user_name.as_deref())
        .bind(serde_json::to_string(&session.groups).unwrap_or_else(|_| "[]".into()))
        .bind(&session.csrf)
        .bind(session.pending.as_deref())
        .bind(ts(now))
        .bind(ts(session.expires_at))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The session with this token hash, unless it has expired.
    pub async fn session(
        &self,
        token_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id, user_name, group_claims, csrf, pending, expires_at FROM web_sessions
             WHERE token_sha256 = $1 AND expires_at > $2",
        )
        .bind(token_sha256)
        .bind(ts(now))
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let groups: String = r.try_get("group_claims")?;
        Ok(Some(SessionRow {
            user_id: r.try_get("user_id")?,
            user_name: r.try_get("user_name")?,
            groups: serde_json::from_str(&groups)
                .map_err(|e| StoreError::Invalid(format!("session groups: {e}")))?,
            csrf: r.try_get("csrf")?,
            pending: r.try_get("pending")?,
            expires_at: parse_ts(&r.try_get::<String, _>("expires_at")?)?,
        }))
    }

    /// Ends a session (logout, or its replacement at login).
    pub async fn delete_session(&self, token_sha256: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_sessions WHERE token_sha256 = $1")
            .bind(token_sha256)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
