-- UWS jobs of several services (TAP /async, SODA /async), each with any number of results.
-- A job belongs to one service: each service lists, runs and serves only its own jobs.
ALTER TABLE uws.job ADD COLUMN service text NOT NULL DEFAULT 'tap';
ALTER TABLE uws.job ALTER COLUMN service DROP DEFAULT;

-- The results of a COMPLETED job, in the order the job produced them; the files are
-- <data dir>/jobs/<job_id>/<result_id>.
CREATE TABLE uws.result (
    job_id       text NOT NULL REFERENCES uws.job (job_id) ON DELETE CASCADE,
    position     integer NOT NULL,
    result_id    text NOT NULL CHECK (result_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' AND result_id <> 'parts'),
    content_type text NOT NULL,
    size         bigint NOT NULL,
    rows         bigint,
    PRIMARY KEY (job_id, result_id)
);

-- TAP jobs made before: their one result keeps its id and file
INSERT INTO uws.result (job_id, position, result_id, content_type, size, rows)
SELECT job_id, 0, 'result', result_content_type, coalesce(result_size, 0), result_rows
FROM uws.job WHERE result_content_type IS NOT NULL;

ALTER TABLE uws.job
    DROP COLUMN result_content_type,
    DROP COLUMN result_size,
    DROP COLUMN result_rows;

DROP INDEX uws.job_phase_idx;
DROP INDEX uws.job_owner_idx;
CREATE INDEX job_phase_idx ON uws.job (service, phase, creation_time);
CREATE INDEX job_owner_idx ON uws.job (service, owner_id, creation_time);
