-- Issue 16: the half-year report counts each account's own posts per week
-- and the comments it received in a period. Keep in step with the other
-- flavour.
CREATE INDEX posts_created ON posts (created_at, account_id);
CREATE INDEX comments_created ON comments (created_at, account_id);
