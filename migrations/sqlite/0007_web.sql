-- The moderators' console (issue 14): login sessions and the decisions
-- people make there. Keep in step with the other flavour of this file.

-- One row per browser session. The cookie carries a random token; only its
-- SHA-256 is stored, so a copy of the database does not let anyone log in.
-- A row exists before login too (user_id NULL): it carries the CSRF token
-- of the login form and, during an OpenID Connect login, its state, nonce
-- and PKCE verifier (pending, JSON).
CREATE TABLE web_sessions (
    token_sha256  TEXT PRIMARY KEY,
    user_id       TEXT,
    user_name     TEXT,
    group_claims  TEXT NOT NULL DEFAULT '[]',
    csrf          TEXT NOT NULL,
    pending       TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- A person's decision on a comment version. round is the number of
-- decisions made on the version before this one: two people deciding from
-- the same page both write the same round, and the unique key lets only
-- the first one in.
CREATE TABLE moderator_decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id  INTEGER NOT NULL REFERENCES comments(id),
    round       INTEGER NOT NULL,
    decision    TEXT NOT NULL,
    note        TEXT,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    -- what came of it: done, dry_run, failed, retry, recorded
    outcome     TEXT,
    action_id   INTEGER,
    UNIQUE (comment_id, round)
);
CREATE INDEX moderator_decisions_decision ON moderator_decisions (decision, comment_id);
CREATE INDEX audit_log_at ON audit_log (at);
