-- CHECK constraints of the tenant's domains. $1: JSON array of schema names.
SELECT c.contypid AS type_oid, c.conname AS name,
       pg_catalog.pg_get_constraintdef(c.oid) AS definition,
       pg_catalog.obj_description(c.oid, 'pg_constraint') AS comment
  FROM pg_catalog.pg_constraint c
  JOIN pg_catalog.pg_type t ON t.oid = c.contypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.contype = 'c'
 ORDER BY c.contypid, c.conname;
