-- Each observation's spectral windows as an indexed set of frequency ranges (GHz). ALMA's
-- frequency constraints match the individual windows an observation observed at once, not
-- the row's own [em_min, em_max] (archive manual §3.3: "the query constraints on frequencies
-- … query against the values of the individual spectral windows"); an ObsCore row is one
-- product of one window, and frequency_support lists every window of its member OUS:
--   [112.35..114.23GHz,1952.95kHz,8mJy/beam@10km/s,360.2uJy/beam@native, XX YY] U […]
-- The ADQL function SPECTRAL_WINDOW_OVERLAPS(frequency_support, low, high) is written as
-- `spectral_windows && [low, high]` on this column (vo-adql's translate/windows.rs), and the
-- web form's frequency field uses it.
--
-- archive.spectral_windows reads the windows' [low..high GHz] out of the text; ingest refuses
-- a frequency_support it would misread, naming the window (vo-ingest's support.rs), so the
-- two agree. 5 µs a row (regexp_replace, then the ranges' input: 200,018 rows in 1.0 s,
-- against 9.7 s for a regexp_matches aggregate).
--
-- A stored, generated column rather than an index on the expression: a bitmap scan rechecks
-- every row the GiST index's bounding ranges let through (a row's windows span more than its
-- one window), and the expression would be parsed again for each; stored, it is read. It
-- is not one of ObsCore's columns (TAP_SCHEMA does not list it, `SELECT *` does not return
-- it), like s_point and s_region_bound. Generated rather than written by ingest from its own
-- reading: the 200,000-row demo loads in 34.3–34.5 s generated and 35.1–35.7 s written (the
-- ranges' input then moves into the COPY), and no writer can leave it out of step. The
-- column and its index add 4 s to that load (30.1 s without): reading the windows, the
-- wider rows, and the GiST build (1.1 s).
--
-- Adding a stored generated column rewrites the table once, holding its lock: 14 s for
-- 200,018 rows, the indexes rebuilt with it. An archive holding a frequency_support the
-- function cannot read (loaded before ingest checked them) cannot take this migration; the
-- rows are those of
--   SELECT obs_id, frequency_support FROM ivoa.obscore WHERE frequency_support !~
--     '^(\[[0-9.]+\.\.[0-9.]+GHz[^][]*\]( U \[[0-9.]+\.\.[0-9.]+GHz[^][]*\])*)?$';
-- correct them (ALMA's form: [95.06..96.94GHz,1128.91kHz,…] U […]), then start again.
CREATE FUNCTION archive.spectral_windows(support text) RETURNS archive.float8multirange
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ('{' || replace(replace(regexp_replace(support, 'GHz[^]]*', '', 'g'), '..', ','), '] U [', '],[') || '}')::archive.float8multirange;

-- A row that lists no windows (no frequency_support, or an empty one: `ingest fits` writes
-- none) has one, its own: [c/em_max, c/em_min] in GHz, when both ends are known.
ALTER TABLE ivoa.obscore ADD COLUMN spectral_windows archive.float8multirange
    GENERATED ALWAYS AS (coalesce(
        archive.spectral_windows(nullif(frequency_support, '')),
        CASE WHEN em_min > 0 AND em_max >= em_min
             THEN archive.float8multirange(archive.float8range(0.299792458 / em_max, 0.299792458 / em_min, '[]'))
        END)) STORED;

CREATE INDEX obscore_spectral_windows_idx ON ivoa.obscore USING gist (spectral_windows);
