-- Columns whose collation is not the database default (COLLATE CASE_INSENSITIVE ...).
SELECT c.table_schema AS schema,
       c.table_name AS name,
       c.column_name AS column_name,
       c.collation_name AS collation
  FROM svv_columns c
 WHERE c.collation_name IS NOT NULL
   AND substring(c.table_schema, 1, 3) <> 'pg_'
   AND c.table_schema NOT IN ('information_schema', 'catalog_history')
 ORDER BY 1, 2, 3;
