-- Extensions installed in a tenant schema, whether or not a tenant object uses them: the plan
-- creates each in the same schema, at the same version. $1: JSON array of schema names.
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
 ORDER BY e.extname;
