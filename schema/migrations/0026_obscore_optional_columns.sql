-- ObsCore 1.1's optional columns that federated queries select, after ALMA's 71 (ALMA's
-- names and order stay; SELECT * gains these at its end). Their metadata is in
-- schema/obscore.toml.
--   obs_creator_did      the creator's identifier of the dataset (ALMA has none: NULL)
--   target_class         the class of the target, in SIMBAD's object types
--   dataproduct_subtype  the kind of product, from ALMA's file names (cube.I.pbcor, …)
--   s_pixel_scale        the pixel's side on the sky (arcsec)
--   em_ucd               what the spectral axis measures (em.freq for ALMA)
--   preview              a preview image of the product (the preview service's URL)
--   source_table         the table the row comes from, for archives that publish
--                        ObsCore as a view (NULL here: the rows live in ivoa.obscore)
ALTER TABLE ivoa.obscore
    ADD COLUMN obs_creator_did     text,
    ADD COLUMN target_class        text,
    ADD COLUMN dataproduct_subtype text,
    ADD COLUMN s_pixel_scale       double precision CHECK (s_pixel_scale > 0),
    ADD COLUMN em_ucd              text,
    ADD COLUMN preview             text,
    ADD COLUMN source_table        text;
