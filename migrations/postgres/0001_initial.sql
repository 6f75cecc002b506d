-- kommentarsvakt schema, PostgreSQL flavour. Keep in step with
-- migrations/sqlite/0001_initial.sql: one contract test suite runs on both.
-- Times are UTC RFC 3339 text with microseconds and a Z, so they sort as text.

CREATE TABLE accounts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    platform     TEXT NOT NULL,
    platform_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    department   TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    link         TEXT,
    updated_at   TEXT NOT NULL
);

CREATE TABLE posts (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES accounts(id),
    platform_post_id  TEXT NOT NULL,
    text              TEXT,
    created_at        TEXT NOT NULL,
    permalink         TEXT,
    raw               TEXT NOT NULL,
    first_seen_at     TEXT NOT NULL,
    UNIQUE (account_id, platform_post_id)
);

-- One row per comment version: an edited comment is a new row.
CREATE TABLE comments (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id           BIGINT NOT NULL REFERENCES accounts(id),
    post_platform_id     TEXT NOT NULL,
    platform_comment_id  TEXT NOT NULL,
    parent_platform_id   TEXT,
    author_id            TEXT,
    author_name          TEXT,
    text                 TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    permalink            TEXT,
    was_hidden           BIGINT NOT NULL,
    content_hash         TEXT NOT NULL,
    raw                  TEXT NOT NULL,
    fetched_at           TEXT NOT NULL,
    run_id               BIGINT,
    -- new → decided (or own: the account's own reply, not moderated)
    state                TEXT NOT NULL DEFAULT 'new',
    action               TEXT,
    record_path          TEXT,
    record_sha256        TEXT,
    decided_at           TEXT,
    UNIQUE (account_id, platform_comment_id, content_hash)
);
CREATE INDEX comments_state ON comments (state, id);

CREATE TABLE comment_cursors (
    account_id        BIGINT NOT NULL REFERENCES accounts(id),
    post_platform_id  TEXT NOT NULL,
    last_created_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, post_platform_id)
);

-- The city's proof that monitoring happened: one row per monitoring run.
CREATE TABLE poll_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger      TEXT NOT NULL,
    slot_at      TEXT,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    crisis       BIGINT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'running'
);

CREATE TABLE poll_run_accounts (
    run_id         BIGINT NOT NULL REFERENCES poll_runs(id),
    account_id     BIGINT NOT NULL REFERENCES accounts(id),
    outcome        TEXT NOT NULL,
    error_kind     TEXT,
    error_detail   TEXT,
    posts_seen     BIGINT NOT NULL,
    comments_new   BIGINT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NOT NULL,
    PRIMARY KEY (run_id, account_id)
);

CREATE TABLE findings (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id    BIGINT NOT NULL REFERENCES comments(id),
    category      TEXT NOT NULL,
    confidence    TEXT NOT NULL,
    start_offset  BIGINT NOT NULL,
    end_offset    BIGINT NOT NULL,
    rule          TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX findings_comment ON findings (comment_id);

-- Intent is recorded before the platform call and the outcome after it.
CREATE TABLE actions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id     BIGINT NOT NULL REFERENCES comments(id),
    kind           TEXT NOT NULL,
    state          TEXT NOT NULL,
    record_path    TEXT NOT NULL,
    attempts       BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (comment_id, kind)
);
CREATE INDEX actions_state ON actions (state, id);

CREATE TABLE tickets (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    state          TEXT NOT NULL,
    account_id     BIGINT NOT NULL REFERENCES accounts(id),
    comment_id     BIGINT REFERENCES comments(id),
    record_sha256  TEXT,
    permalink      TEXT,
    summary        TEXT NOT NULL,
    due_at         TEXT,
    assigned_to    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT,
    UNIQUE (comment_id, kind)
);

-- Side effects (e-mail, ticket deliveries) written in the same transaction
-- as the decision that caused them; failed items stay with their error.
CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    event    TEXT NOT NULL,
    subject  TEXT,
    detail   TEXT NOT NULL
);
