-- PRIMARY KEY, UNIQUE and FOREIGN KEY constraints (informational in Redshift) with their names.
SELECT k.conrelid AS table_oid,
       k.conname AS name,
       k.contype AS kind,
       pg_get_constraintdef(k.oid) AS definition,
       rn.nspname AS ref_schema,
       r.relname AS ref_table
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class r ON r.oid = k.confrelid
  LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
 WHERE k.contype IN ('p', 'u', 'f')
   AND substring(n.nspname, 1, 3) <> 'pg_'
   AND n.nspname NOT IN ('information_schema', 'catalog_history')
 ORDER BY k.conrelid, k.conname;
