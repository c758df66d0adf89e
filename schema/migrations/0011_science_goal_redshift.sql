-- The systemic redshift of a science goal's sources (its lines are observed at
-- rest / (1 + z)) and the velocity c·z it stands for, km/s (ALMA's science goals state a
-- source velocity or redshift). NULL where the archive was not told.
ALTER TABLE archive.science_goal
    ADD COLUMN redshift double precision,
    ADD COLUMN velocity_kms double precision GENERATED ALWAYS AS (redshift * 299792.458) STORED;
