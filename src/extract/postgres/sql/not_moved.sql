-- Objects and properties of the tenant's schemas that tenantshift does not move yet, so that
-- plan and migrate name each one instead of dropping it silently. $1: JSON array of schema
-- names. One row per object or property: kind and name (for people, never for SQL). Extension
-- members are left out (the extension brings them). Extensions in a tenant schema are all
-- listed; the planner drops those it creates.
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
  -- extended statistics on tables are moved (statistics.sql); those on materialized views not
  UNION ALL SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, s.oid, s.stxnamespace
    FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
   WHERE c.relkind = 'm'
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
  SELECT 'extension', e.extname::text
    FROM pg_catalog.pg_extension e JOIN tenant t ON t.oid = e.extnamespace
  UNION ALL
  SELECT 'foreign table', pg_catalog.format('%I.%I', r.nspname, r.relname)
    FROM rel r WHERE r.relkind = 'f'
  UNION ALL
  -- tables' storage parameters, access methods, column properties and CLUSTER ON are moved
  -- (tables.sql, columns.sql); materialized views' and indexes' not yet
  SELECT 'storage parameters of materialized view',
         pg_catalog.format('%I.%I (%s)', r.nspname, r.relname,
                           pg_catalog.array_to_string(r.reloptions, ', '))
    FROM rel r WHERE r.relkind = 'm' AND r.reloptions IS NOT NULL
  UNION ALL
  SELECT 'materialized view access method',
         pg_catalog.format('%I.%I (%s)', r.nspname, r.relname, am.amname)
    FROM rel r JOIN pg_catalog.pg_am am ON am.oid = r.relam
   WHERE r.relkind = 'm' AND am.amname <> 'heap'
  UNION ALL
  SELECT 'column storage, compression, statistics or options',
         pg_catalog.format('%I.%I.%I', r.nspname, r.relname, a.attname)
    FROM rel r
    JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
   WHERE r.relkind IN ('m', 'i', 'I')
     AND (a.attstorage <> ty.typstorage AND r.relkind NOT IN ('i', 'I')
          OR a.attcompression <> '' OR a.attstattarget >= 0
          -- the options ALTER COLUMN ... SET takes (a server may keep others of its own)
          OR EXISTS (SELECT 1 FROM pg_catalog.unnest(a.attoptions) o
                      WHERE o LIKE 'n\_distinct%'))
  UNION ALL
  SELECT 'CLUSTER ON', pg_catalog.format('%I.%I', r.nspname, r.relname)
    FROM rel r JOIN pg_catalog.pg_index i ON i.indexrelid = r.oid
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indrelid
   WHERE i.indisclustered AND ic.relkind = 'm'
) x(kind, name)
 ORDER BY 1, 2;
