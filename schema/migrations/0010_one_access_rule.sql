-- One rule for who may read which projects' proprietary data (manual §2.2): archive staff
-- all of them; anyone else the projects they are PI of and those a PI delegated to them
-- (not revoked). `archive.reader_grants` is the rule; `archive.may_read` asks it about one
-- project, and the server loads a reader's grants once per request with it, so a listing
-- of many files costs one query and no other code spells the rule.
CREATE FUNCTION archive.reader_grants(user_name text, OUT staff boolean, OUT projects text[])
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT a.is_staff FROM auth.account a WHERE a.user_id = user_name), false),
           ARRAY(SELECT p.code FROM archive.project p WHERE p.pi_userid = user_name
                 UNION
                 SELECT d.project_code FROM archive.delegation d
                 WHERE d.delegee = user_name AND d.revoked_at IS NULL)
$$;

CREATE OR REPLACE FUNCTION archive.may_read(project text, user_name text)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT user_name IS NOT NULL AND (g.staff OR project = ANY (g.projects))
    FROM archive.reader_grants(user_name) g
$$;
