-- Records management (postgres flavour; keep in step with the other back end):
-- legal holds, culling protocols (gallringsprotokoll), and how a ticket
-- ended (e.g. the comment was restored by a moderator).

-- A legal hold keeps a comment, or every comment on an account, from being
-- culled, whatever the retention rules say. Released holds are kept.
CREATE TABLE legal_holds (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'account' or 'comment'
    scope           TEXT NOT NULL,
    -- the account key or the platform comment id
    subject         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    placed_by       TEXT NOT NULL,
    placed_at       TEXT NOT NULL,
    released_by     TEXT,
    released_at     TEXT,
    release_reason  TEXT
);
CREATE INDEX legal_holds_subject ON legal_holds (scope, subject);

-- One row per culling protocol written to the archive.
CREATE TABLE cullings (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    culled_at        TEXT NOT NULL,
    culled_by        TEXT NOT NULL,
    protocol_path    TEXT NOT NULL UNIQUE,
    protocol_sha256  TEXT NOT NULL,
    records          BIGINT NOT NULL
);

