-- Partition pruning for cones, the principle behind the README's plan past one PostgreSQL:
--   psql -h $VO_DATA_DIR/pg -p $VO_DB_PORT -U postgres -d vo -f conformance/bench/partitions.sql
-- on any archive. A copy of ivoa.obscore's position columns is partitioned by the HEALPix
-- cell of each row's centre (pgSphere's healpix_nest, order 3: 768 cells, in 12 partitions,
-- one per base cell) as Citus would distribute it. A cone then needs the cells that its
-- circle, widened by the largest footprint's radius, touches: the first plan scans only their
-- partitions, the second (the pgSphere test alone) all 12. The table is dropped at the end.
\timing off
DROP TABLE IF EXISTS public.obscore_by_cell;
CREATE TABLE public.obscore_by_cell (obs_id text, healpix3 bigint, s_region_bound scircle)
  PARTITION BY RANGE (healpix3);
DO $$ BEGIN FOR b IN 0..11 LOOP
  EXECUTE format('CREATE TABLE public.obscore_cell_%s PARTITION OF public.obscore_by_cell FOR VALUES FROM (%s) TO (%s)',
                 b, b * 64, (b + 1) * 64);
END LOOP; END $$;
INSERT INTO public.obscore_by_cell
  SELECT obs_id, healpix_nest(3, center(s_region_bound)), s_region_bound FROM ivoa.obscore
  WHERE s_region_bound IS NOT NULL;
CREATE INDEX ON public.obscore_by_cell USING gist (s_region_bound);
ANALYZE public.obscore_by_cell;

-- a 0.5° cone on the first row's position (a field with data)
SELECT s_ra AS ra, s_dec AS dec FROM ivoa.obscore WHERE s_region_bound IS NOT NULL ORDER BY obs_id LIMIT 1
\gset
-- the cells that cone needs: those its circle touches once widened by the
-- largest footprint (a row centred in a neighbouring cell may reach into the cone). Here
-- sampled on the widened disc (centre, three rings of 64 points); the service would take
-- them from cdshealpix's exact cone coverage (vo-coverage).
SELECT array_agg(DISTINCT healpix_nest(3, spoint(radians(:ra) + r * cos(radians(a)) / cos(radians(:dec)),
                                                 radians(:dec) + r * sin(radians(a))))) AS cells,
       degrees(max(widened)) AS widened_deg
FROM (SELECT radians(0.5) + max(radius(s_region_bound)) AS widened FROM public.obscore_by_cell) w,
     LATERAL (SELECT widened * k / 3.0 AS r FROM generate_series(0, 3) k) rings,
     generate_series(0, 359, 360 / 64) a
\gset
\echo cone at (:ra, :dec); cells of order 3 touched once widened to :widened_deg degrees: :cells

EXPLAIN (COSTS OFF) SELECT count(*) FROM public.obscore_by_cell
 WHERE s_region_bound && scircle(spoint(radians(:ra), radians(:dec)), radians(0.5))
   AND healpix3 = ANY (:'cells'::bigint[]);
EXPLAIN (COSTS OFF) SELECT count(*) FROM public.obscore_by_cell
 WHERE s_region_bound && scircle(spoint(radians(:ra), radians(:dec)), radians(0.5));
-- the same answer either way
SELECT (SELECT count(*) FROM public.obscore_by_cell
         WHERE s_region_bound && scircle(spoint(radians(:ra), radians(:dec)), radians(0.5))
           AND healpix3 = ANY (:'cells'::bigint[]))
     = (SELECT count(*) FROM public.obscore_by_cell
         WHERE s_region_bound && scircle(spoint(radians(:ra), radians(:dec)), radians(0.5)))
       AS same_rows,
       (SELECT count(*) FROM public.obscore_by_cell
         WHERE s_region_bound && scircle(spoint(radians(:ra), radians(:dec)), radians(0.5))) AS rows_in_cone;
DROP TABLE public.obscore_by_cell;
