-- What the query form completes as one types: the archive's own values of the fields that
-- take names (source names, project codes, PI names, science keywords, scientific
-- categories), each with how many ObsCore rows carry it. Refreshed after every load.
CREATE MATERIALIZED VIEW archive.completion AS
SELECT 'source'::text AS field, target_name AS value, count(*) AS uses
  FROM ivoa.obscore WHERE target_name <> '' GROUP BY target_name
UNION ALL
SELECT 'project', proposal_id, count(*)
  FROM ivoa.obscore WHERE proposal_id <> '' GROUP BY proposal_id
UNION ALL
SELECT 'pi', pi_name, count(*)
  FROM ivoa.obscore WHERE pi_name <> '' GROUP BY pi_name
UNION ALL
SELECT 'keyword', trim(k), count(*)
  FROM ivoa.obscore, unnest(string_to_array(science_keyword, ',')) AS k
  WHERE trim(k) <> '' GROUP BY trim(k)
UNION ALL
SELECT 'category', scientific_category, count(*)
  FROM ivoa.obscore WHERE scientific_category <> '' GROUP BY scientific_category;

-- a prefix of the value (the field's values starting with what is typed)
CREATE INDEX completion_prefix ON archive.completion (field, lower(value) text_pattern_ops);
