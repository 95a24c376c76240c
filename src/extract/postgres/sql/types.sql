-- Enum, domain and composite types of the tenant schemas (extension members excluded).
-- $1: JSON array of schema names.
SELECT t.oid,
       n.nspname AS schema,
       t.typname AS name,
       t.typtype AS kind,
       pg_catalog.pg_get_userbyid(t.typowner) AS owner,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
       CASE WHEN t.typtype = 'd'
            THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS domain_default,
       t.typnotnull AS not_null,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.collname)
       END AS collation
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_catalog.pg_collation c ON c.oid = t.typcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.collnamespace
  LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND r.relkind = 'c'))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
