-- Every local schema but the system ones; the tenant's are picked in C++. External (Spectrum)
-- schemas are flagged: they are not local DDL.
SELECT n.oid AS oid,
       n.nspname AS name,
       pg_get_userbyid(n.nspowner) AS owner,
       d.description AS comment,
       CASE WHEN e.esoid IS NULL THEN 'f' ELSE 't' END AS external
  FROM pg_namespace n
  LEFT JOIN pg_description d
    ON d.objoid = n.oid AND d.objsubid = 0
   AND d.classoid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_namespace')
  LEFT JOIN pg_external_schema e ON e.esoid = n.oid
 WHERE substring(n.nspname, 1, 3) <> 'pg_'
   AND n.nspname NOT IN ('information_schema', 'catalog_history')
 ORDER BY n.nspname;
