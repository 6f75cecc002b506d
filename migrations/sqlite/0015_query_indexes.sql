-- Issue 17: two queries that grew slow with a year of history (800
-- accounts, about ten million comment versions). Keep in step with the
-- other flavour of this file.

-- The per-run digest counts each account's new comments by run
-- (`store::run_new_comment_counts_sql`): without it, a full scan
-- of comments after every run.
CREATE INDEX comments_run ON comments (run_id);

-- The open tickets, newest first (`store::tickets_sql(false)`):
-- only tickets not done, in id order, so the list reads the few open
-- tickets instead of every ticket ever closed.
CREATE INDEX tickets_open ON tickets (id) WHERE state <> 'done';
