-- Extended statistics objects of the tenant schemas on the tenant's tables, foreign tables and
-- materialized views. $1: JSON array of schema names. statistics: the
-- SET STATISTICS target, NULL for the default.
SELECT s.stxrelid AS table_oid, n.nspname AS schema, s.stxname AS name,
       pg_catalog.pg_get_userbyid(s.stxowner) AS owner,
       pg_catalog.pg_get_statisticsobjdef(s.oid) AS definition,
       CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget END AS statistics,
       pg_catalog.obj_description(s.oid, 'pg_statistic_ext') AS comment
  FROM pg_catalog.pg_statistic_ext s
  JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
  JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('r', 'p', 'f', 'm')
 ORDER BY n.nspname, s.stxname;
