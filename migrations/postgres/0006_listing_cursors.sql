-- Issue 13: connectors name their own calls and choose their own cursors.
-- Keep in step with the other flavour.

-- Where each listing of an account stands between runs (a Graph comment
-- time, X since_id, YouTube's newest id seen, LinkedIn start): opaque to
-- the store, written by the collect stage only after the items of the call
-- that produced it are stored.
CREATE TABLE listing_cursors (
    account_id  BIGINT NOT NULL REFERENCES accounts(id),
    listing     TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, listing)
);

-- The per-post comment times are not carried over: the Facebook feed
-- cursor is one time per account, and the smallest per-post time is as old
-- as the oldest post ever polled. Without a cursor the first run lists the
-- look-back window again; the versions it finds are already stored (same
-- comment id and content hash) and are not counted or decided again.
DROP TABLE comment_cursors;

-- Items a connector could not read, kept byte for byte for operations to
-- inspect (a table rather than a folder: it is backed up with the
-- database, shared by every instance on PostgreSQL, and the same broken
-- item met run after run is kept and reported once).
CREATE TABLE quarantined_items (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts(id),
    run_id       BIGINT,
    listing      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    -- 'utf8' (raw is the text as received) or 'hex' (raw is hex of bytes
    -- that were not UTF-8).
    encoding     TEXT NOT NULL,
    raw          TEXT NOT NULL,
    raw_sha256   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (account_id, raw_sha256)
);
