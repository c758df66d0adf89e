-- Several nodes of the service on one database.
--
-- A node holds each job it executes by a lease: its name and the time the lease runs out,
-- renewed while the job runs (the worker renews it every half second, as it checks for an
-- abort). A job whose lease ran out was being run by a node that stopped: any node ends it
-- (queued again, or ERROR after too many starts). A node that starts again ends at once the
-- jobs its earlier life held, and only those: its neighbours' jobs run on.
ALTER TABLE uws.job ADD COLUMN lease_node text, ADD COLUMN lease_expires timestamptz;
CREATE INDEX uws_job_lease_idx ON uws.job (lease_expires) WHERE phase = 'EXECUTING';

-- Whether this transaction may do the periodic duty `name` (the release clock, a service's
-- janitor): true on the one node whose statement takes it first; the others skip their
-- turn. Held until the statement's transaction ends.
CREATE FUNCTION archive.take_duty(name text) RETURNS boolean
LANGUAGE sql VOLATILE AS $$ SELECT pg_try_advisory_xact_lock(hashtext('duty ' || name)) $$;

DROP FUNCTION uws.claim_next(text, integer);

-- As before (one claim at a time per service; among clients with fewer than `per_client`
-- jobs executing, the one with the fewest, then the oldest job), now leased to `node`.
CREATE FUNCTION uws.claim_next(for_service text, per_client integer, node text, term interval)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    claimed text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('uws.claim_next ' || for_service));
    UPDATE uws.job SET phase = 'EXECUTING', start_time = now(), attempts = attempts + 1,
                       lease_node = node, lease_expires = now() + term
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

-- Ends the executing jobs of `for_service` that no running node holds: with `of_node`, every
-- job that node held (it has just started again); without, the jobs whose lease ran out (or
-- that have none: left by a release before leases), on one node at a time (the others do
-- nothing). Each runs again, unless it was already started `max_attempts` times: then
-- ERROR, saying why. Returns (queued again, failed).
CREATE FUNCTION uws.end_lost_jobs(for_service text, of_node text, max_attempts integer,
                                  OUT requeued bigint, OUT failed bigint)
LANGUAGE plpgsql AS $$
BEGIN
    requeued := 0;
    failed := 0;
    IF of_node IS NULL AND NOT archive.take_duty('lost jobs ' || for_service) THEN
        RETURN;
    END IF;
    WITH lost AS (
        SELECT job_id FROM uws.job
        WHERE service = for_service AND phase = 'EXECUTING'
          AND CASE WHEN of_node IS NULL THEN lease_expires IS NULL OR lease_expires < now()
                   ELSE lease_node = of_node END
        FOR UPDATE SKIP LOCKED),
    ended AS (
        UPDATE uws.job j SET
            phase = CASE WHEN attempts >= max_attempts THEN 'ERROR' ELSE 'QUEUED' END,
            start_time = CASE WHEN attempts >= max_attempts THEN start_time END,
            end_time = CASE WHEN attempts >= max_attempts THEN now() END,
            error_message = CASE WHEN attempts < max_attempts THEN NULL
                WHEN of_node IS NOT NULL THEN
                    'the service restarted while this job was executing, ' || attempts
                    || ' times; it was not run again'
                ELSE 'the node ' || coalesce(quote_literal(lease_node), 'that ran it')
                    || ' stopped while this job was executing (its lease ran out at '
                    || coalesce(to_char(lease_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'once')
                    || '), ' || attempts || ' times; it was not run again'
            END,
            lease_node = NULL, lease_expires = NULL
        FROM lost WHERE j.job_id = lost.job_id
        RETURNING j.phase)
    SELECT count(*) FILTER (WHERE phase = 'QUEUED'), count(*) FILTER (WHERE phase = 'ERROR')
    INTO requeued, failed FROM ended;
END
$$;

