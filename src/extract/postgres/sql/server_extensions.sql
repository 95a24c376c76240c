-- Every extension this server can install or has installed. No parameters.
-- available: a control file exists (pg_available_extensions); schema: where it is installed,
-- null when it is not.
SELECT COALESCE(a.name, e.extname) AS name,
       a.name IS NOT NULL AS available,
       n.nspname AS schema
  FROM pg_catalog.pg_available_extensions a
  FULL JOIN pg_catalog.pg_extension e ON e.extname = a.name
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 ORDER BY 1;
