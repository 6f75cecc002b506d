-- Issue 16: the daily checks e-mail each finding once, not every day. A
-- finding is open from the day a check first sees it on an account until
-- the first day it no longer does; its e-mail's idempotency key names the
-- day it opened, so a finding that clears and comes back later is mailed
-- again. Keep in step with the other flavour of this file.

CREATE TABLE check_findings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    check_name   TEXT NOT NULL,
    account_key  TEXT NOT NULL,
    opened_on    TEXT NOT NULL,
    detail       TEXT NOT NULL,
    closed_on    TEXT
);

-- At most one open finding per check and account.
CREATE UNIQUE INDEX check_findings_open ON check_findings (check_name, account_key)
    WHERE closed_on IS NULL;

-- `kommentarsvakt accounts close KEY`: the account is closing on
-- closing_date (monitored until the end of that day); once its archive
-- package is exported (package: where) closed_at is set and it is no
-- longer polled.
CREATE TABLE account_closings (
    account_key   TEXT PRIMARY KEY,
    closing_date  TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    closed_at     TEXT,
    package       TEXT
);
