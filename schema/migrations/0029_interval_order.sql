-- An interval's start comes first: em_min ≤ em_max and t_min ≤ t_max (ObsCore's "start" and
-- "stop"; ingest refuses a row that has them the other way round, naming both values). The
-- ADQL translator relies on it: where an interval's range says exactly what two inclusive
-- comparisons say (a value inside the interval, an overlap), it writes the range in their
-- place (vo-adql's translate/interval.rs), which PostgreSQL then estimates right and answers
-- from the range's index alone. A NULL end passes these checks; the translator writes
-- `IS NOT NULL` for both ends beside the range.
-- An archive holding rows the other way round cannot take this migration: it names the
-- constraint; correct the rows (swap the two values), then start again.
ALTER TABLE ivoa.obscore
    ADD CONSTRAINT obscore_em_order CHECK (em_min <= em_max),
    ADD CONSTRAINT obscore_t_order CHECK (t_min <= t_max);
