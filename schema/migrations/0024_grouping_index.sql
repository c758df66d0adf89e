-- Counting by the columns clients group by (band, product type, rights, category…) without
-- reading the 2 kB rows: each has a B-tree, and the pair grouped most (band_list with
-- dataproduct_type) one of its own, so that PostgreSQL answers from the index alone once
-- the table's visibility map is set (every load ends with VACUUM). Measured in
-- conformance/bench/aggregates.sh.
CREATE INDEX obscore_band_list_dataproduct_type_idx ON ivoa.obscore (band_list, dataproduct_type);
