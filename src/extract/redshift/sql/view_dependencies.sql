-- Relations each (schema-bound) view reads, through its rewrite rule. Late-binding views have
-- none. A materialized view reads through its mv_tbl__ backing tables' owners, mapped in C++.
SELECT DISTINCT v.oid AS view_oid,
       rn.nspname AS ref_schema,
       r.relname AS ref_name,
       r.relkind AS ref_kind
  FROM pg_depend dep
  JOIN pg_rewrite w ON w.oid = dep.objid
  JOIN pg_class v ON v.oid = w.ev_class
  JOIN pg_class r ON r.oid = dep.refobjid
  JOIN pg_namespace rn ON rn.oid = r.relnamespace
 WHERE dep.classid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_rewrite')
   AND dep.refclassid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_class')
   AND r.oid <> v.oid
   AND v.relkind = 'v'
 ORDER BY 1, 2, 3;
