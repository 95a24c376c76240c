-- Objects and properties of the tenant's schemas that tenantshift does not move yet, so that
-- plan and migrate name each one instead of dropping it silently. $1: JSON array of schema
-- names. One row per object or property: kind and name (for people, never for SQL). Extension
-- members are left out (the extension brings them). Extensions in a tenant schema are moved
-- (tenant_extensions.sql).
WITH tenant AS (
  SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), member AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), rel AS (
  SELECT c.oid, c.relkind, c.reloptions, c.relam, t.nspname, c.relname
    FROM pg_catalog.pg_class c JOIN tenant t ON t.oid = c.relnamespace
), named AS (
  -- Objects of kinds that pg_identify_object names well ("collation", "statistics object").
  -- operators, operator families and classes, conversions, text search parsers and templates
  -- are moved (operators.sql), and so are text search dictionaries and configurations
  -- (text_search.sql)
  SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass AS classid, oid, collnamespace AS nsp
    FROM pg_catalog.pg_collation
  -- extended statistics on tables, foreign tables and materialized views are moved
  -- (statistics.sql)
)
SELECT x.kind, x.name FROM (
  SELECT i.type, i.identity
    FROM named o JOIN tenant t ON t.oid = o.nsp
    CROSS JOIN LATERAL pg_catalog.pg_identify_object(o.classid, o.oid, 0) i
   WHERE (o.classid, o.oid) NOT IN (SELECT classid, objid FROM member)
  UNION ALL
  SELECT CASE ty.typtype WHEN 'r' THEN 'range type' WHEN 'm' THEN 'multirange type'
                         WHEN 'p' THEN 'pseudo-type' ELSE 'base type' END,
         pg_catalog.format('%I.%I', t.nspname, ty.typname)
    FROM pg_catalog.pg_type ty JOIN tenant t ON t.oid = ty.typnamespace
   WHERE ty.typtype IN ('b', 'r', 'm', 'p')
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = ty.oid)
     -- range types are moved (their multirange comes with them), but not with a canonical
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_range rg
                      WHERE (rg.rngtypid = ty.oid OR rg.rngmultitypid = ty.oid)
                        AND rg.rngcanonical = 0)
     AND (ty.tableoid, ty.oid) NOT IN (SELECT classid, objid FROM member)
  UNION ALL
  -- tables' and materialized views' storage parameters, access methods, column properties and
  -- CLUSTER ON are moved (tables.sql, columns.sql, views.sql, matview_properties.sql), and the
  -- statistics targets of indexes no constraint owns (index_statistics.sql); those of a
  -- constraint's index not yet
  SELECT 'statistics target of a constraint index column',
         pg_catalog.format('%I.%I.%s', r.nspname, r.relname, a.attnum)
    FROM rel r
    JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0
    JOIN pg_catalog.pg_constraint co ON co.conindid = r.oid AND co.contype IN ('p', 'u', 'x')
   WHERE r.relkind IN ('i', 'I') AND a.attstattarget >= 0
) x(kind, name)
 ORDER BY 1, 2;
