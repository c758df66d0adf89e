-- The archive's IVOA registry records (vo-registry), as the OAI-PMH publishing registry
-- serves them: each with the time its content last changed (OAI-PMH's datestamp, VOResource's
-- `updated`), so harvesters that ask `from` a date get what changed since. A record no
-- longer published stays, marked deleted (OAI-PMH's deletedRecord "persistent").
CREATE TABLE archive.registry_record (
    ivoid       text PRIMARY KEY,
    xsi_type    text NOT NULL,
    -- ri:Resource, dated
    resource    text NOT NULL,
    -- oai_dc:dc
    dublin_core text NOT NULL,
    -- a digest of the content without its dates: the record changed when this did
    fingerprint text NOT NULL,
    created     timestamptz NOT NULL,
    updated     timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false
);

-- harvests walk the records in datestamp order
CREATE INDEX registry_record_updated_idx ON archive.registry_record (updated, ivoid);
