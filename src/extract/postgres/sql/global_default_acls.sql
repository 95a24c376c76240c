-- Database-wide default privileges (ALTER DEFAULT PRIVILEGES FOR ROLE ... with no IN SCHEMA) of
-- every role, in the shape of default_acls.sql (schema is NULL): the planner keeps the tenant's
-- roles'. Such a rule holds the whole ACL new objects get, in place of the built-in default
-- (the owner's privileges, plus PUBLIC's for functions and types). objtype: r tables,
-- S sequences, f functions, T types, n schemas. grantee NULL means PUBLIC.
SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role, NULL::text AS schema,
       d.defaclobjtype AS objtype, x.ord,
       CASE WHEN x.grantee <> 0 THEN pg_catalog.pg_get_userbyid(x.grantee) END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable
  FROM pg_catalog.pg_default_acl d
  LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl)
       WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, ord) ON true
 WHERE d.defaclnamespace = 0
 ORDER BY 1, 3, x.ord;
