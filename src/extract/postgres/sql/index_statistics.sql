-- Statistics targets set on index columns (ALTER INDEX ... ALTER COLUMN n SET STATISTICS v,
-- which PostgreSQL allows on expression columns only) of the indexes indexes.sql reads: those of
-- the tenant's tables and materialized views that no constraint owns. $1: JSON array of schema
-- names. One row per column: the index's table and name, the column number and the target.
SELECT i.indrelid AS table_oid, ic.relname AS name, a.attnum AS column_number,
       a.attstattarget AS statistics
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indexrelid AND a.attnum > 0
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('r', 'p', 'm')
   AND a.attstattarget >= 0
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co
                    WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                      AND co.contype IN ('p', 'u', 'x'))
 ORDER BY i.indrelid, ic.relname, a.attnum;
