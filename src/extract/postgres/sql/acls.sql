-- Privileges of the tenant's objects and columns whose ACL is not the built-in default (NULL):
-- one row per (object, grantor, grantee, privilege), in the ACL's own order (ord). A column's
-- rows carry its relation's kind and name plus column_name. An ACL with every privilege revoked
-- gives one row with a NULL grantor. grantee NULL means PUBLIC.
-- $1: JSON array of schema names.
WITH tenant AS (
  SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), objects AS (
  SELECT 'schema' AS kind, t.nspname AS schema, NULL::text AS name, NULL::text AS arguments,
         NULL::text AS column_name, n.nspowner AS owner, n.nspacl AS acl
    FROM pg_catalog.pg_namespace n JOIN tenant t ON t.oid = n.oid
   WHERE n.nspacl IS NOT NULL
  UNION ALL
  SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
                        WHEN 'm' THEN 'materialized view' ELSE 'table' END,
         t.nspname, c.relname::text, NULL, NULL, c.relowner, c.relacl
    FROM pg_catalog.pg_class c JOIN tenant t ON t.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relacl IS NOT NULL
  UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END,
         t.nspname, c.relname::text, NULL, a.attname::text, c.relowner, a.attacl
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN tenant t ON t.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
     AND a.attacl IS NOT NULL
  UNION ALL
  SELECT 'type', t.nspname, ty.typname::text, NULL, NULL, ty.typowner, ty.typacl
    FROM pg_catalog.pg_type ty
    JOIN tenant t ON t.oid = ty.typnamespace
    LEFT JOIN pg_catalog.pg_class r ON r.oid = ty.typrelid
   WHERE ty.typacl IS NOT NULL
     AND (ty.typtype IN ('e', 'd', 'r') OR (ty.typtype = 'c' AND r.relkind = 'c'))
  UNION ALL
  -- Aggregates and window functions are granted as functions (GRANT ... ON FUNCTION), as
  -- pg_dump does.
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, t.nspname,
         p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid), NULL,
         p.proowner, p.proacl
    FROM pg_catalog.pg_proc p JOIN tenant t ON t.oid = p.pronamespace
   WHERE p.prokind IN ('f', 'p', 'a', 'w') AND p.proacl IS NOT NULL
)
SELECT o.kind, o.schema, o.name, o.arguments, o.column_name,
       pg_catalog.pg_get_userbyid(o.owner) AS owner, x.ord,
       pg_catalog.pg_get_userbyid(x.grantor) AS grantor,
       CASE WHEN x.grantee <> 0 THEN pg_catalog.pg_get_userbyid(x.grantee) END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable
  FROM objects o
  LEFT JOIN LATERAL pg_catalog.aclexplode(o.acl)
       WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, ord) ON true
 ORDER BY o.kind, o.schema, o.name, o.arguments, o.column_name, x.ord;
