-- Case tickets that moderators act on (issue 5): who closed a ticket and
-- why, and which reply by the account answered a question ticket.
-- Keep in step with the other flavour of this file.

ALTER TABLE tickets ADD COLUMN closed_by TEXT;
ALTER TABLE tickets ADD COLUMN close_note TEXT;
ALTER TABLE tickets ADD COLUMN answered_by_comment TEXT;

CREATE INDEX tickets_state_kind ON tickets (state, kind);
CREATE INDEX comments_parent ON comments (account_id, parent_platform_id);
CREATE INDEX poll_run_accounts_account ON poll_run_accounts (account_id, run_id);
