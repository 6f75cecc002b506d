-- Issue 15: the language the classifier identified a comment as (a BCP 47
-- tag such as `sv` or `ar`, or `unknown`), recorded with its decision and
-- shown to moderators; NULL for comments decided before it was recorded.
-- Keep in step with the other flavour.
ALTER TABLE comments ADD COLUMN language TEXT;
