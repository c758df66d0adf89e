-- Access to proprietary data (manual §2.2, §3.1): accounts, their bearer tokens, the release
-- policy, and the role queries run as. Metadata stay public; files of a member OUS before its
-- release date go only to the project's PI (archive.project.pi_userid), the users the PI
-- delegates (archive.delegation) and archive staff.

CREATE SCHEMA auth;

-- Accounts: passwords only as argon2id hashes (PHC strings).
CREATE TABLE auth.account (
    user_id             text PRIMARY KEY CHECK (user_id ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    full_name           text NOT NULL DEFAULT '',
    email               text NOT NULL DEFAULT '',
    password_hash       text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    is_staff            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens, stored as the SHA-256 of the token; they expire.
CREATE TABLE auth.token (
    token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    user_id      text NOT NULL REFERENCES auth.account (user_id) ON DELETE CASCADE,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX token_user_idx ON auth.token (user_id);
CREATE INDEX token_expiry_idx ON auth.token (expires_at);

-- A delegation is to an account, and goes with it.
ALTER TABLE archive.delegation ADD CONSTRAINT delegation_delegee_fk
    FOREIGN KEY (delegee) REFERENCES auth.account (user_id) ON DELETE CASCADE;

-- One active delegation per project and delegee; revoked ones stay as history.
CREATE UNIQUE INDEX delegation_active_idx ON archive.delegation (project_code, delegee)
    WHERE revoked_at IS NULL;
CREATE INDEX delegation_delegee_idx ON archive.delegation (delegee);

-- The release policy (manual §3.1): data are proprietary for 12 months after the member
-- OUS's last observation, for every proposal type (regular, large, …) except DDT, which has
-- none — unless the project records its own period (proprietary_months, an exception).
CREATE FUNCTION archive.policy_release_date(project text, observed_until timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT observed_until + make_interval(months => coalesce(p.proprietary_months,
                                                             CASE WHEN p.is_ddt THEN 0 ELSE 12 END))
    FROM archive.project p WHERE p.code = project
$$;

-- Whether a user may fetch a project's proprietary data: staff, its PI, or an active delegee.
CREATE FUNCTION archive.may_read(project text, user_name text)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT user_name IS NOT NULL AND (
        EXISTS (SELECT 1 FROM auth.account a WHERE a.user_id = user_name AND a.is_staff)
        OR EXISTS (SELECT 1 FROM archive.project p WHERE p.code = project AND p.pi_userid = user_name)
        OR EXISTS (SELECT 1 FROM archive.delegation d
                   WHERE d.project_code = project AND d.delegee = user_name AND d.revoked_at IS NULL))
$$;

-- Keeps ivoa.obscore's obs_release_date and data_rights equal to what the archive tables
-- say, so data become public on their release date with no manual step (the server runs
-- this at start and then periodically). Returns the rows changed.
CREATE FUNCTION archive.sync_release() RETURNS bigint LANGUAGE sql AS $$
    WITH wanted AS (
        SELECT m.uid,
               to_char(m.release_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS release_text,
               CASE WHEN m.release_date <= now() THEN 'Public' ELSE 'Proprietary' END AS rights
        FROM archive.member_ous m WHERE m.release_date IS NOT NULL
    ), changed AS (
        UPDATE ivoa.obscore o SET obs_release_date = w.release_text, data_rights = w.rights
        FROM wanted w
        WHERE o.member_ous_uid = w.uid
          AND (o.obs_release_date IS DISTINCT FROM w.release_text OR o.data_rights <> w.rights)
        RETURNING 1
    )
    SELECT count(*) FROM changed
$$;

-- The role TAP, SIA2 and DataLink queries run as (SET LOCAL ROLE): it reads the published
-- tables and the footprints ADQL geometry needs, may create temporary tables for uploads,
-- and nothing else — not the archive's private tables, accounts, tokens or delegations.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'voarchive_query') THEN
        CREATE ROLE voarchive_query NOLOGIN;
    END IF;
END
$$;
GRANT voarchive_query TO CURRENT_USER;
DO $$
BEGIN
    EXECUTE format('GRANT TEMPORARY, CONNECT ON DATABASE %I TO voarchive_query', current_database());
END
$$;
REVOKE ALL ON SCHEMA archive, auth, uws FROM voarchive_query;
GRANT USAGE ON SCHEMA ivoa, tap_schema TO voarchive_query;
GRANT SELECT ON ALL TABLES IN SCHEMA ivoa, tap_schema TO voarchive_query;
-- and tables later migrations publish there
ALTER DEFAULT PRIVILEGES IN SCHEMA ivoa, tap_schema GRANT SELECT ON TABLES TO voarchive_query;
GRANT USAGE ON SCHEMA archive TO voarchive_query;
GRANT SELECT ON archive.obscore_footprint TO voarchive_query;
