-- Labels of the tenant's enum types, in sort order. $1: JSON array of schema names.
SELECT e.enumtypid AS type_oid, e.enumlabel AS label
  FROM pg_catalog.pg_enum e
  JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
 ORDER BY e.enumtypid, e.enumsortorder;
