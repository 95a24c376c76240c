-- What the tenant's objects need to exist before them, from pg_depend. $1: JSON array of schema
-- names. One row per (dependent, referenced) pair.
-- The dependent is named by catalog and oid, as the other queries return them:
--   pg_class   a table (for its column types, defaults, CHECKs and index expressions), a view or
--              a materialized view (for its query: recorded on its "_RETURN" rule)
--   pg_proc    a function, procedure or aggregate
--   pg_type    a domain (for its default and CHECKs) or a composite type
--   pg_trigger, pg_rewrite   a trigger or a rule
-- The referenced object is named by kind ('table', 'view', 'matview', 'routine', 'type' or
-- 'extension'), schema and name (args: a routine's identity arguments). An array type stands for
-- its element type, a relation's row type for the relation, and an extension's member for the
-- extension. Objects in system schemas are left out.
-- Written as one join per catalog (not a lateral lookup per pg_depend row) so that it stays
-- cheap, and below the JIT threshold, on large catalogs.
WITH tenant AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), d AS NOT MATERIALIZED (
  -- Inlined into each branch below: each then reads pg_depend for its own classid, with row
  -- estimates the planner can trust (a materialized CTE is estimated at a few hundred rows, so
  -- the planner chose nested loops of one index probe per row: 50,000 at 10,000 tables).
  SELECT classid, objid, refclassid, refobjid FROM pg_catalog.pg_depend
   WHERE deptype IN ('n', 'a')
), dep AS (
  SELECT CASE WHEN r.rulename = '_RETURN' THEN 'pg_class' ELSE 'pg_rewrite' END AS catalog,
         CASE WHEN r.rulename = '_RETURN' THEN r.ev_class ELSE r.oid END AS oid,
         d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
    JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
   WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
     AND c.relnamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT 'pg_proc', p.oid, d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_proc p ON p.oid = d.objid
   WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
     AND p.pronamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT 'pg_class', c.oid, d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_attrdef ad ON ad.oid = d.objid
    JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
   WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
     AND c.relnamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT CASE WHEN co.conrelid <> 0 THEN 'pg_class' ELSE 'pg_type' END,
         CASE WHEN co.conrelid <> 0 THEN co.conrelid ELSE co.contypid END,
         d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_constraint co ON co.oid = d.objid
   WHERE d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
     AND co.connamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT 'pg_class', COALESCE(i.indrelid, c.oid), d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_class c ON c.oid = d.objid
    LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
     AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I')
     AND c.relnamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT 'pg_type', t.oid, d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_type t ON t.oid = d.objid
   WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
     AND t.typnamespace IN (SELECT oid FROM tenant)
  UNION ALL
  SELECT 'pg_trigger', tg.oid, d.refclassid, d.refobjid
    FROM d JOIN pg_catalog.pg_trigger tg ON tg.oid = d.objid
    JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
   WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
     AND c.relnamespace IN (SELECT oid FROM tenant)
), ref AS (
  -- The referenced object, with array types and relation row types resolved.
  SELECT DISTINCT dep.catalog, dep.oid,
         CASE WHEN rc.relkind IS NOT NULL AND rc.relkind <> 'c'
              THEN 'pg_catalog.pg_class'::pg_catalog.regclass
              ELSE dep.refclassid END AS refclassid,
         CASE WHEN rc.relkind IS NOT NULL AND rc.relkind <> 'c' THEN rc.oid
              WHEN t.oid IS NOT NULL THEN t.oid
              ELSE dep.refobjid END AS refobjid
    FROM dep
    LEFT JOIN pg_catalog.pg_type a
           ON dep.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND a.oid = dep.refobjid
    LEFT JOIN pg_catalog.pg_type t
           ON t.oid = CASE WHEN a.typelem <> 0 AND a.typlen = -1 THEN a.typelem ELSE a.oid END
    LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid
), member AS (
  SELECT ref.catalog, ref.oid, ref.refclassid, ref.refobjid, m.refobjid AS extension
    FROM ref
    LEFT JOIN pg_catalog.pg_depend m
           ON m.classid = ref.refclassid AND m.objid = ref.refobjid AND m.deptype = 'e'
)
SELECT DISTINCT x.catalog AS dependent_catalog, x.oid AS dependent_oid,
       x.kind AS ref_kind, x.schema AS ref_schema, x.name AS ref_name, x.args AS ref_args
  FROM (
    SELECT member.catalog, member.oid, 'extension', en.nspname, e.extname, NULL
      FROM member JOIN pg_catalog.pg_extension e ON e.oid = member.extension
      JOIN pg_catalog.pg_namespace en ON en.oid = e.extnamespace
    UNION ALL
    SELECT member.catalog, member.oid,
           CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview' ELSE 'table' END,
           n.nspname, c.relname, NULL
      FROM member JOIN pg_catalog.pg_class c ON c.oid = member.refobjid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE member.extension IS NULL
       AND member.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
       AND c.relkind IN ('r', 'p', 'v', 'm')
       AND NOT (member.catalog = 'pg_class' AND member.oid = c.oid)
    UNION ALL
    SELECT member.catalog, member.oid, 'routine', n.nspname, p.proname,
           pg_catalog.pg_get_function_identity_arguments(p.oid)
      FROM member JOIN pg_catalog.pg_proc p ON p.oid = member.refobjid
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     WHERE member.extension IS NULL
       AND member.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
       AND NOT (member.catalog = 'pg_proc' AND member.oid = p.oid)
    UNION ALL
    SELECT member.catalog, member.oid, 'type', n.nspname, t.typname, NULL
      FROM member JOIN pg_catalog.pg_type t ON t.oid = member.refobjid
      JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     WHERE member.extension IS NULL
       AND member.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
       AND NOT (member.catalog = 'pg_type' AND member.oid = t.oid)
  ) x(catalog, oid, kind, schema, name, args)
 WHERE x.schema NOT IN ('pg_catalog', 'information_schema', 'pg_toast') OR x.kind = 'extension'
 ORDER BY 1, 2, 3, 4, 5, 6;
