-- ObsCore's intervals as GiST-indexed ranges: spectral [em_min, em_max] and temporal
-- [t_min, t_max], indexed as the range of each row's two ends. The ADQL translator adds
-- `<that range> && archive.float8range(lo, hi, '[]')` to a conjunction that bounds both
-- ends of a narrow interval with literals (a frequency inside the windows, a band
-- overlapping them, a date inside the observations: what ALMA's frequency and date
-- constraints, SIA2 BAND/TIME and the web form send), so PostgreSQL searches one index
-- instead of two half-selective B-trees, and estimates the rows from the range's statistics
-- (ANALYZE gathers them for the index's expression). An index on the expression, not a
-- stored column: a stored range would sit after ALMA's 71 columns, and a sequential scan
-- would decode every row to reach it (measured: twice the time of the expression).
-- The expression must stay exactly the translator's (vo-adql's translate/interval.rs): the
-- ends in either order, a NULL end ignored (the comparisons the translator keeps decide).
-- PostgreSQL has no range of doubles built in: this is the one its manual defines.
CREATE TYPE archive.float8range AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE INDEX obscore_em_range_idx ON ivoa.obscore
    USING gist (archive.float8range(LEAST(em_min, em_max), GREATEST(em_min, em_max), '[]'));
CREATE INDEX obscore_t_range_idx ON ivoa.obscore
    USING gist (archive.float8range(LEAST(t_min, t_max), GREATEST(t_min, t_max), '[]'));
