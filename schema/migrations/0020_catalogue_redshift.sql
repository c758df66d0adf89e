-- The shipped catalogue's redshifts (OpenNGC gives NED's for most galaxies): the line
-- survey's third source of a source's redshift, after the PI's value and the other ALMA
-- observations of the source (manual §3.3.3).
ALTER TABLE archive.catalogue_object ADD COLUMN redshift double precision;
-- a catalogue loaded before this column is loaded again, with its redshifts
DELETE FROM archive.catalogue_source;
