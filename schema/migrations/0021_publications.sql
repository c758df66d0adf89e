-- alma.publication (schema/publication.toml): the publications that use the archive's data,
-- one row per bibcode with the projects whose data they use, for the page's Publications
-- tab and for TAP. Column names are not ObsCore's (ALminer indexes TAP_SCHEMA.columns by name
-- alone), hence publication_title, lead_author, author_list and year_published.
CREATE VIEW alma.publication AS
SELECT p.bibcode,
       p.title                               AS publication_title,
       p.first_author                        AS lead_author,
       p.authors                             AS author_list,
       rtrim(substr(p.bibcode, 5, 5), '.')   AS journal,
       p.year                                AS year_published,
       (SELECT string_agg(pp.project_code, ' ' ORDER BY pp.project_code)
        FROM archive.project_publication pp WHERE pp.bibcode = p.bibcode) AS proposal_codes
FROM archive.publication p;

GRANT SELECT ON alma.publication TO voarchive_query;
