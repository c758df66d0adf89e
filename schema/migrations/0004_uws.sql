-- UWS 1.1 jobs (TAP /async): one row per job; results and uploaded tables live on disk
-- under <data dir>/jobs/<job_id>/.
CREATE SCHEMA uws;

CREATE TABLE uws.job (
    job_id              text PRIMARY KEY,
    run_id              text,
    owner_id            text,
    phase               text NOT NULL CHECK (phase IN ('PENDING', 'QUEUED', 'EXECUTING', 'COMPLETED', 'ERROR', 'ABORTED', 'UNKNOWN', 'HELD', 'SUSPENDED', 'ARCHIVED')),
    creation_time       timestamptz NOT NULL DEFAULT now(),
    start_time          timestamptz,
    end_time            timestamptz,
    execution_duration  integer NOT NULL,
    destruction         timestamptz NOT NULL,
    -- [[name, value], ...] in the order received
    parameters          jsonb NOT NULL,
    error_message       text,
    result_content_type text,
    result_size         bigint,
    result_rows         bigint,
    -- how often execution was started (a restart re-runs executing jobs)
    attempts            integer NOT NULL DEFAULT 0
);

CREATE INDEX job_phase_idx ON uws.job (phase, creation_time);
CREATE INDEX job_destruction_idx ON uws.job (destruction);
CREATE INDEX job_owner_idx ON uws.job (owner_id, creation_time);
