-- Indexes of the tenant's tables and materialized views that no constraint owns.
-- $1: JSON array of schema names.
-- Set-based: comments come from a join with pg_description (obj_description would run a query
-- per index), and no relation is opened (pg_get_indexdef reads the catalogs only).
SELECT i.indrelid AS table_oid, ic.relname AS name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       ds.description AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = i.indexrelid
  LEFT JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent
  LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = i.indexrelid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = 0
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('r', 'p', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co
                    WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                      AND co.contype IN ('p', 'u', 'x'))
 ORDER BY i.indrelid, ic.relname;
