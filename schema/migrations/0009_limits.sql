-- Limits that keep one request or one client from pinning the service.

-- A polygon built from text when a query runs (ADQL's CAST(x AS POLYGON) of a column) has its
-- vertices counted before pgSphere builds it: building a polygon costs time quadratic in its
-- vertices inside one call that does not see a cancellation. The limit comes from the query
-- (the service's one constant), so it is written in one place.
CREATE FUNCTION archive.vertex_limit(numbers float8[], max_vertices integer) RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF coalesce(array_length(numbers, 1), 0) > 2 * max_vertices THEN
        RAISE EXCEPTION 'a polygon may have at most % vertices, this one has %',
            max_vertices, array_length(numbers, 1) / 2
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    RETURN numbers;
END
$$;

-- Jobs count against their client's quotas: a signed-in account ('account <user>'), or an
-- anonymous client's address ('address <ip or IPv6 /64>').
ALTER TABLE uws.job ADD COLUMN quota_key text NOT NULL DEFAULT 'unknown client';
ALTER TABLE uws.job ALTER COLUMN quota_key DROP DEFAULT;
UPDATE uws.job SET quota_key = 'account ' || owner_id WHERE owner_id IS NOT NULL;
-- the bytes of the uploaded tables a job keeps (its results' sizes are in uws.result, its
-- parameters' in uws.job.parameters)
ALTER TABLE uws.job ADD COLUMN parts_bytes bigint NOT NULL DEFAULT 0;
CREATE INDEX job_quota_idx ON uws.job (quota_key, phase);

-- What the jobs of one client take over every service — jobs queued or executing, jobs
-- kept, bytes kept (parameters, uploaded tables, results) — and which quota, if any, adding
-- a job, an active job or bytes would pass (NULL: none; a NULL maximum is no limit). The
-- client's quotas stay locked to the end of the calling transaction, so that the check and
-- the change it admits are one: two requests cannot both take the last place.
CREATE FUNCTION uws.admit(
    key text, adding_job boolean, adding_active boolean, adding_bytes bigint,
    max_active bigint, max_jobs bigint, max_bytes bigint,
    OUT over text, OUT active_jobs bigint, OUT jobs bigint, OUT bytes bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('uws.quota ' || key));
    SELECT count(*) FILTER (WHERE j.phase IN ('QUEUED', 'EXECUTING')), count(*),
           coalesce(sum(j.parts_bytes + octet_length(j.parameters::text)), 0)::bigint
             + coalesce((SELECT sum(r.size) FROM uws.result r JOIN uws.job k ON k.job_id = r.job_id
                         WHERE k.quota_key = key), 0)::bigint
      INTO active_jobs, jobs, bytes
      FROM uws.job j WHERE j.quota_key = key;
    over := CASE
        WHEN adding_active AND active_jobs + 1 > max_active THEN 'active_jobs'
        WHEN adding_job AND jobs + 1 > max_jobs THEN 'jobs'
        WHEN adding_bytes > 0 AND bytes + adding_bytes > max_bytes THEN 'job_bytes'
    END;
END
$$;

-- The next queued job of a service, claimed fairly: among clients with fewer than
-- `per_client` jobs executing, the client with the fewest, then its oldest job. Claims of one
-- service are taken one at a time (an advisory lock held to the end of the statement), so
-- two workers never both start a job for a client at its limit.
CREATE FUNCTION uws.claim_next(for_service text, per_client integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    claimed text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('uws.claim_next ' || for_service));
    UPDATE uws.job SET phase = 'EXECUTING', start_time = now(), attempts = attempts + 1
    WHERE job_id = (
        SELECT j.job_id
        FROM uws.job j
        CROSS JOIN LATERAL (
            SELECT count(*) AS running FROM uws.job r
            WHERE r.service = for_service AND r.phase = 'EXECUTING' AND r.quota_key = j.quota_key
        ) e
        WHERE j.service = for_service AND j.phase = 'QUEUED' AND e.running < per_client
        ORDER BY e.running, j.creation_time, j.job_id
        LIMIT 1
        FOR UPDATE OF j SKIP LOCKED)
    RETURNING job_id INTO claimed;
    RETURN claimed;
END
$$;
