-- Enum, domain, composite and range types of the tenant schemas (extension members excluded;
-- range types with a canonical function, which needs a shell type, too: not_moved.sql names
-- them). range_*: CREATE TYPE ... AS RANGE options, NULL where the subtype's default applies.
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
       END AS collation,
       pg_catalog.format_type(rg.rngsubtype, NULL) AS range_subtype,
       CASE WHEN NOT opc.opcdefault
            THEN pg_catalog.quote_ident(opn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname)
       END AS range_opclass,
       CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation
            THEN pg_catalog.quote_ident(rcn.nspname) || '.' || pg_catalog.quote_ident(rc.collname)
       END AS range_collation,
       NULLIF(rg.rngsubdiff, 0)::pg_catalog.regproc::pg_catalog.text AS range_subdiff,
       CASE WHEN rg.rngmultitypid <> 0
            THEN pg_catalog.quote_ident(mn.nspname) || '.' || pg_catalog.quote_ident(mt.typname)
       END AS range_multirange
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_catalog.pg_collation c ON c.oid = t.typcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.collnamespace
  LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
  LEFT JOIN pg_catalog.pg_range rg ON rg.rngtypid = t.oid
  LEFT JOIN pg_catalog.pg_type st ON st.oid = rg.rngsubtype
  LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = rg.rngsubopc
  LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
  LEFT JOIN pg_catalog.pg_collation rc ON rc.oid = rg.rngcollation
  LEFT JOIN pg_catalog.pg_namespace rcn ON rcn.oid = rc.collnamespace
  LEFT JOIN pg_catalog.pg_type mt ON mt.oid = rg.rngmultitypid
  LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND r.relkind = 'c')
        OR (t.typtype = 'r' AND rg.rngcanonical = 0))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
