-- Preflight on the target: what the connected role lacks to create the tenant. $1: JSON array
-- of schema names; $2: JSON array of the roles that will own tenant objects. One row per
-- missing privilege.
SELECT 'CREATE on database ' || pg_catalog.quote_ident(pg_catalog.current_database()) AS missing
 WHERE NOT pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')
   AND EXISTS (SELECT 1 FROM pg_catalog.json_array_elements_text($1::json) s(name)
                WHERE s.name NOT IN (SELECT nspname FROM pg_catalog.pg_namespace))
UNION ALL
SELECT 'CREATE on schema ' || pg_catalog.quote_ident(n.nspname)
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND NOT pg_catalog.has_schema_privilege(n.oid, 'CREATE')
UNION ALL
SELECT 'membership in role ' || pg_catalog.quote_ident(r.rolname) || ' (to make it an owner)'
  FROM pg_catalog.pg_roles r
 WHERE r.rolname IN (SELECT pg_catalog.json_array_elements_text($2::json))
   AND NOT pg_catalog.pg_has_role(r.oid, 'MEMBER')
ORDER BY 1;
