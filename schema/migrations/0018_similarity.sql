-- Similar projects and similar images (manual §3.3.3 and §3.5), filled by the server.

-- Each project's most similar projects by text (BM25 "more like this" over title, abstract,
-- science keywords and category), computed when the project is indexed; served by TAP as
-- alma.similar_project (schema/similar_project.toml).
CREATE TABLE alma.similar_project (
    proposal_code   text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE,
    similar_rank    integer NOT NULL CHECK (similar_rank >= 1),
    similar_proposal_code    text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE,
    similarity      double precision NOT NULL,
    PRIMARY KEY (proposal_code, similar_rank)
);
CREATE INDEX ON alma.similar_project (similar_proposal_code);

-- The morphology of every released science image (a continuum image, or a cube's peak map,
-- moment 8): its feature vector (vo-similarity's `features`, rotation-, flip-, shift- and
-- scale-invariant) and a 32 x 32 thumbnail (one byte per pixel, 0 blank), made by the server
-- from the file. Not served by TAP: the similarity endpoint ranks them.
CREATE TABLE archive.image_feature (
    name           text PRIMARY KEY REFERENCES archive.file(name) ON DELETE CASCADE,
    member_ous_uid text NOT NULL REFERENCES archive.member_ous(uid) ON DELETE CASCADE,
    -- 'continuum' (an image of one channel) or 'peak' (a cube's largest value per pixel)
    plane          text NOT NULL CHECK (plane IN ('continuum', 'peak')),
    -- NULL when nothing in the image rises above its noise (then it is never ranked)
    features       real[],
    -- which definition of the features measured it (vo-similarity's FEATURES_VERSION): rows
    -- of another are measured again
    features_version integer NOT NULL,
    thumbnail      bytea NOT NULL,
    -- the file's checksum when measured: a file replaced since is measured again
    file_sha256    text,
    measured_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON archive.image_feature (member_ous_uid);

GRANT SELECT ON alma.similar_project TO voarchive_query;
