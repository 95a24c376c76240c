-- Every user schema (system schemas excluded); the caller filters by the tenant's patterns.
SELECT n.nspname AS name,
       pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
       pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname !~ '^pg_'
   AND n.nspname <> 'information_schema'
 ORDER BY n.nspname;
