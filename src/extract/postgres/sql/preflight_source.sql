-- Preflight on the source: what the connected role cannot read in the tenant schemas.
-- $1: JSON array of schema names. One row per missing privilege.
SELECT 'USAGE on schema ' || pg_catalog.quote_ident(n.nspname) AS missing
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND NOT pg_catalog.has_schema_privilege(n.oid, 'USAGE')
UNION ALL
SELECT 'SELECT on ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('r', 'p', 'S')
   AND NOT pg_catalog.has_table_privilege(c.oid, 'SELECT')
ORDER BY 1;
