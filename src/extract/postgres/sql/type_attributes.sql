-- Attributes of the tenant's composite types. $1: JSON array of schema names.
SELECT t.oid AS type_oid, a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.collname)
       END AS collation
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'
  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_collation c ON c.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.collnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
 ORDER BY t.oid, a.attnum;
