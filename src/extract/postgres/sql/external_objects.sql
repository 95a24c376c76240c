-- What the tenant's objects use from outside the tenant schemas that tenantshift does not
-- create: preflight checks that the target has each before anything changes. $1: JSON array of
-- schema names. One row per object: kind ('type', 'collation', 'access method' or 'foreign
-- server'), schema (NULL for kinds without one), name, and used_by: one tenant object that uses
-- it, for people.
--   type           user-defined types (oid >= 16384: not built in) of columns of tenant
--                  relations and composite types, of domains' and ranges' base types, and of
--                  routines' arguments and results; an array stands for its element type
--   collation      every collation but "default" of those columns and domains: even built-in
--                  ones differ between servers (initdb imports the operating system's locales)
--   access method  of tenant tables, materialized views and indexes, when not built in
--   foreign server of tenant foreign tables
-- Members of extensions are left out: the plan creates the extensions tenant objects use, or
-- refuses when it cannot (see dependencies.sql and server_extensions.sql).
WITH tenant AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), member AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), rel AS (
  SELECT c.oid, c.relkind, c.relam, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relnamespace IN (SELECT oid FROM tenant)
), typed AS (  -- (type, collation, user) triples
  SELECT a.atttypid AS typ, a.attcollation AS coll,
         r.name || '.' || pg_catalog.quote_ident(a.attname) AS used_by
    FROM rel r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid
   WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT t.typbasetype, t.typcollation, pg_catalog.format('%I.%I', n.nspname, t.typname)
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
   WHERE t.typnamespace IN (SELECT oid FROM tenant) AND t.typtype = 'd'
  UNION ALL
  SELECT rg.rngsubtype, rg.rngcollation, pg_catalog.format('%I.%I', n.nspname, t.typname)
    FROM pg_catalog.pg_range rg JOIN pg_catalog.pg_type t ON t.oid = rg.rngtypid
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
   WHERE t.typnamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT u.typ, 0, pg_catalog.format('%I.%I(%s)', n.nspname, p.proname,
                                     pg_catalog.pg_get_function_identity_arguments(p.oid))
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    CROSS JOIN LATERAL pg_catalog.unnest(
      COALESCE(p.proallargtypes, p.proargtypes::pg_catalog.oid[]) || p.prorettype) u(typ)
   WHERE p.pronamespace IN (SELECT oid FROM tenant)
), used_type AS (  -- arrays as their element type
  SELECT CASE WHEN t.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc
              THEN t.typelem ELSE t.oid END AS typ, x.used_by
    FROM typed x JOIN pg_catalog.pg_type t ON t.oid = x.typ
)
SELECT 'type' AS kind, n.nspname AS schema, t.typname AS name, pg_catalog.min(u.used_by) AS used_by
  FROM used_type u JOIN pg_catalog.pg_type t ON t.oid = u.typ
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE t.oid >= 16384 AND t.typnamespace NOT IN (SELECT oid FROM tenant)
   AND ('pg_catalog.pg_type'::pg_catalog.regclass, t.oid) NOT IN (SELECT classid, objid FROM member)
 GROUP BY n.nspname, t.typname
UNION ALL
SELECT 'collation', n.nspname, co.collname, pg_catalog.min(x.used_by)
  FROM typed x JOIN pg_catalog.pg_collation co ON co.oid = x.coll
  JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
 WHERE co.collname <> 'default' AND co.collnamespace NOT IN (SELECT oid FROM tenant)
   AND ('pg_catalog.pg_collation'::pg_catalog.regclass, co.oid)
       NOT IN (SELECT classid, objid FROM member)
 GROUP BY n.nspname, co.collname
UNION ALL
SELECT 'access method', NULL, am.amname, pg_catalog.min(r.name)
  FROM rel r JOIN pg_catalog.pg_am am ON am.oid = r.relam
 WHERE am.oid >= 16384
   AND ('pg_catalog.pg_am'::pg_catalog.regclass, am.oid) NOT IN (SELECT classid, objid FROM member)
 GROUP BY am.amname
UNION ALL
SELECT 'foreign server', NULL, s.srvname, pg_catalog.min(r.name)
  FROM rel r JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = r.oid
  JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
 GROUP BY s.srvname
 ORDER BY 1, 2, 3;
