-- Issue 13: rate limits are a budget the service plans with, kept across
-- runs and restarts. Keep in step with the other flavour.

-- One row per platform, subject and budget. `subject` is an account's key,
-- or '*' for what the platform counts per app (YouTube's daily quota of
-- the Google project, Graph's X-App-Usage). `budget` names the count:
--   youtube_units  units spent on the Pacific day `window_start`;
--   hide_calls     X hide/unhide calls, their times in `spent_at`
--                  (space-separated), counted over 15 minutes;
--   usage          the platform's own usage headers as last read: `used`
--                  the highest percentage or the calls remaining,
--                  `reported` the headers verbatim, `window_start` the
--                  reset time the platform named;
--   retry_after    `not_before`: no call to the subject before this instant.
CREATE TABLE rate_budgets (
    platform      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    budget        TEXT NOT NULL,
    window_start  TEXT,
    used          BIGINT NOT NULL DEFAULT 0,
    spent_at      TEXT NOT NULL DEFAULT '',
    not_before    TEXT,
    reported      TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (platform, subject, budget)
);
