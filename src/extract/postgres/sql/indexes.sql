-- Indexes of the tenant's tables and materialized views that no constraint owns.
-- $1: JSON array of schema names.
SELECT i.indrelid AS table_oid, ic.relname AS name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       pg_catalog.obj_description(i.indexrelid, 'pg_class') AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = i.indexrelid
  LEFT JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent
  LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('r', 'p', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co
                    WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                      AND co.contype IN ('p', 'u', 'x'))
 ORDER BY i.indrelid, ic.relname;
