-- CHECK, PRIMARY KEY, UNIQUE, FOREIGN KEY and EXCLUDE constraints of the tenant's tables.
-- $1: JSON array of schema names.
SELECT co.conrelid AS table_oid, co.conname AS name, co.contype AS kind,
       pg_catalog.pg_get_constraintdef(co.oid) AS definition,
       co.conislocal AS local,
       pco.conname AS parent_constraint,
       ic.relname AS index_name,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       pg_catalog.obj_description(co.oid, 'pg_constraint') AS comment
  FROM pg_catalog.pg_constraint co
  JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_constraint pco ON pco.oid = co.conparentid
  LEFT JOIN pg_catalog.pg_class ic ON ic.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid AND co.contype = 'f'
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND co.contype IN ('c', 'p', 'u', 'f', 'x')
 ORDER BY co.conrelid, co.conname;
