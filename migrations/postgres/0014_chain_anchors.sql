-- Issue 17: the evidence chain's head, anchored outside the archive. Whoever
-- can write the archive could rebuild its chain with recomputed hashes, or
-- cut it short; `archive verify` compares the chain with the latest anchor
-- here and reports either as tampering. One row each time records were
-- appended (per decide batch). Keep in step with the other flavour.
CREATE TABLE chain_anchors (
    id BIGSERIAL PRIMARY KEY,
    anchored_at   TEXT NOT NULL,
    head_seq      BIGINT NOT NULL,
    head_sha256   TEXT NOT NULL,
    record_count  BIGINT NOT NULL
);
CREATE INDEX chain_anchors_head ON chain_anchors (head_seq);
