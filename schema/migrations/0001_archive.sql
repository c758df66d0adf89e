-- The archive's own tables: the ALMA hierarchy project → science goal → group OUS →
-- member OUS → execution blocks, the files of each member OUS, publications and delegations.
-- Private: never exposed through TAP.

CREATE SCHEMA IF NOT EXISTS archive;

CREATE TABLE archive.project (
    code               text PRIMARY KEY
                       CHECK (code ~ '^[0-9]{4}\.[0-9A-Z]\.[0-9]{5}\.[A-Z]+$'),
    title              text NOT NULL,
    pi_name            text NOT NULL,
    pi_userid          text,
    abstract           text NOT NULL DEFAULT '',
    co_investigators   text NOT NULL DEFAULT '',
    science_keyword    text NOT NULL DEFAULT '',
    scientific_category text NOT NULL DEFAULT '',
    -- S regular, L large, T target of opportunity, V VLBI, P phased array, ...
    proposal_type      text NOT NULL,
    -- e.g. '2017.1'; the letter cycles (A, B, ...) are DDT
    proposal_cycle     text NOT NULL,
    is_ddt             boolean NOT NULL DEFAULT false,
    -- months of proprietary period; NULL means the policy default for the proposal type
    proprietary_months integer CHECK (proprietary_months >= 0)
);

CREATE TABLE archive.science_goal (
    uid          text PRIMARY KEY,
    project_code text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE,
    name         text NOT NULL
);
CREATE INDEX ON archive.science_goal (project_code);

CREATE TABLE archive.group_ous (
    uid              text PRIMARY KEY,
    science_goal_uid text REFERENCES archive.science_goal(uid) ON DELETE CASCADE,
    project_code     text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE
);
CREATE INDEX ON archive.group_ous (project_code);

CREATE TABLE archive.member_ous (
    uid             text PRIMARY KEY,
    group_ous_uid   text REFERENCES archive.group_ous(uid) ON DELETE CASCADE,
    project_code    text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE,
    array_name      text NOT NULL DEFAULT '12m' CHECK (array_name IN ('12m', '7m', 'TP')),
    schedblock_name text NOT NULL DEFAULT '',
    qa2_status      text NOT NULL DEFAULT 'Pass' CHECK (qa2_status IN ('Pass', 'SemiPass', 'Fail')),
    -- the end of the last observation: the proprietary period counts from here
    observed_until  timestamptz,
    -- when the data become public; NULL while still in QA
    release_date    timestamptz
);
CREATE INDEX ON archive.member_ous (group_ous_uid);
CREATE INDEX ON archive.member_ous (project_code);

CREATE TABLE archive.execution_block (
    uid            text PRIMARY KEY,
    member_ous_uid text NOT NULL REFERENCES archive.member_ous(uid) ON DELETE CASCADE,
    start_mjd      double precision NOT NULL,
    end_mjd        double precision NOT NULL CHECK (end_mjd >= start_mjd),
    qa0_status     text NOT NULL DEFAULT 'Pass' CHECK (qa0_status IN ('Pass', 'SemiPass', 'Fail'))
);
CREATE INDEX ON archive.execution_block (member_ous_uid);

-- Every file the archive can deliver: package tars and the files inside them.
CREATE TABLE archive.file (
    name           text PRIMARY KEY,
    member_ous_uid text NOT NULL REFERENCES archive.member_ous(uid) ON DELETE CASCADE,
    -- relative to the data directory; NULL for a file only reachable inside its package
    path           text,
    -- the package tar this file is delivered in, if any
    package_name   text REFERENCES archive.file(name) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('product-package', 'auxiliary-package', 'raw-package',
                                                 'product', 'auxiliary', 'readme', 'preview')),
    -- DataLink semantics: #this, #auxiliary, #progenitor, #documentation, #preview
    semantics      text NOT NULL,
    content_type   text NOT NULL,
    size_bytes     bigint NOT NULL CHECK (size_bytes >= 0),
    sha256         text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    description    text NOT NULL DEFAULT ''
);
CREATE INDEX ON archive.file (member_ous_uid);
CREATE INDEX ON archive.file (package_name);

CREATE TABLE archive.publication (
    bibcode      text PRIMARY KEY,
    title        text NOT NULL,
    first_author text NOT NULL,
    authors      text NOT NULL,
    abstract     text NOT NULL DEFAULT '',
    year         integer NOT NULL
);

CREATE TABLE archive.project_publication (
    project_code text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE,
    bibcode      text NOT NULL REFERENCES archive.publication(bibcode) ON DELETE CASCADE,
    PRIMARY KEY (project_code, bibcode)
);

-- A PI grants a user access to a whole project (manual §2.2); delegees cannot delegate.
CREATE TABLE archive.delegation (
    project_code text NOT NULL REFERENCES archive.project(code) ON DELETE CASCADE,
    delegee      text NOT NULL,
    granted_by   text NOT NULL,
    granted_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    PRIMARY KEY (project_code, delegee, granted_at)
);
