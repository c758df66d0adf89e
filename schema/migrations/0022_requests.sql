-- Download requests (the Request Handler, manual §3.4): the files a visitor chose, kept with
-- their own id (the request's URL) and owner, and the e-mail to tell when they are ready.
CREATE TABLE archive.download_request (
    id           text PRIMARY KEY,
    -- the account that made it; NULL for an anonymous request (public files only)
    owner        text,
    -- the address it came from (anonymous requests are counted per address)
    client       text NOT NULL,
    email        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    ready_at     timestamptz,
    notified_at  timestamptz,
    notify_error text
);
CREATE INDEX ON archive.download_request (owner, client, created_at);

CREATE TABLE archive.download_request_file (
    request_id text NOT NULL REFERENCES archive.download_request(id) ON DELETE CASCADE,
    file_name  text NOT NULL,
    PRIMARY KEY (request_id, file_name)
);

-- The key that signs download URLs of proprietary files for their readers (one row, made by
-- the first server that needs it, shared by every server of the archive).
CREATE TABLE auth.url_signing_key (
    one_row    boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    key        bytea NOT NULL CHECK (length(key) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
