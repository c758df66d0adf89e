-- An anonymous caller's jobs are theirs through a job-owner cookie the service hands out
-- when they create one: the SHA-256 of its secret, so they can list their own jobs (and
-- nobody else's) without signing in. NULL for a signed-in user's job.
ALTER TABLE uws.job ADD COLUMN anonymous_owner text;
CREATE INDEX uws_job_anonymous_owner ON uws.job (anonymous_owner) WHERE anonymous_owner IS NOT NULL;
