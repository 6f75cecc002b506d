-- Crash safety (issue 12): people are told what an action's outcome was,
-- after it happened, exactly once; a run killed mid-way is recognised and
-- its decisions reach the next digest. Keep in step with the other flavour.

-- The platform error kind of the last attempt ('unauthorized', 'malformed' …),
-- so a person is told what to do while the comment is still visible.
ALTER TABLE actions ADD COLUMN error_kind TEXT;
-- How the outcome is known: 'reply' (the platform confirmed the call),
-- 'read_back' (the comment's state was read on the platform after a crash
-- or a malformed reply), 'unverifiable' (the platform cannot tell; the
-- call was repeated).
ALTER TABLE actions ADD COLUMN verified_by TEXT;
-- The run that settled the action, for that run's digest.
ALTER TABLE actions ADD COLUMN settled_run_id BIGINT;
-- What the people concerned have been told: NULL (nothing yet), 'visible'
-- (the action failed and the comment is still public), 'settled' (the
-- outcome, done or dry run). Set in the transaction that queues the e-mail.
ALTER TABLE actions ADD COLUMN notified TEXT;
CREATE INDEX actions_unnotified ON actions (state, notified);

-- When the digests covering a run were queued; an interrupted run's
-- decisions go into the next run's digest.
ALTER TABLE poll_runs ADD COLUMN digest_queued_at TEXT;

-- After a crash between an evidence record's chain line and the decision's
-- commit, the service looks its newest records up by hash at start-up.
CREATE INDEX comments_record ON comments (record_sha256);
