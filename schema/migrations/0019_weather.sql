-- The weather of each execution block: its precipitable water vapour (mm), as the
-- observatory measures it (the demo draws it under each band's limit). The page's spectral
-- view draws the atmosphere at the median PWV of an answer's observations.
ALTER TABLE archive.execution_block ADD COLUMN pwv_mm real CHECK (pwv_mm >= 0);

-- ALMA's execution blocks, served by TAP (schema/execution_block.toml).
CREATE VIEW alma.execution_block AS
SELECT uid            AS eb_uid,
       member_ous_uid AS eb_mous_uid,
       start_mjd      AS eb_start_mjd,
       end_mjd        AS eb_end_mjd,
       qa0_status     AS eb_qa0_status,
       pwv_mm         AS eb_pwv
FROM archive.execution_block;

GRANT SELECT ON alma.execution_block TO voarchive_query;
