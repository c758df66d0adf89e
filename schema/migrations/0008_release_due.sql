-- The release clock's periodic step: only the rows still marked Proprietary whose member
-- OUS's release date has passed (found through the data_rights index), so the check costs
-- little on a large archive. archive.sync_release() stays the full reconciliation, run by
-- ingest and by the operator commands that move release dates.
CREATE FUNCTION archive.release_due() RETURNS bigint LANGUAGE sql AS $$
    WITH released AS (
        UPDATE ivoa.obscore o SET data_rights = 'Public'
        FROM archive.member_ous m
        WHERE o.data_rights = 'Proprietary' AND o.member_ous_uid = m.uid AND m.release_date <= now()
        RETURNING 1
    )
    SELECT count(*) FROM released
$$;
