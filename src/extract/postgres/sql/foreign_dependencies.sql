-- What dependencies.sql leaves out for foreign tables, in its shape: the tenant types a foreign
-- table's columns use (an array type stands for its element type), and the views, materialized
-- views, rules and routines that read a foreign table (or use its row type) as 'table'.
-- $1: JSON array of schema names. Extension members are left out, as there.
WITH tenant AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), ft AS (
  SELECT c.oid, c.reltype, n.nspname, c.relname
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'f' AND c.relnamespace IN (SELECT oid FROM tenant)
), reader AS (
  SELECT d.classid, d.objid, ft.oid AS ft_oid, ft.nspname, ft.relname
    FROM pg_catalog.pg_depend d
    JOIN ft ON (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = ft.oid)
            OR (d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
                AND d.refobjid = ft.reltype)
   WHERE d.deptype IN ('n', 'a')
)
SELECT DISTINCT x.catalog AS dependent_catalog, x.oid AS dependent_oid, x.kind AS ref_kind,
       x.schema AS ref_schema, x.name AS ref_name, NULL::text AS ref_args
  FROM (
    SELECT 'pg_class', ft.oid, 'type', tn.nspname, t.typname
      FROM ft
      JOIN pg_catalog.pg_attribute a ON a.attrelid = ft.oid AND a.attnum > 0
       AND NOT a.attisdropped
      JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
      JOIN pg_catalog.pg_type t
        ON t.oid = CASE WHEN at.typelem <> 0 AND at.typlen = -1 THEN at.typelem ELSE at.oid END
      JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
     WHERE t.typnamespace IN (SELECT oid FROM tenant)
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend m
                        WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                          AND m.objid = t.oid AND m.deptype = 'e')
    UNION ALL
    SELECT CASE WHEN r.rulename = '_RETURN' THEN 'pg_class' ELSE 'pg_rewrite' END,
           CASE WHEN r.rulename = '_RETURN' THEN r.ev_class ELSE r.oid END,
           'table', reader.nspname, reader.relname
      FROM reader JOIN pg_catalog.pg_rewrite r ON r.oid = reader.objid
     WHERE reader.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
       AND r.ev_class <> reader.ft_oid
    UNION ALL
    SELECT 'pg_proc', reader.objid, 'table', reader.nspname, reader.relname
      FROM reader WHERE reader.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
  ) x(catalog, oid, kind, schema, name)
 ORDER BY 1, 2, 3, 4, 5;
