-- The run that decided a comment version, so the digest of that run lists
-- it even when an earlier run fetched it and was cut off before deciding.
-- Keep in step with the other flavour of this file.

ALTER TABLE comments ADD COLUMN decided_run_id BIGINT;
UPDATE comments SET decided_run_id = run_id WHERE state = 'decided';
CREATE INDEX comments_decided_run ON comments (decided_run_id);
