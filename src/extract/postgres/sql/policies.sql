-- Row-level security policies of the tenant's tables. roles: JSON array in the policy's order,
-- null meaning PUBLIC. $1: JSON array of schema names.
SELECT p.polrelid AS table_oid, p.polname AS name, p.polcmd AS command,
       p.polpermissive AS permissive,
       (SELECT pg_catalog.json_agg(CASE WHEN r.oid <> 0 THEN pg_catalog.pg_get_userbyid(r.oid) END
                                   ORDER BY r.ord)
          FROM pg_catalog.unnest(p.polroles) WITH ORDINALITY AS r(oid, ord)) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,
       pg_catalog.obj_description(p.oid, 'pg_policy') AS comment
  FROM pg_catalog.pg_policy p
  JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
 ORDER BY p.polrelid, p.polname;
