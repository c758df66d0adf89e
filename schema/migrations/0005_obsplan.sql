-- ivoa.obsplan (ObsLocTAP 1.0): one row per execution block, with the pointing and spectral
-- setup of its member OUS taken from that OUS's first ObsCore row. Columns as schema/obsplan.toml.

CREATE VIEW ivoa.obsplan AS
SELECT
    eb.end_mjd                          AS t_planning,
    o.target_name,
    eb.uid                              AS obs_id,
    o.obs_collection,
    o.s_ra,
    o.s_dec,
    o.s_fov,
    o.s_region,
    o.s_resolution,
    eb.start_mjd                        AS t_min,
    eb.end_mjd                          AS t_max,
    (eb.end_mjd - eb.start_mjd) * 86400 AS t_exptime,
    o.t_resolution,
    o.em_min,
    o.em_max,
    o.em_res_power,
    o.o_ucd,
    o.pol_states,
    o.pol_xel,
    o.facility_name,
    o.instrument_name,
    (eb.end_mjd - eb.start_mjd) * 86400 AS t_plan_exptime,
    'Other'::text                       AS category,
    1                                   AS priority,
    'Performed'::text                   AS execution_status,
    'Sidereal'::text                    AS tracking_type,
    eb.member_ous_uid
FROM archive.execution_block eb
JOIN LATERAL (
    SELECT * FROM ivoa.obscore c
    WHERE c.member_ous_uid = eb.member_ous_uid
    ORDER BY c.obs_id
    LIMIT 1
) o ON true;
