-- Indexes that earn their keep.
--
-- Counting by the columns clients group by (band, product type, rights, category…) without
-- reading the 2 kB rows: each has a B-tree, and the pair grouped most (band_list with
-- dataproduct_type) one of its own, so that PostgreSQL answers from the index alone once
-- the table's visibility map is set (every load ends with VACUUM). Measured in
-- conformance/bench/queries.sh.
CREATE INDEX obscore_band_list_dataproduct_type_idx ON ivoa.obscore (band_list, dataproduct_type);

-- Indexes no query uses, which every load paid for: the footprints' pieces are always
-- reached by obs_id (after the GiST-indexed bound of the row: see vo-adql's geometry), never
-- searched by shape — and building a GiST index of pgSphere polygons was the slowest step of
-- a load (9 s of 34 for 100,000 rows); obs_id's UNIQUE constraint already has its B-tree.
DROP INDEX archive.obscore_footprint_circle_idx;
DROP INDEX archive.obscore_footprint_polygon_idx;
DROP INDEX ivoa.obscore_obs_id_idx;
