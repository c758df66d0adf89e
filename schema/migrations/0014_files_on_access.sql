-- Files made on first access. A generated archive too large to write when it is loaded (the
-- demo at a million rows) registers its files in archive.file with their names and sizes,
-- and lists here the member OUSes whose files are not written yet; the server makes a
-- member OUS's files when they are first asked for, records their checksums and sets
-- made_at.
CREATE TABLE archive.files_on_access (
    member_ous_uid text PRIMARY KEY REFERENCES archive.member_ous(uid) ON DELETE CASCADE,
    made_at        timestamptz
);

-- How the demo archive in this database was generated: its files are made again from these.
CREATE TABLE archive.demo_origin (
    one_row        boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    seed           bigint NOT NULL,
    rows           bigint NOT NULL CHECK (rows >= 0),
    file_mous      bigint NOT NULL CHECK (file_mous >= 0),
    small_files    text NOT NULL CHECK (small_files IN ('written', 'on-first-access', 'none')),
    reference_time timestamptz NOT NULL,
    public_url     text NOT NULL
);
