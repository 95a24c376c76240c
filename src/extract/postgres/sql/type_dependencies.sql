-- Which tenant type needs which other tenant type first (domain base types, composite
-- attribute types and range subtypes, looking through arrays). $1: JSON array of schema names.
-- Only the tenant's own domains, standalone composite types and ranges are read: a table's
-- row type is never a planned type, and reading every relation's columns made this query
-- grow with the whole database.
WITH tenant_types AS (
  SELECT t.oid, t.typtype, t.typrelid, t.typbasetype, n.nspname, t.typname
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), uses AS (
  SELECT t.oid AS type_oid, t.typbasetype AS used FROM tenant_types t WHERE t.typtype = 'd'
  UNION
  SELECT t.oid, a.atttypid
    FROM tenant_types t
    JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0
   WHERE t.typtype = 'c' AND NOT a.attisdropped
  UNION
  SELECT rg.rngtypid, rg.rngsubtype
    FROM pg_catalog.pg_range rg JOIN tenant_types t ON t.oid = rg.rngtypid
)
SELECT u.type_oid, d.nspname AS dep_schema, d.typname AS dep_name
  FROM uses u
  JOIN pg_catalog.pg_type ut ON ut.oid = u.used
  JOIN tenant_types d ON d.oid = CASE WHEN ut.typelem <> 0 AND ut.typlen = -1
                                      THEN ut.typelem ELSE ut.oid END
 ORDER BY 1, 2, 3;
