-- ALMA's own tables, served by TAP beside ivoa.obscore (columns as schema/calibrator_flux.toml
-- and schema/source_velocity.toml).
CREATE SCHEMA IF NOT EXISTS alma;

-- The Calibrator Catalogue's flux histories: one row per flux-density measurement.
CREATE TABLE alma.calibrator_flux (
    calibrator_name    text NOT NULL,
    cal_ra             double precision NOT NULL,
    cal_dec            double precision NOT NULL,
    measured_mjd       double precision NOT NULL,
    flux_band          integer NOT NULL CHECK (flux_band BETWEEN 1 AND 10),
    flux_frequency     double precision NOT NULL CHECK (flux_frequency > 0),
    flux_density       double precision NOT NULL,
    flux_density_error double precision NOT NULL CHECK (flux_density_error >= 0),
    measured_by        text NOT NULL CHECK (measured_by IN ('grid monitoring', 'execution block')),
    flux_eb_uid        text
);
CREATE INDEX ON alma.calibrator_flux (calibrator_name, measured_mjd);
CREATE INDEX ON alma.calibrator_flux (measured_mjd);

-- The systemic velocity of each member OUS's sources, from its science goal.
CREATE VIEW alma.source_velocity AS
SELECT m.uid           AS mous_uid,
       sg.uid          AS science_goal_uid,
       sg.redshift,
       sg.velocity_kms AS sys_velocity
FROM archive.member_ous m
JOIN archive.group_ous g ON g.uid = m.group_ous_uid
JOIN archive.science_goal sg ON sg.uid = g.science_goal_uid
WHERE sg.redshift IS NOT NULL;

GRANT USAGE ON SCHEMA alma TO voarchive_query;
GRANT SELECT ON ALL TABLES IN SCHEMA alma TO voarchive_query;
