-- Views, late-binding views and materialized views. pg_get_viewdef returns only the query for
-- a regular view, and the whole CREATE statement for late-binding and materialized views;
-- the C++ side tells them apart and keeps the query.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       pg_get_userbyid(c.relowner) AS owner,
       c.relnatts AS column_count,
       pg_get_viewdef(c.oid, true) AS definition,
       d.description AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0
   AND d.classoid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_class')
 WHERE c.relkind = 'v'
   AND substring(n.nspname, 1, 3) <> 'pg_'
   AND n.nspname NOT IN ('information_schema', 'catalog_history')
 ORDER BY n.nspname, c.relname;
