-- ACL arrays of schemas, tables and views, columns, functions and procedures and the current
-- database, as aclitem text (user=privs/grantor, "group g=...", =privs/grantor for PUBLIC),
-- parsed in C++. Objects whose ACL is NULL (the default) are absent.
SELECT 'schema' AS kind, n.nspname AS schema, '' AS name, '' AS arguments, '' AS column_name,
       pg_get_userbyid(n.nspowner) AS owner, n.nspacl AS acl
  FROM pg_namespace n
 WHERE n.nspacl IS NOT NULL
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END, n.nspname, c.relname, '', '',
       pg_get_userbyid(c.relowner), c.relacl
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'v') AND c.relacl IS NOT NULL
UNION ALL
SELECT 'column', n.nspname, c.relname, '', a.attname, pg_get_userbyid(c.relowner), a.attacl
  FROM pg_attribute_info a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE a.attnum > 0 AND a.attacl IS NOT NULL
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, n.nspname, p.proname,
       oidvectortypes(p.proargtypes), '', pg_get_userbyid(p.proowner), p.proacl
  FROM pg_proc_info p
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.proacl IS NOT NULL
UNION ALL
SELECT 'database', db.datname, '', '', '', pg_get_userbyid(db.datdba), db.datacl
  FROM pg_database db
 WHERE db.datname = current_database() AND db.datacl IS NOT NULL
 ORDER BY 1, 2, 3, 4, 5;
