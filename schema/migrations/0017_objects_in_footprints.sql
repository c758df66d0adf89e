-- Object types (manual §3.2): the shipped catalogue's objects (OpenNGC, loaded by the server
-- from its file), and for each observation the objects inside its footprint, scored by how
-- well each matches what the PI observed.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE archive.catalogue_object (
    name             text PRIMARY KEY,
    object_type      text NOT NULL,
    type_description text NOT NULL,
    ra               double precision NOT NULL,
    dec              double precision NOT NULL,
    pos              spoint NOT NULL,
    -- its name and aliases, for comparing with the PI's source name
    names            text[] NOT NULL
);
CREATE INDEX catalogue_object_pos_idx ON archive.catalogue_object USING gist (pos);

-- Which catalogue file the table holds (its SHA-256), so that servers load it once.
CREATE TABLE archive.catalogue_source (
    one_row   boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    sha256    text NOT NULL,
    objects   integer NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

-- A name as compared for scoring: lower case, letters, digits and signs only, numbers
-- without leading zeros (`NGC 0253` → `ngc253`).
CREATE FUNCTION archive.name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(regexp_replace(lower(name), '[^a-z0-9+-]', '', 'g'),
                          '(^|[^0-9])0+([0-9])', '\1\2', 'g')
$$;

-- Each observation's objects: inside its footprint (a piece and none of its holes).
-- score = 0.6 × (1 − separation from the PI's position / footprint radius)
--       + 0.4 × the best trigram similarity of the PI's source name with the object's names;
-- the highest score of an observation is its best match.
CREATE TABLE alma.object_in_footprint (
    footprint_obs_id text NOT NULL REFERENCES ivoa.obscore(obs_id) ON DELETE CASCADE ON UPDATE CASCADE,
    object_name      text NOT NULL,
    object_type      text NOT NULL,
    type_description text NOT NULL,
    separation       double precision NOT NULL,
    score            double precision NOT NULL,
    best_match       smallint NOT NULL CHECK (best_match IN (0, 1)),
    PRIMARY KEY (footprint_obs_id, object_name)
);
CREATE INDEX object_in_footprint_type_idx ON alma.object_in_footprint (object_type, best_match);
CREATE INDEX object_in_footprint_name_idx ON alma.object_in_footprint (object_name);

-- Finds the objects of these observations again (all of them when ids is NULL).
CREATE FUNCTION archive.match_objects(ids text[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    found bigint;
BEGIN
    DELETE FROM alma.object_in_footprint WHERE ids IS NULL OR footprint_obs_id = ANY (ids);
    INSERT INTO alma.object_in_footprint
    SELECT obs_id, name, object_type, type_description, separation, score,
           (rank() OVER (PARTITION BY obs_id ORDER BY score DESC, name) = 1)::int
    FROM (
        SELECT o.obs_id, c.name, c.object_type, c.type_description,
               degrees(c.pos <-> o.s_point) * 3600 AS separation,
               0.6 * greatest(0, 1 - (c.pos <-> o.s_point) / nullif(radius(o.s_region_bound), 0))
                 + 0.4 * coalesce((SELECT max(similarity(archive.name_key(o.target_name), archive.name_key(n)))
                                   FROM unnest(c.names) AS n), 0) AS score
        FROM ivoa.obscore o
        JOIN archive.catalogue_object c ON c.pos @ o.s_region_bound
        WHERE (ids IS NULL OR o.obs_id = ANY (ids))
          AND EXISTS (SELECT 1 FROM archive.obscore_footprint f
                      WHERE f.obs_id = o.obs_id AND f.hole_of IS NULL
                        AND (c.pos @ f.circle OR c.pos @ f.polygon))
          AND NOT EXISTS (SELECT 1 FROM archive.obscore_footprint h
                          WHERE h.obs_id = o.obs_id AND h.hole_of IS NOT NULL
                            AND (c.pos @ h.circle OR c.pos @ h.polygon))
    ) AS scored;
    GET DIAGNOSTICS found = ROW_COUNT;
    RETURN found;
END
$$;

GRANT SELECT ON alma.object_in_footprint TO voarchive_query;
