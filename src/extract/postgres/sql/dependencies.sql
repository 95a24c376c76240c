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
WITH dep AS (
  SELECT DISTINCT x.catalog, x.oid, x.nsp, d.refclassid, d.refobjid
    FROM pg_catalog.pg_depend d
    CROSS JOIN LATERAL (
      SELECT CASE WHEN r.rulename = '_RETURN' THEN 'pg_class' ELSE 'pg_rewrite' END,
             CASE WHEN r.rulename = '_RETURN' THEN r.ev_class ELSE r.oid END, c.relnamespace
        FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
       WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND r.oid = d.objid
      UNION ALL
      SELECT 'pg_proc', p.oid, p.pronamespace FROM pg_catalog.pg_proc p
       WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = d.objid
      UNION ALL
      SELECT 'pg_class', c.oid, c.relnamespace
        FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
       WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
      UNION ALL
      SELECT CASE WHEN co.conrelid <> 0 THEN 'pg_class' ELSE 'pg_type' END,
             CASE WHEN co.conrelid <> 0 THEN co.conrelid ELSE co.contypid END, co.connamespace
        FROM pg_catalog.pg_constraint co
       WHERE d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = d.objid
      UNION ALL
      SELECT 'pg_class', COALESCE(i.indrelid, c.oid), c.relnamespace
        FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
       WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = d.objid
         AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I')
      UNION ALL
      SELECT 'pg_type', t.oid, t.typnamespace FROM pg_catalog.pg_type t
       WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = d.objid
      UNION ALL
      SELECT 'pg_trigger', tg.oid, c.relnamespace
        FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
       WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND tg.oid = d.objid
    ) x(catalog, oid, nsp)
   WHERE d.deptype IN ('n', 'a')
     AND x.nsp IN (SELECT n.oid FROM pg_catalog.pg_namespace n
                    WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json)))
), ref AS (
  -- The referenced object, with array types and relation row types resolved.
  SELECT dep.catalog, dep.oid, r.refclassid, r.refobjid
    FROM dep
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t.typrelid <> 0 AND rc.relkind <> 'c'
                  THEN 'pg_catalog.pg_class'::pg_catalog.regclass
                  ELSE 'pg_catalog.pg_type'::pg_catalog.regclass END,
             CASE WHEN t.typrelid <> 0 AND rc.relkind <> 'c' THEN t.typrelid ELSE t.oid END
        FROM pg_catalog.pg_type a
        JOIN pg_catalog.pg_type t
          ON t.oid = CASE WHEN a.typelem <> 0 AND a.typlen = -1 THEN a.typelem ELSE a.oid END
        LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid
       WHERE dep.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND a.oid = dep.refobjid
      UNION ALL
      SELECT dep.refclassid, dep.refobjid
       WHERE dep.refclassid <> 'pg_catalog.pg_type'::pg_catalog.regclass
    ) r(refclassid, refobjid)
)
SELECT DISTINCT ref.catalog AS dependent_catalog, ref.oid AS dependent_oid,
       o.kind AS ref_kind, o.schema AS ref_schema, o.name AS ref_name, o.args AS ref_args
  FROM ref
  LEFT JOIN pg_catalog.pg_depend m
         ON m.classid = ref.refclassid AND m.objid = ref.refobjid AND m.deptype = 'e'
  CROSS JOIN LATERAL (
    SELECT 'extension', en.nspname, e.extname, NULL
      FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace en ON en.oid = e.extnamespace
     WHERE m.refobjid = e.oid
    UNION ALL
    SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview' ELSE 'table' END,
           n.nspname, c.relname, NULL
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE m.objid IS NULL AND ref.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
       AND c.oid = ref.refobjid AND c.relkind IN ('r', 'p', 'v', 'm')
       AND NOT (ref.catalog = 'pg_class' AND ref.oid = c.oid)
    UNION ALL
    SELECT 'routine', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     WHERE m.objid IS NULL AND ref.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
       AND p.oid = ref.refobjid AND NOT (ref.catalog = 'pg_proc' AND ref.oid = p.oid)
    UNION ALL
    SELECT 'type', n.nspname, t.typname, NULL
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     WHERE m.objid IS NULL AND ref.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
       AND t.oid = ref.refobjid AND NOT (ref.catalog = 'pg_type' AND ref.oid = t.oid)
  ) o(kind, schema, name, args)
 WHERE o.schema NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    OR o.kind = 'extension'
 ORDER BY 1, 2, 3, 4, 5, 6;
