-- Partition pruning for cones, the principle behind the README's plan past one PostgreSQL:
--   psql -h $VO_DATA_DIR/pg -p $VO_DB_PORT -U postgres -d vo -f conformance/bench/partitions.sql
-- on any archive. The first plan scans the 2 partitions whose bands the cone's circle covers,
-- the second (the pgSphere test alone) all 12. The table is dropped at the end.
\timing off
DROP TABLE IF EXISTS public.obscore_by_band;
-- a copy of ivoa.obscore's position columns partitioned by declination band (12 bands of 15°),
-- standing in for a HEALPix cell index at one order
CREATE TABLE public.obscore_by_band (obs_id text, s_ra float8, s_dec float8, dec_band int, s_region_bound scircle)
  PARTITION BY RANGE (dec_band);
DO $$ BEGIN FOR b IN 0..11 LOOP
  EXECUTE format('CREATE TABLE public.obscore_band_%s PARTITION OF public.obscore_by_band FOR VALUES FROM (%s) TO (%s)', b, b, b + 1);
END LOOP; END $$;
INSERT INTO public.obscore_by_band SELECT obs_id, s_ra, s_dec, least(11, floor((s_dec + 90) / 15))::int, s_region_bound FROM ivoa.obscore;
CREATE INDEX ON public.obscore_by_band USING gist (s_region_bound);
ANALYZE public.obscore_by_band;
-- a 0.5° cone at (150, -30): the translator's pgSphere test plus the bands its circle covers
EXPLAIN (COSTS OFF) SELECT count(*) FROM public.obscore_by_band
 WHERE s_region_bound && scircle(spoint(radians(150), radians(-30)), radians(0.5))
   AND dec_band = ANY (ARRAY[least(11, floor((-30.5 + 90) / 15))::int, least(11, floor((-29.5 + 90) / 15))::int]);
EXPLAIN (COSTS OFF) SELECT count(*) FROM public.obscore_by_band
 WHERE s_region_bound && scircle(spoint(radians(150), radians(-30)), radians(0.5));
DROP TABLE public.obscore_by_band;
